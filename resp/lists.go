package resp

import (
	"bytes"
	"context"
	"errors"
	"math"
	"time"

	"github.com/aspen-db/aspen/layers/listkv"
	"github.com/aspen-db/aspen/layers/strkv"
)

// List commands: LPUSH, RPUSH, LPUSHX, RPUSHX, LPOP, RPOP, LRANGE, LLEN,
// LINDEX, LSET, LINSERT, LREM, LTRIM, LPOS, LMOVE, RPOPLPUSH, LMPOP, and
// the blocking BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP (which wait through
// blocking.go), over package listkv.

// Error replies of the list commands.
const (
	msgListPositive   = "ERR value is out of range, must be positive"
	msgListIndexRange = "ERR index out of range"
	msgListRankZero   = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"
	msgListCountNeg   = "ERR COUNT can't be negative"
	msgListMaxLenNeg  = "ERR MAXLEN can't be negative"
	msgListNumKeys    = "ERR numkeys should be greater than 0"
	msgListCountZero  = "ERR count should be greater than 0"
)

// listErr writes the reply for err, a failure of list command name.
func (c *client) listErr(w *writer, name string, err error) {
	if errors.Is(err, listkv.ErrIndexRange) {
		w.WriteError(msgListIndexRange)
		return
	}
	c.replyErr(w, name, err)
}

// listWhere parses LEFT or RIGHT (case-insensitive); left reports LEFT.
func listWhere(b []byte) (left, ok bool) {
	switch {
	case bytes.EqualFold(b, []byte("left")):
		return true, true
	case bytes.EqualFold(b, []byte("right")):
		return false, true
	}
	return false, false
}

// writeBulks writes elems as an array of bulk strings.
func writeBulks(w *writer, elems [][]byte) {
	w.WriteArray(len(elems))
	for _, e := range elems {
		w.WriteBulk(e)
	}
}

// pushAction is LPUSH, RPUSH, LPUSHX and RPUSHX.
func pushAction(c *client, name string, args [][]byte, left, existing bool) action {
	return writeAction(func(w *writer, res [][]byte) {
		n, err := listkv.DecodeInt(res[0])
		if err != nil {
			c.listErr(w, name, err)
			return
		}
		w.WriteInt64(n)
	}, listkv.PushOp(c.db, args[1], left, existing, args[2:]...))
}

func cmdLPush(c *client, args [][]byte) action  { return pushAction(c, "lpush", args, true, false) }
func cmdRPush(c *client, args [][]byte) action  { return pushAction(c, "rpush", args, false, false) }
func cmdLPushX(c *client, args [][]byte) action { return pushAction(c, "lpushx", args, true, true) }
func cmdRPushX(c *client, args [][]byte) action { return pushAction(c, "rpushx", args, false, true) }

// popAction is LPOP and RPOP key [count]: without a count the reply is one
// element or nil; with one, an array or a null array.
func popAction(c *client, name string, args [][]byte, left bool) action {
	if len(args) > 3 {
		return errAction(arityMsg(name))
	}
	hasCount := len(args) == 3
	count := int64(1)
	if hasCount {
		n, ok := strkv.ParseInt(args[2])
		if !ok || n < 0 {
			return errAction(msgListPositive)
		}
		count = n
	}
	return writeAction(func(w *writer, res [][]byte) {
		elems, found, err := listkv.DecodePop(res[0])
		switch {
		case err != nil:
			c.listErr(w, name, err)
		case !found && hasCount:
			w.WriteNullArray()
		case !found:
			w.WriteNull()
		case hasCount:
			writeBulks(w, elems)
		default:
			w.WriteBulk(elems[0])
		}
	}, listkv.PopOp(c.db, args[1], left, count))
}

func cmdLPop(c *client, args [][]byte) action { return popAction(c, "lpop", args, true) }
func cmdRPop(c *client, args [][]byte) action { return popAction(c, "rpop", args, false) }

func cmdLLen(c *client, args [][]byte) action {
	db, key := c.db, args[1]
	return readAction(func(w *writer, r *strkv.Reader) {
		n, err := listkv.Len(r, db, key)
		if err != nil {
			c.listErr(w, "llen", err)
			return
		}
		w.WriteInt64(n)
	})
}

