-- Automatically updatable views: INSERT, UPDATE and DELETE through a one-table view (checked against PostgreSQL 15; views over views are not updatable yet).

CREATE TABLE a (id int PRIMARY KEY, x int, s text DEFAULT 'dflt')

CREATE TABLE b (id int PRIMARY KEY, aid int, y numeric)

INSERT INTO a VALUES (1, 10, 'one'), (2, 20, 'two'), (3, NULL, 'three'), (4, 10, NULL)

INSERT INTO b VALUES (1, 1, 1.5), (2, 1, 2.5), (3, 2, NULL), (4, 9, 4)

CREATE VIEW v AS SELECT id AS k, x, x + 1 AS x1 FROM a WHERE x > 5

CREATE VIEW vg AS SELECT x, count(*) FROM a GROUP BY x

CREATE VIEW vd AS SELECT DISTINCT x FROM a

CREATE VIEW vj AS SELECT a.id FROM a JOIN b ON a.id = b.id

CREATE VIEW vl AS SELECT id FROM a LIMIT 2

CREATE VIEW vu AS SELECT id FROM a UNION SELECT id FROM b

CREATE VIEW vv AS SELECT k FROM v

DELETE FROM v WHERE k = 3

DELETE FROM v WHERE x = 20 RETURNING *

SELECT * FROM a ORDER BY id

UPDATE v SET x = x + 100 WHERE k = 1 RETURNING k, x, x1

UPDATE v SET x1 = 5

UPDATE v SET nosuch = 5

INSERT INTO v VALUES (7, 70)

INSERT INTO v (k, x) VALUES (8, 80) RETURNING *

INSERT INTO v VALUES (9, 90, 91)

INSERT INTO v (x1) VALUES (1)

INSERT INTO v (k) VALUES (10)

SELECT * FROM a ORDER BY id

SELECT * FROM v ORDER BY k

UPDATE v SET x = 0 FROM b WHERE b.aid = v.k

SELECT * FROM a ORDER BY id

DELETE FROM vg

DELETE FROM vd

DELETE FROM vj

DELETE FROM vl

UPDATE vu SET id = 1

INSERT INTO vj VALUES (1)

TRUNCATE v

DROP VIEW v, vg, vd, vj, vl, vu, vv

DROP TABLE a, b
