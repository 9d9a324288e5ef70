-- System catalog queries as psql 15 (psql -E), drivers and ORMs send them: the reg* and oid types,
-- name and "char", ARRAY(subquery), = ANY over array and vector columns, string_agg (checked against PostgreSQL 15).

CREATE TABLE items (id int PRIMARY KEY, name varchar(40) NOT NULL, price numeric(10,2) DEFAULT 0, qty integer NOT NULL DEFAULT 1, code char(4) UNIQUE, note text)

CREATE INDEX items_price_idx ON items (price)

CREATE UNIQUE INDEX items_name_qty_idx ON items (name, qty)

CREATE VIEW cheap_items AS SELECT id, name FROM items WHERE price < 10

SELECT 'items'::regclass, 'items'::regclass::text, 'pg_class'::regclass::oid, 'pg_catalog.pg_class'::regclass, 'public.items'::pg_catalog.regclass

SELECT 'nosuch'::regclass

SELECT 'int4'::regtype, 'integer'::regtype::oid, 'character varying'::regtype, 23::regtype, 'public'::regnamespace, 'pg_catalog'::regnamespace::oid, 'int4in'::regproc, 42::regproc

SELECT c.relname, c.relkind FROM pg_catalog.pg_class c WHERE c.oid = 'items'::regclass

SELECT c.oid::regclass, c.relkind FROM pg_catalog.pg_class c WHERE c.relnamespace = 'public'::regnamespace ORDER BY c.relname

SELECT 1::oid, '4294967295'::oid, '-1'::oid, 42::oid = 42, 4294967295::oid::int8, '4294967295'::oid::int4

SELECT 4294967296::oid

SELECT 'x'::oid

SELECT oid, typname, typtype, typcategory FROM pg_catalog.pg_type WHERE oid IN (16, 18, 19, 22, 26, 30, 2205) ORDER BY oid

SELECT 'abc'::name, 'a'::"char", 'x'::name = 'x'::text, 'ab'::"char", ''::"char" = ''

SELECT ARRAY(SELECT relname FROM pg_catalog.pg_class WHERE relname LIKE 'items%' ORDER BY 1)

SELECT ARRAY(SELECT 1 WHERE false), ARRAY(SELECT x FROM (VALUES (1), (2), (NULL)) v(x) ORDER BY x DESC)

SELECT ARRAY(SELECT 'a' UNION ALL SELECT 'b')

SELECT indkey, indkey[0], indkey[1], indkey[2] FROM pg_catalog.pg_index WHERE indexrelid = 'items_name_qty_idx'::regclass

SELECT attname FROM pg_catalog.pg_attribute a, pg_catalog.pg_index i WHERE i.indexrelid = 'items_name_qty_idx'::regclass AND a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) ORDER BY attnum

SELECT pg_catalog.array_to_string(ARRAY(SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = 'items'::regclass AND attnum > 0 ORDER BY attnum), ', ')

SELECT 2 = ANY(ARRAY(SELECT attnum FROM pg_catalog.pg_attribute WHERE attrelid = 'items'::regclass)), 99 = ALL(ARRAY[1, 2])

SELECT r.rolname, ARRAY(SELECT b.rolname FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles b ON (m.roleid = b.oid) WHERE m.member = r.oid) AS memberof FROM pg_catalog.pg_roles r WHERE r.rolname = 'aspen'

SELECT pg_catalog.pg_get_userbyid(10) IS NOT NULL, pg_catalog.pg_encoding_to_char(6), pg_catalog.format_type('int4'::regtype, NULL), pg_catalog.format_type(1043, 44)

SELECT c.relname, pg_catalog.pg_table_is_visible(c.oid) FROM pg_catalog.pg_class c WHERE c.oid IN ('items'::regclass, 'pg_class'::regclass) ORDER BY 1

SELECT c.oid::pg_catalog.regclass, n.nspname, c.relname
FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relname OPERATOR(pg_catalog.~) '^(items)$' COLLATE pg_catalog.default
  AND pg_catalog.pg_table_is_visible(c.oid)
