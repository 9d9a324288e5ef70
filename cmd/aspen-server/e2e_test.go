package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestSingleNodeBasics starts one node and checks the string commands, the
// admin endpoint, a clean SIGTERM stop, and that a restart keeps the data.
func TestSingleNodeBasics(t *testing.T) {
	c := newCluster(t, 1)
	n := c.nodes[0]
	n.start()
	rdb := n.client(15 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	// The node publishes its addresses through the log once it leads.
	var v0 clusterJSON
	waitFor(t, 30*time.Second, "n1 lists itself as the leader with its addresses", func() error {
		v, err := c.view(n)
		if err != nil {
			return err
		}
		if v.Leader != "n1" || v.Node != "n1" || !strings.EqualFold(v.State, "leader") {
			return fmt.Errorf("leader %q node %q state %q", v.Leader, v.Node, v.State)
		}
		if len(v.Nodes) != 1 {
			return fmt.Errorf("nodes = %+v, want one", v.Nodes)
		}
		m := v.Nodes[0]
		if m.ID != "n1" || m.Suffrage != "Voter" || m.State != "leader" ||
			m.RESPAddr != n.respAddr || m.HTTPAddr != n.httpAddr || m.RaftAddr != n.raftAddr || m.PGAddr != n.pgAddr {
			return fmt.Errorf("member = %+v", m)
		}
		v0 = v
		return nil
	})

	if got, err := rdb.Ping(ctx).Result(); err != nil || got != "PONG" {
		t.Fatalf("PING = %q, %v", got, err)
	}
	if got, err := rdb.Echo(ctx, "hello").Result(); err != nil || got != "hello" {
		t.Fatalf("ECHO = %q, %v", got, err)
	}
	if err := rdb.Set(ctx, "k", "v1", 0).Err(); err != nil {
		t.Fatalf("SET k: %v", err)
	}
	if got, err := rdb.Get(ctx, "k").Result(); err != nil || got != "v1" {
		t.Fatalf("GET k = %q, %v; want v1", got, err)
	}
	if err := rdb.Get(ctx, "missing").Err(); !errors.Is(err, redis.Nil) {
		t.Fatalf("GET missing: err = %v, want nil reply", err)
	}
	if ok, err := rdb.SetNX(ctx, "k", "v2", 0).Result(); err != nil || ok {
		t.Fatalf("SET k v2 NX on an existing key = %v, %v; want false", ok, err)
	}
	if ok, err := rdb.SetXX(ctx, "nokey", "x", 0).Result(); err != nil || ok {
		t.Fatalf("SET nokey XX = %v, %v; want false", ok, err)
	}
	if ok, err := rdb.SetXX(ctx, "k", "v3", 0).Result(); err != nil || !ok {
		t.Fatalf("SET k v3 XX = %v, %v; want true", ok, err)
	}
	if got, err := rdb.Get(ctx, "k").Result(); err != nil || got != "v3" {
		t.Fatalf("GET k = %q, %v; want v3", got, err)
	}
	for want := int64(1); want <= 3; want++ {
		if got, err := rdb.Incr(ctx, "ctr").Result(); err != nil || got != want {
			t.Fatalf("INCR ctr = %d, %v; want %d", got, err, want)
		}
	}
	if err := rdb.Incr(ctx, "k").Err(); !isServerError(err) {
		t.Fatalf("INCR on a non-integer value: err = %v, want an error reply", err)
	}
	if got, err := rdb.Exists(ctx, "k", "ctr", "missing").Result(); err != nil || got != 2 {
		t.Fatalf("EXISTS k ctr missing = %d, %v; want 2", got, err)
	}
	if got, err := rdb.Del(ctx, "k", "missing").Result(); err != nil || got != 1 {
		t.Fatalf("DEL k missing = %d, %v; want 1", got, err)
	}
	if err := rdb.Get(ctx, "k").Err(); !errors.Is(err, redis.Nil) {
		t.Fatalf("GET k after DEL: err = %v, want nil reply", err)
	}

	v1, err := c.view(n)
	if err != nil {
		t.Fatal(err)
	}
	if v1.AppliedIndex <= v0.AppliedIndex {
		t.Fatalf("applied_index went from %d to %d across writes; want it to grow", v0.AppliedIndex, v1.AppliedIndex)
	}

	resp, err := c.http.Get("http://" + n.httpAddr + "/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/health = %d, want 200", resp.StatusCode)
	}
	metric, err := scrapeMetric(c.http, n.httpAddr, "aspen_raft_applied_index")
	if err != nil {
		t.Fatal(err)
	}
	if uint64(metric) < v1.AppliedIndex {
		t.Fatalf("aspen_raft_applied_index = %v, below /cluster's applied_index %d read before it", metric, v1.AppliedIndex)
	}

	if code := n.terminate(stopBound); code != 0 {
		t.Fatalf("exit code after SIGTERM = %d, want 0; stderr:\n%s", code, n.stderrSinceStart())
	}
	if resp, err := c.http.Get("http://" + n.httpAddr + "/health"); err == nil {
		resp.Body.Close()
		t.Fatalf("/health answers %d after the process exited", resp.StatusCode)
	}
	// A clean stop keeps the engine's directory: losing it would leave
	// only the Raft log to rebuild from, which a snapshot truncates.
	if fi, err := os.Stat(filepath.Join(n.dir, "db.1")); err != nil || !fi.IsDir() {
		t.Fatalf("engine directory db.1 missing after a clean stop: %v", err)
	}

	// A clean restart keeps every acknowledged write.
	n.start()
	rdb = n.client(15 * time.Second)
	if got, err := rdb.Get(ctx, "ctr").Result(); err != nil || got != "3" {
		t.Fatalf("after restart GET ctr = %q, %v; want 3", got, err)
	}
	if err := rdb.Get(ctx, "k").Err(); !errors.Is(err, redis.Nil) {
		t.Fatalf("after restart GET k: err = %v, want nil reply (deleted)", err)
	}
	if code := n.terminate(stopBound); code != 0 {
		t.Fatalf("exit code after second SIGTERM = %d, want 0", code)
	}
}

