package planner

// Binding of window functions: calls with an OVER clause in a SELECT's
// select list and ORDER BY, the WINDOW clause's named windows and their
// refinement, frame clauses, and PostgreSQL's errors for window calls
// where they are not allowed.

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// SQLSTATEs of window errors.
const (
	codeWindowing          = "42P20"
	codeInvalidFrameOffset = "22013"
	codeInvalidNtile       = "22014"
	codeInvalidNthValue    = "22016"
	codeNullNotAllowed     = "22004"
	codeNotVarFree         = "42P10"
)

// Frame option bits of a parsed window definition (PostgreSQL's
// FRAMEOPTION_* values, as the parser reports them).
const (
	frameNonDefault     = 0x00001
	frameRange          = 0x00002
	frameRows           = 0x00004
	frameGroups         = 0x00008
	frameStartUnbPrec   = 0x00020
	frameEndUnbFoll     = 0x00100
	frameStartCurrent   = 0x00200
	frameEndCurrent     = 0x00400
	frameStartOffPrec   = 0x00800
	frameEndOffPrec     = 0x01000
	frameStartOffFoll   = 0x02000
	frameEndOffFoll     = 0x04000
	frameExcludeCurrent = 0x08000
	frameExcludeGroup   = 0x10000
	frameExcludeTies    = 0x20000
	frameStartOffset    = frameStartOffPrec | frameStartOffFoll
	frameEndOffset      = frameEndOffPrec | frameEndOffFoll
)

// windowOnlyFuncs are the window functions that are not aggregates.
var windowOnlyFuncs = map[string]bool{
	"row_number": true, "rank": true, "dense_rank": true, "percent_rank": true, "cume_dist": true,
	"ntile": true, "lag": true, "lead": true, "first_value": true, "last_value": true, "nth_value": true,
}

// winScope is the window state of the query level being bound.
type winScope struct {
	sc *scope
	// defs is the WINDOW clause.
	defs []*pg_query.Node
	// allowed is set while binding the select list and ORDER BY.
	allowed bool
	// nested is set while binding a window function's arguments, inDef
	// while binding a window's PARTITION BY and ORDER BY.
	nested, inDef bool
	// aggArgs lets the next aggregate's argument contain aggregates (a
	// window aggregate over grouped rows: sum(sum(x)) OVER ()).
	aggArgs bool
	plan    *windowPlan
	// clause holds the WINDOW clause's definitions, bound (used or not:
	// their columns count for grouping as in PostgreSQL).
	clause []*winSpec
}

// beginWindows opens the window scope of a SELECT whose query scope is
// b.sc; the returned function restores the enclosing one.
func (b *binder) beginWindows(s *pg_query.SelectStmt) func() {
	saved := b.win
	b.win = &winScope{sc: b.sc, defs: s.WindowClause, plan: &windowPlan{}}
	return func() { b.win = saved }
}

// allowWindows marks where window calls may appear at the current level.
func (b *binder) allowWindows(on bool) {
	if b.win != nil {
		b.win.allowed = on
	}
}

// takeWindowAggArgs reports, once, whether the aggregate being bound is a
// window aggregate whose argument may contain aggregates.
func (b *binder) takeWindowAggArgs() bool {
	if b.win == nil || !b.win.aggArgs {
		return false
	}
	b.win.aggArgs = false
	return true
}

// isWindowCall reports whether a function call is bound by
// bindWindowFunc: a call with OVER, or a window-only function without it
// (an error).
func isWindowCall(name string, f *pg_query.FuncCall) bool {
	return f.Over != nil || windowOnlyFuncs[name]
}

// windowContextErr returns the error for a window call where none is
// allowed, or nil.
func (b *binder) windowContextErr(loc int32) error {
	ws := b.win
	switch {
	case !b.aggAllowed && b.aggContext == "":
		return b.errAt(sqlerr.New(sqlerr.GroupingError, "aggregate function calls cannot contain window function calls"), loc)
	case !b.aggAllowed:
		return b.errAt(sqlerr.New(codeWindowing, "window functions are not allowed in %s", b.aggContext), loc)
	case ws != nil && ws.nested:
		return b.errAt(sqlerr.New(codeWindowing, "window function calls cannot be nested"), loc)
	case ws != nil && ws.inDef:
		return b.errAt(sqlerr.New(codeWindowing, "window functions are not allowed in window definitions"), loc)
	case ws == nil || ws.sc != b.sc:
		return b.errAt(sqlerr.Unsupported("window functions are not supported here"), loc)
	case !ws.allowed:
		return b.errAt(sqlerr.New(codeWindowing, "window functions are not allowed in HAVING"), loc)
	}
	return nil
}

