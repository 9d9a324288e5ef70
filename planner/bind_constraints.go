package planner

// Binding of CHECK and FOREIGN KEY constraint definitions (CREATE TABLE
// and ALTER TABLE ADD CONSTRAINT), their names as PostgreSQL chooses
// them, and their entry into the catalog.

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/syscat"
	"github.com/aspen-db/aspen/planner/types"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// checkDef is a CHECK constraint being defined: its raw expression is
// bound once the table's columns are known.
type checkDef struct {
	name string // "" until chosen
	raw  *pg_query.Node
	loc  int32
	// noValidate is NOT VALID: existing rows are not checked.
	noValidate bool
}

// fkDef is a FOREIGN KEY constraint being defined.
type fkDef struct {
	name     string
	cols     []string
	refTable string
	refCols  []string // empty: the referenced table's primary key
	onDelete byte
	onUpdate byte
	match    byte
	notValid bool
	// deferrable and initDeferred: DEFERRABLE, INITIALLY DEFERRED.
	deferrable, initDeferred bool
}

// checkDefOf reads a CHECK constraint node.
func (b *binder) checkDefOf(c *pg_query.Constraint) (checkDef, error) {
	// NO INHERIT is accepted: without inheritance it changes nothing.
	return checkDef{name: c.Conname, raw: c.RawExpr, loc: c.Location}, nil
}

// fkDefOf reads a FOREIGN KEY (or column REFERENCES, with col set)
// constraint node.
func (b *binder) fkDefOf(c *pg_query.Constraint, col string) (fkDef, error) {
	if len(c.FkDelSetCols) > 0 {
		return fkDef{}, b.errAt(sqlerr.Unsupported("column lists in ON DELETE SET NULL/DEFAULT are not supported yet"), c.Location)
	}
	if c.Pktable.Schemaname != "" && c.Pktable.Schemaname != "public" {
		return fkDef{}, b.errAt(sqlerr.UndefinedTableErr(c.Pktable.Schemaname+"."+c.Pktable.Relname), c.Pktable.Location)
	}
	d := fkDef{name: c.Conname, refTable: c.Pktable.Relname, notValid: c.SkipValidation,
		deferrable: c.Deferrable || c.Initdeferred, initDeferred: c.Initdeferred}
	for _, k := range c.FkAttrs {
		d.cols = append(d.cols, k.GetString_().GetSval())
	}
	if col != "" {
		d.cols = []string{col}
	}
	for _, k := range c.PkAttrs {
		d.refCols = append(d.refCols, k.GetString_().GetSval())
	}
	action := func(a string) byte {
		if a == "" {
			return 'a'
		}
		return a[0]
	}
	d.onDelete, d.onUpdate = action(c.FkDelAction), action(c.FkUpdAction)
	d.match = 's'
	switch c.FkMatchtype {
	case "f":
		d.match = 'f'
	case "p":
		return fkDef{}, b.errAt(sqlerr.Unsupported("MATCH PARTIAL not yet implemented"), c.Location)
	}
	return d, nil
}

// parseExprNode parses a stored expression.
func parseStoredExpr(text string) (*pg_query.Node, error) {
	return parseExpr(text)
}

// bindCheck binds a CHECK expression over the columns of table; sql is
// the text its locations refer to. It returns the bound boolean
// expression and the positions of the columns it references.
func (e *Engine) bindCheck(n *pg_query.Node, table string, cols []colInfo, sql string, id identity) (expr, []int, error) {
	b := &binder{eng: e, sql: sql, ident: id}
	b.sc = &scope{}
	b.sc.add(table, table, false, cols)
	b.aggAllowed, b.aggContext = false, "check constraints"
	if loc, ok := subLinkAt(n); ok {
		return nil, nil, b.errAt(sqlerr.New(sqlerr.FeatureNotSupported, "cannot use subquery in check constraint"), loc)
	}
	x, err := b.bindExpr(n)
	if err != nil {
		return nil, nil, err
	}
	if len(b.params) > 0 {
		return nil, nil, b.errAt(sqlerr.New(sqlerr.UndefinedParameter, "there is no parameter $1"), exprLocation(n))
	}
	var refs []int
	_, _ = rewriteExpr(x, func(y expr) (expr, bool, error) {
		if c, ok := y.(*colRef); ok && !slices.Contains(refs, c.idx) {
			refs = append(refs, c.idx)
		}
		return nil, false, nil
	})
	x, err = b.asBool(x, "CHECK", exprLocation(n))
	if err != nil {
		return nil, nil, err
	}
	return x, refs, nil
}

