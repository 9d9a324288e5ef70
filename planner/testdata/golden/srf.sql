-- Set-returning functions in FROM and in the select list.

SELECT * FROM generate_series(1, 3)

SELECT * FROM generate_series(1, 10, 3) AS g

SELECT x FROM generate_series(5, 1, -2) AS g(x)

SELECT g.x, g.ordinality FROM generate_series(10, 12) WITH ORDINALITY AS g(x)

SELECT * FROM generate_series(1, 3) WITH ORDINALITY

SELECT generate_series FROM generate_series(1::int8, 2)

SELECT * FROM generate_series(1.5, 3)

SELECT * FROM generate_series(0.1, 0.35, 0.1)

SELECT * FROM generate_series('2024-01-01'::timestamp, '2024-01-03', '1 day')

SELECT * FROM generate_series('2024-01-31'::date, '2024-04-30', '1 month')

SELECT * FROM generate_series('2024-01-01 00:00'::timestamptz, '2024-01-01 02:00', '45 minutes'::interval)

SELECT * FROM generate_series(2147483646, 2147483647)

SELECT * FROM generate_series(1, 0)

SELECT * FROM generate_series(1, 1000000) LIMIT 5

SELECT count(*), sum(x) FROM generate_series(1, 1000) AS x

SELECT * FROM unnest(ARRAY[1, 2, NULL])

SELECT * FROM unnest(ARRAY['a', 'b']) WITH ORDINALITY AS t(v, n)

SELECT * FROM unnest(ARRAY[1, 2, 3], ARRAY['x', 'y']) AS t(n, s)

SELECT * FROM ROWS FROM (generate_series(1, 3), unnest(ARRAY['a', 'b'])) AS r(a, b)

SELECT * FROM jsonb_array_elements('[1, "x", null, {"a": []}]'::jsonb)

SELECT value FROM jsonb_array_elements_text('[1, "x", null, true]')

SELECT * FROM jsonb_each('{"b": 2, "a": [1]}'::jsonb) ORDER BY key

SELECT key, value FROM jsonb_each_text('{"b": 2, "a": "s", "c": null}') ORDER BY 1

SELECT * FROM json_each('{"x": 1, "y": [true]}')

SELECT * FROM json_array_elements('[1, [2], "t"]')

SELECT * FROM jsonb_object_keys('{"z": 1, "a": 2}')

SELECT * FROM regexp_matches('foo bar baz', 'ba(.)', 'g')

SELECT * FROM regexp_split_to_table('a1b22c', '[0-9]+') AS t(part)

SELECT * FROM string_to_table('a,b,,c', ',')

SELECT * FROM string_to_table('a,b,N', ',', 'N')

SELECT * FROM generate_subscripts(ARRAY['a', 'b', 'c'], 1)

SELECT * FROM upper('x')

SELECT t FROM upper('x') AS t

SELECT * FROM lower('ABC') AS l(v)

SELECT generate_series(1, 3)

SELECT generate_series(1, 3) AS a, generate_series(1, 2) AS b

SELECT generate_series(1, 2) * 10, 'x' AS c

SELECT unnest(ARRAY[3, 1, 2]) AS v ORDER BY v

SELECT DISTINCT unnest(ARRAY[1, 1, 2]) AS v ORDER BY 1

SELECT generate_series(1, 10) LIMIT 3

SELECT generate_series(1, 0)

SELECT jsonb_array_elements('[1, 2]'), jsonb_array_elements_text('["a", "b", "c"]')

SELECT regexp_matches('abcabc', '(b)(c)', 'g')

SELECT jsonb_object_keys('{"k1": 1, "k2": 2}')

SELECT generate_series(1, generate_series(1, 3))

CREATE TABLE srf_s (id int PRIMARY KEY, n int, tags text[], doc jsonb)

INSERT INTO srf_s VALUES (1, 2, ARRAY['a', 'b'], '{"p": 1}'), (2, 0, '{}'::text[], '{"q": 2, "r": 3}'), (3, 3, NULL, '{}')

