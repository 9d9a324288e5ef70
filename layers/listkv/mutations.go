package listkv

import (
	"bytes"
	"fmt"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/internal/wire"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/layers/subspace"
)

// This file holds the layer's deterministic mutations: every list write
// goes through one of them, run at apply time on every replica.

// The names under which Mutations registers this layer's operations.
const (
	opPush   = "listkv.push"
	opPop    = "listkv.pop"
	opMPop   = "listkv.mpop"
	opMove   = "listkv.move"
	opSet    = "listkv.set"
	opInsert = "listkv.insert"
	opRem    = "listkv.rem"
	opTrim   = "listkv.trim"
)

// PushTopic is the topic of the event every mutation that adds elements
// to a list emits (LPUSH, RPUSH, the X forms, LINSERT, and the destination
// of LMOVE and RPOPLPUSH). Its payload names the list: decode it with
// DecodeKeyEvent.
const PushTopic = "listkv.push"

// Mutations returns the deterministic operations this layer commits. The
// store must be opened with them registered (every replica alike).
func Mutations() map[string]layers.MutationFunc {
	return map[string]layers.MutationFunc{
		opPush:   mutPush,
		opPop:    mutPop,
		opMPop:   mutMPop,
		opMove:   mutMove,
		opSet:    mutSet,
		opInsert: mutInsert,
		opRem:    mutRem,
		opTrim:   mutTrim,
	}
}

// Result status bytes: the first byte of every mutation result. Errors the
// client must see travel here, not as a Go error (which would fail the
// whole commit on every replica).
const (
	resOK byte = iota
	resWrongType
	resNoSuchKey
	resIndexRange
	resNotInteger
)

func statusErr(st byte) error {
	switch st {
	case resOK:
		return nil
	case resWrongType:
		return strkv.ErrWrongType
	case resNoSuchKey:
		return strkv.ErrNoSuchKey
	case resIndexRange:
		return ErrIndexRange
	case resNotInteger:
		return strkv.ErrNotInteger
	default:
		return fmt.Errorf("unknown result status %d: %w", st, wire.ErrMalformed)
	}
}

// EncodeKeyEvent returns the payload of a PushTopic event for key in db.
func EncodeKeyEvent(db int, key []byte) []byte {
	var e wire.Enc
	e.Uvarint(uint64(db))
	e.Bytes(key)
	return e.B
}

// DecodeKeyEvent reads a payload written by EncodeKeyEvent. The key
// aliases p.
func DecodeKeyEvent(p []byte) (db int, key []byte, ok bool) {
	d := wire.Dec{B: p}
	v := d.Uvarint()
	key = d.Bytes()
	if d.Done() != nil || v >= strkv.NumDBs {
		return 0, nil, false
	}
	return int(v), key, true
}

func notifyPush(m layers.Mutator, db int, key []byte) {
	m.Notify(layers.Event{Topic: PushTopic, Payload: EncodeKeyEvent(db, key)})
}

// notifyKeyspace announces a list command's keyspace notification on
// key, and "del" after it when the command emptied (and so deleted) the
// list, in Redis's order.
func notifyKeyspace(m layers.Mutator, event string, db int, key []byte, emptied bool) {
	strkv.NotifyKey(m, strkv.NotifyList, event, db, key)
	if emptied {
		strkv.NotifyKey(m, strkv.NotifyGeneric, "del", db, key)
	}
}

// popEvent is the notification of a pop from the left or right end.
func popEvent(left bool) string {
	if left {
		return "lpop"
	}
	return "rpop"
}

// pushEvent is the notification of a push to the left or right end.
func pushEvent(left bool) string {
	if left {
		return "lpush"
	}
	return "rpush"
}

func statusResult(st byte) []byte { return []byte{st} }

// intResult is an OK status followed by n.
func intResult(n int64) []byte {
	e := wire.Enc{B: []byte{resOK}}
	e.Varint(n)
	return e.B
}

