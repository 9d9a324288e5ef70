package raftstore

import (
	"bytes"
	"encoding/binary"
	"fmt"

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
// is too old. The keys each entry wrote are persisted with the entry's own
// batch (see windowRecordKey), so the window is rebuilt from the store, not
// from memory that a restart would lose.
type conflictWindow struct {
	size   uint64
	keys   btree.Map[string, uint64] // key -> index of the last entry that wrote it
	ranges []indexedSpan             // range deletes, oldest first
	fifo   []windowRecord            // records, oldest first
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
	for _, r := range reads {
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
	for _, k := range rec.keys {
		w.keys.Set(string(k), rec.index)
	}
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
		old := w.fifo[n]
		for _, k := range old.keys {
			if at, ok := w.keys.Get(string(k)); ok && at == old.index {
				w.keys.Delete(string(k))
			}
		}
		n++
	}
	if n > 0 {
		clear(w.fifo[:n])
		w.fifo = w.fifo[n:]
	}
	m := 0
	for m < len(w.ranges) && w.ranges[m].index < floor {
		m++
	}
	if m > 0 {
		w.ranges = w.ranges[m:]
	}
}

// reset empties the window (before a rebuild after a snapshot restore).
func (w *conflictWindow) reset() {
	w.keys.Clear()
	w.ranges = nil
	w.fifo = nil
}

// System keys. User keys never start with 0xff; the store owns that space.
var (
	sysPrefix      = []byte{0xff}
	appliedKey     = []byte{0xff, 'a'}
	windowPrefix   = []byte{0xff, 'w'}
	nodeMetaPrefix = []byte{0xff, 'n'}
)

func windowRecordKey(idx uint64) []byte {
	return binary.BigEndian.AppendUint64(append([]byte(nil), windowPrefix...), idx)
}

func (r *windowRecord) encode() []byte {
	var b []byte
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
	if d.err != nil {
		return rec, fmt.Errorf("decode conflict record %d: %w", idx, d.err)
	}
	return rec, nil
}
