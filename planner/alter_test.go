package planner

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// TestAlterTableRollback checks that ALTER TABLE changes are
// transactional: inside BEGIN ... ROLLBACK every kind of change (new
// column, rewrite under a new primary key, rename, constraints) is undone,
// and the table reads as before.
func TestAlterTableRollback(t *testing.T) {
	s := newTestEngine(t).NewSession()
	runSteps(t, s, []step{
		{"CREATE TABLE r (a int, b text); INSERT INTO r VALUES (1, 'x'), (2, 'y')", "CREATE TABLE\nINSERT 0 2\n"},
		{"CREATE TABLE rp (id int PRIMARY KEY)", "CREATE TABLE\n"},
		{"BEGIN", "BEGIN\n"},
		{"ALTER TABLE r ADD COLUMN c int DEFAULT 3, ADD PRIMARY KEY (a), ADD CHECK (a > 0)", "ALTER TABLE\n"},
		{"ALTER TABLE rp ADD COLUMN x int", "ALTER TABLE\n"},
		{"ALTER TABLE r ADD FOREIGN KEY (a) REFERENCES rp", "ERROR 23503: insert or update on table \"r\" violates foreign key constraint \"r_a_fkey\" DETAIL: Key (a)=(1) is not present in table \"rp\".\n"},
		{"ROLLBACK", "ROLLBACK\n"},
		{"BEGIN", "BEGIN\n"},
		{"ALTER TABLE r ADD COLUMN c int DEFAULT 3, ADD PRIMARY KEY (a), ADD CHECK (a > 0)", "ALTER TABLE\n"},
		{"ALTER TABLE r RENAME TO r2", "ALTER TABLE\n"},
		{"SELECT * FROM r2 WHERE a = 2", "a:23 | b:25 | c:23\n2 | y | 3\nSELECT 1\n"},
		{"ROLLBACK", "ROLLBACK\n"},
		{"SELECT * FROM r ORDER BY a", "a:23 | b:25\n1 | x\n2 | y\nSELECT 2\n"},
		{"SELECT count(*) FROM pg_constraint WHERE conrelid = 'r'::regclass", "count:20\n0\nSELECT 1\n"},
		{"SELECT * FROM r2", "ERROR 42P01: relation \"r2\" does not exist (position 15)\n"},
		{"INSERT INTO r VALUES (1, 'dup allowed'), (-1, 'no check')", "INSERT 0 2\n"},
		{"SELECT * FROM rp", "id:23\nSELECT 0\n"},
	})
	// Committed changes stay, and the descriptor's storage moved.
	runSteps(t, s, []step{
		{"DELETE FROM r WHERE b = 'dup allowed'", "DELETE 1\n"},
		{"ALTER TABLE r ADD PRIMARY KEY (a)", "ALTER TABLE\n"},
		{"INSERT INTO r VALUES (2, 'again')", "ERROR 23505: duplicate key value violates unique constraint \"r_pkey\" DETAIL: Key (a)=(2) already exists.\n"},
		{"SELECT a, b FROM r ORDER BY a", "a:23 | b:25\n-1 | no check\n1 | x\n2 | y\nSELECT 3\n"},
	})
}

// TestForeignKeyConcurrency runs a child insert and a parent delete in two
// sessions at once: whichever commits second must fail with a
// serialization failure (the store sees that each read what the other
// wrote), so a child never survives without its parent.
func TestForeignKeyConcurrency(t *testing.T) {
	eng := newTestEngine(t)
	a, b := eng.NewSession(), eng.NewSession()
	runSteps(t, a, []step{
		{"CREATE TABLE fp (id int PRIMARY KEY); CREATE TABLE fc (id int PRIMARY KEY, pid int REFERENCES fp ON DELETE RESTRICT)", "CREATE TABLE\nCREATE TABLE\n"},
		{"INSERT INTO fp VALUES (1), (2)", "INSERT 0 2\n"},
	})
	for _, order := range []string{"child first", "parent first"} {
		t.Run(order, func(t *testing.T) {
			runSteps(t, a, []step{{"BEGIN", "BEGIN\n"}, {"INSERT INTO fc VALUES (1, 1)", "INSERT 0 1\n"}})
			runSteps(t, b, []step{{"BEGIN", "BEGIN\n"}, {"DELETE FROM fp WHERE id = 1", "DELETE 1\n"}})
			first, second := a, b
			if order == "parent first" {
				first, second = b, a
			}
			if _, err := first.Exec(context.Background(), "COMMIT"); err != nil {
				t.Fatalf("first commit: %v", err)
			}
			_, err := second.Exec(context.Background(), "COMMIT")
			if sqlerr.Code(err) != sqlerr.SerializationFailure {
				t.Fatalf("second commit: got %v, want a serialization failure", err)
			}
			// The survivor's effect holds, and the data is consistent.
			got := run(t, a, "SELECT count(*) FROM fc f WHERE NOT EXISTS (SELECT 1 FROM fp WHERE fp.id = f.pid)")
			if got != "count:20\n0\nSELECT 1\n" {
				t.Errorf("orphans: %s", got)
			}
			// Reset for the next order.
			run(t, a, "DELETE FROM fc")
			run(t, a, "INSERT INTO fp SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM fp WHERE id = 1)")
		})
	}
}

// TestPgbenchStyleLoad loads a table without a primary key, adds one as
// pgbench -i does, and checks that point lookups then use it.
func TestPgbenchStyleLoad(t *testing.T) {
	s := newTestEngine(t).NewSession()
	ctx := context.Background()
	if _, err := s.Exec(ctx, "CREATE TABLE pgbench_accounts (aid int NOT NULL, bid int, abalance int, filler char(84))"); err != nil {
		t.Fatal(err)
	}
	const n = 2000
	var sb strings.Builder
	for i := 1; i <= n; i++ {
		if sb.Len() > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "(%d, %d, 0, '')", i, (i-1)/100+1)
	}
	if _, err := s.Exec(ctx, "BEGIN; INSERT INTO pgbench_accounts VALUES "+sb.String()+"; COMMIT"); err != nil {
		t.Fatal(err)
	}
	runSteps(t, s, []step{
		{"EXPLAIN SELECT abalance FROM pgbench_accounts WHERE aid = 7", "QUERY PLAN:25\nSeq Scan on pgbench_accounts\n  Filter: (pgbench_accounts.aid = 7)\nEXPLAIN\n"},
		{"alter table pgbench_accounts add primary key (aid)", "ALTER TABLE\n"},
		{"EXPLAIN SELECT abalance FROM pgbench_accounts WHERE aid = 7", "QUERY PLAN:25\nIndex Scan using pgbench_accounts_pkey on pgbench_accounts\n  Index Cond: (aid = 7)\n  Filter: (pgbench_accounts.aid = 7)\nEXPLAIN\n"},
		{"SELECT aid, bid FROM pgbench_accounts WHERE aid = 1234", "aid:23 | bid:23\n1234 | 13\nSELECT 1\n"},
		{"SELECT count(*), sum(aid) FROM pgbench_accounts", fmt.Sprintf("count:20 | sum:20\n%d | %d\nSELECT 1\n", n, n*(n+1)/2)},
		{"UPDATE pgbench_accounts SET abalance = abalance + 5 WHERE aid = 1234", "UPDATE 1\n"},
		{"INSERT INTO pgbench_accounts VALUES (1234, 1, 0, '')", "ERROR 23505: duplicate key value violates unique constraint \"pgbench_accounts_pkey\" DETAIL: Key (aid)=(1234) already exists.\n"},
	})
}
