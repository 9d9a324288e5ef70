package setkv_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/setkv"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

// Tests of the set layer on a real single-node Raft+Pebble store.

func newStore(t *testing.T) *strkv.Store {
	t.Helper()
	muts := strkv.Mutations()
	maps.Copy(muts, setkv.Mutations())
	return strkv.New(raftstoretest.NewWithMutations(t, muts))
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func bs(ss ...string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

func strs(bb [][]byte) []string {
	out := make([]string, len(bb))
	for i, b := range bb {
		out[i] = string(b)
	}
	return out
}

// run commits one mutation and decodes its count result.
func run(t *testing.T, s *strkv.Store, m strkv.Mutation) (int64, error) {
	t.Helper()
	res, err := s.Run(ctxT(t), m)
	if err != nil {
		t.Fatalf("run %s: %v", m.Op, err)
	}
	return setkv.DecodeCount(res[0])
}

func mustCount(t *testing.T, s *strkv.Store, m strkv.Mutation, want int64) {
	t.Helper()
	n, err := run(t, s, m)
	if err != nil || n != want {
		t.Fatalf("%s: got %d, %v; want %d", m.Op, n, err, want)
	}
}

// view runs fn on a reader of the current state.
func view(t *testing.T, s *strkv.Store, fn func(r *strkv.Reader) error) {
	t.Helper()
	if err := s.View(ctxT(t), fn); err != nil {
		t.Fatalf("view: %v", err)
	}
}

func members(t *testing.T, s *strkv.Store, key string) []string {
	t.Helper()
	var out []string
	view(t, s, func(r *strkv.Reader) error {
		ms, err := setkv.Members(r, 0, []byte(key))
		out = strs(ms)
		return err
	})
	return out
}

func card(t *testing.T, s *strkv.Store, key string) int64 {
	t.Helper()
	var n int64
	view(t, s, func(r *strkv.Reader) error {
		var err error
		n, err = setkv.Card(r, 0, []byte(key))
		return err
	})
	return n
}

func exists(t *testing.T, s *strkv.Store, key string) bool {
	t.Helper()
	n, err := s.Exists(ctxT(t), 0, []byte(key))
	if err != nil {
		t.Fatal(err)
	}
	return n == 1
}

func TestSetAddRem(t *testing.T) {
	s := newStore(t)
	steps := []struct {
		m       strkv.Mutation
		want    int64
		members []string
	}{
		{setkv.AddOp(0, []byte("s"), bs("b", "a", "c")...), 3, []string{"a", "b", "c"}},
		{setkv.AddOp(0, []byte("s"), bs("a", "d", "d", "")...), 2, []string{"", "a", "b", "c", "d"}},
		{setkv.AddOp(0, []byte("s"), bs("a")...), 0, []string{"", "a", "b", "c", "d"}},
		{setkv.RemOp(0, []byte("s"), bs("a", "a", "zz", "")...), 2, []string{"b", "c", "d"}},
		{setkv.AddOp(0, []byte("s"), bs("\x00", "\x00\xff", "\xff")...), 3, []string{"\x00", "\x00\xff", "b", "c", "d", "\xff"}},
		{setkv.RemOp(0, []byte("s"), bs("\x00", "\x00\xff", "\xff", "b", "c")...), 5, []string{"d"}},
		{setkv.RemOp(0, []byte("missing"), bs("x")...), 0, []string{"d"}},
	}
	for i, st := range steps {
		mustCount(t, s, st.m, st.want)
		if got := members(t, s, "s"); !slices.Equal(got, st.members) {
			t.Fatalf("step %d: members %q, want %q", i, got, st.members)
		}
		if got := card(t, s, "s"); got != int64(len(st.members)) {
			t.Fatalf("step %d: card %d, want %d", i, got, len(st.members))
		}
	}
	mustCount(t, s, setkv.RemOp(0, []byte("s"), bs("d")...), 1)
	if exists(t, s, "s") {
		t.Fatal("empty set still exists")
	}
	// A re-created set does not see the old incarnation's members.
	mustCount(t, s, setkv.AddOp(0, []byte("s"), bs("new")...), 1)
	if got := members(t, s, "s"); !slices.Equal(got, []string{"new"}) {
		t.Fatalf("re-created set: %q", got)
	}
}

func TestSetWrongType(t *testing.T) {
	s := newStore(t)
	ctx := ctxT(t)
	if _, err := s.Set(ctx, 0, []byte("str"), []byte("v"), strkv.SetOptions{}); err != nil {
		t.Fatal(err)
	}
	mustCount(t, s, setkv.AddOp(0, []byte("set"), bs("a")...), 1)
	muts := []strkv.Mutation{
		setkv.AddOp(0, []byte("str"), bs("a")...),
		setkv.RemOp(0, []byte("str"), bs("a")...),
		setkv.MoveOp(0, []byte("str"), []byte("set"), []byte("a")),
		setkv.MoveOp(0, []byte("set"), []byte("str"), []byte("a")),
		setkv.StoreOp(0, setkv.StoreInter, []byte("d"), []byte("missing"), []byte("str")),
		setkv.StoreOp(0, setkv.StoreUnion, []byte("d"), []byte("set"), []byte("str")),
		setkv.StoreOp(0, setkv.StoreDiff, []byte("d"), []byte("missing"), []byte("str")),
	}
	for _, m := range muts {
		if _, err := run(t, s, m); !errors.Is(err, strkv.ErrWrongType) {
			t.Errorf("%s: err %v, want WRONGTYPE", m.Op, err)
		}
	}
	res, err := s.Run(ctx, setkv.PopOp(0, []byte("str"), 1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := setkv.DecodeMembers(res[0]); !errors.Is(err, strkv.ErrWrongType) {
		t.Errorf("pop: err %v, want WRONGTYPE", err)
	}
	// Nothing changed.
	if v, _, _ := s.Get(ctx, 0, []byte("str")); string(v) != "v" {
		t.Fatalf("string changed: %q", v)
	}
	if got := members(t, s, "set"); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("set changed: %q", got)
	}
	if exists(t, s, "d") {
		t.Fatal("failed store wrote its destination")
	}
	reads := map[string]func(r *strkv.Reader) error{
		"card":     func(r *strkv.Reader) error { _, err := setkv.Card(r, 0, []byte("str")); return err },
		"ismember": func(r *strkv.Reader) error { _, err := setkv.IsMember(r, 0, []byte("str"), nil); return err },
		"mismember": func(r *strkv.Reader) error {
			_, err := setkv.MIsMember(r, 0, []byte("str"), bs("a"))
			return err
		},
		"members": func(r *strkv.Reader) error { _, err := setkv.Members(r, 0, []byte("str")); return err },
		"inter after missing": func(r *strkv.Reader) error {
			_, err := setkv.Inter(r, 0, bs("missing", "str"))
			return err
		},
		"intercard": func(r *strkv.Reader) error { _, err := setkv.InterCard(r, 0, bs("set", "str"), 0); return err },
		"union":     func(r *strkv.Reader) error { _, err := setkv.Union(r, 0, bs("missing", "str")); return err },
		"diff":      func(r *strkv.Reader) error { _, err := setkv.Diff(r, 0, bs("missing", "str")); return err },
		"randmembers": func(r *strkv.Reader) error {
			_, err := setkv.RandMembers(r, 0, []byte("str"), 3, rand.New(rand.NewPCG(1, 2)))
			return err
		},
		"scan": func(r *strkv.Reader) error {
			_, err := setkv.ScanMembers(r, 0, []byte("str"), nil, func([]byte) bool { return true })
			return err
		},
	}
	for name, fn := range reads {
		err := s.View(ctx, fn)
		if !errors.Is(err, strkv.ErrWrongType) {
			t.Errorf("%s: err %v, want WRONGTYPE", name, err)
		}
	}
}

func TestSetAlgebra(t *testing.T) {
	s := newStore(t)
	mustCount(t, s, setkv.AddOp(0, []byte("a"), bs("1", "2", "3", "4", "x")...), 5)
	mustCount(t, s, setkv.AddOp(0, []byte("b"), bs("2", "3", "y")...), 3)
	mustCount(t, s, setkv.AddOp(0, []byte("c"), bs("3", "4", "2", "z")...), 4)
	tests := []struct {
		name string
		fn   func(r *strkv.Reader, db int, keys [][]byte) ([][]byte, error)
		kind setkv.StoreKind
		keys []string
		want []string
	}{
		{"inter", setkv.Inter, setkv.StoreInter, []string{"a", "b", "c"}, []string{"2", "3"}},
		{"inter self", setkv.Inter, setkv.StoreInter, []string{"b", "b"}, []string{"2", "3", "y"}},
		{"inter missing", setkv.Inter, setkv.StoreInter, []string{"a", "missing"}, nil},
		{"union", setkv.Union, setkv.StoreUnion, []string{"a", "b", "missing", "c"}, []string{"1", "2", "3", "4", "x", "y", "z"}},
		{"union missing", setkv.Union, setkv.StoreUnion, []string{"missing"}, nil},
		{"diff", setkv.Diff, setkv.StoreDiff, []string{"a", "b", "missing"}, []string{"1", "4", "x"}},
		{"diff three", setkv.Diff, setkv.StoreDiff, []string{"a", "b", "c"}, []string{"1", "x"}},
		{"diff self", setkv.Diff, setkv.StoreDiff, []string{"a", "a"}, nil},
		{"diff missing first", setkv.Diff, setkv.StoreDiff, []string{"missing", "a"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			view(t, s, func(r *strkv.Reader) error {
				ms, err := tt.fn(r, 0, bs(tt.keys...))
				got = strs(ms)
				return err
			})
			if !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
				t.Fatalf("read: %q, want %q", got, tt.want)
			}
			// The STORE form gives the same set and replaces whatever
			// the destination held, expiry included.
			if _, err := s.Set(ctxT(t), 0, []byte("dst"), []byte("old"), strkv.SetOptions{TTLMillis: 100000}); err != nil {
				t.Fatal(err)
			}
			mustCount(t, s, setkv.StoreOp(0, tt.kind, []byte("dst"), bs(tt.keys...)...), int64(len(tt.want)))
			if len(tt.want) == 0 {
				if exists(t, s, "dst") {
					t.Fatal("empty result left the destination")
				}
				return
			}
			if got := members(t, s, "dst"); !slices.Equal(got, tt.want) {
				t.Fatalf("stored %q, want %q", got, tt.want)
			}
			var pttl int64
			view(t, s, func(r *strkv.Reader) error {
				var err error
				pttl, err = r.PTTL(0, []byte("dst"))
				return err
			})
			if pttl != -1 {
				t.Fatalf("stored set has PTTL %d, want -1", pttl)
			}
		})
	}
	// A STORE into one of its sources.
	mustCount(t, s, setkv.StoreOp(0, setkv.StoreDiff, []byte("a"), []byte("a"), []byte("b")), 3)
	if got := members(t, s, "a"); !slices.Equal(got, []string{"1", "4", "x"}) {
		t.Fatalf("a = %q", got)
	}
	for limit, want := range map[int64]int64{0: 2, 1: 1, 2: 2, 5: 2} {
		var n int64
		view(t, s, func(r *strkv.Reader) error {
			var err error
			n, err = setkv.InterCard(r, 0, bs("b", "c"), limit)
			return err
		})
		if n != want {
			t.Errorf("intercard limit %d: %d, want %d", limit, n, want)
		}
	}
}

func TestSetMove(t *testing.T) {
	s := newStore(t)
	mustCount(t, s, setkv.AddOp(0, []byte("src"), bs("a", "b")...), 2)
	mustCount(t, s, setkv.AddOp(0, []byte("dst"), bs("b")...), 1)
	steps := []struct {
		src, dst, member string
		want             int64
		srcM, dstM       []string
	}{
		{"src", "dst", "zz", 0, []string{"a", "b"}, []string{"b"}},
		{"src", "src", "a", 1, []string{"a", "b"}, []string{"b"}},
		{"src", "src", "zz", 0, []string{"a", "b"}, []string{"b"}},
		{"src", "dst", "b", 1, []string{"a"}, []string{"b"}},
		{"src", "dst", "a", 1, nil, []string{"a", "b"}},
		{"missing", "dst", "a", 0, nil, []string{"a", "b"}},
		{"dst", "new", "a", 1, nil, []string{"b"}},
	}
	for i, st := range steps {
		mustCount(t, s, setkv.MoveOp(0, []byte(st.src), []byte(st.dst), []byte(st.member)), st.want)
		if got := members(t, s, "src"); !slices.Equal(got, st.srcM) {
			t.Fatalf("step %d: src %q, want %q", i, got, st.srcM)
		}
		if got := members(t, s, "dst"); !slices.Equal(got, st.dstM) {
			t.Fatalf("step %d: dst %q, want %q", i, got, st.dstM)
		}
	}
	if exists(t, s, "src") {
		t.Fatal("emptied source still exists")
	}
	if got := members(t, s, "new"); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("new = %q", got)
	}
}

func TestSetKeepsTTL(t *testing.T) {
	s := newStore(t)
	mustCount(t, s, setkv.AddOp(0, []byte("s"), bs("a", "b", "c")...), 3)
	res, err := s.Run(ctxT(t), strkv.ExpireOp(0, []byte("s"), 100000, true, 0))
	if err != nil {
		t.Fatal(err)
	}
	if n, err := strkv.DecodeInt(res[0]); n != 1 || err != nil {
		t.Fatalf("expire: %d, %v", n, err)
	}
	for _, m := range []strkv.Mutation{
		setkv.AddOp(0, []byte("s"), bs("d")...),
		setkv.RemOp(0, []byte("s"), bs("a")...),
		setkv.PopOp(0, []byte("s"), 1),
		setkv.MoveOp(0, []byte("s"), []byte("s"), []byte("b")),
	} {
		if _, err := s.Run(ctxT(t), m); err != nil {
			t.Fatal(err)
		}
		view(t, s, func(r *strkv.Reader) error {
			pttl, err := r.PTTL(0, []byte("s"))
			if err == nil && (pttl <= 0 || pttl > 100000) {
				t.Errorf("after %s: PTTL %d", m.Op, pttl)
			}
			return err
		})
	}
	// An expired set counts as missing and SADD starts a new one without
	// expiry and without the old members.
	if _, err = s.Run(ctxT(t), strkv.ExpireOp(0, []byte("s"), 1, true, 0)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	mustCount(t, s, setkv.AddOp(0, []byte("s"), bs("z")...), 1)
	if got := members(t, s, "s"); !slices.Equal(got, []string{"z"}) {
		t.Fatalf("after expiry: %q", got)
	}
}

// TestSetRandom checks SPOP and SRANDMEMBER on a small set (drawn from a
// full read) and on a large one (drawn by descent).
func TestSetRandom(t *testing.T) {
	s := newStore(t)
	for _, size := range []int{5, 3000} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			key := fmt.Sprintf("r%d", size)
			all := make([]string, size)
			for i := range all {
				all[i] = fmt.Sprintf("m%d", i*7919%size)
			}
			for i := 0; i < size; i += 500 {
				mustCount(t, s, setkv.AddOp(0, []byte(key), bs(all[i:min(i+500, size)]...)...), int64(min(500, size-i)))
			}
			sort.Strings(all)
			in := func(m []byte) bool { _, ok := slices.BinarySearch(all, string(m)); return ok }
			rng := rand.New(rand.NewPCG(7, 9))
			for _, count := range []int64{1, 3, int64(size) - 1, int64(size), int64(size) + 5, -4, -int64(size) * 2} {
				var got [][]byte
				view(t, s, func(r *strkv.Reader) error {
					var err error
					got, err = setkv.RandMembers(r, 0, []byte(key), count, rng)
					return err
				})
				want := int(min(count, int64(size)))
				if count < 0 {
					want = int(-count)
				}
				if len(got) != want {
					t.Fatalf("count %d: %d members, want %d", count, len(got), want)
				}
				seen := map[string]bool{}
				for _, m := range got {
					if !in(m) {
						t.Fatalf("count %d: %q not a member", count, m)
					}
					if count > 0 && seen[string(m)] {
						t.Fatalf("count %d: %q twice", count, m)
					}
					seen[string(m)] = true
				}
			}
			var one []byte
			view(t, s, func(r *strkv.Reader) error {
				var ok bool
				var err error
				one, ok, err = setkv.RandMember(r, 0, []byte(key), rng)
				if !ok {
					t.Error("no member drawn")
				}
				return err
			})
			if !in(one) {
				t.Fatalf("drawn %q not a member", one)
			}
			// Pop in rounds until the set is gone; every member exactly once.
			popped := map[string]bool{}
			for _, count := range []int64{-1, 2, int64(size) / 3, int64(size)} {
				res, err := s.Run(ctxT(t), setkv.PopOp(0, []byte(key), count))
				if err != nil {
					t.Fatal(err)
				}
				ms, err := setkv.DecodeMembers(res[0])
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range ms {
					if !in(m) || popped[string(m)] {
						t.Fatalf("popped %q: not a member or twice", m)
					}
					popped[string(m)] = true
				}
				if left := card(t, s, key); left != int64(size-len(popped)) {
					t.Fatalf("card %d after popping %d of %d", left, len(popped), size)
				}
			}
			if len(popped) != size || exists(t, s, key) {
				t.Fatalf("popped %d of %d; key exists: %v", len(popped), size, exists(t, s, key))
			}
		})
	}
}

