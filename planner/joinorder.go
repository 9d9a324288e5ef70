package planner

// Join ordering: a tree of inner joins of three or more FROM items (two,
// when both are analyzed tables: then only the hashed side changes) is
// re-planned in the order that makes the smallest intermediate results,
// by estimated cardinalities (dynamic programming over subsets of up to
// joinDPLimit items, greedy beyond). Row counts and distinct counts come
// from ANALYZE's statistics (stats.go) when the tables have them, and
// from defaults otherwise; an equi-join's selectivity is
// 1/max(ndv(left), ndv(right)). Each join builds its hash table on the
// smaller side. Outer joins are not reordered across (each is one item
// of the tree, its own sides ordered on their own), nor are LATERAL
// items or conditions holding subqueries.
//
// The reordered tree's row has the items' columns in the new order; a
// fromReorder node puts them back in the written order, so everything
// above the FROM clause is unchanged.

import (
	"math"
	"math/bits"

	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/planner/types"
)

// joinDPLimit is the largest number of items ordered by dynamic
// programming; larger joins are ordered greedily.
const joinDPLimit = 8

// joinReorderLimit is the largest number of items reordered at all.
const joinReorderLimit = 64

// Default estimates for a table never analyzed, and selectivities of
// conditions the estimator does not understand (PostgreSQL's defaults).
const (
	defaultTableRows = 1000
	defaultNDistinct = 200
	defaultEqSel     = 0.005
	defaultIneqSel   = 1.0 / 3
	defaultOtherSel  = 1.0 / 3
)

// joinReorderEnabled turns join ordering on; tests turn it off to
// compare plans.
var joinReorderEnabled = true

// fromReorder runs join, a reordering of an inner join tree, and hands
// on each of its rows with the columns in the written order: column i
// of the output is column perm[i] of join's row.
type fromReorder struct {
	join fromNode
	perm []int
}

func (f *fromReorder) width() int { return len(f.perm) }

// iterReorder produces the rows of a reordered join.
func iterReorder(ev *evalCtx, x *fromReorder, mem *memBudget, fn func(row []types.Value) error) error {
	return iterFrom(ev, x.join, mem, func(row []types.Value) error {
		out := make([]types.Value, len(x.perm))
		for i, p := range x.perm {
			out[i] = row[p]
		}
		return fn(out)
	})
}

// joinItem is one FROM item of a flattened inner join tree.
type joinItem struct {
	node fromNode
	off  int // first column in the written row
	rows float64
	ti   *tableInfo          // for a plain table
	st   *sqlrows.TableStats // its statistics, nil when never analyzed
}

// joinPred is a condition of a flattened inner join tree, over the
// written row.
type joinPred struct {
	e    expr
	mask uint64 // the items it reads
	sel  float64
}

// joinGraph is a flattened inner join tree.
type joinGraph struct {
	items []*joinItem
	preds []*joinPred
	width int
}

// reorderJoins re-plans the inner join trees in node (see the file
// comment); it returns node itself when it keeps the written order.
func (b *binder) reorderJoins(node fromNode) fromNode {
	if !joinReorderEnabled {
		return node
	}
	switch n := node.(type) {
	case *fromJoin:
		if n.kind != joinInner {
			n.left = b.reorderJoins(n.left)
			n.right = b.reorderJoins(n.right)
			return n
		}
		g := &joinGraph{width: n.width()}
		if !g.flatten(b, n, 0) || len(g.items) > joinReorderLimit || len(g.items) < 2 {
			return node
		}
		if len(g.items) == 2 && (g.items[0].st == nil || g.items[1].st == nil) {
			// Two items are only swapped (to hash the smaller one) on
			// the strength of statistics.
			return node
		}
		return b.planGraph(g, node)
	}
	return node
}

