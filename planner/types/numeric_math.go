package types

// Mathematical functions over numeric values (round, trunc, ceil, floor,
// sign, sqrt, exp, ln, log, power, div, factorial) with PostgreSQL 15's
// result scales and error reports.

import (
	"math"
	"math/big"
	"strconv"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/cockroachdb/apd/v3"
)

// maxResultScale is NUMERIC_MAX_RESULT_SCALE: the bound round and trunc
// clamp their scale argument to.
const maxResultScale = 2000

// bigCtx quantizes without losing digits of values numeric can hold.
var bigCtx = ctxFor(maxNumericWeight+maxNumericScale+8, apd.RoundHalfUp)

// isSpecial reports whether d is NaN or infinite.
func isSpecial(d *apd.Decimal) bool { return d.Form != apd.Finite }

// numResult wraps d after checking its size.
func numResult(d *apd.Decimal) (Value, error) {
	if err := checkNumericSize(d); err != nil {
		return Null, err
	}
	return NewNumeric(d), nil
}

// NumericRound is round(numeric, int): half away from zero to scale
// digits after the point (a negative scale rounds before the point); the
// result shows max(scale, 0) digits after the point.
func NumericRound(v Value, scale int64) (Value, error) {
	return numericRoundMode(v, scale, apd.RoundHalfUp)
}

// NumericTrunc is trunc(numeric, int): like NumericRound, toward zero.
func NumericTrunc(v Value, scale int64) (Value, error) {
	return numericRoundMode(v, scale, apd.RoundDown)
}

func numericRoundMode(v Value, scale int64, mode apd.Rounder) (Value, error) {
	d := v.Decimal()
	if isSpecial(d) {
		return v, nil
	}
	scale = max(min(scale, maxResultScale), -maxResultScale)
	prec := d.NumDigits() + int64(d.Exponent) + scale + 2
	var r apd.Decimal
	if prec < 1 {
		// Everything is rounded away.
		r.SetInt64(0)
	} else if _, err := ctxFor(uint32(prec), mode).Quantize(&r, d, int32(-scale)); err != nil {
		return Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
	}
	if scale < 0 {
		// Keep the rounded value but show no digits after the point.
		if _, err := bigCtx.Quantize(&r, &r, 0); err != nil {
			return Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
		}
	}
	if r.IsZero() {
		r.Negative = false
	}
	return numResult(&r)
}

// NumericCeil is ceil(numeric) (up is false: floor(numeric)).
func NumericCeil(v Value, up bool) (Value, error) {
	d := v.Decimal()
	if isSpecial(d) {
		return v, nil
	}
	mode := apd.RoundFloor
	if up {
		mode = apd.RoundCeiling
	}
	prec := d.NumDigits() + int64(d.Exponent) + 2
	var r apd.Decimal
	if prec < 1 {
		prec = 1
	}
	if _, err := ctxFor(uint32(prec), mode).Quantize(&r, d, 0); err != nil {
		return Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
	}
	if r.IsZero() {
		r.Negative = false
	}
	return numResult(&r)
}

// NumericSign is sign(numeric): -1, 0 or 1.
func NumericSign(v Value) Value {
	d := v.Decimal()
	switch {
	case d.Form == apd.NaN || d.Form == apd.NaNSignaling:
		return v
	case d.IsZero():
		return NewNumeric(apd.New(0, 0))
	case d.Negative:
		return NewNumeric(apd.New(-1, 0))
	}
	return NewNumeric(apd.New(1, 0))
}

// decWeight returns floor(log10(|d|)) for a finite nonzero d.
func decWeight(d *apd.Decimal) int64 { return d.NumDigits() - 1 + int64(d.Exponent) }

// clampScale applies PostgreSQL's bounds to a result scale.
func clampScale(rscale int64, inputs ...*apd.Decimal) int32 {
	for _, d := range inputs {
		rscale = max(rscale, int64(scaleOf(d)))
	}
	rscale = max(rscale, 0)
	rscale = min(rscale, maxDisplayScale)
	return int32(rscale)
}

