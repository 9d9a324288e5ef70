-- psql's describe commands for indexes, views, sequences, types, extensions, functions, roles and databases: Aspen must print what PostgreSQL 15 prints.
CREATE TABLE items (id int PRIMARY KEY, name varchar(40) NOT NULL, price numeric(10,2) DEFAULT 0, qty integer NOT NULL DEFAULT 1, code char(4) UNIQUE, note text, created timestamptz);
CREATE INDEX items_price_idx ON items (price);
CREATE UNIQUE INDEX items_name_qty_idx ON items (name, qty);
CREATE VIEW cheap_items AS SELECT id, name FROM items WHERE price < 10;
CREATE ROLE describe_reader LOGIN CREATEDB;
\d items_pkey
\d items_price_idx
\d items_name_qty_idx
\d items_code_key
\d nosuchtable
\dv
\dv cheap*
\ds
\dT
\dx
\df
\du describe_reader
\dg describe_reader
\l aspen
\dn
\di items_p*
\dn+
\dp
\z items
\dE
\dm
\dc
\dD
\dO
\dA
\dRp
\des
\dew
\det
\deu
\ddp
\drds
\dconfig max_index_keys
\df+ nosuch
\sf nosuch
DROP ROLE describe_reader;
