package resp

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/strkv"
)

// Transaction commands: MULTI, EXEC, DISCARD, WATCH, UNWATCH.
//
// MULTI queues commands on the connection. EXEC sends the whole queue to
// the store as one deterministic mutation (opExec): every replica replays
// the queued commands, in order, against the state of the commit, and the
// leader's replies come back as one array. Queued reads therefore see the
// queued writes before them, and nothing else runs in between, as in
// Redis. The replay uses the same command handlers as a live connection,
// with a client of its own that carries the connection's database and
// protocol version.
//
// WATCH opens a store transaction and reads the watched keys' records
// through it, which marks them (and their members) as read at that
// version. EXEC commits its mutation in that transaction, so the store's
// conflict check fails it if any node wrote a watched key since WATCH; EXEC
// then replies with a null array. A watched key that expires before EXEC
// aborts it too, as in Redis 7.

// opExec is the mutation EXEC commits.
const opExec = "resp.exec"

// maxWatchedKeys bounds the keys one connection may WATCH.
const maxWatchedKeys = 10000

// multiState is a connection's MULTI in progress.
type multiState struct {
	active bool
	// dirty: a command was refused while queueing (unknown, wrong arity),
	// so EXEC must discard the transaction.
	dirty bool
	queue [][][]byte
}

// watchState is a connection's WATCHed keys and the transaction whose read
// version they were read at.
type watchState struct {
	tx   layers.Txn
	keys []watchedKey
}

type watchedKey struct {
	db       int
	key      []byte
	expireAt int64 // the key's expiry when watched; 0 if none or absent
}

// release ends the watch transaction.
func (ws *watchState) release() {
	if ws != nil && ws.tx != nil {
		ws.tx.Rollback()
		ws.tx = nil
	}
}

// queuesInMulti reports whether cmd is queued inside MULTI rather than run
// at once: every command except the ones that control the transaction.
func queuesInMulti(cmd *command) bool {
	switch cmd.name {
	case "exec", "discard", "multi", "watch", "quit", "reset":
		return false
	}
	return true
}

// queue adds a command to the MULTI in progress; plan calls it for every
// command that queuesInMulti, after the name and arity checks. The
// command's own argument checks run at EXEC, as in Redis, where their
// errors become elements of EXEC's reply.
func (c *client) queue(args [][]byte) action {
	cp := make([][]byte, len(args))
	for i, a := range args {
		cp[i] = bytes.Clone(a)
	}
	c.multi.queue = append(c.multi.queue, cp)
	return replyAction(func(w *writer) { w.WriteString("QUEUED") })
}

// refuseInMulti records a command refused while queueing, so that EXEC
// aborts.
func (c *client) refuseInMulti() {
	if c.multi.active {
		c.multi.dirty = true
	}
}

// resetTransaction forgets the MULTI in progress and the watched keys.
func (c *client) resetTransaction() {
	c.multi = multiState{}
	c.watch.release()
	c.watch = nil
}

func cmdMulti(c *client, args [][]byte) action {
	if c.multi.active {
		return errAction("ERR MULTI calls can not be nested")
	}
	c.multi.active = true
	return okAction()
}

func cmdDiscard(c *client, args [][]byte) action {
	if !c.multi.active {
		return errAction("ERR DISCARD without MULTI")
	}
	c.resetTransaction()
	return okAction()
}

func cmdUnwatch(c *client, args [][]byte) action {
	c.watch.release()
	c.watch = nil
	return okAction()
}

// cmdWatch reads the keys' records in a transaction kept open until EXEC,
// DISCARD, UNWATCH or the connection's end.
func cmdWatch(c *client, args [][]byte) action {
	if c.multi.active {
		return errAction("ERR WATCH inside MULTI is not allowed")
	}
	db := c.db
	keys := make([][]byte, len(args)-1)
	for i, k := range args[1:] {
		keys[i] = bytes.Clone(k)
	}
	return execAction(func(ctx context.Context, w *writer) {
		if c.watch != nil && len(c.watch.keys)+len(keys) > maxWatchedKeys {
			w.WriteError(fmt.Sprintf("ERR too many watched keys (at most %d)", maxWatchedKeys))
			return
		}
		if c.watch == nil {
			tx, err := c.s.strs.KV().Begin(ctx)
			if err != nil {
				c.replyErr(w, "watch", err)
				return
			}
			c.watch = &watchState{tx: tx}
		}
		ws := c.watch
		r := strkv.NewReader(ws.tx, time.Now().UnixMilli())
		for _, k := range keys {
			m, ok, err := r.Meta(db, k)
			if err != nil {
				c.resetTransaction()
				c.replyErr(w, "watch", err)
				return
			}
			// A change to any member of the key is a change to the key.
			ws.tx.AddReadConflictRange(strkv.DataSubspace(db, k).Range())
			wk := watchedKey{db: db, key: k}
			if ok {
				wk.expireAt = m.ExpireAt
			}
			ws.keys = append(ws.keys, wk)
		}
		w.WriteString("OK")
	})
}

