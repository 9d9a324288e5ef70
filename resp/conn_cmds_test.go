package resp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func TestHello3(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := redis.NewClient(&redis.Options{Addr: ts.addr, Protocol: 3, MaxRetries: -1})
	defer c.Close()
	// go-redis sends HELLO 3 on connect; a map reply proves RESP3.
	got, err := c.Do(ctx, "HELLO").Result()
	if err != nil {
		t.Fatal(err)
	}
	m, ok := got.(map[any]any)
	if !ok {
		t.Fatalf("HELLO reply %T %#v, want a RESP3 map", got, got)
	}
	for k, want := range map[string]any{
		"server": "redis", "version": Version, "proto": int64(3),
		"mode": "standalone", "role": "master", "modules": []any{},
	} {
		if fmt.Sprintf("%#v", m[k]) != fmt.Sprintf("%#v", want) {
			t.Errorf("HELLO %s = %#v, want %#v", k, m[k], want)
		}
	}
	id, err := c.ClientID(ctx).Result()
	if err != nil || m["id"] != id {
		t.Errorf("HELLO id %v, CLIENT ID %v (%v)", m["id"], id, err)
	}
	// A RESP3 type: CONFIG GET replies a map.
	cfg, err := c.Do(ctx, "CONFIG", "GET", "maxmemory-policy").Result()
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprintf("%v", cfg) != "map[maxmemory-policy:noeviction]" {
		t.Errorf("CONFIG GET in RESP3: %#v", cfg)
	}
	// INFO is a verbatim string in RESP3.
	rc := dialRaw(t, ts.addr)
	rc.send([]string{"HELLO", "3"}, []string{"INFO", "server"}, []string{"HELLO", "2"}, []string{"INFO", "server"})
	if r := rc.mustReply(); !strings.HasPrefix(r, "%[") {
		t.Errorf("HELLO 3: %q", r)
	}
	if r := rc.mustReply(); !strings.HasPrefix(r, `=txt:"# Server\r\n`) {
		t.Errorf("INFO in RESP3: %.40q", r)
	}
	if r := rc.mustReply(); !strings.HasPrefix(r, `["server" "redis"`) || !strings.Contains(r, `"proto" :2`) {
		t.Errorf("HELLO 2: %q", r)
	}
	if r := rc.mustReply(); !strings.HasPrefix(r, `"# Server\r\n`) {
		t.Errorf("INFO in RESP2: %.40q", r)
	}
}

