package streamkv

import (
	"bytes"
	"encoding/binary"
	"math"
	"strconv"

	"github.com/aspen-db/aspen/layers/strkv"
)

// This file holds stream ids: parsing as Redis parses them, formatting,
// ordering and the 16-byte key encoding.

// ID is a stream entry id: milliseconds and sequence number.
type ID struct{ Ms, Seq uint64 }

// MaxID is the greatest id, "+" in a range.
var MaxID = ID{math.MaxUint64, math.MaxUint64}

// String formats id as Redis does: "<ms>-<seq>".
func (id ID) String() string { return string(id.Append(nil)) }

// Append appends the text form of id to dst.
func (id ID) Append(dst []byte) []byte {
	dst = strconv.AppendUint(dst, id.Ms, 10)
	dst = append(dst, '-')
	return strconv.AppendUint(dst, id.Seq, 10)
}

// Compare returns -1, 0 or 1 as id is less than, equal to or greater than o.
func (id ID) Compare(o ID) int {
	switch {
	case id.Ms < o.Ms:
		return -1
	case id.Ms > o.Ms:
		return 1
	case id.Seq < o.Seq:
		return -1
	case id.Seq > o.Seq:
		return 1
	}
	return 0
}

// IsZero reports whether id is 0-0.
func (id ID) IsZero() bool { return id.Ms == 0 && id.Seq == 0 }

// Incr returns the id after id; ok is false for MaxID.
func (id ID) Incr() (ID, bool) {
	switch {
	case id.Seq != math.MaxUint64:
		return ID{id.Ms, id.Seq + 1}, true
	case id.Ms != math.MaxUint64:
		return ID{id.Ms + 1, 0}, true
	}
	return ID{}, false
}

// Decr returns the id before id; ok is false for 0-0.
func (id ID) Decr() (ID, bool) {
	switch {
	case id.Seq != 0:
		return ID{id.Ms, id.Seq - 1}, true
	case id.Ms != 0:
		return ID{id.Ms - 1, math.MaxUint64}, true
	}
	return ID{math.MaxUint64, math.MaxUint64}, false
}

// appendKey appends the 16-byte big-endian key form of id.
func (id ID) appendKey(dst []byte) []byte {
	dst = binary.BigEndian.AppendUint64(dst, id.Ms)
	return binary.BigEndian.AppendUint64(dst, id.Seq)
}

// idFromKey reads a 16-byte key form.
func idFromKey(b []byte) (ID, bool) {
	if len(b) < 16 {
		return ID{}, false
	}
	return ID{binary.BigEndian.Uint64(b), binary.BigEndian.Uint64(b[8:])}, true
}

// msgInvalidID is Redis's reply to an id it cannot parse.
const msgInvalidID = "ERR Invalid stream ID specified as stream command argument"

// parseU64 parses s as Redis's string2ull does: its strict integer syntax
// (negative values refused), or else what C's strtoull accepts in full
// (leading spaces, a sign, decimal digits), refusing overflow.
func parseU64(s []byte) (uint64, bool) {
	if v, ok := strkv.ParseInt(s); ok {
		return uint64(v), v >= 0
	}
	i := 0
	for i < len(s) && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	var v uint64
	over := false
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		d := uint64(s[i] - '0')
		if v > (math.MaxUint64-d)/10 {
			over = true
		}
		v = v*10 + d
	}
	if i == start || i != len(s) || over {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

// parseID parses a stream id argument as Redis's streamGenericParseIDOrReply:
// "-" and "+" (unless strict), "<ms>-<seq>", "<ms>" (seq = missingSeq) and,
// when seqGiven is not nil, "<ms>-*" (reported through *seqGiven = false).
func parseID(arg []byte, missingSeq uint64, strict bool, seqGiven *bool) (ID, bool) {
	if len(arg) > 127 {
		return ID{}, false
	}
	if i := bytes.IndexByte(arg, 0); i >= 0 {
		arg = arg[:i] // Redis reads the argument as a C string
	}
	if strict && len(arg) == 1 && (arg[0] == '-' || arg[0] == '+') {
		return ID{}, false
	}
	if seqGiven != nil {
		*seqGiven = true
	}
	if len(arg) == 1 && arg[0] == '-' {
		return ID{}, true
	}
	if len(arg) == 1 && arg[0] == '+' {
		return MaxID, true
	}
	msPart, seqPart, dash := bytes.Cut(arg, []byte{'-'})
	ms, ok := parseU64(msPart)
	if !ok {
		return ID{}, false
	}
	seq := missingSeq
	if dash {
		if seqGiven != nil && len(seqPart) == 1 && seqPart[0] == '*' {
			seq = 0
			*seqGiven = false
		} else if seq, ok = parseU64(seqPart); !ok {
			return ID{}, false
		}
	}
	return ID{ms, seq}, true
}

// parseStrictID parses an id that may not be "-" or "+".
func parseStrictID(arg []byte) (ID, bool) { return parseID(arg, 0, true, nil) }

// parseIntervalID parses a range bound: an id, "-", "+", or "(" and a
// strict id for an exclusive bound.
func parseIntervalID(arg []byte, missingSeq uint64) (id ID, exclusive, ok bool) {
	if len(arg) > 1 && arg[0] == '(' {
		id, ok = parseID(arg[1:], missingSeq, true, nil)
		return id, true, ok
	}
	id, ok = parseID(arg, missingSeq, false, nil)
	return id, false, ok
}
