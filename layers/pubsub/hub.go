package pubsub

import (
	"context"
	"errors"
	"fmt"
	"github.com/aspen-db/aspen/internal/glob"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aspen-db/aspen/layers"
)

// The node-local half of pub/sub: the Hub, which keeps this node's
// subscriptions and dispatches the messages the store applies to them.

// ErrClosed is returned by a Hub's methods after Close.
var ErrClosed = errors.New("pubsub: hub closed")

// ErrNoNotifier is returned by New for a store that cannot announce the
// events of its commits.
var ErrNoNotifier = errors.New("pubsub: the store does not implement layers.Notifier")

// Receiver gets the messages of its subscriptions.
type Receiver interface {
	// Receive is called once for each matching channel subscription
	// (pattern nil) and once for each matching pattern subscription
	// (pattern set) of the receiver. A Hub makes its calls one at a time,
	// in log order, on its dispatch goroutine (or on the store's apply
	// path when dispatch falls behind): Receive must not block and must
	// not call the Hub. msg is shared by every receiver and must not be
	// modified. A Receiver is a map key: use a pointer.
	Receive(msg *Message, pattern []byte)
}

// Flusher is implemented by receivers that buffer: the Hub calls Flush
// after each run of messages it dispatches (all the messages one batch of
// commits made, as far as it keeps up), so a receiver can write a run to
// its connection at once instead of message by message. Flush has the
// constraints of Receive, and like Receive it never runs during an Edit:
// a receiver that buffers must hand over its buffer inside an Edit that
// queues a confirmation, to keep the order.
type Flusher interface {
	Flush()
}

// maxQueued bounds the bytes of applied messages waiting for dispatch.
// Past it the store's apply path dispatches itself, which slows the
// store's applies down to the pace of dispatch instead of queueing
// without bound.
const maxQueued = 16 << 20

// Hub keeps one node's subscriptions and delivers to them the messages
// this node applies, whichever node published them. It is safe for
// concurrent use.
type Hub struct {
	kv     layers.KV
	origin uint64 // identifies this Hub's publishes in the log
	seq    atomic.Uint64
	stop   func()
	hook   atomic.Pointer[func(layers.Event) []*Message] // SetEventHook

	// Dispatch: the apply path queues the messages it applies, and a
	// goroutine of the Hub's dispatches them in runs. dispatchMu makes a
	// run (taking the queue and dispatching it) one step, so runs keep the
	// queue's order.
	dispatchMu sync.Mutex
	runs       uint64       // counts dispatch runs
	touched    []*recvState // the Flushers the current run reached
	counted    []counted    // the current run's local publishes
	qmu        sync.Mutex
	queue      []*Message
	qbytes     int
	wake       chan struct{} // cap 1: something was queued
	quit       chan struct{} // closed by Close

	mu     sync.RWMutex
	spaces map[Namespace]*space
	recvs  map[Receiver]*recvState // every receiver with a subscription

	pmu     sync.Mutex
	pending map[uint64]*Ticket // publishes awaiting their local count
	closed  bool
}

// space is one namespace's subscriptions.
type space struct {
	channels map[string]*subSet
	patterns map[string]*patternSubs
}

type patternSubs struct {
	pattern []byte
	subSet
}

// subSet is the receivers of one channel or pattern: a map for the
// changes, and a list, rebuilt after a change by the next dispatch, for
// the dispatch to go through without iterating the map per message.
type subSet struct {
	rs    map[Receiver]*recvState
	list  []*recvState // rs's values once !stale; dispatch's only
	stale bool         // rs changed since list was built
}

func newSubSet() subSet { return subSet{rs: map[Receiver]*recvState{}} }

// add adds r's state; mu is held for writing.
func (ss *subSet) add(r Receiver, st *recvState) {
	ss.rs[r] = st
	ss.stale = true
}

// remove removes r; mu is held for writing.
func (ss *subSet) remove(r Receiver) {
	delete(ss.rs, r)
	ss.stale = true
}

// receivers returns the set's receivers. Only dispatch calls it, holding
// dispatchMu (one dispatch at a time) and mu for reading (no change at
// the same time), so rebuilding the list here races with nothing.
func (ss *subSet) receivers() []*recvState {
	if ss.stale {
		clear(ss.list)
		ss.list = ss.list[:0]
		for _, st := range ss.rs {
			ss.list = append(ss.list, st)
		}
		ss.stale = false
	}
	return ss.list
}

