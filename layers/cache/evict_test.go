package cache

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

// newTestCache opens a real store with the accounted mutations and a Cache
// on a clock the test moves.
func newTestCache(t *testing.T) (*Cache, *strkv.Store, *time.Time) {
	t.Helper()
	muts := maps.Clone(strkv.Mutations())
	maps.Copy(muts, Mutations())
	kv := raftstoretest.NewWithMutations(t, Accounted(muts))
	strs := strkv.New(kv)
	c := New(strs, nil)
	now := time.Now()
	c.now = func() time.Time { return now }
	var n layers.Notifier = kv
	t.Cleanup(c.Listen(n))
	return c, strs, &now
}

func set(t *testing.T, c *Cache, strs *strkv.Store, key string, ttl time.Duration) {
	t.Helper()
	opt := strkv.SetOptions{}
	if ttl > 0 {
		opt.TTLMillis = ttl.Milliseconds()
	}
	if _, err := strs.Set(context.Background(), 0, []byte(key), []byte("0123456789012345678901234567890123456789"), opt); err != nil {
		t.Fatal(err)
	}
	c.Touch(0, []byte(key))
}

// evictAll runs eviction rounds until the data fits, and returns the keys
// left.
func evictAll(t *testing.T, c *Cache, strs *strkv.Store) []string {
	t.Helper()
	ctx := context.Background()
	for range 1000 {
		n, err := c.EvictOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	if err := c.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	var left []string
	err := strs.View(ctx, func(r *strkv.Reader) error {
		return r.ScanKeys(0, nil, func(k []byte, _ strkv.Meta) bool {
			left = append(left, string(k))
			return true
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return left
}

// fill writes n keys and returns the bytes one key takes.
func fill(t *testing.T, c *Cache, strs *strkv.Store, n int, name func(i int) string, ttl func(i int) time.Duration) int64 {
	t.Helper()
	for i := range n {
		set(t, c, strs, name(i), ttl(i))
	}
	if err := c.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	return c.Used() / int64(n)
}

func TestVolatileTTLEvictsNearestExpiry(t *testing.T) {
	c, strs, _ := newTestCache(t)
	// k00..k19 expire in 1..20 hours (k00 first); p00..p09 never expire.
	per := fill(t, c, strs, 20, func(i int) string { return fmt.Sprintf("k%02d", i) },
		func(i int) time.Duration { return time.Duration(i+1) * time.Hour })
	fill(t, c, strs, 10, func(i int) string { return fmt.Sprintf("p%02d", i) }, func(int) time.Duration { return 0 })
	c.SetConfig(Config{MaxMemory: c.Used() - 5*per, Policy: VolatileTTL})
	left := evictAll(t, c, strs)
	if c.Used() > c.Config().MaxMemory {
		t.Fatalf("used %d > maxmemory %d", c.Used(), c.Config().MaxMemory)
	}
	for i := range 10 {
		if !slices.Contains(left, fmt.Sprintf("p%02d", i)) {
			t.Fatalf("volatile-ttl evicted a key without expiry: left %v", left)
		}
	}
	// The evicted keys are exactly the ones expiring first.
	for i := range 20 {
		k := fmt.Sprintf("k%02d", i)
		gone := !slices.Contains(left, k)
		if gone && i > 0 && slices.Contains(left, fmt.Sprintf("k%02d", i-1)) {
			t.Fatalf("%s evicted while an earlier-expiring key stayed: left %v", k, left)
		}
	}
	if slices.Contains(left, "k00") {
		t.Fatalf("the nearest expiry was not evicted: left %v", left)
	}
	if c.Evicted() == 0 {
		t.Fatal("no eviction counted")
	}
}

func TestAllKeysLRUKeepsHotSet(t *testing.T) {
	c, strs, now := newTestCache(t)
	per := fill(t, c, strs, 200, func(i int) string { return fmt.Sprintf("k%03d", i) }, func(int) time.Duration { return 0 })
	// Time passes; the hot set (every tenth key) is read again.
	*now = now.Add(time.Minute)
	for i := 0; i < 200; i += 10 {
		c.Touch(0, fmt.Appendf(nil, "k%03d", i))
	}
	c.SetConfig(Config{MaxMemory: c.Used() - 100*per, Policy: AllKeysLRU, Samples: 10})
	left := evictAll(t, c, strs)
	if len(left) > 105 || len(left) < 50 {
		t.Fatalf("%d keys left, want about 100", len(left))
	}
	for i := 0; i < 200; i += 10 {
		if !slices.Contains(left, fmt.Sprintf("k%03d", i)) {
			t.Fatalf("hot key k%03d evicted under allkeys-lru", i)
		}
	}
}

func TestAllKeysLFUKeepsFrequentKeys(t *testing.T) {
	c, strs, _ := newTestCache(t)
	per := fill(t, c, strs, 100, func(i int) string { return fmt.Sprintf("k%03d", i) }, func(int) time.Duration { return 0 })
	for range 2000 {
		for i := 0; i < 100; i += 10 {
			c.Touch(0, fmt.Appendf(nil, "k%03d", i))
		}
	}
	c.SetConfig(Config{MaxMemory: c.Used() - 50*per, Policy: AllKeysLFU, Samples: 10})
	left := evictAll(t, c, strs)
	for i := 0; i < 100; i += 10 {
		if !slices.Contains(left, fmt.Sprintf("k%03d", i)) {
			t.Fatalf("frequent key k%03d evicted under allkeys-lfu (left %d keys)", i, len(left))
		}
	}
}

func TestVolatilePoliciesSpareKeysWithoutExpiry(t *testing.T) {
	for _, p := range []Policy{VolatileLRU, VolatileLFU, VolatileRandom} {
		t.Run(p.String(), func(t *testing.T) {
			c, strs, _ := newTestCache(t)
			per := fill(t, c, strs, 30, func(i int) string { return fmt.Sprintf("v%02d", i) }, func(int) time.Duration { return time.Hour })
			fill(t, c, strs, 30, func(i int) string { return fmt.Sprintf("p%02d", i) }, func(int) time.Duration { return 0 })
			// More than all the volatile keys must go: only they may.
			c.SetConfig(Config{MaxMemory: c.Used() - 40*per, Policy: p})
			left := evictAll(t, c, strs)
			for i := range 30 {
				if !slices.Contains(left, fmt.Sprintf("p%02d", i)) {
					t.Fatalf("%s evicted p%02d, which has no expiry", p, i)
				}
				if slices.Contains(left, fmt.Sprintf("v%02d", i)) {
					t.Fatalf("%s left v%02d while over the limit", p, i)
				}
			}
			// Still far over the limit with nothing evictable: writes stop.
			if c.AllowWrite() {
				t.Fatalf("writes allowed at %d bytes over a %d limit with nothing evictable", c.Used(), c.Config().MaxMemory)
			}
		})
	}
}

func TestAllKeysRandomAndNoEviction(t *testing.T) {
	c, strs, _ := newTestCache(t)
	per := fill(t, c, strs, 50, func(i int) string { return fmt.Sprintf("k%02d", i) }, func(int) time.Duration { return 0 })
	c.SetConfig(Config{MaxMemory: c.Used() - 10*per, Policy: NoEviction})
	if c.AllowWrite() {
		t.Fatal("noeviction over the limit allows writes")
	}
	if left := evictAll(t, c, strs); len(left) != 50 {
		t.Fatalf("noeviction evicted: %d keys left", len(left))
	}
	c.SetConfig(Config{MaxMemory: c.Used() - 10*per, Policy: AllKeysRandom})
	left := evictAll(t, c, strs)
	if len(left) < 35 || len(left) > 40 {
		t.Fatalf("allkeys-random left %d keys, want 40 or just under", len(left))
	}
	if !c.AllowWrite() {
		t.Fatal("writes refused under the limit")
	}
}

func TestAsideSingleFlight(t *testing.T) {
	_, strs, _ := newTestCache(t)
	a := NewAside(strs, 0, time.Hour)
	var calls atomic.Int32
	release := make(chan struct{})
	compute := func(ctx context.Context) ([]byte, error) {
		calls.Add(1)
		<-release
		return []byte("computed"), nil
	}
	var wg sync.WaitGroup
	results := make([]string, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := a.Get(context.Background(), "user:1", compute)
			if err != nil {
				t.Error(err)
			}
			results[i] = string(v)
		}()
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if calls.Load() != 1 {
		t.Fatalf("compute ran %d times for concurrent misses", calls.Load())
	}
	for _, r := range results {
		if r != "computed" {
			t.Fatalf("results %q", results)
		}
	}
	// Now cached, with its TTL: no computation.
	if v, err := a.Get(context.Background(), "user:1", func(context.Context) ([]byte, error) {
		t.Fatal("computed a cached key")
		return nil, nil
	}); err != nil || string(v) != "computed" {
		t.Fatalf("cached Get = %q, %v", v, err)
	}
	ctx := context.Background()
	if ttl, err := pttl(strs, "user:1"); err != nil || ttl <= 0 {
		t.Fatalf("cached value's TTL = %d, %v", ttl, err)
	}
	if err := a.Invalidate(ctx, "user:1"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := strs.Get(ctx, 0, []byte("user:1")); ok {
		t.Fatal("Invalidate left the key")
	}
}

func pttl(strs *strkv.Store, key string) (ttl int64, err error) {
	err = strs.View(context.Background(), func(r *strkv.Reader) error {
		ttl, err = r.PTTL(0, []byte(key))
		return err
	})
	return ttl, err
}

func TestExpiredCounted(t *testing.T) {
	c, strs, _ := newTestCache(t)
	ctx := context.Background()
	if _, err := strs.Set(ctx, 0, []byte("soon"), []byte("v"), strkv.SetOptions{TTLMillis: 1}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	if _, _, err := strs.Sweep(ctx, 10); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for c.Expired() != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("expired = %d, want 1", c.Expired())
		}
		time.Sleep(time.Millisecond)
	}
}
