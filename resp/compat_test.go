package resp

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
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

// compatCmd is one line of a compat corpus: a command and how to compare
// its replies.
type compatCmd struct {
	file string
	line int
	args []string
	// cmp is the comparison directive: "" (byte for byte), "set" (the
	// elements of an array reply in any order), "pairs" (the key-value
	// pairs of an array or map reply in any order) or "shape" (the reply
	// types and lengths only, for random replies).
	cmp string
}

// loadCompat reads a corpus file of testdata/compat. One command per line;
// an argument is a bare word or a Go-quoted string ("a b", "", "\x00");
// '#' starts a comment line; a leading @set, @pairs or @shape sets how the
// replies are compared.
func loadCompat(t *testing.T, path string) []compatCmd {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cmds []compatCmd
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		c := compatCmd{file: filepath.Base(path), line: i + 1}
		if line[0] == '@' {
			d, rest, _ := strings.Cut(line, " ")
			c.cmp = d[1:]
			if c.cmp != "set" && c.cmp != "pairs" && c.cmp != "shape" {
				t.Fatalf("%s:%d: unknown directive %s", path, i+1, d)
			}
			line = strings.TrimSpace(rest)
		}
		for line != "" {
			var arg string
			if line[0] == '"' {
				q, err := strconv.QuotedPrefix(line)
				if err != nil {
					t.Fatalf("%s:%d: %v", path, i+1, err)
				}
				arg, _ = strconv.Unquote(q)
				line = line[len(q):]
			} else {
				arg, line, _ = strings.Cut(line, " ")
			}
			c.args = append(c.args, arg)
			line = strings.TrimLeft(line, " ")
		}
		cmds = append(cmds, c)
	}
	return cmds
}

// TestCompatWithRedis replays every corpus under testdata/compat against
// Aspen and a real Redis, one command at a time and then as one pipeline
// (where Aspen groups neighbouring reads and writes), on fresh databases.
// Every reply must match: byte for byte with its type marker, unless the
// line's directive says otherwise.
func TestCompatWithRedis(t *testing.T) {
	redisAddr := startRedis(t)
	ts := startServer(t, nil)
	files, err := filepath.Glob("testdata/compat/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files: %v", err)
	}
	for _, file := range files {
		script := loadCompat(t, file)
		for _, pipelined := range []bool{false, true} {
			name := filepath.Base(file) + map[bool]string{false: "/one by one", true: "/pipelined"}[pipelined]
			t.Run(name, func(t *testing.T) {
				ref := dialRaw(t, redisAddr)
				ours := dialRaw(t, ts.addr)
				for _, c := range []*rawConn{ref, ours} {
					c.send([]string{"FLUSHALL"})
					c.mustReply()
				}
				if pipelined {
					for _, c := range script {
						ref.send(c.args)
						ours.send(c.args)
					}
				}
				for _, c := range script {
					if !pipelined {
						ref.send(c.args)
						ours.send(c.args)
					}
					want, got := ref.mustReply(), ours.mustReply()
					want, got = normalizeReply(t, c.cmp, want), normalizeReply(t, c.cmp, got)
					if got != want {
						t.Errorf("%s:%d %q:\n got  %s\n want %s", c.file, c.line, c.args, got, want)
					}
				}
			})
		}
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

// normalizeReply rewrites a rendered reply (see rawConn.reply) for the
// comparison directive cmp of a corpus line.
func normalizeReply(t *testing.T, cmp, reply string) string {
	t.Helper()
	if cmp == "" || reply == "" {
		return reply
	}
	prefix, elems, ok := splitArray(t, reply)
	if !ok {
		if cmp == "shape" {
			return shapeOf(reply)
		}
		return reply
	}
	switch cmp {
	case "set":
		slices.Sort(elems)
	case "pairs":
		var pairs []string
		for i := 0; i+1 < len(elems); i += 2 {
			pairs = append(pairs, elems[i]+" "+elems[i+1])
		}
		slices.Sort(pairs)
		elems = pairs
	case "shape":
		for i, e := range elems {
			elems[i] = shapeOf(e)
		}
	}
	return prefix + "[" + strings.Join(elems, " ") + "]"
}

// shapeOf reduces a rendered scalar reply to its type and, for strings,
// its length.
func shapeOf(reply string) string {
	if strings.HasPrefix(reply, `"`) {
		if s, err := strconv.Unquote(reply); err == nil {
			return fmt.Sprintf("$%d", len(s))
		}
	}
	if reply != "" && (reply[0] == ':' || reply[0] == ',') {
		return reply[:1] + "n"
	}
	return reply
}

// splitArray splits a rendered array, map, set or push reply into its
// type prefix and top-level elements; ok is false for other replies.
func splitArray(t *testing.T, reply string) (prefix string, elems []string, ok bool) {
	t.Helper()
	i := strings.IndexByte(reply, '[')
	if i < 0 || i > 1 || !strings.HasSuffix(reply, "]") {
		return "", nil, false
	}
	prefix, rest := reply[:i], reply[i+1:len(reply)-1]
	for rest != "" {
		n := elemLen(rest)
		elems = append(elems, rest[:n])
		rest = strings.TrimPrefix(rest[n:], " ")
	}
	return prefix, elems, true
}

// elemLen returns the length of the first rendered element of s: a quoted
// string, a bracketed aggregate, or a word up to the next space.
func elemLen(s string) int {
	switch {
	case strings.HasPrefix(s, `"`):
		if q, err := strconv.QuotedPrefix(s); err == nil {
			return len(q)
		}
	case strings.HasPrefix(s, "=") && len(s) > 5 && s[5] == '"':
		if q, err := strconv.QuotedPrefix(s[5:]); err == nil {
			return 5 + len(q)
		}
	case strings.HasPrefix(s, "[") || (len(s) > 1 && s[1] == '['):
		depth := 0
		for i := 0; i < len(s); i++ {
			switch s[i] {
			case '"':
				if q, err := strconv.QuotedPrefix(s[i:]); err == nil {
					i += len(q) - 1
				}
			case '[':
				depth++
			case ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
	}
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return i
	}
	return len(s)
}
