// Command aspen-server runs one Aspen node: the replicated store, the
// PostgreSQL and Redis protocol listeners and the HTTP admin endpoint (health, cluster view,
// Prometheus metrics, and the internal endpoints other nodes call).
//
// Every flag can also be set with an ASPEN_* environment variable named
// after it (--data-dir is ASPEN_DATA_DIR); a flag on the command line wins.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/cache"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/pgwire"
	"github.com/aspen-db/aspen/planner"
	"github.com/aspen-db/aspen/raftstore"
	"github.com/aspen-db/aspen/resp"
)

type config struct {
	dataDir   string
	nodeID    string
	pgAddr    string
	respAddr  string
	respPass  string
	raftAddr  string
	httpAddr  string
	join      string
	logLevel  string
	logFormat string
	verify    bool
	maxmemory uint64
	policy    string
	pgPass    string
	pgMaxConn int
	pgIdle    time.Duration
	tlsCert   string
	tlsKey    string
	tempDir   string
	tempLimit uint64
}

func parseFlags(args []string, env func(string) string) (config, error) {
	var c config
	fs := flag.NewFlagSet("aspen-server", flag.ContinueOnError)
	fs.StringVar(&c.dataDir, "data-dir", "./aspen-data", "directory for this node's data")
	fs.StringVar(&c.nodeID, "node-id", "node1", "this node's unique id in the cluster")
	fs.StringVar(&c.pgAddr, "pg-addr", "127.0.0.1:5432", "PostgreSQL protocol listen address")
	fs.StringVar(&c.pgPass, "pg-password", "", "password PostgreSQL clients must give (SCRAM-SHA-256); empty trusts clients on loopback addresses and refuses others (prefer the environment variable: a flag shows in the process list)")
	fs.IntVar(&c.pgMaxConn, "pg-max-connections", pgwire.DefaultMaxConnections, "most PostgreSQL sessions open at once; one more gets SQLSTATE 53300")
	fs.DurationVar(&c.pgIdle, "pg-idle-session-timeout", 0, "close PostgreSQL sessions idle outside a transaction for longer (0: never)")
	fs.StringVar(&c.tlsCert, "tls-cert", "", "PEM certificate file for PostgreSQL clients' TLS (with --tls-key); without them SSLRequest is answered 'N'")
	fs.StringVar(&c.tlsKey, "tls-key", "", "PEM private key file for --tls-cert")
	fs.StringVar(&c.respAddr, "resp-addr", "127.0.0.1:6379", "Redis protocol listen address")
	fs.StringVar(&c.respPass, "resp-password", "", "password Redis clients must give (AUTH, HELLO AUTH) before other commands; empty for none (prefer the environment variable: a flag shows in the process list)")
	fs.StringVar(&c.raftAddr, "raft-addr", "127.0.0.1:7000", "Raft transport listen address (also advertised to peers)")
	fs.StringVar(&c.httpAddr, "http-addr", "127.0.0.1:8080", "HTTP admin listen address (also used by peers)")
	fs.StringVar(&c.join, "join", "", "HTTP address of any cluster member to join (ignored when the data dir already holds cluster state)")
	fs.BoolVar(&c.verify, "verify-on-start", true, "read the whole store and Raft log at start-up and refuse to start on a damaged file (costs time in proportion to the data)")
	fs.StringVar(&c.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format: text or json")
	fs.Func("maxmemory", "limit on the bytes of Redis data (Redis's units: 100mb, 2gb); 0 for none. Set the same on every node: the leader evicts", func(v string) error {
		n, ok := resp.ParseMemory(v)
		if !ok {
			return fmt.Errorf("%q is not a memory size", v)
		}
		c.maxmemory = n
		return nil
	})
	fs.StringVar(&c.tempDir, "sql-temp-dir", "", "directory for the temporary files of SQL sorts, hash aggregates and hash joins past work_mem; the pgsql_tmp* files left in it are removed at start-up (default: the data dir's tmp)")
	fs.Func("sql-temp-limit", "limit on the bytes of all SQL sessions' temporary files together (100mb, 2gb); 0 for a tenth of the temporary directory's free space at start-up. A session's temp_file_limit setting limits it further", func(v string) error {
		n, ok := resp.ParseMemory(v)
		if !ok {
			return fmt.Errorf("%q is not a memory size", v)
		}
		c.tempLimit = n
		return nil
	})
	fs.StringVar(&c.policy, "maxmemory-policy", "noeviction", "what to do over --maxmemory: noeviction, allkeys-lru, allkeys-lfu, allkeys-random, volatile-lru, volatile-lfu, volatile-random, volatile-ttl")
	// Environment first, so that the command line overrides it.
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		name := "ASPEN_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v := env(name); v != "" {
			if err := f.Value.Set(v); err != nil && envErr == nil {
				envErr = fmt.Errorf("%s=%q: %w", name, v, err)
			}
		}
	})
	if envErr != nil {
		return c, envErr
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if !resp.ValidPolicy(c.policy) {
		return c, fmt.Errorf("--maxmemory-policy: unknown policy %q", c.policy)
	}
	if (c.tlsCert == "") != (c.tlsKey == "") {
		return c, errors.New("--tls-cert and --tls-key go together")
	}
	return c, nil
}

