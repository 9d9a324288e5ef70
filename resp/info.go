package resp

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/aspen-db/aspen/layers/strkv"
)

// INFO: the sections of Redis's INFO that mean something for Aspen, with
// Redis's field names. The figures are this node's.

// infoSections are the sections INFO knows, in Redis's order; def marks
// those INFO shows with no argument ("default").
var infoSections = []struct {
	name string
	def  bool
}{
	{"server", true}, {"clients", true}, {"memory", true}, {"persistence", true},
	{"stats", true}, {"replication", true}, {"cpu", true}, {"modules", true},
	{"errorstats", true}, {"cluster", true}, {"keyspace", true},
}

// resetStats serves CONFIG RESETSTAT: the counters INFO shows start again
// from zero (the Prometheus counters keep counting).
func (s *Server) resetStats() {
	e := &s.ext
	e.statsReset.Store(int64(s.commands.Load()))
	e.totalConns.Store(0)
	e.rejectedConns.Store(0)
	if s.cache != nil {
		e.expiredReset.Store(s.cache.Expired())
		e.evictedReset.Store(s.cache.Evicted())
	}
	if s.strs != nil {
		st := s.strs.Stats()
		e.hitsReset.Store(st.Hits.Load())
		e.missesReset.Store(st.Misses.Load())
	}
}

// cmdInfo serves INFO [section...].
func cmdInfo(c *client, args [][]byte) action {
	if c.inExec || c.s.strs == nil {
		return errAction(msgNotInExec)
	}
	want := map[string]bool{}
	if len(args) == 1 {
		want["default"] = true
	}
	for _, a := range args[1:] {
		want[strings.ToLower(string(a))] = true
	}
	all := want["all"] || want["everything"]
	show := func(name string, def bool) bool {
		return all || want[name] || (def && want["default"])
	}
	if !show("keyspace", true) {
		return replyAction(func(w *writer) { w.WriteVerbatim("txt", c.s.infoText(show, nil)) })
	}
	return readAction(func(w *writer, r *strkv.Reader) {
		ks, err := keyspaceCounts(r)
		if err != nil {
			c.replyErr(w, "info", err)
			return
		}
		w.WriteVerbatim("txt", c.s.infoText(show, ks))
	})
}

// dbCounts is one database's line of the keyspace section.
type dbCounts struct {
	keys, expires int64
}

// keyspaceCounts counts every database's live keys and those with an
// expiry. It reads every key record: INFO keyspace costs time in
// proportion to the keys, unlike Redis's.
func keyspaceCounts(r *strkv.Reader) ([]dbCounts, error) {
	out := make([]dbCounts, strkv.NumDBs)
	for db := range strkv.NumDBs {
		err := r.ScanKeys(db, nil, func(_ []byte, m strkv.Meta) bool {
			out[db].keys++
			if m.ExpireAt != 0 {
				out[db].expires++
			}
			return true
		})
		if err != nil {
			return nil, fmt.Errorf("count keys of db %d: %w", db, err)
		}
	}
	return out, nil
}

