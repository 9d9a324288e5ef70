package strkv_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

func newStore(t *testing.T) (*strkv.Store, layers.KV) {
	t.Helper()
	kv := raftstoretest.NewWithMutations(t, strkv.Mutations())
	return strkv.New(kv), kv
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// rawMeta reads key's stored record, expired or not.
func rawMeta(t *testing.T, kv layers.KV, db int, key string) (strkv.Meta, bool) {
	t.Helper()
	var raw []byte
	err := layers.View(ctxT(t), kv, func(r layers.Reader) error {
		v, err := r.Get(strkv.MetaKey(db, []byte(key)))
		if errors.Is(err, layers.ErrNotFound) {
			return nil
		}
		raw = v
		return err
	})
	if err != nil {
		t.Fatalf("read raw %q: %v", key, err)
	}
	if raw == nil {
		return strkv.Meta{}, false
	}
	m, err := strkv.DecodeMeta(raw)
	if err != nil {
		t.Fatalf("decode raw %q: %v", key, err)
	}
	return m, true
}

// putRaw writes a record directly, to make keys of types this package does
// not write.
func putRaw(t *testing.T, kv layers.KV, db int, key string, m strkv.Meta) {
	t.Helper()
	_, err := layers.Update(ctxT(t), kv, func(tx layers.Txn) error {
		tx.Set(strkv.MetaKey(db, []byte(key)), m.Encode())
		return nil
	})
	if err != nil {
		t.Fatalf("put raw %q: %v", key, err)
	}
}

// waitExpired sleeps until the local clock is past key's stored expiry.
func waitExpired(t *testing.T, kv layers.KV, db int, key string) {
	t.Helper()
	m, ok := rawMeta(t, kv, db, key)
	if !ok || m.ExpireAt == 0 {
		t.Fatalf("key %q has no stored expiry (ok=%v, meta=%+v)", key, ok, m)
	}
	if d := time.Until(time.UnixMilli(m.ExpireAt + 1)); d > 0 {
		time.Sleep(d)
	}
}

func mustSet(t *testing.T, s *strkv.Store, db int, key, val string, opt strkv.SetOptions) strkv.SetResult {
	t.Helper()
	r, err := s.Set(ctxT(t), db, []byte(key), []byte(val), opt)
	if err != nil {
		t.Fatalf("set %q: %v", key, err)
	}
	return r
}

func get(t *testing.T, s *strkv.Store, db int, key string) (string, bool) {
	t.Helper()
	v, ok, err := s.Get(ctxT(t), db, []byte(key))
	if err != nil {
		t.Fatalf("get %q: %v", key, err)
	}
	return string(v), ok
}

func TestSetGet(t *testing.T) {
	s, _ := newStore(t)
	tests := []struct {
		name     string
		db       int
		key, val string
	}{
		{"plain", 0, "k", "v"},
		{"empty value", 0, "empty", ""},
		{"binary", 0, "b\x00\xff", "\x00\x01\xff"},
		{"other db", 3, "k", "db3"},
		{"overwrite", 0, "k", "v2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if r := mustSet(t, s, tc.db, tc.key, tc.val, strkv.SetOptions{}); !r.Set {
				t.Fatalf("Set reported not set")
			}
			got, ok := get(t, s, tc.db, tc.key)
			if !ok || got != tc.val {
				t.Fatalf("get = %q, %v; want %q, true", got, ok, tc.val)
			}
		})
	}
	if got, _ := get(t, s, 0, "k"); got != "v2" {
		t.Fatalf("db 0 k = %q, want v2 (db 3 must not leak)", got)
	}
	if _, ok := get(t, s, 1, "k"); ok {
		t.Fatalf("db 1 k exists")
	}
	if _, err := s.Set(ctxT(t), strkv.NumDBs, []byte("k"), nil, strkv.SetOptions{}); !errors.Is(err, strkv.ErrBadDB) {
		t.Fatalf("set in db %d: %v, want ErrBadDB", strkv.NumDBs, err)
	}
}

