package planner

// EXPLAIN's options and its structured formats. EXPLAIN (FORMAT JSON |
// YAML | XML) prints the plan tree with PostgreSQL's property names
// ("Node Type", "Relation Name", "Plans", ...) and layout, so that
// clients and plan visualizers that parse PostgreSQL's output read
// Aspen's: JSON is a one-element array holding {"Plan": {...}} and, with
// ANALYZE or SUMMARY, the planning and execution times. VERBOSE adds the
// nodes' Output lists; COSTS, TIMING, SUMMARY, BUFFERS, SETTINGS and WAL
// are accepted as PostgreSQL accepts them. Aspen has no cost model: the
// cost properties hold zeros.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
)

// OIDs of EXPLAIN's result column in the json and xml formats.
const (
	oidJSONPlan = 114
	oidXMLPlan  = 142
)

// explainOpts are EXPLAIN's options other than ANALYZE.
type explainOpts struct {
	format   string // text, json, yaml or xml
	verbose  bool
	costs    bool
	buffers  bool
	settings bool
	// timing and summary are nil until given: their defaults follow
	// ANALYZE.
	timing  *bool
	summary *bool
	wal     bool
}

// defaultExplainOpts are the options of a plain EXPLAIN.
func defaultExplainOpts() explainOpts {
	return explainOpts{format: "text", costs: true}
}

// set records a boolean option.
func (o *explainOpts) set(name string, v bool) {
	switch name {
	case "verbose":
		o.verbose = v
	case "costs":
		o.costs = v
	case "buffers":
		o.buffers = v
	case "settings":
		o.settings = v
	case "timing":
		o.timing = &v
	case "summary":
		o.summary = &v
	case "wal":
		o.wal = v
	}
}

// check refuses options that need ANALYZE, as PostgreSQL 15 does.
func (o *explainOpts) check(analyze bool) error {
	if analyze {
		return nil
	}
	if o.wal {
		return sqlerr.New(sqlerr.InvalidParameterValue, "EXPLAIN option WAL requires ANALYZE")
	}
	if o.timing != nil && *o.timing {
		return sqlerr.New(sqlerr.InvalidParameterValue, "EXPLAIN option TIMING requires ANALYZE")
	}
	return nil
}

// showTiming reports whether ANALYZE prints times.
func (o *explainOpts) showTiming(analyze bool) bool {
	if o.timing != nil {
		return *o.timing && analyze
	}
	return analyze
}

// showSummary reports whether the planning and execution times are
// printed.
func (o *explainOpts) showSummary(analyze bool) bool {
	if o.summary != nil {
		return *o.summary
	}
	return analyze
}

// explainColumnsFor is EXPLAIN's result column for a format: json and
// xml for those formats, text otherwise.
func explainColumnsFor(o explainOpts) []Column {
	cols := explainColumns()
	switch o.format {
	case "json":
		cols[0].TypeOID = oidJSONPlan
	case "xml":
		cols[0].TypeOID = oidXMLPlan
	}
	return cols
}

// explainRun is what an EXPLAIN ANALYZE measured.
type explainRun struct {
	analyzed bool // the statement ran (ANALYZE)
	rows     int
	planning float64 // milliseconds
	exec     float64 // milliseconds
}

// verboseOutputs fills the Output lists of VERBOSE: the top nodes of a
// query show its select list, scans their table's columns, and other
// nodes their inputs' columns.
func verboseOutputs(root *explainNode, p plan) {
	var fill func(n *explainNode) []string
	fill = func(n *explainNode) []string {
		var below []string
		for _, c := range n.children {
			below = append(below, fill(c)...)
		}
		switch {
		case n.rel != nil:
			for _, c := range n.rel.cols {
				n.output = append(n.output, quoteIdentIfNeeded(n.rel.desc.Name)+"."+quoteIdentIfNeeded(c.name))
			}
		case strings.HasPrefix(n.name, "Insert on "), strings.HasPrefix(n.name, "Update on "), strings.HasPrefix(n.name, "Delete on "):
			return nil
		default:
			n.output = below
		}
		return n.output
	}
	fill(root)
	sp, ok := p.(*selectPlan)
	if !ok {
		return
	}
	top := make([]string, len(sp.outputs))
	for i, e := range sp.outputs {
		top[i] = exprText(e)
		if _, isCol := e.(*colRef); isCol {
			top[i] = strings.Trim(top[i], "()")
		}
	}
	for n := root; n != nil; {
		n.output = top
		if n.rel != nil || len(n.children) != 1 || strings.Contains(n.name, "Join") || strings.HasPrefix(n.name, "Nested Loop") {
			break
		}
		n = n.children[0]
	}
}

