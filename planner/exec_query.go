package planner

// Execution of joins, subquery expressions and set operations.

import (
	"context"
	"fmt"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/tuple"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
)

// subqueryResult is the cached result of an uncorrelated subquery.
type subqueryResult struct {
	rows [][]types.Value
	// set holds the converted values of a one-column result, for = ANY;
	// hasNull records a NULL among them.
	set     map[string]bool
	hasNull bool
}

// attach makes ev ready to run queries: ctx, the reader and the cache of
// uncorrelated subquery results.
func (ev *evalCtx) attach(ctx context.Context, r layers.Reader) {
	if ev.ctx == nil {
		ev.ctx = ctx
	}
	if ev.r == nil {
		ev.r = r
	}
	if ev.subq == nil {
		ev.subq = map[*subqueryExpr]*subqueryResult{}
	}
	if ev.work == nil {
		ev.work = map[*workTable][][]types.Value{}
	}
}

// execQuery runs a query plan; want >= 0 says only that many rows are
// needed (EXISTS needs one).
func execQuery(ev *evalCtx, q queryPlan, want int64) ([][]types.Value, error) {
	switch p := q.(type) {
	case *selectPlan:
		return execSelectWant(ev.ctx, ev.r, p, ev, want)
	case *setOpPlan:
		return execSetOp(ev, p)
	case *valuesPlan:
		return execValues(ev, p)
	case *recursivePlan:
		return execRecursive(ev, p)
	case *dmlCTEPlan:
		return ev.work[p.wt], nil
	}
	return nil, fmt.Errorf("no executor for query plan %T", q)
}

// result runs the subquery for the current row (once per statement when
// it is uncorrelated).
func (e *subqueryExpr) result(ev *evalCtx, row []types.Value) (*subqueryResult, error) {
	if ev == nil || ev.r == nil {
		return nil, fmt.Errorf("subquery evaluated without a transaction")
	}
	if !e.correlated {
		if res, ok := ev.subq[e]; ok {
			return res, nil
		}
	}
	child := *ev
	outerRow := row
	if e.outerOff > 0 {
		outerRow = nil
		if e.outerOff <= len(row) {
			outerRow = row[e.outerOff:]
		}
	}
	child.outer = append(ev.outer[:len(ev.outer):len(ev.outer)], outerRow)
	want := int64(-1)
	if e.kind == subExists {
		want = 1
	}
	rows, err := execQuery(&child, e.q, want)
	if err != nil {
		return nil, err
	}
	res := &subqueryResult{rows: rows}
	if !e.correlated {
		ev.subq[e] = res
	}
	return res, nil
}

// eval gives EXISTS's boolean, a scalar subquery's one value (NULL for no
// row, 21000 for several) or the ANY/ALL comparison.
func (e *subqueryExpr) eval(ev *evalCtx, row []types.Value) (types.Value, error) {
	if e.kind == subAny || e.kind == subAll {
		return e.evalQuantified(ev, row)
	}
	res, err := e.result(ev, row)
	if err != nil {
		return types.Null, err
	}
	switch e.kind {
	case subExists:
		return types.NewBool(len(res.rows) > 0), nil
	case subArray:
		return arrayOfRows(res.rows, e.t), nil
	default:
		switch len(res.rows) {
		case 0:
			return types.Null, nil
		case 1:
			return res.rows[0][0], nil
		}
		return types.Null, sqlerr.New(sqlerr.CardinalityViolation, "more than one row returned by a subquery used as an expression")
	}
}

// evalQuantified evaluates x op ANY/ALL (subquery) with SQL's NULL rules.
func (e *subqueryExpr) evalQuantified(ev *evalCtx, row []types.Value) (types.Value, error) {
	if len(e.rowArgs) > 0 {
		return e.evalRowQuantified(ev, row)
	}
	x, err := e.arg.eval(ev, row)
	if err != nil {
		return types.Null, err
	}
	res, err := e.result(ev, row)
	if err != nil {
		return types.Null, err
	}
	if len(res.rows) == 0 {
		return types.NewBool(e.kind == subAll), nil
	}
	if x.IsNull() {
		return types.Null, nil
	}
	if e.kind == subAny && e.op == cmpEQ && !e.correlated {
		if res.set == nil {
			res.set = map[string]bool{}
			for _, r := range res.rows {
				v, err := e.conv.eval(ev, r)
				if err != nil {
					return types.Null, err
				}
				if v.IsNull() {
					res.hasNull = true
					continue
				}
				res.set[rowKey([]types.Value{v})] = true
			}
		}
		if res.set[rowKey([]types.Value{x})] {
			return types.NewBool(true), nil
		}
		if res.hasNull {
			return types.Null, nil
		}
		return types.NewBool(false), nil
	}
	sawNull := false
	for _, r := range res.rows {
		v, err := e.conv.eval(ev, r)
		if err != nil {
			return types.Null, err
		}
		c := compareOp(e.op, x, v)
		switch {
		case c.IsNull():
			sawNull = true
		case c.Bool() && e.kind == subAny:
			return c, nil
		case !c.Bool() && e.kind == subAll:
			return c, nil
		}
	}
	if sawNull {
		return types.Null, nil
	}
	return types.NewBool(e.kind == subAll), nil
}

