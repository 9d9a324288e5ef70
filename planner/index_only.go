package planner

// Index-only reads: a secondary-index scan whose query needs no column
// beyond the index's columns and the primary key (both held by every
// entry) answers from the entries without fetching the rows, and an
// equality on every column of a unique index reads its one entry with a
// point Get instead of a range scan.

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/index"
	"github.com/aspen-db/aspen/layers/tuple"
	"github.com/aspen-db/aspen/planner/types"
)

// indexReadsPlain, when set (by tests), turns off index-only reads and
// unique point lookups, so that results can be compared with and without
// them.
var indexReadsPlain atomic.Bool

// keyElemIsStored reports whether a column of type t has a key element
// (types.KeyElem) equal to its stored element (types.StoreElem), so that
// types.FromStore turns an index entry's value back into the column's
// exact value. Kinds whose key normalises the value (numeric scale, float
// zero sign, padded char, json, intervals, arrays) do not.
func keyElemIsStored(t types.T) bool {
	if t.Kind.IsArray() || t.Kind.IsVector() {
		return false
	}
	switch t.Kind {
	case types.Int2, types.Int4, types.Int8, types.Bool, types.Text, types.Varchar,
		types.Date, types.Time, types.Timestamp, types.TimestampTZ, types.UUID, types.Bytea:
		return true
	}
	return false
}

// indexEntryCovers reports whether the entries of index i (0-based) hold
// every column need marks (nil: all columns), as the indexed values or the
// primary key, in a form that decodes exactly.
func indexEntryCovers(ti *tableInfo, i int, need []bool) bool {
	if i < 0 || i >= len(ti.desc.Indexes) {
		return false
	}
	where := indexEntryCols(ti, i)
	for c := range ti.cols {
		if need != nil && (c >= len(need) || !need[c]) {
			continue
		}
		if where[c] == 0 || !keyElemIsStored(ti.cols[c].t) {
			return false
		}
	}
	return true
}

// indexOnlyShown reports whether EXPLAIN names the scan of index i an
// Index Only Scan: as in PostgreSQL, whose index entries do not carry the
// primary key, when the needed columns are all indexed columns (and the
// scan reads no row for them).
func indexOnlyShown(ti *tableInfo, i int, need []bool) bool {
	if need == nil || !indexEntryCovers(ti, i, need) {
		return false
	}
	in := make([]bool, len(ti.cols))
	for _, c := range ti.desc.Indexes[i].Columns {
		if c < len(in) {
			in[c] = true
		}
	}
	for c, n := range need {
		if n && (c >= len(in) || !in[c]) {
			return false
		}
	}
	return true
}

// indexEntryCols maps each column to where an entry of index i holds it:
// 1+position among the indexed values, -(1+position) in the primary key,
// or 0 when the entry does not hold it. Every indexed value is a plain
// column (CREATE INDEX refuses expressions); an expression index, when
// there is one, must map no column to its computed values.
func indexEntryCols(ti *tableInfo, i int) []int {
	where := make([]int, len(ti.cols))
	for p, c := range ti.pk {
		if c < len(where) {
			where[c] = -(p + 1)
		}
	}
	for p, c := range ti.desc.Indexes[i].Columns {
		if c < len(where) {
			where[c] = p + 1
		}
	}
	return where
}

