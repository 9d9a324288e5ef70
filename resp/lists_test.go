package resp

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/redis/go-redis/v9"
)

// List commands through a real client (go-redis). The side-by-side
// corpus testdata/compat/lists.txt checks the bytes against redis-server;
// these tests check the same commands as a client library sees them, in a
// long pipeline and in RESP3.

func TestListCommands(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	runSteps(t, ctx, c, []step{
		{args: []any{"RPUSH", "l", "a", "b", "c"}, want: int64(3)},
		{args: []any{"LPUSH", "l", "z"}, want: int64(4)},
		{args: []any{"LRANGE", "l", 0, -1}, want: []any{"z", "a", "b", "c"}},
		{args: []any{"LINDEX", "l", -1}, want: "c"},
		{args: []any{"LINDEX", "l", 4}, want: nil},
		{args: []any{"LSET", "l", 1, "A"}, want: "OK"},
		{args: []any{"LSET", "l", 9, "A"}, errMsg: "ERR index out of range"},
		{args: []any{"LSET", "nope", 0, "A"}, errMsg: "ERR no such key"},
		{args: []any{"LINSERT", "l", "AFTER", "A", "m"}, want: int64(5)},
		{args: []any{"LINSERT", "l", "BEFORE", "q", "m"}, want: int64(-1)},
		{args: []any{"LINSERT", "l", "SIDEWAYS", "A", "m"}, errMsg: "ERR syntax error"},
		{args: []any{"LPOS", "l", "m"}, want: int64(2)},
		{args: []any{"LPOS", "l", "m", "COUNT", 0}, want: []any{int64(2)}},
		{args: []any{"LPOS", "l", "m", "RANK", 0}, errMsg: "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"},
		{args: []any{"LREM", "l", 0, "m"}, want: int64(1)},
		{args: []any{"LTRIM", "l", 1, -1}, want: "OK"},
		{args: []any{"LRANGE", "l", 0, -1}, want: []any{"A", "b", "c"}},
		{args: []any{"LMOVE", "l", "l2", "LEFT", "RIGHT"}, want: "A"},
		{args: []any{"RPOPLPUSH", "l", "l2"}, want: "c"},
		{args: []any{"LRANGE", "l2", 0, -1}, want: []any{"c", "A"}},
		{args: []any{"LMPOP", 2, "none", "l2", "RIGHT", "COUNT", 5}, want: []any{"l2", []any{"A", "c"}}},
		{args: []any{"LMPOP", 1, "l2", "LEFT"}, want: nil},
		{args: []any{"LPOP", "l", 3}, want: []any{"b"}},
		{args: []any{"EXISTS", "l", "l2"}, want: int64(0)},
		{args: []any{"LPOP", "l"}, want: nil},
		{args: []any{"LPOP", "l", -1}, errMsg: "ERR value is out of range, must be positive"},
		{args: []any{"SET", "s", "v"}, want: "OK"},
		{args: []any{"LPUSH", "s", "x"}, errMsg: "WRONGTYPE Operation against a key holding the wrong kind of value"},
		{args: []any{"BLPOP", "s", 0}, errMsg: "WRONGTYPE Operation against a key holding the wrong kind of value"},
		{args: []any{"BLPOP", "l", -1}, errMsg: "ERR timeout is negative"},
		{args: []any{"BLPOP", "l", "x"}, errMsg: "ERR timeout is not a float or out of range"},
		{args: []any{"RPUSH", "q", "1", "2"}, want: int64(2)},
		{args: []any{"BLPOP", "none", "q", 0}, want: []any{"q", "1"}},
		{args: []any{"BRPOP", "q", 0.5}, want: []any{"q", "2"}},
		{args: []any{"TYPE", "q"}, want: "none"},
	})
}