// DecodeStatus decodes the result of a SetOp or TrimOp: nil, or the
// client's error (strkv.ErrWrongType, strkv.ErrNoSuchKey, ErrIndexRange).
func DecodeStatus(res []byte) error {
	if len(res) == 0 {
		return fmt.Errorf("empty list result: %w", wire.ErrMalformed)
	}
	return statusErr(res[0])
}

// DecodeInt decodes the integer result of a PushOp (the new length), an
// InsertOp (the new length, 0 for a missing key, -1 for a missing pivot)
// or a RemOp (the number removed).
func DecodeInt(res []byte) (int64, error) {
	if err := DecodeStatus(res); err != nil {
		return 0, err
	}
	d := wire.Dec{B: res[1:]}
	n := d.Varint()
	if err := d.Done(); err != nil {
		return 0, fmt.Errorf("list result: %w", err)
	}
	return n, nil
}

// Push flags.
const (
	pushLeft byte = 1 << iota
	pushExisting
)

// PushOp prepares LPUSH (left) or RPUSH of vals, in order, to key in db;
// with existing (LPUSHX, RPUSHX) nothing is pushed unless the list
// exists. DecodeInt gives the new length (0 when nothing was pushed).
func PushOp(db int, key []byte, left, existing bool, vals ...[]byte) strkv.Mutation {
	var e wire.Enc
	e.Uvarint(uint64(db))
	e.Bytes(key)
	var f byte
	if left {
		f |= pushLeft
	}
	if existing {
		f |= pushExisting
	}
	e.Byte(f)
	e.BytesList(vals)
	return strkv.Mutation{Op: opPush, Args: e.B}
}

func mutPush(m layers.Mutator, args []byte) ([]byte, error) {
	d := wire.Dec{B: args}
	db := strkv.DecodeDB(&d)
	key := d.Bytes()
	f := d.Byte()
	vals := d.BytesList()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("push: %w", err)
	}
	l, wrong, err := loadList(m, db, key)
	switch {
	case err != nil:
		return nil, fmt.Errorf("push: %w", err)
	case wrong:
		return statusResult(resWrongType), nil
	case f&pushExisting != 0 && !l.exists(), len(vals) == 0:
		return intResult(l.n), nil
	}
	for _, v := range vals {
		l.push(m, f&pushLeft != 0, v)
	}
	l.save(m)
	notifyPush(m, db, key)
	notifyKeyspace(m, pushEvent(f&pushLeft != 0), db, key, false)
	return intResult(l.n), nil
}

// PopOp prepares LPOP (left) or RPOP of up to count elements of key in
// db. Decode it with DecodePop.
func PopOp(db int, key []byte, left bool, count int64) strkv.Mutation {
	var e wire.Enc
	e.Uvarint(uint64(db))
	e.Bytes(key)
	e.Bool(left)
	e.Varint(count)
	return strkv.Mutation{Op: opPop, Args: e.B}
}

// DecodePop decodes the result of a PopOp: the elements popped, in pop
// order, and whether the list existed (a count of 0 pops nothing from a
// list that exists).
func DecodePop(res []byte) (elems [][]byte, found bool, err error) {
	if err := DecodeStatus(res); err != nil {
		return nil, false, err
	}
	d := wire.Dec{B: res[1:]}
	found = d.Bool()
	elems = d.BytesList()
	if err := d.Done(); err != nil {
		return nil, false, fmt.Errorf("pop result: %w", err)
	}
	return elems, found, nil
}

