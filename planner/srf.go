package planner

// Set-returning functions: generate_series, generate_subscripts, unnest,
// the JSON element and key functions, regexp_matches,
// regexp_split_to_table and string_to_table. A bound call (srfCall) opens
// an iterator per evaluation, so that functions in FROM stream their rows
// (generate_series(1, 100000000) LIMIT 5 reads five) and several calls can
// run in lockstep: in ROWS FROM (...) and, as in PostgreSQL 10 and later,
// in a select list, where the shorter ones are padded with NULLs.

import (
	"fmt"
	"strings"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
)

// srfIter yields the rows of one set-returning function call.
type srfIter interface {
	next() ([]types.Value, bool, error)
}

// sliceIter yields rows computed in advance.
type sliceIter struct {
	rows [][]types.Value
	i    int
}

func (s *sliceIter) next() ([]types.Value, bool, error) {
	if s.i >= len(s.rows) {
		return nil, false, nil
	}
	s.i++
	return s.rows[s.i-1], true, nil
}

// funcIter yields rows from a closure.
type funcIter func() ([]types.Value, bool, error)

func (f funcIter) next() ([]types.Value, bool, error) { return f() }

// column1 turns single values into one-column rows.
func column1(vals []types.Value) *sliceIter {
	rows := make([][]types.Value, len(vals))
	for i, v := range vals {
		rows[i] = []types.Value{v}
	}
	return &sliceIter{rows: rows}
}

// srfCall is a bound call of a set-returning function (or, in FROM, of a
// scalar function, which returns one row).
type srfCall struct {
	name string
	args []expr
	cols []colInfo
	// strict calls return no rows when an argument is NULL.
	strict bool
	open   func(ev *evalCtx, v []types.Value) (srfIter, error)
	// scalar marks a scalar function called in FROM.
	scalar bool
	// record holds the fields of a call of several columns whose rows
	// a select list reads as one record (recordSRF).
	record []colInfo
	// level orders nested calls in a select list: a call whose arguments
	// use another call's result runs after (inside) it.
	level int
}

// start evaluates the arguments over row and opens the iterator; nil
// means no rows.
func (c *srfCall) start(ev *evalCtx, row []types.Value) (srfIter, error) {
	vals := make([]types.Value, len(c.args))
	for i, a := range c.args {
		v, err := a.eval(ev, row)
		if err != nil {
			return nil, err
		}
		if v.IsNull() && c.strict {
			return nil, nil
		}
		vals[i] = v
	}
	return c.open(ev, vals)
}

func (c *srfCall) String() string {
	parts := make([]string, len(c.args))
	for i, a := range c.args {
		parts[i] = a.String()
	}
	return c.name + "(" + strings.Join(parts, ", ") + ")"
}

// srfRef is a select-list call's current value while the select list's
// rows are expanded (expandSRF).
type srfRef struct{ call *srfCall }

func (e *srfRef) typ() types.T { return e.call.cols[0].t }
func (e *srfRef) eval(ev *evalCtx, _ []types.Value) (types.Value, error) {
	if ev == nil || ev.srf == nil {
		return types.Null, fmt.Errorf("set-returning function %s evaluated outside its select list", e.call.name)
	}
	return ev.srf[e.call], nil
}
func (e *srfRef) String() string { return "srf:" + e.call.String() }

// expandSRF runs emit once per row that the select list's set-returning
// calls make of the input row: the calls of one level in lockstep (NULL
// once a call is done, until all are), each row of a level expanding the
// next level's calls. Without calls emit runs once.
func expandSRF(ev *evalCtx, calls []*srfCall, row []types.Value, emit func() error) error {
	if len(calls) == 0 {
		return emit()
	}
	if ev.srf == nil {
		ev.srf = map[*srfCall]types.Value{}
	}
	maxLevel := 0
	for _, c := range calls {
		maxLevel = max(maxLevel, c.level)
	}
	return expandLevel(ev, calls, 0, maxLevel, row, emit)
}

func expandLevel(ev *evalCtx, calls []*srfCall, level, maxLevel int, row []types.Value, emit func() error) error {
	if level > maxLevel {
		return emit()
	}
	var mine []*srfCall
	var its []srfIter
	for _, c := range calls {
		if c.level != level {
			continue
		}
		it, err := c.start(ev, row)
		if err != nil {
			return err
		}
		mine = append(mine, c)
		its = append(its, it)
	}
	for n := 0; ; n++ {
		if n&1023 == 1023 {
			if err := canceled(ev.ctx); err != nil {
				return err
			}
		}
		got := false
		for i, it := range its {
			ev.srf[mine[i]] = types.Null
			if it == nil {
				continue
			}
			r, ok, err := it.next()
			if err != nil {
				return err
			}
			if !ok {
				its[i] = nil
				continue
			}
			got = true
			ev.srf[mine[i]] = r[0]
		}
		if !got {
			return nil
		}
		if err := expandLevel(ev, calls, level+1, maxLevel, row, emit); err != nil {
			return err
		}
	}
}

