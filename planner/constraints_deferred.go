package planner

// Deferred foreign key checks: the checks of a foreign key declared
// INITIALLY DEFERRED run when the transaction commits rather than at the
// end of each statement, as PostgreSQL's deferred RI triggers do. A
// deferred check re-reads the state at commit: a referencing row that no
// longer has the key (deleted, updated, or undone by ROLLBACK TO
// SAVEPOINT) needs no referenced row, and a referenced key that exists
// again by then is no violation.

import (
	"context"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/layers/tuple"
	"github.com/aspen-db/aspen/planner/types"
)

// fkDeferToCommit returns a function that adds a check of the foreign
// key for the commit of the transaction.
func (s *Session) fkDeferToCommit(fk *sqlrows.ForeignKeyDesc) func(f func(ctx context.Context) error) {
	return func(f func(ctx context.Context) error) {
		s.fkCommitChecks = append(s.fkCommitChecks, deferredCheck{constraint: fk.Name, run: f})
	}
}

// queueDeferredParentCheck queues, for the commit, the check that a
// referencing key still present then has a referenced row.
func (s *Session) queueDeferredParentCheck(tx layers.Txn, child *tableInfo, fk *sqlrows.ForeignKeyDesc, key []types.Value) {
	s.fkDeferToCommit(fk)(func(ctx context.Context) error {
		present, err := findRows(ctx, tx, child, fk.Columns, key, true, func(tuple.Tuple, []types.Value) error { return errStop })
		if err != nil || !present {
			return err
		}
		return s.checkParentHas(ctx, tx, child, fk, key)
	})
}

// runCommitChecks runs the deferred checks before a commit; the list is
// cleared either way.
func (s *Session) runCommitChecks(ctx context.Context) error {
	return s.runCommitChecksFor(ctx, nil)
}

// runCommitChecksFor runs and removes the deferred checks of the named
// constraints (all of them when names is nil), in the order they were
// queued.
func (s *Session) runCommitChecksFor(ctx context.Context, names map[string]bool) error {
	var run []deferredCheck
	keep := s.fkCommitChecks[:0:0]
	for _, c := range s.fkCommitChecks {
		if names == nil || names[c.constraint] {
			run = append(run, c)
		} else {
			keep = append(keep, c)
		}
	}
	s.fkCommitChecks = keep
	if len(run) == 0 {
		return nil
	}
	defer func() { s.fk = nil }()
	for _, c := range run {
		if err := c.run(ctx); err != nil {
			return err
		}
	}
	return nil
}
