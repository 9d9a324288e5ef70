package types

// PostgreSQL's binary wire formats (the typsend/typreceive functions),
// for pgwire's binary result columns and parameters: AppendBinary turns a
// value into its binary form, FromBinary reads one by type OID.

import (
	"encoding/binary"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/cockroachdb/apd/v3"
)

// The numeric sign words of numeric's binary form.
const (
	numericPos  = 0x0000
	numericNeg  = 0x4000
	numericNaN  = 0xC000
	numericPInf = 0xD000
	numericNInf = 0xF000
)

// maxArrayDims is PostgreSQL's MAXDIM.
const maxArrayDims = 6

// HasBinary reports whether AppendBinary and FromBinary support the type
// with the given OID.
func HasBinary(oid uint32) bool {
	t, ok := FromOID(oid)
	return ok && t.Kind != Unknown && !t.Kind.IsVector() && t.Kind != Void || oid == OIDUnknown
}

// AppendBinary appends the binary wire form of a non-NULL value to buf
// (NULL is the protocol's length -1, the caller's business). Text-like
// types (text, varchar, character, unknown, json) send their text.
func AppendBinary(buf []byte, v Value) ([]byte, error) {
	if !v.valid {
		return buf, sqlerr.New(sqlerr.InternalError, "binary form of NULL requested")
	}
	if v.kind.IsArray() {
		return appendArrayBinary(buf, v)
	}
	switch v.kind {
	case Bool:
		return append(buf, byte(v.i)), nil
	case Int2:
		return binary.BigEndian.AppendUint16(buf, uint16(int16(v.i))), nil
	case Int4, Date:
		return binary.BigEndian.AppendUint32(buf, uint32(int32(v.i))), nil
	case Int8, Time, Timestamp, TimestampTZ:
		return binary.BigEndian.AppendUint64(buf, uint64(v.i)), nil
	case Float4:
		if math.IsNaN(v.f) {
			return binary.BigEndian.AppendUint32(buf, 0x7fc00000), nil
		}
		return binary.BigEndian.AppendUint32(buf, math.Float32bits(float32(v.f))), nil
	case Float8:
		if math.IsNaN(v.f) {
			return binary.BigEndian.AppendUint64(buf, 0x7ff8000000000000), nil
		}
		return binary.BigEndian.AppendUint64(buf, math.Float64bits(v.f)), nil
	case Numeric:
		return appendNumericBinary(buf, v.d), nil
	case Interval:
		return appendIntervalBinary(buf, v), nil
	case JSONB:
		buf = append(buf, 1)
		return v.AppendText(buf), nil
	case Char:
		// charsend: always one byte, NUL for the empty "char".
		if v.s == "" {
			return append(buf, 0), nil
		}
		return append(buf, v.s[0]), nil
	case Text, Varchar, BPChar, Unknown, JSON, Bytea, UUID, Name:
		return append(buf, v.s...), nil
	case OID, Regclass, Regtype, Regproc, Regnamespace, Regprocedure:
		return binary.BigEndian.AppendUint32(buf, uint32(v.i)), nil
	}
	return buf, sqlerr.Unsupported("binary output format is not supported for type %s", v.kind)
}

// appendIntervalBinary is interval_send: microseconds, days, months.
func appendIntervalBinary(buf []byte, v Value) []byte {
	buf = binary.BigEndian.AppendUint64(buf, uint64(v.i))
	buf = binary.BigEndian.AppendUint32(buf, uint32(v.days))
	return binary.BigEndian.AppendUint32(buf, uint32(v.months))
}