// bindWindowFunc binds a window function call, returning a reference to
// its result in the window node's output.
func (b *binder) bindWindowFunc(name string, f *pg_query.FuncCall) (expr, error) {
	if f.Over == nil {
		return nil, b.errAt(sqlerr.New(sqlerr.WrongObjectType, "window function %s requires an OVER clause", name), f.Location)
	}
	if err := b.windowContextErr(f.Location); err != nil {
		return nil, err
	}
	ws := b.win
	if err := b.orderedSetOverErr(name, f); err != nil {
		return nil, err
	}
	switch {
	case f.AggDistinct:
		return nil, b.errAt(sqlerr.Unsupported("DISTINCT is not implemented for window functions"), f.Location)
	case len(f.AggOrder) > 0:
		return nil, b.errAt(sqlerr.Unsupported("aggregate ORDER BY is not implemented for window functions"), f.Location)
	case f.AggFilter != nil && !aggregateNames[name] && !moreAggNames[name]:
		if windowOnlyFuncs[name] {
			return nil, b.errAt(sqlerr.Unsupported("FILTER is not implemented for non-aggregate window functions"), f.Location)
		}
	}
	call := &winCall{name: name}
	savedAllowed, savedCtx, savedNested := b.aggAllowed, b.aggContext, ws.nested
	b.aggAllowed, b.aggContext, ws.nested = true, "", true
	var err error
	switch {
	case aggregateNames[name] || moreAggNames[name]:
		ws.aggArgs = true
		n := len(b.aggs)
		_, err = b.bindAggregate(name, f)
		ws.aggArgs = false
		if err == nil && len(b.aggs) > n {
			call.agg = b.aggs[len(b.aggs)-1]
			b.aggs = b.aggs[:len(b.aggs)-1]
			call.t = call.agg.t
		}
	case windowOnlyFuncs[name]:
		err = b.bindWindowArgs(call, f)
	default:
		args := make([]expr, len(f.Args))
		for i, a := range f.Args {
			if args[i], err = b.bindExpr(a); err != nil {
				break
			}
		}
		if err == nil {
			if _, err = b.builtin(name, args); err == nil {
				err = sqlerr.New(sqlerr.WrongObjectType, "OVER specified, but %s is not a window function nor an aggregate function", name)
			}
			err = b.errAt(err, f.Location)
		}
	}
	b.aggAllowed, b.aggContext, ws.nested = savedAllowed, savedCtx, savedNested
	if err != nil {
		return nil, err
	}
	if call.spec, err = b.bindOver(f.Over); err != nil {
		return nil, err
	}
	w := ws.plan
	w.calls = append(w.calls, call)
	return &winRef{w: w, idx: len(w.calls) - 1, t: call.t, loc: f.Location}, nil
}

