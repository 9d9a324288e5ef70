package planner

// Execution of plan nodes: key-range scans, filters, grouping and aggregates, sorting, DML and DDL.

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/index"
	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/layers/tuple"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
)

// errStop ends a scan early (LIMIT reached); it never escapes exec.go.
var errStop = errors.New("stop scan")

// maxQueryMemory bounds the bytes of rows one statement holds in memory
// (results, subquery results, UPDATE's match list and whatever does not
// spill to disk past work_mem; see spill.go): past it the statement fails
// with 53200. A variable so tests can lower it.
var maxQueryMemory int64 = 256 << 20

// memBudget accounts for the rows a statement holds in memory.
type memBudget struct {
	used int64
}

// add charges the approximate size of a row and reports 53200 once the
// statement holds more than maxQueryMemory.
func (m *memBudget) add(row []types.Value) error {
	n := int64(24)
	for _, v := range row {
		n += valueSize(v)
	}
	m.used += n
	if m.used > maxQueryMemory {
		return sqlerr.New("53200", "out of memory").
			WithDetail("The statement holds more than %d MB of rows in memory.", maxQueryMemory>>20)
	}
	return nil
}

// valueSize approximates the memory a value holds.
func valueSize(v types.Value) int64 {
	switch v.Kind() {
	case types.Numeric:
		if d := v.Decimal(); d != nil {
			return 64 + d.NumDigits()/2
		}
	case types.Text, types.Varchar, types.Unknown, types.BPChar, types.Bytea, types.JSON, types.Name:
		return 48 + int64(len(v.Str()))
	}
	if v.Kind().IsArray() {
		n := int64(48)
		for _, e := range v.Elems() {
			n += valueSize(e)
		}
		return n
	}
	return 48
}

// truthy reports whether a WHERE/HAVING result keeps the row.
func truthy(v types.Value) bool { return !v.IsNull() && v.Bool() }

// scanRows calls fn for every row of ti in spec's key range, in key order.
func scanRows(ctx context.Context, r layers.Reader, ti *tableInfo, spec scanSpec, ev *evalCtx, fn func(pk tuple.Tuple, row []types.Value) error) error {
	return scanRowsOrder(ctx, r, ti, spec, false, ev, fn)
}

// scanRowsOrder is scanRows in ascending or, with reverse, descending key
// order.
func scanRowsOrder(ctx context.Context, r layers.Reader, ti *tableInfo, spec scanSpec, reverse bool, ev *evalCtx, fn func(pk tuple.Tuple, row []types.Value) error) error {
	return scanRowsSel(ctx, r, ti, spec, reverse, ev, nil, fn)
}

// scanRowsSel is scanRowsOrder decoding rows as sel says (nil: all
// columns, a fresh row each time).
func scanRowsSel(ctx context.Context, r layers.Reader, ti *tableInfo, spec scanSpec, reverse bool, ev *evalCtx, sel *rowSel, fn func(pk tuple.Tuple, row []types.Value) error) error {
	keyVals := func(es []expr) (tuple.Tuple, bool, error) {
		out := make(tuple.Tuple, len(es))
		for i, e := range es {
			v, err := e.eval(ev, nil)
			if err != nil {
				return nil, false, err
			}
			if v.IsNull() {
				return nil, false, nil
			}
			out[i] = types.KeyElem(v)
		}
		return out, true, nil
	}
	if spec.index > 0 {
		return scanIndexSel(ctx, r, ti, spec, ev, sel, fn)
	}
	if spec.in != nil {
		return scanKeyList(r, ti, spec.in, reverse, ev, sel, fn)
	}
	prefix, ok, err := keyVals(spec.eq)
	if err != nil || !ok {
		return err
	}
	if spec.point(ti) {
		if sel != nil {
			raw, found, err := ti.tbl.GetRaw(r, prefix)
			if err != nil || !found {
				return err
			}
			vals, err := ti.decodeSel(sel, raw)
			if err != nil {
				return err
			}
			return fn(prefix, vals)
		}
		row, found, err := ti.tbl.Get(r, prefix)
		if err != nil || !found {
			return err
		}
		vals, err := ti.decodeRow(row)
		if err != nil {
			return err
		}
		return fn(prefix, vals)
	}
	var lo, hi *sqlrows.Bound
	if len(prefix) > 0 || spec.lo != nil {
		lo = &sqlrows.Bound{Values: prefix, Inclusive: true}
		if spec.lo != nil {
			v, ok, err := keyVals([]expr{spec.lo.e})
			if err != nil || !ok {
				return err
			}
			lo = &sqlrows.Bound{Values: append(append(tuple.Tuple{}, prefix...), v...), Inclusive: spec.lo.incl}
		}
	}
	if len(prefix) > 0 || spec.hi != nil {
		hi = &sqlrows.Bound{Values: prefix, Inclusive: true}
		if spec.hi != nil {
			v, ok, err := keyVals([]expr{spec.hi.e})
			if err != nil || !ok {
				return err
			}
			hi = &sqlrows.Bound{Values: append(append(tuple.Tuple{}, prefix...), v...), Inclusive: spec.hi.incl}
		}
	}
	it := ti.tbl.Scan(r, lo, hi, reverse)
	defer it.Close()
	if sel != nil {
		return scanRaw(ctx, ti, it, sel, fn)
	}
	return decodeRows(ctx, ti, it, fn)
}

