package planner

// Side-by-side test of the date/time, bytea, uuid, json and array types
// through the whole engine (DDL, DML, casts, operators, functions,
// ordering) against a real PostgreSQL 15: every statement's rows or error
// must match.

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aspen-db/aspen/internal/pgtest"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/jackc/pgx/v5/pgconn"
)

// typeStatements run in order in both engines; SELECTs are compared row
// by row (they order their rows).
var typeStatements = []string{
	"CREATE TABLE ev (id int PRIMARY KEY, d date, t time, ts timestamp, tz timestamptz, iv interval, c char(4), b bytea, u uuid, j json, jb jsonb, ia int4[], ta text[])",
	"INSERT INTO ev VALUES (1, '2024-01-05', '10:11:12.5', '2024-01-05 10:11:12', '2024-01-05 10:11:12+02', '1 day 2 hours', 'ab', '\\x0102', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"b\":1, \"a\":2}', '{\"b\":1, \"a\":2}', '{1,2,NULL}', '{a,\"b c\"}')",
	"INSERT INTO ev VALUES (2, '1999-12-31', '23:59:59', '1999-12-31 23:59:59.999999', '1999-12-31 23:59:59+00', '-1 mon', 'abcd', '\\x', '00000000-0000-0000-0000-000000000000', '[]', '[1, \"x\"]', '{}', '{}')",
	"INSERT INTO ev VALUES (3, 'infinity', '00:00', '-infinity', 'infinity', '30 days', NULL, NULL, NULL, NULL, 'null', NULL, NULL)",
	"INSERT INTO ev (id, c) VALUES (4, 'abcde')",
	"INSERT INTO ev (id, d) VALUES (4, '2024-02-30')",
	"SELECT id, d, t, ts, tz, iv, c, b, u, j, jb, ia, ta FROM ev ORDER BY id",
	"SELECT id FROM ev ORDER BY d, id",
	"SELECT id FROM ev ORDER BY iv DESC, id",
	"SELECT id FROM ev ORDER BY tz, id",
	"SELECT id FROM ev ORDER BY jb, id",
	"SELECT id FROM ev ORDER BY ia, id",
	"SELECT count(DISTINCT iv) FROM ev",
	"SELECT id FROM ev WHERE d = '2024-01-05'",
	"SELECT id FROM ev WHERE ts < '2000-01-01' ORDER BY id",
	"SELECT id FROM ev WHERE c = 'ab' ORDER BY id",
	"SELECT id FROM ev WHERE u = 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'",
	"SELECT d + 1, d - 1, d + iv, ts + iv, ts - iv, tz + iv FROM ev WHERE id = 1",
	"SELECT d - '2024-01-01', ts - '2024-01-01', iv * 2, iv / 3, iv + iv, -iv FROM ev WHERE id = 1",
	"SELECT d + '1 day' FROM ev WHERE id = 1",
	"SELECT t + '1 hour', t - '10:00' FROM ev WHERE id = 1",
	"SELECT DATE '2024-01-31' + INTERVAL '1 month', TIMESTAMP '2024-01-05 10:00' - DATE '2024-01-01'",
	"SELECT '2024-01-05'::date::timestamp, '2024-01-05 10:00'::timestamp::date, '2024-01-05 10:00+00'::timestamptz::timestamp",
	"SELECT CAST('1 day' AS interval), CAST('10:00' AS time)::interval, 'ab'::char(4) || 'x', length('ab'::char(4))",
	"SELECT '{\"a\":1}'::json::jsonb, '{\"b\":1,\"a\":2}'::jsonb::json, '[1,2]'::jsonb::text",
	"SELECT '{1,2,3}'::int[], ARRAY[1,2]::text[], '{a,b}'::varchar(1)[]",
	"SELECT date_trunc('month', ts), date_trunc('hour', tz), date_trunc('day', d), date_trunc('hour', iv) FROM ev WHERE id = 1",
	"SELECT extract(year FROM d), extract(epoch FROM ts), extract(hour FROM tz), date_part('dow', d), extract(day FROM iv) FROM ev WHERE id = 1",
	"SELECT age(TIMESTAMP '2024-03-31', TIMESTAMP '2024-02-29 10:00'), age(DATE '2024-03-31', DATE '2023-01-01')",
	"SELECT to_char(ts, 'YYYY-MM-DD HH24:MI:SS.MS Day'), to_char(tz, 'HH12:MI AM TZ'), to_char(iv, 'DD HH24'), to_char(d, 'DD Mon YYYY') FROM ev WHERE id = 1",
	"SELECT justify_hours(INTERVAL '50 hours'), justify_days(INTERVAL '40 days')",
	"SELECT now() - now(), current_date - current_date, localtimestamp - localtimestamp, now() = current_timestamp",
	"SELECT current_date - current_date, current_timestamp - now(), ARRAY[1], ia[1] FROM ev WHERE id = 1",
	"SELECT '2024-01-05 10:00+00'::timestamptz",
	"SELECT to_date('05 Jan 2024', 'DD Mon YYYY'), to_timestamp('2024-01-05 10:11', 'YYYY-MM-DD HH24:MI'), to_timestamp(1704449472.5)",
	"SELECT make_date(2024, 2, 29), make_time(10, 11, 12.5), make_timestamp(2024, 1, 5, 10, 11, 12.5), make_interval(1, 2, 3, 4, 5, 6, 7.5)",
	"SELECT jb -> 'a', jb ->> 'b', j -> 'a', jb #> '{a}', jb @> '{\"a\":2}', jb ? 'a', jb ?| '{x,b}', jb || '{\"c\":3}', jb - 'a' FROM ev WHERE id = 1",
	"SELECT jb -> 1, jb ->> 0 FROM ev WHERE id = 2",
	"SELECT jsonb_build_object('k', d, 'n', 1.50, 'a', ia), json_build_object('x', ts), to_jsonb(tz), to_json(ta), jsonb_typeof(jb), jsonb_set(jb, '{a}', '[9]') FROM ev WHERE id = 1",
	"SELECT jsonb_array_length(jb) FROM ev WHERE id = 2",
	"SELECT ia || 4, 0 || ia, ia || ia, array_length(ia, 1), cardinality(ia), array_position(ia, 2), array_remove(ia, NULL), array_to_string(ia, ',', '*'), string_to_array('a,b', ',') FROM ev WHERE id = 1",
	"SELECT 2 = ANY(ia), 5 = ANY(ia), 0 < ALL(ia), 'b c' = ANY(ta) FROM ev WHERE id = 1",
	"SELECT id FROM ev WHERE id = ANY('{1,3}') ORDER BY id",
	"SELECT ia[1], ia[3], ia[0], ia[5], ia[2:3], ia[:2], ia[2:], ta[2], (ARRAY[1,2,3])[2] FROM ev WHERE id = 1",
	"SELECT j = j FROM ev",
	"CREATE TABLE k (t timestamptz PRIMARY KEY, iv interval UNIQUE, u uuid, c char(3))",
	"INSERT INTO k VALUES ('2024-01-05 10:00+00', '1 mon', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'a'), ('2024-01-05 09:00-02', '1 day', NULL, 'a  '), ('1999-01-01 00:00+00', '-1 day', NULL, 'b')",
	"INSERT INTO k VALUES ('2024-01-05 11:00+01', '2 days', NULL, NULL)",
	"INSERT INTO k VALUES ('2025-01-01 00:00+00', '30 days', NULL, NULL)",
	"SELECT t, iv FROM k ORDER BY t",
	"SELECT t FROM k WHERE t = '2024-01-05 11:00+00'",
	"SELECT t FROM k WHERE t > '2000-01-01' ORDER BY t DESC",
	"SELECT iv FROM k WHERE iv = '24 hours'",
	"SELECT c, count(*) FROM k GROUP BY c ORDER BY c",
	"SELECT DISTINCT c FROM k ORDER BY c",
	"CREATE TABLE dflt (id int PRIMARY KEY, created timestamptz DEFAULT now(), d date DEFAULT current_date, u uuid DEFAULT gen_random_uuid())",
	"INSERT INTO dflt (id) VALUES (1), (2)",
	"SELECT id, created > '2020-01-01', d = current_date, length(u::text), created = now() FROM dflt ORDER BY id",
	"SELECT count(DISTINCT u) FROM dflt",
	"BEGIN",
	"INSERT INTO dflt (id) VALUES (3)",
	"SELECT created = now(), clock_timestamp() >= now() FROM dflt WHERE id = 3",
	"COMMIT",
	"SET TimeZone = 'America/New_York'",
	"SELECT tz, tz::date, tz::time, tz::timestamp, date_trunc('day', tz), extract(hour FROM tz), to_char(tz, 'HH24 TZ OF') FROM ev ORDER BY id",
	"SELECT '2024-03-10 12:00'::timestamptz + INTERVAL '1 day', '2024-03-10 12:00'::timestamptz - '2024-03-09 12:00'::timestamptz",
	"SELECT ARRAY['2024-01-05 10:00+00'::timestamptz]",
	"SET TimeZone = 'Nowhere/Land'",
	"SELECT '2024-13-01'::date",
	"SELECT 'foo'::interval",
	"SELECT '\\xzz'::bytea",
	"SELECT 'x'::uuid",
	"SELECT '{\"a\" 1}'::jsonb",
	"SELECT '{1,2'::int[]",
	"SELECT DATE '2024-01-01' + DATE '2024-01-01'",
	"SELECT 1::int4 - DATE '2024-01-01'",
	"SELECT 'abcde'::char(4)",
	"SELECT CAST(1 AS date)",
	"SELECT '10:00'::time(7)",
}

