package zsetkv

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/layers/subspace"
	"github.com/aspen-db/aspen/layers/tuple"
)

// This file holds the sorted set types, the key layout and the read side:
// Set, a sorted set as one read state sees it.

// ErrWrongType is returned for a key that holds another type.
var ErrWrongType = strkv.ErrWrongType

// ErrNaN is returned when an increment would make a score NaN (ZINCRBY
// +inf on a member at -inf).
var ErrNaN = errors.New("zsetkv: resulting score is not a number (NaN)")

// errCorrupt is wrapped by errors about stored entries this package cannot
// read.
var errCorrupt = errors.New("zsetkv: corrupt sorted set entry")

// Entry is one member with its score.
type Entry struct {
	Member []byte
	Score  float64
}

// ScoreBound is one end of a score range; Exclusive leaves Value out.
type ScoreBound struct {
	Value     float64
	Exclusive bool
}

// ScoreRange is the range of scores ZRANGEBYSCORE takes: Min to Max.
type ScoreRange struct {
	Min, Max ScoreBound
}

// LexBound is one end of a lexicographic range: "-" (Inf < 0), "+" (Inf >
// 0), or Value, left out when Exclusive.
type LexBound struct {
	Value     []byte
	Exclusive bool
	Inf       int
}

// LexRange is the range ZRANGEBYLEX takes: Min to Max.
type LexRange struct {
	Min, Max LexBound
}

// aboveMin reports whether member is at or past r.Min.
func (r LexRange) aboveMin(member []byte) bool {
	switch {
	case r.Min.Inf < 0:
		return true
	case r.Min.Inf > 0:
		return false
	}
	c := bytes.Compare(member, r.Min.Value)
	return c > 0 || (c == 0 && !r.Min.Exclusive)
}

// belowMax reports whether member is at or before r.Max.
func (r LexRange) belowMax(member []byte) bool {
	switch {
	case r.Max.Inf > 0:
		return true
	case r.Max.Inf < 0:
		return false
	}
	c := bytes.Compare(member, r.Max.Value)
	return c < 0 || (c == 0 && !r.Max.Exclusive)
}

// normScore maps -0 to 0: Redis compares them equal and prints both "0".
func normScore(f float64) float64 {
	if f == 0 {
		return 0
	}
	return f
}

// keys is the layout of one incarnation of a sorted set.
type keys struct {
	scores  subspace.Subspace // ("s", score, member)
	members subspace.Subspace // ("m", member)
}

func layout(db int, key []byte, version uint64) keys {
	sp := strkv.MemberSpace(db, key, version)
	return keys{scores: sp.Sub("s"), members: sp.Sub("m")}
}

func (k keys) scoreKey(score float64, member []byte) []byte {
	return k.scores.Pack(tuple.Tuple{normScore(score), member})
}

func (k keys) memberKey(member []byte) []byte {
	return k.members.Pack(tuple.Tuple{member})
}

// decodeScoreKey returns the entry a score index key names.
func (k keys) decodeScoreKey(key []byte) (Entry, error) {
	t, err := k.scores.Unpack(key)
	if err != nil {
		return Entry{}, fmt.Errorf("score index: %w", err)
	}
	if len(t) != 2 {
		return Entry{}, fmt.Errorf("score index key %x: %w", key, errCorrupt)
	}
	s, ok1 := t[0].(float64)
	m, ok2 := t[1].([]byte)
	if !ok1 || !ok2 {
		return Entry{}, fmt.Errorf("score index key %x: %w", key, errCorrupt)
	}
	return Entry{Member: m, Score: s}, nil
}

func encodeScore(f float64) []byte {
	return binary.BigEndian.AppendUint64(nil, math.Float64bits(normScore(f)))
}

func decodeScore(b []byte) (float64, error) {
	if len(b) != 8 {
		return 0, fmt.Errorf("member index value of %d bytes: %w", len(b), errCorrupt)
	}
	return math.Float64frombits(binary.BigEndian.Uint64(b)), nil
}

