package planner

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// benchSession returns a session over a real store with table b holding
// n rows (id int primary key, v text, n numeric).
func benchSession(b *testing.B, n int) *Session {
	b.Helper()
	s := newTestEngine(b).NewSession()
	ctx := context.Background()
	if _, err := s.Exec(ctx, "CREATE TABLE b (id int PRIMARY KEY, v text, n numeric)"); err != nil {
		b.Fatal(err)
	}
	for start := 0; start < n; start += 1000 {
		var sb strings.Builder
		sb.WriteString("INSERT INTO b VALUES ")
		for i := start; i < start+1000 && i < n; i++ {
			if i > start {
				sb.WriteString(", ")
			}
			fmt.Fprintf(&sb, "(%d, 'value %d', %d.5)", i, i, i)
		}
		if _, err := s.Exec(ctx, sb.String()); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

// BenchmarkPointSelect measures a prepared primary-key lookup.
func BenchmarkPointSelect(b *testing.B) {
	s := benchSession(b, 10000)
	ctx := context.Background()
	p, err := s.Prepare(ctx, "SELECT v, n FROM b WHERE id = $1", nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := s.Execute(ctx, p, []Value{TextValue(fmt.Sprint(i % 10000))})
		if err != nil || len(res.Rows) != 1 {
			b.Fatalf("%v %v", err, res)
		}
		if err := s.Sync(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScanAggregate measures a full scan with grouping.
func BenchmarkScanAggregate(b *testing.B) {
	s := benchSession(b, 10000)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := s.Exec(ctx, "SELECT id % 10, count(*), sum(n) FROM b GROUP BY 1")
		if err != nil || len(res[0].Rows) != 10 {
			b.Fatalf("%v", err)
		}
	}
}

// BenchmarkInsert measures single-row inserts, each its own transaction.
func BenchmarkInsert(b *testing.B) {
	s := benchSession(b, 0)
	ctx := context.Background()
	p, err := s.Prepare(ctx, "INSERT INTO b VALUES ($1, $2, $3)", nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Execute(ctx, p, []Value{TextValue(fmt.Sprint(i)), TextValue("x"), TextValue("1.5")}); err != nil {
			b.Fatal(err)
		}
		if err := s.Sync(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
