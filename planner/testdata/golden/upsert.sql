-- INSERT ... ON CONFLICT and WITH on INSERT, UPDATE and DELETE (checked against PostgreSQL 15).

CREATE TABLE ups_t (id int PRIMARY KEY, a int UNIQUE, b text, c int CHECK (c > 0), n int DEFAULT 0)

CREATE UNIQUE INDEX ups_t_bx ON ups_t (b)

CREATE INDEX ups_t_n ON ups_t (n)

INSERT INTO ups_t VALUES (1, 10, 'x', 1), (2, 20, 'y', 2)

INSERT INTO ups_t VALUES (1, 11, 'z', 1) ON CONFLICT DO NOTHING

INSERT INTO ups_t VALUES (3, 10, 'z', 1) ON CONFLICT DO NOTHING RETURNING *

INSERT INTO ups_t VALUES (3, 30, 'x', 1), (4, 40, 'w', 4) ON CONFLICT DO NOTHING RETURNING id

INSERT INTO ups_t VALUES (1, 99, 'q', 9) ON CONFLICT (id) DO NOTHING

INSERT INTO ups_t VALUES (5, 20, 'q', 9) ON CONFLICT (id) DO NOTHING

INSERT INTO ups_t VALUES (5, 50, 'v', 5), (5, 51, 'u', 5) ON CONFLICT DO NOTHING RETURNING id, a

SELECT * FROM ups_t ORDER BY id

INSERT INTO ups_t VALUES (1, 10, 'x', 7) ON CONFLICT (id) DO UPDATE SET c = excluded.c, n = ups_t.n + 1 RETURNING *

INSERT INTO ups_t AS t VALUES (1, 10, 'x', 8), (6, 60, 'r', 6) ON CONFLICT (id) DO UPDATE SET c = t.c + excluded.c, n = t.n + 1 RETURNING id, c, n

INSERT INTO ups_t AS t VALUES (1, 10, 'x', 8) ON CONFLICT (id) DO UPDATE SET c = ups_t.c

INSERT INTO ups_t VALUES (2, 0, 'y', 3) ON CONFLICT (a) DO UPDATE SET c = 100

INSERT INTO ups_t VALUES (9, 20, 'k', 3) ON CONFLICT (a) DO UPDATE SET c = excluded.c + 100 RETURNING id, a, b, c

INSERT INTO ups_t VALUES (9, 99, 'y', 3) ON CONFLICT (b) DO UPDATE SET b = excluded.b || 'y' RETURNING id, b

INSERT INTO ups_t VALUES (4, 41, 'w', 4) ON CONFLICT ON CONSTRAINT ups_t_pkey DO UPDATE SET a = excluded.a RETURNING id, a

INSERT INTO ups_t VALUES (7, 41, 'w7', 4) ON CONFLICT ON CONSTRAINT ups_t_a_key DO UPDATE SET b = excluded.b RETURNING id, a, b

INSERT INTO ups_t VALUES (1, 10, 'x', 1) ON CONFLICT (id) DO UPDATE SET n = 50 WHERE ups_t.n > 100 RETURNING id

INSERT INTO ups_t VALUES (1, 10, 'x', 1), (3, 30, 'x', 1) ON CONFLICT (id) DO UPDATE SET n = ups_t.n + 10 WHERE excluded.id = 3 RETURNING id, n

SELECT * FROM ups_t ORDER BY id

SELECT id, a FROM ups_t WHERE a = 41

SELECT id, b FROM ups_t WHERE b IN ('w', 'w7', 'y', 'yy') ORDER BY b

SELECT id, n FROM ups_t WHERE n >= 1 ORDER BY n, id

INSERT INTO ups_t VALUES (1, 10, 'x', 1), (1, 11, 'z', 1) ON CONFLICT (id) DO UPDATE SET a = excluded.a

INSERT INTO ups_t VALUES (20, 200, 'aa', 1), (20, 201, 'ab', 1) ON CONFLICT (id) DO UPDATE SET a = excluded.a

INSERT INTO ups_t VALUES (1, 10, 'x', 1) ON CONFLICT (id) DO UPDATE SET c = -1

