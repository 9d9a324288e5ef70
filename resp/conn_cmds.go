package resp

import (
	"bytes"
	"fmt"
	"math"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/aspen-db/aspen/layers/strkv"
)

// Connection commands: PING, ECHO, SELECT, QUIT, RESET, CLIENT; the client
// registry that CLIENT LIST and CLIENT KILL read; the per-client state of
// the connection commands (auth, last command, monitor). AUTH and HELLO
// are in hello.go, MONITOR in monitor.go.

// serverExt is the Server's state for the connection and server commands.
// Its zero value is usable (a Server built without NewServer, as EXEC's
// apply-time replay builds one, must not panic), but NewServer calls init
// to set the settings' defaults.
type serverExt struct {
	started time.Time
	cfg     settings // CONFIG GET/SET (config.go)

	mu      sync.Mutex
	clients map[int64]*client // live connections by id

	monitors monitorSet // MONITOR clients (monitor.go)
	ps       psServer   // pub/sub hub (pubsub.go)

	// Counters for INFO (info.go); expired and evicted keys are the cache
	// layer's (cache.go).
	totalConns    atomic.Int64
	rejectedConns atomic.Int64
	// Counter values at the last CONFIG RESETSTAT, subtracted by INFO.
	statsReset, hitsReset, missesReset, expiredReset, evictedReset atomic.Int64

	// trackAccess: the maxmemory policy ranks keys by access (LRU, LFU),
	// so commands record their keys' accesses (cache.go).
	trackAccess atomic.Bool
}

func (e *serverExt) init() {
	e.started = time.Now()
	e.cfg.init()
}

// clientExt is a connection's state for the connection commands. The
// fields above mu belong to the connection's own goroutine; pub is the
// copy other connections read (CLIENT LIST), refreshed after each batch.
type clientExt struct {
	created  time.Time
	laddr    string
	fd       int
	authed   bool     // AUTH passed, or no password when connected
	lastCmd  *command // last command looked up (nil: unknown or none)
	lastSub  string   // its subcommand, lower case, for container commands
	lastTime time.Time
	noEvict  bool

	out     atomic.Pointer[outbox] // out-of-band writer, once started (monitor.go)
	monitor atomic.Bool            // in MONITOR mode
	pubsub  atomic.Bool            // has subscriptions: a pubsub client (pubsub.go)

	mu  sync.Mutex
	pub clientSnapshot
}

// clientSnapshot is what CLIENT LIST shows of a connection.
type clientSnapshot struct {
	name     string
	db       int
	resp     int
	cmd      string
	lastTime time.Time
	multi    int // queued commands, -1 outside MULTI
	flags    string
	noEvict  bool
	// Subscriptions: channels, patterns, shard channels.
	sub, psub, ssub int
}

// registerClient enters a new connection in the registry.
func (s *Server) registerClient(c *client) {
	now := time.Now()
	c.ext.created, c.ext.lastTime = now, now
	c.ext.authed = s.ext.cfg.requirePass() == ""
	c.ext.fd = -1
	if nc := c.conn.NetConn(); nc != nil {
		if a := nc.LocalAddr(); a != nil {
			c.ext.laddr = a.String()
		}
		c.ext.fd = connFD(nc)
		if fc, ok := nc.(*frameConn); ok {
			fc.owner.Store(c)
		}
	}
	c.publish()
	s.ext.totalConns.Add(1)
	s.ext.mu.Lock()
	if s.ext.clients == nil {
		s.ext.clients = make(map[int64]*client)
	}
	s.ext.clients[c.id] = c
	s.ext.mu.Unlock()
}

// unregisterClient removes a closed connection from the registry, the
// monitors and its subscriptions, and stops its out-of-band writer.
func (s *Server) unregisterClient(c *client) {
	s.ext.mu.Lock()
	delete(s.ext.clients, c.id)
	s.ext.mu.Unlock()
	s.ext.monitors.remove(c)
	c.dropSubscriptions()
	if ob := c.ext.out.Load(); ob != nil {
		ob.stop()
	}
}

