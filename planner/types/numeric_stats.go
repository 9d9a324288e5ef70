package types

// numeric_stats: variance and standard deviation of numerics, computed
// from exact sums as PostgreSQL's numeric_stddev_internal does.

import (
	"github.com/cockroachdb/apd/v3"
)

// NumericVarAcc accumulates numeric values for variance and standard
// deviation: their count, and the exact sums of X and X².
type NumericVarAcc struct {
	n          int64
	sumX       apd.Decimal
	sumX2      apd.Decimal
	nonFinites int64 // NaN and infinite values
}

// Add adds a non-NULL numeric value.
func (a *NumericVarAcc) Add(v Value) error {
	a.n++
	d := v.Decimal()
	if d.Form != apd.Finite {
		a.nonFinites++
		return nil
	}
	var sq apd.Decimal
	if _, err := exactCtx.Mul(&sq, d, d); err != nil {
		return err
	}
	if _, err := exactCtx.Add(&a.sumX, &a.sumX, d); err != nil {
		return err
	}
	if _, err := exactCtx.Add(&a.sumX2, &a.sumX2, &sq); err != nil {
		return err
	}
	return checkNumericSize(&a.sumX2)
}

// Result returns the variance (or, with !variance, the standard
// deviation), sample or population, with PostgreSQL's result scales: the
// variance is the quotient of exact sums at select_div_scale, and the
// square root keeps that scale. NULL for no values (or one, for a
// sample); NaN when any value is NaN or infinite.
func (a *NumericVarAcc) Result(sample, variance bool) (Value, error) {
	n := a.n
	if n == 0 || sample && n <= 1 {
		return Null, nil
	}
	if a.nonFinites > 0 {
		return NewNumeric(&apd.Decimal{Form: apd.NaN}), nil
	}
	// numerator = N * sumX2 - sumX * sumX
	var sq, nx2, num apd.Decimal
	if _, err := exactCtx.Mul(&sq, &a.sumX, &a.sumX); err != nil {
		return Null, err
	}
	if _, err := exactCtx.Mul(&nx2, apd.New(n, 0), &a.sumX2); err != nil {
		return Null, err
	}
	if _, err := exactCtx.Sub(&num, &nx2, &sq); err != nil {
		return Null, err
	}
	if num.Sign() <= 0 {
		return NewNumeric(apd.New(0, 0)), nil
	}
	m := apd.New(n, 0)
	if sample {
		m = apd.New(n-1, 0)
	}
	den := new(apd.Decimal)
	if _, err := exactCtx.Mul(den, apd.New(n, 0), m); err != nil {
		return Null, err
	}
	q, err := numericArith('/', &num, den)
	if err != nil {
		return Null, err
	}
	if variance {
		return numResult(q)
	}
	rscale := divScale(&num, den)
	return computeScaled(decWeight(q)/2+1, rscale, func(ctx *apd.Context, r *apd.Decimal) error {
		_, err := ctx.Sqrt(r, q)
		return err
	})
}

// NumericVariance is NumericVarAcc's Result over vals.
func NumericVariance(vals []Value, sample, variance bool) (Value, error) {
	var a NumericVarAcc
	for _, v := range vals {
		if err := a.Add(v); err != nil {
			return Null, err
		}
	}
	return a.Result(sample, variance)
}
