package streamkv

import (
	"bytes"
	"fmt"

	"github.com/aspen-db/aspen/layers/internal/wire"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/layers/tuple"
)

// This file holds consumer groups: the group record, its pending entries
// list (PEL) and its consumers, each a record of its own.

// invalidEntriesRead is Redis's SCG_INVALID_ENTRIES_READ.
const invalidEntriesRead = -1

// group is a consumer group's record.
type group struct {
	name        []byte
	last        ID
	entriesRead int64
	pending     uint64
	// pelMax is the greatest id ever added to the PEL: a new entry above
	// it cannot be pending yet, so delivering it needs no lookup.
	pelMax ID
}

func (g *group) encode() []byte {
	var e wire.Enc
	e.Uvarint(g.last.Ms)
	e.Uvarint(g.last.Seq)
	e.Varint(g.entriesRead)
	e.Uvarint(g.pending)
	e.Uvarint(g.pelMax.Ms)
	e.Uvarint(g.pelMax.Seq)
	return e.B
}

func decodeGroup(name, b []byte) (*group, error) {
	d := wire.Dec{B: b}
	g := &group{name: bytes.Clone(name)}
	g.last = ID{d.Uvarint(), d.Uvarint()}
	g.entriesRead = d.Varint()
	g.pending = d.Uvarint()
	g.pelMax = ID{d.Uvarint(), d.Uvarint()}
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("stream group: %w: %w", err, ErrCorrupt)
	}
	return g, nil
}

// getGroup reads a group; nil when it does not exist.
func (s *stream) getGroup(name []byte) (*group, error) {
	if !s.exists {
		return nil, nil
	}
	v, ok, err := s.e.get(s.groupKey(name))
	if err != nil || !ok {
		return nil, err
	}
	return decodeGroup(name, v)
}

func (s *stream) putGroup(g *group) { s.e.set(s.groupKey(g.name), g.encode()) }

// groups returns every group in name order.
func (s *stream) groups() ([]*group, error) {
	if !s.exists {
		return nil, nil
	}
	lo := s.pfx(tagGroup, 0)
	var out []*group
	err := s.e.scan(lo, prefixEnd(lo), false, func(k, v []byte) (bool, error) {
		name, err := unpackName(k[len(lo):])
		if err != nil {
			return false, err
		}
		g, err := decodeGroup(name, v)
		if err != nil {
			return false, err
		}
		out = append(out, g)
		return true, nil
	})
	return out, err
}

// destroyGroup removes a group with its PEL and consumers.
func (s *stream) destroyGroup(g *group) {
	m := s.e.m
	m.Delete(s.groupKey(g.name))
	for _, p := range [][]byte{s.pelPrefix(g.name), s.consPrefix(g.name), packName(s.pfx(tagConsPEL, 0), g.name)} {
		m.DeleteRange(p, prefixEnd(p))
	}
	s.hdr.ngroups--
}

// consumer is a consumer's record: its seen time. Its pending entries are
// counted from its own PEL index when a command reports them.
type consumer struct {
	name    []byte
	seen    int64
	pending uint64 // filled by consumers()
}

func (c *consumer) encode() []byte {
	var e wire.Enc
	e.Varint(c.seen)
	return e.B
}

func decodeConsumer(name, b []byte) (*consumer, error) {
	d := wire.Dec{B: b}
	c := &consumer{name: bytes.Clone(name)}
	c.seen = d.Varint()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("stream consumer: %w: %w", err, ErrCorrupt)
	}
	return c, nil
}

func (s *stream) getConsumer(g *group, name []byte) (*consumer, error) {
	v, ok, err := s.e.get(s.consKey(g.name, name))
	if err != nil || !ok {
		return nil, err
	}
	return decodeConsumer(name, v)
}

func (s *stream) putConsumer(g *group, c *consumer) {
	s.e.set(s.consKey(g.name, c.name), c.encode())
}

// lookupConsumer finds or creates a consumer and refreshes its seen
// time, as streamLookupConsumer and streamCreateConsumer do; the caller
// writes it (putConsumer). A consumer's record is only its seen time, so
// neither needs to read it first.
// A consumer it creates is announced ("xgroup-createconsumer"); only then
// does it read whether the consumer exists.
func (s *stream) lookupConsumer(g *group, name []byte) (*consumer, error) {
	if s.e.m != nil && g != nil && strkv.Notifying(strkv.NotifyStream) {
		c, err := s.getConsumer(g, name)
		if err != nil {
			return nil, err
		}
		if c == nil {
			s.notify("xgroup-createconsumer")
		}
	}
	return &consumer{name: bytes.Clone(name), seen: s.e.now}, nil
}

// countConsumers counts the consumers of g.
func (s *stream) countConsumers(g *group) (int64, error) {
	lo := s.consPrefix(g.name)
	var n int64
	err := s.e.scan(lo, prefixEnd(lo), false, func(_, _ []byte) (bool, error) {
		n++
		return true, nil
	})
	return n, err
}

