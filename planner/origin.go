package planner

// Result-column provenance: which table column a select-list entry reads,
// for RowDescription's table OID and column number (PostgreSQL's
// resorigtbl and resorigcol).

import (
	"github.com/aspen-db/aspen/planner/syscat"
	"github.com/aspen-db/aspen/planner/types"
)

// columnOrigin returns the pg_class OID of the table with store id id and
// the attnum of its column at position i; zeros when the id has no OID.
func columnOrigin(id int64, i int) (uint32, int16) {
	oid, ok := syscat.RelationOID(id)
	if !ok || i < 0 || i >= 1<<15-1 {
		return 0, 0
	}
	return oid, int16(i + 1)
}

// exprOrigin returns the table column a bound select-list expression reads
// as it is, as PostgreSQL marks target list origins: a plain column
// reference of this query level (through aliases, subqueries, CTEs and
// views, which carry their own outputs' origins) or of an enclosing one.
// Anything else, including a merged USING column, has no origin.
func (b *binder) exprOrigin(e expr) (uint32, int16) {
	var depth, idx int
	switch x := e.(type) {
	case *colRef:
		idx = x.idx
	case *outerRef:
		depth, idx = x.depth, x.idx
	default:
		return 0, 0
	}
	// Depth counts the scopes that hold columns, as resolveColumn does.
	s := b.sc
	for ; s != nil; s = s.parent {
		if s.marker {
			continue
		}
		if depth == 0 {
			break
		}
		depth--
	}
	if s == nil {
		return 0, 0
	}
	ent, i := s.locate(idx)
	if ent == nil || i < 0 || i >= len(ent.cols) {
		return 0, 0
	}
	return ent.cols[i].rel, ent.cols[i].attnum
}

// viewColumnOrigin returns the origin of a view's column at position i:
// the view's pg_class OID and the column's attnum.
func viewColumnOrigin(name string, i int) (uint32, int16) {
	if i < 0 || i >= 1<<15-1 {
		return 0, 0
	}
	return syscat.HashedRelationOID(name), int16(i + 1)
}

// systemColumn returns the value of a table's system column named col
// (tableoid, the table's pg_class OID), nil when ent is not a table or col
// is no system column Aspen has.
func systemColumn(ent *rangeEntry, col string) expr {
	if ent.rel == 0 || col != "tableoid" {
		return nil
	}
	return &constExpr{v: types.NewInt(types.OID, int64(ent.rel)), t: types.T{Kind: types.OID, Mod: -1}, loc: -1}
}
