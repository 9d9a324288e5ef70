package main

// This file holds aspen-bench's delete-heavy workloads: load patterns that
// leave tombstones behind in an LSM store (a capped sorted set, a queue,
// short-lived keys, a big collection that expires next to a small key). They
// run for the whole duration and report throughput and latency per time
// slice, so a reader can see whether the rate stays flat as the deletes pile
// up, and the last slice's rate over the first's.

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// wlConfig is the tuning of the delete-heavy workloads, from the flags.
type wlConfig struct {
	slice      time.Duration // length of one reporting slice
	zsetCap    int           // zset-cap: members kept (ZREMRANGEBYRANK 0 -(cap+1))
	bigMembers int           // big-neighbour: members of the big collection
	bigType    string        // big-neighbour: hash, zset or auto
	bigExpire  time.Duration // big-neighbour: the big key's time to live
}

// workload is one delete-heavy load pattern.
type workload struct {
	// commands are probed once before the run; a server that replies an
	// error to one of them gets "n/a" instead of figures.
	probe func(ctx context.Context, c *redis.Client, cfg *wlConfig) error
	// setup prepares the data before the clock starts and returns the
	// function each client runs in a loop; start, if not nil, runs right
	// before the clock starts; check, if not nil, describes the final state.
	setup func(ctx context.Context, c *redis.Client, cfg *wlConfig) (step stepFunc, start func(context.Context) error, check func(context.Context) string, err error)
}

// stepFunc runs one unit of work for client id and records it in rec.
type stepFunc func(ctx context.Context, id int, c *redis.Client, rng *rand.Rand, rec *recorder)

// workloads are the delete-heavy load patterns, by -op name.
var workloads = map[string]workload{
	"zset-cap":      {probe: probeZsetCap, setup: setupZsetCap},
	"queue":         {probe: probeQueue, setup: setupQueue},
	"ttl-churn":     {probe: probeTTL, setup: setupTTL},
	"big-neighbour": {probe: probeBig, setup: setupBig},
}

// errNotAvailable marks a workload the server cannot run: one of its
// commands replied an error.
var errNotAvailable = errors.New("not available")

