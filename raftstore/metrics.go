package raftstore

import (
	"github.com/hashicorp/raft"
	"github.com/prometheus/client_golang/prometheus"
)

// storeMetrics are the store's Prometheus metrics. They are created per
// store (tests open several in one process) and exposed by Collectors.
type storeMetrics struct {
	commitSeconds prometheus.Histogram
	conflicts     prometheus.Counter
}

func newStoreMetrics() *storeMetrics {
	return &storeMetrics{
		commitSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: "aspen", Subsystem: "store", Name: "commit_seconds",
			Help:    "Time from commit request to applied, for committed transactions.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 18),
		}),
		conflicts: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "aspen", Subsystem: "store", Name: "conflicts_total",
			Help: "Transactions rejected at apply by the conflict check (counted on every replica).",
		}),
	}
}

// Collectors returns the store's metrics for registration with a
// Prometheus registry.
func (s *Store) Collectors() []prometheus.Collector {
	return []prometheus.Collector{
		s.metrics.commitSeconds,
		s.metrics.conflicts,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: "aspen", Subsystem: "raft", Name: "applied_index",
			Help: "Last Raft log index applied to this node's engine.",
		}, func() float64 { return float64(s.applied.Load()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: "aspen", Subsystem: "raft", Name: "commit_index",
			Help: "Raft commit index known to this node.",
		}, func() float64 { return float64(s.raft.CommitIndex()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: "aspen", Subsystem: "raft", Name: "term",
			Help: "Current Raft term.",
		}, func() float64 { return float64(s.raft.CurrentTerm()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: "aspen", Subsystem: "raft", Name: "is_leader",
			Help: "1 if this node is the Raft leader.",
		}, func() float64 {
			if s.raft.State() == raft.Leader {
				return 1
			}
			return 0
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: "aspen", Subsystem: "raft", Name: "state",
			Help: "Raft state: 0 follower, 1 candidate, 2 leader, 3 shutdown.",
		}, func() float64 { return float64(s.raft.State()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: "aspen", Subsystem: "engine", Name: "disk_bytes",
			Help: "Bytes the engine occupies on disk.",
		}, func() float64 { return float64(s.engineDiskUsage()) }),
	}
}
