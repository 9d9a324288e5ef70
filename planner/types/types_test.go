package types

// Tests of type output, input, casts, arithmetic and key order; expected texts are PostgreSQL 15 output.

import (
	"bytes"
	"math"
	"sort"
	"testing"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// Expected texts below are what PostgreSQL 15 prints for the same values.

func TestFloatOutput(t *testing.T) {
	tenth, fifth := 0.1, 0.2 // variables: constant arithmetic would be exact
	tests := []struct {
		k    Kind
		f    float64
		want string
	}{
		{Float8, tenth + fifth, "0.30000000000000004"},
		{Float8, 1e100, "1e+100"},
		{Float8, 1e15, "1e+15"},
		{Float8, 1e14, "100000000000000"},
		{Float8, 123456789012345678, "1.2345678901234568e+17"},
		{Float8, 0.0001, "0.0001"},
		{Float8, 0.00001, "1e-05"},
		{Float8, math.Copysign(0, -1), "-0"},
		{Float8, 0, "0"},
		{Float8, math.NaN(), "NaN"},
		{Float8, math.Inf(1), "Infinity"},
		{Float8, math.Inf(-1), "-Infinity"},
		{Float8, 1.5, "1.5"},
		{Float8, -100, "-100"},
		{Float8, 1.7976931348623157e308, "1.7976931348623157e+308"},
		{Float8, 5e-324, "5e-324"},
		{Float4, 1.1, "1.1"},
		{Float4, 1e6, "1e+06"},
		{Float4, 123456, "123456"},
		{Float4, 0.1, "0.1"},
		{Float4, 123456.789, "123456.79"},
		{Float4, 1234567, "1.234567e+06"},
	}
	for _, tt := range tests {
		if got := NewFloat(tt.k, tt.f).String(); got != tt.want {
			t.Errorf("%s %v: got %q, want %q", tt.k, tt.f, got, tt.want)
		}
	}
}

// eval parses a and b as type k and applies op.
func arith(t *testing.T, op byte, k Kind, a, b string) (string, error) {
	t.Helper()
	x, err := ParseText(T{k, -1}, a)
	if err != nil {
		t.Fatalf("parse %q: %v", a, err)
	}
	y, err := ParseText(T{k, -1}, b)
	if err != nil {
		t.Fatalf("parse %q: %v", b, err)
	}
	v, err := Arith(op, x, y, k)
	if err != nil {
		return "", err
	}
	return v.String(), nil
}

func TestArith(t *testing.T) {
	tests := []struct {
		op      byte
		k       Kind
		a, b    string
		want    string
		errCode string
	}{
		{'+', Numeric, "1.5", "2.25", "3.75", ""},
		{'+', Numeric, "1.50", "1", "2.50", ""},
		{'-', Numeric, "1.50", "1.5", "0.00", ""},
		{'*', Numeric, "1.5", "2.25", "3.375", ""},
		{'*', Numeric, "0.10", "0.10", "0.0100", ""},
		{'/', Numeric, "1", "3", "0.33333333333333333333", ""},
		{'/', Numeric, "10", "4", "2.5000000000000000", ""},
		{'/', Numeric, "7.0", "2", "3.5000000000000000", ""},
		{'/', Numeric, "100000", "3", "33333.333333333333", ""},
		{'/', Numeric, "2", "3", "0.66666666666666666667", ""},
		{'/', Numeric, "-2", "3", "-0.66666666666666666667", ""},
		{'/', Numeric, "1.000000000000000000000", "3", "0.333333333333333333333", ""},
		{'/', Numeric, "1", "0", "", sqlerr.DivisionByZero},
		{'%', Numeric, "10.5", "3", "1.5", ""},
		{'+', Int4, "2147483647", "1", "", sqlerr.NumericValueOutOfRange},
		{'-', Int4, "-2147483648", "1", "", sqlerr.NumericValueOutOfRange},
		{'*', Int2, "200", "200", "", sqlerr.NumericValueOutOfRange},
		{'*', Int8, "-9223372036854775808", "-1", "", sqlerr.NumericValueOutOfRange},
		{'/', Int8, "-9223372036854775808", "-1", "", sqlerr.NumericValueOutOfRange},
		{'/', Int4, "7", "2", "3", ""},
		{'/', Int4, "-7", "2", "-3", ""},
		{'%', Int4, "-7", "3", "-1", ""},
		{'%', Int4, "-2147483648", "-1", "0", ""},
		{'/', Int4, "1", "0", "", sqlerr.DivisionByZero},
		{'/', Float8, "1", "0", "", sqlerr.DivisionByZero},
		{'*', Float8, "1e308", "10", "", sqlerr.NumericValueOutOfRange},
		{'+', Float8, "0.1", "0.2", "0.30000000000000004", ""},
		{'/', Float8, "1", "3", "0.3333333333333333", ""},
		{'+', Float4, "0.1", "0.2", "0.3", ""},
	}
	for _, tt := range tests {
		got, err := arith(t, tt.op, tt.k, tt.a, tt.b)
		if tt.errCode != "" {
			if sqlerr.Code(err) != tt.errCode {
				t.Errorf("%s %c %s (%s): err %v, want SQLSTATE %s", tt.a, tt.op, tt.b, tt.k, err, tt.errCode)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s %c %s (%s): got %q, %v; want %q", tt.a, tt.op, tt.b, tt.k, got, err, tt.want)
		}
	}
}

func TestParseText(t *testing.T) {
	tests := []struct {
		t       T
		in      string
		want    string
		errCode string
		errMsg  string
	}{
		{TInt4, "12", "12", "", ""},
		{TInt4, " 12 ", "12", "", ""},
		{TInt4, "+7", "7", "", ""},
		{TInt4, "1.5", "", sqlerr.InvalidTextRepresentation, `invalid input syntax for type integer: "1.5"`},
		{TInt4, "", "", sqlerr.InvalidTextRepresentation, `invalid input syntax for type integer: ""`},
		{TInt4, "2147483648", "", sqlerr.NumericValueOutOfRange, `value "2147483648" is out of range for type integer`},
		{TInt2, "32768", "", sqlerr.NumericValueOutOfRange, `value "32768" is out of range for type smallint`},
		{TInt8, "-9223372036854775808", "-9223372036854775808", "", ""},
		{TInt8, "9223372036854775808", "", sqlerr.NumericValueOutOfRange, `value "9223372036854775808" is out of range for type bigint`},
		{TNumeric, "1.50", "1.50", "", ""},
		{TNumeric, "1e3", "1000", "", ""},
		{TNumeric, "1.5e1", "15", "", ""},
		{TNumeric, "1.25e-1", "0.125", "", ""},
		{TNumeric, " -0.0 ", "0.0", "", ""},
		{TNumeric, ".5", "0.5", "", ""},
		{TNumeric, "5.", "5", "", ""},
		{TNumeric, "NaN", "NaN", "", ""},
		{TNumeric, "abc", "", sqlerr.InvalidTextRepresentation, `invalid input syntax for type numeric: "abc"`},
		{TNumeric, "1e", "", sqlerr.InvalidTextRepresentation, `invalid input syntax for type numeric: "1e"`},
		{T{Numeric, NumericMod(10, 2)}, "1.005", "1.01", "", ""},
		{T{Numeric, NumericMod(10, 2)}, "-1.005", "-1.01", "", ""},
		{T{Numeric, NumericMod(2, 0)}, "2.5", "3", "", ""},
		{T{Numeric, NumericMod(3, 1)}, "100", "", sqlerr.NumericValueOutOfRange, "numeric field overflow"},
		{TFloat8, "1e400", "", sqlerr.NumericValueOutOfRange, `"1e400" is out of range for type double precision`},
		{TFloat8, "-Infinity", "-Infinity", "", ""},
		{TFloat8, "nan", "NaN", "", ""},
		{TFloat8, "1_000", "", sqlerr.InvalidTextRepresentation, `invalid input syntax for type double precision: "1_000"`},
		{TFloat4, "3.4e39", "", sqlerr.NumericValueOutOfRange, `"3.4e39" is out of range for type real`},
		{TBool, "yes", "t", "", ""},
		{TBool, " TRUE ", "t", "", ""},
		{TBool, "f", "f", "", ""},
		{TBool, "of", "f", "", ""},
		{TBool, "0", "f", "", ""},
		{TBool, "o", "", sqlerr.InvalidTextRepresentation, `invalid input syntax for type boolean: "o"`},
		{T{Varchar, VarcharMod(3)}, "abc", "abc", "", ""},
		{T{Varchar, VarcharMod(3)}, "abc  ", "abc", "", ""},
		{T{Varchar, VarcharMod(3)}, "abcd", "", sqlerr.StringDataRightTruncation, "value too long for type character varying(3)"},
		{T{Varchar, VarcharMod(2)}, "ééé", "", sqlerr.StringDataRightTruncation, "value too long for type character varying(2)"},
	}
	for _, tt := range tests {
		v, err := ParseText(tt.t, tt.in)
		if tt.errCode != "" {
			e := sqlerr.As(err)
			if err == nil || e.Code != tt.errCode || e.Message != tt.errMsg {
				t.Errorf("ParseText(%s, %q): err %v, want %s %q", tt.t, tt.in, err, tt.errCode, tt.errMsg)
			}
			continue
		}
		if err != nil || v.String() != tt.want {
			t.Errorf("ParseText(%s, %q) = %q, %v; want %q", tt.t, tt.in, v.String(), err, tt.want)
		}
	}
}

func TestCast(t *testing.T) {
	tests := []struct {
		from    T
		in      string
		to      T
		want    string
		errCode string
	}{
		{TNumeric, "1.5", TInt4, "2", ""},
		{TNumeric, "2.5", TInt4, "3", ""},
		{TNumeric, "-2.5", TInt4, "-3", ""},
		{TFloat8, "2.5", TInt4, "2", ""},
		{TFloat8, "3.5", TInt4, "4", ""},
		{TFloat8, "NaN", TInt4, "", sqlerr.NumericValueOutOfRange},
		{TFloat8, "1e10", TInt4, "", sqlerr.NumericValueOutOfRange},
		{TInt8, "2147483648", TInt4, "", sqlerr.NumericValueOutOfRange},
		{TInt4, "40000", TInt2, "", sqlerr.NumericValueOutOfRange},
		{TFloat4, "1.1", TFloat8, "1.100000023841858", ""},
		{TFloat8, "0.1", TNumeric, "0.1", ""},
		{TFloat8, "1e300", TFloat4, "", sqlerr.NumericValueOutOfRange},
		{TNumeric, "12.345", T{Numeric, NumericMod(5, 1)}, "12.3", ""},
		{TInt4, "1", TBool, "t", ""},
		{TBool, "t", TInt4, "1", ""},
		{TInt4, "42", TText, "42", ""},
		{TText, "abcdef", T{Varchar, VarcharMod(3)}, "abc", ""},
		{TText, "12", TInt4, "12", ""},
	}
	for _, tt := range tests {
		v, err := ParseText(tt.from, tt.in)
		if err != nil {
			t.Fatalf("ParseText(%s, %q): %v", tt.from, tt.in, err)
		}
		got, err := Cast(v, tt.to, CastExplicit)
		if tt.errCode != "" {
			if sqlerr.Code(err) != tt.errCode {
				t.Errorf("%s::%s -> %s: err %v, want %s", tt.in, tt.from, tt.to, err, tt.errCode)
			}
			continue
		}
		if err != nil || got.String() != tt.want {
			t.Errorf("%s::%s -> %s = %q, %v; want %q", tt.in, tt.from, tt.to, got.String(), err, tt.want)
		}
	}
}

func TestCanCast(t *testing.T) {
	tests := []struct {
		from, to Kind
		ctx      CastContext
		want     bool
	}{
		{Int4, Int8, CastImplicit, true},
		{Int8, Int4, CastImplicit, false},
		{Int8, Int4, CastAssignment, true},
		{Int4, Numeric, CastImplicit, true},
		{Numeric, Float8, CastImplicit, true},
		{Float8, Numeric, CastImplicit, false},
		{Float8, Numeric, CastAssignment, true},
		{Int4, Text, CastImplicit, false},
		{Int4, Text, CastAssignment, true},
		{Text, Int4, CastAssignment, false},
		{Text, Int4, CastExplicit, true},
		{Bool, Int4, CastAssignment, false},
		{Bool, Int4, CastExplicit, true},
		{Bool, Float8, CastExplicit, false},
		{Varchar, Text, CastImplicit, true},
	}
	for _, tt := range tests {
		if got := CanCast(tt.from, tt.to, tt.ctx); got != tt.want {
			t.Errorf("CanCast(%s, %s, %d) = %v, want %v", tt.from, tt.to, tt.ctx, got, tt.want)
		}
	}
}

// TestKeyOrder checks that KeyElem preserves SQL order and equality: the
// packed keys of sorted values are sorted, and equal values (1.0, 1.00)
// give equal keys.
func TestKeyOrder(t *testing.T) {
	nums := []string{"-Infinity", "-1e20", "-100", "-10.5", "-10", "-9.99", "-1", "-0.5", "-0.05", "-0.0001",
		"0", "0.0001", "0.05", "0.5", "1", "1.5", "9.99", "10", "10.5", "100", "1e20", "Infinity", "NaN"}
	var keys [][]byte
	for _, s := range nums {
		v, err := ParseText(TNumeric, s)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, NumericKey(v.Decimal()))
	}
	if !sort.SliceIsSorted(keys, func(i, j int) bool { return bytes.Compare(keys[i], keys[j]) < 0 }) {
		for i := 1; i < len(keys); i++ {
			if bytes.Compare(keys[i-1], keys[i]) >= 0 {
				t.Errorf("key(%s) >= key(%s)", nums[i-1], nums[i])
			}
		}
	}
	for _, pair := range [][2]string{{"1.0", "1.00"}, {"0", "0.000"}, {"-2.50", "-2.5"}, {"100", "1e2"}} {
		a, _ := ParseText(TNumeric, pair[0])
		b, _ := ParseText(TNumeric, pair[1])
		if !bytes.Equal(NumericKey(a.Decimal()), NumericKey(b.Decimal())) {
			t.Errorf("keys of %s and %s differ", pair[0], pair[1])
		}
		if Compare(a, b) != 0 {
			t.Errorf("Compare(%s, %s) != 0", pair[0], pair[1])
		}
	}
	// Floats: -0 and 0 are one key.
	if KeyElem(NewFloat(Float8, math.Copysign(0, -1))) != KeyElem(NewFloat(Float8, 0)) {
		t.Error("-0 and 0 have different keys")
	}
}

func TestCompare(t *testing.T) {
	v := func(tt T, s string) Value {
		x, err := ParseText(tt, s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	tests := []struct {
		a, b Value
		want int
	}{
		{v(TInt4, "1"), v(TInt8, "2"), -1},
		{v(TInt4, "2"), v(TNumeric, "1.5"), 1},
		{v(TNumeric, "1.0"), v(TInt4, "1"), 0},
		{v(TFloat8, "NaN"), v(TFloat8, "Infinity"), 1},
		{v(TFloat8, "NaN"), v(TFloat8, "NaN"), 0},
		{v(TNumeric, "NaN"), v(TNumeric, "1e100"), 1},
		{v(TText, "B"), v(TText, "a"), -1}, // C collation: bytewise
		{v(TText, "a"), v(TVarchar, "a"), 0},
		{v(TBool, "f"), v(TBool, "t"), -1},
	}
	for _, tt := range tests {
		if got := Compare(tt.a, tt.b); got != tt.want {
			t.Errorf("Compare(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestTypeInfo(t *testing.T) {
	tests := []struct {
		t    T
		oid  uint32
		size int16
		name string
	}{
		{TInt2, 21, 2, "smallint"},
		{TInt4, 23, 4, "integer"},
		{TInt8, 20, 8, "bigint"},
		{TNumeric, 1700, -1, "numeric"},
		{T{Numeric, NumericMod(10, 2)}, 1700, -1, "numeric(10,2)"},
		{TFloat4, 700, 4, "real"},
		{TFloat8, 701, 8, "double precision"},
		{TText, 25, -1, "text"},
		{T{Varchar, VarcharMod(5)}, 1043, -1, "character varying(5)"},
		{TBool, 16, 1, "boolean"},
		{TUnknown, 705, -2, "unknown"},
	}
	for _, tt := range tests {
		if tt.t.OID() != tt.oid || tt.t.Size() != tt.size || tt.t.String() != tt.name {
			t.Errorf("%v: oid %d size %d name %q; want %d %d %q", tt.t, tt.t.OID(), tt.t.Size(), tt.t.String(), tt.oid, tt.size, tt.name)
		}
		if back, ok := FromOID(tt.oid); !ok || back.Kind != tt.t.Kind {
			t.Errorf("FromOID(%d) = %v, %v", tt.oid, back, ok)
		}
	}
	if got := (T{Numeric, NumericMod(10, 2)}).Mod; got != 655366 {
		t.Errorf("numeric(10,2) typmod = %d, want 655366", got)
	}
}
