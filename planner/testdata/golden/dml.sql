-- INSERT, UPDATE, DELETE with RETURNING, defaults and constraints.

CREATE TABLE item (sku varchar(8) PRIMARY KEY, qty int NOT NULL DEFAULT 0, price numeric(8,2), note text UNIQUE)

INSERT INTO item VALUES ('a1', 5, 1.5, 'first'), ('b2', DEFAULT, 2.499, NULL) RETURNING sku, qty, price

INSERT INTO item (sku) VALUES ('c3') RETURNING *

INSERT INTO item (sku, note) VALUES ('d4', 'first')

INSERT INTO item (sku, qty) VALUES ('e5', NULL)

INSERT INTO item (sku) VALUES ('toolongsku')

INSERT INTO item (sku, qty) VALUES ('f6', '12'), ('g7', 3.6) RETURNING qty

INSERT INTO item (sku, price) VALUES ('h8', 1000000)

INSERT INTO item (sku, qty) VALUES ('i9', 'many')

INSERT INTO item SELECT sku || 'x', qty + 1, price, NULL FROM item WHERE qty > 3 RETURNING sku, qty

SELECT sku, qty, price, note FROM item ORDER BY sku

UPDATE item SET qty = qty + 1, price = price * 2 WHERE sku >= 'c' AND sku < 'g' RETURNING sku, qty, price

UPDATE item SET qty = DEFAULT WHERE sku = 'a1' RETURNING qty

UPDATE item SET note = 'first' WHERE sku = 'b2'

UPDATE item SET sku = 'a1' WHERE sku = 'b2'

UPDATE item SET sku = 'z9' WHERE sku = 'b2' RETURNING sku

UPDATE item SET qty = qty / 0 WHERE sku = 'z9'

UPDATE item SET qty = 1 WHERE false

UPDATE item SET price = 'abc'

DELETE FROM item WHERE price IS NULL RETURNING sku

DELETE FROM item WHERE qty > 100

SELECT sku, qty FROM item ORDER BY qty DESC, sku

DELETE FROM item RETURNING sku

SELECT count(*) FROM item
