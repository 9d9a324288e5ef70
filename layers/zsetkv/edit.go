package zsetkv

import (
	"bytes"
	"fmt"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/strkv"
)

// This file is the write side: Edit changes one sorted set inside a
// deterministic mutation, keeping both indexes, the member count and the
// key record in step.

// Edit is a sorted set being changed by a mutation. Make one with
// LoadEdit or ReplaceEdit, change it, then call Finish.
type Edit struct {
	m     layers.Mutator
	k     strkv.KeyState
	set   Set
	ver   uint64
	ready bool // the incarnation to write is in place
	dirty bool
	added bool // a member was added: Finish announces AddTopic
	// wasLive: the key held a live value when the edit began.
	wasLive bool
}

// LoadEdit opens the sorted set at key in db for changes at apply time.
// It fails with ErrWrongType when a live key of another type is there. A
// missing or expired key is an empty set that the first Add creates.
func LoadEdit(m layers.Mutator, db int, key []byte) (*Edit, error) {
	k, err := strkv.LoadKey(m, db, key)
	if err != nil {
		return nil, fmt.Errorf("zset: %w", err)
	}
	if k.WrongType(strkv.TypeZSet) {
		return nil, ErrWrongType
	}
	e := &Edit{m: m, k: k, wasLive: k.Live}
	if k.Is(strkv.TypeZSet) {
		if e.set, err = fromMeta(m, db, key, k.Meta); err != nil {
			return nil, err
		}
		e.ver, e.ready = k.Meta.Version, true
	} else {
		e.ver = k.NextVersion(strkv.TypeZSet, m.Now())
		e.set = Set{src: m, k: layout(db, key, e.ver)}
	}
	return e, nil
}

// ReplaceEdit starts a new, empty sorted set at key in db that replaces
// whatever the key held, of any type, and its expiry (the STORE commands).
// Finish writes it, or deletes the key when it stays empty.
func ReplaceEdit(m layers.Mutator, db int, key []byte) (*Edit, error) {
	k, err := strkv.LoadKey(m, db, key)
	if err != nil {
		return nil, fmt.Errorf("zset: %w", err)
	}
	ver := uint64(max(m.Now().UnixMicro(), 0))
	if k.Stored && k.Meta.Version >= ver {
		ver = k.Meta.Version + 1
	}
	e := &Edit{m: m, k: k, ver: ver, dirty: true, wasLive: k.Live}
	e.set = Set{src: m, k: layout(db, key, ver)}
	return e, nil
}

// Set returns the set as it stands, for reads between changes.
func (e *Edit) Set() Set { return e.set }

// prepare clears what the key held before the first write of a new
// incarnation: PutKey would otherwise range-delete the new members too.
func (e *Edit) prepare() error {
	if e.ready {
		return nil
	}
	e.ready = true
	if !e.k.Stored {
		return nil
	}
	strkv.RemoveKey(e.m, e.k)
	k, err := strkv.LoadKey(e.m, e.k.DB, e.k.Key)
	if err != nil {
		return fmt.Errorf("zset: %w", err)
	}
	e.k = k.Replacing(e.wasLive)
	return nil
}

// Add sets member's score, adding it if needed. It returns the score
// member had and whether it was there.
func (e *Edit) Add(member []byte, score float64) (old float64, existed bool, err error) {
	old, existed, err = e.set.Score(member)
	if err != nil {
		return 0, false, err
	}
	score = normScore(score)
	if existed && old == score {
		return old, true, nil
	}
	if err := e.prepare(); err != nil {
		return 0, false, err
	}
	if existed {
		if err := e.dropScoreKey(e.set.k.scoreKey(old, member)); err != nil {
			return 0, false, err
		}
	} else {
		e.set.card++
		e.added = true
	}
	sk := e.set.k.scoreKey(score, member)
	if e.set.floor != nil && bytes.Compare(sk, e.set.floor) < 0 {
		e.set.floor = sk
	}
	if e.set.ceiling != nil && bytes.Compare(sk, e.set.ceiling) >= 0 {
		e.set.ceiling = append(bytes.Clone(sk), 0)
	}
	e.m.Set(sk, nil)
	e.m.Set(e.set.k.memberKey(member), encodeScore(score))
	e.dirty = true
	return old, existed, nil
}

// Remove removes member; ok reports whether it was there.
func (e *Edit) Remove(member []byte) (ok bool, err error) {
	score, ok, err := e.set.Score(member)
	if err != nil || !ok {
		return false, err
	}
	if err := e.dropScoreKey(e.set.k.scoreKey(score, member)); err != nil {
		return false, err
	}
	e.m.Delete(e.set.k.memberKey(member))
	e.set.card--
	e.dirty = true
	return true, nil
}

// dropScoreKey deletes one score index entry. When it is the first or the
// last entry, the floor or ceiling moves past it, so a queue consumed from
// one end (ZRANGE 0 0 then ZREM) never walks over its own tombstones.
func (e *Edit) dropScoreKey(k []byte) error {
	first, last, err := e.set.ends()
	if err != nil {
		return err
	}
	e.m.Delete(k)
	if bytes.Equal(first, k) {
		e.set.floor = append(bytes.Clone(k), 0)
	}
	if bytes.Equal(last, k) {
		e.set.ceiling = bytes.Clone(k)
	}
	return nil
}

