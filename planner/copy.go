package planner

// COPY: the engine's half. COPY TO runs a SELECT and hands its rows to the
// protocol to format; COPY FROM hands the protocol a request for data and
// takes the parsed rows back one at a time (CopyRow), inserting each with
// one bound INSERT, then CopyDone or CopyFail ends the statement.

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
)

// CopyOptions are a COPY statement's data format options, with
// PostgreSQL's defaults filled in.
type CopyOptions struct {
	// Format is "text", "csv" or "binary".
	Format string
	// Delimiter separates fields (tab for text, comma for CSV); Null is
	// the text of a NULL field (`\N` for text, empty for CSV).
	Delimiter, Null string
	// Quote and Escape are CSV's quoting characters.
	Quote, Escape string
	// Header is set when the data's first line holds column names.
	Header bool
}

// CopyRequest is set on the Result of a COPY statement: the protocol moves
// the data. For COPY TO STDOUT the Result's Rows are the data; for COPY
// FROM STDIN the protocol parses the client's data and passes each row to
// Session.CopyRow, then calls CopyDone or CopyFail.
type CopyRequest struct {
	In      bool
	Options CopyOptions
	// Columns are the data's columns: the COPY TO query's result columns,
	// or the target columns of COPY FROM, in order.
	Columns []Column
	// Table is the name of COPY FROM's table as error contexts print it.
	Table string
}

// CopyLine locates a row of COPY FROM data for error contexts: its line
// number (counting the header line) and, in the text formats, its text
// without the line end.
type CopyLine struct {
	Number int64
	Text   []byte
	Binary bool
}

// maxCopyDisplay is the most bytes of data an error context quotes, as
// in PostgreSQL; longer data is cut and followed by "...".
const maxCopyDisplay = 100

// CopyContext is the CONTEXT of an error at line of COPY FROM into table:
// with the line's text when there is one (errors reading the line, and
// row errors other than unique violations, which PostgreSQL reports after
// the row left its line buffer).
func CopyContext(table string, line CopyLine, withText bool) string {
	w := "COPY " + table + ", line " + strconv.FormatInt(line.Number, 10)
	if withText && !line.Binary {
		w += ": \"" + clipDisplay(line.Text) + "\""
	}
	return w
}

// clipDisplay cuts b to maxCopyDisplay bytes on a UTF-8 boundary, adding
// "..." when it cut.
func clipDisplay(b []byte) string {
	if len(b) <= maxCopyDisplay {
		return string(b)
	}
	n := maxCopyDisplay
	for n > 0 && !utf8.RuneStart(b[n]) {
		n--
	}
	return string(b[:n]) + "..."
}

// withWhere sets the context of err when it is a SQL error without one.
func withWhere(err error, where string) error {
	var e *sqlerr.Error
	if errors.As(err, &e) && e.Where == "" {
		cp := *e
		cp.Where = where
		return &cp
	}
	return err
}

// copyIn is the state of a COPY FROM STDIN between its statement and its
// end.
type copyIn struct {
	plan  *insertPlan
	types []types.T
	names []string
	rows  int64
	table string
}

