// Package resp serves Aspen's Redis keyspace over the Redis protocol (RESP2
// and RESP3), on github.com/tidwall/redcon.
//
// A command goes: redcon parses the frame -> the command table (name, arity)
// -> a small handler that validates arguments and returns an action -> the
// connection runs the action against the layers. Actions that read share one
// read transaction, and actions that write share one commit, with their
// neighbours in the same pipeline, so a client that pipelines N writes pays
// for one Raft round instead of N; replies still come back in order and each
// command is atomic on its own.
//
// Replies and error words follow Redis 7.0.
package resp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aspen-db/aspen/layers/cache"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/tidwall/redcon"
)

// Defaults for the Server's settings.
const (
	DefaultCommandTimeout = 10 * time.Second
	DefaultMaxClients     = 10000
)

// Server is a Redis protocol server over the Redis keyspace layer. Set its
// exported fields before Serve; they must not change afterwards.
type Server struct {
	// CommandTimeout bounds the store work of each command (or of each
	// group of pipelined commands run together); past it the client gets
	// an error reply, never a hang. Zero means DefaultCommandTimeout.
	CommandTimeout time.Duration
	// MaxClients is the most connections served at once; more are refused
	// with "ERR max number of clients reached". Zero means
	// DefaultMaxClients.
	MaxClients int

	strs    *strkv.Store
	cursors cursorTable // SCAN resume points too long for a cursor
	logger  *slog.Logger

	ctx    context.Context // cancelled by Close: aborts in-flight commands
	cancel context.CancelFunc

	mu       sync.Mutex
	rs       *redcon.Server
	ln       net.Listener
	served   chan struct{} // closed when Serve returns
	closed   bool
	active   sync.WaitGroup // handlers running
	clients  atomic.Int64
	nextID   atomic.Int64
	commands atomic.Uint64 // commands received, for the metrics

	// ext holds the state of the connection and server commands (client
	// registry, settings, monitors): see conn_cmds.go and config.go.
	ext serverExt

	// cache is the cache layer: maxmemory, eviction, access clocks
	// (cache.go). cacheStop ends its event listener.
	cache     *cache.Cache
	cacheStop func()
}

// ErrServerClosed is returned by Serve after Close.
var ErrServerClosed = errors.New("resp: server closed")

// NewServer returns a server for strs. A nil logger discards logs.
func NewServer(strs *strkv.Store, logger *slog.Logger) *Server {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{strs: strs, logger: logger, ctx: ctx, cancel: cancel}
	s.ext.init() // defaults of the settings (config.go)
	s.startCache()
	s.startKeyspaceEvents() // keyspace notifications (keyspace_events.go)
	return s
}

// Serve accepts connections on ln and serves them until Close. It closes
// ln. It returns ErrServerClosed after Close, or the error that stopped the
// listener.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ln.Close()
		return ErrServerClosed
	}
	if s.rs != nil {
		s.mu.Unlock()
		return errors.New("resp: Serve called twice")
	}
	if s.CommandTimeout <= 0 {
		s.CommandTimeout = DefaultCommandTimeout
	}
	if s.MaxClients <= 0 {
		s.MaxClients = DefaultMaxClients
	}
	s.rs = redcon.NewServer(ln.Addr().String(), s.handle, s.accept, s.onClosed)
	s.rs.AcceptError = func(err error) {
		s.logger.Warn("resp: accept failed", "err", err)
		time.Sleep(10 * time.Millisecond) // do not spin on a persistent error
	}
	s.ln = ln
	s.served = make(chan struct{})
	s.mu.Unlock()

	s.logger.Info("resp: serving", "addr", ln.Addr().String())
	err := s.rs.Serve(s.frameListener(ln)) // Redis's framing limits (framing.go)
	close(s.served)
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return ErrServerClosed
	}
	if err != nil {
		return fmt.Errorf("resp: serve %s: %w", ln.Addr(), err)
	}
	return nil
}

// ListenAndServe listens on the TCP address addr and serves it as Serve.
func (s *Server) ListenAndServe(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("resp: listen %s: %w", addr, err)
	}
	return s.Serve(ln)
}

// Close stops accepting, closes every connection, aborts commands in
// flight, and waits until no handler touches the store any more. It is safe
// to call more than once.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	rs, ln, served := s.rs, s.ln, s.served
	s.mu.Unlock()

	s.cancel()
	if s.cacheStop != nil {
		s.cacheStop()
	}
	if rs != nil {
		// Closing the listener ourselves also stops a Serve that has not
		// reached redcon's accept loop yet (redcon's Close would report
		// "not serving" and leave it to run). Errors from closing a
		// listener twice say nothing useful.
		rs.Close()
		ln.Close()
		<-served // redcon closes every connection before Serve returns
	}
	s.active.Wait()
	return nil
}

