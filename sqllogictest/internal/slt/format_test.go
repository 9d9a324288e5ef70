// Formatter tests: value rendering per type letter, sorting, hashing (the
// digests are md5sum's output for the same bytes), and comparison against
// both forms of expected results.

package slt

import (
	"slices"
	"testing"
)

func TestFormatValue(t *testing.T) {
	const int4, numeric, float8, text = 23, 1700, 701, 25
	tests := []struct {
		typ  byte
		v    *string // nil: NULL
		oid  uint32
		want string
	}{
		{'I', nil, int4, "NULL"},
		{'R', nil, float8, "NULL"},
		{'T', nil, text, "NULL"},
		{'I', p("42"), int4, "42"},
		{'I', p("-7"), int4, "-7"},
		{'I', p("9223372036854775808"), numeric, "9223372036854775808"},
		{'I', p("3.7"), numeric, "3"},
		{'I', p("-3.7"), numeric, "-3"},
		{'I', p("-0.5"), numeric, "0"},
		{'I', p("0.0000"), numeric, "0"},
		{'I', p("007.50"), numeric, "7"},
		{'I', p(".5"), numeric, "0"},
		{'I', p("12345678901234567890123.999"), numeric, "12345678901234567890123"},
		{'I', p("1e+20"), float8, "100000000000000000000"},
		{'I', p("-2.5e-05"), float8, "0"},
		{'I', p("-1.99e2"), float8, "-199"},
		{'I', p("Infinity"), float8, "Infinity"},
		{'I', p("NaN"), numeric, "NaN"},
		{'I', p("t"), BoolOID, "1"},
		{'I', p("f"), BoolOID, "0"},
		{'I', p("abc"), text, "abc"},
		{'I', p(""), text, ""},
		{'I', p("."), text, "."},
		{'I', p("-"), text, "-"},
		{'R', p("1"), int4, "1.000"},
		{'R', p("2.0625"), numeric, "2.062"}, // exact tie: to even, as printf
		{'R', p("2.0635"), numeric, "2.063"}, // below the tie as a double
		{'R', p("-0.0001"), float8, "-0.000"},
		{'R', p("562.42"), float8, "562.420"},
		{'R', p("1.8750000000000000"), numeric, "1.875"},
		{'R', p("t"), BoolOID, "1.000"},
		{'R', p("x"), text, "x"},
		{'T', p("hello world"), text, "hello world"},
		{'T', p(""), text, "(empty)"},
		{'T', p("a\tb\nc"), text, "a@b@c"},
		{'T', p("é~"), text, "@@~"},
		{'T', p("\x7f"), text, "@"},
		{'T', p("t"), BoolOID, "t"},
		{'T', p("3.50"), numeric, "3.50"},
	}
	for _, tt := range tests {
		var v []byte
		name := "NULL"
		if tt.v != nil {
			v = []byte(*tt.v)
			name = *tt.v
		}
		if got := FormatValue(tt.typ, v, tt.oid); got != tt.want {
			t.Errorf("FormatValue(%c, %q, %d) = %q, want %q", tt.typ, name, tt.oid, got, tt.want)
		}
	}
}

func p(s string) *string { return &s }

func TestSortValues(t *testing.T) {
	tests := []struct {
		in    []string
		ncols int
		mode  SortMode
		want  []string
	}{
		{[]string{"b", "1", "a", "2", "a", "10"}, 2, NoSort, []string{"b", "1", "a", "2", "a", "10"}},
		// Rows compare value by value, bytewise: "10" < "2".
		{[]string{"b", "1", "a", "2", "a", "10"}, 2, RowSort, []string{"a", "10", "a", "2", "b", "1"}},
		{[]string{"b", "1", "a", "2", "a", "10"}, 2, ValueSort, []string{"1", "10", "2", "a", "a", "b"}},
		{[]string{"NULL", "-1", "(empty)", "B", "a"}, 1, RowSort, []string{"(empty)", "-1", "B", "NULL", "a"}},
		{nil, 3, RowSort, nil},
	}
	for _, tt := range tests {
		got := slices.Clone(tt.in)
		SortValues(got, tt.ncols, tt.mode)
		if !slices.Equal(got, tt.want) {
			t.Errorf("SortValues(%q, %d, %s) = %q, want %q", tt.in, tt.ncols, tt.mode, got, tt.want)
		}
	}
}

func TestHash(t *testing.T) {
	// Digests from: printf '1\n2\n' | md5sum, and so on.
	tests := []struct {
		vals []string
		want string
	}{
		{nil, "d41d8cd98f00b204e9800998ecf8427e"},
		{[]string{"1", "2"}, "6ddb4095eb719e2a9f0a3f95677d24e0"},
		{[]string{"NULL", "(empty)"}, "14ad0be6c1ebb606277cbbb8e0bcc287"},
	}
	for _, tt := range tests {
		if got := Hash(tt.vals); got != tt.want {
			t.Errorf("Hash(%q) = %s, want %s", tt.vals, got, tt.want)
		}
	}
	if got, want := HashLine([]string{"1", "2"}), "2 values hashing to 6ddb4095eb719e2a9f0a3f95677d24e0"; got != want {
		t.Errorf("HashLine = %q, want %q", got, want)
	}
}

func TestCompare(t *testing.T) {
	tests := []struct {
		expected []string
		got      []string
		ok       bool
	}{
		{[]string{"1", "2"}, []string{"1", "2"}, true},
		{[]string{"1", "2"}, []string{"1", "3"}, false},
		{[]string{"1", "2"}, []string{"1"}, false},
		{[]string{"1"}, []string{"1", "2"}, false},
		{nil, nil, true},
		{nil, []string{"1"}, false},
		{[]string{"2 values hashing to 6ddb4095eb719e2a9f0a3f95677d24e0"}, []string{"1", "2"}, true},
		{[]string{"2 values hashing to 6ddb4095eb719e2a9f0a3f95677d24e0"}, []string{"2", "1"}, false},
		{[]string{"3 values hashing to 6ddb4095eb719e2a9f0a3f95677d24e0"}, []string{"1", "2"}, false},
		// A lone value that merely looks like a hash line is compared as a
		// value when the hash is malformed.
		{[]string{"2 values hashing to xyz"}, []string{"2 values hashing to xyz"}, true},
	}
	for _, tt := range tests {
		rec := &Record{Kind: Query, Types: "I", Expected: tt.expected}
		why := Compare(rec, tt.got)
		if (why == "") != tt.ok {
			t.Errorf("Compare(expected %q, got %q) = %q, want ok=%v", tt.expected, tt.got, why, tt.ok)
		}
	}
}
