package geo

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/aspen-db/aspen/layers/zsetkv"
)

// This file is the search of GEORADIUS and GEOSEARCH: the nine geohash
// cells Redis reads for a shape, the membership test of each member found
// there, and Redis's ordering of the results.

// Shape is the area a search covers around its centre: a circle of Radius
// or, when Box, a rectangle of Width by Height. The lengths are in a unit
// of Unit meters (1 for m, 1000 for km, 0.3048 for ft, 1609.34 for mi),
// kept apart as Redis keeps them because it multiplies them at different
// points and the roundings must agree.
type Shape struct {
	Box           bool
	Radius        float64
	Width, Height float64
	Unit          float64
}

// Units maps the unit names Redis accepts to meters per unit.
var Units = map[string]float64{"m": 1, "km": 1000, "ft": 0.3048, "mi": 1609.34}

// Order is the order of search results.
type Order int

// The orders of search results.
const (
	Unsorted Order = iota
	Ascending
	Descending
)

// Query is a search the way Redis 7.0 runs one: the members of Shape
// around Center, found in the nine cells Redis reads, sorted by distance
// as Order says, at most Count of them (0: all). With Any the search stops
// as soon as Count members match, before sorting.
type Query struct {
	Center Point
	Shape  Shape
	Order  Order
	Count  int64
	Any    bool
}

// Match is one search result.
type Match struct {
	Member []byte
	// Score is the member's score (its geohash), Point the position it
	// decodes to, Dist its distance from the centre in meters.
	Score float64
	Point Point
	Dist  float64
}

// Result is what a search found, how many sorted set entries it read to
// find it, and in how many scans (seeks).
type Result struct {
	Matches []Match
	Read    int
	Scans   int
}

// cells is the neighbourhood a search reads: its centre cell, then north,
// south, east, west, north-east, north-west, south-east and south-west;
// zero for the neighbours that cannot hold a match.
type cells [9]hashBits

// meters returns the radius Redis estimates the search step from: the
// circle's radius, or the half diagonal of the box.
func (s Shape) meters() float64 {
	if !s.Box {
		return s.Radius * s.Unit
	}
	w, h := s.Width*0.5, s.Height*0.5
	return math.Sqrt(float64(w*w)+float64(h*h)) * s.Unit
}

// boundingBox returns the longitude and latitude bounds of the shape
// around c, as Redis computes them: the longitude span is taken at the
// shape's edge nearer the pole.
func boundingBox(c Point, s Shape) (minLon, minLat, maxLon, maxLat float64) {
	var height, width float64
	if s.Box {
		height = s.Height * 0.5 * s.Unit
		width = s.Width * 0.5 * s.Unit
	} else {
		height = s.Radius * s.Unit
		width = height
	}
	latDelta := float64(height/earthRadius) / degToRad
	edge := c.Lat + latDelta
	if c.Lat < 0 {
		edge = c.Lat - latDelta
	}
	lonDelta := float64(float64(width/earthRadius)/cosine(edge*degToRad)) / degToRad
	return c.Lon - lonDelta, c.Lat - latDelta, c.Lon + lonDelta, c.Lat + latDelta
}

// areasFor returns the cells Redis reads to search shape s around c: the
// cell of c at the estimated step and its eight neighbours, one step
// coarser when a neighbour does not reach the bounding box, without the
// neighbours that lie wholly outside it.
func areasFor(c Point, s Shape) (cells, int) {
	minLon, minLat, maxLon, maxLat := boundingBox(c, s)
	steps := estimateSteps(s.meters(), c.Lat)
	hash, _ := encode(wgs84Lon, wgs84Lat, c.Lon, c.Lat, uint8(steps))
	nb := neighboursOf(hash)
	ar, _ := decode(wgs84Lon, wgs84Lat, hash)

	north, _ := decode(wgs84Lon, wgs84Lat, nb.north)
	south, _ := decode(wgs84Lon, wgs84Lat, nb.south)
	east, _ := decode(wgs84Lon, wgs84Lat, nb.east)
	west, _ := decode(wgs84Lon, wgs84Lat, nb.west)
	decrease := north.lat.max < maxLat || south.lat.min > minLat ||
		east.lon.max < maxLon || west.lon.min > minLon
	if steps > 1 && decrease {
		steps--
		hash, _ = encode(wgs84Lon, wgs84Lat, c.Lon, c.Lat, uint8(steps))
		nb = neighboursOf(hash)
		ar, _ = decode(wgs84Lon, wgs84Lat, hash)
	}
	if steps >= 2 {
		if ar.lat.min < minLat {
			nb.south, nb.southWest, nb.southEast = hashBits{}, hashBits{}, hashBits{}
		}
		if ar.lat.max > maxLat {
			nb.north, nb.northEast, nb.northWest = hashBits{}, hashBits{}, hashBits{}
		}
		if ar.lon.min < minLon {
			nb.west, nb.southWest, nb.northWest = hashBits{}, hashBits{}, hashBits{}
		}
		if ar.lon.max > maxLon {
			nb.east, nb.southEast, nb.northEast = hashBits{}, hashBits{}, hashBits{}
		}
	}
	return cells{hash, nb.north, nb.south, nb.east, nb.west, nb.northEast, nb.northWest, nb.southEast, nb.southWest}, steps
}

