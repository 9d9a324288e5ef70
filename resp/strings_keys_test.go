package resp

import (
	"fmt"
	"testing"

	"github.com/aspen-db/aspen/layers/strkv"
)

const msgWrongTypeText = "WRONGTYPE Operation against a key holding the wrong kind of value"

func TestStringCommandsMore(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	putRaw(t, ts.store, 0, "h", strkv.Meta{Type: strkv.TypeHash})
	steps := []step{
		{args: []any{"SETNX", "s", "1"}, want: int64(1)},
		{args: []any{"SETNX", "s", "2"}, want: int64(0)},
		{args: []any{"SETNX", "h", "2"}, want: int64(0)},
		{args: []any{"SETEX", "se", "100", "v"}, want: "OK"},
		{args: []any{"TTL", "se"}, want: int64(100)},
		{args: []any{"SETEX", "se", "0", "v"}, errMsg: "ERR invalid expire time in 'setex' command"},
		{args: []any{"SETEX", "se", "x", "v"}, errMsg: "ERR value is not an integer or out of range"},
		{args: []any{"PSETEX", "pse", "100000", "v"}, want: "OK"},
		{args: []any{"TTL", "pse"}, want: int64(100)},
		{args: []any{"PSETEX", "pse", "-1", "v"}, errMsg: "ERR invalid expire time in 'psetex' command"},
		{args: []any{"PSETEX", "pse", "9223372036854775807", "v"}, errMsg: "ERR invalid expire time in 'psetex' command"},
		{args: []any{"GETSET", "s", "3"}, want: "1"},
		{args: []any{"GETSET", "new", "3"}, want: nil},
		{args: []any{"GETSET", "h", "3"}, errMsg: msgWrongTypeText},
		{args: []any{"GETSET", "se", "w"}, want: "v"},
		{args: []any{"TTL", "se"}, want: int64(-1)},
		{args: []any{"GETDEL", "s"}, want: "3"},
		{args: []any{"GETDEL", "s"}, want: nil},
		{args: []any{"GETDEL", "h"}, errMsg: msgWrongTypeText},
		{args: []any{"GETEX", "new"}, want: "3"},
		{args: []any{"GETEX", "new", "EX", "100"}, want: "3"},
		{args: []any{"TTL", "new"}, want: int64(100)},
		{args: []any{"GETEX", "new", "PERSIST"}, want: "3"},
		{args: []any{"TTL", "new"}, want: int64(-1)},
		{args: []any{"GETEX", "new", "PXAT", "4102444800123"}, want: "3"},
		{args: []any{"PEXPIRETIME", "new"}, want: int64(4102444800123)},
		{args: []any{"GETEX", "new", "EX", "0"}, errMsg: "ERR invalid expire time in 'getex' command"},
		{args: []any{"GETEX", "new", "EX", "x"}, errMsg: "ERR value is not an integer or out of range"},
		{args: []any{"GETEX", "missing", "EX", "0"}, want: nil},
		{args: []any{"GETEX", "h", "EX", "0"}, errMsg: msgWrongTypeText},
		{args: []any{"GETEX", "new", "EX", "1", "PERSIST"}, errMsg: "ERR syntax error"},
		{args: []any{"GETEX", "new", "EXAT", "1"}, want: "3"},
		{args: []any{"EXISTS", "new"}, want: int64(0)},
		{args: []any{"APPEND", "a", "foo"}, want: int64(3)},
		{args: []any{"APPEND", "a", "bar"}, want: int64(6)},
		{args: []any{"APPEND", "h", "bar"}, errMsg: msgWrongTypeText},
		{args: []any{"STRLEN", "a"}, want: int64(6)},
		{args: []any{"STRLEN", "missing"}, want: int64(0)},
		{args: []any{"STRLEN", "h"}, errMsg: msgWrongTypeText},
		{args: []any{"GETRANGE", "a", "1", "-2"}, want: "ooba"},
		{args: []any{"GETRANGE", "a", "-3", "100"}, want: "bar"},
		{args: []any{"GETRANGE", "a", "4", "2"}, want: ""},
		{args: []any{"GETRANGE", "missing", "0", "-1"}, want: ""},
		{args: []any{"GETRANGE", "h", "0", "-1"}, errMsg: msgWrongTypeText},
		{args: []any{"GETRANGE", "a", "x", "1"}, errMsg: "ERR value is not an integer or out of range"},
		{args: []any{"SETRANGE", "a", "3", "BAZ!"}, want: int64(7)},
		{args: []any{"GET", "a"}, want: "fooBAZ!"},
		{args: []any{"SETRANGE", "p", "2", "x"}, want: int64(3)},
		{args: []any{"GET", "p"}, want: "\x00\x00x"},
		{args: []any{"SETRANGE", "q", "2", ""}, want: int64(0)},
		{args: []any{"EXISTS", "q"}, want: int64(0)},
		{args: []any{"SETRANGE", "a", "-1", "x"}, errMsg: "ERR offset is out of range"},
		{args: []any{"SETRANGE", "a", "536870912", "x"}, errMsg: "ERR string exceeds maximum allowed size (proto-max-bulk-len)"},
		{args: []any{"SETRANGE", "h", "0", "x"}, errMsg: msgWrongTypeText},
		{args: []any{"MSETNX", "m1", "1", "m2", "2"}, want: int64(1)},
		{args: []any{"MSETNX", "m2", "x", "m3", "3"}, want: int64(0)},
		{args: []any{"MGET", "m1", "m2", "m3"}, want: []any{"1", "2", nil}},
		{args: []any{"MSETNX", "m4", "1", "m5"}, errMsg: "ERR wrong number of arguments for 'msetnx' command"},
		{args: []any{"INCRBYFLOAT", "f", "10.5"}, want: "10.5"},
		{args: []any{"INCRBYFLOAT", "f", "0.1"}, want: "10.6"},
		// Redis computes in long double and prints 17 decimals.
		{args: []any{"INCRBYFLOAT", "f", "5.0e3"}, want: "5010.60000000000000009"},
		{args: []any{"INCRBYFLOAT", "f", "abc"}, errMsg: "ERR value is not a valid float"},
		{args: []any{"INCRBYFLOAT", "a", "1"}, errMsg: "ERR value is not a valid float"},
		{args: []any{"INCRBYFLOAT", "f", "inf"}, errMsg: "ERR increment would produce NaN or Infinity"},
		{args: []any{"INCRBYFLOAT", "h", "abc"}, errMsg: msgWrongTypeText},
		{args: []any{"GET", "f"}, want: "5010.60000000000000009"},
	}
	runSteps(t, ctx, c, steps)
}

