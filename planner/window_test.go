package planner

// Tests of window functions' frame edge cases (offsets past the
// partition, empty frames, NULLs in RANGE frames, exclusions, overflow of
// RANGE bounds), ntile's bucket sizes and the WindowAgg plan. Expected
// results were produced by PostgreSQL 15; the plans have PostgreSQL's
// shape in Aspen's EXPLAIN style (qualified column names).

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// windowRows runs a query and renders its rows as psql -At does.
func windowRows(t *testing.T, s *Session, sql string) string {
	t.Helper()
	res, err := s.Exec(context.Background(), sql)
	if err != nil {
		return "ERROR " + err.Error()
	}
	var lines []string
	for _, row := range res[len(res)-1].Rows {
		vals := make([]string, len(row))
		for i, v := range row {
			if v.IsNull() {
				vals[i] = "NULL"
			} else {
				vals[i] = string(v.AppendText(nil))
			}
		}
		lines = append(lines, strings.Join(vals, "|"))
	}
	return strings.Join(lines, "\n")
}

func TestWindowFrameEdges(t *testing.T) {
	s := newTestEngine(t).NewSession()
	defer s.Close()
	if _, err := s.Exec(context.Background(), "CREATE TABLE wf (id int PRIMARY KEY, g text, x int, y bigint); INSERT INTO wf VALUES (1,'a',1,1),(2,'a',2,9223372036854775807),(3,'a',2,-9223372036854775808),(4,'b',3,0),(5,'b',5,5),(6,'b',8,8),(7,'a',NULL,NULL),(8,'b',NULL,7);"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		sql, want string
	}{
		{"SELECT id, sum(x) OVER (PARTITION BY g ORDER BY x, id ROWS BETWEEN 10 PRECEDING AND 10 FOLLOWING) FROM wf ORDER BY id", `1|5
2|5
3|5
4|16
5|16
6|16
7|5
8|16`},
		{"SELECT id, sum(x) OVER (ORDER BY x, id ROWS BETWEEN 5 FOLLOWING AND 6 FOLLOWING), count(x) OVER (ORDER BY x, id ROWS BETWEEN 5 FOLLOWING AND 6 FOLLOWING) FROM wf ORDER BY id", `1|8|1
2|NULL|0
3|NULL|0
4|NULL|0
5|NULL|0
6|NULL|0
7|NULL|0
8|NULL|0`},
		{"SELECT id, sum(id) OVER (ORDER BY x ROWS BETWEEN 9223372036854775807 PRECEDING AND 9223372036854775807 FOLLOWING) FROM wf ORDER BY id", `1|36
2|36
3|36
4|36
5|36
6|36
7|36
8|36`},
		{"SELECT id, sum(id) OVER (ORDER BY x GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING), sum(id) OVER (ORDER BY x GROUPS BETWEEN 3 FOLLOWING AND 10 FOLLOWING), sum(id) OVER (ORDER BY x GROUPS BETWEEN 10 PRECEDING AND 1 PRECEDING) FROM wf ORDER BY id", `1|6|26|NULL
2|10|21|1
3|10|21|1
4|14|15|6
5|15|NULL|10
6|26|NULL|15
7|21|NULL|21
8|21|NULL|21`},
		{"SELECT id, sum(id) OVER (ORDER BY x RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING), sum(id) OVER (ORDER BY x NULLS FIRST RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING), sum(id) OVER (ORDER BY x DESC RANGE BETWEEN 1 PRECEDING AND 2 FOLLOWING) FROM wf ORDER BY id", `1|6|6|6
2|10|10|10
3|10|10|10
4|9|9|10
5|5|5|9
6|6|6|6
7|15|15|15
8|15|15|15`},
		{"SELECT id, sum(id) OVER (ORDER BY x DESC NULLS LAST RANGE BETWEEN 3 FOLLOWING AND UNBOUNDED FOLLOWING), sum(id) OVER (ORDER BY x RANGE BETWEEN UNBOUNDED PRECEDING AND 2 PRECEDING) FROM wf ORDER BY id", `1|15|NULL
2|15|NULL
3|15|NULL
4|15|1
5|21|10
6|30|15
7|15|36
8|15|36`},
		{"SELECT id, count(*) OVER (ORDER BY y RANGE BETWEEN 9223372036854775807 PRECEDING AND 1 FOLLOWING), count(*) OVER (ORDER BY y RANGE BETWEEN CURRENT ROW AND 9223372036854775807 FOLLOWING) FROM wf ORDER BY id", `1|2|5
2|6|1
3|1|1
4|2|6
5|3|4
6|5|2
7|1|1
8|5|3`},
		{"SELECT id, sum(id) OVER (ORDER BY x ROWS BETWEEN CURRENT ROW AND CURRENT ROW EXCLUDE CURRENT ROW), sum(id) OVER (ORDER BY x RANGE BETWEEN CURRENT ROW AND CURRENT ROW EXCLUDE GROUP), sum(id) OVER (ORDER BY x RANGE BETWEEN CURRENT ROW AND CURRENT ROW EXCLUDE TIES) FROM wf ORDER BY id", `1|NULL|NULL|1
2|NULL|NULL|2
3|NULL|NULL|3
4|NULL|NULL|4
5|NULL|NULL|5
6|NULL|NULL|6
7|NULL|NULL|7
8|NULL|NULL|8`},
		{"SELECT id, nth_value(id, 4) OVER (PARTITION BY g ORDER BY id), nth_value(id, 2) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW), last_value(id) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW) FROM wf ORDER BY id", `1|NULL|3|7
2|NULL|7|7
3|NULL|NULL|7
4|NULL|6|8
5|NULL|8|8
6|NULL|NULL|8
7|7|NULL|3
8|8|NULL|6`},
		{"SELECT id, sum(x) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 FOLLOWING), sum(x) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 2 PRECEDING), max(x) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), min(x) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW) FROM wf ORDER BY id", `1|3|NULL|2|2
2|5|NULL|2|1
3|8|1|3|1
4|13|3|5|1
5|21|5|8|1
6|21|8|8|1
7|21|13|8|1
8|21|21|NULL|1`},
		{"SELECT id, ntile(3) OVER (PARTITION BY g ORDER BY id), ntile(x) OVER (PARTITION BY g ORDER BY id), percent_rank() OVER (PARTITION BY g ORDER BY x), cume_dist() OVER (PARTITION BY g ORDER BY x) FROM wf ORDER BY id", `1|1|1|0|0.25
2|1|1|0.3333333333333333|0.75
3|2|1|0.3333333333333333|0.75
4|1|1|0|0.25
5|1|1|0.3333333333333333|0.5
6|2|2|0.6666666666666666|0.75
7|3|1|1|1
8|3|3|1|1`},
		{"SELECT id, lag(x, 2, -1) OVER (PARTITION BY g ORDER BY id), lead(x, -1) OVER (PARTITION BY g ORDER BY id), lead(x, 10, 0) OVER (PARTITION BY g ORDER BY id), lag(x, x) OVER (ORDER BY id) FROM wf ORDER BY id", `1|-1|NULL|0|NULL
2|-1|1|0|NULL
3|1|2|0|1
4|-1|NULL|0|1
5|-1|3|0|NULL
6|3|5|0|NULL
7|2|2|0|NULL
8|5|8|0|NULL`},
		{"SELECT g, x, avg(x) OVER (PARTITION BY g ORDER BY x RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), count(*) OVER (PARTITION BY g) FROM wf WHERE x IS NOT NULL ORDER BY g, x, id", `a|1|1.6666666666666667|3
a|2|1.6666666666666667|3
a|2|1.6666666666666667|3
b|3|5.3333333333333333|3
b|5|5.3333333333333333|3
b|8|5.3333333333333333|3`},
	}
	for _, tc := range tests {
		if got := windowRows(t, s, tc.sql); got != tc.want {
			t.Errorf("%s\n got:\n%s\nwant:\n%s", tc.sql, got, tc.want)
		}
	}
}