// runWorkload probes, prepares and runs workload name with the given number
// of clients for d, printing one line per slice and a summary line. It
// returns an error only when the benchmark itself cannot go on; a server
// that lacks a command gets an "n/a" line and a nil error.
func runWorkload(label, addr, name string, clients int, d time.Duration, cfg *wlConfig) error {
	w := workloads[name]
	ctx := context.Background()
	admin := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second})
	defer admin.Close()
	head := fmt.Sprintf("%s op=%s clients=%d", label, name, clients)
	if err := w.probe(ctx, admin, cfg); err != nil {
		var rerr redis.Error
		if errors.As(err, &rerr) || errors.Is(err, errNotAvailable) {
			fmt.Printf("%s n/a (error: %s)\n", head, oneLine(err.Error()))
			return nil
		}
		return fmt.Errorf("%s: probe: %w", name, err)
	}
	step, start, check, err := w.setup(ctx, admin, cfg)
	if err != nil {
		return fmt.Errorf("%s: setup: %w", name, err)
	}

	conns := make([]*redis.Client, clients)
	for i := range conns {
		conns[i] = redis.NewClient(&redis.Options{Addr: addr, PoolSize: 1, MaxRetries: -1})
		defer conns[i].Close()
		if err := conns[i].Ping(ctx).Err(); err != nil {
			return fmt.Errorf("%s: connect client %d: %w", name, i, err)
		}
	}
	if start != nil {
		if err := start(ctx); err != nil {
			return fmt.Errorf("%s: start: %w", name, err)
		}
	}

	nslices := int((d + cfg.slice - 1) / cfg.slice)
	runCtx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	t0 := time.Now()
	recs := make([]*recorder, clients)
	var wg sync.WaitGroup
	for i := range conns {
		recs[i] = newRecorder(t0, cfg.slice, nslices)
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(id), 11))
			rec := recs[id]
			for runCtx.Err() == nil && rec.nerr <= maxClientErrors {
				step(runCtx, id, conns[id], rng, rec)
			}
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(t0)

	total := newRecorder(t0, cfg.slice, nslices)
	for _, r := range recs {
		total.merge(r)
	}
	var all []time.Duration
	var first, last float64
	for s := 0; s < nslices; s++ {
		lats := total.lats[s]
		sort.Slice(lats, func(i, j int) bool { return lats[i] < lats[j] })
		from := time.Duration(s) * cfg.slice
		to := min(from+cfg.slice, d)
		rate := float64(len(lats)) / (to - from).Seconds()
		if s == 0 {
			first = rate
		}
		last = rate
		fmt.Printf("  %s slice=%d t=%.1f-%.1fs ops/s=%.0f p50=%s p99=%s max=%s errors=%d\n",
			head, s+1, from.Seconds(), to.Seconds(), rate, pct(lats, 50), pct(lats, 99), pct(lats, 100), total.errs[s])
		all = append(all, lats...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	for _, msg := range total.messages() {
		fmt.Printf("  %s error: %s\n", head, msg)
	}
	if total.empty > 0 {
		fmt.Printf("  %s empty pops (not counted as ops): %d\n", head, total.empty)
	}
	if check != nil {
		fmt.Printf("  %s check: %s\n", head, check(ctx))
	}
	ratio := "-"
	if first > 0 {
		ratio = fmt.Sprintf("%.2f", last/first)
	}
	fmt.Printf("%s ops/s=%.0f p50=%s p99=%s errors=%d first=%.0f last=%.0f last/first=%s\n",
		head, float64(len(all))/elapsed.Seconds(), pct(all, 50), pct(all, 99), total.nerr, first, last, ratio)
	if len(all) == 0 {
		return fmt.Errorf("%s with %d clients: no operation succeeded (%d errors)", name, clients, total.nerr)
	}
	return nil
}

// maxClientErrors stops a client that keeps failing, so that a broken
// server does not turn the run into a busy loop.
const maxClientErrors = 1000

// recorder collects one client's latencies and errors per slice.
type recorder struct {
	t0    time.Time
	slice time.Duration
	lats  [][]time.Duration
	errs  []int
	nerr  int
	empty int
	msgs  map[string]int
}

func newRecorder(t0 time.Time, slice time.Duration, n int) *recorder {
	return &recorder{t0: t0, slice: slice, lats: make([][]time.Duration, n), errs: make([]int, n), msgs: map[string]int{}}
}

// index returns the slice the instant t falls in.
func (r *recorder) index(t time.Time) int {
	i := int(t.Sub(r.t0) / r.slice)
	return max(0, min(i, len(r.lats)-1))
}

// done records an operation that started at start and has just succeeded.
func (r *recorder) done(start time.Time) {
	now := time.Now()
	i := r.index(now)
	r.lats[i] = append(r.lats[i], now.Sub(start))
}

// fail records err unless it only reports the end of the run (ctx done).
func (r *recorder) fail(ctx context.Context, err error) {
	if ctx.Err() != nil {
		return
	}
	r.nerr++
	r.errs[r.index(time.Now())]++
	r.msgs[oneLine(err.Error())]++
}

func (r *recorder) merge(o *recorder) {
	for i := range o.lats {
		r.lats[i] = append(r.lats[i], o.lats[i]...)
		r.errs[i] += o.errs[i]
	}
	r.nerr += o.nerr
	r.empty += o.empty
	for m, n := range o.msgs {
		r.msgs[m] += n
	}
}

// messages lists the distinct error messages with their counts, most
// frequent first, at most ten.
func (r *recorder) messages() []string {
	out := make([]string, 0, len(r.msgs))
	for m := range r.msgs {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return r.msgs[out[i]] > r.msgs[out[j]] })
	if len(out) > 10 {
		out = out[:10]
	}
	for i, m := range out {
		out[i] = fmt.Sprintf("%s (x%d)", m, r.msgs[m])
	}
	return out
}

// pct formats the p-th percentile (100: the maximum) of sorted latencies in milliseconds.
func pct(sorted []time.Duration, p int) string {
	if len(sorted) == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fms", sorted[min(len(sorted)*p/100, len(sorted)-1)].Seconds()*1000)
}

// oneLine shortens an error message to one line of reasonable length.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 120 {
		s = s[:120] + "..."
	}
	return s
}

// probeCmds runs each command on a scratch key and deletes the key again.
func probeCmds(ctx context.Context, c *redis.Client, key string, cmds ...[]any) error {
	if err := c.Del(ctx, key).Err(); err != nil {
		return err
	}
	for _, args := range cmds {
		if err := c.Do(ctx, args...).Err(); err != nil && !errors.Is(err, redis.Nil) {
			return err
		}
	}
	return c.Del(ctx, key).Err()
}

// zset-cap: a hot sorted set that keeps only its cap highest-scored members.
// Every client adds a member with a new highest score and trims the lowest
// ranks in the same pipeline, so the set's low end is a stream of deletes.

const zcapKey = "bench:zcap"

