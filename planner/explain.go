package planner

// EXPLAIN: the bound plan as PostgreSQL's text format prints it without
// costs (as EXPLAIN (COSTS OFF) does), and EXPLAIN ANALYZE, which runs the
// statement and adds its actual row count and time. The options and the
// JSON, YAML and XML formats are in explain_format.go.

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/aspen-db/aspen/planner/types"
)

// explainNode is one node of the printed plan.
type explainNode struct {
	name     string
	details  []string
	children []*explainNode
	// rel is the table a scan node reads; output is the node's Output
	// list for VERBOSE (explain_format.go).
	rel    *tableInfo
	output []string
}

// execExplain runs EXPLAIN [ANALYZE] of spec's statement.
func (s *Session) execExplain(ctx context.Context, spec *explainSpec, paramTypes []types.T, params []types.Value) (*Result, error) {
	tx, err := s.txn(ctx)
	if err != nil {
		return nil, err
	}
	planStart := time.Now()
	p, _, err := s.eng.bindStmt(spec.inner, tx, paramTypes, s.ident)
	if err != nil {
		return nil, err
	}
	root := explainPlan(p)
	run := &explainRun{planning: float64(time.Since(planStart).Microseconds()) / 1000}
	if spec.analyze {
		start := time.Now()
		res, err := s.runStmt(ctx, spec.inner, paramTypes, params)
		if err != nil {
			return nil, err
		}
		run.analyzed = true
		run.exec = float64(time.Since(start).Microseconds()) / 1000
		run.rows = len(res.Rows)
		if f := strings.Fields(res.Tag); res.Columns == nil && len(f) > 0 {
			run.rows, _ = strconv.Atoi(f[len(f)-1])
		}
	}
	return explainResult(root, p, spec, run), nil
}

// explainColumns is EXPLAIN's one result column.
func explainColumns() []Column {
	return []Column{{Name: "QUERY PLAN", TypeOID: types.OIDText, TypeSize: -1, TypeMod: -1}}
}

// render appends the node's lines: the root at column 0, children as
// "->  name" six columns further in, details two columns past the
// node's own indentation.
func (n *explainNode) render(lines *[]string, indent int, root bool) {
	detailIndent := indent + 2
	if root {
		*lines = append(*lines, n.name)
	} else {
		*lines = append(*lines, strings.Repeat(" ", indent)+"->  "+n.name)
		detailIndent = indent + 6
	}
	for _, d := range n.details {
		*lines = append(*lines, strings.Repeat(" ", detailIndent)+d)
	}
	next := indent + 6
	if root {
		next = 2
	}
	for _, c := range n.children {
		c.render(lines, next, false)
	}
}

// Expression text for plans: column positions (printed for matching)
// and the grouping prefix go, and numeric constants print bare, as in
// PostgreSQL's plans.
var (
	colSuffix   = regexp.MustCompile(`#\d+`)
	groupPrefix = regexp.MustCompile(`\bgroup\.`)
	numConst    = regexp.MustCompile(`'(-?[0-9]+(?:\.[0-9]+)?)'::(?:int2|int4|int8|numeric|float4|float8)`)
)

// exprText renders an expression for a plan line.
func exprText(e expr) string {
	s := colSuffix.ReplaceAllString(e.String(), "")
	s = groupPrefix.ReplaceAllString(s, "")
	s = numConst.ReplaceAllString(s, "$1")
	if !strings.HasPrefix(s, "(") {
		s = "(" + s + ")"
	}
	return s
}

