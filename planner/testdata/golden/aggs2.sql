-- string_agg, array_agg, json_agg, jsonb_agg, bool_and, bool_or, every,
-- with DISTINCT, FILTER and ORDER BY inside the call.

CREATE TABLE agg_w (id int PRIMARY KEY, g int, s text, b bool)

INSERT INTO agg_w VALUES (1, 1, 'b', true), (2, 1, 'a', false), (3, 2, 'c', true), (4, 2, NULL, NULL), (5, 1, 'a', true)

SELECT string_agg(s, ','), string_agg(s, ',' ORDER BY s), string_agg(s, '-' ORDER BY id DESC), string_agg(DISTINCT s, ',' ORDER BY s) FROM agg_w

SELECT g, string_agg(s, ', ' ORDER BY s NULLS FIRST), array_agg(id ORDER BY id DESC), array_agg(s ORDER BY id) FROM agg_w GROUP BY g ORDER BY g

SELECT jsonb_agg(id ORDER BY id), json_agg(s ORDER BY id), jsonb_agg(DISTINCT g ORDER BY g) FROM agg_w

SELECT bool_and(b), bool_or(b), every(b), bool_and(b) FILTER (WHERE id < 3) FROM agg_w

SELECT string_agg(s, ','), array_agg(id), jsonb_agg(id), bool_or(b) FROM agg_w WHERE false

SELECT g, count(*), string_agg(s, '') FILTER (WHERE s <> 'a') FROM agg_w GROUP BY g ORDER BY g

SELECT array_agg(x ORDER BY x DESC) FROM generate_series(1, 4) AS x

SELECT string_agg(id, ',') FROM agg_w

SELECT string_agg(DISTINCT s, ',' ORDER BY id) FROM agg_w

SELECT bool_and(id) FROM agg_w

DROP TABLE agg_w
