package types

import (
	"math"
	"reflect"
	"testing"
	"time"
)

// TestSpillRoundTrip checks that every kind of value comes back from the
// spill encoding exactly: same kind, text, order and numeric scale.
func TestSpillRoundTrip(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no zoneinfo")
	}
	parse := func(k Kind, s string) Value {
		t.Helper()
		v, err := ParseText(T{Kind: k, Mod: -1}, s)
		if err != nil {
			t.Fatalf("parse %s %q: %v", k, s, err)
		}
		return v
	}
	vals := []Value{
		Null, NewBool(true), NewBool(false), NewInt(Int2, -3), NewInt(Int4, 0), NewInt(Int8, math.MinInt64),
		NewFloat(Float8, math.Copysign(0, -1)), NewFloat(Float8, math.Inf(1)), NewFloat(Float8, math.NaN()), NewFloat(Float4, 1.5),
		parse(Numeric, "1.2300"), parse(Numeric, "-0.000"), parse(Numeric, "NaN"), parse(Numeric, "Infinity"),
		parse(Numeric, "123456789012345678901234567890.123456789"), parse(Numeric, "1e20"),
		NewText(""), NewText("héllo"), NewVarchar("v"), NewBPChar("ab  "), NewUnknown("lit"),
		parse(Date, "2024-02-29"), parse(Date, "infinity"), parse(Time, "12:34:56.789"), parse(Timestamp, "1999-12-31 23:59:59.5"),
		parse(TimestampTZ, "2020-01-01 00:00:00+02"), parse(TimestampTZ, "2020-06-01 12:00:00+00").InZone(ny),
		parse(Interval, "1 year 2 mons -3 days 04:05:06.7"), NewBytea([]byte{0, 1, 255}), parse(UUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
		parse(JSON, `{"b": 1,  "a": [1, 2.50]}`), parse(JSONB, `{"b": 1, "a": [1, 2.50, null, "x"], "c": {"d": true}}`),
		parse(ArrayOf(Int4), "{1,NULL,3}"), parse(ArrayOf(Text), `{"a b",NULL,""}`), parse(ArrayOf(Numeric), "{1.50,2}"),
		NewArray(Int4, nil), parse(ArrayOf(TimestampTZ), `{"2020-01-01 00:00:00+00"}`).InZone(ny),
		parse(OID, "12345"), parse(Name, "pg_class"), parse(Char, "c"),
	}
	var buf []byte
	for _, v := range vals {
		buf = AppendSpill(buf, v)
	}
	rest := buf
	for i, want := range vals {
		var got Value
		var err error
		got, rest, err = ReadSpill(rest)
		if err != nil {
			t.Fatalf("value %d (%v): %v", i, want, err)
		}
		if got.Kind() != want.Kind() || got.IsNull() != want.IsNull() {
			t.Errorf("value %d: kind %v null %v, want %v %v", i, got.Kind(), got.IsNull(), want.Kind(), want.IsNull())
			continue
		}
		if got.String() != want.String() {
			t.Errorf("value %d: text %q, want %q", i, got.String(), want.String())
		}
		if !want.IsNull() && Compare(got, want) != 0 && !(want.Kind() == Float8 && math.IsNaN(want.Float())) {
			t.Errorf("value %d: compares unequal to %v", i, want)
		}
		if want.Kind() == Numeric && !reflect.DeepEqual(got.Decimal().Exponent, want.Decimal().Exponent) {
			t.Errorf("value %d: exponent %d, want %d", i, got.Decimal().Exponent, want.Decimal().Exponent)
		}
		if want.Kind() == Float8 && math.Float64bits(got.Float()) != math.Float64bits(want.Float()) {
			t.Errorf("value %d: float bits differ", i)
		}
	}
	if len(rest) != 0 {
		t.Errorf("%d bytes left over", len(rest))
	}
	for n := 0; n < len(buf); n++ {
		// A cut record is an error, never a panic.
		data := buf[:n]
		for len(data) > 0 {
			var err error
			if _, data, err = ReadSpill(data); err != nil {
				break
			}
		}
	}
}
