package planner

// Benchmarks of the common query shapes: scans with grouping, hash joins,
// ORDER BY ... LIMIT, and point lookups by primary key and secondary index.

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
)

var (
	perfOnce sync.Once
	perfSess *Session
	perfErr  error
)

// perfSession returns a session shared by the benchmarks below, over a
// store with table big (100k rows: id int primary key, g int, v text,
// n numeric, k int with an index) and table small (1k rows: id int primary
// key, name text). It is built once per test binary run.
func perfSession(b *testing.B) *Session {
	b.Helper()
	perfOnce.Do(func() {
		// The engine outlives the benchmark that built it; a TB whose
		// cleanups run at process exit keeps it open.
		s := newTestEngine(perfTB{b}).NewSession()
		ctx := context.Background()
		exec := func(sql string) {
			if perfErr != nil {
				return
			}
			_, perfErr = s.Exec(ctx, sql)
		}
		exec("CREATE TABLE big (id int PRIMARY KEY, g int, v text, n numeric, k int)")
		exec("CREATE INDEX big_k ON big (k)")
		exec("CREATE TABLE small (id int PRIMARY KEY, name text)")
		const n = 100000
		for start := 0; start < n; start += 2000 {
			var sb strings.Builder
			sb.WriteString("INSERT INTO big VALUES ")
			for i := start; i < start+2000; i++ {
				if i > start {
					sb.WriteString(", ")
				}
				fmt.Fprintf(&sb, "(%d, %d, 'value %d', %d.5, %d)", i, i%100, i, i%997, (i*7919)%n)
			}
			exec(sb.String())
		}
		var sb strings.Builder
		sb.WriteString("INSERT INTO small VALUES ")
		for i := 0; i < 1000; i++ {
			if i > 0 {
				sb.WriteString(", ")
			}
			fmt.Fprintf(&sb, "(%d, 'name %d')", i, i)
		}
		exec(sb.String())
		perfSess = s
	})
	if perfErr != nil {
		b.Fatal(perfErr)
	}
	return perfSess
}

// perfTB is a testing.TB whose Cleanup never runs, so the shared engine
// stays usable across benchmarks.
type perfTB struct{ *testing.B }

func (perfTB) Cleanup(func()) {}

func benchQuery(b *testing.B, sql string, wantRows int) {
	s := perfSession(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := s.Exec(ctx, sql)
		if err != nil {
			b.Fatal(err)
		}
		if len(res[0].Rows) != wantRows {
			b.Fatalf("%d rows, want %d", len(res[0].Rows), wantRows)
		}
	}
}

// BenchmarkPerfGroupBy groups 100k rows into 100 groups.
func BenchmarkPerfGroupBy(b *testing.B) {
	benchQuery(b, "SELECT g, count(*), sum(n) FROM big GROUP BY g", 100)
}

// BenchmarkPerfCountStar counts 100k rows.
func BenchmarkPerfCountStar(b *testing.B) {
	benchQuery(b, "SELECT count(*) FROM big", 1)
}

// BenchmarkPerfHashJoin joins 100k rows with 1k rows.
func BenchmarkPerfHashJoin(b *testing.B) {
	benchQuery(b, "SELECT count(*) FROM big JOIN small ON big.g = small.id", 1)
}

// BenchmarkPerfOrderLimit sorts by a non-indexed column with LIMIT 10.
func BenchmarkPerfOrderLimit(b *testing.B) {
	benchQuery(b, "SELECT id, v FROM big ORDER BY n DESC, id LIMIT 10", 10)
}

// BenchmarkPerfRangeScan reads 1000 rows by a primary-key range.
func BenchmarkPerfRangeScan(b *testing.B) {
	benchQuery(b, "SELECT id, v FROM big WHERE id >= 5000 AND id < 6000", 1000)
}

func benchPrepared(b *testing.B, sql string) {
	s := perfSession(b)
	ctx := context.Background()
	p, err := s.Prepare(ctx, sql, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := s.Execute(ctx, p, []Value{TextValue(fmt.Sprint(i * 7 % 100000))})
		if err != nil || len(res.Rows) != 1 {
			b.Fatalf("%v %v", err, res)
		}
		if err := s.Sync(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPerfPointPK reads one row by primary key, prepared.
func BenchmarkPerfPointPK(b *testing.B) {
	benchPrepared(b, "SELECT * FROM big WHERE id = $1")
}

// BenchmarkPerfPointIndex reads one row by a secondary index, prepared.
func BenchmarkPerfPointIndex(b *testing.B) {
	benchPrepared(b, "SELECT * FROM big WHERE k = $1")
}
