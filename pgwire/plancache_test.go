package pgwire

// Prepared statements over the extended protocol keep their plan between
// executions (planner/plancache.go): these tests check, with pgx, that DDL
// from the same or another session makes them bind again.

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestPreparedPlanCacheDDL(t *testing.T) {
	ts := startServer(t, Config{})
	conn := ts.connect(t)
	other := ts.connect(t)
	ctx := context.Background()
	mustExec(t, conn, "CREATE TABLE pc (a int PRIMARY KEY, x text, b int)")
	mustExec(t, conn, "INSERT INTO pc SELECT g, 'x', g * 10 FROM generate_series(1, 20) g")
	if _, err := conn.Prepare(ctx, "get", "SELECT b FROM pc WHERE a = $1"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Prepare(ctx, "put", "INSERT INTO pc (a, b) VALUES ($1, $2)"); err != nil {
		t.Fatal(err)
	}
	get := func(a int) (int, error) {
		var b int
		err := conn.QueryRow(ctx, "get", a).Scan(&b)
		return b, err
	}
	check := func(what string, a, want int) {
		t.Helper()
		if got, err := get(a); err != nil || got != want {
			t.Fatalf("%s: get(%d) = %d, %v; want %d", what, a, got, err, want)
		}
	}
	// Parameters of different values.
	for a := 1; a <= 20; a++ {
		check("values", a, a*10)
	}
	if _, err := get(21); err != pgx.ErrNoRows {
		t.Fatalf("get(21): %v, want no rows", err)
	}
	// Another session drops a column before b, then adds one.
	mustExec(t, other, "ALTER TABLE pc DROP COLUMN x")
	check("after DROP COLUMN", 7, 70)
	mustExec(t, other, "ALTER TABLE pc ADD COLUMN c int DEFAULT 5")
	mustExec(t, conn, "put", 21, 210)
	check("after ADD COLUMN", 21, 210)
	var c int
	if err := conn.QueryRow(ctx, "SELECT c FROM pc WHERE a = 21").Scan(&c); err != nil || c != 5 {
		t.Fatalf("the prepared INSERT after ADD COLUMN left c = %d (%v), want the default 5", c, err)
	}
	// DROP and CREATE with another type: the same prepared statement now
	// reads the new table.
	mustExec(t, other, "DROP TABLE pc")
	if _, err := get(1); sqlstate(err) != "42P01" {
		t.Fatalf("after DROP TABLE: %v, want 42P01", err)
	}
	// A new result type is PostgreSQL's error: the client was told the
	// row type at Parse. The same type again binds to the new table.
	mustExec(t, other, "CREATE TABLE pc (a int PRIMARY KEY, b bigint)")
	if _, err := get(1); sqlstate(err) != "0A000" || err.Error() != "ERROR: cached plan must not change result type (SQLSTATE 0A000)" {
		t.Fatalf("after CREATE with bigint: %v, want 0A000", err)
	}
	mustExec(t, other, "DROP TABLE pc")
	mustExec(t, other, "CREATE TABLE pc (b int, a int PRIMARY KEY)")
	mustExec(t, other, "INSERT INTO pc VALUES (33, 1)")
	check("after CREATE with int", 1, 33)
	mustExec(t, other, "DROP TABLE pc")
	mustExec(t, other, "CREATE TABLE pc (a int PRIMARY KEY, b bigint)")
	mustExec(t, other, "INSERT INTO pc VALUES (1, 5000000000)")
	var big int64
	if err := conn.QueryRow(ctx, "SELECT b FROM pc WHERE a = $1", 1).Scan(&big); err != nil || big != 5000000000 {
		t.Fatalf("after CREATE with bigint: %d, %v", big, err)
	}
	// In a transaction block, with DDL of its own, then rolled back.
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var s string
	if err := tx.QueryRow(ctx, "SELECT b::text FROM pc WHERE a = $1", 1).Scan(&s); err != nil || s != "5000000000" {
		t.Fatalf("in block: %q, %v", s, err)
	}
	if _, err := tx.Exec(ctx, "ALTER TABLE pc ADD COLUMN z text DEFAULT 'zz'"); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "INSERT INTO pc VALUES (2, 7, 'q')"); err != nil {
		t.Fatal(err)
	}
	for a, want := range map[int]string{1: "5000000000", 2: "7"} {
		if err := tx.QueryRow(ctx, "SELECT b::text FROM pc WHERE a = $1", a).Scan(&s); err != nil || s != want {
			t.Fatalf("in block after ALTER, a=%d: %q, %v", a, s, err)
		}
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, "SELECT b::text FROM pc WHERE a = $1", 2).Scan(&s); err != pgx.ErrNoRows {
		t.Fatalf("after ROLLBACK: %q, %v; want no rows", s, err)
	}
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'pc'").Scan(&n); err != nil || n != 2 {
		t.Fatalf("after ROLLBACK the table has %d columns (%v), want 2", n, err)
	}
}

// TestPreparedPlanCacheSessions runs the same prepared statements in
// several sessions while another alters the table they read.
func TestPreparedPlanCacheSessions(t *testing.T) {
	ts := startServer(t, Config{})
	ctx := context.Background()
	admin := ts.connect(t)
	mustExec(t, admin, "CREATE TABLE ps (a int PRIMARY KEY, b text)")
	mustExec(t, admin, "INSERT INTO ps SELECT g, 'v' || g FROM generate_series(1, 100) g")
	conns := []*pgx.Conn{ts.connect(t), ts.connect(t)}
	for round := range 3 {
		for _, c := range conns {
			for a := 1; a <= 100; a += 9 {
				var b string
				if err := c.QueryRow(ctx, "SELECT b FROM ps WHERE a = $1", a).Scan(&b); err != nil || b != fmt.Sprint("v", a) {
					t.Fatalf("round %d: a=%d: %q, %v", round, a, b, err)
				}
			}
		}
		// A change the cached plans must see: an index, then a column
		// before b (b moves), then the table replaced.
		switch round {
		case 0:
			mustExec(t, admin, "CREATE INDEX ps_b ON ps (b)")
		case 1:
			mustExec(t, admin, "DROP TABLE ps")
			mustExec(t, admin, "CREATE TABLE ps (y int, a int PRIMARY KEY, b text)")
			mustExec(t, admin, "INSERT INTO ps SELECT 0, g, 'v' || g FROM generate_series(1, 100) g")
		}
	}
}
