package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/redis/go-redis/v9"
)

// kvOp is the input of one operation of the linearizability history.
type kvOp struct {
	kind string // "get", "set" or "incr"
	key  string
	val  int64 // the value a set writes
}

// kvResult is the output of one operation. unknown marks a write whose
// outcome the client could not learn (an error or a timeout): it may or may
// not have taken effect, at any time after its call.
type kvResult struct {
	unknown bool
	exists  bool   // get: the key had a value
	val     int64  // get: that value; incr: the value after it
	bad     string // get: a reply that is not one of the written integers
}

// kvState is the model's state of one key.
type kvState struct {
	exists bool
	val    int64
}

// kvModel is a register per key with GET, SET and INCR, partitioned by key.
var kvModel = porcupine.Model{
	Partition: func(history []porcupine.Operation) [][]porcupine.Operation {
		byKey := map[string][]porcupine.Operation{}
		var keys []string
		for _, op := range history {
			k := op.Input.(kvOp).key
			if _, ok := byKey[k]; !ok {
				keys = append(keys, k)
			}
			byKey[k] = append(byKey[k], op)
		}
		sort.Strings(keys)
		out := make([][]porcupine.Operation, 0, len(keys))
		for _, k := range keys {
			out = append(out, byKey[k])
		}
		return out
	},
	Init: func() any { return kvState{} },
	Step: func(state, input, output any) (bool, any) {
		st, in, out := state.(kvState), input.(kvOp), output.(kvResult)
		switch in.kind {
		case "get":
			if out.bad != "" {
				return false, st
			}
			return out.exists == st.exists && (!st.exists || out.val == st.val), st
		case "set":
			return true, kvState{exists: true, val: in.val}
		case "incr":
			next := kvState{exists: true, val: st.val + 1} // an absent key counts as 0
			return out.unknown || out.val == next.val, next
		}
		return false, st
	},
	DescribeOperation: func(input, output any) string {
		in, out := input.(kvOp), output.(kvResult)
		var res string
		switch {
		case out.unknown:
			res = "?"
		case out.bad != "":
			res = strconv.Quote(out.bad)
		case in.kind == "get" && !out.exists:
			res = "nil"
		case in.kind == "set":
			res = "OK"
		default:
			res = strconv.FormatInt(out.val, 10)
		}
		if in.kind == "set" {
			return fmt.Sprintf("set(%s, %d) -> %s", in.key, in.val, res)
		}
		return fmt.Sprintf("%s(%s) -> %s", in.kind, in.key, res)
	},
	DescribeState: func(state any) string {
		st := state.(kvState)
		if !st.exists {
			return "nil"
		}
		return strconv.FormatInt(st.val, 10)
	},
}

