package resp

import (
	"bytes"
	"context"
	"strings"
	"time"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/streamkv"
	"github.com/aspen-db/aspen/layers/strkv"
)

// Stream commands (issue 5): XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM,
// XSETID, XREAD, XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM
// and XINFO, over package streamkv.
//
// The layer checks every argument itself, at apply time and in Redis's
// order, and returns a protocol-neutral reply that writeStreamReply
// renders. Handlers here only check what Redis checks before a command
// runs (subcommands and their arity) and choose how the command runs:
// reads in a read snapshot, writes as the streamkv.CmdOp mutation, and
// XREAD/XREADGROUP with BLOCK through blockAction, woken by the
// streamkv.AddTopic event XADD emits on every replica.
//
// Unlike a list push, which one waiter consumes, a stream entry is for
// every XREAD waiting on the key (and a waiter may wait for ids after it),
// so the event wakes all the waiters of the key, not only the first (see
// registerWakeTopic).

func init() {
	// An added entry can be read by every blocked XREAD and by one
	// XREADGROUP per group: wake them all and let each look.
	registerWakeTopic(streamkv.AddTopic, true, streamkv.DecodeKeyEvent)
}

// streamMutations returns the stream layer's mutations.
func streamMutations() map[string]layers.MutationFunc { return streamkv.Mutations() }

// streamCommands lists this file's commands for the command table.
func streamCommands() []*command {
	w, r := flagWrite, flagReadonly
	return []*command{
		{name: "xack", arity: -4, flags: []string{w, flagFast}, group: "stream", firstKey: 1, lastKey: 1, step: 1, run: cmdStreamWrite},
		{name: "xadd", arity: -5, flags: []string{w, flagDenyOOM, flagFast}, group: "stream", firstKey: 1, lastKey: 1, step: 1, run: cmdStreamWrite},
		{name: "xautoclaim", arity: -6, flags: []string{w, flagFast}, group: "stream", firstKey: 1, lastKey: 1, step: 1, run: cmdStreamWrite},
		{name: "xclaim", arity: -6, flags: []string{w, flagFast}, group: "stream", firstKey: 1, lastKey: 1, step: 1, run: cmdStreamWrite},
		{name: "xdel", arity: -3, flags: []string{w, flagFast}, group: "stream", firstKey: 1, lastKey: 1, step: 1, run: cmdStreamWrite},
		{name: "xgroup", arity: -2, group: "stream", run: cmdXGroup},
		{name: "xinfo", arity: -2, group: "stream", run: cmdXInfo},
		{name: "xlen", arity: 2, flags: []string{r, flagFast}, group: "stream", firstKey: 1, lastKey: 1, step: 1, run: cmdStreamRead},
		{name: "xpending", arity: -3, flags: []string{r}, group: "stream", firstKey: 1, lastKey: 1, step: 1, run: cmdStreamRead},
		{name: "xrange", arity: -4, flags: []string{r}, group: "stream", firstKey: 1, lastKey: 1, step: 1, run: cmdStreamRead},
		{name: "xread", arity: -4, flags: []string{r, "blocking", "movablekeys"}, group: "stream", run: cmdXRead},
		{name: "xreadgroup", arity: -7, flags: []string{w, "blocking", "movablekeys"}, group: "stream", run: cmdXReadGroup},
		{name: "xrevrange", arity: -4, flags: []string{r}, group: "stream", firstKey: 1, lastKey: 1, step: 1, run: cmdStreamRead},
		{name: "xsetid", arity: -3, flags: []string{w, flagDenyOOM, flagFast}, group: "stream", firstKey: 1, lastKey: 1, step: 1, run: cmdStreamWrite},
		{name: "xtrim", arity: -4, flags: []string{w}, group: "stream", firstKey: 1, lastKey: 1, step: 1, run: cmdStreamWrite},
	}
}

