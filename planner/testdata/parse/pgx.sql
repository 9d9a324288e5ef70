-- Statements pgx v5 sends: type loading, the ping, transaction control,
-- and typical application queries with $n parameters.

select t.oid,
	case when nsp.nspname in ('pg_catalog', 'public') then t.typname
		else nsp.nspname||'.'||t.typname
	end
from pg_type t
left join pg_type base_type on t.typelem=base_type.oid
left join pg_namespace nsp on t.typnamespace=nsp.oid
where (
	  t.typtype in('b', 'p', 'r', 'e')
	  and (base_type.oid is null or base_type.typtype in('b', 'p', 'r'))
	);

select $1::text::regtype::oid;

select typarray from pg_type where oid=$1;

SELECT typname, typtype, typelem, typbasetype, typrelid FROM pg_type WHERE oid = $1;

select attname, atttypid from pg_attribute where attrelid=$1 and not attisdropped and attnum > 0 order by attnum;

select enumlabel from pg_enum where enumtypid=$1 order by enumsortorder;

WITH RECURSIVE
selected_classes(oid, reltype) AS (
  SELECT pg_class.oid, pg_class.reltype
  FROM pg_catalog.pg_class
      LEFT JOIN pg_catalog.pg_namespace n ON n.oid = pg_class.relnamespace
  WHERE pg_catalog.pg_table_is_visible(pg_class.oid)
    AND relname = ANY($1::text[])
UNION
  SELECT pg_class.oid, pg_class.reltype
  FROM pg_class
  INNER JOIN pg_namespace ON (pg_class.relnamespace = pg_namespace.oid)
  WHERE nspname || '.' || relname = ANY($1::text[])
),
selected_types(oid) AS (
  SELECT reltype AS oid
  FROM selected_classes
UNION
  SELECT oid
  FROM pg_type
  WHERE typname = ANY($1::text[]) AND pg_type_is_visible(oid)
UNION
  SELECT oid
  FROM pg_type
  INNER JOIN pg_namespace ON (pg_type.typnamespace = pg_namespace.oid)
  WHERE nspname || '.' || typname = ANY($1::text[])
),
relationships(parent, child, depth) AS (
  SELECT DISTINCT 0::oid, selected_types.oid, 0
  FROM selected_types
UNION ALL
  SELECT pg_type.oid AS parent, pg_attribute.atttypid AS child, 1
  FROM selected_classes c
  inner join pg_type ON (c.reltype = pg_type.oid)
  inner join pg_attribute on (c.oid = pg_attribute.attrelid)
UNION ALL
  SELECT pg_type.oid AS parent, pg_type.typbasetype AS child, relationships.depth + 1
  FROM relationships
  INNER JOIN pg_type ON (pg_type.oid = relationships.child)
  WHERE pg_type.typtypmod = -1 AND pg_type.typbasetype != 0
),
composite AS (
  SELECT pg_type.oid, ARRAY_AGG(attname ORDER BY attnum) AS attnames, ARRAY_AGG(atttypid ORDER BY ATTNUM) AS atttypids
  FROM pg_attribute
  INNER JOIN pg_class ON (pg_class.oid = pg_attribute.attrelid)
  INNER JOIN pg_type ON (pg_type.oid = pg_class.reltype)
  WHERE NOT attisdropped AND attnum > 0
  GROUP BY pg_type.oid
)
SELECT typname,
  pg_namespace.nspname,
  typtype,
  typbasetype,
  typelem,
  pg_type.oid,
  typrelid,
  composite.attnames,
  composite.atttypids
FROM (
    SELECT MAX(depth) AS depth, child AS oid
    FROM relationships
    GROUP BY child
) typ
INNER JOIN pg_type ON (pg_type.oid = typ.oid)
INNER JOIN pg_namespace ON (pg_type.typnamespace = pg_namespace.oid)
LEFT OUTER JOIN composite USING (oid)
WHERE NOT (typtype = 'c' AND typrelid = 0)
ORDER BY depth DESC, typname;

-- pgx's ping
;

begin;

begin isolation level serializable read write;

commit;

rollback;

select id, name, email, created_at from users where id = $1;

insert into users (name, email) values ($1, $2) returning id, created_at;

update users set name = $1, updated_at = now() where id = $2;

delete from users where id = any($1::int[]);

select count(*) from widgets where tags @> $1::text[] and deleted_at is null;

select * from events where payload->>'kind' = $1 order by ts desc limit $2 offset $3;

copy users (name, email) from stdin binary;

select pg_advisory_lock($1);

select pg_notify($1, $2);

listen channel_name;
