package syscat

// CHECK and FOREIGN KEY constraints of user tables: their pg_constraint
// rows and pg_get_constraintdef text.

import (
	"strings"
)

// UserCheck is a CHECK constraint of a table.
type UserCheck struct {
	Name string
	// Def is the expression as pg_get_constraintdef prints it, without
	// the CHECK keyword: "((a > 0))".
	Def string
	// Pretty is Def as pg_get_constraintdef(oid, true) prints it; empty
	// means Def.
	Pretty string
	// Columns are the positions (0-based) of the columns it references.
	Columns []int
	// NotValid marks a constraint added NOT VALID and not validated.
	NotValid bool
}

// UserForeignKey is a FOREIGN KEY constraint of a table.
type UserForeignKey struct {
	Name       string
	Columns    []int // referencing column positions, 0-based
	RefTable   string
	RefColumns []int // referenced column positions, 0-based
	// OnUpdate, OnDelete and Match are pg_constraint's codes: a, r, c,
	// n, d and s, f.
	OnUpdate, OnDelete, Match byte
	// NotValid: see UserCheck.
	NotValid bool
	// Deferrable and InitiallyDeferred: DEFERRABLE, INITIALLY DEFERRED.
	Deferrable, InitiallyDeferred bool
}

// conKind is a CHECK or FOREIGN KEY constraint with its OID.
type conKind struct {
	oid   uint32
	table *relation
	check *UserCheck
	fk    *UserForeignKey
}

// tableConstraints returns the CHECK and FOREIGN KEY constraints of the
// user tables. Their OIDs count down from the top of the table's
// attribute-default range, which only a table of nearly 2048 columns
// fills.
func (ix *index) tableConstraints() []conKind {
	var out []conKind
	for _, r := range ix.rels {
		t := r.table
		if t == nil || r.kind != 'r' {
			continue
		}
		k := 0
		next := func() (uint32, bool) {
			if offAttrdef+len(t.Columns)+k >= 4095 {
				return 0, false
			}
			oid := r.oid + 4095 - uint32(k)
			k++
			return oid, true
		}
		for i := range t.Checks {
			if oid, ok := next(); ok {
				out = append(out, conKind{oid: oid, table: r, check: &t.Checks[i]})
			}
		}
		for i := range t.ForeignKeys {
			if oid, ok := next(); ok {
				out = append(out, conKind{oid: oid, table: r, fk: &t.ForeignKeys[i]})
			}
		}
	}
	return out
}

// fkIndex returns the OID of the referenced table's index that backs a
// foreign key (its primary key or a unique index on the referenced
// columns), or 0.
func (ix *index) fkIndex(parent *relation, fk *UserForeignKey) uint32 {
	for _, c := range parent.children {
		if !c.unique || len(c.indkey) != len(fk.RefColumns) {
			continue
		}
		ok := true
		for _, k := range c.indkey {
			if !containsInt(fk.RefColumns, int(k-1)) {
				ok = false
			}
		}
		if ok {
			return c.oid
		}
	}
	return 0
}

// constraintRows returns the pg_constraint rows of CHECK and FOREIGN
// KEY constraints.
func (ix *index) constraintRows() []rec {
	var out []rec
	for _, c := range ix.tableConstraints() {
		row := rec{
			"oid": i64(c.oid), "connamespace": i64(c.table.nsp), "condeferrable": false, "condeferred": false,
			"convalidated": true, "conrelid": i64(c.table.oid), "contypid": int64(0), "conparentid": int64(0),
			"conislocal": true, "coninhcount": int64(0),
		}
		if c.check != nil {
			row["conname"], row["contype"] = c.check.Name, char('c')
			row["conindid"], row["confrelid"] = int64(0), int64(0)
			row["confupdtype"], row["confdeltype"], row["confmatchtype"] = " ", " ", " "
			row["connoinherit"] = false
			row["conkey"] = attnums(c.check.Columns)
			row["conbin"] = c.check.Def
			row["convalidated"] = !c.check.NotValid
		} else {
			fk := c.fk
			parent := ix.lookup("public", fk.RefTable)
			row["conname"], row["contype"] = fk.Name, char('f')
			row["conindid"], row["confrelid"] = int64(0), int64(0)
			if parent != nil {
				row["conindid"], row["confrelid"] = i64(ix.fkIndex(parent, fk)), i64(parent.oid)
			}
			row["confupdtype"], row["confdeltype"], row["confmatchtype"] = char(fk.OnUpdate), char(fk.OnDelete), char(fk.Match)
			row["connoinherit"] = true
			row["conkey"], row["confkey"] = attnums(fk.Columns), attnums(fk.RefColumns)
			row["convalidated"] = !fk.NotValid
			row["condeferrable"], row["condeferred"] = fk.Deferrable, fk.InitiallyDeferred
		}
		out = append(out, row)
	}
	return out
}

