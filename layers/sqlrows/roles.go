package sqlrows

// Roles: the users and groups of CREATE ROLE, with their login right and
// stored password verifier, under ("sys", "sql", "role", name).

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/subspace"
	"github.com/aspen-db/aspen/layers/tuple"
)

// ErrRoleNotFound is wrapped by errors about a role that does not exist.
var ErrRoleNotFound = errors.New("role not found")

// ErrRoleExists is wrapped by CreateRole's error when the name is taken.
var ErrRoleExists = errors.New("role already exists")

// RoleDesc describes a role.
type RoleDesc struct {
	Name      string `json:"name"`
	Login     bool   `json:"login"`
	Superuser bool   `json:"superuser,omitempty"`
	CreateDB  bool   `json:"createdb,omitempty"`
	// Password is the stored verifier ("SCRAM-SHA-256$..." or
	// "md5..."), empty for none.
	Password string `json:"password,omitempty"`
	// ConnLimit is the connection limit, -1 for none.
	ConnLimit int `json:"conn_limit"`
}

var roles = subspace.Sub("sys", "sql", "role")

// Role returns the named role, or an error wrapping ErrRoleNotFound.
func (c *Catalog) Role(r layers.Reader, name string) (*RoleDesc, error) {
	v, err := r.Get(roles.Pack(tuple.Tuple{name}))
	if errors.Is(err, layers.ErrNotFound) {
		return nil, fmt.Errorf("role %q: %w", name, ErrRoleNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read role %q: %w", name, err)
	}
	var d RoleDesc
	if err := json.Unmarshal(v, &d); err != nil {
		return nil, fmt.Errorf("decode role %q: %w", name, err)
	}
	return &d, nil
}

// Roles returns every role, ordered by name.
func (c *Catalog) Roles(r layers.Reader) ([]*RoleDesc, error) {
	begin, end := roles.Range()
	it := r.Scan(begin, end, false)
	defer it.Close()
	var out []*RoleDesc
	for it.Next() {
		var d RoleDesc
		if err := json.Unmarshal(it.Value(), &d); err != nil {
			return nil, fmt.Errorf("decode role: %w", err)
		}
		out = append(out, &d)
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("scan roles: %w", err)
	}
	return out, nil
}

// CreateRole stores a new role; a taken name wraps ErrRoleExists.
func (c *Catalog) CreateRole(tx layers.Txn, d *RoleDesc) error {
	if _, err := c.Role(tx, d.Name); err == nil {
		return fmt.Errorf("role %q: %w", d.Name, ErrRoleExists)
	} else if !errors.Is(err, ErrRoleNotFound) {
		return err
	}
	return c.PutRole(tx, d)
}

// PutRole stores d, replacing the role of that name.
func (c *Catalog) PutRole(tx layers.Txn, d *RoleDesc) error {
	b, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("encode role %q: %w", d.Name, err)
	}
	tx.Set(roles.Pack(tuple.Tuple{d.Name}), b)
	return nil
}

// DropRole removes the named role, or returns an error wrapping
// ErrRoleNotFound.
func (c *Catalog) DropRole(tx layers.Txn, name string) error {
	if _, err := c.Role(tx, name); err != nil {
		return err
	}
	tx.Delete(roles.Pack(tuple.Tuple{name}))
	return nil
}