// unqualifyOutputs drops the table qualification of the Output lists of
// a plan over one table, as PostgreSQL prints them.
func (n *explainNode) unqualifyOutputs() {
	out := make([]string, len(n.output))
	for i, o := range n.output {
		out[i] = unqualify(o)
	}
	n.output = out
	for _, c := range n.children {
		c.unqualifyOutputs()
	}
}

// verboseText adds the Output lines and schema-qualified relation names
// of EXPLAIN (VERBOSE) to a text plan.
func (n *explainNode) verboseText() {
	if n.rel != nil {
		name := n.rel.desc.Name
		if i := strings.LastIndex(n.name, " on "+name); i >= 0 && i+len(" on "+name) == len(n.name) {
			n.name = n.name[:i] + " on public." + name
		}
	}
	if len(n.output) > 0 {
		n.details = append([]string{"Output: " + strings.Join(n.output, ", ")}, n.details...)
	}
	for _, c := range n.children {
		c.verboseText()
	}
}

// unqualify drops the table qualification of a plain column reference.
func unqualify(s string) string {
	if i := strings.IndexByte(s, '.'); i > 0 && !strings.ContainsAny(s, " ()'") {
		return s[i+1:]
	}
	return s
}

// relations counts the table scans of a plan.
func (n *explainNode) relations() int {
	c := 0
	if n.rel != nil {
		c = 1
	}
	for _, ch := range n.children {
		c += ch.relations()
	}
	return c
}

// xprop is one property of a structured plan node: a scalar (text
// quoted as a string, or raw for numbers and booleans), a list of
// strings, or a list of child nodes.
type xprop struct {
	key   string
	text  string
	raw   bool
	list  []string
	isLst bool
	nodes []*xnode
	isObj bool // nodes hold one object (an empty group for Settings)
}

// xnode is a structured plan node or group: its properties in order.
type xnode struct {
	props []xprop
}

func (x *xnode) str(k, v string) { x.props = append(x.props, xprop{key: k, text: v}) }
func (x *xnode) raw(k, v string) { x.props = append(x.props, xprop{key: k, text: v, raw: true}) }
func (x *xnode) list(k string, v []string) {
	x.props = append(x.props, xprop{key: k, list: v, isLst: true})
}

// listKeys are the plan details PostgreSQL prints as lists.
var listKeys = map[string]bool{"Sort Key": true, "Group Key": true, "Hash Key": true, "Conflict Arbiter Indexes": true, "Presorted Key": true}

