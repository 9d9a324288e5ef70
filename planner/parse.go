package planner

// This file and the bind_*.go files are the only ones that see pg_query's
// types: parse turns SQL text into pg_query statements, and the binder
// turns those into the planner's own plan nodes straight away.

import (
	"errors"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/aspen-db/aspen/planner/sqlerr"
	pg_query "github.com/pganalyze/pg_query_go/v6"
	"github.com/pganalyze/pg_query_go/v6/parser"
)

// maxSQLBytes bounds the text handed to the parser.
const maxSQLBytes = 16 << 20

// parseTreeVersion is the parse tree version of the linked libpg_query,
// recorded from the first parse; Deparse insists on it.
var parseTreeVersion atomic.Int32

// parsedStmt is one statement of a query text, as the parser returned it.
type parsedStmt struct {
	node *pg_query.Node
	sql  string // the whole query text; locations are byte offsets in it
	text string // this statement's own text
}

// parse splits sql into statements and parses them with PostgreSQL's
// grammar. A syntax error is SQLSTATE 42601 with PostgreSQL's message and
// cursor position.
func parse(sql string) ([]*parsedStmt, error) {
	if len(sql) > maxSQLBytes {
		return nil, sqlerr.New(sqlerr.ProgramLimitExceeded, "statement text of %d bytes is too long (limit %d)", len(sql), maxSQLBytes)
	}
	if strings.IndexByte(sql, 0) >= 0 {
		return nil, sqlerr.New(sqlerr.SyntaxError, "invalid byte sequence: query text contains a zero byte")
	}
	if !utf8.ValidString(sql) {
		return nil, sqlerr.New("22021", "invalid byte sequence for encoding \"UTF8\"")
	}
	tree, err := pg_query.Parse(sql)
	if err != nil {
		var pe *parser.Error
		if errors.As(err, &pe) {
			code := sqlerr.SyntaxError
			if strings.Contains(pe.Message, "stack depth limit exceeded") {
				code = sqlerr.StatementTooComplex
			}
			if isFrameGrammarError(pe.Message) {
				code = codeWindowing
			}
			return nil, &sqlerr.Error{Code: code, Message: pe.Message, Position: pe.Cursorpos}
		}
		return nil, &sqlerr.Error{Code: sqlerr.StatementTooComplex, Message: "statement is too complex to parse", Cause: err}
	}
	parseTreeVersion.Store(tree.Version)
	out := make([]*parsedStmt, 0, len(tree.Stmts))
	for _, raw := range tree.Stmts {
		start := int(raw.StmtLocation)
		end := len(sql)
		if raw.StmtLen > 0 {
			end = start + int(raw.StmtLen)
		}
		if start < 0 || start > len(sql) || end > len(sql) || end < start {
			start, end = 0, len(sql)
		}
		out = append(out, &parsedStmt{node: raw.Stmt, sql: sql, text: strings.TrimSpace(sql[start:end])})
	}
	return out, nil
}

// charPos converts a 0-based byte offset in sql into PostgreSQL's 1-based
// character position; it returns 0 for an unknown location (-1).
func charPos(sql string, loc int32) int {
	if loc < 0 || int(loc) > len(sql) {
		return 0
	}
	return utf8.RuneCountInString(sql[:loc]) + 1
}

// deparseExpr returns SQL text for an expression node, used to store a
// column's DEFAULT in the catalog.
func deparseExpr(n *pg_query.Node) (string, error) {
	if parseTreeVersion.Load() == 0 {
		if _, err := parse("SELECT 1"); err != nil {
			return "", err
		}
	}
	tree := &pg_query.ParseResult{Version: parseTreeVersion.Load(), Stmts: []*pg_query.RawStmt{{Stmt: &pg_query.Node{
		Node: &pg_query.Node_SelectStmt{SelectStmt: &pg_query.SelectStmt{
			TargetList: []*pg_query.Node{{Node: &pg_query.Node_ResTarget{ResTarget: &pg_query.ResTarget{Val: n}}}},
		}},
	}}}}
	s, err := pg_query.Deparse(tree)
	if err != nil {
		return "", err
	}
	return strings.TrimPrefix(s, "SELECT "), nil
}

// parseExpr parses the text of a stored expression (a DEFAULT).
func parseExpr(text string) (*pg_query.Node, error) {
	tree, err := pg_query.Parse("SELECT " + text)
	if err != nil {
		return nil, err
	}
	if len(tree.Stmts) != 1 {
		return nil, errors.New("stored expression is not one expression")
	}
	sel := tree.Stmts[0].Stmt.GetSelectStmt()
	if sel == nil || len(sel.TargetList) != 1 {
		return nil, errors.New("stored expression is not one expression")
	}
	return sel.TargetList[0].GetResTarget().Val, nil
}

// deparseStmt returns SQL text for a statement node, used to store a
// view's query in the catalog.
func deparseStmt(n *pg_query.Node) (string, error) {
	if parseTreeVersion.Load() == 0 {
		if _, err := parse("SELECT 1"); err != nil {
			return "", err
		}
	}
	tree := &pg_query.ParseResult{Version: parseTreeVersion.Load(), Stmts: []*pg_query.RawStmt{{Stmt: n}}}
	return pg_query.Deparse(tree)
}
