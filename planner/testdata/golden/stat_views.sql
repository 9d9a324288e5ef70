-- The databases initdb makes and the cumulative statistics views that
-- monitoring tools read, as PostgreSQL 15 (columns and the values that
-- do not depend on timing; Aspen keeps no scan or tuple counters, see
-- planner/syscat/statviews.go).

SELECT datname, datdba, encoding, datlocprovider, datistemplate, datallowconn, datconnlimit, dattablespace FROM pg_catalog.pg_database WHERE datname IN ('template0', 'template1', 'postgres') ORDER BY 1

SELECT datistemplate, datallowconn, datconnlimit, pg_catalog.shobj_description(oid, 'pg_database') IS NULL AS no_comment FROM pg_catalog.pg_database WHERE datname = current_database()

SELECT d.datname, pg_catalog.shobj_description(d.oid, 'pg_database') FROM pg_catalog.pg_database d WHERE datname IN ('template0', 'template1', 'postgres') ORDER BY 1

SELECT objoid, classoid::regclass, description FROM pg_catalog.pg_shdescription ORDER BY 1

SELECT oid, datname FROM pg_catalog.pg_database WHERE oid < 16384 ORDER BY oid

SELECT * FROM pg_catalog.pg_stat_user_tables LIMIT 0

SELECT * FROM pg_catalog.pg_stat_all_tables LIMIT 0

SELECT * FROM pg_catalog.pg_stat_sys_tables LIMIT 0

SELECT * FROM pg_catalog.pg_statio_user_tables LIMIT 0

SELECT * FROM pg_catalog.pg_statio_all_tables LIMIT 0

SELECT * FROM pg_catalog.pg_stat_user_indexes LIMIT 0

SELECT * FROM pg_catalog.pg_stat_all_indexes LIMIT 0

SELECT * FROM pg_catalog.pg_statio_user_indexes LIMIT 0

SELECT * FROM pg_catalog.pg_stat_database LIMIT 0

SELECT datid, datname, pid, leader_pid, usesysid, usename, application_name, client_hostname, client_port, backend_start, xact_start, query_start, state_change, wait_event_type, wait_event, state, query_id, query, backend_type FROM pg_catalog.pg_stat_activity LIMIT 0

SELECT 'pg_stat_activity'::regclass::oid, 'pg_stat_user_tables'::regclass::oid, 'pg_stat_database'::regclass::oid, 'pg_statio_user_tables'::regclass::oid

CREATE TABLE stv_a (id int PRIMARY KEY, v text)

CREATE TABLE stv_b (x int)

CREATE INDEX stv_b_x ON stv_b (x)

CREATE TABLE stv_c (x int)

SELECT schemaname, relname, idx_scan IS NULL AS no_idx_scan, idx_tup_fetch IS NULL AS no_idx_fetch, last_vacuum, last_autovacuum, last_autoanalyze, vacuum_count, autovacuum_count, autoanalyze_count FROM pg_catalog.pg_stat_user_tables WHERE relname LIKE 'stv%' ORDER BY relname

SELECT relname, relid = (schemaname || '.' || relname)::regclass AS relid_ok FROM pg_catalog.pg_stat_all_tables WHERE relname IN ('stv_a', 'pg_class', 'pg_proc') ORDER BY relname

SELECT schemaname, relname FROM pg_catalog.pg_stat_sys_tables WHERE relname IN ('stv_a', 'pg_class') ORDER BY relname

SELECT schemaname, relname, idx_blks_read IS NULL AS no_idx FROM pg_catalog.pg_statio_user_tables WHERE relname LIKE 'stv%' ORDER BY relname

SELECT schemaname, relname, indexrelname, indexrelid = (schemaname || '.' || indexrelname)::regclass AS ok FROM pg_catalog.pg_stat_user_indexes WHERE relname LIKE 'stv%' ORDER BY indexrelname

SELECT relname, indexrelname FROM pg_catalog.pg_statio_user_indexes WHERE relname LIKE 'stv%' ORDER BY indexrelname

SELECT count(*) FROM pg_catalog.pg_stat_user_indexes i JOIN pg_catalog.pg_stat_all_indexes a USING (indexrelid) WHERE i.relname LIKE 'stv%'

INSERT INTO stv_a SELECT g, 'v' FROM generate_series(1, 20) g

ANALYZE stv_a

SELECT relname, n_live_tup, last_analyze IS NOT NULL AS analyzed, analyze_count FROM pg_catalog.pg_stat_user_tables WHERE relname = 'stv_a'

SELECT c.reltuples FROM pg_catalog.pg_class c WHERE c.relname = 'stv_a'

SELECT count(*), bool_and(datname = current_database()), bool_and(usename = current_user), min(state), min(query), min(backend_type) FROM pg_catalog.pg_stat_activity WHERE pid = pg_catalog.pg_backend_pid()

SELECT backend_start <= query_start AS started, query_start <= clock_timestamp() AS q, xact_start <= query_start AS x FROM pg_catalog.pg_stat_activity WHERE pid = pg_catalog.pg_backend_pid()

SELECT numbackends >= 1 FROM pg_catalog.pg_stat_database WHERE datname = current_database()

SELECT datid, datname FROM pg_catalog.pg_stat_database WHERE datid = 0

SELECT datname, numbackends FROM pg_catalog.pg_stat_database WHERE datname = 'template0'
