package planner

// Mathematical functions and operators: round, trunc, ceil, floor, sign,
// mod, div, power and ^, sqrt, cbrt, exp, ln, log, log10, pi, degrees,
// radians, trigonometry, gcd, lcm, factorial, width_bucket, random,
// setseed, |/, ||/ and @, plus pg_typeof. Like PostgreSQL, a function with
// float8 and numeric versions takes the numeric one for numeric arguments
// and float8 for the others (integers, float4, unknown literals).

import (
	"math"
	"math/rand/v2"
	"strings"
	"sync"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
)

// numericVersion reports whether arguments of these kinds select the
// numeric version of a function that also has a float8 one; ok is false
// when an argument is not a number.
func numericVersion(args []expr) (numeric, ok bool) {
	hasFloat := false
	for _, a := range args {
		k := a.typ().Kind
		switch {
		case k == types.Numeric:
			numeric = true
		case k == types.Float4 || k == types.Float8:
			hasFloat = true
		case k == types.Unknown || k.IsInteger():
		default:
			return false, false
		}
	}
	return numeric && !hasFloat, true
}

// floatErr checks a float8 result for overflow and underflow, as
// PostgreSQL's float8 functions do.
func floatResult(r float64, inf, zero bool) (types.Value, error) {
	if math.IsInf(r, 0) && !inf {
		return types.Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "value out of range: overflow")
	}
	if r == 0 && !zero {
		return types.Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "value out of range: underflow")
	}
	return types.NewFloat(types.Float8, r), nil
}

// rng is random()'s source. setseed reseeds it; the source is shared by
// the engine's sessions (the Session is not reachable from an evalCtx),
// so a seeded sequence repeats only while no other session draws from it.
var rng struct {
	sync.Mutex
	r *rand.Rand
}

func randomFloat() float64 {
	rng.Lock()
	defer rng.Unlock()
	if rng.r == nil {
		return rand.Float64()
	}
	return rng.r.Float64()
}

func setSeed(seed float64) {
	rng.Lock()
	defer rng.Unlock()
	s := uint64(int64(seed * float64(math.MaxInt32)))
	rng.r = rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15))
}

