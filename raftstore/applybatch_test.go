package raftstore

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/aspen-db/aspen/engine"
)

// TestApplyBatchGetMatchesIndexedBatch checks the fast read path against
// Pebble's own answer: after every random Set, Delete and DeleteRange, each
// key of a small universe reads the same through applyBatch.Get as through
// the indexed batch, including keys only the engine holds and keys the
// recent cache learned in earlier batches; with a tiny trackLimit the
// batches also pass into bulk mode.
func TestApplyBatchGetMatchesIndexedBatch(t *testing.T) {
	for _, limit := range []int{trackLimit, 7} {
		t.Run(fmt.Sprintf("track%d", limit), func(t *testing.T) {
			defer func(old int) { trackLimit = old }(trackLimit)
			trackLimit = limit
			testApplyBatchGet(t)
		})
	}
}

func testApplyBatchGet(t *testing.T) {
	db, err := engine.Open(t.TempDir(), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	key := func(i int) []byte { return []byte(fmt.Sprintf("k%03d", i)) }
	const universe = 60
	seed := db.NewBatch()
	for i := 0; i < universe; i += 2 {
		seed.Set(key(i), []byte(fmt.Sprintf("engine-%d", i)))
	}
	if err := seed.Commit(false); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	points := make(map[string]pointWrite)
	recent := newRecentCache()
	recent.bind(db)
	for round := 0; round < 20; round++ {
		b := newApplyBatch(db, points, recent)
		for op := 0; op < 40; op++ {
			switch r := rng.IntN(10); {
			case r < 6:
				b.Set(key(rng.IntN(universe)), []byte(fmt.Sprintf("r%d-op%d", round, op)))
			case r < 9:
				b.Delete(key(rng.IntN(universe)))
			default:
				lo := rng.IntN(universe)
				b.DeleteRange(key(lo), key(lo+rng.IntN(10)))
			}
			for i := 0; i < universe; i++ {
				got, gerr := b.Get(key(i))
				want, werr := b.Batch.Get(key(i))
				if !errors.Is(gerr, werr) && (gerr == nil) != (werr == nil) || !bytes.Equal(got, want) {
					t.Fatalf("round %d op %d key %s: fast read %q, %v; batch %q, %v", round, op, key(i), got, gerr, want, werr)
				}
			}
		}
		// Most rounds commit, so later rounds read a changed engine
		// through the recent cache; a batch that is dropped resets the
		// cache, as the apply path does when a commit fails.
		if round%3 != 2 {
			if err := b.Commit(false); err != nil {
				t.Fatal(err)
			}
		} else {
			b.Close()
			recent.reset()
			recent.bind(db)
		}
	}
}