// bindWindowArgs binds and type-checks the arguments of a window-only
// function.
func (b *binder) bindWindowArgs(call *winCall, f *pg_query.FuncCall) error {
	name := call.name
	if f.AggStar {
		return b.errAt(sqlerr.Syntax("%s(*) must be used to call a parameterless aggregate function", name), f.Location)
	}
	args := make([]expr, len(f.Args))
	for i, a := range f.Args {
		var err error
		if args[i], err = b.bindExpr(a); err != nil {
			return err
		}
	}
	undefined := func() error {
		return b.errAt(sqlerr.UndefinedFunctionErr("function %s(%s) does not exist", name, argTypes(args)), f.Location)
	}
	// toInt4 coerces an integer-valued argument as the function's int4
	// parameter accepts it.
	toInt4 := func(i int) error {
		k := args[i].typ().Kind
		if k != types.Unknown && k != types.Int2 && k != types.Int4 {
			return undefined()
		}
		e, err := b.coerce(args[i], types.TInt4, types.CastImplicit)
		if err != nil {
			return b.coerceErr(err, exprLocation(f.Args[i]))
		}
		args[i] = e
		return nil
	}
	// anyValue checks a polymorphic (anyelement) value argument.
	anyValue := func(i int) error {
		if args[i].typ().Kind == types.Unknown {
			return sqlerr.New(sqlerr.DatatypeMismatch, "could not determine polymorphic type because input has type unknown")
		}
		return nil
	}
	switch name {
	case "row_number", "rank", "dense_rank", "percent_rank", "cume_dist":
		if len(args) > 0 {
			if name == "row_number" {
				return undefined()
			}
			return b.errAt(sqlerr.New(sqlerr.WrongObjectType, "WITHIN GROUP is required for ordered-set aggregate %s", name), f.Location)
		}
		call.t = types.TInt8
		if name == "percent_rank" || name == "cume_dist" {
			call.t = types.TFloat8
		}
	case "ntile":
		if len(args) != 1 {
			return undefined()
		}
		if err := toInt4(0); err != nil {
			return err
		}
		call.t = types.TInt4
	case "lag", "lead":
		if len(args) < 1 || len(args) > 3 {
			return undefined()
		}
		if len(args) >= 2 {
			if err := toInt4(1); err != nil {
				return err
			}
		}
		if len(args) == 3 {
			// lag(anycompatible, integer, anycompatible).
			t, err := b.commonType([]expr{args[0], args[2]}, "", f.Location)
			if err != nil {
				return undefined()
			}
			for _, i := range []int{0, 2} {
				e, err := b.coerce(args[i], t, types.CastImplicit)
				if err != nil {
					if sqlerr.Code(err) == sqlerr.CannotCoerce || sqlerr.Code(err) == sqlerr.DatatypeMismatch {
						return undefined()
					}
					return b.errAt(err, exprLocation(f.Args[i]))
				}
				args[i] = e
			}
		} else if err := anyValue(0); err != nil {
			return err
		}
		call.t = types.T{Kind: args[0].typ().Kind, Mod: args[0].typ().Mod}
	case "first_value", "last_value":
		if len(args) != 1 {
			return undefined()
		}
		if err := anyValue(0); err != nil {
			return err
		}
		call.t = args[0].typ()
	case "nth_value":
		if len(args) != 2 {
			return undefined()
		}
		if err := anyValue(0); err != nil {
			return err
		}
		if err := toInt4(1); err != nil {
			return err
		}
		call.t = args[0].typ()
	}
	call.args = args
	return nil
}

// expandWindow resolves references to named windows: the result is a
// definition without a name to look up. clauseIdx is the position of def
// in the WINDOW clause, or -1 for an OVER clause.
func (b *binder) expandWindow(def *pg_query.WindowDef, clauseIdx int) (*pg_query.WindowDef, error) {
	ws := b.win
	if clauseIdx < 0 && def.Name != "" {
		// OVER name.
		for i, d := range ws.defs {
			if wd := d.GetWindowDef(); wd != nil && wd.Name == def.Name {
				return b.expandWindow(wd, i)
			}
		}
		return nil, b.errAt(sqlerr.New(sqlerr.UndefinedObject, "window %q does not exist", def.Name), def.Location)
	}
	if def.Refname == "" {
		return def, nil
	}
	n := clauseIdx
	if n < 0 {
		n = len(ws.defs)
	}
	var ref *pg_query.WindowDef
	refIdx := -1
	for i, d := range ws.defs {
		if i >= n {
			break
		}
		if wd := d.GetWindowDef(); wd != nil && wd.Name == def.Refname {
			ref, refIdx = wd, i
			break
		}
	}
	if ref == nil {
		return nil, b.errAt(sqlerr.New(sqlerr.UndefinedObject, "window %q does not exist", def.Refname), def.Location)
	}
	rx, err := b.expandWindow(ref, refIdx)
	if err != nil {
		return nil, err
	}
	switch {
	case len(def.PartitionClause) > 0:
		return nil, b.errAt(sqlerr.New(codeWindowing, "cannot override PARTITION BY clause of window %q", def.Refname), def.Location)
	case len(def.OrderClause) > 0 && len(rx.OrderClause) > 0:
		return nil, b.errAt(sqlerr.New(codeWindowing, "cannot override ORDER BY clause of window %q", def.Refname), def.Location)
	case rx.FrameOptions&frameNonDefault != 0:
		e := sqlerr.New(codeWindowing, "cannot copy window %q because it has a frame clause", def.Refname)
		if clauseIdx < 0 && len(def.OrderClause) == 0 && def.FrameOptions&frameNonDefault == 0 {
			e = e.WithHint("Omit the parentheses in this OVER clause.")
		}
		return nil, b.errAt(e, def.Location)
	}
	out := &pg_query.WindowDef{
		PartitionClause: rx.PartitionClause,
		OrderClause:     rx.OrderClause,
		FrameOptions:    def.FrameOptions,
		StartOffset:     def.StartOffset,
		EndOffset:       def.EndOffset,
		Location:        def.Location,
	}
	if len(def.OrderClause) > 0 {
		out.OrderClause = def.OrderClause
	}
	return out, nil
}

