package resp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/raftstore"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
	"github.com/redis/go-redis/v9"
)

// Blocking commands: woken by pushes from other clients, on this node and
// on another node of a cluster; timeouts; FIFO order among waiters;
// server shutdown and killed clients while blocked.

// blockClient is a go-redis client whose reads wait long enough for a
// blocked command sent with Do.
func blockClient(t *testing.T, addr string, db int) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: addr, DB: db, MaxRetries: -1, ReadTimeout: 60 * time.Second, PoolSize: 1})
	t.Cleanup(func() { c.Close() })
	return c
}

// waitWaiting waits until n commands of srv block on key in db.
func waitWaiting(t *testing.T, srv *Server, db int, key string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := 0
		if v, ok := blockStates.Load(srv); ok {
			got = v.(*blockState).waiting(db, key)
		}
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d commands wait on %d/%s, want %d", got, db, key, n)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// noPoll turns off the waiters' periodic retry for the test, so that only
// events can wake them.
func noPoll(t *testing.T) {
	old := blockPollInterval
	blockPollInterval = time.Hour
	t.Cleanup(func() { blockPollInterval = old })
}

// result is what a blocked command returned.
type result struct {
	v   any
	err error
}

// goDo runs a command in the background; its result arrives on the channel.
func goDo(ctx context.Context, c *redis.Client, args ...any) <-chan result {
	ch := make(chan result, 1)
	go func() {
		v, err := c.Do(ctx, args...).Result()
		ch <- result{v, err}
	}()
	return ch
}

// await returns the result that ch delivers within a few seconds.
func await(t *testing.T, ch <-chan result) result {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("blocked command never returned")
		return result{}
	}
}

// expectBlocked checks that ch delivers nothing for a moment.
func expectBlocked(t *testing.T, ch <-chan result) {
	t.Helper()
	select {
	case r := <-ch:
		t.Fatalf("command returned %v, %v while it should still block", r.v, r.err)
	case <-time.After(100 * time.Millisecond):
	}
}

func TestBlockingPopWokenByPush(t *testing.T) {
	noPoll(t)
	ts := startServer(t, nil)
	ctx := ctxT(t)
	waiter, pusher := blockClient(t, ts.addr, 0), ts.client(t)

	for _, tc := range []struct {
		cmd  []any
		push []any
		want string
	}{
		{[]any{"BLPOP", "a", "k", 0}, []any{"RPUSH", "k", "x", "y"}, "[k x]"},
		{[]any{"BRPOP", "none", "k2", 0}, []any{"LPUSH", "k2", "x", "y"}, "[k2 x]"},
		{[]any{"BLMPOP", 0, 2, "none", "k3", "LEFT", "COUNT", 5}, []any{"RPUSH", "k3", "x", "y"}, "[k3 [x y]]"},
		{[]any{"BLMOVE", "k4", "dst", "RIGHT", "LEFT", 0}, []any{"LPUSH", "k4", "a", "b"}, "a"},
		{[]any{"BRPOPLPUSH", "k5", "dst", 0}, []any{"RPUSH", "k5", "c"}, "c"},
	} {
		key := fmt.Sprint(tc.push[1])
		ch := goDo(ctx, waiter, tc.cmd...)
		waitWaiting(t, ts.srv, 0, key, 1)
		expectBlocked(t, ch)
		if err := pusher.Do(ctx, tc.push...).Err(); err != nil {
			t.Fatal(err)
		}
		r := await(t, ch)
		if r.err != nil || fmt.Sprint(r.v) != tc.want {
			t.Errorf("%v: %v, %v; want %s", tc.cmd, r.v, r.err, tc.want)
		}
		waitWaiting(t, ts.srv, 0, key, 0)
	}
	// BLMOVE and BRPOPLPUSH pushed to dst, and pushed elements nobody took
	// stay.
	if got, _ := pusher.LRange(ctx, "dst", 0, -1).Result(); fmt.Sprint(got) != "[c a]" {
		t.Errorf("dst = %q", got)
	}
	if got, _ := pusher.LRange(ctx, "k", 0, -1).Result(); fmt.Sprint(got) != "[y]" {
		t.Errorf("k = %q", got)
	}
}

