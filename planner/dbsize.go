package planner

// PostgreSQL's disk size functions (pg_relation_size, pg_table_size,
// pg_indexes_size, pg_total_relation_size, pg_database_size) and
// pg_size_pretty, which psql's \dt+, \di+ and \l+ call. Aspen's tables
// live in the replicated store rather than in 8 kB pages, so sizes are
// estimates: a table's keys and values rounded up to whole pages (0 for an
// empty table, as in PostgreSQL) and one page per index, an empty B-tree's
// size. pg_size_pretty formats exactly as PostgreSQL does.

import (
	"math/big"
	"strings"

	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/syscat"
	"github.com/aspen-db/aspen/planner/types"
)

const (
	// pageSize is PostgreSQL's block size.
	pageSize = 8192
	// sizeScanLimit bounds the entries read to estimate one table's size.
	sizeScanLimit = 1 << 20
)

// sizeFunc binds the size functions; ok is false for other names.
func (b *binder) sizeFunc(name string, args []expr, snap func() (*syscat.Snapshot, error)) (expr, bool, error) {
	switch name {
	case "pg_size_pretty":
		if len(args) != 1 {
			return nil, false, nil
		}
		a := args[0]
		k := a.typ().Kind
		switch {
		case k == types.Numeric:
			return &funcExpr{name: name, args: args, t: types.TText, strict: true, fn: func(v []types.Value) (types.Value, error) {
				return types.NewText(sizePrettyNumeric(string(v[0].AppendTextEnv(nil, nil)))), nil
			}}, true, nil
		case k == types.Int2 || k == types.Int4 || k == types.Int8 || k == types.Unknown:
			a, err := b.coerce(a, types.TInt8, types.CastImplicit)
			if err != nil {
				return nil, true, err
			}
			return b.foldSize(&funcExpr{name: name, args: []expr{a}, t: types.TText, strict: true, fn: func(v []types.Value) (types.Value, error) {
				return types.NewText(sizePretty(v[0].Int())), nil
			}})
		}
		return nil, false, nil
	case "pg_relation_size", "pg_table_size", "pg_indexes_size", "pg_total_relation_size":
		if len(args) != 1 && !(name == "pg_relation_size" && len(args) == 2) {
			return nil, false, nil
		}
		if c, ok := args[0].(*constExpr); ok && (c.t.Kind.IsString() || c.t.Kind == types.Unknown) && !c.v.IsNull() {
			// A name literal is resolved (as its regclass cast) at once.
			s, err := snap()
			if err != nil {
				return nil, true, err
			}
			if _, err := relOIDArg(s, c.v); err != nil {
				return nil, true, b.errAt(err, c.loc)
			}
		}
		return &funcExpr{name: name, args: args, t: types.TInt8, strict: true, volatile: true, fn: func(v []types.Value) (types.Value, error) {
			s, err := snap()
			if err != nil {
				return types.Null, err
			}
			oid, err := relOIDArg(s, v[0])
			if err != nil {
				return types.Null, err
			}
			if len(v) == 2 && v[1].Str() != "main" {
				return types.NewInt(types.Int8, 0), nil // fsm, vm, init forks
			}
			n, ok, err := b.relationSize(s, oid, name)
			if err != nil || !ok {
				return types.Null, err
			}
			return types.NewInt(types.Int8, n), nil
		}}, true, nil
	case "pg_database_size":
		if len(args) != 1 {
			return nil, false, nil
		}
		return &funcExpr{name: name, args: args, t: types.TInt8, strict: true, volatile: true, fn: func(v []types.Value) (types.Value, error) {
			s, err := snap()
			if err != nil {
				return types.Null, err
			}
			if k := v[0].Kind(); (k.IsString() || k == types.Unknown) && v[0].Str() != s.Database {
				if syscat.IsStandardDatabase(v[0].Str()) {
					// template0, template1 and postgres are listed but
					// hold nothing.
					return types.NewInt(types.Int8, 0), nil
				}
				return types.Null, sqlerr.New("3D000", "database %q does not exist", v[0].Str())
			}
			if k := v[0].Kind(); k.IsInteger() || k.IsOIDKind() {
				if oid := uint32(v[0].Int()); oid != s.DatabaseOID() && oid < syscat.FirstNormalObjectID {
					return types.NewInt(types.Int8, 0), nil
				}
			}
			return types.NewInt(types.Int8, b.databaseSize()), nil
		}}, true, nil
	case "has_database_privilege":
		if len(args) != 2 && len(args) != 3 {
			return nil, false, nil
		}
		return &funcExpr{name: name, args: args, t: types.TBool, strict: true, fn: func(v []types.Value) (types.Value, error) {
			return types.NewBool(true), nil
		}}, true, nil
	}
	return nil, false, nil
}

// foldSize folds a size function over constants.
func (b *binder) foldSize(e expr) (expr, bool, error) {
	e, err := b.fold(e, -1)
	return e, true, err
}

// relOIDArg reads a relation argument: a regclass or OID, or a name.
func relOIDArg(s *syscat.Snapshot, v types.Value) (uint32, error) {
	if k := v.Kind(); k.IsString() || k == types.Unknown {
		oid, ok := s.RegclassIn(v.Str())
		if !ok {
			return 0, sqlerr.New(sqlerr.UndefinedTable, "relation %q does not exist", v.Str())
		}
		return oid, nil
	}
	return uint32(v.Int()), nil
}

