package planner

// External merge sort: rows past work_mem are sorted in runs written to a
// temporary file, then merged. Each run is a stable sort of rows that
// arrived one after the other, and the merge takes equal rows from the
// earlier run first, so the result is the stable sort of the whole input,
// as the in-memory sort.

import (
	"container/heap"
	"sort"

	"github.com/aspen-db/aspen/planner/types"
)

// sortRun is one sorted run: a range of a spill file.
type sortRun struct{ from, to int64 }

// extSorter sorts rows, in memory while they fit in work_mem, in runs on
// disk past it.
type extSorter struct {
	ev    *evalCtx
	keys  []sortKey
	limit int64      // work_mem in bytes; 0: never spill
	mem   *memBudget // charged for the rows held in memory; may be nil
	rows  [][]types.Value
	bytes int64 // what rows hold (counted when mem or limit is set)
	file  *spillFile
	runs  []sortRun
	// spilled counts the rows written (for EXPLAIN ANALYZE).
	spilled int64
}

// newExtSorter returns a sorter for the statement of ev.
func newExtSorter(ev *evalCtx, keys []sortKey, mem *memBudget) *extSorter {
	return &extSorter{ev: ev, keys: keys, limit: ev.workMem(), mem: mem}
}

// add takes a row; past work_mem the rows held are sorted and written as
// a run.
func (s *extSorter) add(row []types.Value) error {
	if s.mem == nil && s.limit == 0 {
		s.rows = append(s.rows, row)
		return nil
	}
	n := rowSize(row)
	if s.mem != nil {
		if err := s.mem.add(row); err != nil {
			return err
		}
	}
	s.rows = append(s.rows, row)
	if s.bytes += n; s.limit > 0 && s.bytes > s.limit {
		return s.writeRun()
	}
	return nil
}

// sortHeld sorts the rows held in memory, stably.
func (s *extSorter) sortHeld() {
	rows, keys := s.rows, s.keys
	sort.SliceStable(rows, func(i, j int) bool { return compareRows(rows[i], rows[j], keys) < 0 })
}

// writeRun sorts the rows held and writes them as a run.
func (s *extSorter) writeRun() error {
	if len(s.rows) == 0 {
		return nil
	}
	if s.file == nil {
		f, err := newSpillFile(s.ev)
		if err != nil {
			return err
		}
		s.file = f
	}
	if err := canceled(s.ev.ctx); err != nil {
		return err
	}
	s.sortHeld()
	from := s.file.size
	for _, r := range s.rows {
		if err := s.file.writeRow(r); err != nil {
			return err
		}
	}
	s.runs = append(s.runs, sortRun{from: from, to: s.file.size})
	s.spilled += int64(len(s.rows))
	if s.mem != nil {
		s.mem.release(s.bytes)
	}
	s.rows, s.bytes = nil, 0
	return nil
}

// finish emits the rows in order and removes the sorter's file.
func (s *extSorter) finish(fn func(row []types.Value) error) error {
	defer s.close()
	if s.file == nil {
		// The rows leave the sorter's charge: whoever keeps them counts
		// them.
		if s.mem != nil {
			s.mem.release(s.bytes)
		}
		s.bytes = 0
		s.sortHeld()
		rows := s.rows
		s.rows = nil
		for _, r := range rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	}
	if err := s.writeRun(); err != nil {
		return err
	}
	if err := s.file.finishWrite(); err != nil {
		return err
	}
	// Merge passes until one pass can merge every run at once.
	fanIn := s.fanIn()
	for len(s.runs) > fanIn {
		next, err := newSpillFile(s.ev)
		if err != nil {
			return err
		}
		var runs []sortRun
		for i := 0; i < len(s.runs); i += fanIn {
			group := s.runs[i:min(i+fanIn, len(s.runs))]
			from := next.size
			if err := s.merge(group, next.writeRow); err != nil {
				next.remove()
				return err
			}
			runs = append(runs, sortRun{from: from, to: next.size})
		}
		if err := next.finishWrite(); err != nil {
			next.remove()
			return err
		}
		s.file.remove()
		s.file, s.runs = next, runs
	}
	return s.merge(s.runs, fn)
}

// fanIn is how many runs one merge reads at once: as many read buffers
// as work_mem holds, within bounds.
func (s *extSorter) fanIn() int {
	n := int(s.limit / (8 << 10))
	return min(max(n, 6), 256)
}

// merge emits the rows of runs in order; of equal rows, the earlier
// run's first.
func (s *extSorter) merge(runs []sortRun, fn func(row []types.Value) error) error {
	h := &mergeHeap{keys: s.keys}
	for i, r := range runs {
		rd := s.file.reader(r.from, r.to)
		row, err := rd.next()
		if err != nil {
			return err
		}
		if row != nil {
			h.items = append(h.items, mergeItem{row: row, run: i, rd: rd})
		}
	}
	heap.Init(h)
	n := 0
	for len(h.items) > 0 {
		if n++; n%1024 == 0 {
			if err := canceled(s.ev.ctx); err != nil {
				return err
			}
		}
		top := &h.items[0]
		if err := fn(top.row); err != nil {
			return err
		}
		row, err := top.rd.next()
		if err != nil {
			return err
		}
		if row == nil {
			heap.Pop(h)
			continue
		}
		top.row = row
		heap.Fix(h, 0)
	}
	return nil
}

// close removes the sorter's file.
func (s *extSorter) close() {
	s.file.remove()
	s.file = nil
}

// mergeItem is a run's current row in the merge.
type mergeItem struct {
	row []types.Value
	run int
	rd  *spillReader
}

// mergeHeap orders the runs' current rows: by the sort keys, then by run.
type mergeHeap struct {
	keys  []sortKey
	items []mergeItem
}

func (h *mergeHeap) Len() int { return len(h.items) }
func (h *mergeHeap) Less(i, j int) bool {
	if c := compareRows(h.items[i].row, h.items[j].row, h.keys); c != 0 {
		return c < 0
	}
	return h.items[i].run < h.items[j].run
}
func (h *mergeHeap) Swap(i, j int) { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *mergeHeap) Push(x any)    { h.items = append(h.items, x.(mergeItem)) }
func (h *mergeHeap) Pop() any {
	it := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return it
}

// sortRows sorts rows stably by keys, through temporary files when they
// hold more than work_mem. It returns the sorted rows.
func sortRows(ev *evalCtx, rows [][]types.Value, keys []sortKey) ([][]types.Value, error) {
	limit := ev.workMem()
	if limit > 0 {
		total := int64(0)
		for _, r := range rows {
			if total += rowSize(r); total > limit {
				break
			}
		}
		if total > limit {
			s := newExtSorter(ev, keys, nil)
			for i, r := range rows {
				rows[i] = nil
				if err := s.add(r); err != nil {
					s.close()
					return nil, err
				}
			}
			out := rows[:0]
			err := s.finish(func(r []types.Value) error {
				out = append(out, r)
				return nil
			})
			return out, err
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return compareRows(rows[i], rows[j], keys) < 0 })
	return rows, nil
}
