package syscat

// The catalog helper functions clients call, with PostgreSQL 15's results.

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is what version() returns.
const Version = "PostgreSQL 15.0 (Aspen) on x86_64-pc-linux-gnu, compiled by Go, 64-bit"

// NoTypmod stands for a NULL type modifier in FormatType: format_type(oid,
// NULL) differs from format_type(oid, -1) for a few types (character
// rather than bpchar).
const NoTypmod int32 = -1 << 31

// FormatType is format_type(oid, typmod): the SQL name of a type with its
// modifier, "-" for OID 0 and "???" for an unknown OID.
func (s *Snapshot) FormatType(oid uint32, typmod int32) string {
	if oid == 0 {
		return "-"
	}
	t := s.get().typ(oid)
	if t == nil {
		return "???"
	}
	if t.subscript == "array_subscript_handler" && t.elem != 0 && t.storage != 'p' {
		if e := s.get().typ(t.elem); e != nil {
			return s.FormatType(t.elem, typmod) + "[]"
		}
	}
	mod := typmod
	withMod := typmod >= 0
	switch oid {
	case oidBPChar:
		if withMod {
			return fmt.Sprintf("character(%d)", mod-4)
		}
		if typmod == NoTypmod {
			return "character"
		}
		return "bpchar"
	case oidVarchar:
		if withMod {
			return fmt.Sprintf("character varying(%d)", mod-4)
		}
		return "character varying"
	case oidNumeric:
		if withMod {
			m := mod - 4
			prec := (m >> 16) & 0xffff
			scale := ((m & 0x7ff) ^ 1024) - 1024
			return fmt.Sprintf("numeric(%d,%d)", prec, scale)
		}
		return "numeric"
	case oidTimestamp, oidTimestampTZ, oidTime, oidTimeTZ:
		base := map[uint32]string{oidTimestamp: "timestamp", oidTimestampTZ: "timestamp", oidTime: "time", oidTimeTZ: "time"}[oid]
		zone := " without time zone"
		if oid == oidTimestampTZ || oid == oidTimeTZ {
			zone = " with time zone"
		}
		if withMod {
			return fmt.Sprintf("%s(%d)%s", base, mod, zone)
		}
		return base + zone
	case oidInterval:
		if withMod {
			return "interval" + intervalTypmod(mod)
		}
		return "interval"
	case oidBit:
		if withMod {
			return fmt.Sprintf("bit(%d)", mod)
		}
		if typmod == NoTypmod {
			return "bit"
		}
		return `"bit"`
	case oidVarbit:
		if withMod {
			return fmt.Sprintf("bit varying(%d)", mod)
		}
		return "bit varying"
	}
	if name, ok := sqlTypeNames[oid]; ok {
		return name
	}
	if t.nsp != PgCatalogNamespace {
		if _, visible := s.typeVisible(t); !visible {
			nsp, _ := namespaceName(t.nsp)
			return QuoteIdent(nsp) + "." + QuoteIdent(t.name)
		}
	}
	return QuoteIdent(t.name)
}

// sqlTypeNames are the SQL-standard names format_type uses.
var sqlTypeNames = map[uint32]string{
	oidBool: "boolean", oidInt2: "smallint", oidInt4: "integer", oidInt8: "bigint",
	oidFloat4: "real", oidFloat8: "double precision", oidChar: `"char"`,
}

// intervalTypmod renders an interval modifier: fields and precision.
func intervalTypmod(mod int32) string {
	const fullRange = 0x7fff
	const fullPrecision = 0xffff
	rng := (mod >> 16) & 0x7fff
	prec := mod & 0xffff
	fields := map[int32]string{
		1 << 2: " year", 1 << 1: " month", 1 << 3: " day", 1 << 10: " hour", 1 << 11: " minute", 1 << 12: " second",
		1<<2 | 1<<1: " year to month", 1<<3 | 1<<10: " day to hour", 1<<3 | 1<<10 | 1<<11: " day to minute",
		1<<3 | 1<<10 | 1<<11 | 1<<12: " day to second", 1<<10 | 1<<11: " hour to minute",
		1<<10 | 1<<11 | 1<<12: " hour to second", 1<<11 | 1<<12: " minute to second",
	}
	out := ""
	if rng != fullRange {
		out = fields[rng]
	}
	if prec != fullPrecision {
		out += fmt.Sprintf("(%d)", prec)
	}
	return out
}

