package planner

// Tests of spilling past work_mem: results equal the in-memory ones,
// temporary files are removed, and the limits give PostgreSQL's errors.

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// newSpillEngine returns a test engine whose temporary files go to a
// directory of the test, and that directory.
func newSpillEngine(t *testing.T) (*Engine, string) {
	t.Helper()
	e := newTestEngine(t)
	dir := filepath.Join(t.TempDir(), "tmp")
	if err := e.SetTempDir(dir, -1); err != nil {
		t.Fatal(err)
	}
	return e, dir
}

// tempFiles lists what the temporary directory holds.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

// spillSetup fills a table of 20,000 rows of several types.
func spillSetup(t *testing.T, s *Session) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.Exec(ctx, `CREATE TABLE big (id int PRIMARY KEY, g int, t text, n numeric, a int[], j jsonb, iv interval, ts timestamptz)`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Exec(ctx, `INSERT INTO big SELECT i, i % 997, CASE WHEN i % 13 = 0 THEN NULL ELSE md5(i::text) END,
		(i % 101)::numeric / 7, ARRAY[i % 5, NULL, i], jsonb_build_object('k', i % 17, 's', 'x' || i),
		(i % 40) * interval '1 day' + (i % 3600 / 10.0) * interval '1 second', timestamptz '2020-01-01 00:00:00+00' + i * interval '1 minute'
		FROM generate_series(1, 20000) AS i`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Exec(ctx, `CREATE TABLE small (k int PRIMARY KEY, name text); INSERT INTO small SELECT i, 'name' || i FROM generate_series(0, 1200) AS i`); err != nil {
		t.Fatal(err)
	}
}

// TestSpill runs the spilling operators on a real store: the same
// results as in memory, no temporary file left after success, error,
// cancel or session end, and temp_file_limit's 53400.
func TestSpill(t *testing.T) {
	e, dir := newSpillEngine(t)
	s := e.NewSession()
	spillSetup(t, s)
	t.Run("SameResults", func(t *testing.T) { testSpillSameResults(t, e, s, dir) })
	t.Run("Errors", func(t *testing.T) { testSpillErrors(t, e, s, dir) })
	t.Run("Cancel", func(t *testing.T) { testSpillCancel(t, e, dir) })
	t.Run("Limits", func(t *testing.T) { testSpillLimits(t, e, dir) })
}

// testSpillSameResults runs queries with the default work_mem and with
// 64kB: the results (and the order of ORDER BY) must be the same, the
// small setting must have spilled, and no temporary file may be left.
func testSpillSameResults(t *testing.T, e *Engine, s *Session, dir string) {
	queries := []string{
		"SELECT * FROM big ORDER BY t, n DESC, id",
		"SELECT id, t FROM big ORDER BY g, t NULLS FIRST",
		"SELECT g, count(*), sum(n), min(t), max(ts), avg(id), array_agg(id ORDER BY id DESC) FROM big GROUP BY g ORDER BY g",
		"SELECT t, count(*) FROM big GROUP BY t ORDER BY 1",
		"SELECT count(*), sum(c), max(m) FROM (SELECT t, count(*) AS c, max(id) AS m FROM big GROUP BY t) x",
		"SELECT count(*), sum(c) FROM (SELECT g, t IS NULL, count(*) AS c FROM big GROUP BY 1, 2 HAVING count(*) > 1) x",
		"SELECT g, (SELECT name FROM small s WHERE s.k = b.g), count(*) FROM big b GROUP BY g ORDER BY g",
		"SELECT b.id, b.t, s.name FROM big b JOIN small s ON s.k = b.g ORDER BY b.id",
		"SELECT count(*), sum(b.id), count(s.name) FROM big b LEFT JOIN small s ON s.k = b.g + 300",
		"SELECT count(*), count(b.id), count(s.k) FROM small s FULL JOIN big b ON s.k = b.g * 2",
		"SELECT count(*), count(b.id), count(s.k) FROM big b RIGHT JOIN small s ON s.k = b.g * 2",
		"SELECT count(*), sum(a.g * b.g), max(b.t) FROM big a JOIN big b ON a.id = b.id + 1",
		"SELECT count(*), count(DISTINCT s.t) FROM big a JOIN (SELECT 1 AS k, t FROM big LIMIT 3000) s ON a.id % 1000 = s.k",
		"SELECT count(*), count(a.id), count(b.id), count(a.t) FROM big a FULL JOIN big b ON a.t = b.t",
		"SELECT count(*), count(a.id), count(b.id) FROM big a LEFT JOIN big b ON a.t = b.t AND b.id % 2 = 0",
		"SELECT count(*), count(a.id), count(b.id) FROM big a RIGHT JOIN big b ON a.t = b.t AND a.id % 3 = 0",
		"SELECT DISTINCT g % 50, n FROM big ORDER BY 1, 2",
		"SELECT count(*) FROM (SELECT DISTINCT t FROM big) d",
		"SELECT g FROM big UNION SELECT id FROM big ORDER BY 1",
		"SELECT count(*) FROM (SELECT g, t FROM big INTERSECT SELECT g, t FROM big WHERE id % 2 = 0) x",
		"SELECT count(*) FROM (SELECT g, t FROM big EXCEPT ALL SELECT g, t FROM big WHERE id % 3 = 0) x",
		"SELECT id, sum(id) OVER (PARTITION BY g ORDER BY id) FROM big ORDER BY id",
	}
	// The rows in memory, with a work_mem nothing passes.
	run(t, s, "SET work_mem = '1GB'")
	before := e.tmp.seq.Load()
	want := make([]string, len(queries))
	for i, q := range queries {
		want[i] = run(t, s, q)
		if strings.Contains(want[i], "ERROR") {
			t.Errorf("%s: %s", q, want[i])
		}
	}
	if e.tmp.seq.Load() != before {
		t.Fatal("work_mem 1GB spilled")
	}
	run(t, s, "SET work_mem = '64kB'")
	for i, q := range queries {
		before := e.tmp.seq.Load()
		got := run(t, s, q)
		if got != want[i] {
			t.Errorf("%s: results differ with work_mem 64kB:\n%.500s\nwant\n%.500s", q, got, want[i])
		}
		if e.tmp.seq.Load() == before {
			t.Errorf("%s: did not spill", q)
		}
		if files := tempFiles(t, dir); len(files) != 0 {
			t.Errorf("%s: left temporary files %v", q, files)
		}
	}
	checkNoTempFiles(t, e, s, dir)
	run(t, s, "RESET work_mem")
}

// checkNoTempFiles fails the test when a temporary file is left or still
// counted.
func checkNoTempFiles(t *testing.T, e *Engine, s *Session, dir string) {
	t.Helper()
	if files := tempFiles(t, dir); len(files) != 0 {
		t.Errorf("temporary files left: %v", files)
	}
	if len(s.spill.files) != 0 || s.spill.used != 0 || e.tmp.used.Load() != 0 {
		t.Errorf("temporary files still counted: session %d files %d bytes, engine %d bytes", len(s.spill.files), s.spill.used, e.tmp.used.Load())
	}
}

// testSpillErrors fails statements after they spilled (an error in an
// expression, in a transaction block and out of it): the files go.
func testSpillErrors(t *testing.T, e *Engine, s *Session, dir string) {
	run(t, s, "SET work_mem = '64kB'")
	defer run(t, s, "RESET work_mem")
	for _, q := range []string{
		"SELECT id, t FROM big ORDER BY t, 1 / (id - 15000)",
		"SELECT g, sum(1 / (id - 15000)) FROM big GROUP BY g",
		"SELECT count(*) FROM big b JOIN small s ON s.k = b.g AND 1 / (b.id - 15000) > 0",
		"SELECT 1 / (count(*) - count(*)) FROM (SELECT DISTINCT t FROM big) d",
		"SELECT 1 / (count(*) - count(*)) FROM (SELECT t FROM big UNION SELECT g::text FROM big) u",
	} {
		before := e.tmp.seq.Load()
		got := run(t, s, q)
		if !strings.Contains(got, "ERROR 22012") {
			t.Errorf("%s: got %.300s, want division by zero", q, got)
		}
		if e.tmp.seq.Load() == before {
			t.Errorf("%s: failed before spilling", q)
		}
		checkNoTempFiles(t, e, s, dir)
	}
	run(t, s, "BEGIN")
	if got := run(t, s, "SELECT id FROM big ORDER BY t, 1 / (id - 15000)"); !strings.Contains(got, "ERROR 22012") {
		t.Errorf("in a block: %.300s", got)
	}
	checkNoTempFiles(t, e, s, dir)
	run(t, s, "ROLLBACK")
}

// testSpillCancel cancels statements while they spill.
func testSpillCancel(t *testing.T, e *Engine, dir string) {
	s := e.NewSession()
	defer s.Close()
	run(t, s, "SET work_mem = '64kB'")
	for _, q := range []string{
		"SELECT * FROM big ORDER BY t, n, id",
		"SELECT count(*) FROM big a JOIN big b ON a.id = b.id",
		"SELECT count(*) FROM (SELECT t, count(*) FROM big GROUP BY t) x",
	} {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			for ctx.Err() == nil {
				if ents, err := os.ReadDir(dir); err == nil && len(ents) > 0 {
					cancel()
					return
				}
				time.Sleep(time.Millisecond)
			}
		}()
		_, err := s.Exec(ctx, q)
		cancel()
		<-done
		if code := sqlerr.Code(err); code != sqlerr.QueryCanceled {
			t.Errorf("%s: err %v, want 57014", q, err)
		}
		checkNoTempFiles(t, e, s, dir)
	}
}

