package pubsub

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

func newHub(t *testing.T) (*Hub, layers.KV) {
	t.Helper()
	store := raftstoretest.NewWithMutations(t, Mutations())
	h, err := New(store)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	return h, store
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// recv reads one delivery or fails after a while.
func recv(t *testing.T, s *Subscription) Delivery {
	t.Helper()
	select {
	case d, ok := <-s.C():
		if !ok {
			t.Fatalf("subscription closed: %v", s.Err())
		}
		return d
	case <-time.After(10 * time.Second):
		t.Fatal("no message")
	}
	return Delivery{}
}

func TestMessageCodec(t *testing.T) {
	b := encodeMessage(RedisShard, 7, 9, []byte("ch"), []byte("payload"))
	m, err := decodeMessage(b)
	if err != nil {
		t.Fatal(err)
	}
	if m.Namespace != RedisShard || string(m.Channel) != "ch" || string(m.Payload) != "payload" || m.origin != 7 || m.seq != 9 {
		t.Fatalf("decoded %+v", m)
	}
	for i := range len(b) {
		if _, err := decodeMessage(b[:i]); err == nil {
			t.Errorf("truncated at %d: no error", i)
		}
	}
	if _, err := decodeMessage(append(b, 0)); err == nil {
		t.Error("trailing byte: no error")
	}
}

func TestPublishSubscribe(t *testing.T) {
	h, _ := newHub(t)
	ctx := ctxT(t)
	s := h.NewSubscription(100)
	defer s.Close()
	if err := s.Subscribe(Redis, []byte("a"), []byte("b")); err != nil {
		t.Fatal(err)
	}
	if err := s.PSubscribe(Redis, []byte("a*")); err != nil {
		t.Fatal(err)
	}
	// Another namespace's channel of the same name is not ours.
	if n, err := h.Publish(ctx, RedisShard, []byte("a"), []byte("shard")); err != nil || n != 0 {
		t.Fatalf("publish in another namespace: %d, %v", n, err)
	}
	n, err := h.Publish(ctx, Redis, []byte("a"), []byte("one"))
	if err != nil || n != 2 {
		t.Fatalf("publish a: %d, %v; want 2 receptions", n, err)
	}
	d := recv(t, s)
	if string(d.Channel) != "a" || string(d.Payload) != "one" || d.Pattern != nil {
		t.Fatalf("first delivery %q %q %q", d.Channel, d.Payload, d.Pattern)
	}
	d = recv(t, s)
	if string(d.Channel) != "a" || string(d.Payload) != "one" || string(d.Pattern) != "a*" {
		t.Fatalf("second delivery %q %q %q", d.Channel, d.Payload, d.Pattern)
	}
	if n, err := h.Publish(ctx, Redis, []byte("zz"), []byte("none")); err != nil || n != 0 {
		t.Fatalf("publish zz: %d, %v", n, err)
	}
	if n, err := h.Publish(ctx, Redis, []byte("b"), []byte("two")); err != nil || n != 1 {
		t.Fatalf("publish b: %d, %v", n, err)
	}
	if d := recv(t, s); string(d.Channel) != "b" || string(d.Payload) != "two" {
		t.Fatalf("delivery %q %q", d.Channel, d.Payload)
	}

	// Introspection.
	chans := h.Channels(Redis, nil)
	slices.SortFunc(chans, func(a, b []byte) int { return strings.Compare(string(a), string(b)) })
	if fmt.Sprintf("%q", chans) != `["a" "b"]` {
		t.Errorf("Channels = %q", chans)
	}
	if got := h.Channels(Redis, []byte("b*")); fmt.Sprintf("%q", got) != `["b"]` {
		t.Errorf("Channels b* = %q", got)
	}
	if h.NumSub(Redis, []byte("a")) != 1 || h.NumSub(Redis, []byte("zz")) != 0 || h.NumPat(Redis) != 1 || h.NumChannels(Redis) != 2 {
		t.Errorf("NumSub a %d, zz %d, NumPat %d, NumChannels %d", h.NumSub(Redis, []byte("a")), h.NumSub(Redis, []byte("zz")), h.NumPat(Redis), h.NumChannels(Redis))
	}
	if h.Receivers(Redis, []byte("a")) != 2 || h.Receivers(Redis, []byte("ax")) != 1 {
		t.Errorf("Receivers a %d, ax %d", h.Receivers(Redis, []byte("a")), h.Receivers(Redis, []byte("ax")))
	}

	// Unsubscribing stops delivery; the count says so.
	s.Unsubscribe(Redis, []byte("a"))
	s.PUnsubscribe(Redis, []byte("a*"))
	if n, err := h.Publish(ctx, Redis, []byte("a"), []byte("gone")); err != nil || n != 0 {
		t.Fatalf("publish after unsubscribe: %d, %v", n, err)
	}
	if h.NumPat(Redis) != 0 || h.NumChannels(Redis) != 1 {
		t.Errorf("after unsubscribe: NumPat %d, NumChannels %d", h.NumPat(Redis), h.NumChannels(Redis))
	}
	s.Close()
	if h.NumChannels(Redis) != 0 {
		t.Errorf("after Close: NumChannels %d", h.NumChannels(Redis))
	}
	if _, ok := <-s.C(); ok {
		t.Error("a message after Close")
	}
	if err := s.Subscribe(Redis, []byte("x")); !errors.Is(err, ErrClosed) {
		t.Errorf("Subscribe after Close: %v", err)
	}
}

// TestOrderAcrossPublishers publishes from several goroutines, pipelined
// into shared commits, and checks that every subscription sees every
// message once, in the same order, and each publisher's messages in the
// order it published them.
func TestOrderAcrossPublishers(t *testing.T) {
	h, _ := newHub(t)
	ctx := ctxT(t)
	const pubs, each = 4, 50
	subs := make([]*Subscription, 3)
	for i := range subs {
		subs[i] = h.NewSubscription(pubs * each)
		defer subs[i].Close()
		subs[i].Subscribe(Redis, []byte("ch"))
	}
	var wg sync.WaitGroup
	for p := range pubs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if n, err := h.Publish(ctx, Redis, []byte("ch"), []byte(fmt.Sprintf("%d:%d", p, i))); err != nil || n != len(subs) {
					t.Errorf("publish: %d, %v", n, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	var first []string
	for si, s := range subs {
		var got []string
		next := make([]int, pubs)
		for range pubs * each {
			d := recv(t, s)
			var p, i int
			fmt.Sscanf(string(d.Payload), "%d:%d", &p, &i)
			if i != next[p] {
				t.Fatalf("subscriber %d: publisher %d's message %d arrived when %d was due", si, p, i, next[p])
			}
			next[p]++
			got = append(got, string(d.Payload))
		}
		if si == 0 {
			first = got
		} else if !slices.Equal(got, first) {
			t.Fatalf("subscriber %d saw another order", si)
		}
	}
}

func TestSlowSubscriberDropped(t *testing.T) {
	h, _ := newHub(t)
	ctx := ctxT(t)
	slow := h.NewSubscription(3)
	fast := h.NewSubscription(100)
	defer fast.Close()
	slow.Subscribe(Redis, []byte("ch"))
	fast.Subscribe(Redis, []byte("ch"))
	for i := range 10 {
		if _, err := h.Publish(ctx, Redis, []byte("ch"), []byte(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	// The slow one got the three its queue held, then was closed.
	var got []string
	for d := range slow.C() {
		got = append(got, string(d.Payload))
	}
	if fmt.Sprint(got) != "[0 1 2]" || !errors.Is(slow.Err(), ErrSlowSubscriber) {
		t.Fatalf("slow subscriber got %v, err %v", got, slow.Err())
	}
	for i := range 10 {
		if d := recv(t, fast); string(d.Payload) != fmt.Sprint(i) {
			t.Fatalf("fast subscriber: %q, want %d", d.Payload, i)
		}
	}
	// The slow one leaves the hub.
	deadline := time.Now().Add(5 * time.Second)
	for h.NumSub(Redis, []byte("ch")) != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("slow subscriber still subscribed: %d", h.NumSub(Redis, []byte("ch")))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// emitTest is a mutation of another layer that publishes as it applies.
func emitTest(m layers.Mutator, args []byte) ([]byte, error) {
	m.Set([]byte("emitted"), args)
	Emit(m, Redis, []byte("__keyevent@0__:set"), args)
	return nil, nil
}

func TestEmitFromMutation(t *testing.T) {
	muts := Mutations()
	muts["test.emit"] = emitTest
	store := raftstoretest.NewWithMutations(t, muts)
	h, err := New(store)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	s := h.NewSubscription(10)
	defer s.Close()
	s.PSubscribe(Redis, []byte("__keyevent@*"))
	ctx := ctxT(t)
	if _, err := layers.Update(ctx, store, func(tx layers.Txn) error {
		tx.Mutate("test.emit", []byte("k"))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	d := recv(t, s)
	if string(d.Channel) != "__keyevent@0__:set" || string(d.Payload) != "k" || string(d.Pattern) != "__keyevent@*" {
		t.Fatalf("got %q %q %q", d.Channel, d.Payload, d.Pattern)
	}
}

// TestPublishWritesNothing checks that a publish leaves no key behind.
func TestPublishWritesNothing(t *testing.T) {
	h, kv := newHub(t)
	ctx := ctxT(t)
	for i := range 5 {
		if _, err := h.Publish(ctx, Redis, []byte("ch"), []byte(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	err := layers.View(ctx, kv, func(r layers.Reader) error {
		it := r.Scan(nil, []byte{0xff}, false)
		defer it.Close()
		for it.Next() {
			t.Errorf("key %q written", it.Key())
		}
		return it.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestHubClose(t *testing.T) {
	h, _ := newHub(t)
	op, tk, err := h.Prepare(Redis, []byte("ch"), []byte("x"))
	if err != nil || op.Name != OpPublish {
		t.Fatalf("Prepare: %v, %v", op, err)
	}
	h.Close()
	if _, err := tk.Wait(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("Wait after Close: %v", err)
	}
	if _, _, err := h.Prepare(Redis, []byte("ch"), []byte("x")); !errors.Is(err, ErrClosed) {
		t.Fatalf("Prepare after Close: %v", err)
	}
	if _, err := New(nil); !errors.Is(err, ErrNoNotifier) {
		t.Fatalf("New(nil): %v", err)
	}
}

// bufReceiver buffers what it receives until Flush, as a connection's
// receiver does.
type bufReceiver struct {
	mu      sync.Mutex
	pend    []string
	flushed []string
	flushes int
}

func (b *bufReceiver) Receive(msg *Message, pattern []byte) {
	b.mu.Lock()
	b.pend = append(b.pend, string(msg.Payload))
	b.mu.Unlock()
}

func (b *bufReceiver) Flush() {
	b.mu.Lock()
	b.flushed = append(b.flushed, b.pend...)
	b.pend = nil
	b.flushes++
	b.mu.Unlock()
}

// TestFlusher: a buffering receiver is flushed after each run, and a
// publisher gets its count only once its message is flushed.
func TestFlusher(t *testing.T) {
	h, _ := newHub(t)
	ctx := ctxT(t)
	r := &bufReceiver{}
	h.Subscribe(r, Redis, []byte("ch"))
	h.PSubscribe(r, Redis, []byte("c*"))
	for i := range 20 {
		n, err := h.Publish(ctx, Redis, []byte("ch"), []byte(strconv.Itoa(i)))
		if err != nil || n != 2 {
			t.Fatalf("publish: %d, %v", n, err)
		}
		r.mu.Lock()
		got := slices.Clone(r.flushed)
		r.mu.Unlock()
		if len(got) != 2*(i+1) || got[len(got)-1] != strconv.Itoa(i) {
			t.Fatalf("after publish %d the receiver has flushed %v", i, got)
		}
	}
	if r.flushes < 1 || r.flushes > 20 {
		t.Errorf("%d flushes for 20 runs", r.flushes)
	}
	// Unsubscribing one of the two subscriptions keeps the receiver.
	h.Unsubscribe(r, Redis, []byte("ch"))
	if n, err := h.Publish(ctx, Redis, []byte("ch"), []byte("x")); err != nil || n != 1 {
		t.Fatalf("publish after unsubscribe: %d, %v", n, err)
	}
	h.PUnsubscribe(r, Redis, []byte("c*"))
	h.mu.RLock()
	left := len(h.recvs)
	h.mu.RUnlock()
	if left != 0 {
		t.Errorf("%d receivers kept after every unsubscription", left)
	}
}

// TestReceiversFollowChanges changes a channel's and a pattern's
// receivers between messages, after dispatch has gone through them: each
// message reaches exactly the receivers subscribed when it is published.
func TestReceiversFollowChanges(t *testing.T) {
	for _, pattern := range []bool{false, true} {
		t.Run(fmt.Sprintf("pattern=%v", pattern), func(t *testing.T) {
			h, _ := newHub(t)
			ctx := ctxT(t)
			sub := func(s *Subscription, on bool) {
				t.Helper()
				var err error
				switch {
				case pattern && on:
					err = s.PSubscribe(Redis, []byte("c*"))
				case pattern:
					err = s.PUnsubscribe(Redis, []byte("c*"))
				case on:
					err = s.Subscribe(Redis, []byte("ch"))
				default:
					err = s.Unsubscribe(Redis, []byte("ch"))
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			subs := []*Subscription{h.NewSubscription(100), h.NewSubscription(100), h.NewSubscription(100)}
			for _, s := range subs {
				defer s.Close()
			}
			steps := []struct {
				change func()
				want   []bool // which of subs receive the step's message
			}{
				{func() { sub(subs[0], true) }, []bool{true, false, false}},
				{func() { sub(subs[1], true) }, []bool{true, true, false}},
				{func() { sub(subs[2], true); sub(subs[0], false) }, []bool{false, true, true}},
				{func() { sub(subs[1], false) }, []bool{false, false, true}},
				{func() { sub(subs[2], false) }, []bool{false, false, false}},
				{func() { sub(subs[0], true) }, []bool{true, false, false}},
			}
			for i, st := range steps {
				st.change()
				payload := []byte(strconv.Itoa(i))
				n, err := h.Publish(ctx, Redis, []byte("ch"), payload)
				if err != nil {
					t.Fatal(err)
				}
				want := 0
				for _, w := range st.want {
					if w {
						want++
					}
				}
				if n != want {
					t.Errorf("step %d: %d receptions, want %d", i, n, want)
				}
				for j, s := range subs {
					if !st.want[j] {
						continue
					}
					if d := recv(t, s); string(d.Payload) != string(payload) {
						t.Errorf("step %d: subscription %d got %q, want %q", i, j, d.Payload, payload)
					}
				}
			}
			for j, s := range subs {
				select {
				case d := <-s.C():
					t.Errorf("subscription %d: unexpected message %q", j, d.Payload)
				default:
				}
			}
		})
	}
}
