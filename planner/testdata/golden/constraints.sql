-- CHECK constraints: column and table forms, names, NULL passes
CREATE TABLE ck (id int PRIMARY KEY, qty int CHECK (qty >= 0), lo int, hi int, CHECK (lo < hi), CONSTRAINT named_ck CHECK (id <> 13), CHECK (lo > -100 AND hi < 100))

INSERT INTO ck VALUES (1, 5, 1, 2), (2, NULL, NULL, 3)

INSERT INTO ck VALUES (3, -1, 1, 2)

INSERT INTO ck VALUES (4, 1, 5, 2)

INSERT INTO ck VALUES (13, 1, 1, 2)

INSERT INTO ck VALUES (5, 1, -200, 2)

UPDATE ck SET qty = qty - 10 WHERE id = 1

UPDATE ck SET hi = 0 WHERE id = 1

SELECT * FROM ck ORDER BY id

SELECT conname::text, contype::text, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'ck'::regclass ORDER BY conname

CREATE TABLE ck2 (a int CHECK (a > 0) CHECK (a < 10), b text, CHECK (length(b) > a), CHECK (b <> ''))

SELECT conname::text FROM pg_constraint WHERE conrelid = 'ck2'::regclass ORDER BY conname

INSERT INTO ck2 VALUES (20, 'x')

INSERT INTO ck2 VALUES (2, 'x')

INSERT INTO ck2 VALUES (2, '')

CREATE TABLE ck3 (a int CHECK (a))

CREATE TABLE ck3 (a int CHECK (nope > 0))

CREATE TABLE ck3 (a int CHECK (a > (SELECT 1)))

CREATE TABLE ck3 (a int CHECK (sum(a) > 0))

CREATE TABLE ck3 (a int, CONSTRAINT c1 CHECK (a > 0), CONSTRAINT c1 CHECK (a < 5))

-- FOREIGN KEY / REFERENCES
CREATE TABLE parent (id int PRIMARY KEY, code text UNIQUE, note text)

CREATE TABLE child (cid int PRIMARY KEY, pid int REFERENCES parent, pcode text REFERENCES parent (code) ON DELETE SET NULL ON UPDATE CASCADE)

INSERT INTO parent VALUES (1, 'a', 'one'), (2, 'b', 'two'), (3, 'c', 'three')

INSERT INTO child VALUES (10, 1, 'a'), (11, 1, 'b'), (12, NULL, NULL), (13, 2, NULL)

INSERT INTO child VALUES (14, 5, NULL)

INSERT INTO child VALUES (15, NULL, 'zz')

UPDATE child SET pid = 9 WHERE cid = 12

DELETE FROM parent WHERE id = 1

UPDATE parent SET id = 20 WHERE id = 2

UPDATE parent SET code = 'bb' WHERE id = 2

SELECT * FROM child ORDER BY cid

DELETE FROM parent WHERE id = 3

DELETE FROM parent WHERE code = 'a' AND id = 99

UPDATE parent SET note = 'changed' WHERE id = 1

DELETE FROM child WHERE pid = 1

DELETE FROM parent WHERE id = 1

SELECT * FROM child ORDER BY cid

SELECT conname::text, contype::text, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'child'::regclass ORDER BY conname

-- ON DELETE CASCADE, SET NULL, SET DEFAULT, RESTRICT; multi-column keys
CREATE TABLE p2 (a int, b int, PRIMARY KEY (a, b))

CREATE TABLE c2 (id int PRIMARY KEY, a int, b int DEFAULT 0, FOREIGN KEY (a, b) REFERENCES p2 ON DELETE CASCADE)

CREATE TABLE c3 (id int PRIMARY KEY, a int DEFAULT 0, b int DEFAULT 0, CONSTRAINT c3_fk FOREIGN KEY (a, b) REFERENCES p2 (a, b) ON DELETE SET DEFAULT ON UPDATE RESTRICT)

INSERT INTO p2 VALUES (0, 0), (1, 1), (1, 2), (2, 2)

INSERT INTO c2 VALUES (1, 1, 1), (2, 1, 2), (3, 2, 2), (4, NULL, 7)

INSERT INTO c3 VALUES (1, 1, 1), (2, 2, 2)

DELETE FROM p2 WHERE a = 1

SELECT * FROM c2 ORDER BY id

SELECT * FROM c3 ORDER BY id

UPDATE p2 SET b = 5 WHERE a = 2

DELETE FROM p2 WHERE a = 0

INSERT INTO c2 VALUES (5, 1, NULL)

-- self reference, inserted in one statement
CREATE TABLE tree (id int PRIMARY KEY, parent int REFERENCES tree ON DELETE CASCADE)

INSERT INTO tree VALUES (2, 1), (1, NULL), (3, 2)

DELETE FROM tree WHERE id = 1

SELECT count(*) FROM tree

-- definition errors
CREATE TABLE bad (x int REFERENCES nope)

CREATE TABLE bad (x int REFERENCES parent (note))

CREATE TABLE bad (x text REFERENCES parent)

CREATE TABLE bad (x int, FOREIGN KEY (x, x) REFERENCES parent)

CREATE TABLE bad (x int REFERENCES parent (nope))

CREATE TABLE nopk (a int)

CREATE TABLE bad (x int REFERENCES nopk)

-- DROP and TRUNCATE of a referenced table
DROP TABLE parent

TRUNCATE parent

DROP TABLE parent CASCADE

INSERT INTO child VALUES (20, 99, NULL)

SELECT conname::text FROM pg_constraint WHERE conrelid = 'child'::regclass ORDER BY conname

DROP TABLE c2, p2 CASCADE

DROP TABLE ck, ck2, child, c3, tree, nopk

