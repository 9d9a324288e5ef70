package setkv

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/internal/wire"
	"github.com/aspen-db/aspen/layers/strkv"
)

// The names under which Mutations registers this layer's operations.
const (
	opAdd   = "setkv.add"
	opRem   = "setkv.rem"
	opPop   = "setkv.pop"
	opMove  = "setkv.move"
	opStore = "setkv.store"
)

// Mutations returns the deterministic operations this layer commits. The
// store must be opened with them registered (every replica alike), with
// strkv's.
func Mutations() map[string]layers.MutationFunc {
	return map[string]layers.MutationFunc{
		opAdd:   mutAdd,
		opRem:   mutRem,
		opPop:   mutPop,
		opMove:  mutMove,
		opStore: mutStore,
	}
}

// Result status bytes: the first byte of every mutation result. The
// client's errors travel here, not as a Go error (which would fail the
// whole commit on every replica).
const (
	resOK byte = iota
	resWrongType
)

// errMalformed is wrapped by the errors for arguments or results this
// package cannot decode: only a bug produces it.
var errMalformed = wire.ErrMalformed

// StoreKind says which set operation a STORE mutation computes.
type StoreKind byte

// The set operations of SINTERSTORE, SUNIONSTORE and SDIFFSTORE.
const (
	StoreInter StoreKind = iota + 1
	StoreUnion
	StoreDiff
)

func encodeKeyMembers(db int, key []byte, members [][]byte) []byte {
	var e wire.Enc
	e.Uvarint(uint64(db))
	e.Bytes(key)
	e.BytesList(members)
	return e.B
}

// AddOp prepares an SADD of members to the set at key in db. Decode its
// result with DecodeCount: the number of members added.
func AddOp(db int, key []byte, members ...[]byte) strkv.Mutation {
	return strkv.Mutation{Op: opAdd, Args: encodeKeyMembers(db, key, members)}
}

// RemOp prepares an SREM of members from the set at key in db. Decode its
// result with DecodeCount: the number of members removed.
func RemOp(db int, key []byte, members ...[]byte) strkv.Mutation {
	return strkv.Mutation{Op: opRem, Args: encodeKeyMembers(db, key, members)}
}

// PopOp prepares an SPOP of count members of the set at key in db; a
// negative count is SPOP without a count (one member). Decode its result
// with DecodeMembers.
func PopOp(db int, key []byte, count int64) strkv.Mutation {
	var e wire.Enc
	e.Uvarint(uint64(db))
	e.Bytes(key)
	e.Varint(count)
	return strkv.Mutation{Op: opPop, Args: e.B}
}

// MoveOp prepares an SMOVE of member from the set at src to the set at dst
// in db. Decode its result with DecodeCount: 1 if moved, else 0.
func MoveOp(db int, src, dst, member []byte) strkv.Mutation {
	var e wire.Enc
	e.Uvarint(uint64(db))
	e.Bytes(src)
	e.Bytes(dst)
	e.Bytes(member)
	return strkv.Mutation{Op: opMove, Args: e.B}
}

// StoreOp prepares an SINTERSTORE, SUNIONSTORE or SDIFFSTORE (kind) of
// the sets at keys into dst in db, computed at apply time. Decode its
// result with DecodeCount: the size of the stored set.
func StoreOp(db int, kind StoreKind, dst []byte, keys ...[]byte) strkv.Mutation {
	var e wire.Enc
	e.Uvarint(uint64(db))
	e.Byte(byte(kind))
	e.Bytes(dst)
	e.BytesList(keys)
	return strkv.Mutation{Op: opStore, Args: e.B}
}

// statusErr maps a result status byte to its error.
func statusErr(st byte) error {
	switch st {
	case resOK:
		return nil
	case resWrongType:
		return strkv.ErrWrongType
	default:
		return fmt.Errorf("setkv: result status %d: %w", st, errMalformed)
	}
}