// appendNumericBinary is numeric_send: ndigits, weight, sign, dscale
// (int16 each), then the base-10000 digits, the first worth
// 10000^weight, without leading or trailing zero digits.
func appendNumericBinary(buf []byte, d *apd.Decimal) []byte {
	head := func(ndigits, weight int, sign uint16, dscale int) {
		buf = binary.BigEndian.AppendUint16(buf, uint16(ndigits))
		buf = binary.BigEndian.AppendUint16(buf, uint16(int16(weight)))
		buf = binary.BigEndian.AppendUint16(buf, sign)
		buf = binary.BigEndian.AppendUint16(buf, uint16(dscale))
	}
	switch {
	case d.Form == apd.NaN || d.Form == apd.NaNSignaling:
		head(0, 0, numericNaN, 0)
		return buf
	case d.Form == apd.Infinite && d.Negative:
		// PostgreSQL sends infinities with a display scale of 32.
		head(0, 0, numericNInf, 32)
		return buf
	case d.Form == apd.Infinite:
		head(0, 0, numericPInf, 32)
		return buf
	}
	text := d.Text('f')
	sign := uint16(numericPos)
	if strings.HasPrefix(text, "-") {
		sign = numericNeg
		text = text[1:]
	}
	intPart, frac, _ := strings.Cut(text, ".")
	dscale := len(frac)
	intPart = strings.TrimLeft(intPart, "0")
	if pad := (4 - len(intPart)%4) % 4; pad > 0 && intPart != "" {
		intPart = strings.Repeat("0", pad) + intPart
	}
	if pad := (4 - len(frac)%4) % 4; pad > 0 {
		frac += strings.Repeat("0", pad)
	}
	all := intPart + frac
	groups := make([]uint16, 0, len(all)/4)
	for i := 0; i+4 <= len(all); i += 4 {
		g, _ := strconv.Atoi(all[i : i+4])
		groups = append(groups, uint16(g))
	}
	weight := len(intPart)/4 - 1
	for len(groups) > 0 && groups[0] == 0 {
		groups = groups[1:]
		weight--
	}
	for len(groups) > 0 && groups[len(groups)-1] == 0 {
		groups = groups[:len(groups)-1]
	}
	if len(groups) == 0 {
		weight = 0
		sign = numericPos
	}
	head(len(groups), weight, sign, dscale)
	for _, g := range groups {
		buf = binary.BigEndian.AppendUint16(buf, g)
	}
	return buf
}

// appendArrayBinary is array_send for one-dimensional arrays.
func appendArrayBinary(buf []byte, v Value) ([]byte, error) {
	el := v.Elems()
	ndim, hasNull := uint32(0), uint32(0)
	if len(el) > 0 {
		ndim = 1
	}
	for _, e := range el {
		if e.IsNull() {
			hasNull = 1
		}
	}
	buf = binary.BigEndian.AppendUint32(buf, ndim)
	buf = binary.BigEndian.AppendUint32(buf, hasNull)
	buf = binary.BigEndian.AppendUint32(buf, info(v.kind.Elem()).oid)
	if ndim == 1 {
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(el)))
		buf = binary.BigEndian.AppendUint32(buf, 1)
	}
	for _, e := range el {
		if e.IsNull() {
			buf = binary.BigEndian.AppendUint32(buf, math.MaxUint32)
			continue
		}
		at := len(buf)
		buf = append(buf, 0, 0, 0, 0)
		var err error
		if buf, err = AppendBinary(buf, e); err != nil {
			return buf, err
		}
		binary.BigEndian.PutUint32(buf[at:], uint32(len(buf)-at-4))
	}
	return buf, nil
}

// Errors of binary input, as PostgreSQL's pq_getmsg* and receive
// functions report them.
func insufficientData() *sqlerr.Error {
	return sqlerr.New(sqlerr.ProtocolViolation, "insufficient data left in message")
}

func badBinaryFormat() *sqlerr.Error {
	return sqlerr.New("22P03", "incorrect binary data format")
}

// FromBinary reads a value of the type with the given OID from its binary
// wire form (a Bind parameter in format 1).
func FromBinary(oid uint32, data []byte) (Value, error) {
	t, ok := FromOID(oid)
	if !ok {
		return Null, sqlerr.Unsupported("binary input format is not supported for type OID %d", oid)
	}
	return fromBinaryKind(t.Kind, data)
}

// fixed checks that data has exactly n bytes.
func fixed(data []byte, n int) error {
	switch {
	case len(data) < n:
		return insufficientData()
	case len(data) > n:
		return badBinaryFormat()
	}
	return nil
}

