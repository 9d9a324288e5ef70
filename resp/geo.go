package resp

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/geo"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/layers/zsetkv"
)

// GEO commands: GEOADD, GEOPOS, GEODIST, GEOHASH, GEORADIUS,
// GEORADIUSBYMEMBER and their _RO forms, GEOSEARCH and GEOSEARCHSTORE.
// A GEO key is a sorted set (package zsetkv) whose scores are geohashes;
// the arithmetic, the search and its ordering are package geo's, which
// reproduces Redis 7.0's bit for bit. This file parses the arguments in
// Redis's order, with Redis's error words, and formats the replies.
//
// The search commands check the source key's type before anything else
// and look members up while they parse, so their whole evaluation runs
// where the store is: in a read action, or, for the forms that may store
// their results (STORE, STOREDIST, GEOSEARCHSTORE), inside a mutation at
// apply time, which searches and writes the destination atomically.

// Error replies of the GEO commands, worded as Redis 7.0 words them.
const (
	msgGeoUnit        = "ERR unsupported unit provided. please use M, KM, FT, MI"
	msgGeoRadius      = "ERR need numeric radius"
	msgGeoNegRadius   = "ERR radius cannot be negative"
	msgGeoWidth       = "ERR need numeric width"
	msgGeoHeight      = "ERR need numeric height"
	msgGeoNegBox      = "ERR height or width cannot be negative"
	msgGeoMember      = "ERR could not decode requested zset member"
	msgGeoCount       = "ERR COUNT must be > 0"
	msgGeoAnyCount    = "ERR the ANY argument requires COUNT argument"
	msgGeoStoreSearch = "ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
	msgGeoStoreRadius = "ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
)

// geoKind is which search command is being parsed: Redis's flags.
type geoKind byte

const (
	geoByCoords    geoKind = 1 << iota // GEORADIUS: centre from longitude, latitude
	geoByMember                        // GEORADIUSBYMEMBER: centre from a member
	geoNoStore                         // the _RO forms
	geoSearch                          // GEOSEARCH syntax
	geoSearchStore                     // GEOSEARCHSTORE
)

// srcIndex is the argument position of the key searched.
func (k geoKind) srcIndex() int {
	if k&geoSearchStore != 0 {
		return 2
	}
	return 1
}

// minArgs is the arity of a search command: the arguments it always has.
func (k geoKind) minArgs() int {
	switch {
	case k&geoByCoords != 0:
		return 6
	case k&geoByMember != 0:
		return 5
	case k&geoSearchStore != 0:
		return 8
	}
	return 7
}

// cstrEqualFold compares an argument as C's strcasecmp sees it (up to its
// first NUL byte) with the lower-case word w.
func cstrEqualFold(b []byte, w string) bool {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return len(b) == len(w) && bytes.EqualFold(b, []byte(w))
}

// geoUnit returns the meters per unit of a unit argument, or 0.
func geoUnit(b []byte) float64 {
	for _, u := range [...]string{"m", "km", "ft", "mi"} {
		if cstrEqualFold(b, u) {
			return geo.Units[u]
		}
	}
	return 0
}

// formatCFloat formats f as C's printf "%f" does.
func formatCFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	return strconv.FormatFloat(f, 'f', 6, 64)
}

// parseLonLat reads a longitude and latitude argument pair, or returns
// Redis's error.
func parseLonLat(lon, lat []byte) (geo.Point, string) {
	x, ok := zsetkv.ParseScore(lon)
	if !ok {
		return geo.Point{}, msgNotFloat
	}
	y, ok := zsetkv.ParseScore(lat)
	if !ok {
		return geo.Point{}, msgNotFloat
	}
	p := geo.Point{Lon: x, Lat: y}
	if !geo.Valid(p) {
		return geo.Point{}, "ERR invalid longitude,latitude pair " + formatCFloat(x) + "," + formatCFloat(y)
	}
	return p, ""
}