// entryRow builds the row an index entry stands for: the columns need
// marks (nil: all) from the entry's values and primary key, the others
// NULL. It reuses sel's buffer as decodeSel does.
func entryRow(ti *tableInfo, where []int, sel *rowSel, values, pk tuple.Tuple) ([]types.Value, error) {
	out := sel.row
	if sel.reuse && len(out) == len(ti.cols) {
		clear(out)
	} else {
		out = make([]types.Value, len(ti.cols))
		if sel.reuse {
			sel.row = out
		}
	}
	for c, w := range where {
		if w == 0 || (sel.need != nil && (c >= len(sel.need) || !sel.need[c])) {
			continue
		}
		var e any
		switch {
		case w > 0 && w-1 < len(values):
			e = values[w-1]
		case w < 0 && -w-1 < len(pk):
			e = pk[-w-1]
		default:
			return nil, fmt.Errorf("table %q: index entry lacks column %q", ti.desc.Name, ti.cols[c].name)
		}
		v, err := types.FromStore(ti.cols[c].t, e)
		if err != nil {
			return nil, fmt.Errorf("table %q column %q: %w", ti.desc.Name, ti.cols[c].name, err)
		}
		out[c] = v
	}
	return out, nil
}

// indexRunFast runs the index read of indexRunSel when it can do without
// a range scan of entries and row fetches: ok is false when it did
// nothing and the caller must scan as usual.
func indexRunFast(ctx context.Context, r layers.Reader, ti *tableInfo, i int, lo, hi *index.Bound, sel *rowSel, fn func(pk tuple.Tuple, row []types.Value) error) (ok bool, err error) {
	if indexReadsPlain.Load() {
		return false, nil
	}
	covers := sel != nil && !sel.fetchRows && indexEntryCovers(ti, i, sel.need)
	if lo != nil && hi != nil && lo.Inclusive && hi.Inclusive &&
		tuple.Compare(lo.Values, hi.Values) == 0 && ti.tbl.IndexPointable(i, lo.Values) {
		return true, indexPoint(r, ti, i, lo.Values, covers, sel, fn)
	}
	if !covers {
		return false, nil
	}
	where := indexEntryCols(ti, i)
	it := ti.tbl.IndexScan(r, i, lo, hi, false)
	defer it.Close()
	n := 0
	for it.NextEntry() {
		if n++; n%1024 == 0 {
			if err := canceled(ctx); err != nil {
				return true, err
			}
		}
		e := it.Entry()
		row, err := entryRow(ti, where, sel, e.Values, e.PK)
		if err != nil {
			return true, err
		}
		if err := fn(e.PK, row); err != nil {
			return true, err
		}
	}
	return true, it.Close()
}

// indexPoint reads the row whose values of unique index i are values, by
// a point Get of its entry, and from the entry alone when covers.
func indexPoint(r layers.Reader, ti *tableInfo, i int, values tuple.Tuple, covers bool, sel *rowSel, fn func(pk tuple.Tuple, row []types.Value) error) error {
	pk, found, err := ti.tbl.IndexLookup(r, i, values)
	if err != nil || !found {
		return err
	}
	if covers {
		row, err := entryRow(ti, indexEntryCols(ti, i), sel, values, pk)
		if err != nil {
			return err
		}
		return fn(pk, row)
	}
	if sel == nil {
		row, found, err := ti.tbl.Get(r, pk)
		if err != nil || !found {
			return err
		}
		vals, err := ti.decodeRow(row)
		if err != nil {
			return err
		}
		return fn(pk, vals)
	}
	raw, found, err := ti.tbl.GetRaw(r, pk)
	if err != nil || !found {
		return err
	}
	vals, err := ti.decodeSel(sel, raw)
	if err != nil {
		return err
	}
	return fn(pk, vals)
}

// explainIndexOnly renames the secondary-index scan node n of the
// single-table plan p an Index Only Scan when the scan answers from the
// index entries and PostgreSQL would call it one.
func explainIndexOnly(n *explainNode, p *selectPlan) {
	const scan = "Index Scan using "
	if p.locked || indexReadsPlain.Load() || !strings.HasPrefix(n.name, scan) {
		return
	}
	i := p.scan.index - 1
	if p.scan.empty() {
		i = p.indexOrder - 1
	}
	if i < 0 || !indexOnlyShown(p.table, i, selInfoOf(p).table) {
		return
	}
	n.name = "Index Only Scan using " + strings.TrimPrefix(n.name, scan)
}
