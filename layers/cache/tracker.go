package cache

import (
	"hash/maphash"
	"math/rand/v2"
	"sync"
	"time"
)

// Tracker keeps, in memory on one node, when each key was last accessed
// and a logarithmic access-frequency counter like Redis's LFU: reads must
// not each cost a replicated write, so access clocks never enter the
// store. Its size is bounded: past the bound it forgets arbitrary keys,
// which then rank as if never accessed.
type Tracker struct {
	seed   maphash.Seed
	shards [trackerShards]trackerShard
	per    int       // entries per shard at most
	start  time.Time // keys never seen count as idle since then
}

const trackerShards = 32

type trackerShard struct {
	mu sync.Mutex
	m  map[string]access
}

// access is one key's clocks.
type access struct {
	last    int64 // Unix ms of the last access
	counter uint8 // logarithmic frequency counter
	decayed int64 // Unix minutes of the counter's last decay
}

// The LFU counter's parameters, Redis's defaults: a new key starts at
// lfuInit so it is not evicted at once; the counter grows with probability
// 1/((counter-lfuInit)*lfuLogFactor+1) per access and loses one per
// lfuDecayMinutes without access.
const (
	lfuInit         = 5
	lfuLogFactor    = 10
	lfuDecayMinutes = 1
)

// NewTracker returns a Tracker remembering about maxKeys keys.
func NewTracker(maxKeys int) *Tracker {
	t := &Tracker{seed: maphash.MakeSeed(), per: max(maxKeys/trackerShards, 16), start: time.Now()}
	for i := range t.shards {
		t.shards[i].m = make(map[string]access)
	}
	return t
}

func (t *Tracker) shard(k string) *trackerShard {
	return &t.shards[maphash.String(t.seed, k)%trackerShards]
}

func trackerKey(db int, key []byte) string {
	b := make([]byte, 0, 1+len(key))
	b = append(b, byte(db))
	return string(append(b, key...))
}

// Touch records an access to key in db at now.
func (t *Tracker) Touch(db int, key []byte, now time.Time) {
	k := trackerKey(db, key)
	sh := t.shard(k)
	ms, minutes := now.UnixMilli(), now.Unix()/60
	sh.mu.Lock()
	a, ok := sh.m[k]
	if !ok {
		if len(sh.m) >= t.per {
			sh.forget(len(sh.m) / 8)
		}
		a = access{counter: lfuInit, decayed: minutes}
	}
	a.counter = decay(a.counter, a.decayed, minutes)
	a.decayed = minutes
	a.counter = logIncr(a.counter)
	a.last = ms
	sh.m[k] = a
	sh.mu.Unlock()
}

// forget drops n arbitrary entries (Go's map order is random).
func (sh *trackerShard) forget(n int) {
	for k := range sh.m {
		if n <= 0 {
			return
		}
		delete(sh.m, k)
		n--
	}
}

// Idle returns how long ago key in db was last accessed; a key never seen
// (or forgotten) counts as idle since the Tracker started.
func (t *Tracker) Idle(db int, key []byte, now time.Time) time.Duration {
	k := trackerKey(db, key)
	sh := t.shard(k)
	sh.mu.Lock()
	a, ok := sh.m[k]
	sh.mu.Unlock()
	if !ok {
		return now.Sub(t.start)
	}
	return time.Duration(max(now.UnixMilli()-a.last, 0)) * time.Millisecond
}

// Freq returns key's frequency counter at now (0..255), decayed for the
// time since its last access; a key never seen counts 0.
func (t *Tracker) Freq(db int, key []byte, now time.Time) uint8 {
	k := trackerKey(db, key)
	sh := t.shard(k)
	sh.mu.Lock()
	a, ok := sh.m[k]
	sh.mu.Unlock()
	if !ok {
		return 0
	}
	return decay(a.counter, a.decayed, now.Unix()/60)
}

// Forget drops key's clocks (it was deleted).
func (t *Tracker) Forget(db int, key []byte) {
	k := trackerKey(db, key)
	sh := t.shard(k)
	sh.mu.Lock()
	delete(sh.m, k)
	sh.mu.Unlock()
}

// decay lowers counter by one per lfuDecayMinutes since the minute it was
// last decayed.
func decay(counter uint8, since, nowMinutes int64) uint8 {
	periods := (nowMinutes - since) / lfuDecayMinutes
	if periods <= 0 {
		return counter
	}
	if periods >= int64(counter) {
		return 0
	}
	return counter - uint8(periods)
}

// logIncr increments counter with a probability that falls as it grows,
// so 255 stands for about a million accesses.
func logIncr(counter uint8) uint8 {
	if counter == 255 {
		return 255
	}
	base := float64(int(counter) - lfuInit)
	if base < 0 {
		base = 0
	}
	if rand.Float64() < 1/(base*lfuLogFactor+1) {
		return counter + 1
	}
	return counter
}
