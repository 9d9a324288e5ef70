package pgwire

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestCopyChecksConstraints loads rows with COPY into a table with CHECK
// and FOREIGN KEY constraints: a violating row fails the COPY with
// PostgreSQL's error, and none of its rows stay.
func TestCopyChecksConstraints(t *testing.T) {
	ts := startServer(t, Config{})
	conn := ts.connect(t)
	ctx := context.Background()
	mustExec(t, conn, "CREATE TABLE cp (id int PRIMARY KEY)")
	mustExec(t, conn, "INSERT INTO cp VALUES (1), (2)")
	mustExec(t, conn, "CREATE TABLE cc (id int PRIMARY KEY, pid int REFERENCES cp, q int CHECK (q > 0))")
	pc := conn.PgConn()
	cases := []struct {
		data, code, msg, detail string
	}{
		{"1\t1\t5\n2\t2\t6\n", "", "", ""},
		{"3\t1\t7\n4\t1\t-1\n", "23514", `new row for relation "cc" violates check constraint "cc_q_check"`, "Failing row contains (4, 1, -1)."},
		{"5\t9\t1\n", "23503", `insert or update on table "cc" violates foreign key constraint "cc_pid_fkey"`, `Key (pid)=(9) is not present in table "cp".`},
	}
	for _, tc := range cases {
		_, err := pc.CopyFrom(ctx, strings.NewReader(tc.data), "COPY cc FROM STDIN")
		var pe *pgconn.PgError
		switch {
		case tc.code == "" && err != nil:
			t.Fatalf("%q: %v", tc.data, err)
		case tc.code != "" && (!errors.As(err, &pe) || pe.Code != tc.code || pe.Message != tc.msg || pe.Detail != tc.detail):
			t.Errorf("%q: got %v, want %s %s (%s)", tc.data, err, tc.code, tc.msg, tc.detail)
		}
	}
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM cc").Scan(&n); err != nil || n != 2 {
		t.Errorf("rows after the failed COPYs: %d, %v", n, err)
	}
}
