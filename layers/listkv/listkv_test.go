package listkv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/raftstore"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

// Tests of the list layer on a real single-node store.

// scanTrap wraps a real mutator and records every Scan, for the test
// that pops must never scan.
type scanTrap struct {
	layers.Mutator
	mu    *sync.Mutex
	scans *int
}

func (s scanTrap) Scan(start, end []byte, reverse bool) layers.Iterator {
	s.mu.Lock()
	*s.scans++
	s.mu.Unlock()
	return s.Mutator.Scan(start, end, reverse)
}

// testEnv is a store with this layer's and strkv's mutations, plus
// test.pop / test.push: the real pop and push run through scanTrap.
type testEnv struct {
	store *raftstore.Store
	strs  *strkv.Store
	mu    sync.Mutex
	scans int
}

func newEnv(t *testing.T) *testEnv {
	t.Helper()
	env := &testEnv{}
	muts := maps.Clone(strkv.Mutations())
	maps.Copy(muts, Mutations())
	trap := func(fn layers.MutationFunc) layers.MutationFunc {
		return func(m layers.Mutator, args []byte) ([]byte, error) {
			return fn(scanTrap{Mutator: m, mu: &env.mu, scans: &env.scans}, args)
		}
	}
	muts["test.pop"] = trap(mutPop)
	muts["test.push"] = trap(mutPush)
	env.store = raftstoretest.NewWithMutations(t, muts)
	env.strs = strkv.New(env.store)
	return env
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func (env *testEnv) run(t *testing.T, muts ...strkv.Mutation) [][]byte {
	t.Helper()
	res, err := env.strs.Run(ctxT(t), muts...)
	if err != nil {
		t.Fatalf("run %d mutations: %v", len(muts), err)
	}
	return res
}

func (env *testEnv) view(t *testing.T, fn func(r *strkv.Reader) error) {
	t.Helper()
	if err := env.strs.View(ctxT(t), fn); err != nil {
		t.Fatalf("view: %v", err)
	}
}

func (env *testEnv) lrange(t *testing.T, key string) []string {
	t.Helper()
	var out []string
	env.view(t, func(r *strkv.Reader) error {
		es, err := Range(r, 0, []byte(key), 0, -1)
		for _, e := range es {
			out = append(out, string(e))
		}
		return err
	})
	return out
}

func bs(ss ...string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

// model is a plain slice that every operation is checked against.
type model map[string][]string

func idx(i, n int) (int, bool) {
	if i < 0 {
		i += n
	}
	return i, i >= 0 && i < n
}

// TestListAgainstModel runs random operations of every kind and compares the
// whole state, and each result, with a slice model after each batch.
func TestListAgainstModel(t *testing.T) {
	env := newEnv(t)
	rng := rand.New(rand.NewPCG(1, 2))
	mdl := model{}
	keys := []string{"a", "b"}
	vals := []string{"x", "y", "z", ""}
	for round := 0; round < 60; round++ {
		var muts []strkv.Mutation
		var checks []func(res []byte)
		for range 8 {
			key := keys[rng.IntN(len(keys))]
			other := keys[rng.IntN(len(keys))]
			v := vals[rng.IntN(len(vals))]
			desc := ""
			switch op := rng.IntN(9); op {
			case 0, 1:
				left := op == 0
				n := 1 + rng.IntN(3)
				push := make([]string, n)
				for i := range push {
					push[i] = vals[rng.IntN(len(vals))]
				}
				for _, p := range push {
					if left {
						mdl[key] = append([]string{p}, mdl[key]...)
					} else {
						mdl[key] = append(mdl[key], p)
					}
				}
				want := int64(len(mdl[key]))
				desc = fmt.Sprintf("push %s %v %v", key, left, push)
				muts = append(muts, PushOp(0, []byte(key), left, false, bs(push...)...))
				checks = append(checks, func(res []byte) {
					if n, err := DecodeInt(res); err != nil || n != want {
						t.Errorf("%s: %d, %v; want %d", desc, n, err, want)
					}
				})
			case 2:
				left := rng.IntN(2) == 0
				count := int64(rng.IntN(4))
				l := mdl[key]
				k := min(int(count), len(l))
				var want []string
				if left {
					want = slices.Clone(l[:k])
					mdl[key] = l[k:]
				} else {
					for i := 0; i < k; i++ {
						want = append(want, l[len(l)-1-i])
					}
					mdl[key] = l[:len(l)-k]
				}
				existed := len(l) > 0
				desc = fmt.Sprintf("pop %s %v %d", key, left, count)
				muts = append(muts, PopOp(0, []byte(key), left, count))
				checks = append(checks, func(res []byte) {
					es, found, err := DecodePop(res)
					if err != nil || found != existed || fmt.Sprint(strs(es)) != fmt.Sprint(want) {
						t.Errorf("%s: %q %v %v; want %q %v", desc, es, found, err, want, existed)
					}
				})
			case 3:
				after := rng.IntN(2) == 0
				pivot := vals[rng.IntN(len(vals))]
				l := mdl[key]
				want := int64(0)
				if len(l) > 0 {
					want = -1
					if p := slices.Index(l, pivot); p >= 0 {
						q := p
						if after {
							q++
						}
						mdl[key] = slices.Insert(slices.Clone(l), q, v)
						want = int64(len(mdl[key]))
					}
				}
				desc = fmt.Sprintf("linsert %s %v %q %q", key, after, pivot, v)
				muts = append(muts, InsertOp(0, []byte(key), after, []byte(pivot), []byte(v)))
				checks = append(checks, func(res []byte) {
					if n, err := DecodeInt(res); err != nil || n != want {
						t.Errorf("%s: %d, %v; want %d", desc, n, err, want)
					}
				})
			case 4:
				count := int64(rng.IntN(5) - 2)
				l := slices.Clone(mdl[key])
				removed := int64(0)
				if count >= 0 {
					var keep []string
					for _, e := range l {
						if e == v && (count == 0 || removed < count) {
							removed++
							continue
						}
						keep = append(keep, e)
					}
					l = keep
				} else {
					for i := len(l) - 1; i >= 0; i-- {
						if l[i] == v && removed < -count {
							l = slices.Delete(l, i, i+1)
							removed++
						}
					}
				}
				mdl[key] = l
				want := removed
				desc = fmt.Sprintf("lrem %s %d %q", key, count, v)
				muts = append(muts, RemOp(0, []byte(key), count, []byte(v)))
				checks = append(checks, func(res []byte) {
					if n, err := DecodeInt(res); err != nil || n != want {
						t.Errorf("%s: %d, %v; want %d", desc, n, err, want)
					}
				})
			case 5:
				start, stop := int64(rng.IntN(9)-4), int64(rng.IntN(9)-4)
				l := mdl[key]
				from, to, ok := clampRange(start, stop, int64(len(l)))
				if ok {
					mdl[key] = slices.Clone(l[from:to])
				} else {
					mdl[key] = nil
				}
				desc = fmt.Sprintf("ltrim %s %d %d", key, start, stop)
				muts = append(muts, TrimOp(0, []byte(key), start, stop))
				checks = append(checks, func(res []byte) {
					if err := DecodeStatus(res); err != nil {
						t.Errorf("%s: %v", desc, err)
					}
				})
			case 6:
				i := rng.IntN(7) - 3
				l := mdl[key]
				var want error
				if len(l) == 0 {
					want = strkv.ErrNoSuchKey
				} else if j, ok := idx(i, len(l)); !ok {
					want = ErrIndexRange
				} else {
					l[j] = v
				}
				desc = fmt.Sprintf("lset %s %d %q", key, i, v)
				muts = append(muts, SetOp(0, []byte(key), int64(i), true, []byte(v)))
				checks = append(checks, func(res []byte) {
					if err := DecodeStatus(res); !errors.Is(err, want) {
						t.Errorf("%s: %v; want %v", desc, err, want)
					}
				})
			case 7:
				srcLeft, dstLeft := rng.IntN(2) == 0, rng.IntN(2) == 0
				src := mdl[key]
				var want string
				ok := len(src) > 0
				if ok {
					if srcLeft {
						want, mdl[key] = src[0], src[1:]
					} else {
						want, mdl[key] = src[len(src)-1], src[:len(src)-1]
					}
					if dstLeft {
						mdl[other] = append([]string{want}, mdl[other]...)
					} else {
						mdl[other] = append(slices.Clone(mdl[other]), want)
					}
				}
				desc = fmt.Sprintf("lmove %s %s %v %v", key, other, srcLeft, dstLeft)
				muts = append(muts, MoveOp(0, []byte(key), []byte(other), srcLeft, dstLeft))
				checks = append(checks, func(res []byte) {
					e, found, err := DecodeMove(res)
					if err != nil || found != ok || string(e) != want {
						t.Errorf("%s: %q %v %v; want %q %v", desc, e, found, err, want, ok)
					}
				})
			case 8:
				left := rng.IntN(2) == 0
				count := int64(1 + rng.IntN(3))
				order := []string{"none", key, other}
				wantIdx := -1
				var want []string
				for i, k := range order {
					l := mdl[k]
					if len(l) == 0 {
						continue
					}
					n := min(int(count), len(l))
					if left {
						want, mdl[k] = slices.Clone(l[:n]), l[n:]
					} else {
						for j := 0; j < n; j++ {
							want = append(want, l[len(l)-1-j])
						}
						mdl[k] = l[:len(l)-n]
					}
					wantIdx = i
					break
				}
				desc = fmt.Sprintf("lmpop %v %v %d", order, left, count)
				muts = append(muts, MPopOp(0, bs(order...), left, count))
				checks = append(checks, func(res []byte) {
					i, es, err := DecodeMPop(res)
					if err != nil || i != wantIdx || fmt.Sprint(strs(es)) != fmt.Sprint(want) {
						t.Errorf("%s: %d %q %v; want %d %q", desc, i, es, err, wantIdx, want)
					}
				})
			}
		}
		res := env.run(t, muts...)
		for i, check := range checks {
			check(res[i])
		}
		for _, k := range keys {
			got := env.lrange(t, k)
			if fmt.Sprint(got) != fmt.Sprint(mdl[k]) && !(len(got) == 0 && len(mdl[k]) == 0) {
				t.Fatalf("round %d: %s = %q, want %q", round, k, got, mdl[k])
			}
			env.checkReads(t, k, mdl[k])
		}
	}
}

func strs(bs [][]byte) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = string(b)
	}
	return out
}

