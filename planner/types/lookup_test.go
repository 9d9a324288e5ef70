package types

// Tests of LookupType: type names and modifiers as pg_query gives them.

import (
	"strings"
	"testing"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

func TestLookupType(t *testing.T) {
	tests := []struct {
		name    string
		mods    []int64
		want    string // format_type of the result
		code    string
		notices int
	}{
		{"bpchar", nil, "bpchar", "", 0},
		{"bpchar", []int64{1}, "character(1)", "", 0}, // what CHAR without a length becomes
		{"bpchar", []int64{10}, "character(10)", "", 0},
		{"bpchar", []int64{0}, "", sqlerr.InvalidParameterValue, 0},
		{"bpchar", []int64{10485761}, "", sqlerr.InvalidParameterValue, 0},
		{"date", nil, "date", "", 0},
		{"date", []int64{1}, "", sqlerr.SyntaxError, 0},
		{"time", []int64{3}, "time(3) without time zone", "", 0},
		{"timestamp", nil, "timestamp without time zone", "", 0},
		{"timestamptz", []int64{0}, "timestamp(0) with time zone", "", 0},
		{"timestamptz", []int64{8}, "timestamp(6) with time zone", "", 1},
		{"interval", nil, "interval", "", 0},
		{"bytea", nil, "bytea", "", 0},
		{"uuid", nil, "uuid", "", 0},
		{"json", nil, "json", "", 0},
		{"jsonb", nil, "jsonb", "", 0},
	}
	for _, tt := range tests {
		typ, notices, ok, err := LookupType(tt.name, tt.mods)
		if !ok {
			t.Errorf("LookupType(%q) not found", tt.name)
			continue
		}
		if tt.code != "" {
			if sqlerr.Code(err) != tt.code {
				t.Errorf("LookupType(%q, %v): err %v, want %s", tt.name, tt.mods, err, tt.code)
			}
			continue
		}
		if err != nil || typ.String() != tt.want || len(notices) != tt.notices {
			t.Errorf("LookupType(%q, %v) = %s, %d notices, %v; want %s, %d", tt.name, tt.mods, typ, len(notices), err, tt.want, tt.notices)
		}
	}
	if _, _, ok, _ := LookupType("nosuchtype", nil); ok {
		t.Error("LookupType(nosuchtype) found a type")
	}
}

func TestRandomUUID(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 100; i++ {
		v, err := RandomUUID()
		if err != nil {
			t.Fatal(err)
		}
		s := v.String()
		if len(s) != 36 || s[14] != '4' || !strings.ContainsRune("89ab", rune(s[19])) {
			t.Fatalf("not a version 4 uuid: %s", s)
		}
		if seen[s] {
			t.Fatalf("duplicate uuid %s", s)
		}
		seen[s] = true
	}
}