// cmdExec commits the queued commands as one mutation and replies with
// their replies.
func cmdExec(c *client, args [][]byte) action {
	if !c.multi.active {
		return errAction("ERR EXEC without MULTI")
	}
	ms, ws := c.multi, c.watch
	c.multi, c.watch = multiState{}, nil
	if ms.dirty {
		ws.release()
		return errAction("EXECABORT Transaction discarded because of previous errors.")
	}
	db, resp3 := c.db, c.w.resp3
	return execAction(func(ctx context.Context, w *writer) {
		defer ws.release()
		var keys []watchedKey
		if ws != nil {
			keys = ws.keys
		}
		res, err := c.commitExec(ctx, ws, encodeExec(resp3, db, keys, ms.queue))
		switch {
		case err != nil && ws != nil && layers.IsRetryable(err):
			// A watched key changed (or the watch is too old to tell, or
			// the leader changed): abort, as Redis does for a touched key.
			w.WriteNullArray()
		case err != nil:
			c.replyErr(w, "exec", err)
		case len(res) < 2:
			c.replyErr(w, "exec", errMalformedExec)
		case res[0] == execAborted:
			w.WriteNullArray()
		default:
			c.db = int(res[1])
			c.writeExecReplies(ctx, w, res[2:], ms.queue)
		}
	})
}

// commitExec commits the exec mutation: in the watch transaction when
// there is one (no retry: a conflict means a watched key changed), else in
// a fresh transaction retried while the store says so.
func (c *client) commitExec(ctx context.Context, ws *watchState, args []byte) ([]byte, error) {
	if ws != nil {
		ws.tx.Mutate(opExec, args)
		res, err := ws.tx.Commit(ctx)
		ws.tx = nil
		if err != nil {
			return nil, err
		}
		return res.Results[0], nil
	}
	res, err := c.s.strs.Run(ctx, strkv.Mutation{Op: opExec, Args: args})
	if err != nil {
		return nil, err
	}
	return res[0], nil
}

// Exec result status bytes.
const (
	execDone    byte = 0 // then the final database and the replies
	execAborted byte = 1 // a watched key expired
)

// execMutation returns the apply-time half of EXEC: it replays the queued
// commands against m through the command handlers, running each write's
// mutations in place with the registered mutation functions, and returns
// the status, the database the connection ends in, and the array reply.
func execMutation(muts map[string]layers.MutationFunc) layers.MutationFunc {
	srv := &Server{logger: slog.New(slog.DiscardHandler)}
	return func(m layers.Mutator, args []byte) ([]byte, error) {
		resp3, db, expiries, cmds, err := decodeExec(args)
		if err != nil {
			return nil, fmt.Errorf("exec: %w", err)
		}
		nowMs := m.Now().UnixMilli()
		aborted := false
		for _, at := range expiries {
			if at != 0 && at <= nowMs {
				aborted = true
			}
		}
		if aborted {
			return []byte{execAborted, byte(db)}, nil
		}
		c := &client{s: srv, db: int(db), inExec: true}
		c.w.resp3 = resp3
		c.w.b = append(c.w.b, execDone, 0, 0) // status, db, local slots
		c.w.WriteArray(len(cmds))
		for _, args := range cmds {
			if err := c.replay(m, muts, args); err != nil {
				return nil, err
			}
		}
		c.w.b[1] = byte(c.db)
		return finishExecResult(c.w.b, c.localSlots), nil
	}
}

// errNotInExec is the reply to a queued command that cannot run inside a
// transaction.
const msgNotInExec = "ERR Command not allowed inside a transaction"