SELECT id, generate_series(1, n) FROM srf_s ORDER BY 1, 2

SELECT id, unnest(tags) FROM srf_s ORDER BY 1, 2

SELECT srf_s.id, g FROM srf_s, generate_series(1, srf_s.n) AS g ORDER BY 1, 2

SELECT srf_s.id, t.tag FROM srf_s CROSS JOIN LATERAL unnest(srf_s.tags) AS t(tag) ORDER BY 1, 2

SELECT srf_s.id, t.tag FROM srf_s LEFT JOIN LATERAL unnest(srf_s.tags) AS t(tag) ON true ORDER BY 1, 2

SELECT srf_s.id, e.key, e.value FROM srf_s, jsonb_each(srf_s.doc) AS e ORDER BY 1, 2

SELECT id, (SELECT sum(x) FROM generate_series(1, srf_s.n) AS x) FROM srf_s ORDER BY id

SELECT n, generate_series(1, count(*)::int) FROM srf_s GROUP BY n ORDER BY 1, 2

SELECT count(*) FROM srf_s, generate_series(1, 3)

INSERT INTO srf_s SELECT g, g, NULL::text[], NULL::jsonb FROM generate_series(10, 12) AS g RETURNING id

SELECT id FROM srf_s WHERE id IN (SELECT generate_series(10, 11)) ORDER BY id

SELECT * FROM srf_s WHERE generate_series(1, 2) > 1

SELECT * FROM generate_series(1, 5, 0)

SELECT generate_series(1, 5, 0)

SELECT * FROM generate_series('2024-01-01'::timestamp, '2024-01-03', '0 days')

SELECT sum(generate_series(1, 3))

SELECT * FROM jsonb_array_elements('{"a": 1}')

SELECT * FROM jsonb_each('[1]')

SELECT * FROM jsonb_object_keys('[1]')

SELECT * FROM generate_series(1.5::float8, 3)

SELECT * FROM generate_series(1, 3) AS g(a, b)

SELECT * FROM srf_s JOIN generate_series(1, 2) AS g ON generate_series(1, 2) = 1

SELECT CASE WHEN true THEN generate_series(1, 2) END

SELECT coalesce(generate_series(1, 2), 0)

SELECT t > '2000-01-01' AS ok FROM now() AS t

SELECT generate_series(1, 3) + generate_series(1, 2)

SELECT x FROM generate_series(1, 20) AS x ORDER BY x DESC LIMIT 2

SELECT generate_series(1, 20) AS x ORDER BY x DESC LIMIT 2 OFFSET 1

SELECT generate_series(1, 3) AS x UNION ALL SELECT 10 ORDER BY 1

SELECT * FROM generate_series(1, 3) AS a, generate_series(1, a) AS b ORDER BY 1, 2

SELECT * FROM jsonb_array_elements('[1, 2]') WITH ORDINALITY AS e(v, i), LATERAL jsonb_array_elements_text(jsonb_build_array(e.v, 'x')) AS t

SELECT * FROM generate_series(9223372036854775806::int8, 9223372036854775807::int8)

SELECT * FROM generate_series(-2147483647, -2147483648, -1)

SELECT * FROM generate_series(1, 10, 2147483647)

SELECT * FROM generate_series('infinity'::numeric, 1)

SELECT * FROM generate_series('2024-01-01', '2024-01-01 02:00', '1 hour'::interval)

SELECT * FROM generate_series(1::int2, 3), generate_series(1, 2.5) AS n ORDER BY 1, 2

SELECT * FROM generate_series(1::int2, 3::int2)

SELECT * FROM generate_series('2024-01-01'::timestamp, '2024-01-01 01:00'::timestamptz, '30 minutes')

SELECT * FROM generate_series(3, 1) AS g, unnest(NULL::int[]) AS u

SELECT * FROM unnest('{}'::int[]) WITH ORDINALITY

SELECT a.x, b.y FROM generate_series(1, 2) AS a(x) LEFT JOIN generate_series(2, 3) AS b(y) ON a.x = b.y ORDER BY 1

DROP TABLE srf_s
