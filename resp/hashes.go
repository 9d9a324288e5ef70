package resp

import (
	"bytes"
	"errors"
	"github.com/aspen-db/aspen/internal/glob"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/aspen-db/aspen/layers/hashkv"
	"github.com/aspen-db/aspen/layers/strkv"
)

// Hash commands: HSET, HSETNX, HMSET, HGET, HMGET, HGETALL, HKEYS, HVALS,
// HDEL, HEXISTS, HLEN, HSTRLEN, HINCRBY, HINCRBYFLOAT, HSCAN, HRANDFIELD,
// over package hashkv.

// Error replies of the hash commands.
const (
	msgHashNotInteger = "ERR hash value is not an integer"
	msgHashNotFloat   = "ERR hash value is not a float"
	msgHashNaNArg     = "ERR value is NaN or Infinity"
	msgHashOutOfRange = "ERR value is out of range"
	msgHashRandRange  = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
)

// hashMaxRandCount bounds the fields one HRANDFIELD with a negative count
// returns, since the reply is built in memory. Redis has no such bound.
const hashMaxRandCount = 1 << 24

// hashErr writes the reply for err, a failure of hash command name.
func (c *client) hashErr(w *writer, name string, err error) {
	switch {
	case errors.Is(err, hashkv.ErrHashNotInteger):
		w.WriteError(msgHashNotInteger)
	case errors.Is(err, hashkv.ErrHashNotFloat):
		w.WriteError(msgHashNotFloat)
	default:
		c.replyErr(w, name, err)
	}
}

// hashCountReply replies with the count a hashkv.SetOp, SetNXOp or DelOp
// returned.
func hashCountReply(c *client, name string) func(w *writer, res [][]byte) {
	return func(w *writer, res [][]byte) {
		n, err := hashkv.DecodeCount(res[0])
		if err != nil {
			c.hashErr(w, name, err)
			return
		}
		w.WriteInt64(n)
	}
}

// cmdHSet serves HSET key field value [field value ...].
func cmdHSet(c *client, args [][]byte) action {
	if len(args)%2 != 0 {
		return errAction(arityMsg("hset"))
	}
	return writeAction(hashCountReply(c, "hset"), hashkv.SetOp(c.db, args[1], args[2:]))
}

// cmdHMSet serves HMSET, HSET's older form that replies OK.
func cmdHMSet(c *client, args [][]byte) action {
	if len(args)%2 != 0 {
		return errAction(arityMsg("hmset"))
	}
	return writeAction(func(w *writer, res [][]byte) {
		if _, err := hashkv.DecodeCount(res[0]); err != nil {
			c.hashErr(w, "hmset", err)
			return
		}
		w.WriteString("OK")
	}, hashkv.SetOp(c.db, args[1], args[2:]))
}

func cmdHSetNX(c *client, args [][]byte) action {
	return writeAction(hashCountReply(c, "hsetnx"), hashkv.SetNXOp(c.db, args[1], args[2], args[3]))
}

func cmdHDel(c *client, args [][]byte) action {
	return writeAction(hashCountReply(c, "hdel"), hashkv.DelOp(c.db, args[1], args[2:]))
}

func cmdHIncrBy(c *client, args [][]byte) action {
	delta, ok := strkv.ParseInt(args[3])
	if !ok {
		return errAction(msgNotInteger)
	}
	return writeAction(func(w *writer, res [][]byte) {
		n, err := hashkv.DecodeIncrBy(res[0])
		if err != nil {
			c.hashErr(w, "hincrby", err)
			return
		}
		w.WriteInt64(n)
	}, hashkv.IncrByOp(c.db, args[1], args[2], delta))
}

// cmdHIncrByFloat checks the increment before anything else, as Redis
// does, then adds it at apply time.
func cmdHIncrByFloat(c *client, args [][]byte) action {
	inc, ok := strkv.ParseLongDouble(args[3])
	switch {
	case !ok:
		return errAction(msgNotFloat)
	case inc.IsInf():
		return errAction(msgHashNaNArg)
	}
	return writeAction(func(w *writer, res [][]byte) {
		v, err := hashkv.DecodeIncrByFloat(res[0])
		if err != nil {
			c.hashErr(w, "hincrbyfloat", err)
			return
		}
		w.WriteBulk(v)
	}, hashkv.IncrByFloatOp(c.db, args[1], args[2], args[3]))
}

