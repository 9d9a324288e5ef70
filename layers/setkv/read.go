package setkv

import (
	"bytes"
	"math/rand/v2"
	"slices"

	"github.com/aspen-db/aspen/layers/strkv"
)

// This file holds the read commands: SCARD, SISMEMBER, SMISMEMBER,
// SMEMBERS, SINTER, SINTERCARD, SUNION, SDIFF, SRANDMEMBER and SSCAN. They
// fail with strkv.ErrWrongType for a key of another type and treat a
// missing key as an empty set. Returned members are owned by the caller.

// Card returns the number of members of the set at key in db (SCARD).
func Card(r *strkv.Reader, db int, key []byte) (int64, error) {
	s, _, err := lookup(r, db, key)
	return s.card, err
}

// IsMember reports whether member is in the set at key in db (SISMEMBER).
func IsMember(r *strkv.Reader, db int, key, member []byte) (bool, error) {
	s, ok, err := lookup(r, db, key)
	if err != nil || !ok {
		return false, err
	}
	return s.has(r.Source(), member)
}

// MIsMember reports for each of members whether it is in the set at key
// in db (SMISMEMBER).
func MIsMember(r *strkv.Reader, db int, key []byte, members [][]byte) ([]bool, error) {
	s, ok, err := lookup(r, db, key)
	if err != nil {
		return nil, err
	}
	out := make([]bool, len(members))
	if !ok {
		return out, nil
	}
	for i, m := range members {
		if out[i], err = s.has(r.Source(), m); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Members returns the members of the set at key in db, in byte order
// (SMEMBERS).
func Members(r *strkv.Reader, db int, key []byte) ([][]byte, error) {
	s, ok, err := lookup(r, db, key)
	if err != nil || !ok {
		return nil, err
	}
	return s.all(r.Source())
}

// Inter returns the members common to the sets at keys in db, in byte
// order (SINTER). Every key is type-checked, as in Redis, even after a
// missing one has made the result empty.
func Inter(r *strkv.Reader, db int, keys [][]byte) ([][]byte, error) {
	var out [][]byte
	err := inter(r, db, keys, 0, func(m []byte) { out = append(out, bytes.Clone(m)) })
	return out, err
}

// InterCard returns the size of the intersection of the sets at keys in
// db, counting no further than limit when limit is positive (SINTERCARD).
func InterCard(r *strkv.Reader, db int, keys [][]byte, limit int64) (int64, error) {
	var n int64
	err := inter(r, db, keys, limit, func([]byte) { n++ })
	return n, err
}

// inter calls fn with each member of the intersection of keys in byte
// order, stopping after limit members when limit is positive.
func inter(r *strkv.Reader, db int, keys [][]byte, limit int64, fn func(m []byte)) error {
	sets, oks, err := lookupAll(r, db, keys)
	if err != nil || slices.Contains(oks, false) {
		return err
	}
	// Walk the smallest set and probe the others, smallest first.
	slices.SortStableFunc(sets, func(a, b set) int { return int(min(max(a.card-b.card, -1), 1)) })
	src := r.Source()
	var n int64
	var probeErr error
	err = sets[0].scan(src, nil, func(m []byte) bool {
		for _, o := range sets[1:] {
			if o.version == sets[0].version && bytes.Equal(o.key, sets[0].key) {
				continue
			}
			in, err := o.has(src, m)
			if err != nil {
				probeErr = err
				return false
			}
			if !in {
				return true
			}
		}
		fn(m)
		n++
		return limit <= 0 || n < limit
	})
	if err == nil {
		err = probeErr
	}
	return err
}

// Union returns the members of any of the sets at keys in db, in byte
// order (SUNION).
func Union(r *strkv.Reader, db int, keys [][]byte) ([][]byte, error) {
	sets, oks, err := lookupAll(r, db, keys)
	if err != nil {
		return nil, err
	}
	seen := make(map[string]struct{})
	var out [][]byte
	for i, s := range sets {
		if !oks[i] {
			continue
		}
		err := s.scan(r.Source(), nil, func(m []byte) bool {
			if _, dup := seen[string(m)]; !dup {
				seen[string(m)] = struct{}{}
				out = append(out, bytes.Clone(m))
			}
			return true
		})
		if err != nil {
			return nil, err
		}
	}
	slices.SortFunc(out, bytes.Compare)
	return out, nil
}

// Diff returns the members of the set at keys[0] in db that are in none of
// the sets at the other keys, in byte order (SDIFF).
func Diff(r *strkv.Reader, db int, keys [][]byte) ([][]byte, error) {
	sets, oks, err := lookupAll(r, db, keys)
	if err != nil || !oks[0] {
		return nil, err
	}
	src := r.Source()
	var others []set
	for i, s := range sets[1:] {
		if !oks[i+1] {
			continue
		}
		if bytes.Equal(s.key, sets[0].key) {
			return nil, nil // minus itself: nothing left
		}
		others = append(others, s)
	}
	var out [][]byte
	var probeErr error
	err = sets[0].scan(src, nil, func(m []byte) bool {
		for _, o := range others {
			in, err := o.has(src, m)
			if err != nil {
				probeErr = err
				return false
			}
			if in {
				return true
			}
		}
		out = append(out, bytes.Clone(m))
		return true
	})
	if err == nil {
		err = probeErr
	}
	return out, err
}

// RandMembers returns members of the set at key in db picked with rng, as
// SRANDMEMBER with a count does: for a positive count, min(count, card)
// distinct members; for a negative one, -count members that may repeat.
// A missing key gives none.
func RandMembers(r *strkv.Reader, db int, key []byte, count int64, rng *rand.Rand) ([][]byte, error) {
	s, ok, err := lookup(r, db, key)
	if err != nil || !ok || count == 0 {
		return nil, err
	}
	if count < 0 {
		if count == -count {
			count++ // -MinInt64 would stay negative; Redis refuses it anyway
		}
		return s.pickRepeats(r.Source(), -count, rng)
	}
	if count >= s.card {
		return s.all(r.Source())
	}
	return s.pickDistinct(r.Source(), count, rng)
}

// RandMember returns one member of the set at key in db picked with rng
// (SRANDMEMBER without a count); ok is false when the key does not exist.
func RandMember(r *strkv.Reader, db int, key []byte, rng *rand.Rand) (member []byte, ok bool, err error) {
	s, ok, err := lookup(r, db, key)
	if err != nil || !ok {
		return nil, false, err
	}
	ms, err := s.pickRepeats(r.Source(), 1, rng)
	if err != nil || len(ms) == 0 {
		return nil, false, err
	}
	return ms[0], true, nil
}

// ScanMembers calls fn with the members of the set at key in db, in byte
// order from the first at or after from, until fn returns false (SSCAN).
// It returns the set's size, 0 when the key does not exist.
func ScanMembers(r *strkv.Reader, db int, key, from []byte, fn func(member []byte) bool) (card int64, err error) {
	s, ok, err := lookup(r, db, key)
	if err != nil || !ok {
		return 0, err
	}
	return s.card, s.scan(r.Source(), from, fn)
}
