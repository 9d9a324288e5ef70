package cache

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/layers/subspace"
	"github.com/aspen-db/aspen/layers/tuple"
)

// Memory accounting. maxmemory limits the bytes of user data, which must
// be counted the same on every replica, so the count is kept in the store
// and changed at apply time, by the mutations themselves: Accounted wraps
// every mutation so that its writes under the Redis keyspace adjust
//
//	("mem", db)            -> int64, the bytes of db's user data
//	("kv", db, "z", key)   -> int64, the bytes of one collection's members
//
// A record or member counts len(key)+len(value) of its store entry. The
// per-collection total lets DEL and the replacement of a collection, which
// the layers do with one range delete, subtract the collection's bytes
// without reading its members. The wrapper learns each overwritten or
// deleted entry's old size from the reads the mutation already made, and
// reads it otherwise.

// memSpace holds the per-database byte counters.
var memSpace = subspace.Sub("mem")

// memKey returns the counter key of db.
func memKey(db int) []byte { return memSpace.Pack(tuple.Tuple{db}) }

// Prefixes of one database's parts of the keyspace, computed once.
var (
	metaPrefix [strkv.NumDBs][]byte // ("kv", db, "m")
	dataPrefix [strkv.NumDBs][]byte // ("kv", db, "d")
	sizePrefix [strkv.NumDBs][]byte // ("kv", db, "z")
	dbPrefix   [strkv.NumDBs][]byte // ("kv", db)
	kvPrefix   []byte               // ("kv")
)

func init() {
	for db := range strkv.NumDBs {
		sp := strkv.DBSubspace(db)
		dbPrefix[db] = sp.Bytes()
		metaPrefix[db] = sp.Sub("m").Bytes()
		dataPrefix[db] = sp.Sub("d").Bytes()
		sizePrefix[db] = sp.Sub("z").Bytes()
	}
	kvPrefix = strkv.DBSubspace(0).Bytes()
	kvPrefix = kvPrefix[:len(kvPrefix)-1] // drop the db element (0x14: zero)
}

// keyClass is what a store key is to the accounting.
type keyClass int

const (
	classOther keyClass = iota // not user data
	classMeta                  // a key's record
	classData                  // a collection member
)

// classify says what k is and for which db; for a member it also returns
// the collection's prefix ("kv", db, "d", key), a prefix of k.
func classify(k []byte) (class keyClass, db int, coll []byte) {
	if !bytes.HasPrefix(k, kvPrefix) {
		return classOther, 0, nil
	}
	for db := range strkv.NumDBs {
		switch {
		case bytes.HasPrefix(k, metaPrefix[db]):
			return classMeta, db, nil
		case bytes.HasPrefix(k, dataPrefix[db]):
			end := byteStringEnd(k, len(dataPrefix[db]))
			if end < 0 {
				return classOther, 0, nil
			}
			return classData, db, k[:end]
		}
	}
	return classOther, 0, nil
}

// byteStringEnd returns the end of the tuple byte-string element starting
// at k[i] (0x01, bytes with 0x00 escaped as 0x00 0xff, then 0x00), or -1.
func byteStringEnd(k []byte, i int) int {
	if i >= len(k) || k[i] != 0x01 {
		return -1
	}
	for j := i + 1; j < len(k); j++ {
		if k[j] != 0x00 {
			continue
		}
		if j+1 < len(k) && k[j+1] == 0xff {
			j++
			continue
		}
		return j + 1
	}
	return -1
}

// sizeKeyOf returns the per-collection counter key of the collection whose
// member prefix is coll, in db.
func sizeKeyOf(db int, coll []byte) []byte {
	k := make([]byte, 0, len(sizePrefix[db])+len(coll)-len(dataPrefix[db]))
	k = append(k, sizePrefix[db]...)
	return append(k, coll[len(dataPrefix[db]):]...)
}

