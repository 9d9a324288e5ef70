package strkv

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// errMalformed is wrapped by the errors of mutations whose arguments cannot
// be decoded. Only a bug produces it: this package encodes every argument.
var errMalformed = errors.New("strkv: malformed mutation arguments")

// enc builds mutation arguments and results.
type enc struct{ b []byte }

func (e *enc) byte(v byte)      { e.b = append(e.b, v) }
func (e *enc) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *enc) int64(v int64)    { e.b = binary.BigEndian.AppendUint64(e.b, uint64(v)) }
func (e *enc) bytes(v []byte) {
	e.uvarint(uint64(len(v)))
	e.b = append(e.b, v...)
}

// dec reads what enc wrote. The first failure sticks in err.
type dec struct {
	b   []byte
	err error
}

func (d *dec) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("read %s: %w", what, errMalformed)
	}
}

func (d *dec) byte() byte {
	if d.err != nil || len(d.b) < 1 {
		d.fail("byte")
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *dec) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("uvarint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) int64() int64 {
	if d.err != nil || len(d.b) < 8 {
		d.fail("int64")
		return 0
	}
	v := int64(binary.BigEndian.Uint64(d.b))
	d.b = d.b[8:]
	return v
}

// bytes returns a slice aliasing the input.
func (d *dec) bytes() []byte {
	n := d.uvarint()
	if d.err != nil {
		return nil
	}
	if uint64(len(d.b)) < n {
		d.fail("bytes")
		return nil
	}
	v := d.b[:n:n]
	d.b = d.b[n:]
	return v
}

// db reads a database number and checks its range.
func (d *dec) db() int {
	v := d.uvarint()
	if d.err == nil && v >= NumDBs {
		d.err = fmt.Errorf("database %d out of range: %w", v, errMalformed)
	}
	return int(v)
}

// done reports the first error, or one for trailing bytes.
func (d *dec) done() error {
	if d.err == nil && len(d.b) != 0 {
		d.err = fmt.Errorf("%d trailing bytes: %w", len(d.b), errMalformed)
	}
	return d.err
}
