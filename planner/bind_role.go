package planner

// Binding CREATE ROLE/USER, ALTER ROLE/USER and DROP ROLE/USER.

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// roleSpec is a bound role statement.
type roleSpec struct {
	kind     string // "CREATE", "ALTER" or "DROP"
	names    []string
	ifExists bool
	// Options given; nil pointers were not given. password set with a
	// nil value means PASSWORD NULL.
	login, superuser, createdb *bool
	password                   *string
	passwordNull               bool
	connLimit                  *int
}

// roleOf returns the role statement st holds, or nil.
func roleOf(st *parsedStmt) (*roleSpec, error) {
	if st.node == nil {
		return nil, nil
	}
	switch {
	case st.node.GetCreateRoleStmt() != nil:
		n := st.node.GetCreateRoleStmt()
		spec := &roleSpec{kind: "CREATE", names: []string{n.Role}}
		if n.StmtType == pg_query.RoleStmtType_ROLESTMT_USER {
			t := true
			spec.login = &t // CREATE USER implies LOGIN
		}
		return spec, roleOptions(spec, n.Options)
	case st.node.GetAlterRoleStmt() != nil:
		n := st.node.GetAlterRoleStmt()
		if n.Role == nil || n.Role.Roletype != pg_query.RoleSpecType_ROLESPEC_CSTRING {
			return nil, sqlerr.Unsupported("ALTER ROLE of CURRENT_USER, SESSION_USER or ALL is not supported yet")
		}
		spec := &roleSpec{kind: "ALTER", names: []string{n.Role.Rolename}}
		return spec, roleOptions(spec, n.Options)
	case st.node.GetDropRoleStmt() != nil:
		n := st.node.GetDropRoleStmt()
		spec := &roleSpec{kind: "DROP", ifExists: n.MissingOk}
		for _, r := range n.Roles {
			rs := r.GetRoleSpec()
			if rs == nil || rs.Roletype != pg_query.RoleSpecType_ROLESPEC_CSTRING {
				return nil, sqlerr.Unsupported("DROP ROLE of CURRENT_USER or SESSION_USER is not supported")
			}
			spec.names = append(spec.names, rs.Rolename)
		}
		return spec, nil
	}
	return nil, nil
}

// roleOptions reads LOGIN, SUPERUSER, CREATEDB, PASSWORD and CONNECTION
// LIMIT; options without meaning here (CREATEROLE, INHERIT, VALID UNTIL,
// ...) are accepted and ignored, as they grant nothing Aspen checks.
func roleOptions(spec *roleSpec, opts []*pg_query.Node) error {
	seen := map[string]bool{}
	for _, o := range opts {
		d := o.GetDefElem()
		if d == nil {
			continue
		}
		if seen[d.Defname] {
			return sqlerr.New(sqlerr.SyntaxError, "conflicting or redundant options")
		}
		seen[d.Defname] = true
		boolArg := func() *bool {
			v := true
			if b := d.Arg.GetBoolean(); b != nil {
				v = b.Boolval
			} else if i := d.Arg.GetInteger(); i != nil {
				v = i.Ival != 0
			}
			return &v
		}
		switch d.Defname {
		case "canlogin":
			spec.login = boolArg()
		case "superuser":
			spec.superuser = boolArg()
		case "createdb":
			spec.createdb = boolArg()
		case "password":
			if d.Arg == nil {
				spec.passwordNull = true
				continue
			}
			s := d.Arg.GetString_().GetSval()
			spec.password = &s
		case "connectionlimit":
			n := -1
			if i := d.Arg.GetInteger(); i != nil {
				n = int(i.Ival)
			}
			if n < -1 {
				return sqlerr.New(sqlerr.InvalidParameterValue, "invalid connection limit: %d", n)
			}
			spec.connLimit = &n
		}
	}
	return nil
}
