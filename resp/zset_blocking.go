package resp

import (
	"bytes"
	"context"

	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/layers/zsetkv"
)

// ZMPOP, and the blocking BZPOPMIN, BZPOPMAX and BZMPOP.
//
// BZPOPMIN and BZPOPMAX: ZPOPMIN/ZPOPMAX of one member from the first
// non-empty of several keys, waiting (blocking.go) until one receives
// members. Sorted set writes that add members emit zsetkv.AddTopic events,
// registered here as wake-ups.

func init() {
	registerWakeTopic(zsetkv.AddTopic, false, zsetkv.DecodeKeyEvent)
}

// writeBZPop writes a BZPOP reply: key, member, score. ok is false when
// nothing was popped.
func writeBZPop(c *client, w *writer, name string, keys [][]byte, res []byte) (ok bool) {
	r, err := zsetkv.DecodePop(res)
	switch {
	case err != nil:
		c.zsetErr(w, name, err)
		return true
	case r.Key < 0 || r.Key >= len(keys) || len(r.Entries) == 0:
		return false
	}
	w.WriteArray(3)
	w.WriteBulk(keys[r.Key])
	w.WriteBulk(r.Entries[0].Member)
	w.WriteDouble(r.Entries[0].Score)
	return true
}

// cmdBZPop serves BZPOPMIN and BZPOPMAX key [key ...] timeout.
func cmdBZPop(c *client, args [][]byte, name string, highest bool) action {
	timeout, msg := parseTimeout(args[len(args)-1])
	if msg != "" {
		return errAction(msg)
	}
	keys := args[1 : len(args)-1]
	op := zsetkv.PopOp(c.db, keys, highest, 1)
	if !c.blockingAllowed() {
		// Inside MULTI/EXEC: pop now or reply a null array.
		return writeAction(func(w *writer, res [][]byte) {
			if !writeBZPop(c, w, name, keys, res[0]) {
				w.WriteNullArray()
			}
		}, op)
	}
	return blockAction(c, name, keys, timeout, func(ctx context.Context, w *writer) bool {
		res, err := c.s.strs.Run(ctx, op)
		if err != nil {
			c.replyErr(w, name, err)
			return true
		}
		return writeBZPop(c, w, name, keys, res[0])
	})
}

func cmdBZPopMin(c *client, args [][]byte) action { return cmdBZPop(c, args, "bzpopmin", false) }

func cmdBZPopMax(c *client, args [][]byte) action { return cmdBZPop(c, args, "bzpopmax", true) }

// zmpopArgs is a parsed ZMPOP/BZMPOP: the keys, the end and the count.
type zmpopArgs struct {
	keys    [][]byte
	highest bool
	count   int64
}

// parseZMPop parses numkeys key ... MIN|MAX [COUNT count] from args[at],
// in Redis's order of checks; msg is the error reply.
func parseZMPop(args [][]byte, at int) (p zmpopArgs, msg string) {
	const numkeysMsg = "ERR numkeys should be greater than 0"
	const countMsg = "ERR count should be greater than 0"
	n, ok := strkv.ParseInt(args[at])
	if !ok || n < 1 {
		return p, numkeysMsg
	}
	where := int64(at) + n + 1
	if where >= int64(len(args)) {
		return p, msgSyntax
	}
	p.keys = args[at+1 : where]
	switch w := args[where]; {
	case bytes.EqualFold(w, []byte("min")):
	case bytes.EqualFold(w, []byte("max")):
		p.highest = true
	default:
		return p, msgSyntax
	}
	p.count = -1
	for j := int(where) + 1; j < len(args); j++ {
		if p.count == -1 && bytes.EqualFold(args[j], []byte("count")) && j+1 < len(args) {
			j++
			c, ok := strkv.ParseInt(args[j])
			if !ok || c < 1 {
				return p, countMsg
			}
			p.count = c
			continue
		}
		return p, msgSyntax
	}
	if p.count == -1 {
		p.count = 1
	}
	return p, ""
}

// writeZMPop writes a ZMPOP reply: the key and its [member, score] pairs
// (nested in RESP2 too). ok is false when nothing was popped.
func writeZMPop(c *client, w *writer, name string, keys [][]byte, res []byte) (ok bool) {
	r, err := zsetkv.DecodePop(res)
	switch {
	case err != nil:
		c.zsetErr(w, name, err)
		return true
	case r.Key < 0 || r.Key >= len(keys) || len(r.Entries) == 0:
		return false
	}
	w.WriteArray(2)
	w.WriteBulk(keys[r.Key])
	w.WriteArray(len(r.Entries))
	for _, e := range r.Entries {
		w.WriteArray(2)
		w.WriteBulk(e.Member)
		w.WriteDouble(e.Score)
	}
	return true
}

// cmdZMPop serves ZMPOP numkeys key ... MIN|MAX [COUNT count].
func cmdZMPop(c *client, args [][]byte) action {
	p, msg := parseZMPop(args, 1)
	if msg != "" {
		return errAction(msg)
	}
	return writeAction(func(w *writer, res [][]byte) {
		if !writeZMPop(c, w, "zmpop", p.keys, res[0]) {
			w.WriteNullArray()
		}
	}, zsetkv.PopOp(c.db, p.keys, p.highest, p.count))
}

// cmdBZMPop serves BZMPOP timeout numkeys key ... MIN|MAX [COUNT count].
func cmdBZMPop(c *client, args [][]byte) action {
	p, msg := parseZMPop(args, 2)
	if msg != "" {
		return errAction(msg)
	}
	timeout, msg := parseTimeout(args[1])
	if msg != "" {
		return errAction(msg)
	}
	op := zsetkv.PopOp(c.db, p.keys, p.highest, p.count)
	if !c.blockingAllowed() {
		return writeAction(func(w *writer, res [][]byte) {
			if !writeZMPop(c, w, "bzmpop", p.keys, res[0]) {
				w.WriteNullArray()
			}
		}, op)
	}
	return blockAction(c, "bzmpop", p.keys, timeout, func(ctx context.Context, w *writer) bool {
		res, err := c.s.strs.Run(ctx, op)
		if err != nil {
			c.replyErr(w, "bzmpop", err)
			return true
		}
		return writeZMPop(c, w, "bzmpop", p.keys, res[0])
	})
}

// zsetBlockingCommands lists this file's commands for the command table.
func zsetBlockingCommands() []*command {
	flags := []string{flagWrite, flagNoScript, "blocking", flagFast}
	return []*command{
		{name: "bzpopmax", arity: -3, flags: flags, group: "sortedset", firstKey: 1, lastKey: -2, step: 1, run: cmdBZPopMax},
		{name: "bzmpop", arity: -5, flags: []string{flagWrite, "blocking", "movablekeys"}, group: "sortedset", run: cmdBZMPop},
		{name: "bzpopmin", arity: -3, flags: flags, group: "sortedset", firstKey: 1, lastKey: -2, step: 1, run: cmdBZPopMin},
		{name: "zmpop", arity: -4, flags: []string{flagWrite, "movablekeys"}, group: "sortedset", run: cmdZMPop},
	}
}
