package planner

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestOrderByLimitMatchesFullSort checks the bounded top-N path of ORDER
// BY ... LIMIT ... OFFSET against the full sort (the same query without
// LIMIT, sliced): ties, NULLs, descending keys and offsets included.
func TestOrderByLimitMatchesFullSort(t *testing.T) {
	s := newTestEngine(t).NewSession()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 11))
	var sb strings.Builder
	sb.WriteString("CREATE TABLE tn (id int PRIMARY KEY, a int, b text); INSERT INTO tn VALUES ")
	for i := range 400 {
		if i > 0 {
			sb.WriteString(", ")
		}
		a := "NULL"
		if rng.IntN(10) > 0 {
			a = fmt.Sprint(rng.IntN(20))
		}
		fmt.Fprintf(&sb, "(%d, %s, 'b%d')", i, a, rng.IntN(5))
	}
	if _, err := s.Exec(ctx, sb.String()); err != nil {
		t.Fatal(err)
	}
	render := func(sql string) []string {
		t.Helper()
		res, err := s.Exec(ctx, sql)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		var out []string
		for _, row := range res[0].Rows {
			out = append(out, fmt.Sprint(row))
		}
		return out
	}
	for _, order := range []string{"a", "a DESC", "a NULLS FIRST", "b, a DESC", "a DESC NULLS LAST, b"} {
		full := render("SELECT id, a, b FROM tn ORDER BY " + order)
		for _, lo := range [][2]int{{0, 1}, {5, 0}, {10, 7}, {0, 50}, {390, 20}, {0, 1000}} {
			limit, offset := lo[1], lo[0]
			got := render(fmt.Sprintf("SELECT id, a, b FROM tn ORDER BY %s LIMIT %d OFFSET %d", order, limit, offset))
			want := full[min(offset, len(full)):]
			want = want[:min(limit, len(want))]
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("ORDER BY %s LIMIT %d OFFSET %d:\n got %v\nwant %v", order, limit, offset, got, want)
			}
		}
	}
}
