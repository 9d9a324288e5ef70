package strkv_test

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/layers/subspace"
)

// run1 commits one mutation and returns its raw result.
func run1(t *testing.T, s *strkv.Store, m strkv.Mutation) []byte {
	t.Helper()
	res, err := s.Run(ctxT(t), m)
	if err != nil {
		t.Fatalf("run %s: %v", m.Op, err)
	}
	return res[0]
}

// expEntry is one entry of the expiry index.
type expEntry struct {
	at  int64
	db  int64
	key string
}

// expIndex reads the whole expiry index.
func expIndex(t *testing.T, kv layers.KV) []expEntry {
	t.Helper()
	sp := subspace.Sub("exp")
	var out []expEntry
	err := layers.View(ctxT(t), kv, func(r layers.Reader) error {
		begin, end := sp.Range()
		it := r.Scan(begin, end, false)
		defer it.Close()
		for it.Next() {
			tu, err := sp.Unpack(it.Key())
			if err != nil {
				return err
			}
			out = append(out, expEntry{tu[0].(int64), tu[2].(int64), string(tu[3].([]byte))})
		}
		return it.Err()
	})
	if err != nil {
		t.Fatalf("read expiry index: %v", err)
	}
	return out
}

// wantIndex checks that the expiry index holds exactly want.
func wantIndex(t *testing.T, kv layers.KV, want ...expEntry) {
	t.Helper()
	got := expIndex(t, kv)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("expiry index = %v, want %v", got, want)
	}
}

func intRes(t *testing.T, res []byte) int64 {
	t.Helper()
	n, err := strkv.DecodeInt(res)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return n
}

func TestGetExGetDel(t *testing.T) {
	s, kv := newStore(t)
	k := []byte("k")
	mustSet(t, s, 0, "k", "v", strkv.SetOptions{})

	before := time.Now().UnixMilli()
	v, ok, err := strkv.DecodeValue(run1(t, s, strkv.GetExOp(0, k, strkv.GetExOptions{TTLMillis: 100_000})))
	after := time.Now().UnixMilli()
	if err != nil || !ok || string(v) != "v" {
		t.Fatalf("getex px = %q, %v, %v", v, ok, err)
	}
	m, _ := rawMeta(t, kv, 0, "k")
	if m.ExpireAt < before+100_000 || m.ExpireAt > after+100_000 {
		t.Fatalf("expireAt %d not computed from the commit time [%d, %d]", m.ExpireAt, before, after)
	}
	wantIndex(t, kv, expEntry{m.ExpireAt, 0, "k"})

	run1(t, s, strkv.GetExOp(0, k, strkv.GetExOptions{Persist: true}))
	if m, _ := rawMeta(t, kv, 0, "k"); m.ExpireAt != 0 {
		t.Fatalf("persist left expireAt %d", m.ExpireAt)
	}
	wantIndex(t, kv)

	// A deferred argument error shows only for an existing string.
	for _, argErr := range []error{strkv.ErrInvalidExpire, strkv.ErrNotInteger} {
		opt := strkv.GetExOptions{ArgErr: argErr}
		if _, _, err := strkv.DecodeValue(run1(t, s, strkv.GetExOp(0, k, opt))); !errors.Is(err, argErr) {
			t.Fatalf("getex with %v on a string: %v", argErr, err)
		}
		if _, ok, err := strkv.DecodeValue(run1(t, s, strkv.GetExOp(0, []byte("nope"), opt))); ok || err != nil {
			t.Fatalf("getex with %v on a missing key: %v, %v", argErr, ok, err)
		}
	}
	// A relative expiry that overflows the commit time.
	opt := strkv.GetExOptions{TTLMillis: math.MaxInt64}
	if _, _, err := strkv.DecodeValue(run1(t, s, strkv.GetExOp(0, k, opt))); !errors.Is(err, strkv.ErrInvalidExpire) {
		t.Fatalf("getex overflow: %v", err)
	}
	// An absolute expiry in the past deletes the key, after reading it.
	v, ok, err = strkv.DecodeValue(run1(t, s, strkv.GetExOp(0, k, strkv.GetExOptions{ExpireAtMillis: 1})))
	if err != nil || !ok || string(v) != "v" {
		t.Fatalf("getex exat past = %q, %v, %v", v, ok, err)
	}
	if _, ok := rawMeta(t, kv, 0, "k"); ok {
		t.Fatalf("getex with a past time kept the key")
	}

	mustSet(t, s, 0, "d", "x", strkv.SetOptions{TTLMillis: 100_000})
	v, ok, err = strkv.DecodeValue(run1(t, s, strkv.GetDelOp(0, []byte("d"))))
	if err != nil || !ok || string(v) != "x" {
		t.Fatalf("getdel = %q, %v, %v", v, ok, err)
	}
	if _, ok := rawMeta(t, kv, 0, "d"); ok {
		t.Fatalf("getdel kept the key")
	}
	wantIndex(t, kv)
	if _, ok, err := strkv.DecodeValue(run1(t, s, strkv.GetDelOp(0, []byte("d")))); ok || err != nil {
		t.Fatalf("second getdel: %v, %v", ok, err)
	}

	putRaw(t, kv, 0, "h", strkv.Meta{Type: strkv.TypeHash, Version: 1})
	for _, m := range []strkv.Mutation{strkv.GetDelOp(0, []byte("h")), strkv.GetExOp(0, []byte("h"), strkv.GetExOptions{Persist: true})} {
		if _, _, err := strkv.DecodeValue(run1(t, s, m)); !errors.Is(err, strkv.ErrWrongType) {
			t.Fatalf("%s on a hash: %v", m.Op, err)
		}
	}
}