// tableConstraintDef is pg_get_constraintdef of a CHECK or FOREIGN KEY
// constraint.
func (ix *index) tableConstraintDef(oid uint32, pretty bool) (string, bool) {
	for _, c := range ix.tableConstraints() {
		if c.oid != oid {
			continue
		}
		if c.check != nil {
			def := c.check.Def
			if pretty && c.check.Pretty != "" {
				def = c.check.Pretty
			}
			if c.check.NotValid {
				def += " NOT VALID"
			}
			return "CHECK " + def, true
		}
		fk := c.fk
		var sb strings.Builder
		sb.WriteString("FOREIGN KEY (")
		sb.WriteString(colNames(c.table, fk.Columns))
		sb.WriteString(") REFERENCES ")
		sb.WriteString(QuoteIdent(fk.RefTable))
		sb.WriteString("(")
		if parent := ix.lookup("public", fk.RefTable); parent != nil {
			sb.WriteString(colNames(parent, fk.RefColumns))
		}
		sb.WriteString(")")
		if fk.Match == 'f' {
			sb.WriteString(" MATCH FULL")
		}
		if a := actionName(fk.OnUpdate); a != "" {
			sb.WriteString(" ON UPDATE " + a)
		}
		if a := actionName(fk.OnDelete); a != "" {
			sb.WriteString(" ON DELETE " + a)
		}
		if fk.Deferrable {
			sb.WriteString(" DEFERRABLE")
		}
		if fk.InitiallyDeferred {
			sb.WriteString(" INITIALLY DEFERRED")
		}
		if fk.NotValid {
			sb.WriteString(" NOT VALID")
		}
		return sb.String(), true
	}
	return "", false
}

// colNames lists a relation's columns, quoted as needed.
func colNames(r *relation, cols []int) string {
	names := make([]string, 0, len(cols))
	for _, c := range cols {
		if c >= 0 && c < len(r.cols) {
			names = append(names, QuoteIdent(r.cols[c].name))
		}
	}
	return strings.Join(names, ", ")
}

// actionName spells a referential action; "" for NO ACTION.
func actionName(a byte) string {
	switch a {
	case 'r':
		return "RESTRICT"
	case 'c':
		return "CASCADE"
	case 'n':
		return "SET NULL"
	case 'd':
		return "SET DEFAULT"
	}
	return ""
}

// relChecks is pg_class.relchecks: the number of CHECK constraints.
func relChecks(r *relation) int64 {
	if r.table == nil {
		return 0
	}
	return int64(len(r.table.Checks))
}

// hasRITriggers is pg_class.relhastriggers for a table: PostgreSQL
// enforces foreign keys with triggers on both the referencing and the
// referenced table.
func (ix *index) hasRITriggers(r *relation) bool {
	if r.table == nil {
		return false
	}
	if len(r.table.ForeignKeys) > 0 {
		return true
	}
	for _, o := range ix.rels {
		if o.table == nil {
			continue
		}
		for _, fk := range o.table.ForeignKeys {
			if fk.RefTable == r.name {
				return true
			}
		}
	}
	return false
}

// ConstraintDefPretty is pg_get_constraintdef(oid, pretty).
func (s *Snapshot) ConstraintDefPretty(oid uint32, pretty bool) (string, bool) {
	if d, ok := s.ConstraintDef(oid); ok && !strings.HasPrefix(d, "CHECK ") {
		return d, true
	}
	return s.get().tableConstraintDef(oid, pretty)
}

// ruleNames are information_schema's names of referential actions.
var ruleNames = map[byte]string{'a': "NO ACTION", 'r': "RESTRICT", 'c': "CASCADE", 'n': "SET NULL", 'd': "SET DEFAULT"}