func cmdHGet(c *client, args [][]byte) action {
	db, key, field := c.db, args[1], args[2]
	return readAction(func(w *writer, r *strkv.Reader) {
		v, ok, err := hashkv.Get(r, db, key, field)
		switch {
		case err != nil:
			c.hashErr(w, "hget", err)
		case !ok:
			w.WriteNull()
		default:
			w.WriteBulk(v)
		}
	})
}

func cmdHMGet(c *client, args [][]byte) action {
	db, key, fields := c.db, args[1], args[2:]
	return readAction(func(w *writer, r *strkv.Reader) {
		vals, err := hashkv.MGet(r, db, key, fields)
		if err != nil {
			c.hashErr(w, "hmget", err)
			return
		}
		w.WriteArray(len(vals))
		for _, v := range vals {
			if v == nil {
				w.WriteNull()
			} else {
				w.WriteBulk(v)
			}
		}
	})
}

// Parts of a hash that hashAllAction replies with.
const (
	hashPartFields = 1 << iota
	hashPartValues
)

// hashAllAction serves HGETALL (a map in RESP3), HKEYS and HVALS (arrays).
func hashAllAction(c *client, name string, key []byte, parts int) action {
	db := c.db
	return readAction(func(w *writer, r *strkv.Reader) {
		pairs, err := hashkv.GetAll(r, db, key)
		if err != nil {
			c.hashErr(w, name, err)
			return
		}
		if parts == hashPartFields|hashPartValues {
			w.WriteMap(len(pairs))
		} else {
			w.WriteArray(len(pairs))
		}
		for _, p := range pairs {
			if parts&hashPartFields != 0 {
				w.WriteBulk(p.Field)
			}
			if parts&hashPartValues != 0 {
				w.WriteBulk(p.Value)
			}
		}
	})
}

func cmdHGetAll(c *client, args [][]byte) action {
	return hashAllAction(c, "hgetall", args[1], hashPartFields|hashPartValues)
}

func cmdHKeys(c *client, args [][]byte) action {
	return hashAllAction(c, "hkeys", args[1], hashPartFields)
}

func cmdHVals(c *client, args [][]byte) action {
	return hashAllAction(c, "hvals", args[1], hashPartValues)
}

func cmdHLen(c *client, args [][]byte) action {
	db, key := c.db, args[1]
	return readAction(func(w *writer, r *strkv.Reader) {
		n, err := hashkv.Len(r, db, key)
		if err != nil {
			c.hashErr(w, "hlen", err)
			return
		}
		w.WriteInt64(n)
	})
}

func cmdHExists(c *client, args [][]byte) action {
	db, key, field := c.db, args[1], args[2]
	return readAction(func(w *writer, r *strkv.Reader) {
		ok, err := hashkv.Exists(r, db, key, field)
		switch {
		case err != nil:
			c.hashErr(w, "hexists", err)
		case ok:
			w.WriteInt(1)
		default:
			w.WriteInt(0)
		}
	})
}

func cmdHStrLen(c *client, args [][]byte) action {
	db, key, field := c.db, args[1], args[2]
	return readAction(func(w *writer, r *strkv.Reader) {
		n, err := hashkv.StrLen(r, db, key, field)
		if err != nil {
			c.hashErr(w, "hstrlen", err)
			return
		}
		w.WriteInt64(n)
	})
}