// scoreRange returns the scores [min, max) of the members in cell h.
func scoreRange(h hashBits) (min, max float64) {
	return float64(align52(h)), float64(align52(hashBits{bits: h.bits + 1, step: h.step}))
}

// within tests a member's score against the query's shape: its decoded
// position and distance, and whether it is inside.
func (q *Query) within(score float64) (Point, float64, bool) {
	p := Decode(score)
	if q.Shape.Box {
		d, ok := inRectangle(q.Shape.Width*q.Shape.Unit, q.Shape.Unit*q.Shape.Height, q.Center, p)
		return p, d, ok
	}
	d := haversine(q.Center.Lon, q.Center.Lat, p.Lon, p.Lat)
	return p, d, !(d > q.Shape.Radius*q.Shape.Unit)
}

// Search runs q on the sorted set s with Redis 7.0's result: the members
// of the nine cells Redis reads that pass its tests, in its order (ties
// included), cut to Count. It reads only the parts of those cells that a
// cover of the shape in finer cells reaches, and touching parts with one
// scan, so its cost depends on the members near the shape, not on the
// size of the set. The centre must be within the coordinate limits and
// the lengths not negative.
func Search(s zsetkv.Set, q Query) (Result, error) {
	var res Result
	if !Valid(q.Center) {
		return res, fmt.Errorf("%w: %v,%v", ErrInvalidPosition, q.Center.Lon, q.Center.Lat)
	}
	if !(q.Shape.Unit > 0) || !(q.Shape.Radius >= 0) || !(q.Shape.Width >= 0) || !(q.Shape.Height >= 0) {
		return res, fmt.Errorf("geo: search shape %+v: lengths must not be negative, the unit positive", q.Shape)
	}
	if s.Card() == 0 {
		return res, nil
	}
	limit := 0
	if q.Any && q.Count > 0 {
		limit = int(min(q.Count, int64(s.Card())))
	}
	cs, steps := areasFor(q.Center, q.Shape)
	order, subs := q.plan(cs, steps)
	var err error
	if limit > 0 {
		err = q.scanInOrder(s, subs, limit, &res)
	} else {
		err = q.scanMerged(s, len(order), subs, &res)
	}
	if err != nil {
		return Result{}, fmt.Errorf("geo: search: %w", err)
	}
	n := len(res.Matches)
	keep := n
	if q.Count > 0 && int64(n) > q.Count {
		keep = int(q.Count)
	}
	if q.Order != Unsorted && n > 1 {
		cmp := compareAsc
		if q.Order == Descending {
			cmp = compareDesc
		}
		if keep == n {
			mergeSort(res.Matches, make([]Match, n), cmp)
		} else {
			partialSort(res.Matches, cmp, 0, keep-1)
		}
	}
	res.Matches = res.Matches[:keep:keep]
	return res, nil
}

// processed returns the indexes of the cells Redis reads, in its order:
// the non-zero ones, skipping a cell equal to the one read before it.
func (cs *cells) processed() []int {
	out := make([]int, 0, len(cs))
	last := 0
	for i, h := range cs {
		if h.isZero() || (last != 0 && h == cs[last]) {
			continue
		}
		out = append(out, i)
		last = i
	}
	return out
}

// useCover lets tests compare searches with and without covers.
var useCover = true

// subRange is a part of a cell's score range that a search reads: all
// of it, or its intersection with the search's cover. cell is the cell's
// position in Redis's reading order.
type subRange struct {
	lo, hi float64
	cell   int
}