// QuoteIdent is quote_ident: the name in double quotes unless it is a
// lower-case identifier that is not a reserved keyword.
func QuoteIdent(name string) string {
	safe := name != "" && (name[0] >= 'a' && name[0] <= 'z' || name[0] == '_')
	for i := 0; safe && i < len(name); i++ {
		c := name[i]
		safe = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_'
	}
	if safe && !reservedWords[name] {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// reservedWords are the keywords quote_ident quotes (PostgreSQL's
// reserved, type-function-name and column-name keywords that clash in
// identifiers).
var reservedWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`all analyse analyze and any array as asc asymmetric authorization binary
		both case cast check collate collation column concurrently constraint create cross current_catalog
		current_date current_role current_schema current_time current_timestamp current_user default
		deferrable desc distinct do else end except false fetch for foreign freeze from full grant group
		having ilike in initially inner intersect into is isnull join lateral leading left like limit
		localtime localtimestamp natural not notnull null offset on only or order outer overlaps placing
		primary references returning right select session_user similar some symmetric system_user table tablesample then to
		trailing true union unique user using variadic verbose when where window with
		between bigint bit boolean char character coalesce dec decimal exists extract float greatest
		grouping inout int integer interval least national nchar none normalize nullif numeric out overlay
		position precision real row setof smallint substring time timestamp treat trim values varchar
		xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot
		xmlserialize xmltable`) {
		reservedWords[w] = true
	}
}

// relByOID returns a relation by OID.
func (s *Snapshot) relByOID(oid uint32) *relation { return s.get().byOID[oid] }

// IndexDef is pg_get_indexdef(oid, column, pretty): the CREATE INDEX
// statement of an index, or with column > 0 that key column's name (""
// past the last). ok is false for an OID that is not an index (NULL).
func (s *Snapshot) IndexDef(oid uint32, column int, pretty bool) (string, bool) {
	r := s.relByOID(oid)
	if r == nil || r.kind != 'i' {
		return "", false
	}
	if column > 0 {
		if column > len(r.cols) {
			return "", true
		}
		return QuoteIdent(r.cols[column-1].name), true
	}
	if pretty {
		return s.indexDefPretty(r), true
	}
	return s.indexDef(r, 0), true
}

// indexDef renders CREATE INDEX with the table's schema.
func (s *Snapshot) indexDef(r *relation, _ int) string {
	return s.indexDefWith(r, "public."+QuoteIdent(r.indrel.name))
}

// indexDefPretty omits the schema of a visible table.
func (s *Snapshot) indexDefPretty(r *relation) string {
	return s.indexDefWith(r, QuoteIdent(r.indrel.name))
}

func (s *Snapshot) indexDefWith(r *relation, table string) string {
	var b strings.Builder
	b.WriteString("CREATE ")
	if r.unique {
		b.WriteString("UNIQUE ")
	}
	b.WriteString("INDEX ")
	b.WriteString(QuoteIdent(r.name))
	b.WriteString(" ON ")
	b.WriteString(table)
	b.WriteString(" USING btree (")
	b.WriteString(columnList(r.cols))
	b.WriteString(")")
	return b.String()
}

// columnList joins quoted column names.
func columnList(cols []column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = QuoteIdent(c.name)
	}
	return strings.Join(names, ", ")
}

// ConstraintDef is pg_get_constraintdef(oid): "PRIMARY KEY (a)" or
// "UNIQUE (a, b)"; ok is false for an unknown OID.
func (s *Snapshot) ConstraintDef(oid uint32) (string, bool) {
	for _, r := range s.get().rels {
		if r.kind != 'i' || r.conOID != oid || oid == 0 {
			continue
		}
		kind := "UNIQUE"
		if r.conType == 'p' {
			kind = "PRIMARY KEY"
		}
		return kind + " (" + columnList(r.cols) + ")", true
	}
	return s.get().tableConstraintDef(oid, false)
}

