package resp

import (
	"bytes"
	"errors"
	"github.com/aspen-db/aspen/internal/glob"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/layers/zsetkv"
)

// Sorted-set commands: ZADD, ZINCRBY, ZSCORE, ZMSCORE, ZCARD, ZCOUNT,
// ZLEXCOUNT, ZRANK, ZREVRANK, ZREM, ZREMRANGEBY*, ZPOPMIN, ZPOPMAX,
// ZRANDMEMBER and ZSCAN. The ZRANGE family is in zset_range.go, the set
// operations (ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD) in
// zset_setops.go, ZMPOP and the blocking pops (BZPOPMIN, BZPOPMAX,
// BZMPOP) in zset_blocking.go. The data layer is package zsetkv.

// Error replies of the sorted set commands, worded as Redis 7.0 words them.
const (
	msgZNaN          = "ERR resulting score is not a number (NaN)"
	msgZMinMaxFloat  = "ERR min or max is not a float"
	msgZMinMaxLex    = "ERR min or max not valid string range item"
	msgZXXNX         = "ERR XX and NX options at the same time are not compatible"
	msgZGTLTNX       = "ERR GT, LT, and/or NX options at the same time are not compatible"
	msgZIncrPair     = "ERR INCR option supports a single increment-element pair"
	msgZPositive     = "ERR value is out of range, must be positive"
	msgZRandRange    = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
	msgZOutOfRange   = "ERR value is out of range"
	msgZWeightFloat  = "ERR weight value is not a float"
	msgZLimitRank    = "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
	msgZLexScores    = "ERR syntax error, WITHSCORES not supported in combination with BYLEX"
	zsetSmallMembers = 128 // Redis's zset-max-listpack-entries: ZSCAN answers in one reply up to it
)

// zsetErr writes the reply for a failed sorted set command.
func (c *client) zsetErr(w *writer, name string, err error) {
	if errors.Is(err, zsetkv.ErrNaN) {
		w.WriteError(msgZNaN)
		return
	}
	c.replyErr(w, name, err)
}

// writeEntries writes members, with their scores when withScores: in RESP3
// as [member, score] pairs, in RESP2 as one flat array.
func writeEntries(w *writer, es []zsetkv.Entry, withScores bool) {
	if withScores && !w.resp3 {
		w.WriteArray(2 * len(es))
	} else {
		w.WriteArray(len(es))
	}
	for _, e := range es {
		writeEntry(w, e, withScores)
	}
}

// writeEntry writes one element of a writeEntries reply.
func writeEntry(w *writer, e zsetkv.Entry, withScores bool) {
	switch {
	case !withScores:
		w.WriteBulk(e.Member)
	case w.resp3:
		w.WriteArray(2)
		w.WriteBulk(e.Member)
		w.WriteDouble(e.Score)
	default:
		w.WriteBulk(e.Member)
		w.WriteDouble(e.Score)
	}
}

// zsetRead runs fn on the sorted set at key (empty when missing), or
// replies the error.
func zsetRead(c *client, name string, key []byte, fn func(w *writer, s zsetkv.Set)) action {
	db := c.db
	return readAction(func(w *writer, r *strkv.Reader) {
		s, err := zsetkv.Open(r, db, key)
		if err != nil {
			c.zsetErr(w, name, err)
			return
		}
		fn(w, s)
	})
}

// cmdZAdd serves ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member ...
// and, with incr set, ZINCRBY key increment member, which Redis parses
// the same way.
func cmdZAdd(c *client, args [][]byte, name string, incr bool) action {
	var opt zsetkv.AddOptions
	opt.Incr = incr
	i := 2
options:
	for ; i < len(args); i++ {
		switch {
		case bytes.EqualFold(args[i], []byte("nx")):
			opt.NX = true
		case bytes.EqualFold(args[i], []byte("xx")):
			opt.XX = true
		case bytes.EqualFold(args[i], []byte("ch")):
			opt.CH = true
		case bytes.EqualFold(args[i], []byte("incr")):
			opt.Incr = true
		case bytes.EqualFold(args[i], []byte("gt")):
			opt.GT = true
		case bytes.EqualFold(args[i], []byte("lt")):
			opt.LT = true
		default:
			break options
		}
	}
	n := len(args) - i
	switch {
	case n == 0 || n%2 != 0:
		return errAction(msgSyntax)
	case opt.NX && opt.XX:
		return errAction(msgZXXNX)
	case (opt.GT && opt.NX) || (opt.LT && opt.NX) || (opt.GT && opt.LT):
		return errAction(msgZGTLTNX)
	case opt.Incr && n > 2:
		return errAction(msgZIncrPair)
	}
	es := make([]zsetkv.Entry, 0, n/2)
	for j := i; j < len(args); j += 2 {
		f, ok := zsetkv.ParseScore(args[j])
		if !ok {
			return errAction(msgNotFloat)
		}
		es = append(es, zsetkv.Entry{Score: f, Member: args[j+1]})
	}
	return writeAction(func(w *writer, res [][]byte) {
		r, err := zsetkv.DecodeAdd(res[0])
		switch {
		case err != nil:
			c.zsetErr(w, name, err)
		case !opt.Incr:
			w.WriteInt64(r.Count)
		case r.Done:
			w.WriteDouble(r.Score)
		default:
			w.WriteNull()
		}
	}, zsetkv.AddOp(c.db, args[1], opt, es))
}

