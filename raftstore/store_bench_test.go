package raftstore_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

// BenchmarkCommit measures committed single-key writes on a one-node store
// with 1, 16 and 64 concurrent writers; group commit shares log fsyncs
// among them. It reports commits/s and p50/p99 commit latency.
func BenchmarkCommit(b *testing.B) {
	for _, writers := range []int{1, 16, 64} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			s := raftstoretest.New(b)
			ctx := context.Background()
			var next atomic.Int64
			lats := make([][]time.Duration, writers)
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for w := 0; w < writers; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for {
						i := next.Add(1)
						if i > int64(b.N) {
							return
						}
						t0 := time.Now()
						tx, err := s.Begin(ctx)
						if err != nil {
							b.Error(err)
							return
						}
						tx.Set([]byte(fmt.Sprintf("bench/%d", i)), []byte("value"))
						if _, err := tx.Commit(ctx); err != nil {
							b.Error(err)
							return
						}
						lats[w] = append(lats[w], time.Since(t0))
					}
				}(w)
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			var all []time.Duration
			for _, l := range lats {
				all = append(all, l...)
			}
			if len(all) == 0 {
				return
			}
			sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
			b.ReportMetric(float64(len(all))/elapsed.Seconds(), "commits/s")
			b.ReportMetric(float64(all[len(all)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
		})
	}
}

// BenchmarkPointRead measures linearizable point reads (Begin + Get) on a
// one-node store.
func BenchmarkPointRead(b *testing.B) {
	s := raftstoretest.New(b)
	ctx := context.Background()
	tx, _ := s.Begin(ctx)
	for i := 0; i < 1000; i++ {
		tx.Set([]byte(fmt.Sprintf("k%04d", i)), []byte("value"))
	}
	if _, err := tx.Commit(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			tx, err := s.Begin(ctx)
			if err != nil {
				b.Error(err)
				return
			}
			if _, err := tx.Get([]byte(fmt.Sprintf("k%04d", i%1000))); err != nil {
				b.Error(err)
			}
			tx.Rollback()
			i++
		}
	})
}