// scrapeMetric reads one unlabelled sample from /metrics.
func scrapeMetric(hc *http.Client, addr, name string) (float64, error) {
	resp, err := hc.Get("http://" + addr + "/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("/metrics: status %d", resp.StatusCode)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 && f[0] == name {
			return strconv.ParseFloat(f[1], 64)
		}
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("/metrics: %w", err)
	}
	return 0, fmt.Errorf("/metrics has no sample %s", name)
}

// TestDurabilityKill9 writes from many clients, SIGKILLs the node in the
// middle, restarts it on the same data directory, and checks that every
// acknowledged write survived; three times over.
func TestDurabilityKill9(t *testing.T) {
	const (
		writers = 8
		cycles  = 3
		runFor  = 2 * time.Second
	)
	c := newCluster(t, 1)
	n := c.nodes[0]
	n.start()

	acked := map[string]string{} // every acknowledged SET, all cycles
	var incrAcked, incrAttempted int64
	for cycle := 1; cycle <= cycles; cycle++ {
		rdb := n.client(15 * time.Second)
		var killed atomic.Bool
		var wg sync.WaitGroup
		type result struct {
			sets                 map[string]string
			incrOK, incrAttempts int64
		}
		results := make([]result, writers)
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				r := result{sets: map[string]string{}}
				defer func() { results[w] = r }()
				for i := 0; ; i++ {
					key := fmt.Sprintf("k%d-%d-%d", cycle, w, i)
					val := fmt.Sprintf("v%d-%d-%d", cycle, w, i)
					if err := rdb.Set(context.Background(), key, val, 0).Err(); err != nil {
						if !killed.Load() {
							t.Errorf("SET %s before the kill: %v", key, err)
						}
						return
					}
					r.sets[key] = val
					r.incrAttempts++
					if err := rdb.Incr(context.Background(), "counter").Err(); err != nil {
						if !killed.Load() {
							t.Errorf("INCR counter before the kill: %v", err)
						}
						return
					}
					r.incrOK++
				}
			}(w)
		}
		time.Sleep(runFor)
		killed.Store(true)
		n.kill()
		wg.Wait()
		if t.Failed() {
			t.FailNow()
		}
		var sets int
		for _, r := range results {
			for k, v := range r.sets {
				acked[k] = v
			}
			sets += len(r.sets)
			incrAcked += r.incrOK
			incrAttempted += r.incrAttempts
		}
		t.Logf("cycle %d: %d SETs acknowledged before SIGKILL (%d INCRs acknowledged in all cycles)", cycle, sets, incrAcked)
		if sets == 0 {
			t.Fatalf("cycle %d: no write was acknowledged in %v", cycle, runFor)
		}

		start := time.Now()
		n.start()
		t.Logf("cycle %d: restarted and healthy in %v", cycle, time.Since(start).Round(time.Millisecond))
		checkAcked(t, n.client(15*time.Second), acked)
		got, err := n.client(15*time.Second).Get(context.Background(), "counter").Int64()
		if err != nil {
			t.Fatalf("GET counter: %v", err)
		}
		if got < incrAcked || got > incrAttempted {
			t.Fatalf("cycle %d: counter = %d, want between %d acknowledged and %d attempted INCRs", cycle, got, incrAcked, incrAttempted)
		}
	}
}

