package resp

import (
	"math"
	"strconv"

	"github.com/tidwall/redcon"
)

// writer builds replies in the protocol version the client chose with
// HELLO: RESP2 by default, RESP3 after HELLO 3. Handlers write every reply
// through it, so a reply type RESP2 lacks (map, set, double, null, boolean,
// push) is downgraded the way Redis downgrades it.
//
// The bytes collect in a buffer: the connection sends them after each
// batch of commands, and EXEC runs its queued commands into a writer of its
// own to build one array reply.
type writer struct {
	b     []byte
	resp3 bool
}

// WriteString writes a simple string (+s).
func (w *writer) WriteString(s string) { w.b = redcon.AppendString(w.b, s) }

// WriteError writes an error reply (-msg). msg starts with its error word.
func (w *writer) WriteError(msg string) { w.b = redcon.AppendError(w.b, msg) }

// WriteBulk writes a bulk string.
func (w *writer) WriteBulk(b []byte) { w.b = redcon.AppendBulk(w.b, b) }

// WriteBulkString writes a bulk string.
func (w *writer) WriteBulkString(s string) { w.b = redcon.AppendBulkString(w.b, s) }

// WriteInt writes an integer reply.
func (w *writer) WriteInt(n int) { w.b = redcon.AppendInt(w.b, int64(n)) }

// WriteInt64 writes an integer reply.
func (w *writer) WriteInt64(n int64) { w.b = redcon.AppendInt(w.b, n) }

// WriteArray writes the header of an array of n elements.
func (w *writer) WriteArray(n int) { w.b = redcon.AppendArray(w.b, n) }

// WriteNull writes a missing value: a null bulk string in RESP2 ($-1), the
// null type in RESP3 (_).
func (w *writer) WriteNull() {
	if w.resp3 {
		w.b = append(w.b, "_\r\n"...)
		return
	}
	w.b = redcon.AppendNull(w.b)
}

// WriteNullArray writes a missing array: *-1 in RESP2, the null type in
// RESP3 (EXEC after a failed WATCH, BLPOP on timeout).
func (w *writer) WriteNullArray() {
	if w.resp3 {
		w.b = append(w.b, "_\r\n"...)
		return
	}
	w.b = append(w.b, "*-1\r\n"...)
}

// WriteMap writes the header of a map of n key-value pairs: %n in RESP3, an
// array of 2n elements in RESP2.
func (w *writer) WriteMap(n int) {
	if w.resp3 {
		w.b = append(w.b, '%')
		w.b = strconv.AppendInt(w.b, int64(n), 10)
		w.b = append(w.b, '\r', '\n')
		return
	}
	w.WriteArray(2 * n)
}

// WriteSet writes the header of a set of n elements: ~n in RESP3, an array
// in RESP2.
func (w *writer) WriteSet(n int) {
	if w.resp3 {
		w.b = append(w.b, '~')
		w.b = strconv.AppendInt(w.b, int64(n), 10)
		w.b = append(w.b, '\r', '\n')
		return
	}
	w.WriteArray(n)
}

// WritePush writes the header of an out-of-band push of n elements: >n in
// RESP3, an array in RESP2 (pub/sub messages).
func (w *writer) WritePush(n int) {
	if w.resp3 {
		w.b = append(w.b, '>')
		w.b = strconv.AppendInt(w.b, int64(n), 10)
		w.b = append(w.b, '\r', '\n')
		return
	}
	w.WriteArray(n)
}

// WriteDouble writes a floating-point reply as Redis 7.0 does: a RESP3
// double (,1.5), or in RESP2 a bulk string of the same text. Redis prints
// %.17g, with inf and -inf for the infinities.
func (w *writer) WriteDouble(f float64) {
	var buf [32]byte
	s := AppendDouble(buf[:0], f)
	if w.resp3 {
		w.b = append(w.b, ',')
		w.b = append(w.b, s...)
		w.b = append(w.b, '\r', '\n')
		return
	}
	w.b = redcon.AppendBulk(w.b, s)
}

// WriteBool writes a boolean: #t/#f in RESP3, the integer 1/0 in RESP2.
func (w *writer) WriteBool(v bool) {
	if w.resp3 {
		if v {
			w.b = append(w.b, "#t\r\n"...)
		} else {
			w.b = append(w.b, "#f\r\n"...)
		}
		return
	}
	if v {
		w.WriteInt(1)
	} else {
		w.WriteInt(0)
	}
}

// WriteVerbatim writes a verbatim string of format ("txt" or "mkd"): =len
// in RESP3, a bulk string in RESP2 (INFO, CLIENT LIST).
func (w *writer) WriteVerbatim(format string, s []byte) {
	if !w.resp3 {
		w.WriteBulk(s)
		return
	}
	w.b = append(w.b, '=')
	w.b = strconv.AppendInt(w.b, int64(len(format)+1+len(s)), 10)
	w.b = append(w.b, '\r', '\n')
	w.b = append(w.b, format...)
	w.b = append(w.b, ':')
	w.b = append(w.b, s...)
	w.b = append(w.b, '\r', '\n')
}

// WriteRaw appends bytes that are already a complete reply.
func (w *writer) WriteRaw(b []byte) { w.b = append(w.b, b...) }

// take returns the bytes written and empties the writer, keeping its
// buffer unless it grew large.
func (w *writer) take() []byte {
	b := w.b
	if cap(w.b) > 1<<20 {
		w.b = nil
	} else {
		w.b = w.b[:0]
	}
	return b
}

// AppendDouble appends f as Redis 7.0 prints a double reply: %.17g, "inf"
// and "-inf" for the infinities, "nan" for NaN.
func AppendDouble(dst []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	case math.IsNaN(f):
		return append(dst, "nan"...)
	}
	return strconv.AppendFloat(dst, f, 'g', 17, 64)
}
