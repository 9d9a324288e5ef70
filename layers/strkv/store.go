// Package strkv is the Redis keyspace on ordered keys: one metadata record
// per key holding its type, expiry and incarnation, and the value itself for
// strings.
//
// Layout (tuple-encoded, see DESIGN.md):
//
//	("kv", db, "m", key)              -> Meta record (Meta.Encode)
//	("kv", db, "d", key, ...)         -> members of a collection key (other layers)
//	("exp", expireAt, "kv", db, key)  -> "" expiry index, swept by Sweep
//
// Every write whose effect depends on the current state (SET NX/XX/GET,
// INCRBY, INCRBYFLOAT, APPEND, SETRANGE, GETEX, GETDEL, MSETNX, the EXPIRE
// family, PERSIST, RENAME, DEL counting, replacing a key of another type)
// is a deterministic mutation run at apply time on every replica with the
// commit's timestamp as the clock, so concurrent writers of one hot key
// never conflict. Mutations
// must be registered when the store is opened: see Mutations.
//
// Expiry is lazy on reads: a key whose ExpireAt is at or before the reading
// node's clock reads as absent, and mutations treat a key expired at the
// commit time as absent. Sweep deletes due keys for good.
package strkv

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/aspen-db/aspen/layers"
)

// Errors a client must see. They are returned by the Store's methods (never
// wrapped in a failed transaction), so callers compare with errors.Is.
var (
	// ErrWrongType: the key holds a value of another type.
	ErrWrongType = errors.New("strkv: key holds the wrong kind of value")
	// ErrNotInteger: the value is not an integer in Redis's syntax, or
	// out of the int64 range.
	ErrNotInteger = errors.New("strkv: value is not an integer or out of range")
	// ErrOverflow: an increment would leave the int64 range.
	ErrOverflow = errors.New("strkv: increment or decrement would overflow")
	// ErrInvalidExpire: an expiry is not positive or overflows when added
	// to the commit time.
	ErrInvalidExpire = errors.New("strkv: invalid expire time")
	// ErrNoSuchKey: RENAME of a key that does not exist.
	ErrNoSuchKey = errors.New("strkv: no such key")
	// ErrNotFloat: a value or increment is not a valid float.
	ErrNotFloat = errors.New("strkv: value is not a valid float")
	// ErrNaNOrInf: a float increment would give NaN or an infinity.
	ErrNaNOrInf = errors.New("strkv: increment would produce NaN or Infinity")
	// ErrTooLarge: a string would exceed MaxStringLen.
	ErrTooLarge = errors.New("strkv: string exceeds maximum allowed size")
	// ErrBadDB: a database number outside [0, NumDBs).
	ErrBadDB = errors.New("strkv: database index out of range")
)

// Store reads and writes Redis keys and string values. It is safe for
// concurrent use.
type Store struct {
	kv    layers.KV
	now   func() time.Time // the local clock for lazy expiry on reads
	stats Stats
}

// Stats counts this node's key lookups, as Redis's INFO reports them.
type Stats struct {
	// Hits and Misses count the key lookups of Readers from View that
	// found a live key and that did not.
	Hits, Misses atomic.Int64
}

// Stats returns the Store's lookup counters.
func (s *Store) Stats() *Stats { return &s.stats }

// KV returns the store the Store reads and writes, for layers and
// protocols that need more of it (its Notifier, say).
func (s *Store) KV() layers.KV { return s.kv }

// New returns a Store over kv, which must have been opened with
// Mutations() registered.
func New(kv layers.KV) *Store {
	return &Store{kv: kv, now: time.Now}
}

// Mutation is one deterministic operation prepared for commit. Build one
// with the *Op functions and commit several together with Run; decode each
// result with the matching Decode* function.
type Mutation struct {
	Op   string
	Args []byte
}

