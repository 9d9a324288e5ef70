package resp

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestMultiExecAtomic checks that a concurrent reader never sees half of a
// MULTI/EXEC: the two keys it sets always read equal.
func TestMultiExecAtomic(t *testing.T) {
	ts := startServer(t, nil)
	writer, reader := ts.client(t), ts.client(t)
	ctx := ctxT(t)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(done)
		for i := range 100 {
			v := strconv.Itoa(i)
			_, err := writer.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Set(ctx, "a", v, 0)
				p.Set(ctx, "b", v, 0)
				return nil
			})
			if err != nil {
				t.Errorf("EXEC %d: %v", i, err)
				return
			}
		}
	}()
	reads := 0
	for {
		select {
		case <-done:
			wg.Wait()
			if reads == 0 {
				t.Fatal("no reads overlapped the transactions")
			}
			return
		default:
		}
		vals, err := reader.MGet(ctx, "a", "b").Result()
		if err != nil {
			t.Fatal(err)
		}
		if vals[0] != vals[1] {
			t.Fatalf("saw half a transaction: a=%v b=%v", vals[0], vals[1])
		}
		reads++
	}
}

// TestWatchOptimisticIncrement runs the classic WATCH/GET/MULTI/SET/EXEC
// retry loop from several clients: no increment is lost.
func TestWatchOptimisticIncrement(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	const clients, each = 4, 15
	var wg sync.WaitGroup
	for c := range clients {
		rdb := ts.client(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				for {
					err := rdb.Watch(ctx, func(tx *redis.Tx) error {
						n, err := tx.Get(ctx, "counter").Int()
						if err != nil && !errors.Is(err, redis.Nil) {
							return err
						}
						_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
							p.Set(ctx, "counter", n+1, 0)
							return nil
						})
						return err
					}, "counter")
					if errors.Is(err, redis.TxFailedErr) {
						continue
					}
					if err != nil {
						t.Errorf("client %d: %v", c, err)
						return
					}
					break
				}
			}
		}()
	}
	wg.Wait()
	got, err := ts.client(t).Get(ctx, "counter").Int()
	if err != nil || got != clients*each {
		t.Fatalf("counter = %d, %v; want %d", got, err, clients*each)
	}
}

// TestWatchedKeyExpiryAborts: a watched key that expires before EXEC
// aborts the transaction, as in Redis 7.
func TestWatchedKeyExpiryAborts(t *testing.T) {
	ts := startServer(t, nil)
	rdb := ts.client(t)
	ctx := ctxT(t)
	if err := rdb.Set(ctx, "short", "v", 50*time.Millisecond).Err(); err != nil {
		t.Fatal(err)
	}
	err := rdb.Watch(ctx, func(tx *redis.Tx) error {
		time.Sleep(100 * time.Millisecond)
		_, err := tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, "other", "x", 0)
			return nil
		})
		return err
	}, "short")
	if !errors.Is(err, redis.TxFailedErr) {
		t.Fatalf("EXEC after the watched key expired: %v, want %v", err, redis.TxFailedErr)
	}
	if n, _ := rdb.Exists(ctx, "other").Result(); n != 0 {
		t.Fatalf("the aborted transaction wrote")
	}
}

// TestLongTransaction queues 1000 commands and checks every reply.
func TestLongTransaction(t *testing.T) {
	ts := startServer(t, nil)
	rdb := ts.client(t)
	ctx := ctxT(t)
	cmds, err := rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for i := range 500 {
			p.Set(ctx, fmt.Sprintf("k%d", i), i, 0)
			p.IncrBy(ctx, fmt.Sprintf("k%d", i), 1)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 500 {
		if n, err := cmds[2*i+1].(*redis.IntCmd).Result(); err != nil || n != int64(i+1) {
			t.Fatalf("INCRBY k%d in EXEC = %d, %v", i, n, err)
		}
	}
	if n, _ := rdb.DBSize(ctx).Result(); n != 500 {
		t.Fatalf("DBSIZE = %d", n)
	}
}
