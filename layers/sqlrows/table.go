package sqlrows

// Row storage of one table: point reads, inserts, updates, deletes and key-range scans, with unique indexes kept in the same transaction.

import (
	"errors"
	"fmt"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/index"
	"github.com/aspen-db/aspen/layers/subspace"
	"github.com/aspen-db/aspen/layers/tuple"
)

// KeyFunc returns the key elements of the given columns of a stored row:
// elements whose tuple order is the SQL order of the values and under which
// equal values are equal. It must be deterministic.
type KeyFunc func(row tuple.Tuple, cols []int) (tuple.Tuple, error)

// ConstraintError reports a row that would violate a primary key or unique
// constraint.
type ConstraintError struct {
	Table      string
	Constraint string // the constraint's name, e.g. t_pkey or t_a_key
	Columns    []int  // the constrained columns' positions
}

// Error describes the violation.
func (e *ConstraintError) Error() string {
	return fmt.Sprintf("table %q: duplicate key violates %s", e.Table, e.Constraint)
}

// Table reads and writes one table's rows and maintains its indexes. It is
// immutable and safe for concurrent use; all state lives in the store.
type Table struct {
	desc    *TableDesc
	rows    subspace.Subspace
	indexes []*index.Index
	keyOf   KeyFunc
}

// Open returns the table described by desc. keyOf turns column values into
// key elements for its indexes.
func (c *Catalog) Open(desc *TableDesc, keyOf KeyFunc) (*Table, error) {
	space := c.data.Sub(desc.StoreID())
	t := &Table{desc: desc, rows: space.Sub("r"), keyOf: keyOf}
	for _, ix := range desc.Indexes {
		cols := ix.Columns
		extract := func(value []byte) (tuple.Tuple, error) {
			row, err := tuple.Unpack(value)
			if err != nil {
				return nil, err
			}
			return keyOf(row, cols)
		}
		var (
			idx *index.Index
			err error
		)
		ispace := space.Sub("i", ix.ID)
		if ix.Unique {
			idx, err = index.NewUnique(ispace, len(cols), extract)
		} else {
			idx, err = index.New(ispace, len(cols), extract)
		}
		if err != nil {
			return nil, fmt.Errorf("table %q: index %q: %w", desc.Name, ix.Name, err)
		}
		t.indexes = append(t.indexes, idx)
	}
	return t, nil
}

// Desc returns the table's descriptor; the caller must not modify it.
func (t *Table) Desc() *TableDesc { return t.desc }

// rowKey returns the key of the row with primary key pk.
func (t *Table) rowKey(pk tuple.Tuple) ([]byte, error) {
	k, err := t.rows.Append(nil, pk)
	if err != nil {
		return nil, fmt.Errorf("table %q: pack primary key %s: %w", t.desc.Name, pk, err)
	}
	return k, nil
}

// Get returns the row with primary key pk, or found false.
func (t *Table) Get(r layers.Reader, pk tuple.Tuple) (row tuple.Tuple, found bool, err error) {
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
	row, err = tuple.Unpack(v)
	if err != nil {
		return nil, false, fmt.Errorf("table %q: corrupt row %s: %w", t.desc.Name, pk, err)
	}
	return row, true, nil
}

// Insert stores a new row under pk. It returns a *ConstraintError if a row
// with that key exists or a unique index already holds its values. On error
// the caller should abandon the statement: index writes may be buffered.
func (t *Table) Insert(tx layers.Txn, pk, row tuple.Tuple) error {
	k, err := t.rowKey(pk)
	if err != nil {
		return err
	}
	_, err = tx.Get(k)
	switch {
	case err == nil:
		return &ConstraintError{Table: t.desc.Name, Constraint: t.desc.PKName, Columns: t.desc.PrimaryKey}
	case !errors.Is(err, layers.ErrNotFound):
		return fmt.Errorf("table %q: read row %s: %w", t.desc.Name, pk, err)
	}
	v, err := tuple.Append(nil, row)
	if err != nil {
		return fmt.Errorf("table %q: encode row: %w", t.desc.Name, err)
	}
	if err := t.updateIndexes(tx, pk, nil, v); err != nil {
		return err
	}
	tx.Set(k, v)
	return nil
}