func cmdLRange(c *client, args [][]byte) action {
	start, ok1 := strkv.ParseInt(args[2])
	stop, ok2 := strkv.ParseInt(args[3])
	if !ok1 || !ok2 {
		return errAction(msgNotInteger)
	}
	db, key := c.db, args[1]
	return readAction(func(w *writer, r *strkv.Reader) {
		elems, err := listkv.Range(r, db, key, start, stop)
		if err != nil {
			c.listErr(w, "lrange", err)
			return
		}
		writeBulks(w, elems)
	})
}

func cmdLIndex(c *client, args [][]byte) action {
	index, ok := strkv.ParseInt(args[2])
	if !ok {
		return errAction(msgNotInteger)
	}
	db, key := c.db, args[1]
	return readAction(func(w *writer, r *strkv.Reader) {
		v, ok, err := listkv.Index(r, db, key, index)
		switch {
		case err != nil:
			c.listErr(w, "lindex", err)
		case !ok:
			w.WriteNull()
		default:
			w.WriteBulk(v)
		}
	})
}

// cmdLSet is LSET key index element. Redis parses the index once it has
// found the list, so a bad index is reported by the mutation.
func cmdLSet(c *client, args [][]byte) action {
	index, ok := strkv.ParseInt(args[2])
	return writeAction(func(w *writer, res [][]byte) {
		if err := listkv.DecodeStatus(res[0]); err != nil {
			c.listErr(w, "lset", err)
			return
		}
		w.WriteString("OK")
	}, listkv.SetOp(c.db, args[1], index, ok, args[3]))
}

// intListAction replies with the integer result of a list mutation.
func intListAction(c *client, name string, m strkv.Mutation) action {
	return writeAction(func(w *writer, res [][]byte) {
		n, err := listkv.DecodeInt(res[0])
		if err != nil {
			c.listErr(w, name, err)
			return
		}
		w.WriteInt64(n)
	}, m)
}

func cmdLInsert(c *client, args [][]byte) action {
	var after bool
	switch {
	case bytes.EqualFold(args[2], []byte("after")):
		after = true
	case bytes.EqualFold(args[2], []byte("before")):
	default:
		return errAction(msgSyntax)
	}
	return intListAction(c, "linsert", listkv.InsertOp(c.db, args[1], after, args[3], args[4]))
}

func cmdLRem(c *client, args [][]byte) action {
	count, ok := strkv.ParseInt(args[2])
	if !ok {
		return errAction(msgNotInteger)
	}
	return intListAction(c, "lrem", listkv.RemOp(c.db, args[1], count, args[3]))
}

func cmdLTrim(c *client, args [][]byte) action {
	start, ok1 := strkv.ParseInt(args[2])
	stop, ok2 := strkv.ParseInt(args[3])
	if !ok1 || !ok2 {
		return errAction(msgNotInteger)
	}
	return writeAction(func(w *writer, res [][]byte) {
		if err := listkv.DecodeStatus(res[0]); err != nil {
			c.listErr(w, "ltrim", err)
			return
		}
		w.WriteString("OK")
	}, listkv.TrimOp(c.db, args[1], start, stop))
}

// cmdLPos is LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len].
func cmdLPos(c *client, args [][]byte) action {
	opt := listkv.PosOptions{Rank: 1}
	hasCount, rankMin := false, false
	for j := 3; j < len(args); j++ {
		more := j+1 < len(args)
		switch {
		case bytes.EqualFold(args[j], []byte("rank")) && more:
			j++
			n, ok := strkv.ParseInt(args[j])
			switch {
			case !ok:
				return errAction(msgNotInteger)
			case n == 0:
				return errAction(msgListRankZero)
			case n == math.MinInt64:
				// Redis negates it and overflows: it then takes every
				// match from the tail, whatever COUNT says.
				n, rankMin = -1, true
			}
			opt.Rank = n
		case bytes.EqualFold(args[j], []byte("count")) && more:
			j++
			n, ok := strkv.ParseInt(args[j])
			if !ok || n < 0 {
				return errAction(msgListCountNeg)
			}
			opt.Count, hasCount = n, true
		case bytes.EqualFold(args[j], []byte("maxlen")) && more:
			j++
			n, ok := strkv.ParseInt(args[j])
			if !ok || n < 0 {
				return errAction(msgListMaxLenNeg)
			}
			opt.MaxLen = n
		default:
			return errAction(msgSyntax)
		}
	}
	if rankMin {
		opt.Count = 0
	}
	db, key, elem := c.db, args[1], args[2]
	return readAction(func(w *writer, r *strkv.Reader) {
		pos, err := listkv.Pos(r, db, key, elem, opt)
		switch {
		case err != nil:
			c.listErr(w, "lpos", err)
		case hasCount:
			w.WriteArray(len(pos))
			for _, p := range pos {
				w.WriteInt64(p)
			}
		case len(pos) == 0:
			w.WriteNull()
		default:
			w.WriteInt64(pos[0])
		}
	})
}

