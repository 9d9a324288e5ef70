package raftstore

// This file holds the durable Raft log: a hashicorp/raft LogStore and
// StableStore kept in a Pebble instance of its own, separate from the Pebble
// store that holds the replicated data.
//
// Key layout (all keys start with one prefix byte):
//
//	0x01 + uint64 big-endian index   -> one encoded raft.Log
//	0x02 + raw key bytes             -> one encoded stable value
//
// Big-endian indexes make Pebble's byte order equal to log order, so the
// first and last entries are one seek away and a run of entries is one
// contiguous key range that a single range tombstone removes.
//
// Log entry encoding, version 1 (all integers little-endian or varint):
//
//	byte     format version (1)
//	byte     raft.LogType
//	byte     flags (bit 0: AppendedAt present)
//	uvarint  Index
//	uvarint  Term
//	varint   AppendedAt seconds since the Unix epoch   (only if flag bit 0)
//	uvarint  AppendedAt nanoseconds within the second  (only if flag bit 0)
//	uvarint  len(Data),       then Data
//	uvarint  len(Extensions), then Extensions
//	uint32   CRC-32C of every byte above
//
// Stable values are encoded as: format version (1), the value bytes, and a
// CRC-32C of both. Pebble already checksums its own blocks and WAL records;
// the per-value checksum also catches a value that is damaged before it
// reaches Pebble or a bug that writes the wrong bytes, and lets a decode error
// name the entry that is bad.
//
// Pebble treats a MANIFEST or WAL that ends in a damaged record as a torn
// write from a crash and silently opens without the lost edits, which for a
// Raft log would mean forgetting acknowledged entries or a vote. To catch
// that, Close records a floor in the file lsFloorFile next to Pebble's files:
// the last log index and the number of stable keys at that clean close. Open
// refuses a store that holds less than its floor. DeleteRange lowers the floor
// before it removes the tail of the log, so a legitimate truncation is never
// mistaken for damage, and a crash only ever leaves the floor lower than the
// data.

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"math"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/hashicorp/raft"
)

// ErrStableKeyNotFound is returned by LogStore.Get and LogStore.GetUint64 for
// a key that was never set. Its message is exactly "not found": hashicorp/raft
// recognises a missing current term, last vote term or last vote candidate
// only by that message (see raft.HasExistingState and raft.NewRaft), as its
// own in-memory store and raft-boltdb do.
var ErrStableKeyNotFound = errors.New("not found")

// ErrLogStoreCorrupt marks errors caused by damaged data in the Raft log
// store: an entry or stable value that does not decode, or Pebble reporting a
// corrupt file. Test with errors.Is.
var ErrLogStoreCorrupt = errors.New("raft log store corrupt")

// ErrLogStoreClosed is returned by every LogStore method called after Close.
var ErrLogStoreClosed = errors.New("raft log store closed")

const (
	lsLogPrefix    byte = 0x01
	lsStablePrefix byte = 0x02

	lsLogKeyLen = 9 // prefix + 8-byte index

	lsLogFormatV1    byte = 1
	lsStableFormatV1 byte = 1

	lsFlagAppendedAt byte = 1 << 0

	lsCRCLen = 4

	// lsFloorFile is the name of the floor file in the store directory.
	// Pebble ignores files whose names it does not recognise.
	lsFloorFile  = "ASPEN-RAFTLOG-FLOOR"
	lsFloorMagic = "aspflr01"
	lsFloorLen   = len(lsFloorMagic) + 8 + 8 + lsCRCLen
)

var lsCRCTable = crc32.MakeTable(crc32.Castagnoli)

