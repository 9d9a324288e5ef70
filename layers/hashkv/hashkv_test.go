package hashkv

// Tests of the hash mutations and reads on a real single-node store.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

// newStore opens a real single-node store with this layer's and strkv's
// mutations.
func newStore(t *testing.T) *strkv.Store {
	t.Helper()
	muts := strkv.Mutations()
	maps.Copy(muts, Mutations())
	return strkv.New(raftstoretest.NewWithMutations(t, muts))
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// run commits one mutation and returns its raw result.
func run(t *testing.T, s *strkv.Store, m strkv.Mutation) []byte {
	t.Helper()
	res, err := s.Run(ctxT(t), m)
	if err != nil {
		t.Fatalf("run %s: %v", m.Op, err)
	}
	return res[0]
}

func bs(ss ...string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

// count runs a mutation whose result DecodeCount reads.
func count(t *testing.T, s *strkv.Store, m strkv.Mutation) (int64, error) {
	t.Helper()
	return DecodeCount(run(t, s, m))
}

// randomPairs collects what h.Random(count) picks, checking that it makes
// RandomLen picks.
func randomPairs(t *testing.T, h *Hash, count int64, rng *rand.Rand) ([]Pair, error) {
	t.Helper()
	var out []Pair
	err := h.Random(count, rng, func(f, v []byte) {
		out = append(out, Pair{bytes.Clone(f), bytes.Clone(v)})
	})
	if err == nil && int64(len(out)) != h.RandomLen(count) {
		t.Errorf("Random(%d) made %d picks, RandomLen says %d", count, len(out), h.RandomLen(count))
	}
	return out, err
}

// view runs fn in a read view.
func view(t *testing.T, s *strkv.Store, fn func(r *strkv.Reader) error) {
	t.Helper()
	if err := s.View(ctxT(t), fn); err != nil {
		t.Fatal(err)
	}
}

// dump returns the hash's fields and values as "f=v" strings, in order.
func dump(t *testing.T, s *strkv.Store, db int, key string) []string {
	t.Helper()
	var out []string
	view(t, s, func(r *strkv.Reader) error {
		pairs, err := GetAll(r, db, []byte(key))
		for _, p := range pairs {
			out = append(out, string(p.Field)+"="+string(p.Value))
		}
		return err
	})
	return out
}

func TestHashSetGetDel(t *testing.T) {
	s := newStore(t)
	steps := []struct {
		m    strkv.Mutation
		want int64
	}{
		{SetOp(0, []byte("h"), bs("b", "2", "a", "1")), 2},
		{SetOp(0, []byte("h"), bs("a", "10", "c", "3")), 1},
		{SetOp(0, []byte("h"), bs("d", "x", "d", "4")), 1}, // a field named twice counts once
		{SetOp(0, []byte("h"), bs("", "empty-name", "z", "")), 2},
		{SetNXOp(0, []byte("h"), []byte("a"), []byte("no")), 0},
		{SetNXOp(0, []byte("h"), []byte("e"), []byte("5")), 1},
		{SetNXOp(0, []byte("new"), []byte("f"), []byte("v")), 1},
		{DelOp(0, []byte("h"), bs("missing")), 0},
		{DelOp(0, []byte("h"), bs("c", "c", "missing", "z")), 2},
		{DelOp(0, []byte("absent"), bs("a")), 0},
		{SetOp(1, []byte("h"), bs("other", "db")), 1},
	}
	for i, st := range steps {
		got, err := count(t, s, st.m)
		if err != nil || got != st.want {
			t.Fatalf("step %d (%s): got %d, %v; want %d", i, st.m.Op, got, err, st.want)
		}
	}
	want := []string{"=empty-name", "a=10", "b=2", "d=4", "e=5"}
	if got := dump(t, s, 0, "h"); !slices.Equal(got, want) {
		t.Fatalf("fields = %q, want %q", got, want)
	}
	view(t, s, func(r *strkv.Reader) error {
		for _, tc := range []struct {
			field string
			val   string
			ok    bool
		}{{"a", "10", true}, {"", "empty-name", true}, {"c", "", false}, {"zz", "", false}} {
			v, ok, err := Get(r, 0, []byte("h"), []byte(tc.field))
			if err != nil || ok != tc.ok || string(v) != tc.val {
				t.Errorf("Get %q = %q, %v, %v", tc.field, v, ok, err)
			}
			if ex, err := Exists(r, 0, []byte("h"), []byte(tc.field)); err != nil || ex != tc.ok {
				t.Errorf("Exists %q = %v, %v", tc.field, ex, err)
			}
			if n, err := StrLen(r, 0, []byte("h"), []byte(tc.field)); err != nil || n != int64(len(tc.val)) {
				t.Errorf("StrLen %q = %d, %v", tc.field, n, err)
			}
		}
		vals, err := MGet(r, 0, []byte("h"), bs("b", "nope", "a"))
		if err != nil || fmt.Sprintf("%q", vals) != `["2" "" "10"]` || vals[1] != nil {
			t.Errorf("MGet = %q, %v", vals, err)
		}
		vals, err = MGet(r, 0, []byte("absent"), bs("a"))
		if err != nil || len(vals) != 1 || vals[0] != nil {
			t.Errorf("MGet of a missing key = %q, %v", vals, err)
		}
		for key, want := range map[string]int64{"h": 5, "new": 1, "absent": 0} {
			if n, err := Len(r, 0, []byte(key)); err != nil || n != want {
				t.Errorf("Len %q = %d, %v; want %d", key, n, err, want)
			}
		}
		if n, err := Len(r, 1, []byte("h")); err != nil || n != 1 {
			t.Errorf("Len in db 1 = %d, %v", n, err)
		}
		return nil
	})

	// Removing the last field removes the key.
	if n, err := count(t, s, DelOp(0, []byte("h"), bs("a", "b", "d", "e", ""))); err != nil || n != 5 {
		t.Fatalf("HDEL of every field = %d, %v", n, err)
	}
	if n, err := s.Exists(ctxT(t), 0, []byte("h")); err != nil || n != 0 {
		t.Fatalf("EXISTS after the last field went = %d, %v", n, err)
	}
	if got := dump(t, s, 0, "h"); got != nil {
		t.Fatalf("fields of the deleted hash: %q", got)
	}
}

func TestHashWrongType(t *testing.T) {
	s := newStore(t)
	ctx := ctxT(t)
	if _, err := s.Set(ctx, 0, []byte("str"), []byte("v"), strkv.SetOptions{}); err != nil {
		t.Fatal(err)
	}
	key := []byte("str")
	for _, m := range []strkv.Mutation{
		SetOp(0, key, bs("f", "v")),
		SetNXOp(0, key, []byte("f"), []byte("v")),
		DelOp(0, key, bs("f")),
	} {
		if _, err := count(t, s, m); !errors.Is(err, strkv.ErrWrongType) {
			t.Errorf("%s on a string: %v, want ErrWrongType", m.Op, err)
		}
	}
	if _, err := DecodeIncrBy(run(t, s, IncrByOp(0, key, []byte("f"), 1))); !errors.Is(err, strkv.ErrWrongType) {
		t.Errorf("hincrby on a string: %v", err)
	}
	if _, err := DecodeIncrByFloat(run(t, s, IncrByFloatOp(0, key, []byte("f"), []byte("1")))); !errors.Is(err, strkv.ErrWrongType) {
		t.Errorf("hincrbyfloat on a string: %v", err)
	}
	view(t, s, func(r *strkv.Reader) error {
		if _, _, err := Get(r, 0, key, []byte("f")); !errors.Is(err, strkv.ErrWrongType) {
			t.Errorf("Get: %v", err)
		}
		if _, err := Len(r, 0, key); !errors.Is(err, strkv.ErrWrongType) {
			t.Errorf("Len: %v", err)
		}
		if _, err := GetAll(r, 0, key); !errors.Is(err, strkv.ErrWrongType) {
			t.Errorf("GetAll: %v", err)
		}
		return nil
	})
	if v, ok, err := s.Get(ctx, 0, key); err != nil || !ok || string(v) != "v" {
		t.Fatalf("the string changed: %q, %v, %v", v, ok, err)
	}
}

func TestHashIncrBy(t *testing.T) {
	s := newStore(t)
	key := []byte("h")
	run(t, s, SetOp(0, key, bs("s", "abc", "max", "9223372036854775807", "min", "-9223372036854775808", "sp", " 1", "neg0", "-0")))
	tests := []struct {
		field string
		delta int64
		want  int64
		err   error
	}{
		{"n", 5, 5, nil},
		{"n", -7, -2, nil},
		{"s", 1, 0, ErrHashNotInteger},
		{"sp", 1, 0, ErrHashNotInteger},
		{"neg0", 1, 0, ErrHashNotInteger},
		{"max", 1, 0, strkv.ErrOverflow},
		{"max", -1, 9223372036854775806, nil},
		{"min", -1, 0, strkv.ErrOverflow},
		{"min", 0, -9223372036854775808, nil},
	}
	for _, tc := range tests {
		got, err := DecodeIncrBy(run(t, s, IncrByOp(0, key, []byte(tc.field), tc.delta)))
		if !errors.Is(err, tc.err) || (tc.err == nil && got != tc.want) {
			t.Errorf("HINCRBY %s %d = %d, %v; want %d, %v", tc.field, tc.delta, got, err, tc.want, tc.err)
		}
	}
	view(t, s, func(r *strkv.Reader) error {
		if v, _, _ := Get(r, 0, key, []byte("n")); string(v) != "-2" {
			t.Errorf("n = %q", v)
		}
		if n, _ := Len(r, 0, key); n != 6 {
			t.Errorf("Len = %d, want 6", n)
		}
		return nil
	})
}

func TestHashIncrByFloat(t *testing.T) {
	s := newStore(t)
	key := []byte("h")
	run(t, s, SetOp(0, key, bs("s", "abc", "inf", "inf", "big", "1e4932", "nul", "1\x00")))
	tests := []struct {
		field, incr, want string
		err               error
	}{
		{"f", "10.5", "10.5", nil},
		{"f", "0.1", "10.6", nil},
		{"f", "5.0e3", "5010.60000000000000009", nil}, // long double, 17 decimals
		{"f", "-5010.60000000000000009", "0", nil},
		{"g", "-0", "0", nil},
		{"h", "0x10", "16", nil},
		{"s", "1", "", ErrHashNotFloat},
		{"nul", "1", "", ErrHashNotFloat},
		{"inf", "1", "", strkv.ErrNaNOrInf},
		{"big", "1e4932", "", strkv.ErrNaNOrInf},
		{"f", "abc", "", strkv.ErrNotFloat},
	}
	for _, tc := range tests {
		got, err := DecodeIncrByFloat(run(t, s, IncrByFloatOp(0, key, []byte(tc.field), []byte(tc.incr))))
		if !errors.Is(err, tc.err) || string(got) != tc.want {
			t.Errorf("HINCRBYFLOAT %s %s = %q, %v; want %q, %v", tc.field, tc.incr, got, err, tc.want, tc.err)
		}
	}
	if got := dump(t, s, 0, "h"); !slices.Contains(got, "f=0") || !slices.Contains(got, "h=16") || len(got) != 7 {
		t.Errorf("fields = %q", got)
	}
}

// TestExpiry: writes keep a live hash's expiry; a hash written after it
// expired starts over, with no old fields and no expiry.
func TestHashExpiry(t *testing.T) {
	s := newStore(t)
	ctx := ctxT(t)
	key := []byte("h")
	run(t, s, SetOp(0, key, bs("a", "1", "b", "2")))
	if _, err := strkv.DecodeInt(run(t, s, strkv.ExpireOp(0, key, 100_000, true, 0))); err != nil {
		t.Fatal(err)
	}
	run(t, s, SetOp(0, key, bs("c", "3")))
	run(t, s, DelOp(0, key, bs("a")))
	run(t, s, IncrByOp(0, key, []byte("n"), 1))
	run(t, s, IncrByFloatOp(0, key, []byte("x"), []byte("1.5")))
	view(t, s, func(r *strkv.Reader) error {
		ttl, err := r.PTTL(0, key)
		if err != nil || ttl <= 90_000 {
			t.Errorf("PTTL after writes = %d, %v; want the expiry kept", ttl, err)
		}
		return nil
	})

	run(t, s, SetOp(0, []byte("short"), bs("old", "1")))
	run(t, s, strkv.ExpireOp(0, []byte("short"), 30, true, 0))
	time.Sleep(60 * time.Millisecond)
	if n, err := count(t, s, SetOp(0, []byte("short"), bs("new", "2"))); err != nil || n != 1 {
		t.Fatalf("HSET on an expired hash = %d, %v", n, err)
	}
	if got := dump(t, s, 0, "short"); !slices.Equal(got, []string{"new=2"}) {
		t.Fatalf("fields after re-creation = %q", got)
	}
	view(t, s, func(r *strkv.Reader) error {
		if ttl, _ := r.PTTL(0, []byte("short")); ttl != -1 {
			t.Errorf("PTTL of the new incarnation = %d, want -1", ttl)
		}
		return nil
	})
	// DEL and RENAME go through the key record and take the fields along.
	if _, err := strkv.DecodeInt(run(t, s, strkv.RenameOp(0, []byte("short"), []byte("moved"), false))); err != nil {
		t.Fatal(err)
	}
	if got := dump(t, s, 0, "moved"); !slices.Equal(got, []string{"new=2"}) {
		t.Fatalf("fields after RENAME = %q", got)
	}
	if n, err := s.Del(ctx, 0, []byte("moved")); err != nil || n != 1 {
		t.Fatalf("DEL = %d, %v", n, err)
	}
	run(t, s, SetOp(0, []byte("moved"), bs("z", "9")))
	if got := dump(t, s, 0, "moved"); !slices.Equal(got, []string{"z=9"}) {
		t.Fatalf("fields after DEL and HSET = %q", got)
	}
}

// TestCompact follows the encoding Redis would use: compact up to 128
// fields of at most 64 bytes, and never compact again until the key goes.
func TestHashCompact(t *testing.T) {
	s := newStore(t)
	compact := func(key string) bool {
		t.Helper()
		var c bool
		view(t, s, func(r *strkv.Reader) error {
			h, ok, err := Open(r, 0, []byte(key))
			if err != nil || !ok {
				return fmt.Errorf("open %q: %v, %v", key, ok, err)
			}
			c = h.Compact()
			return nil
		})
		return c
	}
	var pairs [][]byte
	for i := range 128 {
		pairs = append(pairs, fmt.Appendf(nil, "f%03d", i), []byte("v"))
	}
	run(t, s, SetOp(0, []byte("h"), pairs))
	if !compact("h") {
		t.Fatal("128 short fields: not compact")
	}
	run(t, s, SetOp(0, []byte("h"), bs("f128", "v")))
	if compact("h") {
		t.Fatal("129 fields: still compact")
	}
	var fields [][]byte
	for i := 2; i < len(pairs); i += 2 {
		fields = append(fields, pairs[i])
	}
	if n, err := count(t, s, DelOp(0, []byte("h"), fields)); n != 127 || err != nil {
		t.Fatalf("HDEL of 127 fields = %d, %v", n, err)
	}
	if compact("h") {
		t.Fatal("compact again after deletes")
	}
	long := string(make([]byte, 65))
	for _, m := range []strkv.Mutation{
		SetOp(0, []byte("v"), bs("f", long)),
		SetOp(0, []byte("k"), bs(long, "v")),
		SetNXOp(0, []byte("nx"), []byte(long), []byte("v")),
		IncrByOp(0, []byte("i"), []byte(long), 1),
		IncrByFloatOp(0, []byte("fl"), []byte("f"), []byte("1e70")),
	} {
		run(t, s, m)
	}
	for _, k := range []string{"v", "k", "nx", "i", "fl"} {
		if compact(k) {
			t.Errorf("%q: compact with a long field or value", k)
		}
	}
	run(t, s, SetOp(0, []byte("x"), bs("a", string(make([]byte, 64)))))
	run(t, s, SetNXOp(0, []byte("x"), []byte("a"), []byte(long))) // not written
	if !compact("x") {
		t.Error("64-byte value or an HSETNX that wrote nothing: not compact")
	}
	run(t, s, DelOp(0, []byte("v"), bs("f")))
	run(t, s, SetOp(0, []byte("v"), bs("f", "short")))
	if !compact("v") {
		t.Error("re-created hash: not compact")
	}
}

// TestScanAndRandom covers field order, resumed scans and random picks on
// a hash too large to be read whole for them, with fields that share
// prefixes and hold NUL bytes.
func TestHashScanAndRandom(t *testing.T) {
	s := newStore(t)
	key := []byte("big")
	want := map[string]string{}
	var pairs [][]byte
	for i := range 3000 {
		f := fmt.Sprintf("user:%05d", i)
		switch i % 5 {
		case 1:
			f = fmt.Sprintf("%d", i)
		case 2:
			f = fmt.Sprintf("x\x00%d\x00", i)
		}
		want[f] = fmt.Sprint(i)
		pairs = append(pairs, []byte(f), []byte(fmt.Sprint(i)))
		if len(pairs) == 1000 {
			run(t, s, SetOp(0, key, pairs))
			pairs = nil
		}
	}
	if len(pairs) > 0 {
		run(t, s, SetOp(0, key, pairs))
	}
	sorted := slices.Sorted(maps.Keys(want))
	rng := rand.New(rand.NewPCG(1, 2))
	view(t, s, func(r *strkv.Reader) error {
		h, ok, err := Open(r, 0, key)
		if err != nil || !ok {
			return fmt.Errorf("open: %v, %v", ok, err)
		}
		if h.Len() != 3000 || h.Compact() {
			t.Errorf("Len %d, compact %v", h.Len(), h.Compact())
		}
		all, err := h.All()
		if err != nil {
			return err
		}
		for i, p := range all {
			if string(p.Field) != sorted[i] || string(p.Value) != want[sorted[i]] {
				t.Fatalf("All()[%d] = %q=%q, want %q", i, p.Field, p.Value, sorted[i])
			}
		}
		var from []string
		err = h.Scan([]byte(sorted[1234]), func(f, _ []byte) bool {
			from = append(from, string(f))
			return len(from) < 3
		})
		if err != nil || !slices.Equal(from, sorted[1234:1237]) {
			t.Errorf("Scan from %q = %q, %v", sorted[1234], from, err)
		}

		for _, n := range []int64{1, 5, 999, 1000, 2999, 3000, 5000} {
			got, err := randomPairs(t, h, n, rng)
			if err != nil {
				return err
			}
			seen := map[string]bool{}
			for _, p := range got {
				if want[string(p.Field)] != string(p.Value) || seen[string(p.Field)] {
					t.Fatalf("Random(%d): bad or repeated pair %q=%q", n, p.Field, p.Value)
				}
				seen[string(p.Field)] = true
			}
			if int64(len(got)) != min(n, 3000) {
				t.Errorf("Random(%d) gave %d fields", n, len(got))
			}
		}
		got, err := randomPairs(t, h, -4000, rng)
		if err != nil || len(got) != 4000 {
			return fmt.Errorf("Random(-4000): %d, %v", len(got), err)
		}
		seen := map[string]bool{}
		for _, p := range got {
			if want[string(p.Field)] != string(p.Value) {
				t.Fatalf("Random(-4000): bad pair %q=%q", p.Field, p.Value)
			}
			seen[string(p.Field)] = true
		}
		// Every kind of name comes up, and not just a few fields.
		if len(seen) < 500 {
			t.Errorf("Random(-4000) found only %d distinct fields", len(seen))
		}
		return nil
	})
}

// TestRandomSmall: a small hash is read whole and picked uniformly.
func TestHashRandomSmall(t *testing.T) {
	s := newStore(t)
	key := []byte("h")
	run(t, s, SetOp(0, key, bs("a", "1", "b", "2", "c", "3")))
	rng := rand.New(rand.NewPCG(3, 4))
	view(t, s, func(r *strkv.Reader) error {
		h, _, err := Open(r, 0, key)
		if err != nil {
			return err
		}
		hits := map[string]int{}
		got, err := randomPairs(t, h, -3000, rng)
		if err != nil {
			return err
		}
		for _, p := range got {
			hits[string(p.Field)]++
		}
		for _, f := range []string{"a", "b", "c"} {
			if hits[f] < 800 || hits[f] > 1200 {
				t.Errorf("field %q picked %d times of 3000", f, hits[f])
			}
		}
		for _, n := range []int64{0, 1, 2} {
			got, err := randomPairs(t, h, n, rng)
			if err != nil || int64(len(got)) != n || (n == 2 && slices.EqualFunc(got[:1], got[1:], func(a, b Pair) bool { return string(a.Field) == string(b.Field) })) {
				t.Errorf("Random(%d) = %q, %v", n, got, err)
			}
		}
		return nil
	})
}

// TestInTransaction: the mutations see each other's writes inside one
// commit, as MULTI/EXEC and pipelines commit them.
func TestHashInTransaction(t *testing.T) {
	s := newStore(t)
	key := []byte("h")
	res, err := s.Run(ctxT(t),
		SetOp(0, key, bs("a", "1")),
		IncrByOp(0, key, []byte("a"), 2),
		DelOp(0, key, bs("a")),
		SetNXOp(0, key, []byte("a"), []byte("x")),
		IncrByFloatOp(0, key, []byte("a"), []byte("1")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := DecodeCount(res[0]); n != 1 || err != nil {
		t.Errorf("HSET = %d, %v", n, err)
	}
	if n, err := DecodeIncrBy(res[1]); n != 3 || err != nil {
		t.Errorf("HINCRBY = %d, %v", n, err)
	}
	if n, err := DecodeCount(res[2]); n != 1 || err != nil {
		t.Errorf("HDEL = %d, %v", n, err)
	}
	if n, err := DecodeCount(res[3]); n != 1 || err != nil {
		t.Errorf("HSETNX = %d, %v", n, err)
	}
	if _, err := DecodeIncrByFloat(res[4]); !errors.Is(err, ErrHashNotFloat) {
		t.Errorf("HINCRBYFLOAT on x: %v", err)
	}
	if got := dump(t, s, 0, "h"); !slices.Equal(got, []string{"a=x"}) {
		t.Errorf("fields = %q", got)
	}
}

// TestMalformed: arguments no client command produces are refused with a
// Go error, never a panic.
func TestHashMalformed(t *testing.T) {
	for op, fn := range Mutations() {
		for _, args := range [][]byte{nil, {0}, {0xff, 0xff}, {99, 1, 'k'}} {
			if _, err := fn(nil, args); err == nil {
				t.Errorf("%s(%x): no error", op, args)
			}
		}
	}
}
