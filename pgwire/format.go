package pgwire

// Value formats: results in text or binary, parameters from text or binary.

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/aspen-db/aspen/planner"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
)

// Format codes of the protocol.
const (
	textFormat   int16 = 0
	binaryFormat int16 = 1
)

// formatFor returns the format of column (or parameter) i given the codes
// a Bind message carried: none means text for all, one applies to all,
// otherwise one per column.
func formatFor(codes []int16, i int) int16 {
	switch len(codes) {
	case 0:
		return textFormat
	case 1:
		return codes[0]
	}
	if i < len(codes) {
		return codes[i]
	}
	return textFormat
}

// checkFormats validates format codes: each must be 0 or 1, and a list of
// more than one must have one code per item.
func checkFormats(codes []int16, n int, what string) error {
	for _, c := range codes {
		if c != textFormat && c != binaryFormat {
			return sqlerr.New(sqlerr.ProtocolViolation, "unsupported format code: %d", c)
		}
	}
	if len(codes) > 1 && len(codes) != n {
		return sqlerr.New(sqlerr.ProtocolViolation, "bind message has %d %s formats but %d %ss", len(codes), what, n, what)
	}
	return nil
}

// appendValue appends v in the given format for a column of type oid.
// NULL is the caller's business (length -1).
func appendValue(buf []byte, v planner.Value, oid uint32, format int16) ([]byte, error) {
	if format == textFormat {
		return v.AppendText(buf), nil
	}
	switch oid {
	case types.OIDBool:
		if v.Bool() {
			return append(buf, 1), nil
		}
		return append(buf, 0), nil
	case types.OIDInt2:
		return binary.BigEndian.AppendUint16(buf, uint16(int16(v.Int()))), nil
	case types.OIDInt4:
		return binary.BigEndian.AppendUint32(buf, uint32(int32(v.Int()))), nil
	case types.OIDInt8:
		return binary.BigEndian.AppendUint64(buf, uint64(v.Int())), nil
	case types.OIDFloat4:
		return binary.BigEndian.AppendUint32(buf, math.Float32bits(float32(v.Float()))), nil
	case types.OIDFloat8:
		return binary.BigEndian.AppendUint64(buf, math.Float64bits(v.Float())), nil
	case types.OIDNumeric:
		return appendNumericBinary(buf, string(v.AppendText(nil)))
	case types.OIDText, types.OIDVarchar, types.OIDUnknown, oidName, oidBPChar:
		// The binary form of the text types is their text.
		return v.AppendText(buf), nil
	}
	// Dates and times, intervals, bytea, uuid, json, jsonb and arrays:
	// the type package's send functions.
	if types.HasBinary(oid) {
		return types.AppendBinary(buf, v)
	}
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "binary output format is not supported for type OID %d", oid)
}

// OIDs the engine may report that have no planner/types constant yet.
const (
	oidName   uint32 = 19
	oidBPChar uint32 = 1042
)

// Numeric's binary form: ndigits, weight, sign, dscale (int16 each), then
// ndigits base-10000 digits, the first of them worth 10000^weight.
const (
	numericPos  = 0x0000
	numericNeg  = 0x4000
	numericNaN  = 0xC000
	numericPInf = 0xD000
	numericNInf = 0xF000
)

