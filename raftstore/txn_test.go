package raftstore_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/raftstore"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

// testMutations are deterministic ops used by the tests: "add" adds a
// signed 64-bit delta to a decimal counter and returns the new value;
// "fail" always fails.
var testMutations = map[string]layers.MutationFunc{
	"add": func(m layers.Mutator, args []byte) ([]byte, error) {
		if len(args) < 8 {
			return nil, errors.New("add: short args")
		}
		delta := int64(binary.BigEndian.Uint64(args[:8]))
		key := args[8:]
		var cur int64
		v, err := m.Get(key)
		switch {
		case errors.Is(err, layers.ErrNotFound):
		case err != nil:
			return nil, err
		default:
			cur, err = strconv.ParseInt(string(v), 10, 64)
			if err != nil {
				return nil, err
			}
		}
		cur += delta
		out := []byte(strconv.FormatInt(cur, 10))
		m.Set(key, out)
		return out, nil
	},
	"fail": func(m layers.Mutator, args []byte) ([]byte, error) {
		m.Set(args, []byte("should not be written"))
		m.Notify(layers.Event{Topic: "test", Payload: []byte("from a failed commit")})
		return nil, errors.New("always fails")
	},
	"notify": func(m layers.Mutator, args []byte) ([]byte, error) {
		m.Notify(layers.Event{Topic: "test", Payload: args})
		return nil, nil
	},
}

func addArgs(key string, delta int64) []byte {
	b := binary.BigEndian.AppendUint64(nil, uint64(delta))
	return append(b, key...)
}

func get(t *testing.T, kv layers.KV, key string) (string, bool) {
	t.Helper()
	var val string
	var found bool
	err := layers.View(context.Background(), kv, func(r layers.Reader) error {
		v, err := r.Get([]byte(key))
		if errors.Is(err, layers.ErrNotFound) {
			return nil
		}
		val, found = string(v), err == nil
		return err
	})
	if err != nil {
		t.Fatalf("get %q: %v", key, err)
	}
	return val, found
}

