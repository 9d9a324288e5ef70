package pgwire

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/aspen-db/aspen/planner"
)

func TestCopyFromBinaryWithPgx(t *testing.T) {
	ts := startServer(t, Config{})
	conn := ts.connect(t)
	ctx := context.Background()
	mustExec(t, conn, "CREATE TABLE items (id bigint PRIMARY KEY, name text, price numeric(10,2), weight double precision, ok boolean, n smallint)")
	var rows [][]any
	for i := range 1000 {
		var name any = fmt.Sprintf("item %d\t\"q\"\n", i)
		if i%7 == 0 {
			name = nil
		}
		rows = append(rows, []any{int64(i), name, fmt.Sprintf("%d.%02d", i, i%100), float64(i) / 4, i%2 == 0, int16(i % 300)})
	}
	n, err := conn.CopyFrom(ctx, pgx.Identifier{"items"}, []string{"id", "name", "price", "weight", "ok", "n"}, pgx.CopyFromRows(rows))
	if err != nil {
		t.Fatal(err)
	}
	if n != 1000 {
		t.Fatalf("CopyFrom copied %d rows", n)
	}
	var cnt, nulls int
	var sum string
	if err := conn.QueryRow(ctx, "SELECT count(*), count(*) - count(name), sum(price)::text FROM items").Scan(&cnt, &nulls, &sum); err != nil {
		t.Fatal(err)
	}
	if cnt != 1000 || nulls != 143 || sum != "499995.00" {
		t.Errorf("count %d, nulls %d, sum %s", cnt, nulls, sum)
	}
	var name string
	var w float64
	if err := conn.QueryRow(ctx, "SELECT name, weight FROM items WHERE id = 5").Scan(&name, &w); err != nil || name != "item 5\t\"q\"\n" || w != 1.25 {
		t.Errorf("row 5: %q %v %v", name, w, err)
	}
}

func TestCopyTextAndCSV(t *testing.T) {
	ts := startServer(t, Config{})
	conn := ts.connect(t)
	ctx := context.Background()
	pc := conn.PgConn()
	mustExec(t, conn, "CREATE TABLE c (a int PRIMARY KEY, b text, d numeric)")
	cases := []struct {
		copy, data string
		rows       int64
	}{
		{"COPY c FROM STDIN", "1\tplain\t1.5\n2\t\\N\t\\N\n3\ttab\\there\\\\back\\nline\t-2\r\n", 3},
		{"COPY c (a, b) FROM STDIN WITH (DELIMITER '|', NULL 'nil')", "4|nil\n5|\\x41\\102\n\\.\nignored after the end marker\n", 2},
		{"COPY c FROM STDIN WITH (FORMAT csv, HEADER)", "a,b,d\n6,\"multi\nline, \"\"quoted\"\"\",7\n7,,\n8,\"\",0\n", 3},
		{"COPY c FROM STDIN CSV QUOTE '''' NULL 'NULL'", "9,'it''s',NULL\n10,NULL,NULL\n11,'NULL',NULL\n", 3},
	}
	var total int64
	for _, tc := range cases {
		tag, err := pc.CopyFrom(ctx, strings.NewReader(tc.data), tc.copy)
		if err != nil {
			t.Fatalf("%s: %v", tc.copy, err)
		}
		if tag.RowsAffected() != tc.rows {
			t.Errorf("%s: tag %q, want %d rows", tc.copy, tag, tc.rows)
		}
		total += tc.rows
	}
	want := []string{
		"1|plain|1.5", "2|<null>|<null>", "3|tab\there\\back\nline|-2", "4|<null>|<null>", "5|AB|<null>",
		"6|multi\nline, \"quoted\"|7", "7|<null>|<null>", "8||0", "9|it's|<null>", "10|<null>|<null>", "11|NULL|<null>",
	}
	got := queryStrings(t, conn, "SELECT a, b, d FROM c ORDER BY a")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows after COPY:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// COPY TO in each format gives back what PostgreSQL prints.
	outs := []struct{ copy, want string }{
		{"COPY (SELECT a, b FROM c WHERE a IN (2, 3, 8) ORDER BY a) TO STDOUT", "2\t\\N\n3\ttab\\there\\\\back\\nline\n8\t\n"},
		{"COPY (SELECT a, b FROM c WHERE a IN (2, 6, 8, 9) ORDER BY a) TO STDOUT WITH (FORMAT csv, HEADER)", "a,b\n2,\n6,\"multi\nline, \"\"quoted\"\"\"\n8,\"\"\n9,it's\n"},
		{"COPY (SELECT a, d FROM c WHERE a < 3 ORDER BY a) TO STDOUT (DELIMITER ';', NULL '-')", "1;1.5\n2;-\n"},
	}
	for _, o := range outs {
		var buf bytes.Buffer
		if _, err := pc.CopyTo(ctx, &buf, o.copy); err != nil {
			t.Fatalf("%s: %v", o.copy, err)
		}
		if buf.String() != o.want {
			t.Errorf("%s:\n%q\nwant\n%q", o.copy, buf.String(), o.want)
		}
	}
	var buf bytes.Buffer
	tag, err := pc.CopyTo(ctx, &buf, "COPY c TO STDOUT")
	if err != nil || tag.RowsAffected() != total || strings.Count(buf.String(), "\n") != int(total) {
		t.Errorf("COPY c TO STDOUT: %v, %v, %d lines", tag, err, strings.Count(buf.String(), "\n"))
	}
}