// appendHumanDouble appends f as Redis's human-friendly long double
// format: %.17Lf without trailing zeros, "-0" as "0".
func appendHumanDouble(dst []byte, f float64) []byte {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return AppendDouble(dst, f)
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, f, 'f', 17, 64)
	if bytes.IndexByte(dst[start:], '.') >= 0 {
		for dst[len(dst)-1] == '0' {
			dst = dst[:len(dst)-1]
		}
		if dst[len(dst)-1] == '.' {
			dst = dst[:len(dst)-1]
		}
	}
	if string(dst[start:]) == "-0" {
		dst = append(dst[:start], '0')
	}
	return dst
}

// writeHumanDouble writes a coordinate as Redis 7.0 replies it: a RESP3
// double, or in RESP2 a bulk string of the same text.
func writeHumanDouble(w *writer, f float64) {
	var buf [64]byte
	s := appendHumanDouble(buf[:0], f)
	if w.resp3 {
		w.b = append(w.b, ',')
		w.b = append(w.b, s...)
		w.b = append(w.b, '\r', '\n')
		return
	}
	w.WriteBulk(s)
}

// appendDistance appends a distance as Redis replies it: rounded to four
// decimals by llrint (half to even), "0.0000" for zero; NaN and overflow
// print as the C library's llrint leaves them, LLONG_MIN.
func appendDistance(dst []byte, d float64) []byte {
	if d == 0 {
		return append(dst, "0.0000"...)
	}
	const two63 = 9223372036854775808.0
	v := math.RoundToEven(d * 10000)
	sv := int64(math.MinInt64)
	if !math.IsNaN(v) && v < two63 && v >= -two63 {
		sv = int64(v)
	}
	u := uint64(sv)
	if sv < 0 {
		dst = append(dst, '-')
		u = -u
	}
	dst = strconv.AppendUint(dst, u/10000, 10)
	frac := u % 10000
	dst = append(dst, '.', byte('0'+frac/1000), byte('0'+frac/100%10), byte('0'+frac/10%10), byte('0'+frac%10))
	return dst
}

// geoHashInt is WITHHASH's integer: the score converted as C converts a
// double to long long on x86-64.
func geoHashInt(score float64) int64 {
	const two63 = 9223372036854775808.0
	if math.IsNaN(score) || score >= two63 || score < -two63 {
		return math.MinInt64
	}
	return int64(score)
}

// cmdGeoAdd serves GEOADD key [NX|XX] [CH] longitude latitude member ...
func cmdGeoAdd(c *client, args [][]byte) action {
	var opt geo.AddOptions
	i := 2
options:
	for ; i < len(args); i++ {
		switch {
		case cstrEqualFold(args[i], "nx"):
			opt.NX = true
		case cstrEqualFold(args[i], "xx"):
			opt.XX = true
		case cstrEqualFold(args[i], "ch"):
			opt.CH = true
		default:
			break options
		}
	}
	n := len(args) - i
	if n%3 != 0 || (opt.NX && opt.XX) || n == 0 {
		return errAction(msgSyntax)
	}
	locs := make([]geo.Location, 0, n/3)
	for j := i; j < len(args); j += 3 {
		p, msg := parseLonLat(args[j], args[j+1])
		if msg != "" {
			return errAction(msg)
		}
		locs = append(locs, geo.Location{Member: args[j+2], Point: p})
	}
	m, err := geo.AddOp(c.db, args[1], opt, locs)
	if err != nil {
		return errAction(msgSyntax) // positions were checked above
	}
	return writeAction(func(w *writer, res [][]byte) {
		n, err := geo.DecodeAdd(res[0])
		if err != nil {
			c.replyErr(w, "geoadd", err)
			return
		}
		w.WriteInt64(n)
	}, m)
}

