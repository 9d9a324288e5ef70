-- Statistical, bitwise and ordered-set aggregates, grouping sets.

CREATE TABLE ag3_t (id int PRIMARY KEY, g int, i int, n numeric(10,2), f float8, y float8, iv interval)

INSERT INTO ag3_t VALUES (1, 1, 1, 1.50, 1.5, 2, '1 hour'), (2, 1, 2, 2.25, 2.25, 3.5, '2 hours'), (3, 1, 3, 100, 100, 7, '1 day'), (4, 2, 4, NULL, NULL, NULL, NULL), (5, 2, 12, 7.10, 7.1, 1.1, '30 minutes'), (6, 2, 10, 3, 3, 2.5, '10 minutes'), (7, 3, 7, 5, 5, 5, '1 minute')

SELECT stddev(i), variance(i), stddev_pop(i), var_pop(i), var_samp(i), stddev_samp(i) FROM ag3_t

SELECT stddev(n), variance(n), stddev_pop(n), var_pop(n), var_samp(n), stddev_samp(n) FROM ag3_t

SELECT stddev(f), variance(f), stddev_pop(f), var_pop(f), var_samp(f), stddev_samp(f) FROM ag3_t

SELECT g, stddev(i), var_pop(n), stddev_samp(f), variance(f) FROM ag3_t GROUP BY g ORDER BY g

SELECT stddev(x), variance(x), var_pop(x) FROM (VALUES (100000000::numeric), (200000000), (300000000)) v(x)

SELECT stddev(1), variance(1), var_pop(1), stddev_pop(1), stddev(1.5::float8), var_pop(1.5::float8), stddev('1')

SELECT stddev('NaN'::numeric), var_pop('NaN'::numeric), var_pop('Infinity'::numeric), stddev('NaN'::float8), var_pop('NaN'::float8), var_pop('Infinity'::float8)

SELECT stddev(x), var_samp(x) FROM (VALUES (1e300::float8), (-1e300)) v(x)

SELECT stddev(DISTINCT i % 3), variance(i) FILTER (WHERE g = 1), stddev(i::int2), var_pop(i::int8) FROM ag3_t

SELECT pg_typeof(stddev(1::int2))::text, pg_typeof(stddev(1::float4))::text, pg_typeof(corr(1::int, 2::int))::text, pg_typeof(bit_and(1::int2))::text, pg_typeof(regr_count(1, 2))::text

SELECT corr(y, f), covar_pop(y, f), covar_samp(y, f), regr_slope(y, f), regr_intercept(y, f), regr_r2(y, f) FROM ag3_t

SELECT regr_count(y, i), regr_sxx(y, i), regr_syy(y, i), regr_sxy(y, i), regr_avgx(y, i), regr_avgy(y, i) FROM ag3_t

SELECT corr(x, x), covar_samp(x, x), regr_r2(1, x) FROM (VALUES (1), (1)) v(x)

SELECT g, corr(y, i), covar_samp(y, i) FROM ag3_t GROUP BY g ORDER BY g

SELECT bit_and(i), bit_or(i), bit_xor(i), bit_and(i::int2), bit_or(i::int8) FROM ag3_t

SELECT bit_and(i), bit_or(i) FROM ag3_t WHERE false

SELECT bit_and('1')

SELECT bit_or(f) FROM ag3_t

SELECT stddev(iv) FROM ag3_t

SELECT corr(1, 'a')

SELECT id, stddev(i) OVER (ORDER BY id), var_pop(f) OVER (PARTITION BY g ORDER BY id RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), corr(y, f) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), bit_or(i) OVER (ORDER BY id) FROM ag3_t ORDER BY id

SELECT stddev(f ORDER BY id DESC), var_pop(DISTINCT f), corr(y, f ORDER BY f DESC), bit_xor(DISTINCT g ORDER BY g), variance(n ORDER BY n) FILTER (WHERE id > 1) FROM ag3_t

SELECT id, stddev(f) OVER w, var_samp(n) OVER w, regr_slope(y, f) OVER w FROM ag3_t WINDOW w AS (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) ORDER BY id

SELECT id, variance(i) OVER (ORDER BY id DESC ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING), stddev_pop(f) OVER (ORDER BY g RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM ag3_t ORDER BY id

SELECT count(DISTINCT g), sum(DISTINCT g), avg(DISTINCT g), count(DISTINCT n) FROM ag3_t

SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY i), percentile_cont(0.25) WITHIN GROUP (ORDER BY f), percentile_disc(0.5) WITHIN GROUP (ORDER BY n), percentile_cont(0.3) WITHIN GROUP (ORDER BY iv), percentile_disc(0.3) WITHIN GROUP (ORDER BY iv) FROM ag3_t