// accept admits a connection and gives it its session state.
func (s *Server) accept(conn redcon.Conn) bool {
	if n := s.clients.Add(1); n > int64(s.MaxClients) {
		s.clients.Add(-1)
		s.ext.rejectedConns.Add(1) // INFO's rejected_connections
		// redcon does not flush a refused connection; write directly.
		nc := conn.NetConn()
		nc.SetWriteDeadline(time.Now().Add(time.Second))
		nc.Write([]byte("-ERR max number of clients reached\r\n"))
		s.logger.Warn("resp: refused connection: max clients reached", "remote", conn.RemoteAddr(), "max", s.MaxClients)
		return false
	}
	c := &client{s: s, conn: conn, id: s.nextID.Add(1)}
	conn.SetContext(c)
	s.registerClient(c) // CLIENT LIST, KILL, auth state (conn_cmds.go)
	s.logger.Debug("resp: client connected", "id", c.id, "remote", conn.RemoteAddr())
	return true
}

func (s *Server) onClosed(conn redcon.Conn, err error) {
	c, ok := conn.Context().(*client)
	if !ok {
		return // refused in accept
	}
	s.clients.Add(-1)
	s.unregisterClient(c) // conn_cmds.go
	c.resetTransaction()
	if err != nil {
		s.logger.Debug("resp: client gone", "id", c.id, "err", err)
	}
}

// handle is redcon's callback for the first command of a batch read from
// the socket; it takes the rest of the batch too and runs them in order.
func (s *Server) handle(conn redcon.Conn, cmd redcon.Command) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		conn.Close()
		return
	}
	s.active.Add(1)
	s.mu.Unlock()
	defer s.active.Done()

	c, ok := conn.Context().(*client)
	if !ok {
		conn.Close()
		return
	}
	// A bug in one handler must cost its connection, not the server.
	defer func() {
		if r := recover(); r != nil {
			s.logger.Error("resp: handler panicked; closing the connection", "client", c.id, "panic", r, "stack", string(debug.Stack()))
			conn.Close()
		}
	}()
	rest := conn.ReadPipeline()
	s.commands.Add(uint64(1 + len(rest)))
	c.plan(cmd.Args)
	for _, cm := range rest {
		if c.quit {
			break
		}
		c.plan(cm.Args)
	}
	c.flush()
	c.deliver(c.w.take()) // to conn, or through the out-of-band queue (monitor.go)
	if c.quit {
		conn.Close()
	}
}

// Command flags, as COMMAND reports them.
const (
	flagWrite    = "write"
	flagReadonly = "readonly"
	flagDenyOOM  = "denyoom"
	flagFast     = "fast"
	flagLoading  = "loading"
	flagStale    = "stale"
	flagNoScript = "noscript"
)

// command is one entry of the command table.
type command struct {
	name  string   // lower case, as Redis names it in errors
	arity int      // Redis's convention: n exactly n args (with the name), -n at least n
	flags []string // reported by COMMAND
	group string   // ACL category, without '@'
	// firstKey, lastKey, step: the key positions, as COMMAND reports them.
	firstKey, lastKey, step int
	run                     handler
	denyOOM                 bool // flags holds denyoom (set at init)
}

// handler validates one command's arguments (args[0] is the name) and says
// what the command does.
type handler func(c *client, args [][]byte) action

// commandTable lists every command, sorted by name (a test checks that
// no name is listed twice). It is
// filled by init because handlers such as COMMAND read it.
var commandTable []*command

// commands indexes commandTable by name.
var commands map[string]*command

func init() {
	commandTable = commandList()
	commands = make(map[string]*command, len(commandTable))
	for _, c := range commandTable {
		commands[c.name] = c
		c.denyOOM = slices.Contains(c.flags, flagDenyOOM)
	}
}

// commandGroups returns each family's commands; commandList joins them.
func commandGroups() [][]*command {
	return [][]*command{
		connectionCommands(),
		serverCommands(),
		keyCommands(),
		stringCommands(),
		hashCommands(),
		listCommands(),
		setCommands(),
		zsetCommands(),
		transactionCommands(),
		geoCommands(),
		pubsubCommands(),
		streamCommands(),
	}
}

// commandList returns every command, sorted by name.
func commandList() []*command {
	var all []*command
	for _, g := range commandGroups() {
		all = append(all, g...)
	}
	slices.SortFunc(all, func(a, b *command) int { return strings.Compare(a.name, b.name) })
	return all
}

// maxNameLen bounds the command names looked up; longer ones are unknown.
const maxNameLen = 32

// lookup finds a command by name, case-insensitively, without allocating.
func lookup(name []byte) *command {
	if len(name) > maxNameLen {
		return nil
	}
	var buf [maxNameLen]byte
	for i, b := range name {
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		buf[i] = b
	}
	return commands[string(buf[:len(name)])]
}

// arityOK reports whether n arguments (with the name) suit arity.
func arityOK(arity, n int) bool {
	if arity >= 0 {
		return n == arity
	}
	return n >= -arity
}