// checkReads compares LLEN, LINDEX, LRANGE slices and LPOS with the
// model list l, and the key's existence with l being non-empty.
func (env *testEnv) checkReads(t *testing.T, key string, l []string) {
	t.Helper()
	k := []byte(key)
	n := int64(len(l))
	env.view(t, func(r *strkv.Reader) error {
		got, err := Len(r, 0, k)
		if err != nil || got != n {
			t.Errorf("LLEN %s = %d, %v; want %d", key, got, err, n)
		}
		_, exists, err := r.Meta(0, k)
		if err != nil || exists != (n > 0) {
			t.Errorf("%s exists = %v, %v; want %v", key, exists, err, n > 0)
		}
		for i := -n - 1; i <= n; i++ {
			e, ok, err := Index(r, 0, k, i)
			j, wantOK := idx(int(i), len(l))
			if err != nil || ok != wantOK || (ok && string(e) != l[j]) {
				t.Errorf("LINDEX %s %d = %q %v %v", key, i, e, ok, err)
			}
		}
		for start := -n - 1; start <= n; start++ {
			for stop := -n - 1; stop <= n; stop++ {
				es, err := Range(r, 0, k, start, stop)
				var want []string
				if from, to, ok := clampRange(start, stop, n); ok {
					want = l[from:to]
				}
				if err != nil || fmt.Sprint(strs(es)) != fmt.Sprint(want) {
					t.Errorf("LRANGE %s %d %d = %q, %v; want %q", key, start, stop, es, err, want)
				}
			}
		}
		for _, v := range []string{"x", "y"} {
			for _, rank := range []int64{1, 2, -1, -2} {
				got, err := Pos(r, 0, k, []byte(v), PosOptions{Rank: rank})
				var want []int64
				skip := max(rank, -rank) - 1
				for i := range l {
					j := i
					if rank < 0 {
						j = len(l) - 1 - i
					}
					if l[j] == v {
						if skip > 0 {
							skip--
							continue
						}
						want = append(want, int64(j))
					}
				}
				if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("LPOS %s %s RANK %d = %v, %v; want %v", key, v, rank, got, err, want)
				}
			}
		}
		return nil
	})
}