func TestKeyCommandsMore(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	conn := ts.client(t).Conn()
	defer conn.Close()
	putRaw(t, ts.store, 0, "h", strkv.Meta{Type: strkv.TypeHash, Version: 1})
	steps := []step{
		{args: []any{"SET", "k", "v"}, want: "OK"},
		{args: []any{"EXPIRE", "k", "100"}, want: int64(1)},
		{args: []any{"TTL", "k"}, want: int64(100)},
		{args: []any{"EXPIRE", "k", "200", "NX"}, want: int64(0)},
		{args: []any{"EXPIRE", "k", "200", "GT"}, want: int64(1)},
		{args: []any{"EXPIRE", "k", "100", "GT"}, want: int64(0)},
		{args: []any{"EXPIRE", "k", "50", "LT"}, want: int64(1)},
		{args: []any{"TTL", "k"}, want: int64(50)},
		{args: []any{"PEXPIRE", "k", "300000", "XX"}, want: int64(1)},
		{args: []any{"TTL", "k"}, want: int64(300)},
		{args: []any{"EXPIREAT", "k", "4102444800"}, want: int64(1)},
		{args: []any{"EXPIRETIME", "k"}, want: int64(4102444800)},
		{args: []any{"PEXPIREAT", "k", "4102444800123"}, want: int64(1)},
		{args: []any{"PEXPIRETIME", "k"}, want: int64(4102444800123)},
		{args: []any{"EXPIRETIME", "missing"}, want: int64(-2)},
		{args: []any{"EXPIRE", "k", "1", "NX", "XX"}, errMsg: "ERR NX and XX, GT or LT options at the same time are not compatible"},
		{args: []any{"EXPIRE", "k", "1", "GT", "LT"}, errMsg: "ERR GT and LT options at the same time are not compatible"},
		{args: []any{"EXPIRE", "k", "1", "YY"}, errMsg: "ERR Unsupported option YY"},
		{args: []any{"EXPIRE", "k", "x"}, errMsg: "ERR value is not an integer or out of range"},
		{args: []any{"EXPIRE", "k", "9223372036854775807"}, errMsg: "ERR invalid expire time in 'expire' command"},
		{args: []any{"PEXPIRE", "k", "9223372036854775807"}, errMsg: "ERR invalid expire time in 'pexpire' command"},
		{args: []any{"PERSIST", "k"}, want: int64(1)},
		{args: []any{"PERSIST", "k"}, want: int64(0)},
		{args: []any{"EXPIRETIME", "k"}, want: int64(-1)},
		{args: []any{"EXPIRE", "missing", "10"}, want: int64(0)},
		{args: []any{"EXPIRE", "h", "100"}, want: int64(1)},
		{args: []any{"TTL", "h"}, want: int64(100)},
		{args: []any{"EXPIRE", "k", "0"}, want: int64(1)},
		{args: []any{"EXISTS", "k"}, want: int64(0)},
		{args: []any{"SET", "a", "1"}, want: "OK"},
		{args: []any{"SET", "b", "2"}, want: "OK"},
		{args: []any{"TOUCH", "a", "b", "a", "missing"}, want: int64(3)},
		{args: []any{"DBSIZE"}, want: int64(3)},
		{args: []any{"RENAME", "a", "c"}, want: "OK"},
		{args: []any{"RENAME", "a", "c"}, errMsg: "ERR no such key"},
		{args: []any{"RENAMENX", "c", "b"}, want: int64(0)},
		{args: []any{"RENAMENX", "c", "d"}, want: int64(1)},
		{args: []any{"RENAMENX", "missing", "e"}, errMsg: "ERR no such key"},
		{args: []any{"RENAME", "h", "h2"}, want: "OK"},
		{args: []any{"TYPE", "h2"}, want: "hash"},
		{args: []any{"TTL", "h2"}, want: int64(100)},
		{args: []any{"KEYS", "*"}, want: []any{"b", "d", "h2"}},
		{args: []any{"KEYS", "[a-c]"}, want: []any{"b"}},
		{args: []any{"KEYS", "h?"}, want: []any{"h2"}},
		{args: []any{"KEYS", "x*"}, want: []any{}},
		{args: []any{"SCAN", "0", "TYPE", "hash"}, want: []any{"0", []any{"h2"}}},
		{args: []any{"SCAN", "0", "MATCH", "[bd]"}, want: []any{"0", []any{"b", "d"}}},
		{args: []any{"SCAN", "0", "COUNT", "0"}, errMsg: "ERR syntax error"},
		{args: []any{"SCAN", "x"}, errMsg: "ERR invalid cursor"},
		{args: []any{"SCAN", "5"}, errMsg: "ERR invalid cursor"},
		{args: []any{"SELECT", "5"}, want: "OK"},
		{args: []any{"RANDOMKEY"}, want: nil},
		{args: []any{"DBSIZE"}, want: int64(0)},
		{args: []any{"SET", "only", "v"}, want: "OK"},
		{args: []any{"RANDOMKEY"}, want: "only"},
	}
	runSteps(t, ctx, conn, steps)
}

