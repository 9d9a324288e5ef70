package resp

import (
	"bytes"
	"math"

	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/tidwall/redcon"
)

// String commands: GET, SET, INCR, INCRBY, DECR, DECRBY, MGET, MSET.

func cmdGet(c *client, args [][]byte) action {
	db, key := c.db, args[1]
	return readAction(func(w redcon.Conn, r *strkv.Reader) {
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

// setOptions are SET's keywords: the bit, the bits it excludes, and whether
// it takes a value.
var setOptions = []struct {
	word     string
	bit      int
	excludes int
	value    bool
}{
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
	flags := 0
	var expire []byte
	for j := 3; j < len(args); j++ {
		matched := false
		for _, o := range setOptions {
			if !bytes.EqualFold(args[j], []byte(o.word)) || flags&o.excludes != 0 {
				continue
			}
			if o.value {
				if j+1 >= len(args) {
					break
				}
				j++
				expire = args[j]
			}
			flags |= o.bit
			matched = true
			break
		}
		if !matched {
			return errAction(msgSyntax)
		}
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
	return writeAction(func(w redcon.Conn, res [][]byte) {
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
	return writeAction(func(w redcon.Conn, res [][]byte) {
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
	return readAction(func(w redcon.Conn, r *strkv.Reader) {
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
	return writeAction(func(w redcon.Conn, res [][]byte) {
		for _, r := range res {
			if _, err := strkv.DecodeSet(r); err != nil {
				c.replyErr(w, "mset", err)
				return
			}
		}
		w.WriteString("OK")
	}, muts...)
}