// bindOver binds an OVER clause to one of the plan's window specs (equal
// specs are shared) and returns its index.
func (b *binder) bindOver(def *pg_query.WindowDef) (int, error) {
	x, err := b.expandWindow(def, -1)
	if err != nil {
		return 0, err
	}
	spec, err := b.bindWindowDef(x)
	if err != nil {
		return 0, err
	}
	w := b.win.plan
	key := spec.String()
	for i, s := range w.specs {
		if s.String() == key {
			return i, nil
		}
	}
	w.specs = append(w.specs, spec)
	return len(w.specs) - 1, nil
}

// bindWindowDef binds an expanded window definition.
func (b *binder) bindWindowDef(def *pg_query.WindowDef) (*winSpec, error) {
	ws := b.win
	savedAllowed, savedCtx, savedDef := b.aggAllowed, b.aggContext, ws.inDef
	b.aggAllowed, b.aggContext, ws.inDef = true, "", true
	defer func() { b.aggAllowed, b.aggContext, ws.inDef = savedAllowed, savedCtx, savedDef }()
	spec := &winSpec{}
	for _, n := range def.PartitionClause {
		e, err := b.bindWindowKey(n)
		if err != nil {
			return nil, err
		}
		spec.partition = append(spec.partition, e)
	}
	for _, n := range def.OrderClause {
		sb := n.GetSortBy()
		if sb == nil {
			return nil, sqlerr.Syntax("malformed window ORDER BY")
		}
		if sb.SortbyDir == pg_query.SortByDir_SORTBY_USING {
			return nil, b.errAt(sqlerr.Unsupported("ORDER BY ... USING is not supported yet"), sb.Location)
		}
		key := sortKey{desc: sb.SortbyDir == pg_query.SortByDir_SORTBY_DESC}
		key.nullsFirst = key.desc
		switch sb.SortbyNulls {
		case pg_query.SortByNulls_SORTBY_NULLS_FIRST:
			key.nullsFirst = true
		case pg_query.SortByNulls_SORTBY_NULLS_LAST:
			key.nullsFirst = false
		}
		e, err := b.bindWindowKey(sb.Node)
		if err != nil {
			return nil, err
		}
		key.idx = len(spec.order)
		spec.order = append(spec.order, e)
		spec.keys = append(spec.keys, key)
	}
	if err := b.bindFrame(def, spec); err != nil {
		return nil, err
	}
	return spec, nil
}

