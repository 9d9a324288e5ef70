// INSERT ... ON CONFLICT: binding the conflict clause (arbiter inference,
// DO UPDATE's SET and WHERE over the existing row and EXCLUDED) and
// running it row by row, with PostgreSQL 15's semantics and errors.
package planner

import (
	"context"
	"fmt"
	"sort"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/index"
	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/layers/tuple"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
)

// arbiter is a unique key that decides whether a proposed row conflicts:
// the primary key (index -1) or secondary unique index index.
type arbiter struct {
	index int
	cols  []int
}

// onConflictPlan is an INSERT's ON CONFLICT clause.
type onConflictPlan struct {
	arbiters []arbiter
	// anyKey is set without a conflict target: every unique key decides.
	anyKey bool
	// update is set for DO UPDATE; sets and filter are over the existing
	// row followed by the proposed (EXCLUDED) row.
	update bool
	sets   map[int]expr
	filter expr
}

// bindOnConflict binds an INSERT's ON CONFLICT clause for table ti.
func (b *binder) bindOnConflict(oc *pg_query.OnConflictClause, rel *pg_query.RangeVar, ti *tableInfo) (*onConflictPlan, error) {
	if b.view != nil {
		return nil, sqlerr.Unsupported("ON CONFLICT on a view is not supported yet")
	}
	p := &onConflictPlan{update: oc.Action == pg_query.OnConflictAction_ONCONFLICT_UPDATE}
	alias, hasAlias := rel.Relname, false
	if rel.Alias != nil && rel.Alias.Aliasname != "" {
		alias, hasAlias = rel.Alias.Aliasname, true
	}
	saved := b.sc
	defer func() { b.sc = saved }()
	// The conflict target sees the table's columns only.
	b.sc = &scope{}
	b.sc.add(alias, rel.Relname, hasAlias, ti.cols)
	infer := oc.Infer
	switch {
	case infer == nil && p.update:
		return nil, b.errAt(sqlerr.Syntax("ON CONFLICT DO UPDATE requires inference specification or constraint name").
			WithHint("For example, ON CONFLICT (column_name)."), oc.Location)
	case infer == nil:
		p.anyKey = true
		if len(ti.pk) > 0 {
			p.arbiters = append(p.arbiters, arbiter{index: -1, cols: ti.pk})
		}
		for i, ix := range ti.desc.Indexes {
			if ix.Unique {
				p.arbiters = append(p.arbiters, arbiter{index: i, cols: ix.Columns})
			}
		}
	case infer.Conname != "":
		a, err := b.arbiterByName(ti, infer.Conname)
		if err != nil {
			return nil, err
		}
		p.arbiters = []arbiter{a}
	default:
		as, err := b.inferArbiters(ti, infer)
		if err != nil {
			return nil, err
		}
		p.arbiters = as
	}
	if !p.update {
		return p, nil
	}
	b.sc.add("excluded", "excluded", true, ti.cols)
	b.aggAllowed, b.aggContext = false, "UPDATE"
	p.sets = map[int]expr{}
	for _, t := range oc.TargetList {
		rt := t.GetResTarget()
		if rt == nil {
			return nil, sqlerr.Syntax("malformed SET list")
		}
		if _, multi := rt.Val.Node.(*pg_query.Node_MultiAssignRef); multi {
			return nil, b.errAt(sqlerr.Unsupported("SET (a, b) = (...) is not supported yet"), rt.Location)
		}
		if len(rt.Indirection) > 0 {
			return nil, b.errAt(sqlerr.Unsupported("assigning to a field or element is not supported yet"), rt.Location)
		}
		i := ti.colIndex(rt.Name)
		if i < 0 {
			return nil, b.errAt(sqlerr.New(sqlerr.UndefinedColumn, "column %q of relation %q does not exist", rt.Name, ti.desc.Name), rt.Location)
		}
		if _, dup := p.sets[i]; dup {
			return nil, sqlerr.Syntax("multiple assignments to same column %q", rt.Name)
		}
		var e expr
		var err error
		if _, isDef := rt.Val.Node.(*pg_query.Node_SetToDefault); isDef {
			if e, err = b.bindDefault(ti.cols[i]); err != nil {
				return nil, err
			}
		} else {
			if err := identityUpdate(ti.cols[i]); err != nil {
				return nil, err
			}
			if e, err = b.bindExpr(rt.Val); err != nil {
				return nil, err
			}
			if e, err = b.coerceAssign(e, ti.cols[i], exprLocation(rt.Val)); err != nil {
				return nil, err
			}
		}
		p.sets[i] = e
	}
	var err error
	if p.filter, err = b.bindWhere(oc.WhereClause); err != nil {
		return nil, err
	}
	return p, nil
}

