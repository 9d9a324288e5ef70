package planner

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestSRFStreams checks that a set-returning function in FROM or in the
// select list streams its rows: LIMIT stops a series far too large to
// hold.
func TestSRFStreams(t *testing.T) {
	eng := newTestEngine(t)
	s := eng.NewSession()
	defer s.Close()
	for _, q := range []string{
		"SELECT * FROM generate_series(1, 1000000000000) LIMIT 5",
		"SELECT generate_series(1, 1000000000000) LIMIT 5",
		"SELECT x FROM generate_series(1, 1000000000000) AS x WHERE x % 2 = 0 LIMIT 5",
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		res, err := s.Exec(ctx, q)
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if n := len(res[0].Rows); n != 5 {
			t.Fatalf("%s: %d rows, want 5", q, n)
		}
	}
}

// TestSRFErrors checks where set-returning functions are refused.
func TestSRFErrors(t *testing.T) {
	eng := newTestEngine(t)
	s := eng.NewSession()
	defer s.Close()
	run(t, s, "CREATE TABLE t (a int PRIMARY KEY)")
	for _, tc := range []struct{ sql, want string }{
		{"SELECT * FROM t WHERE generate_series(1, 2) = 1", "ERROR 0A000: set-returning functions are not allowed in WHERE"},
		{"SELECT a FROM t GROUP BY a HAVING generate_series(1, 2) = 1", "ERROR 0A000: set-returning functions are not allowed in HAVING"},
		{"SELECT sum(generate_series(1, 3))", "ERROR 0A000: aggregate function calls cannot contain set-returning function calls"},
		{"SELECT * FROM generate_series(1, 3, 0)", "ERROR 22023: step size cannot equal zero"},
		{"VALUES (generate_series(1, 2))", "ERROR 0A000: set-returning functions are not allowed in VALUES"},
		{"SELECT * FROM generate_series(1, generate_series(1, 2))", "ERROR 0A000: set-returning functions must appear at top level of FROM"},
		{"SELECT * FROM generate_series(1.5::float8, 3)", "ERROR 42883: function generate_series(double precision, integer) does not exist"},
	} {
		got := run(t, s, tc.sql)
		if !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s:\n got  %s want %s", tc.sql, got, tc.want)
		}
	}
}

// TestSRFPrepared checks parameters in set-returning calls: their types
// come from the function's signature.
func TestSRFPrepared(t *testing.T) {
	eng := newTestEngine(t)
	s := eng.NewSession()
	defer s.Close()
	ctx := context.Background()
	for _, tc := range []struct {
		sql    string
		params []Value
		oids   []uint32
		rows   int
	}{
		{"SELECT * FROM generate_series(1, $1)", []Value{TextValue("4")}, []uint32{23}, 4},
		{"SELECT generate_series(1, $1), $2::text", []Value{TextValue("3"), TextValue("x")}, []uint32{23, 25}, 3},
		{"SELECT * FROM unnest($1::int[])", []Value{TextValue("{1,2}")}, []uint32{1007}, 2},
		{"SELECT round($1::numeric, $2)", []Value{TextValue("1.25"), TextValue("1")}, []uint32{1700, 23}, 1},
	} {
		p, err := s.Prepare(ctx, tc.sql, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.sql, err)
		}
		if got := p.ParamTypes(); len(got) != len(tc.oids) || got[0] != tc.oids[0] {
			t.Errorf("%s: parameter types %v, want %v", tc.sql, got, tc.oids)
		}
		res, err := s.Execute(ctx, p, tc.params)
		if err != nil {
			t.Fatalf("%s: %v", tc.sql, err)
		}
		if len(res.Rows) != tc.rows {
			t.Errorf("%s: %d rows, want %d", tc.sql, len(res.Rows), tc.rows)
		}
		if err := s.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFuncOddInputs runs functions over inputs that stress their parsers:
// none may panic, and each gives a value or a PostgreSQL error.
func TestFuncOddInputs(t *testing.T) {
	eng := newTestEngine(t)
	s := eng.NewSession()
	defer s.Close()
	for _, q := range []string{
		"SELECT to_char(12.5, 'ßß9.9ẞ'), to_char(-1, 'FMS'), to_char(1, ''), to_char(1, '.'), to_char(99, '9.9.9D9')",
		"SELECT to_number('', '999'), to_number('x', ''), to_number('1.2.3', '9.9')",
		"SELECT format('%'), format('%1$'), format('%*'), format('%-'), format('%0$s', 1), format('%99999999999s', 1)",
		"SELECT substr('abc', 9223372036854775807::int8::int4), overlay('abc' PLACING 'x' FROM 2147483647 FOR 2147483647)",
		"SELECT regexp_replace('abc', '(', 'x'), regexp_match('abc', '[')",
		"SELECT substring('abc' SIMILAR '[' ESCAPE '#'), 'a' SIMILAR TO '('",
		"SELECT decode('\\\\1', 'escape'), decode('===', 'base64'), encode('', 'base64')",
		"SELECT lpad('x', 2147483647), rpad('x', 2147483647, 'é')",
		"SELECT width_bucket(1, 0, 10, 2147483647), width_bucket(10, 0, 10, 2147483647)",
		"SELECT gcd(-9223372036854775808::int8, -1::int8), lcm(-9223372036854775808::int8, 1::int8), mod(-9223372036854775808::int8, -1::int8)",
		"SELECT TIMESTAMP '2024-01-01' AT TIME ZONE '+99', TIMESTAMPTZ 'infinity' AT TIME ZONE 'UTC'",
		"SELECT * FROM generate_series('infinity'::numeric, 1)",
		"SELECT * FROM generate_series(9223372036854775806::int8, 9223372036854775807::int8)",
		"SELECT * FROM generate_series(-2147483647, -2147483648, -1)",
	} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: panic %v", q, r)
				}
			}()
			out := run(t, s, q)
			if strings.Contains(out, "XX000") {
				t.Errorf("%s: internal error: %s", q, out)
			}
		}()
	}
}
