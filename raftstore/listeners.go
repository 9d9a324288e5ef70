package raftstore

import (
	"sync"

	"github.com/aspen-db/aspen/layers"
)

// listeners holds the node-local event listeners registered with Listen.
type listeners struct {
	mu   sync.RWMutex
	next int
	fns  map[int]func(layers.Event)
}

// deliver calls every listener with each event, in order.
func (l *listeners) deliver(evs []layers.Event) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	for _, fn := range l.fns {
		for _, ev := range evs {
			fn(ev)
		}
	}
}

// Listen implements layers.Notifier: fn sees every event that mutations
// emit in the commits this node applies from now on, after each batch of
// commits reaches the engine. fn runs on the apply path and must not block.
func (s *Store) Listen(fn func(layers.Event)) (cancel func()) {
	l := &s.listeners
	l.mu.Lock()
	if l.fns == nil {
		l.fns = map[int]func(layers.Event){}
	}
	id := l.next
	l.next++
	l.fns[id] = fn
	l.mu.Unlock()
	return func() {
		l.mu.Lock()
		delete(l.fns, id)
		l.mu.Unlock()
	}
}
