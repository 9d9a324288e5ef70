-- Subqueries: scalar, IN / NOT IN with NULLs, EXISTS, ANY / ALL, correlated at several levels, in WHERE, select lists, ORDER BY, HAVING, DML (checked against PostgreSQL 15).

CREATE TABLE a (id int PRIMARY KEY, x int, s text)

CREATE TABLE b (id int PRIMARY KEY, aid int, y numeric)

INSERT INTO a VALUES (1, 10, 'one'), (2, 20, 'two'), (3, NULL, 'three'), (4, 10, NULL)

INSERT INTO b VALUES (1, 1, 1.5), (2, 1, 2.5), (3, 2, NULL), (4, 9, 4)

SELECT x FROM a WHERE x IN (SELECT x FROM a WHERE id > 1) ORDER BY 1

SELECT id FROM a WHERE x NOT IN (SELECT x FROM a WHERE id = 3)

SELECT id FROM a WHERE x NOT IN (SELECT x FROM a WHERE id = 1) ORDER BY 1

SELECT id, (SELECT count(*) FROM b WHERE b.aid = a.id) AS n FROM a ORDER BY id

SELECT id FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.aid = a.id) ORDER BY id

SELECT id FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.aid = a.id) ORDER BY id

SELECT id FROM a WHERE x > ALL (SELECT x FROM a WHERE id = 1) ORDER BY id

SELECT id FROM a WHERE x > ANY (SELECT x FROM a) ORDER BY id

SELECT id FROM a WHERE x = ANY (SELECT x FROM a WHERE x IS NULL)

SELECT id, x < ALL (SELECT x FROM a WHERE id <> a.id) FROM a ORDER BY id

SELECT (SELECT s FROM a WHERE id = 9)

SELECT 1 IN (SELECT 1.0)

SELECT 'x' IN (SELECT s FROM a)

SELECT NULL IN (SELECT 1 WHERE false)

SELECT NULL NOT IN (SELECT 1 WHERE false)

SELECT 1 IN (SELECT NULL::int)

SELECT id FROM a WHERE x IN (SELECT x FROM a UNION SELECT 99) ORDER BY id

SELECT id FROM a WHERE (SELECT max(y) FROM b WHERE b.aid = a.id) > 2

SELECT id FROM a a1 WHERE EXISTS (SELECT 1 FROM b WHERE b.aid = a1.id AND EXISTS (SELECT 1 FROM a a2 WHERE a2.id = b.aid AND a2.x = a1.x))

SELECT id, (SELECT (SELECT a.x + b.id) FROM b WHERE b.id = a.id) FROM a ORDER BY id

SELECT id FROM a ORDER BY (SELECT count(*) FROM b WHERE b.aid = a.id) DESC, id

SELECT x, count(*) FROM a GROUP BY x HAVING count(*) > (SELECT count(*) FROM b WHERE aid = 2) ORDER BY x

SELECT x, (SELECT count(*) FROM b) FROM a GROUP BY x ORDER BY x

SELECT x, (SELECT count(*) FROM b WHERE b.aid = a.x) FROM a GROUP BY x ORDER BY x

SELECT count(*) FROM a WHERE id IN (SELECT aid FROM b)

SELECT a.id, b.id FROM a JOIN b ON b.aid = a.id AND b.id IN (SELECT id FROM b WHERE y > 2) ORDER BY 1, 2

SELECT * FROM a WHERE id = (SELECT min(id) FROM b)

SELECT (SELECT 1) + 1 AS two, EXISTS (SELECT 1 WHERE false) AS e

SELECT id FROM a WHERE x IN (SELECT x FROM a ORDER BY x LIMIT 1)

SELECT (SELECT id FROM b WHERE b.id = a.id) FROM a ORDER BY 1

SELECT id FROM a WHERE EXISTS (SELECT count(*) FROM b WHERE false) ORDER BY 1

SELECT count(*) FROM a WHERE (SELECT count(*) FROM b WHERE b.aid = a.id) = 0

UPDATE b SET y = 0 WHERE aid IN (SELECT id FROM a WHERE x = 10)

DELETE FROM b WHERE EXISTS (SELECT 1 FROM a WHERE a.id = b.aid AND a.x = 20)

SELECT * FROM b ORDER BY id

UPDATE a SET x = (SELECT count(*) FROM b WHERE b.aid = a.id)

INSERT INTO b SELECT id + 10, id, x FROM a WHERE id IN (SELECT aid FROM b)

SELECT * FROM b ORDER BY id

-- Errors.

SELECT (SELECT id FROM a)

SELECT (SELECT id, x FROM a)

SELECT id IN (SELECT id, x FROM a) FROM a

SELECT id FROM a WHERE id IN (SELECT 'x')

SELECT id FROM a WHERE s IN (SELECT 1)

DROP TABLE a, b