func TestAppendSetRange(t *testing.T) {
	s, kv := newStore(t)
	tests := []struct {
		m       strkv.Mutation
		want    int64
		err     error
		key     string
		value   string
		present bool
	}{
		{m: strkv.AppendOp(0, []byte("a"), []byte("he")), want: 2, key: "a", value: "he", present: true},
		{m: strkv.AppendOp(0, []byte("a"), []byte("llo")), want: 5, key: "a", value: "hello", present: true},
		{m: strkv.AppendOp(0, []byte("e"), nil), want: 0, key: "e", value: "", present: true},
		{m: strkv.SetRangeOp(0, []byte("r"), 3, []byte("ab")), want: 5, key: "r", value: "\x00\x00\x00ab", present: true},
		{m: strkv.SetRangeOp(0, []byte("r"), 0, []byte("xyz")), want: 5, key: "r", value: "xyzab", present: true},
		{m: strkv.SetRangeOp(0, []byte("r"), 4, []byte("123")), want: 7, key: "r", value: "xyza123", present: true},
		{m: strkv.SetRangeOp(0, []byte("r"), 100, nil), want: 7, key: "r", value: "xyza123", present: true},
		{m: strkv.SetRangeOp(0, []byte("none"), 3, nil), want: 0, key: "none"},
		{m: strkv.SetRangeOp(0, []byte("big"), strkv.MaxStringLen, []byte("a")), err: strkv.ErrTooLarge, key: "big"},
		{m: strkv.SetRangeOp(0, []byte("big"), math.MaxInt64, []byte("a")), err: strkv.ErrTooLarge, key: "big"},
	}
	for i, tc := range tests {
		n, err := strkv.DecodeInt(run1(t, s, tc.m))
		if !errors.Is(err, tc.err) || (err == nil && n != tc.want) {
			t.Errorf("%d %s: %d, %v; want %d, %v", i, tc.m.Op, n, err, tc.want, tc.err)
		}
		v, ok := get(t, s, 0, tc.key)
		if ok != tc.present || v != tc.value {
			t.Errorf("%d: %q = %q, %v; want %q, %v", i, tc.key, v, ok, tc.value, tc.present)
		}
	}
	// Both keep the expiry.
	mustSet(t, s, 0, "t", "x", strkv.SetOptions{TTLMillis: 100_000})
	m1, _ := rawMeta(t, kv, 0, "t")
	run1(t, s, strkv.AppendOp(0, []byte("t"), []byte("y")))
	run1(t, s, strkv.SetRangeOp(0, []byte("t"), 0, []byte("z")))
	if m2, _ := rawMeta(t, kv, 0, "t"); m2.ExpireAt != m1.ExpireAt || string(m2.Value) != "zy" {
		t.Fatalf("after append and setrange: %+v, want expireAt %d", m2, m1.ExpireAt)
	}
	putRaw(t, kv, 0, "h", strkv.Meta{Type: strkv.TypeHash, Version: 1})
	if _, err := strkv.DecodeInt(run1(t, s, strkv.AppendOp(0, []byte("h"), []byte("x")))); !errors.Is(err, strkv.ErrWrongType) {
		t.Fatalf("append to a hash: %v", err)
	}
}