// connFD returns the file descriptor under nc, or -1.
func connFD(nc net.Conn) int {
	if fc, ok := nc.(*frameConn); ok {
		nc = fc.Conn
	}
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return -1
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return -1
	}
	fd := -1
	rc.Control(func(u uintptr) { fd = int(u) })
	return fd
}

// containerCommands are the commands whose first argument names a
// subcommand, as CLIENT LIST's cmd field shows it (client|list).
var containerCommands = map[string]bool{"client": true, "command": true, "config": true, "pubsub": true}

// noteCommand records the command a connection is running for CLIENT
// LIST's cmd and idle fields. plan calls it for every command.
func (c *client) noteCommand(cmd *command, args [][]byte) {
	c.ext.lastTime = time.Now()
	c.ext.lastCmd, c.ext.lastSub = cmd, ""
	if cmd != nil && containerCommands[cmd.name] && len(args) > 1 && len(args[1]) <= maxNameLen {
		c.ext.lastSub = strings.ToLower(string(args[1]))
	}
}

// lastCmdName is the cmd field of CLIENT LIST.
func (c *client) lastCmdName() string {
	switch {
	case c.ext.lastCmd == nil:
		return "NULL"
	case c.ext.lastSub != "":
		return c.ext.lastCmd.name + "|" + c.ext.lastSub
	default:
		return c.ext.lastCmd.name
	}
}

// snapshot returns the connection's CLIENT LIST fields; only its own
// goroutine may call it.
func (c *client) snapshot() clientSnapshot {
	s := clientSnapshot{
		name: c.name, db: c.db, resp: 2, cmd: c.lastCmdName(),
		lastTime: c.ext.lastTime, multi: -1, noEvict: c.ext.noEvict,
	}
	if c.w.resp3 {
		s.resp = 3
	}
	var flags []byte
	if c.ext.monitor.Load() {
		flags = append(flags, 'O')
	}
	if c.subscribed() {
		flags = append(flags, 'P')
	}
	if sb := c.sub; sb != nil {
		s.sub, s.psub, s.ssub = len(sb.channels), len(sb.patterns), len(sb.shards)
	}
	if c.multi.active {
		flags = append(flags, 'x')
		s.multi = len(c.multi.queue)
	}
	if c.ext.noEvict {
		flags = append(flags, 'e')
	}
	if len(flags) == 0 {
		flags = append(flags, 'N')
	}
	s.flags = string(flags)
	return s
}

// publish refreshes the copy of the connection's fields that other
// connections read; the connection calls it after each batch.
func (c *client) publish() {
	s := c.snapshot()
	c.ext.mu.Lock()
	c.ext.pub = s
	c.ext.mu.Unlock()
}

// infoLine formats one CLIENT LIST line (without the newline) of c, seen
// by the connection viewer.
func (viewer *client) infoLine(c *client, now time.Time) string {
	var s clientSnapshot
	if c == viewer {
		s = c.snapshot()
	} else {
		c.ext.mu.Lock()
		s = c.ext.pub
		c.ext.mu.Unlock()
	}
	addr := c.conn.RemoteAddr()
	return fmt.Sprintf("id=%d addr=%s laddr=%s fd=%d name=%s age=%d idle=%d flags=%s db=%d sub=%d psub=%d ssub=%d multi=%d qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=%s user=default redir=-1 resp=%d",
		c.id, addr, c.ext.laddr, c.ext.fd, s.name,
		int64(now.Sub(c.ext.created)/time.Second), int64(now.Sub(s.lastTime)/time.Second),
		s.flags, s.db, s.sub, s.psub, s.ssub, s.multi, s.cmd, s.resp)
}

// liveClients returns the registered connections in id order.
func (s *Server) liveClients() []*client {
	s.ext.mu.Lock()
	all := make([]*client, 0, len(s.ext.clients))
	for _, c := range s.ext.clients {
		all = append(all, c)
	}
	s.ext.mu.Unlock()
	slices.SortFunc(all, func(a, b *client) int { return int(a.id - b.id) })
	return all
}

