package resp

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Stream tests beyond the side-by-side corpus (testdata/compat/streams.txt):
// replies that hold times (compared with redis-server once the times are
// masked), blocking XREAD and XREADGROUP with go-redis, XAUTOCLAIM through
// go-redis's API, bad input, and consumer groups across the nodes of a
// cluster, through a leader's death.

// streamTimeMasks replace the times in XPENDING, XINFO CONSUMERS and XINFO
// STREAM FULL replies (as rawConn renders them) with "T".
var streamTimeMasks = []struct {
	re   *regexp.Regexp
	repl string
}{
	// XPENDING's [id consumer idle count], FULL's group PEL [id consumer time count].
	{regexp.MustCompile(`(\["\d+-\d+" "[^"]*" ):\d+( :\d+\])`), "${1}:T${2}"},
	// FULL's consumer PEL [id time count].
	{regexp.MustCompile(`(\["\d+-\d+" ):\d+( :\d+\])`), "${1}:T${2}"},
	{regexp.MustCompile(`("(?:idle|seen-time)" ):\d+`), "${1}:T"},
}

func maskStreamTimes(s string) string {
	for _, m := range streamTimeMasks {
		if os.Getenv("NOMASK") == "" {
			s = m.re.ReplaceAllString(s, m.repl)
		}
	}
	return s
}

// splitScriptLine splits a script line into arguments; an argument in
// double quotes is a Go string literal.
func splitScriptLine(t *testing.T, line string) []string {
	t.Helper()
	var args []string
	for _, f := range strings.Fields(line) {
		if strings.HasPrefix(f, `"`) {
			u, err := strconv.Unquote(f)
			if err != nil {
				t.Fatalf("bad literal %s in %q", f, line)
			}
			f = u
		}
		args = append(args, f)
	}
	return args
}

// TestStreamCompatTimes replays XPENDING, XCLAIM and XINFO commands whose
// replies hold idle and delivery times against redis-server and Aspen,
// comparing replies with the times masked.
func TestStreamCompatTimes(t *testing.T) {
	redisAddr := startRedis(t)
	ts := startServer(t, nil)
	ref, ours := dialRaw(t, redisAddr), dialRaw(t, ts.addr)
	for _, c := range []*rawConn{ref, ours} {
		c.send([]string{"FLUSHALL"})
		c.mustReply()
	}
	for _, line := range streamTimedScript {
		args := splitScriptLine(t, line)
		ref.send(args)
		ours.send(args)
		want, got := maskStreamTimes(ref.mustReply()), maskStreamTimes(ours.mustReply())
		if args[0] == "HELLO" {
			continue // holds the connection's id
		}
		if got != want {
			t.Errorf("%q:\n got  %s\n want %s", args, got, want)
		}
	}
}

