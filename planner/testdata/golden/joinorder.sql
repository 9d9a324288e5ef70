-- Join ordering, ANALYZE and decorrelated subqueries: results must not depend on the order the planner picks (checked against PostgreSQL 15).

CREATE TABLE jo_big (id int PRIMARY KEY, k int, v text)

CREATE TABLE jo_mid (id int PRIMARY KEY, k int, w text)

CREATE TABLE jo_small (id int PRIMARY KEY, name text NOT NULL)

CREATE TABLE jo_n (a int, b int)

INSERT INTO jo_big SELECT g, g % 50, 'v' || g FROM generate_series(1, 600) g

INSERT INTO jo_big VALUES (601, NULL, NULL), (602, NULL, 'x')

INSERT INTO jo_mid SELECT g, g % 7, CASE WHEN g % 5 = 0 THEN NULL ELSE 'w' || g END FROM generate_series(1, 60) g

INSERT INTO jo_small VALUES (1, 'one'), (2, 'two'), (3, 'three'), (9, 'nine')

INSERT INTO jo_n VALUES (1, 1), (2, NULL), (NULL, 3), (3, 3)

ANALYZE jo_big

ANALYZE jo_mid (id, k)

ANALYZE

SELECT relname, reltuples FROM pg_class WHERE relname LIKE 'jo\_%' AND relkind = 'r' ORDER BY relname

SELECT tablename, attname, null_frac FROM pg_stats WHERE tablename LIKE 'jo\_%' ORDER BY tablename, attname

SELECT tablename, attname, avg_width, n_distinct FROM pg_stats WHERE tablename LIKE 'jo\_%' ORDER BY tablename, attname

ANALYZE jo_big (nosuch)

ANALYZE jo_nosuch

SELECT count(*), sum(b.id), min(s.name), max(m.w) FROM jo_big b, jo_mid m, jo_small s WHERE b.k = m.id AND m.k = s.id

SELECT * FROM jo_big b, jo_mid m, jo_small s WHERE b.k = m.id AND m.k = s.id AND b.id < 120 ORDER BY b.id, m.id

SELECT s.name, m.id, b.id FROM jo_small s JOIN jo_mid m ON m.k = s.id JOIN jo_big b ON b.k = m.id WHERE b.id % 10 = 3 ORDER BY 1, 2, 3

SELECT b.id, m.id, s.id, n.a FROM jo_big b JOIN jo_mid m ON b.k = m.id JOIN jo_small s ON m.k = s.id LEFT JOIN jo_n n ON n.a = s.id WHERE b.id < 60 ORDER BY 1, 2, 3, 4

SELECT b.id, s.id, n.b FROM jo_small s LEFT JOIN jo_n n ON n.a = s.id JOIN jo_mid m ON m.k = s.id JOIN jo_big b ON b.k = m.id AND b.id < 40 ORDER BY 1, 2, 3

SELECT count(*) FROM jo_big b, jo_mid m, jo_small s, jo_n n WHERE b.k = m.id AND m.k = s.id AND n.b = s.id

SELECT count(*) FROM jo_big b, jo_mid m, jo_small s WHERE b.k = m.id AND m.k < s.id

SELECT count(*) FROM jo_small s, jo_n n, jo_mid m WHERE m.id < 5

SELECT * FROM jo_n n1 JOIN jo_n n2 ON n1.a = n2.b JOIN jo_n n3 ON n2.a = n3.a ORDER BY 1, 2, 3, 4, 5, 6

SELECT count(*) FROM jo_mid m WHERE EXISTS (SELECT 1 FROM jo_big b WHERE b.k = m.id AND b.v <> 'v7')

SELECT m.id FROM jo_mid m WHERE NOT EXISTS (SELECT 1 FROM jo_big b WHERE b.k = m.id) ORDER BY 1

SELECT m.id, m.k FROM jo_mid m WHERE EXISTS (SELECT 1 FROM jo_small s WHERE s.id = m.k AND s.name > m.w) ORDER BY 1

SELECT n.a, n.b FROM jo_n n WHERE EXISTS (SELECT 1 FROM jo_n n2 WHERE n2.a = n.b) ORDER BY 1, 2

SELECT n.a, n.b FROM jo_n n WHERE NOT EXISTS (SELECT 1 FROM jo_n n2 WHERE n2.a = n.b) ORDER BY 1, 2

SELECT m.id FROM jo_mid m WHERE m.k IN (SELECT s.id FROM jo_small s WHERE s.name <> coalesce(m.w, '')) ORDER BY 1

SELECT n.a FROM jo_n n WHERE n.a IN (SELECT n2.b FROM jo_n n2 WHERE n2.a = n.a) ORDER BY 1

SELECT n.a, n.b FROM jo_n n WHERE n.a NOT IN (SELECT n2.b FROM jo_n n2 WHERE n2.a = n.b) ORDER BY 1, 2

SELECT s.id FROM jo_small s WHERE s.id NOT IN (SELECT m.id FROM jo_mid m WHERE m.k = s.id) ORDER BY 1

SELECT s.id FROM jo_small s WHERE s.id NOT IN (SELECT m.k FROM jo_mid m WHERE m.id = s.id * 2) ORDER BY 1

SELECT m.id FROM jo_mid m, jo_small s WHERE m.k = s.id AND EXISTS (SELECT 1 FROM jo_big b, jo_n n WHERE b.k = m.id AND n.a = s.id AND b.id > 300) ORDER BY 1

SELECT b.id FROM jo_big b WHERE b.id < 30 AND NOT EXISTS (SELECT 1 FROM jo_mid m WHERE m.id = b.k AND m.w IS NOT NULL) ORDER BY 1

SELECT s.name FROM jo_small s WHERE EXISTS (SELECT 1 FROM jo_mid m WHERE m.k = s.id LIMIT 1) ORDER BY 1

SELECT s.name FROM jo_small s WHERE EXISTS (SELECT count(*) FROM jo_mid m WHERE m.k = s.id) ORDER BY 1

SELECT m.id, x.name FROM jo_mid m, LATERAL (SELECT s.name FROM jo_small s WHERE s.id = m.k) x WHERE m.id < 20 ORDER BY 1

SELECT m.id, (SELECT s.name FROM jo_small s WHERE s.id = m.k::int8) FROM jo_mid m WHERE m.id < 12 ORDER BY 1

SELECT m.id, (SELECT max(b.id) FROM jo_big b WHERE b.k = m.id AND b.id > m.id * 10) FROM jo_mid m WHERE m.id BETWEEN 40 AND 52 ORDER BY 1

SELECT s.id, (SELECT count(*) FROM jo_mid m WHERE m.k = s.id AND m.id > (SELECT min(n.b) FROM jo_n n WHERE n.a = s.id)) FROM jo_small s ORDER BY 1

DROP TABLE jo_n

SELECT count(*) FROM pg_stats WHERE tablename = 'jo_n'