// Pebble options for the log store. The workload is append-mostly: Raft
// appends entries at the tail with one synced batch per StoreLogs call, reads
// recent entries back soon after (replication to followers, applying to the
// FSM), and after each snapshot drops a prefix of the log with one range
// deletion. Keys arrive in increasing order, so flushed tables do not overlap
// and move down the LSM cheaply.
const (
	// lsMemTableSize keeps a large recent tail of the log in memory (Pebble's
	// default is 4 MiB), so replication and FSM apply seldom read sstables,
	// and less of the log reaches sstables before a snapshot truncates it.
	// Each memtable has its own WAL file; Pebble recycles WAL files, so once
	// a node has written a few memtables' worth, a synced commit overwrites
	// blocks of an old WAL file and costs about one raw fdatasync (see
	// pebble-steady in logstore_bench_test.go).
	lsMemTableSize = 32 << 20
	// lsMemTableStopWrites lets flushes fall a little behind a burst of
	// appends before writes stall (Pebble's default is 2 memtables).
	lsMemTableStopWrites = 4
	// lsCacheSize is a modest block cache: hot reads are served from the
	// memtables, and the cache only needs to hold blocks for followers that
	// lag behind the memtable window.
	lsCacheSize = 16 << 20
	// lsBlockSize is larger than Pebble's 4 KiB default because the log is
	// read in index order (replication, FSM apply, restart); larger blocks
	// mean fewer index entries and fewer block reads per range.
	lsBlockSize = 32 << 10
)

// No bloom filter is configured (Pebble's default): keys are dense and
// ordered, and lookups are almost always for indexes that exist, which a
// filter cannot speed up.

// LogStore is a durable hashicorp/raft log store (raft.LogStore) and stable
// store (raft.StableStore) on a dedicated Pebble instance. Every write is
// committed with a synced Pebble batch; StoreLogs writes all entries given to
// it in one batch and therefore one fsync, which is what lets group commit
// amortise the cost of durability.
//
// A LogStore is safe for concurrent use. The first and last log indexes are
// cached in memory so FirstIndex and LastIndex do not touch the disk.
type LogStore struct {
	dir    string
	fs     vfs.FS
	db     *pebble.DB
	logger *slog.Logger

	// closeMu is held for reading by every operation and for writing by
	// Close, so Close waits for operations in flight and no operation
	// reaches the closed Pebble instance (which would panic).
	closeMu sync.RWMutex
	closed  bool

	// writeMu serialises StoreLogs and DeleteRange so that the cached
	// first/last indexes always agree with what was committed.
	writeMu sync.Mutex
	first   atomic.Uint64
	last    atomic.Uint64
	// floor is the content of the floor file; guarded by writeMu (and by
	// the write side of closeMu in Close).
	floor lsFloor
}

// lsFloor is what the store held at its last clean close: a later open must
// find at least this much.
type lsFloor struct {
	lastIndex  uint64 // the log's last index
	stableKeys uint64 // the number of stable keys
}

// Compile-time checks that LogStore satisfies the interfaces raft needs.
var (
	_ raft.LogStore    = (*LogStore)(nil)
	_ raft.StableStore = (*LogStore)(nil)
)

// OpenLogStore opens (creating if needed) the Raft log store in dir, a
// directory used by nothing else. A nil logger means slog.Default().
//
// Opening fails, rather than serving wrong data, if Pebble finds its own files
// corrupt or truncated, if the first or last log entry or any stable value
// does not decode, or if the store holds less than it did at its last clean
// close (see the floor in the file comment). The error names dir and the
// reason, and matches ErrLogStoreCorrupt with errors.Is when the cause is
// damaged data (Pebble reports a few kinds of damage, such as a missing or
// short sstable, without marking them as corruption). Verify checks every
// entry.
//
// The caller must Close the store.
func OpenLogStore(dir string, logger *slog.Logger) (*LogStore, error) {
	return openLogStore(dir, logger, vfs.Default)
}

