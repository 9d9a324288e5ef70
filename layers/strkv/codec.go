package strkv

import (
	"fmt"

	"github.com/aspen-db/aspen/layers/internal/wire"
)

// errMalformed is wrapped by the errors of mutations whose arguments cannot
// be decoded. Only a bug produces it: this package encodes every argument.
var errMalformed = wire.ErrMalformed

// enc builds mutation arguments and results.
type enc = wire.Enc

// dec reads what enc wrote.
type dec = wire.Dec

// DecodeDB reads a database number written with Enc.Uvarint and checks
// its range: a number past NumDBs fails d with wire.ErrMalformed. Every
// Redis layer's mutation arguments start with one.
func DecodeDB(d *wire.Dec) int {
	v := d.Uvarint()
	if d.Err == nil && v >= NumDBs {
		d.Err = fmt.Errorf("database %d out of range: %w", v, errMalformed)
	}
	return int(v)
}
