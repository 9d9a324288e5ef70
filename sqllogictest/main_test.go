// Acceptance tests of the command against real PostgreSQL 15: the
// sqllogictest corpus files PostgreSQL passes (select1, index/between) and
// the project's own Postgres-dialect scripts in testdata/pg must give no
// failure, and the report for the runner's self-test script must match
// testdata/runner/failures.out (go test -update rewrites it).

package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/aspen-db/aspen/internal/pgtest"
)

var update = flag.Bool("update", false, "rewrite testdata/runner/failures.out")

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// corpusDir returns ../shared/corpus/sqllogictest/sqlite beside the
// repository (never copied into it), skipping the test if it is absent.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
	corpus := filepath.Join(dir, "..", "shared", "corpus", "sqllogictest", "sqlite")
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("sqllogictest corpus not found beside the repository (%v)", err)
	}
	return corpus
}

// runCmd runs the command with args and returns its exit status and
// output.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

var totals = regexp.MustCompile(`(?m)^(\d+) passed, (\d+) failed, (\d+) skipped\n\z`)

// checkAllPass asserts exit status 0 and a totals line with no failure and
// at least min passed records.
func checkAllPass(t *testing.T, code int, stdout, stderr string, min int) {
	t.Helper()
	m := totals.FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("no totals line at the end of the output:\n%s\nstderr:\n%s", stdout, stderr)
	}
	passed, _ := strconv.Atoi(m[1])
	if code != 0 || m[2] != "0" || passed < min {
		t.Errorf("exit %d, %s passed, %s failed (want 0, at least %d, 0):\n%s\nstderr:\n%s", code, m[1], m[2], min, stdout, stderr)
	}
}

func TestCorpusPassesOnPostgres(t *testing.T) {
	corpus := corpusDir(t)
	srv := pgtest.Shared(t)
	files := []string{
		filepath.Join(corpus, "select1.test"),
		filepath.Join(corpus, "index", "between"),
	}
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			t.Skipf("corpus file missing: %v", err)
		}
	}
	code, stdout, stderr := runCmd(t, append([]string{"-url", srv.FreshDatabase(t)}, files...)...)
	// select1 has 1031 records and index/between/1000 3792.
	checkAllPass(t, code, stdout, stderr, 4800)
	if n := strings.Count(stdout, ": 0 failed") + strings.Count(stdout, " 0 failed,"); n < 2 {
		t.Errorf("expected one line per file:\n%s", stdout)
	}
}

func TestOwnScriptsPassOnPostgres(t *testing.T) {
	srv := pgtest.Shared(t)
	scripts, err := filepath.Glob(filepath.Join("testdata", "pg", "*.slt"))
	if err != nil || len(scripts) < 6 {
		t.Fatalf("found %d scripts in testdata/pg (err %v), want at least 6", len(scripts), err)
	}
	url := srv.FreshDatabase(t)
	for _, ext := range []string{"-extended=false", "-extended=true"} {
		code, stdout, stderr := runCmd(t, "-url", url, ext, filepath.Join("testdata", "pg"))
		checkAllPass(t, code, stdout, stderr, 150)
		if got := strings.Count(stdout, "\n"); got != len(scripts)+1 {
			t.Errorf("%s: %d output lines for %d scripts:\n%s", ext, got, len(scripts), stdout)
		}
	}
}

func TestReportOfFailures(t *testing.T) {
	srv := pgtest.Shared(t)
	code, stdout, stderr := runCmd(t, "-url", srv.FreshDatabase(t), "-times=false", "-failures", "-1",
		filepath.Join("testdata", "runner", "failures.slt"))
	if code != 1 {
		t.Errorf("exit status %d with failures, want 1; stderr: %s", code, stderr)
	}
	golden := filepath.Join("testdata", "runner", "failures.out")
	if *update {
		if err := os.WriteFile(golden, []byte(stdout), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if stdout != string(want) {
		t.Errorf("report:\n%s\nwant:\n%s", stdout, want)
	}

	// The default shows only the first three failures of a file.
	_, stdout, _ = runCmd(t, "-url", srv.FreshDatabase(t), "-times=false",
		filepath.Join("testdata", "runner", "failures.slt"))
	if !strings.Contains(stdout, "  ... and 7 more failures\n") || strings.Count(stdout, "\n  failures.slt:") != 3 {
		t.Errorf("default report should show 3 failures then a count:\n%s", stdout)
	}
}

func TestUsageErrors(t *testing.T) {
	empty := t.TempDir()
	for _, args := range [][]string{
		nil,
		{"no-such-file.test"},
		{empty},
		{"-no-such-flag", "x.test"},
	} {
		if code, _, stderr := runCmd(t, args...); code != 2 || stderr == "" {
			t.Errorf("args %q: exit %d, stderr %q; want 2 and a message", args, code, stderr)
		}
	}
	if code, _, _ := runCmd(t, "-h"); code != 0 {
		t.Errorf("-h: exit %d, want 0", code)
	}
}

func TestFindScripts(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.test", "a/z.slt", "a/y.txt", "a/x.sql", "c/d/e.test"} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := findScripts([]string{dir, filepath.Join(dir, "a", "y.txt")})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a/z.slt", "b.test", "c/d/e.test", "a/y.txt"}
	for i := range want {
		want[i] = filepath.Join(dir, want[i])
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findScripts = %q, want %q", got, want)
	}
}