// openLogStore is OpenLogStore on the file system fs (tests use Pebble's
// crashable in-memory file system to check what survives a crash).
func openLogStore(dir string, logger *slog.Logger, fs vfs.FS) (*LogStore, error) {
	if logger == nil {
		logger = slog.Default()
	}
	logger = logger.With("component", "raftlog", "dir", dir)

	opts := &pebble.Options{
		FS:                          fs,
		CacheSize:                   lsCacheSize,
		MemTableSize:                lsMemTableSize,
		MemTableStopWritesThreshold: lsMemTableStopWrites,
		FormatMajorVersion:          pebble.FormatNewest,
		Logger:                      lsPebbleLogger{logger: logger},
		EventListener: &pebble.EventListener{
			BackgroundError: func(err error) {
				logger.Error("pebble background error", "error", err)
			},
			DataCorruption: func(info pebble.DataCorruptionInfo) {
				logger.Error("pebble data corruption", "file", info.Path, "error", info.Details)
			},
			DiskSlow: func(info pebble.DiskSlowInfo) {
				logger.Warn("slow disk operation", "file", info.Path, "op", info.OpType.String(), "duration", info.Duration)
			},
		},
	}
	for i := range opts.Levels {
		opts.Levels[i].BlockSize = lsBlockSize
	}
	// DisableWAL stays false: the Pebble WAL is what makes a synced batch
	// durable.

	floor, err := lsReadFloor(fs, dir)
	if err != nil {
		return nil, lsOpenError(dir, err)
	}
	db, err := pebble.Open(dir, opts)
	if err != nil {
		return nil, lsOpenError(dir, err)
	}
	s := &LogStore{dir: dir, fs: fs, db: db, logger: logger, floor: floor}
	if err := s.loadAndCheck(); err != nil {
		if cerr := db.Close(); cerr != nil {
			logger.Warn("close after failed open", "error", cerr)
		}
		return nil, lsOpenError(dir, err)
	}
	logger.Info("raft log store opened", "first_index", s.first.Load(), "last_index", s.last.Load())
	return s, nil
}

// lsOpenError wraps an error from opening the store with the directory and,
// when Pebble says its data is damaged, with ErrLogStoreCorrupt.
func lsOpenError(dir string, err error) error {
	if pebble.IsCorruptionError(err) && !errors.Is(err, ErrLogStoreCorrupt) {
		return fmt.Errorf("open raft log store %s: %w: %w", dir, ErrLogStoreCorrupt, err)
	}
	return fmt.Errorf("open raft log store %s: %w", dir, err)
}

// loadAndCheck computes the cached first/last indexes by seeking, checks
// that the entries at both ends and every stable value decode, and that the
// store holds at least its floor.
func (s *LogStore) loadAndCheck() error {
	first, last, err := s.seekBounds(0, math.MaxUint64)
	if err != nil {
		return err
	}
	s.first.Store(first)
	s.last.Store(last)
	if first != 0 {
		var l raft.Log
		for _, idx := range []uint64{first, last} {
			if err := s.getLog(idx, &l); err != nil {
				return fmt.Errorf("check log entry %d: %w", idx, err)
			}
		}
	}
	nstable, err := s.checkStable()
	if err != nil {
		return err
	}
	if last < s.floor.lastIndex {
		return fmt.Errorf("%w: the log ends at index %d but %s recorded index %d at the last clean close: entries were lost (damaged or truncated MANIFEST or WAL?)",
			ErrLogStoreCorrupt, last, lsFloorFile, s.floor.lastIndex)
	}
	if nstable < s.floor.stableKeys {
		return fmt.Errorf("%w: %d stable keys but %s recorded %d at the last clean close: values were lost (damaged or truncated MANIFEST or WAL?)",
			ErrLogStoreCorrupt, nstable, lsFloorFile, s.floor.stableKeys)
	}
	return nil
}

// seekBounds returns the first and last log indexes present within
// [lo, hi], or 0, 0 if there are none.
func (s *LogStore) seekBounds(lo, hi uint64) (first, last uint64, err error) {
	lower := lsLogKey(lo)
	upper := lsLogUpperBound(hi)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lower[:], UpperBound: upper})
	if err != nil {
		return 0, 0, fmt.Errorf("seek log bounds: %w", err)
	}
	if it.First() {
		if first, err = lsParseLogKey(it.Key()); err == nil && it.Last() {
			last, err = lsParseLogKey(it.Key())
		}
	}
	if err == nil {
		err = it.Error()
	}
	if cerr := it.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return 0, 0, fmt.Errorf("seek log bounds: %w", err)
	}
	return first, last, nil
}

// checkStable decodes every stable value and returns how many there are.
func (s *LogStore) checkStable() (uint64, error) { return s.scanStable(true) }

// scanStable counts the stable values, decoding each if decode is set.
func (s *LogStore) scanStable(decode bool) (uint64, error) {
	it, err := s.db.NewIter(&pebble.IterOptions{
		LowerBound: []byte{lsStablePrefix},
		UpperBound: []byte{lsStablePrefix + 1},
	})
	if err != nil {
		return 0, fmt.Errorf("check stable values: %w", err)
	}
	var n uint64
	for ok := it.First(); ok && err == nil; ok = it.Next() {
		n++
		var v []byte
		if v, err = it.ValueAndErr(); err == nil && decode {
			_, err = lsDecodeStable(it.Key()[1:], v)
		}
	}
	if err == nil {
		err = it.Error()
	}
	if cerr := it.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("check stable values: %w", err)
	}
	return n, nil
}

