-- psql against Aspen and PostgreSQL 15: the output must be the same.
DROP TABLE IF EXISTS nothing_here;
CREATE TABLE items (id int PRIMARY KEY, name varchar(10) NOT NULL, price numeric(8,2), qty bigint, ratio real, weight double precision, ok boolean, note text);
INSERT INTO items VALUES (1, 'apple', 1.50, 10, 0.5, 2.25, true, NULL), (2, 'pear', 0.99, 200, 1.25, 0.125, false, 'ripe'), (3, 'fig', NULL, NULL, NULL, NULL, NULL, '');
SELECT * FROM items ORDER BY id;
SELECT id, name FROM items WHERE price > 1 ORDER BY id;
SELECT count(*), sum(price), avg(qty), min(name), max(weight) FROM items;
SELECT ok, count(*) FROM items GROUP BY ok ORDER BY ok;
\x
SELECT * FROM items WHERE id = 2;
\x
UPDATE items SET qty = qty + 1 WHERE id < 3 RETURNING id, qty;
DELETE FROM items WHERE id = 3;
SELECT 7 / 2 AS int_div, 7.0 / 2 AS num_div, 2 ^ 10 AS pow, -5 % 3 AS modulo, 'a' || 'b' AS cat;
SHOW standard_conforming_strings;
SET application_name = 'psql-test';
SHOW application_name;
