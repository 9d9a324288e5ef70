package raftstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// Forwarded commits travel in batches: every commit a follower has waiting
// when a request leaves goes in that one request, and the leader proposes
// them concurrently (so they share its log fsync) and answers each. Under
// load this replaces one HTTP round trip per commit with one per batch.
//
//	POST /raft/commits  body: uvarint n, then n length-prefixed entries
//	                    reply: n results, each a status byte and bytes:
//	                    fwdOK + encoded outcome, fwdNotSent + message,
//	                    fwdUnknown, or fwdFailed + message
const (
	pathCommits = "/raft/commits"

	fwdOK      = 0
	fwdNotSent = 1
	fwdUnknown = 2
	fwdFailed  = 3

	maxForwardBatch = 512
)

type fwdResult struct {
	o   *commitOutcome
	err error
}

type fwdRequest struct {
	addr string
	data []byte
	ch   chan fwdResult
}

// forwarder batches one follower's commits to the leader.
type forwarder struct {
	s       *Store
	mu      sync.Mutex
	pending []fwdRequest
	running bool
}

// forward sends one entry to the leader at addr within its batch.
func (f *forwarder) forward(ctx context.Context, addr string, data []byte) (*commitOutcome, error) {
	req := fwdRequest{addr: addr, data: data, ch: make(chan fwdResult, 1)}
	f.mu.Lock()
	f.pending = append(f.pending, req)
	if !f.running {
		f.running = true
		go f.loop()
	}
	f.mu.Unlock()
	select {
	case r := <-req.ch:
		return r.o, r.err
	case <-ctx.Done():
		// Sent or about to be: its outcome can no longer be reported.
		return nil, ErrUnknownResult
	}
}

func (f *forwarder) loop() {
	for {
		f.mu.Lock()
		// One batch goes to one address: the run of waiting requests that
		// name the same leader as the first.
		n := 0
		for n < len(f.pending) && n < maxForwardBatch && f.pending[n].addr == f.pending[0].addr {
			n++
		}
		batch := f.pending[:n:n]
		f.pending = f.pending[n:]
		if n == 0 {
			f.pending = nil
			f.running = false
			f.mu.Unlock()
			return
		}
		f.mu.Unlock()
		results := f.s.sendBatch(batch[0].addr, batch)
		for i, r := range batch {
			r.ch <- results[i]
		}
	}
}

func (s *Store) sendBatch(addr string, batch []fwdRequest) []fwdResult {
	fail := func(err error) []fwdResult {
		out := make([]fwdResult, len(batch))
		for i := range out {
			out[i].err = err
		}
		return out
	}
	var body []byte
	body = binary.AppendUvarint(body, uint64(len(batch)))
	for _, r := range batch {
		body = appendBytes(body, r.data)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+pathCommits, bytes.NewReader(body))
	if err != nil {
		return fail(err)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		if isDialError(err) {
			return fail(fmt.Errorf("%w: %v", errNotSent, err))
		}
		return fail(ErrUnknownResult)
	}
	defer resp.Body.Close()
	reply, err := io.ReadAll(io.LimitReader(resp.Body, maxEntryBytes))
	if err != nil {
		return fail(ErrUnknownResult)
	}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusMisdirectedRequest:
		return fail(fmt.Errorf("%w: %s", errNotSent, bytes.TrimSpace(reply)))
	default:
		return fail(fmt.Errorf("forward commits to %s: status %d: %s", addr, resp.StatusCode, bytes.TrimSpace(reply)))
	}
	d := &decoder{b: reply}
	out := make([]fwdResult, len(batch))
	for i := range out {
		status := d.byte()
		msg := d.bytes()
		if d.err != nil {
			out[i].err = ErrUnknownResult
			continue
		}
		switch status {
		case fwdOK:
			o, err := decodeOutcome(msg)
			out[i] = fwdResult{o: o, err: err}
		case fwdNotSent:
			out[i].err = fmt.Errorf("%w: %s", errNotSent, msg)
		case fwdUnknown:
			out[i].err = ErrUnknownResult
		default:
			out[i].err = errors.New(string(msg))
		}
	}
	return out
}

func (s *Store) handleCommits(w http.ResponseWriter, r *http.Request) {
	if !s.IsLeader() {
		http.Error(w, "not leader", http.StatusMisdirectedRequest)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxEntryBytes+1))
	if err != nil || len(body) > maxEntryBytes {
		http.Error(w, "batch too large or unreadable", http.StatusBadRequest)
		return
	}
	d := &decoder{b: body}
	n := d.count(1)
	entries := make([][]byte, n)
	for i := range entries {
		entries[i] = d.bytes()
		if d.err == nil {
			if kind, err := entryKind(entries[i]); err != nil || (kind != kindTxn && kind != kindNodeMeta) {
				d.err = errors.New("bad entry")
			}
		}
	}
	if d.err != nil || len(d.b) != 0 {
		http.Error(w, "malformed batch", http.StatusBadRequest)
		return
	}
	results := make([][]byte, n)
	var wg sync.WaitGroup
	for i, e := range entries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, err := s.propose(r.Context(), e)
			switch {
			case err == nil:
				results[i] = appendBytes([]byte{fwdOK}, o.encode())
			case errors.Is(err, errNotSent):
				results[i] = appendBytes([]byte{fwdNotSent}, []byte(err.Error()))
			case errors.Is(err, ErrUnknownResult):
				results[i] = appendBytes([]byte{fwdUnknown}, nil)
			default:
				results[i] = appendBytes([]byte{fwdFailed}, []byte(err.Error()))
			}
		}()
	}
	wg.Wait()
	w.Header().Set("Content-Type", "application/octet-stream")
	for _, res := range results {
		w.Write(res)
	}
}