// Dir returns the directory the store was opened in.
func (s *LogStore) Dir() string { return s.dir }

// Close records the store's floor (see the file comment) and closes the
// Pebble instance; every write is already synced. Operations in flight finish
// first; later calls return ErrLogStoreClosed. Closing twice returns nil.
func (s *LogStore) Close() error {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	var errs []error
	// Count without decoding: a damaged value must not stop the floor from
	// being recorded (the next open reports the damage).
	if n, err := s.scanStable(false); err != nil {
		errs = append(errs, err)
	} else if err := lsWriteFloor(s.fs, s.dir, lsFloor{lastIndex: s.last.Load(), stableKeys: n}); err != nil {
		errs = append(errs, err)
	}
	if err := s.db.Close(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close raft log store %s: %w", s.dir, err)
	}
	return nil
}

// begin takes the read side of closeMu; the caller must call s.end if begin
// returned nil.
func (s *LogStore) begin() error {
	s.closeMu.RLock()
	if s.closed {
		s.closeMu.RUnlock()
		return ErrLogStoreClosed
	}
	return nil
}

func (s *LogStore) end() { s.closeMu.RUnlock() }

// FirstIndex returns the first index in the log, or 0 if the log is empty.
// It reads an in-memory value.
func (s *LogStore) FirstIndex() (uint64, error) {
	if err := s.begin(); err != nil {
		return 0, err
	}
	defer s.end()
	return s.first.Load(), nil
}

// LastIndex returns the last index in the log, or 0 if the log is empty.
// It reads an in-memory value.
func (s *LogStore) LastIndex() (uint64, error) {
	if err := s.begin(); err != nil {
		return 0, err
	}
	defer s.end()
	return s.last.Load(), nil
}

// GetLog reads the entry at index into log. It returns raft.ErrLogNotFound
// if there is no such entry, and an error matching ErrLogStoreCorrupt if the
// stored entry does not decode. Data and Extensions in log are owned by the
// caller.
func (s *LogStore) GetLog(index uint64, log *raft.Log) error {
	if err := s.begin(); err != nil {
		return err
	}
	defer s.end()
	return s.getLog(index, log)
}

func (s *LogStore) getLog(index uint64, log *raft.Log) error {
	key := lsLogKey(index)
	val, closer, err := s.db.Get(key[:])
	if errors.Is(err, pebble.ErrNotFound) {
		return raft.ErrLogNotFound
	}
	if err != nil {
		return fmt.Errorf("get raft log entry %d: %w", index, err)
	}
	derr := lsDecodeLog(index, val, log)
	if err := closer.Close(); err != nil && derr == nil {
		return fmt.Errorf("get raft log entry %d: %w", index, err)
	}
	return derr
}

// StoreLog stores one entry with one synced write.
func (s *LogStore) StoreLog(log *raft.Log) error {
	return s.StoreLogs([]*raft.Log{log})
}

// StoreLogs stores all of logs in one Pebble batch committed with a sync, so
// a call costs one fsync however many entries it carries. Entries need not be
// contiguous with those already stored; an entry at an existing index
// replaces it.
func (s *LogStore) StoreLogs(logs []*raft.Log) error {
	if len(logs) == 0 {
		return nil
	}
	if err := s.begin(); err != nil {
		return err
	}
	defer s.end()

	size := 0
	minIdx, maxIdx := uint64(math.MaxUint64), uint64(0)
	for i, l := range logs {
		if l == nil {
			return fmt.Errorf("store raft logs: entry %d of %d is nil", i, len(logs))
		}
		size += lsLogKeyLen + lsEncodedLogLen(l) + 2*binary.MaxVarintLen32 + 1
		minIdx = min(minIdx, l.Index)
		maxIdx = max(maxIdx, l.Index)
	}

	b := s.db.NewBatchWithSize(size)
	defer func() { _ = b.Close() }()
	for _, l := range logs {
		op := b.SetDeferred(lsLogKeyLen, lsEncodedLogLen(l))
		key := lsLogKey(l.Index)
		copy(op.Key, key[:])
		lsEncodeLog(op.Value, l)
		if err := op.Finish(); err != nil {
			return fmt.Errorf("store raft logs %d..%d: %w", minIdx, maxIdx, err)
		}
	}

	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("store raft logs %d..%d: %w", minIdx, maxIdx, err)
	}
	if first := s.first.Load(); first == 0 || minIdx < first {
		s.first.Store(minIdx)
	}
	if maxIdx > s.last.Load() {
		s.last.Store(maxIdx)
	}
	return nil
}

