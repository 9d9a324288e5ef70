package planner

// Statement-level tests of types, operators, DDL and DML against PostgreSQL 15 behaviour, on a real store.

import (
	"testing"
)

// step is one statement text and the rendering PostgreSQL 15 gives for
// it (see render: column name:type-oid(typmod), rows, tag, or ERROR code:
// message (position)).
type step struct {
	sql  string
	want string
}

// runSteps runs steps in order in one session and compares each output.
func runSteps(t *testing.T, s *Session, steps []step) {
	t.Helper()
	for _, st := range steps {
		got := run(t, s, st.sql)
		if got != st.want {
			t.Errorf("%s\n got:\n%s\nwant:\n%s", st.sql, got, st.want)
		}
	}
}

func TestSelectWithoutFrom(t *testing.T) {
	s := newTestEngine(t).NewSession()
	runSteps(t, s, []step{
		{"SELECT 1+2, 'a' || 'b'", "?column?:23 | ?column?:25\n3 | ab\nSELECT 1\n"},
		{"SELECT 7/2, -7/2, 7%3, 7.0/2, 1/3::numeric", "?column?:23 | ?column?:23 | ?column?:23 | ?column?:1700 | ?column?:1700\n3 | -3 | 1 | 3.5000000000000000 | 0.33333333333333333333\nSELECT 1\n"},
		{"SELECT 1 + 1.5, 2::int2 + 3::int2, 2::int2 + 3, 1::int8 * 2", "?column?:1700 | ?column?:21 | ?column?:23 | ?column?:20\n2.5 | 5 | 5 | 2\nSELECT 1\n"},
		{"SELECT 1.5::float4 + 1, 1.5::float4 + 1::float4, 1 + 0.5::float8", "?column?:701 | ?column?:700 | ?column?:701\n2.5 | 2.5 | 1.5\nSELECT 1\n"},
		{"SELECT 1 + '2', '3' * 2.5", "?column?:23 | ?column?:1700\n3 | 7.5\nSELECT 1\n"},
		{"SELECT true, NULL, 'x' AS name, 1::int AS n", "?column?:16 | ?column?:25 | name:25 | n:23\nt | NULL | x | 1\nSELECT 1\n"},
		{"SELECT 1::int, '1.50'::numeric, 'abc'::varchar(2), CAST(3 AS bigint)", "int4:23 | numeric:1700 | varchar:1043(6) | int8:20\n1 | 1.50 | ab | 3\nSELECT 1\n"},
		{"SELECT NULL = NULL, NULL IS NULL, 1 = 1 AND NULL, 1 = 2 AND NULL, 1 = 1 OR NULL, NOT NULL::bool", "?column?:16 | ?column?:16 | ?column?:16 | ?column?:16 | ?column?:16 | ?column?:16\nNULL | t | NULL | f | t | NULL\nSELECT 1\n"},
		{"SELECT 1 IS DISTINCT FROM NULL, NULL IS NOT DISTINCT FROM NULL, 2 BETWEEN 1 AND 3, 5 IN (1, 2, NULL), 2 IN (1, 2, NULL)", "?column?:16 | ?column?:16 | ?column?:16 | ?column?:16 | ?column?:16\nt | t | t | NULL | t\nSELECT 1\n"},
		{"SELECT CASE WHEN 1 > 2 THEN 'a' ELSE 'b' END, CASE 2 WHEN 1 THEN 10 WHEN 2 THEN 20 END, COALESCE(NULL, 2, 3), NULLIF(1, 1)", "case:25 | case:23 | coalesce:23 | nullif:23\nb | 20 | 2 | NULL\nSELECT 1\n"},
		{"SELECT 'abc' LIKE 'a%', 'abc' NOT LIKE '_b_', 'ABC' ILIKE 'a%', lower('AbC'), upper('x'), length('héllo'), abs(-3), abs(-2.5)", "?column?:16 | ?column?:16 | ?column?:16 | lower:25 | upper:25 | length:23 | abs:23 | abs:1700\nt | f | t | abc | X | 5 | 3 | 2.5\nSELECT 1\n"},
		{"SELECT greatest(1, 5, 3), least(2.5, 1), 1 < 2.5, 2 > 1.5::float8, 'b' > 'a'", "greatest:23 | least:1700 | ?column?:16 | ?column?:16 | ?column?:16\n5 | 1 | t | t | t\nSELECT 1\n"},
		{"SELECT 0.1::float8 + 0.2, 1e15::float8, 1.1::float4::float8", "?column?:701 | float8:701 | float8:701\n0.30000000000000004 | 1e+15 | 1.100000023841858\nSELECT 1\n"},
		{"SELECT current_user, session_user, current_schema(), current_schema, current_database(), current_catalog", "current_user:25 | session_user:25 | current_schema:25 | current_schema:25 | current_database:25 | current_catalog:25\naspen | aspen | public | public | aspen | aspen\nSELECT 1\n"},
		{"SELECT version() LIKE 'PostgreSQL 15.%'", "?column?:16\nt\nSELECT 1\n"},
		{"SELECT 1 WHERE false", "?column?:23\nSELECT 0\n"},
		{"SELECT 1 LIMIT 0", "?column?:23\nSELECT 0\n"},
		// Errors.
		{"SELECT 2147483647 + 1", "ERROR 22003: integer out of range\n"},
		{"SELECT 1/0", "ERROR 22012: division by zero\n"},
		{"SELECT 'abc'::int", "ERROR 22P02: invalid input syntax for type integer: \"abc\" (position 8)\n"},
		{"SELECT 1 + 'x'", "ERROR 22P02: invalid input syntax for type integer: \"x\" (position 12)\n"},
		{"SELECT 'a' + 'b'", "ERROR 42725: operator is not unique: unknown + unknown (position 12)\n"},
		{"SELECT 'a'::text + 1", "ERROR 42883: operator does not exist: text + integer (position 18)\n"},
		{"SELECT 1 || 2", "ERROR 42883: operator does not exist: integer || integer (position 10)\n"},
		{"SELECT 1 AND true", "ERROR 42804: argument of AND must be type boolean, not type integer (position 8)\n"},
		{"SELECT foo(1)", "ERROR 42883: function foo(integer) does not exist (position 8)\n"},
		{"SELECT txid_current()", "ERROR 0A000: function txid_current is not supported yet (position 8)\n"},
		{"SELECT pg_catalog.pg_backend_pid()", "pg_backend_pid:23\n0\nSELECT 1\n"}, // no protocol PID in a bare session
		{"SELECT * FROM pg_catalog.pg_amop", "ERROR 0A000: system catalog pg_amop is not supported yet (position 15)\n"},
		{"SELECT * FROM pg_transform", "ERROR 0A000: system catalog pg_transform is not supported yet (position 15)\n"},
		{"SELECT * FROM information_schema.routines", "ERROR 0A000: system catalog routines is not supported yet (position 15)\n"},
		{"SELECT relname, relkind FROM pg_catalog.pg_class WHERE relname = 'pg_type'", "relname:19 | relkind:18\npg_type | r\nSELECT 1\n"},
		{"SELECT x", "ERROR 42703: column \"x\" does not exist (position 8)\n"},
		{"SELECT *", "ERROR 42601: SELECT * with no tables specified is not valid (position 8)\n"},
		{"SELECT 1 FROM", "ERROR 42601: syntax error at end of input (position 14)\n"},
		{"SELEC 1", "ERROR 42601: syntax error at or near \"SELEC\" (position 1)\n"},
		{"SELECT 'é' || é", "ERROR 42703: column \"é\" does not exist (position 15)\n"},
		{"SELECT 1 UNION SELECT 2", "?column?:23\n1\n2\nSELECT 2\n"},
		{"SELECT (SELECT 1)", "?column?:23\n1\nSELECT 1\n"},
		{"SELECT NULLIF(NULL::int, 1/0)", "ERROR 22012: division by zero\n"},
		{"SELECT (SELECT 1 UNION SELECT 2)", "ERROR 21000: more than one row returned by a subquery used as an expression\n"},
		{"SELECT 1 LIMIT -1", "ERROR 2201W: LIMIT must not be negative\n"},
		{"SELECT 99999999999::int", "ERROR 22003: integer out of range\n"},
		{"SELECT 123.456::numeric(4,2)", "ERROR 22003: numeric field overflow DETAIL: A field with precision 4, scale 2 must round to an absolute value less than 10^2.\n"},
		{"SELECT ''", "?column?:25\n\nSELECT 1\n"},
		{"", "\n"},
		{";", "\n"},
	})
}