// rowIterator is what table and index scans have in common.
type rowIterator interface {
	Next() bool
	PK() tuple.Tuple
	Row() tuple.Tuple
	Close() error
}

// decodeRows decodes every row of it and calls fn with it, checking for
// cancellation every 1024 rows.
func decodeRows(ctx context.Context, ti *tableInfo, it rowIterator, fn func(pk tuple.Tuple, row []types.Value) error) error {
	n := 0
	for it.Next() {
		if n++; n%1024 == 0 {
			if err := canceled(ctx); err != nil {
				return err
			}
		}
		vals, err := ti.decodeRow(it.Row())
		if err != nil {
			return err
		}
		if err := fn(it.PK(), vals); err != nil {
			return err
		}
	}
	return it.Close()
}

// keyTuple evaluates key expressions into key elements; ok is false when
// one is NULL (no row matches).
func keyTuple(es []expr, ev *evalCtx) (tuple.Tuple, bool, error) {
	out := make(tuple.Tuple, len(es))
	for i, e := range es {
		v, err := e.eval(ev, nil)
		if err != nil {
			return nil, false, err
		}
		if v.IsNull() {
			return nil, false, nil
		}
		out[i] = types.KeyElem(v)
	}
	return out, true, nil
}

// indexRun calls fn for the rows of index i between lo and hi, in index
// order.
func indexRun(ctx context.Context, r layers.Reader, ti *tableInfo, i int, lo, hi *index.Bound, fn func(pk tuple.Tuple, row []types.Value) error) error {
	return indexRunSel(ctx, r, ti, i, lo, hi, nil, fn)
}

// indexRunSel is indexRun decoding rows as sel says.
func indexRunSel(ctx context.Context, r layers.Reader, ti *tableInfo, i int, lo, hi *index.Bound, sel *rowSel, fn func(pk tuple.Tuple, row []types.Value) error) error {
	if ok, err := indexRunFast(ctx, r, ti, i, lo, hi, sel, fn); ok {
		return err
	}
	it := ti.tbl.IndexScan(r, i, lo, hi, false)
	defer it.Close()
	if sel != nil {
		return indexRaw(ctx, ti, it, sel, fn)
	}
	return decodeRows(ctx, ti, it, fn)
}

// scanIndexOrdered reads rows in the ascending, NULLS LAST order of the
// first column of index idx (1-based): the index keeps NULLs first, so
// they are read after the others.
func scanIndexOrdered(ctx context.Context, r layers.Reader, ti *tableInfo, idx int, spec scanSpec, ev *evalCtx, sel *rowSel, fn func(pk tuple.Tuple, row []types.Value) error) error {
	if !spec.empty() {
		// A range on the same column: it holds no NULLs.
		spec.index = idx
		return scanIndexSel(ctx, r, ti, spec, ev, sel, fn)
	}
	null := &index.Bound{Values: tuple.Tuple{nil}, Inclusive: true}
	if err := indexRunSel(ctx, r, ti, idx-1, &index.Bound{Values: tuple.Tuple{nil}, Inclusive: false}, nil, sel, fn); err != nil {
		return err
	}
	return indexRunSel(ctx, r, ti, idx-1, null, null, sel, fn)
}

// scanIndex reads the rows a secondary-index range selects, in index
// order.
func scanIndexSel(ctx context.Context, r layers.Reader, ti *tableInfo, spec scanSpec, ev *evalCtx, sel *rowSel, fn func(pk tuple.Tuple, row []types.Value) error) error {
	run := func(lo, hi *index.Bound) error {
		return indexRunSel(ctx, r, ti, spec.index-1, lo, hi, sel, fn)
	}
	if spec.in != nil {
		seen := map[string]bool{}
		var keys []string
		for _, e := range spec.in {
			k, ok, err := keyTuple([]expr{e}, ev)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			enc, err := tuple.Append(nil, k)
			if err != nil {
				return fmt.Errorf("encode key %v: %w", k, err)
			}
			if !seen[string(enc)] {
				seen[string(enc)] = true
				keys = append(keys, string(enc))
			}
		}
		sort.Strings(keys)
		for _, enc := range keys {
			k, err := tuple.Unpack([]byte(enc))
			if err != nil {
				return fmt.Errorf("decode key: %w", err)
			}
			b := &index.Bound{Values: k, Inclusive: true}
			if err := run(b, b); err != nil {
				return err
			}
		}
		return nil
	}
	prefix, ok, err := keyTuple(spec.eq, ev)
	if err != nil || !ok {
		return err
	}
	var lo, hi *index.Bound
	if len(prefix) > 0 || spec.lo != nil {
		lo = &index.Bound{Values: prefix, Inclusive: true}
		if spec.lo != nil {
			v, ok, err := keyTuple([]expr{spec.lo.e}, ev)
			if err != nil || !ok {
				return err
			}
			lo = &index.Bound{Values: append(append(tuple.Tuple{}, prefix...), v...), Inclusive: spec.lo.incl}
		}
	}
	if len(prefix) > 0 || spec.hi != nil {
		hi = &index.Bound{Values: prefix, Inclusive: true}
		if spec.hi != nil {
			v, ok, err := keyTuple([]expr{spec.hi.e}, ev)
			if err != nil || !ok {
				return err
			}
			hi = &index.Bound{Values: append(append(tuple.Tuple{}, prefix...), v...), Inclusive: spec.hi.incl}
		}
	}
	if lo == nil && spec.hi != nil {
		// NULLs sort first in the index: start after them.
		lo = &index.Bound{Values: tuple.Tuple{nil}, Inclusive: false}
	}
	return run(lo, hi)
}

