package resp

import (
	"context"
	"math"
	"math/big"
	"sync"
	"syscall"
	"time"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/listkv"
	"github.com/aspen-db/aspen/layers/strkv"
)

// Blocking commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, and later
// BZPOPMIN and friends): the wait for a key to receive data, on whatever
// node the data is written.
//
// How a wake-up travels: a mutation that adds data a blocked client may
// want (a list push) emits a layers.Event naming the key. The store
// delivers the events of every commit this node applies, whichever node
// proposed it, to the listeners of this node (layers.Notifier). Each
// Server listens once (started on the first blocking command, stopped by
// Close) and pokes the waiters registered for that key. A poked waiter
// runs its attempt again, as an ordinary write committed through Raft; if
// another client (on this node or another) took the data first, it waits
// again.
//
// Fairness: the waiters of one key on one node are kept in arrival order,
// and an event pokes only the first of them. A waiter that is served, or
// that leaves while holding a poke it did not use, pokes the next one, so
// that data pushed for several waiters reaches them in order. Clients on
// other nodes, and clients running a non-blocking pop, may still take an
// element first: there is no cluster-wide queue.
//
// A waiter registers before its first attempt, so an event applied after
// the attempt's commit was proposed is never missed. The first waiter of a
// key also retries every blockPollInterval, for writes that announce no
// event (a RENAME onto the key, say).

// blockPollInterval is how often the first waiter of a key retries
// without being poked. Tests change it; nothing else does.
var blockPollInterval = time.Second

// blockCheckInterval is how often a waiter checks that its connection is
// still open.
const blockCheckInterval = 200 * time.Millisecond

// maxBlockTimeout is the longest timeout honoured; longer ones wait
// forever, as they would in practice.
const maxBlockTimeout = time.Duration(math.MaxInt64)

// Timeout errors, worded as Redis 7.0 words them.
const (
	msgTimeoutNegative = "ERR timeout is negative"
	msgTimeoutNotFloat = "ERR timeout is not a float or out of range"
)

// parseTimeout parses a blocking command's timeout argument, in seconds
// with decimals, as Redis 7.0 does: the value is rounded up to whole
// milliseconds; 0 means forever. It returns Redis's error reply for a value
// that is not a float or is negative (or too large, which Redis sees as
// negative after overflow). Handlers call it at plan time, where Redis
// checks it.
func parseTimeout(b []byte) (timeout time.Duration, errMsg string) {
	f, ok := strkv.ParseLongDouble(b)
	if !ok {
		return 0, msgTimeoutNotFloat
	}
	if f.IsInf() {
		return 0, msgTimeoutNegative
	}
	x := new(big.Float).SetPrec(f.Prec()).Mul(f, big.NewFloat(1000))
	ms, acc := x.Int(nil)
	if acc == big.Below { // ceil: Int truncates towards zero
		ms.Add(ms, big.NewInt(1))
	}
	if !ms.IsInt64() || ms.Sign() < 0 {
		return 0, msgTimeoutNegative
	}
	n := ms.Int64()
	if n > int64(maxBlockTimeout/time.Millisecond) {
		return 0, ""
	}
	return time.Duration(n) * time.Millisecond, ""
}

// blockingAllowed reports whether a blocking command may block. Inside
// MULTI/EXEC it may not: there the blocking commands act as their
// non-blocking forms and reply with a null when there is nothing to take.
func (c *client) blockingAllowed() bool { return !c.inExec }

