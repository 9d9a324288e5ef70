package planner

// Tests of ANALYZE's statistics, join ordering and decorrelated
// subqueries: plans (EXPLAIN) and results, which must not change when
// the planner reorders (the golden file joinorder.sql checks them
// against PostgreSQL).

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aspen-db/aspen/layers/pubsub"
	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/planner/types"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

// joSetup creates three tables of very different sizes: jb (big) joins
// jm (middle) on jb.k = jm.id, jm joins js (small) on jm.k = js.id.
func joSetup(t testing.TB, s *Session, big int) {
	t.Helper()
	for _, q := range []string{
		"CREATE TABLE jb (id int PRIMARY KEY, k int, v text, k2 int)",
		"CREATE TABLE jm (id int PRIMARY KEY, k int)",
		"CREATE TABLE js (id int PRIMARY KEY, name text NOT NULL)",
		fmt.Sprintf("INSERT INTO jb SELECT g, g %% 1000, 'v' || g, g %% 20 FROM generate_series(1, %d) g", big),
		"INSERT INTO jm SELECT g, g % 100 FROM generate_series(1, 1000) g",
		"INSERT INTO js SELECT g, 'n' || g FROM generate_series(1, 3) g",
	} {
		if _, err := s.Exec(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// explain returns the plan lines of EXPLAIN sql.
func explain(t testing.TB, s *Session, sql string) string {
	t.Helper()
	res, err := s.Exec(context.Background(), "EXPLAIN "+sql)
	if err != nil {
		t.Fatalf("EXPLAIN %s: %v", sql, err)
	}
	var lines []string
	for _, r := range res[0].Rows {
		lines = append(lines, r[0].Str())
	}
	return strings.Join(lines, "\n")
}

// sortedRun runs sql and renders its rows sorted, so that results can be
// compared whatever order the plan produces them in.
func sortedRun(t testing.TB, s *Session, sql string) string {
	t.Helper()
	out := strings.Split(strings.TrimSuffix(run(t, s, sql), "\n"), "\n")
	if len(out) > 2 {
		body := out[1 : len(out)-1]
		sort.Strings(body)
	}
	return strings.Join(out, "\n")
}

// withPlanner runs fn with join ordering and decorrelation set as given.
func withPlanner(reorder, decorrelate bool, fn func()) {
	r, d := joinReorderEnabled, decorrelateEnabled
	joinReorderEnabled, decorrelateEnabled = reorder, decorrelate
	defer func() { joinReorderEnabled, decorrelateEnabled = r, d }()
	fn()
}

// TestJoinOrderPlans checks the order and join kinds EXPLAIN shows.
func TestJoinOrderPlans(t *testing.T) {
	s := newTestEngine(t).NewSession()
	joSetup(t, s, 5000)
	run(t, s, "ANALYZE")
	tests := []struct {
		name, sql string
		want      []string // substrings of the plan, in order
	}{
		{"from list: small pair first, big side probes",
			"SELECT count(*) FROM jb, jm, js WHERE jb.k = jm.id AND jm.k = js.id",
			[]string{"Hash Join", "Hash Cond: (jb.k = jm.id)", "Seq Scan on jb", "Hash", "Hash Join", "Hash Cond: (jm.k = js.id)", "Seq Scan on jm", "Hash", "Seq Scan on js"}},
		{"explicit joins written big first",
			"SELECT jb.id, js.name FROM jb JOIN jm ON jb.k = jm.id JOIN js ON jm.k = js.id",
			[]string{"Hash Cond: (jb.k = jm.id)", "Seq Scan on jb", "Hash Cond: (jm.k = js.id)", "Seq Scan on jm", "Seq Scan on js"}},
		{"written small last: same plan",
			"SELECT count(*) FROM js JOIN jm ON jm.k = js.id JOIN jb ON jb.k = jm.id",
			[]string{"Hash Cond: (jb.k = jm.id)", "Seq Scan on jb", "Hash Cond: (jm.k = js.id)", "Seq Scan on jm", "Seq Scan on js"}},
		{"two analyzed tables: the smaller is hashed",
			"SELECT js.name, jb.v FROM js JOIN jb ON jb.k = js.id",
			[]string{"Hash Join", "Hash Cond: (jb.k = js.id)", "Seq Scan on jb", "Hash", "Seq Scan on js"}},
		{"exists becomes a semi-join",
			"SELECT * FROM jm WHERE EXISTS (SELECT 1 FROM jb WHERE jb.k = jm.id AND jb.v <> 'x')",
			[]string{"Hash Semi Join", "Hash Cond: (jm.id = jb.k)", "Seq Scan on jm", "Hash", "Seq Scan on jb", "Filter: (jb.v <> 'x'::text)"}},
		{"not exists becomes an anti-join",
			"SELECT count(*) FROM jm WHERE NOT EXISTS (SELECT 1 FROM jb WHERE jb.k = jm.id)",
			[]string{"Hash Anti Join", "Hash Cond: (jm.id = jb.k)"}},
		{"correlated in becomes a semi-join",
			"SELECT count(*) FROM jm WHERE jm.k IN (SELECT js.id FROM js WHERE js.name <> jm.k::text)",
			[]string{"Hash Semi Join", "Hash Cond: (jm.k = js.id)", "Join Filter:"}},
		{"not in over NOT NULL columns becomes an anti-join",
			"SELECT count(*) FROM js WHERE js.id NOT IN (SELECT jm.id FROM jm WHERE jm.k = js.id)",
			[]string{"Hash Anti Join"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := explain(t, s, tt.sql)
			rest := plan
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("plan lacks %q (in order):\n%s", w, plan)
				}
				rest = rest[i+len(w):]
			}
		})
	}
	// NOT IN over a nullable column keeps the per-row subquery.
	if plan := explain(t, s, "SELECT count(*) FROM jb WHERE jb.k NOT IN (SELECT jm.k FROM jm WHERE jm.id = jb.id)"); strings.Contains(plan, "Anti") {
		t.Errorf("NOT IN over nullable columns became an anti-join:\n%s", plan)
	}
	// EXPLAIN ANALYZE runs the reordered plan.
	if plan := explain(t, s, "ANALYZE SELECT count(*) FROM jb, jm, js WHERE jb.k = jm.id AND jm.k = js.id"); !strings.HasPrefix(plan, "Aggregate (actual time=") ||
		!strings.Contains(plan, "rows=1 loops=1)") || !strings.Contains(plan, "Hash Cond: (jm.k = js.id)") {
		t.Errorf("EXPLAIN ANALYZE:\n%s", plan)
	}
	// A few rows probing a big table by key keep the per-row subquery.
	if plan := explain(t, s, "SELECT * FROM js WHERE EXISTS (SELECT 1 FROM jb WHERE jb.id = js.id)"); strings.Contains(plan, "Semi") {
		t.Errorf("a keyed subquery over few rows became a semi-join:\n%s", plan)
	}
	if plan := explain(t, s, "SELECT * FROM jm WHERE EXISTS (SELECT 1 FROM js WHERE js.id = jm.k)"); !strings.Contains(plan, "Hash Semi Join") {
		t.Errorf("not a semi-join:\n%s", plan)
	}
	// An outer join is not reordered across: the left join stays on top.
	plan := explain(t, s, "SELECT count(*) FROM jb JOIN jm ON jb.k = jm.id JOIN js ON jm.k = js.id LEFT JOIN jm m2 ON m2.id = js.id")
	if !strings.Contains(plan, "Hash Left Join") || strings.Index(plan, "Hash Left Join") > strings.Index(plan, "Hash Join") {
		t.Errorf("left join moved:\n%s", plan)
	}
}

// TestJoinOrderSameResults runs queries with the planner's join ordering
// and decorrelation on and off: the rows are the same.
func TestJoinOrderSameResults(t *testing.T) {
	s := newTestEngine(t).NewSession()
	joSetup(t, s, 1000)
	run(t, s, "CREATE TABLE jn (a int, b int); INSERT INTO jn VALUES (1, 1), (2, NULL), (NULL, 3), (3, 3), (NULL, NULL)")
	queries := []string{
		"SELECT * FROM jb, jm, js WHERE jb.k = jm.id AND jm.k = js.id",
		"SELECT js.name, jb.* FROM js JOIN jm ON jm.k = js.id JOIN jb ON jb.k = jm.id WHERE jb.id % 7 = 1",
		"SELECT * FROM jb JOIN jm ON jb.k = jm.id JOIN js ON jm.k = js.id LEFT JOIN jn ON jn.a = js.id",
		"SELECT * FROM js LEFT JOIN jn ON jn.a = js.id JOIN jm ON jm.k = js.id JOIN jb ON jb.k = jm.id AND jb.id < 500",
		"SELECT count(*) FROM jb, jm, js, jn WHERE jb.k = jm.id AND jm.k = js.id AND jn.b = js.id",
		"SELECT * FROM jn a, jn b, jn c WHERE a.a = b.b AND b.a = c.a",
		"SELECT * FROM jn a, jn b, js WHERE a.a < b.b AND js.id = b.a",
		"SELECT * FROM jm WHERE EXISTS (SELECT 1 FROM jb WHERE jb.k = jm.id AND jb.v LIKE '%1')",
		"SELECT * FROM jm WHERE NOT EXISTS (SELECT 1 FROM jb WHERE jb.k = jm.id AND jb.id < 1500)",
		"SELECT * FROM jn WHERE EXISTS (SELECT 1 FROM jn j2 WHERE j2.a = jn.b)",
		"SELECT * FROM jn WHERE NOT EXISTS (SELECT 1 FROM jn j2 WHERE j2.a = jn.b AND j2.b > jn.a)",
		"SELECT * FROM jn WHERE jn.a IN (SELECT j2.b FROM jn j2 WHERE j2.a = jn.a)",
		"SELECT * FROM jn WHERE jn.a NOT IN (SELECT j2.b FROM jn j2 WHERE j2.a = jn.b)",
		"SELECT * FROM js WHERE js.id NOT IN (SELECT jm.id FROM jm WHERE jm.k = js.id - 1)",
		"SELECT * FROM jm, js WHERE jm.k = js.id AND EXISTS (SELECT 1 FROM jb, jn WHERE jb.k = jm.id AND jn.a = js.id)",
		"SELECT * FROM jm WHERE EXISTS (SELECT 1 FROM jb JOIN js ON js.id = jb.id WHERE jb.k = jm.id)",
		"SELECT * FROM js, jm WHERE js.id = jm.k AND jm.id < 50",
		"SELECT jm.k, count(*), sum(jm.id) FROM jm WHERE EXISTS (SELECT 1 FROM jb WHERE jb.k = jm.id) GROUP BY jm.k HAVING count(*) > 1",
		"SELECT DISTINCT jm.k FROM jm WHERE NOT EXISTS (SELECT 1 FROM jb WHERE jb.k = jm.id)",
		"SELECT jm.id, rank() OVER (PARTITION BY jm.k ORDER BY jm.id) FROM jm WHERE jm.id < 300 AND EXISTS (SELECT 1 FROM jb WHERE jb.k = jm.id)",
		"SELECT * FROM (SELECT jm.id FROM jm WHERE EXISTS (SELECT 1 FROM jb WHERE jb.k = jm.id) ORDER BY jm.id DESC LIMIT 5) x",
		"SELECT * FROM jm WHERE jm.id < 20 AND EXISTS (SELECT 1 FROM jb WHERE jb.k = jm.id) FOR UPDATE",
		"SELECT jm.id, (SELECT count(*) FROM jb WHERE jb.k = jm.id) FROM jm WHERE EXISTS (SELECT 1 FROM js WHERE js.id = jm.k)",
		"SELECT * FROM js WHERE EXISTS (SELECT 1 FROM jm WHERE jm.k = js.id AND EXISTS (SELECT 1 FROM jb WHERE jb.k = jm.id AND jb.id > js.id * 100))",
		"SELECT * FROM js WHERE EXISTS (SELECT 1 FROM jm WHERE jm.k = js.id AND EXISTS (SELECT 1 FROM jb WHERE jb.k = jm.id AND jb.id > 900))",
		"WITH c AS (SELECT * FROM jm WHERE jm.id < 100) SELECT count(*) FROM c WHERE EXISTS (SELECT 1 FROM jb WHERE jb.k = c.id)",
		"SELECT * FROM jn a1, jn a2, jn a3, jn a4, jn a5, jn a6, jn a7, jn a8, jn a9, js WHERE a1.a = a2.a AND a2.a = a3.b AND a3.a = a4.a " +
			"AND a4.b = a5.b AND a5.a = a6.a AND a6.a = a7.a AND a7.b = a8.b AND a8.a = a9.a AND a9.a = js.id",
		"SELECT count(*) FROM jm a1, jm a2, js, jn, jm a3 WHERE a1.id = a2.k AND a2.id = js.id AND jn.a = a1.k AND a3.id = jn.b + 10",
		"SELECT js.*, jb.v FROM js JOIN jb ON jb.k = js.id",
	}
	for i, q := range queries {
		if i == len(queries)-2 {
			run(t, s, "ANALYZE")
		}
		var on, off string
		withPlanner(true, true, func() { on = sortedRun(t, s, q) })
		withPlanner(false, false, func() { off = sortedRun(t, s, q) })
		if on != off {
			t.Errorf("%s\n--- planned:\n%s\n--- as written:\n%s", q, on, off)
		}
		if strings.Contains(on, "ERROR") {
			t.Errorf("%s: %s", q, on)
		}
	}
}

// TestAnalyzeStatsPersist checks that ANALYZE's statistics are in the
// store: another session sees them, they survive reopening the store,
// ANALYZE of some columns keeps the others', and DROP TABLE removes them.
func TestAnalyzeStatsPersist(t *testing.T) {
	dir := t.TempDir()
	muts := pubsub.Mutations()
	maps.Copy(muts, Mutations())
	store := raftstoretest.Open(t, dir, muts)
	eng := NewEngine(store)
	s := eng.NewSession()
	runSteps(t, s, []step{
		{"CREATE TABLE st (a int, b text, c int); INSERT INTO st SELECT g, CASE WHEN g % 4 = 0 THEN NULL ELSE 'x' || (g % 10) END, g % 3 FROM generate_series(1, 400) g",
			"CREATE TABLE\nINSERT 0 400\n"},
		{"SELECT reltuples FROM pg_class WHERE relname = 'st'", "reltuples:700\n-1\nSELECT 1\n"},
		{"BEGIN; ANALYZE st; ROLLBACK", "BEGIN\nANALYZE\nROLLBACK\n"},
		{"SELECT reltuples FROM pg_class WHERE relname = 'st'", "reltuples:700\n-1\nSELECT 1\n"},
		{"ANALYZE st (a, b)", "ANALYZE\n"},
	})
	other := eng.NewSession()
	want := "attname:19 | null_frac:700 | n_distinct:700\na | 0 | -1\nb | 0.25 | 10\nSELECT 2\n"
	runSteps(t, other, []step{
		{"SELECT reltuples FROM pg_class WHERE relname = 'st'", "reltuples:700\n400\nSELECT 1\n"},
		{"SELECT attname, null_frac, n_distinct FROM pg_stats WHERE tablename = 'st' ORDER BY attname", want},
	})
	s.Close()
	other.Close()
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	store = raftstoretest.Open(t, dir, muts)
	s = NewEngine(store).NewSession()
	runSteps(t, s, []step{
		{"SELECT attname, null_frac, n_distinct FROM pg_stats WHERE tablename = 'st' ORDER BY attname", want},
		{"INSERT INTO st SELECT g, NULL, 7 FROM generate_series(401, 600) g; ANALYZE st (c)", "INSERT 0 200\nANALYZE\n"},
		{"SELECT attname, n_distinct FROM pg_stats WHERE tablename = 'st' ORDER BY attname",
			"attname:19 | n_distinct:700\na | -1\nb | 10\nc | 4\nSELECT 3\n"},
		{"SELECT reltuples FROM pg_class WHERE relname = 'st'", "reltuples:700\n600\nSELECT 1\n"},
		{"VACUUM ANALYZE st", "VACUUM\n"},
		{"SELECT attname, null_frac FROM pg_stats WHERE tablename = 'st' ORDER BY attname",
			"attname:19 | null_frac:700\na | 0\nb | 0.5\nc | 0\nSELECT 3\n"},
		{"DROP TABLE st; CREATE TABLE st (a int)", "DROP TABLE\nCREATE TABLE\n"},
		{"SELECT count(*) FROM pg_stats WHERE tablename = 'st'", "count:20\n0\nSELECT 1\n"},
	})
}

// TestJoinOrderFewerRows shows what the order saves: the written order
// of jb JOIN jm JOIN js first makes the big jb ⋈ jm result (every jb row
// matches 10 jm rows), the chosen one the tiny jm ⋈ js result; the
// planned query is faster.
func TestJoinOrderFewerRows(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	s := newTestEngine(t).NewSession()
	joSetup(t, s, 20000)
	run(t, s, "ANALYZE")
	q := "SELECT count(*) FROM jb JOIN jm ON jb.k2 = jm.k JOIN js ON jm.id = js.id"
	written := run(t, s, "SELECT count(*) FROM jb JOIN jm ON jb.k2 = jm.k")
	chosen := run(t, s, "SELECT count(*) FROM jm JOIN js ON jm.id = js.id")
	t.Logf("intermediate rows: written order %q, chosen order %q", written, chosen)
	if !strings.Contains(written, "\n200000\n") || !strings.Contains(chosen, "\n3\n") {
		t.Fatalf("unexpected intermediate sizes: %q, %q", written, chosen)
	}
	plan := explain(t, s, q)
	if strings.Index(plan, "jm.id = js.id") < strings.Index(plan, "jb.k2 = jm.k") {
		t.Fatalf("the small pair is not joined first:\n%s", plan)
	}
	timeIt := func() time.Duration {
		start := time.Now()
		for range 3 {
			if out := run(t, s, q); !strings.Contains(out, "\n3000\n") {
				t.Fatalf("result %q", out)
			}
		}
		return time.Since(start) / 3
	}
	var on, off time.Duration
	withPlanner(true, true, func() { on = timeIt() })
	withPlanner(false, true, func() { off = timeIt() })
	t.Logf("3-way join of 20000 x 1000 x 3 rows: planned %v, as written %v (%.1fx)", on, off, float64(off)/float64(on))
}

// TestDecorrelateSpeed compares a correlated EXISTS run per row with the
// semi-join it becomes.
func TestDecorrelateSpeed(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	s := newTestEngine(t).NewSession()
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("ASPEN_DECORRELATE_ROWS")); err == nil && v > 0 && v <= 100000 {
		n = v
	}
	run(t, s, fmt.Sprintf("CREATE TABLE dco (id int PRIMARY KEY, k int); CREATE TABLE dci (id int PRIMARY KEY, k int);"+
		"INSERT INTO dco SELECT g, g FROM generate_series(1, %d) g; INSERT INTO dci SELECT g, g * 2 FROM generate_series(1, %d) g", n, n))
	for _, q := range []string{
		"SELECT count(*) FROM dco WHERE EXISTS (SELECT 1 FROM dci WHERE dci.k = dco.k)",
		"SELECT count(*) FROM dco WHERE NOT EXISTS (SELECT 1 FROM dci WHERE dci.k = dco.k)",
		"SELECT count(*) FROM dco WHERE dco.id IN (SELECT dci.k FROM dci WHERE dci.id = dco.id)",
	} {
		var on, off string
		var ton, toff time.Duration
		withPlanner(true, true, func() {
			start := time.Now()
			on = run(t, s, q)
			ton = time.Since(start)
		})
		withPlanner(true, false, func() {
			start := time.Now()
			off = run(t, s, q)
			toff = time.Since(start)
		})
		if on != off {
			t.Errorf("%s: %q decorrelated, %q per row", q, on, off)
		}
		t.Logf("%s (%d x %d rows): semi/anti-join %v, per row %v (%.0fx)", q, n, n, ton, toff, float64(toff)/float64(ton))
	}
}

