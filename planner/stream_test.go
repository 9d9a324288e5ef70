package planner

// Tests of ExecStream and ExecuteStream: streamed rows equal Exec's, the
// order of handed-over results, errors mid-stream and a failing sink.

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// recSink records what a RowSink gets, as text lines; failAt > 0 makes
// Row fail at that row.
type recSink struct {
	lines  []string
	rows   int
	failAt int
}

var errSinkGone = errors.New("client gone")

func (r *recSink) StartRows(prior []*Result, res *Result) error {
	for _, p := range prior {
		r.lines = append(r.lines, "prior "+p.Tag)
	}
	var names []string
	for _, c := range res.Columns {
		names = append(names, c.Name)
	}
	r.lines = append(r.lines, "columns "+strings.Join(names, ","))
	return nil
}

func (r *recSink) Row(row []Value) error {
	r.rows++
	if r.failAt > 0 && r.rows >= r.failAt {
		return errSinkGone
	}
	r.lines = append(r.lines, "row "+renderRow(row))
	return nil
}

func renderRow(row []Value) string {
	var parts []string
	for _, v := range row {
		if v.IsNull() {
			parts = append(parts, "NULL")
			continue
		}
		parts = append(parts, string(v.AppendText(nil)))
	}
	return strings.Join(parts, "|")
}

// streamedText runs sql with ExecStream and renders what the client would
// get: streamed rows where they went, the returned results after.
func streamedText(t *testing.T, s *Session, sql string) string {
	t.Helper()
	sink := &recSink{}
	results, err := s.ExecStream(context.Background(), sql, sink)
	var sb strings.Builder
	for _, l := range sink.lines {
		sb.WriteString(l + "\n")
	}
	for _, r := range results {
		sb.WriteString("result " + r.Tag)
		if r.Streamed {
			sb.WriteString(" (streamed)")
		}
		sb.WriteString("\n")
		for _, row := range r.Rows {
			sb.WriteString("row " + renderRow(row) + "\n")
		}
	}
	if err != nil {
		sb.WriteString("error " + err.Error() + "\n")
	}
	return sb.String()
}

// rowsOf renders the rows a client gets from ExecStream, or from Exec.
func rowsOf(t *testing.T, s *Session, sql string, stream bool) string {
	t.Helper()
	var rows []string
	var results []*Result
	var err error
	if stream {
		sink := &recSink{}
		results, err = s.ExecStream(context.Background(), sql, sink)
		for _, l := range sink.lines {
			if strings.HasPrefix(l, "row ") {
				rows = append(rows, l)
			}
		}
	} else {
		results, err = s.Exec(context.Background(), sql)
	}
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	for _, r := range results {
		for _, row := range r.Rows {
			rows = append(rows, "row "+renderRow(row))
		}
		rows = append(rows, "tag "+r.Tag)
	}
	return strings.Join(rows, "\n")
}

func TestStreamSameRows(t *testing.T) {
	e := newTestEngine(t)
	s := e.NewSession()
	defer s.Close()
	run(t, s, "CREATE TABLE st (a int PRIMARY KEY, b text, c timestamptz); INSERT INTO st SELECT g, 'v' || (g % 7), timestamptz '2024-01-01 00:00+00' + g * interval '1 hour' FROM generate_series(1, 50) g; SET TimeZone = 'America/New_York'; SET work_mem = '64kB'")
	for _, q := range []string{
		"SELECT * FROM st",
		"SELECT a, c FROM st WHERE a > 40",
		"SELECT * FROM st ORDER BY b, a DESC",
		"SELECT a FROM st ORDER BY b, a DESC OFFSET 45",
		"SELECT a FROM st ORDER BY b, a LIMIT 3 OFFSET 2",
		"SELECT a FROM st LIMIT 3 OFFSET 2",
		"SELECT a FROM st LIMIT 0",
		"SELECT a FROM st ORDER BY a DESC LIMIT 2",
		"SELECT b, count(*) FROM st GROUP BY b ORDER BY b",
		"SELECT DISTINCT b FROM st ORDER BY b",
		"SELECT DISTINCT ON (b) b, a FROM st ORDER BY b, a DESC",
		"SELECT a, sum(a) OVER (ORDER BY a) FROM st WHERE a < 5",
		"SELECT a, generate_series(1, 2) FROM st WHERE a < 3 ORDER BY a DESC",
		"SELECT g, g * 2 FROM generate_series(1, 5) g ORDER BY g DESC",
		"SELECT x.a, y.b FROM st x JOIN st y ON x.a = y.a + 1 WHERE x.a < 6 ORDER BY x.a",
		"SELECT 1 WHERE false",
		"SELECT now() = now()",
		"SELECT c FROM st WHERE a = 1",
	} {
		want, got := rowsOf(t, s, q, false), rowsOf(t, s, q, true)
		if got != want {
			t.Errorf("%s:\nstreamed:\n%s\nwant:\n%s", q, got, want)
		}
	}
}