// evalRowQuantified evaluates (a, b, ...) = ANY / <> ALL (subquery): per
// subquery row, = is the AND of the columns' equalities and <> the OR of
// their differences, in three-valued logic.
func (e *subqueryExpr) evalRowQuantified(ev *evalCtx, row []types.Value) (types.Value, error) {
	args := append([]expr{e.arg}, e.rowArgs...)
	convs := append([]expr{e.conv}, e.rowConvs...)
	xs := make([]types.Value, len(args))
	for i, a := range args {
		v, err := a.eval(ev, row)
		if err != nil {
			return types.Null, err
		}
		xs[i] = v
	}
	res, err := e.result(ev, row)
	if err != nil {
		return types.Null, err
	}
	and := e.op == cmpEQ
	sawNull := false
	for _, r := range res.rows {
		// One row's comparison.
		rowNull, decided := false, false
		for i, c := range convs {
			v, err := c.eval(ev, r)
			if err != nil {
				return types.Null, err
			}
			cv := compareOp(e.op, xs[i], v)
			switch {
			case cv.IsNull():
				rowNull = true
			case cv.Bool() != and:
				decided = true // false in an AND, true in an OR
			}
			if decided {
				break
			}
		}
		var rv types.Value
		switch {
		case decided:
			rv = types.NewBool(!and)
		case rowNull:
			rv = types.Null
		default:
			rv = types.NewBool(and)
		}
		switch {
		case rv.IsNull():
			sawNull = true
		case rv.Bool() && e.kind == subAny:
			return rv, nil
		case !rv.Bool() && e.kind == subAll:
			return rv, nil
		}
	}
	if sawNull {
		return types.Null, nil
	}
	return types.NewBool(e.kind == subAll), nil
}

// compareOp applies a comparison operator to two values of comparable
// types: NULL when either is NULL (except for IS [NOT] DISTINCT FROM).
func compareOp(op cmpOp, l, r types.Value) types.Value {
	if op == cmpDistinct || op == cmpNotDistinct {
		var same bool
		switch {
		case l.IsNull() || r.IsNull():
			same = l.IsNull() && r.IsNull()
		default:
			same = types.Compare(l, r) == 0
		}
		return types.NewBool(same == (op == cmpNotDistinct))
	}
	if l.IsNull() || r.IsNull() {
		return types.Null
	}
	c := types.Compare(l, r)
	var b bool
	switch op {
	case cmpEQ:
		b = c == 0
	case cmpNE:
		b = c != 0
	case cmpLT:
		b = c < 0
	case cmpLE:
		b = c <= 0
	case cmpGT:
		b = c > 0
	case cmpGE:
		b = c >= 0
	}
	return types.NewBool(b)
}

