package tuple

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"
)

// h decodes a hex string written with optional spaces.
func h(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

func bigInt(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 0)
	if !ok {
		panic("bad big int " + s)
	}
	return v
}

// sameElem reports whether a and b are identical elements: same Go type and
// same value, floats compared bit for bit (so NaN equals the same NaN) and
// *big.Int by value.
func sameElem(a, b any) bool {
	switch a := a.(type) {
	case Tuple:
		bt, ok := b.(Tuple)
		return ok && sameTuple(a, bt)
	case []byte:
		bb, ok := b.([]byte)
		return ok && bytes.Equal(a, bb)
	case float32:
		bf, ok := b.(float32)
		return ok && math.Float32bits(a) == math.Float32bits(bf)
	case float64:
		bf, ok := b.(float64)
		return ok && math.Float64bits(a) == math.Float64bits(bf)
	case *big.Int:
		bb, ok := b.(*big.Int)
		return ok && a.Cmp(bb) == 0
	default:
		return a == b
	}
}

func sameTuple(a, b Tuple) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sameElem(a[i], b[i]) {
			return false
		}
	}
	return true
}

// canonicalElem returns the element Unpack produces for e: integers of every
// Go type become int64, uint64 or *big.Int by value.
func canonicalElem(e any) any {
	switch e := e.(type) {
	case Tuple:
		return canonicalTuple(e)
	case []byte:
		if e == nil {
			return []byte{}
		}
		return e
	}
	if kindOf(e) != kindInt {
		return e
	}
	v := toInt(e)
	if v.big == nil {
		return v.small
	}
	if v.big.IsUint64() {
		return v.big.Uint64()
	}
	return v.big
}

func canonicalTuple(t Tuple) Tuple {
	out := Tuple{}
	for _, e := range t {
		out = append(out, canonicalElem(e))
	}
	return out
}

var (
	maxUint64    = new(big.Int).SetUint64(math.MaxUint64)
	twoTo64      = new(big.Int).Lsh(big.NewInt(1), 64)
	negTwoTo64   = new(big.Int).Neg(twoTo64)
	negMaxUint64 = new(big.Int).Neg(maxUint64)
)