// Expr is pg_get_expr(text, relid): the stored expression text, which is
// already source text in Aspen.
func Expr(node string) string { return node }

// ViewDef is pg_get_viewdef(oid): the view's query text; ok is false when
// the OID is not a view.
func (s *Snapshot) ViewDef(oid uint32) (string, bool) {
	r := s.relByOID(oid)
	if r == nil || r.view == nil {
		return "", false
	}
	return r.view.Definition, true
}

// ViewDefByName is pg_get_viewdef(name).
func (s *Snapshot) ViewDefByName(name string) (string, bool) {
	oid, ok := s.RegclassIn(name)
	if !ok {
		return "", false
	}
	return s.ViewDef(oid)
}

// UserByID is pg_get_userbyid(oid): the role's name, or "unknown
// (OID=n)".
func (s *Snapshot) UserByID(oid uint32) string {
	if name := s.roleName(oid); name != "" {
		return name
	}
	return fmt.Sprintf("unknown (OID=%d)", oid)
}

// roleName returns a role's name, or "".
func (s *Snapshot) roleName(oid uint32) string {
	for _, r := range s.get().roles {
		if r.OID == oid {
			return r.Name
		}
	}
	return ""
}

// encodings are PostgreSQL's encoding names by number.
var encodings = []string{"SQL_ASCII", "EUC_JP", "EUC_CN", "EUC_KR", "EUC_TW", "EUC_JIS_2004", "UTF8",
	"MULE_INTERNAL", "LATIN1", "LATIN2", "LATIN3", "LATIN4", "LATIN5", "LATIN6", "LATIN7", "LATIN8",
	"LATIN9", "LATIN10", "WIN1256", "WIN1258", "WIN866", "WIN874", "KOI8R", "WIN1251", "WIN1252",
	"ISO_8859_5", "ISO_8859_6", "ISO_8859_7", "ISO_8859_8", "WIN1250", "WIN1253", "WIN1254", "WIN1255",
	"WIN1257", "KOI8U", "SJIS", "BIG5", "GBK", "UHC", "GB18030", "JOHAB", "SHIFT_JIS_2004"}

// EncodingToChar is pg_encoding_to_char(n): the encoding's name, "" for
// an unknown number.
func EncodingToChar(n int64) string {
	if n < 0 || n >= int64(len(encodings)) {
		return ""
	}
	return encodings[n]
}

// CharToEncoding is pg_char_to_encoding(name): the number, -1 if unknown.
func CharToEncoding(name string) int64 {
	for i, e := range encodings {
		if strings.EqualFold(e, name) {
			return int64(i)
		}
	}
	return -1
}

// TableIsVisible is pg_table_is_visible(oid); ok is false for an OID that
// is not a relation (NULL).
func (s *Snapshot) TableIsVisible(oid uint32) (visible, ok bool) {
	r := s.relByOID(oid)
	if r == nil {
		return false, false
	}
	return s.get().lookup("", r.name) == r, true
}

// TypeIsVisible is pg_type_is_visible(oid); ok is false for an unknown
// type (NULL).
func (s *Snapshot) TypeIsVisible(oid uint32) (visible, ok bool) {
	t := s.get().typ(oid)
	if t == nil {
		return false, false
	}
	return s.typeVisible(t)
}

func (s *Snapshot) typeVisible(t *typeRow) (visible, ok bool) {
	for _, nsp := range searchPath {
		if u := s.get().typeNames[nameKey{nsp, t.name}]; u != nil {
			return u == t, true
		}
	}
	return false, true
}

// ObjDescription is obj_description and col_description: Aspen keeps no
// comments, so it is always NULL (ok false).
func ObjDescription() (string, bool) { return "", false }

