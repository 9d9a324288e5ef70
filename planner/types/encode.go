package types

// Element encodings of values for stored rows and for order-preserving keys.

import (
	"fmt"
	"math"

	"github.com/cockroachdb/apd/v3"
)

// StoreElem returns v as a tuple element for storing in a row: nil for
// NULL, int64 for integers and booleans' kind-specific forms, float64,
// string (text, and numerics in their text form, which keeps the display
// scale).
func StoreElem(v Value) any {
	if !v.valid {
		return nil
	}
	switch v.kind {
	case Bool:
		return v.i != 0
	case Int2, Int4, Int8:
		return v.i
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
	switch t.Kind {
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
			d, err := parseNumeric(s)
			if err != nil {
				return Null, fmt.Errorf("stored numeric %q: %w", s, err)
			}
			return NewNumeric(d), nil
		}
	case Text, Varchar, Unknown:
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
	switch v.kind {
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
