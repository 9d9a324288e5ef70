// Package sqlrows stores relational tables on ordered keys, FoundationDB
// style, together with the catalog that describes them.
//
// Key layout (tuple-encoded):
//
//	("sys", "sql", "t", name)            -> table descriptor (JSON)
//	("sys", "sql", "v", name)            -> view descriptor (JSON)
//	("sys", "sql", "x", name)            -> name of the table of an index
//	("sys", "sql", "s", name)            -> sequence descriptor (JSON)
//	("sys", "sql", "st", tableID)        -> statistics (stats.go)
//	("sys", "sql", "next_table_id")      -> last table id handed out
//	("sql", tableID, "r", pk...)         -> row: the tuple of column values
//	("sql", tableID, "i", indexID, ...)  -> index entries (layers/index)
//	("sql", seqID, "q")                  -> sequence state (sequence.go)
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
	"slices"
	"sync"

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
	// DataID is the id under which the rows and index entries are
	// stored; 0 means ID. A rewrite (ALTER TABLE ... ADD PRIMARY KEY,
	// ALTER COLUMN TYPE) writes the rows under a fresh id and keeps ID,
	// as PostgreSQL gives a table a new relfilenode and keeps its OID.
	DataID int64 `json:"data_id,omitempty"`
	// Checks are the table's CHECK constraints.
	Checks []CheckDesc `json:"checks,omitempty"`
	// ForeignKeys are the table's FOREIGN KEY constraints.
	ForeignKeys []ForeignKeyDesc `json:"foreign_keys,omitempty"`
	// ReferencedBy names the tables whose foreign keys reference this
	// one (once each, sorted), so that a write to this table finds the
	// constraints to enforce without reading every descriptor.
	ReferencedBy []string `json:"referenced_by,omitempty"`
}

// CheckDesc is a CHECK constraint: its name and the SQL text of its
// boolean expression over the table's columns.
type CheckDesc struct {
	Name string `json:"name"`
	Expr string `json:"expr"`
	// NotValid marks a constraint added NOT VALID whose existing rows
	// were not checked (VALIDATE CONSTRAINT clears it).
	NotValid bool `json:"not_valid,omitempty"`
}

// ForeignKeyDesc is a FOREIGN KEY constraint of the referencing table.
type ForeignKeyDesc struct {
	Name string `json:"name"`
	// Columns are the referencing columns' positions in this table.
	Columns []int `json:"columns"`
	// RefTable names the referenced table; RefColumns are the referenced
	// columns' positions there (in Columns' order).
	RefTable   string `json:"ref_table"`
	RefColumns []int  `json:"ref_columns"`
	// OnDelete and OnUpdate are the actions as pg_constraint codes them:
	// 'a' no action, 'r' restrict, 'c' cascade, 'n' set null, 'd' set
	// default. Match is 's' (simple) or 'f' (full).
	OnDelete byte `json:"on_delete"`
	OnUpdate byte `json:"on_update"`
	Match    byte `json:"match"`
	// NotValid: see CheckDesc.
	NotValid bool `json:"not_valid,omitempty"`
	// Deferrable and InitiallyDeferred are the constraint's DEFERRABLE
	// and INITIALLY DEFERRED: an initially deferred key's checks run at
	// commit rather than at the end of each statement.
	Deferrable        bool `json:"deferrable,omitempty"`
	InitiallyDeferred bool `json:"initially_deferred,omitempty"`
}

// StoreID returns the id under which the table's rows are stored.
func (d *TableDesc) StoreID() int64 {
	if d.DataID != 0 {
		return d.DataID
	}
	return d.ID
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
	// Identity is "a" for GENERATED ALWAYS AS IDENTITY, "d" for BY
	// DEFAULT, empty otherwise; Default then holds the sequence's nextval.
	Identity string `json:"identity,omitempty"`
	// Generated is "s" for a stored generated column, whose Default then
	// holds the generation expression; empty otherwise.
	Generated string `json:"generated,omitempty"`
}

// IndexDesc describes a secondary index.
type IndexDesc struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Columns []int  `json:"columns"`
	Unique  bool   `json:"unique"`
	// Constraint marks an index that backs a UNIQUE constraint, as
	// opposed to one made with CREATE UNIQUE INDEX.
	Constraint bool `json:"constraint,omitempty"`
}

