package planner

// Binding of set-returning functions (srf.go): their signatures and result
// columns, function calls in FROM (column aliases, WITH ORDINALITY, ROWS
// FROM, LATERAL references, scalar functions), and calls in a select
// list, which bindSelect collects per query level.

import (
	"strings"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// srfScope collects the set-returning calls of one select list.
type srfScope struct {
	calls []*srfCall
	// off refuses calls (while GROUP BY or HAVING of the level are bound);
	// ctx names the clause for the message.
	off bool
	ctx string
}

// srfNames are the set-returning functions.
var srfNames = map[string]bool{
	"generate_series": true, "generate_subscripts": true, "unnest": true,
	"jsonb_array_elements": true, "jsonb_array_elements_text": true,
	"json_array_elements": true, "json_array_elements_text": true,
	"jsonb_each": true, "jsonb_each_text": true, "json_each": true, "json_each_text": true,
	"jsonb_object_keys": true, "json_object_keys": true,
	"regexp_matches": true, "regexp_split_to_table": true, "string_to_table": true,
}

// bindSRF binds a call of a set-returning function; ok is false for
// another name.
func (b *binder) bindSRF(name string, args []expr) (c *srfCall, ok bool, err error) {
	if !srfNames[name] {
		return nil, false, nil
	}
	undefined := func() error {
		return sqlerr.UndefinedFunctionErr("function %s(%s) does not exist", name, argTypes(args))
	}
	col := func(n string, t types.T) []colInfo { return []colInfo{{name: n, t: t}} }
	coerceAll := func(ts ...types.T) ([]expr, error) {
		if len(args) != len(ts) {
			return nil, undefined()
		}
		out := make([]expr, len(args))
		for i, a := range args {
			k := a.typ().Kind
			if k != types.Unknown && k != ts[i].Kind && !types.CanCast(k, ts[i].Kind, types.CastImplicit) {
				return nil, undefined()
			}
			if ts[i].Kind == types.Text && !isTextish(a) {
				return nil, undefined()
			}
			e, err := b.coerce(a, ts[i], types.CastImplicit)
			if err != nil {
				return nil, err
			}
			out[i] = e
		}
		return out, nil
	}
	if name == expandArrayName {
		c, err := b.bindExpandArray(args)
		return c, true, err
	}
	c = &srfCall{name: name, strict: true}
	switch name {
	case "generate_series":
		if len(args) < 2 || len(args) > 3 {
			return nil, true, undefined()
		}
		dt, ts, num, i8 := false, false, false, false
		for i, a := range args {
			switch k := a.typ().Kind; {
			case k == types.Date || k == types.TimestampTZ:
				dt = true
			case k == types.Timestamp:
				ts = true
			case k == types.Interval && i == 2:
				dt = dt || !ts
			case k == types.Numeric:
				num = true
			case k == types.Int8:
				i8 = true
			case k == types.Int2 || k == types.Int4 || k == types.Unknown:
			default:
				return nil, true, undefined()
			}
		}
		if ts || dt {
			if len(args) != 3 {
				return nil, true, undefined()
			}
			t := types.TTimestampTZ
			if ts && !dt {
				t = types.TTimestamp
			}
			if ts && args[0].typ().Kind != types.Date && args[1].typ().Kind != types.Date {
				t = types.TTimestamp
				for _, a := range args[:2] {
					if a.typ().Kind == types.TimestampTZ {
						t = types.TTimestampTZ
					}
				}
			}
			if c.args, err = coerceAll(t, t, types.TInterval); err != nil {
				return nil, true, err
			}
			c.cols = col(name, t)
			c.open = func(ev *evalCtx, v []types.Value) (srfIter, error) {
				zero := types.NewInterval(0, 0, 0)
				cmp := types.Compare(v[2], zero)
				if cmp == 0 {
					return nil, stepZero()
				}
				env := ev.envOf()
				return stepper(v[0], v[1], func(x types.Value) (types.Value, error) {
					return types.EvalOperator(env, '+', x, v[2])
				}, cmp > 0), nil
			}
			return c, true, nil
		}
		t := types.TInt4
		i4 := false
		for _, a := range args {
			i4 = i4 || a.typ().Kind == types.Int4
		}
		if !num && !i8 && !i4 {
			for _, a := range args {
				if a.typ().Kind == types.Int2 {
					// int2 converts equally well to int4, int8 and numeric.
					return nil, true, sqlerr.New(sqlerr.AmbiguousFunction, "function %s(%s) is not unique", name, argTypes(args)).
						WithHint("Could not choose a best candidate function. You might need to add explicit type casts.")
				}
			}
		}
		switch {
		case num:
			t = types.TNumeric
		case i8:
			t = types.TInt8
		}
		ts3 := []types.T{t, t, t}[:len(args)]
		if c.args, err = coerceAll(ts3...); err != nil {
			return nil, true, err
		}
		c.cols = col(name, t)
		if t.Kind == types.Numeric {
			c.open = func(_ *evalCtx, v []types.Value) (srfIter, error) {
				step := types.NumericFromInt64(1)
				if len(v) == 3 {
					step = v[2]
				}
				for i, what := range []string{"start value", "stop value", "step size"} {
					if i >= len(v) {
						break
					}
					if s := numericSpecial(v[i]); s != "" {
						return nil, sqlerr.New(sqlerr.InvalidParameterValue, "%s cannot be %s", what, s)
					}
				}
				cmp := types.Compare(step, types.NumericFromInt64(0))
				if cmp == 0 {
					return nil, stepZero()
				}
				return stepper(v[0], v[1], func(x types.Value) (types.Value, error) {
					return types.Arith('+', x, step, types.Numeric)
				}, cmp > 0), nil
			}
			return c, true, nil
		}
		k := t.Kind
		c.open = func(_ *evalCtx, v []types.Value) (srfIter, error) {
			step := int64(1)
			if len(v) == 3 {
				step = v[2].Int()
			}
			if step == 0 {
				return nil, stepZero()
			}
			return seriesIter(k, v[0].Int(), v[1].Int(), step), nil
		}
		return c, true, nil
	case "generate_subscripts":
		// int2vector and oidvector subscripts start at 0, arrays' at 1.
		var lower int64 = 1
		if len(args) > 0 && args[0].typ().Kind.IsVector() {
			lower = 0
			t := types.T{Kind: args[0].typ().Kind.VectorArray(), Mod: -1}
			if args[0], err = b.coerce(args[0], t, types.CastImplicit); err != nil {
				return nil, true, err
			}
		}
		if len(args) < 2 || len(args) > 3 || !args[0].typ().Kind.IsArray() {
			return nil, true, undefined()
		}
		ts := []types.T{args[0].typ(), types.TInt4, types.TBool}[:len(args)]
		if c.args, err = coerceAll(ts...); err != nil {
			return nil, true, err
		}
		c.cols = col(name, types.TInt4)
		c.open = func(_ *evalCtx, v []types.Value) (srfIter, error) {
			n := int64(len(v[0].Elems()))
			if v[1].Int() != 1 || n == 0 {
				return nil, nil
			}
			if len(v) == 3 && v[2].Bool() {
				return seriesIter(types.Int4, lower+n-1, lower, -1), nil
			}
			return seriesIter(types.Int4, lower, lower+n-1, 1), nil
		}
		return c, true, nil
	case "unnest":
		if len(args) == 1 && args[0].typ().Kind.IsVector() {
			// int2vector and oidvector unnest as the arrays they cast
			// to (catalog queries unnest pg_index.indkey).
			t := types.T{Kind: args[0].typ().Kind.VectorArray(), Mod: -1}
			if args[0], err = b.coerce(args[0], t, types.CastImplicit); err != nil {
				return nil, true, err
			}
		}
		if len(args) != 1 || !args[0].typ().Kind.IsArray() {
			return nil, true, undefined()
		}
		c.args = args
		c.cols = col(name, args[0].typ().ElemType())
		c.open = func(_ *evalCtx, v []types.Value) (srfIter, error) { return column1(v[0].Elems()), nil }
		return c, true, nil
	case "jsonb_array_elements", "jsonb_array_elements_text", "json_array_elements", "json_array_elements_text",
		"jsonb_each", "jsonb_each_text", "json_each", "json_each_text", "jsonb_object_keys", "json_object_keys":
		jt := types.TJSONB
		if strings.HasPrefix(name, "json_") {
			jt = types.TJSON
		}
		if len(args) == 1 && args[0].typ().Kind != jt.Kind && args[0].typ().Kind != types.Unknown {
			return nil, true, undefined()
		}
		if c.args, err = coerceAll(jt); err != nil {
			return nil, true, err
		}
		asText := strings.HasSuffix(name, "_text")
		vt := jt
		if asText {
			vt = types.TText
		}
		switch {
		case strings.Contains(name, "array_elements"):
			c.cols = col("value", vt)
			c.open = func(_ *evalCtx, v []types.Value) (srfIter, error) {
				els, err := types.JSONBArrayElements(v[0], asText)
				if err != nil {
					return nil, err
				}
				return column1(els), nil
			}
		case strings.Contains(name, "each"):
			c.cols = []colInfo{{name: "key", t: types.TText}, {name: "value", t: vt}}
			c.open = func(_ *evalCtx, v []types.Value) (srfIter, error) {
				keys, vals, err := types.JSONBEach(v[0], asText)
				if err != nil {
					return nil, err
				}
				rows := make([][]types.Value, len(keys))
				for i := range keys {
					rows[i] = []types.Value{types.NewText(keys[i]), vals[i]}
				}
				return &sliceIter{rows: rows}, nil
			}
		default:
			c.cols = col(name, types.TText)
			c.open = func(_ *evalCtx, v []types.Value) (srfIter, error) {
				kind, err := types.JSONBTypeof(v[0])
				if err != nil {
					return nil, err
				}
				if kind != "object" {
					if kind != "array" {
						kind = "scalar"
					}
					return nil, sqlerr.New(sqlerr.InvalidParameterValue, "cannot call %s on %s", name, map[string]string{"array": "an array", "scalar": "a scalar"}[kind])
				}
				keys, _, err := types.JSONBEach(v[0], false)
				if err != nil {
					return nil, err
				}
				vals := make([]types.Value, len(keys))
				for i, k := range keys {
					vals[i] = types.NewText(k)
				}
				return column1(vals), nil
			}
		}
		return c, true, nil
	case "regexp_matches", "regexp_split_to_table":
		if len(args) < 2 || len(args) > 3 {
			return nil, true, undefined()
		}
		if c.args, err = coerceAll([]types.T{types.TText, types.TText, types.TText}[:len(args)]...); err != nil {
			return nil, true, err
		}
		flags := func(v []types.Value) string {
			if len(v) == 3 {
				return v[2].Str()
			}
			return ""
		}
		if name == "regexp_matches" {
			c.cols = col(name, types.ArrayType(types.TText))
			c.open = func(_ *evalCtx, v []types.Value) (srfIter, error) {
				ms, err := regexMatches(v[0].Str(), v[1].Str(), flags(v), name)
				if err != nil {
					return nil, err
				}
				return column1(ms), nil
			}
		} else {
			c.cols = col(name, types.TText)
			c.open = func(_ *evalCtx, v []types.Value) (srfIter, error) {
				parts, err := regexSplit(v[0].Str(), v[1].Str(), flags(v), "regexp_split_to_table")
				if err != nil {
					return nil, err
				}
				return column1(parts), nil
			}
		}
		return c, true, nil
	case "string_to_table":
		if len(args) < 2 || len(args) > 3 {
			return nil, true, undefined()
		}
		if c.args, err = coerceAll([]types.T{types.TText, types.TText, types.TText}[:len(args)]...); err != nil {
			return nil, true, err
		}
		c.strict = false
		c.cols = col(name, types.TText)
		c.open = func(_ *evalCtx, v []types.Value) (srfIter, error) {
			if v[0].IsNull() {
				return nil, nil
			}
			var delim, null *string
			if !v[1].IsNull() {
				d := v[1].Str()
				delim = &d
			}
			if len(v) == 3 && !v[2].IsNull() {
				n := v[2].Str()
				null = &n
			}
			arr := types.StringToArray(v[0].Str(), delim, null)
			if arr.IsNull() {
				return nil, nil
			}
			return column1(arr.Elems()), nil
		}
		return c, true, nil
	}
	return nil, false, nil
}

// bindSRFCall binds a set-returning function called in an expression:
// allowed at the top of a select list (and inside expressions there), it
// becomes an srfRef. ok is false for another function.
func (b *binder) bindSRFCall(name string, f *pg_query.FuncCall) (expr, bool, error) {
	return b.bindSRFCallField(name, f, "")
}

// bindSRFCallField is bindSRFCall of (f(...)).field when field is set.
func (b *binder) bindSRFCallField(name string, f *pg_query.FuncCall, field string) (expr, bool, error) {
	if !srfNames[name] {
		return nil, false, nil
	}
	sc := b.srf
	switch {
	case sc == nil || sc.off:
		ctx := ""
		if sc != nil {
			ctx = sc.ctx
		}
		if ctx == "" && !b.aggAllowed {
			ctx = b.aggContext
		}
		if ctx == "FROM" {
			return nil, true, b.errAt(sqlerr.New(sqlerr.FeatureNotSupported, "set-returning functions must appear at top level of FROM"), f.Location)
		}
		if ctx == "" {
			return nil, true, b.errAt(sqlerr.New(sqlerr.FeatureNotSupported, "set-returning functions are not allowed in this context"), f.Location)
		}
		if ctx == "CASE" || ctx == "COALESCE" {
			return nil, true, b.errAt(sqlerr.New(sqlerr.FeatureNotSupported, "set-returning functions are not allowed in %s", ctx).
				WithHint("You might be able to move the set-returning function into a LATERAL FROM item."), f.Location)
		}
		return nil, true, b.errAt(sqlerr.New(sqlerr.FeatureNotSupported, "set-returning functions are not allowed in %s", ctx), f.Location)
	case !b.aggAllowed:
		return nil, true, b.errAt(sqlerr.New(sqlerr.FeatureNotSupported, "aggregate function calls cannot contain set-returning function calls").
			WithHint("You might be able to move the set-returning function into a LATERAL FROM item."), f.Location)
	}
	args := make([]expr, len(f.Args))
	var err error
	for i, a := range f.Args {
		if args[i], err = b.bindExpr(a); err != nil {
			return nil, true, err
		}
	}
	c, _, err := b.bindSRF(name, args)
	if err != nil {
		return nil, true, b.errAt(err, f.Location)
	}
	switch {
	case field != "":
		if c, err = fieldSRF(c, field); err != nil {
			return nil, true, b.errAt(err, f.Location)
		}
	case len(c.cols) != 1:
		c = recordSRF(c)
	}
	for _, a := range c.args {
		_, _ = rewriteExpr(a, func(x expr) (expr, bool, error) {
			if r, ok := x.(*srfRef); ok {
				c.level = max(c.level, r.call.level+1)
				return x, true, nil
			}
			return nil, false, nil
		})
	}
	sc.calls = append(sc.calls, c)
	return &srfRef{call: c}, true, nil
}

// srfNotIn refuses set-returning calls while a CASE or COALESCE of a
// select list is bound; the returned function ends that.
func (b *binder) srfNotIn(what string) func() {
	sc := b.srf
	if sc == nil || sc.off {
		return func() {}
	}
	sc.off, sc.ctx = true, what
	return func() { sc.off, sc.ctx = false, "" }
}

// beginSRFLevel starts a query level's select list collection; the
// returned function restores the enclosing level's.
func (b *binder) beginSRFLevel() func() {
	saved := b.srf
	b.srf = nil
	return func() { b.srf = saved }
}

// groupSRFArgs rewrites the arguments of a grouped query's select-list
// calls over the grouped row.
func (b *binder) groupSRFArgs(calls []*srfCall, groups []expr) error {
	for _, c := range calls {
		for i, a := range c.args {
			e, err := b.rewriteGrouped(a, groups)
			if err != nil {
				return err
			}
			c.args[i] = e
		}
	}
	return nil
}

// bindRangeFunction binds a function call in FROM: f(...) [WITH
// ORDINALITY] [AS alias [(columns)]], ROWS FROM (f(...), g(...)), and
// multi-argument unnest.
func (b *binder) bindRangeFunction(rf *pg_query.RangeFunction, _ layers.Reader) (fromNode, error) {
	if len(rf.Coldeflist) > 0 {
		return nil, sqlerr.Unsupported("column definition lists in FROM are not supported yet")
	}
	saved, savedSRF := b.sc, b.srf
	fs := &scope{parent: saved}
	b.sc, b.srf = fs, &srfScope{off: true, ctx: "FROM"}
	savedAllowed, savedCtx := b.aggAllowed, b.aggContext
	b.aggAllowed, b.aggContext = false, "functions in FROM"
	defer func() {
		b.sc, b.srf = saved, savedSRF
		b.aggAllowed, b.aggContext = savedAllowed, savedCtx
	}()
	f := &fromFunc{ordinality: rf.Ordinality}
	for _, item := range rf.Functions {
		list := item.GetList()
		if list == nil || len(list.Items) == 0 {
			return nil, sqlerr.Syntax("malformed function in FROM")
		}
		if len(list.Items) > 1 && list.Items[1] != nil && list.Items[1].GetList() != nil && len(list.Items[1].GetList().Items) > 0 {
			return nil, sqlerr.Unsupported("column definition lists in FROM are not supported yet")
		}
		calls, err := b.bindFromCall(list.Items[0], !rf.IsRowsfrom && len(rf.Functions) == 1)
		if err != nil {
			return nil, err
		}
		f.calls = append(f.calls, calls...)
	}
	b.sc = saved
	f.lateral = fs.correlated
	f.name = f.calls[0].name
	var cols []colInfo
	for _, c := range f.calls {
		cols = append(cols, c.cols...)
	}
	alias, hasAlias := f.name, false
	if rf.Alias != nil && rf.Alias.Aliasname != "" {
		alias, hasAlias = rf.Alias.Aliasname, true
		// A single function of one column takes the alias as its
		// column name.
		if len(f.calls) == 1 && len(cols) == 1 && f.calls[0].nameCol() {
			cols[0].name = alias
		}
	}
	if f.ordinality {
		cols = append(cols, colInfo{name: "ordinality", t: types.TInt8})
	}
	if rf.Alias != nil && len(rf.Alias.Colnames) > 0 {
		if len(rf.Alias.Colnames) > len(cols) {
			return nil, sqlerr.New(sqlerr.InvalidColumnReference, "table %q has %d columns available but %d columns specified", alias, len(cols), len(rf.Alias.Colnames))
		}
		var err error
		if cols, err = b.aliasColumns(rf.Alias, cols, alias); err != nil {
			return nil, err
		}
	}
	if err := b.checkDupAlias(alias, -1); err != nil {
		return nil, err
	}
	f.before = saved.width
	f.n = len(cols)
	saved.add(alias, "", hasAlias, cols)
	return f, nil
}

// nameCol reports whether the call's one column is named after the
// function (scalar results), so that an alias renames it.
func (c *srfCall) nameCol() bool { return len(c.cols) == 1 && c.cols[0].name == c.name }

// bindFromCall binds one function of a FROM item: a set-returning call,
// unnest of several arrays (when alone), or a scalar expression.
func (b *binder) bindFromCall(n *pg_query.Node, alone bool) ([]*srfCall, error) {
	fc := n.GetFuncCall()
	if fc != nil && fc.Over == nil && !fc.AggStar && len(fc.AggOrder) == 0 && fc.AggFilter == nil {
		name := funcName(fc)
		if srfNames[name] {
			args := make([]expr, len(fc.Args))
			var err error
			for i, a := range fc.Args {
				if args[i], err = b.bindExpr(a); err != nil {
					return nil, err
				}
			}
			if name == "unnest" && len(args) > 1 && alone {
				var out []*srfCall
				for _, a := range args {
					c, _, err := b.bindSRF(name, []expr{a})
					if err != nil {
						return nil, b.errAt(err, fc.Location)
					}
					out = append(out, c)
				}
				return out, nil
			}
			c, _, err := b.bindSRF(name, args)
			if err != nil {
				return nil, b.errAt(err, fc.Location)
			}
			return []*srfCall{c}, nil
		}
		if aggregateNames[name] || moreAggNames[name] {
			return nil, b.errAt(sqlerr.New(sqlerr.GroupingError, "aggregate functions are not allowed in functions in FROM"), fc.Location)
		}
	}
	e, err := b.bindExpr(n)
	if err != nil {
		return nil, err
	}
	if e.typ().Kind == types.Unknown {
		if e, err = b.coerce(e, types.TText, types.CastImplicit); err != nil {
			return nil, err
		}
	}
	name := "?column?"
	if fc != nil {
		name = funcName(fc)
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			name = name[i+1:]
		}
	} else if sv := n.GetSqlvalueFunction(); sv != nil {
		name = figureColname(n)
	}
	c := &srfCall{name: name, args: []expr{e}, cols: []colInfo{{name: name, t: e.typ()}}, scalar: true,
		open: func(_ *evalCtx, v []types.Value) (srfIter, error) {
			return &sliceIter{rows: [][]types.Value{{v[0]}}}, nil
		}}
	return []*srfCall{c}, nil
}