// checkAcked reads every key of want through pipelines and fails the test
// on any missing or different value.
func checkAcked(t *testing.T, rdb *redis.Client, want map[string]string) {
	t.Helper()
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	var bad []string
	for len(keys) > 0 {
		chunk := keys[:min(500, len(keys))]
		keys = keys[len(chunk):]
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		pipe := rdb.Pipeline()
		cmds := make([]*redis.StringCmd, len(chunk))
		for i, k := range chunk {
			cmds[i] = pipe.Get(ctx, k)
		}
		_, err := pipe.Exec(ctx)
		cancel()
		if err != nil && !errors.Is(err, redis.Nil) {
			t.Fatalf("pipelined GETs: %v", err)
		}
		for i, cmd := range cmds {
			got, err := cmd.Result()
			if err != nil || got != want[chunk[i]] {
				bad = append(bad, fmt.Sprintf("%s = %q, %v (want %q)", chunk[i], got, err, want[chunk[i]]))
			}
		}
	}
	if len(bad) > 0 {
		t.Fatalf("%d of %d acknowledged SETs lost after restart; first ones:\n%s",
			len(bad), len(want), strings.Join(bad[:min(10, len(bad))], "\n"))
	}
}

// startCluster starts n1 (which bootstraps) and joins the other nodes to
// it, then waits until every node lists them all as voters under one
// leader.
func startCluster(t *testing.T, size int) *cluster {
	t.Helper()
	c := newCluster(t, size)
	c.nodes[0].start()
	for _, n := range c.nodes[1:] {
		n.join = c.nodes[0].httpAddr
		n.start()
	}
	c.waitMembers(30 * time.Second)
	return c
}

// waitMembers waits until every running node lists all nodes of the
// cluster as voters, with their published addresses, and names the same
// leader.
func (c *cluster) waitMembers(bound time.Duration) {
	c.t.Helper()
	waitFor(c.t, bound, "every node lists every node as a voter under one leader", func() error {
		leader := ""
		for _, n := range c.nodes {
			if !n.running() {
				continue
			}
			v, err := c.view(n)
			if err != nil {
				return err
			}
			if len(v.Nodes) != len(c.nodes) {
				return fmt.Errorf("%s lists %d nodes, want %d", n.id, len(v.Nodes), len(c.nodes))
			}
			leaders := 0
			for _, m := range v.Nodes {
				want := c.node(m.ID)
				if want == nil {
					return fmt.Errorf("%s lists an unknown node %q", n.id, m.ID)
				}
				if m.Suffrage != "Voter" {
					return fmt.Errorf("%s lists %s as %s", n.id, m.ID, m.Suffrage)
				}
				if m.RESPAddr != want.respAddr || m.HTTPAddr != want.httpAddr || m.RaftAddr != want.raftAddr {
					return fmt.Errorf("%s lists %s with addresses %+v", n.id, m.ID, m)
				}
				if m.State == "leader" {
					leaders++
				}
			}
			if leaders != 1 || v.Leader == "" {
				return fmt.Errorf("%s: leader %q, %d members in state leader", n.id, v.Leader, leaders)
			}
			if leader != "" && v.Leader != leader {
				return fmt.Errorf("nodes disagree on the leader: %s and %s", leader, v.Leader)
			}
			leader = v.Leader
		}
		return nil
	})
}