// Run commits muts in one transaction, in order (each sees the effects of
// the ones before it), retrying while the store reports a retryable error.
// It returns one raw result per mutation. A failed Run applied none of them,
// unless the error says the outcome is unknown.
func (s *Store) Run(ctx context.Context, muts ...Mutation) ([][]byte, error) {
	res, err := layers.Update(ctx, s.kv, func(tx layers.Txn) error {
		for _, m := range muts {
			tx.Mutate(m.Op, m.Args)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("commit %d key mutations: %w", len(muts), err)
	}
	if len(res.Results) != len(muts) {
		return nil, fmt.Errorf("commit returned %d results for %d mutations", len(res.Results), len(muts))
	}
	return res.Results, nil
}

func (s *Store) run1(ctx context.Context, m Mutation) ([]byte, error) {
	res, err := s.Run(ctx, m)
	if err != nil {
		return nil, err
	}
	return res[0], nil
}

// SetOptions are SET's options. At most one of TTLMillis and ExpireAtMillis
// may be set (non-zero); KeepTTL only applies when neither is. Expiries are
// plain milliseconds rather than time values so that every expiry Redis
// accepts (up to the int64 millisecond range) can be expressed.
type SetOptions struct {
	// NX sets only if the key does not exist; XX only if it does.
	NX, XX bool
	// Get asks for the previous string value (SET ... GET).
	Get bool
	// KeepTTL keeps the expiry of an existing key.
	KeepTTL bool
	// TTLMillis is a relative expiry in milliseconds, counted from the
	// commit time (EX, PX); 0 means none.
	TTLMillis int64
	// ExpireAtMillis is an absolute expiry in Unix milliseconds (EXAT,
	// PXAT); 0 means none.
	ExpireAtMillis int64
}

// SetResult is what SET reports.
type SetResult struct {
	// Set reports whether the value was written (false when NX or XX
	// refused).
	Set bool
	// Old is the previous value when SetOptions.Get was given and the key
	// held a string; OldExists tells a missing key from an empty string.
	Old       []byte
	OldExists bool
}

// SetOp prepares a SET of key to val in db. A negative expiry, or a TTL that
// overflows when added to the commit time, gives ErrInvalidExpire at decode
// time.
func SetOp(db int, key, val []byte, opt SetOptions) Mutation {
	return Mutation{Op: opSet, Args: encodeSet(db, key, val, opt)}
}

// DecodeSet decodes the result of a SetOp: ErrInvalidExpire, ErrWrongType
// (Get on a key of another type; nothing was written), or the SetResult.
// Old aliases res.
func DecodeSet(res []byte) (SetResult, error) {
	if len(res) == 0 {
		return SetResult{}, fmt.Errorf("set result: %w", errMalformed)
	}
	if err := statusErr(res[0]); err != nil {
		return SetResult{}, err
	}
	if len(res) < 3 {
		return SetResult{}, fmt.Errorf("set result: %w", errMalformed)
	}
	r := SetResult{Set: res[1] == 1, OldExists: res[2] == 1}
	if r.OldExists {
		r.Old = res[3:]
	}
	return r, nil
}

// IncrByOp prepares an INCRBY of key in db by delta.
func IncrByOp(db int, key []byte, delta int64) Mutation {
	return Mutation{Op: opIncrBy, Args: encodeIncrBy(db, key, delta)}
}

// DecodeIncrBy decodes the result of an IncrByOp: the new value, or
// ErrWrongType, ErrNotInteger or ErrOverflow (nothing was written).
func DecodeIncrBy(res []byte) (int64, error) {
	d := dec{B: res}
	if err := statusErr(d.Byte()); err != nil || d.Err != nil {
		return 0, errors.Join(err, d.Err)
	}
	n := d.Int64()
	if err := d.Done(); err != nil {
		return 0, fmt.Errorf("incrby result: %w", err)
	}
	return n, nil
}

// DelOp prepares a DEL of keys in db.
func DelOp(db int, keys ...[]byte) Mutation {
	return Mutation{Op: opDel, Args: encodeDel(db, keys)}
}

// DecodeDel decodes the result of a DelOp: how many of the keys existed
// (unexpired) and were removed. A key named twice counts once.
func DecodeDel(res []byte) (int, error) {
	d := dec{B: res}
	if err := statusErr(d.Byte()); err != nil || d.Err != nil {
		return 0, errors.Join(err, d.Err)
	}
	n := d.Uvarint()
	if err := d.Done(); err != nil {
		return 0, fmt.Errorf("del result: %w", err)
	}
	return int(n), nil
}

// Set writes key in db as SET does.
func (s *Store) Set(ctx context.Context, db int, key, val []byte, opt SetOptions) (SetResult, error) {
	if !validDB(db) {
		return SetResult{}, ErrBadDB
	}
	res, err := s.run1(ctx, SetOp(db, key, val, opt))
	if err != nil {
		return SetResult{}, err
	}
	return DecodeSet(res)
}

// IncrBy adds delta to the integer held by key in db (0 when absent) and
// returns the new value. The key keeps its expiry.
func (s *Store) IncrBy(ctx context.Context, db int, key []byte, delta int64) (int64, error) {
	if !validDB(db) {
		return 0, ErrBadDB
	}
	res, err := s.run1(ctx, IncrByOp(db, key, delta))
	if err != nil {
		return 0, err
	}
	return DecodeIncrBy(res)
}

// Del removes keys from db and returns how many existed.
func (s *Store) Del(ctx context.Context, db int, keys ...[]byte) (int, error) {
	if !validDB(db) {
		return 0, ErrBadDB
	}
	if len(keys) == 0 {
		return 0, nil
	}
	res, err := s.run1(ctx, DelOp(db, keys...))
	if err != nil {
		return 0, err
	}
	return DecodeDel(res)
}

// FlushOp prepares the removal of every key of db, or of every database
// when db is negative: one range delete that never conflicts. Stale expiry
// index entries are dropped by Sweep.
func FlushOp(db int) Mutation {
	var e enc
	e.Varint(int64(db))
	return Mutation{Op: opFlush, Args: e.B}
}

// mutFlush runs FlushOp. Its result is empty.
func mutFlush(m layers.Mutator, args []byte) ([]byte, error) {
	d := dec{B: args}
	db := d.Varint()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("flush: %w", err)
	}
	switch {
	case db < 0:
		m.DeleteRange(kvSpace.Range())
	case db < NumDBs:
		m.DeleteRange(DBSubspace(int(db)).Range())
	default:
		return nil, fmt.Errorf("flush db %d: %w", db, errMalformed)
	}
	return nil, nil
}

// FlushDB removes every key of db (see FlushOp).
func (s *Store) FlushDB(ctx context.Context, db int) error {
	if !validDB(db) {
		return ErrBadDB
	}
	if _, err := s.run1(ctx, FlushOp(db)); err != nil {
		return fmt.Errorf("flush db %d: %w", db, err)
	}
	return nil
}

// FlushAll removes every key of every database, as FlushDB does for one.
func (s *Store) FlushAll(ctx context.Context) error {
	if _, err := s.run1(ctx, FlushOp(-1)); err != nil {
		return fmt.Errorf("flush all databases: %w", err)
	}
	return nil
}

// Get returns the string value of key in db; ok is false when the key does
// not exist or has expired. A key of another type gives ErrWrongType.
func (s *Store) Get(ctx context.Context, db int, key []byte) (val []byte, ok bool, err error) {
	err = s.View(ctx, func(r *Reader) error {
		val, ok, err = r.Get(db, key)
		return err
	})
	return val, ok, err
}

// Exists counts how many of keys exist in db; a key named twice counts
// twice, as in Redis.
func (s *Store) Exists(ctx context.Context, db int, keys ...[]byte) (n int, err error) {
	err = s.View(ctx, func(r *Reader) error {
		n, err = r.Exists(db, keys...)
		return err
	})
	return n, err
}

// View runs fn with a Reader on one consistent, linearizable state. The
// Reader must not be used after fn returns.
func (s *Store) View(ctx context.Context, fn func(r *Reader) error) error {
	return layers.View(ctx, s.kv, func(lr layers.Reader) error {
		return fn(&Reader{r: lr, nowMs: s.now().UnixMilli(), stats: &s.stats})
	})
}

// Reader reads keys at one state, with the local clock of the moment the
// view began for lazy expiry.
type Reader struct {
	r     Source
	nowMs int64
	stats *Stats // nil for a Reader from NewReader
	// miss, when set, is told of each lookup of an absent key (SetMissHook).
	miss func(db int, key []byte)
}

// SetMissHook makes Meta call fn with each key it finds absent or expired
// (Redis's key misses, which keyspace notifications announce as
// "keymiss"), until it is called again; nil removes the hook. fn must not
// keep key.
func (r *Reader) SetMissHook(fn func(db int, key []byte)) { r.miss = fn }

// Meta returns key's record in db; ok is false if there is none or it has
// expired. Meta.Value is owned by the caller.
func (r *Reader) Meta(db int, key []byte) (m Meta, ok bool, err error) {
	if !validDB(db) {
		return Meta{}, false, ErrBadDB
	}
	raw, err := r.r.Get(MetaKey(db, key))
	if errors.Is(err, layers.ErrNotFound) {
		r.missed(db, key)
		return Meta{}, false, nil
	}
	if err != nil {
		return Meta{}, false, fmt.Errorf("read key %q: %w", key, err)
	}
	m, err = DecodeMeta(raw)
	if err != nil {
		return Meta{}, false, fmt.Errorf("key %q: %w", key, err)
	}
	if m.Expired(r.nowMs) {
		r.missed(db, key)
		return Meta{}, false, nil
	}
	r.count(true)
	return m, true, nil
}

// missed records a lookup of an absent key.
func (r *Reader) missed(db int, key []byte) {
	r.count(false)
	if r.miss != nil {
		r.miss(db, key)
	}
}

// count records a lookup in the Store's Stats.
func (r *Reader) count(hit bool) {
	switch {
	case r.stats == nil:
	case hit:
		r.stats.Hits.Add(1)
	default:
		r.stats.Misses.Add(1)
	}
}

// Get returns the string value of key in db, as Store.Get.
func (r *Reader) Get(db int, key []byte) ([]byte, bool, error) {
	m, ok, err := r.Meta(db, key)
	if err != nil || !ok {
		return nil, false, err
	}
	if m.Type != TypeString {
		return nil, false, ErrWrongType
	}
	return m.Value, true, nil
}

// Exists counts how many of keys exist in db, as Store.Exists.
func (r *Reader) Exists(db int, keys ...[]byte) (int, error) {
	n := 0
	for _, k := range keys {
		_, ok, err := r.Meta(db, k)
		if err != nil {
			return 0, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// PTTL returns the remaining time to live of key in db in milliseconds, -1
// if the key has no expiry, or -2 if it does not exist (Redis's PTTL).
func (r *Reader) PTTL(db int, key []byte) (int64, error) {
	m, ok, err := r.Meta(db, key)
	switch {
	case err != nil:
		return 0, err
	case !ok:
		return -2, nil
	case m.ExpireAt == 0:
		return -1, nil
	default:
		return m.ExpireAt - r.nowMs, nil
	}
}
