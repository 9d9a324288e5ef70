package pgwire

// One client connection: startup, the message loop and cancellation.

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/aspen-db/aspen/planner"
	"github.com/aspen-db/aspen/planner/sqlerr"
)

// conn is one session.
type conn struct {
	srv     *Server
	nc      net.Conn
	be      *pgproto3.Backend
	sess    *planner.Session
	user    string
	db      string
	pid     uint32
	secret  uint32
	stmts   map[string]*statement
	portals map[string]*portal
	// reported holds the ParameterStatus values last sent, to re-send the
	// ones a statement changes.
	reported map[string]string
	// skipToSync is set after an error in an extended-protocol batch:
	// messages are discarded until Sync, as the protocol requires.
	skipToSync bool
	// idleInTx records whether the last wait for the client was inside a
	// transaction (which timeout applied).
	idleInTx bool
	// hasDeadline records that a read deadline is set, so that clearing
	// one already clear costs nothing.
	hasDeadline bool
	// rowBuf, rowVals and rowEnds are sendRows' buffers.
	rowBuf  []byte
	rowVals [][]byte
	rowEnds []int

	mu      sync.Mutex
	running context.CancelFunc // the running statement's, nil when idle

	// wmu serialises writes to the client between the message loop and
	// the delivery of notifications (notify.go). busy is set while the
	// loop answers a message; idleState is the transaction status after
	// the last answer. Both are guarded by wmu.
	wmu       sync.Mutex
	busy      bool
	idleState byte
	// listener and listening are the session's LISTEN channels; nil
	// until the first LISTEN. listenDone ends the delivery goroutine.
	listener   *listener
	listening  map[string]bool
	listenDone chan struct{}
}

// reportedParams are the settings PostgreSQL reports with ParameterStatus
// at startup and whenever they change, with their display names.
var reportedParams = []struct{ name, display string }{
	{"application_name", "application_name"},
	{"client_encoding", "client_encoding"},
	{"datestyle", "DateStyle"},
	{"default_transaction_read_only", "default_transaction_read_only"},
	{"in_hot_standby", "in_hot_standby"},
	{"integer_datetimes", "integer_datetimes"},
	{"intervalstyle", "IntervalStyle"},
	{"is_superuser", "is_superuser"},
	{"server_encoding", "server_encoding"},
	{"server_version", "server_version"},
	{"session_authorization", "session_authorization"},
	{"standard_conforming_strings", "standard_conforming_strings"},
	{"timezone", "TimeZone"},
}

func (s *Server) serveConn(nc net.Conn) {
	c := &conn{srv: s, nc: nc, stmts: map[string]*statement{}, portals: map[string]*portal{}, reported: map[string]string{}, listenDone: make(chan struct{}), idleState: 'I'}
	defer nc.Close()
	c.newBackend(nc)
	// A client gets a bounded time to finish startup and authentication,
	// as PostgreSQL's authentication_timeout.
	nc.SetDeadline(time.Now().Add(time.Minute))
	ok, err := c.startup()
	if err != nil || !ok {
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			s.logger.Debug("startup failed", "remote", nc.RemoteAddr(), "err", err)
		}
		return
	}
	nc.SetDeadline(time.Time{})
	defer s.active.Add(-1)
	defer s.unregister(c)
	defer c.sess.Close()
	defer c.stopListening()
	if err := c.loop(); err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
		s.logger.Debug("session ended", "remote", nc.RemoteAddr(), "err", err)
	}
}

// newBackend wraps rw in a protocol backend with the size limit.
func (c *conn) newBackend(rw io.ReadWriter) {
	c.be = pgproto3.NewBackend(bufio.NewReaderSize(rw, 16<<10), rw)
	c.be.SetMaxBodyLen(c.srv.cfg.MaxMessageSize)
}

