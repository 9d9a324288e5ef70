package types

// numeric: arbitrary precision decimals (apd) with PostgreSQL display scales, rounding and key encoding.

import (
	"math"
	"strconv"
	"strings"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/cockroachdb/apd/v3"
)

// maxNumericDigits bounds the digits of a numeric value, so that a client
// cannot make the engine compute with numbers of unbounded size. PostgreSQL
// allows 131072 digits before the point and 16383 after.
const (
	maxNumericWeight = 131072
	maxNumericScale  = 16383
	maxDisplayScale  = 1000 // NUMERIC_MAX_DISPLAY_SCALE
	minSigDigits     = 16   // NUMERIC_MIN_SIG_DIGITS
)

// exactCtx computes sums, differences and products exactly (precision 0
// disables rounding in apd).
var exactCtx = apd.Context{
	MaxExponent: apd.MaxExponent,
	MinExponent: apd.MinExponent,
	Traps:       apd.InvalidOperation,
	Rounding:    apd.RoundHalfUp,
}

// ctxFor returns a context rounding half away from zero (as PostgreSQL
// rounds numerics) at the given precision.
func ctxFor(prec uint32, rounding apd.Rounder) *apd.Context {
	if prec < 1 {
		prec = 1
	}
	return &apd.Context{
		Precision:   prec,
		MaxExponent: apd.MaxExponent,
		MinExponent: apd.MinExponent,
		Traps:       apd.InvalidOperation,
		Rounding:    rounding,
	}
}

// parseNumeric is numeric's input function: optional spaces and sign,
// digits with an optional point, an optional exponent, NaN or Infinity.
func parseNumeric(s string) (*apd.Decimal, error) {
	t := trimSpace(s)
	switch strings.ToLower(t) {
	case "nan":
		return &apd.Decimal{Form: apd.NaN}, nil
	case "infinity", "+infinity", "inf", "+inf":
		return &apd.Decimal{Form: apd.Infinite}, nil
	case "-infinity", "-inf":
		return &apd.Decimal{Form: apd.Infinite, Negative: true}, nil
	}
	i := 0
	if i < len(t) && (t[i] == '+' || t[i] == '-') {
		i++
	}
	digits := 0
	intDigits, fracDigits := 0, 0 // significant digits before and after the point
	nonzero := false
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		if t[i] != '0' || nonzero {
			nonzero = true
			intDigits++
		}
		i++
		digits++
	}
	if i < len(t) && t[i] == '.' {
		i++
		for i < len(t) && t[i] >= '0' && t[i] <= '9' {
			nonzero = nonzero || t[i] != '0'
			i++
			digits++
			fracDigits++
		}
	}
	if digits == 0 {
		return nil, sqlerr.InvalidText("numeric", s)
	}
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		i++
		if i < len(t) && (t[i] == '+' || t[i] == '-') {
			i++
		}
		start := i
		for i < len(t) && t[i] >= '0' && t[i] <= '9' {
			i++
		}
		if i == start {
			return nil, sqlerr.InvalidText("numeric", s)
		}
		if i-start > 6 {
			return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
		}
	}
	if i != len(t) {
		return nil, sqlerr.InvalidText("numeric", s)
	}
	// Refuse values too large for numeric before the (superlinear) decimal
	// conversion: the exponent has at most six digits here.
	exp := 0
	if at := strings.IndexAny(t, "eE"); at >= 0 {
		exp, _ = strconv.Atoi(strings.TrimPrefix(t[at+1:], "+"))
	}
	if (nonzero && intDigits+exp > maxNumericWeight+1) || fracDigits-exp > maxNumericScale+1 {
		return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
	}
	if !nonzero {
		// Zero keeps its display scale; any exponent is valid.
		scale := fracDigits - exp
		if scale < 0 {
			scale = 0
		}
		if scale > maxNumericScale {
			return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
		}
		return &apd.Decimal{Exponent: -int32(scale)}, nil
	}
	d, _, err := apd.NewFromString(t)
	if err != nil {
		// The syntax is valid: apd's exponent range (1e+-100000) is
		// narrower than numeric's.
		return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
	}
	if err := checkNumericSize(d); err != nil {
		return nil, err
	}
	return d, nil
}

// checkNumericSize refuses values PostgreSQL's numeric cannot hold.
func checkNumericSize(d *apd.Decimal) error {
	if d.Form != apd.Finite {
		return nil
	}
	if d.IsZero() {
		if -int64(d.Exponent) > maxNumericScale {
			return sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
		}
		return nil
	}
	weight := d.NumDigits() + int64(d.Exponent)
	if weight > maxNumericWeight || -int64(d.Exponent) > maxNumericScale {
		return sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
	}
	return nil
}

// appendNumeric formats d with exactly its display scale, as numeric_out.
func appendNumeric(buf []byte, d *apd.Decimal) []byte {
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return append(buf, "NaN"...)
	case apd.Infinite:
		if d.Negative {
			return append(buf, "-Infinity"...)
		}
		return append(buf, "Infinity"...)
	}
	return append(buf, d.Text('f')...)
}

