package planner

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestPrunedScansMatchFullDecode checks projection pruning and row reuse:
// each query is run as is (decoding only the columns it reads) and with a
// scalar subquery added to its select list, which turns pruning off; the
// rows must agree.
func TestPrunedScansMatchFullDecode(t *testing.T) {
	s := newTestEngine(t).NewSession()
	ctx := context.Background()
	var sb strings.Builder
	sb.WriteString(`CREATE TABLE pt (id int PRIMARY KEY, a int, b text, n numeric, k int);
		CREATE INDEX pt_k ON pt (k);
		CREATE TABLE pu (id int PRIMARY KEY, name text, w float8);
		INSERT INTO pt VALUES `)
	for i := range 300 {
		if i > 0 {
			sb.WriteString(", ")
		}
		b := fmt.Sprintf("'b%d'", i%7)
		if i%11 == 0 {
			b = "NULL"
		}
		fmt.Fprintf(&sb, "(%d, %d, %s, %d.%d, %d)", i, i%13, b, i%17, i%3, (i*37)%300)
	}
	sb.WriteString("; INSERT INTO pu VALUES ")
	for i := range 20 {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "(%d, 'u%d', %d.25)", i, i, i)
	}
	sb.WriteString("; ALTER TABLE pt ADD COLUMN c int; UPDATE pt SET c = id * 2 WHERE id % 5 = 0")
	if _, err := s.Exec(ctx, sb.String()); err != nil {
		t.Fatal(err)
	}
	rows := func(sql string, drop bool) []string {
		t.Helper()
		res, err := s.Exec(ctx, sql)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		var out []string
		for _, row := range res[0].Rows {
			if drop {
				row = row[:len(row)-1]
			}
			var parts []string
			for _, v := range row {
				parts = append(parts, v.String())
			}
			out = append(out, strings.Join(parts, "|"))
		}
		return out
	}
	tests := []struct{ sel, rest string }{
		{"SELECT a, count(*), sum(n), max(b)", "FROM pt GROUP BY a ORDER BY a"},
		{"SELECT a, count(*)", "FROM pt WHERE n > 5 GROUP BY a HAVING count(*) > 3 ORDER BY a"},
		{"SELECT count(*), sum(c)", "FROM pt"},
		{"SELECT id, c", "FROM pt WHERE c IS NOT NULL ORDER BY id"},
		{"SELECT id, b", "FROM pt ORDER BY n DESC, b NULLS FIRST LIMIT 7 OFFSET 2"},
		{"SELECT b", "FROM pt ORDER BY b DESC, id LIMIT 5"},
		{"SELECT pt.id, pu.name", "FROM pt JOIN pu ON pt.a = pu.id WHERE pt.n > 3 ORDER BY 1"},
		{"SELECT pt.b, pu.w", "FROM pt LEFT JOIN pu ON pt.k = pu.id ORDER BY pt.id"},
		{"SELECT pt.id, pu.name", "FROM pt RIGHT JOIN pu ON pt.id = pu.id * 50 ORDER BY pu.id"},
		{"SELECT pt.id, pu.id", "FROM pt FULL JOIN pu ON pt.id = pu.id + 295 AND pt.b IS NOT NULL ORDER BY 1, 2"},
		{"SELECT pu.name, count(*)", "FROM pt JOIN pu ON pt.a = pu.id GROUP BY pu.name ORDER BY 1"},
		{"SELECT DISTINCT b", "FROM pt ORDER BY b"},
		{"SELECT id, CASE WHEN a > 5 THEN coalesce(b, 'none') ELSE 'low' END", "FROM pt WHERE k = 37 OR id IN (1, 2, 3) ORDER BY id"},
		{"SELECT id, n", "FROM pt WHERE k = 111"},
		{"SELECT id, b", "FROM pt WHERE id = 42"},
		{"SELECT id, a", "FROM pt WHERE id IN (5, 7, 400) ORDER BY id DESC"},
		{"SELECT id", "FROM pt WHERE k BETWEEN 10 AND 20 ORDER BY k"},
		{"SELECT id, a + length(b)", "FROM pt WHERE id >= 100 AND id < 120"},
	}
	for _, tc := range tests {
		pruned := rows(tc.sel+" "+tc.rest, false)
		off := ", (SELECT 1) "
		if strings.Contains(tc.sel, "count(") {
			off = ", max((SELECT 1)) " // a grouped query's outputs read groups
		}
		full := rows(tc.sel+off+tc.rest, true)
		if strings.Join(pruned, "\n") != strings.Join(full, "\n") {
			t.Errorf("%s %s:\npruned:\n%s\nfull:\n%s", tc.sel, tc.rest, strings.Join(pruned, "\n"), strings.Join(full, "\n"))
		}
		if len(pruned) == 0 {
			t.Errorf("%s %s: no rows", tc.sel, tc.rest)
		}
	}
}

// TestSelKnowsPlanFields fails when a plan or expression type that the
// column marking of scan_sel.go reads gains or loses a field: review
// computeSelInfo and markExpr for the new field, then update
// selKnownFields.
func TestSelKnowsPlanFields(t *testing.T) {
	if msg := selFieldsChanged(); msg != "" {
		t.Fatal(msg)
	}
}