var streamTimedScript = []string{
	`DEL s`,
	`XADD s 1-1 a 1`,
	`XADD s 2-1 b 2`,
	`XADD s 3-1 c 3`,
	`XADD s 4-1 d 4`,
	`XGROUP CREATE s g 0`,
	`XPENDING s g`,
	`XREADGROUP GROUP g alice COUNT 2 STREAMS s >`,
	`XREADGROUP GROUP g bob STREAMS s >`,
	`XPENDING s g`,
	`XPENDING s g - + 10`,
	`XPENDING s g - + 2`,
	`XPENDING s g (1-1 + 10`,
	`XPENDING s g - (4-1 10 bob`,
	`XPENDING s g - + 10 alice`,
	`XPENDING s g - + 10 nobody`,
	`XPENDING s g - + 0`,
	`XPENDING s g - + -1`,
	`XPENDING s g IDLE 0 - + 10`,
	`XPENDING s g IDLE 1000000 - + 10`,
	`XPENDING s g IDLE 1000000 - + 10 alice`,
	`XPENDING s g IDLE x - + 10`,
	`XPENDING s g IDLE 10 - +`,
	`XPENDING s g - + x`,
	`XPENDING s g x + 10`,
	`XPENDING s g - x 10`,
	`XPENDING s g ( + 10`,
	`XPENDING s g "(18446744073709551615-18446744073709551615" + 10`,
	`XPENDING s g - (0-0 10`,
	`XPENDING s g -`,
	`XPENDING s g - +`,
	`XPENDING s g - + 10 alice extra extra extra`,
	`XPENDING s nog`,
	`XPENDING s nog - + 10`,
	`XPENDING nosuch g`,
	`XPENDING str g`,
	`XPENDING str g x + 10`,
	`XCLAIM s g carol 0 1-1`,
	`XPENDING s g`,
	`XCLAIM s g carol 0 1-1 JUSTID`,
	`XCLAIM s g carol 1000000 2-1`,
	`XCLAIM s g carol 0 9-9`,
	`XCLAIM s g carol 0 9-9 FORCE`,
	`XCLAIM s g dave 0 2-1 RETRYCOUNT 7`,
	`XPENDING s g - + 10`,
	`XCLAIM s g dave 0 2-1 IDLE 5000000 JUSTID`,
	`XPENDING s g IDLE 4000000 - + 10`,
	`XCLAIM s g dave 0 2-1 TIME 1000 JUSTID`,
	`XPENDING s g IDLE 4000000 - + 10`,
	`XCLAIM s g erin 0 3-1 TIME 99999999999999 JUSTID`,
	`XPENDING s g IDLE 1000 - + 10`,
	`XCLAIM s g erin 0 4-1 LASTID 10-0 JUSTID`,
	`XINFO GROUPS s`,
	`XCLAIM s g erin 0 4-1 LASTID 1-0 JUSTID`,
	`XCLAIM s g erin 0 4-1 LASTID x`,
	`XCLAIM s g erin 0 4-1 IDLE x`,
	`XCLAIM s g erin 0 4-1 TIME x`,
	`XCLAIM s g erin 0 4-1 RETRYCOUNT x`,
	`XCLAIM s g erin 0 4-1 BOGUS`,
	`XCLAIM s g erin 0 4-1 IDLE`,
	`XCLAIM s g erin x 4-1`,
	`XCLAIM s g erin -5 4-1 JUSTID`,
	`XCLAIM s nog erin 0 4-1`,
	`XCLAIM nosuch g erin 0 4-1`,
	`XCLAIM str g erin 0 4-1`,
	`XCLAIM s g erin 0 x`,
	`XDEL s 4-1`,
	`XCLAIM s g frank 0 4-1 3-1`,
	`XPENDING s g`,
	`XADD s 5-1 e 5`,
	`XCLAIM s g frank 0 5-1`,
	`XCLAIM s g frank 0 5-1 FORCE JUSTID`,
	`XCLAIM s g frank 0 5-1 FORCE`,
	`XPENDING s g`,
	`XINFO CONSUMERS s g`,
	`XREADGROUP GROUP g2 zed STREAMS s >`,
	`XINFO CONSUMERS s g`,
	`XINFO STREAM s FULL`,
	`XINFO STREAM s FULL COUNT 1`,
	`XINFO STREAM s FULL COUNT 0`,
	`XINFO STREAM s FULL COUNT -1`,
	`HELLO 3`,
	`XINFO STREAM s FULL`,
	`XINFO CONSUMERS s g`,
	`XPENDING s g - + 10`,
	`XPENDING s g`,
}