func probeZsetCap(ctx context.Context, c *redis.Client, _ *wlConfig) error {
	const k = "bench:probe:zcap"
	return probeCmds(ctx, c, k, []any{"zadd", k, 1, "a"}, []any{"zremrangebyrank", k, 0, -2}, []any{"zcard", k})
}

func setupZsetCap(ctx context.Context, c *redis.Client, cfg *wlConfig) (stepFunc, func(context.Context) error, func(context.Context) string, error) {
	if err := c.Del(ctx, zcapKey).Err(); err != nil {
		return nil, nil, nil, err
	}
	for i := 0; i < cfg.zsetCap; i += 500 {
		var zs []redis.Z
		for j := i; j < i+500 && j < cfg.zsetCap; j++ {
			zs = append(zs, redis.Z{Score: float64(j), Member: "m:" + strconv.Itoa(j)})
		}
		if err := c.ZAdd(ctx, zcapKey, zs...).Err(); err != nil {
			return nil, nil, nil, fmt.Errorf("prefill: %w", err)
		}
	}
	var score atomic.Int64
	score.Store(int64(cfg.zsetCap))
	stop := -int64(cfg.zsetCap) - 1
	step := func(ctx context.Context, _ int, c *redis.Client, _ *rand.Rand, rec *recorder) {
		s := score.Add(1)
		t := time.Now()
		p := c.Pipeline()
		p.ZAdd(ctx, zcapKey, redis.Z{Score: float64(s), Member: "m:" + strconv.FormatInt(s, 10)})
		p.ZRemRangeByRank(ctx, zcapKey, 0, stop)
		if _, err := p.Exec(ctx); err != nil {
			rec.fail(ctx, err)
			return
		}
		rec.done(t)
	}
	check := func(ctx context.Context) string {
		n, err := c.ZCard(ctx, zcapKey).Result()
		if err != nil {
			return "ZCARD: " + oneLine(err.Error())
		}
		return fmt.Sprintf("ZCARD=%d (want %d)", n, cfg.zsetCap)
	}
	return step, nil, check, nil
}

// queue: one list used as a queue, half the clients LPUSH, half RPOP. An
// operation is a push or a pop that returned an element; pops of an empty
// list are counted apart.

const queueKey = "bench:queue"

func probeQueue(ctx context.Context, c *redis.Client, _ *wlConfig) error {
	const k = "bench:probe:queue"
	return probeCmds(ctx, c, k, []any{"lpush", k, "a"}, []any{"rpop", k})
}

func setupQueue(ctx context.Context, c *redis.Client, _ *wlConfig) (stepFunc, func(context.Context) error, func(context.Context) string, error) {
	if err := c.Del(ctx, queueKey).Err(); err != nil {
		return nil, nil, nil, err
	}
	// A backlog, so that consumers have work from the first slice on.
	for i := 0; i < 10000; i += 500 {
		vals := make([]any, 0, 500)
		for j := i; j < i+500; j++ {
			vals = append(vals, "job:"+strconv.Itoa(j))
		}
		if err := c.LPush(ctx, queueKey, vals...).Err(); err != nil {
			return nil, nil, nil, fmt.Errorf("prefill: %w", err)
		}
	}
	step := func(ctx context.Context, id int, c *redis.Client, rng *rand.Rand, rec *recorder) {
		t := time.Now()
		if id%2 == 0 {
			if err := c.LPush(ctx, queueKey, "job:"+strconv.FormatUint(rng.Uint64(), 36)).Err(); err != nil {
				rec.fail(ctx, err)
				return
			}
			rec.done(t)
			return
		}
		err := c.RPop(ctx, queueKey).Err()
		switch {
		case errors.Is(err, redis.Nil):
			rec.empty++
		case err != nil:
			rec.fail(ctx, err)
		default:
			rec.done(t)
		}
	}
	check := func(ctx context.Context) string {
		n, err := c.LLen(ctx, queueKey).Result()
		if err != nil {
			return "LLEN: " + oneLine(err.Error())
		}
		return fmt.Sprintf("LLEN=%d at the end (10000 at the start)", n)
	}
	return step, nil, check, nil
}

// ttl-churn: SET with a 50..200 ms time to live on a rotating key space,
// each followed by a GET of a recently written key, so expired keys pile up
// while reads go on. An operation is one SET or one GET.

const ttlKeySpace = 1 << 20

func probeTTL(ctx context.Context, c *redis.Client, _ *wlConfig) error {
	const k = "bench:probe:ttl"
	return probeCmds(ctx, c, k, []any{"set", k, "v", "px", 100}, []any{"get", k})
}

