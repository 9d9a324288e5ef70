-- psql's \d and \d+ on tables and views (primary key, unique, indexes, defaults, not null): Aspen must print what PostgreSQL 15 prints.
CREATE TABLE items (id int PRIMARY KEY, name varchar(40) NOT NULL, price numeric(10,2) DEFAULT 0, qty integer NOT NULL DEFAULT 1, code char(4) UNIQUE, note text, created timestamptz);
CREATE INDEX items_price_idx ON items (price);
CREATE UNIQUE INDEX items_name_qty_idx ON items (name, qty);
CREATE TABLE plain (a bigint, b text);
CREATE VIEW cheap_items AS SELECT id, name FROM items WHERE price < 10;
\d items
\d plain
\d public.items
\d cheap_items
\d+ items
\d+ plain
\d