// Update replaces the row oldRow stored under oldPK by newRow under newPK
// (which may equal oldPK), maintaining the indexes.
func (t *Table) Update(tx layers.Txn, oldPK, oldRow, newPK, newRow tuple.Tuple) error {
	oldK, err := t.rowKey(oldPK)
	if err != nil {
		return err
	}
	newK, err := t.rowKey(newPK)
	if err != nil {
		return err
	}
	oldV, err := tuple.Append(nil, oldRow)
	if err != nil {
		return fmt.Errorf("table %q: encode row: %w", t.desc.Name, err)
	}
	newV, err := tuple.Append(nil, newRow)
	if err != nil {
		return fmt.Errorf("table %q: encode row: %w", t.desc.Name, err)
	}
	if string(oldK) != string(newK) {
		_, err := tx.Get(newK)
		switch {
		case err == nil:
			return &ConstraintError{Table: t.desc.Name, Constraint: t.desc.PKName, Columns: t.desc.PrimaryKey}
		case !errors.Is(err, layers.ErrNotFound):
			return fmt.Errorf("table %q: read row %s: %w", t.desc.Name, newPK, err)
		}
		if err := t.updateIndexes(tx, oldPK, oldV, nil); err != nil {
			return err
		}
		if err := t.updateIndexes(tx, newPK, nil, newV); err != nil {
			return err
		}
		tx.Delete(oldK)
		tx.Set(newK, newV)
		return nil
	}
	if err := t.updateIndexes(tx, newPK, oldV, newV); err != nil {
		return err
	}
	tx.Set(newK, newV)
	return nil
}

// Delete removes the row oldRow stored under pk and its index entries.
func (t *Table) Delete(tx layers.Txn, pk, oldRow tuple.Tuple) error {
	k, err := t.rowKey(pk)
	if err != nil {
		return err
	}
	oldV, err := tuple.Append(nil, oldRow)
	if err != nil {
		return fmt.Errorf("table %q: encode row: %w", t.desc.Name, err)
	}
	if err := t.updateIndexes(tx, pk, oldV, nil); err != nil {
		return err
	}
	tx.Delete(k)
	return nil
}

func (t *Table) updateIndexes(tx layers.Txn, pk tuple.Tuple, oldV, newV []byte) error {
	for i, ix := range t.indexes {
		if err := ix.Update(tx, pk, oldV, newV); err != nil {
			if errors.Is(err, index.ErrUniqueViolation) {
				d := t.desc.Indexes[i]
				return &ConstraintError{Table: t.desc.Name, Constraint: d.Name, Columns: d.Columns}
			}
			return fmt.Errorf("table %q: %w", t.desc.Name, err)
		}
	}
	return nil
}

// Bound is one end of a primary-key range: a prefix of the key and whether
// keys that begin with it are inside the range.
type Bound struct {
	Values    tuple.Tuple
	Inclusive bool
}

// Scan returns an iterator over the rows whose primary keys lie between lo
// and hi (nil for an open end), in key order, descending when reverse is
// true. The caller must Close it.
func (t *Table) Scan(r layers.Reader, lo, hi *Bound, reverse bool) *RowIterator {
	begin, end := t.rows.Range()
	var err error
	if lo != nil {
		begin, err = t.boundKey(lo, !lo.Inclusive)
	}
	if err == nil && hi != nil {
		end, err = t.boundKey(hi, hi.Inclusive)
	}
	if err != nil {
		return &RowIterator{t: t, err: err}
	}
	return &RowIterator{t: t, it: r.Scan(begin, end, reverse)}
}

func (t *Table) boundKey(b *Bound, after bool) ([]byte, error) {
	k, err := t.rows.Append(nil, b.Values)
	if err != nil {
		return nil, fmt.Errorf("table %q: pack bound %s: %w", t.desc.Name, b.Values, err)
	}
	if after {
		k = append(k, 0xff)
	} else if len(b.Values) == 0 {
		k = append(k, 0x00)
	}
	return k, nil
}

// RowIterator walks rows in primary-key order.
type RowIterator struct {
	t   *Table
	it  layers.Iterator
	pk  tuple.Tuple
	row tuple.Tuple
	err error
}

