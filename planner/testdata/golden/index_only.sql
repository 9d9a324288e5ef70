-- Index reads that answer from index entries (index-only reads) or by a
-- unique point lookup return what reading the rows returns: covering and
-- non-covering queries, NULLs in indexed columns, multi-column indexes,
-- columns whose index key differs from the value (numeric scale, float
-- zero sign), and the session's own uncommitted writes.

CREATE TABLE io (id int PRIMARY KEY, a int, b text, c numeric, d bpchar(4), e float8, f varchar(5), g timestamp, h bool);
CREATE INDEX io_a ON io (a);
CREATE UNIQUE INDEX io_b ON io (b);
CREATE INDEX io_ab ON io (a, b);
CREATE INDEX io_c ON io (c);
CREATE INDEX io_e ON io (e);
CREATE UNIQUE INDEX io_f ON io (f);
CREATE INDEX io_gh ON io (g, h);
INSERT INTO io VALUES
 (1, 10, 'x', 1.50, 'ab', -0.0, 'p', '2024-01-02 03:04:05.5', true),
 (2, 10, 'y', 1.5, 'ab  ', 0.0, 'q', NULL, false),
 (3, 20, NULL, 2.000, 'cd', 2.5, NULL, '2024-01-02 03:04:05.5', NULL),
 (4, NULL, 'z', NULL, NULL, NULL, NULL, NULL, NULL),
 (5, NULL, NULL, 3, 'e', 'NaN', 'r', '1999-12-31', true),
 (6, 30, 'w', 4.25, 'f', 1e10, 's', '2000-01-01', false);

SELECT id FROM io WHERE a = 10 ORDER BY id;

SELECT a FROM io WHERE a = 10;

SELECT a, id FROM io WHERE a > 5 ORDER BY a, id;

SELECT id, a, b FROM io WHERE a = 10 AND b = 'y';

SELECT b FROM io WHERE b = 'x';

SELECT id, b FROM io WHERE b = 'z';

SELECT * FROM io WHERE b = 'w';

SELECT id FROM io WHERE b = 'nope';

SELECT b, id FROM io WHERE b IN ('x', 'z', 'nope') ORDER BY b;

SELECT c FROM io WHERE c = 1.5 ORDER BY id;

SELECT c, id FROM io WHERE c >= 2 ORDER BY c;

SELECT e, id FROM io WHERE e = 0 ORDER BY id;

SELECT f, id FROM io WHERE f = 'q';

SELECT a FROM io ORDER BY a;

SELECT count(*) FROM io WHERE a = 10;

SELECT id + a FROM io WHERE a = 20;

SELECT id FROM io WHERE a = 10 AND e > 0;

SELECT g, h, id FROM io WHERE g = '2024-01-02 03:04:05.5' ORDER BY id;

SELECT id FROM io WHERE g = '2024-01-02 03:04:05.5' AND h;

SELECT id FROM io WHERE a = 10 FOR UPDATE;

BEGIN;

INSERT INTO io VALUES (7, 10, 'v', 7, 'g', 7, 't', '2024-01-02 03:04:05.5', false);

UPDATE io SET a = 40, b = 'yy' WHERE id = 2;

DELETE FROM io WHERE id = 6;

UPDATE io SET e = 9 WHERE b = 'z';

SELECT id, a FROM io WHERE a = 10 ORDER BY id;

SELECT id, b FROM io WHERE b IN ('w', 'y', 'yy', 'v') ORDER BY b;

SELECT id, e FROM io WHERE b = 'z';

SELECT g, h, id FROM io WHERE g = '2024-01-02 03:04:05.5' ORDER BY id;

ROLLBACK;

SELECT id, a FROM io WHERE a = 10 ORDER BY id;