func TestAuthRequirePass(t *testing.T) {
	ts := startServer(t, func(s *Server) { s.SetRequirePass("s3cret") })
	ctx := ctxT(t)

	// No password: NOAUTH for everything but AUTH, HELLO and QUIT.
	noauth := ts.client(t).Conn()
	defer noauth.Close()
	runSteps(t, ctx, noauth, []step{
		{args: []any{"GET", "k"}, errMsg: "NOAUTH Authentication required."},
		{args: []any{"PING"}, errMsg: "NOAUTH Authentication required."},
		{args: []any{"NOSUCH"}, errMsg: "ERR unknown command 'NOSUCH', with args beginning with: "},
		{args: []any{"GET"}, errMsg: "ERR wrong number of arguments for 'get' command"},
		{args: []any{"HELLO", "3"}, errMsg: msgHelloAuth},
		{args: []any{"AUTH", "wrong"}, errMsg: "WRONGPASS invalid username-password pair or user is disabled."},
		{args: []any{"AUTH", "nobody", "s3cret"}, errMsg: "WRONGPASS invalid username-password pair or user is disabled."},
		{args: []any{"AUTH", "a", "b", "c"}, errMsg: "ERR syntax error"},
		{args: []any{"AUTH", "s3cret"}, want: "OK"},
		{args: []any{"SET", "k", "v"}, want: "OK"},
		{args: []any{"AUTH", "default", "s3cret"}, want: "OK"},
		// RESET forgets the authentication.
		{args: []any{"RESET"}, want: "RESET"},
		{args: []any{"GET", "k"}, errMsg: "NOAUTH Authentication required."},
		{args: []any{"AUTH", "s3cret"}, want: "OK"},
	})

	// go-redis's Password option authenticates on connect.
	c := redis.NewClient(&redis.Options{Addr: ts.addr, Password: "s3cret", MaxRetries: -1})
	defer c.Close()
	if v, err := c.Get(ctx, "k").Result(); err != nil || v != "v" {
		t.Fatalf("GET with Password: %q, %v", v, err)
	}
	c3 := redis.NewClient(&redis.Options{Addr: ts.addr, Password: "s3cret", Protocol: 3, MaxRetries: -1})
	defer c3.Close()
	if v, err := c3.Get(ctx, "k").Result(); err != nil || v != "v" {
		t.Fatalf("GET with Password over RESP3: %q, %v", v, err)
	}
	bad := redis.NewClient(&redis.Options{Addr: ts.addr, Password: "nope", MaxRetries: -1})
	defer bad.Close()
	if err := bad.Ping(ctx).Err(); err == nil || !strings.Contains(err.Error(), "WRONGPASS") {
		t.Fatalf("wrong Password: %v", err)
	}

	// CONFIG SET requirepass "" lifts the requirement; connections made
	// after it need no password, and AUTH then says so.
	if err := c.ConfigSet(ctx, "requirepass", "").Err(); err != nil {
		t.Fatal(err)
	}
	free := ts.client(t)
	runSteps(t, ctx, free, []step{
		{args: []any{"GET", "k"}, want: "v"},
		{args: []any{"AUTH", "x"}, errMsg: msgNoPass},
		{args: []any{"AUTH", "default", "anything"}, want: "OK"},
		{args: []any{"CONFIG", "SET", "requirepass", "again"}, want: "OK"},
	})
	// The connection made while no password was required stays
	// authenticated; a new one is not.
	runSteps(t, ctx, free, []step{{args: []any{"GET", "k"}, want: "v"}})
	fresh := ts.client(t).Conn()
	defer fresh.Close()
	runSteps(t, ctx, fresh, []step{
		{args: []any{"GET", "k"}, errMsg: "NOAUTH Authentication required."},
		{args: []any{"CLIENT", "ID"}, errMsg: "NOAUTH Authentication required."},
	})
	hello, err := fresh.Do(ctx, "HELLO", "3", "AUTH", "default", "again").Result()
	if err != nil {
		t.Fatal(err)
	}
	id, err := fresh.ClientID(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	if want := (map[any]any{"server": "redis", "version": Version, "proto": int64(3), "id": id, "mode": "standalone", "role": "master", "modules": []any{}}); fmt.Sprintf("%#v", hello) != fmt.Sprintf("%#v", want) {
		t.Errorf("HELLO 3 AUTH: %#v, want %#v", hello, want)
	}
	runSteps(t, ctx, fresh, []step{{args: []any{"GET", "k"}, want: "v"}})
}

func TestInfo(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t).Conn()
	defer c.Close()
	runSteps(t, ctx, c, []step{
		{args: []any{"SET", "a", "1"}, want: "OK"},
		{args: []any{"SET", "b", "2", "EX", "100"}, want: "OK"},
	})
	if err := c.Get(ctx, "a").Err(); err != nil {
		t.Fatal(err)
	}
	if err := c.Get(ctx, "nope").Err(); !errors.Is(err, redis.Nil) {
		t.Fatal(err)
	}
	if err := c.Do(ctx, "SELECT", "3").Err(); err != nil {
		t.Fatal(err)
	}
	parse := func(s string) (sections []string, fields map[string]string) {
		fields = map[string]string{}
		for _, line := range strings.Split(s, "\r\n") {
			switch {
			case strings.HasPrefix(line, "# "):
				sections = append(sections, line[2:])
			case line == "":
			default:
				k, v, ok := strings.Cut(line, ":")
				if !ok {
					t.Errorf("bad INFO line %q", line)
				}
				fields[k] = v
			}
		}
		return sections, fields
	}
	all, err := c.Info(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.ReplaceAll(all, "\r\n", ""), "\n") {
		t.Errorf("INFO has bare newlines")
	}
	secs, f := parse(all)
	if want := "Server Clients Memory Persistence Stats Replication CPU Modules Errorstats Cluster Keyspace"; strings.Join(secs, " ") != want {
		t.Errorf("sections %v, want %s", secs, want)
	}
	for k, want := range map[string]string{
		"redis_version": Version, "redis_mode": "standalone", "role": "master",
		"db0": "keys=2,expires=1,avg_ttl=0", "maxmemory": "0", "maxmemory_policy": "noeviction",
		"connected_clients": "1", "evicted_keys": "0",
	} {
		if f[k] != want {
			t.Errorf("INFO %s = %q, want %q", k, f[k], want)
		}
	}
	if _, err := strconv.Atoi(f["used_memory"]); err != nil || f["used_memory"] == "0" {
		t.Errorf("used_memory %q", f["used_memory"])
	}
	_, port, _ := net.SplitHostPort(ts.addr)
	if f["tcp_port"] != port {
		t.Errorf("tcp_port %q, want %s", f["tcp_port"], port)
	}
	if n, _ := strconv.Atoi(f["keyspace_hits"]); n < 1 {
		t.Errorf("keyspace_hits %q", f["keyspace_hits"])
	}
	if n, _ := strconv.Atoi(f["keyspace_misses"]); n < 1 {
		t.Errorf("keyspace_misses %q", f["keyspace_misses"])
	}
	if n, _ := strconv.Atoi(f["total_commands_processed"]); n < 5 {
		t.Errorf("total_commands_processed %q", f["total_commands_processed"])
	}
	if _, ok := f["db3"]; ok {
		t.Errorf("an empty database is listed")
	}

	secs, f = parse(c.Info(ctx, "clients", "KEYSPACE").Val())
	if strings.Join(secs, " ") != "Clients Keyspace" || f["db0"] == "" {
		t.Errorf("INFO clients keyspace: %v %v", secs, f)
	}
	if s := c.Info(ctx, "nosuch").Val(); s != "" {
		t.Errorf("INFO nosuch: %q", s)
	}
	secs, _ = parse(c.Info(ctx, "everything").Val())
	if len(secs) != len(infoSections) {
		t.Errorf("INFO everything: %v", secs)
	}
	if err := c.ConfigResetStat(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	_, f = parse(c.Info(ctx, "stats").Val())
	if f["keyspace_hits"] != "0" || f["total_commands_processed"] != "1" {
		t.Errorf("after RESETSTAT: hits %q, commands %q", f["keyspace_hits"], f["total_commands_processed"])
	}
}

func TestConfigGetSet(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	runSteps(t, ctx, c, []step{
		{args: []any{"CONFIG", "SET", "maxmemory", "1gb", "maxmemory-policy", "ALLKEYS-LRU"}, want: "OK"},
		{args: []any{"CONFIG", "GET", "maxmemory"}, want: map[any]any{"maxmemory": "1073741824"}},
		{args: []any{"CONFIG", "GET", "Maxmemory-Policy"}, want: map[any]any{"Maxmemory-Policy": "allkeys-lru"}}, // named as asked, as Redis does
		{args: []any{"CONFIG", "SET", "maxmemory", "100k"}, want: "OK"},
		{args: []any{"CONFIG", "GET", "maxmemory"}, want: map[any]any{"maxmemory": "100000"}},
		{args: []any{"CONFIG", "SET", "maxmemory-samples", "10", "notify-keyspace-events", "KEA"}, want: "OK"},
		{args: []any{"CONFIG", "GET", "notify-keyspace-events"}, want: map[any]any{"notify-keyspace-events": "AKE"}},
		{args: []any{"CONFIG", "SET", "notify-keyspace-events", "gx$lshzetdnKm"}, want: "OK"},
		{args: []any{"CONFIG", "GET", "notify-keyspace-events"}, want: map[any]any{"notify-keyspace-events": "AKm"}},
		{args: []any{"CONFIG", "SET", "notify-keyspace-events", "Elg"}, want: "OK"},
		{args: []any{"CONFIG", "GET", "notify-keyspace-events"}, want: map[any]any{"notify-keyspace-events": "glE"}},
		// All or nothing: a bad value leaves the good one unset.
		{args: []any{"CONFIG", "SET", "maxmemory-samples", "7", "maxmemory-policy", "bogus"}, errMsg: "ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction"},
		{args: []any{"CONFIG", "GET", "maxmemory-samples"}, want: map[any]any{"maxmemory-samples": "10"}},
		{args: []any{"CONFIG", "SET", "databases", "4"}, errMsg: "ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config"},
		{args: []any{"CONFIG", "GET", "databases"}, want: map[any]any{"databases": "16"}},
		{args: []any{"CONFIG", "SET", "proto-max-bulk-len", "2mb"}, want: "OK"},
	})
	if got := ts.srv.MaxMemory(); got != 100000 {
		t.Errorf("MaxMemory() = %d", got)
	}
	if got := ts.srv.MaxMemoryPolicy(); got != "allkeys-lru" {
		t.Errorf("MaxMemoryPolicy() = %q", got)
	}
	if got := ts.srv.MaxMemorySamples(); got != 10 {
		t.Errorf("MaxMemorySamples() = %d", got)
	}
	if got := ts.srv.NotifyKeyspaceEvents(); got != NotifyGeneric|NotifyList|NotifyKeyevent {
		t.Errorf("NotifyKeyspaceEvents() = %b", got)
	}
	if got := ts.srv.ProtoMaxBulkLen(); got != 2<<20 {
		t.Errorf("ProtoMaxBulkLen() = %d", got)
	}
	m, err := c.ConfigGet(ctx, "maxmemory*").Result()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"maxmemory": "100000", "maxmemory-policy": "allkeys-lru", "maxmemory-samples": "10", "maxmemory-eviction-tenacity": "10", "maxmemory-clients": "0"}
	if fmt.Sprint(m) != fmt.Sprint(want) {
		t.Errorf("CONFIG GET maxmemory*: %v", m)
	}
}

