package raftstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aspen-db/aspen/engine"
	"github.com/aspen-db/aspen/layers"
)

// Txn is a transaction: reads from one engine snapshot at its read version,
// writes buffered until Commit, and an optimistic conflict check when the
// commit is applied. A Txn is not safe for concurrent use.
type Txn struct {
	s *Store
	// ctx bounds the read-index wait of the first read. The read version
	// is taken lazily: a transaction that only writes or mutates needs no
	// round trip to the leader before its commit.
	ctx   context.Context
	sh    *sharedSnap // snap's owner (sharedsnap.go)
	snap  *engine.Snapshot
	rv    uint64
	buf   writeBuffer
	reads []span
	muts  []mutation
	err   error // the first invalid write, reported by Commit
	done  bool
}

var _ layers.Txn = (*Txn)(nil)

// Begin starts a transaction that sees every write acknowledged before it
// was called, on whichever node it runs.
func (s *Store) Begin(ctx context.Context) (layers.Txn, error) {
	return s.BeginTxn(ctx)
}

// BeginTxn is Begin with the concrete type. The read version is fixed by
// the first read, which waits (bounded by ctx) for the leader to confirm
// it; a transaction that never reads commits without that wait.
func (s *Store) BeginTxn(ctx context.Context) (*Txn, error) {
	select {
	case <-s.closing:
		return nil, ErrClosed
	default:
	}
	return &Txn{s: s, ctx: ctx}, nil
}

// startRead fixes the read version on the first read.
func (t *Txn) startRead() error {
	if t.snap != nil {
		return nil
	}
	if err := t.s.WaitRead(t.ctx); err != nil {
		return err
	}
	t.sh = t.s.snapshotAtApplied()
	t.snap, t.rv = t.sh.snap, t.sh.rv
	return nil
}

// BeginStale starts a transaction on this node's applied state without
// asking the leader: it may miss the latest writes, and is for clients that
// ask for stale reads.
func (s *Store) BeginStale() *Txn {
	t := &Txn{s: s, ctx: context.Background()}
	t.sh = s.snapshotAtApplied()
	t.snap, t.rv = t.sh.snap, t.sh.rv
	return t
}

// ReadVersion is the applied index the transaction reads at, or 0 before
// its first read.
func (t *Txn) ReadVersion() uint64 { return t.rv }

// Get returns the value of key as of the read version, with the
// transaction's own writes applied.
func (t *Txn) Get(key []byte) ([]byte, error) {
	if t.done {
		return nil, ErrTxnDone
	}
	if v, del, ok := t.buf.lookup(key); ok {
		if del {
			return nil, layers.ErrNotFound
		}
		return bytes.Clone(v), nil
	}
	if err := t.startRead(); err != nil {
		return nil, err
	}
	t.reads = append(t.reads, span{bytes.Clone(key), keyAfter(key)})
	v, err := t.snap.Get(key)
	if errors.Is(err, engine.ErrNotFound) {
		return nil, layers.ErrNotFound
	}
	return v, err
}

// keyAfter is the first key after k in byte order.
func keyAfter(k []byte) []byte {
	out := make([]byte, len(k)+1)
	copy(out, k)
	return out
}

// Scan iterates [start, end) as of the read version, with the transaction's
// own writes applied. The part of the range actually read is recorded for
// the conflict check when the iterator is closed.
func (t *Txn) Scan(start, end []byte, reverse bool) layers.Iterator {
	if t.done {
		return &errIter{ErrTxnDone}
	}
	if end == nil || bytes.Compare(end, sysPrefix) > 0 {
		end = sysPrefix
	}
	if err := t.startRead(); err != nil {
		return &errIter{err}
	}
	start, end = bytes.Clone(start), bytes.Clone(end)
	m := newMergeIter(t.snap.NewIter(start, end, reverse), &t.buf, start, end, reverse)
	m.onClose = func(last []byte, exhausted bool) {
		switch {
		case exhausted:
			t.reads = append(t.reads, span{start, end})
		case last == nil:
		case reverse:
			t.reads = append(t.reads, span{bytes.Clone(last), end})
		default:
			t.reads = append(t.reads, span{start, keyAfter(last)})
		}
	}
	return m
}

