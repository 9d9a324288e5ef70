-- Errors as psql prints them: message, DETAIL, HINT, and the LINE/caret
-- marker that needs the error's position.
CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL, small smallint);
INSERT INTO t VALUES (1, 'one', 1);
SELEC 1;
SELECT * FROM missing_table;
SELECT nonexistent FROM t;
SELECT id FROM t WHERE name = 1 +;
INSERT INTO t VALUES (1, 'again', 1);
INSERT INTO t VALUES (2, NULL, 1);
INSERT INTO t VALUES (3, 'big', 40000);
SELECT 1 / 0;
SELECT 'abc'::int;
SELECT 2147483647::int + 1;
CREATE TABLE t (id int);
BEGIN;
INSERT INTO t VALUES (5, 'five', 5);
SELECT 1 / 0;
SELECT 1;
COMMIT;
SELECT count(*) FROM t;