// popN pops up to count elements of l from one end.
func popN(m layers.Mutator, l *list, left bool, count int64) ([][]byte, error) {
	k := min(count, l.n)
	out := make([][]byte, 0, min(k, 1024))
	for range k {
		v, err := l.pop(m, left)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if k > 0 {
		l.save(m)
		notifyKeyspace(m, popEvent(left), l.k.DB, l.k.Key, l.n == 0)
	}
	return out, nil
}

func mutPop(m layers.Mutator, args []byte) ([]byte, error) {
	d := wire.Dec{B: args}
	db := strkv.DecodeDB(&d)
	key := d.Bytes()
	left := d.Bool()
	count := d.Varint()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("pop: %w", err)
	}
	l, wrong, err := loadList(m, db, key)
	switch {
	case err != nil:
		return nil, fmt.Errorf("pop: %w", err)
	case wrong:
		return statusResult(resWrongType), nil
	}
	e := wire.Enc{B: []byte{resOK}}
	e.Bool(l.exists())
	out, err := popN(m, l, left, count)
	if err != nil {
		return nil, fmt.Errorf("pop: %w", err)
	}
	e.BytesList(out)
	return e.B, nil
}

// MPopOp prepares LMPOP (and BLPOP, BRPOP, BLMPOP's attempts): pop up to
// count elements from the left or right end of the first of keys that
// holds a non-empty list. A key of another type met before it fails the
// whole operation with WRONGTYPE, as in Redis. Decode it with DecodeMPop.
func MPopOp(db int, keys [][]byte, left bool, count int64) strkv.Mutation {
	var e wire.Enc
	e.Uvarint(uint64(db))
	e.BytesList(keys)
	e.Bool(left)
	e.Varint(count)
	return strkv.Mutation{Op: opMPop, Args: e.B}
}

// DecodeMPop decodes the result of an MPopOp: the index in keys of the
// list popped from (-1 when every key was missing) and the elements.
func DecodeMPop(res []byte) (index int, elems [][]byte, err error) {
	if err := DecodeStatus(res); err != nil {
		return -1, nil, err
	}
	d := wire.Dec{B: res[1:]}
	index = int(d.Varint())
	elems = d.BytesList()
	if err := d.Done(); err != nil {
		return -1, nil, fmt.Errorf("mpop result: %w", err)
	}
	return index, elems, nil
}

func mutMPop(m layers.Mutator, args []byte) ([]byte, error) {
	d := wire.Dec{B: args}
	db := strkv.DecodeDB(&d)
	keys := d.BytesList()
	left := d.Bool()
	count := d.Varint()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("mpop: %w", err)
	}
	for i, key := range keys {
		l, wrong, err := loadList(m, db, key)
		switch {
		case err != nil:
			return nil, fmt.Errorf("mpop: %w", err)
		case wrong:
			return statusResult(resWrongType), nil
		case l.n == 0:
			continue
		}
		out, err := popN(m, l, left, count)
		if err != nil {
			return nil, fmt.Errorf("mpop: %w", err)
		}
		e := wire.Enc{B: []byte{resOK}}
		e.Varint(int64(i))
		e.BytesList(out)
		return e.B, nil
	}
	e := wire.Enc{B: []byte{resOK}}
	e.Varint(-1)
	e.BytesList(nil)
	return e.B, nil
}

// MoveOp prepares LMOVE (RPOPLPUSH is MoveOp(db, src, dst, false, true)):
// pop from one end of src and push the element to one end of dst,
// atomically. src and dst may be the same list (a rotation). Decode it
// with DecodeMove.
func MoveOp(db int, src, dst []byte, srcLeft, dstLeft bool) strkv.Mutation {
	var e wire.Enc
	e.Uvarint(uint64(db))
	e.Bytes(src)
	e.Bytes(dst)
	e.Bool(srcLeft)
	e.Bool(dstLeft)
	return strkv.Mutation{Op: opMove, Args: e.B}
}

// DecodeMove decodes the result of a MoveOp: the element moved, or ok
// false when src did not exist.
func DecodeMove(res []byte) (elem []byte, ok bool, err error) {
	if err := DecodeStatus(res); err != nil {
		return nil, false, err
	}
	d := wire.Dec{B: res[1:]}
	ok = d.Bool()
	elem = d.Bytes()
	if err := d.Done(); err != nil {
		return nil, false, fmt.Errorf("move result: %w", err)
	}
	return elem, ok, nil
}