// scanKeyList reads the rows whose one-column primary key is one of keys
// (NULLs and duplicates skipped), in key order.
func scanKeyList(r layers.Reader, ti *tableInfo, keys []expr, reverse bool, ev *evalCtx, sel *rowSel, fn func(pk tuple.Tuple, row []types.Value) error) error {
	type entry struct {
		pk  tuple.Tuple
		enc string
	}
	seen := map[string]bool{}
	var list []entry
	for _, e := range keys {
		v, err := e.eval(ev, nil)
		if err != nil {
			return err
		}
		if v.IsNull() {
			continue
		}
		pk := tuple.Tuple{types.KeyElem(v)}
		enc, err := tuple.Append(nil, pk)
		if err != nil {
			return fmt.Errorf("encode key %v: %w", pk, err)
		}
		if !seen[string(enc)] {
			seen[string(enc)] = true
			list = append(list, entry{pk: pk, enc: string(enc)})
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if reverse {
			return list[i].enc > list[j].enc
		}
		return list[i].enc < list[j].enc
	})
	for _, en := range list {
		if sel != nil {
			raw, found, err := ti.tbl.GetRaw(r, en.pk)
			if err != nil {
				return err
			}
			if !found {
				continue
			}
			vals, err := ti.decodeSel(sel, raw)
			if err != nil {
				return err
			}
			if err := fn(en.pk, vals); err != nil {
				return err
			}
			continue
		}
		row, found, err := ti.tbl.Get(r, en.pk)
		if err != nil {
			return err
		}
		if !found {
			continue
		}
		vals, err := ti.decodeRow(row)
		if err != nil {
			return err
		}
		if err := fn(en.pk, vals); err != nil {
			return err
		}
	}
	return nil
}

// canceled returns 57014 once ctx is done: a statement timeout (a
// deadline) or a cancel request.
func canceled(ctx context.Context) error {
	err := ctx.Err()
	if dl, ok := ctx.Deadline(); ok && err == nil && !time.Now().Before(dl) {
		// The deadline passed but its timer has not fired yet (a busy
		// goroutine may delay it): the statement is over anyway.
		err = context.DeadlineExceeded
	}
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.DeadlineExceeded):
		return &sqlerr.Error{Code: sqlerr.QueryCanceled, Message: "canceling statement due to statement timeout", Cause: err}
	default:
		return &sqlerr.Error{Code: sqlerr.QueryCanceled, Message: "canceling statement due to user request", Cause: err}
	}
}

// evalCount evaluates a LIMIT/OFFSET expression; -1 means none.
func evalCount(e expr, ev *evalCtx, what, code string) (int64, error) {
	if e == nil {
		return -1, nil
	}
	v, err := e.eval(ev, nil)
	if err != nil {
		return 0, err
	}
	if v.IsNull() {
		return -1, nil
	}
	if v.Int() < 0 {
		return 0, sqlerr.New(code, "%s must not be negative", what)
	}
	return v.Int(), nil
}

// execSelect runs a SELECT and returns its rows.
func execSelect(ctx context.Context, r layers.Reader, p *selectPlan, ev *evalCtx) ([][]types.Value, error) {
	return execSelectWant(ctx, r, p, ev, -1)
}

// execSelectWant runs a SELECT; want >= 0 says that only the first want
// rows are needed.
func execSelectWant(ctx context.Context, r layers.Reader, p *selectPlan, ev *evalCtx, want int64) ([][]types.Value, error) {
	return execSelectTo(ctx, r, p, ev, want, nil)
}

