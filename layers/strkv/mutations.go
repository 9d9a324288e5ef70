package strkv

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/tuple"
)

// The names under which Mutations registers this layer's operations.
const (
	opSet    = "strkv.set"
	opIncrBy = "strkv.incrby"
	opDel    = "strkv.del"
	opSweep  = "strkv.sweep"
	opFlush  = "strkv.flush"
)

// Mutations returns the deterministic operations this layer commits. The
// store must be opened with them registered (every replica alike).
func Mutations() map[string]layers.MutationFunc {
	return map[string]layers.MutationFunc{
		opSet:    mutSet,
		opIncrBy: mutIncrBy,
		opDel:    mutDel,
		opSweep:  mutSweep,
		opFlush:  mutFlush,

		opGetEx:       mutGetEx,
		opAppend:      mutAppend,
		opSetRange:    mutSetRange,
		opIncrByFloat: mutIncrByFloat,
		opMSetNX:      mutMSetNX,
		opExpire:      mutExpire,
		opRename:      mutRename,
		opCopy:        mutCopy,

		opNotifyConfig: mutNotifyConfig,
	}
}

// Result status bytes: the first byte of every mutation result. Errors the
// client must see travel here, not as a Go error (which would fail the
// whole transaction on every replica).
const (
	resOK byte = iota
	resWrongType
	resNotInteger
	resOverflow
	resInvalidExpire
	resNoSuchKey
	resNotFloat
	resNaN
	resTooLarge
)

// statusErr maps a result status byte to the exported sentinel.
func statusErr(st byte) error {
	switch st {
	case resOK:
		return nil
	case resWrongType:
		return ErrWrongType
	case resNotInteger:
		return ErrNotInteger
	case resOverflow:
		return ErrOverflow
	case resInvalidExpire:
		return ErrInvalidExpire
	case resNoSuchKey:
		return ErrNoSuchKey
	case resNotFloat:
		return ErrNotFloat
	case resNaN:
		return ErrNaNOrInf
	case resTooLarge:
		return ErrTooLarge
	default:
		return fmt.Errorf("unknown result status %d: %w", st, errMalformed)
	}
}

// current is a key's record as a mutation found it.
type current struct {
	mk     []byte // the metadata key
	meta   Meta
	stored bool // a record exists, possibly expired
	live   bool // a record exists and has not expired
	// replacing: the mutation removed a live record here to write a new
	// one (KeyState.Replacing); writing it is no "new" key.
	replacing bool
}

// load reads key's record at apply time; a record expired at nowMs counts
// as absent (live false) but is reported as stored so writers clean it up.
func load(m layers.Mutator, db int, key []byte, nowMs int64) (current, error) {
	c := current{mk: MetaKey(db, key)}
	raw, err := m.Get(c.mk)
	if errors.Is(err, layers.ErrNotFound) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("read key %q: %w", key, err)
	}
	c.meta, err = DecodeMeta(raw)
	if err != nil {
		return c, fmt.Errorf("key %q: %w", key, err)
	}
	c.stored = true
	c.live = !c.meta.Expired(nowMs)
	return c, nil
}

// nextVersion is the Version of a key written over c at nowMicros: the same
// incarnation when a live key of the same type stays, else a new one.
func nextVersion(c current, t Type, nowMicros int64) uint64 {
	if c.live && c.meta.Type == t {
		return c.meta.Version
	}
	v := uint64(max(nowMicros, 0))
	if c.stored && c.meta.Version >= v {
		v = c.meta.Version + 1
	}
	return v
}

// put writes nm over c, keeping the expiry index and collection data in
// step.
func put(m layers.Mutator, db int, key []byte, c current, nm Meta) {
	if c.stored && !c.live {
		m.Notify(KeyEvent(TopicExpired, db, key))
		NotifyKey(m, NotifyExpired, "expired", db, key)
	}
	if !c.live && !c.replacing {
		NotifyKey(m, NotifyNew, "new", db, key)
	}
	if c.stored {
		if c.meta.ExpireAt != 0 && c.meta.ExpireAt != nm.ExpireAt {
			m.Delete(expKey(c.meta.ExpireAt, db, key))
		}
		if c.meta.Type != TypeString && (c.meta.Type != nm.Type || c.meta.Version != nm.Version) {
			m.DeleteRange(DataSubspace(db, key).Range())
		}
	}
	if nm.ExpireAt != 0 && (!c.stored || c.meta.ExpireAt != nm.ExpireAt) {
		m.Set(expKey(nm.ExpireAt, db, key), nil)
	}
	m.Set(c.mk, nm.Encode())
}

