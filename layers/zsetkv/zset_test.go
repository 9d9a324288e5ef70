package zsetkv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/setkv"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/layers/tuple"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

// opRecord runs another mutation through a Mutator that records the
// deletes it makes, so a test can see what a mutation writes.
const opRecord = "zsetkv_test.record"

// deletes is what the recording mutation saw, per run.
type deletes struct {
	points [][]byte
	ranges [][2][]byte
}

// recorder forwards to a real Mutator and records its deletes.
type recorder struct {
	layers.Mutator
	log *deletes
}

func (r recorder) Delete(k []byte) {
	r.log.points = append(r.log.points, bytes.Clone(k))
	r.Mutator.Delete(k)
}

func (r recorder) DeleteRange(b, e []byte) {
	r.log.ranges = append(r.log.ranges, [2][]byte{bytes.Clone(b), bytes.Clone(e)})
	r.Mutator.DeleteRange(b, e)
}

// newStore opens a real single-node store with this layer, strkv and setkv
// registered, plus the recording mutation, which appends to the returned
// log (the test store applies on one node, so one log sees every run).
func newStore(t *testing.T) (*strkv.Store, *deletes) {
	t.Helper()
	log := &deletes{}
	muts := map[string]layers.MutationFunc{}
	maps.Copy(muts, strkv.Mutations())
	maps.Copy(muts, setkv.Mutations())
	maps.Copy(muts, Mutations())
	inner := Mutations()
	muts[opRecord] = func(m layers.Mutator, args []byte) ([]byte, error) {
		op, rest, ok := bytes.Cut(args, []byte{0})
		if !ok {
			return nil, errors.New("record: no op")
		}
		fn := inner[string(op)]
		if fn == nil {
			return nil, fmt.Errorf("record: unknown op %q", op)
		}
		return fn(recorder{Mutator: m, log: log}, rest)
	}
	return strkv.New(raftstoretest.NewWithMutations(t, muts)), log
}

func recorded(m strkv.Mutation) strkv.Mutation {
	return strkv.Mutation{Op: opRecord, Args: append(append([]byte(m.Op), 0), m.Args...)}
}

func run(t *testing.T, s *strkv.Store, m strkv.Mutation) []byte {
	t.Helper()
	res, err := s.Run(context.Background(), m)
	if err != nil {
		t.Fatalf("run %s: %v", m.Op, err)
	}
	return res[0]
}

// view returns the sorted set at key in db 0.
func view(t *testing.T, s *strkv.Store, key string, fn func(z Set)) {
	t.Helper()
	err := s.View(context.Background(), func(r *strkv.Reader) error {
		z, err := Open(r, 0, []byte(key))
		if err != nil {
			return err
		}
		fn(z)
		return nil
	})
	if err != nil {
		t.Fatalf("view %s: %v", key, err)
	}
}

func add(t *testing.T, s *strkv.Store, key string, opt AddOptions, pairs ...any) AddResult {
	t.Helper()
	var es []Entry
	for i := 0; i < len(pairs); i += 2 {
		es = append(es, Entry{Score: pairs[i].(float64), Member: []byte(pairs[i+1].(string))})
	}
	r, err := DecodeAdd(run(t, s, AddOp(0, []byte(key), opt, es)))
	if err != nil {
		t.Fatalf("zadd %s: %v", key, err)
	}
	return r
}

func fmtEntries(es []Entry) string {
	var b bytes.Buffer
	for _, e := range es {
		fmt.Fprintf(&b, "%s=%g ", e.Member, e.Score)
	}
	return b.String()
}

// model is a reference sorted set: the expected state.
type model map[string]float64

func (m model) sorted() []Entry {
	out := make([]Entry, 0, len(m))
	for k, v := range m {
		out = append(out, Entry{Member: []byte(k), Score: v})
	}
	SortEntries(out)
	return out
}

