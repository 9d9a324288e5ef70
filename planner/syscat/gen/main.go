// Command gen writes the built-in rows of PostgreSQL 15's system catalogs
// that syscat serves from data rather than code (pg_proc, pg_type,
// pg_operator, pg_cast and the comments of pg_description) as gzip'd
// tab-separated files, read from a throwaway PostgreSQL 15 server that it
// starts with internal/pgtest. Run it from planner/syscat with
// `go generate` (see pgdata.go); it needs the PostgreSQL 15 binaries
// (scripts/install-test-deps.sh).
//
// Each file holds a header line with the column names, then one line per
// row in COPY's text format (\N for NULL, backslash escapes), ordered so
// that the output is the same on every run.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aspen-db/aspen/internal/pgtest"
	"github.com/jackc/pgx/v5/pgconn"
)

// dumps lists the files and the queries that produce them. OID-valued
// regproc columns are read as OIDs, so that overloaded names stay exact.
var dumps = []struct{ file, query string }{
	{"pg_type.tsv.gz", `SELECT oid, typname, typlen, typbyval, typtype, typcategory, typispreferred, typdelim,
		typelem, typarray, typinput, typoutput, typreceive, typsend, typmodin, typmodout, typanalyze,
		typalign, typstorage, typcollation, typsubscript
		FROM pg_catalog.pg_type t
		WHERE typnamespace = 'pg_catalog'::regnamespace AND typrelid = 0
		  AND (typelem = 0 OR (SELECT e.typrelid FROM pg_catalog.pg_type e WHERE e.oid = t.typelem) = 0)
		ORDER BY oid`},
	{"pg_proc.tsv.gz", `SELECT oid, proname, prolang, procost, prorows, provariadic, prosupport::oid AS prosupport,
		prokind, prosecdef, proleakproof, proisstrict, proretset, provolatile, proparallel, pronargs,
		pronargdefaults, prorettype, proargtypes, proallargtypes, proargmodes, proargnames, protrftypes,
		prosrc, probin, proconfig, proargdefaults, proacl,
		pg_catalog.pg_get_function_arguments(oid) AS args,
		pg_catalog.pg_get_function_identity_arguments(oid) AS identity_args,
		pg_catalog.pg_get_function_result(oid) AS result
		FROM pg_catalog.pg_proc WHERE pronamespace = 'pg_catalog'::regnamespace ORDER BY oid`},
	{"pg_operator.tsv.gz", `SELECT oid, oprname, oprkind, oprcanmerge, oprcanhash, oprleft, oprright, oprresult,
		oprcom, oprnegate, oprcode::oid AS oprcode, oprrest::oid AS oprrest, oprjoin::oid AS oprjoin
		FROM pg_catalog.pg_operator WHERE oprnamespace = 'pg_catalog'::regnamespace ORDER BY oid`},
	{"pg_cast.tsv.gz", `SELECT oid, castsource, casttarget, castfunc, castcontext, castmethod
		FROM pg_catalog.pg_cast ORDER BY oid`},
	{"pg_description.tsv.gz", `SELECT objoid, classoid, objsubid, description FROM pg_catalog.pg_description
		WHERE objoid < 16384 AND classoid IN ('pg_catalog.pg_proc'::regclass, 'pg_catalog.pg_type'::regclass,
		  'pg_catalog.pg_operator'::regclass, 'pg_catalog.pg_language'::regclass, 'pg_catalog.pg_am'::regclass,
		  'pg_catalog.pg_cast'::regclass)
		ORDER BY classoid, objoid, objsubid`},
}

func main() {
	out := flag.String("out", "pgdata", "directory to write the files to")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := pgtest.Launch(ctx, pgtest.Options{})
	if err != nil {
		return err
	}
	defer srv.Stop()
	conn, err := pgconn.Connect(ctx, srv.DSN())
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.Background())
	// Names render unqualified and numbers exactly.
	if _, err := conn.Exec(ctx, "SET search_path = pg_catalog; SET extra_float_digits = 3").ReadAll(); err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	for _, d := range dumps {
		var buf bytes.Buffer
		q := strings.Join(strings.Fields(d.query), " ")
		if _, err := conn.CopyTo(ctx, &buf, "COPY ("+q+") TO STDOUT WITH (FORMAT text, HEADER)"); err != nil {
			return fmt.Errorf("%s: %w", d.file, err)
		}
		var gz bytes.Buffer
		zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		if err != nil {
			return err
		}
		// No name or time in the gzip header: the file depends only on
		// the data.
		if _, err := zw.Write(buf.Bytes()); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, d.file), gz.Bytes(), 0o644); err != nil {
			return err
		}
		fmt.Printf("%s: %d bytes (%d gzip'd)\n", d.file, buf.Len(), gz.Len())
	}
	return nil
}