func cmdZAddCmd(c *client, args [][]byte) action { return cmdZAdd(c, args, "zadd", false) }

func cmdZIncrBy(c *client, args [][]byte) action { return cmdZAdd(c, args, "zincrby", true) }

func cmdZScore(c *client, args [][]byte) action {
	member := args[2]
	return zsetRead(c, "zscore", args[1], func(w *writer, s zsetkv.Set) {
		f, ok, err := s.Score(member)
		switch {
		case err != nil:
			c.zsetErr(w, "zscore", err)
		case !ok:
			w.WriteNull()
		default:
			w.WriteDouble(f)
		}
	})
}

func cmdZMScore(c *client, args [][]byte) action {
	members := args[2:]
	return zsetRead(c, "zmscore", args[1], func(w *writer, s zsetkv.Set) {
		scores := make([]float64, len(members))
		found := make([]bool, len(members))
		for i, m := range members {
			var err error
			if scores[i], found[i], err = s.Score(m); err != nil {
				c.zsetErr(w, "zmscore", err)
				return
			}
		}
		w.WriteArray(len(members))
		for i := range members {
			if found[i] {
				w.WriteDouble(scores[i])
			} else {
				w.WriteNull()
			}
		}
	})
}

func cmdZCard(c *client, args [][]byte) action {
	return zsetRead(c, "zcard", args[1], func(w *writer, s zsetkv.Set) { w.WriteInt64(s.Card()) })
}

func cmdZCount(c *client, args [][]byte) action {
	rg, ok := zsetkv.ParseScoreRange(args[2], args[3])
	if !ok {
		return errAction(msgZMinMaxFloat)
	}
	return zsetRead(c, "zcount", args[1], func(w *writer, s zsetkv.Set) {
		n, err := s.CountScore(rg)
		if err != nil {
			c.zsetErr(w, "zcount", err)
			return
		}
		w.WriteInt64(n)
	})
}

func cmdZLexCount(c *client, args [][]byte) action {
	rg, ok := zsetkv.ParseLexRange(args[2], args[3])
	if !ok {
		return errAction(msgZMinMaxLex)
	}
	return zsetRead(c, "zlexcount", args[1], func(w *writer, s zsetkv.Set) {
		n, err := s.CountLex(rg)
		if err != nil {
			c.zsetErr(w, "zlexcount", err)
			return
		}
		w.WriteInt64(n)
	})
}

func zrankAction(c *client, args [][]byte, name string, rev bool) action {
	member := args[2]
	return zsetRead(c, name, args[1], func(w *writer, s zsetkv.Set) {
		n, ok, err := s.Rank(member, rev)
		switch {
		case err != nil:
			c.zsetErr(w, name, err)
		case !ok:
			w.WriteNull()
		default:
			w.WriteInt64(n)
		}
	})
}

func cmdZRank(c *client, args [][]byte) action { return zrankAction(c, args, "zrank", false) }

func cmdZRevRank(c *client, args [][]byte) action { return zrankAction(c, args, "zrevrank", true) }

// countReply replies with the count a RemOp, RemRangeOp, StoreOp or
// RangeStoreOp returns.
func countReply(c *client, name string) func(w *writer, res [][]byte) {
	return func(w *writer, res [][]byte) {
		n, err := zsetkv.DecodeCount(res[0])
		if err != nil {
			c.zsetErr(w, name, err)
			return
		}
		w.WriteInt64(n)
	}
}

