package resp

import (
	"context"
	"log/slog"
	"net"
	"strconv"
	"testing"

	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
	"github.com/redis/go-redis/v9"
)

// benchTargets returns the servers to compare: Aspen, and a real Redis when
// one is installed, so that `go test -bench` prints both side by side.
func benchTargets(b *testing.B) map[string]string {
	b.Helper()
	store := raftstoretest.NewWithMutations(b, Mutations())
	srv := NewServer(strkv.New(store), slog.New(slog.DiscardHandler))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	targets := map[string]string{"aspen": ln.Addr().String()}
	if addr, ok := startRedisTB(b); ok {
		targets["redis"] = addr
	}
	return targets
}

func benchClient(b *testing.B, addr string, pool int) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: addr, PoolSize: pool, MaxRetries: -1})
	b.Cleanup(func() { c.Close() })
	if err := c.FlushAll(context.Background()).Err(); err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkIncrParallel: 32 clients INCR one hot key, one command per round
// trip.
func BenchmarkIncrParallel(b *testing.B) {
	for name, addr := range benchTargets(b) {
		b.Run(name, func(b *testing.B) {
			c := benchClient(b, addr, 32)
			ctx := context.Background()
			b.SetParallelism(16) // x GOMAXPROCS goroutines
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := c.Incr(ctx, "hot").Err(); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkSetGet: one client, SET then GET of distinct keys, unpipelined:
// the latency of one write and one read.
func BenchmarkSetGet(b *testing.B) {
	for name, addr := range benchTargets(b) {
		b.Run(name, func(b *testing.B) {
			c := benchClient(b, addr, 1)
			ctx := context.Background()
			for i := 0; b.Loop(); i++ {
				k := "k" + strconv.Itoa(i)
				if err := c.Set(ctx, k, "value", 0).Err(); err != nil {
					b.Fatal(err)
				}
				if err := c.Get(ctx, k).Err(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPipelinedIncr: one client, pipelines of 100 INCRs; one op is one
// INCR.
func BenchmarkPipelinedIncr(b *testing.B) {
	for name, addr := range benchTargets(b) {
		b.Run(name, func(b *testing.B) {
			c := benchClient(b, addr, 1)
			ctx := context.Background()
			const depth = 100
			for b.Loop() {
				pipe := c.Pipeline()
				for range depth {
					pipe.Incr(ctx, "hot")
				}
				if _, err := pipe.Exec(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*depth), "ns/incr")
		})
	}
}