// TestStreamXReadGroupBlock blocks XREADGROUP consumers in several
// goroutines and adds entries from another client: each entry reaches
// exactly one consumer, and stays pending until acknowledged.
func TestStreamXReadGroupBlock(t *testing.T) {
	noPoll(t)
	ts := startServer(t, nil)
	ctx := ctxT(t)
	admin := ts.client(t)
	if err := admin.XGroupCreateMkStream(ctx, "jobs", "workers", "$").Err(); err != nil {
		t.Fatal(err)
	}

	// One waiter, woken by one add.
	c1 := blockClient(t, ts.addr, 0)
	ch := make(chan []redis.XStream, 1)
	go func() {
		v, err := c1.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "workers", Consumer: "w1", Streams: []string{"jobs", ">"}, Block: 0}).Result()
		if err != nil {
			t.Errorf("XREADGROUP: %v", err)
		}
		ch <- v
	}()
	waitWaiting(t, ts.srv, 0, "jobs", 1)
	id, err := admin.XAdd(ctx, &redis.XAddArgs{Stream: "jobs", Values: []string{"n", "first"}}).Result()
	if err != nil {
		t.Fatal(err)
	}
	select {
	case v := <-ch:
		if len(v) != 1 || v[0].Stream != "jobs" || len(v[0].Messages) != 1 || v[0].Messages[0].ID != id || v[0].Messages[0].Values["n"] != "first" {
			t.Fatalf("woken XREADGROUP got %+v, want entry %s", v, id)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("XREADGROUP never woke")
	}
	if p, err := admin.XPending(ctx, "jobs", "workers").Result(); err != nil || p.Count != 1 || p.Consumers["w1"] != 1 {
		t.Fatalf("XPENDING = %+v, %v; want one entry of w1", p, err)
	}

	// Three consumers, each in its own goroutine, reading and acking until
	// every entry is seen.
	const total = 30
	var mu sync.Mutex
	seen := map[string]string{} // entry value -> consumer
	var wg sync.WaitGroup
	for i := range 3 {
		name := fmt.Sprintf("c%d", i)
		c := blockClient(t, ts.addr, 0)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				v, err := c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "workers", Consumer: name, Streams: []string{"jobs", ">"}, Count: 2, Block: 1500 * time.Millisecond}).Result()
				if errors.Is(err, redis.Nil) {
					return
				}
				if err != nil {
					t.Errorf("%s: XREADGROUP: %v", name, err)
					return
				}
				for _, m := range v[0].Messages {
					mu.Lock()
					if prev, dup := seen[m.Values["n"].(string)]; dup {
						t.Errorf("entry %v delivered to %s and %s", m.Values, prev, name)
					}
					seen[m.Values["n"].(string)] = name
					mu.Unlock()
					if n, err := c.XAck(ctx, "jobs", "workers", m.ID).Result(); err != nil || n != 1 {
						t.Errorf("XACK %s = %d, %v", m.ID, n, err)
					}
				}
			}
		}()
	}
	for i := range total {
		if err := admin.XAdd(ctx, &redis.XAddArgs{Stream: "jobs", Values: []string{"n", strconv.Itoa(i)}}).Err(); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	if len(seen) != total {
		t.Fatalf("consumers saw %d entries, want %d: %v", len(seen), total, seen)
	}
	if p, err := admin.XPending(ctx, "jobs", "workers").Result(); err != nil || p.Count != 1 {
		t.Fatalf("XPENDING after acks = %+v, %v; want only the first entry", p, err)
	}
}

// TestStreamXReadGroupUnblocked checks the errors a blocked XREADGROUP
// gets when its group is destroyed or its stream deleted, as Redis 7.0
// replies them.
func TestStreamXReadGroupUnblocked(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	admin := ts.client(t)
	c := blockClient(t, ts.addr, 0)
	for _, tc := range []struct {
		name, want string
		act        func() error
	}{
		{"destroy", "NOGROUP the consumer group this client was blocked on no longer exists", func() error { return admin.XGroupDestroy(ctx, "s", "g").Err() }},
		{"del", "UNBLOCKED the stream key no longer exists", func() error { return admin.Del(ctx, "s").Err() }},
		{"set", "UNBLOCKED the stream key no longer exists", func() error { return admin.Set(ctx, "s", "x", 0).Err() }},
	} {
		admin.Del(ctx, "s")
		if err := admin.XGroupCreateMkStream(ctx, "s", "g", "$").Err(); err != nil {
			t.Fatal(err)
		}
		ch := goDo(ctx, c, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">")
		waitWaiting(t, ts.srv, 0, "s", 1)
		expectBlocked(t, ch)
		if err := tc.act(); err != nil {
			t.Fatal(err)
		}
		if r := await(t, ch); r.err == nil || r.err.Error() != tc.want {
			t.Errorf("%s: blocked XREADGROUP = %v, %v; want %s", tc.name, r.v, r.err, tc.want)
		}
	}
}

