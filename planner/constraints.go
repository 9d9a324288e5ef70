package planner

// Enforcement of CHECK and FOREIGN KEY constraints on INSERT, UPDATE,
// DELETE and COPY, with PostgreSQL's messages.
//
// CHECK constraints are evaluated on each new row before it is stored.
// Foreign keys act as PostgreSQL's RI triggers: a referencing row's key
// is looked up in the referenced table at the end of the statement (so
// that a statement may insert a parent after its child), a referenced
// row's removal or key change cascades, nulls or defaults the referencing
// rows at once (CASCADE, SET NULL, SET DEFAULT), fails at once
// (RESTRICT) or is checked at the end of the statement (NO ACTION). The
// look-ups read through the statement's transaction, so the store's
// serializable conflict check catches a concurrent transaction that
// deletes the parent a new child relies on, or inserts a child of a
// parent being deleted.

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/index"
	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/layers/tuple"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
)

// SQLSTATEs of constraint violations and definitions.
const (
	codeCheckViolation      = "23514"
	codeForeignKeyViolation = "23503"
	codeInvalidForeignKey   = "42830"
	codeDependentObjects    = "2BP01"
)

// tableCons holds a table's CHECK constraints bound for evaluation.
type tableCons struct {
	checks []boundCheck
}

// boundCheck is a CHECK constraint's expression over the table's row.
type boundCheck struct {
	name string
	e    expr
}

// constraints returns the table's bound CHECK constraints, binding them
// on first use.
func (s *Session) constraints(ti *tableInfo) (*tableCons, error) {
	if ti.cons != nil {
		return ti.cons, nil
	}
	tc := &tableCons{}
	checks := slices.Clone(ti.desc.Checks)
	// PostgreSQL evaluates them in name order.
	slices.SortFunc(checks, func(a, b sqlrows.CheckDesc) int { return strings.Compare(a.Name, b.Name) })
	for _, c := range checks {
		e, err := s.eng.bindStoredCheck(c.Expr, ti.desc.Name, ti.cols, s.ident)
		if err != nil {
			return nil, fmt.Errorf("table %q: check constraint %q: %w", ti.desc.Name, c.Name, err)
		}
		tc.checks = append(tc.checks, boundCheck{name: c.Name, e: e})
	}
	ti.cons = tc
	return tc, nil
}

// checkRow evaluates the table's CHECK constraints on a new row: a false
// result is 23514, a NULL passes.
func (s *Session) checkRow(ti *tableInfo, vals []types.Value) error {
	if len(ti.desc.Checks) == 0 {
		return nil
	}
	tc, err := s.constraints(ti)
	if err != nil {
		return err
	}
	ev := &evalCtx{env: s.ident.env}
	for _, c := range tc.checks {
		v, err := c.e.eval(ev, vals)
		if err != nil {
			return err
		}
		if !v.IsNull() && !v.Bool() {
			return checkViolation(ti.desc.Name, c.name, vals)
		}
	}
	return nil
}

// checkViolation is PostgreSQL's 23514 for a row.
func checkViolation(table, constraint string, vals []types.Value) error {
	return sqlerr.New(codeCheckViolation, "new row for relation %q violates check constraint %q", table, constraint).
		WithDetail("Failing row contains %s.", formatRow(vals))
}

// fkState is a statement's pending foreign key work.
type fkState struct {
	tables  map[string]*tableInfo
	pending []func(ctx context.Context) error
	depth   int
}

// fkTable loads a table for the foreign key checks of the statement.
func (s *Session) fkTable(r layers.Reader, name string) (*tableInfo, error) {
	if s.fk == nil {
		s.fk = &fkState{}
	}
	if s.fk.tables == nil {
		s.fk.tables = map[string]*tableInfo{}
	}
	if ti := s.fk.tables[name]; ti != nil {
		return ti, nil
	}
	ti, err := s.eng.loadTable(r, name)
	if err != nil {
		return nil, err
	}
	s.fk.tables[name] = ti
	return ti, nil
}

// defer adds work for the end of the statement.
func (s *Session) fkDefer(f func(ctx context.Context) error) {
	if s.fk == nil {
		s.fk = &fkState{}
	}
	s.fk.pending = append(s.fk.pending, f)
}

