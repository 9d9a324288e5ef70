// Runner tests against real PostgreSQL 15 (internal/pgtest): deliberate
// failures are caught, objects are cleaned up, sessions are per script,
// a timed-out record does not sink the rest, and the protocol flag is
// honoured.

package slt

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aspen-db/aspen/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// runScript parses script and runs it with opts against url.
func runScript(t *testing.T, opts Options, script string) FileResult {
	t.Helper()
	recs, err := Parse(strings.NewReader(script))
	if err != nil {
		t.Fatal(err)
	}
	return NewRunner(opts).Run(context.Background(), t.Name(), recs)
}

// marked returns the line numbers of the records preceded by a "# fail:"
// comment in a script file.
func marked(t *testing.T, path string) []int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []int
	sc := bufio.NewScanner(f)
	n, pending := 0, false
	for sc.Scan() {
		n++
		s := sc.Text()
		switch {
		case strings.HasPrefix(s, "# fail:"):
			pending = true
		case pending && s != "" && !strings.HasPrefix(s, "#"):
			lines = append(lines, n)
			pending = false
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

func TestRunnerCatchesFailures(t *testing.T) {
	srv := pgtest.Shared(t)
	path := filepath.Join("..", "..", "testdata", "runner", "failures.slt")
	want := marked(t, path)
	if len(want) < 8 {
		t.Fatalf("%s marks %d failures; the test expects at least 8", path, len(want))
	}
	res, err := NewRunner(Options{URL: srv.FreshDatabase(t)}).RunFile(context.Background(), "failures.slt", path)
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, f := range res.Failures {
		got = append(got, f.Line)
	}
	if !slices.Equal(got, want) {
		for _, f := range res.Failures {
			t.Logf("failure at line %d: %s (expected %s, got %s)", f.Line, f.Reason, f.Expected, f.Got)
		}
		t.Errorf("failed records at lines %v, want %v", got, want)
	}
	if res.Failed != len(want) || res.Passed != 7 || res.Skipped != 2 || !res.Halted {
		t.Errorf("passed %d, failed %d, skipped %d, halted %v; want 7, %d, 2, true",
			res.Passed, res.Failed, res.Skipped, res.Halted, len(want))
	}
}

// objects lists the user tables, views, indexes, sequences and schemas of
// the database at url.
func objects(t *testing.T, url string) []string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `
		SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
		UNION ALL
		SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\_%' AND nspname NOT IN ('public', 'information_schema')
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return names
}

const creates = `
statement ok
CREATE TABLE base(id integer PRIMARY KEY, v text)

statement ok
CREATE UNIQUE INDEX base_v ON base(v); CREATE INDEX ON base(id, v)

statement ok
CREATE VIEW base_view AS SELECT v FROM base

statement ok
CREATE SEQUENCE IF NOT EXISTS counter

statement ok
CREATE SCHEMA side

statement ok
CREATE TABLE side.t(x integer)

statement ok
create table "Quoted Name"(x integer)

statement ok
CREATE TABLE gone(x integer)

statement ok
DROP TABLE gone

query I
SELECT count(*) FROM base_view
----
0
`

func TestRunnerDropsWhatItCreated(t *testing.T) {
	srv := pgtest.Shared(t)
	url := srv.FreshDatabase(t)

	res := runScript(t, Options{URL: url, Keep: true}, creates)
	if res.Failed != 0 || res.Passed != 10 {
		t.Fatalf("first run: %d passed, %d failed: %+v", res.Passed, res.Failed, res.Failures)
	}
	kept := objects(t, url)
	for _, name := range []string{"public.base", "public.base_v", "public.base_view", "public.counter", "side", "side.t", "public.Quoted Name"} {
		if !slices.Contains(kept, name) {
			t.Errorf("with Keep, %s is gone; objects: %q", name, kept)
		}
	}

	// The objects left by the kept run are dropped first, so the CREATE
	// statements succeed again; this time they are dropped at the end.
	res = runScript(t, Options{URL: url}, creates)
	if res.Failed != 0 || res.Passed != 10 || len(res.CleanupErrors) != 0 {
		t.Fatalf("second run: %d passed, %d failed (%+v), cleanup errors %q", res.Passed, res.Failed, res.Failures, res.CleanupErrors)
	}
	if left := objects(t, url); len(left) != 0 {
		t.Errorf("objects left after the script: %q", left)
	}
}

func TestDropStatements(t *testing.T) {
	recs, err := Parse(strings.NewReader(creates + `
statement ok
CREATE TEMP TABLE tmp AS SELECT 1; CREATE OR REPLACE VIEW base_view AS SELECT 1

skipif postgresql
statement ok
CREATE MATERIALIZED VIEW mv AS SELECT 1
`))
	if err != nil {
		t.Fatal(err)
	}
	got := dropStatements(recs)
	want := []string{
		"DROP MATERIALIZED VIEW IF EXISTS mv",
		"DROP TABLE IF EXISTS tmp",
		"DROP TABLE IF EXISTS gone",
		`DROP TABLE IF EXISTS "Quoted Name"`,
		"DROP TABLE IF EXISTS side.t",
		"DROP SCHEMA IF EXISTS side CASCADE",
		"DROP SEQUENCE IF EXISTS counter",
		"DROP VIEW IF EXISTS base_view",
		"DROP INDEX IF EXISTS base_v",
		"DROP TABLE IF EXISTS base",
	}
	if !slices.Equal(got, want) {
		t.Errorf("dropStatements:\n got %q\nwant %q", got, want)
	}
}

func TestRunnerSessionPerScript(t *testing.T) {
	srv := pgtest.Shared(t)
	url := srv.FreshDatabase(t)
	res := runScript(t, Options{URL: url}, "statement ok\nSET TIME ZONE 'Asia/Tokyo'\n\nquery T\nSHOW TimeZone\n----\nAsia/Tokyo\n")
	if res.Failed != 0 || res.Passed != 2 {
		t.Fatalf("first script: %+v", res)
	}
	res = runScript(t, Options{URL: url}, "query T\nSHOW TimeZone\n----\nUTC\n")
	if res.Failed != 0 || res.Passed != 1 {
		t.Errorf("a SET leaked into the next script: %+v", res.Failures)
	}
}

func TestRunnerTimeoutThenContinues(t *testing.T) {
	srv := pgtest.Shared(t)
	url := srv.FreshDatabase(t)
	start := time.Now()
	res := runScript(t, Options{URL: url, Timeout: 300 * time.Millisecond},
		"statement ok\nSELECT pg_sleep(5)\n\nquery I\nSELECT 1\n----\n1\n")
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("script took %v; the 300ms timeout did not stop pg_sleep(5)", d)
	}
	if res.Failed != 1 || res.Passed != 1 || len(res.Failures) != 1 || res.Failures[0].Line != 1 {
		t.Errorf("want the sleep to fail and the next query to pass: %+v", res)
	}
}

func TestRunnerProtocols(t *testing.T) {
	srv := pgtest.Shared(t)
	url := srv.FreshDatabase(t)
	// Several statements in one record: the simple protocol runs them all
	// and the query checks the last result; the extended one refuses.
	const script = "query I\nCREATE TEMP TABLE tt(x integer); INSERT INTO tt VALUES (5); SELECT x FROM tt\n----\n5\n"
	if res := runScript(t, Options{URL: url}, script); res.Failed != 0 || res.Passed != 1 {
		t.Errorf("simple protocol: %+v", res.Failures)
	}
	res := runScript(t, Options{URL: url, Extended: true}, script)
	if res.Failed != 1 || !strings.Contains(res.Failures[0].Reason, "42601") {
		t.Errorf("extended protocol accepted several statements: %+v", res)
	}
	// Results come back as text in both protocols.
	const typed = "query ITRT\nSELECT 7, 'x', 2.5, true\n----\n7\nx\n2.500\nt\n"
	for _, ext := range []bool{false, true} {
		if res := runScript(t, Options{URL: url, Extended: ext}, typed); res.Failed != 0 {
			t.Errorf("extended=%v: %+v", ext, res.Failures)
		}
	}
}

func TestRunnerCannotConnect(t *testing.T) {
	res := runScript(t, Options{URL: "postgres://aspen@127.0.0.1:1/aspen?sslmode=disable&connect_timeout=2"},
		"statement ok\nSELECT 1\n\nskipif postgresql\nstatement ok\nSELECT 1\n\nhash-threshold 8\n\nquery I\nSELECT 1\n----\n1\n")
	if res.Failed != 3 || res.Passed != 0 || !strings.Contains(res.Failures[0].Reason, "cannot connect") {
		t.Errorf("unreachable server: %+v", res)
	}
}
