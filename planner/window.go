package planner

// The window node: window functions evaluated over the rows of a query
// after WHERE, grouping and HAVING and before the final projection. Each
// distinct window spec sorts the rows by its PARTITION BY and ORDER BY
// keys, walks the partitions, and computes its calls' results per row
// over the row's frame; aggregates whose frame starts at the partition's
// first row accumulate as the frame grows instead of recomputing.

import (
	"math"
	"sort"
	"strings"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
)

// windowPlan is the window functions of one SELECT.
type windowPlan struct {
	specs []*winSpec
	calls []*winCall
	// evalOrder is the order the specs are evaluated in; the output
	// comes in the last one's order.
	evalOrder []int
}

// winSpec is one window: partitioning, ordering and frame.
type winSpec struct {
	partition []expr
	order     []expr
	// keys give each order expression's direction and NULLS placement
	// (idx is the expression's position in order).
	keys  []sortKey
	frame winFrame
}

// winCall is one window function call.
type winCall struct {
	name string
	spec int
	// args are a window-only function's arguments; agg is the aggregate
	// of an aggregate used as a window function.
	args []expr
	agg  *aggCall
	t    types.T
}

type frameMode int

const (
	frameModeRange frameMode = iota
	frameModeRows
	frameModeGroups
)

type boundKind int

const (
	boundUnbounded boundKind = iota // UNBOUNDED PRECEDING / FOLLOWING
	boundCurrent                    // CURRENT ROW
	boundPreceding                  // offset PRECEDING
	boundFollowing                  // offset FOLLOWING
)

type excludeKind int

const (
	excludeNone excludeKind = iota
	excludeCurrent
	excludeGroup
	excludeTies
)

// frameBound is one end of a frame.
type frameBound struct {
	kind   boundKind
	offset expr // for boundPreceding and boundFollowing
}

// winFrame is a frame clause; the default is RANGE UNBOUNDED PRECEDING
// to CURRENT ROW (with the current row's peers).
type winFrame struct {
	mode       frameMode
	start, end frameBound
	exclude    excludeKind
}

// winPart is one partition of a spec's sorted rows, with its peer groups.
type winPart struct {
	rows []int // input row numbers in window order
	// group is each position's peer group number; groupStart and
	// groupEnd bound each group's positions (end exclusive).
	group      []int
	groupStart []int
	groupEnd   []int
	// orderVals are the first ORDER BY key's values (RANGE offsets).
	orderVals []types.Value
}

