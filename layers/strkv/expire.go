package strkv

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/aspen-db/aspen/layers"
)

// SweepOp prepares a sweep of at most limit due keys.
func SweepOp(limit int) Mutation {
	return Mutation{Op: opSweep, Args: encodeSweep(max(limit, 1))}
}

// Sweep deletes up to limit keys whose expiry has passed at the commit time
// and reports how many it deleted and whether more are due. Expiry is
// decided once, in the replicated log, so every replica deletes the same
// keys. It never conflicts with other writers.
func (s *Store) Sweep(ctx context.Context, limit int) (deleted int, more bool, err error) {
	res, err := s.run1(ctx, SweepOp(limit))
	if err != nil {
		return 0, false, fmt.Errorf("sweep expired keys: %w", err)
	}
	d := dec{B: res}
	if err := statusErr(d.Byte()); err != nil {
		return 0, false, err
	}
	n := d.Uvarint()
	m := d.Byte()
	if err := d.Done(); err != nil {
		return 0, false, fmt.Errorf("sweep result: %w", err)
	}
	return int(n), m == 1, nil
}

// NextExpiry reports the earliest expiry time in the expiry index, and
// false when no key has an expiry. It only reads, so an idle expirer can
// poll it without writing to the log.
func (s *Store) NextExpiry(ctx context.Context) (time.Time, bool, error) {
	var at time.Time
	var found bool
	err := layers.View(ctx, s.kv, func(r layers.Reader) error {
		begin, end := expSpace.Range()
		it := r.Scan(begin, end, false)
		defer it.Close()
		if !it.Next() {
			return it.Err()
		}
		t, err := expSpace.Unpack(it.Key())
		if err != nil {
			return fmt.Errorf("expiry index: %w", err)
		}
		ms, ok := t[0].(int64)
		if !ok {
			return fmt.Errorf("expiry index: bad entry %s", t)
		}
		at, found = time.UnixMilli(ms), true
		return nil
	})
	return at, found, err
}

// RunExpirer sweeps due keys every interval until ctx is done, sweeping
// again at once while a batch of limit keys was full. Run it on one node
// (the leader is cheapest); on others it costs only forwarded commits.
// Errors are logged and retried at the next tick.
func (s *Store) RunExpirer(ctx context.Context, interval time.Duration, limit int, logger *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		for {
			cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			_, more, err := s.Sweep(cctx, limit)
			cancel()
			if err != nil {
				if ctx.Err() == nil {
					logger.Warn("expire sweep failed", "err", err)
				}
				break
			}
			if !more || ctx.Err() != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
