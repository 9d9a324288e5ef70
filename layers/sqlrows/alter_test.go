package sqlrows

import (
	"context"
	"errors"
	"testing"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/tuple"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

// TestRewriteAndRename rewrites a table under a new primary key (its rows
// move to a new storage id, its index is rebuilt, the old rows go), then
// renames it; a failed rewrite (duplicate key) leaves nothing behind once
// its transaction is abandoned.
func TestRewriteAndRename(t *testing.T) {
	kv := raftstoretest.New(t)
	c := NewCatalog()
	desc := &TableDesc{Name: "t", Columns: []ColumnDesc{{Name: "a", TypeOID: 23, TypeMod: -1}, {Name: "b", TypeOID: 25, TypeMod: -1}},
		Indexes: []IndexDesc{{Name: "t_b_idx", Columns: []int{1}}}}
	if err := update(t, kv, func(tx layers.Txn) error {
		if err := c.CreateTable(tx, desc); err != nil {
			return err
		}
		tbl, err := c.Open(desc, keyOf)
		if err != nil {
			return err
		}
		for i, b := range []string{"x", "y", "z"} {
			if err := tbl.Insert(tx, tuple.Tuple{int64(100 + i)}, tuple.Tuple{int64(3 - i), b}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	keyed := func(old *TableDesc) *TableDesc {
		d := old.Clone()
		d.PrimaryKey, d.PKName = []int{0}, "t_pkey"
		return d
	}
	same := func(pk, row tuple.Tuple) (tuple.Tuple, tuple.Tuple, error) { return tuple.Tuple{row[0]}, row, nil }
	// A rewrite that collides is a *ConstraintError naming the key.
	err := update(t, kv, func(tx layers.Txn) error {
		return c.Rewrite(tx, desc, keyed(desc), keyOf, func(pk, row tuple.Tuple) (tuple.Tuple, tuple.Tuple, error) {
			return tuple.Tuple{int64(1)}, row, nil
		})
	})
	var ce *ConstraintError
	if !errors.As(err, &ce) || ce.Constraint != "t_pkey" {
		t.Fatalf("colliding rewrite: %v, want a t_pkey ConstraintError", err)
	}
	if err := update(t, kv, func(tx layers.Txn) error {
		return c.Rewrite(tx, desc, keyed(desc), keyOf, same)
	}); err != nil {
		t.Fatal(err)
	}
	if err := update(t, kv, func(tx layers.Txn) error {
		if _, err := c.RenameTable(tx, "t", "u"); err != nil {
			return err
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	_, err = layers.Update(context.Background(), kv, func(tx layers.Txn) error {
		if _, err := c.Table(tx, "t"); !errors.Is(err, ErrTableNotFound) {
			t.Errorf("old name: %v, want ErrTableNotFound", err)
		}
		d, err := c.Table(tx, "u")
		if err != nil {
			return err
		}
		if d.DataID == 0 || d.StoreID() == d.ID || len(d.PrimaryKey) != 1 {
			t.Errorf("rewritten descriptor: %+v", d)
		}
		if tn, err := c.IndexTable(tx, "t_b_idx"); err != nil || tn != "u" {
			t.Errorf("index owner: %q, %v", tn, err)
		}
		tbl, err := c.Open(d, keyOf)
		if err != nil {
			return err
		}
		row, found, err := tbl.Get(tx, tuple.Tuple{int64(2)})
		if err != nil || !found || row[1] != "y" {
			t.Errorf("point read under the new key: %v %v %v", row, found, err)
		}
		it := tbl.IndexScan(tx, 0, nil, nil, false)
		n := 0
		for it.Next() {
			n++
		}
		if err := it.Close(); err != nil || n != 3 {
			t.Errorf("index entries after rewrite: %d, %v", n, err)
		}
		// Nothing is left under the old storage id.
		begin, end := c.data.Sub(d.ID).Range()
		old := tx.Scan(begin, end, false)
		defer old.Close()
		if old.Next() {
			t.Errorf("old rows remain at %x", old.Key())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
