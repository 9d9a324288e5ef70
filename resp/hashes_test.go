package resp

// Tests of the hash commands through go-redis on a real store; their
// replies are also compared with redis-server by testdata/compat/hashes.txt.

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"
)

// TestHashCommands drives every hash command through go-redis, over RESP2
// (replies as Redis 7.0 gives them there) on a real store.
func TestHashCommands(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := redis.NewClient(&redis.Options{Addr: ts.addr, MaxRetries: -1, Protocol: 2})
	t.Cleanup(func() { c.Close() })
	steps := []step{
		{args: []any{"HSET", "h", "b", "2", "a", "1"}, want: int64(2)},
		{args: []any{"HSET", "h", "a", "10", "c", "3"}, want: int64(1)},
		{args: []any{"HSET", "h", "x"}, errMsg: "ERR wrong number of arguments for 'hset' command"},
		{args: []any{"HMSET", "h", "d", "4"}, want: "OK"},
		{args: []any{"HMSET", "h", "d", "4", "e"}, errMsg: "ERR wrong number of arguments for 'hmset' command"},
		{args: []any{"HSETNX", "h", "d", "no"}, want: int64(0)},
		{args: []any{"HSETNX", "h", "e", "5"}, want: int64(1)},
		{args: []any{"HGET", "h", "a"}, want: "10"},
		{args: []any{"HGET", "h", "zz"}, want: nil},
		{args: []any{"HMGET", "h", "a", "zz", "b"}, want: []any{"10", nil, "2"}},
		{args: []any{"HLEN", "h"}, want: int64(5)},
		{args: []any{"HEXISTS", "h", "c"}, want: int64(1)},
		{args: []any{"HSTRLEN", "h", "a"}, want: int64(2)},
		{args: []any{"HGETALL", "h"}, want: []any{"a", "10", "b", "2", "c", "3", "d", "4", "e", "5"}},
		{args: []any{"HKEYS", "h"}, want: []any{"a", "b", "c", "d", "e"}},
		{args: []any{"HVALS", "h"}, want: []any{"10", "2", "3", "4", "5"}},
		{args: []any{"HINCRBY", "h", "a", "-11"}, want: int64(-1)},
		{args: []any{"HINCRBY", "h", "a", "x"}, errMsg: "ERR value is not an integer or out of range"},
		{args: []any{"HINCRBYFLOAT", "h", "f", "2.5"}, want: "2.5"},
		{args: []any{"HINCRBYFLOAT", "h", "f", "inf"}, errMsg: "ERR value is NaN or Infinity"},
		{args: []any{"HSET", "h", "s", "abc"}, want: int64(1)},
		{args: []any{"HINCRBY", "h", "s", "1"}, errMsg: "ERR hash value is not an integer"},
		{args: []any{"HINCRBYFLOAT", "h", "s", "1"}, errMsg: "ERR hash value is not a float"},
		{args: []any{"HSCAN", "h", "0", "MATCH", "[ab]"}, want: []any{"0", []any{"a", "-1", "b", "2"}}},
		{args: []any{"HSCAN", "h", "x"}, errMsg: "ERR invalid cursor"},
		{args: []any{"HSCAN", "h", "0", "COUNT", "0"}, errMsg: "ERR syntax error"},
		{args: []any{"HDEL", "h", "a", "b", "c", "d", "e", "f", "zz"}, want: int64(6)},
		{args: []any{"HRANDFIELD", "h"}, want: "s"},
		{args: []any{"HRANDFIELD", "h", "-2", "WITHVALUES"}, want: []any{"s", "abc", "s", "abc"}},
		{args: []any{"HRANDFIELD", "h", "-20000000"}, errMsg: "ERR value is out of range"},
		{args: []any{"HDEL", "h", "s"}, want: int64(1)},
		{args: []any{"EXISTS", "h"}, want: int64(0)},
		{args: []any{"HGETALL", "h"}, want: []any{}},
		{args: []any{"SET", "str", "v"}, want: "OK"},
		{args: []any{"HGET", "str", "f"}, errMsg: msgWrongTypeText},
		{args: []any{"HSET", "str", "f", "v"}, errMsg: msgWrongTypeText},
		{args: []any{"HRANDFIELD", "str", "1"}, errMsg: msgWrongTypeText},
	}
	runSteps(t, ctx, c, steps)
}