// subLinkAt returns the location of a subquery in an expression tree.
func subLinkAt(n *pg_query.Node) (int32, bool) {
	found := false
	var at int32
	walkExprTree(n, func(m *pg_query.Node) bool {
		if sl, ok := m.Node.(*pg_query.Node_SubLink); ok {
			found, at = true, sl.SubLink.Location
		}
		return !found
	})
	return at, found
}

// walkExprTree calls visit on n and, while visit returns true, on the
// sub-expressions of the node kinds stored CHECK and DEFAULT expressions
// are made of (operators, boolean logic, calls, casts, NULL and boolean
// tests, CASE, lists, COALESCE, GREATEST/LEAST).
func walkExprTree(n *pg_query.Node, visit func(*pg_query.Node) bool) {
	if n == nil || !visit(n) {
		return
	}
	walkAll := func(ns []*pg_query.Node) {
		for _, a := range ns {
			walkExprTree(a, visit)
		}
	}
	switch x := n.Node.(type) {
	case *pg_query.Node_AExpr:
		walkExprTree(x.AExpr.Lexpr, visit)
		walkExprTree(x.AExpr.Rexpr, visit)
	case *pg_query.Node_BoolExpr:
		walkAll(x.BoolExpr.Args)
	case *pg_query.Node_FuncCall:
		walkAll(x.FuncCall.Args)
	case *pg_query.Node_TypeCast:
		walkExprTree(x.TypeCast.Arg, visit)
	case *pg_query.Node_NullTest:
		walkExprTree(x.NullTest.Arg, visit)
	case *pg_query.Node_BooleanTest:
		walkExprTree(x.BooleanTest.Arg, visit)
	case *pg_query.Node_CaseExpr:
		walkExprTree(x.CaseExpr.Arg, visit)
		walkExprTree(x.CaseExpr.Defresult, visit)
		for _, w := range x.CaseExpr.Args {
			if cw := w.GetCaseWhen(); cw != nil {
				walkExprTree(cw.Expr, visit)
				walkExprTree(cw.Result, visit)
			}
		}
	case *pg_query.Node_List:
		walkAll(x.List.Items)
	case *pg_query.Node_CoalesceExpr:
		walkAll(x.CoalesceExpr.Args)
	case *pg_query.Node_MinMaxExpr:
		walkAll(x.MinMaxExpr.Args)
	}
}

// bindStoredCheck binds a stored CHECK expression for evaluation.
func (e *Engine) bindStoredCheck(text, table string, cols []colInfo, id identity) (expr, error) {
	n, err := parseStoredExpr(text)
	if err != nil {
		return nil, err
	}
	x, _, err := e.bindCheck(n, table, cols, "SELECT "+text, id)
	return x, err
}

// constraintNames returns the names of the table's constraints and
// indexes, which a new constraint's name must avoid.
func constraintNames(d *sqlrows.TableDesc) map[string]bool {
	used := map[string]bool{}
	if d.PKName != "" {
		used[d.PKName] = true
	}
	for _, ix := range d.Indexes {
		used[ix.Name] = true
	}
	for _, c := range d.Checks {
		used[c.Name] = true
	}
	for _, f := range d.ForeignKeys {
		used[f.Name] = true
	}
	return used
}

// chooseName picks PostgreSQL's name for a constraint: base_label, then
// base_label1, base_label2, ... until free.
func chooseName(parts []string, label string, used map[string]bool) string {
	base := strings.Join(parts, "_")
	if len(base)+len(label)+1 > 63 {
		base = base[:max(0, 62-len(label))]
	}
	name := base + "_" + label
	for n := 1; used[name]; n++ {
		suffix := fmt.Sprint(n)
		b := base
		if len(b)+len(label)+len(suffix)+1 > 63 {
			b = b[:max(0, 62-len(label)-len(suffix))]
		}
		name = b + "_" + label + suffix
	}
	return name
}

