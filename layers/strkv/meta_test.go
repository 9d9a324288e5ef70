package strkv

import (
	"errors"
	"math"
	"testing"
)

func TestMetaRoundTrip(t *testing.T) {
	tests := []Meta{
		{},
		{Type: TypeString, Value: []byte("hello")},
		{Type: TypeZSet, ExpireAt: 1700000000123, Version: math.MaxUint64},
		{Type: TypeString, ExpireAt: math.MaxInt64, Version: 1, Value: []byte{0, 0xff}},
	}
	for _, m := range tests {
		got, err := DecodeMeta(m.Encode())
		if err != nil {
			t.Fatalf("decode %+v: %v", m, err)
		}
		if got.Type != m.Type || got.ExpireAt != m.ExpireAt || got.Version != m.Version || string(got.Value) != string(m.Value) {
			t.Fatalf("round trip: got %+v, want %+v", got, m)
		}
	}
	for _, bad := range [][]byte{nil, {1, 0}, append([]byte{9}, make([]byte, 17)...)} {
		if _, err := DecodeMeta(bad); !errors.Is(err, ErrCorrupt) {
			t.Errorf("decode %x: %v, want ErrCorrupt", bad, err)
		}
	}
}

func TestParseInt(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true},
		{"1", 1, true},
		{"-1", -1, true},
		{"9223372036854775807", math.MaxInt64, true},
		{"-9223372036854775808", math.MinInt64, true},
		{"9223372036854775808", 0, false},
		{"-9223372036854775809", 0, false},
		{"", 0, false},
		{"-", 0, false},
		{"-0", 0, false},
		{"00", 0, false},
		{"01", 0, false},
		{"+1", 0, false},
		{" 1", 0, false},
		{"1 ", 0, false},
		{"1.0", 0, false},
		{"1e3", 0, false},
		{"0x10", 0, false},
		{"123456789012345678901", 0, false},
	}
	for _, tc := range tests {
		got, ok := ParseInt([]byte(tc.in))
		if ok != tc.ok || got != tc.want {
			t.Errorf("ParseInt(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestMalformedArgs checks that undecodable arguments fail the mutation
// with a Go error (failing the transaction) instead of panicking or
// writing.
func TestMalformedArgs(t *testing.T) {
	for name, fn := range Mutations() {
		for _, args := range [][]byte{nil, {0xff}, {99, 1, 'k'}, {0, 200}} {
			if _, err := fn(nil, args); !errors.Is(err, errMalformed) {
				t.Errorf("%s(%x): %v, want errMalformed", name, args, err)
			}
		}
	}
}
