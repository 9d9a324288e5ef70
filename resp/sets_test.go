package resp

import (
	"context"
	"fmt"
	"github.com/aspen-db/aspen/internal/glob"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"
)

// Tests of the set commands through real clients: go-redis in RESP2 and
// RESP3, and raw RESP for the reply types.

func TestSetCommands(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	steps := []step{
		{args: []any{"SADD", "s", "a", "b", "c", "a"}, want: int64(3)},
		{args: []any{"SADD", "s", "c", "d"}, want: int64(1)},
		{args: []any{"SCARD", "s"}, want: int64(4)},
		{args: []any{"SMEMBERS", "s"}, want: []any{"a", "b", "c", "d"}},
		{args: []any{"SISMEMBER", "s", "b"}, want: int64(1)},
		{args: []any{"SISMEMBER", "s", "z"}, want: int64(0)},
		{args: []any{"SMISMEMBER", "s", "z", "a"}, want: []any{int64(0), int64(1)}},
		{args: []any{"SREM", "s", "a", "z"}, want: int64(1)},
		{args: []any{"TYPE", "s"}, want: "set"},
		{args: []any{"SADD", "t", "c", "d", "e"}, want: int64(3)},
		{args: []any{"SINTER", "s", "t"}, want: []any{"c", "d"}},
		{args: []any{"SUNION", "s", "t"}, want: []any{"b", "c", "d", "e"}},
		{args: []any{"SDIFF", "s", "t"}, want: []any{"b"}},
		{args: []any{"SINTERCARD", "2", "s", "t", "LIMIT", "1"}, want: int64(1)},
		{args: []any{"SINTERSTORE", "u", "s", "t"}, want: int64(2)},
		{args: []any{"SUNIONSTORE", "u", "s", "t"}, want: int64(4)},
		{args: []any{"SDIFFSTORE", "u", "t", "s"}, want: int64(1)},
		{args: []any{"SMEMBERS", "u"}, want: []any{"e"}},
		{args: []any{"SDIFFSTORE", "u", "s", "s"}, want: int64(0)},
		{args: []any{"EXISTS", "u"}, want: int64(0)},
		{args: []any{"SMOVE", "s", "t", "b"}, want: int64(1)},
		{args: []any{"SMOVE", "s", "t", "b"}, want: int64(0)},
		{args: []any{"SPOP", "s", "10"}, want: []any{"c", "d"}},
		{args: []any{"EXISTS", "s"}, want: int64(0)},
		{args: []any{"SPOP", "s"}, want: nil},
		{args: []any{"SRANDMEMBER", "s"}, want: nil},
		{args: []any{"SRANDMEMBER", "t", "0"}, want: []any{}},
		{args: []any{"SET", "str", "v"}, want: "OK"},
		{args: []any{"SADD", "str", "a"}, errMsg: msgWrongTypeText},
		{args: []any{"SINTER", "missing", "str"}, errMsg: msgWrongTypeText},
		{args: []any{"SMOVE", "missing", "str", "a"}, want: int64(0)},
		{args: []any{"SMOVE", "t", "str", "c"}, errMsg: msgWrongTypeText},
		{args: []any{"SUNIONSTORE", "str", "t"}, want: int64(4)},
		{args: []any{"TYPE", "str"}, want: "set"},
		{args: []any{"SINTERCARD", "0", "t"}, errMsg: "ERR numkeys should be greater than 0"},
		{args: []any{"SINTERCARD", "2", "t"}, errMsg: "ERR Number of keys can't be greater than number of args"},
		{args: []any{"SINTERCARD", "1", "t", "LIMIT", "-1"}, errMsg: "ERR LIMIT can't be negative"},
		{args: []any{"SPOP", "t", "-1"}, errMsg: "ERR value is out of range, must be positive"},
		{args: []any{"SSCAN", "t", "x"}, errMsg: "ERR invalid cursor"},
		{args: []any{"SSCAN", "t", "0", "COUNT", "0"}, errMsg: "ERR syntax error"},
		{args: []any{"SADD"}, errMsg: "ERR wrong number of arguments for 'sadd' command"},
	}
	runSteps(t, ctx, c, steps)
}