// vectors are exact encodings. The first five are the test cases of
// FoundationDB's design/tuple.md; the rest are derived by hand from the
// rules stated there.
var vectors = []struct {
	name string
	t    Tuple
	enc  string
}{
	{"spec bytes", Tuple{[]byte("foo\x00bar")}, "01 666f6f 00ff 626172 00"},
	{"spec unicode", Tuple{"F\u00d4O\u0000bar"}, "02 46 c394 4f 00ff 626172 00"},
	{"spec nested", Tuple{Tuple{[]byte("foo\x00bar"), nil, Tuple{}}}, "05 01 666f6f 00ff 626172 00 00ff 05 00 00"},
	{"spec int", Tuple{-5551212}, "11 ab4b93"},
	{"spec float", Tuple{float32(-42)}, "20 3dd7ffff"},

	{"empty tuple", Tuple{}, ""},
	{"nil", Tuple{nil}, "00"},
	{"two nils", Tuple{nil, nil}, "00 00"},
	{"nested nil", Tuple{Tuple{nil}}, "05 00ff 00"},
	{"nested empty", Tuple{Tuple{}}, "05 00"},
	{"empty bytes", Tuple{[]byte{}}, "01 00"},
	{"empty string", Tuple{""}, "02 00"},
	{"string 0xff", Tuple{"\xff\x00"}, "02 ff 00ff 00"},
	{"two strings", Tuple{"hi", "there"}, "02 6869 00 02 7468657265 00"},
	{"false", Tuple{false}, "26"},
	{"true", Tuple{true}, "27"},

	{"zero", Tuple{0}, "14"},
	{"one", Tuple{1}, "15 01"},
	{"minus one", Tuple{-1}, "13 fe"},
	{"255", Tuple{uint8(255)}, "15 ff"},
	{"256", Tuple{int16(256)}, "16 0100"},
	{"-255", Tuple{-255}, "13 00"},
	{"-256", Tuple{-256}, "12 feff"},
	{"65535", Tuple{uint16(65535)}, "16 ffff"},
	{"65536", Tuple{int32(65536)}, "17 010000"},
	{"-65536", Tuple{-65536}, "11 feffff"},
	{"max int32", Tuple{int32(math.MaxInt32)}, "18 7fffffff"},
	{"min int32", Tuple{int32(math.MinInt32)}, "10 7fffffff"},
	{"max uint32", Tuple{uint32(math.MaxUint32)}, "18 ffffffff"},
	{"max int64", Tuple{int64(math.MaxInt64)}, "1c 7fffffffffffffff"},
	{"min int64", Tuple{int64(math.MinInt64)}, "0c 7fffffffffffffff"},
	{"max uint64", Tuple{uint64(math.MaxUint64)}, "1c ffffffffffffffff"},
	{"-(2^64-1)", Tuple{negMaxUint64}, "0c 0000000000000000"},
	{"2^64", Tuple{twoTo64}, "1d 09 010000000000000000"},
	{"-2^64", Tuple{negTwoTo64}, "0b f6 feffffffffffffffff"},
	{"2^64+1", Tuple{bigInt("0x10000000000000001")}, "1d 09 010000000000000001"},
	{"-(2^72)", Tuple{bigInt("-0x1000000000000000000")}, "0b f5 feffffffffffffffffff"},
	{"big one", Tuple{big.NewInt(1)}, "15 01"},
	{"big minus one", Tuple{big.NewInt(-1)}, "13 fe"},

	{"float32 zero", Tuple{float32(0)}, "20 80000000"},
	{"float32 -0", Tuple{float32(math.Copysign(0, -1))}, "20 7fffffff"},
	{"float32 1", Tuple{float32(1)}, "20 bf800000"},
	{"float64 zero", Tuple{0.0}, "21 8000000000000000"},
	{"float64 -0", Tuple{math.Copysign(0, -1)}, "21 7fffffffffffffff"},
	{"float64 1", Tuple{1.0}, "21 bff0000000000000"},
	{"float64 -1", Tuple{-1.0}, "21 400fffffffffffff"},
	{"float64 +Inf", Tuple{math.Inf(1)}, "21 fff0000000000000"},
	{"float64 -Inf", Tuple{math.Inf(-1)}, "21 000fffffffffffff"},
	{"float64 NaN", Tuple{math.Float64frombits(0x7ff8000000000001)}, "21 fff8000000000001"},
	{"float64 -NaN", Tuple{math.Float64frombits(0xfff8000000000000)}, "21 0007ffffffffffff"},

	{"uuid", Tuple{UUID(h("00112233445566778899aabbccddeeff"))}, "30 00112233445566778899aabbccddeeff"},
	{"versionstamp", Tuple{Versionstamp{TransactionVersion: [10]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, UserVersion: 0x0b0c}}, "33 0102030405060708090a 0b0c"},
	{"mixed", Tuple{"users", int64(42), nil, true, Tuple{nil, "x"}}, "02 7573657273 00 15 2a 00 27 05 00ff 02 78 00 00"},
}

func TestPackVectors(t *testing.T) {
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			want := h(v.enc)
			got := v.t.Pack()
			if !bytes.Equal(got, want) {
				t.Fatalf("Pack(%s) = % x, want % x", v.t, got, want)
			}
			back, err := Unpack(want)
			if err != nil {
				t.Fatalf("Unpack(% x): %v", want, err)
			}
			if wantT := canonicalTuple(v.t); !sameTuple(back, wantT) {
				t.Fatalf("Unpack(% x) = %#v, want %#v", want, back, wantT)
			}
		})
	}
}

// TestUnpackNonCanonical covers integer forms that Pack never writes but that
// other FoundationDB bindings do (or might), and which Unpack accepts.
func TestUnpackNonCanonical(t *testing.T) {
	tests := []struct {
		name  string
		enc   string
		want  Tuple
		canon string
	}{
		// FoundationDB's Python binding writes ±(2^64-1) with the big codes.
		{"python 2^64-1", "1d 08 ffffffffffffffff", Tuple{uint64(math.MaxUint64)}, "1c ffffffffffffffff"},
		{"python -(2^64-1)", "0b f7 0000000000000000", Tuple{negMaxUint64}, "0c 0000000000000000"},
		{"leading zero", "16 0001", Tuple{int64(1)}, "15 01"},
		{"positive zero byte", "15 00", Tuple{int64(0)}, "14"},
		{"negative leading ff", "12 fffe", Tuple{int64(-1)}, "13 fe"},
		{"negative zero", "13 ff", Tuple{int64(0)}, "14"},
		{"big short", "1d 01 05", Tuple{int64(5)}, "15 05"},
		{"big empty", "1d 00", Tuple{int64(0)}, "14"},
		{"neg big short", "0b fe fa", Tuple{int64(-5)}, "13 fa"},
		{"big leading zero", "1d 0a 00010000000000000000", Tuple{twoTo64}, "1d 09 010000000000000000"},
		{"nested", "05 16 0001 00", Tuple{Tuple{int64(1)}}, "05 15 01 00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, canonical, err := unpack(h(tc.enc))
			if err != nil {
				t.Fatalf("unpack: %v", err)
			}
			if canonical {
				t.Errorf("unpack reported canonical input")
			}
			if !sameTuple(got, tc.want) {
				t.Errorf("Unpack = %#v, want %#v", got, tc.want)
			}
			if p := got.Pack(); !bytes.Equal(p, h(tc.canon)) {
				t.Errorf("Pack = % x, want % x", p, h(tc.canon))
			}
		})
	}
}

