package sqlrows

import (
	"fmt"

	"github.com/aspen-db/aspen/layers"
)

// DataSize returns the bytes (keys plus values) that the rows and index
// entries of the table desc describes take in r, reading at most limit
// entries: an estimate of its disk usage for PostgreSQL's size functions.
func (c *Catalog) DataSize(r layers.Reader, desc *TableDesc, limit int) (int64, error) {
	begin, end := c.data.Sub(desc.StoreID()).Range()
	it := r.Scan(begin, end, false)
	defer it.Close()
	var n int64
	for i := 0; i < limit && it.Next(); i++ {
		n += int64(len(it.Key()) + len(it.Value()))
	}
	if err := it.Err(); err != nil {
		return 0, fmt.Errorf("table %q size: %w", desc.Name, err)
	}
	return n, nil
}