// TestSetPopReplicasAgree runs the same SPOP mutation twice against the
// same state and time, as two replicas would, and expects the same pop.
func TestSetPopReplicasAgree(t *testing.T) {
	muts := setkv.Mutations()
	pop := muts["setkv.pop"]
	if pop == nil {
		t.Fatal("no pop mutation registered")
	}
	s := newStore(t)
	var ms []string
	for i := range 2000 {
		ms = append(ms, fmt.Sprint(i))
	}
	mustCount(t, s, setkv.AddOp(0, []byte("k"), bs(ms...)...), 2000)
	now := time.Unix(1700000000, 0)
	var results [2][]byte
	for i := range results {
		err := layers.View(ctxT(t), s.KV(), func(r layers.Reader) error {
			m := &fakeApply{r: r, now: now}
			res, err := pop(m, setkv.PopOp(0, []byte("k"), 10).Args)
			results[i] = res
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if string(results[0]) != string(results[1]) {
		t.Fatal("the same pop at the same time drew different members")
	}
	got, err := setkv.DecodeMembers(results[0])
	if err != nil || len(got) != 10 {
		t.Fatalf("pop: %d members, %v", len(got), err)
	}
}

// fakeApply replays a mutation's reads against a read transaction at a
// fixed time, dropping its writes: enough to compare two runs' results.
type fakeApply struct {
	r   layers.Reader
	now time.Time
}

func (f *fakeApply) Get(k []byte) ([]byte, error) { return f.r.Get(k) }
func (f *fakeApply) Scan(a, b []byte, rev bool) layers.Iterator {
	return f.r.Scan(a, b, rev)
}
func (f *fakeApply) Set(k, v []byte)         {}
func (f *fakeApply) Delete(k []byte)         {}
func (f *fakeApply) DeleteRange(a, b []byte) {}
func (f *fakeApply) Now() time.Time          { return f.now }
func (f *fakeApply) Notify(ev layers.Event)  {}

func TestSetScanMembers(t *testing.T) {
	s := newStore(t)
	want := []string{"a", "ab", "b", "c\x00", "c\x00\x01", "d"}
	mustCount(t, s, setkv.AddOp(0, []byte("s"), bs(want...)...), int64(len(want)))
	var got []string
	var from []byte
	for {
		var batch []string
		var next []byte
		view(t, s, func(r *strkv.Reader) error {
			n, err := setkv.ScanMembers(r, 0, []byte("s"), from, func(m []byte) bool {
				if len(batch) == 2 {
					next = slices.Clone(m)
					return false
				}
				batch = append(batch, string(m))
				return true
			})
			if n != int64(len(want)) {
				t.Errorf("card %d", n)
			}
			return err
		})
		got = append(got, batch...)
		if next == nil {
			break
		}
		from = next
	}
	if !slices.Equal(got, want) {
		t.Fatalf("scanned %q, want %q", got, want)
	}
	var ok []bool
	view(t, s, func(r *strkv.Reader) error {
		var err error
		ok, err = setkv.MIsMember(r, 0, []byte("s"), bs("a", "zz", "c\x00", "c"))
		return err
	})
	if !slices.Equal(ok, []bool{true, false, true, false}) {
		t.Fatalf("mismember %v", ok)
	}
}

// TestSetRandomOddBytes draws from a large set whose members hold the
// bytes the member encoding escapes (0x00) or that end key ranges (0xff),
// so the random descent crosses them.
func TestSetRandomOddBytes(t *testing.T) {
	s := newStore(t)
	prefixes := []string{"\x00", "\xff", "\x00\xff", "\xff\x00", "a", ""}
	var all []string
	for i := range 1800 {
		all = append(all, prefixes[i%len(prefixes)]+fmt.Sprint(i/len(prefixes)))
	}
	for i := 0; i < len(all); i += 600 {
		mustCount(t, s, setkv.AddOp(0, []byte("odd"), bs(all[i:i+600]...)...), 600)
	}
	sort.Strings(all)
	rng := rand.New(rand.NewPCG(3, 4))
	hits := map[string]bool{}
	view(t, s, func(r *strkv.Reader) error {
		for range 400 {
			m, ok, err := setkv.RandMember(r, 0, []byte("odd"), rng)
			if err != nil || !ok {
				return fmt.Errorf("draw: %v %v", ok, err)
			}
			if _, found := slices.BinarySearch(all, string(m)); !found {
				return fmt.Errorf("drew %q, not a member", m)
			}
			hits[string(m[:1])] = true
		}
		return nil
	})
	// Every first byte in use gets drawn at some point.
	for _, b := range []string{"\x00", "\xff", "a", "0", "1"} {
		if !hits[b] {
			t.Errorf("no member starting with %q drawn in 400 draws", b)
		}
	}
	res, err := s.Run(ctxT(t), setkv.PopOp(0, []byte("odd"), 5))
	if err != nil {
		t.Fatal(err)
	}
	ms, err := setkv.DecodeMembers(res[0])
	if err != nil || len(ms) != 5 {
		t.Fatalf("pop 5: %d, %v", len(ms), err)
	}
	for _, m := range ms {
		var in bool
		view(t, s, func(r *strkv.Reader) error {
			in, err = setkv.IsMember(r, 0, []byte("odd"), m)
			return err
		})
		if in {
			t.Fatalf("popped %q still a member", m)
		}
	}
	if n := card(t, s, "odd"); n != int64(len(all)-5) {
		t.Fatalf("card %d after popping 5 of %d", n, len(all))
	}
}