// appendNumericBinary encodes a numeric given in PostgreSQL's text output
// form ("-12.3400", "NaN", "Infinity").
func appendNumericBinary(buf []byte, s string) ([]byte, error) {
	head := func(ndigits, weight int, sign uint16, dscale int) {
		buf = binary.BigEndian.AppendUint16(buf, uint16(ndigits))
		buf = binary.BigEndian.AppendUint16(buf, uint16(int16(weight)))
		buf = binary.BigEndian.AppendUint16(buf, sign)
		buf = binary.BigEndian.AppendUint16(buf, uint16(dscale))
	}
	switch s {
	case "NaN":
		head(0, 0, numericNaN, 0)
		return buf, nil
	case "Infinity":
		head(0, 0, numericPInf, 0)
		return buf, nil
	case "-Infinity":
		head(0, 0, numericNInf, 0)
		return buf, nil
	}
	sign := uint16(numericPos)
	if strings.HasPrefix(s, "-") {
		sign = numericNeg
		s = s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	for _, r := range intPart + frac {
		if r < '0' || r > '9' {
			return nil, fmt.Errorf("numeric text %q is malformed", s)
		}
	}
	dscale := len(frac)
	// Pad the integer part on the left and the fraction on the right to
	// whole groups of four digits.
	intPart = strings.TrimLeft(intPart, "0")
	if pad := (4 - len(intPart)%4) % 4; pad > 0 {
		intPart = strings.Repeat("0", pad) + intPart
	}
	if pad := (4 - len(frac)%4) % 4; pad > 0 {
		frac += strings.Repeat("0", pad)
	}
	all := intPart + frac
	groups := make([]uint16, 0, len(all)/4)
	for i := 0; i < len(all); i += 4 {
		g, _ := strconv.Atoi(all[i : i+4])
		groups = append(groups, uint16(g))
	}
	weight := len(intPart)/4 - 1
	// Strip leading and trailing zero groups, as PostgreSQL's own sends do.
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
	return buf, nil
}

// numericBinaryText decodes numeric's binary form to its text form.
func numericBinaryText(b []byte) (string, error) {
	if len(b) < 8 {
		return "", errBinary("numeric")
	}
	ndigits := int(binary.BigEndian.Uint16(b))
	weight := int(int16(binary.BigEndian.Uint16(b[2:])))
	sign := binary.BigEndian.Uint16(b[4:])
	dscale := int(binary.BigEndian.Uint16(b[6:]))
	if len(b) != 8+2*ndigits || dscale > 16383 || weight > 32767/4 {
		return "", errBinary("numeric")
	}
	switch sign {
	case numericNaN:
		return "NaN", nil
	case numericPInf:
		return "Infinity", nil
	case numericNInf:
		return "-Infinity", nil
	case numericPos, numericNeg:
	default:
		return "", errBinary("numeric")
	}
	var sb strings.Builder
	if sign == numericNeg {
		sb.WriteByte('-')
	}
	digit := func(i int) int {
		if i < 0 || i >= ndigits {
			return 0
		}
		d := int(binary.BigEndian.Uint16(b[8+2*i:]))
		return d
	}
	for i := 0; i < ndigits; i++ {
		if digit(i) > 9999 {
			return "", errBinary("numeric")
		}
	}
	if weight < 0 {
		sb.WriteByte('0')
	} else {
		for i := 0; i <= weight; i++ {
			if i == 0 {
				sb.WriteString(strconv.Itoa(digit(i)))
			} else {
				fmt.Fprintf(&sb, "%04d", digit(i))
			}
		}
	}
	if dscale > 0 {
		sb.WriteByte('.')
		var frac strings.Builder
		for i := weight + 1; frac.Len() < dscale; i++ {
			fmt.Fprintf(&frac, "%04d", digit(i))
		}
		sb.WriteString(frac.String()[:dscale])
	}
	return sb.String(), nil
}

func errBinary(typ string) error {
	return sqlerr.New("22P03", "incorrect binary data format in bind parameter of type %s", typ)
}

// decodeParam turns a Bind parameter into a planner value. Text values go
// to the engine as they are, to be parsed by the parameter type's input
// function; binary values are decoded here by the parameter's type.
func decodeParam(data []byte, oid uint32, format int16) (planner.Value, error) {
	if data == nil {
		return planner.Null, nil
	}
	if format == textFormat {
		return planner.TextValue(string(data)), nil
	}
	size := func(n int, typ string) error {
		if len(data) != n {
			return sqlerr.New("22P03", "insufficient data left in message for binary %s parameter", typ)
		}
		return nil
	}
	switch oid {
	case types.OIDBool:
		if err := size(1, "boolean"); err != nil {
			return planner.Null, err
		}
		return types.NewBool(data[0] != 0), nil
	case types.OIDInt2:
		if err := size(2, "smallint"); err != nil {
			return planner.Null, err
		}
		return types.NewInt(types.Int2, int64(int16(binary.BigEndian.Uint16(data)))), nil
	case types.OIDInt4:
		if err := size(4, "integer"); err != nil {
			return planner.Null, err
		}
		return types.NewInt(types.Int4, int64(int32(binary.BigEndian.Uint32(data)))), nil
	case types.OIDInt8:
		if err := size(8, "bigint"); err != nil {
			return planner.Null, err
		}
		return types.NewInt(types.Int8, int64(binary.BigEndian.Uint64(data))), nil
	case types.OIDFloat4:
		if err := size(4, "real"); err != nil {
			return planner.Null, err
		}
		return types.NewFloat(types.Float4, float64(math.Float32frombits(binary.BigEndian.Uint32(data)))), nil
	case types.OIDFloat8:
		if err := size(8, "double precision"); err != nil {
			return planner.Null, err
		}
		return types.NewFloat(types.Float8, math.Float64frombits(binary.BigEndian.Uint64(data))), nil
	case types.OIDNumeric:
		s, err := numericBinaryText(data)
		if err != nil {
			return planner.Null, err
		}
		return planner.TextValue(s), nil
	case types.OIDText, types.OIDVarchar, types.OIDUnknown, oidName, oidBPChar:
		return planner.TextValue(string(data)), nil
	}
	if types.HasBinary(oid) {
		return types.FromBinary(oid, data)
	}
	return planner.Null, sqlerr.New(sqlerr.FeatureNotSupported, "binary format is not supported for parameters of type OID %d", oid)
}
