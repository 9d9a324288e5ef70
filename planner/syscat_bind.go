package planner

// System catalogs in FROM (pg_catalog, information_schema) and the catalog
// functions clients call, over planner/syscat.

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/layers/subspace"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/syscat"
	"github.com/aspen-db/aspen/planner/types"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// sysSnapshot builds the syscat snapshot of the catalog r reads.
func (b *binder) sysSnapshot(r layers.Reader) (*syscat.Snapshot, error) {
	snap := &syscat.Snapshot{Database: b.ident.database, User: b.ident.user}
	if snap.Database == "" {
		snap.Database = "aspen"
	}
	if snap.User == "" {
		snap.User = "aspen"
	}
	for name, v := range defaultSettings {
		snap.Settings = append(snap.Settings, syscat.Setting{Name: name, Value: v})
	}
	if b.eng != nil {
		snap.Backends = b.eng.act.list()
	}
	if r == nil {
		return snap, nil
	}
	if err := b.addSnapshotRoles(snap, r); err != nil {
		return nil, err
	}
	descs, err := b.eng.cat.Tables(r)
	if err != nil {
		return nil, fmt.Errorf("system catalog: %w", err)
	}
	for _, d := range descs {
		t := syscat.UserTable{ID: d.ID, Name: d.Name, PrimaryKey: d.PrimaryKey, PKName: d.PKName}
		for i, c := range d.Columns {
			t.Columns = append(t.Columns, syscat.UserColumn{Name: c.Name, TypeOID: c.TypeOID, TypeMod: c.TypeMod, NotNull: c.NotNull, Default: c.Default, Identity: c.Identity, Generated: c.Generated})
			if c.Generated != "" {
				t.Columns[i].GenerationExpr = b.eng.plainGenerationText(d, i, b.ident)
			}
		}
		for _, ix := range d.Indexes {
			t.Indexes = append(t.Indexes, syscat.UserIndex{ID: ix.ID, Name: ix.Name, Columns: ix.Columns, Unique: ix.Unique,
				Constraint: ix.Unique && (ix.Constraint || isConstraintName(d, ix))})
		}
		t.Checks, t.ForeignKeys = b.userConstraints(d)
		if t.Stats, err = b.eng.snapshotStats(r, d); err != nil {
			return nil, err
		}
		snap.Tables = append(snap.Tables, t)
	}
	views, err := scanViews(r)
	if err != nil {
		return nil, err
	}
	for _, v := range views {
		uv := syscat.UserView{Name: v.Name}
		uv.Definition, uv.PrettyDefinition = b.viewDefinitions(v, r)
		cols := b.viewColumns(v, r)
		for i, name := range v.Columns {
			c := syscat.UserColumn{Name: name, TypeOID: types.OIDText, TypeMod: -1}
			if i < len(cols) {
				c.TypeOID, c.TypeMod = cols[i].OID(), cols[i].Mod
			}
			uv.Columns = append(uv.Columns, c)
		}
		snap.Views = append(snap.Views, uv)
	}
	if err := b.addSequences(snap, r); err != nil {
		return nil, err
	}
	return snap, nil
}

// isConstraintName guesses whether a unique index backs a UNIQUE
// constraint: sqlrows does not record it, so an index named as CREATE
// TABLE names its constraints (table_cols_key) counts as one.
func isConstraintName(d *sqlrows.TableDesc, ix sqlrows.IndexDesc) bool {
	parts := []string{d.Name}
	for _, c := range ix.Columns {
		if c < 0 || c >= len(d.Columns) {
			return false
		}
		parts = append(parts, d.Columns[c].Name)
	}
	base := strings.Join(parts, "_") + "_key"
	return ix.Name == base || strings.HasPrefix(ix.Name, base) && strings.Trim(ix.Name[len(base):], "0123456789") == ""
}

// scanViews lists the views. sqlrows has no listing call for views yet, so
// this reads its view descriptors' key range ("sys", "sql", "v", name).
func scanViews(r layers.Reader) ([]*sqlrows.ViewDesc, error) {
	begin, end := subspace.Sub("sys", "sql", "v").Range()
	it := r.Scan(begin, end, false)
	defer it.Close()
	var out []*sqlrows.ViewDesc
	for it.Next() {
		var d sqlrows.ViewDesc
		if err := json.Unmarshal(it.Value(), &d); err != nil {
			return nil, fmt.Errorf("decode view descriptor: %w", err)
		}
		out = append(out, &d)
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("scan views: %w", err)
	}
	return out, nil
}

