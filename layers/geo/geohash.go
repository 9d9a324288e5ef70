package geo

import "math"

// This file is the geohash arithmetic of Redis 7.0's GEO commands, written
// afresh from its documented behaviour: the 52-bit interleaved score of a
// position, its decoding back to the centre of its cell, the cells around
// a cell, and the choice of cells a search reads. Every floating-point
// step is done in the same order as Redis does it, with explicit
// float64 conversions where Go could otherwise fuse a multiply and an add,
// so that scores, decoded positions and search areas are bit-identical.

// The coordinate limits of a position (Redis's GEO_LONG_MIN and friends):
// the latitude limits are those of the Web Mercator projection.
const (
	MinLon = -180.0
	MaxLon = 180.0
	MinLat = -85.05112878
	MaxLat = 85.05112878
)

const (
	// stepMax is the precision of a stored score: 26 bits of longitude
	// and 26 of latitude.
	stepMax = 26
	// earthRadius is the Earth's quadratic mean radius in meters, the
	// radius of Redis's distance formula.
	earthRadius = 6372797.560856
	// mercatorMax bounds the search step estimate.
	mercatorMax = 20037726.37
)

// degToRad is π/180 as the C expression M_PI/180.0 rounds it.
var degToRad = math.Float64frombits(0x3f91df46a2529d39)

// hashBits is a geohash of step bits of longitude and step of latitude:
// latitude bits at the even positions, longitude bits at the odd ones. The
// zero hashBits (no bits, step 0) marks an unused neighbour.
type hashBits struct {
	bits uint64
	step uint8
}

func (h hashBits) isZero() bool { return h.bits == 0 && h.step == 0 }

// coordRange is a closed interval of one coordinate.
type coordRange struct{ min, max float64 }

// area is the extent of a geohash cell.
type area struct {
	hash     hashBits
	lon, lat coordRange
}

var (
	wgs84Lon = coordRange{MinLon, MaxLon}
	wgs84Lat = coordRange{MinLat, MaxLat}
	// stdLat is the latitude range of standard geohash strings.
	stdLat = coordRange{-90, 90}
)

// spread moves the low 32 bits of v to the even bit positions.
func spread(v uint32) uint64 {
	x := uint64(v)
	x = (x | x<<16) & 0x0000ffff0000ffff
	x = (x | x<<8) & 0x00ff00ff00ff00ff
	x = (x | x<<4) & 0x0f0f0f0f0f0f0f0f
	x = (x | x<<2) & 0x3333333333333333
	x = (x | x<<1) & 0x5555555555555555
	return x
}

// squash gathers the even bit positions of v into 32 bits.
func squash(v uint64) uint32 {
	x := v & 0x5555555555555555
	x = (x | x>>1) & 0x3333333333333333
	x = (x | x>>2) & 0x0f0f0f0f0f0f0f0f
	x = (x | x>>4) & 0x00ff00ff00ff00ff
	x = (x | x>>8) & 0x0000ffff0000ffff
	x = (x | x>>16) & 0x00000000ffffffff
	return uint32(x)
}

// truncToUint32 converts a non-negative offset as C's conversion to a
// 64-bit integer then to uint32_t does on x86-64.
func truncToUint32(f float64) uint32 { return uint32(cToInt64(f)) }

// cToInt64 converts f to an integer the way x86-64's cvttsd2si does:
// truncation toward zero, and math.MinInt64 (the "integer indefinite")
// for NaN and values out of range.
func cToInt64(f float64) int64 {
	const two63 = 9223372036854775808.0
	if math.IsNaN(f) || f >= two63 || f < -two63 {
		return math.MinInt64
	}
	return int64(f)
}

// cToUint64 converts f to uint64 as GCC compiles (uint64_t)f on x86-64:
// below 2^63 through cvttsd2si, otherwise by subtracting 2^63 first and
// flipping the top bit back.
func cToUint64(f float64) uint64 {
	const two63 = 9223372036854775808.0
	if f >= two63 {
		return uint64(cToInt64(f-two63)) ^ (1 << 63)
	}
	return uint64(cToInt64(f))
}

// encode computes the geohash of (lon, lat) at step in the given ranges;
// ok is false outside the ranges or the WGS84 limits.
func encode(lonR, latR coordRange, lon, lat float64, step uint8) (hashBits, bool) {
	if step > 32 || step == 0 {
		return hashBits{}, false
	}
	if lon > MaxLon || lon < MinLon || lat > MaxLat || lat < MinLat {
		return hashBits{}, false
	}
	if lat < latR.min || lat > latR.max || lon < lonR.min || lon > lonR.max {
		return hashBits{step: step}, false
	}
	scale := float64(uint64(1) << step)
	latOff := float64(float64(lat-latR.min)/float64(latR.max-latR.min)) * scale
	lonOff := float64(float64(lon-lonR.min)/float64(lonR.max-lonR.min)) * scale
	bits := spread(truncToUint32(latOff)) | spread(truncToUint32(lonOff))<<1
	return hashBits{bits: bits, step: step}, true
}

