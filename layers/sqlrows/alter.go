package sqlrows

// Catalog changes of ALTER TABLE: renaming a table, and rewriting a
// table's rows under a new descriptor (a new primary key, a changed
// column type, a dropped column).

import (
	"errors"
	"fmt"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/tuple"
)

// RenameTable moves the descriptor of table old to the name new (which
// must be free: ErrRelationExists otherwise), and points its indexes'
// name entries at it. It returns the renamed descriptor. Other tables'
// references to the old name are the caller's to update.
func (c *Catalog) RenameTable(tx layers.Txn, old, new string) (*TableDesc, error) {
	desc, err := c.Table(tx, old)
	if err != nil {
		return nil, err
	}
	exists, err := c.relationExists(tx, new)
	if err != nil {
		return nil, err
	}
	if exists {
		return nil, fmt.Errorf("table %q: %w", new, ErrRelationExists)
	}
	tx.Delete(c.tables.Pack(tuple.Tuple{old}))
	desc.Name = new
	for _, ix := range desc.Indexes {
		tx.Set(c.indexKey(ix.Name), []byte(new))
	}
	if err := c.put(tx, desc); err != nil {
		return nil, err
	}
	return desc, nil
}

// AddIndexName records that index name belongs to table (for an index
// that a rewrite creates with the table's rows), failing with
// ErrRelationExists when a table, view or index has the name.
func (c *Catalog) AddIndexName(tx layers.Txn, name, table string) error {
	exists, err := c.relationExists(tx, name)
	if err != nil {
		return err
	}
	if exists {
		return fmt.Errorf("index %q: %w", name, ErrRelationExists)
	}
	tx.Set(c.indexKey(name), []byte(table))
	return nil
}

// RemoveIndexName forgets an index name (the index itself goes with a
// rewrite or with DropIndex).
func (c *Catalog) RemoveIndexName(tx layers.Txn, name string) {
	tx.Delete(c.indexKey(name))
}

// RewriteFunc maps a stored row (its key and value) to the row to store
// under the new descriptor.
type RewriteFunc func(pk, row tuple.Tuple) (newPK, newRow tuple.Tuple, err error)

// Rewrite stores every row of the table old describes, as fn maps it,
// under the descriptor desc (same table, same name): the rows move to a
// fresh storage id, every index of desc is built as they go, and the old
// rows and index entries are removed. A duplicate primary key or unique
// value fails with a *ConstraintError. desc is stored and gets its
// DataID and the ids of indexes that have none (ID 0).
func (c *Catalog) Rewrite(tx layers.Txn, old, desc *TableDesc, keyOf KeyFunc, fn RewriteFunc) error {
	if old.ID != desc.ID || old.Name != desc.Name {
		return errors.New("rewrite: descriptors of different tables")
	}
	id, err := c.newID(tx)
	if err != nil {
		return err
	}
	desc.DataID = id
	for i := range desc.Indexes {
		if desc.Indexes[i].ID == 0 {
			desc.NextIndexID++
			desc.Indexes[i].ID = desc.NextIndexID
		}
	}
	src, err := c.Open(old, keyOf)
	if err != nil {
		return err
	}
	dst, err := c.Open(desc, keyOf)
	if err != nil {
		return err
	}
	it := src.Scan(tx, nil, nil, false)
	defer it.Close()
	for it.Next() {
		pk, row, err := fn(it.PK(), it.Row())
		if err != nil {
			return err
		}
		if err := dst.Insert(tx, pk, row); err != nil {
			return err
		}
	}
	if err := it.Close(); err != nil {
		return err
	}
	begin, end := c.data.Sub(old.StoreID()).Range()
	tx.DeleteRange(begin, end)
	return c.put(tx, desc)
}