// fromFunc is a function call (or ROWS FROM (...) of several) in FROM.
// Its arguments may read the FROM items before it, which they see as the
// row of an enclosing query of before columns (as LATERAL subqueries
// do); lateral is set when they do.
type fromFunc struct {
	calls      []*srfCall
	ordinality bool
	n          int
	before     int
	lateral    bool
	name       string
}

func (f *fromFunc) width() int { return f.n }

// iterFunc produces the rows of a function in FROM for the row left of
// the FROM items before it (nil when there is none).
func iterFunc(ev *evalCtx, f *fromFunc, left []types.Value, fn func(row []types.Value) error) error {
	outer := make([]types.Value, f.before)
	if len(left) <= f.before {
		copy(outer[f.before-len(left):], left)
	}
	child := *ev
	child.outer = append(ev.outer[:len(ev.outer):len(ev.outer)], outer)
	its := make([]srfIter, len(f.calls))
	for i, c := range f.calls {
		it, err := c.start(&child, nil)
		if err != nil {
			return err
		}
		its[i] = it
	}
	for ord := int64(1); ; ord++ {
		if ord&1023 == 0 {
			if err := canceled(ev.ctx); err != nil {
				return err
			}
		}
		row := make([]types.Value, 0, f.n)
		got := false
		for i, it := range its {
			width := len(f.calls[i].cols)
			var r []types.Value
			if it != nil {
				var ok bool
				var err error
				if r, ok, err = it.next(); err != nil {
					return err
				}
				if !ok {
					its[i] = nil
					r = nil
				} else {
					got = true
				}
			}
			if r == nil {
				for j := 0; j < width; j++ {
					row = append(row, types.Null)
				}
				continue
			}
			row = append(row, r...)
		}
		if !got {
			return nil
		}
		if f.ordinality {
			row = append(row, types.NewInt(types.Int8, ord))
		}
		if err := fn(row); err != nil {
			return err
		}
	}
}

// execFuncJoin joins each left row with the rows its function call
// gives, streaming.
func execFuncJoin(ev *evalCtx, j *fromJoin, f *fromFunc, mem *memBudget, fn func(row []types.Value) error) error {
	lw, rw := j.left.width(), j.right.width()
	return iterFrom(ev, j.left, mem, func(l []types.Value) error {
		if err := canceled(ev.ctx); err != nil {
			return err
		}
		found := false
		err := iterFunc(ev, f, l, func(r []types.Value) error {
			row := make([]types.Value, 0, lw+rw)
			row = append(append(row, l...), r...)
			for i, k := range j.lkeys {
				lv, err := k.eval(ev, l)
				if err != nil {
					return err
				}
				rv, err := j.rkeys[i].eval(ev, r)
				if err != nil {
					return err
				}
				if !truthy(compareOp(cmpEQ, lv, rv)) {
					return nil
				}
			}
			if j.cond != nil {
				v, err := j.cond.eval(ev, row)
				if err != nil {
					return err
				}
				if !truthy(v) {
					return nil
				}
			}
			found = true
			return fn(row)
		})
		if err != nil {
			return err
		}
		if !found && j.kind == joinLeft {
			row := make([]types.Value, lw+rw)
			copy(row, l)
			return fn(row)
		}
		return nil
	})
}

// seriesIter counts from start to stop by step over integers of kind k,
// stopping before an overflow.
func seriesIter(k types.Kind, start, stop, step int64) srfIter {
	cur, done := start, false
	return funcIter(func() ([]types.Value, bool, error) {
		if done || (step > 0 && cur > stop) || (step < 0 && cur < stop) {
			return nil, false, nil
		}
		v := cur
		next := cur + step
		if (step > 0 && next < cur) || (step < 0 && next > cur) || !types.IntInRange(k, next) {
			done = true
		}
		cur = next
		return []types.Value{types.NewInt(k, v)}, true, nil
	})
}

// stepper yields values from start by adding step until past stop, with
// less deciding the direction.
func stepper(start, stop types.Value, add func(types.Value) (types.Value, error), asc bool) srfIter {
	cur := start
	return funcIter(func() ([]types.Value, bool, error) {
		c := types.Compare(cur, stop)
		if (asc && c > 0) || (!asc && c < 0) {
			return nil, false, nil
		}
		v := cur
		next, err := add(cur)
		if err != nil {
			return nil, false, err
		}
		cur = next
		return []types.Value{v}, true, nil
	})
}

func stepZero() error {
	return sqlerr.New(sqlerr.InvalidParameterValue, "step size cannot equal zero")
}

// numericSpecial names NaN and infinite numerics ("" for finite ones).
func numericSpecial(v types.Value) string {
	switch s := v.String(); {
	case s == "NaN":
		return "NaN"
	case strings.HasSuffix(s, "Infinity"):
		return "infinity"
	}
	return ""
}
