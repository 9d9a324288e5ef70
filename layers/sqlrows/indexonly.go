package sqlrows

// Index reads that do not fetch the row: index-only scans, which answer
// from the entries alone, and point lookups in unique indexes.

import (
	"errors"
	"fmt"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/index"
	"github.com/aspen-db/aspen/layers/tuple"
)

// NextEntry advances to the next index entry without reading its row:
// Entry then gives the entry's indexed values (key elements) and primary
// key. Reading the entry adds its key to a transaction's read set, so a
// concurrent change of the row's indexed values or its deletion (both of
// which rewrite the entry) still conflicts. It returns false at the end or
// on error.
func (it *IndexRowIterator) NextEntry() bool {
	if it.err != nil || it.it == nil || !it.it.Next() {
		return false
	}
	e := it.it.Entry()
	it.pk, it.row, it.raw = e.PK, nil, nil
	return true
}

// Entry returns the current entry after NextEntry or NextRaw; its tuples
// are owned by the caller.
func (it *IndexRowIterator) Entry() index.Entry {
	if it.it == nil {
		return index.Entry{}
	}
	return it.it.Entry()
}

// IndexLookup returns the primary key of the row whose values of the
// unique index i equal values (a full, nil-free tuple of key elements),
// or found false. It reads the one entry key with a point Get, not a
// range: the read conflicts with any write of that entry, including the
// insert of a row that takes the values.
func (t *Table) IndexLookup(r layers.Reader, i int, values tuple.Tuple) (pk tuple.Tuple, found bool, err error) {
	if i < 0 || i >= len(t.indexes) {
		return nil, false, fmt.Errorf("table %q has no index %d", t.desc.Name, i)
	}
	pk, err = t.indexes[i].Lookup(r, values)
	if errors.Is(err, layers.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("table %q: %w", t.desc.Name, err)
	}
	return pk, true, nil
}

// IndexPointable reports whether values can be looked up with IndexLookup
// in index i: the index is unique and values bind all its columns, none of
// them NULL (entries with a NULL are kept in the non-unique layout).
func (t *Table) IndexPointable(i int, values tuple.Tuple) bool {
	if i < 0 || i >= len(t.indexes) {
		return false
	}
	ix := t.indexes[i]
	if !ix.Unique() || len(values) != ix.Arity() {
		return false
	}
	for _, v := range values {
		if v == nil {
			return false
		}
	}
	return true
}
