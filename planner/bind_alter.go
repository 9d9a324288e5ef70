package planner

// ALTER TABLE (and ALTER TABLE ... RENAME): its subcommands are applied
// one after the other in the statement's transaction, so that they roll
// back with it and replicate like any write. Changes that need the rows
// in a new form (a new primary key, a changed column type, a dropped
// column, a new column with a default) rewrite the table under a fresh
// storage id.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/layers/tuple"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// alterTablePlan is ALTER TABLE or ALTER TABLE ... RENAME; the
// subcommands are bound as they run, each seeing the table as the ones
// before it left it.
type alterTablePlan struct {
	stmt   *pg_query.AlterTableStmt
	rename *pg_query.RenameStmt
	sql    string
}

func (p *alterTablePlan) columns() []Column { return nil }

// bindAlterTable checks the statement's form; the work is done by
// execAlterTable.
func (b *binder) bindAlterTable(s *pg_query.AlterTableStmt) (plan, error) {
	if s.Objtype != pg_query.ObjectType_OBJECT_TABLE {
		return nil, sqlerr.Unsupported("ALTER %s is not supported yet", strings.TrimPrefix(s.Objtype.String(), "OBJECT_"))
	}
	if rv := s.Relation; rv.Schemaname != "" && rv.Schemaname != "public" {
		return nil, b.errAt(sqlerr.New("3F000", "schema %q does not exist", rv.Schemaname), rv.Location)
	}
	return &alterTablePlan{stmt: s, sql: b.sql}, nil
}

// bindRename binds ALTER TABLE ... RENAME [COLUMN | CONSTRAINT] ... TO.
func (b *binder) bindRename(s *pg_query.RenameStmt) (plan, error) {
	switch s.RenameType {
	case pg_query.ObjectType_OBJECT_TABLE, pg_query.ObjectType_OBJECT_TABCONSTRAINT:
	case pg_query.ObjectType_OBJECT_COLUMN:
		if s.RelationType != pg_query.ObjectType_OBJECT_TABLE {
			return nil, sqlerr.Unsupported("renaming columns of a %s is not supported yet", strings.ToLower(strings.TrimPrefix(s.RelationType.String(), "OBJECT_")))
		}
	default:
		return nil, sqlerr.Unsupported("ALTER %s ... RENAME is not supported yet", strings.TrimPrefix(s.RenameType.String(), "OBJECT_"))
	}
	if s.Relation == nil {
		return nil, sqlerr.Syntax("malformed RENAME")
	}
	if rv := s.Relation; rv.Schemaname != "" && rv.Schemaname != "public" {
		return nil, b.errAt(sqlerr.New("3F000", "schema %q does not exist", rv.Schemaname), rv.Location)
	}
	return &alterTablePlan{rename: s, sql: b.sql}, nil
}

// alterer runs the subcommands of one ALTER TABLE.
type alterer struct {
	s       *Session
	ctx     context.Context
	tx      layers.Txn
	name    string
	sql     string
	notices []*sqlerr.Error
}

// binder returns a binder for the statement's expressions and types.
func (a *alterer) binder() *binder {
	return &binder{eng: a.s.eng, sql: a.sql, ident: a.s.ident, r: a.tx}
}

// load reads the table as the subcommands so far left it.
func (a *alterer) load() (*tableInfo, error) {
	return a.s.eng.loadTable(a.tx, a.name)
}

// notice adds a notice for the client.
func (a *alterer) notice(code, format string, args ...any) {
	a.notices = append(a.notices, sqlerr.Notice(code, format, args...))
}

// execAlterTable runs ALTER TABLE.
func (s *Session) execAlterTable(ctx context.Context, tx layers.Txn, p *alterTablePlan) ([]*sqlerr.Error, error) {
	var rv *pg_query.RangeVar
	missingOk := false
	if p.stmt != nil {
		rv, missingOk = p.stmt.Relation, p.stmt.MissingOk
	} else {
		rv, missingOk = p.rename.Relation, p.rename.MissingOk
	}
	a := &alterer{s: s, ctx: ctx, tx: tx, name: rv.Relname, sql: p.sql}
	if _, err := a.load(); err != nil {
		if sqlerr.Code(err) == sqlerr.UndefinedTable {
			if kind, kerr := s.relationKind(tx, rv.Relname); kerr == nil && kind != "" {
				return nil, wrongRelationErr(p, rv.Relname, kind)
			}
			if missingOk {
				a.notice(sqlerr.SuccessfulCompletion, "relation %q does not exist, skipping", rv.Relname)
				return a.notices, nil
			}
		}
		return nil, err
	}
	if p.rename != nil {
		return a.notices, a.rename(p.rename)
	}
	for _, n := range p.stmt.Cmds {
		cmd := n.GetAlterTableCmd()
		if cmd == nil {
			return nil, sqlerr.Syntax("malformed ALTER TABLE")
		}
		if err := a.run(cmd); err != nil {
			return nil, err
		}
	}
	return a.notices, nil
}

// run applies one subcommand.
func (a *alterer) run(cmd *pg_query.AlterTableCmd) error {
	cascade := cmd.Behavior == pg_query.DropBehavior_DROP_CASCADE
	switch cmd.Subtype {
	case pg_query.AlterTableType_AT_AddColumn:
		cd := cmd.Def.GetColumnDef()
		if cd == nil {
			return sqlerr.Syntax("malformed ADD COLUMN")
		}
		return a.addColumn(cd, cmd.MissingOk)
	case pg_query.AlterTableType_AT_DropColumn:
		return a.dropColumn(cmd.Name, cmd.MissingOk, cascade)
	case pg_query.AlterTableType_AT_ColumnDefault:
		return a.setDefault(cmd.Name, cmd.Def)
	case pg_query.AlterTableType_AT_SetNotNull:
		return a.setNotNull(cmd.Name, true)
	case pg_query.AlterTableType_AT_DropNotNull:
		return a.setNotNull(cmd.Name, false)
	case pg_query.AlterTableType_AT_AlterColumnType:
		cd := cmd.Def.GetColumnDef()
		if cd == nil {
			return sqlerr.Syntax("malformed ALTER COLUMN TYPE")
		}
		return a.alterType(cmd.Name, cd)
	case pg_query.AlterTableType_AT_AddConstraint:
		c := cmd.Def.GetConstraint()
		if c == nil {
			return sqlerr.Syntax("malformed ADD CONSTRAINT")
		}
		return a.addConstraint(c)
	case pg_query.AlterTableType_AT_DropConstraint:
		return a.dropConstraint(cmd.Name, cmd.MissingOk, cascade)
	case pg_query.AlterTableType_AT_ValidateConstraint:
		return a.validateConstraint(cmd.Name)
	case pg_query.AlterTableType_AT_DropExpression:
		return a.dropExpression(cmd.Name, cmd.MissingOk)
	}
	return sqlerr.Unsupported("ALTER TABLE %s is not supported yet", strings.TrimPrefix(cmd.Subtype.String(), "AT_"))
}