func TestNtileBuckets(t *testing.T) {
	tests := []struct {
		n, b int64
		want string
	}{
		{0, 3, "[]"},
		{5, 3, "[1 1 2 2 3]"},
		{2, 5, "[1 2]"},
		{7, 7, "[1 2 3 4 5 6 7]"},
		{6, 4, "[1 1 2 2 3 4]"},
		{4, 1, "[1 1 1 1]"},
	}
	for _, tc := range tests {
		if got := fmt.Sprint(ntileBuckets(tc.n, tc.b)); got != tc.want {
			t.Errorf("ntileBuckets(%d, %d) = %s, want %s", tc.n, tc.b, got, tc.want)
		}
	}
}

func TestWindowExplain(t *testing.T) {
	s := newTestEngine(t).NewSession()
	defer s.Close()
	if _, err := s.Exec(context.Background(), "CREATE TABLE wemp (id int PRIMARY KEY, dept text, salary int)"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		sql, want string
	}{
		{"select id, row_number() over (partition by dept order by salary desc), sum(salary) over () from wemp where salary > 50 order by id", `Sort
  Sort Key: wemp.id
  ->  WindowAgg
        ->  WindowAgg
              ->  Sort
                    Sort Key: wemp.dept, wemp.salary DESC
                    ->  Seq Scan on wemp
                          Filter: (wemp.salary > 50)`},
		{"select dept, rank() over (order by sum(salary)) from wemp group by dept", `WindowAgg
  ->  Sort
        Sort Key: agg
        ->  HashAggregate
              Group Key: wemp.dept
              ->  Seq Scan on wemp`},
		{"select row_number() over () from wemp", `WindowAgg
  ->  Seq Scan on wemp`},
		{"select rank() over (order by salary nulls first), rank() over (order by salary desc nulls last) , rank() over (partition by dept) from wemp", `WindowAgg
  ->  Sort
        Sort Key: wemp.salary NULLS FIRST
        ->  WindowAgg
              ->  Sort
                    Sort Key: wemp.salary DESC NULLS LAST
                    ->  WindowAgg
                          ->  Sort
                                Sort Key: wemp.dept
                                ->  Seq Scan on wemp`},
		{"select count(*) over (partition by dept order by id), count(*) over (partition by dept) from wemp", `WindowAgg
  ->  WindowAgg
        ->  Sort
              Sort Key: wemp.dept, wemp.id
              ->  Seq Scan on wemp`},
	}
	for _, tc := range tests {
		if got := windowRows(t, s, "EXPLAIN (COSTS OFF) "+tc.sql); got != tc.want {
			t.Errorf("%s\n got:\n%s\nwant:\n%s", tc.sql, got, tc.want)
		}
	}
}

