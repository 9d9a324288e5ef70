package planner

// Binding of the date/time operators and functions: + - * / with dates,
// times, timestamps and intervals; now() and CURRENT_DATE and the other
// SQL value functions; date_trunc, date_part, extract, age, to_char,
// justify_hours and justify_days. The semantics live in planner/types.

import (
	"time"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// envOf returns the session settings expressions are evaluated with (nil:
// UTC and the current time).
func (ev *evalCtx) envOf() *types.Env {
	if ev == nil {
		return nil
	}
	return ev.env
}

// isDateTimeKind reports whether k is date, time, timestamp, timestamptz
// or interval.
func isDateTimeKind(k types.Kind) bool { return k.IsDateTime() || k == types.Interval }

// bindDateTimeOp binds + - * / with a date/time or interval operand, with
// PostgreSQL's operators and its choice of type for a quoted literal
// operand; ok is false when neither operand is a date/time type.
func (b *binder) bindDateTimeOp(op string, l, r expr, loc int32) (e expr, ok bool, err error) {
	lk, rk := l.typ().Kind, r.typ().Kind
	if !isDateTimeKind(lk) && !isDateTimeKind(rk) {
		return nil, false, nil
	}
	o := op[0]
	noOp := func() error {
		return b.errAt(sqlerr.UndefinedOperatorErr("operator does not exist: %s %s %s", l.typ(), op, r.typ()), loc)
	}
	if lk == types.Unknown || rk == types.Unknown {
		known, left := rk, true
		if rk == types.Unknown {
			known, left = lk, false
		}
		k, found, ambiguous := types.UnknownOperand(o, known, left)
		if ambiguous {
			return nil, true, b.errAt(sqlerr.New(sqlerr.AmbiguousFunction, "operator is not unique: %s %s %s", l.typ(), op, r.typ()).
				WithHint("Could not choose a best candidate operator. You might need to add explicit type casts."), loc)
		}
		if !found {
			return nil, true, noOp()
		}
		t := types.T{Kind: k, Mod: -1}
		if left {
			l, err = b.coerce(l, t, types.CastImplicit)
		} else {
			r, err = b.coerce(r, t, types.CastImplicit)
		}
		if err != nil {
			return nil, true, b.coerceErr(err, loc)
		}
		lk, rk = l.typ().Kind, r.typ().Kind
	}
	res, found := types.OperatorResult(o, lk, rk)
	if !found {
		return nil, true, noOp()
	}
	e, err = b.fold(&funcExpr{name: op, args: []expr{l, r}, t: types.T{Kind: res, Mod: -1}, strict: true,
		evfn: func(ev *evalCtx, v []types.Value) (types.Value, error) {
			return types.EvalOperator(ev.envOf(), o, v[0], v[1])
		}}, loc)
	return e, true, err
}

// nowFunc is a function of the statement time: not folded at bind time.
func nowFunc(name string, t types.T, f func(env *types.Env) types.Value) *funcExpr {
	return &funcExpr{name: name, t: t, volatile: true,
		evfn: func(ev *evalCtx, _ []types.Value) (types.Value, error) {
			v := f(ev.envOf())
			if t.Mod >= 0 {
				return types.ApplyMod(v, t, true)
			}
			return v, nil
		}}
}

// bindSQLValueDateTime binds CURRENT_DATE, CURRENT_TIMESTAMP[(p)],
// LOCALTIMESTAMP[(p)] and LOCALTIME[(p)]; ok is false for other SQL value
// functions.
func (b *binder) bindSQLValueDateTime(f *pg_query.SQLValueFunction) (expr, bool) {
	prec := int32(f.Typmod)
	if prec > types.MaxTimePrecision {
		prec = types.MaxTimePrecision
	}
	switch f.Op {
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_DATE:
		return nowFunc("current_date", types.TDate, func(env *types.Env) types.Value { return types.NowValue(env, types.Date) }), true
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP, pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N:
		return nowFunc("current_timestamp", types.T{Kind: types.TimestampTZ, Mod: prec},
			func(env *types.Env) types.Value { return types.NowValue(env, types.TimestampTZ) }), true
	case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP, pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:
		return nowFunc("localtimestamp", types.T{Kind: types.Timestamp, Mod: prec},
			func(env *types.Env) types.Value { return types.NowValue(env, types.Timestamp) }), true
	case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIME, pg_query.SQLValueFunctionOp_SVFOP_LOCALTIME_N:
		return nowFunc("localtime", types.T{Kind: types.Time, Mod: prec},
			func(env *types.Env) types.Value { return types.NowValue(env, types.Time) }), true
	}
	return nil, false
}

// dateTimeArg coerces a function's date/time argument: a quoted literal
// or a date becomes timestamptz (PostgreSQL's preferred type), and the
// kinds allowed are checked.
func (b *binder) dateTimeArg(a expr, allowed ...types.Kind) (expr, bool, error) {
	k := a.typ().Kind
	if k == types.Unknown || (k == types.Date && !containsKind(allowed, types.Date)) {
		e, err := b.coerce(a, types.TTimestampTZ, types.CastImplicit)
		return e, err == nil, err
	}
	return a, containsKind(allowed, k), nil
}

func containsKind(ks []types.Kind, k types.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// textArg coerces a function's text argument.
func (b *binder) textArg(a expr) (expr, bool, error) {
	k := a.typ().Kind
	if k != types.Unknown && !k.IsString() {
		return nil, false, nil
	}
	e, err := b.coerce(a, types.TText, types.CastImplicit)
	return e, err == nil, err
}

// dateTimeFunc binds the date/time built-ins; ok is false for other names
// or argument types (the caller reports the function as undefined).
func (b *binder) dateTimeFunc(name string, args []expr) (expr, bool, error) {
	fn := func(t types.T, args []expr, f func(env *types.Env, v []types.Value) (types.Value, error)) (expr, bool, error) {
		return &funcExpr{name: name, args: args, t: t, strict: true,
			evfn: func(ev *evalCtx, v []types.Value) (types.Value, error) { return f(ev.envOf(), v) }}, true, nil
	}
	switch name {
	case "now", "transaction_timestamp", "statement_timestamp":
		if len(args) != 0 {
			return nil, false, nil
		}
		return nowFunc(name, types.TTimestampTZ, func(env *types.Env) types.Value { return types.NowValue(env, types.TimestampTZ) }), true, nil
	case "gen_random_uuid":
		if len(args) != 0 {
			return nil, false, nil
		}
		return &funcExpr{name: name, t: types.TUUID, volatile: true,
			evfn: func(*evalCtx, []types.Value) (types.Value, error) { return types.RandomUUID() }}, true, nil
	case "clock_timestamp":
		if len(args) != 0 {
			return nil, false, nil
		}
		return nowFunc(name, types.TTimestampTZ, func(*types.Env) types.Value { return types.NewTimestampTZ(time.Now()) }), true, nil
	case "date_trunc", "date_part", "extract":
		if len(args) != 2 {
			return nil, false, nil
		}
		unit, ok, err := b.textArg(args[0])
		if !ok || err != nil {
			return nil, ok, err
		}
		allowed := []types.Kind{types.Timestamp, types.TimestampTZ, types.Interval}
		if name != "date_trunc" {
			allowed = append(allowed, types.Date, types.Time)
		}
		x, ok, err := b.dateTimeArg(args[1], allowed...)
		if !ok || err != nil {
			return nil, ok, err
		}
		switch name {
		case "date_trunc":
			return fn(types.T{Kind: x.typ().Kind, Mod: -1}, []expr{unit, x}, func(env *types.Env, v []types.Value) (types.Value, error) {
				return types.DateTrunc(env, v[0].Str(), v[1])
			})
		case "extract":
			return fn(types.TNumeric, []expr{unit, x}, func(env *types.Env, v []types.Value) (types.Value, error) {
				return types.Extract(env, v[0].Str(), v[1])
			})
		}
		return fn(types.TFloat8, []expr{unit, x}, func(env *types.Env, v []types.Value) (types.Value, error) {
			n, err := types.Extract(env, v[0].Str(), v[1])
			if err != nil || n.IsNull() {
				return types.Null, err
			}
			return types.CastEnv(env, n, types.TFloat8, types.CastExplicit)
		})
	case "age":
		switch len(args) {
		case 1:
			x, ok, err := b.dateTimeArg(args[0], types.Timestamp, types.TimestampTZ)
			if !ok || err != nil {
				return nil, ok, err
			}
			k := x.typ().Kind
			return &funcExpr{name: name, args: []expr{x}, t: types.TInterval, strict: true, volatile: true,
				evfn: func(ev *evalCtx, v []types.Value) (types.Value, error) {
					env := ev.envOf()
					today, err := types.CastEnv(env, types.NowValue(env, types.Date), types.T{Kind: k, Mod: -1}, types.CastImplicit)
					if err != nil {
						return types.Null, err
					}
					return types.Age(env, today, v[0])
				}}, true, nil
		case 2:
			k := args[0].typ().Kind
			if k2 := args[1].typ().Kind; k2 != k && k != types.Unknown && k2 != types.Unknown {
				if c, ok := types.CommonDateTime(k, k2); ok {
					k = c
				}
			} else if k == types.Unknown {
				k = k2
			}
			if k == types.Date || k == types.Unknown {
				k = types.TimestampTZ
			}
			if k != types.Timestamp && k != types.TimestampTZ {
				return nil, false, nil
			}
			t := types.T{Kind: k, Mod: -1}
			x, err := b.coerce(args[0], t, types.CastImplicit)
			if err != nil {
				return nil, false, nil
			}
			y, err := b.coerce(args[1], t, types.CastImplicit)
			if err != nil {
				return nil, false, nil
			}
			return fn(types.TInterval, []expr{x, y}, func(env *types.Env, v []types.Value) (types.Value, error) {
				return types.Age(env, v[0], v[1])
			})
		}
		return nil, false, nil
	case "to_char":
		if len(args) != 2 {
			return nil, false, nil
		}
		x, ok, err := b.dateTimeArg(args[0], types.Timestamp, types.TimestampTZ, types.Interval)
		if !ok || err != nil {
			return nil, ok, err
		}
		f, ok, err := b.textArg(args[1])
		if !ok || err != nil {
			return nil, ok, err
		}
		return fn(types.TText, []expr{x, f}, func(env *types.Env, v []types.Value) (types.Value, error) {
			return types.ToChar(env, v[0], v[1].Str())
		})
	case "to_timestamp":
		switch len(args) {
		case 1:
			x, err := b.coerce(args[0], types.TFloat8, types.CastImplicit)
			if err != nil {
				return nil, false, nil
			}
			return fn(types.TTimestampTZ, []expr{x}, func(_ *types.Env, v []types.Value) (types.Value, error) {
				return types.ToTimestampEpoch(v[0].Float())
			})
		case 2:
			x, ok, err := b.textArg(args[0])
			if !ok || err != nil {
				return nil, ok, err
			}
			f, ok, err := b.textArg(args[1])
			if !ok || err != nil {
				return nil, ok, err
			}
			return fn(types.TTimestampTZ, []expr{x, f}, func(env *types.Env, v []types.Value) (types.Value, error) {
				return types.ToTimestampFormat(env, v[0].Str(), v[1].Str())
			})
		}
		return nil, false, nil
	case "to_date":
		if len(args) != 2 {
			return nil, false, nil
		}
		x, ok, err := b.textArg(args[0])
		if !ok || err != nil {
			return nil, ok, err
		}
		f, ok, err := b.textArg(args[1])
		if !ok || err != nil {
			return nil, ok, err
		}
		return fn(types.TDate, []expr{x, f}, func(_ *types.Env, v []types.Value) (types.Value, error) {
			return types.ToDate(v[0].Str(), v[1].Str())
		})
	case "make_date", "make_time", "make_timestamp", "make_timestamptz", "make_interval":
		want := map[string]int{"make_date": 3, "make_time": 3, "make_timestamp": 6, "make_timestamptz": 6, "make_interval": 7}[name]
		if len(args) > want || (name != "make_interval" && len(args) != want) {
			return nil, false, nil
		}
		cargs := make([]expr, len(args))
		for i, a := range args {
			t := types.TInt4
			if i == want-1 && name != "make_date" {
				t = types.TFloat8
			}
			c, err := b.coerce(a, t, types.CastImplicit)
			if err != nil {
				return nil, false, nil
			}
			cargs[i] = c
		}
		rt := map[string]types.T{"make_date": types.TDate, "make_time": types.TTime, "make_timestamp": types.TTimestamp,
			"make_timestamptz": types.TTimestampTZ, "make_interval": types.TInterval}[name]
		return fn(rt, cargs, func(env *types.Env, v []types.Value) (types.Value, error) {
			n := func(i int) int64 {
				if i < len(v) {
					return v[i].Int()
				}
				return 0
			}
			f := func(i int) float64 {
				if i < len(v) {
					return v[i].Float()
				}
				return 0
			}
			switch name {
			case "make_date":
				return types.MakeDate(n(0), n(1), n(2))
			case "make_time":
				return types.MakeTime(n(0), n(1), f(2))
			case "make_timestamp":
				return types.MakeTimestamp(env, types.Timestamp, n(0), n(1), n(2), n(3), n(4), f(5))
			case "make_timestamptz":
				return types.MakeTimestamp(env, types.TimestampTZ, n(0), n(1), n(2), n(3), n(4), f(5))
			}
			return types.MakeInterval(n(0), n(1), n(2), n(3), n(4), n(5), f(6))
		})
	case "justify_hours", "justify_days":
		if len(args) != 1 {
			return nil, false, nil
		}
		x, err := b.coerce(args[0], types.TInterval, types.CastImplicit)
		if err != nil {
			return nil, false, nil
		}
		return fn(types.TInterval, []expr{x}, func(_ *types.Env, v []types.Value) (types.Value, error) {
			if name == "justify_hours" {
				return types.JustifyHours(v[0])
			}
			return types.JustifyDays(v[0])
		})
	}
	return nil, false, nil
}

// localize sets timestamptz result values to display in the session's
// time zone (pgwire renders values with AppendText).
func localize(res *Result, env *types.Env) {
	if res == nil || env == nil || env.Loc == nil {
		return
	}
	for i, c := range res.Columns {
		if c.TypeOID != types.OIDTimestampTZ && c.TypeOID != types.ArrayType(types.TTimestampTZ).OID() {
			continue
		}
		for _, row := range res.Rows {
			if i < len(row) {
				row[i] = row[i].InZone(env.Loc)
			}
		}
	}
}

// sessionEnv returns the settings of the session's next statement: its
// TimeZone, and the transaction's start time, which now() returns.
func (s *Session) sessionEnv() *types.Env {
	loc := time.UTC
	if name, err := s.show("timezone"); err == nil {
		if l, ok := types.LoadZone(name); ok {
			loc = l
		}
	}
	if s.txNow.IsZero() {
		s.txNow = time.Now()
	}
	return &types.Env{Loc: loc, Now: s.txNow}
}

// bindArrayExpr binds ARRAY[e1, e2, ...]: the elements take their common
// type; NULL elements are kept.
func (b *binder) bindArrayExpr(a *pg_query.A_ArrayExpr) (expr, error) {
	if len(a.Elements) == 0 {
		return nil, b.errAt(sqlerr.New(sqlerr.IndeterminateDatatype, "cannot determine type of empty array").
			WithHint("Explicitly cast to the desired type, for example ARRAY[]::integer[]."), a.Location)
	}
	elems := make([]expr, len(a.Elements))
	for i, n := range a.Elements {
		if _, nested := n.Node.(*pg_query.Node_AArrayExpr); nested {
			return nil, b.errAt(sqlerr.Unsupported("multidimensional arrays are not supported"), a.Location)
		}
		e, err := b.bindExpr(n)
		if err != nil {
			return nil, err
		}
		if e.typ().Kind.IsArray() {
			return nil, b.errAt(sqlerr.Unsupported("multidimensional arrays are not supported"), a.Location)
		}
		elems[i] = e
	}
	t, err := b.commonType(elems, "ARRAY", a.Location)
	if err != nil {
		return nil, err
	}
	for i := range elems {
		if elems[i], err = b.coerce(elems[i], t, types.CastImplicit); err != nil {
			return nil, b.coerceErr(err, a.Location)
		}
	}
	k := t.Kind
	return b.fold(&funcExpr{name: "array", args: elems, t: types.ArrayType(t),
		evfn: func(_ *evalCtx, v []types.Value) (types.Value, error) {
			return types.NewArray(k, append([]types.Value(nil), v...)), nil
		}}, a.Location)
}
