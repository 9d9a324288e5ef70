package raftstore

import (
	"bytes"
	"errors"

	"github.com/tidwall/btree"
)

// span is a half-open key range [start, end).
type span struct {
	start, end []byte
}

func (s span) contains(k []byte) bool {
	return bytes.Compare(k, s.start) >= 0 && bytes.Compare(k, s.end) < 0
}

func (s span) overlaps(o span) bool {
	return bytes.Compare(s.start, o.end) < 0 && bytes.Compare(o.start, s.end) < 0
}

// pointWrite is a buffered Set (del false) or Delete (del true).
type pointWrite struct {
	del   bool
	value []byte
}

// writeBuffer holds uncommitted writes: point writes in key order, and range
// deletes. A point write always wins over a range delete, because DeleteRange
// removes the buffered point writes it covers when it is added. Applying
// the range deletes first and the point writes second therefore gives the
// buffer's final state, whatever order the calls came in.
type writeBuffer struct {
	points btree.Map[string, pointWrite]
	ranges []span
	size   int
}

func (w *writeBuffer) set(key, value []byte) {
	w.points.Set(string(key), pointWrite{value: bytes.Clone(value)})
	w.size += len(key) + len(value)
}

func (w *writeBuffer) del(key []byte) {
	w.points.Set(string(key), pointWrite{del: true})
	w.size += len(key)
}

func (w *writeBuffer) delRange(start, end []byte) {
	if bytes.Compare(start, end) >= 0 {
		return
	}
	var drop []string
	w.points.Ascend(string(start), func(k string, _ pointWrite) bool {
		if k >= string(end) {
			return false
		}
		drop = append(drop, k)
		return true
	})
	for _, k := range drop {
		w.points.Delete(k)
	}
	w.ranges = append(w.ranges, span{bytes.Clone(start), bytes.Clone(end)})
	w.size += len(start) + len(end)
}

// lookup reports what the buffer says about key: found is false when the
// buffer does not know it (read the store), otherwise deleted tells whether
// it is gone and value holds it.
func (w *writeBuffer) lookup(key []byte) (value []byte, deleted, found bool) {
	if pw, ok := w.points.Get(string(key)); ok {
		return pw.value, pw.del, true
	}
	for _, r := range w.ranges {
		if r.contains(key) {
			return nil, true, true
		}
	}
	return nil, false, false
}

// rangeDeleted reports whether key lies in a buffered range delete.
func (w *writeBuffer) rangeDeleted(key []byte) bool {
	for _, r := range w.ranges {
		if r.contains(key) {
			return true
		}
	}
	return false
}

func (w *writeBuffer) empty() bool {
	return w.points.Len() == 0 && len(w.ranges) == 0
}

// bufEntry is one buffered point write with its key, for iteration.
type bufEntry struct {
	key []byte
	pointWrite
}

// entriesIn returns the buffered point writes in [start, end) in key order
// (descending when reverse). A nil end is open.
func (w *writeBuffer) entriesIn(start, end []byte, reverse bool) []bufEntry {
	var out []bufEntry
	w.points.Ascend(string(start), func(k string, pw pointWrite) bool {
		if end != nil && k >= string(end) {
			return false
		}
		out = append(out, bufEntry{key: []byte(k), pointWrite: pw})
		return true
	})
	if reverse {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out
}

// storeIter is the part of an engine iterator the merge needs.
type storeIter interface {
	Next() bool
	Key() []byte
	Value() []byte
	Err() error
	Close() error
}

// mergeIter overlays a write buffer on a store iterator over the same range
// and direction: buffered writes replace stored values, buffered deletes and
// range deletes hide stored keys.
type mergeIter struct {
	store   storeIter
	buf     *writeBuffer
	entries []bufEntry
	reverse bool

	sOK bool // store iterator has a current key
	// sStale is set when the store iterator's current key was used up:
	// it moves on only when the next key is asked for, so that a caller
	// that stops after one key does not make the store step over the
	// deleted keys that may follow it.
	sStale     bool
	key, value []byte
	kbuf, vbuf []byte
	err        error
	onClose    func(last []byte, exhausted bool)
	last       []byte
	exhausted  bool
	closed     bool
}

func newMergeIter(store storeIter, buf *writeBuffer, start, end []byte, reverse bool) *mergeIter {
	return &mergeIter{store: store, buf: buf, entries: buf.entriesIn(start, end, reverse), reverse: reverse, sStale: true}
}

// less reports whether a comes before b in iteration order.
func (m *mergeIter) before(a, b []byte) bool {
	c := bytes.Compare(a, b)
	if m.reverse {
		return c > 0
	}
	return c < 0
}

func (m *mergeIter) advanceStore() {
	m.sOK = m.store.Next()
	for m.sOK && m.buf.rangeDeleted(m.store.Key()) {
		m.sOK = m.store.Next()
	}
}

func (m *mergeIter) Next() bool {
	if m.closed || m.err != nil {
		return false
	}
	for {
		if m.sStale {
			m.sStale = false
			m.advanceStore()
		}
		var haveBuf bool
		if len(m.entries) > 0 {
			haveBuf = true
		}
		if !m.sOK && !haveBuf {
			if err := m.store.Err(); err != nil {
				m.err = err
			} else {
				m.exhausted = true
			}
			return false
		}
		if haveBuf && (!m.sOK || !m.before(m.store.Key(), m.entries[0].key)) {
			e := m.entries[0]
			m.entries = m.entries[1:]
			if m.sOK && bytes.Equal(m.store.Key(), e.key) {
				m.sStale = true
			}
			if e.del {
				continue
			}
			m.key, m.value = e.key, e.value
			m.last = e.key
			return true
		}
		// The store iterator reuses its buffers when it moves on, so copy.
		m.kbuf = append(m.kbuf[:0], m.store.Key()...)
		m.vbuf = append(m.vbuf[:0], m.store.Value()...)
		m.key, m.value = m.kbuf, m.vbuf
		m.last = m.kbuf
		m.sStale = true
		return true
	}
}

// SeekGE makes the next call to Next return the first key at or after
// key (layers.Seeker). key must not come before the last key Next
// returned; only ascending iterators seek.
func (m *mergeIter) SeekGE(key []byte) {
	if m.closed || m.err != nil {
		return
	}
	if m.reverse {
		m.err = errors.New("raftstore: SeekGE on a reverse iterator")
		return
	}
	for len(m.entries) > 0 && bytes.Compare(m.entries[0].key, key) < 0 {
		m.entries = m.entries[1:]
	}
	sk, ok := m.store.(interface{ SeekGE(key []byte) bool })
	if !ok {
		// Step instead.
		if m.sStale {
			m.sStale = false
			m.advanceStore()
		}
		for m.sOK && bytes.Compare(m.store.Key(), key) < 0 {
			m.advanceStore()
		}
		return
	}
	m.sStale = false
	m.sOK = sk.SeekGE(key)
	for m.sOK && m.buf.rangeDeleted(m.store.Key()) {
		m.sOK = m.store.Next()
	}
}

func (m *mergeIter) Key() []byte   { return m.key }
func (m *mergeIter) Value() []byte { return m.value }
func (m *mergeIter) Err() error    { return m.err }

func (m *mergeIter) Close() error {
	if m.closed {
		return m.err
	}
	m.closed = true
	err := m.store.Close()
	if m.onClose != nil {
		m.onClose(m.last, m.exhausted)
	}
	if m.err != nil {
		return m.err
	}
	return err
}