type errIter struct{ err error }

func (e *errIter) Next() bool    { return false }
func (e *errIter) Key() []byte   { return nil }
func (e *errIter) Value() []byte { return nil }
func (e *errIter) Err() error    { return e.err }
func (e *errIter) Close() error  { return e.err }

func (t *Txn) checkKey(k []byte) bool {
	if isSystemKey(k) {
		if t.err == nil {
			t.err = fmt.Errorf("write %x: %w", k, errSystemKey)
		}
		return false
	}
	return true
}

// Set buffers a write.
func (t *Txn) Set(key, value []byte) {
	if t.checkKey(key) {
		t.buf.set(key, value)
	}
}

// Delete buffers a delete.
func (t *Txn) Delete(key []byte) {
	if t.checkKey(key) {
		t.buf.del(key)
	}
}

// DeleteRange buffers the removal of [start, end).
func (t *Txn) DeleteRange(start, end []byte) {
	if t.checkKey(start) && t.checkKey(end) {
		t.buf.delRange(start, end)
	}
}

// Mutate buffers a deterministic mutation.
func (t *Txn) Mutate(op string, args []byte) {
	t.muts = append(t.muts, mutation{op: op, args: bytes.Clone(args)})
}

// Savepoint marks the transaction's writes and mutations so far. Calling
// the returned function, any number of times before Commit or Rollback,
// discards what was buffered after the mark (writes, range deletes,
// mutations, a recorded invalid write); the reads made since stay, so they
// still count for conflicts. Marking is O(1): the write buffer's tree is
// copied on write.
func (t *Txn) Savepoint() (rollbackTo func()) {
	points := t.buf.points.Copy()
	nRanges, size, nMuts, err := len(t.buf.ranges), t.buf.size, len(t.muts), t.err
	return func() {
		t.buf.points = *points.Copy()
		t.buf.ranges = t.buf.ranges[:nRanges:nRanges]
		t.buf.size = size
		t.muts = t.muts[:nMuts:nMuts]
		t.err = err
	}
}

// AddReadConflictRange marks [start, end) as read.
func (t *Txn) AddReadConflictRange(start, end []byte) {
	t.reads = append(t.reads, span{bytes.Clone(start), bytes.Clone(end)})
}

// Rollback releases the transaction's snapshot. Safe to call twice.
func (t *Txn) Rollback() {
	if t.done {
		return
	}
	t.done = true
	if t.sh != nil {
		t.s.releaseSnap(t.sh)
	}
}

// Commit proposes the transaction and waits for it to be applied. A
// transaction without writes or mutations commits at once: its reads were
// one consistent snapshot.
func (t *Txn) Commit(ctx context.Context) (layers.CommitResult, error) {
	if t.done {
		return layers.CommitResult{}, ErrTxnDone
	}
	defer t.Rollback()
	if t.err != nil {
		return layers.CommitResult{}, t.err
	}
	if t.buf.empty() && len(t.muts) == 0 {
		return layers.CommitResult{Version: t.rv}, nil
	}
	e := &txnEntry{readVersion: t.rv, reads: t.reads, rangeDels: t.buf.ranges, muts: t.muts}
	e.points = t.buf.entriesIn(nil, nil, false)
	// The snapshot is not needed any more; let go of it before waiting.
	t.Rollback()
	return t.s.commit(ctx, e.encode())
}

// commit sends an encoded transaction to the leader and turns the outcome
// into a result or an error.
func (s *Store) commit(ctx context.Context, data []byte) (layers.CommitResult, error) {
	start := time.Now()
	o, err := s.proposeOrForward(ctx, data)
	if err != nil {
		return layers.CommitResult{}, err
	}
	switch o.status {
	case outcomeOK:
		s.metrics.commitSeconds.Observe(time.Since(start).Seconds())
		return layers.CommitResult{Version: o.version, Time: time.UnixMicro(o.nowMicros), Results: o.results}, nil
	case outcomeConflict:
		return layers.CommitResult{}, ErrConflict
	case outcomeTooOld:
		return layers.CommitResult{}, ErrTooOld
	default:
		return layers.CommitResult{}, fmt.Errorf("commit: %s", o.msg)
	}
}
