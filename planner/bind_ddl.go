package planner

// Binding of CREATE/DROP INDEX and CREATE/DROP VIEW.

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/planner/sqlerr"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// createIndexPlan is CREATE [UNIQUE] INDEX.
type createIndexPlan struct {
	name        string // empty: chosen at execution (table_cols_idx)
	table       *tableInfo
	cols        []int
	unique      bool
	ifNotExists bool
}

func (p *createIndexPlan) columns() []Column { return nil }

// createViewPlan is CREATE [OR REPLACE] VIEW.
type createViewPlan struct {
	name    string
	sql     string
	cols    []string
	replace bool
	deps    []string
}

func (p *createViewPlan) columns() []Column { return nil }

// bindCreateIndex binds CREATE INDEX over plain columns.
func (b *binder) bindCreateIndex(s *pg_query.IndexStmt, r layers.Reader) (plan, error) {
	switch {
	case s.WhereClause != nil:
		return nil, sqlerr.Unsupported("partial indexes are not supported yet")
	case len(s.IndexIncludingParams) > 0:
		return nil, sqlerr.Unsupported("INCLUDE in indexes is not supported yet")
	case s.AccessMethod != "" && s.AccessMethod != "btree":
		return nil, sqlerr.Unsupported("access method %q is not supported yet", s.AccessMethod)
	case s.Concurrent:
		return nil, sqlerr.Unsupported("CREATE INDEX CONCURRENTLY is not supported yet")
	}
	ti, err := b.loadRangeVar(s.Relation, r)
	if err != nil {
		return nil, err
	}
	p := &createIndexPlan{name: s.Idxname, table: ti, unique: s.Unique, ifNotExists: s.IfNotExists}
	for _, n := range s.IndexParams {
		el := n.GetIndexElem()
		if el == nil {
			return nil, sqlerr.Syntax("malformed index column")
		}
		if el.Expr != nil {
			return nil, sqlerr.Unsupported("expression indexes are not supported yet")
		}
		i := ti.colIndex(el.Name)
		if i < 0 {
			return nil, sqlerr.UndefinedColumnErr(el.Name)
		}
		p.cols = append(p.cols, i)
	}
	return p, nil
}

// bindCreateView binds CREATE VIEW: the query is bound now, to check it
// and learn its columns, and stored as text.
func (b *binder) bindCreateView(s *pg_query.ViewStmt, r layers.Reader) (plan, error) {
	if s.View.Schemaname != "" && s.View.Schemaname != "public" {
		return nil, b.errAt(sqlerr.New(sqlerr.UndefinedObject, "schema %q does not exist", s.View.Schemaname), s.View.Location)
	}
	if s.View.Relpersistence == "t" {
		return nil, sqlerr.Unsupported("temporary views are not supported yet")
	}
	sel := s.Query.GetSelectStmt()
	if sel == nil {
		return nil, sqlerr.Syntax("malformed CREATE VIEW")
	}
	saved := b.sc
	b.sc = nil
	q, err := b.bindQuery(sel, r)
	b.sc = saved
	if err != nil {
		return nil, err
	}
	var deps []string
	for d := range b.deps {
		deps = append(deps, d)
	}
	sort.Strings(deps)
	if len(b.params) > 0 {
		return nil, sqlerr.New(sqlerr.UndefinedParameter, "there is no parameter $1")
	}
	p := &createViewPlan{name: s.View.Relname, replace: s.Replace, deps: deps}
	for _, c := range q.columns() {
		p.cols = append(p.cols, c.Name)
	}
	if len(s.Aliases) > len(p.cols) {
		return nil, sqlerr.Syntax("CREATE VIEW specifies more column names than columns")
	}
	for i, a := range s.Aliases {
		p.cols[i] = a.GetString_().GetSval()
	}
	seen := map[string]bool{}
	for _, c := range p.cols {
		if seen[c] {
			return nil, sqlerr.New(sqlerr.DuplicateColumn, "column %q specified more than once", c)
		}
		seen[c] = true
	}
	if p.sql, err = deparseStmt(s.Query); err != nil {
		return nil, sqlerr.Unsupported("this view query cannot be stored: %v", err)
	}
	return p, nil
}

// dropKindName names what DROP removes, for messages.
func dropKindName(t pg_query.ObjectType) (string, bool) {
	switch t {
	case pg_query.ObjectType_OBJECT_TABLE:
		return "table", true
	case pg_query.ObjectType_OBJECT_VIEW:
		return "view", true
	case pg_query.ObjectType_OBJECT_INDEX:
		return "index", true
	}
	return strings.ToLower(strings.TrimPrefix(t.String(), "OBJECT_")), false
}

// viewTarget is an automatically updatable view that INSERT, UPDATE or
// DELETE names: the statement runs on its base table, with the view's
// WHERE added.
type viewTarget struct {
	name string
	cols []string
	// base is, per view column, the base table column it shows, or -1
	// for a computed column (not updatable).
	base   []int
	filter expr // over the base table's row; nil for none
}

