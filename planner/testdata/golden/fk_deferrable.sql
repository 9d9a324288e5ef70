-- DEFERRABLE INITIALLY DEFERRED foreign keys are checked at COMMIT; DEFERRABLE alone is checked at the end of each statement
CREATE TABLE dp (id int PRIMARY KEY)

CREATE TABLE dc (id int PRIMARY KEY, p int REFERENCES dp DEFERRABLE INITIALLY DEFERRED)

CREATE TABLE di (id int PRIMARY KEY, p int, CONSTRAINT di_p_fk FOREIGN KEY (p) REFERENCES dp (id) DEFERRABLE)

SELECT conname::text, condeferrable, condeferred, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' ORDER BY conname

SELECT constraint_name::text, is_deferrable::text, initially_deferred::text FROM information_schema.table_constraints WHERE constraint_type = 'FOREIGN KEY' ORDER BY 1

BEGIN

INSERT INTO dc VALUES (1, 10)

INSERT INTO dp VALUES (10)

COMMIT

SELECT * FROM dc

-- the violation is reported by COMMIT, which rolls back
BEGIN

INSERT INTO dc VALUES (2, 20)

SELECT count(*) FROM dc

COMMIT

SELECT count(*) FROM dc

-- a child removed before COMMIT needs no parent
BEGIN

INSERT INTO dc VALUES (3, 30)

DELETE FROM dc WHERE id = 3

COMMIT

-- a child undone by ROLLBACK TO SAVEPOINT needs no parent
BEGIN

SAVEPOINT s1

INSERT INTO dc VALUES (4, 40)

ROLLBACK TO SAVEPOINT s1

COMMIT

-- a child whose key is fixed before COMMIT
BEGIN

INSERT INTO dc VALUES (5, 50)

UPDATE dc SET p = 10 WHERE id = 5

COMMIT

-- deleting a referenced parent: NO ACTION waits for COMMIT too
BEGIN

DELETE FROM dp WHERE id = 10

INSERT INTO dp VALUES (10)

COMMIT

BEGIN

DELETE FROM dp WHERE id = 10

COMMIT

SELECT * FROM dp

-- DEFERRABLE INITIALLY IMMEDIATE: at the end of the statement
BEGIN

INSERT INTO di VALUES (1, 99)

ROLLBACK

ALTER TABLE dc ADD CONSTRAINT dc_p2 FOREIGN KEY (p) REFERENCES dp (id) DEFERRABLE INITIALLY DEFERRED

SELECT conname::text, condeferrable, condeferred FROM pg_constraint WHERE conname = 'dc_p2'

CREATE TABLE bad (p int REFERENCES dp NOT DEFERRABLE INITIALLY DEFERRED)

-- SET CONSTRAINTS: IMMEDIATE runs the pending checks at once, DEFERRED defers a DEFERRABLE key
SET CONSTRAINTS ALL IMMEDIATE

BEGIN

INSERT INTO dc VALUES (6, 60)

SET CONSTRAINTS dc_p_fkey, dc_p2 IMMEDIATE

ROLLBACK

BEGIN

SET CONSTRAINTS ALL IMMEDIATE

INSERT INTO dc VALUES (6, 60)

ROLLBACK

BEGIN

SET CONSTRAINTS di_p_fk DEFERRED

INSERT INTO di VALUES (1, 70)

INSERT INTO dp VALUES (70)

SET CONSTRAINTS ALL IMMEDIATE

COMMIT

SELECT * FROM di

BEGIN

SET CONSTRAINTS dp_pkey DEFERRED

ROLLBACK

BEGIN

SET CONSTRAINTS nosuch IMMEDIATE

ROLLBACK

BEGIN

SET CONSTRAINTS ALL DEFERRED

INSERT INTO di VALUES (2, 80)

COMMIT

SELECT count(*) FROM di

-- misplaced and conflicting constraint attributes
CREATE TABLE bad (p int NOT NULL DEFERRABLE)

CREATE TABLE bad (p int REFERENCES dp DEFERRABLE NOT DEFERRABLE)

CREATE TABLE bad (p int REFERENCES dp INITIALLY DEFERRED INITIALLY IMMEDIATE)

CREATE TABLE bad (p int CHECK (p > 0) INITIALLY IMMEDIATE)

CREATE TABLE ok1 (p int REFERENCES dp INITIALLY DEFERRED DEFERRABLE, q int REFERENCES dp DEFERRABLE INITIALLY IMMEDIATE)

SELECT conname::text, condeferrable, condeferred FROM pg_constraint WHERE conrelid = 'ok1'::regclass ORDER BY 1

-- a referenced table's columns that no key references change type freely
CREATE TABLE rp (id int PRIMARY KEY, label varchar(5))

CREATE TABLE rc (id int PRIMARY KEY, p int REFERENCES rp)

INSERT INTO rp VALUES (1, 'abc')

INSERT INTO rc VALUES (1, 1)

ALTER TABLE rp ALTER COLUMN label TYPE varchar(50)

INSERT INTO rp VALUES (2, 'a longer label')

SELECT * FROM rp ORDER BY id

INSERT INTO rc VALUES (2, 3)

DELETE FROM rp WHERE id = 1