// TestStreamXReadBlock checks XREAD BLOCK: "$" means entries added after
// the command started, several streams, and a timeout replies nil.
func TestStreamXReadBlock(t *testing.T) {
	noPoll(t)
	ts := startServer(t, nil)
	ctx := ctxT(t)
	admin := ts.client(t)
	admin.XAdd(ctx, &redis.XAddArgs{Stream: "a", ID: "1-1", Values: []string{"old", "1"}})

	c := blockClient(t, ts.addr, 0)
	ch := goDo(ctx, c, "XREAD", "BLOCK", "0", "STREAMS", "a", "b", "$", "$")
	waitWaiting(t, ts.srv, 0, "b", 1)
	expectBlocked(t, ch)
	if err := admin.XAdd(ctx, &redis.XAddArgs{Stream: "b", ID: "5-1", Values: []string{"new", "2"}}).Err(); err != nil {
		t.Fatal(err)
	}
	r := await(t, ch)
	if r.err != nil || fmt.Sprint(r.v) != "map[b:[[5-1 [new 2]]]]" {
		t.Fatalf("XREAD BLOCK $ = %v, %v; want b's new entry only", r.v, r.err)
	}

	// Two waiters on one stream, the first for ids far ahead: an add wakes
	// the second all the same.
	far, near := blockClient(t, ts.addr, 0), blockClient(t, ts.addr, 0)
	chFar := goDo(ctx, far, "XREAD", "BLOCK", "0", "STREAMS", "b", "99999-0")
	waitWaiting(t, ts.srv, 0, "b", 1)
	chNear := goDo(ctx, near, "XREAD", "BLOCK", "0", "STREAMS", "b", "$")
	waitWaiting(t, ts.srv, 0, "b", 2)
	admin.XAdd(ctx, &redis.XAddArgs{Stream: "b", ID: "6-1", Values: []string{"n", "3"}})
	if r := await(t, chNear); r.err != nil || fmt.Sprint(r.v) != "map[b:[[6-1 [n 3]]]]" {
		t.Fatalf("second waiter = %v, %v", r.v, r.err)
	}
	expectBlocked(t, chFar)
	admin.XAdd(ctx, &redis.XAddArgs{Stream: "b", ID: "100000-0", Values: []string{"n", "4"}})
	if r := await(t, chFar); r.err != nil || fmt.Sprint(r.v) != "map[b:[[100000-0 [n 4]]]]" {
		t.Fatalf("first waiter = %v, %v", r.v, r.err)
	}

	start := time.Now()
	if _, err := c.XRead(ctx, &redis.XReadArgs{Streams: []string{"a", "$"}, Block: 150 * time.Millisecond}).Result(); !errors.Is(err, redis.Nil) {
		t.Fatalf("XREAD BLOCK timeout: %v, want nil", err)
	}
	if d := time.Since(start); d < 140*time.Millisecond {
		t.Fatalf("XREAD BLOCK 150 returned after %v", d)
	}
	// A blocked XREAD on a key that is not a stream fails at once.
	admin.Set(ctx, "str", "x", 0)
	if err := c.XRead(ctx, &redis.XReadArgs{Streams: []string{"str", "0"}, Block: 0}).Err(); err == nil || !strings.HasPrefix(err.Error(), "WRONGTYPE") {
		t.Fatalf("XREAD BLOCK on a string: %v", err)
	}
}

