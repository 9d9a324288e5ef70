//go:build !cgo

package geo

import "math"

// This file computes distances with Go's math package when the C library
// is not available. Go's sin, cos and asin may differ from the C
// library's in the last bit, so a distance can then differ from Redis's
// by a rounding unit.

// haversine returns the distance in meters between two positions, as
// Redis's geohashGetDistance computes it.
func haversine(lon1, lat1, lon2, lat2 float64) float64 {
	dlon := float64(lon2*degToRad) - float64(lon1*degToRad)
	v := math.Sin(dlon * 0.5)
	if v == 0 {
		return math.Abs(float64(lat2*degToRad)-float64(lat1*degToRad)) * earthRadius
	}
	lat1r := lat1 * degToRad
	lat2r := lat2 * degToRad
	u := math.Sin((lat2r - lat1r) * 0.5)
	a := float64(float64(float64(math.Cos(lat2r)*math.Cos(lat1r))*v)*v) + float64(u*u)
	return math.Asin(math.Sqrt(a)) * (2 * earthRadius)
}

// cosine is math.Cos.
func cosine(x float64) float64 { return math.Cos(x) }
