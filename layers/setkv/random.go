package setkv

import (
	"bytes"
	"math/rand/v2"

	"github.com/aspen-db/aspen/layers/strkv"
)

// This file picks random members for SPOP and SRANDMEMBER. A small set, or
// a pick of a large share of a set, reads the members and draws uniformly
// among them. A few members of a large set are found without reading it
// all, by a random descent of the trie of member names (see descend): a
// few seeks per member, at the price of favouring members of small
// branches over those of crowded ones.

// fullScanLimit is the largest set whose members are read in full to draw
// from.
const fullScanLimit = 1024

// maxDescent bounds the depth of a random descent.
const maxDescent = 64

// pickDistinct returns n distinct members of s (0 < n < s.card) drawn with
// rng, in the order drawn.
func (s set) pickDistinct(src strkv.Source, n int64, rng *rand.Rand) ([][]byte, error) {
	if s.card <= fullScanLimit || n*4 >= s.card {
		all, err := s.all(src)
		if err != nil {
			return nil, err
		}
		// A partial Fisher-Yates shuffle: the first n are the draw.
		n = min(n, int64(len(all)))
		for i := range n {
			j := i + rng.Int64N(int64(len(all))-i)
			all[i], all[j] = all[j], all[i]
		}
		return all[:n], nil
	}
	out := make([][]byte, 0, n)
	seen := make(map[string]struct{}, n)
	// The descent is biased: give up on it after a generous number of
	// draws and fall back to reading the set.
	for tries := int64(0); int64(len(out)) < n; tries++ {
		if tries > 8*n+64 {
			return s.pickDistinctFallback(src, n, rng, seen, out)
		}
		m, err := s.descend(src, rng)
		if err != nil {
			return nil, err
		}
		if m == nil {
			break
		}
		if _, dup := seen[string(m)]; dup {
			continue
		}
		seen[string(m)] = struct{}{}
		out = append(out, m)
	}
	return out, nil
}

// pickDistinctFallback completes a draw of n distinct members, out so far
// (the members in seen), by drawing uniformly among the rest.
func (s set) pickDistinctFallback(src strkv.Source, n int64, rng *rand.Rand, seen map[string]struct{}, out [][]byte) ([][]byte, error) {
	var rest [][]byte
	err := s.scan(src, nil, func(m []byte) bool {
		if _, dup := seen[string(m)]; !dup {
			rest = append(rest, bytes.Clone(m))
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	for int64(len(out)) < n && len(rest) > 0 {
		j := rng.IntN(len(rest))
		out = append(out, rest[j])
		rest[j] = rest[len(rest)-1]
		rest = rest[:len(rest)-1]
	}
	return out, nil
}

// pickRepeats returns n members of s drawn independently with rng.
func (s set) pickRepeats(src strkv.Source, n int64, rng *rand.Rand) ([][]byte, error) {
	out := make([][]byte, 0, min(n, 1024))
	if s.card <= fullScanLimit {
		all, err := s.all(src)
		if err != nil || len(all) == 0 {
			return nil, err
		}
		for range n {
			out = append(out, all[rng.IntN(len(all))])
		}
		return out, nil
	}
	for range n {
		m, err := s.descend(src, rng)
		if err != nil || m == nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// edge returns the first (or, with last, the last) member of s whose name
// starts with prefix, or nil when there is none.
func (s set) edge(src strkv.Source, prefix []byte, last bool) ([]byte, error) {
	begin := s.prefixBegin(prefix)
	end := strinc(begin)
	var m []byte
	err := s.scanRange(src, begin, end, last, func(b []byte) bool {
		m = bytes.Clone(b)
		return false
	})
	return m, err
}

// descend draws a member of s by a random descent of the trie of member
// names. At each level it finds the smallest and the largest member under
// the current prefix, skips to their common prefix, and picks one of the
// branches (next bytes) below it: uniformly when there are at most
// maxBranches (found by skipping from branch to branch), else by drawing a
// byte between the smallest's and the largest's and taking the branch at
// or after it. It returns nil when s has no member.
func (s set) descend(src strkv.Source, rng *rand.Rand) ([]byte, error) {
	var prefix []byte
	for depth := 0; ; depth++ {
		first, err := s.edge(src, prefix, false)
		if err != nil || first == nil {
			return nil, err
		}
		last, err := s.edge(src, prefix, true)
		if err != nil {
			return nil, err
		}
		if bytes.Equal(first, last) || depth >= maxDescent {
			return first, nil
		}
		pos := commonPrefixLen(first, last)
		prefix = first[:pos]
		// Branch -1 is the prefix itself, a member when first is it.
		from := -1
		if len(first) > pos {
			from = int(first[pos])
		}
		branches, err := s.branches(src, prefix, from, int(last[pos]))
		if err != nil {
			return nil, err
		}
		var b int
		if branches != nil {
			b = branches[rng.IntN(len(branches))]
		} else {
			b = from + rng.IntN(int(last[pos])-from+1)
			if b >= 0 {
				// Take the branch at or after b: the next byte of the
				// first member at or after prefix+b (last is one).
				var next []byte
				err := s.scanRange(src, s.prefixBegin(append(bytes.Clone(prefix), byte(b))), strinc(s.prefixBegin(prefix)), false, func(m []byte) bool {
					next = bytes.Clone(m)
					return false
				})
				if err != nil {
					return nil, err
				}
				if next == nil || len(next) <= pos {
					next = last
				}
				b = int(next[pos])
			}
		}
		if b < 0 {
			return first, nil // the prefix itself
		}
		prefix = append(bytes.Clone(prefix), byte(b))
	}
}

// maxBranches is the most branches of a trie level descend lists to pick
// among uniformly.
const maxBranches = 16

// branches lists the next bytes of the members under prefix, from (-1
// for the prefix itself) to to, or returns nil when there are more than
// maxBranches.
func (s set) branches(src strkv.Source, prefix []byte, from, to int) ([]int, error) {
	out := []int{from}
	pos := len(prefix)
	for c := from; c < to; {
		if len(out) == maxBranches {
			return nil, nil
		}
		// The first member after every one under prefix+c.
		begin := strinc(s.prefixBegin(append(bytes.Clone(prefix), byte(c))))
		if c < 0 {
			begin = s.prefixBegin(append(bytes.Clone(prefix), 0))
		}
		var next []byte
		err := s.scanRange(src, begin, strinc(s.prefixBegin(prefix)), false, func(m []byte) bool {
			next = bytes.Clone(m)
			return false
		})
		if err != nil {
			return nil, err
		}
		if next == nil || len(next) <= pos {
			break // cannot happen while c < to; stop rather than loop
		}
		c = int(next[pos])
		out = append(out, c)
	}
	return out, nil
}

// commonPrefixLen is the length of the longest common prefix of a and b.
func commonPrefixLen(a, b []byte) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// strinc returns the first key after every key that starts with k.
func strinc(k []byte) []byte {
	out := bytes.Clone(k)
	for i := len(out) - 1; i >= 0; i-- {
		if out[i] != 0xff {
			out[i]++
			return out[:i+1]
		}
	}
	return nil
}