// consumers returns every consumer of g in name order.
func (s *stream) consumers(g *group) ([]*consumer, error) {
	lo := s.consPrefix(g.name)
	var out []*consumer
	err := s.e.scan(lo, prefixEnd(lo), false, func(k, v []byte) (bool, error) {
		name, err := unpackName(k[len(lo):])
		if err != nil {
			return false, err
		}
		c, err := decodeConsumer(name, v)
		if err != nil {
			return false, err
		}
		out = append(out, c)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	for _, c := range out {
		if c.pending, err = s.countPending(g, c.name); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// countPending counts the pending entries of consumer name.
func (s *stream) countPending(g *group, name []byte) (uint64, error) {
	lo := s.cpelPrefix(g.name, name)
	var n uint64
	err := s.e.scan(lo, prefixEnd(lo), false, func(_, _ []byte) (bool, error) {
		n++
		return true, nil
	})
	return n, err
}

// deleteConsumer removes c and its pending entries from g and returns
// how many it had.
func (s *stream) deleteConsumer(g *group, c *consumer) (int, error) {
	lo := s.cpelPrefix(g.name, c.name)
	var ids []ID
	err := s.e.scan(lo, prefixEnd(lo), false, func(k, _ []byte) (bool, error) {
		id, _ := idFromKey(k[len(lo):])
		ids = append(ids, id)
		return true, nil
	})
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		s.e.m.Delete(s.pelKey(g.name, id))
	}
	s.e.m.DeleteRange(lo, prefixEnd(lo))
	s.e.m.Delete(s.consKey(g.name, c.name))
	g.pending -= uint64(len(ids))
	return len(ids), nil
}

// nack is a pending entry.
type nack struct {
	id       ID
	consumer []byte
	time     int64
	count    uint64
}

func (n *nack) encode() []byte {
	var e wire.Enc
	e.Bytes(n.consumer)
	e.Varint(n.time)
	e.Uvarint(n.count)
	return e.B
}

func decodeNack(id ID, b []byte) (*nack, error) {
	d := wire.Dec{B: b}
	n := &nack{id: id}
	n.consumer = bytes.Clone(d.Bytes())
	n.time = d.Varint()
	n.count = d.Uvarint()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("stream pending entry: %w: %w", err, ErrCorrupt)
	}
	return n, nil
}

func (s *stream) getNack(g *group, id ID) (*nack, error) {
	v, ok, err := s.e.get(s.pelKey(g.name, id))
	if err != nil || !ok {
		return nil, err
	}
	return decodeNack(id, v)
}

func (s *stream) putNack(g *group, n *nack) { s.e.set(s.pelKey(g.name, n.id), n.encode()) }

// removeNack deletes a pending entry from the group and its consumer.
func (s *stream) removeNack(g *group, n *nack) error {
	s.e.m.Delete(s.pelKey(g.name, n.id))
	s.e.m.Delete(s.cpelKey(g.name, n.consumer, n.id))
	g.pending--
	return nil
}

// pelRange returns up to count (0: all) pending entries of g (or, with
// cons set, of that consumer) with ids in [start, end].
func (s *stream) pelRange(g *group, cons []byte, start, end ID, count int64, keep func(*nack) bool) ([]*nack, error) {
	if start.Compare(end) > 0 {
		return nil, nil
	}
	var out []*nack
	if cons == nil {
		lo := s.pelPrefix(g.name)
		err := s.e.scan(start.appendKey(bytes.Clone(lo)), append(end.appendKey(bytes.Clone(lo)), 0), false, func(k, v []byte) (bool, error) {
			id, _ := idFromKey(k[len(lo):])
			n, err := decodeNack(id, v)
			if err != nil {
				return false, err
			}
			if keep == nil || keep(n) {
				out = append(out, n)
			}
			return count == 0 || int64(len(out)) < count, nil
		})
		return out, err
	}
	lo := s.cpelPrefix(g.name, cons)
	err := s.e.scan(start.appendKey(bytes.Clone(lo)), append(end.appendKey(bytes.Clone(lo)), 0), false, func(k, _ []byte) (bool, error) {
		id, _ := idFromKey(k[len(lo):])
		n, err := s.getNack(g, id)
		if err != nil {
			return false, err
		}
		if n == nil {
			return false, fmt.Errorf("stream %q group %q: consumer index without pending entry %s: %w", s.key, g.name, id, ErrCorrupt)
		}
		if keep == nil || keep(n) {
			out = append(out, n)
		}
		return count == 0 || int64(len(out)) < count, nil
	})
	return out, err
}

func unpackName(b []byte) ([]byte, error) {
	t, err := unpackFirst(b)
	if err != nil {
		return nil, fmt.Errorf("stream name: %w: %w", err, ErrCorrupt)
	}
	return t, nil
}

// unpackFirst reads one tuple-encoded byte string.
func unpackFirst(b []byte) ([]byte, error) {
	t, err := tuple.Unpack(b)
	if err != nil {
		return nil, err
	}
	if len(t) != 1 {
		return nil, fmt.Errorf("%d elements", len(t))
	}
	v, ok := t[0].([]byte)
	if !ok {
		return nil, fmt.Errorf("element of type %T", t[0])
	}
	return v, nil
}