// execSelectTo is execSelectWant handing the result rows to emit, when it
// is not nil, instead of returning them: as the scan produces them when
// the rows need no final pass, as the sorter merges them for ORDER BY (see
// stream.go). emit must not keep the row it is given.
func execSelectTo(ctx context.Context, r layers.Reader, p *selectPlan, ev *evalCtx, want int64, emit func([]types.Value) error) ([][]types.Value, error) {
	ev.attach(ctx, r)
	limit, err := evalCount(p.limit, ev, "LIMIT", sqlerr.InvalidRowCountInLimit)
	if err != nil {
		return nil, err
	}
	if want >= 0 && (limit < 0 || want < limit) {
		limit = want
	}
	offset, err := evalCount(p.offset, ev, "OFFSET", sqlerr.InvalidRowCountInOffset)
	if err != nil {
		return nil, err
	}
	if offset < 0 {
		offset = 0
	}
	streaming := !p.grouped && p.window == nil && !p.distinct && p.distinctOn == nil && (len(p.sort) == 0 || p.keyOrder || p.indexOrder > 0)
	var out [][]types.Value
	// projectInto evaluates the outputs into dst when it has room.
	projectInto := func(dst, row []types.Value) ([]types.Value, error) {
		o := dst
		if len(o) != len(p.outputs) {
			o = make([]types.Value, len(p.outputs))
		}
		for i, e := range p.outputs {
			v, err := e.eval(ev, row)
			if err != nil {
				return nil, err
			}
			o[i] = v
		}
		return o, nil
	}
	project := func(row []types.Value) ([]types.Value, error) { return projectInto(nil, row) }
	var topBuf []types.Value // a projected row topN turned down, for reuse
	var groups *grouper
	var winRows [][]types.Value // the window node's input
	if p.grouped {
		groups = newGrouper(p)
	}
	// ORDER BY ... LIMIT over ungrouped rows keeps only the first
	// offset+limit rows of the order while scanning.
	var top *topN
	if !streaming && !p.grouped && p.window == nil && !p.distinct && p.distinctOn == nil && len(p.sort) > 0 && limit >= 0 {
		top = &topN{keys: p.sort, n: int(min(offset+limit, 1<<30))}
	}
	seen := int64(0)
	var mem memBudget
	var emitted int64 // rows handed to emit
	// A plain ORDER BY sorts as the rows come, spilling past work_mem.
	var srt *extSorter
	if !streaming && top == nil && !p.grouped && p.window == nil && !p.distinct && p.distinctOn == nil && len(p.sort) > 0 {
		srt = newExtSorter(ev, p.sort, &mem)
		defer srt.close()
	}
	consume := func(_ tuple.Tuple, row []types.Value) error {
		if p.filter != nil {
			v, err := p.filter.eval(ev, row)
			if err != nil {
				return err
			}
			if !truthy(v) {
				return nil
			}
		}
		if groups != nil {
			return groups.add(ev, row, &mem)
		}
		if p.window != nil {
			return collectWindowRow(&winRows, row, &mem)
		}
		return expandSRF(ev, p.srfs, row, func() error {
			if streaming {
				seen++
				if seen <= offset {
					return nil
				}
			}
			if top != nil {
				o, err := projectInto(topBuf, row)
				if err != nil {
					return err
				}
				if top.rejects(o) {
					topBuf = o
					return nil
				}
				topBuf = nil
				return top.add(o, &mem)
			}
			o, err := project(row)
			if err != nil {
				return err
			}
			if srt != nil {
				return srt.add(o)
			}
			if emit != nil && streaming {
				return emitStreamed(emit, o[:p.nvisible], &emitted, 0, limit)
			}
			if err := mem.add(o); err != nil {
				return err
			}
			out = append(out, o)
			if streaming && limit >= 0 && int64(len(out)) >= limit {
				return errStop
			}
			return nil
		})
	}
	if streaming && limit == 0 {
		return nil, nil
	}
	switch {
	case p.table != nil && p.indexOrder > 0:
		err = scanIndexOrdered(ctx, r, p.table, p.indexOrder, p.scan, ev, selectRowSel(p), consume)
	case p.table != nil:
		err = scanRowsSel(ctx, r, p.table, p.scan, p.keyOrder && p.reverse, ev, selectRowSel(p), consume)
	case p.from != nil:
		err = iterSelectFrom(ev, p, &mem, func(row []types.Value) error { return consume(nil, row) })
	default:
		err = consume(nil, nil)
	}
	if err != nil && err != errStop {
		return nil, err
	}
	if streaming {
		for i := range out {
			out[i] = out[i][:p.nvisible]
		}
		return out, nil
	}
	if top != nil {
		out = top.sorted()
	}
	if srt != nil {
		if err := srt.finish(func(o []types.Value) error {
			if emit != nil {
				return emitStreamed(emit, o[:p.nvisible], &emitted, offset, limit)
			}
			if err := mem.add(o); err != nil {
				return err
			}
			out = append(out, o)
			return nil
		}); err != nil && err != errStop {
			return nil, err
		}
		if emit != nil {
			return nil, nil
		}
	}
	if groups != nil {
		grows, err := groups.finish(ev)
		if err != nil {
			return nil, err
		}
		for _, g := range grows {
			if p.having != nil {
				v, err := p.having.eval(ev, g)
				if err != nil {
					return nil, err
				}
				if !truthy(v) {
					continue
				}
			}
			if p.window != nil {
				winRows = append(winRows, g)
				continue
			}
			if err := expandSRF(ev, p.srfs, g, func() error {
				o, err := project(g)
				if err != nil {
					return err
				}
				out = append(out, o)
				return nil
			}); err != nil {
				return nil, err
			}
		}
	}
	if p.window != nil {
		wrows, err := execWindow(ev, p.window, winRows, &mem)
		if err != nil {
			return nil, err
		}
		for _, row := range wrows {
			// Set-returning calls of the select list expand after the
			// windows, as PostgreSQL's ProjectSet sits above WindowAgg.
			if err := expandSRF(ev, p.srfs, row, func() error {
				o, err := project(row)
				if err != nil {
					return err
				}
				out = append(out, o)
				return nil
			}); err != nil {
				return nil, err
			}
		}
	}
	if p.distinct {
		// Past work_mem by partitions on disk (spill_hash.go).
		if out, err = distinctRows(ev, out, p.nvisible); err != nil {
			return nil, err
		}
	}
	if len(p.sort) > 0 && srt == nil && top == nil {
		if out, err = sortRows(ev, out, p.sort); err != nil {
			return nil, err
		}
	}
	if p.distinctOn != nil {
		// The first row of each DISTINCT ON key, in the sorted order.
		seenKeys := map[string]bool{}
		kept := out[:0]
		key := make([]types.Value, len(p.distinctOn))
		for _, o := range out {
			for i, c := range p.distinctOn {
				key[i] = o[c]
			}
			k := rowKey(key)
			if !seenKeys[k] {
				seenKeys[k] = true
				kept = append(kept, o)
			}
		}
		out = kept
	}
	if offset > 0 {
		if offset >= int64(len(out)) {
			out = nil
		} else {
			out = out[offset:]
		}
	}
	if limit >= 0 && limit < int64(len(out)) {
		out = out[:limit]
	}
	for i := range out {
		out[i] = out[i][:p.nvisible]
	}
	if emit != nil {
		return nil, emitRows(emit, out)
	}
	return out, nil
}

