package main

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/aspen-db/aspen/raftstore"
)

// adminServer serves the HTTP admin endpoint:
//
//	GET /health   200 once the node serves clients, 503 before
//	GET /cluster  the node's view of the cluster, as JSON
//	GET /metrics  Prometheus text format
//	/debug/pprof/ Go's profiler (the admin address is loopback by default)
//	/raft/...     internal endpoints other nodes call (see raftstore.Handler)
type adminServer struct {
	logger   *slog.Logger
	registry *prometheus.Registry
	store    atomic.Pointer[raftstore.Store]
	internal atomic.Pointer[http.Handler]
}

func (a *adminServer) setStore(s *raftstore.Store) {
	h := s.Handler()
	a.internal.Store(&h)
	a.store.Store(s)
}

func (a *adminServer) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", a.health)
	mux.HandleFunc("GET /cluster", a.cluster)
	mux.Handle("GET /metrics", promhttp.HandlerFor(a.registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("/raft/", func(w http.ResponseWriter, r *http.Request) {
		h := a.internal.Load()
		if h == nil {
			http.Error(w, "node is starting", http.StatusServiceUnavailable)
			return
		}
		(*h).ServeHTTP(w, r)
	})
	return mux
}

func (a *adminServer) health(w http.ResponseWriter, r *http.Request) {
	s := a.store.Load()
	if s == nil || !s.Ready() {
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ok\n"))
}

// clusterView is the JSON of GET /cluster.
type clusterView struct {
	Leader       string                   `json:"leader"`
	AppliedIndex uint64                   `json:"applied_index"`
	Node         string                   `json:"node"`
	State        string                   `json:"state"`
	Term         uint64                   `json:"term"`
	Nodes        []raftstore.ServerStatus `json:"nodes"`
}

func (a *adminServer) cluster(w http.ResponseWriter, r *http.Request) {
	s := a.store.Load()
	if s == nil {
		http.Error(w, "node is starting", http.StatusServiceUnavailable)
		return
	}
	st := s.Status()
	v := clusterView{
		Leader: st.Leader, AppliedIndex: st.AppliedIndex, Node: st.NodeID,
		State: st.State, Term: st.Term, Nodes: st.Nodes,
	}
	if v.Nodes == nil {
		v.Nodes = []raftstore.ServerStatus{}
	}
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// fatal returns a channel closed when the store reports an error after which
// the node must stop serving.
func (a *adminServer) fatal(s *raftstore.Store) <-chan struct{} {
	ch := make(chan struct{})
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for range t.C {
			if s.Err() != nil {
				close(ch)
				return
			}
		}
	}()
	return ch
}