// hscanOptions reads HSCAN's MATCH and COUNT options. Redis judges them
// only once it has found the hash, so the error is returned, not replied.
func hscanOptions(args [][]byte) (pat []byte, count int64, errMsg string) {
	count = 10
	for i := 0; i < len(args); i += 2 {
		if i+1 >= len(args) {
			return nil, 0, msgSyntax
		}
		switch v := args[i+1]; {
		case bytes.EqualFold(args[i], []byte("count")):
			n, ok := strkv.ParseInt(v)
			if !ok {
				return nil, 0, msgNotInteger
			}
			if n < 1 {
				return nil, 0, msgSyntax
			}
			count = n
		case bytes.EqualFold(args[i], []byte("match")):
			pat = v
			if len(pat) == 1 && pat[0] == '*' {
				pat = nil
			}
		default:
			return nil, 0, msgSyntax
		}
	}
	return pat, count, ""
}

// cmdHScan serves HSCAN key cursor [MATCH pattern] [COUNT n]. A hash Redis
// would keep compact comes back whole with cursor 0, whatever the cursor
// and COUNT, as in Redis; a larger one is walked in field order, COUNT
// fields at a time, with cursors that name the field to resume at, as
// SCAN's name keys (see keys.go).
func cmdHScan(c *client, args [][]byte) action {
	cur, ok := parseScanCursor(args[2])
	if !ok {
		return errAction(msgBadCursor)
	}
	pat, count, optErr := hscanOptions(args[3:])
	db, key := c.db, args[1]
	return readAction(func(w *writer, r *strkv.Reader) {
		h, ok, err := hashkv.Open(r, db, key)
		switch {
		case err != nil:
			c.hashErr(w, "hscan", err)
			return
		case !ok:
			w.WriteArray(2)
			w.WriteBulkString("0")
			w.WriteArray(0)
			return
		case optErr != "":
			w.WriteError(optErr)
			return
		}
		var from []byte
		if !h.Compact() && cur != 0 {
			if from, ok = c.s.resumeAt(cur); !ok {
				w.WriteError(msgBadCursor)
				return
			}
		}
		var pairs []hashkv.Pair
		var last, resume []byte
		seen := int64(0)
		err = h.Scan(from, func(f, v []byte) bool {
			if !h.Compact() && seen >= count {
				resume = bytes.Clone(separator(last, f))
				return false
			}
			seen++
			last = append(last[:0], f...)
			if pat == nil || glob.Match(pat, f) {
				pairs = append(pairs, hashkv.Pair{Field: bytes.Clone(f), Value: bytes.Clone(v)})
			}
			return true
		})
		if err != nil {
			c.hashErr(w, "hscan", err)
			return
		}
		w.WriteArray(2)
		if resume == nil {
			w.WriteBulkString("0")
		} else {
			w.WriteBulkString(strconv.FormatUint(c.s.cursorFor(resume), 10))
		}
		w.WriteArray(2 * len(pairs))
		for _, p := range pairs {
			w.WriteBulk(p.Field)
			w.WriteBulk(p.Value)
		}
	})
}

// cmdHRandField serves HRANDFIELD key [count [WITHVALUES]], checking the
// arguments in Redis's order.
func cmdHRandField(c *client, args [][]byte) action {
	db, key := c.db, args[1]
	if len(args) == 2 {
		return readAction(func(w *writer, r *strkv.Reader) {
			h, ok, err := hashkv.Open(r, db, key)
			if err == nil && !ok {
				w.WriteNull()
				return
			}
			var field []byte
			if err == nil {
				err = h.Random(-1, hashRand(), func(f, _ []byte) { field = bytes.Clone(f) })
			}
			if err != nil {
				c.hashErr(w, "hrandfield", err)
				return
			}
			w.WriteBulk(field)
		})
	}
	count, ok := strkv.ParseInt(args[2])
	switch {
	case !ok:
		return errAction(msgNotInteger)
	case count == math.MinInt64:
		return errAction(msgHashRandRange)
	case len(args) > 4 || (len(args) == 4 && !bytes.EqualFold(args[3], []byte("withvalues"))):
		return errAction(msgSyntax)
	}
	withValues := len(args) == 4
	if withValues && (count < -math.MaxInt64/2 || count > math.MaxInt64/2) {
		return errAction(msgHashOutOfRange)
	}
	return readAction(func(w *writer, r *strkv.Reader) {
		h, ok, err := hashkv.Open(r, db, key)
		switch {
		case err != nil:
			c.hashErr(w, "hrandfield", err)
			return
		case !ok || count == 0:
			w.WriteArray(0)
			return
		case count < -hashMaxRandCount:
			w.WriteError(msgHashOutOfRange)
			return
		}
		// The picks go to a writer of their own, so that a store failure
		// midway leaves no partial reply. RESP3 nests each field and value
		// in an array of its own; RESP2 lists them flat.
		out := writer{resp3: w.resp3}
		n := int(h.RandomLen(count))
		if withValues && !w.resp3 {
			out.WriteArray(2 * n)
		} else {
			out.WriteArray(n)
		}
		err = h.Random(count, hashRand(), func(f, v []byte) {
			if withValues && w.resp3 {
				out.WriteArray(2)
			}
			out.WriteBulk(f)
			if withValues {
				out.WriteBulk(v)
			}
		})
		if err != nil {
			c.hashErr(w, "hrandfield", err)
			return
		}
		w.WriteRaw(out.b)
	})
}