// Accounted returns muts with every mutation wrapped so that it keeps the
// byte counters in step with its writes (see the comment above). Register
// the result, on every replica alike; a mutation that runs other
// mutations' functions itself (EXEC) must call the unwrapped ones, since
// its own wrapper already counts their writes.
func Accounted(muts map[string]layers.MutationFunc) map[string]layers.MutationFunc {
	out := make(map[string]layers.MutationFunc, len(muts))
	for name, fn := range muts {
		out[name] = func(m layers.Mutator, args []byte) ([]byte, error) {
			a := &accountant{m: m}
			res, err := fn(a, args)
			if err != nil {
				return nil, err
			}
			if err := a.flush(); err != nil {
				return nil, fmt.Errorf("%s: account memory: %w", name, err)
			}
			return res, nil
		}
	}
	return out
}

// accountant is the Mutator a wrapped mutation runs against: it passes
// everything through and tallies the byte changes.
type accountant struct {
	m   layers.Mutator
	err error

	// seen remembers the size of entries read in this mutation (-1:
	// absent), so a read-then-write costs no extra read.
	seen []seenEntry
	// db holds each database's pending delta; reset marks databases
	// flushed in this mutation (their stored counter restarts at zero).
	db    [strkv.NumDBs]int64
	reset [strkv.NumDBs]bool
	// colls holds the pending delta of each collection touched.
	colls []collDelta
}

type seenEntry struct {
	key  []byte
	size int
}

type collDelta struct {
	sizeKey []byte
	db      int
	delta   int64
	dropped bool // the collection was deleted: its stored total is gone
}

func (a *accountant) remember(k []byte, size int) {
	for i := range a.seen {
		if bytes.Equal(a.seen[i].key, k) {
			a.seen[i].size = size
			return
		}
	}
	if len(a.seen) < 64 {
		a.seen = append(a.seen, seenEntry{bytes.Clone(k), size})
	}
}

// oldSize returns the size of k's current value, or -1 when absent.
func (a *accountant) oldSize(k []byte) int {
	for _, s := range a.seen {
		if bytes.Equal(s.key, k) {
			return s.size
		}
	}
	v, err := a.m.Get(k)
	switch {
	case errors.Is(err, layers.ErrNotFound):
		return -1
	case err != nil:
		a.fail(err)
		return -1
	}
	return len(v)
}

func (a *accountant) fail(err error) {
	if a.err == nil {
		a.err = err
	}
}

func (a *accountant) coll(db int, coll []byte) *collDelta {
	sk := sizeKeyOf(db, coll)
	for i := range a.colls {
		if bytes.Equal(a.colls[i].sizeKey, sk) {
			return &a.colls[i]
		}
	}
	a.colls = append(a.colls, collDelta{sizeKey: sk, db: db})
	return &a.colls[len(a.colls)-1]
}

// account adds the change of entry k from oldSize to newSize (-1: absent).
func (a *accountant) account(k []byte, oldSize, newSize int) {
	class, db, coll := classify(k)
	if class == classOther {
		return
	}
	var d int64
	if oldSize >= 0 {
		d -= int64(len(k) + oldSize)
	}
	if newSize >= 0 {
		d += int64(len(k) + newSize)
	}
	a.db[db] += d
	if class == classData {
		a.coll(db, coll).delta += d
	}
}

func (a *accountant) Get(k []byte) ([]byte, error) {
	v, err := a.m.Get(k)
	switch {
	case err == nil:
		a.remember(k, len(v))
	case errors.Is(err, layers.ErrNotFound):
		a.remember(k, -1)
	}
	return v, err
}

func (a *accountant) Scan(start, end []byte, reverse bool) layers.Iterator {
	return a.m.Scan(start, end, reverse)
}

func (a *accountant) Set(k, v []byte) {
	if class, _, _ := classify(k); class != classOther {
		a.account(k, a.oldSize(k), len(v))
		a.remember(k, len(v))
	}
	a.m.Set(k, v)
}

func (a *accountant) Delete(k []byte) {
	if class, _, _ := classify(k); class != classOther {
		if old := a.oldSize(k); old >= 0 {
			a.account(k, old, -1)
		}
		a.remember(k, -1)
	}
	a.m.Delete(k)
}

func (a *accountant) DeleteRange(start, end []byte) {
	a.deleteRange(start, end)
	a.m.DeleteRange(start, end)
	a.seen = a.seen[:0] // entries in the range are gone; forget them all
}

