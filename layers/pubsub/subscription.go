package pubsub

import (
	"errors"
	"maps"
	"slices"
	"sync"
)

// Subscription: the Go API's receiver, a bounded queue read from a channel.

// ErrSlowSubscriber is a Subscription's Err after its queue overflowed: a
// reader that does not keep up is dropped, as Redis drops a subscriber
// past its output buffer limit, instead of making the node hold messages
// without bound.
var ErrSlowSubscriber = errors.New("pubsub: subscriber too slow: queue full")

// Delivery is one message as a Subscription receives it.
type Delivery struct {
	*Message
	// Pattern is the pattern subscription the message matched; nil for a
	// channel subscription.
	Pattern []byte
}

// Subscription is a set of channel and pattern subscriptions whose
// messages queue up, in order, on one channel of bounded capacity. Create
// one with Hub.NewSubscription. It is safe for concurrent use.
type Subscription struct {
	h  *Hub
	ch chan Delivery

	opMu sync.Mutex // serializes subscription changes with leave

	mu       sync.Mutex
	closed   bool
	err      error
	channels map[subKey]struct{}
	patterns map[subKey]struct{}
}

type subKey struct {
	ns   Namespace
	name string
}

// NewSubscription returns an empty subscription whose queue holds up to
// queue messages (at least 1).
func (h *Hub) NewSubscription(queue int) *Subscription {
	return &Subscription{
		h:        h,
		ch:       make(chan Delivery, max(queue, 1)),
		channels: map[subKey]struct{}{},
		patterns: map[subKey]struct{}{},
	}
}

// C returns the channel messages arrive on. It is closed by Close, or when
// the queue overflows (Err then says so).
func (s *Subscription) C() <-chan Delivery { return s.ch }

// Err returns ErrSlowSubscriber once the queue overflowed, else nil.
func (s *Subscription) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Receive implements Receiver: it queues the message, or drops the
// subscription when its queue is full.
func (s *Subscription) Receive(msg *Message, pattern []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	select {
	case s.ch <- Delivery{Message: msg, Pattern: pattern}:
	default:
		s.err = ErrSlowSubscriber
		s.closeLocked()
		// Leaving the hub takes its lock, which the caller holds.
		go s.leave()
	}
}

// Subscribe adds channels of ns to the subscription. It returns ErrClosed
// after Close, or the Err that ended the subscription.
func (s *Subscription) Subscribe(ns Namespace, channels ...[]byte) error {
	return s.change(ns, channels, false, true)
}

// Unsubscribe removes channels of ns from the subscription.
func (s *Subscription) Unsubscribe(ns Namespace, channels ...[]byte) error {
	return s.change(ns, channels, false, false)
}

// PSubscribe adds patterns of ns (see Match) to the subscription.
func (s *Subscription) PSubscribe(ns Namespace, patterns ...[]byte) error {
	return s.change(ns, patterns, true, true)
}

// PUnsubscribe removes patterns of ns from the subscription.
func (s *Subscription) PUnsubscribe(ns Namespace, patterns ...[]byte) error {
	return s.change(ns, patterns, true, false)
}

func (s *Subscription) change(ns Namespace, names [][]byte, pattern, add bool) error {
	s.opMu.Lock()
	defer s.opMu.Unlock()
	s.mu.Lock()
	if s.closed {
		err := s.err
		s.mu.Unlock()
		if err == nil {
			err = ErrClosed
		}
		return err
	}
	set := s.channels
	if pattern {
		set = s.patterns
	}
	for _, n := range names {
		if add {
			set[subKey{ns, string(n)}] = struct{}{}
		} else {
			delete(set, subKey{ns, string(n)})
		}
	}
	s.mu.Unlock()
	// The hub's lock is taken outside ours: Receive holds ours under it.
	switch {
	case pattern && add:
		s.h.PSubscribe(s, ns, names...)
	case pattern:
		s.h.PUnsubscribe(s, ns, names...)
	case add:
		s.h.Subscribe(s, ns, names...)
	default:
		s.h.Unsubscribe(s, ns, names...)
	}
	return nil
}

// Close ends every subscription and closes C. Messages already queued
// can still be read.
func (s *Subscription) Close() {
	s.mu.Lock()
	s.closeLocked()
	s.mu.Unlock()
	s.leave()
}

func (s *Subscription) closeLocked() {
	if !s.closed {
		s.closed = true
		close(s.ch)
	}
}

// leave removes the subscription from the hub.
func (s *Subscription) leave() {
	s.opMu.Lock()
	defer s.opMu.Unlock()
	s.mu.Lock()
	chans := slices.Collect(maps.Keys(s.channels))
	pats := slices.Collect(maps.Keys(s.patterns))
	clear(s.channels)
	clear(s.patterns)
	s.mu.Unlock()
	for _, k := range chans {
		s.h.Unsubscribe(s, k.ns, []byte(k.name))
	}
	for _, k := range pats {
		s.h.PUnsubscribe(s, k.ns, []byte(k.name))
	}
}