// moveReply writes the reply of LMOVE and its relatives from a MoveOp
// result; empty says what to write when the source did not exist, and
// done reports whether an element was moved or an error written.
func (c *client) moveReply(w *writer, name string, res []byte, empty func(w *writer)) (done bool) {
	v, ok, err := listkv.DecodeMove(res)
	switch {
	case err != nil:
		c.listErr(w, name, err)
	case !ok:
		if empty != nil {
			empty(w)
		}
		return false
	default:
		w.WriteBulk(v)
	}
	return true
}

// moveAction is LMOVE and RPOPLPUSH.
func moveAction(c *client, name string, src, dst []byte, srcLeft, dstLeft bool) action {
	return writeAction(func(w *writer, res [][]byte) {
		c.moveReply(w, name, res[0], (*writer).WriteNull)
	}, listkv.MoveOp(c.db, src, dst, srcLeft, dstLeft))
}

func cmdLMove(c *client, args [][]byte) action {
	srcLeft, ok1 := listWhere(args[3])
	dstLeft, ok2 := listWhere(args[4])
	if !ok1 || !ok2 {
		return errAction(msgSyntax)
	}
	return moveAction(c, "lmove", args[1], args[2], srcLeft, dstLeft)
}

func cmdRPopLPush(c *client, args [][]byte) action {
	return moveAction(c, "rpoplpush", args[1], args[2], false, true)
}

// mpopArgs are the parsed arguments of LMPOP and BLMPOP.
type mpopArgs struct {
	keys  [][]byte
	left  bool
	count int64
}

// parseMPop parses "numkeys key [key ...] LEFT|RIGHT [COUNT count]"
// starting at args[i], in Redis's order of checks.
func parseMPop(args [][]byte, i int) (mpopArgs, string) {
	numKeys, ok := strkv.ParseInt(args[i])
	if !ok || numKeys <= 0 {
		return mpopArgs{}, msgListNumKeys
	}
	where := int64(i) + numKeys + 1
	if where >= int64(len(args)) {
		return mpopArgs{}, msgSyntax
	}
	left, ok := listWhere(args[where])
	if !ok {
		return mpopArgs{}, msgSyntax
	}
	a := mpopArgs{keys: args[i+1 : where], left: left, count: -1}
	for j := int(where) + 1; j < len(args); j++ {
		if a.count == -1 && bytes.EqualFold(args[j], []byte("count")) && j+1 < len(args) {
			j++
			n, ok := strkv.ParseInt(args[j])
			if !ok || n <= 0 {
				return mpopArgs{}, msgListCountZero
			}
			a.count = n
			continue
		}
		return mpopArgs{}, msgSyntax
	}
	if a.count == -1 {
		a.count = 1
	}
	return a, ""
}

// mpopReply writes an MPopOp result as LMPOP replies: [key, [elements]];
// done reports whether anything was popped or an error written.
func (c *client) mpopReply(w *writer, name string, keys [][]byte, res []byte) (done bool) {
	i, elems, err := listkv.DecodeMPop(res)
	switch {
	case err != nil:
		c.listErr(w, name, err)
	case i < 0 || i >= len(keys):
		return false
	default:
		w.WriteArray(2)
		w.WriteBulk(keys[i])
		writeBulks(w, elems)
	}
	return true
}

func cmdLMPop(c *client, args [][]byte) action {
	a, msg := parseMPop(args, 1)
	if msg != "" {
		return errAction(msg)
	}
	return writeAction(func(w *writer, res [][]byte) {
		if !c.mpopReply(w, "lmpop", a.keys, res[0]) {
			w.WriteNullArray()
		}
	}, listkv.MPopOp(c.db, a.keys, a.left, a.count))
}