// mathFunc binds the functions of this file; ok is false for another
// name.
func (b *binder) mathFunc(name string, args []expr) (e expr, ok bool, err error) {
	undefined := func() error {
		return sqlerr.UndefinedFunctionErr("function %s(%s) does not exist", name, argTypes(args))
	}
	// mk coerces args to ts and builds a strict function.
	mk := func(t types.T, ts []types.T, fn func(v []types.Value) (types.Value, error)) (expr, bool, error) {
		if len(args) != len(ts) {
			return nil, true, undefined()
		}
		out := make([]expr, len(args))
		for i, a := range args {
			k := a.typ().Kind
			if ts[i].Kind != k && k != types.Unknown && !types.CanCast(k, ts[i].Kind, types.CastImplicit) {
				return nil, true, undefined()
			}
			c, err := b.coerce(a, ts[i], types.CastImplicit)
			if err != nil {
				return nil, true, err
			}
			out[i] = c
		}
		f, err := b.foldOrDefer(&funcExpr{name: name, args: out, t: t, strict: true, fn: fn})
		return f, true, err
	}
	f8, num, i4 := types.TFloat8, types.TNumeric, types.TInt4
	// dual binds a one-argument function with float8 and numeric versions.
	dual := func(ff func(float64) (types.Value, error), nf func(types.Value) (types.Value, error)) (expr, bool, error) {
		if len(args) != 1 {
			return nil, true, undefined()
		}
		isNum, ok := numericVersion(args)
		if !ok {
			return nil, true, undefined()
		}
		if isNum {
			return mk(num, []types.T{num}, func(v []types.Value) (types.Value, error) { return nf(v[0]) })
		}
		return mk(f8, []types.T{f8}, func(v []types.Value) (types.Value, error) { return ff(v[0].Float()) })
	}
	float1 := func(ff func(float64) (types.Value, error)) (expr, bool, error) {
		if len(args) != 1 {
			return nil, true, undefined()
		}
		if _, ok := numericVersion(args); !ok {
			return nil, true, undefined()
		}
		return mk(f8, []types.T{f8}, func(v []types.Value) (types.Value, error) { return ff(v[0].Float()) })
	}
	plain := func(f func(float64) float64) func(float64) (types.Value, error) {
		return func(x float64) (types.Value, error) { return types.NewFloat(types.Float8, f(x)), nil }
	}
	lnErr := func(x float64) error {
		if x == 0 {
			return sqlerr.New("2201E", "cannot take logarithm of zero")
		}
		return sqlerr.New("2201E", "cannot take logarithm of a negative number")
	}
	switch name {
	case "round", "trunc":
		if len(args) == 2 {
			fn := types.NumericRound
			if name == "trunc" {
				fn = types.NumericTrunc
			}
			if k := args[0].typ().Kind; !(k == types.Numeric || k == types.Unknown || k.IsInteger()) {
				return nil, true, undefined()
			}
			return mk(num, []types.T{num, i4}, func(v []types.Value) (types.Value, error) { return fn(v[0], v[1].Int()) })
		}
		ff := math.RoundToEven
		nf := func(v types.Value) (types.Value, error) { return types.NumericRound(v, 0) }
		if name == "trunc" {
			ff = math.Trunc
			nf = func(v types.Value) (types.Value, error) { return types.NumericTrunc(v, 0) }
		}
		return dual(plain(ff), nf)
	case "ceil", "ceiling", "floor":
		up := name != "floor"
		ff := math.Floor
		if up {
			ff = math.Ceil
		}
		return dual(plain(ff), func(v types.Value) (types.Value, error) { return types.NumericCeil(v, up) })
	case "sign":
		return dual(func(x float64) (types.Value, error) {
			switch {
			case x > 0:
				return types.NewFloat(types.Float8, 1), nil
			case x < 0:
				return types.NewFloat(types.Float8, -1), nil
			}
			return types.NewFloat(types.Float8, 0), nil
		}, func(v types.Value) (types.Value, error) { return types.NumericSign(v), nil })
	case "sqrt":
		return dual(func(x float64) (types.Value, error) {
			if x < 0 {
				return types.Null, sqlerr.New("2201F", "cannot take square root of a negative number")
			}
			return types.NewFloat(types.Float8, math.Sqrt(x)), nil
		}, types.NumericSqrt)
	case "cbrt":
		return float1(plain(math.Cbrt))
	case "exp":
		return dual(func(x float64) (types.Value, error) {
			return floatResult(math.Exp(x), math.IsInf(x, 1), math.IsInf(x, -1))
		}, types.NumericExp)
	case "ln":
		return dual(func(x float64) (types.Value, error) {
			if x <= 0 {
				return types.Null, lnErr(x)
			}
			return types.NewFloat(types.Float8, math.Log(x)), nil
		}, types.NumericLn)
	case "log", "log10":
		if name == "log" && len(args) == 2 {
			if _, ok := numericVersion(args); !ok {
				return nil, true, undefined()
			}
			return mk(num, []types.T{num, num}, func(v []types.Value) (types.Value, error) { return types.NumericLog(v[0], v[1]) })
		}
		return dual(func(x float64) (types.Value, error) {
			if x <= 0 {
				return types.Null, lnErr(x)
			}
			return types.NewFloat(types.Float8, math.Log10(x)), nil
		}, func(v types.Value) (types.Value, error) {
			return types.NumericLog(types.NumericFromInt64(10), v)
		})
	case "power", "pow":
		if len(args) != 2 {
			return nil, true, undefined()
		}
		e, err := b.bindPower(args[0], args[1], name)
		return e, true, err
	case "pi":
		if len(args) != 0 {
			return nil, true, undefined()
		}
		return &constExpr{v: types.NewFloat(types.Float8, math.Pi), t: f8, loc: -1}, true, nil
	case "degrees":
		return float1(plain(func(x float64) float64 { return x * (180.0 / math.Pi) }))
	case "radians":
		return float1(plain(func(x float64) float64 { return x * (math.Pi / 180.0) }))
	case "sin", "cos", "tan", "cot", "asin", "acos", "atan":
		fns := map[string]func(float64) float64{"sin": math.Sin, "cos": math.Cos, "tan": math.Tan,
			"cot": func(x float64) float64 { return 1 / math.Tan(x) }, "asin": math.Asin, "acos": math.Acos, "atan": math.Atan}
		f := fns[name]
		return float1(func(x float64) (types.Value, error) {
			if math.IsNaN(x) {
				return types.NewFloat(types.Float8, x), nil
			}
			if (name == "asin" || name == "acos") && (x < -1 || x > 1) {
				return types.Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "input is out of range")
			}
			if math.IsInf(x, 0) && name != "atan" {
				return types.Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "input is out of range")
			}
			return types.NewFloat(types.Float8, f(x)), nil
		})
	case "atan2":
		if len(args) != 2 {
			return nil, true, undefined()
		}
		if _, ok := numericVersion(args); !ok {
			return nil, true, undefined()
		}
		return mk(f8, []types.T{f8, f8}, func(v []types.Value) (types.Value, error) {
			return types.NewFloat(types.Float8, math.Atan2(v[0].Float(), v[1].Float())), nil
		})
	case "mod", "div", "gcd", "lcm":
		if len(args) != 2 {
			return nil, true, undefined()
		}
		k := types.Unknown
		for _, a := range args {
			ak := a.typ().Kind
			if ak != types.Unknown && !(ak.IsInteger() || ak == types.Numeric) {
				return nil, true, undefined()
			}
			if ak != types.Unknown && (k == types.Unknown || widen(k, ak) == ak) {
				k = ak
			}
		}
		if k == types.Unknown || k == types.Int2 && name != "mod" {
			k = types.Int4
			if name == "div" {
				k = types.Numeric
			}
		}
		if name == "div" {
			k = types.Numeric
		}
		t := types.T{Kind: k, Mod: -1}
		switch name {
		case "mod":
			return mk(t, []types.T{t, t}, func(v []types.Value) (types.Value, error) { return types.Arith('%', v[0], v[1], k) })
		case "div":
			return mk(t, []types.T{t, t}, func(v []types.Value) (types.Value, error) { return types.NumericDivTrunc(v[0], v[1]) })
		}
		lcm := name == "lcm"
		if k == types.Numeric {
			return mk(t, []types.T{t, t}, func(v []types.Value) (types.Value, error) { return types.NumericGCD(v[0], v[1], lcm) })
		}
		return mk(t, []types.T{t, t}, func(v []types.Value) (types.Value, error) { return intGCD(v[0].Int(), v[1].Int(), k, lcm) })
	case "factorial":
		return mk(num, []types.T{types.TInt8}, func(v []types.Value) (types.Value, error) { return types.NumericFactorial(v[0].Int()) })
	case "width_bucket":
		if len(args) != 4 {
			return nil, true, undefined()
		}
		isNum, ok := numericVersion(args[:3])
		if !ok {
			return nil, true, undefined()
		}
		if isNum {
			return mk(i4, []types.T{num, num, num, i4}, widthBucketNumeric)
		}
		return mk(i4, []types.T{f8, f8, f8, i4}, widthBucketFloat)
	case "random":
		if len(args) != 0 {
			return nil, true, undefined()
		}
		return &funcExpr{name: name, t: f8, volatile: true, evfn: func(ev *evalCtx, _ []types.Value) (types.Value, error) {
			return types.NewFloat(types.Float8, randomFloat()), nil
		}}, true, nil
	case "setseed":
		if len(args) != 1 {
			return nil, true, undefined()
		}
		a, err := b.coerce(args[0], f8, types.CastImplicit)
		if err != nil {
			return nil, true, undefined()
		}
		return &funcExpr{name: name, args: []expr{a}, t: types.TText, strict: true, volatile: true,
			evfn: func(ev *evalCtx, v []types.Value) (types.Value, error) {
				s := v[0].Float()
				if s < -1 || s > 1 || math.IsNaN(s) {
					return types.Null, sqlerr.New(sqlerr.InvalidParameterValue, "setseed parameter %s is out of allowed range [-1,1]", types.NewFloat(types.Float8, s).String())
				}
				setSeed(s)
				return types.NewText(""), nil
			}}, true, nil
	case "timezone":
		return b.timezoneFunc(args)
	case "pg_typeof":
		if len(args) != 1 {
			return nil, true, undefined()
		}
		return &constExpr{v: types.NewText(regtypeName(args[0].typ())), t: types.TText, loc: -1}, true, nil
	}
	return nil, false, nil
}

