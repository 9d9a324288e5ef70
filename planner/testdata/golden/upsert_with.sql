-- Data-modifying statements in WITH, with PostgreSQL's snapshot rules (checked against PostgreSQL 15).

CREATE TABLE ups_w1 (id int PRIMARY KEY, v int)

CREATE TABLE ups_w2 (id int PRIMARY KEY, v int)

CREATE TABLE ups_arch (id int, v int, note text)

INSERT INTO ups_w1 SELECT g, g * 10 FROM generate_series(1, 6) g

WITH d AS (DELETE FROM ups_w1 WHERE id = 1 RETURNING *) SELECT * FROM ups_w1 ORDER BY id

SELECT * FROM ups_w1 ORDER BY id

WITH d AS (DELETE FROM ups_w1 WHERE id = 2) SELECT * FROM d

INSERT INTO ups_w2 WITH d AS (DELETE FROM ups_w1 WHERE id = 2 RETURNING *) SELECT * FROM d

SELECT * FROM (WITH d AS (DELETE FROM ups_w1 WHERE id = 2 RETURNING *) SELECT * FROM d) s

WITH a AS (WITH d AS (DELETE FROM ups_w1 WHERE id = 2 RETURNING *) SELECT * FROM d) SELECT * FROM a

WITH d AS (DELETE FROM ups_w1 WHERE id <= 3 RETURNING *) INSERT INTO ups_arch SELECT id, v, 'deleted' FROM d RETURNING *

SELECT * FROM ups_w1 ORDER BY id

WITH u AS (UPDATE ups_w1 SET v = v + 1 WHERE id = 4 RETURNING id, v) SELECT u.id, u.v, w.v AS old_v FROM u JOIN ups_w1 w ON w.id = u.id

WITH i AS (INSERT INTO ups_w1 VALUES (10, 100) RETURNING *) SELECT (SELECT count(*) FROM ups_w1) AS before, (SELECT count(*) FROM i) AS inserted

SELECT count(*) FROM ups_w1

WITH i AS (INSERT INTO ups_w1 VALUES (11, 110) RETURNING *) INSERT INTO ups_w1 VALUES (11, 111)

WITH i AS (INSERT INTO ups_w1 VALUES (12, 120) RETURNING *) INSERT INTO ups_w1 VALUES (12, 121) ON CONFLICT (id) DO NOTHING

WITH u AS (UPDATE ups_w1 SET v = 0 WHERE id = 5 RETURNING *) UPDATE ups_w1 SET v = 77 WHERE id = 5 RETURNING *

SELECT * FROM ups_w1 ORDER BY id

WITH u AS (UPDATE ups_w1 SET v = 1 WHERE id = 6 RETURNING *) UPDATE ups_w1 SET v = u.v + 1000 FROM u WHERE ups_w1.id = u.id RETURNING ups_w1.*

SELECT * FROM ups_w1 ORDER BY id

WITH d AS (DELETE FROM ups_w1 WHERE id = 10 RETURNING id), e AS (INSERT INTO ups_w2 SELECT id, -1 FROM d RETURNING *) SELECT * FROM e

WITH a AS (INSERT INTO ups_w2 VALUES (20, 1), (21, 2) RETURNING id), b AS (DELETE FROM ups_w2 WHERE id IN (SELECT id FROM a) RETURNING id) SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b)

SELECT * FROM ups_w2 ORDER BY id

WITH m AS (DELETE FROM ups_w2 RETURNING *) INSERT INTO ups_w1 SELECT id + 100, v FROM m ON CONFLICT (id) DO UPDATE SET v = excluded.v RETURNING *

SELECT * FROM ups_w2

WITH x(a, b) AS (DELETE FROM ups_w1 WHERE id = 110 RETURNING id, v) SELECT b, a FROM x

WITH x AS (DELETE FROM ups_w1 WHERE id = 4 RETURNING *) DELETE FROM ups_w1 WHERE id = 4 RETURNING *

SELECT * FROM ups_w1 ORDER BY id

BEGIN

WITH d AS (DELETE FROM ups_w1 RETURNING *) INSERT INTO ups_arch SELECT id, v, 'all' FROM d

SELECT count(*) FROM ups_w1

ROLLBACK

SELECT count(*) FROM ups_w1

SELECT * FROM ups_arch ORDER BY id, note

-- Queries read the statement's snapshot (primary key scans backward, a
-- secondary index forward and backward) while WITH queries change the table.

CREATE TABLE ups_sn (id int PRIMARY KEY, k int)

CREATE INDEX ups_sn_k ON ups_sn (k)

INSERT INTO ups_sn SELECT g, g * 2 FROM generate_series(1, 10) g

WITH d AS (DELETE FROM ups_sn WHERE id % 3 = 0 RETURNING id), u AS (UPDATE ups_sn SET k = -k WHERE id % 3 = 1 RETURNING id), i AS (INSERT INTO ups_sn SELECT g, g FROM generate_series(11, 13) g RETURNING id) SELECT s.id, s.k FROM ups_sn s WHERE (SELECT count(*) FROM d) + (SELECT count(*) FROM u) + (SELECT count(*) FROM i) = 10 ORDER BY s.id DESC

SELECT id, k FROM ups_sn ORDER BY id

WITH d AS (DELETE FROM ups_sn WHERE id > 10 RETURNING id), u AS (UPDATE ups_sn SET k = 100 + id WHERE id < 4 RETURNING id) SELECT s.id, s.k FROM ups_sn s WHERE s.k > 5 AND (SELECT count(*) FROM d) + (SELECT count(*) FROM u) = 5 ORDER BY s.k

WITH d AS (DELETE FROM ups_sn WHERE id > 5 RETURNING id) SELECT s.id FROM ups_sn s WHERE s.k BETWEEN 100 AND 200 AND EXISTS (SELECT 1 FROM d) ORDER BY s.k DESC

SELECT id, k FROM ups_sn ORDER BY id

DROP TABLE ups_sn

CREATE TABLE ups_fp (id int PRIMARY KEY)

CREATE TABLE ups_fc (id int PRIMARY KEY, pid int REFERENCES ups_fp ON DELETE CASCADE)

WITH p AS (INSERT INTO ups_fp VALUES (1), (2) RETURNING id) INSERT INTO ups_fc SELECT id * 10, id FROM p

WITH p AS (INSERT INTO ups_fp VALUES (3)) INSERT INTO ups_fc VALUES (30, 3)

WITH c AS (INSERT INTO ups_fc VALUES (40, 4)) INSERT INTO ups_fp VALUES (5)

WITH d AS (DELETE FROM ups_fp WHERE id = 1 RETURNING id) SELECT (SELECT count(*) FROM d), (SELECT count(*) FROM ups_fc)

SELECT * FROM ups_fc ORDER BY id

DROP TABLE ups_fc

DROP TABLE ups_fp

DROP TABLE ups_arch

DROP TABLE ups_w2

DROP TABLE ups_w1
