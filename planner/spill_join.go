package planner

// Hash join past work_mem (a grace hash join). When the build (right)
// side of an equi-join holds more than work_mem, both sides are split into
// partition files by a hash of their join keys; rows that can match are in
// partitions of the same number, and each pair is then joined in memory.
// Right rows whose key is NULL match nothing: a RIGHT or FULL join emits
// them null-extended at the end; a left row with a NULL key is emitted
// null-extended at once by a LEFT or FULL join.

import (
	"hash/maphash"

	"github.com/aspen-db/aspen/planner/types"
)

// joinPartitions is how many partitions a spilling hash join makes.
const joinPartitions = 32

// joinSeed is the hash seed of join partitioning, per process.
var joinSeed = maphash.MakeSeed()

// joinBuild tracks the memory of a hash join's build side.
type joinBuild struct {
	limit int64 // work_mem in bytes; 0: never spill
	bytes int64
	grace *graceJoin
	init  bool
}

// add counts a row just appended to right; past work_mem it moves the
// rows to partition files and later rows go there directly.
func (b *joinBuild) add(ev *evalCtx, j *fromJoin, mem *memBudget, right *[][]types.Value, row []types.Value) error {
	if !b.init {
		b.init = true
		if len(j.rkeys) > 0 {
			b.limit = ev.workMem()
		}
	}
	if b.limit == 0 {
		return nil
	}
	n := rowSize(row)
	b.bytes += n
	if b.bytes <= b.limit {
		return nil
	}
	g := &graceJoin{ev: ev, j: j, mem: mem, limit: b.limit}
	b.grace = g
	if err := g.open(); err != nil {
		return err
	}
	for i, r := range *right {
		if err := g.addRight(r); err != nil {
			return err
		}
		(*right)[i] = nil
	}
	mem.release(b.bytes)
	*right = nil
	return nil
}

// close removes the files of a join that spilled.
func (b *joinBuild) close() {
	if b.grace != nil {
		b.grace.close()
	}
}

// graceJoin is a hash join partitioned to disk.
type graceJoin struct {
	ev        *evalCtx
	j         *fromJoin
	mem       *memBudget
	right     []*spillFile
	left      []*spillFile
	rightNull *spillFile // right rows with a NULL key (RIGHT and FULL joins)
	probe     joinKeyScratch
	// depth counts repartitionings of a partition too big for work_mem.
	depth int
	limit int64
}

// joinMaxDepth bounds repartitioning: a partition that is still too big
// (many rows of one key) is then joined in memory.
const joinMaxDepth = 4

// open creates the partition files.
func (g *graceJoin) open() error {
	g.right = make([]*spillFile, joinPartitions)
	g.left = make([]*spillFile, joinPartitions)
	for i := range g.right {
		var err error
		if g.right[i], err = newSpillFile(g.ev); err != nil {
			return err
		}
		if g.left[i], err = newSpillFile(g.ev); err != nil {
			return err
		}
	}
	return nil
}

// part returns the partition of a join key.
func (g *graceJoin) part(key []byte) int {
	var h maphash.Hash
	h.SetSeed(joinSeed)
	h.WriteByte(byte(g.depth))
	h.Write(key)
	return int(h.Sum64() % joinPartitions)
}

// addRight writes a build row to its partition.
func (g *graceJoin) addRight(row []types.Value) error {
	k, ok, err := g.probe.key(g.ev, g.j.rkeys, row)
	if err != nil {
		return err
	}
	if !ok {
		if g.j.kind != joinRight && g.j.kind != joinFull {
			return nil
		}
		if g.rightNull == nil {
			if g.rightNull, err = newSpillFile(g.ev); err != nil {
				return err
			}
		}
		return g.rightNull.writeRow(row)
	}
	return g.right[g.part(k)].writeRow(row)
}

// run partitions the left side, then joins partition by partition.
func (g *graceJoin) run(lsel *rowSel, fn func(row []types.Value) error) error {
	ev, j := g.ev, g.j
	lw, rw := j.left.width(), j.right.width()
	err := iterFromSel(ev, j.left, g.mem, lsel, func(l []types.Value) error {
		if err := canceled(ev.ctx); err != nil {
			return err
		}
		k, ok, err := g.probe.key(ev, j.lkeys, l)
		if err != nil {
			return err
		}
		if !ok {
			if j.kind == joinLeft || j.kind == joinFull {
				row := make([]types.Value, lw+rw)
				copy(row, l)
				return fn(row)
			}
			return nil
		}
		return g.left[g.part(k)].writeRow(l)
	})
	if err != nil {
		return err
	}
	for i := range g.right {
		if err := g.joinPart(i, lw, rw, fn); err != nil {
			return err
		}
	}
	if g.rightNull != nil {
		if err := g.rightNull.finishWrite(); err != nil {
			return err
		}
		rd := g.rightNull.reader(0, g.rightNull.size)
		for {
			r, err := rd.next()
			if err != nil || r == nil {
				return err
			}
			row := make([]types.Value, lw+rw)
			copy(row[lw:], r)
			if err := fn(row); err != nil {
				return err
			}
		}
	}
	return nil
}

