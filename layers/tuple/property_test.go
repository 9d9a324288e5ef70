package tuple

import (
	"bytes"
	"math"
	"math/big"
	"math/rand"
	"testing"
)

// gen makes random tuples. Half of its elements come from a small pool of
// boundary values so that random pairs often share prefixes and tie, which
// is where ordering bugs hide.
type gen struct {
	r    *rand.Rand
	pool []any
}

func newGen(seed int64) *gen {
	g := &gen{r: rand.New(rand.NewSource(seed))}
	g.pool = append(g.pool, nil, true, false, "", "a", "a\x00", "\x00", "\xff", []byte{}, []byte{0}, []byte{0, 0xff}, []byte("a"),
		Tuple{}, Tuple{nil}, Tuple{nil, nil}, Tuple{Tuple{}}, Tuple{"a", nil}, UUID{}, Versionstamp{})
	g.pool = append(g.pool, intBoundaries()...)
	for _, f := range []float64{0, math.Copysign(0, -1), 1, -1, math.Inf(1), math.Inf(-1), math.NaN(), -math.NaN(),
		math.Float64frombits(0xfff8000000000000), math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, math.MaxFloat64} {
		g.pool = append(g.pool, f, float32(f))
	}
	return g
}

// intBoundaries returns integers of assorted Go types at every byte-size
// boundary of the encoding, both signs, up to 2^(8*20).
func intBoundaries() []any {
	var out []any
	one := big.NewInt(1)
	for k := 0; k <= 20; k++ {
		p := new(big.Int).Lsh(one, uint(8*k)) // 2^(8k)
		for _, d := range []int64{-1, 0, 1} {
			v := new(big.Int).Add(p, big.NewInt(d))
			out = append(out, v, new(big.Int).Neg(v))
			if v.IsInt64() {
				out = append(out, v.Int64(), -v.Int64())
			}
			if v.IsUint64() {
				out = append(out, v.Uint64())
			}
		}
	}
	out = append(out, int64(math.MinInt64), int64(math.MaxInt64), uint64(math.MaxUint64), uint64(1<<63),
		int8(math.MinInt8), int16(math.MinInt16), int32(math.MinInt32), int(-3), uint(3), uint32(math.MaxUint32), uint16(65535), uint8(0))
	return out
}

func (g *gen) bytes() []byte {
	n := g.r.Intn(6)
	b := make([]byte, n)
	for i := range b {
		switch g.r.Intn(3) {
		case 0:
			b[i] = 0x00
		case 1:
			b[i] = 0xff
		default:
			b[i] = byte(g.r.Intn(256))
		}
	}
	return b
}

func (g *gen) elem(depth int) any {
	if g.r.Intn(2) == 0 {
		return g.pool[g.r.Intn(len(g.pool))]
	}
	switch g.r.Intn(12) {
	case 0:
		return nil
	case 1:
		return g.bytes()
	case 2:
		return string(g.bytes())
	case 3:
		if depth < 4 {
			return g.tuple(depth + 1)
		}
		return Tuple{}
	case 4:
		v := g.r.Int63() >> uint(g.r.Intn(63))
		if g.r.Intn(2) == 0 {
			v = -v - int64(g.r.Intn(2)) // reaches math.MinInt64
		}
		return v
	case 5:
		return g.r.Uint64() >> uint(g.r.Intn(64))
	case 6:
		v := new(big.Int).SetBytes(g.bytes())
		v.Lsh(v, uint(g.r.Intn(200)))
		if g.r.Intn(2) == 0 {
			v.Neg(v)
		}
		return v
	case 7:
		return math.Float64frombits(g.r.Uint64())
	case 8:
		return math.Float32frombits(g.r.Uint32())
	case 9:
		return g.r.Intn(2) == 0
	case 10:
		var u UUID
		g.r.Read(u[:g.r.Intn(17)])
		return u
	default:
		var v Versionstamp
		g.r.Read(v.TransactionVersion[:g.r.Intn(11)])
		v.UserVersion = uint16(g.r.Intn(3))
		return v
	}
}

func (g *gen) tuple(depth int) Tuple {
	t := Tuple{}
	for n := g.r.Intn(4); n > 0; n-- {
		t = append(t, g.elem(depth))
	}
	return t
}

func TestRoundTripRandom(t *testing.T) {
	g := newGen(1)
	for i := 0; i < 20000; i++ {
		tu := g.tuple(0)
		p := tu.Pack()
		back, canonical, err := unpack(p)
		if err != nil {
			t.Fatalf("Unpack(Pack(%s)) = % x: %v", tu, p, err)
		}
		if !canonical {
			t.Fatalf("Pack(%s) = % x is not canonical", tu, p)
		}
		if want := canonicalTuple(tu); !sameTuple(back, want) {
			t.Fatalf("Unpack(Pack(%s)) = %s", tu, back)
		}
		if Compare(back, tu) != 0 {
			t.Fatalf("Compare(Unpack(Pack(t)), t) != 0 for %s", tu)
		}
	}
}

func TestRoundTripBoundaries(t *testing.T) {
	for _, v := range newGen(0).pool {
		tu := Tuple{v, Tuple{v, nil}, v}
		back, err := Unpack(tu.Pack())
		if err != nil {
			t.Fatalf("Unpack(Pack(%s)): %v", tu, err)
		}
		if want := canonicalTuple(tu); !sameTuple(back, want) {
			t.Fatalf("Unpack(Pack(%s)) = %s (%#v)", tu, back, back)
		}
	}
}

func sign(c int) int {
	switch {
	case c < 0:
		return -1
	case c > 0:
		return 1
	}
	return 0
}

func TestOrderPreservedRandom(t *testing.T) {
	g := newGen(2)
	ties := 0
	for i := 0; i < 50000; i++ {
		a, b := g.tuple(0), g.tuple(0)
		if g.r.Intn(3) == 0 { // share a prefix
			b = append(append(Tuple{}, a[:g.r.Intn(len(a)+1)]...), b...)
		}
		pa, pb := a.Pack(), b.Pack()
		c := Compare(a, b)
		if got := bytes.Compare(pa, pb); got != sign(c) {
			t.Fatalf("a=%s b=%s: Compare=%d but bytes.Compare=%d\n% x\n% x", a, b, c, got, pa, pb)
		}
		if Compare(b, a) != -c {
			t.Fatalf("Compare is not antisymmetric for %s, %s", a, b)
		}
		if c == 0 {
			ties++
		}
	}
	if ties == 0 {
		t.Fatal("generator never produced equal tuples; the test is too weak")
	}
}

// TestIntOrderAroundBoundaries checks every pair of boundary integers, the
// place where the code length changes.
func TestIntOrderAroundBoundaries(t *testing.T) {
	ints := intBoundaries()
	for _, a := range ints {
		for _, b := range ints {
			ta, tb := Tuple{a}, Tuple{b}
			want := toInt(a).compare(toInt(b))
			if got := bytes.Compare(ta.Pack(), tb.Pack()); got != want {
				t.Fatalf("bytes.Compare(Pack(%s), Pack(%s)) = %d, want %d", ta, tb, got, want)
			}
			if got := Compare(ta, tb); got != want {
				t.Fatalf("Compare(%s, %s) = %d, want %d", ta, tb, got, want)
			}
		}
	}
}