func TestTypesCompat(t *testing.T) {
	srv := pgtest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pc, err := pgconn.Connect(ctx, srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close(context.Background())
	s := newTestEngine(t).NewSession()
	defer s.Close()
	for _, stmt := range typeStatements {
		want := pgRows(ctx, pc, stmt)
		results, err := s.Exec(ctx, stmt)
		got := aspenRows(results, err)
		if got != want {
			t.Errorf("%s\n got  %s\n want %s", stmt, got, want)
		}
	}
}

// pgRows renders PostgreSQL's answer: the rows' text values, or the
// error's SQLSTATE and message.
func pgRows(ctx context.Context, c *pgconn.PgConn, sql string) string {
	res, err := c.Exec(ctx, sql).ReadAll()
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return "ERROR " + pe.Code + ": " + pe.Message
	}
	if err != nil {
		return "ERROR " + err.Error()
	}
	var sb strings.Builder
	for _, r := range res {
		for i, f := range r.FieldDescriptions {
			if len(r.Rows) == 0 {
				break
			}
			if i > 0 {
				sb.WriteByte('|')
			}
			sb.WriteString(f.Name)
		}
		if len(r.FieldDescriptions) > 0 && len(r.Rows) > 0 {
			sb.WriteString(": ")
		}
		for _, row := range r.Rows {
			for i, v := range row {
				if i > 0 {
					sb.WriteByte('|')
				}
				if v == nil {
					sb.WriteString("NULL")
				} else {
					sb.Write(v)
				}
			}
			sb.WriteString("; ")
		}
	}
	return sb.String()
}

