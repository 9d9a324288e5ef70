-- Window functions (PostgreSQL 15 semantics).

CREATE TABLE wemp (id int PRIMARY KEY, dept text, salary int, bonus numeric, hired date, ts timestamp)

INSERT INTO wemp VALUES (1, 'eng', 100, 1.5, '2020-01-01', '2020-01-01 10:00'), (2, 'eng', 120, NULL, '2020-03-01', '2020-01-01 11:00'), (3, 'eng', 120, 2.5, '2021-01-15', '2020-01-01 11:30'), (4, 'ops', 90, 0.5, '2019-06-01', '2020-01-02 09:00'), (5, 'ops', NULL, 1, '2020-01-10', '2020-01-02 09:00'), (6, 'sales', 80, NULL, '2022-02-02', '2020-01-03 00:00'), (7, 'sales', 80, 3, '2022-02-03', NULL), (8, NULL, 70, 1, NULL, '2020-01-04 12:00')

SELECT id, row_number() OVER (ORDER BY id) FROM wemp ORDER BY id

SELECT id, dept, row_number() OVER (PARTITION BY dept ORDER BY id DESC) AS rn FROM wemp ORDER BY id

SELECT id, salary, rank() OVER (ORDER BY salary), dense_rank() OVER (ORDER BY salary), percent_rank() OVER (ORDER BY salary), cume_dist() OVER (ORDER BY salary) FROM wemp ORDER BY id

SELECT id, salary, rank() OVER (ORDER BY salary DESC NULLS LAST), dense_rank() OVER (ORDER BY salary NULLS FIRST) FROM wemp ORDER BY id

SELECT id, dept, rank() OVER (PARTITION BY dept ORDER BY salary DESC) FROM wemp ORDER BY id

SELECT id, ntile(3) OVER (ORDER BY id), ntile(5) OVER (ORDER BY id DESC), ntile(10) OVER (ORDER BY id) FROM wemp ORDER BY id

SELECT id, ntile(NULL) OVER (ORDER BY id) FROM wemp ORDER BY id

SELECT id, lag(id) OVER (ORDER BY id), lead(id) OVER (ORDER BY id), lag(id, 2) OVER (ORDER BY id), lead(id, 3, -1) OVER (ORDER BY id), lag(id, -1) OVER (ORDER BY id) FROM wemp ORDER BY id

SELECT id, lag(salary, 1, 0) OVER (PARTITION BY dept ORDER BY id), lead(bonus, 1, 99) OVER (ORDER BY id), lag(id, 1, 1.5) OVER (ORDER BY id) FROM wemp ORDER BY id

SELECT id, lag(dept, 1, 'none') OVER (ORDER BY id), lag(id, NULL) OVER (ORDER BY id) FROM wemp ORDER BY id

SELECT id, first_value(id) OVER w, last_value(id) OVER w, nth_value(id, 2) OVER w FROM wemp WINDOW w AS (PARTITION BY dept ORDER BY id) ORDER BY id

SELECT id, first_value(id) OVER w, last_value(id) OVER w, nth_value(id, 2) OVER w FROM wemp WINDOW w AS (PARTITION BY dept ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) ORDER BY id

SELECT id, salary, sum(salary) OVER (ORDER BY salary), count(*) OVER (ORDER BY salary), count(salary) OVER (ORDER BY salary) FROM wemp ORDER BY id

SELECT id, sum(salary) OVER (), avg(salary) OVER (), min(salary) OVER (), max(salary) OVER (), count(*) OVER () FROM wemp ORDER BY id

SELECT id, dept, sum(salary) OVER (PARTITION BY dept), avg(bonus) OVER (PARTITION BY dept), max(hired) OVER (PARTITION BY dept ORDER BY id) FROM wemp ORDER BY id

SELECT id, sum(salary) FILTER (WHERE salary > 85) OVER (ORDER BY id), count(*) FILTER (WHERE bonus IS NOT NULL) OVER (ORDER BY id) FROM wemp ORDER BY id