// TestStreamXAutoClaim drives XAUTOCLAIM through go-redis: claimed
// entries, the cursor, JUSTID, and entries deleted while pending.
func TestStreamXAutoClaim(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	for i := 1; i <= 5; i++ {
		c.XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: fmt.Sprintf("%d-0", i), Values: []string{"i", strconv.Itoa(i)}})
	}
	c.XGroupCreate(ctx, "s", "g", "0")
	if err := c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g", Consumer: "alice", Streams: []string{"s", ">"}}).Err(); err != nil {
		t.Fatal(err)
	}
	msgs, cursor, err := c.XAutoClaim(ctx, &redis.XAutoClaimArgs{Stream: "s", Group: "g", Consumer: "bob", Start: "0", Count: 2}).Result()
	if err != nil || len(msgs) != 2 || msgs[0].ID != "1-0" || msgs[1].ID != "2-0" || cursor != "3-0" {
		t.Fatalf("XAUTOCLAIM = %v, %q, %v; want 1-0, 2-0 and cursor 3-0", msgs, cursor, err)
	}
	ids, cursor, err := c.XAutoClaimJustID(ctx, &redis.XAutoClaimArgs{Stream: "s", Group: "g", Consumer: "bob", Start: cursor, Count: 10}).Result()
	if err != nil || !slices.Equal(ids, []string{"3-0", "4-0", "5-0"}) || cursor != "0-0" {
		t.Fatalf("XAUTOCLAIM JUSTID = %v, %q, %v; want 3-0..5-0 and cursor 0-0", ids, cursor, err)
	}
	// An idle time nothing reaches claims nothing.
	msgs, _, err = c.XAutoClaim(ctx, &redis.XAutoClaimArgs{Stream: "s", Group: "g", Consumer: "carol", Start: "0", MinIdle: time.Hour}).Result()
	if err != nil || len(msgs) != 0 {
		t.Fatalf("XAUTOCLAIM min-idle 1h = %v, %v", msgs, err)
	}
	p, err := c.XPendingExt(ctx, &redis.XPendingExtArgs{Stream: "s", Group: "g", Start: "-", End: "+", Count: 10}).Result()
	if err != nil || len(p) != 5 {
		t.Fatalf("XPENDING = %v, %v", p, err)
	}
	for _, e := range p {
		if e.Consumer != "bob" || e.RetryCount != 2 && e.ID <= "2-0" {
			t.Errorf("pending %+v: want bob, claimed once", e)
		}
	}
	// Entries deleted while pending are dropped from the PEL and reported.
	c.XDel(ctx, "s", "2-0", "4-0")
	res, err := c.Do(ctx, "XAUTOCLAIM", "s", "g", "carol", "0", "0").Slice()
	if err != nil || fmt.Sprint(res) != "[0-0 [[1-0 [i 1]] [3-0 [i 3]] [5-0 [i 5]]] [2-0 4-0]]" {
		t.Fatalf("XAUTOCLAIM after XDEL = %v, %v", res, err)
	}
	if n, err := c.XPending(ctx, "s", "g").Result(); err != nil || n.Count != 3 || n.Consumers["carol"] != 3 {
		t.Fatalf("XPENDING = %+v, %v; want 3 of carol", n, err)
	}
}