// topN keeps the first n rows of an ORDER BY in a max-heap while the rows
// stream by, ties broken by arrival so the result is the stable sort's.
type topN struct {
	keys []sortKey
	n    int
	rows []topRow
	seq  int
}

type topRow struct {
	row []types.Value
	seq int
}

// less orders a before b: by the sort keys, then by arrival.
func (t *topN) less(a, b topRow) bool {
	if c := compareRows(a.row, b.row, t.keys); c != 0 {
		return c < 0
	}
	return a.seq < b.seq
}

// add offers a row: kept while fewer than n are held, or in place of the
// last held row when it comes before it.
func (t *topN) add(row []types.Value, mem *memBudget) error {
	r := topRow{row: row, seq: t.seq}
	t.seq++
	if t.n == 0 {
		return nil
	}
	if len(t.rows) < t.n {
		if err := mem.add(row); err != nil {
			return err
		}
		t.rows = append(t.rows, r)
		// Sift up: the root is the last row of the order.
		for i := len(t.rows) - 1; i > 0; {
			parent := (i - 1) / 2
			if !t.less(t.rows[parent], t.rows[i]) {
				break
			}
			t.rows[parent], t.rows[i] = t.rows[i], t.rows[parent]
			i = parent
		}
		return nil
	}
	if !t.less(r, t.rows[0]) {
		return nil
	}
	t.rows[0] = r
	for i := 0; ; {
		l, rt, big := 2*i+1, 2*i+2, i
		if l < len(t.rows) && t.less(t.rows[big], t.rows[l]) {
			big = l
		}
		if rt < len(t.rows) && t.less(t.rows[big], t.rows[rt]) {
			big = rt
		}
		if big == i {
			break
		}
		t.rows[i], t.rows[big] = t.rows[big], t.rows[i]
		i = big
	}
	return nil
}

// sorted returns the kept rows in order.
func (t *topN) sorted() [][]types.Value {
	sort.Slice(t.rows, func(i, j int) bool { return t.less(t.rows[i], t.rows[j]) })
	out := make([][]types.Value, len(t.rows))
	for i, r := range t.rows {
		out[i] = r.row
	}
	return out
}

// rowKey returns a map key under which rows with equal values coincide.
func rowKey(vals []types.Value) string {
	return string(appendRowKey(nil, vals))
}