func TestUnpackErrors(t *testing.T) {
	tests := []struct {
		name string
		enc  string
		msg  string
	}{
		{"unterminated bytes", "01 6161", "unterminated byte string at offset 0"},
		{"unterminated bytes after escape", "01 00ff", "unterminated byte string"},
		{"unterminated string", "14 02 61", "unterminated string at offset 1"},
		{"unterminated nested", "05 15 01", "unterminated nested tuple at offset 0"},
		{"nested bad element", "05 03 00", "unknown type code 0x03 at offset 1"},
		{"truncated int", "16 01", "integer at offset 0: need 2 bytes, have 1"},
		{"truncated neg int", "0c 00", "integer at offset 0: need 8 bytes"},
		{"big no length", "1d", "integer length at offset 0"},
		{"big truncated", "1d 09 01", "integer at offset 0: need 9 bytes"},
		{"neg big truncated", "0b f6 fe", "integer at offset 0: need 9 bytes"},
		{"short float32", "20 000000", "float32 at offset 0"},
		{"short float64", "21 00", "float64 at offset 0"},
		{"short uuid", "30 00", "UUID at offset 0"},
		{"short versionstamp", "33 00", "versionstamp at offset 0"},
		{"escaped nil at top level", "00 ff", "unknown type code 0xff at offset 1"},
		{"deprecated nested", "03 04", "unknown type code 0x03"},
		{"deprecated true", "25", "unknown type code 0x25"},
		{"long double", "22", "unknown type code 0x22"},
		{"reserved 0x0a", "0a", "unknown type code 0x0a"},
		{"reserved 0x1e", "1e", "unknown type code 0x1e"},
		{"user code", "40", "unknown type code 0x40"},
		{"too deep", strings.Repeat("05", MaxDepth+1), "nested deeper than 1000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Unpack(h(tc.enc))
			if err == nil {
				t.Fatalf("Unpack(%s) = %v, want error", tc.enc, got)
			}
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("error %q does not wrap ErrMalformed", err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not mention %q", err, tc.msg)
			}
		})
	}
}

func TestMaxDepthAccepted(t *testing.T) {
	deep := Tuple{}
	for range MaxDepth {
		deep = Tuple{deep}
	}
	p := deep.Pack()
	back, err := Unpack(p)
	if err != nil {
		t.Fatalf("Unpack of depth %d: %v", MaxDepth, err)
	}
	if !sameTuple(back, deep) {
		t.Fatal("deep tuple did not round-trip")
	}
	if _, err := Append(nil, Tuple{deep}); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("Append of depth %d: err = %v, want ErrUnsupported", MaxDepth+1, err)
	}
}

func TestAppendErrors(t *testing.T) {
	tooBig := new(big.Int).Lsh(big.NewInt(1), 8*255) // needs 256 bytes
	tests := []struct {
		name string
		t    Tuple
		msg  string
	}{
		{"unsupported type", Tuple{1, struct{}{}}, "tuple element 1: type struct {}"},
		{"map", Tuple{map[string]int{}}, "type map[string]int"},
		{"nil big", Tuple{(*big.Int)(nil)}, "nil *big.Int"},
		{"too big", Tuple{tooBig}, "integer of 256 bytes"},
		{"too big negative", Tuple{new(big.Int).Neg(tooBig)}, "integer of 256 bytes"},
		{"nested unsupported", Tuple{Tuple{nil, []int{1}}}, "tuple element 0: nested element 1: type []int"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Append([]byte("prefix"), tc.t)
			if !errors.Is(err, ErrUnsupported) {
				t.Fatalf("Append err = %v, want ErrUnsupported", err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not mention %q", err, tc.msg)
			}
			func() {
				defer func() {
					if recover() == nil {
						t.Errorf("Pack did not panic")
					}
				}()
				tc.t.Pack()
			}()
		})
	}
}

