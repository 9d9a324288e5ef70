package tuple

import (
	"errors"
	"math/big"
	"reflect"
	"testing"
)

func TestUnpackSelect(t *testing.T) {
	full := Tuple{int64(1), "a\x00b", []byte{0, 1}, nil, Tuple{int64(2), nil, "x"}, 3.5, float32(1.5), true, false,
		int64(-70000), new(big.Int).Lsh(big.NewInt(1), 80), UUID{1, 2}, "end"}
	b := full.Pack()
	tests := []struct {
		name string
		want []bool
	}{
		{"none", nil},
		{"all", []bool{true, true, true, true, true, true, true, true, true, true, true, true, true}},
		{"first", []bool{true}},
		{"last", []bool{false, false, false, false, false, false, false, false, false, false, false, false, true}},
		{"alternate", []bool{false, true, false, true, false, true, false, true, false, true, false, true, false}},
		{"past end", []bool{false, false, false, false, true, false, false, false, false, false, false, false, false, true, true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := UnpackSelect(make(Tuple, 2), b, tc.want)
			if err != nil {
				t.Fatal(err)
			}
			var exp Tuple
			last := -1
			for i, w := range tc.want {
				if w {
					last = min(i, len(full)-1)
				}
			}
			for i := 0; i <= last; i++ {
				if tc.want[i] {
					exp = append(exp, full[i])
				} else {
					exp = append(exp, nil)
				}
			}
			if len(got) != len(exp) {
				t.Fatalf("got %d elements %v, want %d %v", len(got), got, len(exp), exp)
			}
			for i := range exp {
				if !reflect.DeepEqual(got[i], exp[i]) && !(exp[i] == nil && got[i] == nil) {
					t.Errorf("element %d = %#v, want %#v", i, got[i], exp[i])
				}
			}
		})
	}
}

func TestUnpackSelectMalformed(t *testing.T) {
	for _, b := range [][]byte{{0x02, 'a'}, {0x15}, {0x05, 0x14}, {0x99}, {0x1d}, {0x21, 1, 2}} {
		_, err := UnpackSelect(nil, b, []bool{false, true})
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("UnpackSelect(%x) error %v, want ErrMalformed", b, err)
		}
	}
}

func TestAppendElem(t *testing.T) {
	for _, e := range []any{int64(0), int64(1), int64(-1), int64(255), int64(-70000), int64(1 << 62), int64(-1 << 63), "", "a\x00b", "xyz"} {
		var got []byte
		switch v := e.(type) {
		case int64:
			got = AppendInt([]byte{9}, v)
		case string:
			got = AppendString([]byte{9}, v)
		}
		want := append([]byte{9}, Tuple{e}.Pack()...)
		if string(got) != string(want) {
			t.Errorf("append %#v = %x, want %x", e, got, want)
		}
	}
}

func TestUnpackRaw(t *testing.T) {
	full := Tuple{int64(1), "a\x00b", []byte{0, 1}, nil, int64(-70000), int64(1 << 62), int64(-1 << 63), uint64(1 << 63), "plain", 2.5}
	b := full.Pack()
	raws, err := UnpackRaw(nil, b, []bool{true, true, true, true, true, true, true, true, true, true})
	if err != nil {
		t.Fatal(err)
	}
	if len(raws) != len(full) {
		t.Fatalf("%d raws, want %d", len(raws), len(full))
	}
	for i, raw := range raws {
		e, err := Unpack(raw)
		if err != nil || len(e) != 1 || !reflect.DeepEqual(e[0], full[i]) {
			t.Errorf("raw %d = %x decodes to %v %v, want %#v", i, raw, e, err, full[i])
		}
		iv, iok := RawInt(raw)
		if want, isInt := full[i].(int64); iok != isInt || (isInt && iv != want) {
			t.Errorf("RawInt(%x) = %d %v, want %#v", raw, iv, iok, full[i])
		}
		sv, sok := RawString(raw)
		if want, isStr := full[i].(string); sok != isStr || (isStr && sv != want) {
			t.Errorf("RawString(%x) = %q %v, want %#v", raw, sv, sok, full[i])
		}
	}
	raws, err = UnpackRaw(raws, b, []bool{false, false, true})
	if err != nil || len(raws) != 3 || raws[0] != nil || raws[2] == nil {
		t.Fatalf("selective UnpackRaw = %x, %v", raws, err)
	}
}
