package resp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/raftstore"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
	"github.com/redis/go-redis/v9"
)

// testServer is a Server on 127.0.0.1:0 over a real single-node store.
type testServer struct {
	srv   *Server
	store *raftstore.Store
	addr  string
}

func startServer(t *testing.T, configure func(*Server)) *testServer {
	t.Helper()
	store := raftstoretest.NewWithMutations(t, Mutations())
	srv := NewServer(strkv.New(store), slog.New(slog.DiscardHandler))
	if configure != nil {
		configure(srv)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
		if err := <-done; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve returned %v, want ErrServerClosed", err)
		}
	})
	return &testServer{srv: srv, store: store, addr: ln.Addr().String()}
}

func (ts *testServer) client(t *testing.T) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: ts.addr, MaxRetries: -1})
	t.Cleanup(func() { c.Close() })
	return c
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// step is one command and its expected reply through go-redis: want is the
// value (string, int64, []any, nil for a nil reply) or, when errMsg is set,
// the error text.
type step struct {
	args   []any
	want   any
	errMsg string
}

func runSteps(t *testing.T, ctx context.Context, c interface {
	Do(context.Context, ...any) *redis.Cmd
}, steps []step) {
	t.Helper()
	for _, st := range steps {
		got, err := c.Do(ctx, st.args...).Result()
		if errors.Is(err, redis.Nil) {
			got, err = nil, nil
		}
		switch {
		case st.errMsg != "":
			if err == nil || err.Error() != st.errMsg {
				t.Errorf("%v: got %#v, %v; want error %q", st.args, got, err, st.errMsg)
			}
		case err != nil:
			t.Errorf("%v: unexpected error %v", st.args, err)
		case fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", st.want):
			t.Errorf("%v: got %#v, want %#v", st.args, got, st.want)
		}
	}
}

func TestCommands(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	// One connection, so that SELECT carries over.
	conn := ts.client(t).Conn()
	defer conn.Close()
	steps := []step{
		{args: []any{"PING"}, want: "PONG"},
		{args: []any{"ping", "hi there"}, want: "hi there"},
		{args: []any{"ECHO", "x\r\ny"}, want: "x\r\ny"},
		{args: []any{"GET", "k"}, want: nil},
		{args: []any{"SET", "k", "v"}, want: "OK"},
		{args: []any{"GET", "k"}, want: "v"},
		{args: []any{"SET", "k", "v2", "NX"}, want: nil},
		{args: []any{"SET", "k", "v2", "xx"}, want: "OK"},
		{args: []any{"SET", "nope", "v", "XX"}, want: nil},
		{args: []any{"SET", "k", "v3", "GET"}, want: "v2"},
		{args: []any{"SET", "k2", "v", "GET"}, want: nil},
		{args: []any{"SET", "k", "v4", "NX", "GET"}, want: "v3"},
		{args: []any{"GET", "k"}, want: "v3"},
		{args: []any{"SET", "t", "v", "EX", "100"}, want: "OK"},
		{args: []any{"TTL", "t"}, want: int64(100)},
		{args: []any{"SET", "t", "v", "KEEPTTL"}, want: "OK"},
		{args: []any{"TTL", "t"}, want: int64(100)},
		{args: []any{"SET", "t", "v"}, want: "OK"},
		{args: []any{"TTL", "t"}, want: int64(-1)},
		{args: []any{"TTL", "missing"}, want: int64(-2)},
		{args: []any{"SET", "t", "v", "PXAT", strconv.FormatInt(time.Now().Add(time.Hour).UnixMilli(), 10)}, want: "OK"},
		{args: []any{"SET", "gone", "v", "EXAT", "1"}, want: "OK"},
		{args: []any{"EXISTS", "gone"}, want: int64(0)},
		{args: []any{"TYPE", "k"}, want: "string"},
		{args: []any{"TYPE", "missing"}, want: "none"},
		{args: []any{"INCR", "n"}, want: int64(1)},
		{args: []any{"INCRBY", "n", "41"}, want: int64(42)},
		{args: []any{"DECR", "n"}, want: int64(41)},
		{args: []any{"DECRBY", "n", "50"}, want: int64(-9)},
		{args: []any{"MSET", "a", "1", "b", "2"}, want: "OK"},
		{args: []any{"MGET", "a", "missing", "b"}, want: []any{"1", nil, "2"}},
		{args: []any{"EXISTS", "a", "b", "a", "missing"}, want: int64(3)},
		{args: []any{"DEL", "a", "missing", "a"}, want: int64(1)},
		{args: []any{"UNLINK", "b"}, want: int64(1)},
		{args: []any{"EXISTS", "a", "b"}, want: int64(0)},
		{args: []any{"SELECT", "1"}, want: "OK"},
		{args: []any{"GET", "k"}, want: nil},
		{args: []any{"SET", "k", "db1"}, want: "OK"},
		{args: []any{"SELECT", "0"}, want: "OK"},
		{args: []any{"GET", "k"}, want: "v3"},
		{args: []any{"FLUSHDB"}, want: "OK"},
		{args: []any{"GET", "k"}, want: nil},
		{args: []any{"SELECT", "1"}, want: "OK"},
		{args: []any{"GET", "k"}, want: "db1"},
		{args: []any{"FLUSHALL", "ASYNC"}, want: "OK"},
		{args: []any{"GET", "k"}, want: nil},
		{args: []any{"CLIENT", "SETNAME", "me"}, want: "OK"},
		{args: []any{"CLIENT", "GETNAME"}, want: "me"},
		{args: []any{"COMMAND", "INFO", "get", "nosuch"}, want: []any{
			[]any{"get", int64(2), []any{"readonly", "fast"}, int64(1), int64(1), int64(1),
				[]any{"@read", "@string", "@fast"}, []any{}, []any{}, []any{}},
			nil,
		}},
		{args: []any{"COMMAND", "COUNT"}, want: int64(len(commandTable))},
		// CLIENT SETINFO is Redis 7.2's; go-redis sends it on connect.
		{args: []any{"CLIENT", "SETINFO", "LIB-NAME", "go-redis"}, want: "OK"},
		{args: []any{"CLIENT", "SETINFO", "lib-ver", "9.0"}, want: "OK"},
		{args: []any{"CLIENT", "SETINFO", "bogus", "x"}, errMsg: "ERR Unrecognized option 'bogus'"},
	}
	runSteps(t, ctx, conn, steps)
}

