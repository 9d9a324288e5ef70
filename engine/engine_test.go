package engine_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/aspen-db/aspen/engine"
)

func openMem(t *testing.T) *engine.DB {
	t.Helper()
	db, err := engine.Open("db", engine.Options{FS: vfs.NewMem()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func write(t *testing.T, db *engine.DB, kv ...string) {
	t.Helper()
	b := db.NewBatch()
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			b.Delete([]byte(kv[i]))
		} else {
			b.Set([]byte(kv[i]), []byte(kv[i+1]))
		}
	}
	if err := b.Commit(false); err != nil {
		t.Fatal(err)
	}
}

func keys(t *testing.T, it *engine.Iterator) string {
	t.Helper()
	var out []string
	for it.Next() {
		out = append(out, string(it.Key())+"="+string(it.Value()))
	}
	if err := it.Close(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, " ")
}

func TestGetAndScan(t *testing.T) {
	db := openMem(t)
	write(t, db, "a", "1", "b", "2", "c", "3", "d", "4")
	if v, err := db.Get([]byte("b")); err != nil || string(v) != "2" {
		t.Fatalf("Get b = %q, %v", v, err)
	}
	if _, err := db.Get([]byte("zz")); !errors.Is(err, engine.ErrNotFound) {
		t.Fatalf("Get missing = %v, want ErrNotFound", err)
	}
	tests := []struct {
		lower, upper string
		reverse      bool
		want         string
	}{
		{"a", "z", false, "a=1 b=2 c=3 d=4"},
		{"a", "z", true, "d=4 c=3 b=2 a=1"},
		{"b", "d", false, "b=2 c=3"},
		{"b", "d", true, "c=3 b=2"},
		{"e", "z", false, ""},
		{"e", "z", true, ""},
	}
	for _, tc := range tests {
		if got := keys(t, db.NewIter([]byte(tc.lower), []byte(tc.upper), tc.reverse)); got != tc.want {
			t.Errorf("scan [%s,%s) reverse=%v = %q, want %q", tc.lower, tc.upper, tc.reverse, got, tc.want)
		}
	}
}

func TestBatchDeleteRangeAndIndexedReads(t *testing.T) {
	db := openMem(t)
	write(t, db, "a", "1", "b", "2", "c", "3")
	b := db.NewIndexedBatch()
	b.DeleteRange([]byte("a"), []byte("c"))
	b.Set([]byte("bb"), []byte("x"))
	if _, err := b.Get([]byte("a")); !errors.Is(err, engine.ErrNotFound) {
		t.Fatalf("indexed batch sees range-deleted key: %v", err)
	}
	if got := keys(t, b.NewIter([]byte("a"), []byte("z"), false)); got != "bb=x c=3" {
		t.Fatalf("indexed batch scan = %q", got)
	}
	if got := keys(t, db.NewIter([]byte("a"), []byte("z"), false)); got != "a=1 b=2 c=3" {
		t.Fatalf("store changed before commit: %q", got)
	}
	if err := b.Commit(false); err != nil {
		t.Fatal(err)
	}
	if got := keys(t, db.NewIter([]byte("a"), []byte("z"), false)); got != "bb=x c=3" {
		t.Fatalf("after commit = %q", got)
	}
}

func TestSnapshotIsStable(t *testing.T) {
	db := openMem(t)
	write(t, db, "k", "old")
	snap := db.NewSnapshot()
	defer snap.Close()
	write(t, db, "k", "new", "k2", "x")
	if v, err := snap.Get([]byte("k")); err != nil || string(v) != "old" {
		t.Fatalf("snapshot Get = %q, %v", v, err)
	}
	if got := keys(t, snap.NewIter(nil, nil, false)); got != "k=old" {
		t.Fatalf("snapshot scan = %q", got)
	}
}

func TestCheckpointOpens(t *testing.T) {
	dir := t.TempDir()
	db, err := engine.Open(filepath.Join(dir, "db"), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	write(t, db, "a", "1", "b", "2")
	ck := filepath.Join(dir, "ck")
	if err := db.Checkpoint(ck); err != nil {
		t.Fatal(err)
	}
	write(t, db, "c", "3")
	db.Close()
	cp, err := engine.Open(ck, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if got := keys(t, cp.NewIter(nil, nil, false)); got != "a=1 b=2" {
		t.Fatalf("checkpoint holds %q, want the state at checkpoint time", got)
	}
}

func TestFlushMakesWritesDurableWithoutWAL(t *testing.T) {
	dir := t.TempDir()
	db, err := engine.Open(dir, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	write(t, db, "a", "1")
	if err := db.Flush(); err != nil {
		t.Fatal(err)
	}
	// Copy the directory as a crash would leave it: no Close.
	crash := t.TempDir()
	copyDir(t, dir, crash)
	db.Close()
	re, err := engine.Open(crash, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer re.Close()
	if v, err := re.Get([]byte("a")); err != nil || string(v) != "1" {
		t.Fatalf("after crash copy: %q %v", v, err)
	}
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCorruptStoreRefusesToOpen(t *testing.T) {
	dir := t.TempDir()
	db, err := engine.Open(dir, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	write(t, db, "a", "1")
	db.Close()
	manifests, _ := filepath.Glob(filepath.Join(dir, "MANIFEST-*"))
	if len(manifests) == 0 {
		t.Fatal("no MANIFEST written")
	}
	for _, m := range manifests {
		if err := os.WriteFile(m, []byte("garbage, not a manifest"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err = engine.Open(dir, engine.Options{})
	if err == nil {
		t.Fatal("a store with a corrupt MANIFEST opened")
	}
	if !strings.Contains(err.Error(), dir) {
		t.Fatalf("error %q does not name the store directory", err)
	}
}

func TestVerifyFindsDamagedTable(t *testing.T) {
	dir := t.TempDir()
	db, err := engine.Open(dir, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := db.NewBatch()
	for i := 0; i < 20000; i++ {
		b.Set([]byte(fmt.Sprintf("key%06d", i)), []byte(strings.Repeat("v", 50)+fmt.Sprint(i)))
	}
	if err := b.Commit(false); err != nil {
		t.Fatal(err)
	}
	if err := db.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := db.Verify(context.Background()); err != nil {
		t.Fatalf("intact store: %v", err)
	}
	db.Close()
	ssts, _ := filepath.Glob(filepath.Join(dir, "*.sst"))
	if len(ssts) == 0 {
		t.Fatal("no sstable written")
	}
	data, err := os.ReadFile(ssts[0])
	if err != nil {
		t.Fatal(err)
	}
	for i := len(data) / 4; i < len(data)/4+64; i++ {
		data[i] ^= 0xff
	}
	if err := os.WriteFile(ssts[0], data, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err = engine.Open(dir, engine.Options{})
	if err != nil {
		return // refused at open: fine too
	}
	defer db.Close()
	if err := db.Verify(context.Background()); err == nil {
		t.Fatal("Verify passed a store with a damaged sstable")
	}
	if err := db.Corruption(); err == nil || !strings.Contains(err.Error(), ".sst") {
		t.Fatalf("Corruption() = %v, want the damaged file named", err)
	}
}
