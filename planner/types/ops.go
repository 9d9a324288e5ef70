package types

// Casts, comparison and arithmetic between values, with PostgreSQL overflow and division rules.

import (
	"math"
	"strconv"
	"strings"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/cockroachdb/apd/v3"
)

// CastContext says which casts are allowed: PostgreSQL's implicit,
// assignment and explicit cast contexts.
type CastContext uint8

// The cast contexts, from the most to the least restrictive.
const (
	CastImplicit CastContext = iota
	CastAssignment
	CastExplicit
)

// numericRank orders the numeric kinds by PostgreSQL's implicit widening:
// int2 -> int4 -> int8 -> numeric -> float4 -> float8.
func numericRank(k Kind) int {
	switch k {
	case Int2:
		return 1
	case Int4:
		return 2
	case Int8:
		return 3
	case Numeric:
		return 4
	case Float4:
		return 5
	case Float8:
		return 6
	}
	return 0
}

// CanCast reports whether a value of kind from may be cast to kind to in
// context ctx, following pg_cast for the supported types.
func CanCast(from, to Kind, ctx CastContext) bool {
	if from == to || from == Unknown {
		return true
	}
	if from.IsArray() && to.IsArray() {
		return CanCast(from.Elem(), to.Elem(), ctx)
	}
	if c, ok := extraCasts[[2]Kind{from, to}]; ok {
		return ctx >= c
	}
	switch {
	case from.IsNumeric() && to.IsNumeric():
		if numericRank(to) > numericRank(from) {
			return true // widening is implicit
		}
		return ctx >= CastAssignment
	case from.IsString() && to.IsString():
		return true // text <-> varchar are implicit/binary-coercible
	case to.IsString():
		// Every type's output function is an assignment cast to text.
		return ctx >= CastAssignment
	case from.IsString():
		return ctx == CastExplicit
	case from == Bool && to == Int4, from == Int4 && to == Bool:
		return ctx == CastExplicit
	}
	return false
}

// Cast converts v to type t (kind conversion, then t's modifier). The
// caller decides whether the cast is allowed (CanCast); Cast refuses only
// conversions it cannot do and values that do not fit.
func Cast(v Value, t T, ctx CastContext) (Value, error) { return CastEnv(nil, v, t, ctx) }

// CastEnv is Cast with the session's settings, which casts between
// timestamptz and the other date/time types and to and from text use.
func CastEnv(env *Env, v Value, t T, ctx CastContext) (Value, error) {
	if !v.valid {
		return Null, nil
	}
	out, err := castKindEnv(env, v, t.Kind)
	if err != nil {
		return Null, err
	}
	return ApplyMod(out, t, ctx == CastExplicit)
}

func castKind(v Value, to Kind) (Value, error) { return castKindEnv(nil, v, to) }

