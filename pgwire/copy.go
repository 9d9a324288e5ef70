package pgwire

// COPY FROM STDIN and COPY TO STDOUT: the CopyIn/CopyOut sub-protocols and
// the text, CSV and binary data formats.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/aspen-db/aspen/planner"
	"github.com/aspen-db/aspen/planner/sqlerr"
)

// binarySignature starts COPY's binary format.
var binarySignature = []byte("PGCOPY\n\xff\r\n\x00")

// copyOut sends a COPY TO STDOUT's rows.
func (c *conn) copyOut(res *planner.Result) error {
	req := res.Copy
	opts := req.Options
	format := textFormat
	if opts.Format == "binary" {
		format = binaryFormat
	}
	codes := make([]uint16, len(req.Columns))
	for i := range codes {
		codes[i] = uint16(format)
	}
	c.be.Send(&pgproto3.CopyOutResponse{OverallFormat: byte(format), ColumnFormatCodes: codes})
	var line []byte
	switch {
	case format == binaryFormat:
		line = append(line, binarySignature...)
		line = binary.BigEndian.AppendUint32(line, 0)
		line = binary.BigEndian.AppendUint32(line, 0)
		c.be.Send(&pgproto3.CopyData{Data: line})
	case opts.Format == "csv" && opts.Header:
		line = line[:0]
		for i, col := range req.Columns {
			if i > 0 {
				line = append(line, opts.Delimiter...)
			}
			line = appendCSV(line, []byte(col.Name), opts)
		}
		line = append(line, '\n')
		c.be.Send(&pgproto3.CopyData{Data: line})
	}
	var val []byte
	for _, row := range res.Rows {
		line = line[:0]
		if format == binaryFormat {
			line = binary.BigEndian.AppendUint16(line, uint16(len(row)))
		}
		for i, v := range row {
			if format == binaryFormat {
				if v.IsNull() {
					line = binary.BigEndian.AppendUint32(line, 0xffffffff)
					continue
				}
				var err error
				val, err = appendValue(val[:0], v, req.Columns[i].TypeOID, binaryFormat)
				if err != nil {
					return err
				}
				line = binary.BigEndian.AppendUint32(line, uint32(len(val)))
				line = append(line, val...)
				continue
			}
			if i > 0 {
				line = append(line, opts.Delimiter...)
			}
			if v.IsNull() {
				line = append(line, opts.Null...)
				continue
			}
			val = v.AppendText(val[:0])
			if opts.Format == "csv" {
				line = appendCSV(line, val, opts)
			} else {
				line = appendTextEscaped(line, val, opts.Delimiter[0])
			}
		}
		if format != binaryFormat {
			line = append(line, '\n')
		}
		c.be.Send(&pgproto3.CopyData{Data: line})
	}
	if format == binaryFormat {
		c.be.Send(&pgproto3.CopyData{Data: []byte{0xff, 0xff}})
	}
	c.be.Send(&pgproto3.CopyDone{})
	c.be.Send(&pgproto3.CommandComplete{CommandTag: []byte(res.Tag)})
	return nil
}

// appendTextEscaped appends a value in COPY's text format.
func appendTextEscaped(buf, v []byte, delim byte) []byte {
	for _, b := range v {
		switch b {
		case '\\':
			buf = append(buf, '\\', '\\')
		case '\n':
			buf = append(buf, '\\', 'n')
		case '\r':
			buf = append(buf, '\\', 'r')
		case '\t':
			buf = append(buf, '\\', 't')
		case '\b':
			buf = append(buf, '\\', 'b')
		case '\f':
			buf = append(buf, '\\', 'f')
		case '\v':
			buf = append(buf, '\\', 'v')
		default:
			if b == delim {
				buf = append(buf, '\\')
			}
			buf = append(buf, b)
		}
	}
	return buf
}

// appendCSV appends a value in CSV, quoted when it holds the delimiter,
// the quote, a line break, equals the NULL text, or is `\.`.
func appendCSV(buf, v []byte, opts planner.CopyOptions) []byte {
	quote := opts.Quote[0]
	need := len(v) > 0 && string(v) == opts.Null || opts.Null == "" && len(v) == 0 ||
		bytes.ContainsAny(v, opts.Delimiter+opts.Quote+"\r\n") || string(v) == `\.`
	if !need {
		return append(buf, v...)
	}
	buf = append(buf, quote)
	for _, b := range v {
		if b == quote || b == opts.Escape[0] {
			buf = append(buf, opts.Escape[0])
		}
		buf = append(buf, b)
	}
	return append(buf, quote)
}

