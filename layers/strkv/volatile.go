package strkv

import (
	"bytes"
	"fmt"

	"github.com/aspen-db/aspen/layers/tuple"
)

// VolatileKey is an entry of the expiry index: a key with an expiry.
type VolatileKey struct {
	DB       int
	Key      []byte
	ExpireAt int64 // Unix milliseconds
}

// Volatile returns up to n entries of the expiry index, in expiry order,
// starting at the first entry expiring at or after fromMs (Unix ms; use 0
// for the soonest). Entries may be stale (a FLUSHDB leaves them for the
// sweep); check the key's record before acting on one.
func (r *Reader) Volatile(fromMs int64, n int) ([]VolatileKey, error) {
	begin, end := expSpace.Range()
	if fromMs > 0 {
		begin = expSpace.Pack(tuple.Tuple{fromMs})
	}
	it := r.r.Scan(begin, end, false)
	defer it.Close()
	var out []VolatileKey
	for len(out) < n && it.Next() {
		t, err := expSpace.Unpack(it.Key())
		if err != nil || len(t) != 4 {
			continue
		}
		at, ok1 := t[0].(int64)
		db, ok2 := t[2].(int64)
		key, ok3 := t[3].([]byte)
		if !ok1 || !ok2 || !ok3 || t[1] != "kv" || !validDB(int(db)) {
			continue
		}
		out = append(out, VolatileKey{DB: int(db), Key: bytes.Clone(key), ExpireAt: at})
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("scan expiry index: %w", err)
	}
	return out, nil
}

// VolatileRange returns the soonest and the latest expiry in the expiry
// index; ok is false when it is empty.
func (r *Reader) VolatileRange() (first, last int64, ok bool, err error) {
	begin, end := expSpace.Range()
	for i, reverse := range []bool{false, true} {
		it := r.r.Scan(begin, end, reverse)
		var at int64
		found := false
		if it.Next() {
			if t, err := expSpace.Unpack(it.Key()); err == nil && len(t) > 0 {
				at, found = t[0].(int64)
			}
		}
		err := it.Err()
		it.Close()
		if err != nil {
			return 0, 0, false, fmt.Errorf("scan expiry index: %w", err)
		}
		if !found {
			return 0, 0, false, nil
		}
		if i == 0 {
			first = at
		} else {
			last = at
		}
	}
	return first, last, true, nil
}
