package types

// The spill encoding: values written to a statement's temporary files
// (external sorts, spilled hash tables) and read back exactly as they were.

import (
	"encoding/binary"
	"errors"
	"math"
	"sync"
	"time"

	"github.com/cockroachdb/apd/v3"
)

// The fields a spilled value carries, as bits of its flags byte.
const (
	spillValid = 1 << iota
	spillI
	spillF
	spillS
	spillD
	spillInterval
	spillX
)

// What the x field of a spilled value holds.
const (
	spillXElems = iota + 1
	spillXJSON
	spillXLoc
)

// spillZones maps a display time zone's name to the *time.Location a
// spilled timestamptz carried, so it comes back as the same pointer.
var spillZones sync.Map

// errSpillData reports a spill record that does not decode.
var errSpillData = errors.New("corrupt spill record")

// AppendSpill appends v in the spill encoding to buf: every field of the
// value (kind, NULL, integer, float, string, numeric digits and exponent,
// interval parts, array elements, jsonb, display time zone), so that
// ReadSpill gives back a value equal in every respect. The encoding is
// meant for the process's own temporary files only.
func AppendSpill(buf []byte, v Value) []byte {
	buf = append(buf, byte(v.kind))
	if !v.valid {
		return append(buf, 0)
	}
	flags := byte(spillValid)
	if v.i != 0 {
		flags |= spillI
	}
	if v.f != 0 || math.Signbit(v.f) {
		flags |= spillF
	}
	if v.s != "" {
		flags |= spillS
	}
	if v.d != nil {
		flags |= spillD
	}
	if v.days != 0 || v.months != 0 {
		flags |= spillInterval
	}
	if v.x != nil {
		flags |= spillX
	}
	buf = append(buf, flags)
	if flags&spillI != 0 {
		buf = binary.AppendVarint(buf, v.i)
	}
	if flags&spillF != 0 {
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v.f))
	}
	if flags&spillS != 0 {
		buf = binary.AppendUvarint(buf, uint64(len(v.s)))
		buf = append(buf, v.s...)
	}
	if flags&spillD != 0 {
		buf = append(buf, byte(v.d.Form))
		if v.d.Negative {
			buf = append(buf, 1)
		} else {
			buf = append(buf, 0)
		}
		buf = binary.AppendVarint(buf, int64(v.d.Exponent))
		b := v.d.Coeff.Bytes()
		buf = binary.AppendUvarint(buf, uint64(len(b)))
		buf = append(buf, b...)
	}
	if flags&spillInterval != 0 {
		buf = binary.AppendVarint(buf, int64(v.days))
		buf = binary.AppendVarint(buf, int64(v.months))
	}
	if flags&spillX != 0 {
		switch x := v.x.(type) {
		case []Value:
			buf = append(buf, spillXElems)
			buf = binary.AppendUvarint(buf, uint64(len(x)))
			for _, e := range x {
				buf = AppendSpill(buf, e)
			}
		case *jsonNode:
			buf = append(buf, spillXJSON)
			t := x.appendText(nil)
			buf = binary.AppendUvarint(buf, uint64(len(t)))
			buf = append(buf, t...)
		case *time.Location:
			buf = append(buf, spillXLoc)
			name := x.String()
			spillZones.LoadOrStore(name, x)
			buf = binary.AppendUvarint(buf, uint64(len(name)))
			buf = append(buf, name...)
		default:
			buf = append(buf, 0)
		}
	}
	return buf
}

// ReadSpill decodes one value written by AppendSpill from the start of
// data and returns it with the rest of data.
func ReadSpill(data []byte) (Value, []byte, error) {
	if len(data) < 2 {
		return Null, nil, errSpillData
	}
	v := Value{kind: Kind(data[0])}
	flags := data[1]
	data = data[2:]
	if flags&spillValid == 0 {
		return Value{}, data, nil
	}
	v.valid = true
	varint := func() (int64, error) {
		n, k := binary.Varint(data)
		if k <= 0 {
			return 0, errSpillData
		}
		data = data[k:]
		return n, nil
	}
	bytesField := func() ([]byte, error) {
		n, k := binary.Uvarint(data)
		if k <= 0 || n > uint64(len(data)-k) {
			return nil, errSpillData
		}
		b := data[k : k+int(n)]
		data = data[k+int(n):]
		return b, nil
	}
	var err error
	if flags&spillI != 0 {
		if v.i, err = varint(); err != nil {
			return Null, nil, err
		}
	}
	if flags&spillF != 0 {
		if len(data) < 8 {
			return Null, nil, errSpillData
		}
		v.f = math.Float64frombits(binary.LittleEndian.Uint64(data))
		data = data[8:]
	}
	if flags&spillS != 0 {
		b, err := bytesField()
		if err != nil {
			return Null, nil, err
		}
		v.s = string(b)
	}
	if flags&spillD != 0 {
		if len(data) < 2 {
			return Null, nil, errSpillData
		}
		d := &apd.Decimal{Form: apd.Form(data[0]), Negative: data[1] != 0}
		data = data[2:]
		e, err := varint()
		if err != nil {
			return Null, nil, err
		}
		d.Exponent = int32(e)
		b, err := bytesField()
		if err != nil {
			return Null, nil, err
		}
		d.Coeff.SetBytes(b)
		v.d = d
	}
	if flags&spillInterval != 0 {
		days, err := varint()
		if err != nil {
			return Null, nil, err
		}
		months, err := varint()
		if err != nil {
			return Null, nil, err
		}
		v.days, v.months = int32(days), int32(months)
	}
	if flags&spillX != 0 {
		if len(data) < 1 {
			return Null, nil, errSpillData
		}
		tag := data[0]
		data = data[1:]
		switch tag {
		case spillXElems:
			n, k := binary.Uvarint(data)
			if k <= 0 || n > uint64(len(data)) {
				return Null, nil, errSpillData
			}
			data = data[k:]
			elems := make([]Value, n)
			for i := range elems {
				if elems[i], data, err = ReadSpill(data); err != nil {
					return Null, nil, err
				}
			}
			v.x = elems
		case spillXJSON:
			b, err := bytesField()
			if err != nil {
				return Null, nil, err
			}
			j, err := parseJSONB(string(b))
			if err != nil {
				return Null, nil, err
			}
			v.x = j.x
		case spillXLoc:
			b, err := bytesField()
			if err != nil {
				return Null, nil, err
			}
			if l, ok := spillZones.Load(string(b)); ok {
				v.x = l
			} else if l, err := time.LoadLocation(string(b)); err == nil {
				v.x = l
			}
		}
	}
	return v, data, nil
}