ORDER BY 2, 3

SELECT c.relchecks, c.relkind, c.relhasindex, c.relhasrules, c.relhastriggers, c.relrowsecurity, c.relforcerowsecurity, false AS relhasoids, c.relispartition, '', c.reltablespace, CASE WHEN c.reloftype = 0 THEN '' ELSE c.reloftype::pg_catalog.regtype::pg_catalog.text END, c.relpersistence, c.relreplident, am.amname
FROM pg_catalog.pg_class c
 LEFT JOIN pg_catalog.pg_class tc ON (c.reltoastrelid = tc.oid)
LEFT JOIN pg_catalog.pg_am am ON (c.relam = am.oid)
WHERE c.oid = 'items'::pg_catalog.regclass

SELECT a.attname,
  pg_catalog.format_type(a.atttypid, a.atttypmod),
  (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true)
   FROM pg_catalog.pg_attrdef d
   WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef),
  a.attnotnull,
  (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t
   WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS attcollation,
  a.attidentity,
  a.attgenerated
FROM pg_catalog.pg_attribute a
WHERE a.attrelid = 'items'::pg_catalog.regclass AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum

SELECT c2.relname, i.indisprimary, i.indisunique, i.indisclustered, i.indisvalid, pg_catalog.pg_get_indexdef(i.indexrelid, 0, true),
  pg_catalog.pg_get_constraintdef(con.oid, true), contype, condeferrable, condeferred, i.indisreplident, c2.reltablespace
FROM pg_catalog.pg_class c, pg_catalog.pg_class c2, pg_catalog.pg_index i
  LEFT JOIN pg_catalog.pg_constraint con ON (conrelid = i.indrelid AND conindid = i.indexrelid AND contype IN ('p','u','x'))
WHERE c.oid = 'items'::pg_catalog.regclass AND c.oid = i.indrelid AND i.indexrelid = c2.oid
ORDER BY i.indisprimary DESC, c2.relname

SELECT pol.polname, pol.polpermissive,
  CASE WHEN pol.polroles = '{0}' THEN NULL ELSE pg_catalog.array_to_string(array(select rolname from pg_catalog.pg_roles where oid = any (pol.polroles) order by 1),',') END,
  pg_catalog.pg_get_expr(pol.polqual, pol.polrelid),
  pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid),
  CASE pol.polcmd
    WHEN 'r' THEN 'SELECT'
    WHEN 'a' THEN 'INSERT'
    WHEN 'w' THEN 'UPDATE'
    WHEN 'd' THEN 'DELETE'
    END AS cmd
FROM pg_catalog.pg_policy pol
WHERE pol.polrelid = 'items'::pg_catalog.regclass ORDER BY 1

SELECT oid, stxrelid::pg_catalog.regclass, stxnamespace::pg_catalog.regnamespace::pg_catalog.text AS nsp, stxname,
pg_catalog.pg_get_statisticsobjdef_columns(oid) AS columns,
  'd' = any(stxkind) AS ndist_enabled,
  'f' = any(stxkind) AS deps_enabled,
  'm' = any(stxkind) AS mcv_enabled,
stxstattarget
FROM pg_catalog.pg_statistic_ext
WHERE stxrelid = 'items'::pg_catalog.regclass
ORDER BY nsp, stxname

SELECT pubname
     , NULL
     , NULL
FROM pg_catalog.pg_publication p
     JOIN pg_catalog.pg_publication_namespace pn ON p.oid = pn.pnpubid
     JOIN pg_catalog.pg_class pc ON pc.relnamespace = pn.pnnspid
WHERE pc.oid = 'items'::pg_catalog.regclass and pg_catalog.pg_relation_is_publishable('items')
UNION
SELECT pubname
     , NULL
     , NULL
FROM pg_catalog.pg_publication p
WHERE p.puballtables AND pg_catalog.pg_relation_is_publishable('items')
ORDER BY 1