// regtypeName is a type's name as regtype prints it (no modifier).
func regtypeName(t types.T) string {
	if t.Kind.IsArray() {
		return regtypeName(t.ElemType()) + "[]"
	}
	switch t.Kind {
	case types.BPChar:
		return "character"
	case types.Unknown:
		return "unknown"
	}
	s := types.T{Kind: t.Kind, Mod: -1}.String()
	return s
}

// intGCD is gcd or lcm over integers of kind k, with PostgreSQL's range
// errors.
func intGCD(a, b int64, k types.Kind, lcm bool) (types.Value, error) {
	minV := int64(math.MinInt32)
	if k == types.Int8 {
		minV = math.MinInt64
	}
	rangeErr := sqlerr.OutOfRange(map[types.Kind]string{types.Int4: "integer", types.Int8: "bigint"}[k])
	g := func(x, y int64) (int64, error) {
		// Work in negatives to handle the minimum value.
		if x > 0 {
			x = -x
		}
		if y > 0 {
			y = -y
		}
		for y != 0 {
			x, y = y, x%y
		}
		if x == minV {
			return 0, rangeErr
		}
		return -x, nil
	}
	if !lcm {
		if (a == minV && (b == 0 || b == minV)) || (b == minV && a == 0) {
			return types.Null, rangeErr
		}
		r, err := g(a, b)
		if err != nil {
			return types.Null, err
		}
		return types.NewInt(k, r), nil
	}
	if a == 0 || b == 0 {
		return types.NewInt(k, 0), nil
	}
	gg, err := g(a, b)
	if err != nil {
		return types.Null, err
	}
	q := a / gg
	r := q * b
	if r/b != q || (q == -1 && b == minV) {
		return types.Null, rangeErr
	}
	if r < 0 {
		if r == minV {
			return types.Null, rangeErr
		}
		r = -r
	}
	if !types.IntInRange(k, r) {
		return types.Null, rangeErr
	}
	return types.NewInt(k, r), nil
}

