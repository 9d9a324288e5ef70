package resp

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Keymiss events beyond the side-by-side corpus (testdata/keyspace/
// keymiss.txt): through go-redis's pub/sub, and node-local across the
// nodes of a cluster.

// nextKeymiss returns the next message of ch as "channel payload", or ""
// when none comes within wait.
func nextKeymiss(ch <-chan *redis.Message, wait time.Duration) string {
	select {
	case msg := <-ch:
		return msg.Channel + " " + msg.Payload
	case <-time.After(wait):
		return ""
	}
}

// TestKeymissGoRedis subscribes to __keyevent@0__:keymiss with go-redis:
// a GET of a missing key announces it, a GET of an existing key does not,
// and neither does anything once the setting lacks 'm' ("KEA": 'A' does
// not include 'm').
func TestKeymissGoRedis(t *testing.T) {
	ts := startServer(t, nil)
	ctx := ctxT(t)
	c := ts.client(t)
	if err := c.ConfigSet(ctx, "notify-keyspace-events", "Em").Err(); err != nil {
		t.Fatal(err)
	}
	sub := c.Subscribe(ctx, "__keyevent@0__:keymiss")
	defer sub.Close()
	if _, err := sub.Receive(ctx); err != nil {
		t.Fatal(err)
	}
	ch := sub.Channel()
	c.Set(ctx, "present", "v", 0)
	for _, tc := range []struct {
		flags string
		cmd   []any
		want  string
	}{
		{"Em", []any{"GET", "missing"}, "__keyevent@0__:keymiss missing"},
		{"Em", []any{"GET", "present"}, ""},
		{"Em", []any{"HGET", "missing2", "f"}, "__keyevent@0__:keymiss missing2"},
		{"KEA", []any{"GET", "missing"}, ""},
		{"KEA", []any{"LRANGE", "missing", "0", "-1"}, ""},
		{"", []any{"GET", "missing"}, ""},
		{"Km", []any{"GET", "missing"}, ""}, // no keyevent messages
	} {
		if err := c.ConfigSet(ctx, "notify-keyspace-events", tc.flags).Err(); err != nil {
			t.Fatal(err)
		}
		c.Do(ctx, tc.cmd...)
		wait := 2 * time.Second
		if tc.want == "" {
			wait = 200 * time.Millisecond
		}
		if got := nextKeymiss(ch, wait); got != tc.want {
			t.Errorf("%s %v: got %q, want %q", tc.flags, tc.cmd, got, tc.want)
		}
	}
}

// TestKeymissNodeLocal checks that a miss is announced by the node that
// served the read only: a subscriber on the other node hears nothing.
func TestKeymissNodeLocal(t *testing.T) {
	base := t.TempDir()
	n1 := startClusterNode(t, "n1", filepath.Join(base, "n1"), "")
	for deadline := time.Now().Add(20 * time.Second); !n1.store.IsLeader(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("n1 never became leader")
		}
	}
	n2 := startClusterNode(t, "n2", filepath.Join(base, "n2"), n1.http)
	ctx := ctxT(t)
	c1 := redis.NewClient(&redis.Options{Addr: n1.addr})
	c2 := redis.NewClient(&redis.Options{Addr: n2.addr})
	defer c1.Close()
	defer c2.Close()
	if err := c1.ConfigSet(ctx, "notify-keyspace-events", "Em").Err(); err != nil {
		t.Fatal(err)
	}
	sub1, sub2 := c1.Subscribe(ctx, "__keyevent@0__:keymiss"), c2.Subscribe(ctx, "__keyevent@0__:keymiss")
	defer sub1.Close()
	defer sub2.Close()
	for _, s := range []*redis.PubSub{sub1, sub2} {
		if _, err := s.Receive(ctx); err != nil {
			t.Fatal(err)
		}
	}
	ch1, ch2 := sub1.Channel(), sub2.Channel()
	// n2 takes the replicated setting; then a read served by n2.
	retry(t, "GET on n2 announced", func() error {
		c2.Get(ctx, "gone")
		if got := nextKeymiss(ch2, 500*time.Millisecond); got != "__keyevent@0__:keymiss gone" {
			return fmt.Errorf("n2's subscriber got %q", got)
		}
		return nil
	})
	if got := nextKeymiss(ch1, 300*time.Millisecond); got != "" {
		t.Errorf("n1's subscriber got %q for a read served by n2", got)
	}
}
