package planner

// Roles: CREATE/ALTER/DROP ROLE over the catalog's role records, and the
// lookup pgwire authenticates against.

import (
	"context"
	"errors"
	"strings"

	"github.com/aspen-db/aspen/internal/scram"
	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/planner/sqlerr"
)

// execRole runs a role statement in the session's transaction.
func (s *Session) execRole(ctx context.Context, spec *roleSpec) (*Result, error) {
	tx, err := s.txn(ctx)
	if err != nil {
		return nil, err
	}
	cat := s.eng.cat
	switch spec.kind {
	case "DROP":
		res := &Result{Tag: "DROP ROLE"}
		for _, name := range spec.names {
			err := cat.DropRole(tx, name)
			switch {
			case errors.Is(err, sqlrows.ErrRoleNotFound) && spec.ifExists:
				res.Notices = append(res.Notices, sqlerr.Notice(sqlerr.SuccessfulCompletion, "role %q does not exist, skipping", name))
			case errors.Is(err, sqlrows.ErrRoleNotFound):
				return nil, sqlerr.New(sqlerr.UndefinedObject, "role %q does not exist", name)
			case err != nil:
				return nil, err
			}
		}
		return res, nil
	case "CREATE":
		d := &sqlrows.RoleDesc{Name: spec.names[0], ConnLimit: -1}
		if err := applyRoleOptions(d, spec); err != nil {
			return nil, err
		}
		err := cat.CreateRole(tx, d)
		if errors.Is(err, sqlrows.ErrRoleExists) {
			return nil, sqlerr.New("42710", "role %q already exists", d.Name)
		}
		if err != nil {
			return nil, err
		}
		return &Result{Tag: "CREATE ROLE"}, nil
	default: // ALTER
		d, err := cat.Role(tx, spec.names[0])
		if errors.Is(err, sqlrows.ErrRoleNotFound) {
			return nil, sqlerr.New(sqlerr.UndefinedObject, "role %q does not exist", spec.names[0])
		}
		if err != nil {
			return nil, err
		}
		if err := applyRoleOptions(d, spec); err != nil {
			return nil, err
		}
		if err := cat.PutRole(tx, d); err != nil {
			return nil, err
		}
		return &Result{Tag: "ALTER ROLE"}, nil
	}
}

// applyRoleOptions sets the options spec gives. A password is stored as
// a SCRAM-SHA-256 verifier (decided here, once, and replicated as data),
// unless it already is a SCRAM or md5 verifier, which is kept as given,
// as PostgreSQL does.
func applyRoleOptions(d *sqlrows.RoleDesc, spec *roleSpec) error {
	if spec.login != nil {
		d.Login = *spec.login
	}
	if spec.superuser != nil {
		d.Superuser = *spec.superuser
	}
	if spec.createdb != nil {
		d.CreateDB = *spec.createdb
	}
	if spec.connLimit != nil {
		d.ConnLimit = *spec.connLimit
	}
	switch {
	case spec.passwordNull:
		d.Password = ""
	case spec.password != nil:
		pw := *spec.password
		if _, ok := scram.Parse(pw); ok || (strings.HasPrefix(pw, "md5") && len(pw) == 35) {
			d.Password = pw
			break
		}
		if pw == "" {
			// PostgreSQL: an empty password is no password.
			d.Password = ""
			break
		}
		k, err := scram.New(pw)
		if err != nil {
			return err
		}
		d.Password = k.String()
	}
	return nil
}

// RoleAuth is what the protocol needs to authenticate a user: whether the
// role exists, may log in, and its stored password verifier (empty for
// none).
type RoleAuth struct {
	Exists   bool
	Login    bool
	Verifier string
}

// LookupRole reads the named role for authentication.
func (e *Engine) LookupRole(ctx context.Context, name string) (RoleAuth, error) {
	tx, err := e.kv.Begin(ctx)
	if err != nil {
		return RoleAuth{}, err
	}
	defer tx.Rollback()
	d, err := e.cat.Role(tx, name)
	if errors.Is(err, sqlrows.ErrRoleNotFound) {
		return RoleAuth{}, nil
	}
	if err != nil {
		return RoleAuth{}, err
	}
	return RoleAuth{Exists: true, Login: d.Login, Verifier: d.Password}, nil
}
