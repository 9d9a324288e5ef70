package planner

// GROUPING SETS, ROLLUP, CUBE, GROUP BY () and grouping(...). The GROUP BY
// clause is expanded as PostgreSQL's expand_grouping_sets does into a list
// of sets (the cartesian product of its items' sets, shortest first); the
// distinct expressions of all sets become the query's group keys, and each
// input row is aggregated once per set, with the keys outside the set
// NULL. grouping(a, b, ...) is bound as an aggregate whose result is the
// bit mask of its arguments that are not in the row's set.

import (
	"sort"
	"strconv"
	"strings"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// maxGroupingSets is PostgreSQL's limit on the expanded grouping sets.
const maxGroupingSets = 4096

// groupingSets is the expansion of a GROUP BY with grouping sets: each set
// lists positions in the select plan's groups.
type groupingSets struct {
	sets [][]int
}

// gsExpansion is a GROUP BY clause's grouping sets, as positions among
// its expression nodes.
type gsExpansion struct {
	sets [][]int
}

// expandGroupingSets returns the expression nodes of a GROUP BY clause
// (bound in order by the caller into the plan's groups) and, when it has
// grouping sets, their expansion.
func (b *binder) expandGroupingSets(items []*pg_query.Node, distinct bool) ([]*pg_query.Node, *gsExpansion, error) {
	has := false
	for _, it := range items {
		if it.GetGroupingSet() != nil {
			has = true
		}
	}
	if !has {
		return items, nil, nil
	}
	var nodes []*pg_query.Node
	add := func(n *pg_query.Node) int {
		nodes = append(nodes, n)
		return len(nodes) - 1
	}
	// unit is one element of a ROLLUP, CUBE or GROUPING SETS list: an
	// expression, or a parenthesized list of them.
	unit := func(n *pg_query.Node) []int {
		if r := n.GetRowExpr(); r != nil && r.RowFormat == pg_query.CoercionForm_COERCE_IMPLICIT_CAST {
			var out []int
			for _, a := range r.Args {
				out = append(out, add(a))
			}
			return out
		}
		return []int{add(n)}
	}
	var expand func(n *pg_query.Node) ([][]int, error)
	expand = func(n *pg_query.Node) ([][]int, error) {
		gs := n.GetGroupingSet()
		if gs == nil {
			return [][]int{unit(n)}, nil
		}
		switch gs.Kind {
		case pg_query.GroupingSetKind_GROUPING_SET_EMPTY:
			return [][]int{{}}, nil
		case pg_query.GroupingSetKind_GROUPING_SET_SIMPLE:
			var set []int
			for _, c := range gs.Content {
				set = append(set, unit(c)...)
			}
			return [][]int{set}, nil
		case pg_query.GroupingSetKind_GROUPING_SET_ROLLUP:
			units := make([][]int, len(gs.Content))
			for i, c := range gs.Content {
				units[i] = unit(c)
			}
			var out [][]int
			for k := len(units); k >= 0; k-- {
				var set []int
				for _, u := range units[:k] {
					set = append(set, u...)
				}
				out = append(out, set)
			}
			return out, nil
		case pg_query.GroupingSetKind_GROUPING_SET_CUBE:
			if len(gs.Content) > 12 {
				return nil, b.errAt(sqlerr.New("54011", "CUBE is limited to 12 elements"), gs.Location)
			}
			units := make([][]int, len(gs.Content))
			for i, c := range gs.Content {
				units[i] = unit(c)
			}
			var out [][]int
			for mask := 0; mask < 1<<len(units); mask++ {
				set := []int{}
				for i, u := range units {
					if mask&(1<<i) != 0 {
						set = append(set, u...)
					}
				}
				out = append(out, set)
			}
			return out, nil
		case pg_query.GroupingSetKind_GROUPING_SET_SETS:
			var out [][]int
			for _, c := range gs.Content {
				sub, err := expand(c)
				if err != nil {
					return nil, err
				}
				out = append(out, sub...)
				if len(out) > maxGroupingSets {
					return nil, tooManyGroupingSets(b, gs.Location)
				}
			}
			return out, nil
		}
		return nil, sqlerr.Syntax("malformed grouping set")
	}
	result := [][]int{{}}
	for _, it := range items {
		sets, err := expand(it)
		if err != nil {
			return nil, nil, err
		}
		if len(result)*len(sets) > maxGroupingSets {
			return nil, nil, tooManyGroupingSets(b, exprLocation(it))
		}
		next := make([][]int, 0, len(result)*len(sets))
		for _, q := range result {
			for _, r := range sets {
				next = append(next, append(append([]int{}, q...), r...))
			}
		}
		result = next
	}
	sort.SliceStable(result, func(i, j int) bool { return len(result[i]) < len(result[j]) })
	return nodes, &gsExpansion{sets: result}, nil
}

func tooManyGroupingSets(b *binder, loc int32) error {
	return b.errAt(sqlerr.New("54001", "too many grouping sets present (maximum %d)", maxGroupingSets), loc)
}

// finishGroupingSets, once the whole query is bound, merges equal group
// expressions, sets the plan's grouping sets (a single set of all groups
// when only grouping() needs them), and resolves the grouping() calls'
// arguments to group positions. distinct drops repeated sets (GROUP BY
// DISTINCT).
func (b *binder) finishGroupingSets(p *selectPlan, gx *gsExpansion, distinct bool) error {
	hasGroupingCall := false
	for _, a := range p.aggs {
		if a.ext != nil && a.ext.grouping != nil {
			hasGroupingCall = true
		}
	}
	b.gsCommon = nil
	if gx == nil && !hasGroupingCall {
		return nil
	}
	// Merge equal expressions: position i maps to the first equal one.
	canon := make([]int, len(p.groups))
	var groups []expr
	seen := map[string]int{}
	for i, g := range p.groups {
		s := g.String()
		if j, ok := seen[s]; ok {
			canon[i] = j
			continue
		}
		seen[s] = len(groups)
		canon[i] = len(groups)
		groups = append(groups, g)
	}
	var sets [][]int
	if gx == nil {
		all := make([]int, len(groups))
		for i := range all {
			all[i] = i
		}
		sets = [][]int{all}
	} else {
		done := map[string]bool{}
		for _, s := range gx.sets {
			set := make([]int, 0, len(s))
			in := map[int]bool{}
			for _, i := range s {
				if c := canon[i]; !in[c] {
					in[c] = true
					set = append(set, c)
				}
			}
			if distinct {
				sorted := append([]int(nil), set...)
				sort.Ints(sorted)
				k := ""
				for _, i := range sorted {
					k += strconv.Itoa(i) + ","
				}
				if done[k] {
					continue
				}
				done[k] = true
			}
			sets = append(sets, set)
		}
	}
	p.groups = groups
	p.gsets = &groupingSets{sets: sets}
	// The expressions in every set.
	common := []expr{}
	for i, g := range groups {
		inAll := true
		for _, set := range sets {
			found := false
			for _, j := range set {
				if j == i {
					found = true
				}
			}
			if !found {
				inAll = false
			}
		}
		if inAll {
			common = append(common, g)
		}
	}
	b.gsCommon = &common
	for _, a := range p.aggs {
		if a.ext == nil || a.ext.grouping == nil {
			continue
		}
		g := a.ext.grouping
		g.cols = make([]int, len(g.args))
		for i, e := range g.args {
			j, ok := seen[e.String()]
			if !ok {
				return b.errAt(sqlerr.New(sqlerr.GroupingError, "arguments to GROUPING must be grouping expressions of the associated query level"), g.locs[i])
			}
			g.cols[i] = j
		}
	}
	return nil
}

// groupingCall is the part of an aggCall of grouping(...).
type groupingCall struct {
	args []expr
	locs []int32
	cols []int // positions of args among the groups
}

// bindGroupingFunc binds grouping(a, b, ...).
func (b *binder) bindGroupingFunc(f *pg_query.GroupingFunc) (expr, error) {
	if !b.aggAllowed {
		if b.aggContext == "" {
			return nil, b.errAt(sqlerr.New(sqlerr.GroupingError, "aggregate function calls cannot be nested"), f.Location)
		}
		return nil, b.errAt(sqlerr.New(sqlerr.GroupingError, "grouping operations are not allowed in %s", b.aggContext), f.Location)
	}
	if len(f.Args) >= 32 {
		return nil, b.errAt(sqlerr.New("54023", "GROUPING must have fewer than 32 arguments"), f.Location)
	}
	saved, savedCtx := b.aggAllowed, b.aggContext
	b.aggAllowed, b.aggContext = false, ""
	defer func() { b.aggAllowed, b.aggContext = saved, savedCtx }()
	g := &groupingCall{}
	for _, a := range f.Args {
		e, err := b.bindExpr(a)
		if err != nil {
			return nil, err
		}
		g.args = append(g.args, e)
		g.locs = append(g.locs, exprLocation(a))
	}
	call := &aggCall{name: "grouping", t: types.TInt4, ext: &aggExt{grouping: g}}
	b.aggs = append(b.aggs, call)
	return &aggRef{idx: len(b.aggs) - 1, t: call.t}, nil
}

// setGrouper aggregates rows once per grouping set.
type setGrouper struct {
	index  map[string]int
	groups []*setGroup
}

// setGroup is one group of one grouping set.
type setGroup struct {
	set    int
	keys   []types.Value
	states []*aggState
	rep    []types.Value
}

func (g *grouper) newGroupInSet(set int, kv []types.Value, row []types.Value, mem *memBudget) (*setGroup, error) {
	if err := mem.add(kv); err != nil {
		return nil, err
	}
	sg := &setGroup{set: set, keys: kv, states: make([]*aggState, len(g.p.aggs))}
	for i, a := range g.p.aggs {
		sg.states[i] = newAggState(a)
	}
	if g.p.keepRep && row != nil {
		sg.rep = append([]types.Value(nil), row...)
		if err := mem.add(sg.rep); err != nil {
			return nil, err
		}
		// Correlated subqueries read grouped columns from this row: the
		// columns outside the set are NULL there.
		in := map[int]bool{}
		for _, i := range g.p.gsets.sets[set] {
			in[i] = true
		}
		for i, e := range g.p.groups {
			if c, ok := e.(*colRef); ok && !in[i] && c.idx < len(sg.rep) {
				sg.rep[c.idx] = types.Null
			}
		}
	}
	return sg, nil
}

// addSets adds an input row to its group in every grouping set.
func (g *grouper) addSets(ev *evalCtx, row []types.Value, mem *memBudget) error {
	if g.sets == nil {
		g.sets = &setGrouper{index: map[string]int{}}
	}
	all := make([]types.Value, len(g.p.groups))
	for i, e := range g.p.groups {
		v, err := e.eval(ev, row)
		if err != nil {
			return err
		}
		all[i] = v
	}
	for si, set := range g.p.gsets.sets {
		kv := make([]types.Value, len(all))
		for _, i := range set {
			kv[i] = all[i]
		}
		k := strconv.Itoa(si) + ":" + rowKey(kv)
		gi, ok := g.sets.index[k]
		if !ok {
			sg, err := g.newGroupInSet(si, kv, row, mem)
			if err != nil {
				return err
			}
			gi = len(g.sets.groups)
			g.sets.index[k] = gi
			g.sets.groups = append(g.sets.groups, sg)
		}
		for _, s := range g.sets.groups[gi].states {
			if s.call.ext != nil && s.call.ext.grouping != nil {
				continue
			}
			if err := s.add(ev, row); err != nil {
				return err
			}
		}
	}
	return nil
}

// finishSets returns one row per group of every set (keys, aggregate
// results, then the representative row): the groups of empty sets first,
// even over no input rows, then the others.
func (g *grouper) finishSets(ev *evalCtx) ([][]types.Value, error) {
	if g.sets == nil {
		g.sets = &setGrouper{index: map[string]int{}}
	}
	var mem memBudget
	var empty, rest []*setGroup
	for si, set := range g.p.gsets.sets {
		if len(set) != 0 {
			continue
		}
		kv := make([]types.Value, len(g.p.groups))
		k := strconv.Itoa(si) + ":" + rowKey(kv)
		if gi, ok := g.sets.index[k]; ok {
			empty = append(empty, g.sets.groups[gi])
			continue
		}
		sg, err := g.newGroupInSet(si, kv, nil, &mem)
		if err != nil {
			return nil, err
		}
		empty = append(empty, sg)
	}
	// The other sets' groups come longest set first (among sets of the
	// same length, in the clause's order), as PostgreSQL's hashed
	// grouping sets do for the common cases.
	bySet := make([][]*setGroup, len(g.p.gsets.sets))
	for _, sg := range g.sets.groups {
		bySet[sg.set] = append(bySet[sg.set], sg)
	}
	order := make([]int, len(bySet))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool {
		return len(g.p.gsets.sets[order[i]]) > len(g.p.gsets.sets[order[j]])
	})
	for _, si := range order {
		if len(g.p.gsets.sets[si]) != 0 {
			rest = append(rest, bySet[si]...)
		}
	}
	out := make([][]types.Value, 0, len(empty)+len(rest))
	for _, sg := range append(empty, rest...) {
		row := append([]types.Value{}, sg.keys...)
		for _, s := range sg.states {
			if gc := s.call.ext; gc != nil && gc.grouping != nil {
				row = append(row, types.NewInt(types.Int4, groupingMask(gc.grouping.cols, g.p.gsets.sets[sg.set])))
				continue
			}
			v, err := s.result()
			if err != nil {
				return nil, err
			}
			row = append(row, v)
		}
		if g.p.keepRep {
			row = append(row, sg.rep...)
		}
		out = append(out, row)
	}
	return out, nil
}

