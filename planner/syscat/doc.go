// Package syscat describes PostgreSQL 15's system catalogs (pg_catalog and
// information_schema) over a snapshot of Aspen's user catalog, so that
// psql, pgx, JDBC, psycopg2/SQLAlchemy and Django find what they look for.
//
// The package knows nothing of the binder or of the store. The caller
// builds a [Snapshot] (database, user, settings, and the tables, views and
// sequences of the transaction's catalog), and each system table is one
// [Table] declaration: its schema, name, columns (name, PostgreSQL type OID
// and modifier, in PostgreSQL 15's order) and a function that produces its
// rows from the snapshot. Rows are plain Go values: int64 for every integer
// and OID type, float64 for float4/float8, string for text-like types
// (name, text, varchar, "char", pg_node_tree, and regproc and regtype,
// which hold the rendered name: "int4in", "bigint", or for regproc the
// OID as int64, which stays exact for an overloaded name), bool,
// time.Time for timestamptz, nil for NULL, []string and []int64 for arrays and for the vector types
// int2vector and oidvector. [Lookup] finds a declaration; [Tables] lists
// them all.
//
// The helper functions PostgreSQL clients call (format_type,
// pg_get_indexdef, pg_get_constraintdef, pg_get_expr, pg_get_viewdef,
// pg_get_userbyid, pg_encoding_to_char, pg_table_is_visible,
// pg_type_is_visible, to_regclass and the reg* casts,
// pg_get_serial_sequence, pg_describe_object, version) are methods of
// [Snapshot] or plain functions here, with PostgreSQL's results.
//
// PostgreSQL 15's built-in functions, types, operators, casts and their
// comments come from pgdata/, which gen/ reads from a real PostgreSQL 15
// server (`go generate`; see pgdata.go).
//
// # Object identifiers
//
// Built-in objects have PostgreSQL 15's own OIDs (types, functions,
// namespaces, system tables, access methods, predefined roles). User
// objects get OIDs at or above 16384 (PostgreSQL's FirstNormalObjectId),
// derived from the store's ids so that they are stable across snapshots
// and sessions and unique across object kinds:
//
//	table with store id T (T >= 1): base(T) = 16384 + T<<12
//	  base+0                relation (pg_class.oid; RowDescription TableID)
//	  base+1                its row type (pg_type.oid, pg_class.reltype)
//	  base+2                the array of its row type
//	  base+3                the primary key's index (pg_class, pg_index)
//	  base+4                the primary key constraint (pg_constraint)
//	  base+16+2(i-1)        secondary index with store id i (1 <= i <= 1016)
//	  base+17+2(i-1)        the UNIQUE constraint backed by that index
//	  base+2048+(n-1)       the default of column attnum n (pg_attrdef)
//
// so table ids up to [MaxTableID] (about half a million) and index ids up
// to 1016 per table map, all below 2^31; objects beyond those limits are
// left out of the catalogs. Views and sequences that have a store id use
// the same scheme (they should share the table id counter, as relations
// share PostgreSQL's pg_class). A view or sequence without a store id
// (ViewDesc has none yet) gets 2^31 plus a 31-bit FNV-1a hash of its name,
// the next free value on a collision, in name order: stable as long as no
// two names collide. OIDs 16384..20479 (T = 0) are kept for cluster-wide objects:
// roles created by users and databases other than PostgreSQL's own
// (template1 = 1, template0 = 4, postgres = 5). The bootstrap superuser,
// Aspen's default user, is OID 10 as in PostgreSQL.
//
// A column's RowDescription ColumnAttr is its attnum (1-based position).
package syscat
