package raftstore

// This file holds the engine batch one ApplyBatch call builds, with a fast
// path for the mutations' point reads.
//
// Almost every mutation first reads the record it is about to replace (a
// SET reads the old key record for its type, version and size). Pebble's
// Get on an indexed batch builds an iterator over the batch, every memtable
// and the overlapping tables, which costs about twice a plain Get on the
// engine. The apply goroutine is the engine's only writer, so the engine
// holds exactly the state before this batch: a key the batch has not
// written reads the same from the engine as from the batch, and a key it
// has written is answered from the batch's own record of its writes. Keys
// earlier batches read or wrote are answered by the recent cache
// (recent.go) without touching Pebble at all.

import (
	"errors"

	"github.com/aspen-db/aspen/engine"
)

// applyBatch is the indexed engine batch of one apply run plus the point
// writes it holds, by key.
type applyBatch struct {
	*engine.Batch
	db     *engine.DB
	recent *recentCache
	// points maps each key the batch sets or deletes to its newest value
	// (del true: deleted). Values are the caller's and never modified.
	points map[string]pointWrite
	// ranged is set once the batch holds a range delete or more point
	// writes than points keeps (trackLimit): a key may then be absent from
	// points and still differ from the engine, so reads go through the
	// batch.
	ranged bool
	// bulk is set once the batch holds more than trackLimit point writes:
	// a bulk load (CREATE INDEX, a large COPY) would spend more on
	// recording its writes than its reads save. The recent cache is
	// emptied and left alone for the rest of the batch.
	bulk bool
}

// trackLimit is how many point writes an applyBatch records in points and
// in the recent cache before it stops (see bulk).
var trackLimit = 1 << 14

// newApplyBatch starts a batch on db. points is an empty-able map to reuse;
// recent is the cache of keys earlier batches on db read and wrote (its
// owner resets it when db changes or a batch fails to commit).
func newApplyBatch(db *engine.DB, points map[string]pointWrite, recent *recentCache) *applyBatch {
	clear(points)
	return &applyBatch{Batch: db.NewIndexedBatch(), db: db, points: points, recent: recent}
}

// Set records key = value in the batch. The batch keeps value without
// copying it; the caller must not modify it afterwards.
func (b *applyBatch) Set(key, value []byte) {
	b.Batch.Set(key, value)
	if b.track() {
		b.points[string(key)] = pointWrite{value: value}
		b.recent.put(key, value, false)
	}
}

// track reports whether the next point write is to be recorded, turning
// the batch to bulk mode when it is one too many.
func (b *applyBatch) track() bool {
	if b.bulk {
		return false
	}
	if len(b.points) < trackLimit {
		return true
	}
	b.bulk, b.ranged = true, true
	clear(b.points)
	b.recent.clear()
	return false
}

// Delete records the deletion of key.
func (b *applyBatch) Delete(key []byte) {
	b.Batch.Delete(key)
	if b.track() {
		b.points[string(key)] = pointWrite{del: true}
		b.recent.put(key, nil, true)
	}
}

// DeleteRange records the deletion of [start, end). The point writes
// recorded so far are forgotten (the batch answers for them from now on);
// later ones are recorded as before.
func (b *applyBatch) DeleteRange(start, end []byte) {
	b.Batch.DeleteRange(start, end)
	b.ranged = true
	clear(b.points)
	if !b.bulk {
		b.recent.delRange(start, end)
	}
}

// Get returns a copy of key's value as the batch would commit it, or
// engine.ErrNotFound.
func (b *applyBatch) Get(key []byte) ([]byte, error) {
	if pw, ok := b.points[string(key)]; ok {
		if pw.del {
			return nil, engine.ErrNotFound
		}
		out := make([]byte, len(pw.value))
		copy(out, pw.value)
		return out, nil
	}
	if b.ranged {
		return b.Batch.Get(key)
	}
	if v, absent, ok := b.recent.get(key); ok {
		if absent {
			return nil, engine.ErrNotFound
		}
		out := make([]byte, len(v))
		copy(out, v)
		return out, nil
	}
	v, err := b.db.Get(key)
	switch {
	case err == nil:
		b.recent.put(key, v, false)
	case errors.Is(err, engine.ErrNotFound):
		b.recent.put(key, nil, true)
	default:
		return nil, err
	}
	return v, err
}