func TestBlockingTimeout(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := blockClient(t, ts.addr, 0)
	for _, cmd := range [][]any{
		{"BLPOP", "none", "0.2"},
		{"BRPOP", "none", "other", "0.2"},
		{"BLMOVE", "none", "dst", "LEFT", "LEFT", "0.2"},
		{"BRPOPLPUSH", "none", "dst", "0.2"},
		{"BLMPOP", "0.2", 1, "none", "LEFT"},
	} {
		start := time.Now()
		err := c.Do(ctx, cmd...).Err()
		if d := time.Since(start); !errors.Is(err, redis.Nil) || d < 200*time.Millisecond || d > 5*time.Second {
			t.Errorf("%v: %v after %v; want nil after 200ms", cmd, err, d)
		}
	}
	waitWaiting(t, ts.srv, 0, "none", 0)
	// The timeout is rounded up to the millisecond, as in Redis: 0.0001
	// does not mean forever.
	if err := c.Do(ctx, "BLPOP", "none", "0.0001").Err(); !errors.Is(err, redis.Nil) {
		t.Errorf("BLPOP 0.0001: %v", err)
	}
	// A long timeout still returns at once when there is data.
	c.RPush(ctx, "l", "v")
	if v, err := c.Do(ctx, "BLPOP", "l", "1000").Result(); err != nil || fmt.Sprint(v) != "[l v]" {
		t.Errorf("BLPOP on data: %v, %v", v, err)
	}
}

func TestParseTimeout(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		msg  string
	}{
		{"0", 0, ""},
		{"0.0", 0, ""},
		{"1", time.Second, ""},
		{"1.5", 1500 * time.Millisecond, ""},
		{"0.0001", time.Millisecond, ""},
		{"0.0019", 2 * time.Millisecond, ""},
		{"0x10", 16 * time.Second, ""},
		{"-0.0001", 0, ""},
		{"-1", 0, msgTimeoutNegative},
		{"inf", 0, msgTimeoutNegative},
		{"1e300", 0, msgTimeoutNegative},
		{"9223372036854775807", 0, msgTimeoutNegative},
		{"9223372036854775", 0, ""}, // longer than time.Duration: forever
		{"nan", 0, msgTimeoutNotFloat},
		{"abc", 0, msgTimeoutNotFloat},
		{" 1", 0, msgTimeoutNotFloat},
		{"", 0, msgTimeoutNotFloat},
	} {
		got, msg := parseTimeout([]byte(tc.in))
		if got != tc.want || msg != tc.msg {
			t.Errorf("parseTimeout(%q) = %v, %q; want %v, %q", tc.in, got, msg, tc.want, tc.msg)
		}
	}
}

// TestBlockingFIFO checks that the waiters of one key are served in the
// order they blocked.
func TestBlockingFIFO(t *testing.T) {
	noPoll(t)
	ts := startServer(t, nil)
	ctx := ctxT(t)
	pusher := ts.client(t)
	w1, w2, w3 := blockClient(t, ts.addr, 0), blockClient(t, ts.addr, 0), blockClient(t, ts.addr, 0)
	for round := 0; round < 3; round++ {
		ch1 := goDo(ctx, w1, "BLPOP", "q", 0)
		waitWaiting(t, ts.srv, 0, "q", 1)
		ch2 := goDo(ctx, w2, "BLPOP", "q", 0)
		waitWaiting(t, ts.srv, 0, "q", 2)

		pusher.RPush(ctx, "q", "first")
		if r := await(t, ch1); r.err != nil || fmt.Sprint(r.v) != "[q first]" {
			t.Fatalf("round %d: first waiter got %v, %v", round, r.v, r.err)
		}
		expectBlocked(t, ch2)
		pusher.RPush(ctx, "q", "second")
		if r := await(t, ch2); r.err != nil || fmt.Sprint(r.v) != "[q second]" {
			t.Fatalf("round %d: second waiter got %v, %v", round, r.v, r.err)
		}
	}
	// One push of three elements for three waiters: one each, in order.
	ch1 := goDo(ctx, w1, "BLPOP", "q", 0)
	waitWaiting(t, ts.srv, 0, "q", 1)
	ch2 := goDo(ctx, w2, "BLPOP", "q", 0)
	waitWaiting(t, ts.srv, 0, "q", 2)
	ch3 := goDo(ctx, w3, "BRPOP", "q", 0)
	waitWaiting(t, ts.srv, 0, "q", 3)
	pusher.RPush(ctx, "q", "a", "b", "c")
	got := []string{fmt.Sprint(await(t, ch1).v), fmt.Sprint(await(t, ch2).v), fmt.Sprint(await(t, ch3).v)}
	if want := []string{"[q a]", "[q b]", "[q c]"}; !slices.Equal(got, want) {
		t.Errorf("three waiters got %q, want %q", got, want)
	}
}