// geoRead runs fn on the GEO key at key (empty when missing), or replies
// the error.
func geoRead(c *client, name string, key []byte, fn func(w *writer, s zsetkv.Set)) action {
	db := c.db
	return readAction(func(w *writer, r *strkv.Reader) {
		s, err := geo.Open(r, db, key)
		if err != nil {
			c.replyErr(w, name, err)
			return
		}
		fn(w, s)
	})
}

// cmdGeoPos serves GEOPOS key [member ...].
func cmdGeoPos(c *client, args [][]byte) action {
	members := args[2:]
	return geoRead(c, "geopos", args[1], func(w *writer, s zsetkv.Set) {
		pos := make([]geo.Point, len(members))
		found := make([]bool, len(members))
		for i, m := range members {
			var err error
			if pos[i], found[i], err = geo.Position(s, m); err != nil {
				c.replyErr(w, "geopos", err)
				return
			}
		}
		w.WriteArray(len(members))
		for i := range members {
			if !found[i] {
				w.WriteNullArray()
				continue
			}
			w.WriteArray(2)
			writeHumanDouble(w, pos[i].Lon)
			writeHumanDouble(w, pos[i].Lat)
		}
	})
}

// cmdGeoHash serves GEOHASH key [member ...].
func cmdGeoHash(c *client, args [][]byte) action {
	members := args[2:]
	return geoRead(c, "geohash", args[1], func(w *writer, s zsetkv.Set) {
		hashes := make([]string, len(members))
		found := make([]bool, len(members))
		for i, m := range members {
			var err error
			if hashes[i], found[i], err = geo.MemberHash(s, m); err != nil {
				c.replyErr(w, "geohash", err)
				return
			}
		}
		w.WriteArray(len(members))
		for i := range members {
			if found[i] {
				w.WriteBulkString(hashes[i])
			} else {
				w.WriteNull()
			}
		}
	})
}

// cmdGeoDist serves GEODIST key member1 member2 [M|KM|FT|MI].
func cmdGeoDist(c *client, args [][]byte) action {
	unit := 1.0
	switch {
	case len(args) == 5:
		if unit = geoUnit(args[4]); unit == 0 {
			return errAction(msgGeoUnit)
		}
	case len(args) > 5:
		return errAction(msgSyntax)
	}
	a, b := args[2], args[3]
	return geoRead(c, "geodist", args[1], func(w *writer, s zsetkv.Set) {
		d, ok, err := geo.MemberDistance(s, a, b)
		switch {
		case err != nil:
			c.replyErr(w, "geodist", err)
		case !ok:
			w.WriteNull()
		default:
			w.WriteBulk(appendDistance(nil, d/unit))
		}
	})
}

// geoPlan is a search command after parsing: the query, the reply
// options, the destination of STORE, or the error to reply.
type geoPlan struct {
	err       string
	missing   bool // the source key does not exist
	q         geo.Query
	store     []byte
	storeDist bool
	withDist  bool
	withHash  bool
	withCoord bool
}

// geoLookup returns a member's position; ok is false when it is missing.
type geoLookup func(member []byte) (p geo.Point, ok bool, err error)