func castKindEnv(env *Env, v Value, to Kind) (Value, error) {
	from := v.kind
	if from == to {
		return v, nil
	}
	if !v.valid {
		return Null, nil
	}
	if out, ok, err := castInternal(v, to); ok {
		return out, err
	}
	if from == Unknown || from.IsString() {
		s := v.s
		if from == BPChar && to != BPChar {
			s = strings.TrimRight(s, " ")
		}
		if to.IsString() {
			return Value{kind: to, valid: true, s: s}, nil
		}
		return parseKindEnv(env, to, s)
	}
	if from.IsArray() && to.IsArray() {
		el := v.Elems()
		out := make([]Value, len(el))
		for i, e := range el {
			c, err := castKindEnv(env, e, to.Elem())
			if err != nil {
				return Null, err
			}
			out[i] = c
		}
		return NewArray(to.Elem(), out), nil
	}
	if to.IsString() || to == Unknown {
		if from == JSONB || from == TimestampTZ || from.IsArray() {
			return Value{kind: to, valid: true, s: string(v.AppendTextEnv(nil, env))}, nil
		}
		if from == Bool {
			// The bool -> text cast is booltext: "true"/"false", unlike
			// boolout's t/f.
			if v.i != 0 {
				return Value{kind: to, valid: true, s: "true"}, nil
			}
			return Value{kind: to, valid: true, s: "false"}, nil
		}
		return Value{kind: to, valid: true, s: string(v.AppendText(nil))}, nil
	}
	switch {
	case from.IsInteger() && to.IsInteger():
		if !IntInRange(to, v.i) {
			return Null, intRangeErr(to)
		}
		return NewInt(to, v.i), nil
	case from.IsInteger() && to == Numeric:
		return NewNumeric(numericFromInt(v.i)), nil
	case from.IsInteger() && (to == Float4 || to == Float8):
		return NewFloat(to, float64(v.i)), nil
	case from == Numeric && to.IsInteger():
		i, err := numericToInt(v.d, to)
		if err != nil {
			return Null, err
		}
		return NewInt(to, i), nil
	case from == Numeric && (to == Float4 || to == Float8):
		f, err := numericToFloat(v.d, to)
		if err != nil {
			// numeric_float4/8 go through the float input function.
			return Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "\"%s\" is out of range for type %s", appendNumeric(nil, v.d), info(to).name)
		}
		return NewFloat(to, f), nil
	case (from == Float4 || from == Float8) && to.IsInteger():
		f := math.RoundToEven(v.f)
		if math.IsNaN(f) || f < -9.223372036854775808e18 || f >= 9.223372036854775808e18 || !IntInRange(to, int64(f)) {
			return Null, intRangeErr(to)
		}
		return NewInt(to, int64(f)), nil
	case (from == Float4 || from == Float8) && to == Numeric:
		bits := 64
		if from == Float4 {
			bits = 32
		}
		d, err := numericFromFloat(v.f, bits)
		if err != nil {
			return Null, err
		}
		return NewNumeric(d), nil
	case from == Float4 && to == Float8:
		// An exact widening, as float4_float8.
		return NewFloat(Float8, v.f), nil
	case from == Float8 && to == Float4:
		f := float32(v.f)
		if math.IsInf(float64(f), 0) && !math.IsInf(v.f, 0) {
			return Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "value out of range: overflow")
		}
		if f == 0 && v.f != 0 {
			return Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "value out of range: underflow")
		}
		return NewFloat(Float4, float64(f)), nil
	case from == Bool && to == Int4:
		return NewInt(Int4, v.i), nil
	case from == Int4 && to == Bool:
		return NewBool(v.i != 0), nil
	}
	if out, ok, err := castDateTime(env, v, to); ok {
		return out, err
	}
	switch {
	case from == JSON && to == JSONB:
		return parseJSONB(v.s)
	case from == JSONB && to == JSON:
		return Value{kind: JSON, valid: true, s: v.Str()}, nil
	case from == JSONB && (to == Bool || to.IsNumeric()):
		n, _ := v.x.(*jsonNode)
		if n == nil {
			return Null, sqlerr.New(sqlerr.InternalError, "jsonb value has no tree")
		}
		return jsonbToScalar(n, to)
	}
	return Null, sqlerr.New(sqlerr.CannotCoerce, "cannot cast type %s to %s", from, to)
}

// Compare orders two non-NULL values of the same kind (or both numeric
// kinds, or both string kinds) as PostgreSQL's btree operators do: floats
// and numerics with NaN greatest, strings bytewise (C collation).
func Compare(a, b Value) int {
	ak, bk := a.kind, b.kind
	switch {
	case ak.IsArray() && bk.IsArray(), ak.IsVector() && bk.IsVector():
		return compareArrays(a, b)
	case ak.IsOIDKind() && (bk.IsOIDKind() || bk.IsInteger()), bk.IsOIDKind() && ak.IsInteger():
		return cmpInt(int64(uint32(a.i)), int64(uint32(b.i)))
	case ak.IsDateTime() && bk.IsDateTime():
		return compareDateTime(a, b)
	case ak == Interval && bk == Interval:
		return intervalSpan(a.months, a.days, a.i).cmp(intervalSpan(b.months, b.days, b.i))
	case ak == JSONB && bk == JSONB:
		na, _ := a.x.(*jsonNode)
		nb, _ := b.x.(*jsonNode)
		if na == nil || nb == nil {
			return 0
		}
		return compareJSONB(na, nb)
	case ak == BPChar || bk == BPChar:
		x, y := a.s, b.s
		if ak == BPChar {
			x = strings.TrimRight(x, " ")
		}
		if bk == BPChar {
			y = strings.TrimRight(y, " ")
		}
		return strings.Compare(x, y)
	case ak.IsInteger() && bk.IsInteger(), ak == Bool && bk == Bool:
		return cmpInt(a.i, b.i)
	case (ak == Float4 || ak == Float8) && (bk == Float4 || bk == Float8):
		return cmpFloat(a.f, b.f)
	case ak == Numeric && bk == Numeric:
		return compareNumeric(a.d, b.d)
	case ak.IsNumeric() && bk.IsNumeric():
		// Mixed kinds: compare in the wider kind.
		w := ak
		if numericRank(bk) > numericRank(ak) {
			w = bk
		}
		x, err1 := castKind(a, w)
		y, err2 := castKind(b, w)
		if err1 != nil || err2 != nil {
			return 0
		}
		return Compare(x, y)
	}
	switch {
	case a.s < b.s:
		return -1
	case a.s > b.s:
		return 1
	}
	return 0
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpFloat(a, b float64) int {
	an, bn := math.IsNaN(a), math.IsNaN(b)
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Arith computes a op b (op one of + - * / %) for two non-NULL values
// already of kind k, with PostgreSQL's overflow and division-by-zero
// errors and result scales.
func Arith(op byte, a, b Value, k Kind) (Value, error) {
	switch {
	case k.IsInteger():
		return intArith(op, a.i, b.i, k)
	case k == Float4 || k == Float8:
		return floatArith(op, a.f, b.f, k)
	case k == Numeric:
		d, err := numericArith(op, a.d, b.d)
		if err != nil {
			return Null, err
		}
		return NewNumeric(d), nil
	}
	return Null, sqlerr.Unsupported("arithmetic on %s", k)
}

func intArith(op byte, a, b int64, k Kind) (Value, error) {
	var r int64
	switch op {
	case '+':
		r = a + b
		if (b > 0 && r < a) || (b < 0 && r > a) {
			return Null, intRangeErr(k)
		}
	case '-':
		r = a - b
		if (b < 0 && r < a) || (b > 0 && r > a) {
			return Null, intRangeErr(k)
		}
	case '*':
		r = a * b
		if a != 0 && (r/a != b || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64)) {
			return Null, intRangeErr(k)
		}
	case '/':
		if b == 0 {
			return Null, sqlerr.DivisionByZeroErr()
		}
		if b == -1 {
			if a == math.MinInt64 {
				return Null, intRangeErr(k)
			}
			r = -a
		} else {
			r = a / b
		}
	case '%':
		if b == 0 {
			return Null, sqlerr.DivisionByZeroErr()
		}
		if b == -1 {
			r = 0
		} else {
			r = a % b
		}
	default:
		return Null, sqlerr.Unsupported("integer operator %c", op)
	}
	if !IntInRange(k, r) {
		return Null, intRangeErr(k)
	}
	return NewInt(k, r), nil
}

func floatArith(op byte, a, b float64, k Kind) (Value, error) {
	var r float64
	switch op {
	case '+':
		r = a + b
	case '-':
		r = a - b
	case '*':
		r = a * b
	case '/':
		if b == 0 {
			return Null, sqlerr.DivisionByZeroErr()
		}
		r = a / b
	default:
		return Null, sqlerr.UndefinedOperatorErr("operator does not exist: %s %c %s", k, op, k)
	}
	if k == Float4 {
		r = float64(float32(r))
	}
	if math.IsInf(r, 0) && !math.IsInf(a, 0) && !math.IsInf(b, 0) {
		return Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "value out of range: overflow")
	}
	if r == 0 && op != '+' && op != '-' && a != 0 && !math.IsInf(b, 0) {
		return Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "value out of range: underflow")
	}
	return NewFloat(k, r), nil
}