// counted is a local publish's count, handed over at the end of its run.
type counted struct {
	seq uint64
	n   int
}

// recvState is what the Hub keeps of a receiver, shared by its
// subscriptions.
type recvState struct {
	r    Receiver
	f    Flusher // r, if it buffers
	refs int     // its subscriptions
	run  uint64  // the last dispatch run that reached it
}

// New returns a Hub over kv, listening to the events of the commits kv
// applies from now on. kv must implement layers.Notifier and have
// Mutations() registered. Close stops it.
func New(kv layers.KV) (*Hub, error) {
	n, ok := kv.(layers.Notifier)
	if !ok {
		return nil, ErrNoNotifier
	}
	h := &Hub{
		kv:      kv,
		origin:  rand.Uint64() | 1, // never 0: 0 marks "nobody waits"
		spaces:  map[Namespace]*space{},
		pending: map[uint64]*Ticket{},
		recvs:   map[Receiver]*recvState{},
		wake:    make(chan struct{}, 1),
		quit:    make(chan struct{}),
	}
	go h.run()
	h.stop = n.Listen(h.onEvent)
	return h, nil
}

// Close stops listening. Publishes still waiting for their count fail
// with ErrClosed; subscriptions receive nothing more.
func (h *Hub) Close() {
	h.pmu.Lock()
	if h.closed {
		h.pmu.Unlock()
		return
	}
	h.closed = true
	pending := h.pending
	h.pending = nil
	h.pmu.Unlock()
	h.stop()
	close(h.quit)
	for _, t := range pending {
		t.n = -1
		close(t.done)
	}
}

// onEvent is the store listener, on the apply path: it queues the message
// for the Hub's goroutine, or, past maxQueued, dispatches the queue and
// the message itself.
func (h *Hub) onEvent(ev layers.Event) {
	if ev.Topic != Topic {
		if hook := h.hook.Load(); hook != nil {
			for _, msg := range (*hook)(ev) {
				h.queueMessage(msg)
			}
		}
		return
	}
	msg, err := decodeMessage(ev.Payload) // Notify gave the event its own copy
	if err != nil {
		return // the mutation checked it: only a newer format gets here
	}
	h.queueMessage(msg)
}

// SetEventHook makes the Hub also publish messages made from the store's
// other events (Redis's keyspace notifications): hook runs on the apply
// path for every event whose topic is not Topic, in commit order, and
// returns the messages to dispatch to this node's subscriptions, in order
// with the published ones. It must not block.
func (h *Hub) SetEventHook(hook func(ev layers.Event) []*Message) {
	h.hook.Store(&hook)
}

// queueMessage queues msg for the Hub's goroutine, or, past maxQueued,
// dispatches the queue and msg itself; it runs on the apply path.
func (h *Hub) queueMessage(msg *Message) {
	size := len(msg.Channel) + len(msg.Payload) + 64
	h.qmu.Lock()
	if h.qbytes+size <= maxQueued {
		h.queue = append(h.queue, msg)
		h.qbytes += size
		h.qmu.Unlock()
		select {
		case h.wake <- struct{}{}:
		default:
		}
		return
	}
	h.qmu.Unlock()
	h.dispatchMu.Lock()
	run := append(h.takeQueue(), msg)
	h.dispatchRun(run)
	h.dispatchMu.Unlock()
}

// run dispatches what the apply path queues until Close.
func (h *Hub) run() {
	for {
		select {
		case <-h.wake:
		case <-h.quit:
			return
		}
		h.dispatchMu.Lock()
		h.dispatchRun(h.takeQueue())
		h.dispatchMu.Unlock()
	}
}

// takeQueue empties the queue; dispatchMu is held.
func (h *Hub) takeQueue() []*Message {
	h.qmu.Lock()
	defer h.qmu.Unlock()
	q := h.queue
	h.queue, h.qbytes = nil, 0
	return q
}

// dispatchRun dispatches msgs in order, then flushes the receivers they
// reached; dispatchMu is held.
func (h *Hub) dispatchRun(msgs []*Message) {
	h.runs++
	for _, msg := range msgs {
		h.dispatch(msg)
	}
	h.flush()
}

