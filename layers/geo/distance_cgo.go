//go:build cgo

package geo

// This file computes distances with the C library's sin, cos and asin,
// the functions Redis calls, so that distances agree with Redis's to the
// last bit (Go's own math package rounds some results differently). One
// C call computes a whole distance.

/*
#cgo CFLAGS: -O2
#cgo LDFLAGS: -lm
#include <math.h>

// Round every operation on its own, as Redis's build does on x86-64:
// never fuse a multiply and an add.
#pragma GCC optimize("fp-contract=off")

// aspen_geo_haversine is the great-circle distance in meters between two
// positions in degrees on a sphere of radius r; d2r converts degrees to
// radians. The operations and their order are those of Redis 7.0, so the
// result is bit-identical: a zero longitude term takes the latitude
// difference alone.
static double aspen_geo_haversine(double lon1, double lat1, double lon2, double lat2, double r, double d2r) {
	double dlon = lon2 * d2r - lon1 * d2r;
	double v = sin(dlon * 0.5);
	if (v == 0.0) {
		return fabs(lat2 * d2r - lat1 * d2r) * r;
	}
	double lat1r = lat1 * d2r;
	double lat2r = lat2 * d2r;
	double u = sin((lat2r - lat1r) * 0.5);
	double c1 = cos(lat1r);
	double c2 = cos(lat2r);
	double a = c2 * c1 * v * v + u * u;
	return asin(sqrt(a)) * (2.0 * r);
}

static double aspen_geo_cos(double x) { return cos(x); }
*/
import "C"

// haversine returns the distance in meters between two positions, as
// Redis's geohashGetDistance computes it.
func haversine(lon1, lat1, lon2, lat2 float64) float64 {
	return float64(C.aspen_geo_haversine(C.double(lon1), C.double(lat1), C.double(lon2), C.double(lat2),
		C.double(earthRadius), C.double(degToRad)))
}

// cosine is the C library's cos.
func cosine(x float64) float64 { return float64(C.aspen_geo_cos(C.double(x))) }