func mutMove(m layers.Mutator, args []byte) ([]byte, error) {
	d := wire.Dec{B: args}
	db := strkv.DecodeDB(&d)
	srcKey := d.Bytes()
	dstKey := d.Bytes()
	srcLeft := d.Bool()
	dstLeft := d.Bool()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("move: %w", err)
	}
	src, wrong, err := loadList(m, db, srcKey)
	switch {
	case err != nil:
		return nil, fmt.Errorf("move: %w", err)
	case wrong:
		return statusResult(resWrongType), nil
	case src.n == 0:
		return []byte{resOK, 0, 0}, nil
	}
	dst := src
	if !bytes.Equal(srcKey, dstKey) {
		if dst, wrong, err = loadList(m, db, dstKey); err != nil {
			return nil, fmt.Errorf("move: %w", err)
		} else if wrong {
			return statusResult(resWrongType), nil
		}
	}
	v, err := src.pop(m, srcLeft)
	if err != nil {
		return nil, fmt.Errorf("move: %w", err)
	}
	dst.push(m, dstLeft, v)
	if dst != src {
		src.save(m)
	}
	dst.save(m)
	notifyPush(m, db, dstKey)
	// Redis announces the push, then the pop (and the source's deletion).
	notifyKeyspace(m, pushEvent(dstLeft), db, dstKey, false)
	notifyKeyspace(m, popEvent(srcLeft), db, srcKey, src.n == 0)
	e := wire.Enc{B: []byte{resOK, 1}}
	e.Bytes(v)
	return e.B, nil
}

// normIndex turns a Redis index (negative counts from the tail) into one
// from the head; ok is false when it is outside a list of n elements.
func normIndex(i, n int64) (int64, bool) {
	if i < 0 {
		i += n
	}
	return i, i >= 0 && i < n
}

// SetOp prepares LSET key index val. DecodeStatus gives
// strkv.ErrNoSuchKey for a missing key and ErrIndexRange for an index
// outside the list. Redis checks the index argument only once it has found
// the list: pass indexOK false for one that did not parse, and the list
// (if it exists) gives strkv.ErrNotInteger.
func SetOp(db int, key []byte, index int64, indexOK bool, val []byte) strkv.Mutation {
	var e wire.Enc
	e.Uvarint(uint64(db))
	e.Bytes(key)
	e.Varint(index)
	e.Bool(indexOK)
	e.Bytes(val)
	return strkv.Mutation{Op: opSet, Args: e.B}
}

func mutSet(m layers.Mutator, args []byte) ([]byte, error) {
	d := wire.Dec{B: args}
	db := strkv.DecodeDB(&d)
	key := d.Bytes()
	index := d.Varint()
	indexOK := d.Bool()
	val := d.Bytes()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("lset: %w", err)
	}
	l, wrong, err := loadList(m, db, key)
	switch {
	case err != nil:
		return nil, fmt.Errorf("lset: %w", err)
	case wrong:
		return statusResult(resWrongType), nil
	case !l.exists():
		return statusResult(resNoSuchKey), nil
	case !indexOK:
		return statusResult(resNotInteger), nil
	}
	i, ok := normIndex(index, l.n)
	if !ok {
		return statusResult(resIndexRange), nil
	}
	m.Set(l.at(i), val)
	notifyKeyspace(m, "lset", db, key, false)
	return statusResult(resOK), nil
}

// InsertOp prepares LINSERT key BEFORE|AFTER pivot val. DecodeInt gives
// the new length, 0 for a missing key and -1 when pivot is not found.
func InsertOp(db int, key []byte, after bool, pivot, val []byte) strkv.Mutation {
	var e wire.Enc
	e.Uvarint(uint64(db))
	e.Bytes(key)
	e.Bool(after)
	e.Bytes(pivot)
	e.Bytes(val)
	return strkv.Mutation{Op: opInsert, Args: e.B}
}

