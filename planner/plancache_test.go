package planner

// Tests of the prepared statements' plan cache (plancache.go): a cached
// plan is reused only while the catalog entries and session state it was
// bound from are unchanged.

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// planCacheStep is one step of a plan cache scenario: a simple-protocol
// statement (sql), or an execution of the scenario's prepared statement
// number prep with params; want is the rendering expected.
type planCacheStep struct {
	sql    string
	prep   int
	params []any
	want   string
	// hit, when set, requires the execution to have kept a cached plan.
	hit bool
}

func TestPlanCache(t *testing.T) {
	tests := []struct {
		name  string
		setup string
		preps []string
		steps []planCacheStep
	}{{
		name:  "parameters with different values",
		setup: "CREATE TABLE t (a int PRIMARY KEY, b text); INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, NULL)",
		preps: []string{"SELECT b FROM t WHERE a = $1"},
		steps: []planCacheStep{
			{params: []any{1}, want: "b:25\none\nSELECT 1\n"},
			{params: []any{2}, want: "b:25\ntwo\nSELECT 1\n", hit: true},
			{params: []any{3}, want: "b:25\nNULL\nSELECT 1\n", hit: true},
			{params: []any{4}, want: "b:25\nSELECT 0\n", hit: true},
			{params: []any{nil}, want: "b:25\nSELECT 0\n", hit: true},
			{params: []any{"x"}, want: "ERROR 22P02: invalid input syntax for type integer: \"x\"\n"},
			{params: []any{1}, want: "b:25\none\nSELECT 1\n", hit: true},
		},
	}, {
		name:  "drop and add columns",
		setup: "CREATE TABLE t (a int PRIMARY KEY, x text, b int); INSERT INTO t VALUES (1, 'x', 10)",
		preps: []string{"SELECT b FROM t WHERE a = $1", "INSERT INTO t (a, b) VALUES ($1, $2)", "UPDATE t SET b = b + $1 WHERE a = $2"},
		steps: []planCacheStep{
			{params: []any{1}, want: "b:23\n10\nSELECT 1\n"},
			{prep: 1, params: []any{2, 20}, want: "INSERT 0 1\n"},
			{prep: 2, params: []any{1, 1}, want: "UPDATE 1\n"},
			{prep: 2, params: []any{1, 1}, want: "UPDATE 1\n", hit: true},
			{sql: "ALTER TABLE t DROP COLUMN x", want: "ALTER TABLE\n"},
			{params: []any{1}, want: "b:23\n12\nSELECT 1\n"},
			{params: []any{2}, want: "b:23\n20\nSELECT 1\n", hit: true},
			{prep: 2, params: []any{1, 1}, want: "UPDATE 1\n"},
			{sql: "ALTER TABLE t ADD COLUMN c int DEFAULT 7", want: "ALTER TABLE\n"},
			{prep: 1, params: []any{3, 30}, want: "INSERT 0 1\n"},
			{prep: 2, params: []any{1, 3}, want: "UPDATE 1\n"},
			{sql: "SELECT * FROM t ORDER BY a", want: "a:23 | b:23 | c:23\n1 | 13 | 7\n2 | 20 | 7\n3 | 31 | 7\nSELECT 3\n"},
		},
	}, {
		name:  "drop and create with another type",
		setup: "CREATE TABLE t (a int PRIMARY KEY, b int); INSERT INTO t VALUES (1, 10)",
		preps: []string{"SELECT b FROM t WHERE a = $1"},
		steps: []planCacheStep{
			{params: []any{1}, want: "b:23\n10\nSELECT 1\n"},
			{params: []any{1}, want: "b:23\n10\nSELECT 1\n", hit: true},
			{sql: "DROP TABLE t", want: "DROP TABLE\n"},
			{params: []any{1}, want: "ERROR 42P01: relation \"t\" does not exist (position 15)\n"},
			{sql: "CREATE TABLE t (a int PRIMARY KEY, b text); INSERT INTO t VALUES (1, 'ten')", want: "CREATE TABLE\nINSERT 0 1\n"},
			{params: []any{1}, want: "ERROR 0A000: cached plan must not change result type\n"},
			{sql: "DROP TABLE t; CREATE TABLE t (b int, a int PRIMARY KEY); INSERT INTO t VALUES (11, 1)", want: "DROP TABLE\nCREATE TABLE\nINSERT 0 1\n"},
			{params: []any{1}, want: "b:23\n11\nSELECT 1\n"},
			{params: []any{1}, want: "b:23\n11\nSELECT 1\n", hit: true},
		},
	}, {
		name:  "a view replaced",
		setup: "CREATE TABLE t (a int PRIMARY KEY, b int); INSERT INTO t VALUES (1, 10); CREATE VIEW v AS SELECT a, b FROM t",
		preps: []string{"SELECT b FROM v WHERE a = $1"},
		steps: []planCacheStep{
			{params: []any{1}, want: "b:23\n10\nSELECT 1\n"},
			{params: []any{1}, want: "b:23\n10\nSELECT 1\n", hit: true},
			{sql: "CREATE OR REPLACE VIEW v AS SELECT a, b * 2 AS b FROM t", want: "CREATE VIEW\n"},
			{params: []any{1}, want: "b:23\n20\nSELECT 1\n"},
		},
	}, {
		name:  "an index created",
		setup: "CREATE TABLE t (a int PRIMARY KEY, r int); INSERT INTO t SELECT g, g * 7 FROM generate_series(1, 50) g",
		preps: []string{"SELECT a FROM t WHERE r = $1"},
		steps: []planCacheStep{
			{params: []any{70}, want: "a:23\n10\nSELECT 1\n"},
			{sql: "CREATE INDEX t_r ON t (r)", want: "CREATE INDEX\n"},
			{params: []any{77}, want: "a:23\n11\nSELECT 1\n"},
			{params: []any{350}, want: "a:23\n50\nSELECT 1\n", hit: true},
			{sql: "DROP INDEX t_r", want: "DROP INDEX\n"},
			{params: []any{14}, want: "a:23\n2\nSELECT 1\n"},
		},
	}, {
		name:  "DDL inside the transaction block",
		setup: "CREATE TABLE t (a int PRIMARY KEY, x text, b int); INSERT INTO t VALUES (1, 'x', 10)",
		preps: []string{"SELECT b FROM t WHERE a = $1", "INSERT INTO t (a, b) VALUES ($1, $2)"},
		steps: []planCacheStep{
			{params: []any{1}, want: "b:23\n10\nSELECT 1\n"},
			{sql: "BEGIN", want: "BEGIN\n"},
			{params: []any{1}, want: "b:23\n10\nSELECT 1\n", hit: true},
			{sql: "ALTER TABLE t DROP COLUMN x", want: "ALTER TABLE\n"},
			{params: []any{1}, want: "b:23\n10\nSELECT 1\n"},
			{prep: 1, params: []any{2, 20}, want: "INSERT 0 1\n"},
			{params: []any{2}, want: "b:23\n20\nSELECT 1\n", hit: true},
			{sql: "ROLLBACK", want: "ROLLBACK\n"},
			{params: []any{1}, want: "b:23\n10\nSELECT 1\n"},
			{params: []any{2}, want: "b:23\nSELECT 0\n", hit: true},
			{sql: "SELECT * FROM t", want: "a:23 | x:25 | b:23\n1 | x | 10\nSELECT 1\n"},
		},
	}, {
		name:  "TimeZone folded into constants",
		setup: "CREATE TABLE t (a int PRIMARY KEY)",
		preps: []string{"SELECT '2020-01-01 12:00'::timestamptz::text FROM t WHERE a = $1"},
		steps: []planCacheStep{
			{sql: "INSERT INTO t VALUES (1)", want: "INSERT 0 1\n"},
			{params: []any{1}, want: "text:25\n2020-01-01 12:00:00+00\nSELECT 1\n"},
			{params: []any{1}, want: "text:25\n2020-01-01 12:00:00+00\nSELECT 1\n", hit: true},
			{sql: "SET TimeZone = 'Asia/Tokyo'", want: "SET\n"},
			{params: []any{1}, want: "text:25\n2020-01-01 12:00:00+09\nSELECT 1\n"},
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := newTestEngine(t).NewSession()
			defer s.Close()
			if _, err := s.Exec(ctx, tc.setup); err != nil {
				t.Fatalf("setup: %v", err)
			}
			var preps []*Prepared
			for _, sql := range tc.preps {
				p, err := s.Prepare(ctx, sql, nil)
				if err != nil {
					t.Fatalf("prepare %s: %v", sql, err)
				}
				if !p.cacheable {
					t.Fatalf("%s: not cacheable", sql)
				}
				preps = append(preps, p)
			}
			for i, st := range tc.steps {
				var got string
				if st.sql != "" {
					got = run(t, s, st.sql)
				} else {
					p := preps[st.prep]
					before := p.cache
					got = execPrepared(ctx, s, p, st.params)
					if st.hit && (before == nil || p.cache != before) {
						t.Errorf("step %d: the cached plan was not reused", i)
					}
				}
				if got != st.want {
					t.Errorf("step %d (%s%v):\ngot  %q\nwant %q", i, st.sql, st.params, got, st.want)
				}
			}
		})
	}
}