// flush flushes the receivers of the run, under the subscription lock
// as Receive is, and then hands the run's local publishes their counts:
// a publisher learns its count once its message is on its way to every
// receiver. dispatchMu is held.
func (h *Hub) flush() {
	if len(h.touched) > 0 {
		h.mu.RLock()
		for _, st := range h.touched {
			st.f.Flush()
		}
		h.mu.RUnlock()
		clear(h.touched)
		h.touched = h.touched[:0]
	}
	for _, c := range h.counted {
		h.resolve(c.seq, c.n)
	}
	h.counted = h.counted[:0]
}

// Dispatch delivers msg to this node's matching subscriptions, and to no
// other node, and returns how many receptions that made (one per matching
// channel subscription, one per matching pattern subscription). The Hub
// dispatches every message the store applies; a node-local source of
// messages may call Dispatch too. It must not be called from a Receiver.
func (h *Hub) Dispatch(msg *Message) int {
	h.dispatchMu.Lock()
	defer h.dispatchMu.Unlock()
	h.runs++
	n := h.dispatch(msg)
	h.flush()
	return n
}

// dispatch delivers one message and hands a local publish its count;
// dispatchMu is held.
func (h *Hub) dispatch(msg *Message) int {
	n := 0
	h.mu.RLock()
	if sp := h.spaces[msg.Namespace]; sp != nil {
		if ss := sp.channels[string(msg.Channel)]; ss != nil {
			for _, st := range ss.receivers() {
				h.deliver(st, msg, nil)
				n++
			}
		}
		for _, ps := range sp.patterns {
			if glob.Match(ps.pattern, msg.Channel) {
				for _, st := range ps.receivers() {
					h.deliver(st, msg, ps.pattern)
					n++
				}
			}
		}
	}
	h.mu.RUnlock()
	if msg.origin == h.origin && msg.seq != 0 {
		h.counted = append(h.counted, counted{msg.seq, n})
	}
	return n
}

func (h *Hub) deliver(st *recvState, msg *Message, pattern []byte) {
	st.r.Receive(msg, pattern)
	if st.f != nil && st.run != h.runs {
		st.run = h.runs
		h.touched = append(h.touched, st)
	}
}

// hold returns r's state with one more subscription; mu is held.
func (h *Hub) hold(r Receiver) *recvState {
	st := h.recvs[r]
	if st == nil {
		st = &recvState{r: r}
		st.f, _ = r.(Flusher)
		h.recvs[r] = st
	}
	st.refs++
	return st
}

// release drops one subscription of st; mu is held.
func (h *Hub) release(st *recvState) {
	st.refs--
	if st.refs == 0 {
		delete(h.recvs, st.r)
	}
}

// resolve hands a local publish its count.
func (h *Hub) resolve(seq uint64, n int) {
	h.pmu.Lock()
	t := h.pending[seq]
	delete(h.pending, seq)
	h.pmu.Unlock()
	if t != nil {
		t.n = n
		close(t.done)
	}
}

func (h *Hub) space(ns Namespace) *space {
	sp := h.spaces[ns]
	if sp == nil {
		sp = &space{channels: map[string]*subSet{}, patterns: map[string]*patternSubs{}}
		h.spaces[ns] = sp
	}
	return sp
}

// Subscribe subscribes r to channels in ns. Subscribing twice to one
// channel is one subscription.
func (h *Hub) Subscribe(r Receiver, ns Namespace, channels ...[]byte) {
	h.Edit(func(e *Editor) { e.Subscribe(r, ns, channels...) })
}

// Unsubscribe ends r's subscriptions to channels in ns.
func (h *Hub) Unsubscribe(r Receiver, ns Namespace, channels ...[]byte) {
	h.Edit(func(e *Editor) { e.Unsubscribe(r, ns, channels...) })
}

// PSubscribe subscribes r to the channels of ns matching each of patterns
// (see Match).
func (h *Hub) PSubscribe(r Receiver, ns Namespace, patterns ...[]byte) {
	h.Edit(func(e *Editor) { e.PSubscribe(r, ns, patterns...) })
}

// PUnsubscribe ends r's subscriptions to patterns in ns.
func (h *Hub) PUnsubscribe(r Receiver, ns Namespace, patterns ...[]byte) {
	h.Edit(func(e *Editor) { e.PUnsubscribe(r, ns, patterns...) })
}

