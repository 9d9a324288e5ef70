-- SELECT ... FOR UPDATE/SHARE: accepted where PostgreSQL accepts it (no row locks: conflicting commits fail with 40001), refused where it refuses it (checked against PostgreSQL 15).

CREATE TABLE fu (id int PRIMARY KEY, x int)

INSERT INTO fu VALUES (1, 10), (2, 20)

SELECT * FROM fu WHERE id = 1 FOR UPDATE

SELECT * FROM fu ORDER BY id FOR SHARE NOWAIT

SELECT fu.id FROM fu JOIN fu AS f2 USING (id) ORDER BY 1 FOR UPDATE OF fu

SELECT DISTINCT x FROM fu FOR UPDATE

SELECT x, count(*) FROM fu GROUP BY x FOR SHARE

SELECT count(*) FROM fu FOR UPDATE

SELECT 1 UNION SELECT 2 FOR UPDATE

SELECT * FROM fu FOR UPDATE OF nosuch

SELECT 1 FOR UPDATE

SELECT * FROM fu FOR NO KEY UPDATE

DROP TABLE fu