// execCopy runs a COPY statement's own part.
func (s *Session) execCopy(ctx context.Context, spec *copySpec) (*Result, error) {
	if err := s.copyGenerated(ctx, spec); err != nil {
		return nil, err
	}
	stmts, err := parse(spec.source)
	if err != nil {
		return nil, err
	}
	if len(stmts) != 1 {
		return nil, sqlerr.Syntax("COPY query must be a single statement")
	}
	if !spec.in {
		res, err := s.runStmt(ctx, stmts[0], nil, nil)
		if err != nil {
			return nil, err
		}
		if res.Columns == nil {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "COPY query must have a RETURNING clause")
		}
		return &Result{
			Columns: res.Columns,
			Rows:    res.Rows,
			Tag:     "COPY " + strconv.Itoa(len(res.Rows)),
			Copy:    &CopyRequest{Options: spec.opts, Columns: res.Columns},
		}, nil
	}
	tx, err := s.txn(ctx)
	if err != nil {
		return nil, err
	}
	sel, _, err := s.eng.bindStmt(stmts[0], tx, nil, s.ident)
	if err != nil {
		return nil, err
	}
	cols := sel.columns()
	names := spec.cols
	if len(names) == 0 {
		for _, c := range cols {
			names = append(names, quoteIdent(c.Name))
		}
	}
	placeholders := make([]string, len(cols))
	colTypes := make([]types.T, len(cols))
	for i, c := range cols {
		placeholders[i] = "$" + strconv.Itoa(i+1)
		t, ok := types.FromOID(c.TypeOID)
		if !ok {
			return nil, sqlerr.Unsupported("COPY into a column of type OID %d is not supported yet", c.TypeOID)
		}
		t.Mod = c.TypeMod
		colTypes[i] = t
	}
	ins, err := parse("INSERT INTO " + spec.rel + " (" + strings.Join(names, ", ") + ") VALUES (" + strings.Join(placeholders, ", ") + ")")
	if err != nil {
		return nil, err
	}
	p, resolved, err := s.eng.bindStmt(ins[0], tx, colTypes, s.ident)
	if err != nil {
		return nil, err
	}
	ip, ok := p.(*insertPlan)
	if !ok {
		return nil, sqlerr.New(sqlerr.WrongObjectType, "cannot copy to %s", spec.rel)
	}
	colNames := make([]string, len(cols))
	for i, c := range cols {
		colNames[i] = c.Name
	}
	s.copy = &copyIn{plan: ip, types: resolved, names: colNames, table: spec.table}
	return &Result{Copy: &CopyRequest{In: true, Options: spec.opts, Columns: cols, Table: spec.table}}, nil
}

// CopyRow inserts one row of a COPY FROM STDIN: one value per column of
// the CopyRequest, each Null, a TextValue in the column type's text input
// format, or a typed value. line locates the row for the error's context.
// After an error the protocol must still call CopyFail or CopyDone (which
// then reports the error's state).
func (s *Session) CopyRow(ctx context.Context, row []Value, line CopyLine) (err error) {
	defer s.recoverPanic(&err)
	c := s.copy
	if c == nil {
		return sqlerr.New(sqlerr.ProtocolViolation, "no COPY FROM STDIN in progress")
	}
	if len(row) < len(c.types) {
		return withWhere(sqlerr.New("22P04", "missing data for column %q", c.names[len(row)]), CopyContext(c.table, line, true))
	}
	if len(row) > len(c.types) {
		return withWhere(sqlerr.New("22P04", "extra data after last expected column"), CopyContext(c.table, line, true))
	}
	vals := make([]types.Value, len(row))
	for i, v := range row {
		switch {
		case v.IsNull():
		case v.Kind() == types.Unknown:
			vals[i], err = types.ParseText(c.types[i], v.Str())
		default:
			vals[i], err = types.Cast(v, c.types[i], types.CastExplicit)
		}
		if err != nil {
			where := CopyContext(c.table, line, false) + ", column " + c.names[i]
			if !line.Binary {
				where += ": \"" + clipDisplay([]byte(v.Str())) + "\""
			}
			return withWhere(err, where)
		}
	}
	_, _, err = s.execInsert(ctx, s.tx, c.plan, &evalCtx{params: vals, sess: s})
	if err = s.fkFinish(ctx, err); err != nil {
		err = ctxErr(ctx, err)
		var e *sqlerr.Error
		unique := errors.As(err, &e) && e.Code == sqlerr.UniqueViolation
		return withWhere(err, CopyContext(c.table, line, !unique))
	}
	c.rows++
	return nil
}

// CopyDone ends a COPY FROM STDIN whose rows all went in: outside a
// transaction block it commits. It returns the statement's Result (tag
// "COPY n").
func (s *Session) CopyDone(ctx context.Context) (_ *Result, err error) {
	defer s.recoverPanic(&err)
	c := s.copy
	if c == nil {
		return nil, sqlerr.New(sqlerr.ProtocolViolation, "no COPY FROM STDIN in progress")
	}
	s.copy = nil
	if !s.explicit {
		if err := s.commit(ctx); err != nil {
			return nil, err
		}
	}
	return &Result{Tag: "COPY " + strconv.FormatInt(c.rows, 10)}, nil
}

// CopyFail abandons a COPY FROM STDIN: the client sent CopyFail (reason
// is its message) or a row failed (cause is that error). Its rows are
// rolled back with the transaction, as in PostgreSQL, and the returned
// error is the one to report.
func (s *Session) CopyFail(reason string, cause error) error {
	s.copy = nil
	s.fail()
	if cause != nil {
		return cause
	}
	return sqlerr.New(sqlerr.QueryCanceled, "COPY from stdin failed: %s", reason)
}
