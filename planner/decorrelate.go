package planner

// Subquery decorrelation: a WHERE conjunct EXISTS (subquery), NOT EXISTS
// (subquery) or x IN (subquery) whose subquery is correlated to the query
// by equalities becomes a hash semi-join (anti-join for NOT EXISTS)
// between the query's FROM clause and the subquery's: the subquery's rows
// are read once and hashed on their side of the equalities, instead of
// running the subquery again for every row. x NOT IN (subquery) becomes
// an anti-join too when x and the subquery's column are both columns
// declared NOT NULL (otherwise NULLs make NOT IN differ from an
// anti-join, and the subquery keeps running per row).
//
// A subquery that reads one table by key per row stays so when the
// query's rows are few next to that table's (by ANALYZE's statistics).
// Only plain subqueries qualify: one SELECT over tables and inner joins,
// without grouping, aggregates, window functions, set-returning
// functions, LIMIT or OFFSET, whose only references to the enclosing
// query are in WHERE conjuncts, and which hold no further subqueries.

import (
	"strings"

	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
)

// decorrelateEnabled turns decorrelation on; tests turn it off to
// compare results and speed.
var decorrelateEnabled = true

// fromSemiJoin keeps the rows of left that have (a semi-join) or, with
// anti, do not have (an anti-join) a matching row in right. A right row
// matches when its rkeys equal the left row's lkeys (NULL equals
// nothing) and cond, over the left row then the right row, is true.
type fromSemiJoin struct {
	anti         bool
	left, right  fromNode
	lkeys, rkeys []expr
	cond         expr
	// orig is the WHERE conjunct the join stands for: when the right
	// side does not fit in memory, it filters the left rows instead.
	orig expr
}

func (f *fromSemiJoin) width() int { return f.left.width() }

// execSemiJoin runs a semi- or anti-join: the right side is hashed, the
// left side streams past it. When the right side does not fit in memory
// the join falls back to evaluating the original subquery per row.
func execSemiJoin(ev *evalCtx, j *fromSemiJoin, mem *memBudget, fn func(row []types.Value) error) error {
	hash := map[string][][]types.Value{}
	saved := mem.used
	if err := iterFrom(ev, j.right, mem, func(row []types.Value) error {
		k, ok, err := joinKey(ev, j.rkeys, row)
		if err != nil || !ok {
			return err
		}
		if j.cond == nil {
			// Without a condition the key alone decides.
			if _, dup := hash[k]; dup {
				return nil
			}
			hash[k] = nil
			return mem.add([]types.Value{types.NewText(k)})
		}
		if err := mem.add(row); err != nil {
			return err
		}
		hash[k] = append(hash[k], row)
		return nil
	}); err != nil {
		if sqlerr.Code(err) != "53200" || j.orig == nil {
			return err
		}
		hash = nil
		mem.used = saved
		return iterFrom(ev, j.left, mem, func(l []types.Value) error {
			v, err := j.orig.eval(ev, l)
			if err != nil || !truthy(v) {
				return err
			}
			return fn(l)
		})
	}
	var probe joinKeyScratch
	var buf []types.Value
	return iterFrom(ev, j.left, mem, func(l []types.Value) error {
		if err := canceled(ev.ctx); err != nil {
			return err
		}
		k, ok, err := probe.key(ev, j.lkeys, l)
		if err != nil {
			return err
		}
		found := false
		if ok {
			rows, hit := hash[string(k)]
			found = hit && j.cond == nil
			for _, r := range rows {
				if found {
					break
				}
				buf = append(append(buf[:0], l...), r...)
				v, err := j.cond.eval(ev, buf)
				if err != nil {
					return err
				}
				if truthy(v) {
					found = true
					break
				}
			}
		}
		if found == j.anti {
			return nil
		}
		return fn(l)
	})
}

