package tuple

import (
	"bytes"
	"testing"
)

func addSeeds(f *testing.F) {
	for _, v := range vectors {
		f.Add(h(v.enc))
	}
	for _, tu := range ordered {
		f.Add(tu.Pack())
	}
	f.Add(h("1d 08 ffffffffffffffff"))
	f.Add(h("0b f7 0000000000000000"))
	f.Add(h("05 05 05 00 00"))
	f.Add(h("01 00ff"))
}

// FuzzUnpack checks that Unpack never panics and that whatever it accepts
// has one canonical encoding:
//   - if the input is canonical (no non-minimal integers), Pack of the
//     result gives back exactly the input;
//   - otherwise Pack of the result is strictly shorter, and is itself
//     canonical;
//   - either way, unpacking the re-packed bytes gives an identical tuple.
func FuzzUnpack(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		tu, canonical, err := unpack(b)
		if err != nil {
			if tu != nil {
				t.Fatalf("Unpack returned a tuple with error %v", err)
			}
			return
		}
		p, err := Append(nil, tu)
		if err != nil {
			t.Fatalf("Pack of unpacked %s: %v", tu, err)
		}
		if canonical && !bytes.Equal(p, b) {
			t.Fatalf("canonical input % x re-packs to % x", b, p)
		}
		if !canonical && len(p) >= len(b) {
			t.Fatalf("non-canonical input % x re-packs to % x, not shorter", b, p)
		}
		back, canonical2, err := unpack(p)
		if err != nil {
			t.Fatalf("Unpack(Pack(Unpack(% x))): %v", b, err)
		}
		if !canonical2 {
			t.Fatalf("Pack wrote non-canonical % x", p)
		}
		if !sameTuple(back, tu) {
			t.Fatalf("round trip changed %s into %s", tu, back)
		}
		if Compare(back, tu) != 0 {
			t.Fatalf("Compare(%s, itself) != 0", tu)
		}
	})
}

// FuzzCompare checks that for any two canonical encodings the tuple order of
// their decodings equals their byte order.
func FuzzCompare(f *testing.F) {
	for i := 1; i < len(ordered); i++ {
		f.Add(ordered[i-1].Pack(), ordered[i].Pack())
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		ta, ca, errA := unpack(a)
		tb, cb, errB := unpack(b)
		if errA != nil || errB != nil || !ca || !cb {
			return
		}
		if got, want := Compare(ta, tb), bytes.Compare(a, b); got != want {
			t.Fatalf("Compare(%s, %s) = %d, bytes order %d\n% x\n% x", ta, tb, got, want, a, b)
		}
	})
}