// copyIn runs COPY FROM STDIN: it asks for the data, parses it row by row
// into the session, and ends with CommandComplete or an error.
func (c *conn) copyIn(req *planner.CopyRequest) {
	format := textFormat
	if req.Options.Format == "binary" {
		format = binaryFormat
	}
	codes := make([]uint16, len(req.Columns))
	for i := range codes {
		codes[i] = uint16(format)
	}
	c.be.Send(&pgproto3.CopyInResponse{OverallFormat: byte(format), ColumnFormatCodes: codes})
	if err := c.be.Flush(); err != nil {
		c.sendError(c.sess.CopyFail("connection lost", nil))
		c.nc.Close()
		return
	}
	ctx, done := c.statementContext()
	defer done()
	p := &copyParser{req: req, max: c.srv.cfg.MaxMessageSize, header: req.Options.Header}
	var failure error
	row := func(vals []planner.Value, line planner.CopyLine) bool {
		if err := c.sess.CopyRow(ctx, vals, line); err != nil {
			failure = err
			return false
		}
		return true
	}
	for {
		msg, err := c.be.Receive()
		if err != nil {
			c.sess.CopyFail("connection lost", nil)
			c.nc.Close()
			return
		}
		switch m := msg.(type) {
		case *pgproto3.CopyData:
			if failure == nil {
				if err := p.feed(m.Data, row); err != nil && failure == nil {
					failure = err
				}
			}
		case *pgproto3.CopyDone:
			if failure == nil {
				if err := p.finish(row); err != nil && failure == nil {
					failure = err
				}
			}
			if failure != nil {
				c.sendError(c.sess.CopyFail("", failure))
				return
			}
			res, err := c.sess.CopyDone(ctx)
			if err != nil {
				c.sendError(err)
				return
			}
			c.be.Send(&pgproto3.CommandComplete{CommandTag: []byte(res.Tag)})
			return
		case *pgproto3.CopyFail:
			c.sendError(c.sess.CopyFail(m.Message, nil))
			return
		case *pgproto3.Flush, *pgproto3.Sync:
			// Ignored during COPY, as the protocol says.
		case *pgproto3.Terminate:
			c.sess.CopyFail("client terminated", nil)
			c.nc.Close()
			return
		default:
			c.sendError(c.sess.CopyFail("", sqlerr.New(sqlerr.ProtocolViolation, "unexpected message type %T during COPY from stdin", msg)))
			return
		}
	}
}

// copyParser splits COPY data into rows. Data arrives in arbitrary
// chunks; a partial row waits in buf for the next one, bounded by max.
type copyParser struct {
	req    *planner.CopyRequest
	buf    []byte
	max    int
	header bool  // a header line is still to skip
	ended  bool  // saw the end-of-data marker
	binHdr bool  // binary header consumed
	line   int64 // lines (rows, in binary) read so far, for error contexts
}

// rowFunc takes one parsed row and where it came from; false stops the
// parse (the row failed).
type rowFunc func(vals []planner.Value, line planner.CopyLine) bool

// where gives err the context of the line being read, with text.
func (p *copyParser) where(err error, text []byte) error {
	var e *sqlerr.Error
	if !errors.As(err, &e) || e.Where != "" {
		return err
	}
	cp := *e
	cp.Where = planner.CopyContext(p.req.Table, planner.CopyLine{Number: p.line, Text: text, Binary: p.req.Options.Format == "binary"}, true)
	return &cp
}

// feed adds a chunk and emits the rows it completes.
func (p *copyParser) feed(data []byte, row rowFunc) error {
	if p.ended {
		return nil
	}
	p.buf = append(p.buf, data...)
	n, err := p.rows(row, false)
	p.buf = p.buf[:copy(p.buf, p.buf[n:])]
	if err != nil {
		return err
	}
	if len(p.buf) > p.max {
		return sqlerr.New(sqlerr.ProgramLimitExceeded, "COPY row is longer than %d bytes", p.max)
	}
	return nil
}

// finish emits the last row, which may lack its line end.
func (p *copyParser) finish(row rowFunc) error {
	if p.ended {
		return nil
	}
	if p.req.Options.Format == "binary" {
		if len(p.buf) > 0 || !p.binHdr {
			return sqlerr.New("22P04", "unexpected EOF in COPY data")
		}
		return nil
	}
	_, err := p.rows(row, true)
	return err
}