SELECT id, sum(id) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), sum(id) OVER (ORDER BY id ROWS 2 PRECEDING), sum(id) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM wemp ORDER BY id

SELECT id, sum(id) OVER (ORDER BY id ROWS BETWEEN 2 FOLLOWING AND 3 FOLLOWING), sum(id) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING), sum(id) OVER (ORDER BY id ROWS BETWEEN 0 PRECEDING AND 0 FOLLOWING) FROM wemp ORDER BY id

SELECT id, salary, sum(id) OVER (ORDER BY salary RANGE BETWEEN 10 PRECEDING AND 10 FOLLOWING), sum(id) OVER (ORDER BY salary RANGE BETWEEN CURRENT ROW AND 20 FOLLOWING), sum(id) OVER (ORDER BY salary DESC RANGE BETWEEN 20 PRECEDING AND CURRENT ROW) FROM wemp ORDER BY id

SELECT id, salary, sum(id) OVER (ORDER BY salary NULLS FIRST RANGE BETWEEN 10 PRECEDING AND 10 FOLLOWING), count(*) OVER (ORDER BY salary DESC NULLS LAST RANGE BETWEEN UNBOUNDED PRECEDING AND 10 PRECEDING) FROM wemp ORDER BY id

SELECT id, bonus, sum(id) OVER (ORDER BY bonus RANGE BETWEEN 0.5 PRECEDING AND 0.5 FOLLOWING), sum(id) OVER (ORDER BY bonus RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM wemp ORDER BY id

SELECT id, hired, count(*) OVER (ORDER BY hired RANGE BETWEEN '1 year' PRECEDING AND CURRENT ROW), count(*) OVER (ORDER BY hired DESC RANGE BETWEEN '1 year' PRECEDING AND '1 month' PRECEDING) FROM wemp ORDER BY id

SELECT id, ts, count(*) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '1 hour' PRECEDING AND INTERVAL '1 hour' FOLLOWING), min(id) OVER (ORDER BY ts RANGE BETWEEN '1 day' PRECEDING AND '1 day' FOLLOWING) FROM wemp ORDER BY id

SELECT id, salary, sum(id) OVER (ORDER BY salary GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING), sum(id) OVER (ORDER BY salary GROUPS BETWEEN CURRENT ROW AND 2 FOLLOWING), sum(id) OVER (ORDER BY salary GROUPS 1 PRECEDING) FROM wemp ORDER BY id

SELECT id, salary, sum(id) OVER (ORDER BY salary ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW) AS ex_cur, sum(id) OVER (ORDER BY salary RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE GROUP) AS ex_grp, sum(id) OVER (ORDER BY salary RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE TIES) AS ex_ties, sum(id) OVER (ORDER BY salary, id ROWS UNBOUNDED PRECEDING EXCLUDE NO OTHERS) AS ex_none FROM wemp ORDER BY id

SELECT id, salary, first_value(id) OVER w, last_value(id) OVER w, nth_value(id, 3) OVER w FROM wemp WINDOW w AS (ORDER BY salary, id GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE GROUP) ORDER BY id

SELECT id, salary, last_value(id) OVER (ORDER BY salary RANGE BETWEEN CURRENT ROW AND CURRENT ROW EXCLUDE TIES), count(*) OVER (ORDER BY salary ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE GROUP) FROM wemp ORDER BY id

SELECT id, count(*) OVER (RANGE BETWEEN CURRENT ROW AND CURRENT ROW), count(*) OVER (ROWS BETWEEN CURRENT ROW AND CURRENT ROW EXCLUDE TIES), count(*) OVER (RANGE UNBOUNDED PRECEDING EXCLUDE TIES) FROM wemp ORDER BY id

SELECT dept, sum(salary), sum(sum(salary)) OVER (), rank() OVER (ORDER BY sum(salary) DESC NULLS LAST), count(*) OVER (ORDER BY dept) FROM wemp GROUP BY dept ORDER BY dept

