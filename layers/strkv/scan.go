package strkv

import (
	"bytes"
	"fmt"
	"math/rand/v2"
)

// metaSpaceOf returns the key range of db's metadata records: ("kv", db, "m", ...).
func metaSpaceOf(db int) (begin, end []byte) {
	return kvSpace.Sub(db, "m").Range()
}

// ScanKeys calls fn for every live key of db whose name is at least from,
// in ascending byte order, until fn returns false. key and m.Value are
// valid only during the call.
func (r *Reader) ScanKeys(db int, from []byte, fn func(key []byte, m Meta) bool) error {
	if !validDB(db) {
		return ErrBadDB
	}
	begin, end := metaSpaceOf(db)
	if len(from) > 0 {
		begin = MetaKey(db, from)
	}
	return r.scanRange(db, begin, end, false, fn)
}

func (r *Reader) scanRange(db int, begin, end []byte, reverse bool, fn func(key []byte, m Meta) bool) error {
	sp := kvSpace.Sub(db, "m")
	it := r.r.Scan(begin, end, reverse)
	defer it.Close()
	for it.Next() {
		t, err := sp.Unpack(it.Key())
		if err != nil || len(t) != 1 {
			return fmt.Errorf("scan keys of db %d: bad key %x", db, it.Key())
		}
		key, ok := t[0].([]byte)
		if !ok {
			return fmt.Errorf("scan keys of db %d: bad key %s", db, t)
		}
		m, err := DecodeMeta(it.Value())
		if err != nil {
			return fmt.Errorf("key %q: %w", key, err)
		}
		if m.Expired(r.nowMs) {
			continue
		}
		if !fn(key, m) {
			return nil
		}
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("scan keys of db %d: %w", db, err)
	}
	return nil
}

// DBSize counts the live keys of db. It reads every key record.
func (r *Reader) DBSize(db int) (int64, error) {
	var n int64
	err := r.ScanKeys(db, nil, func([]byte, Meta) bool { n++; return true })
	return n, err
}

// RandomKey returns a live key of db picked with the random number pick,
// by a random descent of the name trie (see randomDescent): keys in sparse
// branches are likelier than keys in dense ones, but every branch of the
// name space gets its share, unlike a seek to a random name. ok is false
// when db has no live key. The returned key is owned by the caller.
func (r *Reader) RandomKey(db int, pick uint64) (key []byte, ok bool, err error) {
	if !validDB(db) {
		return nil, false, ErrBadDB
	}
	key, err = r.randomDescent(db, pick)
	return key, key != nil, err
}

// randomDescent walks down the trie of db's live key names: at each level
// it reads the smallest and the largest name under the current prefix,
// draws a byte between theirs, and moves to the first name at or after
// the prefix plus that byte. It returns nil when db has no live key.
func (r *Reader) randomDescent(db int, pick uint64) ([]byte, error) {
	rng := rand.New(rand.NewPCG(pick, 0x9e3779b97f4a7c15))
	space := kvSpace.Sub(db, "m").Bytes()
	var prefix []byte
	take := func(dst *[]byte) func([]byte, Meta) bool {
		return func(k []byte, _ Meta) bool { *dst = bytes.Clone(k); return false }
	}
	for depth := 0; ; depth++ {
		// Names starting with prefix are the keys starting with the
		// prefix's encoding without its terminator.
		lo := append(append(bytes.Clone(space), 0x01), escapeName(prefix)...)
		hi := strinc(lo)
		var first, last []byte
		if err := r.scanRange(db, lo, hi, false, take(&first)); err != nil || first == nil {
			return nil, err
		}
		if err := r.scanRange(db, lo, hi, true, take(&last)); err != nil {
			return nil, err
		}
		pos := len(prefix)
		if bytes.Equal(first, last) || depth >= 64 || len(last) <= pos {
			return first, nil
		}
		// The byte choices run from first's byte (or -1: the prefix
		// itself is a name) to last's.
		from := -1
		if len(first) > pos {
			from = int(first[pos])
		}
		b := from + rng.IntN(int(last[pos])-from+1)
		if b < 0 {
			return first, nil
		}
		var next []byte
		seek := append(bytes.Clone(lo), escapeName([]byte{byte(b)})...)
		if err := r.scanRange(db, seek, hi, false, take(&next)); err != nil {
			return nil, err
		}
		if next == nil {
			next = last
		}
		prefix = next[:pos+1]
	}
}

// escapeName escapes name's bytes as the tuple encoding escapes a byte
// string (0x00 as 0x00 0xff), without the type code or the terminator.
func escapeName(name []byte) []byte {
	out := make([]byte, 0, len(name))
	for _, c := range name {
		out = append(out, c)
		if c == 0 {
			out = append(out, 0xff)
		}
	}
	return out
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

// SampleKeys returns up to n live keys of db: the run of keys that starts
// at a key drawn with pick (as RandomKey draws it), wrapping around to the
// first key. Eviction samples keys this way.
func (r *Reader) SampleKeys(db int, pick uint64, n int) ([][]byte, error) {
	start, err := r.randomDescent(db, pick)
	if err != nil || start == nil {
		return nil, err
	}
	begin, end := metaSpaceOf(db)
	seed := MetaKey(db, start)
	var out [][]byte
	collect := func(k []byte, _ Meta) bool {
		out = append(out, bytes.Clone(k))
		return len(out) < n
	}
	if err := r.scanRange(db, seed, end, false, collect); err != nil {
		return nil, err
	}
	if len(out) < n {
		if err := r.scanRange(db, begin, seed, false, collect); err != nil {
			return nil, err
		}
	}
	return out, nil
}
