package pgwire

// Tests of streamed results: rows go to the client as they are produced,
// so results far larger than the statement memory cap succeed, errors
// come after the rows sent before them, and a client that goes away ends
// the statement.

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aspen-db/aspen/internal/pgtest"
	"github.com/aspen-db/aspen/planner"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

// lowMemory lowers the statement memory cap for the test.
func lowMemory(t *testing.T, n int64) {
	old := planner.SetMaxQueryMemory(n)
	t.Cleanup(func() { planner.SetMaxQueryMemory(old) })
}

// streamRows is how many rows the large results have: several times the
// lowered memory cap's worth.
const streamRows = 60000

func TestStreamLargeResult(t *testing.T) {
	eng := planner.NewEngine(raftstoretest.NewWithMutations(t, planner.Mutations()))
	ts := startServer(t, Config{Engine: eng})
	ctx := context.Background()
	conn := ts.connect(t)
	mustExec(t, conn, "CREATE TABLE big (id int PRIMARY KEY, pad text)")
	mustExec(t, conn, fmt.Sprintf("INSERT INTO big SELECT g, repeat('x', 40) || g FROM generate_series(1, %d) g", streamRows))
	lowMemory(t, 1<<20)

	// The materialised path is over the cap: the streamed one must not be.
	sess := eng.NewSession()
	defer sess.Close()
	if _, err := sess.Exec(ctx, "SELECT * FROM big"); err == nil || sqlerr.As(err).Code != "53200" {
		t.Fatalf("materialised SELECT * FROM big: %v; want 53200", err)
	}

	queries := []struct {
		sql  string
		desc bool
	}{
		{"SELECT * FROM big", false},
		{"SELECT id, pad FROM big ORDER BY id DESC", true},
		{"SELECT g, repeat('y', 40) FROM generate_series(1, 60000) g ORDER BY g DESC", true},
		{"SELECT id, pad FROM big WHERE id > 0", false},
	}
	// A small work_mem makes ORDER BY spill rather than hold its input.
	mustExec(t, conn, "SET work_mem = '64kB'")
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeCacheStatement, pgx.QueryExecModeExec} {
		for _, q := range queries {
			rows, err := conn.Query(ctx, q.sql, mode)
			if err != nil {
				t.Fatalf("%v %s: %v", mode, q.sql, err)
			}
			n, prev := 0, int64(0)
			for rows.Next() {
				var id int64
				var pad string
				if err := rows.Scan(&id, &pad); err != nil {
					t.Fatal(err)
				}
				if n > 0 && (q.desc && id >= prev || !q.desc && id <= prev) {
					t.Fatalf("%v %s: row %d has id %d after %d", mode, q.sql, n, id, prev)
				}
				prev = id
				n++
			}
			if err := rows.Err(); err != nil {
				t.Fatalf("%v %s: %v", mode, q.sql, err)
			}
			if n != streamRows || rows.CommandTag().String() != fmt.Sprintf("SELECT %d", streamRows) {
				t.Errorf("%v %s: %d rows, tag %q; want %d", mode, q.sql, n, rows.CommandTag(), streamRows)
			}
		}
	}

	// lib/pq (the simple query protocol without arguments).
	db, err := sql.Open("postgres", ts.url("aspen", ""))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, "SET work_mem = '64kB'"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{"SELECT id, pad FROM big ORDER BY id", nil},
		{"SELECT id, pad FROM big WHERE id % 2 = 0 OR id % 2 = 1", nil},
		// With an argument lib/pq uses the extended protocol.
		{"SELECT id, pad FROM big WHERE id > $1 ORDER BY id * 2", []any{0}},
	} {
		rows, err := db.QueryContext(ctx, q.sql, q.args...)
		if err != nil {
			t.Fatalf("lib/pq %s: %v", q.sql, err)
		}
		n := 0
		for rows.Next() {
			var id int64
			var pad string
			if err := rows.Scan(&id, &pad); err != nil {
				t.Fatal(err)
			}
			n++
			if id != int64(n) {
				t.Fatalf("lib/pq %s: row %d has id %d", q.sql, n, id)
			}
		}
		if err := rows.Err(); err != nil || n != streamRows {
			t.Errorf("lib/pq %s: %d rows, %v", q.sql, n, err)
		}
		rows.Close()
	}
}