SELECT dept, count(*), row_number() OVER (ORDER BY count(*) DESC, dept) FROM wemp GROUP BY dept HAVING count(*) > 1 ORDER BY dept

SELECT sum(count(*)) OVER (), max(id) FROM wemp

SELECT id, row_number() OVER (ORDER BY id DESC) FROM wemp

SELECT id, rank() OVER (ORDER BY id), rank() OVER (ORDER BY id DESC), row_number() OVER () FROM wemp

SELECT id, row_number() OVER (ORDER BY dept DESC, id), count(*) OVER (ORDER BY dept DESC) FROM wemp

SELECT id, row_number() OVER () * 2 AS double, 100 + rank() OVER (ORDER BY id DESC) FROM wemp ORDER BY id

SELECT id, dept FROM wemp ORDER BY row_number() OVER (ORDER BY id DESC)

SELECT id, rn FROM (SELECT id, row_number() OVER (PARTITION BY dept ORDER BY salary DESC, id) AS rn FROM wemp) s WHERE rn = 1 ORDER BY id

WITH r AS (SELECT dept, salary, rank() OVER (PARTITION BY dept ORDER BY salary DESC NULLS LAST) AS rk FROM wemp) SELECT dept, salary FROM r WHERE rk <= 1 ORDER BY dept, salary

SELECT id, sum(id) OVER w1, sum(id) OVER w2, sum(id) OVER (w1 ORDER BY id ROWS 1 PRECEDING), count(*) OVER (w2) FROM wemp WINDOW w1 AS (PARTITION BY dept), w2 AS (w1 ORDER BY id) ORDER BY id

SELECT id, count(*) OVER w FROM wemp WINDOW w AS (ORDER BY dept), unused AS (PARTITION BY salary) ORDER BY id

SELECT DISTINCT dept, count(*) OVER (PARTITION BY dept) FROM wemp ORDER BY dept

SELECT id, row_number() OVER (ORDER BY id) FROM wemp ORDER BY id LIMIT 3 OFFSET 2

SELECT row_number() OVER (), count(*) OVER () FROM wemp WHERE false

SELECT id, count(*) OVER () FROM wemp WHERE id > 6 ORDER BY id

SELECT row_number() OVER (ORDER BY x), x FROM (VALUES (3), (1), (2)) v(x) ORDER BY x

SELECT e.id, d.n, rank() OVER (PARTITION BY d.n ORDER BY e.id) FROM wemp e JOIN (SELECT dept, count(*) AS n FROM wemp GROUP BY dept) d ON e.dept = d.dept ORDER BY e.id

SELECT id, (SELECT max(x) FROM (SELECT row_number() OVER () AS x FROM wemp e2 WHERE e2.dept = wemp.dept) s) FROM wemp ORDER BY id

SELECT id, sum(salary::int8) OVER (ORDER BY id), sum(bonus) OVER (ORDER BY id), avg(bonus) OVER (ORDER BY id ROWS 1 PRECEDING) FROM wemp ORDER BY id

SELECT id, salary, sum(salary) OVER (ORDER BY salary RANGE BETWEEN 2147483647 PRECEDING AND 2147483647 FOLLOWING) FROM wemp ORDER BY id

SELECT id FROM wemp WHERE row_number() OVER () > 1

SELECT dept FROM wemp GROUP BY row_number() OVER ()

SELECT count(*) FROM wemp HAVING row_number() OVER () > 1

SELECT sum(row_number() OVER ()) FROM wemp

SELECT sum(id) FILTER (WHERE row_number() OVER () > 1) FROM wemp

SELECT row_number() OVER (ORDER BY row_number() OVER ()) FROM wemp

SELECT sum(row_number() OVER ()) OVER () FROM wemp

SELECT row_number() FROM wemp

SELECT id FROM wemp LIMIT row_number() OVER ()

SELECT e.id FROM wemp e JOIN wemp f ON row_number() OVER () > 1