// blockAction returns the action of a blocking command of client c that
// waits on keys (in c's current database, captured now, at plan time) for
// up to timeout (0: forever).
//
// try makes one attempt: typically one write through c.s.strs.Run with
// ctx (a fresh command context for each attempt, bounded by the server's
// CommandTimeout; the wait itself is not). It returns done true when the
// command is finished, having written its whole reply to w (the data it
// took, or an error such as WRONGTYPE); false when there was nothing to
// take, in which case anything it wrote to w is discarded. try runs first
// at once, then each time one of keys may have received data, and must be
// safe to run any number of times.
//
// On timeout the reply is a null array (*-1, or _ in RESP3), as Redis
// replies to every blocking command that times out. When the server
// closes, the reply is an error; when the client's connection closes, the
// wait ends without a reply.
//
// Callers check blockingAllowed first: inside MULTI/EXEC they must return
// a non-blocking action instead (typically a writeAction of the same
// mutation), since an exec action cannot run there.
//
// Events: the wait wakes up for events whose topic is registered with
// registerWakeTopic (list pushes are); a layer whose data can unblock a
// command must emit such events from its mutations.
func blockAction(c *client, name string, keys [][]byte, timeout time.Duration, try func(ctx context.Context, w *writer) (done bool)) action {
	db := c.db
	bkeys := make([]blockKey, 0, len(keys))
	seen := make(map[blockKey]bool, len(keys))
	for _, k := range keys {
		bk := blockKey{db: db, key: string(k)}
		if !seen[bk] {
			seen[bk] = true
			bkeys = append(bkeys, bk)
		}
	}
	return execAction(func(_ context.Context, w *writer) {
		c.block(name, bkeys, timeout, try, w)
	})
}

// block runs try until it is done, the timeout passes, the server closes
// or the connection goes.
func (c *client) block(name string, keys []blockKey, timeout time.Duration, try func(ctx context.Context, w *writer) bool, w *writer) {
	s := c.s
	bs := s.blockers()
	wt := bs.register(keys)
	defer bs.unregister(wt)

	var expired <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expired = t.C
	}
	poll := time.NewTicker(blockPollInterval)
	defer poll.Stop()
	check := time.NewTicker(blockCheckInterval)
	defer check.Stop()

	attempt := func() bool {
		tw := *w // the same protocol settings, its own bytes
		tw.b = nil
		ctx, cancel := s.commandContext()
		defer cancel()
		if !try(ctx, &tw) {
			return false
		}
		w.WriteRaw(tw.b)
		return true
	}
	if attempt() {
		wt.served = true
		return
	}
	for {
		select {
		case <-wt.wake:
		case <-poll.C:
			if !bs.isFirst(wt) {
				continue
			}
		case <-check.C:
			if c.connClosed() {
				return
			}
			continue
		case <-expired:
			w.WriteNullArray()
			return
		case <-s.ctx.Done():
			c.replyErr(w, name, context.Canceled)
			return
		}
		if attempt() {
			wt.served = true
			return
		}
	}
}

// blockKey names a key waited on.
type blockKey struct {
	db  int
	key string
}

// blockWaiter is one blocked command.
type blockWaiter struct {
	keys   []blockKey
	wake   chan struct{} // cap 1: poked since the last look
	served bool          // set by its own goroutine before unregister
}

func (wt *blockWaiter) poke() {
	select {
	case wt.wake <- struct{}{}:
	default:
	}
}

// blockState is one Server's registry of blocked commands.
type blockState struct {
	mu      sync.Mutex
	waiters map[blockKey][]*blockWaiter // per key, in arrival order
}

// blockStates maps each Server that has run a blocking command to its
// registry; the entry goes when the server closes.
var blockStates sync.Map // *Server -> *blockState

// blockers returns s's registry, creating it and starting to listen for
// events on first use. Listening stops when the server closes.
func (s *Server) blockers() *blockState {
	if v, ok := blockStates.Load(s); ok {
		return v.(*blockState)
	}
	bs := &blockState{waiters: map[blockKey][]*blockWaiter{}}
	v, loaded := blockStates.LoadOrStore(s, bs)
	if loaded {
		return v.(*blockState)
	}
	var stop func()
	if n, ok := s.strs.KV().(layers.Notifier); ok {
		stop = n.Listen(bs.onEvent)
	}
	go func() {
		<-s.ctx.Done()
		if stop != nil {
			stop()
		}
		blockStates.Delete(s)
	}()
	return bs
}

// wakeTopics maps each event topic that may unblock a command to how its
// events wake waiters. It is filled by init functions (registerWakeTopic)
// and only read afterwards.
var wakeTopics = map[string]wakeTopic{}

