package types

import "testing"

func TestStoredNumericMatchesParse(t *testing.T) {
	for _, s := range []string{"1", "-1", "12.50", "-0.001", "0.5", "1000", "123456789012345678", "9999999999999999999",
		"1234567890.123456789", "100.", ".5", "0", "-0", "0.00", "1e5", "NaN", "Infinity", "", "-", "1.2.3", "12345678901234567890", " 1"} {
		want, werr := parseNumeric(s)
		got, ok := storedNumeric(s)
		if !ok {
			continue
		}
		if werr != nil {
			t.Errorf("storedNumeric(%q) accepted what parseNumeric refuses: %v", s, werr)
			continue
		}
		if got.Cmp(want) != 0 || got.Exponent != want.Exponent || got.Negative != want.Negative || got.Form != want.Form {
			t.Errorf("storedNumeric(%q) = %s (exp %d), parseNumeric %s (exp %d)", s, got, got.Exponent, want, want.Exponent)
		}
		if string(appendNumeric(nil, got)) != string(appendNumeric(nil, want)) {
			t.Errorf("storedNumeric(%q) prints %s, parseNumeric %s", s, appendNumeric(nil, got), appendNumeric(nil, want))
		}
	}
}

func TestFromStoreFastMatches(t *testing.T) {
	kinds := []Kind{Int2, Int4, Int8, Date, Time, Timestamp, TimestampTZ, OID, Regclass, Text, Varchar, Name, Char, BPChar, JSON, Numeric, Bool, Float8}
	for _, k := range kinds {
		typ := T{Kind: k, Mod: -1}
		for _, i := range []int64{0, 1, -5, 1 << 40} {
			want, werr := FromStore(typ, i)
			got, gerr := FromStoreInt(typ, i)
			if (werr == nil) != (gerr == nil) || (werr == nil && (Compare(got, want) != 0 || got.Kind() != want.Kind())) {
				t.Errorf("FromStoreInt(%v, %d) = %v %v, FromStore %v %v", k, i, got, gerr, want, werr)
			}
		}
		for _, s := range []string{"", "abc", "12.50", "-3", "0.00"} {
			want, werr := FromStore(typ, s)
			got, gerr := FromStoreString(typ, s)
			if (werr == nil) != (gerr == nil) || (werr == nil && (got.Kind() != want.Kind() || string(got.AppendText(nil)) != string(want.AppendText(nil)))) {
				t.Errorf("FromStoreString(%v, %q) = %v %v, FromStore %v %v", k, s, got, gerr, want, werr)
			}
		}
	}
}
