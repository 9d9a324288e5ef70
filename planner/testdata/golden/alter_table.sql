-- ADD COLUMN with and without defaults
CREATE TABLE t (a int, b text)

INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, NULL)

ALTER TABLE t ADD COLUMN c int

ALTER TABLE t ADD COLUMN d int NOT NULL DEFAULT 7, ADD COLUMN e text DEFAULT 'x' || 'y'

SELECT * FROM t ORDER BY a

ALTER TABLE t ADD COLUMN c int

ALTER TABLE t ADD COLUMN IF NOT EXISTS c int

ALTER TABLE t ADD COLUMN f int NOT NULL

ALTER TABLE t ADD COLUMN g int CHECK (g > 0) DEFAULT 0

INSERT INTO t (a) VALUES (4) RETURNING *

-- DROP COLUMN
ALTER TABLE t DROP COLUMN e

ALTER TABLE t DROP COLUMN e

ALTER TABLE t DROP COLUMN IF EXISTS e

SELECT * FROM t ORDER BY a

ALTER TABLE t ADD COLUMN e int DEFAULT 5

SELECT * FROM t ORDER BY a

CREATE INDEX t_c_idx ON t (c)

ALTER TABLE t DROP COLUMN c

SELECT indexname::text FROM pg_indexes WHERE tablename = 't'

-- RENAME COLUMN and RENAME TO
ALTER TABLE t RENAME COLUMN b TO label

ALTER TABLE t RENAME COLUMN nope TO x

ALTER TABLE t RENAME COLUMN a TO label

ALTER TABLE t RENAME TO t2

SELECT a, label FROM t2 ORDER BY a

SELECT * FROM t

ALTER TABLE t2 RENAME TO t

-- SET/DROP DEFAULT, SET/DROP NOT NULL
ALTER TABLE t ALTER COLUMN label SET DEFAULT 'none'

INSERT INTO t (a) VALUES (5)

ALTER TABLE t ALTER COLUMN label DROP DEFAULT

INSERT INTO t (a) VALUES (6)

SELECT a, label FROM t ORDER BY a

ALTER TABLE t ALTER COLUMN label SET NOT NULL

DELETE FROM t WHERE label IS NULL

ALTER TABLE t ALTER COLUMN label SET NOT NULL

INSERT INTO t (a) VALUES (7)

ALTER TABLE t ALTER COLUMN label DROP NOT NULL

INSERT INTO t (a) VALUES (7)

ALTER TABLE t ALTER COLUMN nope SET NOT NULL

-- ALTER COLUMN TYPE
CREATE TABLE ty (id int PRIMARY KEY, n text, v numeric(6,2))

INSERT INTO ty VALUES (1, '10', 1.25), (2, '20', 2.5)

ALTER TABLE ty ALTER COLUMN v TYPE int

SELECT * FROM ty ORDER BY id

ALTER TABLE ty ALTER COLUMN n TYPE int

ALTER TABLE ty ALTER COLUMN n TYPE int USING n::int

SELECT id, n + 1 FROM ty ORDER BY id

ALTER TABLE ty ALTER COLUMN n TYPE varchar(1)

ALTER TABLE ty ALTER COLUMN id TYPE bigint

SELECT * FROM ty WHERE id = 2

-- ADD PRIMARY KEY on a table created without one (pgbench -i)
CREATE TABLE pgbench_branches (bid int NOT NULL, bbalance int, filler char(88))

