package raftstore_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestHintsReachTheLeader sends hints from a follower and from the leader
// itself over a real two-node cluster: both arrive at the leader's
// handler; an unknown topic and an oversized hint are refused.
func TestHintsReachTheLeader(t *testing.T) {
	base := t.TempDir()
	n1 := startNode(t, "n1", filepath.Join(base, "n1"), "", 0)
	waitFor(t, "n1 leader", n1.store.IsLeader)
	n2 := startNode(t, "n2", filepath.Join(base, "n2"), n1.meta.HTTPAddr, 0)
	waitFor(t, "n2 to know the leader", func() bool { return n2.store.Ready() })

	var mu sync.Mutex
	var got []string
	n1.store.HandleHint("test.touch", func(p []byte) {
		mu.Lock()
		got = append(got, string(p))
		mu.Unlock()
	})
	n2.store.HandleHint("test.touch", func(p []byte) { t.Errorf("follower received hint %q", p) })
	ctx := context.Background()
	if err := n2.store.SendHint(ctx, "test.touch", []byte("from n2")); err != nil {
		t.Fatal(err)
	}
	if err := n1.store.SendHint(ctx, "test.touch", []byte("from n1")); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if strings.Join(got, ",") != "from n2,from n1" {
		t.Errorf("leader received %q", got)
	}
	mu.Unlock()
	if err := n2.store.SendHint(ctx, "test.unknown", []byte("x")); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("unknown topic: %v", err)
	}
	if err := n2.store.SendHint(ctx, "test.touch", bytes.Repeat([]byte("x"), 1<<20+1)); err == nil {
		t.Error("oversized hint accepted")
	}
}