func TestTableStatements(t *testing.T) {
	s := newTestEngine(t).NewSession()
	runSteps(t, s, []step{
		{"CREATE TABLE t (a int PRIMARY KEY, b text NOT NULL DEFAULT 'x', c numeric(10,2) UNIQUE, d varchar(3))", "CREATE TABLE\n"},
		{"CREATE TABLE t (z int)", "ERROR 42P07: relation \"t\" already exists\n"},
		{"CREATE TABLE IF NOT EXISTS t (z int)", "NOTICE 42P07: relation \"t\" already exists, skipping\nCREATE TABLE\n"},
		{"INSERT INTO t VALUES (1, 'one', 1.005, 'abc'), (2, 'two', 2, NULL) RETURNING *", "a:23 | b:25 | c:1700(655366) | d:1043(7)\n1 | one | 1.01 | abc\n2 | two | 2.00 | NULL\nINSERT 0 2\n"},
		{"INSERT INTO t (a) VALUES (3)", "INSERT 0 1\n"},
		{"INSERT INTO t (a, b) VALUES (4, DEFAULT) RETURNING b, a + 1 AS next", "b:25 | next:23\nx | 5\nINSERT 0 1\n"},
		{"INSERT INTO t VALUES (1, 'dup', 3)", "ERROR 23505: duplicate key value violates unique constraint \"t_pkey\" DETAIL: Key (a)=(1) already exists.\n"},
		{"INSERT INTO t VALUES (5, 'dup', 2.000)", "ERROR 23505: duplicate key value violates unique constraint \"t_c_key\" DETAIL: Key (c)=(2.00) already exists.\n"},
		{"INSERT INTO t VALUES (5, NULL, 5)", "ERROR 23502: null value in column \"b\" of relation \"t\" violates not-null constraint DETAIL: Failing row contains (5, null, 5.00, null).\n"},
		{"INSERT INTO t VALUES (NULL, 'n')", "ERROR 23502: null value in column \"a\" of relation \"t\" violates not-null constraint DETAIL: Failing row contains (null, n, null, null).\n"},
		{"INSERT INTO t (a, d) VALUES (6, 'abcd')", "ERROR 22001: value too long for type character varying(3)\n"},
		{"INSERT INTO t (a, d) VALUES (6, 'ab   ') RETURNING d", "d:1043(7)\nab \nINSERT 0 1\n"},
		{"INSERT INTO t (a, b) VALUES ('x', 1)", "ERROR 22P02: invalid input syntax for type integer: \"x\" (position 30)\n"},
		{"INSERT INTO t (a, b) VALUES (7, 1)", "INSERT 0 1\n"},
		{"INSERT INTO t (a) VALUES (true)", "ERROR 42804: column \"a\" is of type integer but expression is of type boolean (position 27)\n"},
		{"INSERT INTO t (a, zz) VALUES (1, 2)", "ERROR 42703: column \"zz\" of relation \"t\" does not exist (position 19)\n"},
		{"INSERT INTO t (a, a) VALUES (1, 2)", "ERROR 42701: column \"a\" specified more than once (position 19)\n"},
		{"INSERT INTO t (a) VALUES (1, 2)", "ERROR 42601: INSERT has more expressions than target columns (position 30)\n"},
		{"INSERT INTO t (a, b) VALUES (1)", "ERROR 42601: INSERT has more target columns than expressions (position 19)\n"},
		{"INSERT INTO t (a) VALUES (2147483648)", "ERROR 22003: integer out of range\n"},
		{"INSERT INTO nosuch VALUES (1)", "ERROR 42P01: relation \"nosuch\" does not exist (position 13)\n"},
		{"SELECT * FROM t ORDER BY a DESC", "a:23 | b:25 | c:1700(655366) | d:1043(7)\n7 | 1 | NULL | NULL\n6 | x | NULL | ab \n4 | x | NULL | NULL\n3 | x | NULL | NULL\n2 | two | 2.00 | NULL\n1 | one | 1.01 | abc\nSELECT 6\n"},
		{"SELECT a, c FROM t WHERE c IS NOT NULL ORDER BY c DESC NULLS LAST", "a:23 | c:1700(655366)\n2 | 2.00\n1 | 1.01\nSELECT 2\n"},
		{"SELECT a FROM t ORDER BY c NULLS FIRST, a LIMIT 3 OFFSET 1", "a:23\n4\n6\n7\nSELECT 3\n"},
		{"SELECT a AS x FROM t WHERE b = 'x' ORDER BY x DESC LIMIT 2", "x:23\n6\n4\nSELECT 2\n"},
		{"SELECT t.a, tt.b FROM t AS tt", "ERROR 42P01: invalid reference to FROM-clause entry for table \"t\" (position 8)\n"},
		{"SELECT x.a FROM t", "ERROR 42P01: missing FROM-clause entry for table \"x\" (position 8)\n"},
		{"SELECT tt.a FROM t AS tt WHERE tt.a = 1", "a:23\n1\nSELECT 1\n"},
		{"SELECT nope FROM t", "ERROR 42703: column \"nope\" does not exist (position 8)\n"},
		{"SELECT t.nope FROM t", "ERROR 42703: column t.nope does not exist (position 8)\n"},
		{"SELECT a FROM t WHERE a", "ERROR 42804: argument of WHERE must be type boolean, not type integer (position 23)\n"},
		{"SELECT count(*) FROM t WHERE count(*) > 1", "ERROR 42803: aggregate functions are not allowed in WHERE (position 30)\n"},
		{"SELECT a, count(*) FROM t", "ERROR 42803: column \"t.a\" must appear in the GROUP BY clause or be used in an aggregate function (position 8)\n"},
		{"SELECT b || '!' AS bang, d FROM t WHERE a BETWEEN 2 AND 4 ORDER BY 1, 2", "bang:25 | d:1043(7)\ntwo! | NULL\nx! | NULL\nx! | NULL\nSELECT 3\n"},
		{"SELECT DISTINCT b FROM t ORDER BY b", "b:25\n1\none\ntwo\nx\nSELECT 4\n"},
		{"UPDATE t SET b = b || '!' WHERE a >= 6 RETURNING a, b", "a:23 | b:25\n6 | x!\n7 | 1!\nUPDATE 2\n"},
		{"UPDATE t SET c = 2 WHERE a = 1", "ERROR 23505: duplicate key value violates unique constraint \"t_c_key\" DETAIL: Key (c)=(2.00) already exists.\n"},
		{"UPDATE t SET b = NULL WHERE a = 1", "ERROR 23502: null value in column \"b\" of relation \"t\" violates not-null constraint DETAIL: Failing row contains (1, null, 1.01, abc).\n"},
		{"UPDATE t SET a = a + 100 WHERE a = 1 RETURNING a", "a:23\n101\nUPDATE 1\n"},
		{"UPDATE t SET a = 2 WHERE a = 101", "ERROR 23505: duplicate key value violates unique constraint \"t_pkey\" DETAIL: Key (a)=(2) already exists.\n"},
		{"UPDATE t SET c = c * 2 WHERE c IS NOT NULL", "UPDATE 2\n"},
		{"UPDATE t SET zz = 1", "ERROR 42703: column \"zz\" of relation \"t\" does not exist (position 14)\n"},
		{"SELECT a, c FROM t WHERE c > 0 ORDER BY a", "a:23 | c:1700(655366)\n2 | 4.00\n101 | 2.02\nSELECT 2\n"},
		{"DELETE FROM t WHERE a > 100 RETURNING a, b", "a:23 | b:25\n101 | one\nDELETE 1\n"},
		{"DELETE FROM t WHERE b LIKE 'x%'", "DELETE 3\n"},
		{"SELECT a, b FROM t ORDER BY a", "a:23 | b:25\n2 | two\n7 | 1!\nSELECT 2\n"},
		{"BEGIN; TRUNCATE t; SELECT count(*) FROM t; ROLLBACK", "BEGIN\nTRUNCATE TABLE\ncount:20\n0\nSELECT 1\nROLLBACK\n"},
		{"TRUNCATE nosuch", "ERROR 42P01: relation \"nosuch\" does not exist (position 10)\n"},
		{"DELETE FROM t", "DELETE 2\n"},
		{"SELECT count(*) FROM t", "count:20\n0\nSELECT 1\n"},
		{"DROP TABLE t", "DROP TABLE\n"},
		{"DROP TABLE t", "ERROR 42P01: table \"t\" does not exist\n"},
		{"DROP TABLE IF EXISTS t", "NOTICE 00000: table \"t\" does not exist, skipping\nDROP TABLE\n"},
		{"SELECT * FROM t", "ERROR 42P01: relation \"t\" does not exist (position 15)\n"},
		// Recreating gets a fresh, empty table.
		{"CREATE TABLE t (a int)", "CREATE TABLE\n"},
		{"SELECT count(*) FROM t", "count:20\n0\nSELECT 1\n"},
	})
}

