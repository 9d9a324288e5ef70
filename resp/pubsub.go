package resp

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/pubsub"
	"github.com/aspen-db/aspen/layers/strkv"
)

// Pub/sub commands: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE,
// PUBLISH, SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH and PUBSUB, over package
// pubsub.
//
// PUBLISH commits the message to the replicated log (it joins the commit
// of neighbouring pipelined writes); every node applies it and its Hub
// hands it to the node's subscribers, so a message published on any node
// reaches the subscribers of every node, in log order. The reply counts
// the receptions on the node the PUBLISH was sent to, counted when that
// node delivers the message, as Redis Cluster counts the receivers of the
// node that got the PUBLISH. PUBSUB CHANNELS, NUMSUB and NUMPAT are this
// node's too, as in Redis Cluster.
//
// A subscribed connection receives messages through its outbox (the
// out-of-band queue of monitor.go): the Hub's dispatch formats each
// message (once per protocol for all the subscribers of a channel),
// collects a run of them per subscriber, and queues the run without
// blocking. A subscriber that does not read fills its outbox; past
// client-output-buffer-limit's pubsub limits it is disconnected, as Redis
// disconnects it. A change of subscriptions and its confirmations are
// queued together between two messages (pubsub.Hub.Edit): a channel's
// first message comes after the confirmation of its subscription, and
// none comes after the confirmation of its unsubscription.
//
// In RESP2 a subscribed connection accepts only the (un)subscribe
// commands, PING, QUIT and RESET; in RESP3 messages are push replies and
// every command keeps working.
//
// Inside MULTI/EXEC, whose commands every replica replays at apply time,
// PUBLISH delivers its message but replies 0 (the receivers of the node
// are not known at apply time), and the subscribe commands and PUBSUB,
// whose state is the connection's or the node's, are refused.

// flagPubSub is the pubsub command flag, as COMMAND reports it.
const flagPubSub = "pubsub"

// msgPubSubContext is the RESP2 subscribed connection's error for the
// commands it may not run.
const msgPubSubContext = "ERR Can't execute '%s': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"

// pubsubMutations returns the pub/sub layer's mutations.
func pubsubMutations() map[string]layers.MutationFunc { return pubsub.Mutations() }

// pubsubCommands lists this file's commands for the command table.
func pubsubCommands() []*command {
	sub := []string{flagPubSub, flagNoScript, flagLoading, flagStale}
	return []*command{
		{name: "psubscribe", arity: -2, flags: sub, group: "pubsub", run: cmdPSubscribe},
		{name: "publish", arity: 3, flags: []string{flagPubSub, flagLoading, flagStale, flagFast}, group: "pubsub", run: cmdPublish},
		{name: "pubsub", arity: -2, flags: []string{}, group: "pubsub", run: cmdPubSub},
		{name: "punsubscribe", arity: -1, flags: sub, group: "pubsub", run: cmdPUnsubscribe},
		{name: "spublish", arity: 3, flags: []string{flagPubSub, flagLoading, flagStale, flagFast}, group: "pubsub", firstKey: 1, lastKey: 1, step: 1, run: cmdSPublish},
		{name: "ssubscribe", arity: -2, flags: sub, group: "pubsub", firstKey: 1, lastKey: -1, step: 1, run: cmdSSubscribe},
		{name: "subscribe", arity: -2, flags: sub, group: "pubsub", run: cmdSubscribe},
		{name: "sunsubscribe", arity: -1, flags: sub, group: "pubsub", firstKey: 1, lastKey: -1, step: 1, run: cmdSUnsubscribe},
		{name: "unsubscribe", arity: -1, flags: sub, group: "pubsub", run: cmdUnsubscribe},
	}
}

// psServer is a Server's pub/sub state: its Hub, started on first use
// and closed with the server, and the formatting memo of its dispatch.
type psServer struct {
	once sync.Once
	hub  atomic.Pointer[pubsub.Hub]
	err  error

	// memo holds the last message's formatted pushes; only the Hub's
	// dispatch (one message at a time) touches it.
	memo pushMemo
}

// PubSub returns the node's pub/sub Hub, which this server's channels use;
// other protocols on the same node (pgwire's LISTEN) share it. It starts
// on first use and stops when the server closes.
func (s *Server) PubSub() (*pubsub.Hub, error) { return s.pubsubHub() }

