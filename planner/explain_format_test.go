package planner

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// explainDoc runs an EXPLAIN that returns one structured document and
// returns it with its column's type OID.
func explainDoc(t *testing.T, s *Session, sql string) (string, uint32) {
	t.Helper()
	res, err := s.Exec(context.Background(), sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	r := res[len(res)-1]
	if len(r.Rows) != 1 || len(r.Columns) != 1 || r.Columns[0].Name != "QUERY PLAN" {
		t.Fatalf("%s: %d rows, columns %+v", sql, len(r.Rows), r.Columns)
	}
	return r.Rows[0][0].Str(), r.Columns[0].TypeOID
}

// jsonPlan parses EXPLAIN (FORMAT JSON) output: a one-element array of
// {"Plan": ...}.
func jsonPlan(t *testing.T, doc string) map[string]any {
	t.Helper()
	var arr []map[string]any
	if err := json.Unmarshal([]byte(doc), &arr); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, doc)
	}
	if len(arr) != 1 {
		t.Fatalf("want a one-element array, got %d elements", len(arr))
	}
	if _, ok := arr[0]["Plan"].(map[string]any); !ok {
		t.Fatalf("no Plan object: %s", doc)
	}
	return arr[0]
}

// children returns a plan node's "Plans".
func children(t *testing.T, n map[string]any) []map[string]any {
	t.Helper()
	raw, _ := n["Plans"].([]any)
	out := make([]map[string]any, len(raw))
	for i, r := range raw {
		m, ok := r.(map[string]any)
		if !ok {
			t.Fatalf("Plans[%d] is %T", i, r)
		}
		out[i] = m
	}
	return out
}

