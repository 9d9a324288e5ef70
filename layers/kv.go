// Package layers holds Aspen's data models built on ordered keys, and the small
// key-value interface they need from the replicated store.
//
// The layers never import the store: cmd/aspen-server hands them a value that
// satisfies KV. Errors that callers must react to (a conflict, a lost leader) are
// recognised by behaviour through the Retryable interface, not by type.
package layers

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
)

// ErrNotFound is returned by Get when a key has no value.
var ErrNotFound = errors.New("key not found")

// KV is the transactional, ordered key-value store the layers are written
// against. Keys are raw bytes; the layers shape them with tuple encoding and
// subspaces. Keys that begin with 0xff are reserved for the store itself.
type KV interface {
	// Begin starts a transaction. Its reads all see one consistent state,
	// fixed by its first read, that includes every write acknowledged
	// before that read (linearizable), as PostgreSQL takes a serializable
	// transaction's snapshot at its first statement. A transaction that
	// never reads commits without waiting for a read version. ctx bounds
	// that first read's wait as well. The caller must call Commit or
	// Rollback.
	Begin(ctx context.Context) (Txn, error)
}

// Reader is the read half of a transaction.
type Reader interface {
	// Get returns the value of key, or ErrNotFound. The returned slice is
	// owned by the caller.
	Get(key []byte) ([]byte, error)
	// Scan returns an iterator over keys in [start, end), in ascending order,
	// or descending order when reverse is true. The caller must Close it.
	// The iterator sees the transaction's own buffered writes.
	Scan(start, end []byte, reverse bool) Iterator
	// ReadVersion is the store version (Raft applied index) the reads see.
	ReadVersion() uint64
}

// Iterator walks an ordered key range. Key and Value are valid until the next
// call to Next or Close; copy them to keep them.
type Iterator interface {
	Next() bool
	Key() []byte
	Value() []byte
	Err() error
	Close() error
}

// Seeker is implemented by the ascending iterators of Scan that can jump
// forward without a new scan: after SeekGE(key), Next moves to the first
// key of the scanned range at or after key. key must not come before the
// last key Next returned. Callers check for it with a type assertion and
// scan again when an iterator lacks it.
type Seeker interface {
	SeekGE(key []byte)
}

// Txn is a transaction: reads at one read version, buffered writes, and an
// optimistic conflict check when it commits.
type Txn interface {
	Reader
	// Set buffers a write of value under key.
	Set(key, value []byte)
	// Delete buffers the removal of key.
	Delete(key []byte)
	// DeleteRange buffers the removal of every key in [start, end).
	DeleteRange(start, end []byte)
	// Mutate buffers a deterministic mutation: the operation registered under
	// op runs with args against the state current when the commit is applied,
	// on every replica alike. Mutations never cause a conflict; their results
	// are returned by Commit in the order they were added.
	Mutate(op string, args []byte)
	// Savepoint marks the writes and mutations buffered so far; calling
	// the returned function (any number of times) discards those buffered
	// after the mark, as SQL's ROLLBACK TO SAVEPOINT does. Reads made since
	// the mark still count for conflicts.
	Savepoint() (rollbackTo func())
	// AddReadConflictRange marks [start, end) as read, so that the commit
	// fails if another transaction wrote there after the read version. Get
	// and Scan add their own ranges.
	AddReadConflictRange(start, end []byte)
	// Commit proposes the transaction and waits until it is applied. It
	// returns the results of the mutations. A conflict returns an error for
	// which IsRetryable reports true.
	Commit(ctx context.Context) (CommitResult, error)
	// Rollback discards the transaction. It is safe to call after Commit.
	Rollback()
}

// CommitResult is what a successful commit reports.
type CommitResult struct {
	// Version is the store version at which the writes became visible.
	Version uint64
	// Time is the leader's clock stamped on the commit, the same on every
	// replica.
	Time time.Time
	// Results holds one entry per Mutate call, in order.
	Results [][]byte
}

// Mutator is the view of the store a deterministic mutation runs against at
// apply time. Its reads see the writes made earlier in the same commit.
type Mutator interface {
	// Get returns the value of key, or ErrNotFound.
	Get(key []byte) ([]byte, error)
	// Scan iterates [start, end) as Reader.Scan does. The caller must Close
	// the iterator before the mutation returns.
	Scan(start, end []byte, reverse bool) Iterator
	Set(key, value []byte)
	Delete(key []byte)
	DeleteRange(start, end []byte)
	// Now is the commit's timestamp, chosen once by the leader.
	Now() time.Time
	// Notify records an event for this replica's listeners (see
	// Notifier). Events are delivered after the commit is applied, in
	// commit order, on every replica alike; a commit that fails delivers
	// none of its events.
	Notify(ev Event)
}

// Event is a change a mutation announces to the node-local listeners of
// every replica: a list push that may wake a blocked BLPOP, a keyspace
// notification. Topic names the kind (layers prefix it with their name);
// Payload is the layer's own encoding.
type Event struct {
	Topic   string
	Payload []byte
}

// Notifier is implemented by stores whose mutations can emit events.
type Notifier interface {
	// Listen calls fn with every event applied on this node from now on,
	// in commit order, until the returned cancel is called. fn runs on the
	// apply path: it must not block or call back into the store; hand the
	// event to another goroutine instead.
	Listen(fn func(Event)) (cancel func())
}

// MutationFunc is a deterministic mutation: given the same state, args and
// time it must make the same writes and return the same result on every
// replica. It must not keep references to the Mutator.
type MutationFunc func(m Mutator, args []byte) ([]byte, error)

// Retryable is implemented by errors after which the whole transaction may be
// retried from Begin: conflicts, a read version too old, a leader change.
type Retryable interface {
	Retryable() bool
}

// IsRetryable reports whether err, or an error it wraps, says the
// transaction may be retried.
func IsRetryable(err error) bool {
	var r Retryable
	return errors.As(err, &r) && r.Retryable()
}

// Update runs fn in a transaction and commits it, retrying from the start
// while the commit fails with a retryable error and ctx is not done.
func Update(ctx context.Context, kv KV, fn func(tx Txn) error) (CommitResult, error) {
	backoff := time.Millisecond
	for {
		tx, err := kv.Begin(ctx)
		if err != nil {
			if IsRetryable(err) && ctx.Err() == nil {
				if !sleep(ctx, &backoff) {
					return CommitResult{}, err
				}
				continue
			}
			return CommitResult{}, err
		}
		if err := fn(tx); err != nil {
			tx.Rollback()
			return CommitResult{}, err
		}
		res, err := tx.Commit(ctx)
		if err == nil {
			return res, nil
		}
		if !IsRetryable(err) || ctx.Err() != nil {
			return CommitResult{}, err
		}
		if !sleep(ctx, &backoff) {
			return CommitResult{}, err
		}
	}
}

// View runs fn in a read-only transaction.
func View(ctx context.Context, kv KV, fn func(r Reader) error) error {
	tx, err := kv.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// sleep waits a random time in [backoff/2, backoff], so that transactions
// that conflicted with each other do not retry in step, then doubles the
// backoff up to 100 ms.
func sleep(ctx context.Context, backoff *time.Duration) bool {
	d := *backoff/2 + rand.N(*backoff/2+1)
	t := time.NewTimer(d)
	defer t.Stop()
	if *backoff < 100*time.Millisecond {
		*backoff *= 2
	}
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
