-- Aggregates with FILTER, and aggregate syntax on plain functions (checked against PostgreSQL 15).

CREATE TABLE a (id int PRIMARY KEY, x int, s text)

INSERT INTO a VALUES (1, 10, 'one'), (2, 20, 'two'), (3, NULL, 'three'), (4, 10, NULL), (5, 30, 'five')

SELECT count(*) FILTER (WHERE x > 10), sum(x) FILTER (WHERE s IS NOT NULL), avg(DISTINCT x) FILTER (WHERE id < 5) FROM a

SELECT x, count(*) FILTER (WHERE id > 1) FROM a GROUP BY x ORDER BY x

SELECT count(*) FILTER (WHERE count(*) > 1) FROM a

SELECT abs(x) FILTER (WHERE x > 1) FROM a

SELECT count(*) FILTER (WHERE x) FROM a

SELECT max(s) FILTER (WHERE id IN (SELECT id FROM a WHERE x = 10)) FROM a

SELECT abs(*) FROM a

SELECT abs(DISTINCT x) FROM a

SELECT abs(x ORDER BY x) FROM a

DROP TABLE a