// TestStreamMultiStatement checks the order of the messages of a simple
// query with streamed and other statements, and its implicit transaction.
func TestStreamMultiStatement(t *testing.T) {
	ts := startServer(t, Config{})
	ctx := context.Background()
	conn := ts.connect(t)
	mustExec(t, conn, "CREATE TABLE m (a int)")
	rr := conn.PgConn().Exec(ctx, "INSERT INTO m VALUES (1), (2); SELECT a FROM m ORDER BY a; UPDATE m SET a = a + 10; SELECT a FROM m WHERE a > 100; SELECT a FROM m ORDER BY a DESC")
	results, err := rr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range results {
		s := r.CommandTag.String() + ":"
		for _, row := range r.Rows {
			s += " " + string(row[0])
		}
		got = append(got, s)
	}
	want := []string{"INSERT 0 2:", "SELECT 2: 1 2", "UPDATE 2:", "SELECT 0:", "SELECT 2: 12 11"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("results %q; want %q", got, want)
	}
	// An error after a streamed statement rolls the whole query back.
	_, err = conn.PgConn().Exec(ctx, "INSERT INTO m VALUES (3); SELECT a FROM m; SELECT 1/(a-3) FROM m").ReadAll()
	if sqlstate(err) != "22012" {
		t.Fatalf("error = %v; want 22012", err)
	}
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM m").Scan(&n); err != nil || n != 2 {
		t.Errorf("count = %d, %v; want 2", n, err)
	}
}

// countUntilError runs a query that fails part way and returns the rows
// received before the error, and the error.
func countUntilError(ctx context.Context, conn *pgx.Conn, q string, mode pgx.QueryExecMode) (int, error) {
	rows, err := conn.Query(ctx, q, mode)
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

func TestStreamErrorMidStream(t *testing.T) {
	lowMemory(t, 1<<20)
	ctx := context.Background()
	ts := startServer(t, Config{})
	conn := ts.connect(t)
	ref, err := pgx.Connect(ctx, pgtest.Shared(t).FreshDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close(ctx)
	const q = "SELECT g, 1/(g-50000), repeat('z', 40) FROM generate_series(1, 100000) g"
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeCacheStatement} {
		want, werr := countUntilError(ctx, ref, q, mode)
		got, gerr := countUntilError(ctx, conn, q, mode)
		if sqlstate(werr) != "22012" || sqlstate(gerr) != "22012" {
			t.Fatalf("%v: errors %v (PostgreSQL) and %v (Aspen); want 22012", mode, werr, gerr)
		}
		// The rows before the error went out first: more than the memory
		// cap could hold, so they were not kept.
		if got != want || got != 49999 {
			t.Errorf("%v: %d rows before the error, PostgreSQL %d; want 49999", mode, got, want)
		}
	}
	// In a transaction block the error fails the block, as in PostgreSQL.
	mustExec(t, conn, "BEGIN")
	if _, err := countUntilError(ctx, conn, q, pgx.QueryExecModeSimpleProtocol); sqlstate(err) != "22012" {
		t.Fatalf("in block: %v", err)
	}
	if _, err := conn.Exec(ctx, "SELECT 1"); sqlstate(err) != "25P02" {
		t.Errorf("after the error in the block: %v; want 25P02", err)
	}
	mustExec(t, conn, "ROLLBACK")
	var one int
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Errorf("after ROLLBACK: %d, %v", one, err)
	}
}

// TestStreamStatementTimeout checks that statement_timeout and a cancel
// request still stop a streaming SELECT.
func TestStreamStatementTimeout(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t, Config{})
	conn := ts.connect(t)
	mustExec(t, conn, "SET statement_timeout = '200ms'")
	start := time.Now()
	_, err := countUntilError(ctx, conn, "SELECT g FROM generate_series(1, 1000000000) g", pgx.QueryExecModeSimpleProtocol)
	if sqlstate(err) != "57014" {
		t.Fatalf("err = %v; want 57014", err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("timeout took %v", d)
	}
	mustExec(t, conn, "SET statement_timeout = 0")
	cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	_, err = countUntilError(cctx, conn, "SELECT g FROM generate_series(1, 1000000000) g", pgx.QueryExecModeSimpleProtocol)
	if err == nil {
		t.Fatal("canceled query succeeded")
	}
}

// TestStreamClientGone checks that a client that disconnects in the middle
// of a streamed result ends its session and transaction.
func TestStreamClientGone(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t, Config{})
	setup := ts.connect(t)
	mustExec(t, setup, "CREATE TABLE k (id int PRIMARY KEY, v int)")
	mustExec(t, setup, "INSERT INTO k VALUES (1, 0)")
	before := ts.srv.ActiveConnections()

	conn, err := pgx.Connect(ctx, ts.url("aspen", ""))
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, conn, "BEGIN")
	mustExec(t, conn, "UPDATE k SET v = 1 WHERE id = 1")
	rows, err := conn.Query(ctx, "SELECT g, repeat('w', 100) FROM generate_series(1, 1000000000) g", pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 1000 && rows.Next(); i++ {
	}
	// Drop the connection without a word.
	conn.PgConn().Conn().Close()
	waitFor(t, func() bool { return ts.srv.ActiveConnections() == before })

	// The transaction was rolled back: its update is gone, and the row can
	// be changed.
	mustExec(t, setup, "UPDATE k SET v = 2 WHERE id = 1")
	var v int
	if err := setup.QueryRow(ctx, "SELECT v FROM k WHERE id = 1").Scan(&v); err != nil || v != 2 {
		t.Errorf("v = %d, %v; want 2", v, err)
	}
}
