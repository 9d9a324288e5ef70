package strkv

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/aspen-db/aspen/layers/subspace"
	"github.com/aspen-db/aspen/layers/tuple"
)

// NumDBs is the number of logical databases (Redis SELECT 0..NumDBs-1).
const NumDBs = 16

// Type is the kind of value a Redis key holds.
type Type byte

// The key types. Only TypeString is written by this package; the others are
// reserved for the collection layers, which keep their members under
// DataSubspace.
const (
	TypeString Type = 0
	TypeHash   Type = 1
	TypeList   Type = 2
	TypeSet    Type = 3
	TypeZSet   Type = 4
	// TypeStream is a stream (layers/streamkv).
	TypeStream Type = 5
)

// String returns the name Redis's TYPE command uses for t.
func (t Type) String() string {
	switch t {
	case TypeString:
		return "string"
	case TypeHash:
		return "hash"
	case TypeList:
		return "list"
	case TypeSet:
		return "set"
	case TypeZSet:
		return "zset"
	case TypeStream:
		return "stream"
	default:
		return fmt.Sprintf("type(%d)", byte(t))
	}
}

// Meta is the record stored under a key's metadata key: its type, expiry,
// incarnation and, for strings, the value itself.
type Meta struct {
	// Type is the kind of value.
	Type Type
	// ExpireAt is the expiry as Unix milliseconds; 0 means none.
	ExpireAt int64
	// Version identifies the incarnation of the key: it changes whenever
	// the key is created again or replaced by a value of another type.
	// Collection layers keep their members under (db, key, Version) so a
	// replaced key's old members are never visible. Strings do not use it.
	Version uint64
	// Value is the string value (TypeString only).
	Value []byte
}

// Expired reports whether m has an expiry at or before nowMs (Unix ms).
func (m Meta) Expired(nowMs int64) bool {
	return m.ExpireAt != 0 && m.ExpireAt <= nowMs
}

// metaFormat is the first byte of every encoded Meta, so the layout can
// change later without guessing.
const metaFormat = 1

// metaHeader is the encoded size of a Meta without its value: format, type,
// expireAt, version.
const metaHeader = 1 + 1 + 8 + 8

// ErrCorrupt is wrapped by DecodeMeta's error for a record it cannot read.
var ErrCorrupt = errors.New("strkv: corrupt key record")

// AppendEncode appends the binary encoding of m to dst:
// format byte, type byte, expireAt (8 bytes big-endian), version (8 bytes
// big-endian), then the value bytes.
func (m Meta) AppendEncode(dst []byte) []byte {
	dst = append(dst, metaFormat, byte(m.Type))
	dst = binary.BigEndian.AppendUint64(dst, uint64(m.ExpireAt))
	dst = binary.BigEndian.AppendUint64(dst, m.Version)
	return append(dst, m.Value...)
}

// Encode returns the binary encoding of m in a new slice.
func (m Meta) Encode() []byte {
	return m.AppendEncode(make([]byte, 0, metaHeader+len(m.Value)))
}

// DecodeMeta decodes a record written by Encode. The returned Value aliases
// b.
func DecodeMeta(b []byte) (Meta, error) {
	if len(b) < metaHeader || b[0] != metaFormat {
		return Meta{}, fmt.Errorf("decode key record of %d bytes: %w", len(b), ErrCorrupt)
	}
	return Meta{
		Type:     Type(b[1]),
		ExpireAt: int64(binary.BigEndian.Uint64(b[2:10])),
		Version:  binary.BigEndian.Uint64(b[10:18]),
		Value:    b[metaHeader:],
	}, nil
}

// kvSpace is the subspace of every Redis key: ("kv", db, ...).
var kvSpace = subspace.Sub("kv")

// expSpace is the expiry index: ("exp", expireAt, "kv", db, key) -> "".
var expSpace = subspace.Sub("exp")

// MetaKey returns the store key of key's metadata record in db:
// ("kv", db, "m", key).
func MetaKey(db int, key []byte) []byte {
	return kvSpace.Pack(tuple.Tuple{db, "m", key})
}

// DataSubspace returns the subspace where a collection layer keeps the
// members of key in db: ("kv", db, "d", key). Deleting or replacing the key
// clears it.
func DataSubspace(db int, key []byte) subspace.Subspace {
	return kvSpace.Sub(db, "d", key)
}

// DBSubspace returns the subspace of every key of db: ("kv", db).
func DBSubspace(db int) subspace.Subspace {
	return kvSpace.Sub(db)
}

// expKey returns the expiry index entry of key in db expiring at expireAt.
func expKey(expireAt int64, db int, key []byte) []byte {
	return expSpace.Pack(tuple.Tuple{expireAt, "kv", db, key})
}

// validDB reports whether db is a database number.
func validDB(db int) bool { return db >= 0 && db < NumDBs }