// execPrepared executes p with params (rendered as text, nil as NULL) and
// syncs, as a client's Bind, Execute and Sync do, and renders the result.
func execPrepared(ctx context.Context, s *Session, p *Prepared, params []any) string {
	vals := make([]Value, len(params))
	for i, v := range params {
		if v != nil {
			vals[i] = TextValue(fmt.Sprint(v))
		}
	}
	res, err := s.Execute(ctx, p, vals)
	if err == nil {
		err = s.Sync(ctx)
	} else {
		s.Sync(ctx)
	}
	if err != nil {
		return render(nil, err)
	}
	return render([]*Result{res}, nil)
}

// TestPlanCacheUncacheable checks that statements whose binding folds in
// more than the catalog entries it reads keep being bound each time.
func TestPlanCacheUncacheable(t *testing.T) {
	ctx := context.Background()
	s := newTestEngine(t).NewSession()
	defer s.Close()
	run(t, s, "CREATE TABLE t (a int PRIMARY KEY); INSERT INTO t VALUES (1); CREATE SEQUENCE sq")
	for _, sql := range []string{
		"SELECT 'now'::timestamptz FROM t WHERE a = $1",
		"SELECT current_setting('TimeZone') FROM t WHERE a = $1",
		"SELECT relname FROM pg_class WHERE oid = $1",
		"SELECT $1::int, nextval('sq')",
		"CREATE TABLE u (a int)",
	} {
		p, err := s.Prepare(ctx, sql, nil)
		if err != nil {
			t.Fatalf("prepare %s: %v", sql, err)
		}
		if p.cacheable {
			t.Errorf("%s: cacheable", sql)
		}
	}
	// Caught by what binding reads: a sequence relation.
	p, err := s.Prepare(ctx, "SELECT last_value FROM sq WHERE $1::int = 1", nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if got := execPrepared(ctx, s, p, []any{1}); !strings.HasPrefix(got, "last_value:20\n") {
			t.Fatalf("sequence: %q", got)
		}
		if p.cache != nil {
			t.Errorf("a SELECT from a sequence was cached")
		}
	}
}

