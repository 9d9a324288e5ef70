package hashkv

// This file holds the hash writes: the deterministic mutations registered
// by Mutations, the functions that prepare them (SetOp, SetNXOp, DelOp,
// IncrByOp, IncrByFloatOp) and the ones that decode their results.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/internal/wire"
	"github.com/aspen-db/aspen/layers/strkv"
)

// Errors a client must see, besides the strkv ones this layer reuses
// (strkv.ErrWrongType, strkv.ErrOverflow, strkv.ErrNotFloat,
// strkv.ErrNaNOrInf).
var (
	// ErrHashNotInteger: HINCRBY found a value that is not an integer.
	ErrHashNotInteger = errors.New("hashkv: hash value is not an integer")
	// ErrHashNotFloat: HINCRBYFLOAT found a value that is not a float.
	ErrHashNotFloat = errors.New("hashkv: hash value is not a float")
)

// The names under which Mutations registers this layer's operations.
const (
	opSet         = "hashkv.set"
	opDel         = "hashkv.del"
	opIncrBy      = "hashkv.incrby"
	opIncrByFloat = "hashkv.incrbyfloat"
)

// Mutations returns the deterministic operations this layer commits. The
// store must be opened with them registered (every replica alike), together
// with strkv.Mutations.
func Mutations() map[string]layers.MutationFunc {
	return map[string]layers.MutationFunc{
		opSet:         mutSet,
		opDel:         mutDel,
		opIncrBy:      mutIncrBy,
		opIncrByFloat: mutIncrByFloat,
	}
}

// Result status bytes: the first byte of every mutation result.
const (
	resOK byte = iota
	resWrongType
	resHashNotInteger
	resOverflow
	resHashNotFloat
	resNaN
	resNotFloat
)

// statusErr maps a result status byte to its error.
func statusErr(st byte) error {
	switch st {
	case resOK:
		return nil
	case resWrongType:
		return strkv.ErrWrongType
	case resHashNotInteger:
		return ErrHashNotInteger
	case resOverflow:
		return strkv.ErrOverflow
	case resHashNotFloat:
		return ErrHashNotFloat
	case resNaN:
		return strkv.ErrNaNOrInf
	case resNotFloat:
		return strkv.ErrNotFloat
	default:
		return fmt.Errorf("unknown result status %d: %w", st, wire.ErrMalformed)
	}
}

// Redis's default hash-max-listpack-entries and hash-max-listpack-value:
// past either, Redis converts a hash to a hash table for good.
const (
	compactMaxEntries = 128
	compactMaxValue   = 64
)

// header is what a hash keeps in its key record's Meta.Value.
type header struct {
	n   uint64 // fields
	big bool   // Redis would have converted it to a hash table
}

const flagBig byte = 1

func (h header) encode() []byte {
	b := binary.AppendUvarint(nil, h.n)
	var f byte
	if h.big {
		f |= flagBig
	}
	return append(b, f)
}

// decodeHeader reads a header written by encode.
func decodeHeader(b []byte) (header, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || len(b) != k+1 {
		return header{}, fmt.Errorf("hash header of %d bytes: %w", len(b), strkv.ErrCorrupt)
	}
	return header{n: n, big: b[k]&flagBig != 0}, nil
}

// tooBigForCompact reports whether writing field with value makes Redis
// convert a hash to a hash table.
func tooBigForCompact(field, value []byte) bool {
	return len(field) > compactMaxValue || len(value) > compactMaxValue
}

// target is a hash key as a mutation found it, with what a write needs.
type target struct {
	k       strkv.KeyState
	hdr     header // zero when the key holds no live hash
	version uint64 // the incarnation the write goes to
	live    bool   // the key holds a live hash
}

// loadTarget reads key's record; wrong reports a live key of another type.
func loadTarget(m layers.Mutator, db int, key []byte) (t target, wrong bool, err error) {
	k, err := strkv.LoadKey(m, db, key)
	if err != nil {
		return target{}, false, err
	}
	if k.WrongType(strkv.TypeHash) {
		return target{}, true, nil
	}
	t = target{k: k, live: k.Is(strkv.TypeHash), version: k.NextVersion(strkv.TypeHash, m.Now())}
	if t.live {
		if t.hdr, err = decodeHeader(k.Meta.Value); err != nil {
			return target{}, false, fmt.Errorf("key %q: %w", key, err)
		}
	}
	return t, false, nil
}