// TestZSetAgainstModel drives random writes through the real store and
// checks every read API against a plain sorted slice after each one.
func TestZSetAgainstModel(t *testing.T) {
	s, _ := newStore(t)
	rng := rand.New(rand.NewPCG(1, 2))
	want := model{}
	key := []byte("m")
	member := func() string { return fmt.Sprintf("k%02d", rng.IntN(40)) }
	score := func() float64 { return float64(rng.IntN(10)) }
	for step := 0; step < 300; step++ {
		var m strkv.Mutation
		var apply func(res []byte)
		switch op := rng.IntN(6); op {
		case 0, 1:
			mb, sc := member(), score()
			m = AddOp(0, key, AddOptions{}, []Entry{{Member: []byte(mb), Score: sc}})
			apply = func([]byte) { want[mb] = sc }
		case 2:
			mb, sc := member(), score()
			m = AddOp(0, key, AddOptions{Incr: true}, []Entry{{Member: []byte(mb), Score: sc}})
			apply = func(res []byte) {
				want[mb] += sc
				r, err := DecodeAdd(res)
				if err != nil || !r.Done || r.Score != want[mb] {
					t.Fatalf("step %d: incr %s: %+v %v, want %g", step, mb, r, err, want[mb])
				}
			}
		case 3:
			mb := member()
			m = RemOp(0, key, [][]byte{[]byte(mb)})
			apply = func([]byte) { delete(want, mb) }
		case 4:
			start, stop := int64(rng.IntN(6))-3, int64(rng.IntN(6))-3
			m = RemRangeOp(0, key, Range{By: ByRank, Start: start, Stop: stop})
			apply = func(res []byte) {
				all := want.sorted()
				lo, hi, ok := NormRank(start, stop, int64(len(all)))
				n := int64(0)
				if ok {
					for _, e := range all[lo : hi+1] {
						delete(want, string(e.Member))
						n++
					}
				}
				if got, err := DecodeCount(res); err != nil || got != n {
					t.Fatalf("step %d: zremrangebyrank %d %d: %d %v, want %d", step, start, stop, got, err, n)
				}
			}
		case 5:
			highest := rng.IntN(2) == 0
			count := int64(rng.IntN(3))
			m = PopOp(0, [][]byte{key}, highest, count)
			apply = func(res []byte) {
				all := want.sorted()
				if highest {
					slices.Reverse(all)
				}
				n := min(int(count), len(all))
				r, err := DecodePop(res)
				if err != nil || fmtEntries(r.Entries) != fmtEntries(all[:n]) {
					t.Fatalf("step %d: pop %v %d: %v %v, want %s", step, highest, count, fmtEntries(r.Entries), err, fmtEntries(all[:n]))
				}
				for _, e := range all[:n] {
					delete(want, string(e.Member))
				}
			}
		}
		apply(run(t, s, m))

		all := want.sorted()
		view(t, s, "m", func(z Set) {
			if z.Card() != int64(len(all)) {
				t.Fatalf("step %d: card %d, want %d", step, z.Card(), len(all))
			}
			got, err := z.All()
			if err != nil || fmtEntries(got) != fmtEntries(all) {
				t.Fatalf("step %d: members %s %v, want %s", step, fmtEntries(got), err, fmtEntries(all))
			}
			for i, e := range all {
				r, ok, err := z.Rank(e.Member, false)
				if err != nil || !ok || r != int64(i) {
					t.Fatalf("step %d: rank %s = %d %v %v, want %d", step, e.Member, r, ok, err, i)
				}
				r, _, _ = z.Rank(e.Member, true)
				if r != int64(len(all)-1-i) {
					t.Fatalf("step %d: revrank %s = %d", step, e.Member, r)
				}
			}
			lo, hi := score(), score()
			rg := ScoreRange{Min: ScoreBound{Value: lo, Exclusive: rng.IntN(2) == 0}, Max: ScoreBound{Value: hi, Exclusive: rng.IntN(2) == 0}}
			var in []Entry
			for _, e := range all {
				if (e.Score > lo || (e.Score == lo && !rg.Min.Exclusive)) && (e.Score < hi || (e.Score == hi && !rg.Max.Exclusive)) {
					in = append(in, e)
				}
			}
			got, err = z.ByScore(rg, false, 0, -1)
			if err != nil || fmtEntries(got) != fmtEntries(in) {
				t.Fatalf("step %d: byscore %+v: %s, want %s", step, rg, fmtEntries(got), fmtEntries(in))
			}
			n, _ := z.CountScore(rg)
			if n != int64(len(in)) {
				t.Fatalf("step %d: count %+v: %d, want %d", step, rg, n, len(in))
			}
			slices.Reverse(in)
			got, _ = z.ByScore(rg, true, 0, -1)
			if fmtEntries(got) != fmtEntries(in) {
				t.Fatalf("step %d: rev byscore %+v: %s, want %s", step, rg, fmtEntries(got), fmtEntries(in))
			}
			start, stop := int64(rng.IntN(10))-5, int64(rng.IntN(10))-5
			var byRank []Entry
			if a, b, ok := NormRank(start, stop, int64(len(all))); ok {
				byRank = all[a : b+1]
			}
			got, _ = z.ByRank(start, stop, false)
			if fmtEntries(got) != fmtEntries(byRank) {
				t.Fatalf("step %d: byrank %d %d: %s, want %s", step, start, stop, fmtEntries(got), fmtEntries(byRank))
			}
		})
	}
}