func TestCreateTableErrors(t *testing.T) {
	s := newTestEngine(t).NewSession()
	runSteps(t, s, []step{
		{"CREATE TABLE a (x int PRIMARY KEY, y int PRIMARY KEY)", "ERROR 42P16: multiple primary keys for table \"a\" are not allowed (position 42)\n"},
		{"CREATE TABLE a (x int, x text)", "ERROR 42701: column \"x\" specified more than once (position 24)\n"},
		{"CREATE TABLE a (x nosuchtype)", "ERROR 42704: type \"nosuchtype\" does not exist (position 19)\n"},
		{"CREATE TABLE a (x int CHECK (x))", "ERROR 42804: argument of CHECK must be type boolean, not type integer (position 30)\n"},
		{"CREATE TABLE a (x int DEFAULT y)", "ERROR 0A000: cannot use column reference in DEFAULT expression (position 31)\n"},
		{"CREATE TABLE a (x int DEFAULT 'z')", "ERROR 22P02: invalid input syntax for type integer: \"z\" (position 31)\n"},
		{"CREATE TABLE a (x numeric(1001))", "ERROR 22023: NUMERIC precision 1001 must be between 1 and 1000 (position 19)\n"},
		{"CREATE TABLE a (x inet)", "ERROR 0A000: type inet is not supported yet (position 19)\n"},
		{"CREATE TABLE a (x int, PRIMARY KEY (y))", "ERROR 42703: column \"y\" named in key does not exist (position 24)\n"},
		{"CREATE TABLE a (x int, y int, PRIMARY KEY (x, y), UNIQUE (y, x), CONSTRAINT named UNIQUE (y))", "CREATE TABLE\n"},
		{"INSERT INTO a VALUES (1, 2), (2, 1)", "INSERT 0 2\n"},
		{"INSERT INTO a VALUES (2, 2)", "ERROR 23505: duplicate key value violates unique constraint \"named\" DETAIL: Key (y)=(2) already exists.\n"},
		{"INSERT INTO a VALUES (1, 2)", "ERROR 23505: duplicate key value violates unique constraint \"a_pkey\" DETAIL: Key (x, y)=(1, 2) already exists.\n"},
		{"CREATE TABLE b (x int UNIQUE, y text)", "CREATE TABLE\n"},
		// NULLs are distinct in a unique index.
		{"INSERT INTO b VALUES (NULL, 'a'), (NULL, 'b'), (1, 'c')", "INSERT 0 3\n"},
		{"SELECT y FROM b WHERE x IS NULL ORDER BY y", "y:25\na\nb\nSELECT 2\n"},
		{"INSERT INTO b VALUES (1, 'd')", "ERROR 23505: duplicate key value violates unique constraint \"b_x_key\" DETAIL: Key (x)=(1) already exists.\n"},
		{"DELETE FROM b WHERE x = 1", "DELETE 1\n"},
		{"INSERT INTO b VALUES (1, 'd')", "INSERT 0 1\n"},
		{"TRUNCATE TABLE b, a", "TRUNCATE TABLE\n"},
		{"SELECT count(*) FROM b", "count:20\n0\nSELECT 1\n"},
		{"INSERT INTO b VALUES (1, 'after truncate')", "INSERT 0 1\n"},
		{"CREATE TEMP TABLE c (x int)", "ERROR 0A000: temporary tables are not supported yet (position 19)\n"},
		{"CREATE TABLE other.c (x int)", "ERROR 3F000: schema \"other\" does not exist (position 14)\n"},
		{"CREATE TABLE z ()", "CREATE TABLE\n"},
		{"INSERT INTO z DEFAULT VALUES", "INSERT 0 1\n"},
		{"INSERT INTO z VALUES (1)", "ERROR 42601: INSERT has more expressions than target columns (position 23)\n"},
		{"SELECT * FROM z", "\n\nSELECT 1\n"},
		{"SELECT FROM z", "\n\nSELECT 1\n"},
		{"SELECT count(*) FROM z", "count:20\n1\nSELECT 1\n"},
		{"CREATE TABLE public.c (x int DEFAULT 1 + 2, y float8 DEFAULT -1.5, z bool DEFAULT true)", "CREATE TABLE\n"},
		{"INSERT INTO c DEFAULT VALUES RETURNING *", "x:23 | y:701 | z:16\n3 | -1.5 | t\nINSERT 0 1\n"},
	})
}

