package syscat

// The information_schema views.

import (
	"fmt"
	"strconv"
)

// visibleRels returns the tables and views information_schema lists: every
// relation of the given kinds, system ones included, as PostgreSQL lists
// them to a superuser.
func (ix *index) visibleRels(kinds string) []*relation {
	var out []*relation
	for _, r := range ix.rels {
		for i := 0; i < len(kinds); i++ {
			if r.kind == kinds[i] {
				out = append(out, r)
			}
		}
	}
	return out
}

func isTablesRows(s *Snapshot) []rec {
	var out []rec
	for _, r := range s.get().visibleRels("rv") {
		nsp, _ := namespaceName(r.nsp)
		typ := "BASE TABLE"
		insertable := "YES"
		if r.kind == 'v' {
			typ = "VIEW"
			if r.sys != nil {
				insertable = "NO"
			}
		}
		out = append(out, rec{"table_catalog": s.Database, "table_schema": nsp, "table_name": r.name,
			"table_type": typ, "is_insertable_into": insertable, "is_typed": "NO"})
	}
	return out
}

// dataType is information_schema's data_type of a type OID.
func (s *Snapshot) dataType(oid uint32) string {
	t := s.get().typ(oid)
	switch {
	case t == nil:
		return "USER-DEFINED"
	case t.category == 'A' && t.elem != 0:
		if e := s.get().typ(t.elem); e != nil && e.array == oid {
			return "ARRAY"
		}
	case t.nsp != PgCatalogNamespace || t.typtype != 'b' && t.typtype != 'p':
		return "USER-DEFINED"
	}
	return s.FormatType(oid, NoTypmod)
}

func isColumnsRows(s *Snapshot) []rec {
	ix := s.get()
	var out []rec
	for _, r := range ix.visibleRels("rv") {
		nsp, _ := namespaceName(r.nsp)
		for i, c := range r.cols {
			row := rec{
				"table_catalog": s.Database, "table_schema": nsp, "table_name": r.name, "column_name": c.name,
				"ordinal_position": int64(i + 1), "is_nullable": yesNo(!c.notNull), "data_type": s.dataType(c.typ),
				"udt_catalog": s.Database, "udt_schema": "pg_catalog", "dtd_identifier": strconv.Itoa(i + 1),
				"is_self_referencing": "NO", "is_identity": "NO", "identity_cycle": "NO", "is_generated": "NEVER",
				"is_updatable": "YES",
			}
			if r.sys != nil {
				row["is_updatable"] = "NO"
			}
			switch c.ident {
			case "a":
				row["is_identity"], row["identity_generation"] = "YES", "ALWAYS"
			case "d":
				row["is_identity"], row["identity_generation"] = "YES", "BY DEFAULT"
			}
			if c.gen != "" {
				row["is_generated"], row["generation_expression"] = "ALWAYS", c.genExpr
			} else if c.def != "" {
				row["column_default"] = c.def
			}
			if t := ix.typ(c.typ); t != nil {
				row["udt_name"] = t.name
				if n, ok := namespaceName(t.nsp); ok {
					row["udt_schema"] = n
				}
			}
			for k, v := range columnTypeFacts(c.typ, c.mod) {
				row[k] = v
			}
			out = append(out, row)
		}
	}
	return out
}

// columnTypeFacts are the length, precision and scale columns of
// information_schema.columns for a type and modifier.
func columnTypeFacts(oid uint32, mod int32) rec {
	r := rec{}
	switch oid {
	case oidVarchar, oidBPChar, oidText:
		if mod >= 4 && oid != oidText {
			r["character_maximum_length"] = int64(mod - 4)
			r["character_octet_length"] = int64(mod-4) * 4
		} else if oid == oidBPChar && mod < 0 {
			r["character_octet_length"] = int64(1073741824)
		} else {
			r["character_octet_length"] = int64(1073741824)
		}
	case oidInt2, oidInt4, oidInt8:
		r["numeric_precision"] = map[uint32]int64{oidInt2: 16, oidInt4: 32, oidInt8: 64}[oid]
		r["numeric_precision_radix"] = int64(2)
		r["numeric_scale"] = int64(0)
	case oidFloat4, oidFloat8:
		r["numeric_precision"] = map[uint32]int64{oidFloat4: 24, oidFloat8: 53}[oid]
		r["numeric_precision_radix"] = int64(2)
	case oidNumeric:
		r["numeric_precision_radix"] = int64(10)
		if mod >= 4 {
			m := mod - 4
			r["numeric_precision"] = int64((m >> 16) & 0xffff)
			r["numeric_scale"] = int64(((m & 0x7ff) ^ 1024) - 1024)
		}
	case oidDate:
		r["datetime_precision"] = int64(0)
	case oidTime, oidTimeTZ, oidTimestamp, oidTimestampTZ:
		p := int64(6)
		if mod >= 0 {
			p = int64(mod)
		}
		r["datetime_precision"] = p
	case oidInterval:
		p := int64(6)
		if mod >= 0 && mod&0xffff != 0xffff {
			p = int64(mod & 0xffff)
		}
		r["datetime_precision"] = p
	}
	return r
}

