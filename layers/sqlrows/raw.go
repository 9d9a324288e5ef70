package sqlrows

// Undecoded row access, for readers that decode only the columns they use.

import (
	"errors"
	"fmt"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/tuple"
)

// GetRaw returns the stored encoding of the row with primary key pk (a
// tuple of its column elements), or found false.
func (t *Table) GetRaw(r layers.Reader, pk tuple.Tuple) (row []byte, found bool, err error) {
	k, err := t.rowKey(pk)
	if err != nil {
		return nil, false, err
	}
	v, err := r.Get(k)
	if errors.Is(err, layers.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("table %q: read row %s: %w", t.desc.Name, pk, err)
	}
	return v, true, nil
}

// NextRaw advances to the next row without decoding it: Value then gives
// its encoding and DecodePK its primary key. It returns false at the end
// or on error.
func (it *RowIterator) NextRaw() bool {
	if it.err != nil || it.it == nil || !it.it.Next() {
		return false
	}
	it.pk, it.row = nil, nil
	return true
}

// Value returns the current row's stored encoding (a packed tuple), valid
// until the iterator moves.
func (it *RowIterator) Value() []byte { return it.it.Value() }

// DecodePK decodes the current row's primary key, owned by the caller.
func (it *RowIterator) DecodePK() (tuple.Tuple, error) {
	pk, err := it.t.rows.Unpack(it.it.Key())
	if err != nil {
		return nil, fmt.Errorf("table %q: corrupt row key: %w", it.t.desc.Name, err)
	}
	return pk, nil
}

// NextRaw advances to the next row without decoding it: Value then gives
// its encoding and PK its primary key. It returns false at the end or on
// error.
func (it *IndexRowIterator) NextRaw() bool {
	if it.err != nil || it.it == nil {
		return false
	}
	for it.it.Next() {
		e := it.it.Entry()
		v, found, err := it.t.GetRaw(it.r, e.PK)
		if err != nil {
			it.err = err
			return false
		}
		if !found {
			continue // cannot happen in one snapshot; skip defensively
		}
		it.pk, it.row, it.raw = e.PK, nil, v
		return true
	}
	return false
}

// Value returns the current row's stored encoding after NextRaw.
func (it *IndexRowIterator) Value() []byte { return it.raw }
