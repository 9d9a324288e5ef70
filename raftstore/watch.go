package raftstore

// Prefix watches (layers.PrefixWatcher): the apply path records, per
// watched prefix, the last index whose commit wrote under it, so that a
// transaction can tell without reading that those keys are as they were
// at an earlier version.

import (
	"bytes"
	"math"
	"sync"
	"sync/atomic"

	"github.com/aspen-db/aspen/layers"
)

// PrefixWatch is one watched prefix of a Store.
type PrefixWatch struct {
	s      *Store
	prefix span
	// last is the highest applied index that wrote under the prefix, or
	// a conservative stand-in (the applied index when the watch began,
	// MaxUint64 while a snapshot is being installed). It advances under
	// snapMu before the applied index does, so a snapshot at index rv
	// that includes a write also sees last at least that write's index.
	last atomic.Uint64
	// pending is the index of this apply run's last write under the
	// prefix, 0 for none; used on the apply goroutine only.
	pending uint64
}

// prefixWatches are a store's watches.
type prefixWatches struct {
	mu   sync.Mutex
	list []*PrefixWatch
}

var _ layers.PrefixWatcher = (*Store)(nil)

// WatchPrefix implements layers.PrefixWatcher.
func (s *Store) WatchPrefix(prefix []byte) layers.PrefixWatch {
	w := &PrefixWatch{s: s, prefix: span{bytes.Clone(prefix), prefixEnd(prefix)}}
	s.snapMu.Lock()
	w.last.Store(s.applied.Load())
	s.watches.mu.Lock()
	s.watches.list = append(s.watches.list, w)
	s.watches.mu.Unlock()
	s.snapMu.Unlock()
	return w
}

// prefixEnd is the first key after every key that starts with p (nil,
// meaning no end, for a prefix of 0xff bytes only).
func prefixEnd(p []byte) []byte {
	end := bytes.Clone(p)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] != 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// overlaps reports whether the range [start, end) meets the prefix's.
func (w *PrefixWatch) overlaps(start, end []byte) bool {
	if w.prefix.end != nil && bytes.Compare(start, w.prefix.end) >= 0 {
		return false
	}
	return end == nil || bytes.Compare(w.prefix.start, end) < 0
}

// touches reports whether a write buffer writes under the prefix.
func (w *PrefixWatch) touches(buf *writeBuffer) bool {
	for _, r := range buf.ranges {
		if w.overlaps(r.start, r.end) {
			return true
		}
	}
	hit := false
	buf.points.Ascend(string(w.prefix.start), func(k string, _ pointWrite) bool {
		hit = w.prefix.end == nil || k < string(w.prefix.end)
		return false
	})
	return hit
}

// note records, on the apply path, that the commit at idx writes buf.
func (ws *prefixWatches) note(buf *writeBuffer, idx uint64) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	for _, w := range ws.list {
		if w.touches(buf) {
			w.pending = idx
		}
	}
}

// publish makes the apply run's noted writes visible; the caller holds
// snapMu and advances the applied index next.
func (ws *prefixWatches) publish() {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	for _, w := range ws.list {
		if w.pending != 0 {
			w.last.Store(w.pending)
			w.pending = 0
		}
	}
}

// reset sets every watch's last write to idx (MaxUint64: unknown), for a
// snapshot install that replaces the engine's state wholesale.
func (ws *prefixWatches) reset(idx uint64) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	for _, w := range ws.list {
		w.pending = 0
		w.last.Store(idx)
	}
}

// txnOf returns r as a transaction of the watch's store, or nil.
func (w *PrefixWatch) txnOf(r layers.Reader) *Txn {
	t, ok := r.(*Txn)
	if !ok || t.s != w.s || t.done {
		return nil
	}
	return t
}

// Version implements layers.PrefixWatch.
func (w *PrefixWatch) Version(r layers.Reader) (uint64, bool, error) {
	t := w.txnOf(r)
	if t == nil {
		return 0, false, nil
	}
	if err := t.startRead(); err != nil {
		return 0, false, err
	}
	if w.touches(&t.buf) {
		return 0, false, nil
	}
	return t.rv, true, nil
}

// Unchanged implements layers.PrefixWatch.
func (w *PrefixWatch) Unchanged(r layers.Reader, v uint64) (bool, error) {
	t := w.txnOf(r)
	if t == nil {
		return false, nil
	}
	if err := t.startRead(); err != nil {
		return false, err
	}
	if w.touches(&t.buf) {
		return false, nil
	}
	last := w.last.Load()
	return last != math.MaxUint64 && last <= min(v, t.rv), nil
}
