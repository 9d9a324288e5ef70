package planner

// Tests of INSERT ... ON CONFLICT under concurrency: sessions upserting
// the same keys at once, retrying on 40001 as clients do.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/planner/sqlerr"
)

// TestUpsertConcurrent runs workers that upsert the same keys in
// parallel, on a primary key and on a unique index of a table with a
// hidden row id: every statement must end committed (after retries on
// 40001) and no increment may be lost.
func TestUpsertConcurrent(t *testing.T) {
	eng := newTestEngine(t)
	setup := eng.NewSession()
	runSteps(t, setup, []step{{
		"CREATE TABLE ups_cc (k int PRIMARY KEY, n int); CREATE TABLE ups_cu (k text UNIQUE, n int); CREATE TABLE ups_cn (k int PRIMARY KEY, w int)",
		"CREATE TABLE\nCREATE TABLE\nCREATE TABLE\n",
	}})
	const workers, each = 4, 10
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
					fmt.Sprintf("INSERT INTO ups_cc VALUES (%d, 1) ON CONFLICT (k) DO UPDATE SET n = ups_cc.n + 1", i%3),
					fmt.Sprintf("INSERT INTO ups_cu VALUES ('k%d', 1) ON CONFLICT (k) DO UPDATE SET n = ups_cu.n + excluded.n", i%2),
					fmt.Sprintf("INSERT INTO ups_cn VALUES (%d, %d) ON CONFLICT DO NOTHING", i, w),
					"BEGIN; INSERT INTO ups_cc VALUES (100, 1) ON CONFLICT (k) DO UPDATE SET n = ups_cc.n + 1; COMMIT",
				}
				for _, sql := range stmts {
					if err := execRetry(ctx, s, sql, 200); err != nil {
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
	// Keys 0, 1, 2 of i%3 over i < 10 take 4, 3 and 3 upserts per worker.
	runSteps(t, setup, []step{
		{"SELECT k, n FROM ups_cc ORDER BY k", fmt.Sprintf("k:23 | n:23\n0 | %d\n1 | %d\n2 | %d\n100 | %d\nSELECT 4\n", 4*workers, 3*workers, 3*workers, total)},
		{"SELECT k, n FROM ups_cu ORDER BY k", fmt.Sprintf("k:25 | n:23\nk0 | %d\nk1 | %d\nSELECT 2\n", total/2, total/2)},
		{"SELECT count(*), count(DISTINCT k) FROM ups_cn", fmt.Sprintf("count:20 | count:20\n%d | %d\nSELECT 1\n", each, each)},
	})
}

// TestUpsertInterleaved interleaves two transactions that upsert the same
// new key: the first to commit wins; the other either succeeds (it saw
// the row) or fails with 40001 and succeeds when retried. The final state
// holds both effects.
func TestUpsertInterleaved(t *testing.T) {
	for _, action := range []string{
		"DO UPDATE SET n = ups_il.n + excluded.n",
		"DO NOTHING",
	} {
		t.Run(action, func(t *testing.T) {
			eng := newTestEngine(t)
			ctx := context.Background()
			a, b := eng.NewSession(), eng.NewSession()
			defer a.Close()
			defer b.Close()
			runSteps(t, a, []step{{"CREATE TABLE ups_il (k int PRIMARY KEY, n int)", "CREATE TABLE\n"}})
			upsert := "INSERT INTO ups_il VALUES (7, 1) ON CONFLICT (k) " + action
			runSteps(t, a, []step{{"BEGIN", "BEGIN\n"}, {upsert, "INSERT 0 1\n"}})
			runSteps(t, b, []step{{"BEGIN", "BEGIN\n"}})
			_, berr := b.Exec(ctx, upsert)
			runSteps(t, a, []step{{"COMMIT", "COMMIT\n"}})
			if berr == nil {
				_, berr = b.Exec(ctx, "COMMIT")
			}
			retried := false
			if berr != nil {
				if sqlerr.Code(berr) != sqlerr.SerializationFailure {
					t.Fatalf("second upsert: %v, want success or 40001", berr)
				}
				retried = true
				if _, err := b.Exec(ctx, "ROLLBACK"); err != nil {
					t.Fatal(err)
				}
				if err := execRetry(ctx, b, upsert, 200); err != nil {
					t.Fatalf("retried upsert: %v", err)
				}
			}
			want := "2"
			if action == "DO NOTHING" {
				want = "1"
			}
			runSteps(t, a, []step{{"SELECT k, n FROM ups_il", "k:23 | n:23\n7 | " + want + "\nSELECT 1\n"}})
			t.Logf("second transaction retried: %v", retried)
		})
	}
}

// TestSnapView checks the statement snapshot of with_dml.go: after
// writes through stmtTxn, Get and Scan (both directions, bounded and
// not) return the state from before them, while the transaction itself
// shows the writes.
func TestSnapView(t *testing.T) {
	eng := newTestEngine(t)
	ctx := context.Background()
	tx, err := eng.kv.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	prefix := "zz-snapview-"
	key := func(s string) []byte { return []byte(prefix + s) }
	for _, k := range []string{"b", "d", "f", "h"} {
		tx.Set(key(k), []byte("old-"+k))
	}
	st := &stmtTxn{Txn: tx, undo: map[string]undoEntry{}}
	st.Set(key("a"), []byte("new-a"))   // inserted before the first
	st.Delete(key("d"))                 // deleted
	st.Set(key("f"), []byte("new-f"))   // updated
	st.Set(key("g"), []byte("new-g"))   // inserted in the middle
	st.Set(key("g"), []byte("newer-g")) // written twice
	st.Set(key("i"), []byte("new-i"))   // inserted after the last
	st.Delete(key("i"))                 // and removed again
	st.Set(key("z"), []byte("new-z"))   // past the end
	view := &snapView{st: st}
	scan := func(r interface {
		Scan(start, end []byte, reverse bool) layers.Iterator
	}, start, end string, reverse bool) string {
		var e []byte
		if end != "" {
			e = key(end)
		}
		it := r.Scan(key(start), e, reverse)
		defer it.Close()
		var out []string
		for it.Next() {
			out = append(out, strings.TrimPrefix(string(it.Key()), prefix)+"="+string(it.Value()))
		}
		if err := it.Err(); err != nil {
			t.Fatal(err)
		}
		return strings.Join(out, " ")
	}
	for _, c := range []struct {
		start, end string
		reverse    bool
		want       string
	}{
		{"", "~", false, "b=old-b d=old-d f=old-f h=old-h"},
		{"", "~", true, "h=old-h f=old-f d=old-d b=old-b"},
		{"c", "g", false, "d=old-d f=old-f"},
		{"c", "g", true, "f=old-f d=old-d"},
		{"e", "", false, "f=old-f h=old-h"},
		{"i", "~", false, ""},
	} {
		if got := scan(view, c.start, c.end, c.reverse); got != c.want {
			t.Errorf("snapshot scan [%q, %q) reverse=%v = %q, want %q", c.start, c.end, c.reverse, got, c.want)
		}
	}
	if got, want := scan(tx, "", "~", false), "a=new-a b=old-b f=new-f g=newer-g h=old-h z=new-z"; got != want {
		t.Errorf("transaction scan = %q, want %q", got, want)
	}
	for k, want := range map[string]string{"a": "", "d": "old-d", "f": "old-f", "g": "", "h": "old-h"} {
		v, err := view.Get(key(k))
		switch {
		case want == "" && !errors.Is(err, layers.ErrNotFound):
			t.Errorf("snapshot Get(%s) = %q, %v; want not found", k, v, err)
		case want != "" && (err != nil || string(v) != want):
			t.Errorf("snapshot Get(%s) = %q, %v; want %q", k, v, err, want)
		}
	}
}