// scaleOf returns the display scale of a finite numeric.
func scaleOf(d *apd.Decimal) int32 {
	if d.Exponent >= 0 {
		return 0
	}
	return -d.Exponent
}

// roundToScale rounds d half away from zero to scale digits after the
// point.
func roundToScale(d *apd.Decimal, scale int32) (*apd.Decimal, error) {
	if d.Form != apd.Finite {
		return d, nil
	}
	prec := d.NumDigits() + int64(d.Exponent) + int64(scale) + 2
	if prec < 1 {
		prec = 1
	}
	var r apd.Decimal
	if _, err := ctxFor(uint32(prec), apd.RoundHalfUp).Quantize(&r, d, -scale); err != nil {
		return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
	}
	return &r, nil
}

// roundNumericTypmod applies numeric(prec, scale) to d.
func roundNumericTypmod(d *apd.Decimal, prec, scale int) (*apd.Decimal, error) {
	if d.Form != apd.Finite {
		if d.Form == apd.Infinite {
			return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "numeric field overflow").
				WithDetail("A field with precision %d, scale %d cannot hold an infinite value.", prec, scale)
		}
		return d, nil
	}
	r, err := roundToScale(d, int32(scale))
	if err != nil {
		return nil, err
	}
	maxDigits := prec - scale
	if !r.IsZero() && r.NumDigits()+int64(r.Exponent) > int64(maxDigits) {
		e := sqlerr.New(sqlerr.NumericValueOutOfRange, "numeric field overflow")
		if maxDigits > 0 {
			return nil, e.WithDetail("A field with precision %d, scale %d must round to an absolute value less than 10^%d.", prec, scale, maxDigits)
		}
		return nil, e.WithDetail("A field with precision %d, scale %d must round to an absolute value less than 1.", prec, scale)
	}
	return r, nil
}

// numericArith computes a op b for finite or special numerics with
// PostgreSQL's result scales: max of the scales for + and -, their sum for
// *, select_div_scale for /, and for % the larger scale.
func numericArith(op byte, a, b *apd.Decimal) (*apd.Decimal, error) {
	if a.Form == apd.NaN || b.Form == apd.NaN {
		return &apd.Decimal{Form: apd.NaN}, nil
	}
	if (op == '/' || op == '%') && b.Form == apd.Finite && b.IsZero() {
		return nil, sqlerr.DivisionByZeroErr()
	}
	r := new(apd.Decimal)
	var err error
	if a.Form != apd.Finite || b.Form != apd.Finite {
		ctx := ctxFor(34, apd.RoundHalfUp)
		ctx.Traps = 0
		switch op {
		case '+':
			_, err = ctx.Add(r, a, b)
		case '-':
			_, err = ctx.Sub(r, a, b)
		case '*':
			_, err = ctx.Mul(r, a, b)
		case '/':
			_, err = ctx.Quo(r, a, b)
		case '%':
			_, err = ctx.Rem(r, a, b)
		}
		if err != nil {
			return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
		}
		if r.Form == apd.NaNSignaling {
			r.Form = apd.NaN
		}
		return r, nil
	}
	switch op {
	case '+':
		_, err = exactCtx.Add(r, a, b)
	case '-':
		_, err = exactCtx.Sub(r, a, b)
	case '*':
		_, err = exactCtx.Mul(r, a, b)
	case '/':
		scale := divScale(a, b)
		digits := a.NumDigits() + int64(a.Exponent) - (b.NumDigits() + int64(b.Exponent)) + 2 + int64(scale) + 2
		if digits < 1 {
			digits = 1
		}
		q := new(apd.Decimal)
		if _, err = ctxFor(uint32(digits), apd.RoundDown).Quo(q, a, b); err == nil {
			r, err = roundToScale(q, scale)
		}
	case '%':
		prec := a.NumDigits() + int64(a.Exponent) + int64(max(scaleOf(a), scaleOf(b))) + 2
		if prec < 1 {
			prec = 1
		}
		_, err = ctxFor(uint32(prec), apd.RoundDown).Rem(r, a, b)
		if err == nil {
			r, err = roundToScale(r, max(scaleOf(a), scaleOf(b)))
		}
	}
	if err != nil {
		return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
	}
	if err := checkNumericSize(r); err != nil {
		return nil, err
	}
	return r, nil
}

// nbaseWeight returns the weight and first digit of |d| in PostgreSQL's
// base-10000 representation: d = first * 10000^weight + lower digits.
func nbaseWeight(d *apd.Decimal) (weight int64, first int64) {
	if d.Form != apd.Finite || d.IsZero() {
		return 0, 0
	}
	p := d.NumDigits() - 1 + int64(d.Exponent) // 10^p <= |d| < 10^(p+1)
	weight = p / 4
	if p < 0 && p%4 != 0 {
		weight--
	}
	// first = floor(|d| / 10^(4*weight)), taken from the coefficient.
	shift := 4*weight - int64(d.Exponent)
	s := d.Coeff.String()
	if shift >= 0 {
		n := int64(len(s)) - shift
		if n <= 0 {
			return weight, 0
		}
		first, _ = strconv.ParseInt(s[:n], 10, 64)
		return weight, first
	}
	first, _ = strconv.ParseInt(s+strings.Repeat("0", int(-shift)), 10, 64)
	return weight, first
}