func mutInsert(m layers.Mutator, args []byte) ([]byte, error) {
	d := wire.Dec{B: args}
	db := strkv.DecodeDB(&d)
	key := d.Bytes()
	after := d.Bool()
	pivot := d.Bytes()
	val := d.Bytes()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("linsert: %w", err)
	}
	l, wrong, err := loadList(m, db, key)
	switch {
	case err != nil:
		return nil, fmt.Errorf("linsert: %w", err)
	case wrong:
		return statusResult(resWrongType), nil
	case !l.exists():
		return intResult(0), nil
	}
	p := int64(-1)
	err = scanRange(m, l.space, l.head, 0, l.n, false, func(i int64, v []byte) bool {
		if bytes.Equal(v, pivot) {
			p = i
			return false
		}
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("linsert: %w", err)
	}
	if p < 0 {
		return intResult(-1), nil
	}
	q := p // the index the new element takes
	if after {
		q++
	}
	if q <= l.n-q {
		// Shift elements [0, q) one position towards the head.
		es, err := l.elems(m, 0, q)
		if err != nil {
			return nil, fmt.Errorf("linsert: %w", err)
		}
		l.head--
		for j, e := range es {
			m.Set(l.at(int64(j)), e)
		}
	} else {
		// Shift elements [q, n) one position towards the tail.
		es, err := l.elems(m, q, l.n)
		if err != nil {
			return nil, fmt.Errorf("linsert: %w", err)
		}
		for j, e := range es {
			m.Set(l.at(q+1+int64(j)), e)
		}
	}
	m.Set(l.at(q), val)
	l.n++
	l.save(m)
	notifyPush(m, db, key)
	notifyKeyspace(m, "linsert", db, key, false)
	return intResult(l.n), nil
}

// RemOp prepares LREM key count val: remove up to count occurrences of
// val from the head (count > 0), up to -count from the tail (count < 0),
// or all of them (0). DecodeInt gives the number removed.
func RemOp(db int, key []byte, count int64, val []byte) strkv.Mutation {
	var e wire.Enc
	e.Uvarint(uint64(db))
	e.Bytes(key)
	e.Varint(count)
	e.Bytes(val)
	return strkv.Mutation{Op: opRem, Args: e.B}
}

func mutRem(m layers.Mutator, args []byte) ([]byte, error) {
	d := wire.Dec{B: args}
	db := strkv.DecodeDB(&d)
	key := d.Bytes()
	count := d.Varint()
	val := d.Bytes()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("lrem: %w", err)
	}
	l, wrong, err := loadList(m, db, key)
	switch {
	case err != nil:
		return nil, fmt.Errorf("lrem: %w", err)
	case wrong:
		return statusResult(resWrongType), nil
	case !l.exists():
		return intResult(0), nil
	}
	// Find the indexes to remove, scanning from the end count names.
	limit := count
	if limit < 0 {
		limit = -limit
		if limit < 0 { // -MinInt64
			limit = l.n
		}
	}
	var lo, hi, removed int64 = l.n, -1, 0
	err = scanRange(m, l.space, l.head, 0, l.n, count < 0, func(i int64, v []byte) bool {
		if bytes.Equal(v, val) {
			lo, hi = min(lo, i), max(hi, i)
			removed++
		}
		return limit == 0 || removed < limit
	})
	if err != nil {
		return nil, fmt.Errorf("lrem: %w", err)
	}
	if removed == 0 {
		return intResult(0), nil
	}
	// Rewrite the shorter window that holds every removed element: [lo, n)
	// compacted towards the head, or [0, hi] compacted towards the tail.
	from, to := lo, l.n
	towardsTail := hi+1 < l.n-lo
	if towardsTail {
		from, to = 0, hi+1
	}
	es, err := l.elems(m, from, to)
	if err != nil {
		return nil, fmt.Errorf("lrem: %w", err)
	}
	// Within the window, the removed elements are the first (or last, when
	// scanning from the tail) `removed` matches in scan order.
	keep := make([][]byte, 0, len(es))
	left := removed
	if count < 0 {
		for j := len(es) - 1; j >= 0; j-- {
			if left > 0 && bytes.Equal(es[j], val) {
				left--
				continue
			}
			keep = append(keep, es[j])
		}
		for a, b := 0, len(keep)-1; a < b; a, b = a+1, b-1 {
			keep[a], keep[b] = keep[b], keep[a]
		}
	} else {
		for _, e := range es {
			if left > 0 && bytes.Equal(e, val) {
				left--
				continue
			}
			keep = append(keep, e)
		}
	}
	if towardsTail {
		newHead := l.head + removed
		deleteElems(m, l.space, l.head, newHead)
		for j, e := range keep {
			m.Set(elemKey(l.space, newHead+int64(j)), e)
		}
		l.head = newHead
	} else {
		for j, e := range keep {
			m.Set(l.at(from+int64(j)), e)
		}
		deleteElems(m, l.space, l.head+l.n-removed, l.head+l.n)
	}
	l.n -= removed
	l.save(m)
	notifyKeyspace(m, "lrem", db, key, l.n == 0)
	return intResult(removed), nil
}