// deleteRange accounts a range delete before it happens.
func (a *accountant) deleteRange(start, end []byte) {
	// The whole keyspace, or one database (FLUSHALL, FLUSHDB).
	for db := range strkv.NumDBs {
		if a.coversDB(start, end, db) {
			a.db[db] = 0
			a.reset[db] = true
			a.dropColls(db)
		}
	}
	class, db, coll := classify(start)
	if class != classData {
		return
	}
	// One whole collection: subtract its total without reading it.
	if bytes.Equal(start, append(bytes.Clone(coll), 0x00)) && bytes.Equal(end, append(bytes.Clone(coll), 0xff)) {
		c := a.coll(db, coll)
		total := a.readCounter(c.sizeKey) + c.delta
		if c.dropped {
			total = c.delta
		}
		a.db[db] -= total
		c.delta, c.dropped = 0, true
		return
	}
	// Part of one collection: read what goes.
	if eclass, edb, ecoll := classify(end); eclass == classData && edb == db && bytes.Equal(ecoll, coll) {
		it := a.m.Scan(start, end, false)
		var d int64
		for it.Next() {
			d += int64(len(it.Key()) + len(it.Value()))
		}
		if err := it.Err(); err != nil {
			a.fail(err)
		}
		it.Close()
		a.db[db] -= d
		a.coll(db, coll).delta -= d
		return
	}
	a.fail(fmt.Errorf("range delete [%x, %x) spans collections: not accounted", start, end))
}

// coversDB reports whether [start, end) holds all of db's keys.
func (a *accountant) coversDB(start, end []byte, db int) bool {
	lo := append(bytes.Clone(dbPrefix[db]), 0x00)
	hi := append(bytes.Clone(dbPrefix[db]), 0xff)
	return bytes.Compare(start, lo) <= 0 && bytes.Compare(end, hi) >= 0
}

// dropColls forgets pending collection deltas of a flushed db: their
// counters went with the flush.
func (a *accountant) dropColls(db int) {
	kept := a.colls[:0]
	for _, c := range a.colls {
		if c.db != db {
			kept = append(kept, c)
		}
	}
	a.colls = kept
}

func (a *accountant) readCounter(k []byte) int64 {
	v, err := a.m.Get(k)
	switch {
	case errors.Is(err, layers.ErrNotFound):
		return 0
	case err != nil:
		a.fail(err)
		return 0
	case len(v) != 8:
		a.fail(fmt.Errorf("counter %x: %d bytes", k, len(v)))
		return 0
	}
	return int64(binary.BigEndian.Uint64(v))
}

func (a *accountant) writeCounter(k []byte, n int64) {
	if n == 0 {
		a.m.Delete(k)
		return
	}
	a.m.Set(k, binary.BigEndian.AppendUint64(nil, uint64(n)))
}

// flush writes the pending deltas to the counters.
func (a *accountant) flush() error {
	if a.err != nil {
		return a.err
	}
	for _, c := range a.colls {
		if c.delta == 0 && !c.dropped {
			continue
		}
		base := int64(0)
		if !c.dropped {
			base = a.readCounter(c.sizeKey)
		}
		a.writeCounter(c.sizeKey, base+c.delta)
	}
	for db := range strkv.NumDBs {
		if a.db[db] == 0 && !a.reset[db] {
			continue
		}
		k := memKey(db)
		base := int64(0)
		if !a.reset[db] {
			base = a.readCounter(k)
		}
		a.writeCounter(k, base+a.db[db])
	}
	return a.err
}

func (a *accountant) Now() time.Time { return a.m.Now() }

func (a *accountant) Notify(ev layers.Event) { a.m.Notify(ev) }

// UsedBytes returns the bytes of user data in every database, as the
// accounting counts them, read through r.
func UsedBytes(r strkv.Source) (int64, error) {
	var total int64
	for db := range strkv.NumDBs {
		n, err := DBBytes(r, db)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// DBBytes returns the bytes of user data in db, read through r.
func DBBytes(r strkv.Source, db int) (int64, error) {
	v, err := r.Get(memKey(db))
	switch {
	case errors.Is(err, layers.ErrNotFound):
		return 0, nil
	case err != nil:
		return 0, fmt.Errorf("read memory counter of db %d: %w", db, err)
	case len(v) != 8:
		return 0, fmt.Errorf("memory counter of db %d: %d bytes", db, len(v))
	}
	return int64(binary.BigEndian.Uint64(v)), nil
}