// column returns the position of a column, or 42703 as PostgreSQL words
// it for ALTER TABLE.
func (a *alterer) column(ti *tableInfo, name string) (int, error) {
	i := ti.colIndex(name)
	if i < 0 {
		return -1, sqlerr.New(sqlerr.UndefinedColumn, "column %q of relation %q does not exist", name, a.name)
	}
	return i, nil
}

// pendingCons are the constraints of a column definition, added after
// the column.
type pendingCons struct {
	checks []checkDef
	fks    []fkDef
	keys   []*pg_query.Constraint // UNIQUE and PRIMARY KEY
}

// addColumn runs ADD COLUMN.
func (a *alterer) addColumn(cd *pg_query.ColumnDef, ifNotExists bool) error {
	ti, err := a.load()
	if err != nil {
		return err
	}
	if ti.colIndex(cd.Colname) >= 0 {
		if ifNotExists {
			a.notice(sqlerr.DuplicateColumn, "column %q of relation %q already exists, skipping", cd.Colname, a.name)
			return nil
		}
		return sqlerr.New(sqlerr.DuplicateColumn, "column %q of relation %q already exists", cd.Colname, a.name)
	}
	b := a.binder()
	t, serial, err := b.resolveColumnType(cd.TypeName)
	if err != nil {
		return err
	}
	if cd.CollClause != nil {
		return b.errAt(sqlerr.Unsupported("COLLATE is not supported yet"), cd.Location)
	}
	col := colInfo{name: cd.Colname, t: t, notNull: cd.IsNotNull}
	// SERIAL and identity columns get their sequence, as in CREATE
	// TABLE; the existing rows take values from it.
	seqs := &createTablePlan{name: a.name}
	if err := b.sequenceColumn(cd, serial, &col, seqs); err != nil {
		return err
	}
	if len(seqs.seqs) > 0 {
		seqs.cols = []colInfo{col}
		if err := a.s.createSequencesFor(a.tx, seqs); err != nil {
			return err
		}
		col = seqs.cols[0]
	}
	gen, err := b.generatedOf(cd, a.name, serial)
	if err != nil {
		return err
	}
	if gen != nil {
		col.generated = 's'
	}
	var pend pendingCons
	colCons, err := b.foldConstraintAttrs(cd.Constraints)
	if err != nil {
		return err
	}
	for _, cn := range colCons {
		c := cn.GetConstraint()
		if c == nil {
			continue
		}
		switch c.Contype {
		case pg_query.ConstrType_CONSTR_NOTNULL:
			col.notNull = true
		case pg_query.ConstrType_CONSTR_NULL, pg_query.ConstrType_CONSTR_IDENTITY: // see sequenceColumn
		case pg_query.ConstrType_CONSTR_GENERATED: // see generatedOf
		case pg_query.ConstrType_CONSTR_DEFAULT:
			def, err := b.checkDefault(c.RawExpr, col)
			if err != nil {
				return err
			}
			col.def = def
		case pg_query.ConstrType_CONSTR_CHECK:
			d, _ := b.checkDefOf(c)
			pend.checks = append(pend.checks, d)
		case pg_query.ConstrType_CONSTR_FOREIGN:
			d, err := b.fkDefOf(c, cd.Colname)
			if err != nil {
				return err
			}
			pend.fks = append(pend.fks, d)
		case pg_query.ConstrType_CONSTR_UNIQUE, pg_query.ConstrType_CONSTR_PRIMARY:
			pend.keys = append(pend.keys, &pg_query.Constraint{Contype: c.Contype, Conname: c.Conname, Location: c.Location,
				NullsNotDistinct: c.NullsNotDistinct, Keys: []*pg_query.Node{pg_query.MakeStrNode(cd.Colname)}})
		default:
			return b.errAt(sqlerr.Unsupported("constraint %s is not supported yet in ADD COLUMN", strings.TrimPrefix(c.Contype.String(), "CONSTR_")), c.Location)
		}
	}
	desc := ti.desc.Clone()
	desc.Columns = append(desc.Columns, sqlrows.ColumnDesc{Name: col.name, TypeOID: col.t.OID(), TypeMod: col.t.Mod, NotNull: col.notNull, Default: col.def, Identity: identityCode(col.identity), Generated: generatedCode(col.generated)})
	if gen != nil {
		if err := a.addGeneratedColumn(ti, desc, col, gen.RawExpr); err != nil {
			return err
		}
	} else if col.def != "" {
		d, err := b.bindDefault(col)
		if err != nil {
			return err
		}
		ev := &evalCtx{env: a.s.ident.env, sess: a.s}
		ev.attach(a.ctx, a.tx)
		if err := a.rewrite(ti, desc, func(vals []types.Value) ([]types.Value, error) {
			v, err := d.eval(ev, nil)
			if err != nil {
				return nil, err
			}
			return append(vals, v), nil
		}); err != nil {
			return err
		}
	} else if err := a.s.eng.cat.PutTable(a.tx, desc); err != nil {
		return err
	}
	if col.notNull {
		if err := a.validateNotNull(len(desc.Columns) - 1); err != nil {
			return err
		}
	}
	for _, k := range pend.keys {
		if err := a.addConstraint(k); err != nil {
			return err
		}
	}
	for _, c := range pend.checks {
		if err := a.addCheck(c); err != nil {
			return err
		}
	}
	for _, f := range pend.fks {
		if err := a.addFK(f); err != nil {
			return err
		}
	}
	return nil
}