// flatten collects the items and conditions of the inner join tree n
// whose row starts at column off; it returns false when the tree cannot
// be reordered.
func (g *joinGraph) flatten(b *binder, n fromNode, off int) bool {
	if j, ok := n.(*fromJoin); ok && j.kind == joinInner {
		if _, lat := j.right.(*fromLateral); lat {
			return false
		}
		if f, ok := j.right.(*fromFunc); ok && f.lateral {
			return false
		}
		lw := j.left.width()
		if !g.flatten(b, j.left, off) || !g.flatten(b, j.right, off+lw) {
			return false
		}
		for i := range j.lkeys {
			if !reorderable(j.lkeys[i]) || !reorderable(j.rkeys[i]) {
				return false
			}
			c := &cmpExpr{op: cmpEQ, l: shiftCols(j.lkeys[i], off), r: shiftCols(j.rkeys[i], off+lw)}
			g.preds = append(g.preds, &joinPred{e: c})
		}
		for _, c := range conjuncts(j.cond, nil) {
			if !reorderable(c) {
				return false
			}
			g.preds = append(g.preds, &joinPred{e: shiftCols(c, off)})
		}
		return true
	}
	switch n.(type) {
	case *fromLateral:
		return false
	case *fromJoin:
		// An outer join is one item; its sides may be reordered inside.
		n = b.reorderJoins(n)
	}
	it := &joinItem{node: n, off: off, rows: defaultTableRows}
	if t, ok := n.(*fromTable); ok {
		it.ti = t.ti
		if b.r != nil {
			it.st, _ = b.eng.cat.TableStats(b.r, t.ti.desc.ID)
		}
		it.rows = tableRows(it.ti, it.st)
		it.rows = math.Max(1, it.rows*filterSel(it, t.filter, 0))
		if t.scan.point(t.ti) {
			it.rows = math.Min(it.rows, 1)
		}
	}
	g.items = append(g.items, it)
	return true
}

// tableRows is the estimated row count of a table.
func tableRows(ti *tableInfo, st *sqlrows.TableStats) float64 {
	if st != nil {
		return math.Max(1, st.Rows)
	}
	return defaultTableRows
}

// reorderable reports whether e is made only of expressions whose column
// references rewriteExpr reaches (so they can be renumbered), without
// subqueries or aggregates.
func reorderable(e expr) bool {
	ok := true
	var walk func(e expr)
	walk = func(e expr) {
		if e == nil || !ok {
			return
		}
		switch x := e.(type) {
		case *colRef, *constExpr, *paramRef, *outerRef:
		case *castExpr:
			walk(x.arg)
		case *arithExpr:
			walk(x.l)
			walk(x.r)
		case *negExpr:
			walk(x.arg)
		case *cmpExpr:
			walk(x.l)
			walk(x.r)
		case *concatExpr:
			walk(x.l)
			walk(x.r)
		case *boolExpr:
			for _, a := range x.args {
				walk(a)
			}
		case *notExpr:
			walk(x.arg)
		case *isNullExpr:
			walk(x.arg)
		case *boolTestExpr:
			walk(x.arg)
		case *caseExpr:
			for _, a := range x.whens {
				walk(a)
			}
			for _, a := range x.thens {
				walk(a)
			}
			walk(x.els)
		case *coalesceExpr:
			for _, a := range x.args {
				walk(a)
			}
		case *nullifExpr:
			walk(x.a)
			walk(x.b)
		case *inListExpr:
			walk(x.arg)
			for _, a := range x.list {
				walk(a)
			}
		case *funcExpr:
			if x.volatile {
				ok = false
				return
			}
			for _, a := range x.args {
				walk(a)
			}
		default:
			ok = false
		}
	}
	walk(e)
	return ok
}

// itemOf returns the item holding written column c, or -1.
func (g *joinGraph) itemOf(c int) int {
	for i, it := range g.items {
		if c >= it.off && c < it.off+it.node.width() {
			return i
		}
	}
	return -1
}

// maskOf returns the items e reads.
func (g *joinGraph) maskOf(e expr) uint64 {
	var m uint64
	_, _ = rewriteExpr(e, func(x expr) (expr, bool, error) {
		if c, ok := x.(*colRef); ok {
			if i := g.itemOf(c.idx); i >= 0 {
				m |= 1 << uint(i)
			}
		}
		return nil, false, nil
	})
	return m
}