// testSpillLimits checks temp_file_limit, the engine's cap and Close.
func testSpillLimits(t *testing.T, e *Engine, dir string) {
	s := e.NewSession()
	run(t, s, "SET work_mem = '64kB'")
	run(t, s, "SET temp_file_limit = '100kB'")
	want := "ERROR 53400: temporary file size exceeds temp_file_limit (100kB)\n"
	for _, q := range []string{
		"SELECT count(*) FROM (SELECT * FROM big ORDER BY t) x",
		"SELECT count(*) FROM big a JOIN big b ON a.id = b.id",
		"SELECT count(*) FROM (SELECT t, count(*) FROM big GROUP BY t) x",
	} {
		if got := run(t, s, q); got != want {
			t.Errorf("%s: got %q, want %q", q, got, want)
		}
		checkNoTempFiles(t, e, s, dir)
	}
	run(t, s, "RESET temp_file_limit")
	// The engine's cap on all sessions' files.
	if err := e.SetTempDir(dir, 200<<10); err != nil {
		t.Fatal(err)
	}
	got := run(t, s, "SELECT count(*) FROM (SELECT * FROM big ORDER BY t) x")
	if !strings.HasPrefix(got, "ERROR 53400: temporary file size exceeds the server's limit on temporary files (200kB)") {
		t.Errorf("engine cap: got %q", got)
	}
	checkNoTempFiles(t, e, s, dir)
	if err := e.SetTempDir(dir, -1); err != nil {
		t.Fatal(err)
	}
	// Files of an operator still open go when the session closes.
	f, err := newSpillFile(&evalCtx{sess: s})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.writeRow(nil); err != nil {
		t.Fatal(err)
	}
	if len(tempFiles(t, dir)) != 1 {
		t.Fatal("no temporary file made")
	}
	s.Close()
	checkNoTempFiles(t, e, s, dir)
}