// addCheck binds a CHECK definition over the table desc describes (whose
// columns are cols), names it, and appends it to desc.
func (s *Session) addCheck(desc *sqlrows.TableDesc, cols []colInfo, c checkDef, sql string) (*sqlrows.CheckDesc, error) {
	_, refs, err := s.eng.bindCheck(c.raw, desc.Name, cols, sql, s.ident)
	if err != nil {
		return nil, err
	}
	text, err := deparseExpr(c.raw)
	if err != nil {
		return nil, fmt.Errorf("deparse check constraint: %w", err)
	}
	used := constraintNames(desc)
	name := c.name
	if name == "" {
		parts := []string{desc.Name}
		if len(refs) == 1 {
			parts = append(parts, cols[refs[0]].name)
		}
		name = chooseName(parts, "check", used)
	} else if used[name] {
		return nil, sqlerr.New(sqlerr.DuplicateObject, "constraint %q for relation %q already exists", name, desc.Name)
	}
	desc.Checks = append(desc.Checks, sqlrows.CheckDesc{Name: name, Expr: text})
	return &desc.Checks[len(desc.Checks)-1], nil
}

// addForeignKey resolves a FOREIGN KEY definition of the table desc
// describes (cols are its columns), names it and appends it to desc. The
// referenced table is read in r unless it is desc's own table. It
// returns the new constraint.
func (s *Session) addForeignKey(r layers.Reader, desc *sqlrows.TableDesc, cols []colInfo, f fkDef) (*sqlrows.ForeignKeyDesc, error) {
	var parentCols []colInfo
	var parentPK []int
	var parentUnique [][]int
	if f.refTable == desc.Name {
		parentCols = cols
		parentPK = desc.PrimaryKey
		for _, ix := range desc.Indexes {
			if ix.Unique {
				parentUnique = append(parentUnique, ix.Columns)
			}
		}
	} else {
		p, err := s.eng.loadTable(r, f.refTable)
		if err != nil {
			return nil, err
		}
		parentCols, parentPK = p.cols, p.desc.PrimaryKey
		for _, ix := range p.desc.Indexes {
			if ix.Unique {
				parentUnique = append(parentUnique, ix.Columns)
			}
		}
	}
	find := func(cs []colInfo, name string) int {
		for i, c := range cs {
			if c.name == name {
				return i
			}
		}
		return -1
	}
	fk := sqlrows.ForeignKeyDesc{RefTable: f.refTable, OnDelete: f.onDelete, OnUpdate: f.onUpdate, Match: f.match,
		Deferrable: f.deferrable, InitiallyDeferred: f.initDeferred}
	for _, n := range f.cols {
		i := find(cols, n)
		if i < 0 {
			return nil, sqlerr.New(sqlerr.UndefinedColumn, "column %q referenced in foreign key constraint does not exist", n)
		}
		fk.Columns = append(fk.Columns, i)
	}
	if err := generatedFKErr(cols, fk.Columns, f); err != nil {
		return nil, err
	}
	if len(f.refCols) == 0 {
		if len(parentPK) == 0 {
			return nil, sqlerr.New(sqlerr.UndefinedObject, "there is no primary key for referenced table %q", f.refTable)
		}
		fk.RefColumns = slices.Clone(parentPK)
	} else {
		for _, n := range f.refCols {
			i := find(parentCols, n)
			if i < 0 {
				return nil, sqlerr.New(sqlerr.UndefinedColumn, "column %q referenced in foreign key constraint does not exist", n)
			}
			fk.RefColumns = append(fk.RefColumns, i)
		}
	}
	if len(fk.Columns) != len(fk.RefColumns) {
		return nil, sqlerr.New(codeInvalidForeignKey, "number of referencing and referenced columns for foreign key disagree")
	}
	if len(f.refCols) > 0 {
		sameSet := func(a []int) bool {
			if len(a) != len(fk.RefColumns) {
				return false
			}
			for _, c := range a {
				if !slices.Contains(fk.RefColumns, c) {
					return false
				}
			}
			return true
		}
		ok := sameSet(parentPK)
		for _, u := range parentUnique {
			ok = ok || sameSet(u)
		}
		if !ok {
			return nil, sqlerr.New(codeInvalidForeignKey, "there is no unique constraint matching given keys for referenced table %q", f.refTable)
		}
	}
	used := constraintNames(desc)
	name := f.name
	if name == "" {
		parts := []string{desc.Name}
		for _, c := range fk.Columns {
			parts = append(parts, cols[c].name)
		}
		name = chooseName(parts, "fkey", used)
	} else if used[name] {
		return nil, sqlerr.New(sqlerr.DuplicateObject, "constraint %q for relation %q already exists", name, desc.Name)
	}
	fk.Name = name
	for i, c := range fk.Columns {
		ct, pt := cols[c].t, parentCols[fk.RefColumns[i]].t
		if !fkCompatible(ct, pt) {
			return nil, sqlerr.New(sqlerr.DatatypeMismatch, "foreign key constraint %q cannot be implemented", name).
				WithDetail("Key columns %q and %q are of incompatible types: %s and %s.", cols[c].name, parentCols[fk.RefColumns[i]].name, ct, pt)
		}
	}
	desc.ForeignKeys = append(desc.ForeignKeys, fk)
	if f.refTable == desc.Name {
		desc.ReferencedBy = addName(desc.ReferencedBy, desc.Name)
	}
	return &desc.ForeignKeys[len(desc.ForeignKeys)-1], nil
}

