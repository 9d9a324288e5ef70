package geo

import (
	"bytes"
	"fmt"
	"math"
	"slices"

	"github.com/aspen-db/aspen/layers/zsetkv"
)

// This file is the k-nearest-neighbour search of the Go API. Redis's
// searches read a fixed neighbourhood for a given radius, so GEOSEARCH
// ... ASC COUNT k returns fewer than k members when fewer lie inside the
// radius; Nearest instead widens its radius until it holds k members (or
// the whole set), reading each time the cells that cover the circle.

// maxMeters is half the Earth's circumference on the distance formula's
// sphere: no two positions are farther apart.
var maxMeters = math.Pi * earthRadius

// startMeters is Nearest's first radius.
const startMeters = 1000.0

// Nearest returns the k members of s nearest to c, nearest first (equal
// distances by score, then member), with their distances in meters. It
// returns fewer only when s has fewer than k members.
func Nearest(s zsetkv.Set, c Point, k int) (Result, error) {
	var res Result
	if k <= 0 || s.Card() == 0 {
		return res, nil
	}
	if !Valid(c) {
		return res, fmt.Errorf("%w: %v,%v", ErrInvalidPosition, c.Lon, c.Lat)
	}
	r := startMeters
	for {
		var found []Match
		for _, rg := range coverRanges(c, r) {
			err := s.ScanScoreRange(rg[0], rg[1], func(e zsetkv.Entry) bool {
				res.Read++
				p := Decode(e.Score)
				if d := Distance(c, p); d <= r {
					found = append(found, Match{Member: bytes.Clone(e.Member), Score: e.Score, Point: p, Dist: d})
				}
				return true
			})
			if err != nil {
				return Result{}, fmt.Errorf("geo: nearest: %w", err)
			}
		}
		if len(found) >= k || r >= maxMeters {
			slices.SortFunc(found, func(a, b Match) int {
				switch {
				case a.Dist < b.Dist:
					return -1
				case a.Dist > b.Dist:
					return 1
				case a.Score != b.Score:
					if a.Score < b.Score {
						return -1
					}
					return 1
				}
				return bytes.Compare(a.Member, b.Member)
			})
			res.Matches = found[:min(k, len(found))]
			return res, nil
		}
		// Widen: to the radius the density seen so far says holds k
		// members, at least doubled.
		next := r * 4
		if len(found) > 0 {
			next = max(r*2, r*math.Sqrt(float64(k)/float64(len(found)))*1.5)
		}
		r = min(next, maxMeters)
	}
}

// coverRanges returns the score ranges [lo, hi) of geohash cells that
// hold every position within meters of c.
func coverRanges(c Point, meters float64) [][2]float64 {
	b := circleBounds(c, meters)
	return b.ranges(b.finestStep(16))
}