INSERT INTO ups_t VALUES (1, 10, 'x', -1) ON CONFLICT (id) DO NOTHING

INSERT INTO ups_t VALUES (1, 20, 'x', 1) ON CONFLICT (id) DO UPDATE SET a = excluded.a

INSERT INTO ups_t VALUES (30, 10, 'new', 1) ON CONFLICT (id) DO NOTHING

INSERT INTO ups_t VALUES (1, 10, 'x', 1) ON CONFLICT (id) DO UPDATE SET id = 2

INSERT INTO ups_t VALUES (1, 10, 'x', 1) ON CONFLICT (id) DO UPDATE SET b = NULL, a = NULL RETURNING *

INSERT INTO ups_t VALUES (31, NULL, NULL, 1), (32, NULL, NULL, 1) ON CONFLICT (a) DO UPDATE SET c = 99 RETURNING id, c

SELECT * FROM ups_t ORDER BY id

INSERT INTO ups_t VALUES (1, 10, 'x', 1) ON CONFLICT DO UPDATE SET b = 'y'

INSERT INTO ups_t VALUES (1, 10, 'x', 1) ON CONFLICT (zz) DO NOTHING

INSERT INTO ups_t VALUES (1, 10, 'x', 1) ON CONFLICT (c) DO NOTHING

INSERT INTO ups_t VALUES (1, 10, 'x', 1) ON CONFLICT (id, a) DO NOTHING

INSERT INTO ups_t VALUES (1, 10, 'x', 1) ON CONFLICT (lower(b)) DO NOTHING

INSERT INTO ups_t VALUES (1, 10, 'x', 1) ON CONFLICT ON CONSTRAINT nope DO NOTHING

INSERT INTO ups_t VALUES (1, 10, 'x', 1) ON CONFLICT ON CONSTRAINT ups_t_c_check DO NOTHING

INSERT INTO ups_t VALUES (1, 10, 'x', 1) ON CONFLICT ON CONSTRAINT ups_t_bx DO NOTHING

INSERT INTO ups_t VALUES (1, 10, 'x', 1) ON CONFLICT (id) DO UPDATE SET zz = 1

INSERT INTO ups_t VALUES (1, 10, 'x', 1) ON CONFLICT (id) DO UPDATE SET a = ups_t.zz

INSERT INTO ups_t VALUES (1, 10, 'x', 1) ON CONFLICT (id) DO UPDATE SET a = 1 WHERE zz

INSERT INTO ups_t VALUES (1, 10, 'x', 1) ON CONFLICT (id) DO UPDATE SET a = 1 WHERE 1

INSERT INTO ups_t VALUES (1, 10, 'x', 1) ON CONFLICT (id) DO UPDATE SET a = sum(excluded.a)

INSERT INTO ups_t VALUES (1, 10, 'x', 1) ON CONFLICT (id) DO UPDATE SET a = 'abc'

INSERT INTO ups_t VALUES (1, 10, 'x', 1) ON CONFLICT (a, a) DO UPDATE SET n = 77 RETURNING id, n

INSERT INTO ups_t VALUES (1, 10, 'x', 1) ON CONFLICT (id) WHERE c > 0 DO UPDATE SET n = 78 RETURNING id, n

CREATE TABLE ups_s (k text, v int, w int, UNIQUE (k, v))

INSERT INTO ups_s VALUES ('a', 1, 1), ('b', 2, 2)

INSERT INTO ups_s VALUES ('a', 1, 10), ('a', 2, 20) ON CONFLICT (v, k) DO UPDATE SET w = ups_s.w + excluded.w RETURNING *

INSERT INTO ups_s SELECT k, v, w * 100 FROM ups_s ON CONFLICT (k, v) DO UPDATE SET w = excluded.w RETURNING *

INSERT INTO ups_s SELECT k, v, 1 FROM ups_s UNION ALL SELECT 'a', 1, 1 ON CONFLICT (k, v) DO UPDATE SET w = excluded.w