// hashRand returns a source of local randomness for HRANDFIELD, a read.
func hashRand() *rand.Rand {
	return rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
}

// hashCommands lists this file's commands for the command table.
func hashCommands() []*command {
	rw := []string{flagWrite, flagDenyOOM, flagFast}
	ro := []string{flagReadonly, flagFast}
	return []*command{
		{name: "hdel", arity: -3, flags: []string{flagWrite, flagFast}, group: "hash", firstKey: 1, lastKey: 1, step: 1, run: cmdHDel},
		{name: "hexists", arity: 3, flags: ro, group: "hash", firstKey: 1, lastKey: 1, step: 1, run: cmdHExists},
		{name: "hget", arity: 3, flags: ro, group: "hash", firstKey: 1, lastKey: 1, step: 1, run: cmdHGet},
		{name: "hgetall", arity: 2, flags: []string{flagReadonly}, group: "hash", firstKey: 1, lastKey: 1, step: 1, run: cmdHGetAll},
		{name: "hincrby", arity: 4, flags: rw, group: "hash", firstKey: 1, lastKey: 1, step: 1, run: cmdHIncrBy},
		{name: "hincrbyfloat", arity: 4, flags: rw, group: "hash", firstKey: 1, lastKey: 1, step: 1, run: cmdHIncrByFloat},
		{name: "hkeys", arity: 2, flags: []string{flagReadonly}, group: "hash", firstKey: 1, lastKey: 1, step: 1, run: cmdHKeys},
		{name: "hlen", arity: 2, flags: ro, group: "hash", firstKey: 1, lastKey: 1, step: 1, run: cmdHLen},
		{name: "hmget", arity: -3, flags: ro, group: "hash", firstKey: 1, lastKey: 1, step: 1, run: cmdHMGet},
		{name: "hmset", arity: -4, flags: rw, group: "hash", firstKey: 1, lastKey: 1, step: 1, run: cmdHMSet},
		{name: "hrandfield", arity: -2, flags: []string{flagReadonly}, group: "hash", firstKey: 1, lastKey: 1, step: 1, run: cmdHRandField},
		{name: "hscan", arity: -3, flags: []string{flagReadonly}, group: "hash", firstKey: 1, lastKey: 1, step: 1, run: cmdHScan},
		{name: "hset", arity: -4, flags: rw, group: "hash", firstKey: 1, lastKey: 1, step: 1, run: cmdHSet},
		{name: "hsetnx", arity: 4, flags: rw, group: "hash", firstKey: 1, lastKey: 1, step: 1, run: cmdHSetNX},
		{name: "hstrlen", arity: 3, flags: ro, group: "hash", firstKey: 1, lastKey: 1, step: 1, run: cmdHStrLen},
		{name: "hvals", arity: 2, flags: []string{flagReadonly}, group: "hash", firstKey: 1, lastKey: 1, step: 1, run: cmdHVals},
	}
}