func TestLargestBigInt(t *testing.T) {
	maxMag := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 8*255), big.NewInt(1))
	for _, v := range []*big.Int{maxMag, new(big.Int).Neg(maxMag)} {
		p := Tuple{v}.Pack()
		if len(p) != 257 {
			t.Errorf("len(Pack(%d-byte integer)) = %d, want 257", 255, len(p))
		}
		back, err := Unpack(p)
		if err != nil || !sameTuple(back, Tuple{v}) {
			t.Errorf("Unpack(Pack(v)) = %v, %v", back, err)
		}
	}
}

func TestAppendKeepsPrefix(t *testing.T) {
	got, err := Append([]byte{0xaa}, Tuple{"a", 1})
	if err != nil {
		t.Fatal(err)
	}
	if want := h("aa 02 61 00 15 01"); !bytes.Equal(got, want) {
		t.Fatalf("Append = % x, want % x", got, want)
	}
}

func TestRange(t *testing.T) {
	begin, end := Tuple{"a", 1}.Range()
	if want := h("02 61 00 15 01 00"); !bytes.Equal(begin, want) {
		t.Errorf("begin = % x, want % x", begin, want)
	}
	if want := h("02 61 00 15 01 ff"); !bytes.Equal(end, want) {
		t.Errorf("end = % x, want % x", end, want)
	}
	inside := Tuple{"a", 1, nil}.Pack()
	if bytes.Compare(inside, begin) < 0 || bytes.Compare(inside, end) >= 0 {
		t.Errorf("key % x of a longer tuple is outside [% x, % x)", inside, begin, end)
	}
	self := Tuple{"a", 1}.Pack()
	if bytes.Compare(self, begin) >= 0 {
		t.Errorf("the tuple's own key % x is inside its range", self)
	}
	b2, e2 := Tuple{}.Range()
	if !bytes.Equal(b2, []byte{0x00}) || !bytes.Equal(e2, []byte{0xff}) {
		t.Errorf("empty tuple range = % x, % x", b2, e2)
	}
}

func TestUnpackCopies(t *testing.T) {
	b := h("01 6162 00")
	got, err := Unpack(b)
	if err != nil {
		t.Fatal(err)
	}
	b[1] = 'z'
	if string(got[0].([]byte)) != "ab" {
		t.Fatalf("Unpack result aliases its input: %q", got[0])
	}
}

func TestString(t *testing.T) {
	vs := Versionstamp{TransactionVersion: [10]byte{0, 0, 0, 0, 0, 0, 0, 1, 0, 2}, UserVersion: 3}
	tests := []struct {
		t    Tuple
		want string
	}{
		{Tuple{}, "()"},
		{Tuple{nil}, "(nil,)"},
		{Tuple{"a\"b", []byte("x\x00\"\\\xff"), -5, uint64(math.MaxUint64), twoTo64},
			`("a\"b", b"x\x00\"\\\xff", -5, 18446744073709551615, 18446744073709551616)`},
		{Tuple{1.5, float32(-0.25), math.Inf(-1), true, false},
			"(1.5, -0.25f32, -Inf, true, false)"},
		{Tuple{UUID(h("00112233445566778899aabbccddeeff")), vs},
			"(UUID(00112233-4455-6677-8899-aabbccddeeff), Versionstamp(00000000000000010002, 3))"},
		{Tuple{Tuple{nil, Tuple{}}, "x"}, `((nil, ()), "x")`},
		{Tuple{struct{ A int }{1}}, "(<unsupported struct { A int }>,)"},
	}
	for _, tc := range tests {
		if got := tc.t.String(); got != tc.want {
			t.Errorf("String() = %s, want %s", got, tc.want)
		}
	}
	if got := fmt.Sprint(Tuple{"k", 1}); got != `("k", 1)` {
		t.Errorf("fmt.Sprint = %s", got)
	}
}