// Negate returns -v for a numeric kind.
func Negate(v Value) (Value, error) {
	if !v.valid {
		return Null, nil
	}
	switch {
	case v.kind.IsInteger():
		if v.i == math.MinInt64 || !IntInRange(v.kind, -v.i) {
			return Null, intRangeErr(v.kind)
		}
		return NewInt(v.kind, -v.i), nil
	case v.kind == Float4 || v.kind == Float8:
		return NewFloat(v.kind, -v.f), nil
	case v.kind == Numeric:
		var r apd.Decimal
		r.Neg(v.d)
		return NewNumeric(&r), nil
	case v.kind == Interval:
		return intervalAdd(NewInterval(0, 0, 0), v, -1)
	}
	return Null, sqlerr.Unsupported("negation of %s", v.kind)
}

// Concat returns the text a || b of two non-NULL values; a non-string
// operand is first cast to text, as textanycat and anytextcat do.
func Concat(a, b Value) Value {
	x, _ := castKind(a, Text)
	y, _ := castKind(b, Text)
	return NewText(x.s + y.s)
}

// ConcatEnv is Concat with the session's settings (for timestamptz
// operands).
func ConcatEnv(env *Env, a, b Value) Value {
	x, _ := castKindEnv(env, a, Text)
	y, _ := castKindEnv(env, b, Text)
	return NewText(x.s + y.s)
}

// Power returns a ^ b for float8 operands, as dpow.
func Power(a, b Value) (Value, error) {
	x, y := a.f, b.f
	if x == 0 && y < 0 {
		return Null, sqlerr.New("2201F", "zero raised to a negative power is undefined")
	}
	if x < 0 && y != math.Trunc(y) {
		return Null, sqlerr.New("2201F", "a negative number raised to a non-integer power yields a complex result")
	}
	r := math.Pow(x, y)
	if math.IsInf(r, 0) && !math.IsInf(x, 0) && !math.IsInf(y, 0) {
		return Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "value out of range: overflow")
	}
	if r == 0 && x != 0 && !math.IsInf(y, 0) {
		return Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "value out of range: underflow")
	}
	return NewFloat(Float8, r), nil
}

// NumericFromInt64 returns i as a numeric value.
func NumericFromInt64(i int64) Value { return NewNumeric(numericFromInt(i)) }

// NumericDiv divides two numeric values with PostgreSQL's result scale
// (used by avg).
func NumericDiv(a, b Value) (Value, error) { return Arith('/', a, b, Numeric) }

// FormatInt returns the decimal text of i.
func FormatInt(i int64) string { return strconv.FormatInt(i, 10) }
