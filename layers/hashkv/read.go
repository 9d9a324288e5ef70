package hashkv

// This file holds the hash reads: Open and the methods of Hash, and the
// package functions that serve HGET, HMGET, HLEN, HEXISTS, HSTRLEN and
// HGETALL in one call each.

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/layers/tuple"
)

// fieldKey returns the store key of field in incarnation version of key in
// db: the member subspace followed by the tuple (field).
func fieldKey(db int, key []byte, version uint64, field []byte) []byte {
	return strkv.MemberSpace(db, key, version).Pack(tuple.Tuple{field})
}

// Pair is a field and its value.
type Pair struct {
	Field, Value []byte
}

// Hash is a live hash as a Reader sees it. It is valid while the Reader
// is.
type Hash struct {
	r      *strkv.Reader
	key    []byte
	prefix []byte // the member subspace's prefix
	hdr    header
}

// Open looks up the hash at key in db. ok is false when the key does not
// exist (or has expired); a key of another type gives strkv.ErrWrongType.
func Open(r *strkv.Reader, db int, key []byte) (h *Hash, ok bool, err error) {
	m, ok, err := r.Meta(db, key)
	if err != nil || !ok {
		return nil, false, err
	}
	if m.Type != strkv.TypeHash {
		return nil, false, strkv.ErrWrongType
	}
	hdr, err := decodeHeader(m.Value)
	if err != nil {
		return nil, false, fmt.Errorf("key %q: %w", key, err)
	}
	return &Hash{
		r:      r,
		key:    key,
		prefix: strkv.MemberSpace(db, key, m.Version).Bytes(),
		hdr:    hdr,
	}, true, nil
}

// Len returns the number of fields.
func (h *Hash) Len() int64 { return int64(h.hdr.n) }

// Compact reports whether Redis would still hold the hash in its compact
// listpack encoding: it never had more than 128 fields, nor a field or
// value longer than 64 bytes. HSCAN returns a compact hash whole.
func (h *Hash) Compact() bool { return !h.hdr.big }

// fieldKey returns the store key of field.
func (h *Hash) fieldKey(field []byte) []byte {
	k, _ := tuple.Append(bytes.Clone(h.prefix), tuple.Tuple{field}) // []byte always packs
	return k
}

// Get returns field's value; ok is false when the field does not exist.
// The value is owned by the caller.
func (h *Hash) Get(field []byte) (val []byte, ok bool, err error) {
	v, err := h.r.Source().Get(h.fieldKey(field))
	if errors.Is(err, layers.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read field of hash %q: %w", h.key, err)
	}
	if v == nil {
		v = []byte{}
	}
	return v, true, nil
}

// Scan calls fn for every field at or after from (every field when from is
// nil), in byte order, until fn returns false. field and value are valid
// only during the call.
func (h *Hash) Scan(from []byte, fn func(field, value []byte) bool) error {
	begin, end := h.span(nil)
	if from != nil {
		begin = h.fieldKey(from)
	}
	_, err := h.walk(begin, end, false, fn)
	return err
}

// All returns every field and value, in byte order of the fields.
func (h *Hash) All() ([]Pair, error) {
	out := make([]Pair, 0, min(h.hdr.n, 1024))
	err := h.Scan(nil, func(f, v []byte) bool {
		out = append(out, Pair{bytes.Clone(f), bytes.Clone(v)})
		return true
	})
	return out, err
}

// span returns the key range of the fields that start with the bytes p.
func (h *Hash) span(p []byte) (begin, end []byte) {
	begin = append(bytes.Clone(h.prefix), 0x01) // the tuple code of a byte string
	begin = appendEscaped(begin, p)
	return begin, strinc(begin)
}

// walk iterates the field keys in [begin, end), calling fn with each
// decoded field and its value until fn returns false; n counts the calls.
func (h *Hash) walk(begin, end []byte, reverse bool, fn func(field, value []byte) bool) (n int, err error) {
	it := h.r.Source().Scan(begin, end, reverse)
	var field []byte
	for it.Next() {
		field, err = decodeField(field[:0], it.Key(), len(h.prefix))
		if err != nil {
			break
		}
		n++
		if !fn(field, it.Value()) {
			break
		}
	}
	if err == nil {
		err = it.Err()
	}
	if cerr := it.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, fmt.Errorf("scan fields of hash %q: %w", h.key, err)
	}
	return n, nil
}

// decodeField appends to dst the field whose store key is k, with the
// member subspace prefix of length plen.
func decodeField(dst, k []byte, plen int) ([]byte, error) {
	if len(k) < plen+2 || k[plen] != 0x01 || k[len(k)-1] != 0x00 {
		return dst, fmt.Errorf("bad field key %x: %w", k, strkv.ErrCorrupt)
	}
	body := k[plen+1 : len(k)-1]
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c == 0x00 {
			if i+1 >= len(body) || body[i+1] != 0xff {
				return dst, fmt.Errorf("bad field key %x: %w", k, strkv.ErrCorrupt)
			}
			i++
		}
		dst = append(dst, c)
	}
	return dst, nil
}

// appendEscaped appends p as the tuple encoding escapes a byte string
// (0x00 as 0x00 0xff), without the terminator.
func appendEscaped(dst, p []byte) []byte {
	for _, c := range p {
		dst = append(dst, c)
		if c == 0x00 {
			dst = append(dst, 0xff)
		}
	}
	return dst
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

// Len returns the number of fields of the hash at key in db: 0 when it
// does not exist, strkv.ErrWrongType for a key of another type (HLEN).
func Len(r *strkv.Reader, db int, key []byte) (int64, error) {
	h, ok, err := Open(r, db, key)
	if err != nil || !ok {
		return 0, err
	}
	return h.Len(), nil
}

// Get returns the value of field in the hash at key in db; ok is false
// when the key or the field does not exist (HGET).
func Get(r *strkv.Reader, db int, key, field []byte) (val []byte, ok bool, err error) {
	h, ok, err := Open(r, db, key)
	if err != nil || !ok {
		return nil, false, err
	}
	return h.Get(field)
}

// MGet returns the values of fields in the hash at key in db, in order: nil
// for a field that does not exist, a non-nil (possibly empty) slice for one
// that does (HMGET).
func MGet(r *strkv.Reader, db int, key []byte, fields [][]byte) ([][]byte, error) {
	h, ok, err := Open(r, db, key)
	if err != nil {
		return nil, err
	}
	vals := make([][]byte, len(fields))
	if !ok {
		return vals, nil
	}
	for i, f := range fields {
		v, _, err := h.Get(f)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	return vals, nil
}

// Exists reports whether field exists in the hash at key in db (HEXISTS).
func Exists(r *strkv.Reader, db int, key, field []byte) (bool, error) {
	_, ok, err := Get(r, db, key, field)
	return ok, err
}

// StrLen returns the length of field's value in the hash at key in db, 0
// when it does not exist (HSTRLEN).
func StrLen(r *strkv.Reader, db int, key, field []byte) (int64, error) {
	v, _, err := Get(r, db, key, field)
	return int64(len(v)), err
}

// GetAll returns every field and value of the hash at key in db, in byte
// order of the fields; none when it does not exist (HGETALL, HKEYS, HVALS).
func GetAll(r *strkv.Reader, db int, key []byte) ([]Pair, error) {
	h, ok, err := Open(r, db, key)
	if err != nil || !ok {
		return nil, err
	}
	return h.All()
}
