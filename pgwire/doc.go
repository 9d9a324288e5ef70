// Package pgwire will serve the PostgreSQL protocol (v3) with pgx's
// pgproto3: sessions, authentication, simple and extended query, COPY,
// cancel and LISTEN/NOTIFY, handing SQL text to the planner. Nothing is
// built here yet (the Postgres protocol issue); aspen-server accepts
// --pg-addr but does not listen on it.
package pgwire
