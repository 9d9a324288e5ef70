package raftstore

// Hints: best-effort messages from a node to the leader, outside the log.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
)

// Hints carry what the leader should know but nothing must agree on, such
// as which keys a follower's clients read (the leader decides LRU
// evictions). They are not replicated, not durable, and may be lost or
// arrive at a node that has just stopped leading; a receiver must treat
// them as advice. The body of one hint is at most maxHintBytes.
const (
	pathHint     = "/raft/hint/"
	maxHintBytes = 1 << 20
)

// hintHandlers maps a topic to the function that receives its hints.
type hintHandlers struct {
	mu sync.RWMutex
	m  map[string]func(payload []byte)
}

// HandleHint registers fn to receive the hints sent on topic to this node
// while it leads (and those it sends itself while leading). fn runs on an
// HTTP handler goroutine and must not keep payload.
func (s *Store) HandleHint(topic string, fn func(payload []byte)) {
	s.hints.mu.Lock()
	defer s.hints.mu.Unlock()
	if s.hints.m == nil {
		s.hints.m = map[string]func([]byte){}
	}
	s.hints.m[topic] = fn
}

func (s *Store) hintHandler(topic string) func([]byte) {
	s.hints.mu.RLock()
	defer s.hints.mu.RUnlock()
	return s.hints.m[topic]
}

// SendHint delivers payload on topic to the leader: directly when this
// node leads, else with one POST to the leader's HTTP address. It returns
// an error when there is no leader, the leader is unreachable or it
// refused the hint; the caller may drop the hint.
func (s *Store) SendHint(ctx context.Context, topic string, payload []byte) error {
	if len(payload) > maxHintBytes {
		return fmt.Errorf("hint %s: %d bytes is over the %d-byte limit", topic, len(payload), maxHintBytes)
	}
	if s.IsLeader() {
		if fn := s.hintHandler(topic); fn != nil {
			fn(payload)
		}
		return nil
	}
	addr, err := s.leaderHTTP()
	if err != nil {
		return fmt.Errorf("hint %s: %w", topic, err)
	}
	status, _, err := s.post(ctx, addr, pathHint+topic, payload)
	if err != nil {
		return fmt.Errorf("hint %s to %s: %w", topic, addr, err)
	}
	if status != http.StatusNoContent {
		return fmt.Errorf("hint %s to %s: status %d", topic, addr, status)
	}
	return nil
}

// handleHint receives a hint on the leader. A node that does not lead
// answers 421, as for forwarded commits; an unknown topic is 404.
func (s *Store) handleHint(w http.ResponseWriter, r *http.Request) {
	if !s.IsLeader() {
		http.Error(w, "not leader", http.StatusMisdirectedRequest)
		return
	}
	fn := s.hintHandler(r.PathValue("topic"))
	if fn == nil {
		http.Error(w, "no such hint topic", http.StatusNotFound)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxHintBytes+1))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if len(body) > maxHintBytes {
		http.Error(w, "hint too large", http.StatusRequestEntityTooLarge)
		return
	}
	fn(body)
	w.WriteHeader(http.StatusNoContent)
}