// baseCol returns the column of a plain table e reads, through casts.
func baseCol(e expr) (*colRef, bool) {
	for {
		switch x := e.(type) {
		case *colRef:
			return x, true
		case *castExpr:
			e = x.arg
		default:
			return nil, false
		}
	}
}

// colNDV estimates the distinct values of written column c.
func (g *joinGraph) colNDV(c int) float64 {
	i := g.itemOf(c)
	if i < 0 {
		return defaultNDistinct
	}
	it := g.items[i]
	nd := float64(defaultNDistinct)
	if it.ti != nil {
		nd = columnNDV(it.ti, it.st, c-it.off)
	}
	return math.Max(1, math.Min(nd, it.rows))
}

// columnNDV estimates the distinct values of column c of a table.
func columnNDV(ti *tableInfo, st *sqlrows.TableStats, c int) float64 {
	if c < 0 || c >= len(ti.cols) {
		return defaultNDistinct
	}
	if cs := st.Column(ti.cols[c].name, ti.desc.Columns[c].TypeOID); cs != nil {
		return ndistinct(cs, st.Rows)
	}
	if len(ti.pk) == 1 && ti.pk[0] == c {
		return tableRows(ti, st)
	}
	for _, ix := range ti.desc.Indexes {
		if ix.Unique && len(ix.Columns) == 1 && ix.Columns[0] == c {
			return tableRows(ti, st)
		}
	}
	return math.Min(defaultNDistinct, tableRows(ti, st))
}

// filterSel estimates the fraction of an item's rows that pass filter
// (over the item's own row, starting at column off).
func filterSel(it *joinItem, filter expr, off int) float64 {
	s := 1.0
	for _, c := range conjuncts(filter, nil) {
		s *= condSel(it, c, off)
	}
	return s
}

// condSel estimates the selectivity of one condition over a table item.
func condSel(it *joinItem, c expr, off int) float64 {
	colStats := func(e expr) (int, *sqlrows.ColumnStats, bool) {
		cr, ok := baseCol(e)
		if !ok || it.ti == nil {
			return 0, nil, false
		}
		i := cr.idx - off
		if i < 0 || i >= len(it.ti.cols) {
			return 0, nil, false
		}
		return i, it.st.Column(it.ti.cols[i].name, it.ti.desc.Columns[i].TypeOID), true
	}
	constant := func(e expr) bool {
		_, hi, movable := colRange(e)
		return movable && hi < 0
	}
	switch x := c.(type) {
	case *cmpExpr:
		col, other := x.l, x.r
		if !constant(other) {
			col, other = x.r, x.l
		}
		i, cs, ok := colStats(col)
		if !ok || !constant(other) {
			return defaultOtherSel
		}
		switch x.op {
		case cmpEQ, cmpNotDistinct:
			nd := defaultNDistinct * 1.0
			if it.ti != nil {
				nd = columnNDV(it.ti, it.st, i)
			}
			s := 1 / nd
			if cs != nil {
				s *= 1 - cs.NullFrac
				if k, ok := other.(*constExpr); ok && !k.v.IsNull() {
					txt := string(k.v.AppendText(nil))
					for m, v := range cs.MCV {
						if v == txt && m < len(cs.MCF) {
							return cs.MCF[m]
						}
					}
				}
			} else if it.st == nil && nd == defaultNDistinct {
				s = defaultEqSel
			}
			return s
		case cmpNE, cmpDistinct:
			return 1 - condSel(it, &cmpExpr{op: cmpEQ, l: x.l, r: x.r}, off)
		}
		return defaultIneqSel
	case *isNullExpr:
		if _, cs, ok := colStats(x.arg); ok && cs != nil {
			if x.not {
				return 1 - cs.NullFrac
			}
			return cs.NullFrac
		}
		if x.not {
			return 1 - defaultEqSel
		}
		return defaultEqSel
	case *inListExpr:
		if len(x.list) == 0 {
			return defaultOtherSel
		}
		s := math.Min(1, float64(len(x.list))*condSel(it, &cmpExpr{op: cmpEQ, l: x.arg, r: x.list[0]}, off))
		if x.not {
			return 1 - s
		}
		return s
	case *boolExpr:
		if x.and {
			return filterSel(it, x, off)
		}
		miss := 1.0
		for _, a := range x.args {
			miss *= 1 - condSel(it, a, off)
		}
		return 1 - miss
	case *notExpr:
		return 1 - condSel(it, x.arg, off)
	}
	return defaultOtherSel
}

