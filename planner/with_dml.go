// Data-modifying statements in WITH (WITH d AS (DELETE ... RETURNING *)
// INSERT INTO archive SELECT * FROM d): binding, and running the
// statement with PostgreSQL's snapshot rules. Every sub-statement's
// queries read the state as of the statement's start; the writes and the
// constraint checks see everything, so that a sub-statement sees another's
// changes only through RETURNING.
package planner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/tuple"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
)

// dmlCTEPlan is an INSERT, UPDATE or DELETE in WITH: it runs once per
// statement and its RETURNING rows, kept in the evaluation's work tables
// under wt, are what references to it read.
type dmlCTEPlan struct {
	name       string
	stmt       plan // *insertPlan, *updatePlan or *deletePlan
	wt         *workTable
	cols       []Column
	returning  bool
	referenced bool
}

func (p *dmlCTEPlan) columns() []Column { return p.cols }

// withDMLPlan is a statement whose WITH holds data-modifying statements.
type withDMLPlan struct {
	ctes []*dmlCTEPlan
	main plan
}

func (p *withDMLPlan) columns() []Column { return p.main.columns() }

// dmlCollector gathers the data-modifying WITH queries of the statement
// being bound; only the top-level binder has one.
type dmlCollector struct {
	ctes []*dmlCTEPlan
}

// wrapDML wraps a statement's plan when its WITH modifies data.
func wrapDML(b *binder, p plan) plan {
	if b.dml == nil || len(b.dml.ctes) == 0 {
		return p
	}
	return &withDMLPlan{ctes: b.dml.ctes, main: p}
}

// isDMLNode reports whether a WITH query is INSERT, UPDATE or DELETE.
func isDMLNode(n *pg_query.Node) bool {
	switch n.GetNode().(type) {
	case *pg_query.Node_InsertStmt, *pg_query.Node_UpdateStmt, *pg_query.Node_DeleteStmt:
		return true
	}
	return false
}

// bindDMLCTE binds a data-modifying WITH query; top says whether its
// WITH clause is the statement's own.
func (b *binder) bindDMLCTE(c *pg_query.CommonTableExpr, top bool) (queryPlan, error) {
	if !top {
		return nil, b.errAt(sqlerr.Unsupported("WITH clause containing a data-modifying statement must be at the top level"), c.Location)
	}
	sb := &binder{eng: b.eng, sql: b.sql, params: b.params, ident: b.ident, r: b.r, ctes: b.ctes}
	var p plan
	var err error
	var ret []expr
	switch x := c.Ctequery.Node.(type) {
	case *pg_query.Node_InsertStmt:
		p, err = sb.bindInsert(x.InsertStmt, b.r)
		if err == nil {
			ret = p.(*insertPlan).ret
		}
	case *pg_query.Node_UpdateStmt:
		p, err = sb.bindUpdate(x.UpdateStmt, b.r)
		if err == nil {
			ret = p.(*updatePlan).ret
		}
	case *pg_query.Node_DeleteStmt:
		p, err = sb.bindDelete(x.DeleteStmt, b.r)
		if err == nil {
			ret = p.(*deletePlan).ret
		}
	}
	if err != nil {
		return nil, err
	}
	b.params = sb.params
	wt := &workTable{name: c.Ctename}
	for _, e := range ret {
		wt.types = append(wt.types, e.typ())
	}
	q := &dmlCTEPlan{name: c.Ctename, stmt: p, wt: wt, cols: p.columns(), returning: ret != nil}
	b.dml.ctes = append(b.dml.ctes, q)
	return q, nil
}

// checkDMLRef refuses a reference to a data-modifying WITH query without
// RETURNING and marks the query referenced.
func (b *binder) checkDMLRef(q queryPlan, rv *pg_query.RangeVar) error {
	d, ok := q.(*dmlCTEPlan)
	if !ok {
		return nil
	}
	if !d.returning {
		return b.errAt(sqlerr.Unsupported("WITH query %q does not have a RETURNING clause", d.name), rv.Location)
	}
	d.referenced = true
	return nil
}

