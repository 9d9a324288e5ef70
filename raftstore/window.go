package raftstore

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"

	"github.com/tidwall/btree"
)

// conflictWindow remembers which keys the last size log entries wrote, so
// that a transaction's read ranges can be checked against every write applied
// after its read version.
//
// The window must give the same answer on every replica, including one that
// restarted or installed a snapshot. So the rule is defined on log indexes
// only: an entry at index idx is checked against entries in (readVersion,
// idx), and that interval must lie inside [idx-size, idx), or the transaction
// is too old. The keys each entry wrote are persisted in the same engine
// batch as the entry's writes, one record per apply batch holding every
// entry's keys (see batchRecordKey), so the window is rebuilt from the
// store, not from memory that a restart would lose.
//
// Indexing the written keys is deferred until a check needs it: most
// entries (Redis commands, blind writes) read nothing and are never
// checked, so a workload of those alone never pays for the index, and
// records that fall out of the window before any check are dropped
// without ever being indexed. The records in fifo[:indexed] are in keys;
// the rest are pending, and a check scans the pending records newer than
// its read version directly when they are few. Decisions are the same
// either way.
type conflictWindow struct {
	size    uint64
	keys    btree.Map[string, uint64] // key -> index of the last indexed entry that wrote it
	ranges  []indexedSpan             // range deletes, oldest first
	fifo    []windowRecord            // records, oldest first
	indexed int                       // fifo[:indexed] are in keys
}

type indexedSpan struct {
	span
	index uint64
}

// windowRecord is what one log entry wrote.
type windowRecord struct {
	index  uint64
	keys   [][]byte
	ranges []span
}

// linearScanLimit is how many pending records newer than its read version
// a check scans one by one before it indexes the pending records instead.
var linearScanLimit = 256

func newConflictWindow(size uint64) *conflictWindow {
	return &conflictWindow{size: size}
}

// check decides a transaction's fate at log index idx.
func (w *conflictWindow) check(readVersion, idx uint64, reads []span) byte {
	if len(reads) == 0 {
		// Blind writes and mutations read nothing, so nothing can conflict.
		return outcomeOK
	}
	if idx > w.size && readVersion+1 < idx-w.size {
		return outcomeTooOld
	}
	// The pending records a check must see are those after readVersion:
	// a few for a short transaction, scanned directly; past
	// linearScanLimit the pending records are indexed first.
	pending := w.fifo[w.indexed:]
	newer := pending[sort.Search(len(pending), func(i int) bool { return pending[i].index > readVersion }):]
	if len(newer) > linearScanLimit {
		w.index()
		newer = nil
	}
	for _, r := range reads {
		for _, rec := range newer {
			for _, k := range rec.keys {
				if r.contains(k) {
					return outcomeConflict
				}
			}
		}
		conflict := false
		w.keys.Ascend(string(r.start), func(k string, at uint64) bool {
			if k >= string(r.end) {
				return false
			}
			if at > readVersion {
				conflict = true
				return false
			}
			return true
		})
		if conflict {
			return outcomeConflict
		}
		for _, rd := range w.ranges {
			if rd.index > readVersion && rd.overlaps(r) {
				return outcomeConflict
			}
		}
	}
	return outcomeOK
}

// add records what the entry at rec.index wrote, and forgets entries that
// fell out of the window.
func (w *conflictWindow) add(rec windowRecord) {
	for _, r := range rec.ranges {
		w.ranges = append(w.ranges, indexedSpan{r, rec.index})
	}
	w.fifo = append(w.fifo, rec)
	w.prune(rec.index)
}

func (w *conflictWindow) prune(idx uint64) {
	if idx <= w.size {
		return
	}
	floor := idx - w.size
	n := 0
	for n < len(w.fifo) && w.fifo[n].index < floor {
		if n < w.indexed {
			old := w.fifo[n]
			for _, k := range old.keys {
				if at, ok := w.keys.Get(string(k)); ok && at == old.index {
					w.keys.Delete(string(k))
				}
			}
		}
		n++
	}
	if n > 0 {
		clear(w.fifo[:n])
		w.fifo = w.fifo[n:]
		w.indexed = max(w.indexed-n, 0)
	}
	m := 0
	for m < len(w.ranges) && w.ranges[m].index < floor {
		m++
	}
	if m > 0 {
		w.ranges = w.ranges[m:]
	}
}

