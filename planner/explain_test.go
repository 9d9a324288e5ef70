package planner

import (
	"context"
	"regexp"
	"testing"
)

// TestExplainAnalyze runs the statement it explains: the DELETE happens,
// and the plan's top line carries its actual row count and time.
func TestExplainAnalyze(t *testing.T) {
	s := newTestEngine(t).NewSession()
	ctx := context.Background()
	if _, err := s.Exec(ctx, "CREATE TABLE ea (a int PRIMARY KEY); INSERT INTO ea VALUES (1), (2), (3)"); err != nil {
		t.Fatal(err)
	}
	res, err := s.Exec(ctx, "EXPLAIN ANALYZE DELETE FROM ea WHERE a >= 2")
	if err != nil {
		t.Fatal(err)
	}
	rows := res[0].Rows
	if len(rows) < 2 {
		t.Fatalf("plan has %d lines", len(rows))
	}
	if top := rows[0][0].Str(); !regexp.MustCompile(`^Delete on ea \(actual time=[0-9.]+ rows=2 loops=1\)$`).MatchString(top) {
		t.Errorf("top line %q", top)
	}
	if last := rows[len(rows)-1][0].Str(); !regexp.MustCompile(`^Execution Time: [0-9.]+ ms$`).MatchString(last) {
		t.Errorf("last line %q", last)
	}
	res, err = s.Exec(ctx, "SELECT count(*) FROM ea")
	if err != nil || res[0].Rows[0][0].Int() != 1 {
		t.Fatalf("after EXPLAIN ANALYZE DELETE: %v, %v", res, err)
	}
	// Through the extended protocol's Prepare/Execute as well.
	p, err := s.Prepare(ctx, "EXPLAIN SELECT * FROM ea WHERE a = $1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if cols := p.Columns(); len(cols) != 1 || cols[0].Name != "QUERY PLAN" || len(p.ParamTypes()) != 1 || p.ParamTypes()[0] != 23 {
		t.Fatalf("prepared EXPLAIN: columns %+v, params %v", cols, p.ParamTypes())
	}
	r, err := s.Execute(ctx, p, []Value{TextValue("1")})
	if err != nil || len(r.Rows) == 0 || r.Rows[0][0].Str() != "Index Scan using ea_pkey on ea" {
		t.Fatalf("executed EXPLAIN: %v, %v", r, err)
	}
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
}
