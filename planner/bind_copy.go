package planner

// Binding COPY: the statement's table or query, columns and options. The
// data itself moves through the protocol (see copy.go and pgwire).

import (
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// copySpec is a bound COPY statement.
type copySpec struct {
	in bool
	// source is the SELECT whose rows COPY TO sends, or that describes
	// the target columns of COPY FROM.
	source string
	// rel and cols name the target of COPY FROM (cols empty: all).
	rel string
	// table is the table's name as COPY's error contexts print it.
	table string
	cols  []string
	opts  CopyOptions
}

// copyOf returns the COPY statement st holds, bound, or nil when st is
// not a COPY.
func copyOf(st *parsedStmt) (*copySpec, error) {
	if st.node == nil {
		return nil, nil
	}
	cs := st.node.GetCopyStmt()
	if cs == nil {
		return nil, nil
	}
	return bindCopy(cs)
}

// bindCopy checks a COPY statement and turns it into SQL text the engine
// runs: a SELECT for COPY TO, and an INSERT per row for COPY FROM.
func bindCopy(cs *pg_query.CopyStmt) (*copySpec, error) {
	if cs.IsProgram || cs.Filename != "" {
		// Aspen has no server files to offer: every role is refused as
		// PostgreSQL refuses roles without the pg_*_server_* privileges.
		e := sqlerr.New(sqlerr.InsufficientPrivilege, "permission denied to COPY to or from an external program")
		e.Detail = `Only roles with privileges of the "pg_execute_server_program" role may COPY to or from an external program.`
		switch {
		case cs.IsProgram:
		case cs.IsFrom:
			e.Message = "permission denied to COPY from a file"
			e.Detail = `Only roles with privileges of the "pg_read_server_files" role may COPY from a file.`
		default:
			e.Message = "permission denied to COPY to a file"
			e.Detail = `Only roles with privileges of the "pg_write_server_files" role may COPY to a file.`
		}
		e.Hint = "Anyone can COPY to stdout or from stdin. psql's \\copy command also works for anyone."
		return nil, e
	}
	if cs.WhereClause != nil {
		return nil, sqlerr.Unsupported("COPY FROM ... WHERE is not supported yet")
	}
	spec := &copySpec{in: cs.IsFrom}
	opts, err := copyOptions(cs.Options, cs.IsFrom)
	if err != nil {
		return nil, err
	}
	spec.opts = opts
	if cs.Query != nil {
		q, err := deparseStmt(cs.Query)
		if err != nil {
			return nil, err
		}
		spec.source = q
		return spec, nil
	}
	rel := quoteIdent(cs.Relation.Relname)
	if cs.Relation.Schemaname != "" {
		rel = quoteIdent(cs.Relation.Schemaname) + "." + rel
	}
	spec.rel = rel
	spec.table = cs.Relation.Relname
	target := "*"
	if len(cs.Attlist) > 0 {
		names := make([]string, len(cs.Attlist))
		for i, a := range cs.Attlist {
			names[i] = quoteIdent(a.GetString_().GetSval())
		}
		spec.cols = names
		target = strings.Join(names, ", ")
	}
	spec.source = "SELECT " + target + " FROM " + rel
	return spec, nil
}

// copyOptions reads COPY's options, old syntax (CSV HEADER, DELIMITER
// ',') and new (WITH (FORMAT csv, HEADER true)) alike: the grammar turns
// both into the same list.
func copyOptions(list []*pg_query.Node, in bool) (CopyOptions, error) {
	o := CopyOptions{Format: "text"}
	var delim, null, quote, escape *string
	seen := map[string]bool{}
	for _, n := range list {
		d := n.GetDefElem()
		if d == nil {
			continue
		}
		if seen[d.Defname] {
			return o, sqlerr.New(sqlerr.SyntaxError, "conflicting or redundant options")
		}
		seen[d.Defname] = true
		str, isStr := defString(d.Arg)
		switch d.Defname {
		case "format":
			switch strings.ToLower(str) {
			case "text", "csv", "binary":
				o.Format = strings.ToLower(str)
			default:
				return o, sqlerr.New(sqlerr.InvalidParameterValue, "COPY format \"%s\" not recognized", str)
			}
		case "delimiter":
			delim = &str
		case "null":
			null = &str
		case "quote":
			quote = &str
		case "escape":
			escape = &str
		case "header":
			v, err := defBool(d.Arg, isStr, str, "header")
			if err != nil {
				return o, err
			}
			o.Header = v
		case "freeze":
			// Accepted: rows are visible to others only at commit anyway.
			if _, err := defBool(d.Arg, isStr, str, "freeze"); err != nil {
				return o, err
			}
		case "encoding":
			if e := strings.ToUpper(strings.ReplaceAll(str, "-", "")); e != "UTF8" && e != "UNICODE" {
				return o, sqlerr.Unsupported("COPY encoding %q is not supported; only UTF8", str)
			}
		case "force_quote", "force_not_null", "force_null":
			return o, sqlerr.Unsupported("COPY option %q is not supported yet", d.Defname)
		default:
			return o, sqlerr.New(sqlerr.SyntaxError, "option \"%s\" not recognized", d.Defname)
		}
	}
	csv := o.Format == "csv"
	if o.Format == "binary" && (delim != nil || null != nil || o.Header) {
		return o, sqlerr.New(sqlerr.SyntaxError, "cannot specify DELIMITER, NULL or HEADER in BINARY mode")
	}
	o.Delimiter, o.Null = "\t", `\N`
	if csv {
		o.Delimiter, o.Null, o.Quote, o.Escape = ",", "", `"`, `"`
	}
	if delim != nil {
		if len(*delim) != 1 {
			return o, sqlerr.New(sqlerr.FeatureNotSupported, "COPY delimiter must be a single one-byte character")
		}
		if strings.ContainsAny(*delim, "\r\n") || (!csv && strings.ContainsAny(*delim, `\.abcdefghijklmnopqrstuvwxyz0123456789`)) {
			return o, sqlerr.New(sqlerr.InvalidParameterValue, "COPY delimiter cannot be %q", *delim)
		}
		o.Delimiter = *delim
	}
	if null != nil {
		if strings.ContainsAny(*null, "\r\n") {
			return o, sqlerr.New(sqlerr.InvalidParameterValue, "COPY null representation cannot use newline or carriage return")
		}
		o.Null = *null
	}
	if (quote != nil || escape != nil) && !csv {
		return o, sqlerr.New(sqlerr.FeatureNotSupported, "COPY quote and escape are available only in CSV mode")
	}
	if quote != nil {
		if len(*quote) != 1 {
			return o, sqlerr.New(sqlerr.FeatureNotSupported, "COPY quote must be a single one-byte character")
		}
		o.Quote = *quote
		if escape == nil {
			o.Escape = *quote
		}
	}
	if escape != nil {
		if len(*escape) != 1 {
			return o, sqlerr.New(sqlerr.FeatureNotSupported, "COPY escape must be a single one-byte character")
		}
		o.Escape = *escape
	}
	if csv && o.Delimiter == o.Quote {
		return o, sqlerr.New(sqlerr.InvalidParameterValue, "COPY delimiter and quote must be different")
	}
	if strings.Contains(o.Null, o.Delimiter) {
		return o, sqlerr.New(sqlerr.InvalidParameterValue, "COPY delimiter must not appear in the NULL specification")
	}
	return o, nil
}

// defString returns an option argument as text.
func defString(arg *pg_query.Node) (string, bool) {
	switch {
	case arg == nil:
		return "", false
	case arg.GetString_() != nil:
		return arg.GetString_().Sval, true
	case arg.GetInteger() != nil:
		return strconv.Itoa(int(arg.GetInteger().Ival)), true
	case arg.GetBoolean() != nil:
		if arg.GetBoolean().Boolval {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

// defBool reads a boolean option: no argument means true.
func defBool(arg *pg_query.Node, isStr bool, s, name string) (bool, error) {
	if arg == nil {
		return true, nil
	}
	if b := arg.GetBoolean(); b != nil {
		return b.Boolval, nil
	}
	switch strings.ToLower(s) {
	case "true", "on", "1", "yes":
		return true, nil
	case "false", "off", "0", "no":
		return false, nil
	}
	return false, sqlerr.New(sqlerr.SyntaxError, "%s requires a Boolean value", name)
}

// quoteIdent quotes an identifier for SQL text the engine builds.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
