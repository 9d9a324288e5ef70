-- Type output formats, casts and operator resolution.

SELECT 1::int2, 1::int4, 1::int8, 1::float4, 1::float8, 1::numeric, 1::text, 1::varchar, true, 'x'::varchar(3)

SELECT 3.14159::float4, 3.14159::float8, 1e-10::float8, 1e20::float4, -0.0::float8, 'Infinity'::float8, 'nan'::float4

SELECT 1e308::float8 * 10

SELECT 32767::int2 + 1::int2

SELECT -2147483648::int4

SELECT (-2147483648)::int4, -(2147483647) - 1

SELECT 9223372036854775807 + 1

SELECT 9223372036854775807, 9223372036854775808, -9223372036854775808

SELECT 'true'::bool, 'off'::bool, 'y'::bool, 'maybe'::bool

SELECT 1::bool, 0::bool, true::int, 3.7::int, -3.5::int, 3.5::float8::int, 4.5::float8::int

SELECT '  42  '::int, '4 2'::int

SELECT 'abc'::varchar(2), 'abc'::text::varchar(5), length('abc'::varchar(2))

SELECT 1 = 1.0, 1::int8 = 1::int2, 1.0::float8 = 1::numeric, 'a' = 'a'::varchar, 'a' < 'b'

SELECT 'x' = 1

SELECT 1 = 'x'::text

SELECT 'a' || 1, 1 || 'a', 'a' || NULL, 'a' || true

SELECT 2 + 3 * 4, (2 + 3) * 4, 2 ^ 3

SELECT - 5, +5, -(-5), - 1.5, -'1'::int

SELECT NULL::int + 1, NULL || 'a', NULL = 1, NULL AND false, NULL OR true, NOT NULL::bool IS NULL

SELECT true AND NULL IS UNKNOWN, (NULL::bool) IS NOT TRUE, false IS FALSE, 1 IS NULL

SELECT CASE WHEN NULL THEN 1 WHEN true THEN 2 END, CASE 'a' WHEN 'b' THEN 1 END, CASE WHEN false THEN 1 ELSE 2.5 END

SELECT CASE WHEN true THEN 1 ELSE 'x' END

SELECT COALESCE(NULL, NULL), COALESCE(NULL, 1.5, 2), COALESCE(1, 'x')

SELECT 1 IN (1.0, 2), 'a' IN ('b', 'c'), NULL IN (1), 1 NOT IN (2, 3), 1 NOT IN (2, NULL)

SELECT 'a%c' LIKE 'a\%c', 'abc' LIKE 'a\%c', 'a_c' LIKE 'a_c', '' LIKE '%', 'abc' LIKE 'ABC'
