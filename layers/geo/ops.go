package geo

import (
	"errors"
	"fmt"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/layers/zsetkv"
)

// This file is the rest of the Go API: adding and removing members, a
// member's position, distance and geohash, and storing search results.
// Writes are the sorted set layer's mutations, since a GEO key is a
// sorted set whose scores are geohashes.

// ErrWrongType is returned for a key that holds another type.
var ErrWrongType = zsetkv.ErrWrongType

// ErrInvalidPosition is returned for a position outside the coordinate
// limits (MinLon..MaxLon, MinLat..MaxLat).
var ErrInvalidPosition = errors.New("geo: position outside the coordinate limits")

// Location is a member and its position.
type Location struct {
	Member []byte
	Point  Point
}

// AddOptions are GEOADD's flags: NX adds only new members, XX only
// updates existing ones, CH counts updated members as well as added ones.
type AddOptions struct {
	NX, XX, CH bool
}

// AddOp prepares the addition of locs to the GEO key key in db (GEOADD).
// It fails with ErrInvalidPosition when a position is out of range.
// DecodeAdd reads the commit's result.
func AddOp(db int, key []byte, opt AddOptions, locs []Location) (strkv.Mutation, error) {
	es := make([]zsetkv.Entry, len(locs))
	for i, l := range locs {
		score, ok := Encode(l.Point)
		if !ok {
			return strkv.Mutation{}, fmt.Errorf("%w: %v,%v", ErrInvalidPosition, l.Point.Lon, l.Point.Lat)
		}
		es[i] = zsetkv.Entry{Member: l.Member, Score: score}
	}
	return zsetkv.AddOp(db, key, zsetkv.AddOptions{NX: opt.NX, XX: opt.XX, CH: opt.CH}, es), nil
}

// DecodeAdd returns how many members an AddOp added (and, with CH,
// updated), or ErrWrongType.
func DecodeAdd(res []byte) (int64, error) {
	r, err := zsetkv.DecodeAdd(res)
	return r.Count, err
}

// RemoveOp prepares the removal of members from the GEO key key in db.
// DecodeCount reads how many were removed.
func RemoveOp(db int, key []byte, members [][]byte) strkv.Mutation {
	return zsetkv.RemOp(db, key, members)
}

// DecodeCount reads the result of a RemoveOp: the members removed, or
// ErrWrongType.
func DecodeCount(res []byte) (int64, error) { return zsetkv.DecodeCount(res) }

// Open returns the GEO key key in db as r sees it (an empty set when
// missing), or ErrWrongType.
func Open(r *strkv.Reader, db int, key []byte) (zsetkv.Set, error) { return zsetkv.Open(r, db, key) }

// Position returns the position of member in s; ok is false when it is
// not a member.
func Position(s zsetkv.Set, member []byte) (p Point, ok bool, err error) {
	score, ok, err := s.Score(member)
	if err != nil || !ok {
		return Point{}, false, err
	}
	return Decode(score), true, nil
}

// MemberDistance returns the distance in meters between two members of
// s; ok is false when either is missing.
func MemberDistance(s zsetkv.Set, a, b []byte) (meters float64, ok bool, err error) {
	pa, ok, err := Position(s, a)
	if err != nil || !ok {
		return 0, false, err
	}
	pb, ok, err := Position(s, b)
	if err != nil || !ok {
		return 0, false, err
	}
	return Distance(pa, pb), true, nil
}

// MemberHash returns the standard geohash string of member (GEOHASH); ok
// is false when it is not a member.
func MemberHash(s zsetkv.Set, member []byte) (hash string, ok bool, err error) {
	score, ok, err := s.Score(member)
	if err != nil || !ok {
		return "", false, err
	}
	return Hash(score), true, nil
}

// Radius returns the members of s within meters of c, nearest first
// (GEOSEARCH FROMLONLAT BYRADIUS ... ASC); count > 0 keeps that many.
func Radius(s zsetkv.Set, c Point, meters float64, count int64) (Result, error) {
	return Search(s, Query{Center: c, Shape: Shape{Radius: meters, Unit: 1}, Order: Ascending, Count: count})
}

// Box returns the members of s inside the box of width by height meters
// centred on c, nearest first; count > 0 keeps that many.
func Box(s zsetkv.Set, c Point, width, height float64, count int64) (Result, error) {
	return Search(s, Query{Center: c, Shape: Shape{Box: true, Width: width, Height: height, Unit: 1}, Order: Ascending, Count: count})
}

// Store replaces the key dst in db, of any type, with a sorted set of
// matches inside a mutation (GEORADIUS STORE, GEOSEARCHSTORE): scores are
// the members' geohashes, or with storeDist their distances divided by
// unit. No match deletes dst.
func Store(m layers.Mutator, db int, dst []byte, matches []Match, storeDist bool, unit float64) error {
	e, err := zsetkv.ReplaceEdit(m, db, dst)
	if err != nil {
		return fmt.Errorf("geo: store: %w", err)
	}
	for _, x := range matches {
		score := x.Score
		if storeDist {
			score = x.Dist / unit
		}
		if _, _, err := e.Add(x.Member, score); err != nil {
			return fmt.Errorf("geo: store: %w", err)
		}
	}
	e.Finish()
	return nil
}
