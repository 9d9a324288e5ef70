package planner

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// corpusStatement is one statement of testdata/parse.
type corpusStatement struct {
	file string
	sql  string
}

// loadCorpus reads testdata/parse/*.sql: statements real clients send
// (psql, pgx, pgbench, JDBC, SQLAlchemy, Django, psycopg), one per block,
// blocks separated by blank lines, "--" lines being comments.
func loadCorpus(t testing.TB) []corpusStatement {
	t.Helper()
	files, err := filepath.Glob("testdata/parse/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	var out []corpusStatement
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, block := range strings.Split(string(b), "\n\n") {
			var lines []string
			for _, l := range strings.Split(block, "\n") {
				if !strings.HasPrefix(strings.TrimSpace(l), "--") {
					lines = append(lines, l)
				}
			}
			sql := strings.TrimSpace(strings.Join(lines, "\n"))
			if sql != "" {
				out = append(out, corpusStatement{file: filepath.Base(f), sql: sql})
			}
		}
	}
	if len(out) < 100 {
		t.Fatalf("corpus has %d statements, expected at least 100", len(out))
	}
	return out
}

// TestParseCorpus checks that every corpus statement PARSES, as one
// statement (an empty ";" as none). This is parse-only for now: planning
// and running them needs the catalog views, joins and subqueries of later
// increments; TestCorpusRuns checks that running them fails cleanly.
func TestParseCorpus(t *testing.T) {
	for _, st := range loadCorpus(t) {
		stmts, err := parse(st.sql)
		if err != nil {
			t.Errorf("%s: %v\n%s", st.file, err, st.sql)
			continue
		}
		want := 1
		if strings.Trim(st.sql, "; \n") == "" {
			want = 0
		}
		if len(stmts) != want {
			t.Errorf("%s: %d statements, want %d:\n%s", st.file, len(stmts), want, st.sql)
		}
	}
}

// TestCorpusRuns runs every corpus statement in a fresh session: each
// must succeed or fail with a SQL error (not an internal error, never a
// panic). It logs how many ran.
func TestCorpusRuns(t *testing.T) {
	eng := newTestEngine(t)
	ran := 0
	corpus := loadCorpus(t)
	codes := map[string]int{}
	for _, st := range corpus {
		s := eng.NewSession()
		_, err := s.Exec(context.Background(), st.sql)
		s.Close()
		if err == nil {
			ran++
			continue
		}
		var se *sqlerr.Error
		if !errors.As(err, &se) || se.Code == sqlerr.InternalError {
			t.Errorf("%s: not a clean SQL error: %v\n%s", st.file, err, st.sql)
			continue
		}
		codes[se.Code]++
	}
	t.Logf("%d of %d corpus statements run; errors by SQLSTATE: %v", ran, len(corpus), codes)
}
