package index

import (
	"fmt"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/tuple"
)

// Entry is one index entry: the indexed values and the primary key of the
// record that holds them.
type Entry struct {
	Values tuple.Tuple
	PK     tuple.Tuple
}

// Bound is one end of a range of indexed values. Values is a prefix of the
// index's values (at most Arity elements); Inclusive says whether entries
// whose values begin with it are inside the range. For a first indexed
// value a, the bounds of "a >= 5" are {(5), true} as the lower end, of
// "a > 5" {(5), false}; of "a <= 7" {(7), true} as the upper end, of "a < 7"
// {(7), false}.
type Bound struct {
	Values    tuple.Tuple
	Inclusive bool
}

// Scan returns an iterator over the entries whose values begin with prefix
// (a tuple prefix: the string "ab" does not match "abc"), ordered by values
// then primary key, descending when reverse is true. An empty prefix scans
// the whole index. The caller must Close the iterator.
func (ix *Index) Scan(r layers.Reader, prefix tuple.Tuple, reverse bool) *Iterator {
	b := &Bound{Values: prefix, Inclusive: true}
	return ix.ScanRange(r, b, b, reverse)
}

// ScanRange returns an iterator over the entries between lo and hi, ordered
// by values then primary key, descending when reverse is true. A nil bound
// leaves that end open. The caller must Close the iterator.
func (ix *Index) ScanRange(r layers.Reader, lo, hi *Bound, reverse bool) *Iterator {
	begin, end := ix.space.Range()
	var err error
	if lo != nil {
		begin, err = ix.boundKey(lo, !lo.Inclusive)
	}
	if err == nil && hi != nil {
		end, err = ix.boundKey(hi, hi.Inclusive)
	}
	if err != nil {
		return &Iterator{ix: ix, err: err}
	}
	return &Iterator{ix: ix, it: r.Scan(begin, end, reverse)}
}

// boundKey returns the key just before every entry whose values begin with
// b.Values, or with after set, the key just after all of them.
func (ix *Index) boundKey(b *Bound, after bool) ([]byte, error) {
	if len(b.Values) > ix.arity {
		return nil, fmt.Errorf("index %s: bound %s has more than %d values", ix.name, b.Values, ix.arity)
	}
	k, err := ix.space.Append(nil, b.Values)
	if err != nil {
		return nil, fmt.Errorf("index %s: pack bound %s: %w", ix.name, b.Values, err)
	}
	if after {
		// Every longer tuple continues with a type code below 0xff.
		k = append(k, 0xff)
	}
	return k, nil
}

// Iterator walks index entries. It is not safe for concurrent use.
type Iterator struct {
	ix    *Index
	it    layers.Iterator
	entry Entry
	err   error
}

// Next advances to the next entry and reports whether there is one. It
// returns false at the end of the range or on an error; check Err.
func (it *Iterator) Next() bool {
	if it.err != nil || it.it == nil {
		return false
	}
	if !it.it.Next() {
		return false
	}
	e, err := it.ix.decode(it.it.Key(), it.it.Value())
	if err != nil {
		it.err = err
		return false
	}
	it.entry = e
	return true
}

// Entry returns the current entry. Its tuples are owned by the caller.
func (it *Iterator) Entry() Entry { return it.entry }

// Err returns the first error met while iterating, if any.
func (it *Iterator) Err() error {
	if it.err != nil {
		return it.err
	}
	if it.it != nil {
		if err := it.it.Err(); err != nil {
			return fmt.Errorf("index %s: scan: %w", it.ix.name, err)
		}
	}
	return nil
}

// Close releases the iterator. It returns the first error met while
// iterating or closing.
func (it *Iterator) Close() error {
	err := it.Err()
	if it.it != nil {
		if cerr := it.it.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("index %s: close scan: %w", it.ix.name, cerr)
		}
		it.it = nil
	}
	return err
}

// decode turns a stored entry back into values and primary key.
func (ix *Index) decode(key, value []byte) (Entry, error) {
	t, err := ix.space.Unpack(key)
	if err != nil {
		return Entry{}, fmt.Errorf("index %s: corrupt entry key: %w", ix.name, err)
	}
	switch {
	case len(t) > ix.arity:
		return Entry{Values: t[:ix.arity:ix.arity], PK: t[ix.arity:]}, nil
	case len(t) == ix.arity && ix.unique:
		pk, err := tuple.Unpack(value)
		if err != nil {
			return Entry{}, fmt.Errorf("index %s: corrupt entry %s: %w", ix.name, t, err)
		}
		return Entry{Values: t, PK: pk}, nil
	default:
		return Entry{}, fmt.Errorf("index %s: corrupt entry key %s: want more than %d elements", ix.name, t, ix.arity)
	}
}
