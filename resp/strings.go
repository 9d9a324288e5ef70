package resp

import (
	"bytes"
	"math"

	"github.com/aspen-db/aspen/layers/strkv"
)

// String commands: GET, SET, INCR, INCRBY, DECR, DECRBY, MGET, MSET.

func cmdGet(c *client, args [][]byte) action {
	db, key := c.db, args[1]
	return readAction(func(w *writer, r *strkv.Reader) {
		v, ok, err := r.Get(db, key)
		switch {
		case err != nil:
			c.replyErr(w, "get", err)
		case !ok:
			w.WriteNull()
		default:
			w.WriteBulk(v)
		}
	})
}

// SET option bits, for the exclusions Redis enforces while parsing.
const (
	optNX = 1 << iota
	optXX
	optGet
	optKeepTTL
	optEX
	optPX
	optEXAT
	optPXAT
)

const optAnyExpire = optEX | optPX | optEXAT | optPXAT

// keywordOption is one option keyword of a command: the flag bit it sets,
// the bits it may not be combined with, and whether a value follows it.
type keywordOption struct {
	word     string
	bit      int
	excludes int
	value    bool
}

// parseKeywords reads option keywords (case-insensitive) as Redis does: a
// keyword that is unknown, repeated against an excluded one, or missing its
// value is a syntax error (ok false). It returns the flags set and the
// value of the last keyword that took one.
func parseKeywords(args [][]byte, table []keywordOption) (flags int, value []byte, ok bool) {
	for j := 0; j < len(args); j++ {
		matched := false
		for _, o := range table {
			if !bytes.EqualFold(args[j], []byte(o.word)) || flags&o.excludes != 0 {
				continue
			}
			if o.value {
				if j+1 >= len(args) {
					break
				}
				j++
				value = args[j]
			}
			flags |= o.bit
			matched = true
			break
		}
		if !matched {
			return 0, nil, false
		}
	}
	return flags, value, true
}

// setOptions are SET's keywords: the bit, the bits it excludes, and whether
// it takes a value.
var setOptions = []keywordOption{
	{"NX", optNX, optXX, false},
	{"XX", optXX, optNX, false},
	{"GET", optGet, 0, false},
	{"KEEPTTL", optKeepTTL, optAnyExpire, false},
	{"EX", optEX, optKeepTTL | optAnyExpire&^optEX, true},
	{"PX", optPX, optKeepTTL | optAnyExpire&^optPX, true},
	{"EXAT", optEXAT, optKeepTTL | optAnyExpire&^optEXAT, true},
	{"PXAT", optPXAT, optKeepTTL | optAnyExpire&^optPXAT, true},
}

// cmdSet parses SET key value [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL]
// in Redis's order: options, then the expiry value, then (at apply time)
// the GET type check and the NX/XX condition.
func cmdSet(c *client, args [][]byte) action {
	flags, expire, ok := parseKeywords(args[3:], setOptions)
	if !ok {
		return errAction(msgSyntax)
	}
	opt := strkv.SetOptions{
		NX:      flags&optNX != 0,
		XX:      flags&optXX != 0,
		Get:     flags&optGet != 0,
		KeepTTL: flags&optKeepTTL != 0,
	}
	if flags&optAnyExpire != 0 {
		ms, ok := strkv.ParseInt(expire)
		if !ok {
			return errAction(msgNotInteger)
		}
		seconds := flags&(optEX|optEXAT) != 0
		if ms <= 0 || (seconds && ms > math.MaxInt64/1000) {
			return errAction(expireMsg("set"))
		}
		if seconds {
			ms *= 1000
		}
		if flags&(optEX|optPX) != 0 {
			opt.TTLMillis = ms
		} else {
			opt.ExpireAtMillis = ms
		}
	}
	return writeAction(func(w *writer, res [][]byte) {
		r, err := strkv.DecodeSet(res[0])
		switch {
		case err != nil:
			c.replyErr(w, "set", err)
		case opt.Get && r.OldExists:
			w.WriteBulk(r.Old)
		case opt.Get || !r.Set:
			w.WriteNull()
		default:
			w.WriteString("OK")
		}
	}, strkv.SetOp(c.db, args[1], args[2], opt))
}

// incrAction adds delta to key and replies with the new value.
func incrAction(c *client, name string, key []byte, delta int64) action {
	return writeAction(func(w *writer, res [][]byte) {
		n, err := strkv.DecodeIncrBy(res[0])
		if err != nil {
			c.replyErr(w, name, err)
			return
		}
		w.WriteInt64(n)
	}, strkv.IncrByOp(c.db, key, delta))
}

