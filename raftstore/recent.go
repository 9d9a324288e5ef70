package raftstore

// This file holds the apply path's cache of recently read and written keys.
//
// Almost every mutation reads the record it is about to replace (a SET
// reads the old key record for its type, version and size). Through Pebble
// that read is a point lookup that searches the indexed batch, every
// memtable and the overlapping tables: with a write-heavy load it was the
// largest single cost of applying an entry. The apply goroutine is the only
// writer of the engine, so it can keep an exact copy of the keys it touched
// and answer those reads itself.

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"

	"github.com/aspen-db/aspen/engine"
)

const (
	// recentMaxValue is the largest value the cache keeps; bigger values
	// are read from the engine.
	recentMaxValue = 512
	// recentBudget bounds the bytes of the cache's record log. Reaching it
	// empties the cache.
	recentBudget = 32 << 20
	// recentHeader is the size of a record's header: key length, value
	// length (recentAbsent for a key without a value).
	recentHeader = 8
	// recentAbsent is the value length that marks a key known to be absent.
	recentAbsent = ^uint32(0)
)

// recentCache mirrors, for the keys it holds, exactly what the engine plus
// the apply batch being built would return. It holds no pointers the
// garbage collector must follow, however many keys it knows: records
// (header, key, value) are appended to one byte log, and a map from the
// key's hash to its newest record finds them. A lookup whose record holds
// another key (a hash collision) is a miss; a put of the colliding key
// simply takes the slot. A range delete empties the cache, as does
// reaching the budget. Only the apply goroutine uses it, so it has no lock.
// It is tied to one engine: a different engine (after a snapshot restore)
// starts it empty.
type recentCache struct {
	db   *engine.DB
	seed maphash.Seed
	log  []byte
	at   map[uint64]uint32 // key hash -> offset of its record in log
}

func newRecentCache() *recentCache {
	return &recentCache{seed: maphash.MakeSeed(), at: make(map[uint64]uint32)}
}

// bind makes the cache describe db, emptying it when db is not the engine
// it described.
func (c *recentCache) bind(db *engine.DB) {
	if c.db != db {
		c.reset()
		c.db = db
	}
}

// reset empties the cache and unbinds it from its engine.
func (c *recentCache) reset() {
	c.clear()
	c.db = nil
}

func (c *recentCache) clear() {
	if len(c.at) > 0 {
		c.at = make(map[uint64]uint32)
	}
	c.log = c.log[:0]
}

// record returns the key and value of the record at off.
func (c *recentCache) record(off uint32) (key, value []byte, absent bool) {
	b := c.log[off:]
	kl := binary.LittleEndian.Uint32(b)
	vl := binary.LittleEndian.Uint32(b[4:])
	key = b[recentHeader : recentHeader+kl]
	if vl == recentAbsent {
		return key, nil, true
	}
	return key, b[recentHeader+kl : recentHeader+kl+vl], false
}

// get reports what the cache knows about key: found is false when it does
// not know it. The returned value must not be modified, nor kept past the
// next put.
func (c *recentCache) get(key []byte) (value []byte, absent, found bool) {
	off, ok := c.at[maphash.Bytes(c.seed, key)]
	if !ok {
		return nil, false, false
	}
	k, v, absent := c.record(off)
	if !bytes.Equal(k, key) {
		return nil, false, false
	}
	return v, absent, true
}

// put records that key now holds value (absent: no value). It copies both.
// System keys are not kept; large values make the cache forget the key.
func (c *recentCache) put(key, value []byte, absent bool) {
	if isSystemKey(key) {
		return
	}
	if len(value) > recentMaxValue || len(key) > recentBudget/4 {
		c.forget(key)
		return
	}
	n := recentHeader + len(key) + len(value)
	if len(c.log)+n > recentBudget {
		c.clear()
	}
	off := uint32(len(c.log))
	vl := uint32(len(value))
	if absent {
		vl = recentAbsent
	}
	c.log = binary.LittleEndian.AppendUint32(c.log, uint32(len(key)))
	c.log = binary.LittleEndian.AppendUint32(c.log, vl)
	c.log = append(c.log, key...)
	if !absent {
		c.log = append(c.log, value...)
	}
	c.at[maphash.Bytes(c.seed, key)] = off
}

// forget drops key from the cache.
func (c *recentCache) forget(key []byte) {
	h := maphash.Bytes(c.seed, key)
	if off, ok := c.at[h]; ok {
		if k, _, _ := c.record(off); bytes.Equal(k, key) {
			delete(c.at, h)
		}
	}
}

// delRange drops every cached key in [start, end). The cache keeps no
// order, so it forgets everything.
func (c *recentCache) delRange(start, end []byte) {
	if bytes.Compare(start, end) >= 0 {
		return
	}
	c.clear()
}
