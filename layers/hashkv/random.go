package hashkv

// This file picks random fields for HRANDFIELD. Picks are reads, so they
// use the caller's local randomness.

import (
	"bytes"
	"math/rand/v2"
)

// sampleWholeMax is the size up to which a hash is read whole for random
// picks, which are then uniform; larger hashes are sampled by random
// descents of the field-name trie, which favour fields in sparse parts of
// the name space but cost a few reads per pick.
const sampleWholeMax = 1024

// Random picks random fields, as HRANDFIELD does, and calls fn with each
// and its value: for count > 0, min(count, Len) distinct fields (the whole
// hash when count >= Len); for count < 0, -count fields that may repeat;
// none for 0. The picks are not kept, so a large -count costs no memory
// here. field and value are valid only during the call.
func (h *Hash) Random(count int64, rng *rand.Rand, fn func(field, value []byte)) error {
	n := h.Len()
	switch {
	case count == 0 || n == 0:
		return nil
	case count >= n:
		return h.Scan(nil, func(f, v []byte) bool { fn(f, v); return true })
	case n <= sampleWholeMax || (count > 0 && count > n/3):
		all, err := h.All()
		if err != nil {
			return err
		}
		if count < 0 {
			for range -count {
				p := all[rng.IntN(len(all))]
				fn(p.Field, p.Value)
			}
			return nil
		}
		for i := range int(count) { // a partial Fisher-Yates shuffle
			j := i + rng.IntN(len(all)-i)
			all[i], all[j] = all[j], all[i]
			fn(all[i].Field, all[i].Value)
		}
		return nil
	case count < 0:
		for range -count {
			p, err := h.descend(rng)
			if err != nil {
				return err
			}
			fn(p.Field, p.Value)
		}
		return nil
	default:
		picks, err := h.distinct(int(count), rng)
		for _, p := range picks {
			fn(p.Field, p.Value)
		}
		return err
	}
}

// RandomLen returns how many picks Random(count) makes.
func (h *Hash) RandomLen(count int64) int64 {
	if h.Len() == 0 {
		return 0
	}
	if count < 0 {
		return -count
	}
	return min(count, h.Len())
}

// distinct returns count distinct random pairs of a large hash (count at
// most a third of it): random descents until enough distinct fields came
// up, then, should the descents keep finding the same fields, the fields
// that follow a random one.
func (h *Hash) distinct(count int, rng *rand.Rand) ([]Pair, error) {
	out := make([]Pair, 0, count)
	seen := make(map[string]bool, count)
	for tries := 0; len(out) < count && tries < 4*count+64; tries++ {
		p, err := h.descend(rng)
		if err != nil {
			return nil, err
		}
		if !seen[string(p.Field)] {
			seen[string(p.Field)] = true
			out = append(out, p)
		}
	}
	if len(out) == count {
		return out, nil
	}
	start, err := h.descend(rng)
	if err != nil {
		return nil, err
	}
	fill := func(f, v []byte) bool {
		if !seen[string(f)] {
			seen[string(f)] = true
			out = append(out, Pair{bytes.Clone(f), bytes.Clone(v)})
		}
		return len(out) < count
	}
	if err := h.Scan(start.Field, fill); err != nil || len(out) == count {
		return out, err
	}
	err = h.Scan(nil, fill)
	return out, err
}

// descend picks one field by a random descent of the trie of field names:
// at each level it reads the smallest and the largest field under the
// current prefix, draws a byte between theirs, and moves to the first
// field at or after the prefix plus that byte.
func (h *Hash) descend(rng *rand.Rand) (Pair, error) {
	var prefix []byte
	for depth := 0; ; depth++ {
		lo, hi := h.span(prefix)
		first, ok, err := h.edge(lo, hi, false)
		if err != nil || !ok {
			return Pair{}, err
		}
		last, _, err := h.edge(lo, hi, true)
		if err != nil {
			return Pair{}, err
		}
		pos := len(prefix)
		if bytes.Equal(first.Field, last.Field) || depth >= 64 || len(last.Field) <= pos {
			return first, nil
		}
		// The choices run from first's byte (or -1: the prefix itself is
		// a field) to last's.
		from := -1
		if len(first.Field) > pos {
			from = int(first.Field[pos])
		}
		b := from + rng.IntN(int(last.Field[pos])-from+1)
		if b < 0 {
			return first, nil
		}
		seek, _ := h.span(append(bytes.Clone(prefix), byte(b)))
		next, ok, err := h.edge(seek, hi, false)
		if err != nil {
			return Pair{}, err
		}
		if !ok {
			next = last
		}
		prefix = next.Field[:pos+1]
	}
}

// edge returns the first (or, reverse, the last) field in [lo, hi).
func (h *Hash) edge(lo, hi []byte, reverse bool) (p Pair, ok bool, err error) {
	_, err = h.walk(lo, hi, reverse, func(f, v []byte) bool {
		p, ok = Pair{bytes.Clone(f), bytes.Clone(v)}, true
		return false
	})
	return p, ok, err
}
