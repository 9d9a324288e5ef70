package cache

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/strkv"
)

// TopicEvicted is the event an eviction emits for each key it deletes; the
// payload names the key (strkv.DecodeKeyEvent).
const TopicEvicted = "cache.evicted"

// opEvict is the eviction mutation.
const opEvict = "cache.evict"

// Mutations returns the deterministic operations this layer commits. The
// store must be opened with them registered (every replica alike).
func Mutations() map[string]layers.MutationFunc {
	return map[string]layers.MutationFunc{opEvict: mutEvict}
}

// Victim names a key chosen for eviction.
type Victim struct {
	DB  int
	Key []byte
}

// EvictOp prepares the eviction of victims: each that is still live when
// the commit applies is deleted, with an event TopicEvicted. The result
// (DecodeEvict) counts them.
func EvictOp(victims []Victim) strkv.Mutation {
	b := binary.AppendUvarint(nil, uint64(len(victims)))
	for _, v := range victims {
		b = binary.AppendUvarint(b, uint64(v.DB))
		b = binary.AppendUvarint(b, uint64(len(v.Key)))
		b = append(b, v.Key...)
	}
	return strkv.Mutation{Op: opEvict, Args: b}
}

var errMalformed = errors.New("cache: malformed mutation arguments")

func mutEvict(m layers.Mutator, args []byte) ([]byte, error) {
	n, k := binary.Uvarint(args)
	if k <= 0 || n > uint64(len(args)) {
		return nil, fmt.Errorf("evict: %w", errMalformed)
	}
	args = args[k:]
	var evicted uint64
	for ; n > 0; n-- {
		db, k1 := binary.Uvarint(args)
		if k1 <= 0 || db >= strkv.NumDBs {
			return nil, fmt.Errorf("evict: %w", errMalformed)
		}
		args = args[k1:]
		l, k2 := binary.Uvarint(args)
		if k2 <= 0 || l > uint64(len(args)-k2) {
			return nil, fmt.Errorf("evict: %w", errMalformed)
		}
		key := args[k2 : k2+int(l)]
		args = args[k2+int(l):]
		ks, err := strkv.LoadKey(m, int(db), key)
		if err != nil {
			return nil, fmt.Errorf("evict: %w", err)
		}
		if !ks.Live {
			continue
		}
		strkv.RemoveKey(m, ks)
		m.Notify(strkv.KeyEvent(TopicEvicted, int(db), key))
		strkv.NotifyKey(m, strkv.NotifyEvicted, "evicted", int(db), key)
		evicted++
	}
	if len(args) != 0 {
		return nil, fmt.Errorf("evict: trailing bytes: %w", errMalformed)
	}
	return binary.AppendUvarint(nil, evicted), nil
}

// DecodeEvict returns how many keys an EvictOp deleted.
func DecodeEvict(res []byte) (int, error) {
	n, k := binary.Uvarint(res)
	if k <= 0 {
		return 0, fmt.Errorf("evict result: %w", errMalformed)
	}
	return int(n), nil
}

// Config is the eviction configuration.
type Config struct {
	// MaxMemory is the limit on the bytes of user data; 0 means none.
	MaxMemory int64
	// Policy says what to evict over the limit.
	Policy Policy
	// Samples is how many keys each eviction round samples (Redis's
	// maxmemory-samples); 0 means 5.
	Samples int
}

// Cache ties the accounting to a node: it caches the bytes in use, tracks
// accesses, decides evictions when this node leads, and counts the expired
// and evicted keys every replica applies.
type Cache struct {
	strs    *strkv.Store
	tracker *Tracker
	logger  *slog.Logger
	now     func() time.Time

	mu  sync.Mutex
	cfg Config

	used    atomic.Int64 // bytes of user data at the last refresh
	expired atomic.Int64 // keys expired, as applied on this node
	evicted atomic.Int64 // keys evicted, as applied on this node
	stuck   atomic.Bool  // over the limit with nothing the policy may evict
	poke    chan struct{}
	fwd     fwdPointer // set on nodes that forward accesses (forward.go)
}

// New returns a Cache over strs. A nil logger discards logs.
func New(strs *strkv.Store, logger *slog.Logger) *Cache {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	c := &Cache{
		strs:    strs,
		tracker: NewTracker(1 << 20),
		logger:  logger,
		now:     time.Now,
		poke:    make(chan struct{}, 1),
		cfg:     Config{Samples: 5},
	}
	return c
}

// Tracker returns the access tracker.
func (c *Cache) Tracker() *Tracker { return c.tracker }

// Config returns the eviction configuration.
func (c *Cache) Config() Config {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cfg
}

// SetConfig changes the eviction configuration and starts an eviction
// round if the data is now over the limit.
func (c *Cache) SetConfig(cfg Config) {
	if cfg.Samples <= 0 {
		cfg.Samples = 5
	}
	c.mu.Lock()
	c.cfg = cfg
	c.mu.Unlock()
	c.Poke()
}

