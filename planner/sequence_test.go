package planner

// Sequence tests that a golden file cannot express: concurrent sessions,
// rollback, per-session caches and a store that restarts.

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"sync"
	"testing"

	"github.com/aspen-db/aspen/layers/pubsub"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

// execInt runs sql (one statement returning one integer) and returns it.
func execInt(t *testing.T, s *Session, sql string) int64 {
	t.Helper()
	res, err := s.Exec(context.Background(), sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	r := res[len(res)-1]
	if len(r.Rows) != 1 || len(r.Rows[0]) != 1 {
		t.Fatalf("%s: want one value, got %v", sql, r.Rows)
	}
	n, err := strconv.ParseInt(string(r.Rows[0][0].AppendText(nil)), 10, 64)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// TestSerialConcurrentInserts runs sessions inserting into a SERIAL table
// in parallel, in implicit and explicit transactions: nextval never
// conflicts, so no insert may fail (no 40001), and all ids are distinct.
func TestSerialConcurrentInserts(t *testing.T) {
	eng := newTestEngine(t)
	setup := eng.NewSession()
	runSteps(t, setup, []step{{"CREATE TABLE sc (id serial PRIMARY KEY, w int)", "CREATE TABLE\n"}})
	const workers, each = 4, 20
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
				sql := fmt.Sprintf("INSERT INTO sc (w) VALUES (%d)", w)
				if i%2 == 1 {
					sql = fmt.Sprintf("BEGIN; INSERT INTO sc (w) VALUES (%d); SELECT nextval('sc_id_seq'); COMMIT", w)
				}
				if _, err := s.Exec(ctx, sql); err != nil {
					errs <- fmt.Errorf("worker %d: %s: %w", w, sql, err)
					return
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
		{"SELECT count(*), count(DISTINCT id) FROM sc", fmt.Sprintf("count:20 | count:20\n%d | %d\nSELECT 1\n", total, total)},
		// Every value was handed out once: the inserts' ids and the odd
		// rounds' extra nextval calls.
		{"SELECT max(id) <= " + strconv.Itoa(total+workers*each/2) + " FROM sc", "?column?:16\nt\nSELECT 1\n"},
	})
}

// TestSequenceRollback checks that a rolled-back transaction does not give
// its values back, nor does an insert that fails.
func TestSequenceRollback(t *testing.T) {
	s := newTestEngine(t).NewSession()
	runSteps(t, s, []step{
		{"CREATE TABLE sr (id serial PRIMARY KEY, v text NOT NULL)", "CREATE TABLE\n"},
		{"BEGIN; INSERT INTO sr (v) VALUES ('a'), ('b'); ROLLBACK", "BEGIN\nINSERT 0 2\nROLLBACK\n"},
		{"INSERT INTO sr (v) VALUES (NULL)", "ERROR 23502: null value in column \"v\" of relation \"sr\" violates not-null constraint DETAIL: Failing row contains (3, null).\n"},
		{"INSERT INTO sr (v) VALUES ('c') RETURNING id", "id:23\n4\nINSERT 0 1\n"},
		{"SELECT currval('sr_id_seq'), lastval()", "currval:20 | lastval:20\n4 | 4\nSELECT 1\n"},
		{"BEGIN; SELECT setval('sr_id_seq', 100); ROLLBACK", "BEGIN\nsetval:20\n100\nSELECT 1\nROLLBACK\n"},
		{"SELECT nextval('sr_id_seq')", "nextval:20\n101\nSELECT 1\n"},
	})
}

// TestSequenceCache checks CACHE n: each session reserves n values per
// round trip, as PostgreSQL's per-session cache does, so two sessions
// interleave in blocks.
func TestSequenceCache(t *testing.T) {
	eng := newTestEngine(t)
	a, b := eng.NewSession(), eng.NewSession()
	runSteps(t, a, []step{{"CREATE SEQUENCE cq CACHE 10", "CREATE SEQUENCE\n"}})
	if got := execInt(t, a, "SELECT nextval('cq')"); got != 1 {
		t.Fatalf("a first = %d, want 1", got)
	}
	if got := execInt(t, b, "SELECT nextval('cq')"); got != 11 {
		t.Fatalf("b first = %d, want 11", got)
	}
	if got := execInt(t, a, "SELECT nextval('cq')"); got != 2 {
		t.Fatalf("a second = %d, want 2", got)
	}
	runSteps(t, a, []step{{"SELECT last_value, is_called FROM cq", "last_value:20 | is_called:16\n20 | t\nSELECT 1\n"}})
	// setval drops the caller's cache, not the other session's.
	runSteps(t, a, []step{{"SELECT setval('cq', 50)", "setval:20\n50\nSELECT 1\n"}})
	if got := execInt(t, a, "SELECT nextval('cq')"); got != 51 {
		t.Fatalf("a after setval = %d, want 51", got)
	}
	if got := execInt(t, b, "SELECT nextval('cq')"); got != 12 {
		t.Fatalf("b second = %d, want 12", got)
	}
}

// TestSequenceBounds checks a full cycle with a cache larger than the
// range, and huge caches and increments (no loop or allocation sized by
// them).
func TestSequenceBounds(t *testing.T) {
	s := newTestEngine(t).NewSession()
	runSteps(t, s, []step{
		{"CREATE SEQUENCE cb MINVALUE 1 MAXVALUE 3 CACHE 100 CYCLE", "CREATE SEQUENCE\n"},
		{"SELECT nextval('cb'), nextval('cb'), nextval('cb'), nextval('cb'), nextval('cb')", "nextval:20 | nextval:20 | nextval:20 | nextval:20 | nextval:20\n1 | 2 | 3 | 1 | 2\nSELECT 1\n"},
		{"CREATE SEQUENCE ch CACHE 9223372036854775807 INCREMENT 4611686018427387904", "CREATE SEQUENCE\n"},
		{"SELECT nextval('ch'), nextval('ch')", "nextval:20 | nextval:20\n1 | 4611686018427387905\nSELECT 1\n"},
		{"SELECT nextval('ch')", "ERROR 2200H: nextval: reached maximum value of sequence \"ch\" (9223372036854775807)\n"},
		{"CREATE SEQUENCE cd INCREMENT -9223372036854775808 MINVALUE -9223372036854775808 MAXVALUE 0 CACHE 3", "CREATE SEQUENCE\n"},
		{"SELECT nextval('cd'), nextval('cd')", "nextval:20 | nextval:20\n0 | -9223372036854775808\nSELECT 1\n"},
		{"SELECT nextval('cd')", "ERROR 2200H: nextval: reached minimum value of sequence \"cd\" (-9223372036854775808)\n"},
	})
}

// TestSequenceRestart reopens the store: nextval continues after the last
// value handed out (cached values of the old sessions are skipped, never
// repeated).
func TestSequenceRestart(t *testing.T) {
	dir := t.TempDir()
	muts := pubsub.Mutations()
	maps.Copy(muts, Mutations())
	store := raftstoretest.Open(t, dir, muts)
	eng := NewEngine(store)
	s := eng.NewSession()
	runSteps(t, s, []step{
		{"CREATE TABLE rt (id bigserial PRIMARY KEY); CREATE SEQUENCE rc CACHE 5", "CREATE TABLE\nCREATE SEQUENCE\n"},
		{"INSERT INTO rt DEFAULT VALUES; INSERT INTO rt DEFAULT VALUES; INSERT INTO rt DEFAULT VALUES", "INSERT 0 1\nINSERT 0 1\nINSERT 0 1\n"},
		{"SELECT nextval('rc'), nextval('rc')", "nextval:20 | nextval:20\n1 | 2\nSELECT 1\n"},
	})
	s.Close()
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	store = raftstoretest.Open(t, dir, muts)
	s = NewEngine(store).NewSession()
	runSteps(t, s, []step{
		{"INSERT INTO rt DEFAULT VALUES RETURNING id", "id:20\n4\nINSERT 0 1\n"},
		{"SELECT nextval('rc')", "nextval:20\n6\nSELECT 1\n"},
		{"SELECT count(DISTINCT id), max(id) FROM rt", "count:20 | max:20\n4 | 4\nSELECT 1\n"},
	})
}