// parseGeoSearch parses a search command the way Redis's georadiusGeneric
// does, in its order: with exists false (no source key) it skips what
// Redis skips for a missing key; lookup finds the members FROMMEMBER and
// GEORADIUSBYMEMBER name. A Go error is a store failure.
func parseGeoSearch(kind geoKind, args [][]byte, exists bool, lookup geoLookup) (geoPlan, error) {
	var p geoPlan
	fail := func(msg string) (geoPlan, error) { return geoPlan{err: msg}, nil }
	shape := &p.q.Shape
	distance := func(num, unit []byte) string {
		r, ok := zsetkv.ParseScore(num)
		if !ok {
			return msgGeoRadius
		}
		if r < 0 {
			return msgGeoNegRadius
		}
		shape.Box, shape.Radius = false, r
		if shape.Unit = geoUnit(unit); shape.Unit == 0 {
			return msgGeoUnit
		}
		return ""
	}
	var base int
	switch {
	case kind&geoByCoords != 0:
		base = 6
		c, msg := parseLonLat(args[2], args[3])
		if msg != "" {
			return fail(msg)
		}
		p.q.Center = c
		if msg := distance(args[4], args[5]); msg != "" {
			return fail(msg)
		}
	case kind&geoByMember != 0 && !exists:
		base = 5
	case kind&geoByMember != 0:
		base = 5
		c, ok, err := lookup(args[2])
		if err != nil {
			return geoPlan{}, err
		}
		if !ok {
			return fail(msgGeoMember)
		}
		p.q.Center = c
		if msg := distance(args[3], args[4]); msg != "" {
			return fail(msg)
		}
	default:
		base = 2
		if kind&geoSearchStore != 0 {
			base = 3
			p.store = args[1]
		}
	}
	search := kind&geoSearch != 0
	var fromMember, fromLoc, byRadius, byBox bool
	var count int64
	rest := args[base:]
	for i := 0; i < len(rest); i++ {
		arg := rest[i]
		more := len(rest) - i - 1 // arguments after this one
		switch {
		case cstrEqualFold(arg, "withdist"):
			p.withDist = true
		case cstrEqualFold(arg, "withhash"):
			p.withHash = true
		case cstrEqualFold(arg, "withcoord"):
			p.withCoord = true
		case cstrEqualFold(arg, "any"):
			p.q.Any = true
		case cstrEqualFold(arg, "asc"):
			p.q.Order = geo.Ascending
		case cstrEqualFold(arg, "desc"):
			p.q.Order = geo.Descending
		case cstrEqualFold(arg, "count") && more >= 1:
			n, ok := strkv.ParseInt(rest[i+1])
			if !ok {
				return fail(msgNotInteger)
			}
			if n <= 0 {
				return fail(msgGeoCount)
			}
			count = n
			i++
		case cstrEqualFold(arg, "store") && more >= 1 && kind&geoNoStore == 0 && !search:
			p.store, p.storeDist = rest[i+1], false
			i++
		case cstrEqualFold(arg, "storedist") && more >= 1 && kind&geoNoStore == 0 && !search:
			p.store, p.storeDist = rest[i+1], true
			i++
		case cstrEqualFold(arg, "storedist") && search && kind&geoSearchStore != 0:
			p.storeDist = true
		case cstrEqualFold(arg, "frommember") && more >= 1 && search && !fromLoc:
			if exists {
				c, ok, err := lookup(rest[i+1])
				if err != nil {
					return geoPlan{}, err
				}
				if !ok {
					return fail(msgGeoMember)
				}
				p.q.Center = c
			}
			fromMember = true
			i++
		case cstrEqualFold(arg, "fromlonlat") && more >= 2 && search && !fromMember:
			c, msg := parseLonLat(rest[i+1], rest[i+2])
			if msg != "" {
				return fail(msg)
			}
			p.q.Center = c
			fromLoc = true
			i += 2
		case cstrEqualFold(arg, "byradius") && more >= 2 && search && !byBox:
			if msg := distance(rest[i+1], rest[i+2]); msg != "" {
				return fail(msg)
			}
			byRadius = true
			i += 2
		case cstrEqualFold(arg, "bybox") && more >= 3 && search && !byRadius:
			w, ok := zsetkv.ParseScore(rest[i+1])
			if !ok {
				return fail(msgGeoWidth)
			}
			h, ok := zsetkv.ParseScore(rest[i+2])
			if !ok {
				return fail(msgGeoHeight)
			}
			if h < 0 || w < 0 {
				return fail(msgGeoNegBox)
			}
			shape.Box, shape.Width, shape.Height = true, w, h
			if shape.Unit = geoUnit(rest[i+3]); shape.Unit == 0 {
				return fail(msgGeoUnit)
			}
			byBox = true
			i += 3
		default:
			return fail(msgSyntax)
		}
	}
	if p.store != nil && (p.withDist || p.withHash || p.withCoord) {
		if kind&geoSearchStore != 0 {
			return fail(msgGeoStoreSearch)
		}
		return fail(msgGeoStoreRadius)
	}
	if search && !fromMember && !fromLoc {
		return fail("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + string(cString(args[0], len(args[0]))))
	}
	if search && !byRadius && !byBox {
		return fail("ERR exactly one of BYRADIUS and BYBOX can be specified for " + string(cString(args[0], len(args[0]))))
	}
	if p.q.Any && count == 0 {
		return fail(msgGeoAnyCount)
	}
	p.q.Count = count
	if !exists {
		p.missing = true
		return p, nil
	}
	if count != 0 && p.q.Order == geo.Unsorted && !p.q.Any {
		p.q.Order = geo.Ascending
	}
	return p, nil
}

// geoMayStore reports whether a search command can write: GEOSEARCHSTORE
// always, GEOSEARCH and the _RO forms never, GEORADIUS and
// GEORADIUSBYMEMBER when their arguments parse to a STORE with the key
// present (and every member found) or absent.
func geoMayStore(kind geoKind, args [][]byte) bool {
	switch {
	case kind&geoNoStore != 0 || kind == geoSearch:
		return false
	case kind&geoSearchStore != 0:
		return true
	}
	found := func([]byte) (geo.Point, bool, error) { return geo.Point{}, true, nil }
	for _, exists := range []bool{true, false} {
		p, err := parseGeoSearch(kind, args, exists, found)
		if err == nil && p.err == "" && p.store != nil {
			return true
		}
	}
	return false
}

// setLookup finds members' positions in s.
func setLookup(s zsetkv.Set) geoLookup {
	return func(m []byte) (geo.Point, bool, error) { return geo.Position(s, m) }
}

// geoSearchCmd returns the handler of one search command.
func geoSearchCmd(name string, kind geoKind) handler {
	return func(c *client, args [][]byte) action {
		db := c.db
		if geoMayStore(kind, args) {
			return writeAction(func(w *writer, res [][]byte) {
				n, msg, err := decodeGeoStore(res[0])
				switch {
				case err != nil:
					c.replyErr(w, name, err)
				case msg != "":
					w.WriteError(msg)
				default:
					w.WriteInt64(n)
				}
			}, geoStoreOp(db, kind, args))
		}
		src := args[kind.srcIndex()]
		return readAction(func(w *writer, r *strkv.Reader) {
			s, err := geo.Open(r, db, src)
			if err != nil {
				c.replyErr(w, name, err)
				return
			}
			p, err := parseGeoSearch(kind, args, s.Card() > 0, setLookup(s))
			switch {
			case err != nil:
				c.replyErr(w, name, err)
				return
			case p.err != "":
				w.WriteError(p.err)
				return
			case p.missing:
				w.WriteArray(0)
				return
			}
			res, err := geo.Search(s, p.q)
			if err != nil {
				c.replyErr(w, name, err)
				return
			}
			writeGeoMatches(w, res.Matches, &p)
		})
	}
}

// writeGeoMatches writes a search reply: members, or with options
// [member, distance, hash, [longitude, latitude]] per result.
func writeGeoMatches(w *writer, ms []geo.Match, p *geoPlan) {
	opts := 0
	for _, on := range []bool{p.withDist, p.withHash, p.withCoord} {
		if on {
			opts++
		}
	}
	w.WriteArray(len(ms))
	var buf []byte
	for i := range ms {
		m := &ms[i]
		if opts > 0 {
			w.WriteArray(opts + 1)
		}
		w.WriteBulk(m.Member)
		if p.withDist {
			buf = appendDistance(buf[:0], m.Dist/p.q.Shape.Unit)
			w.WriteBulk(buf)
		}
		if p.withHash {
			w.WriteInt64(geoHashInt(m.Score))
		}
		if p.withCoord {
			w.WriteArray(2)
			writeHumanDouble(w, m.Point.Lon)
			writeHumanDouble(w, m.Point.Lat)
		}
	}
}

// opGeoStore is the mutation of the search commands that store their
// results.
const opGeoStore = "resp.geostore"

// geoStoreOp prepares a search command that may store: it is evaluated
// whole at apply time (type check, parse with member lookups, search,
// write), as Redis evaluates it, so its reply and effect are Redis's.
// Args: db (uvarint), kind (byte), argument count (uvarint), then each
// argument (uvarint length, bytes).
func geoStoreOp(db int, kind geoKind, args [][]byte) strkv.Mutation {
	n := 12
	for _, a := range args {
		n += len(a) + binary.MaxVarintLen64
	}
	b := make([]byte, 0, n)
	b = binary.AppendUvarint(b, uint64(db))
	b = append(b, byte(kind))
	b = binary.AppendUvarint(b, uint64(len(args)))
	for _, a := range args {
		b = binary.AppendUvarint(b, uint64(len(a)))
		b = append(b, a...)
	}
	return strkv.Mutation{Op: opGeoStore, Args: b}
}

var errGeoArgs = errors.New("resp: malformed GEO store arguments")

func decodeGeoStoreArgs(b []byte) (db int, kind geoKind, args [][]byte, err error) {
	next := func() uint64 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			err = errGeoArgs
			return 0
		}
		b = b[n:]
		return v
	}
	d := next()
	if err != nil || len(b) == 0 || d > math.MaxInt32 {
		return 0, 0, nil, errGeoArgs
	}
	kind = geoKind(b[0])
	b = b[1:]
	cnt := next()
	if err != nil || cnt > uint64(len(b)) {
		return 0, 0, nil, errGeoArgs
	}
	args = make([][]byte, 0, cnt)
	for i := uint64(0); i < cnt; i++ {
		l := next()
		if err != nil || l > uint64(len(b)) {
			return 0, 0, nil, errGeoArgs
		}
		args = append(args, b[:l:l])
		b = b[l:]
	}
	if len(b) != 0 || len(args) < kind.minArgs() {
		return 0, 0, nil, errGeoArgs
	}
	return int(d), kind, args, nil
}

