package pgwire

// Value formats: results in text or binary, parameters from text or binary.

import (
	"encoding/binary"
	"math"

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
		// numeric_send is the type package's (checked against
		// PostgreSQL's bytes); a value of another kind is converted.
		if v.Kind() != types.Numeric {
			var err error
			if v, err = types.Cast(v, types.T{Kind: types.Numeric, Mod: -1}, types.CastImplicit); err != nil {
				return nil, err
			}
		}
		return types.AppendBinary(buf, v)
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
	case types.OIDText, types.OIDVarchar, types.OIDUnknown, oidName, oidBPChar:
		return planner.TextValue(string(data)), nil
	}
	if types.HasBinary(oid) {
		return types.FromBinary(oid, data)
	}
	return planner.Null, sqlerr.New(sqlerr.FeatureNotSupported, "binary format is not supported for parameters of type OID %d", oid)
}