func cmdZRem(c *client, args [][]byte) action {
	return writeAction(countReply(c, "zrem"), zsetkv.RemOp(c.db, args[1], args[2:]))
}

func cmdZRemRangeByRank(c *client, args [][]byte) action {
	start, ok1 := strkv.ParseInt(args[2])
	stop, ok2 := strkv.ParseInt(args[3])
	if !ok1 || !ok2 {
		return errAction(msgNotInteger)
	}
	r := zsetkv.Range{By: zsetkv.ByRank, Start: start, Stop: stop, Count: -1}
	return writeAction(countReply(c, "zremrangebyrank"), zsetkv.RemRangeOp(c.db, args[1], r))
}

func cmdZRemRangeByScore(c *client, args [][]byte) action {
	rg, ok := zsetkv.ParseScoreRange(args[2], args[3])
	if !ok {
		return errAction(msgZMinMaxFloat)
	}
	r := zsetkv.Range{By: zsetkv.ByScore, Score: rg, Count: -1}
	return writeAction(countReply(c, "zremrangebyscore"), zsetkv.RemRangeOp(c.db, args[1], r))
}

func cmdZRemRangeByLex(c *client, args [][]byte) action {
	rg, ok := zsetkv.ParseLexRange(args[2], args[3])
	if !ok {
		return errAction(msgZMinMaxLex)
	}
	r := zsetkv.Range{By: zsetkv.ByLex, Lex: rg, Count: -1}
	return writeAction(countReply(c, "zremrangebylex"), zsetkv.RemRangeOp(c.db, args[1], r))
}

// cmdZPop serves ZPOPMIN and ZPOPMAX key [count].
func cmdZPop(c *client, args [][]byte, name string, highest bool) action {
	if len(args) > 3 {
		return errAction(msgSyntax)
	}
	count := int64(1)
	withCount := len(args) == 3
	if withCount {
		n, ok := strkv.ParseInt(args[2])
		if !ok || n < 0 {
			return errAction(msgZPositive)
		}
		count = n
	}
	return writeAction(func(w *writer, res [][]byte) {
		r, err := zsetkv.DecodePop(res[0])
		if err != nil {
			c.zsetErr(w, name, err)
			return
		}
		if withCount {
			writeEntries(w, r.Entries, true)
			return
		}
		w.WriteArray(2 * len(r.Entries))
		for _, e := range r.Entries {
			w.WriteBulk(e.Member)
			w.WriteDouble(e.Score)
		}
	}, zsetkv.PopOp(c.db, args[1:2], highest, count))
}

func cmdZPopMin(c *client, args [][]byte) action { return cmdZPop(c, args, "zpopmin", false) }

func cmdZPopMax(c *client, args [][]byte) action { return cmdZPop(c, args, "zpopmax", true) }

// cmdZRandMember serves ZRANDMEMBER key [count [WITHSCORES]]. A positive
// count gives distinct members, a negative one may repeat them. The
// choice is a read: it uses the local random source.
func cmdZRandMember(c *client, args [][]byte) action {
	if len(args) == 2 {
		return zsetRead(c, "zrandmember", args[1], func(w *writer, s zsetkv.Set) {
			if s.Card() == 0 {
				w.WriteNull()
				return
			}
			es, err := s.Pick([]int64{rand.Int64N(s.Card())})
			if err != nil {
				c.zsetErr(w, "zrandmember", err)
				return
			}
			w.WriteBulk(es[0].Member)
		})
	}
	count, ok := strkv.ParseInt(args[2])
	if !ok {
		return errAction(msgNotInteger)
	}
	if count == math.MinInt64 {
		return errAction(msgZRandRange)
	}
	withScores := false
	switch {
	case len(args) > 4 || (len(args) == 4 && !bytes.EqualFold(args[3], []byte("withscores"))):
		return errAction(msgSyntax)
	case len(args) == 4:
		withScores = true
		if count < -math.MaxInt64/2 || count > math.MaxInt64/2 {
			return errAction(msgZOutOfRange)
		}
	}
	return zsetRead(c, "zrandmember", args[1], func(w *writer, s zsetkv.Set) {
		if err := writeRandMembers(w, s, count, withScores); err != nil {
			c.zsetErr(w, "zrandmember", err)
		}
	})
}

