package pgwire

// The simple query protocol and the messages results are sent as.

import (
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/aspen-db/aspen/planner"
)

// simpleQuery runs every statement of a Query message and sends their
// results, then ReadyForQuery. The rows of plain SELECTs stream to the
// client as they are produced (stream.go).
func (c *conn) simpleQuery(sql string) {
	// As in PostgreSQL, a simple query drops the unnamed statement and
	// portal.
	delete(c.stmts, "")
	delete(c.portals, "")
	ctx, done := c.statementContext()
	results, err := c.sess.ExecStream(ctx, sql, &rowStream{c: c, simple: true})
	done()
	for _, res := range results {
		if res.Copy != nil && res.Copy.In {
			c.sendNotices(res)
			c.copyIn(res.Copy)
			continue
		}
		if err := c.sendResult(res); err != nil {
			c.sendError(err)
			c.ready()
			return
		}
	}
	if err != nil {
		c.sendError(err)
	}
	c.reportParams(false)
	c.ready()
}

// sendResult sends one finished statement's result in the simple query
// protocol: its notices, rows (unless they streamed already) and
// CommandComplete, or runs its COPY TO or LISTEN.
func (c *conn) sendResult(res *planner.Result) error {
	if res.Tag == "" && res.Columns == nil && res.Copy == nil {
		c.be.Send(&pgproto3.EmptyQueryResponse{})
		return nil
	}
	c.sendNotices(res)
	if res.Listen != nil {
		if err := c.listen(res.Listen); err != nil {
			return err
		}
	}
	if res.Copy != nil {
		return c.copyOut(res)
	}
	if res.Columns != nil && !res.Streamed {
		c.be.Send(rowDescription(res.Columns, nil))
		if err := c.sendRows(res.Columns, res.Rows, nil); err != nil {
			return err
		}
	}
	c.be.Send(&pgproto3.CommandComplete{CommandTag: []byte(res.Tag)})
	return nil
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
	for _, row := range rows {
		if _, err := c.sendRow(cols, row, formats); err != nil {
			return err
		}
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