// pointDeleteMax is the most elements deleteElems removes key by key. A
// range delete costs every later read of the memtable until it is
// flushed (the engine fragments the memtable's range tombstones again
// after each new one), so the LPUSH + LTRIM of a capped list must not
// issue one per command.
const pointDeleteMax = 64

// deleteElems removes the elements at absolute positions [from, to).
func deleteElems(m layers.Mutator, space subspace.Subspace, from, to int64) {
	if to-from > pointDeleteMax {
		m.DeleteRange(elemKey(space, from), elemKey(space, to))
		return
	}
	for i := from; i < to; i++ {
		m.Delete(elemKey(space, i))
	}
}

// TrimOp prepares LTRIM key start stop (Redis indexes, inclusive).
// DecodeStatus gives nil or strkv.ErrWrongType.
func TrimOp(db int, key []byte, start, stop int64) strkv.Mutation {
	var e wire.Enc
	e.Uvarint(uint64(db))
	e.Bytes(key)
	e.Varint(start)
	e.Varint(stop)
	return strkv.Mutation{Op: opTrim, Args: e.B}
}

func mutTrim(m layers.Mutator, args []byte) ([]byte, error) {
	d := wire.Dec{B: args}
	db := strkv.DecodeDB(&d)
	key := d.Bytes()
	start := d.Varint()
	stop := d.Varint()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("ltrim: %w", err)
	}
	l, wrong, err := loadList(m, db, key)
	switch {
	case err != nil:
		return nil, fmt.Errorf("ltrim: %w", err)
	case wrong:
		return statusResult(resWrongType), nil
	case !l.exists():
		return statusResult(resOK), nil
	}
	from, to, ok := clampRange(start, stop, l.n)
	if !ok {
		from, to = 0, 0
	}
	if from > 0 {
		deleteElems(m, l.space, l.head, l.head+from)
	}
	if to < l.n {
		deleteElems(m, l.space, l.head+to, l.head+l.n)
	}
	l.head += from
	l.n = to - from
	l.save(m)
	notifyKeyspace(m, "ltrim", db, key, l.n == 0)
	return statusResult(resOK), nil
}

// clampRange turns Redis's inclusive start and stop indexes (negative
// counting from the tail) into the half-open range [from, to) of a list
// of n elements; ok is false when the range is empty.
func clampRange(start, stop, n int64) (from, to int64, ok bool) {
	if start < 0 {
		start += n
	}
	if stop < 0 {
		stop += n
	}
	if start < 0 {
		start = 0
	}
	if start > stop || start >= n {
		return 0, 0, false
	}
	if stop >= n {
		stop = n - 1
	}
	return start, stop + 1, true
}
