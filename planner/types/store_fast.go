package types

// A fast path for decoding stored numerics, which scans read for every row.

import "github.com/cockroachdb/apd/v3"

// storedNumeric parses the text of a finite nonzero numeric as StoreElem
// writes it (an optional minus sign, digits, an optional point and
// digits) when its coefficient fits in a uint64; ok is false for any
// other text, which parseNumeric then handles. The result is the decimal
// parseNumeric returns for the same text.
func storedNumeric(s string) (d *apd.Decimal, ok bool) {
	i := 0
	neg := false
	if len(s) > 0 && s[0] == '-' {
		neg = true
		i = 1
	}
	if len(s)-i == 0 || len(s)-i > 19 {
		return nil, false
	}
	var c uint64
	digits, frac := 0, -1
	for ; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= '0' && ch <= '9':
			c = c*10 + uint64(ch-'0')
			digits++
			if frac >= 0 {
				frac++
			}
		case ch == '.' && frac < 0:
			frac = 0
		default:
			return nil, false
		}
	}
	if digits == 0 || c == 0 {
		return nil, false // zero keeps parseNumeric's rules for its scale and sign
	}
	frac = max(frac, 0)
	d = new(apd.Decimal)
	d.Coeff.SetUint64(c)
	d.Exponent = -int32(frac)
	d.Negative = neg
	return d, true
}

// FromStoreInt is FromStore of a stored integer element i, without boxing
// it for the kinds stored as integers.
func FromStoreInt(t T, i int64) (Value, error) {
	if !t.Kind.IsArray() {
		switch t.Kind {
		case Int2, Int4, Int8:
			return NewInt(t.Kind, i), nil
		case Date, Time, Timestamp, TimestampTZ, OID, Regclass, Regtype, Regproc, Regnamespace, Regprocedure:
			return Value{kind: t.Kind, valid: true, i: i}, nil
		}
	}
	return FromStore(t, i)
}

// FromStoreString is FromStore of a stored string element s, without
// boxing it for text kinds and numerics.
func FromStoreString(t T, s string) (Value, error) {
	if !t.Kind.IsArray() {
		switch t.Kind {
		case Text, Varchar, Unknown, Name, Char, BPChar, JSON:
			return Value{kind: t.Kind, valid: true, s: s}, nil
		case Numeric:
			if d, ok := storedNumeric(s); ok {
				return NewNumeric(d), nil
			}
		}
	}
	return FromStore(t, s)
}