// TestExplainJSON checks the shape and PostgreSQL's keys of EXPLAIN
// (FORMAT JSON) for scans, joins, aggregation and DML, with and without
// COSTS, VERBOSE and ANALYZE.
func TestExplainJSON(t *testing.T) {
	s := newTestEngine(t).NewSession()
	ctx := context.Background()
	if _, err := s.Exec(ctx, `CREATE TABLE ej (a int PRIMARY KEY, b text, c int);
		CREATE INDEX ej_c ON ej (c);
		CREATE TABLE ek (x int PRIMARY KEY, a int);
		INSERT INTO ej VALUES (1, 'x', 10), (2, 'y', 20), (3, 'z', 30)`); err != nil {
		t.Fatal(err)
	}
	costKeys := []string{"Startup Cost", "Total Cost", "Plan Rows", "Plan Width"}

	doc, oid := explainDoc(t, s, "EXPLAIN (FORMAT JSON) SELECT * FROM ej WHERE a = 1")
	if oid != 114 {
		t.Errorf("column type %d, want json (114)", oid)
	}
	plan := jsonPlan(t, doc)["Plan"].(map[string]any)
	want := map[string]any{"Node Type": "Index Scan", "Index Name": "ej_pkey", "Relation Name": "ej", "Alias": "ej",
		"Scan Direction": "Forward", "Index Cond": "(a = 1)", "Parallel Aware": false, "Async Capable": false}
	for k, v := range want {
		if plan[k] != v {
			t.Errorf("%s = %v, want %v", k, plan[k], v)
		}
	}
	for _, k := range costKeys {
		if _, ok := plan[k].(float64); !ok {
			t.Errorf("%s missing or not a number: %v", k, plan[k])
		}
	}

	doc, _ = explainDoc(t, s, "EXPLAIN (FORMAT JSON, COSTS OFF, VERBOSE) SELECT b, count(*) FROM ej JOIN ek ON ej.a = ek.a WHERE c > 1 GROUP BY b ORDER BY b LIMIT 3")
	plan = jsonPlan(t, doc)["Plan"].(map[string]any)
	for _, k := range costKeys {
		if _, ok := plan[k]; ok {
			t.Errorf("COSTS OFF still has %s", k)
		}
	}
	var types []string
	var walk func(n map[string]any, depth int)
	found := map[string]map[string]any{}
	walk = func(n map[string]any, depth int) {
		nt, _ := n["Node Type"].(string)
		types = append(types, nt)
		found[nt] = n
		if depth > 0 {
			if _, ok := n["Parent Relationship"].(string); !ok {
				t.Errorf("%s has no Parent Relationship", nt)
			}
		}
		if out, ok := n["Output"].([]any); !ok || len(out) == 0 {
			t.Errorf("VERBOSE: %s has no Output list: %v", nt, n["Output"])
		}
		for _, c := range children(t, n) {
			walk(c, depth+1)
		}
	}
	walk(plan, 0)
	if types[0] != "Limit" || types[1] != "Sort" {
		t.Errorf("node types %v", types)
	}
	if agg := found["Aggregate"]; agg == nil || agg["Strategy"] != "Hashed" {
		t.Errorf("no hashed Aggregate in %v", types)
	} else if keys, ok := agg["Group Key"].([]any); !ok || len(keys) != 1 {
		t.Errorf("Group Key %v", agg["Group Key"])
	}
	if sk, ok := found["Sort"]["Sort Key"].([]any); !ok || len(sk) != 1 {
		t.Errorf("Sort Key %v", found["Sort"]["Sort Key"])
	}
	if j := found["Hash Join"]; j == nil || j["Join Type"] != "Inner" || j["Hash Cond"] == nil {
		t.Errorf("Hash Join %v in %v", j, types)
	} else if kids := children(t, j); len(kids) != 2 || kids[0]["Parent Relationship"] != "Outer" || kids[1]["Parent Relationship"] != "Inner" {
		t.Errorf("Hash Join children %v", kids)
	}
	if sc := found["Seq Scan"]; sc == nil || sc["Schema"] != "public" {
		t.Errorf("VERBOSE Seq Scan %v", sc)
	}

	// ANALYZE runs the statement and reports times and rows.
	doc, _ = explainDoc(t, s, "EXPLAIN (ANALYZE, FORMAT JSON) DELETE FROM ej WHERE a >= 2")
	top := jsonPlan(t, doc)
	plan = top["Plan"].(map[string]any)
	if plan["Node Type"] != "ModifyTable" || plan["Operation"] != "Delete" || plan["Relation Name"] != "ej" {
		t.Errorf("DELETE plan %v", plan)
	}
	if plan["Actual Rows"] != float64(2) || plan["Actual Loops"] != float64(1) {
		t.Errorf("Actual Rows %v, Actual Loops %v", plan["Actual Rows"], plan["Actual Loops"])
	}
	if _, ok := plan["Actual Total Time"].(float64); !ok {
		t.Errorf("no Actual Total Time")
	}
	for _, k := range []string{"Planning Time", "Execution Time"} {
		if _, ok := top[k].(float64); !ok {
			t.Errorf("no %s: %v", k, top)
		}
	}
	if tr, ok := top["Triggers"].([]any); !ok || len(tr) != 0 {
		t.Errorf("Triggers %v", top["Triggers"])
	}
	res, err := s.Exec(ctx, "SELECT count(*) FROM ej")
	if err != nil || res[0].Rows[0][0].Int() != 1 {
		t.Fatalf("EXPLAIN ANALYZE DELETE did not delete: %v, %v", res, err)
	}
	doc, _ = explainDoc(t, s, "EXPLAIN (ANALYZE, TIMING OFF, SUMMARY OFF, FORMAT JSON) SELECT * FROM ej")
	top = jsonPlan(t, doc)
	plan = top["Plan"].(map[string]any)
	if _, ok := plan["Actual Total Time"]; ok {
		t.Errorf("TIMING OFF still has Actual Total Time")
	}
	if _, ok := top["Execution Time"]; ok {
		t.Errorf("SUMMARY OFF still has Execution Time")
	}
	if plan["Actual Rows"] != float64(1) {
		t.Errorf("Actual Rows %v", plan["Actual Rows"])
	}
	doc, _ = explainDoc(t, s, "EXPLAIN (SUMMARY, BUFFERS, FORMAT JSON) INSERT INTO ek VALUES (1, 2) ON CONFLICT (x) DO NOTHING")
	top = jsonPlan(t, doc)
	plan = top["Plan"].(map[string]any)
	if _, ok := top["Planning Time"].(float64); !ok {
		t.Errorf("SUMMARY: no Planning Time")
	}
	if _, ok := top["Execution Time"]; ok {
		t.Errorf("SUMMARY without ANALYZE has Execution Time")
	}
	if plan["Operation"] != "Insert" || plan["Conflict Resolution"] != "NOTHING" {
		t.Errorf("INSERT plan %v", plan)
	}
	if _, ok := plan["Shared Hit Blocks"].(float64); !ok {
		t.Errorf("BUFFERS: no Shared Hit Blocks")
	}
	// Strings are escaped.
	doc, _ = explainDoc(t, s, `EXPLAIN (FORMAT JSON) SELECT * FROM ej WHERE b = 'q"\x'`)
	if f := jsonPlan(t, doc)["Plan"].(map[string]any)["Filter"]; !strings.Contains(f.(string), `q"\x`) {
		t.Errorf("Filter %q", f)
	}
}