// ordered lists tuples in strictly increasing tuple order, as worked out by
// hand from the type codes and the encoding rules.
var ordered = []Tuple{
	{},
	{nil},
	{nil, nil},
	{nil, 0},
	{[]byte{}},
	{[]byte{0x00}},
	{[]byte{0x00, 0x00}},
	{[]byte{0x00, 0x01}},
	{[]byte{0x01}},
	{[]byte{0xff}},
	{""},
	{"\x00"},
	{"a"},
	{"a", nil},
	{"a", "b"},
	{"a\x00"},
	{"a\x00b"},
	{"ab"},
	{"b"},
	{"\u00e9"},
	{"\U0001F600"},
	{Tuple{}},
	{Tuple{}, nil},
	{Tuple{nil}},
	{Tuple{nil, nil}},
	{Tuple{nil, 1}},
	{Tuple{[]byte{}}},
	{Tuple{Tuple{}}},
	{Tuple{Tuple{nil}}},
	{Tuple{1}},
	{bigInt("-0x10000000000000000000")},
	{negTwoTo64},
	{negMaxUint64},
	{int64(math.MinInt64)},
	{int64(math.MinInt64 + 1)},
	{-65537},
	{-65536},
	{-65535},
	{-257},
	{-256},
	{-255},
	{-2},
	{-1},
	{0},
	{0, nil},
	{0, 0},
	{uint8(1)},
	{int16(255)},
	{256},
	{65535},
	{65536},
	{int64(math.MaxInt64)},
	{uint64(math.MaxInt64 + 1)},
	{uint64(math.MaxUint64)},
	{twoTo64},
	{bigInt("0x10000000000000000000")},
	{float32(math.Float32frombits(0xffc00000))}, // -NaN
	{float32(math.Inf(-1))},
	{float32(-1)},
	{float32(math.Copysign(0, -1))},
	{float32(0)},
	{float32(math.SmallestNonzeroFloat32)},
	{float32(1)},
	{float32(math.Inf(1))},
	{float32(math.NaN())},
	{math.Float64frombits(0xfff8000000000000)}, // -NaN
	{math.Inf(-1)},
	{-math.MaxFloat64},
	{-1.0},
	{-math.SmallestNonzeroFloat64},
	{math.Copysign(0, -1)},
	{0.0},
	{math.SmallestNonzeroFloat64},
	{1.0},
	{math.MaxFloat64},
	{math.Inf(1)},
	{math.Float64frombits(0x7ff8000000000000)},
	{math.Float64frombits(0x7ff8000000000001)},
	{false},
	{true},
	{UUID{}},
	{UUID{0: 1}},
	{UUID{15: 0xff, 0: 0xff}},
	{Versionstamp{UserVersion: 0}},
	{Versionstamp{UserVersion: 1}},
	{Versionstamp{TransactionVersion: [10]byte{9: 1}}},
	{Versionstamp{TransactionVersion: [10]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, UserVersion: 0xffff}},
}

func TestOrderTable(t *testing.T) {
	packed := make([][]byte, len(ordered))
	for i, tu := range ordered {
		packed[i] = tu.Pack()
	}
	for i := range ordered {
		for j := range ordered {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := Compare(ordered[i], ordered[j]); got != want {
				t.Errorf("Compare(%s, %s) = %d, want %d", ordered[i], ordered[j], got, want)
			}
			if got := bytes.Compare(packed[i], packed[j]); got != want {
				t.Errorf("bytes.Compare(Pack(%s), Pack(%s)) = %d, want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
}

func TestCompareAcrossIntTypes(t *testing.T) {
	equal := []any{int(7), int8(7), int16(7), int32(7), int64(7), uint(7), uint8(7), uint16(7), uint32(7), uint64(7), uintptr(7), big.NewInt(7)}
	for _, a := range equal {
		for _, b := range equal {
			if c := Compare(Tuple{a}, Tuple{b}); c != 0 {
				t.Errorf("Compare(%T 7, %T 7) = %d", a, b, c)
			}
			if !bytes.Equal(Tuple{a}.Pack(), Tuple{b}.Pack()) {
				t.Errorf("%T 7 and %T 7 pack differently", a, b)
			}
		}
	}
	if c := Compare(Tuple{uint64(math.MaxUint64)}, Tuple{maxUint64}); c != 0 {
		t.Errorf("Compare(uint64 max, big max) = %d", c)
	}
	if c := Compare(Tuple{int64(-1)}, Tuple{uint64(math.MaxUint64)}); c != -1 {
		t.Errorf("Compare(-1, uint64 max) = %d", c)
	}
}

func TestUUIDString(t *testing.T) {
	u := UUID(h("123e4567e89b12d3a456426614174000"))
	if got, want := u.String(), "123e4567-e89b-12d3-a456-426614174000"; got != want {
		t.Fatalf("String() = %s, want %s", got, want)
	}
}