// fieldKey returns the store key of field in t's incarnation.
func (t target) fieldKey(field []byte) []byte {
	return fieldKey(t.k.DB, t.k.Key, t.version, field)
}

// get reads field's value; ok is false when the field (or the hash) does
// not exist.
func (t target) get(m layers.Mutator, field []byte) (val []byte, ok bool, err error) {
	if !t.live {
		return nil, false, nil
	}
	v, err := m.Get(t.fieldKey(field))
	if errors.Is(err, layers.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read field of %q: %w", t.k.Key, err)
	}
	return v, true, nil
}

// put writes t's record with hdr: the same incarnation and expiry for a
// live hash, else a new one without expiry. It must come before the member
// writes of a new incarnation, since replacing a key clears its members.
func (t target) put(m layers.Mutator, hdr header) {
	nm := strkv.Meta{Type: strkv.TypeHash, Version: t.version, Value: hdr.encode()}
	if t.live {
		nm.ExpireAt = t.k.Meta.ExpireAt
	}
	strkv.PutKey(m, t.k, nm)
}

// Set modes.
const (
	setAll byte = iota // HSET, HMSET: every pair
	setNX              // HSETNX: the one pair, if its field is new
)

func encodeSet(db int, key []byte, mode byte, pairs [][]byte) []byte {
	var e wire.Enc
	e.Uvarint(uint64(db))
	e.Bytes(key)
	e.Byte(mode)
	e.BytesList(pairs)
	return e.B
}

// SetOp prepares an HSET of key in db: pairs is field, value, field,
// value... (an even number, at least two). Its result, read with
// DecodeCount, is the number of fields that were new.
func SetOp(db int, key []byte, pairs [][]byte) strkv.Mutation {
	return strkv.Mutation{Op: opSet, Args: encodeSet(db, key, setAll, pairs)}
}

// SetNXOp prepares an HSETNX of key in db. Its result, read with
// DecodeCount, is 1 if the field was set, 0 if it existed.
func SetNXOp(db int, key, field, value []byte) strkv.Mutation {
	return strkv.Mutation{Op: opSet, Args: encodeSet(db, key, setNX, [][]byte{field, value})}
}

// DelOp prepares an HDEL of fields from key in db. Its result, read with
// DecodeCount, is the number of fields removed.
func DelOp(db int, key []byte, fields [][]byte) strkv.Mutation {
	var e wire.Enc
	e.Uvarint(uint64(db))
	e.Bytes(key)
	e.BytesList(fields)
	return strkv.Mutation{Op: opDel, Args: e.B}
}

// DecodeCount decodes the result of a SetOp, SetNXOp or DelOp: a count, or
// strkv.ErrWrongType.
func DecodeCount(res []byte) (int64, error) {
	d := wire.Dec{B: res}
	if err := statusErr(d.Byte()); err != nil || d.Err != nil {
		return 0, errors.Join(err, d.Err)
	}
	n := d.Uvarint()
	if err := d.Done(); err != nil {
		return 0, fmt.Errorf("hash result: %w", err)
	}
	return int64(n), nil
}

func countResult(n uint64) []byte {
	var e wire.Enc
	e.Byte(resOK)
	e.Uvarint(n)
	return e.B
}

// decodeKey reads the database and key that begin every argument list.
func decodeKey(d *wire.Dec) (int, []byte) {
	db := strkv.DecodeDB(d)
	return db, d.Bytes()
}

// mutSet runs SetOp and SetNXOp. Result: status, fields added (uvarint).
func mutSet(m layers.Mutator, args []byte) ([]byte, error) {
	d := wire.Dec{B: args}
	db, key := decodeKey(&d)
	mode := d.Byte()
	pairs := d.BytesList()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("hset: %w", err)
	}
	if len(pairs) == 0 || len(pairs)%2 != 0 || (mode != setAll && mode != setNX) ||
		(mode == setNX && len(pairs) != 2) {
		return nil, fmt.Errorf("hset: mode %d with %d arguments: %w", mode, len(pairs), wire.ErrMalformed)
	}
	t, wrong, err := loadTarget(m, db, key)
	if err != nil {
		return nil, fmt.Errorf("hset: %w", err)
	}
	if wrong {
		return []byte{resWrongType}, nil
	}
	// First every read, then the record, then the member writes (see put).
	hdr := t.hdr
	seen := make(map[string]bool, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		f := pairs[i]
		if seen[string(f)] {
			continue
		}
		seen[string(f)] = true
		_, exists, err := t.get(m, f)
		if err != nil {
			return nil, fmt.Errorf("hset: %w", err)
		}
		if exists && mode == setNX {
			return countResult(0), nil
		}
		if !exists {
			hdr.n++
		}
	}
	added := hdr.n - t.hdr.n
	for i := 0; i < len(pairs); i += 2 {
		if tooBigForCompact(pairs[i], pairs[i+1]) {
			hdr.big = true
		}
	}
	if hdr.n > compactMaxEntries {
		hdr.big = true
	}
	t.put(m, hdr)
	for i := 0; i < len(pairs); i += 2 {
		m.Set(t.fieldKey(pairs[i]), pairs[i+1])
	}
	strkv.NotifyKey(m, strkv.NotifyHash, "hset", db, key)
	return countResult(added), nil
}

