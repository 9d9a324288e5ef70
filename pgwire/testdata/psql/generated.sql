-- Stored generated columns through psql: \d shows their expressions, COPY leaves them out or refuses them.
CREATE TABLE g (id int PRIMARY KEY, a int, b int GENERATED ALWAYS AS (a * 2) STORED, s text, u text GENERATED ALWAYS AS (upper(s)) STORED, n int NOT NULL GENERATED ALWAYS AS (a + id) STORED);
CREATE INDEX g_b_idx ON g (b);
\d g
\d+ g
INSERT INTO g (id, a, s) VALUES (1, 10, 'abc');
COPY g FROM STDIN;
2	20	def
3	\N	\N
\.
COPY g (id, a, b) FROM STDIN;
COPY g (id, a) FROM STDIN WITH (FORMAT csv);
4,40
\.
SELECT * FROM g ORDER BY id;
COPY g TO STDOUT;
COPY g (id, u) TO STDOUT;
INSERT INTO g VALUES (5, 1, 2);
UPDATE g SET u = 'x';
ALTER TABLE g ALTER COLUMN b DROP EXPRESSION;
\d g
