package resp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
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

// psStep is one command of a side-by-side pub/sub scenario, sent on the
// named connection (opened on first use).
type psStep struct {
	conn string
	args []string
	// cmp says how the replies the step causes on each connection are
	// compared: "" exactly and in order; "unordered" as a multiset, with
	// the counts of (un)subscribe confirmations in order (Redis walks a
	// hash table where Aspen sorts); "set" with the elements of each
	// array reply in any order (PUBSUB CHANNELS); "shape" by type and
	// length only (HELLO's client id).
	cmp string
	// more are commands sent after args in the same write (a pipeline).
	more [][]string
}

// psConn is a raw connection of a scenario.
type psConn struct {
	nc  net.Conn
	r   *bufio.Reader
	eof bool
}

// next reads one reply, rendered as rawConn.reply renders it, or
// "<EOF>" once the server closed the connection (or a "<...>" note of what
// went wrong). With idle > 0 it returns "" when nothing arrives within
// idle. Any goroutine may call it.
func (pc *psConn) next(t *testing.T, idle time.Duration) string {
	if pc.eof {
		return ""
	}
	if pc.r.Buffered() == 0 {
		if idle > 0 {
			pc.nc.SetReadDeadline(time.Now().Add(idle))
		} else {
			pc.nc.SetReadDeadline(time.Now().Add(10 * time.Second))
		}
		if _, err := pc.r.Peek(1); err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				if idle > 0 {
					return ""
				}
				return "<no reply within 10s>"
			}
			pc.eof = true
			return "<EOF>"
		}
	}
	pc.nc.SetReadDeadline(time.Now().Add(10 * time.Second))
	rc := &rawConn{t: t, nc: pc.nc, r: pc.r}
	s, err := rc.reply()
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) || strings.Contains(err.Error(), "reset by peer") {
			pc.eof = true
			return "<EOF>"
		}
		pc.eof = true
		return "<read error: " + err.Error() + ">"
	}
	return s
}

