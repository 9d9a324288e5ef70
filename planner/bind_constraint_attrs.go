package planner

// Constraint attributes of a column definition: the grammar gives
// DEFERRABLE, NOT DEFERRABLE, INITIALLY DEFERRED and INITIALLY IMMEDIATE
// after a column constraint as separate nodes; they apply to the
// constraint before them, with PostgreSQL's errors for misplaced or
// repeated ones.

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// foldConstraintAttrs returns a column's constraints with the attribute
// nodes applied to the constraints they follow and removed.
func (b *binder) foldConstraintAttrs(cons []*pg_query.Node) ([]*pg_query.Node, error) {
	var out []*pg_query.Node
	var last *pg_query.Constraint
	sawDeferrability, sawInitially := false, false
	supports := func() bool {
		if last == nil {
			return false
		}
		switch last.Contype {
		case pg_query.ConstrType_CONSTR_PRIMARY, pg_query.ConstrType_CONSTR_UNIQUE,
			pg_query.ConstrType_CONSTR_EXCLUSION, pg_query.ConstrType_CONSTR_FOREIGN:
			return true
		}
		return false
	}
	syntaxErr := func(c *pg_query.Constraint, msg string) error {
		return b.errAt(sqlerr.New(sqlerr.SyntaxError, "%s", msg), c.Location)
	}
	for _, n := range cons {
		c := n.GetConstraint()
		if c == nil {
			out = append(out, n)
			continue
		}
		switch c.Contype {
		case pg_query.ConstrType_CONSTR_ATTR_DEFERRABLE:
			if !supports() {
				return nil, syntaxErr(c, "misplaced DEFERRABLE clause")
			}
			if sawDeferrability {
				return nil, syntaxErr(c, "multiple DEFERRABLE/NOT DEFERRABLE clauses not allowed")
			}
			sawDeferrability = true
			last.Deferrable = true
		case pg_query.ConstrType_CONSTR_ATTR_NOT_DEFERRABLE:
			if !supports() {
				return nil, syntaxErr(c, "misplaced NOT DEFERRABLE clause")
			}
			if sawDeferrability {
				return nil, syntaxErr(c, "multiple DEFERRABLE/NOT DEFERRABLE clauses not allowed")
			}
			sawDeferrability = true
			last.Deferrable = false
			if sawInitially && last.Initdeferred {
				return nil, syntaxErr(c, "constraint declared INITIALLY DEFERRED must be DEFERRABLE")
			}
		case pg_query.ConstrType_CONSTR_ATTR_DEFERRED:
			if !supports() {
				return nil, syntaxErr(c, "misplaced INITIALLY DEFERRED clause")
			}
			if sawInitially {
				return nil, syntaxErr(c, "multiple INITIALLY IMMEDIATE/DEFERRED clauses not allowed")
			}
			sawInitially = true
			last.Initdeferred = true
			if !sawDeferrability {
				last.Deferrable = true
			} else if !last.Deferrable {
				return nil, syntaxErr(c, "constraint declared INITIALLY DEFERRED must be DEFERRABLE")
			}
		case pg_query.ConstrType_CONSTR_ATTR_IMMEDIATE:
			if !supports() {
				return nil, syntaxErr(c, "misplaced INITIALLY IMMEDIATE clause")
			}
			if sawInitially {
				return nil, syntaxErr(c, "multiple INITIALLY IMMEDIATE/DEFERRED clauses not allowed")
			}
			sawInitially = true
			last.Initdeferred = false
		default:
			last = c
			sawDeferrability, sawInitially = false, false
			out = append(out, n)
		}
	}
	for _, n := range out {
		if c := n.GetConstraint(); c != nil {
			if err := b.checkKeyNotDeferrable(c); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// checkKeyNotDeferrable rejects a deferrable PRIMARY KEY or UNIQUE
// constraint: Aspen checks uniqueness at once.
func (b *binder) checkKeyNotDeferrable(c *pg_query.Constraint) error {
	switch c.Contype {
	case pg_query.ConstrType_CONSTR_PRIMARY, pg_query.ConstrType_CONSTR_UNIQUE:
		if c.Deferrable || c.Initdeferred {
			return b.errAt(sqlerr.Unsupported("deferrable unique and primary key constraints are not supported yet"), c.Location)
		}
	}
	return nil
}
