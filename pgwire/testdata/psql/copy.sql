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
-- Errors name the line (and the column) in their CONTEXT; the failed COPY
-- inserts nothing.
CREATE TABLE ce (a int PRIMARY KEY, b int NOT NULL, c text);
COPY ce FROM STDIN;
1	2	x
2	abc	y
\.
COPY ce FROM STDIN;
1	2	x
2
\.
COPY ce FROM STDIN;
1	2	x
1	3	y
\.
COPY ce FROM STDIN;
1	2	x
3	\N	y
\.
COPY ce FROM STDIN;
1	2	x	5
\.
COPY ce (a, b) FROM STDIN WITH (FORMAT csv, HEADER);
a,b
1,2
2,99999999999
\.
COPY ce (a, b, c) FROM STDIN WITH (FORMAT csv);
1,1,this line is long enough that its text is cut in the context line after one hundred bytes of it
2,123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890,z
3,x,this value is long enough that its text is cut in the context line after one hundred bytes like lines
\.
SELECT count(*) FROM ce;