// pubsubHub returns s's Hub, starting it on first use. It stops when the
// server closes.
func (s *Server) pubsubHub() (*pubsub.Hub, error) {
	ps := &s.ext.ps
	ps.once.Do(func() {
		if s.strs == nil || s.ctx == nil {
			ps.err = fmt.Errorf("resp: no store for pub/sub")
			return
		}
		h, err := pubsub.New(s.strs.KV())
		if err != nil {
			ps.err = fmt.Errorf("resp: start pub/sub: %w", err)
			return
		}
		h.SetEventHook(s.keyspaceHook()) // keyspace notifications (keyspace_events.go)
		ps.hub.Store(h)
		go func() {
			<-s.ctx.Done()
			h.Close()
		}()
	})
	if h := ps.hub.Load(); h != nil {
		return h, nil
	}
	return nil, ps.err
}

// pubsubStats returns the channels, patterns and shard channels
// subscribed on this node, for INFO.
func (s *Server) pubsubStats() (channels, patterns, shard int) {
	h := s.ext.ps.hub.Load()
	if h == nil {
		return 0, 0, 0
	}
	return h.NumChannels(pubsub.Redis), h.NumPat(pubsub.Redis), h.NumChannels(pubsub.RedisShard)
}

// pushMemo caches the formatted pushes of the message being dispatched, so
// that a message sent to many subscribers is formatted once per protocol
// (and per pattern), not once per subscriber.
type pushMemo struct {
	msg     *pubsub.Message
	plain   [2][]byte // channel subscribers' push, RESP2 and RESP3
	pattern []byte
	pmsg    [2][]byte // the last pattern's push, RESP2 and RESP3
}

// format returns the push of msg for a subscriber of pattern (nil: of the
// channel) in the protocol given. The bytes are shared: never modified.
func (m *pushMemo) format(msg *pubsub.Message, pattern []byte, resp3 bool) []byte {
	if m.msg != msg {
		*m = pushMemo{msg: msg}
	}
	p := 0
	if resp3 {
		p = 1
	}
	if pattern == nil {
		if m.plain[p] == nil {
			kind := "message"
			if msg.Namespace == pubsub.RedisShard {
				kind = "smessage"
			}
			w := writer{resp3: resp3, b: make([]byte, 0, 32+len(msg.Channel)+len(msg.Payload))}
			w.WritePush(3)
			w.WriteBulkString(kind)
			w.WriteBulk(msg.Channel)
			w.WriteBulk(msg.Payload)
			m.plain[p] = w.b
		}
		return m.plain[p]
	}
	if !bytes.Equal(m.pattern, pattern) || m.pattern == nil {
		m.pattern, m.pmsg = pattern, [2][]byte{}
	}
	if m.pmsg[p] == nil {
		w := writer{resp3: resp3, b: make([]byte, 0, 48+len(pattern)+len(msg.Channel)+len(msg.Payload))}
		w.WritePush(4)
		w.WriteBulkString("pmessage")
		w.WriteBulk(pattern)
		w.WriteBulk(msg.Channel)
		w.WriteBulk(msg.Payload)
		m.pmsg[p] = w.b
	}
	return m.pmsg[p]
}

// subscriber is a connection's pub/sub state and its pubsub.Receiver.
// The sets belong to the connection's goroutine; Receive runs on the
// Hub's dispatch and touches only the atomics and the outbox.
type subscriber struct {
	s     *Server
	ob    *outbox
	resp3 atomic.Bool
	// pend collects the pushes of the current dispatch run (shared with
	// the other subscribers: never modified), handed to the outbox at
	// once by Flush (or by an Edit that queues a confirmation). Only the
	// Hub's dispatch and Edits touch it, never at the same time.
	pend [][]byte

	channels map[string]struct{}
	patterns map[string]struct{}
	shards   map[string]struct{}
}

// pendFlushCount is how many pushes a subscriber collects before handing
// them to its outbox in the middle of a run.
const pendFlushCount = 256

