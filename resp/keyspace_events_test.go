package resp

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aspen-db/aspen/layers/strkv"
)

// The keyspace notification tests: the messages of every command family
// against a real Redis, the replicated setting across nodes, eviction.

// ksPattern is the pattern the tests' subscribers follow: every keyspace
// and keyevent channel of every database.
const ksPattern = "__key*@*__:*"

// ksMark is the channel of the marker published after each command: it
// matches ksPattern, so the subscriber reads up to it and knows the
// command's messages are all in.
const ksMark = "__keyevent@0__:~mark"

// ksTarget is one server under test: a command connection and a
// subscriber.
type ksTarget struct {
	cmd, sub *rawConn
}

// dialKeyspace connects to addr, enables flags and subscribes.
func dialKeyspace(t *testing.T, addr, flags string) *ksTarget {
	t.Helper()
	k := &ksTarget{cmd: dialRaw(t, addr), sub: dialRaw(t, addr)}
	for _, c := range [][]string{{"FLUSHALL"}, {"CONFIG", "SET", "notify-keyspace-events", flags}} {
		k.cmd.send(c)
		if r := k.cmd.mustReply(); r != "+OK" {
			t.Fatalf("%q: %s", c, r)
		}
	}
	k.sub.send([]string{"PSUBSCRIBE", ksPattern})
	k.sub.mustReply()
	return k
}

// messages publishes a marker and returns the messages the subscriber
// received before it.
func (k *ksTarget) messages(t *testing.T, id string) []string {
	t.Helper()
	k.cmd.send([]string{"PUBLISH", ksMark, id})
	k.cmd.mustReply()
	return k.received(t, id)
}

// received returns the messages the subscriber receives before the
// marker id.
func (k *ksTarget) received(t *testing.T, id string) []string {
	t.Helper()
	var got []string
	for {
		r := k.sub.mustReply()
		if r == fmt.Sprintf("[%q %q %q %q]", "pmessage", ksPattern, ksMark, id) {
			return got
		}
		got = append(got, r)
	}
}

// splitExpired moves the messages of the "expired" event from msgs to
// pool and returns the others.
func splitExpired(msgs []string, pool *[]string) []string {
	var rest []string
	for _, m := range msgs {
		if strings.HasSuffix(m, ` "expired"]`) || strings.Contains(m, `__:expired" `) {
			*pool = append(*pool, m)
		} else {
			rest = append(rest, m)
		}
	}
	return rest
}

// runExpirer sweeps ts's expired keys as the leader's expirer does, as
// often as Redis's expiry cycle runs.
func runExpirer(t *testing.T, ts *testServer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		strkv.New(ts.store).RunExpirer(ctx, 100*time.Millisecond, 100, slog.New(slog.DiscardHandler))
	}()
	t.Cleanup(func() { cancel(); <-done })
}

// TestKeyspaceEventsWithRedis runs the corpora of testdata/keyspace on
// Aspen and on a real Redis, both with every class enabled, and compares
// the keyspace and keyevent messages each command makes: the same
// messages, in the same order. A line "SLEEP ms" waits instead (for keys
// to expire on their own).
func TestKeyspaceEventsWithRedis(t *testing.T) {
	redisAddr := startRedis(t)
	ts := startServer(t, nil)
	runExpirer(t, ts)
	files, err := filepath.Glob("testdata/keyspace/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files: %v", err)
	}
	// Every class with both kinds of message, then subsets: each class
	// letter must select the same events as Redis's.
	flagSets := []string{"KEAnm", "Kg$", "Elshz", "KExten", "Em", "KEA"}
	if testing.Short() {
		flagSets = flagSets[:1]
	}
	for _, flags := range flagSets {
		for _, file := range files {
			script := loadCompat(t, file)
			t.Run(flags+"/"+filepath.Base(file), func(t *testing.T) {
				runKeyspaceScript(t, redisAddr, ts.addr, flags, script)
			})
		}
	}
}

