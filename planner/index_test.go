package planner

// Tests that secondary indexes are chosen for WHERE predicates and give
// the same rows as full scans, with the index maintained by INSERT,
// UPDATE and DELETE inside one transaction.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/aspen-db/aspen/layers"
)

// bindSelectFor binds a SELECT in a fresh read transaction.
func bindSelectFor(t *testing.T, eng *Engine, sql string) *selectPlan {
	t.Helper()
	stmts, err := parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	var p plan
	_, err = layers.Update(context.Background(), eng.kv, func(tx layers.Txn) error {
		var err error
		p, _, err = eng.bindStmt(stmts[0], tx, nil, identity{})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sp, ok := p.(*selectPlan)
	if !ok {
		t.Fatalf("%s: plan %T, want *selectPlan", sql, p)
	}
	return sp
}

func TestIndexChosen(t *testing.T) {
	eng := newTestEngine(t)
	s := eng.NewSession()
	defer s.Close()
	for _, q := range []string{
		"CREATE TABLE t (pk int PRIMARY KEY, a int, b text, c float8)",
		"CREATE INDEX t_a ON t (a)",
		"CREATE INDEX t_bc ON t (b, c)",
	} {
		if _, err := s.Exec(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		where string
		index int // 0: primary key or full scan
		eq    int
		lo    bool
		hi    bool
	}{
		{"a = 5", 1, 1, false, false},
		{"5 = a", 1, 1, false, false},
		{"a > 5 AND a <= 9", 1, 0, true, true},
		{"a BETWEEN 1 AND 3", 1, 0, true, true},
		{"a IN (1, 2)", 1, 0, false, false},
		{"b = 'x' AND c > 1.5", 2, 1, true, false},
		{"b = 'x' AND a = 3", 1, 1, false, false}, // a tie: the first index
		{"pk = 3 AND a = 5", 0, 1, false, false},
		{"a + 0 = 5", 0, 0, false, false},
		{"c = 2", 0, 0, false, false},
	}
	for _, c := range cases {
		p := bindSelectFor(t, eng, "SELECT * FROM t WHERE "+c.where)
		if p.scan.index != c.index || len(p.scan.eq) != c.eq || (p.scan.lo != nil) != c.lo || (p.scan.hi != nil) != c.hi {
			t.Errorf("WHERE %s: scan index %d eq %d lo %v hi %v; want %d %d %v %v", c.where,
				p.scan.index, len(p.scan.eq), p.scan.lo != nil, p.scan.hi != nil, c.index, c.eq, c.lo, c.hi)
		}
	}
	// ORDER BY the first column of an index reads the index in order.
	for _, c := range []struct {
		sql   string
		order int
	}{
		{"SELECT * FROM t ORDER BY a LIMIT 3", 1},
		{"SELECT pk FROM t WHERE a > 3 ORDER BY a", 1},
		{"SELECT * FROM t ORDER BY b", 2},
		{"SELECT * FROM t ORDER BY a DESC", 0},
		{"SELECT * FROM t ORDER BY a NULLS FIRST", 0},
		{"SELECT * FROM t ORDER BY a, pk", 0},
		{"SELECT * FROM t WHERE pk > 3 ORDER BY a", 0},
		{"SELECT * FROM t WHERE b = 'x' ORDER BY a", 0},
		{"SELECT * FROM t ORDER BY c", 0},
	} {
		if p := bindSelectFor(t, eng, c.sql); p.indexOrder != c.order {
			t.Errorf("%s: index order %d, want %d", c.sql, p.indexOrder, c.order)
		}
	}
	// Two equal keys in a two-column index are preferred to a range.
	if p := bindSelectFor(t, eng, "SELECT * FROM t WHERE a > 1 AND b = 'x' AND c = 2"); p.scan.index != 2 || len(p.scan.eq) != 2 {
		t.Errorf("b = 'x' AND c = 2: scan index %d eq %d, want 2 and 2", p.scan.index, len(p.scan.eq))
	}
}

// TestIndexMatchesFullScan loads random rows, changes them inside a
// transaction, and compares queries the index answers with the same
// predicates written so that no index applies.
func TestIndexMatchesFullScan(t *testing.T) {
	eng := newTestEngine(t)
	s := eng.NewSession()
	defer s.Close()
	rng := rand.New(rand.NewPCG(7, 11))
	exec := func(q string) []*Result {
		t.Helper()
		res, err := s.Exec(context.Background(), q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return res
	}
	exec("CREATE TABLE t (pk int PRIMARY KEY, a int, b int)")
	exec("CREATE INDEX t_a ON t (a)")
	exec("CREATE UNIQUE INDEX t_ba ON t (b, a)")
	val := func() string {
		if rng.IntN(8) == 0 {
			return "NULL"
		}
		return fmt.Sprint(rng.IntN(20))
	}
	for i := 0; i < 200; i++ {
		q := fmt.Sprintf("INSERT INTO t VALUES (%d, %s, %d)", i, val(), i)
		exec(q)
	}
	exec("BEGIN")
	for i := 0; i < 40; i++ {
		switch rng.IntN(3) {
		case 0:
			exec(fmt.Sprintf("UPDATE t SET a = %s WHERE pk = %d", val(), rng.IntN(200)))
		case 1:
			exec(fmt.Sprintf("DELETE FROM t WHERE a = %d", rng.IntN(20)))
		default:
			exec(fmt.Sprintf("INSERT INTO t VALUES (%d, %s, %d)", 1000+i, val(), 1000+i))
		}
	}
	check := func() {
		t.Helper()
		for i := 0; i < 30; i++ {
			x, y := rng.IntN(22)-1, rng.IntN(22)-1
			for _, pred := range []string{"a = %[1]d", "a > %[1]d", "a <= %[1]d", "a BETWEEN %[1]d AND %[2]d", "a IN (%[1]d, %[2]d, NULL)", "b = %[1]d AND a = %[2]d", "b >= %[1]d AND b < %[2]d"} {
				w := fmt.Sprintf(pred+"%.0[3]s", x, y, "")
				slow := w
				for _, col := range []string{"a", "b"} {
					slow = replaceWord(slow, col, col+" + 0")
				}
				got := render(s.Exec(context.Background(), "SELECT pk, a, b FROM t WHERE "+w+" ORDER BY pk"))
				want := render(s.Exec(context.Background(), "SELECT pk, a, b FROM t WHERE "+slow+" ORDER BY pk"))
				if got != want {
					t.Fatalf("WHERE %s:\n%s\nfull scan (WHERE %s):\n%s", w, got, slow, want)
				}
				// In index order, with LIMIT stopping the scan early.
				got = render(s.Exec(context.Background(), "SELECT pk, a FROM t WHERE "+w+" ORDER BY a LIMIT 25"))
				want = render(s.Exec(context.Background(), "SELECT pk, a FROM t WHERE "+slow+" ORDER BY a + 0 LIMIT 25"))
				if got != want {
					t.Fatalf("ORDER BY a LIMIT 25:\n%s\nsorted:\n%s", got, want)
				}
			}
		}
	}
	checkAll := func() {
		t.Helper()
		check()
		// The whole table in index order: NULLs last.
		got := render(s.Exec(context.Background(), "SELECT pk, a FROM t ORDER BY a"))
		want := render(s.Exec(context.Background(), "SELECT pk, a FROM t ORDER BY a + 0"))
		if got != want {
			t.Fatalf("ORDER BY a:\n%s\nsorted:\n%s", got, want)
		}
	}
	checkAll()
	exec("COMMIT")
	checkAll()
}

// replaceWord replaces whole-word occurrences of w in s.
func replaceWord(s, w, repl string) string {
	out := ""
	for i := 0; i < len(s); {
		if i+len(w) <= len(s) && s[i:i+len(w)] == w && (i == 0 || !isWordByte(s[i-1])) && (i+len(w) == len(s) || !isWordByte(s[i+len(w)])) {
			out += repl
			i += len(w)
			continue
		}
		out += string(s[i])
		i++
	}
	return out
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