// clientByID returns the live connection with id.
func (s *Server) clientByID(id int64) *client {
	s.ext.mu.Lock()
	defer s.ext.mu.Unlock()
	return s.ext.clients[id]
}

// kill closes c's connection from any goroutine: closing the net.Conn
// makes its reader fail, and redcon then cleans up (onClosed).
func (c *client) kill() {
	if nc := c.conn.NetConn(); nc != nil {
		nc.Close()
	}
}

// Client types, as CLIENT LIST TYPE and CLIENT KILL TYPE name them.
const (
	clientNormal = iota
	clientReplica
	clientPubSub
	clientMaster
)

func clientTypeByName(name []byte) (int, bool) {
	switch strings.ToLower(string(name)) {
	case "normal":
		return clientNormal, true
	case "slave", "replica":
		return clientReplica, true
	case "pubsub":
		return clientPubSub, true
	case "master":
		return clientMaster, true
	}
	return 0, false
}

// clientType is a connection's type: pubsub while it has subscriptions,
// normal otherwise (monitors count as normal, as in Redis); Aspen has no
// replica or master connections. Any goroutine may call it.
func (c *client) clientType() int {
	if c.ext.pubsub.Load() {
		return clientPubSub
	}
	return clientNormal
}

func cmdPing(c *client, args [][]byte) action {
	if c.inRESP2PubSub() && len(args) <= 2 {
		// A RESP2 subscriber gets a message-shaped reply.
		var msg []byte
		if len(args) == 2 {
			msg = args[1]
		}
		return replyAction(func(w *writer) {
			w.WriteArray(2)
			w.WriteBulkString("pong")
			w.WriteBulk(msg)
		})
	}
	switch len(args) {
	case 1:
		return replyAction(func(w *writer) { w.WriteString("PONG") })
	case 2:
		msg := args[1]
		return replyAction(func(w *writer) { w.WriteBulk(msg) })
	default:
		return errAction(arityMsg("ping"))
	}
}

func cmdEcho(c *client, args [][]byte) action {
	msg := args[1]
	return replyAction(func(w *writer) { w.WriteBulk(msg) })
}

// cmdSelect switches the connection's database. It takes effect for the
// commands planned after it, which is exactly the commands sent after it.
func cmdSelect(c *client, args [][]byte) action {
	id, ok := strkv.ParseInt(args[1])
	switch {
	case !ok:
		return errAction(msgNotInteger)
	case id < math.MinInt32 || id > math.MaxInt32:
		return errAction(fmt.Sprintf("ERR value is out of range, value must between %d and %d", math.MinInt32, math.MaxInt32))
	case id < 0 || id >= strkv.NumDBs:
		return errAction(msgDBRange)
	}
	c.db = int(id)
	return okAction()
}

func cmdQuit(c *client, args [][]byte) action {
	c.quit = true
	return okAction()
}

// cmdReset serves RESET: the connection returns to the state of a new
// one (no MULTI or WATCH, no MONITOR, no subscriptions, database 0, RESP2,
// no name, authenticated only if no password is required) and replies
// +RESET.
func cmdReset(c *client, args [][]byte) action {
	if c.inExec || c.conn == nil {
		return errAction(msgNotInExec)
	}
	c.resetTransaction()
	c.db = 0
	c.name = ""
	c.ext.noEvict = false
	c.ext.authed = c.s.ext.cfg.requirePass() == ""
	if c.ext.monitor.Load() {
		c.s.ext.monitors.remove(c)
		c.ext.monitor.Store(false)
	}
	c.dropSubscriptions()
	return replyAction(func(w *writer) {
		w.resp3 = false
		w.WriteString("RESET")
	})
}

// clientSubArity is the arity of each CLIENT subcommand Aspen serves.
var clientSubArity = map[string]int{
	"id": 2, "getname": 2, "setname": 3, "setinfo": 4,
	"list": -2, "info": 2, "kill": -3, "no-evict": 3,
}

