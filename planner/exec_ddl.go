package planner

// Execution of DROP TABLE/VIEW/INDEX, CREATE INDEX and CREATE VIEW.

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/layers/tuple"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
)

// relationKind returns "table", "view", "index" or "" for the name.
func (s *Session) relationKind(r layers.Reader, name string) (string, error) {
	if _, err := s.eng.cat.Table(r, name); err == nil {
		return "table", nil
	} else if !errors.Is(err, sqlrows.ErrTableNotFound) {
		return "", err
	}
	if _, err := s.eng.cat.View(r, name); err == nil {
		return "view", nil
	} else if !errors.Is(err, sqlrows.ErrTableNotFound) {
		return "", err
	}
	if _, err := s.eng.cat.IndexTable(r, name); err == nil {
		return "index", nil
	} else if !errors.Is(err, sqlrows.ErrIndexNotFound) {
		return "", err
	}
	if _, err := s.eng.cat.Sequence(r, name); err == nil {
		return "sequence", nil
	} else if !errors.Is(err, sqlrows.ErrSequenceNotFound) {
		return "", err
	}
	return "", nil
}

// wrongKindErr is PostgreSQL's error for DROP of the wrong kind of
// relation.
func wrongKindErr(name, want, got string) *sqlerr.Error {
	article := "a"
	if want == "index" {
		article = "an"
	}
	e := sqlerr.New(sqlerr.WrongObjectType, "%q is not %s %s", name, article, want)
	switch got {
	case "table":
		return e.WithHint("Use DROP TABLE to remove a table.")
	case "view":
		return e.WithHint("Use DROP VIEW to remove a view.")
	case "sequence":
		return e.WithHint("Use DROP SEQUENCE to remove a sequence.")
	}
	return e.WithHint("Use DROP INDEX to remove an index.")
}

// execDropTable runs DROP TABLE, DROP VIEW and DROP INDEX.
func (s *Session) execDropTable(tx layers.Txn, p *dropTablePlan) ([]*sqlerr.Error, error) {
	var notices []*sqlerr.Error
	for _, name := range p.names {
		kind, err := s.relationKind(tx, name)
		if err != nil {
			return nil, fmt.Errorf("drop %s %q: %w", p.kind, name, err)
		}
		if kind == "" {
			if p.ifExists {
				notices = append(notices, sqlerr.Notice(sqlerr.SuccessfulCompletion, "%s %q does not exist, skipping", p.kind, name))
				continue
			}
			code := sqlerr.UndefinedTable
			if p.kind == "index" {
				code = sqlerr.UndefinedObject
			}
			return nil, sqlerr.New(code, "%s %q does not exist", p.kind, name)
		}
		if kind != p.kind {
			return nil, wrongKindErr(name, p.kind, kind)
		}
		if kind != "index" {
			n, err := s.dropDependents(tx, name, kind, p)
			if err != nil {
				return nil, err
			}
			notices = append(notices, n...)
		}
		if kind == "index" {
			if err := s.checkDropIndex(tx, name); err != nil {
				return nil, err
			}
		}
		if kind == "table" {
			n, err := s.dropTableFKs(tx, name, p)
			if err != nil {
				return nil, err
			}
			notices = append(notices, n...)
		}
		switch kind {
		case "table":
			if err = s.dropOwnedSequences(tx, name); err == nil {
				err = s.eng.cat.DropTable(tx, name)
			}
		case "view":
			err = s.eng.cat.DropView(tx, name)
		case "index":
			_, err = s.eng.cat.DropIndex(tx, name)
		}
		if err != nil {
			return nil, fmt.Errorf("drop %s %q: %w", p.kind, name, err)
		}
	}
	return notices, nil
}

