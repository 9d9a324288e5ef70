package raftstore

import (
	"archive/tar"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/hashicorp/raft"

	"github.com/aspen-db/aspen/engine"
	"github.com/aspen-db/aspen/layers"
)

// fsm applies committed Raft entries to the engine. hashicorp/raft calls
// ApplyBatch, Snapshot and Restore from one goroutine, so the fields that
// only the apply path uses need no lock.
type fsm struct {
	s       *Store
	window  *conflictWindow
	lastNow int64 // microseconds; the commit clock never runs backwards
	// pending holds the window records of the batch being applied; they
	// are persisted together, in one record, when the batch commits.
	pending []windowRecord
	// persisted lists the keys (last entry index) of the persisted batch
	// records, oldest first.
	persisted []uint64
	// legacyTo is the newest per-entry window record found at startup,
	// legacyPruned the highest index whose per-entry record is deleted.
	legacyTo, legacyPruned uint64
	// events collects the mutations' events of the batch being applied,
	// delivered once the batch is in the engine.
	events []layers.Event
	// points is the applyBatch's map of point writes, kept between runs
	// so its buckets are reused.
	points map[string]pointWrite
	// recent answers the mutations' reads of keys earlier batches read or
	// wrote (recent.go); it describes one engine and is emptied when the
	// engine changes or a batch fails to commit.
	recent *recentCache
}

// pruneRecords deletes the persisted window records that hold only
// entries out of the window for every entry after idx.
func (f *fsm) pruneRecords(batch *applyBatch, idx uint64) {
	if idx < f.window.size {
		return
	}
	// Entries below floor are outside the window of idx+1 and later.
	floor := idx + 1 - f.window.size
	for len(f.persisted) > 0 && f.persisted[0] < floor {
		batch.Delete(batchRecordKey(f.persisted[0]))
		f.persisted = f.persisted[1:]
	}
	// Per-entry records left by stores written before batch records.
	for f.legacyPruned < f.legacyTo && f.legacyPruned+1 < floor {
		f.legacyPruned++
		batch.Delete(windowRecordKey(f.legacyPruned))
	}
}

// applyResult is what ApplyBatch hands back through raft's ApplyFuture.
type applyResult struct {
	outcome *commitOutcome
}

// ApplyBatch applies a run of committed entries in one engine batch. Each
// transaction entry is checked for conflicts against the window, which is
// updated entry by entry, so entries in one batch see each other.
func (f *fsm) ApplyBatch(logs []*raft.Log) []any {
	out := make([]any, len(logs))
	s := f.s
	// Only this goroutine swaps the engine (Restore), so no reference is
	// needed here.
	db := s.handle.Load().db
	applied := s.applied.Load()
	if f.points == nil {
		f.points = make(map[string]pointWrite)
		f.recent = newRecentCache()
	}
	f.recent.bind(db)
	batch := newApplyBatch(db, f.points, f.recent)
	last := applied
	for i, l := range logs {
		if l.Index <= applied {
			// Already in the engine: a restart replays the log from the
			// last snapshot, and the engine may be ahead of it.
			out[i] = applyResult{outcome: &commitOutcome{status: outcomeFailed, msg: "entry already applied"}}
			continue
		}
		last = l.Index
		if l.Type != raft.LogCommand {
			continue
		}
		out[i] = applyResult{outcome: f.applyCommand(batch, l)}
	}
	if last == applied {
		batch.Close()
		f.events = f.events[:0]
		return out
	}
	if len(f.pending) > 0 {
		at := f.pending[len(f.pending)-1].index
		batch.Set(batchRecordKey(at), encodeBatchRecords(f.pending))
		f.persisted = append(f.persisted, at)
		clear(f.pending)
		f.pending = f.pending[:0]
	}
	f.pruneRecords(batch, last)
	meta := make([]byte, 16)
	binary.BigEndian.PutUint64(meta[:8], last)
	binary.BigEndian.PutUint64(meta[8:], uint64(f.lastNow))
	batch.Set(appliedKey, meta)
	s.snapMu.Lock()
	err := batch.Commit(false)
	var stale *sharedSnap
	if err == nil {
		s.watches.publish()
		s.applied.Store(last)
		stale = s.takeCurSnapLocked()
	}
	s.snapMu.Unlock()
	s.closeSnap(stale)
	if err != nil {
		f.recent.reset()
		// The engine refused a write: this replica can no longer follow
		// the log. Stopping is the only way not to serve wrong data.
		s.logger.Error("apply: engine write failed; stopping", "index", last, "err", err)
		s.fatal(fmt.Errorf("apply entries up to %d: %w", last, err))
		return out
	}
	// Listeners see the batch's events before anyone waiting for these
	// commits goes on, so a client's next command observes what its
	// write announced (CONFIG SET notify-keyspace-events, for one).
	if len(f.events) > 0 {
		s.listeners.deliver(f.events)
		clear(f.events)
		f.events = f.events[:0]
	}
	s.notifyApplied()
	return out
}