func newLogger(c config) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(os.Stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(os.Stderr, opts)), nil
	default:
		return nil, fmt.Errorf("--log-format: %q is not text or json", c.logFormat)
	}
}

func main() {
	c, err := parseFlags(os.Args[1:], os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "aspen-server:", err)
		os.Exit(2)
	}
	logger, err := newLogger(c)
	if err != nil {
		fmt.Fprintln(os.Stderr, "aspen-server:", err)
		os.Exit(2)
	}
	slog.SetDefault(logger)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, c, logger); err != nil {
		logger.Error("aspen-server stopped", "err", err)
		os.Exit(1)
	}
}

// mutations gathers the deterministic operations of every layer; each node
// registers the same set.
func mutations() map[string]layers.MutationFunc {
	all := resp.Mutations()
	maps.Copy(all, planner.Mutations())
	return all
}

func run(ctx context.Context, c config, logger *slog.Logger) error {
	var tlsConfig *tls.Config
	if c.tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(c.tlsCert, c.tlsKey)
		if err != nil {
			return fmt.Errorf("load --tls-cert/--tls-key: %w", err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	// Listen on the HTTP address first: a joining node's peers and the
	// health check must reach it while the store starts.
	httpLn, err := net.Listen("tcp", c.httpAddr)
	if err != nil {
		return fmt.Errorf("listen http %s: %w", c.httpAddr, err)
	}
	respLn, err := net.Listen("tcp", c.respAddr)
	if err != nil {
		httpLn.Close()
		return fmt.Errorf("listen resp %s: %w", c.respAddr, err)
	}
	pgLn, err := net.Listen("tcp", c.pgAddr)
	if err != nil {
		httpLn.Close()
		respLn.Close()
		return fmt.Errorf("listen pg %s: %w", c.pgAddr, err)
	}

	admin := &adminServer{logger: logger, registry: prometheus.NewRegistry()}
	admin.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	httpSrv := &http.Server{Handler: admin.routes(), ReadHeaderTimeout: 10 * time.Second}
	httpErr := make(chan error, 1)
	go func() { httpErr <- httpSrv.Serve(httpLn) }()

	openCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	store, err := raftstore.Open(openCtx, raftstore.Config{
		Dir: c.dataDir,
		Meta: raftstore.NodeMeta{
			ID: c.nodeID, RaftAddr: c.raftAddr, HTTPAddr: c.httpAddr,
			PGAddr: c.pgAddr, RESPAddr: c.respAddr,
		},
		Join:          c.join,
		VerifyOnStart: c.verify,
		Mutations:     mutations(),
		Logger:        logger,
	})
	cancel()
	if err != nil {
		httpSrv.Close()
		respLn.Close()
		pgLn.Close()
		return err
	}
	admin.setStore(store)
	admin.registry.MustRegister(store.Collectors()...)

	strs := strkv.New(store)
	expCtx, stopExpirer := context.WithCancel(context.Background())
	defer stopExpirer()
	go runExpirer(expCtx, store, strs, logger)

	rs := resp.NewServer(strs, logger)
	rs.SetRequirePass(c.respPass)
	rs.SetMaxMemory(c.maxmemory, c.policy)
	// Every node refreshes the bytes in use; the leader alone evicts, and
	// followers send it the accesses their clients make, for its LRU and
	// LFU clocks.
	store.HandleHint(cache.HintTouches, rs.Cache().ReceiveTouches)
	rs.Cache().SetForwarder(func(ctx context.Context, payload []byte) error {
		return store.SendHint(ctx, cache.HintTouches, payload)
	}, store.IsLeader)
	go rs.Cache().Run(expCtx, 100*time.Millisecond, store.IsLeader)
	admin.registry.MustRegister(rs.Collectors()...)
	respErr := make(chan error, 1)
	go func() { respErr <- rs.Serve(respLn) }()
	// One pub/sub hub per node: Redis channels and PostgreSQL's LISTEN.
	hub, err := rs.PubSub()
	if err != nil {
		return fmt.Errorf("pub/sub hub: %w", err)
	}
	eng := planner.NewEngine(store)
	tempDir := c.tempDir
	if tempDir == "" {
		tempDir = filepath.Join(c.dataDir, "tmp")
	}
	if err := eng.SetTempDir(tempDir, int64(min(c.tempLimit, 1<<62))); err != nil {
		return fmt.Errorf("sql temporary files: %w", err)
	}
	pgs := pgwire.NewServer(pgwire.Config{
		PubSub:             hub,
		Engine:             eng,
		Logger:             logger,
		Password:           c.pgPass,
		MaxConnections:     c.pgMaxConn,
		IdleSessionTimeout: c.pgIdle,
		TLS:                tlsConfig,
	})
	pgErr := make(chan error, 1)
	go func() { pgErr <- pgs.Serve(pgLn) }()
	logger.Info("aspen-server serving", "node", c.nodeID, "pg", c.pgAddr, "resp", c.respAddr, "http", c.httpAddr, "raft", c.raftAddr, "data_dir", c.dataDir)

	var runErr error
	select {
	case <-ctx.Done():
		logger.Info("signal received; stopping")
	case err := <-httpErr:
		runErr = fmt.Errorf("http server: %w", err)
	case err := <-respErr:
		runErr = fmt.Errorf("resp server: %w", err)
	case err := <-pgErr:
		runErr = fmt.Errorf("pg server: %w", err)
	case <-admin.fatal(store):
		runErr = store.Err()
	}
	rs.Close()
	pgs.Close()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	httpSrv.Shutdown(shutdownCtx)
	cancel()
	if err := store.Close(); err != nil && runErr == nil {
		runErr = fmt.Errorf("close store: %w", err)
	}
	return runErr
}

// runExpirer deletes expired keys. Only the leader sweeps: expiry is decided
// once, by the leader's clock, and replicated as ordinary deletes, so every
// replica holds the same data.
func runExpirer(ctx context.Context, store *raftstore.Store, strs *strkv.Store, logger *slog.Logger) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if !store.IsLeader() {
			continue
		}
		nctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		next, ok, err := strs.NextExpiry(nctx)
		cancel()
		if err != nil || !ok || next.After(time.Now()) {
			continue
		}
		for store.IsLeader() && ctx.Err() == nil {
			sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			_, more, err := strs.Sweep(sctx, 1000)
			cancel()
			if err != nil {
				if ctx.Err() == nil {
					logger.Warn("expire sweep failed", "err", err)
				}
				break
			}
			if !more {
				break
			}
		}
	}
}