// Result of opGeoStore: a status byte, then the stored count (uvarint)
// or the error reply's text.
const (
	geoStoreOK byte = iota
	geoStoreErr
	geoStoreWrongType
)

func decodeGeoStore(res []byte) (n int64, msg string, err error) {
	if len(res) == 0 {
		return 0, "", errGeoArgs
	}
	switch res[0] {
	case geoStoreOK:
		v, k := binary.Uvarint(res[1:])
		if k <= 0 || k != len(res)-1 {
			return 0, "", errGeoArgs
		}
		return int64(v), "", nil
	case geoStoreErr:
		return 0, string(res[1:]), nil
	case geoStoreWrongType:
		return 0, "", zsetkv.ErrWrongType
	}
	return 0, "", errGeoArgs
}

// mutGeoStore evaluates a search command that may store, at apply time.
func mutGeoStore(m layers.Mutator, b []byte) ([]byte, error) {
	db, kind, args, err := decodeGeoStoreArgs(b)
	if err != nil {
		return nil, err
	}
	r := strkv.NewReader(m, m.Now().UnixMilli())
	s, err := geo.Open(r, db, args[kind.srcIndex()])
	if errors.Is(err, zsetkv.ErrWrongType) {
		return []byte{geoStoreWrongType}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("geo store: %w", err)
	}
	p, err := parseGeoSearch(kind, args, s.Card() > 0, setLookup(s))
	if err != nil {
		return nil, fmt.Errorf("geo store: %w", err)
	}
	if p.err != "" {
		return append([]byte{geoStoreErr}, p.err...), nil
	}
	if p.store == nil {
		// Not reached: the handler only commits commands that store.
		return append([]byte{geoStoreErr}, msgSyntax...), nil
	}
	var matches []geo.Match
	if !p.missing {
		res, err := geo.Search(s, p.q)
		if err != nil {
			return nil, fmt.Errorf("geo store: %w", err)
		}
		matches = res.Matches
	}
	dst, err := strkv.LoadKey(m, db, p.store)
	if err != nil {
		return nil, fmt.Errorf("geo store: %w", err)
	}
	if err := geo.Store(m, db, p.store, matches, p.storeDist, p.q.Shape.Unit); err != nil {
		return nil, err
	}
	switch { // keyspace notifications, as Redis 7.0 announces them
	case len(matches) > 0 && kind&geoSearchStore != 0:
		strkv.NotifyKey(m, strkv.NotifyZset, "geosearchstore", db, p.store)
	case len(matches) > 0:
		strkv.NotifyKey(m, strkv.NotifyZset, "georadiusstore", db, p.store)
	case dst.Live:
		strkv.NotifyKey(m, strkv.NotifyGeneric, "del", db, p.store)
	}
	return binary.AppendUvarint([]byte{geoStoreOK}, uint64(len(matches))), nil
}

