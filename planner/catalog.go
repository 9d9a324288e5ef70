package planner

// Tables as the planner sees them: descriptors from layers/sqlrows with SQL types, and the row and key encodings.

import (
	"errors"
	"fmt"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/layers/tuple"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
)

// tableInfo is a table as the planner sees it: its descriptor, its storage
// and its columns' SQL types.
type tableInfo struct {
	desc *sqlrows.TableDesc
	tbl  *sqlrows.Table
	cols []colInfo
	// pk lists the primary key columns; empty for a hidden row id.
	pk []int
	// cons holds the bound CHECK constraints, once a write needs them.
	cons *tableCons
}

// colInfo is a column with its SQL type.
type colInfo struct {
	name    string
	t       types.T
	notNull bool
	def     string // default's SQL text
	// identity is 'a' (GENERATED ALWAYS) or 'd' (BY DEFAULT) for an
	// identity column, whose def is its sequence's nextval.
	identity byte
	// rel and attnum name the table column the value comes from (the
	// table's pg_class OID and the column's attnum), zero for a computed
	// value: what RowDescription reports as TableID and ColumnAttr.
	rel    uint32
	attnum int16
	// fields are the fields of a record-valued column (bind_record.go).
	fields []colInfo
}

// loadTable reads a table's descriptor in r. A missing table is 42P01.
func (e *Engine) loadTable(r layers.Reader, name string) (*tableInfo, error) {
	desc, err := e.cat.Table(r, name)
	if errors.Is(err, sqlrows.ErrTableNotFound) {
		return nil, sqlerr.UndefinedTableErr(name)
	}
	if err != nil {
		return nil, fmt.Errorf("load table %q: %w", name, err)
	}
	return e.openTable(desc)
}

// openTable builds the tableInfo of a descriptor.
func (e *Engine) openTable(desc *sqlrows.TableDesc) (*tableInfo, error) {
	ti := &tableInfo{desc: desc, pk: desc.PrimaryKey}
	for i, c := range desc.Columns {
		t, ok := types.FromOID(c.TypeOID)
		if !ok {
			return nil, fmt.Errorf("table %q column %q: unsupported type OID %d", desc.Name, c.Name, c.TypeOID)
		}
		t.Mod = c.TypeMod
		ci := colInfo{name: c.Name, t: t, notNull: c.NotNull, def: c.Default}
		ci.rel, ci.attnum = columnOrigin(desc.ID, i)
		if c.Identity != "" {
			ci.identity = c.Identity[0]
		}
		ti.cols = append(ti.cols, ci)
	}
	tbl, err := e.cat.Open(desc, ti.keyOf)
	if err != nil {
		return nil, fmt.Errorf("open table %q: %w", desc.Name, err)
	}
	ti.tbl = tbl
	return ti, nil
}

// keyOf is the table's sqlrows.KeyFunc: stored elements of the given
// columns, turned into key elements.
func (ti *tableInfo) keyOf(row tuple.Tuple, cols []int) (tuple.Tuple, error) {
	out := make(tuple.Tuple, len(cols))
	for i, c := range cols {
		if c >= len(ti.cols) {
			return nil, fmt.Errorf("row has no column %d", c)
		}
		if c >= len(row) {
			out[i] = types.KeyElem(types.Null) // added after the row was written
			continue
		}
		v, err := types.FromStore(ti.cols[c].t, row[c])
		if err != nil {
			return nil, err
		}
		out[i] = types.KeyElem(v)
	}
	return out, nil
}

// decodeRow turns a stored row into values.
func (ti *tableInfo) decodeRow(row tuple.Tuple) ([]types.Value, error) {
	out := make([]types.Value, len(ti.cols))
	for i := range ti.cols {
		if i >= len(row) {
			break // a column added after the row was written
		}
		v, err := types.FromStore(ti.cols[i].t, row[i])
		if err != nil {
			return nil, fmt.Errorf("table %q column %q: %w", ti.desc.Name, ti.cols[i].name, err)
		}
		out[i] = v
	}
	return out, nil
}

// encodeRow turns values into a stored row.
func (ti *tableInfo) encodeRow(vals []types.Value) tuple.Tuple {
	out := make(tuple.Tuple, len(vals))
	for i, v := range vals {
		out[i] = types.StoreElem(v)
	}
	return out
}

// pkOf returns the primary key tuple of a row of a table with an explicit
// primary key.
func (ti *tableInfo) pkOf(vals []types.Value) tuple.Tuple {
	out := make(tuple.Tuple, len(ti.pk))
	for i, c := range ti.pk {
		out[i] = types.KeyElem(vals[c])
	}
	return out
}

// colIndex returns the position of the named column, or -1.
func (ti *tableInfo) colIndex(name string) int {
	for i, c := range ti.cols {
		if c.name == name {
			return i
		}
	}
	return -1
}
