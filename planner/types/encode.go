package types

// Element encodings of values for stored rows and for order-preserving keys.

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"

	"github.com/cockroachdb/apd/v3"
)

// StoreElem returns v as a tuple element for storing in a row: nil for
// NULL, bool, int64 for integers, dates, times and timestamps, float64,
// string (text, character padded, json, jsonb in its normalised text, and
// numerics in their text form, which keeps the display scale), []byte for
// bytea and uuid, and for intervals and arrays their binary wire format.
func StoreElem(v Value) any {
	if !v.valid {
		return nil
	}
	if v.kind.IsArray() {
		b, err := AppendBinary(nil, v)
		if err != nil {
			return nil
		}
		return b
	}
	switch v.kind {
	case Date, Time, Timestamp, TimestampTZ:
		return v.i
	case Interval:
		return appendIntervalBinary(nil, v)
	case Bytea, UUID:
		return []byte(v.s)
	case JSONB:
		return v.Str()
	case Bool:
		return v.i != 0
	case Int2, Int4, Int8:
		return v.i
	case OID, Regclass, Regtype, Regproc, Regnamespace, Regprocedure:
		return int64(uint32(v.i))
	case Float4, Float8:
		return v.f
	case Numeric:
		return string(appendNumeric(nil, v.d))
	default:
		return v.s
	}
}

// FromStore turns a stored tuple element back into a value of type t.
func FromStore(t T, e any) (Value, error) {
	if e == nil {
		return Null, nil
	}
	if t.Kind.IsArray() {
		if b, ok := e.([]byte); ok {
			v, err := FromBinary(t.OID(), b)
			if err != nil {
				return Null, fmt.Errorf("stored %s: %w", t, err)
			}
			return v, nil
		}
	}
	switch t.Kind {
	case Date, Time, Timestamp, TimestampTZ:
		if i, ok := e.(int64); ok {
			return Value{kind: t.Kind, valid: true, i: i}, nil
		}
	case Interval:
		if b, ok := e.([]byte); ok && len(b) == 16 {
			return NewInterval(int32(binary.BigEndian.Uint32(b[12:])), int32(binary.BigEndian.Uint32(b[8:])),
				int64(binary.BigEndian.Uint64(b))), nil
		}
	case Bytea:
		if b, ok := e.([]byte); ok {
			return NewBytea(b), nil
		}
	case UUID:
		if b, ok := e.([]byte); ok && len(b) == 16 {
			return NewUUID([16]byte(b)), nil
		}
	case BPChar, JSON:
		if s, ok := e.(string); ok {
			return Value{kind: t.Kind, valid: true, s: s}, nil
		}
	case JSONB:
		if s, ok := e.(string); ok {
			v, err := parseJSONB(s)
			if err != nil {
				return Null, fmt.Errorf("stored jsonb %q: %w", s, err)
			}
			return v, nil
		}
	case Bool:
		if b, ok := e.(bool); ok {
			return NewBool(b), nil
		}
	case Int2, Int4, Int8:
		if i, ok := e.(int64); ok {
			return NewInt(t.Kind, i), nil
		}
	case Float4, Float8:
		if f, ok := e.(float64); ok {
			return NewFloat(t.Kind, f), nil
		}
	case Numeric:
		if s, ok := e.(string); ok {
			if d, ok := storedNumeric(s); ok {
				return NewNumeric(d), nil
			}
			d, err := parseNumeric(s)
			if err != nil {
				return Null, fmt.Errorf("stored numeric %q: %w", s, err)
			}
			return NewNumeric(d), nil
		}
	case OID, Regclass, Regtype, Regproc, Regnamespace, Regprocedure:
		if i, ok := e.(int64); ok {
			return Value{kind: t.Kind, valid: true, i: i}, nil
		}
	case Text, Varchar, Unknown, Name, Char:
		if s, ok := e.(string); ok {
			return Value{kind: t.Kind, valid: true, s: s}, nil
		}
	}
	return Null, fmt.Errorf("stored element %T does not hold a %s", e, t)
}

// KeyElem returns v as a tuple element whose order is the SQL order of the
// values and under which equal values (1.0 and 1.00, 0 and -0) are equal:
// for primary keys, index entries and grouping.
func KeyElem(v Value) any {
	if !v.valid {
		return nil
	}
	if v.kind.IsArray() || v.kind.IsVector() {
		return arrayKey(v)
	}
	switch v.kind {
	case Date, Time, Timestamp, TimestampTZ:
		return v.i
	case OID, Regclass, Regtype, Regproc, Regnamespace, Regprocedure:
		return int64(uint32(v.i))
	case Interval:
		return intervalKey(v.months, v.days, v.i)
	case BPChar:
		return strings.TrimRight(v.s, " ")
	case Bytea, UUID:
		return []byte(v.s)
	case JSONB:
		if n, ok := v.x.(*jsonNode); ok {
			return jsonbKey(nil, n)
		}
		return v.s
	case Bool:
		return v.i != 0
	case Int2, Int4, Int8:
		return v.i
	case Float4, Float8:
		f := v.f
		switch {
		case f == 0:
			f = 0
		case math.IsNaN(f):
			f = math.NaN()
		}
		return f
	case Numeric:
		return numericKey(v.d)
	default:
		return v.s
	}
}

// NumericKey exposes the numeric key encoding for tests.
func NumericKey(d *apd.Decimal) []byte { return numericKey(d) }

// appendKeyBytes appends an order-preserving, prefix-free encoding of a
// non-NULL value (for array elements): fixed-size big-endian numbers with
// the sign flipped, terminated escaped strings.
func appendKeyBytes(buf []byte, v Value) []byte {
	if v.kind.IsArray() {
		return append(buf, arrayKey(v)...)
	}
	switch v.kind {
	case Bool:
		return append(buf, byte(v.i))
	case Int2, Int4, Int8, Date, Time, Timestamp, TimestampTZ:
		return binary.BigEndian.AppendUint64(buf, uint64(v.i)^(1<<63))
	case OID, Regclass, Regtype, Regproc, Regnamespace, Regprocedure:
		return binary.BigEndian.AppendUint64(buf, uint64(uint32(v.i))^(1<<63))
	case Float4, Float8:
		f := v.f
		switch {
		case f == 0:
			f = 0
		case math.IsNaN(f):
			f = math.NaN()
		}
		u := math.Float64bits(f)
		if u&(1<<63) != 0 {
			u = ^u
		} else {
			u |= 1 << 63
		}
		return binary.BigEndian.AppendUint64(buf, u)
	case Numeric:
		buf = append(buf, numericKey(v.d)...)
		return append(buf, 0x00)
	case Interval:
		return append(buf, intervalKey(v.months, v.days, v.i)...)
	case BPChar:
		return appendEscapedKey(buf, strings.TrimRight(v.s, " "))
	case JSONB:
		if n, ok := v.x.(*jsonNode); ok {
			return jsonbKey(buf, n)
		}
	}
	return appendEscapedKey(buf, v.s)
}
