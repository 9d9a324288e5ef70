-- regprocedure: a function named by its signature (psql's \dL+ casts
-- pg_language's handler OIDs to it), as PostgreSQL 15.

SELECT 'abs(integer)'::regprocedure, 'abs(integer)'::regprocedure::oid, 'to_char(timestamptz,text)'::regprocedure;

SELECT 1397::regprocedure, 0::regprocedure, 99999::regprocedure, '1397'::regprocedure, '-'::regprocedure;

SELECT 'pg_catalog.abs(int4)'::regprocedure, ' abs ( int4  ) '::regprocedure, 'now()'::regprocedure;

SELECT 'pg_catalog."substring"(text, int, int)'::regprocedure, 'varchar(varchar,int,bool)'::regprocedure;

SELECT 'abs(int4)'::regprocedure::text, pg_typeof('abs(int4)'::regprocedure)::text, 1397::oid::regprocedure;

SELECT 'abs(integer)'::regprocedure = 1397, 'abs(integer)'::regprocedure::regproc;

SELECT lanname, lanplcallfoid::pg_catalog.regprocedure, lanvalidator::pg_catalog.regprocedure, laninline::pg_catalog.regprocedure FROM pg_catalog.pg_language ORDER BY 1;

SELECT 'array_to_string(anyarray,text)'::regprocedure, 'array_to_string(anyarray,text,text)'::regprocedure;

SELECT 'foo(int)'::regprocedure;

SELECT 'abs(foo)'::regprocedure;

SELECT 'abs'::regprocedure;

SELECT 'abs(int'::regprocedure;

SELECT ''::regprocedure;

SELECT 'abs()'::regprocedure;

SELECT 'abs(int4,)'::regprocedure;

SELECT 'x.abs(int)'::regprocedure;

SELECT 'public.abs(int)'::regprocedure;
