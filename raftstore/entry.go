package raftstore

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Raft log entry format. Every command entry starts with a format version
// byte and a kind byte; the rest depends on the kind. Integers are uvarints,
// byte strings are a uvarint length followed by the bytes.
const (
	entryFormat = 1

	kindTxn      = 1 // a transaction: read version, read ranges, writes, mutations
	kindNodeMeta = 2 // a node's advertised addresses
	kindNoop     = 3 // a new leader's first command; carries nothing
)

// mutation is one deterministic operation carried by a transaction.
type mutation struct {
	op   string
	args []byte
}

// txnEntry is a transaction as it travels through the Raft log.
type txnEntry struct {
	readVersion uint64
	// nowMicros is the leader's clock when it proposed the entry, in
	// microseconds since the Unix epoch. Zero until the leader stamps it.
	nowMicros int64
	reads     []span
	rangeDels []span
	points    []bufEntry
	muts      []mutation
}

func appendBytes(b, v []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

func (e *txnEntry) encode() []byte {
	n := 32
	for _, r := range e.reads {
		n += len(r.start) + len(r.end) + 4
	}
	for _, p := range e.points {
		n += len(p.key) + len(p.value) + 6
	}
	b := make([]byte, 0, n)
	b = append(b, entryFormat, kindTxn)
	b = binary.BigEndian.AppendUint64(b, uint64(e.nowMicros))
	b = binary.AppendUvarint(b, e.readVersion)
	b = binary.AppendUvarint(b, uint64(len(e.reads)))
	for _, r := range e.reads {
		b = appendBytes(b, r.start)
		b = appendBytes(b, r.end)
	}
	b = binary.AppendUvarint(b, uint64(len(e.rangeDels)))
	for _, r := range e.rangeDels {
		b = appendBytes(b, r.start)
		b = appendBytes(b, r.end)
	}
	b = binary.AppendUvarint(b, uint64(len(e.points)))
	for _, p := range e.points {
		if p.del {
			b = append(b, 1)
			b = appendBytes(b, p.key)
		} else {
			b = append(b, 0)
			b = appendBytes(b, p.key)
			b = appendBytes(b, p.value)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(e.muts)))
	for _, m := range e.muts {
		b = appendBytes(b, []byte(m.op))
		b = appendBytes(b, m.args)
	}
	return b
}

// stampEntry writes the leader's clock into an encoded transaction entry, in
// place. The timestamp has a fixed position so that the leader can stamp an
// entry forwarded by a follower without decoding it.
func stampEntry(data []byte, nowMicros int64) error {
	kind, err := entryKind(data)
	if err != nil {
		return err
	}
	if kind != kindTxn || len(data) < 10 {
		return fmt.Errorf("stamp entry: kind %d is not a transaction", kind)
	}
	binary.BigEndian.PutUint64(data[2:10], uint64(nowMicros))
	return nil
}

var errShortEntry = errors.New("truncated entry")

// decoder reads the entry format with bounds checks: a length is checked
// against the bytes left before anything is sliced or allocated.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errShortEntry
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errShortEntry
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) byte() byte {
	if d.err != nil {
		return 0
	}
	if len(d.b) == 0 {
		d.err = errShortEntry
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)) {
		d.err = errShortEntry
		return nil
	}
	v := d.b[:n:n]
	d.b = d.b[n:]
	return v
}

// count reads an element count and checks it against the bytes left, each
// element taking at least min bytes.
func (d *decoder) count(min int) int {
	n := d.uvarint()
	if d.err != nil {
		return 0
	}
	if n > uint64(len(d.b)/min) {
		d.err = fmt.Errorf("count %d exceeds entry size", n)
		return 0
	}
	return int(n)
}

func entryKind(data []byte) (byte, error) {
	if len(data) < 2 {
		return 0, errShortEntry
	}
	if data[0] != entryFormat {
		return 0, fmt.Errorf("unknown entry format %d", data[0])
	}
	return data[1], nil
}

func decodeTxn(data []byte) (*txnEntry, error) {
	kind, err := entryKind(data)
	if err != nil {
		return nil, err
	}
	if kind != kindTxn {
		return nil, fmt.Errorf("entry kind %d is not a transaction", kind)
	}
	if len(data) < 10 {
		return nil, errShortEntry
	}
	d := &decoder{b: data[10:]}
	e := &txnEntry{nowMicros: int64(binary.BigEndian.Uint64(data[2:10]))}
	e.readVersion = d.uvarint()
	if n := d.count(2); n > 0 {
		e.reads = make([]span, n)
		for i := range e.reads {
			e.reads[i] = span{d.bytes(), d.bytes()}
		}
	}
	if n := d.count(2); n > 0 {
		e.rangeDels = make([]span, n)
		for i := range e.rangeDels {
			e.rangeDels[i] = span{d.bytes(), d.bytes()}
		}
	}
	if n := d.count(2); n > 0 {
		e.points = make([]bufEntry, n)
		for i := range e.points {
			switch d.byte() {
			case 0:
				e.points[i].key = d.bytes()
				e.points[i].value = d.bytes()
			case 1:
				e.points[i].key = d.bytes()
				e.points[i].del = true
			default:
				if d.err == nil {
					d.err = errors.New("bad write kind")
				}
			}
		}
	}
	if n := d.count(2); n > 0 {
		e.muts = make([]mutation, n)
		for i := range e.muts {
			e.muts[i] = mutation{op: string(d.bytes()), args: d.bytes()}
		}
	}
	if d.err != nil {
		return nil, fmt.Errorf("decode transaction entry: %w", d.err)
	}
	if len(d.b) != 0 {
		return nil, fmt.Errorf("decode transaction entry: %d trailing bytes", len(d.b))
	}
	return e, nil
}

// commitOutcome is what applying a transaction entry produced, as carried
// back to the proposer (possibly over the network from the leader).
type commitOutcome struct {
	status    byte // outcomeOK, outcomeConflict, outcomeTooOld, outcomeFailed
	version   uint64
	nowMicros int64
	results   [][]byte
	msg       string
}

const (
	outcomeOK       = 0
	outcomeConflict = 1
	outcomeTooOld   = 2
	outcomeFailed   = 3
)

func (o *commitOutcome) encode() []byte {
	b := []byte{o.status}
	b = binary.AppendUvarint(b, o.version)
	b = binary.AppendVarint(b, o.nowMicros)
	b = binary.AppendUvarint(b, uint64(len(o.results)))
	for _, r := range o.results {
		b = appendBytes(b, r)
	}
	return appendBytes(b, []byte(o.msg))
}

func decodeOutcome(data []byte) (*commitOutcome, error) {
	d := &decoder{b: data}
	o := &commitOutcome{status: d.byte()}
	o.version = d.uvarint()
	o.nowMicros = d.varint()
	if n := d.count(1); n > 0 {
		o.results = make([][]byte, n)
		for i := range o.results {
			o.results[i] = d.bytes()
		}
	}
	o.msg = string(d.bytes())
	if d.err != nil {
		return nil, fmt.Errorf("decode commit outcome: %w", d.err)
	}
	return o, nil
}