// computeScaled runs f at a precision good for rscale digits after the
// point of a result whose decimal weight is about weight, then rounds.
func computeScaled(weight int64, rscale int32, f func(ctx *apd.Context, r *apd.Decimal) error) (Value, error) {
	prec := max(weight, 0) + int64(rscale) + 8
	if prec > 100000 {
		return Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
	}
	ctx := ctxFor(uint32(prec), apd.RoundHalfEven)
	var r apd.Decimal
	if err := f(ctx, &r); err != nil {
		return Null, err
	}
	out, err := roundToScale(&r, rscale)
	if err != nil {
		return Null, err
	}
	if out.IsZero() {
		out.Negative = false
	}
	return numResult(out)
}

// NumericSqrt is sqrt(numeric).
func NumericSqrt(v Value) (Value, error) {
	d := v.Decimal()
	if d.Form == apd.NaN || d.Form == apd.NaNSignaling {
		return v, nil
	}
	if d.Negative && !d.IsZero() {
		return Null, sqlerr.New("2201F", "cannot take square root of a negative number")
	}
	if d.Form == apd.Infinite {
		return v, nil
	}
	w, _ := nbaseWeight(d)
	sweight := (w+1)*4/2 - 1
	rscale := clampScale(int64(minSigDigits)-sweight, d)
	return computeScaled(decWeight(d)/2+1, rscale, func(ctx *apd.Context, r *apd.Decimal) error {
		_, err := ctx.Sqrt(r, d)
		return err
	})
}

// numToFloat approximates d as a float64 (saturating).
func numToFloat(d *apd.Decimal) float64 {
	f, err := d.Float64()
	if err != nil {
		if d.Negative {
			return math.Inf(-1)
		}
		return math.Inf(1)
	}
	return f
}

// NumericExp is exp(numeric).
func NumericExp(v Value) (Value, error) {
	d := v.Decimal()
	if d.Form == apd.NaN || d.Form == apd.NaNSignaling {
		return v, nil
	}
	if d.Form == apd.Infinite {
		if d.Negative {
			return NewNumeric(apd.New(0, 0)), nil
		}
		return v, nil
	}
	val := numToFloat(d)
	if math.Abs(val) >= maxResultScale*3 {
		if val > 0 {
			return Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
		}
		return numResult(apd.New(0, -maxDisplayScale))
	}
	dw := val * 0.434294481903252
	dw = max(min(dw, float64(maxResultScale)), -float64(maxResultScale))
	rscale := clampScale(int64(minSigDigits)-int64(dw), d)
	if dw > maxNumericWeight {
		return Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
	}
	return computeScaled(int64(math.Max(dw, 0))+1, rscale, func(ctx *apd.Context, r *apd.Decimal) error {
		if _, err := ctx.Exp(r, d); err != nil {
			return sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
		}
		return nil
	})
}

// lnDWeight is PostgreSQL's estimate_ln_dweight: the decimal weight of
// ln(d), for choosing result scales.
func lnDWeight(d *apd.Decimal) int64 {
	if d.Negative || d.Form != apd.Finite || d.IsZero() {
		return 0
	}
	f := numToFloat(d)
	if f >= 0.9 && f <= 1.1 {
		var x apd.Decimal
		_, _ = exactCtx.Sub(&x, d, apd.New(1, 0))
		if x.IsZero() {
			return 0
		}
		return decWeight(&x)
	}
	c := d.Coeff.String()
	lead := c
	if len(lead) > 15 {
		lead = lead[:15]
	}
	exp := int64(d.Exponent) + int64(len(c)-len(lead))
	lf, _ := strconv.ParseFloat(lead, 64)
	lnVar := math.Log(lf) + float64(exp)*2.302585092994046
	return int64(math.Log10(math.Abs(lnVar)))
}