// validateNotNull fails with 23502 when a row has NULL in column c.
func (a *alterer) validateNotNull(cols ...int) error {
	ti, err := a.load()
	if err != nil {
		return err
	}
	bad := -1
	err = scanRows(a.ctx, a.tx, ti, scanSpec{}, nil, func(_ tuple.Tuple, row []types.Value) error {
		for _, c := range cols {
			if row[c].IsNull() {
				bad = c
				return errStop
			}
		}
		return nil
	})
	if err != nil && err != errStop {
		return err
	}
	if bad >= 0 {
		return sqlerr.New(sqlerr.NotNullViolation, "column %q of relation %q contains null values", ti.cols[bad].name, a.name)
	}
	return nil
}

// rewrite stores the table's rows, mapped by fn, under desc (the new
// form of ti's descriptor). The row keys follow desc's primary key; a
// table that loses its primary key gets hidden row ids.
func (a *alterer) rewrite(ti *tableInfo, desc *sqlrows.TableDesc, fn func([]types.Value) ([]types.Value, error)) error {
	nti, err := a.s.eng.openTable(desc)
	if err != nil {
		return err
	}
	rekey := len(desc.PrimaryKey) > 0 || len(ti.pk) > 0
	n := 0
	err = a.s.eng.cat.Rewrite(a.tx, ti.desc, desc, nti.keyOf, func(pk, row tuple.Tuple) (tuple.Tuple, tuple.Tuple, error) {
		if n++; n%1024 == 0 {
			if err := canceled(a.ctx); err != nil {
				return nil, nil, err
			}
		}
		vals, err := ti.decodeRow(row)
		if err != nil {
			return nil, nil, err
		}
		if vals, err = fn(vals); err != nil {
			return nil, nil, err
		}
		newPK := pk
		switch {
		case len(desc.PrimaryKey) > 0:
			newPK = nti.pkOf(vals)
		case rekey:
			newPK = tuple.Tuple{a.s.newRowID()}
		}
		return newPK, nti.encodeRow(vals), nil
	})
	var ce *sqlrows.ConstraintError
	if errors.As(err, &ce) {
		e := sqlerr.New(sqlerr.UniqueViolation, "could not create unique index %q", ce.Constraint)
		if d := duplicateKey(a.ctx, a.tx, ti, ce.Columns); d != "" {
			e = e.WithDetail("%s", d)
		}
		return e
	}
	return err
}

// dropColumn runs DROP COLUMN: indexes and constraints of the table on
// the column go with it; other tables' foreign keys on it need CASCADE.
func (a *alterer) dropColumn(name string, missingOk, cascade bool) error {
	ti, err := a.load()
	if err != nil {
		return err
	}
	c := ti.colIndex(name)
	if c < 0 {
		if missingOk {
			a.notice(sqlerr.SuccessfulCompletion, "column %q of relation %q does not exist, skipping", name, a.name)
			return nil
		}
		return sqlerr.New(sqlerr.UndefinedColumn, "column %q of relation %q does not exist", name, a.name)
	}
	if err := a.dropGeneratedUsers(ti, c, cascade); err != nil {
		return err
	}
	if ti, err = a.load(); err != nil {
		return err
	}
	c = ti.colIndex(name)
	// Views that name the column.
	views, err := a.s.eng.cat.Views(a.tx)
	if err != nil {
		return err
	}
	for _, v := range views {
		if slices.Contains(v.Depends, a.name) && viewMentions(v.SQL, name) {
			return sqlerr.New(codeDependentObjects, "cannot drop column %s of table %s because other objects depend on it", name, a.name).
				WithDetail("view %s depends on column %s of table %s", v.Name, name, a.name).
				WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
		}
	}
	// Other tables' foreign keys that reference the column.
	for _, child := range ti.desc.ReferencedBy {
		if child == a.name {
			continue
		}
		cd, err := a.s.eng.cat.Table(a.tx, child)
		if err != nil {
			return err
		}
		var keep []sqlrows.ForeignKeyDesc
		for _, fk := range cd.ForeignKeys {
			if fk.RefTable != a.name || !slices.Contains(fk.RefColumns, c) {
				keep = append(keep, fk)
				continue
			}
			if !cascade {
				return sqlerr.New(codeDependentObjects, "cannot drop column %s of table %s because other objects depend on it", name, a.name).
					WithDetail("constraint %s on table %s depends on column %s of table %s", fk.Name, child, name, a.name).
					WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
			}
			a.notice(sqlerr.SuccessfulCompletion, "drop cascades to constraint %s on table %s", fk.Name, child)
		}
		cd.ForeignKeys = keep
		if err := a.s.unlinkParent(a.tx, cd, a.name); err != nil {
			return err
		}
		if err := a.s.eng.cat.PutTable(a.tx, cd); err != nil {
			return err
		}
	}
	ti, err = a.load()
	if err != nil {
		return err
	}
	desc := ti.desc.Clone()
	shift := func(cols []int) []int {
		out := make([]int, len(cols))
		for i, x := range cols {
			if x > c {
				x--
			}
			out[i] = x
		}
		return out
	}
	if slices.Contains(desc.PrimaryKey, c) {
		desc.PrimaryKey, desc.PKName = nil, ""
	}
	desc.PrimaryKey = shift(desc.PrimaryKey)
	var indexes []sqlrows.IndexDesc
	for _, ix := range desc.Indexes {
		if slices.Contains(ix.Columns, c) {
			a.s.eng.cat.RemoveIndexName(a.tx, ix.Name)
			continue
		}
		ix.Columns = shift(ix.Columns)
		indexes = append(indexes, ix)
	}
	desc.Indexes = indexes
	var checks []sqlrows.CheckDesc
	for _, ck := range desc.Checks {
		n, err := parseStoredExpr(ck.Expr)
		if err == nil {
			if _, refs, err := a.s.eng.bindCheck(n, a.name, ti.cols, "SELECT "+ck.Expr, a.s.ident); err == nil && slices.Contains(refs, c) {
				continue
			}
		}
		checks = append(checks, ck)
	}
	desc.Checks = checks
	var fks []sqlrows.ForeignKeyDesc
	var unlinked []string
	for _, fk := range desc.ForeignKeys {
		if slices.Contains(fk.Columns, c) || fk.RefTable == a.name && slices.Contains(fk.RefColumns, c) {
			unlinked = append(unlinked, fk.RefTable)
			continue
		}
		fk.Columns = shift(fk.Columns)
		if fk.RefTable == a.name {
			fk.RefColumns = shift(fk.RefColumns)
		}
		fks = append(fks, fk)
	}
	desc.ForeignKeys = fks
	for _, p := range unlinked {
		if err := a.s.unlinkParent(a.tx, desc, p); err != nil {
			return err
		}
	}
	// Foreign keys of other tables that reference later columns.
	for _, child := range desc.ReferencedBy {
		if child == a.name {
			continue
		}
		cd, err := a.s.eng.cat.Table(a.tx, child)
		if err != nil {
			return err
		}
		for i := range cd.ForeignKeys {
			if cd.ForeignKeys[i].RefTable == a.name {
				cd.ForeignKeys[i].RefColumns = shift(cd.ForeignKeys[i].RefColumns)
			}
		}
		if err := a.s.eng.cat.PutTable(a.tx, cd); err != nil {
			return err
		}
	}
	if err := a.s.dropColumnSequences(a.tx, a.name, name); err != nil {
		return err
	}
	desc.Columns = slices.Delete(desc.Columns, c, c+1)
	return a.rewrite(ti, desc, func(vals []types.Value) ([]types.Value, error) {
		return slices.Delete(vals, c, c+1), nil
	})
}