// TestExplainYAMLXML checks the YAML and XML formats' layout and
// column types.
func TestExplainYAMLXML(t *testing.T) {
	s := newTestEngine(t).NewSession()
	if _, err := s.Exec(context.Background(), "CREATE TABLE ey (a int PRIMARY KEY, b text)"); err != nil {
		t.Fatal(err)
	}
	doc, oid := explainDoc(t, s, "EXPLAIN (FORMAT YAML, COSTS OFF) SELECT b FROM ey WHERE a > 1 ORDER BY b")
	if oid != 25 {
		t.Errorf("YAML column type %d, want text", oid)
	}
	if !strings.HasPrefix(doc, "- Plan: \n    Node Type: \"Sort\"\n") || !strings.Contains(doc, "\n    Plans: \n      - Node Type: \"Index Scan\"\n        Parent Relationship: \"Outer\"\n") {
		t.Errorf("YAML:\n%s", doc)
	}
	if !strings.Contains(doc, "Sort Key: \n      - \"ey.b\"") {
		t.Errorf("YAML Sort Key list:\n%s", doc)
	}
	doc, oid = explainDoc(t, s, "EXPLAIN (FORMAT XML, VERBOSE) SELECT b FROM ey WHERE b < 'x&y'")
	if oid != 142 {
		t.Errorf("XML column type %d, want xml (142)", oid)
	}
	var x struct {
		XMLName xml.Name `xml:"http://www.postgresql.org/2009/explain explain"`
		Query   struct {
			Plan struct {
				NodeType string   `xml:"Node-Type"`
				Relation string   `xml:"Relation-Name"`
				Output   []string `xml:"Output>Item"`
				Filter   string   `xml:"Filter"`
			}
		}
	}
	if err := xml.Unmarshal([]byte(doc), &x); err != nil {
		t.Fatalf("not XML: %v\n%s", err, doc)
	}
	if p := x.Query.Plan; p.NodeType != "Seq Scan" || p.Relation != "ey" || len(p.Output) != 1 || !strings.Contains(p.Filter, "x&y") {
		t.Errorf("XML plan %+v\n%s", p, doc)
	}
}

// TestExplainOptions checks the text format's VERBOSE and ANALYZE
// options and the options PostgreSQL refuses.
func TestExplainOptions(t *testing.T) {
	s := newTestEngine(t).NewSession()
	ctx := context.Background()
	if _, err := s.Exec(ctx, "CREATE TABLE eo (a int PRIMARY KEY, b text)"); err != nil {
		t.Fatal(err)
	}
	lines := func(sql string) []string {
		t.Helper()
		res, err := s.Exec(ctx, sql)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		var out []string
		for _, r := range res[0].Rows {
			out = append(out, r[0].Str())
		}
		return out
	}
	got := strings.Join(lines("EXPLAIN (VERBOSE, COSTS OFF) SELECT a, b FROM eo"), "\n")
	if got != "Seq Scan on public.eo\n  Output: a, b" {
		t.Errorf("VERBOSE:\n%s", got)
	}
	got = strings.Join(lines("EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) SELECT * FROM eo"), "\n")
	if !strings.HasPrefix(got, "Seq Scan on eo (actual rows=0 loops=1)\nPlanning Time: ") || !strings.Contains(got, "\nExecution Time: ") {
		t.Errorf("ANALYZE, TIMING OFF:\n%s", got)
	}
	got = strings.Join(lines("EXPLAIN (ANALYZE, SUMMARY OFF) SELECT * FROM eo"), "\n")
	if strings.Contains(got, "Time:") {
		t.Errorf("SUMMARY OFF:\n%s", got)
	}
	for _, c := range []struct{ sql, code, msg string }{
		{"EXPLAIN (TIMING) SELECT 1", sqlerr.InvalidParameterValue, "EXPLAIN option TIMING requires ANALYZE"},
		{"EXPLAIN (WAL) SELECT 1", sqlerr.InvalidParameterValue, "EXPLAIN option WAL requires ANALYZE"},
		{"EXPLAIN (FORMAT foo) SELECT 1", sqlerr.InvalidParameterValue, `unrecognized value for EXPLAIN option "format": "foo"`},
	} {
		_, err := s.Exec(ctx, c.sql)
		if sqlerr.Code(err) != c.code || err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %v, want %s %s", c.sql, err, c.code, c.msg)
		}
	}
	if _, err := s.Exec(ctx, "EXPLAIN (TIMING OFF, BUFFERS, SETTINGS) SELECT 1"); err != nil {
		t.Errorf("accepted options: %v", err)
	}
	// Prepared EXPLAIN (FORMAT JSON) describes a json column.
	p, err := s.Prepare(ctx, "EXPLAIN (FORMAT JSON) SELECT * FROM eo WHERE a = $1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if cols := p.Columns(); len(cols) != 1 || cols[0].TypeOID != 114 {
		t.Errorf("prepared columns %+v", cols)
	}
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
}
