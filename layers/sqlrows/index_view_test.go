package sqlrows

// Tests of CREATE/DROP INDEX and views in the catalog, and index scans,
// on a real single-node store.

import (
	"errors"
	"testing"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/index"
	"github.com/aspen-db/aspen/layers/tuple"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

func TestCreateIndexBackfillAndScan(t *testing.T) {
	kv := raftstoretest.New(t)
	c := NewCatalog()
	desc := &TableDesc{Name: "t", Columns: []ColumnDesc{{Name: "a", TypeOID: 20, TypeMod: -1}, {Name: "b", TypeOID: 20, TypeMod: -1}}, PrimaryKey: []int{0}, PKName: "t_pkey"}
	if err := update(t, kv, func(tx layers.Txn) error { return c.CreateTable(tx, desc) }); err != nil {
		t.Fatal(err)
	}
	tbl, err := c.Open(desc, keyOf)
	if err != nil {
		t.Fatal(err)
	}
	// Rows before the index exists: (1,30) (2,10) (3,20) (4,10).
	if err := update(t, kv, func(tx layers.Txn) error {
		for _, r := range [][2]int64{{1, 30}, {2, 10}, {3, 20}, {4, 10}} {
			if err := tbl.Insert(tx, tuple.Tuple{r[0]}, tuple.Tuple{r[0], r[1]}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := update(t, kv, func(tx layers.Txn) error {
		return c.CreateIndex(tx, desc, IndexDesc{Name: "t_b", Columns: []int{1}}, keyOf)
	}); err != nil {
		t.Fatal(err)
	}
	// The name is taken now, for indexes, tables and views alike.
	for _, create := range []func(tx layers.Txn) error{
		func(tx layers.Txn) error {
			return c.CreateIndex(tx, desc, IndexDesc{Name: "t_b", Columns: []int{0}}, keyOf)
		},
		func(tx layers.Txn) error { return c.CreateView(tx, &ViewDesc{Name: "t_b", SQL: "SELECT 1"}, false) },
	} {
		if err := update(t, kv, create); !errors.Is(err, ErrRelationExists) {
			t.Errorf("create over an index name: %v, want ErrRelationExists", err)
		}
	}
	if err := update(t, kv, func(tx layers.Txn) error { return c.CreateTable(tx, &TableDesc{Name: "t_b"}) }); !errors.Is(err, ErrTableExists) {
		t.Errorf("create table over an index name: %v, want ErrTableExists", err)
	}
	var desc2 *TableDesc
	if err := update(t, kv, func(tx layers.Txn) error {
		var err error
		desc2, err = c.Table(tx, "t")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	tbl, err = c.Open(desc2, keyOf)
	if err != nil {
		t.Fatal(err)
	}
	scan := func(lo, hi *index.Bound) []int64 {
		t.Helper()
		var out []int64
		if err := update(t, kv, func(tx layers.Txn) error {
			out = nil
			it := tbl.IndexScan(tx, 0, lo, hi, false)
			for it.Next() {
				out = append(out, it.PK()[0].(int64))
			}
			return it.Close()
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	ten := &index.Bound{Values: tuple.Tuple{int64(10)}, Inclusive: true}
	if got := scan(ten, ten); len(got) != 2 || got[0] != 2 || got[1] != 4 {
		t.Errorf("b = 10: %v, want [2 4]", got)
	}
	// Later writes maintain the index: move row 4 to b = 20.
	if err := update(t, kv, func(tx layers.Txn) error {
		return tbl.Update(tx, tuple.Tuple{int64(4)}, tuple.Tuple{int64(4), int64(10)}, tuple.Tuple{int64(4)}, tuple.Tuple{int64(4), int64(20)})
	}); err != nil {
		t.Fatal(err)
	}
	if got := scan(&index.Bound{Values: tuple.Tuple{int64(15)}, Inclusive: true}, nil); len(got) != 3 || got[0] != 3 || got[1] != 4 || got[2] != 1 {
		t.Errorf("b >= 15: %v, want [3 4 1]", got)
	}
	// DROP INDEX removes the entries and the name.
	if err := update(t, kv, func(tx layers.Txn) error { _, err := c.DropIndex(tx, "t_b"); return err }); err != nil {
		t.Fatal(err)
	}
	if err := update(t, kv, func(tx layers.Txn) error {
		if _, err := c.IndexTable(tx, "t_b"); !errors.Is(err, ErrIndexNotFound) {
			t.Errorf("after drop: %v, want ErrIndexNotFound", err)
		}
		begin, end := c.data.Sub(desc2.ID, "i", desc2.Indexes[0].ID).Range()
		it := tx.Scan(begin, end, false)
		defer it.Close()
		if it.Next() {
			t.Errorf("index entries left after DROP INDEX")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestUniqueIndexBackfillConflict(t *testing.T) {
	kv := raftstoretest.New(t)
	c := NewCatalog()
	desc := &TableDesc{Name: "t", Columns: []ColumnDesc{{Name: "a", TypeOID: 20, TypeMod: -1}, {Name: "b", TypeOID: 20, TypeMod: -1}}, PrimaryKey: []int{0}}
	err := update(t, kv, func(tx layers.Txn) error {
		if err := c.CreateTable(tx, desc); err != nil {
			return err
		}
		tbl, err := c.Open(desc, keyOf)
		if err != nil {
			return err
		}
		for _, r := range [][2]int64{{1, 5}, {2, 5}} {
			if err := tbl.Insert(tx, tuple.Tuple{r[0]}, tuple.Tuple{r[0], r[1]}); err != nil {
				return err
			}
		}
		return c.CreateIndex(tx, desc, IndexDesc{Name: "t_b", Columns: []int{1}, Unique: true}, keyOf)
	})
	var ce *ConstraintError
	if !errors.As(err, &ce) || ce.Constraint != "t_b" {
		t.Fatalf("unique index over duplicates: %v, want a ConstraintError on t_b", err)
	}
}

func TestViews(t *testing.T) {
	kv := raftstoretest.New(t)
	c := NewCatalog()
	v := &ViewDesc{Name: "v", SQL: "SELECT 1 AS x", Columns: []string{"x"}}
	if err := update(t, kv, func(tx layers.Txn) error { return c.CreateView(tx, v, false) }); err != nil {
		t.Fatal(err)
	}
	if err := update(t, kv, func(tx layers.Txn) error { return c.CreateView(tx, v, false) }); !errors.Is(err, ErrRelationExists) {
		t.Errorf("second create: %v, want ErrRelationExists", err)
	}
	v2 := &ViewDesc{Name: "v", SQL: "SELECT 2 AS x", Columns: []string{"x"}}
	if err := update(t, kv, func(tx layers.Txn) error { return c.CreateView(tx, v2, true) }); err != nil {
		t.Fatalf("replace: %v", err)
	}
	if err := update(t, kv, func(tx layers.Txn) error {
		got, err := c.View(tx, "v")
		if err != nil || got.SQL != "SELECT 2 AS x" {
			t.Errorf("view after replace: %+v, %v", got, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := update(t, kv, func(tx layers.Txn) error { return c.CreateTable(tx, &TableDesc{Name: "v"}) }); !errors.Is(err, ErrTableExists) {
		t.Errorf("table over a view name: %v, want ErrTableExists", err)
	}
	if err := update(t, kv, func(tx layers.Txn) error { return c.DropView(tx, "v") }); err != nil {
		t.Fatal(err)
	}
	if err := update(t, kv, func(tx layers.Txn) error { return c.DropView(tx, "v") }); !errors.Is(err, ErrTableNotFound) {
		t.Errorf("second drop: %v, want ErrTableNotFound", err)
	}
}