// rows emits complete rows from buf and returns the bytes consumed.
func (p *copyParser) rows(row rowFunc, atEOF bool) (int, error) {
	if p.req.Options.Format == "binary" {
		return p.binaryRows(row)
	}
	off := 0
	for off < len(p.buf) {
		var vals []planner.Value
		var n int
		var err error
		csv := p.req.Options.Format == "csv"
		if csv {
			vals, n, err = parseCSVRecord(p.buf[off:], p.req.Options, atEOF)
		} else {
			vals, n, err = parseTextLine(p.buf[off:], p.req.Options, atEOF)
		}
		if err != nil {
			p.line++
			text := p.buf[off:]
			if i := bytes.IndexByte(text, '\n'); i >= 0 && !csv {
				text = text[:i]
			}
			return off, p.where(err, text)
		}
		if n == 0 {
			break // incomplete
		}
		raw := bytes.TrimSuffix(bytes.TrimSuffix(p.buf[off:off+n], []byte("\n")), []byte("\r"))
		off += n
		if vals == nil {
			p.ended = true
			return off, nil
		}
		p.line++
		if p.header {
			p.header = false
			continue
		}
		if !row(vals, planner.CopyLine{Number: p.line, Text: raw}) {
			return off, nil
		}
	}
	return off, nil
}

// lineEnd finds the end of the line starting at b: the index of its \n
// and the length of the terminator-free line (dropping a \r before \n).
func lineEnd(b []byte, atEOF bool) (line []byte, n int, ok bool) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		if !atEOF || len(b) == 0 {
			return nil, 0, false
		}
		return bytes.TrimSuffix(b, []byte{'\r'}), len(b), true
	}
	return bytes.TrimSuffix(b[:i], []byte{'\r'}), i + 1, true
}

// endMarker is the line that ends COPY data in text and CSV.
const endMarker = `\.`

// parseTextLine parses one line of COPY's text format. It returns nil
// values for the end marker and n == 0 for an incomplete line.
func parseTextLine(b []byte, o planner.CopyOptions, atEOF bool) ([]planner.Value, int, error) {
	line, n, ok := lineEnd(b, atEOF)
	if !ok {
		return nil, 0, nil
	}
	if string(line) == endMarker {
		return nil, n, nil
	}
	delim := o.Delimiter[0]
	var vals []planner.Value
	var field strings.Builder
	start := 0 // raw start of the field, for the NULL comparison
	flush := func(end int) {
		raw := string(line[start:end])
		if raw == o.Null {
			vals = append(vals, planner.Null)
		} else {
			vals = append(vals, planner.TextValue(field.String()))
		}
		field.Reset()
		start = end + 1
	}
	for i := 0; i < len(line); i++ {
		ch := line[i]
		if ch == delim {
			flush(i)
			continue
		}
		if ch != '\\' || i+1 >= len(line) {
			field.WriteByte(ch)
			continue
		}
		i++
		e := line[i]
		switch e {
		case 'b':
			field.WriteByte('\b')
		case 'f':
			field.WriteByte('\f')
		case 'n':
			field.WriteByte('\n')
		case 'r':
			field.WriteByte('\r')
		case 't':
			field.WriteByte('\t')
		case 'v':
			field.WriteByte('\v')
		case 'x':
			v, used := 0, 0
			for used < 2 && i+1 < len(line) && isHex(line[i+1]) {
				i++
				v = v*16 + hexVal(line[i])
				used++
			}
			if used == 0 {
				field.WriteByte('x')
			} else {
				field.WriteByte(byte(v))
			}
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v := int(e - '0')
			for used := 1; used < 3 && i+1 < len(line) && line[i+1] >= '0' && line[i+1] <= '7'; used++ {
				i++
				v = v*8 + int(line[i]-'0')
			}
			field.WriteByte(byte(v))
		default:
			field.WriteByte(e)
		}
	}
	flush(len(line))
	return vals, n, nil
}

func isHex(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F'
}

func hexVal(b byte) int {
	switch {
	case b >= '0' && b <= '9':
		return int(b - '0')
	case b >= 'a' && b <= 'f':
		return int(b-'a') + 10
	}
	return int(b-'A') + 10
}

