-- Catalog functions for psql's \d+, \dt+ and \di+: pg_get_viewdef's pretty
-- layout, the size functions and pg_size_pretty, and the tableoid column.

CREATE TABLE cm_items (id int PRIMARY KEY, name varchar(40) NOT NULL, price numeric(10,2), qty int NOT NULL, note text, big bigint)

CREATE TABLE cm_nums (a bigint, b int)

CREATE VIEW cm_v1 AS SELECT id, name FROM cm_items WHERE price < 10 AND qty > -1 OR note = 'x' ORDER BY id DESC LIMIT 5

CREATE VIEW cm_v2 AS SELECT name, qty * 2 + 1 AS d, (qty + 1) * 2 AS e, -qty AS f, 'abc' AS g, 1.5 AS h, true AS i, NULL AS j FROM cm_items i WHERE name = 'x' AND big > 5 AND i.note IS NOT NULL

CREATE VIEW cm_v3 AS SELECT count(*), max(price) AS m, qty FROM cm_items GROUP BY qty HAVING count(*) > 1

CREATE VIEW cm_v4 AS SELECT * FROM cm_nums

SELECT pg_get_viewdef('cm_v1', true)

SELECT pg_get_viewdef('cm_v2'::regclass, true)

SELECT relname, pg_get_viewdef(oid, true) FROM pg_class WHERE relname IN ('cm_v3', 'cm_v4') ORDER BY relname

CREATE VIEW cm_v5(a, b) AS SELECT id, upper(name) FROM cm_items WHERE id > 1::bigint AND (qty = 1 OR NOT qty = 2) ORDER BY qty NULLS FIRST OFFSET 2 LIMIT 3

SELECT pg_get_viewdef('cm_v1'), pg_get_viewdef('cm_v2', false)

SELECT viewname, definition FROM pg_views WHERE viewname IN ('cm_v3', 'cm_v5') ORDER BY viewname

SELECT table_name, view_definition FROM information_schema.views WHERE table_name = 'cm_v4'

SELECT pg_get_viewdef('cm_v5'::regclass, true)

CREATE TABLE cm_orders (oid int, item int, qty int)

CREATE VIEW cm_j1 AS SELECT o.qty, i.name FROM cm_orders o JOIN cm_items i ON i.id = o.item

CREATE VIEW cm_j2 AS SELECT o.qty, cm_items.name FROM cm_orders o LEFT JOIN cm_items ON cm_items.id = o.item WHERE o.qty > 1

CREATE VIEW cm_j3 AS SELECT o.qty, i.name FROM cm_orders o, cm_items i WHERE i.id = o.item

CREATE VIEW cm_j4 AS SELECT o.qty FROM cm_orders o RIGHT JOIN cm_items i ON i.id = o.item JOIN cm_orders o2 ON o2.oid = o.oid CROSS JOIN cm_nums

SELECT relname, pg_get_viewdef(oid, true), pg_get_viewdef(oid) FROM pg_class WHERE relname LIKE 'cm_j%' ORDER BY relname

CREATE VIEW cm_l1 AS SELECT id FROM cm_items WHERE note LIKE 'a%' AND name NOT LIKE '%b' OR note ILIKE 'C_' AND NOT note NOT ILIKE 'd'

SELECT pg_get_viewdef('cm_l1', true), pg_get_viewdef('cm_l1')

SELECT pg_size_pretty(10239::bigint), pg_size_pretty(10240::bigint), pg_size_pretty(20971519::bigint), pg_size_pretty(-10752::bigint), pg_size_pretty(9223372036854775807)

SELECT pg_size_pretty(1.5), pg_size_pretty(-1234567.8::numeric), pg_size_pretty(123456789012345678901234567890::numeric)

SELECT pg_size_pretty(NULL::bigint)

SELECT pg_relation_size('cm_nums'), pg_table_size('cm_items'), pg_table_size('cm_nums'), pg_indexes_size('cm_items'), pg_total_relation_size('cm_items')

SELECT pg_relation_size('cm_items_pkey'), pg_relation_size('cm_v1'), pg_relation_size(0)

SELECT pg_relation_size('nosuch')

INSERT INTO cm_nums VALUES (1, 2)

SELECT pg_relation_size('cm_nums'), pg_total_relation_size('cm_nums')

SELECT tableoid = 'cm_nums'::regclass AS same, a FROM cm_nums

SELECT n.tableoid::regclass AS rel FROM cm_nums n

SELECT tableoid FROM cm_nums, cm_items

SELECT count(*) FROM pg_class c WHERE c.tableoid = 'pg_class'::regclass AND c.relname = 'cm_nums'

SELECT tableoid FROM cm_v4

DROP VIEW cm_l1, cm_v1, cm_v2, cm_v3, cm_v4, cm_v5, cm_j1, cm_j2, cm_j3, cm_j4

DROP TABLE cm_orders, cm_nums, cm_items