func TestErrors(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	putRaw(t, ts.store, 0, "h", strkv.Meta{Type: strkv.TypeHash})
	steps := []step{
		{args: []any{"GET"}, errMsg: "ERR wrong number of arguments for 'get' command"},
		{args: []any{"get", "a", "b"}, errMsg: "ERR wrong number of arguments for 'get' command"},
		{args: []any{"SET", "k"}, errMsg: "ERR wrong number of arguments for 'set' command"},
		{args: []any{"PING", "a", "b"}, errMsg: "ERR wrong number of arguments for 'ping' command"},
		{args: []any{"MSET", "a", "1", "b"}, errMsg: "ERR wrong number of arguments for 'mset' command"},
		{args: []any{"foo", "a", "b"}, errMsg: "ERR unknown command 'foo', with args beginning with: 'a' 'b' "},
		{args: []any{"FOO"}, errMsg: "ERR unknown command 'FOO', with args beginning with: "},
		{args: []any{"SET", "n", "abc"}, want: "OK"},
		{args: []any{"INCR", "n"}, errMsg: "ERR value is not an integer or out of range"},
		{args: []any{"INCRBY", "x", "1.5"}, errMsg: "ERR value is not an integer or out of range"},
		{args: []any{"SET", "m", "9223372036854775807"}, want: "OK"},
		{args: []any{"INCR", "m"}, errMsg: "ERR increment or decrement would overflow"},
		{args: []any{"DECRBY", "m", "-9223372036854775808"}, errMsg: "ERR decrement would overflow"},
		{args: []any{"GET", "h"}, errMsg: "WRONGTYPE Operation against a key holding the wrong kind of value"},
		{args: []any{"INCR", "h"}, errMsg: "WRONGTYPE Operation against a key holding the wrong kind of value"},
		{args: []any{"SET", "h", "v", "GET"}, errMsg: "WRONGTYPE Operation against a key holding the wrong kind of value"},
		{args: []any{"MGET", "h", "m"}, want: []any{nil, "9223372036854775807"}},
		{args: []any{"TYPE", "h"}, want: "hash"},
		{args: []any{"SET", "k", "v", "NX", "XX"}, errMsg: "ERR syntax error"},
		{args: []any{"SET", "k", "v", "EX", "10", "PX", "10"}, errMsg: "ERR syntax error"},
		{args: []any{"SET", "k", "v", "KEEPTTL", "EX", "10"}, errMsg: "ERR syntax error"},
		{args: []any{"SET", "k", "v", "EX"}, errMsg: "ERR syntax error"},
		{args: []any{"SET", "k", "v", "bogus"}, errMsg: "ERR syntax error"},
		{args: []any{"SET", "k", "v", "EX", "0"}, errMsg: "ERR invalid expire time in 'set' command"},
		{args: []any{"SET", "k", "v", "PX", "-5"}, errMsg: "ERR invalid expire time in 'set' command"},
		{args: []any{"SET", "k", "v", "EX", "9223372036854775807"}, errMsg: "ERR invalid expire time in 'set' command"},
		{args: []any{"SET", "k", "v", "PX", "9223372036854775807"}, errMsg: "ERR invalid expire time in 'set' command"},
		{args: []any{"SET", "k", "v", "EX", "ten"}, errMsg: "ERR value is not an integer or out of range"},
		{args: []any{"SELECT", "16"}, errMsg: "ERR DB index is out of range"},
		{args: []any{"SELECT", "x"}, errMsg: "ERR value is not an integer or out of range"},
		{args: []any{"COMMAND", "BOGUS"}, errMsg: "ERR unknown subcommand 'BOGUS'. Try COMMAND HELP."},
		{args: []any{"CLIENT", "SETNAME", "a b"}, errMsg: "ERR Client names cannot contain spaces, newlines or special characters."},
		{args: []any{"CLIENT", "SETNAME"}, errMsg: "ERR wrong number of arguments for 'client|setname' command"},
		{args: []any{"FLUSHDB", "now"}, errMsg: "ERR syntax error"},
		// Nothing above may have written k, and the session still works.
		{args: []any{"EXISTS", "k"}, want: int64(0)},
		{args: []any{"PING"}, want: "PONG"},
	}
	runSteps(t, ctx, c, steps)
}

