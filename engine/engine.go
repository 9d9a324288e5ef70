// Package engine is Aspen's one local store: a thin wrapper over Pebble that
// offers point reads, ordered range scans, write batches, snapshots and
// checkpoints, and nothing about replication.
//
// The replicated store above (raftstore) writes every batch with the Pebble
// WAL switched off, because the Raft log already is the write-ahead log: it
// stores the applied Raft index in the same batch as the data it covers, and
// on restart replays exactly the entries that are missing. Flush makes the
// applied state durable before the Raft log behind it may be truncated.
package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync/atomic"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/bloom"
	"github.com/cockroachdb/pebble/v2/vfs"
)

// ErrNotFound is returned by Get when a key has no value.
var ErrNotFound = errors.New("engine: key not found")

// Options configure Open. The zero value is usable.
type Options struct {
	// FS is the filesystem; nil means the operating system's. Tests may pass
	// vfs.NewMem().
	FS vfs.FS
	// CacheSize is the block cache size in bytes; 0 means 64 MiB.
	CacheSize int64
	// WAL enables Pebble's own write-ahead log. Aspen's replicated store
	// leaves it off (the Raft log is the WAL); standalone users turn it on.
	WAL bool
	// Logger receives Pebble's messages; nil means slog.Default().
	Logger *slog.Logger
	// ReadOnly opens the store for reading only.
	ReadOnly bool
}

// memTableSize trades flush frequency (hot keys rewritten many times are
// cheaper to keep in memory) against the cost of every point read and
// write, which searches the memtable skiplists: with random keys, SET with
// 64 clients ran at 17-19k/s with 64 MiB memtables and 21-23k/s with
// 16 MiB (redis-benchmark -t set -r 1000000 -c 64, one node).
const memTableSize = 16 << 20

// DB is an open store. It is safe for concurrent use.
type DB struct {
	db      *pebble.DB
	dir     string
	fs      vfs.FS
	corrupt atomic.Pointer[error]
}

// Open opens (creating if needed) the store in dir. A store whose files are
// corrupt or truncated fails to open with an error naming the directory and
// Pebble's reason; it is never served.
func Open(dir string, opts Options) (*DB, error) {
	fs := opts.FS
	if fs == nil {
		fs = vfs.Default
	}
	size := opts.CacheSize
	if size <= 0 {
		size = 64 << 20
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	cache := pebble.NewCache(size)
	defer cache.Unref()
	po := &pebble.Options{
		FS:                 fs,
		Cache:              cache,
		DisableWAL:         !opts.WAL,
		ReadOnly:           opts.ReadOnly,
		Logger:             pebbleLogger{logger.With("component", "pebble", "dir", dir)},
		FormatMajorVersion: pebble.FormatNewest,
		MemTableSize:       memTableSize,
	}
	// Point reads of absent keys (every SET of a new key reads it first)
	// would otherwise search the index blocks of every overlapping table.
	for i := range po.Levels {
		po.Levels[i].FilterPolicy = bloom.FilterPolicy(10)
	}
	d := &DB{dir: dir, fs: fs}
	// Pebble's default answer to detected on-disk corruption is to exit the
	// process from inside a read. Record it instead: the read that found it
	// fails on its own, and the node's owner stops serving through
	// Corruption (a clean stop, with the file named in the log).
	el := pebble.EventListener{DataCorruption: func(info pebble.DataCorruptionInfo) {
		err := fmt.Errorf("on-disk corruption in %s: %w", info.Path, info.Details)
		logger.Error("engine: on-disk corruption detected", "path", info.Path, "err", info.Details)
		d.corrupt.CompareAndSwap(nil, &err)
	}}
	el.EnsureDefaults(po.Logger)
	po.EventListener = &el
	db, err := pebble.Open(dir, po)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	d.db = db
	return d, nil
}

// Corruption returns the first on-disk corruption Pebble detected since
// Open, or nil.
func (d *DB) Corruption() error {
	if p := d.corrupt.Load(); p != nil {
		return *p
	}
	return nil
}

// Dir is the directory the store lives in.
func (d *DB) Dir() string { return d.dir }

// Close closes the store. Every snapshot and iterator must be closed first.
func (d *DB) Close() error {
	if err := d.db.Close(); err != nil {
		return fmt.Errorf("close store %s: %w", d.dir, err)
	}
	return nil
}

// Get returns a copy of the value under key, or ErrNotFound.
func (d *DB) Get(key []byte) ([]byte, error) {
	return get(d.db, key)
}

type getter interface {
	Get(key []byte) ([]byte, io.Closer, error)
}

func get(g getter, key []byte) ([]byte, error) {
	v, closer, err := g.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get: %w", err)
	}
	out := make([]byte, len(v))
	copy(out, v)
	closer.Close()
	return out, nil
}

