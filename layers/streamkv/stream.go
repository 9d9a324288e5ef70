package streamkv

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/internal/wire"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/layers/tuple"
)

// This file holds the storage layout of a stream: the header in the key
// record, entries, simulated listpack nodes, groups, pending entries and
// consumers (see the package comment for the key layout).

// TypeStream is the key type of a stream. TYPE names it "stream".
const TypeStream = strkv.TypeStream

// ErrCorrupt is wrapped by the errors of a stream record that cannot be
// read: only a bug or a damaged store produces it.
var ErrCorrupt = errors.New("streamkv: corrupt stream record")

// Redis's defaults for stream-node-max-entries and stream-node-max-bytes.
const (
	nodeMaxEntries = 100
	nodeMaxBytes   = 4096
)

// Sub-range tags under a stream's member space.
const (
	tagEntry    = 'e'
	tagNode     = 'n'
	tagGroup    = 'g'
	tagPending  = 'p'
	tagConsumer = 'c'
	tagConsPEL  = 'q'
)

// header is the stream's summary, kept in its key record.
type header struct {
	length  uint64
	last    ID
	maxDel  ID
	added   uint64
	first   ID
	ngroups uint64
	// tail is the last node, kept here rather than in a node record: XADD
	// updates it without reading or writing another key. nil when the
	// stream has no node.
	tail *node
	// topValid reports that last is an entry of the stream (not deleted,
	// not moved by XSETID), so that the last entry's id is known without
	// a scan.
	topValid bool
}

const headerFormat = 1

func (h header) encode() []byte {
	e := wire.Enc{B: make([]byte, 0, 48)}
	e.Byte(headerFormat)
	for _, v := range []uint64{h.length, h.last.Ms, h.last.Seq, h.maxDel.Ms, h.maxDel.Seq, h.added, h.first.Ms, h.first.Seq, h.ngroups} {
		e.Uvarint(v)
	}
	e.Bool(h.topValid)
	e.Bool(h.tail != nil)
	if h.tail != nil {
		e.Uvarint(h.tail.master.Ms)
		e.Uvarint(h.tail.master.Seq)
		e.Bytes(h.tail.encode())
	}
	return e.B
}

func decodeHeader(b []byte) (header, error) {
	d := wire.Dec{B: b}
	if d.Byte() != headerFormat {
		return header{}, fmt.Errorf("stream header format: %w", ErrCorrupt)
	}
	var h header
	for _, p := range []*uint64{&h.length, &h.last.Ms, &h.last.Seq, &h.maxDel.Ms, &h.maxDel.Seq, &h.added, &h.first.Ms, &h.first.Seq, &h.ngroups} {
		*p = d.Uvarint()
	}
	h.topValid = d.Bool()
	if d.Bool() {
		master := ID{d.Uvarint(), d.Uvarint()}
		b := d.Bytes()
		if d.Err == nil {
			n, err := decodeNode(master, b)
			if err != nil {
				return header{}, err
			}
			h.tail = n
		}
	}
	if err := d.Done(); err != nil {
		return header{}, fmt.Errorf("stream header: %w: %w", err, ErrCorrupt)
	}
	return h, nil
}

// env is what a command runs against: a mutation (m set) or a read.
type env struct {
	m   layers.Mutator // nil for reads
	r   *strkv.Reader  // reads only
	src strkv.Source
	now int64 // Unix ms: the commit's clock, or the reader's
	db  int
}

func (e *env) set(k, v []byte) { e.m.Set(k, v) }

func (e *env) get(k []byte) ([]byte, bool, error) {
	v, err := e.src.Get(k)
	if errors.Is(err, layers.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("stream read: %w", err)
	}
	return v, true, nil
}

// stream is one stream key as a command found it.
type stream struct {
	e      *env
	key    []byte
	ks     strkv.KeyState // writes only
	expire int64
	exists bool
	ver    uint64
	hdr    header
	sp     []byte // member space prefix
	// tailGone is set when the tail node was removed: the last node
	// record, if any, becomes the tail (promoteTail).
	tailGone bool
}