// bpopReply writes an MPopOp result of one element as BLPOP replies:
// [key, element].
func (c *client) bpopReply(w *writer, name string, keys [][]byte, res []byte) (done bool) {
	i, elems, err := listkv.DecodeMPop(res)
	switch {
	case err != nil:
		c.listErr(w, name, err)
	case i < 0 || i >= len(keys) || len(elems) == 0:
		return false
	default:
		w.WriteArray(2)
		w.WriteBulk(keys[i])
		w.WriteBulk(elems[0])
	}
	return true
}

// blockingPop is BLPOP and BRPOP key [key ...] timeout.
func blockingPop(c *client, name string, args [][]byte, left bool) action {
	timeout, msg := parseTimeout(args[len(args)-1])
	if msg != "" {
		return errAction(msg)
	}
	keys := cloneArgs(args[1 : len(args)-1])
	mut := listkv.MPopOp(c.db, keys, left, 1)
	if !c.blockingAllowed() {
		return writeAction(func(w *writer, res [][]byte) {
			if !c.bpopReply(w, name, keys, res[0]) {
				w.WriteNullArray()
			}
		}, mut)
	}
	return blockAction(c, name, keys, timeout, func(ctx context.Context, w *writer) bool {
		res, err := c.s.strs.Run(ctx, mut)
		if err != nil {
			c.listErr(w, name, err)
			return true
		}
		return c.bpopReply(w, name, keys, res[0])
	})
}

func cmdBLPop(c *client, args [][]byte) action { return blockingPop(c, "blpop", args, true) }
func cmdBRPop(c *client, args [][]byte) action { return blockingPop(c, "brpop", args, false) }

func cmdBLMPop(c *client, args [][]byte) action {
	a, msg := parseMPop(args, 2)
	if msg != "" {
		return errAction(msg)
	}
	timeout, msg := parseTimeout(args[1])
	if msg != "" {
		return errAction(msg)
	}
	a.keys = cloneArgs(a.keys)
	mut := listkv.MPopOp(c.db, a.keys, a.left, a.count)
	if !c.blockingAllowed() {
		return writeAction(func(w *writer, res [][]byte) {
			if !c.mpopReply(w, "blmpop", a.keys, res[0]) {
				w.WriteNullArray()
			}
		}, mut)
	}
	return blockAction(c, "blmpop", a.keys, timeout, func(ctx context.Context, w *writer) bool {
		res, err := c.s.strs.Run(ctx, mut)
		if err != nil {
			c.listErr(w, "blmpop", err)
			return true
		}
		return c.mpopReply(w, "blmpop", a.keys, res[0])
	})
}

// blockingMove is BLMOVE and BRPOPLPUSH.
func blockingMove(c *client, name string, src, dst []byte, srcLeft, dstLeft bool, timeout time.Duration) action {
	mut := listkv.MoveOp(c.db, src, dst, srcLeft, dstLeft)
	if !c.blockingAllowed() {
		return moveAction(c, name, src, dst, srcLeft, dstLeft)
	}
	return blockAction(c, name, [][]byte{src}, timeout, func(ctx context.Context, w *writer) bool {
		res, err := c.s.strs.Run(ctx, mut)
		if err != nil {
			c.listErr(w, name, err)
			return true
		}
		return c.moveReply(w, name, res[0], nil)
	})
}

func cmdBLMove(c *client, args [][]byte) action {
	srcLeft, ok1 := listWhere(args[3])
	dstLeft, ok2 := listWhere(args[4])
	if !ok1 || !ok2 {
		return errAction(msgSyntax)
	}
	timeout, msg := parseTimeout(args[5])
	if msg != "" {
		return errAction(msg)
	}
	return blockingMove(c, "blmove", args[1], args[2], srcLeft, dstLeft, timeout)
}

func cmdBRPopLPush(c *client, args [][]byte) action {
	timeout, msg := parseTimeout(args[3])
	if msg != "" {
		return errAction(msg)
	}
	return blockingMove(c, "brpoplpush", args[1], args[2], false, true, timeout)
}

