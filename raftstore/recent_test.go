package raftstore

import (
	"bytes"
	"strings"
	"testing"
)

// TestRecentCache checks that the apply path's cache answers exactly what
// was last recorded, forgets ranges and large values, and never keeps
// system keys.
func TestRecentCache(t *testing.T) {
	type op struct {
		kind       string // put, del (absent), range, get
		key, end   string
		value      string
		wantFound  bool
		wantAbsent bool
		mayMiss    bool // the cache may have forgotten the key
	}
	big := strings.Repeat("v", recentMaxValue+1)
	tests := []struct {
		name string
		ops  []op
	}{
		{"unknown key", []op{
			{kind: "get", key: "a"},
		}},
		{"put then get", []op{
			{kind: "put", key: "a", value: "1"},
			{kind: "get", key: "a", value: "1", wantFound: true},
			{kind: "put", key: "a", value: "2"},
			{kind: "get", key: "a", value: "2", wantFound: true},
		}},
		{"absent is remembered", []op{
			{kind: "put", key: "a", value: "1"},
			{kind: "del", key: "a"},
			{kind: "get", key: "a", wantFound: true, wantAbsent: true},
		}},
		{"range forgets covered keys", []op{
			{kind: "put", key: "a", value: "1"},
			{kind: "put", key: "b", value: "2"},
			{kind: "put", key: "c", value: "3"},
			{kind: "range", key: "b", end: "c"},
			{kind: "get", key: "a", value: "1", wantFound: true, mayMiss: true},
			{kind: "get", key: "b"},
			{kind: "get", key: "c", value: "3", wantFound: true, mayMiss: true},
			{kind: "put", key: "b", value: "4"},
			{kind: "get", key: "b", value: "4", wantFound: true},
		}},
		{"empty range is a no-op", []op{
			{kind: "put", key: "b", value: "2"},
			{kind: "range", key: "c", end: "a"},
			{kind: "get", key: "b", value: "2", wantFound: true},
		}},
		{"absent then present", []op{
			{kind: "del", key: "a"},
			{kind: "get", key: "a", wantFound: true, wantAbsent: true},
			{kind: "put", key: "a", value: ""},
			{kind: "get", key: "a", value: "", wantFound: true},
		}},
		{"large value forgets the key", []op{
			{kind: "put", key: "a", value: "1"},
			{kind: "put", key: "a", value: big},
			{kind: "get", key: "a"},
		}},
		{"system keys are not kept", []op{
			{kind: "put", key: "\xffa", value: "1"},
			{kind: "get", key: "\xffa"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newRecentCache()
			for i, o := range tt.ops {
				switch o.kind {
				case "put":
					c.put([]byte(o.key), []byte(o.value), false)
				case "del":
					c.put([]byte(o.key), nil, true)
				case "range":
					c.delRange([]byte(o.key), []byte(o.end))
				case "get":
					v, absent, found := c.get([]byte(o.key))
					if o.mayMiss && !found {
						continue
					}
					if found != o.wantFound || absent != o.wantAbsent || string(v) != o.value {
						t.Fatalf("op %d: get %q = (%q, absent %v, found %v), want (%q, %v, %v)",
							i, o.key, v, absent, found, o.value, o.wantAbsent, o.wantFound)
					}
				}
			}
			if len(c.log) > recentBudget {
				t.Fatalf("log of %d bytes, over the budget %d", len(c.log), recentBudget)
			}
		})
	}
}

// TestRecentCacheBudget checks that the cache stays within its byte budget
// and keeps answering correctly for the keys it still holds.
func TestRecentCacheBudget(t *testing.T) {
	c := newRecentCache()
	val := bytes.Repeat([]byte("x"), recentMaxValue)
	n := 2 * recentBudget / (recentMaxValue + recentHeader)
	for i := range n {
		key := []byte{byte(i >> 24), byte(i >> 16), byte(i >> 8), byte(i)}
		c.put(key, val, false)
		if len(c.log) > recentBudget {
			t.Fatalf("after %d puts: log of %d bytes > budget %d", i+1, len(c.log), recentBudget)
		}
		if v, absent, found := c.get(key); !found || absent || !bytes.Equal(v, val) {
			t.Fatalf("after %d puts: the newest key is not cached", i+1)
		}
	}
	if len(c.at) == 0 || len(c.at) > n {
		t.Fatalf("%d keys indexed after %d puts", len(c.at), n)
	}
}
