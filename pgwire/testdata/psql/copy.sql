-- COPY through psql: data inline in the script, and COPY TO STDOUT.
CREATE TABLE c (a int PRIMARY KEY, b text, n numeric);
COPY c FROM STDIN;
1	one	1.5
2	\N	\N
3	tab\there	-0.25
\.
COPY c (a, b) FROM STDIN WITH (FORMAT csv, HEADER);
a,b
4,"quoted, ""text"""
5,
\.
SELECT * FROM c ORDER BY a;
COPY c TO STDOUT;
COPY c TO STDOUT WITH (FORMAT csv, HEADER);
COPY (SELECT a, n FROM c WHERE a > 1 ORDER BY a) TO STDOUT (DELIMITER '|', NULL 'null');