func cmdIncr(c *client, args [][]byte) action { return incrAction(c, "incr", args[1], 1) }

func cmdDecr(c *client, args [][]byte) action { return incrAction(c, "decr", args[1], -1) }

func cmdIncrBy(c *client, args [][]byte) action {
	n, ok := strkv.ParseInt(args[2])
	if !ok {
		return errAction(msgNotInteger)
	}
	return incrAction(c, "incrby", args[1], n)
}

func cmdDecrBy(c *client, args [][]byte) action {
	n, ok := strkv.ParseInt(args[2])
	switch {
	case !ok:
		return errAction(msgNotInteger)
	case n == math.MinInt64:
		return errAction(msgDecrOverflow)
	}
	return incrAction(c, "decrby", args[1], -n)
}

// cmdMGet replies with every key's string value; a missing key or one of
// another type gives nil.
func cmdMGet(c *client, args [][]byte) action {
	db, keys := c.db, args[1:]
	return readAction(func(w *writer, r *strkv.Reader) {
		vals := make([][]byte, len(keys))
		for i, k := range keys {
			v, ok, err := r.Get(db, k)
			switch {
			case err == nil && ok:
				vals[i] = v
				if v == nil {
					vals[i] = []byte{}
				}
			case err != nil && !isWrongType(err):
				c.replyErr(w, "mget", err)
				return
			}
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

// cmdMSet sets every pair atomically: all mutations go in one commit.
func cmdMSet(c *client, args [][]byte) action {
	if len(args)%2 == 0 {
		return errAction(arityMsg("mset"))
	}
	muts := make([]strkv.Mutation, 0, (len(args)-1)/2)
	for i := 1; i < len(args); i += 2 {
		muts = append(muts, strkv.SetOp(c.db, args[i], args[i+1], strkv.SetOptions{}))
	}
	return writeAction(func(w *writer, res [][]byte) {
		for _, r := range res {
			if _, err := strkv.DecodeSet(r); err != nil {
				c.replyErr(w, "mset", err)
				return
			}
		}
		w.WriteString("OK")
	}, muts...)
}

// String commands added later: SETNX, SETEX, PSETEX, GETSET, GETDEL, GETEX,
// APPEND, STRLEN, GETRANGE, SETRANGE, MSETNX, INCRBYFLOAT.

// replyInt writes the integer result of a mutation decoded by DecodeInt.
func replyInt(c *client, name string) func(w *writer, res [][]byte) {
	return func(w *writer, res [][]byte) {
		n, err := strkv.DecodeInt(res[0])
		if err != nil {
			c.replyErr(w, name, err)
			return
		}
		w.WriteInt64(n)
	}
}

// replyValue writes the value result of a GetExOp or GetDelOp.
func replyValue(c *client, name string) func(w *writer, res [][]byte) {
	return func(w *writer, res [][]byte) {
		v, ok, err := strkv.DecodeValue(res[0])
		switch {
		case err != nil:
			c.replyErr(w, name, err)
		case !ok:
			w.WriteNull()
		default:
			w.WriteBulk(v)
		}
	}
}

func cmdSetNX(c *client, args [][]byte) action {
	return writeAction(func(w *writer, res [][]byte) {
		r, err := strkv.DecodeSet(res[0])
		switch {
		case err != nil:
			c.replyErr(w, "setnx", err)
		case r.Set:
			w.WriteInt(1)
		default:
			w.WriteInt(0)
		}
	}, strkv.SetOp(c.db, args[1], args[2], strkv.SetOptions{NX: true}))
}

// setExAction serves SETEX and PSETEX: key, TTL, value.
func setExAction(c *client, name string, args [][]byte, seconds bool) action {
	ttl, ok := strkv.ParseInt(args[2])
	if !ok {
		return errAction(msgNotInteger)
	}
	if ttl <= 0 || (seconds && ttl > math.MaxInt64/1000) {
		return errAction(expireMsg(name))
	}
	if seconds {
		ttl *= 1000
	}
	return writeAction(func(w *writer, res [][]byte) {
		if _, err := strkv.DecodeSet(res[0]); err != nil {
			c.replyErr(w, name, err)
			return
		}
		w.WriteString("OK")
	}, strkv.SetOp(c.db, args[1], args[3], strkv.SetOptions{TTLMillis: ttl}))
}

func cmdSetEX(c *client, args [][]byte) action { return setExAction(c, "setex", args, true) }

func cmdPSetEX(c *client, args [][]byte) action { return setExAction(c, "psetex", args, false) }

func cmdGetSet(c *client, args [][]byte) action {
	return writeAction(func(w *writer, res [][]byte) {
		r, err := strkv.DecodeSet(res[0])
		switch {
		case err != nil:
			c.replyErr(w, "getset", err)
		case r.OldExists:
			w.WriteBulk(r.Old)
		default:
			w.WriteNull()
		}
	}, strkv.SetOp(c.db, args[1], args[2], strkv.SetOptions{Get: true}))
}

func cmdGetDel(c *client, args [][]byte) action {
	return writeAction(replyValue(c, "getdel"), strkv.GetDelOp(c.db, args[1]))
}

// getexOptions are GETEX's keywords: the bit, the bits it excludes, and
// whether it takes a value.
var getexOptions = []keywordOption{
	{"EX", optEX, optPersist | optAnyExpire&^optEX, true},
	{"PX", optPX, optPersist | optAnyExpire&^optPX, true},
	{"EXAT", optEXAT, optPersist | optAnyExpire&^optEXAT, true},
	{"PXAT", optPXAT, optPersist | optAnyExpire&^optPXAT, true},
	{"PERSIST", optPersist, optAnyExpire, false},
}

const optPersist = optPXAT << 1

// cmdGetEx parses GETEX key [EX s|PX ms|EXAT s|PXAT ms|PERSIST]. Redis
// checks the expiry value only once it has found the string, so a bad
// value travels to the mutation as a deferred error.
func cmdGetEx(c *client, args [][]byte) action {
	flags, expire, ok := parseKeywords(args[2:], getexOptions)
	if !ok {
		return errAction(msgSyntax)
	}
	db, key := c.db, args[1]
	if flags == 0 {
		return readAction(func(w *writer, r *strkv.Reader) {
			v, ok, err := r.Get(db, key)
			switch {
			case err != nil:
				c.replyErr(w, "getex", err)
			case !ok:
				w.WriteNull()
			default:
				w.WriteBulk(v)
			}
		})
	}
	opt := strkv.GetExOptions{Persist: flags&optPersist != 0}
	if flags&optAnyExpire != 0 {
		ms, ok := strkv.ParseInt(expire)
		seconds := flags&(optEX|optEXAT) != 0
		switch {
		case !ok:
			opt.ArgErr = strkv.ErrNotInteger
		case ms <= 0 || (seconds && ms > math.MaxInt64/1000):
			opt.ArgErr = strkv.ErrInvalidExpire
		case seconds:
			ms *= 1000
		}
		if flags&(optEX|optPX) != 0 {
			opt.TTLMillis = ms
		} else {
			opt.ExpireAtMillis = ms
		}
		if opt.ArgErr != nil {
			opt.TTLMillis, opt.ExpireAtMillis = 0, 0
		}
	}
	return writeAction(replyValue(c, "getex"), strkv.GetExOp(db, key, opt))
}

func cmdAppend(c *client, args [][]byte) action {
	return writeAction(replyInt(c, "append"), strkv.AppendOp(c.db, args[1], args[2]))
}

func cmdStrlen(c *client, args [][]byte) action {
	db, key := c.db, args[1]
	return readAction(func(w *writer, r *strkv.Reader) {
		v, _, err := r.Get(db, key)
		if err != nil {
			c.replyErr(w, "strlen", err)
			return
		}
		w.WriteInt(len(v))
	})
}

func cmdGetRange(c *client, args [][]byte) action {
	start, ok1 := strkv.ParseInt(args[2])
	end, ok2 := strkv.ParseInt(args[3])
	if !ok1 || !ok2 {
		return errAction(msgNotInteger)
	}
	db, key := c.db, args[1]
	return readAction(func(w *writer, r *strkv.Reader) {
		v, _, err := r.Get(db, key)
		if err != nil {
			c.replyErr(w, "getrange", err)
			return
		}
		w.WriteBulk(substr(v, start, end))
	})
}

// substr is GETRANGE's slice of v: negative indexes count from the end,
// both ends inclusive, clamped to v.
func substr(v []byte, start, end int64) []byte {
	n := int64(len(v))
	if start < 0 && end < 0 && start > end {
		return []byte{}
	}
	if start < 0 {
		start = max(n+start, 0)
	}
	if end < 0 {
		end = max(n+end, 0)
	}
	end = min(end, n-1)
	if start > end || n == 0 {
		return []byte{}
	}
	return v[start : end+1]
}

func cmdSetRange(c *client, args [][]byte) action {
	off, ok := strkv.ParseInt(args[2])
	switch {
	case !ok:
		return errAction(msgNotInteger)
	case off < 0:
		return errAction(msgOffsetRange)
	}
	return writeAction(replyInt(c, "setrange"), strkv.SetRangeOp(c.db, args[1], off, args[3]))
}

// cmdMSetNX sets every pair only if none of the keys exists, atomically.
func cmdMSetNX(c *client, args [][]byte) action {
	if len(args)%2 == 0 {
		return errAction(arityMsg("msetnx"))
	}
	return writeAction(replyInt(c, "msetnx"), strkv.MSetNXOp(c.db, args[1:]))
}

func cmdIncrByFloat(c *client, args [][]byte) action {
	return writeAction(func(w *writer, res [][]byte) {
		v, err := strkv.DecodeIncrByFloat(res[0])
		if err != nil {
			c.replyErr(w, "incrbyfloat", err)
			return
		}
		w.WriteBulk(v)
	}, strkv.IncrByFloatOp(c.db, args[1], args[2]))
}

// stringCommands lists this file's commands for the command table.
func stringCommands() []*command {
	return []*command{
		{name: "append", arity: 3, flags: []string{flagWrite, flagDenyOOM, flagFast}, group: "string", firstKey: 1, lastKey: 1, step: 1, run: cmdAppend},
		{name: "decr", arity: 2, flags: []string{flagWrite, flagDenyOOM, flagFast}, group: "string", firstKey: 1, lastKey: 1, step: 1, run: cmdDecr},
		{name: "decrby", arity: 3, flags: []string{flagWrite, flagDenyOOM, flagFast}, group: "string", firstKey: 1, lastKey: 1, step: 1, run: cmdDecrBy},
		{name: "get", arity: 2, flags: []string{flagReadonly, flagFast}, group: "string", firstKey: 1, lastKey: 1, step: 1, run: cmdGet},
		{name: "getdel", arity: 2, flags: []string{flagWrite, flagFast}, group: "string", firstKey: 1, lastKey: 1, step: 1, run: cmdGetDel},
		{name: "getex", arity: -2, flags: []string{flagWrite, flagFast}, group: "string", firstKey: 1, lastKey: 1, step: 1, run: cmdGetEx},
		{name: "getrange", arity: 4, flags: []string{flagReadonly}, group: "string", firstKey: 1, lastKey: 1, step: 1, run: cmdGetRange},
		{name: "getset", arity: 3, flags: []string{flagWrite, flagDenyOOM, flagFast}, group: "string", firstKey: 1, lastKey: 1, step: 1, run: cmdGetSet},
		{name: "incr", arity: 2, flags: []string{flagWrite, flagDenyOOM, flagFast}, group: "string", firstKey: 1, lastKey: 1, step: 1, run: cmdIncr},
		{name: "incrby", arity: 3, flags: []string{flagWrite, flagDenyOOM, flagFast}, group: "string", firstKey: 1, lastKey: 1, step: 1, run: cmdIncrBy},
		{name: "incrbyfloat", arity: 3, flags: []string{flagWrite, flagDenyOOM, flagFast}, group: "string", firstKey: 1, lastKey: 1, step: 1, run: cmdIncrByFloat},
		{name: "mget", arity: -2, flags: []string{flagReadonly, flagFast}, group: "string", firstKey: 1, lastKey: -1, step: 1, run: cmdMGet},
		{name: "mset", arity: -3, flags: []string{flagWrite, flagDenyOOM}, group: "string", firstKey: 1, lastKey: -1, step: 2, run: cmdMSet},
		{name: "msetnx", arity: -3, flags: []string{flagWrite, flagDenyOOM}, group: "string", firstKey: 1, lastKey: -1, step: 2, run: cmdMSetNX},
		{name: "psetex", arity: 4, flags: []string{flagWrite, flagDenyOOM}, group: "string", firstKey: 1, lastKey: 1, step: 1, run: cmdPSetEX},
		{name: "set", arity: -3, flags: []string{flagWrite, flagDenyOOM}, group: "string", firstKey: 1, lastKey: 1, step: 1, run: cmdSet},
		{name: "setex", arity: 4, flags: []string{flagWrite, flagDenyOOM}, group: "string", firstKey: 1, lastKey: 1, step: 1, run: cmdSetEX},
		{name: "setnx", arity: 3, flags: []string{flagWrite, flagDenyOOM, flagFast}, group: "string", firstKey: 1, lastKey: 1, step: 1, run: cmdSetNX},
		{name: "setrange", arity: 4, flags: []string{flagWrite, flagDenyOOM}, group: "string", firstKey: 1, lastKey: 1, step: 1, run: cmdSetRange},
		{name: "strlen", arity: 2, flags: []string{flagReadonly, flagFast}, group: "string", firstKey: 1, lastKey: 1, step: 1, run: cmdStrlen},
	}
}