// runPubSubScript runs steps against addr. For each step it returns the
// replies each connection got: when want is nil (the reference run), all
// that arrive until the connections are idle; otherwise as many as the
// reference got, and then whatever more arrives within a short while.
func runPubSubScript(t *testing.T, addr string, steps []psStep, want []map[string][]string) []map[string][]string {
	t.Helper()
	conns := map[string]*psConn{}
	var names []string
	out := make([]map[string][]string, len(steps))
	for i, st := range steps {
		pc := conns[st.conn]
		if pc == nil {
			nc, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { nc.Close() })
			pc = &psConn{nc: nc, r: bufio.NewReader(nc)}
			conns[st.conn] = pc
			names = append(names, st.conn)
		}
		req := encodeCommand(st.args...)
		for _, m := range st.more {
			req = append(req, encodeCommand(m...)...)
		}
		if _, err := pc.nc.Write(req); err != nil {
			t.Fatalf("step %d %q: %v", i, st.args, err)
		}
		out[i] = map[string][]string{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, name := range names {
			c := conns[name]
			var expect int
			switch {
			case want != nil:
				expect = len(want[i][name])
			case name == st.conn:
				expect = 1 + len(st.more) // every command replies at least once
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				var got []string
				for range expect {
					got = append(got, c.next(t, 0))
				}
				// Then whatever else comes: a reference run waits a
				// little longer, as it knows nothing.
				idle := 20 * time.Millisecond
				if want == nil {
					idle = 100 * time.Millisecond
				}
				for {
					r := c.next(t, idle)
					if r == "" {
						break
					}
					got = append(got, r)
				}
				if len(got) > 0 {
					mu.Lock()
					out[i][name] = got
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
	}
	return out
}

// confirmRE splits a rendered (un)subscribe confirmation.
var confirmRE = regexp.MustCompile(`^(>?\[".*?" .*) (:\d+)\]$`)

// normalizePubSub rewrites one connection's replies to a step for the
// step's comparison.
func normalizePubSub(t *testing.T, cmp string, replies []string) string {
	switch cmp {
	case "unordered":
		var rest, counts []string
		for _, r := range replies {
			if m := confirmRE.FindStringSubmatch(r); m != nil {
				rest = append(rest, m[1])
				counts = append(counts, m[2])
			} else {
				rest = append(rest, r)
			}
		}
		slices.Sort(rest)
		return strings.Join(rest, "\n") + "\ncounts " + strings.Join(counts, " ")
	case "set", "shape":
		out := make([]string, len(replies))
		for i, r := range replies {
			out[i] = normalizeReply(t, cmp, r)
		}
		return strings.Join(out, "\n")
	}
	return strings.Join(replies, "\n")
}

// compareWithRedis runs steps on a real Redis and on Aspen and fails on
// the first step whose replies differ on any connection.
func compareWithRedis(t *testing.T, steps []psStep) {
	t.Helper()
	redisAddr := startRedis(t)
	ts := startServer(t, nil)
	want := runPubSubScript(t, redisAddr, steps, nil)
	got := runPubSubScript(t, ts.addr, steps, want)
	for i, st := range steps {
		names := map[string]bool{}
		for n := range want[i] {
			names[n] = true
		}
		for n := range got[i] {
			names[n] = true
		}
		for n := range names {
			w, g := normalizePubSub(t, st.cmp, want[i][n]), normalizePubSub(t, st.cmp, got[i][n])
			if w != g {
				t.Errorf("step %d (%s %q), connection %s:\n got  %s\n want %s", i, st.conn, st.args, n, g, w)
			}
		}
	}
}

func steps(conn string, cmds ...[]string) []psStep {
	out := make([]psStep, len(cmds))
	for i, c := range cmds {
		out[i] = psStep{conn: conn, args: c}
	}
	return out
}

func args(s ...string) []string { return s }

// TestPubSubSideBySideRESP2 compares subscriber mode in RESP2 with Redis:
// confirmations, messages, pattern and shard messages, the commands a
// subscriber may and may not run, PUBSUB's introspection, RESET and QUIT.
func TestPubSubSideBySideRESP2(t *testing.T) {
	var sc []psStep
	add := func(s ...psStep) { sc = append(sc, s...) }
	add(steps("a",
		args("SUBSCRIBE", "ch1", "ch2", "ch1"),
		args("PING"),
		args("ping", "hello"),
		args("PING", "a", "b"),
		args("GET", "x"),
		args("CLIENT", "LIST"),
		args("CLIENT", "NOSUCH"),
		args("CLIENT", "ID", "extra"),
		args("CONFIG", "GET", "maxmemory"),
		args("HELLO", "3"),
		args("MULTI"),
		args("PUBLISH", "ch1", "x"),
		args("NOSUCHCOMMAND"),
		args("SET", "k"),
	)...)
	add(steps("p",
		args("PUBLISH", "ch1", "hello"),
		args("PUBLISH", "ch3", "nobody"),
	)...)
	add(steps("b", args("PSUBSCRIBE", "ch*", "h?llo"))...)
	add(steps("p",
		args("PUBLISH", "ch1", "to both"),
		args("PUBLISH", "hello", "pattern only"),
		args("PUBLISH", "ch2", "bin\x00ary\r\n"),
		args("PUBSUB", "NUMSUB", "ch1", "ch2", "ch3"),
		args("PUBSUB", "NUMSUB"),
		args("PUBSUB", "NUMPAT"),
		args("PUBSUB", "CHANNELS", "ch1"),
		args("PUBSUB", "CHANNELS", "x*"),
		args("pubsub", "channels", "*2"),
	)...)
	add(psStep{conn: "p", args: args("PUBSUB", "CHANNELS"), cmp: "set"})
	add(steps("b",
		args("PUNSUBSCRIBE", "h?llo", "never"),
		args("PUNSUBSCRIBE"),
		args("PUNSUBSCRIBE"),
		args("GET", "x"),
	)...)
	add(steps("c",
		args("SSUBSCRIBE", "s1", "s2"),
		args("GET", "x"),
		args("PSUBSCRIBE", "s*"),
	)...)
	add(steps("p",
		args("SPUBLISH", "s1", "shard"),
		args("PUBLISH", "s1", "not shard"),
		args("PUBSUB", "SHARDNUMSUB", "s1", "s3"),
		args("PUBSUB", "SHARDCHANNELS", "s1"),
		args("PUBSUB", "NUMPAT"),
	)...)
	add(psStep{conn: "p", args: args("PUBSUB", "SHARDCHANNELS"), cmp: "set"})
	add(steps("c",
		args("SUNSUBSCRIBE", "s1"),
		args("SUNSUBSCRIBE"),
		args("GET", "x"),
		args("PUNSUBSCRIBE", "s*"),
		args("GET", "x"),
	)...)
	add(steps("a", args("UNSUBSCRIBE", "ch1"))...)
	add(steps("a",
		args("SUBSCRIBE", "ch3", "ch4"),
		args("UNSUBSCRIBE", "ch1"),
	)...)
	add(psStep{conn: "a", args: args("UNSUBSCRIBE"), cmp: "unordered"})
	add(steps("a",
		args("UNSUBSCRIBE"),
		args("PING"),
		args("SUBSCRIBE", "x"),
		args("RESET"),
		args("GET", "x"),
		args("PING"),
	)...)
	add(steps("p",
		args("PUBLISH", "x", "after reset"),
		args("UNSUBSCRIBE"),
		args("UNSUBSCRIBE", "never"),
		args("PUNSUBSCRIBE"),
		args("SUNSUBSCRIBE", "never"),
		args("PING"),
		// Arity and subcommand errors.
		args("SUBSCRIBE"),
		args("PSUBSCRIBE"),
		args("SSUBSCRIBE"),
		args("PUBLISH", "a"),
		args("PUBLISH", "a", "b", "c"),
		args("SPUBLISH", "a"),
		args("PUBSUB"),
		args("PUBSUB", "NOSUCH"),
		args("PUBSUB", "NUMPAT", "x"),
		args("PUBSUB", "HELP"),
		args("PUBSUB", "help", "x"),
		args("PUBSUB", "CHANNELS", "a", "b"),
		args("pubsub", "shardchannels", "a", "b"),
	)...)
	// Patterns Redis reads in its own way.
	add(steps("e", args("PSUBSCRIBE", "[", "[^", `\`, "a[b-", "***", "[]]", "\x00*", "[z-a]", `[\]]`, "[a-", "?"))...)
	for _, ch := range []string{"m", `\`, "", "\x00x", "a[b", "]", "a", "ab", "-", "[", "^"} {
		add(psStep{conn: "p", args: args("PUBLISH", ch, "x"), cmp: "unordered"})
	}
	add(steps("e", args("PUNSUBSCRIBE", "[", "[^", `\`, "a[b-", "***", "[]]", "\x00*", "[z-a]", `[\]]`, "[a-", "?"))...)
	add(steps("d",
		args("SUBSCRIBE", "q"),
		args("QUIT"),
	)...)
	add(steps("p", args("PUBLISH", "q", "gone"))...)
	compareWithRedis(t, sc)
}

// TestPubSubSideBySideRESP3 compares RESP3 subscribers with Redis: push
// confirmations and messages, and other commands working in between.
func TestPubSubSideBySideRESP3(t *testing.T) {
	var sc []psStep
	add := func(s ...psStep) { sc = append(sc, s...) }
	add(psStep{conn: "a", args: args("HELLO", "3"), cmp: "shape"})
	add(steps("a",
		args("SUBSCRIBE", "ch"),
		args("PSUBSCRIBE", "c*"),
		args("SSUBSCRIBE", "sh"),
	)...)
	add(steps("b", args("SSUBSCRIBE", "sh"), args("GET", "x"))...)
	add(steps("p",
		args("PUBLISH", "ch", "hi"),
		args("SPUBLISH", "sh", "yo"),
		args("PUBLISH", "sh", "nobody"),
	)...)
	add(steps("a",
		args("GET", "x"),
		args("PING"),
		args("PING", "x"),
		args("SET", "k", "v"),
		args("GET", "k"),
		args("DEL", "k"),
		args("UNSUBSCRIBE"),
		args("PUNSUBSCRIBE"),
		args("SUNSUBSCRIBE"),
		args("UNSUBSCRIBE"),
		args("SUBSCRIBE", "again"),
	)...)
	add(psStep{conn: "a", args: args("HELLO", "2"), cmp: "shape"})
	add(steps("a",
		args("GET", "x"),
		args("PING"),
	)...)
	add(steps("p", args("PUBLISH", "again", "in resp2"))...)
	compareWithRedis(t, sc)
}

// TestPubSubSideBySidePipelined sends subscriber-mode sequences as one
// pipeline: a subscription changes what the commands after it in the same
// read may do.
func TestPubSubSideBySidePipelined(t *testing.T) {
	compareWithRedis(t, []psStep{
		{conn: "a", args: args("SUBSCRIBE", "x", "y"), more: [][]string{
			{"PING"}, {"GET", "k"}, {"PSUBSCRIBE", "z*"}, {"UNSUBSCRIBE", "x"},
			{"PUBLISH", "x", "no"}, {"UNSUBSCRIBE", "y"}, {"PUNSUBSCRIBE"}, {"GET", "k"}, {"PING"},
		}},
		{conn: "b", args: args("SET", "k", "v"), more: [][]string{
			{"SUBSCRIBE", "c"}, {"SET", "k", "w"}, {"RESET"}, {"GET", "k"}, {"SUBSCRIBE", "c"}, {"QUIT"}, {"GET", "k"},
		}},
		{conn: "p", args: args("PUBLISH", "c", "gone"), more: [][]string{{"PUBLISH", "x", "gone"}}},
		{conn: "d", args: args("HELLO", "3"), cmp: "shape"},
		{conn: "d", args: args("SUBSCRIBE", "r3"), more: [][]string{
			{"GET", "k"}, {"PUBLISH", "r3", "self"}, {"PING"}, {"UNSUBSCRIBE"}, {"GET", "k"},
		}},
	})
}

// TestPubSubGoRedis drives channels, patterns and shard channels through
// go-redis's PubSub, in RESP3 (its default) and RESP2.
func TestPubSubGoRedis(t *testing.T) {
	ts := startServer(t, nil)
	for _, proto := range []int{3, 2} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			ctx := ctxT(t)
			c := redis.NewClient(&redis.Options{Addr: ts.addr, Protocol: proto, MaxRetries: -1})
			defer c.Close()
			ps := c.Subscribe(ctx, "news", "sport")
			defer ps.Close()
			if err := ps.PSubscribe(ctx, "n*"); err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"subscribe news 1", "subscribe sport 2", "psubscribe n* 3"} {
				m, err := ps.Receive(ctx)
				if err != nil {
					t.Fatal(err)
				}
				s, ok := m.(*redis.Subscription)
				if !ok || fmt.Sprintf("%s %s %d", s.Kind, s.Channel, s.Count) != want {
					t.Fatalf("confirmation %#v, want %s", m, want)
				}
			}
			sps := c.SSubscribe(ctx, "shard")
			defer sps.Close()
			if m, err := sps.Receive(ctx); err != nil || fmt.Sprint(m) != "ssubscribe: shard" {
				t.Fatalf("SSUBSCRIBE: %v, %v", m, err)
			}

			pub := ts.client(t)
			if n, err := pub.Publish(ctx, "news", "hello").Result(); err != nil || n != 2 {
				t.Fatalf("PUBLISH news = %d, %v; want 2", n, err)
			}
			if n, err := pub.Publish(ctx, "sport", "goal").Result(); err != nil || n != 1 {
				t.Fatalf("PUBLISH sport = %d, %v; want 1", n, err)
			}
			if n, err := pub.SPublish(ctx, "shard", "s").Result(); err != nil || n != 1 {
				t.Fatalf("SPUBLISH = %d, %v; want 1", n, err)
			}
			for _, want := range []string{"news//hello", "news/n*/hello", "sport//goal"} {
				m, err := ps.ReceiveMessage(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if got := m.Channel + "/" + m.Pattern + "/" + m.Payload; got != want {
					t.Fatalf("message %s, want %s", got, want)
				}
			}
			if m, err := sps.ReceiveMessage(ctx); err != nil || m.Channel != "shard" || m.Payload != "s" {
				t.Fatalf("shard message %v, %v", m, err)
			}

			if got, err := pub.PubSubNumSub(ctx, "news", "none").Result(); err != nil || got["news"] != 1 || got["none"] != 0 {
				t.Errorf("PUBSUB NUMSUB = %v, %v", got, err)
			}
			if got, err := pub.PubSubNumPat(ctx).Result(); err != nil || got != 1 {
				t.Errorf("PUBSUB NUMPAT = %v, %v", got, err)
			}
			if got, err := pub.PubSubChannels(ctx, "*").Result(); err != nil || fmt.Sprint(got) != "[news sport]" {
				t.Errorf("PUBSUB CHANNELS = %v, %v", got, err)
			}
			if got, err := pub.PubSubShardChannels(ctx, "").Result(); err != nil || fmt.Sprint(got) != "[]" {
				t.Errorf("PUBSUB SHARDCHANNELS '' = %v, %v", got, err)
			}
			if got, err := pub.PubSubShardNumSub(ctx, "shard").Result(); err != nil || got["shard"] != 1 {
				t.Errorf("PUBSUB SHARDNUMSUB = %v, %v", got, err)
			}

			// go-redis pings a subscribed connection to check it: in RESP2
			// that is the subscriber-mode PING.
			if err := ps.Ping(ctx, "hc"); err != nil {
				t.Fatal(err)
			}
			if m, err := ps.Receive(ctx); err != nil || fmt.Sprint(m) != "Pong<hc>" {
				t.Fatalf("PING: %#v, %v", m, err)
			}
			if err := ps.Unsubscribe(ctx); err != nil {
				t.Fatal(err)
			}
			if err := ps.PUnsubscribe(ctx); err != nil {
				t.Fatal(err)
			}
			for range 3 {
				if _, err := ps.Receive(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if n, err := pub.Publish(ctx, "news", "late").Result(); err != nil || n != 0 {
				t.Fatalf("PUBLISH after unsubscribing = %d, %v; want 0", n, err)
			}
		})
	}
}

// TestPubSubAcrossNodes runs a three-node cluster with subscribers and
// publishers on every node: every subscriber gets every message of its
// channels once; all subscribers see one order (the log's), which keeps
// each publisher's order; pattern subscribers too.
func TestPubSubAcrossNodes(t *testing.T) {
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
	nodes := []*clusterNode{n1, n2, n3}
	ctx := ctxT(t)

	channels := []string{"orders", "prices"}
	const perPublisher = 40
	total := len(nodes) * perPublisher // per channel

	type stream struct {
		name string
		want int
		got  []string // "channel:publisher:seq"
		err  error
	}
	var streams []*stream
	var wg sync.WaitGroup
	ready := make(chan struct{}, 3*len(nodes))
	for i, n := range nodes {
		for _, kind := range []string{"channels", "pattern", "resp2"} {
			proto := 3
			if kind == "resp2" {
				proto = 2
			}
			c := redis.NewClient(&redis.Options{Addr: n.addr, Protocol: proto, MaxRetries: -1})
			t.Cleanup(func() { c.Close() })
			var ps *redis.PubSub
			if kind == "pattern" {
				ps = c.PSubscribe(ctx, "*s")
			} else {
				ps = c.Subscribe(ctx, channels...)
			}
			t.Cleanup(func() { ps.Close() })
			st := &stream{name: fmt.Sprintf("n%d/%s", i+1, kind), want: total * len(channels)}
			streams = append(streams, st)
			wg.Add(1)
			go func() {
				defer wg.Done()
				confirms := len(channels)
				if kind == "pattern" {
					confirms = 1
				}
				for range confirms {
					if _, err := ps.Receive(ctx); err != nil {
						st.err = err
						return
					}
				}
				ready <- struct{}{}
				for len(st.got) < st.want {
					m, err := ps.ReceiveMessage(ctx)
					if err != nil {
						st.err = err
						return
					}
					st.got = append(st.got, m.Channel+":"+m.Payload)
				}
			}()
		}
	}
	for range streams {
		select {
		case <-ready:
		case <-ctx.Done():
			t.Fatal("subscribers never confirmed")
		}
	}

	// One publisher per node, each publishing in order, concurrently. Each
	// PUBLISH counts the receivers on its own node: three per channel.
	var pwg sync.WaitGroup
	for i, n := range nodes {
		c := redis.NewClient(&redis.Options{Addr: n.addr, MaxRetries: -1})
		t.Cleanup(func() { c.Close() })
		pwg.Add(1)
		go func() {
			defer pwg.Done()
			for seq := range perPublisher {
				for _, ch := range channels {
					n, err := c.Publish(ctx, ch, fmt.Sprintf("p%d:%03d", i+1, seq)).Result()
					if err != nil || n != 3 {
						t.Errorf("PUBLISH on n%d = %d, %v; want 3 receivers", i+1, n, err)
						return
					}
				}
			}
		}()
	}
	pwg.Wait()
	wg.Wait()

	// Per channel: the same order everywhere, every message once, each
	// publisher's messages in its order.
	perChannel := func(got []string, ch string) []string {
		var out []string
		for _, m := range got {
			if strings.HasPrefix(m, ch+":") {
				out = append(out, m)
			}
		}
		return out
	}
	var ref []string // the whole order, from the first pattern subscriber
	for _, st := range streams {
		if st.err != nil {
			t.Fatalf("%s: %v", st.name, st.err)
		}
		if strings.HasSuffix(st.name, "pattern") {
			if ref == nil {
				ref = st.got
			} else if !slices.Equal(st.got, ref) {
				t.Errorf("%s saw another order than the first pattern subscriber", st.name)
			}
		}
	}
	for _, ch := range channels {
		want := perChannel(ref, ch)
		if len(want) != total || len(slices.Compact(slices.Sorted(slices.Values(want)))) != total {
			t.Fatalf("channel %s: %d messages (%d distinct), want %d", ch, len(want), len(slices.Compact(slices.Sorted(slices.Values(want)))), total)
		}
		next := map[string]int{}
		for _, m := range want {
			parts := strings.Split(m, ":")
			seq, _ := strconv.Atoi(parts[2])
			if seq != next[parts[1]] {
				t.Fatalf("channel %s: %s arrived when %s:%03d was due", ch, m, parts[1], next[parts[1]])
			}
			next[parts[1]]++
		}
		for _, st := range streams {
			if got := perChannel(st.got, ch); !slices.Equal(got, want) {
				t.Errorf("%s: channel %s in another order or incomplete (%d messages)", st.name, ch, len(got))
			}
		}
	}
}

// waitFor polls cond until it holds, or fails after a while.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// stalledSubscriber subscribes a raw connection with a small receive
// buffer to channel and never reads from it again.
func stalledSubscriber(t *testing.T, addr, channel string) net.Conn {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	if tc, ok := nc.(*net.TCPConn); ok {
		tc.SetReadBuffer(4096)
	}
	if _, err := nc.Write(encodeCommand("SUBSCRIBE", channel)); err != nil {
		t.Fatal(err)
	}
	return nc
}

// TestPubSubSlowSubscriber: a subscriber that does not read is
// disconnected once its queue passes client-output-buffer-limit's hard
// limit; a subscriber that reads gets every message and other clients
// carry on. Then the soft limit: a queue over it for longer than its
// seconds also disconnects.
func TestPubSubSlowSubscriber(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	if err := c.ConfigSet(ctx, "client-output-buffer-limit", "pubsub 1mb 0 0").Err(); err != nil {
		t.Fatal(err)
	}
	stalledSubscriber(t, ts.addr, "firehose")
	good := c.Subscribe(ctx, "firehose")
	defer good.Close()
	if _, err := good.Receive(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "two subscribers", func() bool { return c.PubSubNumSub(ctx, "firehose").Val()["firehose"] == 2 })

	// The reader reads concurrently, as a live client does.
	payload := strings.Repeat("x", 64<<10)
	received := make(chan int, 1)
	go func() {
		n := 0
		for {
			m, err := good.ReceiveMessage(ctx)
			if err != nil || m.Payload == "end" {
				received <- n
				return
			}
			if m.Payload == payload {
				n++
			}
		}
	}()
	sent := 0
	for c.PubSubNumSub(ctx, "firehose").Val()["firehose"] == 2 {
		if sent > 2000 {
			t.Fatalf("stalled subscriber still connected after %d MB", sent/16)
		}
		if err := c.Publish(ctx, "firehose", payload).Err(); err != nil {
			t.Fatal(err)
		}
		sent++
	}
	if got := c.ClientList(ctx).Val(); strings.Count(got, "sub=1") != 1 {
		t.Errorf("CLIENT LIST after the disconnect:\n%s", got)
	}
	if err := c.Publish(ctx, "firehose", "end").Err(); err != nil {
		t.Fatal(err)
	}
	if n := <-received; n != sent {
		t.Errorf("the reading subscriber got %d of %d messages", n, sent)
	}
	if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatalf("server unwell after the disconnect: %v", err)
	}

	// Soft limit: 100kb for more than one second.
	if err := c.ConfigSet(ctx, "client-output-buffer-limit", "pubsub 0 100kb 1").Err(); err != nil {
		t.Fatal(err)
	}
	stalledSubscriber(t, ts.addr, "soft")
	waitFor(t, "the soft subscriber", func() bool { return c.PubSubNumSub(ctx, "soft").Val()["soft"] == 1 })
	start := time.Now()
	for c.PubSubNumSub(ctx, "soft").Val()["soft"] == 1 {
		if time.Since(start) > 10*time.Second {
			t.Fatal("soft limit never enforced")
		}
		c.Publish(ctx, "soft", payload)
		time.Sleep(20 * time.Millisecond)
	}
	if d := time.Since(start); d < time.Second {
		t.Errorf("disconnected after %v, before the soft limit's second", d)
	}
}

// TestPubSubBadInput: many channels in one SUBSCRIBE, odd patterns, and
// binary channel names all work, and leave the server and the connection
// well.
func TestPubSubBadInput(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	const n = 100000
	cmd := make([]string, 0, n+1)
	cmd = append(cmd, "SUBSCRIBE")
	for i := range n {
		cmd = append(cmd, "ch:"+strconv.Itoa(i))
	}
	rc := dialRaw(t, ts.addr)
	rc.send(cmd)
	for i := range n {
		want := fmt.Sprintf(`["subscribe" "ch:%d" :%d]`, i, i+1)
		if got := rc.mustReply(); got != want {
			t.Fatalf("confirmation %d: %s, want %s", i, got, want)
		}
	}
	pub := ts.client(t)
	if got := pub.PubSubNumSub(ctx, "ch:99999").Val()["ch:99999"]; got != 1 {
		t.Fatalf("NUMSUB ch:99999 = %d", got)
	}
	if got := len(pub.PubSubChannels(ctx, "ch:1*").Val()); got != 11111 {
		t.Fatalf("CHANNELS ch:1* has %d channels", got)
	}
	if n, err := pub.Publish(ctx, "ch:12345", "m").Result(); err != nil || n != 1 {
		t.Fatalf("PUBLISH = %d, %v", n, err)
	}
	if got := rc.mustReply(); got != `["message" "ch:12345" "m"]` {
		t.Fatalf("message %s", got)
	}
	rc.send([]string{"UNSUBSCRIBE"})
	for i := range n {
		if got := rc.mustReply(); !strings.HasSuffix(got, fmt.Sprintf(" :%d]", n-1-i)) {
			t.Fatalf("unsubscribe confirmation %d: %s", i, got)
		}
	}
	if got := pub.PubSubNumSub(ctx, "ch:99999").Val()["ch:99999"]; got != 0 {
		t.Fatalf("NUMSUB after UNSUBSCRIBE = %d", got)
	}

	// Odd patterns (compared with Redis in TestPubSubSideBySideRESP2) are
	// accepted and do not break matching.
	pats := []string{"[", "[^", `\`, "a[b-", "***", "[]]", "\x00*", "[z-a]"}
	ps := pub.PSubscribe(ctx, pats...)
	defer ps.Close()
	for range pats {
		if _, err := ps.Receive(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := pub.PubSubNumPat(ctx).Val(); got != int64(len(pats)) {
		t.Errorf("NUMPAT = %d", got)
	}
	if n, err := pub.Publish(ctx, "\x00x", "x").Result(); err != nil || n == 0 {
		t.Errorf("PUBLISH to a channel \\x00* matches: %d, %v", n, err)
	}
	if err := pub.Ping(ctx).Err(); err != nil {
		t.Fatal(err)
	}
}

// TestPubSubClientsAndInfo: CLIENT LIST shows a subscriber's flag and
// counts, TYPE pubsub finds it and CLIENT KILL TYPE pubsub drops it; INFO
// counts the channels and patterns.
func TestPubSubClientsAndInfo(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	rc := dialRaw(t, ts.addr)
	rc.send([]string{"SUBSCRIBE", "a", "b"}, []string{"PSUBSCRIBE", "p*"}, []string{"SSUBSCRIBE", "s"})
	for range 4 {
		rc.mustReply()
	}
	waitFor(t, "the subscriber's counts", func() bool {
		return strings.Contains(c.ClientList(ctx).Val(), "flags=P db=0 sub=2 psub=1 ssub=1 ")
	})
	list, err := c.Do(ctx, "CLIENT", "LIST", "TYPE", "pubsub").Text()
	if err != nil || strings.Count(list, "\n") != 1 || !strings.Contains(list, " sub=2 ") {
		t.Fatalf("CLIENT LIST TYPE pubsub = %q, %v", list, err)
	}
	if list, err := c.Do(ctx, "CLIENT", "LIST", "TYPE", "normal").Text(); err != nil || strings.Contains(list, "flags=P") {
		t.Fatalf("CLIENT LIST TYPE normal = %q, %v", list, err)
	}
	info := c.Info(ctx, "stats").Val()
	for _, f := range []string{"pubsub_channels:2\r\n", "pubsub_patterns:1\r\n", "pubsubshard_channels:1\r\n"} {
		if !strings.Contains(info, f) {
			t.Errorf("INFO stats lacks %q", f)
		}
	}
	if n, err := c.Do(ctx, "CLIENT", "KILL", "TYPE", "pubsub").Int(); err != nil || n != 1 {
		t.Fatalf("CLIENT KILL TYPE pubsub = %d, %v", n, err)
	}
	if _, err := rc.reply(); err == nil {
		t.Fatal("the killed subscriber's connection is still open")
	}
	waitFor(t, "the subscriptions to go", func() bool {
		return c.PubSubNumSub(ctx, "a").Val()["a"] == 0 && c.PubSubNumPat(ctx).Val() == 0
	})
	if strings.Contains(c.Info(ctx, "stats").Val(), "pubsub_channels:2") {
		t.Error("INFO still counts the killed subscriber's channels")
	}
}

// TestPubSubInTransaction: PUBLISH inside MULTI/EXEC delivers its message
// (it replies 0: receivers are counted per node, not at apply time); the
// subscribe commands and PUBSUB run on the connection, as in Redis.
func TestPubSubInTransaction(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	sub := ts.client(t).Subscribe(ctx, "tx")
	defer sub.Close()
	if _, err := sub.Receive(ctx); err != nil {
		t.Fatal(err)
	}
	rc := dialRaw(t, ts.addr)
	rc.send([]string{"MULTI"}, []string{"SET", "k", "v"}, []string{"PUBLISH", "tx", "in multi"},
		[]string{"SUBSCRIBE", "x"}, []string{"PUBSUB", "NUMPAT"}, []string{"EXEC"})
	for _, want := range []string{"+OK", "+QUEUED", "+QUEUED", "+QUEUED", "+QUEUED",
		`[+OK :0 ["subscribe" "x" :1] :0]`} {
		if got := rc.mustReply(); got != want {
			t.Fatalf("got %s, want %s", got, want)
		}
	}
	m, err := sub.ReceiveMessage(ctx)
	if err != nil || m.Payload != "in multi" {
		t.Fatalf("message %v, %v", m, err)
	}
}

// TestPubSubOutputLimitConfig: CONFIG GET and SET of
// client-output-buffer-limit; the errors are compared with Redis in the
// compat corpus (pubsub.txt).
func TestPubSubOutputLimitConfig(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	get := func() string {
		return c.ConfigGet(ctx, "client-output-buffer-limit").Val()["client-output-buffer-limit"]
	}
	if got := get(); got != "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60" {
		t.Fatalf("default %q", got)
	}
	if err := c.ConfigSet(ctx, "client-output-buffer-limit", "pubsub 1mb 512kb 5 replica 1 2 3").Err(); err != nil {
		t.Fatal(err)
	}
	if got := get(); got != "normal 0 0 0 slave 1 2 3 pubsub 1048576 524288 5" {
		t.Fatalf("after SET %q", got)
	}
	oc := &ts.srv.ext.cfg.obuf
	if l := oc.get(obufPubSub); l != (obufLimit{hard: 1 << 20, soft: 512 << 10, softSecs: 5}) {
		t.Fatalf("limits in force %+v", l)
	}
	for _, tc := range []struct {
		in   string
		secs int64
		ok   bool
	}{
		{"60", 60, true}, {"", 0, true}, {"+5", 5, true}, {"-1", 0, false}, {"x", 0, false},
		{"5x", 0, false}, {"4294967297", 1, true}, {"2147483648", 0, false},
		{"99999999999999", 276447231, true}, {"99999999999999999999", 0, false},
	} {
		secs, ok := parseSoftSeconds(tc.in)
		if ok != tc.ok || (ok && secs != tc.secs) {
			t.Errorf("parseSoftSeconds(%q) = %d, %v; want %d, %v", tc.in, secs, ok, tc.secs, tc.ok)
		}
	}
}

// BenchmarkPubSubFanout measures messages per second from one publisher
// to 1, 10 and 100 subscribers of one channel, on Aspen and (when
// installed) on a real Redis. The publisher sends PUBLISH in pipelines of
// depth commands (1: one round trip per message); a message counts once
// every subscriber has received it. Reported: msgs/s (published and
// delivered to all) and deliveries/s (msgs/s times subscribers).
func BenchmarkPubSubFanout(b *testing.B) {
	for name, addr := range benchTargets(b) {
		for _, subs := range []int{1, 10, 100} {
			for _, depth := range []int{1, 50} {
				b.Run(fmt.Sprintf("%s/subs=%d/depth=%d", name, subs, depth), func(b *testing.B) {
					benchFanout(b, addr, subs, depth)
				})
			}
		}
	}
}

func benchFanout(b *testing.B, addr string, subs, depth int) {
	const channel = "bench"
	payload := strings.Repeat("p", 16)
	frame := fmt.Sprintf("*3\r\n$7\r\nmessage\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", len(channel), channel, len(payload), payload)
	pubCmd := encodeCommand("PUBLISH", channel, payload)
	dial := func() net.Conn {
		nc, err := net.Dial("tcp", addr)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { nc.Close() })
		return nc
	}
	// Subscribers: each counts the bytes of the messages it receives.
	type subConn struct {
		nc   net.Conn
		r    *bufio.Reader
		done chan error
	}
	var conns []*subConn
	for range subs {
		nc := dial()
		sc := &subConn{nc: nc, r: bufio.NewReaderSize(nc, 64<<10), done: make(chan error, 1)}
		nc.Write(encodeCommand("SUBSCRIBE", channel))
		if line, err := sc.r.ReadString('\n'); err != nil || line != "*3\r\n" {
			b.Fatalf("subscribe: %q, %v", line, err)
		}
		for range 5 { // $9 subscribe $5 bench :1
			sc.r.ReadString('\n')
		}
		conns = append(conns, sc)
	}
	pub := dial()
	pr := bufio.NewReader(pub)
	// Wait until every subscription is in place (they are node-local).
	for {
		pub.Write(encodeCommand("PUBSUB", "NUMSUB", channel))
		var lines []string
		for range 4 { // *2 $5 bench :n
			l, _ := pr.ReadString('\n')
			lines = append(lines, l)
		}
		if lines[3] == ":"+strconv.Itoa(subs)+"\r\n" {
			break
		}
		time.Sleep(time.Millisecond)
	}
	n := b.N
	want := int64(n) * int64(len(frame))
	for _, sc := range conns {
		go func() {
			buf := make([]byte, 64<<10)
			var got int64
			for got < want {
				k, err := sc.r.Read(buf)
				if err != nil {
					sc.done <- err
					return
				}
				got += int64(k)
			}
			sc.done <- nil
		}()
	}
	b.ResetTimer()
	start := time.Now()
	batch := make([]byte, 0, depth*len(pubCmd))
	for sent := 0; sent < n; {
		k := min(depth, n-sent)
		batch = batch[:0]
		for range k {
			batch = append(batch, pubCmd...)
		}
		if _, err := pub.Write(batch); err != nil {
			b.Fatal(err)
		}
		for range k {
			if _, err := pr.ReadSlice('\n'); err != nil {
				b.Fatal(err)
			}
		}
		sent += k
	}
	for _, sc := range conns {
		if err := <-sc.done; err != nil {
			b.Fatal(err)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(n)/elapsed.Seconds(), "msgs/s")
	b.ReportMetric(float64(n*subs)/elapsed.Seconds(), "deliveries/s")
}