func isSchemataRows(s *Snapshot) []rec {
	var out []rec
	for _, n := range namespaces {
		out = append(out, rec{"catalog_name": s.Database, "schema_name": n.name, "schema_owner": s.UserByID(n.owner)})
	}
	return out
}

func isSequencesRows(s *Snapshot) []rec {
	var out []rec
	for _, r := range s.get().userRels("S") {
		q := r.seq
		t := seqType(q)
		out = append(out, rec{
			"sequence_catalog": s.Database, "sequence_schema": "public", "sequence_name": r.name,
			"data_type":         s.FormatType(t, -1),
			"numeric_precision": map[uint32]int64{oidInt2: 16, oidInt4: 32, oidInt8: 64}[t], "numeric_precision_radix": int64(2),
			"numeric_scale": int64(0), "start_value": strconv.FormatInt(q.Start, 10),
			"minimum_value": strconv.FormatInt(q.Min, 10), "maximum_value": strconv.FormatInt(q.Max, 10),
			"increment": strconv.FormatInt(q.Increment, 10), "cycle_option": yesNo(q.Cycle),
		})
	}
	return out
}

// constraints returns the user relations' key constraints (their
// indexes), ordered by table and constraint name.
func (ix *index) constraints() []*relation {
	var out []*relation
	for _, r := range ix.userRels("i") {
		if r.conOID != 0 {
			out = append(out, r)
		}
	}
	return out
}

func isKeyColumnUsageRows(s *Snapshot) []rec {
	out := s.isFKColumnUsageRows()
	for _, r := range s.get().constraints() {
		for i, c := range r.cols {
			out = append(out, rec{
				"constraint_catalog": s.Database, "constraint_schema": "public", "constraint_name": r.name,
				"table_catalog": s.Database, "table_schema": "public", "table_name": r.indrel.name,
				"column_name": c.name, "ordinal_position": int64(i + 1),
			})
		}
	}
	return out
}

func isConstraintColumnUsageRows(s *Snapshot) []rec {
	var out []rec
	for _, r := range s.get().constraints() {
		for _, c := range r.cols {
			out = append(out, rec{
				"table_catalog": s.Database, "table_schema": "public", "table_name": r.indrel.name, "column_name": c.name,
				"constraint_catalog": s.Database, "constraint_schema": "public", "constraint_name": r.name,
			})
		}
	}
	return out
}

// notNullName is the name information_schema gives a NOT NULL column's
// implicit CHECK constraint.
func notNullName(r *relation, attnum int) string {
	return fmt.Sprintf("%d_%d_%d_not_null", r.nsp, r.oid, attnum)
}

func isTableConstraintsRows(s *Snapshot) []rec {
	ix := s.get()
	var out []rec
	base := func(name, table, typ string) rec {
		return rec{"constraint_catalog": s.Database, "constraint_schema": "public", "constraint_name": name,
			"table_catalog": s.Database, "table_schema": "public", "table_name": table, "constraint_type": typ,
			"is_deferrable": "NO", "initially_deferred": "NO", "enforced": "YES"}
	}
	for _, r := range ix.constraints() {
		typ := "UNIQUE"
		if r.conType == 'p' {
			typ = "PRIMARY KEY"
		}
		row := base(r.name, r.indrel.name, typ)
		row["nulls_distinct"] = "YES"
		if r.conType == 'p' {
			row["nulls_distinct"] = nil
		}
		out = append(out, row)
	}
	out = append(out, s.isTableConstraintRows()...)
	for _, r := range ix.userRels("r") {
		for i, c := range r.cols {
			if c.notNull {
				out = append(out, base(notNullName(r, i+1), r.name, "CHECK"))
			}
		}
	}
	return out
}

func isCheckConstraintsRows(s *Snapshot) []rec {
	out := s.isCheckConstraintRows()
	for _, r := range s.get().userRels("r") {
		for i, c := range r.cols {
			if c.notNull {
				out = append(out, rec{"constraint_catalog": s.Database, "constraint_schema": "public",
					"constraint_name": notNullName(r, i+1), "check_clause": QuoteIdent(c.name) + " IS NOT NULL"})
			}
		}
	}
	return out
}

func isViewsRows(s *Snapshot) []rec {
	var out []rec
	for _, r := range s.get().userRels("v") {
		out = append(out, rec{"table_catalog": s.Database, "table_schema": "public", "table_name": r.name,
			"view_definition": r.view.Definition, "check_option": "NONE", "is_updatable": "YES",
			"is_insertable_into": "YES", "is_trigger_updatable": "NO", "is_trigger_deletable": "NO",
			"is_trigger_insertable_into": "NO"})
	}
	return out
}
