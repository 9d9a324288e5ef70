-- psql's \d+ on views (pg_get_viewdef's layout), \dt+, \di+, \l+, \dd, \do, \dC and \dX: Aspen must print what PostgreSQL 15 prints. Tables stay empty, so that sizes are PostgreSQL's.
CREATE TABLE items (id int PRIMARY KEY, name varchar(40) NOT NULL, price numeric(10,2) DEFAULT 0, qty integer NOT NULL DEFAULT 1, note text, big bigint);
CREATE TABLE nums (a bigint, b int);
CREATE INDEX items_price_idx ON items (price);
CREATE VIEW cheap_items AS SELECT id, name FROM items WHERE price < 10;
CREATE VIEW item_names AS SELECT name, qty * 2 AS double_qty FROM items ORDER BY name;
CREATE VIEW all_nums AS SELECT * FROM nums;
CREATE VIEW v1 AS SELECT id, name FROM items WHERE price < 10 AND qty > -1 OR note = 'x' ORDER BY id DESC LIMIT 5;
CREATE VIEW v2 AS SELECT name, qty * 2 + 1 AS d, (qty + 1) * 2 AS e, -qty AS f, 'abc' AS g, 1.5 AS h, true AS i, NULL AS j FROM items i WHERE name = 'x' AND big > 5 AND i.note IS NOT NULL;
CREATE VIEW v4 AS SELECT count(*), max(price) AS m, qty FROM items GROUP BY qty HAVING count(*) > 1;
CREATE VIEW v5 AS SELECT 1 AS one;
CREATE VIEW v6 AS SELECT lower(note), upper(name) AS u, id::text AS t, note || 'x' AS c FROM items WHERE note = 'a%' AND NOT (qty = 1);
CREATE VIEW v7 AS SELECT DISTINCT qty FROM items;
CREATE VIEW v8 AS SELECT id FROM items WHERE price BETWEEN 1 AND 2 ORDER BY qty NULLS FIRST, id DESC NULLS LAST OFFSET 2 LIMIT 3;
CREATE VIEW v9 AS SELECT id AS "select", qty - (id - 1) AS x, id / 2 * 3 AS y, (qty > 1) = true AS z, sum(DISTINCT qty) AS s FROM items GROUP BY id;
CREATE VIEW v10(a, b) AS SELECT id, name FROM items WHERE id > 1::bigint AND (qty = 1 OR qty = 2);
\d+ cheap_items
\d+ item_names
\d+ all_nums
\d+ v2
\d+ v10
SELECT c.relname, pg_get_viewdef(c.oid, true) FROM pg_class c WHERE c.relkind = 'v' AND c.relname ~ '^v[0-9]' ORDER BY c.relname;
\dt+
\dt+ nums
\di+
\l+ nosuchdb
\dd
\dd items
\do
\do ===
\dC nosuchtype
\dX
SELECT pg_size_pretty(0::bigint), pg_size_pretty(1023::bigint), pg_size_pretty(10239::bigint), pg_size_pretty(10240::bigint), pg_size_pretty(10485247::bigint), pg_size_pretty(10485248::bigint), pg_size_pretty(-10485248::bigint), pg_size_pretty(9223372036854775807);
SELECT pg_size_pretty(20971519::bigint), pg_size_pretty(20971520::bigint), pg_size_pretty(-10239::bigint), pg_size_pretty(-10752::bigint), pg_size_pretty(1099511627776::bigint), pg_size_pretty(1125899906842624::bigint);
SELECT pg_size_pretty(1.5), pg_size_pretty(123456789012345678901234567890::numeric), pg_size_pretty(-1234567.8::numeric), pg_size_pretty(10239.9), pg_size_pretty(10240.9);
SELECT pg_relation_size('nums'), pg_table_size('nums'), pg_indexes_size('nums'), pg_total_relation_size('nums');
SELECT pg_relation_size('items_pkey'), pg_indexes_size('items'), pg_database_size(current_database()) > 0 AS nonzero;
SELECT pg_relation_size('nosuch');
SELECT tableoid = 'nums'::regclass AS same, a FROM nums;
SELECT n.tableoid = 'nums'::regclass AS same FROM nums n;
SELECT count(*) FROM pg_class WHERE tableoid = 'pg_class'::regclass AND relname = 'nums';
SELECT tableoid FROM nums, items;
