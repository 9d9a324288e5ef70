package types

// Fuzzing of the text input functions: no panic, and every accepted value
// reads back from its own output (text and binary) as an equal value.

import (
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

var fuzzKinds = []T{TDate, TTime, TTimestamp, TTimestampTZ, TInterval, TBytea, TUUID, TJSON, TJSONB,
	T{BPChar, BPCharMod(3)}, ArrayType(TInt4), ArrayType(TText), ArrayType(TTimestampTZ), ArrayType(TJSONB), TNumeric}

func FuzzParseText(f *testing.F) {
	for _, c := range inputCases {
		f.Add(uint8(0), c.in)
	}
	f.Add(uint8(3), "2024-03-10 02:30:00")
	f.Fuzz(func(t *testing.T, which uint8, s string) {
		if !utf8.ValidString(s) {
			return // the protocol layer refuses invalid UTF-8 before any input function
		}
		loc, _ := LoadZone("America/New_York")
		env := &Env{Loc: loc, Now: time.Unix(1700000000, 0)}
		for i, typ := range fuzzKinds {
			if which != 0 && int(which)%len(fuzzKinds) != i {
				continue
			}
			v, err := ParseTextEnv(env, typ, s)
			if err != nil || v.IsNull() {
				continue
			}
			text := string(v.AppendTextEnv(nil, env))
			back, err := ParseTextEnv(env, typ, text)
			if err != nil {
				t.Fatalf("%s %q: output %q does not read back: %v", typ, s, text, err)
			}
			if typ.Kind != JSON && Compare(back, v) != 0 {
				t.Fatalf("%s %q: output %q reads back as %s", typ, s, text, back)
			}
			bin, err := AppendBinary(nil, v)
			if err != nil {
				t.Fatalf("%s %q: AppendBinary: %v", typ, s, err)
			}
			fb, err := FromBinary(typ.OID(), bin)
			if err != nil || Compare(fb, v) != 0 {
				t.Fatalf("%s %q: binary round trip: %s, %v", typ, s, fb, err)
			}
		}
	})
}

// TestRoundTripCorpus runs the fuzz property over the input corpus, so it
// holds in every ordinary test run.
func TestRoundTripCorpus(t *testing.T) {
	loc, _ := LoadZone("America/New_York")
	env := &Env{Loc: loc}
	n := 0
	for _, c := range inputCases {
		v, err := ParseTextEnv(env, c.tc.t, c.in)
		if err != nil {
			continue
		}
		n++
		text := string(v.AppendTextEnv(nil, env))
		back, err := ParseTextEnv(env, c.tc.t, text)
		if err != nil || (c.tc.t.Kind != JSON && Compare(back, v) != 0) {
			t.Errorf("%s %q: output %q reads back as %s, %v", c.tc.sql, c.in, text, back, err)
		}
		bin, err := AppendBinary(nil, v)
		if err != nil {
			t.Errorf("%s %q: AppendBinary: %v", c.tc.sql, c.in, err)
			continue
		}
		if fb, err := FromBinary(c.tc.t.OID(), bin); err != nil || Compare(fb, v) != 0 {
			t.Errorf("%s %q: binary round trip: %s, %v", c.tc.sql, c.in, fb, err)
		}
	}
	if n < 100 {
		t.Fatalf("only %d corpus values parsed", n)
	}
}

// TestFromBinaryErrors checks that malformed binary input is refused with
// an error, not a panic or an oversized allocation.
func TestFromBinaryErrors(t *testing.T) {
	cases := []struct {
		oid  uint32
		data []byte
		code string
	}{
		{OIDInt4, []byte{1, 2, 3}, "08P01"},
		{OIDInt4, []byte{1, 2, 3, 4, 5}, "22P03"},
		{OIDDate, []byte{0x7f, 0xff, 0xff, 0xfe}, "22008"},
		{OIDTime, []byte{0xff, 0, 0, 0, 0, 0, 0, 0}, "22008"},
		{OIDInterval, make([]byte, 15), "08P01"},
		{OIDUUID, make([]byte, 15), "08P01"},
		{OIDJSONB, []byte{2, '1'}, "XX000"},
		{OIDJSONB, []byte{1, '{'}, "22P02"},
		{OIDText, []byte{0xff}, "22021"},
		{OIDNumeric, []byte{0, 1, 0, 0, 0, 0, 0, 0, 0x27, 0x10}, "22P03"},
		{OIDNumeric, []byte{0, 5, 0, 0, 0, 0, 0, 0}, "08P01"},
		{1007, []byte{0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 23, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 1}, "54000"},
		{1007, []byte{0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 23, 0x07, 0xff, 0xff, 0xff, 0, 0, 0, 1}, "08P01"},
		{1007, []byte{0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 25, 0, 0, 0, 0, 0, 0, 0, 1}, "42804"},
		{1007, []byte{0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 23}, "0A000"},
		{1007, []byte{0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 23, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0}, "08P01"},
		{1007, []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 23, 0}, "22P03"},
	}
	for _, c := range cases {
		_, err := FromBinary(c.oid, c.data)
		if got := codeOf(err); got != c.code {
			t.Errorf("FromBinary(%d, %x): %v, want SQLSTATE %s", c.oid, c.data, err, c.code)
		}
	}
}

func codeOf(err error) string {
	if err == nil {
		return ""
	}
	return sqlerr.Code(err)
}