// startup runs the startup phase: SSL and GSS negotiation, cancel
// requests, the StartupMessage, authentication and the session's initial
// ParameterStatus, BackendKeyData and ReadyForQuery. It returns false when
// the connection must end (a cancel request, a refused client).
func (c *conn) startup() (bool, error) {
	s := c.srv
	sslDone := false
	for {
		msg, err := c.be.ReceiveStartupMessage()
		if err != nil {
			c.fatal(sqlerr.New(sqlerr.ProtocolViolation, "%s", err.Error()))
			return false, err
		}
		switch m := msg.(type) {
		case *pgproto3.SSLRequest:
			if sslDone || s.cfg.TLS == nil {
				if _, err := c.nc.Write([]byte{'N'}); err != nil {
					return false, err
				}
				continue
			}
			if _, err := c.nc.Write([]byte{'S'}); err != nil {
				return false, err
			}
			tc := tls.Server(c.nc, s.cfg.TLS)
			if err := tc.Handshake(); err != nil {
				return false, fmt.Errorf("tls handshake: %w", err)
			}
			c.nc = tc
			c.newBackend(tc)
			sslDone = true
		case *pgproto3.GSSEncRequest:
			if _, err := c.nc.Write([]byte{'N'}); err != nil {
				return false, err
			}
		case *pgproto3.CancelRequest:
			s.cancel(m.ProcessID, m.SecretKey)
			return false, nil
		case *pgproto3.StartupMessage:
			if m.ProtocolVersion != pgproto3.ProtocolVersion30 {
				// Offer 3.0: the client may go on with it.
				c.be.Send(&pgproto3.NegotiateProtocolVersion{NewestMinorProtocol: 0})
			}
			return c.begin(m.Parameters)
		}
	}
}

// begin authenticates the user of a StartupMessage and opens the session.
func (c *conn) begin(params map[string]string) (bool, error) {
	s := c.srv
	c.user = params["user"]
	if c.user == "" {
		c.fatal(sqlerr.New("28000", "no PostgreSQL user name specified in startup packet"))
		return false, nil
	}
	c.db = params["database"]
	if c.db == "" {
		c.db = c.user
	}
	if ok, err := c.authenticate(); !ok || err != nil {
		return false, err
	}
	if int(s.active.Add(1)) > s.cfg.MaxConnections {
		s.active.Add(-1)
		c.fatal(sqlerr.New("53300", "sorry, too many clients already"))
		return false, nil
	}
	c.sess = s.cfg.Engine.NewSession()
	c.sess.SetIdentity(c.user, c.db)
	s.register(c)
	c.sess.SetBackendPID(c.pid)
	c.be.Send(&pgproto3.AuthenticationOk{})
	if err := c.applyStartupParams(params); err != nil {
		c.fatal(sqlerr.As(err))
		c.sess.Close()
		s.unregister(c)
		s.active.Add(-1)
		return false, nil
	}
	c.sess.SetClientAddr(c.nc.RemoteAddr())
	c.reportParams(true)
	c.be.Send(&pgproto3.BackendKeyData{ProcessID: c.pid, SecretKey: secretBytes(c.secret)})
	c.be.Send(&pgproto3.ReadyForQuery{TxStatus: 'I'})
	if err := c.be.Flush(); err != nil {
		c.sess.Close()
		s.unregister(c)
		s.active.Add(-1)
		return false, err
	}
	return true, nil
}

func secretBytes(k uint32) []byte {
	return []byte{byte(k >> 24), byte(k >> 16), byte(k >> 8), byte(k)}
}

// applyStartupParams applies the StartupMessage's settings (DateStyle,
// application_name, options=-c name=value...) as SET would.
func (c *conn) applyStartupParams(params map[string]string) error {
	set := func(name, value string) error {
		_, err := c.sess.Exec(c.srv.ctx, "SET "+quoteIdent(strings.ToLower(name))+" TO "+quoteLiteral(value))
		return err
	}
	for name, value := range params {
		switch name {
		case "user", "database", "replication":
			continue
		case "options":
			opts, err := parseOptions(value)
			if err != nil {
				return err
			}
			for _, o := range opts {
				if err := set(o[0], o[1]); err != nil {
					return err
				}
			}
			continue
		}
		if err := set(name, value); err != nil {
			return err
		}
	}
	return nil
}