// writeRandMembers replies with count members of s drawn as ZRANDMEMBER
// draws them. Every allocation is bounded by the set's size; a negative
// count larger than the set streams its draws into the reply.
func writeRandMembers(w *writer, s zsetkv.Set, count int64, withScores bool) error {
	card := s.Card()
	var es []zsetkv.Entry
	var err error
	switch {
	case count == 0 || card == 0:
	case count >= card:
		es, err = s.All()
	case count > 0 || -count < card:
		// Ranks drawn (distinct for a positive count, by Floyd's
		// sampling), read in one walk, then shuffled.
		n := count
		var ranks []int64
		if count > 0 {
			picked := make(map[int64]bool, n)
			for j := card - n; j < card; j++ {
				t := rand.Int64N(j + 1)
				if picked[t] {
					t = j
				}
				picked[t] = true
			}
			ranks = make([]int64, 0, n)
			for r := range picked {
				ranks = append(ranks, r)
			}
		} else {
			n = -count
			ranks = make([]int64, n)
			for i := range ranks {
				ranks[i] = rand.Int64N(card)
			}
		}
		slices.Sort(ranks)
		es, err = s.Pick(ranks)
		rand.Shuffle(len(es), func(i, j int) { es[i], es[j] = es[j], es[i] })
	default:
		// A negative count at least the set's size: draw from the whole
		// set, writing as we go.
		all, err := s.All()
		if err != nil {
			return err
		}
		n := -count
		if withScores && !w.resp3 {
			w.WriteArray(int(2 * n))
		} else {
			w.WriteArray(int(n))
		}
		for ; n > 0; n-- {
			writeEntry(w, all[rand.IntN(len(all))], withScores)
		}
		return nil
	}
	if err != nil {
		return err
	}
	writeEntries(w, es, withScores)
	return nil
}

// cmdZScan serves ZSCAN key cursor [MATCH pattern] [COUNT count]. A set of
// up to zsetSmallMembers members comes back whole, in score order, with
// cursor 0, as Redis answers for its compact encoding; a larger one is
// walked in member order from where the cursor says (see the SCAN cursors
// in keys.go), so members whose scores change meanwhile are not missed.
func cmdZScan(c *client, args [][]byte) action {
	cur, ok := parseScanCursor(args[2])
	if !ok {
		return errAction(msgBadCursor)
	}
	from, okCursor := c.s.resumeAt(cur)
	if cur == 0 {
		from = nil
	}
	opts := args[3:]
	return zsetRead(c, "zscan", args[1], func(w *writer, s zsetkv.Set) {
		if s.Card() == 0 {
			w.WriteArray(2)
			w.WriteBulkString("0")
			w.WriteArray(0)
			return
		}
		if s.Card() <= zsetSmallMembers {
			// Like Redis's compact encoding: the whole set, whatever the
			// cursor says.
			from, okCursor = nil, true
		}
		if !okCursor {
			w.WriteError(msgBadCursor)
			return
		}
		count := int64(10)
		var pat []byte
		for i := 0; i < len(opts); i += 2 {
			switch {
			case bytes.EqualFold(opts[i], []byte("count")) && i+1 < len(opts):
				n, ok := strkv.ParseInt(opts[i+1])
				if !ok {
					w.WriteError(msgNotInteger)
					return
				}
				if n < 1 {
					w.WriteError(msgSyntax)
					return
				}
				count = n
			case bytes.EqualFold(opts[i], []byte("match")) && i+1 < len(opts):
				pat = opts[i+1]
				if len(pat) == 1 && pat[0] == '*' {
					pat = nil
				}
			default:
				w.WriteError(msgSyntax)
				return
			}
		}
		var es []zsetkv.Entry
		var next []byte
		var err error
		if s.Card() <= zsetSmallMembers {
			// The whole set in score order, as Redis's compact encoding.
			var all []zsetkv.Entry
			all, err = s.All()
			for _, e := range all {
				if pat == nil || glob.Match(pat, e.Member) {
					es = append(es, e)
				}
			}
		} else {
			seen := int64(0)
			next, err = s.ScanMembers(from, func(e zsetkv.Entry) bool {
				if seen >= count {
					return false
				}
				seen++
				if pat == nil || glob.Match(pat, e.Member) {
					es = append(es, zsetkv.Entry{Member: bytes.Clone(e.Member), Score: e.Score})
				}
				return true
			})
		}
		if err != nil {
			c.zsetErr(w, "zscan", err)
			return
		}
		w.WriteArray(2)
		if next == nil {
			w.WriteBulkString("0")
		} else {
			w.WriteBulkString(strconv.FormatUint(c.s.cursorFor(next), 10))
		}
		w.WriteArray(2 * len(es))
		var buf []byte
		for _, e := range es {
			w.WriteBulk(e.Member)
			buf = AppendDouble(buf[:0], e.Score)
			w.WriteBulk(buf)
		}
	})
}