// loadStream reads key. wrong reports a live key of another type.
func loadStream(e *env, key []byte) (s *stream, wrong bool, err error) {
	s = &stream{e: e, key: key}
	var meta strkv.Meta
	if e.m != nil {
		ks, err := strkv.LoadKey(e.m, e.db, key)
		if err != nil {
			return nil, false, fmt.Errorf("load stream %q: %w", key, err)
		}
		s.ks = ks
		if ks.WrongType(TypeStream) {
			return nil, true, nil
		}
		s.exists = ks.Is(TypeStream)
		meta = ks.Meta
	} else {
		m, ok, err := e.r.Meta(e.db, key)
		if err != nil {
			return nil, false, fmt.Errorf("load stream %q: %w", key, err)
		}
		if ok && m.Type != TypeStream {
			return nil, true, nil
		}
		s.exists = ok
		meta = m
	}
	if s.exists {
		s.hdr, err = decodeHeader(meta.Value)
		if err != nil {
			return nil, false, fmt.Errorf("stream %q: %w", key, err)
		}
		s.ver = meta.Version
		s.expire = meta.ExpireAt
		s.sp = strkv.MemberSpace(e.db, key, s.ver).Bytes()
	}
	return s, false, nil
}

// create makes s a new, empty stream (writes only). The record is
// written at once: writing a new incarnation clears the key's old data,
// which must happen before the new members are written.
func (s *stream) create() error {
	s.ver = s.ks.NextVersion(TypeStream, s.e.m.Now())
	s.exists = true
	s.expire = 0
	s.hdr = header{}
	s.sp = strkv.MemberSpace(s.e.db, s.key, s.ver).Bytes()
	if err := s.save(); err != nil {
		return err
	}
	ks, err := strkv.LoadKey(s.e.m, s.e.db, s.key)
	if err != nil {
		return fmt.Errorf("reload stream %q: %w", s.key, err)
	}
	s.ks = ks
	return nil
}

// save writes the header back (writes only). A command saves at most
// once: s.ks describes the record as it was before the command.
func (s *stream) save() error {
	if err := s.promoteTail(); err != nil {
		return err
	}
	strkv.PutKey(s.e.m, s.ks, strkv.Meta{Type: TypeStream, ExpireAt: s.expire, Version: s.ver, Value: s.hdr.encode()})
	return nil
}

// Keys.

func (s *stream) pfx(tag byte, n int) []byte {
	b := make([]byte, 0, len(s.sp)+1+n)
	b = append(b, s.sp...)
	return append(b, tag)
}

func (s *stream) entryKey(id ID) []byte { return id.appendKey(s.pfx(tagEntry, 16)) }
func (s *stream) nodeKey(id ID) []byte  { return id.appendKey(s.pfx(tagNode, 16)) }

func packName(dst, name []byte) []byte {
	b, _ := tuple.Append(dst, tuple.Tuple{name}) // []byte always encodes
	return b
}

func (s *stream) groupKey(g []byte) []byte { return packName(s.pfx(tagGroup, len(g)+2), g) }
func (s *stream) pelPrefix(g []byte) []byte {
	return packName(s.pfx(tagPending, len(g)+18), g)
}
func (s *stream) pelKey(g []byte, id ID) []byte { return id.appendKey(s.pelPrefix(g)) }
func (s *stream) consPrefix(g []byte) []byte {
	return packName(s.pfx(tagConsumer, len(g)+2), g)
}
func (s *stream) consKey(g, c []byte) []byte { return packName(s.consPrefix(g), c) }
func (s *stream) cpelPrefix(g, c []byte) []byte {
	return packName(packName(s.pfx(tagConsPEL, len(g)+len(c)+20), g), c)
}
func (s *stream) cpelKey(g, c []byte, id ID) []byte { return id.appendKey(s.cpelPrefix(g, c)) }

// prefixEnd returns the first key after every key starting with p.
func prefixEnd(p []byte) []byte {
	e := bytes.Clone(p)
	for i := len(e) - 1; i >= 0; i-- {
		if e[i] != 0xff {
			e[i]++
			return e[:i+1]
		}
	}
	return append(e, 0xff) // not reached: prefixes start with a tuple code
}