SELECT c.oid::pg_catalog.regclass
FROM pg_catalog.pg_class c, pg_catalog.pg_inherits i
WHERE c.oid = i.inhparent AND i.inhrelid = 'items'::pg_catalog.regclass
  AND c.relkind != 'p' AND c.relkind != 'I'
ORDER BY inhseqno

SELECT c.oid::pg_catalog.regclass, c.relkind, inhdetachpending, pg_catalog.pg_get_expr(c.relpartbound, c.oid)
FROM pg_catalog.pg_class c, pg_catalog.pg_inherits i
WHERE c.oid = i.inhrelid AND i.inhparent = 'items'::pg_catalog.regclass
ORDER BY pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT', c.oid::pg_catalog.regclass::pg_catalog.text

SELECT a.attname,
  pg_catalog.format_type(a.atttypid, a.atttypmod),
  CASE WHEN a.attnum <= (SELECT i.indnkeyatts FROM pg_catalog.pg_index i WHERE i.indexrelid = 'items_name_qty_idx'::pg_catalog.regclass) THEN 'yes' ELSE 'no' END AS is_key,
  pg_catalog.pg_get_indexdef(a.attrelid, a.attnum, TRUE) AS indexdef
FROM pg_catalog.pg_attribute a
WHERE a.attrelid = 'items_name_qty_idx'::pg_catalog.regclass AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum

SELECT i.indisunique, i.indisprimary, i.indisclustered, i.indisvalid,
  (NOT i.indimmediate) AND EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = i.indrelid AND conindid = i.indexrelid AND contype IN ('p','u','x') AND condeferrable) AS condeferrable,
  (NOT i.indimmediate) AND EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = i.indrelid AND conindid = i.indexrelid AND contype IN ('p','u','x') AND condeferred) AS condeferred,
i.indisreplident,
i.indnullsnotdistinct,
  a.amname, c2.relname, pg_catalog.pg_get_expr(i.indpred, i.indrelid, true)
FROM pg_catalog.pg_index i, pg_catalog.pg_class c, pg_catalog.pg_class c2, pg_catalog.pg_am a
WHERE i.indexrelid = c.oid AND c.oid = 'items_code_key'::pg_catalog.regclass AND c.relam = a.oid
AND i.indrelid = c2.oid

SELECT r.rulename, pg_catalog.pg_get_ruledef(r.oid, true)
FROM pg_catalog.pg_rewrite r
WHERE r.ev_class = 'cheap_items'::pg_catalog.regclass AND r.rulename != '_RETURN' ORDER BY 1

SELECT n.nspname as "Schema",
  pg_catalog.format_type(t.oid, NULL) AS "Name",
  pg_catalog.obj_description(t.oid, 'pg_type') as "Description"
FROM pg_catalog.pg_type t
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE (t.typrelid = 0 OR (SELECT c.relkind = 'c' FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid))
  AND NOT EXISTS(SELECT 1 FROM pg_catalog.pg_type el WHERE el.oid = t.typelem AND el.typarray = t.oid)
      AND n.nspname <> 'pg_catalog'
      AND n.nspname <> 'information_schema'
  AND pg_catalog.pg_type_is_visible(t.oid)
ORDER BY 1, 2

SELECT e.extname AS "Name", e.extversion AS "Version", n.nspname AS "Schema", c.description AS "Description"
FROM pg_catalog.pg_extension e LEFT JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace LEFT JOIN pg_catalog.pg_description c ON c.objoid = e.oid AND c.classoid = 'pg_catalog.pg_extension'::pg_catalog.regclass
ORDER BY 1

SELECT n.nspname as "Schema",
  p.proname as "Name",
  pg_catalog.pg_get_function_result(p.oid) as "Result data type",
  pg_catalog.pg_get_function_arguments(p.oid) as "Argument data types",
 CASE p.prokind
  WHEN 'a' THEN 'agg'
  WHEN 'w' THEN 'window'
  WHEN 'p' THEN 'proc'
  ELSE 'func'
 END as "Type"
