package planner

// DISTINCT and the set operations (UNION, INTERSECT, EXCEPT) past
// work_mem. Their hash tables are keyed on whole rows: when the rows hold
// more than work_mem they are split into partition files by a hash of the
// row's key, so equal rows share a partition, and each partition is then
// deduplicated (or intersected, or subtracted) in memory. Within a
// partition the rows keep their input order, so the row kept among equal
// ones is the first, as in memory; the partitions come out one after the
// other, so without ORDER BY the order differs from the in-memory one (as
// PostgreSQL's order changes between hashing and sorting).

import (
	"hash/maphash"

	"github.com/aspen-db/aspen/planner/types"
)

// hashPartitions is how many partitions DISTINCT and set operations make.
const hashPartitions = 16

// hashSeed is the hash seed of their partitioning, per process.
var hashSeed = maphash.MakeSeed()

// overWorkMem reports whether rows hold more than work_mem (never outside
// a session).
func overWorkMem(ev *evalCtx, rows ...[][]types.Value) bool {
	limit := ev.workMem()
	if limit <= 0 {
		return false
	}
	total := int64(0)
	for _, rs := range rows {
		for _, r := range rs {
			// The hash table holds a key besides the row.
			if total += 2 * rowSize(r); total > limit {
				return true
			}
		}
	}
	return false
}

// hashParts is a set of partition files.
type hashParts []*spillFile

// newHashParts creates the partition files.
func newHashParts(ev *evalCtx) (hashParts, error) {
	ps := make(hashParts, hashPartitions)
	for i := range ps {
		f, err := newSpillFile(ev)
		if err != nil {
			ps.remove()
			return nil, err
		}
		ps[i] = f
	}
	return ps, nil
}

// write moves rows to their partitions by the key of their first width
// columns, dropping them from the slice.
func (ps hashParts) write(rows [][]types.Value, width int) error {
	var buf []byte
	for i, r := range rows {
		k := r
		if width >= 0 && width < len(r) {
			k = r[:width]
		}
		buf = appendRowKey(buf[:0], k)
		if err := ps[maphash.Bytes(hashSeed, buf)%hashPartitions].writeRow(r); err != nil {
			return err
		}
		rows[i] = nil
	}
	for _, f := range ps {
		if err := f.finishWrite(); err != nil {
			return err
		}
	}
	return nil
}

// read returns the rows of partition i and removes its file.
func (ps hashParts) read(ev *evalCtx, i int) ([][]types.Value, error) {
	f := ps[i]
	defer func() {
		f.remove()
		ps[i] = nil
	}()
	if err := canceled(ev.ctx); err != nil {
		return nil, err
	}
	var rows [][]types.Value
	rd := f.reader(0, f.size)
	for {
		r, err := rd.next()
		if err != nil || r == nil {
			return rows, err
		}
		rows = append(rows, r)
	}
}

// remove deletes the partition files left.
func (ps hashParts) remove() {
	for _, f := range ps {
		f.remove()
	}
}

// distinctRows keeps the first of the rows equal in their first width
// columns, in order; past work_mem partition by partition.
func distinctRows(ev *evalCtx, rows [][]types.Value, width int) ([][]types.Value, error) {
	dedup := func(rows [][]types.Value, out [][]types.Value) [][]types.Value {
		seen := map[string]bool{}
		var buf []byte
		for _, o := range rows {
			buf = appendRowKey(buf[:0], o[:width])
			if !seen[string(buf)] {
				seen[string(buf)] = true
				out = append(out, o)
			}
		}
		return out
	}
	if !overWorkMem(ev, rows) {
		return dedup(rows, rows[:0]), nil
	}
	ps, err := newHashParts(ev)
	if err != nil {
		return nil, err
	}
	defer ps.remove()
	if err := ps.write(rows, width); err != nil {
		return nil, err
	}
	out := rows[:0]
	for i := range ps {
		part, err := ps.read(ev, i)
		if err != nil {
			return nil, err
		}
		out = dedup(part, out)
	}
	return out, nil
}

// setOpRows computes UNION (without ALL), INTERSECT [ALL] or EXCEPT [ALL]
// of two sides, with the in-memory algorithm op, directly or partition by
// partition past work_mem.
func setOpRows(ev *evalCtx, left, right [][]types.Value, op func(left, right, out [][]types.Value) [][]types.Value) ([][]types.Value, error) {
	if !overWorkMem(ev, left, right) {
		return op(left, right, nil), nil
	}
	lp, err := newHashParts(ev)
	if err != nil {
		return nil, err
	}
	defer lp.remove()
	rp, err := newHashParts(ev)
	if err != nil {
		return nil, err
	}
	defer rp.remove()
	if err := lp.write(left, -1); err != nil {
		return nil, err
	}
	if err := rp.write(right, -1); err != nil {
		return nil, err
	}
	var out [][]types.Value
	for i := range lp {
		l, err := lp.read(ev, i)
		if err != nil {
			return nil, err
		}
		r, err := rp.read(ev, i)
		if err != nil {
			return nil, err
		}
		out = op(l, r, out)
	}
	return out, nil
}