// scan calls fn for each key/value in [start, end) in order (reverse when
// rev) until fn returns false. Key and value are only valid during fn.
func (e *env) scan(start, end []byte, rev bool, fn func(k, v []byte) (bool, error)) error {
	it := e.src.Scan(start, end, rev)
	var err error
	for it.Next() {
		var more bool
		if more, err = fn(it.Key(), it.Value()); err != nil || !more {
			break
		}
	}
	if err == nil {
		err = it.Err()
	}
	if cerr := it.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("stream scan: %w", err)
	}
	return nil
}

// Entries.

// entry is one stream entry.
type entry struct {
	id     ID
	fields [][]byte // field, value, field, value...
}

func encodeFields(fv [][]byte) []byte {
	var e wire.Enc
	e.BytesList(fv)
	return e.B
}

func decodeFields(b []byte) ([][]byte, error) {
	d := wire.Dec{B: b}
	fv := d.BytesList()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("stream entry: %w: %w", err, ErrCorrupt)
	}
	return fv, nil
}

func cloneFields(fv [][]byte) [][]byte {
	out := make([][]byte, len(fv))
	for i, f := range fv {
		out[i] = bytes.Clone(f)
	}
	return out
}

// rangeEntries returns up to count (0: all) entries with ids in
// [start, end], in order or reverse order.
func (s *stream) rangeEntries(start, end ID, count int64, rev bool) ([]entry, error) {
	if !s.exists || start.Compare(end) > 0 {
		return nil, nil
	}
	lo := s.entryKey(start)
	hi := append(s.entryKey(end), 0)
	var out []entry
	err := s.e.scan(lo, hi, rev, func(k, v []byte) (bool, error) {
		id, _ := idFromKey(k[len(s.sp)+1:])
		fv, err := decodeFields(v)
		if err != nil {
			return false, err
		}
		out = append(out, entry{id, cloneFields(fv)})
		return count == 0 || int64(len(out)) < count, nil
	})
	return out, err
}

// getEntry reads one entry; ok is false when it does not exist.
func (s *stream) getEntry(id ID) (fv [][]byte, ok bool, err error) {
	if !s.exists {
		return nil, false, nil
	}
	v, ok, err := s.e.get(s.entryKey(id))
	if err != nil || !ok {
		return nil, false, err
	}
	fv, err = decodeFields(v)
	return fv, err == nil, err
}

// edgeEntry returns the first (or last) entry's id; ok is false when the
// stream is empty.
func (s *stream) edgeEntry(last bool) (ID, bool, error) {
	es, err := s.rangeEntries(ID{}, MaxID, 1, last)
	if err != nil || len(es) == 0 {
		return ID{}, false, err
	}
	return es[0].id, true, nil
}

// refreshFirst recomputes the first id after deletions. Every entry
// before the recorded first id is gone, so the scan starts there rather
// than stepping over the deleted keys that precede it.
func (s *stream) refreshFirst() error {
	if s.hdr.length == 0 {
		s.hdr.first = ID{}
		return nil
	}
	es, err := s.rangeEntries(s.hdr.first, MaxID, 1, false)
	if err != nil {
		return err
	}
	if len(es) == 0 {
		return fmt.Errorf("stream %q: %d entries but none from %s: %w", s.key, s.hdr.length, s.hdr.first, ErrCorrupt)
	}
	s.hdr.first = es[0].id
	return nil
}

// Nodes: the listpacks Redis would have built.

// node mirrors one listpack node of Redis's stream radix tree.
type node struct {
	master  ID
	valid   uint64
	deleted uint64
	size    uint64 // listpack bytes, without the count and deleted elements
	last    ID     // last entry ever added to the node, deleted or not
	fields  [][]byte
}

func (n *node) encode() []byte {
	var e wire.Enc
	e.Uvarint(n.valid)
	e.Uvarint(n.deleted)
	e.Uvarint(n.size)
	e.Uvarint(n.last.Ms)
	e.Uvarint(n.last.Seq)
	e.BytesList(n.fields)
	return e.B
}

