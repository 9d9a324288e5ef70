// Package planner is Aspen's SQL engine: it parses SQL with PostgreSQL's
// own grammar (pg_query_go), binds the parse tree against the catalog into
// its own typed plan nodes, and executes them over the store, with
// PostgreSQL 15's semantics for what it supports.
//
// # API (used by pgwire)
//
//	eng := planner.NewEngine(kv)     // one per server, safe for concurrent use
//	                                 // (kv registers planner.Mutations())
//	s := eng.NewSession()            // one per connection, not concurrent
//	defer s.Close()
//
//	// Simple query protocol: every statement of the text, in order.
//	results, err := s.Exec(ctx, "INSERT INTO t VALUES (1); SELECT * FROM t")
//	// Or with a plain SELECT's rows handed to a RowSink as they are
//	// produced, not kept (stream.go); ExecuteStream is the same for Execute.
//	results, err = s.ExecStream(ctx, sql, sink)
//
//	// Extended protocol: Parse, then Bind+Execute any number of times.
//	p, err := s.Prepare(ctx, "SELECT b FROM t WHERE a = $1", nil)
//	p.ParamTypes()                   // []uint32{23}: inferred from a's type
//	p.Columns()                      // RowDescription
//	res, err := s.Execute(ctx, p, []planner.Value{planner.TextValue("1")})
//	err = s.Sync(ctx)                // at the Sync message: commits the
//	                                 // batch's implicit transaction
//
//	s.TxStatus()                     // 'I', 'T' or 'E' for ReadyForQuery
//
// A Result carries Columns (name, type OID, size, modifier), Rows of Values
// and the CommandComplete Tag ("SELECT 2", "INSERT 0 3", "CREATE TABLE",
// "BEGIN", ...), plus Notices to send first; an empty Tag with nil Columns
// is an empty query (EmptyQueryResponse). A Value renders itself in
// PostgreSQL's text format with AppendText (check IsNull first: NULL is
// sent as length -1; timestamptz values already carry the session's
// TimeZone); types.AppendBinary(buf, v) gives the binary format of a
// column, types.FromBinary(oid, data) reads a binary parameter. Parameters
// arrive as TextValue(s) or Null; typed values made with planner/types
// constructors (NewInt, NewFloat, FromBinary...) are accepted too and cast
// to the parameter type.
//
// Other session calls: SetIdentity(user, database) records the startup
// message's names for current_user and current_database(); Setting(name)
// reads a setting for ParameterStatus; SettingNames lists them; Close
// rolls back whatever is open. A statement_timeout setting and a canceled
// ctx stop a statement with 57014.
//
// # Errors
//
// Every error caused by the input is a *sqlerr.Error (alias planner.Error)
// with a SQLSTATE code, message, detail, hint and a 1-based character
// Position into the statement text; sqlerr.As maps any error to one (store
// failures become XX000). A statement that does not parse is 42601 with
// PostgreSQL's message and cursor position; syntax the engine does not
// support yet is 0A000. Serialization conflicts at commit are 40001.
//
// # Transactions
//
// Each Session follows PostgreSQL: outside BEGIN, one Exec call (all its
// statements), or the Execute calls up to a Sync, form an implicit
// transaction; BEGIN ... COMMIT
// spans calls; after an error inside a block every statement but COMMIT and
// ROLLBACK gets 25P02 and COMMIT rolls back. All reads of a transaction see
// one snapshot and commits are serializable (the store checks read ranges),
// so a conflicting commit fails with 40001 and the client retries. DDL is
// transactional: the catalog lives in the same store, read and written in
// the statement's transaction.
//
// # Layout
//
//	parse.go       pg_query parse, syntax errors (the only pg_query use,
//	bind_*.go      with the binder: AST -> plan nodes and typed exprs)
//	bind_stmt.go   statements, the select list, GROUP BY, ORDER BY, DML
//	bind_from.go   FROM: scopes and name resolution (outer references
//	               for correlated subqueries), joins, views, LATERAL
//	bind_query.go  subquery expressions, UNION/INTERSECT/EXCEPT,
//	               DISTINCT ON
//	bind_values.go VALUES lists, WITH and WITH RECURSIVE
//	bind_ddl.go    CREATE/DROP INDEX and VIEW
//	bind_alter.go  ALTER TABLE (bound and applied subcommand by subcommand)
//	bind_constraints.go CHECK/FOREIGN KEY definitions, names, catalog text
//	constraints.go CHECK and FOREIGN KEY enforcement on writes
//	plan.go        plan nodes (plain data)
//	expr.go        typed scalar expressions and their evaluation
//	exec.go        execution: scans (primary key, secondary index),
//	               filters, grouping, sorting, DML, DDL
//	exec_query.go  joins (hash join on equi-join keys, nested loop
//	               otherwise), subqueries, set operations
//	exec_ddl.go    DROP TABLE/VIEW/INDEX, CREATE INDEX/VIEW
//	stats.go       ANALYZE: table and column statistics in the catalog
//	joinorder.go   join ordering by estimated cardinalities
//	decorrelate.go correlated EXISTS/IN/NOT IN as semi- and anti-joins
//	bind_sequence.go, sequence.go
//	               sequences: CREATE/ALTER/DROP SEQUENCE, SERIAL and
//	               IDENTITY columns, nextval/currval/setval/lastval
//	catalog.go     tables as the planner sees them (over layers/sqlrows)
//	syscat_bind.go pg_catalog/information_schema tables and functions
//	bind_catalogtypes.go, bind_catalogfuncs.go
//	               reg* casts, catalog column types, pg_notify,
//	               current_setting and psql's other catalog functions
//	bind_array.go  ARRAY(subquery)
//	session.go     Engine, Session, Prepared, Result: the API above
//	types/         SQL types: OIDs, text I/O, casts, arithmetic, ordering
//	sqlerr/        the SQLSTATE error type
//
// # Queries
//
// A SELECT binds into a selectPlan over one table (scanned by a
// primary-key or secondary-index range found in WHERE) or over a tree of
// FROM items (fromTable, fromJoin, fromQuery for subqueries, views and
// WITH queries, fromLateral). Every query level has a scope; a column of
// an enclosing level binds as an outerRef and marks the subqueries in
// between as correlated. An uncorrelated subquery runs once per statement
// (its result cached in the evalCtx; "x IN (subquery)" then probes a
// hash set); a correlated one runs per row, with the enclosing rows on
// the evalCtx's outer stack (its key ranges may use the enclosing row's
// values), unless it is an EXISTS, NOT EXISTS, IN or (over NOT NULL
// columns) NOT IN in WHERE correlated by equalities: that becomes a hash
// semi- or anti-join (decorrelate.go). WHERE conjuncts are pushed below
// inner joins to the tables they read, and column equalities across a
// join become hash keys; inner joins of three or more items are then
// reordered by estimated cardinalities, from ANALYZE's statistics when
// there are some (joinorder.go). Views are stored as SQL text and bound
// where they are used; INSERT, UPDATE and DELETE go through a one-table
// view to its table, and DROP refuses (or with CASCADE extends to) views
// that depend on what it drops. SELECT ... FOR UPDATE/SHARE takes no row
// locks: reads are checked at commit, so a conflicting transaction fails
// with 40001 instead.
//
// Memory: a single-table SELECT without ORDER BY (or ordered by the
// primary key), grouping or DISTINCT streams. Sorts, hash aggregates,
// the build side of hash joins, DISTINCT and the set operations' hash
// tables are bounded by the session's work_mem: past it they spill to
// temporary files (spill*.go: external merge sort, hash aggregation
// partitioned by group key, grace hash join, partitioned DISTINCT and set
// operations) in the engine's temporary directory, removed when the
// operator or the statement ends; temp_file_limit and the engine's own cap
// bound those files (53400). What does not spill (the result rows,
// subqueries in FROM and uncorrelated subqueries, window partitions,
// nested-loop joins, aggregates' kept rows) counts against maxQueryMemory
// (53200 past it); the rows of a top-level SELECT run with ExecStream or
// ExecuteStream go to the client as they are produced instead, so they do
// not count, when no final pass over them is needed (no GROUP BY, window,
// DISTINCT, or ORDER BY other than the external sort's).
//
// Sequences: nextval is not transactional, as in PostgreSQL. It takes
// values with a deterministic store mutation (sqlrows.NextvalOp, decided
// at apply time on every replica) committed on its own, outside the
// session's transaction: a rollback gives nothing back, and concurrent
// sessions never get the same value nor conflict. setval and RESTART
// write the state on their own too. A session keeps PostgreSQL's
// per-session cache (CACHE n reserves n values per round trip), currval
// and lastval. Definitions are transactional catalog entries like tables.
//
// Storage is layers/sqlrows: rows at ("sql", tableID, "r", pk...),
// secondary indexes (unique or not) at ("sql", tableID, "i", indexID,
// ...), sequence state at ("sql", seqID, "q"), the catalog (tables,
// views, index names, sequences) under ("sys", "sql", ...).
package planner
