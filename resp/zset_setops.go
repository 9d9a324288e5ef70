package resp

import (
	"bytes"
	"fmt"

	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/layers/zsetkv"
)

// ZUNION, ZINTER, ZDIFF and their STORE forms. Redis looks the input keys
// up (and refuses a key of another type) before it reads the options, so
// an options error found at plan time is only replied after a read that
// checks the keys' types.

// setOpArgs is a parsed ZUNION/ZINTER/ZDIFF[STORE] command.
type setOpArgs struct {
	keys       [][]byte
	weights    []float64
	agg        zsetkv.Aggregate
	withScores bool
	deferred   string // an options error, replied after the type check
}

// parseSetOp parses args from numkeys at args[at]; msg is an error to reply
// at once.
func parseSetOp(args [][]byte, at int, name string, op zsetkv.SetOp, store bool) (p setOpArgs, msg string) {
	n, ok := strkv.ParseInt(args[at])
	if !ok {
		return p, msgNotInteger
	}
	if n < 1 {
		return p, fmt.Sprintf("ERR at least 1 input key is needed for '%s' command", name)
	}
	if n > int64(len(args)-at-1) {
		return p, msgSyntax
	}
	p.keys = args[at+1 : at+1+int(n)]
	j := at + 1 + int(n)
	for j < len(args) {
		left := len(args) - j
		switch a := args[j]; {
		case op != zsetkv.OpDiff && left >= int(n)+1 && bytes.EqualFold(a, []byte("weights")):
			j++
			p.weights = make([]float64, n)
			for i := range p.weights {
				f, ok := zsetkv.ParseScore(args[j])
				if !ok {
					p.deferred = msgZWeightFloat
					return p, ""
				}
				p.weights[i] = f
				j++
			}
		case op != zsetkv.OpDiff && left >= 2 && bytes.EqualFold(a, []byte("aggregate")):
			switch v := args[j+1]; {
			case bytes.EqualFold(v, []byte("sum")):
				p.agg = zsetkv.AggSum
			case bytes.EqualFold(v, []byte("min")):
				p.agg = zsetkv.AggMin
			case bytes.EqualFold(v, []byte("max")):
				p.agg = zsetkv.AggMax
			default:
				p.deferred = msgSyntax
				return p, ""
			}
			j += 2
		case !store && bytes.EqualFold(a, []byte("withscores")):
			p.withScores = true
			j++
		default:
			p.deferred = msgSyntax
			return p, ""
		}
	}
	return p, ""
}

// deferredAction checks the input keys' types, then replies msg.
func deferredAction(c *client, name string, keys [][]byte, msg string) action {
	db := c.db
	return readAction(func(w *writer, r *strkv.Reader) {
		if err := zsetkv.CheckInputs(r, db, keys); err != nil {
			c.zsetErr(w, name, err)
			return
		}
		w.WriteError(msg)
	})
}

// setOpAction serves ZUNION, ZINTER and ZDIFF numkeys key ... [options].
func setOpAction(c *client, args [][]byte, name string, op zsetkv.SetOp) action {
	p, msg := parseSetOp(args, 1, name, op, false)
	if msg != "" {
		return errAction(msg)
	}
	if p.deferred != "" {
		return deferredAction(c, name, p.keys, p.deferred)
	}
	db := c.db
	return readAction(func(w *writer, r *strkv.Reader) {
		es, err := zsetkv.Combine(r, db, op, p.keys, p.weights, p.agg)
		if err != nil {
			c.zsetErr(w, name, err)
			return
		}
		writeEntries(w, es, p.withScores)
	})
}

// setOpStoreAction serves ZUNIONSTORE, ZINTERSTORE and ZDIFFSTORE dst
// numkeys key ... [options].
func setOpStoreAction(c *client, args [][]byte, name string, op zsetkv.SetOp) action {
	p, msg := parseSetOp(args, 2, name, op, true)
	if msg != "" {
		return errAction(msg)
	}
	if p.deferred != "" {
		return deferredAction(c, name, p.keys, p.deferred)
	}
	return writeAction(countReply(c, name), zsetkv.StoreOp(c.db, args[1], op, p.keys, p.weights, p.agg))
}

func cmdZUnion(c *client, args [][]byte) action {
	return setOpAction(c, args, "zunion", zsetkv.OpUnion)
}

func cmdZInter(c *client, args [][]byte) action {
	return setOpAction(c, args, "zinter", zsetkv.OpInter)
}

func cmdZDiff(c *client, args [][]byte) action { return setOpAction(c, args, "zdiff", zsetkv.OpDiff) }

func cmdZUnionStore(c *client, args [][]byte) action {
	return setOpStoreAction(c, args, "zunionstore", zsetkv.OpUnion)
}

func cmdZInterStore(c *client, args [][]byte) action {
	return setOpStoreAction(c, args, "zinterstore", zsetkv.OpInter)
}

func cmdZDiffStore(c *client, args [][]byte) action {
	return setOpStoreAction(c, args, "zdiffstore", zsetkv.OpDiff)
}

// cmdZInterCard serves ZINTERCARD numkeys key ... [LIMIT limit]: the size
// of the intersection, counted up to limit (0: no limit).
func cmdZInterCard(c *client, args [][]byte) action {
	n, ok := strkv.ParseInt(args[1])
	switch {
	case !ok:
		return errAction(msgNotInteger)
	case n < 1:
		return errAction("ERR at least 1 input key is needed for 'zintercard' command")
	case n > int64(len(args)-2):
		return errAction(msgSyntax)
	}
	keys := args[2 : 2+n]
	limit, deferred := int64(0), ""
	for j := 2 + int(n); j < len(args) && deferred == ""; j++ {
		if bytes.EqualFold(args[j], []byte("limit")) && j+1 < len(args) {
			l, ok := strkv.ParseInt(args[j+1])
			if !ok || l < 0 {
				deferred = "ERR LIMIT can't be negative"
			}
			limit = l
			j++
			continue
		}
		deferred = msgSyntax
	}
	if deferred != "" {
		return deferredAction(c, "zintercard", keys, deferred)
	}
	db := c.db
	return readAction(func(w *writer, r *strkv.Reader) {
		es, err := zsetkv.Combine(r, db, zsetkv.OpInter, keys, nil, zsetkv.AggSum)
		if err != nil {
			c.zsetErr(w, "zintercard", err)
			return
		}
		card := int64(len(es))
		if limit > 0 {
			card = min(card, limit)
		}
		w.WriteInt64(card)
	})
}