func decodeNode(master ID, b []byte) (*node, error) {
	d := wire.Dec{B: b}
	n := &node{master: master}
	n.valid = d.Uvarint()
	n.deleted = d.Uvarint()
	n.size = d.Uvarint()
	n.last = ID{d.Uvarint(), d.Uvarint()}
	n.fields = d.BytesList()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("stream node: %w: %w", err, ErrCorrupt)
	}
	n.fields = cloneFields(n.fields)
	return n, nil
}

// lpBytes is the node's listpack size as Redis sees it.
func (n *node) lpBytes() uint64 {
	return n.size + lpIntSize(int64(n.valid)) + lpIntSize(int64(n.deleted))
}

func (s *stream) putNode(n *node) {
	if t := s.hdr.tail; t != nil && t.master == n.master {
		s.hdr.tail = n
		return
	}
	s.e.set(s.nodeKey(n.master), n.encode())
}

func (s *stream) delNode(n *node) {
	if t := s.hdr.tail; t != nil && t.master == n.master {
		s.hdr.tail = nil
		s.tailGone = true
		return
	}
	s.e.m.Delete(s.nodeKey(n.master))
}

// promoteTail makes the last node record the tail after the tail node
// was removed.
func (s *stream) promoteTail() error {
	if !s.tailGone {
		return nil
	}
	n, err := s.lastRecord(MaxID)
	if err != nil {
		return err
	}
	if n != nil {
		s.e.m.Delete(s.nodeKey(n.master))
	}
	s.hdr.tail = n
	s.tailGone = false
	return nil
}

// top returns the id of the last entry; ok is false when the stream is
// empty.
func (s *stream) top() (ID, bool, error) {
	if s.hdr.length == 0 {
		return ID{}, false, nil
	}
	if s.hdr.topValid {
		return s.hdr.last, true, nil
	}
	return s.edgeEntry(true)
}

// nodeAt returns the node holding id: the last one whose master id is
// not after id. With id = MaxID it is the last node.
func (s *stream) nodeAt(id ID) (*node, error) {
	if t := s.hdr.tail; t != nil && id.Compare(t.master) >= 0 {
		return t, nil
	}
	return s.lastRecord(id)
}

// lastRecord returns the last node record whose master id is not after
// id (the tail node has no record).
func (s *stream) lastRecord(id ID) (*node, error) {
	var n *node
	lo := s.pfx(tagNode, 0)
	hi := append(s.nodeKey(id), 0)
	err := s.e.scan(lo, hi, true, func(k, v []byte) (bool, error) {
		master, _ := idFromKey(k[len(lo):])
		var err error
		n, err = decodeNode(master, v)
		return false, err
	})
	return n, err
}

// nodes calls fn for each node in order until fn returns false.
func (s *stream) nodes(fn func(n *node) (bool, error)) error {
	return s.nodesFrom(s.pfx(tagNode, 0), fn)
}

// nodesFrom is nodes starting at the node record lo (a node key, or the
// node prefix for all of them).
func (s *stream) nodesFrom(lo []byte, fn func(n *node) (bool, error)) error {
	pfx := len(s.sp) + 1
	more := true
	err := s.e.scan(lo, prefixEnd(s.pfx(tagNode, 0)), false, func(k, v []byte) (bool, error) {
		master, _ := idFromKey(k[pfx:])
		n, err := decodeNode(master, v)
		if err != nil {
			return false, err
		}
		more, err = fn(n)
		return more, err
	})
	if err != nil || !more || s.hdr.tail == nil {
		return err
	}
	_, err = fn(s.hdr.tail)
	return err
}

// Listpack sizes (Redis's listpack.c encodings).

func lpBacklen(l uint64) uint64 {
	switch {
	case l <= 127:
		return 1
	case l < 16383:
		return 2
	case l < 2097151:
		return 3
	case l < 268435455:
		return 4
	}
	return 5
}

func lpIntSize(v int64) uint64 {
	var n uint64
	switch {
	case v >= 0 && v <= 127:
		n = 1
	case v >= -4096 && v <= 4095:
		n = 2
	case v >= -32768 && v <= 32767:
		n = 3
	case v >= -8388608 && v <= 8388607:
		n = 4
	case v >= -2147483648 && v <= 2147483647:
		n = 5
	default:
		n = 9
	}
	return n + lpBacklen(n)
}