// TestThreeNodeCluster joins three nodes, writes through a follower, reads
// on every node, kills the leader, keeps writing, and brings the old leader
// back from its data directory.
func TestThreeNodeCluster(t *testing.T) {
	c := startCluster(t, 3)
	leader := c.waitLeader(electionBound)
	var follower *node
	for _, n := range c.nodes {
		if n != leader {
			follower = n
			break
		}
	}
	t.Logf("leader %s; writing through follower %s", leader.id, follower.id)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := follower.client(15*time.Second).Set(ctx, "through-follower", "yes", 0).Err(); err != nil {
		t.Fatalf("SET through follower %s: %v", follower.id, err)
	}
	// Reads are linearizable on every node: no retry, no waiting.
	for _, n := range c.nodes {
		if got, err := n.client(15*time.Second).Get(ctx, "through-follower").Result(); err != nil || got != "yes" {
			t.Fatalf("GET on %s right after the SET = %q, %v; want yes", n.id, got, err)
		}
	}

	// WATCH on one node sees a write made through another: EXEC aborts.
	checkWatchAcrossNodes(ctx, t, follower.client(15*time.Second), leader.client(15*time.Second))

	// Kill the leader; the others elect a new one.
	killedAt := time.Now()
	leader.kill()
	newLeader := c.waitLeader(electionBound)
	t.Logf("SIGKILL of leader %s: %s leads after %v", leader.id, newLeader.id, time.Since(killedAt).Round(time.Millisecond))

	// Writes continue through both survivors.
	var survivors []*node
	for _, n := range c.nodes {
		if n != leader {
			survivors = append(survivors, n)
		}
	}
	for i, n := range survivors {
		key, val := fmt.Sprintf("while-down-%d", i), fmt.Sprintf("via-%s", n.id)
		rdb := n.client(15 * time.Second)
		retry(t, electionBound, "SET "+key+" on "+n.id, func(ctx context.Context) error {
			return rdb.Set(ctx, key, val, 0).Err()
		})
		if err := rdb.Incr(ctx, "down-counter").Err(); err != nil {
			t.Fatalf("INCR on %s: %v", n.id, err)
		}
	}
	for _, n := range survivors {
		rdb := n.client(15 * time.Second)
		for i, m := range survivors {
			want := "via-" + m.id
			if got, err := rdb.Get(ctx, fmt.Sprintf("while-down-%d", i)).Result(); err != nil || got != want {
				t.Fatalf("GET while-down-%d on %s = %q, %v; want %q", i, n.id, got, err, want)
			}
		}
	}
	// More entries for the restarted node to catch up on.
	const bulk = 2000
	pipe := newLeader.client(15 * time.Second).Pipeline()
	for i := range bulk {
		pipe.Set(ctx, fmt.Sprintf("bulk%d", i), i, 0)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatalf("pipelined SETs on %s: %v", newLeader.id, err)
	}
	lv, err := c.view(newLeader)
	if err != nil {
		t.Fatal(err)
	}

	// The old leader comes back from its data directory (no --join) and
	// catches up.
	restartAt := time.Now()
	leader.start()
	healthyAfter := time.Since(restartAt)
	rdb := leader.client(15 * time.Second)
	for i, m := range survivors {
		want := "via-" + m.id
		if got, err := rdb.Get(ctx, fmt.Sprintf("while-down-%d", i)).Result(); err != nil || got != want {
			t.Fatalf("GET while-down-%d on the restarted %s = %q, %v; want %q", i, leader.id, got, err, want)
		}
	}
	if got, err := rdb.Get(ctx, fmt.Sprintf("bulk%d", bulk-1)).Result(); err != nil || got != strconv.Itoa(bulk-1) {
		t.Fatalf("GET bulk%d on the restarted %s = %q, %v", bulk-1, leader.id, got, err)
	}
	if got, err := rdb.Get(ctx, "down-counter").Result(); err != nil || got != "2" {
		t.Fatalf("GET down-counter on the restarted %s = %q, %v; want 2", leader.id, got, err)
	}
	waitFor(t, 30*time.Second, leader.id+" applies up to the leader's index", func() error {
		v, err := c.view(leader)
		if err != nil {
			return err
		}
		if v.AppliedIndex < lv.AppliedIndex {
			return fmt.Errorf("applied_index %d < leader's %d", v.AppliedIndex, lv.AppliedIndex)
		}
		return nil
	})
	t.Logf("restarted %s: healthy after %v, applied the leader's index %d after %v",
		leader.id, healthyAfter.Round(time.Millisecond), lv.AppliedIndex, time.Since(restartAt).Round(time.Millisecond))
	c.waitMembers(30 * time.Second)
}

