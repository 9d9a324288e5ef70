package zsetkv

import (
	"fmt"
	"math"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/internal/wire"
	"github.com/aspen-db/aspen/layers/strkv"
)

// This file holds the deterministic mutations of the sorted set commands:
// how each is encoded, run at apply time, and decoded.

// The names under which Mutations registers this layer's operations.
const (
	opAdd        = "zsetkv.add"
	opRem        = "zsetkv.rem"
	opRemRange   = "zsetkv.remrange"
	opPop        = "zsetkv.pop"
	opStore      = "zsetkv.store"
	opRangeStore = "zsetkv.rangestore"
)

// Mutations returns the deterministic operations this layer commits. The
// store must be opened with them registered (every replica alike).
func Mutations() map[string]layers.MutationFunc {
	return map[string]layers.MutationFunc{
		opAdd:        mutAdd,
		opRem:        mutRem,
		opRemRange:   mutRemRange,
		opPop:        mutPop,
		opStore:      mutStore,
		opRangeStore: mutRangeStore,
	}
}

// AddTopic is the topic of the event a mutation emits when it adds
// members to a sorted set (ZADD, ZINCRBY, the STORE commands): the payload
// names the key (DecodeKeyEvent reads it). Blocked BZPOPMIN/BZPOPMAX
// clients wake on it.
const AddTopic = "zsetkv.add"

// DecodeKeyEvent reads the key an AddTopic event names; ok is false for a
// payload it cannot read.
func DecodeKeyEvent(payload []byte) (db int, key []byte, ok bool) {
	db, key, err := strkv.DecodeKeyEvent(payload)
	return db, key, err == nil
}

// Result status bytes: the first byte of every result. Client errors
// travel here; a Go error would fail the whole commit on every replica.
const (
	resOK byte = iota
	resWrongType
	resNaN
)

func statusErr(st byte) error {
	switch st {
	case resOK:
		return nil
	case resWrongType:
		return ErrWrongType
	case resNaN:
		return ErrNaN
	default:
		return fmt.Errorf("zset result status %d: %w", st, wire.ErrMalformed)
	}
}

// clientStatus turns a client error into its status byte; other errors
// stay Go errors.
func clientStatus(err error) ([]byte, error) {
	switch err {
	case ErrWrongType:
		return []byte{resWrongType}, nil
	case ErrNaN:
		return []byte{resNaN}, nil
	}
	return nil, err
}

// AddOptions are ZADD's flags.
type AddOptions struct {
	NX, XX, GT, LT bool
	// CH counts changed members as well as added ones.
	CH bool
	// Incr adds the score to the member's (ZADD INCR, ZINCRBY): one pair
	// only.
	Incr bool
}

const (
	fNX = 1 << iota
	fXX
	fGT
	fLT
	fCH
	fIncr
)

// AddOp prepares a ZADD of entries to key in db. Scores must not be NaN.
func AddOp(db int, key []byte, opt AddOptions, es []Entry) strkv.Mutation {
	var e wire.Enc
	e.Uvarint(uint64(db))
	e.Bytes(key)
	var f byte
	for _, x := range []struct {
		on  bool
		bit byte
	}{{opt.NX, fNX}, {opt.XX, fXX}, {opt.GT, fGT}, {opt.LT, fLT}, {opt.CH, fCH}, {opt.Incr, fIncr}} {
		if x.on {
			f |= x.bit
		}
	}
	e.Byte(f)
	e.Uvarint(uint64(len(es)))
	for _, x := range es {
		e.Float64(x.Score)
		e.Bytes(x.Member)
	}
	return strkv.Mutation{Op: opAdd, Args: e.B}
}

// AddResult is what a ZADD did.
type AddResult struct {
	// Count is the members added (and changed, with CH).
	Count int64
	// For INCR: whether the member was written (false when NX, XX, GT or
	// LT stopped it) and its new score.
	Done  bool
	Score float64
}

// DecodeAdd decodes the result of an AddOp: ErrWrongType, ErrNaN or what
// the command did.
func DecodeAdd(res []byte) (AddResult, error) {
	d := wire.Dec{B: res}
	if err := statusErr(d.Byte()); err != nil {
		return AddResult{}, err
	}
	r := AddResult{Count: int64(d.Uvarint()), Done: d.Bool(), Score: d.Float64()}
	if err := d.Done(); err != nil {
		return AddResult{}, fmt.Errorf("zadd result: %w", err)
	}
	return r, nil
}