// divScale is PostgreSQL's select_div_scale: enough digits for at least 16
// significant digits, and no fewer than either input's display scale.
func divScale(a, b *apd.Decimal) int32 {
	w1, f1 := nbaseWeight(a)
	w2, f2 := nbaseWeight(b)
	qweight := w1 - w2
	if f1 <= f2 {
		qweight--
	}
	rscale := int64(minSigDigits) - qweight*4
	rscale = max(rscale, int64(scaleOf(a)), int64(scaleOf(b)), 0)
	rscale = min(rscale, maxDisplayScale)
	return int32(rscale)
}

// numericFromInt returns i as a numeric of scale 0.
func numericFromInt(i int64) *apd.Decimal { return apd.New(i, 0) }

// numericFromFloat converts f as PostgreSQL does: through its text form
// with 15 (float8) or 6 (float4) significant digits.
func numericFromFloat(f float64, bits int) (*apd.Decimal, error) {
	switch {
	case math.IsNaN(f):
		return &apd.Decimal{Form: apd.NaN}, nil
	case math.IsInf(f, 0):
		return &apd.Decimal{Form: apd.Infinite, Negative: f < 0}, nil
	}
	digits := 15
	if bits == 32 {
		digits = 6
	}
	s := strconv.FormatFloat(f, 'g', digits, 64)
	return parseNumeric(s)
}

// numericToInt rounds d half away from zero to an integer of kind k.
func numericToInt(d *apd.Decimal, k Kind) (int64, error) {
	if d.Form != apd.Finite {
		if d.Form == apd.NaN {
			return 0, sqlerr.Unsupported("cannot convert NaN to %s", kindInfo[k].name)
		}
		return 0, sqlerr.Unsupported("cannot convert infinity to %s", kindInfo[k].name)
	}
	r, err := roundToScale(d, 0)
	if err != nil {
		return 0, intRangeErr(k)
	}
	i, err := r.Int64()
	if err != nil || !IntInRange(k, i) {
		return 0, intRangeErr(k)
	}
	return i, nil
}

// numericToFloat converts d to a float of kind k.
func numericToFloat(d *apd.Decimal, k Kind) (float64, error) {
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return math.NaN(), nil
	case apd.Infinite:
		if d.Negative {
			return math.Inf(-1), nil
		}
		return math.Inf(1), nil
	}
	bits := 64
	if k == Float4 {
		bits = 32
	}
	f, err := strconv.ParseFloat(d.Text('e'), bits)
	if err != nil || (f == 0 && !d.IsZero()) {
		return 0, sqlerr.New(sqlerr.NumericValueOutOfRange, "value out of range: overflow")
	}
	return f, nil
}

// compareNumeric orders numerics as PostgreSQL: NaN above everything and
// equal to itself.
func compareNumeric(a, b *apd.Decimal) int {
	an, bn := a.Form == apd.NaN, b.Form == apd.NaN
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	}
	return a.Cmp(b)
}

// numericKey returns an order-preserving byte encoding of d in which equal
// values (1.0 and 1.00) encode alike: a class byte (negative infinity,
// negative, zero, positive, infinity, NaN), then for finite values the
// decimal exponent and the significant digits, complemented for negative
// numbers so that larger magnitudes sort first.
func numericKey(d *apd.Decimal) []byte {
	switch {
	case d.Form == apd.NaN || d.Form == apd.NaNSignaling:
		return []byte{0x60}
	case d.Form == apd.Infinite && d.Negative:
		return []byte{0x10}
	case d.Form == apd.Infinite:
		return []byte{0x50}
	case d.IsZero():
		return []byte{0x30}
	}
	var red apd.Decimal
	red.Reduce(d)
	digits := red.Coeff.String()
	// value = 0.digits * 10^exp
	exp := int64(len(digits)) + int64(red.Exponent)
	out := make([]byte, 0, 6+len(digits))
	neg := red.Negative
	if neg {
		out = append(out, 0x20)
		exp = -exp
	} else {
		out = append(out, 0x40)
	}
	u := uint32(exp + (1 << 31))
	out = append(out, byte(u>>24), byte(u>>16), byte(u>>8), byte(u))
	for i := 0; i < len(digits); i++ {
		dg := digits[i] - '0' + 1 // 1..10, never 0
		if neg {
			dg = 11 - dg
		}
		out = append(out, dg)
	}
	if neg {
		out = append(out, 0xff) // shorter negative digit strings sort later
	}
	return out
}
