// Package subspace gives a part of the key space a fixed prefix, so that each
// layer (and each table, index or collection within it) owns its keys and can
// scan or clear them as one range.
//
// A Subspace is a byte prefix, usually the tuple encoding of a few elements
// such as ("sql", tableID, "r"). Keys in the subspace are the prefix followed
// by a packed tuple. Subspace values are immutable and safe to share.
package subspace

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/aspen-db/aspen/layers/tuple"
)

// ErrNotInSubspace is wrapped by the error Unpack returns for a key that does
// not begin with the subspace's prefix.
var ErrNotInSubspace = errors.New("key not in subspace")

// Subspace is a key prefix. The zero value is the subspace of the whole key
// space (the empty prefix).
type Subspace struct {
	prefix []byte
}

// Sub returns the subspace whose prefix is tuple.Tuple(elems).Pack(). It
// panics, like tuple.Tuple.Pack, if an element cannot be packed.
func Sub(elems ...any) Subspace {
	return Subspace{prefix: tuple.Tuple(elems).Pack()}
}

// FromBytes returns the subspace with the given raw prefix. The prefix is
// copied.
func FromBytes(prefix []byte) Subspace {
	return Subspace{prefix: bytes.Clone(prefix)}
}

// Sub returns the subspace of s whose prefix is s's prefix followed by the
// packed elems. It panics, like tuple.Tuple.Pack, if an element cannot be
// packed.
func (s Subspace) Sub(elems ...any) Subspace {
	return Subspace{prefix: s.Pack(tuple.Tuple(elems))}
}

// Bytes returns a copy of s's prefix.
func (s Subspace) Bytes() []byte {
	return bytes.Clone(s.prefix)
}

// Pack returns the key for t in s: the prefix followed by t.Pack(). The
// result is a new slice. It panics, like tuple.Tuple.Pack, if t cannot be
// packed; use Append to get an error instead.
func (s Subspace) Pack(t tuple.Tuple) []byte {
	k, err := s.Append(nil, t)
	if err != nil {
		panic(err)
	}
	return k
}

// Append appends the key for t in s to dst and returns the extended slice,
// or an error wrapping tuple.ErrUnsupported if t cannot be packed.
func (s Subspace) Append(dst []byte, t tuple.Tuple) ([]byte, error) {
	if dst == nil {
		dst = make([]byte, 0, len(s.prefix)+16)
	}
	return tuple.Append(append(dst, s.prefix...), t)
}

// Unpack decodes the tuple that follows s's prefix in key. It returns an
// error wrapping ErrNotInSubspace if key does not begin with the prefix, and
// one wrapping tuple.ErrMalformed if the rest is not a valid tuple.
func (s Subspace) Unpack(key []byte) (tuple.Tuple, error) {
	if !s.Contains(key) {
		return nil, fmt.Errorf("unpack key %x under prefix %x: %w", key, s.prefix, ErrNotInSubspace)
	}
	t, err := tuple.Unpack(key[len(s.prefix):])
	if err != nil {
		return nil, fmt.Errorf("unpack key %x under prefix %x: %w", key, s.prefix, err)
	}
	return t, nil
}

// Contains reports whether key begins with s's prefix. The prefix itself is
// contained (it is the key of the empty tuple).
func (s Subspace) Contains(key []byte) bool {
	return bytes.HasPrefix(key, s.prefix)
}

// Range returns [prefix+0x00, prefix+0xff): the range holding every key of
// s that packs at least one tuple element. It excludes the bare prefix.
func (s Subspace) Range() (begin, end []byte) {
	begin = append(bytes.Clone(s.prefix), 0x00)
	end = append(bytes.Clone(s.prefix), 0xff)
	return begin, end
}

// String formats s as its prefix, decoded as a tuple when it is one, e.g.
// Subspace(("sql", 7, "r")), or in hex otherwise.
func (s Subspace) String() string {
	if t, err := tuple.Unpack(s.prefix); err == nil {
		return "Subspace(" + t.String() + ")"
	}
	return fmt.Sprintf("Subspace(%x)", s.prefix)
}