// NewIter returns an iterator over [lower, upper) of the live store. A nil
// bound is open. The caller must Close it.
func (d *DB) NewIter(lower, upper []byte, reverse bool) *Iterator {
	it, err := d.db.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: upper})
	return newIterator(it, err, reverse)
}

// Flush writes the memtables to sstables and syncs them, making every
// applied batch durable.
func (d *DB) Flush() error {
	if err := d.db.Flush(); err != nil {
		return fmt.Errorf("flush store %s: %w", d.dir, err)
	}
	return nil
}

// Checkpoint writes a consistent, openable copy of the store into destDir,
// which must not exist. Memtables are flushed first so that the copy holds
// every applied batch even with the WAL off.
func (d *DB) Checkpoint(destDir string) error {
	if err := d.db.Flush(); err != nil {
		return fmt.Errorf("checkpoint %s: flush: %w", destDir, err)
	}
	if err := d.db.Checkpoint(destDir, pebble.WithFlushedWAL()); err != nil {
		return fmt.Errorf("checkpoint %s: %w", destDir, err)
	}
	return nil
}

// Metrics returns Pebble's metrics, for the admin endpoint.
func (d *DB) Metrics() *pebble.Metrics { return d.db.Metrics() }

// DiskUsage returns the bytes the store occupies on disk.
func (d *DB) DiskUsage() uint64 { return d.db.Metrics().DiskSpaceUsage() }

// Snapshot is a consistent, read-only view of the store at one moment.
type Snapshot struct {
	s *pebble.Snapshot
}

// NewSnapshot returns a view of the store as it is now. The caller must Close
// it; an open snapshot keeps old versions of keys alive.
func (d *DB) NewSnapshot() *Snapshot { return &Snapshot{s: d.db.NewSnapshot()} }

// Get returns a copy of the value under key in the snapshot, or ErrNotFound.
func (s *Snapshot) Get(key []byte) ([]byte, error) { return get(s.s, key) }

// NewIter returns an iterator over [lower, upper) of the snapshot.
func (s *Snapshot) NewIter(lower, upper []byte, reverse bool) *Iterator {
	it, err := s.s.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: upper})
	return newIterator(it, err, reverse)
}

// Close releases the snapshot.
func (s *Snapshot) Close() error { return s.s.Close() }

// Batch collects writes that are applied atomically by Commit.
type Batch struct {
	b *pebble.Batch
}

// NewBatch returns an empty batch. The caller must Commit or Close it.
func (d *DB) NewBatch() *Batch { return &Batch{b: d.db.NewBatch()} }

// NewIndexedBatch returns a batch whose Get and NewIter see the store's
// current state with the batch's own writes on top.
func (d *DB) NewIndexedBatch() *Batch { return &Batch{b: d.db.NewIndexedBatch()} }

// Set writes value under key. The batch copies both.
func (b *Batch) Set(key, value []byte) { _ = b.b.Set(key, value, nil) }

// Delete removes key.
func (b *Batch) Delete(key []byte) { _ = b.b.Delete(key, nil) }

// DeleteRange removes every key in [start, end).
func (b *Batch) DeleteRange(start, end []byte) { _ = b.b.DeleteRange(start, end, nil) }

// Get reads through an indexed batch: its own writes, then the store.
func (b *Batch) Get(key []byte) ([]byte, error) { return get(b.b, key) }

// NewIter iterates an indexed batch merged with the store.
func (b *Batch) NewIter(lower, upper []byte, reverse bool) *Iterator {
	it, err := b.b.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: upper})
	return newIterator(it, err, reverse)
}

// Len is the encoded size of the batch in bytes.
func (b *Batch) Len() int { return b.b.Len() }

// Empty reports whether the batch holds no writes.
func (b *Batch) Empty() bool { return b.b.Empty() }

