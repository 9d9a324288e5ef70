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
}

// explainOf returns the EXPLAIN statement st holds, or nil for another
// statement.
func explainOf(st *parsedStmt) (*explainSpec, error) {
	if st.node == nil || st.node.GetExplainStmt() == nil {
		return nil, nil
	}
	ex := st.node.GetExplainStmt()
	spec := &explainSpec{inner: &parsedStmt{node: ex.Query, sql: st.sql, text: st.text}}
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
			if _, err := defBool(d.Arg, isStr, val, d.Defname); err != nil {
				return nil, err
			}
		case "format":
			if strings.ToLower(val) != "text" {
				return nil, sqlerr.Unsupported("EXPLAIN format %s is not supported yet; only TEXT", strings.ToUpper(val))
			}
		default:
			return nil, sqlerr.New(sqlerr.SyntaxError, "unrecognized EXPLAIN option \"%s\"", d.Defname)
		}
	}
	return spec, nil
}