// DecodeCount decodes the result of an AddOp, RemOp, MoveOp or StoreOp,
// or strkv.ErrWrongType.
func DecodeCount(res []byte) (int64, error) {
	d := wire.Dec{B: res}
	if err := statusErr(d.Byte()); err != nil {
		return 0, err
	}
	n := d.Uvarint()
	if err := d.Done(); err != nil {
		return 0, fmt.Errorf("setkv: count result: %w", err)
	}
	return int64(n), nil
}

// DecodeMembers decodes the result of a PopOp: the members popped (none
// when the key did not exist), or strkv.ErrWrongType. The members alias
// res.
func DecodeMembers(res []byte) ([][]byte, error) {
	d := wire.Dec{B: res}
	if err := statusErr(d.Byte()); err != nil {
		return nil, err
	}
	ms := d.BytesList()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("setkv: members result: %w", err)
	}
	return ms, nil
}

func countResult(n int64) []byte {
	var e wire.Enc
	e.Byte(resOK)
	e.Uvarint(uint64(n))
	return e.B
}

var wrongType = []byte{resWrongType}

// loadSet loads key at apply time: its state and, when it is a live set,
// the set itself (ok).
func loadSet(m layers.Mutator, db int, key []byte) (k strkv.KeyState, s set, ok bool, err error) {
	k, err = strkv.LoadKey(m, db, key)
	if err != nil || !k.Is(strkv.TypeSet) {
		return k, set{}, false, err
	}
	s, err = fromMeta(db, key, k.Meta)
	return k, s, err == nil, err
}

// putSet writes k's record as a set of card members of incarnation
// version, keeping the expiry of a live key.
func putSet(m layers.Mutator, k strkv.KeyState, version uint64, card int64) {
	nm := strkv.Meta{Type: strkv.TypeSet, Version: version, Value: encodeCard(card)}
	if k.Live {
		nm.ExpireAt = k.Meta.ExpireAt
	}
	strkv.PutKey(m, k, nm)
}

// mutAdd result: status, members added (uvarint).
func mutAdd(m layers.Mutator, args []byte) ([]byte, error) {
	d := wire.Dec{B: args}
	db := strkv.DecodeDB(&d)
	key := d.Bytes()
	members := d.BytesList()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("sadd: %w", err)
	}
	k, s, ok, err := loadSet(m, db, key)
	if err != nil {
		return nil, fmt.Errorf("sadd: %w", err)
	}
	if k.WrongType(strkv.TypeSet) {
		return wrongType, nil
	}
	if !ok {
		v := k.NextVersion(strkv.TypeSet, m.Now())
		s = set{key: key, version: v, sp: strkv.MemberSpace(db, key, v)}
	}
	// Find the new members first: the record goes before the members, as
	// writing a new incarnation's record clears the key's member range.
	var fresh [][]byte
	seen := make(map[string]struct{}, min(len(members), 1024))
	for _, mb := range members {
		if _, dup := seen[string(mb)]; dup {
			continue
		}
		seen[string(mb)] = struct{}{}
		if ok {
			in, err := s.has(m, mb)
			if err != nil {
				return nil, fmt.Errorf("sadd: %w", err)
			}
			if in {
				continue
			}
		}
		fresh = append(fresh, mb)
	}
	if len(fresh) == 0 {
		return countResult(0), nil
	}
	putSet(m, k, s.version, s.card+int64(len(fresh)))
	for _, mb := range fresh {
		m.Set(s.memberKey(mb), nil)
	}
	strkv.NotifyKey(m, strkv.NotifySet, "sadd", db, key)
	return countResult(int64(len(fresh))), nil
}

