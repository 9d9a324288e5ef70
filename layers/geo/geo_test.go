package geo

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/layers/zsetkv"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

// This file tests the geo layer on a real single-node store: positions
// and geohashes, the bound on what a search reads, the nearest-neighbour
// search, the orderings, and writes. The replies' exactness against Redis
// is tested side by side in package resp.

const testStoreOp = "geo_test.store"

// newStore opens a real store with the sorted set layer's mutations and a
// test mutation that stores a search's results with Store.
func newStore(t *testing.T) *strkv.Store { return newStoreTB(t) }

func newStoreTB(t testing.TB) *strkv.Store {
	t.Helper()
	muts := map[string]layers.MutationFunc{}
	maps.Copy(muts, strkv.Mutations())
	maps.Copy(muts, zsetkv.Mutations())
	muts[testStoreOp] = func(m layers.Mutator, args []byte) ([]byte, error) {
		// args: "src\x00dst"; stores the members within 200 km of (0, 0).
		src, dst, _ := bytes.Cut(args, []byte{0})
		s, err := Open(strkv.NewReader(m, m.Now().UnixMilli()), 0, src)
		if err != nil {
			return nil, err
		}
		res, err := Radius(s, Point{}, 200000, 0)
		if err != nil {
			return nil, err
		}
		return nil, Store(m, 0, dst, res.Matches, true, 1000)
	}
	return strkv.New(raftstoretest.NewWithMutations(t, muts))
}

func run(t *testing.T, st *strkv.Store, m strkv.Mutation) []byte {
	t.Helper()
	res, err := st.Run(context.Background(), m)
	if err != nil {
		t.Fatalf("%s: %v", m.Op, err)
	}
	return res[0]
}

// load adds locs to key in batches.
func load(t *testing.T, st *strkv.Store, key string, locs []Location) {
	t.Helper()
	const batch = 2500 // moderate commits: the race detector slows a commit a lot
	for i := 0; i < len(locs); i += batch {
		m, err := AddOp(0, []byte(key), AddOptions{}, locs[i:min(i+batch, len(locs))])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := DecodeAdd(run(t, st, m)); err != nil {
			t.Fatal(err)
		}
	}
}