// mutDel runs DelOp. Result: status, fields removed (uvarint).
func mutDel(m layers.Mutator, args []byte) ([]byte, error) {
	d := wire.Dec{B: args}
	db, key := decodeKey(&d)
	fields := d.BytesList()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("hdel: %w", err)
	}
	t, wrong, err := loadTarget(m, db, key)
	if err != nil {
		return nil, fmt.Errorf("hdel: %w", err)
	}
	if wrong {
		return []byte{resWrongType}, nil
	}
	if !t.live {
		return countResult(0), nil
	}
	var removed uint64
	seen := make(map[string]bool, min(len(fields), 1024))
	for _, f := range fields {
		if seen[string(f)] {
			continue
		}
		seen[string(f)] = true
		_, exists, err := t.get(m, f)
		if err != nil {
			return nil, fmt.Errorf("hdel: %w", err)
		}
		if exists {
			m.Delete(t.fieldKey(f))
			removed++
		}
	}
	if removed == 0 {
		return countResult(0), nil
	}
	hdr := t.hdr
	if removed >= hdr.n {
		strkv.RemoveKey(m, t.k) // the last field: the key goes, as in Redis
		strkv.NotifyKey(m, strkv.NotifyHash, "hdel", db, key)
		strkv.NotifyKey(m, strkv.NotifyGeneric, "del", db, key)
		return countResult(removed), nil
	}
	hdr.n -= removed
	t.put(m, hdr)
	strkv.NotifyKey(m, strkv.NotifyHash, "hdel", db, key)
	return countResult(removed), nil
}

func encodeIncr(db int, key, field []byte, delta int64, incr []byte) []byte {
	var e wire.Enc
	e.Uvarint(uint64(db))
	e.Bytes(key)
	e.Bytes(field)
	e.Int64(delta)
	e.Bytes(incr)
	return e.B
}

// IncrByOp prepares an HINCRBY of field of key in db by delta. Its result,
// read with DecodeIncrBy, is the new value.
func IncrByOp(db int, key, field []byte, delta int64) strkv.Mutation {
	return strkv.Mutation{Op: opIncrBy, Args: encodeIncr(db, key, field, delta, nil)}
}

// DecodeIncrBy decodes the result of an IncrByOp: the new value, or
// strkv.ErrWrongType, ErrHashNotInteger, strkv.ErrOverflow (nothing was
// written).
func DecodeIncrBy(res []byte) (int64, error) {
	d := wire.Dec{B: res}
	if err := statusErr(d.Byte()); err != nil || d.Err != nil {
		return 0, errors.Join(err, d.Err)
	}
	n := d.Int64()
	if err := d.Done(); err != nil {
		return 0, fmt.Errorf("hincrby result: %w", err)
	}
	return n, nil
}

// setField writes field = val in t, a single-field write that keeps the
// header in step.
func setField(m layers.Mutator, t target, field, val []byte, existed bool) {
	hdr := t.hdr
	if !existed {
		hdr.n++
	}
	if hdr.n > compactMaxEntries || tooBigForCompact(field, val) {
		hdr.big = true
	}
	t.put(m, hdr)
	m.Set(t.fieldKey(field), val)
}

// decodeIncr reads the arguments of an increment.
func decodeIncr(args []byte, name string) (db int, key, field []byte, delta int64, incr []byte, err error) {
	d := wire.Dec{B: args}
	db, key = decodeKey(&d)
	field = d.Bytes()
	delta = d.Int64()
	incr = d.Bytes()
	if err := d.Done(); err != nil {
		return 0, nil, nil, 0, nil, fmt.Errorf("%s: %w", name, err)
	}
	return db, key, field, delta, incr, nil
}

