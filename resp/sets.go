package resp

import (
	"bytes"
	"github.com/aspen-db/aspen/internal/glob"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/aspen-db/aspen/layers/setkv"
	"github.com/aspen-db/aspen/layers/strkv"
)

// Set commands: SADD, SREM, SMEMBERS, SISMEMBER, SMISMEMBER, SCARD, SPOP,
// SRANDMEMBER, SMOVE, SINTER, SUNION, SDIFF, SINTERSTORE, SUNIONSTORE,
// SDIFFSTORE, SINTERCARD and SSCAN, on package setkv. Replies follow
// Redis 7.0: SMEMBERS, SINTER, SUNION, SDIFF and SPOP with a count reply
// a set (RESP3 '~'), SRANDMEMBER with a count an array.

// Error replies of the set commands, worded as Redis 7.0 words them.
const (
	msgSetNumKeys       = "ERR numkeys should be greater than 0"
	msgSetTooManyKeys   = "ERR Number of keys can't be greater than number of args"
	msgSetLimitNegative = "ERR LIMIT can't be negative"
	msgSetNotPositive   = "ERR value is out of range, must be positive"
	msgSetRandRange     = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
)

// replySetCount writes the count result of a setkv mutation.
func replySetCount(c *client, name string) func(w *writer, res [][]byte) {
	return func(w *writer, res [][]byte) {
		n, err := setkv.DecodeCount(res[0])
		if err != nil {
			c.replyErr(w, name, err)
			return
		}
		w.WriteInt64(n)
	}
}

// writeSetMembers writes members as a set reply (an array in RESP2).
func writeSetMembers(w *writer, ms [][]byte) {
	w.WriteSet(len(ms))
	for _, m := range ms {
		w.WriteBulk(m)
	}
}

func cmdSAdd(c *client, args [][]byte) action {
	return writeAction(replySetCount(c, "sadd"), setkv.AddOp(c.db, args[1], args[2:]...))
}

func cmdSRem(c *client, args [][]byte) action {
	return writeAction(replySetCount(c, "srem"), setkv.RemOp(c.db, args[1], args[2:]...))
}

func cmdSMove(c *client, args [][]byte) action {
	return writeAction(replySetCount(c, "smove"), setkv.MoveOp(c.db, args[1], args[2], args[3]))
}

func cmdSCard(c *client, args [][]byte) action {
	db, key := c.db, args[1]
	return readAction(func(w *writer, r *strkv.Reader) {
		n, err := setkv.Card(r, db, key)
		if err != nil {
			c.replyErr(w, "scard", err)
			return
		}
		w.WriteInt64(n)
	})
}

func cmdSIsMember(c *client, args [][]byte) action {
	db, key, member := c.db, args[1], args[2]
	return readAction(func(w *writer, r *strkv.Reader) {
		in, err := setkv.IsMember(r, db, key, member)
		if err != nil {
			c.replyErr(w, "sismember", err)
			return
		}
		w.WriteInt(setBoolInt(in))
	})
}

func cmdSMIsMember(c *client, args [][]byte) action {
	db, key, members := c.db, args[1], args[2:]
	return readAction(func(w *writer, r *strkv.Reader) {
		ins, err := setkv.MIsMember(r, db, key, members)
		if err != nil {
			c.replyErr(w, "smismember", err)
			return
		}
		w.WriteArray(len(ins))
		for _, in := range ins {
			w.WriteInt(setBoolInt(in))
		}
	})
}

// setBoolInt is 1 for true, 0 for false: Redis 7.0 answers membership with
// integers, in RESP3 too.
func setBoolInt(v bool) int {
	if v {
		return 1
	}
	return 0
}

func cmdSMembers(c *client, args [][]byte) action {
	db, key := c.db, args[1]
	return readAction(func(w *writer, r *strkv.Reader) {
		ms, err := setkv.Members(r, db, key)
		if err != nil {
			c.replyErr(w, "smembers", err)
			return
		}
		writeSetMembers(w, ms)
	})
}