// pointDeleteMax is the longest run removeRun deletes key by key. A range
// delete costs every later read of the memtable until it is flushed (the
// engine fragments the memtable's range tombstones again after each new
// one), so the ZADD + ZREMRANGEBYRANK of a capped set, one range delete
// per command, slowed down from thousands of operations per second to
// hundreds within seconds; short runs are point deletes.
const pointDeleteMax = 64

// removeRun removes items, a run of neighbouring score index entries in
// either order, with one range delete of the score index when the run is
// longer than pointDeleteMax (see the package documentation), else point
// deletes, and a point delete per member index entry. A run at
// either end of the set moves the floor or ceiling past it, so later walks
// seek over the deleted range instead of stepping through it.
func (e *Edit) removeRun(items []item) error {
	if len(items) == 0 {
		return nil
	}
	lo, hi := items[0].key, items[len(items)-1].key
	if bytes.Compare(lo, hi) > 0 {
		lo, hi = hi, lo
	}
	first, last, err := e.set.ends()
	if err != nil {
		return err
	}
	after := append(bytes.Clone(hi), 0)
	if len(items) > pointDeleteMax {
		e.m.DeleteRange(lo, after)
	}
	for _, it := range items {
		if len(items) <= pointDeleteMax {
			e.m.Delete(it.key)
		}
		e.m.Delete(e.set.k.memberKey(it.Member))
	}
	if bytes.Equal(first, lo) {
		e.set.floor = after
	}
	if bytes.Equal(last, hi) {
		e.set.ceiling = bytes.Clone(lo)
	}
	e.set.card -= int64(len(items))
	e.dirty = true
	return nil
}

// RemoveRange removes the members r selects (ZREMRANGEBYRANK, BYSCORE,
// BYLEX) and returns how many it removed.
func (e *Edit) RemoveRange(r Range) (int64, error) {
	r.Offset, r.Count = 0, -1
	items, err := e.set.rangeItems(r)
	if err != nil {
		return 0, err
	}
	if err := e.removeRun(items); err != nil {
		return 0, err
	}
	return int64(len(items)), nil
}

// Pop removes and returns up to count members with the lowest scores, or
// the highest when highest (ZPOPMIN, ZPOPMAX), in the order popped.
func (e *Edit) Pop(count int64, highest bool) ([]Entry, error) {
	if count <= 0 || e.set.card == 0 {
		return nil, nil
	}
	begin, end := e.set.k.scores.Range()
	items, err := e.set.collect(begin, end, highest, 0, min(count, e.set.card), nil)
	if err != nil {
		return nil, err
	}
	if err := e.removeRun(items); err != nil {
		return nil, err
	}
	return entries(items), nil
}

// Finish writes the key record: the new member count, the expiry kept
// for a live key changed in place. A set left empty deletes the key, as
// Redis deletes empty collections. It writes nothing when nothing changed.
// When members were added it emits an AddTopic event naming the key, which
// wakes BZPOPMIN and BZPOPMAX waiting on it.
func (e *Edit) Finish() {
	if !e.dirty {
		return
	}
	if e.set.card <= 0 {
		strkv.RemoveKey(e.m, e.k)
		return
	}
	h := header{card: e.set.card, floor: e.set.floor, ceiling: e.set.ceiling}
	nm := strkv.Meta{Type: strkv.TypeZSet, Version: e.ver, Value: e.set.k.encodeHeader(h)}
	if e.k.Is(strkv.TypeZSet) && e.k.Meta.Version == e.ver {
		nm.ExpireAt = e.k.Meta.ExpireAt
	}
	strkv.PutKey(e.m, e.k, nm)
	if e.added {
		e.m.Notify(strkv.KeyEvent(AddTopic, e.k.DB, e.k.Key))
	}
}

// Announce emits the keyspace notification event (Redis's name) for a
// change Finish wrote, followed by "del" when Finish deleted the key, as
// Redis orders them. Call it after Finish, only when the command changed
// something.
func (e *Edit) Announce(event string) {
	strkv.NotifyKey(e.m, strkv.NotifyZset, event, e.k.DB, e.k.Key)
	if e.set.card <= 0 {
		strkv.NotifyKey(e.m, strkv.NotifyGeneric, "del", e.k.DB, e.k.Key)
	}
}

// AnnounceStore emits the notification of a STORE command after Finish:
// event when the result was stored, "del" when an empty result deleted a
// key that was there, nothing otherwise.
func (e *Edit) AnnounceStore(event string) {
	switch {
	case e.set.card > 0:
		strkv.NotifyKey(e.m, strkv.NotifyZset, event, e.k.DB, e.k.Key)
	case e.wasLive:
		strkv.NotifyKey(e.m, strkv.NotifyGeneric, "del", e.k.DB, e.k.Key)
	}
}

// fill adds entries to a set made by ReplaceEdit.
func (e *Edit) fill(es []Entry) error {
	for _, x := range es {
		if _, _, err := e.Add(x.Member, x.Score); err != nil {
			return err
		}
	}
	return nil
}