// infoText builds INFO's text for the sections show selects.
func (s *Server) infoText(show func(name string, def bool) bool, ks []dbCounts) []byte {
	var b bytes.Buffer
	now := time.Now()
	section := func(title string) {
		if b.Len() > 0 {
			b.WriteString("\r\n")
		}
		b.WriteString("# " + title + "\r\n")
	}
	field := func(name string, v any) { fmt.Fprintf(&b, "%s:%v\r\n", name, v) }
	e := &s.ext
	for _, sec := range infoSections {
		if !show(sec.name, sec.def) {
			continue
		}
		switch sec.name {
		case "server":
			section("Server")
			field("redis_version", Version)
			field("redis_git_sha1", "00000000")
			field("redis_git_dirty", 0)
			field("redis_build_id", "0")
			field("redis_mode", "standalone")
			field("os", runtime.GOOS+" "+runtime.GOARCH)
			field("arch_bits", strconv.IntSize)
			field("multiplexing_api", "go")
			field("go_version", runtime.Version())
			field("process_id", os.Getpid())
			field("process_supervised", "no")
			field("tcp_port", s.tcpPort())
			field("server_time_usec", now.UnixMicro())
			up := now.Sub(e.started)
			field("uptime_in_seconds", int64(up/time.Second))
			field("uptime_in_days", int64(up/(24*time.Hour)))
			field("hz", 10)
			field("configured_hz", 10)
			exe, _ := os.Executable()
			field("executable", exe)
			field("config_file", "")
			field("io_threads_active", 0)
		case "clients":
			section("Clients")
			field("connected_clients", s.clients.Load())
			field("cluster_connections", 0)
			field("maxclients", s.MaxClients)
			field("client_recent_max_input_buffer", 0)
			field("client_recent_max_output_buffer", 0)
			field("blocked_clients", 0)
			field("tracking_clients", 0)
			field("clients_in_timeout_table", 0)
		case "memory":
			section("Memory")
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			field("used_memory", ms.HeapInuse)
			field("used_memory_human", humanBytes(ms.HeapInuse))
			field("used_memory_rss", ms.Sys)
			field("used_memory_rss_human", humanBytes(ms.Sys))
			if s.cache != nil {
				// The bytes maxmemory limits: user data as the store counts
				// it, the same on every node.
				field("used_memory_dataset", s.cache.Used())
			}
			field("maxmemory", s.MaxMemory())
			field("maxmemory_human", humanBytes(s.MaxMemory()))
			field("maxmemory_policy", s.MaxMemoryPolicy())
			field("mem_allocator", "go")
			field("lazyfree_pending_objects", 0)
		case "persistence":
			section("Persistence")
			field("loading", 0)
			field("async_loading", 0)
			field("rdb_changes_since_last_save", 0)
			field("rdb_bgsave_in_progress", 0)
			field("rdb_last_save_time", e.started.Unix())
			field("rdb_last_bgsave_status", "ok")
			field("aof_enabled", 0)
			field("aof_rewrite_in_progress", 0)
			field("aof_last_write_status", "ok")
		case "stats":
			section("Stats")
			field("total_connections_received", e.totalConns.Load())
			field("total_commands_processed", int64(s.commands.Load())-e.statsReset.Load())
			field("instantaneous_ops_per_sec", 0)
			field("rejected_connections", e.rejectedConns.Load())
			var expired, evicted int64
			if s.cache != nil {
				expired = s.cache.Expired() - e.expiredReset.Load()
				evicted = s.cache.Evicted() - e.evictedReset.Load()
			}
			field("expired_keys", expired)
			field("evicted_keys", evicted)
			var hits, misses int64
			if s.strs != nil {
				st := s.strs.Stats()
				hits, misses = st.Hits.Load()-e.hitsReset.Load(), st.Misses.Load()-e.missesReset.Load()
			}
			field("keyspace_hits", hits)
			field("keyspace_misses", misses)
			chans, pats, shard := s.pubsubStats()
			field("pubsub_channels", chans)
			field("pubsub_patterns", pats)
			field("pubsubshard_channels", shard)
			field("total_error_replies", 0)
		case "replication":
			section("Replication")
			if s.isLeader() {
				field("role", "master")
				field("connected_slaves", 0)
			} else {
				field("role", "slave")
			}
			field("master_failover_state", "no-failover")
			field("master_repl_offset", 0)
		case "cpu":
			section("CPU")
			sys, user := cpuTimes()
			field("used_cpu_sys", fmt.Sprintf("%.6f", sys))
			field("used_cpu_user", fmt.Sprintf("%.6f", user))
		case "modules":
			section("Modules")
		case "errorstats":
			section("Errorstats")
		case "cluster":
			section("Cluster")
			field("cluster_enabled", 0)
		case "keyspace":
			section("Keyspace")
			for db, n := range ks {
				if n.keys > 0 {
					fmt.Fprintf(&b, "db%d:keys=%d,expires=%d,avg_ttl=0\r\n", db, n.keys, n.expires)
				}
			}
		}
	}
	return b.Bytes()
}

// tcpPort is the port the server listens on, or 0.
func (s *Server) tcpPort() string {
	s.mu.Lock()
	ln := s.ln
	s.mu.Unlock()
	if ln == nil {
		return "0"
	}
	_, port, err := net.SplitHostPort(ln.Addr().String())
	if err != nil {
		return "0"
	}
	return port
}

// humanBytes formats n as Redis's *_human fields: B, K, M, G with two
// decimals.
func humanBytes(n uint64) string {
	f := float64(n)
	switch {
	case n < 1024:
		return strconv.FormatUint(n, 10) + "B"
	case n < 1<<20:
		return fmt.Sprintf("%.2fK", f/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.2fM", f/(1<<20))
	case n < 1<<40:
		return fmt.Sprintf("%.2fG", f/(1<<30))
	default:
		return fmt.Sprintf("%.2fT", f/(1<<40))
	}
}
