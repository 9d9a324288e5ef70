package planner

// Tests of index-only reads and unique point lookups (index_only.go):
// results equal those of reading every row, EXPLAIN names them as
// PostgreSQL does, and reads through index entries still conflict with
// concurrent changes of the rows.

import (
	"context"
	"strings"
	"testing"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// bothWays runs sql with index-only reads on and off and fails unless
// the two renderings are equal; it returns the rendering.
func bothWays(t *testing.T, s *Session, sql string) string {
	t.Helper()
	fast := run(t, s, sql)
	indexReadsPlain.Store(true)
	plain := run(t, s, sql)
	indexReadsPlain.Store(false)
	if fast != plain {
		t.Errorf("%s:\nindex-only:\n%s\nrow reads:\n%s", sql, fast, plain)
	}
	return fast
}

const indexOnlySetup = `CREATE TABLE io (id int PRIMARY KEY, a int, b text, c numeric, d bpchar(4), e float8, f varchar(5));
CREATE INDEX io_a ON io (a);
CREATE UNIQUE INDEX io_b ON io (b);
CREATE INDEX io_ab ON io (a, b);
CREATE INDEX io_c ON io (c);
CREATE INDEX io_d ON io (d);
CREATE INDEX io_e ON io (e);
CREATE UNIQUE INDEX io_f ON io (f);
INSERT INTO io VALUES
 (1, 10, 'x', 1.50, 'ab', -0.0, 'p'),
 (2, 10, 'y', 1.5, 'ab  ', 0.0, 'q'),
 (3, 20, NULL, 2.000, 'cd', 2.5, NULL),
 (4, NULL, 'z', NULL, NULL, NULL, NULL),
 (5, NULL, NULL, 3, 'e', 'NaN', 'r'),
 (6, 30, 'w', 4.25, 'f', 1e10, 's')`

// indexOnlyQueries read through each kind of index access: covering by
// the indexed columns, by the primary key, or not at all; unique point
// lookups; multi-column indexes; columns whose key is normalised.
var indexOnlyQueries = []string{
	"SELECT id FROM io WHERE a = 10 ORDER BY id",
	"SELECT a FROM io WHERE a = 10",
	"SELECT a, id FROM io WHERE a > 5 ORDER BY a, id",
	"SELECT id, a, b FROM io WHERE a = 10 AND b = 'y'",
	"SELECT b FROM io WHERE b = 'x'",
	"SELECT id, b FROM io WHERE b = 'z'",
	"SELECT * FROM io WHERE b = 'w'",
	"SELECT id FROM io WHERE b = 'nope'",
	"SELECT b, id FROM io WHERE b IN ('x', 'z', 'nope') ORDER BY b",
	"SELECT c FROM io WHERE c = 1.5 ORDER BY id",
	"SELECT c, id FROM io WHERE c >= 2 ORDER BY c",
	"SELECT d, id FROM io WHERE d = 'ab' ORDER BY id",
	"SELECT e, id FROM io WHERE e = 0 ORDER BY id",
	"SELECT f, id FROM io WHERE f = 'q'",
	"SELECT id, f FROM io WHERE f IN ('p', 's') ORDER BY f",
	"SELECT a FROM io ORDER BY a",
	"SELECT a, id FROM io WHERE a < 25 ORDER BY a",
	"SELECT count(*) FROM io WHERE a = 10",
	"SELECT id + a FROM io WHERE a = 20",
	"SELECT id FROM io WHERE a = 10 AND id > 1",
	"SELECT id FROM io WHERE a = 10 AND e > 0",
	"SELECT b FROM io WHERE a = 10 AND b IS NOT NULL ORDER BY b",
	"SELECT id FROM io WHERE a IS NULL ORDER BY id",
	"SELECT io.id, io2.b FROM io JOIN io io2 ON io.id = io2.id WHERE io.a = 10 AND io2.b = 'x'",
	"SELECT id FROM io WHERE a = 10 FOR UPDATE",
}

func TestIndexOnlyMatchesRowReads(t *testing.T) {
	eng := newTestEngine(t)
	s := eng.NewSession()
	if out := run(t, s, indexOnlySetup); strings.Contains(out, "ERROR") {
		t.Fatalf("setup: %s", out)
	}
	for _, q := range indexOnlyQueries {
		bothWays(t, s, q)
	}
	// Spot checks of values whose index key differs from the value.
	for _, c := range []struct{ sql, want string }{
		{"SELECT c FROM io WHERE c = 1.5 ORDER BY id", "c:1700\n1.50\n1.5\nSELECT 2\n"},
		{"SELECT id, b FROM io WHERE b = 'z'", "id:23 | b:25\n4 | z\nSELECT 1\n"},
		{"SELECT a FROM io WHERE a = 10", "a:23\n10\n10\nSELECT 2\n"},
		{"SELECT f, id FROM io WHERE f = 'q'", "f:1043(9) | id:23\nq | 2\nSELECT 1\n"},
	} {
		if got := run(t, s, c.sql); got != c.want {
			t.Errorf("%s: got\n%s\nwant\n%s", c.sql, got, c.want)
		}
	}

	// Inside a transaction, over the session's own uncommitted writes.
	for _, step := range []string{
		"BEGIN",
		"INSERT INTO io VALUES (7, 10, 'v', 7, 'g', 7, 't'), (8, NULL, 'u', NULL, NULL, NULL, NULL)",
		"UPDATE io SET a = 40, b = 'yy' WHERE id = 2",
		"DELETE FROM io WHERE id = 6",
		"UPDATE io SET b = 'w' WHERE id = 1",
		// Writes that find their row by a unique point lookup.
		"UPDATE io SET e = 9 WHERE b = 'z'",
		"DELETE FROM io WHERE b = 'v'",
		"UPDATE io SET c = 8 WHERE b = 'nope'",
	} {
		if out := run(t, s, step); strings.Contains(out, "ERROR") {
			t.Fatalf("%s: %s", step, out)
		}
		for _, q := range indexOnlyQueries {
			bothWays(t, s, q)
		}
	}
	for _, c := range []struct{ sql, want string }{
		{"SELECT id FROM io WHERE b = 'w'", "id:23\n1\nSELECT 1\n"},
		{"SELECT id FROM io WHERE b = 'x'", "id:23\nSELECT 0\n"},
		{"SELECT a, b FROM io WHERE b = 'yy'", "a:23 | b:25\n40 | yy\nSELECT 1\n"},
		{"SELECT id, e FROM io WHERE b = 'z'", "id:23 | e:701\n4 | 9\nSELECT 1\n"},
		{"SELECT id FROM io WHERE a = 10 OR b = 'v' ORDER BY id", "id:23\n1\nSELECT 1\n"},
	} {
		if got := run(t, s, c.sql); got != c.want {
			t.Errorf("in transaction: %s: got\n%s\nwant\n%s", c.sql, got, c.want)
		}
	}
	run(t, s, "ROLLBACK")
	for _, q := range indexOnlyQueries {
		bothWays(t, s, q)
	}
}

func TestIndexOnlyExplain(t *testing.T) {
	eng := newTestEngine(t)
	s := eng.NewSession()
	if out := run(t, s, indexOnlySetup); strings.Contains(out, "ERROR") {
		t.Fatalf("setup: %s", out)
	}
	for _, c := range []struct {
		sql  string
		want string // first line of the plan
	}{
		{"EXPLAIN (COSTS OFF) SELECT a FROM io WHERE a = 10", "Index Only Scan using io_a on io"},
		{"EXPLAIN (COSTS OFF) SELECT b FROM io WHERE b = 'x'", "Index Only Scan using io_b on io"},
		// PostgreSQL's index entries do not hold the primary key.
		{"EXPLAIN (COSTS OFF) SELECT id FROM io WHERE a = 10", "Index Scan using io_a on io"},
		{"EXPLAIN (COSTS OFF) SELECT a, c FROM io WHERE a = 10", "Index Scan using io_a on io"},
		// A numeric's index key loses its scale: the row is read.
		{"EXPLAIN (COSTS OFF) SELECT c FROM io WHERE c = 1.5", "Index Scan using io_c on io"},
		{"EXPLAIN (COSTS OFF) SELECT a FROM io WHERE a = 10 FOR UPDATE", "Index Scan using io_a on io"},
	} {
		got := run(t, s, c.sql)
		lines := strings.Split(got, "\n")
		if len(lines) < 2 || strings.TrimSpace(lines[1]) != c.want {
			t.Errorf("%s: got\n%s\nwant first line %q", c.sql, got, c.want)
		}
	}
	got := run(t, s, "EXPLAIN (FORMAT JSON, COSTS OFF) SELECT a FROM io WHERE a = 10")
	for _, want := range []string{`"Node Type": "Index Only Scan"`, `"Scan Direction": "Forward"`, `"Index Name": "io_a"`, `"Relation Name": "io"`} {
		if !strings.Contains(got, want) {
			t.Errorf("JSON plan lacks %s:\n%s", want, got)
		}
	}
}

// TestIndexOnlyConflict: a transaction that read through index entries
// alone (or a unique point lookup) and then writes fails with 40001 when
// another transaction changed what it read in between.
func TestIndexOnlyConflict(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name, read, change string
	}{
		{"update indexed column", "SELECT id FROM acct WHERE k = 5", "UPDATE acct SET k = 6 WHERE id = 1"},
		{"delete", "SELECT id FROM acct WHERE k = 5", "DELETE FROM acct WHERE id = 1"},
		{"insert matching", "SELECT id FROM acct WHERE k = 7", "INSERT INTO acct VALUES (3, 7, 0, 'c')"},
		{"unique point update", "SELECT id FROM acct WHERE u = 'a'", "UPDATE acct SET u = 'b2' WHERE id = 1"},
		{"unique point insert", "SELECT id FROM acct WHERE u = 'c'", "INSERT INTO acct VALUES (3, 9, 0, 'c')"},
		{"unique point delete", "SELECT u FROM acct WHERE u = 'a'", "DELETE FROM acct WHERE id = 1"},
		{"for update, other column", "SELECT id FROM acct WHERE k = 5 FOR UPDATE", "UPDATE acct SET v = v + 1 WHERE id = 1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			eng := newTestEngine(t)
			a, b := eng.NewSession(), eng.NewSession()
			setup := "CREATE TABLE acct (id int PRIMARY KEY, k int, v int, u text); CREATE INDEX acct_k ON acct (k); CREATE UNIQUE INDEX acct_u ON acct (u); " +
				"INSERT INTO acct VALUES (1, 5, 100, 'a'), (2, 8, 100, 'b'); CREATE TABLE log (x int)"
			if out := run(t, a, setup); strings.Contains(out, "ERROR") {
				t.Fatalf("setup: %s", out)
			}
			if out := run(t, a, "BEGIN ISOLATION LEVEL SERIALIZABLE; "+c.read); strings.Contains(out, "ERROR") {
				t.Fatalf("read: %s", out)
			}
			if out := run(t, b, c.change); strings.Contains(out, "ERROR") {
				t.Fatalf("change: %s", out)
			}
			if out := run(t, a, "INSERT INTO log VALUES (1)"); strings.Contains(out, "ERROR") {
				t.Fatalf("write: %s", out)
			}
			_, err := a.Exec(ctx, "COMMIT")
			if sqlerr.Code(err) != sqlerr.SerializationFailure {
				t.Fatalf("COMMIT: err %v, want SQLSTATE 40001", err)
			}
		})
	}
	// A change of a column the index-only read did not see does not
	// conflict (the read never depended on it).
	eng := newTestEngine(t)
	a, b := eng.NewSession(), eng.NewSession()
	run(t, a, "CREATE TABLE acct (id int PRIMARY KEY, k int, v int); CREATE INDEX acct_k ON acct (k); INSERT INTO acct VALUES (1, 5, 100); CREATE TABLE log (x int)")
	run(t, a, "BEGIN; SELECT id FROM acct WHERE k = 5")
	run(t, b, "UPDATE acct SET v = 1 WHERE id = 1")
	run(t, a, "INSERT INTO log VALUES (1)")
	if _, err := a.Exec(ctx, "COMMIT"); err != nil {
		t.Fatalf("COMMIT after a change of an unread column: %v", err)
	}
}