// explainSemiJoin prints a semi- or anti-join.
func explainSemiJoin(f *fromSemiJoin) *explainNode {
	name := "Hash Semi Join"
	if f.anti {
		name = "Hash Anti Join"
	}
	n := &explainNode{name: name, children: []*explainNode{explainFrom(f.left), {name: "Hash", children: []*explainNode{explainFrom(f.right)}}}}
	conds := make([]string, len(f.lkeys))
	for i := range f.lkeys {
		conds[i] = strings.Trim(exprText(f.lkeys[i]), "()") + " = " + strings.Trim(exprText(f.rkeys[i]), "()")
	}
	n.details = append(n.details, "Hash Cond: ("+strings.Join(conds, ") AND (")+")")
	if f.cond != nil {
		n.details = append(n.details, "Join Filter: "+exprText(f.cond))
	}
	return n
}

// planFrom improves p's FROM clause once WHERE is bound and pushed down:
// join order, then decorrelated subqueries.
func (b *binder) planFrom(p *selectPlan) {
	if p.from != nil {
		p.from = b.reorderJoins(p.from)
	}
	b.decorrelate(p)
}

// decorrelate turns the WHERE conjuncts of p that qualify (see the file
// comment) into semi- and anti-joins over p's FROM clause.
func (b *binder) decorrelate(p *selectPlan) {
	if !decorrelateEnabled || p.filter == nil || (p.table == nil && p.from == nil) {
		return
	}
	var nonNull func(int) bool
	width := 0
	if p.table != nil {
		width = len(p.table.cols)
		ti := p.table
		nonNull = func(i int) bool { return i < len(ti.cols) && ti.cols[i].notNull }
	} else {
		width = p.from.width()
		nonNull = func(int) bool { return false }
	}
	// The estimated rows of the query's FROM clause (known for one table),
	// against which a subquery that reads by key per row may stay so.
	outerRows := -1.0
	if p.table != nil {
		it := &joinItem{ti: p.table}
		if b.r != nil {
			it.st, _ = b.eng.cat.TableStats(b.r, p.table.desc.ID)
		}
		outerRows = tableRows(it.ti, it.st) * filterSel(it, p.filter, 0)
	}
	var semis []*fromSemiJoin
	var rest []expr
	for _, c := range conjuncts(p.filter, nil) {
		if b.keyedPerRow(c, outerRows) {
			rest = append(rest, c)
			continue
		}
		if s := b.semiJoinOf(c, width, nonNull); s != nil {
			semis = append(semis, s)
			continue
		}
		rest = append(rest, c)
	}
	if len(semis) == 0 {
		return
	}
	if p.table != nil {
		// The one table becomes a FROM item the joins read.
		p.from = &fromTable{ti: p.table}
		p.table, p.scan = nil, scanSpec{}
		p.filter = pushFilter(p.from, andAll(rest))
	} else {
		p.filter = andAll(rest)
	}
	for _, s := range semis {
		s.left = p.from
		p.from = s
	}
}

// keyedPerRow reports whether conjunct c is a subquery over one table
// that reads it by key for each row, and the query has so few rows
// (outerRows, negative when unknown) next to the table's that running it
// per row beats hashing the whole table.
func (b *binder) keyedPerRow(c expr, outerRows float64) bool {
	if n, ok := c.(*notExpr); ok {
		c = n.arg
	}
	sq, ok := c.(*subqueryExpr)
	if !ok || outerRows < 0 {
		return false
	}
	sp, ok := sq.q.(*selectPlan)
	if !ok || sp.table == nil || sp.scan.empty() {
		return false
	}
	var st *sqlrows.TableStats
	if b.r != nil {
		st, _ = b.eng.cat.TableStats(b.r, sp.table.desc.ID)
	}
	return outerRows*20 < tableRows(sp.table, st)
}

