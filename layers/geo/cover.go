package geo

import (
	"cmp"
	"math"
	"slices"
)

// This file computes covers: score ranges of geohash cells that together
// hold every position a shape can contain, on the sphere of the distance
// formula. Nearest reads them; Search intersects them with the cells
// Redis reads, so that it reads fewer entries than Redis's nine cells
// while keeping exactly Redis's matches and their order.

// coverEps is the slack, in degrees, added to a cover's bounds against
// rounding (about a centimetre).
const coverEps = 1e-7

// maxCoverCells bounds the cells of one cover: more cells read fewer
// entries but cost a seek each.
const maxCoverCells = 12

// lonSpan is a longitude interval within MinLon..MaxLon.
type lonSpan struct{ lo, hi float64 }

// bounds is the latitude interval and longitude spans of a cover; full
// longitude when the shape wraps around the globe.
type bounds struct {
	latLo, latHi float64
	lons         []lonSpan
}

// lonSpans returns the spans of lon-d..lon+d, split at the antimeridian.
func lonSpans(lon, d float64) []lonSpan {
	lo, hi := lon-d, lon+d
	switch {
	case hi-lo >= 360:
		return []lonSpan{{MinLon, MaxLon}}
	case lo < MinLon:
		return []lonSpan{{lo + 360, MaxLon}, {MinLon, hi}}
	case hi > MaxLon:
		return []lonSpan{{lo, MaxLon}, {MinLon, hi - 360}}
	}
	return []lonSpan{{lo, hi}}
}

// circleBounds bounds the positions within meters of c: the latitudes
// within the angular radius, and the longitudes of the spherical cap,
// the whole circle of longitudes when the cap holds a pole.
func circleBounds(c Point, meters float64) bounds {
	d := meters / earthRadius
	dDeg := d / degToRad
	b := bounds{latLo: c.Lat - dDeg - coverEps, latHi: c.Lat + dDeg + coverEps}
	full := b.latHi >= 90 || b.latLo <= -90 || d >= math.Pi/2 || math.IsNaN(d)
	if !full {
		if s := math.Sin(d) / math.Cos(c.Lat*degToRad); s < 1 {
			b.lons = lonSpans(c.Lon, math.Asin(s)/degToRad+coverEps)
		} else {
			full = true
		}
	}
	if full {
		b.lons = []lonSpan{{MinLon, MaxLon}}
	}
	b.latLo, b.latHi = max(b.latLo, MinLat), min(b.latHi, MaxLat)
	return b
}

// boxBounds bounds the positions Redis's box test accepts around c: the
// latitude distance at most half the height, and the distance along the
// position's parallel at most half the width, widest at the latitude
// nearest a pole.
func boxBounds(c Point, widthM, heightM float64) bounds {
	dLat := heightM * 0.5 / earthRadius / degToRad
	b := bounds{latLo: max(c.Lat-dLat-coverEps, MinLat), latHi: min(c.Lat+dLat+coverEps, MaxLat)}
	q := widthM / (4 * earthRadius)
	phi := max(math.Abs(b.latLo), math.Abs(b.latHi)) * degToRad
	if s := math.Sin(q) / math.Cos(phi); q < math.Pi/2 && s < 1 && !math.IsNaN(s) {
		b.lons = lonSpans(c.Lon, 2*math.Asin(s)/degToRad+coverEps)
	} else {
		b.lons = []lonSpan{{MinLon, MaxLon}}
	}
	return b
}

// cellIndex returns the cell at step n (2^step cells) of v in [lo, lo+n*width).
func cellIndex(v, lo, width float64, n uint64) uint64 {
	i := math.Floor((v - lo) / width)
	return uint64(min(max(i, 0), float64(n-1)))
}

// cellsAt counts the cells at step that cover b.
func (b bounds) cellsAt(step uint) uint64 {
	n := uint64(1) << step
	lw := (MaxLon - MinLon) / float64(n)
	aw := (MaxLat - MinLat) / float64(n)
	lat := cellIndex(b.latHi, MinLat, aw, n) - cellIndex(b.latLo, MinLat, aw, n) + 1
	var total uint64
	for _, s := range b.lons {
		total += (cellIndex(s.hi, MinLon, lw, n) - cellIndex(s.lo, MinLon, lw, n) + 1) * lat
	}
	return total
}

// finestStep returns the finest step at which at most maxCells cells cover b.
func (b bounds) finestStep(maxCells uint64) uint {
	step := uint(stepMax)
	for ; step > 1 && b.cellsAt(step) > maxCells; step-- {
	}
	return step
}

// ranges returns the score ranges of the cells at step covering b, sorted
// and merged where they touch, plus the scores at and past 2^52 that
// positions on the map's top and right edges encode to.
func (b bounds) ranges(step uint) [][2]float64 {
	n := uint64(1) << step
	lw := (MaxLon - MinLon) / float64(n)
	aw := (MaxLat - MinLat) / float64(n)
	lat0, lat1 := cellIndex(b.latLo, MinLat, aw, n), cellIndex(b.latHi, MinLat, aw, n)
	var out [][2]float64
	for _, s := range b.lons {
		for ilon := cellIndex(s.lo, MinLon, lw, n); ilon <= cellIndex(s.hi, MinLon, lw, n); ilon++ {
			for ilat := lat0; ilat <= lat1; ilat++ {
				h := hashBits{bits: spread(uint32(ilat)) | spread(uint32(ilon))<<1, step: uint8(step)}
				lo, hi := scoreRange(h)
				out = append(out, [2]float64{lo, hi})
			}
		}
	}
	out = append(out, [2]float64{1 << 52, 1 << 54})
	slices.SortFunc(out, func(a, b [2]float64) int { return cmp.Compare(a[0], b[0]) })
	merged := out[:1]
	for _, rg := range out[1:] {
		if last := &merged[len(merged)-1]; rg[0] <= last[1] {
			last[1] = max(last[1], rg[1])
			continue
		}
		merged = append(merged, rg)
	}
	return merged
}