// TestNoLeaderGivesError leaves one node of three running and checks that
// a write and a read on it (once a leader's read lease has run out) fail
// with an error reply instead of hanging, then that it serves again once
// the others are back. It does so with the
// survivor a follower (leader and one follower killed), then with the
// survivor the leader (both followers killed).
func TestNoLeaderGivesError(t *testing.T) {
	c := startCluster(t, 3)
	for round, killLeader := range []bool{true, false} {
		leader := c.waitLeader(electionBound)
		victims, survivor := pickVictims(c, leader, killLeader)
		t.Logf("round %d: leader %s; killing %s and %s; survivor %s", round+1, leader.id, victims[0].id, victims[1].id, survivor.id)
		for _, v := range victims {
			v.kill()
		}

		// The client waits longer than the server's own bound, so a
		// client-side timeout means the server hung.
		rdb := survivor.client(30 * time.Second)
		var wg sync.WaitGroup
		check := func(what string, op func(ctx context.Context) error) {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
			defer cancel()
			start := time.Now()
			err := op(ctx)
			took := time.Since(start).Round(time.Millisecond)
			switch {
			case err == nil:
				t.Errorf("round %d: %s on %s without a quorum succeeded", round+1, what, survivor.id)
			case !isServerError(err):
				t.Errorf("round %d: %s on %s without a quorum: %v after %v; want an error reply, not a hang", round+1, what, survivor.id, err, took)
			default:
				t.Logf("round %d: %s on %s without a quorum: error reply %q after %v", round+1, what, survivor.id, err, took)
			}
		}
		wg.Add(2)
		go check("SET", func(ctx context.Context) error {
			return rdb.Set(ctx, fmt.Sprintf("no-quorum-%d", round), "x", 0).Err()
		})
		go check("GET", func(ctx context.Context) error {
			// A leader answers reads from its lease for up to half the
			// heartbeat timeout (1 s) after it last heard from a quorum;
			// such answers are still linearizable. Past that, it must
			// refuse.
			time.Sleep(time.Second)
			return rdb.Get(ctx, "anything").Err()
		})
		wg.Wait()
		if t.Failed() {
			t.FailNow()
		}

		for _, v := range victims {
			v.launch()
		}
		for _, v := range victims {
			v.waitHealthy()
		}
		key := fmt.Sprintf("back-%d", round)
		retry(t, electionBound, "SET on the survivor once the others are back", func(ctx context.Context) error {
			return rdb.Set(ctx, key, "ok", 0).Err()
		})
		if got, err := rdb.Get(context.Background(), key).Result(); err != nil || got != "ok" {
			t.Fatalf("GET %s on %s = %q, %v; want ok", key, survivor.id, got, err)
		}
		c.waitMembers(30 * time.Second)
	}
}

// pickVictims chooses the two nodes to kill: the leader and one follower,
// or both followers.
func pickVictims(c *cluster, leader *node, killLeader bool) (victims []*node, survivor *node) {
	var followers []*node
	for _, n := range c.nodes {
		if n != leader {
			followers = append(followers, n)
		}
	}
	if killLeader {
		return []*node{leader, followers[0]}, followers[1]
	}
	return followers, leader
}

// checkWatchAcrossNodes runs WATCH/MULTI/EXEC on watcher while other, a
// client of another node, changes the watched key in between: EXEC must
// abort. Without the interfering write the same transaction commits.
func checkWatchAcrossNodes(ctx context.Context, t *testing.T, watcher, other *redis.Client) {
	t.Helper()
	if err := watcher.Set(ctx, "watched", "0", 0).Err(); err != nil {
		t.Fatal(err)
	}
	txn := func(interfere bool) error {
		return watcher.Watch(ctx, func(tx *redis.Tx) error {
			if interfere {
				if err := other.Set(ctx, "watched", "changed elsewhere", 0).Err(); err != nil {
					return err
				}
			}
			_, err := tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Set(ctx, "watched", "from the transaction", 0)
				return nil
			})
			return err
		}, "watched")
	}
	if err := txn(true); !errors.Is(err, redis.TxFailedErr) {
		t.Fatalf("EXEC after another node changed the watched key: %v, want %v", err, redis.TxFailedErr)
	}
	if got, _ := other.Get(ctx, "watched").Result(); got != "changed elsewhere" {
		t.Fatalf("after the aborted EXEC the key is %q", got)
	}
	if err := txn(false); err != nil {
		t.Fatalf("EXEC with no interference: %v", err)
	}
	if got, _ := other.Get(ctx, "watched").Result(); got != "from the transaction" {
		t.Fatalf("after EXEC the other node reads %q", got)
	}
}