// index adds the pending records' keys to the key index, oldest first, so
// that each key maps to the last entry that wrote it.
func (w *conflictWindow) index() {
	for _, rec := range w.fifo[w.indexed:] {
		for _, k := range rec.keys {
			w.keys.Set(string(k), rec.index)
		}
	}
	w.indexed = len(w.fifo)
}

// reset empties the window (before a rebuild after a snapshot restore).
func (w *conflictWindow) reset() {
	w.keys.Clear()
	w.ranges = nil
	w.fifo = nil
	w.indexed = 0
}

// System keys. User keys never start with 0xff; the store owns that space.
var (
	sysPrefix      = []byte{0xff}
	appliedKey     = []byte{0xff, 'a'}
	windowPrefix   = []byte{0xff, 'w'} // one record per entry (older stores)
	batchRecPrefix = []byte{0xff, 'W'} // one record per apply batch
	nodeMetaPrefix = []byte{0xff, 'n'}
)

// windowRecordKey is where stores written before batch records kept the
// record of entry idx. They are still read at startup and pruned.
func windowRecordKey(idx uint64) []byte {
	return binary.BigEndian.AppendUint64(append([]byte(nil), windowPrefix...), idx)
}

// batchRecordKey is where the records of the apply batch whose last
// recorded entry is last are kept.
func batchRecordKey(last uint64) []byte {
	return binary.BigEndian.AppendUint64(append([]byte(nil), batchRecPrefix...), last)
}

// encodeBatchRecords encodes the records of one apply batch, in index
// order: for each, its index and its encoded record.
func encodeBatchRecords(recs []windowRecord) []byte {
	b := binary.AppendUvarint(nil, uint64(len(recs)))
	for i := range recs {
		b = binary.AppendUvarint(b, recs[i].index)
		b = recs[i].appendTo(b)
	}
	return b
}

// decodeBatchRecords decodes what encodeBatchRecords wrote.
func decodeBatchRecords(data []byte) ([]windowRecord, error) {
	d := &decoder{b: data}
	n := d.count(2)
	recs := make([]windowRecord, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		idx := d.uvarint()
		recs = append(recs, decodeRecordFrom(d, idx))
	}
	if d.err != nil {
		return nil, fmt.Errorf("decode conflict records: %w", d.err)
	}
	return recs, nil
}

func (r *windowRecord) encode() []byte { return r.appendTo(nil) }

func (r *windowRecord) appendTo(b []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(r.keys)))
	for _, k := range r.keys {
		b = appendBytes(b, k)
	}
	b = binary.AppendUvarint(b, uint64(len(r.ranges)))
	for _, s := range r.ranges {
		b = appendBytes(b, s.start)
		b = appendBytes(b, s.end)
	}
	return b
}

func decodeWindowRecord(idx uint64, data []byte) (windowRecord, error) {
	d := &decoder{b: data}
	rec := decodeRecordFrom(d, idx)
	if d.err != nil {
		return rec, fmt.Errorf("decode conflict record %d: %w", idx, d.err)
	}
	return rec, nil
}

// decodeRecordFrom decodes one record of entry idx from d; d.err tells
// whether it was whole.
func decodeRecordFrom(d *decoder, idx uint64) windowRecord {
	rec := windowRecord{index: idx}
	if n := d.count(1); n > 0 {
		rec.keys = make([][]byte, n)
		for i := range rec.keys {
			rec.keys[i] = bytes.Clone(d.bytes())
		}
	}
	if n := d.count(2); n > 0 {
		rec.ranges = make([]span, n)
		for i := range rec.ranges {
			rec.ranges[i] = span{bytes.Clone(d.bytes()), bytes.Clone(d.bytes())}
		}
	}
	return rec
}
