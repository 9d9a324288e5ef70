package pgwire

// The simple query protocol and the messages results are sent as.

import (
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/aspen-db/aspen/planner"
)

// simpleQuery runs every statement of a Query message and sends their
// results, then ReadyForQuery.
func (c *conn) simpleQuery(sql string) {
	// As in PostgreSQL, a simple query drops the unnamed statement and
	// portal.
	delete(c.stmts, "")
	delete(c.portals, "")
	ctx, done := c.statementContext()
	results, err := c.sess.Exec(ctx, sql)
	done()
	for _, res := range results {
		if res.Tag == "" && res.Columns == nil && res.Copy == nil {
			c.be.Send(&pgproto3.EmptyQueryResponse{})
			continue
		}
		c.sendNotices(res)
		if res.Listen != nil {
			if err := c.listen(res.Listen); err != nil {
				c.sendError(err)
				c.ready()
				return
			}
		}
		if res.Copy != nil {
			if res.Copy.In {
				c.copyIn(res.Copy)
				continue
			}
			if err := c.copyOut(res); err != nil {
				c.sendError(err)
				c.ready()
				return
			}
			continue
		}
		if res.Columns != nil {
			c.be.Send(rowDescription(res.Columns, nil))
			if err := c.sendRows(res.Columns, res.Rows, nil); err != nil {
				c.sendError(err)
				c.ready()
				return
			}
		}
		c.be.Send(&pgproto3.CommandComplete{CommandTag: []byte(res.Tag)})
	}
	if err != nil {
		c.sendError(err)
	}
	c.reportParams(false)
	c.ready()
}

func (c *conn) sendNotices(res *planner.Result) {
	for _, n := range res.Notices {
		c.be.Send(noticeResponse(n))
	}
}

// rowDescription describes cols with the given result format codes.
func rowDescription(cols []planner.Column, formats []int16) *pgproto3.RowDescription {
	fields := make([]pgproto3.FieldDescription, len(cols))
	for i, col := range cols {
		fields[i] = pgproto3.FieldDescription{
			Name:                 []byte(col.Name),
			TableOID:             col.TableID,
			TableAttributeNumber: uint16(col.ColumnAttr),
			DataTypeOID:          col.TypeOID,
			DataTypeSize:         col.TypeSize,
			TypeModifier:         col.TypeMod,
			Format:               formatFor(formats, i),
		}
	}
	return &pgproto3.RowDescription{Fields: fields}
}

// sendRows sends rows as DataRow messages in the given formats.
func (c *conn) sendRows(cols []planner.Column, rows [][]planner.Value, formats []int16) error {
	// buf is never nil: an empty value is a zero-length slice of it,
	// which pgproto3 sends as an empty string (nil would be NULL).
	// The buffers are the connection's, kept between statements.
	buf := c.rowBuf
	if buf == nil {
		buf = make([]byte, 0, 256)
	}
	defer func() {
		if cap(buf) <= 64<<10 {
			c.rowBuf = buf[:0]
		}
	}()
	vals := slices.Grow(c.rowVals[:0], len(cols))[:len(cols)]
	ends := slices.Grow(c.rowEnds[:0], len(cols))[:len(cols)]
	c.rowVals, c.rowEnds = vals, ends
	for _, row := range rows {
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
				return err
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
		// Send copies the message into the backend's buffer, so vals and
		// buf can be reused for the next row.
		c.be.Send(&pgproto3.DataRow{Values: vals})
	}
	return nil
}

// limitedTag is the CommandComplete tag for a portal's last part: the
// row count of a SELECT-like tag counts the rows this Execute sent.
func limitedTag(tag string, n int) string {
	verb, _, ok := strings.Cut(tag, " ")
	if !ok {
		return tag
	}
	switch verb {
	case "SELECT", "FETCH", "MOVE":
		return verb + " " + strconv.Itoa(n)
	}
	return tag
}
