// Package sqlrows stores relational tables on ordered keys, FoundationDB
// style, together with the catalog that describes them.
//
// Key layout (tuple-encoded):
//
//	("sys", "sql", "t", name)            -> table descriptor (JSON)
//	("sys", "sql", "next_table_id")      -> last table id handed out
//	("sql", tableID, "r", pk...)         -> row: the tuple of column values
//	("sql", tableID, "i", indexID, ...)  -> index entries (layers/index)
//
// Every read and write goes through the caller's transaction, so that DDL
// is transactional and replicated like any other write, and two sessions
// that create the same table conflict. The package knows nothing of SQL
// types: a column's type is an opaque OID and modifier, a row is a tuple of
// elements the caller chose, and the caller supplies the function that turns
// column values into key elements (KeyFunc).
package sqlrows

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/subspace"
	"github.com/aspen-db/aspen/layers/tuple"
)

// ErrTableNotFound is wrapped by errors about a table that does not exist.
var ErrTableNotFound = errors.New("table not found")

// ErrTableExists is wrapped by the error CreateTable returns when the name
// is taken.
var ErrTableExists = errors.New("table already exists")

// TableDesc describes a table. It is stored as JSON in the catalog.
type TableDesc struct {
	ID      int64        `json:"id"`
	Name    string       `json:"name"`
	Columns []ColumnDesc `json:"columns"`
	// PrimaryKey lists the positions of the primary key's columns. When it
	// is empty the table has a hidden row id: the caller chooses a unique
	// int64 per row and uses it as the one-element key.
	PrimaryKey []int `json:"primary_key,omitempty"`
	// PKName is the primary key constraint's name (t_pkey).
	PKName  string      `json:"pk_name,omitempty"`
	Indexes []IndexDesc `json:"indexes,omitempty"`
	// NextIndexID is the id the next index of this table will get.
	NextIndexID int64 `json:"next_index_id"`
}

// ColumnDesc describes a column.
type ColumnDesc struct {
	Name    string `json:"name"`
	TypeOID uint32 `json:"type_oid"`
	TypeMod int32  `json:"type_mod"`
	NotNull bool   `json:"not_null,omitempty"`
	// Default is the SQL text of the column's default expression, empty
	// for none (NULL).
	Default string `json:"default,omitempty"`
}

// IndexDesc describes a secondary index.
type IndexDesc struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Columns []int  `json:"columns"`
	Unique  bool   `json:"unique"`
}

// Catalog reads and writes table descriptors.
type Catalog struct {
	tables subspace.Subspace
	nextID []byte
	data   subspace.Subspace
}

// NewCatalog returns the catalog at the standard key layout.
func NewCatalog() *Catalog {
	sys := subspace.Sub("sys", "sql")
	return &Catalog{
		tables: sys.Sub("t"),
		nextID: sys.Pack(tuple.Tuple{"next_table_id"}),
		data:   subspace.Sub("sql"),
	}
}

// Table returns the descriptor of the named table, or an error wrapping
// ErrTableNotFound.
func (c *Catalog) Table(r layers.Reader, name string) (*TableDesc, error) {
	v, err := r.Get(c.tables.Pack(tuple.Tuple{name}))
	if errors.Is(err, layers.ErrNotFound) {
		return nil, fmt.Errorf("table %q: %w", name, ErrTableNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read catalog entry of %q: %w", name, err)
	}
	var d TableDesc
	if err := json.Unmarshal(v, &d); err != nil {
		return nil, fmt.Errorf("decode catalog entry of %q: %w", name, err)
	}
	return &d, nil
}

// Tables returns every table's descriptor, ordered by name.
func (c *Catalog) Tables(r layers.Reader) ([]*TableDesc, error) {
	begin, end := c.tables.Range()
	it := r.Scan(begin, end, false)
	defer it.Close()
	var out []*TableDesc
	for it.Next() {
		var d TableDesc
		if err := json.Unmarshal(it.Value(), &d); err != nil {
			return nil, fmt.Errorf("decode catalog entry: %w", err)
		}
		out = append(out, &d)
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("scan catalog: %w", err)
	}
	return out, nil
}

// CreateTable stores a new table, giving it the next table id (set in
// desc.ID) and ids to its indexes. It returns an error wrapping
// ErrTableExists if the name is taken.
func (c *Catalog) CreateTable(tx layers.Txn, desc *TableDesc) error {
	key := c.tables.Pack(tuple.Tuple{desc.Name})
	_, err := tx.Get(key)
	switch {
	case err == nil:
		return fmt.Errorf("table %q: %w", desc.Name, ErrTableExists)
	case !errors.Is(err, layers.ErrNotFound):
		return fmt.Errorf("read catalog entry of %q: %w", desc.Name, err)
	}
	var last int64
	v, err := tx.Get(c.nextID)
	switch {
	case err == nil:
		t, err := tuple.Unpack(v)
		if err != nil || len(t) != 1 {
			return fmt.Errorf("corrupt table id counter %x", v)
		}
		n, ok := t[0].(int64)
		if !ok {
			return fmt.Errorf("corrupt table id counter %v", t)
		}
		last = n
	case !errors.Is(err, layers.ErrNotFound):
		return fmt.Errorf("read table id counter: %w", err)
	}
	desc.ID = last + 1
	tx.Set(c.nextID, tuple.Tuple{desc.ID}.Pack())
	for i := range desc.Indexes {
		desc.NextIndexID++
		desc.Indexes[i].ID = desc.NextIndexID
	}
	if err := c.put(tx, desc); err != nil {
		return err
	}
	// A table id is never reused, but clear its range anyway in case a
	// counter was reset by hand.
	begin, end := c.data.Sub(desc.ID).Range()
	tx.DeleteRange(begin, end)
	return nil
}

// put writes desc under its name.
func (c *Catalog) put(tx layers.Txn, desc *TableDesc) error {
	b, err := json.Marshal(desc)
	if err != nil {
		return fmt.Errorf("encode catalog entry of %q: %w", desc.Name, err)
	}
	tx.Set(c.tables.Pack(tuple.Tuple{desc.Name}), b)
	return nil
}

// DropTable removes the named table's descriptor, rows and indexes. It
// returns an error wrapping ErrTableNotFound if there is no such table.
func (c *Catalog) DropTable(tx layers.Txn, name string) error {
	desc, err := c.Table(tx, name)
	if err != nil {
		return err
	}
	tx.Delete(c.tables.Pack(tuple.Tuple{name}))
	begin, end := c.data.Sub(desc.ID).Range()
	tx.DeleteRange(begin, end)
	return nil
}

// Truncate removes every row and index entry of the table desc describes,
// keeping the table.
func (c *Catalog) Truncate(tx layers.Txn, desc *TableDesc) {
	begin, end := c.data.Sub(desc.ID).Range()
	tx.DeleteRange(begin, end)
}
