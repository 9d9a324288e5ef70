package geo

import "math"

// This file holds the distance rules of Redis's searches: the latitude
// distance, the circle and the box membership tests.

// Point is a position in degrees.
type Point struct {
	Lon, Lat float64
}

// Distance returns the great-circle distance in meters between a and b
// that Redis reports (GEODIST, WITHDIST): the haversine formula on a
// sphere of the Earth's quadratic mean radius.
func Distance(a, b Point) float64 { return haversine(a.Lon, a.Lat, b.Lon, b.Lat) }

// latDistance is the distance along a meridian between two latitudes.
func latDistance(lat1, lat2 float64) float64 {
	return math.Abs(float64(lat2*degToRad)-float64(lat1*degToRad)) * earthRadius
}

// inRectangle reports whether p is inside the box of widthM by heightM
// meters centred on c, as Redis tests it (latitude first, then the
// longitude distance along p's parallel), and returns p's distance from c.
func inRectangle(widthM, heightM float64, c, p Point) (float64, bool) {
	if latDistance(p.Lat, c.Lat) > heightM*0.5 {
		return 0, false
	}
	if haversine(p.Lon, p.Lat, c.Lon, p.Lat) > widthM*0.5 {
		return 0, false
	}
	return haversine(c.Lon, c.Lat, p.Lon, p.Lat), true
}