// TestScanWholeKeyspace walks SCAN to the end while keys are added and
// deleted: every key present for the whole scan comes back, none twice,
// and no batch exceeds COUNT, also where keys share long prefixes (whose
// cursors live in the server's table).
func TestScanWholeKeyspace(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	var stable []string
	for i := range 300 {
		// Many keys share a long prefix, some do not.
		k := fmt.Sprintf("session:user:%05d", i)
		if i%3 == 0 {
			k = fmt.Sprintf("%d-%c", i, 'a'+i%26)
		}
		stable = append(stable, k)
		if err := c.Set(ctx, k, "v", 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 50 {
		if err := c.Set(ctx, fmt.Sprintf("gone:%d", i), "v", 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]int{}
	var cursor uint64
	for round := 0; ; round++ {
		if round > 1000 {
			t.Fatal("SCAN does not finish")
		}
		keys, next, err := c.Scan(ctx, cursor, "", 20).Result()
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) > 20 {
			t.Fatalf("batch of %d keys for COUNT 20", len(keys))
		}
		for _, k := range keys {
			seen[k]++
		}
		// Churn during the scan: delete and add keys.
		if round < 50 {
			c.Del(ctx, fmt.Sprintf("gone:%d", round))
			c.Set(ctx, fmt.Sprintf("added:%d", round), "v", 0)
		}
		if next == 0 {
			break
		}
		cursor = next
	}
	for _, k := range stable {
		if seen[k] != 1 {
			t.Errorf("key %q returned %d times, want once", k, seen[k])
		}
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("key %q returned %d times", k, n)
		}
	}
}

func TestScanCursorRoundTrip(t *testing.T) {
	for _, tc := range []struct{ last, next, want string }{
		{"a", "b", "b"},
		{"abc", "abd", "abd"},
		{"ab", "abc", "abc"},
		{"session:1", "session:2x", "session:2"},
		{"", "a", "a"},
	} {
		if got := separator([]byte(tc.last), []byte(tc.next)); string(got) != tc.want {
			t.Errorf("separator(%q, %q) = %q, want %q", tc.last, tc.next, got, tc.want)
		}
	}
	var tab cursorTable
	first := tab.put([]byte("long name 1"))
	if first&cursorTableBit == 0 || first >= 1<<63 {
		t.Fatalf("table cursor %x: want bit 62 set and below 2^63", first)
	}
	if name, ok := tab.get(first); !ok || string(name) != "long name 1" {
		t.Fatalf("table get = %q, %v", name, ok)
	}
	for range cursorTableSize {
		tab.put([]byte("another long name"))
	}
	if _, ok := tab.get(first); ok {
		t.Fatalf("the oldest table cursor was not pushed out")
	}
	for _, p := range []string{"", "a", "user:00", "\x00\x00", "\xff\xff\xff\xff\xff\xff\xff"} {
		c := encodeCursor([]byte(p))
		if c == 0 {
			t.Fatalf("cursor of %q is 0", p)
		}
		got, ok := decodeCursor(c)
		if !ok || string(got) != p {
			t.Fatalf("decode(encode(%q)) = %q, %v", p, got, ok)
		}
	}
	for _, c := range []uint64{1, 9 << 56, 1<<56 | 5} {
		if _, ok := decodeCursor(c); ok {
			t.Errorf("cursor %d decoded", c)
		}
	}
}