// Receive implements pubsub.Receiver: it collects the message's push for
// the outbox, which disconnects the client past its limit.
func (sb *subscriber) Receive(msg *pubsub.Message, pattern []byte) {
	sb.pend = append(sb.pend, sb.s.ext.ps.memo.format(msg, pattern, sb.resp3.Load()))
	if len(sb.pend) >= pendFlushCount {
		sb.handOver()
	}
}

// Flush implements pubsub.Flusher: the run's pushes go to the outbox,
// whose writer wakes once for them.
func (sb *subscriber) Flush() {
	sb.handOver()
	sb.ob.signal()
}

// handOver queues the collected pushes on the outbox.
func (sb *subscriber) handOver() {
	if len(sb.pend) > 0 {
		sb.ob.add(sb.pend...)
		clear(sb.pend)
		sb.pend = sb.pend[:0]
	}
}

// count is what SUBSCRIBE and its kin report: channels and patterns.
func (sb *subscriber) count() int {
	if sb == nil {
		return 0
	}
	return len(sb.channels) + len(sb.patterns)
}

// shardCount is what SSUBSCRIBE and SUNSUBSCRIBE report.
func (sb *subscriber) shardCount() int {
	if sb == nil {
		return 0
	}
	return len(sb.shards)
}

// subscribed reports whether c has any subscription (Redis's pubsub
// client flag).
func (c *client) subscribed() bool {
	return c.sub != nil && c.sub.count()+c.sub.shardCount() > 0
}

// inRESP2PubSub reports whether c is a RESP2 connection in subscriber
// mode, where only a few commands may run.
func (c *client) inRESP2PubSub() bool { return !c.w.resp3 && c.subscribed() }

// noteSubscriptions refreshes what other goroutines read of c's
// subscriptions: its client class (CLIENT LIST TYPE, the output buffer
// limits) and its protocol (the pushes' format).
func (c *client) noteSubscriptions() {
	c.ext.pubsub.Store(c.subscribed())
	if c.sub != nil {
		c.sub.resp3.Store(c.w.resp3)
	}
}

// allowedInPubSub are the commands a RESP2 subscribed connection may run.
var allowedInPubSub = map[string]bool{
	"subscribe": true, "ssubscribe": true, "psubscribe": true,
	"unsubscribe": true, "sunsubscribe": true, "punsubscribe": true,
	"ping": true, "quit": true, "reset": true,
}

// subcommandArity gives the arity of the subcommands of the container
// commands, so that the subscriber-mode error can name the subcommand as
// Redis does (client|list); an unknown subcommand, or one with the wrong
// arity, gets its own error from its handler first.
func subcommandArity(cmd string, sub string) int {
	switch cmd {
	case "client":
		return clientSubArity[sub]
	case "config":
		return configSubArity[sub]
	case "pubsub":
		return pubsubSubArity[sub]
	case "command":
		return map[string]int{"count": 2, "info": -2, "list": -2, "docs": -2, "getkeys": -4}[sub]
	case "object":
		return map[string]int{"encoding": 3, "freq": 3, "idletime": 3, "refcount": 3, "help": 2}[sub]
	}
	return 0
}

// pubsubRefusal returns the error a RESP2 subscribed connection gets for
// cmd, or "" when cmd may run. plan calls it after the auth and memory
// checks, where Redis makes it.
func (c *client) pubsubRefusal(cmd *command, args [][]byte) string {
	if !c.inRESP2PubSub() || allowedInPubSub[cmd.name] {
		return ""
	}
	name := cmd.name
	switch cmd.name {
	case "client", "config", "pubsub", "command", "object":
		if len(args) < 2 || len(args[1]) > maxNameLen {
			return ""
		}
		sub := strings.ToLower(string(args[1]))
		arity := subcommandArity(cmd.name, sub)
		if arity == 0 || !arityOK(arity, len(args)) {
			return "" // the handler's unknown-subcommand or arity error
		}
		name += "|" + sub
	}
	return fmt.Sprintf(msgPubSubContext, name)
}

// subKind is one of the three kinds of subscription.
type subKind int

const (
	kindChannel subKind = iota
	kindPattern
	kindShard
)

// word returns the push word of (un)subscribing to the kind.
func (k subKind) word(sub bool) string {
	prefix := [...]string{"", "p", "s"}[k]
	if sub {
		return prefix + "subscribe"
	}
	return prefix + "unsubscribe"
}