// remove deletes the stored key c with its index entry and collection data.
func remove(m layers.Mutator, db int, key []byte, c current) {
	if !c.stored {
		return
	}
	if !c.live {
		m.Notify(KeyEvent(TopicExpired, db, key))
		NotifyKey(m, NotifyExpired, "expired", db, key)
	}
	if c.meta.ExpireAt != 0 {
		m.Delete(expKey(c.meta.ExpireAt, db, key))
	}
	if c.meta.Type != TypeString {
		m.DeleteRange(DataSubspace(db, key).Range())
	}
	m.Delete(c.mk)
}

// Set flags in the mutation arguments.
const (
	setNX byte = 1 << iota
	setXX
	setGet
	setKeepTTL
)

// Expiry kinds in the set mutation arguments.
const (
	expNone byte = iota
	expRelative
	expAbsolute
)

func encodeSet(db int, key, val []byte, opt SetOptions) []byte {
	var e enc
	e.Uvarint(uint64(db))
	e.Bytes(key)
	e.Bytes(val)
	var f byte
	if opt.NX {
		f |= setNX
	}
	if opt.XX {
		f |= setXX
	}
	if opt.Get {
		f |= setGet
	}
	if opt.KeepTTL {
		f |= setKeepTTL
	}
	e.Byte(f)
	switch {
	case opt.TTLMillis != 0:
		e.Byte(expRelative)
		e.Int64(opt.TTLMillis)
	case opt.ExpireAtMillis != 0:
		e.Byte(expAbsolute)
		e.Int64(opt.ExpireAtMillis)
	default:
		e.Byte(expNone)
		e.Int64(0)
	}
	return e.B
}

// mutSet result: status, set (0/1), old exists (0/1), old value.
func mutSet(m layers.Mutator, args []byte) ([]byte, error) {
	d := dec{B: args}
	db := DecodeDB(&d)
	key := d.Bytes()
	val := d.Bytes()
	flags := d.Byte()
	kind := d.Byte()
	ev := d.Int64()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("set: %w", err)
	}
	now := m.Now()
	nowMs := now.UnixMilli()

	var expireAt int64
	switch kind {
	case expNone:
	case expRelative:
		if ev <= 0 || ev > math.MaxInt64-nowMs {
			return []byte{resInvalidExpire}, nil
		}
		expireAt = nowMs + ev
	case expAbsolute:
		if ev <= 0 {
			return []byte{resInvalidExpire}, nil
		}
		expireAt = ev
	default:
		return nil, fmt.Errorf("set: expiry kind %d: %w", kind, errMalformed)
	}

	c, err := load(m, db, key, nowMs)
	if err != nil {
		return nil, fmt.Errorf("set: %w", err)
	}
	if flags&setGet != 0 && c.live && c.meta.Type != TypeString {
		return []byte{resWrongType}, nil
	}
	res := []byte{resOK, 0, 0}
	if flags&setGet != 0 && c.live {
		res[2] = 1
		res = append(res, c.meta.Value...)
	}
	if (flags&setNX != 0 && c.live) || (flags&setXX != 0 && !c.live) {
		return res, nil
	}
	res[1] = 1
	if kind == expNone && flags&setKeepTTL != 0 && c.live {
		expireAt = c.meta.ExpireAt
	}
	// A time already past stores the key expired, as Redis 7.0 does: it
	// is absent to every read, and the sweep or the next write deletes it
	// with its "expired" notification, after the "set" and "expire" ones.
	put(m, db, key, c, Meta{
		Type:     TypeString,
		ExpireAt: expireAt,
		Version:  nextVersion(c, TypeString, now.UnixMicro()),
		Value:    val,
	})
	NotifyKey(m, NotifyString, "set", db, key)
	if kind != expNone {
		NotifyKey(m, NotifyGeneric, "expire", db, key)
	}
	return res, nil
}

func encodeIncrBy(db int, key []byte, delta int64) []byte {
	var e enc
	e.Uvarint(uint64(db))
	e.Bytes(key)
	e.Int64(delta)
	return e.B
}

// mutIncrBy result: status, then the new value (8 bytes) when status is OK.
func mutIncrBy(m layers.Mutator, args []byte) ([]byte, error) {
	d := dec{B: args}
	db := DecodeDB(&d)
	key := d.Bytes()
	delta := d.Int64()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("incrby: %w", err)
	}
	now := m.Now()
	c, err := load(m, db, key, now.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("incrby: %w", err)
	}
	var old int64
	if c.live {
		if c.meta.Type != TypeString {
			return []byte{resWrongType}, nil
		}
		var ok bool
		if old, ok = ParseInt(c.meta.Value); !ok {
			return []byte{resNotInteger}, nil
		}
	}
	if (delta < 0 && old < 0 && delta < math.MinInt64-old) ||
		(delta > 0 && old > 0 && delta > math.MaxInt64-old) {
		return []byte{resOverflow}, nil
	}
	n := old + delta
	nm := Meta{
		Type:    TypeString,
		Version: nextVersion(c, TypeString, now.UnixMicro()),
		Value:   strconv.AppendInt(nil, n, 10),
	}
	if c.live {
		nm.ExpireAt = c.meta.ExpireAt // INCR keeps the TTL, as in Redis.
	}
	put(m, db, key, c, nm)
	NotifyKey(m, NotifyString, "incrby", db, key)
	var e enc
	e.Byte(resOK)
	e.Int64(n)
	return e.B, nil
}