func view(t *testing.T, st *strkv.Store, key string, fn func(s zsetkv.Set)) {
	t.Helper()
	err := st.View(context.Background(), func(r *strkv.Reader) error {
		s, err := Open(r, 0, []byte(key))
		if err != nil {
			return err
		}
		fn(s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// randomNear returns a random position within about km of c.
func randomNear(rng *rand.Rand, c Point, km float64) Point {
	dlat := (rng.Float64()*2 - 1) * km / 111
	dlon := (rng.Float64()*2 - 1) * km / (111 * math.Cos(c.Lat*math.Pi/180))
	return Point{Lon: c.Lon + dlon, Lat: c.Lat + dlat}
}

func TestEncodeDecode(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 10000; i++ {
		p := Point{Lon: rng.Float64()*360 - 180, Lat: rng.Float64()*2*MaxLat - MaxLat}
		score, ok := Encode(p)
		if !ok {
			t.Fatalf("Encode(%v) refused", p)
		}
		if score != math.Trunc(score) || score < 0 || score >= 1<<52 {
			t.Fatalf("Encode(%v) = %v, not a 52-bit integer", p, score)
		}
		// The decoded position is the centre of a cell of 360/2^26 by
		// 170/2^26 degrees holding p.
		q := Decode(score)
		if math.Abs(q.Lon-p.Lon) > 360.0/(1<<27)+1e-12 || math.Abs(q.Lat-p.Lat) > 2*MaxLat/(1<<27)+1e-12 {
			t.Fatalf("Decode(Encode(%v)) = %v", p, q)
		}
		if again, _ := Encode(q); again != score {
			t.Fatalf("the centre of %v's cell encodes to %v, not %v", p, again, score)
		}
		if d := Distance(p, q); d > 1 {
			t.Fatalf("%v decodes %v m away", p, d)
		}
	}
	for _, p := range []Point{{181, 0}, {-180.0001, 0}, {0, 85.06}, {0, -86}, {math.NaN(), 0}, {0, math.Inf(1)}} {
		if _, ok := Encode(p); ok || Valid(p) {
			t.Errorf("%v accepted", p)
		}
	}
	// Palermo, as the GEOHASH documentation shows it.
	score, _ := Encode(Point{13.361389, 38.115556})
	if h := Hash(score); h != "sqc8b49rny0" {
		t.Errorf("Palermo's geohash = %q", h)
	}
}

func TestDistance(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 1000; i++ {
		a := Point{rng.Float64()*360 - 180, rng.Float64()*170 - 85}
		b := Point{rng.Float64()*360 - 180, rng.Float64()*170 - 85}
		d := Distance(a, b)
		if d < 0 || d > math.Pi*earthRadius*(1+1e-9) || math.Abs(d-Distance(b, a)) > 1e-6 {
			t.Fatalf("Distance(%v, %v) = %v", a, b, d)
		}
		// Same meridian: the latitude difference alone.
		c := Point{a.Lon, b.Lat}
		if got, want := Distance(a, c), latDistance(a.Lat, b.Lat); got != want {
			t.Fatalf("meridian distance %v, want %v", got, want)
		}
	}
}

// TestSearchReadsBoundedEntries loads 200,000 members into one key, most
// of them in a 200 km square, and checks that a 1 km search reads a few
// hundred entries, not the key, while finding exactly the members within
// 1 km.
func TestSearchReadsBoundedEntries(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 200,000 members")
	}
	st := newStore(t)
	rng := rand.New(rand.NewPCG(5, 6))
	region := Point{Lon: 10, Lat: 45}
	locs := make([]Location, 200000)
	for i := range locs {
		p := randomNear(rng, region, 100)
		if i%10 == 0 {
			p = Point{Lon: rng.Float64()*360 - 180, Lat: rng.Float64()*170 - 85}
		}
		locs[i] = Location{Member: []byte("p" + strconv.Itoa(i)), Point: p}
	}
	load(t, st, "big", locs)
	view(t, st, "big", func(s zsetkv.Set) {
		if s.Card() != int64(len(locs)) {
			t.Fatalf("card %d", s.Card())
		}
		for i := 0; i < 20; i++ {
			c := randomNear(rng, region, 90)
			res, err := Radius(s, c, 1000, 0)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, l := range locs {
				score, _ := Encode(l.Point)
				if Distance(c, Decode(score)) <= 1000 {
					want = append(want, string(l.Member))
				}
			}
			var got []string
			for j, m := range res.Matches {
				got = append(got, string(m.Member))
				if j > 0 && m.Dist < res.Matches[j-1].Dist {
					t.Fatalf("results out of order at %d", j)
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("1 km around %v: got %d members, want %d", c, len(got), len(want))
			}
			if res.Read > 600 || res.Read < len(want) {
				t.Fatalf("1 km search read %d entries of %d (found %d)", res.Read, s.Card(), len(want))
			}
			t.Logf("1 km around %v: %d found, %d entries read", c, len(want), res.Read)
		}
	})
}

// TestNearest checks the widening nearest-neighbour search against a
// brute-force ranking, where the first ring around the centre holds
// fewer than k members, and against Redis's search, which stops there.
func TestNearest(t *testing.T) {
	st := newStore(t)
	rng := rand.New(rand.NewPCG(7, 8))
	center := Point{Lon: 179.99, Lat: 60} // next to the antimeridian
	var locs []Location
	add := func(p Point) {
		locs = append(locs, Location{Member: []byte("n" + strconv.Itoa(len(locs))), Point: p})
	}
	for i := 0; i < 3; i++ {
		add(randomNear(rng, center, 0.5)) // the first ring: 3 members
	}
	for i := 0; i < 40; i++ {
		p := randomNear(rng, center, 300)
		if p.Lon > 180 {
			p.Lon -= 360
		}
		add(p)
	}
	for i := 0; i < 2000; i++ {
		add(Point{Lon: rng.Float64()*360 - 180, Lat: rng.Float64()*170 - 85})
	}
	load(t, st, "nn", locs)
	rank := func(c Point) []string {
		type md struct {
			m     string
			d, sc float64
		}
		var all []md
		for _, l := range locs {
			sc, _ := Encode(l.Point)
			all = append(all, md{string(l.Member), Distance(c, Decode(sc)), sc})
		}
		slices.SortFunc(all, func(a, b md) int {
			if a.d != b.d {
				return cmpFloat(a.d, b.d)
			}
			if a.sc != b.sc {
				return cmpFloat(a.sc, b.sc)
			}
			return cmpString(a.m, b.m)
		})
		var out []string
		for _, x := range all {
			out = append(out, x.m)
		}
		return out
	}
	view(t, st, "nn", func(s zsetkv.Set) {
		for _, k := range []int{1, 3, 4, 10, 43, 100} {
			res, err := Nearest(s, center, k)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range res.Matches {
				got = append(got, string(m.Member))
			}
			if want := rank(center)[:k]; !slices.Equal(got, want) {
				t.Fatalf("Nearest k=%d:\n got  %v\n want %v", k, got, want)
			}
		}
		// Redis's search with the same COUNT stops at its radius.
		res, err := Search(s, Query{Center: center, Shape: Shape{Radius: 1, Unit: 1000}, Order: Ascending, Count: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Matches) != 3 {
			t.Fatalf("1 km search with COUNT 10 found %d members, want the 3 of the first ring", len(res.Matches))
		}
		// More than the key holds: all of them, in order.
		res, err = Nearest(s, Point{Lon: -20, Lat: -40}, len(locs)+5)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Matches) != len(locs) {
			t.Fatalf("Nearest beyond the key's size returned %d of %d", len(res.Matches), len(locs))
		}
		var got []string
		for _, m := range res.Matches {
			got = append(got, string(m.Member))
		}
		if want := rank(Point{Lon: -20, Lat: -40}); !slices.Equal(got, want) {
			t.Fatal("Nearest of the whole key out of order")
		}
	})
	// Random centres, including the poles' latitudes.
	view(t, st, "nn", func(s zsetkv.Set) {
		for i := 0; i < 30; i++ {
			c := Point{Lon: rng.Float64()*360 - 180, Lat: rng.Float64()*170 - 85}
			if i%5 == 0 {
				c.Lat = math.Copysign(MaxLat, c.Lat)
			}
			k := 1 + rng.IntN(30)
			res, err := Nearest(s, c, k)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range res.Matches {
				got = append(got, string(m.Member))
			}
			if want := rank(c)[:k]; !slices.Equal(got, want) {
				t.Fatalf("Nearest(%v, %d):\n got  %v\n want %v", c, k, got, want)
			}
		}
	})
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestSorts checks the two orderings: the merge sort is a stable sort,
// and the partial sort puts the wanted positions where a full sort puts
// them, for many ties.
func TestSorts(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for n := 0; n < 200; n++ {
		x := make([]Match, n)
		for i := range x {
			x[i] = Match{Member: []byte(strconv.Itoa(i)), Dist: float64(rng.IntN(5))}
		}
		want := slices.Clone(x)
		slices.SortStableFunc(want, func(a, b Match) int { return compareAsc(&a, &b) })
		got := slices.Clone(x)
		mergeSort(got, make([]Match, n), compareAsc)
		for i := range got {
			if !bytes.Equal(got[i].Member, want[i].Member) {
				t.Fatalf("n=%d: merge sort not stable at %d", n, i)
			}
		}
		if n == 0 {
			continue
		}
		lo := rng.IntN(n)
		hi := lo + rng.IntN(n-lo)
		part := slices.Clone(x)
		partialSort(part, compareDesc, lo, hi)
		full := slices.Clone(x)
		slices.SortFunc(full, func(a, b Match) int { return compareDesc(&a, &b) })
		for i := lo; i <= hi; i++ {
			if part[i].Dist != full[i].Dist {
				t.Fatalf("n=%d [%d,%d]: position %d holds %v, want %v", n, lo, hi, i, part[i].Dist, full[i].Dist)
			}
		}
		seen := map[string]bool{}
		for _, m := range part {
			seen[string(m.Member)] = true
		}
		if len(seen) != n {
			t.Fatalf("n=%d: partial sort lost members", n)
		}
	}
}

// TestWrites covers AddOp's options, RemoveOp, positions, distances,
// hashes, the wrong type, and Store.
func TestWrites(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	add := func(opt AddOptions, locs ...Location) (int64, error) {
		m, err := AddOp(0, []byte("g"), opt, locs)
		if err != nil {
			return 0, err
		}
		return DecodeAdd(run(t, st, m))
	}
	a := Location{Member: []byte("a"), Point: Point{1, 1}}
	b := Location{Member: []byte("b"), Point: Point{1.01, 1}}
	moved := Location{Member: []byte("a"), Point: Point{0.5, 0.5}}
	for _, c := range []struct {
		opt  AddOptions
		locs []Location
		want int64
	}{
		{AddOptions{}, []Location{a, b}, 2},
		{AddOptions{}, []Location{a}, 0},
		{AddOptions{NX: true}, []Location{moved}, 0},
		{AddOptions{XX: true, CH: true}, []Location{moved}, 1},
		{AddOptions{XX: true}, []Location{{Member: []byte("c"), Point: Point{2, 2}}}, 0},
		{AddOptions{CH: true}, []Location{a, {Member: []byte("d"), Point: Point{3, 3}}}, 2},
	} {
		if n, err := add(c.opt, c.locs...); err != nil || n != c.want {
			t.Fatalf("add %+v: %d, %v; want %d", c.opt, n, err, c.want)
		}
	}
	if _, err := add(AddOptions{}, Location{Member: []byte("x"), Point: Point{200, 0}}); !errors.Is(err, ErrInvalidPosition) {
		t.Fatalf("out-of-range add: %v", err)
	}
	view(t, st, "g", func(s zsetkv.Set) {
		pa, ok, err := Position(s, []byte("a"))
		if err != nil || !ok || Distance(pa, a.Point) > 1 {
			t.Fatalf("Position(a) = %v, %v, %v", pa, ok, err)
		}
		if _, ok, _ := Position(s, []byte("zz")); ok {
			t.Fatal("a missing member has a position")
		}
		d, ok, err := MemberDistance(s, []byte("a"), []byte("b"))
		if err != nil || !ok || math.Abs(d-Distance(a.Point, b.Point)) > 1 {
			t.Fatalf("MemberDistance = %v, %v, %v", d, ok, err)
		}
		h, ok, err := MemberHash(s, []byte("b"))
		if err != nil || !ok || len(h) != 11 || h[10] != '0' {
			t.Fatalf("MemberHash = %q, %v, %v", h, ok, err)
		}
		res, err := Box(s, Point{1, 1}, 3000, 3000, 0)
		if err != nil || len(res.Matches) != 2 || string(res.Matches[0].Member) != "a" {
			t.Fatalf("Box: %+v, %v", res, err)
		}
	})
	if n, err := DecodeCount(run(t, st, RemoveOp(0, []byte("g"), [][]byte{[]byte("d"), []byte("zz")}))); err != nil || n != 1 {
		t.Fatalf("remove: %d, %v", n, err)
	}
	// Store the members within 200 km of (0, 0) with their distances in km.
	run(t, st, strkv.Mutation{Op: testStoreOp, Args: []byte("g\x00near")})
	view(t, st, "near", func(s zsetkv.Set) {
		es, err := s.All()
		if err != nil || len(es) != 2 {
			t.Fatalf("stored: %v, %v", es, err)
		}
		for _, e := range es {
			if e.Score <= 0 || e.Score > 200 {
				t.Fatalf("stored distance %v km", e.Score)
			}
		}
	})
	// A key of another type.
	if _, err := st.Set(ctx, 0, []byte("str"), []byte("v"), strkv.SetOptions{}); err != nil {
		t.Fatal(err)
	}
	m, _ := AddOp(0, []byte("str"), AddOptions{}, []Location{a})
	if _, err := DecodeAdd(run(t, st, m)); !errors.Is(err, ErrWrongType) {
		t.Fatalf("add to a string: %v", err)
	}
	err := st.View(ctx, func(r *strkv.Reader) error {
		_, err := Open(r, 0, []byte("str"))
		return err
	})
	if !errors.Is(err, ErrWrongType) {
		t.Fatalf("open a string: %v", err)
	}
}

// TestCoverKeepsRedisResults compares searches that read only the cover's
// parts of Redis's cells with searches that read the whole cells, over
// random shapes everywhere on the map, the poles' latitudes and the
// antimeridian included: the results, and their order, must be the same,
// and the cover must never read more.
func TestCoverKeepsRedisResults(t *testing.T) {
	st := newStore(t)
	rng := rand.New(rand.NewPCG(13, 14))
	var locs []Location
	add := func(p Point) {
		locs = append(locs, Location{Member: []byte("c" + strconv.Itoa(len(locs))), Point: p})
	}
	for i := 0; i < 15000; i++ {
		add(Point{Lon: rng.Float64()*360 - 180, Lat: rng.Float64()*2*MaxLat - MaxLat})
	}
	for _, c := range []Point{{2.35, 48.85}, {179.9, 70}, {-179.95, -84}, {0, 85}, {100, 0}} {
		for i := 0; i < 2000; i++ {
			p := randomNear(rng, c, 50)
			p.Lat = max(min(p.Lat, MaxLat), MinLat)
			if p.Lon > 180 {
				p.Lon -= 360
			}
			if p.Lon < -180 {
				p.Lon += 360
			}
			add(p)
		}
	}
	add(Point{MaxLon, MaxLat})
	add(Point{MinLon, MinLat})
	load(t, st, "cover", locs)
	view(t, st, "cover", func(s zsetkv.Set) {
		defer func() { useCover = true }()
		fewer := 0
		for i := 0; i < 1500; i++ {
			c := locs[rng.IntN(len(locs))].Point
			if i%3 == 0 {
				c = Point{Lon: rng.Float64()*360 - 180, Lat: rng.Float64()*2*MaxLat - MaxLat}
			}
			if i%7 == 0 {
				c.Lat = math.Copysign(MaxLat, c.Lat)
			}
			meters := math.Pow(10, rng.Float64()*7)
			q := Query{Center: c, Shape: Shape{Radius: meters / 1000, Unit: 1000}}
			if i%2 == 1 {
				q.Shape = Shape{Box: true, Width: meters, Height: math.Pow(10, rng.Float64()*7), Unit: 1}
			}
			switch i % 4 {
			case 1:
				q.Order, q.Count = Ascending, int64(1+rng.IntN(20))
			case 2:
				q.Count, q.Any = int64(1+rng.IntN(20)), true
			case 3:
				q.Order = Descending
			}
			useCover = true
			with, err := Search(s, q)
			if err != nil {
				t.Fatal(err)
			}
			useCover = false
			without, err := Search(s, q)
			if err != nil {
				t.Fatal(err)
			}
			if len(with.Matches) != len(without.Matches) || with.Read > without.Read {
				t.Fatalf("%+v: %d matches reading %d with the cover, %d reading %d without",
					q, len(with.Matches), with.Read, len(without.Matches), without.Read)
			}
			if with.Read < without.Read {
				fewer++
			}
			for j := range with.Matches {
				a, b := with.Matches[j], without.Matches[j]
				if !bytes.Equal(a.Member, b.Member) || a.Dist != b.Dist {
					t.Fatalf("%+v: result %d is %s with the cover, %s without", q, j, a.Member, b.Member)
				}
			}
		}
		t.Logf("the cover read fewer entries in %d of 1500 searches", fewer)
		if fewer < 300 {
			t.Fatalf("the cover read fewer entries in only %d searches", fewer)
		}
	})
}
