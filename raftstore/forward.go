package raftstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/hashicorp/raft"
)

// Internal HTTP endpoints, served by every node under Handler:
//
//	POST /raft/commits    a batch of encoded entries (see forwardbatch.go)
//	POST /raft/readindex  reply: the leader's confirmed commit index (decimal)
//	POST /raft/join       body: NodeMeta JSON; adds the node as a voter
//	POST /raft/hint/T     a best-effort hint on topic T (see hints.go)
//
// A node that is not the leader answers 421 (misdirected) so the caller
// looks the leader up again.
const (
	pathReadIndex = "/raft/readindex"
	pathJoin      = "/raft/join"

	maxEntryBytes = 64 << 20
)

// Handler serves the internal endpoints other nodes call. Mount it on the
// node's HTTP address (cfg.Meta.HTTPAddr).
func (s *Store) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+pathCommits, s.handleCommits)
	mux.HandleFunc("POST "+pathReadIndex, s.handleReadIndex)
	mux.HandleFunc("POST "+pathJoin, s.handleJoin)
	mux.HandleFunc("POST "+pathHint+"{topic}", s.handleHint)
	return mux
}

func (s *Store) handleReadIndex(w http.ResponseWriter, r *http.Request) {
	if s.raft.State() != raft.Leader {
		http.Error(w, "not leader", http.StatusMisdirectedRequest)
		return
	}
	idx, err := s.readIndex(r.Context())
	if err != nil {
		http.Error(w, err.Error(), http.StatusMisdirectedRequest)
		return
	}
	io.WriteString(w, strconv.FormatUint(idx, 10))
}

func (s *Store) handleJoin(w http.ResponseWriter, r *http.Request) {
	var m NodeMeta
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&m); err != nil || m.ID == "" || m.RaftAddr == "" {
		http.Error(w, "join: need a JSON body with id and raft_addr", http.StatusBadRequest)
		return
	}
	if s.raft.State() != raft.Leader {
		addr, err := s.leaderHTTP()
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		// Pass it on to the leader and relay its answer.
		body, _ := json.Marshal(m)
		status, reply, err := s.post(r.Context(), addr, pathJoin, body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(status)
		w.Write(reply)
		return
	}
	if err := s.addVoter(r.Context(), m); err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	io.WriteString(w, "ok")
}

func (s *Store) addVoter(ctx context.Context, m NodeMeta) error {
	cf := s.raft.GetConfiguration()
	if err := cf.Error(); err != nil {
		return fmt.Errorf("join %s: %w", m.ID, err)
	}
	for _, srv := range cf.Configuration().Servers {
		if srv.ID == raft.ServerID(m.ID) && srv.Address == raft.ServerAddress(m.RaftAddr) {
			// Already a member (a retried join): only refresh the metadata.
			return s.proposeMeta(ctx, m)
		}
		if srv.ID == raft.ServerID(m.ID) || srv.Address == raft.ServerAddress(m.RaftAddr) {
			if err := s.raft.RemoveServer(srv.ID, 0, 10*time.Second).Error(); err != nil {
				return fmt.Errorf("join %s: remove stale member %s: %w", m.ID, srv.ID, err)
			}
		}
	}
	if err := s.raft.AddVoter(raft.ServerID(m.ID), raft.ServerAddress(m.RaftAddr), 0, 10*time.Second).Error(); err != nil {
		return fmt.Errorf("join %s: %w", m.ID, err)
	}
	s.logger.Info("added voter", "id", m.ID, "raft_addr", m.RaftAddr)
	return s.proposeMeta(ctx, m)
}

