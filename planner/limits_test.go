package planner

// Tests of refused input: nesting depth, bad bytes, unsupported statements.

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// TestDeepNesting checks that deeply nested expressions are refused with
// 54001 (by PostgreSQL's parser or by the binder's depth limit), not a
// stack overflow.
func TestDeepNesting(t *testing.T) {
	s := newTestEngine(t).NewSession()
	for _, tt := range []struct {
		name string
		sql  string
		code string
	}{
		// PostgreSQL's own parser gives up first here, with bison's
		// "memory exhausted" as a syntax error, exactly as PostgreSQL.
		{"parens", "SELECT " + strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000), sqlerr.SyntaxError},
		{"operators", "SELECT 1" + strings.Repeat(" + 1", 5000), sqlerr.StatementTooComplex},
		{"not", "SELECT " + strings.Repeat("NOT ", 5000) + "true", sqlerr.StatementTooComplex},
	} {
		_, err := s.Exec(context.Background(), tt.sql)
		if code := sqlerr.Code(err); code != tt.code {
			t.Errorf("%s: err %v, want SQLSTATE %s", tt.name, err, tt.code)
		}
	}
	// Moderate nesting works.
	runSteps(t, s, []step{{"SELECT 1" + strings.Repeat(" + 1", 200), "?column?:23\n201\nSELECT 1\n"}})
}

// TestBadInput checks inputs that must be refused cleanly.
func TestBadInput(t *testing.T) {
	s := newTestEngine(t).NewSession()
	for _, tt := range []struct {
		sql  string
		code string
	}{
		{"SELECT 'a\x00b'", sqlerr.SyntaxError},
		{"SELECT '\xff'", "22021"},
		{"SELECT $1", sqlerr.UndefinedParameter},
		{"SELECT 1e1000000::numeric", sqlerr.NumericValueOutOfRange},
		{"SELECT 'unterminated", sqlerr.SyntaxError},
		{"SELECT 1::int[]", sqlerr.CannotCoerce},
		{"CREATE INDEX i ON t (a)", sqlerr.UndefinedTable},
		{"CREATE INDEX i ON t ((a + 1))", sqlerr.UndefinedTable},
		{"COPY t FROM '/etc/passwd'", sqlerr.InsufficientPrivilege},
		{"EXPLAIN (FORMAT foo) SELECT 1", sqlerr.InvalidParameterValue},
	} {
		_, err := s.Exec(context.Background(), tt.sql)
		if code := sqlerr.Code(err); code != tt.code {
			t.Errorf("%q: err %v, want SQLSTATE %s", tt.sql, err, tt.code)
		}
	}
}

// TestStatementTimeout checks that statement_timeout and a canceled
// context stop a long scan with 57014.
func TestStatementTimeout(t *testing.T) {
	s := newTestEngine(t).NewSession()
	ctx := context.Background()
	var sb strings.Builder
	sb.WriteString("CREATE TABLE big (id int PRIMARY KEY); INSERT INTO big VALUES (0)")
	for i := 1; i < 5000; i++ {
		sb.WriteString(", (" + strconv.Itoa(i) + ")")
	}
	if _, err := s.Exec(ctx, sb.String()); err != nil {
		t.Fatal(err)
	}
	canceledCtx, cancel := context.WithCancel(ctx)
	cancel()
	_, err := s.Exec(canceledCtx, "SELECT count(*) FROM big")
	if e := sqlerr.As(err); e == nil || e.Code != sqlerr.QueryCanceled || e.Message != "canceling statement due to user request" {
		t.Errorf("canceled context: %v", err)
	}
	runSteps(t, s, []step{{"SET statement_timeout = '1us'", "SET\n"}})
	_, err = s.Exec(ctx, "SELECT count(*) FROM big")
	if e := sqlerr.As(err); e == nil || e.Code != sqlerr.QueryCanceled || e.Message != "canceling statement due to statement timeout" {
		t.Errorf("statement timeout: %v", err)
	}
	runSteps(t, s, []step{{"SET statement_timeout = 0", "SET\n"}, {"SELECT count(*) FROM big", "count:20\n5000\nSELECT 1\n"}})
	for _, tt := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"0", 0, true}, {"1500", 1500 * time.Millisecond, true}, {"2s", 2 * time.Second, true},
		{"1 min", time.Minute, true}, {"10ms", 10 * time.Millisecond, true}, {"x", 0, false}, {"5 parsecs", 0, false},
	} {
		got, ok := parseDurationSetting(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseDurationSetting(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestMemoryLimit checks that statements holding too many rows in memory
// fail with 53200 instead of exhausting the server, and that streaming
// ones (no sort, LIMIT) are not limited.
func TestMemoryLimit(t *testing.T) {
	s := newTestEngine(t).NewSession()
	ctx := context.Background()
	var sb strings.Builder
	sb.WriteString("CREATE TABLE big (id int PRIMARY KEY, v text); INSERT INTO big VALUES (0, 'x')")
	for i := 1; i < 3000; i++ {
		sb.WriteString(", (" + strconv.Itoa(i) + ", 'value')")
	}
	if _, err := s.Exec(ctx, sb.String()); err != nil {
		t.Fatal(err)
	}
	saved := maxQueryMemory
	maxQueryMemory = 64 << 10
	defer func() { maxQueryMemory = saved }()
	for _, sql := range []string{
		"SELECT * FROM big ORDER BY v, id",
		"SELECT id, count(*) FROM big GROUP BY id",
		"UPDATE big SET v = 'y'",
		"SELECT * FROM big",
	} {
		_, err := s.Exec(ctx, sql)
		if e := sqlerr.As(err); e == nil || e.Code != "53200" {
			t.Errorf("%s: err %v, want 53200", sql, err)
		}
	}
	runSteps(t, s, []step{
		{"SELECT id FROM big ORDER BY id DESC LIMIT 2", "id:23\n2999\n2998\nSELECT 2\n"},
		{"SELECT count(*), max(v) FROM big", "count:20 | max:25\n3000 | x\nSELECT 1\n"},
	})
}
