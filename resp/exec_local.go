package resp

// Node-local commands inside MULTI/EXEC.
//
// EXEC replays the queued commands at apply time, on every replica, against
// a throwaway client (transactions.go). That is right for commands that read
// or write keys, but not for the ones whose effect is on the connection or
// on this node: CLIENT SETNAME must name the real connection, CONFIG SET
// must change this server's settings, SUBSCRIBE must subscribe the caller.
// Those commands are left out of the replicated replay: the replay notes
// where their replies go, and after the commit the real client runs them,
// in queue order, and splices their replies into EXEC's array.

import (
	"context"
	"encoding/binary"

	"github.com/aspen-db/aspen/layers/strkv"
)

// localInExec reports whether the named command runs on the client after
// EXEC's commit instead of in the replicated replay.
func localInExec(name string) bool {
	switch name {
	case "client", "config", "hello", "auth", "info",
		"subscribe", "unsubscribe", "psubscribe", "punsubscribe",
		"ssubscribe", "sunsubscribe", "pubsub":
		return true
	}
	return false
}

// execBodyStart is where the replies start in the exec mutation's result:
// status, database, then the count of node-local slots and their offsets
// when the count is not zero.
const execBodyStart = 3

// finishExecResult turns the replay's buffer (status, database, a zero
// slot count, replies) into the exec mutation's result, recording the
// offsets (within the replies) where node-local commands' replies go.
func finishExecResult(b []byte, slots []int) []byte {
	if len(slots) == 0 {
		return b
	}
	out := make([]byte, 0, len(b)+1+binary.MaxVarintLen64*len(slots))
	out = append(out, b[0], b[1])
	out = binary.AppendUvarint(out, uint64(len(slots)))
	for _, s := range slots {
		out = binary.AppendUvarint(out, uint64(s-execBodyStart))
	}
	return append(out, b[execBodyStart:]...)
}

// splitExecResult reads finishExecResult's output after the status and
// database bytes: the replies and the node-local slots' offsets in them.
func splitExecResult(b []byte) (body []byte, slots []int, err error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return nil, nil, errMalformedExec
	}
	b = b[k:]
	slots = make([]int, 0, n)
	prev := 0
	for range n {
		off, k := binary.Uvarint(b)
		if k <= 0 {
			return nil, nil, errMalformedExec
		}
		b = b[k:]
		slots = append(slots, int(off))
		if int(off) < prev {
			return nil, nil, errMalformedExec
		}
		prev = int(off)
	}
	if prev > len(b) {
		return nil, nil, errMalformedExec
	}
	return b, slots, nil
}

// writeExecReplies writes EXEC's array reply: the replayed replies, with
// the node-local commands of queue run now, on c, in their places.
func (c *client) writeExecReplies(ctx context.Context, w *writer, res []byte, queue [][][]byte) {
	body, slots, err := splitExecResult(res)
	if err != nil {
		c.replyErr(w, "exec", err)
		return
	}
	if len(slots) == 0 {
		w.WriteRaw(body)
		return
	}
	var local [][][]byte
	for _, args := range queue {
		if cmd := lookup(args[0]); cmd != nil && arityOK(cmd.arity, len(args)) && localInExec(cmd.name) {
			local = append(local, args)
		}
	}
	if len(local) != len(slots) {
		c.replyErr(w, "exec", errMalformedExec)
		return
	}
	prev := 0
	for i, off := range slots {
		w.WriteRaw(body[prev:off])
		c.runLocal(ctx, w, local[i])
		prev = off
	}
	w.WriteRaw(body[prev:])
}

// runLocal runs one node-local command on c and writes its reply.
func (c *client) runLocal(ctx context.Context, w *writer, args [][]byte) {
	cmd := lookup(args[0])
	a := cmd.run(c, args)
	a.cmd = cmd
	switch a.kind() {
	case kindNone:
		a.reply(w)
	case kindExec:
		a.exec(ctx, w)
	case kindRead:
		err := c.s.strs.View(ctx, func(r *strkv.Reader) error {
			a.read(w, r)
			return nil
		})
		if err != nil {
			c.replyErr(w, cmd.name, err)
		}
	default:
		res, err := c.s.strs.Run(ctx, a.muts...)
		if err != nil {
			c.replyErr(w, cmd.name, err)
			return
		}
		a.done(w, res)
	}
}