// fkFinish ends a statement's foreign key work: when the statement
// succeeded (err nil) the deferred checks run; the state is cleared
// either way.
func (s *Session) fkFinish(ctx context.Context, err error) error {
	st := s.fk
	s.fk = nil
	if err != nil || st == nil {
		return err
	}
	for i := 0; i < len(st.pending); i++ {
		s.fk = st
		if err := st.pending[i](ctx); err != nil {
			s.fk = nil
			return err
		}
	}
	s.fk = nil
	return nil
}

// afterInsert runs the foreign key work of a new row.
func (s *Session) afterInsert(tx layers.Txn, ti *tableInfo, vals []types.Value) error {
	for i := range ti.desc.ForeignKeys {
		s.queueParentCheck(tx, ti, &ti.desc.ForeignKeys[i], vals)
	}
	return nil
}

// afterUpdate runs the foreign key work of an updated row.
func (s *Session) afterUpdate(ctx context.Context, tx layers.Txn, ti *tableInfo, old, nv []types.Value) error {
	for i := range ti.desc.ForeignKeys {
		fk := &ti.desc.ForeignKeys[i]
		if !sameKey(old, nv, fk.Columns) {
			s.queueParentCheck(tx, ti, fk, nv)
		}
	}
	if len(ti.desc.ReferencedBy) == 0 {
		return nil
	}
	return s.parentChanged(ctx, tx, ti, old, nv)
}

// afterDelete runs the foreign key work of a deleted row.
func (s *Session) afterDelete(ctx context.Context, tx layers.Txn, ti *tableInfo, old []types.Value) error {
	if len(ti.desc.ReferencedBy) == 0 {
		return nil
	}
	return s.parentChanged(ctx, tx, ti, old, nil)
}

// sameKey reports whether two rows agree on cols (NULLs equal).
func sameKey(a, b []types.Value, cols []int) bool {
	for _, c := range cols {
		x, y := a[c], b[c]
		if x.IsNull() != y.IsNull() {
			return false
		}
		if x.IsNull() {
			continue
		}
		if !bytes.Equal(keyBytes(x), keyBytes(y)) {
			return false
		}
	}
	return true
}

// keyBytes encodes a value's key element.
func keyBytes(v types.Value) []byte {
	b, _ := tuple.Append(nil, tuple.Tuple{types.KeyElem(v)})
	return b
}

// queueParentCheck defers the check that a referencing row's key exists
// in the referenced table (MATCH SIMPLE: a key with a NULL passes).
func (s *Session) queueParentCheck(tx layers.Txn, ti *tableInfo, fk *sqlrows.ForeignKeyDesc, vals []types.Value) {
	nulls := 0
	for _, c := range fk.Columns {
		if vals[c].IsNull() {
			nulls++
		}
	}
	if nulls == len(fk.Columns) {
		return
	}
	if nulls > 0 {
		if fk.Match == 'f' {
			table, name := ti.desc.Name, fk.Name
			s.fkDefer(func(context.Context) error {
				return sqlerr.New(codeForeignKeyViolation, "insert or update on table %q violates foreign key constraint %q", table, name).
					WithDetail("MATCH FULL does not allow mixing of null and nonnull key values.")
			})
		}
		return
	}
	key := make([]types.Value, len(fk.Columns))
	for i, c := range fk.Columns {
		key[i] = vals[c]
	}
	child := ti
	if s.fkIsDeferred(fk) {
		s.queueDeferredParentCheck(tx, child, fk, key)
		return
	}
	s.fkDefer(func(ctx context.Context) error {
		return s.checkParentHas(ctx, tx, child, fk, key)
	})
}

// checkParentHas fails with 23503 unless the referenced table has a row
// with key.
func (s *Session) checkParentHas(ctx context.Context, tx layers.Txn, child *tableInfo, fk *sqlrows.ForeignKeyDesc, key []types.Value) error {
	parent, err := s.fkTable(tx, fk.RefTable)
	if err != nil {
		return err
	}
	found, err := findRows(ctx, tx, parent, fk.RefColumns, key, true, func(tuple.Tuple, []types.Value) error { return errStop })
	if err != nil {
		return err
	}
	if found {
		return nil
	}
	return fkMissingErr(child, fk, parent, key)
}

// fkMissingErr is 23503 for a referencing key with no referenced row.
func fkMissingErr(child *tableInfo, fk *sqlrows.ForeignKeyDesc, parent *tableInfo, key []types.Value) error {
	return sqlerr.New(codeForeignKeyViolation, "insert or update on table %q violates foreign key constraint %q", child.desc.Name, fk.Name).
		WithDetail("Key (%s)=(%s) is not present in table %q.", colNames(child, fk.Columns), keyText(key), parent.desc.Name)
}