func lpStrSize(b []byte) uint64 {
	if v, ok := strkv.ParseInt(b); ok {
		return lpIntSize(v)
	}
	l := uint64(len(b))
	var n uint64
	switch {
	case l < 64:
		n = 1 + l
	case l < 4096:
		n = 2 + l
	default:
		n = 5 + l
	}
	return n + lpBacklen(n)
}

// append adds an entry with the given id (greater than every id in the
// stream) and updates the nodes and the header.
func (s *stream) append(id ID, fv [][]byte) error {
	if err := s.promoteTail(); err != nil {
		return err
	}
	n := s.hdr.tail
	if n != nil {
		var tot uint64
		for _, x := range fv {
			tot += uint64(len(x))
		}
		if n.lpBytes()+tot >= nodeMaxBytes || n.valid+n.deleted >= nodeMaxEntries {
			// Full: it keeps a record of its own, a new tail starts.
			s.e.set(s.nodeKey(n.master), n.encode())
			n = nil
		}
	}
	nf := len(fv) / 2
	if n == nil {
		n = &node{master: id}
		n.fields = make([][]byte, nf)
		n.size = 7 + lpIntSize(int64(nf)) + lpIntSize(0)
		for i := range nf {
			n.fields[i] = fv[2*i]
			n.size += lpStrSize(fv[2*i])
		}
	}
	same := len(n.fields) == nf
	for i := 0; same && i < nf; i++ {
		same = bytes.Equal(n.fields[i], fv[2*i])
	}
	var flags, lpCount int64 = 0, int64(nf) + 3
	if same {
		flags = 2
	} else {
		lpCount += int64(nf) + 1
	}
	sz := lpIntSize(flags) + lpIntSize(int64(id.Ms-n.master.Ms)) + lpIntSize(int64(id.Seq-n.master.Seq))
	if !same {
		sz += lpIntSize(int64(nf))
	}
	for i, x := range fv {
		if !same || i%2 == 1 {
			sz += lpStrSize(x)
		}
	}
	sz += lpIntSize(lpCount)
	n.size += sz
	n.valid++
	n.last = id
	s.hdr.tail = n
	s.hdr.topValid = true
	s.e.set(s.entryKey(id), encodeFields(fv))
	s.hdr.length++
	s.hdr.added++
	s.hdr.last = id
	if s.hdr.length == 1 {
		s.hdr.first = id
	}
	return nil
}

// deleteEntry removes one entry (XDEL); ok is false when it did not exist.
func (s *stream) deleteEntry(id ID) (bool, error) {
	_, ok, err := s.e.get(s.entryKey(id))
	if err != nil || !ok {
		return false, err
	}
	n, err := s.nodeAt(id)
	if err != nil {
		return false, err
	}
	if n == nil {
		return false, fmt.Errorf("stream %q: entry %s without a node: %w", s.key, id, ErrCorrupt)
	}
	s.e.m.Delete(s.entryKey(id))
	if id == s.hdr.last {
		s.hdr.topValid = false
	}
	if n.valid <= 1 {
		s.delNode(n)
	} else {
		n.valid--
		n.deleted++
		s.putNode(n)
	}
	s.hdr.length--
	return true, nil
}

// trimArgs are the trimming options of XADD and XTRIM.
type trimArgs struct {
	strategy int // 0 none, trimMaxLen, trimMinID
	maxlen   int64
	minid    ID
	approx   bool
	limit    int64 // 0: none
}

const (
	trimMaxLen = 1
	trimMinID  = 2
)

