package resp

import (
	"context"
	"slices"

	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/tidwall/redcon"
)

// client is one connection's session state. Only the connection's own
// handler goroutine touches it.
type client struct {
	s    *Server
	conn redcon.Conn
	w    writer // replies not yet handed to conn
	id   int64
	db   int    // SELECTed database
	name string // CLIENT SETNAME
	quit bool   // QUIT seen: reply to what came before, then hang up

	// ext holds the state of the connection commands (AUTH, CLIENT LIST,
	// MONITOR): see conn_cmds.go.
	ext clientExt

	// MULTI/EXEC and WATCH (transactions.go). inExec marks the client
	// EXEC replays queued commands with at apply time.
	multi  multiState
	watch  *watchState
	inExec bool
	// localSlots, in the replay client, are the reply offsets of the
	// node-local commands the real client runs after EXEC (exec_local.go).
	localSlots []int

	// sub is the connection's pub/sub state, from its first subscription
	// (pubsub.go).
	sub *subscriber

	// The group of planned commands not run yet, all of one kind.
	kind   kind
	items  []action
	nbytes int // argument bytes of the group's mutations
}

// kind is what an action needs from the store.
type kind int

const (
	kindNone  kind = iota // replies without the store
	kindRead              // runs in a shared read transaction
	kindWrite             // commits mutations in a shared transaction
	kindExec              // runs alone with its own transactions
)

// action is what a handler decided one command does. Exactly one of reply,
// read, (muts, done) and exec is set.
type action struct {
	cmd *command // set by plan; nil for unknown commands

	// reply writes a reply that needs no store access.
	reply func(w *writer)
	// read writes the reply from a read transaction shared with
	// neighbouring reads.
	read func(w *writer, r *strkv.Reader)
	// muts are committed with neighbouring writes; done writes the reply
	// from their results (one per mutation).
	muts []strkv.Mutation
	done func(w *writer, res [][]byte)
	// exec runs alone, after everything planned before it, and writes its
	// reply.
	exec func(ctx context.Context, w *writer)
	// failed, when set, is called if muts fail to commit (done is not
	// called then).
	failed func()
}

func (a *action) kind() kind {
	switch {
	case a.read != nil:
		return kindRead
	case a.done != nil:
		return kindWrite
	case a.exec != nil:
		return kindExec
	default:
		return kindNone
	}
}

// Limits on one group, so a long pipeline becomes several moderate commits
// instead of one huge Raft entry.
const (
	maxGroupItems = 512
	maxGroupBytes = 1 << 20
)

// plan looks the command up, checks its arity, lets its handler validate
// it, and queues the resulting action behind the ones before it.
func (c *client) plan(args [][]byte) {
	if len(args) == 0 {
		return
	}
	cmd := lookup(args[0])
	c.noteCommand(cmd, args) // CLIENT LIST's cmd and idle (conn_cmds.go)
	var a action
	switch {
	case cmd == nil:
		c.refuseInMulti()
		a = errAction(unknownCommandMsg(args))
	case !arityOK(cmd.arity, len(args)):
		c.refuseInMulti()
		a = errAction(arityMsg(cmd.name))
	case c.refuse(cmd) != "": // NOAUTH and the like (hello.go)
		c.refuseInMulti()
		a = errAction(c.refuse(cmd))
	case c.admit(cmd, args) != "": // OOM (cache.go)
		c.refuseInMulti()
		a = errAction(msgOOM)
	case c.pubsubRefusal(cmd, args) != "": // RESP2 subscriber mode (pubsub.go)
		c.refuseInMulti()
		a = errAction(c.pubsubRefusal(cmd, args))
	case c.multi.active && queuesInMulti(cmd):
		a = c.queue(args)
		a.cmd = cmd
	default:
		a = cmd.run(c, args)
		a.cmd = cmd
		c.s.feedMonitors(c, args) // MONITOR (monitor.go)
	}
	c.add(a)
}

// add queues a, running the pending group first when a cannot join it.
func (c *client) add(a action) {
	k := a.kind()
	if k == kindExec {
		c.flush()
		c.queueReplies()
		ctx, cancel := c.s.commandContext()
		defer cancel()
		a.exec(ctx, &c.w)
		return
	}
	if k != kindNone && c.kind != kindNone && k != c.kind {
		c.flush()
	}
	if k != kindNone {
		c.kind = k
	}
	c.items = append(c.items, a)
	for _, m := range a.muts {
		c.nbytes += len(m.Args)
	}
	if len(c.items) >= maxGroupItems || c.nbytes >= maxGroupBytes {
		c.flush()
	}
}

// flush runs the pending group and writes its replies in order.
func (c *client) flush() {
	items, k := c.items, c.kind
	if len(items) == 0 {
		return
	}
	switch k {
	case kindRead:
		c.runReads(items)
	case kindWrite:
		c.queueReplies()
		c.runWrites(items)
	default:
		for i := range items {
			items[i].reply(&c.w)
		}
	}
	clear(items)
	c.items, c.kind, c.nbytes = items[:0], kindNone, 0
	if cap(c.items) > 4*maxGroupItems {
		c.items = nil
	}
}

func (s *Server) commandContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(s.ctx, s.CommandTimeout)
}

// runReads runs a group of reads in one read transaction.
func (c *client) runReads(items []action) {
	ctx, cancel := c.s.commandContext()
	defer cancel()
	i := 0
	var km *keyMiss // keymiss events (keymiss.go)
	mask := c.s.keyMissMask()
	if mask != 0 {
		km = &keyMiss{}
	}
	err := c.s.strs.View(ctx, func(r *strkv.Reader) error {
		for ; i < len(items); i++ {
			if a := &items[i]; a.read != nil {
				if km != nil {
					km.watch(r, a)
				}
				a.read(&c.w, r)
				if km != nil {
					km.publish(c.s, mask)
				}
			} else {
				a.reply(&c.w)
			}
		}
		return nil
	})
	// On failure, the commands that did not run get the error.
	for ; i < len(items); i++ {
		if a := &items[i]; a.read != nil {
			c.storeError(a.cmd, err)
		} else {
			a.reply(&c.w)
		}
	}
}

// runWrites commits a group's mutations together and replies to each
// command from its own results.
func (c *client) runWrites(items []action) {
	ctx, cancel := c.s.commandContext()
	defer cancel()
	var muts []strkv.Mutation
	for i := range items {
		muts = append(muts, items[i].muts...)
	}
	res, err := c.s.strs.Run(ctx, muts...)
	for i := range items {
		a := &items[i]
		switch {
		case a.done == nil:
			a.reply(&c.w)
		case err != nil:
			if a.failed != nil {
				a.failed()
			}
			c.storeError(a.cmd, err)
		default:
			a.done(&c.w, res[:len(a.muts):len(a.muts)])
			res = res[len(a.muts):]
		}
	}
}

// replyAction returns an action that writes a fixed reply.
func replyAction(fn func(w *writer)) action { return action{reply: fn} }

// okAction replies +OK.
func okAction() action { return replyAction(func(w *writer) { w.WriteString("OK") }) }

// readAction returns an action that reads.
func readAction(fn func(w *writer, r *strkv.Reader)) action { return action{read: fn} }

// writeAction returns an action that commits muts.
func writeAction(done func(w *writer, res [][]byte), muts ...strkv.Mutation) action {
	return action{muts: slices.Clip(muts), done: done}
}

// execAction returns an action that runs alone.
func execAction(fn func(ctx context.Context, w *writer)) action { return action{exec: fn} }
