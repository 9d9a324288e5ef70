package strkv

import (
	"time"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/subspace"
)

// This file is the keyspace API for the collection layers (hashes, lists,
// sets, sorted sets): their mutations load a key's record, check its type,
// write their members under MemberSpace, and put the record back with
// PutKey, which keeps the expiry index and the old incarnation's members in
// step. They never write the metadata key or the expiry index themselves.

// KeyState is a key's record as a mutation found it at apply time.
type KeyState struct {
	// DB and Key name the key.
	DB  int
	Key []byte
	// Meta is the stored record (zero when Stored is false). Meta.Value
	// aliases the store's bytes: clone it before keeping it.
	Meta Meta
	// Stored reports that a record exists, possibly expired; Live, that it
	// exists and has not expired at the commit time.
	Stored, Live bool

	c current
}

// LoadKey reads key's record in db at apply time. A record expired at the
// commit time (m.Now) is reported as Stored but not Live: the writer that
// replaces it cleans up its members and index entry through PutKey.
func LoadKey(m layers.Mutator, db int, key []byte) (KeyState, error) {
	if !validDB(db) {
		return KeyState{}, ErrBadDB
	}
	c, err := load(m, db, key, m.Now().UnixMilli())
	if err != nil {
		return KeyState{}, err
	}
	return KeyState{DB: db, Key: key, Meta: c.meta, Stored: c.stored, Live: c.live, c: c}, nil
}

// Is reports whether the key is live and of type t.
func (k KeyState) Is(t Type) bool { return k.Live && k.Meta.Type == t }

// WrongType reports whether the key is live and holds a type other than t:
// the command must fail with ErrWrongType and write nothing.
func (k KeyState) WrongType(t Type) bool { return k.Live && k.Meta.Type != t }

// NextVersion returns the incarnation a write of type t at now gives the
// key: the current one when a live key of type t stays, else a new one,
// greater than any the key had.
func (k KeyState) NextVersion(t Type, now time.Time) uint64 {
	return nextVersion(k.c, t, now.UnixMicro())
}

// PutKey writes nm as k's record. When nm is a new incarnation (another
// Version or Type) the members of the old one are deleted; the expiry index
// follows nm.ExpireAt. To keep the expiry of a live key, copy it from
// k.Meta; a new incarnation normally starts with none.
func PutKey(m layers.Mutator, k KeyState, nm Meta) {
	put(m, k.DB, k.Key, k.c, nm)
}

// Replacing returns k, reloaded after RemoveKey, for writing the record
// that replaces the removed one: when the removed key was live (wasLive),
// the write is an overwrite, which Redis does not announce as a "new" key.
func (k KeyState) Replacing(wasLive bool) KeyState {
	k.c.replacing = wasLive
	return k
}

// RemoveKey deletes k's record, its expiry index entry and all its
// members, as DEL does. Removing a key that is not stored does nothing.
func RemoveKey(m layers.Mutator, k KeyState) {
	remove(m, k.DB, k.Key, k.c)
}

// MemberSpace returns the subspace where a collection keeps the members of
// incarnation version of key in db: ("kv", db, "d", key, version). The
// version keeps a re-created key from ever seeing an older incarnation's
// members, whatever the order in which deletes reach the storage engine.
func MemberSpace(db int, key []byte, version uint64) subspace.Subspace {
	return DataSubspace(db, key).Sub(int64(version))
}

// Source is what a Reader reads through: a transaction's reads
// (layers.Reader) or a mutation's (layers.Mutator) both satisfy it.
type Source interface {
	Get(key []byte) ([]byte, error)
	Scan(start, end []byte, reverse bool) layers.Iterator
}

// NewReader returns a Reader over src that treats keys expired at nowMs
// (Unix milliseconds) as absent. Inside a mutation, pass the Mutator and
// m.Now().UnixMilli(), so reads inside MULTI/EXEC see the state and clock
// of the commit.
func NewReader(src Source, nowMs int64) *Reader {
	return &Reader{r: src, nowMs: nowMs}
}

// Source returns what r reads through, for the collection layers' scans
// of MemberSpace.
func (r *Reader) Source() Source { return r.r }

// NowMs returns the clock r judges expiry by, in Unix milliseconds.
func (r *Reader) NowMs() int64 { return r.nowMs }
