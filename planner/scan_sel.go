package planner

// Scan-side row decoding: which stored columns a query reads (projection
// pruning), and decoding rows from their stored encoding into a reused
// buffer without building the full tuple.

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/layers/tuple"
	"github.com/aspen-db/aspen/planner/types"
)

// rowSel says how a scan decodes its rows. A nil *rowSel decodes every
// column into a fresh slice per row and decodes the primary key.
type rowSel struct {
	// need marks the columns to decode; the others are left NULL. nil
	// decodes all of them.
	need []bool
	// reuse lets the scan hand the same row slice to every call of its
	// callback: the callback must not keep the slice (values may be kept).
	reuse bool
	// noPK passes a nil primary key to the callback.
	noPK bool
	// reuseOut, on the left side of a join, lets the join hand the same
	// joined-row slice to every call of its callback.
	reuseOut bool
	raws     [][]byte
	row      []types.Value

	// fetchRows reads every row even when an index entry holds the
	// needed columns (FOR UPDATE/SHARE).
	fetchRows bool
}

// decodeSel turns a stored row encoding into values as sel says.
func (ti *tableInfo) decodeSel(sel *rowSel, raw []byte) ([]types.Value, error) {
	var err error
	if sel.need == nil {
		sel.need = make([]bool, len(ti.cols))
		for i := range sel.need {
			sel.need[i] = true
		}
	}
	if sel.raws == nil {
		sel.raws = make([][]byte, 0, len(ti.cols))
	}
	sel.raws, err = tuple.UnpackRaw(sel.raws, raw, sel.need)
	if err != nil {
		return nil, fmt.Errorf("table %q: corrupt row: %w", ti.desc.Name, err)
	}
	out := sel.row
	if sel.reuse && len(out) == len(ti.cols) {
		clear(out)
	} else {
		out = make([]types.Value, len(ti.cols))
		if sel.reuse {
			sel.row = out
		}
	}
	for i, e := range sel.raws {
		if i >= len(out) {
			break
		}
		if e == nil {
			continue
		}
		v, err := decodeElem(ti.cols[i].t, e)
		if err != nil {
			return nil, fmt.Errorf("table %q column %q: %w", ti.desc.Name, ti.cols[i].name, err)
		}
		out[i] = v
	}
	return out, nil
}

// decodeElem decodes one stored element's encoding into a value of type
// t, as types.FromStore does.
func decodeElem(t types.T, raw []byte) (types.Value, error) {
	if i, ok := tuple.RawInt(raw); ok {
		return types.FromStoreInt(t, i)
	}
	if s, ok := tuple.RawString(raw); ok {
		return types.FromStoreString(t, s)
	}
	if len(raw) == 1 && raw[0] == 0x00 {
		return types.Null, nil
	}
	e, err := tuple.Unpack(raw)
	if err != nil || len(e) != 1 {
		return types.Null, fmt.Errorf("corrupt element %x: %v", raw, err)
	}
	return types.FromStore(t, e[0])
}

// selInfo is what execution learned about a SELECT's column use; it is
// computed on the plan's first run and kept on the plan.
type selInfo struct {
	// table is the need mask of the one table of a single-table plan
	// (nil: all columns).
	table []bool
	// left and right are the need masks of the two tables of a join of
	// two plain tables.
	left, right []bool
	// simple says the rows go no further than the filter, grouping and
	// projection, which copy what they keep: a scan may reuse its row.
	simple bool
}

// selInfoOf returns p's selInfo, computing it once.
func selInfoOf(p *selectPlan) *selInfo {
	if si := p.sel.Load(); si != nil {
		return si
	}
	si := computeSelInfo(p)
	p.sel.Store(si)
	return si
}