// TestLinearizability runs clients against a three-node cluster while the
// leader is SIGKILLed and restarted again and again, records every
// operation with client-side invocation and response times, and checks the
// history with porcupine.
func TestLinearizability(t *testing.T) {
	const (
		workers  = 6
		keys     = 4
		runFor   = 18 * time.Second
		downTime = 1 * time.Second
		upTime   = 3 * time.Second
		opBound  = 8 * time.Second // per operation; a timeout is an unknown outcome
	)
	c := startCluster(t, 3)
	c.waitLeader(electionBound)

	base := time.Now()
	clock := func() int64 { return int64(time.Since(base)) } // monotonic

	var (
		mu        sync.Mutex
		history   []porcupine.Operation
		unknowns  []int // indexes in history whose Return is fixed at the end
		nextProc  atomic.Int64
		nextValue atomic.Int64
		stats     struct{ ok, unknown, failedReads, refused atomic.Int64 }
	)
	record := func(op porcupine.Operation, unknown bool) {
		mu.Lock()
		defer mu.Unlock()
		if unknown {
			unknowns = append(unknowns, len(history))
		}
		history = append(history, op)
	}

	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(w)))
			clients := make([]*redis.Client, len(c.nodes))
			for i, n := range c.nodes {
				clients[i] = n.client(opBound)
			}
			at := rng.IntN(len(c.nodes))
			proc := int(nextProc.Add(1) - 1)
			for {
				select {
				case <-stop:
					return
				default:
				}
				in := kvOp{key: fmt.Sprintf("lk%d", rng.IntN(keys))}
				switch r := rng.IntN(100); {
				case r < 45:
					in.kind = "get"
				case r < 90:
					in.kind = "set"
					in.val = nextValue.Add(1) * 1_000_000 // unique, far from INCR's steps
				default:
					in.kind = "incr"
				}
				rdb := clients[at]
				ctx, cancel := context.WithTimeout(context.Background(), opBound)
				call := clock()
				var out kvResult
				var err error
				switch in.kind {
				case "get":
					var s string
					s, err = rdb.Get(ctx, in.key).Result()
					switch {
					case errors.Is(err, redis.Nil):
						err = nil
					case err == nil:
						out.exists = true
						if out.val, err = strconv.ParseInt(s, 10, 64); err != nil {
							out.bad, err = s, nil
						}
					}
				case "set":
					err = rdb.Set(ctx, in.key, strconv.FormatInt(in.val, 10), 0).Err()
				case "incr":
					out.val, err = rdb.Incr(ctx, in.key).Result()
				}
				ret := clock()
				cancel()
				op := porcupine.Operation{ClientId: proc, Input: in, Call: call, Output: out, Return: ret}
				switch {
				case err == nil:
					stats.ok.Add(1)
					record(op, false)
					continue
				case isDialError(err):
					// The connection was never made: nothing was sent.
					stats.refused.Add(1)
				case in.kind == "get":
					// A failed read has no effect; leave it out.
					stats.failedReads.Add(1)
				default:
					stats.unknown.Add(1)
					op.Output = kvResult{unknown: true}
					record(op, true)
					// This process's operation stays open forever; go on
					// as a new process, as Jepsen does.
					proc = int(nextProc.Add(1) - 1)
				}
				// Try another node.
				at = (at + 1 + rng.IntN(len(c.nodes)-1)) % len(c.nodes)
			}
		}(w)
	}
	stopWorkers := sync.OnceFunc(func() {
		close(stop)
		wg.Wait()
	})
	defer stopWorkers() // also when the controller below fails the test

	kills := 0
	for time.Since(base) < runFor-upTime-downTime {
		time.Sleep(upTime)
		leader := c.waitLeader(electionBound)
		leader.kill()
		kills++
		killedAt := time.Now()
		newLeader := c.waitLeader(electionBound)
		t.Logf("kill %d at %v: SIGKILL leader %s; %s leads after %v", kills,
			killedAt.Sub(base).Round(time.Millisecond), leader.id, newLeader.id, time.Since(killedAt).Round(time.Millisecond))
		time.Sleep(downTime - min(downTime, time.Since(killedAt)))
		leader.start()
	}
	if d := runFor - time.Since(base); d > 0 {
		time.Sleep(d)
	}
	stopWorkers()

	end := clock() + 1
	for _, i := range unknowns {
		history[i].Return = end
	}
	t.Logf("history: %d operations, %d acknowledged, %d writes with unknown outcome, %d failed reads, %d refused connections; %d leader kills",
		len(history), stats.ok.Load(), stats.unknown.Load(), stats.failedReads.Load(), stats.refused.Load(), kills)
	if stats.ok.Load() < 100 {
		t.Fatalf("only %d operations succeeded; the history says too little", stats.ok.Load())
	}

	checkStart := time.Now()
	res, info := porcupine.CheckOperationsVerbose(kvModel, history, 2*time.Minute)
	t.Logf("porcupine: %s in %v", res, time.Since(checkStart).Round(time.Millisecond))
	if res != porcupine.Ok {
		f, err := os.CreateTemp("", "aspen-linearizability-*.html")
		if err != nil {
			t.Fatalf("history is %s; cannot write the visualization: %v", res, err)
		}
		path := f.Name()
		if err := porcupine.Visualize(kvModel, info, f); err != nil {
			t.Logf("visualize: %v", err)
		}
		f.Close()
		t.Fatalf("history is %s, not linearizable (or the checker gave up); visualization: %s", res, path)
	}
}

