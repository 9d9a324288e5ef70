package tuple

import "testing"

var benchKey = Tuple{"sql", int64(7), "r", int64(123456789), "name", nil, 3.5}

func BenchmarkPack(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchKey.Pack()
	}
}

func BenchmarkUnpack(b *testing.B) {
	p := benchKey.Pack()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Unpack(p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompare(b *testing.B) {
	other := append(Tuple{}, benchKey...)
	other[3] = int64(123456790)
	b.ReportAllocs()
	for b.Loop() {
		Compare(benchKey, other)
	}
}