// predSel estimates the selectivity of a join condition.
func (g *joinGraph) predSel(p *joinPred) float64 {
	if bits.OnesCount64(p.mask) == 1 {
		i := bits.TrailingZeros64(p.mask)
		return condSel(g.items[i], p.e, g.items[i].off)
	}
	if c, ok := p.e.(*cmpExpr); ok && c.op == cmpEQ {
		l, lok := baseCol(c.l)
		r, rok := baseCol(c.r)
		if lok && rok {
			return 1 / math.Max(g.colNDV(l.idx), g.colNDV(r.idx))
		}
		return defaultEqSel
	}
	return defaultOtherSel
}

// joinStep is a join plan of a set of items: a single item (leaf >= 0)
// or the join of two smaller plans, right being the hashed side.
type joinStep struct {
	leaf        int
	left, right *joinStep
	mask        uint64
	rows, cost  float64
}

// rowsOf estimates the rows of the join of the items of mask.
func (g *joinGraph) rowsOf(mask uint64) float64 {
	r := 1.0
	for i, it := range g.items {
		if mask&(1<<uint(i)) != 0 {
			r *= it.rows
		}
	}
	for _, p := range g.preds {
		if p.mask != 0 && p.mask&mask == p.mask {
			r *= p.sel
		}
	}
	return math.Max(1, r)
}

// connected reports whether a condition links the item sets a and b.
func (g *joinGraph) connected(a, b uint64) bool {
	for _, p := range g.preds {
		if p.mask&a != 0 && p.mask&b != 0 && p.mask&^(a|b) == 0 {
			return true
		}
	}
	return false
}

// join makes the plan joining sub with item i: the smaller side is
// hashed (the item when they tie, as written).
func (g *joinGraph) join(sub *joinStep, i int) *joinStep {
	leaf := &joinStep{leaf: i, mask: 1 << uint(i), rows: g.items[i].rows}
	mask := sub.mask | leaf.mask
	rows := g.rowsOf(mask)
	s := &joinStep{leaf: -1, left: sub, right: leaf, mask: mask, rows: rows}
	if sub.rows < leaf.rows/2 {
		s.left, s.right = leaf, sub
	}
	// Reading both inputs, hashing the right one, producing the output.
	s.cost = sub.cost + sub.rows + leaf.rows + s.right.rows + rows
	return s
}

// planGraph chooses the join order of g and builds it; written is the
// tree as written, returned when the written order is kept.
func (b *binder) planGraph(g *joinGraph, written fromNode) fromNode {
	for _, p := range g.preds {
		p.mask = g.maskOf(p.e)
		p.sel = g.predSel(p)
	}
	n := len(g.items)
	var best *joinStep
	if n <= joinDPLimit {
		best = g.dp()
	} else {
		best = g.greedy()
	}
	if best == nil || g.isWritten(best) {
		return written
	}
	node, order := g.build(best)
	perm := make([]int, g.width)
	pos := 0
	for _, i := range order {
		it := g.items[i]
		for c := range it.node.width() {
			perm[it.off+c] = pos + c
		}
		pos += it.node.width()
	}
	return &fromReorder{join: node, perm: perm}
}

