package pgwire

// The listener: accepting connections, the connection limit, backend keys
// and cancel requests.

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aspen-db/aspen/layers/pubsub"
	"github.com/aspen-db/aspen/planner"
)

// Defaults for Config fields left zero.
const (
	DefaultMaxConnections = 100
	DefaultMaxMessageSize = 64 << 20
)

// Config configures a Server.
type Config struct {
	// Engine runs the SQL. Required.
	Engine *planner.Engine
	// Logger receives connection-level logs; nil means slog.Default().
	Logger *slog.Logger
	// MaxConnections bounds the open sessions; one more gets SQLSTATE
	// 53300 at startup. Zero means DefaultMaxConnections.
	MaxConnections int
	// MaxMessageSize bounds a client message's body in bytes; a larger
	// message gets 08P01 and ends the connection, as the message cannot be
	// skipped safely. Zero means DefaultMaxMessageSize.
	MaxMessageSize int
	// Password, when not empty, is required from every user, with
	// SCRAM-SHA-256 (or md5 if AuthMethod says so). When empty, clients
	// on loopback addresses are trusted and others are refused with 28000
	// unless TrustRemote is set.
	Password string
	// AuthMethod is "scram-sha-256" (the default) or "md5".
	AuthMethod string
	// TrustRemote trusts clients on any address when Password is empty.
	TrustRemote bool
	// TLS, when not nil, lets clients upgrade with SSLRequest; when nil
	// the server answers 'N' and clients go on in plain text.
	TLS *tls.Config
	// PubSub is the node's pub/sub hub, for LISTEN: NOTIFY publishes
	// through the replicated log, and the hub hands each node's sessions
	// the notifications of their channels. Nil refuses LISTEN.
	PubSub *pubsub.Hub
	// IdleSessionTimeout closes a session idle outside a transaction for
	// longer, as PostgreSQL's idle_session_timeout (SQLSTATE 57P05). Zero
	// means never.
	IdleSessionTimeout time.Duration
}

// Server serves PostgreSQL's protocol version 3 over an Engine.
type Server struct {
	cfg    Config
	logger *slog.Logger
	ctx    context.Context
	stop   context.CancelFunc

	mu     sync.Mutex
	lns    map[net.Listener]struct{}
	conns  map[uint32]*conn
	nextID uint32
	wg     sync.WaitGroup
	closed bool

	active atomic.Int64
}

// NewServer returns a server for cfg.
func NewServer(cfg Config) *Server {
	if cfg.MaxConnections <= 0 {
		cfg.MaxConnections = DefaultMaxConnections
	}
	if cfg.MaxMessageSize <= 0 {
		cfg.MaxMessageSize = DefaultMaxMessageSize
	}
	if cfg.AuthMethod == "" {
		cfg.AuthMethod = "scram-sha-256"
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	ctx, stop := context.WithCancel(context.Background())
	return &Server{
		cfg:    cfg,
		logger: logger.With("proto", "pg"),
		ctx:    ctx,
		stop:   stop,
		lns:    map[net.Listener]struct{}{},
		conns:  map[uint32]*conn{},
	}
}

// ErrServerClosed is returned by Serve after Close.
var ErrServerClosed = errors.New("pgwire: server closed")

// Serve accepts connections on ln until Close, serving each on its own
// goroutine. It returns ErrServerClosed after Close.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ln.Close()
		return ErrServerClosed
	}
	s.lns[ln] = struct{}{}
	s.mu.Unlock()
	var backoff time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.ctx.Err() != nil {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serveConn(nc)
		}()
	}
}

// Close stops the listeners, ends every session (rolling back open
// transactions) and waits for their goroutines.
func (s *Server) Close() error {
	s.stop()
	s.mu.Lock()
	s.closed = true
	for ln := range s.lns {
		ln.Close()
	}
	conns := make([]*conn, 0, len(s.conns))
	for _, c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.nc.Close()
	}
	s.wg.Wait()
	return nil
}

// ActiveConnections returns the number of sessions past startup.
func (s *Server) ActiveConnections() int { return int(s.active.Load()) }

// register gives c a process ID and secret key for BackendKeyData.
func (s *Server) register(c *conn) {
	var key [4]byte
	rand.Read(key[:])
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		s.nextID++
		if s.nextID == 0 {
			s.nextID = 1
		}
		if _, used := s.conns[s.nextID]; !used {
			break
		}
	}
	c.pid = s.nextID
	c.secret = binary.BigEndian.Uint32(key[:])
	s.conns[c.pid] = c
}

func (s *Server) unregister(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns[c.pid] == c {
		delete(s.conns, c.pid)
	}
}

// cancel handles a CancelRequest: the statement running on the backend
// with that process ID is canceled if the secret key matches. As in
// PostgreSQL, nothing is reported to the requester either way.
func (s *Server) cancel(pid uint32, secret []byte) {
	if len(secret) != 4 {
		return
	}
	s.mu.Lock()
	c := s.conns[pid]
	s.mu.Unlock()
	if c == nil {
		return
	}
	var want [4]byte
	binary.BigEndian.PutUint32(want[:], c.secret)
	if subtle.ConstantTimeCompare(want[:], secret) != 1 {
		return
	}
	c.cancelRunning()
}
