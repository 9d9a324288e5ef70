package strkv

import (
	"bytes"
	"fmt"
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

// RandomKey returns a live key of db picked with the random number pick:
// a name is drawn between the first and the last key (their common prefix,
// then a byte between theirs, then random bytes), and the first live key
// at or after it is taken, wrapping around. Keys after wide gaps of the
// name space are likelier than others. ok is false when db has no live key.
// The returned key is owned by the caller.
func (r *Reader) RandomKey(db int, pick uint64) (key []byte, ok bool, err error) {
	if !validDB(db) {
		return nil, false, ErrBadDB
	}
	begin, end := metaSpaceOf(db)
	var first, last []byte
	take := func(dst *[]byte) func([]byte, Meta) bool {
		return func(k []byte, _ Meta) bool { *dst = bytes.Clone(k); return false }
	}
	if err := r.scanRange(db, begin, end, false, take(&first)); err != nil || first == nil {
		return nil, false, err
	}
	if err := r.scanRange(db, begin, end, true, take(&last)); err != nil {
		return nil, false, err
	}
	seed := randomName(first, last, pick)
	if err := r.scanRange(db, MetaKey(db, seed), end, false, take(&key)); err != nil || key != nil {
		return key, key != nil, err
	}
	return first, true, nil
}

// randomName draws a name between first and last (inclusive of the
// range's shape, not exactly) from pick.
func randomName(first, last []byte, pick uint64) []byte {
	i := 0
	for i < len(first) && i < len(last) && first[i] == last[i] {
		i++
	}
	name := bytes.Clone(last[:i])
	if i >= len(last) {
		return name
	}
	lo := 0
	if i < len(first) {
		lo = int(first[i])
	}
	hi := int(last[i])
	name = append(name, byte(lo+int(pick%uint64(hi-lo+1))))
	pick /= uint64(hi - lo + 1)
	for range 4 {
		name = append(name, byte(pick))
		pick >>= 8
	}
	return name
}
