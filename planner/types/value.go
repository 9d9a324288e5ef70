package types

// Value, the runtime SQL value, with the text output and input functions.

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/cockroachdb/apd/v3"
)

// Value is one SQL value: NULL, or a value of a Kind. The zero Value is
// NULL. Values are immutable once made; copying one is cheap and safe.
//
// A Value of kind Unknown holds text not yet given a type: a quoted literal,
// or a parameter in PostgreSQL text format as a client sent it.
type Value struct {
	kind  Kind
	valid bool
	i     int64        // Bool (0/1), Int2, Int4, Int8
	f     float64      // Float4 (a float32 value), Float8
	s     string       // Text, Varchar, Unknown
	d     *apd.Decimal // Numeric; never modified after construction
}

// Null is the SQL NULL.
var Null = Value{}

// NewBool returns a boolean.
func NewBool(b bool) Value {
	v := Value{kind: Bool, valid: true}
	if b {
		v.i = 1
	}
	return v
}

// NewInt returns an integer of kind k (Int2, Int4 or Int8). It does not
// check the range; see IntInRange.
func NewInt(k Kind, i int64) Value { return Value{kind: k, valid: true, i: i} }

// NewFloat returns a float of kind k (Float4 or Float8); a Float4 value is
// rounded to float32.
func NewFloat(k Kind, f float64) Value {
	if k == Float4 {
		f = float64(float32(f))
	}
	return Value{kind: k, valid: true, f: f}
}

// NewNumeric returns a numeric holding d, which it takes ownership of. A
// positive exponent is rescaled to zero and a negative zero made positive,
// so the exponent is always minus the display scale.
func NewNumeric(d *apd.Decimal) Value {
	if d.Form == apd.Finite {
		if d.Exponent > 0 {
			// Rescale to exponent 0: exact for an integer value.
			var r apd.Decimal
			prec := uint32(d.NumDigits()) + uint32(d.Exponent) + 1
			if _, err := ctxFor(prec, apd.RoundHalfUp).Quantize(&r, d, 0); err == nil {
				d = &r
			}
		}
		if d.IsZero() {
			d.Negative = false
		}
	} else if d.Form == apd.NaN || d.Form == apd.NaNSignaling {
		d = &apd.Decimal{Form: apd.NaN}
	}
	return Value{kind: Numeric, valid: true, d: d}
}

// NewText returns a text value.
func NewText(s string) Value { return Value{kind: Text, valid: true, s: s} }

// NewVarchar returns a character varying value (no length check).
func NewVarchar(s string) Value { return Value{kind: Varchar, valid: true, s: s} }

// NewUnknown returns an untyped text value: a quoted literal, or a
// parameter in text format.
func NewUnknown(s string) Value { return Value{kind: Unknown, valid: true, s: s} }

// IsNull reports whether v is NULL.
func (v Value) IsNull() bool { return !v.valid }

// Kind returns v's kind (Unknown for NULL).
func (v Value) Kind() Kind { return v.kind }

// Bool returns a boolean's value.
func (v Value) Bool() bool { return v.i != 0 }

// Int returns an integer's value.
func (v Value) Int() int64 { return v.i }

// Float returns a float's value.
func (v Value) Float() float64 { return v.f }

// Str returns the text of a Text, Varchar or Unknown value.
func (v Value) Str() string { return v.s }

// Decimal returns a numeric's value; the caller must not modify it.
func (v Value) Decimal() *apd.Decimal { return v.d }

// String renders v in text format, "NULL" for NULL (for tests and logs).
func (v Value) String() string {
	if !v.valid {
		return "NULL"
	}
	return string(v.AppendText(nil))
}

// AppendText appends v in PostgreSQL's text output format to buf. NULL
// appends nothing: the protocol sends NULL as a length of -1, so callers
// must check IsNull first.
func (v Value) AppendText(buf []byte) []byte {
	if !v.valid {
		return buf
	}
	switch v.kind {
	case Bool:
		if v.i != 0 {
			return append(buf, 't')
		}
		return append(buf, 'f')
	case Int2, Int4, Int8:
		return strconv.AppendInt(buf, v.i, 10)
	case Float4:
		return appendFloat(buf, v.f, 32)
	case Float8:
		return appendFloat(buf, v.f, 64)
	case Numeric:
		return appendNumeric(buf, v.d)
	default:
		return append(buf, v.s...)
	}
}

// appendFloat formats f as PostgreSQL 12+ does with extra_float_digits >
// 0: the shortest text that reads back as the same value, in fixed
// notation when the decimal exponent is in [-4, 15) (float8) or [-4, 6)
// (float4), else in exponent notation with at least two exponent digits.
func appendFloat(buf []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(buf, "NaN"...)
	case math.IsInf(f, 1):
		return append(buf, "Infinity"...)
	case math.IsInf(f, -1):
		return append(buf, "-Infinity"...)
	}
	e := strconv.FormatFloat(f, 'e', -1, bits)
	at := strings.IndexByte(e, 'e')
	exp, _ := strconv.Atoi(e[at+1:])
	limit := 15
	if bits == 32 {
		limit = 6
	}
	if exp < -4 || exp >= limit {
		return append(buf, e...)
	}
	mant := e[:at]
	if mant[0] == '-' {
		buf = append(buf, '-')
		mant = mant[1:]
	}
	digits := strings.Replace(mant, ".", "", 1)
	if exp >= 0 {
		if len(digits) <= exp+1 {
			buf = append(buf, digits...)
			for i := len(digits); i <= exp; i++ {
				buf = append(buf, '0')
			}
			return buf
		}
		buf = append(buf, digits[:exp+1]...)
		buf = append(buf, '.')
		return append(buf, digits[exp+1:]...)
	}
	buf = append(buf, "0."...)
	for i := 0; i < -exp-1; i++ {
		buf = append(buf, '0')
	}
	return append(buf, digits...)
}