// DeleteRange deletes the entries with indexes in [lo, hi] (inclusive, as
// raft defines it) with one synced range deletion, and updates the cached
// first and last indexes.
func (s *LogStore) DeleteRange(lo, hi uint64) error {
	if lo > hi {
		return nil
	}
	if err := s.begin(); err != nil {
		return err
	}
	defer s.end()

	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if first, last := s.first.Load(), s.last.Load(); first != 0 && lo <= last && hi >= last {
		// The tail goes: lower the floor first, so that a crash after the
		// delete does not look like lost entries at the next open.
		floor := s.floor
		floor.lastIndex = 0
		if lo > first {
			floor.lastIndex = lo - 1
		}
		if floor.lastIndex < s.floor.lastIndex {
			if err := lsWriteFloor(s.fs, s.dir, floor); err != nil {
				return fmt.Errorf("delete raft logs %d..%d: %w", lo, hi, err)
			}
			s.floor = floor
		}
	}
	start := lsLogKey(lo)
	if err := s.db.DeleteRange(start[:], lsLogUpperBound(hi), pebble.Sync); err != nil {
		return fmt.Errorf("delete raft logs %d..%d: %w", lo, hi, err)
	}
	first, last := s.first.Load(), s.last.Load()
	if first == 0 || hi < first || lo > last {
		return nil // nothing stored was in range
	}
	// Entries outside [lo, hi] are untouched, so only a bound that fell
	// inside the range moves; find its replacement by seeking.
	switch {
	case lo <= first && hi >= last:
		first, last = 0, 0
	case lo <= first:
		nf, _, err := s.seekBounds(hi+1, last)
		if err != nil {
			return fmt.Errorf("delete raft logs %d..%d: %w", lo, hi, err)
		}
		first = nf
	case hi >= last:
		_, nl, err := s.seekBounds(first, lo-1)
		if err != nil {
			return fmt.Errorf("delete raft logs %d..%d: %w", lo, hi, err)
		}
		last = nl
	}
	s.first.Store(first)
	s.last.Store(last)
	return nil
}

// Set stores val under key with a synced write. The store keeps its own copy.
func (s *LogStore) Set(key, val []byte) error {
	if err := s.begin(); err != nil {
		return err
	}
	defer s.end()
	if err := s.db.Set(lsStableKey(key), lsEncodeStable(val), pebble.Sync); err != nil {
		return fmt.Errorf("set stable key %q: %w", key, err)
	}
	return nil
}

// Get returns the value stored under key, owned by the caller. A key that was
// never set returns ErrStableKeyNotFound, whose message raft checks for.
func (s *LogStore) Get(key []byte) ([]byte, error) {
	if err := s.begin(); err != nil {
		return nil, err
	}
	defer s.end()
	val, closer, err := s.db.Get(lsStableKey(key))
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, ErrStableKeyNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get stable key %q: %w", key, err)
	}
	out, derr := lsDecodeStable(key, val)
	if derr == nil {
		out = bytes.Clone(out)
		if out == nil {
			out = []byte{}
		}
	}
	if err := closer.Close(); err != nil && derr == nil {
		return nil, fmt.Errorf("get stable key %q: %w", key, err)
	}
	return out, derr
}

// SetUint64 stores val under key (8 bytes, big-endian) with a synced write.
// Set and SetUint64 share one key space.
func (s *LogStore) SetUint64(key []byte, val uint64) error {
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], val)
	return s.Set(key, buf[:])
}

// GetUint64 returns the value stored by SetUint64 under key. A key that was
// never set returns 0 and ErrStableKeyNotFound (raft accepts both, as with
// raft-boltdb); a value that is not 8 bytes long is an error.
func (s *LogStore) GetUint64(key []byte) (uint64, error) {
	v, err := s.Get(key)
	if err != nil {
		return 0, err
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("get stable key %q as uint64: value is %d bytes, want 8", key, len(v))
	}
	return binary.BigEndian.Uint64(v), nil
}