// geoCommands lists this file's commands for the command table, with the
// arity, flags and key positions of Redis 7.0's COMMAND INFO.
func geoCommands() []*command {
	const movableKeys = "movablekeys"
	return []*command{
		{name: "geoadd", arity: -5, flags: []string{flagWrite, flagDenyOOM}, group: "geo", firstKey: 1, lastKey: 1, step: 1, run: cmdGeoAdd},
		{name: "geodist", arity: -4, flags: []string{flagReadonly}, group: "geo", firstKey: 1, lastKey: 1, step: 1, run: cmdGeoDist},
		{name: "geohash", arity: -2, flags: []string{flagReadonly}, group: "geo", firstKey: 1, lastKey: 1, step: 1, run: cmdGeoHash},
		{name: "geopos", arity: -2, flags: []string{flagReadonly}, group: "geo", firstKey: 1, lastKey: 1, step: 1, run: cmdGeoPos},
		{name: "georadius", arity: -6, flags: []string{flagWrite, flagDenyOOM, movableKeys}, group: "geo", firstKey: 1, lastKey: 1, step: 1, run: geoSearchCmd("georadius", geoByCoords)},
		{name: "georadius_ro", arity: -6, flags: []string{flagReadonly}, group: "geo", firstKey: 1, lastKey: 1, step: 1, run: geoSearchCmd("georadius_ro", geoByCoords|geoNoStore)},
		{name: "georadiusbymember", arity: -5, flags: []string{flagWrite, flagDenyOOM, movableKeys}, group: "geo", firstKey: 1, lastKey: 1, step: 1, run: geoSearchCmd("georadiusbymember", geoByMember)},
		{name: "georadiusbymember_ro", arity: -5, flags: []string{flagReadonly}, group: "geo", firstKey: 1, lastKey: 1, step: 1, run: geoSearchCmd("georadiusbymember_ro", geoByMember|geoNoStore)},
		{name: "geosearch", arity: -7, flags: []string{flagReadonly}, group: "geo", firstKey: 1, lastKey: 1, step: 1, run: geoSearchCmd("geosearch", geoSearch)},
		{name: "geosearchstore", arity: -8, flags: []string{flagWrite, flagDenyOOM}, group: "geo", firstKey: 1, lastKey: 2, step: 1, run: geoSearchCmd("geosearchstore", geoSearch|geoSearchStore)},
	}
}

// geoMutations returns the GEO commands' own mutation: the search
// commands that store (the GEO writes are otherwise sorted set
// mutations).
func geoMutations() map[string]layers.MutationFunc {
	return map[string]layers.MutationFunc{opGeoStore: mutGeoStore}
}