// fkCompatible reports whether a referencing column of type c can
// reference one of type p: PostgreSQL needs an equality operator, which
// numbers share, and strings share.
func fkCompatible(c, p types.T) bool {
	if c.Kind == p.Kind {
		return true
	}
	num := func(k types.Kind) bool {
		return k == types.Int2 || k == types.Int4 || k == types.Int8 || k == types.Numeric || k == types.Float4 || k == types.Float8
	}
	str := func(k types.Kind) bool { return k == types.Text || k == types.Varchar || k == types.BPChar }
	return num(c.Kind) && num(p.Kind) || str(c.Kind) && str(p.Kind)
}

// addName adds a name to a sorted set of names.
func addName(names []string, n string) []string {
	if slices.Contains(names, n) {
		return names
	}
	out := append(slices.Clone(names), n)
	sort.Strings(out)
	return out
}

// removeName removes a name from a set of names.
func removeName(names []string, n string) []string {
	return slices.DeleteFunc(slices.Clone(names), func(x string) bool { return x == n })
}

// linkParents records in the referenced tables that desc's foreign keys
// reference them (desc's own table is already linked).
func (s *Session) linkParents(tx layers.Txn, desc *sqlrows.TableDesc) error {
	for _, fk := range desc.ForeignKeys {
		if fk.RefTable == desc.Name {
			continue
		}
		p, err := s.eng.cat.Table(tx, fk.RefTable)
		if err != nil {
			return fmt.Errorf("link foreign key %q: %w", fk.Name, err)
		}
		if slices.Contains(p.ReferencedBy, desc.Name) {
			continue
		}
		p.ReferencedBy = addName(p.ReferencedBy, desc.Name)
		if err := s.eng.cat.PutTable(tx, p); err != nil {
			return err
		}
	}
	return nil
}

// unlinkParent forgets in table parent that child references it, unless
// another of child's foreign keys still does.
func (s *Session) unlinkParent(tx layers.Txn, child *sqlrows.TableDesc, parent string) error {
	for _, fk := range child.ForeignKeys {
		if fk.RefTable == parent {
			return nil
		}
	}
	if parent == child.Name {
		child.ReferencedBy = removeName(child.ReferencedBy, child.Name)
		return nil
	}
	p, err := s.eng.cat.Table(tx, parent)
	if err != nil {
		return nil // dropped in this statement
	}
	p.ReferencedBy = removeName(p.ReferencedBy, child.Name)
	return s.eng.cat.PutTable(tx, p)
}

// createConstraints adds the CHECK and FOREIGN KEY constraints of CREATE
// TABLE to the new table's descriptor, before it is stored.
func (s *Session) createConstraints(r layers.Reader, desc *sqlrows.TableDesc, p *createTablePlan) error {
	for _, c := range p.checks {
		if c.name != "" && slices.ContainsFunc(desc.Checks, func(d sqlrows.CheckDesc) bool { return d.Name == c.name }) {
			return sqlerr.New(sqlerr.DuplicateObject, "check constraint %q already exists", c.name)
		}
		if _, err := s.addCheck(desc, p.cols, c, p.sql); err != nil {
			return err
		}
	}
	for _, f := range p.fks {
		f.notValid = false // a new table has no rows to skip
		if _, err := s.addForeignKey(r, desc, p.cols, f); err != nil {
			return err
		}
	}
	return nil
}