// Commit applies the batch atomically. With sync, it is durable on return
// (only meaningful when the WAL is on). Commit closes the batch.
func (b *Batch) Commit(sync bool) error {
	opt := pebble.NoSync
	if sync {
		opt = pebble.Sync
	}
	err := b.b.Commit(opt)
	b.b.Close()
	if err != nil {
		return fmt.Errorf("commit batch: %w", err)
	}
	return nil
}

// Close discards an uncommitted batch.
func (b *Batch) Close() { _ = b.b.Close() }

// Iterator walks a key range in one direction. Key and Value are valid until
// the next call to Next or Close.
type Iterator struct {
	it      *pebble.Iterator
	err     error
	reverse bool
	started bool
	valid   bool
}

func newIterator(it *pebble.Iterator, err error, reverse bool) *Iterator {
	if err != nil {
		return &Iterator{err: fmt.Errorf("new iterator: %w", err)}
	}
	return &Iterator{it: it, reverse: reverse}
}

// Next advances to the next key and reports whether there is one.
func (i *Iterator) Next() bool {
	if i.it == nil || i.err != nil {
		return false
	}
	if !i.started {
		i.started = true
		if i.reverse {
			i.valid = i.it.Last()
		} else {
			i.valid = i.it.First()
		}
	} else if i.valid {
		if i.reverse {
			i.valid = i.it.Prev()
		} else {
			i.valid = i.it.Next()
		}
	}
	if !i.valid {
		if err := i.it.Error(); err != nil {
			i.err = fmt.Errorf("iterate: %w", err)
		}
	}
	return i.valid
}

// SeekGE moves an ascending iterator to the first key at or after key
// within its bounds and reports whether there is one; Key and Value are
// then that key's, and Next moves on from it. It costs one seek but no
// new iterator.
func (i *Iterator) SeekGE(key []byte) bool {
	if i.it == nil || i.err != nil {
		return false
	}
	if i.reverse {
		i.err = fmt.Errorf("iterate: SeekGE on a reverse iterator")
		return false
	}
	i.started = true
	i.valid = i.it.SeekGE(key)
	if !i.valid {
		if err := i.it.Error(); err != nil {
			i.err = fmt.Errorf("iterate: %w", err)
		}
	}
	return i.valid
}

// Key is the current key.
func (i *Iterator) Key() []byte { return i.it.Key() }

// Value is the current value.
func (i *Iterator) Value() []byte {
	v, err := i.it.ValueAndErr()
	if err != nil {
		i.err = fmt.Errorf("read value: %w", err)
		return nil
	}
	return v
}

// Err is the first error the iterator met.
func (i *Iterator) Err() error { return i.err }

// Close releases the iterator.
func (i *Iterator) Close() error {
	if i.it == nil {
		return i.err
	}
	err := i.it.Close()
	i.it = nil
	if i.err != nil {
		return i.err
	}
	return err
}

type pebbleLogger struct{ l *slog.Logger }

func (p pebbleLogger) Infof(format string, args ...any) {
	p.l.Debug(fmt.Sprintf(format, args...))
}

func (p pebbleLogger) Errorf(format string, args ...any) {
	p.l.Error(fmt.Sprintf(format, args...))
}

func (p pebbleLogger) Fatalf(format string, args ...any) {
	// Pebble calls Fatalf on unrecoverable corruption; stopping is the only
	// safe answer, and it must be loud.
	p.l.Error(fmt.Sprintf(format, args...))
	os.Exit(70)
}

// Verify reads every key and value of the store, so that Pebble checks the
// checksum of every block, and returns the first error, which names the
// damaged file. It stops with ctx's error when ctx is done. Its cost grows
// with the size of the store.
func (d *DB) Verify(ctx context.Context) error {
	it, err := d.db.NewIter(nil)
	if err != nil {
		return fmt.Errorf("verify store %s: %w", d.dir, err)
	}
	n := 0
	for valid := it.First(); valid; valid = it.Next() {
		if _, err := it.ValueAndErr(); err != nil {
			it.Close()
			return fmt.Errorf("verify store %s: %w", d.dir, err)
		}
		if n++; n%4096 == 0 && ctx.Err() != nil {
			it.Close()
			return ctx.Err()
		}
	}
	err = it.Error()
	if cerr := it.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("verify store %s: %w", d.dir, err)
	}
	return nil
}
