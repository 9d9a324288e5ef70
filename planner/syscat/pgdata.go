package syscat

// PostgreSQL 15's built-in catalog rows that are served from data rather
// than code: every pg_catalog type (pg_type), function (pg_proc), operator
// (pg_operator), cast (pg_cast) and the comments on them (pg_description),
// as gen/ reads them from a real PostgreSQL 15 server into pgdata/. The
// hand-written lists (builtinTypes, builtinProcs) keep precedence; the
// data adds what they lack.

import (
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:generate go run ./gen -out pgdata

//go:embed pgdata/*.tsv.gz
var pgdataFS embed.FS

// dataTable is one pgdata file: its column names and its rows, each value
// a string or nil for NULL.
type dataTable struct {
	cols []string
	rows [][]any
}

// col returns the position of a column; it panics on a name the file
// lacks, which is a mismatch between gen/ and this file caught by the
// package's tests.
func (t *dataTable) col(name string) int {
	for i, c := range t.cols {
		if c == name {
			return i
		}
	}
	panic(fmt.Sprintf("syscat: pgdata has no column %q", name))
}

// loadData reads one pgdata file (COPY text format with a header line).
func loadData(name string) (*dataTable, error) {
	raw, err := pgdataFS.ReadFile("pgdata/" + name)
	if err != nil {
		return nil, fmt.Errorf("syscat: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("syscat: %s: %w", name, err)
	}
	text, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("syscat: %s: %w", name, err)
	}
	lines := strings.Split(strings.TrimSuffix(string(text), "\n"), "\n")
	t := &dataTable{cols: strings.Split(lines[0], "\t")}
	for n, line := range lines[1:] {
		fields := strings.Split(line, "\t")
		if len(fields) != len(t.cols) {
			return nil, fmt.Errorf("syscat: %s line %d: %d fields, want %d", name, n+2, len(fields), len(t.cols))
		}
		row := make([]any, len(fields))
		for i, f := range fields {
			if f == `\N` {
				continue
			}
			row[i] = copyUnescape(f)
		}
		t.rows = append(t.rows, row)
	}
	return t, nil
}

// copyUnescape decodes COPY text format's backslash escapes.
func copyUnescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch c = s[i]; c {
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte('\v')
		case 'x':
			n, j := 0, i+1
			for ; j < len(s) && j < i+3 && isHex(s[j]); j++ {
				v, _ := strconv.ParseUint(s[j:j+1], 16, 8)
				n = n*16 + int(v)
			}
			if j == i+1 {
				b.WriteByte('x')
				continue
			}
			b.WriteByte(byte(n))
			i = j - 1
		default:
			if c >= '0' && c <= '7' {
				n, j := 0, i
				for ; j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7'; j++ {
					n = n*8 + int(s[j]-'0')
				}
				b.WriteByte(byte(n))
				i = j - 1
				continue
			}
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// mustLoad loads a pgdata file at package initialisation; the files are
// embedded, so a failure is a build defect.
func mustLoad(name string) *dataTable {
	t, err := loadData(name)
	if err != nil {
		panic(err)
	}
	return t
}

// dataValue converts a pgdata text value to the row representation of a
// column of type typ (see the package documentation).
func dataValue(v any, typ uint32) any {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	switch typ {
	case oidInt2, oidInt4, oidInt8, oidOID, oidRegproc, oidXID, oidRegtype:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil
		}
		return n
	case oidFloat4, oidFloat8:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil
		}
		return f
	case oidBool:
		return s == "t"
	case oidOIDVector, oidInt2Vector:
		return oidList(s)
	case oidOIDArray, oidInt2Array:
		return oidList(strings.NewReplacer("{", "", "}", "", ",", " ").Replace(s))
	case oidTextArray, oidCharArray, oidACLItemArr:
		return parseTextArray(s)
	}
	return s
}