// TestListQueueNeverScans runs a long LPUSH + RPOP queue through the real
// mutations with a mutator that counts scans: pushes and pops must find
// their positions from the header alone, however many elements the list
// has seen deleted.
func TestListQueueNeverScans(t *testing.T) {
	env := newEnv(t)
	key := []byte("q")
	next, want := 0, 0
	for batch := 0; batch < 40; batch++ {
		var muts []strkv.Mutation
		for range 50 {
			muts = append(muts, strkv.Mutation{Op: "test.push", Args: PushOp(0, key, true, false, []byte(fmt.Sprint(next))).Args})
			next++
			muts = append(muts, strkv.Mutation{Op: "test.push", Args: PushOp(0, key, true, false, []byte(fmt.Sprint(next))).Args})
			next++
			muts = append(muts, strkv.Mutation{Op: "test.pop", Args: PopOp(0, key, false, 1).Args})
		}
		res := env.run(t, muts...)
		for i := 2; i < len(res); i += 3 {
			es, found, err := DecodePop(res[i])
			if err != nil || !found || len(es) != 1 || string(es[0]) != fmt.Sprint(want) {
				t.Fatalf("batch %d: pop = %q %v %v; want %d", batch, es, found, err, want)
			}
			want++
		}
	}
	if env.scans != 0 {
		t.Fatalf("push and pop scanned %d times", env.scans)
	}
	got := env.lrange(t, "q")
	if len(got) != next-want || got[0] != fmt.Sprint(next-1) || got[len(got)-1] != fmt.Sprint(want) {
		t.Fatalf("queue holds %d elements %q...%q; want %d", len(got), got[0], got[len(got)-1], next-want)
	}
	// Drain it: the key goes with its last element.
	res := env.run(t, PopOp(0, key, false, 1<<40))
	es, _, err := DecodePop(res[0])
	if err != nil || len(es) != next-want {
		t.Fatalf("drain: %d elements, %v", len(es), err)
	}
	env.view(t, func(r *strkv.Reader) error {
		if _, ok, _ := r.Meta(0, key); ok {
			t.Errorf("drained list still exists")
		}
		return nil
	})
}