// TestTableEntryCache checks the engine's cache of table catalog entries
// (tableDesc) across sessions: DDL committed by one session is seen by
// the next statement of another, and a transaction that used a cached
// entry still conflicts with a concurrent change of it.
func TestTableEntryCache(t *testing.T) {
	eng := newTestEngine(t)
	s1, s2 := eng.NewSession(), eng.NewSession()
	defer s1.Close()
	defer s2.Close()
	steps := []struct {
		s         *Session
		sql, want string
	}{
		{s1, "CREATE TABLE t (a int PRIMARY KEY, b int); INSERT INTO t VALUES (1, 10)", "CREATE TABLE\nINSERT 0 1\n"},
		{s1, "SELECT * FROM t", "a:23 | b:23\n1 | 10\nSELECT 1\n"},
		{s2, "SELECT * FROM t", "a:23 | b:23\n1 | 10\nSELECT 1\n"},
		{s2, "ALTER TABLE t ADD COLUMN c int DEFAULT 3", "ALTER TABLE\n"},
		{s1, "SELECT * FROM t", "a:23 | b:23 | c:23\n1 | 10 | 3\nSELECT 1\n"},
		{s1, "SELECT * FROM t", "a:23 | b:23 | c:23\n1 | 10 | 3\nSELECT 1\n"},
		// A block that used the entry conflicts with a change of it, as
		// when it read the entry: its SELECT reads no row that the CREATE
		// INDEX writes, only the entry, and it writes elsewhere.
		{s1, "CREATE TABLE u (a int)", "CREATE TABLE\n"},
		{s1, "SELECT b FROM t WHERE a = 1", "b:23\n10\nSELECT 1\n"},
		{s1, "BEGIN", "BEGIN\n"},
		{s1, "SELECT b FROM t WHERE a = 1", "b:23\n10\nSELECT 1\n"},
		{s2, "CREATE INDEX t_b ON t (b)", "CREATE INDEX\n"},
		{s1, "INSERT INTO u VALUES (1)", "INSERT 0 1\n"},
		{s1, "COMMIT", "ERROR 40001: could not serialize access due to read/write dependencies among transactions\n"},
		{s2, "ALTER TABLE t DROP COLUMN c", "ALTER TABLE\n"},
		{s1, "SELECT * FROM t", "a:23 | b:23\n1 | 10\nSELECT 1\n"},
		{s2, "DROP TABLE t", "DROP TABLE\n"},
		{s1, "SELECT * FROM t", "ERROR 42P01: relation \"t\" does not exist (position 15)\n"},
		{s2, "CREATE TABLE t (a text)", "CREATE TABLE\n"},
		{s1, "SELECT * FROM t", "a:25\nSELECT 0\n"},
	}
	for i, st := range steps {
		if got := run(t, st.s, st.sql); got != st.want {
			t.Errorf("step %d (%s):\ngot  %q\nwant %q", i, st.sql, got, st.want)
		}
	}
}