// The key record's Meta.Value is the sorted set's header: the member count
// (uvarint), then optionally two bounds of the score index (each a uvarint
// length and the key's suffix after the score index prefix; empty for
// none): a floor, below which no member is left, and a ceiling, at or
// above which none is. Walks start at the floor and end at the ceiling, so
// they seek past the entries that trims at either end deleted instead of
// stepping over them (see Tombstones in the package documentation).
type header struct {
	card    int64
	floor   []byte // full score index key; nil for none
	ceiling []byte // full score index key (exclusive); nil for none
}

func (k keys) encodeHeader(h header) []byte {
	b := binary.AppendUvarint(nil, uint64(h.card))
	if h.floor == nil && h.ceiling == nil {
		return b
	}
	n := len(k.scores.Bytes())
	for _, x := range [][]byte{h.floor, h.ceiling} {
		if x == nil {
			b = binary.AppendUvarint(b, 0)
			continue
		}
		b = binary.AppendUvarint(b, uint64(len(x)-n))
		b = append(b, x[n:]...)
	}
	return b
}

func (k keys) decodeHeader(b []byte) (header, error) {
	bad := fmt.Errorf("sorted set header of %d bytes: %w", len(b), errCorrupt)
	n, used := binary.Uvarint(b)
	if used <= 0 || n > math.MaxInt64 {
		return header{}, bad
	}
	h := header{card: int64(n)}
	b = b[used:]
	if len(b) == 0 {
		return h, nil
	}
	prefix := k.scores.Bytes()
	for _, dst := range []*[]byte{&h.floor, &h.ceiling} {
		l, used := binary.Uvarint(b)
		if used <= 0 || l > uint64(len(b)-used) {
			return header{}, bad
		}
		if l > 0 {
			*dst = append(bytes.Clone(prefix), b[used:used+int(l)]...)
		}
		b = b[used+int(l):]
	}
	if len(b) != 0 {
		return header{}, bad
	}
	return h, nil
}

// Set is a sorted set as one read state sees it. The zero Set is an empty
// set (a missing key). Its methods return members owned by the caller.
type Set struct {
	src  strkv.Source
	k    keys
	card int64
	// floor and ceiling bound the live part of the score index (see
	// header); nil for none.
	floor, ceiling []byte
}

// Open returns the sorted set at key in db as r sees it; a missing (or
// expired) key is an empty Set. It fails with ErrWrongType for a key of
// another type.
func Open(r *strkv.Reader, db int, key []byte) (Set, error) {
	m, ok, err := r.Meta(db, key)
	if err != nil || !ok {
		return Set{}, err
	}
	return fromMeta(r.Source(), db, key, m)
}

// fromMeta returns the Set a live key record describes.
func fromMeta(src strkv.Source, db int, key []byte, m strkv.Meta) (Set, error) {
	if m.Type != strkv.TypeZSet {
		return Set{}, ErrWrongType
	}
	k := layout(db, key, m.Version)
	h, err := k.decodeHeader(m.Value)
	if err != nil {
		return Set{}, fmt.Errorf("key %q: %w", key, err)
	}
	return Set{src: src, k: k, card: h.card, floor: h.floor, ceiling: h.ceiling}, nil
}

// Card returns the number of members (ZCARD).
func (s Set) Card() int64 { return s.card }

// Score returns member's score; ok is false when it is not a member.
func (s Set) Score(member []byte) (score float64, ok bool, err error) {
	if s.card == 0 {
		return 0, false, nil
	}
	v, err := s.src.Get(s.k.memberKey(member))
	if errors.Is(err, layers.ErrNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("read sorted set member: %w", err)
	}
	f, err := decodeScore(v)
	if err != nil {
		return 0, false, err
	}
	return f, true, nil
}

// Rank returns member's 0-based rank by ascending score, or by descending
// score when rev (ZRANK, ZREVRANK); ok is false when it is not a member.
func (s Set) Rank(member []byte, rev bool) (rank int64, ok bool, err error) {
	score, ok, err := s.Score(member)
	if err != nil || !ok {
		return 0, ok, err
	}
	begin, end := s.k.scores.Range()
	at := s.k.scoreKey(score, member)
	if rev {
		begin = append(at, 0)
	} else {
		end = at
	}
	n, err := s.count(begin, end)
	return n, true, err
}