func TestIncrByFloat(t *testing.T) {
	s, kv := newStore(t)
	mustSet(t, s, 0, "str", "abc", strkv.SetOptions{})
	mustSet(t, s, 0, "int", "7", strkv.SetOptions{TTLMillis: 100_000})
	putRaw(t, kv, 0, "h", strkv.Meta{Type: strkv.TypeHash, Version: 1})
	tests := []struct {
		key, incr string
		want      string
		err       error
	}{
		{key: "f", incr: "10.5", want: "10.5"},
		{key: "f", incr: "0.1", want: "10.6"},
		{key: "f", incr: "-10.6", want: "0"},
		{key: "g", incr: "0.1", want: "0.1"},
		{key: "g", incr: "0.2", want: "0.3"},
		{key: "g", incr: "3.0e3", want: "3000.30000000000000004"}, // as Redis 7.0 prints it
		{key: "n", incr: "-0", want: "0"},
		{key: "n", incr: "0x10", want: "16"},
		{key: "int", incr: "1.5", want: "8.5"},
		{key: "f", incr: "abc", err: strkv.ErrNotFloat},
		{key: "f", incr: " 1", err: strkv.ErrNotFloat},
		{key: "f", incr: "nan", err: strkv.ErrNotFloat},
		{key: "f", incr: "1e99999", err: strkv.ErrNotFloat},
		{key: "f", incr: "inf", err: strkv.ErrNaNOrInf},
		{key: "str", incr: "1", err: strkv.ErrNotFloat},
		{key: "h", incr: "abc", err: strkv.ErrWrongType},
	}
	for _, tc := range tests {
		v, err := strkv.DecodeIncrByFloat(run1(t, s, strkv.IncrByFloatOp(0, []byte(tc.key), []byte(tc.incr))))
		if !errors.Is(err, tc.err) || (err == nil && string(v) != tc.want) {
			t.Errorf("incrbyfloat %s %s = %q, %v; want %q, %v", tc.key, tc.incr, v, err, tc.want, tc.err)
		}
	}
	if m, _ := rawMeta(t, kv, 0, "int"); m.ExpireAt == 0 || string(m.Value) != "8.5" {
		t.Fatalf("incrbyfloat must keep the TTL: %+v", m)
	}
}

func TestMSetNX(t *testing.T) {
	s, _ := newStore(t)
	b := func(ss ...string) [][]byte {
		out := make([][]byte, len(ss))
		for i, x := range ss {
			out[i] = []byte(x)
		}
		return out
	}
	if n := intRes(t, run1(t, s, strkv.MSetNXOp(0, b("a", "1", "b", "2")))); n != 1 {
		t.Fatalf("msetnx of new keys = %d", n)
	}
	if n := intRes(t, run1(t, s, strkv.MSetNXOp(0, b("c", "3", "a", "x")))); n != 0 {
		t.Fatalf("msetnx over an existing key = %d", n)
	}
	if _, ok := get(t, s, 0, "c"); ok {
		t.Fatalf("msetnx set c although a existed")
	}
	if n := intRes(t, run1(t, s, strkv.MSetNXOp(0, b("d", "1", "d", "2")))); n != 1 {
		t.Fatalf("msetnx with a repeated key = %d", n)
	}
	if v, _ := get(t, s, 0, "d"); v != "2" {
		t.Fatalf("d = %q, want the last value", v)
	}
}