// TestSetRESP3 checks the RESP3 reply types: SMEMBERS and its kin reply a
// set, SRANDMEMBER with a count an array, membership an integer.
func TestSetRESP3(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := redis.NewClient(&redis.Options{Addr: ts.addr, MaxRetries: -1, Protocol: 3})
	t.Cleanup(func() { c.Close() })
	if n, err := c.SAdd(ctx, "s", "x", "y").Result(); err != nil || n != 2 {
		t.Fatalf("SADD: %d, %v", n, err)
	}
	ms, err := c.SMembers(ctx, "s").Result()
	if err != nil || !slices.Equal(ms, []string{"x", "y"}) {
		t.Fatalf("SMEMBERS: %q, %v", ms, err)
	}
	if ok, err := c.SIsMember(ctx, "s", "y").Result(); err != nil || !ok {
		t.Fatalf("SISMEMBER: %v, %v", ok, err)
	}

	raw := dialRaw(t, ts.addr)
	raw.send([]string{"HELLO", "3"})
	raw.mustReply()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"SMEMBERS", "s"}, `~["x" "y"]`},
		{[]string{"SMEMBERS", "missing"}, `~[]`},
		{[]string{"SINTER", "s", "s"}, `~["x" "y"]`},
		{[]string{"SUNION", "s", "missing"}, `~["x" "y"]`},
		{[]string{"SDIFF", "s", "missing"}, `~["x" "y"]`},
		{[]string{"SMISMEMBER", "s", "x", "z"}, `[:1 :0]`},
		{[]string{"SISMEMBER", "s", "x"}, `:1`},
		{[]string{"SRANDMEMBER", "s", "5"}, `["x" "y"]`},
		{[]string{"SRANDMEMBER", "missing"}, `_`},
		{[]string{"SPOP", "missing"}, `_`},
		{[]string{"SPOP", "missing", "3"}, `~[]`},
		{[]string{"SSCAN", "s", "0"}, `["0" ["x" "y"]]`},
		{[]string{"SPOP", "s", "5"}, `~["x" "y"]`},
	}
	for _, tt := range tests {
		raw.send(tt.args)
		if got := raw.mustReply(); got != tt.want {
			t.Errorf("%q: got %s, want %s", tt.args, got, tt.want)
		}
	}
}

// TestSetPipeline sends 1000 set commands in one pipeline; the replies
// come back in order and each command sees the ones before it.
func TestSetPipeline(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	pipe := c.Pipeline()
	var adds, cards, isMembers, rems []redis.Cmder
	for i := range 250 {
		m := strconv.Itoa(i)
		adds = append(adds, pipe.SAdd(ctx, "p", m, "shared"))
		cards = append(cards, pipe.SCard(ctx, "p"))
		isMembers = append(isMembers, pipe.SIsMember(ctx, "p", m))
		if i%2 == 0 {
			rems = append(rems, pipe.SRem(ctx, "p", m))
		} else {
			rems = append(rems, pipe.SMove(ctx, "p", "q", m))
		}
	}
	cmds, err := pipe.Exec(ctx)
	if err != nil || len(cmds) != 1000 {
		t.Fatalf("Exec: %d commands, %v", len(cmds), err)
	}
	for i := range 250 {
		wantAdd := int64(1)
		if i == 0 {
			wantAdd = 2 // "shared" too
		}
		if n := adds[i].(*redis.IntCmd).Val(); n != wantAdd {
			t.Fatalf("SADD %d: %d, want %d", i, n, wantAdd)
		}
		if n := cards[i].(*redis.IntCmd).Val(); n != 2 {
			t.Fatalf("SCARD %d: %d, want 2", i, n)
		}
		if !isMembers[i].(*redis.BoolCmd).Val() {
			t.Fatalf("SISMEMBER %d: false", i)
		}
		var n int64
		switch r := rems[i].(type) {
		case *redis.IntCmd:
			n = r.Val()
		case *redis.BoolCmd:
			n = int64(setBoolInt(r.Val()))
		}
		if n != 1 {
			t.Fatalf("removal %d: %d", i, n)
		}
	}
	if ms := c.SMembers(ctx, "p").Val(); !slices.Equal(ms, []string{"shared"}) {
		t.Fatalf("p = %q", ms)
	}
	if n := c.SCard(ctx, "q").Val(); n != 125 {
		t.Fatalf("SCARD q = %d, want 125", n)
	}
}

