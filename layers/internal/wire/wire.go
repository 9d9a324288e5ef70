// Package wire encodes the arguments and results of the layers'
// deterministic mutations: uvarints, fixed 8-byte integers and
// length-prefixed byte strings, appended in order and read back in the same
// order. Every replica decodes what the proposing node encoded, so the
// format of an existing operation must never change; add an operation
// instead.
package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// ErrMalformed is wrapped by the errors of Dec for input it cannot read.
// Only a bug produces it: the layers encode every argument themselves.
var ErrMalformed = errors.New("malformed mutation arguments")

// Enc appends values to B.
type Enc struct{ B []byte }

// Byte appends one byte.
func (e *Enc) Byte(v byte) { e.B = append(e.B, v) }

// Bool appends a boolean as one byte.
func (e *Enc) Bool(v bool) {
	if v {
		e.Byte(1)
	} else {
		e.Byte(0)
	}
}

// Uvarint appends v as an unsigned varint.
func (e *Enc) Uvarint(v uint64) { e.B = binary.AppendUvarint(e.B, v) }

// Varint appends v as a signed (zig-zag) varint.
func (e *Enc) Varint(v int64) { e.B = binary.AppendVarint(e.B, v) }

// Int64 appends v as 8 bytes, big-endian.
func (e *Enc) Int64(v int64) { e.B = binary.BigEndian.AppendUint64(e.B, uint64(v)) }

// Float64 appends the IEEE 754 bits of v as 8 bytes, big-endian.
func (e *Enc) Float64(v float64) { e.B = binary.BigEndian.AppendUint64(e.B, math.Float64bits(v)) }

// Bytes appends v with its length.
func (e *Enc) Bytes(v []byte) {
	e.Uvarint(uint64(len(v)))
	e.B = append(e.B, v...)
}

// BytesList appends a count and then each element as Bytes.
func (e *Enc) BytesList(vs [][]byte) {
	e.Uvarint(uint64(len(vs)))
	for _, v := range vs {
		e.Bytes(v)
	}
}

// Dec reads what Enc wrote, from B. The first failure sticks in Err and
// makes every later read return a zero value.
type Dec struct {
	B   []byte
	Err error
}

// Fail records a failure to read what (if none was recorded before).
func (d *Dec) Fail(what string) {
	if d.Err == nil {
		d.Err = fmt.Errorf("read %s: %w", what, ErrMalformed)
	}
}

// Byte reads one byte.
func (d *Dec) Byte() byte {
	if d.Err != nil || len(d.B) < 1 {
		d.Fail("byte")
		return 0
	}
	v := d.B[0]
	d.B = d.B[1:]
	return v
}

// Bool reads a boolean written by Enc.Bool.
func (d *Dec) Bool() bool { return d.Byte() == 1 }

// Uvarint reads an unsigned varint.
func (d *Dec) Uvarint() uint64 {
	if d.Err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.B)
	if n <= 0 {
		d.Fail("uvarint")
		return 0
	}
	d.B = d.B[n:]
	return v
}

// Varint reads a signed varint.
func (d *Dec) Varint() int64 {
	if d.Err != nil {
		return 0
	}
	v, n := binary.Varint(d.B)
	if n <= 0 {
		d.Fail("varint")
		return 0
	}
	d.B = d.B[n:]
	return v
}

// Int64 reads 8 bytes, big-endian.
func (d *Dec) Int64() int64 {
	if d.Err != nil || len(d.B) < 8 {
		d.Fail("int64")
		return 0
	}
	v := int64(binary.BigEndian.Uint64(d.B))
	d.B = d.B[8:]
	return v
}

// Float64 reads what Enc.Float64 wrote.
func (d *Dec) Float64() float64 { return math.Float64frombits(uint64(d.Int64())) }

// Bytes reads a length-prefixed byte string. The result aliases the input.
func (d *Dec) Bytes() []byte {
	n := d.Uvarint()
	if d.Err != nil {
		return nil
	}
	if uint64(len(d.B)) < n {
		d.Fail("bytes")
		return nil
	}
	v := d.B[:n:n]
	d.B = d.B[n:]
	return v
}

// BytesList reads what Enc.BytesList wrote. The count is checked against
// the bytes left before anything is allocated.
func (d *Dec) BytesList() [][]byte {
	n := d.Uvarint()
	if d.Err != nil {
		return nil
	}
	if n > uint64(len(d.B)) { // every element takes at least one byte
		d.Fail("list")
		return nil
	}
	vs := make([][]byte, 0, n)
	for range n {
		vs = append(vs, d.Bytes())
	}
	return vs
}

// Done reports the first error, or one for trailing bytes.
func (d *Dec) Done() error {
	if d.Err == nil && len(d.B) != 0 {
		d.Err = fmt.Errorf("%d trailing bytes: %w", len(d.B), ErrMalformed)
	}
	return d.Err
}
