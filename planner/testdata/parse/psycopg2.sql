-- Statements psycopg2 and psycopg 3 send on their own.

BEGIN;

SET DATESTYLE TO 'ISO';

SHOW default_transaction_isolation;

SELECT 1;

BEGIN ISOLATION LEVEL READ COMMITTED;

BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY DEFERRABLE;

SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;

COMMIT;

ROLLBACK;

SELECT E'escaped\nnewline', U&'d\0061t\+000061', $$dollar 'quoted'$$, B'1010', X'ff';

SELECT '{1,2,3}'::int[], ARRAY[1,2]::bigint[], '2024-01-01'::date, interval '1 day', now() AT TIME ZONE 'UTC';

SELECT data->'a'->>'b', data #> '{a,b}', data #>> '{a}', data @> '{"a":1}', data ? 'k', data ?| array['a','b'] FROM docs;

PREPARE q1 (int) AS SELECT $1 + 1;

EXECUTE q1 (41);

DEALLOCATE q1;

DISCARD ALL;

LISTEN events;

NOTIFY events, 'payload';
