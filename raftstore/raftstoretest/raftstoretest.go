// Package raftstoretest opens real single-node replicated stores for tests
// of the packages above raftstore: a temp data directory, a loopback Raft
// transport, and a bootstrapped one-node cluster that is leader on return.
package raftstoretest

import (
	"context"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/raftstore"
)

// New opens a single-node store with no mutations registered. It is closed
// when the test ends.
func New(tb testing.TB) *raftstore.Store {
	return NewWithMutations(tb, nil)
}

// NewWithMutations opens a single-node store with the given deterministic
// mutations registered.
func NewWithMutations(tb testing.TB, muts map[string]layers.MutationFunc) *raftstore.Store {
	tb.Helper()
	return Open(tb, tb.TempDir(), muts)
}

// Open opens (or reopens) a single-node store in dir, closed when the test
// ends.
func Open(tb testing.TB, dir string, muts map[string]layers.MutationFunc) *raftstore.Store {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := raftstore.Open(ctx, raftstore.Config{
		Dir:              dir,
		Meta:             raftstore.NodeMeta{ID: "test-node", RaftAddr: FreeAddr(tb)},
		Mutations:        muts,
		Logger:           slog.New(slog.DiscardHandler),
		HeartbeatTimeout: 200 * time.Millisecond,
		ElectionTimeout:  200 * time.Millisecond,
	})
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	if err := s.WaitRead(ctx); err != nil {
		tb.Fatalf("store never became ready: %v", err)
	}
	return s
}

// FreeAddr returns a loopback address with a port that was free a moment ago.
func FreeAddr(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("find a free port: %v", err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