// TestBlockingSeparatesDatabases checks that a push to the same key name
// in another database does not serve a waiter.
func TestBlockingSeparatesDatabases(t *testing.T) {
	noPoll(t)
	ts := startServer(t, nil)
	ctx := ctxT(t)
	waiter := blockClient(t, ts.addr, 1)
	ch := goDo(ctx, waiter, "BLPOP", "k", 0)
	waitWaiting(t, ts.srv, 1, "k", 1)
	db0 := ts.client(t)
	db0.RPush(ctx, "k", "in db 0")
	expectBlocked(t, ch)
	db1 := blockClient(t, ts.addr, 1)
	db1.RPush(ctx, "k", "in db 1")
	if r := await(t, ch); r.err != nil || fmt.Sprint(r.v) != "[k in db 1]" {
		t.Errorf("got %v, %v", r.v, r.err)
	}
	if n, _ := db0.LLen(ctx, "k").Result(); n != 1 {
		t.Errorf("db 0 list has %d elements, want 1", n)
	}
}

// TestBlockingWokenByNonPushWrite checks that a list that appears without
// a push event (RENAME) still serves a waiter, by its periodic retry.
func TestBlockingWokenByNonPushWrite(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	waiter, c := blockClient(t, ts.addr, 0), ts.client(t)
	ch := goDo(ctx, waiter, "BLPOP", "k", 0)
	waitWaiting(t, ts.srv, 0, "k", 1)
	c.RPush(ctx, "tmp", "renamed")
	c.Rename(ctx, "tmp", "k")
	select {
	case r := <-ch:
		if r.err != nil || fmt.Sprint(r.v) != "[k renamed]" {
			t.Errorf("got %v, %v", r.v, r.err)
		}
	case <-time.After(blockPollInterval + 5*time.Second):
		t.Fatal("waiter not served after RENAME")
	}
}

