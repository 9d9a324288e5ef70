package main

// This file holds aspen-bench's stream workloads:
//
//   - stream-xadd: every client appends entries (XADD * with one 16-byte
//     field) to one stream, bench:stream:xadd; an operation is one XADD.
//   - stream-group: a consumer group over a stream prefilled with
//     -stream-backlog entries; each client is a consumer that reads one
//     new entry (XREADGROUP ... COUNT 1 STREAMS key >) and acknowledges it
//     (XACK); an operation is the pair. An empty read (the backlog used up)
//     is counted apart.
//
//	aspen-bench -addrs 127.0.0.1:6379 -op stream-xadd -clients 1,16,64 -duration 5s
//	aspen-bench -addrs 127.0.0.1:6379 -op stream-group -clients 16 -duration 5s -stream-backlog 200000

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// The keys of the stream workloads.
const (
	streamXAddKey  = "bench:stream:xadd"
	streamGroupKey = "bench:stream:group"
	streamGroup    = "bench"
)

// streamBacklog is how many entries stream-group prefills.
var streamBacklog = flag.Int("stream-backlog", 200000, "stream-group: entries prefilled before the clock starts")

func init() {
	workloads["stream-xadd"] = workload{probe: probeStream, setup: setupStreamXAdd}
	workloads["stream-group"] = workload{probe: probeStream, setup: setupStreamGroup}
}

func probeStream(ctx context.Context, c *redis.Client, _ *wlConfig) error {
	const k = "bench:probe:stream"
	return probeCmds(ctx, c, k, []any{"xadd", k, "*", "f", "v"},
		[]any{"xgroup", "create", k, "g", "0"},
		[]any{"xreadgroup", "group", "g", "c", "count", 1, "streams", k, ">"},
		[]any{"xack", k, "g", "0-1"})
}

// streamValue is a 16-byte value derived from rng.
func streamValue(rng *rand.Rand) string {
	return fmt.Sprintf("%016x", rng.Uint64())
}

func setupStreamXAdd(ctx context.Context, c *redis.Client, _ *wlConfig) (stepFunc, func(context.Context) error, func(context.Context) string, error) {
	if err := c.Del(ctx, streamXAddKey).Err(); err != nil {
		return nil, nil, nil, err
	}
	step := func(ctx context.Context, _ int, c *redis.Client, rng *rand.Rand, rec *recorder) {
		t := time.Now()
		if err := c.XAdd(ctx, &redis.XAddArgs{Stream: streamXAddKey, Values: []string{"f", streamValue(rng)}}).Err(); err != nil {
			rec.fail(ctx, err)
			return
		}
		rec.done(t)
	}
	check := func(ctx context.Context) string {
		n, err := c.XLen(ctx, streamXAddKey).Result()
		if err != nil {
			return "XLEN: " + oneLine(err.Error())
		}
		return fmt.Sprintf("XLEN=%d at the end", n)
	}
	return step, nil, check, nil
}

func setupStreamGroup(ctx context.Context, c *redis.Client, _ *wlConfig) (stepFunc, func(context.Context) error, func(context.Context) string, error) {
	if err := c.Del(ctx, streamGroupKey).Err(); err != nil {
		return nil, nil, nil, err
	}
	rng := rand.New(rand.NewPCG(5, 5))
	const batch = 500
	for i := 0; i < *streamBacklog; i += batch {
		p := c.Pipeline()
		for j := i; j < min(i+batch, *streamBacklog); j++ {
			p.XAdd(ctx, &redis.XAddArgs{Stream: streamGroupKey, ID: strconv.Itoa(j+1) + "-0", Values: []string{"f", streamValue(rng)}})
		}
		if _, err := p.Exec(ctx); err != nil {
			return nil, nil, nil, fmt.Errorf("prefill: %w", err)
		}
	}
	if err := c.XGroupCreate(ctx, streamGroupKey, streamGroup, "0").Err(); err != nil {
		return nil, nil, nil, fmt.Errorf("create group: %w", err)
	}
	step := func(ctx context.Context, id int, c *redis.Client, _ *rand.Rand, rec *recorder) {
		t := time.Now()
		res, err := c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: streamGroup, Consumer: "c" + strconv.Itoa(id), Streams: []string{streamGroupKey, ">"}, Count: 1, Block: -1}).Result()
		switch {
		case errors.Is(err, redis.Nil) || err == nil && (len(res) == 0 || len(res[0].Messages) == 0):
			rec.empty++
			return
		case err != nil:
			rec.fail(ctx, err)
			return
		}
		if err := c.XAck(ctx, streamGroupKey, streamGroup, res[0].Messages[0].ID).Err(); err != nil {
			rec.fail(ctx, err)
			return
		}
		rec.done(t)
	}
	check := func(ctx context.Context) string {
		p, err := c.XPending(ctx, streamGroupKey, streamGroup).Result()
		if err != nil {
			return "XPENDING: " + oneLine(err.Error())
		}
		return fmt.Sprintf("pending=%d at the end (acknowledged as read)", p.Count)
	}
	return step, nil, check, nil
}