// TestPlanCacheConflict checks that a transaction whose prepared
// statement used a cached plan without reading the catalog still
// conflicts with a concurrent change of the tables the plan reads.
func TestPlanCacheConflict(t *testing.T) {
	ctx := context.Background()
	eng := newTestEngine(t)
	s1, s2 := eng.NewSession(), eng.NewSession()
	defer s1.Close()
	defer s2.Close()
	run(t, s1, "CREATE TABLE t (a int PRIMARY KEY, b int); INSERT INTO t VALUES (1, 10); CREATE TABLE u (a int)")
	p, err := s1.Prepare(ctx, "SELECT b FROM t WHERE a = $1", nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if got := execPrepared(ctx, s1, p, []any{1}); got != "b:23\n10\nSELECT 1\n" {
			t.Fatalf("execute: %q", got)
		}
	}
	if p.cache == nil || !p.cache.versionOK {
		t.Fatal("no cached plan with a version")
	}
	run(t, s1, "BEGIN")
	c := p.cache
	if got := execPrepared(ctx, s1, p, []any{1}); got != "b:23\n10\nSELECT 1\n" || p.cache != c {
		t.Fatalf("execute in block: %q (cache kept: %v)", got, p.cache == c)
	}
	if got := run(t, s2, "CREATE INDEX t_b ON t (b)"); got != "CREATE INDEX\n" {
		t.Fatal(got)
	}
	run(t, s1, "INSERT INTO u VALUES (1)")
	if got, want := run(t, s1, "COMMIT"), "ERROR 40001: could not serialize access due to read/write dependencies among transactions\n"; got != want {
		t.Errorf("COMMIT: %q, want %q", got, want)
	}
}

// TestPlanCacheResultType checks that statements whose parameter types
// are inferred at Parse execute without the result type check tripping:
// the binding at Execute, with the resolved types, returns the columns
// Parse described.
func TestPlanCacheResultType(t *testing.T) {
	ctx := context.Background()
	s := newTestEngine(t).NewSession()
	defer s.Close()
	run(t, s, "CREATE TABLE t (a int PRIMARY KEY, b text, c numeric(6,2)); INSERT INTO t VALUES (1, 'x', 1.5)")
	for _, tc := range []struct {
		sql    string
		params []any
		want   string
	}{
		{"SELECT $1", []any{"hi"}, "?column?:25\nhi\nSELECT 1\n"},
		{"SELECT $1, $2::int + 1 FROM t WHERE a = $3", []any{"p", 2, 1}, "?column?:25 | ?column?:23\np | 3\nSELECT 1\n"},
		{"SELECT c * $1 FROM t WHERE b = $2", []any{2, "x"}, "?column?:1700\n3.00\nSELECT 1\n"},
		{"SELECT a FROM t WHERE a = ANY($1)", []any{"{1,2}"}, "a:23\n1\nSELECT 1\n"},
		{"INSERT INTO t VALUES ($1, $2, $3) RETURNING *", []any{2, "y", 2.25}, "a:23 | b:25 | c:1700(393222)\n2 | y | 2.25\nINSERT 0 1\n"},
		{"UPDATE t SET c = c + $1 WHERE a = $2 RETURNING c", []any{1, 2}, "c:1700(393222)\n3.25\nUPDATE 1\n"},
		{"DELETE FROM t WHERE a = $1 RETURNING b", []any{2}, "b:25\ny\nDELETE 1\n"},
	} {
		p, err := s.Prepare(ctx, tc.sql, nil)
		if err != nil {
			t.Fatalf("prepare %s: %v", tc.sql, err)
		}
		if !p.cacheable {
			t.Errorf("%s: not cacheable", tc.sql)
		}
		if got := execPrepared(ctx, s, p, tc.params); got != tc.want {
			t.Errorf("%s:\ngot  %q\nwant %q", tc.sql, got, tc.want)
		}
	}
}