// semiJoinOf returns the semi- or anti-join equivalent to WHERE conjunct
// c over a row of width columns (without its left side), or nil.
// nonNull reports whether a column of that row is declared NOT NULL.
func (b *binder) semiJoinOf(c expr, width int, nonNull func(int) bool) *fromSemiJoin {
	anti, orig := false, c
	if n, ok := c.(*notExpr); ok {
		anti, c = true, n.arg
	}
	sq, ok := c.(*subqueryExpr)
	if !ok || !sq.correlated || sq.outerOff != 0 {
		return nil
	}
	sp, ok := sq.q.(*selectPlan)
	if !ok || sp.grouped || len(sp.aggs) > 0 || sp.having != nil || sp.window != nil || sp.gsets != nil ||
		sp.limit != nil || sp.offset != nil || len(sp.srfs) > 0 || sp.keepRep || sp.distinctOn != nil {
		return nil
	}
	if sp.table == nil && sp.from == nil {
		return nil
	}
	switch sq.kind {
	case subExists:
	case subAny:
		if sq.op != cmpEQ || len(sq.rowArgs) > 0 || len(sp.outputs) < 1 {
			return nil
		}
		if anti && !b.notInIsAnti(sq, sp, nonNull) {
			return nil
		}
	default:
		return nil
	}
	// The subquery's conditions over its FROM row: the table's, or those
	// of the tables of a tree of inner joins and the filter above it.
	type cond struct {
		e   expr
		top bool // in the filter above a join tree
	}
	var conds []cond
	if sp.table != nil {
		for _, x := range conjuncts(sp.filter, nil) {
			conds = append(conds, cond{e: x})
		}
	} else {
		leaves, ok := innerConjuncts(sp.from, 0, nil)
		if !ok {
			return nil
		}
		for _, x := range leaves {
			conds = append(conds, cond{e: x})
		}
		for _, x := range conjuncts(sp.filter, nil) {
			conds = append(conds, cond{e: x, top: true})
		}
	}
	s := &fromSemiJoin{anti: anti, orig: orig}
	var keep, joinConds []expr
	for _, x := range conds {
		if !reorderable(x.e) {
			return nil
		}
		if !hasOuter(x.e) {
			if x.top {
				joinConds = append(joinConds, shiftCols(x.e, width))
			} else {
				keep = append(keep, x.e)
			}
			continue
		}
		if !outerDepthOne(x.e) {
			return nil
		}
		if l, r, ok := correlationKey(x.e); ok {
			s.lkeys = append(s.lkeys, outerToCols(l, 0))
			s.rkeys = append(s.rkeys, r)
			continue
		}
		// Over the left row then the right row.
		joinConds = append(joinConds, outerToCols(shiftCols(x.e, width), 0))
	}
	if sq.kind == subAny {
		out := sp.outputs[0]
		if !reorderable(out) || hasOuter(out) || !reorderable(sq.conv) || !reorderable(sq.arg) {
			return nil
		}
		inner, _ := rewriteExpr(sq.conv, func(x expr) (expr, bool, error) {
			if c, ok := x.(*colRef); ok && c.idx == 0 {
				return out, true, nil
			}
			return nil, false, nil
		})
		s.lkeys = append(s.lkeys, sq.arg)
		s.rkeys = append(s.rkeys, inner)
	}
	if len(s.lkeys) == 0 {
		return nil
	}
	s.cond = andAll(joinConds)
	// Only now change the subquery's plan: its correlated conjuncts go.
	if sp.table != nil {
		f := &fromTable{ti: sp.table, filter: andAll(keep)}
		f.scan = keyRange(f.ti, f.filter)
		s.right = f
	} else {
		s.right = stripOuter(sp.from)
	}
	return s
}

// notInIsAnti reports whether x NOT IN (subquery) equals an anti-join:
// x and the subquery's column are columns declared NOT NULL.
func (b *binder) notInIsAnti(sq *subqueryExpr, sp *selectPlan, nonNull func(int) bool) bool {
	l, ok := baseCol(sq.arg)
	if !ok || !nonNull(l.idx) || sp.table == nil {
		return false
	}
	r, ok := baseCol(sp.outputs[0])
	return ok && r.idx < len(sp.table.cols) && sp.table.cols[r.idx].notNull
}

