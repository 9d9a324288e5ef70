package pgwire

// Streaming of query results: the planner hands a SELECT's rows to a
// rowStream as it produces them, which encodes each as a DataRow and
// writes them out in batches, so a large result is never held whole.

import (
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/aspen-db/aspen/planner"
)

// streamFlushBytes is how many bytes of DataRows a stream buffers before it
// writes them to the client.
const streamFlushBytes = 64 << 10

// rowStream is the planner.RowSink of one Query or Execute message.
type rowStream struct {
	c *conn
	// simple is set for the simple query protocol: the stream sends the
	// statements finished before a streamed one, and its RowDescription.
	simple bool
	// formats are the result format codes (the portal's).
	formats []int16
	cols    []planner.Column
	rows    int   // rows sent by the current statement
	pending int64 // bytes sent since the last flush
}

// StartRows sends the results finished before the streaming statement
// and, in the simple query protocol, its RowDescription.
func (s *rowStream) StartRows(prior []*planner.Result, res *planner.Result) error {
	c := s.c
	if s.simple {
		for _, r := range prior {
			if err := c.sendResult(r); err != nil {
				return err
			}
		}
	}
	c.sendNotices(res)
	res.Notices = nil // sent; later ones go with CommandComplete
	if s.simple {
		c.be.Send(rowDescription(res.Columns, nil))
	}
	s.cols, s.rows = res.Columns, 0
	return nil
}

// Row sends one row, writing the buffered messages out when they are
// large; a write error (the client is gone) stops the statement.
func (s *rowStream) Row(row []planner.Value) error {
	n, err := s.c.sendRow(s.cols, row, s.formats)
	if err != nil {
		return err
	}
	s.rows++
	s.pending += int64(n)
	if s.pending >= streamFlushBytes {
		s.pending = 0
		return s.c.be.Flush()
	}
	return nil
}

// sendRow encodes one row as a DataRow in the given formats and returns
// the bytes of its values.
func (c *conn) sendRow(cols []planner.Column, row []planner.Value, formats []int16) (int, error) {
	// buf is never nil: an empty value is a zero-length slice of it,
	// which pgproto3 sends as an empty string (nil would be NULL).
	// The buffers are the connection's, kept between rows and statements.
	buf := c.rowBuf
	if buf == nil {
		buf = make([]byte, 0, 256)
	}
	defer func() {
		if cap(buf) <= 64<<10 {
			c.rowBuf = buf[:0]
		}
	}()
	if len(c.rowVals) != len(cols) {
		c.rowVals, c.rowEnds = make([][]byte, len(cols)), make([]int, len(cols))
	}
	vals, ends := c.rowVals, c.rowEnds
	buf = buf[:0]
	clear(ends)
	for i, v := range row {
		if v.IsNull() {
			ends[i] = -1
			continue
		}
		var err error
		start := len(buf)
		buf, err = appendValue(buf, v, cols[i].TypeOID, formatFor(formats, i))
		if err != nil {
			return 0, err
		}
		ends[i] = len(buf) - start
	}
	off := 0
	for i := range vals {
		if ends[i] < 0 {
			vals[i] = nil
			continue
		}
		vals[i] = buf[off : off+ends[i] : off+ends[i]]
		off += ends[i]
	}
	// Send copies the message into the backend's buffer, so vals and buf
	// can be reused for the next row.
	c.be.Send(&pgproto3.DataRow{Values: vals})
	return len(buf) + 4*len(vals) + 7, nil
}
