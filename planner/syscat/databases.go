package syscat

// The comments on initdb's databases (pg_shdescription, shared by all
// databases), which psql's \l+ shows.

// pgDatabaseClass is pg_database's OID, the classoid of a database's
// comment.
const pgDatabaseClass = 1262

// standardDatabaseComments are initdb's comments on its databases, by
// database OID.
var standardDatabaseComments = map[uint32]string{
	1: "default template for new databases",
	4: "unmodifiable empty database",
	5: "default administrative connection database",
}

// ShobjDescription is shobj_description(oid, catalog): the comment on a
// shared object; ok is false for none (NULL). Only initdb's databases
// have comments.
func (s *Snapshot) ShobjDescription(oid uint32, catalog string) (string, bool) {
	if catalog != "pg_database" {
		return "", false
	}
	for _, d := range s.get().dbs {
		if d.OID == oid {
			c, ok := standardDatabaseComments[oid]
			return c, ok
		}
	}
	return "", false
}

func pgShdescriptionRows(s *Snapshot) []rec {
	var out []rec
	for _, d := range s.get().dbs {
		if c, ok := standardDatabaseComments[d.OID]; ok {
			out = append(out, rec{"objoid": i64(d.OID), "classoid": int64(pgDatabaseClass), "description": c})
		}
	}
	return out
}