// cover returns score ranges holding every position inside q's shape,
// in cells finer than Redis's (at step steps), or nil when no such cover
// helps. Only for steps of 3 or more: coarser cells span enough of the
// globe to hold points almost opposite the centre, whose distance the C
// library can round to NaN, which Redis counts as inside.
func (q *Query) cover(steps int) [][2]float64 {
	if steps < 3 || !useCover {
		return nil
	}
	var b bounds
	if q.Shape.Box {
		b = boxBounds(q.Center, q.Shape.Width*q.Shape.Unit, q.Shape.Unit*q.Shape.Height)
	} else {
		b = circleBounds(q.Center, q.Shape.Radius*q.Shape.Unit)
	}
	fs := b.finestStep(maxCoverCells)
	if int(fs) <= steps {
		return nil
	}
	return b.ranges(fs)
}

// plan returns the cells Redis reads, in its order, and the parts of
// their score ranges to read: within each cell in score order.
func (q *Query) plan(cs cells, steps int) (order []int, subs []subRange) {
	order = cs.processed()
	cover := q.cover(steps)
	for j, i := range order {
		lo, hi := scoreRange(cs[i])
		if cover == nil {
			subs = append(subs, subRange{lo, hi, j})
			continue
		}
		for _, r := range cover {
			if a, b := max(lo, r[0]), min(hi, r[1]); a < b {
				subs = append(subs, subRange{a, b, j})
			}
		}
	}
	return order, subs
}

// scanInOrder reads the parts one after the other, in Redis's order of
// cells, and stops once limit members matched (ANY).
func (q *Query) scanInOrder(s zsetkv.Set, subs []subRange, limit int, res *Result) error {
	for _, r := range subs {
		if len(res.Matches) > 0 && len(res.Matches) >= limit {
			break
		}
		res.Scans++
		err := s.ScanScoreRange(r.lo, r.hi, func(e zsetkv.Entry) bool {
			res.Read++
			if p, d, ok := q.within(e.Score); ok {
				res.Matches = append(res.Matches, Match{Member: bytes.Clone(e.Member), Score: e.Score, Point: p, Dist: d})
			}
			return len(res.Matches) < limit
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// scanMerged reads the parts with one scan per run of touching ranges
// (neighbouring cells are often next to each other on the geohash
// curve), keeps each match with its cell, and returns the matches in
// Redis's cell order: the same result as reading the cells one by one,
// with fewer seeks.
func (q *Query) scanMerged(s zsetkv.Set, ncells int, subs []subRange, res *Result) error {
	rs := slices.Clone(subs)
	slices.SortFunc(rs, func(a, b subRange) int { return cmp.Compare(a.lo, b.lo) })
	for j := 1; j < len(rs); j++ {
		if rs[j].lo < rs[j-1].hi {
			// Overlapping cells (not produced by Redis's neighbourhoods):
			// read them one by one, as Redis would.
			return q.scanInOrder(s, subs, math.MaxInt, res)
		}
	}
	// Runs of touching ranges, read by one iterator that seeks from run
	// to run; first[r] is the index in rs of run r's first range.
	var runs [][2]float64
	var first []int
	for j := 0; j < len(rs); {
		k := j + 1
		for k < len(rs) && rs[k].lo == rs[k-1].hi {
			k++
		}
		runs = append(runs, [2]float64{rs[j].lo, rs[k-1].hi})
		first = append(first, j)
		j = k
	}
	res.Scans += len(runs)
	buckets := make([][]Match, ncells)
	run, cur := -1, 0
	err := s.ScanScoreRanges(runs, func(r int, e zsetkv.Entry) bool {
		if r != run {
			run, cur = r, first[r]
		}
		res.Read++
		for e.Score >= rs[cur].hi {
			cur++
		}
		if p, d, ok := q.within(e.Score); ok {
			b := &buckets[rs[cur].cell]
			*b = append(*b, Match{Member: bytes.Clone(e.Member), Score: e.Score, Point: p, Dist: d})
		}
		return true
	})
	if err != nil {
		return err
	}
	n := 0
	for _, b := range buckets {
		n += len(b)
	}
	res.Matches = make([]Match, 0, n)
	for _, b := range buckets {
		res.Matches = append(res.Matches, b...)
	}
	return nil
}