// TestListPipeline pipelines 1000 commands, and then 1000 more, and
// checks every reply in order.
func TestListPipeline(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	pipe := c.Pipeline()
	var pushes []*redis.IntCmd
	for i := 0; i < 1000; i++ {
		if i%2 == 0 {
			pushes = append(pushes, pipe.RPush(ctx, "p", strconv.Itoa(i)))
		} else {
			pushes = append(pushes, pipe.LPush(ctx, "p", strconv.Itoa(i)))
		}
	}
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	for i, cmd := range pushes {
		if n, err := cmd.Result(); err != nil || n != int64(i+1) {
			t.Fatalf("push %d: %d, %v", i, n, err)
		}
	}
	// The list is the odd numbers descending, then the even ascending.
	var want []string
	for i := 999; i >= 1; i -= 2 {
		want = append(want, strconv.Itoa(i))
	}
	for i := 0; i < 1000; i += 2 {
		want = append(want, strconv.Itoa(i))
	}
	got, err := c.LRange(ctx, "p", 0, -1).Result()
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("LRANGE: %v (%d elements), want %d", err, len(got), len(want))
	}

	pipe = c.Pipeline()
	var index []*redis.StringCmd
	var pops []*redis.StringCmd
	for i := 0; i < 500; i++ {
		index = append(index, pipe.LIndex(ctx, "p", int64(i)))
	}
	for i := 0; i < 500; i++ {
		if i%2 == 0 {
			pops = append(pops, pipe.LPop(ctx, "p"))
		} else {
			pops = append(pops, pipe.RPop(ctx, "p"))
		}
	}
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	for i, cmd := range index {
		if v, err := cmd.Result(); err != nil || v != want[i] {
			t.Fatalf("LINDEX %d = %q, %v; want %q", i, v, err, want[i])
		}
	}
	lo, hi := 0, len(want)-1
	for i, cmd := range pops {
		var w string
		if i%2 == 0 {
			w, lo = want[lo], lo+1
		} else {
			w, hi = want[hi], hi-1
		}
		if v, err := cmd.Result(); err != nil || v != w {
			t.Fatalf("pop %d = %q, %v; want %q", i, v, err, w)
		}
	}
	if n, err := c.LLen(ctx, "p").Result(); err != nil || n != 500 {
		t.Fatalf("LLEN = %d, %v", n, err)
	}
}

// TestListRESP3 checks the null replies a RESP3 client sees.
func TestListRESP3(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := redis.NewClient(&redis.Options{Addr: ts.addr, Protocol: 3, MaxRetries: -1})
	t.Cleanup(func() { c.Close() })
	runSteps(t, ctx, c, []step{
		{args: []any{"LPOP", "none"}, want: nil},
		{args: []any{"LPOP", "none", 2}, want: nil},
		{args: []any{"LMPOP", 1, "none", "LEFT"}, want: nil},
		{args: []any{"BLPOP", "none", 0.01}, want: nil},
		{args: []any{"BLMOVE", "none", "d", "LEFT", "LEFT", 0.01}, want: nil},
		{args: []any{"RPUSH", "l", "a", "b"}, want: int64(2)},
		{args: []any{"LPOP", "l", 0}, want: []any{}},
		{args: []any{"LPOS", "l", "b", "COUNT", 0}, want: []any{int64(1)}},
		{args: []any{"LPOS", "l", "x"}, want: nil},
		{args: []any{"BLMPOP", 0, 1, "l", "RIGHT", "COUNT", 2}, want: []any{"l", []any{"b", "a"}}},
	})
	// The raw bytes: RESP3 nulls are "_".
	raw := dialRaw(t, ts.addr)
	raw.send([]string{"HELLO", "3"})
	raw.mustReply()
	for _, cmd := range [][]string{{"LPOP", "none", "1"}, {"BLPOP", "none", "0.01"}, {"LINDEX", "none", "0"}} {
		raw.send(cmd)
		if got := raw.mustReply(); got != "_" {
			t.Errorf("%q in RESP3: %s, want _", cmd, got)
		}
	}
}