func lnArgErr(d *apd.Decimal) error {
	if d.IsZero() {
		return sqlerr.New("2201E", "cannot take logarithm of zero")
	}
	return sqlerr.New("2201E", "cannot take logarithm of a negative number")
}

// NumericLn is ln(numeric).
func NumericLn(v Value) (Value, error) {
	d := v.Decimal()
	if d.Form == apd.NaN || d.Form == apd.NaNSignaling {
		return v, nil
	}
	if d.Form == apd.Infinite {
		if d.Negative {
			return Null, lnArgErr(d)
		}
		return v, nil
	}
	if d.Negative || d.IsZero() {
		return Null, lnArgErr(d)
	}
	rscale := clampScale(int64(minSigDigits)-lnDWeight(d), d)
	return computeScaled(8, rscale, func(ctx *apd.Context, r *apd.Decimal) error {
		_, err := ctx.Ln(r, d)
		return err
	})
}

// NumericLog is log(base, x) over numerics.
func NumericLog(base, x Value) (Value, error) {
	b, d := base.Decimal(), x.Decimal()
	if b.Form == apd.NaN || d.Form == apd.NaN {
		return NewNumeric(&apd.Decimal{Form: apd.NaN}), nil
	}
	for _, a := range []*apd.Decimal{b, d} {
		if a.Negative || a.IsZero() {
			return Null, lnArgErr(a)
		}
	}
	if b.Form == apd.Infinite || d.Form == apd.Infinite {
		return Null, sqlerr.Unsupported("log of infinite numeric values is not supported yet")
	}
	if b.Cmp(apd.New(1, 0)) == 0 {
		return Null, sqlerr.DivisionByZeroErr()
	}
	rscale := clampScale(int64(minSigDigits)-(lnDWeight(d)-lnDWeight(b)), b, d)
	return computeScaled(8, rscale, func(ctx *apd.Context, r *apd.Decimal) error {
		c := *ctx
		c.Precision += 10
		var lb, lx apd.Decimal
		if _, err := c.Ln(&lb, b); err != nil {
			return err
		}
		if _, err := c.Ln(&lx, d); err != nil {
			return err
		}
		_, err := c.Quo(r, &lx, &lb)
		return err
	})
}

// NumericPower is numeric ^ numeric (power(numeric, numeric)).
func NumericPower(base, exp Value) (Value, error) {
	b, e := base.Decimal(), exp.Decimal()
	one := apd.New(1, 0)
	if b.Form == apd.NaN || e.Form == apd.NaN {
		// 1 ^ NaN and NaN ^ 0 are 1.
		if (b.Form == apd.Finite && b.Cmp(one) == 0) || (e.Form == apd.Finite && e.IsZero()) {
			return NewNumeric(apd.New(1, 0)), nil
		}
		return NewNumeric(&apd.Decimal{Form: apd.NaN}), nil
	}
	if isSpecial(b) || isSpecial(e) {
		return Null, sqlerr.Unsupported("infinite numeric powers are not supported yet")
	}
	if b.IsZero() && e.Negative && !e.IsZero() {
		return Null, sqlerr.New("2201F", "zero raised to a negative power is undefined")
	}
	var frac apd.Decimal
	var intPart apd.Decimal
	e.Modf(&intPart, &frac)
	isInt := frac.IsZero()
	if b.Negative && !b.IsZero() && !isInt {
		return Null, sqlerr.New("2201F", "a negative number raised to a non-integer power yields a complex result")
	}
	if isInt {
		n, err := intPart.Int64()
		if err == nil && n >= math.MinInt32 && n <= math.MaxInt32 {
			rscale := clampScale(int64(minSigDigits), b)
			if b.IsZero() {
				if n == 0 {
					one, err := roundToScale(apd.New(1, 0), rscale)
					if err != nil {
						return Null, err
					}
					return numResult(one)
				}
				return numResult(apd.New(0, -int32(rscale)))
			}
			// Result weight estimate.
			lw := float64(n) * math.Log10(math.Abs(numToFloat(b)))
			if math.IsInf(numToFloat(b), 0) || math.IsNaN(lw) {
				lw = float64(n) * float64(decWeight(b)+1)
			}
			if lw > maxNumericWeight+1 {
				return Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
			}
			if lw < -float64(rscale)-2 {
				return numResult(apd.New(0, -int32(rscale)))
			}
			return computeScaled(int64(math.Max(lw, 0))+2, rscale, func(ctx *apd.Context, r *apd.Decimal) error {
				_, err := ctx.Pow(r, b, &intPart)
				if err != nil {
					return sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
				}
				return nil
			})
		}
	}
	if b.IsZero() {
		return numResult(apd.New(0, -int32(minSigDigits)))
	}
	val := math.Log(math.Abs(numToFloat(b))) * numToFloat(e)
	if math.Abs(val) > maxResultScale*3.01 {
		if val > 0 {
			return Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
		}
		return numResult(apd.New(0, -maxDisplayScale))
	}
	val *= 0.434294481903252
	rscale := clampScale(int64(minSigDigits)-int64(val), b, e)
	return computeScaled(int64(math.Max(val, 0))+2, rscale, func(ctx *apd.Context, r *apd.Decimal) error {
		_, err := ctx.Pow(r, b, e)
		if err != nil {
			return sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
		}
		return nil
	})
}

