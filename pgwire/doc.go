// Package pgwire serves PostgreSQL's frontend/backend protocol (version
// 3.0) over the SQL engine in package planner, using pgx's pgproto3 for
// message encoding. psql and the common drivers (pgx, lib/pq, psycopg2,
// JDBC, node-postgres) connect to it as to PostgreSQL 15.
//
// A Server accepts connections; each runs one planner.Session:
//
//	srv := pgwire.NewServer(pgwire.Config{Engine: planner.NewEngine(store)})
//	go srv.Serve(ln)
//	defer srv.Close()
//
// # What a session supports
//
//   - Startup: SSLRequest (TLS when Config.TLS is set, else 'N'),
//     GSSENCRequest ('N'), CancelRequest (cancels the matching backend's
//     running statement with 57014), the StartupMessage's settings
//     (including options=-c name=value), ParameterStatus for the settings
//     PostgreSQL reports (re-sent when a SET changes one) and
//     BackendKeyData.
//   - Authentication: trust for loopback clients when no password is
//     configured; otherwise SCRAM-SHA-256 (or md5) against
//     Config.Password. Failures are FATAL 28P01 or 28000.
//   - Simple query: every statement of a Query message, in one implicit
//     transaction outside a BEGIN block.
//   - Extended query: Parse, Bind, Describe, Execute (with row limits and
//     PortalSuspended), Close, Sync and Flush; named and unnamed
//     statements and portals; text and binary formats. After an error the
//     rest of the batch is skipped up to Sync, as the protocol requires.
//   - Limits: Config.MaxConnections (53300), Config.MaxMessageSize (08P01,
//     checked before any buffer is sized by the message's length), the
//     idle session timeout (57P05) and the engine's statement_timeout.
//
// # Layout
//
//	server.go    Server: listeners, the connection limit, cancel keys
//	conn.go      one session: startup, settings, the message loop
//	auth.go      trust, SCRAM-SHA-256 and md5
//	query.go     simple query; RowDescription and DataRow
//	extended.go  Parse/Bind/Describe/Execute/Close/Sync
//	format.go    text and binary value formats
//	errors.go    ErrorResponse and NoticeResponse from sqlerr.Error
package pgwire