// runKeyspaceScript runs one corpus on Redis and Aspen with flags and
// compares the messages of each line.
func runKeyspaceScript(t *testing.T, redisAddr, ourAddr, flags string, script []compatCmd) {
	t.Helper()
	ref := dialKeyspace(t, redisAddr, flags)
	ours := dialKeyspace(t, ourAddr, flags)
	inMulti := false
	var refExpired, ourExpired []string
	for i, c := range script {
		if strings.EqualFold(c.args[0], "SLEEP") {
			ms, _ := strconv.Atoi(c.args[1])
			time.Sleep(time.Duration(ms) * time.Millisecond)
		} else {
			ref.cmd.send(c.args)
			ours.cmd.send(c.args)
			want, got := ref.cmd.mustReply(), ours.cmd.mustReply()
			if want, got = normalizeReply(t, c.cmp, want), normalizeReply(t, c.cmp, got); got != want {
				t.Errorf("%s:%d %q: reply\n got  %s\n want %s", c.file, c.line, c.args, got, want)
			}
		}
		switch strings.ToUpper(c.args[0]) {
		case "MULTI":
			inMulti = true
		case "EXEC", "DISCARD":
			inMulti = false
		}
		if inMulti {
			continue // a marker would be queued: EXEC's messages come with EXEC
		}
		id := strconv.Itoa(i)
		want, got := ref.messages(t, id), ours.messages(t, id)
		if slices.Equal(got, want) {
			continue
		}
		// When a key expires on its own is up to each server's
		// expiry cycle: those messages may come with another line.
		want, got = splitExpired(want, &refExpired), splitExpired(got, &ourExpired)
		if !slices.Equal(got, want) {
			t.Errorf("%s:%d %q: messages\n got  %s\n want %s", c.file, c.line, c.args,
				strings.Join(got, "\n       "), strings.Join(want, "\n       "))
		}
	}
	slices.Sort(refExpired)
	slices.Sort(ourExpired)
	if !slices.Equal(ourExpired, refExpired) {
		t.Errorf("%s: expired messages\n got  %s\n want %s", script[0].file,
			strings.Join(ourExpired, "\n       "), strings.Join(refExpired, "\n       "))
	}
}

// TestKeyspaceEventsAcrossNodes checks that the setting is replicated and
// that a change made through one node is announced to the subscribers of
// the other, in command order.
func TestKeyspaceEventsAcrossNodes(t *testing.T) {
	base := t.TempDir()
	n1 := startClusterNode(t, "n1", filepath.Join(base, "n1"), "")
	for deadline := time.Now().Add(20 * time.Second); !n1.store.IsLeader(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("n1 never became leader")
		}
	}
	n2 := startClusterNode(t, "n2", filepath.Join(base, "n2"), n1.http)

	// Set through the follower: every node switches.
	cmd2 := dialRaw(t, n2.addr)
	cmd2.send([]string{"CONFIG", "SET", "notify-keyspace-events", "KEA"})
	if r := cmd2.mustReply(); r != "+OK" {
		t.Fatalf("CONFIG SET on n2: %s", r)
	}
	cmd1 := dialRaw(t, n1.addr)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		cmd1.send([]string{"CONFIG", "GET", "notify-keyspace-events"})
		r := cmd1.mustReply()
		if r == `["notify-keyspace-events" "AKE"]` {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("n1 never took the setting made on n2: %s", r)
		}
	}

	// Writes through n1, subscribers on both nodes.
	subs := map[string]*ksTarget{
		"n1": {cmd: cmd1, sub: dialRaw(t, n1.addr)},
		"n2": {cmd: cmd1, sub: dialRaw(t, n2.addr)},
	}
	for _, k := range subs {
		k.sub.send([]string{"PSUBSCRIBE", ksPattern})
		k.sub.mustReply()
	}
	for _, c := range [][]string{{"SET", "k", "v"}, {"MULTI"}, {"RPUSH", "l", "a"}, {"INCR", "n"}, {"DEL", "k", "l"}, {"EXEC"}} {
		cmd1.send(c)
		cmd1.mustReply()
	}
	ev := func(key, event string) []string {
		return []string{
			fmt.Sprintf("[%q %q %q %q]", "pmessage", ksPattern, "__keyspace@0__:"+key, event),
			fmt.Sprintf("[%q %q %q %q]", "pmessage", ksPattern, "__keyevent@0__:"+event, key),
		}
	}
	want := slices.Concat(ev("k", "set"), ev("l", "rpush"), ev("n", "incrby"), ev("k", "del"), ev("l", "del"))
	// Each node's subscriber reads up to one marker published through
	// n1, which every node applies after the writes.
	for name, got := range allMessages(t, cmd1, subs, "on") {
		if !slices.Equal(got, want) {
			t.Errorf("subscriber on %s got\n %s\nwant\n %s", name, strings.Join(got, "\n "), strings.Join(want, "\n "))
		}
	}

	// Switched off through n1: no node announces anything.
	cmd1.send([]string{"CONFIG", "SET", "notify-keyspace-events", ""})
	cmd1.mustReply()
	cmd1.send([]string{"SET", "k", "v"})
	cmd1.mustReply()
	for name, got := range allMessages(t, cmd1, subs, "off") {
		if len(got) != 0 {
			t.Errorf("subscriber on %s got %q with notifications off", name, got)
		}
	}
}

