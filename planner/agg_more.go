package planner

// More aggregates: string_agg, array_agg, json_agg, jsonb_agg, bool_and,
// bool_or and every, with DISTINCT, FILTER and ORDER BY inside the call
// (string_agg(x, ',' ORDER BY y DESC)). Their input rows are kept per
// group, then sorted and folded when the group is done.

import (
	"sort"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// moreAggNames are the aggregates of this file.
var moreAggNames = map[string]bool{
	"string_agg": true, "array_agg": true, "json_agg": true, "jsonb_agg": true,
	"bool_and": true, "bool_or": true, "every": true,
}

// aggExt is the part of an aggCall of this file's aggregates.
type aggExt struct {
	args  []expr
	order []aggOrder
	// final folds the kept rows (arguments, then order keys), sorted.
	final func(rows [][]types.Value) (types.Value, error)
	// grouping is set for grouping(...) (grouping_sets.go), whose result
	// the grouper computes from the row's grouping set.
	grouping *groupingCall
	// newAcc, when set, makes a streaming accumulator used instead of
	// keeping the rows when the call has no ORDER BY (agg_stats.go).
	newAcc func() aggAcc
}

// aggAcc is a streaming accumulator of an aggregate: it takes the
// evaluated arguments of each input row.
type aggAcc interface {
	add(args []types.Value) error
	result() (types.Value, error)
}

// streams reports whether the call accumulates without keeping rows: it
// has an accumulator, and neither ORDER BY nor DISTINCT (which sorts).
func (s *aggState) streams() bool {
	return s.call.ext.newAcc != nil && len(s.call.ext.order) == 0 && s.seen == nil
}

// aggOrder is one ORDER BY key inside an aggregate call.
type aggOrder struct {
	e          expr
	desc       bool
	nullsFirst bool
}

// bindMoreAggregate binds a call of one of this file's aggregates (the
// caller has checked that aggregates are allowed).
func (b *binder) bindMoreAggregate(name string, f *pg_query.FuncCall) (expr, error) {
	if f.AggWithinGroup {
		return nil, b.errAt(sqlerr.New(sqlerr.WrongObjectType, "WITHIN GROUP is required for ordered-set aggregate %s", name), f.Location)
	}
	if f.AggStar {
		return nil, b.errAt(sqlerr.Syntax("%s(*) must be used to call a parameterless aggregate function", name), f.Location)
	}
	call := &aggCall{name: name, distinct: f.AggDistinct}
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
	args := make([]expr, len(f.Args))
	for i, a := range f.Args {
		e, err := b.bindExpr(a)
		if err != nil {
			return nil, err
		}
		args[i] = e
	}
	for _, n := range f.AggOrder {
		sb := n.GetSortBy()
		if sb == nil {
			return nil, sqlerr.Syntax("malformed ORDER BY")
		}
		e, err := b.bindExpr(sb.Node)
		if err != nil {
			return nil, err
		}
		if e.typ().Kind == types.Unknown {
			if e, err = b.coerce(e, types.TText, types.CastImplicit); err != nil {
				return nil, err
			}
		}
		o := aggOrder{e: e, desc: sb.SortbyDir == pg_query.SortByDir_SORTBY_DESC}
		o.nullsFirst = o.desc
		switch sb.SortbyNulls {
		case pg_query.SortByNulls_SORTBY_NULLS_FIRST:
			o.nullsFirst = true
		case pg_query.SortByNulls_SORTBY_NULLS_LAST:
			o.nullsFirst = false
		}
		if f.AggDistinct {
			found := false
			for _, a := range args {
				if a.String() == e.String() {
					found = true
				}
			}
			if !found {
				return nil, b.errAt(sqlerr.New(sqlerr.InvalidColumnReference, "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list"), exprLocation(sb.Node))
			}
		}
		ext.order = append(ext.order, o)
	}
	undefined := func() error {
		return b.errAt(sqlerr.UndefinedFunctionErr("function %s(%s) does not exist", name, argTypes(args)), f.Location)
	}
	var err error
	switch name {
	case "string_agg":
		// string_agg(text, text) or string_agg(bytea, bytea).
		if len(args) != 2 {
			return nil, undefined()
		}
		t := types.TText
		if args[0].typ().Kind == types.Bytea || args[1].typ().Kind == types.Bytea {
			t = types.TBytea
		}
		for i := range args {
			k := args[i].typ().Kind
			if !(k == types.Unknown || t.Kind == types.Text && isTextish(args[i]) || k == t.Kind) {
				return nil, undefined()
			}
			if args[i], err = b.coerce(args[i], t, types.CastImplicit); err != nil {
				return nil, err
			}
		}
		call.t = t
		ext.final = func(rows [][]types.Value) (types.Value, error) {
			var buf []byte
			any := false
			for _, r := range rows {
				if r[0].IsNull() {
					continue
				}
				if any && !r[1].IsNull() {
					buf = append(buf, r[1].Str()...)
				}
				any = true
				buf = append(buf, r[0].Str()...)
				if len(buf) > maxStringResult {
					return types.Null, tooLarge()
				}
			}
			if !any {
				return types.Null, nil
			}
			if t.Kind == types.Bytea {
				return types.NewBytea(buf), nil
			}
			return types.NewText(string(buf)), nil
		}
	case "array_agg":
		if len(args) != 1 {
			return nil, undefined()
		}
		if args[0].typ().Kind == types.Unknown {
			if args[0], err = b.coerce(args[0], types.TText, types.CastImplicit); err != nil {
				return nil, err
			}
		}
		et := args[0].typ()
		if et.Kind.IsArray() {
			return nil, b.errAt(sqlerr.Unsupported("array_agg of arrays is not supported yet"), f.Location)
		}
		call.t = types.ArrayType(types.T{Kind: et.Kind, Mod: -1})
		ext.final = func(rows [][]types.Value) (types.Value, error) {
			if len(rows) == 0 {
				return types.Null, nil
			}
			vals := make([]types.Value, len(rows))
			for i, r := range rows {
				vals[i] = r[0]
			}
			return types.NewArray(et.Kind, vals), nil
		}
	case "json_agg", "jsonb_agg":
		if len(args) != 1 {
			return nil, undefined()
		}
		if args[0].typ().Kind == types.Unknown {
			if args[0], err = b.coerce(args[0], types.TText, types.CastImplicit); err != nil {
				return nil, err
			}
		}
		build := types.JSONBBuildArray
		call.t = types.TJSONB
		if name == "json_agg" {
			build, call.t = types.JSONBuildArray, types.TJSON
		}
		env := b.ident.env
		ext.final = func(rows [][]types.Value) (types.Value, error) {
			if len(rows) == 0 {
				return types.Null, nil
			}
			vals := make([]types.Value, len(rows))
			for i, r := range rows {
				vals[i] = r[0]
			}
			return build(env, vals)
		}
	case "bool_and", "bool_or", "every":
		if len(args) != 1 {
			return nil, undefined()
		}
		k := args[0].typ().Kind
		if k != types.Bool && k != types.Unknown {
			return nil, undefined()
		}
		if args[0], err = b.coerce(args[0], types.TBool, types.CastImplicit); err != nil {
			return nil, err
		}
		call.t = types.TBool
		or := name == "bool_or"
		ext.final = func(rows [][]types.Value) (types.Value, error) {
			res := types.Null
			for _, r := range rows {
				if r[0].IsNull() {
					continue
				}
				if res.IsNull() {
					res = r[0]
					continue
				}
				if or {
					res = types.NewBool(res.Bool() || r[0].Bool())
				} else {
					res = types.NewBool(res.Bool() && r[0].Bool())
				}
			}
			return res, nil
		}
	default:
		if err := b.bindStatsAggregate(name, call, ext, args, undefined); err != nil {
			return nil, b.errAt(err, f.Location)
		}
	}
	ext.args = args
	call.ext = ext
	if len(args) > 0 {
		call.arg = args[0]
	}
	b.aggs = append(b.aggs, call)
	return &aggRef{idx: len(b.aggs) - 1, t: call.t}, nil
}

// addExt keeps one input row of an aggregate of this file.
func (s *aggState) addExt(ev *evalCtx, row []types.Value) error {
	ext := s.call.ext
	r := make([]types.Value, 0, len(ext.args)+len(ext.order))
	for _, a := range ext.args {
		v, err := a.eval(ev, row)
		if err != nil {
			return err
		}
		r = append(r, v)
	}
	if s.seen != nil {
		k := rowKey(r)
		if s.seen[k] {
			return nil
		}
		s.seen[k] = true
	}
	if s.streams() {
		if s.acc == nil {
			s.acc = ext.newAcc()
		}
		return s.acc.add(r)
	}
	for _, o := range ext.order {
		v, err := o.e.eval(ev, row)
		if err != nil {
			return err
		}
		r = append(r, v)
	}
	if err := s.kept.add(r); err != nil {
		return err
	}
	s.rows = append(s.rows, r)
	return nil
}

// resultExt sorts the kept rows and folds them.
func (s *aggState) resultExt() (types.Value, error) {
	ext := s.call.ext
	if s.streams() {
		if s.acc == nil {
			s.acc = ext.newAcc()
		}
		return s.acc.result()
	}
	if len(ext.order) == 0 && s.seen != nil {
		// DISTINCT without ORDER BY: PostgreSQL sorts the input by the
		// arguments to find the duplicates, and aggregates it in that
		// order.
		n := len(ext.args)
		sort.SliceStable(s.rows, func(i, j int) bool {
			for k := 0; k < n; k++ {
				if c := compareSortValues(s.rows[i][k], s.rows[j][k], false, false); c != 0 {
					return c < 0
				}
			}
			return false
		})
	}
	if len(ext.order) > 0 {
		n := len(ext.args)
		sort.SliceStable(s.rows, func(i, j int) bool {
			for k, o := range ext.order {
				a, b := s.rows[i][n+k], s.rows[j][n+k]
				var c int
				switch {
				case a.IsNull() && b.IsNull():
					c = 0
				case a.IsNull():
					c = 1
					if o.nullsFirst {
						c = -1
					}
				case b.IsNull():
					c = -1
					if o.nullsFirst {
						c = 1
					}
				default:
					c = types.Compare(a, b)
					if o.desc {
						c = -c
					}
				}
				if c != 0 {
					return c < 0
				}
			}
			return false
		})
	}
	return ext.final(s.rows)
}
