package sqlrows

// What a cached SQL plan may depend on: see planner/plancache.go.

import (
	"github.com/aspen-db/aspen/layers/subspace"
	"github.com/aspen-db/aspen/layers/tuple"
)

// IsRelationKey reports whether key is the catalog entry of one table or
// one view by name, or a table's statistics: the entries a statement's
// binding reads, which a plan cache compares to know that the binding
// still holds (a new ANALYZE may choose another join order).
func (c *Catalog) IsRelationKey(key []byte) bool {
	return c.tables.Contains(key) || c.views.Contains(key) || statsSpace.Contains(key)
}

// Prefix returns the prefix of every catalog key (tables, views, index
// names, sequences, roles: all under ("sys", "sql")), for a store's
// layers.PrefixWatch.
func (c *Catalog) Prefix() []byte {
	return subspace.Sub("sys", "sql").Bytes()
}

// TableKey returns the key of the named table's catalog entry.
func (c *Catalog) TableKey(name string) []byte {
	return c.tables.Pack(tuple.Tuple{name})
}

// DecodeTable decodes a table's catalog entry (the value at TableKey),
// as Table does: the result is the caller's to change.
func (c *Catalog) DecodeTable(v []byte) (*TableDesc, error) {
	return c.decodeTable(v)
}