INSERT INTO ups_s SELECT k, v, 1 FROM ups_s UNION ALL SELECT 'a', 1, 1 ON CONFLICT (k, v) DO NOTHING

SELECT * FROM ups_s ORDER BY k, v

EXPLAIN (COSTS OFF) INSERT INTO ups_s VALUES ('a', 1, 1) ON CONFLICT DO NOTHING

EXPLAIN (COSTS OFF) INSERT INTO ups_s VALUES ('a', 1, 1) ON CONFLICT (k, v) DO UPDATE SET w = 2 WHERE ups_s.w > 1

CREATE TABLE ups_id (id int GENERATED BY DEFAULT AS IDENTITY, k int UNIQUE, hits int DEFAULT 1)

INSERT INTO ups_id (k) VALUES (1), (2) RETURNING *

INSERT INTO ups_id (k) VALUES (1), (3) ON CONFLICT (k) DO UPDATE SET hits = ups_id.hits + 1 RETURNING *

INSERT INTO ups_id (k) VALUES (3) ON CONFLICT (k) DO NOTHING

INSERT INTO ups_id (k) VALUES (4) RETURNING *

INSERT INTO ups_id (k) VALUES (4) ON CONFLICT (k) DO UPDATE SET id = DEFAULT RETURNING *

CREATE TABLE ups_p (id int PRIMARY KEY)

CREATE TABLE ups_c (id int PRIMARY KEY, pid int REFERENCES ups_p)

INSERT INTO ups_p VALUES (1), (2)

INSERT INTO ups_c VALUES (1, 1)

INSERT INTO ups_c VALUES (1, 2) ON CONFLICT (id) DO UPDATE SET pid = excluded.pid RETURNING *

INSERT INTO ups_c VALUES (1, 3) ON CONFLICT (id) DO UPDATE SET pid = excluded.pid

INSERT INTO ups_c VALUES (2, 3) ON CONFLICT (id) DO NOTHING

INSERT INTO ups_p VALUES (2) ON CONFLICT (id) DO UPDATE SET id = 5

INSERT INTO ups_c VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET pid = (SELECT max(id) FROM ups_p WHERE id < excluded.pid + ups_c.pid) RETURNING *

INSERT INTO ups_c VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET pid = 1 RETURNING excluded.pid

INSERT INTO ups_c VALUES (1, 1) ON CONFLICT (id) DO NOTHING RETURNING excluded.pid

INSERT INTO ups_c AS excluded VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET pid = 1 RETURNING *

SELECT * FROM ups_c ORDER BY id

WITH v AS (SELECT 100 + id AS id, 'w' || id AS b FROM ups_t WHERE id < 3) INSERT INTO ups_t (id, b, c) SELECT id, b, 1 FROM v RETURNING id, b

WITH v(k, w) AS (VALUES (1, 'one'), (2, 'two')) INSERT INTO ups_t (id, b, c) SELECT k + 200, w, 1 FROM v

WITH x AS (SELECT id, n + 1000 AS m FROM ups_t WHERE id > 100) UPDATE ups_t SET n = x.m FROM x WHERE ups_t.id = x.id RETURNING ups_t.id, ups_t.n

WITH x AS (SELECT id FROM ups_t WHERE id > 200) DELETE FROM ups_t USING x WHERE ups_t.id = x.id RETURNING ups_t.id

WITH x AS (SELECT 101 AS id) DELETE FROM ups_t WHERE id IN (SELECT id FROM x)

WITH x AS (SELECT 102 AS id) UPDATE ups_t SET b = 'upd' WHERE id = (SELECT id FROM x) RETURNING id, b

WITH v AS (SELECT 1 AS id) INSERT INTO ups_t (id, a, b, c) SELECT id, 10, 'x', 1 FROM v ON CONFLICT (id) DO UPDATE SET n = -5 RETURNING id, n

WITH x AS (SELECT nope FROM ups_t) DELETE FROM ups_t

SELECT * FROM ups_t ORDER BY id

DROP TABLE ups_c

DROP TABLE ups_p

DROP TABLE ups_id

DROP TABLE ups_s

DROP TABLE ups_t