// trim removes entries as Redis's streamTrim does: whole nodes from the
// start, then (unless approx) entries inside the first node left. Each
// removal is one range deletion, and only the node holding the first
// entry onwards is visited, so the keys deleted by earlier trims are not
// stepped over again.
func (s *stream) trim(a trimArgs) (int64, error) {
	if a.strategy == 0 || s.hdr.length == 0 {
		return 0, nil
	}
	if a.strategy == trimMaxLen && s.hdr.length <= uint64(a.maxlen) {
		return 0, nil
	}
	// The node holding the first entry: nodes before it are all gone.
	first := s.hdr.tail
	if first == nil || s.hdr.first.Compare(first.master) < 0 {
		n, err := s.lastRecord(s.hdr.first)
		if err != nil {
			return 0, err
		}
		if n == nil {
			return 0, fmt.Errorf("stream %q: entry %s without a node: %w", s.key, s.hdr.first, ErrCorrupt)
		}
		first = n
	}
	var deleted int64
	maxlen := uint64(a.maxlen)
	from := s.hdr.first // no entry before it
	firstKnown := true
	visit := func(n *node) (bool, error) {
		if a.strategy == trimMaxLen && s.hdr.length <= maxlen {
			return false, nil
		}
		entries := int64(n.valid)
		if a.limit != 0 && deleted+entries > a.limit {
			return false, nil
		}
		if from.Compare(n.master) < 0 {
			from = n.master
		}
		var remove bool
		if a.strategy == trimMaxLen {
			remove = s.hdr.length-n.valid >= maxlen
		} else {
			remove = n.last.Compare(a.minid) < 0
		}
		if remove {
			s.e.m.DeleteRange(s.entryKey(from), append(s.entryKey(n.last), 0))
			s.delNode(n)
			s.hdr.length -= n.valid
			deleted += entries
			from, _ = n.last.Incr()
			firstKnown = false
			return true, nil
		}
		if a.approx {
			return false, nil
		}
		// Part of this node: the entries before the new first one, which
		// is in this node since the node is not removed whole.
		var d uint64
		var newFirst, firstGone ID
		found := false
		pfx := len(s.sp) + 1
		err := s.e.scan(s.entryKey(from), append(s.entryKey(n.last), 0), false, func(k, _ []byte) (bool, error) {
			id, _ := idFromKey(k[pfx:])
			if a.strategy == trimMaxLen && s.hdr.length-d <= maxlen ||
				a.strategy == trimMinID && id.Compare(a.minid) >= 0 {
				newFirst, found = id, true
				return false, nil
			}
			if d == 0 {
				firstGone = id
			}
			d++
			return true, nil
		})
		if err != nil {
			return false, err
		}
		if !found {
			return false, fmt.Errorf("stream %q: node %s holds fewer entries than recorded: %w", s.key, n.master, ErrCorrupt)
		}
		switch {
		case d == 1:
			// A point deletion: every range deletion in the store's
			// memtable is re-split by each later read until a flush, so
			// the common one-entry trim of XADD MAXLEN stays a point.
			s.e.m.Delete(s.entryKey(firstGone))
		case d > 1:
			s.e.m.DeleteRange(s.entryKey(from), s.entryKey(newFirst))
		}
		if d > 0 {
			s.hdr.length -= d
			n.valid -= d
			n.deleted += d
			s.putNode(n)
			deleted += int64(d)
		}
		from, firstKnown = newFirst, true
		return false, nil
	}
	more, err := visit(first)
	if err == nil && more && first != s.hdr.tail && !s.tailGone {
		err = s.nodesFrom(append(s.nodeKey(first.master), 0), visit)
	}
	if err != nil {
		return 0, err
	}
	if deleted == 0 {
		return 0, nil
	}
	s.hdr.first = from
	if s.hdr.length == 0 || !firstKnown {
		return deleted, s.refreshFirst()
	}
	return deleted, nil
}

// raxNodes estimates the node count of Redis's radix tree holding the
// nodes' master ids (XINFO STREAM's radix-tree-nodes).
func raxNodes(keys [][]byte) int64 {
	if len(keys) == 0 {
		return 1
	}
	return raxCount(keys, 0)
}

func raxCount(keys [][]byte, d int) int64 {
	if len(keys) == 1 && d == len(keys[0]) {
		return 1
	}
	// Common prefix from d.
	l := 0
	for d+l < len(keys[0]) {
		c := keys[0][d+l]
		same := true
		for _, k := range keys[1:] {
			if k[d+l] != c {
				same = false
				break
			}
		}
		if !same {
			break
		}
		l++
	}
	if l > 0 {
		return 1 + raxCount(keys, d+l)
	}
	total := int64(1)
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j][d] == keys[i][d] {
			j++
		}
		total += raxCount(keys[i:j], d+1)
		i = j
	}
	return total
}