// join asks the member at cfg.Join to add this node, retrying until ctx ends.
func (s *Store) join(ctx context.Context) error {
	body, _ := json.Marshal(s.cfg.Meta)
	for {
		status, reply, err := s.post(ctx, s.cfg.Join, pathJoin, body)
		if err == nil && status == http.StatusOK {
			s.logger.Info("joined cluster", "via", s.cfg.Join)
			return nil
		}
		if err == nil {
			err = fmt.Errorf("status %d: %s", status, bytes.TrimSpace(reply))
		}
		s.logger.Warn("join failed; retrying", "via", s.cfg.Join, "err", err)
		select {
		case <-ctx.Done():
			return fmt.Errorf("join cluster via %s: %w", s.cfg.Join, err)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func (s *Store) post(ctx context.Context, addr, path string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	reply, err := io.ReadAll(io.LimitReader(resp.Body, maxEntryBytes))
	return resp.StatusCode, reply, err
}

func isDialError(err error) bool {
	var oe *net.OpError
	return errors.As(err, &oe) && oe.Op == "dial"
}

func (s *Store) forwardReadIndex(ctx context.Context, addr string) (uint64, error) {
	status, reply, err := s.post(ctx, addr, pathReadIndex, nil)
	if err != nil {
		return 0, fmt.Errorf("%w: read index from %s: %v", ErrNoLeader, addr, err)
	}
	if status != http.StatusOK {
		return 0, fmt.Errorf("%w: read index from %s: status %d", ErrNoLeader, addr, status)
	}
	idx, err := strconv.ParseUint(string(bytes.TrimSpace(reply)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("read index from %s: %w", addr, err)
	}
	return idx, nil
}

func encodeNodeMeta(m NodeMeta) ([]byte, error) {
	j, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	return append([]byte{entryFormat, kindNodeMeta}, j...), nil
}

// NodeMeta returns the advertised addresses of node id, as this node's
// engine holds them.
func (s *Store) NodeMeta(id string) (NodeMeta, bool) {
	h := s.acquire()
	defer h.release()
	v, err := h.db.Get(nodeMetaKey(id))
	if err != nil {
		return NodeMeta{}, false
	}
	var m NodeMeta
	if json.Unmarshal(v, &m) != nil {
		return NodeMeta{}, false
	}
	return m, true
}

// ServerStatus is one member of the cluster as Status reports it.
type ServerStatus struct {
	NodeMeta
	Suffrage string `json:"suffrage"`
	// State is "leader", "follower" or "unknown" (not reachable from here).
	State string `json:"state"`
}

// Status is a node's view of the cluster.
type Status struct {
	NodeID       string         `json:"node_id"`
	State        string         `json:"state"`
	Leader       string         `json:"leader"`
	AppliedIndex uint64         `json:"applied_index"`
	CommitIndex  uint64         `json:"commit_index"`
	Term         uint64         `json:"term"`
	Nodes        []ServerStatus `json:"nodes"`
}

// Status reports this node's view of the cluster.
func (s *Store) Status() Status {
	_, leader := s.raft.LeaderWithID()
	st := Status{
		NodeID:       s.cfg.Meta.ID,
		State:        s.raft.State().String(),
		Leader:       string(leader),
		AppliedIndex: s.applied.Load(),
		CommitIndex:  s.raft.CommitIndex(),
		Term:         s.raft.CurrentTerm(),
	}
	cf := s.raft.GetConfiguration()
	if cf.Error() != nil {
		return st
	}
	for _, srv := range cf.Configuration().Servers {
		m, ok := s.NodeMeta(string(srv.ID))
		if !ok {
			m = NodeMeta{ID: string(srv.ID), RaftAddr: string(srv.Address)}
		}
		state := "follower"
		switch {
		case srv.ID == leader:
			state = "leader"
		case leader == "":
			state = "unknown"
		}
		st.Nodes = append(st.Nodes, ServerStatus{NodeMeta: m, Suffrage: srv.Suffrage.String(), State: state})
	}
	return st
}

// IsLeader reports whether this node is the leader.
func (s *Store) IsLeader() bool { return s.raft.State() == raft.Leader }

// Ready reports whether the node can serve clients: a leader is known and
// this node has applied its log at least up to what it has seen committed.
func (s *Store) Ready() bool {
	if s.Err() != nil {
		return false
	}
	_, id := s.raft.LeaderWithID()
	return id != "" && s.applied.Load() >= s.raft.CommitIndex()
}

// Engine metrics, for the admin endpoint.
func (s *Store) engineDiskUsage() uint64 {
	h := s.acquire()
	defer h.release()
	return h.db.DiskUsage()
}
