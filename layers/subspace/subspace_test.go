package subspace

import (
	"bytes"
	"errors"
	"testing"

	"github.com/aspen-db/aspen/layers/tuple"
)

func TestPrefixes(t *testing.T) {
	tests := []struct {
		name string
		s    Subspace
		want []byte
	}{
		{"zero", Subspace{}, nil},
		{"empty sub", Sub(), nil},
		{"sub", Sub("sql", 7), []byte("\x02sql\x00\x15\x07")},
		{"nested sub", Sub("sql").Sub(7), []byte("\x02sql\x00\x15\x07")},
		{"from bytes", FromBytes([]byte{0xfe, 0x00}), []byte{0xfe, 0x00}},
		{"from bytes then sub", FromBytes([]byte{0xfe}).Sub("a"), []byte("\xfe\x02a\x00")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.s.Bytes(); !bytes.Equal(got, tc.want) {
				t.Fatalf("Bytes() = % x, want % x", got, tc.want)
			}
		})
	}
}

func TestPackUnpack(t *testing.T) {
	s := Sub("sql", 7, "r")
	tests := []tuple.Tuple{
		{},
		{int64(1)},
		{"a\x00b", nil, tuple.Tuple{nil, int64(-3)}, []byte{0, 0xff}},
	}
	for _, tu := range tests {
		k := s.Pack(tu)
		if want := append(s.Bytes(), tu.Pack()...); !bytes.Equal(k, want) {
			t.Fatalf("Pack(%s) = % x, want % x", tu, k, want)
		}
		if !s.Contains(k) {
			t.Fatalf("Contains(Pack(%s)) = false", tu)
		}
		back, err := s.Unpack(k)
		if err != nil {
			t.Fatalf("Unpack(Pack(%s)): %v", tu, err)
		}
		if tuple.Compare(back, tu) != 0 || len(back) != len(tu) {
			t.Fatalf("Unpack(Pack(%s)) = %s", tu, back)
		}
	}
}

func TestUnpackErrors(t *testing.T) {
	s := Sub("a")
	if _, err := s.Unpack(Sub("b").Pack(tuple.Tuple{1})); !errors.Is(err, ErrNotInSubspace) {
		t.Errorf("key of another subspace: err = %v, want ErrNotInSubspace", err)
	}
	if _, err := s.Unpack([]byte{0x02}); !errors.Is(err, ErrNotInSubspace) {
		t.Errorf("short key: err = %v, want ErrNotInSubspace", err)
	}
	bad := append(s.Bytes(), 0x03)
	if _, err := s.Unpack(bad); !errors.Is(err, tuple.ErrMalformed) {
		t.Errorf("malformed tail: err = %v, want tuple.ErrMalformed", err)
	}
}

func TestAppendError(t *testing.T) {
	_, err := Sub("a").Append(nil, tuple.Tuple{struct{}{}})
	if !errors.Is(err, tuple.ErrUnsupported) {
		t.Fatalf("err = %v, want tuple.ErrUnsupported", err)
	}
}

func TestContains(t *testing.T) {
	s := Sub("ab")
	tests := []struct {
		key  []byte
		want bool
	}{
		{s.Bytes(), true},
		{s.Pack(tuple.Tuple{1}), true},
		{Sub("ab", "c").Bytes(), true},
		{Sub("abc").Bytes(), false}, // a string prefix is not a tuple prefix
		{Sub("a").Bytes(), false},
		{nil, false},
	}
	for _, tc := range tests {
		if got := s.Contains(tc.key); got != tc.want {
			t.Errorf("Contains(% x) = %v, want %v", tc.key, got, tc.want)
		}
	}
	if !(Subspace{}).Contains([]byte("anything")) {
		t.Error("the zero Subspace does not contain every key")
	}
}

func TestRange(t *testing.T) {
	s := Sub("t", 1)
	begin, end := s.Range()
	if want := append(s.Bytes(), 0x00); !bytes.Equal(begin, want) {
		t.Errorf("begin = % x, want % x", begin, want)
	}
	if want := append(s.Bytes(), 0xff); !bytes.Equal(end, want) {
		t.Errorf("end = % x, want % x", end, want)
	}
	in := func(k []byte) bool { return bytes.Compare(k, begin) >= 0 && bytes.Compare(k, end) < 0 }
	for _, tu := range []tuple.Tuple{{nil}, {[]byte{}}, {true}, {tuple.Versionstamp{}}, {"zz", 3}} {
		if k := s.Pack(tu); !in(k) {
			t.Errorf("Pack(%s) = % x is outside Range", tu, k)
		}
	}
	for _, k := range [][]byte{s.Bytes(), Sub("t", 2).Bytes(), Sub("t").Bytes(), Sub("t", 1).Bytes()[:3]} {
		if in(k) {
			t.Errorf("% x, not in the subspace or the bare prefix, is inside Range", k)
		}
	}
}

func TestImmutable(t *testing.T) {
	raw := []byte{1, 2}
	s := FromBytes(raw)
	raw[0] = 9
	b := s.Bytes()
	b[1] = 9
	if got := s.Bytes(); !bytes.Equal(got, []byte{1, 2}) {
		t.Fatalf("prefix changed through a caller's slice: % x", got)
	}
	begin, _ := s.Range()
	begin[0] = 9
	child := s.Sub("x")
	k := s.Pack(tuple.Tuple{"y"})
	if !bytes.Equal(child.Bytes(), []byte("\x01\x02\x02x\x00")) || !bytes.Equal(k, []byte("\x01\x02\x02y\x00")) {
		t.Fatalf("derived keys share memory: % x, % x", child.Bytes(), k)
	}
}

func TestString(t *testing.T) {
	if got, want := Sub("sql", 7).String(), `Subspace(("sql", 7))`; got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
	if got, want := FromBytes([]byte{0xfe, 0x01}).String(), "Subspace(fe01)"; got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
}
