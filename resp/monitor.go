package resp

import (
	"bytes"
	"context"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// MONITOR, and the out-of-band queue it writes through.
//
// redcon writes a connection's replies from the connection's own
// goroutine, after each batch of commands; nothing else may use its
// writer. A connection that must receive messages other connections cause
// (a monitor's feed; pub/sub messages later) switches to an outbox: a
// bounded FIFO of byte slices that one goroutine of its own writes to the
// socket. From then on the connection's own replies go through the outbox
// too (deliver), so replies and out-of-band messages reach the client in
// the order they were queued. A client that does not read its messages
// fills the outbox; past its output buffer limits (client-output-buffer-
// limit of its class: pubsub while it has subscriptions, normal otherwise)
// it is disconnected, as Redis disconnects a client over its output buffer
// limit.

// outboxLimit bounds the bytes queued for a connection whose class has no
// limit configured (a monitor, under Redis's default "normal 0 0 0").
const outboxLimit = 32 << 20

// outbox is a connection's out-of-band writer.
type outbox struct {
	nc net.Conn
	// limits returns the limits in force, read at each push (they follow
	// CONFIG SET and the client's class).
	limits func() obufLimit

	mu        sync.Mutex
	queue     [][]byte
	spare     [][]byte // the writer's last written queue, emptied, for reuse
	size      int      // bytes queued
	inflight  int      // bytes taken by the writer and not written yet
	softSince int64    // Unix second the soft limit was first passed; 0: not passed
	stopped   bool
	wake      chan struct{} // cap 1: something was queued or stop was called
	idle      *sync.Cond    // signalled when the queue empties
	writing   bool
	done      chan struct{} // closed when the writer goroutine ends
}

// newOutbox starts an outbox writing to nc, within limits.
func newOutbox(nc net.Conn, limits func() obufLimit) *outbox {
	if fc, ok := nc.(*frameConn); ok {
		// Write to the socket itself: frameConn only filters reads, and
		// the TCP connection writes a queue of many small messages with
		// one writev instead of one write each.
		nc = fc.Conn
	}
	o := &outbox{nc: nc, limits: limits, wake: make(chan struct{}, 1), done: make(chan struct{})}
	o.idle = sync.NewCond(&o.mu)
	go o.run()
	return o
}

// push queues b, which the outbox then owns (b may be shared with other
// outboxes: nothing modifies it). It reports false, and closes the
// connection, when the outbox passes its limits; after stop it drops b.
func (o *outbox) push(b []byte) bool {
	if !o.add(b) {
		return false
	}
	o.signal()
	return true
}

// add queues bs as push does, without waking the writer: a caller queuing
// a run of messages wakes it once, at the end (signal).
func (o *outbox) add(bs ...[]byte) bool {
	n := 0
	for _, b := range bs {
		n += len(b)
	}
	if n == 0 {
		return true
	}
	o.mu.Lock()
	if o.stopped {
		o.mu.Unlock()
		return false
	}
	if o.overLimit(o.size + o.inflight + n) {
		o.stopped = true
		o.mu.Unlock()
		o.nc.Close() // the reader fails and the connection is cleaned up
		o.signal()
		return false
	}
	for _, b := range bs {
		if len(b) > 0 {
			o.queue = append(o.queue, b)
		}
	}
	o.size += n
	o.mu.Unlock()
	return true
}

// overLimit reports whether holding used bytes breaks the limits, as
// Redis checks a client's output buffer after each reply it adds: at or
// past the hard limit at once; at or past the soft limit when it has been
// so for more than the soft limit's seconds. o.mu is held.
func (o *outbox) overLimit(used int) bool {
	l := o.limits()
	u := uint64(used)
	if l.hard > 0 && u >= l.hard {
		return true
	}
	if l.soft == 0 || u < l.soft {
		o.softSince = 0
		return false
	}
	now := time.Now().Unix()
	if o.softSince == 0 {
		o.softSince = now
		return false
	}
	return now-o.softSince > l.softSecs
}

func (o *outbox) signal() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// run writes the queue until stop or a write error.
func (o *outbox) run() {
	defer close(o.done)
	var deadlineSet time.Time // when the write deadline was last moved
	for range o.wake {
		o.mu.Lock()
		q := o.queue
		o.inflight += o.size
		// The next queue grows in the array of the last one written, so
		// that a busy subscriber's queue does not regrow from nothing
		// after every write.
		o.queue, o.spare, o.size = o.spare, nil, 0
		stopped := o.stopped
		o.writing = len(q) > 0
		o.mu.Unlock()
		if len(q) > 0 {
			bufs := net.Buffers(q)
			if now := time.Now(); now.After(deadlineSet.Add(outboxDeadlineSlack)) {
				// Moved forward at most once per outboxDeadlineSlack:
				// every write still gets between the timeout less the
				// slack and the timeout.
				deadlineSet = now
				o.nc.SetWriteDeadline(now.Add(outboxWriteTimeout))
			}
			_, err := bufs.WriteTo(o.nc)
			clear(q) // the written messages are not kept alive by the spare
			o.mu.Lock()
			if cap(q) <= maxSpareQueue {
				o.spare = q[:0]
			}
			o.writing = false
			o.inflight = 0
			if err != nil {
				o.stopped = true
			}
			o.idle.Broadcast()
			stopped = o.stopped
			o.mu.Unlock()
			if err != nil {
				o.nc.Close()
			}
		} else {
			o.mu.Lock()
			o.idle.Broadcast()
			o.mu.Unlock()
		}
		if stopped {
			o.mu.Lock()
			empty := len(o.queue) == 0
			o.mu.Unlock()
			if empty {
				return
			}
		}
	}
}

// outboxWriteTimeout bounds one write to a client that does not read.
const outboxWriteTimeout = 30 * time.Second

// outboxDeadlineSlack is how stale the write deadline may get before the
// writer moves it: moving it costs a timer update, once per write
// otherwise.
const outboxDeadlineSlack = time.Second

// maxSpareQueue bounds the queue array an outbox keeps for reuse.
const maxSpareQueue = 4096

// drain waits until everything queued is written, or timeout.
func (o *outbox) drain(timeout time.Duration) {
	deadline := time.AfterFunc(timeout, func() {
		o.mu.Lock()
		o.stopped = true
		o.idle.Broadcast()
		o.mu.Unlock()
	})
	defer deadline.Stop()
	o.mu.Lock()
	for (len(o.queue) > 0 || o.writing) && !o.stopped {
		o.idle.Wait()
	}
	o.mu.Unlock()
}

// stop ends the writer once the queue is written; messages pushed later
// are dropped.
func (o *outbox) stop() {
	o.mu.Lock()
	o.stopped = true
	o.mu.Unlock()
	o.signal()
}

// startOutbox switches c to out-of-band writing (once) and returns its
// outbox.
func (c *client) startOutbox() *outbox {
	if ob := c.ext.out.Load(); ob != nil {
		return ob
	}
	ob := newOutbox(c.conn.NetConn(), c.outputLimits())
	c.ext.out.Store(ob)
	return ob
}

// deliver sends a batch's replies: through redcon, or through the outbox
// once the connection has one. The connection's goroutine calls it after
// each batch.
func (c *client) deliver(b []byte) {
	if ob := c.ext.out.Load(); ob != nil {
		ob.push(bytes.Clone(b))
		if c.quit {
			ob.drain(time.Second) // QUIT's +OK before the hang-up
		}
	} else {
		c.conn.WriteRaw(b)
	}
	if c.sub != nil {
		c.noteSubscriptions() // HELLO may have changed the pushes' protocol
	}
	c.publish()
}

// monitorSet is the connections in MONITOR mode.
type monitorSet struct {
	n  atomic.Int32 // len(list), read without the lock on every command
	mu sync.RWMutex
	m  map[*client]struct{}
}

func (ms *monitorSet) add(c *client) {
	ms.mu.Lock()
	if ms.m == nil {
		ms.m = make(map[*client]struct{})
	}
	ms.m[c] = struct{}{}
	ms.n.Store(int32(len(ms.m)))
	ms.mu.Unlock()
}

func (ms *monitorSet) remove(c *client) {
	if ms.n.Load() == 0 {
		return
	}
	ms.mu.Lock()
	delete(ms.m, c)
	ms.n.Store(int32(len(ms.m)))
	ms.mu.Unlock()
}

// monitorSkipped reports whether MONITOR leaves out a command, as Redis
// leaves out its administrative commands.
func monitorSkipped(name string, args [][]byte) bool {
	switch name {
	case "config", "monitor", "debug", "shutdown":
		return true
	case "client", "command":
		// Redis rejects an unknown subcommand before it runs, and its
		// administrative CLIENT subcommands are not shown.
		if len(args) < 2 {
			return true
		}
		sub := strings.ToLower(string(args[1]))
		if name == "command" {
			switch sub {
			case "count", "info", "list", "docs", "getkeys":
				return false
			}
			return true
		}
		switch sub {
		case "kill", "list", "no-evict":
			return true
		}
		return clientSubArity[sub] == 0
	}
	return false
}

// feedMonitors sends a command c runs to every monitor, as Redis's
// MONITOR prints it: "+<unix time with microseconds> [<db> <addr>]"
// followed by the quoted arguments. AUTH's and HELLO AUTH's credentials
// read "(redacted)". plan calls it for every command it runs.
func (s *Server) feedMonitors(c *client, args [][]byte) {
	if s.ext.monitors.n.Load() == 0 {
		return
	}
	cmd := lookup(args[0])
	if cmd == nil || monitorSkipped(cmd.name, args) {
		return
	}
	now := time.Now()
	line := make([]byte, 0, 64)
	line = append(line, '+')
	line = strconv.AppendInt(line, now.Unix(), 10)
	line = append(line, '.')
	us := now.Nanosecond() / 1000
	for d := 100000; d > 1 && us < d; d /= 10 {
		line = append(line, '0')
	}
	line = strconv.AppendInt(line, int64(us), 10)
	line = append(line, " ["...)
	line = strconv.AppendInt(line, int64(c.db), 10)
	line = append(line, ' ')
	line = append(line, c.conn.RemoteAddr()...)
	line = append(line, "] "...)
	redact := redactedArgs(cmd.name, args)
	for i, a := range args {
		if i > 0 {
			line = append(line, ' ')
		}
		if redact(i) {
			a = []byte("(redacted)")
		}
		line = appendRepr(line, a)
	}
	line = append(line, '\r', '\n')
	s.ext.monitors.mu.RLock()
	defer s.ext.monitors.mu.RUnlock()
	for m := range s.ext.monitors.m {
		if m == c && c.quit {
			continue // Redis writes nothing more to a client closing after its reply
		}
		if ob := m.ext.out.Load(); ob != nil {
			ob.push(line) // shared: outboxes never modify what they write
		}
	}
}

// redactedArgs says which arguments MONITOR hides: AUTH's, and the user
// and password after HELLO's AUTH.
func redactedArgs(name string, args [][]byte) func(i int) bool {
	switch name {
	case "auth":
		return func(i int) bool { return i > 0 }
	case "hello":
		hidden := map[int]bool{}
		for j := 2; j < len(args); j++ {
			more := len(args) - 1 - j
			switch {
			case bytes.EqualFold(args[j], []byte("auth")) && more >= 2:
				hidden[j+1], hidden[j+2] = true, true
				j += 2
			case bytes.EqualFold(args[j], []byte("setname")) && more >= 1:
				j++
			default:
				j = len(args)
			}
		}
		return func(i int) bool { return hidden[i] }
	}
	return func(int) bool { return false }
}

// appendRepr appends b quoted as Redis's sdscatrepr quotes it.
func appendRepr(dst, b []byte) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for _, c := range b {
		switch c {
		case '\\', '"':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\a':
			dst = append(dst, '\\', 'a')
		case '\b':
			dst = append(dst, '\\', 'b')
		default:
			if c >= 0x20 && c <= 0x7e {
				dst = append(dst, c)
			} else {
				dst = append(dst, '\\', 'x', hex[c>>4], hex[c&15])
			}
		}
	}
	return append(dst, '"')
}

// cmdMonitor serves MONITOR: the connection receives every command this
// node runs from then on, until it disconnects.
func cmdMonitor(c *client, args [][]byte) action {
	if c.inExec {
		return errAction("ERR MONITOR isn't allowed for DENY BLOCKING client")
	}
	if c.conn == nil {
		return errAction(msgNotInExec)
	}
	if c.ext.monitor.Load() {
		return replyAction(func(*writer) {}) // Redis ignores a second MONITOR
	}
	return execAction(func(_ context.Context, w *writer) {
		if w != &c.w {
			w.WriteError("ERR MONITOR isn't allowed for DENY BLOCKING client")
			return
		}
		ob := c.startOutbox()
		ob.push(bytes.Clone(c.w.take()))
		ob.push([]byte("+OK\r\n"))
		c.ext.monitor.Store(true)
		c.s.ext.monitors.add(c)
	})
}