// innerConjuncts collects the filter conjuncts of the tables of a tree of
// inner joins whose row starts at column off (shifted to the tree's row),
// checking that no join condition reads an enclosing query. It returns
// false for another kind of tree.
func innerConjuncts(n fromNode, off int, out []expr) ([]expr, bool) {
	switch x := n.(type) {
	case *fromTable:
		for _, c := range conjuncts(x.filter, nil) {
			out = append(out, shiftCols(c, off))
		}
		return out, true
	case *fromReorder:
		return nil, false
	case *fromJoin:
		if x.kind != joinInner {
			return nil, false
		}
		for _, e := range append(append(append([]expr(nil), x.lkeys...), x.rkeys...), x.cond) {
			if e != nil && (hasOuter(e) || !reorderable(e)) {
				return nil, false
			}
		}
		out, ok := innerConjuncts(x.left, off, out)
		if !ok {
			return nil, false
		}
		return innerConjuncts(x.right, off+x.left.width(), out)
	}
	return nil, false
}

// stripOuter returns a copy of a tree innerConjuncts accepted without
// the table filters' conjuncts that read an enclosing query (the
// subquery's own plan stays as it was, for the fallback of
// execSemiJoin).
func stripOuter(n fromNode) fromNode {
	switch x := n.(type) {
	case *fromTable:
		var keep []expr
		for _, c := range conjuncts(x.filter, nil) {
			if !hasOuter(c) {
				keep = append(keep, c)
			}
		}
		f := &fromTable{ti: x.ti, filter: andAll(keep)}
		f.scan = keyRange(f.ti, f.filter)
		return f
	case *fromJoin:
		j := *x
		j.left, j.right = stripOuter(x.left), stripOuter(x.right)
		return &j
	}
	return n
}

// outerDepthOne reports whether every outer reference of e is to the
// immediately enclosing query.
func outerDepthOne(e expr) bool {
	ok := true
	_, _ = rewriteExpr(e, func(x expr) (expr, bool, error) {
		if o, is := x.(*outerRef); is && o.depth != 1 {
			ok = false
		}
		return nil, false, nil
	})
	return ok
}

// correlationKey splits "outer expr = inner expr" into its outer side
// (outer references only) and inner side (columns only).
func correlationKey(c expr) (outer, inner expr, ok bool) {
	cmp, is := c.(*cmpExpr)
	if !is || cmp.op != cmpEQ {
		return nil, nil, false
	}
	onlyOuter := func(e expr) bool {
		_, hi, _ := colRange(e)
		return hi < 0 && hasOuter(e)
	}
	onlyInner := func(e expr) bool {
		_, hi, _ := colRange(e)
		return hi >= 0 && !hasOuter(e)
	}
	switch {
	case onlyOuter(cmp.l) && onlyInner(cmp.r):
		return cmp.l, cmp.r, true
	case onlyOuter(cmp.r) && onlyInner(cmp.l):
		return cmp.r, cmp.l, true
	}
	return nil, nil, false
}

// outerToCols turns e's references to the enclosing query's row into
// column references (at column off + their position).
func outerToCols(e expr, off int) expr {
	out, _ := rewriteExpr(e, func(x expr) (expr, bool, error) {
		if o, ok := x.(*outerRef); ok {
			return &colRef{idx: o.idx + off, t: o.t, name: o.name, loc: -1}, true, nil
		}
		return nil, false, nil
	})
	return out
}

// keyConst reports whether e is fixed for one scan of a table, so that a
// key range may use it: a constant, or (in a correlated subquery) a value
// of the enclosing query's current row, so that the subquery run per row
// reads by key.
func keyConst(e expr) bool {
	if isConst(e) {
		return true
	}
	for {
		switch x := e.(type) {
		case *outerRef:
			return true
		case *castExpr:
			e = x.arg
		default:
			return false
		}
	}
}