FROM pg_catalog.pg_proc p
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE pg_catalog.pg_function_is_visible(p.oid)
      AND n.nspname <> 'pg_catalog'
      AND n.nspname <> 'information_schema'
ORDER BY 1, 2, 4

SELECT p.proname, pg_catalog.pg_get_function_result(p.oid), pg_catalog.pg_get_function_arguments(p.oid), pg_catalog.pg_function_is_visible(p.oid)
FROM pg_catalog.pg_proc p WHERE p.oid IN (1574, 89)
ORDER BY 1

SELECT r.rolname, r.rolsuper, r.rolinherit,
  r.rolcreaterole, r.rolcreatedb, r.rolcanlogin,
  r.rolconnlimit, r.rolvaliduntil,
  ARRAY(SELECT b.rolname
        FROM pg_catalog.pg_auth_members m
        JOIN pg_catalog.pg_roles b ON (m.roleid = b.oid)
        WHERE m.member = r.oid) as memberof
, r.rolreplication
, r.rolbypassrls
FROM pg_catalog.pg_roles r
WHERE r.rolname = 'pg_monitor'
ORDER BY 1

SELECT pg_catalog.pg_get_userbyid(d.datdba) as "Owner",
       pg_catalog.pg_encoding_to_char(d.encoding) as "Encoding",
       d.datcollate as "Collate",
       d.datctype as "Ctype",
       d.daticulocale as "ICU Locale",
       CASE d.datlocprovider WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' END AS "Locale Provider",
       pg_catalog.array_to_string(d.datacl, E'\n') AS "Access privileges"
FROM pg_catalog.pg_database d
WHERE d.datname = pg_catalog.current_database()
ORDER BY 1

SELECT r.conname, pg_catalog.pg_get_constraintdef(r.oid, true)
FROM pg_catalog.pg_constraint r
WHERE r.conrelid = 'items'::pg_catalog.regclass AND r.contype = 'c'
ORDER BY 1

SELECT true as sametable, conname,
  pg_catalog.pg_get_constraintdef(r.oid, true) as condef,
  conrelid::pg_catalog.regclass AS ontable
FROM pg_catalog.pg_constraint r
WHERE r.conrelid = 'items'::pg_catalog.regclass AND r.contype = 'f'
     AND conparentid = 0
ORDER BY conname

SELECT conname, conrelid::pg_catalog.regclass AS ontable,
       pg_catalog.pg_get_constraintdef(oid, true) AS condef
  FROM pg_catalog.pg_constraint c
 WHERE confrelid IN (SELECT pg_catalog.pg_partition_ancestors('items')
                     UNION ALL VALUES ('items'::pg_catalog.regclass))
       AND contype = 'f' AND conparentid = 0
ORDER BY conname

SELECT t.tgname, pg_catalog.pg_get_triggerdef(t.oid, true), t.tgenabled, t.tgisinternal
FROM pg_catalog.pg_trigger t
WHERE t.tgrelid = 'items'::pg_catalog.regclass AND (NOT t.tgisinternal OR (t.tgisinternal AND t.tgenabled = 'D'))
ORDER BY 1

SELECT table_name, column_name, is_nullable, data_type FROM information_schema.columns WHERE table_name = 'items' ORDER BY ordinal_position

SELECT CASE WHEN true THEN 1 END::text, CASE WHEN false THEN 'x' ELSE relname END FROM pg_catalog.pg_class WHERE relname = 'items'

CREATE TABLE objs (id oid PRIMARY KEY, n name, c "char")

INSERT INTO objs VALUES (4294967295, 'abc', 'x'), (1, repeat('n', 70), 'yz'), (2, NULL, '')

SELECT * FROM objs ORDER BY id

SELECT id, length(n), c = '' FROM objs WHERE id > 1 ORDER BY id DESC