func widthBucketErrs(count int64, eq bool) error {
	if count <= 0 {
		return sqlerr.New("2201G", "count must be greater than zero")
	}
	if eq {
		return sqlerr.New("2201G", "lower bound cannot equal upper bound")
	}
	return nil
}

func widthBucketFloat(v []types.Value) (types.Value, error) {
	op, b1, b2, count := v[0].Float(), v[1].Float(), v[2].Float(), v[3].Int()
	if err := widthBucketErrs(count, b1 == b2); err != nil {
		return types.Null, err
	}
	if math.IsNaN(op) || math.IsNaN(b1) || math.IsNaN(b2) {
		return types.Null, sqlerr.New("2201G", "operand, lower bound, and upper bound cannot be NaN")
	}
	if math.IsInf(b1, 0) || math.IsInf(b2, 0) {
		return types.Null, sqlerr.New("2201G", "lower and upper bounds must be finite")
	}
	var r int64
	if b1 < b2 {
		switch {
		case op < b1:
			r = 0
		case op >= b2:
			r = count + 1
		default:
			r = int64(float64(count)*((op-b1)/(b2-b1))) + 1
		}
	} else {
		switch {
		case op > b1:
			r = 0
		case op <= b2:
			r = count + 1
		default:
			r = int64(float64(count)*((b1-op)/(b1-b2))) + 1
		}
	}
	if !types.IntInRange(types.Int4, r) {
		return types.Null, sqlerr.OutOfRange("integer")
	}
	return types.NewInt(types.Int4, r), nil
}