// viewMentions reports whether a view's query text names a column (a
// word equal to it), or selects *.
func viewMentions(sql, col string) bool {
	words := strings.FieldsFunc(sql, func(r rune) bool {
		return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '*')
	})
	for _, w := range words {
		if w == col || w == "*" {
			return true
		}
	}
	return false
}

// setDefault runs ALTER COLUMN SET DEFAULT (def) or DROP DEFAULT (nil).
func (a *alterer) setDefault(name string, def *pg_query.Node) error {
	ti, err := a.load()
	if err != nil {
		return err
	}
	c, err := a.column(ti, name)
	if err != nil {
		return err
	}
	if err := generatedDefaultErr(ti.cols[c], a.name, def != nil); err != nil {
		return err
	}
	desc := ti.desc.Clone()
	desc.Columns[c].Default = ""
	if def != nil {
		text, err := a.binder().checkDefault(def, ti.cols[c])
		if err != nil {
			return err
		}
		desc.Columns[c].Default = text
	}
	return a.s.eng.cat.PutTable(a.tx, desc)
}

// setNotNull runs ALTER COLUMN SET/DROP NOT NULL.
func (a *alterer) setNotNull(name string, on bool) error {
	ti, err := a.load()
	if err != nil {
		return err
	}
	c, err := a.column(ti, name)
	if err != nil {
		return err
	}
	if !on && slices.Contains(ti.pk, c) {
		return sqlerr.New(sqlerr.InvalidTableDefinition, "column %q is in a primary key", name)
	}
	desc := ti.desc.Clone()
	desc.Columns[c].NotNull = on
	if err := a.s.eng.cat.PutTable(a.tx, desc); err != nil {
		return err
	}
	if on && !ti.cols[c].notNull {
		return a.validateNotNull(c)
	}
	return nil
}

// alterType runs ALTER COLUMN TYPE [USING expr]: the rows are rewritten
// with the assignment cast (or the USING expression).
func (a *alterer) alterType(name string, cd *pg_query.ColumnDef) error {
	ti, err := a.load()
	if err != nil {
		return err
	}
	c, err := a.column(ti, name)
	if err != nil {
		return err
	}
	b := a.binder()
	t, err := b.resolveType(cd.TypeName)
	if err != nil {
		return err
	}
	if cd.CollClause != nil {
		return b.errAt(sqlerr.Unsupported("COLLATE is not supported yet"), cd.Location)
	}
	for _, fk := range ti.desc.ForeignKeys {
		if slices.Contains(fk.Columns, c) {
			return sqlerr.Unsupported("altering the type of a foreign key column is not supported yet")
		}
	}
	// Other tables' foreign keys may reference the column (a column no
	// key references changes type freely).
	for _, child := range ti.desc.ReferencedBy {
		cd := ti.desc
		if child != a.name {
			if cd, err = a.s.eng.cat.Table(a.tx, child); err != nil {
				return err
			}
		}
		for _, fk := range cd.ForeignKeys {
			if fk.RefTable == a.name && slices.Contains(fk.RefColumns, c) {
				return sqlerr.Unsupported("altering the type of a referenced column is not supported yet")
			}
		}
	}
	if err := generatedTypeErr(ti, c); err != nil {
		return err
	}
	col := ti.cols[c]
	newCol := colInfo{name: col.name, t: t, notNull: col.notNull, def: col.def, generated: col.generated}
	src := expr(&colRef{idx: c, t: col.t, name: col.name})
	if cd.RawDefault != nil {
		// USING expr, over the old row.
		b.sc = &scope{}
		b.sc.add(a.name, a.name, false, ti.cols)
		if src, err = b.bindExpr(cd.RawDefault); err != nil {
			return err
		}
		if src, err = b.coerceAssign(src, newCol, exprLocation(cd.RawDefault)); err != nil {
			if sqlerr.Code(err) == sqlerr.DatatypeMismatch {
				return sqlerr.New(sqlerr.DatatypeMismatch, "result of USING clause for column %q cannot be cast automatically to type %s", name, t).
					WithHint("You might need to add an explicit cast.")
			}
			return err
		}
	} else {
		if col.t.Kind != t.Kind && !types.CanCast(col.t.Kind, t.Kind, types.CastAssignment) {
			return sqlerr.New(sqlerr.DatatypeMismatch, "column %q cannot be cast automatically to type %s", name, t).
				WithHint("You might need to specify \"USING %s::%s\".", syscatQuote(name), t)
		}
		if src, err = b.coerce(src, t, types.CastAssignment); err != nil {
			return err
		}
	}
	desc := ti.desc.Clone()
	desc.Columns[c].TypeOID, desc.Columns[c].TypeMod = t.OID(), t.Mod
	if col.def != "" {
		if _, err := b.bindDefault(newCol); err != nil {
			return sqlerr.New(sqlerr.DatatypeMismatch, "default for column %q cannot be cast automatically to type %s", name, t)
		}
	}
	if col.generated != 0 {
		if src, err = a.generatedSource(desc, c); err != nil {
			return err
		}
	}
	ev := &evalCtx{env: a.s.ident.env, sess: a.s}
	ev.attach(a.ctx, a.tx)
	if err := a.rewrite(ti, desc, func(vals []types.Value) ([]types.Value, error) {
		v, err := src.eval(ev, vals)
		if err != nil {
			return nil, err
		}
		vals[c] = v
		return vals, nil
	}); err != nil {
		return err
	}
	return a.validateChecks()
}

