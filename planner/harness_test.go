package planner

// Shared test helpers: a real store per test and the rendering of results the tests compare.

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aspen-db/aspen/layers/pubsub"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

// newTestEngine returns an engine over a real single-node Raft+Pebble
// store in a temp dir.
func newTestEngine(t testing.TB) *Engine {
	t.Helper()
	// The store registers the mutations NOTIFY commits.
	muts := pubsub.Mutations()
	maps.Copy(muts, Mutations())
	e := NewEngine(raftstoretest.NewWithMutations(t, muts))
	// Temporary files of spilling operators go to the test's directory.
	if err := e.SetTempDir(filepath.Join(t.TempDir(), "sqltmp"), -1); err != nil {
		t.Fatal(err)
	}
	return e
}

// render prints results and an error the way the golden files hold them.
func render(results []*Result, err error) string {
	var sb strings.Builder
	for _, r := range results {
		for _, n := range r.Notices {
			fmt.Fprintf(&sb, "%s %s: %s\n", n.Severity, n.Code, n.Message)
		}
		if r.Columns != nil {
			names := make([]string, len(r.Columns))
			for i, c := range r.Columns {
				names[i] = fmt.Sprintf("%s:%d", c.Name, c.TypeOID)
				if c.TypeMod >= 0 {
					names[i] += fmt.Sprintf("(%d)", c.TypeMod)
				}
			}
			sb.WriteString(strings.Join(names, " | ") + "\n")
			for _, row := range r.Rows {
				vals := make([]string, len(row))
				for i, v := range row {
					if v.IsNull() {
						vals[i] = "NULL"
					} else {
						vals[i] = string(v.AppendText(nil))
					}
				}
				sb.WriteString(strings.Join(vals, " | ") + "\n")
			}
		}
		fmt.Fprintf(&sb, "%s\n", r.Tag)
	}
	if err != nil {
		e := sqlerr.As(err)
		fmt.Fprintf(&sb, "ERROR %s: %s", e.Code, e.Message)
		if e.Detail != "" {
			fmt.Fprintf(&sb, " DETAIL: %s", e.Detail)
		}
		if e.Position != 0 {
			fmt.Fprintf(&sb, " (position %d)", e.Position)
		}
		sb.WriteString("\n")
	}
	return sb.String()
}

// run executes sql in s and returns the rendering.
func run(t testing.TB, s *Session, sql string) string {
	t.Helper()
	res, err := s.Exec(context.Background(), sql)
	return render(res, err)
}

// execRetry runs sql, rolling back and running it again on 40001, at
// most retries times, as clients do.
func execRetry(ctx context.Context, s *Session, sql string, retries int) error {
	for attempt := 0; ; attempt++ {
		_, err := s.Exec(ctx, sql)
		if sqlerr.Code(err) == sqlerr.SerializationFailure && attempt < retries {
			if _, rerr := s.Exec(ctx, "ROLLBACK"); rerr != nil {
				return rerr
			}
			continue
		}
		return err
	}
}