// TestMemorySettings checks the parsing and display of work_mem and
// temp_file_limit against what PostgreSQL 15 does.
func TestMemorySettings(t *testing.T) {
	for _, tt := range []struct {
		name, in, want, err string
	}{
		{"work_mem", "64kB", "64kB", ""},
		{"work_mem", "4096", "4MB", ""},
		{"work_mem", "1024kB", "1MB", ""},
		{"work_mem", "1000kB", "1000kB", ""},
		{"work_mem", "1GB", "1GB", ""},
		{"work_mem", "1048576MB", "1TB", ""},
		{"work_mem", "0.5MB", "512kB", ""},
		{"work_mem", "100000B", "98kB", ""},
		{"work_mem", " 65.5 kB ", "66kB", ""},
		{"work_mem", "1e3", "1000kB", ""},
		{"work_mem", "10", "", `10 kB is outside the valid range for parameter "work_mem" (64 .. 2147483647)`},
		{"work_mem", "-1", "", `-1 kB is outside the valid range for parameter "work_mem" (64 .. 2147483647)`},
		{"work_mem", "abc", "", `invalid value for parameter "work_mem": "abc"`},
		{"work_mem", "", "", `invalid value for parameter "work_mem": ""`},
		{"work_mem", "10 mb", "", `invalid value for parameter "work_mem": "10 mb"`},
		{"work_mem", "3TB", "", `invalid value for parameter "work_mem": "3TB"`},
		{"work_mem", "0x100", "256kB", ""},
		{"work_mem", "0100", "64kB", ""},
		{"work_mem", "+100 ", "100kB", ""},
		{"work_mem", "1.5GB", "1536MB", ""},
		{"work_mem", "100.4", "100kB", ""},
		{"work_mem", "1.5", "", `2 kB is outside the valid range for parameter "work_mem" (64 .. 2147483647)`},
		{"work_mem", "089", "", `invalid value for parameter "work_mem": "089"`},
		{"work_mem", "64kb", "", `invalid value for parameter "work_mem": "64kb"`},
		{"temp_file_limit", "-1", "-1", ""},
		{"temp_file_limit", "0", "0", ""},
		{"temp_file_limit", "2048", "2MB", ""},
		{"temp_file_limit", "-2", "", `-2 kB is outside the valid range for parameter "temp_file_limit" (-1 .. 2147483647)`},
		{"statement_timeout", "5s", "5s", ""},
	} {
		got, err := normalizeSetting(tt.name, tt.in)
		if tt.err != "" {
			if e := sqlerr.As(err); e == nil || e.Code != sqlerr.InvalidParameterValue || e.Message != tt.err {
				t.Errorf("%s = %q: err %v, want %q", tt.name, tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s = %q: %q, %v; want %q", tt.name, tt.in, got, err, tt.want)
		}
	}
}

// TestSetTempDir checks that setting the directory removes the temporary
// files an earlier process left, and nothing else.
func TestSetTempDir(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"pgsql_tmp123.4", "pgsql_tmp9.1", "keep.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	e := NewEngine(nil)
	if err := e.SetTempDir(dir, 0); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(tempFiles(t, dir), ","); got != "keep.txt,sub" {
		t.Errorf("directory holds %s, want keep.txt,sub", got)
	}
	if e.tmp.limit <= 0 {
		t.Errorf("default cap %d, want a tenth of the free space", e.tmp.limit)
	}
	if err := e.SetTempDir(filepath.Join(dir, "new", "tmp"), -1); err != nil {
		t.Fatal(err)
	}
	if e.tmp.limit != 0 {
		t.Errorf("cap %d, want none", e.tmp.limit)
	}
}