func computeSelInfo(p *selectPlan) *selInfo {
	si := &selInfo{simple: pruneSafe && p.window == nil && len(p.srfs) == 0 && !p.keepRep}
	if !si.simple {
		return si
	}
	for _, a := range p.aggs {
		if a.ext != nil {
			si.simple = false
			return si
		}
	}
	if !p.grouped && p.having != nil {
		si.simple = false
		return si
	}
	// markPlan marks the columns the plan's expressions over its input
	// rows read.
	markPlan := func(need []bool) bool {
		// A grouped query's outputs read the grouped rows.
		if !p.grouped && !markCols(need, 0, p.outputs...) {
			return false
		}
		if !markExpr(need, 0, p.filter) || !markCols(need, 0, p.groups...) {
			return false
		}
		for _, a := range p.aggs {
			if !markExpr(need, 0, a.arg) || !markExpr(need, 0, a.filter) {
				return false
			}
		}
		return true
	}
	switch {
	case p.table != nil:
		need := make([]bool, len(p.table.cols))
		if !markPlan(need) {
			return si
		}
		si.table = need
	case p.from != nil:
		j, ok := p.from.(*fromJoin)
		if !ok {
			return si
		}
		lt, lok := j.left.(*fromTable)
		rt, rok := j.right.(*fromTable)
		if !lok || !rok {
			return si
		}
		lw := len(lt.ti.cols)
		all := make([]bool, lw+len(rt.ti.cols))
		if !markPlan(all) || !markExpr(all, 0, j.cond) {
			return si
		}
		left, right := all[:lw:lw], all[lw:]
		if !markCols(left, 0, j.lkeys...) || !markExpr(left, 0, lt.filter) ||
			!markCols(right, 0, j.rkeys...) || !markExpr(right, 0, rt.filter) {
			return si
		}
		si.left, si.right = left, right
	}
	return si
}

// markCols sets need[idx-off] for each column the expressions read; it
// returns false when one of them is of a kind it does not know (or reads
// a column out of range), in which case every column is needed.
func markCols(need []bool, off int, es ...expr) bool {
	for _, e := range es {
		if !markExpr(need, off, e) {
			return false
		}
	}
	return true
}

func markExpr(need []bool, off int, e expr) bool {
	switch x := e.(type) {
	case nil:
		return true
	case *colRef:
		i := x.idx - off
		if i < 0 || i >= len(need) {
			return false
		}
		need[i] = true
		return true
	case *constExpr, *paramRef, *aggRef:
		return true
	case *castExpr:
		return markExpr(need, off, x.arg)
	case *arithExpr:
		return markCols(need, off, x.l, x.r)
	case *negExpr:
		return markExpr(need, off, x.arg)
	case *cmpExpr:
		return markCols(need, off, x.l, x.r)
	case *concatExpr:
		return markCols(need, off, x.l, x.r)
	case *boolExpr:
		return markCols(need, off, x.args...)
	case *notExpr:
		return markExpr(need, off, x.arg)
	case *isNullExpr:
		return markExpr(need, off, x.arg)
	case *boolTestExpr:
		return markExpr(need, off, x.arg)
	case *caseExpr:
		return markCols(need, off, x.whens...) && markCols(need, off, x.thens...) && markExpr(need, off, x.els)
	case *coalesceExpr:
		return markCols(need, off, x.args...)
	case *nullifExpr:
		return markCols(need, off, x.a, x.b)
	case *inListExpr:
		return markExpr(need, off, x.arg) && markCols(need, off, x.list...)
	case *funcExpr:
		return markCols(need, off, x.args...)
	}
	return false
}

// selectRowSel returns how the single-table scan of p decodes rows.
func selectRowSel(p *selectPlan) *rowSel {
	si := selInfoOf(p)
	return &rowSel{need: si.table, reuse: si.simple, noPK: true, fetchRows: p.locked}
}

// iterSelectFrom runs p's FROM clause like iterFrom, decoding only the
// columns p reads when it is one table or a join of two tables.
func iterSelectFrom(ev *evalCtx, p *selectPlan, mem *memBudget, fn func(row []types.Value) error) error {
	si := selInfoOf(p)
	switch x := p.from.(type) {
	case *fromTable:
		return iterTableSel(ev, x, &rowSel{reuse: si.simple, noPK: true, fetchRows: p.locked}, fn)
	case *fromJoin:
		_, lok := x.left.(*fromTable)
		_, rok := x.right.(*fromTable)
		if lok && rok {
			// execJoin copies each left row into the rows it emits and
			// keeps the right rows.
			return execJoinSel(ev, x, mem, &rowSel{need: si.left, reuse: true, noPK: true, reuseOut: si.simple, fetchRows: p.locked}, &rowSel{need: si.right, noPK: true, fetchRows: p.locked}, fn)
		}
	}
	return iterFrom(ev, p.from, mem, fn)
}

// iterFromSel is iterFrom decoding a plain table's rows as sel says.
func iterFromSel(ev *evalCtx, n fromNode, mem *memBudget, sel *rowSel, fn func(row []types.Value) error) error {
	if x, ok := n.(*fromTable); ok && sel != nil {
		return iterTableSel(ev, x, sel, fn)
	}
	return iterFrom(ev, n, mem, fn)
}

