package listkv

import (
	"errors"
	"fmt"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/internal/wire"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/layers/subspace"
	"github.com/aspen-db/aspen/layers/tuple"
)

// This file holds the list state a mutation works on: the header, element
// access by position, and writing the key record back.

// ErrIndexRange is LSET's error for an index outside the list.
var ErrIndexRange = errors.New("listkv: index out of range")

// errCorrupt is wrapped by the errors for a list whose stored state does
// not add up (a header that does not decode, an element missing from its
// position). Only a bug or a damaged store produces it.
var errCorrupt = errors.New("listkv: corrupt list")

// header is a list's Meta.Value: the position of its first element and
// its length.
type header struct {
	head int64
	n    int64
}

func (h header) encode() []byte {
	var e wire.Enc
	e.Varint(h.head)
	e.Uvarint(uint64(h.n))
	return e.B
}

func decodeHeader(b []byte) (header, error) {
	d := wire.Dec{B: b}
	h := header{head: d.Varint()}
	n := d.Uvarint()
	if err := d.Done(); err != nil || n > 1<<62 {
		return header{}, fmt.Errorf("list header of %d bytes: %w", len(b), errCorrupt)
	}
	h.n = int64(n)
	return h, nil
}

// elemKey returns the store key of the element at position pos of space.
func elemKey(space subspace.Subspace, pos int64) []byte {
	return space.Pack(tuple.Tuple{pos})
}

// list is one list key as a mutation sees it. Its header changes in
// memory as elements are pushed and popped; save writes it back.
type list struct {
	k     strkv.KeyState
	space subspace.Subspace
	ver   uint64
	header
}

// loadList reads key's list at apply time. wrongType reports a live key of
// another type (nothing was written then). A key that has expired is
// deleted first, so that a new incarnation never needs its old members
// cleared after its own were written. A missing key gives an empty list,
// which save deletes again unless elements were pushed.
func loadList(m layers.Mutator, db int, key []byte) (l *list, wrongType bool, err error) {
	k, err := strkv.LoadKey(m, db, key)
	if err != nil {
		return nil, false, err
	}
	if k.WrongType(strkv.TypeList) {
		return nil, true, nil
	}
	if k.Stored && !k.Live {
		strkv.RemoveKey(m, k)
		if k, err = strkv.LoadKey(m, db, key); err != nil {
			return nil, false, err
		}
	}
	l = &list{k: k}
	if k.Live {
		l.ver = k.Meta.Version
		if l.header, err = decodeHeader(k.Meta.Value); err != nil {
			return nil, false, fmt.Errorf("list %q: %w", key, err)
		}
	} else {
		l.ver = k.NextVersion(strkv.TypeList, m.Now())
	}
	l.space = strkv.MemberSpace(db, key, l.ver)
	return l, false, nil
}

// exists reports whether the list was live when loaded.
func (l *list) exists() bool { return l.k.Live }

// at returns the key of element i (0 is the head).
func (l *list) at(i int64) []byte { return elemKey(l.space, l.head+i) }

// get returns element i.
func (l *list) get(m layers.Mutator, i int64) ([]byte, error) {
	v, err := m.Get(l.at(i))
	if errors.Is(err, layers.ErrNotFound) {
		return nil, fmt.Errorf("list %q: element %d of %d missing: %w", l.k.Key, i, l.n, errCorrupt)
	}
	if err != nil {
		return nil, fmt.Errorf("list %q: read element %d: %w", l.k.Key, i, err)
	}
	return v, nil
}

// push adds v at the head (left) or the tail.
func (l *list) push(m layers.Mutator, left bool, v []byte) {
	if left {
		l.head--
		m.Set(l.at(0), v)
	} else {
		m.Set(l.at(l.n), v)
	}
	l.n++
}

// pop removes and returns the head (left) or tail element; the list must
// not be empty.
func (l *list) pop(m layers.Mutator, left bool) ([]byte, error) {
	i := l.n - 1
	if left {
		i = 0
	}
	v, err := l.get(m, i)
	if err != nil {
		return nil, err
	}
	m.Delete(l.at(i))
	if left {
		l.head++
	}
	l.n--
	return v, nil
}

// elems returns elements [from, to) in order.
func (l *list) elems(m layers.Mutator, from, to int64) ([][]byte, error) {
	return scanElems(m, l.space, l.head, from, to)
}

// save writes the key record back: the new header, or the key's removal
// when the list is empty. A live key keeps its expiry.
func (l *list) save(m layers.Mutator) {
	if l.n == 0 {
		strkv.RemoveKey(m, l.k)
		return
	}
	nm := strkv.Meta{Type: strkv.TypeList, Version: l.ver, Value: l.header.encode()}
	if l.k.Live {
		nm.ExpireAt = l.k.Meta.ExpireAt
	}
	strkv.PutKey(m, l.k, nm)
}

// scanElems reads the elements with indexes [from, to) of the list whose
// head is at position head in space, with one range scan.
func scanElems(src strkv.Source, space subspace.Subspace, head, from, to int64) ([][]byte, error) {
	if from >= to {
		return nil, nil
	}
	out := make([][]byte, 0, min(to-from, 1024))
	err := scanRange(src, space, head, from, to, false, func(_ int64, v []byte) bool {
		out = append(out, append([]byte(nil), v...))
		return true
	})
	if err != nil {
		return nil, err
	}
	if int64(len(out)) != to-from {
		return nil, fmt.Errorf("list scan of [%d, %d) found %d elements: %w", from, to, len(out), errCorrupt)
	}
	return out, nil
}

// scanRange calls fn with the index and value of each element with index
// in [from, to), ascending or descending, until fn returns false. The
// value is valid only during the call.
func scanRange(src strkv.Source, space subspace.Subspace, head, from, to int64, reverse bool, fn func(i int64, v []byte) bool) error {
	if from >= to {
		return nil
	}
	it := src.Scan(elemKey(space, head+from), elemKey(space, head+to), reverse)
	defer it.Close()
	i, step := from, int64(1)
	if reverse {
		i, step = to-1, -1
	}
	for it.Next() {
		if !fn(i, it.Value()) {
			break
		}
		i += step
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("scan list elements: %w", err)
	}
	return nil
}