// mutRem result: status, members removed (uvarint).
func mutRem(m layers.Mutator, args []byte) ([]byte, error) {
	d := wire.Dec{B: args}
	db := strkv.DecodeDB(&d)
	key := d.Bytes()
	members := d.BytesList()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("srem: %w", err)
	}
	k, s, ok, err := loadSet(m, db, key)
	switch {
	case err != nil:
		return nil, fmt.Errorf("srem: %w", err)
	case k.WrongType(strkv.TypeSet):
		return wrongType, nil
	case !ok:
		return countResult(0), nil
	}
	var removed int64
	for _, mb := range members {
		in, err := s.has(m, mb)
		if err != nil {
			return nil, fmt.Errorf("srem: %w", err)
		}
		if in {
			m.Delete(s.memberKey(mb))
			removed++
		}
	}
	if err := shrink(m, k, s, removed); err != nil {
		return nil, fmt.Errorf("srem: %w", err)
	}
	notifyShrink(m, "srem", k, s, removed)
	return countResult(removed), nil
}

// shrink records that removed members left the set s at k, deleting the
// key when none is left.
func shrink(m layers.Mutator, k strkv.KeyState, s set, removed int64) error {
	switch {
	case removed == 0:
		return nil
	case removed > s.card:
		return fmt.Errorf("set %q: removed %d of %d members: %w", s.key, removed, s.card, ErrCorrupt)
	case removed == s.card:
		strkv.RemoveKey(m, k)
	default:
		putSet(m, k, s.version, s.card-removed)
	}
	return nil
}

// notifyShrink announces a removal of members (event, then "del" when the
// set went), as Redis does; nothing when nothing was removed.
func notifyShrink(m layers.Mutator, event string, k strkv.KeyState, s set, removed int64) {
	if removed == 0 {
		return
	}
	strkv.NotifyKey(m, strkv.NotifySet, event, k.DB, k.Key)
	if removed >= s.card {
		strkv.NotifyKey(m, strkv.NotifyGeneric, "del", k.DB, k.Key)
	}
}

// seededRand returns the generator a mutation draws with: seeded by the
// commit time and the mutation's arguments, so every replica draws alike.
func seededRand(m layers.Mutator, op string, args []byte) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(op))
	h.Write(args)
	return rand.New(rand.NewPCG(uint64(m.Now().UnixNano()), h.Sum64()))
}

// mutPop result: status, members popped (a list).
func mutPop(m layers.Mutator, args []byte) ([]byte, error) {
	d := wire.Dec{B: args}
	db := strkv.DecodeDB(&d)
	key := d.Bytes()
	count := d.Varint()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("spop: %w", err)
	}
	k, s, ok, err := loadSet(m, db, key)
	switch {
	case err != nil:
		return nil, fmt.Errorf("spop: %w", err)
	case k.WrongType(strkv.TypeSet):
		return wrongType, nil
	case !ok || count == 0:
		return membersResult(nil), nil
	}
	var popped [][]byte
	switch {
	case count >= s.card:
		popped, err = s.all(m)
	case count < 0:
		popped, err = s.pickRepeats(m, 1, seededRand(m, opPop, args))
	default:
		popped, err = s.pickDistinct(m, count, seededRand(m, opPop, args))
	}
	if err != nil {
		return nil, fmt.Errorf("spop: %w", err)
	}
	for _, mb := range popped {
		m.Delete(s.memberKey(mb))
	}
	if err := shrink(m, k, s, int64(len(popped))); err != nil {
		return nil, fmt.Errorf("spop: %w", err)
	}
	notifyShrink(m, "spop", k, s, int64(len(popped)))
	return membersResult(popped), nil
}

func membersResult(ms [][]byte) []byte {
	e := wire.Enc{B: []byte{resOK}}
	e.BytesList(ms)
	return e.B
}