// Apply is the single-entry form raft uses when batching is off.
func (f *fsm) Apply(l *raft.Log) any {
	return f.ApplyBatch([]*raft.Log{l})[0]
}

func (f *fsm) applyCommand(batch *applyBatch, l *raft.Log) *commitOutcome {
	kind, err := entryKind(l.Data)
	if err != nil {
		return &commitOutcome{status: outcomeFailed, msg: err.Error()}
	}
	switch kind {
	case kindTxn:
		return f.applyTxn(batch, l.Index, l.Data)
	case kindNoop:
		return &commitOutcome{status: outcomeOK, version: l.Index, nowMicros: f.lastNow}
	case kindNodeMeta:
		var m NodeMeta
		if err := json.Unmarshal(l.Data[2:], &m); err != nil || m.ID == "" {
			return &commitOutcome{status: outcomeFailed, msg: "bad node metadata"}
		}
		batch.Set(nodeMetaKey(m.ID), l.Data[2:])
		return &commitOutcome{status: outcomeOK, version: l.Index, nowMicros: f.lastNow}
	default:
		return &commitOutcome{status: outcomeFailed, msg: fmt.Sprintf("unknown entry kind %d", kind)}
	}
}

func nodeMetaKey(id string) []byte {
	return append(append([]byte(nil), nodeMetaPrefix...), id...)
}

func (f *fsm) applyTxn(batch *applyBatch, idx uint64, data []byte) *commitOutcome {
	e, err := decodeTxn(data)
	if err != nil {
		return &commitOutcome{status: outcomeFailed, msg: err.Error()}
	}
	if e.nowMicros > f.lastNow {
		f.lastNow = e.nowMicros
	}
	now := f.lastNow
	if st := f.window.check(e.readVersion, idx, e.reads); st != outcomeOK {
		f.s.metrics.conflicts.Inc()
		return &commitOutcome{status: st}
	}
	var buf writeBuffer
	for _, r := range e.rangeDels {
		buf.delRange(r.start, r.end)
	}
	for _, p := range e.points {
		if p.del {
			buf.del(p.key)
		} else {
			buf.set(p.key, p.value)
		}
	}
	var results [][]byte
	if len(e.muts) > 0 {
		m := &applyMutator{batch: batch, buf: &buf, now: time.UnixMicro(now)}
		results = make([][]byte, len(e.muts))
		for i, mu := range e.muts {
			fn, ok := f.s.mutations[mu.op]
			if !ok {
				return &commitOutcome{status: outcomeFailed, msg: fmt.Sprintf("unknown mutation %q", mu.op)}
			}
			res, err := runMutation(fn, m, mu.args)
			if err != nil {
				return &commitOutcome{status: outcomeFailed, msg: fmt.Sprintf("mutation %s: %v", mu.op, err)}
			}
			results[i] = res
		}
		if m.err != nil {
			return &commitOutcome{status: outcomeFailed, msg: m.err.Error()}
		}
		f.events = append(f.events, m.events...)
	}
	f.s.watches.note(&buf, idx)
	rec := windowRecord{index: idx, ranges: buf.ranges}
	for _, r := range buf.ranges {
		batch.DeleteRange(r.start, r.end)
	}
	buf.points.Scan(func(k string, pw pointWrite) bool {
		key := []byte(k)
		rec.keys = append(rec.keys, key)
		if pw.del {
			batch.Delete(key)
		} else {
			batch.Set(key, pw.value)
		}
		return true
	})
	f.pending = append(f.pending, rec)
	f.window.add(rec)
	return &commitOutcome{status: outcomeOK, version: idx, nowMicros: now, results: results}
}