func TestBlockingServerClose(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	waiter := blockClient(t, ts.addr, 0)
	ch := goDo(ctx, waiter, "BLPOP", "k", 0)
	waitWaiting(t, ts.srv, 0, "k", 1)
	closed := make(chan error, 1)
	go func() { closed <- ts.srv.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatalf("Close: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close hangs on a blocked client")
	}
	if r := await(t, ch); r.err == nil {
		t.Errorf("blocked client got %v after Close, want an error", r.v)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, ok := blockStates.Load(ts.srv); !ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("closed server's blocking state never released")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestBlockingClientKilled checks that a blocked client killed with
// CLIENT KILL stops waiting and takes nothing pushed afterwards.
func TestBlockingClientKilled(t *testing.T) {
	noPoll(t)
	ts := startServer(t, nil)
	ctx := ctxT(t)
	waiter, admin := blockClient(t, ts.addr, 0), ts.client(t)
	id, err := waiter.ClientID(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	ch := goDo(ctx, waiter, "BLPOP", "k", 0)
	waitWaiting(t, ts.srv, 0, "k", 1)
	if err := admin.Do(ctx, "CLIENT", "KILL", "ID", id).Err(); err != nil {
		t.Fatal(err)
	}
	if r := await(t, ch); r.err == nil {
		t.Errorf("killed client got %v", r.v)
	}
	waitWaiting(t, ts.srv, 0, "k", 0)
	admin.RPush(ctx, "k", "kept")
	if n, err := admin.LLen(ctx, "k").Result(); err != nil || n != 1 {
		t.Errorf("LLEN after the killed waiter = %d, %v; want 1", n, err)
	}
}

// clusterNode is one member of an in-process Aspen cluster with its own
// Redis protocol server.
type clusterNode struct {
	store *raftstore.Store
	srv   *Server
	addr  string // RESP
	http  string // the store's HTTP endpoint (joins, forwarding)
}

func startClusterNode(t *testing.T, id, dir, join string) *clusterNode {
	t.Helper()
	hl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var handler atomic.Pointer[http.Handler]
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := handler.Load(); h != nil {
			(*h).ServeHTTP(w, r)
			return
		}
		http.Error(w, "starting", http.StatusServiceUnavailable)
	})}
	go hs.Serve(hl)
	t.Cleanup(func() { hs.Close() })

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	n := &clusterNode{http: hl.Addr().String()}
	n.store, err = raftstore.Open(ctx, raftstore.Config{
		Dir:              dir,
		Meta:             raftstore.NodeMeta{ID: id, RaftAddr: raftstoretest.FreeAddr(t), HTTPAddr: n.http},
		Join:             join,
		Mutations:        Mutations(),
		Logger:           slog.New(slog.DiscardHandler),
		HeartbeatTimeout: 300 * time.Millisecond,
		ElectionTimeout:  300 * time.Millisecond,
	})
	if err != nil {
		t.Fatalf("open %s: %v", id, err)
	}
	t.Cleanup(func() { n.store.Close() })
	h := n.store.Handler()
	handler.Store(&h)
	if err := n.store.WaitRead(ctx); err != nil {
		t.Fatalf("%s never became readable: %v", id, err)
	}

	n.srv = NewServer(strkv.New(n.store), nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	n.addr = ln.Addr().String()
	done := make(chan error, 1)
	go func() { done <- n.srv.Serve(ln) }()
	t.Cleanup(func() {
		n.srv.Close()
		<-done
	})
	return n
}

// TestBlockingAcrossNodes blocks clients on one node of a two-node
// cluster and pushes through the other: the push's event, applied on the
// waiter's node, must wake them.
func TestBlockingAcrossNodes(t *testing.T) {
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
	ctx := ctxT(t)

	// A waiter on the follower, a push through the leader, and back.
	for _, pair := range [][2]*clusterNode{{n2, n1}, {n1, n2}} {
		on, via := pair[0], pair[1]
		waiter, pusher := blockClient(t, on.addr, 0), blockClient(t, via.addr, 0)
		ch := goDo(ctx, waiter, "BLPOP", "k", 0)
		waitWaiting(t, on.srv, 0, "k", 1)
		expectBlocked(t, ch)
		if err := pusher.RPush(ctx, "k", "from "+via.http).Err(); err != nil {
			t.Fatal(err)
		}
		if r := await(t, ch); r.err != nil || fmt.Sprint(r.v) != "[k from "+via.http+"]" {
			t.Fatalf("waiter on %s: %v, %v", on.http, r.v, r.err)
		}
		// BLMOVE too.
		ch = goDo(ctx, waiter, "BLMOVE", "src", "dst", "LEFT", "RIGHT", 0)
		waitWaiting(t, on.srv, 0, "src", 1)
		pusher.RPush(ctx, "src", "m")
		if r := await(t, ch); r.err != nil || r.v != "m" {
			t.Fatalf("BLMOVE on %s: %v, %v", on.http, r.v, r.err)
		}
	}

	// Several waiters on both nodes, pushes through both: every element is
	// delivered exactly once.
	const total = 60
	var mu sync.Mutex
	var got []string
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		node := []*clusterNode{n1, n2}[i%2]
		c := blockClient(t, node.addr, 0)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				v, err := c.Do(ctx, "BLPOP", "work", "4").StringSlice()
				if errors.Is(err, redis.Nil) {
					return
				}
				if err != nil {
					t.Errorf("BLPOP: %v", err)
					return
				}
				mu.Lock()
				got = append(got, v[1])
				mu.Unlock()
			}
		}()
	}
	pushers := []*redis.Client{blockClient(t, n1.addr, 0), blockClient(t, n2.addr, 0)}
	for i := 0; i < total; i++ {
		if err := pushers[i%2].RPush(ctx, "work", strconv.Itoa(i)).Err(); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	sort.Slice(got, func(i, j int) bool { a, _ := strconv.Atoi(got[i]); b, _ := strconv.Atoi(got[j]); return a < b })
	want := make([]string, total)
	for i := range want {
		want[i] = strconv.Itoa(i)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("waiters got %d elements %v, want each of %d once", len(got), got, total)
	}
}

// TestBlockingClientHangsUp checks that a blocked client that closes its
// connection stops waiting and takes nothing pushed afterwards. It needs
// the platform's peerClosed.
func TestBlockingClientHangsUp(t *testing.T) {
	if peerClosed == nil {
		t.Skip("no peerClosed check on this platform")
	}
	noPoll(t)
	ts := startServer(t, nil)
	ctx := ctxT(t)
	raw := dialRaw(t, ts.addr)
	raw.send([]string{"BLPOP", "k", "0"})
	waitWaiting(t, ts.srv, 0, "k", 1)
	raw.nc.Close()
	waitWaiting(t, ts.srv, 0, "k", 0)
	c := ts.client(t)
	c.RPush(ctx, "k", "kept")
	if n, err := c.LLen(ctx, "k").Result(); err != nil || n != 1 {
		t.Errorf("LLEN after the client hung up = %d, %v; want 1", n, err)
	}
}