// TestListWrongTypeAndExpiry checks WRONGTYPE from every write and read, that
// pushes keep a TTL, and that an expired list is absent and replaced by a
// fresh one.
func TestListWrongTypeAndExpiry(t *testing.T) {
	env := newEnv(t)
	s := []byte("s")
	env.run(t, strkv.SetOp(0, s, []byte("v"), strkv.SetOptions{}))
	for _, m := range []strkv.Mutation{
		PushOp(0, s, true, false, []byte("x")),
		PushOp(0, s, false, true, []byte("x")),
		PopOp(0, s, true, 1),
		MPopOp(0, bs("none", "s", "l"), true, 1),
		MoveOp(0, s, []byte("l"), true, true),
		SetOp(0, s, 0, true, []byte("x")),
		InsertOp(0, s, true, []byte("a"), []byte("b")),
		RemOp(0, s, 0, []byte("a")),
		TrimOp(0, s, 0, 1),
	} {
		res := env.run(t, m)
		if err := DecodeStatus(res[0]); !errors.Is(err, strkv.ErrWrongType) {
			t.Errorf("%s on a string: %v", m.Op, err)
		}
	}
	// LMOVE checks the destination's type before it pops.
	env.run(t, PushOp(0, []byte("l"), false, false, bs("1", "2")...))
	if err := DecodeStatus(env.run(t, MoveOp(0, []byte("l"), s, true, true))[0]); !errors.Is(err, strkv.ErrWrongType) {
		t.Errorf("LMOVE to a string: %v", err)
	}
	if got := env.lrange(t, "l"); fmt.Sprint(got) != "[1 2]" {
		t.Errorf("after refused LMOVE: %q", got)
	}
	env.view(t, func(r *strkv.Reader) error {
		if _, err := Len(r, 0, s); !errors.Is(err, strkv.ErrWrongType) {
			t.Errorf("LLEN of a string: %v", err)
		}
		if _, err := Range(r, 0, s, 0, -1); !errors.Is(err, strkv.ErrWrongType) {
			t.Errorf("LRANGE of a string: %v", err)
		}
		if _, _, err := Index(r, 0, s, 0); !errors.Is(err, strkv.ErrWrongType) {
			t.Errorf("LINDEX of a string: %v", err)
		}
		if _, err := Pos(r, 0, s, []byte("v"), PosOptions{Rank: 1}); !errors.Is(err, strkv.ErrWrongType) {
			t.Errorf("LPOS of a string: %v", err)
		}
		return nil
	})

	// A TTL survives pushes and pops.
	l := []byte("l")
	env.run(t, strkv.ExpireOp(0, l, 1000, true, 0))
	env.run(t, PushOp(0, l, true, false, []byte("0")), PopOp(0, l, false, 1))
	env.view(t, func(r *strkv.Reader) error {
		if ttl, err := r.PTTL(0, l); err != nil || ttl <= 0 {
			t.Errorf("PTTL after push and pop = %d, %v", ttl, err)
		}
		return nil
	})
	time.Sleep(1100 * time.Millisecond)
	if got := env.lrange(t, "l"); len(got) != 0 {
		t.Errorf("expired list reads %q", got)
	}
	if n, err := DecodeInt(env.run(t, PushOp(0, l, false, true, []byte("x")))[0]); err != nil || n != 0 {
		t.Errorf("RPUSHX on an expired list = %d, %v", n, err)
	}
	if n, err := DecodeInt(env.run(t, PushOp(0, l, false, false, []byte("new")))[0]); err != nil || n != 1 {
		t.Errorf("RPUSH on an expired list = %d, %v", n, err)
	}
	if got := env.lrange(t, "l"); fmt.Sprint(got) != "[new]" {
		t.Errorf("list re-created after expiry = %q", got)
	}
	env.view(t, func(r *strkv.Reader) error {
		if ttl, err := r.PTTL(0, l); err != nil || ttl != -1 {
			t.Errorf("re-created list PTTL = %d, %v; want -1", ttl, err)
		}
		return nil
	})
}

