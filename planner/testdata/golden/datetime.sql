-- Date/time, interval, character, bytea, uuid, json and array types: input, output, casts, operators, functions, order.

CREATE TABLE dt (id int PRIMARY KEY, d date, ts timestamp, tz timestamptz, iv interval, c char(4), b bytea, u uuid, jb jsonb, ia int4[])

INSERT INTO dt VALUES (1, '2024-01-05', '2024-01-05 10:11:12.5', '2024-01-05 10:11:12+02', '1 day 2 hours', 'ab', '\x0102', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '{"b":1, "a":[1, 2.50]}', '{3,NULL,1}'), (2, 'infinity', '-infinity', '1999-12-31 23:59:59+00', '-1 mon', 'abcd', '\x', NULL, '[]', '{}')

SELECT * FROM dt ORDER BY id

SELECT id FROM dt ORDER BY tz

SELECT d + 1, d - DATE '2024-01-01', ts + iv, tz - iv, iv * 2.5, -iv FROM dt WHERE id = 1

SELECT date_trunc('month', ts), extract(epoch FROM tz), to_char(ts, 'YYYY-MM-DD HH24:MI:SS.MS Dy'), age(TIMESTAMP '2024-03-31', ts) FROM dt WHERE id = 1

SELECT jb -> 'a', jb ->> 'b', jb #>> '{a,1}', jb @> '{"b":1}', ia[1], ia || 4, 3 = ANY(ia) FROM dt WHERE id = 1

SET TimeZone = 'Asia/Kolkata'

SELECT tz, tz::date, to_char(tz, 'HH24:MI TZ') FROM dt ORDER BY id

SELECT '2024-13-01'::date

SELECT 'abcde'::char(3), 'P1Y2M3DT4H5M6S'::interval, '{"a":1}'::json::jsonb, ARRAY[1.5, 2]

INSERT INTO dt (id, c) VALUES (3, 'abcde')

DROP TABLE dt
