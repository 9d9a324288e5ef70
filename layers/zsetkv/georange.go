package zsetkv

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/tuple"
)

// This file holds the score-range reader the GEO layer (package geo)
// searches with: a walk of the score index between two scores that hands
// each entry to a callback instead of collecting them, decoding the
// common key shape without allocating, so a search pays only for the
// members it keeps.

// ScanScoreRange calls fn with each member whose score is in [min, max),
// in the set's order (by score, then member), until fn returns false. The
// entry's Member aliases buffers valid only during the call. An empty
// range (min >= max, or a NaN bound) reads nothing.
func (s Set) ScanScoreRange(min, max float64, fn func(e Entry) bool) error {
	if !(min < max) || math.IsNaN(min) || math.IsNaN(max) || s.card == 0 {
		return nil
	}
	begin := s.k.scores.Pack(tuple.Tuple{normScore(min)})
	end := s.k.scores.Pack(tuple.Tuple{normScore(max)})
	if s.floor != nil && bytes.Compare(begin, s.floor) < 0 {
		begin = s.floor
	}
	if s.ceiling != nil && bytes.Compare(end, s.ceiling) > 0 {
		end = s.ceiling
	}
	if bytes.Compare(begin, end) >= 0 {
		return nil
	}
	prefix := len(s.k.scores.Bytes())
	it := s.src.Scan(begin, end, false)
	var buf []byte
	var derr error
	for it.Next() {
		key := it.Key()
		var e Entry
		var ok bool
		if e, buf, ok = decodeScoreSuffix(key[prefix:], buf); !ok {
			if e, derr = s.k.decodeScoreKey(key); derr != nil {
				break
			}
		}
		if !fn(e) {
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
		return fmt.Errorf("scan sorted set scores: %w", err)
	}
	return nil
}

// gapSteps is how many keys between two ranges ScanScoreRanges steps
// over before it seeks to the next range instead: a step costs a small
// fraction of a seek.
const gapSteps = 8

// ScanScoreRanges calls fn with each member whose score is in one of
// ranges, each [min, max), with the range's index, in the set's order,
// until fn returns false. The ranges must be sorted and must not overlap.
// One iterator serves them all: it seeks from one range to the next
// (layers.Seeker) instead of opening a scan per range, which is most of
// the cost of reading a few members in each of several ranges. The
// entry's Member aliases buffers valid only during the call.
func (s Set) ScanScoreRanges(ranges [][2]float64, fn func(i int, e Entry) bool) error {
	if s.card == 0 {
		return nil
	}
	// The ranges' keys, clipped to the set's bounds; empty ones dropped.
	type keyRange struct {
		begin, end []byte
		i          int
	}
	krs := make([]keyRange, 0, len(ranges))
	for i, r := range ranges {
		if !(r[0] < r[1]) || math.IsNaN(r[0]) || math.IsNaN(r[1]) {
			continue
		}
		begin := s.k.scores.Pack(tuple.Tuple{normScore(r[0])})
		end := s.k.scores.Pack(tuple.Tuple{normScore(r[1])})
		if s.floor != nil && bytes.Compare(begin, s.floor) < 0 {
			begin = s.floor
		}
		if s.ceiling != nil && bytes.Compare(end, s.ceiling) > 0 {
			end = s.ceiling
		}
		if bytes.Compare(begin, end) < 0 {
			krs = append(krs, keyRange{begin, end, i})
		}
	}
	if len(krs) == 0 {
		return nil
	}
	prefix := len(s.k.scores.Bytes())
	it := s.src.Scan(krs[0].begin, krs[len(krs)-1].end, false)
	sk, seeks := it.(layers.Seeker)
	var buf []byte
	var derr error
	cur, gap := 0, 0
	for cur < len(krs) && it.Next() {
		key := it.Key()
		for cur < len(krs) && bytes.Compare(key, krs[cur].end) >= 0 {
			cur++
		}
		if cur == len(krs) {
			break
		}
		if bytes.Compare(key, krs[cur].begin) < 0 {
			// In a gap between ranges: step over a few keys, cheaper
			// than a seek when the next range is near, then jump.
			if gap++; gap <= gapSteps {
				continue
			}
			gap = 0
			if seeks {
				sk.SeekGE(krs[cur].begin)
				continue
			}
			err := it.Err()
			if cerr := it.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return fmt.Errorf("scan sorted set scores: %w", err)
			}
			it = s.src.Scan(krs[cur].begin, krs[len(krs)-1].end, false)
			continue
		}
		gap = 0
		var e Entry
		var ok bool
		if e, buf, ok = decodeScoreSuffix(key[prefix:], buf); !ok {
			if e, derr = s.k.decodeScoreKey(key); derr != nil {
				break
			}
		}
		if !fn(krs[cur].i, e) {
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
		return fmt.Errorf("scan sorted set scores: %w", err)
	}
	return nil
}

// decodeScoreSuffix decodes the usual score index key suffix, a tuple of
// a float64 and a byte string, without allocating unless the member
// holds 0x00 bytes (unescaped into buf). ok is false for any other shape,
// which the general decoder then reads.
func decodeScoreSuffix(b, buf []byte) (e Entry, _ []byte, ok bool) {
	const codeDouble, codeBytes = 0x21, 0x01
	if len(b) < 11 || b[0] != codeDouble || b[9] != codeBytes || b[len(b)-1] != 0 {
		return Entry{}, buf, false
	}
	u := binary.BigEndian.Uint64(b[1:9])
	if u&(1<<63) == 0 {
		u = ^u
	} else {
		u ^= 1 << 63
	}
	e.Score = math.Float64frombits(u)
	body := b[10 : len(b)-1]
	if bytes.IndexByte(body, 0) < 0 {
		e.Member = body
		return e, buf, true
	}
	buf = buf[:0]
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c == 0 {
			if i+1 >= len(body) || body[i+1] != 0xff {
				return Entry{}, buf, false
			}
			i++ // 0x00 0xff is an escaped 0x00
		}
		buf = append(buf, c)
	}
	e.Member = buf
	return e, buf, true
}