// dropTableFKs handles the foreign keys of a table DROP TABLE removes:
// its own leave their referenced tables, and those of other tables that
// reference it make the drop fail (2BP01) or, with CASCADE, are dropped
// with a notice.
func (s *Session) dropTableFKs(tx layers.Txn, name string, p *dropTablePlan) ([]*sqlerr.Error, error) {
	desc, err := s.eng.cat.Table(tx, name)
	if err != nil {
		return nil, fmt.Errorf("drop table %q: %w", name, err)
	}
	var lines []string
	for _, child := range desc.ReferencedBy {
		if child == name || slices.Contains(p.names, child) {
			continue
		}
		cd, err := s.eng.cat.Table(tx, child)
		if err != nil {
			continue
		}
		var keep []sqlrows.ForeignKeyDesc
		for _, fk := range cd.ForeignKeys {
			if fk.RefTable != name {
				keep = append(keep, fk)
				continue
			}
			lines = append(lines, fmt.Sprintf("constraint %s on table %s", fk.Name, child))
		}
		if !p.cascade {
			continue
		}
		cd.ForeignKeys = keep
		if err := s.eng.cat.PutTable(tx, cd); err != nil {
			return nil, err
		}
	}
	if len(lines) > 0 && !p.cascade {
		detail := make([]string, len(lines))
		for i, l := range lines {
			detail[i] = l + " depends on table " + name
		}
		return nil, sqlerr.New(codeDependentObjects, "cannot drop table %s because other objects depend on it", name).
			WithDetail("%s", strings.Join(detail, "\n")).
			WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	notices := cascadeNotices(lines)
	for _, fk := range desc.ForeignKeys {
		if fk.RefTable == name {
			continue
		}
		pd, err := s.eng.cat.Table(tx, fk.RefTable)
		if err != nil {
			continue
		}
		pd.ReferencedBy = removeName(pd.ReferencedBy, name)
		if err := s.eng.cat.PutTable(tx, pd); err != nil {
			return nil, err
		}
	}
	return notices, nil
}

// checkTruncate refuses to truncate a table that other tables reference
// unless they are truncated too.
func checkTruncate(tables []*tableInfo) error {
	names := map[string]bool{}
	for _, t := range tables {
		names[t.desc.Name] = true
	}
	for _, t := range tables {
		for _, c := range t.desc.ReferencedBy {
			if !names[c] {
				return sqlerr.New(sqlerr.FeatureNotSupported, "cannot truncate a table referenced in a foreign key constraint").
					WithDetail("Table %q references %q.", c, t.desc.Name).
					WithHint("Truncate table %q at the same time, or use TRUNCATE ... CASCADE.", c)
			}
		}
	}
	return nil
}

// cascadeNotices is PostgreSQL's notice for objects a CASCADE drops.
func cascadeNotices(objects []string) []*sqlerr.Error {
	switch len(objects) {
	case 0:
		return nil
	case 1:
		return []*sqlerr.Error{sqlerr.Notice(sqlerr.SuccessfulCompletion, "drop cascades to %s", objects[0])}
	}
	detail := make([]string, len(objects))
	for i, o := range objects {
		detail[i] = "drop cascades to " + o
	}
	return []*sqlerr.Error{sqlerr.Notice(sqlerr.SuccessfulCompletion, "drop cascades to %d other objects", len(objects)).
		WithDetail("%s", strings.Join(detail, "\n"))}
}

// userConstraints turns a table's CHECK and FOREIGN KEY constraints into
// their system catalog form.
func (b *binder) userConstraints(d *sqlrows.TableDesc) ([]syscat.UserCheck, []syscat.UserForeignKey) {
	var checks []syscat.UserCheck
	var fks []syscat.UserForeignKey
	var cols []colInfo
	if len(d.Checks) > 0 {
		if ti, err := b.eng.openTable(d); err == nil {
			cols = ti.cols
		}
	}
	for _, c := range d.Checks {
		uc := syscat.UserCheck{Name: c.Name, Def: "(" + c.Expr + ")", NotValid: c.NotValid}
		if n, err := parseStoredExpr(c.Expr); err == nil {
			if _, refs, err := b.eng.bindCheck(n, d.Name, cols, "SELECT "+c.Expr, b.ident); err == nil {
				uc.Columns = refs
				uc.Def = "(" + ruleExpr(n, cols, refs) + ")"
				if p, ok := (&ruler{cols: cols, prettyMode: true}).pretty(n, nil); ok {
					uc.Pretty = "(" + p + ")"
				}
			}
		}
		checks = append(checks, uc)
	}
	for _, f := range d.ForeignKeys {
		fks = append(fks, syscat.UserForeignKey{Name: f.Name, Columns: f.Columns, RefTable: f.RefTable, RefColumns: f.RefColumns,
			OnUpdate: f.OnUpdate, OnDelete: f.OnDelete, Match: f.Match, NotValid: f.NotValid,
			Deferrable: f.Deferrable, InitiallyDeferred: f.InitiallyDeferred})
	}
	return checks, fks
}

// ruler prints CHECK expressions as PostgreSQL's ruleutils does, with
// the implicit casts its parser adds for the columns' types.
type ruler struct {
	cols []colInfo
	// prettyMode prints casts of plain operands without parentheses.
	prettyMode bool
}

// cast prints an implicit cast of an operand.
func (rl *ruler) cast(s, typ string) string {
	if rl.prettyMode {
		return s + "::" + typ
	}
	return "(" + s + ")::" + typ
}

// typeOf returns the type of an operand as written: a column's, an
// integer's or a decimal literal's; ok is false for anything else.
func (rl *ruler) typeOf(n *pg_query.Node) (types.T, bool) {
	if cr := n.GetColumnRef(); cr != nil && len(cr.Fields) == 1 {
		name := cr.Fields[0].GetString_().GetSval()
		for _, c := range rl.cols {
			if c.name == name {
				return c.t, true
			}
		}
		return types.T{}, false
	}
	if c := n.GetAConst(); c != nil {
		switch c.Val.(type) {
		case *pg_query.A_Const_Ival:
			return types.TInt4, true
		case *pg_query.A_Const_Fval:
			return types.T{Kind: types.Numeric, Mod: -1}, true
		}
	}
	return types.T{}, false
}

// operands adds the implicit casts PostgreSQL shows around the operands
// of a binary operator: an integer promoted to numeric or double
// precision, a varchar read as text, a string literal typed as the
// other side.
func (rl *ruler) operands(a *pg_query.A_Expr, l, r string) (string, string) {
	lt, lok := rl.typeOf(a.Lexpr)
	rt, rok := rl.typeOf(a.Rexpr)
	isInt := func(k types.Kind) bool { return k == types.Int2 || k == types.Int4 || k == types.Int8 }
	promote := func(s string, from, to types.T, ok bool) string {
		if !ok {
			return s
		}
		switch {
		case to.Kind == types.Numeric && isInt(from.Kind),
			to.Kind == types.Float8 && (isInt(from.Kind) || from.Kind == types.Numeric || from.Kind == types.Float4):
			return rl.cast(s, types.T{Kind: to.Kind, Mod: -1}.String())
		}
		return s
	}
	if lok && rok {
		l, r = promote(l, lt, rt, true), promote(r, rt, lt, true)
	}
	lit := func(n *pg_query.Node, s string, other types.T, ok bool) string {
		c := n.GetAConst()
		if c == nil || !ok {
			return s
		}
		if _, str := c.Val.(*pg_query.A_Const_Sval); !str {
			return s
		}
		body := strings.TrimSuffix(s, "::text")
		switch other.Kind {
		case types.Text, types.Varchar:
			return body + "::text"
		case types.Int4:
			return strings.Trim(body, "'")
		case types.Unknown:
			return s
		}
		return body + "::" + types.T{Kind: other.Kind, Mod: -1}.String()
	}
	l, r = lit(a.Lexpr, l, rt, rok), lit(a.Rexpr, r, lt, lok)
	varchar := func(t types.T, ok bool, s string) string {
		if ok && t.Kind == types.Varchar {
			return rl.cast(s, "text")
		}
		return s
	}
	if lok && a.Lexpr.GetColumnRef() != nil {
		l = varchar(lt, true, l)
	}
	if rok && a.Rexpr.GetColumnRef() != nil {
		r = varchar(rt, true, r)
	}
	return l, r
}

// textArg casts a varchar column passed to a function to text, as
// PostgreSQL resolves the call.
func (rl *ruler) textArg(n *pg_query.Node, s string) string {
	if t, ok := rl.typeOf(n); ok && n.GetColumnRef() != nil && t.Kind == types.Varchar {
		return rl.cast(s, "text")
	}
	return s
}

// ruleExpr prints a CHECK expression as PostgreSQL's pg_get_constraintdef
// does for the common forms (operators and boolean connectives in
// parentheses, typed literals); other forms fall back to the stored
// text.
func ruleExpr(n *pg_query.Node, cols []colInfo, refs []int) string {
	if s, ok := (&ruler{cols: cols}).rule(n); ok {
		return s
	}
	text, _ := deparseExpr(n)
	return text
}

// ruleNode prints one node, or reports false for a form it does not
// know.
func (rl *ruler) rule(n *pg_query.Node) (string, bool) {
	if n == nil {
		return "", false
	}
	switch x := n.Node.(type) {
	case *pg_query.Node_ColumnRef:
		if len(x.ColumnRef.Fields) != 1 {
			return "", false
		}
		s := x.ColumnRef.Fields[0].GetString_()
		if s == nil {
			return "", false
		}
		return syscat.QuoteIdent(s.Sval), true
	case *pg_query.Node_AConst:
		c := x.AConst
		switch v := c.Val.(type) {
		case *pg_query.A_Const_Ival:
			if v.Ival.Ival < 0 {
				return fmt.Sprintf("'%d'::integer", v.Ival.Ival), true
			}
			return fmt.Sprint(v.Ival.Ival), true
		case *pg_query.A_Const_Fval:
			if strings.HasPrefix(v.Fval.Fval, "-") {
				return "'" + v.Fval.Fval + "'::numeric", true
			}
			return v.Fval.Fval, true
		case *pg_query.A_Const_Sval:
			return "'" + strings.ReplaceAll(v.Sval.Sval, "'", "''") + "'::text", true
		case *pg_query.A_Const_Boolval:
			if v.Boolval.Boolval {
				return "true", true
			}
			return "false", true
		}
		if c.Isnull {
			return "NULL", true
		}
		return "", false
	case *pg_query.Node_AExpr:
		a := x.AExpr
		if a.Kind != pg_query.A_Expr_Kind_AEXPR_OP || len(a.Name) != 1 || a.Lexpr == nil {
			return "", false
		}
		l, ok1 := rl.rule(a.Lexpr)
		r, ok2 := rl.rule(a.Rexpr)
		if !ok1 || !ok2 {
			return "", false
		}
		l, r = rl.operands(a, l, r)
		return "(" + l + " " + a.Name[0].GetString_().GetSval() + " " + r + ")", true
	case *pg_query.Node_BoolExpr:
		var parts []string
		for _, arg := range x.BoolExpr.Args {
			s, ok := rl.rule(arg)
			if !ok {
				return "", false
			}
			parts = append(parts, s)
		}
		switch x.BoolExpr.Boolop {
		case pg_query.BoolExprType_AND_EXPR:
			return "(" + strings.Join(parts, " AND ") + ")", true
		case pg_query.BoolExprType_OR_EXPR:
			return "(" + strings.Join(parts, " OR ") + ")", true
		case pg_query.BoolExprType_NOT_EXPR:
			return "(NOT " + parts[0] + ")", true
		}
	case *pg_query.Node_NullTest:
		s, ok := rl.rule(x.NullTest.Arg)
		if !ok {
			return "", false
		}
		if x.NullTest.Nulltesttype == pg_query.NullTestType_IS_NULL {
			return "(" + s + " IS NULL)", true
		}
		return "(" + s + " IS NOT NULL)", true
	case *pg_query.Node_FuncCall:
		f := x.FuncCall
		if len(f.Funcname) != 1 || f.AggStar || f.AggDistinct || f.Over != nil {
			return "", false
		}
		var args []string
		for _, arg := range f.Args {
			s, ok := rl.rule(arg)
			if !ok {
				return "", false
			}
			args = append(args, rl.textArg(arg, s))
		}
		return f.Funcname[0].GetString_().GetSval() + "(" + strings.Join(args, ", ") + ")", true
	}
	return "", false
}

// prettyNode prints an expression as pg_get_constraintdef(oid, true)
// does: without the parentheses that precedence makes redundant. parent
// is the enclosing node (nil at the top).
func (rl *ruler) pretty(n, parent *pg_query.Node) (string, bool) {
	paren := func(s string, need bool) string {
		if need {
			return "(" + s + ")"
		}
		return s
	}
	switch x := n.Node.(type) {
	case *pg_query.Node_AExpr:
		a := x.AExpr
		if a.Kind != pg_query.A_Expr_Kind_AEXPR_OP || len(a.Name) != 1 || a.Lexpr == nil {
			return "", false
		}
		l, ok1 := rl.pretty(a.Lexpr, n)
		r, ok2 := rl.pretty(a.Rexpr, n)
		if !ok1 || !ok2 {
			return "", false
		}
		l, r = rl.operands(a, l, r)
		_, underBool := parent.GetNode().(*pg_query.Node_BoolExpr)
		if parent == nil {
			underBool = true
		}
		return paren(l+" "+a.Name[0].GetString_().GetSval()+" "+r, !underBool), true
	case *pg_query.Node_BoolExpr:
		var parts []string
		for _, arg := range x.BoolExpr.Args {
			s, ok := rl.pretty(arg, n)
			if !ok {
				return "", false
			}
			parts = append(parts, s)
		}
		need := parent != nil
		if pb := parent.GetBoolExpr(); pb != nil {
			switch x.BoolExpr.Boolop {
			case pg_query.BoolExprType_NOT_EXPR, pg_query.BoolExprType_AND_EXPR:
				need = pb.Boolop == pg_query.BoolExprType_NOT_EXPR
			case pg_query.BoolExprType_OR_EXPR:
				need = pb.Boolop != pg_query.BoolExprType_OR_EXPR
			}
		}
		switch x.BoolExpr.Boolop {
		case pg_query.BoolExprType_AND_EXPR:
			return paren(strings.Join(parts, " AND "), need), true
		case pg_query.BoolExprType_OR_EXPR:
			return paren(strings.Join(parts, " OR "), need), true
		case pg_query.BoolExprType_NOT_EXPR:
			return paren("NOT "+parts[0], need), true
		}
		return "", false
	case *pg_query.Node_NullTest:
		s, ok := rl.pretty(x.NullTest.Arg, n)
		if !ok {
			return "", false
		}
		op := " IS NOT NULL"
		if x.NullTest.Nulltesttype == pg_query.NullTestType_IS_NULL {
			op = " IS NULL"
		}
		return paren(s+op, parent != nil && parent.GetBoolExpr() == nil), true
	case *pg_query.Node_FuncCall:
		f := x.FuncCall
		if len(f.Funcname) != 1 || f.AggStar || f.AggDistinct || f.Over != nil {
			return "", false
		}
		var args []string
		for _, arg := range f.Args {
			s, ok := rl.pretty(arg, n)
			if !ok {
				return "", false
			}
			args = append(args, rl.textArg(arg, s))
		}
		return f.Funcname[0].GetString_().GetSval() + "(" + strings.Join(args, ", ") + ")", true
	}
	return rl.rule(n)
}

// checkDropIndex refuses DROP INDEX of an index that backs a UNIQUE
// constraint, as PostgreSQL does (2BP01).
func (s *Session) checkDropIndex(r layers.Reader, name string) error {
	tname, err := s.eng.cat.IndexTable(r, name)
	if err != nil {
		return nil
	}
	d, err := s.eng.cat.Table(r, tname)
	if err != nil {
		return nil
	}
	for _, ix := range d.Indexes {
		if ix.Name == name && ix.Constraint {
			return sqlerr.New(codeDependentObjects, "cannot drop index %s because constraint %s on table %s requires it", name, name, tname).
				WithHint("You can drop constraint %s on table %s instead.", name, tname)
		}
	}
	return nil
}