func TestExpireOp(t *testing.T) {
	s, kv := newStore(t)
	k := []byte("k")
	mustSet(t, s, 0, "k", "v", strkv.SetOptions{})
	exp := func(when int64, rel bool, cond byte) int64 {
		t.Helper()
		return intRes(t, run1(t, s, strkv.ExpireOp(0, k, when, rel, cond)))
	}
	expireAt := func() int64 {
		t.Helper()
		m, _ := rawMeta(t, kv, 0, "k")
		return m.ExpireAt
	}
	future := time.Now().Add(time.Hour).UnixMilli()

	if n := exp(1000, true, strkv.ExpireXX); n != 0 || expireAt() != 0 {
		t.Fatalf("XX without expiry = %d", n)
	}
	if n := exp(1000, true, strkv.ExpireGT); n != 0 {
		t.Fatalf("GT without expiry (infinite) = %d", n)
	}
	before := time.Now().UnixMilli()
	if n := exp(100_000, true, strkv.ExpireNX); n != 1 {
		t.Fatalf("NX without expiry = %d", n)
	}
	after := time.Now().UnixMilli()
	if at := expireAt(); at < before+100_000 || at > after+100_000 {
		t.Fatalf("relative expiry %d not from the commit time [%d, %d]", at, before, after)
	}
	if n := exp(future, false, strkv.ExpireNX); n != 0 {
		t.Fatalf("NX with expiry = %d", n)
	}
	if n := exp(future, false, strkv.ExpireGT); n != 1 || expireAt() != future {
		t.Fatalf("GT later = %d, at %d", n, expireAt())
	}
	if n := exp(future+1, false, strkv.ExpireLT); n != 0 {
		t.Fatalf("LT later = %d", n)
	}
	if n := exp(future-1, false, strkv.ExpireLT|strkv.ExpireXX); n != 1 || expireAt() != future-1 {
		t.Fatalf("LT XX earlier = %d", n)
	}
	wantIndex(t, kv, expEntry{future - 1, 0, "k"})
	if n := intRes(t, run1(t, s, strkv.PersistOp(0, k))); n != 1 || expireAt() != 0 {
		t.Fatalf("persist = %d", n)
	}
	wantIndex(t, kv)
	if n := intRes(t, run1(t, s, strkv.PersistOp(0, k))); n != 0 {
		t.Fatalf("second persist = %d", n)
	}
	if _, err := strkv.DecodeInt(run1(t, s, strkv.ExpireOp(0, k, math.MaxInt64, true, 0))); !errors.Is(err, strkv.ErrInvalidExpire) {
		t.Fatalf("overflowing relative expiry: %v", err)
	}
	if n := exp(future, false, 0); n != 1 {
		t.Fatal("set expiry")
	}
	// A time not after the commit time deletes the key and its entry.
	if n := exp(-5, true, 0); n != 1 {
		t.Fatalf("negative expire = %d", n)
	}
	if _, ok := rawMeta(t, kv, 0, "k"); ok {
		t.Fatalf("past expiry kept the key")
	}
	wantIndex(t, kv)
	if n := exp(100, true, 0); n != 0 {
		t.Fatalf("expire of a missing key = %d", n)
	}

	// A collection keeps its members when its expiry changes.
	putRaw(t, kv, 0, "h", strkv.Meta{Type: strkv.TypeHash, Version: 7})
	putMember(t, kv, 0, "h", 7, "f", "v")
	if n := intRes(t, run1(t, s, strkv.ExpireOp(0, []byte("h"), future, false, 0))); n != 1 {
		t.Fatalf("expire of a hash = %d", n)
	}
	if got := members(t, kv, 0, "h"); fmt.Sprint(got) != "[f=v]" {
		t.Fatalf("hash members after expire: %v", got)
	}
}

// putMember writes a collection member under key's data subspace.
func putMember(t *testing.T, kv layers.KV, db int, key string, version uint64, field, val string) {
	t.Helper()
	_, err := layers.Update(ctxT(t), kv, func(tx layers.Txn) error {
		tx.Set(strkv.DataSubspace(db, []byte(key)).Sub(int64(version), field).Bytes(), []byte(val))
		return nil
	})
	if err != nil {
		t.Fatalf("put member: %v", err)
	}
}