func TestCopyErrors(t *testing.T) {
	ts := startServer(t, Config{})
	conn := ts.connect(t)
	ctx := context.Background()
	pc := conn.PgConn()
	mustExec(t, conn, "CREATE TABLE e (a int PRIMARY KEY, b text NOT NULL)")
	cases := []struct {
		copy, data, code string
	}{
		{"COPY e FROM STDIN", "1\tok\nx\tbad\n", "22P02"},
		{"COPY e FROM STDIN", "1\tok\n2\n", "22P04"},
		{"COPY e FROM STDIN", "1\tok\t3\n", "22P04"},
		{"COPY e FROM STDIN", "1\tok\n1\tdup\n", "23505"},
		{"COPY e FROM STDIN", "1\t\\N\n", "23502"},
		{"COPY e FROM STDIN CSV", "1,\"never closed\n", "22P04"},
		{"COPY e FROM '/etc/passwd'", "", "42501"},
		{"COPY e FROM STDIN WITH (FORMAT xml)", "", "22023"},
		{"COPY missing FROM STDIN", "", "42P01"},
	}
	for _, tc := range cases {
		_, err := pc.CopyFrom(ctx, strings.NewReader(tc.data), tc.copy)
		if got := sqlstate(err); got != tc.code {
			t.Errorf("%s with %q: %v (%s), want %s", tc.copy, tc.data, err, got, tc.code)
		}
	}
	// A failed COPY inserts nothing, and the session goes on.
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM e").Scan(&n); err != nil || n != 0 {
		t.Errorf("after failed COPYs: %d rows, %v", n, err)
	}
	// The client can abandon a COPY with CopyFail (pgconn does when the
	// reader fails).
	_, err := pc.CopyFrom(ctx, failingReader{}, "COPY e FROM STDIN")
	if got := sqlstate(err); got != "57014" {
		t.Errorf("CopyFail: %v (%s), want 57014", err, got)
	}
	// Inside a block, COPY's rows commit with the block.
	mustExec(t, conn, "BEGIN")
	if _, err := pc.CopyFrom(ctx, strings.NewReader("5\tfive\n"), "COPY e FROM STDIN"); err != nil {
		t.Fatal(err)
	}
	mustExec(t, conn, "ROLLBACK")
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM e").Scan(&n); err != nil || n != 0 {
		t.Errorf("COPY inside a rolled-back block left %d rows, %v", n, err)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, fmt.Errorf("source broke") }

// TestCopyChunking feeds COPY data split at every byte: rows must not
// depend on where the client's CopyData messages end.
func TestCopyChunking(t *testing.T) {
	cols := []planner.Column{{Name: "a", TypeOID: 23}, {Name: "b", TypeOID: 25}}
	cases := []struct {
		opts planner.CopyOptions
		data string
	}{
		{planner.CopyOptions{Format: "text", Delimiter: "\t", Null: `\N`}, "1\ta\\tb\r\n2\t\\N\n3\t\\x4a\\101\n"},
		{planner.CopyOptions{Format: "csv", Delimiter: ",", Null: "", Quote: `"`, Escape: `"`, Header: true}, "a,b\r\n1,\"x\"\"\r\ny\"\n2,\n3,\"\"\n"},
	}
	for _, tc := range cases {
		req := &planner.CopyRequest{In: true, Options: tc.opts, Columns: cols}
		var whole []string
		parse := func(chunk int) []string {
			p := &copyParser{req: req, max: 1 << 20, header: tc.opts.Header}
			var out []string
			row := func(vals []planner.Value, line planner.CopyLine) bool {
				// Where a row came from must not depend on chunking either.
				out = append(out, fmt.Sprintf("line %d %q %v", line.Number, line.Text, vals))
				return true
			}
			for i := 0; i < len(tc.data); i += chunk {
				if err := p.feed([]byte(tc.data[i:min(i+chunk, len(tc.data))]), row); err != nil {
					t.Fatalf("chunk %d: %v", chunk, err)
				}
			}
			if err := p.finish(row); err != nil {
				t.Fatal(err)
			}
			return out
		}
		whole = parse(len(tc.data))
		if len(whole) != 3 {
			t.Fatalf("%s: %d rows: %v", tc.opts.Format, len(whole), whole)
		}
		for chunk := 1; chunk < len(tc.data); chunk++ {
			if got := parse(chunk); fmt.Sprint(got) != fmt.Sprint(whole) {
				t.Fatalf("%s in chunks of %d: %v, want %v", tc.opts.Format, chunk, got, whole)
			}
		}
	}
}

func TestPsqlCopy(t *testing.T) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		t.Skip("psql not installed (make test installs it with scripts/install-test-deps.sh)")
	}
	ts := startServer(t, Config{})
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	if err := os.WriteFile(in, []byte("id,name\n1,one\n2,\"t,wo\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.txt")
	script := fmt.Sprintf("CREATE TABLE p (id int PRIMARY KEY, name text);\n\\copy p from '%s' csv header\n\\copy p to '%s'\n", in, out)
	_, port, _ := strings.Cut(ts.addr, ":")
	cmd := exec.Command(psql, "-X", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", port, "-U", "aspen", "aspen")
	cmd.Stdin = strings.NewReader(script)
	got, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("psql: %v\n%s", err, got)
	}
	if string(got) != "CREATE TABLE\nCOPY 2\nCOPY 2\n" {
		t.Errorf("psql printed %q", got)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != "1\tone\n2\tt,wo\n" {
		t.Errorf("\\copy to wrote %q", data)
	}
}

// queryStrings renders each row as its values joined by |, NULL as <null>.
func queryStrings(t *testing.T, conn *pgx.Conn, sql string) []string {
	t.Helper()
	rows, err := conn.Query(context.Background(), sql, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		raw := rows.RawValues()
		vals := make([]string, len(raw))
		for i, v := range raw {
			if v == nil {
				vals[i] = "<null>"
			} else {
				vals[i] = string(v)
			}
		}
		out = append(out, strings.Join(vals, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
