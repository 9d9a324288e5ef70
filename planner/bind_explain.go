package planner

// Binding EXPLAIN: the statement it explains and its options.

import (
	"strings"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// explainSpec is a bound EXPLAIN.
type explainSpec struct {
	inner   *parsedStmt
	analyze bool
	// opts are the other options (explain_format.go).
	opts explainOpts
}

// explainOf returns the EXPLAIN statement st holds, or nil for another
// statement.
func explainOf(st *parsedStmt) (*explainSpec, error) {
	if st.node == nil || st.node.GetExplainStmt() == nil {
		return nil, nil
	}
	ex := st.node.GetExplainStmt()
	spec := &explainSpec{inner: &parsedStmt{node: ex.Query, sql: st.sql, text: st.text}, opts: defaultExplainOpts()}
	for _, n := range ex.Options {
		d := n.GetDefElem()
		if d == nil {
			continue
		}
		val, isStr := defString(d.Arg)
		switch d.Defname {
		case "analyze":
			v, err := defBool(d.Arg, isStr, val, "analyze")
			if err != nil {
				return nil, err
			}
			spec.analyze = v
		case "verbose", "costs", "buffers", "timing", "summary", "settings", "wal":
			v, err := defBool(d.Arg, isStr, val, d.Defname)
			if err != nil {
				return nil, err
			}
			spec.opts.set(d.Defname, v)
		case "format":
			switch f := strings.ToLower(val); f {
			case "text", "json", "yaml", "xml":
				spec.opts.format = f
			default:
				return nil, sqlerr.New(sqlerr.InvalidParameterValue, "unrecognized value for EXPLAIN option \"format\": \"%s\"", val).
					WithPosition(charPos(st.sql, d.Location))
			}
		default:
			return nil, sqlerr.New(sqlerr.SyntaxError, "unrecognized EXPLAIN option \"%s\"", d.Defname)
		}
	}
	return spec, spec.opts.check(spec.analyze)
}