// iterTableSel reads a FROM table's rows through its filter.
func iterTableSel(ev *evalCtx, x *fromTable, sel *rowSel, fn func(row []types.Value) error) error {
	return scanRowsSel(ev.ctx, ev.r, x.ti, x.scan, false, ev, sel, func(_ tuple.Tuple, row []types.Value) error {
		if x.filter != nil {
			v, err := x.filter.eval(ev, row)
			if err != nil {
				return err
			}
			if !truthy(v) {
				return nil
			}
		}
		return fn(row)
	})
}

// scanRaw runs a primary-key range scan, decoding rows as sel says.
func scanRaw(ctx context.Context, ti *tableInfo, it *sqlrows.RowIterator, sel *rowSel, fn func(pk tuple.Tuple, row []types.Value) error) error {
	n := 0
	for it.NextRaw() {
		if n++; n%1024 == 0 {
			if err := canceled(ctx); err != nil {
				return err
			}
		}
		var pk tuple.Tuple
		if !sel.noPK {
			var err error
			if pk, err = it.DecodePK(); err != nil {
				return err
			}
		}
		vals, err := ti.decodeSel(sel, it.Value())
		if err != nil {
			return err
		}
		if err := fn(pk, vals); err != nil {
			return err
		}
	}
	return it.Close()
}

// indexRaw runs a secondary-index scan, decoding rows as sel says.
func indexRaw(ctx context.Context, ti *tableInfo, it *sqlrows.IndexRowIterator, sel *rowSel, fn func(pk tuple.Tuple, row []types.Value) error) error {
	n := 0
	for it.NextRaw() {
		if n++; n%1024 == 0 {
			if err := canceled(ctx); err != nil {
				return err
			}
		}
		vals, err := ti.decodeSel(sel, it.Value())
		if err != nil {
			return err
		}
		if err := fn(it.PK(), vals); err != nil {
			return err
		}
	}
	return it.Close()
}

// rejects reports whether add would drop row, and if so counts its
// arrival as add does; the caller may then reuse row's slice.
func (t *topN) rejects(row []types.Value) bool {
	if t.n == 0 || (len(t.rows) >= t.n && !t.less(topRow{row: row, seq: t.seq}, t.rows[0])) {
		t.seq++
		return true
	}
	return false
}

// selKnownFields lists, per plan and expression type markExpr and
// computeSelInfo read, the fields they were written against. When one of
// these types gains a field (which might hold an expression over the input
// rows that the column marking would miss), pruneSafe turns pruning off
// and TestSelKnowsPlanFields fails, until the marking is reviewed and the
// list updated.
var selKnownFields = map[reflect.Type]string{
	reflect.TypeFor[selectPlan]():   "table from scan filter grouped groups aggs gsets having window outputs nvisible unknown keepRep cols distinct distinctOn sort keyOrder reverse indexOrder limit offset srfs sel locked",
	reflect.TypeFor[aggCall]():      "name arg distinct t filter ext",
	reflect.TypeFor[fromJoin]():     "kind left right lkeys rkeys cond",
	reflect.TypeFor[fromTable]():    "ti scan filter",
	reflect.TypeFor[colRef]():       "idx t name loc",
	reflect.TypeFor[castExpr]():     "arg t ctx",
	reflect.TypeFor[arithExpr]():    "op l r t",
	reflect.TypeFor[negExpr]():      "arg",
	reflect.TypeFor[cmpExpr]():      "op l r",
	reflect.TypeFor[concatExpr]():   "l r",
	reflect.TypeFor[boolExpr]():     "and args",
	reflect.TypeFor[notExpr]():      "arg",
	reflect.TypeFor[isNullExpr]():   "arg not",
	reflect.TypeFor[boolTestExpr](): "arg want not name",
	reflect.TypeFor[caseExpr]():     "whens thens els t",
	reflect.TypeFor[coalesceExpr](): "args t",
	reflect.TypeFor[nullifExpr]():   "a b",
	reflect.TypeFor[inListExpr]():   "arg list not",
	reflect.TypeFor[funcExpr]():     "name args t fn evfn strict volatile",
}

// pruneSafe is false when a type of selKnownFields has changed.
var pruneSafe = selFieldsChanged() == ""

// selFieldsChanged names the first type of selKnownFields whose fields
// differ from the list, or returns "".
func selFieldsChanged() string {
	for t, known := range selKnownFields {
		var names []string
		for i := range t.NumField() {
			names = append(names, t.Field(i).Name)
		}
		if strings.Join(names, " ") != known {
			return fmt.Sprintf("%s has fields %q, column marking knows %q", t, strings.Join(names, " "), known)
		}
	}
	return ""
}
