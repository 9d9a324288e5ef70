package resp

import (
	"bytes"
	"io"
	"net"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// exchangeRaw sends data on a new connection to addr and returns what the
// server wrote back within wait, with "<EOF>" appended when the server
// closed the connection.
func exchangeRaw(t *testing.T, addr string, data []byte, wait time.Duration) string {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Error(err)
		return ""
	}
	defer nc.Close()
	if _, err := nc.Write(data); err != nil {
		t.Error(err)
		return ""
	}
	var out bytes.Buffer
	buf := make([]byte, 4096)
	deadline := time.Now().Add(wait)
	for {
		nc.SetReadDeadline(deadline)
		n, err := nc.Read(buf)
		out.Write(buf[:n])
		if err == io.EOF {
			out.WriteString("<EOF>")
			break
		}
		if err != nil {
			break
		}
	}
	return out.String()
}

// exchangeAll runs exchangeRaw for every input at once, each on its own
// connection, and returns the replies in order.
func exchangeAll(t *testing.T, addr string, inputs []string) []string {
	t.Helper()
	out := make([]string, len(inputs))
	var wg sync.WaitGroup
	for i, in := range inputs {
		wg.Go(func() {
			out[i] = exchangeRaw(t, addr, []byte(in), 400*time.Millisecond)
		})
	}
	wg.Wait()
	return out
}

// framingCases are raw requests whose replies, protocol errors included,
// must be byte for byte Redis's.
var framingCases = []string{
	"*1\r\n$2147483648\r\n",
	"*1\r\n$536870913\r\n",
	"*1\r\n$-1\r\n",
	"*1\r\n$01\r\nx\r\n",
	"*2147483648\r\n",
	"*9223372036854775808\r\n",
	"*01\r\n$4\r\nPING\r\n",
	"*+1\r\n$4\r\nPING\r\n",
	"*x\r\n",
	"*0\r\nPING\r\n",
	"*-1\r\nPING\r\n",
	"*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n",
	"*1\rX$4\rXPING\r\n",
	"*1\r\nx4\r\nPING\r\n",
	"PING\r\n*1\r\n:4\r\n",
	"PING \"a\r\n",
	"PING \"a\"b\r\n",
	"PING 'a'b\r\n",
	"ECHO a\"b c\"\r\n",
	"ECHO \"\\x41\\n\\t\\\\\"\r\n",
	"ECHO 'it\\'s'\r\n",
	"ECHO \"\\xZZ\"\r\n",
	"ECHO \"\"\r\n",
	"\r\n\r\n  \t \r\nPING\r\n",
	"PING\nPING\n",
	"SET k v\r\nGET k\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n",
	"ECHO a\x0bb\r\n",
	"*3\r\n$4\r\nECHO\r\n",
	"*2\r\n$4\r\nECHO\r\n$3\r\nabc\r\n*1\r\n$4\r\nPIN",
	"GET " + strings.Repeat("a", 70000) + "\r\n",
	"*" + strings.Repeat("1", 70000),
	"*1\r\n$" + strings.Repeat("1", 70000),
	"PING\r\n" + strings.Repeat("x", 70000),
}

func TestFramingLikeRedis(t *testing.T) {
	redisAddr := startRedis(t)
	ts := startServer(t, nil)
	wants := exchangeAll(t, redisAddr, framingCases)
	gots := exchangeAll(t, ts.addr, framingCases)
	for i, in := range framingCases {
		want, got := wants[i], gots[i]
		name := in
		if len(name) > 40 {
			name = name[:40] + "..."
		}
		if got != want {
			t.Errorf("%q:\n got %q\nwant %q", name, got, want)
		}
	}
}

func TestFramingUnauthenticatedLimits(t *testing.T) {
	redisAddr := startRedis(t)
	rc := dialRaw(t, redisAddr)
	rc.send([]string{"CONFIG", "SET", "requirepass", "pw"})
	if got := rc.mustReply(); got != "+OK" {
		t.Fatalf("redis CONFIG SET requirepass: %q", got)
	}
	ts := startServer(t, func(s *Server) { s.SetRequirePass("pw") })
	cases := []string{
		"*11\r\n",
		"*10\r\n$16385\r\n",
		"*2\r\n$4\r\nECHO\r\n$16384\r\n",
		// AUTH first in the same packet lifts the limits for what follows.
		"AUTH pw\r\n*11\r\n$4\r\nECHO\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n$1\r\ng\r\n$1\r\nh\r\n$1\r\ni\r\n$1\r\nj\r\n",
		"AUTH pw\r\n*2\r\n$4\r\nECHO\r\n$16385\r\n" + strings.Repeat("z", 16385) + "\r\n",
		"*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*2\r\n$4\r\nECHO\r\n$16385\r\n" + strings.Repeat("z", 16385) + "\r\n",
	}
	wants := exchangeAll(t, redisAddr, cases)
	gots := exchangeAll(t, ts.addr, cases)
	for i, in := range cases {
		want, got := wants[i], gots[i]
		if got != want {
			t.Errorf("%.60q:\n got %.200q\nwant %.200q", in, got, want)
		}
	}
}