// parseTextArray parses a one-dimensional array literal of strings.
func parseTextArray(s string) []string {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	out := []string{}
	if s == "" {
		return out
	}
	for i := 0; i <= len(s); {
		var b strings.Builder
		if i < len(s) && s[i] == '"' {
			i++
			for i < len(s) && s[i] != '"' {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				b.WriteByte(s[i])
				i++
			}
			i++ // closing quote
		} else {
			for i < len(s) && s[i] != ',' {
				b.WriteByte(s[i])
				i++
			}
		}
		out = append(out, b.String())
		i++ // comma
	}
	return out
}

// dataRecs converts a pgdata file into rows of a table whose columns are
// cols; extra sets constant columns (namespace, owner).
func dataRecs(t *dataTable, cols []Column, extra rec) []rec {
	idx := make([]int, len(cols))
	for i, c := range cols {
		idx[i] = -1
		for j, n := range t.cols {
			if n == c.Name {
				idx[i] = j
			}
		}
	}
	out := make([]rec, 0, len(t.rows))
	for _, row := range t.rows {
		r := rec{}
		for k, v := range extra {
			r[k] = v
		}
		for i, c := range cols {
			if idx[i] >= 0 {
				r[c.Name] = dataValue(row[idx[i]], c.Type)
			}
		}
		out = append(out, r)
	}
	return out
}

// procExtra is what pg_proc's data knows of a function besides procInfo:
// PostgreSQL's own renderings of its signature, and its full row.
type procExtra struct {
	args, identityArgs, result string
	row                        rec
}

var (
	pgdataOnce sync.Once
	// dataProcs holds the functions of pg_proc's data, by OID.
	dataProcs map[uint32]*procExtra
	// dataOperatorRecs and dataCastRecs are the rows of pg_operator and
	// pg_cast in OID order.
	dataOperatorRecs, dataCastRecs []rec
	// dataDescriptionRecs are the comments on built-in objects; dataDesc
	// indexes them.
	dataDescriptionRecs []rec
	dataDesc            map[descKey]string
	// procIndex finds builtinProcs entries by OID and by name.
	procIndex  map[uint32]int
	procByName map[string][]int
)

// descKey identifies a comment.
type descKey struct {
	objoid, classoid uint32
}

func init() {
	mergeDataTypes()
	mergeDataProcs()
}

// mergeDataTypes adds the pg_catalog types the hand-written list lacks.
func mergeDataTypes() {
	t := mustLoad("pg_type.tsv.gz")
	have := map[uint32]bool{}
	for _, ti := range builtinTypes {
		have[ti.oid] = true
	}
	get := func(row []any, name string) string {
		s, _ := row[t.col(name)].(string)
		return s
	}
	num := func(row []any, name string) int64 {
		n, _ := strconv.ParseInt(get(row, name), 10, 64)
		return n
	}
	b := func(row []any, name string) byte {
		if s := get(row, name); s != "" {
			return s[0]
		}
		return 0
	}
	for _, row := range t.rows {
		oid := uint32(num(row, "oid"))
		if have[oid] {
			continue
		}
		builtinTypes = append(builtinTypes, typeInfo{
			oid: oid, name: get(row, "typname"), len: num(row, "typlen"), byval: get(row, "typbyval") == "t",
			typtype: b(row, "typtype"), category: b(row, "typcategory"), preferred: get(row, "typispreferred") == "t",
			delim: b(row, "typdelim"), elem: uint32(num(row, "typelem")), array: uint32(num(row, "typarray")),
			input: get(row, "typinput"), output: get(row, "typoutput"), receive: get(row, "typreceive"),
			send: get(row, "typsend"), modin: get(row, "typmodin"), modout: get(row, "typmodout"),
			analyze: get(row, "typanalyze"), align: b(row, "typalign"), storage: b(row, "typstorage"),
			collation: uint32(num(row, "typcollation")), subscript: get(row, "typsubscript"),
		})
	}
	sort.SliceStable(builtinTypes, func(i, j int) bool { return builtinTypes[i].oid < builtinTypes[j].oid })
}

