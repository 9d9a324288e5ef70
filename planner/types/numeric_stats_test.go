package types

import (
	"strings"
	"testing"
)

// TestNumericVariance checks variance and standard deviation digits
// against PostgreSQL 15's results for the same inputs.
func TestNumericVariance(t *testing.T) {
	nums := func(s string) []Value {
		var out []Value
		for _, f := range strings.Fields(s) {
			v, err := ParseText(TNumeric, f)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
		return out
	}
	for _, tc := range []struct {
		in               string
		sample, variance bool
		want             string
	}{
		{"1 2 3 4", true, false, "1.2909944487358056"},
		{"1 2 3 4", true, true, "1.6666666666666667"},
		{"1 2 3 4", false, false, "1.1180339887498948"},
		{"1 2 3 4", false, true, "1.2500000000000000"},
		{"1 2", true, false, "0.70710678118654752440"},
		{"100000000 200000000 300000000", true, false, "100000000.0000"},
		{"100000000 200000000 300000000", false, true, "6666666666666666.6667"},
		{"1.50 2.25 100", false, false, "46.2575819611108606"},
		{"7", false, true, "0"},
		{"7", true, true, "NULL"},
		{"", false, true, "NULL"},
		{"NaN 1 2", true, false, "NaN"},
		{"NaN", true, false, "NULL"},
		{"Infinity 1", false, true, "NaN"},
	} {
		v, err := NumericVariance(nums(tc.in), tc.sample, tc.variance)
		if err != nil {
			t.Errorf("%q sample=%v variance=%v: %v", tc.in, tc.sample, tc.variance, err)
			continue
		}
		got := "NULL"
		if !v.IsNull() {
			got = v.String()
		}
		if got != tc.want {
			t.Errorf("%q sample=%v variance=%v = %s, want %s", tc.in, tc.sample, tc.variance, got, tc.want)
		}
	}
}
