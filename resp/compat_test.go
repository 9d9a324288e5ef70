package resp

import (
	"fmt"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

// startRedis runs a real redis-server on a free loopback port for
// side-by-side checks, or skips the test when it is not installed.
func startRedis(t *testing.T) string {
	t.Helper()
	addr, ok := startRedisTB(t)
	if !ok {
		t.Skip("redis-server not installed (scripts/install-test-deps.sh installs it)")
	}
	return addr
}

// startRedisTB runs a real redis-server, stopped when tb ends; ok is false
// when redis-server is not installed.
func startRedisTB(tb testing.TB) (addr string, ok bool) {
	tb.Helper()
	path, err := exec.LookPath("redis-server")
	if err != nil {
		return "", false
	}
	t := tb
	addr = raftstoretest.FreeAddr(t)
	_, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command(path, "--port", port, "--bind", "127.0.0.1", "--save", "",
		"--appendonly", "no", "--dir", t.TempDir())
	if err := cmd.Start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	for deadline := time.Now().Add(10 * time.Second); ; {
		nc, err := net.Dial("tcp", addr)
		if err == nil {
			nc.Close()
			return addr, true
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server never listened on %s: %v", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// compatScript is run against Aspen and Redis on fresh databases; every
// reply must match byte for byte (rendered with its type marker).
var compatScript = [][]string{
	{"PING"},
	{"PING", "hello"},
	{"PING", "a", "b"},
	{"ping", ""},
	{"ECHO", "x y"},
	{"ECHO"},
	{"GET", "k"},
	{"GET"},
	{"GET", "a", "b"},
	{"SET", "k"},
	{"SET", "k", "v"},
	{"GET", "k"},
	{"SET", "k", "v2", "NX"},
	{"SET", "k", "v2", "nx"},
	{"SET", "k", "v2", "XX"},
	{"SET", "missing", "v", "XX"},
	{"SET", "k", "v3", "GET"},
	{"SET", "new", "v", "GET"},
	{"SET", "k", "v4", "NX", "GET"},
	{"SET", "none", "v", "XX", "GET"},
	{"SET", "k", "v", "NX", "XX"},
	{"SET", "k", "v", "XX", "NX"},
	{"SET", "k", "v", "NX", "NX"},
	{"SET", "k", "v", "EX"},
	{"SET", "k", "v", "EX", "0"},
	{"SET", "k", "v", "EX", "-1"},
	{"SET", "k", "v", "PX", "0"},
	{"SET", "k", "v", "EXAT", "0"},
	{"SET", "k", "v", "PXAT", "-3"},
	{"SET", "k", "v", "EX", "abc"},
	{"SET", "k", "v", "EX", "1.5"},
	{"SET", "k", "v", "EX", " 10"},
	{"SET", "k", "v", "EX", "+10"},
	{"SET", "k", "v", "EX", "010"},
	{"SET", "k", "v", "EX", "9223372036854775807"},
	{"SET", "k", "v", "EX", "9223372036854775"},
	{"SET", "k", "v", "EX", "9223372036854776"},
	{"SET", "k", "v", "PX", "9223372036854775807"},
	{"SET", "k", "v", "EX", "10", "PX", "10"},
	{"SET", "k", "v", "EX", "10", "EX", "20"},
	{"SET", "k", "v", "KEEPTTL", "EX", "10"},
	{"SET", "k", "v", "EX", "10", "KEEPTTL"},
	{"SET", "k", "v", "EXAT", "10", "PXAT", "10"},
	{"SET", "k", "v", "EX", "abc", "NX", "XX"},
	{"SET", "k", "v", "foo"},
	{"SET", "k", "v", "GET", "GET"},
	{"SET", "k", "v", "KEEPTTL"},
	{"SET", "past", "v", "EXAT", "1"},
	{"EXISTS", "past"},
	{"SET", "k", "v", "PX", "100000"},
	{"SET", "k", "abc"},
	{"INCR", "k"},
	{"DECR", "k"},
	{"INCRBY", "k", "5"},
	{"INCR", "counter"},
	{"INCRBY", "counter", "10"},
	{"INCRBY", "counter", "-20"},
	{"DECRBY", "counter", "5"},
	{"DECR", "counter"},
	{"INCRBY", "counter", "abc"},
	{"INCRBY", "counter", "9223372036854775808"},
	{"INCRBY", "counter"},
	{"DECRBY", "counter", "-9223372036854775808"},
	{"SET", "max", "9223372036854775807"},
	{"INCR", "max"},
	{"DECRBY", "max", "-1"},
	{"SET", "min", "-9223372036854775808"},
	{"DECR", "min"},
	{"INCRBY", "min", "-1"},
	{"SET", "sp", " 1"},
	{"INCR", "sp"},
	{"SET", "lz", "01"},
	{"INCR", "lz"},
	{"SET", "neg0", "-0"},
	{"INCR", "neg0"},
	{"SET", "empty", ""},
	{"INCR", "empty"},
	{"GET", "empty"},
	{"MSET", "a", "1", "b", "2"},
	{"MSET", "a", "1", "b"},
	{"MSET", "a"},
	{"MGET", "a", "nope", "b", "a"},
	{"MGET"},
	{"EXISTS", "a", "a", "nope", "b"},
	{"EXISTS"},
	{"DEL", "a", "a", "nope"},
	{"DEL"},
	{"UNLINK", "b", "nope"},
	{"TYPE", "counter"},
	{"TYPE", "nope"},
	{"TTL", "counter"},
	{"PTTL", "nope"},
	{"TTL"},
	{"SELECT", "1"},
	{"GET", "counter"},
	{"SELECT", "16"},
	{"SELECT", "-1"},
	{"SELECT", "abc"},
	{"SELECT", "99999999999"},
	{"SELECT", "0"},
	{"GET", "counter"},
	{"FOO"},
	{"foo", "a", "b"},
	{"foo", "a\r\nb"},
	{"foo", strings.Repeat("y", 140), "z"},
	{strings.Repeat("n", 140)},
	{"COMMAND", "FOO"},
	{"COMMAND", "COUNT", "x"},
	{"COMMAND", "INFO", "nosuch"},
	{"CLIENT"},
	{"CLIENT", "FOO"},
	{"CLIENT", "GETNAME"},
	{"CLIENT", "SETNAME", "a b"},
	{"CLIENT", "SETNAME", "me"},
	{"CLIENT", "GETNAME"},
	{"CLIENT", "SETNAME"},
	{"FLUSHDB", "now"},
	{"FLUSHDB", "sync"},
	{"GET", "counter"},
	{"FLUSHALL"},
	{"QUIT"},
}

// TestCompatWithRedis runs compatScript against Aspen and a real Redis,
// one command at a time and then as one pipeline (where Aspen groups
// neighbouring reads and writes).
func TestCompatWithRedis(t *testing.T) {
	redisAddr := startRedis(t)
	ts := startServer(t, nil)
	for _, pipelined := range []bool{false, true} {
		t.Run(map[bool]string{false: "one by one", true: "pipelined"}[pipelined], func(t *testing.T) {
			ref := dialRaw(t, redisAddr)
			ours := dialRaw(t, ts.addr)
			for _, c := range []*rawConn{ref, ours} {
				c.send([]string{"FLUSHALL"})
				c.mustReply()
			}
			if pipelined {
				ref.send(compatScript...)
				ours.send(compatScript...)
			}
			for _, cmd := range compatScript {
				if !pipelined {
					ref.send(cmd)
					ours.send(cmd)
				}
				want, got := ref.mustReply(), ours.mustReply()
				if got != want {
					t.Errorf("%q:\n got  %s\n want %s", cmd, got, want)
				}
			}
		})
	}
}

// TestRedisCLI drives the server with redis-cli, as a user would.
func TestRedisCLI(t *testing.T) {
	cli, err := exec.LookPath("redis-cli")
	if err != nil {
		t.Skip("redis-cli not installed (scripts/install-test-deps.sh installs it)")
	}
	ts := startServer(t, nil)
	host, port, _ := net.SplitHostPort(ts.addr)
	run := func(stdin string, args ...string) string {
		t.Helper()
		cmd := exec.Command(cli, append([]string{"-h", host, "-p", port}, args...)...)
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("redis-cli %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	if got := run("", "SET", "greeting", "hello"); got != "OK\n" {
		t.Fatalf("SET: %q", got)
	}
	if got := run("", "GET", "greeting"); got != "hello\n" {
		t.Fatalf("GET: %q", got)
	}
	got := run("INCR n\nINCR n\nGET nope\nCOMMAND COUNT\nGET\n")
	// redis-cli ends an error with an empty line, for Redis too.
	want := fmt.Sprintf("1\n2\n\n%d\nERR wrong number of arguments for 'get' command\n\n", len(commandTable))
	if got != want {
		t.Fatalf("script:\n got  %q\n want %q", got, want)
	}
}