func TestSetConditions(t *testing.T) {
	s, kv := newStore(t)
	putRaw(t, kv, 0, "hash", strkv.Meta{Type: strkv.TypeHash, Version: 7})
	tests := []struct {
		name    string
		pre     *string // value before, nil = absent
		opt     strkv.SetOptions
		wantSet bool
		wantOld *string
		want    *string // value after
		wantErr error
	}{
		{name: "NX absent", opt: strkv.SetOptions{NX: true}, wantSet: true, want: ptr("new")},
		{name: "NX present", pre: ptr("old"), opt: strkv.SetOptions{NX: true}, want: ptr("old")},
		{name: "XX absent", opt: strkv.SetOptions{XX: true}},
		{name: "XX present", pre: ptr("old"), opt: strkv.SetOptions{XX: true}, wantSet: true, want: ptr("new")},
		{name: "GET absent", opt: strkv.SetOptions{Get: true}, wantSet: true, want: ptr("new")},
		{name: "GET present", pre: ptr("old"), opt: strkv.SetOptions{Get: true}, wantSet: true, wantOld: ptr("old"), want: ptr("new")},
		{name: "GET empty", pre: ptr(""), opt: strkv.SetOptions{Get: true}, wantSet: true, wantOld: ptr(""), want: ptr("new")},
		{name: "NX GET present", pre: ptr("old"), opt: strkv.SetOptions{NX: true, Get: true}, wantOld: ptr("old"), want: ptr("old")},
		{name: "XX GET absent", opt: strkv.SetOptions{XX: true, Get: true}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			key := fmt.Sprintf("k%d", i)
			if tc.pre != nil {
				mustSet(t, s, 0, key, *tc.pre, strkv.SetOptions{})
			}
			r, err := s.Set(ctxT(t), 0, []byte(key), []byte("new"), tc.opt)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if r.Set != tc.wantSet {
				t.Errorf("Set = %v, want %v", r.Set, tc.wantSet)
			}
			if r.OldExists != (tc.wantOld != nil) || (tc.wantOld != nil && string(r.Old) != *tc.wantOld) {
				t.Errorf("old = %q, %v; want %v", r.Old, r.OldExists, deref(tc.wantOld))
			}
			got, ok := get(t, s, 0, key)
			if ok != (tc.want != nil) || (ok && got != *tc.want) {
				t.Errorf("after: %q, %v; want %v", got, ok, deref(tc.want))
			}
		})
	}

	t.Run("GET on wrong type writes nothing", func(t *testing.T) {
		_, err := s.Set(ctxT(t), 0, []byte("hash"), []byte("x"), strkv.SetOptions{Get: true})
		if !errors.Is(err, strkv.ErrWrongType) {
			t.Fatalf("err = %v, want ErrWrongType", err)
		}
		if m, _ := rawMeta(t, kv, 0, "hash"); m.Type != strkv.TypeHash {
			t.Fatalf("hash key was overwritten: %+v", m)
		}
		if _, _, err := s.Get(ctxT(t), 0, []byte("hash")); !errors.Is(err, strkv.ErrWrongType) {
			t.Fatalf("get hash: %v, want ErrWrongType", err)
		}
	})
	t.Run("plain SET replaces another type with a new incarnation", func(t *testing.T) {
		mustSet(t, s, 0, "hash", "str", strkv.SetOptions{})
		m, _ := rawMeta(t, kv, 0, "hash")
		if m.Type != strkv.TypeString || string(m.Value) != "str" || m.Version == 7 {
			t.Fatalf("after SET: %+v", m)
		}
	})
}

func ptr(s string) *string { return &s }

func deref(s *string) any {
	if s == nil {
		return "absent"
	}
	return *s
}