// NumericDivTrunc is div(numeric, numeric): the quotient truncated toward
// zero.
func NumericDivTrunc(a, b Value) (Value, error) {
	x, y := a.Decimal(), b.Decimal()
	if x.Form == apd.NaN || y.Form == apd.NaN {
		return NewNumeric(&apd.Decimal{Form: apd.NaN}), nil
	}
	if y.Form == apd.Finite && y.IsZero() {
		return Null, sqlerr.DivisionByZeroErr()
	}
	if isSpecial(x) || isSpecial(y) {
		return Null, sqlerr.Unsupported("div of infinite numeric values is not supported yet")
	}
	prec := decWeight(x) - decWeight(y) + 4
	if prec < 1 {
		return NewNumeric(apd.New(0, 0)), nil
	}
	var r apd.Decimal
	if _, err := ctxFor(uint32(prec), apd.RoundDown).QuoInteger(&r, x, y); err != nil {
		return Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
	}
	if _, err := bigCtx.Quantize(&r, &r, 0); err != nil {
		return Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
	}
	if r.IsZero() {
		r.Negative = false
	}
	return numResult(&r)
}

// NumericFactorial is factorial(bigint).
func NumericFactorial(n int64) (Value, error) {
	if n < 0 {
		return Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "factorial of a negative number is undefined")
	}
	if n > 32177 {
		return Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
	}
	var f big.Int
	f.MulRange(1, max(n, 1))
	var d apd.Decimal
	d.Coeff.SetMathBigInt(&f)
	return numResult(&d)
}

// NumericGCD is gcd(numeric, numeric) and, with lcm set, lcm.
func NumericGCD(a, b Value, lcm bool) (Value, error) {
	x, y := a.Decimal(), b.Decimal()
	if isSpecial(x) || isSpecial(y) {
		return NewNumeric(&apd.Decimal{Form: apd.NaN}), nil
	}
	scale := max(scaleOf(x), scaleOf(y))
	toInt := func(d *apd.Decimal) *big.Int {
		var q apd.Decimal
		_, _ = bigCtx.Quantize(&q, d, -scale)
		bi := q.Coeff.MathBigInt()
		return bi
	}
	xi, yi := toInt(x), toInt(y)
	var g big.Int
	g.GCD(nil, nil, xi, yi)
	res := &g
	if lcm {
		if xi.Sign() == 0 || yi.Sign() == 0 {
			res = big.NewInt(0)
		} else {
			var p big.Int
			p.Mul(xi, yi)
			p.Quo(&p, &g)
			res = &p
		}
	}
	var d apd.Decimal
	d.Coeff.SetMathBigInt(res)
	d.Exponent = -scale
	return numResult(&d)
}
