package planner

// Binding of the json, jsonb and array operators and functions: -> ->>
// #> #>> @> <@ ? ?| ?& || - on json(b); || on arrays; op ANY/ALL
// (array); json(b)_build_object/array, to_json(b), jsonb_typeof,
// jsonb_array_length, jsonb_set; array_length, cardinality, array_append,
// array_prepend, array_cat, array_position, array_remove,
// array_to_string, string_to_array, array_lower, array_upper. The
// semantics live in planner/types.

import (
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

var (
	tTextArray = types.ArrayType(types.TText)
)

func isJSONKind(k types.Kind) bool { return k == types.JSON || k == types.JSONB }

// bindJSONArrayOp binds an operator with a json, jsonb or array operand;
// ok is false when neither operand is one (the other rules apply).
func (b *binder) bindJSONArrayOp(op string, l, r expr, loc int32) (e expr, ok bool, err error) {
	lk, rk := l.typ().Kind, r.typ().Kind
	if !isJSONKind(lk) && !isJSONKind(rk) && !lk.IsArray() && !rk.IsArray() {
		return nil, false, nil
	}
	noOp := func() (expr, bool, error) {
		return nil, true, b.errAt(sqlerr.UndefinedOperatorErr("operator does not exist: %s %s %s", l.typ(), op, r.typ()), loc)
	}
	to := func(x expr, t types.T) (expr, error) {
		c, err := b.coerce(x, t, types.CastImplicit)
		if err != nil {
			return nil, b.coerceErr(err, loc)
		}
		return c, nil
	}
	mk := func(t types.T, f func(l, r types.Value) (types.Value, error)) (expr, bool, error) {
		e, err := b.fold(&funcExpr{name: op, args: []expr{l, r}, t: t, strict: true,
			fn: func(v []types.Value) (types.Value, error) { return f(v[0], v[1]) }}, loc)
		return e, true, err
	}
	switch op {
	case "=", "<>", "!=", "<", "<=", ">", ">=":
		if lk == types.JSON || rk == types.JSON {
			return noOp() // json has no equality or order
		}
		return nil, false, nil
	}
	if (lk.IsArray() || rk.IsArray()) && !isJSONKind(lk) {
		if op != "||" {
			return nil, false, nil // comparisons: the general rules
		}
		switch {
		case lk.IsArray() && (rk.IsArray() || rk == types.Unknown):
			if r, err = to(r, l.typ()); err != nil {
				return nil, true, err
			}
			return foldOK(b.fold(&funcExpr{name: op, args: []expr{l, r}, t: l.typ(),
				fn: func(v []types.Value) (types.Value, error) { return types.ArrayCat(v[0], v[1]) }}, loc))
		case lk.IsArray():
			elem := types.T{Kind: lk.Elem(), Mod: -1}
			if r, err = to(r, elem); err != nil {
				return nil, true, err
			}
			return foldOK(b.fold(&funcExpr{name: op, args: []expr{l, r}, t: l.typ(),
				fn: func(v []types.Value) (types.Value, error) { return types.ArrayAppend(v[0], v[1], elem.Kind), nil }}, loc))
		default:
			elem := types.T{Kind: rk.Elem(), Mod: -1}
			if l, err = to(l, elem); err != nil {
				return nil, true, err
			}
			return foldOK(b.fold(&funcExpr{name: op, args: []expr{l, r}, t: r.typ(),
				fn: func(v []types.Value) (types.Value, error) { return types.ArrayPrepend(v[0], v[1], elem.Kind), nil }}, loc))
		}
	}
	if !isJSONKind(lk) {
		if lk != types.Unknown || op != "||" && op != "@>" && op != "<@" {
			return noOp()
		}
		if l, err = to(l, types.TJSONB); err != nil {
			return nil, true, err
		}
		lk = types.JSONB
	}
	switch op {
	case "->", "->>":
		rt := types.T{Kind: types.Text, Mod: -1}
		if r.typ().Kind.IsInteger() {
			rt = types.TInt4
		}
		if r, err = to(r, rt); err != nil {
			return nil, true, err
		}
		res := types.T{Kind: lk, Mod: -1}
		asText := op == "->>"
		if asText {
			res = types.TText
		}
		if rt.Kind == types.Int4 {
			return mk(res, func(x, y types.Value) (types.Value, error) { return types.JSONIndex(x, y.Int(), asText) })
		}
		return mk(res, func(x, y types.Value) (types.Value, error) { return types.JSONField(x, y.Str(), asText) })
	case "#>", "#>>":
		if r, err = to(r, tTextArray); err != nil {
			return nil, true, err
		}
		res := types.T{Kind: lk, Mod: -1}
		asText := op == "#>>"
		if asText {
			res = types.TText
		}
		return mk(res, func(x, y types.Value) (types.Value, error) { return types.JSONPath(x, y, asText) })
	}
	if lk != types.JSONB {
		return noOp()
	}
	switch op {
	case "@>", "<@":
		if r, err = to(r, types.TJSONB); err != nil {
			return nil, true, err
		}
		return mk(types.TBool, func(x, y types.Value) (types.Value, error) {
			if op == "<@" {
				x, y = y, x
			}
			c, err := types.JSONBContains(x, y)
			return types.NewBool(c), err
		})
	case "?":
		if !isTextish(r) {
			return noOp()
		}
		if r, err = to(r, types.TText); err != nil {
			return nil, true, err
		}
		return mk(types.TBool, func(x, y types.Value) (types.Value, error) {
			c, err := types.JSONBExists(x, []string{y.Str()}, '?')
			return types.NewBool(c), err
		})
	case "?|", "?&":
		if r, err = to(r, tTextArray); err != nil {
			return nil, true, err
		}
		return mk(types.TBool, func(x, y types.Value) (types.Value, error) {
			var keys []string
			for _, k := range y.Elems() {
				if !k.IsNull() {
					keys = append(keys, k.Str())
				}
			}
			c, err := types.JSONBExists(x, keys, op[1])
			return types.NewBool(c), err
		})
	case "||":
		if r, err = to(r, types.TJSONB); err != nil {
			return nil, true, err
		}
		return mk(types.TJSONB, types.JSONBConcat)
	case "-":
		if r.typ().Kind.IsInteger() {
			if r, err = to(r, types.TInt4); err != nil {
				return nil, true, err
			}
			return mk(types.TJSONB, func(x, y types.Value) (types.Value, error) { return types.JSONBDeleteIndex(x, y.Int()) })
		}
		if r, err = to(r, types.TText); err != nil {
			return nil, true, err
		}
		return mk(types.TJSONB, func(x, y types.Value) (types.Value, error) { return types.JSONBDeleteKey(x, y.Str()) })
	}
	return nil, false, nil
}

// foldOK adapts fold's results to the (expr, ok, error) of the operator
// binders.
func foldOK(e expr, err error) (expr, bool, error) { return e, true, err }

// bindAnyAll binds e op ANY (array) and e op ALL (array).
func (b *binder) bindAnyAll(a *pg_query.A_Expr) (expr, error) {
	op := opName(a)
	all := a.Kind == pg_query.A_Expr_Kind_AEXPR_OP_ALL
	l, err := b.bindExpr(a.Lexpr)
	if err != nil {
		return nil, err
	}
	r, err := b.bindExpr(a.Rexpr)
	if err != nil {
		return nil, err
	}
	rk := r.typ().Kind
	if rk == types.Unknown {
		lt := l.typ()
		if lt.Kind == types.Unknown {
			lt = types.TText
		}
		if r, err = b.coerce(r, types.ArrayType(types.T{Kind: lt.Kind, Mod: -1}), types.CastImplicit); err != nil {
			return nil, b.coerceErr(err, a.Location)
		}
		rk = r.typ().Kind
	}
	if rk.IsVector() {
		r, rk = &castExpr{arg: r, t: types.T{Kind: rk.VectorArray(), Mod: -1}, ctx: types.CastImplicit}, rk.VectorArray()
	}
	if !rk.IsArray() {
		return nil, b.errAt(sqlerr.DatatypeMismatchErr("op ANY/ALL (array) requires array on right side"), a.Location)
	}
	elem := types.T{Kind: rk.Elem(), Mod: -1}
	if l.typ().Kind == types.Unknown {
		if l, err = b.coerce(l, elem, types.CastImplicit); err != nil {
			return nil, b.coerceErr(err, a.Location)
		}
	}
	lk := l.typ().Kind
	comparable := lk == elem.Kind || lk.IsNumeric() && elem.Kind.IsNumeric() || lk.IsString() && elem.Kind.IsString()
	if _, ok := types.CommonDateTime(lk, elem.Kind); ok {
		comparable = true
	}
	if _, ok := unifyInternal(lk, elem.Kind); ok && (lk.IsOIDKind() || elem.Kind.IsOIDKind()) {
		comparable = true
	}
	cmp := map[string]func(int) bool{
		"=": func(c int) bool { return c == 0 }, "<>": func(c int) bool { return c != 0 }, "!=": func(c int) bool { return c != 0 },
		"<": func(c int) bool { return c < 0 }, "<=": func(c int) bool { return c <= 0 },
		">": func(c int) bool { return c > 0 }, ">=": func(c int) bool { return c >= 0 },
	}[op]
	if cmp == nil || !comparable {
		return nil, b.errAt(sqlerr.UndefinedOperatorErr("operator does not exist: %s %s %s", l.typ(), op, elem), a.Location)
	}
	return b.fold(&funcExpr{name: op + " ANY", args: []expr{l, r}, t: types.TBool,
		evfn: func(ev *evalCtx, v []types.Value) (types.Value, error) {
			if v[1].IsNull() {
				return types.Null, nil
			}
			return types.AnyAll(v[0], v[1], all, func(x, y types.Value) (bool, error) {
				if x.Kind() != y.Kind() && x.Kind().IsDateTime() {
					var err error
					if y, err = types.CastEnv(ev.envOf(), y, types.T{Kind: x.Kind(), Mod: -1}, types.CastImplicit); err != nil {
						return false, err
					}
				}
				return cmp(types.Compare(x, y)), nil
			})
		}}, a.Location)
}

// anyArg returns an argument of a function taking "any": a quoted literal
// becomes text.
func (b *binder) anyArg(a expr) (expr, error) {
	if a.typ().Kind == types.Unknown {
		return b.coerce(a, types.TText, types.CastImplicit)
	}
	return a, nil
}

// jsonArrayFunc binds the json and array built-ins; ok is false for other
// names or argument types.
func (b *binder) jsonArrayFunc(name string, args []expr) (expr, bool, error) {
	fn := func(t types.T, args []expr, strict bool, f func(env *types.Env, v []types.Value) (types.Value, error)) (expr, bool, error) {
		e, err := b.fold(&funcExpr{name: name, args: args, t: t, strict: strict,
			evfn: func(ev *evalCtx, v []types.Value) (types.Value, error) { return f(ev.envOf(), v) }}, -1)
		return e, true, err
	}
	anyArgs := func() ([]expr, error) {
		out := make([]expr, len(args))
		for i, a := range args {
			e, err := b.anyArg(a)
			if err != nil {
				return nil, err
			}
			out[i] = e
		}
		return out, nil
	}
	jsonArg := func(a expr, jsonOK bool) (expr, bool) {
		k := a.typ().Kind
		switch {
		case k == types.Unknown:
			e, err := b.coerce(a, types.TJSONB, types.CastImplicit)
			return e, err == nil
		case k == types.JSONB, k == types.JSON && jsonOK:
			return a, true
		}
		return nil, false
	}
	arrayArg := func(a expr) bool { return a.typ().Kind.IsArray() }
	switch name {
	case "jsonb_build_object", "json_build_object", "jsonb_build_array", "json_build_array":
		as, err := anyArgs()
		if err != nil {
			return nil, true, err
		}
		t := types.TJSONB
		if name[:5] == "json_" {
			t = types.TJSON
		}
		return fn(t, as, false, func(env *types.Env, v []types.Value) (types.Value, error) {
			switch name {
			case "jsonb_build_object":
				return types.JSONBBuildObject(env, v)
			case "json_build_object":
				return types.JSONBuildObject(env, v)
			case "jsonb_build_array":
				return types.JSONBBuildArray(env, v)
			}
			return types.JSONBuildArray(env, v)
		})
	case "to_jsonb", "to_json":
		if len(args) != 1 {
			return nil, false, nil
		}
		as, err := anyArgs()
		if err != nil {
			return nil, true, err
		}
		t := types.TJSONB
		if name == "to_json" {
			t = types.TJSON
		}
		return fn(t, as, true, func(env *types.Env, v []types.Value) (types.Value, error) {
			if name == "to_json" {
				return types.ToJSON(env, v[0])
			}
			return types.ToJSONB(env, v[0])
		})
	case "jsonb_typeof", "json_typeof", "jsonb_array_length", "json_array_length":
		if len(args) != 1 {
			return nil, false, nil
		}
		x, ok := jsonArg(args[0], name[:5] == "json_")
		if !ok {
			return nil, false, nil
		}
		if name == "jsonb_typeof" || name == "json_typeof" {
			return fn(types.TText, []expr{x}, true, func(_ *types.Env, v []types.Value) (types.Value, error) {
				s, err := types.JSONBTypeof(v[0])
				return types.NewText(s), err
			})
		}
		return fn(types.TInt4, []expr{x}, true, func(_ *types.Env, v []types.Value) (types.Value, error) {
			n, err := types.JSONBArrayLength(v[0])
			return types.NewInt(types.Int4, n), err
		})
	case "jsonb_set":
		if len(args) != 3 && len(args) != 4 {
			return nil, false, nil
		}
		x, ok := jsonArg(args[0], false)
		if !ok {
			return nil, false, nil
		}
		p, err := b.coerce(args[1], tTextArray, types.CastImplicit)
		if err != nil {
			return nil, false, nil
		}
		nv, ok := jsonArg(args[2], false)
		if !ok {
			return nil, false, nil
		}
		cargs := []expr{x, p, nv}
		if len(args) == 4 {
			c, err := b.coerce(args[3], types.TBool, types.CastImplicit)
			if err != nil {
				return nil, false, nil
			}
			cargs = append(cargs, c)
		}
		return fn(types.TJSONB, cargs, true, func(_ *types.Env, v []types.Value) (types.Value, error) {
			create := len(v) < 4 || v[3].Bool()
			return types.JSONBSet(v[0], v[1], v[2], create)
		})
	case "cardinality":
		if len(args) != 1 || !arrayArg(args[0]) {
			return nil, false, nil
		}
		return fn(types.TInt4, args, true, func(_ *types.Env, v []types.Value) (types.Value, error) { return types.Cardinality(v[0]), nil })
	case "array_length", "array_upper", "array_lower":
		if len(args) != 2 || !arrayArg(args[0]) {
			return nil, false, nil
		}
		d, err := b.coerce(args[1], types.TInt4, types.CastImplicit)
		if err != nil {
			return nil, false, nil
		}
		return fn(types.TInt4, []expr{args[0], d}, true, func(_ *types.Env, v []types.Value) (types.Value, error) {
			if name == "array_lower" {
				return types.ArrayLower(v[0], v[1].Int()), nil
			}
			return types.ArrayLength(v[0], v[1].Int()), nil
		})
	case "array_append", "array_prepend", "array_cat", "array_position", "array_remove":
		if len(args) != 2 {
			return nil, false, nil
		}
		arr, other := 0, 1
		if name == "array_prepend" {
			arr, other = 1, 0
		}
		if !arrayArg(args[arr]) {
			return nil, false, nil
		}
		at := args[arr].typ()
		elem := types.T{Kind: at.Kind.Elem(), Mod: -1}
		want := elem
		if name == "array_cat" {
			want = at
		}
		o, err := b.coerce(args[other], want, types.CastImplicit)
		if err != nil {
			return nil, false, nil
		}
		cargs := []expr{args[0], o}
		if name == "array_prepend" {
			cargs = []expr{o, args[1]}
		}
		rt := at
		if name == "array_position" {
			rt = types.TInt4
		}
		return fn(rt, cargs, false, func(_ *types.Env, v []types.Value) (types.Value, error) {
			switch name {
			case "array_append":
				return types.ArrayAppend(v[0], v[1], elem.Kind), nil
			case "array_prepend":
				return types.ArrayPrepend(v[0], v[1], elem.Kind), nil
			case "array_cat":
				return types.ArrayCat(v[0], v[1])
			}
			if v[0].IsNull() {
				return types.Null, nil
			}
			if name == "array_position" {
				return types.ArrayPosition(v[0], v[1]), nil
			}
			return types.ArrayRemove(v[0], v[1]), nil
		})
	case "array_to_string":
		if (len(args) != 2 && len(args) != 3) || !arrayArg(args[0]) {
			return nil, false, nil
		}
		cargs := []expr{args[0]}
		for _, a := range args[1:] {
			c, err := b.coerce(a, types.TText, types.CastImplicit)
			if err != nil {
				return nil, false, nil
			}
			cargs = append(cargs, c)
		}
		return fn(types.TText, cargs, false, func(env *types.Env, v []types.Value) (types.Value, error) {
			if v[0].IsNull() || v[1].IsNull() {
				return types.Null, nil
			}
			var null *string
			if len(v) == 3 && !v[2].IsNull() {
				s := v[2].Str()
				null = &s
			}
			return types.ArrayToString(env, v[0], v[1].Str(), null), nil
		})
	case "string_to_array":
		if len(args) != 2 && len(args) != 3 {
			return nil, false, nil
		}
		cargs := make([]expr, len(args))
		for i, a := range args {
			c, err := b.coerce(a, types.TText, types.CastImplicit)
			if err != nil {
				return nil, false, nil
			}
			cargs[i] = c
		}
		return fn(tTextArray, cargs, false, func(_ *types.Env, v []types.Value) (types.Value, error) {
			if v[0].IsNull() {
				return types.Null, nil
			}
			var delim, null *string
			if !v[1].IsNull() {
				s := v[1].Str()
				delim = &s
			}
			if len(v) == 3 && !v[2].IsNull() {
				s := v[2].Str()
				null = &s
			}
			return types.StringToArray(v[0].Str(), delim, null), nil
		})
	}
	return nil, false, nil
}

// bindIndirection binds subscripts of an array: a[i] (NULL when out of
// range) and a[i:j] (the elements within range).
func (b *binder) bindIndirection(ind *pg_query.A_Indirection) (expr, error) {
	if e, ok, err := b.bindFieldSelect(ind); ok {
		return e, err
	}
	arr, err := b.bindExpr(ind.Arg)
	if err != nil {
		return nil, err
	}
	for _, n := range ind.Indirection {
		ai := n.GetAIndices()
		if ai == nil {
			return nil, sqlerr.Unsupported("field selection is not supported yet")
		}
		at := arr.typ()
		if at.Kind.IsVector() {
			// int2vector and oidvector: subscripts from 0.
			if arr, err = b.vectorSubscript(arr, ai); err != nil {
				return nil, err
			}
			continue
		}
		if !at.Kind.IsArray() {
			return nil, sqlerr.New(sqlerr.DatatypeMismatch, "cannot subscript type %s because it does not support subscripting", at)
		}
		bound := func(x *pg_query.Node) (expr, error) {
			if x == nil {
				return nil, nil
			}
			e, err := b.bindExpr(x)
			if err != nil {
				return nil, err
			}
			if k := e.typ().Kind; k != types.Unknown && !k.IsInteger() {
				return nil, sqlerr.DatatypeMismatchErr("array subscript must have type integer")
			}
			return b.coerce(e, types.TInt4, types.CastImplicit)
		}
		if !ai.IsSlice {
			i, err := bound(ai.Uidx)
			if err != nil {
				return nil, err
			}
			elem := at.ElemType()
			arr, err = b.fold(&funcExpr{name: "subscript", args: []expr{arr, i}, t: elem, strict: true,
				fn: func(v []types.Value) (types.Value, error) {
					el := v[0].Elems()
					k := v[1].Int()
					if k < 1 || k > int64(len(el)) {
						return types.Null, nil
					}
					return el[k-1], nil
				}}, -1)
			if err != nil {
				return nil, err
			}
			continue
		}
		lo, err := bound(ai.Lidx)
		if err != nil {
			return nil, err
		}
		hi, err := bound(ai.Uidx)
		if err != nil {
			return nil, err
		}
		args := []expr{arr}
		hasLo, hasHi := lo != nil, hi != nil
		if hasLo {
			args = append(args, lo)
		}
		if hasHi {
			args = append(args, hi)
		}
		arr, err = b.fold(&funcExpr{name: "slice", args: args, t: at, strict: true,
			fn: func(v []types.Value) (types.Value, error) {
				el := v[0].Elems()
				from, to := int64(1), int64(len(el))
				rest := v[1:]
				if hasLo {
					from, rest = rest[0].Int(), rest[1:]
				}
				if hasHi {
					to = rest[0].Int()
				}
				from = max(from, 1)
				to = min(to, int64(len(el)))
				if from > to {
					return types.NewArray(at.Kind.Elem(), []types.Value{}), nil
				}
				return types.NewArray(at.Kind.Elem(), append([]types.Value(nil), el[from-1:to]...)), nil
			}}, -1)
		if err != nil {
			return nil, err
		}
	}
	return arr, nil
}
