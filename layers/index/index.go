// Package index maintains secondary indexes over records stored in an ordered
// key-value store, writing index entries in the same transaction as the
// record so that both commit or neither does.
//
// An Index owns one subspace. It does not know where records live: the
// caller stores the record under its primary key (a tuple) and calls Update
// with the record's previous and new value in the same transaction. An
// Extractor turns a record value into the tuple of indexed values.
//
// Entry layout, with values the extracted tuple (always exactly Arity
// elements) and pk the record's primary key:
//
//	non-unique:  space.Pack(values..., pk...) -> ""
//	unique:      space.Pack(values...)        -> pk.Pack()
//
// As in SQL, a unique index does not constrain values that contain nil: such
// entries are written in the non-unique layout, so any number of records may
// hold them.
package index

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/subspace"
	"github.com/aspen-db/aspen/layers/tuple"
)

// ErrUniqueViolation is wrapped by the error Update returns when a unique
// index already holds the new values for another primary key. The error is
// a *UniqueViolationError, which names the values and both keys.
var ErrUniqueViolation = errors.New("unique index violation")

// UniqueViolationError reports that a record could not take values that
// another record already holds in a unique index.
type UniqueViolationError struct {
	Index    string      // the index's subspace, for messages
	Values   tuple.Tuple // the contested values
	PK       tuple.Tuple // the primary key that tried to take them
	Existing tuple.Tuple // the primary key that holds them
}

// Error describes the violation.
func (e *UniqueViolationError) Error() string {
	return fmt.Sprintf("index %s: values %s of record %s already held by record %s: %v",
		e.Index, e.Values, e.PK, e.Existing, ErrUniqueViolation)
}

// Unwrap returns ErrUniqueViolation, so errors.Is(err, ErrUniqueViolation)
// holds.
func (e *UniqueViolationError) Unwrap() error { return ErrUniqueViolation }

// Extractor returns the indexed values of a record value. It returns a tuple
// of exactly the index's arity, or an empty tuple to leave the record out of
// the index (a partial or sparse index). It must be deterministic.
type Extractor func(value []byte) (tuple.Tuple, error)

// Index is a secondary index. It is immutable and safe for concurrent use;
// all state lives in the store.
type Index struct {
	space   subspace.Subspace
	arity   int
	unique  bool
	extract Extractor
	name    string
}

// New returns a non-unique index in space over arity values per record, as
// returned by extract. It fails if arity < 1 or extract is nil.
func New(space subspace.Subspace, arity int, extract Extractor) (*Index, error) {
	return newIndex(space, arity, false, extract)
}

// NewUnique returns a unique index: Update fails with ErrUniqueViolation if
// another record already holds the same (nil-free) values.
func NewUnique(space subspace.Subspace, arity int, extract Extractor) (*Index, error) {
	return newIndex(space, arity, true, extract)
}

func newIndex(space subspace.Subspace, arity int, unique bool, extract Extractor) (*Index, error) {
	name := space.String()
	if arity < 1 {
		return nil, fmt.Errorf("index %s: arity %d, must be at least 1", name, arity)
	}
	if extract == nil {
		return nil, fmt.Errorf("index %s: nil extractor", name)
	}
	return &Index{space: space, arity: arity, unique: unique, extract: extract, name: name}, nil
}

// Space returns the index's subspace.
func (ix *Index) Space() subspace.Subspace { return ix.space }

// Arity returns the number of indexed values per entry.
func (ix *Index) Arity() int { return ix.arity }

// Unique reports whether the index is unique.
func (ix *Index) Unique() bool { return ix.unique }

// values extracts and checks the indexed values of a record value; it
// returns nil if the record is absent or left out of the index.
func (ix *Index) values(value []byte, which string) (tuple.Tuple, error) {
	if value == nil {
		return nil, nil
	}
	v, err := ix.extract(value)
	if err != nil {
		return nil, fmt.Errorf("index %s: extract %s values: %w", ix.name, which, err)
	}
	if len(v) == 0 {
		return nil, nil
	}
	if len(v) != ix.arity {
		return nil, fmt.Errorf("index %s: extracted %d %s values %s, want %d", ix.name, len(v), which, v, ix.arity)
	}
	return v, nil
}

// constrained reports whether a unique index constrains values: true unless
// one of them is nil.
func constrained(values tuple.Tuple) bool {
	for _, v := range values {
		if v == nil {
			return false
		}
	}
	return true
}