// explainPlan turns a bound plan into printed nodes.
func explainPlan(p plan) *explainNode {
	switch p := p.(type) {
	case *selectPlan:
		return explainSelect(p)
	case *setOpPlan:
		n := &explainNode{name: "Append", children: []*explainNode{explainPlan(p.left), explainPlan(p.right)}}
		switch {
		case p.op == "UNION" && !p.all:
			n = &explainNode{name: "HashAggregate", children: []*explainNode{n}}
		case p.op != "UNION":
			n = &explainNode{name: "HashSetOp " + p.op[:1] + strings.ToLower(p.op[1:]), children: []*explainNode{n}}
			if p.all {
				n.name += " All"
			}
		}
		return wrapSortLimit(n, p.sort != nil, p.limit != nil || p.offset != nil, nil)
	case *valuesPlan:
		return wrapSortLimit(&explainNode{name: `Values Scan on "*VALUES*"`}, p.sort != nil, p.limit != nil || p.offset != nil, nil)
	case *recursivePlan:
		return &explainNode{name: "Recursive Union", children: []*explainNode{explainPlan(p.nonrec), explainPlan(p.rec)}}
	case *insertPlan:
		n := &explainNode{name: "Insert on " + p.table.desc.Name}
		if p.source != nil {
			n.children = []*explainNode{explainPlan(p.source)}
		} else if len(p.rows) > 1 {
			n.children = []*explainNode{{name: `Values Scan on "*VALUES*"`}}
		} else {
			n.children = []*explainNode{{name: "Result"}}
		}
		n.details = explainOnConflict(p)
		return n
	case *updatePlan:
		return &explainNode{name: "Update on " + p.table.desc.Name, children: []*explainNode{withFrom(scanNode(p.table, p.scan, p.filter, false), p.from)}}
	case *withDMLPlan:
		return explainPlan(p.main)
	case *deletePlan:
		return &explainNode{name: "Delete on " + p.table.desc.Name, children: []*explainNode{withFrom(scanNode(p.table, p.scan, p.filter, false), p.using)}}
	}
	return &explainNode{name: "Result"}
}

// withFrom joins a DML target's scan with its FROM/USING items.
func withFrom(scan *explainNode, from fromNode) *explainNode {
	if from == nil {
		return scan
	}
	return &explainNode{name: "Nested Loop", children: []*explainNode{scan, explainFrom(from)}}
}

func explainSelect(p *selectPlan) *explainNode {
	var n *explainNode
	switch {
	case p.table != nil:
		n = scanNode(p.table, p.scan, p.filter, p.keyOrder || p.indexOrder > 0)
		if p.indexOrder > 0 && p.scan.empty() {
			n.name = "Index Scan using " + p.table.desc.Indexes[p.indexOrder-1].Name + " on " + p.table.desc.Name
		}
		explainIndexOnly(n, p)
	case p.from != nil:
		n = explainFrom(p.from)
		if p.filter != nil {
			n.details = append(n.details, "Filter: "+exprText(p.filter))
		}
	default:
		n = &explainNode{name: "Result"}
	}
	if p.grouped {
		agg := &explainNode{name: "Aggregate", children: []*explainNode{n}}
		if len(p.groups) > 0 {
			agg.name = "HashAggregate"
			keys := make([]string, len(p.groups))
			for i, g := range p.groups {
				keys[i] = strings.Trim(exprText(g), "()")
			}
			agg.details = append(agg.details, "Group Key: "+strings.Join(keys, ", "))
		}
		explainGroupingSets(p, agg)
		if p.having != nil {
			agg.details = append(agg.details, "Filter: "+exprText(p.having))
		}
		n = agg
	}
	n = explainWindow(p.window, n)
	if p.distinct || p.distinctOn != nil {
		n = &explainNode{name: "Unique", children: []*explainNode{n}}
	}
	sorted := p.sort != nil && !p.keyOrder && p.indexOrder == 0
	var keys []string
	if sorted {
		for _, k := range p.sort {
			if k.idx < len(p.outputs) {
				s := strings.Trim(exprText(p.outputs[k.idx]), "()")
				if k.desc {
					s += " DESC"
				}
				keys = append(keys, s)
			}
		}
	}
	return wrapSortLimit(n, sorted, p.limit != nil || p.offset != nil, keys)
}

// wrapSortLimit puts Sort and Limit nodes over n.
func wrapSortLimit(n *explainNode, sorted, limited bool, keys []string) *explainNode {
	if sorted {
		s := &explainNode{name: "Sort", children: []*explainNode{n}}
		if len(keys) > 0 {
			s.details = []string{"Sort Key: " + strings.Join(keys, ", ")}
		}
		n = s
	}
	if limited {
		n = &explainNode{name: "Limit", children: []*explainNode{n}}
	}
	return n
}