INSERT INTO pgbench_branches (bid, bbalance) VALUES (1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (6, 0), (7, 0), (8, 0), (9, 0), (10, 0), (11, 0), (12, 0), (13, 0), (14, 0), (15, 0), (16, 0), (17, 0), (18, 0), (19, 0), (20, 0), (21, 0), (22, 0), (23, 0), (24, 0), (25, 0), (26, 0), (27, 0), (28, 0), (29, 0), (30, 0)

ALTER TABLE pgbench_branches ADD PRIMARY KEY (bid)

SELECT bid, bbalance FROM pgbench_branches WHERE bid = 17

ALTER TABLE pgbench_branches ADD PRIMARY KEY (bid)

INSERT INTO pgbench_branches VALUES (17, 1)

SELECT conname::text, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'pgbench_branches'::regclass

CREATE TABLE dup (k int, v int)

INSERT INTO dup VALUES (1, 1), (2, 2), (1, 3)

ALTER TABLE dup ADD PRIMARY KEY (k)

ALTER TABLE dup ADD CONSTRAINT dup_v_uq UNIQUE (v), ADD CONSTRAINT dup_k_uq UNIQUE (k)

INSERT INTO dup VALUES (NULL, 9)

ALTER TABLE dup ADD PRIMARY KEY (k)

ALTER TABLE dup ALTER COLUMN k DROP NOT NULL

-- ADD CONSTRAINT CHECK / UNIQUE / FOREIGN KEY, validating rows
ALTER TABLE dup ADD CONSTRAINT v_pos CHECK (v > 1)

ALTER TABLE dup ADD CHECK (v > 0), ADD CONSTRAINT dup_v_uq UNIQUE (v)

ALTER TABLE dup ADD CONSTRAINT dup_v_uq2 UNIQUE (v)

INSERT INTO dup VALUES (9, 2)

INSERT INTO dup VALUES (9, -2)

CREATE TABLE ref (id int PRIMARY KEY)

INSERT INTO ref VALUES (1), (2)

ALTER TABLE dup ADD CONSTRAINT dup_k_fk FOREIGN KEY (k) REFERENCES ref

INSERT INTO ref VALUES (9)

ALTER TABLE dup ADD CONSTRAINT dup_k_fk FOREIGN KEY (k) REFERENCES ref

INSERT INTO dup VALUES (10, 10)

SELECT conname::text, contype::text, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'dup'::regclass ORDER BY conname

-- DROP CONSTRAINT
ALTER TABLE dup DROP CONSTRAINT dup_check

ALTER TABLE dup DROP CONSTRAINT dup_check

ALTER TABLE dup DROP CONSTRAINT IF EXISTS dup_check

INSERT INTO dup VALUES (9, -1)

ALTER TABLE dup DROP CONSTRAINT dup_k_fk, DROP CONSTRAINT dup_v_uq

INSERT INTO dup VALUES (10, 2)

ALTER TABLE ref DROP CONSTRAINT ref_pkey

ALTER TABLE dup ADD FOREIGN KEY (k) REFERENCES ref (id)

ALTER TABLE ref DROP CONSTRAINT ref_pkey

ALTER TABLE ref DROP CONSTRAINT ref_pkey CASCADE

INSERT INTO ref VALUES (1)

SELECT conname::text FROM pg_constraint WHERE conrelid = 'dup'::regclass ORDER BY conname

-- DROP COLUMN with dependents
CREATE TABLE p (id int PRIMARY KEY, x int)

CREATE TABLE c (id int PRIMARY KEY, pid int REFERENCES p, y int CHECK (y > 0))

ALTER TABLE p DROP COLUMN id

ALTER TABLE p DROP COLUMN id CASCADE

ALTER TABLE c DROP COLUMN y

SELECT conname::text FROM pg_constraint WHERE conrelid = 'c'::regclass ORDER BY conname

INSERT INTO c VALUES (1, 99)

-- errors
ALTER TABLE nope ADD COLUMN a int

ALTER TABLE IF EXISTS nope ADD COLUMN a int

ALTER TABLE t ALTER COLUMN nope SET DEFAULT 1

ALTER TABLE t DROP CONSTRAINT nope

ALTER TABLE t ADD CONSTRAINT k UNIQUE (nope)

-- transactional DDL
BEGIN

ALTER TABLE t ADD COLUMN z int DEFAULT 1

ALTER TABLE t RENAME TO t_renamed

SELECT count(z) FROM t_renamed

ROLLBACK

SELECT * FROM t_renamed

SELECT z FROM t

DROP TABLE t, ty, pgbench_branches, dup, ref, p, c

-- NOT VALID and VALIDATE CONSTRAINT
CREATE TABLE vp (id int PRIMARY KEY)

CREATE TABLE vc (id int PRIMARY KEY, pid int, q int)

INSERT INTO vc VALUES (1, 5, -1)

ALTER TABLE vc ADD CONSTRAINT vc_q CHECK (q > 0) NOT VALID

ALTER TABLE vc ADD CONSTRAINT vc_fk FOREIGN KEY (pid) REFERENCES vp NOT VALID

SELECT conname::text, convalidated, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'vc'::regclass ORDER BY 1

INSERT INTO vc VALUES (2, NULL, -1)

INSERT INTO vc VALUES (2, 7, 1)

ALTER TABLE vc VALIDATE CONSTRAINT vc_q

ALTER TABLE vc VALIDATE CONSTRAINT vc_fk

ALTER TABLE vc VALIDATE CONSTRAINT vc_pkey

ALTER TABLE vc VALIDATE CONSTRAINT nope

UPDATE vc SET q = 1, pid = NULL

ALTER TABLE vc VALIDATE CONSTRAINT vc_q, VALIDATE CONSTRAINT vc_fk

SELECT conname::text, convalidated, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'vc'::regclass ORDER BY 1

DROP TABLE vc, vp

-- dropping key columns, constraints in ADD COLUMN
CREATE TABLE k (a int PRIMARY KEY, b int, c text UNIQUE)

INSERT INTO k VALUES (1, 10, 'x'), (2, 20, 'y')

ALTER TABLE k DROP COLUMN a

SELECT * FROM k ORDER BY b

INSERT INTO k VALUES (10, 'z')

INSERT INTO k VALUES (11, 'z')

SELECT conname::text, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'k'::regclass ORDER BY 1

ALTER TABLE k DROP COLUMN c, ADD COLUMN c int DEFAULT 3, ALTER COLUMN b SET NOT NULL

SELECT * FROM k ORDER BY b

ALTER TABLE k ADD COLUMN d int UNIQUE

ALTER TABLE k ADD COLUMN e int PRIMARY KEY

ALTER TABLE k ADD COLUMN e int DEFAULT 1 PRIMARY KEY

ALTER TABLE k ADD COLUMN e int DEFAULT 1 CHECK (e > 1)

ALTER TABLE k ADD COLUMN e text CHECK (length(e) > 0) REFERENCES k (d)

ALTER TABLE k ADD COLUMN e int CHECK (e > 0) REFERENCES k (d)

SELECT conname::text, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'k'::regclass ORDER BY 1

DROP TABLE k

CREATE TABLE at_ser (id serial PRIMARY KEY, v text)

ALTER TABLE at_ser RENAME TO at_ser2

INSERT INTO at_ser2 (v) VALUES ('a') RETURNING id

ALTER TABLE at_ser2 RENAME COLUMN id TO ident

SELECT pg_get_serial_sequence('at_ser2', 'ident')

INSERT INTO at_ser2 (v) VALUES ('b') RETURNING ident

SELECT relname::text FROM pg_class WHERE relkind = 'S' AND relname::text LIKE 'at_ser%'

ALTER TABLE at_ser2 ADD COLUMN n bigserial

SELECT ident, v, n FROM at_ser2 ORDER BY ident

ALTER TABLE at_ser2 DROP COLUMN ident

SELECT relname::text FROM pg_class WHERE relkind = 'S' AND relname::text LIKE 'at_ser%' ORDER BY 1

DROP TABLE at_ser2

SELECT relname::text FROM pg_class WHERE relkind = 'S' AND relname::text LIKE 'at_ser%'