// structure turns a printed plan node into its structured form.
func (n *explainNode) structure(o explainOpts, parent string, run *explainRun, root bool) *xnode {
	x := &xnode{}
	name := n.name
	var rel, index, alias string
	joinType := ""
	switch {
	case strings.HasPrefix(name, "Seq Scan on "):
		rel, name = strings.TrimPrefix(name, "Seq Scan on "), "Seq Scan"
	case strings.HasPrefix(name, "Index Scan using "), strings.HasPrefix(name, "Index Only Scan using "):
		kind, rest, _ := strings.Cut(name, " using ")
		if i := strings.Index(rest, " on "); i >= 0 {
			index, rel = rest[:i], rest[i+4:]
		}
		name = kind
	case strings.HasPrefix(name, "Values Scan on "):
		alias, name = strings.Trim(strings.TrimPrefix(name, "Values Scan on "), `"`), "Values Scan"
	case strings.HasPrefix(name, "Function Scan on "):
		alias, name = strings.TrimPrefix(name, "Function Scan on "), "Function Scan"
	case strings.HasSuffix(name, " Join") || strings.HasPrefix(name, "Nested Loop"):
		joinType = "Inner"
		for _, k := range []string{"Left", "Right", "Full"} {
			if strings.Contains(name, " "+k+" ") {
				joinType = k
			}
		}
		if strings.HasPrefix(name, "Hash") {
			name = "Hash Join"
		} else {
			name = "Nested Loop"
		}
	}
	if n.rel != nil {
		rel = n.rel.desc.Name
	}
	if rel != "" {
		alias = rel
	}
	op := ""
	for _, verb := range []string{"Insert", "Update", "Delete"} {
		if strings.HasPrefix(name, verb+" on ") {
			op, rel = verb, strings.TrimPrefix(name, verb+" on ")
			alias, name = rel, "ModifyTable"
		}
	}
	strategy := ""
	switch name {
	case "HashAggregate":
		name, strategy = "Aggregate", "Hashed"
	case "MixedAggregate":
		name, strategy = "Aggregate", "Mixed"
	case "GroupAggregate":
		name, strategy = "Aggregate", "Sorted"
	case "Aggregate":
		strategy = "Plain"
	}
	command := ""
	if strings.HasPrefix(name, "HashSetOp ") {
		command, name, strategy = strings.TrimPrefix(name, "HashSetOp "), "SetOp", "Hashed"
	}
	x.str("Node Type", name)
	if strategy != "" {
		x.str("Strategy", strategy)
		if name == "Aggregate" {
			x.str("Partial Mode", "Simple")
		}
	}
	if op != "" {
		x.str("Operation", op)
	}
	if parent != "" {
		x.str("Parent Relationship", parent)
	}
	x.raw("Parallel Aware", "false")
	x.raw("Async Capable", "false")
	if command != "" {
		x.str("Command", command)
	}
	if name == "Index Scan" || name == "Index Only Scan" {
		x.str("Scan Direction", "Forward")
		x.str("Index Name", index)
	}
	if rel != "" {
		x.str("Relation Name", rel)
		if o.verbose {
			x.str("Schema", "public")
		}
	}
	if name == "Function Scan" && alias != "" {
		x.str("Function Name", alias)
	}
	if alias != "" {
		x.str("Alias", alias)
	}
	if joinType != "" {
		x.str("Join Type", joinType)
	}
	if o.costs {
		x.raw("Startup Cost", "0.00")
		x.raw("Total Cost", "0.00")
		x.raw("Plan Rows", "0")
		x.raw("Plan Width", "0")
	}
	if run != nil && run.analyzed && root {
		if o.showTiming(true) {
			x.raw("Actual Startup Time", fmt.Sprintf("%.3f", run.exec))
			x.raw("Actual Total Time", fmt.Sprintf("%.3f", run.exec))
		}
		x.raw("Actual Rows", strconv.Itoa(run.rows))
		x.raw("Actual Loops", "1")
	}
	if o.verbose && len(n.output) > 0 {
		x.list("Output", n.output)
	}
	seen := map[string]int{}
	for _, d := range n.details {
		k, v, ok := strings.Cut(d, ": ")
		if !ok {
			continue
		}
		if i, dup := seen[k]; dup {
			p := &x.props[i]
			if !p.isLst {
				p.list, p.isLst = []string{p.text}, true
			}
			p.list = append(p.list, splitKeys(v)...)
			continue
		}
		seen[k] = len(x.props)
		if listKeys[k] {
			x.list(k, splitKeys(v))
		} else {
			x.str(k, v)
		}
	}
	if o.buffers {
		for _, k := range []string{"Shared Hit Blocks", "Shared Read Blocks", "Shared Dirtied Blocks", "Shared Written Blocks",
			"Local Hit Blocks", "Local Read Blocks", "Local Dirtied Blocks", "Local Written Blocks", "Temp Read Blocks", "Temp Written Blocks"} {
			x.raw(k, "0")
		}
	}
	if len(n.children) > 0 {
		var kids []*xnode
		for i, c := range n.children {
			rel := "Outer"
			switch {
			case name == "Append":
				rel = "Member"
			case strings.HasPrefix(name, "Subquery Scan"):
				rel = "Subquery"
			case i == 1:
				rel = "Inner"
			}
			kids = append(kids, c.structure(o, rel, run, false))
		}
		x.props = append(x.props, xprop{key: "Plans", nodes: kids})
	}
	return x
}