// TestSemiJoinMemoryFallback: a semi-join whose subquery side does not fit
// in memory runs the subquery per row instead, with the same result.
func TestSemiJoinMemoryFallback(t *testing.T) {
	s := newTestEngine(t).NewSession()
	joSetup(t, s, 3000)
	queries := []string{
		"SELECT count(*) FROM jm WHERE EXISTS (SELECT 1 FROM jb WHERE jb.k = jm.id)",
		"SELECT count(*) FROM jm WHERE NOT EXISTS (SELECT 1 FROM jb WHERE jb.k = jm.id AND jb.v > jm.id::text)",
		"SELECT count(*) FROM jm WHERE EXISTS (SELECT 1 FROM jb JOIN js ON js.id = jb.k % 3 + 1 WHERE jb.k = jm.id)",
	}
	want := map[string]string{}
	for _, q := range queries {
		want[q] = run(t, s, q)
	}
	saved := maxQueryMemory
	maxQueryMemory = 64 << 10
	defer func() { maxQueryMemory = saved }()
	for _, q := range queries {
		if !strings.Contains(explain(t, s, q), "Semi Join") && !strings.Contains(explain(t, s, q), "Anti Join") {
			t.Errorf("%s: not decorrelated", q)
		}
		if got := run(t, s, q); got != want[q] {
			t.Errorf("%s with little memory: %q, want %q", q, got, want[q])
		}
	}
}