// runMutation calls a layer's mutation, turning a panic into an error so a
// bug in one layer's op fails that transaction on every replica alike
// instead of crashing them.
func runMutation(fn layers.MutationFunc, m *applyMutator, args []byte) (res []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return fn(m, args)
}

// applyMutator is the state a mutation sees: the engine batch of this apply
// run with the transaction's own writes on top.
type applyMutator struct {
	batch  *applyBatch
	buf    *writeBuffer
	now    time.Time
	err    error
	events []layers.Event
}

func (m *applyMutator) Get(key []byte) ([]byte, error) {
	if v, del, ok := m.buf.lookup(key); ok {
		if del {
			return nil, layers.ErrNotFound
		}
		return bytes.Clone(v), nil
	}
	v, err := m.batch.Get(key)
	if errors.Is(err, engine.ErrNotFound) {
		return nil, layers.ErrNotFound
	}
	return v, err
}

func (m *applyMutator) Scan(start, end []byte, reverse bool) layers.Iterator {
	return newMergeIter(m.batch.NewIter(start, end, reverse), m.buf, start, end, reverse)
}

func (m *applyMutator) Set(key, value []byte) {
	if isSystemKey(key) {
		m.err = errSystemKey
		return
	}
	m.buf.set(key, value)
}

func (m *applyMutator) Delete(key []byte) { m.buf.del(key) }

func (m *applyMutator) DeleteRange(start, end []byte) { m.buf.delRange(start, end) }

func (m *applyMutator) Now() time.Time { return m.now }

func (m *applyMutator) Notify(ev layers.Event) {
	ev.Payload = bytes.Clone(ev.Payload)
	m.events = append(m.events, ev)
}

var errSystemKey = errors.New("keys beginning with 0xff are reserved for the store")

func isSystemKey(k []byte) bool { return len(k) > 0 && k[0] == 0xff }

// loadState reads the applied index, the commit clock and the conflict
// window from the engine, after open or restore.
func (f *fsm) loadState() error {
	s := f.s
	db := s.handle.Load().db
	f.window.reset()
	v, err := db.Get(appliedKey)
	switch {
	case errors.Is(err, engine.ErrNotFound):
		s.applied.Store(0)
		f.lastNow = 0
	case err != nil:
		return fmt.Errorf("read applied index: %w", err)
	case len(v) != 16:
		return fmt.Errorf("read applied index: corrupt record of %d bytes", len(v))
	default:
		s.applied.Store(binary.BigEndian.Uint64(v[:8]))
		f.lastNow = int64(binary.BigEndian.Uint64(v[8:]))
	}
	f.pending = f.pending[:0]
	f.persisted = f.persisted[:0]
	f.legacyTo, f.legacyPruned = 0, 0
	// Per-entry records of older stores come first: their entries are
	// older than any batch record's.
	it := db.NewIter(windowPrefix, []byte{0xff, 'w' + 1}, false)
	defer it.Close()
	for it.Next() {
		k := it.Key()
		if len(k) != len(windowPrefix)+8 {
			return fmt.Errorf("conflict window: bad key %x", k)
		}
		rec, err := decodeWindowRecord(binary.BigEndian.Uint64(k[len(windowPrefix):]), it.Value())
		if err != nil {
			return err
		}
		if f.legacyTo == 0 {
			f.legacyPruned = rec.index - 1
		}
		f.legacyTo = rec.index
		f.window.add(rec)
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("conflict window: %w", err)
	}
	bit := db.NewIter(batchRecPrefix, []byte{0xff, 'W' + 1}, false)
	defer bit.Close()
	for bit.Next() {
		k := bit.Key()
		if len(k) != len(batchRecPrefix)+8 {
			return fmt.Errorf("conflict window: bad key %x", k)
		}
		recs, err := decodeBatchRecords(bit.Value())
		if err != nil {
			return fmt.Errorf("conflict window record %x: %w", k, err)
		}
		for _, rec := range recs {
			f.window.add(rec)
		}
		f.persisted = append(f.persisted, binary.BigEndian.Uint64(k[len(batchRecPrefix):]))
	}
	if err := bit.Err(); err != nil {
		return fmt.Errorf("conflict window: %w", err)
	}
	return nil
}

