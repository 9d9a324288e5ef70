package planner

// VACUUM and ANALYZE: accepted and checked, with nothing to do. The store
// reclaims space by compaction on its own, and the planner keeps no
// statistics yet, so neither has work; pgbench and many tools run them.

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
	return &Result{Tag: tag}, true, nil
}
