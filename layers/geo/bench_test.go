package geo

import (
	"context"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/aspen-db/aspen/layers/strkv"
)

// BenchmarkSearch measures Redis-compatible searches of 1, 10 and 100 km
// in a key of 100,000 positions clustered around one region, and the
// nearest-neighbour search.
func BenchmarkSearch(b *testing.B) {
	st := newStoreTB(b)
	rng := rand.New(rand.NewPCG(11, 12))
	region := Point{Lon: 10, Lat: 45}
	locs := make([]Location, 100000)
	for i := range locs {
		locs[i] = Location{Member: []byte("p" + strconv.Itoa(i)), Point: randomNear(rng, region, 150)}
	}
	for i := 0; i < len(locs); i += 5000 {
		m, err := AddOp(0, []byte("big"), AddOptions{}, locs[i:min(i+5000, len(locs))])
		if err != nil {
			b.Fatal(err)
		}
		if _, err := st.Run(context.Background(), m); err != nil {
			b.Fatal(err)
		}
	}
	for _, km := range []float64{1, 10, 100} {
		b.Run(strconv.FormatFloat(km, 'g', -1, 64)+"km", func(b *testing.B) {
			found, read, scans := 0, 0, 0
			for i := 0; i < b.N; i++ {
				c := randomNear(rng, region, 100)
				err := st.View(context.Background(), func(r *strkv.Reader) error {
					s, err := Open(r, 0, []byte("big"))
					if err != nil {
						return err
					}
					res, err := Search(s, Query{Center: c, Shape: Shape{Radius: km, Unit: 1000}, Order: Ascending, Count: 100})
					found += len(res.Matches)
					read += res.Read
					scans += res.Scans
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(found)/float64(b.N), "found/op")
			b.ReportMetric(float64(read)/float64(b.N), "read/op")
			b.ReportMetric(float64(scans)/float64(b.N), "scans/op")
		})
	}
	// The search alone: one read snapshot for every search, so that the
	// figure is the search's own cost (as in a server's pipelined reads).
	b.Run("1km-search-only", func(b *testing.B) {
		err := st.View(context.Background(), func(r *strkv.Reader) error {
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				c := randomNear(rng, region, 100)
				s, err := Open(r, 0, []byte("big"))
				if err != nil {
					return err
				}
				if _, err := Search(s, Query{Center: c, Shape: Shape{Radius: 1, Unit: 1000}, Order: Ascending, Count: 100}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	})
	b.Run("nearest10", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			c := randomNear(rng, region, 100)
			err := st.View(context.Background(), func(r *strkv.Reader) error {
				s, err := Open(r, 0, []byte("big"))
				if err != nil {
					return err
				}
				_, err = Nearest(s, c, 10)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}
