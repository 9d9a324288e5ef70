package pgwire

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aspen-db/aspen/internal/pgtest"
)

var update = flag.Bool("update", false, "rewrite testdata/psql/*.out from PostgreSQL's output")

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// TestPsqlScripts runs each testdata/psql/*.sql through psql against Aspen
// and compares what psql prints with the golden .out file, which holds
// PostgreSQL 15's output for the same script: when PostgreSQL is installed
// the test checks that too (and -update rewrites the golden files from
// it), so the golden files cannot drift from what PostgreSQL prints.
func TestPsqlScripts(t *testing.T) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		t.Skip("psql not installed (make test installs it with scripts/install-test-deps.sh)")
	}
	scripts, err := filepath.Glob("testdata/psql/*.sql")
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	for _, script := range scripts {
		name := strings.TrimSuffix(filepath.Base(script), ".sql")
		t.Run(name, func(t *testing.T) {
			sql, err := os.ReadFile(script)
			if err != nil {
				t.Fatal(err)
			}
			golden := strings.TrimSuffix(script, ".sql") + ".out"
			if pgInstalled() {
				pg := pgtest.Shared(t)
				ref := runPsql(t, psql, pg.FreshDatabase(t), sql)
				if *update {
					if err := os.WriteFile(golden, ref, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(ref, want) {
					t.Errorf("PostgreSQL's output differs from %s (run with -update):\n%s", golden, diffLines(string(want), string(ref)))
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			ts := startServer(t, Config{})
			got := runPsql(t, psql, "postgres://aspen@"+ts.addr+"/aspen?sslmode=disable", sql)
			if !bytes.Equal(got, want) {
				t.Errorf("psql on Aspen differs from PostgreSQL (%s); -want +got:\n%s", golden, diffLines(string(want), string(got)))
			}
		})
	}
}

func pgInstalled() bool {
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/postgres")
	return len(matches) > 0 || os.Getenv("PGTEST_BINDIR") != ""
}

// runPsql feeds sql to psql on stdin, echoing each statement (-a), not
// stopping at errors, and returns stdout and stderr interleaved as a
// terminal would show them.
func runPsql(t *testing.T, psql, url string, sql []byte) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, psql, "-X", "-a", "-v", "ON_ERROR_STOP=0", "-P", "pager=off", url)
	cmd.Stdin = bytes.NewReader(sql)
	cmd.Env = append(os.Environ(), "PGTZ=UTC", "PGCLIENTENCODING=UTF8", "LC_ALL=C")
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("psql %s: %v\n%s", url, err, out.Bytes())
	}
	return out.Bytes()
}

// diffLines shows the lines that differ, with their numbers.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var sb strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			fmt.Fprintf(&sb, "line %d:\n-%s\n+%s\n", i+1, a, b)
		}
	}
	return sb.String()
}
