package streamkv

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

// Tests of the stream layer on a real single-node store. The replies are
// checked against redis-server by resp's corpus (testdata/compat/
// streams.txt); these tests cover what the protocol cannot reach: the
// commit clock going back, events, and the layer's own codecs.

// clockShift wraps a real mutator and moves its clock by shift, for the
// test that ids stay monotonic when the leader's clock goes back.
type clockShift struct {
	layers.Mutator
	shift time.Duration
}

func (c clockShift) Now() time.Time { return c.Mutator.Now().Add(c.shift) }

type testEnv struct {
	strs  *strkv.Store
	mu    sync.Mutex
	shift time.Duration
}

func newEnv(t testing.TB) *testEnv {
	t.Helper()
	env := &testEnv{}
	muts := maps.Clone(strkv.Mutations())
	maps.Copy(muts, Mutations())
	muts["test.shifted"] = func(m layers.Mutator, args []byte) ([]byte, error) {
		env.mu.Lock()
		shift := env.shift
		env.mu.Unlock()
		return mutCmd(clockShift{m, shift}, args)
	}
	env.strs = strkv.New(raftstoretest.NewWithMutations(t, muts))
	return env
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func argv(cmd string) [][]byte {
	var out [][]byte
	for _, f := range strings.Fields(cmd) {
		out = append(out, []byte(f))
	}
	return out
}

// do runs cmd as a write and renders its reply.
func (env *testEnv) do(t testing.TB, cmd string) string {
	t.Helper()
	res, err := env.strs.Run(ctxT(t), CmdOp(0, argv(cmd)))
	if err != nil {
		t.Fatalf("%s: %v", cmd, err)
	}
	r, err := DecodeReply(res[0])
	if err != nil {
		t.Fatalf("%s: %v", cmd, err)
	}
	return render(r)
}

// doShifted runs cmd with the commit clock moved by shift.
func (env *testEnv) doShifted(t testing.TB, shift time.Duration, cmd string) string {
	t.Helper()
	env.mu.Lock()
	env.shift = shift
	env.mu.Unlock()
	m := CmdOp(0, argv(cmd))
	m.Op = "test.shifted"
	res, err := env.strs.Run(ctxT(t), m)
	if err != nil {
		t.Fatalf("%s: %v", cmd, err)
	}
	r, err := DecodeReply(res[0])
	if err != nil {
		t.Fatalf("%s: %v", cmd, err)
	}
	return render(r)
}

// query runs a read command and renders its reply.
func (env *testEnv) query(t testing.TB, cmd string) string {
	t.Helper()
	var out string
	err := env.strs.View(ctxT(t), func(r *strkv.Reader) error {
		rep, err := Query(r, 0, argv(cmd))
		out = render(rep)
		return err
	})
	if err != nil {
		t.Fatalf("%s: %v", cmd, err)
	}
	return out
}

// render writes a reply compactly: arrays and maps in brackets, nulls as
// nil, errors with a leading '!'.
func render(r Reply) string {
	switch r.Kind {
	case KindArray, KindMap, KindPairs:
		parts := make([]string, len(r.Elems))
		for i, e := range r.Elems {
			parts[i] = render(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case KindNull, KindNullArray:
		return "nil"
	case KindInt:
		return fmt.Sprint(r.Int)
	case KindError:
		return "!" + string(r.Str)
	}
	return string(r.Str)
}

// TestAutoIDMonotonic checks that "*" ids come from the commit clock and
// stay increasing when that clock goes back (a new leader's clock behind
// the old one's), and that <ms>-* continues the sequence.
func TestAutoIDMonotonic(t *testing.T) {
	env := newEnv(t)
	parse := func(s string) ID {
		id, ok := parseStrictID([]byte(s))
		if !ok {
			t.Fatalf("XADD replied %q, not an id", s)
		}
		return id
	}
	before := time.Now().UnixMilli()
	first := parse(env.do(t, "XADD s * f 1"))
	if first.Seq != 0 || int64(first.Ms) < before-1000 || int64(first.Ms) > time.Now().UnixMilli()+1000 {
		t.Fatalf("first id %s is not the commit time (%d) with sequence 0", first, before)
	}
	prev := first
	for i, shift := range []time.Duration{-time.Hour, -time.Minute, 0, -time.Hour} {
		id := parse(env.doShifted(t, shift, "XADD s * f x"))
		if id.Compare(prev) <= 0 {
			t.Fatalf("step %d (clock %v): id %s not after %s", i, shift, id, prev)
		}
		if shift < 0 && (id.Ms != prev.Ms || id.Seq != prev.Seq+1) {
			t.Fatalf("step %d: clock behind gave %s, want %d-%d", i, id, prev.Ms, prev.Seq+1)
		}
		prev = id
	}
	if got := env.doShifted(t, time.Hour, "XADD s * f y"); parse(got).Ms <= prev.Ms {
		t.Fatalf("clock ahead gave %s, want a later millisecond than %s", got, prev)
	}
	if got, want := env.do(t, "XADD t 5-* f 1"), "5-0"; got != want {
		t.Fatalf("XADD 5-* on a new stream = %s, want %s", got, want)
	}
	if got, want := env.do(t, "XADD t 5-* f 1"), "5-1"; got != want {
		t.Fatalf("second XADD 5-* = %s, want %s", got, want)
	}
	if got := env.do(t, "XADD t 4-* f 1"); !strings.HasPrefix(got, "!ERR The ID specified in XADD is equal or smaller") {
		t.Fatalf("XADD 4-* after 5-1 = %s", got)
	}
}

// TestParseID checks Redis's id syntax, including what C's strtoull
// accepts.
func TestParseID(t *testing.T) {
	max := uint64(18446744073709551615)
	for _, tc := range []struct {
		in     string
		strict bool
		want   ID
		ok     bool
	}{
		{"1-2", true, ID{1, 2}, true},
		{"5", true, ID{5, 0}, true},
		{"-", false, ID{}, true},
		{"+", false, MaxID, true},
		{"-", true, ID{}, false},
		{"+", true, ID{}, false},
		{"18446744073709551615-18446744073709551615", true, ID{max, max}, true},
		{"18446744073709551616-0", true, ID{}, false},
		{"1-18446744073709551616", true, ID{}, false},
		{" 7-1", true, ID{7, 1}, true},
		{"+7-+1", true, ID{7, 1}, true},
		{"-1-1", true, ID{}, false},
		{"1--1", true, ID{}, false},
		{"1-", true, ID{}, false},
		{"", true, ID{}, false},
		{"1a", true, ID{}, false},
		{"1-*", true, ID{}, false}, // only XADD accepts <ms>-*
		{"1-2\x00garbage", true, ID{1, 2}, true},
		{strings.Repeat("1", 128), true, ID{}, false},
	} {
		got, ok := parseID([]byte(tc.in), 0, tc.strict, nil)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("parseID(%q, strict %v) = %v, %v; want %v, %v", tc.in, tc.strict, got, ok, tc.want, tc.ok)
		}
	}
	var seqGiven bool
	if id, ok := parseID([]byte("9-*"), 0, true, &seqGiven); !ok || seqGiven || id != (ID{9, 0}) {
		t.Errorf("parseID(9-*) = %v, %v, seqGiven %v", id, ok, seqGiven)
	}
}

// TestReplyRoundTrip checks the result codec, and that truncated results
// fail to decode instead of panicking.
func TestReplyRoundTrip(t *testing.T) {
	r := array([]Reply{
		idReply(ID{1, 2}), nullBulk, nullArray, integer(-5), status("OK"), errReply("ERR x"),
		mapReply([]Reply{bulkStr("k"), array(nil)}), {Kind: KindPairs, Elems: []Reply{bulkStr("s"), array(nil)}},
	})
	b := r.Encode()
	got, err := DecodeReply(b)
	if err != nil || render(got) != render(r) {
		t.Fatalf("round trip = %s, %v; want %s", render(got), err, render(r))
	}
	for i := range len(b) {
		if _, err := DecodeReply(b[:i]); err == nil {
			t.Fatalf("decoding %d of %d bytes succeeded", i, len(b))
		}
	}
}

// TestAddEvent checks that XADD announces the key to the listeners of the
// store (what wakes a blocked XREAD on any node), and that a failed XADD
// announces nothing.
func TestAddEvent(t *testing.T) {
	env := newEnv(t)
	n, ok := env.strs.KV().(layers.Notifier)
	if !ok {
		t.Fatal("store has no Notifier")
	}
	var mu sync.Mutex
	var got []string
	cancel := n.Listen(func(ev layers.Event) {
		if ev.Topic != AddTopic {
			return
		}
		db, key, ok := DecodeKeyEvent(ev.Payload)
		mu.Lock()
		got = append(got, fmt.Sprintf("%d/%s/%v", db, key, ok))
		mu.Unlock()
	})
	defer cancel()
	env.do(t, "XADD a 1-1 f v")
	env.do(t, "XADD a 1-1 f v") // fails: not after the top item
	env.do(t, "XGROUP CREATE b g $ MKSTREAM")
	if _, err := env.strs.Run(ctxT(t), CmdOp(3, argv("XADD c * f v"))); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n >= 2 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if want := []string{"0/a/true", "3/c/true"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("events %v, want %v", got, want)
	}
}

// TestTrimNodes checks the simulated listpack nodes against what Redis
// does: 100 entries a node, approximate trimming removes whole nodes only,
// and XDEL of a node's last live entry removes the node.
func TestTrimNodes(t *testing.T) {
	env := newEnv(t)
	for i := 1; i <= 250; i++ {
		env.do(t, fmt.Sprintf("XADD s %d-0 f v", i))
	}
	info := func() string { return env.query(t, "XINFO STREAM s") }
	if got := info(); !strings.HasPrefix(got, "[length 250 radix-tree-keys 3 ") {
		t.Fatalf("XINFO STREAM = %s", got)
	}
	for _, tc := range []struct{ cmd, want string }{
		{"XTRIM s MAXLEN ~ 160", "0"},   // removing the first node would leave 150 < 160
		{"XTRIM s MAXLEN ~ 150", "100"}, // the first node goes
		{"XTRIM s MAXLEN ~ 1 LIMIT 99", "0"},
		{"XTRIM s MINID ~ 250", "100"},
		{"XTRIM s MINID 240", "39"},
	} {
		if got := env.do(t, tc.cmd); got != tc.want {
			t.Errorf("%s = %s, want %s", tc.cmd, got, tc.want)
		}
	}
	if got := env.query(t, "XRANGE s - + COUNT 1"); got != "[[240-0 [f v]]]" {
		t.Fatalf("first entry after trims: %s", got)
	}
	for i := 240; i <= 250; i++ {
		env.do(t, fmt.Sprintf("XDEL s %d-0", i))
	}
	if got := info(); !strings.HasPrefix(got, "[length 0 radix-tree-keys 0 radix-tree-nodes 1 last-generated-id 250-0 max-deleted-entry-id 250-0 entries-added 250 recorded-first-entry-id 0-0") {
		t.Fatalf("XINFO STREAM after deleting everything = %s", got)
	}
	// The next entry starts a new node and is found through the header.
	env.do(t, "XADD s 251-0 f v")
	if got := info(); !strings.Contains(got, "radix-tree-keys 1 ") || !strings.Contains(got, "first-entry [251-0 [f v]]") {
		t.Fatalf("XINFO STREAM after a new entry = %s", got)
	}
}

// TestHugeCounts checks that COUNT-like arguments do not size
// allocations: each command answers at once on a small stream.
func TestHugeCounts(t *testing.T) {
	env := newEnv(t)
	env.do(t, "XADD s 1-1 f v")
	env.do(t, "XGROUP CREATE s g 0")
	const huge = "9223372036854775807"
	for _, cmd := range []string{
		"XRANGE s - + COUNT " + huge,
		"XREAD COUNT " + huge + " STREAMS s 0",
		"XPENDING s g - + " + huge,
		"XINFO STREAM s FULL COUNT " + huge,
	} {
		if got := env.query(t, cmd); strings.HasPrefix(got, "!") {
			t.Errorf("%s = %s", cmd, got)
		}
	}
	for _, cmd := range []string{
		"XREADGROUP GROUP g c COUNT " + huge + " STREAMS s >",
		"XAUTOCLAIM s g c 0 0 COUNT 1000000000",
		"XTRIM s MAXLEN ~ " + huge + " LIMIT " + huge,
	} {
		if got := env.do(t, cmd); strings.HasPrefix(got, "!") {
			t.Errorf("%s = %s", cmd, got)
		}
	}
	if got := env.do(t, "XAUTOCLAIM s g c 0 0 COUNT 576460752303423487"); got != "!ERR Insufficient memory, failed allocating transient memory, COUNT too high." {
		t.Errorf("XAUTOCLAIM with COUNT LONG_MAX/16 = %s", got)
	}
}

// TestRaxNodes checks the radix tree node count on small cases.
func TestRaxNodes(t *testing.T) {
	key := func(ms uint64) []byte { return ID{ms, 0}.appendKey(nil) }
	for _, tc := range []struct {
		keys [][]byte
		want int64
	}{
		{nil, 1},
		{[][]byte{key(1)}, 2},
		// A compressed shared prefix, a branch, and for each key its
		// compressed rest and its leaf (XINFO STREAM of a three-node
		// stream in the corpus shows Redis's 8).
		{[][]byte{key(1), key(2)}, 6},
		{[][]byte{key(1), key(2), key(3)}, 8},
		{[][]byte{key(1), key(1 << 40)}, 6},
	} {
		if got := raxNodes(tc.keys); got != tc.want {
			t.Errorf("raxNodes(%d keys) = %d, want %d", len(tc.keys), got, tc.want)
		}
	}
}

// TestShortArguments checks that a command proposed with fewer arguments
// than it reads fails as malformed instead of panicking on every replica.
func TestShortArguments(t *testing.T) {
	env := newEnv(t)
	for _, cmd := range []string{"XADD s", "XGROUP CREATE s", "XINFO CONSUMERS s", "XCLAIM s g c", "XREADGROUP GROUP g c STREAMS"} {
		if _, err := env.strs.Run(ctxT(t), CmdOp(0, argv(cmd))); err == nil || !strings.Contains(err.Error(), "malformed") {
			t.Errorf("%s: %v, want a malformed-arguments error", cmd, err)
		}
	}
}

// TestTrimAfterDeletedMaster trims exactly across a node whose first
// entry (its master id) was deleted: the whole first node goes, then the
// first live entry of the next, not its deleted master.
func TestTrimAfterDeletedMaster(t *testing.T) {
	for _, tc := range []struct {
		trim, removed, first string
		length               string
	}{
		{"XTRIM s MAXLEN 148", "101", "[[103-0 [f v]]]", "148"},
		{"XTRIM s MAXLEN = 140", "109", "[[111-0 [f v]]]", "140"},
		{"XTRIM s MINID 103", "101", "[[103-0 [f v]]]", "148"},
		{"XTRIM s MINID 104-0", "102", "[[104-0 [f v]]]", "147"},
	} {
		t.Run(tc.trim, func(t *testing.T) {
			env := newEnv(t)
			for i := 1; i <= 250; i++ {
				env.do(t, fmt.Sprintf("XADD s %d-0 f v", i))
			}
			env.do(t, "XDEL s 101-0")
			if got := env.do(t, tc.trim); got != tc.removed {
				t.Errorf("%s = %s, want %s", tc.trim, got, tc.removed)
			}
			if got := env.query(t, "XRANGE s - + COUNT 1"); got != tc.first {
				t.Errorf("first entry = %s, want %s", got, tc.first)
			}
			if got := env.query(t, "XLEN s"); got != tc.length {
				t.Errorf("XLEN = %s, want %s", got, tc.length)
			}
			if got := env.query(t, "XINFO STREAM s"); !strings.Contains(got, "recorded-first-entry-id "+tc.first[2:7]) {
				t.Errorf("XINFO STREAM = %s, want first %s", got, tc.first[2:7])
			}
			if got := env.query(t, "XRANGE s - + COUNT 1000"); strings.Count(got, "[f v]") != mustAtoi(t, tc.length) {
				t.Errorf("XRANGE holds %d entries, XLEN says %s", strings.Count(got, "[f v]"), tc.length)
			}
		})
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
