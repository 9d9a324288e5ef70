package planner

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentSessions runs sessions in parallel on one engine: inserts
// into a table with a hidden row id and one with a primary key, and
// read-modify-write updates of one counter row, retrying on 40001 as
// clients do. Every insert must land exactly once and no increment may be
// lost.
func TestConcurrentSessions(t *testing.T) {
	eng := newTestEngine(t)
	setup := eng.NewSession()
	runSteps(t, setup, []step{{
		"CREATE TABLE log (w int, i int); CREATE TABLE kv (k int PRIMARY KEY, w int); CREATE TABLE ctr (id int PRIMARY KEY, n int); INSERT INTO ctr VALUES (1, 0)",
		"CREATE TABLE\nCREATE TABLE\nCREATE TABLE\nINSERT 0 1\n",
	}})
	const workers, each = 4, 15
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			s := eng.NewSession()
			defer s.Close()
			for i := 0; i < each; i++ {
				stmts := []string{
					fmt.Sprintf("INSERT INTO log VALUES (%d, %d)", w, i),
					fmt.Sprintf("INSERT INTO kv VALUES (%d, %d)", w*1000+i, w),
					"BEGIN; UPDATE ctr SET n = n + 1 WHERE id = 1; COMMIT",
				}
				for _, sql := range stmts {
					if err := execRetry(ctx, s, sql, 100); err != nil {
						errs <- fmt.Errorf("worker %d: %s: %w", w, sql, err)
						return
					}
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	total := workers * each
	runSteps(t, setup, []step{
		{"SELECT count(*), count(DISTINCT w * 1000 + i) FROM log", fmt.Sprintf("count:20 | count:20\n%d | %d\nSELECT 1\n", total, total)},
		{"SELECT count(*), min(k), max(k) FROM kv", fmt.Sprintf("count:20 | min:23 | max:23\n%d | 0 | %d\nSELECT 1\n", total, (workers-1)*1000+each-1)},
		{"SELECT n FROM ctr", fmt.Sprintf("n:23\n%d\nSELECT 1\n", total)},
	})
}
