package pgwire

// LISTEN/NOTIFY: a session's subscriptions in the node's pub/sub hub, and
// NotificationResponse delivery while the session is between transactions.

import (
	"sync"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/aspen-db/aspen/layers/pubsub"
	"github.com/aspen-db/aspen/planner"
	"github.com/aspen-db/aspen/planner/sqlerr"
)

// maxPendingNotifications bounds the notifications waiting for a session
// that does not read them; past it the session is ended (a listener that
// cannot keep up must not make the node hold messages without bound).
const maxPendingNotifications = 10000

// listener receives the notifications of a session's channels from the
// hub (on the hub's goroutine) and queues them for the session.
type listener struct {
	c *conn

	mu       sync.Mutex
	queue    []*pgproto3.NotificationResponse
	overflow bool
	wake     chan struct{}
}

// Receive implements pubsub.Receiver.
func (l *listener) Receive(msg *pubsub.Message, _ []byte) {
	pid, payload, ok := planner.DecodeNotification(msg.Payload)
	if !ok {
		return
	}
	l.mu.Lock()
	if len(l.queue) >= maxPendingNotifications {
		l.overflow = true
	} else {
		l.queue = append(l.queue, &pgproto3.NotificationResponse{PID: pid, Channel: string(msg.Channel), Payload: payload})
	}
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// take empties the queue.
func (l *listener) take() ([]*pgproto3.NotificationResponse, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	q, over := l.queue, l.overflow
	l.queue = nil
	return q, over
}

// listen applies a LISTEN or UNLISTEN to the session's subscriptions.
func (c *conn) listen(req *planner.ListenRequest) error {
	hub := c.srv.cfg.PubSub
	if hub == nil {
		if req.Unlisten {
			return nil
		}
		return sqlerr.Unsupported("LISTEN needs the pub/sub hub, which this server was started without")
	}
	if c.listener == nil {
		if req.Unlisten {
			return nil
		}
		c.listener = &listener{c: c, wake: make(chan struct{}, 1)}
		c.listening = map[string]bool{}
		go c.deliverLoop()
	}
	switch {
	case req.All:
		chans := make([][]byte, 0, len(c.listening))
		for ch := range c.listening {
			chans = append(chans, []byte(ch))
		}
		hub.Unsubscribe(c.listener, pubsub.Postgres, chans...)
		clear(c.listening)
	case req.Unlisten:
		hub.Unsubscribe(c.listener, pubsub.Postgres, []byte(req.Channel))
		delete(c.listening, req.Channel)
	case !c.listening[req.Channel]:
		hub.Subscribe(c.listener, pubsub.Postgres, []byte(req.Channel))
		c.listening[req.Channel] = true
	}
	return nil
}

// stopListening drops the session's subscriptions when it ends.
func (c *conn) stopListening() {
	if c.listener == nil {
		return
	}
	if hub := c.srv.cfg.PubSub; hub != nil && len(c.listening) > 0 {
		chans := make([][]byte, 0, len(c.listening))
		for ch := range c.listening {
			chans = append(chans, []byte(ch))
		}
		hub.Unsubscribe(c.listener, pubsub.Postgres, chans...)
	}
	close(c.listenDone)
}

// deliverLoop sends queued notifications whenever the session is idle
// outside a transaction block, as PostgreSQL delivers them: never inside
// a transaction, never in the middle of another message's answer.
func (c *conn) deliverLoop() {
	for {
		select {
		case <-c.listener.wake:
		case <-c.listenDone:
			return
		}
		c.wmu.Lock()
		if !c.busy && c.idleState == 'I' {
			c.sendNotifications()
			c.be.Flush()
		}
		c.wmu.Unlock()
	}
}

// sendNotifications queues the pending notifications on the backend; the
// caller holds wmu and flushes. A session that let too many pile up is
// ended.
func (c *conn) sendNotifications() {
	if c.listener == nil {
		return
	}
	q, over := c.listener.take()
	for _, n := range q {
		c.be.Send(n)
	}
	if over {
		c.fatal(sqlerr.New(sqlerr.ProgramLimitExceeded, "too many notifications pending for this session (%d); it does not read them fast enough", maxPendingNotifications))
		c.nc.Close()
	}
}