// members lists key's collection members as field=value.
func members(t *testing.T, kv layers.KV, db int, key string) []string {
	t.Helper()
	sp := strkv.DataSubspace(db, []byte(key))
	var out []string
	err := layers.View(ctxT(t), kv, func(r layers.Reader) error {
		begin, end := sp.Range()
		it := r.Scan(begin, end, false)
		defer it.Close()
		for it.Next() {
			tu, err := sp.Unpack(it.Key())
			if err != nil {
				return err
			}
			out = append(out, fmt.Sprintf("%v=%s", tu[1], it.Value()))
		}
		return it.Err()
	})
	if err != nil {
		t.Fatalf("read members: %v", err)
	}
	return out
}

func TestRename(t *testing.T) {
	s, kv := newStore(t)
	ren := func(src, dst string, nx bool) (int64, error) {
		t.Helper()
		return strkv.DecodeInt(run1(t, s, strkv.RenameOp(0, []byte(src), []byte(dst), nx)))
	}
	future := time.Now().Add(time.Hour).UnixMilli()
	mustSet(t, s, 0, "a", "1", strkv.SetOptions{ExpireAtMillis: future})
	if n, err := ren("a", "b", false); n != 1 || err != nil {
		t.Fatalf("rename = %d, %v", n, err)
	}
	if _, ok := rawMeta(t, kv, 0, "a"); ok {
		t.Fatalf("rename kept the source")
	}
	if m, _ := rawMeta(t, kv, 0, "b"); m.ExpireAt != future || string(m.Value) != "1" {
		t.Fatalf("renamed key: %+v", m)
	}
	wantIndex(t, kv, expEntry{future, 0, "b"})
	if _, err := ren("a", "c", false); !errors.Is(err, strkv.ErrNoSuchKey) {
		t.Fatalf("rename of a missing key: %v", err)
	}
	if n, err := ren("b", "b", false); n != 1 || err != nil {
		t.Fatalf("rename to itself = %d, %v", n, err)
	}
	if n, err := ren("b", "b", true); n != 0 || err != nil {
		t.Fatalf("renamenx to itself = %d, %v", n, err)
	}
	mustSet(t, s, 0, "c", "2", strkv.SetOptions{})
	if n, err := ren("b", "c", true); n != 0 || err != nil {
		t.Fatalf("renamenx over an existing key = %d, %v", n, err)
	}
	// RENAME replaces the destination, its expiry entry included.
	mustSet(t, s, 0, "c", "2", strkv.SetOptions{ExpireAtMillis: future + 5})
	if n, err := ren("b", "c", false); n != 1 || err != nil {
		t.Fatalf("rename over c = %d, %v", n, err)
	}
	wantIndex(t, kv, expEntry{future, 0, "c"})
	if v, _ := get(t, s, 0, "c"); v != "1" {
		t.Fatalf("c = %q", v)
	}

	// A hash moves with its members; the replaced hash's members go.
	putRaw(t, kv, 0, "h1", strkv.Meta{Type: strkv.TypeHash, Version: 3})
	putMember(t, kv, 0, "h1", 3, "f", "one")
	putRaw(t, kv, 0, "h2", strkv.Meta{Type: strkv.TypeHash, Version: 4})
	putMember(t, kv, 0, "h2", 4, "g", "two")
	if n, err := ren("h1", "h2", false); n != 1 || err != nil {
		t.Fatalf("rename hash = %d, %v", n, err)
	}
	if got := members(t, kv, 0, "h2"); fmt.Sprint(got) != "[f=one]" {
		t.Fatalf("h2 members = %v", got)
	}
	if got := members(t, kv, 0, "h1"); len(got) != 0 {
		t.Fatalf("h1 members left: %v", got)
	}
	if m, _ := rawMeta(t, kv, 0, "h2"); m.Type != strkv.TypeHash || m.Version != 3 {
		t.Fatalf("h2 meta: %+v", m)
	}
}

