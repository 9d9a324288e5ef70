-- psql's describe commands read pg_catalog; Aspen must print what PostgreSQL 15 prints.
CREATE TABLE demo (id int PRIMARY KEY, name varchar(20) NOT NULL, price numeric(10,2), created timestamptz, flag boolean, code char(3) UNIQUE, n int DEFAULT 0);
CREATE UNIQUE INDEX demo_name_idx ON demo (name);
CREATE INDEX demo_price_idx ON demo (price, flag);
CREATE TABLE notes (a bigint, b text NOT NULL);
CREATE VIEW demo_names AS SELECT id, name FROM demo;
\dt
\d
\di
\dn
SELECT relname, relkind, relnatts, relhasindex FROM pg_catalog.pg_class WHERE relnamespace = 2200 ORDER BY relname;
SELECT a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, a.atthasdef FROM pg_catalog.pg_attribute a WHERE a.attrelid = (SELECT oid FROM pg_catalog.pg_class WHERE relname = 'demo') AND a.attnum > 0 ORDER BY a.attnum;
SELECT pg_catalog.pg_get_indexdef((SELECT oid FROM pg_catalog.pg_class WHERE relname = 'demo_price_idx')), pg_catalog.pg_get_userbyid(6171), pg_catalog.pg_encoding_to_char(6);
SELECT conname, contype, pg_catalog.pg_get_constraintdef(oid) FROM pg_catalog.pg_constraint WHERE conrelid = (SELECT oid FROM pg_catalog.pg_class WHERE relname = 'demo') ORDER BY conname;
SELECT nspname FROM pg_catalog.pg_namespace ORDER BY oid;
SELECT typname, typlen, typtype, typcategory, typarray FROM pg_catalog.pg_type WHERE oid IN (16, 20, 23, 25, 1043, 1700, 3802) ORDER BY oid;
SELECT table_name, column_name, data_type, is_nullable, character_maximum_length FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position;
SELECT constraint_name, constraint_type FROM information_schema.table_constraints WHERE table_schema = 'public' AND constraint_type <> 'CHECK' ORDER BY 1;
SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1;
SELECT c.oid::pg_catalog.regclass AS rel, c.reltype::pg_catalog.regtype::pg_catalog.text AS typ FROM pg_catalog.pg_class c WHERE c.relname IN ('demo', 'notes') ORDER BY 1;
SELECT count(*) FROM pg_catalog.pg_attribute WHERE attrelid = 'demo'::pg_catalog.regclass AND attnum > 0;
SELECT n.nspname, c.relname FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname OPERATOR(pg_catalog.~) '^(demo)$' COLLATE pg_catalog.default AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 1, 2;
