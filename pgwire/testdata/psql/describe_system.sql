-- psql's describe commands over the built-in catalog (operators, casts, types, functions, domains, extensions), which come from PostgreSQL 15's own pg_proc, pg_type, pg_operator, pg_cast and pg_description: Aspen must print what PostgreSQL 15 prints.
-- (Commands that show the owner of a built-in object are left out: PostgreSQL's bootstrap superuser is postgres, Aspen's is aspen.)
\dx
\dD
\dD+
\dT
\dT+
\do +
\do - int4
\doS *
\doS+ ~~
\dC
\dC+ integer
\dC text
\dTS
\dTS *range
\df+
\dfS lower
\dfS abs
\dfS generate_series
\dfS jsonb_set_lax
\dfS pg_stat_get_activity
\dfS+ nosuch
\dfa
\dfn
\dfw
\dft
\dfp
\dfaS max
\dfwS row_number
\dn+
SELECT lanname, lanispl, lanpltrusted, pg_catalog.obj_description(oid, 'pg_language') FROM pg_catalog.pg_language ORDER BY 1;
SELECT count(*) FROM pg_catalog.pg_proc WHERE pronamespace = 'pg_catalog'::regnamespace;
SELECT count(*) FROM pg_catalog.pg_operator;
SELECT count(*) FROM pg_catalog.pg_cast;
SELECT oprname, oprcode, oprleft::regtype, oprright::regtype FROM pg_catalog.pg_operator WHERE oid IN (96, 3285, 5005) ORDER BY oid;
SELECT proname, pg_catalog.pg_get_function_arguments(oid), pg_catalog.pg_get_function_identity_arguments(oid), pg_catalog.pg_get_function_result(oid) FROM pg_catalog.pg_proc WHERE oid IN (5054, 2022) ORDER BY oid;
SELECT 'int4pl'::regproc, 'int4pl'::regproc::oid;
SELECT 'jsonb_delete'::regproc;
SELECT pg_catalog.obj_description(1259, 'pg_class') IS NULL AS no_class_comment, pg_catalog.obj_description(23, 'pg_type'), pg_catalog.obj_description(96, 'pg_operator');
\dx+ plpgsql
\dx+
CREATE TABLE dso (id int PRIMARY KEY, n int DEFAULT 3, CHECK (n > 0));
CREATE VIEW dso_v AS SELECT id FROM dso;
SELECT pg_catalog.pg_describe_object('pg_catalog.pg_class'::regclass, 'dso'::regclass, 0), pg_catalog.pg_describe_object('pg_catalog.pg_class'::regclass, 'dso'::regclass, 2), pg_catalog.pg_describe_object('pg_catalog.pg_class'::regclass, 'dso_v'::regclass, 0), pg_catalog.pg_describe_object('pg_catalog.pg_class'::regclass, 'dso_pkey'::regclass, 0);
SELECT pg_catalog.pg_describe_object('pg_catalog.pg_class'::regclass, 'pg_catalog.pg_class'::regclass, 0), pg_catalog.pg_describe_object('pg_catalog.pg_proc'::regclass, 177, 0), pg_catalog.pg_describe_object('pg_catalog.pg_type'::regclass, 1043, 0), pg_catalog.pg_describe_object('pg_catalog.pg_namespace'::regclass, 2200, 0);
SELECT pg_catalog.pg_describe_object(classid, objid, objsubid) FROM pg_catalog.pg_constraint c, LATERAL (SELECT 'pg_catalog.pg_constraint'::regclass::oid AS classid, c.oid AS objid, 0 AS objsubid) x WHERE conrelid = 'dso'::regclass ORDER BY 1;
SELECT pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid) FROM pg_catalog.pg_depend d WHERE d.refobjid = 'dso'::regclass AND d.classid = 'pg_catalog.pg_attrdef'::regclass;