// TestHashPipeline sends 1000 HSET and HGET commands in one pipeline: the
// writes are grouped into shared commits and every reply comes back in
// order.
func TestHashPipeline(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	pipe := c.Pipeline()
	var sets []*redis.IntCmd
	var gets []*redis.StringCmd
	for i := range 500 {
		key := fmt.Sprintf("h%d", i%7)
		field := fmt.Sprintf("f%d", i)
		sets = append(sets, pipe.HSet(ctx, key, field, i))
		gets = append(gets, pipe.HGet(ctx, key, field))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range 500 {
		if n, err := sets[i].Result(); n != 1 || err != nil {
			t.Fatalf("HSET %d = %d, %v", i, n, err)
		}
		if v, err := gets[i].Result(); v != fmt.Sprint(i) || err != nil {
			t.Fatalf("HGET %d = %q, %v", i, v, err)
		}
	}
	var total int64
	for k := range 7 {
		n, err := c.HLen(ctx, fmt.Sprintf("h%d", k)).Result()
		if err != nil {
			t.Fatal(err)
		}
		total += n
	}
	if total != 500 {
		t.Fatalf("fields in all = %d, want 500", total)
	}
}

// TestHashRESP3: after HELLO 3 (go-redis's Protocol: 3), HGETALL is a map
// and HRANDFIELD WITHVALUES a list of pairs; in RESP2 both are flat.
func TestHashRESP3(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c3 := redis.NewClient(&redis.Options{Addr: ts.addr, MaxRetries: -1, Protocol: 3})
	c2 := redis.NewClient(&redis.Options{Addr: ts.addr, MaxRetries: -1, Protocol: 2})
	t.Cleanup(func() { c3.Close(); c2.Close() })
	if err := c3.HSet(ctx, "h", "a", "1", "b", "2").Err(); err != nil {
		t.Fatal(err)
	}
	raw, err := c3.Do(ctx, "HGETALL", "h").Result()
	if err != nil {
		t.Fatal(err)
	}
	m, ok := raw.(map[any]any)
	if !ok || len(m) != 2 || m["a"] != "1" || m["b"] != "2" {
		t.Fatalf("RESP3 HGETALL = %#v, want a map", raw)
	}
	if got, err := c3.HGetAll(ctx, "h").Result(); err != nil || len(got) != 2 || got["a"] != "1" {
		t.Fatalf("HGetAll = %v, %v", got, err)
	}
	raw, err = c2.Do(ctx, "HGETALL", "h").Result()
	if fmt.Sprint(raw) != "[a 1 b 2]" || err != nil {
		t.Fatalf("RESP2 HGETALL = %#v, %v", raw, err)
	}
	raw, err = c3.Do(ctx, "HRANDFIELD", "h", "-3", "WITHVALUES").Result()
	pairs, ok := raw.([]any)
	if err != nil || !ok || len(pairs) != 3 {
		t.Fatalf("RESP3 HRANDFIELD WITHVALUES = %#v, %v", raw, err)
	}
	for _, p := range pairs {
		kv, ok := p.([]any)
		if !ok || len(kv) != 2 || (fmt.Sprint(kv) != "[a 1]" && fmt.Sprint(kv) != "[b 2]") {
			t.Fatalf("RESP3 HRANDFIELD pair = %#v", p)
		}
	}
	kvs, err := c3.HRandFieldWithValues(ctx, "h", 5).Result()
	if err != nil || len(kvs) != 2 {
		t.Fatalf("HRandFieldWithValues = %v, %v", kvs, err)
	}
	if raw, err = c3.Do(ctx, "HGET", "h", "zz").Result(); err != redis.Nil {
		t.Fatalf("RESP3 HGET of a missing field = %#v, %v", raw, err)
	}
	if got, err := c3.HIncrByFloat(ctx, "h", "a", 0.5).Result(); got != 1.5 || err != nil {
		t.Fatalf("HIncrByFloat = %v, %v", got, err)
	}
}

// TestHScanLargeHash walks HSCAN over a hash too large for Redis's compact
// encoding while fields come and go: every field present throughout comes
// back exactly once, no batch exceeds COUNT, and long shared prefixes (whose
// cursors live in the server's table) resume correctly.
func TestHScanLargeHash(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	var stable []string
	var args []any
	for i := range 400 {
		f := fmt.Sprintf("session:user:%05d", i)
		if i%3 == 0 {
			f = fmt.Sprintf("%d-%c", i, 'a'+i%26)
		}
		stable = append(stable, f)
		args = append(args, f, i)
	}
	for i := range 50 {
		args = append(args, fmt.Sprintf("gone:%d", i), "x")
	}
	if err := c.HSet(ctx, "big", args...).Err(); err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	var cursor uint64
	for round := 0; ; round++ {
		if round > 1000 {
			t.Fatal("HSCAN does not finish")
		}
		kv, next, err := c.HScan(ctx, "big", cursor, "", 15).Result()
		if err != nil {
			t.Fatal(err)
		}
		if len(kv) > 30 {
			t.Fatalf("batch of %d fields for COUNT 15", len(kv)/2)
		}
		for i := 0; i < len(kv); i += 2 {
			seen[kv[i]]++
		}
		if round < 50 {
			c.HDel(ctx, "big", fmt.Sprintf("gone:%d", round))
			c.HSet(ctx, "big", fmt.Sprintf("added:%d", round), "y")
		}
		if next == 0 {
			break
		}
		cursor = next
	}
	for _, f := range stable {
		if seen[f] != 1 {
			t.Errorf("field %q returned %d times, want once", f, seen[f])
		}
	}
	for f, n := range seen {
		if n != 1 {
			t.Errorf("field %q returned %d times", f, n)
		}
	}
	// MATCH filters the fields each batch visits.
	var matched []string
	cursor = 0
	for {
		kv, next, err := c.HScan(ctx, "big", cursor, "session:user:0000*", 50).Result()
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(kv); i += 2 {
			matched = append(matched, kv[i])
		}
		if next == 0 {
			break
		}
		cursor = next
	}
	if want := "session:user:00001 session:user:00002 session:user:00004 session:user:00005 session:user:00007 session:user:00008"; strings.Join(matched, " ") != want {
		t.Errorf("HSCAN MATCH = %q", matched)
	}
	if err := c.Do(ctx, "HSCAN", "big", "5").Err(); err == nil || err.Error() != "ERR invalid cursor" {
		t.Errorf("HSCAN of a large hash with a made-up cursor: %v", err)
	}
}

// TestHRandFieldLarge checks HRANDFIELD's counts on a hash too large to be
// read whole for it.
func TestHRandFieldLarge(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	var args []any
	want := map[string]string{}
	for i := range 3000 {
		f := fmt.Sprintf("f:%d", i)
		want[f] = fmt.Sprint(i * 7)
		args = append(args, f, want[f])
	}
	if err := c.HSet(ctx, "big", args...).Err(); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 10, 900, 1001, 3000, 4000} {
		fields, err := c.HRandField(ctx, "big", n).Result()
		if err != nil || len(fields) != min(n, 3000) {
			t.Fatalf("HRANDFIELD %d: %d fields, %v", n, len(fields), err)
		}
		seen := map[string]bool{}
		for _, f := range fields {
			if _, ok := want[f]; !ok || seen[f] {
				t.Fatalf("HRANDFIELD %d: unknown or repeated field %q", n, f)
			}
			seen[f] = true
		}
	}
	kvs, err := c.HRandFieldWithValues(ctx, "big", -500).Result()
	if err != nil || len(kvs) != 500 {
		t.Fatalf("HRANDFIELD -500 WITHVALUES: %d, %v", len(kvs), err)
	}
	for _, kv := range kvs {
		if want[kv.Key] != kv.Value {
			t.Fatalf("HRANDFIELD WITHVALUES: pair %s=%s", kv.Key, kv.Value)
		}
	}
}

