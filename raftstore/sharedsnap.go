package raftstore

// Shared read snapshots: transactions that fix their read version at the
// same applied index share one engine snapshot instead of each opening
// and closing its own (an engine snapshot is read-only and safe for
// concurrent reads). The store keeps the newest one open until the applied
// index moves on, so read-only loads pay for one snapshot per index
// instead of one per transaction.

import "github.com/aspen-db/aspen/engine"

// sharedSnap is an engine snapshot at one applied index with the number
// of its holders: the transactions using it, and the Store while it is
// the current one (curSnap). refs and curSnap are guarded by snapMu.
type sharedSnap struct {
	h    *dbHandle
	snap *engine.Snapshot
	rv   uint64
	refs int
}

// snapshotAtApplied returns a snapshot of the engine at the applied
// index, shared with the other transactions that read at that index. The
// caller releases it with releaseSnap.
func (s *Store) snapshotAtApplied() *sharedSnap {
	// The applied index and the snapshot are taken together, under the lock
	// that the apply path holds while it commits a batch and advances the
	// index, so the snapshot holds exactly the state at rv.
	s.snapMu.Lock()
	rv := s.applied.Load()
	if c := s.curSnap; c != nil && c.rv == rv && c.h == s.handle.Load() && !c.h.retired.Load() {
		c.refs++
		s.snapMu.Unlock()
		return c
	}
	old := s.takeCurSnapLocked()
	h := s.acquire()
	c := &sharedSnap{h: h, snap: h.db.NewSnapshot(), rv: rv, refs: 2}
	s.curSnap = c
	s.snapMu.Unlock()
	s.closeSnap(old)
	return c
}

// releaseSnap gives back a snapshot from snapshotAtApplied.
func (s *Store) releaseSnap(c *sharedSnap) {
	s.snapMu.Lock()
	c.refs--
	last := c.refs == 0
	s.snapMu.Unlock()
	if last {
		c.snap.Close()
		c.h.release()
	}
}

// takeCurSnapLocked ends the store's hold on the current snapshot and
// returns it if that was the last hold (for closeSnap, outside the lock);
// the caller holds snapMu. The apply path calls it when the applied index
// advances, so that an idle store keeps no old state pinned.
func (s *Store) takeCurSnapLocked() *sharedSnap {
	c := s.curSnap
	if c == nil {
		return nil
	}
	s.curSnap = nil
	c.refs--
	if c.refs > 0 {
		return nil
	}
	return c
}

// closeSnap closes a snapshot that takeCurSnapLocked returned (nil is
// ignored).
func (s *Store) closeSnap(c *sharedSnap) {
	if c != nil {
		c.snap.Close()
		c.h.release()
	}
}

// dropCurSnap ends the store's hold on its current snapshot (before an
// engine swap or close).
func (s *Store) dropCurSnap() {
	s.snapMu.Lock()
	c := s.takeCurSnapLocked()
	s.snapMu.Unlock()
	s.closeSnap(c)
}