// scanNode is the access to one table: a sequential scan, or an index
// scan with its condition when the scan is restricted to a key range.
func scanNode(ti *tableInfo, sc scanSpec, filter expr, ordered bool) *explainNode {
	name := ti.desc.Name
	n := &explainNode{name: "Seq Scan on " + name, rel: ti}
	var cols []int
	index := ti.desc.PKName
	switch {
	case sc.index > 0 && sc.index <= len(ti.desc.Indexes):
		ix := ti.desc.Indexes[sc.index-1]
		index, cols = ix.Name, ix.Columns
	default:
		cols = ti.pk
	}
	if !sc.empty() || (ordered && sc.index == 0 && len(ti.pk) > 0) {
		if index == "" {
			index = name + "_pkey"
		}
		n.name = "Index Scan using " + index + " on " + name
		var conds []string
		colName := func(i int) string {
			if i < len(cols) && cols[i] < len(ti.cols) {
				return ti.cols[cols[i]].name
			}
			return "?"
		}
		for i, e := range sc.eq {
			conds = append(conds, colName(i)+" = "+strings.Trim(exprText(e), "()"))
		}
		k := len(sc.eq)
		if sc.in != nil {
			vals := make([]string, len(sc.in))
			for i, e := range sc.in {
				vals[i] = strings.Trim(exprText(e), "()")
			}
			conds = append(conds, colName(0)+" = ANY ('{"+strings.Join(vals, ",")+"}')")
		}
		if sc.lo != nil {
			op := ">"
			if sc.lo.incl {
				op = ">="
			}
			conds = append(conds, colName(k)+" "+op+" "+strings.Trim(exprText(sc.lo.e), "()"))
		}
		if sc.hi != nil {
			op := "<"
			if sc.hi.incl {
				op = "<="
			}
			conds = append(conds, colName(k)+" "+op+" "+strings.Trim(exprText(sc.hi.e), "()"))
		}
		if len(conds) > 0 {
			n.details = append(n.details, "Index Cond: (("+strings.Join(conds, ") AND (")+"))")
			if len(conds) == 1 {
				n.details[len(n.details)-1] = "Index Cond: (" + conds[0] + ")"
			}
		}
	}
	if filter != nil {
		n.details = append(n.details, "Filter: "+exprText(filter))
	}
	return n
}

// explainFrom prints a FROM tree.
func explainFrom(f fromNode) *explainNode {
	switch f := f.(type) {
	case *fromTable:
		return scanNode(f.ti, f.scan, f.filter, false)
	case *fromQuery:
		return &explainNode{name: "Subquery Scan", children: []*explainNode{explainPlan(f.q)}}
	case *fromLateral:
		return &explainNode{name: "Subquery Scan (lateral)", children: []*explainNode{explainPlan(f.q)}}
	case *fromWork:
		return &explainNode{name: "WorkTable Scan"}
	case *fromFunc:
		return &explainNode{name: "Function Scan on " + f.name}
	case *fromReorder:
		return explainFrom(f.join)
	case *fromSemiJoin:
		return explainSemiJoin(f)
	case *fromJoin:
		kind := [...]string{joinInner: "", joinLeft: " Left", joinRight: " Right", joinFull: " Full"}[f.kind]
		left, right := explainFrom(f.left), explainFrom(f.right)
		if len(f.lkeys) > 0 {
			n := &explainNode{name: "Hash" + kind + " Join", children: []*explainNode{left, {name: "Hash", children: []*explainNode{right}}}}
			conds := make([]string, len(f.lkeys))
			for i := range f.lkeys {
				conds[i] = strings.Trim(exprText(f.lkeys[i]), "()") + " = " + strings.Trim(exprText(f.rkeys[i]), "()")
			}
			n.details = append(n.details, "Hash Cond: ("+strings.Join(conds, ") AND (")+")")
			if f.cond != nil {
				n.details = append(n.details, "Join Filter: "+exprText(f.cond))
			}
			return n
		}
		n := &explainNode{name: "Nested Loop" + kind + " Join", children: []*explainNode{left, right}}
		if kind == "" {
			n.name = "Nested Loop"
		}
		if f.cond != nil {
			n.details = append(n.details, "Join Filter: "+exprText(f.cond))
		}
		return n
	}
	return &explainNode{name: "Result"}
}