func set(t *testing.T, kv layers.KV, kvs ...string) {
	t.Helper()
	_, err := layers.Update(context.Background(), kv, func(tx layers.Txn) error {
		for i := 0; i+1 < len(kvs); i += 2 {
			tx.Set([]byte(kvs[i]), []byte(kvs[i+1]))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("set: %v", err)
	}
}

func TestReadYourWritesAndScan(t *testing.T) {
	s := raftstoretest.New(t)
	ctx := context.Background()
	set(t, s, "a", "1", "b", "2", "c", "3", "d", "4")

	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	tx.Set([]byte("b"), []byte("20"))
	tx.Delete([]byte("c"))
	tx.Set([]byte("bb"), []byte("new"))
	if v, err := tx.Get([]byte("b")); err != nil || string(v) != "20" {
		t.Fatalf("Get own write: %q %v", v, err)
	}
	if _, err := tx.Get([]byte("c")); !errors.Is(err, layers.ErrNotFound) {
		t.Fatalf("Get own delete: %v", err)
	}
	tests := []struct {
		name       string
		start, end string
		reverse    bool
		want       string
	}{
		{"all", "a", "z", false, "a=1 b=20 bb=new d=4"},
		{"reverse", "a", "z", true, "d=4 bb=new b=20 a=1"},
		{"bounded", "b", "d", false, "b=20 bb=new"},
		{"bounded reverse", "b", "d", true, "bb=new b=20"},
		{"empty", "x", "z", false, ""},
	}
	for _, tc := range tests {
		it := tx.Scan([]byte(tc.start), []byte(tc.end), tc.reverse)
		got := ""
		for it.Next() {
			if got != "" {
				got += " "
			}
			got += string(it.Key()) + "=" + string(it.Value())
		}
		if err := it.Close(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	tx.DeleteRange([]byte("a"), []byte("bz"))
	tx.Set([]byte("b"), []byte("again"))
	it := tx.Scan([]byte("a"), []byte("z"), false)
	got := ""
	for it.Next() {
		got += string(it.Key()) + " "
	}
	it.Close()
	if got != "b d " {
		t.Fatalf("after DeleteRange + Set: got %q, want %q", got, "b d ")
	}
	if _, err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"a": "", "b": "again", "bb": "", "c": "", "d": "4"} {
		v, ok := get(t, s, k)
		if want == "" && ok || want != "" && v != want {
			t.Errorf("after commit %s = %q (found %v), want %q", k, v, ok, want)
		}
	}
}

// TestScanSeekGE checks layers.Seeker on a transaction's scans: the
// stored keys, the transaction's own writes, deletes and range deletes
// merged, each seek going forward from the last key read (or from a key
// not read yet), past the end, and a seek to a key the scan already
// stepped onto.
func TestScanSeekGE(t *testing.T) {
	s := raftstoretest.New(t)
	ctx := context.Background()
	set(t, s, "a", "1", "c", "3", "e", "5", "g", "7", "i", "9", "k", "11")
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	tx.Set([]byte("d"), []byte("40"))
	tx.Set([]byte("h"), []byte("80"))
	tx.Delete([]byte("e"))
	tx.DeleteRange([]byte("i"), []byte("j"))
	tests := []struct {
		name string
		// steps: "n" reads one key, any other string seeks to it.
		steps []string
		want  string
	}{
		{"seek first", []string{"c", "n", "n"}, "c d"},
		{"over deleted", []string{"n", "e", "n", "n"}, "a g h"},
		{"buffered target", []string{"n", "h", "n", "n"}, "a h k"},
		{"range deleted", []string{"n", "i", "n"}, "a k"},
		{"between keys", []string{"n", "b", "n", "ff", "n"}, "a c g"},
		{"past the end", []string{"n", "x", "n"}, "a"},
		{"to the last key read", []string{"n", "n", "c", "n"}, "a c c"},
	}
	for _, tc := range tests {
		it := tx.Scan([]byte("a"), []byte("z"), false)
		sk, ok := it.(layers.Seeker)
		if !ok {
			t.Fatalf("%T is not a layers.Seeker", it)
		}
		var got []string
		for _, st := range tc.steps {
			if st != "n" {
				sk.SeekGE([]byte(st))
				continue
			}
			if it.Next() {
				got = append(got, string(it.Key()))
			}
		}
		if err := it.Close(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, g, tc.want)
		}
	}
}

func TestSnapshotIsolation(t *testing.T) {
	s := raftstoretest.New(t)
	ctx := context.Background()
	set(t, s, "k", "old")
	reader, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Rollback()
	// The first read fixes the read version.
	if v, err := reader.Get([]byte("k")); err != nil || string(v) != "old" {
		t.Fatalf("first read: %q %v", v, err)
	}
	set(t, s, "k", "new", "k2", "added")
	if v, err := reader.Get([]byte("k")); err != nil || string(v) != "old" {
		t.Fatalf("reader saw %q %v, want the value at its read version", v, err)
	}
	if _, err := reader.Get([]byte("k2")); !errors.Is(err, layers.ErrNotFound) {
		t.Fatalf("reader saw a key written after its read version: %v", err)
	}
	if v, _ := get(t, s, "k"); v != "new" {
		t.Fatalf("a new transaction saw %q, want new", v)
	}
}

func TestConflictAbortsExactlyOne(t *testing.T) {
	s := raftstoretest.New(t)
	ctx := context.Background()
	set(t, s, "x", "0", "y", "0")
	// Classic write skew: each reads both and writes one. Serializable
	// isolation must abort one of them.
	t1, _ := s.Begin(ctx)
	t2, _ := s.Begin(ctx)
	for _, tx := range []layers.Txn{t1, t2} {
		tx.Get([]byte("x"))
		tx.Get([]byte("y"))
	}
	t1.Set([]byte("x"), []byte("1"))
	t2.Set([]byte("y"), []byte("1"))
	_, err1 := t1.Commit(ctx)
	_, err2 := t2.Commit(ctx)
	if err1 != nil {
		t.Fatalf("first commit failed: %v", err1)
	}
	if !errors.Is(err2, raftstore.ErrConflict) || !layers.IsRetryable(err2) {
		t.Fatalf("second commit: got %v, want a retryable conflict", err2)
	}
	if v, _ := get(t, s, "y"); v != "0" {
		t.Fatalf("aborted transaction's write is visible: y=%q", v)
	}

	// A scan conflicts with an insert into the scanned range.
	t3, _ := s.Begin(ctx)
	it := t3.Scan([]byte("r/"), []byte("r0"), false)
	for it.Next() {
	}
	it.Close()
	set(t, s, "r/phantom", "1")
	t3.Set([]byte("count"), []byte("0"))
	if _, err := t3.Commit(ctx); !errors.Is(err, raftstore.ErrConflict) {
		t.Fatalf("phantom insert: got %v, want conflict", err)
	}

	// Blind writes and disjoint reads do not conflict.
	t4, _ := s.Begin(ctx)
	t5, _ := s.Begin(ctx)
	t4.Get([]byte("p"))
	t5.Get([]byte("q"))
	t4.Set([]byte("q2"), []byte("1"))
	t5.Set([]byte("p2"), []byte("1"))
	if _, err := t4.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := t5.Commit(ctx); err != nil {
		t.Fatalf("disjoint transactions conflicted: %v", err)
	}
}

func TestConcurrentIncrementsWithRetry(t *testing.T) {
	s := raftstoretest.New(t)
	ctx := context.Background()
	const workers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				_, err := layers.Update(ctx, s, func(tx layers.Txn) error {
					v, err := tx.Get([]byte("ctr"))
					n := 0
					if err == nil {
						n, _ = strconv.Atoi(string(v))
					} else if !errors.Is(err, layers.ErrNotFound) {
						return err
					}
					tx.Set([]byte("ctr"), []byte(strconv.Itoa(n+1)))
					return nil
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if v, _ := get(t, s, "ctr"); v != strconv.Itoa(workers*each) {
		t.Fatalf("read-modify-write counter = %s, want %d", v, workers*each)
	}
}

func TestMutationsNeverConflict(t *testing.T) {
	s := raftstoretest.NewWithMutations(t, testMutations)
	ctx := context.Background()
	const workers, each = 32, 50
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []error
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				tx, err := s.Begin(ctx)
				if err == nil {
					tx.Mutate("add", addArgs("hot", 1))
					_, err = tx.Commit(ctx)
				}
				if err != nil {
					mu.Lock()
					failures = append(failures, err)
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d mutations failed, first: %v", len(failures), failures[0])
	}
	if v, _ := get(t, s, "hot"); v != strconv.Itoa(workers*each) {
		t.Fatalf("hot counter = %s, want %d", v, workers*each)
	}

	// Results come back in order, and a mutation sees earlier writes of
	// its own transaction.
	tx, _ := s.Begin(ctx)
	tx.Set([]byte("base"), []byte("10"))
	tx.Mutate("add", addArgs("base", 5))
	tx.Mutate("add", addArgs("base", -20))
	res, err := tx.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Results) != 2 || string(res.Results[0]) != "15" || string(res.Results[1]) != "-5" {
		t.Fatalf("results = %q, want [15 -5]", res.Results)
	}

	// A failing mutation fails the whole transaction.
	tx, _ = s.Begin(ctx)
	tx.Set([]byte("partial"), []byte("1"))
	tx.Mutate("fail", []byte("victim"))
	if _, err := tx.Commit(ctx); err == nil {
		t.Fatal("commit with a failing mutation succeeded")
	}
	for _, k := range []string{"partial", "victim"} {
		if _, ok := get(t, s, k); ok {
			t.Errorf("%s was written by a failed transaction", k)
		}
	}

	// An unknown mutation is an error, not a crash.
	tx, _ = s.Begin(ctx)
	tx.Mutate("no-such-op", nil)
	if _, err := tx.Commit(ctx); err == nil {
		t.Fatal("unknown mutation committed")
	}
}

func TestReservedKeysRejected(t *testing.T) {
	s := raftstoretest.New(t)
	ctx := context.Background()
	tx, _ := s.Begin(ctx)
	tx.Set([]byte{0xff, 'a'}, []byte("x"))
	if _, err := tx.Commit(ctx); err == nil {
		t.Fatal("write to a reserved key committed")
	}
}

func TestReopenKeepsData(t *testing.T) {
	dir := t.TempDir()
	s := raftstoretest.Open(t, dir, testMutations)
	for i := 0; i < 50; i++ {
		set(t, s, fmt.Sprintf("k%02d", i), strconv.Itoa(i))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := raftstoretest.Open(t, dir, testMutations)
	for i := 0; i < 50; i++ {
		if v, _ := get(t, s2, fmt.Sprintf("k%02d", i)); v != strconv.Itoa(i) {
			t.Fatalf("after reopen k%02d = %q", i, v)
		}
	}
}

func TestTooOldReadVersion(t *testing.T) {
	ctx := context.Background()
	s, err := raftstore.Open(ctx, raftstore.Config{
		Dir:            t.TempDir(),
		Meta:           raftstore.NodeMeta{ID: "n", RaftAddr: raftstoretest.FreeAddr(t)},
		ConflictWindow: 5,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.WaitRead(ctx); err != nil {
		t.Fatal(err)
	}
	old, _ := s.Begin(ctx)
	old.Get([]byte("a"))
	for i := 0; i < 10; i++ {
		set(t, s, "other", strconv.Itoa(i))
	}
	old.Set([]byte("b"), []byte("1"))
	if _, err := old.Commit(ctx); !errors.Is(err, raftstore.ErrTooOld) || !layers.IsRetryable(err) {
		t.Fatalf("got %v, want retryable ErrTooOld", err)
	}
}

// TestSavepoints rolls a transaction back to savepoints, nested and more
// than once, and checks what its reads and its commit see.
func TestSavepoints(t *testing.T) {
	kv := raftstoretest.NewWithMutations(t, testMutations)
	set(t, kv, "keep", "0", "r1", "x", "r2", "y")
	ctx := context.Background()
	tx, err := kv.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	read := func(key string) string {
		t.Helper()
		v, err := tx.Get([]byte(key))
		if errors.Is(err, layers.ErrNotFound) {
			return "<none>"
		}
		if err != nil {
			t.Fatal(err)
		}
		return string(v)
	}
	tx.Set([]byte("a"), []byte("1"))
	sp1 := tx.Savepoint()
	tx.Set([]byte("b"), []byte("2"))
	tx.Delete([]byte("a"))
	tx.DeleteRange([]byte("r"), []byte("s"))
	tx.Mutate("add", addArgs("ctr", 5))
	sp2 := tx.Savepoint()
	tx.Set([]byte("c"), []byte("3"))
	if got := read("a") + read("b") + read("c") + read("r1"); got != "<none>23<none>" {
		t.Fatalf("before rollback: %s", got)
	}
	sp2()
	if got := read("b") + read("c") + read("r2"); got != "2<none><none>" {
		t.Fatalf("after rollback to sp2: %s", got)
	}
	sp1()
	if got := read("a") + read("b") + read("r1") + read("r2"); got != "1<none>xy" {
		t.Fatalf("after rollback to sp1: %s", got)
	}
	// The same savepoint again, after more writes.
	tx.Set([]byte("d"), []byte("4"))
	sp1()
	tx.Set([]byte("e"), []byte("5"))
	res, err := tx.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Results) != 0 {
		t.Errorf("a mutation rolled back to a savepoint ran: %q", res.Results)
	}
	want := map[string]string{"a": "1", "b": "", "c": "", "d": "", "e": "5", "r1": "x", "r2": "y", "ctr": ""}
	for k, w := range want {
		v, ok := get(t, kv, k)
		if (w == "") == ok || v != w {
			t.Errorf("after commit %s = %q (present %v), want %q", k, v, ok, w)
		}
	}
}

// TestMutationsSeeEveryWrite checks that a mutation's reads reflect every
// earlier committed write to the key, whichever way it was made: plain
// sets, deletes, range deletes, large values, failed transactions, and a
// reopen of the store.
func TestMutationsSeeEveryWrite(t *testing.T) {
	dir := t.TempDir()
	s := raftstoretest.Open(t, dir, testMutations)
	ctx := context.Background()
	add := func(key string, delta int64) string {
		t.Helper()
		tx, err := s.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tx.Mutate("add", addArgs(key, delta))
		res, err := tx.Commit(ctx)
		if err != nil {
			t.Fatalf("add %s: %v", key, err)
		}
		return string(res.Results[0])
	}
	update := func(fn func(tx layers.Txn)) {
		t.Helper()
		if _, err := layers.Update(ctx, s, func(tx layers.Txn) error { fn(tx); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	big := "1" + strings.Repeat("0", 600)
	steps := []struct {
		name  string
		write func()
		key   string
		want  string // the add of 1 after the write
	}{
		{"absent key", func() {}, "k", "1"},
		{"after a plain set", func() { set(t, s, "k", "41") }, "k", "42"},
		{"after a delete", func() { update(func(tx layers.Txn) { tx.Delete([]byte("k")) }) }, "k", "1"},
		{"after a set of a read-absent key", func() { set(t, s, "k2", "9") }, "k2", "10"},
		{"after a range delete", func() {
			update(func(tx layers.Txn) { tx.DeleteRange([]byte("k"), []byte("k3")) })
		}, "k2", "1"},
		{"range delete spares keys outside", func() {
			set(t, s, "j", "5")
			add("k", 6)
			update(func(tx layers.Txn) { tx.DeleteRange([]byte("k"), []byte("k1")) })
		}, "j", "6"},
		{"after the range delete", func() {}, "k", "1"},
		{"after a failed transaction", func() {
			tx, _ := s.Begin(ctx)
			tx.Set([]byte("k"), []byte("100"))
			tx.Mutate("fail", []byte("k"))
			if _, err := tx.Commit(ctx); err == nil {
				t.Fatal("failing transaction committed")
			}
		}, "k", "2"},
		{"after a large value", func() { set(t, s, "k", big) }, "k", ""},
		{"after a small value again", func() { set(t, s, "k", "7") }, "k", "8"},
	}
	for _, st := range steps {
		st.write()
		got := ""
		tx, _ := s.Begin(ctx)
		tx.Mutate("add", addArgs(st.key, 1))
		res, err := tx.Commit(ctx)
		if err == nil {
			got = string(res.Results[0])
		}
		if st.want == "" {
			// A value too big to parse: the mutation must have read it.
			if err == nil {
				t.Fatalf("%s: add over a %d-byte value = %q, want a parse failure", st.name, len(big), got)
			}
			continue
		}
		if err != nil || got != st.want {
			t.Fatalf("%s: add %s = %q (%v), want %s", st.name, st.key, got, err, st.want)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = raftstoretest.Open(t, dir, testMutations)
	if got := add("k", 1); got != "9" {
		t.Fatalf("after reopen: add k = %s, want 9", got)
	}
}