// putRaw writes a key record directly, to make keys of types no layer
// writes yet.
func putRaw(t *testing.T, kv layers.KV, db int, key string, m strkv.Meta) {
	t.Helper()
	_, err := layers.Update(ctxT(t), kv, func(tx layers.Txn) error {
		tx.Set(strkv.MetaKey(db, []byte(key)), m.Encode())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPipeline sends 1000 mixed commands in one pipeline: reads and writes
// interleave, so replies must follow the order of the commands.
func TestPipeline(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	pipe := c.Pipeline()
	var cmds []redis.Cmder
	for i := range 250 {
		k := fmt.Sprintf("key:%d", i)
		cmds = append(cmds,
			pipe.Set(ctx, k, i, 0),
			pipe.Get(ctx, k),
			pipe.Incr(ctx, "counter"),
			pipe.Do(ctx, "bogus", i),
		)
	}
	if _, err := pipe.Exec(ctx); err == nil {
		t.Fatalf("Exec reported no error, but the pipeline holds unknown commands")
	}
	if len(cmds) != 1000 {
		t.Fatalf("built %d commands", len(cmds))
	}
	for i := range 250 {
		set, get, incr, bogus := cmds[4*i].(*redis.StatusCmd), cmds[4*i+1].(*redis.StringCmd), cmds[4*i+2].(*redis.IntCmd), cmds[4*i+3].(*redis.Cmd)
		if v, err := set.Result(); err != nil || v != "OK" {
			t.Fatalf("set %d: %q %v", i, v, err)
		}
		if v, err := get.Result(); err != nil || v != strconv.Itoa(i) {
			t.Fatalf("get %d: %q %v", i, v, err)
		}
		if v, err := incr.Result(); err != nil || v != int64(i+1) {
			t.Fatalf("incr %d: %d %v", i, v, err)
		}
		if err := bogus.Err(); err == nil || !strings.HasPrefix(err.Error(), "ERR unknown command 'bogus'") {
			t.Fatalf("bogus %d: %v", i, err)
		}
	}
}

// TestConcurrentPipelinedIncr: 16 clients pipeline INCRs on one key; no
// increment is lost and each pipeline sees its own increments in order.
func TestConcurrentPipelinedIncr(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	const clients, rounds, perPipe = 16, 10, 50
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for range clients {
		c := ts.client(t)
		wg.Go(func() {
			for range rounds {
				pipe := c.Pipeline()
				incrs := make([]*redis.IntCmd, perPipe)
				for i := range incrs {
					incrs[i] = pipe.Incr(ctx, "hot")
				}
				if _, err := pipe.Exec(ctx); err != nil {
					errs <- err
					return
				}
				for i := 1; i < perPipe; i++ {
					if incrs[i].Val() <= incrs[i-1].Val() {
						errs <- fmt.Errorf("pipeline replies out of order: %d then %d", incrs[i-1].Val(), incrs[i].Val())
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got, err := ts.client(t).Get(ctx, "hot").Int()
	if err != nil || got != clients*rounds*perPipe {
		t.Fatalf("hot = %d, %v; want %d", got, err, clients*rounds*perPipe)
	}
}

// rawConn is a bare RESP connection for byte-level checks.
type rawConn struct {
	t  *testing.T
	nc net.Conn
	r  *bufio.Reader
}

func dialRaw(t *testing.T, addr string) *rawConn {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	nc.SetDeadline(time.Now().Add(30 * time.Second))
	return &rawConn{t: t, nc: nc, r: bufio.NewReader(nc)}
}

// encodeCommand frames args as a RESP array of bulk strings.
func encodeCommand(args ...string) []byte {
	b := fmt.Appendf(nil, "*%d\r\n", len(args))
	for _, a := range args {
		b = fmt.Appendf(b, "$%d\r\n%s\r\n", len(a), a)
	}
	return b
}

func (c *rawConn) send(cmds ...[]string) {
	c.t.Helper()
	var b []byte
	for _, cmd := range cmds {
		b = append(b, encodeCommand(cmd...)...)
	}
	if _, err := c.nc.Write(b); err != nil {
		c.t.Fatal(err)
	}
}

// reply reads one reply and renders it exactly, type markers included.
// RESP2: +OK, -ERR .., :1, $-1, "bulk", *-1, [a b]. RESP3: _ (null),
// ,1.5 (double), #t (boolean), (123 (big number), =txt:"..." (verbatim),
// %[k v ...] (map), ~[a b] (set), >[a b] (push).
func (c *rawConn) reply() (string, error) {
	line, err := c.r.ReadString('\n')
	if err != nil {
		return "", err
	}
	line = strings.TrimSuffix(line, "\r\n")
	if line == "" {
		return "", fmt.Errorf("empty reply line")
	}
	switch line[0] {
	case '+', '-', ':', '_', ',', '#', '(':
		return line, nil
	case '$', '=':
		n, err := strconv.Atoi(line[1:])
		if err != nil || n < 0 {
			return line, err
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(c.r, buf); err != nil {
			return "", err
		}
		if line[0] == '=' && n >= 4 {
			return "=" + string(buf[:4]) + strconv.Quote(string(buf[4:n])), nil
		}
		return strconv.Quote(string(buf[:n])), nil
	case '*', '%', '~', '>':
		n, err := strconv.Atoi(line[1:])
		if err != nil || n < 0 {
			return line, err
		}
		if line[0] == '%' {
			n *= 2
		}
		parts := make([]string, n)
		for i := range parts {
			if parts[i], err = c.reply(); err != nil {
				return "", err
			}
		}
		prefix := ""
		if line[0] != '*' {
			prefix = line[:1]
		}
		return prefix + "[" + strings.Join(parts, " ") + "]", nil
	default:
		return "", fmt.Errorf("bad reply line %q", line)
	}
}

func (c *rawConn) mustReply() string {
	c.t.Helper()
	s, err := c.reply()
	if err != nil {
		c.t.Fatal(err)
	}
	return s
}

func TestQuit(t *testing.T) {
	ts := startServer(t, nil)
	c := dialRaw(t, ts.addr)
	c.send([]string{"PING"}, []string{"QUIT"}, []string{"PING"})
	for _, want := range []string{"+PONG", "+OK"} {
		if got := c.mustReply(); got != want {
			t.Fatalf("got %s, want %s", got, want)
		}
	}
	if got, err := c.reply(); err == nil {
		t.Fatalf("connection still open after QUIT: %s", got)
	}
}

func TestInlineAndLongUnknown(t *testing.T) {
	ts := startServer(t, nil)
	c := dialRaw(t, ts.addr)
	if _, err := c.nc.Write([]byte("PING\r\nset a b\r\nget a\r\n")); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"+PONG", "+OK", `"b"`} {
		if got := c.mustReply(); got != want {
			t.Fatalf("inline: got %s, want %s", got, want)
		}
	}
	long := strings.Repeat("x", 200)
	c.send([]string{"nosuch", long, "y"})
	want := "-ERR unknown command 'nosuch', with args beginning with: '" + long[:128] + "' "
	if got := c.mustReply(); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestMaxClients(t *testing.T) {
	ts := startServer(t, func(s *Server) { s.MaxClients = 1 })
	first := dialRaw(t, ts.addr)
	first.send([]string{"PING"})
	if got := first.mustReply(); got != "+PONG" {
		t.Fatalf("first: %s", got)
	}
	second := dialRaw(t, ts.addr)
	if got := second.mustReply(); got != "-ERR max number of clients reached" {
		t.Fatalf("second: %s", got)
	}
	first.send([]string{"PING"})
	if got := first.mustReply(); got != "+PONG" {
		t.Fatalf("first after refusal: %s", got)
	}
}

// TestStoreDown: when the store cannot serve, commands get an error reply
// promptly and the connection stays usable for commands that need no store.
func TestStoreDown(t *testing.T) {
	ts := startServer(t, func(s *Server) { s.CommandTimeout = 300 * time.Millisecond })
	c := dialRaw(t, ts.addr)
	c.send([]string{"SET", "k", "v"})
	if got := c.mustReply(); got != "+OK" {
		t.Fatalf("set: %s", got)
	}
	ts.store.Close()
	for _, cmd := range [][]string{{"GET", "k"}, {"SET", "k", "w"}, {"INCR", "n"}} {
		c.send(cmd)
		got := c.mustReply()
		if !strings.HasPrefix(got, "-ERR ") && !strings.HasPrefix(got, "-TRYAGAIN ") {
			t.Fatalf("%v with the store down: %s, want an error", cmd, got)
		}
	}
	c.send([]string{"PING"})
	if got := c.mustReply(); got != "+PONG" {
		t.Fatalf("ping: %s", got)
	}
}

func TestCommandTable(t *testing.T) {
	names := make([]string, len(commandTable))
	for i, c := range commandTable {
		names[i] = c.name
		if c.name != strings.ToLower(c.name) || c.arity == 0 || c.run == nil || c.group == "" {
			t.Errorf("bad entry %+v", c)
		}
		if lookup([]byte(strings.ToUpper(c.name))) != c {
			t.Errorf("lookup(%q) failed", strings.ToUpper(c.name))
		}
	}
	if !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Fatalf("command table not sorted and unique: %v", names)
	}
	if lookup([]byte(strings.Repeat("g", maxNameLen+1))) != nil {
		t.Fatalf("an over-long name was found")
	}
}

func TestCloseLifecycle(t *testing.T) {
	store := raftstoretest.NewWithMutations(t, Mutations())
	strs := strkv.New(store)

	// Close before Serve: Serve refuses and closes the listener.
	srv := NewServer(strs, nil)
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Serve(ln); !errors.Is(err, ErrServerClosed) {
		t.Fatalf("Serve after Close = %v", err)
	}
	if _, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		t.Fatalf("listener still open")
	}

	// Close racing with the start of Serve must not hang, and Close twice
	// is fine.
	for range 20 {
		srv := NewServer(strs, nil)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- srv.Serve(ln) }()
		srv.Close()
		srv.Close()
		if err := <-done; !errors.Is(err, ErrServerClosed) {
			t.Fatalf("Serve = %v", err)
		}
	}
}