// setAlgebraAction serves SINTER, SUNION and SDIFF.
func setAlgebraAction(c *client, name string, keys [][]byte, fn func(*strkv.Reader, int, [][]byte) ([][]byte, error)) action {
	db := c.db
	return readAction(func(w *writer, r *strkv.Reader) {
		ms, err := fn(r, db, keys)
		if err != nil {
			c.replyErr(w, name, err)
			return
		}
		writeSetMembers(w, ms)
	})
}

func cmdSInter(c *client, args [][]byte) action {
	return setAlgebraAction(c, "sinter", args[1:], setkv.Inter)
}

func cmdSUnion(c *client, args [][]byte) action {
	return setAlgebraAction(c, "sunion", args[1:], setkv.Union)
}

func cmdSDiff(c *client, args [][]byte) action {
	return setAlgebraAction(c, "sdiff", args[1:], setkv.Diff)
}

func cmdSInterStore(c *client, args [][]byte) action {
	return writeAction(replySetCount(c, "sinterstore"), setkv.StoreOp(c.db, setkv.StoreInter, args[1], args[2:]...))
}

func cmdSUnionStore(c *client, args [][]byte) action {
	return writeAction(replySetCount(c, "sunionstore"), setkv.StoreOp(c.db, setkv.StoreUnion, args[1], args[2:]...))
}

func cmdSDiffStore(c *client, args [][]byte) action {
	return writeAction(replySetCount(c, "sdiffstore"), setkv.StoreOp(c.db, setkv.StoreDiff, args[1], args[2:]...))
}

// cmdSInterCard parses SINTERCARD numkeys key [key ...] [LIMIT limit] in
// Redis's order: numkeys, its fit in the arguments, then the options.
func cmdSInterCard(c *client, args [][]byte) action {
	numKeys, ok := strkv.ParseInt(args[1])
	if !ok || numKeys < 1 {
		return errAction(msgSetNumKeys)
	}
	if numKeys > int64(len(args)-2) {
		return errAction(msgSetTooManyKeys)
	}
	keys := args[2 : 2+numKeys]
	var limit int64
	for j := 2 + int(numKeys); j < len(args); j++ {
		if !bytes.EqualFold(args[j], []byte("limit")) || j+1 >= len(args) {
			return errAction(msgSyntax)
		}
		j++
		n, ok := strkv.ParseInt(args[j])
		if !ok || n < 0 {
			return errAction(msgSetLimitNegative)
		}
		limit = n
	}
	db := c.db
	return readAction(func(w *writer, r *strkv.Reader) {
		n, err := setkv.InterCard(r, db, keys, limit)
		if err != nil {
			c.replyErr(w, "sintercard", err)
			return
		}
		w.WriteInt64(n)
	})
}

// cmdSPop serves SPOP key [count]. The members are drawn at apply time,
// from the commit, so replicas pop alike.
func cmdSPop(c *client, args [][]byte) action {
	switch {
	case len(args) > 3:
		return errAction(msgSyntax)
	case len(args) == 2:
		return writeAction(func(w *writer, res [][]byte) {
			ms, err := setkv.DecodeMembers(res[0])
			switch {
			case err != nil:
				c.replyErr(w, "spop", err)
			case len(ms) == 0:
				w.WriteNull()
			default:
				w.WriteBulk(ms[0])
			}
		}, setkv.PopOp(c.db, args[1], -1))
	}
	count, ok := strkv.ParseInt(args[2])
	if !ok || count < 0 {
		return errAction(msgSetNotPositive)
	}
	return writeAction(func(w *writer, res [][]byte) {
		ms, err := setkv.DecodeMembers(res[0])
		if err != nil {
			c.replyErr(w, "spop", err)
			return
		}
		writeSetMembers(w, ms)
	}, setkv.PopOp(c.db, args[1], count))
}