// TestListPushEvents checks that every push announces the key to the node's
// listeners, and that reads and pops do not.
func TestListPushEvents(t *testing.T) {
	env := newEnv(t)
	var mu sync.Mutex
	var got []string
	cancel := env.store.Listen(func(ev layers.Event) {
		if ev.Topic != PushTopic {
			return
		}
		db, key, ok := DecodeKeyEvent(ev.Payload)
		mu.Lock()
		got = append(got, fmt.Sprintf("%d/%s/%v", db, key, ok))
		mu.Unlock()
	})
	defer cancel()
	env.run(t,
		PushOp(3, []byte("a"), true, false, []byte("x")),
		PushOp(0, []byte("b"), false, true, []byte("x")), // no list: no push
		PopOp(3, []byte("a"), true, 1),
		PushOp(0, []byte("c"), false, false, []byte("x")),
		MoveOp(0, []byte("c"), []byte("d"), true, true),
	)
	want := []string{"3/a/true", "0/c/true", "0/d/true"}
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		g := slices.Clone(got)
		mu.Unlock()
		if slices.Equal(g, want) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("events %q, want %q", g, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, _, ok := DecodeKeyEvent([]byte{0xff}); ok {
		t.Errorf("DecodeKeyEvent accepted garbage")
	}
	if !bytes.Equal(EncodeKeyEvent(1, []byte("k")), EncodeKeyEvent(1, []byte("k"))) {
		t.Errorf("EncodeKeyEvent is not deterministic")
	}
}