func encodeDel(db int, keys [][]byte) []byte {
	var e enc
	e.Uvarint(uint64(db))
	e.Uvarint(uint64(len(keys)))
	for _, k := range keys {
		e.Bytes(k)
	}
	return e.B
}

// mutDel result: status, then the number of live keys removed (uvarint).
func mutDel(m layers.Mutator, args []byte) ([]byte, error) {
	d := dec{B: args}
	db := DecodeDB(&d)
	n := d.Uvarint()
	if d.Err == nil && n > uint64(len(d.B)) {
		d.Fail("key count") // every key takes at least one byte
	}
	keys := make([][]byte, 0, min(n, 1024))
	for i := uint64(0); i < n && d.Err == nil; i++ {
		keys = append(keys, d.Bytes())
	}
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("del: %w", err)
	}
	nowMs := m.Now().UnixMilli()
	var count uint64
	for _, k := range keys {
		c, err := load(m, db, k, nowMs)
		if err != nil {
			return nil, fmt.Errorf("del: %w", err)
		}
		remove(m, db, k, c)
		if c.live {
			count++
			NotifyKey(m, NotifyGeneric, "del", db, k)
		}
	}
	var e enc
	e.Byte(resOK)
	e.Uvarint(count)
	return e.B, nil
}

func encodeSweep(limit int) []byte {
	var e enc
	e.Uvarint(uint64(limit))
	return e.B
}

// mutSweep deletes up to limit keys whose expiry is due at the commit time,
// then clears the part of the expiry index it walked with one range delete,
// so a queue of expiring keys leaves no trail of point tombstones.
// Result: status, keys deleted (uvarint), more (0/1): whether due entries
// remain.
func mutSweep(m layers.Mutator, args []byte) ([]byte, error) {
	d := dec{B: args}
	limit := d.Uvarint()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	nowMs := m.Now().UnixMilli()
	begin, _ := expSpace.Range()
	end := expSpace.Pack(tuple.Tuple{nowMs + 1})

	type due struct {
		expireAt int64
		db       int
		key      []byte
	}
	var todo []due
	var last []byte
	more := false
	it := m.Scan(begin, end, false)
	for it.Next() {
		if uint64(len(todo)) >= limit {
			more = true
			break
		}
		last = bytes.Clone(it.Key())
		t, err := expSpace.Unpack(last)
		if err != nil || len(t) != 4 {
			continue // not ours; cleared with the range below
		}
		at, ok1 := t[0].(int64)
		dbv, ok2 := t[2].(int64)
		key, ok3 := t[3].([]byte)
		if !ok1 || !ok2 || !ok3 || t[1] != "kv" || !validDB(int(dbv)) {
			continue
		}
		todo = append(todo, due{at, int(dbv), key})
	}
	err := it.Err()
	if cerr := it.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("sweep: scan expiry index: %w", err)
	}
	var deleted uint64
	for _, x := range todo {
		c, err := load(m, x.db, x.key, nowMs)
		if err != nil {
			return nil, fmt.Errorf("sweep: %w", err)
		}
		// Only the incarnation this entry was written for; a key whose
		// expiry moved has its own entry.
		if c.stored && !c.live && c.meta.ExpireAt == x.expireAt {
			remove(m, x.db, x.key, c)
			deleted++
		}
	}
	if last != nil {
		m.DeleteRange(begin, append(last, 0))
	}
	var e enc
	e.Byte(resOK)
	e.Uvarint(deleted)
	if more {
		e.Byte(1)
	} else {
		e.Byte(0)
	}
	return e.B, nil
}

// ParseInt parses b as Redis parses an integer argument or value: an
// optional '-' and decimal digits without leading zeros, no sign '+', no
// spaces, within int64. "0" is valid, "-0" and "007" are not.
func ParseInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	if len(b) == 1 && b[0] == '0' {
		return 0, true
	}
	digits := b
	if digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || digits[0] < '1' || digits[0] > '9' {
		return 0, false
	}
	for _, c := range digits[1:] {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return 0, false
	}
	return v, true
}
