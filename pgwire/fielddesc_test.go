package pgwire

// Compares RowDescription's table OID and column number (what pgx's
// FieldDescriptions and JDBC's ResultSetMetaData read) with PostgreSQL's.

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/aspen-db/aspen/internal/pgtest"
)

// TestFieldDescriptionOrigins checks that a result column read straight
// from a table column carries the table's pg_class OID and the column's
// attnum, and other columns zero, as on PostgreSQL 15. OIDs differ between
// the servers, so each is shown as the relation name pg_class gives it.
func TestFieldDescriptionOrigins(t *testing.T) {
	if !pgInstalled() {
		t.Skip("PostgreSQL is not installed (scripts/install-test-deps.sh installs it)")
	}
	setup := []string{
		"CREATE TABLE fd_t (a int PRIMARY KEY, b text NOT NULL, c float8)",
		"CREATE TABLE fd_u (a int, d text)",
		"CREATE VIEW fd_v AS SELECT a, b, a + 1 AS a1 FROM fd_t",
	}
	queries := []string{
		"SELECT * FROM fd_t",
		"SELECT c, b, a FROM fd_t",
		"SELECT a, a + 1, fd_t.b, 1 AS one, 'x' AS lit FROM fd_t",
		"SELECT x.a AS id, x.c FROM fd_t x",
		"SELECT fd_t.a, fd_u.d, fd_t.b FROM fd_t JOIN fd_u ON fd_t.a = fd_u.a",
		"SELECT * FROM fd_t JOIN fd_u USING (a)",
		"SELECT * FROM fd_t LEFT JOIN fd_u USING (a)",
		"SELECT * FROM fd_v",
		"SELECT s.b, s.k FROM (SELECT b, a * 2 AS k FROM fd_t) s",
		"WITH w AS (SELECT c, b FROM fd_t) SELECT * FROM w",
		"SELECT count(*), max(a) FROM fd_t",
		"SELECT a FROM fd_t UNION SELECT a FROM fd_u",
		"SELECT relname, oid FROM pg_class WHERE false",
		"SELECT b::varchar, (a) FROM fd_t",
		"SELECT * FROM fd_t FULL JOIN fd_u USING (a)",
		"SELECT fd_t.* FROM fd_t, LATERAL (SELECT fd_t.c) l",
		"SELECT (SELECT b FROM fd_t LIMIT 1) AS sub, tableoid = 'fd_t'::regclass AS same FROM fd_t",
		"INSERT INTO fd_u VALUES (1, 'x') RETURNING d, a + 1, *",
		"UPDATE fd_u SET d = 'y' RETURNING a",
		"DELETE FROM fd_u RETURNING d",
	}
	ctx := context.Background()
	describe := func(conn *pgx.Conn) string {
		var sb strings.Builder
		for _, q := range queries {
			rows, err := conn.Query(ctx, q)
			if err != nil {
				fmt.Fprintf(&sb, "%s: %v\n", q, err)
				continue
			}
			fds := append([]pgconnFD(nil), toFD(rows.FieldDescriptions())...)
			rows.Close()
			fmt.Fprintf(&sb, "%s:", q)
			for _, fd := range fds {
				rel := "0"
				if fd.oid != 0 {
					if err := conn.QueryRow(ctx, "SELECT relname::text FROM pg_class WHERE oid = $1", fd.oid).Scan(&rel); err != nil {
						rel = fmt.Sprintf("?%d(%v)", fd.oid, err)
					}
				}
				fmt.Fprintf(&sb, " %s=%s.%d", fd.name, rel, fd.attr)
			}
			sb.WriteString("\n")
		}
		return sb.String()
	}
	pg := pgtest.Shared(t)
	ref, err := pgx.Connect(ctx, pg.FreshDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close(ctx)
	ts := startServer(t, Config{})
	got := ts.connect(t)
	defer got.Close(ctx)
	for _, s := range setup {
		mustExec(t, ref, s)
		mustExec(t, got, s)
	}
	want, have := describe(ref), describe(got)
	if want != have {
		t.Errorf("field descriptions differ\n--- PostgreSQL:\n%s--- Aspen:\n%s", want, have)
	}
}

type pgconnFD struct {
	name string
	oid  uint32
	attr uint16
}

func toFD(fds []pgconn.FieldDescription) []pgconnFD {
	out := make([]pgconnFD, len(fds))
	for i, f := range fds {
		out[i] = pgconnFD{name: f.Name, oid: f.TableOID, attr: f.TableAttributeNumber}
	}
	return out
}