// splitQualified parses a possibly schema-qualified, possibly quoted name
// as regclass input does; ok is false for a malformed name.
func splitQualified(text string) (schema, name string, ok bool) {
	var parts []string
	s := strings.TrimSpace(text)
	for {
		var part string
		if strings.HasPrefix(s, `"`) {
			end := 1
			var b strings.Builder
			for {
				i := strings.IndexByte(s[end:], '"')
				if i < 0 {
					return "", "", false
				}
				b.WriteString(s[end : end+i])
				end += i + 1
				if end < len(s) && s[end] == '"' {
					b.WriteByte('"')
					end++
					continue
				}
				break
			}
			part, s = b.String(), s[end:]
		} else {
			i := strings.IndexByte(s, '.')
			if i < 0 {
				i = len(s)
			}
			part, s = strings.ToLower(strings.TrimSpace(s[:i])), s[i:]
		}
		if part == "" {
			return "", "", false
		}
		parts = append(parts, part)
		s = strings.TrimSpace(s)
		if s == "" {
			break
		}
		if s[0] != '.' {
			return "", "", false
		}
		s = s[1:]
	}
	switch len(parts) {
	case 1:
		return "", parts[0], true
	case 2:
		return parts[0], parts[1], true
	case 3:
		return parts[1], parts[2], true // database.schema.name
	}
	return "", "", false
}

// RegclassIn resolves a relation name (regclass input, to_regclass): a
// number is taken as an OID; ok is false when no relation has the name.
func (s *Snapshot) RegclassIn(text string) (uint32, bool) {
	if n, err := strconv.ParseUint(strings.TrimSpace(text), 10, 32); err == nil {
		return uint32(n), true
	}
	schema, name, ok := splitQualified(text)
	if !ok {
		return 0, false
	}
	r := s.get().lookup(schema, name)
	if r == nil {
		return 0, false
	}
	return r.oid, true
}

// RegclassOut renders a relation OID (regclass output): its name,
// schema-qualified when not visible, or the number when unknown.
func (s *Snapshot) RegclassOut(oid uint32) string {
	r := s.relByOID(oid)
	if r == nil {
		if oid == 0 {
			return "-"
		}
		return strconv.FormatUint(uint64(oid), 10)
	}
	if vis, _ := s.TableIsVisible(oid); vis {
		return QuoteIdent(r.name)
	}
	nsp, _ := namespaceName(r.nsp)
	return QuoteIdent(nsp) + "." + QuoteIdent(r.name)
}

// typeAliases are the SQL spellings regtype input accepts besides
// pg_type names.
var typeAliases = map[string]uint32{
	"boolean": oidBool, "smallint": oidInt2, "integer": oidInt4, "int": oidInt4, "bigint": oidInt8,
	"real": oidFloat4, "float": oidFloat8, "double precision": oidFloat8, "decimal": oidNumeric,
	"character varying": oidVarchar, "character": oidBPChar, "char": oidBPChar, `"char"`: oidChar,
	"timestamp without time zone": oidTimestamp, "timestamp with time zone": oidTimestampTZ,
	"time without time zone": oidTime, "time with time zone": oidTimeTZ, "bit varying": oidVarbit,
}

// RegtypeIn resolves a type name (regtype input, to_regtype): SQL names
// ("integer", "character varying"), pg_type names, array forms ("int[]"),
// modifiers are ignored; a number is taken as an OID.
func (s *Snapshot) RegtypeIn(text string) (uint32, bool) {
	t := strings.TrimSpace(text)
	if n, err := strconv.ParseUint(t, 10, 32); err == nil {
		return uint32(n), true
	}
	array := false
	if strings.HasSuffix(t, "[]") {
		array = true
		t = strings.TrimSpace(strings.TrimSuffix(t, "[]"))
	}
	if i := strings.IndexByte(t, '('); i >= 0 && strings.HasSuffix(t, ")") {
		rest := t[strings.IndexByte(t, ')')+1:]
		t = strings.TrimSpace(t[:i]) + rest
	}
	oid, ok := s.typeByName(t)
	if !ok {
		return 0, false
	}
	if array {
		at := s.get().typ(oid)
		if at == nil || at.array == 0 {
			return 0, false
		}
		return at.array, true
	}
	return oid, true
}

