package planner

// pg_stat_activity, pg_stat_database and pg_stat_user_tables values that
// depend on timing or on other sessions, which the golden files (run on
// PostgreSQL too) cannot hold.

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestStatActivitySessions(t *testing.T) {
	e := newTestEngine(t)
	s1, s2 := e.NewSession(), e.NewSession()
	defer s1.Close()
	s1.SetIdentity("aspen", "aspen")
	s1.SetBackendPID(101)
	s2.SetIdentity("aspen", "aspen")
	s2.SetBackendPID(102)
	const q = "SELECT pid, state, query, xact_start IS NOT NULL, application_name, backend_type FROM pg_stat_activity ORDER BY pid"
	steps := []struct {
		sql2 string // run in s2 first ("" for none)
		want string // then q in s1
	}{
		{"", "101 | active | " + q + " | true | psql | client backend\n" +
			"102 | idle |  | false |  | client backend\n"},
		{"SET application_name = 'app2'", "101 | active | " + q + " | true | psql | client backend\n" +
			"102 | idle | SET application_name = 'app2' | false | app2 | client backend\n"},
		{"BEGIN; SELECT 1", "101 | active | " + q + " | true | psql | client backend\n" +
			"102 | idle in transaction | BEGIN; SELECT 1 | true | app2 | client backend\n"},
		{"SELECT nosuch", "101 | active | " + q + " | true | psql | client backend\n" +
			"102 | idle in transaction (aborted) | SELECT nosuch | true | app2 | client backend\n"},
		{"ROLLBACK", "101 | active | " + q + " | true | psql | client backend\n" +
			"102 | idle | ROLLBACK | false | app2 | client backend\n"},
	}
	run(t, s1, "SET application_name = 'psql'")
	for _, st := range steps {
		if st.sql2 != "" {
			run(t, s2, st.sql2)
		}
		got := run(t, s1, q)
		if i := strings.IndexByte(got, '\n'); i >= 0 {
			got = got[i+1:] // the column line
		}
		got = strings.TrimSuffix(got, "SELECT 2\n")
		got = strings.ReplaceAll(got, " | t | ", " | true | ")
		got = strings.ReplaceAll(got, " | f | ", " | false | ")
		got = strings.ReplaceAll(got, " | NULL | ", " |  | ")
		if got != st.want {
			t.Errorf("after %q:\ngot  %q\nwant %q", st.sql2, got, st.want)
		}
	}
	if got := run(t, s1, "SELECT datname, numbackends FROM pg_stat_database WHERE datname = 'aspen'"); !strings.Contains(got, "aspen | 2\n") {
		t.Errorf("pg_stat_database with two sessions: %s", got)
	}
	s2.Close()
	if got := run(t, s1, "SELECT count(*), min(pid) FROM pg_stat_activity"); !strings.Contains(got, "\n1 | 101\n") {
		t.Errorf("pg_stat_activity after Close: %s", got)
	}
	if got := run(t, s1, "SELECT pg_backend_pid(), usename, datname FROM pg_stat_activity"); !strings.Contains(got, "\n101 | aspen | aspen\n") {
		t.Errorf("pg_backend_pid: %s", got)
	}
}

func TestStatUserTablesAnalyze(t *testing.T) {
	e := newTestEngine(t)
	s := e.NewSession()
	defer s.Close()
	for _, sql := range []string{
		"CREATE TABLE sa (id int PRIMARY KEY, v text)",
		"INSERT INTO sa SELECT g, 'x' FROM generate_series(1, 30) g",
	} {
		if out := run(t, s, sql); strings.Contains(out, "ERROR") {
			t.Fatalf("%s: %s", sql, out)
		}
	}
	const q = "SELECT n_live_tup, last_analyze IS NULL, analyze_count, (extract(epoch FROM last_analyze) * 1000000)::bigint FROM pg_stat_user_tables WHERE relname = 'sa'"
	if got := run(t, s, q); !strings.Contains(got, "\n0 | t | 0 | NULL\n") {
		t.Errorf("before ANALYZE: %s", got)
	}
	before := time.Now()
	run(t, s, "ANALYZE sa")
	after := time.Now()
	got := run(t, s, q)
	var rows, count, us int64
	var null string
	line := strings.Split(got, "\n")[1]
	if _, err := fmtSscan(line, &rows, &null, &count, &us); err != nil || rows != 30 || null != "f" || count != 1 {
		t.Fatalf("after ANALYZE: %s (%v)", got, err)
	}
	if at := time.UnixMicro(us); at.Before(before.Truncate(time.Microsecond)) || at.After(after) {
		t.Errorf("last_analyze %v not within [%v, %v]", at, before, after)
	}
	run(t, s, "DELETE FROM sa WHERE id > 10")
	run(t, s, "ANALYZE sa (v)")
	if got := run(t, s, q); !strings.Contains(got, "\n10 | f | 2 | ") {
		t.Errorf("after a second ANALYZE: %s", got)
	}
}

// fmtSscan reads "a | b | c" fields into the pointers.
func fmtSscan(line string, ptrs ...any) (int, error) {
	return fmt.Sscan(strings.ReplaceAll(line, " | ", " "), ptrs...)
}

// TestStandardDatabases checks the databases initdb makes, which Aspen
// lists (empty) besides its own: their sizes and owners.
func TestStandardDatabases(t *testing.T) {
	e := newTestEngine(t)
	s := e.NewSession()
	defer s.Close()
	run(t, s, "CREATE TABLE sd (id int PRIMARY KEY)")
	run(t, s, "INSERT INTO sd VALUES (1)")
	for _, c := range []struct{ sql, want string }{
		{"SELECT pg_database_size(4), pg_database_size('template1'), pg_database_size('postgres')", "0 | 0 | 0\n"},
		{"SELECT pg_database_size(current_database()) > 0, pg_database_size((SELECT oid FROM pg_database WHERE datname = current_database())) > 0", "t | t\n"},
		{"SELECT pg_database_size('nosuch')", "ERROR 3D000: database \"nosuch\" does not exist\n"},
		{"SELECT string_agg(datname || ':' || pg_get_userbyid(datdba) || ':' || coalesce(array_to_string(datacl, ','), '-'), ' ' ORDER BY oid) FROM pg_database", "template1:aspen:=c/aspen,aspen=CTc/aspen template0:aspen:=c/aspen,aspen=CTc/aspen postgres:aspen:- aspen:aspen:-\n"},
	} {
		got := run(t, s, c.sql)
		if i := strings.IndexByte(got, '\n'); i >= 0 && !strings.HasPrefix(got, "ERROR") {
			got = strings.TrimSuffix(got[i+1:], "SELECT 1\n")
		}
		if got != c.want {
			t.Errorf("%s:\ngot  %q\nwant %q", c.sql, got, c.want)
		}
	}
}
