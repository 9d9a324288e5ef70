// Package planner is Aspen's SQL engine: it parses SQL with PostgreSQL's
// own grammar (pg_query_go), binds the parse tree against the catalog into
// its own typed plan nodes, and executes them over the store, with
// PostgreSQL 15's semantics for what it supports.
//
// # API (used by pgwire)
//
//	eng := planner.NewEngine(kv)     // one per server, safe for concurrent use
//	s := eng.NewSession()            // one per connection, not concurrent
//	defer s.Close()
//
//	// Simple query protocol: every statement of the text, in order.
//	results, err := s.Exec(ctx, "INSERT INTO t VALUES (1); SELECT * FROM t")
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
// sent as length -1); for binary formats later, its Kind and the accessors
// Int, Float, Bool, Str and Decimal give the raw value. Parameters arrive as
// TextValue(s) or Null; typed values made with planner/types constructors
// (NewInt, NewFloat, ...) are accepted too and cast to the parameter type.
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
//	plan.go        plan nodes (plain data)
//	expr.go        typed scalar expressions and their evaluation
//	exec.go        execution: scans, filters, grouping, sorting, DML, DDL
//	catalog.go     tables as the planner sees them (over layers/sqlrows)
//	session.go     Engine, Session, Prepared, Result: the API above
//	types/         SQL types: OIDs, text I/O, casts, arithmetic, ordering
//	sqlerr/        the SQLSTATE error type
//
// Storage is layers/sqlrows: rows at ("sql", tableID, "r", pk...), unique
// indexes at ("sql", tableID, "i", indexID, ...), the catalog under ("sys",
// "sql", ...).
package planner