// TestSScanWholeSet pages through a set larger than COUNT, with members
// long enough for cursors from the server's table, and sees every member
// exactly once.
func TestSScanWholeSet(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	var all []string
	for i := range 1500 {
		m := fmt.Sprintf("m%d", i)
		if i%3 == 0 {
			m = fmt.Sprintf("a-long-member-name-%d", i)
		}
		all = append(all, m)
	}
	for i := 0; i < len(all); i += 500 {
		args := make([]any, 0, 500)
		for _, m := range all[i : i+500] {
			args = append(args, m)
		}
		if err := c.SAdd(ctx, "big", args...).Err(); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		match string
		count int64
	}{{"", 17}, {"", 1000}, {"a-*", 50}, {"m1*", 7}} {
		seen := map[string]int{}
		var cursor uint64
		for rounds := 0; ; rounds++ {
			if rounds > 2000 {
				t.Fatalf("%+v: scan does not end", tc)
			}
			ms, next, err := c.SScan(ctx, "big", cursor, tc.match, tc.count).Result()
			if err != nil {
				t.Fatalf("%+v: %v", tc, err)
			}
			if int64(len(ms)) > tc.count {
				t.Fatalf("%+v: %d members in one batch", tc, len(ms))
			}
			for _, m := range ms {
				seen[m]++
			}
			if next == 0 {
				break
			}
			cursor = next
		}
		want := 0
		for _, m := range all {
			if tc.match == "" || glob.Match([]byte(tc.match), []byte(m)) {
				want++
				if seen[m] != 1 {
					t.Fatalf("%+v: %q seen %d times", tc, m, seen[m])
				}
			}
		}
		if len(seen) != want {
			t.Fatalf("%+v: %d members seen, want %d", tc, len(seen), want)
		}
	}
	// A large set's draws are members, distinct for a positive count.
	ms, err := c.SRandMemberN(ctx, "big", 20).Result()
	if err != nil || len(ms) != 20 {
		t.Fatalf("SRANDMEMBER 20: %d, %v", len(ms), err)
	}
	slices.Sort(ms)
	if len(slices.Compact(ms)) != 20 {
		t.Fatalf("SRANDMEMBER 20 repeated members: %q", ms)
	}
	members := c.SMembers(ctx, "big").Val()
	if len(members) != len(all) {
		t.Fatalf("SMEMBERS: %d members", len(members))
	}
}

// TestSetPopConcurrent pops a set from several clients at once: every member
// is popped exactly once.
func TestSetPopConcurrent(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	const n = 600
	args := make([]any, 0, n)
	for i := range n {
		args = append(args, fmt.Sprintf("member:%d", i))
	}
	if err := c.SAdd(ctx, "pool", args...).Err(); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	popped := map[string]int{}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cl := ts.client(t)
			for {
				var ms []string
				var err error
				if w%2 == 0 {
					ms, err = cl.SPopN(context.Background(), "pool", 7).Result()
				} else {
					var m string
					m, err = cl.SPop(context.Background(), "pool").Result()
					if err == redis.Nil {
						return
					}
					ms = []string{m}
				}
				if err != nil {
					errs <- err
					return
				}
				if len(ms) == 0 {
					return
				}
				mu.Lock()
				for _, m := range ms {
					popped[m]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(popped) != n {
		t.Fatalf("%d distinct members popped, want %d", len(popped), n)
	}
	for m, k := range popped {
		if k != 1 || !strings.HasPrefix(m, "member:") {
			t.Fatalf("%q popped %d times", m, k)
		}
	}
	if n, err := c.Exists(ctx, "pool").Result(); err != nil || n != 0 {
		t.Fatalf("EXISTS pool: %d, %v", n, err)
	}
}

// TestSetMulti runs set commands in MULTI/EXEC, where they run at apply
// time.
func TestSetMulti(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	cmds, err := c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.SAdd(ctx, "a", "1", "2", "3")
		p.SAdd(ctx, "b", "2", "3", "4")
		p.SInterStore(ctx, "c", "a", "b")
		p.SMembers(ctx, "c")
		p.SPopN(ctx, "c", 5)
		p.Exists(ctx, "c")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := cmds[2].(*redis.IntCmd).Val(); n != 2 {
		t.Fatalf("SINTERSTORE: %d", n)
	}
	if ms := cmds[3].(*redis.StringSliceCmd).Val(); !slices.Equal(ms, []string{"2", "3"}) {
		t.Fatalf("SMEMBERS: %q", ms)
	}
	ms := cmds[4].(*redis.StringSliceCmd).Val()
	slices.Sort(ms)
	if !slices.Equal(ms, []string{"2", "3"}) {
		t.Fatalf("SPOP: %q", ms)
	}
	if n := cmds[5].(*redis.IntCmd).Val(); n != 0 {
		t.Fatalf("EXISTS: %d", n)
	}
}