-- what psql's \d reads
CREATE TABLE dp (id int PRIMARY KEY, code text UNIQUE)

CREATE TABLE dc (cid int PRIMARY KEY, pid int REFERENCES dp ON DELETE CASCADE, code text REFERENCES dp (code) MATCH FULL ON UPDATE SET DEFAULT, q int CHECK (q > 0), CHECK (q < cid OR q IS NULL), CHECK (NOT (q = 5 AND cid = 6)), CHECK (q + cid > -1), CHECK (length(code) <> 3 AND (q < 7 OR q > 9)))

SELECT relname::text, relchecks, relhastriggers FROM pg_class WHERE relname IN ('dp', 'dc') ORDER BY 1

SELECT r.conname::text, pg_catalog.pg_get_constraintdef(r.oid, true) FROM pg_catalog.pg_constraint r WHERE r.conrelid = 'dc'::regclass AND r.contype = 'c' ORDER BY 1

SELECT r.conname::text, pg_catalog.pg_get_constraintdef(r.oid) FROM pg_catalog.pg_constraint r WHERE r.conrelid = 'dc'::regclass AND r.contype = 'c' ORDER BY 1

SELECT true as sametable, conname::text, pg_catalog.pg_get_constraintdef(r.oid, true) as condef, conrelid::pg_catalog.regclass::text AS ontable FROM pg_catalog.pg_constraint r WHERE r.conrelid = 'dc'::regclass AND r.contype = 'f' AND conparentid = 0 ORDER BY conname

SELECT conname::text, conrelid::pg_catalog.regclass::text AS ontable, pg_catalog.pg_get_constraintdef(oid, true) AS condef FROM pg_catalog.pg_constraint c WHERE confrelid = 'dp'::regclass AND contype = 'f' AND conparentid = 0 ORDER BY conname

SELECT conname::text, conkey, confkey, confupdtype::text, confdeltype::text, confmatchtype::text, conindid <> 0 AS has_index FROM pg_constraint WHERE conrelid = 'dc'::regclass AND contype = 'f' ORDER BY 1

DROP TABLE dc, dp

-- pg_get_constraintdef shows the implicit casts
CREATE TABLE ty (a int, n numeric(8,2), f float8, v varchar(10), b char(3), t text, d date, i8 bigint, CHECK (n > 0), CHECK (a > 1.5), CHECK (f > 0), CHECK (f < n), CHECK (v <> ''), CHECK (b <> 'x'), CHECK (d > '2020-01-01'), CHECK (t > 'a'), CHECK (i8 > 0), CHECK (a > '5'), CHECK (length(v) > 2), CHECK (n > a), CHECK (n >= 0.5 AND n < 1000))

SELECT conname::text, pg_get_constraintdef(oid), pg_get_constraintdef(oid, true) FROM pg_constraint WHERE conrelid = 'ty'::regclass ORDER BY 1

DROP TABLE ty

-- information_schema
CREATE TABLE ip (id int PRIMARY KEY, a int, b int, UNIQUE (b, a))

CREATE TABLE ic (x int REFERENCES ip ON DELETE CASCADE, y int, z int CHECK (z > 0), FOREIGN KEY (y, z) REFERENCES ip (a, b) MATCH FULL ON UPDATE SET NULL)

SELECT constraint_name::text, table_name::text, constraint_type::text, is_deferrable::text, nulls_distinct::text FROM information_schema.table_constraints WHERE table_name IN ('ip', 'ic') AND constraint_type <> 'CHECK' OR constraint_name::text LIKE 'ic%' ORDER BY 1

SELECT constraint_name::text, check_clause::text FROM information_schema.check_constraints WHERE constraint_name::text LIKE 'ic%' ORDER BY 1

SELECT constraint_name::text, unique_constraint_name::text, match_option::text, update_rule::text, delete_rule::text FROM information_schema.referential_constraints ORDER BY 1

SELECT constraint_name::text, table_name::text, column_name::text, ordinal_position, position_in_unique_constraint FROM information_schema.key_column_usage WHERE table_name IN ('ip', 'ic') ORDER BY 1, 4

DROP TABLE ic, ip

-- psql's \d footers: "Referenced by" and triggers (foreign keys have none to show)
CREATE TABLE ip (id int PRIMARY KEY)

CREATE TABLE ic (x int REFERENCES ip)

SELECT conname::text, conrelid::pg_catalog.regclass::text AS ontable, pg_catalog.pg_get_constraintdef(oid, true) AS condef FROM pg_catalog.pg_constraint c WHERE confrelid IN (SELECT pg_catalog.pg_partition_ancestors('ip'::regclass) UNION ALL VALUES ('ip'::pg_catalog.regclass)) AND contype = 'f' AND conparentid = 0 ORDER BY conname

SELECT t.tgname::text, pg_catalog.pg_get_triggerdef(t.oid, true), t.tgenabled::text, t.tgisinternal FROM pg_catalog.pg_trigger t WHERE t.tgrelid = 'ic'::regclass AND (NOT t.tgisinternal OR (t.tgisinternal AND t.tgenabled = 'D') OR EXISTS (SELECT 1 FROM pg_catalog.pg_depend WHERE objid = t.oid AND refclassid = 'pg_catalog.pg_trigger'::pg_catalog.regclass)) ORDER BY 1

DROP TABLE ic, ip

-- the index of a UNIQUE constraint goes with the constraint only
CREATE TABLE ux (a int CONSTRAINT ux_a UNIQUE, b int)

CREATE UNIQUE INDEX ux_b ON ux (b)

DROP INDEX ux_a

DROP INDEX ux_b

ALTER TABLE ux DROP CONSTRAINT ux_a

DROP TABLE ux