// execWithDML runs a statement with data-modifying WITH queries: those
// the statement reads first, in order, then the statement, then the
// others, as PostgreSQL runs an unread one at the end.
func (s *Session) execWithDML(ctx context.Context, p *withDMLPlan, res *Result, ev *evalCtx) (*Result, error) {
	base, err := s.txn(ctx)
	if err != nil {
		return nil, err
	}
	st := &stmtTxn{Txn: base, undo: map[string]undoEntry{}}
	view := &snapView{st: st}
	ev.r = nil
	ev.attach(ctx, view)
	ev.r = view
	var order []*dmlCTEPlan
	for _, c := range p.ctes {
		if c.referenced {
			order = append(order, c)
		}
	}
	runCTE := func(c *dmlCTEPlan) error {
		_, rows, err := s.execDML(ctx, st, c.stmt, ev)
		if err != nil {
			return err
		}
		ev.work[c.wt] = rows
		return nil
	}
	err = func() error {
		for _, c := range order {
			if err := runCTE(c); err != nil {
				return err
			}
		}
		switch m := p.main.(type) {
		case *insertPlan, *updatePlan, *deletePlan:
			n, rows, err := s.execDML(ctx, st, m, ev)
			if err != nil {
				return err
			}
			res.Rows = rows
			switch m.(type) {
			case *insertPlan:
				res.Tag = "INSERT 0 " + strconv.FormatInt(n, 10)
			case *updatePlan:
				res.Tag = "UPDATE " + strconv.FormatInt(n, 10)
			default:
				res.Tag = "DELETE " + strconv.FormatInt(n, 10)
			}
		case *selectPlan:
			rows, err := execSelect(ctx, view, m, ev)
			if err != nil {
				return err
			}
			res.Rows, res.Tag = rows, "SELECT "+strconv.Itoa(len(rows))
		case queryPlan:
			rows, err := execQuery(ev, m, -1)
			if err != nil {
				return err
			}
			res.Rows, res.Tag = rows, "SELECT "+strconv.Itoa(len(rows))
		default:
			return fmt.Errorf("no executor for %T with data-modifying WITH", m)
		}
		for _, c := range p.ctes {
			if !c.referenced {
				if err := runCTE(c); err != nil {
					return err
				}
			}
		}
		return st.err
	}()
	if err = s.fkFinish(ctx, err); err != nil {
		return nil, err
	}
	return res, nil
}

// execDML runs one INSERT, UPDATE or DELETE plan.
func (s *Session) execDML(ctx context.Context, tx layers.Txn, p plan, ev *evalCtx) (int64, [][]types.Value, error) {
	switch p := p.(type) {
	case *insertPlan:
		return s.execInsert(ctx, tx, p, ev)
	case *updatePlan:
		return s.execUpdate(ctx, tx, p, ev)
	case *deletePlan:
		return s.execDelete(ctx, tx, p, ev)
	}
	return 0, nil, fmt.Errorf("no executor for data-modifying %T", p)
}

// undoEntry is a key's value before the statement first wrote it.
type undoEntry struct {
	val     []byte
	present bool
}

// stmtTxn is the transaction as a statement with data-modifying WITH
// queries writes it: it passes everything through and remembers each
// written key's value from before the statement.
type stmtTxn struct {
	layers.Txn
	undo map[string]undoEntry
	err  error
}

// record notes key's value before its first write.
func (t *stmtTxn) record(key []byte) {
	if _, ok := t.undo[string(key)]; ok {
		return
	}
	v, err := t.Txn.Get(key)
	switch {
	case err == nil:
		t.undo[string(key)] = undoEntry{val: v, present: true}
	case errors.Is(err, layers.ErrNotFound):
		t.undo[string(key)] = undoEntry{}
	default:
		if t.err == nil {
			t.err = fmt.Errorf("read %q before write: %w", key, err)
		}
	}
}