func widthBucketNumeric(v []types.Value) (types.Value, error) {
	op, b1, b2, count := v[0], v[1], v[2], v[3].Int()
	for _, x := range v[:3] {
		if s := x.String(); s == "NaN" {
			return types.Null, sqlerr.New("2201G", "operand, lower bound, and upper bound cannot be NaN")
		}
	}
	c := types.Compare(b1, b2)
	if err := widthBucketErrs(count, c == 0); err != nil {
		return types.Null, err
	}
	if strings.Contains(b1.String(), "Infinity") || strings.Contains(b2.String(), "Infinity") {
		return types.Null, sqlerr.New("2201G", "lower and upper bounds must be finite")
	}
	bucket := func(lo, hi, x types.Value) (int64, error) {
		// floor(count * (x - lo) / (hi - lo)) + 1, exactly.
		num, err := types.Arith('-', x, lo, types.Numeric)
		if err != nil {
			return 0, err
		}
		num, err = types.Arith('*', num, types.NumericFromInt64(count), types.Numeric)
		if err != nil {
			return 0, err
		}
		den, err := types.Arith('-', hi, lo, types.Numeric)
		if err != nil {
			return 0, err
		}
		q, err := types.NumericDivTrunc(num, den)
		if err != nil {
			return 0, err
		}
		i, err := types.Cast(q, types.TInt8, types.CastExplicit)
		if err != nil {
			return 0, err
		}
		return i.Int() + 1, nil
	}
	var r int64
	var err error
	if c < 0 {
		switch {
		case types.Compare(op, b1) < 0:
			r = 0
		case types.Compare(op, b2) >= 0:
			r = count + 1
		default:
			r, err = bucket(b1, b2, op)
		}
	} else {
		switch {
		case types.Compare(op, b1) > 0:
			r = 0
		case types.Compare(op, b2) <= 0:
			r = count + 1
		default:
			r, err = bucket2(b1, b2, op, count)
		}
	}
	if err != nil {
		return types.Null, err
	}
	if !types.IntInRange(types.Int4, r) {
		return types.Null, sqlerr.OutOfRange("integer")
	}
	return types.NewInt(types.Int4, r), nil
}

// bucket2 is the descending-bounds bucket: floor(count * (b1 - x) /
// (b1 - b2)) + 1.
func bucket2(b1, b2, x types.Value, count int64) (int64, error) {
	num, err := types.Arith('-', b1, x, types.Numeric)
	if err != nil {
		return 0, err
	}
	if num, err = types.Arith('*', num, types.NumericFromInt64(count), types.Numeric); err != nil {
		return 0, err
	}
	den, err := types.Arith('-', b1, b2, types.Numeric)
	if err != nil {
		return 0, err
	}
	q, err := types.NumericDivTrunc(num, den)
	if err != nil {
		return 0, err
	}
	i, err := types.Cast(q, types.TInt8, types.CastExplicit)
	if err != nil {
		return 0, err
	}
	return i.Int() + 1, nil
}