// cmdClient serves the CLIENT subcommands.
func cmdClient(c *client, args [][]byte) action {
	sub := strings.ToLower(string(args[1]))
	arity := clientSubArity[sub]
	switch {
	case arity == 0:
		return errAction(unknownSubcommandMsg(args))
	case !arityOK(arity, len(args)):
		return errAction(arityMsg("client|" + sub))
	}
	switch sub {
	case "id":
		id := c.id
		return replyAction(func(w *writer) { w.WriteInt64(id) })
	case "getname":
		name := c.name
		return replyAction(func(w *writer) {
			if name == "" {
				w.WriteNull()
			} else {
				w.WriteBulkString(name)
			}
		})
	case "setname":
		if !validClientName(args[2]) {
			return errAction("ERR Client names cannot contain spaces, newlines or special characters.")
		}
		c.name = string(args[2])
		return okAction()
	case "setinfo":
		attr := strings.ToLower(string(args[2]))
		if attr != "lib-name" && attr != "lib-ver" {
			return errAction(fmt.Sprintf("ERR Unrecognized option '%s'", cString(args[2], 128)))
		}
		if !validClientName(args[3]) {
			return errAction(fmt.Sprintf("ERR %s cannot contain spaces, newlines or special characters.", attr))
		}
		return okAction()
	case "no-evict":
		switch {
		case bytes.EqualFold(args[2], []byte("on")):
			c.ext.noEvict = true
		case bytes.EqualFold(args[2], []byte("off")):
			c.ext.noEvict = false
		default:
			return errAction(msgSyntax)
		}
		return okAction()
	}
	if c.inExec || c.conn == nil {
		return errAction(msgNotInExec)
	}
	switch sub {
	case "list":
		return clientList(c, args)
	case "info":
		return replyAction(func(w *writer) {
			w.WriteVerbatim("txt", []byte(c.infoLine(c, time.Now())+"\n"))
		})
	default: // kill
		return clientKill(c, args)
	}
}

// clientList serves CLIENT LIST [TYPE type | ID id...].
func clientList(c *client, args [][]byte) action {
	typ := -1
	var ids []int64
	switch {
	case len(args) == 4 && bytes.EqualFold(args[2], []byte("type")):
		t, ok := clientTypeByName(args[3])
		if !ok {
			return errAction(fmt.Sprintf("ERR Unknown client type '%s'", cString(args[3], 128)))
		}
		typ = t
	case len(args) > 3 && bytes.EqualFold(args[2], []byte("id")):
		for _, a := range args[3:] {
			id, ok := strkv.ParseInt(a)
			if !ok {
				return errAction("ERR Invalid client ID")
			}
			ids = append(ids, id)
		}
	case len(args) != 2:
		return errAction(msgSyntax)
	}
	return replyAction(func(w *writer) {
		now := time.Now()
		var b strings.Builder
		if ids != nil {
			for _, id := range ids {
				if cl := c.s.clientByID(id); cl != nil {
					b.WriteString(c.infoLine(cl, now))
					b.WriteByte('\n')
				}
			}
		} else {
			for _, cl := range c.s.liveClients() {
				if typ >= 0 && cl.clientType() != typ {
					continue
				}
				b.WriteString(c.infoLine(cl, now))
				b.WriteByte('\n')
			}
		}
		w.WriteVerbatim("txt", []byte(b.String()))
	})
}