// cmdSRandMember serves SRANDMEMBER key [count]. It is a read: the draw
// uses this node's randomness.
func cmdSRandMember(c *client, args [][]byte) action {
	db, key := c.db, args[1]
	switch {
	case len(args) > 3:
		return errAction(msgSyntax)
	case len(args) == 2:
		return readAction(func(w *writer, r *strkv.Reader) {
			m, ok, err := setkv.RandMember(r, db, key, setLocalRand())
			switch {
			case err != nil:
				c.replyErr(w, "srandmember", err)
			case !ok:
				w.WriteNull()
			default:
				w.WriteBulk(m)
			}
		})
	}
	count, ok := strkv.ParseInt(args[2])
	switch {
	case !ok:
		return errAction(msgNotInteger)
	case count == math.MinInt64:
		return errAction(msgSetRandRange)
	}
	return readAction(func(w *writer, r *strkv.Reader) {
		ms, err := setkv.RandMembers(r, db, key, count, setLocalRand())
		if err != nil {
			c.replyErr(w, "srandmember", err)
			return
		}
		w.WriteArray(len(ms))
		for _, m := range ms {
			w.WriteBulk(m)
		}
	})
}

// setLocalRand returns a generator seeded from this node's randomness.
func setLocalRand() *rand.Rand {
	return rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
}

// setMaxIntsetEntries is Redis's set-max-intset-entries default: a set of at
// most this many integers is an intset there, which SSCAN returns whole.
const setMaxIntsetEntries = 512

// cmdSScan serves SSCAN key cursor [MATCH pattern] [COUNT count]. The set
// is walked in member order and the cursor names where to resume, as SCAN
// does for keys. As in Redis, the cursor is checked first, then the key,
// and only then the options. A set of at most 512 integers comes back
// whole, as Redis returns an intset.
func cmdSScan(c *client, args [][]byte) action {
	cur, ok := parseScanCursor(args[2])
	if !ok {
		return errAction(msgBadCursor)
	}
	from, ok := c.s.resumeAt(cur)
	if !ok {
		return errAction(msgBadCursor)
	}
	count := int64(10)
	var pat []byte
	optErr := ""
	for i := 3; i < len(args) && optErr == ""; i += 2 {
		switch more := i+1 < len(args); {
		case more && bytes.EqualFold(args[i], []byte("count")):
			n, ok := strkv.ParseInt(args[i+1])
			switch {
			case !ok:
				optErr = msgNotInteger
			case n < 1:
				optErr = msgSyntax
			default:
				count = n
			}
		case more && bytes.EqualFold(args[i], []byte("match")):
			pat = args[i+1]
			if len(pat) == 1 && pat[0] == '*' {
				pat = nil
			}
		default:
			optErr = msgSyntax
		}
	}
	db, key := c.db, args[1]
	return readAction(func(w *writer, r *strkv.Reader) {
		n, err := setkv.Card(r, db, key)
		switch {
		case err != nil:
			c.replyErr(w, "sscan", err)
			return
		case n == 0:
			w.WriteArray(2)
			w.WriteBulkString("0")
			w.WriteArray(0)
			return
		case optErr != "":
			w.WriteError(optErr)
			return
		}
		whole := from == nil && n <= setMaxIntsetEntries
		var ms [][]byte
		var last, resume []byte
		seen, ints := int64(0), true
		_, err = setkv.ScanMembers(r, db, key, from, func(m []byte) bool {
			if seen >= count && !(whole && ints) {
				resume = bytes.Clone(separator(last, m))
				return false
			}
			seen++
			last = append(last[:0], m...)
			if _, isInt := strkv.ParseInt(m); !isInt {
				ints = false
			}
			ms = append(ms, bytes.Clone(m))
			return true
		})
		if err != nil {
			c.replyErr(w, "sscan", err)
			return
		}
		if whole && ints {
			resume = nil // an intset: all at once
		} else if int64(len(ms)) > count {
			// Read past count hoping for an intset: page after all.
			resume = bytes.Clone(separator(ms[count-1], ms[count]))
			ms = ms[:count]
		}
		kept := ms[:0]
		for _, m := range ms {
			if pat == nil || glob.Match(pat, m) {
				kept = append(kept, m)
			}
		}
		w.WriteArray(2)
		if resume == nil {
			w.WriteBulkString("0")
		} else {
			w.WriteBulkString(strconv.FormatUint(c.s.cursorFor(resume), 10))
		}
		w.WriteArray(len(kept))
		for _, m := range kept {
			w.WriteBulk(m)
		}
	})
}

