package resp

import (
	"bytes"

	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/layers/zsetkv"
)

// The ZRANGE family: ZRANGE, ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE,
// ZRANGEBYLEX, ZREVRANGEBYLEX and ZRANGESTORE, parsed by one function in
// Redis's order of checks.

// rangeKind is how a ZRANGE variant selects, before its options say more.
type rangeKind int

const (
	rangeAuto rangeKind = iota
	rangeRank
	rangeScore
	rangeLex
)

// parseZRange parses the range arguments of a ZRANGE variant. args[first]
// and args[first+1] are the two ends, options follow. by and rev are the
// variant's fixed kind and direction (rangeAuto / nil when options choose).
// It returns the range, whether WITHSCORES was given, and an error reply.
func parseZRange(args [][]byte, first int, by rangeKind, rev *bool, store bool) (zsetkv.Range, bool, string) {
	withScores := false
	revSet := rev != nil
	reverse := revSet && *rev
	offset, limit := int64(0), int64(-1)
	for j := first + 2; j < len(args); j++ {
		left := len(args) - j - 1
		switch a := args[j]; {
		case !store && bytes.EqualFold(a, []byte("withscores")):
			withScores = true
		case bytes.EqualFold(a, []byte("limit")) && left >= 2:
			o, ok1 := parseLong(args[j+1])
			if !ok1 {
				return zsetkv.Range{}, false, msgNotInteger
			}
			l, ok2 := parseLong(args[j+2])
			if !ok2 {
				return zsetkv.Range{}, false, msgNotInteger
			}
			offset, limit = o, l
			j += 2
		case !revSet && bytes.EqualFold(a, []byte("rev")):
			reverse, revSet = true, true
		case by == rangeAuto && bytes.EqualFold(a, []byte("bylex")):
			by = rangeLex
		case by == rangeAuto && bytes.EqualFold(a, []byte("byscore")):
			by = rangeScore
		default:
			return zsetkv.Range{}, false, msgSyntax
		}
	}
	if by == rangeAuto {
		by = rangeRank
	}
	if limit != -1 && by == rangeRank {
		return zsetkv.Range{}, false, msgZLimitRank
	}
	if withScores && by == rangeLex {
		return zsetkv.Range{}, false, msgZLexScores
	}
	lo, hi := args[first], args[first+1]
	if reverse && by != rangeRank {
		lo, hi = hi, lo // given as max, min
	}
	r := zsetkv.Range{Rev: reverse, Offset: offset, Count: limit}
	switch by {
	case rangeRank:
		start, ok1 := parseLong(lo)
		stop, ok2 := parseLong(hi)
		if !ok1 || !ok2 {
			return zsetkv.Range{}, false, msgNotInteger
		}
		r.By, r.Start, r.Stop, r.Offset, r.Count = zsetkv.ByRank, start, stop, 0, -1
	case rangeScore:
		rg, ok := zsetkv.ParseScoreRange(lo, hi)
		if !ok {
			return zsetkv.Range{}, false, msgZMinMaxFloat
		}
		r.By, r.Score = zsetkv.ByScore, rg
	case rangeLex:
		rg, ok := zsetkv.ParseLexRange(lo, hi)
		if !ok {
			return zsetkv.Range{}, false, msgZMinMaxLex
		}
		r.By, r.Lex = zsetkv.ByLex, rg
	}
	return r, withScores, ""
}

// parseLong parses a Redis integer argument (a C long).
func parseLong(b []byte) (int64, bool) { return strkv.ParseInt(b) }

// zrangeAction replies with the members a ZRANGE variant selects.
func zrangeAction(c *client, args [][]byte, name string, by rangeKind, rev *bool) action {
	r, withScores, msg := parseZRange(args, 2, by, rev, false)
	if msg != "" {
		return errAction(msg)
	}
	return zsetRead(c, name, args[1], func(w *writer, s zsetkv.Set) {
		es, err := s.Range(r)
		if err != nil {
			c.zsetErr(w, name, err)
			return
		}
		writeEntries(w, es, withScores)
	})
}

// fwd and bwd are the fixed directions of the variants that have one.
var (
	fwd = new(bool)
	bwd = func() *bool { b := true; return &b }()
)

func cmdZRange(c *client, args [][]byte) action {
	return zrangeAction(c, args, "zrange", rangeAuto, nil)
}

func cmdZRevRange(c *client, args [][]byte) action {
	return zrangeAction(c, args, "zrevrange", rangeRank, bwd)
}

func cmdZRangeByScore(c *client, args [][]byte) action {
	return zrangeAction(c, args, "zrangebyscore", rangeScore, fwd)
}

func cmdZRevRangeByScore(c *client, args [][]byte) action {
	return zrangeAction(c, args, "zrevrangebyscore", rangeScore, bwd)
}

func cmdZRangeByLex(c *client, args [][]byte) action {
	return zrangeAction(c, args, "zrangebylex", rangeLex, fwd)
}

func cmdZRevRangeByLex(c *client, args [][]byte) action {
	return zrangeAction(c, args, "zrevrangebylex", rangeLex, bwd)
}

// cmdZRangeStore serves ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV]
// [LIMIT offset count].
func cmdZRangeStore(c *client, args [][]byte) action {
	r, _, msg := parseZRange(args, 3, rangeAuto, nil, true)
	if msg != "" {
		return errAction(msg)
	}
	return writeAction(countReply(c, "zrangestore"), zsetkv.RangeStoreOp(c.db, args[1], args[2], r))
}
