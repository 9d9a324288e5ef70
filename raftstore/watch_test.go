package raftstore_test

// Tests of prefix watches (watch.go).

import (
	"context"
	"testing"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

func TestPrefixWatch(t *testing.T) {
	ctx := context.Background()
	s := raftstoretest.New(t)
	commit := func(fn func(tx layers.Txn)) {
		t.Helper()
		tx, err := s.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		fn(tx)
		if _, err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	commit(func(tx layers.Txn) { tx.Set([]byte("cat/a"), []byte("1")) })
	w := s.WatchPrefix([]byte("cat/"))
	// The version of a transaction that reads the prefix as committed.
	version := func() uint64 {
		t.Helper()
		tx, _ := s.Begin(ctx)
		defer tx.Rollback()
		v, ok, err := w.Version(tx)
		if err != nil || !ok || v == 0 {
			t.Fatalf("Version = %d, %v, %v", v, ok, err)
		}
		return v
	}
	unchanged := func(v uint64) bool {
		t.Helper()
		tx, _ := s.Begin(ctx)
		defer tx.Rollback()
		ok, err := w.Unchanged(tx, v)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	v1 := version()
	if !unchanged(v1) {
		t.Fatal("nothing written: changed")
	}
	// Writes elsewhere, even next to the prefix, change nothing.
	commit(func(tx layers.Txn) { tx.Set([]byte("cat"), []byte("x")); tx.Set([]byte("cau"), []byte("x")) })
	if !unchanged(v1) {
		t.Fatal("a write outside the prefix: changed")
	}
	// A write under the prefix does.
	commit(func(tx layers.Txn) { tx.Set([]byte("cat/b"), []byte("2")) })
	if unchanged(v1) {
		t.Fatal("a write under the prefix: unchanged")
	}
	v2 := version()
	if v2 <= v1 || !unchanged(v2) {
		t.Fatalf("after the write: version %d (was %d), unchanged %v", v2, v1, unchanged(v2))
	}
	// A range delete over the prefix, and a delete.
	commit(func(tx layers.Txn) { tx.DeleteRange([]byte("ca"), []byte("cb")) })
	if unchanged(v2) {
		t.Fatal("a range delete over the prefix: unchanged")
	}
	v3 := version()
	commit(func(tx layers.Txn) { tx.Delete([]byte("cat/zzz")) })
	if unchanged(v3) {
		t.Fatal("a delete under the prefix: unchanged")
	}
	// A transaction's own buffered write under the prefix.
	v4 := version()
	tx, _ := s.Begin(ctx)
	defer tx.Rollback()
	tx.Set([]byte("cat/c"), []byte("3"))
	if ok, err := w.Unchanged(tx, v4); ok || err != nil {
		t.Fatalf("own write: Unchanged = %v, %v", ok, err)
	}
	if _, ok, err := w.Version(tx); ok || err != nil {
		t.Fatalf("own write: Version ok = %v, %v", ok, err)
	}
	// A transaction of another kind of reader is never unchanged.
	if ok, _ := w.Unchanged(nil, v4); ok {
		t.Fatal("nil reader: unchanged")
	}
}