// TestZSetLexRange checks lexicographic ranges of a set with one score.
func TestZSetLexRange(t *testing.T) {
	s, _ := newStore(t)
	add(t, s, "l", AddOptions{}, 0.0, "a", 0.0, "b", 0.0, "c", 0.0, "d", 0.0, "a\x00", 0.0, "")
	tests := []struct {
		min, max string
		rev      bool
		want     string
	}{
		{"-", "+", false, "=0 a=0 a\x00=0 b=0 c=0 d=0 "},
		{"[b", "[c", false, "b=0 c=0 "},
		{"(a", "(c", false, "a\x00=0 b=0 "},
		{"[a", "(a\x00", false, "a=0 "},
		{"+", "-", false, ""},
		{"[c", "[b", false, ""},
		{"[b", "[c", true, "c=0 b=0 "},
		{"-", "(b", true, "a\x00=0 a=0 =0 "},
		{"(c", "+", true, "d=0 "},
	}
	for _, tt := range tests {
		rg, ok := ParseLexRange([]byte(tt.min), []byte(tt.max))
		if !ok {
			t.Fatalf("parse %q %q", tt.min, tt.max)
		}
		view(t, s, "l", func(z Set) {
			got, err := z.ByLex(rg, tt.rev, 0, -1)
			if err != nil || fmtEntries(got) != tt.want {
				t.Errorf("bylex %q %q rev=%v: %q %v, want %q", tt.min, tt.max, tt.rev, fmtEntries(got), err, tt.want)
			}
		})
	}
	n, err := DecodeCount(run(t, s, RemRangeOp(0, []byte("l"), Range{By: ByLex, Lex: LexRange{Min: LexBound{Value: []byte("b")}, Max: LexBound{Inf: 1}}})))
	if err != nil || n != 3 {
		t.Fatalf("zremrangebylex: %d %v", n, err)
	}
}

// TestZSetAddOptions covers NX, XX, GT, LT, CH and INCR on the real store.
func TestZSetAddOptions(t *testing.T) {
	s, _ := newStore(t)
	tests := []struct {
		opt   AddOptions
		pairs []any
		count int64
		done  bool
		score float64
	}{
		{AddOptions{}, []any{1.0, "a", 2.0, "b"}, 2, true, 2},
		{AddOptions{NX: true}, []any{5.0, "a", 3.0, "c"}, 1, true, 3},
		{AddOptions{XX: true}, []any{5.0, "a", 4.0, "d"}, 0, true, 5},
		{AddOptions{XX: true, CH: true}, []any{6.0, "a"}, 1, true, 6},
		{AddOptions{GT: true, CH: true}, []any{1.0, "a", 9.0, "b"}, 1, true, 9},
		{AddOptions{LT: true, CH: true}, []any{1.0, "a", 10.0, "b"}, 1, true, 1},
		{AddOptions{Incr: true}, []any{2.5, "a"}, 0, true, 3.5},
		{AddOptions{Incr: true, NX: true}, []any{1.0, "a"}, 0, false, 0},
		{AddOptions{Incr: true, XX: true}, []any{1.0, "zz"}, 0, false, 0},
		{AddOptions{Incr: true, GT: true}, []any{-1.0, "a"}, 0, false, 0},
		{AddOptions{Incr: true, LT: true}, []any{-1.0, "a"}, 0, true, 2.5},
	}
	for i, tt := range tests {
		r := add(t, s, "o", tt.opt, tt.pairs...)
		if r.Count != tt.count || r.Done != tt.done || (tt.done && r.Score != tt.score) {
			t.Errorf("case %d %+v: got %+v, want count %d done %v score %g", i, tt.opt, r, tt.count, tt.done, tt.score)
		}
	}
	add(t, s, "n", AddOptions{}, math.Inf(1), "x")
	_, err := DecodeAdd(run(t, s, AddOp(0, []byte("n"), AddOptions{Incr: true}, []Entry{{Member: []byte("x"), Score: math.Inf(-1)}})))
	if !errors.Is(err, ErrNaN) {
		t.Fatalf("inf + -inf: %v, want ErrNaN", err)
	}
	run(t, s, strkv.SetOp(0, []byte("str"), []byte("v"), strkv.SetOptions{}))
	if _, err := DecodeAdd(run(t, s, AddOp(0, []byte("str"), AddOptions{}, []Entry{{Member: []byte("x")}}))); !errors.Is(err, ErrWrongType) {
		t.Fatalf("zadd on a string: %v", err)
	}
}

