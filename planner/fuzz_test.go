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

// FuzzParseBind feeds arbitrary SQL text through parse, bind and execute
// (inside a transaction that is rolled back) on a real store holding a few
// tables. It must never panic, and every error must be a SQL error: an
// XX000 internal error is a bug. Panics are not recovered here, so they
// fail the fuzzer.
//
//	go test -run '^$' -fuzz FuzzParseBind -fuzztime 60s ./planner/
func FuzzParseBind(f *testing.F) {
	seeds := []string{
		"SELECT 1+2, 'a' || 'b'", "SELECT * FROM t WHERE a = 1", "SELECT count(*), sum(b) FROM t GROUP BY c HAVING count(*) > 1",
		"INSERT INTO t VALUES (1, 2.5, 'x') RETURNING *", "UPDATE t SET b = b * 2 WHERE a BETWEEN 1 AND 3",
		"DELETE FROM t WHERE c LIKE 'x%'", "CREATE TABLE u (x int PRIMARY KEY, y text UNIQUE DEFAULT 'q')",
		"SELECT $1::int + $2", "SELECT CASE WHEN a > 1 THEN 'x' END FROM t ORDER BY 1 DESC NULLS FIRST LIMIT 2 OFFSET 1",
		"SELECT 1e1000::numeric / 3, 'NaN'::float8, -9223372036854775808 / -1",
		"BEGIN; SELECT 1", "SET x.y = 1; SHOW x.y", "SELECT DISTINCT c FROM t",
		"SELECT * FROM t JOIN h ON t.a = h.x LEFT JOIN t t2 USING (a)", "SELECT a FROM t WHERE a IN (SELECT x FROM h) OR EXISTS (SELECT 1 FROM h WHERE h.x = t.a)",
		"SELECT a FROM t UNION SELECT x FROM h ORDER BY 1", "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM r WHERE n < 3) SELECT * FROM r",
		"SELECT * FROM t, LATERAL (SELECT t.a + 1) l", "CREATE INDEX ti ON t (b); SELECT * FROM t WHERE b > 1",
		"CREATE VIEW tv AS SELECT a, c FROM t; UPDATE tv SET c = 'z' WHERE a = 1", "SELECT DISTINCT ON (c) c, a FROM t ORDER BY c, a DESC",
		"UPDATE t SET b = h.x FROM h WHERE h.y = t.c", "VALUES (1, 'a'), (2, 'b') ORDER BY 1 DESC",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	for _, dir := range []string{"testdata/parse", "testdata/golden"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.sql"))
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			for _, block := range strings.Split(string(b), "\n\n") {
				f.Add(block)
			}
		}
	}
	eng := newTestEngine(f)
	setup := eng.NewSession()
	if _, err := setup.Exec(context.Background(), `
		CREATE TABLE t (a int PRIMARY KEY, b numeric(10,2), c text UNIQUE);
		CREATE TABLE h (x float8, y varchar(4), z bool);
		INSERT INTO t VALUES (1, 1.5, 'x'), (2, NULL, 'y'), (3, -2, NULL);
		INSERT INTO h VALUES (1.5, 'ab', true), ('NaN', NULL, NULL)`); err != nil {
		f.Fatal(err)
	}
	recoverPanics = false
	f.Cleanup(func() { recoverPanics = true })
	f.Fuzz(func(t *testing.T, sql string) {
		if len(sql) > 4096 {
			return
		}
		// Inputs that end the harness's transaction block would commit
		// their writes, and data doubling at each iteration (INSERT ...
		// SELECT) would slow the fuzzer down; keep every input inside the
		// block that is rolled back.
		lower := strings.ToLower(sql)
		for _, word := range []string{"commit", "end", "rollback", "abort"} {
			if strings.Contains(lower, word) {
				return
			}
		}
		ctx := context.Background()
		s := eng.NewSession()
		defer s.Close()
		if _, err := s.Exec(ctx, "BEGIN"); err != nil {
			t.Fatal(err)
		}
		_, err := s.Exec(ctx, sql)
		if err != nil {
			var se *sqlerr.Error
			if !errors.As(err, &se) {
				t.Fatalf("%q: non-SQL error %v", sql, err)
			}
			if se.Code == sqlerr.InternalError {
				t.Fatalf("%q: internal error %v", sql, err)
			}
		}
		// Preparing must agree: no panic, SQL errors only.
		if p, err := s.Prepare(ctx, sql, nil); err == nil {
			_ = p.ParamTypes()
		} else if se := sqlerr.As(err); se.Code == sqlerr.InternalError {
			t.Fatalf("%q: Prepare internal error %v", sql, err)
		}
	})
}