// execWindow computes the window functions over rows and returns each
// row extended with the calls' results, in the last spec's order.
func execWindow(ev *evalCtx, w *windowPlan, rows [][]types.Value, mem *memBudget) ([][]types.Value, error) {
	n := len(rows)
	results := make([][]types.Value, n)
	for i := range results {
		results[i] = make([]types.Value, len(w.calls))
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	for _, si := range w.evalOrder {
		spec := w.specs[si]
		sorted, parts, err := spec.partitions(ev, rows, order)
		if err != nil {
			return nil, err
		}
		order = sorted
		off, err := spec.frame.offsets(ev, n)
		if err != nil {
			return nil, err
		}
		for ci, c := range w.calls {
			if c.spec != si {
				continue
			}
			for _, part := range parts {
				if err := canceled(ev.ctx); err != nil {
					return nil, err
				}
				fr := &framer{spec: spec, part: part, off: off}
				if err := c.compute(ev, rows, fr, results, ci); err != nil {
					return nil, err
				}
			}
		}
	}
	out := make([][]types.Value, 0, n)
	for _, i := range order {
		row := make([]types.Value, 0, len(rows[i])+len(w.calls))
		row = append(append(row, rows[i]...), results[i]...)
		if err := mem.add(results[i]); err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, nil
}

// partitions sorts the rows by the spec's keys and splits them into
// partitions with their peer groups.
func (s *winSpec) partitions(ev *evalCtx, rows [][]types.Value, base []int) ([]int, []*winPart, error) {
	nk := len(s.partition) + len(s.order)
	keyVals := make([][]types.Value, len(rows))
	for i, r := range rows {
		kv := make([]types.Value, nk)
		for j, e := range s.partition {
			v, err := e.eval(ev, r)
			if err != nil {
				return nil, nil, err
			}
			kv[j] = v
		}
		for j, e := range s.order {
			v, err := e.eval(ev, r)
			if err != nil {
				return nil, nil, err
			}
			kv[len(s.partition)+j] = v
		}
		keyVals[i] = kv
	}
	pkeys := make([]sortKey, len(s.partition))
	for j := range pkeys {
		pkeys[j] = sortKey{idx: j}
	}
	okeys := make([]sortKey, len(s.order))
	for j, k := range s.keys {
		okeys[j] = sortKey{idx: len(s.partition) + j, desc: k.desc, nullsFirst: k.nullsFirst}
	}
	allKeys := append(append([]sortKey(nil), pkeys...), okeys...)
	idx := append([]int(nil), base...)
	if nk > 0 {
		sort.SliceStable(idx, func(a, b int) bool {
			return compareRows(keyVals[idx[a]], keyVals[idx[b]], allKeys) < 0
		})
	}
	var parts []*winPart
	var cur *winPart
	for p, i := range idx {
		if cur == nil || compareRows(keyVals[idx[p-1]], keyVals[i], pkeys) != 0 {
			cur = &winPart{}
			parts = append(parts, cur)
		}
		pos := len(cur.rows)
		cur.rows = append(cur.rows, i)
		if pos == 0 || compareRows(keyVals[cur.rows[pos-1]], keyVals[i], okeys) != 0 {
			cur.groupStart = append(cur.groupStart, pos)
			cur.groupEnd = append(cur.groupEnd, pos)
		}
		g := len(cur.groupStart) - 1
		cur.group = append(cur.group, g)
		cur.groupEnd[g] = pos + 1
		if len(s.order) > 0 {
			cur.orderVals = append(cur.orderVals, keyVals[i][len(s.partition)])
		}
	}
	return idx, parts, nil
}

// frameOffsets are a frame's evaluated offsets.
type frameOffsets struct {
	start, end types.Value
}

// offsets evaluates the frame's offsets once per execution, with
// PostgreSQL's checks (ROWS and GROUPS offsets are checked even without
// rows; RANGE sizes only when there are rows to compare).
func (f *winFrame) offsets(ev *evalCtx, nrows int) (frameOffsets, error) {
	var o frameOffsets
	eval := func(b frameBound, which string) (types.Value, error) {
		if b.offset == nil {
			return types.Null, nil
		}
		v, err := b.offset.eval(ev, nil)
		if err != nil {
			return types.Null, err
		}
		if v.IsNull() {
			return v, sqlerr.New(codeNullNotAllowed, "frame %s offset must not be null", which)
		}
		if f.mode != frameModeRange {
			if v.Int() < 0 {
				return v, sqlerr.New(codeInvalidFrameOffset, "frame %s offset must not be negative", which)
			}
			return v, nil
		}
		if nrows > 0 && rangeOffsetNegative(v) {
			return v, sqlerr.New(codeInvalidFrameOffset, "invalid preceding or following size in window function")
		}
		return v, nil
	}
	var err error
	if o.start, err = eval(f.start, "starting"); err != nil {
		return o, err
	}
	if o.end, err = eval(f.end, "ending"); err != nil {
		return o, err
	}
	return o, nil
}

// rangeOffsetNegative reports whether a RANGE offset is below zero.
func rangeOffsetNegative(v types.Value) bool {
	switch v.Kind() {
	case types.Interval:
		zero := types.NewInterval(0, 0, 0)
		return types.Compare(v, zero) < 0
	case types.Int2, types.Int4, types.Int8:
		return v.Int() < 0
	case types.Float4, types.Float8:
		return v.Float() < 0
	}
	zero, err := types.Cast(types.NewInt(types.Int4, 0), types.T{Kind: v.Kind(), Mod: -1}, types.CastImplicit)
	if err != nil {
		return false
	}
	return types.Compare(v, zero) < 0
}

// framer finds frames within one partition.
type framer struct {
	spec *winSpec
	part *winPart
	off  frameOffsets
}

// bounds returns the frame of position i as positions [lo, hi) of the
// partition (exclusions not applied).
func (f *framer) bounds(i int) (lo, hi int, err error) {
	p := f.part
	n := len(p.rows)
	fr := f.spec.frame
	g := p.group[i]
	switch fr.start.kind {
	case boundUnbounded:
		lo = 0
	case boundCurrent:
		lo = i
		if fr.mode != frameModeRows {
			lo = p.groupStart[g]
		}
	default:
		if lo, err = f.offsetPos(i, fr.start.kind, f.off.start, true); err != nil {
			return 0, 0, err
		}
	}
	switch fr.end.kind {
	case boundUnbounded:
		hi = n
	case boundCurrent:
		hi = i + 1
		if fr.mode != frameModeRows {
			hi = p.groupEnd[g]
		}
	default:
		if hi, err = f.offsetPos(i, fr.end.kind, f.off.end, false); err != nil {
			return 0, 0, err
		}
	}
	lo = max(0, min(lo, n))
	hi = max(0, min(hi, n))
	if hi < lo {
		hi = lo
	}
	return lo, hi, nil
}

// offsetPos is the frame start (first position in) or end (first
// position after) for an offset bound.
func (f *framer) offsetPos(i int, kind boundKind, off types.Value, start bool) (int, error) {
	p := f.part
	n := len(p.rows)
	switch f.spec.frame.mode {
	case frameModeRows:
		d := clampOffset(off.Int(), n)
		pos := i - d
		if kind == boundFollowing {
			pos = i + d
		}
		if !start {
			pos++
		}
		return pos, nil
	case frameModeGroups:
		d := clampOffset(off.Int(), n)
		g := p.group[i] - d
		if kind == boundFollowing {
			g = p.group[i] + d
		}
		ng := len(p.groupStart)
		if start {
			if g < 0 {
				return 0, nil
			}
			if g >= ng {
				return n, nil
			}
			return p.groupStart[g], nil
		}
		if g < 0 {
			return 0, nil
		}
		if g >= ng {
			return n, nil
		}
		return p.groupEnd[g], nil
	}
	return f.rangePos(i, kind, off, start)
}

// clampOffset bounds a row or group offset by the partition size.
func clampOffset(d int64, n int) int {
	if d > int64(n)+1 {
		return n + 1
	}
	return int(d)
}

// rangePos finds a RANGE offset bound: the rows whose ORDER BY value lies
// within offset of the current row's. NULLs are only peers of NULLs.
func (f *framer) rangePos(i int, kind boundKind, off types.Value, start bool) (int, error) {
	p := f.part
	g := p.group[i]
	cur := p.orderVals[i]
	if cur.IsNull() {
		if start {
			return p.groupStart[g], nil
		}
		return p.groupEnd[g], nil
	}
	key := f.spec.keys[0]
	// The non-NULL positions [nlo, nhi).
	nlo, nhi := 0, len(p.rows)
	if key.nullsFirst {
		nlo = sort.Search(len(p.rows), func(j int) bool { return !p.orderVals[j].IsNull() })
	} else {
		nhi = sort.Search(len(p.rows), func(j int) bool { return p.orderVals[j].IsNull() })
	}
	// PRECEDING moves against the sort direction, FOLLOWING with it.
	sub := kind == boundPreceding
	if key.desc {
		sub = !sub
	}
	bound, err := rangeAdd(cur, off, sub)
	if err != nil {
		return 0, err
	}
	var searchErr error
	cmp := func(j int) int {
		c, err := rangeCompare(p.orderVals[j], bound)
		if err != nil && searchErr == nil {
			searchErr = err
		}
		if key.desc {
			c = -c
		}
		return c
	}
	var pos int
	if start {
		pos = nlo + sort.Search(nhi-nlo, func(j int) bool { return cmp(nlo+j) >= 0 })
	} else {
		pos = nlo + sort.Search(nhi-nlo, func(j int) bool { return cmp(nlo+j) > 0 })
	}
	return pos, searchErr
}

// rangeAdd computes v + off (or v - off) for a RANGE bound, in a type
// wide enough not to overflow for integers.
func rangeAdd(v, off types.Value, sub bool) (types.Value, error) {
	op := byte('+')
	if sub {
		op = '-'
	}
	switch v.Kind() {
	case types.Int2, types.Int4, types.Int8, types.Numeric:
		a, err := types.Cast(v, types.TNumeric, types.CastImplicit)
		if err != nil {
			return types.Null, err
		}
		b, err := types.Cast(off, types.TNumeric, types.CastImplicit)
		if err != nil {
			return types.Null, err
		}
		return types.Arith(op, a, b, types.Numeric)
	case types.Float4, types.Float8:
		a, err := types.Cast(v, types.TFloat8, types.CastImplicit)
		if err != nil {
			return types.Null, err
		}
		b, err := types.Cast(off, types.TFloat8, types.CastImplicit)
		if err != nil {
			return types.Null, err
		}
		if base := a.Float(); math.IsInf(base, 0) && math.IsInf(b.Float(), 1) && (base > 0) == sub {
			// inf - inf or -inf + inf: PostgreSQL takes +inf to
			// infinitely precede +inf (and -inf to infinitely follow
			// -inf), so every value is within the bound.
			if sub {
				return types.NewFloat(types.Float8, math.Inf(-1)), nil
			}
			return types.NewFloat(types.Float8, math.Inf(1)), nil
		}
		return types.Arith(op, a, b, types.Float8)
	}
	r, err := types.EvalOperator(nil, op, v, off)
	if err != nil {
		// Out of range: the bound lies beyond every value.
		return types.Null, err
	}
	return r, nil
}

// rangeCompare compares an ORDER BY value with a bound computed by
// rangeAdd, converting the value to the bound's type.
func rangeCompare(v, bound types.Value) (int, error) {
	if v.Kind() != bound.Kind() {
		x, err := types.Cast(v, types.T{Kind: bound.Kind(), Mod: -1}, types.CastImplicit)
		if err != nil {
			return 0, err
		}
		v = x
	}
	return types.Compare(v, bound), nil
}

// excluded reports whether position j is left out of position i's frame
// by the frame's EXCLUDE clause.
func (f *framer) excluded(i, j int) bool {
	switch f.spec.frame.exclude {
	case excludeCurrent:
		return i == j
	case excludeGroup:
		return f.part.group[i] == f.part.group[j]
	case excludeTies:
		return i != j && f.part.group[i] == f.part.group[j]
	}
	return false
}

// compute fills result column ci for one partition.
func (c *winCall) compute(ev *evalCtx, rows [][]types.Value, fr *framer, results [][]types.Value, ci int) error {
	p := fr.part
	n := len(p.rows)
	set := func(pos int, v types.Value) { results[p.rows[pos]][ci] = v }
	row := func(pos int) []types.Value { return rows[p.rows[pos]] }
	arg := func(k, pos int) (types.Value, error) { return c.args[k].eval(ev, row(pos)) }
	if c.agg != nil {
		return c.computeAgg(ev, rows, fr, results, ci)
	}
	switch c.name {
	case "row_number":
		for i := 0; i < n; i++ {
			set(i, types.NewInt(types.Int8, int64(i+1)))
		}
	case "rank":
		for i := 0; i < n; i++ {
			set(i, types.NewInt(types.Int8, int64(p.groupStart[p.group[i]]+1)))
		}
	case "dense_rank":
		for i := 0; i < n; i++ {
			set(i, types.NewInt(types.Int8, int64(p.group[i]+1)))
		}
	case "percent_rank":
		for i := 0; i < n; i++ {
			v := 0.0
			if n > 1 {
				v = float64(p.groupStart[p.group[i]]) / float64(n-1)
			}
			set(i, types.NewFloat(types.Float8, v))
		}
	case "cume_dist":
		for i := 0; i < n; i++ {
			set(i, types.NewFloat(types.Float8, float64(p.groupEnd[p.group[i]])/float64(n)))
		}
	case "ntile":
		// The bucket count is read from the partition's first row.
		v, err := arg(0, 0)
		if err != nil {
			return err
		}
		if v.IsNull() {
			for i := 0; i < n; i++ {
				set(i, types.Null)
			}
			return nil
		}
		buckets := v.Int()
		if buckets <= 0 {
			return sqlerr.New(codeInvalidNtile, "argument of ntile must be greater than zero")
		}
		for i, b := range ntileBuckets(int64(n), buckets) {
			set(i, types.NewInt(types.Int4, b))
		}
	case "lag", "lead":
		for i := 0; i < n; i++ {
			off := int64(1)
			if len(c.args) > 1 {
				v, err := arg(1, i)
				if err != nil {
					return err
				}
				if v.IsNull() {
					set(i, types.Null)
					continue
				}
				off = v.Int()
			}
			if c.name == "lag" {
				off = -off
			}
			t := int64(i) + off
			if t >= 0 && t < int64(n) {
				v, err := arg(0, int(t))
				if err != nil {
					return err
				}
				set(i, v)
				continue
			}
			d := types.Null
			if len(c.args) > 2 {
				var err error
				if d, err = arg(2, i); err != nil {
					return err
				}
			}
			set(i, d)
		}
	case "first_value", "last_value", "nth_value":
		for i := 0; i < n; i++ {
			nth := int64(1)
			if c.name == "nth_value" {
				v, err := arg(1, i)
				if err != nil {
					return err
				}
				if v.IsNull() {
					set(i, types.Null)
					continue
				}
				if nth = v.Int(); nth <= 0 {
					return sqlerr.New(codeInvalidNthValue, "argument of nth_value must be greater than zero")
				}
			}
			if err := checkCanceled(ev, i); err != nil {
				return err
			}
			lo, hi, err := fr.bounds(i)
			if err != nil {
				return err
			}
			found := -1
			if c.name == "last_value" {
				for j := hi - 1; j >= lo; j-- {
					if !fr.excluded(i, j) {
						found = j
						break
					}
				}
			} else {
				k := int64(0)
				for j := lo; j < hi; j++ {
					if fr.excluded(i, j) {
						continue
					}
					if k++; k == nth {
						found = j
						break
					}
				}
			}
			if found < 0 {
				set(i, types.Null)
				continue
			}
			v, err := arg(0, found)
			if err != nil {
				return err
			}
			set(i, v)
		}
	}
	return nil
}

// ntileBuckets numbers n rows into b buckets as PostgreSQL's ntile does:
// the first n%b buckets get one row more than the others.
func ntileBuckets(n, b int64) []int64 {
	out := make([]int64, n)
	size, extra := n/b, n%b
	bucket, inBucket := int64(1), int64(0)
	for i := range out {
		limit := size
		if bucket <= extra {
			limit++
		}
		if inBucket >= limit && limit > 0 {
			bucket++
			inBucket = 0
		}
		inBucket++
		out[i] = bucket
	}
	return out
}

// computeAgg fills an aggregate's results for one partition: running
// accumulation while the frame starts at the partition's first row and
// nothing is excluded, otherwise recomputation per distinct frame.
func (c *winCall) computeAgg(ev *evalCtx, rows [][]types.Value, fr *framer, results [][]types.Value, ci int) error {
	p := fr.part
	n := len(p.rows)
	f := fr.spec.frame
	shortcuts := !windowNoShortcuts
	if shortcuts && f.end.kind == boundUnbounded && f.start.kind != boundUnbounded && f.exclude == excludeNone && orderFreeAgg(c.agg) {
		if done, err := c.computeSuffixAgg(ev, rows, fr, results, ci); done || err != nil {
			return err
		}
	}
	running := shortcuts && f.start.kind == boundUnbounded && f.exclude == excludeNone
	var st *aggState
	added := 0
	prevLo, prevHi := -1, -1
	var prev types.Value
	for i := 0; i < n; i++ {
		if err := checkCanceled(ev, i); err != nil {
			return err
		}
		lo, hi, err := fr.bounds(i)
		if err != nil {
			return err
		}
		if shortcuts && fr.spec.frame.exclude == excludeNone && lo == prevLo && hi == prevHi {
			results[p.rows[i]][ci] = prev
			continue
		}
		if running && st != nil && lo == 0 && hi >= added {
			for ; added < hi; added++ {
				if err := st.add(ev, rows[p.rows[added]]); err != nil {
					return err
				}
			}
		} else {
			st = newAggState(c.agg)
			added = 0
			for j := lo; j < hi; j++ {
				if fr.excluded(i, j) {
					continue
				}
				if err := st.add(ev, rows[p.rows[j]]); err != nil {
					return err
				}
			}
			added = hi
			if !running || lo != 0 {
				added = -1
			}
		}
		v, err := st.result()
		if err != nil {
			return err
		}
		results[p.rows[i]][ci] = v
		prev, prevLo, prevHi = v, lo, hi
	}
	return nil
}

// windowNoShortcuts, set by tests, makes every aggregate frame be
// recomputed from its rows, to check the accumulating shortcuts.
var windowNoShortcuts = false

// collectWindowRow keeps a copy of an input row for the window node.
func collectWindowRow(rows *[][]types.Value, row []types.Value, mem *memBudget) error {
	r := append([]types.Value(nil), row...)
	if err := mem.add(r); err != nil {
		return err
	}
	*rows = append(*rows, r)
	return nil
}

// explainWindow puts the WindowAgg nodes of w over n, each with the Sort
// its spec needs unless the rows already come in that order.
func explainWindow(w *windowPlan, n *explainNode) *explainNode {
	if w == nil {
		return n
	}
	var cur []string
	for _, si := range w.evalOrder {
		s := w.specs[si]
		var keys []string
		for _, e := range s.partition {
			keys = append(keys, strings.Trim(exprText(e), "()"))
		}
		for i, e := range s.order {
			k := strings.Trim(exprText(e), "()")
			switch key := s.keys[i]; {
			case key.desc && !key.nullsFirst:
				k += " DESC NULLS LAST"
			case key.desc:
				k += " DESC"
			case key.nullsFirst:
				k += " NULLS FIRST"
			}
			keys = append(keys, k)
		}
		sorted := len(keys) <= len(cur)
		for i := 0; sorted && i < len(keys); i++ {
			sorted = keys[i] == cur[i]
		}
		if !sorted {
			n = &explainNode{name: "Sort", details: []string{"Sort Key: " + strings.Join(keys, ", ")}, children: []*explainNode{n}}
			cur = keys
		}
		n = &explainNode{name: "WindowAgg", children: []*explainNode{n}}
	}
	return n
}

// checkCanceled checks for a canceled statement every 1024 rows of a
// partition's frames.
func checkCanceled(ev *evalCtx, i int) error {
	if i&1023 != 0 || ev.ctx == nil {
		return nil
	}
	return canceled(ev.ctx)
}

// orderFreeAgg reports whether an aggregate's result does not depend on
// the order rows are added in (exact arithmetic), so that frames ending
// at the partition's end may accumulate backwards.
func orderFreeAgg(a *aggCall) bool {
	switch a.name {
	case "count", "min", "max":
		return true
	case "sum", "avg":
		k := a.arg.typ().Kind
		return k == types.Int2 || k == types.Int4 || k == types.Int8 || k == types.Numeric
	}
	return false
}

// computeSuffixAgg fills the results of an aggregate whose frames run to
// the partition's end from a start that never moves back, walking the
// partition backwards and adding each row once. It reports false (and
// does nothing) if the frame starts are not in order.
func (c *winCall) computeSuffixAgg(ev *evalCtx, rows [][]types.Value, fr *framer, results [][]types.Value, ci int) (bool, error) {
	p := fr.part
	n := len(p.rows)
	los := make([]int, n)
	for i := 0; i < n; i++ {
		lo, _, err := fr.bounds(i)
		if err != nil {
			return false, err
		}
		if i > 0 && lo < los[i-1] {
			return false, nil
		}
		los[i] = lo
	}
	st := newAggState(c.agg)
	next := n // rows [next, n) are in st
	for i := n - 1; i >= 0; i-- {
		if err := checkCanceled(ev, i); err != nil {
			return false, err
		}
		for ; next > los[i]; next-- {
			if err := st.add(ev, rows[p.rows[next-1]]); err != nil {
				return false, err
			}
		}
		v, err := st.result()
		if err != nil {
			return false, err
		}
		results[p.rows[i]][ci] = v
	}
	return true, nil
}
