package raftstore_test

// Shared read snapshots (sharedsnap.go): transactions at the same applied
// index share an engine snapshot; each still sees exactly its own version.

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

func TestSharedSnapshots(t *testing.T) {
	ctx := context.Background()
	s := raftstoretest.New(t)
	put := func(v string) {
		t.Helper()
		tx, _ := s.Begin(ctx)
		tx.Set([]byte("k"), []byte(v))
		if _, err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	read := func(tx layers.Txn) string {
		t.Helper()
		v, err := tx.Get([]byte("k"))
		if err != nil {
			t.Fatal(err)
		}
		return string(v)
	}
	put("v1")
	// Transactions opened at one index, closed in any order, with a write
	// in between: the older ones keep their version, newer ones see the
	// write.
	var old []layers.Txn
	for range 3 {
		tx, _ := s.Begin(ctx)
		if got := read(tx); got != "v1" {
			t.Fatalf("read %q, want v1", got)
		}
		old = append(old, tx)
	}
	old[1].Rollback()
	put("v2")
	tx, _ := s.Begin(ctx)
	if got := read(tx); got != "v2" {
		t.Fatalf("after the write: %q, want v2", got)
	}
	for _, o := range []layers.Txn{old[0], old[2]} {
		if got := read(o); got != "v1" {
			t.Fatalf("old transaction reads %q, want v1", got)
		}
		o.Rollback()
	}
	tx.Rollback()
	// Many concurrent readers and a writer.
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				tx, err := s.Begin(ctx)
				if err != nil {
					errs <- err
					return
				}
				a, err1 := tx.Get([]byte("k"))
				b, err2 := tx.Get([]byte("k"))
				tx.Rollback()
				if err1 != nil || err2 != nil || string(a) != string(b) {
					errs <- fmt.Errorf("reader %d/%d: %q %v, %q %v", g, i, a, err1, b, err2)
					return
				}
			}
		}()
	}
	for i := range 50 {
		put(fmt.Sprint("w", i))
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