// TestFramingHugeBulkHeader: a 2 GB bulk header gets Redis's error at
// once, the server's memory does not grow, and other connections keep
// working.
func TestFramingHugeBulkHeader(t *testing.T) {
	ts := startServer(t, nil)
	other := ts.client(t)
	ctx := ctxT(t)
	if err := other.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	nc, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := nc.Write([]byte("*1\r\n$2147483648\r\n")); err != nil {
		t.Fatal(err)
	}
	// Keep sending: the server must not buffer any of it.
	go func() {
		chunk := make([]byte, 64<<10)
		for range 256 {
			if _, err := nc.Write(chunk); err != nil {
				return
			}
		}
	}()
	got, _ := io.ReadAll(nc)
	if string(got) != "-ERR Protocol error: invalid bulk length\r\n" {
		t.Fatalf("reply %q", got)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grow := int64(after.HeapInuse) - int64(before.HeapInuse); grow > 64<<20 {
		t.Errorf("heap grew by %d bytes", grow)
	}
	if v, err := other.Get(ctx, "k").Result(); err != nil || v != "v" {
		t.Fatalf("other connection: %q, %v", v, err)
	}

	// A declared length under the limit is not allocated up front either.
	nc2, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc2.Close()
	if _, err := nc2.Write([]byte("*2\r\n$4\r\nECHO\r\n$536870912\r\nabc")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grow := int64(after.HeapInuse) - int64(before.HeapInuse); grow > 64<<20 {
		t.Errorf("heap grew by %d bytes for a declared 512 MB bulk", grow)
	}
}

// TestFramingHugeCount: a request declaring two billion elements costs
// neither memory nor CPU while it does not come; a large one that does
// come runs.
func TestFramingHugeCount(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	other := ts.client(t)
	nc, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	nc.Write([]byte("*2144483678\r\n"))
	for range 50 {
		nc.Write([]byte("$1\r\na\r\n"))
		start := time.Now()
		if err := other.Ping(ctx).Err(); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > time.Second {
			t.Fatalf("PING took %v while a huge request trickles in", d)
		}
	}
	args := []any{"MSET"}
	for i := range 5000 {
		args = append(args, "k"+strconv.Itoa(i), "v")
	}
	if err := other.Do(ctx, args...).Err(); err != nil {
		t.Fatal(err)
	}
	if v, err := other.Get(ctx, "k4999").Result(); err != nil || v != "v" {
		t.Fatalf("after a 10001-element MSET: %q, %v", v, err)
	}
}

func TestFramingProtoMaxBulkLen(t *testing.T) {
	ts := startServer(t, nil)
	c := ts.client(t)
	ctx := ctxT(t)
	if err := c.ConfigSet(ctx, "proto-max-bulk-len", "1mb").Err(); err != nil {
		t.Fatal(err)
	}
	got := exchangeRaw(t, ts.addr, []byte("*2\r\n$4\r\nECHO\r\n$1048577\r\n"), 300*time.Millisecond)
	if got != "-ERR Protocol error: invalid bulk length\r\n<EOF>" {
		t.Errorf("over the limit: %q", got)
	}
	in := "*2\r\n$4\r\nECHO\r\n$1048576\r\n" + strings.Repeat("q", 1<<20) + "\r\n"
	nc, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := nc.Write([]byte(in)); err != nil {
		t.Fatal(err)
	}
	want := "$1048576\r\n" + strings.Repeat("q", 1<<20) + "\r\n"
	buf := make([]byte, len(want))
	if _, err := io.ReadFull(nc, buf); err != nil || string(buf) != want {
		t.Errorf("at the limit: %v", err)
	}
}

func TestSplitArgs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		ok   bool
	}{
		{"", nil, true},
		{"  a  b ", []string{"a", "b"}, true},
		{`"a b" c`, []string{"a b", "c"}, true},
		{`a"b c"d`, nil, false},
		{`a"b c" d`, []string{"ab c", "d"}, true},
		{`"\x41\x4a\n"`, []string{"AJ\n"}, true},
		{`"\x4"`, []string{"x4"}, true},
		{`'a\'b' '\n'`, []string{"a'b", `\n`}, true},
		{`"abc`, nil, false},
		{`'abc`, nil, false},
		{`""`, []string{""}, true},
		{"a\vb", []string{"a\vb"}, true},
		{"\va", []string{"a"}, true},
	}
	for _, tt := range tests {
		got, ok := splitArgs([]byte(tt.in))
		if ok != tt.ok {
			t.Errorf("%q: ok %v", tt.in, ok)
			continue
		}
		var s []string
		for _, a := range got {
			s = append(s, string(a))
		}
		if strings.Join(s, "|") != strings.Join(tt.want, "|") || len(s) != len(tt.want) {
			t.Errorf("%q: %q, want %q", tt.in, s, tt.want)
		}
	}
}