// IntInRange reports whether i fits kind k (Int2, Int4 or Int8).
func IntInRange(k Kind, i int64) bool {
	switch k {
	case Int2:
		return i >= math.MinInt16 && i <= math.MaxInt16
	case Int4:
		return i >= math.MinInt32 && i <= math.MaxInt32
	}
	return true
}

// intRangeErr returns "smallint/integer/bigint out of range".
func intRangeErr(k Kind) *sqlerr.Error { return sqlerr.OutOfRange(kindInfo[k].name) }

// trimSpace trims the whitespace PostgreSQL's input functions skip.
func trimSpace(s string) string { return strings.Trim(s, " \t\n\r\f\v") }

// ParseText converts s, in PostgreSQL text format, to a value of type t:
// the type's input function, then its modifier (varchar length check,
// numeric rounding), as when assigning a literal to a column.
func ParseText(t T, s string) (Value, error) {
	v, err := parseKind(t.Kind, s)
	if err != nil {
		return Null, err
	}
	return ApplyMod(v, t, false)
}

func parseKind(k Kind, s string) (Value, error) {
	switch k {
	case Unknown:
		return NewUnknown(s), nil
	case Text:
		return NewText(s), nil
	case Varchar:
		return NewVarchar(s), nil
	case Bool:
		b, ok := parseBool(s)
		if !ok {
			return Null, sqlerr.InvalidText("boolean", s)
		}
		return NewBool(b), nil
	case Int2, Int4, Int8:
		return parseInt(k, s)
	case Float4, Float8:
		return parseFloat(k, s)
	case Numeric:
		d, err := parseNumeric(s)
		if err != nil {
			return Null, err
		}
		return NewNumeric(d), nil
	}
	return Null, sqlerr.Unsupported("type %s has no input function", k)
}

// parseBool accepts PostgreSQL's spellings: unique prefixes of true,
// false, yes, no, on, off (case-insensitive), and 1, 0.
func parseBool(s string) (bool, bool) {
	t := strings.ToLower(trimSpace(s))
	if t == "" {
		return false, false
	}
	prefix := func(word string) bool { return strings.HasPrefix(word, t) }
	switch {
	case prefix("true"):
		return true, true
	case prefix("false"):
		return false, true
	case prefix("yes"):
		return true, true
	case prefix("no"):
		return false, true
	case t == "1":
		return true, true
	case t == "0":
		return false, true
	case len(t) >= 2 && prefix("on"):
		return true, true
	case len(t) >= 2 && prefix("off"):
		return false, true
	}
	return false, false
}

func parseInt(k Kind, s string) (Value, error) {
	t := trimSpace(s)
	body := t
	if body != "" && (body[0] == '+' || body[0] == '-') {
		body = body[1:]
	}
	if body == "" {
		return Null, sqlerr.InvalidText(kindInfo[k].name, s)
	}
	for i := 0; i < len(body); i++ {
		if body[i] < '0' || body[i] > '9' {
			return Null, sqlerr.InvalidText(kindInfo[k].name, s)
		}
	}
	i, err := strconv.ParseInt(t, 10, 64)
	if err != nil || !IntInRange(k, i) {
		return Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "value %q is out of range for type %s", s, kindInfo[k].name)
	}
	return NewInt(k, i), nil
}

func parseFloat(k Kind, s string) (Value, error) {
	t := trimSpace(s)
	bits := 64
	if k == Float4 {
		bits = 32
	}
	switch strings.ToLower(t) {
	case "infinity", "+infinity", "inf", "+inf":
		return NewFloat(k, math.Inf(1)), nil
	case "-infinity", "-inf":
		return NewFloat(k, math.Inf(-1)), nil
	case "nan":
		return NewFloat(k, math.NaN()), nil
	}
	if t == "" || strings.ContainsAny(t, "_xXpPiInN") {
		return Null, sqlerr.InvalidText(kindInfo[k].name, s)
	}
	f, err := strconv.ParseFloat(t, bits)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "%q is out of range for type %s", t, kindInfo[k].name)
		}
		return Null, sqlerr.InvalidText(kindInfo[k].name, s)
	}
	return NewFloat(k, f), nil
}

// ApplyMod enforces t's modifier on v (already of t's kind): varchar(n)
// length, numeric(p,s) rounding and overflow. explicit selects the rules
// of an explicit cast (varchar truncates silently) over those of an
// assignment (an over-long varchar is error 22001 unless the excess is
// spaces).
func ApplyMod(v Value, t T, explicit bool) (Value, error) {
	if !v.valid || t.Mod < 4 {
		return v, nil
	}
	switch t.Kind {
	case Varchar:
		n := t.VarcharLen()
		if utf8.RuneCountInString(v.s) <= n {
			return v, nil
		}
		cut := runePrefix(v.s, n)
		if explicit || strings.Trim(v.s[len(cut):], " ") == "" {
			return NewVarchar(cut), nil
		}
		return Null, sqlerr.New(sqlerr.StringDataRightTruncation, "value too long for type character varying(%d)", n)
	case Numeric:
		prec, scale := t.NumericPrecScale()
		d, err := roundNumericTypmod(v.d, prec, scale)
		if err != nil {
			return Null, err
		}
		return NewNumeric(d), nil
	}
	return v, nil
}

// runePrefix returns the first n characters of s.
func runePrefix(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}
