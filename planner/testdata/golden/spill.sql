-- Sorts, hash aggregates, hash joins and DISTINCT past work_mem spill to temporary files and give the results they give in memory; the memory settings parse as PostgreSQL's (checked against PostgreSQL 15).

SHOW work_mem

SHOW temp_file_limit

SELECT name, setting, unit, category, context, vartype, min_val, max_val, boot_val, reset_val FROM pg_settings WHERE name IN ('temp_file_limit', 'work_mem') ORDER BY name

SET work_mem = '10'

SET work_mem = 'abc'

SET work_mem = '10 mb'

SET work_mem = '3TB'

SET work_mem = -1

SET temp_file_limit = -2

SET work_mem = '0.5MB'

SHOW work_mem

SET work_mem = '100000B'

SHOW work_mem

SET work_mem = 1024

SHOW work_mem

SET work_mem = ' 65.5 kB '

SHOW work_mem

SET temp_file_limit = 0

SHOW temp_file_limit

RESET temp_file_limit

SET work_mem = '64kB'

SHOW work_mem

CREATE TABLE spill_t (id int PRIMARY KEY, g int, t text, n numeric, iv interval, a int[])

INSERT INTO spill_t SELECT i, i % 997, CASE WHEN i % 13 = 0 THEN NULL ELSE md5(i::text) END, (i % 101)::numeric / 7, (i % 40) * interval '1 day' + (i % 3600) * interval '1 second', ARRAY[i % 5, NULL, i] FROM generate_series(1, 50000) AS i

SELECT * FROM (SELECT id, t, n, iv, a FROM spill_t ORDER BY t NULLS FIRST, id) s LIMIT 5 OFFSET 3840

SELECT count(*), md5(string_agg(id::text, ',')) FROM (SELECT id FROM spill_t ORDER BY n DESC, t, id) s

SELECT count(*), md5(string_agg(id || ':' || coalesce(t, '-') || ':' || n || ':' || iv || ':' || a::text, ',')) FROM (SELECT * FROM spill_t ORDER BY iv, id DESC) s

SELECT count(*), sum(c), max(c), min(s), max(s) FROM (SELECT t, count(*) AS c, sum(n) AS s FROM spill_t GROUP BY t) x

SELECT g, count(*), sum(n), min(t), max(iv) FROM spill_t GROUP BY g ORDER BY g LIMIT 5 OFFSET 500

SELECT count(*), sum(a.i::bigint + b.j) FROM generate_series(1, 50000) AS a(i) JOIN generate_series(1, 30000) AS b(j) ON a.i = b.j * 2

SELECT count(*), count(b.j), count(a.i) FROM generate_series(1, 50000) AS a(i) LEFT JOIN generate_series(1, 30000) AS b(j) ON a.i = b.j * 3

SELECT count(*), count(b.j), count(a.i) FROM generate_series(1, 20000) AS a(i) FULL JOIN generate_series(1, 30000) AS b(j) ON a.i = b.j * 3

SELECT x.id, x.t, y.id FROM spill_t x JOIN spill_t y ON y.id = x.g + 1000 ORDER BY x.id LIMIT 5 OFFSET 20000

SELECT count(*), md5(string_agg(t, ',')) FROM (SELECT DISTINCT t FROM spill_t WHERE t IS NOT NULL ORDER BY t) d

SELECT count(*) FROM (SELECT DISTINCT g, n FROM spill_t) d

SELECT id, sum(id) OVER (PARTITION BY g ORDER BY id) FROM spill_t ORDER BY id LIMIT 3 OFFSET 40000

SET temp_file_limit = '100kB'

SELECT count(*) FROM (SELECT id FROM spill_t ORDER BY t, id) s

SHOW temp_file_limit

RESET temp_file_limit

RESET work_mem

SHOW work_mem

DROP TABLE spill_t