// recordSRF wraps a call returning several columns for a select list: each
// row becomes one value in record_out's text form, "(a,1)". Aspen has no
// record type, so the column is text.
func recordSRF(c *srfCall) *srfCall {
	inner := c.open
	out := *c
	out.cols = []colInfo{{name: c.name, t: types.TText}}
	out.record = c.cols
	out.open = func(ev *evalCtx, v []types.Value) (srfIter, error) {
		it, err := inner(ev, v)
		if err != nil || it == nil {
			return it, err
		}
		env := ev.envOf()
		return funcIter(func() ([]types.Value, bool, error) {
			r, ok, err := it.next()
			if !ok || err != nil {
				return nil, ok, err
			}
			return []types.Value{types.NewText(recordText(env, r))}, true, nil
		}), nil
	}
	return &out
}

// recordText renders a row as record_out does: fields quoted when empty
// or holding quotes, backslashes, parentheses, commas or spaces.
func recordText(env *types.Env, row []types.Value) string {
	var sb strings.Builder
	sb.WriteByte('(')
	for i, v := range row {
		if i > 0 {
			sb.WriteByte(',')
		}
		if v.IsNull() {
			continue
		}
		t := string(v.AppendTextEnv(nil, env))
		if t != "" && !strings.ContainsAny(t, "\"\\(), \t\n\r\v\f") {
			sb.WriteString(t)
			continue
		}
		sb.WriteByte('"')
		for _, r := range t {
			if r == '"' || r == '\\' {
				sb.WriteRune(r)
			}
			sb.WriteRune(r)
		}
		sb.WriteByte('"')
	}
	sb.WriteByte(')')
	return sb.String()
}