func TestCopy(t *testing.T) {
	s, kv := newStore(t)
	cp := func(srcDB int, src string, dstDB int, dst string, replace bool) int64 {
		t.Helper()
		n, err := strkv.DecodeInt(run1(t, s, strkv.CopyOp(srcDB, []byte(src), dstDB, []byte(dst), replace)))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	future := time.Now().Add(time.Hour).UnixMilli()
	mustSet(t, s, 0, "a", "1", strkv.SetOptions{ExpireAtMillis: future})
	if n := cp(0, "a", 1, "b", false); n != 1 {
		t.Fatalf("copy to db 1 = %d", n)
	}
	if m, _ := rawMeta(t, kv, 1, "b"); m.ExpireAt != future || string(m.Value) != "1" {
		t.Fatalf("copied key: %+v", m)
	}
	if v, ok := get(t, s, 0, "a"); !ok || v != "1" {
		t.Fatalf("copy changed the source: %q %v", v, ok)
	}
	wantIndex(t, kv, expEntry{future, 0, "a"}, expEntry{future, 1, "b"})
	if n := cp(0, "missing", 0, "x", false); n != 0 {
		t.Fatalf("copy of a missing key = %d", n)
	}
	mustSet(t, s, 0, "c", "2", strkv.SetOptions{})
	if n := cp(0, "a", 0, "c", false); n != 0 {
		t.Fatalf("copy over an existing key without REPLACE = %d", n)
	}
	if n := cp(0, "a", 0, "c", true); n != 1 {
		t.Fatalf("copy with REPLACE = %d", n)
	}
	if v, _ := get(t, s, 0, "c"); v != "1" {
		t.Fatalf("c = %q", v)
	}
	// A collection is copied with its members; both stay independent.
	putRaw(t, kv, 0, "h1", strkv.Meta{Type: strkv.TypeHash, Version: 3})
	putMember(t, kv, 0, "h1", 3, "f", "one")
	if n := cp(0, "h1", 0, "h2", false); n != 1 {
		t.Fatalf("copy hash = %d", n)
	}
	for _, k := range []string{"h1", "h2"} {
		if got := members(t, kv, 0, k); fmt.Sprint(got) != "[f=one]" {
			t.Fatalf("%s members = %v", k, got)
		}
	}
}

func TestScanKeysRandomKeyDBSize(t *testing.T) {
	s, kv := newStore(t)
	ctx := ctxT(t)
	for _, k := range []string{"b", "a", "d", "c\x00x", "c"} {
		mustSet(t, s, 2, k, "v", strkv.SetOptions{})
	}
	mustSet(t, s, 2, "bb", "v", strkv.SetOptions{TTLMillis: 1})
	waitExpired(t, kv, 2, "bb")
	err := s.View(ctx, func(r *strkv.Reader) error {
		var got []string
		err := r.ScanKeys(2, []byte("b"), func(k []byte, _ strkv.Meta) bool {
			got = append(got, string(k))
			return len(got) < 3
		})
		if err != nil {
			return err
		}
		if want := []string{"b", "c", "c\x00x"}; !slices.Equal(got, want) {
			return fmt.Errorf("scan from b = %q, want %q", got, want)
		}
		if n, err := r.DBSize(2); err != nil || n != 5 {
			return fmt.Errorf("dbsize = %d, %v; want 5 (the expired key not counted)", n, err)
		}
		if n, err := r.DBSize(3); err != nil || n != 0 {
			return fmt.Errorf("dbsize of an empty db = %d, %v", n, err)
		}
		live := map[string]bool{"a": true, "b": true, "c": true, "c\x00x": true, "d": true}
		picked := map[string]bool{}
		for pick := range uint64(200) {
			k, ok, err := r.RandomKey(2, pick*0x9e3779b97f4a7c15)
			if err != nil || !ok || !live[string(k)] {
				return fmt.Errorf("randomkey = %q, %v, %v", k, ok, err)
			}
			picked[string(k)] = true
		}
		if len(picked) < 3 {
			return fmt.Errorf("randomkey picked only %q in 200 draws", slices.Collect(maps.Keys(picked)))
		}
		if _, ok, err := r.RandomKey(3, 42); ok || err != nil {
			return fmt.Errorf("randomkey of an empty db: %v, %v", ok, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
