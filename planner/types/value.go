package types

// Value, the runtime SQL value, with the text output and input functions.

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
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
	// i holds Bool (0/1), Int2, Int4, Int8; Date (days since 2000-01-01);
	// Time, Timestamp, TimestampTZ (microseconds); Interval's
	// microseconds.
	i int64
	f float64      // Float4 (a float32 value), Float8
	s string       // Text, Varchar, BPChar (padded), Unknown, JSON, Bytea, UUID (16 bytes)
	d *apd.Decimal // Numeric; never modified after construction
	// days and months of an Interval.
	days, months int32
	// x holds an array's []Value, a JSONB's *jsonNode, or the display
	// *time.Location of a TimestampTZ (see InZone).
	x any
}

// Env is the session state that the date/time input, output and cast
// functions depend on. A nil *Env means UTC and the current time.
type Env struct {
	// Loc is the session's TimeZone setting; nil means UTC.
	Loc *time.Location
	// Now is the statement's start time, used for 'now', 'today',
	// 'tomorrow' and 'yesterday'; the zero time means time.Now().
	Now time.Time
}

// loc returns the session time zone.
func (e *Env) loc() *time.Location {
	if e == nil || e.Loc == nil {
		return time.UTC
	}
	return e.Loc
}

// now returns the statement time.
func (e *Env) now() time.Time {
	if e == nil || e.Now.IsZero() {
		return time.Now()
	}
	return e.Now
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

// NewBPChar returns a character value; s should already be padded to the
// column's length (ApplyMod pads).
func NewBPChar(s string) Value { return Value{kind: BPChar, valid: true, s: s} }

// NewDate returns a date: days since 2000-01-01, math.MinInt32 for
// -infinity and math.MaxInt32 for infinity (PostgreSQL's representation).
func NewDate(days int32) Value { return Value{kind: Date, valid: true, i: int64(days)} }

// NewTime returns a time of day: microseconds since midnight, 0 to
// 86400000000 inclusive.
func NewTime(us int64) Value { return Value{kind: Time, valid: true, i: us} }

// NewTimestamp returns a timestamp of kind k (Timestamp or TimestampTZ):
// microseconds since 2000-01-01 00:00:00 (UTC for TimestampTZ), with
// math.MinInt64 and math.MaxInt64 for -infinity and infinity.
func NewTimestamp(k Kind, us int64) Value { return Value{kind: k, valid: true, i: us} }

// NewTimestampTZ returns the timestamptz of a Go time.
func NewTimestampTZ(t time.Time) Value {
	return NewTimestamp(TimestampTZ, (t.Unix()-pgEpochUnix)*usPerSec+int64(t.Nanosecond()/1000))
}

// NewInterval returns an interval of months, days and microseconds.
func NewInterval(months, days int32, us int64) Value {
	return Value{kind: Interval, valid: true, months: months, days: days, i: us}
}

// NewBytea returns a bytea value.
func NewBytea(b []byte) Value { return Value{kind: Bytea, valid: true, s: string(b)} }

// NewUUID returns a uuid value.
func NewUUID(u [16]byte) Value { return Value{kind: UUID, valid: true, s: string(u[:])} }

// NewArray returns a one-dimensional array of elements of kind elem (NULL
// elements allowed); the caller must not modify elems afterwards. An
// empty array has no dimensions, as '{}' in PostgreSQL.
func NewArray(elem Kind, elems []Value) Value {
	return Value{kind: ArrayOf(elem), valid: true, x: elems}
}

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

// Str returns the text of a Text, Varchar, BPChar, Unknown or JSON value,
// the bytes of a Bytea, the 16 bytes of a UUID, and the normalised text of
// a JSONB.
func (v Value) Str() string {
	if v.kind == JSONB && v.valid {
		return string(v.AppendText(nil))
	}
	return v.s
}

// Bytes returns a Bytea's bytes (or a UUID's 16 bytes).
func (v Value) Bytes() []byte { return []byte(v.s) }

// Interval returns an interval's months, days and microseconds.
func (v Value) Interval() (months, days int32, us int64) { return v.months, v.days, v.i }

// Elems returns an array's elements; the caller must not modify them.
func (v Value) Elems() []Value {
	e, _ := v.x.([]Value)
	return e
}

// Time returns a Date, Timestamp or TimestampTZ as a Go time in UTC (a
// Timestamp's wall time read as UTC); infinities give the zero time and
// false.
func (v Value) Time() (time.Time, bool) {
	switch v.kind {
	case Date:
		if isInfDate(v.i) {
			return time.Time{}, false
		}
		return time.Unix(pgEpochUnix+v.i*secsPerDay, 0).UTC(), true
	case Timestamp, TimestampTZ:
		if isInfTS(v.i) {
			return time.Time{}, false
		}
		return usToTime(v.i), true
	}
	return time.Time{}, false
}

// InZone returns v with timestamptz values (also inside arrays) set to
// display in loc, the session's TimeZone, when rendered by AppendText.
// Other values are returned unchanged.
func (v Value) InZone(loc *time.Location) Value {
	if !v.valid || loc == nil {
		return v
	}
	switch {
	case v.kind == TimestampTZ:
		v.x = loc
	case v.kind == ArrayOf(TimestampTZ):
		el := v.Elems()
		out := make([]Value, len(el))
		for i, e := range el {
			out[i] = e.InZone(loc)
		}
		v.x = out
	}
	return v
}

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
	var env *Env
	if loc, ok := v.x.(*time.Location); ok {
		env = &Env{Loc: loc}
	}
	return v.AppendTextEnv(buf, env)
}