func (s *Snapshot) typeByName(text string) (uint32, bool) {
	lower := strings.Join(strings.Fields(strings.ToLower(text)), " ")
	if oid, ok := typeAliases[lower]; ok && !strings.HasPrefix(text, `"`) {
		return oid, true
	}
	if oid, ok := typeAliases[text]; ok {
		return oid, true
	}
	schema, name, ok := splitQualified(text)
	if !ok {
		return 0, false
	}
	ix := s.get()
	if schema != "" {
		nsp, ok := namespaceOID(schema)
		if !ok {
			return 0, false
		}
		if t := ix.typeNames[nameKey{nsp, name}]; t != nil {
			return t.oid, true
		}
		return 0, false
	}
	for _, nsp := range searchPath {
		if t := ix.typeNames[nameKey{nsp, name}]; t != nil {
			return t.oid, true
		}
	}
	return 0, false
}

// RegtypeOut renders a type OID (regtype output) as format_type(oid, NULL)
// does; an unknown OID renders as its number.
func (s *Snapshot) RegtypeOut(oid uint32) string {
	if oid == 0 {
		return "-"
	}
	if s.get().typ(oid) == nil {
		return strconv.FormatUint(uint64(oid), 10)
	}
	return s.FormatType(oid, NoTypmod)
}

// RegprocIn resolves a function name (regproc input): ok is false when no
// function or more than one has the name; a number is taken as an OID.
func RegprocIn(text string) (uint32, bool) {
	t := strings.TrimSpace(text)
	if n, err := strconv.ParseUint(t, 10, 32); err == nil {
		return uint32(n), true
	}
	schema, name, ok := splitQualified(t)
	if !ok || (schema != "" && schema != "pg_catalog") {
		return 0, false
	}
	if idx := procByName[name]; len(idx) == 1 {
		return builtinProcs[idx[0]].oid, true
	}
	return 0, false
}

// RegprocAmbiguous reports whether a function name (regproc input) names
// more than one function, which regproc input rejects.
func RegprocAmbiguous(text string) bool {
	schema, name, ok := splitQualified(strings.TrimSpace(text))
	return ok && (schema == "" || schema == "pg_catalog") && len(procByName[name]) > 1
}

// RegprocOut renders a function OID (regproc output): its name (schema
// qualified when overloaded), "-" for 0, the number when unknown.
func RegprocOut(oid uint32) string {
	if oid == 0 {
		return "-"
	}
	if p, ok := procByOID(oid); ok {
		if len(procByName[p.name]) > 1 {
			// An overloaded name is qualified, as regprocout does.
			return "pg_catalog." + QuoteIdent(p.name)
		}
		return p.name
	}
	return strconv.FormatUint(uint64(oid), 10)
}

// RegnamespaceOut renders a schema OID (regnamespace output).
func RegnamespaceOut(oid uint32) string {
	if name, ok := namespaceName(oid); ok {
		return QuoteIdent(name)
	}
	return strconv.FormatUint(uint64(oid), 10)
}

// RegnamespaceIn resolves a schema name (regnamespace input).
func RegnamespaceIn(text string) (uint32, bool) {
	if n, err := strconv.ParseUint(strings.TrimSpace(text), 10, 32); err == nil {
		return uint32(n), true
	}
	schema, name, ok := splitQualified(text)
	if !ok || schema != "" {
		return 0, false
	}
	return namespaceOID(name)
}

// SerialSequence is pg_get_serial_sequence(table, column): the
// schema-qualified name of the sequence the column owns, ok false for
// none (NULL). err is PostgreSQL's error for an unknown table (42P01) or
// column (42703). The table name is parsed as SQL (case-folded unless
// quoted); the column name is taken literally.
func (s *Snapshot) SerialSequence(table, column string) (seq string, ok bool, err error) {
	oid, found := s.RegclassIn(table)
	r := s.relByOID(oid)
	if !found || r == nil {
		return "", false, fmt.Errorf("relation %q does not exist", table)
	}
	// The column name is taken literally, unlike the table name.
	col := column
	has := false
	for _, c := range r.cols {
		if c.name == col {
			has = true
		}
	}
	if !has {
		return "", false, fmt.Errorf("column %q of relation %q does not exist", col, r.name)
	}
	for _, q := range s.get().rels {
		if q.seq != nil && q.seq.OwnerTable == r.name && q.seq.OwnerColumn == col {
			nsp, _ := namespaceName(q.nsp)
			return QuoteIdent(nsp) + "." + QuoteIdent(q.name), true, nil
		}
	}
	return "", false, nil
}