// isTableConstraintRows are information_schema.table_constraints rows of
// CHECK and FOREIGN KEY constraints.
func (s *Snapshot) isTableConstraintRows() []rec {
	var out []rec
	for _, c := range s.get().tableConstraints() {
		name, typ := "", "CHECK"
		deferrable, deferred := false, false
		if c.check != nil {
			name = c.check.Name
		} else {
			name, typ = c.fk.Name, "FOREIGN KEY"
			deferrable, deferred = c.fk.Deferrable, c.fk.InitiallyDeferred
		}
		out = append(out, rec{"constraint_catalog": s.Database, "constraint_schema": "public", "constraint_name": name,
			"table_catalog": s.Database, "table_schema": "public", "table_name": c.table.name, "constraint_type": typ,
			"is_deferrable": yesNo(deferrable), "initially_deferred": yesNo(deferred), "enforced": "YES"})
	}
	return out
}

// isCheckConstraintRows are information_schema.check_constraints rows of
// CHECK constraints: the clause as pg_get_constraintdef prints it after
// "CHECK ".
func (s *Snapshot) isCheckConstraintRows() []rec {
	var out []rec
	for _, c := range s.get().tableConstraints() {
		if c.check != nil {
			out = append(out, rec{"constraint_catalog": s.Database, "constraint_schema": "public",
				"constraint_name": c.check.Name, "check_clause": c.check.Def})
		}
	}
	return out
}

// isReferentialConstraintsRows is information_schema.referential_constraints.
func isReferentialConstraintsRows(s *Snapshot) []rec {
	ix := s.get()
	var out []rec
	for _, c := range ix.tableConstraints() {
		if c.fk == nil {
			continue
		}
		var unique any
		if parent := ix.lookup("public", c.fk.RefTable); parent != nil {
			if oid := ix.fkIndex(parent, c.fk); oid != 0 {
				unique = ix.byOID[oid].name
			}
		}
		match := "NONE"
		if c.fk.Match == 'f' {
			match = "FULL"
		}
		out = append(out, rec{"constraint_catalog": s.Database, "constraint_schema": "public", "constraint_name": c.fk.Name,
			"unique_constraint_catalog": s.Database, "unique_constraint_schema": "public", "unique_constraint_name": unique,
			"match_option": match, "update_rule": ruleNames[c.fk.OnUpdate], "delete_rule": ruleNames[c.fk.OnDelete]})
	}
	return out
}

// isFKColumnUsageRows are information_schema.key_column_usage rows of
// FOREIGN KEY constraints.
func (s *Snapshot) isFKColumnUsageRows() []rec {
	ix := s.get()
	var out []rec
	for _, c := range ix.tableConstraints() {
		if c.fk == nil {
			continue
		}
		var key []int64
		if parent := ix.lookup("public", c.fk.RefTable); parent != nil {
			if oid := ix.fkIndex(parent, c.fk); oid != 0 {
				key = ix.byOID[oid].indkey
			}
		}
		for i, col := range c.fk.Columns {
			if col < 0 || col >= len(c.table.cols) {
				continue
			}
			row := rec{"constraint_catalog": s.Database, "constraint_schema": "public", "constraint_name": c.fk.Name,
				"table_catalog": s.Database, "table_schema": "public", "table_name": c.table.name,
				"column_name": c.table.cols[col].name, "ordinal_position": int64(i + 1)}
			for j, k := range key {
				if int(k-1) == c.fk.RefColumns[i] {
					row["position_in_unique_constraint"] = int64(j + 1)
				}
			}
			out = append(out, row)
		}
	}
	return out
}

// defaultSequence returns the sequence a column default's
// nextval('name'::regclass) names, or nil.
func (ix *index) defaultSequence(def string) *relation {
	const call = "nextval('"
	i := strings.Index(def, call)
	if i < 0 {
		return nil
	}
	rest := def[i+len(call):]
	j := strings.Index(rest, "'::regclass)")
	if j < 0 {
		return nil
	}
	name := strings.ReplaceAll(rest[:j], "''", "'")
	if len(name) > 1 && name[0] == '"' && name[len(name)-1] == '"' {
		name = strings.ReplaceAll(name[1:len(name)-1], `""`, `"`)
	}
	if r := ix.byName[nameKey{PublicNamespace, name}]; r != nil && r.kind == 'S' {
		return r
	}
	return nil
}