// cloneArgs copies arguments a reply needs after the request buffer may
// have been reused.
func cloneArgs(args [][]byte) [][]byte {
	out := make([][]byte, len(args))
	for i, a := range args {
		out[i] = bytes.Clone(a)
	}
	return out
}

// listCommands lists this file's commands for the command table.
func listCommands() []*command {
	const (
		blocking    = "blocking"
		movableKeys = "movablekeys"
	)
	rwf := []string{flagWrite, flagDenyOOM, flagFast}
	return []*command{
		{name: "blmove", arity: 6, flags: []string{flagWrite, flagDenyOOM, flagNoScript, blocking}, group: "list", firstKey: 1, lastKey: 2, step: 1, run: cmdBLMove},
		{name: "blmpop", arity: -5, flags: []string{flagWrite, blocking, movableKeys}, group: "list", run: cmdBLMPop},
		{name: "blpop", arity: -3, flags: []string{flagWrite, flagNoScript, blocking}, group: "list", firstKey: 1, lastKey: -2, step: 1, run: cmdBLPop},
		{name: "brpop", arity: -3, flags: []string{flagWrite, flagNoScript, blocking}, group: "list", firstKey: 1, lastKey: -2, step: 1, run: cmdBRPop},
		{name: "brpoplpush", arity: 4, flags: []string{flagWrite, flagDenyOOM, flagNoScript, blocking}, group: "list", firstKey: 1, lastKey: 2, step: 1, run: cmdBRPopLPush},
		{name: "lindex", arity: 3, flags: []string{flagReadonly}, group: "list", firstKey: 1, lastKey: 1, step: 1, run: cmdLIndex},
		{name: "linsert", arity: 5, flags: []string{flagWrite, flagDenyOOM}, group: "list", firstKey: 1, lastKey: 1, step: 1, run: cmdLInsert},
		{name: "llen", arity: 2, flags: []string{flagReadonly, flagFast}, group: "list", firstKey: 1, lastKey: 1, step: 1, run: cmdLLen},
		{name: "lmove", arity: 5, flags: []string{flagWrite, flagDenyOOM}, group: "list", firstKey: 1, lastKey: 2, step: 1, run: cmdLMove},
		{name: "lmpop", arity: -4, flags: []string{flagWrite, movableKeys}, group: "list", run: cmdLMPop},
		{name: "lpop", arity: -2, flags: []string{flagWrite, flagFast}, group: "list", firstKey: 1, lastKey: 1, step: 1, run: cmdLPop},
		{name: "lpos", arity: -3, flags: []string{flagReadonly}, group: "list", firstKey: 1, lastKey: 1, step: 1, run: cmdLPos},
		{name: "lpush", arity: -3, flags: rwf, group: "list", firstKey: 1, lastKey: 1, step: 1, run: cmdLPush},
		{name: "lpushx", arity: -3, flags: rwf, group: "list", firstKey: 1, lastKey: 1, step: 1, run: cmdLPushX},
		{name: "lrange", arity: 4, flags: []string{flagReadonly}, group: "list", firstKey: 1, lastKey: 1, step: 1, run: cmdLRange},
		{name: "lrem", arity: 4, flags: []string{flagWrite}, group: "list", firstKey: 1, lastKey: 1, step: 1, run: cmdLRem},
		{name: "lset", arity: 4, flags: []string{flagWrite, flagDenyOOM}, group: "list", firstKey: 1, lastKey: 1, step: 1, run: cmdLSet},
		{name: "ltrim", arity: 4, flags: []string{flagWrite}, group: "list", firstKey: 1, lastKey: 1, step: 1, run: cmdLTrim},
		{name: "rpop", arity: -2, flags: []string{flagWrite, flagFast}, group: "list", firstKey: 1, lastKey: 1, step: 1, run: cmdRPop},
		{name: "rpoplpush", arity: 3, flags: []string{flagWrite, flagDenyOOM}, group: "list", firstKey: 1, lastKey: 2, step: 1, run: cmdRPopLPush},
		{name: "rpush", arity: -3, flags: rwf, group: "list", firstKey: 1, lastKey: 1, step: 1, run: cmdRPush},
		{name: "rpushx", arity: -3, flags: rwf, group: "list", firstKey: 1, lastKey: 1, step: 1, run: cmdRPushX},
	}
}