SELECT g, percentile_cont(0.5) WITHIN GROUP (ORDER BY i DESC), percentile_disc(0) WITHIN GROUP (ORDER BY id), percentile_disc(1) WITHIN GROUP (ORDER BY f), mode() WITHIN GROUP (ORDER BY g) FROM ag3_t GROUP BY g ORDER BY g

SELECT percentile_cont(ARRAY[0.5, 0.1, NULL, 1]) WITHIN GROUP (ORDER BY i), percentile_disc(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY n), percentile_cont(ARRAY[0.25, 0.75]) WITHIN GROUP (ORDER BY iv) FROM ag3_t

SELECT mode() WITHIN GROUP (ORDER BY g), mode() WITHIN GROUP (ORDER BY g DESC), mode() WITHIN GROUP (ORDER BY x) FROM ag3_t, (VALUES ('a'), ('b'), ('b')) v(x)

SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY i) FILTER (WHERE g > 1), percentile_disc(NULL) WITHIN GROUP (ORDER BY i), mode() WITHIN GROUP (ORDER BY n) FROM ag3_t

SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY i), mode() WITHIN GROUP (ORDER BY i), percentile_cont(ARRAY[0.5]) WITHIN GROUP (ORDER BY i) FROM ag3_t WHERE false

SELECT g FROM ag3_t GROUP BY g HAVING percentile_cont(0.5) WITHIN GROUP (ORDER BY i) > 5 ORDER BY g

SELECT percentile_cont(2) WITHIN GROUP (ORDER BY i) FROM ag3_t

SELECT percentile_cont(-0.5) WITHIN GROUP (ORDER BY i) FROM ag3_t WHERE false

SELECT percentile_disc(ARRAY[0.5, 2]) WITHIN GROUP (ORDER BY i) FROM ag3_t

SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY i) OVER () FROM ag3_t

SELECT percentile_cont(0.5) FROM ag3_t

SELECT mode() FROM ag3_t

SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY i::text) FROM ag3_t

SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY i, f) FROM ag3_t

SELECT stddev(i) WITHIN GROUP (ORDER BY i) FROM ag3_t

SELECT mode(i) WITHIN GROUP (ORDER BY i) FROM ag3_t

SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY sum(i)) FROM ag3_t

SELECT id FROM ag3_t WHERE percentile_cont(0.5) WITHIN GROUP (ORDER BY i) > 1

CREATE TABLE ag3_s (id int PRIMARY KEY, a int, b text, c int)

INSERT INTO ag3_s VALUES (1, 1, 'x', 1), (2, 2, 'x', 2), (3, 1, 'y', 3), (4, 2, 'y', 4), (5, 1, 'x', 5), (6, 3, NULL, 6)

SELECT a, b, sum(c), count(*), grouping(a, b), grouping(b) FROM ag3_s GROUP BY ROLLUP (a, b) ORDER BY a, b, 6

SELECT a, b, sum(c), grouping(a, b) FROM ag3_s GROUP BY CUBE (a, b) ORDER BY grouping(a, b), a, b

SELECT a, b, sum(c) FROM ag3_s GROUP BY GROUPING SETS ((a), (b), ()) ORDER BY a NULLS FIRST, b NULLS FIRST, 3

SELECT a, b, sum(c) FROM ag3_s GROUP BY GROUPING SETS ((a), (b), ())

SELECT a, b, count(*) FROM ag3_s GROUP BY a, ROLLUP (b)

SELECT a, b, count(*) FROM ag3_s GROUP BY GROUPING SETS (a, a, b)

SELECT a, b, count(*) FROM ag3_s GROUP BY DISTINCT ROLLUP (a), ROLLUP (a, b)

SELECT a, b, count(*) FROM ag3_s GROUP BY ROLLUP (a), ROLLUP (a, b)

SELECT a, b, c, count(*) FROM ag3_s GROUP BY ROLLUP ((a, b), c) ORDER BY a, b, c

SELECT a, b, count(*) FROM ag3_s GROUP BY GROUPING SETS ((a, b), ROLLUP (a), CUBE (b)) ORDER BY 1, 2, 3

SELECT sum(c) FROM ag3_s GROUP BY ()