func TestParseMemory(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"0", 0, true}, {"", 0, true}, {"10", 10, true}, {"1b", 1, true}, {"1k", 1000, true},
		{"1KB", 1024, true}, {"2m", 2000000, true}, {"2mb", 2 << 20, true}, {"1g", 1e9, true},
		{"1gb", 1 << 30, true}, {"-1", 0, false}, {"1x", 0, false}, {"1.5gb", 0, false},
		{"+1", 0, false}, {" 1", 0, false}, {"99999999999999999999999", 1<<64 - 1, true},
		{"17179869184gb", 0, true},
	}
	for _, tt := range tests {
		got, ok := parseMemory([]byte(tt.in))
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseMemory(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

var clientLineRE = regexp.MustCompile(`^id=(\d+) addr=(\S+) laddr=(\S+) fd=-?\d+ name=(\S*) age=\d+ idle=\d+ flags=(\w+) db=(\d+) sub=0 psub=0 ssub=0 multi=-?\d+ qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=(\S+) user=default redir=-1 resp=([23])$`)

func TestClientListKill(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	a := ts.client(t).Conn()
	defer a.Close()
	b := ts.client(t).Conn()
	defer b.Close()
	if err := b.ClientSetName(ctx, "bee").Err(); err != nil {
		t.Fatal(err)
	}
	if err := b.Do(ctx, "SELECT", "2").Err(); err != nil {
		t.Fatal(err)
	}
	aID, _ := a.ClientID(ctx).Result()
	bID, _ := b.ClientID(ctx).Result()

	list, err := a.ClientList(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(list, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("CLIENT LIST: %q", list)
	}
	var bAddr string
	for _, l := range lines {
		m := clientLineRE.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("CLIENT LIST line %q", l)
		}
		switch m[1] {
		case strconv.FormatInt(aID, 10):
			if m[7] != "client|list" || m[5] != "N" {
				t.Errorf("own line %q", l)
			}
		case strconv.FormatInt(bID, 10):
			bAddr = m[2]
			if m[4] != "bee" || m[6] != "2" || m[7] != "client|id" {
				t.Errorf("other line %q", l)
			}
		default:
			t.Errorf("unknown client in %q", l)
		}
	}
	info, err := b.ClientInfo(ctx).Result()
	if err != nil || info.ID != bID || info.Name != "bee" || info.DB != 2 {
		t.Fatalf("CLIENT INFO: %+v, %v", info, err)
	}
	one, _ := a.Do(ctx, "CLIENT", "LIST", "ID", bID, 999).Text()
	if !strings.HasPrefix(one, "id="+strconv.FormatInt(bID, 10)+" ") || strings.Count(one, "\n") != 1 {
		t.Errorf("CLIENT LIST ID: %q", one)
	}
	runSteps(t, ctx, a, []step{
		{args: []any{"CLIENT", "LIST", "TYPE", "pubsub"}, want: ""},
		{args: []any{"CLIENT", "LIST", "TYPE", "bogus"}, errMsg: "ERR Unknown client type 'bogus'"},
		{args: []any{"CLIENT", "KILL", "ID", "0"}, errMsg: "ERR client-id should be greater than 0"},
		{args: []any{"CLIENT", "KILL", "1.2.3.4:5"}, errMsg: "ERR No such client"},
		{args: []any{"CLIENT", "KILL", "ID", aID}, want: int64(0)}, // SKIPME yes by default
		{args: []any{"CLIENT", "KILL", "ADDR", bAddr, "SKIPME", "yes"}, want: int64(1)},
	})
	// b is gone.
	if err := b.Ping(ctx).Err(); err == nil {
		t.Errorf("killed client still answers")
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		list, _ = a.ClientList(ctx).Result()
		if strings.Count(list, "\n") == 1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if strings.Count(list, "\n") != 1 {
		t.Errorf("killed client still listed: %q", list)
	}

	// The old form by address, and killing oneself.
	c := ts.client(t).Conn()
	defer c.Close()
	cInfo, err := c.ClientInfo(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Do(ctx, "CLIENT", "KILL", cInfo.Addr).Err(); err != nil {
		t.Fatal(err)
	}
	if err := c.Ping(ctx).Err(); err == nil {
		t.Errorf("client killed by address still answers")
	}
	rc := dialRaw(t, ts.addr)
	rc.send([]string{"CLIENT", "KILL", "SKIPME", "no", "TYPE", "normal"}, []string{"PING"})
	if r := rc.mustReply(); r == "" || r[0] != ':' {
		t.Errorf("self kill: %q", r)
	}
	if r, err := rc.reply(); err == nil {
		t.Errorf("reply after self kill: %q", r)
	}
}

func TestMonitor(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t).Conn()
	defer c.Close()
	info, err := c.ClientInfo(ctx).Result() // connects before MONITOR
	if err != nil {
		t.Fatal(err)
	}
	nc, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(20 * time.Second))
	r := bufio.NewReader(nc)
	if _, err := nc.Write([]byte("PING\r\nMONITOR\r\n")); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"+PONG\r\n", "+OK\r\n"} {
		if line, err := r.ReadString('\n'); err != nil || line != want {
			t.Fatalf("got %q, %v; want %q", line, err, want)
		}
	}
	runSteps(t, ctx, c, []step{
		{args: []any{"SET", "k", "a\x00\"\\ \xc3\xa9\n"}, want: "OK"},
		{args: []any{"CONFIG", "GET", "maxmemory"}, want: map[any]any{"maxmemory": "0"}},
		{args: []any{"SELECT", "2"}, want: "OK"},
		{args: []any{"GET", "k"}, want: nil},
		{args: []any{"AUTH", "pw"}, errMsg: msgNoPass},
		{args: []any{"NOSUCH"}, errMsg: "ERR unknown command 'NOSUCH', with args beginning with: "},
		{args: []any{"CLIENT", "NOSUCH"}, errMsg: "ERR unknown subcommand 'NOSUCH'. Try CLIENT HELP."},
		{args: []any{"CLIENT", "LIST", "ID", "999999"}, want: ""},
		{args: []any{"CLIENT", "ID"}, want: info.ID},
	})
	lineRE := regexp.MustCompile(`^\+(\d+)\.(\d{6}) \[(\d+) ([^\]]+)\] (.*)\r\n$`)
	for _, want := range []string{
		`[0] "SET" "k" "a\x00\"\\ \xc3\xa9\n"`,
		`[2] "SELECT" "2"`,
		`[2] "GET" "k"`,
		`[2] "AUTH" "(redacted)"`,
		`[2] "CLIENT" "ID"`,
	} {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		m := lineRE.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("monitor line %q", line)
		}
		sec, _ := strconv.ParseInt(m[1], 10, 64)
		if d := time.Since(time.Unix(sec, 0)); d < -time.Minute || d > time.Minute {
			t.Errorf("time %s in %q", m[1], line)
		}
		if m[4] != info.Addr {
			t.Errorf("address %q, want %q", m[4], info.Addr)
		}
		if g := "[" + m[3] + "] " + m[5]; g != want {
			t.Errorf("monitor line %q, want %q", m[3]+" "+m[5], want)
		}
	}
	// The monitor cannot touch the keyspace; its own commands show too.
	if _, err := nc.Write([]byte("GET k\r\nQUIT\r\n")); err != nil {
		t.Fatal(err)
	}
	var rest []string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			break
		}
		rest = append(rest, line)
	}
	// As Redis: the refused GET is not shown, nor the monitor's own
	// QUIT.
	if want := []string{"-ERR Replica can't interact with the keyspace\r\n", "+OK\r\n"}; fmt.Sprint(rest) != fmt.Sprint(want) {
		t.Fatalf("after GET, QUIT: %q, want %q", rest, want)
	}
	// The closed monitor no longer counts.
	deadline := time.Now().Add(5 * time.Second)
	for ts.srv.ext.monitors.n.Load() != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := ts.srv.ext.monitors.n.Load(); n != 0 {
		t.Errorf("%d monitors after QUIT", n)
	}
}