func mutAdd(m layers.Mutator, args []byte) ([]byte, error) {
	d := wire.Dec{B: args}
	db := strkv.DecodeDB(&d)
	key := d.Bytes()
	f := d.Byte()
	n := d.Uvarint()
	if d.Err == nil && n > uint64(len(d.B))/9 {
		d.Fail("pair count")
	}
	es := make([]Entry, 0, n)
	for i := uint64(0); i < n && d.Err == nil; i++ {
		s := d.Float64()
		es = append(es, Entry{Score: s, Member: d.Bytes()})
	}
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("zadd: %w", err)
	}
	e, err := LoadEdit(m, db, key)
	if err != nil {
		return clientStatus(err)
	}
	var added, changed int64
	done := false
	var last float64
	for _, x := range es {
		old, exists, err := e.Set().Score(x.Member)
		if err != nil {
			return nil, fmt.Errorf("zadd: %w", err)
		}
		score := x.Score
		if exists {
			if f&fNX != 0 {
				continue
			}
			if f&fIncr != 0 {
				score += old
				if math.IsNaN(score) {
					return []byte{resNaN}, nil
				}
			}
			if (f&fLT != 0 && score >= old) || (f&fGT != 0 && score <= old) {
				continue
			}
			done, last = true, score
			if score != old {
				if _, _, err := e.Add(x.Member, score); err != nil {
					return nil, fmt.Errorf("zadd: %w", err)
				}
				changed++
			}
			continue
		}
		if f&fXX != 0 {
			continue
		}
		if _, _, err := e.Add(x.Member, score); err != nil {
			return nil, fmt.Errorf("zadd: %w", err)
		}
		added++
		done, last = true, score
	}
	e.Finish()
	if added+changed > 0 {
		if f&fIncr != 0 {
			e.Announce("zincr")
		} else {
			e.Announce("zadd")
		}
	}
	var out wire.Enc
	out.Byte(resOK)
	if f&fCH != 0 {
		added += changed
	}
	out.Uvarint(uint64(added))
	out.Bool(done)
	out.Float64(last)
	return out.B, nil
}

// RemOp prepares a ZREM of members from key in db.
func RemOp(db int, key []byte, members [][]byte) strkv.Mutation {
	var e wire.Enc
	e.Uvarint(uint64(db))
	e.Bytes(key)
	e.BytesList(members)
	return strkv.Mutation{Op: opRem, Args: e.B}
}

// DecodeCount decodes the result of a RemOp, RemRangeOp, StoreOp or
// RangeStoreOp: how many members were removed or stored, or ErrWrongType.
func DecodeCount(res []byte) (int64, error) {
	d := wire.Dec{B: res}
	if err := statusErr(d.Byte()); err != nil {
		return 0, err
	}
	n := d.Uvarint()
	if err := d.Done(); err != nil {
		return 0, fmt.Errorf("zset count result: %w", err)
	}
	return int64(n), nil
}

func countResult(n int64) []byte {
	var out wire.Enc
	out.Byte(resOK)
	out.Uvarint(uint64(n))
	return out.B
}

func mutRem(m layers.Mutator, args []byte) ([]byte, error) {
	d := wire.Dec{B: args}
	db := strkv.DecodeDB(&d)
	key := d.Bytes()
	members := d.BytesList()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("zrem: %w", err)
	}
	e, err := LoadEdit(m, db, key)
	if err != nil {
		return clientStatus(err)
	}
	var n int64
	for _, mb := range members {
		ok, err := e.Remove(mb)
		if err != nil {
			return nil, fmt.Errorf("zrem: %w", err)
		}
		if ok {
			n++
		}
	}
	e.Finish()
	if n > 0 {
		e.Announce("zrem")
	}
	return countResult(n), nil
}

func encodeLexBound(e *wire.Enc, b LexBound) {
	e.Varint(int64(b.Inf))
	e.Bool(b.Exclusive)
	e.Bytes(b.Value)
}

func decodeLexBound(d *wire.Dec) LexBound {
	return LexBound{Inf: int(d.Varint()), Exclusive: d.Bool(), Value: d.Bytes()}
}