// TestColumnStatsEstimates checks the distinct-count estimates from a
// sample of a bigger table.
func TestColumnStatsEstimates(t *testing.T) {
	tests := []struct {
		name     string
		total    int64
		value    func(i int) types.Value
		min, max float64 // bounds of the estimated distinct count
	}{
		{"unique", 100000, func(i int) types.Value { return types.NewInt(types.Int4, int64(i)) }, 100000, 100000},
		{"few values", 100000, func(i int) types.Value { return types.NewInt(types.Int4, int64(i%10)) }, 10, 10},
		{"half nulls", 100000, func(i int) types.Value {
			if i%2 == 0 {
				return types.Null
			}
			return types.NewInt(types.Int4, int64(i%500))
		}, 250, 250},
		{"many values", 100000, func(i int) types.Value { return types.NewInt(types.Int4, int64(i*7919)%20000) }, 10000, 30000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sample [][]types.Value
			nulls := 0
			// A random sample of the table's rows, as ANALYZE's
			// reservoir takes it.
			rows := rand.New(rand.NewPCG(1, 2)).Perm(int(tt.total))[:statsSampleRows]
			for _, i := range rows {
				v := tt.value(i)
				if v.IsNull() {
					nulls++
				}
				sample = append(sample, []types.Value{v})
			}
			cs := sqlrows.ColumnStats{NullFrac: float64(nulls) / statsSampleRows}
			columnStats(&cs, sample, 0, tt.total, 4)
			got := ndistinct(&cs, float64(tt.total))
			if got < tt.min || got > tt.max {
				t.Errorf("n_distinct %v gives %v distinct values, want [%v, %v]", cs.Distinct, got, tt.min, tt.max)
			}
			if cs.AvgWidth != 4 {
				t.Errorf("avg_width %d", cs.AvgWidth)
			}
		})
	}
}
