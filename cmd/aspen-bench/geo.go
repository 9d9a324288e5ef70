package main

// This file holds aspen-bench's GEO workloads: a key of -geo-points
// positions (default 1,000,000; ASPEN_BENCH_GEO_POINTS sets the default)
// loaded once before the clock starts, then GEOSEARCH BYRADIUS of 1 km,
// 10 km or 100 km around random points of the data (-op geo-radius-1km,
// geo-radius-10km, geo-radius-100km), or GEOADD of new members to the
// same key (-op geo-add). The positions are seeded, so Aspen and Redis
// get the same data: half spread over the globe, half in 40 cities with
// a spread of tens of kilometres, where the searches are centred.
// geo-add adds new members near the cities to a key of its own,
// bench:geo:add, emptied first, so the searched key stays the same from
// one run to the next.
//
//	aspen-bench -addrs 127.0.0.1:6379 -op geo-radius-1km -clients 16 -duration 5s -geo-points 1000000

import (
	"context"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// The keys of the GEO workloads: the searched data set, and the key
// geo-add grows.
const (
	geoKey    = "bench:geo"
	geoAddKey = "bench:geo:add"
)

// geoPoints is the number of positions the GEO workloads load.
var geoPoints = flag.Int("geo-points", geoPointsDefault(), "geo workloads: positions loaded into "+geoKey+
	" (default from ASPEN_BENCH_GEO_POINTS, else 1000000)")

// geoCount is the COUNT of each search.
var geoCount = flag.Int("geo-count", 100, "geo-radius workloads: COUNT of each GEOSEARCH (0: all matches)")

func geoPointsDefault() int {
	if n, err := strconv.Atoi(os.Getenv("ASPEN_BENCH_GEO_POINTS")); err == nil && n > 0 {
		return n
	}
	return 1000000
}

func init() {
	for _, km := range []int{1, 10, 100} {
		workloads[fmt.Sprintf("geo-radius-%dkm", km)] = workload{probe: probeGeo, setup: setupGeoRadius(km)}
	}
	workloads["geo-add"] = workload{probe: probeGeo, setup: setupGeoAdd}
}

func probeGeo(ctx context.Context, c *redis.Client, _ *wlConfig) error {
	const k = "bench:probe:geo"
	return probeCmds(ctx, c, k, []any{"geoadd", k, 13.36, 38.11, "a"},
		[]any{"geosearch", k, "fromlonlat", 13, 38, "byradius", 100, "km", "asc", "count", 10})
}

// geoCities are the centres of the dense part of the data.
func geoCities() [][2]float64 {
	rng := rand.New(rand.NewPCG(42, 7))
	out := make([][2]float64, 40)
	for i := range out {
		out[i] = [2]float64{rng.Float64()*340 - 170, rng.Float64()*120 - 60}
	}
	return out
}

// geoPoint returns the i-th position of the data set.
func geoPoint(i int, cities [][2]float64) (lon, lat float64) {
	rng := rand.New(rand.NewPCG(uint64(i), 99))
	if i%2 == 0 {
		return rng.Float64()*360 - 180, math.Asin((2*rng.Float64()-1)*math.Sin(85*math.Pi/180)) * 180 / math.Pi
	}
	c := cities[rng.IntN(len(cities))]
	return geoNear(rng, c, 30)
}

// geoNear returns a position about km from c (normally distributed).
func geoNear(rng *rand.Rand, c [2]float64, km float64) (lon, lat float64) {
	lat = c[1] + rng.NormFloat64()*km/111
	lon = c[0] + rng.NormFloat64()*km/(111*math.Cos(c[1]*math.Pi/180))
	lat = max(-85, min(85, lat))
	lon = max(-180, min(180, lon))
	return lon, lat
}

// geoLoad fills geoKey with the data set unless it already holds it.
func geoLoad(ctx context.Context, c *redis.Client) error {
	n := *geoPoints
	if have, err := c.ZCard(ctx, geoKey).Result(); err == nil && have >= int64(n) {
		return nil
	}
	if err := c.Del(ctx, geoKey).Err(); err != nil {
		return err
	}
	cities := geoCities()
	const perCmd, perPipe = 500, 8
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	var next atomic.Int64
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				from := int(next.Add(perCmd*perPipe)) - perCmd*perPipe
				if from >= n {
					return
				}
				p := c.Pipeline()
				for b := from; b < min(from+perCmd*perPipe, n); b += perCmd {
					args := []any{"geoadd", geoKey}
					for i := b; i < min(b+perCmd, n); i++ {
						lon, lat := geoPoint(i, cities)
						args = append(args, lon, lat, "p:"+strconv.Itoa(i))
					}
					p.Do(ctx, args...)
				}
				if _, err := p.Exec(ctx); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return fmt.Errorf("load %d positions: %w", n, err)
	}
	fmt.Printf("  loaded %d positions into %s in %.1fs\n", n, geoKey, time.Since(start).Seconds())
	return nil
}

func setupGeoRadius(km int) func(context.Context, *redis.Client, *wlConfig) (stepFunc, func(context.Context) error, func(context.Context) string, error) {
	return func(ctx context.Context, c *redis.Client, _ *wlConfig) (stepFunc, func(context.Context) error, func(context.Context) string, error) {
		if err := geoLoad(ctx, c); err != nil {
			return nil, nil, nil, err
		}
		cities := geoCities()
		var found, searches atomic.Int64
		step := func(ctx context.Context, _ int, c *redis.Client, rng *rand.Rand, rec *recorder) {
			lon, lat := geoNear(rng, cities[rng.IntN(len(cities))], 30)
			args := []any{"geosearch", geoKey, "fromlonlat", lon, lat, "byradius", km, "km", "asc"}
			if *geoCount > 0 {
				args = append(args, "count", *geoCount)
			}
			t := time.Now()
			res, err := c.Do(ctx, args...).Slice()
			if err != nil {
				rec.fail(ctx, err)
				return
			}
			rec.done(t)
			found.Add(int64(len(res)))
			searches.Add(1)
		}
		check := func(context.Context) string {
			n := max(searches.Load(), 1)
			return fmt.Sprintf("%.1f members per search (COUNT %d), %d positions", float64(found.Load())/float64(n), *geoCount, *geoPoints)
		}
		return step, nil, check, nil
	}
}

func setupGeoAdd(ctx context.Context, c *redis.Client, _ *wlConfig) (stepFunc, func(context.Context) error, func(context.Context) string, error) {
	if err := c.Del(ctx, geoAddKey).Err(); err != nil {
		return nil, nil, nil, err
	}
	cities := geoCities()
	var seq atomic.Int64
	step := func(ctx context.Context, _ int, c *redis.Client, rng *rand.Rand, rec *recorder) {
		lon, lat := geoNear(rng, cities[rng.IntN(len(cities))], 30)
		t := time.Now()
		if err := c.GeoAdd(ctx, geoAddKey, &redis.GeoLocation{Name: "add:" + strconv.FormatInt(seq.Add(1), 10), Longitude: lon, Latitude: lat}).Err(); err != nil {
			rec.fail(ctx, err)
			return
		}
		rec.done(t)
	}
	check := func(ctx context.Context) string {
		n, err := c.ZCard(ctx, geoAddKey).Result()
		if err != nil {
			return "ZCARD: " + oneLine(err.Error())
		}
		return fmt.Sprintf("ZCARD=%d after %d GEOADDs", n, seq.Load())
	}
	return step, nil, check, nil
}