func encodeRange(e *wire.Enc, r Range) {
	e.Byte(byte(r.By))
	e.Bool(r.Rev)
	e.Int64(r.Start)
	e.Int64(r.Stop)
	e.Float64(r.Score.Min.Value)
	e.Bool(r.Score.Min.Exclusive)
	e.Float64(r.Score.Max.Value)
	e.Bool(r.Score.Max.Exclusive)
	encodeLexBound(e, r.Lex.Min)
	encodeLexBound(e, r.Lex.Max)
	e.Int64(r.Offset)
	e.Int64(r.Count)
}

func decodeRange(d *wire.Dec) Range {
	var r Range
	r.By = RangeBy(d.Byte())
	r.Rev = d.Bool()
	r.Start = d.Int64()
	r.Stop = d.Int64()
	r.Score.Min.Value = d.Float64()
	r.Score.Min.Exclusive = d.Bool()
	r.Score.Max.Value = d.Float64()
	r.Score.Max.Exclusive = d.Bool()
	r.Lex.Min = decodeLexBound(d)
	r.Lex.Max = decodeLexBound(d)
	r.Offset = d.Int64()
	r.Count = d.Int64()
	return r
}

// RemRangeOp prepares a ZREMRANGEBYRANK, ZREMRANGEBYSCORE or
// ZREMRANGEBYLEX of key in db: r.Rev, Offset and Count are ignored.
func RemRangeOp(db int, key []byte, r Range) strkv.Mutation {
	var e wire.Enc
	e.Uvarint(uint64(db))
	e.Bytes(key)
	encodeRange(&e, r)
	return strkv.Mutation{Op: opRemRange, Args: e.B}
}

func mutRemRange(m layers.Mutator, args []byte) ([]byte, error) {
	d := wire.Dec{B: args}
	db := strkv.DecodeDB(&d)
	key := d.Bytes()
	r := decodeRange(&d)
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("zremrange: %w", err)
	}
	r.Rev = false
	e, err := LoadEdit(m, db, key)
	if err != nil {
		return clientStatus(err)
	}
	n, err := e.RemoveRange(r)
	if err != nil {
		return nil, fmt.Errorf("zremrange: %w", err)
	}
	e.Finish()
	if n > 0 {
		e.Announce(remRangeEvents[r.By])
	}
	return countResult(n), nil
}

// PopOp prepares a ZPOPMIN (ZPOPMAX when highest) of up to count members
// from the first of keys in db that holds a non-empty sorted set; BZPOPMIN
// passes several keys.
func PopOp(db int, keys [][]byte, highest bool, count int64) strkv.Mutation {
	var e wire.Enc
	e.Uvarint(uint64(db))
	e.BytesList(keys)
	e.Bool(highest)
	e.Int64(count)
	return strkv.Mutation{Op: opPop, Args: e.B}
}

// PopResult is what a PopOp did: the index in keys of the key it popped
// from (-1 when every key was empty) and the members popped, in order.
type PopResult struct {
	Key     int
	Entries []Entry
}

// DecodePop decodes the result of a PopOp, or ErrWrongType.
func DecodePop(res []byte) (PopResult, error) {
	d := wire.Dec{B: res}
	if err := statusErr(d.Byte()); err != nil {
		return PopResult{}, err
	}
	r := PopResult{Key: int(d.Varint())}
	n := d.Uvarint()
	if d.Err == nil && n > uint64(len(d.B)) {
		d.Fail("entry count")
	}
	for i := uint64(0); i < n && d.Err == nil; i++ {
		r.Entries = append(r.Entries, Entry{Member: d.Bytes(), Score: d.Float64()})
	}
	if err := d.Done(); err != nil {
		return PopResult{}, fmt.Errorf("zpop result: %w", err)
	}
	return r, nil
}

func mutPop(m layers.Mutator, args []byte) ([]byte, error) {
	d := wire.Dec{B: args}
	db := strkv.DecodeDB(&d)
	keys := d.BytesList()
	highest := d.Bool()
	count := d.Int64()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("zpop: %w", err)
	}
	var out wire.Enc
	for i, k := range keys {
		e, err := LoadEdit(m, db, k)
		if err != nil {
			return clientStatus(err)
		}
		if e.Set().Card() == 0 {
			continue
		}
		es, err := e.Pop(count, highest)
		if err != nil {
			return nil, fmt.Errorf("zpop: %w", err)
		}
		e.Finish()
		if len(es) > 0 {
			if highest {
				e.Announce("zpopmax")
			} else {
				e.Announce("zpopmin")
			}
		}
		out.Byte(resOK)
		out.Varint(int64(i))
		out.Uvarint(uint64(len(es)))
		for _, x := range es {
			out.Bytes(x.Member)
			out.Float64(x.Score)
		}
		return out.B, nil
	}
	out.Byte(resOK)
	out.Varint(-1)
	out.Uvarint(0)
	return out.B, nil
}

