package syscat

import "hash/fnv"

// HashedRelationOID returns the OID a view or sequence without a store id
// gets (see the package documentation): 2^31 plus the 31-bit FNV-1a hash
// of its name. Only when two such names collide does the catalog move one
// of them to the next free value.
func HashedRelationOID(name string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(name))
	return hashedOIDStart | h.Sum32()&(hashedOIDStart-1)
}

// ViewDefPretty is pg_get_viewdef(oid, pretty); ok is false when the OID
// is not a view.
func (s *Snapshot) ViewDefPretty(oid uint32, pretty bool) (string, bool) {
	r := s.relByOID(oid)
	if r == nil || r.view == nil {
		return "", false
	}
	if pretty && r.view.PrettyDefinition != "" {
		return r.view.PrettyDefinition, true
	}
	return r.view.Definition, true
}

// ViewDefByNamePretty is pg_get_viewdef(name, pretty).
func (s *Snapshot) ViewDefByNamePretty(name string, pretty bool) (string, bool) {
	oid, ok := s.RegclassIn(name)
	if !ok {
		return "", false
	}
	return s.ViewDefPretty(oid, pretty)
}