// splitKeys splits a comma-separated key list, keeping commas inside
// parentheses and quotes.
func splitKeys(s string) []string {
	var out []string
	depth, start := 0, 0
	quoted := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == ',' && depth == 0 && i+1 < len(s) && s[i+1] == ' ':
			out = append(out, s[start:i])
			start = i + 2
			i++
		}
	}
	return append(out, s[start:])
}

// structuredPlan is the top-level group: {"Plan": ..., "Planning
// Time": ..., ...}.
func structuredPlan(root *explainNode, o explainOpts, analyze bool, run *explainRun) *xnode {
	top := &xnode{}
	top.props = append(top.props, xprop{key: "Plan", nodes: []*xnode{root.structure(o, "", run, true)}, isObj: true})
	if o.settings {
		top.props = append(top.props, xprop{key: "Settings", nodes: []*xnode{{}}, isObj: true})
	}
	summary := o.showSummary(analyze)
	if summary && run != nil {
		top.raw("Planning Time", fmt.Sprintf("%.3f", run.planning))
	}
	if analyze {
		top.props = append(top.props, xprop{key: "Triggers", isLst: true})
	}
	if summary && analyze && run != nil {
		top.raw("Execution Time", fmt.Sprintf("%.3f", run.exec))
	}
	return top
}

// formatPlan prints the structured plan in a format.
func formatPlan(top *xnode, format string) string {
	var sb strings.Builder
	switch format {
	case "json":
		sb.WriteString("[\n  {\n")
		writeJSONProps(&sb, top, 4)
		sb.WriteString("\n  }\n]")
	case "yaml":
		sb.WriteString("- ")
		writeYAMLProps(&sb, top, 2, true)
	case "xml":
		sb.WriteString("<explain xmlns=\"http://www.postgresql.org/2009/explain\">\n  <Query>\n")
		writeXMLProps(&sb, top, 4)
		sb.WriteString("  </Query>\n</explain>")
	}
	return sb.String()
}

// jsonString quotes s as a JSON string.
func jsonString(s string) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			sb.WriteString(`\"`)
		case '\\':
			sb.WriteString(`\\`)
		case '\n':
			sb.WriteString(`\n`)
		case '\r':
			sb.WriteString(`\r`)
		case '\t':
			sb.WriteString(`\t`)
		case '\b':
			sb.WriteString(`\b`)
		case '\f':
			sb.WriteString(`\f`)
		default:
			if r < 0x20 {
				fmt.Fprintf(&sb, `\u%04x`, r)
			} else {
				sb.WriteRune(r)
			}
		}
	}
	sb.WriteByte('"')
	return sb.String()
}

// writeJSONProps writes an object's properties, one a line, indented by
// ind spaces, as PostgreSQL's JSON format lays them out.
func writeJSONProps(sb *strings.Builder, x *xnode, ind int) {
	pad := strings.Repeat(" ", ind)
	for i, p := range x.props {
		if i > 0 {
			sb.WriteString(",\n")
		}
		sb.WriteString(pad + jsonString(p.key) + ": ")
		switch {
		case p.isObj:
			sb.WriteString("{")
			if len(p.nodes) > 0 && len(p.nodes[0].props) > 0 {
				sb.WriteString("\n")
				writeJSONProps(sb, p.nodes[0], ind+2)
			}
			sb.WriteString("\n" + pad + "}")
		case p.nodes != nil:
			sb.WriteString("[\n")
			for j, c := range p.nodes {
				if j > 0 {
					sb.WriteString(",\n")
				}
				sb.WriteString(pad + "  {\n")
				writeJSONProps(sb, c, ind+4)
				sb.WriteString("\n" + pad + "  }")
			}
			sb.WriteString("\n" + pad + "]")
		case p.isLst && p.key == "Triggers":
			sb.WriteString("[\n" + pad + "]")
		case p.isLst:
			items := make([]string, len(p.list))
			for j, s := range p.list {
				items[j] = jsonString(s)
			}
			sb.WriteString("[" + strings.Join(items, ", ") + "]")
		case p.raw:
			sb.WriteString(p.text)
		default:
			sb.WriteString(jsonString(p.text))
		}
	}
}

