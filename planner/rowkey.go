package planner

// Map keys of rows for grouping, hash joins, DISTINCT and set operations,
// built without boxing the common value kinds.

import (
	"github.com/aspen-db/aspen/layers/tuple"
	"github.com/aspen-db/aspen/planner/types"
)

// appendRowKey appends to dst the key of vals: the tuple encoding of
// their key elements (types.KeyElem), so that rows with equal values get
// equal keys. Integers and text are encoded directly; other kinds go
// through KeyElem.
func appendRowKey(dst []byte, vals []types.Value) []byte {
	for _, v := range vals {
		if v.IsNull() {
			dst = append(dst, 0x00)
			continue
		}
		switch v.Kind() {
		case types.Int2, types.Int4, types.Int8:
			dst = tuple.AppendInt(dst, v.Int())
		case types.Text, types.Varchar:
			dst = tuple.AppendString(dst, v.Str())
		default:
			b, err := tuple.Append(dst, tuple.Tuple{types.KeyElem(v)})
			if err != nil {
				// Not an encodable key element: fall back to its
				// printed form, tagged so it cannot equal an encoding.
				b = append(append(append(dst, 0xfe), v.String()...), 0x00)
			}
			dst = b
		}
	}
	return dst
}

// joinKeyScratch holds reusable buffers for probing a hash join.
type joinKeyScratch struct {
	vals []types.Value
	buf  []byte
}

// key evaluates equi-join keys over row into the scratch key, as joinKey
// does; ok is false when one is NULL. The result is valid until the next
// call.
func (s *joinKeyScratch) key(ev *evalCtx, keys []expr, row []types.Value) ([]byte, bool, error) {
	s.vals = s.vals[:0]
	for _, k := range keys {
		v, err := k.eval(ev, row)
		if err != nil {
			return nil, false, err
		}
		if v.IsNull() {
			return nil, false, nil
		}
		s.vals = append(s.vals, v)
	}
	s.buf = appendRowKey(s.buf[:0], s.vals)
	return s.buf, true, nil
}