// Set records key's old value and buffers the write.
func (t *stmtTxn) Set(key, value []byte) {
	t.record(key)
	t.Txn.Set(key, value)
}

// Delete records key's old value and buffers the removal.
func (t *stmtTxn) Delete(key []byte) {
	t.record(key)
	t.Txn.Delete(key)
}

// DeleteRange records the old values of the range and buffers the removal.
func (t *stmtTxn) DeleteRange(start, end []byte) {
	it := t.Txn.Scan(start, end, false)
	var keys [][]byte
	for it.Next() {
		keys = append(keys, append([]byte(nil), it.Key()...))
	}
	if err := it.Close(); err != nil && t.err == nil {
		t.err = fmt.Errorf("read range before delete: %w", err)
	}
	for _, k := range keys {
		t.record(k)
	}
	t.Txn.DeleteRange(start, end)
}

// snapView reads the transaction as it was when the statement began:
// the writes stmtTxn recorded are undone in what it returns. Writes pass
// through to the statement's transaction.
type snapView struct {
	st *stmtTxn
}

// queryTxn returns what a statement's queries read: the snapshot of a
// statement with data-modifying WITH queries, else tx itself.
func queryTxn(tx layers.Txn) layers.Txn {
	if st, ok := tx.(*stmtTxn); ok {
		return &snapView{st: st}
	}
	return tx
}

// dropModified removes from ms, read from the statement's snapshot, the
// rows the statement has already changed: as in PostgreSQL, a row is
// modified once by a statement and later attempts skip it.
func dropModified(tx layers.Txn, ti *tableInfo, ms []match) ([]match, error) {
	st, ok := tx.(*stmtTxn)
	if !ok || len(st.undo) == 0 {
		return ms, nil
	}
	out := ms[:0]
	for _, m := range ms {
		changed, err := st.rowChanged(ti, m.pk)
		if err != nil {
			return nil, err
		}
		if !changed {
			out = append(out, m)
		}
	}
	return out, nil
}

// hiddenRow reports whether the row under pk was written by another part
// of the statement, so that the statement's snapshot does not show it
// as it is.
func hiddenRow(tx layers.Txn, ti *tableInfo, pk tuple.Tuple) (bool, error) {
	st, ok := tx.(*stmtTxn)
	if !ok || len(st.undo) == 0 {
		return false, nil
	}
	return st.rowChanged(ti, pk)
}

// rowChanged reports whether the statement wrote the row under pk.
func (t *stmtTxn) rowChanged(ti *tableInfo, pk tuple.Tuple) (bool, error) {
	before, foundBefore, err := ti.tbl.Get(&snapView{st: t}, pk)
	if err != nil {
		return false, err
	}
	now, foundNow, err := ti.tbl.Get(t.Txn, pk)
	if err != nil {
		return false, err
	}
	return foundBefore != foundNow || !sameTuple(before, now), nil
}

// sameTuple reports whether two stored rows encode alike.
func sameTuple(a, b tuple.Tuple) bool {
	ea, err := tuple.Append(nil, a)
	if err != nil {
		return false
	}
	eb, err := tuple.Append(nil, b)
	return err == nil && bytes.Equal(ea, eb)
}

// Get returns key's value as of the statement's start.
func (v *snapView) Get(key []byte) ([]byte, error) {
	if e, ok := v.st.undo[string(key)]; ok {
		if !e.present {
			return nil, layers.ErrNotFound
		}
		return append([]byte(nil), e.val...), nil
	}
	return v.st.Txn.Get(key)
}

