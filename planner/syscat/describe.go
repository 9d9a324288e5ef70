package syscat

// pg_describe_object: an object's description as PostgreSQL's
// getObjectDescription spells it ("function int4pl(integer,integer)",
// "table t", "column c of table t", "language plpgsql"), and the pg_depend
// rows that make plpgsql's objects members of its extension (psql's \dx+).

import (
	"strconv"
	"strings"
)

// The OIDs of the catalogs pg_describe_object names besides those of
// pgdata.go and snapshot.go.
const (
	pgLanguageOID  = 2612
	pgExtensionOID = 3079
)

// The plpgsql extension's member objects, as PostgreSQL 15's initdb
// creates them.
var plpgsqlMembers = []struct{ classid, objid uint32 }{
	{PgProcOID, 13560}, {PgProcOID, 13561}, {PgProcOID, 13562}, {pgLanguageOID, 13563},
}

// extensionMemberDeps are the pg_depend rows of the extension's members.
func extensionMemberDeps() []rec {
	var out []rec
	for _, m := range plpgsqlMembers {
		out = append(out, rec{"classid": i64(m.classid), "objid": i64(m.objid), "objsubid": int64(0),
			"refclassid": int64(pgExtensionOID), "refobjid": int64(plpgsqlExtensionOID), "refobjsubid": int64(0), "deptype": "e"})
	}
	return out
}

// DescribeObject is pg_describe_object(classid, objid, objsubid); ok is
// false for an object it does not know (NULL).
func (s *Snapshot) DescribeObject(classid, objid uint32, subid int32) (string, bool) {
	ix := s.get()
	switch classid {
	case PgClassOID:
		r := ix.byOID[objid]
		if r == nil {
			return "", false
		}
		kind := map[byte]string{'r': "table", 'v': "view", 'i': "index", 'S': "sequence"}[r.kind]
		if kind == "" {
			kind = "relation"
		}
		name := s.qualifiedRel(r)
		if subid > 0 {
			if int(subid) > len(r.cols) {
				return "", false
			}
			return "column " + r.cols[subid-1].name + " of " + kind + " " + name, true
		}
		return kind + " " + name, true
	case PgProcOID:
		p, ok := procByOID(objid)
		if !ok {
			return "", false
		}
		return "function " + s.formatProcedure(p), true
	case PgTypeOID:
		if ix.typ(objid) == nil {
			return "", false
		}
		return "type " + s.FormatType(objid, NoTypmod), true
	case PgNamespaceOID:
		if n, ok := namespaceName(objid); ok {
			return "schema " + n, true
		}
	case pgLanguageOID:
		for _, l := range pgLanguageRows(s) {
			if l["oid"] == int64(objid) {
				return "language " + l["lanname"].(string), true
			}
		}
	case pgExtensionOID:
		if objid == plpgsqlExtensionOID {
			return "extension plpgsql", true
		}
	case PgConstraintOID:
		for _, r := range pgConstraintRows(s) {
			if r["oid"] == int64(objid) {
				if t := ix.byOID[uint32(r["conrelid"].(int64))]; t != nil {
					return "constraint " + r["conname"].(string) + " on table " + s.qualifiedRel(t), true
				}
			}
		}
	case PgAttrdefOID:
		for _, r := range ix.rels {
			for _, c := range r.cols {
				if c.defOID == objid && objid != 0 {
					return "default value for column " + c.name + " of table " + s.qualifiedRel(r), true
				}
			}
		}
	}
	return "", false
}

// qualifiedRel names a relation, schema-qualified when it is not visible
// on the search path.
func (s *Snapshot) qualifiedRel(r *relation) string {
	if vis, _ := s.TableIsVisible(r.oid); vis {
		return QuoteIdent(r.name)
	}
	n, _ := namespaceName(r.nsp)
	return QuoteIdent(n) + "." + QuoteIdent(r.name)
}

// formatProcedure is format_procedure: the name and the argument types,
// comma-separated without spaces.
func (s *Snapshot) formatProcedure(p *procInfo) string {
	var args []string
	for _, a := range strings.Fields(p.argtypes) {
		n, err := strconv.ParseUint(a, 10, 32)
		if err != nil {
			continue
		}
		args = append(args, s.FormatType(uint32(n), NoTypmod))
	}
	return QuoteIdent(p.name) + "(" + strings.Join(args, ",") + ")"
}
