package planner

// Tests of join planning: equalities across a join become hash keys and
// one-table conditions move down to their table, so an index or the
// primary key can serve them.

import (
	"context"
	"testing"
)

func TestJoinPlanning(t *testing.T) {
	eng := newTestEngine(t)
	s := eng.NewSession()
	defer s.Close()
	for _, q := range []string{
		"CREATE TABLE f (id int PRIMARY KEY, d int, v int)",
		"CREATE TABLE d (id int PRIMARY KEY, name text)",
		"CREATE INDEX f_v ON f (v)",
	} {
		if _, err := s.Exec(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		sql   string
		keys  int  // hash keys of the top join
		cond  bool // a residual condition on the top join
		lscan int  // the left table's scan: -1 full, 0 primary key, n index n
		rscan int
		top   bool // a filter left above the joins
	}{
		{"SELECT * FROM f, d WHERE f.d = d.id", 1, false, -1, -1, false},
		{"SELECT * FROM f JOIN d ON f.d = d.id AND f.v = 7", 1, false, 1, -1, false},
		{"SELECT * FROM f JOIN d ON d.id = f.d WHERE d.id = 3", 1, false, -1, 0, false},
		{"SELECT * FROM f JOIN d ON f.d < d.id", 0, true, -1, -1, false},
		{"SELECT * FROM f LEFT JOIN d ON f.d = d.id AND f.v = 7", 1, true, -1, -1, false},
		{"SELECT * FROM f LEFT JOIN d ON f.d = d.id WHERE d.name IS NULL", 1, false, -1, -1, true},
		{"SELECT * FROM f, d WHERE f.d = d.id OR f.v = 1", 0, true, -1, -1, false},
		{"SELECT * FROM f, d WHERE f.v IN (SELECT id FROM d)", 0, false, -1, -1, true},
	}
	for _, c := range cases {
		p := bindSelectFor(t, eng, c.sql)
		j, ok := p.from.(*fromJoin)
		if !ok {
			t.Errorf("%s: FROM %T, want a join", c.sql, p.from)
			continue
		}
		scanOf := func(n fromNode) int {
			ft, ok := n.(*fromTable)
			if !ok || ft.scan.empty() {
				return -1
			}
			return ft.scan.index
		}
		if len(j.lkeys) != c.keys || (j.cond != nil) != c.cond || scanOf(j.left) != c.lscan || scanOf(j.right) != c.rscan || (p.filter != nil) != c.top {
			t.Errorf("%s: keys %d cond %v left scan %d right scan %d top filter %v; want %d %v %d %d %v", c.sql,
				len(j.lkeys), j.cond != nil, scanOf(j.left), scanOf(j.right), p.filter != nil, c.keys, c.cond, c.lscan, c.rscan, c.top)
		}
	}
}