// writeStreamReply writes r in the client's protocol.
func writeStreamReply(w *writer, r streamkv.Reply) {
	switch r.Kind {
	case streamkv.KindArray:
		w.WriteArray(len(r.Elems))
		for _, e := range r.Elems {
			writeStreamReply(w, e)
		}
	case streamkv.KindMap:
		w.WriteMap(len(r.Elems) / 2)
		for _, e := range r.Elems {
			writeStreamReply(w, e)
		}
	case streamkv.KindPairs:
		if w.resp3 {
			w.WriteMap(len(r.Elems) / 2)
		} else {
			w.WriteArray(len(r.Elems) / 2)
		}
		for i := 0; i+1 < len(r.Elems); i += 2 {
			if !w.resp3 {
				w.WriteArray(2)
			}
			writeStreamReply(w, r.Elems[i])
			writeStreamReply(w, r.Elems[i+1])
		}
	case streamkv.KindNullArray:
		w.WriteNullArray()
	case streamkv.KindBulk:
		w.WriteBulk(r.Str)
	case streamkv.KindNull:
		w.WriteNull()
	case streamkv.KindInt:
		w.WriteInt64(r.Int)
	case streamkv.KindStatus:
		w.WriteString(string(r.Str))
	case streamkv.KindError:
		w.WriteError(string(r.Str))
	}
}

// streamResultReply renders the result of a streamkv.CmdOp.
func streamResultReply(c *client, name string) func(w *writer, res [][]byte) {
	return func(w *writer, res [][]byte) {
		r, err := streamkv.DecodeReply(res[0])
		if err != nil {
			c.replyErr(w, name, err)
			return
		}
		writeStreamReply(w, r)
	}
}

// cmdStreamWrite runs a stream write command as one mutation.
func cmdStreamWrite(c *client, args [][]byte) action {
	name := strings.ToLower(string(args[0]))
	return writeAction(streamResultReply(c, name), streamkv.CmdOp(c.db, args))
}

// cmdStreamRead runs a stream read command in the read snapshot.
func cmdStreamRead(c *client, args [][]byte) action {
	db, name := c.db, strings.ToLower(string(args[0]))
	return readAction(func(w *writer, r *strkv.Reader) {
		rep, err := streamkv.Query(r, db, args)
		if err != nil {
			c.replyErr(w, name, err)
			return
		}
		writeStreamReply(w, rep)
	})
}

// subcommand checks a container command's subcommand against its arity
// table (Redis's convention: n exactly, -n at least n) and returns the
// error Redis gives before running it, or "".
func subcommand(args [][]byte, arities map[string]int) string {
	sub := strings.ToLower(string(args[1]))
	a, ok := arities[sub]
	switch {
	case !ok:
		return unknownSubcommandMsg(args)
	case a >= 0 && len(args) != a, a < 0 && len(args) < -a:
		return arityMsg(strings.ToLower(string(args[0])) + "|" + sub)
	}
	return ""
}

// helpAction replies with a subcommand help text.
func helpAction(lines []string) action {
	return replyAction(func(w *writer) {
		w.WriteArray(len(lines))
		for _, l := range lines {
			w.WriteString(l)
		}
	})
}

var xgroupArity = map[string]int{"create": -5, "setid": -5, "destroy": 4, "createconsumer": 5, "delconsumer": 5, "help": 2}

var xgroupHelp = []string{
	"XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"CREATE <key> <groupname> <id|$> [option]",
	"    Create a new consumer group. Options are:",
	"    * MKSTREAM",
	"      Create the empty stream if it does not exist.",
	"    * ENTRIESREAD entries_read",
	"      Set the group's entries_read counter (internal use).",
	"CREATECONSUMER <key> <groupname> <consumer>",
	"    Create a new consumer in the specified group.",
	"DELCONSUMER <key> <groupname> <consumer>",
	"    Remove the specified consumer.",
	"DESTROY <key> <groupname>",
	"    Remove the specified group.",
	"SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
	"    Set the current group ID and entries_read counter.",
	"HELP",
	"    Prints this help.",
}

// cmdXGroup serves XGROUP and its subcommands.
func cmdXGroup(c *client, args [][]byte) action {
	if msg := subcommand(args, xgroupArity); msg != "" {
		return errAction(msg)
	}
	if bytes.EqualFold(args[1], []byte("help")) {
		return helpAction(xgroupHelp)
	}
	return cmdStreamWrite(c, args)
}

var xinfoArity = map[string]int{"consumers": 4, "groups": 3, "stream": -3, "help": 2}

var xinfoHelp = []string{
	"XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"CONSUMERS <key> <groupname>",
	"    Show consumers of <groupname>.",
	"GROUPS <key>",
	"    Show the stream consumer groups.",
	"STREAM <key> [FULL [COUNT <count>]",
	"    Show information about the stream.",
	"HELP",
	"    Prints this help.",
}