// clientKill serves CLIENT KILL addr (the old form) and CLIENT KILL
// filter value... (the new form, with ID, TYPE, ADDR, LADDR, USER and
// SKIPME filters).
func clientKill(c *client, args [][]byte) action {
	if len(args) == 3 {
		addr := string(args[2])
		if c.conn.RemoteAddr() == addr {
			// Killing oneself: the reply, then the hang-up, and nothing
			// sent after it runs (decided now, before it is planned).
			c.quit = true
			return okAction()
		}
		return replyAction(func(w *writer) {
			for _, cl := range c.s.liveClients() {
				if cl.conn.RemoteAddr() == addr {
					w.WriteString("OK")
					cl.kill()
					return
				}
			}
			w.WriteError("ERR No such client")
		})
	}
	var (
		id          int64
		typ         = -1
		addr, laddr string
		haveAddr    bool
		haveLaddr   bool
		skipme      = true
	)
	for i := 2; i < len(args); i += 2 {
		if i+1 >= len(args) {
			return errAction(msgSyntax)
		}
		opt, val := strings.ToLower(string(args[i])), args[i+1]
		switch opt {
		case "id":
			n, ok := strkv.ParseInt(val)
			if !ok || n < 1 {
				return errAction("ERR client-id should be greater than 0")
			}
			id = n
		case "type":
			t, ok := clientTypeByName(val)
			if !ok {
				return errAction(fmt.Sprintf("ERR Unknown client type '%s'", cString(val, 128)))
			}
			typ = t
		case "addr":
			addr, haveAddr = string(val), true
		case "laddr":
			laddr, haveLaddr = string(val), true
		case "user":
			if string(val) != "default" {
				return errAction(fmt.Sprintf("ERR No such user '%s'", cString(val, 128)))
			}
		case "skipme":
			switch {
			case bytes.EqualFold(val, []byte("yes")):
				skipme = true
			case bytes.EqualFold(val, []byte("no")):
				skipme = false
			default:
				return errAction(msgSyntax)
			}
		default:
			return errAction(msgSyntax)
		}
	}
	match := func(cl *client) bool {
		return (id == 0 || cl.id == id) &&
			(typ < 0 || cl.clientType() == typ) &&
			(!haveAddr || cl.conn.RemoteAddr() == addr) &&
			(!haveLaddr || cl.ext.laddr == laddr)
	}
	// Whether the connection kills itself is decided now, so that nothing
	// sent after this command runs, as Redis closes after the reply.
	self := !skipme && match(c)
	if self {
		c.quit = true
	}
	return replyAction(func(w *writer) {
		killed := 0
		if self {
			killed++
		}
		for _, cl := range c.s.liveClients() {
			if cl != c && match(cl) {
				killed++
				cl.kill()
			}
		}
		w.WriteInt(killed)
	})
}

// validClientName reports whether name has only printable ASCII other than
// space, as Redis requires.
func validClientName(name []byte) bool {
	for _, b := range name {
		if b < '!' || b > '~' {
			return false
		}
	}
	return true
}

// formatUnix formats t as Redis's TIME and MONITOR do: seconds and
// microseconds.
func formatUnix(t time.Time) (sec, usec string) {
	us := t.UnixMicro()
	return strconv.FormatInt(us/1e6, 10), strconv.FormatInt(us%1e6, 10)
}

// connectionCommands lists this file's commands for the command table.
func connectionCommands() []*command {
	return []*command{
		{name: "auth", arity: -2, flags: []string{flagNoScript, flagLoading, flagStale, flagFast, flagNoAuth, flagAllowBusy}, group: "connection", run: cmdAuth},
		{name: "client", arity: -2, flags: []string{flagNoScript, flagLoading, flagStale}, group: "connection", run: cmdClient},
		{name: "echo", arity: 2, flags: []string{flagFast}, group: "connection", run: cmdEcho},
		{name: "hello", arity: -1, flags: []string{flagNoScript, flagLoading, flagStale, flagFast, flagNoAuth, flagAllowBusy}, group: "connection", run: cmdHello},
		{name: "ping", arity: -1, flags: []string{flagFast}, group: "connection", run: cmdPing},
		{name: "quit", arity: -1, flags: []string{flagNoScript, flagLoading, flagStale, flagFast, flagNoAuth, flagAllowBusy}, group: "connection", run: cmdQuit},
		{name: "reset", arity: 1, flags: []string{flagNoScript, flagLoading, flagStale, flagFast, flagNoAuth, flagAllowBusy}, group: "connection", run: cmdReset},
		{name: "select", arity: 2, flags: []string{flagLoading, flagStale, flagFast}, group: "connection", run: cmdSelect},
	}
}