// dropDependents refuses to drop a table or view that views depend on
// (2BP01), or with CASCADE drops those views first (and theirs), with a
// notice.
func (s *Session) dropDependents(tx layers.Txn, name, kind string, p *dropTablePlan) ([]*sqlerr.Error, error) {
	views, err := s.eng.cat.Views(tx)
	if err != nil {
		return nil, fmt.Errorf("drop %s %q: %w", kind, name, err)
	}
	dropping := map[string]bool{}
	if p.kind == "view" {
		for _, n := range p.names {
			dropping[n] = true
		}
	}
	// The views that depend on name, directly or through other views.
	var deps []string
	var lines []string
	seen := map[string]bool{name: true}
	var walk func(n, k string)
	walk = func(n, k string) {
		for _, v := range views {
			if seen[v.Name] {
				continue
			}
			for _, d := range v.Depends {
				if d == n {
					seen[v.Name] = true
					deps = append(deps, v.Name)
					lines = append(lines, fmt.Sprintf("view %s depends on %s %s", v.Name, k, n))
					walk(v.Name, "view")
					break
				}
			}
		}
	}
	walk(name, kind)
	var pending []string
	for _, d := range deps {
		if !dropping[d] {
			pending = append(pending, d)
		}
	}
	if len(pending) == 0 {
		return nil, nil
	}
	if !p.cascade {
		return nil, sqlerr.New("2BP01", "cannot drop %s %s because other objects depend on it", kind, name).
			WithDetail("%s", strings.Join(lines, "\n")).
			WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	for _, d := range pending {
		if err := s.eng.cat.DropView(tx, d); err != nil && !errors.Is(err, sqlrows.ErrTableNotFound) {
			return nil, fmt.Errorf("drop view %q: %w", d, err)
		}
	}
	if len(pending) == 1 {
		return []*sqlerr.Error{sqlerr.Notice(sqlerr.SuccessfulCompletion, "drop cascades to view %s", pending[0])}, nil
	}
	var detail []string
	for _, d := range pending {
		detail = append(detail, "drop cascades to view "+d)
	}
	return []*sqlerr.Error{sqlerr.Notice(sqlerr.SuccessfulCompletion, "drop cascades to %d other objects", len(pending)).
		WithDetail("%s", strings.Join(detail, "\n"))}, nil
}

// execCreateIndex runs CREATE INDEX: the index is filled from the
// table's rows in the statement's transaction.
func (s *Session) execCreateIndex(ctx context.Context, tx layers.Txn, p *createIndexPlan) ([]*sqlerr.Error, error) {
	name := p.name
	if name == "" {
		parts := []string{p.table.desc.Name}
		for _, c := range p.cols {
			parts = append(parts, p.table.cols[c].name)
		}
		base := strings.Join(parts, "_") + "_idx"
		name = base
		for n := 1; ; n++ {
			exists, err := s.eng.cat.RelationExists(tx, name)
			if err != nil {
				return nil, fmt.Errorf("create index: %w", err)
			}
			if !exists {
				break
			}
			name = fmt.Sprintf("%s%d", base, n)
		}
	}
	desc := *p.table.desc
	desc.Indexes = append([]sqlrows.IndexDesc(nil), desc.Indexes...)
	err := s.eng.cat.CreateIndex(tx, &desc, sqlrows.IndexDesc{Name: name, Columns: p.cols, Unique: p.unique}, p.table.keyOf)
	var ce *sqlrows.ConstraintError
	switch {
	case errors.Is(err, sqlrows.ErrRelationExists):
		if p.ifNotExists {
			return []*sqlerr.Error{sqlerr.Notice(sqlerr.DuplicateTable, "relation %q already exists, skipping", name)}, nil
		}
		return nil, sqlerr.DuplicateTableErr(name)
	case errors.As(err, &ce):
		e := sqlerr.New(sqlerr.UniqueViolation, "could not create unique index %q", name)
		if d := duplicateKey(ctx, tx, p.table, p.cols); d != "" {
			e = e.WithDetail("%s", d)
		}
		return nil, e
	case err != nil:
		return nil, fmt.Errorf("create index %q: %w", name, err)
	}
	return nil, nil
}

// duplicateKey finds two rows with equal non-NULL values of cols and
// describes them as "Key (a)=(1) is duplicated.", or returns "".
func duplicateKey(ctx context.Context, r layers.Reader, ti *tableInfo, cols []int) string {
	seen := map[string]bool{}
	found := ""
	_ = scanRows(ctx, r, ti, scanSpec{}, nil, func(_ tuple.Tuple, row []types.Value) error {
		vals := make([]types.Value, len(cols))
		for i, c := range cols {
			if row[c].IsNull() {
				return nil
			}
			vals[i] = row[c]
		}
		k := rowKey(vals)
		if seen[k] {
			names := make([]string, len(cols))
			texts := make([]string, len(cols))
			for i, c := range cols {
				names[i] = ti.cols[c].name
				texts[i] = string(vals[i].AppendText(nil))
			}
			found = fmt.Sprintf("Key (%s)=(%s) is duplicated.", strings.Join(names, ", "), strings.Join(texts, ", "))
			return errStop
		}
		seen[k] = true
		return nil
	})
	return found
}

// execCreateView runs CREATE VIEW.
func (s *Session) execCreateView(tx layers.Txn, p *createViewPlan) error {
	err := s.eng.cat.CreateView(tx, &sqlrows.ViewDesc{Name: p.name, SQL: p.sql, Columns: p.cols, Depends: p.deps}, p.replace)
	if errors.Is(err, sqlrows.ErrRelationExists) {
		return sqlerr.DuplicateTableErr(p.name)
	}
	if err != nil {
		return fmt.Errorf("create view %q: %w", p.name, err)
	}
	return nil
}