// Verify reads and decodes every log entry and stable value, and returns the
// first problem found (matching ErrLogStoreCorrupt when data is damaged). It
// reads the whole log, so it is meant for tools and operators, not the hot
// path; OpenLogStore only checks the entries at both ends. It stops early with
// ctx's error when ctx is done.
func (s *LogStore) Verify(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.begin(); err != nil {
		return err
	}
	defer s.end()
	if _, err := s.checkStable(); err != nil {
		return fmt.Errorf("verify raft log store %s: %w", s.dir, err)
	}
	lower, upper := lsLogKey(0), lsLogUpperBound(math.MaxUint64)
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: lower[:], UpperBound: upper})
	if err != nil {
		return fmt.Errorf("verify raft log store %s: %w", s.dir, err)
	}
	var l raft.Log
	n := 0
	for ok := it.First(); ok && err == nil; ok = it.Next() {
		if n++; n%1024 == 0 {
			err = ctx.Err()
		}
		var idx uint64
		var v []byte
		if err == nil {
			idx, err = lsParseLogKey(it.Key())
		}
		if err == nil {
			v, err = it.ValueAndErr()
		}
		if err == nil {
			err = lsDecodeLog(idx, v, &l)
		}
	}
	if err == nil {
		err = it.Error()
	}
	if cerr := it.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		if pebble.IsCorruptionError(err) && !errors.Is(err, ErrLogStoreCorrupt) {
			err = fmt.Errorf("%w: %w", ErrLogStoreCorrupt, err)
		}
		return fmt.Errorf("verify raft log store %s: %w", s.dir, err)
	}
	return nil
}

// lsReadFloor reads the floor file in dir; a missing file is a zero floor
// (a new store, or one that never closed cleanly).
func lsReadFloor(fs vfs.FS, dir string) (lsFloor, error) {
	path := fs.PathJoin(dir, lsFloorFile)
	f, err := fs.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return lsFloor{}, nil
	}
	if err != nil {
		return lsFloor{}, fmt.Errorf("read %s: %w", path, err)
	}
	b, err := io.ReadAll(io.LimitReader(f, 2*int64(lsFloorLen)))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return lsFloor{}, fmt.Errorf("read %s: %w", path, err)
	}
	if len(b) != lsFloorLen || string(b[:len(lsFloorMagic)]) != lsFloorMagic {
		return lsFloor{}, fmt.Errorf("%w: %s: not a floor file (%d bytes)", ErrLogStoreCorrupt, path, len(b))
	}
	body := b[:len(b)-lsCRCLen]
	if got, want := crc32.Checksum(body, lsCRCTable), binary.LittleEndian.Uint32(b[len(body):]); got != want {
		return lsFloor{}, fmt.Errorf("%w: %s: checksum mismatch: stored %08x, computed %08x", ErrLogStoreCorrupt, path, want, got)
	}
	p := body[len(lsFloorMagic):]
	return lsFloor{lastIndex: binary.BigEndian.Uint64(p), stableKeys: binary.BigEndian.Uint64(p[8:])}, nil
}

// lsWriteFloor replaces the floor file in dir atomically and durably: write a
// temporary file, sync it, rename it over the old one, sync the directory.
func lsWriteFloor(fs vfs.FS, dir string, fl lsFloor) error {
	b := make([]byte, 0, lsFloorLen)
	b = append(b, lsFloorMagic...)
	b = binary.BigEndian.AppendUint64(b, fl.lastIndex)
	b = binary.BigEndian.AppendUint64(b, fl.stableKeys)
	b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, lsCRCTable))

	path := fs.PathJoin(dir, lsFloorFile)
	if err := writeFileAtomic(fs, path, b); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// lsLogKey returns the Pebble key of the log entry at index.
func lsLogKey(index uint64) [lsLogKeyLen]byte {
	var k [lsLogKeyLen]byte
	k[0] = lsLogPrefix
	binary.BigEndian.PutUint64(k[1:], index)
	return k
}