// StoreOp prepares a ZUNIONSTORE, ZINTERSTORE or ZDIFFSTORE into dst of
// the inputs at keys in db (see Combine).
func StoreOp(db int, dst []byte, op SetOp, keys [][]byte, weights []float64, agg Aggregate) strkv.Mutation {
	var e wire.Enc
	e.Uvarint(uint64(db))
	e.Bytes(dst)
	e.Byte(byte(op))
	e.BytesList(keys)
	e.Uvarint(uint64(len(weights)))
	for _, w := range weights {
		e.Float64(w)
	}
	e.Byte(byte(agg))
	return strkv.Mutation{Op: opStore, Args: e.B}
}

// store replaces dst with es; event names the command's notification.
func store(m layers.Mutator, db int, dst []byte, es []Entry, event string) ([]byte, error) {
	e, err := ReplaceEdit(m, db, dst)
	if err != nil {
		return nil, err
	}
	if err := e.fill(es); err != nil {
		return nil, err
	}
	e.Finish()
	e.AnnounceStore(event)
	return countResult(int64(len(es))), nil
}

func mutStore(m layers.Mutator, args []byte) ([]byte, error) {
	d := wire.Dec{B: args}
	db := strkv.DecodeDB(&d)
	dst := d.Bytes()
	op := SetOp(d.Byte())
	keys := d.BytesList()
	nw := d.Uvarint()
	if d.Err == nil && nw > uint64(len(d.B))/8 {
		d.Fail("weight count")
	}
	weights := make([]float64, 0, nw)
	for i := uint64(0); i < nw && d.Err == nil; i++ {
		weights = append(weights, d.Float64())
	}
	agg := Aggregate(d.Byte())
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("zstore: %w", err)
	}
	r := strkv.NewReader(m, m.Now().UnixMilli())
	strkv.AnnounceMisses(r, m) // Redis reads the sources with lookupKeyRead
	es, err := Combine(r, db, op, keys, weights, agg)
	if err != nil {
		return clientStatus(err)
	}
	res, err := store(m, db, dst, es, storeEvents[op])
	if err != nil {
		return nil, fmt.Errorf("zstore: %w", err)
	}
	return res, nil
}

// RangeStoreOp prepares a ZRANGESTORE into dst of the members r selects
// from src in db.
func RangeStoreOp(db int, dst, src []byte, r Range) strkv.Mutation {
	var e wire.Enc
	e.Uvarint(uint64(db))
	e.Bytes(dst)
	e.Bytes(src)
	encodeRange(&e, r)
	return strkv.Mutation{Op: opRangeStore, Args: e.B}
}

func mutRangeStore(m layers.Mutator, args []byte) ([]byte, error) {
	d := wire.Dec{B: args}
	db := strkv.DecodeDB(&d)
	dst := d.Bytes()
	src := d.Bytes()
	rg := decodeRange(&d)
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("zrangestore: %w", err)
	}
	r := strkv.NewReader(m, m.Now().UnixMilli())
	strkv.AnnounceMisses(r, m) // Redis reads the source with lookupKeyRead
	s, err := Open(r, db, src)
	if err != nil {
		return clientStatus(err)
	}
	es, err := s.Range(rg)
	if err != nil {
		return nil, fmt.Errorf("zrangestore: %w", err)
	}
	res, err := store(m, db, dst, es, "zrangestore")
	if err != nil {
		return nil, fmt.Errorf("zrangestore: %w", err)
	}
	return res, nil
}

// remRangeEvents names the notification of each kind of ZREMRANGEBY*.
var remRangeEvents = map[RangeBy]string{
	ByRank:  "zremrangebyrank",
	ByScore: "zremrangebyscore",
	ByLex:   "zremrangebylex",
}

// storeEvents names the notification of each kind of STORE.
var storeEvents = map[SetOp]string{
	OpUnion: "zunionstore",
	OpInter: "zinterstore",
	OpDiff:  "zdiffstore",
}