// viewColumns binds a view's query for its column types; nil when it does
// not bind.
func (b *binder) viewColumns(v *sqlrows.ViewDesc, r layers.Reader) []types.T {
	stmts, err := parse(v.SQL)
	if err != nil || len(stmts) != 1 || b.viewDepth > 32 {
		return nil
	}
	sel := stmts[0].node.GetSelectStmt()
	if sel == nil {
		return nil
	}
	vb := &binder{eng: b.eng, sql: v.SQL, ident: b.ident, r: r, viewDepth: b.viewDepth + 1}
	q, err := vb.bindQuery(sel, r)
	if err != nil {
		return nil
	}
	return queryTypes(q)
}

// bindSystemTable binds a pg_catalog or information_schema table named in
// FROM as a VALUES list of its rows in this transaction; ok is false when
// rv names no system table.
func (b *binder) bindSystemTable(rv *pg_query.RangeVar, r layers.Reader) (node fromNode, ok bool, err error) {
	schema := rv.Schemaname
	if schema != "" && !syscat.IsSystemSchema(schema) {
		return nil, false, nil
	}
	decl, found := syscat.Lookup(schema, rv.Relname)
	if !found {
		return nil, false, nil
	}
	snap, err := b.sysSnapshot(r)
	if err != nil {
		return nil, true, err
	}
	p := &valuesPlan{}
	cols := make([]colInfo, len(decl.Columns))
	for i, c := range decl.Columns {
		t := sysType(c.Type)
		if t.Kind == types.Varchar {
			t.Mod = c.TypeMod // information_schema's yes_or_no is varchar(3)
		}
		p.types = append(p.types, t)
		p.cols = append(p.cols, Column{Name: c.Name, TableID: decl.OID, ColumnAttr: int16(i + 1), TypeOID: t.OID(), TypeSize: t.Size(), TypeMod: t.Mod})
		cols[i] = colInfo{name: c.Name, t: t, rel: decl.OID, attnum: int16(i + 1)}
	}
	for _, row := range decl.Rows(snap) {
		exprs := make([]expr, len(row))
		for i, v := range row {
			exprs[i] = &constExpr{v: sysValue(v, p.types[i], snap), t: p.types[i], loc: -1}
		}
		p.rows = append(p.rows, exprs)
	}
	alias, hasAlias := rv.Relname, false
	if rv.Alias != nil && rv.Alias.Aliasname != "" {
		alias, hasAlias = rv.Alias.Aliasname, true
		if cols, err = b.aliasColumns(rv.Alias, cols, rv.Relname); err != nil {
			return nil, true, err
		}
	}
	if err := b.checkDupAlias(alias, rv.Location); err != nil {
		return nil, true, err
	}
	b.sc.add(alias, rv.Relname, hasAlias, cols).rel = decl.OID
	return &fromQuery{q: p, n: len(cols)}, true, nil
}

