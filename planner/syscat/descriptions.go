package syscat

// pg_description: the comments on built-in objects that clients show
// (psql's \dx lists the plpgsql extension with its comment, \dn+ the
// schemas'), and the schemas' access privileges (nspacl).

// pgExtensionClassOID is pg_extension's own OID, the classoid of comments
// on extensions.
const pgExtensionClassOID = 3079

// pgNamespaceClassOID is pg_namespace's own OID, the classoid of
// comments on schemas.
const pgNamespaceClassOID = 2615

// namespaceComments are initdb's comments on the schemas.
var namespaceComments = map[uint32]string{
	PgCatalogNamespace: "system catalog schema",
	PgToastNamespace:   "reserved schema for TOAST tables",
	PublicNamespace:    "standard public schema",
}

func pgDescriptionRows(s *Snapshot) []rec {
	return append(localDescriptionRows(s), builtinDescriptionRows()...)
}

// localDescriptionRows are the comments on the plpgsql extension and the
// schemas.
func localDescriptionRows(*Snapshot) []rec {
	out := []rec{{
		"objoid": int64(plpgsqlExtensionOID), "classoid": int64(pgExtensionClassOID), "objsubid": int64(0),
		"description": "PL/pgSQL procedural language",
	}}
	for _, n := range namespaces {
		if c, ok := namespaceComments[n.oid]; ok {
			out = append(out, rec{"objoid": int64(n.oid), "classoid": int64(pgNamespaceClassOID), "objsubid": int64(0), "description": c})
		}
	}
	return out
}

// namespaceACL is a schema's nspacl as initdb sets it: its owner has
// USAGE and CREATE, everyone USAGE (pg_toast has none: NULL).
func (s *Snapshot) namespaceACL(oid, owner uint32) any {
	if oid == PgToastNamespace {
		return nil
	}
	o := s.roleName(owner)
	if owner == DatabaseOwnerRoleOID {
		o = "pg_database_owner"
	}
	return []string{o + "=UC/" + o, "=U/" + o}
}

// ObjDescription is obj_description(oid, catalog): the comment on an
// object of the system catalog named catalog (any catalog when empty);
// ok is false when there is none.
func (s *Snapshot) ObjDescription(oid uint32, catalog string) (string, bool) {
	var class int64 = -1
	if catalog != "" {
		t, found := Lookup("pg_catalog", catalog)
		if !found {
			return "", false
		}
		class = int64(t.OID)
	}
	if d, ok := builtinDescription(oid, uint32(max(class, 0))); ok {
		return d, true
	}
	for _, r := range localDescriptionRows(s) {
		if r["objoid"] == int64(oid) && r["objsubid"] == int64(0) && (class < 0 || r["classoid"] == class) {
			d, _ := r["description"].(string)
			return d, true
		}
	}
	return "", false
}
