package planner

// Hash aggregation past work_mem. Once the groups held pass work_mem, the
// groups already in memory keep aggregating their rows, and a row of a new
// group goes to one of several partition files chosen by a hash of its
// group key: every row of such a group lands, in input order, in the same
// partition. When the input ends the groups in memory are finished, then
// each partition is aggregated on its own (spilling again, with another
// hash, when it too holds more than work_mem).

import (
	"hash/maphash"

	"github.com/aspen-db/aspen/planner/types"
)

const (
	// aggPartitions is how many files a spilling hash aggregate writes.
	aggPartitions = 16
	// aggMaxDepth bounds repartitioning: past it a partition is aggregated
	// in memory whatever its size.
	aggMaxDepth = 6
	// aggGroupOverhead approximates a group's memory besides its key: the
	// map entry and the slices' headers; aggStateSize each aggregate's
	// state.
	aggGroupOverhead = 96
	aggStateSize     = 160
)

// aggSeed is the hash seed of partitioning, per process.
var aggSeed = maphash.MakeSeed()

// aggSpill is a grouper's spilling state.
type aggSpill struct {
	limit int64 // work_mem in bytes; 0: never spill
	bytes int64 // what the groups in memory hold
	depth int
	parts []*spillFile // nil until spilling starts
}

// spillState returns the grouper's spilling state, made on first use.
func (g *grouper) spillState(ev *evalCtx) *aggSpill {
	if g.sp == nil {
		g.sp = &aggSpill{limit: ev.workMem()}
		if g.p.gsets != nil || len(g.p.groups) == 0 {
			g.sp.limit = 0
		}
	}
	return g.sp
}

// spillNew writes a row of a group not in memory to its partition once
// the grouper spills; it reports whether it did.
func (g *grouper) spillNew(ev *evalCtx, row []types.Value) (bool, error) {
	sp := g.spillState(ev)
	if sp.parts == nil {
		return false, nil
	}
	var h maphash.Hash
	h.SetSeed(aggSeed)
	h.WriteByte(byte(sp.depth))
	h.Write(g.kbuf)
	f := sp.parts[h.Sum64()%aggPartitions]
	return true, f.writeRow(row)
}

// grouped counts a new group's memory; past work_mem the grouper starts
// spilling new groups' rows.
func (g *grouper) grouped(ev *evalCtx, kv, rep []types.Value) error {
	sp := g.spillState(ev)
	if sp.limit == 0 {
		return nil
	}
	n := rowSize(kv) + aggGroupOverhead + int64(len(g.p.aggs))*aggStateSize
	if rep != nil {
		n += rowSize(rep)
	}
	sp.bytes += n
	if sp.bytes <= sp.limit || sp.depth >= aggMaxDepth {
		return nil
	}
	sp.parts = make([]*spillFile, aggPartitions)
	for i := range sp.parts {
		f, err := newSpillFile(ev)
		if err != nil {
			g.removeSpill()
			return err
		}
		sp.parts[i] = f
	}
	return nil
}

// spilling reports whether the grouper wrote rows to partitions.
func (g *grouper) spilling() bool { return g.sp != nil && g.sp.parts != nil }

// removeSpill deletes the grouper's partition files.
func (g *grouper) removeSpill() {
	if g.sp == nil {
		return
	}
	for _, f := range g.sp.parts {
		f.remove()
	}
}

// finishSpilled finishes the groups in memory, then aggregates each
// partition in turn.
func (g *grouper) finishSpilled(ev *evalCtx, mem *memBudget) ([][]types.Value, error) {
	parts := g.sp.parts
	g.sp.parts = nil
	defer func() {
		for _, f := range parts {
			f.remove()
		}
	}()
	out, err := g.finish(ev)
	if err != nil {
		return nil, err
	}
	// The groups in memory are done with.
	g.index, g.keys, g.states, g.reps = map[string]int{}, nil, nil, nil
	for i, f := range parts {
		if err := f.finishWrite(); err != nil {
			return nil, err
		}
		sub := newGrouper(g.p)
		sub.sp = &aggSpill{limit: g.sp.limit, depth: g.sp.depth + 1}
		rd := f.reader(0, f.size)
		n := 0
		for {
			row, err := rd.next()
			if err != nil {
				sub.removeSpill()
				return nil, err
			}
			if row == nil {
				break
			}
			if n++; n%1024 == 0 {
				if err := canceled(ev.ctx); err != nil {
					sub.removeSpill()
					return nil, err
				}
			}
			if err := sub.add(ev, row, mem); err != nil {
				sub.removeSpill()
				return nil, err
			}
		}
		f.remove()
		parts[i] = nil
		var rows [][]types.Value
		if sub.spilling() {
			rows, err = sub.finishSpilled(ev, mem)
		} else {
			rows, err = sub.finish(ev)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
	}
	return out, nil
}