func aspenRows(results []*Result, err error) string {
	if err != nil {
		e := sqlerr.As(err)
		return "ERROR " + e.Code + ": " + e.Message
	}
	var sb strings.Builder
	for _, r := range results {
		if r == nil {
			continue
		}
		for i, c := range r.Columns {
			if len(r.Rows) == 0 {
				break // as pgRows: no names for an empty result
			}
			if i > 0 {
				sb.WriteByte('|')
			}
			sb.WriteString(c.Name)
		}
		if len(r.Columns) > 0 && len(r.Rows) > 0 {
			sb.WriteString(": ")
		}
		for _, row := range r.Rows {
			for i, v := range row {
				if i > 0 {
					sb.WriteByte('|')
				}
				if v.IsNull() {
					sb.WriteString("NULL")
				} else {
					sb.Write(v.AppendText(nil))
				}
			}
			sb.WriteString("; ")
		}
	}
	return sb.String()
}

// TestTypesCompatParams runs parameterized statements through Prepare and
// Execute with text parameters, as pgwire does, and compares with
// PostgreSQL's extended protocol.
func TestTypesCompatParams(t *testing.T) {
	srv := pgtest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pc, err := pgconn.Connect(ctx, srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close(context.Background())
	s := newTestEngine(t).NewSession()
	defer s.Close()
	setup := "CREATE TABLE p (id int PRIMARY KEY, d date, tz timestamptz, iv interval, jb jsonb, ia int4[], u uuid)"
	if _, err := pc.Exec(ctx, setup).ReadAll(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Exec(ctx, setup); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		sql    string
		params []string
	}{
		{"INSERT INTO p VALUES ($1, $2, $3, $4, $5, $6, $7)", []string{"1", "2024-01-05", "2024-01-05 10:00+02", "1 day", `{"a":1}`, "{1,2}", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}},
		{"SELECT id FROM p WHERE d = $1", []string{"2024-01-05"}},
		{"SELECT d + $1::int, tz - $2::interval FROM p", []string{"3", "2 hours"}},
		{"SELECT id FROM p WHERE tz > $1", []string{"2024-01-05 07:59:59+00"}},
		{"SELECT jb -> $1 FROM p", []string{"a"}},
		{"SELECT $1::date", []string{"2024-02-30"}},
		{"SELECT tz FROM p WHERE tz = $1", []string{"2024-01-05 10:00"}},
		{"SET TimeZone = 'Asia/Tokyo'", nil},
		{"SELECT tz, 'at ' || tz FROM p WHERE tz = $1", []string{"2024-01-05 17:00"}},
		{"SELECT id FROM p WHERE u = $1", []string{"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"}},
	}
	for _, c := range cases {
		vals := make([][]byte, len(c.params))
		for i, p := range c.params {
			vals[i] = []byte(p)
		}
		var want string
		res := pc.ExecParams(ctx, c.sql, vals, nil, nil, nil).Read()
		var pe *pgconn.PgError
		switch {
		case errors.As(res.Err, &pe):
			want = "ERROR " + pe.Code + ": " + pe.Message
		case res.Err != nil:
			t.Fatalf("%s: %v", c.sql, res.Err)
		default:
			var sb strings.Builder
			for i, f := range res.FieldDescriptions {
				if len(res.Rows) == 0 {
					break // pgconn reports no fields for an empty result
				}
				if i > 0 {
					sb.WriteByte('|')
				}
				sb.WriteString(f.Name)
			}
			if len(res.FieldDescriptions) > 0 && len(res.Rows) > 0 {
				sb.WriteString(": ")
			}
			for _, row := range res.Rows {
				for i, v := range row {
					if i > 0 {
						sb.WriteByte('|')
					}
					if v == nil {
						sb.WriteString("NULL")
					} else {
						sb.Write(v)
					}
				}
				sb.WriteString("; ")
			}
			want = sb.String()
		}
		var got string
		p, err := s.Prepare(ctx, c.sql, nil)
		if err == nil {
			params := make([]Value, len(c.params))
			for i, v := range c.params {
				params[i] = TextValue(v)
			}
			var r *Result
			r, err = s.Execute(ctx, p, params)
			if err == nil {
				err = s.Sync(ctx)
			}
			got = aspenRows([]*Result{r}, err)
		} else {
			got = aspenRows(nil, err)
		}
		if got != want {
			t.Errorf("%s %q\n got  %s\n want %s", c.sql, c.params, got, want)
		}
	}
}