// Next advances to the next row; it returns false at the end or on error.
func (it *RowIterator) Next() bool {
	if it.err != nil || it.it == nil || !it.it.Next() {
		return false
	}
	pk, err := it.t.rows.Unpack(it.it.Key())
	if err != nil {
		it.err = fmt.Errorf("table %q: corrupt row key: %w", it.t.desc.Name, err)
		return false
	}
	row, err := tuple.Unpack(it.it.Value())
	if err != nil {
		it.err = fmt.Errorf("table %q: corrupt row %s: %w", it.t.desc.Name, pk, err)
		return false
	}
	it.pk, it.row = pk, row
	return true
}

// PK returns the current row's primary key, owned by the caller.
func (it *RowIterator) PK() tuple.Tuple { return it.pk }

// Row returns the current row, owned by the caller.
func (it *RowIterator) Row() tuple.Tuple { return it.row }

// Err returns the first error met, if any.
func (it *RowIterator) Err() error {
	if it.err != nil {
		return it.err
	}
	if it.it != nil {
		if err := it.it.Err(); err != nil {
			return fmt.Errorf("table %q: scan: %w", it.t.desc.Name, err)
		}
	}
	return nil
}

// Close releases the iterator and returns the first error met.
func (it *RowIterator) Close() error {
	err := it.Err()
	if it.it != nil {
		if cerr := it.it.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("table %q: close scan: %w", it.t.desc.Name, cerr)
		}
		it.it = nil
	}
	return err
}

// backfill writes the entries of index i for every row of the table.
func (t *Table) backfill(tx layers.Txn, i int) error {
	it := t.Scan(tx, nil, nil, false)
	defer it.Close()
	ix := t.indexes[i]
	for it.it != nil && it.it.Next() {
		pk, err := t.rows.Unpack(it.it.Key())
		if err != nil {
			return fmt.Errorf("table %q: corrupt row key: %w", t.desc.Name, err)
		}
		if err := ix.Update(tx, pk, nil, it.it.Value()); err != nil {
			if errors.Is(err, index.ErrUniqueViolation) {
				d := t.desc.Indexes[i]
				return &ConstraintError{Table: t.desc.Name, Constraint: d.Name, Columns: d.Columns}
			}
			return fmt.Errorf("table %q: fill index: %w", t.desc.Name, err)
		}
	}
	return it.Close()
}

// Indexes returns the number of secondary indexes.
func (t *Table) Indexes() int { return len(t.indexes) }

// IndexScan returns an iterator over the rows whose values of index i lie
// between lo and hi, in index order (descending when reverse is true),
// reading each row by its primary key. The caller must Close it.
func (t *Table) IndexScan(r layers.Reader, i int, lo, hi *index.Bound, reverse bool) *IndexRowIterator {
	if i < 0 || i >= len(t.indexes) {
		return &IndexRowIterator{t: t, err: fmt.Errorf("table %q has no index %d", t.desc.Name, i)}
	}
	return &IndexRowIterator{t: t, r: r, it: t.indexes[i].ScanRange(r, lo, hi, reverse)}
}

// IndexRowIterator walks rows in the order of an index.
type IndexRowIterator struct {
	t   *Table
	r   layers.Reader
	it  *index.Iterator
	pk  tuple.Tuple
	row tuple.Tuple
	raw []byte // the row's encoding, after NextRaw
	err error
}

// Next advances to the next row; it returns false at the end or on error.
func (it *IndexRowIterator) Next() bool {
	if it.err != nil || it.it == nil {
		return false
	}
	for it.it.Next() {
		e := it.it.Entry()
		row, found, err := it.t.Get(it.r, e.PK)
		if err != nil {
			it.err = err
			return false
		}
		if !found {
			continue // cannot happen in one snapshot; skip defensively
		}
		it.pk, it.row = e.PK, row
		return true
	}
	return false
}

// PK returns the current row's primary key.
func (it *IndexRowIterator) PK() tuple.Tuple { return it.pk }

// Row returns the current row.
func (it *IndexRowIterator) Row() tuple.Tuple { return it.row }

// Close releases the iterator and returns the first error met.
func (it *IndexRowIterator) Close() error {
	err := it.err
	if it.it != nil {
		if cerr := it.it.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("table %q: index scan: %w", it.t.desc.Name, cerr)
		}
		it.it = nil
	}
	return err
}