// syscatQuote quotes an identifier as PostgreSQL's messages do.
func syscatQuote(name string) string {
	return quoteIdentIfNeeded(name)
}

// quoteIdentIfNeeded quotes an identifier unless it is a plain lower-case
// name.
func quoteIdentIfNeeded(name string) string {
	plain := name != ""
	for i, r := range name {
		if !(r == '_' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			plain = false
		}
	}
	if plain {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// validateChecks checks every row against the table's CHECK constraints.
func (a *alterer) validateChecks() error {
	ti, err := a.load()
	if err != nil || len(ti.desc.Checks) == 0 {
		return err
	}
	tc, err := a.s.constraints(ti)
	if err != nil {
		return err
	}
	for _, c := range tc.checks {
		if err := a.validateCheck(ti, c); err != nil {
			return err
		}
	}
	return nil
}

// validateCheck fails with 23514 when a row violates c.
func (a *alterer) validateCheck(ti *tableInfo, c boundCheck) error {
	ev := &evalCtx{env: a.s.ident.env, sess: a.s}
	bad := false
	err := scanRows(a.ctx, a.tx, ti, scanSpec{}, nil, func(_ tuple.Tuple, row []types.Value) error {
		v, err := c.e.eval(ev, row)
		if err != nil {
			return err
		}
		if !v.IsNull() && !v.Bool() {
			bad = true
			return errStop
		}
		return nil
	})
	if err != nil && err != errStop {
		return err
	}
	if bad {
		return sqlerr.New(codeCheckViolation, "check constraint %q of relation %q is violated by some row", c.name, a.name)
	}
	return nil
}

// addConstraint runs ADD [CONSTRAINT name] PRIMARY KEY | UNIQUE | CHECK
// | FOREIGN KEY.
func (a *alterer) addConstraint(c *pg_query.Constraint) error {
	b := a.binder()
	switch c.Contype {
	case pg_query.ConstrType_CONSTR_CHECK:
		d, _ := b.checkDefOf(c)
		d.noValidate = c.SkipValidation
		return a.addCheck(d)
	case pg_query.ConstrType_CONSTR_FOREIGN:
		d, err := b.fkDefOf(c, "")
		if err != nil {
			return err
		}
		return a.addFK(d)
	case pg_query.ConstrType_CONSTR_PRIMARY, pg_query.ConstrType_CONSTR_UNIQUE:
		if c.Indexname != "" {
			return b.errAt(sqlerr.Unsupported("ADD CONSTRAINT ... USING INDEX is not supported yet"), c.Location)
		}
		if err := b.checkKeyNotDeferrable(c); err != nil {
			return err
		}
		if c.NullsNotDistinct {
			return b.errAt(sqlerr.Unsupported("UNIQUE NULLS NOT DISTINCT is not supported yet"), c.Location)
		}
		ti, err := a.load()
		if err != nil {
			return err
		}
		var cols []int
		for _, k := range c.Keys {
			n := k.GetString_().GetSval()
			i := ti.colIndex(n)
			if i < 0 {
				return sqlerr.New(sqlerr.UndefinedColumn, "column %q named in key does not exist", n)
			}
			cols = append(cols, i)
		}
		if c.Contype == pg_query.ConstrType_CONSTR_PRIMARY {
			return a.addPrimaryKey(ti, c.Conname, cols)
		}
		return a.addUnique(ti, c.Conname, cols)
	}
	return b.errAt(sqlerr.Unsupported("constraint %s is not supported yet", strings.TrimPrefix(c.Contype.String(), "CONSTR_")), c.Location)
}

// relName chooses a free relation name for an index: base_label, then
// base_label1, ...
func (a *alterer) relName(ti *tableInfo, parts []string, label string) (string, error) {
	used := constraintNames(ti.desc)
	for {
		name := chooseName(parts, label, used)
		exists, err := a.s.eng.cat.RelationExists(a.tx, name)
		if err != nil {
			return "", err
		}
		if !exists {
			return name, nil
		}
		used[name] = true
	}
}

// addPrimaryKey runs ADD PRIMARY KEY: the columns become NOT NULL and
// the rows are rewritten under the new key.
func (a *alterer) addPrimaryKey(ti *tableInfo, name string, cols []int) error {
	if len(ti.pk) > 0 {
		return sqlerr.New(sqlerr.InvalidTableDefinition, "multiple primary keys for table %q are not allowed", a.name)
	}
	if name == "" {
		var err error
		if name, err = a.relName(ti, []string{a.name}, "pkey"); err != nil {
			return err
		}
	} else if exists, err := a.s.eng.cat.RelationExists(a.tx, name); err != nil {
		return err
	} else if exists || constraintNames(ti.desc)[name] {
		return sqlerr.DuplicateTableErr(name)
	}
	desc := ti.desc.Clone()
	desc.PrimaryKey, desc.PKName = cols, name
	for _, c := range cols {
		desc.Columns[c].NotNull = true
	}
	// As in PostgreSQL, duplicates are found (building the index) before
	// NULLs (validating NOT NULL); two NULL keys collide in the rewrite
	// without being duplicates.
	err := a.rewrite(ti, desc, func(vals []types.Value) ([]types.Value, error) {
		for _, c := range cols {
			if vals[c].IsNull() {
				return nil, errNullKey
			}
		}
		return vals, nil
	})
	if errors.Is(err, errNullKey) || sqlerr.Code(err) == sqlerr.UniqueViolation && sqlerr.As(err).Detail == "" {
		if dup := duplicateKey(a.ctx, a.tx, ti, cols); dup != "" {
			return sqlerr.New(sqlerr.UniqueViolation, "could not create unique index %q", name).WithDetail("%s", dup)
		}
		return a.validateNotNull(cols...)
	}
	return err
}

// errNullKey stops a rewrite at a NULL in a new primary key.
var errNullKey = errors.New("null in primary key")

// addUnique runs ADD UNIQUE: a unique index that backs the constraint.
func (a *alterer) addUnique(ti *tableInfo, name string, cols []int) error {
	if name == "" {
		parts := []string{a.name}
		for _, c := range cols {
			parts = append(parts, ti.cols[c].name)
		}
		var err error
		if name, err = a.relName(ti, parts, "key"); err != nil {
			return err
		}
	}
	desc := ti.desc.Clone()
	err := a.s.eng.cat.CreateIndex(a.tx, desc, sqlrows.IndexDesc{Name: name, Columns: cols, Unique: true, Constraint: true}, ti.keyOf)
	var ce *sqlrows.ConstraintError
	switch {
	case errors.Is(err, sqlrows.ErrRelationExists):
		return sqlerr.DuplicateTableErr(name)
	case errors.As(err, &ce):
		e := sqlerr.New(sqlerr.UniqueViolation, "could not create unique index %q", name)
		if d := duplicateKey(a.ctx, a.tx, ti, cols); d != "" {
			e = e.WithDetail("%s", d)
		}
		return e
	}
	return err
}

// addCheck runs ADD CHECK, validating the rows.
func (a *alterer) addCheck(d checkDef) error {
	ti, err := a.load()
	if err != nil {
		return err
	}
	desc := ti.desc.Clone()
	ck, err := a.s.addCheck(desc, ti.cols, d, a.sql)
	if err != nil {
		return err
	}
	if d.noValidate {
		ck.NotValid = true
	} else {
		e, err := a.s.eng.bindStoredCheck(ck.Expr, a.name, ti.cols, a.s.ident)
		if err != nil {
			return err
		}
		if err := a.validateCheck(ti, boundCheck{name: ck.Name, e: e}); err != nil {
			return err
		}
	}
	return a.s.eng.cat.PutTable(a.tx, desc)
}

// validateConstraint runs VALIDATE CONSTRAINT: the rows are checked
// against a NOT VALID constraint, which then counts as valid.
func (a *alterer) validateConstraint(name string) error {
	ti, err := a.load()
	if err != nil {
		return err
	}
	desc := ti.desc.Clone()
	for i, ck := range desc.Checks {
		if ck.Name != name {
			continue
		}
		if ck.NotValid {
			e, err := a.s.eng.bindStoredCheck(ck.Expr, a.name, ti.cols, a.s.ident)
			if err != nil {
				return err
			}
			if err := a.validateCheck(ti, boundCheck{name: ck.Name, e: e}); err != nil {
				return err
			}
			desc.Checks[i].NotValid = false
		}
		return a.s.eng.cat.PutTable(a.tx, desc)
	}
	for i, fk := range desc.ForeignKeys {
		if fk.Name != name {
			continue
		}
		if fk.NotValid {
			if err := a.validateFK(ti, &fk); err != nil {
				return err
			}
			desc.ForeignKeys[i].NotValid = false
		}
		return a.s.eng.cat.PutTable(a.tx, desc)
	}
	if constraintNames(desc)[name] {
		return sqlerr.New(sqlerr.WrongObjectType, "constraint %q of relation %q is not a foreign key or check constraint", name, a.name)
	}
	return sqlerr.New(sqlerr.UndefinedObject, "constraint %q of relation %q does not exist", name, a.name)
}

// addFK runs ADD FOREIGN KEY, validating the rows.
func (a *alterer) addFK(d fkDef) error {
	ti, err := a.load()
	if err != nil {
		return err
	}
	desc := ti.desc.Clone()
	fk, err := a.s.addForeignKey(a.tx, desc, ti.cols, d)
	if err != nil {
		return err
	}
	if err := a.s.eng.cat.PutTable(a.tx, desc); err != nil {
		return err
	}
	if err := a.s.linkParents(a.tx, desc); err != nil {
		return err
	}
	if d.notValid {
		for i := range desc.ForeignKeys {
			if desc.ForeignKeys[i].Name == fk.Name {
				desc.ForeignKeys[i].NotValid = true
			}
		}
		return a.s.eng.cat.PutTable(a.tx, desc)
	}
	child, err := a.load()
	if err != nil {
		return err
	}
	return a.validateFK(child, fk)
}

// validateFK fails with 23503 when a row of child has a key that the
// referenced table lacks.
func (a *alterer) validateFK(child *tableInfo, fk *sqlrows.ForeignKeyDesc) error {
	parent, err := a.s.eng.loadTable(a.tx, fk.RefTable)
	if err != nil {
		return err
	}
	var missing []types.Value
	err = scanRows(a.ctx, a.tx, child, scanSpec{}, nil, func(_ tuple.Tuple, row []types.Value) error {
		key := make([]types.Value, len(fk.Columns))
		nulls := 0
		for i, c := range fk.Columns {
			key[i] = row[c]
			if row[c].IsNull() {
				nulls++
			}
		}
		if nulls > 0 {
			if fk.Match == 'f' && nulls < len(key) {
				return sqlerr.New(codeForeignKeyViolation, "insert or update on table %q violates foreign key constraint %q", a.name, fk.Name).
					WithDetail("MATCH FULL does not allow mixing of null and nonnull key values.")
			}
			return nil
		}
		found, err := findRows(a.ctx, a.tx, parent, fk.RefColumns, key, true, func(tuple.Tuple, []types.Value) error { return errStop })
		if err != nil {
			return err
		}
		if !found {
			missing = key
			return errStop
		}
		return nil
	})
	if err != nil && err != errStop {
		return err
	}
	if missing != nil {
		return fkMissingErr(child, fk, parent, missing)
	}
	return nil
}

// dropConstraint runs DROP CONSTRAINT.
func (a *alterer) dropConstraint(name string, missingOk, cascade bool) error {
	ti, err := a.load()
	if err != nil {
		return err
	}
	desc := ti.desc.Clone()
	for i, c := range desc.Checks {
		if c.Name == name {
			desc.Checks = slices.Delete(desc.Checks, i, i+1)
			return a.s.eng.cat.PutTable(a.tx, desc)
		}
	}
	for i, fk := range desc.ForeignKeys {
		if fk.Name == name {
			desc.ForeignKeys = slices.Delete(desc.ForeignKeys, i, i+1)
			if err := a.s.unlinkParent(a.tx, desc, fk.RefTable); err != nil {
				return err
			}
			return a.s.eng.cat.PutTable(a.tx, desc)
		}
	}
	var keyCols []int
	isPK := desc.PKName == name && len(desc.PrimaryKey) > 0
	uniqueAt := -1
	if isPK {
		keyCols = desc.PrimaryKey
	} else {
		for i, ix := range desc.Indexes {
			if ix.Name == name && ix.Unique && (ix.Constraint || isConstraintName(desc, ix)) {
				keyCols, uniqueAt = ix.Columns, i
			}
		}
	}
	if !isPK && uniqueAt < 0 {
		if missingOk {
			a.notice(sqlerr.SuccessfulCompletion, "constraint %q of relation %q does not exist, skipping", name, a.name)
			return nil
		}
		return sqlerr.New(sqlerr.UndefinedObject, "constraint %q of relation %q does not exist", name, a.name)
	}
	if err := a.dropKeyDependents(desc, name, keyCols, cascade); err != nil {
		return err
	}
	if ti, err = a.load(); err != nil {
		return err
	}
	desc = ti.desc.Clone()
	if uniqueAt >= 0 {
		_, err := a.s.eng.cat.DropIndex(a.tx, name)
		return err
	}
	desc.PrimaryKey, desc.PKName = nil, ""
	return a.rewrite(ti, desc, func(vals []types.Value) ([]types.Value, error) { return vals, nil })
}

// dropKeyDependents handles the foreign keys that rely on a primary key
// or unique constraint being dropped: 2BP01, or with CASCADE they go too.
func (a *alterer) dropKeyDependents(desc *sqlrows.TableDesc, key string, cols []int, cascade bool) error {
	sameSet := func(x []int) bool {
		if len(x) != len(cols) {
			return false
		}
		for _, c := range x {
			if !slices.Contains(cols, c) {
				return false
			}
		}
		return true
	}
	var lines []string
	for _, child := range desc.ReferencedBy {
		cd, err := a.s.eng.cat.Table(a.tx, child)
		if err != nil {
			return err
		}
		var keep []sqlrows.ForeignKeyDesc
		for _, fk := range cd.ForeignKeys {
			if fk.RefTable == a.name && sameSet(fk.RefColumns) {
				lines = append(lines, fmt.Sprintf("constraint %s on table %s", fk.Name, child))
				continue
			}
			keep = append(keep, fk)
		}
		if !cascade || len(keep) == len(cd.ForeignKeys) {
			continue
		}
		cd.ForeignKeys = keep
		if err := a.s.unlinkParent(a.tx, cd, a.name); err != nil {
			return err
		}
		if err := a.s.eng.cat.PutTable(a.tx, cd); err != nil {
			return err
		}
	}
	if len(lines) == 0 {
		return nil
	}
	if !cascade {
		detail := make([]string, len(lines))
		for i, l := range lines {
			detail[i] = l + " depends on index " + key
		}
		return sqlerr.New(codeDependentObjects, "cannot drop constraint %s on table %s because other objects depend on it", key, a.name).
			WithDetail("%s", strings.Join(detail, "\n")).
			WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	a.notices = append(a.notices, cascadeNotices(lines)...)
	return nil
}

// rename runs ALTER TABLE ... RENAME TO / RENAME COLUMN / RENAME
// CONSTRAINT.
func (a *alterer) rename(s *pg_query.RenameStmt) error {
	ti, err := a.load()
	if err != nil {
		return err
	}
	switch s.RenameType {
	case pg_query.ObjectType_OBJECT_TABLE:
		return a.renameTable(ti, s.Newname)
	case pg_query.ObjectType_OBJECT_COLUMN:
		c := ti.colIndex(s.Subname)
		if c < 0 {
			return sqlerr.New(sqlerr.UndefinedColumn, "column %q does not exist", s.Subname)
		}
		if ti.colIndex(s.Newname) >= 0 {
			return sqlerr.New(sqlerr.DuplicateColumn, "column %q of relation %q already exists", s.Newname, a.name)
		}
		desc := ti.desc.Clone()
		desc.Columns[c].Name = s.Newname
		for i, ck := range desc.Checks {
			n, err := parseStoredExpr(ck.Expr)
			if err != nil {
				return err
			}
			renameColumnRefs(n, s.Subname, s.Newname)
			text, err := deparseExpr(n)
			if err != nil {
				return err
			}
			desc.Checks[i].Expr = text
		}
		if err := renameInGenerated(desc, s.Subname, s.Newname); err != nil {
			return err
		}
		if err := a.s.moveOwnedSequences(a.tx, a.name, s.Subname, a.name, s.Newname); err != nil {
			return err
		}
		return a.s.eng.cat.PutTable(a.tx, desc)
	}
	// RENAME CONSTRAINT.
	desc := ti.desc.Clone()
	if constraintNames(desc)[s.Newname] {
		return sqlerr.New(sqlerr.DuplicateObject, "constraint %q for relation %q already exists", s.Newname, a.name)
	}
	for i := range desc.Checks {
		if desc.Checks[i].Name == s.Subname {
			desc.Checks[i].Name = s.Newname
			return a.s.eng.cat.PutTable(a.tx, desc)
		}
	}
	for i := range desc.ForeignKeys {
		if desc.ForeignKeys[i].Name == s.Subname {
			desc.ForeignKeys[i].Name = s.Newname
			return a.s.eng.cat.PutTable(a.tx, desc)
		}
	}
	// A primary key or unique constraint: its index is renamed too.
	rel := func() error {
		if err := a.s.eng.cat.AddIndexName(a.tx, s.Newname, a.name); errors.Is(err, sqlrows.ErrRelationExists) {
			return sqlerr.DuplicateTableErr(s.Newname)
		} else if err != nil {
			return err
		}
		return nil
	}
	if desc.PKName == s.Subname && len(desc.PrimaryKey) > 0 {
		if err := rel(); err != nil {
			return err
		}
		a.s.eng.cat.RemoveIndexName(a.tx, s.Newname) // the primary key has no name entry
		desc.PKName = s.Newname
		return a.s.eng.cat.PutTable(a.tx, desc)
	}
	for i, ix := range desc.Indexes {
		if ix.Name == s.Subname && ix.Unique && (ix.Constraint || isConstraintName(desc, ix)) {
			if err := rel(); err != nil {
				return err
			}
			a.s.eng.cat.RemoveIndexName(a.tx, ix.Name)
			desc.Indexes[i].Name, desc.Indexes[i].Constraint = s.Newname, true
			return a.s.eng.cat.PutTable(a.tx, desc)
		}
	}
	return sqlerr.New(sqlerr.UndefinedObject, "constraint %q for table %q does not exist", s.Subname, a.name)
}

// renameTable renames the table and the references to it.
func (a *alterer) renameTable(ti *tableInfo, newName string) error {
	old := a.name
	desc, err := a.s.eng.cat.RenameTable(a.tx, old, newName)
	if errors.Is(err, sqlrows.ErrRelationExists) {
		return sqlerr.DuplicateTableErr(newName)
	}
	if err != nil {
		return err
	}
	self := false
	for i := range desc.ForeignKeys {
		if desc.ForeignKeys[i].RefTable == old {
			desc.ForeignKeys[i].RefTable, self = newName, true
		}
	}
	if self {
		desc.ReferencedBy = addName(removeName(desc.ReferencedBy, old), newName)
	}
	if err := a.s.eng.cat.PutTable(a.tx, desc); err != nil {
		return err
	}
	for _, child := range desc.ReferencedBy {
		if child == newName {
			continue
		}
		cd, err := a.s.eng.cat.Table(a.tx, child)
		if err != nil {
			return err
		}
		for i := range cd.ForeignKeys {
			if cd.ForeignKeys[i].RefTable == old {
				cd.ForeignKeys[i].RefTable = newName
			}
		}
		if err := a.s.eng.cat.PutTable(a.tx, cd); err != nil {
			return err
		}
	}
	for _, fk := range desc.ForeignKeys {
		if fk.RefTable == newName {
			continue
		}
		pd, err := a.s.eng.cat.Table(a.tx, fk.RefTable)
		if err != nil {
			return err
		}
		pd.ReferencedBy = addName(removeName(pd.ReferencedBy, old), newName)
		if err := a.s.eng.cat.PutTable(a.tx, pd); err != nil {
			return err
		}
	}
	if err := a.s.moveOwnedSequences(a.tx, old, "", newName, ""); err != nil {
		return err
	}
	a.name = newName
	return nil
}

// renameColumnRefs renames column references in an expression tree.
func renameColumnRefs(n *pg_query.Node, old, new string) {
	walkExprTree(n, func(m *pg_query.Node) bool {
		if c, ok := m.Node.(*pg_query.Node_ColumnRef); ok {
			if f := c.ColumnRef.Fields; len(f) > 0 {
				if s := f[len(f)-1].GetString_(); s != nil && s.Sval == old {
					s.Sval = new
				}
			}
		}
		return true
	})
}

// alterActions are PostgreSQL's names of ALTER TABLE subcommands, for
// messages.
var alterActions = map[pg_query.AlterTableType]string{
	pg_query.AlterTableType_AT_AddColumn:       "ADD COLUMN",
	pg_query.AlterTableType_AT_DropColumn:      "DROP COLUMN",
	pg_query.AlterTableType_AT_SetNotNull:      "ALTER COLUMN ... SET NOT NULL",
	pg_query.AlterTableType_AT_DropNotNull:     "ALTER COLUMN ... DROP NOT NULL",
	pg_query.AlterTableType_AT_AlterColumnType: "ALTER COLUMN ... SET DATA TYPE",
	pg_query.AlterTableType_AT_AddConstraint:   "ADD CONSTRAINT",
	pg_query.AlterTableType_AT_DropConstraint:  "DROP CONSTRAINT",
}

// wrongRelationErr is the error for ALTER TABLE on a view or an index.
func wrongRelationErr(p *alterTablePlan, name, kind string) error {
	if p.stmt != nil && len(p.stmt.Cmds) > 0 {
		if cmd := p.stmt.Cmds[0].GetAlterTableCmd(); cmd != nil {
			if action, ok := alterActions[cmd.Subtype]; ok {
				return sqlerr.New(sqlerr.WrongObjectType, "ALTER action %s cannot be performed on relation %q", action, name).
					WithDetail("This operation is not supported for %ss.", kind)
			}
		}
	}
	return sqlerr.New(sqlerr.WrongObjectType, "%q is not a table", name)
}
