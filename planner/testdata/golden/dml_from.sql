-- UPDATE ... FROM and DELETE ... USING (checked against PostgreSQL 15).

CREATE TABLE a (id int PRIMARY KEY, x int, s text)

CREATE TABLE b (id int PRIMARY KEY, aid int, y numeric)

INSERT INTO a VALUES (1, 10, 'one'), (2, 20, 'two'), (3, NULL, 'three'), (4, 10, NULL)

INSERT INTO b VALUES (1, 1, 1.5), (2, 1, 2.5), (3, 2, NULL), (4, 9, 4)

UPDATE a SET x = a.x + b.id FROM b WHERE b.aid = a.id AND b.id = 3 RETURNING *

UPDATE b SET y = a.x FROM a WHERE a.id = b.id AND a.s LIKE 't%' RETURNING b.id, b.y, a.s

SELECT * FROM b ORDER BY id

DELETE FROM b USING a WHERE a.id = b.aid AND a.x = 10 RETURNING b.*, a.s

SELECT * FROM b ORDER BY id

DELETE FROM a USING b t WHERE t.aid = a.id

SELECT * FROM a ORDER BY id

UPDATE a SET x = 0 FROM a

UPDATE a SET x = 0 FROM b WHERE nosuch = 1

UPDATE a SET x = v.n FROM (VALUES (3, 33), (4, 44)) AS v(k, n) WHERE v.k = a.id

SELECT * FROM a ORDER BY id

DROP TABLE a, b