// set returns sb's set of the kind.
func (sb *subscriber) set(k subKind) map[string]struct{} {
	switch k {
	case kindPattern:
		return sb.patterns
	case kindShard:
		return sb.shards
	}
	return sb.channels
}

// countFor is the count a (un)subscribe of the kind reports.
func (sb *subscriber) countFor(k subKind) int {
	if k == kindShard {
		return sb.shardCount()
	}
	return sb.count()
}

// hubChange adds or removes sb's subscriptions of the kind in the hub.
func (sb *subscriber) hubChange(h *pubsub.Editor, k subKind, add bool, names [][]byte) {
	if len(names) == 0 {
		return
	}
	switch {
	case k == kindPattern && add:
		h.PSubscribe(sb, pubsub.Redis, names...)
	case k == kindPattern:
		h.PUnsubscribe(sb, pubsub.Redis, names...)
	case add:
		h.Subscribe(sb, namespaceOf(k), names...)
	default:
		h.Unsubscribe(sb, namespaceOf(k), names...)
	}
}

func namespaceOf(k subKind) pubsub.Namespace {
	if k == kindShard {
		return pubsub.RedisShard
	}
	return pubsub.Redis
}

// startSubscriber gives c its subscriber state and outbox, once.
func (c *client) startSubscriber() *subscriber {
	if c.sub == nil {
		c.sub = &subscriber{
			s:        c.s,
			ob:       c.startOutbox(),
			channels: map[string]struct{}{},
			patterns: map[string]struct{}{},
			shards:   map[string]struct{}{},
		}
	}
	return c.sub
}

// subscribeAction returns the action of SUBSCRIBE, PSUBSCRIBE or
// SSUBSCRIBE of names: one confirmation per name, queued before the
// subscriptions take effect.
func subscribeAction(c *client, k subKind, names [][]byte) action {
	if c.inExec || c.conn == nil {
		return errAction(msgNotInExec)
	}
	names = cloneArgs(names)
	return execAction(func(_ context.Context, w *writer) {
		if w != &c.w {
			w.WriteError(msgNotInExec)
			return
		}
		h, err := c.s.pubsubHub()
		if err != nil {
			c.replyErr(w, k.word(true), err)
			return
		}
		sb := c.startSubscriber()
		set := sb.set(k)
		var added [][]byte
		for _, n := range names {
			if _, ok := set[string(n)]; !ok {
				set[string(n)] = struct{}{}
				added = append(added, n)
			}
			w.WritePush(3)
			w.WriteBulkString(k.word(true))
			w.WriteBulk(n)
			w.WriteInt(sb.countFor(k))
		}
		c.noteSubscriptions()
		// The confirmations are queued with the change, between two
		// messages: none of the new channels' messages comes before them.
		h.Edit(func(e *pubsub.Editor) {
			sb.handOver()
			sb.ob.push(bytes.Clone(c.w.take()))
			sb.hubChange(e, k, true, added)
		})
	})
}

// unsubscribeAction returns the action of UNSUBSCRIBE, PUNSUBSCRIBE or
// SUNSUBSCRIBE of names (every subscription of the kind when there are
// none): the subscriptions end, then one confirmation per name.
func unsubscribeAction(c *client, k subKind, names [][]byte) action {
	if c.inExec || c.conn == nil {
		return errAction(msgNotInExec)
	}
	names = cloneArgs(names)
	return execAction(func(_ context.Context, w *writer) {
		sb := c.sub
		all := len(names) == 0
		if all && sb != nil {
			for n := range sb.set(k) {
				names = append(names, []byte(n))
			}
			slices.SortFunc(names, bytes.Compare)
		}
		if len(names) == 0 {
			w.WritePush(3)
			w.WriteBulkString(k.word(false))
			w.WriteNull()
			w.WriteInt(sb.countFor(k))
			return
		}
		if sb == nil {
			// Never subscribed: nothing to end, and no outbox needed.
			for _, n := range names {
				w.WritePush(3)
				w.WriteBulkString(k.word(false))
				w.WriteBulk(n)
				w.WriteInt(0)
			}
			return
		}
		set := sb.set(k)
		var removed [][]byte
		for _, n := range names {
			if _, ok := set[string(n)]; ok {
				removed = append(removed, n)
			}
			delete(set, string(n))
			w.WritePush(3)
			w.WriteBulkString(k.word(false))
			w.WriteBulk(n)
			w.WriteInt(sb.countFor(k))
		}
		c.noteSubscriptions()
		h := c.s.ext.ps.hub.Load()
		if h == nil || w != &c.w {
			return
		}
		// Queued with the change: no message of the channels follows.
		h.Edit(func(e *pubsub.Editor) {
			sb.hubChange(e, k, false, removed)
			sb.handOver()
			sb.ob.push(bytes.Clone(c.w.take()))
		})
	})
}