// lsLogUpperBound returns the exclusive upper bound key for log indexes up to
// and including hi.
func lsLogUpperBound(hi uint64) []byte {
	if hi == math.MaxUint64 {
		return []byte{lsLogPrefix + 1}
	}
	k := lsLogKey(hi + 1)
	return k[:]
}

// lsParseLogKey returns the index in a log key.
func lsParseLogKey(k []byte) (uint64, error) {
	if len(k) != lsLogKeyLen || k[0] != lsLogPrefix {
		return 0, fmt.Errorf("%w: malformed log key %x", ErrLogStoreCorrupt, k)
	}
	return binary.BigEndian.Uint64(k[1:]), nil
}

// lsStableKey returns the Pebble key of a stable-store key.
func lsStableKey(key []byte) []byte {
	k := make([]byte, 1+len(key))
	k[0] = lsStablePrefix
	copy(k[1:], key)
	return k
}

// lsEncodedLogLen returns the exact length of l's encoding.
func lsEncodedLogLen(l *raft.Log) int {
	n := 3 + lsUvarintLen(l.Index) + lsUvarintLen(l.Term) +
		lsUvarintLen(uint64(len(l.Data))) + len(l.Data) +
		lsUvarintLen(uint64(len(l.Extensions))) + len(l.Extensions) + lsCRCLen
	if !l.AppendedAt.IsZero() {
		n += lsVarintLen(l.AppendedAt.Unix()) + lsUvarintLen(uint64(l.AppendedAt.Nanosecond()))
	}
	return n
}

// lsEncodeLog encodes l into dst, which must be exactly lsEncodedLogLen(l)
// bytes long.
func lsEncodeLog(dst []byte, l *raft.Log) {
	var flags byte
	if !l.AppendedAt.IsZero() {
		flags |= lsFlagAppendedAt
	}
	dst[0], dst[1], dst[2] = lsLogFormatV1, byte(l.Type), flags
	n := 3
	n += binary.PutUvarint(dst[n:], l.Index)
	n += binary.PutUvarint(dst[n:], l.Term)
	if flags&lsFlagAppendedAt != 0 {
		n += binary.PutVarint(dst[n:], l.AppendedAt.Unix())
		n += binary.PutUvarint(dst[n:], uint64(l.AppendedAt.Nanosecond()))
	}
	n += binary.PutUvarint(dst[n:], uint64(len(l.Data)))
	n += copy(dst[n:], l.Data)
	n += binary.PutUvarint(dst[n:], uint64(len(l.Extensions)))
	n += copy(dst[n:], l.Extensions)
	binary.LittleEndian.PutUint32(dst[n:], crc32.Checksum(dst[:n], lsCRCTable))
}

// lsDecodeLog decodes the value stored under index into l. Data and
// Extensions are copied out of val (into one allocation), so val may be
// reused afterwards. Errors name the index and the reason and match
// ErrLogStoreCorrupt.
func lsDecodeLog(index uint64, val []byte, l *raft.Log) error {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%w: log entry %d: %s", ErrLogStoreCorrupt, index, fmt.Sprintf(format, args...))
	}
	if len(val) < 3+lsCRCLen {
		return fail("value is %d bytes, shorter than any valid entry", len(val))
	}
	if val[0] != lsLogFormatV1 {
		return fail("unknown format version %d", val[0])
	}
	body := val[:len(val)-lsCRCLen]
	if got, want := crc32.Checksum(body, lsCRCTable), binary.LittleEndian.Uint32(val[len(body):]); got != want {
		return fail("checksum mismatch: stored %08x, computed %08x", want, got)
	}
	typ, flags := raft.LogType(body[1]), body[2]
	if flags&^lsFlagAppendedAt != 0 {
		return fail("unknown flags %#x", flags)
	}
	d := lsDecoder{buf: body[3:]}
	idx := d.uvarint("index")
	term := d.uvarint("term")
	var appendedAt time.Time
	if flags&lsFlagAppendedAt != 0 {
		sec := d.varint("appended-at seconds")
		nsec := d.uvarint("appended-at nanoseconds")
		if d.err == nil && nsec >= uint64(time.Second) {
			d.err = fmt.Errorf("appended-at nanoseconds %d out of range", nsec)
		}
		appendedAt = time.Unix(sec, int64(nsec))
	}
	data := d.bytes("data")
	ext := d.bytes("extensions")
	if d.err == nil && len(d.buf) != 0 {
		d.err = fmt.Errorf("%d unexpected trailing bytes", len(d.buf))
	}
	if d.err != nil {
		return fail("%v", d.err)
	}
	if idx != index {
		return fail("entry says index %d", idx)
	}

	// One allocation holds both slices; cap limits keep an append to one
	// from overwriting the other.
	var owned []byte
	if n := len(data) + len(ext); n > 0 {
		owned = make([]byte, n)
		copy(owned, data)
		copy(owned[len(data):], ext)
	}
	*l = raft.Log{Index: idx, Term: term, Type: typ, AppendedAt: appendedAt}
	if len(data) > 0 {
		l.Data = owned[:len(data):len(data)]
	}
	if len(ext) > 0 {
		l.Extensions = owned[len(data):]
	}
	return nil
}