// compareRows orders two rows by sort keys, with NULLs first or last.
func compareRows(a, b []types.Value, keys []sortKey) int {
	for _, k := range keys {
		x, y := a[k.idx], b[k.idx]
		var c int
		switch {
		case x.IsNull() && y.IsNull():
			c = 0
		case x.IsNull():
			c = 1
			if k.nullsFirst {
				c = -1
			}
		case y.IsNull():
			c = -1
			if k.nullsFirst {
				c = 1
			}
		default:
			c = types.Compare(x, y)
			if k.desc {
				c = -c
			}
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// grouper accumulates rows into groups for aggregation.
type grouper struct {
	p      *selectPlan
	index  map[string]int
	keys   [][]types.Value
	states [][]*aggState
	reps   [][]types.Value // first input row per group, with keepRep
	sets   *setGrouper     // with grouping sets (grouping_sets.go)
	kv     []types.Value   // scratch for the current row's group key
	kbuf   []byte          // scratch for its map key
	sp     *aggSpill       // spilling past work_mem (spill_agg.go)
}

func newGrouper(p *selectPlan) *grouper {
	return &grouper{p: p, index: map[string]int{}}
}

func (g *grouper) add(ev *evalCtx, row []types.Value, mem *memBudget) error {
	if g.p.gsets != nil {
		return g.addSets(ev, row, mem)
	}
	kv := g.kv[:0]
	for range g.p.groups {
		kv = append(kv, types.Null)
	}
	g.kv = kv
	for i, e := range g.p.groups {
		v, err := e.eval(ev, row)
		if err != nil {
			return err
		}
		kv[i] = v
	}
	g.kbuf = appendRowKey(g.kbuf[:0], kv)
	gi, ok := g.index[string(g.kbuf)]
	if !ok {
		if spilled, err := g.spillNew(ev, row); spilled || err != nil {
			return err
		}
		kv = append([]types.Value(nil), kv...)
		if err := mem.add(kv); err != nil {
			return err
		}
		gi = len(g.keys)
		g.index[string(g.kbuf)] = gi
		g.keys = append(g.keys, kv)
		if g.p.keepRep {
			rep := append([]types.Value(nil), row...)
			if err := mem.add(rep); err != nil {
				return err
			}
			g.reps = append(g.reps, rep)
		}
		st := make([]*aggState, len(g.p.aggs))
		for i, a := range g.p.aggs {
			st[i] = newAggState(a)
		}
		g.states = append(g.states, st)
		var rep []types.Value
		if g.p.keepRep {
			rep = g.reps[gi]
		}
		if err := g.grouped(ev, kv, rep); err != nil {
			return err
		}
	}
	for _, s := range g.states[gi] {
		if err := s.add(ev, row); err != nil {
			return err
		}
	}
	return nil
}

// finish returns one row per group: keys then aggregate results. Without
// GROUP BY there is exactly one group, even over no rows.
func (g *grouper) finish(ev *evalCtx) ([][]types.Value, error) {
	if g.p.gsets != nil {
		return g.finishSets(ev)
	}
	if g.spilling() {
		var mem memBudget
		return g.finishSpilled(ev, &mem)
	}
	if len(g.p.groups) == 0 && len(g.keys) == 0 {
		g.keys = append(g.keys, nil)
		st := make([]*aggState, len(g.p.aggs))
		for i, a := range g.p.aggs {
			st[i] = newAggState(a)
		}
		g.states = append(g.states, st)
	}
	out := make([][]types.Value, len(g.keys))
	for i, k := range g.keys {
		row := append([]types.Value{}, k...)
		for _, s := range g.states[i] {
			v, err := s.result()
			if err != nil {
				return nil, err
			}
			row = append(row, v)
		}
		if g.p.keepRep && i < len(g.reps) {
			row = append(row, g.reps[i]...)
		}
		out[i] = row
	}
	return out, nil
}

// aggState is the running state of one aggregate in one group.
type aggState struct {
	call  *aggCall
	count int64
	sum   types.Value // running sum (sum, avg), in the accumulation kind
	best  types.Value // min, max
	seen  map[string]bool
	rows  [][]types.Value // kept input rows (agg_more.go)
	kept  memBudget       // what rows hold
	acc   aggAcc          // streaming accumulator (agg_more.go)
}

func newAggState(a *aggCall) *aggState {
	s := &aggState{call: a}
	if a.distinct {
		s.seen = map[string]bool{}
	}
	return s
}

// accKind is the kind sum and avg accumulate in.
func (s *aggState) accKind() types.Kind {
	k := s.call.arg.typ().Kind
	switch {
	case k == types.Int2 || k == types.Int4:
		if s.call.name == "avg" {
			return types.Numeric
		}
		return types.Int8
	case k == types.Int8 || k == types.Numeric:
		return types.Numeric
	case s.call.name == "avg":
		return types.Float8
	}
	return k
}

func (s *aggState) add(ev *evalCtx, row []types.Value) error {
	if s.call.filter != nil {
		v, err := s.call.filter.eval(ev, row)
		if err != nil {
			return err
		}
		if !truthy(v) {
			return nil
		}
	}
	if s.call.ext != nil {
		return s.addExt(ev, row)
	}
	if s.call.arg == nil {
		s.count++
		return nil
	}
	v, err := s.call.arg.eval(ev, row)
	if err != nil {
		return err
	}
	if v.IsNull() {
		return nil
	}
	if s.seen != nil {
		k := rowKey([]types.Value{v})
		if s.seen[k] {
			return nil
		}
		s.seen[k] = true
	}
	s.count++
	switch s.call.name {
	case "sum", "avg":
		k := s.accKind()
		x, err := types.Cast(v, types.T{Kind: k, Mod: -1}, types.CastImplicit)
		if err != nil {
			return err
		}
		if s.sum.IsNull() {
			s.sum = x
			return nil
		}
		sum, err := types.Arith('+', s.sum, x, k)
		if err != nil {
			return err
		}
		s.sum = sum
	case "min", "max":
		if s.best.IsNull() {
			s.best = v
			return nil
		}
		c := types.Compare(v, s.best)
		if (s.call.name == "min" && c < 0) || (s.call.name == "max" && c > 0) {
			s.best = v
		}
	}
	return nil
}

func (s *aggState) result() (types.Value, error) {
	if s.call.ext != nil {
		return s.resultExt()
	}
	switch s.call.name {
	case "count":
		return types.NewInt(types.Int8, s.count), nil
	case "sum":
		if s.sum.IsNull() {
			return types.Null, nil
		}
		return types.Cast(s.sum, s.call.t, types.CastImplicit)
	case "avg":
		if s.count == 0 {
			return types.Null, nil
		}
		if s.accKind() == types.Numeric {
			return types.NumericDiv(s.sum, types.NumericFromInt64(s.count))
		}
		return types.Arith('/', s.sum, types.NewFloat(types.Float8, float64(s.count)), types.Float8)
	}
	if s.best.IsNull() {
		return types.Null, nil
	}
	return types.Cast(s.best, s.call.t, types.CastImplicit)
}

// formatRow renders a row as PostgreSQL's "Failing row contains (...)".
func formatRow(vals []types.Value) string {
	var sb strings.Builder
	sb.WriteByte('(')
	for i, v := range vals {
		if i > 0 {
			sb.WriteString(", ")
		}
		if v.IsNull() {
			sb.WriteString("null")
		} else {
			sb.Write(v.AppendText(nil))
		}
	}
	sb.WriteByte(')')
	return sb.String()
}

// checkNotNull enforces NOT NULL on a new row.
func checkNotNull(ti *tableInfo, vals []types.Value) error {
	for i, c := range ti.cols {
		if c.notNull && vals[i].IsNull() {
			return sqlerr.NotNullViolationErr(c.name, ti.desc.Name, formatRow(vals))
		}
	}
	return nil
}

// constraintErr turns a storage constraint error into 23505.
func constraintErr(ti *tableInfo, err error, vals []types.Value) error {
	var ce *sqlrows.ConstraintError
	if !errors.As(err, &ce) {
		return err
	}
	names := make([]string, len(ce.Columns))
	texts := make([]string, len(ce.Columns))
	for i, c := range ce.Columns {
		names[i] = ti.cols[c].name
		if vals[c].IsNull() {
			texts[i] = "null"
		} else {
			texts[i] = vals[c].String()
		}
	}
	return sqlerr.UniqueViolationErr(ce.Constraint, strings.Join(names, ", "), strings.Join(texts, ", "))
}

// evalReturning evaluates a RETURNING list over a row.
func evalReturning(ret []expr, ev *evalCtx, vals []types.Value) ([]types.Value, error) {
	out := make([]types.Value, len(ret))
	for i, e := range ret {
		v, err := e.eval(ev, vals)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// insertRow stores one new row, choosing a hidden row id when the table
// has no primary key.
func (s *Session) insertRow(tx layers.Txn, ti *tableInfo, vals []types.Value) error {
	if err := s.fillGenerated(ti, vals); err != nil {
		return err
	}
	if err := checkNotNull(ti, vals); err != nil {
		return err
	}
	if err := s.checkRow(ti, vals); err != nil {
		return err
	}
	row := ti.encodeRow(vals)
	if len(ti.pk) > 0 {
		if err := ti.tbl.Insert(tx, ti.pkOf(vals), row); err != nil {
			return constraintErr(ti, err, vals)
		}
		return s.afterInsert(tx, ti, vals)
	}
	for attempt := 0; ; attempt++ {
		err := ti.tbl.Insert(tx, tuple.Tuple{s.newRowID()}, row)
		var ce *sqlrows.ConstraintError
		if errors.As(err, &ce) && ce.Constraint == "" && attempt < 8 {
			continue // row id collision: draw another
		}
		if err != nil {
			return constraintErr(ti, err, vals)
		}
		return s.afterInsert(tx, ti, vals)
	}
}

func (s *Session) execInsert(ctx context.Context, tx layers.Txn, p *insertPlan, ev *evalCtx) (int64, [][]types.Value, error) {
	var n int64
	var ret [][]types.Value
	var up upsertState // ON CONFLICT's memory (upsert.go)
	store := func(vals []types.Value) error {
		if p.onConflict != nil {
			var err error
			if vals, err = s.upsertRow(ctx, tx, p, ev, vals, &up); err != nil || vals == nil {
				return err
			}
		} else if err := s.insertRow(tx, p.table, vals); err != nil {
			return err
		}
		n++
		if p.ret != nil {
			r, err := evalReturning(p.ret, ev, vals)
			if err != nil {
				return err
			}
			ret = append(ret, r)
		}
		return nil
	}
	if p.source != nil {
		ev.attach(ctx, queryTxn(tx))
		rows, err := execQuery(ev, p.source, -1)
		if err != nil {
			return 0, nil, err
		}
		for _, src := range rows {
			vals := make([]types.Value, len(p.table.cols))
			filled := make([]bool, len(vals))
			for j, col := range p.targets {
				v, err := p.casts[j].eval(ev, src)
				if err != nil {
					return 0, nil, err
				}
				vals[col], filled[col] = v, true
			}
			for i := range vals {
				if !filled[i] {
					v, err := p.defaults[i].eval(ev, nil)
					if err != nil {
						return 0, nil, err
					}
					vals[i] = v
				}
			}
			if err := store(vals); err != nil {
				return 0, nil, err
			}
		}
		return n, ret, nil
	}
	for _, row := range p.rows {
		vals := make([]types.Value, len(row))
		for i, e := range row {
			v, err := e.eval(ev, nil)
			if err != nil {
				return 0, nil, err
			}
			vals[i] = v
		}
		if err := store(vals); err != nil {
			return 0, nil, err
		}
	}
	return n, ret, nil
}

// match is a row found by UPDATE or DELETE.
type match struct {
	pk   tuple.Tuple
	vals []types.Value
	// row is the table's row followed by the matching FROM/USING row
	// (vals alone without FROM/USING).
	row []types.Value
}

// collectJoined returns the rows of UPDATE or DELETE, before changing
// any: those in spec's range that pass filter. With other (FROM or
// USING), a row matches with the first row of other for which filter
// holds over both.
func collectJoined(ctx context.Context, wtx layers.Txn, ti *tableInfo, spec scanSpec, filter expr, other fromNode, ev *evalCtx) ([]match, error) {
	tx := queryTxn(wtx) // the statement's snapshot (with_dml.go)
	var out []match
	var mem memBudget
	var others [][]types.Value
	if other != nil {
		ev.attach(ctx, tx)
		if err := iterFrom(ev, other, &mem, func(row []types.Value) error {
			if err := mem.add(row); err != nil {
				return err
			}
			others = append(others, row)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	err := scanRows(ctx, tx, ti, spec, ev, func(pk tuple.Tuple, row []types.Value) error {
		if other != nil {
			for _, o := range others {
				joined := append(append(make([]types.Value, 0, len(row)+len(o)), row...), o...)
				if filter != nil {
					v, err := filter.eval(ev, joined)
					if err != nil {
						return err
					}
					if !truthy(v) {
						continue
					}
				}
				if err := mem.add(joined); err != nil {
					return err
				}
				out = append(out, match{pk: pk, vals: row, row: joined})
				return nil
			}
			return nil
		}
		if filter != nil {
			v, err := filter.eval(ev, row)
			if err != nil {
				return err
			}
			if !truthy(v) {
				return nil
			}
		}
		if err := mem.add(row); err != nil {
			return err
		}
		out = append(out, match{pk: pk, vals: row, row: row})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return dropModified(wtx, ti, out)
}

func (s *Session) execUpdate(ctx context.Context, tx layers.Txn, p *updatePlan, ev *evalCtx) (int64, [][]types.Value, error) {
	ms, err := collectJoined(ctx, tx, p.table, p.scan, p.filter, p.from, ev)
	if err != nil {
		return 0, nil, err
	}
	ti := p.table
	var ret [][]types.Value
	for _, m := range ms {
		nv := append([]types.Value{}, m.vals...)
		for col, e := range p.sets {
			v, err := e.eval(ev, m.row)
			if err != nil {
				return 0, nil, err
			}
			nv[col] = v
		}
		if err := s.fillGenerated(ti, nv); err != nil {
			return 0, nil, err
		}
		if err := checkNotNull(ti, nv); err != nil {
			return 0, nil, err
		}
		if err := s.checkRow(ti, nv); err != nil {
			return 0, nil, err
		}
		newPK := m.pk
		if len(ti.pk) > 0 {
			newPK = ti.pkOf(nv)
		}
		if err := ti.tbl.Update(tx, m.pk, ti.encodeRow(m.vals), newPK, ti.encodeRow(nv)); err != nil {
			return 0, nil, constraintErr(ti, err, nv)
		}
		if err := s.afterUpdate(ctx, tx, ti, m.vals, nv); err != nil {
			return 0, nil, err
		}
		if p.ret != nil {
			r, err := evalReturning(p.ret, ev, append(nv, m.row[len(m.vals):]...))
			if err != nil {
				return 0, nil, err
			}
			ret = append(ret, r)
		}
	}
	return int64(len(ms)), ret, nil
}

func (s *Session) execDelete(ctx context.Context, tx layers.Txn, p *deletePlan, ev *evalCtx) (int64, [][]types.Value, error) {
	ms, err := collectJoined(ctx, tx, p.table, p.scan, p.filter, p.using, ev)
	if err != nil {
		return 0, nil, err
	}
	var ret [][]types.Value
	for _, m := range ms {
		if err := p.table.tbl.Delete(tx, m.pk, p.table.encodeRow(m.vals)); err != nil {
			return 0, nil, err
		}
		if err := s.afterDelete(ctx, tx, p.table, m.vals); err != nil {
			return 0, nil, err
		}
		if p.ret != nil {
			r, err := evalReturning(p.ret, ev, m.row)
			if err != nil {
				return 0, nil, err
			}
			ret = append(ret, r)
		}
	}
	return int64(len(ms)), ret, nil
}

func (s *Session) execCreateTable(tx layers.Txn, p *createTablePlan) ([]*sqlerr.Error, error) {
	if err := s.createOwnedSequences(tx, p); err != nil {
		return nil, err
	}
	desc := &sqlrows.TableDesc{Name: p.name, PrimaryKey: p.pk}
	if len(p.pk) > 0 {
		desc.PKName = p.name + "_pkey"
	}
	for _, c := range p.cols {
		desc.Columns = append(desc.Columns, sqlrows.ColumnDesc{Name: c.name, TypeOID: c.t.OID(), TypeMod: c.t.Mod, NotNull: c.notNull, Default: c.def, Identity: identityCode(c.identity), Generated: generatedCode(c.generated)})
	}
	used := map[string]bool{desc.PKName: true}
	for i, cols := range p.uniques {
		name := p.uniqueNames[i]
		if name == "" {
			parts := []string{p.name}
			for _, c := range cols {
				parts = append(parts, p.cols[c].name)
			}
			base := strings.Join(parts, "_") + "_key"
			name = base
			for n := 1; used[name]; n++ {
				name = fmt.Sprintf("%s%d", base, n)
			}
		}
		used[name] = true
		desc.Indexes = append(desc.Indexes, sqlrows.IndexDesc{Name: name, Columns: cols, Unique: true, Constraint: true})
	}
	if err := s.createConstraints(tx, desc, p); err != nil {
		return nil, err
	}
	err := s.eng.cat.CreateTable(tx, desc)
	if errors.Is(err, sqlrows.ErrTableExists) {
		if p.ifNotExists {
			return []*sqlerr.Error{sqlerr.Notice(sqlerr.DuplicateTable, "relation %q already exists, skipping", p.name)}, nil
		}
		return nil, sqlerr.DuplicateTableErr(p.name)
	}
	if err != nil {
		return nil, fmt.Errorf("create table %q: %w", p.name, err)
	}
	return nil, s.linkParents(tx, desc)
}
