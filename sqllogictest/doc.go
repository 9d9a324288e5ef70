// Command sqllogictest runs sqllogictest scripts against a server that
// speaks the PostgreSQL protocol (Aspen, or PostgreSQL itself for
// reference):
//
//	go run ./sqllogictest -url postgres://aspen@127.0.0.1:5432/aspen FILE...
//
// A FILE may be a directory: every *.test and *.slt file below it runs, in
// lexical order. (The project's own scripts are *.slt: the repository's
// .gitignore ignores *.test as Go test binaries.) Each script runs on its own connection, as engine "postgresql" for
// skipif/onlyif, after dropping the tables, views, indexes, sequences,
// types and schemas it creates (left over from an earlier run); they are
// dropped again when it ends, unless -keep is given.
//
// It prints one line per script, "NAME: P passed, F failed, S skipped",
// followed by the first few failures (line, reason, SQL, expected and
// actual values), and last the totals "N passed, M failed, K skipped". The
// exit status is 1 if any record failed, 2 on bad usage.
//
// Values are compared as SQLite's reference runner formats them: I columns
// as integers (reals truncated toward zero, booleans 1/0), R columns with
// "%.3f", T columns as text with "(empty)" for the empty string and '@' for
// bytes outside printable ASCII, NULL as "NULL"; results above the hash
// threshold as "N values hashing to MD5". See package
// sqllogictest/internal/slt for the details.
//
// With -start-postgres it starts a throwaway PostgreSQL 15 server (package
// internal/pgtest) and runs against that instead of -url: the reference
// results. scripts/slt.sh (`make slt`) runs the corpus in
// ../shared/corpus/sqllogictest against a fresh Aspen node.
package main
