package raftstore_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/raftstore"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

// node is one in-process cluster member with its HTTP endpoint.
type node struct {
	store *raftstore.Store
	meta  raftstore.NodeMeta
	dir   string
	srv   *http.Server
	h     atomic.Pointer[http.Handler]
}

func startNode(t *testing.T, id, dir, join string, snapshotEvery uint64) *node {
	return startNodeCfg(t, id, dir, join, snapshotEvery)
}

func startNodeTB(tb testing.TB, id, dir, join string) *node {
	return startNodeCfg(tb, id, dir, join, 0)
}

func startNodeCfg(t testing.TB, id, dir, join string, snapshotEvery uint64) *node {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	n := &node{dir: dir, meta: raftstore.NodeMeta{ID: id, RaftAddr: raftstoretest.FreeAddr(t), HTTPAddr: ln.Addr().String()}}
	n.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := n.h.Load(); h != nil {
			(*h).ServeHTTP(w, r)
			return
		}
		http.Error(w, "starting", http.StatusServiceUnavailable)
	})}
	go n.srv.Serve(ln)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := raftstore.Open(ctx, raftstore.Config{
		Dir: dir, Meta: n.meta, Join: join, Mutations: testMutations,
		Logger:           slog.New(slog.DiscardHandler),
		HeartbeatTimeout: 300 * time.Millisecond, ElectionTimeout: 300 * time.Millisecond,
		SnapshotThreshold: snapshotEvery,
		SnapshotInterval:  200 * time.Millisecond,
		TrailingLogs:      16,
	})
	if err != nil {
		n.srv.Close()
		t.Fatalf("start %s: %v", id, err)
	}
	n.store = s
	h := s.Handler()
	n.h.Store(&h)
	t.Cleanup(n.stop)
	return n
}

func (n *node) stop() {
	n.store.Close()
	n.srv.Close()
}

func waitFor(t *testing.T, what string, cond func() bool) { waitForTB(t, what, cond) }

func waitForTB(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestClusterForwardingAndSnapshotCatchUp(t *testing.T) {
	base := t.TempDir()
	n1 := startNode(t, "n1", filepath.Join(base, "n1"), "", 64)
	waitFor(t, "n1 leader", n1.store.IsLeader)
	n2 := startNode(t, "n2", filepath.Join(base, "n2"), n1.meta.HTTPAddr, 64)

	// Writes through the follower are forwarded; reads on both see them.
	for i := 0; i < 20; i++ {
		set(t, n2.store, fmt.Sprintf("f%02d", i), strconv.Itoa(i))
	}
	for _, n := range []*node{n1, n2} {
		if v, _ := get(t, n.store, "f19"); v != "19" {
			t.Fatalf("%s reads f19 = %q", n.meta.ID, v)
		}
	}
	// Mutations through the follower return their results.
	tx, err := n2.store.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tx.Mutate("add", addArgs("ctr", 7))
	res, err := tx.Commit(context.Background())
	if err != nil || len(res.Results) != 1 || string(res.Results[0]) != "7" {
		t.Fatalf("forwarded mutation: %q, %v", res.Results, err)
	}

	// Enough entries for several snapshots and log truncation, then a new
	// node joins: it must be brought up to date by a snapshot install.
	for i := 0; i < 300; i++ {
		set(t, n1.store, fmt.Sprintf("s%03d", i), strconv.Itoa(i))
	}
	waitFor(t, "a snapshot on n1", func() bool {
		m, _ := filepath.Glob(filepath.Join(n1.dir, "snapshots", "*"))
		return len(m) > 0
	})
	n3 := startNode(t, "n3", filepath.Join(base, "n3"), n2.meta.HTTPAddr, 64)
	waitFor(t, "n3 to catch up", func() bool { return n3.store.AppliedIndex() >= n1.store.AppliedIndex() })
	for _, k := range []string{"f00", "s000", "s299"} {
		want := map[string]string{"f00": "0", "s000": "0", "s299": "299"}[k]
		if v, _ := get(t, n3.store, k); v != want {
			t.Fatalf("n3 reads %s = %q, want %q", k, v, want)
		}
	}
	// It was brought up by installing a snapshot: each restore swaps in a
	// new engine directory, db.2, db.3... (a node that falls behind again
	// while installing one, as under the race detector, installs another).
	restored, _ := filepath.Glob(filepath.Join(n3.dir, "db.[2-9]*"))
	if len(restored) == 0 {
		dirs, _ := filepath.Glob(filepath.Join(n3.dir, "db.*"))
		t.Fatalf("n3 did not restore a snapshot: engine directories %v", dirs)
	}
	st := n3.store.Status()
	if len(st.Nodes) != 3 || st.Leader != "n1" {
		t.Fatalf("n3 status: %+v", st)
	}

	// Kill the leader; a survivor is elected and writes go on.
	n1.stop()
	waitFor(t, "a new leader", func() bool { return n2.store.IsLeader() || n3.store.IsLeader() })
	set(t, n3.store, "after", "failover")
	if v, _ := get(t, n2.store, "after"); v != "failover" {
		t.Fatalf("after failover n2 reads %q", v)
	}

	// A transaction begun before a conflicting write still fails on the new
	// leader: the conflict window is replicated state.
	tx, err = n2.store.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tx.Get([]byte("after"))
	set(t, n3.store, "after", "changed")
	tx.Set([]byte("x"), []byte("1"))
	if _, err := tx.Commit(context.Background()); !layers.IsRetryable(err) {
		t.Fatalf("conflict after failover: got %v, want retryable conflict", err)
	}
}

// BenchmarkCommitThreeNodes measures blind single-key commits on the leader
// of an in-process three-node cluster (each commit is on a quorum's disks).
func BenchmarkCommitThreeNodes(b *testing.B) {
	for _, writers := range []int{1, 16, 64} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			base := b.TempDir()
			tb := testing.TB(b)
			n1 := startNodeTB(tb, "n1", filepath.Join(base, "n1"), "")
			waitForTB(tb, "n1 leader", n1.store.IsLeader)
			startNodeTB(tb, "n2", filepath.Join(base, "n2"), n1.meta.HTTPAddr)
			startNodeTB(tb, "n3", filepath.Join(base, "n3"), n1.meta.HTTPAddr)
			ctx := context.Background()
			var next atomic.Int64
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for w := 0; w < writers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for next.Add(1) <= int64(b.N) {
						tx, _ := n1.store.Begin(ctx)
						tx.Set([]byte(fmt.Sprintf("k%d", next.Load())), []byte("v"))
						if _, err := tx.Commit(ctx); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "commits/s")
		})
	}
}
