-- SELECT over one table: filters, ordering, limits, grouping.

CREATE TABLE emp (id int PRIMARY KEY, name text NOT NULL, dept text, salary numeric(10,2), bonus float8, active bool DEFAULT true)

INSERT INTO emp (id, name, dept, salary, bonus) VALUES (1, 'alice', 'eng', 120000, 0.1), (2, 'bob', 'eng', 95000.5, NULL), (3, 'carol', 'sales', 70000, 0.25), (4, 'dave', NULL, 50000, 0), (5, 'eve', 'sales', NULL, 0.05)

INSERT INTO emp VALUES (6, 'Zed', 'ops', 65000, 0.15, false)

SELECT * FROM emp

SELECT name FROM emp ORDER BY name

SELECT name, salary FROM emp ORDER BY salary DESC

SELECT name, salary FROM emp ORDER BY salary DESC NULLS LAST, name

SELECT name, salary FROM emp ORDER BY salary NULLS FIRST LIMIT 2

SELECT name, dept FROM emp ORDER BY dept, name DESC

SELECT id, name FROM emp WHERE salary > 60000 AND (dept = 'eng' OR bonus >= 0.2) ORDER BY id

SELECT id FROM emp WHERE NOT active

SELECT id FROM emp WHERE bonus IS NULL OR salary IS NULL ORDER BY 1

SELECT id FROM emp WHERE id IN (2, 4, 6, 8) ORDER BY id DESC

SELECT id FROM emp WHERE name LIKE '%e%' ORDER BY id LIMIT 3 OFFSET 1

SELECT id, salary * (1 + bonus) AS total FROM emp ORDER BY total DESC NULLS LAST

SELECT id, salary / 12 AS monthly FROM emp WHERE id <= 3

SELECT dept, count(*), count(salary), sum(salary), avg(salary), min(name), max(bonus) FROM emp GROUP BY dept ORDER BY dept

SELECT dept, avg(bonus) FROM emp GROUP BY dept HAVING avg(bonus) > 0.1 ORDER BY 2 DESC

SELECT active, count(*) FROM emp GROUP BY active ORDER BY active

SELECT count(*), count(DISTINCT dept), sum(DISTINCT id % 2) FROM emp

SELECT upper(dept) AS d, count(*) FROM emp WHERE dept IS NOT NULL GROUP BY upper(dept) ORDER BY d

SELECT dept || '!' FROM emp GROUP BY dept ORDER BY 1

SELECT DISTINCT dept FROM emp ORDER BY dept NULLS FIRST

SELECT DISTINCT dept FROM emp ORDER BY name

SELECT name FROM emp ORDER BY 3

SELECT id FROM emp LIMIT 2 OFFSET 10

SELECT id FROM emp OFFSET 4

SELECT id FROM emp LIMIT NULL OFFSET -1

SELECT id FROM emp FETCH FIRST 2 ROWS ONLY

SELECT * FROM emp, emp AS e2

SELECT * FROM emp JOIN emp AS e2 USING (id)

SELECT id, row_number() OVER () FROM emp

WITH x AS (SELECT 1) SELECT * FROM x

SELECT * FROM emp WHERE id IN (SELECT 1)

SELECT * FROM emp FOR UPDATE