// colNames joins column names for a key message.
func colNames(ti *tableInfo, cols []int) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = ti.cols[c].name
	}
	return strings.Join(names, ", ")
}

// keyText joins key values for a message.
func keyText(key []types.Value) string {
	texts := make([]string, len(key))
	for i, v := range key {
		if v.IsNull() {
			texts[i] = "null"
		} else {
			texts[i] = string(v.AppendText(nil))
		}
	}
	return strings.Join(texts, ", ")
}

// findRows calls fn for each row of ti whose columns cols equal key
// (already non-NULL), using the primary key or an index on those
// columns when there is one, else a scan. Values are cast to the
// columns' types first; a value that does not fit matches nothing. It
// reports whether fn was called; fn may return errStop.
func findRows(ctx context.Context, r layers.Reader, ti *tableInfo, cols []int, key []types.Value, stopAtFirst bool, fn func(pk tuple.Tuple, row []types.Value) error) (bool, error) {
	want := make([]types.Value, len(key))
	for i, c := range cols {
		if key[i].IsNull() {
			return false, nil
		}
		v, err := types.Cast(key[i], ti.cols[c].t, types.CastAssignment)
		if err != nil {
			return false, nil
		}
		want[i] = v
	}
	found := false
	call := func(pk tuple.Tuple, row []types.Value) error {
		for i, c := range cols {
			if row[c].IsNull() || !bytes.Equal(keyBytes(row[c]), keyBytes(want[i])) {
				return nil
			}
		}
		found = true
		return fn(pk, row)
	}
	// ordered returns the key values in the order of a key's leading
	// columns, or nil when those columns are not cols.
	ordered := func(keyCols []int) tuple.Tuple {
		if len(keyCols) < len(cols) {
			return nil
		}
		out := make(tuple.Tuple, len(cols))
		for i, kc := range keyCols[:len(cols)] {
			j := slices.Index(cols, kc)
			if j < 0 {
				return nil
			}
			out[i] = types.KeyElem(want[j])
		}
		return out
	}
	var err error
	if k := ordered(ti.pk); k != nil {
		if len(k) == len(ti.pk) {
			row, ok, gerr := ti.tbl.Get(r, k)
			if gerr != nil || !ok {
				return false, gerr
			}
			vals, derr := ti.decodeRow(row)
			if derr != nil {
				return false, derr
			}
			err = call(k, vals)
		} else {
			b := &sqlrows.Bound{Values: k, Inclusive: true}
			it := ti.tbl.Scan(r, b, b, false)
			for err == nil && it.Next() {
				var vals []types.Value
				if vals, err = ti.decodeRow(it.Row()); err == nil {
					err = call(it.PK(), vals)
				}
			}
			if cerr := it.Close(); err == nil {
				err = cerr
			}
		}
	} else if ix := bestIndex(ti, ordered); ix >= 0 {
		k := ordered(ti.desc.Indexes[ix].Columns)
		b := &index.Bound{Values: k, Inclusive: true}
		err = indexRun(ctx, r, ti, ix, b, b, call)
	} else {
		err = scanRows(ctx, r, ti, scanSpec{}, nil, call)
	}
	if err == errStop {
		err = nil
	}
	return found, err
}

// bestIndex returns the secondary index whose leading columns are the
// ones ordered accepts, unique ones first, or -1.
func bestIndex(ti *tableInfo, ordered func([]int) tuple.Tuple) int {
	best := -1
	for i, ix := range ti.desc.Indexes {
		if ordered(ix.Columns) == nil {
			continue
		}
		if best < 0 || ix.Unique && !ti.desc.Indexes[best].Unique {
			best = i
		}
	}
	return best
}

// parentChanged acts on the rows referencing a referenced row that was
// deleted (nv nil) or updated.
func (s *Session) parentChanged(ctx context.Context, tx layers.Txn, parent *tableInfo, old, nv []types.Value) error {
	if s.fk == nil {
		s.fk = &fkState{}
	}
	if s.fk.depth > 64 {
		return sqlerr.New(sqlerr.StatementTooComplex, "stack depth limit exceeded")
	}
	s.fk.depth++
	defer func() { s.fk.depth-- }()
	for _, cname := range parent.desc.ReferencedBy {
		child, err := s.fkTable(tx, cname)
		if err != nil {
			return err
		}
		for i := range child.desc.ForeignKeys {
			fk := &child.desc.ForeignKeys[i]
			if fk.RefTable != parent.desc.Name {
				continue
			}
			if nv != nil && sameKey(old, nv, fk.RefColumns) {
				continue
			}
			key := make([]types.Value, len(fk.RefColumns))
			null := false
			for j, c := range fk.RefColumns {
				key[j] = old[c]
				null = null || old[c].IsNull()
			}
			if null {
				continue
			}
			action := fk.OnDelete
			if nv != nil {
				action = fk.OnUpdate
			}
			if err := s.fkAction(ctx, tx, parent, child, fk, action, key, nv); err != nil {
				return err
			}
		}
	}
	return nil
}