SELECT ntile(0) OVER () FROM wemp

SELECT ntile(-1) OVER () FROM wemp

SELECT ntile(0) OVER () FROM wemp WHERE false

SELECT sum(id) OVER (ROWS -1 PRECEDING) FROM wemp

SELECT sum(id) OVER (ROWS -1 PRECEDING) FROM wemp WHERE false

SELECT sum(id) OVER (ROWS BETWEEN 1 FOLLOWING AND -1 FOLLOWING) FROM wemp

SELECT sum(id) OVER (ROWS BETWEEN CURRENT ROW AND UNBOUNDED PRECEDING) FROM wemp

SELECT sum(id) OVER (ROWS BETWEEN UNBOUNDED FOLLOWING AND CURRENT ROW) FROM wemp

SELECT sum(id) OVER (ROWS BETWEEN 1 FOLLOWING AND CURRENT ROW) FROM wemp

SELECT sum(id) OVER (ROWS BETWEEN CURRENT ROW AND 1 PRECEDING) FROM wemp

SELECT sum(id) OVER (RANGE 1 PRECEDING) FROM wemp

SELECT sum(id) OVER (ORDER BY id, salary RANGE 1 PRECEDING) FROM wemp

SELECT sum(id) OVER (ORDER BY dept RANGE 1 PRECEDING) FROM wemp

SELECT sum(id) OVER (ORDER BY id RANGE -1 PRECEDING) FROM wemp

SELECT sum(id) OVER (ORDER BY id RANGE 1.5 PRECEDING) FROM wemp

SELECT sum(id) OVER (ORDER BY id GROUPS -1 PRECEDING) FROM wemp

SELECT sum(id) OVER (GROUPS 1 PRECEDING) FROM wemp

SELECT sum(id) OVER (ROWS NULL PRECEDING) FROM wemp

SELECT sum(id) OVER (ORDER BY id ROWS id PRECEDING) FROM wemp

SELECT sum(id) OVER w FROM wemp

SELECT sum(id) OVER w FROM wemp WINDOW w AS (), w AS ()

SELECT sum(id) OVER (w PARTITION BY dept) FROM wemp WINDOW w AS (ORDER BY id)

SELECT sum(id) OVER (w ORDER BY dept) FROM wemp WINDOW w AS (ORDER BY id)

SELECT sum(id) OVER (w) FROM wemp WINDOW w AS (ROWS UNBOUNDED PRECEDING)

SELECT count(*) OVER (w) FROM wemp WINDOW w AS (PARTITION BY dept), w2 AS (w3)

SELECT lag(id, 1::bigint) OVER () FROM wemp

SELECT nth_value(id, 0) OVER (ORDER BY id) FROM wemp

SELECT nth_value(id, 1.0) OVER () FROM wemp

SELECT rank(id) OVER () FROM wemp

SELECT row_number(1) OVER () FROM wemp

SELECT lag(id, 1, 'x') OVER () FROM wemp

SELECT lag(dept, 1, 5) OVER (ORDER BY id) FROM wemp

SELECT abs(id) OVER () FROM wemp

SELECT count(DISTINCT id) OVER () FROM wemp

SELECT row_number() FILTER (WHERE id > 1) OVER () FROM wemp

SELECT sum(id ORDER BY id) OVER () FROM wemp

SELECT id, row_number() OVER () FROM wemp FOR UPDATE

SELECT id, salary, row_number() OVER (ORDER BY salary, id) FROM wemp GROUP BY id ORDER BY id

SELECT dept, row_number() OVER (ORDER BY salary) FROM wemp GROUP BY dept

SELECT row_number() OVER () FROM wemp GROUP BY 1

