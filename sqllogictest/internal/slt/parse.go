// Package slt reads sqllogictest scripts ([Parse]), formats and compares
// query results as SQLite's reference runner does ([FormatValue],
// [Compare]), and runs scripts against a server over the PostgreSQL
// protocol ([Runner]). This file is the parser.
//
// The format is SQLite's (sqllogictest.c): records separated by blank lines;
// lines starting with '#' are invisible (even inside a record); a trailing
// CR is dropped from every line. A record is one of
//
//	statement ok
//	statement error [REGEX]
//	query TYPES [nosort|rowsort|valuesort] [LABEL]
//	hash-threshold N
//	halt
//
// optionally preceded by any number of "skipif ENGINE" / "onlyif ENGINE"
// lines. A statement's SQL is the rest of the record; a query's SQL runs up
// to a "----" line, and the lines after it are the expected values, one per
// line, or the single line "N values hashing to MD5". REGEX (an extension
// of SQLite's format) must match the error the server reports, written as
// "MESSAGE (SQLSTATE CODE)".
package slt

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Kind is the type of a record.
type Kind int

// The record kinds.
const (
	// Statement is "statement ok" or "statement error".
	Statement Kind = iota
	// Query is "query TYPES ...".
	Query
	// HashThreshold is "hash-threshold N".
	HashThreshold
	// Halt is "halt": stop reading the script.
	Halt
	// Invalid is a record the parser could not understand; Err says why.
	// The runner counts it as a failure.
	Invalid
)