// replay runs one queued command at apply time and writes its reply.
func (c *client) replay(m layers.Mutator, muts map[string]layers.MutationFunc, args [][]byte) error {
	cmd := lookup(args[0])
	if cmd == nil || !arityOK(cmd.arity, len(args)) {
		// Checked when queued; only a newer node's command could get
		// here.
		c.w.WriteError(unknownCommandMsg(args))
		return nil
	}
	if localInExec(cmd.name) {
		c.localSlots = append(c.localSlots, len(c.w.b))
		return nil
	}
	a := cmd.run(c, args)
	switch a.kind() {
	case kindNone:
		a.reply(&c.w)
	case kindRead:
		r := strkv.NewReader(m, m.Now().UnixMilli())
		if cmd.name != "object" {
			// Inside EXEC the misses are announced by the apply, on
			// every node as the writes' events are (keymiss.go).
			strkv.AnnounceMisses(r, m)
		}
		a.read(&c.w, r)
	case kindWrite:
		res := make([][]byte, len(a.muts))
		for i, mu := range a.muts {
			fn, ok := muts[mu.Op]
			if !ok || mu.Op == opExec {
				return fmt.Errorf("exec: %s: no mutation %q", cmd.name, mu.Op)
			}
			r, err := fn(m, mu.Args)
			if err != nil {
				return fmt.Errorf("exec: %s: %w", cmd.name, err)
			}
			res[i] = r
		}
		a.done(&c.w, res)
	default:
		c.w.WriteError(msgNotInExec)
	}
	return nil
}

// errMalformedExec reports exec arguments or results that cannot be read;
// only a bug produces them.
var errMalformedExec = errors.New("malformed exec mutation")

// encodeExec encodes the exec mutation's arguments: the protocol version,
// the database, the watched keys' expiries, and the queued commands.
func encodeExec(resp3 bool, db int, keys []watchedKey, cmds [][][]byte) []byte {
	b := []byte{0}
	if resp3 {
		b[0] = 1
	}
	b = binary.AppendUvarint(b, uint64(db))
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		b = binary.AppendVarint(b, k.expireAt)
	}
	b = binary.AppendUvarint(b, uint64(len(cmds)))
	for _, cmd := range cmds {
		b = binary.AppendUvarint(b, uint64(len(cmd)))
		for _, a := range cmd {
			b = binary.AppendUvarint(b, uint64(len(a)))
			b = append(b, a...)
		}
	}
	return b
}

// decodeExec reads what encodeExec wrote. Counts are checked against the
// bytes left before anything is allocated.
func decodeExec(b []byte) (resp3 bool, db int, expiries []int64, cmds [][][]byte, err error) {
	if len(b) < 1 {
		return false, 0, nil, nil, errMalformedExec
	}
	resp3, b = b[0] == 1, b[1:]
	uv := func() uint64 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			err = errMalformedExec
			return 0
		}
		b = b[n:]
		return v
	}
	count := func() uint64 {
		n := uv()
		if n > uint64(len(b)) {
			err = errMalformedExec
			return 0
		}
		return n
	}
	dbn := uv()
	if err == nil && dbn >= strkv.NumDBs {
		err = errMalformedExec
	}
	db = int(dbn)
	for n := count(); n > 0 && err == nil; n-- {
		v, k := binary.Varint(b)
		if k <= 0 {
			err = errMalformedExec
			break
		}
		b = b[k:]
		expiries = append(expiries, v)
	}
	for n := count(); n > 0 && err == nil; n-- {
		nargs := count()
		cmd := make([][]byte, 0, nargs)
		for ; nargs > 0 && err == nil; nargs-- {
			l := uv()
			if err == nil && l > uint64(len(b)) {
				err = errMalformedExec
			}
			if err != nil {
				break
			}
			cmd = append(cmd, b[:l:l])
			b = b[l:]
		}
		cmds = append(cmds, cmd)
	}
	if err == nil && len(b) != 0 {
		err = errMalformedExec
	}
	return resp3, db, expiries, cmds, err
}

// transactionCommands lists this file's commands for the command table.
func transactionCommands() []*command {
	return []*command{
		{name: "discard", arity: 1, flags: []string{flagNoScript, flagLoading, flagStale, flagFast}, group: "transaction", run: cmdDiscard},
		{name: "exec", arity: 1, flags: []string{flagNoScript, flagLoading, flagStale}, group: "transaction", run: cmdExec},
		{name: "multi", arity: 1, flags: []string{flagNoScript, flagLoading, flagStale, flagFast}, group: "transaction", run: cmdMulti},
		{name: "unwatch", arity: 1, flags: []string{flagNoScript, flagLoading, flagStale, flagFast}, group: "transaction", run: cmdUnwatch},
		{name: "watch", arity: -2, flags: []string{flagNoScript, flagLoading, flagStale, flagFast}, group: "transaction", firstKey: 1, lastKey: -1, step: 1, run: cmdWatch},
	}
}