// Scan iterates [start, end) as of the statement's start.
func (v *snapView) Scan(start, end []byte, reverse bool) layers.Iterator {
	var keys []string
	for k := range v.st.undo {
		kb := []byte(k)
		if bytes.Compare(kb, start) >= 0 && (end == nil || bytes.Compare(kb, end) < 0) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return v.st.Txn.Scan(start, end, reverse)
	}
	sort.Strings(keys)
	if reverse {
		for i, j := 0, len(keys)-1; i < j; i, j = i+1, j-1 {
			keys[i], keys[j] = keys[j], keys[i]
		}
	}
	return &snapIter{base: v.st.Txn.Scan(start, end, reverse), undo: v.st.undo, keys: keys, reverse: reverse}
}

// ReadVersion is the transaction's read version.
func (v *snapView) ReadVersion() uint64 { return v.st.Txn.ReadVersion() }

// Set passes a write through to the statement's transaction.
func (v *snapView) Set(key, value []byte) { v.st.Set(key, value) }

// Delete passes a removal through to the statement's transaction.
func (v *snapView) Delete(key []byte) { v.st.Delete(key) }

// DeleteRange passes a removal through to the statement's transaction.
func (v *snapView) DeleteRange(start, end []byte) { v.st.DeleteRange(start, end) }

// Mutate passes a mutation through to the transaction.
func (v *snapView) Mutate(op string, args []byte) { v.st.Txn.Mutate(op, args) }

// Savepoint marks the transaction's writes.
func (v *snapView) Savepoint() func() { return v.st.Txn.Savepoint() }

// AddReadConflictRange marks a range read.
func (v *snapView) AddReadConflictRange(start, end []byte) {
	v.st.Txn.AddReadConflictRange(start, end)
}

// Commit is not for a view: the session commits its transaction.
func (v *snapView) Commit(context.Context) (layers.CommitResult, error) {
	return layers.CommitResult{}, errors.New("commit through a statement snapshot")
}

// Rollback is a no-op for a view.
func (v *snapView) Rollback() {}

// snapIter merges the transaction's current keys with the recorded old
// values: a recorded key shows its old value, or nothing when it had none.
type snapIter struct {
	base     layers.Iterator
	baseOK   bool
	baseDone bool
	started  bool
	undo     map[string]undoEntry
	keys     []string // recorded keys in the range, in scan order
	reverse  bool
	key, val []byte
}

// before reports whether a comes before b in scan order.
func (it *snapIter) before(a, b []byte) bool {
	c := bytes.Compare(a, b)
	if it.reverse {
		return c > 0
	}
	return c < 0
}

// Next advances to the next key of the snapshot.
func (it *snapIter) Next() bool {
	if !it.started {
		it.started = true
		it.advanceBase()
	}
	for {
		var uk []byte
		if len(it.keys) > 0 {
			uk = []byte(it.keys[0])
		}
		switch {
		case uk == nil && !it.baseOK:
			return false
		case uk != nil && (!it.baseOK || !it.before(it.base.Key(), uk)):
			// The recorded key comes first (or equals the current key,
			// whose present value it replaces).
			if it.baseOK && bytes.Equal(it.base.Key(), uk) {
				it.advanceBase()
			}
			it.keys = it.keys[1:]
			e := it.undo[string(uk)]
			if !e.present {
				continue
			}
			it.key, it.val = uk, e.val
			return true
		default:
			it.key = append(it.key[:0:0], it.base.Key()...)
			it.val = append(it.val[:0:0], it.base.Value()...)
			it.advanceBase()
			return true
		}
	}
}

func (it *snapIter) advanceBase() {
	if it.baseDone {
		it.baseOK = false
		return
	}
	it.baseOK = it.base.Next()
	if !it.baseOK {
		it.baseDone = true
	}
}

// Key returns the current key.
func (it *snapIter) Key() []byte { return it.key }

// Value returns the current value.
func (it *snapIter) Value() []byte { return it.val }

// Err returns the underlying iterator's error.
func (it *snapIter) Err() error { return it.base.Err() }

// Close releases the underlying iterator.
func (it *snapIter) Close() error { return it.base.Close() }