// groupingMask is grouping()'s result: one bit per argument, the last
// argument the lowest, set when the argument is not in the set.
func groupingMask(cols, set []int) int64 {
	var m int64
	for _, c := range cols {
		m <<= 1
		in := false
		for _, s := range set {
			if s == c {
				in = true
			}
		}
		if !in {
			m |= 1
		}
	}
	return m
}

// explainGroupingSets describes grouping sets as PostgreSQL's
// MixedAggregate does: a Hash Key per set, longest first, and Group Key:
// () for the empty sets.
func explainGroupingSets(p *selectPlan, agg *explainNode) {
	if p.gsets == nil {
		return
	}
	var hashed []string
	empty := 0
	order := make([]int, len(p.gsets.sets))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return len(p.gsets.sets[order[i]]) > len(p.gsets.sets[order[j]]) })
	for _, si := range order {
		set := p.gsets.sets[si]
		if len(set) == 0 {
			empty++
			continue
		}
		keys := make([]string, len(set))
		for i, g := range set {
			keys[i] = strings.Trim(exprText(p.groups[g]), "()")
		}
		hashed = append(hashed, "Hash Key: "+strings.Join(keys, ", "))
	}
	agg.details = hashed
	switch {
	case len(hashed) == 0:
		agg.name = "Aggregate"
	case empty == 0:
		agg.name = "HashAggregate"
	default:
		agg.name = "MixedAggregate"
	}
	for ; empty > 0; empty-- {
		agg.details = append(agg.details, "Group Key: ()")
	}
}