// allMessages publishes one marker through cmd and returns what each
// subscriber received before it.
func allMessages(t *testing.T, cmd *rawConn, subs map[string]*ksTarget, id string) map[string][]string {
	t.Helper()
	cmd.send([]string{"PUBLISH", ksMark, id})
	cmd.mustReply()
	out := map[string][]string{}
	for name, k := range subs {
		out[name] = k.received(t, id)
	}
	return out
}

// TestKeyspaceEvictedEvents fills past maxmemory under allkeys-lru, on
// Aspen and on Redis: on both, every key that went has exactly one
// "evicted" keyspace and keyevent message, and no key that stayed has one.
func TestKeyspaceEvictedEvents(t *testing.T) {
	redisAddr := startRedis(t)
	ts := startServer(t, nil)
	startEvictor(t, ts)
	for name, addr := range map[string]string{"redis": redisAddr, "aspen": ts.addr} {
		t.Run(name, func(t *testing.T) {
			k := dialKeyspace(t, addr, "KEe")
			for _, c := range [][]string{{"maxmemory-policy", "allkeys-lru"}, {"maxmemory", "3mb"}} {
				k.cmd.send([]string{"CONFIG", "SET", c[0], c[1]})
				k.cmd.mustReply()
			}
			const n = 800
			made := map[string]bool{}
			for i := range n {
				key := fmt.Sprintf("key:%04d", i)
				k.cmd.send([]string{"SET", key, strings.Repeat("v", 10000)})
				switch r := k.cmd.mustReply(); {
				case r == "+OK":
					made[key] = true
				case !strings.HasPrefix(r, "-OOM"):
					t.Fatalf("SET %d: %s", i, r)
				}
			}
			// Aspen evicts in the background: wait until it settled.
			settle := func() {
				var dbsize string
				for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
					k.cmd.send([]string{"DBSIZE"})
					r := k.cmd.mustReply()
					if r == dbsize || time.Now().After(deadline) {
						break
					}
					dbsize = r
				}
			}
			settle()
			// No more eviction (Redis evicts before any command, reads
			// included) while the messages are matched with the keys.
			k.cmd.send([]string{"CONFIG", "SET", "maxmemory", "0"})
			k.cmd.mustReply()
			// An eviction round chosen before the change may still
			// commit: let it, so its messages come before the marker.
			settle()
			evicted := map[string]int{}
			for _, m := range k.messages(t, "done") {
				switch {
				case strings.Contains(m, `"__keyspace@0__:`) && strings.HasSuffix(m, ` "evicted"]`):
					key := m[strings.Index(m, "__keyspace@0__:")+len("__keyspace@0__:") : strings.LastIndex(m, `" "evicted"]`)]
					evicted[key]++
				case strings.Contains(m, `"__keyevent@0__:evicted" `):
					evicted[m[strings.LastIndex(m, ` "`)+2:len(m)-2]] += 100
				default:
					t.Errorf("unexpected message %s", m)
				}
			}
			if len(evicted) == 0 {
				t.Fatal("nothing evicted")
			}
			for i := range n {
				key := fmt.Sprintf("key:%04d", i)
				k.cmd.send([]string{"EXISTS", key})
				exists := k.cmd.mustReply() == ":1"
				switch c := evicted[key]; {
				case exists && c != 0:
					t.Errorf("%s is still there but got %d evicted messages", key, c)
				case !exists && made[key] && c != 101:
					t.Errorf("%s went with evicted messages %d (want one of each kind)", key, c)
				}
			}
			t.Logf("%d keys evicted", len(evicted))
		})
	}
}

// TestNotifyClassBits checks that the classes CONFIG parses are the bits
// the layers announce events with.
func TestNotifyClassBits(t *testing.T) {
	for _, c := range []struct {
		resp  int
		layer strkv.Class
	}{
		{NotifyKeyspace, strkv.NotifyKeyspace}, {NotifyKeyevent, strkv.NotifyKeyevent},
		{NotifyGeneric, strkv.NotifyGeneric}, {NotifyString, strkv.NotifyString},
		{NotifyList, strkv.NotifyList}, {NotifySet, strkv.NotifySet},
		{NotifyHash, strkv.NotifyHash}, {NotifyZset, strkv.NotifyZset},
		{NotifyExpired, strkv.NotifyExpired}, {NotifyEvicted, strkv.NotifyEvicted},
		{NotifyStream, strkv.NotifyStream}, {NotifyKeyMiss, strkv.NotifyKeyMiss},
		{NotifyModule, strkv.NotifyModule}, {NotifyNew, strkv.NotifyNew},
	} {
		if c.resp != int(c.layer) {
			t.Errorf("class %#x in resp is %#x in strkv", c.resp, c.layer)
		}
	}
}