SELECT sum(c), count(*) FROM ag3_s WHERE false GROUP BY ()

SELECT 1 FROM ag3_s WHERE false GROUP BY ()

SELECT a, sum(c) FROM ag3_s WHERE false GROUP BY ROLLUP (a)

SELECT a, sum(c) FROM ag3_s WHERE false GROUP BY CUBE (a, b)

SELECT a, grouping(a), sum(c) FROM ag3_s GROUP BY a ORDER BY a

SELECT a, b, sum(c) FROM ag3_s GROUP BY ROLLUP (a, b) HAVING sum(c) > 5 ORDER BY 1, 2

SELECT a, b, sum(c) FROM ag3_s GROUP BY ROLLUP (a, b) HAVING grouping(a, b) > 0 ORDER BY 1, 2

SELECT a + 1 AS a1, sum(c), stddev(c), percentile_cont(0.5) WITHIN GROUP (ORDER BY c) FROM ag3_s GROUP BY ROLLUP (a + 1) ORDER BY 1

SELECT a, b, sum(c), rank() OVER (PARTITION BY grouping(a, b) ORDER BY sum(c) DESC) FROM ag3_s GROUP BY CUBE (a, b) ORDER BY grouping(a, b), 4, 1, 2

SELECT a, b AS k, count(*) FROM ag3_s GROUP BY ROLLUP (1, k) ORDER BY 1, 2

SELECT CASE WHEN grouping(a) = 1 THEN 'all' ELSE a::text END AS label, sum(c) FROM ag3_s GROUP BY ROLLUP (a) ORDER BY 1

SELECT grouping(a) FROM ag3_s WHERE grouping(a) = 0 GROUP BY a

SELECT grouping(c) FROM ag3_s GROUP BY a

SELECT sum(grouping(a)) FROM ag3_s GROUP BY a

SELECT a, c FROM ag3_s GROUP BY ROLLUP (a)

SELECT count(*) FROM ag3_s GROUP BY CUBE (a, b, c, a, b, c, a, b, c, a, b, c, a)

SELECT grouping(a) FROM ag3_s

SELECT rank(3) WITHIN GROUP (ORDER BY x), dense_rank(3) WITHIN GROUP (ORDER BY x), percent_rank(3) WITHIN GROUP (ORDER BY x), cume_dist(3) WITHIN GROUP (ORDER BY x), rank(2.5) WITHIN GROUP (ORDER BY x DESC), cume_dist(3, 1) WITHIN GROUP (ORDER BY x, x) FROM (VALUES (1), (3), (3), (5), (NULL)) v(x)

SELECT g, rank(5) WITHIN GROUP (ORDER BY i), dense_rank(5, 'x') WITHIN GROUP (ORDER BY i DESC, s NULLS FIRST), percent_rank(NULL) WITHIN GROUP (ORDER BY i), cume_dist(2) WITHIN GROUP (ORDER BY f) FROM ag3_t, (VALUES ('x'), (NULL)) v(s) GROUP BY g ORDER BY g

SELECT rank(1) WITHIN GROUP (ORDER BY i), percent_rank(1) WITHIN GROUP (ORDER BY i), cume_dist(1) WITHIN GROUP (ORDER BY i) FROM ag3_t WHERE false

SELECT rank(1, 2) WITHIN GROUP (ORDER BY i) FROM ag3_t

SELECT rank('a') WITHIN GROUP (ORDER BY i) FROM ag3_t

SELECT rank(1) WITHIN GROUP (ORDER BY i) OVER () FROM ag3_t

SELECT rank(1) FROM ag3_t

SELECT id, a FROM ag3_s GROUP BY ROLLUP (id)

SELECT id, a, c, count(*) FROM ag3_s GROUP BY id, ROLLUP (c) ORDER BY 1, 3

SELECT a, (SELECT count(*) FROM ag3_s x WHERE x.a = ag3_s.a) FROM ag3_s GROUP BY ROLLUP (a) ORDER BY 1

SELECT a, array_agg(c ORDER BY c), string_agg(b, ',' ORDER BY b) FROM ag3_s GROUP BY CUBE (a) ORDER BY 1

SELECT a, sum(c), sum(sum(c)) OVER () FROM ag3_s GROUP BY ROLLUP (a) ORDER BY 1

SELECT string_agg(DISTINCT b, ','), array_agg(DISTINCT c % 3), jsonb_agg(DISTINCT a) FROM ag3_s

DROP TABLE ag3_t

DROP TABLE ag3_s
