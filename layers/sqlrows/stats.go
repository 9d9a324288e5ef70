package sqlrows

// Table statistics that ANALYZE gathers, stored as one catalog entry per
// table next to the descriptors:
//
//	("sys", "sql", "st", tableID) -> TableStats (JSON)
//
// They are written in the caller's transaction like any catalog change, so
// they are replicated with the rest of the store and survive restarts.

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/subspace"
	"github.com/aspen-db/aspen/layers/tuple"
)

// TableStats are a table's statistics as of its last ANALYZE.
type TableStats struct {
	// Rows is the number of rows the table had.
	Rows float64 `json:"rows"`
	// Columns holds one entry per analyzed column.
	Columns []ColumnStats `json:"columns,omitempty"`
	// AnalyzedAt is when ANALYZE ran, in microseconds since the Unix
	// epoch (0: not recorded); Analyzes counts the ANALYZEs of the table.
	AnalyzedAt int64 `json:"analyzed_at,omitempty"`
	Analyzes   int64 `json:"analyzes,omitempty"`
}

// ColumnStats describes the values of one column. Name and TypeOID say
// which column they were computed for: a reader ignores entries whose
// column has since been dropped, renamed or retyped.
type ColumnStats struct {
	Name    string `json:"name"`
	TypeOID uint32 `json:"type_oid"`
	// NullFrac is the fraction of rows where the column is NULL.
	NullFrac float64 `json:"null_frac"`
	// Distinct is PostgreSQL's n_distinct: the number of distinct non-null
	// values when positive, minus their ratio to the row count when
	// negative (the count grows with the table).
	Distinct float64 `json:"n_distinct"`
	// AvgWidth is the average width in bytes of the non-null values.
	AvgWidth int32 `json:"avg_width"`
	// MCV and MCF are the most common values (as text) and their
	// frequencies, most common first.
	MCV []string  `json:"mcv,omitempty"`
	MCF []float64 `json:"mcf,omitempty"`
}

// Column returns the statistics of the column named name of type oid, or
// nil.
func (s *TableStats) Column(name string, oid uint32) *ColumnStats {
	if s == nil {
		return nil
	}
	for i := range s.Columns {
		if c := &s.Columns[i]; c.Name == name && c.TypeOID == oid {
			return c
		}
	}
	return nil
}

// statsSpace is where the statistics entries are.
var statsSpace = subspace.Sub("sys", "sql", "st")

// TableStats reads the statistics of the table with id id; it returns nil
// and no error when the table was never analyzed.
func (c *Catalog) TableStats(r layers.Reader, id int64) (*TableStats, error) {
	v, err := r.Get(statsSpace.Pack(tuple.Tuple{id}))
	if errors.Is(err, layers.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read statistics of table %d: %w", id, err)
	}
	s := new(TableStats)
	if err := json.Unmarshal(v, s); err != nil {
		return nil, fmt.Errorf("decode statistics of table %d: %w", id, err)
	}
	return s, nil
}

// PutTableStats stores the statistics of the table with id id, replacing
// what an earlier ANALYZE stored.
func (c *Catalog) PutTableStats(tx layers.Txn, id int64, s *TableStats) error {
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encode statistics of table %d: %w", id, err)
	}
	tx.Set(statsSpace.Pack(tuple.Tuple{id}), b)
	return nil
}

// DeleteTableStats removes the statistics of the table with id id.
func (c *Catalog) DeleteTableStats(tx layers.Txn, id int64) {
	tx.Delete(statsSpace.Pack(tuple.Tuple{id}))
}