// bindPower binds x ^ y and power(x, y): numeric when an argument is
// numeric (and none is a float), float8 otherwise.
func (b *binder) bindPower(l, r expr, name string) (expr, error) {
	isNum, ok := numericVersion([]expr{l, r})
	if !ok {
		if name == "^" {
			return nil, sqlerr.UndefinedOperatorErr("operator does not exist: %s ^ %s", l.typ(), r.typ())
		}
		return nil, sqlerr.UndefinedFunctionErr("function %s(%s) does not exist", name, argTypes([]expr{l, r}))
	}
	t := types.TFloat8
	fn := types.Power
	if isNum {
		t, fn = types.TNumeric, types.NumericPower
	}
	var err error
	if l, err = b.coerce(l, t, types.CastImplicit); err != nil {
		return nil, err
	}
	if r, err = b.coerce(r, t, types.CastImplicit); err != nil {
		return nil, err
	}
	return b.foldOrDefer(&funcExpr{name: "pow", args: []expr{l, r}, t: t, strict: true,
		fn: func(v []types.Value) (types.Value, error) { return fn(v[0], v[1]) }})
}

// asFloat8 converts a numeric argument to float8 (for |/ and ||/, which
// have float8 versions only); others are left for the caller's checks.
func (b *binder) asFloat8(e expr) expr {
	if e.typ().Kind == types.Numeric {
		if c, err := b.coerce(e, types.TFloat8, types.CastImplicit); err == nil {
			return c
		}
	}
	return e
}

// bindMathUnary binds the prefix operators |/ (square root), ||/ (cube
// root) and @ (absolute value); ok is false for another operator.
func (b *binder) bindMathUnary(op string, arg expr) (e expr, ok bool, err error) {
	switch op {
	case "|/":
		e, _, err = b.mathFunc("sqrt", []expr{b.asFloat8(arg)})
	case "||/":
		e, _, err = b.mathFunc("cbrt", []expr{b.asFloat8(arg)})
	case "@":
		e, err = b.builtin("abs", []expr{arg})
	default:
		return nil, false, nil
	}
	if err != nil && sqlerr.Code(err) == sqlerr.UndefinedFunction {
		err = sqlerr.UndefinedOperatorErr("operator does not exist: %s %s", op, arg.typ())
	}
	return e, true, err
}

// implementedFuncs are the names of knownPGFunctions that now exist
// (math.go, bind_strfuncs2.go, regex.go, srf.go): a call with arguments
// that fit none of their versions is 42883, as in PostgreSQL.
var implementedFuncs = map[string]bool{
	"round": true, "trunc": true, "floor": true, "ceil": true, "ceiling": true, "sqrt": true, "cbrt": true,
	"power": true, "pow": true, "exp": true, "ln": true, "log": true, "log10": true, "mod": true, "sign": true,
	"div": true, "pi": true, "random": true, "setseed": true, "width_bucket": true, "gcd": true, "lcm": true,
	"concat": true, "concat_ws": true, "substring": true, "substr": true, "position": true,
	"trim": true, "btrim": true, "ltrim": true, "rtrim": true, "lpad": true, "rpad": true,
	"bit_length": true, "encode": true, "decode": true, "format": true, "quote_ident": true,
	"quote_literal": true, "quote_nullable": true, "regexp_replace": true, "regexp_match": true,
	"regexp_matches": true, "regexp_split_to_array": true, "translate": true, "to_hex": true,
	"to_number": true, "timezone": true, "generate_series": true, "generate_subscripts": true, "unnest": true,
	"jsonb_array_elements": true, "jsonb_each": true, "json_array_elements": true, "json_each": true,
}

// foldOrDefer folds a call over constants; when that fails, the call is
// kept, to fail at execution as PostgreSQL reports such errors (without
// a position in the statement).
func (b *binder) foldOrDefer(e *funcExpr) (expr, error) {
	f, err := b.fold(e, -1)
	if err != nil {
		return e, nil
	}
	return f, nil
}