// baseColumn maps a view column name to the base table column for
// INSERT ("insert into") or UPDATE ("update").
func (v *viewTarget) baseColumn(name, verb string) (int, error) {
	for i, c := range v.cols {
		if c != name {
			continue
		}
		if v.base[i] < 0 {
			return -1, sqlerr.New(sqlerr.FeatureNotSupported, "cannot %s column %q of view %q", verb, name, v.name).
				WithDetail("View columns that are not columns of their base relation are not updatable.")
		}
		return v.base[i], nil
	}
	return -1, sqlerr.New(sqlerr.UndefinedColumn, "column %q of relation %q does not exist", name, v.name)
}

// openUpdatableView makes a view the target of INSERT, UPDATE or DELETE
// when PostgreSQL would update it automatically: one base table in FROM
// and no DISTINCT, GROUP BY, HAVING, aggregates, LIMIT, OFFSET, WITH or
// set operations. Its columns, in the statement's scope, read the base
// table's row.
func (b *binder) openUpdatableView(v *sqlrows.ViewDesc, rv *pg_query.RangeVar, r layers.Reader, verb string) (*tableInfo, error) {
	notUpdatable := func(detail string) error {
		action := map[string]string{"insert into": "INSERT", "update": "UPDATE", "delete from": "DELETE"}[verb]
		return sqlerr.New(sqlerr.ObjectNotInPrerequisiteState, "cannot %s view %q", verb, v.Name).WithDetail("%s", detail).
			WithHint("To enable %s the view, provide an INSTEAD OF %s trigger or an unconditional ON %s DO INSTEAD rule.",
				map[string]string{"INSERT": "inserting into", "UPDATE": "updating", "DELETE": "deleting from"}[action], action, action)
	}
	stmts, err := parse(v.SQL)
	if err != nil || len(stmts) != 1 || stmts[0].node.GetSelectStmt() == nil {
		return nil, fmt.Errorf("view %q: stored query %q does not parse: %v", v.Name, v.SQL, err)
	}
	sel := stmts[0].node.GetSelectStmt()
	switch {
	case sel.Op != pg_query.SetOperation_SETOP_NONE:
		return nil, notUpdatable("Views containing UNION, INTERSECT, or EXCEPT are not automatically updatable.")
	case len(sel.ValuesLists) > 0:
		return nil, notUpdatable("Views that do not select from a single table or view are not automatically updatable.")
	case sel.WithClause != nil:
		return nil, notUpdatable("Views containing WITH are not automatically updatable.")
	case len(sel.DistinctClause) > 0:
		return nil, notUpdatable("Views containing DISTINCT are not automatically updatable.")
	case len(sel.GroupClause) > 0:
		return nil, notUpdatable("Views containing GROUP BY are not automatically updatable.")
	case sel.HavingClause != nil:
		return nil, notUpdatable("Views containing HAVING are not automatically updatable.")
	case sel.LimitCount != nil || sel.LimitOffset != nil:
		return nil, notUpdatable("Views containing LIMIT or OFFSET are not automatically updatable.")
	case len(sel.FromClause) != 1 || sel.FromClause[0].GetRangeVar() == nil:
		return nil, notUpdatable("Views that do not select from a single table or view are not automatically updatable.")
	}
	if _, err := b.eng.cat.View(r, sel.FromClause[0].GetRangeVar().Relname); err == nil {
		return nil, sqlerr.Unsupported("cannot %s view %q", verb, v.Name).WithDetail("Updating views over other views is not supported yet.")
	}
	vb := &binder{eng: b.eng, sql: v.SQL, ident: b.ident, r: r, viewDepth: b.viewDepth + 1}
	q, err := vb.bindSelect(sel, r)
	if err != nil {
		return nil, err
	}
	sp, ok := q.(*selectPlan)
	if !ok || sp.table == nil {
		return nil, notUpdatable("Views that do not select from a single table or view are not automatically updatable.")
	}
	if sp.grouped {
		return nil, notUpdatable("Views that return aggregate functions are not automatically updatable.")
	}
	vt := &viewTarget{name: v.Name, filter: sp.filter}
	cols := make([]colInfo, sp.nvisible)
	for i := 0; i < sp.nvisible; i++ {
		name := sp.cols[i].Name
		if i < len(v.Columns) {
			name = v.Columns[i]
		}
		vt.cols = append(vt.cols, name)
		base := -1
		if cr, ok := sp.outputs[i].(*colRef); ok {
			base = cr.idx
		}
		vt.base = append(vt.base, base)
		cols[i] = colInfo{name: name, t: sp.outputs[i].typ()}
		if base >= 0 {
			cols[i] = sp.table.cols[base]
			cols[i].name = name
		}
	}
	alias, hasAlias := rv.Relname, false
	if rv.Alias != nil && rv.Alias.Aliasname != "" {
		alias, hasAlias = rv.Alias.Aliasname, true
	}
	b.sc = &scope{}
	ent := b.sc.add(alias, rv.Relname, hasAlias, cols)
	ent.exprs = append([]expr(nil), sp.outputs[:sp.nvisible]...)
	// The statement's row is the base table's: FROM items follow it.
	b.sc.width = len(sp.table.cols)
	b.view = vt
	return sp.table, nil
}