// dp finds the cheapest left-deep plan by dynamic programming over the
// subsets of items, preferring joins along conditions to cross joins.
func (g *joinGraph) dp() *joinStep {
	n := len(g.items)
	full := uint64(1)<<uint(n) - 1
	best := make([]*joinStep, full+1)
	for i := range n {
		best[1<<uint(i)] = &joinStep{leaf: i, mask: 1 << uint(i), rows: g.items[i].rows}
	}
	for mask := uint64(1); mask <= full; mask++ {
		if bits.OnesCount64(mask) < 2 {
			continue
		}
		var pick *joinStep
		pickCross := true
		// The last item first: with equal costs the written order wins.
		for i := n - 1; i >= 0; i-- {
			bit := uint64(1) << uint(i)
			if mask&bit == 0 || best[mask&^bit] == nil {
				continue
			}
			sub := best[mask&^bit]
			cross := !g.connected(sub.mask, bit)
			s := g.join(sub, i)
			if pick == nil || (pickCross && !cross) || (cross == pickCross && s.cost < pick.cost*0.999) {
				pick, pickCross = s, cross
			}
		}
		best[mask] = pick
	}
	return best[full]
}

// greedy builds a left-deep plan starting from the smallest item and
// adding, each time, the connected item giving the fewest rows.
func (g *joinGraph) greedy() *joinStep {
	n := len(g.items)
	start := 0
	for i := range n {
		if g.items[i].rows < g.items[start].rows {
			start = i
		}
	}
	cur := &joinStep{leaf: start, mask: 1 << uint(start), rows: g.items[start].rows}
	for bits.OnesCount64(cur.mask) < n {
		var pick *joinStep
		pickCross := true
		for i := range n {
			bit := uint64(1) << uint(i)
			if cur.mask&bit != 0 {
				continue
			}
			cross := !g.connected(cur.mask, bit)
			s := g.join(cur, i)
			if pick == nil || (pickCross && !cross) || (cross == pickCross && s.rows < pick.rows) {
				pick, pickCross = s, cross
			}
		}
		cur = pick
	}
	return cur
}

// isWritten reports whether plan s is the written left-deep order with
// every item on the right (hashed) side.
func (g *joinGraph) isWritten(s *joinStep) bool {
	for i := len(g.items) - 1; i > 0; i-- {
		if s.leaf >= 0 || s.right.leaf != i {
			return false
		}
		s = s.left
	}
	return s.leaf == 0
}

// build turns a plan into FROM nodes, placing each condition at the
// lowest join that has all the items it reads. It returns the items in
// the order of the built row.
func (g *joinGraph) build(s *joinStep) (fromNode, []int) {
	placed := make([]bool, len(g.preds))
	var rec func(s *joinStep) (fromNode, []int)
	rec = func(s *joinStep) (fromNode, []int) {
		if s.leaf >= 0 {
			return g.items[s.leaf].node, []int{s.leaf}
		}
		l, lo := rec(s.left)
		r, ro := rec(s.right)
		order := append(append([]int(nil), lo...), ro...)
		newPos := g.positions(order)
		j := &fromJoin{kind: joinInner, left: l, right: r}
		lw := l.width()
		var rest []expr
		for pi, p := range g.preds {
			if placed[pi] || p.mask&s.mask != p.mask || (p.mask == 0 && s.mask != 1<<uint(len(g.items))-1) {
				continue
			}
			placed[pi] = true
			e := remapCols(p.e, newPos)
			if le, re, ok := equiKey(e, lw); ok {
				j.lkeys = append(j.lkeys, le)
				j.rkeys = append(j.rkeys, shiftCols(re, -lw))
				continue
			}
			rest = append(rest, e)
		}
		j.cond = andAll(rest)
		return j, order
	}
	return rec(s)
}

// positions maps each written column of the items in order to its
// position in the row of those items joined in that order (-1 for the
// columns of other items).
func (g *joinGraph) positions(order []int) []int {
	out := make([]int, g.width)
	for i := range out {
		out[i] = -1
	}
	pos := 0
	for _, i := range order {
		it := g.items[i]
		for c := range it.node.width() {
			out[it.off+c] = pos + c
		}
		pos += it.node.width()
	}
	return out
}

// remapCols renumbers e's column references by newPos.
func remapCols(e expr, newPos []int) expr {
	out, _ := rewriteExpr(e, func(x expr) (expr, bool, error) {
		if c, ok := x.(*colRef); ok {
			d := *c
			d.idx = newPos[c.idx]
			return &d, true, nil
		}
		return nil, false, nil
	})
	return out
}