// Snapshot captures the engine as a checkpoint. It runs on the apply
// goroutine, so the checkpoint holds exactly the applied state; the slow part
// (streaming it) happens later in Persist.
func (f *fsm) Snapshot() (raft.FSMSnapshot, error) {
	s := f.s
	dir, err := os.MkdirTemp(s.cfg.Dir, "snapshot-")
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	ck := filepath.Join(dir, "db")
	h := s.handle.Load()
	if err := h.db.Checkpoint(ck); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	// The checkpoint flushed the engine: everything applied is durable.
	if err := s.writeFloor(h.dir, s.applied.Load()); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	return &checkpointSnapshot{dir: dir, ck: ck}, nil
}

// checkpointSnapshot streams a Pebble checkpoint as a tar archive.
type checkpointSnapshot struct {
	dir, ck string
}

func (c *checkpointSnapshot) Persist(sink raft.SnapshotSink) error {
	if cs, ok := sink.(*checkpointSink); ok {
		// Our own store keeps the checkpoint itself: no copy.
		if err := cs.adoptCheckpoint(c.ck); err != nil {
			sink.Cancel()
			return fmt.Errorf("persist snapshot: %w", err)
		}
		return sink.Close()
	}
	if err := writeTar(sink, c.ck); err != nil {
		sink.Cancel()
		return fmt.Errorf("persist snapshot: %w", err)
	}
	return sink.Close()
}

func (c *checkpointSnapshot) Release() { os.RemoveAll(c.dir) }

func readTar(r io.Reader, dir string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read snapshot archive: %w", err)
		}
		name := filepath.Base(h.Name)
		if name != h.Name || name == "." || name == ".." || h.Typeflag != tar.TypeReg {
			return fmt.Errorf("read snapshot archive: bad entry %q", h.Name)
		}
		fh, err := os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		_, err = io.Copy(fh, tr)
		if err == nil {
			err = fh.Sync()
		}
		if cerr := fh.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("write snapshot file %s: %w", name, err)
		}
	}
}

// Restore replaces the engine with the checkpoint in a snapshot received from
// the leader.
func (f *fsm) Restore(rc io.ReadCloser) error {
	defer rc.Close()
	s := f.s
	tmp, err := os.MkdirTemp(s.cfg.Dir, "restore-")
	if err != nil {
		return fmt.Errorf("restore snapshot: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := readTar(rc, tmp); err != nil {
		return fmt.Errorf("restore snapshot: %w", err)
	}
	if f.recent != nil {
		f.recent.reset()
	}
	s.watches.reset(math.MaxUint64) // until the new state is loaded
	s.dropCurSnap()
	if err := s.swapEngine(tmp); err != nil {
		return fmt.Errorf("restore snapshot: %w", err)
	}
	if err := f.loadState(); err != nil {
		return fmt.Errorf("restore snapshot: %w", err)
	}
	s.snapMu.Lock()
	s.watches.reset(s.applied.Load())
	s.snapMu.Unlock()
	if err := s.writeFloor(s.handle.Load().dir, s.applied.Load()); err != nil {
		return fmt.Errorf("restore snapshot: %w", err)
	}
	s.notifyApplied()
	s.logger.Info("restored snapshot", "applied_index", s.applied.Load())
	return nil
}
