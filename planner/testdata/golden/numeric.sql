-- Numeric display scales and arithmetic (PostgreSQL's rules).

SELECT 1.10 + 2.205, 1.10 - 2.205, 1.10 * 2.205, 1.10 / 2.205

SELECT 1::numeric / 7, 22::numeric / 7, 1000000::numeric / 7, 0.0001 / 7

SELECT 12345678901234567890::numeric * 98765432109876543210

SELECT 2.5::numeric(2,0), 3.5::numeric(2,0), -2.5::numeric(2,0), 0.005::numeric(3,2)

SELECT 10.5 % 3, -10.5 % 3, 10 % 3.3

SELECT 'NaN'::numeric, 'NaN'::numeric = 'NaN'::numeric, 'NaN'::numeric > 1e100

SELECT 1.5::numeric::float8, 0.1::float8::numeric, 1e-7::float8::numeric, 123.456::float4::numeric

SELECT 9999999999::numeric(10,0), 99999999999::numeric(10,0)

SELECT 1::int2 + 1::int8, 1::int2 * 1.5, 5 / 2.0, 5.0 / 2

SELECT avg(x), sum(x) FROM (SELECT 1) AS s(x)

CREATE TABLE n (id int PRIMARY KEY, v numeric(8,3), w numeric)

INSERT INTO n VALUES (1, 1.0005, 1.0005), (2, -1.0005, 100), (3, 12345.6789, 0.000001) RETURNING *

SELECT sum(v), avg(v), sum(w), avg(w), min(w), max(v) FROM n

SELECT id, v * w, v / w FROM n ORDER BY v

INSERT INTO n VALUES (4, 123456.7, 1)

CREATE TABLE nk (k numeric PRIMARY KEY)

INSERT INTO nk VALUES (1.0), (1.5), (-2), (100), (0.001)

INSERT INTO nk VALUES (1.00)

SELECT k FROM nk WHERE k >= 1 ORDER BY k DESC

SELECT k FROM nk WHERE k = 1
