package sqlrows

// Tests of index reads without row fetches: NextEntry and IndexLookup.

import (
	"context"
	"fmt"
	"testing"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/index"
	"github.com/aspen-db/aspen/layers/tuple"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

func TestIndexEntriesAndLookup(t *testing.T) {
	kv := raftstoretest.New(t)
	c := NewCatalog()
	desc := &TableDesc{Name: "t", Columns: []ColumnDesc{{Name: "a"}, {Name: "b"}, {Name: "c"}}, PrimaryKey: []int{0}, PKName: "t_pkey",
		Indexes: []IndexDesc{{Name: "t_b_key", Columns: []int{1}, Unique: true}, {Name: "t_c", Columns: []int{2}}}}
	if err := update(t, kv, func(tx layers.Txn) error { return c.CreateTable(tx, desc) }); err != nil {
		t.Fatal(err)
	}
	tbl, err := c.Open(desc, keyOf)
	if err != nil {
		t.Fatal(err)
	}
	err = update(t, kv, func(tx layers.Txn) error {
		for i := int64(1); i <= 4; i++ {
			var b any = fmt.Sprintf("v%d", i)
			if i == 4 {
				b = nil // entries with a NULL keep the non-unique layout
			}
			if err := tbl.Insert(tx, tuple.Tuple{i}, tuple.Tuple{i, b, i % 2}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = layers.View(context.Background(), kv, func(r layers.Reader) error {
		// Entries of the non-unique index on c = 1: rows 1 and 3.
		b := &index.Bound{Values: tuple.Tuple{int64(1)}, Inclusive: true}
		it := tbl.IndexScan(r, 1, b, b, false)
		var got []string
		for it.NextEntry() {
			e := it.Entry()
			got = append(got, fmt.Sprint(e.Values, e.PK, it.PK()))
		}
		if err := it.Close(); err != nil {
			return err
		}
		if want := "[(1,) (1,) (1,) (1,) (3,) (3,)]"; fmt.Sprint(got) != want {
			t.Errorf("entries: %v, want %s", got, want)
		}
		for _, c := range []struct {
			values    tuple.Tuple
			pointable bool
			pk        string
		}{
			{tuple.Tuple{"v2"}, true, "(2,)"},
			{tuple.Tuple{"v9"}, true, ""},
			{tuple.Tuple{nil}, false, ""},
			{tuple.Tuple{"v1", "x"}, false, ""},
		} {
			if got := tbl.IndexPointable(0, c.values); got != c.pointable {
				t.Errorf("IndexPointable(%v) = %v", c.values, got)
			}
			if !c.pointable {
				continue
			}
			pk, found, err := tbl.IndexLookup(r, 0, c.values)
			if err != nil {
				return err
			}
			if found != (c.pk != "") || (found && pk.String() != c.pk) {
				t.Errorf("IndexLookup(%v) = %v %v, want %q", c.values, pk, found, c.pk)
			}
		}
		if tbl.IndexPointable(1, tuple.Tuple{int64(1)}) {
			t.Error("a non-unique index is pointable")
		}
		if _, _, err := tbl.IndexLookup(r, 5, tuple.Tuple{"v1"}); err == nil {
			t.Error("lookup in a missing index: no error")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