// iterFrom produces the rows of a FROM tree.
func iterFrom(ev *evalCtx, n fromNode, mem *memBudget, fn func(row []types.Value) error) error {
	switch x := n.(type) {
	case *fromTable:
		return scanRows(ev.ctx, ev.r, x.ti, x.scan, ev, func(_ tuple.Tuple, row []types.Value) error {
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
	case *fromQuery:
		rows, err := execQuery(ev, x.q, -1)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	case *fromJoin:
		return execJoin(ev, x, mem, fn)
	case *fromReorder:
		return iterReorder(ev, x, mem, fn)
	case *fromSemiJoin:
		return execSemiJoin(ev, x, mem, fn)
	case *fromFunc:
		return iterFunc(ev, x, nil, fn)
	case *fromLateral:
		rows, err := runLateral(ev, x, nil)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	case *fromWork:
		for _, r := range ev.work[x.wt] {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("no executor for FROM item %T", n)
}

// runLateral runs a LATERAL subquery for the row left of the FROM items
// before it.
func runLateral(ev *evalCtx, x *fromLateral, left []types.Value) ([][]types.Value, error) {
	row := make([]types.Value, x.before)
	if len(left) <= x.before {
		copy(row[x.before-len(left):], left)
	}
	child := *ev
	child.outer = append(ev.outer[:len(ev.outer):len(ev.outer)], row)
	return execQuery(&child, x.q, -1)
}

// execLateralJoin joins each left row with the rows its LATERAL subquery
// gives.
func execLateralJoin(ev *evalCtx, j *fromJoin, lat *fromLateral, mem *memBudget, fn func(row []types.Value) error) error {
	lw, rw := j.left.width(), j.right.width()
	return iterFrom(ev, j.left, mem, func(l []types.Value) error {
		if err := canceled(ev.ctx); err != nil {
			return err
		}
		rights, err := runLateral(ev, lat, l)
		if err != nil {
			return err
		}
		found := false
		for _, r := range rights {
			row := make([]types.Value, 0, lw+rw)
			row = append(append(row, l...), r...)
			ok := true
			for i, k := range j.lkeys {
				lv, err := k.eval(ev, l)
				if err != nil {
					return err
				}
				rv, err := j.rkeys[i].eval(ev, r)
				if err != nil {
					return err
				}
				if c := compareOp(cmpEQ, lv, rv); !truthy(c) {
					ok = false
					break
				}
			}
			if ok && j.cond != nil {
				v, err := j.cond.eval(ev, row)
				if err != nil {
					return err
				}
				ok = truthy(v)
			}
			if !ok {
				continue
			}
			found = true
			if err := fn(row); err != nil {
				return err
			}
		}
		if !found && j.kind == joinLeft {
			row := make([]types.Value, lw+rw)
			copy(row, l)
			return fn(row)
		}
		return nil
	})
}

// execJoin runs a join: the right side is read into memory (hashed on the
// equi-join keys when there are some), then the left side streams past it.
func execJoin(ev *evalCtx, j *fromJoin, mem *memBudget, fn func(row []types.Value) error) error {
	return execJoinSel(ev, j, mem, nil, nil, fn)
}

// execJoinSel is execJoin decoding the rows of a plain-table left or
// right side as lsel and rsel say (scan_sel.go).
func execJoinSel(ev *evalCtx, j *fromJoin, mem *memBudget, lsel, rsel *rowSel, fn func(row []types.Value) error) error {
	if lat, ok := j.right.(*fromLateral); ok {
		return execLateralJoin(ev, j, lat, mem, fn)
	}
	if f, ok := j.right.(*fromFunc); ok && f.lateral {
		return execFuncJoin(ev, j, f, mem, fn)
	}
	lw, rw := j.left.width(), j.right.width()
	var right [][]types.Value
	var build joinBuild // past work_mem the join partitions to disk (spill_join.go)
	defer build.close()
	if err := iterFromSel(ev, j.right, mem, rsel, func(row []types.Value) error {
		if build.grace != nil {
			return build.grace.addRight(row)
		}
		if err := mem.add(row); err != nil {
			return err
		}
		right = append(right, row)
		return build.add(ev, j, mem, &right, row)
	}); err != nil {
		return err
	}
	if build.grace != nil {
		return build.grace.run(lsel, fn)
	}
	var hash map[string][]int
	var probe joinKeyScratch
	var outBuf []types.Value // the joined row, when lsel lets it be reused
	if len(j.rkeys) > 0 {
		hash = make(map[string][]int, len(right))
		for i, row := range right {
			k, ok, err := joinKey(ev, j.rkeys, row)
			if err != nil {
				return err
			}
			if ok {
				hash[k] = append(hash[k], i)
			}
		}
	}
	var matched []bool
	if j.kind == joinRight || j.kind == joinFull {
		matched = make([]bool, len(right))
	}
	all := make([]int, 0)
	if hash == nil {
		all = make([]int, len(right))
		for i := range all {
			all[i] = i
		}
	}
	err := iterFromSel(ev, j.left, mem, lsel, func(l []types.Value) error {
		if err := canceled(ev.ctx); err != nil {
			return err
		}
		cands := all
		if hash != nil {
			k, ok, err := probe.key(ev, j.lkeys, l)
			if err != nil {
				return err
			}
			cands = nil
			if ok {
				cands = hash[string(k)]
			}
		}
		any := false
		for _, i := range cands {
			var row []types.Value
			if lsel != nil && lsel.reuseOut {
				row = append(append(outBuf[:0], l...), right[i]...)
				outBuf = row
			} else {
				row = make([]types.Value, 0, lw+rw)
				row = append(append(row, l...), right[i]...)
			}
			if j.cond != nil {
				v, err := j.cond.eval(ev, row)
				if err != nil {
					return err
				}
				if !truthy(v) {
					continue
				}
			}
			any = true
			if matched != nil {
				matched[i] = true
			}
			if err := fn(row); err != nil {
				return err
			}
		}
		if !any && (j.kind == joinLeft || j.kind == joinFull) {
			row := make([]types.Value, lw+rw)
			copy(row, l)
			return fn(row)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i, m := range matched {
		if !m {
			row := make([]types.Value, lw+rw)
			copy(row[lw:], right[i])
			if err := fn(row); err != nil {
				return err
			}
		}
	}
	return nil
}

// joinKey evaluates equi-join keys; ok is false when one is NULL (such a
// row matches nothing).
func joinKey(ev *evalCtx, keys []expr, row []types.Value) (string, bool, error) {
	vals := make([]types.Value, len(keys))
	for i, k := range keys {
		v, err := k.eval(ev, row)
		if err != nil {
			return "", false, err
		}
		if v.IsNull() {
			return "", false, nil
		}
		vals[i] = v
	}
	return rowKey(vals), true, nil
}

// execSetOp runs UNION, INTERSECT or EXCEPT.
func execSetOp(ev *evalCtx, p *setOpPlan) ([][]types.Value, error) {
	side := func(q queryPlan) ([][]types.Value, error) {
		rows, err := execQuery(ev, q, -1)
		if err != nil {
			return nil, err
		}
		qt := queryTypes(q)
		for _, row := range rows {
			for i, v := range row {
				if !v.IsNull() && qt[i].Kind != p.types[i].Kind {
					// Untyped literals convert as input; numeric kinds widen.
					if row[i], err = types.Cast(v, p.types[i], types.CastExplicit); err != nil {
						return nil, err
					}
				}
			}
		}
		return rows, nil
	}
	left, err := side(p.left)
	if err != nil {
		return nil, err
	}
	right, err := side(p.right)
	if err != nil {
		return nil, err
	}
	var out [][]types.Value
	if p.op == "UNION" && p.all {
		out = append(left, right...)
	} else {
		// Hash tables past work_mem partition to disk (spill_hash.go).
		out, err = setOpRows(ev, left, right, func(left, right, out [][]types.Value) [][]types.Value {
			return setOpMemory(p, left, right, out)
		})
		if err != nil {
			return nil, err
		}
	}
	return orderResult(ev, out, p.sort, p.limit, p.offset)
}

// setOpMemory appends to out UNION (without ALL), INTERSECT [ALL] or
// EXCEPT [ALL] of left and right, with hash tables in memory.
func setOpMemory(p *setOpPlan, left, right, out [][]types.Value) [][]types.Value {
	switch {
	case p.op == "UNION":
		seen := map[string]bool{}
		for _, rows := range [][][]types.Value{left, right} {
			for _, r := range rows {
				k := rowKey(r)
				if !seen[k] {
					seen[k] = true
					out = append(out, r)
				}
			}
		}
	default:
		counts := map[string]int{}
		for _, r := range right {
			counts[rowKey(r)]++
		}
		intersect := p.op == "INTERSECT"
		emitted := map[string]bool{}
		for _, r := range left {
			k := rowKey(r)
			if p.all {
				if intersect == (counts[k] > 0) {
					out = append(out, r)
				}
				if counts[k] > 0 {
					counts[k]--
				}
				continue
			}
			if emitted[k] {
				continue
			}
			if intersect == (counts[k] > 0) {
				emitted[k] = true
				out = append(out, r)
			}
		}
	}
	return out
}

// orderResult sorts rows and applies LIMIT and OFFSET.
func orderResult(ev *evalCtx, out [][]types.Value, keys []sortKey, limitE, offsetE expr) ([][]types.Value, error) {
	limit, err := evalCount(limitE, ev, "LIMIT", sqlerr.InvalidRowCountInLimit)
	if err != nil {
		return nil, err
	}
	offset, err := evalCount(offsetE, ev, "OFFSET", sqlerr.InvalidRowCountInOffset)
	if err != nil {
		return nil, err
	}
	if len(keys) > 0 {
		if out, err = sortRows(ev, out, keys); err != nil {
			return nil, err
		}
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
	return out, nil
}
