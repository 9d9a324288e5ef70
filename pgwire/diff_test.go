package pgwire

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/aspen-db/aspen/internal/pgtest"
)

// TestDifferentialGolden runs every block of the planner's golden query
// files (planner/testdata/golden/*.sql) on PostgreSQL 15 and on Aspen over
// the wire, and compares what a client sees: column names and types,
// rows in text form (sorted unless the query orders them), command tags,
// and the SQLSTATE of errors. The golden files hold Aspen's own output;
// this test keeps them honest against the real server.
func TestDifferentialGolden(t *testing.T) {
	if !pgInstalled() {
		t.Skip("PostgreSQL is not installed (scripts/install-test-deps.sh installs it)")
	}
	files, err := filepath.Glob("../planner/testdata/golden/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	pg := pgtest.Shared(t)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".sql")
		if skipDiff[name] {
			continue
		}
		t.Run(name, func(t *testing.T) {
			in, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			ref, err := pgconn.Connect(ctx, pg.FreshDatabase(t))
			if err != nil {
				t.Fatal(err)
			}
			defer ref.Close(ctx)
			ts := startServer(t, Config{})
			got, err := pgconn.Connect(ctx, ts.url("aspen", ""))
			if err != nil {
				t.Fatal(err)
			}
			defer got.Close(ctx)
			for _, block := range strings.Split(strings.ReplaceAll(string(in), "\r\n", "\n"), "\n\n") {
				block = strings.TrimSpace(block)
				if block == "" || strings.HasPrefix(block, "--") && !strings.Contains(block, "\n") {
					continue
				}
				want, have := runBlock(ctx, ref, block), runBlock(ctx, got, block)
				if why, known := knownDiff[block]; known {
					if want == have {
						t.Errorf("%s now matches PostgreSQL (%s): drop it from knownDiff", block, why)
					}
					continue
				}
				if want != have {
					t.Errorf("%s\n--- PostgreSQL:\n%s--- Aspen:\n%s", block, want, have)
				}
			}
		})
	}
}

// knownDiff lists blocks that differ from PostgreSQL for a reason still
// to be fixed, and the reason.
var knownDiff = map[string]string{}

// skipDiff names golden files that are not meant to match PostgreSQL:
// EXPLAIN prints Aspen's plans.
var skipDiff = map[string]bool{"explain": true}

// runBlock runs sql with the simple protocol and renders every result.
func runBlock(ctx context.Context, c *pgconn.PgConn, sql string) string {
	var sb strings.Builder
	results, err := c.Exec(ctx, sql).ReadAll()
	for _, r := range results {
		if r.Err != nil {
			break
		}
		if len(r.FieldDescriptions) > 0 {
			cols := make([]string, len(r.FieldDescriptions))
			for i, fd := range r.FieldDescriptions {
				cols[i] = fmt.Sprintf("%s:%d", fd.Name, fd.DataTypeOID)
			}
			sb.WriteString(strings.Join(cols, " | ") + "\n")
			rows := make([]string, len(r.Rows))
			for i, row := range r.Rows {
				vals := make([]string, len(row))
				for j, v := range row {
					if v == nil {
						vals[j] = "NULL"
					} else {
						vals[j] = string(v)
					}
				}
				rows[i] = strings.Join(vals, " | ")
			}
			if !strings.Contains(strings.ToUpper(sql), "ORDER BY") {
				sortStrings(rows)
			}
			for _, row := range rows {
				sb.WriteString(row + "\n")
			}
		}
		sb.WriteString(r.CommandTag.String() + "\n")
	}
	if err != nil {
		if code := sqlstate(err); code != "" {
			sb.WriteString("ERROR " + code + "\n")
		} else {
			sb.WriteString("ERROR " + err.Error() + "\n")
		}
	}
	return sb.String()
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