// writeYAMLProps writes a mapping's properties at indentation ind; the
// first line follows a "- " already written when first is set.
func writeYAMLProps(sb *strings.Builder, x *xnode, ind int, first bool) {
	pad := strings.Repeat(" ", ind)
	for i, p := range x.props {
		if i > 0 || !first {
			sb.WriteString("\n" + pad)
		}
		sb.WriteString(p.key + ": ")
		switch {
		case p.isObj:
			if len(p.nodes) > 0 && len(p.nodes[0].props) > 0 {
				writeYAMLProps(sb, p.nodes[0], ind+2, false)
			}
		case p.nodes != nil:
			for _, c := range p.nodes {
				sb.WriteString("\n" + pad + "  - ")
				writeYAMLProps(sb, c, ind+4, true)
			}
		case p.isLst:
			for _, s := range p.list {
				sb.WriteString("\n" + pad + "  - " + jsonString(s))
			}
		case p.raw:
			sb.WriteString(p.text)
		default:
			sb.WriteString(jsonString(p.text))
		}
	}
}

// xmlEscape escapes text for an XML element.
func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// writeXMLProps writes a group's properties as elements at indentation
// ind; property names take dashes for spaces, as in PostgreSQL.
func writeXMLProps(sb *strings.Builder, x *xnode, ind int) {
	pad := strings.Repeat(" ", ind)
	for _, p := range x.props {
		tag := strings.ReplaceAll(p.key, " ", "-")
		switch {
		case p.isObj:
			sb.WriteString(pad + "<" + tag + ">\n")
			if len(p.nodes) > 0 {
				writeXMLProps(sb, p.nodes[0], ind+2)
			}
			sb.WriteString(pad + "</" + tag + ">\n")
		case p.nodes != nil:
			sb.WriteString(pad + "<" + tag + ">\n")
			for _, c := range p.nodes {
				sb.WriteString(pad + "  <Plan>\n")
				writeXMLProps(sb, c, ind+4)
				sb.WriteString(pad + "  </Plan>\n")
			}
			sb.WriteString(pad + "</" + tag + ">\n")
		case p.isLst:
			sb.WriteString(pad + "<" + tag + ">\n")
			for _, s := range p.list {
				sb.WriteString(pad + "  <Item>" + xmlEscape(s) + "</Item>\n")
			}
			sb.WriteString(pad + "</" + tag + ">\n")
		default:
			sb.WriteString(pad + "<" + tag + ">" + xmlEscape(p.text) + "</" + tag + ">\n")
		}
	}
}

// explainResult builds EXPLAIN's result: the text lines, or the one
// structured document.
func explainResult(root *explainNode, p plan, spec *explainSpec, run *explainRun) *Result {
	o := spec.opts
	if o.verbose {
		verboseOutputs(root, p)
		if root.relations() <= 1 {
			root.unqualifyOutputs()
		}
	}
	res := &Result{Columns: explainColumnsFor(o), Tag: "EXPLAIN"}
	if o.format != "text" {
		doc := formatPlan(structuredPlan(root, o, spec.analyze, run), o.format)
		res.Rows = [][]Value{{types.NewText(doc)}}
		return res
	}
	if o.verbose {
		root.verboseText()
	}
	if run != nil && run.analyzed {
		if o.showTiming(true) {
			root.name += fmt.Sprintf(" (actual time=%.3f..%.3f rows=%d loops=1)", run.exec, run.exec, run.rows)
		} else {
			root.name += fmt.Sprintf(" (actual rows=%d loops=1)", run.rows)
		}
	}
	var lines []string
	root.render(&lines, 0, true)
	if o.showSummary(spec.analyze) && run != nil {
		lines = append(lines, fmt.Sprintf("Planning Time: %.3f ms", run.planning))
		if spec.analyze {
			lines = append(lines, fmt.Sprintf("Execution Time: %.3f ms", run.exec))
		}
	}
	for _, l := range lines {
		res.Rows = append(res.Rows, []Value{types.NewText(l)})
	}
	return res
}