// catalogFunc binds the catalog functions syscat implements; ok is false
// for other names.
func (b *binder) catalogFunc(name string, args []expr) (e expr, ok bool, err error) {
	var snap *syscat.Snapshot
	var once sync.Once
	var snapErr error
	get := func() (*syscat.Snapshot, error) {
		once.Do(func() { snap, snapErr = b.sysSnapshot(b.r) })
		return snap, snapErr
	}
	argc := func(n ...int) bool {
		for _, m := range n {
			if len(args) == m {
				return true
			}
		}
		return false
	}
	mk := func(t types.T, strict bool, fn func(s *syscat.Snapshot, v []types.Value) (types.Value, error)) (expr, bool, error) {
		return &funcExpr{name: name, args: args, t: t, strict: strict, fn: func(v []types.Value) (types.Value, error) {
			s, err := get()
			if err != nil {
				return types.Null, err
			}
			return fn(s, v)
		}}, true, nil
	}
	oidArg := func(v types.Value) uint32 {
		if v.Kind().IsString() || v.Kind() == types.Unknown {
			var n uint64
			fmt.Sscan(v.Str(), &n)
			return uint32(n)
		}
		return uint32(v.Int())
	}
	textOrNull := func(s string, ok bool) (types.Value, error) {
		if !ok {
			return types.Null, nil
		}
		return types.NewText(s), nil
	}
	if e, ok, err := b.sizeFunc(name, args, get); ok {
		return e, true, err
	}
	switch name {
	case "pg_backend_pid":
		// The PID the protocol gave the client (BackendKeyData), which
		// pg_stat_activity.pid shows; 0 for a session without one.
		if !argc(0) {
			return nil, false, nil
		}
		pid := int64(b.ident.pid)
		return &funcExpr{name: name, t: types.TInt4, fn: func([]types.Value) (types.Value, error) {
			return types.NewInt(types.Int4, pid), nil
		}}, true, nil
	case "pg_get_userbyid":
		if !argc(1) {
			return nil, false, nil
		}
		return mk(types.TName, true, func(s *syscat.Snapshot, v []types.Value) (types.Value, error) {
			return types.NewName(s.UserByID(oidArg(v[0]))), nil
		})
	case "pg_table_is_visible", "pg_type_is_visible":
		if !argc(1) {
			return nil, false, nil
		}
		return mk(types.TBool, true, func(s *syscat.Snapshot, v []types.Value) (types.Value, error) {
			vis, ok := s.TableIsVisible(oidArg(v[0]))
			if name == "pg_type_is_visible" {
				vis, ok = s.TypeIsVisible(oidArg(v[0]))
			}
			if !ok {
				return types.Null, nil
			}
			return types.NewBool(vis), nil
		})
	case "format_type":
		if !argc(2) {
			return nil, false, nil
		}
		return mk(types.TText, false, func(s *syscat.Snapshot, v []types.Value) (types.Value, error) {
			if v[0].IsNull() {
				return types.Null, nil
			}
			mod := syscat.NoTypmod
			if !v[1].IsNull() {
				mod = int32(v[1].Int())
			}
			return types.NewText(s.FormatType(oidArg(v[0]), mod)), nil
		})
	case "pg_get_indexdef":
		if !argc(1, 3) {
			return nil, false, nil
		}
		return mk(types.TText, true, func(s *syscat.Snapshot, v []types.Value) (types.Value, error) {
			col, pretty := 0, false
			if len(v) == 3 {
				col, pretty = int(v[1].Int()), v[2].Bool()
			}
			return textOrNull(s.IndexDef(oidArg(v[0]), col, pretty))
		})
	case "pg_get_constraintdef":
		if !argc(1, 2) {
			return nil, false, nil
		}
		return mk(types.TText, true, func(s *syscat.Snapshot, v []types.Value) (types.Value, error) {
			return textOrNull(s.ConstraintDefPretty(oidArg(v[0]), len(v) == 2 && !v[1].IsNull() && v[1].Bool()))
		})
	case "pg_get_expr":
		if !argc(2, 3) {
			return nil, false, nil
		}
		return mk(types.TText, true, func(s *syscat.Snapshot, v []types.Value) (types.Value, error) {
			return types.NewText(syscat.Expr(v[0].Str())), nil
		})
	case "pg_get_viewdef":
		if !argc(1, 2) {
			return nil, false, nil
		}
		return mk(types.TText, true, func(s *syscat.Snapshot, v []types.Value) (types.Value, error) {
			// The second argument is pretty (bool) or a wrap column
			// (int, which implies pretty).
			pretty := len(v) == 2 && !v[1].IsNull() && (v[1].Kind() != types.Bool || v[1].Bool())
			if k := v[0].Kind(); k.IsString() || k == types.Unknown {
				return textOrNull(s.ViewDefByNamePretty(v[0].Str(), pretty))
			}
			return textOrNull(s.ViewDefPretty(oidArg(v[0]), pretty))
		})
	case "pg_describe_object":
		if !argc(3) {
			return nil, false, nil
		}
		return mk(types.TText, true, func(s *syscat.Snapshot, v []types.Value) (types.Value, error) {
			return textOrNull(s.DescribeObject(oidArg(v[0]), oidArg(v[1]), int32(v[2].Int())))
		})
	case "obj_description":
		if !argc(1, 2) {
			return nil, false, nil
		}
		return mk(types.TText, true, func(s *syscat.Snapshot, v []types.Value) (types.Value, error) {
			catalog := ""
			if len(v) == 2 {
				catalog = strings.TrimPrefix(v[1].Str(), "pg_catalog.")
			}
			return textOrNull(s.ObjDescription(oidArg(v[0]), catalog))
		})
	case "shobj_description":
		if !argc(2) {
			return nil, false, nil
		}
		return mk(types.TText, true, func(s *syscat.Snapshot, v []types.Value) (types.Value, error) {
			return textOrNull(s.ShobjDescription(oidArg(v[0]), strings.TrimPrefix(v[1].Str(), "pg_catalog.")))
		})
	case "col_description":
		if !argc(1, 2) {
			return nil, false, nil
		}
		return mk(types.TText, false, func(*syscat.Snapshot, []types.Value) (types.Value, error) { return types.Null, nil })
	case "pg_encoding_to_char":
		if !argc(1) {
			return nil, false, nil
		}
		return mk(types.TName, true, func(_ *syscat.Snapshot, v []types.Value) (types.Value, error) {
			return types.NewName(syscat.EncodingToChar(v[0].Int())), nil
		})
	case "pg_get_triggerdef":
		// Foreign keys are Aspen's only triggers, and they have no
		// pg_trigger rows.
		if !argc(1, 2) {
			return nil, false, nil
		}
		return mk(types.TText, true, func(*syscat.Snapshot, []types.Value) (types.Value, error) { return types.Null, nil })
	case "pg_partition_ancestors":
		// Without partitioning a relation's only ancestor is itself (one
		// row, as the set-returning function gives).
		if !argc(1) {
			return nil, false, nil
		}
		return mk(types.TInt8, true, func(_ *syscat.Snapshot, v []types.Value) (types.Value, error) {
			return types.NewInt(types.Int8, int64(oidArg(v[0]))), nil
		})
	case "to_regclass":
		if !argc(1) {
			return nil, false, nil
		}
		return mk(types.TRegclass, true, func(s *syscat.Snapshot, v []types.Value) (types.Value, error) {
			oid, ok := s.RegclassIn(v[0].Str())
			if !ok {
				return types.Null, nil
			}
			return regValue(s, types.Regclass, oid), nil
		})
	case "pg_get_serial_sequence":
		if !argc(2) {
			return nil, false, nil
		}
		return mk(types.TText, true, func(s *syscat.Snapshot, v []types.Value) (types.Value, error) {
			seq, ok, err := s.SerialSequence(v[0].Str(), v[1].Str())
			if err != nil {
				return types.Null, sqlerr.New(sqlerr.UndefinedTable, "%s", err.Error())
			}
			return textOrNull(seq, ok)
		})
	}
	return b.moreCatalogFuncs(name, args, get)
}