// arbiterByName resolves ON CONFLICT ON CONSTRAINT name.
func (b *binder) arbiterByName(ti *tableInfo, name string) (arbiter, error) {
	if len(ti.pk) > 0 && ti.desc.PKName == name {
		return arbiter{index: -1, cols: ti.pk}, nil
	}
	for i, ix := range ti.desc.Indexes {
		if ix.Constraint && ix.Name == name {
			return arbiter{index: i, cols: ix.Columns}, nil
		}
	}
	for _, c := range ti.desc.Checks {
		if c.Name == name {
			return arbiter{}, sqlerr.New("42809", "constraint in ON CONFLICT clause has no associated index")
		}
	}
	for _, fk := range ti.desc.ForeignKeys {
		if fk.Name == name {
			return arbiter{}, sqlerr.New("42809", "constraint in ON CONFLICT clause has no associated index")
		}
	}
	return arbiter{}, sqlerr.New(sqlerr.UndefinedObject, "constraint %q for table %q does not exist", name, ti.desc.Name)
}

// inferArbiters finds the unique keys whose columns are exactly the
// conflict target's.
func (b *binder) inferArbiters(ti *tableInfo, infer *pg_query.InferClause) ([]arbiter, error) {
	want := map[int]bool{}
	exprs := false
	for _, n := range infer.IndexElems {
		el := n.GetIndexElem()
		if el == nil {
			return nil, sqlerr.Syntax("malformed ON CONFLICT target")
		}
		if el.Expr != nil {
			// No expression indexes exist: bind it for its errors; it
			// matches nothing.
			if _, err := b.bindExpr(el.Expr); err != nil {
				return nil, err
			}
			exprs = true
			continue
		}
		i := ti.colIndex(el.Name)
		if i < 0 {
			return nil, b.errAt(sqlerr.New(sqlerr.UndefinedColumn, "column %q does not exist", el.Name), infer.Location)
		}
		want[i] = true
	}
	if infer.WhereClause != nil {
		// A predicate only selects partial indexes, which do not exist
		// here; it is checked like any WHERE.
		if _, err := b.bindWhere(infer.WhereClause); err != nil {
			return nil, err
		}
	}
	same := func(cols []int) bool {
		if exprs || len(want) == 0 {
			return false
		}
		seen := map[int]bool{}
		for _, c := range cols {
			if !want[c] {
				return false
			}
			seen[c] = true
		}
		return len(seen) == len(want)
	}
	var out []arbiter
	if len(ti.pk) > 0 && same(ti.pk) {
		out = append(out, arbiter{index: -1, cols: ti.pk})
	}
	for i, ix := range ti.desc.Indexes {
		if ix.Unique && same(ix.Columns) {
			out = append(out, arbiter{index: i, cols: ix.Columns})
		}
	}
	if len(out) == 0 {
		return nil, sqlerr.New("42P10", "there is no unique or exclusion constraint matching the ON CONFLICT specification")
	}
	return out, nil
}

// upsertState is one INSERT ... ON CONFLICT statement's memory: the
// arbiter keys of the rows it inserted or updated, which a later proposed
// row may not update again.
type upsertState struct {
	touched map[string]bool
}

// arbiterKey returns the key of a row under arbiter a, or ok false when
// a column is NULL (such a row conflicts with none).
func arbiterKey(a arbiter, vals []types.Value) (tuple.Tuple, bool) {
	k := make(tuple.Tuple, len(a.cols))
	for i, c := range a.cols {
		if vals[c].IsNull() {
			return nil, false
		}
		k[i] = types.KeyElem(vals[c])
	}
	return k, true
}

// touchKey names arbiter a's key k in upsertState.touched.
func touchKey(a arbiter, k tuple.Tuple) (string, error) {
	enc, err := tuple.Append(nil, k)
	if err != nil {
		return "", fmt.Errorf("encode key %v: %w", k, err)
	}
	return fmt.Sprintf("%d:%s", a.index, enc), nil
}

// touch records the keys of a row this statement wrote.
func (u *upsertState) touch(arbiters []arbiter, vals []types.Value) error {
	for _, a := range arbiters {
		k, ok := arbiterKey(a, vals)
		if !ok {
			continue
		}
		t, err := touchKey(a, k)
		if err != nil {
			return err
		}
		if u.touched == nil {
			u.touched = map[string]bool{}
		}
		u.touched[t] = true
	}
	return nil
}

// findConflict returns the existing row that conflicts with vals on one
// of the arbiters, and whether this statement wrote it.
func findConflict(ctx context.Context, tx layers.Txn, ti *tableInfo, arbiters []arbiter, vals []types.Value, u *upsertState) (a arbiter, pk tuple.Tuple, old []types.Value, mine bool, err error) {
	for _, a = range arbiters {
		k, ok := arbiterKey(a, vals)
		if !ok {
			continue
		}
		if a.index < 0 {
			row, found, err := ti.tbl.Get(tx, k)
			if err != nil {
				return a, nil, nil, false, err
			}
			if !found {
				continue
			}
			if old, err = ti.decodeRow(row); err != nil {
				return a, nil, nil, false, err
			}
			pk = k
		} else {
			bound := &index.Bound{Values: k, Inclusive: true}
			err := indexRun(ctx, tx, ti, a.index, bound, bound, func(p tuple.Tuple, row []types.Value) error {
				if old == nil {
					pk, old = p, row
				}
				return nil
			})
			if err != nil {
				return a, nil, nil, false, err
			}
			if old == nil {
				continue
			}
		}
		t, err := touchKey(a, k)
		if err != nil {
			return a, nil, nil, false, err
		}
		return a, pk, old, u.touched[t], nil
	}
	return a, nil, nil, false, nil
}

