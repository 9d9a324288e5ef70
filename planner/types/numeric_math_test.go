package types

import (
	"testing"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// TestNumericMath checks numeric functions' values and display scales
// (the expected texts are PostgreSQL 15's).
func TestNumericMath(t *testing.T) {
	num := func(s string) Value {
		v, err := ParseText(TNumeric, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		name string
		f    func() (Value, error)
		want string
	}{
		{"round(2.5)", func() (Value, error) { return NumericRound(num("2.5"), 0) }, "3"},
		{"round(-2.5)", func() (Value, error) { return NumericRound(num("-2.5"), 0) }, "-3"},
		{"round(1234.5,-2)", func() (Value, error) { return NumericRound(num("1234.5"), -2) }, "1200"},
		{"round(2.5,3)", func() (Value, error) { return NumericRound(num("2.5"), 3) }, "2.500"},
		{"trunc(-1.99)", func() (Value, error) { return NumericTrunc(num("-1.99"), 0) }, "-1"},
		{"ceil(-0.1)", func() (Value, error) { return NumericCeil(num("-0.1"), true) }, "0"},
		{"floor(-1.8)", func() (Value, error) { return NumericCeil(num("-1.8"), false) }, "-2"},
		{"sqrt(2)", func() (Value, error) { return NumericSqrt(num("2")) }, "1.414213562373095"},
		{"exp(1.0)", func() (Value, error) { return NumericExp(num("1.0")) }, "2.7182818284590452"},
		{"ln(2.0)", func() (Value, error) { return NumericLn(num("2.0")) }, "0.6931471805599453"},
		{"log(10,100)", func() (Value, error) { return NumericLog(num("10"), num("100")) }, "2.0000000000000000"},
		{"2^100", func() (Value, error) { return NumericPower(num("2"), num("100")) }, "1267650600228229401496703205376.0000000000000000"},
		{"2^-2", func() (Value, error) { return NumericPower(num("2"), num("-2")) }, "0.2500000000000000"},
		{"0.0^0", func() (Value, error) { return NumericPower(num("0.0"), num("0")) }, "1.0000000000000000"},
		{"div(-7.5,2)", func() (Value, error) { return NumericDivTrunc(num("-7.5"), num("2")) }, "-3"},
		{"factorial(20)", func() (Value, error) { return NumericFactorial(20) }, "2432902008176640000"},
		{"gcd(1.5,2.5)", func() (Value, error) { return NumericGCD(num("1.5"), num("2.5"), false) }, "0.5"},
	} {
		v, err := tc.f()
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := v.String(); got != tc.want {
			t.Errorf("%s = %s, want %s", tc.name, got, tc.want)
		}
	}
	for _, tc := range []struct {
		name string
		f    func() (Value, error)
		code string
	}{
		{"sqrt(-1)", func() (Value, error) { return NumericSqrt(num("-1")) }, "2201F"},
		{"ln(0)", func() (Value, error) { return NumericLn(num("0")) }, "2201E"},
		{"log(1,10)", func() (Value, error) { return NumericLog(num("1"), num("10")) }, "22012"},
		{"0^-1", func() (Value, error) { return NumericPower(num("0"), num("-1")) }, "2201F"},
		{"(-8)^0.5", func() (Value, error) { return NumericPower(num("-8"), num("0.5")) }, "2201F"},
		{"9.99^200000", func() (Value, error) { return NumericPower(num("9.99"), num("200000")) }, "22003"},
		{"exp(10000)", func() (Value, error) { return NumericExp(num("10000")) }, "22003"},
	} {
		_, err := tc.f()
		if err == nil || sqlerr.Code(err) != tc.code {
			t.Errorf("%s: error %v, want SQLSTATE %s", tc.name, err, tc.code)
		}
	}
}
