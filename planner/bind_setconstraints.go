package planner

// SET CONSTRAINTS { ALL | name [, ...] } { DEFERRED | IMMEDIATE }: the
// transaction's mode of its deferrable foreign keys. IMMEDIATE runs the
// pending deferred checks of the constraints it names at once.

import (
	"context"

	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/syscat"
)

// fkModes is a transaction's SET CONSTRAINTS state: all is the mode SET
// CONSTRAINTS ALL chose (nil: none), byName the modes of named
// constraints since then (true: deferred).
type fkModes struct {
	all    *bool
	byName map[string]bool
}

// deferredCheck is a foreign key check waiting for the commit.
type deferredCheck struct {
	constraint string
	run        func(ctx context.Context) error
}

// isSetConstraints reports whether st is SET CONSTRAINTS.
func isSetConstraints(st *parsedStmt) bool {
	return st.node != nil && st.node.GetConstraintsSetStmt() != nil
}

// fkIsDeferred reports whether a foreign key's checks wait for the
// commit in the current transaction.
func (s *Session) fkIsDeferred(fk *sqlrows.ForeignKeyDesc) bool {
	if !fk.Deferrable {
		return false
	}
	if d, ok := s.fkModes.byName[fk.Name]; ok {
		return d
	}
	if s.fkModes.all != nil {
		return *s.fkModes.all
	}
	return fk.InitiallyDeferred
}

// setConstraints runs SET CONSTRAINTS (ok is false for another
// statement).
func (s *Session) setConstraints(ctx context.Context, st *parsedStmt) (*Result, bool, error) {
	if !isSetConstraints(st) {
		return nil, false, nil
	}
	n := st.node.GetConstraintsSetStmt()
	res := &Result{Tag: "SET CONSTRAINTS"}
	if !s.explicit {
		res.Notices = []*Error{sqlerr.WarningNotice(sqlerr.NoActiveSQLTransaction, "SET CONSTRAINTS can only be used in transaction blocks")}
		return res, true, nil
	}
	if len(n.Constraints) == 0 {
		deferred := n.Deferred
		s.fkModes = fkModes{all: &deferred}
		if !deferred {
			return res, true, s.runCommitChecksFor(ctx, nil)
		}
		return res, true, nil
	}
	tx, err := s.txn(ctx)
	if err != nil {
		return nil, true, err
	}
	b := &binder{eng: s.eng, sql: st.sql, ident: s.ident, r: tx}
	snap, err := b.sysSnapshot(tx)
	if err != nil {
		return nil, true, err
	}
	pgc, _ := syscat.Lookup("pg_catalog", "pg_constraint")
	nameCol, defCol := pgc.Column("conname"), pgc.Column("condeferrable")
	rows := pgc.Rows(snap)
	names := map[string]bool{}
	for _, node := range n.Constraints {
		rv := node.GetRangeVar()
		if rv == nil {
			continue
		}
		if rv.Schemaname != "" && rv.Schemaname != "public" && rv.Schemaname != "pg_catalog" {
			return nil, true, sqlerr.New("3F000", "schema %q does not exist", rv.Schemaname)
		}
		found := false
		for _, r := range rows {
			if r[nameCol] != rv.Relname || rv.Schemaname == "pg_catalog" {
				continue
			}
			found = true
			if r[defCol] != true {
				return nil, true, sqlerr.New("42809", "constraint %q is not deferrable", rv.Relname)
			}
		}
		if !found {
			return nil, true, sqlerr.New(sqlerr.UndefinedObject, "constraint %q does not exist", rv.Relname)
		}
		names[rv.Relname] = true
	}
	if s.fkModes.byName == nil {
		s.fkModes.byName = map[string]bool{}
	}
	for name := range names {
		s.fkModes.byName[name] = n.Deferred
	}
	if !n.Deferred {
		return res, true, s.runCommitChecksFor(ctx, names)
	}
	return res, true, nil
}