// upsertRow inserts a proposed row or resolves its conflict. It returns
// the row inserted or updated, or nil when the row was skipped.
func (s *Session) upsertRow(ctx context.Context, tx layers.Txn, p *insertPlan, ev *evalCtx, vals []types.Value, u *upsertState) ([]types.Value, error) {
	ti, oc := p.table, p.onConflict
	// As in PostgreSQL, the proposed row's own constraints come first.
	if err := s.fillGenerated(ti, vals); err != nil {
		return nil, err
	}
	if err := checkNotNull(ti, vals); err != nil {
		return nil, err
	}
	if err := s.checkRow(ti, vals); err != nil {
		return nil, err
	}
	a, pk, old, mine, err := findConflict(ctx, tx, ti, oc.arbiters, vals, u)
	if err != nil {
		return nil, err
	}
	if old != nil && !mine {
		// A row another part of the statement wrote (a data-modifying
		// WITH query) is not in the statement's snapshot: as in
		// PostgreSQL, the proposed row is a plain duplicate.
		hidden, err := hiddenRow(tx, ti, pk)
		if err != nil {
			return nil, err
		}
		if hidden {
			ce := &sqlrows.ConstraintError{Table: ti.desc.Name, Constraint: ti.desc.PKName, Columns: a.cols}
			if a.index >= 0 {
				ce.Constraint = ti.desc.Indexes[a.index].Name
			}
			return nil, constraintErr(ti, ce, vals)
		}
	}
	if old == nil {
		if err := s.insertRow(tx, ti, vals); err != nil {
			return nil, err
		}
		return vals, u.touch(oc.arbiters, vals)
	}
	if !oc.update {
		return nil, nil
	}
	if mine {
		return nil, sqlerr.New("21000", "ON CONFLICT DO UPDATE command cannot affect row a second time").
			WithHint("Ensure that no rows proposed for insertion within the same command have duplicate constrained values.")
	}
	row := append(append(make([]types.Value, 0, 2*len(old)), old...), vals...)
	if oc.filter != nil {
		v, err := oc.filter.eval(ev, row)
		if err != nil {
			return nil, err
		}
		if !truthy(v) {
			return nil, nil
		}
	}
	nv := append([]types.Value{}, old...)
	cols := make([]int, 0, len(oc.sets))
	for c := range oc.sets {
		cols = append(cols, c)
	}
	sort.Ints(cols)
	for _, c := range cols {
		v, err := oc.sets[c].eval(ev, row)
		if err != nil {
			return nil, err
		}
		nv[c] = v
	}
	if err := s.fillGenerated(ti, nv); err != nil {
		return nil, err
	}
	if err := checkNotNull(ti, nv); err != nil {
		return nil, err
	}
	if err := s.checkRow(ti, nv); err != nil {
		return nil, err
	}
	newPK := pk
	if len(ti.pk) > 0 {
		newPK = ti.pkOf(nv)
	}
	if err := ti.tbl.Update(tx, pk, ti.encodeRow(old), newPK, ti.encodeRow(nv)); err != nil {
		return nil, constraintErr(ti, err, nv)
	}
	if err := s.afterUpdate(ctx, tx, ti, old, nv); err != nil {
		return nil, err
	}
	return nv, u.touch(oc.arbiters, nv)
}

// explainOnConflict is EXPLAIN's detail lines for an INSERT's ON
// CONFLICT clause.
func explainOnConflict(p *insertPlan) []string {
	oc := p.onConflict
	if oc == nil {
		return nil
	}
	action := "NOTHING"
	if oc.update {
		action = "UPDATE"
	}
	var names []string
	for _, a := range oc.arbiters {
		if a.index < 0 {
			names = append(names, p.table.desc.PKName)
		} else {
			names = append(names, p.table.desc.Indexes[a.index].Name)
		}
	}
	out := []string{"Conflict Resolution: " + action}
	if !oc.anyKey && len(names) > 0 {
		out = append(out, "Conflict Arbiter Indexes: "+strings.Join(names, ", "))
	}
	if oc.filter != nil {
		out = append(out, "Conflict Filter: "+exprText(oc.filter))
	}
	return out
}

// excludedRefErr gives a RETURNING list's reference to EXCLUDED, which
// only ON CONFLICT DO UPDATE's SET and WHERE see, PostgreSQL's message.
func excludedRefErr(p *insertPlan, err error) error {
	e, ok := err.(*sqlerr.Error)
	if !ok || p.onConflict == nil || !p.onConflict.update || e.Code != sqlerr.UndefinedTable ||
		e.Message != `missing FROM-clause entry for table "excluded"` {
		return err
	}
	out := *e
	out.Message = `invalid reference to FROM-clause entry for table "excluded"`
	out.Hint = `There is an entry for table "excluded", but it cannot be referenced from this part of the query.`
	return &out
}
