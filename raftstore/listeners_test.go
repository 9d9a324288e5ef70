package raftstore_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/aspen-db/aspen/layers"
)

// TestEventsReachEveryReplica checks that an event a mutation emits is
// delivered on the leader and on a follower, in commit order, and that a
// failed commit delivers nothing.
func TestEventsReachEveryReplica(t *testing.T) {
	base := t.TempDir()
	n1 := startNode(t, "n1", filepath.Join(base, "n1"), "", 0)
	waitFor(t, "n1 leader", n1.store.IsLeader)
	n2 := startNode(t, "n2", filepath.Join(base, "n2"), n1.meta.HTTPAddr, 0)

	got := map[string]chan string{}
	for _, n := range []*node{n1, n2} {
		ch := make(chan string, 16)
		got[n.meta.ID] = ch
		cancel := n.store.Listen(func(ev layers.Event) {
			if ev.Topic == "test" {
				ch <- string(ev.Payload)
			}
		})
		t.Cleanup(cancel)
	}
	commit := func(op, args string) error {
		tx, err := n2.store.Begin(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		tx.Mutate(op, []byte(args))
		_, err = tx.Commit(context.Background())
		return err
	}
	if err := commit("notify", "first"); err != nil {
		t.Fatal(err)
	}
	if err := commit("fail", "k"); err == nil {
		t.Fatal("the failing mutation committed")
	}
	if err := commit("notify", "second"); err != nil {
		t.Fatal(err)
	}
	for id, ch := range got {
		for _, want := range []string{"first", "second"} {
			select {
			case ev := <-ch:
				if ev != want {
					t.Fatalf("%s: event %q, want %q", id, ev, want)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%s: no event %q", id, want)
			}
		}
	}
}
