package cache

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

// TestForwardedAccessesKeepHotSet reads the hot keys only through a
// follower's Cache: the accesses reach the leader's clocks through the
// forwarder, and allkeys-lru on the leader keeps them.
func TestForwardedAccessesKeepHotSet(t *testing.T) {
	leader, strs, now := newTestCache(t)
	per := fill(t, leader, strs, 200, func(i int) string { return fmt.Sprintf("k%03d", i) }, func(int) time.Duration { return 0 })

	follower, _, fnow := newTestCache(t)
	var sent int
	follower.SetForwarder(func(_ context.Context, payload []byte) error {
		sent++
		leader.ReceiveTouches(payload)
		return nil
	}, func() bool { return false })

	*now = now.Add(time.Minute)
	*fnow = *now
	for i := 0; i < 200; i += 10 {
		follower.Touch(0, fmt.Appendf(nil, "k%03d", i))
	}
	follower.flushTouches(context.Background())
	if sent != 1 {
		t.Fatalf("%d hints sent, want 1", sent)
	}
	follower.flushTouches(context.Background())
	if sent != 1 {
		t.Fatalf("an empty buffer was sent")
	}
	leader.SetConfig(Config{MaxMemory: leader.Used() - 100*per, Policy: AllKeysLRU, Samples: 10})
	left := evictAll(t, leader, strs)
	for i := 0; i < 200; i += 10 {
		if !slices.Contains(left, fmt.Sprintf("k%03d", i)) {
			t.Fatalf("key k%03d, read on the follower, evicted by the leader under allkeys-lru", i)
		}
	}
}

func TestForwardingBoundsAndLeader(t *testing.T) {
	c, _, _ := newTestCache(t)
	leading := false
	var payloads [][]byte
	c.SetForwarder(func(_ context.Context, p []byte) error {
		payloads = append(payloads, p)
		return nil
	}, func() bool { return leading })
	for i := range maxPendingTouches + 500 {
		c.Touch(0, fmt.Appendf(nil, "key%d", i))
	}
	for range 100 {
		c.Touch(3, []byte("key0"))
	}
	c.flushTouches(context.Background())
	if len(payloads) != 1 {
		t.Fatalf("%d payloads", len(payloads))
	}
	n, counts := 0, map[string]int{}
	if err := decodeTouches(payloads[0], func(db int, key []byte, count int) {
		n++
		counts[fmt.Sprintf("%d %s", db, key)] = count
	}); err != nil {
		t.Fatal(err)
	}
	if n != maxPendingTouches {
		t.Errorf("%d keys forwarded, want the bound %d", n, maxPendingTouches)
	}
	if counts["0 key0"] != 1 {
		t.Errorf("key0 in db 0 counted %d", counts["0 key0"])
	}
	// While this node leads it keeps its accesses to itself.
	leading = true
	c.Touch(0, []byte("x"))
	c.flushTouches(context.Background())
	if len(payloads) != 1 {
		t.Errorf("a leader forwarded its accesses")
	}
}

// FuzzReceiveTouches feeds arbitrary hints to the leader side: never a
// panic, and no allocation sized by a declared length.
func FuzzReceiveTouches(f *testing.F) {
	f.Add(encodeTouches(map[string]touch{"a": {db: 1, key: []byte("k"), count: 3}}))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Add([]byte{1, 0, 0xff, 0xff, 0x03})
	c := New(nil, nil)
	f.Fuzz(func(t *testing.T, b []byte) {
		c.ReceiveTouches(b)
	})
}