func setupTTL(_ context.Context, c *redis.Client, _ *wlConfig) (stepFunc, func(context.Context) error, func(context.Context) string, error) {
	var seq atomic.Int64
	var hits, misses atomic.Int64
	key := func(n int64) string { return fmt.Sprintf("bench:ttl:%07d", n%ttlKeySpace) }
	step := func(ctx context.Context, _ int, c *redis.Client, rng *rand.Rand, rec *recorder) {
		n := seq.Add(1)
		t := time.Now()
		if err := c.Set(ctx, key(n), "value", time.Duration(50+rng.IntN(151))*time.Millisecond).Err(); err != nil {
			rec.fail(ctx, err)
			return
		}
		rec.done(t)
		t = time.Now()
		err := c.Get(ctx, key(max(0, n-int64(rng.IntN(20000))))).Err()
		switch {
		case errors.Is(err, redis.Nil):
			misses.Add(1)
			rec.done(t)
		case err != nil:
			rec.fail(ctx, err)
		default:
			hits.Add(1)
			rec.done(t)
		}
	}
	check := func(context.Context) string {
		return fmt.Sprintf("%d keys written; GET hits=%d misses=%d", seq.Load(), hits.Load(), misses.Load())
	}
	return step, nil, check, nil
}

// big-neighbour: a big hash (or sorted set) gets a short expiry; the
// clients GET a small string key whose name sorts right after it, and the
// slices show the read latency before, while and after the big key expires
// and is swept.

const (
	bigKey       = "bench:nb:a"
	neighbourKey = "bench:nb:b"
)

func probeBig(ctx context.Context, c *redis.Client, cfg *wlConfig) error {
	const k = "bench:probe:big"
	hash := probeCmds(ctx, c, k, []any{"hset", k, "f", "v"}, []any{"pexpire", k, 1000})
	zset := probeCmds(ctx, c, k, []any{"zadd", k, 1, "m"}, []any{"pexpire", k, 1000})
	switch {
	case cfg.bigType == "hash" || (cfg.bigType == "auto" && hash == nil):
		cfg.bigType = "hash"
		return hash
	case cfg.bigType == "zset" || cfg.bigType == "auto":
		cfg.bigType = "zset"
		return zset
	}
	return fmt.Errorf("%w: unknown -big-type %q", errNotAvailable, cfg.bigType)
}

func setupBig(ctx context.Context, c *redis.Client, cfg *wlConfig) (stepFunc, func(context.Context) error, func(context.Context) string, error) {
	if err := c.Del(ctx, bigKey, neighbourKey).Err(); err != nil {
		return nil, nil, nil, err
	}
	const batch, perExec = 1000, 10
	t := time.Now()
	for i := 0; i < cfg.bigMembers; {
		p := c.Pipeline()
		for n := 0; n < perExec && i < cfg.bigMembers; n++ {
			end := min(i+batch, cfg.bigMembers)
			if cfg.bigType == "hash" {
				args := make([]any, 0, 2*(end-i))
				for j := i; j < end; j++ {
					args = append(args, "field:"+strconv.Itoa(j), "value:"+strconv.Itoa(j))
				}
				p.HSet(ctx, bigKey, args...)
			} else {
				zs := make([]redis.Z, 0, end-i)
				for j := i; j < end; j++ {
					zs = append(zs, redis.Z{Score: float64(j), Member: "member:" + strconv.Itoa(j)})
				}
				p.ZAdd(ctx, bigKey, zs...)
			}
			i = end
		}
		if _, err := p.Exec(ctx); err != nil {
			return nil, nil, nil, fmt.Errorf("fill %s: %w", bigKey, err)
		}
	}
	if err := c.Set(ctx, neighbourKey, "small", 0).Err(); err != nil {
		return nil, nil, nil, err
	}
	fmt.Printf("  big-neighbour: %s %s with %d members filled in %.1fs; expires %s after the start\n",
		cfg.bigType, bigKey, cfg.bigMembers, time.Since(t).Seconds(), cfg.bigExpire)
	start := func(ctx context.Context) error {
		return c.PExpire(ctx, bigKey, cfg.bigExpire).Err()
	}
	step := func(ctx context.Context, _ int, c *redis.Client, _ *rand.Rand, rec *recorder) {
		t := time.Now()
		if err := c.Get(ctx, neighbourKey).Err(); err != nil {
			rec.fail(ctx, err)
			return
		}
		rec.done(t)
	}
	check := func(ctx context.Context) string {
		n, err := c.Exists(ctx, bigKey).Result()
		if err != nil {
			return "EXISTS: " + oneLine(err.Error())
		}
		return fmt.Sprintf("type=%s EXISTS %s = %d at the end (want 0)", cfg.bigType, bigKey, n)
	}
	return step, start, check, nil
}
