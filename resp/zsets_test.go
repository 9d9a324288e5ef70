package resp

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Sorted set commands through go-redis, in RESP2 and RESP3: typed replies,
// a long pipeline, and the paths the side-by-side corpus cannot compare
// (ZSCAN cursors over a large set, random members).

// zsetClients returns a RESP2 and a RESP3 client of one test server.
func zsetClients(t *testing.T) (*redis.Client, *redis.Client) {
	t.Helper()
	ts := startServer(t, nil)
	c2 := redis.NewClient(&redis.Options{Addr: ts.addr, Protocol: 2, MaxRetries: -1})
	c3 := redis.NewClient(&redis.Options{Addr: ts.addr, Protocol: 3, MaxRetries: -1})
	t.Cleanup(func() { c2.Close(); c3.Close() })
	return c2, c3
}

func TestZSetTypedReplies(t *testing.T) {
	c2, c3 := zsetClients(t)
	ctx := ctxT(t)
	for _, c := range []*redis.Client{c2, c3} {
		proto := c.Options().Protocol
		key := fmt.Sprintf("typed%d", proto)
		n, err := c.ZAdd(ctx, key, redis.Z{Score: 1.5, Member: "a"}, redis.Z{Score: math.Inf(1), Member: "b"}, redis.Z{Score: -2, Member: "c"}).Result()
		if err != nil || n != 3 {
			t.Fatalf("RESP%d ZADD: %d %v", proto, n, err)
		}
		if f, err := c.ZScore(ctx, key, "a").Result(); err != nil || f != 1.5 {
			t.Errorf("RESP%d ZSCORE: %v %v", proto, f, err)
		}
		if f, err := c.ZIncrBy(ctx, key, 0.25, "a").Result(); err != nil || f != 1.75 {
			t.Errorf("RESP%d ZINCRBY: %v %v", proto, f, err)
		}
		zs, err := c.ZRangeWithScores(ctx, key, 0, -1).Result()
		want := []redis.Z{{Score: -2, Member: "c"}, {Score: 1.75, Member: "a"}, {Score: math.Inf(1), Member: "b"}}
		if err != nil || fmt.Sprint(zs) != fmt.Sprint(want) {
			t.Errorf("RESP%d ZRANGE WITHSCORES: %v %v, want %v", proto, zs, err, want)
		}
		ms, err := c.ZMScore(ctx, key, "a", "nosuch", "c").Result()
		if err != nil || fmt.Sprint(ms) != "[1.75 0 -2]" {
			t.Errorf("RESP%d ZMSCORE: %v %v", proto, ms, err)
		}
		r, err := c.ZRevRank(ctx, key, "c").Result()
		if err != nil || r != 2 {
			t.Errorf("RESP%d ZREVRANK: %v %v", proto, r, err)
		}
		if _, err := c.ZRank(ctx, key, "nosuch").Result(); err != redis.Nil {
			t.Errorf("RESP%d ZRANK of a non-member: %v, want redis.Nil", proto, err)
		}
		pop, err := c.ZPopMax(ctx, key, 2).Result()
		if err != nil || fmt.Sprint(pop) != "[{+Inf b} {1.75 a}]" {
			t.Errorf("RESP%d ZPOPMAX 2: %v %v", proto, pop, err)
		}
		u, err := c.ZUnionWithScores(ctx, redis.ZStore{Keys: []string{key, key}, Weights: []float64{1, 2}}).Result()
		if err != nil || fmt.Sprint(u) != "[{-6 c}]" {
			t.Errorf("RESP%d ZUNION WITHSCORES: %v %v", proto, u, err)
		}
		if _, err := c.Do(ctx, "ZADD", key, "NX", "GT", 1, "x").Result(); err == nil ||
			err.Error() != "ERR GT, LT, and/or NX options at the same time are not compatible" {
			t.Errorf("RESP%d ZADD NX GT: %v", proto, err)
		}
	}
}