// count counts the score index keys in [begin, end).
func (s Set) count(begin, end []byte) (int64, error) {
	var n int64
	err := s.walk(begin, end, false, func(_ []byte, _ Entry) bool { n++; return true })
	return n, err
}

// walk calls fn with each score index entry in [begin, end), in order or in
// reverse, until fn returns false. The key and the member alias the
// iterator's buffers only until fn returns.
func (s Set) walk(begin, end []byte, rev bool, fn func(key []byte, e Entry) bool) error {
	if s.floor != nil && bytes.Compare(begin, s.floor) < 0 {
		begin = s.floor
	}
	if s.ceiling != nil && bytes.Compare(end, s.ceiling) > 0 {
		end = s.ceiling
	}
	if s.card == 0 || bytes.Compare(begin, end) >= 0 {
		return nil
	}
	it := s.src.Scan(begin, end, rev)
	var derr error
	for it.Next() {
		e, err := s.k.decodeScoreKey(it.Key())
		if err != nil {
			derr = err
			break
		}
		if !fn(it.Key(), e) {
			break
		}
	}
	err := it.Err()
	if cerr := it.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = derr
	}
	if err != nil {
		return fmt.Errorf("scan sorted set: %w", err)
	}
	return nil
}

// item is an entry with its score index key.
type item struct {
	key []byte
	Entry
}

// collect walks [begin, end), skips skip entries that pass keep, then
// gathers up to limit (all when limit < 0) until keep says no.
func (s Set) collect(begin, end []byte, rev bool, skip, limit int64, keep func(Entry) bool) ([]item, error) {
	var out []item
	if limit == 0 || skip < 0 {
		return nil, nil
	}
	err := s.walk(begin, end, rev, func(k []byte, e Entry) bool {
		if keep != nil && !keep(e) {
			return false
		}
		if skip > 0 {
			skip--
			return true
		}
		out = append(out, item{key: bytes.Clone(k), Entry: Entry{Member: bytes.Clone(e.Member), Score: e.Score}})
		return limit < 0 || int64(len(out)) < limit
	})
	return out, err
}

func entries(items []item) []Entry {
	out := make([]Entry, len(items))
	for i, it := range items {
		out[i] = it.Entry
	}
	return out
}

// NormRank turns Redis's start and stop ranks (negative counts from the
// end) into a 0-based inclusive range of a set of card members; ok is false
// when the range is empty.
func NormRank(start, stop, card int64) (s, e int64, ok bool) {
	if start < 0 {
		start += card
	}
	if stop < 0 {
		stop += card
	}
	start = max(start, 0)
	if start > stop || start >= card {
		return 0, 0, false
	}
	return start, min(stop, card-1), true
}

// rankItems returns the entries of ascending ranks lo..hi (inclusive,
// within the set), walking from the nearer end.
func (s Set) rankItems(lo, hi int64) ([]item, error) {
	begin, end := s.k.scores.Range()
	n := hi - lo + 1
	if s.card-1-hi < lo {
		out, err := s.collect(begin, end, true, s.card-1-hi, n, nil)
		reverse(out)
		return out, err
	}
	return s.collect(begin, end, false, lo, n, nil)
}

func reverse[T any](x []T) {
	for i, j := 0, len(x)-1; i < j; i, j = i+1, j-1 {
		x[i], x[j] = x[j], x[i]
	}
}

// ByRank returns the members of Redis ranks start..stop (ZRANGE): by
// ascending score, or descending when rev, negative ranks counting from
// the end.
func (s Set) ByRank(start, stop int64, rev bool) ([]Entry, error) {
	lo, hi, ok := NormRank(start, stop, s.card)
	if !ok {
		return nil, nil
	}
	if rev {
		lo, hi = s.card-1-hi, s.card-1-lo
	}
	items, err := s.rankItems(lo, hi)
	if rev {
		reverse(items)
	}
	return entries(items), err
}

