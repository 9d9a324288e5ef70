package sqlrows

// Tests of the catalog and row storage on a real single-node store.

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/tuple"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

// keyOf treats stored elements as their own key elements.
func keyOf(row tuple.Tuple, cols []int) (tuple.Tuple, error) {
	out := make(tuple.Tuple, len(cols))
	for i, c := range cols {
		if c >= len(row) {
			return nil, fmt.Errorf("no column %d", c)
		}
		out[i] = row[c]
	}
	return out, nil
}

func update(t *testing.T, kv layers.KV, fn func(tx layers.Txn) error) error {
	t.Helper()
	_, err := layers.Update(context.Background(), kv, fn)
	return err
}

func TestCatalog(t *testing.T) {
	kv := raftstoretest.New(t)
	c := NewCatalog()
	desc := &TableDesc{Name: "t", Columns: []ColumnDesc{{Name: "a", TypeOID: 23, TypeMod: -1, NotNull: true}, {Name: "b", TypeOID: 25, TypeMod: -1, Default: "'x'"}},
		PrimaryKey: []int{0}, PKName: "t_pkey", Indexes: []IndexDesc{{Name: "t_b_key", Columns: []int{1}, Unique: true}}}
	if err := update(t, kv, func(tx layers.Txn) error { return c.CreateTable(tx, desc) }); err != nil {
		t.Fatal(err)
	}
	if desc.ID != 1 || desc.Indexes[0].ID != 1 {
		t.Errorf("ids: table %d index %d, want 1 and 1", desc.ID, desc.Indexes[0].ID)
	}
	err := update(t, kv, func(tx layers.Txn) error {
		return c.CreateTable(tx, &TableDesc{Name: "t"})
	})
	if !errors.Is(err, ErrTableExists) {
		t.Errorf("second create: %v, want ErrTableExists", err)
	}
	// A second table gets the next id; ids are never reused after a drop.
	if err := update(t, kv, func(tx layers.Txn) error { return c.CreateTable(tx, &TableDesc{Name: "u"}) }); err != nil {
		t.Fatal(err)
	}
	if err := update(t, kv, func(tx layers.Txn) error { return c.DropTable(tx, "u") }); err != nil {
		t.Fatal(err)
	}
	u2 := &TableDesc{Name: "u"}
	if err := update(t, kv, func(tx layers.Txn) error { return c.CreateTable(tx, u2) }); err != nil {
		t.Fatal(err)
	}
	if u2.ID != 3 {
		t.Errorf("recreated table id %d, want 3", u2.ID)
	}
	err = layers.View(context.Background(), kv, func(r layers.Reader) error {
		got, err := c.Table(r, "t")
		if err != nil {
			return err
		}
		if got.Name != "t" || len(got.Columns) != 2 || got.Columns[1].Default != "'x'" || got.PKName != "t_pkey" {
			t.Errorf("read back %+v", got)
		}
		if _, err := c.Table(r, "nope"); !errors.Is(err, ErrTableNotFound) {
			t.Errorf("missing table: %v", err)
		}
		all, err := c.Tables(r)
		if err != nil {
			return err
		}
		if len(all) != 2 || all[0].Name != "t" || all[1].Name != "u" {
			t.Errorf("Tables: %d entries", len(all))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := update(t, kv, func(tx layers.Txn) error { return c.DropTable(tx, "nope") }); !errors.Is(err, ErrTableNotFound) {
		t.Errorf("drop missing: %v", err)
	}
}

func TestRows(t *testing.T) {
	kv := raftstoretest.New(t)
	c := NewCatalog()
	desc := &TableDesc{Name: "t", Columns: []ColumnDesc{{Name: "a"}, {Name: "b"}}, PrimaryKey: []int{0}, PKName: "t_pkey",
		Indexes: []IndexDesc{{Name: "t_b_key", Columns: []int{1}, Unique: true}}}
	if err := update(t, kv, func(tx layers.Txn) error { return c.CreateTable(tx, desc) }); err != nil {
		t.Fatal(err)
	}
	tbl, err := c.Open(desc, keyOf)
	if err != nil {
		t.Fatal(err)
	}
	err = update(t, kv, func(tx layers.Txn) error {
		for i := int64(1); i <= 5; i++ {
			if err := tbl.Insert(tx, tuple.Tuple{i}, tuple.Tuple{i, fmt.Sprintf("v%d", i)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var ce *ConstraintError
	err = update(t, kv, func(tx layers.Txn) error { return tbl.Insert(tx, tuple.Tuple{int64(1)}, tuple.Tuple{int64(1), "new"}) })
	if !errors.As(err, &ce) || ce.Constraint != "t_pkey" {
		t.Errorf("duplicate pk: %v", err)
	}
	err = update(t, kv, func(tx layers.Txn) error { return tbl.Insert(tx, tuple.Tuple{int64(9)}, tuple.Tuple{int64(9), "v3"}) })
	if !errors.As(err, &ce) || ce.Constraint != "t_b_key" || len(ce.Columns) != 1 || ce.Columns[0] != 1 {
		t.Errorf("duplicate unique value: %v", err)
	}
	// Move row 2 to key 20 with a new value; then v2 is free again.
	err = update(t, kv, func(tx layers.Txn) error {
		old, found, err := tbl.Get(tx, tuple.Tuple{int64(2)})
		if err != nil || !found {
			return fmt.Errorf("get 2: %v %v", found, err)
		}
		return tbl.Update(tx, tuple.Tuple{int64(2)}, old, tuple.Tuple{int64(20)}, tuple.Tuple{int64(20), "v20"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := update(t, kv, func(tx layers.Txn) error { return tbl.Insert(tx, tuple.Tuple{int64(2)}, tuple.Tuple{int64(2), "v2"}) }); err != nil {
		t.Errorf("reuse freed unique value: %v", err)
	}
	err = update(t, kv, func(tx layers.Txn) error {
		return tbl.Delete(tx, tuple.Tuple{int64(3)}, tuple.Tuple{int64(3), "v3"})
	})
	if err != nil {
		t.Fatal(err)
	}
	scan := func(lo, hi *Bound, reverse bool) []int64 {
		var out []int64
		err := layers.View(context.Background(), kv, func(r layers.Reader) error {
			it := tbl.Scan(r, lo, hi, reverse)
			defer it.Close()
			for it.Next() {
				out = append(out, it.PK()[0].(int64))
			}
			return it.Close()
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, tt := range []struct {
		lo, hi  *Bound
		reverse bool
		want    string
	}{
		{nil, nil, false, "[1 2 4 5 20]"},
		{nil, nil, true, "[20 5 4 2 1]"},
		{&Bound{tuple.Tuple{int64(2)}, true}, &Bound{tuple.Tuple{int64(5)}, false}, false, "[2 4]"},
		{&Bound{tuple.Tuple{int64(2)}, false}, &Bound{tuple.Tuple{int64(5)}, true}, false, "[4 5]"},
		{&Bound{tuple.Tuple{int64(4)}, true}, &Bound{tuple.Tuple{int64(4)}, true}, false, "[4]"},
		{&Bound{tuple.Tuple{int64(3)}, true}, &Bound{tuple.Tuple{int64(3)}, true}, false, "[]"},
	} {
		if got := fmt.Sprint(scan(tt.lo, tt.hi, tt.reverse)); got != tt.want {
			t.Errorf("scan %v..%v reverse=%v: %s, want %s", tt.lo, tt.hi, tt.reverse, got, tt.want)
		}
	}
	// Dropping the table removes its rows and index entries.
	if err := update(t, kv, func(tx layers.Txn) error { return c.DropTable(tx, "t") }); err != nil {
		t.Fatal(err)
	}
	if got := scan(nil, nil, false); len(got) != 0 {
		t.Errorf("rows after drop: %v", got)
	}
	err = layers.View(context.Background(), kv, func(r layers.Reader) error {
		it := r.Scan([]byte{0x00}, []byte{0xfe}, false)
		defer it.Close()
		for it.Next() {
			k, _ := tuple.Unpack(it.Key())
			if len(k) > 0 && k[0] == "sql" {
				t.Errorf("key left after drop: %v", k)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