SELECT x, sum(x) OVER (ORDER BY x RANGE BETWEEN 1.5 PRECEDING AND 1.5 FOLLOWING), count(*) OVER (ORDER BY x DESC RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM (VALUES (1.0::float8), (2.5), (3.0), (NULL), (7)) v(x) ORDER BY x

SELECT x, count(*) OVER (ORDER BY x RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING), sum(x) OVER (ORDER BY x RANGE 2 PRECEDING) FROM (VALUES (1::int2), (2::int2), (4::int2), (32767::int2)) v(x) ORDER BY x

SELECT x, count(*) OVER (ORDER BY x RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM (VALUES (1::int8), (2::int8), (9223372036854775807::int8), (-9223372036854775808::int8)) v(x) ORDER BY x

SELECT x, count(*) OVER (ORDER BY x RANGE BETWEEN '1 hour' PRECEDING AND '30 minutes' FOLLOWING) FROM (VALUES ('2024-01-01 10:00+00'::timestamptz), ('2024-01-01 10:30+00'), ('2024-01-01 12:00+00')) v(x) ORDER BY x

SELECT x, count(*) OVER (ORDER BY x RANGE BETWEEN '1 day' PRECEDING AND CURRENT ROW) FROM (VALUES ('1 day'::interval), ('36 hours'), ('3 days')) v(x) ORDER BY x

SELECT x, count(*) OVER (ORDER BY x RANGE BETWEEN '1 hour' PRECEDING AND CURRENT ROW) FROM (VALUES ('10:00'::time), ('10:30'), ('12:00')) v(x) ORDER BY x

CREATE VIEW wview AS SELECT id, salary, rank() OVER (ORDER BY salary DESC NULLS LAST) AS r FROM wemp

SELECT * FROM wview WHERE r <= 3 ORDER BY id

SELECT id, row_number() OVER (ORDER BY id) FROM wemp WHERE id < 3 UNION ALL SELECT id, row_number() OVER (ORDER BY id DESC) FROM wemp WHERE id > 6 ORDER BY 1

SELECT id, (SELECT sum(wemp.id) OVER () FROM wemp w2 WHERE w2.id = 1) FROM wemp ORDER BY id

SELECT id, CASE WHEN row_number() OVER (ORDER BY id) = 1 THEN 'first' ELSE 'other' END FROM wemp ORDER BY id

SELECT DISTINCT dept FROM wemp ORDER BY row_number() OVER ()

SELECT id, count(*) OVER (PARTITION BY 1), rank() OVER (ORDER BY 1) FROM wemp ORDER BY id

SELECT w.id, f.id, count(*) OVER (PARTITION BY w.dept) FROM wemp w JOIN wemp f ON f.id = w.id + 1 ORDER BY w.id

SELECT count(*), row_number() OVER () FROM wemp WHERE false

SELECT id, lead(id, salary / 40) OVER (ORDER BY id) FROM wemp ORDER BY id

SELECT id, sum(id) OVER w, count(*) OVER (w), avg(id) OVER w FROM wemp WINDOW w AS (PARTITION BY dept) ORDER BY id

CREATE TABLE wcopy (id int, rn bigint)

INSERT INTO wcopy SELECT id, row_number() OVER (ORDER BY id DESC) FROM wemp

SELECT * FROM wcopy ORDER BY id

UPDATE wcopy SET rn = s.r FROM (SELECT id, rank() OVER (ORDER BY salary) AS r FROM wemp) s WHERE s.id = wcopy.id

SELECT * FROM wcopy ORDER BY id

DELETE FROM wcopy RETURNING row_number() OVER ()

UPDATE wcopy SET rn = row_number() OVER ()

VALUES (row_number() OVER ())

CREATE TABLE wbad (a int DEFAULT row_number() OVER ())

SELECT id, sum(salary) OVER (ORDER BY id RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM wemp ORDER BY id

SELECT dept, count(*) OVER (ORDER BY dept NULLS FIRST RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING), first_value(dept) OVER (ORDER BY dept DESC) FROM wemp ORDER BY id

SELECT id, sum(id) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING EXCLUDE CURRENT ROW), sum(id) OVER (ORDER BY id ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) FROM wemp ORDER BY id

SELECT 1 + row_number() OVER () AS x FROM wemp GROUP BY x

SELECT id FROM wemp ORDER BY 1 + row_number() OVER (ORDER BY id DESC)

SELECT row_number() OVER (), rank() OVER (ORDER BY 1), percent_rank() OVER (), cume_dist() OVER (), ntile(4) OVER (), lag(1) OVER (), first_value('x'::text) OVER (), lag('x', 1, 'y') OVER ()

SELECT first_value('x') OVER ()

SELECT lag(NULL) OVER ()

SELECT DISTINCT ON (dept) dept, id, row_number() OVER (PARTITION BY dept ORDER BY id DESC) FROM wemp ORDER BY dept, id

SELECT w.id, l.c FROM wemp w, LATERAL (SELECT count(*) OVER () AS c FROM wemp f WHERE f.dept = w.dept LIMIT 1) l ORDER BY w.id

SELECT g, sum(v), count(*) OVER (), lag(g) OVER (ORDER BY g) FROM (VALUES (1, 10), (1, 20), (2, 5), (3, 1)) t(g, v) GROUP BY g HAVING sum(v) > 2 ORDER BY g

SELECT x, last_value(x) OVER (ORDER BY x), last_value(x) OVER (ORDER BY x RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM (VALUES (1), (1), (2), (NULL)) v(x) ORDER BY x

SELECT id, count(*) OVER (ORDER BY salary DESC RANGE BETWEEN 15 FOLLOWING AND 30 FOLLOWING), min(id) OVER (ORDER BY salary DESC NULLS LAST RANGE BETWEEN 10 PRECEDING AND 5 PRECEDING) FROM wemp ORDER BY id

SELECT DISTINCT ON (row_number() OVER (ORDER BY id) % 3) id FROM wemp ORDER BY row_number() OVER (ORDER BY id) % 3, id

SELECT dept, sum(count(*)) FILTER (WHERE count(*) > 1) OVER () FROM wemp GROUP BY dept ORDER BY dept

SELECT dept, sum(count(*)) FILTER (WHERE dept > 'f') OVER (), max(max(salary)) OVER (ORDER BY dept) FROM wemp GROUP BY dept ORDER BY dept

SELECT dept, sum(salary) OVER (PARTITION BY dept) FROM wemp GROUP BY dept

SELECT id, row_number() OVER (ORDER BY id) AS rn FROM wemp ORDER BY rn DESC LIMIT 2

SELECT id, row_number() OVER (ORDER BY id) FROM wemp ORDER BY row_number() OVER (ORDER BY id) DESC LIMIT 2

SELECT count(*) FROM wemp WINDOW w AS (ORDER BY salary)

SELECT id FROM wemp WINDOW w AS (ORDER BY sum(salary))

SELECT count(*) FROM wemp WINDOW w AS (ORDER BY count(*))

SELECT x, count(*) OVER (ORDER BY x RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING), count(*) OVER (ORDER BY x RANGE BETWEEN 'infinity' PRECEDING AND CURRENT ROW) FROM (VALUES (1::float8), ('infinity'), ('-infinity'), ('NaN'), (2)) v(x) ORDER BY x

SELECT x, count(*) OVER (ORDER BY x RANGE BETWEEN '1 day' PRECEDING AND '1 day' FOLLOWING) FROM (VALUES ('2024-01-01'::date), ('infinity'), ('-infinity'), ('2024-01-02')) v(x) ORDER BY x

SELECT x, count(*) OVER (ORDER BY x RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM (VALUES (1::numeric), ('NaN'), (2), ('Infinity')) v(x) ORDER BY x

SELECT id, dept, string_agg(dept, ',') OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM wemp ORDER BY id

SELECT id, array_agg(id) OVER (PARTITION BY dept ORDER BY id), bool_and(salary > 3000) OVER (PARTITION BY dept) FROM wemp ORDER BY id

SELECT string_agg(id::text, '-' ORDER BY id DESC) OVER () FROM wemp ORDER BY 1 LIMIT 1