// scoreBounds returns the score index range of r.
func (s Set) scoreBounds(r ScoreRange) (begin, end []byte) {
	begin = s.k.scores.Pack(tuple.Tuple{normScore(r.Min.Value)})
	if r.Min.Exclusive {
		begin = append(begin, 0xff)
	}
	end = s.k.scores.Pack(tuple.Tuple{normScore(r.Max.Value)})
	if !r.Max.Exclusive {
		end = append(end, 0xff)
	}
	return begin, end
}

func (s Set) scoreItems(r ScoreRange, rev bool, offset, count int64) ([]item, error) {
	if math.IsNaN(r.Min.Value) || math.IsNaN(r.Max.Value) {
		return nil, nil
	}
	begin, end := s.scoreBounds(r)
	return s.collect(begin, end, rev, offset, count, nil)
}

// ByScore returns the members whose scores are in r (ZRANGEBYSCORE),
// ascending or descending when rev, skipping offset of them and returning
// at most count (all when count < 0). A negative offset returns none, as
// in Redis.
func (s Set) ByScore(r ScoreRange, rev bool, offset, count int64) ([]Entry, error) {
	items, err := s.scoreItems(r, rev, offset, count)
	return entries(items), err
}

// CountScore counts the members whose scores are in r (ZCOUNT).
func (s Set) CountScore(r ScoreRange) (int64, error) {
	if math.IsNaN(r.Min.Value) || math.IsNaN(r.Max.Value) {
		return 0, nil
	}
	return s.count(s.scoreBounds(r))
}

// edgeScore returns the lowest score of the set, or the highest when last;
// found is false for an empty set.
func (s Set) edgeScore(last bool) (score float64, found bool, err error) {
	begin, end := s.k.scores.Range()
	err = s.walk(begin, end, last, func(_ []byte, e Entry) bool {
		score, found = e.Score, true
		return false
	})
	return score, found, err
}

func (s Set) lexItems(r LexRange, rev bool, offset, count int64) ([]item, error) {
	if s.card == 0 || r.Min.Inf > 0 || r.Max.Inf < 0 {
		return nil, nil
	}
	edge, ok, err := s.edgeScore(rev)
	if err != nil || !ok {
		return nil, err
	}
	begin, end := s.k.scores.Range()
	group := s.k.scores.Pack(tuple.Tuple{edge})
	if !rev {
		switch {
		case r.Min.Inf < 0:
			begin = group
		case r.Min.Exclusive:
			begin = append(s.k.scoreKey(edge, r.Min.Value), 0)
		default:
			begin = s.k.scoreKey(edge, r.Min.Value)
		}
		return s.collect(begin, end, false, offset, count, func(e Entry) bool { return r.belowMax(e.Member) })
	}
	switch {
	case r.Max.Inf > 0:
		end = append(group, 0xff)
	case r.Max.Exclusive:
		end = s.k.scoreKey(edge, r.Max.Value)
	default:
		end = append(s.k.scoreKey(edge, r.Max.Value), 0)
	}
	return s.collect(begin, end, true, offset, count, func(e Entry) bool { return r.aboveMin(e.Member) })
}

// ByLex returns the members in the lexicographic range r (ZRANGEBYLEX),
// ascending or descending when rev, with offset and count as ByScore.
func (s Set) ByLex(r LexRange, rev bool, offset, count int64) ([]Entry, error) {
	items, err := s.lexItems(r, rev, offset, count)
	return entries(items), err
}

// CountLex counts the members in the lexicographic range r (ZLEXCOUNT).
func (s Set) CountLex(r LexRange) (int64, error) {
	items, err := s.lexItems(r, false, 0, -1)
	return int64(len(items)), err
}

// All returns every member in order.
func (s Set) All() ([]Entry, error) {
	begin, end := s.k.scores.Range()
	items, err := s.collect(begin, end, false, 0, -1, nil)
	return entries(items), err
}

