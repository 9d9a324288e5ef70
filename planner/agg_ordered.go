package planner

// Ordered-set aggregates: percentile_cont(fraction) WITHIN GROUP (ORDER BY
// x) over double precision or interval, percentile_disc(fraction) over any
// sortable type, their array-of-fractions forms, and mode(). Their input
// rows are kept per group (as agg_more.go keeps them), sorted by the
// WITHIN GROUP key, and read by position. The direct arguments (the
// fractions) are evaluated on the group's rows; when they read no column
// they are also evaluated once at bind time, so that a bad fraction is an
// error even over no rows, as in PostgreSQL.

import (
	"math"
	"strconv"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// orderedSetAggNames are the ordered-set aggregates.
var orderedSetAggNames = map[string]bool{"percentile_cont": true, "percentile_disc": true, "mode": true}

func init() {
	for n := range orderedSetAggNames {
		moreAggNames[n] = true
	}
}

// bindOrderedSetAggregate binds an ordered-set aggregate call, or a call
// with WITHIN GROUP of an aggregate that is not one or one without it
// (errors: the WITHIN GROUP keys count as arguments, and there is no such
// function). The caller has checked
// that aggregates are allowed.
func (b *binder) bindOrderedSetAggregate(name string, f *pg_query.FuncCall) (expr, error) {
	call := &aggCall{name: name}
	ext := &aggExt{}
	saved, savedCtx := b.aggAllowed, b.aggContext
	defer func() { b.aggAllowed, b.aggContext = saved, savedCtx }()
	if f.AggFilter != nil {
		b.aggAllowed, b.aggContext = false, "FILTER"
		c, err := b.bindExpr(f.AggFilter)
		if err != nil {
			return nil, err
		}
		if call.filter, err = b.asBool(c, "FILTER", exprLocation(f.AggFilter)); err != nil {
			return nil, err
		}
	}
	b.aggAllowed, b.aggContext = false, ""
	var direct, keys []expr
	for _, a := range f.Args {
		e, err := b.bindExpr(a)
		if err != nil {
			return nil, err
		}
		direct = append(direct, e)
	}
	var order []aggOrder
	for _, n := range f.AggOrder {
		sb := n.GetSortBy()
		if sb == nil {
			return nil, sqlerr.Syntax("malformed WITHIN GROUP")
		}
		e, err := b.bindExpr(sb.Node)
		if err != nil {
			return nil, err
		}
		o := aggOrder{e: e, desc: sb.SortbyDir == pg_query.SortByDir_SORTBY_DESC}
		o.nullsFirst = o.desc
		switch sb.SortbyNulls {
		case pg_query.SortByNulls_SORTBY_NULLS_FIRST:
			o.nullsFirst = true
		case pg_query.SortByNulls_SORTBY_NULLS_LAST:
			o.nullsFirst = false
		}
		keys = append(keys, e)
		order = append(order, o)
	}
	// The message names the arguments' types as written.
	written := argTypes(append(append([]expr(nil), direct...), keys...))
	undefined := func() error {
		return b.errAt(sqlerr.UndefinedFunctionErr("function %s(%s) does not exist", name, written), f.Location)
	}
	if f.AggWithinGroup && hypotheticalAggNames[name] {
		return b.bindHypothetical(name, f, call, direct, order, written)
	}
	if !f.AggWithinGroup || !orderedSetAggNames[name] || len(keys) != 1 {
		return nil, undefined()
	}
	var err error
	key := keys[0]
	multi := false
	if name == "mode" {
		if len(direct) != 0 {
			return nil, undefined()
		}
	} else {
		if len(direct) != 1 {
			return nil, undefined()
		}
		k := direct[0].typ().Kind
		switch {
		case k == types.Unknown || k.IsNumeric():
			direct[0], err = b.coerce(direct[0], types.TFloat8, types.CastImplicit)
		case k.IsArray() && k.Elem().IsNumeric():
			multi = true
			direct[0], err = b.coerce(direct[0], types.ArrayType(types.TFloat8), types.CastImplicit)
		default:
			return nil, undefined()
		}
		if err != nil {
			return nil, err
		}
	}
	kk := key.typ().Kind
	switch {
	case name == "percentile_cont" && kk == types.Interval:
	case name == "percentile_cont" && (kk == types.Unknown || kk.IsNumeric()):
		if key, err = b.coerce(key, types.TFloat8, types.CastImplicit); err != nil {
			return nil, err
		}
	case name == "percentile_cont":
		return nil, undefined()
	case kk == types.Unknown:
		if key, err = b.coerce(key, types.TText, types.CastImplicit); err != nil {
			return nil, err
		}
	}
	order[0].e = key
	elem := types.T{Kind: key.typ().Kind, Mod: -1}
	call.t = elem
	if multi {
		call.t = types.ArrayType(elem)
	}
	// Fractions that read no column are known before any row.
	var pre []types.Value
	if len(direct) == 1 && readsNoColumn(direct[0]) {
		if v, err := direct[0].eval(&evalCtx{env: b.ident.env}, nil); err == nil {
			pre = []types.Value{v}
		}
	}
	nd := len(direct)
	ext.final = func(rows [][]types.Value) (types.Value, error) {
		// Rows are [direct..., key, sort key], sorted; NULL keys are
		// ignored.
		vals := make([]types.Value, 0, len(rows))
		for _, r := range rows {
			if !r[nd].IsNull() {
				vals = append(vals, r[nd])
			}
		}
		if name == "mode" {
			return modeOf(vals), nil
		}
		frac := types.Null
		switch {
		case len(rows) > 0:
			frac = rows[0][0]
		case pre != nil:
			frac = pre[0]
		case multi:
			return types.Null, nil
		}
		if multi {
			if len(rows) == 0 || frac.IsNull() {
				return types.Null, nil
			}
			fr := frac.Elems()
			out := make([]types.Value, len(fr))
			for i, p := range fr {
				if p.IsNull() {
					out[i] = types.Null
					continue
				}
				v, err := percentile(name, p.Float(), vals)
				if err != nil {
					return types.Null, err
				}
				out[i] = v
			}
			return types.NewArray(elem.Kind, out), nil
		}
		if frac.IsNull() {
			return types.Null, nil
		}
		if err := checkPercentile(frac.Float()); err != nil {
			return types.Null, err
		}
		if len(vals) == 0 {
			return types.Null, nil
		}
		return percentile(name, frac.Float(), vals)
	}
	ext.args = append(direct, key)
	ext.order = order
	call.ext = ext
	call.arg = key
	b.aggs = append(b.aggs, call)
	return &aggRef{idx: len(b.aggs) - 1, t: call.t}, nil
}

// readsNoColumn reports whether e can be evaluated without a row or
// parameters.
func readsNoColumn(e expr) bool {
	ok := true
	_, _ = rewriteExpr(e, func(x expr) (expr, bool, error) {
		switch x.(type) {
		case *colRef, *outerRef, *paramRef, *aggRef, *subqueryExpr, *winRef:
			ok = false
			return x, true, nil
		}
		return nil, false, nil
	})
	return ok
}

// checkPercentile rejects a fraction outside [0, 1] as PostgreSQL does.
func checkPercentile(p float64) error {
	if p < 0 || p > 1 || math.IsNaN(p) {
		return sqlerr.New(sqlerr.NumericValueOutOfRange, "percentile value %s is not between 0 and 1", strconv.FormatFloat(p, 'g', 6, 64))
	}
	return nil
}

// percentile is percentile_cont or percentile_disc of sorted values.
func percentile(name string, p float64, vals []types.Value) (types.Value, error) {
	if err := checkPercentile(p); err != nil {
		return types.Null, err
	}
	n := len(vals)
	if n == 0 {
		return types.Null, nil
	}
	if name == "percentile_disc" {
		k := int(math.Ceil(p * float64(n)))
		if k < 1 {
			k = 1
		}
		return vals[k-1], nil
	}
	pos := p * float64(n-1)
	first, second := math.Floor(pos), math.Ceil(pos)
	lo, hi := vals[int(first)], vals[int(second)]
	if first == second {
		return lo, nil
	}
	pct := pos - first
	if lo.Kind() == types.Interval {
		diff, err := types.EvalOperator(nil, '-', hi, lo)
		if err != nil {
			return types.Null, err
		}
		mul, err := types.EvalOperator(nil, '*', diff, types.NewFloat(types.Float8, pct))
		if err != nil {
			return types.Null, err
		}
		return types.EvalOperator(nil, '+', mul, lo)
	}
	l, h := lo.Float(), hi.Float()
	return types.NewFloat(types.Float8, l+pct*(h-l)), nil
}

// modeOf returns the most frequent of sorted values, the first in the
// order among equally frequent ones; NULL for none.
func modeOf(vals []types.Value) types.Value {
	best, bestN := types.Null, 0
	for i := 0; i < len(vals); {
		j := i + 1
		for j < len(vals) && types.Compare(vals[i], vals[j]) == 0 {
			j++
		}
		if j-i > bestN {
			best, bestN = vals[i], j-i
		}
		i = j
	}
	return best
}

// orderedSetOverErr is PostgreSQL's error for an ordered-set aggregate
// called with OVER, or nil.
func (b *binder) orderedSetOverErr(name string, f *pg_query.FuncCall) error {
	if f.AggWithinGroup {
		return b.errAt(sqlerr.Unsupported("OVER is not supported for ordered-set aggregate %s", name), f.Location)
	}
	return nil
}

// hypotheticalAggNames are the hypothetical-set aggregates: rank(args)
// WITHIN GROUP (ORDER BY keys) and the like give the rank the row of args
// would have among the group's rows.
var hypotheticalAggNames = map[string]bool{"rank": true, "dense_rank": true, "percent_rank": true, "cume_dist": true}

// isHypotheticalCall reports whether a call is a hypothetical-set
// aggregate (bound by bindAggregate, not as a window function).
func isHypotheticalCall(name string, f *pg_query.FuncCall) bool {
	return f.AggWithinGroup && f.Over == nil && hypotheticalAggNames[name]
}

// bindHypothetical binds a hypothetical-set aggregate whose direct
// arguments and WITHIN GROUP keys are bound.
func (b *binder) bindHypothetical(name string, f *pg_query.FuncCall, call *aggCall, direct []expr, order []aggOrder, written string) (expr, error) {
	if len(direct) != len(order) {
		return nil, b.errAt(sqlerr.UndefinedFunctionErr("function %s(%s) does not exist", name, written).
			WithHint("To use the hypothetical-set aggregate %s, the number of hypothetical direct arguments (here %d) must match the number of ordering columns (here %d).", name, len(direct), len(order)), f.Location)
	}
	for i := range direct {
		t, err := b.commonType([]expr{direct[i], order[i].e}, "WITHIN GROUP", f.Location)
		if err != nil {
			return nil, err
		}
		if t.Kind == types.Unknown {
			t = types.TText
		}
		if direct[i], err = b.coerce(direct[i], t, types.CastImplicit); err != nil {
			return nil, b.coerceErr(err, exprLocation(f.Args[i]))
		}
		if order[i].e, err = b.coerce(order[i].e, t, types.CastImplicit); err != nil {
			return nil, err
		}
	}
	var pre []types.Value
	allConst := true
	for _, d := range direct {
		if !readsNoColumn(d) {
			allConst = false
		}
	}
	if allConst {
		for _, d := range direct {
			v, err := d.eval(&evalCtx{env: b.ident.env}, nil)
			if err != nil {
				pre = nil
				break
			}
			pre = append(pre, v)
		}
	}
	nd := len(direct)
	call.t = types.TInt8
	if name == "percent_rank" || name == "cume_dist" {
		call.t = types.TFloat8
	}
	ext := &aggExt{}
	ext.final = func(rows [][]types.Value) (types.Value, error) {
		hyp := pre
		if len(rows) > 0 {
			hyp = rows[0][:nd]
		}
		var before, peers int64
		distinct := map[string]bool{}
		for _, r := range rows {
			c := 0
			for i, o := range order {
				c = compareSortValues(r[nd+i], hyp[i], o.desc, o.nullsFirst)
				if c != 0 {
					break
				}
			}
			switch {
			case c < 0:
				before++
				distinct[rowKey(r[nd:])] = true
			case c == 0:
				peers++
			}
		}
		n := int64(len(rows))
		switch name {
		case "rank":
			return types.NewInt(types.Int8, before+1), nil
		case "dense_rank":
			return types.NewInt(types.Int8, int64(len(distinct))+1), nil
		case "percent_rank":
			if n == 0 {
				return types.NewFloat(types.Float8, 0), nil
			}
			return types.NewFloat(types.Float8, float64(before)/float64(n)), nil
		}
		return types.NewFloat(types.Float8, float64(before+peers+1)/float64(n+1)), nil
	}
	for _, o := range order {
		direct = append(direct, o.e)
	}
	ext.args = direct
	call.ext = ext
	b.aggs = append(b.aggs, call)
	return &aggRef{idx: len(b.aggs) - 1, t: call.t}, nil
}

// compareSortValues orders two values as a sort key with the given
// direction and NULL placement does.
func compareSortValues(a, b types.Value, desc, nullsFirst bool) int {
	switch {
	case a.IsNull() && b.IsNull():
		return 0
	case a.IsNull():
		if nullsFirst {
			return -1
		}
		return 1
	case b.IsNull():
		if nullsFirst {
			return 1
		}
		return -1
	}
	c := types.Compare(a, b)
	if desc {
		c = -c
	}
	return c
}