// isDialError reports whether err is a failure to open the connection, so
// the command never reached a server.
func isDialError(err error) bool {
	var oe *net.OpError
	return errors.As(err, &oe) && oe.Op == "dial"
}

// TestKVModel checks the model on small hand-made histories, so that a
// passing TestLinearizability means the history was checked, not that the
// model accepts anything.
func TestKVModel(t *testing.T) {
	get := func(call, ret int64, key string, exists bool, val int64) porcupine.Operation {
		return porcupine.Operation{Input: kvOp{kind: "get", key: key}, Output: kvResult{exists: exists, val: val}, Call: call, Return: ret}
	}
	set := func(call, ret int64, key string, val int64, unknown bool) porcupine.Operation {
		return porcupine.Operation{Input: kvOp{kind: "set", key: key, val: val}, Output: kvResult{unknown: unknown}, Call: call, Return: ret}
	}
	incr := func(call, ret int64, key string, val int64, unknown bool) porcupine.Operation {
		return porcupine.Operation{Input: kvOp{kind: "incr", key: key}, Output: kvResult{val: val, unknown: unknown}, Call: call, Return: ret}
	}
	const never = 1 << 40 // the Return of an operation with unknown outcome
	tests := []struct {
		name    string
		history []porcupine.Operation
		ok      bool
	}{
		{"read your write", []porcupine.Operation{set(0, 1, "a", 5, false), get(2, 3, "a", true, 5)}, true},
		{"stale read", []porcupine.Operation{set(0, 1, "a", 5, false), set(2, 3, "a", 6, false), get(4, 5, "a", true, 5)}, false},
		{"read of a value never written", []porcupine.Operation{get(0, 1, "a", true, 7)}, false},
		{"lost write", []porcupine.Operation{set(0, 1, "a", 5, false), get(2, 3, "a", false, 0)}, false},
		{"concurrent write either way", []porcupine.Operation{set(0, 10, "a", 5, false), get(1, 2, "a", false, 0), get(3, 4, "a", true, 5)}, true},
		{"value flips back", []porcupine.Operation{set(0, 10, "a", 5, false), get(1, 2, "a", true, 5), get(3, 4, "a", false, 0)}, false},
		{"unknown write may not happen", []porcupine.Operation{set(0, never, "a", 5, true), get(2, 3, "a", false, 0)}, true},
		{"unknown write may happen late", []porcupine.Operation{set(0, never, "a", 5, true), get(2, 3, "a", false, 0), get(4, 5, "a", true, 5)}, true},
		{"unknown write happens once", []porcupine.Operation{
			set(0, never, "a", 5, true), get(1, 2, "a", true, 5), set(3, 4, "a", 6, false), get(5, 6, "a", true, 5)}, false},
		{"incr counts", []porcupine.Operation{incr(0, 1, "c", 1, false), incr(2, 3, "c", 2, false), get(4, 5, "c", true, 2)}, true},
		{"incr twice the same", []porcupine.Operation{incr(0, 1, "c", 1, false), incr(2, 3, "c", 1, false)}, false},
		{"unknown incr counted", []porcupine.Operation{incr(0, never, "c", 0, true), incr(2, 3, "c", 2, false)}, true},
		{"keys are independent", []porcupine.Operation{set(0, 1, "a", 5, false), get(2, 3, "b", false, 0), get(4, 5, "a", true, 5)}, true},
		{"garbled reply", []porcupine.Operation{{Input: kvOp{kind: "get", key: "a"}, Output: kvResult{exists: true, bad: "x"}, Call: 0, Return: 1}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := porcupine.CheckOperations(kvModel, tc.history); got != tc.ok {
				t.Fatalf("linearizable = %v, want %v", got, tc.ok)
			}
		})
	}
}
