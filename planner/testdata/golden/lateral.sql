-- LATERAL subqueries in FROM (checked against PostgreSQL 15).

CREATE TABLE a (id int PRIMARY KEY, x int, s text)

CREATE TABLE b (id int PRIMARY KEY, aid int, y numeric)

INSERT INTO a VALUES (1, 10, 'one'), (2, 20, 'two'), (3, NULL, 'three'), (4, 10, NULL)

INSERT INTO b VALUES (1, 1, 1.5), (2, 1, 2.5), (3, 2, NULL), (4, 9, 4)

SELECT a.id, l.* FROM a, LATERAL (SELECT count(*) AS n, max(y) AS m FROM b WHERE b.aid = a.id) l ORDER BY a.id

SELECT a.id, l.y FROM a CROSS JOIN LATERAL (SELECT y FROM b WHERE b.aid = a.id ORDER BY y DESC LIMIT 1) l ORDER BY a.id

SELECT a.id, l.y FROM a LEFT JOIN LATERAL (SELECT y FROM b WHERE b.aid = a.id) l ON true ORDER BY a.id, l.y

SELECT a.id, l.v FROM a JOIN LATERAL (SELECT a.x * 2 AS v) l ON l.v > 15 ORDER BY 1

SELECT * FROM a RIGHT JOIN LATERAL (SELECT a.x) l ON true

SELECT * FROM (SELECT a.x) l, a

SELECT a.id, l.z FROM a, b, LATERAL (SELECT a.id + b.id AS z) l WHERE b.id = 1 ORDER BY 1

DROP TABLE a, b