// regexCache holds compiled patterns of the ~ operators, at most
// regexCacheMax of them (then it starts over), so that clients cannot
// grow it without bound.
var regexCache struct {
	sync.Mutex
	m map[string]*regexp.Regexp
}

const regexCacheMax = 256

// compileRegex compiles a pattern through regexCache.
func compileRegex(pat string) (*regexp.Regexp, error) {
	regexCache.Lock()
	defer regexCache.Unlock()
	if re, ok := regexCache.m[pat]; ok {
		return re, nil
	}
	re, err := regexp.Compile(pat)
	if err != nil {
		return nil, err
	}
	if regexCache.m == nil || len(regexCache.m) >= regexCacheMax {
		regexCache.m = map[string]*regexp.Regexp{}
	}
	regexCache.m[pat] = re
	return re, nil
}

// bindRegexMatch binds the POSIX regular expression operators ~, !~, ~*
// and !~* (Go's RE2 syntax, which covers what clients send).
func (b *binder) bindRegexMatch(op string, l, r expr, loc int32) (expr, error) {
	var err error
	for _, p := range []*expr{&l, &r} {
		k := (*p).typ().Kind
		if k != types.Unknown && !k.IsString() {
			return nil, b.errAt(sqlerr.UndefinedOperatorErr("operator does not exist: %s %s %s", l.typ(), op, r.typ()), loc)
		}
		if *p, err = b.coerce(*p, types.TText, types.CastImplicit); err != nil {
			return nil, b.coerceErr(err, loc)
		}
	}
	not := strings.HasPrefix(op, "!")
	fold := strings.HasSuffix(op, "*")
	return &funcExpr{name: "regex", args: []expr{l, r}, t: types.TBool, strict: true,
		fn: func(args []types.Value) (types.Value, error) {
			flags := ""
			if fold {
				flags = "i"
			}
			rf, err := parseRegexFlags(flags)
			if err != nil {
				return types.Null, err
			}
			re, err := compilePG(args[1].Str(), rf)
			if err != nil {
				return types.Null, err
			}
			ok, err := re.match(args[0].Str())
			if err != nil {
				return types.Null, err
			}
			return types.NewBool(ok != not), nil
		}}, nil
}

// isDefaultCollation reports whether a COLLATE clause names the default,
// C or POSIX collation (psql adds COLLATE pg_catalog.default), which
// change nothing: Aspen compares strings bytewise, as the C locale does.
func isDefaultCollation(c *pg_query.CollateClause) bool {
	if len(c.Collname) == 0 {
		return false
	}
	last := c.Collname[len(c.Collname)-1].GetString_()
	if last == nil {
		return false
	}
	if len(c.Collname) == 2 {
		if s := c.Collname[0].GetString_(); s == nil || s.Sval != "pg_catalog" {
			return false
		}
	}
	switch last.Sval {
	case "default", "C", "POSIX":
		return true
	}
	return false
}