// TestHashTransactionsAndConcurrency: MULTI/EXEC replays hash commands at
// apply time, and concurrent HINCRBY from many clients loses no update.
func TestHashTransactionsAndConcurrency(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	cmds, err := c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, "tx", "a", 1)
		p.HIncrBy(ctx, "tx", "a", 41)
		p.HGet(ctx, "tx", "a")
		p.HDel(ctx, "tx", "a")
		p.Exists(ctx, "tx")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, cmd := range cmds {
		switch x := cmd.(type) {
		case *redis.IntCmd:
			got = append(got, fmt.Sprint(x.Val()))
		case *redis.StringCmd:
			got = append(got, x.Val())
		default:
			t.Fatalf("unexpected reply %v", cmd)
		}
	}
	if strings.Join(got, " ") != "1 42 42 1 0" {
		t.Fatalf("MULTI/EXEC replies = %q", got)
	}

	const workers, each = 8, 40
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		cl := ts.client(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				field := "shared"
				if i%2 == 1 {
					field = fmt.Sprintf("own:%d", w)
				}
				if err := cl.HIncrBy(context.Background(), "ctr", field, 1).Err(); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	all, err := c.HGetAll(ctx, "ctr").Result()
	if err != nil {
		t.Fatal(err)
	}
	if all["shared"] != fmt.Sprint(workers*each/2) || len(all) != workers+1 {
		t.Fatalf("counters = %v", all)
	}
	if n, err := c.HLen(ctx, "ctr").Result(); n != workers+1 || err != nil {
		t.Fatalf("HLEN = %d, %v", n, err)
	}
}