// mergeDataProcs adds the pg_catalog functions the hand-written list
// lacks, and indexes the list.
func mergeDataProcs() {
	t := mustLoad("pg_proc.tsv.gz")
	have := map[uint32]bool{}
	for _, p := range builtinProcs {
		have[p.oid] = true
	}
	recs := dataRecs(t, pgProcCols, rec{
		"pronamespace": int64(PgCatalogNamespace), "proowner": int64(BootstrapSuperuserOID),
	})
	dataProcs = make(map[uint32]*procExtra, len(recs))
	for i, r := range recs {
		row := t.rows[i]
		str := func(name string) string { s, _ := row[t.col(name)].(string); return s }
		oid := uint32(r["oid"].(int64))
		dataProcs[oid] = &procExtra{args: str("args"), identityArgs: str("identity_args"), result: str("result"), row: r}
		if have[oid] {
			continue
		}
		p := procInfo{
			oid: oid, name: str("proname"), kind: str("prokind")[0], volatile: str("provolatile")[0],
			strict: r["proisstrict"] == true, retset: r["proretset"] == true,
			rettype: uint32(r["prorettype"].(int64)), argtypes: str("proargtypes"), src: str("prosrc"),
			parallel: str("proparallel")[0], lang: uint32(r["prolang"].(int64)),
			cost: r["procost"].(float64), rows: r["prorows"].(float64),
			variadic: uint32(r["provariadic"].(int64)), nargdefaults: r["pronargdefaults"].(int64),
		}
		if names, ok := r["proargnames"].([]string); ok {
			p.argnames = strings.Join(names, " ")
		}
		builtinProcs = append(builtinProcs, p)
	}
	sort.SliceStable(builtinProcs, func(i, j int) bool { return builtinProcs[i].oid < builtinProcs[j].oid })
	procIndex = make(map[uint32]int, len(builtinProcs))
	procByName = map[string][]int{}
	for i, p := range builtinProcs {
		procIndex[p.oid] = i
		procByName[p.name] = append(procByName[p.name], i)
	}
}

// loadPgdata loads the tables that are read only when queried.
func loadPgdata() {
	pgdataOnce.Do(func() {
		dataOperatorRecs = dataRecs(mustLoad("pg_operator.tsv.gz"), pgOperatorCols, rec{
			"oprnamespace": int64(PgCatalogNamespace), "oprowner": int64(BootstrapSuperuserOID),
		})
		dataCastRecs = dataRecs(mustLoad("pg_cast.tsv.gz"), pgCastCols, nil)
		dataDescriptionRecs = dataRecs(mustLoad("pg_description.tsv.gz"), pgDescriptionCols, nil)
		dataDesc = make(map[descKey]string, len(dataDescriptionRecs))
		for _, r := range dataDescriptionRecs {
			if r["objsubid"] == int64(0) {
				d, _ := r["description"].(string)
				dataDesc[descKey{uint32(r["objoid"].(int64)), uint32(r["classoid"].(int64))}] = d
			}
		}
	})
}

func pgOperatorRows(*Snapshot) []rec {
	loadPgdata()
	return dataOperatorRecs
}

func pgCastRows(*Snapshot) []rec {
	loadPgdata()
	return dataCastRecs
}

// builtinDescriptionRows are the comments on built-in functions, types,
// operators, casts, languages and access methods.
func builtinDescriptionRows() []rec {
	loadPgdata()
	return dataDescriptionRecs
}

// builtinDescription is the comment on a built-in object of the catalog
// with OID class (any of them when class is 0).
func builtinDescription(oid, class uint32) (string, bool) {
	loadPgdata()
	if class != 0 {
		d, ok := dataDesc[descKey{oid, class}]
		return d, ok
	}
	for _, c := range []uint32{PgProcOID, PgTypeOID, pgOperatorClassOID, pgLanguageClassOID, pgAmClassOID, pgCastClassOID} {
		if d, ok := dataDesc[descKey{oid, c}]; ok {
			return d, true
		}
	}
	return "", false
}

// The OIDs of the catalogs whose objects have built-in comments.
const (
	pgOperatorClassOID = 2617
	pgLanguageClassOID = 2612
	pgAmClassOID       = 2601
	pgCastClassOID     = 2605
)
