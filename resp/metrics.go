package resp

import "github.com/prometheus/client_golang/prometheus"

// Collectors returns the server's metrics for registration with a Prometheus
// registry: open connections and commands received (rate() of the counter
// is commands per second).
func (s *Server) Collectors() []prometheus.Collector {
	labels := prometheus.Labels{"protocol": "resp"}
	return []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: "aspen", Name: "connections", ConstLabels: labels,
			Help: "Open client connections.",
		}, func() float64 { return float64(s.clients.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Namespace: "aspen", Name: "commands_total", ConstLabels: labels,
			Help: "Commands received from clients.",
		}, func() float64 { return float64(s.commands.Load()) }),
	}
}