// Catalog reads and writes table descriptors.
type Catalog struct {
	tables     subspace.Subspace
	views      subspace.Subspace
	indexNames subspace.Subspace
	nextID     []byte
	data       subspace.Subspace
	descs      descCache
}

// NewCatalog returns the catalog at the standard key layout.
func NewCatalog() *Catalog {
	sys := subspace.Sub("sys", "sql")
	return &Catalog{
		tables:     sys.Sub("t"),
		views:      sys.Sub("v"),
		indexNames: sys.Sub("x"),
		nextID:     sys.Pack(tuple.Tuple{"next_table_id"}),
		data:       subspace.Sub("sql"),
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
	d, err := c.decodeTable(v)
	if err != nil {
		return nil, fmt.Errorf("decode catalog entry of %q: %w", name, err)
	}
	return d, nil
}

// maxCachedDescs bounds the decoded descriptors a Catalog keeps.
const maxCachedDescs = 512

// descCache keeps decoded table descriptors by their stored bytes, so that
// a statement that names a table (every point lookup binds its table)
// does not decode the same JSON again: equal bytes decode to equal
// descriptors, whatever transaction read them.
type descCache struct {
	mu sync.Mutex
	m  map[string]*TableDesc
}

// decodeTable decodes a stored descriptor. It returns a copy the caller
// may change.
func (c *Catalog) decodeTable(v []byte) (*TableDesc, error) {
	c.descs.mu.Lock()
	d, ok := c.descs.m[string(v)]
	c.descs.mu.Unlock()
	if ok {
		return d.clone(), nil
	}
	d = new(TableDesc)
	if err := json.Unmarshal(v, d); err != nil {
		return nil, err
	}
	c.descs.mu.Lock()
	if c.descs.m == nil || len(c.descs.m) >= maxCachedDescs {
		c.descs.m = map[string]*TableDesc{}
	}
	c.descs.m[string(v)] = d.clone()
	c.descs.mu.Unlock()
	return d, nil
}

// Clone returns a deep copy of d, for a caller that changes a descriptor
// it shares.
func (d *TableDesc) Clone() *TableDesc { return d.clone() }

// clone returns a deep copy of d.
func (d *TableDesc) clone() *TableDesc {
	out := *d
	out.Columns = slices.Clone(d.Columns)
	out.PrimaryKey = slices.Clone(d.PrimaryKey)
	out.Indexes = slices.Clone(d.Indexes)
	for i := range out.Indexes {
		out.Indexes[i].Columns = slices.Clone(d.Indexes[i].Columns)
	}
	out.Checks = slices.Clone(d.Checks)
	out.ForeignKeys = slices.Clone(d.ForeignKeys)
	for i := range out.ForeignKeys {
		out.ForeignKeys[i].Columns = slices.Clone(d.ForeignKeys[i].Columns)
		out.ForeignKeys[i].RefColumns = slices.Clone(d.ForeignKeys[i].RefColumns)
	}
	out.ReferencedBy = slices.Clone(d.ReferencedBy)
	return &out
}

// Tables returns every table's descriptor, ordered by name.
func (c *Catalog) Tables(r layers.Reader) ([]*TableDesc, error) {
	begin, end := c.tables.Range()
	it := r.Scan(begin, end, false)
	defer it.Close()
	var out []*TableDesc
	for it.Next() {
		d, err := c.decodeTable(it.Value())
		if err != nil {
			return nil, fmt.Errorf("decode catalog entry: %w", err)
		}
		out = append(out, d)
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
	exists, err := c.relationExists(tx, desc.Name)
	if err != nil {
		return err
	}
	if exists {
		return fmt.Errorf("table %q: %w", desc.Name, ErrTableExists)
	}
	id, err := c.newID(tx)
	if err != nil {
		return err
	}
	desc.ID = id
	for i := range desc.Indexes {
		desc.NextIndexID++
		desc.Indexes[i].ID = desc.NextIndexID
		tx.Set(c.indexKey(desc.Indexes[i].Name), []byte(desc.Name))
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

// newID hands out the next table id.
func (c *Catalog) newID(tx layers.Txn) (int64, error) {
	var last int64
	v, err := tx.Get(c.nextID)
	switch {
	case err == nil:
		t, err := tuple.Unpack(v)
		if err != nil || len(t) != 1 {
			return 0, fmt.Errorf("corrupt table id counter %x", v)
		}
		n, ok := t[0].(int64)
		if !ok {
			return 0, fmt.Errorf("corrupt table id counter %v", t)
		}
		last = n
	case !errors.Is(err, layers.ErrNotFound):
		return 0, fmt.Errorf("read table id counter: %w", err)
	}
	tx.Set(c.nextID, tuple.Tuple{last + 1}.Pack())
	return last + 1, nil
}

// PutTable stores a changed descriptor under its name (ALTER TABLE). The
// caller keeps the rows consistent with it.
func (c *Catalog) PutTable(tx layers.Txn, desc *TableDesc) error {
	return c.put(tx, desc)
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
	c.DeleteTableStats(tx, desc.ID)
	for _, ix := range desc.Indexes {
		tx.Delete(c.indexKey(ix.Name))
	}
	begin, end := c.data.Sub(desc.StoreID()).Range()
	tx.DeleteRange(begin, end)
	return nil
}

// Truncate removes every row and index entry of the table desc describes,
// keeping the table.
func (c *Catalog) Truncate(tx layers.Txn, desc *TableDesc) {
	begin, end := c.data.Sub(desc.StoreID()).Range()
	tx.DeleteRange(begin, end)
}

// ErrIndexNotFound is wrapped by errors about an index that does not
// exist.
var ErrIndexNotFound = errors.New("index not found")

// ErrRelationExists is wrapped by the error CreateIndex and CreateView
// return when the name is taken by a table, a view or an index (they
// share one namespace, as in PostgreSQL).
var ErrRelationExists = errors.New("relation already exists")

// ViewDesc describes a view: its name, the SQL text of its query and its
// column names. It is stored as JSON in the catalog.
type ViewDesc struct {
	Name    string   `json:"name"`
	SQL     string   `json:"sql"`
	Columns []string `json:"columns"`
	// Depends names the tables and views the query reads, which cannot
	// be dropped while the view exists.
	Depends []string `json:"depends,omitempty"`
}

// Views returns every view's descriptor, ordered by name.
func (c *Catalog) Views(r layers.Reader) ([]*ViewDesc, error) {
	begin, end := c.views.Range()
	it := r.Scan(begin, end, false)
	defer it.Close()
	var out []*ViewDesc
	for it.Next() {
		var d ViewDesc
		if err := json.Unmarshal(it.Value(), &d); err != nil {
			return nil, fmt.Errorf("decode catalog entry of a view: %w", err)
		}
		out = append(out, &d)
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("scan views: %w", err)
	}
	return out, nil
}

// viewKey and indexKey are the catalog keys of a view and of an index
// name (whose value is the table's name).
func (c *Catalog) viewKey(name string) []byte  { return c.views.Pack(tuple.Tuple{name}) }
func (c *Catalog) indexKey(name string) []byte { return c.indexNames.Pack(tuple.Tuple{name}) }

// RelationExists reports whether a table, view or index has the name.
func (c *Catalog) RelationExists(r layers.Reader, name string) (bool, error) {
	return c.relationExists(r, name)
}

// relationExists reports whether a table, view, index or sequence has
// the name.
func (c *Catalog) relationExists(r layers.Reader, name string) (bool, error) {
	for _, k := range [][]byte{c.tables.Pack(tuple.Tuple{name}), c.viewKey(name), c.indexKey(name), seqKey(name)} {
		_, err := r.Get(k)
		switch {
		case err == nil:
			return true, nil
		case !errors.Is(err, layers.ErrNotFound):
			return false, fmt.Errorf("read catalog entry of %q: %w", name, err)
		}
	}
	return false, nil
}

// View returns the descriptor of the named view, or an error wrapping
// ErrTableNotFound.
func (c *Catalog) View(r layers.Reader, name string) (*ViewDesc, error) {
	v, err := r.Get(c.viewKey(name))
	if errors.Is(err, layers.ErrNotFound) {
		return nil, fmt.Errorf("view %q: %w", name, ErrTableNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read catalog entry of view %q: %w", name, err)
	}
	var d ViewDesc
	if err := json.Unmarshal(v, &d); err != nil {
		return nil, fmt.Errorf("decode catalog entry of view %q: %w", name, err)
	}
	return &d, nil
}

// CreateView stores a view. With replace, an existing view of the name is
// replaced; otherwise (or when a table or index has the name) it returns
// an error wrapping ErrRelationExists.
func (c *Catalog) CreateView(tx layers.Txn, desc *ViewDesc, replace bool) error {
	if replace {
		if _, err := c.View(tx, desc.Name); err == nil {
			return c.putView(tx, desc)
		}
	}
	exists, err := c.relationExists(tx, desc.Name)
	if err != nil {
		return err
	}
	if exists {
		return fmt.Errorf("view %q: %w", desc.Name, ErrRelationExists)
	}
	return c.putView(tx, desc)
}

// putView writes a view's descriptor under its name.
func (c *Catalog) putView(tx layers.Txn, desc *ViewDesc) error {
	b, err := json.Marshal(desc)
	if err != nil {
		return fmt.Errorf("encode catalog entry of view %q: %w", desc.Name, err)
	}
	tx.Set(c.viewKey(desc.Name), b)
	return nil
}

// DropView removes a view, or returns an error wrapping ErrTableNotFound.
func (c *Catalog) DropView(tx layers.Txn, name string) error {
	if _, err := c.View(tx, name); err != nil {
		return err
	}
	tx.Delete(c.viewKey(name))
	return nil
}

// IndexTable returns the name of the table that has the named index, or
// an error wrapping ErrIndexNotFound.
func (c *Catalog) IndexTable(r layers.Reader, name string) (string, error) {
	v, err := r.Get(c.indexKey(name))
	if errors.Is(err, layers.ErrNotFound) {
		return "", fmt.Errorf("index %q: %w", name, ErrIndexNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("read catalog entry of index %q: %w", name, err)
	}
	return string(v), nil
}

// CreateIndex adds index ix (its ID is assigned) to the table desc
// describes, stores the descriptor and fills the index from the table's
// rows. The name must be free (ErrRelationExists otherwise); a unique
// index over duplicate values fails with a *ConstraintError.
func (c *Catalog) CreateIndex(tx layers.Txn, desc *TableDesc, ix IndexDesc, keyOf KeyFunc) error {
	exists, err := c.relationExists(tx, ix.Name)
	if err != nil {
		return err
	}
	if exists {
		return fmt.Errorf("index %q: %w", ix.Name, ErrRelationExists)
	}
	desc.NextIndexID++
	ix.ID = desc.NextIndexID
	desc.Indexes = append(desc.Indexes, ix)
	if err := c.put(tx, desc); err != nil {
		return err
	}
	tx.Set(c.indexKey(ix.Name), []byte(desc.Name))
	t, err := c.Open(desc, keyOf)
	if err != nil {
		return err
	}
	return t.backfill(tx, len(desc.Indexes)-1)
}

// DropIndex removes the named index from its table, returning the
// table's updated descriptor, or an error wrapping ErrIndexNotFound.
func (c *Catalog) DropIndex(tx layers.Txn, name string) (*TableDesc, error) {
	tname, err := c.IndexTable(tx, name)
	if err != nil {
		return nil, err
	}
	desc, err := c.Table(tx, tname)
	if err != nil {
		return nil, err
	}
	for i, ix := range desc.Indexes {
		if ix.Name != name {
			continue
		}
		begin, end := c.data.Sub(desc.StoreID(), "i", ix.ID).Range()
		tx.DeleteRange(begin, end)
		desc.Indexes = append(desc.Indexes[:i], desc.Indexes[i+1:]...)
		tx.Delete(c.indexKey(name))
		return desc, c.put(tx, desc)
	}
	return nil, fmt.Errorf("index %q of table %q: %w", name, tname, ErrIndexNotFound)
}
