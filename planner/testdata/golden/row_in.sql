-- Row comparisons with subqueries: (a, b) IN / NOT IN / = ANY / <> ALL (checked against PostgreSQL 15).

CREATE TABLE a (id int PRIMARY KEY, x int, s text)

CREATE TABLE b (id int PRIMARY KEY, aid int, y numeric)

INSERT INTO a VALUES (1, 10, 'one'), (2, 20, 'two'), (3, NULL, 'three'), (4, 10, NULL), (5, 30, 'five')

INSERT INTO b VALUES (1, 1, 1.5), (2, 1, 2.5), (3, 2, NULL), (4, 9, 4), (5, 5, 0)

SELECT * FROM a WHERE (x, id) IN (SELECT aid, id FROM b)

SELECT * FROM a WHERE (id, id) IN (SELECT aid, id FROM b) ORDER BY id

SELECT id, (id, x) NOT IN (SELECT id, aid FROM b) FROM a ORDER BY id

SELECT id, (id, 1) IN (SELECT aid, NULL::int FROM b) FROM a ORDER BY id

SELECT id, (id, x) = ANY (SELECT aid, y FROM b) FROM a ORDER BY id

SELECT id, (id, x) <> ALL (SELECT aid, 10 FROM b) FROM a ORDER BY id

SELECT (1, 2) IN (SELECT 1)

SELECT (1, 2) IN (SELECT 1, 2, 3)

DROP TABLE a, b