// String returns the record keyword of k.
func (k Kind) String() string {
	switch k {
	case Statement:
		return "statement"
	case Query:
		return "query"
	case HashThreshold:
		return "hash-threshold"
	case Halt:
		return "halt"
	case Invalid:
		return "invalid"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// SortMode says how a query's values are ordered before comparison.
type SortMode int

// The sort modes.
const (
	// NoSort compares values in the order the server returned them.
	NoSort SortMode = iota
	// RowSort sorts rows (each compared value by value, bytewise).
	RowSort
	// ValueSort sorts all values independently of rows.
	ValueSort
)

// String returns the script keyword of m.
func (m SortMode) String() string {
	switch m {
	case NoSort:
		return "nosort"
	case RowSort:
		return "rowsort"
	case ValueSort:
		return "valuesort"
	}
	return "SortMode(" + strconv.Itoa(int(m)) + ")"
}

// Condition is one skipif or onlyif line.
type Condition struct {
	Only   bool   // onlyif (true) or skipif (false)
	Engine string // engine name, compared case-insensitively
}

// Applies reports whether a record with conditions conds runs on engine:
// no skipif names it and every onlyif does.
func Applies(conds []Condition, engine string) bool {
	for _, c := range conds {
		if strings.EqualFold(c.Engine, engine) != c.Only {
			return false
		}
	}
	return true
}

// Record is one record of a script.
type Record struct {
	Kind       Kind
	Line       int // line number of the record's keyword line (1-based)
	Conditions []Condition

	// SQL is the statement or query text (lines joined by "\n").
	SQL string

	// ExpectError is set for "statement error"; ErrorPattern is the
	// optional regular expression after it ("" matches any error).
	ExpectError  bool
	ErrorPattern string

	// Types has one letter per result column: T text, I integer, R real.
	Types string
	// Sort is the query's sort mode; Label its optional result label.
	Sort  SortMode
	Label string
	// Expected holds the lines after "----" (nil when there are none).
	Expected []string

	// Threshold is the value of a hash-threshold record.
	Threshold int

	// Err says what is wrong with an Invalid record.
	Err string
}

// hashLine matches the expected-result form of a hashed result.
var hashLine = regexp.MustCompile(`^(\d+) values hashing to ([0-9a-f]{32})$`)

// ExpectedHash reports whether the expected result is the hashed form and,
// if so, the value count and the hash.
func (r *Record) ExpectedHash() (n int, hash string, ok bool) {
	if len(r.Expected) != 1 {
		return 0, "", false
	}
	m := hashLine.FindStringSubmatch(r.Expected[0])
	if m == nil {
		return 0, "", false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return 0, "", false
	}
	return n, m[2], true
}

// Counted reports whether the record is a test case (statement, query, or
// an invalid record) rather than a control record.
func (r *Record) Counted() bool {
	return r.Kind == Statement || r.Kind == Query || r.Kind == Invalid
}

// maxLine bounds one script line; longer lines are an error.
const maxLine = 16 << 20

// Parse reads a whole script. It fails only when r cannot be read; records
// it does not understand come back as Invalid records, and parsing resumes
// at the next record.
func Parse(r io.Reader) ([]Record, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, err
	}
	p := &parser{lines: lines}
	var recs []Record
	for {
		rec, ok := p.next()
		if !ok {
			return recs, nil
		}
		recs = append(recs, rec)
	}
}

// line is one visible (non-comment) line of a script.
type line struct {
	n    int    // 1-based line number
	text string // without CR/LF; "" for a blank or all-space line
}

// readLines splits r into lines, drops a trailing CR from each, turns
// all-space lines into empty ones, and drops comment lines.
func readLines(r io.Reader) ([]line, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	var out []line
	n := 0
	for sc.Scan() {
		n++
		b := bytes.TrimSuffix(sc.Bytes(), []byte("\r"))
		if len(bytes.TrimSpace(b)) == 0 {
			out = append(out, line{n: n})
			continue
		}
		if b[0] == '#' {
			continue
		}
		out = append(out, line{n: n, text: string(b)})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read script: line %d: %w", n+1, err)
	}
	return out, nil
}

type parser struct {
	lines []line
	i     int // index of the next unread line
}

// next returns the next record, or false at the end of the script.
func (p *parser) next() (Record, bool) {
	// Skip blank lines to the start of a record.
	for p.i < len(p.lines) && p.lines[p.i].text == "" {
		p.i++
	}
	if p.i >= len(p.lines) {
		return Record{}, false
	}
	var rec Record
	for {
		ln := p.lines[p.i]
		p.i++
		f := strings.Fields(ln.text)
		rec.Line = ln.n
		if f[0] != "skipif" && f[0] != "onlyif" {
			p.parseBody(&rec, f)
			return rec, true
		}
		if len(f) < 2 {
			rec.Kind, rec.Err = Invalid, f[0]+" without an engine name"
			p.skipRecord()
			return rec, true
		}
		rec.Conditions = append(rec.Conditions, Condition{Only: f[0] == "onlyif", Engine: f[1]})
		if p.i >= len(p.lines) || p.lines[p.i].text == "" {
			rec.Kind, rec.Err = Invalid, f[0]+" not followed by a record"
			return rec, true
		}
	}
}

// parseBody parses the record whose keyword line has fields f; p.i is at
// the line after it.
func (p *parser) parseBody(rec *Record, f []string) {
	switch f[0] {
	case "statement":
		rec.Kind = Statement
		switch {
		case len(f) >= 2 && f[1] == "ok":
		case len(f) >= 2 && f[1] == "error":
			rec.ExpectError = true
			rec.ErrorPattern = afterFields(p.lines[p.i-1].text, 2)
			if _, err := regexp.Compile(rec.ErrorPattern); err != nil {
				rec.Kind, rec.Err = Invalid, fmt.Sprintf("statement error: bad regular expression: %v", err)
				p.skipRecord()
				return
			}
		default:
			rec.Kind, rec.Err = Invalid, "statement argument should be 'ok' or 'error'"
			p.skipRecord()
			return
		}
		rec.SQL = strings.Join(p.until(func(s string) bool { return s == "" }), "\n")
	case "query":
		rec.Kind = Query
		if len(f) < 2 {
			rec.Kind, rec.Err = Invalid, "query without a type string"
			p.skipRecord()
			return
		}
		rec.Types = f[1]
		if i := strings.IndexFunc(rec.Types, func(r rune) bool { return r != 'T' && r != 'I' && r != 'R' }); i >= 0 {
			rec.Kind, rec.Err = Invalid, fmt.Sprintf("unknown type character %q in type string %q", rec.Types[i], rec.Types)
			p.skipRecord()
			return
		}
		if len(f) >= 3 {
			switch f[2] {
			case "nosort":
				rec.Sort = NoSort
			case "rowsort":
				rec.Sort = RowSort
			case "valuesort":
				rec.Sort = ValueSort
			default:
				rec.Kind, rec.Err = Invalid, fmt.Sprintf("unknown sort method %q", f[2])
				p.skipRecord()
				return
			}
		}
		if len(f) >= 4 {
			rec.Label = f[3]
		}
		rec.SQL = strings.Join(p.until(func(s string) bool { return s == "" || s == "----" }), "\n")
		if p.i < len(p.lines) && p.lines[p.i].text == "----" {
			p.i++
			rec.Expected = p.until(func(s string) bool { return s == "" })
		}
	case "hash-threshold":
		rec.Kind = HashThreshold
		n := -1
		if len(f) >= 2 {
			if v, err := strconv.Atoi(f[1]); err == nil {
				n = v
			}
		}
		if n < 0 {
			rec.Kind, rec.Err = Invalid, "hash-threshold needs a non-negative integer"
		}
		rec.Threshold = n
		p.skipRecord()
	case "halt":
		rec.Kind = Halt
		p.skipRecord()
	default:
		rec.Kind, rec.Err = Invalid, fmt.Sprintf("unknown record type %q", f[0])
		p.skipRecord()
	}
	if rec.Kind == Statement && rec.SQL == "" || rec.Kind == Query && rec.SQL == "" {
		rec.Kind, rec.Err = Invalid, rec.Kind.String()+" without SQL"
	}
}

// until returns the lines from p.i up to (not including) the first line
// for which stop is true, or to the end, and advances past them.
func (p *parser) until(stop func(string) bool) []string {
	var out []string
	for p.i < len(p.lines) && !stop(p.lines[p.i].text) {
		out = append(out, p.lines[p.i].text)
		p.i++
	}
	return out
}

// skipRecord advances past the rest of the current record.
func (p *parser) skipRecord() {
	p.until(func(s string) bool { return s == "" })
}

// afterFields returns s after its first n whitespace-separated fields, with
// surrounding space trimmed.
func afterFields(s string, n int) string {
	for ; n > 0; n-- {
		s = strings.TrimLeft(s, " \t")
		i := strings.IndexAny(s, " \t")
		if i < 0 {
			return ""
		}
		s = s[i:]
	}
	return strings.TrimSpace(s)
}