func TestAggregates(t *testing.T) {
	s := newTestEngine(t).NewSession()
	runSteps(t, s, []step{
		{"CREATE TABLE m (id int PRIMARY KEY, g text, i int, n numeric, f float8, s smallint, b bigint)", "CREATE TABLE\n"},
		{"SELECT count(*), count(i), sum(i), avg(i), min(g), max(n) FROM m", "count:20 | count:20 | sum:20 | avg:1700 | min:25 | max:1700\n0 | 0 | NULL | NULL | NULL | NULL\nSELECT 1\n"},
		{"SELECT g, count(*) FROM m GROUP BY g", "g:25 | count:20\nSELECT 0\n"},
		{`INSERT INTO m VALUES
			(1, 'a', 1, 1.5, 0.5, 1, 9223372036854775807),
			(2, 'a', 2, 2.25, 1.5, 2, 1),
			(3, 'b', NULL, NULL, NULL, NULL, NULL),
			(4, 'b', 4, 0.1, 2, 3, 2),
			(5, NULL, 5, 10, 3, 4, 3)`, "INSERT 0 5\n"},
		{"SELECT count(*), count(i), sum(i), avg(i), sum(n), avg(n), sum(f), avg(f), sum(s), sum(b)", "ERROR 42703: column \"i\" does not exist (position 24)\n"},
		{"SELECT count(*), count(i), sum(i), avg(i), sum(n), avg(n), sum(f), avg(f), sum(s), sum(b) FROM m",
			"count:20 | count:20 | sum:20 | avg:1700 | sum:1700 | avg:1700 | sum:701 | avg:701 | sum:20 | sum:1700\n" +
				"5 | 4 | 12 | 3.0000000000000000 | 13.85 | 3.4625000000000000 | 7 | 1.75 | 10 | 9223372036854775813\nSELECT 1\n"},
		{"SELECT g, count(*) AS n, sum(i) FROM m GROUP BY g ORDER BY g NULLS FIRST", "g:25 | n:20 | sum:20\nNULL | 1 | 5\na | 2 | 3\nb | 2 | 4\nSELECT 3\n"},
		{"SELECT g, min(i), max(i) FROM m GROUP BY 1 HAVING count(i) > 1 ORDER BY 1", "g:25 | min:23 | max:23\na | 1 | 2\nSELECT 1\n"},
		{"SELECT g AS grp, count(DISTINCT i % 2) FROM m GROUP BY grp ORDER BY count(DISTINCT i % 2) DESC, grp", "grp:25 | count:20\na | 2\nb | 1\nNULL | 1\nSELECT 3\n"},
		{"SELECT i % 2 AS parity, count(*) FROM m WHERE i IS NOT NULL GROUP BY i % 2 ORDER BY parity", "parity:23 | count:20\n0 | 2\n1 | 2\nSELECT 2\n"},
		{"SELECT count(*) + 1, max(i) * 2 FROM m HAVING count(*) > 10", "?column?:20 | ?column?:23\nSELECT 0\n"},
		{"SELECT sum(g) FROM m", "ERROR 42883: function sum(text) does not exist (position 8)\n"},
		{"SELECT max(i > 1) FROM m", "ERROR 42883: function max(boolean) does not exist (position 8)\n"},
		{"SELECT sum(count(*)) FROM m", "ERROR 42803: aggregate function calls cannot be nested (position 12)\n"},
		{"SELECT g FROM m GROUP BY i", "ERROR 42803: column \"m.g\" must appear in the GROUP BY clause or be used in an aggregate function (position 8)\n"},
		{"SELECT i, count(*) FROM m GROUP BY 3", "ERROR 42P10: GROUP BY position 3 is not in select list (position 36)\n"},
		{"SELECT sum(i::int8 * 9223372036854775807) FROM m WHERE i > 1", "ERROR 22003: bigint out of range\n"},
		{"SELECT sum(b) FROM m WHERE b > 1", "sum:1700\n9223372036854775812\nSELECT 1\n"},
		{"SELECT sum(b::int8) + 0 FROM m WHERE id = 1", "?column?:1700\n9223372036854775807\nSELECT 1\n"},
	})
}