// parseOptions parses the startup "options" parameter: command-line
// switches, of which "-c name=value" and "--name=value" set settings.
func parseOptions(s string) ([][2]string, error) {
	var out [][2]string
	fields := strings.Fields(s)
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		var kv string
		switch {
		case f == "-c" && i+1 < len(fields):
			i++
			kv = fields[i]
		case strings.HasPrefix(f, "-c"):
			kv = f[2:]
		case strings.HasPrefix(f, "--"):
			kv = f[2:]
		default:
			return nil, sqlerr.New(sqlerr.ProtocolViolation, "invalid command-line argument for server process: %s", f)
		}
		name, value, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, sqlerr.New(sqlerr.SyntaxError, "-c %s requires a value", kv)
		}
		out = append(out, [2]string{strings.ReplaceAll(name, "-", "_"), value})
	}
	return out, nil
}

// reportParams sends ParameterStatus for the reported settings that
// changed since the last report (all of them when all is set).
func (c *conn) reportParams(all bool) {
	for _, p := range reportedParams {
		v, ok := c.sess.Setting(p.name)
		switch p.name {
		case "in_hot_standby":
			v, ok = "off", true
		case "session_authorization":
			v, ok = c.user, true
		}
		if !ok {
			continue
		}
		if old, sent := c.reported[p.name]; sent && old == v && !all {
			continue
		}
		c.reported[p.name] = v
		c.be.Send(&pgproto3.ParameterStatus{Name: p.display, Value: v})
	}
}

// fatal sends a FATAL error and flushes; the caller then closes.
func (c *conn) fatal(e *sqlerr.Error) {
	msg := errorResponse(e, "FATAL")
	c.be.Send(msg)
	c.be.Flush()
}

// loop reads and answers messages until Terminate or an I/O error.
func (c *conn) loop() error {
	for {
		if err := c.armIdleTimeout(); err != nil {
			return err
		}
		msg, err := c.be.Receive()
		if err != nil {
			var tooBig *pgproto3.ExceededMaxBodyLenErr
			// A LISTEN delivery may be writing (notify.go): the last
			// words go out under the write lock too.
			c.wmu.Lock()
			defer c.wmu.Unlock()
			switch {
			case errors.As(err, &tooBig):
				c.fatal(sqlerr.New(sqlerr.ProtocolViolation, "invalid message length %d (the limit is %d bytes)", tooBig.ActualBodyLen, tooBig.MaxExpectedBodyLen))
			case isTimeout(err) && c.srv.ctx.Err() == nil && c.idleInTx:
				c.fatal(sqlerr.New("25P03", "terminating connection due to idle-in-transaction timeout"))
			case isTimeout(err) && c.srv.ctx.Err() == nil:
				c.fatal(sqlerr.New("57P05", "terminating connection due to idle-session timeout"))
			case c.srv.ctx.Err() != nil:
				c.fatal(sqlerr.New("57P01", "terminating connection due to administrator command"))
			case !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, net.ErrClosed):
				c.fatal(sqlerr.New(sqlerr.ProtocolViolation, "%s", err.Error()))
			}
			return err
		}
		if c.hasDeadline {
			c.hasDeadline = false
			c.nc.SetReadDeadline(time.Time{})
		}
		c.wmu.Lock()
		c.busy = true
		done, err := c.handle(msg)
		c.idleState = c.sess.TxStatus()
		if err == nil && !done && c.idleState == 'I' && c.listener != nil {
			c.sendNotifications()
			err = c.be.Flush()
		}
		c.busy = false
		c.wmu.Unlock()
		if err != nil || done {
			return err
		}
	}
}

// armIdleTimeout sets a read deadline while the session waits for the
// client: idle_session_timeout (or Config.IdleSessionTimeout) outside a
// transaction, idle_in_transaction_session_timeout inside one. It records
// which applies, for the error sent when it fires.
func (c *conn) armIdleTimeout() error {
	c.idleInTx = c.sess.TxStatus() != 'I'
	name, d := "idle_session_timeout", c.srv.cfg.IdleSessionTimeout
	if c.idleInTx {
		name, d = "idle_in_transaction_session_timeout", 0
	}
	if v, ok := c.sess.Setting(name); ok {
		if sd, ok := parseMillis(v); ok && (sd > 0 || c.idleInTx) {
			d = sd
		}
	}
	if d <= 0 {
		if !c.hasDeadline {
			return nil
		}
		c.hasDeadline = false
		return c.nc.SetReadDeadline(time.Time{})
	}
	c.hasDeadline = true
	return c.nc.SetReadDeadline(time.Now().Add(d))
}