func TestExpiry(t *testing.T) {
	s, kv := newStore(t)
	ctx := ctxT(t)

	t.Run("PX stores expireAt from the commit time", func(t *testing.T) {
		before := time.Now().UnixMilli()
		mustSet(t, s, 0, "long", "v", strkv.SetOptions{TTLMillis: 100_000})
		after := time.Now().UnixMilli()
		m, _ := rawMeta(t, kv, 0, "long")
		if m.ExpireAt < before+100_000 || m.ExpireAt > after+100_000 {
			t.Fatalf("expireAt %d not in [%d, %d]", m.ExpireAt, before+100_000, after+100_000)
		}
		err := s.View(ctx, func(r *strkv.Reader) error {
			ttl, err := r.PTTL(0, []byte("long"))
			if err != nil {
				return err
			}
			if ttl <= 0 || ttl > 100_000 {
				return fmt.Errorf("pttl = %d", ttl)
			}
			if ttl, _ := r.PTTL(0, []byte("nope")); ttl != -2 {
				return fmt.Errorf("pttl of missing = %d, want -2", ttl)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})

	t.Run("an expired key is absent for reads and mutations", func(t *testing.T) {
		mustSet(t, s, 0, "short", "5", strkv.SetOptions{TTLMillis: 1})
		waitExpired(t, kv, 0, "short")
		if _, ok := get(t, s, 0, "short"); ok {
			t.Fatalf("expired key still readable")
		}
		if n, err := s.Exists(ctx, 0, []byte("short")); err != nil || n != 0 {
			t.Fatalf("exists = %d, %v; want 0", n, err)
		}
		if r := mustSet(t, s, 0, "short", "x", strkv.SetOptions{XX: true}); r.Set {
			t.Fatalf("XX set an expired key")
		}
		if n, err := s.IncrBy(ctx, 0, []byte("short"), 1); err != nil || n != 1 {
			t.Fatalf("incr of expired key = %d, %v; want 1 (from 0)", n, err)
		}
		if m, _ := rawMeta(t, kv, 0, "short"); m.ExpireAt != 0 {
			t.Fatalf("incr of expired key kept its old expiry %d", m.ExpireAt)
		}

		mustSet(t, s, 0, "short2", "v", strkv.SetOptions{TTLMillis: 1})
		waitExpired(t, kv, 0, "short2")
		if n, err := s.Del(ctx, 0, []byte("short2")); err != nil || n != 0 {
			t.Fatalf("del of expired key = %d, %v; want 0", n, err)
		}
		if _, ok := rawMeta(t, kv, 0, "short2"); ok {
			t.Fatalf("del left the expired record behind")
		}

		mustSet(t, s, 0, "short3", "v", strkv.SetOptions{TTLMillis: 1})
		waitExpired(t, kv, 0, "short3")
		if r := mustSet(t, s, 0, "short3", "w", strkv.SetOptions{NX: true}); !r.Set {
			t.Fatalf("NX refused over an expired key")
		}
	})

	t.Run("KEEPTTL and plain SET", func(t *testing.T) {
		mustSet(t, s, 0, "kt", "a", strkv.SetOptions{TTLMillis: 100_000})
		m1, _ := rawMeta(t, kv, 0, "kt")
		mustSet(t, s, 0, "kt", "b", strkv.SetOptions{KeepTTL: true})
		m2, _ := rawMeta(t, kv, 0, "kt")
		if m2.ExpireAt != m1.ExpireAt || string(m2.Value) != "b" {
			t.Fatalf("KEEPTTL: before %+v after %+v", m1, m2)
		}
		if n, err := s.IncrBy(ctx, 0, []byte("kt"), 1); !errors.Is(err, strkv.ErrNotInteger) {
			t.Fatalf("incr of %q = %d, %v", "b", n, err)
		}
		mustSet(t, s, 0, "kt", "7", strkv.SetOptions{KeepTTL: true})
		if _, err := s.IncrBy(ctx, 0, []byte("kt"), 1); err != nil {
			t.Fatal(err)
		}
		if m3, _ := rawMeta(t, kv, 0, "kt"); m3.ExpireAt != m1.ExpireAt || string(m3.Value) != "8" {
			t.Fatalf("INCR must keep the TTL: %+v", m3)
		}
		mustSet(t, s, 0, "kt", "c", strkv.SetOptions{})
		if m4, _ := rawMeta(t, kv, 0, "kt"); m4.ExpireAt != 0 {
			t.Fatalf("plain SET kept the TTL: %+v", m4)
		}
	})

	t.Run("absolute expiry", func(t *testing.T) {
		at := time.Now().Add(time.Hour).UnixMilli()
		mustSet(t, s, 0, "at", "v", strkv.SetOptions{ExpireAtMillis: at})
		if m, _ := rawMeta(t, kv, 0, "at"); m.ExpireAt != at {
			t.Fatalf("expireAt = %d, want %d", m.ExpireAt, at)
		}
		r := mustSet(t, s, 0, "at", "v", strkv.SetOptions{ExpireAtMillis: 1, Get: true})
		if !r.Set || string(r.Old) != "v" {
			t.Fatalf("set with a past expiry: %+v", r)
		}
		// Stored expired, as Redis 7.0 stores it: absent to reads until
		// the sweep deletes it.
		if m, ok := rawMeta(t, kv, 0, "at"); ok && m.ExpireAt != 1 {
			t.Fatalf("a key set with a past expiry is stored live: %+v", m)
		}
		if _, ok, err := s.Get(ctx, 0, []byte("at")); err != nil || ok {
			t.Fatalf("GET of a key set with a past expiry: found %v, %v", ok, err)
		}
	})

	t.Run("invalid expiry", func(t *testing.T) {
		for _, opt := range []strkv.SetOptions{
			{TTLMillis: math.MaxInt64},
			{TTLMillis: -5},
			{ExpireAtMillis: -1},
		} {
			if _, err := s.Set(ctx, 0, []byte("bad"), []byte("v"), opt); !errors.Is(err, strkv.ErrInvalidExpire) {
				t.Errorf("set %+v: %v, want ErrInvalidExpire", opt, err)
			}
		}
		if _, ok := rawMeta(t, kv, 0, "bad"); ok {
			t.Fatalf("invalid expiry wrote the key")
		}
	})
}

func TestIncrBy(t *testing.T) {
	s, kv := newStore(t)
	ctx := ctxT(t)
	putRaw(t, kv, 0, "list", strkv.Meta{Type: strkv.TypeList})
	tests := []struct {
		name    string
		pre     *string
		delta   int64
		want    int64
		wantErr error
		after   *string
	}{
		{name: "from absent", delta: 1, want: 1, after: ptr("1")},
		{name: "existing", pre: ptr("41"), delta: 1, want: 42, after: ptr("42")},
		{name: "negative", pre: ptr("-5"), delta: -10, want: -15, after: ptr("-15")},
		{name: "zero string", pre: ptr("0"), delta: 0, want: 0, after: ptr("0")},
		{name: "not a number", pre: ptr("abc"), delta: 1, wantErr: strkv.ErrNotInteger, after: ptr("abc")},
		{name: "leading space", pre: ptr(" 1"), delta: 1, wantErr: strkv.ErrNotInteger},
		{name: "leading plus", pre: ptr("+1"), delta: 1, wantErr: strkv.ErrNotInteger},
		{name: "leading zero", pre: ptr("01"), delta: 1, wantErr: strkv.ErrNotInteger},
		{name: "empty", pre: ptr(""), delta: 1, wantErr: strkv.ErrNotInteger},
		{name: "too big", pre: ptr("9223372036854775808"), delta: 1, wantErr: strkv.ErrNotInteger},
		{name: "overflow at max", pre: ptr("9223372036854775807"), delta: 1, wantErr: strkv.ErrOverflow, after: ptr("9223372036854775807")},
		{name: "underflow at min", pre: ptr("-9223372036854775808"), delta: -1, wantErr: strkv.ErrOverflow},
		{name: "to max", pre: ptr("9223372036854775806"), delta: 1, want: math.MaxInt64},
		{name: "min plus", pre: ptr("-9223372036854775808"), delta: math.MaxInt64, want: -1},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			key := fmt.Sprintf("n%d", i)
			if tc.pre != nil {
				mustSet(t, s, 0, key, *tc.pre, strkv.SetOptions{})
			}
			n, err := s.IncrBy(ctx, 0, []byte(key), tc.delta)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if err == nil && n != tc.want {
				t.Fatalf("n = %d, want %d", n, tc.want)
			}
			if tc.after != nil {
				if got, _ := get(t, s, 0, key); got != *tc.after {
					t.Fatalf("value after = %q, want %q", got, *tc.after)
				}
			}
		})
	}
	if _, err := s.IncrBy(ctx, 0, []byte("list"), 1); !errors.Is(err, strkv.ErrWrongType) {
		t.Fatalf("incr of a list: %v, want ErrWrongType", err)
	}
}

func TestDelExists(t *testing.T) {
	s, kv := newStore(t)
	ctx := ctxT(t)
	for _, k := range []string{"a", "b", "c"} {
		mustSet(t, s, 0, k, "v", strkv.SetOptions{})
	}
	putRaw(t, kv, 0, "z", strkv.Meta{Type: strkv.TypeZSet})
	keys := func(ks ...string) [][]byte {
		out := make([][]byte, len(ks))
		for i, k := range ks {
			out[i] = []byte(k)
		}
		return out
	}
	if n, err := s.Exists(ctx, 0, keys("a", "b", "x", "a", "z")...); err != nil || n != 4 {
		t.Fatalf("exists = %d, %v; want 4 (duplicates count, any type counts)", n, err)
	}
	if n, err := s.Del(ctx, 0, keys("a", "x", "a", "z")...); err != nil || n != 2 {
		t.Fatalf("del = %d, %v; want 2 (a once, z)", n, err)
	}
	if n, err := s.Exists(ctx, 0, keys("a", "b", "c", "z")...); err != nil || n != 2 {
		t.Fatalf("exists after del = %d, %v; want 2", n, err)
	}
	if n, err := s.Del(ctx, 0); err != nil || n != 0 {
		t.Fatalf("del of nothing = %d, %v", n, err)
	}
	if err := s.FlushDB(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Exists(ctx, 0, keys("b", "c")...); err != nil || n != 0 {
		t.Fatalf("exists after flushdb = %d, %v", n, err)
	}
}

// TestIncrHotKey checks that many writers of one key never conflict nor lose
// an increment.
func TestIncrHotKey(t *testing.T) {
	s, _ := newStore(t)
	ctx := ctxT(t)
	const workers, each = 32, 200
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Go(func() {
			for range each {
				if _, err := s.IncrBy(ctx, 0, []byte("hot"), 1); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got, _ := get(t, s, 0, "hot"); got != fmt.Sprint(workers*each) {
		t.Fatalf("hot = %s, want %d", got, workers*each)
	}
}

func TestRunBatch(t *testing.T) {
	s, _ := newStore(t)
	res, err := s.Run(ctxT(t),
		strkv.SetOp(0, []byte("k"), []byte("10"), strkv.SetOptions{}),
		strkv.IncrByOp(0, []byte("k"), 5),
		strkv.SetOp(0, []byte("k"), []byte("x"), strkv.SetOptions{Get: true}),
		strkv.IncrByOp(0, []byte("k"), 1),
		strkv.DelOp(0, []byte("k"), []byte("k")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := strkv.DecodeSet(res[0]); err != nil || !r.Set {
		t.Fatalf("set: %+v %v", r, err)
	}
	if n, err := strkv.DecodeIncrBy(res[1]); err != nil || n != 15 {
		t.Fatalf("incr: %d %v", n, err)
	}
	if r, err := strkv.DecodeSet(res[2]); err != nil || string(r.Old) != "15" {
		t.Fatalf("set get: %+v %v", r, err)
	}
	if _, err := strkv.DecodeIncrBy(res[3]); !errors.Is(err, strkv.ErrNotInteger) {
		t.Fatalf("incr of x: %v", err)
	}
	if n, err := strkv.DecodeDel(res[4]); err != nil || n != 1 {
		t.Fatalf("del: %d %v", n, err)
	}
}

func TestSweep(t *testing.T) {
	s, kv := newStore(t)
	ctx := ctxT(t)
	for i := range 5 {
		mustSet(t, s, 1, fmt.Sprintf("e%d", i), "v", strkv.SetOptions{TTLMillis: 1})
	}
	mustSet(t, s, 1, "long", "v", strkv.SetOptions{TTLMillis: 100_000})
	// A key whose expiry was removed must not be swept by its old entry.
	mustSet(t, s, 1, "moved", "v", strkv.SetOptions{TTLMillis: 1})
	mustSet(t, s, 1, "moved", "v2", strkv.SetOptions{})
	for i := range 5 {
		waitExpired(t, kv, 1, fmt.Sprintf("e%d", i))
	}

	deleted, more, err := s.Sweep(ctx, 3)
	if err != nil || deleted != 3 || !more {
		t.Fatalf("first sweep = %d, %v, %v; want 3, true", deleted, more, err)
	}
	deleted, more, err = s.Sweep(ctx, 100)
	if err != nil || deleted != 2 || more {
		t.Fatalf("second sweep = %d, %v, %v; want 2, false", deleted, more, err)
	}
	for i := range 5 {
		if _, ok := rawMeta(t, kv, 1, fmt.Sprintf("e%d", i)); ok {
			t.Errorf("e%d still stored after sweep", i)
		}
	}
	if got, ok := get(t, s, 1, "moved"); !ok || got != "v2" {
		t.Fatalf("moved = %q, %v", got, ok)
	}
	if _, ok := get(t, s, 1, "long"); !ok {
		t.Fatalf("long was swept")
	}
	// Only the long key's entry is left in the expiry index.
	var entries int
	err = layers.View(ctx, kv, func(r layers.Reader) error {
		begin := []byte{0x02, 'e', 'x', 'p', 0x00}
		end := append(bytes.Clone(begin), 0xff)
		it := r.Scan(begin, end, false)
		for it.Next() {
			entries++
		}
		return it.Close()
	})
	if err != nil || entries != 1 {
		t.Fatalf("expiry index holds %d entries (%v), want 1", entries, err)
	}
	// NextExpiry names the long key's expiry, about 100 s away.
	next, ok, err := s.NextExpiry(ctx)
	if err != nil || !ok || time.Until(next) < 90*time.Second || time.Until(next) > 101*time.Second {
		t.Fatalf("NextExpiry = %v, %v, %v; want about 100 s from now", next, ok, err)
	}
	if _, err := s.Del(ctx, 1, []byte("long")); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.NextExpiry(ctx); err != nil || ok {
		t.Fatalf("NextExpiry with no expiring keys = %v, %v", ok, err)
	}
}