// parseCSVRecord parses one CSV record, which may span lines inside
// quotes. A quoted field is never NULL; an unquoted one equal to the NULL
// text is.
func parseCSVRecord(b []byte, o planner.CopyOptions, atEOF bool) ([]planner.Value, int, error) {
	if line, n, ok := lineEnd(b, atEOF); ok && string(line) == endMarker {
		return nil, n, nil
	}
	delim, quote, escape := o.Delimiter[0], o.Quote[0], o.Escape[0]
	var vals []planner.Value
	var field []byte
	quoted, inQuotes := false, false
	fieldStart := 0
	end := func(i int) {
		if !quoted && string(b[fieldStart:i]) == o.Null {
			vals = append(vals, planner.Null)
		} else {
			vals = append(vals, planner.TextValue(string(field)))
		}
		field, quoted = field[:0], false
	}
	for i := 0; i < len(b); i++ {
		ch := b[i]
		if inQuotes {
			switch {
			case ch == escape && i+1 < len(b) && b[i+1] == quote:
				field = append(field, quote)
				i++
			case ch == escape && escape == quote && i+1 >= len(b) && !atEOF:
				// The next chunk decides between an escaped quote and
				// the closing one.
				return nil, 0, nil
			case ch == quote:
				inQuotes = false
			default:
				field = append(field, ch)
			}
			continue
		}
		switch {
		case ch == quote:
			inQuotes, quoted = true, true
		case ch == delim:
			end(i)
			fieldStart = i + 1
		case ch == '\n' || ch == '\r' && i+1 < len(b) && b[i+1] == '\n':
			end(i)
			if ch == '\r' {
				i++
			}
			return vals, i + 1, nil
		case ch == '\r' && i+1 >= len(b) && !atEOF:
			return nil, 0, nil
		default:
			field = append(field, ch)
		}
	}
	if !atEOF || len(b) == 0 {
		return nil, 0, nil
	}
	if inQuotes {
		return nil, 0, sqlerr.New("22P04", "unterminated CSV quoted field")
	}
	end(len(b))
	return vals, len(b), nil
}

// binaryRows parses COPY's binary format: the header once, then tuples
// of (int16 count, per field int32 length or -1, bytes), then -1.
func (p *copyParser) binaryRows(row rowFunc) (int, error) {
	b := p.buf
	off := 0
	if !p.binHdr {
		if len(b) < len(binarySignature)+8 {
			return 0, nil
		}
		if !bytes.Equal(b[:len(binarySignature)], binarySignature) {
			return 0, sqlerr.New("22P04", "COPY file signature not recognized")
		}
		ext := int(binary.BigEndian.Uint32(b[len(binarySignature)+4:]))
		if ext < 0 || ext > p.max {
			return 0, sqlerr.New("22P04", "invalid COPY file header (wrong length)")
		}
		if len(b) < len(binarySignature)+8+ext {
			return 0, nil
		}
		off = len(binarySignature) + 8 + ext
		p.binHdr = true
	}
	for {
		rest := b[off:]
		if len(rest) < 2 {
			return off, nil
		}
		count := int(int16(binary.BigEndian.Uint16(rest)))
		if count == -1 {
			p.ended = true
			return len(b), nil
		}
		line := planner.CopyLine{Number: p.line + 1, Binary: true}
		if count != len(p.req.Columns) {
			p.line++
			return off, p.where(sqlerr.New("22P04", "row field count is %d, expected %d", count, len(p.req.Columns)), nil)
		}
		pos := 2
		vals := make([]planner.Value, count)
		complete := true
		for i := 0; i < count; i++ {
			if len(rest) < pos+4 {
				complete = false
				break
			}
			n := int(int32(binary.BigEndian.Uint32(rest[pos:])))
			pos += 4
			if n == -1 {
				vals[i] = planner.Null
				continue
			}
			if n < 0 || n > p.max {
				return off, sqlerr.New("22P04", "invalid field size")
			}
			if len(rest) < pos+n {
				complete = false
				break
			}
			v, err := decodeParam(rest[pos:pos+n:pos+n], p.req.Columns[i].TypeOID, binaryFormat)
			if err != nil {
				var e *sqlerr.Error
				if errors.As(err, &e) && e.Where == "" {
					cp := *e
					cp.Where = planner.CopyContext(p.req.Table, line, false) + ", column " + p.req.Columns[i].Name
					err = &cp
				}
				return off, err
			}
			vals[i] = v
			pos += n
		}
		if !complete {
			return off, nil
		}
		off += pos
		p.line++
		if !row(vals, line) {
			return off, nil
		}
	}
}