// queueReplies hands the replies written so far to a subscriber's outbox
// before a command that may publish runs, so that a message the command
// causes comes after the replies to the commands before it, as in Redis.
func (c *client) queueReplies() {
	if c.sub == nil || len(c.w.b) == 0 {
		return
	}
	c.sub.ob.push(bytes.Clone(c.w.take()))
}

// dropSubscriptions ends every subscription of c without replies: RESET
// and the connection's end.
func (c *client) dropSubscriptions() {
	sb := c.sub
	if sb == nil {
		return
	}
	if h := c.s.ext.ps.hub.Load(); h != nil {
		h.Edit(func(e *pubsub.Editor) {
			sb.handOver() // what came before, before RESET's reply
			for _, k := range []subKind{kindChannel, kindPattern, kindShard} {
				var names [][]byte
				for n := range sb.set(k) {
					names = append(names, []byte(n))
				}
				sb.hubChange(e, k, false, names)
			}
		})
	}
	clear(sb.channels)
	clear(sb.patterns)
	clear(sb.shards)
	c.noteSubscriptions()
}

func cmdSubscribe(c *client, args [][]byte) action {
	return subscribeAction(c, kindChannel, args[1:])
}

func cmdPSubscribe(c *client, args [][]byte) action {
	return subscribeAction(c, kindPattern, args[1:])
}

func cmdSSubscribe(c *client, args [][]byte) action {
	return subscribeAction(c, kindShard, args[1:])
}

func cmdUnsubscribe(c *client, args [][]byte) action {
	return unsubscribeAction(c, kindChannel, args[1:])
}

func cmdPUnsubscribe(c *client, args [][]byte) action {
	return unsubscribeAction(c, kindPattern, args[1:])
}

func cmdSUnsubscribe(c *client, args [][]byte) action {
	return unsubscribeAction(c, kindShard, args[1:])
}

func cmdPublish(c *client, args [][]byte) action {
	return publishAction(c, "publish", pubsub.Redis, args[1], args[2])
}

func cmdSPublish(c *client, args [][]byte) action {
	return publishAction(c, "spublish", pubsub.RedisShard, args[1], args[2])
}

// publishAction commits a message with the neighbouring writes and
// replies with this node's receptions of it.
func publishAction(c *client, name string, ns pubsub.Namespace, channel, payload []byte) action {
	if c.inExec || c.conn == nil {
		// Replayed at apply time on every replica: deliver, count nothing.
		op := pubsub.PublishOp(ns, channel, payload)
		return writeAction(func(w *writer, _ [][]byte) { w.WriteInt(0) }, strkv.Mutation{Op: op.Name, Args: op.Args})
	}
	h, err := c.s.pubsubHub()
	if err != nil {
		return replyAction(func(w *writer) { c.replyErr(w, name, err) })
	}
	op, tk, err := h.Prepare(ns, channel, payload)
	if err != nil {
		return replyAction(func(w *writer) { c.replyErr(w, name, err) })
	}
	channel = bytes.Clone(channel)
	timeout := c.s.CommandTimeout
	a := writeAction(func(w *writer, _ [][]byte) {
		n, err := tk.WaitTimeout(timeout)
		if err != nil {
			// Committed, but not delivered here in time (or the server
			// is closing): count the receivers there are now.
			n = h.Receivers(ns, channel)
		}
		w.WriteInt(n)
	}, strkv.Mutation{Op: op.Name, Args: op.Args})
	a.failed = tk.Cancel
	return a
}

// pubsubSubArity is the arity of each PUBSUB subcommand.
var pubsubSubArity = map[string]int{
	"channels": -2, "numsub": -2, "numpat": 2, "shardchannels": -2, "shardnumsub": -2, "help": 2,
}

