package zsetkv

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/aspen-db/aspen/layers/setkv"
	"github.com/aspen-db/aspen/layers/strkv"
)

// This file computes ZUNION, ZINTER and ZDIFF (and their STORE forms) over
// sorted sets and plain sets, as Redis does: inputs that are plain sets
// count every member with score 1, and a missing key is an empty set.

// SetOp is a set operation over several inputs.
type SetOp byte

// The set operations.
const (
	OpUnion SetOp = iota
	OpInter
	OpDiff
)

// Aggregate says how the scores of a member found in several inputs
// combine.
type Aggregate byte

// The aggregates.
const (
	AggSum Aggregate = iota
	AggMin
	AggMax
)

// input is one loaded input: its members by name, and in order.
type input struct {
	weight float64
	list   []Entry
	byName map[string]float64
}

// loadInput reads the sorted set or set at key in db, whose record is m
// (ok false: no key).
func loadInput(r *strkv.Reader, db int, key []byte, m strkv.Meta, ok bool) ([]Entry, error) {
	if !ok {
		return nil, nil
	}
	switch m.Type {
	case strkv.TypeZSet:
		s, err := fromMeta(r.Source(), db, key, m)
		if err != nil {
			return nil, err
		}
		return s.All()
	case strkv.TypeSet:
		members, err := setkv.Members(r, db, key)
		if err != nil {
			return nil, fmt.Errorf("zset: read set input: %w", err)
		}
		out := make([]Entry, len(members))
		for i, mb := range members {
			out[i] = Entry{Member: mb, Score: 1}
		}
		return out, nil
	default:
		return nil, ErrWrongType
	}
}

// CheckInputs fails with ErrWrongType when one of keys holds neither a
// sorted set nor a set: Redis checks that before it reads the options.
func CheckInputs(r *strkv.Reader, db int, keys [][]byte) error {
	_, _, err := inputMetas(r, db, keys)
	return err
}

// inputMetas looks each of keys up once, as Redis does (each miss counts
// once in keyspace_misses and raises one keymiss event), failing with
// ErrWrongType at the first key of another type.
func inputMetas(r *strkv.Reader, db int, keys [][]byte) ([]strkv.Meta, []bool, error) {
	metas, oks := make([]strkv.Meta, len(keys)), make([]bool, len(keys))
	for i, k := range keys {
		m, ok, err := r.Meta(db, k)
		if err != nil {
			return nil, nil, err
		}
		if ok && m.Type != strkv.TypeZSet && m.Type != strkv.TypeSet {
			return nil, nil, ErrWrongType
		}
		metas[i], oks[i] = m, ok
	}
	return metas, oks, nil
}

func aggregate(target *float64, v float64, agg Aggregate) {
	switch agg {
	case AggSum:
		*target += v
		if math.IsNaN(*target) {
			*target = 0
		}
	case AggMin:
		if v < *target {
			*target = v
		}
	case AggMax:
		if v > *target {
			*target = v
		}
	}
}

// Combine computes op over the inputs at keys in db, each input's scores
// multiplied by its weight (weights nil means all 1; ZDIFF takes none), and
// returns the result ordered by score, then member. Scores are as Redis
// computes them, -0 included: storing normalizes it.
func Combine(r *strkv.Reader, db int, op SetOp, keys [][]byte, weights []float64, agg Aggregate) ([]Entry, error) {
	metas, oks, err := inputMetas(r, db, keys)
	if err != nil {
		return nil, err
	}
	ins := make([]*input, len(keys))
	for i, k := range keys {
		list, err := loadInput(r, db, k, metas[i], oks[i])
		if err != nil {
			return nil, err
		}
		in := &input{weight: 1, list: list}
		if i < len(weights) {
			in.weight = weights[i]
		}
		ins[i] = in
	}
	var out []Entry
	switch op {
	case OpUnion:
		slices.SortStableFunc(ins, func(a, b *input) int { return cmp.Compare(len(a.list), len(b.list)) })
		acc := map[string]float64{}
		var order []string
		for _, in := range ins {
			for _, e := range in.list {
				v := in.weight * e.Score
				if math.IsNaN(v) {
					v = 0
				}
				if cur, ok := acc[string(e.Member)]; ok {
					aggregate(&cur, v, agg)
					acc[string(e.Member)] = cur
				} else {
					acc[string(e.Member)] = v
					order = append(order, string(e.Member))
				}
			}
		}
		out = make([]Entry, 0, len(order))
		for _, m := range order {
			out = append(out, Entry{Member: []byte(m), Score: acc[m]})
		}
	case OpInter:
		slices.SortStableFunc(ins, func(a, b *input) int { return cmp.Compare(len(a.list), len(b.list)) })
		for _, in := range ins[1:] {
			in.index()
		}
	next:
		for _, e := range ins[0].list {
			score := ins[0].weight * e.Score
			if math.IsNaN(score) {
				score = 0
			}
			for _, in := range ins[1:] {
				v, ok := in.byName[string(e.Member)]
				if !ok {
					continue next
				}
				aggregate(&score, v*in.weight, agg)
			}
			out = append(out, Entry{Member: e.Member, Score: score})
		}
	case OpDiff:
		for _, in := range ins[1:] {
			in.index()
		}
	outer:
		for _, e := range ins[0].list {
			for _, in := range ins[1:] {
				if _, ok := in.byName[string(e.Member)]; ok {
					continue outer
				}
			}
			out = append(out, e)
		}
	default:
		return nil, fmt.Errorf("set operation %d: %w", op, errCorrupt)
	}
	SortEntries(out)
	return out, nil
}

func (in *input) index() {
	in.byName = make(map[string]float64, len(in.list))
	for _, e := range in.list {
		in.byName[string(e.Member)] = e.Score
	}
}

// SortEntries orders es as a sorted set orders its members: by score, then
// by member bytes.
func SortEntries(es []Entry) {
	slices.SortFunc(es, func(a, b Entry) int {
		if c := cmp.Compare(a.Score, b.Score); c != 0 {
			return c
		}
		return bytes.Compare(a.Member, b.Member)
	})
}