// joinPart joins partition i of both sides in memory.
func (g *graceJoin) joinPart(i, lw, rw int, fn func(row []types.Value) error) error {
	ev, j := g.ev, g.j
	rf, lf := g.right[i], g.left[i]
	defer func() {
		rf.remove()
		lf.remove()
		g.right[i], g.left[i] = nil, nil
	}()
	if err := rf.finishWrite(); err != nil {
		return err
	}
	if err := lf.finishWrite(); err != nil {
		return err
	}
	if rf.size > g.limit && g.depth < joinMaxDepth {
		return g.repartition(rf, lf, lw, rw, fn)
	}
	var right [][]types.Value
	var held memBudget
	hash := map[string][]int{}
	rd := rf.reader(0, rf.size)
	for {
		r, err := rd.next()
		if err != nil {
			return err
		}
		if r == nil {
			break
		}
		if err := held.add(r); err != nil {
			return err
		}
		k, ok, err := g.probe.key(ev, j.rkeys, r)
		if err != nil {
			return err
		}
		if ok {
			hash[string(k)] = append(hash[string(k)], len(right))
		}
		right = append(right, r)
	}
	var matched []bool
	if j.kind == joinRight || j.kind == joinFull {
		matched = make([]bool, len(right))
	}
	ld := lf.reader(0, lf.size)
	for {
		l, err := ld.next()
		if err != nil {
			return err
		}
		if l == nil {
			break
		}
		if err := canceled(ev.ctx); err != nil {
			return err
		}
		k, ok, err := g.probe.key(ev, j.lkeys, l)
		if err != nil {
			return err
		}
		var cands []int
		if ok {
			cands = hash[string(k)]
		}
		any := false
		for _, ri := range cands {
			row := make([]types.Value, 0, lw+rw)
			row = append(append(row, l...), right[ri]...)
			if j.cond != nil {
				v, err := j.cond.eval(ev, row)
				if err != nil {
					return err
				}
				if !truthy(v) {
					continue
				}
			}
			any = true
			if matched != nil {
				matched[ri] = true
			}
			if err := fn(row); err != nil {
				return err
			}
		}
		if !any && (j.kind == joinLeft || j.kind == joinFull) {
			row := make([]types.Value, lw+rw)
			copy(row, l)
			if err := fn(row); err != nil {
				return err
			}
		}
	}
	for ri, m := range matched {
		if !m {
			row := make([]types.Value, lw+rw)
			copy(row[lw:], right[ri])
			if err := fn(row); err != nil {
				return err
			}
		}
	}
	return nil
}

// repartition joins a partition too big for work_mem by splitting both
// of its sides again, with another hash.
func (g *graceJoin) repartition(rf, lf *spillFile, lw, rw int, fn func(row []types.Value) error) error {
	sub := &graceJoin{ev: g.ev, j: g.j, mem: g.mem, depth: g.depth + 1, limit: g.limit}
	defer sub.close()
	if err := sub.open(); err != nil {
		return err
	}
	for _, side := range []struct {
		f     *spillFile
		keys  []expr
		parts []*spillFile
	}{{rf, g.j.rkeys, sub.right}, {lf, g.j.lkeys, sub.left}} {
		rd := side.f.reader(0, side.f.size)
		for {
			r, err := rd.next()
			if err != nil {
				return err
			}
			if r == nil {
				break
			}
			k, ok, err := sub.probe.key(g.ev, side.keys, r)
			if err != nil {
				return err
			}
			if ok {
				if err := side.parts[sub.part(k)].writeRow(r); err != nil {
					return err
				}
			}
		}
	}
	rf.remove()
	lf.remove()
	for i := range sub.right {
		if err := sub.joinPart(i, lw, rw, fn); err != nil {
			return err
		}
	}
	return nil
}

// close removes every file of the join.
func (g *graceJoin) close() {
	for _, f := range g.right {
		f.remove()
	}
	for _, f := range g.left {
		f.remove()
	}
	g.rightNull.remove()
}
