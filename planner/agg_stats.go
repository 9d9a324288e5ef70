package planner

// Statistical and bitwise aggregates: stddev, stddev_samp, stddev_pop,
// variance, var_samp, var_pop (numeric for integer and numeric input,
// computed exactly as PostgreSQL does; double precision for float input,
// with PostgreSQL's Youngs-Cramer accumulation so that the digits match),
// corr, covar_pop, covar_samp, the regr_* family, and bit_and, bit_or,
// bit_xor over integers. They are bound through bindMoreAggregate
// (agg_more.go) and so take DISTINCT, FILTER and ORDER BY, and work as
// window functions.

import (
	"math"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
)

// statsAggNames are the aggregates of this file.
var statsAggNames = map[string]bool{
	"stddev": true, "stddev_samp": true, "stddev_pop": true,
	"variance": true, "var_samp": true, "var_pop": true,
	"corr": true, "covar_pop": true, "covar_samp": true,
	"regr_avgx": true, "regr_avgy": true, "regr_count": true, "regr_intercept": true,
	"regr_r2": true, "regr_slope": true, "regr_sxx": true, "regr_sxy": true, "regr_syy": true,
	"bit_and": true, "bit_or": true, "bit_xor": true,
}

func init() {
	for n := range statsAggNames {
		moreAggNames[n] = true
	}
}

// bindStatsAggregate types the arguments of one of this file's aggregates
// and sets its result type and final function.
func (b *binder) bindStatsAggregate(name string, call *aggCall, ext *aggExt, args []expr, undefined func() error) error {
	notUnique := func() error {
		return sqlerr.New(sqlerr.AmbiguousFunction, "function %s(%s) is not unique", name, argTypes(args)).
			WithHint("Could not choose a best candidate function. You might need to add explicit type casts.")
	}
	var err error
	switch name {
	case "stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop":
		if len(args) != 1 {
			return undefined()
		}
		sample := name != "stddev_pop" && name != "var_pop"
		variance := name == "variance" || name == "var_samp" || name == "var_pop"
		switch args[0].typ().Kind {
		case types.Int2, types.Int4, types.Int8, types.Numeric:
			if args[0], err = b.coerce(args[0], types.TNumeric, types.CastImplicit); err != nil {
				return err
			}
			call.t = types.TNumeric
			ext.newAcc = func() aggAcc { return &numericVarAcc{sample: sample, variance: variance} }
		case types.Float4, types.Float8, types.Unknown:
			if args[0], err = b.coerce(args[0], types.TFloat8, types.CastImplicit); err != nil {
				return err
			}
			call.t = types.TFloat8
			ext.newAcc = func() aggAcc { return &floatAcc{sample: sample, variance: variance} }
		default:
			return undefined()
		}
	case "corr", "covar_pop", "covar_samp", "regr_avgx", "regr_avgy", "regr_count",
		"regr_intercept", "regr_r2", "regr_slope", "regr_sxx", "regr_sxy", "regr_syy":
		if len(args) != 2 {
			return undefined()
		}
		for i := range args {
			k := args[i].typ().Kind
			if k != types.Unknown && !k.IsNumeric() {
				return undefined()
			}
		}
		for i := range args {
			if args[i], err = b.coerce(args[i], types.TFloat8, types.CastImplicit); err != nil {
				return err
			}
		}
		call.t = types.TFloat8
		if name == "regr_count" {
			call.t = types.TInt8
		}
		ext.newAcc = func() aggAcc { return &regrAcc{name: name} }
	case "bit_and", "bit_or", "bit_xor":
		if len(args) != 1 {
			return undefined()
		}
		k := args[0].typ().Kind
		switch k {
		case types.Unknown:
			return notUnique()
		case types.Int2, types.Int4, types.Int8:
		default:
			return undefined()
		}
		call.t = types.T{Kind: k, Mod: -1}
		ext.newAcc = func() aggAcc { return &bitAcc{name: name, k: k} }
	}
	if ext.newAcc == nil {
		return undefined()
	}
	// With ORDER BY in the call, the kept rows are sorted, then fed to an
	// accumulator in that order.
	ext.final = func(rows [][]types.Value) (types.Value, error) {
		acc := ext.newAcc()
		for _, r := range rows {
			if err := acc.add(r); err != nil {
				return types.Null, err
			}
		}
		return acc.result()
	}
	return nil
}

// numericVarAcc accumulates a numeric variance or standard deviation.
type numericVarAcc struct {
	acc              types.NumericVarAcc
	sample, variance bool
}

func (a *numericVarAcc) add(args []types.Value) error {
	if args[0].IsNull() {
		return nil
	}
	return a.acc.Add(args[0])
}

func (a *numericVarAcc) result() (types.Value, error) { return a.acc.Result(a.sample, a.variance) }

// bitAcc accumulates bit_and, bit_or or bit_xor.
type bitAcc struct {
	name string
	k    types.Kind
	res  int64
	any  bool
}

func (a *bitAcc) add(args []types.Value) error {
	if args[0].IsNull() {
		return nil
	}
	x := args[0].Int()
	switch {
	case !a.any:
		a.res = x
	case a.name == "bit_and":
		a.res &= x
	case a.name == "bit_or":
		a.res |= x
	default:
		a.res ^= x
	}
	a.any = true
	return nil
}

func (a *bitAcc) result() (types.Value, error) {
	if !a.any {
		return types.Null, nil
	}
	return types.NewInt(a.k, a.res), nil
}

