package pgwire

// The extended query protocol: Parse, Bind, Describe, Execute, Close and
// Sync, with named and unnamed statements and portals.

import (
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/aspen-db/aspen/planner"
	"github.com/aspen-db/aspen/planner/sqlerr"
)

// statement is a prepared statement (Parse).
type statement struct {
	prep *planner.Prepared
}

// portal is a bound statement (Bind), with its result once executed.
type portal struct {
	stmt    *statement
	params  []planner.Value
	formats []int16 // result column format codes
	result  *planner.Result
	sent    int // rows of result already sent
	ran     bool
	// streamed says the first Execute sent the rows as they were
	// produced (stream.go): result has none.
	streamed bool
}

// failBatch sends err and discards messages up to the next Sync.
func (c *conn) failBatch(err error) {
	c.sendError(err)
	c.skipToSync = true
}

func (c *conn) parse(m *pgproto3.Parse) {
	if m.Name != "" {
		if _, exists := c.stmts[m.Name]; exists {
			c.failBatch(sqlerr.New("42P05", "prepared statement %q already exists", m.Name))
			return
		}
	}
	ctx, done := c.statementContext()
	prep, err := c.sess.Prepare(ctx, m.Query, m.ParameterOIDs)
	done()
	if err != nil {
		c.failBatch(err)
		return
	}
	c.stmts[m.Name] = &statement{prep: prep}
	c.be.Send(&pgproto3.ParseComplete{})
}

func (c *conn) bind(m *pgproto3.Bind) {
	st, ok := c.stmts[m.PreparedStatement]
	if !ok {
		c.failBatch(sqlerr.New(sqlerr.InvalidSQLStatementName, "prepared statement %q does not exist", m.PreparedStatement))
		return
	}
	if m.DestinationPortal != "" {
		if _, exists := c.portals[m.DestinationPortal]; exists {
			c.failBatch(sqlerr.New("42P03", "cursor %q already exists", m.DestinationPortal))
			return
		}
	}
	oids := st.prep.ParamTypes()
	if len(m.Parameters) != len(oids) {
		c.failBatch(sqlerr.New(sqlerr.ProtocolViolation, "bind message supplies %d parameters, but prepared statement %q requires %d", len(m.Parameters), m.PreparedStatement, len(oids)))
		return
	}
	if err := checkFormats(m.ParameterFormatCodes, len(oids), "parameter"); err != nil {
		c.failBatch(err)
		return
	}
	cols := st.prep.Columns()
	if err := checkFormats(m.ResultFormatCodes, len(cols), "result"); err != nil {
		c.failBatch(err)
		return
	}
	params := make([]planner.Value, len(oids))
	for i, data := range m.Parameters {
		v, err := decodeParam(data, oids[i], formatFor(m.ParameterFormatCodes, i))
		if err != nil {
			c.failBatch(err)
			return
		}
		params[i] = v
	}
	// The message's slices are reused by the next Receive: keep a copy.
	formats := append([]int16(nil), m.ResultFormatCodes...)
	c.portals[m.DestinationPortal] = &portal{stmt: st, params: params, formats: formats}
	c.be.Send(&pgproto3.BindComplete{})
}

func (c *conn) describe(m *pgproto3.Describe) {
	switch m.ObjectType {
	case 'S':
		st, ok := c.stmts[m.Name]
		if !ok {
			c.failBatch(sqlerr.New(sqlerr.InvalidSQLStatementName, "prepared statement %q does not exist", m.Name))
			return
		}
		c.be.Send(&pgproto3.ParameterDescription{ParameterOIDs: st.prep.ParamTypes()})
		c.describeColumns(st.prep.Columns(), nil)
	case 'P':
		p, ok := c.portals[m.Name]
		if !ok {
			c.failBatch(sqlerr.New("34000", "portal %q does not exist", m.Name))
			return
		}
		c.describeColumns(p.stmt.prep.Columns(), p.formats)
	default:
		c.failBatch(sqlerr.New(sqlerr.ProtocolViolation, "invalid DESCRIBE message subtype %d", m.ObjectType))
	}
}

func (c *conn) describeColumns(cols []planner.Column, formats []int16) {
	if cols == nil {
		c.be.Send(&pgproto3.NoData{})
		return
	}
	c.be.Send(rowDescription(cols, formats))
}

func (c *conn) execute(m *pgproto3.Execute) {
	p, ok := c.portals[m.Portal]
	if !ok {
		c.failBatch(sqlerr.New("34000", "portal %q does not exist", m.Portal))
		return
	}
	if !p.ran {
		// Without a row limit the rows stream to the client as they are
		// produced (stream.go); a limited portal keeps its rows for the
		// next Execute.
		var sink planner.RowSink
		rs := &rowStream{c: c, formats: p.formats}
		if m.MaxRows == 0 {
			sink = rs
		}
		ctx, done := c.statementContext()
		res, err := c.sess.ExecuteStream(ctx, p.stmt.prep, p.params, sink)
		done()
		if err != nil {
			c.failBatch(err)
			return
		}
		p.result, p.ran = res, true
		if res.Streamed {
			defer func() { p.sent = rs.rows }()
			p.streamed = true
		}
		c.sendNotices(res)
		if res.Listen != nil {
			if err := c.listen(res.Listen); err != nil {
				c.failBatch(err)
				return
			}
		}
	}
	res := p.result
	if res.Tag == "" && res.Columns == nil {
		c.be.Send(&pgproto3.EmptyQueryResponse{})
		return
	}
	if res.Columns == nil {
		c.be.Send(&pgproto3.CommandComplete{CommandTag: []byte(res.Tag)})
		return
	}
	var rows [][]planner.Value
	if !p.streamed {
		rows = res.Rows[p.sent:]
	}
	limited := false
	if m.MaxRows > 0 && int64(len(rows)) > int64(m.MaxRows) {
		rows, limited = rows[:m.MaxRows], true
	}
	if err := c.sendRows(res.Columns, rows, p.formats); err != nil {
		c.failBatch(err)
		return
	}
	first := p.sent == 0
	p.sent += len(rows)
	if limited {
		c.be.Send(&pgproto3.PortalSuspended{})
		return
	}
	tag := res.Tag
	if !first || m.MaxRows > 0 {
		tag = limitedTag(tag, len(rows))
	}
	c.be.Send(&pgproto3.CommandComplete{CommandTag: []byte(tag)})
}

func (c *conn) closeObject(m *pgproto3.Close) {
	switch m.ObjectType {
	case 'S':
		delete(c.stmts, m.Name)
	case 'P':
		delete(c.portals, m.Name)
	default:
		c.failBatch(sqlerr.New(sqlerr.ProtocolViolation, "invalid CLOSE message subtype %d", m.ObjectType))
		return
	}
	c.be.Send(&pgproto3.CloseComplete{})
}

// sync ends a batch: the implicit transaction commits, and portals go
// away with the transaction that made them.
func (c *conn) sync() {
	ctx, done := c.statementContext()
	err := c.sess.Sync(ctx)
	done()
	if err != nil {
		c.sendError(err)
	}
	if c.sess.TxStatus() == 'I' {
		clear(c.portals)
	}
	c.reportParams(false)
	c.ready()
}