// Edit runs fn while no message is being dispatched: whatever fn does
// happens between two messages. A receiver uses it to queue the
// confirmation of a subscription change together with the change, so that
// the confirmation of a subscription comes before the channel's first
// message and the confirmation of an unsubscription after its last. fn
// changes subscriptions through e; it must not block or call the Hub.
func (h *Hub) Edit(fn func(e *Editor)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	fn(&Editor{h: h})
}

// Editor changes a Hub's subscriptions inside Edit.
type Editor struct{ h *Hub }

// Subscribe is Hub.Subscribe inside Edit.
func (e *Editor) Subscribe(r Receiver, ns Namespace, channels ...[]byte) {
	sp := e.h.space(ns)
	for _, ch := range channels {
		ss := sp.channels[string(ch)]
		if ss == nil {
			n := newSubSet()
			ss = &n
			sp.channels[string(ch)] = ss
		}
		if _, ok := ss.rs[r]; !ok {
			ss.add(r, e.h.hold(r))
		}
	}
}

// Unsubscribe is Hub.Unsubscribe inside Edit.
func (e *Editor) Unsubscribe(r Receiver, ns Namespace, channels ...[]byte) {
	sp := e.h.spaces[ns]
	if sp == nil {
		return
	}
	for _, ch := range channels {
		ss := sp.channels[string(ch)]
		if ss == nil {
			continue
		}
		if st := ss.rs[r]; st != nil {
			ss.remove(r)
			e.h.release(st)
			if len(ss.rs) == 0 {
				delete(sp.channels, string(ch))
			}
		}
	}
}

// PSubscribe is Hub.PSubscribe inside Edit.
func (e *Editor) PSubscribe(r Receiver, ns Namespace, patterns ...[]byte) {
	sp := e.h.space(ns)
	for _, p := range patterns {
		ps := sp.patterns[string(p)]
		if ps == nil {
			ps = &patternSubs{pattern: slices.Clone(p), subSet: newSubSet()}
			sp.patterns[string(p)] = ps
		}
		if _, ok := ps.rs[r]; !ok {
			ps.add(r, e.h.hold(r))
		}
	}
}

// PUnsubscribe is Hub.PUnsubscribe inside Edit.
func (e *Editor) PUnsubscribe(r Receiver, ns Namespace, patterns ...[]byte) {
	sp := e.h.spaces[ns]
	if sp == nil {
		return
	}
	for _, p := range patterns {
		if ps := sp.patterns[string(p)]; ps != nil && ps.rs[r] != nil {
			e.h.release(ps.rs[r])
			ps.remove(r)
			if len(ps.rs) == 0 {
				delete(sp.patterns, string(p))
			}
		}
	}
}

// Channels returns the channels of ns that have at least one subscriber
// on this node, matching pattern (all of them for a nil pattern), in no
// particular order.
func (h *Hub) Channels(ns Namespace, pattern []byte) [][]byte {
	h.mu.RLock()
	defer h.mu.RUnlock()
	sp := h.spaces[ns]
	if sp == nil {
		return nil
	}
	var out [][]byte
	for ch := range sp.channels {
		if pattern == nil || glob.Match(pattern, []byte(ch)) {
			out = append(out, []byte(ch))
		}
	}
	return out
}

// NumSub returns the number of this node's subscriptions to channel in ns,
// not counting pattern subscriptions.
func (h *Hub) NumSub(ns Namespace, channel []byte) int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if sp := h.spaces[ns]; sp != nil {
		if ss := sp.channels[string(channel)]; ss != nil {
			return len(ss.rs)
		}
	}
	return 0
}

// NumChannels returns how many channels of ns have subscribers on this
// node.
func (h *Hub) NumChannels(ns Namespace) int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if sp := h.spaces[ns]; sp != nil {
		return len(sp.channels)
	}
	return 0
}

// NumPat returns how many distinct patterns of ns have subscribers on
// this node.
func (h *Hub) NumPat(ns Namespace) int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if sp := h.spaces[ns]; sp != nil {
		return len(sp.patterns)
	}
	return 0
}