// zsetCommands lists this file's commands for the command table.
func zsetCommands() []*command {
	rw := func(flags ...string) []string { return flags }
	return append(zsetBlockingCommands(), []*command{
		{name: "zadd", arity: -4, flags: rw(flagWrite, flagDenyOOM, flagFast), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZAddCmd},
		{name: "zcard", arity: 2, flags: rw(flagReadonly, flagFast), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZCard},
		{name: "zcount", arity: 4, flags: rw(flagReadonly, flagFast), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZCount},
		{name: "zdiff", arity: -3, flags: rw(flagReadonly, "movablekeys"), group: "sortedset", run: cmdZDiff},
		{name: "zdiffstore", arity: -4, flags: rw(flagWrite, flagDenyOOM, "movablekeys"), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZDiffStore},
		{name: "zincrby", arity: 4, flags: rw(flagWrite, flagDenyOOM, flagFast), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZIncrBy},
		{name: "zinter", arity: -3, flags: rw(flagReadonly, "movablekeys"), group: "sortedset", run: cmdZInter},
		{name: "zintercard", arity: -3, flags: rw(flagReadonly, "movablekeys"), group: "sortedset", run: cmdZInterCard},
		{name: "zinterstore", arity: -4, flags: rw(flagWrite, flagDenyOOM, "movablekeys"), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZInterStore},
		{name: "zlexcount", arity: 4, flags: rw(flagReadonly, flagFast), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZLexCount},
		{name: "zmscore", arity: -3, flags: rw(flagReadonly, flagFast), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZMScore},
		{name: "zpopmax", arity: -2, flags: rw(flagWrite, flagFast), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZPopMax},
		{name: "zpopmin", arity: -2, flags: rw(flagWrite, flagFast), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZPopMin},
		{name: "zrandmember", arity: -2, flags: rw(flagReadonly), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZRandMember},
		{name: "zrange", arity: -4, flags: rw(flagReadonly), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZRange},
		{name: "zrangebylex", arity: -4, flags: rw(flagReadonly), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZRangeByLex},
		{name: "zrangebyscore", arity: -4, flags: rw(flagReadonly), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZRangeByScore},
		{name: "zrangestore", arity: -5, flags: rw(flagWrite, flagDenyOOM), group: "sortedset", firstKey: 1, lastKey: 2, step: 1, run: cmdZRangeStore},
		{name: "zrank", arity: 3, flags: rw(flagReadonly, flagFast), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZRank},
		{name: "zrem", arity: -3, flags: rw(flagWrite, flagFast), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZRem},
		{name: "zremrangebylex", arity: 4, flags: rw(flagWrite), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZRemRangeByLex},
		{name: "zremrangebyrank", arity: 4, flags: rw(flagWrite), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZRemRangeByRank},
		{name: "zremrangebyscore", arity: 4, flags: rw(flagWrite), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZRemRangeByScore},
		{name: "zrevrange", arity: -4, flags: rw(flagReadonly), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZRevRange},
		{name: "zrevrangebylex", arity: -4, flags: rw(flagReadonly), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZRevRangeByLex},
		{name: "zrevrangebyscore", arity: -4, flags: rw(flagReadonly), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZRevRangeByScore},
		{name: "zrevrank", arity: 3, flags: rw(flagReadonly, flagFast), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZRevRank},
		{name: "zscan", arity: -3, flags: rw(flagReadonly), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZScan},
		{name: "zscore", arity: 3, flags: rw(flagReadonly, flagFast), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZScore},
		{name: "zunion", arity: -3, flags: rw(flagReadonly, "movablekeys"), group: "sortedset", run: cmdZUnion},
		{name: "zunionstore", arity: -4, flags: rw(flagWrite, flagDenyOOM, "movablekeys"), group: "sortedset", firstKey: 1, lastKey: 1, step: 1, run: cmdZUnionStore},
	}...)
}
