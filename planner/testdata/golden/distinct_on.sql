-- SELECT DISTINCT ON (checked against PostgreSQL 15).

CREATE TABLE a (id int PRIMARY KEY, x int, s text)

INSERT INTO a VALUES (1, 10, 'one'), (2, 20, 'two'), (3, NULL, 'three'), (4, 10, NULL), (5, 20, 'five')

SELECT DISTINCT ON (x) x, id FROM a ORDER BY x, id DESC

SELECT DISTINCT ON (x) id, s FROM a ORDER BY x NULLS FIRST, s

SELECT DISTINCT ON (1) x, id FROM a ORDER BY 1, 2

SELECT DISTINCT ON (x % 20) x, id FROM a ORDER BY x % 20, id

SELECT DISTINCT ON (x) x, id FROM a ORDER BY id

SELECT DISTINCT ON (x, s) x FROM a ORDER BY x, s, id

SELECT count(*) FROM (SELECT DISTINCT ON (x) x FROM a) t

SELECT DISTINCT ON (9) x FROM a

DROP TABLE a
