// Command aspen-bench is a closed-loop load generator for Aspen's Redis
// listener (or any Redis server): it runs C clients that each send one
// command and wait for the reply, for a fixed time, and prints throughput and
// latency percentiles. `make bench` uses it for the store's commit and read
// figures.
//
// The delete-heavy workloads (-op zset-cap, queue, ttl-churn, big-neighbour;
// see workloads.go) also print their throughput and latency per time slice,
// to show whether the rate stays flat as tombstones pile up.
//
//	aspen-bench -addrs 127.0.0.1:6379 -op set -clients 1,16,64 -duration 5s
//	aspen-bench -addrs 127.0.0.1:6379 -op zset-cap -clients 8 -duration 5s -slice 1s
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

func main() {
	addrs := flag.String("addrs", "127.0.0.1:6379", "comma-separated Redis addresses; clients are spread over them")
	op := flag.String("op", "set", "operation: set (distinct keys), incr (one hot key), get (existing keys), "+
		"a delete-heavy workload: zset-cap, queue, ttl-churn, big-neighbour, "+
		"a GEO workload: geo-radius-1km, geo-radius-10km, geo-radius-100km, geo-add, "+
		"or a stream workload: stream-xadd, stream-group")
	clientsFlag := flag.String("clients", "1,16,64", "comma-separated client counts to run, one after another")
	duration := flag.Duration("duration", 5*time.Second, "how long each run lasts")
	keys := flag.Int("keys", 10000, "key space size for get")
	label := flag.String("label", "aspen", "label printed first in each result line")
	var cfg wlConfig
	flag.DurationVar(&cfg.slice, "slice", time.Second, "workloads: length of one reporting slice")
	flag.IntVar(&cfg.zsetCap, "zset-cap", 1000, "zset-cap: members the capped sorted set keeps")
	flag.IntVar(&cfg.bigMembers, "big-members", 200000, "big-neighbour: members of the big collection")
	flag.StringVar(&cfg.bigType, "big-type", "auto", "big-neighbour: hash, zset, or auto (hash if HSET works, else zset)")
	flag.DurationVar(&cfg.bigExpire, "big-expire", time.Second, "big-neighbour: the big key's time to live from the start")
	flag.Parse()
	if cfg.slice <= 0 || cfg.zsetCap < 1 || cfg.bigMembers < 1 || cfg.bigExpire <= 0 {
		fmt.Fprintln(os.Stderr, "aspen-bench: -slice, -zset-cap, -big-members and -big-expire must be positive")
		os.Exit(2)
	}

	var counts []int
	for _, s := range strings.Split(*clientsFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 4096 {
			fmt.Fprintf(os.Stderr, "aspen-bench: bad client count %q\n", s)
			os.Exit(2)
		}
		counts = append(counts, n)
	}
	targets := strings.Split(*addrs, ",")
	if _, ok := workloads[*op]; ok {
		for _, c := range counts {
			if err := runWorkload(*label, targets[0], *op, c, *duration, &cfg); err != nil {
				fmt.Fprintln(os.Stderr, "aspen-bench:", err)
				os.Exit(1)
			}
		}
		return
	}
	if *op == "get" {
		if err := preload(targets[0], *keys); err != nil {
			fmt.Fprintln(os.Stderr, "aspen-bench: preload:", err)
			os.Exit(1)
		}
	}
	for _, c := range counts {
		r, err := runLoad(targets, *op, c, *duration, *keys)
		if err != nil {
			fmt.Fprintln(os.Stderr, "aspen-bench:", err)
			os.Exit(1)
		}
		fmt.Printf("%s op=%s clients=%d ops/s=%.0f p50=%.2fms p99=%.2fms errors=%d\n",
			*label, *op, c, r.opsPerSec, r.p50.Seconds()*1000, r.p99.Seconds()*1000, r.errors)
	}
}

func preload(addr string, n int) error {
	c := redis.NewClient(&redis.Options{Addr: addr})
	defer c.Close()
	ctx := context.Background()
	for i := 0; i < n; i += 500 {
		p := c.Pipeline()
		for j := i; j < i+500 && j < n; j++ {
			p.Set(ctx, "bench:get:"+strconv.Itoa(j), "value-"+strconv.Itoa(j), 0)
		}
		if _, err := p.Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

type result struct {
	opsPerSec float64
	p50, p99  time.Duration
	errors    int
}

func runLoad(addrs []string, op string, clients int, d time.Duration, keys int) (result, error) {
	var (
		mu   sync.Mutex
		lats []time.Duration
		errs int
		wg   sync.WaitGroup
	)
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	start := time.Now()
	for i := 0; i < clients; i++ {
		c := redis.NewClient(&redis.Options{Addr: addrs[i%len(addrs)], PoolSize: 1, MaxRetries: -1})
		defer c.Close()
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			local := make([]time.Duration, 0, 4096)
			nerr := 0
			rng := rand.New(rand.NewPCG(uint64(id), 7))
			for n := 0; ctx.Err() == nil; n++ {
				t0 := time.Now()
				var err error
				switch op {
				case "set":
					err = c.Set(ctx, fmt.Sprintf("bench:set:%d:%d", id, n), "value", 0).Err()
				case "incr":
					err = c.Incr(ctx, "bench:hot").Err()
				case "get":
					err = c.Get(ctx, "bench:get:"+strconv.Itoa(rng.IntN(keys))).Err()
				default:
					err = fmt.Errorf("unknown op %q", op)
				}
				if err != nil {
					if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
						break
					}
					nerr++
					if nerr > 1000 {
						break
					}
					continue
				}
				local = append(local, time.Since(t0))
			}
			mu.Lock()
			lats = append(lats, local...)
			errs += nerr
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	if len(lats) == 0 {
		return result{errors: errs}, fmt.Errorf("%s with %d clients: no operation succeeded (%d errors)", op, clients, errs)
	}
	sort.Slice(lats, func(i, j int) bool { return lats[i] < lats[j] })
	return result{
		opsPerSec: float64(len(lats)) / elapsed.Seconds(),
		p50:       lats[len(lats)/2],
		p99:       lats[len(lats)*99/100],
		errors:    errs,
	}, nil
}
