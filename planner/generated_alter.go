package planner

// ALTER TABLE and generated columns: ADD COLUMN ... GENERATED ALWAYS AS
// (...) STORED (existing rows computed), ALTER COLUMN ... DROP
// EXPRESSION, and the dependencies of generated columns on the columns
// their expressions name (DROP COLUMN, ALTER COLUMN TYPE, SET DEFAULT,
// RENAME COLUMN).

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// addGeneratedColumn finishes ADD COLUMN of a generated column: desc is
// the table with the new column last, col its definition and raw its
// expression. The expression is checked (without statement positions,
// as PostgreSQL reports them for ALTER TABLE), stored, and every
// existing row gets its value.
func (a *alterer) addGeneratedColumn(ti *tableInfo, desc *sqlrows.TableDesc, col colInfo, raw *pg_query.Node) error {
	b := &binder{eng: a.s.eng, ident: a.s.ident, r: a.tx}
	cols := append(slices.Clone(ti.cols), col)
	last := len(cols) - 1
	text, err := b.generationText(raw, a.name, cols, last)
	if err != nil {
		return err
	}
	desc.Columns[last].Default = text
	nti, err := a.s.eng.openTable(desc)
	if err != nil {
		return err
	}
	g, err := a.s.eng.bindStoredGenerated(nti, last, a.s.ident)
	if err != nil {
		return err
	}
	ev := &evalCtx{env: a.s.ident.env, sess: a.s}
	ev.attach(a.ctx, a.tx)
	return a.rewrite(ti, desc, func(vals []types.Value) ([]types.Value, error) {
		vals = append(vals, types.Null)
		v, err := g.eval(ev, vals)
		if err != nil {
			return nil, err
		}
		vals[last] = v
		return vals, nil
	})
}

// dropExpression runs ALTER COLUMN ... DROP EXPRESSION [IF EXISTS]: the
// column keeps its values and becomes an ordinary column.
func (a *alterer) dropExpression(name string, missingOk bool) error {
	ti, err := a.load()
	if err != nil {
		return err
	}
	c, err := a.column(ti, name)
	if err != nil {
		return err
	}
	if ti.cols[c].generated == 0 {
		if missingOk {
			a.notice(sqlerr.SuccessfulCompletion, "column %q of relation %q is not a stored generated column, skipping", name, a.name)
			return nil
		}
		return sqlerr.New(sqlerr.ObjectNotInPrerequisiteState, "column %q of relation %q is not a stored generated column", name, a.name)
	}
	desc := ti.desc.Clone()
	desc.Columns[c].Generated, desc.Columns[c].Default = "", ""
	return a.s.eng.cat.PutTable(a.tx, desc)
}

// generatedDefaultErr refuses SET or DROP DEFAULT on a generated column.
func generatedDefaultErr(c colInfo, table string, set bool) error {
	if c.generated == 0 {
		return nil
	}
	e := sqlerr.New(sqlerr.SyntaxError, "column %q of relation %q is a generated column", c.name, table)
	if !set {
		e = e.WithHint("Use ALTER TABLE ... ALTER COLUMN ... DROP EXPRESSION instead.")
	}
	return e
}

// generatedUsers returns the positions of the generated columns of ti
// whose expressions name column c.
func generatedUsers(ti *tableInfo, c int) []int {
	var out []int
	for i, gc := range ti.cols {
		if gc.generated == 0 || i == c {
			continue
		}
		n, err := parseStoredExpr(gc.def)
		if err != nil {
			continue
		}
		if mentionsColumn(n, ti.cols[c].name) {
			out = append(out, i)
		}
	}
	return out
}

// mentionsColumn reports whether an expression names a column.
func mentionsColumn(n *pg_query.Node, name string) bool {
	found := false
	walkExprTree(n, func(m *pg_query.Node) bool {
		if c, ok := m.Node.(*pg_query.Node_ColumnRef); ok {
			if f := c.ColumnRef.Fields; len(f) > 0 {
				if s := f[len(f)-1].GetString_(); s != nil && s.Sval == name {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// dropGeneratedUsers handles DROP COLUMN of a column that generated
// columns use: without CASCADE it is PostgreSQL's 2BP01, with CASCADE
// those columns are dropped first.
func (a *alterer) dropGeneratedUsers(ti *tableInfo, c int, cascade bool) error {
	users := generatedUsers(ti, c)
	if len(users) == 0 {
		return nil
	}
	name := ti.cols[c].name
	lines := make([]string, len(users))
	for i, u := range users {
		lines[i] = fmt.Sprintf("column %s of table %s depends on column %s of table %s", ti.cols[u].name, a.name, name, a.name)
	}
	if !cascade {
		return sqlerr.New(codeDependentObjects, "cannot drop column %s of table %s because other objects depend on it", name, a.name).
			WithDetail("%s", strings.Join(lines, "\n")).
			WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	if len(users) == 1 {
		a.notice(sqlerr.SuccessfulCompletion, "drop cascades to column %s of table %s", ti.cols[users[0]].name, a.name)
	} else {
		drops := make([]string, len(users))
		for i, u := range users {
			drops[i] = fmt.Sprintf("drop cascades to column %s of table %s", ti.cols[u].name, a.name)
		}
		a.notices = append(a.notices, sqlerr.Notice(sqlerr.SuccessfulCompletion, "drop cascades to %d other objects", len(users)).
			WithDetail("%s", strings.Join(drops, "\n")))
	}
	names := make([]string, len(users))
	for i, u := range users {
		names[i] = ti.cols[u].name
	}
	for _, n := range names {
		if err := a.dropColumn(n, false, false); err != nil {
			return err
		}
	}
	return nil
}

// generatedTypeErr refuses ALTER COLUMN TYPE of a column that a
// generated column uses.
func generatedTypeErr(ti *tableInfo, c int) error {
	users := generatedUsers(ti, c)
	if len(users) == 0 {
		return nil
	}
	return sqlerr.New(sqlerr.FeatureNotSupported, "cannot alter type of a column used by a generated column").
		WithDetail("Column %q is used by generated column %q.", ti.cols[c].name, ti.cols[users[0]].name)
}

// renameInGenerated rewrites the generation expressions of desc for a
// column renamed from old to new.
func renameInGenerated(desc *sqlrows.TableDesc, old, new string) error {
	for i, c := range desc.Columns {
		if c.Generated == "" {
			continue
		}
		n, err := parseStoredExpr(c.Default)
		if err != nil {
			return err
		}
		if !mentionsColumn(n, old) {
			continue
		}
		renameColumnRefs(n, old, new)
		text, err := deparseExpr(n)
		if err != nil {
			return err
		}
		desc.Columns[i].Default = text
	}
	return nil
}

// generatedSource is the new value of generated column c when ALTER
// COLUMN TYPE rewrites the table into desc: its expression, recomputed
// and coerced to the new type, over the old row.
func (a *alterer) generatedSource(desc *sqlrows.TableDesc, c int) (expr, error) {
	nti, err := a.s.eng.openTable(desc)
	if err != nil {
		return nil, err
	}
	return a.s.eng.bindStoredGenerated(nti, c, a.s.ident)
}