// entry returns the key and value of the entry for values and pk, and
// whether it is a constrained unique entry (keyed by the values alone).
func (ix *Index) entry(values, pk tuple.Tuple) (key, value []byte, isUnique bool, err error) {
	if ix.unique && constrained(values) {
		key, err = ix.space.Append(nil, values)
		if err != nil {
			return nil, nil, false, fmt.Errorf("index %s: pack values %s: %w", ix.name, values, err)
		}
		value, err = tuple.Append(nil, pk)
		if err != nil {
			return nil, nil, false, fmt.Errorf("index %s: pack primary key %s: %w", ix.name, pk, err)
		}
		return key, value, true, nil
	}
	full := make(tuple.Tuple, 0, len(values)+len(pk))
	full = append(append(full, values...), pk...)
	key, err = ix.space.Append(nil, full)
	if err != nil {
		return nil, nil, false, fmt.Errorf("index %s: pack entry %s: %w", ix.name, full, err)
	}
	return key, []byte{}, false, nil
}

// Update brings the index up to date with one record change, in tx:
// oldValue is the record's value before the change and newValue its value
// after, nil meaning absent (so oldValue == nil is an insert and newValue ==
// nil a delete). oldValue must be the value the record really has in tx;
// Update does not read the record.
//
// Update removes the entry for the old value and writes the one for the
// new; it does nothing if both give the same values. For a unique index it
// reads the entry for the new values (adding it to tx's read conflicts, so
// two transactions that race for the same values cannot both commit) and
// returns a *UniqueViolationError if another record holds it. Constraints are checked
// record by record, as each Update runs.
//
// On error the caller should roll tx back: earlier writes of the same
// Update may already be buffered.
func (ix *Index) Update(tx layers.Txn, pk tuple.Tuple, oldValue, newValue []byte) error {
	if len(pk) == 0 {
		return fmt.Errorf("index %s: empty primary key", ix.name)
	}
	oldVals, err := ix.values(oldValue, "old")
	if err != nil {
		return err
	}
	newVals, err := ix.values(newValue, "new")
	if err != nil {
		return err
	}
	if oldVals != nil && newVals != nil && tuple.Compare(oldVals, newVals) == 0 {
		return nil
	}
	if oldVals != nil {
		key, _, _, err := ix.entry(oldVals, pk)
		if err != nil {
			return err
		}
		tx.Delete(key)
	}
	if newVals == nil {
		return nil
	}
	key, value, isUnique, err := ix.entry(newVals, pk)
	if err != nil {
		return err
	}
	if isUnique {
		held, err := tx.Get(key)
		switch {
		case errors.Is(err, layers.ErrNotFound):
		case err != nil:
			return fmt.Errorf("index %s: read entry for %s: %w", ix.name, newVals, err)
		case !bytes.Equal(held, value):
			existing, err := tuple.Unpack(held)
			if err != nil {
				return fmt.Errorf("index %s: corrupt entry for %s: %w", ix.name, newVals, err)
			}
			return &UniqueViolationError{Index: ix.name, Values: newVals, PK: pk, Existing: existing}
		}
	}
	tx.Set(key, value)
	return nil
}

// Lookup returns the primary key that holds values in a unique index, or an
// error wrapping layers.ErrNotFound. values must be a full, nil-free tuple
// of the index's arity.
func (ix *Index) Lookup(r layers.Reader, values tuple.Tuple) (tuple.Tuple, error) {
	switch {
	case !ix.unique:
		return nil, fmt.Errorf("index %s: Lookup needs a unique index; use Scan", ix.name)
	case len(values) != ix.arity:
		return nil, fmt.Errorf("index %s: Lookup of %d values %s, want %d", ix.name, len(values), values, ix.arity)
	case !constrained(values):
		return nil, fmt.Errorf("index %s: Lookup of %s: values with nil are not unique; use Scan", ix.name, values)
	}
	key, err := ix.space.Append(nil, values)
	if err != nil {
		return nil, fmt.Errorf("index %s: pack values %s: %w", ix.name, values, err)
	}
	held, err := r.Get(key)
	if err != nil {
		return nil, fmt.Errorf("index %s: lookup %s: %w", ix.name, values, err)
	}
	pk, err := tuple.Unpack(held)
	if err != nil {
		return nil, fmt.Errorf("index %s: corrupt entry for %s: %w", ix.name, values, err)
	}
	return pk, nil
}

// Clear buffers, in tx, the removal of every entry of the index.
func (ix *Index) Clear(tx layers.Txn) {
	begin, end := ix.space.Range()
	tx.DeleteRange(begin, end)
}