// relationSize estimates one of the size functions for the relation oid;
// ok is false for an OID that names no relation (NULL, as in PostgreSQL).
func (b *binder) relationSize(s *syscat.Snapshot, oid uint32, fn string) (int64, bool, error) {
	kind, ok := s.RelKind(oid)
	if !ok {
		return 0, false, nil
	}
	switch kind {
	case 'i':
		if fn == "pg_indexes_size" {
			return 0, true, nil
		}
		return pageSize, true, nil
	case 'r':
	case 'S':
		if fn == "pg_indexes_size" {
			return 0, true, nil
		}
		return pageSize, true, nil
	default:
		return 0, true, nil
	}
	desc := b.tableByOID(oid)
	if desc == nil {
		return 0, true, nil
	}
	indexes := int64(len(desc.Indexes)) * pageSize
	if len(desc.PrimaryKey) > 0 {
		indexes += pageSize
	}
	if fn == "pg_indexes_size" {
		return indexes, true, nil
	}
	data, err := b.eng.cat.DataSize(b.r, desc, sizeScanLimit)
	if err != nil {
		return 0, false, err
	}
	data = (data + pageSize - 1) / pageSize * pageSize
	if fn != "pg_relation_size" && hasToastTable(desc) {
		data += pageSize // the TOAST table's index
	}
	if fn == "pg_total_relation_size" {
		data += indexes
	}
	return data, true, nil
}

// tableByOID finds the descriptor of the table whose relation OID is oid.
func (b *binder) tableByOID(oid uint32) *sqlrows.TableDesc {
	if b.r == nil {
		return nil
	}
	descs, err := b.eng.cat.Tables(b.r)
	if err != nil {
		return nil
	}
	for _, d := range descs {
		if o, ok := syscat.RelationOID(d.ID); ok && o == oid {
			return d
		}
	}
	return nil
}

// databaseSize estimates the current database's size: its tables and
// indexes, plus a page for each system catalog.
func (b *binder) databaseSize() int64 {
	n := int64(len(syscat.Tables())) * pageSize
	if b.r == nil {
		return n
	}
	descs, err := b.eng.cat.Tables(b.r)
	if err != nil {
		return n
	}
	for _, d := range descs {
		data, err := b.eng.cat.DataSize(b.r, d, sizeScanLimit)
		if err != nil {
			continue
		}
		n += (data+pageSize-1)/pageSize*pageSize + int64(len(d.Indexes)+1)*pageSize
	}
	return n
}

// sizeUnits are pg_size_pretty's units: each is used below its limit,
// and the units after bytes round half away from zero.
var sizeUnits = []struct {
	name  string
	limit int64
	round bool
	bits  uint
}{
	{"bytes", 10 * 1024, false, 0},
	{"kB", 20*1024 - 1, true, 10},
	{"MB", 20*1024 - 1, true, 20},
	{"GB", 20*1024 - 1, true, 30},
	{"TB", 20*1024 - 1, true, 40},
	{"PB", 20*1024 - 1, true, 50},
}

// sizeShift is how far the value is divided before moving from unit i to
// unit i+1: one bit less into a rounding unit (the bit kept for rounding),
// one more out of one.
func sizeShift(i int) uint {
	u, next := sizeUnits[i], sizeUnits[i+1]
	bits := next.bits - u.bits
	if next.round {
		bits--
	}
	if u.round {
		bits++
	}
	return bits
}

// sizePretty is pg_size_pretty(bigint).
func sizePretty(size int64) string {
	for i, u := range sizeUnits {
		if i == len(sizeUnits)-1 || abs64(size) < u.limit {
			if u.round {
				size = halfRounded(size)
			}
			return big.NewInt(size).String() + " " + u.name
		}
		size /= int64(1) << sizeShift(i) // truncates toward zero, as C
	}
	return ""
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func halfRounded(x int64) int64 {
	if x < 0 {
		return (x - 1) / 2
	}
	return (x + 1) / 2
}

// sizePrettyNumeric is pg_size_pretty(numeric) of a numeric's text: bytes
// print as given; larger units work on the truncated integer.
func sizePrettyNumeric(text string) string {
	intPart := text
	if i := strings.IndexByte(text, '.'); i >= 0 {
		intPart = text[:i]
	}
	size, ok := new(big.Int).SetString(intPart, 10)
	if !ok {
		return text + " bytes"
	}
	limitAbs := func(l int64) bool { return new(big.Int).Abs(size).Cmp(big.NewInt(l)) < 0 }
	for i, u := range sizeUnits {
		if i == len(sizeUnits)-1 || limitAbs(u.limit) {
			if !u.round {
				return text + " " + u.name
			}
			two := big.NewInt(2)
			if size.Sign() < 0 {
				size.Sub(size, big.NewInt(1))
			} else {
				size.Add(size, big.NewInt(1))
			}
			size.Quo(size, two)
			return size.String() + " " + u.name
		}
		size.Quo(size, new(big.Int).Lsh(big.NewInt(1), sizeShift(i)))
	}
	return text
}

// hasToastTable reports whether PostgreSQL would give the table a TOAST
// table: when a row can outgrow TOAST_TUPLE_THRESHOLD (2032 bytes), as with
// any column of unbounded length. Its empty index is one page, which
// pg_table_size counts.
func hasToastTable(desc *sqlrows.TableDesc) bool {
	const threshold = 2032
	total := 24 // tuple header
	for _, c := range desc.Columns {
		t, ok := types.FromOID(c.TypeOID)
		if !ok {
			return true
		}
		t.Mod = c.TypeMod
		switch {
		case t.Size() > 0:
			total += int(t.Size())
		case (t.Kind == types.Varchar || t.Kind == types.BPChar) && t.Mod >= 4:
			total += 4*int(t.Mod-4) + 4 // four bytes per character at most
		case t.Kind == types.Numeric && t.Mod >= 4:
			prec := int((t.Mod - 4) >> 16)
			total += (prec+3)/4*2 + 8
		default:
			return true
		}
		if total > threshold {
			return true
		}
	}
	return false
}
