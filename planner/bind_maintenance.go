package planner

// VACUUM and ANALYZE: accepted and checked. The store reclaims space by
// compaction on its own, so VACUUM has no work; ANALYZE (and VACUUM
// ANALYZE) gathers the planner's statistics (stats.go).

import (
	"context"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// isMaintenance reports whether st is VACUUM or ANALYZE.
func isMaintenance(st *parsedStmt) bool {
	return st.node != nil && st.node.GetVacuumStmt() != nil
}

// maintenance runs a VACUUM or ANALYZE statement st holds (ok is false
// for another statement): it checks that the tables it names exist.
func (s *Session) maintenance(ctx context.Context, st *parsedStmt) (*Result, bool, error) {
	if !isMaintenance(st) {
		return nil, false, nil
	}
	v := st.node.GetVacuumStmt()
	tag := "VACUUM"
	if !v.IsVacuumcmd {
		tag = "ANALYZE"
	}
	if v.IsVacuumcmd && s.explicit {
		return nil, true, sqlerr.New(sqlerr.ActiveSQLTransaction, "VACUUM cannot run inside a transaction block")
	}
	// A statement that starts its transaction reads the rows to analyze
	// in a transaction of its own (see analyzeStmt).
	fresh := s.tx == nil && !s.explicit
	tx, err := s.txn(ctx)
	if err != nil {
		return nil, true, err
	}
	for _, n := range v.Rels {
		rel := n.GetVacuumRelation()
		if rel == nil || rel.Relation == nil {
			continue
		}
		if _, err := s.eng.loadTable(tx, rel.Relation.Relname); err != nil {
			return nil, true, err
		}
	}
	if wantsAnalyze(v) {
		if err := s.analyzeStmt(ctx, tx, v, fresh); err != nil {
			return nil, true, err
		}
	}
	return &Result{Tag: tag}, true, nil
}