// TestStreamBadInput checks huge counts (answered without allocating by
// them), malformed and non-monotonic ids, and that a failed XADD changes
// nothing.
func TestStreamBadInput(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	c.XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: "5-5", Values: []string{"a", "1"}})
	c.XGroupCreate(ctx, "s", "g", "0")
	huge := "9223372036854775807"
	for _, args := range [][]any{
		{"XRANGE", "s", "-", "+", "COUNT", huge},
		{"XREVRANGE", "s", "+", "-", "COUNT", huge},
		{"XREAD", "COUNT", huge, "STREAMS", "s", "0"},
		{"XREADGROUP", "GROUP", "g", "c", "COUNT", huge, "STREAMS", "s", ">"},
		{"XPENDING", "s", "g", "-", "+", huge},
		{"XINFO", "STREAM", "s", "FULL", "COUNT", huge},
		{"XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "576460752303423487"},
		{"XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "1000000000"},
		{"XTRIM", "s", "MAXLEN", "~", huge},
		{"XADD", "s", "MAXLEN", "~", huge, "LIMIT", huge, "*", "a", "2"},
	} {
		if err := c.Do(ctx, args...).Err(); err != nil && !strings.Contains(err.Error(), "COUNT too high") {
			t.Errorf("%v: %v", args, err)
		}
	}
	for _, tc := range []struct {
		args []any
		err  string
	}{
		{[]any{"XADD", "s", "5-5", "a", "1"}, "ERR The ID specified in XADD is equal or smaller than the target stream top item"},
		{[]any{"XADD", "s", "1-0", "a", "1"}, "ERR The ID specified in XADD is equal or smaller than the target stream top item"},
		{[]any{"XADD", "s", "0-0", "a", "1"}, "ERR The ID specified in XADD must be greater than 0-0"},
		{[]any{"XADD", "s", "1-x", "a", "1"}, "ERR Invalid stream ID specified as stream command argument"},
		{[]any{"XADD", "s", strings.Repeat("1", 200), "a", "1"}, "ERR Invalid stream ID specified as stream command argument"},
		{[]any{"XRANGE", "s", "abc", "+"}, "ERR Invalid stream ID specified as stream command argument"},
		{[]any{"XGROUP", "CREATE", "s", "g", "0"}, "BUSYGROUP Consumer Group name already exists"},
		{[]any{"XREADGROUP", "GROUP", "nog", "c", "STREAMS", "s", ">"}, "NOGROUP No such key 's' or consumer group 'nog' in XREADGROUP with GROUP option"},
	} {
		if err := c.Do(ctx, tc.args...).Err(); err == nil || err.Error() != tc.err {
			t.Errorf("%v: %v, want %s", tc.args, err, tc.err)
		}
	}
	if n, err := c.XLen(ctx, "s").Result(); err != nil || n != 2 {
		t.Fatalf("XLEN = %d, %v; want 2 (nothing added by the failed XADDs)", n, err)
	}
}

// retry runs fn until it succeeds or the deadline passes: commands sent
// while a cluster elects a new leader fail for a moment.
func retry(t *testing.T, what string, fn func() error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := fn()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestStreamGroupsAcrossNodes runs a consumer group over a three-node
// cluster: entries added on one node, read with XREADGROUP on another and
// acknowledged on the third; a blocked XREADGROUP woken by an add on
// another node; and the leader killed between XREADGROUP and XACK, after
// which the entries are still pending, claimable, and acknowledgeable.
func TestStreamGroupsAcrossNodes(t *testing.T) {
	noPoll(t)
	base := t.TempDir()
	n1 := startClusterNode(t, "n1", filepath.Join(base, "n1"), "")
	deadline := time.Now().Add(20 * time.Second)
	for !n1.store.IsLeader() {
		if time.Now().After(deadline) {
			t.Fatal("n1 never became leader")
		}
		time.Sleep(20 * time.Millisecond)
	}
	n2 := startClusterNode(t, "n2", filepath.Join(base, "n2"), n1.http)
	n3 := startClusterNode(t, "n3", filepath.Join(base, "n3"), n1.http)
	ctx := ctxT(t)
	a, b, cc := blockClient(t, n2.addr, 0), blockClient(t, n3.addr, 0), blockClient(t, n1.addr, 0)

	// Add on A (n2), read on B (n3), ack on C (n1).
	if err := a.XGroupCreateMkStream(ctx, "s", "g", "$").Err(); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		if err := a.XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: fmt.Sprintf("%d-0", i), Values: []string{"i", strconv.Itoa(i)}}).Err(); err != nil {
			t.Fatal(err)
		}
	}
	got, err := b.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g", Consumer: "bob", Streams: []string{"s", ">"}, Count: 1}).Result()
	if err != nil || len(got) != 1 || len(got[0].Messages) != 1 || got[0].Messages[0].ID != "1-0" {
		t.Fatalf("XREADGROUP on B = %v, %v", got, err)
	}
	if n, err := cc.XAck(ctx, "s", "g", "1-0").Result(); err != nil || n != 1 {
		t.Fatalf("XACK on C = %d, %v", n, err)
	}

	// A blocked XREADGROUP on B, woken by an add on A.
	ch := goDo(ctx, b, "XREADGROUP", "GROUP", "g", "bob", "BLOCK", "0", "STREAMS", "s", ">")
	r := await(t, ch)
	if r.err != nil || fmt.Sprint(r.v) != "map[s:[[2-0 [i 2]] [3-0 [i 3]]]]" {
		t.Fatalf("XREADGROUP BLOCK with entries waiting = %v, %v", r.v, r.err)
	}
	ch = goDo(ctx, b, "XREADGROUP", "GROUP", "g", "bob", "BLOCK", "0", "STREAMS", "s", ">")
	waitWaiting(t, n3.srv, 0, "s", 1)
	expectBlocked(t, ch)
	if err := a.XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: "4-0", Values: []string{"i", "4"}}).Err(); err != nil {
		t.Fatal(err)
	}
	if r := await(t, ch); r.err != nil || fmt.Sprint(r.v) != "map[s:[[4-0 [i 4]]]]" {
		t.Fatalf("XREADGROUP woken from another node = %v, %v", r.v, r.err)
	}

	// Kill the leader between XREADGROUP (done: 2-0, 3-0, 4-0 pending for
	// bob) and XACK.
	n1.srv.Close()
	n1.store.Close()
	deadline = time.Now().Add(30 * time.Second)
	for !n2.store.IsLeader() && !n3.store.IsLeader() {
		if time.Now().After(deadline) {
			t.Fatal("no new leader after n1 died")
		}
		time.Sleep(50 * time.Millisecond)
	}
	var p *redis.XPending
	retry(t, "XPENDING on A", func() (err error) {
		p, err = a.XPending(ctx, "s", "g").Result()
		return err
	})
	if p.Count != 3 || p.Lower != "2-0" || p.Higher != "4-0" || p.Consumers["bob"] != 3 {
		t.Fatalf("XPENDING after the leader died = %+v; want 2-0..4-0 pending for bob", p)
	}
	var claimed []redis.XMessage
	retry(t, "XCLAIM on B", func() (err error) {
		claimed, err = b.XClaim(ctx, &redis.XClaimArgs{Stream: "s", Group: "g", Consumer: "carol", MinIdle: 0, Messages: []string{"2-0", "3-0"}}).Result()
		return err
	})
	if len(claimed) != 2 || claimed[0].ID != "2-0" || claimed[1].ID != "3-0" {
		t.Fatalf("XCLAIM after the leader died = %v", claimed)
	}
	var n int64
	retry(t, "XACK on A", func() (err error) {
		n, err = a.XAck(ctx, "s", "g", "2-0", "3-0", "4-0").Result()
		return err
	})
	if n != 3 {
		t.Fatalf("XACK after the failover = %d, want 3", n)
	}
	for _, c := range []*redis.Client{a, b} {
		var info []redis.XInfoGroup
		retry(t, "XINFO GROUPS", func() (err error) {
			info, err = c.XInfoGroups(ctx, "s").Result()
			return err
		})
		if len(info) != 1 || info[0].Pending != 0 || info[0].LastDeliveredID != "4-0" || info[0].EntriesRead != 4 || info[0].Lag != 0 {
			t.Fatalf("XINFO GROUPS = %+v", info)
		}
	}
}

