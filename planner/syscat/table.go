package syscat

// System table declarations: the Table type and the registry.

// Table declares one system table or view.
type Table struct {
	// Schema is pg_catalog or information_schema.
	Schema string
	// Name is the table's name.
	Name string
	// OID, RowType and ArrayType are PostgreSQL 15's OIDs of the
	// relation, its row type and that type's array.
	OID, RowType, ArrayType uint32
	// View reports whether PostgreSQL implements the table as a view
	// (pg_class.relkind 'v'); Aspen computes both kinds the same way.
	View bool
	// Columns are PostgreSQL 15's columns, in order.
	Columns []Column
	// rows produces the rows as records keyed by column name; missing
	// columns are NULL.
	rows func(s *Snapshot) []rec
}

// Column is a column of a system table.
type Column struct {
	Name    string
	Type    uint32 // PostgreSQL type OID
	TypeMod int32
}

// rec is a row under construction, by column name.
type rec map[string]any

// Rows returns the table's rows over the snapshot, each value in column
// order (see the package documentation for the Go types).
func (t *Table) Rows(s *Snapshot) [][]any {
	recs := t.rows(s)
	out := make([][]any, len(recs))
	for i, r := range recs {
		row := make([]any, len(t.Columns))
		for j, c := range t.Columns {
			row[j] = r[c.Name]
		}
		out[i] = row
	}
	return out
}

// Column returns the position of the named column, or -1.
func (t *Table) Column(name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

func (t *Table) namespace() uint32 {
	if t.Schema == "information_schema" {
		return InformationSchemaNamespace
	}
	return PgCatalogNamespace
}

func (t *Table) kind() byte {
	if t.View {
		return 'v'
	}
	return 'r'
}

// Lookup returns the declaration of a system table. An empty schema
// searches pg_catalog only (information_schema is not on the search
// path). Names are matched exactly (the parser folds unquoted names).
func Lookup(schema, name string) (*Table, bool) {
	if schema == "" {
		schema = "pg_catalog"
	}
	for _, t := range declared {
		if t.Schema == schema && t.Name == name {
			return t, true
		}
	}
	return nil, false
}

// Tables returns every declaration, pg_catalog's first, by name.
func Tables() []*Table { return append([]*Table(nil), declared...) }

// IsSystemSchema reports whether a schema name is one of the system
// schemas whose tables this package declares.
func IsSystemSchema(name string) bool {
	return name == "pg_catalog" || name == "information_schema"
}

// yesNo renders a bool as information_schema's YES/NO.
func yesNo(b bool) string {
	if b {
		return "YES"
	}
	return "NO"
}

// i64 converts OIDs and small integers to the row representation.
func i64[T ~int | ~int16 | ~int32 | ~uint32 | ~int64](v T) int64 { return int64(v) }

// char renders a "char" value.
func char(b byte) string {
	if b == 0 {
		return ""
	}
	return string(rune(b))
}