// fkAction applies one referential action for the old key of a
// referenced row.
func (s *Session) fkAction(ctx context.Context, tx layers.Txn, parent, child *tableInfo, fk *sqlrows.ForeignKeyDesc, action byte, key, nv []types.Value) error {
	stillReferenced := func(ctx context.Context) error {
		found, err := findRows(ctx, tx, child, fk.Columns, key, true, func(tuple.Tuple, []types.Value) error { return errStop })
		if err != nil || !found {
			return err
		}
		return sqlerr.New(codeForeignKeyViolation, "update or delete on table %q violates foreign key constraint %q on table %q", parent.desc.Name, fk.Name, child.desc.Name).
			WithDetail("Key (%s)=(%s) is still referenced from table %q.", colNames(parent, fk.RefColumns), keyText(key), child.desc.Name)
	}
	switch action {
	case 'r':
		// RESTRICT: at the end of the statement, as an AFTER trigger.
		s.fkDefer(stillReferenced)
		return nil
	case 'c', 'n', 'd':
	default:
		// NO ACTION: at the end of the statement (at commit when the
		// key is deferred), unless a row with the key exists again by
		// then.
		queue := s.fkDefer
		if s.fkIsDeferred(fk) {
			queue = s.fkDeferToCommit(fk)
		}
		queue(func(ctx context.Context) error {
			p, err := s.fkTable(tx, parent.desc.Name)
			if err != nil {
				return err
			}
			again, err := findRows(ctx, tx, p, fk.RefColumns, key, true, func(tuple.Tuple, []types.Value) error { return errStop })
			if err != nil || again {
				return err
			}
			return stillReferenced(ctx)
		})
		return nil
	}
	type hit struct {
		pk   tuple.Tuple
		vals []types.Value
	}
	var hits []hit
	if _, err := findRows(ctx, tx, child, fk.Columns, key, false, func(pk tuple.Tuple, row []types.Value) error {
		hits = append(hits, hit{pk, row})
		return nil
	}); err != nil {
		return err
	}
	for _, h := range hits {
		if action == 'c' && nv == nil {
			if err := child.tbl.Delete(tx, h.pk, child.encodeRow(h.vals)); err != nil {
				return err
			}
			if err := s.afterDelete(ctx, tx, child, h.vals); err != nil {
				return err
			}
			continue
		}
		up := slices.Clone(h.vals)
		for j, c := range fk.Columns {
			switch action {
			case 'c':
				v, err := types.Cast(nv[fk.RefColumns[j]], child.cols[c].t, types.CastAssignment)
				if err != nil {
					return err
				}
				up[c] = v
			case 'n':
				up[c] = types.Null
			case 'd':
				b := &binder{eng: s.eng, ident: s.ident}
				d, err := b.bindDefault(child.cols[c])
				if err != nil {
					return err
				}
				ev := &evalCtx{env: s.ident.env}
				ev.attach(ctx, tx)
				v, err := d.eval(ev, nil)
				if err != nil {
					return err
				}
				up[c] = v
			}
		}
		if err := s.fillGenerated(child, up); err != nil {
			return err
		}
		if err := checkNotNull(child, up); err != nil {
			return err
		}
		if err := s.checkRow(child, up); err != nil {
			return err
		}
		newPK := h.pk
		if len(child.pk) > 0 {
			newPK = child.pkOf(up)
		}
		if err := child.tbl.Update(tx, h.pk, child.encodeRow(h.vals), newPK, child.encodeRow(up)); err != nil {
			return constraintErr(child, err, up)
		}
		if err := s.afterUpdate(ctx, tx, child, h.vals, up); err != nil {
			return err
		}
	}
	if action == 'd' && len(hits) > 0 {
		// The default may be the key just removed: then the rows still
		// reference it.
		return s.fkAction(ctx, tx, parent, child, fk, 'a', key, nv)
	}
	return nil
}