// TestStreamExpiry checks a stream key with a time to live: it keeps its
// entries and groups until it expires, and a stream made after that starts
// empty, without the old groups.
func TestStreamExpiry(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	c.XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: "1-1", Values: []string{"a", "1"}})
	c.XGroupCreate(ctx, "s", "g", "0")
	if err := c.PExpire(ctx, "s", 100*time.Millisecond).Err(); err != nil {
		t.Fatal(err)
	}
	c.XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: "2-1", Values: []string{"a", "2"}})
	if ttl, err := c.PTTL(ctx, "s").Result(); err != nil || ttl <= 0 {
		t.Fatalf("PTTL after XADD = %v, %v; XADD must keep the expiry", ttl, err)
	}
	time.Sleep(150 * time.Millisecond)
	if n, err := c.XLen(ctx, "s").Result(); err != nil || n != 0 {
		t.Fatalf("XLEN after expiry = %d, %v", n, err)
	}
	if err := c.XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: "1-0", Values: []string{"b", "3"}}).Err(); err != nil {
		t.Fatalf("XADD 1-0 to the new stream: %v", err)
	}
	if got, err := c.XRange(ctx, "s", "-", "+").Result(); err != nil || len(got) != 1 || got[0].ID != "1-0" {
		t.Fatalf("XRANGE of the new stream = %v, %v", got, err)
	}
	if g, err := c.XInfoGroups(ctx, "s").Result(); err != nil || len(g) != 0 {
		t.Fatalf("XINFO GROUPS of the new stream = %v, %v", g, err)
	}
	if ttl, err := c.PTTL(ctx, "s").Result(); err != nil || ttl != -1 {
		t.Fatalf("PTTL of the new stream = %v, %v; want no expiry", ttl, err)
	}
}