// TestWindowShortcuts checks that the accumulating evaluation of
// aggregate frames (running from the partition's start, backwards to its
// end, reuse across equal frames) gives what recomputing every frame from
// its rows gives, over random data with duplicates and NULLs.
func TestWindowShortcuts(t *testing.T) {
	s := newTestEngine(t).NewSession()
	defer s.Close()
	ctx := context.Background()
	var sb strings.Builder
	sb.WriteString("CREATE TABLE wr (id int PRIMARY KEY, g int, x int, n numeric); INSERT INTO wr VALUES ")
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 120; i++ {
		if i > 0 {
			sb.WriteString(", ")
		}
		x := "NULL"
		if rng.IntN(8) > 0 {
			x = fmt.Sprint(rng.IntN(12))
		}
		fmt.Fprintf(&sb, "(%d, %d, %s, %s.5)", i, rng.IntN(3), x, fmt.Sprint(rng.IntN(50)))
	}
	if _, err := s.Exec(ctx, sb.String()); err != nil {
		t.Fatal(err)
	}
	frames := []string{
		"",
		"ORDER BY x",
		"ORDER BY x DESC",
		"ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING",
		"ORDER BY x, id ROWS BETWEEN 3 PRECEDING AND UNBOUNDED FOLLOWING",
		"ORDER BY x RANGE BETWEEN 2 PRECEDING AND UNBOUNDED FOLLOWING",
		"ORDER BY x DESC NULLS LAST RANGE BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING",
		"ORDER BY x GROUPS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING",
		"ORDER BY x GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING",
		"ORDER BY x RANGE BETWEEN 3 PRECEDING AND 1 PRECEDING",
		"ORDER BY x RANGE BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING EXCLUDE TIES",
		"ORDER BY x, id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING EXCLUDE CURRENT ROW",
	}
	for _, f := range frames {
		for _, part := range []string{"", "PARTITION BY g "} {
			w := "(" + part + f + ")"
			q := "SELECT id, count(*) OVER " + w + ", count(x) OVER " + w + ", sum(x) OVER " + w + ", min(x) OVER " + w +
				", max(n) OVER " + w + ", avg(n) OVER " + w + ", sum(x) FILTER (WHERE id % 3 = 0) OVER " + w + " FROM wr ORDER BY id"
			windowNoShortcuts = false
			fast := windowRows(t, s, q)
			windowNoShortcuts = true
			slow := windowRows(t, s, q)
			windowNoShortcuts = false
			if fast != slow {
				t.Errorf("%s: shortcut results differ from recomputation", q)
			}
			if strings.HasPrefix(fast, "ERROR") {
				t.Errorf("%s: %s", q, fast)
			}
		}
	}
}
