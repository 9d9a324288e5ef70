package raftstore

import (
	"context"
	"fmt"
	"net"
	"slices"
	"testing"

	"github.com/aspen-db/aspen/engine"
)

// openInternal opens a single-node store in dir for the package's own
// white-box tests.
func openInternal(t *testing.T, dir string, window uint64) *Store {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx := context.Background()
	s, err := Open(ctx, Config{Dir: dir, Meta: NodeMeta{ID: "n", RaftAddr: addr}, ConflictWindow: window})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WaitRead(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// windowState lists the window's records as "index:key,key" strings.
func windowState(s *Store) []string {
	var out []string
	for _, rec := range s.fsm.window.fifo {
		e := fmt.Sprint(rec.index, ":")
		for _, k := range rec.keys {
			e += string(k) + ","
		}
		out = append(out, e)
	}
	return out
}

// batchRecords returns the last-entry indexes of the persisted batch
// records.
func batchRecords(t *testing.T, db *engine.DB) []uint64 {
	t.Helper()
	it := db.NewIter(batchRecPrefix, []byte{0xff, 'W' + 1}, false)
	defer it.Close()
	var out []uint64
	for it.Next() {
		k := it.Key()
		var idx uint64
		for _, c := range k[len(batchRecPrefix):] {
			idx = idx<<8 | uint64(c)
		}
		out = append(out, idx)
	}
	return out
}

// TestWindowSurvivesReopen checks that the conflict window rebuilt from the
// persisted batch records after a restart is the one the store had, that
// records wholly out of the window are deleted, and that the per-entry
// records of older stores are read and pruned too.
func TestWindowSurvivesReopen(t *testing.T) {
	const size = 20
	dir := t.TempDir()
	ctx := context.Background()
	s := openInternal(t, dir, size)
	commit := func(s *Store, key string) {
		t.Helper()
		tx, err := s.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tx.Set([]byte(key), []byte("v"))
		if _, err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 3*size; i++ {
		commit(s, fmt.Sprintf("k%03d", i))
	}
	before := windowState(s)
	if len(before) == 0 || len(before) > size+1 {
		t.Fatalf("window holds %d records, want 1..%d", len(before), size+1)
	}
	applied := s.applied.Load()
	recs := batchRecords(t, s.handle.Load().db)
	for _, last := range recs[1:] {
		if last+size < applied {
			t.Errorf("batch record %d is out of the window at %d but still stored (records %v)", last, applied, recs)
		}
	}
	engineDir := s.handle.Load().dir
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openInternal(t, dir, size)
	// The restarted node appends entries of its own (becoming leader),
	// which may push the oldest records out; the rest must be the same.
	applied = s.applied.Load()
	live := func(st []string) []string {
		var out []string
		for _, rec := range st {
			var idx uint64
			fmt.Sscanf(rec, "%d:", &idx)
			if idx+size > applied {
				out = append(out, rec)
			}
		}
		return out
	}
	want := live(before)
	if after := live(windowState(s)); len(want) == 0 || !slices.Equal(want, after) {
		t.Fatalf("window after reopen at %d:\n%v\nwant:\n%v", applied, after, want)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// A store written before batch records kept one record per entry:
	// make this one look like that.
	db, err := engine.Open(engineDir, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	legacy := windowRecord{index: applied, keys: [][]byte{[]byte("legacy")}}
	b := db.NewBatch()
	b.DeleteRange(batchRecPrefix, []byte{0xff, 'W' + 1})
	b.Set(windowRecordKey(applied), legacy.encode())
	if err := b.Commit(false); err != nil {
		t.Fatal(err)
	}
	// The engine runs without a WAL: only a flush makes the batch last.
	if err := db.Flush(); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s = openInternal(t, dir, size)
	defer s.Close()
	if st := windowState(s); !slices.Contains(st, fmt.Sprint(applied, ":legacy,")) {
		t.Fatalf("per-entry record not loaded: %v", st)
	}
	for i := 0; i < 2*size; i++ {
		commit(s, fmt.Sprintf("m%03d", i))
	}
	if _, err := s.handle.Load().db.Get(windowRecordKey(applied)); err != engine.ErrNotFound {
		t.Fatalf("per-entry record %d not pruned: %v", applied, err)
	}
}
