package setkv

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/layers/subspace"
	"github.com/aspen-db/aspen/layers/tuple"
)

// This file holds the set record and member encoding shared by the reads
// and the mutations.

// ErrCorrupt is wrapped by the errors for a set record or member entry
// this package cannot read.
var ErrCorrupt = errors.New("setkv: corrupt set")

// set is a live set found by a read or a mutation.
type set struct {
	key     []byte
	card    int64
	version uint64
	sp      subspace.Subspace
}

// encodeCard is the Meta.Value of a set of n members.
func encodeCard(n int64) []byte {
	return binary.AppendUvarint(nil, uint64(n))
}

// decodeCard reads the member count of a set record.
func decodeCard(key, v []byte) (int64, error) {
	n, k := binary.Uvarint(v)
	if k <= 0 || k != len(v) || n > 1<<62 {
		return 0, fmt.Errorf("set %q: count of %d bytes: %w", key, len(v), ErrCorrupt)
	}
	return int64(n), nil
}

// fromMeta returns the set described by a live record of type set.
func fromMeta(db int, key []byte, m strkv.Meta) (set, error) {
	n, err := decodeCard(key, m.Value)
	if err != nil {
		return set{}, err
	}
	return set{key: key, card: n, version: m.Version, sp: strkv.MemberSpace(db, key, m.Version)}, nil
}

// lookup finds key in db: ok is false when it does not exist, and the
// error is strkv.ErrWrongType when it holds another type.
func lookup(r *strkv.Reader, db int, key []byte) (s set, ok bool, err error) {
	m, ok, err := r.Meta(db, key)
	if err != nil || !ok {
		return set{}, false, err
	}
	if m.Type != strkv.TypeSet {
		return set{}, false, strkv.ErrWrongType
	}
	s, err = fromMeta(db, key, m)
	return s, err == nil, err
}

// lookupAll finds every key in order, as Redis's multi-key set commands
// do: the first key of another type fails the command; a missing key is
// reported as ok false in its place.
func lookupAll(r *strkv.Reader, db int, keys [][]byte) ([]set, []bool, error) {
	sets := make([]set, len(keys))
	oks := make([]bool, len(keys))
	for i, k := range keys {
		s, ok, err := lookup(r, db, k)
		if err != nil {
			return nil, nil, err
		}
		sets[i], oks[i] = s, ok
	}
	return sets, oks, nil
}

// memberKey is the store key of member in s.
func (s set) memberKey(member []byte) []byte {
	return s.sp.Pack(tuple.Tuple{member})
}

// member decodes the member a store key of s names.
func (s set) member(k []byte) ([]byte, error) {
	t, err := s.sp.Unpack(k)
	if err != nil || len(t) != 1 {
		return nil, fmt.Errorf("set %q: member key %x: %w", s.key, k, ErrCorrupt)
	}
	b, ok := t[0].([]byte)
	if !ok {
		return nil, fmt.Errorf("set %q: member key %x: %w", s.key, k, ErrCorrupt)
	}
	return b, nil
}

// has reports whether member is in s.
func (s set) has(src strkv.Source, member []byte) (bool, error) {
	_, err := src.Get(s.memberKey(member))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, layers.ErrNotFound):
		return false, nil
	default:
		return false, fmt.Errorf("set %q: read member: %w", s.key, err)
	}
}

// prefixBegin is the first store key of the members of s that start with
// prefix (all members for an empty prefix): the member encoding without
// its terminator.
func (s set) prefixBegin(prefix []byte) []byte {
	k := s.memberKey(prefix)
	return k[:len(k)-1]
}

// scanRange calls fn with the members of s whose store keys lie in
// [begin, end), in order (reverse order when reverse is set), until fn
// returns false. member is valid only during the call.
func (s set) scanRange(src strkv.Source, begin, end []byte, reverse bool, fn func(member []byte) bool) error {
	it := src.Scan(begin, end, reverse)
	var err error
	for it.Next() {
		var m []byte
		if m, err = s.member(it.Key()); err != nil {
			break
		}
		if !fn(m) {
			break
		}
	}
	if err == nil {
		err = it.Err()
	}
	if cerr := it.Close(); err == nil {
		err = cerr
	}
	if err != nil && !errors.Is(err, ErrCorrupt) {
		err = fmt.Errorf("set %q: scan members: %w", s.key, err)
	}
	return err
}

// scan calls fn with the members of s from the first at or after from,
// in byte order, until fn returns false.
func (s set) scan(src strkv.Source, from []byte, fn func(member []byte) bool) error {
	begin, end := s.sp.Range()
	if len(from) > 0 {
		begin = s.memberKey(from)
	}
	return s.scanRange(src, begin, end, false, fn)
}

// all returns every member of s in byte order.
func (s set) all(src strkv.Source) ([][]byte, error) {
	out := make([][]byte, 0, min(s.card, 1024))
	err := s.scan(src, nil, func(m []byte) bool {
		out = append(out, bytes.Clone(m))
		return true
	})
	return out, err
}