// mutMove result: status, moved (uvarint 0/1).
func mutMove(m layers.Mutator, args []byte) ([]byte, error) {
	d := wire.Dec{B: args}
	db := strkv.DecodeDB(&d)
	srcKey := d.Bytes()
	dstKey := d.Bytes()
	member := d.Bytes()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("smove: %w", err)
	}
	sk, src, ok, err := loadSet(m, db, srcKey)
	if err != nil {
		return nil, fmt.Errorf("smove: %w", err)
	}
	if !sk.Live {
		return countResult(0), nil // Redis answers 0 before checking types
	}
	dk, dst, dstOK, err := loadSet(m, db, dstKey)
	if err != nil {
		return nil, fmt.Errorf("smove: %w", err)
	}
	if !ok || dk.WrongType(strkv.TypeSet) {
		return wrongType, nil
	}
	in, err := src.has(m, member)
	if err != nil {
		return nil, fmt.Errorf("smove: %w", err)
	}
	if !in {
		return countResult(0), nil
	}
	if bytes.Equal(srcKey, dstKey) {
		return countResult(1), nil
	}
	m.Delete(src.memberKey(member))
	if err := shrink(m, sk, src, 1); err != nil {
		return nil, fmt.Errorf("smove: %w", err)
	}
	notifyShrink(m, "srem", sk, src, 1)
	if dstOK {
		in, err := dst.has(m, member)
		if err != nil {
			return nil, fmt.Errorf("smove: %w", err)
		}
		if in {
			return countResult(1), nil
		}
	} else {
		v := dk.NextVersion(strkv.TypeSet, m.Now())
		dst = set{key: dstKey, version: v, sp: strkv.MemberSpace(db, dstKey, v)}
	}
	putSet(m, dk, dst.version, dst.card+1)
	m.Set(dst.memberKey(member), nil)
	strkv.NotifyKey(m, strkv.NotifySet, "sadd", db, dstKey)
	return countResult(1), nil
}

// storeEvents names the notification of each kind of store.
var storeEvents = map[StoreKind]string{
	StoreInter: "sinterstore",
	StoreUnion: "sunionstore",
	StoreDiff:  "sdiffstore",
}

// mutStore result: status, size of the stored set (uvarint).
func mutStore(m layers.Mutator, args []byte) ([]byte, error) {
	d := wire.Dec{B: args}
	db := strkv.DecodeDB(&d)
	kind := StoreKind(d.Byte())
	dstKey := d.Bytes()
	keys := d.BytesList()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("set store: %w", err)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("set store: no source keys: %w", errMalformed)
	}
	now := m.Now()
	r := strkv.NewReader(m, now.UnixMilli())
	strkv.AnnounceMisses(r, m) // Redis reads the sources with lookupKeyRead
	var res [][]byte
	var err error
	switch kind {
	case StoreInter:
		res, err = Inter(r, db, keys)
	case StoreUnion:
		res, err = Union(r, db, keys)
	case StoreDiff:
		res, err = Diff(r, db, keys)
	default:
		return nil, fmt.Errorf("set store: kind %d: %w", kind, errMalformed)
	}
	if errors.Is(err, strkv.ErrWrongType) {
		return wrongType, nil
	}
	if err != nil {
		return nil, fmt.Errorf("set store: %w", err)
	}
	k, err := strkv.LoadKey(m, db, dstKey)
	if err != nil {
		return nil, fmt.Errorf("set store: %w", err)
	}
	if len(res) == 0 {
		strkv.RemoveKey(m, k)
		if k.Live {
			strkv.NotifyKey(m, strkv.NotifyGeneric, "del", db, dstKey)
		}
		return countResult(0), nil
	}
	// Always a new incarnation without expiry, as Redis replaces the
	// destination whatever it held.
	v := uint64(max(now.UnixMicro(), 0))
	if k.Stored && k.Meta.Version >= v {
		v = k.Meta.Version + 1
	}
	strkv.PutKey(m, k, strkv.Meta{Type: strkv.TypeSet, Version: v, Value: encodeCard(int64(len(res)))})
	sp := strkv.MemberSpace(db, dstKey, v)
	s := set{key: dstKey, version: v, sp: sp}
	for _, mb := range res {
		m.Set(s.memberKey(mb), nil)
	}
	strkv.NotifyKey(m, strkv.NotifySet, storeEvents[kind], db, dstKey)
	return countResult(int64(len(res))), nil
}