// Poke asks the eviction loop to run a round now.
func (c *Cache) Poke() {
	select {
	case c.poke <- struct{}{}:
	default:
	}
}

// Used returns the bytes of user data at the last refresh.
func (c *Cache) Used() int64 { return c.used.Load() }

// Expired returns how many keys expired on this node's replica.
func (c *Cache) Expired() int64 { return c.expired.Load() }

// Evicted returns how many keys were evicted on this node's replica.
func (c *Cache) Evicted() int64 { return c.evicted.Load() }

// Touch records an access to key in db, for the LRU and LFU policies.
func (c *Cache) Touch(db int, key []byte) {
	c.tracker.Touch(db, key, c.now())
	c.forwardTouch(db, key)
}

// AllowWrite reports whether a command that may add data can run: not
// when the data is over maxmemory and the policy cannot evict (noeviction,
// or the last round found nothing to evict), nor when eviction has fallen
// behind by a tenth of the limit (at least 1 MiB).
func (c *Cache) AllowWrite() bool {
	cfg := c.Config()
	if cfg.MaxMemory <= 0 {
		return true
	}
	used := c.used.Load()
	if used <= cfg.MaxMemory {
		return true
	}
	if cfg.Policy == NoEviction || c.stuck.Load() {
		return false
	}
	c.Poke()
	return used <= cfg.MaxMemory+max(cfg.MaxMemory/10, 1<<20)
}

// Listen counts the expired and evicted keys this replica applies and
// forgets their access clocks. Call it once with the store's Notifier.
func (c *Cache) Listen(n layers.Notifier) (cancel func()) {
	return n.Listen(func(ev layers.Event) {
		switch ev.Topic {
		case strkv.TopicExpired:
			c.expired.Add(1)
		case TopicEvicted:
			c.evicted.Add(1)
		default:
			return
		}
		if db, key, err := strkv.DecodeKeyEvent(ev.Payload); err == nil {
			c.tracker.Forget(db, key)
		}
	})
}

// Refresh reads the bytes in use from the store.
func (c *Cache) Refresh(ctx context.Context) error {
	return c.strs.View(ctx, func(r *strkv.Reader) error {
		n, err := UsedBytes(r.Source())
		if err == nil {
			c.used.Store(n)
		}
		return err
	})
}

// Run refreshes the bytes in use every interval and, while isLeader says
// this node leads, evicts keys whenever they exceed maxmemory; while it
// follows, it sends the accesses its clients made to the leader (see
// SetForwarder). It returns when ctx ends.
func (c *Cache) Run(ctx context.Context, interval time.Duration, isLeader func() bool) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-c.poke:
		}
		if err := c.Refresh(ctx); err != nil {
			if ctx.Err() == nil {
				c.logger.Debug("cache: refresh used memory", "err", err)
			}
			continue
		}
		if !isLeader() {
			c.flushTouches(ctx)
			continue
		}
		for ctx.Err() == nil {
			n, err := c.EvictOnce(ctx)
			if err != nil {
				if ctx.Err() == nil {
					c.logger.Warn("cache: eviction failed", "err", err)
				}
				break
			}
			if n == 0 {
				break
			}
		}
	}
}

// evictBatch is how many keys one eviction commit deletes at most.
const evictBatch = 32

// EvictOnce runs one eviction round when the data exceeds maxmemory under
// an evicting policy: it chooses up to evictBatch victims by the policy,
// deletes them in one replicated commit, and refreshes the bytes in use.
// It returns how many keys it evicted (0 when there was nothing to do or
// nothing to evict).
func (c *Cache) EvictOnce(ctx context.Context) (int, error) {
	cfg := c.Config()
	if cfg.MaxMemory <= 0 || cfg.Policy == NoEviction {
		return 0, nil
	}
	var victims []Victim
	err := c.strs.View(ctx, func(r *strkv.Reader) error {
		used, err := UsedBytes(r.Source())
		if err != nil {
			return err
		}
		c.used.Store(used)
		if used <= cfg.MaxMemory {
			c.stuck.Store(false)
			return nil
		}
		victims, err = c.choose(r, cfg, used-cfg.MaxMemory)
		return err
	})
	if err != nil {
		return 0, err
	}
	if len(victims) == 0 {
		c.stuck.Store(c.used.Load() > cfg.MaxMemory)
		return 0, nil
	}
	c.stuck.Store(false)
	res, err := c.strs.Run(ctx, EvictOp(victims))
	if err != nil {
		return 0, fmt.Errorf("evict %d keys: %w", len(victims), err)
	}
	n, err := DecodeEvict(res[0])
	if err != nil {
		return 0, err
	}
	if err := c.Refresh(ctx); err != nil {
		return n, err
	}
	return n, nil
}