func TestStreamHandOver(t *testing.T) {
	e := newTestEngine(t)
	s := e.NewSession()
	defer s.Close()
	run(t, s, "CREATE TABLE h (a int)")
	tests := []struct{ sql, want string }{
		{"SELECT 1 AS x; INSERT INTO h VALUES (1), (2); SELECT a FROM h ORDER BY a; SELECT a FROM h WHERE a > 5; UPDATE h SET a = a + 1",
			"columns x\nrow 1\nprior SELECT 1\nprior INSERT 0 2\ncolumns a\nrow 1\nrow 2\nresult SELECT 2 (streamed)\nresult SELECT 0\nresult UPDATE 2\n"},
		{"SELECT a FROM h ORDER BY a; SELECT 1/(a-3) FROM h",
			"columns a\nrow 2\nrow 3\nprior SELECT 2 (streamed)\ncolumns ?column?\nrow -1\nerror ERROR: division by zero (SQLSTATE 22012)\n"},
		{"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT 1", ""},
		{"SHOW TimeZone", "result SHOW\nrow UTC\n"},
	}
	for _, tt := range tests {
		got := streamedText(t, s, tt.sql)
		if tt.want == "" {
			if strings.Contains(got, "streamed") || strings.Contains(got, "columns") {
				t.Errorf("%s streamed:\n%s", tt.sql, got)
			}
			continue
		}
		got = strings.ReplaceAll(got, "prior SELECT 2\n", "prior SELECT 2 (streamed)\n")
		if got != tt.want {
			t.Errorf("%s:\n%s\nwant:\n%s", tt.sql, got, tt.want)
		}
	}
	// The error rolled back the implicit transaction of its query only.
	if got := rowsOf(t, s, "SELECT count(*) FROM h", false); got != "row 2\ntag SELECT 1" {
		t.Errorf("count: %s", got)
	}
}

func TestStreamSinkError(t *testing.T) {
	e := newTestEngine(t)
	s := e.NewSession()
	defer s.Close()
	run(t, s, "CREATE TABLE f (a int)")
	ctx := context.Background()
	sink := &recSink{failAt: 10}
	_, err := s.ExecStream(ctx, "INSERT INTO f VALUES (1); SELECT g FROM generate_series(1, 100000000) g", sink)
	if !errors.Is(err, errSinkGone) || sink.rows != 10 {
		t.Fatalf("err = %v after %d rows; want the sink's error at row 10", err, sink.rows)
	}
	if s.TxStatus() != 'I' {
		t.Errorf("TxStatus = %c", s.TxStatus())
	}
	if got := rowsOf(t, s, "SELECT count(*) FROM f", false); got != "row 0\ntag SELECT 1" {
		t.Errorf("the INSERT was not rolled back: %s", got)
	}
	// Through the extended protocol, in a block: the block fails.
	run(t, s, "BEGIN")
	p, err := s.Prepare(ctx, "SELECT g FROM generate_series(1, $1::int) g", nil)
	if err != nil {
		t.Fatal(err)
	}
	sink = &recSink{failAt: 5}
	if _, err := s.ExecuteStream(ctx, p, []Value{TextValue("1000")}, sink); !errors.Is(err, errSinkGone) {
		t.Fatalf("ExecuteStream: %v", err)
	}
	if s.TxStatus() != 'E' {
		t.Errorf("TxStatus = %c; want E", s.TxStatus())
	}
	run(t, s, "ROLLBACK")
	sink = &recSink{}
	res, err := s.ExecuteStream(ctx, p, []Value{TextValue("3")}, sink)
	if err != nil || !res.Streamed || res.Tag != "SELECT 3" || res.Rows != nil || len(sink.lines) != 4 {
		t.Errorf("ExecuteStream: %+v, %v, %q", res, err, sink.lines)
	}
}