// AppendTextEnv is AppendText with the session's settings: timestamptz
// values are shown in env's time zone (unless set by InZone).
func (v Value) AppendTextEnv(buf []byte, env *Env) []byte {
	if !v.valid {
		return buf
	}
	if v.kind.IsArray() {
		return appendArray(buf, v, env)
	}
	if out, ok := appendInternal(buf, v); ok {
		return out
	}
	switch v.kind {
	case Date:
		return appendDate(buf, v.i)
	case Time:
		return appendTime(buf, v.i)
	case Timestamp:
		return appendTimestamp(buf, v.i, nil)
	case TimestampTZ:
		loc := env.loc()
		if l, ok := v.x.(*time.Location); ok {
			loc = l
		}
		return appendTimestamp(buf, v.i, loc)
	case Interval:
		return appendInterval(buf, v.months, v.days, v.i)
	case Bytea:
		return appendByteaHex(buf, v.s)
	case UUID:
		return appendUUID(buf, v.s)
	case JSONB:
		if n, ok := v.x.(*jsonNode); ok {
			return n.appendText(buf)
		}
		return append(buf, v.s...)
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
	e := shortestFloat(f, bits)
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

// shortestFloat returns the shortest decimal (in 'e' format) that reads
// back as f, as PostgreSQL's Ryu-based output finds it: unlike Go's, a
// decimal exactly halfway between f and a neighbour is not accepted (1e23
// is printed 9.999999999999999e+22). Such ties need a large magnitude:
// smaller floats have midpoints with too many digits.
func shortestFloat(f float64, bits int) string {
	e := strconv.FormatFloat(f, 'e', -1, bits)
	limit := math.Ldexp(1, 50)
	if bits == 32 {
		limit = math.Ldexp(1, 20)
	}
	if math.Abs(f) < limit || !isFloatTie(e, f, bits) {
		return e
	}
	for prec := 1; prec <= 17; prec++ {
		c := strconv.FormatFloat(f, 'e', prec-1, bits)
		if back, err := strconv.ParseFloat(c, bits); err == nil && back == f && !isFloatTie(c, f, bits) {
			return c
		}
	}
	return e
}

// isFloatTie reports whether the decimal s is exactly halfway between f
// and one of its neighbours.
func isFloatTie(s string, f float64, bits int) bool {
	d, ok := new(big.Rat).SetString(s)
	if !ok {
		return false
	}
	fr := new(big.Rat)
	if fr.SetFloat64(f) == nil {
		return false
	}
	for _, dir := range []float64{math.Inf(1), math.Inf(-1)} {
		var n float64
		if bits == 32 {
			n = float64(math.Nextafter32(float32(f), float32(dir)))
		} else {
			n = math.Nextafter(f, dir)
		}
		nr := new(big.Rat)
		if math.IsInf(n, 0) || nr.SetFloat64(n) == nil {
			continue
		}
		mid := new(big.Rat).Add(fr, nr)
		mid.Quo(mid, big.NewRat(2, 1))
		if mid.Cmp(d) == 0 {
			return true
		}
	}
	return false
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
func ParseText(t T, s string) (Value, error) { return ParseTextEnv(nil, t, s) }

// ParseTextEnv is ParseText with the session's settings: timestamptz
// input without a zone is read in env's time zone, and 'now', 'today',
// 'tomorrow' and 'yesterday' are taken from env's statement time.
func ParseTextEnv(env *Env, t T, s string) (Value, error) {
	v, err := parseKindEnv(env, t.Kind, s)
	if err != nil {
		return Null, err
	}
	return ApplyMod(v, t, false)
}

func parseKindEnv(env *Env, k Kind, s string) (Value, error) {
	if k.IsArray() {
		return parseArray(env, k.Elem(), s)
	}
	if v, ok, err := parseInternal(k, s); ok {
		return v, err
	}
	switch k {
	case BPChar:
		return NewBPChar(s), nil
	case Date, Time, Timestamp, TimestampTZ:
		return parseDateTime(env, k, s)
	case Interval:
		return parseInterval(s)
	case Bytea:
		return parseBytea(s)
	case UUID:
		return parseUUID(s)
	case JSON:
		if err := validateJSON(s); err != nil {
			return Null, err
		}
		return Value{kind: JSON, valid: true, s: s}, nil
	case JSONB:
		return parseJSONB(s)
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
	if !v.valid {
		return v, nil
	}
	if t.Kind.IsArray() && t.Mod >= 0 {
		el := v.Elems()
		out := make([]Value, len(el))
		for i, e := range el {
			m, err := ApplyMod(e, t.ElemType(), explicit)
			if err != nil {
				return Null, err
			}
			out[i] = m
		}
		return NewArray(t.Kind.Elem(), out), nil
	}
	switch t.Kind {
	case Time, Timestamp, TimestampTZ:
		if t.Mod >= 0 && t.Mod < MaxTimePrecision {
			return roundTimePrecision(v, int(t.Mod))
		}
		return v, nil
	}
	if t.Mod < 4 {
		return v, nil
	}
	switch t.Kind {
	case BPChar:
		n := t.VarcharLen()
		if l := utf8.RuneCountInString(v.s); l < n {
			return NewBPChar(v.s + strings.Repeat(" ", n-l)), nil
		} else if l == n {
			return v, nil
		}
		cut := runePrefix(v.s, n)
		if explicit || strings.Trim(v.s[len(cut):], " ") == "" {
			return NewBPChar(cut), nil
		}
		return Null, sqlerr.New(sqlerr.StringDataRightTruncation, "value too long for type character(%d)", n)
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