// floatAcc is PostgreSQL's float8_accum state: count, sum and the sum of
// squared differences from the running mean (Youngs-Cramer).
type floatAcc struct {
	n, sx, sxx       float64
	sample, variance bool
}

func (a *floatAcc) add(args []types.Value) error {
	if args[0].IsNull() {
		return nil
	}
	return a.addFloat(args[0].Float())
}

func (a *floatAcc) result() (types.Value, error) { return a.value(), nil }

func (a *floatAcc) addFloat(x float64) error {
	prevN, prevSx := a.n, a.sx
	a.n++
	a.sx += x
	if prevN > 0 {
		tmp := x*a.n - a.sx
		a.sxx += tmp * tmp / (a.n * prevN)
		if math.IsInf(a.sx, 0) || math.IsInf(a.sxx, 0) {
			if !math.IsInf(prevSx, 0) && !math.IsInf(x, 0) {
				return floatOverflow()
			}
			a.sxx = math.NaN()
		}
	} else if math.IsNaN(x) || math.IsInf(x, 0) {
		a.sxx = math.NaN()
	}
	return nil
}

// value is float8_var_pop/var_samp/stddev_pop/stddev_samp.
func (a *floatAcc) value() types.Value {
	d := a.n
	if a.sample {
		if a.n <= 1 {
			return types.Null
		}
		d = a.n - 1
	} else if a.n == 0 {
		return types.Null
	}
	v := a.sxx / d
	if !a.variance {
		v = math.Sqrt(v)
	}
	return types.NewFloat(types.Float8, v)
}

// regrAcc is PostgreSQL's float8_regr_accum state over (Y, X) pairs.
type regrAcc struct {
	name                     string
	n, sx, sxx, sy, syy, sxy float64
}

func (a *regrAcc) add(args []types.Value) error {
	if args[0].IsNull() || args[1].IsNull() {
		return nil
	}
	return a.addPair(args[0].Float(), args[1].Float())
}

func (a *regrAcc) result() (types.Value, error) { return a.final(a.name), nil }

func (a *regrAcc) addPair(y, x float64) error {
	prevN, prevSx, prevSy := a.n, a.sx, a.sy
	a.n++
	a.sx += x
	a.sy += y
	if prevN > 0 {
		tx := x*a.n - a.sx
		ty := y*a.n - a.sy
		scale := 1.0 / (a.n * prevN)
		a.sxx += tx * tx * scale
		a.syy += ty * ty * scale
		a.sxy += tx * ty * scale
		if math.IsInf(a.sx, 0) || math.IsInf(a.sxx, 0) || math.IsInf(a.sy, 0) || math.IsInf(a.syy, 0) || math.IsInf(a.sxy, 0) {
			if ((math.IsInf(a.sx, 0) || math.IsInf(a.sxx, 0)) && !math.IsInf(prevSx, 0) && !math.IsInf(x, 0)) ||
				((math.IsInf(a.sy, 0) || math.IsInf(a.syy, 0)) && !math.IsInf(prevSy, 0) && !math.IsInf(y, 0)) ||
				(math.IsInf(a.sxy, 0) && !math.IsInf(prevSx, 0) && !math.IsInf(x, 0) && !math.IsInf(prevSy, 0) && !math.IsInf(y, 0)) {
				return floatOverflow()
			}
			if math.IsInf(a.sxx, 0) {
				a.sxx = math.NaN()
			}
			if math.IsInf(a.syy, 0) {
				a.syy = math.NaN()
			}
			if math.IsInf(a.sxy, 0) {
				a.sxy = math.NaN()
			}
		}
	} else {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			a.sxx, a.sxy = math.NaN(), math.NaN()
		}
		if math.IsNaN(y) || math.IsInf(y, 0) {
			a.syy, a.sxy = math.NaN(), math.NaN()
		}
	}
	return nil
}

// final is the final function of the named two-argument aggregate.
func (a *regrAcc) final(name string) types.Value {
	f := func(v float64) types.Value { return types.NewFloat(types.Float8, v) }
	if name == "regr_count" {
		return types.NewInt(types.Int8, int64(a.n))
	}
	if a.n < 1 {
		return types.Null
	}
	switch name {
	case "regr_sxx":
		return f(a.sxx)
	case "regr_syy":
		return f(a.syy)
	case "regr_sxy":
		return f(a.sxy)
	case "regr_avgx":
		return f(a.sx / a.n)
	case "regr_avgy":
		return f(a.sy / a.n)
	case "covar_pop":
		return f(a.sxy / a.n)
	case "covar_samp":
		if a.n < 2 {
			return types.Null
		}
		return f(a.sxy / (a.n - 1))
	case "corr":
		if a.sxx == 0 || a.syy == 0 {
			return types.Null
		}
		return f(a.sxy / math.Sqrt(a.sxx*a.syy))
	case "regr_r2":
		if a.sxx == 0 {
			return types.Null
		}
		if a.syy == 0 {
			return f(1)
		}
		return f(a.sxy * a.sxy / (a.sxx * a.syy))
	case "regr_slope":
		if a.sxx == 0 {
			return types.Null
		}
		return f(a.sxy / a.sxx)
	case "regr_intercept":
		if a.sxx == 0 {
			return types.Null
		}
		return f((a.sy - a.sx*a.sxy/a.sxx) / a.n)
	}
	return types.Null
}

// floatOverflow is PostgreSQL's float_overflow_error.
func floatOverflow() error {
	return sqlerr.New(sqlerr.NumericValueOutOfRange, "value out of range: overflow")
}