// candidate is a sampled key with its eviction score: higher goes first.
type candidate struct {
	Victim
	score float64
	size  int64
}

// sampleRounds is how many samples one eviction round draws.
const sampleRounds = 8

// choose picks victims until their estimated size covers excess or the
// batch is full. Like Redis it ranks sampled keys (cfg.Samples per
// sample) and evicts the best; to keep a round's reads bounded it draws
// sampleRounds samples and evicts at most the better half of them.
func (c *Cache) choose(r *strkv.Reader, cfg Config, excess int64) ([]Victim, error) {
	now := c.now()
	var pool []candidate
	seen := map[string]bool{}
	for range sampleRounds {
		samples, err := c.sample(r, cfg, now)
		if err != nil {
			return nil, err
		}
		for _, s := range samples {
			if id := trackerKey(s.DB, s.Key); !seen[id] {
				seen[id] = true
				pool = append(pool, s)
			}
		}
	}
	slices.SortStableFunc(pool, func(a, b candidate) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	limit := min(evictBatch, max(len(pool)/2, 1))
	var out []Victim
	var freed int64
	for _, cd := range pool {
		if len(out) >= limit || freed >= excess {
			break
		}
		out = append(out, cd.Victim)
		freed += cd.size
	}
	return out, nil
}

// sample draws about cfg.Samples live keys the policy may evict, scored.
// Like Redis's sampling of hash-table buckets, it takes neighbours: a run
// of consecutive keys from a random point.
func (c *Cache) sample(r *strkv.Reader, cfg Config, now time.Time) ([]candidate, error) {
	var keys []Victim
	switch {
	case cfg.Policy == VolatileTTL:
		vs, err := r.Volatile(0, cfg.Samples*4)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			keys = append(keys, Victim{v.DB, v.Key})
		}
	case cfg.Policy.Volatile():
		first, last, ok, err := r.VolatileRange()
		if err != nil || !ok {
			return nil, err
		}
		for range cfg.Samples {
			from := first
			if last > first {
				from += rand.Int64N(last - first + 1)
			}
			vs, err := r.Volatile(from, 1)
			if err != nil {
				return nil, err
			}
			if len(vs) == 0 {
				if vs, err = r.Volatile(0, 1); err != nil {
					return nil, err
				}
			}
			for _, v := range vs {
				keys = append(keys, Victim{v.DB, v.Key})
			}
		}
	default:
		dbs, err := c.nonEmptyDBs(r)
		if err != nil || len(dbs) == 0 {
			return nil, err
		}
		db := dbs[rand.IntN(len(dbs))]
		ks, err := r.SampleKeys(db, rand.Uint64(), cfg.Samples)
		if err != nil {
			return nil, err
		}
		for _, k := range ks {
			keys = append(keys, Victim{db, k})
		}
	}
	var out []candidate
	for _, k := range keys {
		m, ok, err := r.Meta(k.DB, k.Key)
		if err != nil {
			return nil, err
		}
		if !ok || (cfg.Policy.Volatile() && m.ExpireAt == 0) {
			continue
		}
		cd := candidate{Victim: k, size: int64(len(strkv.MetaKey(k.DB, k.Key)) + len(m.Value))}
		if m.Type != strkv.TypeString {
			if n, err := collBytes(r.Source(), k.DB, k.Key); err == nil {
				cd.size += n
			}
		}
		switch {
		case cfg.Policy == VolatileTTL:
			cd.score = -float64(m.ExpireAt)
		case cfg.Policy.LRU():
			cd.score = float64(c.tracker.Idle(k.DB, k.Key, now))
		case cfg.Policy.LFU():
			cd.score = 255 - float64(c.tracker.Freq(k.DB, k.Key, now))
		default:
			cd.score = rand.Float64()
		}
		out = append(out, cd)
	}
	return out, nil
}

// nonEmptyDBs lists the databases holding data.
func (c *Cache) nonEmptyDBs(r *strkv.Reader) ([]int, error) {
	var dbs []int
	for db := range strkv.NumDBs {
		n, err := DBBytes(r.Source(), db)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			dbs = append(dbs, db)
		}
	}
	return dbs, nil
}

// collBytes reads the member bytes of a collection key from its counter.
func collBytes(r strkv.Source, db int, key []byte) (int64, error) {
	coll := strkv.DataSubspace(db, key).Bytes()
	v, err := r.Get(sizeKeyOf(db, coll))
	switch {
	case errors.Is(err, layers.ErrNotFound):
		return 0, nil
	case err != nil:
		return 0, err
	case len(v) != 8:
		return 0, fmt.Errorf("collection counter: %d bytes", len(v))
	}
	return int64(binary.BigEndian.Uint64(v)), nil
}