// bindWindowKey binds a PARTITION BY or window ORDER BY expression.
func (b *binder) bindWindowKey(n *pg_query.Node) (expr, error) {
	e, err := b.bindExpr(n)
	if err != nil {
		return nil, err
	}
	if e.typ().Kind == types.Unknown {
		if e, err = b.coerce(e, types.TText, types.CastImplicit); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// bindFrame decodes and checks a window's frame clause.
func (b *binder) bindFrame(def *pg_query.WindowDef, spec *winSpec) error {
	opts := def.FrameOptions
	if opts&frameNonDefault == 0 {
		opts = frameRange | frameStartUnbPrec | frameEndCurrent
	}
	f := &spec.frame
	switch {
	case opts&frameRows != 0:
		f.mode = frameModeRows
	case opts&frameGroups != 0:
		f.mode = frameModeGroups
	default:
		f.mode = frameModeRange
	}
	switch {
	case opts&frameStartUnbPrec != 0:
		f.start.kind = boundUnbounded
	case opts&frameStartCurrent != 0:
		f.start.kind = boundCurrent
	case opts&frameStartOffPrec != 0:
		f.start.kind = boundPreceding
	case opts&frameStartOffFoll != 0:
		f.start.kind = boundFollowing
	}
	switch {
	case opts&frameEndUnbFoll != 0:
		f.end.kind = boundUnbounded
	case opts&frameEndCurrent != 0:
		f.end.kind = boundCurrent
	case opts&frameEndOffPrec != 0:
		f.end.kind = boundPreceding
	case opts&frameEndOffFoll != 0:
		f.end.kind = boundFollowing
	}
	switch {
	case opts&frameExcludeCurrent != 0:
		f.exclude = excludeCurrent
	case opts&frameExcludeGroup != 0:
		f.exclude = excludeGroup
	case opts&frameExcludeTies != 0:
		f.exclude = excludeTies
	}
	if f.mode == frameModeRange && opts&(frameStartOffset|frameEndOffset) != 0 && len(spec.order) != 1 {
		return b.errAt(sqlerr.New(codeWindowing, "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column"), def.Location)
	}
	if f.mode == frameModeGroups && len(spec.order) == 0 {
		return b.errAt(sqlerr.New(codeWindowing, "GROUPS mode requires an ORDER BY clause"), def.Location)
	}
	var err error
	if f.start.kind == boundPreceding || f.start.kind == boundFollowing {
		if f.start.offset, err = b.bindFrameOffset(def.StartOffset, f.mode, spec); err != nil {
			return err
		}
	}
	if f.end.kind == boundPreceding || f.end.kind == boundFollowing {
		if f.end.offset, err = b.bindFrameOffset(def.EndOffset, f.mode, spec); err != nil {
			return err
		}
	}
	return nil
}

// bindFrameOffset binds a frame's n PRECEDING/FOLLOWING: a bigint for
// ROWS and GROUPS; for RANGE, a value of the type PostgreSQL's in_range
// support takes for the ORDER BY column's type.
func (b *binder) bindFrameOffset(n *pg_query.Node, mode frameMode, spec *winSpec) (expr, error) {
	modeName := [...]string{frameModeRange: "RANGE", frameModeRows: "ROWS", frameModeGroups: "GROUPS"}[mode]
	loc := exprLocation(n)
	saved := b.win.inDef
	b.win.inDef = true
	e, err := b.bindExpr(n)
	b.win.inDef = saved
	if err != nil {
		return nil, err
	}
	if !isConst(e) {
		return nil, b.errAt(sqlerr.New(codeNotVarFree, "argument of %s must not contain variables", modeName), loc)
	}
	if mode != frameModeRange {
		k := e.typ().Kind
		if k != types.Unknown && !types.CanCast(k, types.Int8, types.CastImplicit) {
			return nil, b.errAt(sqlerr.DatatypeMismatchErr("argument of %s must be type bigint, not type %s", modeName, e.typ()), loc)
		}
		out, err := b.coerce(e, types.TInt8, types.CastImplicit)
		if err != nil {
			return nil, b.coerceErr(err, loc)
		}
		return out, nil
	}
	ot := spec.order[0].typ()
	k := e.typ().Kind
	var want types.T
	ok := true
	switch ot.Kind {
	case types.Int2, types.Int4, types.Int8:
		switch k {
		case types.Unknown:
			want = types.T{Kind: ot.Kind, Mod: -1}
		case types.Int2, types.Int4, types.Int8:
			want = types.T{Kind: k, Mod: -1}
		default:
			ok = false
		}
	case types.Numeric:
		want, ok = types.TNumeric, k == types.Unknown || (k >= types.Int2 && k <= types.Numeric)
	case types.Float4, types.Float8:
		want, ok = types.TFloat8, k == types.Unknown || k.IsNumeric()
	case types.Date, types.Time, types.Timestamp, types.TimestampTZ, types.Interval:
		want, ok = types.TInterval, k == types.Unknown || k == types.Interval
	default:
		return nil, b.errAt(sqlerr.Unsupported("RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s", ot), loc)
	}
	if !ok {
		return nil, b.errAt(sqlerr.Unsupported("RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s and offset type %s", ot, e.typ()).
			WithHint("Cast the offset value to an appropriate type."), loc)
	}
	out, err := b.coerce(e, want, types.CastImplicit)
	if err != nil {
		return nil, b.coerceErr(err, loc)
	}
	return out, nil
}

// bindWindowClause ends the part of the query where window calls may
// appear and binds the WINDOW clause: names are unique, references
// resolve, and every definition binds, used or not (aggregates in it
// make the query aggregate).
func (b *binder) bindWindowClause() error {
	ws := b.win
	if ws == nil {
		return nil
	}
	ws.allowed = false
	for i, d := range ws.defs {
		wd := d.GetWindowDef()
		if wd == nil {
			continue
		}
		for j := 0; j < i; j++ {
			if o := ws.defs[j].GetWindowDef(); o != nil && o.Name == wd.Name {
				return b.errAt(sqlerr.New(codeWindowing, "window %q is already defined", wd.Name), wd.Location)
			}
		}
		x, err := b.expandWindow(wd, i)
		if err != nil {
			return err
		}
		spec, err := b.bindWindowDef(x)
		if err != nil {
			return err
		}
		ws.clause = append(ws.clause, spec)
	}
	return nil
}

// finishWindows rewrites the window specs and calls over grouped rows
// when the query aggregates, and returns the window node of the query
// (nil without window calls).
func (b *binder) finishWindows(s *pg_query.SelectStmt, p *selectPlan) (*windowPlan, error) {
	ws := b.win
	if ws == nil {
		return nil, nil
	}
	if p.grouped {
		// The WINDOW clause's columns must be grouped, used or not.
		for _, sp := range ws.clause {
			for _, e := range append(append([]expr(nil), sp.partition...), sp.order...) {
				if _, err := b.rewriteGrouped(e, p.groups); err != nil {
					return nil, err
				}
			}
		}
	}
	w := ws.plan
	if len(w.calls) == 0 {
		return nil, nil
	}
	if len(s.LockingClause) > 0 {
		if lc := s.LockingClause[0].GetLockingClause(); lc != nil {
			return nil, sqlerr.Unsupported("%s is not allowed with window functions", lockingName(lc))
		}
	}
	if p.grouped {
		rw := func(e expr) (expr, error) { return b.rewriteGrouped(e, p.groups) }
		for _, sp := range w.specs {
			for i, e := range sp.partition {
				var err error
				if sp.partition[i], err = rw(e); err != nil {
					return nil, err
				}
			}
			for i, e := range sp.order {
				var err error
				if sp.order[i], err = rw(e); err != nil {
					return nil, err
				}
			}
		}
		for _, c := range w.calls {
			for i, e := range c.args {
				var err error
				if c.args[i], err = rw(e); err != nil {
					return nil, err
				}
			}
			if c.agg != nil {
				a := *c.agg
				var err error
				if a.arg, err = rw(a.arg); err != nil {
					return nil, err
				}
				if a.filter, err = rw(a.filter); err != nil {
					return nil, err
				}
				c.agg = &a
			}
		}
	}
	w.evalOrder = b.windowEvalOrder(p, w)
	return w, nil
}

// windowEvalOrder orders the specs as PostgreSQL's planner stacks its
// WindowAgg nodes (which decides the order of peers and of the output):
// by their sort clauses compared item by item, each item by the number
// of its expression in the query's sort/group references (ORDER BY
// first, then GROUP BY, then the windows'), higher first, then
// descending before ascending and NULLS FIRST before LAST; a list that
// extends another comes first.
func (b *binder) windowEvalOrder(p *selectPlan, w *windowPlan) []int {
	refs := map[string]int{}
	ref := func(s string) int {
		if r, ok := refs[s]; ok {
			return r
		}
		refs[s] = len(refs) + 1
		return len(refs)
	}
	for _, k := range p.sort {
		if k.idx < len(p.outputs) {
			ref(p.outputs[k.idx].String())
		}
	}
	for _, g := range p.groups {
		if p.grouped {
			if rg, err := b.rewriteGrouped(g, p.groups); err == nil {
				ref(rg.String())
				continue
			}
		}
		ref(g.String())
	}
	type item struct {
		ref              int
		desc, nullsFirst bool
	}
	lists := make([][]item, len(w.specs))
	for i, s := range w.specs {
		for _, e := range s.partition {
			lists[i] = append(lists[i], item{ref: ref(e.String())})
		}
		for j, e := range s.order {
			lists[i] = append(lists[i], item{ref: ref(e.String()), desc: s.keys[j].desc, nullsFirst: s.keys[j].nullsFirst})
		}
	}
	cmp := func(a, b []item) int {
		for i := 0; i < len(a) && i < len(b); i++ {
			x, y := a[i], b[i]
			switch {
			case x.ref != y.ref:
				if x.ref > y.ref {
					return -1
				}
				return 1
			case x.desc != y.desc:
				if x.desc {
					return -1
				}
				return 1
			case x.nullsFirst != y.nullsFirst:
				if x.nullsFirst {
					return -1
				}
				return 1
			}
		}
		return len(b) - len(a)
	}
	order := make([]int, len(w.specs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return cmp(lists[order[i]], lists[order[j]]) < 0 })
	return order
}

// winRef is a window function's result: the window node appends its
// calls' results to each row it passes on.
type winRef struct {
	w   *windowPlan
	idx int
	t   types.T
	loc int32 // the call's location, for errors
}

func (e *winRef) typ() types.T { return e.t }
func (e *winRef) eval(_ *evalCtx, row []types.Value) (types.Value, error) {
	i := len(row) - len(e.w.calls) + e.idx
	if i < 0 || i >= len(row) {
		return types.Null, fmt.Errorf("window function %d evaluated outside its window", e.idx)
	}
	return row[i], nil
}

// String renders the call as PostgreSQL's EXPLAIN does ("f(args) OVER
// (?)"), with the spec's number after '#' so that equal calls over equal
// windows match (ORDER BY and DISTINCT ON find them in the select list).
func (e *winRef) String() string {
	if e.idx >= len(e.w.calls) {
		return fmt.Sprintf("win#%d", e.idx)
	}
	c := e.w.calls[e.idx]
	var sb strings.Builder
	sb.WriteString(c.name + "(")
	switch {
	case c.agg != nil && c.agg.arg == nil:
		sb.WriteString("*")
	case c.agg != nil:
		sb.WriteString(c.agg.arg.String())
	default:
		for i, a := range c.args {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(a.String())
		}
	}
	sb.WriteString(")")
	if c.agg != nil && c.agg.filter != nil {
		sb.WriteString(" FILTER (WHERE " + c.agg.filter.String() + ")")
	}
	fmt.Fprintf(&sb, " OVER (?)#%d", c.spec)
	return sb.String()
}

// String renders a window spec, for sharing equal specs and for EXPLAIN.
func (s *winSpec) String() string {
	var sb strings.Builder
	sb.WriteString("PARTITION BY ")
	for i, e := range s.partition {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(e.String())
	}
	sb.WriteString(" ORDER BY ")
	for i, e := range s.order {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "%s %v %v", e.String(), s.keys[i].desc, s.keys[i].nullsFirst)
	}
	f := s.frame
	fmt.Fprintf(&sb, " FRAME %d %d %d %d", f.mode, f.start.kind, f.end.kind, f.exclude)
	if f.start.offset != nil {
		sb.WriteString(" " + f.start.offset.String())
	}
	if f.end.offset != nil {
		sb.WriteString(" " + f.end.offset.String())
	}
	return sb.String()
}

// isFrameGrammarError reports whether a parse error is one of the
// grammar's frame clause checks, which PostgreSQL reports as 42P20.
func isFrameGrammarError(msg string) bool {
	switch msg {
	case "frame start cannot be UNBOUNDED FOLLOWING",
		"frame end cannot be UNBOUNDED PRECEDING",
		"frame starting from current row cannot have preceding rows",
		"frame starting from following row cannot have preceding rows",
		"frame starting from following row cannot end with current row":
		return true
	}
	return false
}

// checkGroupWindows refuses GROUP BY items that name select-list entries
// holding window calls (GROUP BY 1, GROUP BY alias).
func (b *binder) checkGroupWindows(groups []expr) error {
	for _, g := range groups {
		var found *winRef
		_, _ = rewriteExpr(g, func(x expr) (expr, bool, error) {
			if w, ok := x.(*winRef); ok && found == nil {
				found = w
			}
			return nil, false, nil
		})
		if found != nil {
			return b.errAt(sqlerr.New(codeWindowing, "window functions are not allowed in GROUP BY"), found.loc)
		}
	}
	return nil
}