// wakeTopic reads the key out of an event's payload; all says whether the
// event wakes every waiter of the key (a stream entry can be read by all
// of them) or only the first (a pushed element is popped by one).
type wakeTopic struct {
	decode func(payload []byte) (db int, key []byte, ok bool)
	all    bool
}

// registerWakeTopic makes events of topic wake the waiters of the key
// decode finds in their payload: the first waiter, or all of them when
// all is set. Call it from an init function.
func registerWakeTopic(topic string, all bool, decode func(payload []byte) (db int, key []byte, ok bool)) {
	wakeTopics[topic] = wakeTopic{decode: decode, all: all}
}

func init() {
	registerWakeTopic(listkv.PushTopic, false, listkv.DecodeKeyEvent)
}

// onEvent is the store listener: it runs on the apply path, so it only
// pokes.
func (bs *blockState) onEvent(ev layers.Event) {
	wt, ok := wakeTopics[ev.Topic]
	if !ok {
		return
	}
	db, key, ok := wt.decode(ev.Payload)
	if !ok {
		return
	}
	bs.mu.Lock()
	ws := bs.waiters[blockKey{db: db, key: string(key)}]
	if !wt.all && len(ws) > 1 {
		ws = ws[:1]
	}
	for _, w := range ws {
		w.poke()
	}
	bs.mu.Unlock()
}

// register queues a waiter on keys (distinct).
func (bs *blockState) register(keys []blockKey) *blockWaiter {
	wt := &blockWaiter{keys: keys, wake: make(chan struct{}, 1)}
	bs.mu.Lock()
	for _, k := range keys {
		bs.waiters[k] = append(bs.waiters[k], wt)
	}
	bs.mu.Unlock()
	return wt
}

// unregister removes wt. Where it was first in line and was served (the
// key may hold more) or holds an unused poke, the next waiter is poked.
func (bs *blockState) unregister(wt *blockWaiter) {
	pending := false
	select {
	case <-wt.wake:
		pending = true
	default:
	}
	pass := wt.served || pending
	bs.mu.Lock()
	defer bs.mu.Unlock()
	for _, k := range wt.keys {
		ws := bs.waiters[k]
		for i, x := range ws {
			if x != wt {
				continue
			}
			copy(ws[i:], ws[i+1:])
			ws[len(ws)-1] = nil
			ws = ws[:len(ws)-1]
			if i == 0 && pass && len(ws) > 0 {
				ws[0].poke()
			}
			break
		}
		if len(ws) == 0 {
			delete(bs.waiters, k)
		} else {
			bs.waiters[k] = ws
		}
	}
}

// isFirst reports whether wt is first in line for any of its keys.
func (bs *blockState) isFirst(wt *blockWaiter) bool {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	for _, k := range wt.keys {
		if ws := bs.waiters[k]; len(ws) > 0 && ws[0] == wt {
			return true
		}
	}
	return false
}

// waiting returns how many commands wait on key in db (for tests).
func (bs *blockState) waiting(db int, key string) int {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	return len(bs.waiters[blockKey{db: db, key: key}])
}

// connClosed reports whether c's connection is gone: closed by this
// server (CLIENT KILL) or, where peerClosed can tell, by the client.
func (c *client) connClosed() bool {
	if c.conn == nil {
		return false
	}
	nc := c.conn.NetConn()
	if fc, ok := nc.(*frameConn); ok {
		nc = fc.Conn
	}
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return true
	}
	if err := rc.Control(func(uintptr) {}); err != nil {
		return true // closed
	}
	return peerClosed != nil && peerClosed(rc)
}

// peerClosed, when set, reports whether the peer of a connection has
// closed or reset it, without consuming any bytes the connection has not
// read yet (on Unix: a non-blocking MSG_PEEK that finds end of file). A
// platform file sets it from an init function; without it a client that
// hangs up while blocked is noticed only when its command returns.
var peerClosed func(rc syscall.RawConn) bool