func fromBinaryKind(k Kind, data []byte) (Value, error) {
	if k.IsArray() {
		return arrayFromBinary(k.Elem(), data)
	}
	switch k {
	case OID, Regclass, Regtype, Regproc, Regnamespace, Regprocedure:
		if err := fixed(data, 4); err != nil {
			return Null, err
		}
		return Value{kind: k, valid: true, i: int64(binary.BigEndian.Uint32(data))}, nil
	case Name:
		return NewName(string(data)), nil
	case Char:
		if len(data) == 1 && data[0] == 0 {
			return NewChar(""), nil
		}
		return NewChar(string(data)), nil
	case Bool:
		if err := fixed(data, 1); err != nil {
			return Null, err
		}
		return NewBool(data[0] != 0), nil
	case Int2:
		if err := fixed(data, 2); err != nil {
			return Null, err
		}
		return NewInt(Int2, int64(int16(binary.BigEndian.Uint16(data)))), nil
	case Int4:
		if err := fixed(data, 4); err != nil {
			return Null, err
		}
		return NewInt(Int4, int64(int32(binary.BigEndian.Uint32(data)))), nil
	case Int8:
		if err := fixed(data, 8); err != nil {
			return Null, err
		}
		return NewInt(Int8, int64(binary.BigEndian.Uint64(data))), nil
	case Float4:
		if err := fixed(data, 4); err != nil {
			return Null, err
		}
		return NewFloat(Float4, float64(math.Float32frombits(binary.BigEndian.Uint32(data)))), nil
	case Float8:
		if err := fixed(data, 8); err != nil {
			return Null, err
		}
		return NewFloat(Float8, math.Float64frombits(binary.BigEndian.Uint64(data))), nil
	case Numeric:
		return numericFromBinary(data)
	case Date:
		if err := fixed(data, 4); err != nil {
			return Null, err
		}
		d := int64(int32(binary.BigEndian.Uint32(data)))
		if !isInfDate(d) && (d < minDateDays || d >= endDateDays) {
			return Null, dateRangeErr()
		}
		return NewDate(int32(d)), nil
	case Time:
		if err := fixed(data, 8); err != nil {
			return Null, err
		}
		us := int64(binary.BigEndian.Uint64(data))
		if us < 0 || us > usPerDay {
			return Null, sqlerr.New(codeDatetimeOverflow, "time out of range")
		}
		return NewTime(us), nil
	case Timestamp, TimestampTZ:
		if err := fixed(data, 8); err != nil {
			return Null, err
		}
		us := int64(binary.BigEndian.Uint64(data))
		if !isInfTS(us) && (us < minTS || us >= endTS) {
			return Null, tsRangeErr()
		}
		return NewTimestamp(k, us), nil
	case Interval:
		if err := fixed(data, 16); err != nil {
			return Null, err
		}
		return NewInterval(int32(binary.BigEndian.Uint32(data[12:])), int32(binary.BigEndian.Uint32(data[8:])),
			int64(binary.BigEndian.Uint64(data))), nil
	case UUID:
		if err := fixed(data, 16); err != nil {
			return Null, err
		}
		return NewUUID([16]byte(data)), nil
	case Bytea:
		return NewBytea(data), nil
	case JSONB:
		if len(data) < 1 {
			return Null, insufficientData()
		}
		if data[0] != 1 {
			return Null, sqlerr.New(sqlerr.InternalError, "unsupported jsonb version number %d", data[0])
		}
		return parseJSONB(string(data[1:]))
	case Text, Varchar, BPChar, Unknown, JSON:
		if !utf8.Valid(data) {
			return Null, sqlerr.New("22021", "invalid byte sequence for encoding \"UTF8\"")
		}
		if k == JSON {
			if err := validateJSON(string(data)); err != nil {
				return Null, err
			}
		}
		return Value{kind: k, valid: true, s: string(data)}, nil
	}
	return Null, sqlerr.Unsupported("binary input format is not supported for type %s", k)
}

