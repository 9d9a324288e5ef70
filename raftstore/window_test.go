package raftstore

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestWindowMatchesModel drives the conflict window with random writes,
// range deletes and checks, and compares every decision with a model that
// scans all records: the deferred indexing must never change an answer.
func TestWindowMatchesModel(t *testing.T) {
	defer func(l int) { linearScanLimit = l }(linearScanLimit)
	for _, limit := range []int{0, 3, 256} {
		linearScanLimit = limit
		t.Run(fmt.Sprint("limit", limit), testWindowMatchesModel)
	}
}

func testWindowMatchesModel(t *testing.T) {
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 99))
		const size = 40
		w := newConflictWindow(size)
		var all []windowRecord
		key := func() []byte { return fmt.Appendf(nil, "k%02d", rng.IntN(30)) }
		for idx := uint64(1); idx < 400; idx++ {
			if rng.IntN(3) == 0 {
				// A check of a transaction read at some earlier version.
				readVersion := idx - 1 - uint64(rng.IntN(int(min(idx, size+5))))
				var reads []span
				for range 1 + rng.IntN(3) {
					a, b := key(), key()
					if string(a) > string(b) {
						a, b = b, a
					}
					reads = append(reads, span{start: a, end: append(b, 0)})
				}
				got := w.check(readVersion, idx, reads)
				want := modelCheck(all, size, readVersion, idx, reads)
				if got != want {
					t.Fatalf("seed %d idx %d read at %d %q: window says %d, model %d", seed, idx, readVersion, reads, got, want)
				}
				continue
			}
			rec := windowRecord{index: idx}
			for range rng.IntN(4) {
				rec.keys = append(rec.keys, key())
			}
			if rng.IntN(10) == 0 {
				a := key()
				rec.ranges = append(rec.ranges, span{start: a, end: append(a, 0xff)})
			}
			all = append(all, rec)
			w.add(rec)
		}
	}
}

func modelCheck(all []windowRecord, size, readVersion, idx uint64, reads []span) byte {
	if len(reads) == 0 {
		return outcomeOK
	}
	if idx > size && readVersion+1 < idx-size {
		return outcomeTooOld
	}
	for _, rec := range all {
		if rec.index <= readVersion || rec.index >= idx {
			continue
		}
		for _, r := range reads {
			for _, k := range rec.keys {
				if r.contains(k) {
					return outcomeConflict
				}
			}
			for _, rd := range rec.ranges {
				if rd.overlaps(r) {
					return outcomeConflict
				}
			}
		}
	}
	return outcomeOK
}

// BenchmarkWindowAdd measures recording one entry that wrote one key, as a
// Redis SET does, in a full window of 100000 entries.
func BenchmarkWindowAdd(b *testing.B) {
	w := newConflictWindow(100000)
	rng := rand.New(rand.NewPCG(1, 2))
	keys := make([][]byte, 1<<16)
	for i := range keys {
		keys[i] = fmt.Appendf(nil, "s\x00\x00key:%012d", rng.IntN(1000000))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.add(windowRecord{index: uint64(i + 1), keys: [][]byte{keys[i&(len(keys)-1)]}})
	}
}
