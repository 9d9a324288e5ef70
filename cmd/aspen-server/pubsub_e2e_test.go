package main

// Pub/sub and streams across real server processes: messages published on
// any node reach subscribers on every node, and stream consumer-group state
// survives the leader's death.

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestPubSubAcrossNodes subscribes on every node of a 3-node cluster (a
// channel and a pattern), publishes from every node, and checks each
// subscriber gets every message exactly once, in publish order per
// channel.
func TestPubSubAcrossNodes(t *testing.T) {
	c := startCluster(t, 3)
	c.waitLeader(electionBound)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	const perPublisher = 50
	type sub struct {
		id  string
		ps  *redis.PubSub
		got map[string][]string // channel -> payloads, in arrival order
	}
	var subs []*sub
	for _, n := range c.nodes {
		ps := n.client(15*time.Second).Subscribe(ctx, "news")
		if err := ps.PSubscribe(ctx, "feed.*"); err != nil {
			t.Fatal(err)
		}
		// Two confirmations: subscribe and psubscribe.
		for range 2 {
			if _, err := ps.Receive(ctx); err != nil {
				t.Fatalf("subscribe on %s: %v", n.id, err)
			}
		}
		t.Cleanup(func() { ps.Close() })
		subs = append(subs, &sub{id: n.id, ps: ps, got: map[string][]string{}})
	}

	var wg sync.WaitGroup
	for _, n := range c.nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rdb := n.client(15 * time.Second)
			for i := range perPublisher {
				// Each node publishes on its own channels, so publish
				// order per channel is the node's program order.
				if err := rdb.Publish(ctx, "news", fmt.Sprintf("%s-%d", n.id, i)).Err(); err != nil {
					t.Errorf("PUBLISH news on %s: %v", n.id, err)
					return
				}
				if err := rdb.Publish(ctx, "feed."+n.id, fmt.Sprint(i)).Err(); err != nil {
					t.Errorf("PUBLISH feed on %s: %v", n.id, err)
					return
				}
			}
		}()
	}
	wg.Wait()

	want := 2 * perPublisher * len(c.nodes)
	for _, s := range subs {
		for n := 0; n < want; n++ {
			msg, err := s.ps.ReceiveTimeout(ctx, 20*time.Second)
			if err != nil {
				t.Fatalf("subscriber on %s after %d of %d messages: %v", s.id, n, want, err)
			}
			m, ok := msg.(*redis.Message)
			if !ok {
				t.Fatalf("subscriber on %s: unexpected %T %v", s.id, msg, msg)
			}
			if m.Pattern != "" && m.Pattern != "feed.*" {
				t.Fatalf("subscriber on %s: pattern %q", s.id, m.Pattern)
			}
			s.got[m.Channel] = append(s.got[m.Channel], m.Payload)
		}
		// Per publisher, "news" messages arrive in order; each feed
		// channel holds 0..n-1 in order.
		next := map[string]int{}
		for _, p := range s.got["news"] {
			var node string
			var i int
			if _, err := fmt.Sscanf(p, "%2s-%d", &node, &i); err != nil {
				t.Fatalf("subscriber on %s: payload %q", s.id, p)
			}
			if i != next[node] {
				t.Fatalf("subscriber on %s: news from %s: got %d, want %d (duplicate or out of order)", s.id, node, i, next[node])
			}
			next[node]++
		}
		for _, n := range c.nodes {
			if next[n.id] != perPublisher {
				t.Fatalf("subscriber on %s: %d news messages from %s, want %d", s.id, next[n.id], n.id, perPublisher)
			}
			feed := s.got["feed."+n.id]
			if len(feed) != perPublisher {
				t.Fatalf("subscriber on %s: %d feed.%s messages, want %d", s.id, len(feed), n.id, perPublisher)
			}
			for i, p := range feed {
				if p != fmt.Sprint(i) {
					t.Fatalf("subscriber on %s: feed.%s message %d is %q", s.id, n.id, i, p)
				}
			}
		}
	}
}

