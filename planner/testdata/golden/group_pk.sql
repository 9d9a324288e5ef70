-- GROUP BY a primary key: the table's other columns depend on it (checked against PostgreSQL 15).

CREATE TABLE a (id int PRIMARY KEY, x int, s text)

CREATE TABLE b (id int PRIMARY KEY, aid int, y numeric)

CREATE TABLE n (k int, v int)

INSERT INTO a VALUES (1, 10, 'one'), (2, 20, 'two'), (3, NULL, 'three'), (4, 10, NULL)

INSERT INTO b VALUES (1, 1, 1.5), (2, 1, 2.5), (3, 2, NULL), (4, 9, 4)

INSERT INTO n VALUES (1, 1)

SELECT a.*, count(b.id) FROM a LEFT JOIN b ON b.aid = a.id GROUP BY a.id ORDER BY a.id

SELECT a.s, sum(b.y) FROM a JOIN b ON b.aid = a.id GROUP BY a.id HAVING sum(b.y) > 0 ORDER BY a.s

SELECT id, x, count(*) FROM a GROUP BY id ORDER BY x DESC NULLS LAST, id

SELECT b.aid, a.s FROM a JOIN b ON b.aid = a.id GROUP BY b.aid

SELECT k, v FROM n GROUP BY k

SELECT a.x, count(*) FROM a GROUP BY a.s

DROP TABLE a, b, n