// parseMillis reads a duration setting: a number of milliseconds, or a
// number with a unit (ms, s, min, h).
func parseMillis(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	units := []struct {
		suffix string
		d      time.Duration
	}{{"ms", time.Millisecond}, {"min", time.Minute}, {"s", time.Second}, {"h", time.Hour}, {"d", 24 * time.Hour}}
	mult := time.Millisecond
	for _, u := range units {
		if strings.HasSuffix(v, u.suffix) {
			v, mult = strings.TrimSpace(strings.TrimSuffix(v, u.suffix)), u.d
			break
		}
	}
	var n int64
	if _, err := fmt.Sscanf(v, "%d", &n); err != nil || n < 0 {
		return 0, false
	}
	return time.Duration(n) * mult, true
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// handle answers one message; done means the client said Terminate.
func (c *conn) handle(msg pgproto3.FrontendMessage) (done bool, err error) {
	if c.skipToSync {
		switch msg.(type) {
		case *pgproto3.Sync:
			c.skipToSync = false
		case *pgproto3.Terminate:
			return true, nil
		default:
			return false, nil
		}
	}
	switch m := msg.(type) {
	case *pgproto3.Query:
		c.simpleQuery(m.String)
	case *pgproto3.Parse:
		c.parse(m)
	case *pgproto3.Bind:
		c.bind(m)
	case *pgproto3.Describe:
		c.describe(m)
	case *pgproto3.Execute:
		c.execute(m)
	case *pgproto3.Close:
		c.closeObject(m)
	case *pgproto3.Sync:
		c.sync()
	case *pgproto3.Flush:
		return false, c.be.Flush()
	case *pgproto3.Terminate:
		return true, nil
	case *pgproto3.CopyData, *pgproto3.CopyDone, *pgproto3.CopyFail:
		// Outside COPY these are ignored, as PostgreSQL does (a client
		// may still be sending data after an error ended its COPY).
		return false, nil
	case *pgproto3.FunctionCall:
		c.sendError(sqlerr.New(sqlerr.FeatureNotSupported, "the fastpath function call interface is not supported"))
		c.ready()
	default:
		c.fatal(sqlerr.New(sqlerr.ProtocolViolation, "invalid frontend message type %T", msg))
		return true, nil
	}
	return false, c.flushIfIdle(msg)
}

// flushIfIdle flushes after messages that end a round trip: a simple
// query and Sync. Extended-protocol messages before Sync stay buffered,
// which is what lets pipelined batches go out in one write.
func (c *conn) flushIfIdle(msg pgproto3.FrontendMessage) error {
	switch msg.(type) {
	case *pgproto3.Query, *pgproto3.Sync, *pgproto3.FunctionCall:
		return c.be.Flush()
	}
	return nil
}

// statementContext returns the context of one statement: canceled by a
// CancelRequest or by the server closing.
func (c *conn) statementContext() (context.Context, func()) {
	ctx, cancel := context.WithCancel(c.srv.ctx)
	c.mu.Lock()
	c.running = cancel
	c.mu.Unlock()
	return ctx, func() {
		c.mu.Lock()
		c.running = nil
		c.mu.Unlock()
		cancel()
	}
}

// cancelRunning cancels the statement running now, if any.
func (c *conn) cancelRunning() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running != nil {
		c.running()
	}
}

// ready sends ReadyForQuery with the session's transaction status.
func (c *conn) ready() {
	c.be.Send(&pgproto3.ReadyForQuery{TxStatus: c.sess.TxStatus()})
}

// sendError sends an ErrorResponse for err.
func (c *conn) sendError(err error) {
	c.be.Send(errorResponse(sqlerr.As(err), ""))
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// quoteLiteral quotes an SQL string literal.
func quoteLiteral(s string) string { return `'` + strings.ReplaceAll(s, `'`, `''`) + `'` }
