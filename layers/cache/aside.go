package cache

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aspen-db/aspen/layers/strkv"
)

// Aside is a cache-aside helper for Go callers: Get returns the cached
// string value of a key, or computes it (say, from a slower database),
// stores it with a TTL and returns it. Concurrent misses of one key on one
// node share a single computation.
type Aside struct {
	strs *strkv.Store
	db   int
	ttl  time.Duration

	mu       sync.Mutex
	inflight map[string]*asideCall
}

type asideCall struct {
	done chan struct{}
	val  []byte
	err  error
}

// NewAside returns a cache-aside helper over the keys of db in strs,
// storing computed values for ttl (0: without expiry).
func NewAside(strs *strkv.Store, db int, ttl time.Duration) *Aside {
	return &Aside{strs: strs, db: db, ttl: ttl, inflight: map[string]*asideCall{}}
}

// Get returns key's cached value, or on a miss calls compute once for all
// the callers missing key at the same time, stores its value and returns
// it. A failed compute is returned to those callers and not cached. ctx
// bounds this caller's wait; the computation itself runs with the context
// of the caller that started it.
func (a *Aside) Get(ctx context.Context, key string, compute func(ctx context.Context) ([]byte, error)) ([]byte, error) {
	v, ok, err := a.strs.Get(ctx, a.db, []byte(key))
	if err != nil {
		return nil, fmt.Errorf("cache-aside get %q: %w", key, err)
	}
	if ok {
		return v, nil
	}
	a.mu.Lock()
	call, running := a.inflight[key]
	if !running {
		call = &asideCall{done: make(chan struct{})}
		a.inflight[key] = call
	}
	a.mu.Unlock()
	if !running {
		call.val, call.err = a.fill(ctx, key, compute)
		a.mu.Lock()
		delete(a.inflight, key)
		a.mu.Unlock()
		close(call.done)
	}
	select {
	case <-call.done:
		return call.val, call.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// fill computes key's value and stores it.
func (a *Aside) fill(ctx context.Context, key string, compute func(ctx context.Context) ([]byte, error)) ([]byte, error) {
	v, err := compute(ctx)
	if err != nil {
		return nil, fmt.Errorf("cache-aside compute %q: %w", key, err)
	}
	opt := strkv.SetOptions{}
	if a.ttl > 0 {
		opt.TTLMillis = max(a.ttl.Milliseconds(), 1)
	}
	if _, err := a.strs.Set(ctx, a.db, []byte(key), v, opt); err != nil {
		return nil, fmt.Errorf("cache-aside store %q: %w", key, err)
	}
	return v, nil
}

// Invalidate deletes key, so the next Get computes it again (call it after
// changing the source of truth).
func (a *Aside) Invalidate(ctx context.Context, key string) error {
	if _, err := a.strs.Del(ctx, a.db, []byte(key)); err != nil {
		return fmt.Errorf("cache-aside invalidate %q: %w", key, err)
	}
	return nil
}
