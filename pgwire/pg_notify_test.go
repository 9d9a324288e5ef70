package pgwire

// pg_notify(channel, payload): NOTIFY as a function returning void.

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestPgNotify(t *testing.T) {
	ts := startNotifyServer(t)
	a, b := ts.connect(t), ts.connect(t)
	ctx := context.Background()
	mustExec(t, a, "LISTEN jobs")

	// The result is one row with an empty (not NULL) value of type void.
	res, err := b.PgConn().Exec(ctx, "SELECT pg_notify('jobs', 'first')").ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || len(res[0].FieldDescriptions) != 1 || res[0].FieldDescriptions[0].DataTypeOID != 2278 ||
		res[0].FieldDescriptions[0].Name != "pg_notify" || len(res[0].Rows) != 1 || len(res[0].Rows[0][0]) != 0 {
		t.Fatalf("SELECT pg_notify result: %+v", res[0])
	}
	if n := waitNotification(t, a, 10*time.Second); n == nil || n.Channel != "jobs" || n.Payload != "first" || n.PID != b.PgConn().PID() {
		t.Fatalf("notification = %+v, want jobs/first from pid %d", n, b.PgConn().PID())
	}

	var isNull bool
	if err := b.QueryRow(ctx, "SELECT pg_notify('other', 'x') IS NULL").Scan(&isNull); err != nil || isNull {
		t.Fatalf("pg_notify() IS NULL: %v, %v", isNull, err)
	}

	// Parameters (extended protocol), and a NULL payload is empty.
	mustExec(t, b, "SELECT pg_notify($1, $2)", "jobs", "param")
	if n := waitNotification(t, a, 10*time.Second); n == nil || n.Payload != "param" {
		t.Fatalf("with parameters: %+v", n)
	}
	mustExec(t, b, "SELECT pg_notify('jobs', NULL)")
	if n := waitNotification(t, a, 10*time.Second); n == nil || n.Payload != "" {
		t.Fatalf("NULL payload: %+v", n)
	}

	// One per row, in order; duplicates within the transaction (with
	// NOTIFY too) are sent once.
	mustExec(t, b, "CREATE TABLE q (id int PRIMARY KEY, msg text)")
	mustExec(t, b, "INSERT INTO q VALUES (1, 'one'), (2, 'two'), (3, 'one')")
	mustExec(t, b, "BEGIN")
	mustExec(t, b, "SELECT pg_notify('jobs', msg) FROM q ORDER BY id")
	mustExec(t, b, "NOTIFY jobs, 'two'")
	if n := waitNotification(t, a, 300*time.Millisecond); n != nil {
		t.Fatalf("notification before commit: %+v", n)
	}
	mustExec(t, b, "COMMIT")
	for _, want := range []string{"one", "two"} {
		if n := waitNotification(t, a, 10*time.Second); n == nil || n.Payload != want {
			t.Fatalf("after commit: %+v, want %q", n, want)
		}
	}
	if n := waitNotification(t, a, 300*time.Millisecond); n != nil {
		t.Fatalf("duplicate delivered: %+v", n)
	}

	// A rolled-back pg_notify is never sent.
	mustExec(t, b, "BEGIN")
	mustExec(t, b, "SELECT pg_notify('jobs', 'rolled back')")
	mustExec(t, b, "ROLLBACK")
	if n := waitNotification(t, a, 300*time.Millisecond); n != nil {
		t.Fatalf("rolled-back notification delivered: %+v", n)
	}

	// PostgreSQL's errors.
	for _, c := range []struct{ sql, code string }{
		{"SELECT pg_notify('', 'x')", "22023"},
		{"SELECT pg_notify(NULL, 'x')", "22023"},
		{"SELECT pg_notify('" + strings.Repeat("c", 64) + "', 'x')", "22023"},
		{"SELECT pg_notify('jobs', '" + strings.Repeat("x", 8000) + "')", "22023"},
	} {
		if _, err := b.Exec(ctx, c.sql); sqlstate(err) != c.code {
			t.Errorf("%.60s: %v, want %s", c.sql, err, c.code)
		}
	}
	// The longest payload PostgreSQL accepts goes through.
	mustExec(t, b, "SELECT pg_notify('jobs', '"+strings.Repeat("x", 7999)+"')")
	if n := waitNotification(t, a, 10*time.Second); n == nil || len(n.Payload) != 7999 {
		t.Fatalf("7999-byte payload: %+v", n)
	}
}
