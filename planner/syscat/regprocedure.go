package syscat

// regprocedure's input and output: a function named by its signature,
// "abs(integer)", which picks one function of an overloaded name.

import (
	"strconv"
	"strings"
)

// RegprocedureErr says why a regprocedure input did not resolve; the
// binder turns it into PostgreSQL's error.
type RegprocedureErr int

// The ways a regprocedure input fails, with the SQLSTATE each gets.
const (
	RegprocedureOK           RegprocedureErr = iota
	RegprocedureNoLeftParen                  // 22P02 expected a left parenthesis
	RegprocedureNoRightParen                 // 22P02 expected a right parenthesis
	RegprocedureNoTypeName                   // 22P02 expected a type name
	RegprocedureBadName                      // 42602 invalid name syntax
	RegprocedureNoSchema                     // 3F000 schema "%s" does not exist (Detail: the schema)
	RegprocedureNoType                       // 42704 type "%s" does not exist (Detail: the type)
	RegprocedureNoFunction                   // 42883 function "%s" does not exist (Detail: the input)
)

// RegprocedureOut renders a function OID as regprocedureout does: its
// name (quoted as an identifier; the built-in functions are all visible,
// so unqualified) and its argument types as format_type shows them,
// comma-separated without spaces: "to_char(timestamp with time
// zone,text)". 0 renders as "-", an unknown OID as its number.
func (s *Snapshot) RegprocedureOut(oid uint32) string {
	if oid == 0 {
		return "-"
	}
	p, ok := procByOID(oid)
	if !ok {
		return strconv.FormatUint(uint64(oid), 10)
	}
	var b strings.Builder
	b.WriteString(QuoteIdent(p.name))
	b.WriteByte('(')
	for i, a := range strings.Fields(p.argtypes) {
		if i > 0 {
			b.WriteByte(',')
		}
		n, _ := strconv.ParseUint(a, 10, 32)
		b.WriteString(s.RegtypeOut(uint32(n)))
	}
	b.WriteByte(')')
	return b.String()
}

// RegprocedureIn resolves a function signature (regprocedure input):
// "name(type, ...)", optionally schema-qualified, or an OID. On failure
// it returns why, with the name the message shows (detail).
func (s *Snapshot) RegprocedureIn(text string) (oid uint32, why RegprocedureErr, detail string) {
	t := strings.TrimSpace(text)
	if n, err := strconv.ParseUint(t, 10, 32); err == nil {
		return uint32(n), RegprocedureOK, ""
	}
	if t == "-" {
		return 0, RegprocedureOK, ""
	}
	open := -1
	quoted := false
	for i := 0; i < len(t); i++ {
		if t[i] == '"' {
			quoted = !quoted
		} else if t[i] == '(' && !quoted {
			open = i
			break
		}
	}
	if open < 0 {
		return 0, RegprocedureNoLeftParen, ""
	}
	schema, name, ok := splitQualified(t[:open])
	if !ok || strings.TrimSpace(t[:open]) == "" {
		return 0, RegprocedureBadName, ""
	}
	if !strings.HasSuffix(t, ")") {
		return 0, RegprocedureNoRightParen, ""
	}
	args, ok := splitArgs(t[open+1 : len(t)-1])
	if !ok {
		return 0, RegprocedureNoTypeName, ""
	}
	want := make([]string, len(args))
	for i, a := range args {
		toid, found := s.RegtypeIn(a)
		if !found {
			return 0, RegprocedureNoType, a
		}
		want[i] = strconv.FormatUint(uint64(toid), 10)
	}
	if schema != "" {
		if _, found := namespaceOID(schema); !found {
			return 0, RegprocedureNoSchema, schema
		}
		if schema != "pg_catalog" {
			return 0, RegprocedureNoFunction, text
		}
	}
	sig := strings.Join(want, " ")
	for _, i := range procByName[name] {
		if strings.Join(strings.Fields(builtinProcs[i].argtypes), " ") == sig {
			return builtinProcs[i].oid, RegprocedureOK, ""
		}
	}
	return 0, RegprocedureNoFunction, text
}

// splitArgs splits a signature's argument list at the commas outside
// parentheses and double quotes; ok is false when an argument is empty
// (an empty list is no arguments).
func splitArgs(s string) ([]string, bool) {
	if strings.TrimSpace(s) == "" {
		return nil, true
	}
	var out []string
	depth, start := 0, 0
	quoted := false
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			switch c := s[i]; {
			case c == '"':
				quoted = !quoted
				continue
			case quoted:
				continue
			case c == '(':
				depth++
				continue
			case c == ')':
				depth--
				continue
			case c != ',' || depth > 0:
				continue
			}
		}
		a := strings.TrimSpace(s[start:i])
		if a == "" {
			return nil, false
		}
		out = append(out, a)
		start = i + 1
	}
	return out, true
}