// Receivers returns how many receptions a message on channel in ns would
// make on this node now, as Dispatch counts them.
func (h *Hub) Receivers(ns Namespace, channel []byte) int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	sp := h.spaces[ns]
	if sp == nil {
		return 0
	}
	n := 0
	if ss := sp.channels[string(channel)]; ss != nil {
		n = len(ss.rs)
	}
	for _, ps := range sp.patterns {
		if glob.Match(ps.pattern, channel) {
			n += len(ps.rs)
		}
	}
	return n
}

// Ticket is a prepared publish's wait for its count on this node.
type Ticket struct {
	h    *Hub
	seq  uint64
	done chan struct{}
	n    int // set before done is closed; -1: the hub closed
}

// Prepare returns the mutation that publishes payload on channel in ns,
// and the ticket that waits until this node has dispatched it. Commit the
// mutation (alone or with others), then Wait; if the commit fails, Cancel.
func (h *Hub) Prepare(ns Namespace, channel, payload []byte) (Op, *Ticket, error) {
	t := &Ticket{h: h, seq: h.seq.Add(1), done: make(chan struct{})}
	h.pmu.Lock()
	if h.closed {
		h.pmu.Unlock()
		return Op{}, nil, ErrClosed
	}
	h.pending[t.seq] = t
	h.pmu.Unlock()
	return Op{Name: OpPublish, Args: encodeMessage(ns, h.origin, t.seq, channel, payload)}, t, nil
}

// help dispatches what the apply path has queued on the caller's
// goroutine, instead of waiting for the Hub's goroutine to wake up and do
// it: a publisher whose commit has been applied finds its message queued
// and delivers it at once, saving a goroutine handoff per commit. Runs
// stay in queue order (dispatchMu), whoever dispatches them.
func (h *Hub) help() {
	h.dispatchMu.Lock()
	if q := h.takeQueue(); len(q) > 0 {
		h.dispatchRun(q)
	}
	h.dispatchMu.Unlock()
}

// ready reports whether t's count is known, first dispatching what is
// queued if it is not (help): the store queues a message before its
// commit's waiters go on, so after the commit this usually resolves t.
func (t *Ticket) ready() bool {
	select {
	case <-t.done:
		return true
	default:
	}
	t.h.help()
	select {
	case <-t.done:
		return true
	default:
		return false
	}
}

// Wait returns the number of receptions the publish made on this node,
// once this node has applied and dispatched it. It returns ctx's error if
// that takes longer than ctx allows (the ticket is then cancelled), and
// ErrClosed if the hub closes first. Call it after the commit, from no
// Receiver: it may dispatch queued messages itself.
func (t *Ticket) Wait(ctx context.Context) (int, error) {
	if t.ready() {
		return t.result()
	}
	select {
	case <-t.done:
		return t.result()
	case <-ctx.Done():
		t.Cancel()
		return 0, ctx.Err()
	}
}

// WaitTimeout is Wait bounded by d instead of a context; it returns
// context.DeadlineExceeded when d passes first.
func (t *Ticket) WaitTimeout(d time.Duration) (int, error) {
	if t.ready() {
		return t.result()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-t.done:
		return t.result()
	case <-tm.C:
		t.Cancel()
		return 0, context.DeadlineExceeded
	}
}

func (t *Ticket) result() (int, error) {
	if t.n < 0 {
		return 0, ErrClosed
	}
	return t.n, nil
}

// Cancel forgets the ticket, for a publish whose commit failed.
func (t *Ticket) Cancel() {
	h := t.h
	h.pmu.Lock()
	delete(h.pending, t.seq)
	h.pmu.Unlock()
}

// Publish publishes payload on channel in ns: it commits the message to
// the replicated log, from which every node delivers it to its
// subscribers. It returns the number of receptions on this node.
func (h *Hub) Publish(ctx context.Context, ns Namespace, channel, payload []byte) (int, error) {
	op, t, err := h.Prepare(ns, channel, payload)
	if err != nil {
		return 0, err
	}
	_, err = layers.Update(ctx, h.kv, func(tx layers.Txn) error {
		tx.Mutate(op.Name, op.Args)
		return nil
	})
	if err != nil {
		t.Cancel()
		return 0, fmt.Errorf("pubsub: publish on %q: %w", channel, err)
	}
	n, err := t.Wait(ctx)
	if err != nil {
		return 0, fmt.Errorf("pubsub: publish on %q: %w", channel, err)
	}
	return n, nil
}