SELECT * FROM objs WHERE id = 4294967295

SELECT n, count(*) FROM objs GROUP BY n ORDER BY n

SELECT max(id), min(n), max(c) FROM objs

SELECT 1::oid + 1

DROP TABLE objs

CREATE TABLE sa (id int PRIMARY KEY, g int, s text, d text)

INSERT INTO sa VALUES (1, 1, 'a', ','), (2, 1, NULL, '-'), (3, 1, 'c', NULL), (4, 2, 'x', '+'), (5, 3, NULL, ',')

SELECT g, string_agg(s, ', ') FROM sa GROUP BY g ORDER BY g

SELECT g, string_agg(s, d) FROM sa GROUP BY g ORDER BY g

SELECT string_agg(s, '') FROM sa WHERE id > 100

SELECT string_agg(DISTINCT s, '|') FILTER (WHERE id < 4) FROM sa

SELECT string_agg(attname, ', ') FROM pg_catalog.pg_attribute WHERE attrelid = 'sa'::regclass AND attnum > 0

SELECT string_agg(id, ',') FROM sa

SELECT string_agg(s) FROM sa

SELECT string_agg('\x01'::bytea, '\x02'::bytea) FROM sa

DROP TABLE sa

SELECT NULL::text[] || ARRAY['a'], pg_catalog.array_to_string(NULL::text[] || ARRAY(SELECT 'x' WHERE false), ', ')

SELECT c.reloptions || array(select 'toast.' || x from (VALUES ('a')) v(x)) FROM pg_catalog.pg_class c WHERE c.relname = 'pg_class'

SELECT current_setting('TimeZone'), current_setting('nosuch', true), current_setting('max_index_keys')

SELECT current_setting('nosuch')

SELECT getdatabaseencoding(), pg_char_to_encoding('UTF8'), pg_encoding_to_char(6)

SELECT obj_description(2200, 'pg_namespace'), obj_description(2200), obj_description(1, 'pg_class')

SELECT nspname, nspacl::text FROM pg_namespace WHERE nspname IN ('public', 'pg_toast') ORDER BY 1

CREATE TABLE "Items" (id int PRIMARY KEY)

SELECT '"Items"'::regclass, '"Items"'::regclass::oid = (SELECT oid FROM pg_class WHERE relname = 'Items')

SELECT 'Items'::regclass

SELECT 'public."Items"'::regclass::text

SELECT ARRAY(SELECT 1, 2)

SELECT relname, ARRAY(SELECT attname FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND attnum > 0 ORDER BY attnum) FROM pg_catalog.pg_class c WHERE relname = 'pg_am'

SELECT oid::regclass FROM pg_catalog.pg_class WHERE relnamespace = 11 AND relkind = 'r' AND relname IN ('pg_am', 'pg_class', 'pg_type', 'pg_proc', 'pg_index') ORDER BY 1

SELECT 'pg_class'::regclass = 1259, 1259::regclass, 0::regclass, 99999999::regclass

SELECT 'integer[]'::regtype, 'character varying(10)'::regtype, 'int4'::regtype::text, 'nosuch'::regtype

SELECT 'nosuch'::regproc

SELECT 'nosuch'::regnamespace

SELECT ''::regclass

SELECT NULL::regclass, NULL::oid

SELECT '1259'::regclass

SELECT 1259::oid::regclass

SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid IN ('pg_am'::regclass, 1259) ORDER BY 1

DROP TABLE "Items"

DROP VIEW cheap_items

DROP TABLE items

CREATE TABLE vk (a int, b int, c int, PRIMARY KEY (c, a))

SELECT unnest(ix.indkey) attnum, generate_subscripts(ix.indkey, 1) ord FROM pg_index ix WHERE ix.indrelid = 'vk'::regclass ORDER BY ord

SELECT generate_subscripts(indkey, 1, true) AS s FROM pg_index WHERE indrelid = 'vk'::regclass

DROP TABLE vk
