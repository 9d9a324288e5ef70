package sqlrows

import (
	"context"
	"testing"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

// TestDescriptorCacheHandsOutCopies reads a table's descriptor twice
// through the decoded-descriptor cache, changing the first copy in
// between, and after a change stored by CREATE INDEX: each read must see
// exactly what the store holds.
func TestDescriptorCacheHandsOutCopies(t *testing.T) {
	kv := raftstoretest.New(t)
	c := NewCatalog()
	desc := &TableDesc{Name: "t", Columns: []ColumnDesc{{Name: "a", TypeOID: 20, TypeMod: -1}, {Name: "b", TypeOID: 20, TypeMod: -1}}, PrimaryKey: []int{0}, PKName: "t_pkey"}
	if err := update(t, kv, func(tx layers.Txn) error { return c.CreateTable(tx, desc) }); err != nil {
		t.Fatal(err)
	}
	read := func() *TableDesc {
		t.Helper()
		tx, err := kv.Begin(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		d, err := c.Table(tx, "t")
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	first := read()
	first.Columns[0].Name = "changed"
	first.Columns = append(first.Columns, ColumnDesc{Name: "extra"})
	first.PrimaryKey[0] = 1
	second := read()
	if len(second.Columns) != 2 || second.Columns[0].Name != "a" || second.PrimaryKey[0] != 0 {
		t.Fatalf("a change to one read leaked into the next: %+v", second)
	}
	if err := update(t, kv, func(tx layers.Txn) error {
		return c.CreateIndex(tx, second, IndexDesc{Name: "t_b", Columns: []int{1}}, keyOf)
	}); err != nil {
		t.Fatal(err)
	}
	third := read()
	if len(third.Indexes) != 1 || third.Indexes[0].Name != "t_b" {
		t.Fatalf("the cache hid a stored change: %+v", third)
	}
	third.Indexes[0].Columns[0] = 0
	if fourth := read(); fourth.Indexes[0].Columns[0] != 1 {
		t.Fatalf("index columns shared between reads: %+v", fourth.Indexes)
	}
}