// mutIncrBy runs IncrByOp. Result: status, then the new value (8 bytes).
func mutIncrBy(m layers.Mutator, args []byte) ([]byte, error) {
	db, key, field, delta, _, err := decodeIncr(args, "hincrby")
	if err != nil {
		return nil, err
	}
	t, wrong, err := loadTarget(m, db, key)
	if err != nil {
		return nil, fmt.Errorf("hincrby: %w", err)
	}
	if wrong {
		return []byte{resWrongType}, nil
	}
	raw, exists, err := t.get(m, field)
	if err != nil {
		return nil, fmt.Errorf("hincrby: %w", err)
	}
	var old int64
	if exists {
		var ok bool
		if old, ok = strkv.ParseInt(raw); !ok {
			return []byte{resHashNotInteger}, nil
		}
	}
	if (delta < 0 && old < 0 && delta < math.MinInt64-old) ||
		(delta > 0 && old > 0 && delta > math.MaxInt64-old) {
		return []byte{resOverflow}, nil
	}
	n := old + delta
	setField(m, t, field, strconv.AppendInt(nil, n, 10), exists)
	strkv.NotifyKey(m, strkv.NotifyHash, "hincrby", db, key)
	var e wire.Enc
	e.Byte(resOK)
	e.Int64(n)
	return e.B, nil
}

// IncrByFloatOp prepares an HINCRBYFLOAT of field of key in db by incr, the
// increment as the client wrote it (a valid, finite float: the caller checks
// it first, as Redis does before looking at the key). Its result, read with
// DecodeIncrByFloat, is the new value as stored.
func IncrByFloatOp(db int, key, field, incr []byte) strkv.Mutation {
	return strkv.Mutation{Op: opIncrByFloat, Args: encodeIncr(db, key, field, 0, incr)}
}

// DecodeIncrByFloat decodes the result of an IncrByFloatOp: the new value,
// or strkv.ErrWrongType, ErrHashNotFloat, strkv.ErrNaNOrInf,
// strkv.ErrNotFloat. val aliases res.
func DecodeIncrByFloat(res []byte) (val []byte, err error) {
	d := wire.Dec{B: res}
	if err := statusErr(d.Byte()); err != nil || d.Err != nil {
		return nil, errors.Join(err, d.Err)
	}
	return d.B, nil
}

// longDoubleMaxExp is the big.Float MantExp of the first value past the
// x86-64 long double range Redis computes in.
const longDoubleMaxExp = 16384

// mutIncrByFloat runs IncrByFloatOp. Result: status, then the new value.
// The sum is computed with the 64-bit mantissa of Redis's long double and
// printed as Redis prints it (strkv.FormatLongDouble).
func mutIncrByFloat(m layers.Mutator, args []byte) ([]byte, error) {
	db, key, field, _, incr, err := decodeIncr(args, "hincrbyfloat")
	if err != nil {
		return nil, err
	}
	inc, ok := strkv.ParseLongDouble(incr)
	if !ok || inc.IsInf() {
		return []byte{resNotFloat}, nil // the caller should have refused it
	}
	t, wrong, err := loadTarget(m, db, key)
	if err != nil {
		return nil, fmt.Errorf("hincrbyfloat: %w", err)
	}
	if wrong {
		return []byte{resWrongType}, nil
	}
	raw, exists, err := t.get(m, field)
	if err != nil {
		return nil, fmt.Errorf("hincrbyfloat: %w", err)
	}
	cur := new(big.Float).SetPrec(inc.Prec())
	if exists {
		if cur, ok = strkv.ParseLongDouble(raw); !ok {
			return []byte{resHashNotFloat}, nil
		}
	}
	if cur.IsInf() {
		return []byte{resNaN}, nil // inf + a finite increment stays inf
	}
	sum := new(big.Float).SetPrec(inc.Prec()).Add(cur, inc)
	if sum.Sign() != 0 && sum.MantExp(nil) > longDoubleMaxExp {
		return []byte{resNaN}, nil
	}
	v := strkv.FormatLongDouble(sum)
	setField(m, t, field, v, exists)
	strkv.NotifyKey(m, strkv.NotifyHash, "hincrbyfloat", db, key)
	return append([]byte{resOK}, v...), nil
}