// decode returns the cell a hash names; ok is false for the zero hash.
func decode(lonR, latR coordRange, h hashBits) (area, bool) {
	if h.isZero() {
		return area{}, false
	}
	ilat := squash(h.bits)
	ilon := squash(h.bits >> 1)
	div := float64(uint64(1) << h.step)
	latScale := latR.max - latR.min
	lonScale := lonR.max - lonR.min
	a := area{hash: h}
	a.lat.min = latR.min + float64(float64(float64(ilat)/div)*latScale)
	a.lat.max = latR.min + float64(float64(float64(ilat+1)/div)*latScale)
	a.lon.min = lonR.min + float64(float64(float64(ilon)/div)*lonScale)
	a.lon.max = lonR.min + float64(float64(float64(ilon+1)/div)*lonScale)
	return a, true
}

// center returns the centre of a cell, clamped to the WGS84 limits.
func (a area) center() Point {
	lon := (a.lon.min + a.lon.max) * 0.5
	if lon > MaxLon {
		lon = MaxLon
	} else {
		lon = math.Max(MinLon, lon)
	}
	lat := (a.lat.min + a.lat.max) * 0.5
	if lat > MaxLat {
		lat = MaxLat
	} else if lat < MinLat {
		lat = MinLat
	}
	return Point{Lon: lon, Lat: lat}
}

// align52 shifts a hash's bits to the 52-bit score scale.
func align52(h hashBits) uint64 { return h.bits << (52 - 2*uint(h.step)) }

// Encode returns the score Redis stores for a position: its 52-bit
// geohash. ok is false outside the coordinate limits.
func Encode(p Point) (score float64, ok bool) {
	if !Valid(p) {
		return 0, false
	}
	h, ok := encode(wgs84Lon, wgs84Lat, p.Lon, p.Lat, stepMax)
	if !ok {
		return 0, false
	}
	return float64(align52(h)), true
}

// Valid reports whether p is within the coordinate limits (NaN is not).
func Valid(p Point) bool {
	return p.Lon >= MinLon && p.Lon <= MaxLon && p.Lat >= MinLat && p.Lat <= MaxLat
}

// Decode returns the position a score stands for: the centre of its cell,
// as Redis decodes it (any score decodes, as in Redis, even one that
// ZADD put there).
func Decode(score float64) Point {
	a, _ := decode(wgs84Lon, wgs84Lat, hashBits{bits: cToUint64(score), step: stepMax})
	return a.center()
}

// Hash returns the 11-character standard geohash of a score, as GEOHASH
// replies it: the decoded position re-encoded with the standard latitude
// range of ±90 degrees, its last character always '0'.
func Hash(score float64) string {
	const alphabet = "0123456789bcdefghjkmnpqrstuvwxyz"
	p := Decode(score)
	h, _ := encode(wgs84Lon, stdLat, p.Lon, p.Lat, stepMax)
	var buf [11]byte
	for i := 0; i < 10; i++ {
		buf[i] = alphabet[(h.bits>>(52-uint((i+1)*5)))&0x1f]
	}
	buf[10] = alphabet[0]
	return string(buf[:])
}

// moveX moves a hash one cell east (d > 0) or west, wrapping around.
func moveX(h hashBits, d int) hashBits {
	if d == 0 {
		return h
	}
	x := h.bits & 0xaaaaaaaaaaaaaaaa
	y := h.bits & 0x5555555555555555
	zz := uint64(0x5555555555555555) >> (64 - 2*uint(h.step))
	if d > 0 {
		x += zz + 1
	} else {
		x |= zz
		x -= zz + 1
	}
	x &= uint64(0xaaaaaaaaaaaaaaaa) >> (64 - 2*uint(h.step))
	h.bits = x | y
	return h
}

// moveY moves a hash one cell north (d > 0) or south, wrapping around.
func moveY(h hashBits, d int) hashBits {
	if d == 0 {
		return h
	}
	x := h.bits & 0xaaaaaaaaaaaaaaaa
	y := h.bits & 0x5555555555555555
	zz := uint64(0xaaaaaaaaaaaaaaaa) >> (64 - 2*uint(h.step))
	if d > 0 {
		y += zz + 1
	} else {
		y |= zz
		y -= zz + 1
	}
	y &= uint64(0x5555555555555555) >> (64 - 2*uint(h.step))
	h.bits = x | y
	return h
}

// neighbours are the eight cells around a cell.
type neighbours struct {
	north, east, west, south                   hashBits
	northEast, southEast, northWest, southWest hashBits
}

func neighboursOf(h hashBits) neighbours {
	return neighbours{
		east:      moveX(h, 1),
		west:      moveX(h, -1),
		south:     moveY(h, -1),
		north:     moveY(h, 1),
		northWest: moveY(moveX(h, -1), 1),
		southWest: moveY(moveX(h, -1), -1),
		northEast: moveY(moveX(h, 1), 1),
		southEast: moveY(moveX(h, 1), -1),
	}
}

// estimateSteps returns the step of the nine cells that a search of
// radius meters around latitude lat reads.
func estimateSteps(meters, lat float64) int {
	if meters == 0 {
		return 26
	}
	step := 1
	for meters < mercatorMax {
		meters *= 2
		step++
	}
	step -= 2
	if lat > 66 || lat < -66 {
		step--
		if lat > 80 || lat < -80 {
			step--
		}
	}
	if step < 1 {
		step = 1
	}
	if step > 26 {
		step = 26
	}
	return step
}