// pubsubHelp is PUBSUB HELP's reply, as Redis 7.0 words it.
var pubsubHelp = []string{
	"PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"CHANNELS [<pattern>]",
	"    Return the currently active channels matching a <pattern> (default: '*').",
	"NUMPAT",
	"    Return number of subscriptions to patterns.",
	"NUMSUB [<channel> ...]",
	"    Return the number of subscribers for the specified channels, excluding",
	"    pattern subscriptions(default: no channels).",
	"SHARDCHANNELS [<pattern>]",
	"    Return the currently active shard level channels matching a <pattern> (default: '*').",
	"SHARDNUMSUB [<shardchannel> ...]",
	"    Return the number of subscribers for the specified shard level channel(s)",
	"HELP",
	"    Prints this help.",
}

// cmdPubSub serves PUBSUB CHANNELS, NUMSUB, NUMPAT, SHARDCHANNELS,
// SHARDNUMSUB and HELP, from this node's subscriptions.
func cmdPubSub(c *client, args [][]byte) action {
	sub := strings.ToLower(string(args[1]))
	arity := pubsubSubArity[sub]
	switch {
	case arity == 0:
		return errAction(unknownSubcommandMsg(args))
	case !arityOK(arity, len(args)):
		return errAction(arityMsg("pubsub|" + sub))
	}
	if sub == "help" {
		return replyAction(func(w *writer) {
			w.WriteArray(len(pubsubHelp))
			for _, l := range pubsubHelp {
				w.WriteString(l)
			}
		})
	}
	if (sub == "channels" || sub == "shardchannels") && len(args) > 3 {
		return errAction(fmt.Sprintf("ERR unknown subcommand or wrong number of arguments for '%s'. Try PUBSUB HELP.", cString(args[1], 128)))
	}
	if c.inExec || c.conn == nil {
		return errAction(msgNotInExec)
	}
	h, err := c.s.pubsubHub()
	if err != nil {
		return replyAction(func(w *writer) { c.replyErr(w, "pubsub", err) })
	}
	ns := pubsub.Redis
	if strings.HasPrefix(sub, "shard") {
		ns = pubsub.RedisShard
	}
	switch sub {
	case "channels", "shardchannels":
		var pattern []byte
		if len(args) == 3 {
			pattern = bytes.Clone(args[2])
		}
		return replyAction(func(w *writer) {
			chans := h.Channels(ns, pattern)
			slices.SortFunc(chans, bytes.Compare)
			w.WriteArray(len(chans))
			for _, ch := range chans {
				w.WriteBulk(ch)
			}
		})
	case "numsub", "shardnumsub":
		chans := cloneArgs(args[2:])
		return replyAction(func(w *writer) {
			w.WriteArray(2 * len(chans))
			for _, ch := range chans {
				w.WriteBulk(ch)
				w.WriteInt(h.NumSub(ns, ch))
			}
		})
	default: // numpat
		return replyAction(func(w *writer) { w.WriteInt(h.NumPat(pubsub.Redis)) })
	}
}

// Client output buffer limits: CONFIG's client-output-buffer-limit.

// Client classes of the output buffer limits, in the order CONFIG GET
// lists them.
const (
	obufNormal = iota
	obufReplica
	obufPubSub
	obufClasses
)

var obufClassNames = [obufClasses]string{"normal", "slave", "pubsub"}

// obufLimit is one class's limits: past hard bytes queued, or past soft
// bytes for more than softSecs seconds in a row, the client is
// disconnected. Zero disables a limit.
type obufLimit struct {
	hard, soft uint64
	softSecs   int64
}

// obufConfig holds the limits of each class, readable from any
// goroutine.
type obufConfig struct {
	classes [obufClasses]struct {
		hard, soft atomic.Uint64
		softSecs   atomic.Int64
	}
}

func (oc *obufConfig) get(class int) obufLimit {
	l := &oc.classes[class]
	return obufLimit{hard: l.hard.Load(), soft: l.soft.Load(), softSecs: l.softSecs.Load()}
}

func (oc *obufConfig) set(class int, v obufLimit) {
	l := &oc.classes[class]
	l.hard.Store(v.hard)
	l.soft.Store(v.soft)
	l.softSecs.Store(v.softSecs)
}