// lsDecoder reads varints and length-prefixed byte strings, remembering the
// first error.
type lsDecoder struct {
	buf []byte
	err error
}

func (d *lsDecoder) uvarint(field string) uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.buf)
	if n <= 0 {
		d.err = fmt.Errorf("truncated or malformed %s", field)
		return 0
	}
	d.buf = d.buf[n:]
	return v
}

func (d *lsDecoder) varint(field string) int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.buf)
	if n <= 0 {
		d.err = fmt.Errorf("truncated or malformed %s", field)
		return 0
	}
	d.buf = d.buf[n:]
	return v
}

// bytes returns a length-prefixed byte string aliasing d.buf. The length is
// checked against the bytes that remain before slicing, so a damaged length
// never causes a large allocation.
func (d *lsDecoder) bytes(field string) []byte {
	n := d.uvarint(field + " length")
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.buf)) {
		d.err = fmt.Errorf("%s length %d exceeds the %d bytes left", field, n, len(d.buf))
		return nil
	}
	b := d.buf[:n]
	d.buf = d.buf[n:]
	return b
}

// lsEncodeStable encodes a stable value.
func lsEncodeStable(val []byte) []byte {
	out := make([]byte, 1+len(val)+lsCRCLen)
	out[0] = lsStableFormatV1
	copy(out[1:], val)
	binary.LittleEndian.PutUint32(out[1+len(val):], crc32.Checksum(out[:1+len(val)], lsCRCTable))
	return out
}

// lsDecodeStable returns the value bytes in a stable value (aliasing enc).
func lsDecodeStable(key, enc []byte) ([]byte, error) {
	if len(enc) < 1+lsCRCLen {
		return nil, fmt.Errorf("%w: stable key %q: value is %d bytes, too short", ErrLogStoreCorrupt, key, len(enc))
	}
	if enc[0] != lsStableFormatV1 {
		return nil, fmt.Errorf("%w: stable key %q: unknown format version %d", ErrLogStoreCorrupt, key, enc[0])
	}
	body := enc[:len(enc)-lsCRCLen]
	if got, want := crc32.Checksum(body, lsCRCTable), binary.LittleEndian.Uint32(enc[len(body):]); got != want {
		return nil, fmt.Errorf("%w: stable key %q: checksum mismatch: stored %08x, computed %08x", ErrLogStoreCorrupt, key, want, got)
	}
	return body[1:], nil
}

func lsUvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

func lsVarintLen(v int64) int {
	u := uint64(v) << 1
	if v < 0 {
		u = ^u
	}
	return lsUvarintLen(u)
}

// lsPebbleLogger sends Pebble's log lines to slog.
type lsPebbleLogger struct{ logger *slog.Logger }

// Infof implements pebble.Logger.
func (l lsPebbleLogger) Infof(format string, args ...any) {
	l.logger.Info(fmt.Sprintf(format, args...), "source", "pebble")
}

// Errorf implements pebble.Logger.
func (l lsPebbleLogger) Errorf(format string, args ...any) {
	l.logger.Error(fmt.Sprintf(format, args...), "source", "pebble")
}

// Fatalf implements pebble.Logger. Pebble calls it when one of its
// invariants is broken and requires that it not return, so after logging it
// panics (inside Pebble's call, never from a LogStore method's return path);
// continuing could corrupt the log.
func (l lsPebbleLogger) Fatalf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	l.logger.Error(msg, "source", "pebble", "fatal", true)
	panic("pebble: " + msg)
}