// numericFromBinary is numeric_recv.
func numericFromBinary(data []byte) (Value, error) {
	if len(data) < 8 {
		return Null, insufficientData()
	}
	ndigits := int(binary.BigEndian.Uint16(data))
	weight := int(int16(binary.BigEndian.Uint16(data[2:])))
	sign := binary.BigEndian.Uint16(data[4:])
	dscale := int(binary.BigEndian.Uint16(data[6:]))
	if err := fixed(data[8:], 2*ndigits); err != nil {
		return Null, err
	}
	switch sign {
	case numericNaN:
		return NewNumeric(&apd.Decimal{Form: apd.NaN}), nil
	case numericPInf:
		return NewNumeric(&apd.Decimal{Form: apd.Infinite}), nil
	case numericNInf:
		return NewNumeric(&apd.Decimal{Form: apd.Infinite, Negative: true}), nil
	case numericPos, numericNeg:
	default:
		return Null, sqlerr.New("22P03", "invalid sign in external \"numeric\" value")
	}
	if dscale > maxNumericScale {
		return Null, sqlerr.New("22P03", "invalid scale in external \"numeric\" value")
	}
	if ndigits > 0 && 4*(weight+1) > maxNumericWeight+4 {
		return Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
	}
	var digits strings.Builder
	for i := 0; i < ndigits; i++ {
		g := binary.BigEndian.Uint16(data[8+2*i:])
		if g >= 10000 {
			return Null, sqlerr.New("22P03", "invalid digit in external \"numeric\" value")
		}
		digits.WriteString(strconv.FormatUint(uint64(g)+10000, 10)[1:])
	}
	// value = 0.digits * 10000^(weight+1), then rounded to dscale.
	coeff := digits.String()
	exp := 4*(weight+1) - len(coeff)
	trimmed := strings.TrimRight(coeff, "0")
	exp += len(coeff) - len(trimmed)
	coeff = strings.TrimLeft(trimmed, "0")
	if coeff == "" {
		coeff, exp = "0", 0
	}
	text := coeff + "e" + strconv.Itoa(exp)
	if sign == numericNeg {
		text = "-" + text
	}
	d, _, err := apd.NewFromString(text)
	if err != nil {
		return Null, sqlerr.New("22P03", "invalid external \"numeric\" value")
	}
	r, err := roundToScale(d, int32(dscale))
	if err != nil {
		return Null, err
	}
	if err := checkNumericSize(r); err != nil {
		return Null, err
	}
	return NewNumeric(r), nil
}

// arrayFromBinary is array_recv for one-dimensional arrays of elem.
func arrayFromBinary(elem Kind, data []byte) (Value, error) {
	if len(data) < 12 {
		return Null, insufficientData()
	}
	ndim := int32(binary.BigEndian.Uint32(data))
	flags := binary.BigEndian.Uint32(data[4:])
	elemOID := binary.BigEndian.Uint32(data[8:])
	data = data[12:]
	switch {
	case ndim < 0:
		return Null, sqlerr.New("22P03", "invalid number of dimensions: %d", ndim)
	case ndim > maxArrayDims:
		return Null, sqlerr.New(sqlerr.ProgramLimitExceeded, "number of array dimensions (%d) exceeds the maximum allowed (%d)", ndim, maxArrayDims)
	case ndim > 1:
		return Null, sqlerr.Unsupported("multidimensional arrays are not supported")
	}
	if flags != 0 && flags != 1 {
		return Null, sqlerr.New("22P03", "invalid array flags")
	}
	if want := info(elem).oid; elemOID != want {
		et, _ := FromOID(elemOID)
		return Null, sqlerr.New(sqlerr.DatatypeMismatch, "binary data has array element type %d (%s) instead of expected %d (%s)",
			elemOID, et.String(), want, info(elem).name)
	}
	if ndim == 0 {
		if len(data) != 0 {
			return Null, badBinaryFormat()
		}
		return NewArray(elem, []Value{}), nil
	}
	if len(data) < 8 {
		return Null, insufficientData()
	}
	n := int64(int32(binary.BigEndian.Uint32(data)))
	lower := int32(binary.BigEndian.Uint32(data[4:]))
	data = data[8:]
	if n < 0 || n > maxArrayElems {
		return Null, sqlerr.New(sqlerr.ProgramLimitExceeded, "array size exceeds the maximum allowed (%d)", maxArrayElems)
	}
	if lower != 1 && n > 0 {
		return Null, sqlerr.Unsupported("arrays with a lower bound other than 1 are not supported")
	}
	// Every element takes at least its 4-byte length: bound the
	// preallocation by the data actually present.
	elems := make([]Value, 0, min(n, int64(len(data)/4)))
	for i := int64(0); i < n; i++ {
		if len(data) < 4 {
			return Null, insufficientData()
		}
		l := int32(binary.BigEndian.Uint32(data))
		data = data[4:]
		if l == -1 {
			elems = append(elems, Null)
			continue
		}
		if l < 0 || int(l) > len(data) {
			return Null, insufficientData()
		}
		v, err := fromBinaryKind(elem, data[:l])
		if err != nil {
			return Null, err
		}
		elems = append(elems, v)
		data = data[l:]
	}
	if len(data) != 0 {
		return Null, badBinaryFormat()
	}
	return NewArray(elem, elems), nil
}