// ScanMembers calls fn with the members in member byte order (not score
// order), starting at from (a next that an earlier ScanMembers returned;
// nil for the start), until fn returns false. fn's entry aliases buffers
// valid only during the call. When fn stops early, next is where a later
// ScanMembers resumes. ZSCAN walks a large set with it: the order does not
// depend on scores, so a member whose score changes during a scan is still
// returned.
func (s Set) ScanMembers(from []byte, fn func(e Entry) bool) (next []byte, err error) {
	if s.card == 0 {
		return nil, nil
	}
	begin, end := s.k.members.Range()
	prefix := s.k.members.Bytes()
	if from != nil {
		begin = append(prefix, from...)
	}
	it := s.src.Scan(begin, end, false)
	var derr error
	for it.Next() {
		t, err := s.k.members.Unpack(it.Key())
		if err != nil {
			derr = fmt.Errorf("member index: %w", err)
			break
		}
		m, ok := t[0].([]byte)
		if len(t) != 1 || !ok {
			derr = fmt.Errorf("member index key %x: %w", it.Key(), errCorrupt)
			break
		}
		score, err := decodeScore(it.Value())
		if err != nil {
			derr = err
			break
		}
		if !fn(Entry{Member: m, Score: score}) {
			next = bytes.Clone(it.Key()[len(prefix):])
			break
		}
	}
	err = it.Err()
	if cerr := it.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = derr
	}
	if err != nil {
		return nil, fmt.Errorf("scan sorted set members: %w", err)
	}
	return next, nil
}

// Pick returns the members of the given ascending ranks, which must be
// sorted and within the set, in the same order (ZRANDMEMBER).
func (s Set) Pick(ranks []int64) ([]Entry, error) {
	out := make([]Entry, 0, len(ranks))
	if len(ranks) == 0 {
		return out, nil
	}
	begin, end := s.k.scores.Range()
	var r int64
	i := 0
	err := s.walk(begin, end, false, func(_ []byte, e Entry) bool {
		for i < len(ranks) && ranks[i] == r {
			out = append(out, Entry{Member: bytes.Clone(e.Member), Score: e.Score})
			i++
		}
		r++
		return i < len(ranks)
	})
	return out, err
}

// RangeBy says how a Range selects members.
type RangeBy byte

// The kinds of range.
const (
	ByRank RangeBy = iota
	ByScore
	ByLex
)

// Range selects members as ZRANGE does: by rank (Start..Stop), by score
// (Score) or lexicographically (Lex), ascending or descending when Rev.
// For score and lex ranges, Offset members are skipped and at most Count
// returned (all when Count < 0).
type Range struct {
	By          RangeBy
	Rev         bool
	Start, Stop int64
	Score       ScoreRange
	Lex         LexRange
	Offset      int64
	Count       int64
}

func (s Set) rangeItems(r Range) ([]item, error) {
	switch r.By {
	case ByRank:
		lo, hi, ok := NormRank(r.Start, r.Stop, s.card)
		if !ok {
			return nil, nil
		}
		if r.Rev {
			lo, hi = s.card-1-hi, s.card-1-lo
		}
		items, err := s.rankItems(lo, hi)
		if r.Rev {
			reverse(items)
		}
		return items, err
	case ByScore:
		return s.scoreItems(r.Score, r.Rev, r.Offset, r.Count)
	case ByLex:
		return s.lexItems(r.Lex, r.Rev, r.Offset, r.Count)
	default:
		return nil, fmt.Errorf("range kind %d: %w", r.By, errCorrupt)
	}
}

// Range returns the members r selects, in r's order (ZRANGE).
func (s Set) Range(r Range) ([]Entry, error) {
	items, err := s.rangeItems(r)
	return entries(items), err
}

// ends returns the first and last keys of the score index (nil when the
// set is empty).
func (s Set) ends() (first, last []byte, err error) {
	begin, end := s.k.scores.Range()
	for _, rev := range []bool{false, true} {
		err = s.walk(begin, end, rev, func(k []byte, _ Entry) bool {
			if rev {
				last = bytes.Clone(k)
			} else {
				first = bytes.Clone(k)
			}
			return false
		})
		if err != nil {
			return nil, nil, err
		}
	}
	return first, last, nil
}