// TestStreamBlockedConsumerIdle checks that waiting writes nothing: the
// idle time of a consumer blocked in XREADGROUP grows while it waits, as
// in Redis, although waiters retry now and then.
func TestStreamBlockedConsumerIdle(t *testing.T) {
	old := blockPollInterval
	blockPollInterval = 100 * time.Millisecond
	t.Cleanup(func() { blockPollInterval = old })
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	c.XGroupCreateMkStream(ctx, "s", "g", "$")
	err := c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g", Consumer: "c", Streams: []string{"s", ">"}, Block: 800 * time.Millisecond}).Err()
	if !errors.Is(err, redis.Nil) {
		t.Fatalf("XREADGROUP BLOCK 800 on an empty group: %v, want nil", err)
	}
	cs, err := c.XInfoConsumers(ctx, "s", "g").Result()
	if err != nil || len(cs) != 1 || cs[0].Idle < 700*time.Millisecond {
		t.Fatalf("XINFO CONSUMERS after the wait = %+v, %v; want idle of about 800ms", cs, err)
	}
}

// TestStreamTrimRandomVsRedis drives one stream with a seeded random mix
// of XADD (with and without MAXLEN or MINID trimming, exact and
// approximate, with LIMIT), XDEL and XTRIM, against redis-server and
// Aspen: every reply, and XINFO STREAM's counters (length, first entry,
// max deleted id, entries added, radix tree nodes) after each command,
// must be identical.
func TestStreamTrimRandomVsRedis(t *testing.T) {
	redisAddr := startRedis(t)
	ts := startServer(t, nil)
	ref, ours := dialRaw(t, redisAddr), dialRaw(t, ts.addr)
	for _, c := range []*rawConn{ref, ours} {
		c.send([]string{"FLUSHALL"})
		c.mustReply()
	}
	rng := rand.New(rand.NewPCG(5, 7))
	var next uint64 = 1
	trimOpt := func() []string {
		var o []string
		if rng.IntN(2) == 0 {
			o = append(o, "MAXLEN")
		} else {
			o = append(o, "MINID")
		}
		approx := rng.IntN(2) == 0
		if approx {
			o = append(o, "~")
		} else if rng.IntN(2) == 0 {
			o = append(o, "=")
		}
		if o[0] == "MAXLEN" {
			o = append(o, strconv.Itoa(rng.IntN(400)))
		} else {
			o = append(o, fmt.Sprintf("%d-%d", next-uint64(rng.IntN(500)+1)/2*2, rng.IntN(3)))
		}
		if approx && rng.IntN(3) == 0 {
			o = append(o, "LIMIT", strconv.Itoa(rng.IntN(300)))
		}
		return o
	}
	for i := range 3000 {
		var args []string
		switch r := rng.IntN(20); {
		case r < 15:
			args = []string{"XADD", "s"}
			if rng.IntN(4) == 0 {
				args = append(args, trimOpt()...)
			}
			args = append(args, fmt.Sprintf("%d-%d", next, rng.IntN(2)), "f", strconv.Itoa(i))
			next += uint64(rng.IntN(3) + 1)
		case r < 18:
			args = []string{"XDEL", "s"}
			for range rng.IntN(4) + 1 {
				args = append(args, fmt.Sprintf("%d-%d", rng.Uint64N(next+1), rng.IntN(2)))
			}
		default:
			args = append([]string{"XTRIM", "s"}, trimOpt()...)
		}
		for _, cmd := range [][]string{args, {"XINFO", "STREAM", "s"}} {
			ref.send(cmd)
			ours.send(cmd)
			if want, got := ref.mustReply(), ours.mustReply(); want != got {
				t.Fatalf("command %d %q:\nredis: %s\naspen: %s", i, cmd, want, got)
			}
		}
	}
}