// TestZSetPipeline sends 1000 commands in one pipeline over RESP3 and
// checks every reply and the final state.
func TestZSetPipeline(t *testing.T) {
	_, c3 := zsetClients(t)
	ctx := ctxT(t)
	pipe := c3.Pipeline()
	var adds []*redis.IntCmd
	var incrs []*redis.FloatCmd
	for i := 0; i < 500; i++ {
		adds = append(adds, pipe.ZAdd(ctx, "pipe", redis.Z{Score: float64(i % 50), Member: fmt.Sprintf("m%03d", i)}))
		incrs = append(incrs, pipe.ZIncrBy(ctx, "pipe", 0.5, fmt.Sprintf("m%03d", i)))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range adds {
		if n, err := adds[i].Result(); err != nil || n != 1 {
			t.Fatalf("ZADD %d: %d %v", i, n, err)
		}
		if f, err := incrs[i].Result(); err != nil || f != float64(i%50)+0.5 {
			t.Fatalf("ZINCRBY %d: %v %v", i, f, err)
		}
	}
	if n, err := c3.ZCard(ctx, "pipe").Result(); err != nil || n != 500 {
		t.Fatalf("ZCARD: %d %v", n, err)
	}
	zs, err := c3.ZRangeWithScores(ctx, "pipe", 0, -1).Result()
	if err != nil || len(zs) != 500 {
		t.Fatalf("ZRANGE: %d %v", len(zs), err)
	}
	sorted := slices.IsSortedFunc(zs, func(a, b redis.Z) int {
		if a.Score != b.Score {
			if a.Score < b.Score {
				return -1
			}
			return 1
		}
		return cmpString(a.Member.(string), b.Member.(string))
	})
	if !sorted {
		t.Fatalf("ZRANGE not in score, member order")
	}
	if n, err := c3.ZCount(ctx, "pipe", "(10", "20").Result(); err != nil || n != 100 {
		t.Fatalf("ZCOUNT (10 20: %d %v", n, err)
	}
	if n, err := c3.ZRemRangeByRank(ctx, "pipe", 0, -101).Result(); err != nil || n != 400 {
		t.Fatalf("ZREMRANGEBYRANK: %d %v", n, err)
	}
	if got, _ := c3.ZRange(ctx, "pipe", 0, 0).Result(); fmt.Sprint(got) != "[m040]" {
		t.Fatalf("lowest left: %v", got)
	}
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestZSetScanLarge walks a set larger than the one-reply limit with
// cursors and finds every member once, MATCH applied.
func TestZSetScanLarge(t *testing.T) {
	c2, _ := zsetClients(t)
	ctx := ctxT(t)
	var zs []redis.Z
	for i := 0; i < 1000; i++ {
		zs = append(zs, redis.Z{Score: float64(i % 7), Member: fmt.Sprintf("member-%04d", i)})
	}
	if err := c2.ZAdd(ctx, "big", zs...).Err(); err != nil {
		t.Fatal(err)
	}
	seen := map[string]float64{}
	var cursor uint64
	calls := 0
	for {
		keys, next, err := c2.ZScan(ctx, "big", cursor, "", 37).Result()
		if err != nil {
			t.Fatal(err)
		}
		calls++
		for i := 0; i+1 < len(keys); i += 2 {
			if _, dup := seen[keys[i]]; dup {
				t.Fatalf("%s returned twice", keys[i])
			}
			var f float64
			fmt.Sscan(keys[i+1], &f)
			seen[keys[i]] = f
		}
		if next == 0 {
			break
		}
		cursor = next
	}
	if len(seen) != 1000 || calls < 1000/37 {
		t.Fatalf("saw %d members in %d calls", len(seen), calls)
	}
	for _, z := range zs {
		if seen[z.Member.(string)] != z.Score {
			t.Fatalf("%s scanned with %v, want %v", z.Member, seen[z.Member.(string)], z.Score)
		}
	}
	keys, _, err := c2.ZScan(ctx, "big", 0, "member-000*", 1000).Result()
	if err != nil || len(keys) != 20 {
		t.Fatalf("ZSCAN MATCH: %d %v", len(keys), err)
	}
	// Scores that change during a scan do not hide members.
	found := map[string]bool{}
	cursor = 0
	for round := 0; ; round++ {
		keys, next, err := c2.ZScan(ctx, "big", cursor, "", 100).Result()
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(keys); i += 2 {
			found[keys[i]] = true
		}
		if round == 0 {
			pipe := c2.Pipeline()
			for _, z := range zs {
				pipe.ZIncrBy(ctx, "big", float64(-1000-round), z.Member.(string))
			}
			if _, err := pipe.Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if next == 0 {
			break
		}
		cursor = next
	}
	if len(found) != 1000 {
		t.Fatalf("scan with changing scores found %d members, want 1000", len(found))
	}
}

// TestZSetRandMember checks distinct members for a positive count and
// repeats allowed for a negative one.
func TestZSetRandMember(t *testing.T) {
	c2, c3 := zsetClients(t)
	ctx := ctxT(t)
	var zs []redis.Z
	for i := 0; i < 300; i++ {
		zs = append(zs, redis.Z{Score: float64(i), Member: fmt.Sprint(i)})
	}
	c2.ZAdd(ctx, "r", zs...)
	got, err := c2.ZRandMember(ctx, "r", 100).Result()
	if err != nil || len(got) != 100 {
		t.Fatalf("ZRANDMEMBER 100: %d %v", len(got), err)
	}
	slices.Sort(got)
	if len(slices.Compact(got)) != 100 {
		t.Fatalf("ZRANDMEMBER 100 repeated members")
	}
	got, err = c2.ZRandMember(ctx, "r", -2000).Result()
	if err != nil || len(got) != 2000 {
		t.Fatalf("ZRANDMEMBER -2000: %d %v", len(got), err)
	}
	ws, err := c3.ZRandMemberWithScores(ctx, "r", 5).Result()
	if err != nil || len(ws) != 5 {
		t.Fatalf("ZRANDMEMBER WITHSCORES over RESP3: %v %v", ws, err)
	}
	for _, z := range ws {
		if fmt.Sprint(z.Score) != z.Member {
			t.Fatalf("member %v has score %v", z.Member, z.Score)
		}
	}
}

// TestZSetBZPop checks that BZPOPMIN waits until another client adds members,
// and that BZPOPMAX times out with a null reply.
func TestZSetBZPop(t *testing.T) {
	c2, c3 := zsetClients(t)
	ctx := ctxT(t)
	got := make(chan *redis.ZWithKey, 1)
	errs := make(chan error, 1)
	go func() {
		z, err := c3.BZPopMin(ctx, 0, "none", "wake").Result()
		if err != nil {
			errs <- err
			return
		}
		got <- z
	}()
	time.Sleep(100 * time.Millisecond)
	select {
	case z := <-got:
		t.Fatalf("BZPOPMIN returned %v before any ZADD", z)
	case err := <-errs:
		t.Fatal(err)
	default:
	}
	if err := c2.ZAdd(ctx, "wake", redis.Z{Score: 4, Member: "x"}, redis.Z{Score: 2, Member: "y"}).Err(); err != nil {
		t.Fatal(err)
	}
	select {
	case z := <-got:
		if z.Key != "wake" || z.Member != "y" || z.Score != 2 {
			t.Fatalf("BZPOPMIN: %+v", z)
		}
	case err := <-errs:
		t.Fatal(err)
	case <-time.After(10 * time.Second):
		t.Fatal("BZPOPMIN not woken by ZADD")
	}
	// BZMPOP wakes on a STORE that creates the key.
	mres := make(chan []redis.Z, 1)
	go func() {
		_, zs, err := c3.BZMPop(ctx, 0, "max", 5, "stored").Result()
		if err != nil {
			errs <- err
			return
		}
		mres <- zs
	}()
	time.Sleep(100 * time.Millisecond)
	if err := c2.ZUnionStore(ctx, "stored", &redis.ZStore{Keys: []string{"wake"}, Weights: []float64{2}}).Err(); err != nil {
		t.Fatal(err)
	}
	select {
	case zs := <-mres:
		if fmt.Sprint(zs) != "[{8 x}]" {
			t.Fatalf("BZMPOP: %v", zs)
		}
	case err := <-errs:
		t.Fatal(err)
	case <-time.After(10 * time.Second):
		t.Fatal("BZMPOP not woken by ZUNIONSTORE")
	}
	start := time.Now()
	if _, err := c2.BZPopMax(ctx, 200*time.Millisecond, "none").Result(); err != redis.Nil {
		t.Fatalf("BZPOPMAX on a missing key: %v, want redis.Nil", err)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("BZPOPMAX returned after %v, before its timeout", d)
	}
}

// TestZSetRandomAgainstRedis sends the same random sorted set commands to
// a real redis-server and to Aspen and compares every reply byte for byte.
// Lexicographic commands go to a key whose members all have score 0, the
// only case Redis defines them for.
func TestZSetRandomAgainstRedis(t *testing.T) {
	ref := dialRaw(t, startRedis(t))
	ts := startServer(t, nil)
	ours := dialRaw(t, ts.addr)
	for _, c := range []*rawConn{ref, ours} {
		c.send([]string{"FLUSHALL"})
		c.mustReply()
	}
	rng := rand.New(rand.NewPCG(11, 13))
	mem := func() string { return string(rune('a' + rng.IntN(8))) }
	sc := func() string {
		return []string{"0", "1", "2", "-1", "1.5", "inf", "-inf", "3", "(1", "(2", "-0", "(-inf", "+inf", "(0"}[rng.IntN(14)]
	}
	lex := func() string {
		return []string{"-", "+", "[a", "(a", "[c", "(c", "[e", "(h", "[", "(", "[b"}[rng.IntN(11)]
	}
	key := func() string { return []string{"k1", "k2", "k3", "s1"}[rng.IntN(4)] }
	num := func() string { return fmt.Sprint(rng.IntN(9) - 4) }
	for i := 0; i < 6000; i++ {
		var args []string
		switch rng.IntN(22) {
		case 0, 1, 2:
			args = []string{"ZADD", key()}
			for _, o := range []string{"NX", "XX", "GT", "LT", "CH", "INCR"} {
				if rng.IntN(6) == 0 {
					args = append(args, o)
				}
			}
			n := 1 + rng.IntN(3)
			for j := 0; j < n; j++ {
				s := sc()
				if s[0] == '(' {
					s = "2"
				}
				args = append(args, s, mem())
			}
		case 3:
			args = []string{"ZINCRBY", key(), []string{"1", "-1", "0.5", "inf", "-inf"}[rng.IntN(5)], mem()}
		case 4:
			args = []string{"ZREM", key(), mem(), mem()}
		case 5:
			args = []string{"ZRANGE", key(), num(), num(), "WITHSCORES"}
		case 6:
			args = []string{"ZRANGEBYSCORE", key(), sc(), sc(), "WITHSCORES", "LIMIT", num(), num()}
		case 7:
			args = []string{"ZREVRANGEBYSCORE", key(), sc(), sc(), "WITHSCORES"}
		case 8:
			args = []string{"ZRANGEBYLEX", "L", lex(), lex()}
		case 9:
			args = []string{"ZREVRANGEBYLEX", "L", lex(), lex(), "LIMIT", num(), num()}
		case 10:
			args = []string{"ZLEXCOUNT", "L", lex(), lex()}
		case 11:
			args = []string{"ZCOUNT", key(), sc(), sc()}
		case 12:
			args = []string{"ZREMRANGEBYRANK", key(), num(), num()}
		case 13:
			args = []string{"ZREMRANGEBYSCORE", key(), sc(), sc()}
		case 14:
			args = []string{"ZREMRANGEBYLEX", "L", lex(), lex()}
		case 15:
			args = []string{[]string{"ZPOPMIN", "ZPOPMAX"}[rng.IntN(2)], key(), fmt.Sprint(rng.IntN(3))}
		case 16:
			args = []string{[]string{"ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"}[rng.IntN(3)], key(), "2", key(), key()}
		case 17:
			args = []string{[]string{"ZUNION", "ZINTER", "ZDIFF"}[rng.IntN(3)], "2", key(), key(), "WITHSCORES"}
		case 18:
			args = []string{"ZRANK", key(), mem()}
		case 19:
			args = []string{"ZRANGESTORE", key(), key(), num(), num(), []string{"REV", "BYSCORE", "BYLEX"}[rng.IntN(3)]}
			if args[5] == "BYSCORE" {
				args[3], args[4] = sc(), sc()
			}
			if args[5] == "BYLEX" {
				args[2], args[3], args[4] = "L", lex(), lex()
			}
		case 20:
			args = []string{"ZRANGE", "L", lex(), lex(), "BYLEX", "REV"}
		case 21:
			if rng.IntN(2) == 0 {
				args = []string{"SADD", "s1", mem()}
			} else {
				args = []string{"ZADD", "L", "0", mem(), "0", mem()}
			}
		}
		if i%3000 == 2999 {
			ref.nc.SetDeadline(time.Now().Add(30 * time.Second))
			ours.nc.SetDeadline(time.Now().Add(30 * time.Second))
		}
		ref.send(args)
		ours.send(args)
		want := ref.mustReply()
		got, err := ours.reply()
		if err != nil {
			t.Fatalf("step %d %q: %v", i, args, err)
		}
		if want != got {
			t.Fatalf("step %d %q:\n got  %s\n want %s", i, args, got, want)
		}
	}
}
