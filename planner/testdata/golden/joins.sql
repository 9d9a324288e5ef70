-- Joins: FROM lists, CROSS/INNER/LEFT/RIGHT/FULL JOIN with ON, USING and NATURAL, aliases, qualified names (checked against PostgreSQL 15).

CREATE TABLE a (id int PRIMARY KEY, x int, s text)

CREATE TABLE b (id int PRIMARY KEY, aid int, y numeric)

INSERT INTO a VALUES (1, 10, 'one'), (2, 20, 'two'), (3, NULL, 'three'), (4, 10, NULL)

INSERT INTO b VALUES (1, 1, 1.5), (2, 1, 2.5), (3, 2, NULL), (4, 9, 4)

SELECT a.id, b.id FROM a, b WHERE a.id = b.aid ORDER BY 1, 2

SELECT * FROM a JOIN b ON a.id = b.aid ORDER BY a.id, b.id

SELECT * FROM a LEFT JOIN b ON a.id = b.aid ORDER BY a.id, b.id

SELECT * FROM a RIGHT JOIN b ON a.id = b.aid ORDER BY b.id

SELECT * FROM a FULL JOIN b ON a.id = b.aid ORDER BY a.id, b.id

SELECT * FROM a FULL JOIN b USING (id) ORDER BY id

SELECT * FROM a NATURAL JOIN b ORDER BY id

SELECT * FROM a CROSS JOIN b WHERE a.x = 10 AND b.y > 2 ORDER BY a.id, b.id

SELECT a.s, count(*) FROM a JOIN b ON a.id = b.aid GROUP BY a.s ORDER BY a.s

SELECT a1.id, a2.id FROM a a1 JOIN a a2 ON a1.x = a2.x AND a1.id < a2.id

SELECT * FROM a LEFT JOIN b ON a.id = b.aid AND b.y > 2 ORDER BY a.id, b.id

SELECT * FROM a LEFT JOIN b ON a.id = b.aid WHERE b.id IS NULL ORDER BY a.id

SELECT id FROM a JOIN b USING (id) ORDER BY 1

SELECT * FROM a JOIN b ON true ORDER BY a.id, b.id LIMIT 3

SELECT * FROM a JOIN b ON a.x = b.y ORDER BY a.id

SELECT * FROM a JOIN b ON a.id = b.aid JOIN a a3 ON a3.id = b.id ORDER BY a.id, b.id

SELECT * FROM (a JOIN b ON a.id = b.aid) LEFT JOIN a a3 ON a3.x = b.y ORDER BY a.id, b.id

SELECT count(*) FROM a, b, a a3

SELECT DISTINCT a.x FROM a, b WHERE a.id > b.id ORDER BY 1

SELECT a.*, b.y FROM a JOIN b ON a.id = b.id ORDER BY a.id

SELECT a.id FROM a LEFT JOIN b USING (id) WHERE b.y IS NULL ORDER BY 1

SELECT x FROM a NATURAL JOIN a AS z ORDER BY x

SELECT * FROM a a1 JOIN a a2 USING (id, x) ORDER BY id

SELECT a1.* FROM a a1 JOIN a a2 USING (id) ORDER BY id

SELECT * FROM (SELECT id, x * 2 AS dbl FROM a) AS t WHERE dbl > 15 ORDER BY id

SELECT t.* FROM (SELECT 1 AS p, 2 AS q) t

SELECT * FROM (SELECT 1) t(z)

-- Errors.

SELECT id FROM a, b

SELECT a.id FROM a, a

SELECT t.id FROM a AS t WHERE a.id = 1

SELECT nosuch.id FROM a

SELECT a.nosuch FROM a

SELECT * FROM a t1, b t1

SELECT * FROM a JOIN b USING (nosuch)

SELECT * FROM a JOIN b USING (y)

SELECT * FROM a JOIN b ON a.s = b.aid

SELECT * FROM (SELECT 1)

DROP TABLE a, b
