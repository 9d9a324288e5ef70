-- EXPLAIN prints the plan as PostgreSQL's text format does with COSTS OFF:
-- the access path each table gets (sequential scan, primary key or index
-- with its condition), joins, aggregation, sort and limit.

CREATE TABLE ex_t (a int PRIMARY KEY, b text, c int);

CREATE INDEX ex_t_c ON ex_t (c);

CREATE TABLE ex_u (x int PRIMARY KEY, a int);

INSERT INTO ex_t VALUES (1, 'x', 10), (2, 'y', 20), (3, 'z', 30);

EXPLAIN SELECT * FROM ex_t WHERE a = 1;

EXPLAIN SELECT * FROM ex_t WHERE c = 10;

EXPLAIN SELECT * FROM ex_t WHERE b = 'x';

EXPLAIN SELECT b, count(*) FROM ex_t WHERE a > 1 GROUP BY b ORDER BY b LIMIT 5;

EXPLAIN SELECT * FROM ex_t JOIN ex_u ON ex_t.a = ex_u.a WHERE ex_t.c > 5;

EXPLAIN SELECT * FROM ex_t LEFT JOIN ex_u ON ex_t.a < ex_u.a;

EXPLAIN SELECT count(*) FROM ex_t;

EXPLAIN UPDATE ex_t SET b = 'q' WHERE a = 2;

EXPLAIN DELETE FROM ex_t WHERE c IN (10, 20);

EXPLAIN INSERT INTO ex_t VALUES (4, 'w', 40);

EXPLAIN SELECT a FROM ex_t UNION SELECT x FROM ex_u;

EXPLAIN SELECT * FROM ex_t ORDER BY a LIMIT 1;

EXPLAIN (FORMAT JSON) SELECT 1;

EXPLAIN (BOGUS) SELECT 1;

EXPLAIN SELECT * FROM missing;

SELECT count(*) FROM ex_t;
