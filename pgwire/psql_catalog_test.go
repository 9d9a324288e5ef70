package pgwire

// psql's \dL+ and \l over Aspen. Their layout is PostgreSQL 15's, but the
// owners differ (Aspen's bootstrap superuser is aspen, the PostgreSQL test
// cluster's is postgres) and psql pads columns to the widest value, so
// the expected output is written here rather than compared with
// PostgreSQL's in testdata/psql.

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestPsqlLanguagesAndDatabases(t *testing.T) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		t.Skip("psql not installed (make test installs it with scripts/install-test-deps.sh)")
	}
	ts := startServer(t, Config{})
	got := string(runPsql(t, psql, "postgres://aspen@"+ts.addr+"/aspen?sslmode=disable", []byte(`\dL+
\l template*
\l+ postgres
`)))
	want := `\dL+
                                                                                   List of languages
  Name   | Owner | Trusted | Internal language |      Call handler      |       Validator        |          Inline handler          | Access privileges |         Description          
---------+-------+---------+-------------------+------------------------+------------------------+----------------------------------+-------------------+------------------------------
 plpgsql | aspen | t       | f                 | plpgsql_call_handler() | plpgsql_validator(oid) | plpgsql_inline_handler(internal) |                   | PL/pgSQL procedural language
(1 row)

\l template*
                                         List of databases
   Name    | Owner | Encoding | Collate | Ctype | ICU Locale | Locale Provider | Access privileges 
-----------+-------+----------+---------+-------+------------+-----------------+-------------------
 template0 | aspen | UTF8     | C       | C     |            | libc            | =c/aspen         +
           |       |          |         |       |            |                 | aspen=CTc/aspen
 template1 | aspen | UTF8     | C       | C     |            | libc            | =c/aspen         +
           |       |          |         |       |            |                 | aspen=CTc/aspen
(2 rows)

\l+ postgres
                                                                          List of databases
   Name   | Owner | Encoding | Collate | Ctype | ICU Locale | Locale Provider | Access privileges |  Size   | Tablespace |                Description                 
----------+-------+----------+---------+-------+------------+-----------------+-------------------+---------+------------+--------------------------------------------
 postgres | aspen | UTF8     | C       | C     |            | libc            |                   | 0 bytes | pg_default | default administrative connection database
(1 row)

`
	if got != want {
		t.Errorf("psql on Aspen; -want +got:\n%s", diffLines(want, got))
	}
}

// TestConnectToPostgres checks that a client connecting to database
// "postgres" (as pgAdmin does first) reaches Aspen's database under that
// name, and sees itself in pg_stat_activity with its address.
func TestConnectToPostgres(t *testing.T) {
	ts := startServer(t, Config{})
	ctx := context.Background()
	c, err := pgconn.Connect(ctx, ts.url("aspen", "")+"&application_name=pgtool")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	pc, err := pgconn.Connect(ctx, strings.Replace(ts.url("aspen", ""), "/aspen?", "/postgres?", 1))
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close(ctx)
	res, err := pc.Exec(ctx, "SELECT current_database(), datname, client_addr, client_port > 0, state, application_name = 'pgtool' FROM pg_stat_activity ORDER BY pid").ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, row := range res[0].Rows {
		var f []string
		for _, v := range row {
			f = append(f, string(v))
		}
		rows = append(rows, strings.Join(f, "|"))
	}
	want := []string{"postgres|aspen|127.0.0.1|t|idle|t", "postgres|postgres|127.0.0.1|t|active|f"}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("pg_stat_activity:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
}
