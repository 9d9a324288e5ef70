// Package sqllogictest will be a runner for sqllogictest .test files that
// talks to a server over the PostgreSQL protocol only. Nothing is built
// here yet (the SQL engine issue); `make slt` says so.
package sqllogictest