// TestMonitorReset: RESET ends MONITOR mode; the connection then works
// as any other.
func TestMonitorReset(t *testing.T) {
	ts := startServer(t, nil)
	rc := dialRaw(t, ts.addr)
	rc.send([]string{"MONITOR"}, []string{"RESET"}, []string{"SET", "k", "v"}, []string{"GET", "k"})
	for _, want := range []string{"+OK", "+RESET", "+OK", `"v"`} {
		if got := rc.mustReply(); got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
	if n := ts.srv.ext.monitors.n.Load(); n != 0 {
		t.Errorf("%d monitors after RESET", n)
	}
}

// TestMonitorOverflow: a monitor that does not read is disconnected once
// its queue passes the limit, and the server goes on.
func TestMonitorOverflow(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	nc, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if tc, ok := nc.(*net.TCPConn); ok {
		tc.SetReadBuffer(4096)
	}
	nc.Write([]byte("MONITOR\r\n"))
	c := ts.client(t)
	time.Sleep(50 * time.Millisecond)
	big := strings.Repeat("x", 1<<20)
	for i := 0; ts.srv.ext.monitors.n.Load() > 0 || i == 0; i++ {
		if i > 200 {
			t.Fatalf("monitor not dropped after %d MB", i)
		}
		if err := c.Echo(ctx, big).Err(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Millisecond)
	}
	deadline := time.Now().Add(5 * time.Second)
	for ts.srv.ext.monitors.n.Load() != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if err := c.Ping(ctx).Err(); err != nil {
		t.Fatal(err)
	}
}

func TestTimeLastSaveRole(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	tm, err := c.Time(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(tm); d < -time.Second || d > time.Second {
		t.Errorf("TIME %v is %v off", tm, d)
	}
	raw, err := c.Do(ctx, "TIME").StringSlice()
	if err != nil || len(raw) != 2 {
		t.Fatalf("TIME: %q, %v", raw, err)
	}
	if us, err := strconv.Atoi(raw[1]); err != nil || us < 0 || us > 999999 {
		t.Errorf("TIME microseconds %q", raw[1])
	}
	ls, err := c.LastSave(ctx).Result()
	if err != nil || ls > time.Now().Unix() || ls < time.Now().Add(-time.Hour).Unix() {
		t.Errorf("LASTSAVE %d, %v", ls, err)
	}
	runSteps(t, ctx, c, []step{
		{args: []any{"ROLE"}, want: []any{"master", int64(0), []any{}}},
		{args: []any{"COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2"}, want: []any{"a", "b"}},
		{args: []any{"COMMAND", "GETKEYS", "GET", "a", "b"}, errMsg: "ERR Invalid number of arguments specified for command"},
		{args: []any{"COMMAND", "GETKEYS", "nosuch", "a"}, errMsg: "ERR Invalid command specified"},
		{args: []any{"COMMAND", "GETKEYS", "PING", "a"}, errMsg: "ERR The command has no key arguments"},
	})
	docs, err := c.Do(ctx, "COMMAND", "DOCS", "get", "nosuch").Result()
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(docs) != "map[get:map[arguments:[] group:string summary:Returns the string value of a key]]" {
		t.Errorf("COMMAND DOCS get: %v", docs)
	}
	all, err := c.Do(ctx, "COMMAND", "DOCS").Result()
	if m, ok := all.(map[any]any); err != nil || !ok || len(m) != len(commandTable) {
		t.Errorf("COMMAND DOCS: %T %v", all, err)
	}
	c2 := redis.NewClient(&redis.Options{Addr: ts.addr, Protocol: 2, MaxRetries: -1})
	defer c2.Close()
	flat, err := c2.Do(ctx, "COMMAND", "DOCS", "get").Result()
	if fmt.Sprint(flat) != "[get [summary Returns the string value of a key group string arguments []]]" || err != nil {
		t.Errorf("COMMAND DOCS get in RESP2: %v, %v", flat, err)
	}
}

// TestRedisCLIConnection: redis-cli starts, reads COMMAND DOCS and runs commands
// against Aspen.
func TestRedisCLIConnection(t *testing.T) {
	cli, err := execLookPath("redis-cli")
	if err != nil {
		t.Skip("redis-cli not installed")
	}
	ts := startServer(t, nil)
	host, port, _ := net.SplitHostPort(ts.addr)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := runCommand(ctx, cli, "-h", host, "-p", port, "SET", "k", "v")
	if err != nil || strings.TrimSpace(out) != "OK" {
		t.Fatalf("redis-cli SET: %q, %v", out, err)
	}
	out, err = runCommandInput(ctx, "GET k\nHELLO 3\nCONFIG GET maxmemory\n", cli, "-h", host, "-p", port)
	if err != nil || !strings.Contains(out, "v") || !strings.Contains(out, "maxmemory") {
		t.Fatalf("redis-cli interactive: %q, %v", out, err)
	}
}

func execLookPath(name string) (string, error) { return exec.LookPath(name) }

func runCommand(ctx context.Context, name string, args ...string) (string, error) {
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	return string(out), err
}

func runCommandInput(ctx context.Context, input, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = strings.NewReader(input)
	out, err := cmd.CombinedOutput()
	return string(out), err
}