// TestStreamGroupAcrossNodes adds entries on one node, reads them through a
// consumer group on another, kills the leader before the XACK, and checks
// on a survivor that the entries are still pending for that consumer,
// claimable by another, and acknowledgeable. XREAD BLOCK on one node wakes
// on an XADD through another.
func TestStreamGroupAcrossNodes(t *testing.T) {
	c := startCluster(t, 3)
	leader := c.waitLeader(electionBound)
	var followers []*node
	for _, n := range c.nodes {
		if n != leader {
			followers = append(followers, n)
		}
	}
	adder, reader := followers[0], leader
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	add := adder.client(15 * time.Second)
	if err := add.XGroupCreateMkStream(ctx, "jobs", "workers", "0").Err(); err != nil {
		t.Fatalf("XGROUP CREATE on %s: %v", adder.id, err)
	}
	var ids []string
	for i := range 5 {
		id, err := add.XAdd(ctx, &redis.XAddArgs{Stream: "jobs", Values: []string{"n", fmt.Sprint(i)}}).Result()
		if err != nil {
			t.Fatalf("XADD on %s: %v", adder.id, err)
		}
		ids = append(ids, id)
	}
	got, err := reader.client(15*time.Second).XReadGroup(ctx, &redis.XReadGroupArgs{
		Group: "workers", Consumer: "alice", Streams: []string{"jobs", ">"}, Count: 10,
	}).Result()
	if err != nil || len(got) != 1 || len(got[0].Messages) != 5 {
		t.Fatalf("XREADGROUP on %s = %v, %v", reader.id, got, err)
	}

	leader.kill()
	newLeader := c.waitLeader(electionBound)
	t.Logf("leader %s killed after XREADGROUP; %s leads", leader.id, newLeader.id)
	survivor := followers[1]
	rdb := survivor.client(15 * time.Second)

	var pending *redis.XPending
	retry(t, electionBound, "XPENDING on "+survivor.id, func(ctx context.Context) error {
		var err error
		pending, err = rdb.XPending(ctx, "jobs", "workers").Result()
		return err
	})
	if pending.Count != 5 || pending.Lower != ids[0] || pending.Higher != ids[4] || pending.Consumers["alice"] != 5 {
		t.Fatalf("XPENDING on %s after the leader's death = %+v", survivor.id, pending)
	}
	claimed, err := rdb.XClaim(ctx, &redis.XClaimArgs{
		Stream: "jobs", Group: "workers", Consumer: "bob", MinIdle: 0, Messages: ids[:2],
	}).Result()
	if err != nil || len(claimed) != 2 || claimed[0].ID != ids[0] || claimed[1].ID != ids[1] {
		t.Fatalf("XCLAIM on %s = %v, %v", survivor.id, claimed, err)
	}
	if n, err := rdb.XAck(ctx, "jobs", "workers", ids...).Result(); err != nil || n != 5 {
		t.Fatalf("XACK on %s = %d, %v", survivor.id, n, err)
	}
	for _, n := range followers {
		p, err := n.client(15*time.Second).XPending(ctx, "jobs", "workers").Result()
		if err != nil || p.Count != 0 {
			t.Fatalf("XPENDING on %s after XACK = %+v, %v", n.id, p, err)
		}
	}

	// A blocked XREAD on one survivor wakes on an XADD through the other.
	waiter, writer := followers[0], followers[1]
	res := make(chan []redis.XStream, 1)
	errc := make(chan error, 1)
	go func() {
		s, err := waiter.client(30*time.Second).XRead(ctx, &redis.XReadArgs{
			Streams: []string{"jobs", "$"}, Block: 20 * time.Second,
		}).Result()
		if err != nil {
			errc <- err
			return
		}
		res <- s
	}()
	// Give the XREAD time to block before the XADD; a late XADD only
	// slows the test, an early one is retried below.
	deadline := time.Now().Add(20 * time.Second)
	for {
		time.Sleep(200 * time.Millisecond)
		id, err := writer.client(15*time.Second).XAdd(ctx, &redis.XAddArgs{Stream: "jobs", Values: []string{"n", "late"}}).Result()
		if err != nil {
			t.Fatalf("XADD on %s: %v", writer.id, err)
		}
		select {
		case s := <-res:
			if len(s) != 1 || len(s[0].Messages) == 0 {
				t.Fatalf("XREAD BLOCK on %s = %v", waiter.id, s)
			}
			t.Logf("XREAD BLOCK on %s woke with %s (last added %s)", waiter.id, s[0].Messages[0].ID, id)
			return
		case err := <-errc:
			t.Fatalf("XREAD BLOCK on %s: %v", waiter.id, err)
		case <-time.After(2 * time.Second):
		}
		if time.Now().After(deadline) {
			t.Fatalf("XREAD BLOCK on %s did not wake on XADDs through %s", waiter.id, writer.id)
		}
	}
}