// setDefaults sets Redis's default limits.
func (oc *obufConfig) setDefaults() {
	oc.set(obufReplica, obufLimit{hard: 256 << 20, soft: 64 << 20, softSecs: 60})
	oc.set(obufPubSub, obufLimit{hard: 32 << 20, soft: 8 << 20, softSecs: 60})
}

// outputLimits returns the function that gives the output buffer limits
// of c's class at the time of the call: pubsub while it has
// subscriptions, normal otherwise. A normal client with no limit
// configured (Redis's default) still gets outboxLimit, so that a monitor
// that does not read cannot hold memory without bound.
func (c *client) outputLimits() func() obufLimit {
	oc := &c.s.ext.cfg.obuf
	return func() obufLimit {
		if c.ext.pubsub.Load() {
			return oc.get(obufPubSub)
		}
		if l := oc.get(obufNormal); l != (obufLimit{}) {
			return l
		}
		return obufLimit{hard: outboxLimit}
	}
}

func init() {
	configParams = append(configParams, &configParam{
		name:  "client-output-buffer-limit",
		get:   getObufLimits,
		parse: parseObufLimits,
	})
}

// getObufLimits formats the limits as CONFIG GET shows them.
func getObufLimits(st *settings) string {
	oc := &st.obuf
	var b []byte
	for class := range obufClasses {
		if class > 0 {
			b = append(b, ' ')
		}
		l := oc.get(class)
		b = append(b, obufClassNames[class]...)
		b = append(b, ' ')
		b = strconv.AppendUint(b, l.hard, 10)
		b = append(b, ' ')
		b = strconv.AppendUint(b, l.soft, 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, l.softSecs, 10)
	}
	return string(b)
}

// parseObufLimits reads "<class> <hard> <soft> <seconds>..." as Redis's
// CONFIG SET does: split on single spaces, every group checked before any
// is stored, the classes not named left as they are.
func parseObufLimits(v []byte) (func(*settings), string) {
	var f []string
	if len(v) > 0 {
		f = strings.Split(string(v), " ")
	}
	if len(f)%4 != 0 {
		return nil, "Wrong number of arguments in buffer limit configuration."
	}
	type change struct {
		class int
		l     obufLimit
	}
	var changes []change
	for i := 0; i < len(f); i += 4 {
		class := -1
		switch strings.ToLower(f[i]) {
		case "normal":
			class = obufNormal
		case "slave", "replica":
			class = obufReplica
		case "pubsub":
			class = obufPubSub
		}
		if class < 0 {
			return nil, "Invalid client class specified in buffer limit configuration."
		}
		hard, ok1 := parseMemory([]byte(f[i+1]))
		soft, ok2 := parseMemory([]byte(f[i+2]))
		secs, ok3 := parseSoftSeconds(f[i+3])
		if !ok1 || !ok2 || !ok3 {
			return nil, "Error in hard, soft or soft_seconds setting in buffer limit configuration."
		}
		changes = append(changes, change{class, obufLimit{hard: hard, soft: soft, softSecs: secs}})
	}
	return func(st *settings) {
		oc := &st.obuf
		for _, ch := range changes {
			oc.set(ch.class, ch.l)
		}
	}, ""
}

// parseSoftSeconds reads a soft limit's seconds as Redis does: C's strtoll
// (leading blanks, a sign, saturation), the whole text consumed, the value
// kept in a C int (truncated to 32 bits) and refused if negative.
func parseSoftSeconds(s string) (int64, bool) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	var n uint64
	over := false
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		if n > (1<<63)/10 {
			over = true
		} else {
			n = n*10 + uint64(s[i]-'0')
		}
		i++
	}
	if i == start {
		// No digits: strtoll consumed nothing; only "" ends there.
		return 0, s == ""
	}
	if i != len(s) {
		return 0, false
	}
	var v int64
	switch {
	case !neg && (over || n > 1<<63-1):
		v = 1<<63 - 1
	case neg && (over || n > 1<<63):
		v = -1 << 63
	case neg:
		v = -int64(n)
	default:
		v = int64(n)
	}
	v = int64(int32(v))
	return v, v >= 0
}