// setCommands lists this file's commands for the command table.
func setCommands() []*command {
	const movableKeys = "movablekeys"
	return []*command{
		{name: "sadd", arity: -3, flags: []string{flagWrite, flagDenyOOM, flagFast}, group: "set", firstKey: 1, lastKey: 1, step: 1, run: cmdSAdd},
		{name: "scard", arity: 2, flags: []string{flagReadonly, flagFast}, group: "set", firstKey: 1, lastKey: 1, step: 1, run: cmdSCard},
		{name: "sdiff", arity: -2, flags: []string{flagReadonly}, group: "set", firstKey: 1, lastKey: -1, step: 1, run: cmdSDiff},
		{name: "sdiffstore", arity: -3, flags: []string{flagWrite, flagDenyOOM}, group: "set", firstKey: 1, lastKey: -1, step: 1, run: cmdSDiffStore},
		{name: "sinter", arity: -2, flags: []string{flagReadonly}, group: "set", firstKey: 1, lastKey: -1, step: 1, run: cmdSInter},
		{name: "sintercard", arity: -3, flags: []string{flagReadonly, movableKeys}, group: "set", run: cmdSInterCard},
		{name: "sinterstore", arity: -3, flags: []string{flagWrite, flagDenyOOM}, group: "set", firstKey: 1, lastKey: -1, step: 1, run: cmdSInterStore},
		{name: "sismember", arity: 3, flags: []string{flagReadonly, flagFast}, group: "set", firstKey: 1, lastKey: 1, step: 1, run: cmdSIsMember},
		{name: "smembers", arity: 2, flags: []string{flagReadonly}, group: "set", firstKey: 1, lastKey: 1, step: 1, run: cmdSMembers},
		{name: "smismember", arity: -3, flags: []string{flagReadonly, flagFast}, group: "set", firstKey: 1, lastKey: 1, step: 1, run: cmdSMIsMember},
		{name: "smove", arity: 4, flags: []string{flagWrite, flagFast}, group: "set", firstKey: 1, lastKey: 2, step: 1, run: cmdSMove},
		{name: "spop", arity: -2, flags: []string{flagWrite, flagFast}, group: "set", firstKey: 1, lastKey: 1, step: 1, run: cmdSPop},
		{name: "srandmember", arity: -2, flags: []string{flagReadonly}, group: "set", firstKey: 1, lastKey: 1, step: 1, run: cmdSRandMember},
		{name: "srem", arity: -3, flags: []string{flagWrite, flagFast}, group: "set", firstKey: 1, lastKey: 1, step: 1, run: cmdSRem},
		{name: "sscan", arity: -3, flags: []string{flagReadonly}, group: "set", firstKey: 1, lastKey: 1, step: 1, run: cmdSScan},
		{name: "sunion", arity: -2, flags: []string{flagReadonly}, group: "set", firstKey: 1, lastKey: -1, step: 1, run: cmdSUnion},
		{name: "sunionstore", arity: -3, flags: []string{flagWrite, flagDenyOOM}, group: "set", firstKey: 1, lastKey: -1, step: 1, run: cmdSUnionStore},
	}
}