// cmdXInfo serves XINFO and its subcommands.
func cmdXInfo(c *client, args [][]byte) action {
	if msg := subcommand(args, xinfoArity); msg != "" {
		return errAction(msg)
	}
	if bytes.EqualFold(args[1], []byte("help")) {
		return helpAction(xinfoHelp)
	}
	return cmdStreamRead(c, args)
}

// blockTimeout converts a BLOCK option (milliseconds, 0 forever).
func blockTimeout(ms int64) time.Duration {
	if ms > int64(maxBlockTimeout/time.Millisecond) {
		return 0
	}
	return time.Duration(ms) * time.Millisecond
}

// cmdXRead serves XREAD [COUNT n] [BLOCK ms] STREAMS key ... id ...
func cmdXRead(c *client, args [][]byte) action {
	a, rep := streamkv.ParseRead(args, false, time.Now().UnixMilli())
	if rep != nil || a.Block < 0 || !c.blockingAllowed() {
		return cmdStreamRead(c, args)
	}
	db := c.db
	// "$" means the last id when the command first runs: resolved on the
	// first attempt and kept for the next ones.
	var argv [][]byte
	return blockAction(c, "xread", a.Keys, blockTimeout(a.Block), func(ctx context.Context, w *writer) bool {
		var out streamkv.Reply
		err := c.s.strs.View(ctx, func(r *strkv.Reader) error {
			if argv == nil {
				argv = make([][]byte, len(args))
				copy(argv, args)
				first := len(args) - len(a.IDs)
				for i, id := range a.IDs {
					if !bytes.Equal(id, []byte("$")) {
						continue
					}
					last, wrong, err := streamkv.LastID(r, db, a.Keys[i])
					if err != nil {
						return err
					}
					if !wrong {
						argv[first+i] = []byte(last.String())
					}
				}
			}
			var err error
			out, err = streamkv.Query(r, db, argv)
			return err
		})
		if err != nil {
			argv = nil
			c.replyErr(w, "xread", err)
			return true
		}
		if out.Kind == streamkv.KindNullArray {
			return false
		}
		writeStreamReply(w, out)
		return true
	})
}

// cmdXReadGroup serves XREADGROUP GROUP group consumer [COUNT n]
// [BLOCK ms] [NOACK] STREAMS key ... id ...
func cmdXReadGroup(c *client, args [][]byte) action {
	a, rep := streamkv.ParseRead(args, true, time.Now().UnixMilli())
	if rep != nil || a.Block < 0 || !c.blockingAllowed() {
		return cmdStreamWrite(c, args)
	}
	db := c.db
	op := streamkv.CmdOp(db, args)
	first := true
	return blockAction(c, "xreadgroup", a.Keys, blockTimeout(a.Block), func(ctx context.Context, w *writer) bool {
		if !first {
			// Look before writing: an attempt with nothing to deliver
			// would only refresh the consumer's seen time.
			ready := false
			err := c.s.strs.View(ctx, func(r *strkv.Reader) error {
				for _, k := range a.Keys {
					ok, err := streamkv.GroupReady(r, db, k, a.Group)
					if err != nil || ok {
						ready = true
						return err
					}
				}
				return nil
			})
			if err == nil && !ready {
				return false
			}
		}
		res, err := c.s.strs.Run(ctx, op)
		if err != nil {
			c.replyErr(w, "xreadgroup", err)
			return true
		}
		out, err := streamkv.DecodeReply(res[0])
		if err != nil {
			c.replyErr(w, "xreadgroup", err)
			return true
		}
		switch {
		case out.Kind == streamkv.KindNullArray:
			first = false
			return false
		case out.Kind == streamkv.KindError && !first:
			// The key or the group went while the command waited: Redis
			// unblocks it with an error of its own.
			w.WriteError(blockedGone(ctx, c, db, a.Keys))
			return true
		}
		writeStreamReply(w, out)
		return true
	})
}

// blockedGone returns the error a blocked XREADGROUP gets when its group
// or its stream disappears, as Redis 7.0 words it.
func blockedGone(ctx context.Context, c *client, db int, keys [][]byte) string {
	const (
		noKey   = "UNBLOCKED the stream key no longer exists"
		noGroup = "NOGROUP the consumer group this client was blocked on no longer exists"
	)
	msg := noGroup
	err := c.s.strs.View(ctx, func(r *strkv.Reader) error {
		for _, k := range keys {
			m, ok, err := r.Meta(db, k)
			if err != nil {
				return err
			}
			if !ok || m.Type != streamkv.TypeStream {
				msg = noKey
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return noKey
	}
	return msg
}