// TestZSetEmptyDeletesKey checks that removing the last member, and a STORE
// with an empty result, delete the key; and that changes keep the TTL
// while a STORE drops it.
func TestZSetEmptyDeletesKey(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	exists := func(key string) bool {
		n, err := s.Exists(ctx, 0, []byte(key))
		if err != nil {
			t.Fatal(err)
		}
		return n == 1
	}
	add(t, s, "e", AddOptions{}, 1.0, "a", 2.0, "b")
	run(t, s, RemOp(0, []byte("e"), [][]byte{[]byte("a"), []byte("b")}))
	if exists("e") {
		t.Fatal("key left after removing its last member")
	}
	add(t, s, "e", AddOptions{}, 1.0, "a")
	run(t, s, StoreOp(0, []byte("e"), OpInter, [][]byte{[]byte("e"), []byte("missing")}, nil, AggSum))
	if exists("e") {
		t.Fatal("STORE of an empty result left the destination")
	}
	add(t, s, "ttl", AddOptions{}, 1.0, "a", 2.0, "b")
	at := time.Now().Add(time.Hour).UnixMilli()
	run(t, s, strkv.ExpireOp(0, []byte("ttl"), at, false, 0))
	add(t, s, "ttl", AddOptions{}, 3.0, "c")
	run(t, s, PopOp(0, [][]byte{[]byte("ttl")}, false, 1))
	err := s.View(ctx, func(r *strkv.Reader) error {
		m, ok, err := r.Meta(0, []byte("ttl"))
		if err != nil || !ok || m.ExpireAt != at {
			return fmt.Errorf("after changes: %+v %v %v, want expiry %d", m, ok, err, at)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	run(t, s, StoreOp(0, []byte("ttl"), OpUnion, [][]byte{[]byte("ttl")}, nil, AggSum))
	err = s.View(ctx, func(r *strkv.Reader) error {
		m, ok, err := r.Meta(0, []byte("ttl"))
		if err != nil || !ok || m.ExpireAt != 0 {
			return fmt.Errorf("after store: %+v %v %v, want no expiry", m, ok, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	view(t, s, "ttl", func(z Set) {
		got, _ := z.All()
		if fmtEntries(got) != "b=2 c=3 " {
			t.Fatalf("stored %s", fmtEntries(got))
		}
	})
}

// TestZSetCappedLeaderboardDeletes runs ZADD + ZREMRANGEBYRANK 0 -N-1 many
// times (a capped leaderboard) and ZPOPMIN/ZPOPMAX, and checks how the
// removals delete: the floor moves past what was trimmed, short runs are
// point deletes and only a long run is one range delete.
func TestZSetCappedLeaderboardDeletes(t *testing.T) {
	s, log := newStore(t)
	key := []byte("board")
	const keep = 10
	for i := 0; i < 200; i++ {
		es := []Entry{{Member: []byte(fmt.Sprintf("p%04d", i)), Score: float64(i % 37)}, {Member: []byte(fmt.Sprintf("q%04d", i)), Score: float64(i)}}
		run(t, s, recorded(AddOp(0, key, AddOptions{}, es)))
		run(t, s, recorded(RemRangeOp(0, key, Range{By: ByRank, Start: 0, Stop: -keep - 1})))
	}
	// The header's floor has moved past every trimmed entry, so walks
	// seek over them: the first live entry is at the floor.
	err := s.View(context.Background(), func(r *strkv.Reader) error {
		z, err := Open(r, 0, key)
		if err != nil {
			return err
		}
		first, _, err := z.ends()
		if err != nil {
			return err
		}
		if z.floor == nil || bytes.Compare(z.floor, first) > 0 {
			return fmt.Errorf("floor %x, first entry %x", z.floor, first)
		}
		low, err := z.ByRank(0, 0, false)
		if err != nil || len(low) != 1 || string(low[0].Member) != "q0190" {
			return fmt.Errorf("lowest left: %s %v", fmtEntries(low), err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	run(t, s, recorded(PopOp(0, [][]byte{key}, false, 3)))
	run(t, s, recorded(PopOp(0, [][]byte{key}, true, 3)))
	run(t, s, recorded(RemRangeOp(0, key, Range{By: ByScore, Score: ScoreRange{Min: ScoreBound{Value: math.Inf(-1)}, Max: ScoreBound{Value: math.Inf(1)}}})))

	// Short runs are point deletes (a range tombstone costs every later
	// memtable read until flush): every trim, pop and the final removal
	// removed at most pointDeleteMax members.
	data := strkv.DataSubspace(0, key)
	countScore := func() (points, ranges int) {
		for _, k := range log.points {
			if tp, err := data.Unpack(k); err == nil && len(tp) > 1 && tp[1] == "s" {
				points++
			}
		}
		for _, r := range log.ranges {
			if tp, err := data.Unpack(r[0]); err == nil && len(tp) > 1 && tp[1] == "s" {
				ranges++
			}
		}
		return points, ranges
	}
	if points, ranges := countScore(); ranges != 0 || points != 400 {
		t.Errorf("%d point and %d range deletes in the score index, want 400 and 0", points, ranges)
	}
	n, _ := s.Exists(context.Background(), 0, key)
	if n != 0 {
		t.Errorf("key left after removing everything")
	}
	// A long run is one range delete.
	many := make([]Entry, 2*pointDeleteMax)
	for i := range many {
		many[i] = Entry{Member: []byte(fmt.Sprintf("m%04d", i)), Score: float64(i)}
	}
	run(t, s, recorded(AddOp(0, key, AddOptions{}, many)))
	run(t, s, recorded(RemRangeOp(0, key, Range{By: ByRank, Start: 0, Stop: -1})))
	if points, ranges := countScore(); ranges != 1 || points != 400 {
		t.Errorf("after removing %d members at once: %d point and %d range deletes in the score index, want 400 and 1", len(many), points, ranges)
	}
}

// TestZSetCombine checks ZUNION/ZINTER/ZDIFF with weights and aggregates, a
// plain set input, and refusal of other types.
func TestZSetCombine(t *testing.T) {
	s, _ := newStore(t)
	add(t, s, "a", AddOptions{}, 1.0, "x", 2.0, "y", 3.0, "z")
	add(t, s, "b", AddOptions{}, 10.0, "y", 20.0, "z", 30.0, "w")
	run(t, s, strkv.SetOp(0, []byte("str"), []byte("v"), strkv.SetOptions{}))
	keys := func(ks ...string) [][]byte {
		var out [][]byte
		for _, k := range ks {
			out = append(out, []byte(k))
		}
		return out
	}
	tests := []struct {
		op      SetOp
		keys    [][]byte
		weights []float64
		agg     Aggregate
		want    string
		err     error
	}{
		{OpUnion, keys("a", "b"), nil, AggSum, "x=1 y=12 z=23 w=30 ", nil},
		{OpUnion, keys("a", "b"), []float64{2, 0.5}, AggMax, "x=2 y=5 z=10 w=15 ", nil},
		{OpUnion, keys("a", "b"), nil, AggMin, "x=1 y=2 z=3 w=30 ", nil},
		{OpInter, keys("a", "b"), nil, AggSum, "y=12 z=23 ", nil},
		{OpInter, keys("a", "missing"), nil, AggSum, "", nil},
		{OpInter, keys("a", "b"), []float64{math.Inf(1), math.Inf(-1)}, AggSum, "y=0 z=0 ", nil},
		{OpDiff, keys("a", "b"), nil, AggSum, "x=1 ", nil},
		{OpDiff, keys("b", "a"), nil, AggSum, "w=30 ", nil},
		{OpUnion, keys("a", "str"), nil, AggSum, "", ErrWrongType},
	}
	for i, tt := range tests {
		err := s.View(context.Background(), func(r *strkv.Reader) error {
			got, err := Combine(r, 0, tt.op, tt.keys, tt.weights, tt.agg)
			if !errors.Is(err, tt.err) || (err == nil && fmtEntries(got) != tt.want) {
				return fmt.Errorf("case %d: %s %v, want %s %v", i, fmtEntries(got), err, tt.want, tt.err)
			}
			return nil
		})
		if err != nil {
			t.Error(err)
		}
	}
	n, err := DecodeCount(run(t, s, StoreOp(0, []byte("a"), OpUnion, keys("a", "b"), nil, AggSum)))
	if err != nil || n != 4 {
		t.Fatalf("zunionstore into a source: %d %v", n, err)
	}
	view(t, s, "a", func(z Set) {
		got, _ := z.All()
		if fmtEntries(got) != "x=1 y=12 z=23 w=30 " {
			t.Fatalf("stored %s", fmtEntries(got))
		}
	})
}

// TestZSetNegativeZeroAndOrder checks that -0 and 0 are one score and that
// the score index orders by score, then member bytes.
func TestZSetNegativeZeroAndOrder(t *testing.T) {
	s, _ := newStore(t)
	add(t, s, "z", AddOptions{}, 0.0, "b", math.Copysign(0, -1), "a", -1e-300, "n", math.Inf(-1), "lo", math.Inf(1), "hi", 0.0, "c")
	view(t, s, "z", func(z Set) {
		got, _ := z.All()
		if fmtEntries(got) != "lo=-Inf n=-1e-300 a=0 b=0 c=0 hi=+Inf " {
			t.Fatalf("order %s", fmtEntries(got))
		}
		f, ok, _ := z.Score([]byte("a"))
		if !ok || math.Signbit(f) {
			t.Fatalf("score of a: %v %v, want +0", f, ok)
		}
		n, _ := z.CountScore(ScoreRange{Min: ScoreBound{Value: math.Copysign(0, -1)}, Max: ScoreBound{Value: 0}})
		if n != 3 {
			t.Fatalf("count [-0, 0] = %d, want 3", n)
		}
	})
}

// TestZSetParseScore checks the strtod rules of score arguments and range
// bounds.
func TestZSetParseScore(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"1", 1, true}, {"-1.5", -1.5, true}, {"+3", 3, true}, {"1.", 1, true}, {".5", 0.5, true},
		{"1e3", 1000, true}, {"1E-2", 0.01, true}, {"0x10", 16, true}, {"0x1p-2", 0.25, true}, {"0X.8", 0.5, true},
		{"inf", math.Inf(1), true}, {"-Infinity", math.Inf(-1), true}, {"+INF", math.Inf(1), true},
		{"1e-310", 1e-310, true}, {"0e-999", 0, true},
		{"", 0, false}, {" 1", 0, false}, {"1 ", 0, false}, {"nan", 0, false}, {"1e400", 0, false},
		{"1e-400", 0, false}, {"abc", 0, false}, {"1_0", 0, false}, {"1e", 0, false}, {"0x", 0, false},
		{"1\x002", 0, false}, {"--1", 0, false}, {"infx", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseScore([]byte(tt.in))
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("ParseScore(%q) = %v %v, want %v %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	bounds := []struct {
		in   string
		want ScoreBound
		ok   bool
	}{
		{"1", ScoreBound{Value: 1}, true}, {"(1", ScoreBound{Value: 1, Exclusive: true}, true},
		{" 2", ScoreBound{Value: 2}, true}, {"", ScoreBound{}, true}, {"(", ScoreBound{Exclusive: true}, true},
		{"1e400", ScoreBound{Value: math.Inf(1)}, true}, {"2\x00x", ScoreBound{Value: 2}, true},
		{"nan", ScoreBound{}, false}, {"((1", ScoreBound{}, false}, {"1 ", ScoreBound{}, false}, {"x", ScoreBound{}, false},
	}
	for _, tt := range bounds {
		got, ok := ParseScoreBound([]byte(tt.in))
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("ParseScoreBound(%q) = %+v %v, want %+v %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestZSetLayout pins the key layout other code (GEO) and operators rely on.
func TestZSetLayout(t *testing.T) {
	s, _ := newStore(t)
	add(t, s, "lay", AddOptions{}, 2.5, "m")
	var ver uint64
	err := s.View(context.Background(), func(r *strkv.Reader) error {
		meta, ok, err := r.Meta(0, []byte("lay"))
		if err != nil || !ok || meta.Type != strkv.TypeZSet {
			return fmt.Errorf("meta %+v %v %v", meta, ok, err)
		}
		if h, err := layout(0, []byte("lay"), meta.Version).decodeHeader(meta.Value); err != nil || h.card != 1 || h.floor != nil || h.ceiling != nil {
			return fmt.Errorf("header %+v %v", h, err)
		}
		ver = meta.Version
		sp := strkv.MemberSpace(0, []byte("lay"), ver)
		if _, err := r.Source().Get(sp.Pack(tuple.Tuple{"s", 2.5, []byte("m")})); err != nil {
			return fmt.Errorf("score index entry: %w", err)
		}
		v, err := r.Source().Get(sp.Pack(tuple.Tuple{"m", []byte("m")}))
		if err != nil {
			return fmt.Errorf("member index entry: %w", err)
		}
		if f, err := decodeScore(v); err != nil || f != 2.5 {
			return fmt.Errorf("member index score %v %v", f, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestZSetQueueFloor consumes a queue by ZREM of its lowest member (and
// reschedules some by raising their scores) and checks that the floor
// follows the first live entry, so reads seek past the tombstones.
func TestZSetQueueFloor(t *testing.T) {
	s, _ := newStore(t)
	key := []byte("queue")
	for i := 0; i < 50; i++ {
		add(t, s, "queue", AddOptions{}, float64(i), fmt.Sprintf("job%03d", i))
	}
	for i := 0; i < 40; i++ {
		var head []Entry
		view(t, s, "queue", func(z Set) { head, _ = z.ByRank(0, 0, false) })
		if i%5 == 0 {
			add(t, s, "queue", AddOptions{}, 1000+float64(i), string(head[0].Member)) // rescheduled
		} else {
			run(t, s, RemOp(0, key, [][]byte{head[0].Member}))
		}
		view(t, s, "queue", func(z Set) {
			first, _, err := z.ends()
			if err != nil || z.floor == nil || bytes.Compare(z.floor, first) > 0 {
				t.Fatalf("step %d: floor %x, first %x, %v", i, z.floor, first, err)
			}
			if want := fmt.Sprintf("job%03d", i+1); !bytes.HasSuffix(first[:len(first)-1], []byte(want)) {
				t.Fatalf("step %d: first entry %q, want %s", i, first, want)
			}
		})
	}
	view(t, s, "queue", func(z Set) {
		if z.Card() != 50-32 {
			t.Fatalf("card %d", z.Card())
		}
		last, _ := z.ByRank(-1, -1, false)
		if string(last[0].Member) != "job035" || last[0].Score != 1035 {
			t.Fatalf("last %s", fmtEntries(last))
		}
	})
}

// TestScanScoreRanges compares ScanScoreRanges, one iterator seeking from
// range to range, with one ScanScoreRange per range, over seeded random
// scores (many members per score too) and random sorted range sets:
// touching, far apart, empty, beyond the set, and a stop midway.
func TestScanScoreRanges(t *testing.T) {
	s, _ := newStore(t)
	rng := rand.New(rand.NewPCG(3, 4))
	var pairs []any
	for i := range 3000 {
		pairs = append(pairs, float64(rng.IntN(2000)), "m"+strconv.Itoa(i))
	}
	add(t, s, "z", AddOptions{}, pairs...)
	for round := range 200 {
		var ranges [][2]float64
		lo := float64(rng.IntN(300)) - 100
		for range rng.IntN(8) + 1 {
			w := float64(rng.IntN(40))
			ranges = append(ranges, [2]float64{lo, lo + w})
			lo += w + float64(rng.IntN(3)*rng.IntN(200))
		}
		stop := -1
		if round%5 == 0 {
			stop = rng.IntN(50)
		}
		view(t, s, "z", func(z Set) {
			var want, got []string
			for i, r := range ranges {
				if stop >= 0 && len(want) >= stop {
					break
				}
				err := z.ScanScoreRange(r[0], r[1], func(e Entry) bool {
					want = append(want, fmt.Sprintf("%d:%g:%s", i, e.Score, e.Member))
					return stop < 0 || len(want) < stop
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			err := z.ScanScoreRanges(ranges, func(i int, e Entry) bool {
				got = append(got, fmt.Sprintf("%d:%g:%s", i, e.Score, e.Member))
				return stop < 0 || len(got) < stop
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("ranges %v (stop %d):\n got  %d entries %v\n want %d entries %v", ranges, stop, len(got), head(got), len(want), head(want))
			}
		})
	}
}

func head(s []string) []string { return s[:min(len(s), 10)] }
