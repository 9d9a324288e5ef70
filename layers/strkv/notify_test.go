package strkv_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

// keyspaceLog collects the keyspace events a store announces.
type keyspaceLog struct {
	mu     sync.Mutex
	events []string
}

func (l *keyspaceLog) listen(t testing.TB, kv layers.KV) {
	t.Helper()
	n, ok := kv.(layers.Notifier)
	if !ok {
		t.Fatal("store announces no events")
	}
	t.Cleanup(n.Listen(func(ev layers.Event) {
		if ev.Topic != strkv.TopicKeyspace {
			return
		}
		class, db, event, key, err := strkv.DecodeKeyspaceEvent(ev.Payload)
		l.mu.Lock()
		defer l.mu.Unlock()
		if err != nil {
			l.events = append(l.events, err.Error())
			return
		}
		l.events = append(l.events, fmt.Sprintf("%d %d %s %s", class, db, event, key))
	}))
}

// take returns the events seen so far and forgets them. Events are
// delivered once the commit is applied, before Run returns.
func (l *keyspaceLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.events
	l.events = nil
	return out
}

// TestNotifyKeyHint checks that mutations announce keyspace events only
// while some store of the process enables them, that the replicated
// setting is stored, and that the hint drops once every tracker has seen
// it switched off.
func TestNotifyKeyHint(t *testing.T) {
	s, kv := newStore(t)
	ctx := ctxT(t)
	var log keyspaceLog
	log.listen(t, kv)
	owner := new(int)
	t.Cleanup(func() { strkv.ReleaseNotifyMask(owner) })

	mustRun := func(muts ...strkv.Mutation) {
		t.Helper()
		if _, err := s.Run(ctx, muts...); err != nil {
			t.Fatal(err)
		}
	}
	mustRun(strkv.SetOp(0, []byte("k"), []byte("v"), strkv.SetOptions{}))
	if got := log.take(); len(got) != 0 {
		t.Fatalf("events with notifications off: %q", got)
	}

	// Switched on in the same commit as a write: the write announces
	// itself at once, before any tracker saw the change.
	on := strkv.NotifyKeyspace | strkv.NotifyGeneric | strkv.NotifyString
	mustRun(strkv.NotifyConfigOp(on), strkv.SetOp(0, []byte("k"), []byte("v2"), strkv.SetOptions{}))
	strkv.TrackNotifyMask(owner, on, true)
	want := []string{fmt.Sprintf("%d 0 set k", strkv.NotifyString)}
	if got := log.take(); !slices.Equal(got, want) {
		t.Fatalf("events = %q, want %q", got, want)
	}
	var stored strkv.Class
	if err := s.View(ctx, func(r *strkv.Reader) error {
		var err error
		stored, err = strkv.ReadNotifyConfig(r.Source())
		return err
	}); err != nil || stored != on {
		t.Fatalf("stored setting = %v, %v; want %v", stored, err, on)
	}

	mustRun(strkv.IncrByOp(0, []byte("n"), 1), strkv.DelOp(0, []byte("k"), []byte("nokey")))
	want = []string{
		fmt.Sprintf("%d 0 incrby n", strkv.NotifyString),
		fmt.Sprintf("%d 0 del k", strkv.NotifyGeneric),
	}
	if got := log.take(); !slices.Equal(got, want) {
		t.Fatalf("events = %q, want %q", got, want)
	}

	// Off again: once the tracker saw it, nothing is announced.
	mustRun(strkv.NotifyConfigOp(0))
	strkv.TrackNotifyMask(owner, 0, true)
	if strkv.Notifying(strkv.NotifyString) {
		t.Fatal("hint still on after every tracker switched off")
	}
	mustRun(strkv.SetOp(0, []byte("k"), []byte("v"), strkv.SetOptions{}))
	if got := log.take(); len(got) != 0 {
		t.Fatalf("events after switching off: %q", got)
	}

	// Without K or E no message can result: the classes alone raise
	// nothing.
	mustRun(strkv.NotifyConfigOp(strkv.NotifyString))
	strkv.TrackNotifyMask(owner, strkv.NotifyString, true)
	if strkv.Notifying(strkv.NotifyString) {
		t.Fatal("hint on for classes without K or E")
	}
}

// BenchmarkSetApply measures the apply cost of SET, 100 per commit, with
// keyspace notifications off (the default: each write only checks the
// hint) and on.
func BenchmarkSetApply(b *testing.B) {
	kv := raftstoretest.NewWithMutations(b, strkv.Mutations())
	s := strkv.New(kv)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	muts := make([]strkv.Mutation, 100)
	for i := range muts {
		muts[i] = strkv.SetOp(0, fmt.Appendf(nil, "key:%03d", i), []byte("0123456789abcdef"), strkv.SetOptions{})
	}
	run := func(b *testing.B) {
		for i := 0; i < b.N; i += len(muts) {
			if _, err := s.Run(ctx, muts...); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("notify=off", run)
	owner := new(int)
	defer strkv.ReleaseNotifyMask(owner)
	all := strkv.NotifyKeyspace | strkv.NotifyKeyevent | strkv.NotifyGeneric | strkv.NotifyString
	if _, err := s.Run(ctx, strkv.NotifyConfigOp(all)); err != nil {
		b.Fatal(err)
	}
	strkv.TrackNotifyMask(owner, all, true)
	b.Run("notify=on", run)
	if _, err := s.Run(ctx, strkv.NotifyConfigOp(0)); err != nil {
		b.Fatal(err)
	}
	strkv.TrackNotifyMask(owner, 0, true)
}

// BenchmarkNotifyKeyOff measures what a write pays for an event no store
// enables: one atomic load, no allocation.
func BenchmarkNotifyKeyOff(b *testing.B) {
	if strkv.Notifying(strkv.NotifyString) {
		b.Skip("notifications are on in this process")
	}
	key := []byte("key")
	b.ReportAllocs()
	for range b.N {
		strkv.NotifyKey(nil, strkv.NotifyString, "set", 0, key)
	}
}
