package resp

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// startEvictor runs the server's eviction loop as the leader would.
func startEvictor(t *testing.T, ts *testServer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		ts.srv.Cache().Run(ctx, 10*time.Millisecond, func() bool { return true })
	}()
	t.Cleanup(func() { cancel(); <-done })
}

func infoField(t *testing.T, rdb *redis.Client, section, name string) string {
	t.Helper()
	info, err := rdb.Info(ctxT(t), section).Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			return v
		}
	}
	t.Fatalf("INFO %s has no %s:\n%s", section, name, info)
	return ""
}

// TestNoEvictionOOM: over maxmemory with noeviction, commands that add
// data get Redis's OOM error; reads and deletes still work, and once data
// is deleted writes work again.
func TestNoEvictionOOM(t *testing.T) {
	ts := startServer(t, nil)
	startEvictor(t, ts)
	rdb := ts.client(t)
	ctx := ctxT(t)
	for i := range 100 {
		if err := rdb.Set(ctx, fmt.Sprintf("k%03d", i), strings.Repeat("v", 100), 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	if err := rdb.ConfigSet(ctx, "maxmemory", "5000").Err(); err != nil {
		t.Fatal(err)
	}
	var err error
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if err = rdb.Set(ctx, "more", "x", 0).Err(); err != nil {
			break
		}
	}
	if err == nil || err.Error() != msgOOM {
		t.Fatalf("SET over maxmemory: %v, want %q", err, msgOOM)
	}
	if err := rdb.RPush(ctx, "list", "x").Err(); err == nil || err.Error() != msgOOM {
		t.Fatalf("RPUSH over maxmemory: %v", err)
	}
	if v, err := rdb.Get(ctx, "k000").Result(); err != nil || len(v) != 100 {
		t.Fatalf("GET over maxmemory: %q, %v", v, err)
	}
	// MULTI with a refused command aborts.
	pipe := rdb.TxPipeline()
	pipe.Set(ctx, "in-multi", "x", 0)
	if _, err := pipe.Exec(ctx); err == nil || !strings.Contains(err.Error(), "EXECABORT") {
		t.Fatalf("EXEC with an OOM-refused command: %v", err)
	}
	keys := make([]string, 100)
	for i := range keys {
		keys[i] = fmt.Sprintf("k%03d", i)
	}
	if err := rdb.Del(ctx, keys...).Err(); err != nil {
		t.Fatalf("DEL over maxmemory: %v", err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if err = rdb.Set(ctx, "more", "x", 0).Err(); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("SET after freeing memory: %v", err)
		}
	}
	for deadline := time.Now().Add(10 * time.Second); infoField(t, rdb, "memory", "used_memory_dataset") == "0"; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("used_memory_dataset stays 0 with data")
		}
	}
}

// TestAllKeysLRUOverTheWire fills past maxmemory under allkeys-lru while
// a small hot set is read as a cache would be (a miss is filled again):
// the data settles under the limit, evicted_keys counts, most cold keys go
// and the hot set is almost always found.
func TestAllKeysLRUOverTheWire(t *testing.T) {
	ts := startServer(t, nil)
	startEvictor(t, ts)
	rdb := ts.client(t)
	ctx := ctxT(t)
	for _, kv := range [][2]string{{"maxmemory-policy", "allkeys-lru"}, {"maxmemory-samples", "10"}, {"maxmemory", "40000"}} {
		if err := rdb.ConfigSet(ctx, kv[0], kv[1]).Err(); err != nil {
			t.Fatal(err)
		}
	}
	hot := []string{"hot:a", "hot:b", "hot:c"}
	hotReads, hotMisses := 0, 0
	for i := range 1500 {
		if err := rdb.Set(ctx, fmt.Sprintf("cold:%04d", i), strings.Repeat("c", 100), 0).Err(); err != nil {
			t.Fatalf("SET %d: %v", i, err)
		}
		if i%5 != 0 {
			continue
		}
		time.Sleep(time.Millisecond) // let the clocks tell hot from cold
		for _, k := range hot {
			hotReads++
			if err := rdb.Get(ctx, k).Err(); err == redis.Nil {
				hotMisses++
				if err := rdb.Set(ctx, k, strings.Repeat("h", 100), 0).Err(); err != nil {
					t.Fatal(err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
		}
	}
	var used int
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		fmt.Sscan(infoField(t, rdb, "memory", "used_memory_dataset"), &used)
		if used <= 40000 {
			break
		}
		if time.Now().After(deadline) {
			n, err := ts.srv.Cache().EvictOnce(ctx)
			t.Fatalf("used_memory_dataset %d stays over maxmemory 40000 (EvictOnce now: %d, %v; config %+v)", used, n, err, ts.srv.Cache().Config())
		}
	}
	n, _ := rdb.DBSize(ctx).Result()
	if n > 500 || n == 0 {
		t.Fatalf("DBSIZE = %d after eviction", n)
	}
	if ev := infoField(t, rdb, "stats", "evicted_keys"); ev == "0" {
		t.Fatal("evicted_keys = 0")
	}
	// The first misses are the initial fills; after that a hot key may
	// only rarely be the best of a sample.
	if hotMisses-len(hot) > hotReads/10 {
		t.Fatalf("hot keys missed %d of %d reads under allkeys-lru", hotMisses, hotReads)
	}
	t.Logf("%d keys left; hot keys missed %d of %d reads", n, hotMisses, hotReads)
}

// TestObjectCommand checks OBJECT's subcommands against Redis's rules.
func TestObjectFreqIdle(t *testing.T) {
	ts := startServer(t, nil)
	rdb := ts.client(t)
	ctx := ctxT(t)
	if err := rdb.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if err := rdb.Do(ctx, "OBJECT", "FREQ", "k").Err(); err == nil || !strings.HasPrefix(err.Error(), "ERR An LFU maxmemory policy is not selected") {
		t.Fatalf("OBJECT FREQ without LFU: %v", err)
	}
	if n, err := rdb.ObjectIdleTime(ctx, "k").Result(); err != nil || n > time.Minute {
		t.Fatalf("OBJECT IDLETIME = %v, %v", n, err)
	}
	if err := rdb.ConfigSet(ctx, "maxmemory-policy", "allkeys-lfu").Err(); err != nil {
		t.Fatal(err)
	}
	for range 50 {
		rdb.Get(ctx, "k")
	}
	if n, err := rdb.ObjectFreq(ctx, "k").Result(); err != nil || n < 5 {
		t.Fatalf("OBJECT FREQ after 50 reads = %d, %v", n, err)
	}
	if err := rdb.Do(ctx, "OBJECT", "IDLETIME", "k").Err(); err == nil || !strings.HasPrefix(err.Error(), "ERR An LRU maxmemory policy is not selected") {
		t.Fatalf("OBJECT IDLETIME under LFU: %v", err)
	}
}
