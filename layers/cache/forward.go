package cache

// Forwarding accesses: a follower's clients' reads, sent to the leader,
// which alone chooses LRU and LFU victims.

import (
	"context"
	"encoding/binary"
	"errors"
	"sync"
	"sync/atomic"
)

// HintTouches is the topic of the hints (raftstore.Store.SendHint) that
// carry a follower's key accesses to the leader.
const HintTouches = "cache.touches"

// Bounds of the access forwarding: the distinct keys a follower buffers
// between two flushes (more are dropped: the hottest keys are the ones
// touched early and often), and the touches one key counts per flush.
const (
	maxPendingTouches = 8192
	maxTouchesPerKey  = 16
)

// forwarder sends a follower's accesses to the leader.
type forwarder struct {
	send     func(ctx context.Context, payload []byte) error
	isLeader func() bool

	mu      sync.Mutex
	pending map[string]touch // trackerKey -> accesses since the last flush
}

type touch struct {
	db    int
	key   []byte
	count uint32
}

// SetForwarder makes this node, while it does not lead (isLeader), buffer
// the accesses its clients make and send them to the leader with send at
// each Run interval, so that the leader's LRU and LFU clocks see reads
// made on every node. The leader must pass what it receives to
// ReceiveTouches.
func (c *Cache) SetForwarder(send func(ctx context.Context, payload []byte) error, isLeader func() bool) {
	c.fwd.Store(&forwarder{send: send, isLeader: isLeader, pending: map[string]touch{}})
}

// forwardTouch buffers an access for the leader when this node follows.
func (c *Cache) forwardTouch(db int, key []byte) {
	f := c.fwd.Load()
	if f == nil || f.isLeader() {
		return
	}
	k := trackerKey(db, key)
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.pending[k]
	if !ok {
		if len(f.pending) >= maxPendingTouches {
			return
		}
		t = touch{db: db, key: append([]byte(nil), key...)}
	}
	if t.count < maxTouchesPerKey {
		t.count++
	}
	f.pending[k] = t
}

// flushTouches sends the buffered accesses to the leader. A failed send
// drops them: they are advice, and the next interval brings fresh ones.
func (c *Cache) flushTouches(ctx context.Context) {
	f := c.fwd.Load()
	if f == nil {
		return
	}
	f.mu.Lock()
	pending := f.pending
	if len(pending) > 0 {
		f.pending = make(map[string]touch, len(pending))
	}
	f.mu.Unlock()
	if len(pending) == 0 || f.isLeader() {
		return
	}
	if err := f.send(ctx, encodeTouches(pending)); err != nil && ctx.Err() == nil {
		c.logger.Debug("cache: forward accesses to the leader", "keys", len(pending), "err", err)
	}
}

func encodeTouches(pending map[string]touch) []byte {
	b := binary.AppendUvarint(nil, uint64(len(pending)))
	for _, t := range pending {
		b = binary.AppendUvarint(b, uint64(t.db))
		b = binary.AppendUvarint(b, uint64(len(t.key)))
		b = append(b, t.key...)
		b = binary.AppendUvarint(b, uint64(t.count))
	}
	return b
}

var errBadTouches = errors.New("cache: malformed access hint")

// decodeTouches calls fn for each access of a hint, stopping at the first
// malformed entry.
func decodeTouches(b []byte, fn func(db int, key []byte, count int)) error {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return errBadTouches
	}
	b = b[k:]
	for ; n > 0; n-- {
		db, k := binary.Uvarint(b)
		if k <= 0 || db > 1<<20 {
			return errBadTouches
		}
		b = b[k:]
		kl, k := binary.Uvarint(b)
		if k <= 0 || kl > uint64(len(b)-k) {
			return errBadTouches
		}
		key := b[k : k+int(kl)]
		b = b[k+int(kl):]
		cnt, k := binary.Uvarint(b)
		if k <= 0 {
			return errBadTouches
		}
		b = b[k:]
		fn(int(db), key, int(min(cnt, maxTouchesPerKey)))
	}
	return nil
}

// ReceiveTouches applies a follower's forwarded accesses to this node's
// clocks (call it on the leader for the HintTouches topic). A malformed
// hint is ignored from the first bad entry on.
func (c *Cache) ReceiveTouches(payload []byte) {
	now := c.now()
	err := decodeTouches(payload, func(db int, key []byte, count int) {
		for range count {
			c.tracker.Touch(db, key, now)
		}
	})
	if err != nil {
		c.logger.Debug("cache: ignoring an access hint", "err", err)
	}
}

// fwdPointer is the atomic pointer type Cache holds its forwarder in.
type fwdPointer = atomic.Pointer[forwarder]
