package resp

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// This file checks the GEO commands side by side with a real
// redis-server on a large seeded random data set, and across the nodes of
// a cluster. The fixed edge cases are in testdata/compat/geo.txt.

// geoPair is one raw connection to Redis and one to Aspen, fed the same
// commands.
type geoPair struct {
	t          *testing.T
	ref, ours  *rawConn
	compared   int
	mismatches int
}

// do sends args to both servers and fails the test when the replies
// differ byte for byte.
func (p *geoPair) do(args ...string) string {
	p.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	p.ref.nc.SetDeadline(deadline)
	p.ours.nc.SetDeadline(deadline)
	p.ref.send(args)
	p.ours.send(args)
	want, got := p.ref.mustReply(), p.ours.mustReply()
	p.compared++
	if got != want {
		p.mismatches++
		if p.mismatches <= 10 {
			p.t.Errorf("%q:\n got  %.2000s\n want %.2000s", args, got, want)
		}
	}
	return want
}

// load sends pipelined commands to both servers and checks that every
// reply matches.
func (p *geoPair) load(cmds [][]string) {
	p.t.Helper()
	deadline := time.Now().Add(120 * time.Second)
	p.ref.nc.SetDeadline(deadline)
	p.ours.nc.SetDeadline(deadline)
	p.ref.send(cmds...)
	p.ours.send(cmds...)
	for _, c := range cmds {
		want, got := p.ref.mustReply(), p.ours.mustReply()
		if got != want {
			p.t.Fatalf("%.200q: got %s, want %s", c, got, want)
		}
	}
}

// geoFloat formats a random coordinate or length with a random number
// of digits, as clients send them.
func geoFloat(rng *rand.Rand, f float64) string {
	switch rng.IntN(4) {
	case 0:
		return strconv.FormatFloat(f, 'f', 2, 64)
	case 1:
		return strconv.FormatFloat(f, 'f', 6, 64)
	default:
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
}

// TestGeoRandomAgainstRedis loads the same seeded points into Aspen and
// redis-server, 12,000 over the whole globe, a dense city cluster with
// repeated positions, and points on the map's edges, then runs several
// hundred GEOSEARCH, GEORADIUS, GEORADIUSBYMEMBER, GEODIST, GEOHASH and
// GEOPOS calls with random options in RESP2 and RESP3, and the STORE
// forms: every reply must be identical.
func TestGeoRandomAgainstRedis(t *testing.T) {
	redisAddr := startRedis(t)
	ts := startServer(t, nil)
	seed := uint64(20261129)
	if s := testingSeed(); s != 0 {
		seed = s
	}
	t.Logf("seed %d (GEO_SEED overrides it)", seed)
	rng := rand.New(rand.NewPCG(seed, 4))

	p := &geoPair{t: t, ref: dialRaw(t, redisAddr), ours: dialRaw(t, ts.addr)}
	p3 := &geoPair{t: t, ref: dialRaw(t, redisAddr), ours: dialRaw(t, ts.addr)}
	p.do("FLUSHALL")
	p3.ref.send([]string{"HELLO", "3"})
	p3.ours.send([]string{"HELLO", "3"})
	p3.ref.mustReply()
	p3.ours.mustReply()

	const key = "geo:world"
	var members []string
	var cmds [][]string
	batch := []string{"GEOADD", key}
	add := func(lon, lat float64) {
		m := "m" + strconv.Itoa(len(members))
		members = append(members, m)
		batch = append(batch, geoFloat(rng, lon), geoFloat(rng, lat), m)
		if len(batch) >= 2+3*400 {
			cmds = append(cmds, batch)
			batch = []string{"GEOADD", key}
		}
	}
	// The globe, uniform on the sphere within the map's latitudes.
	for len(members) < 12000 {
		lat := math.Asin(2*rng.Float64()-1) * 180 / math.Pi
		if math.Abs(lat) > 85.05 {
			continue
		}
		add(rng.Float64()*360-180, lat)
	}
	// A city: 3,000 points within a few kilometres of Paris, some on the
	// same spot.
	const cityLon, cityLat = 2.3522, 48.8566
	for i := 0; i < 3000; i++ {
		if i%10 == 0 && i > 0 {
			add(cityLon+float64(i%7)*0.001, cityLat)
			continue
		}
		r := 5000 * math.Sqrt(rng.Float64()) / 111000
		a := rng.Float64() * 2 * math.Pi
		add(cityLon+r*math.Cos(a)/math.Cos(cityLat*math.Pi/180), cityLat+r*math.Sin(a))
	}
	// The edges: the antimeridian and the latitude limits.
	for i := 0; i < 200; i++ {
		lon := 180 - rng.Float64()*0.01
		if i%2 == 0 {
			lon = -lon
		}
		lat := rng.Float64()*170 - 85
		if i%5 == 0 {
			lat = math.Copysign(85.05112878-rng.Float64()*0.001, lat)
		}
		add(lon, lat)
	}
	cmds = append(cmds, batch)
	p.load(cmds)
	p.do("ZCARD", key)

	units := []string{"m", "km", "mi", "ft", "KM"}
	unitMeters := map[string]float64{"m": 1, "km": 1000, "mi": 1609.34, "ft": 0.3048, "KM": 1000}
	// radius returns a random length in unit, log-uniform from meters to
	// across the globe, sometimes zero.
	radius := func(unit string) string {
		if rng.IntN(40) == 0 {
			return "0"
		}
		m := math.Pow(10, rng.Float64()*7.5)
		return geoFloat(rng, m/unitMeters[unit])
	}
	center := func() (lon, lat float64) {
		switch rng.IntN(4) {
		case 0:
			return cityLon + (rng.Float64()-0.5)*0.1, cityLat + (rng.Float64()-0.5)*0.06
		case 1:
			return 180 - rng.Float64()*0.5, rng.Float64()*170 - 85
		default:
			return rng.Float64()*360 - 180, rng.Float64()*170 - 85
		}
	}
	member := func() string {
		if rng.IntN(30) == 0 {
			return "nosuch"
		}
		if rng.IntN(3) == 0 {
			return members[12000+rng.IntN(3000)] // the city
		}
		return members[rng.IntN(len(members))]
	}
	options := func(store bool) []string {
		var o []string
		if !store {
			for _, w := range []string{"WITHDIST", "WITHHASH", "WITHCOORD"} {
				if rng.IntN(2) == 0 {
					o = append(o, w)
				}
			}
		}
		switch rng.IntN(3) {
		case 0:
			o = append(o, "ASC")
		case 1:
			o = append(o, "DESC")
		}
		if rng.IntN(2) == 0 {
			o = append(o, "COUNT", strconv.Itoa(1+rng.IntN(60)))
			if rng.IntN(3) == 0 {
				o = append(o, "ANY")
			}
		}
		rng.Shuffle(len(o), func(i, j int) {
			// Keep COUNT next to its number.
			if o[i] == "COUNT" || o[j] == "COUNT" || isDigits(o[i]) || isDigits(o[j]) {
				return
			}
			o[i], o[j] = o[j], o[i]
		})
		return o
	}
	searches := 0
	for i := 0; i < 500; i++ {
		pair := p
		if i%4 == 3 {
			pair = p3
		}
		unit := units[rng.IntN(len(units))]
		lon, lat := center()
		var args []string
		switch k := rng.IntN(12); {
		case k < 5: // GEOSEARCH
			args = []string{"GEOSEARCH", key}
			if rng.IntN(3) == 0 {
				args = append(args, "FROMMEMBER", member())
			} else {
				args = append(args, "FROMLONLAT", geoFloat(rng, lon), geoFloat(rng, lat))
			}
			if rng.IntN(2) == 0 {
				args = append(args, "BYRADIUS", radius(unit), unit)
			} else {
				args = append(args, "BYBOX", radius(unit), radius(unit), unit)
			}
			args = append(args, options(false)...)
			searches++
		case k < 7: // GEORADIUS and GEORADIUS_RO
			name := []string{"GEORADIUS", "GEORADIUS_RO"}[rng.IntN(2)]
			args = append([]string{name, key, geoFloat(rng, lon), geoFloat(rng, lat), radius(unit), unit}, options(false)...)
			searches++
		case k < 8: // GEORADIUSBYMEMBER and its _RO form
			name := []string{"GEORADIUSBYMEMBER", "GEORADIUSBYMEMBER_RO"}[rng.IntN(2)]
			args = append([]string{name, key, member(), radius(unit), unit}, options(false)...)
			searches++
		case k < 9:
			args = []string{"GEODIST", key, member(), member()}
			if rng.IntN(2) == 0 {
				args = append(args, unit)
			}
		case k < 10:
			args = []string{"GEOHASH", key}
			for j := rng.IntN(6); j >= 0; j-- {
				args = append(args, member())
			}
		case k < 11:
			args = []string{"GEOPOS", key}
			for j := rng.IntN(6); j >= 0; j-- {
				args = append(args, member())
			}
		default: // the STORE forms, then the stored set
			dst := "geo:dst"
			switch rng.IntN(3) {
			case 0:
				args = []string{"GEOSEARCHSTORE", dst, key, "FROMLONLAT", geoFloat(rng, lon), geoFloat(rng, lat), "BYRADIUS", radius(unit), unit}
				if rng.IntN(2) == 0 {
					args = append(args, "STOREDIST")
				}
			case 1:
				args = []string{"GEORADIUS", key, geoFloat(rng, lon), geoFloat(rng, lat), radius(unit), unit,
					[]string{"STORE", "STOREDIST"}[rng.IntN(2)], dst}
			default:
				args = []string{"GEORADIUSBYMEMBER", key, member(), radius(unit), unit,
					[]string{"STORE", "STOREDIST"}[rng.IntN(2)], dst}
			}
			args = append(args, options(true)...)
			pair.do(args...)
			args = []string{"ZRANGE", dst, "0", "-1", "WITHSCORES"}
		}
		pair.do(args...)
	}
	// Ties: searches around the city's repeated positions, where many
	// members are at the same distance and COUNT cuts through them (the
	// partial sort's order), in both directions.
	for i := 0; i < 60; i++ {
		m := members[12000+10*(1+rng.IntN(299))]
		args := []string{"GEOSEARCH", key, "FROMMEMBER", m, "BYRADIUS", geoFloat(rng, 1+rng.Float64()*2000), "m",
			[]string{"ASC", "DESC"}[i%2], "COUNT", strconv.Itoa(1 + rng.IntN(80))}
		if i%3 == 0 {
			args = append(args, "WITHDIST")
		}
		p.do(args...)
		searches++
	}
	// High latitudes and the antimeridian, where the longitude span of a
	// shape grows fastest and wraps.
	for i := 0; i < 120; i++ {
		lat := 70 + rng.Float64()*15.05
		if i%2 == 0 {
			lat = -lat
		}
		lon := 180 - rng.Float64()*3
		if i%3 == 0 {
			lon = -lon
		}
		unit := units[rng.IntN(len(units))]
		args := []string{"GEOSEARCH", key, "FROMLONLAT", geoFloat(rng, lon), geoFloat(rng, lat)}
		r := geoFloat(rng, math.Pow(10, 3+rng.Float64()*3.5)/unitMeters[unit])
		if i%4 < 2 {
			args = append(args, "BYRADIUS", r, unit)
		} else {
			args = append(args, "BYBOX", r, geoFloat(rng, math.Pow(10, 3+rng.Float64()*3.5)/unitMeters[unit]), unit)
		}
		args = append(args, "WITHDIST")
		if i%5 == 0 {
			args = append(args, "COUNT", "5", "ANY")
		}
		p.do(args...)
		searches++
	}
	total := p.compared + p3.compared
	t.Logf("%d replies compared (%d searches)", total, searches)
	if total < 500 || searches < 200 {
		t.Fatalf("only %d replies (%d searches) compared", total, searches)
	}
}

func isDigits(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// testingSeed returns GEO_SEED from the environment, or 0.
func testingSeed() uint64 {
	s, _ := strconv.ParseUint(os.Getenv("GEO_SEED"), 10, 64)
	return s
}

// TestGeoAcrossNodes adds positions through one node of a two-node
// cluster and searches through the other, both ways: every node must
// reply the same.
func TestGeoAcrossNodes(t *testing.T) {
	base := t.TempDir()
	n1 := startClusterNode(t, "n1", filepath.Join(base, "n1"), "")
	deadline := time.Now().Add(20 * time.Second)
	for !n1.store.IsLeader() {
		if time.Now().After(deadline) {
			t.Fatal("n1 never became leader")
		}
		time.Sleep(20 * time.Millisecond)
	}
	n2 := startClusterNode(t, "n2", filepath.Join(base, "n2"), n1.http)
	ctx := ctxT(t)
	c1, c2 := blockClient(t, n1.addr, 0), blockClient(t, n2.addr, 0)

	search := []any{"GEOSEARCH", "cities", "FROMLONLAT", 2.35, 48.85, "BYRADIUS", 1000, "km", "ASC", "WITHDIST", "WITHCOORD", "WITHHASH"}
	nodes := map[string]*redis.Client{"n1": c1, "n2": c2}
	for _, step := range []struct {
		via  string
		args []any
	}{
		{"n1", []any{"GEOADD", "cities", 2.3522, 48.8566, "Paris", -0.1276, 51.5072, "London"}},
		{"n2", []any{"GEOADD", "cities", 4.9041, 52.3676, "Amsterdam", 13.405, 52.52, "Berlin"}},
		{"n2", []any{"GEOSEARCHSTORE", "near", "cities", "FROMMEMBER", "Paris", "BYRADIUS", 500, "km", "STOREDIST"}},
		{"n1", []any{"ZREM", "cities", "London"}},
	} {
		if err := nodes[step.via].Do(ctx, step.args...).Err(); err != nil {
			t.Fatalf("%v via %s: %v", step.args, step.via, err)
		}
		r1, err1 := c1.Do(ctx, search...).Result()
		r2, err2 := c2.Do(ctx, search...).Result()
		if err1 != nil || err2 != nil || fmt.Sprint(r1) != fmt.Sprint(r2) {
			t.Fatalf("after %v via %s: n1 %v, %v; n2 %v, %v", step.args, step.via, r1, err1, r2, err2)
		}
		s1, err1 := c1.Do(ctx, "ZRANGE", "near", 0, -1, "WITHSCORES").Result()
		s2, err2 := c2.Do(ctx, "ZRANGE", "near", 0, -1, "WITHSCORES").Result()
		if err1 != nil || err2 != nil || fmt.Sprint(s1) != fmt.Sprint(s2) {
			t.Fatalf("stored results differ: n1 %v, %v; n2 %v, %v", s1, err1, s2, err2)
		}
	}
	got, err := c2.Do(ctx, "GEOSEARCH", "cities", "FROMLONLAT", 2.35, 48.85, "BYRADIUS", 1000, "km", "ASC").Result()
	if err != nil || fmt.Sprint(got) != "[Paris Amsterdam Berlin]" {
		t.Fatalf("final search on n2: %v, %v", got, err)
	}
	stored, err := c1.Do(ctx, "ZRANGE", "near", 0, -1).Result()
	if err != nil || fmt.Sprint(stored) != "[Paris London Amsterdam]" {
		t.Fatalf("stored set on n1: %v, %v", stored, err)
	}
}

// TestGeoArgumentsAgainstRedis sends the search commands random argument
// lists drawn from their keywords, numbers good and bad, units, members
// and keys (an existing GEO key, a missing one, a string), to Aspen and
// redis-server: every reply, error or not, must be identical, which
// checks the order in which Redis validates its arguments.
func TestGeoArgumentsAgainstRedis(t *testing.T) {
	redisAddr := startRedis(t)
	ts := startServer(t, nil)
	rng := rand.New(rand.NewPCG(20261129, 5))
	p := &geoPair{t: t, ref: dialRaw(t, redisAddr), ours: dialRaw(t, ts.addr)}
	p.do("FLUSHALL")
	p.do("GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania", "13.5", "38", "m\x00x")
	p.do("SET", "s", "x")
	words := []string{"WITHDIST", "WITHHASH", "WITHCOORD", "withdist", "ANY", "ASC", "DESC", "COUNT", "STORE", "STOREDIST",
		"FROMMEMBER", "FROMLONLAT", "BYRADIUS", "BYBOX", "fromlonlat", "byradius", "bogus", "count\x00x",
		"1", "0", "-1", "200", "15", "37", "181", "abc", "", "1e400", "inf", "2.5", "99999999999999999999",
		"m", "km", "mi", "ft", "KM", "yd", "Palermo", "Catania", "nosuch", "m\x00x", "dst", "s"}
	keys := []string{"g", "nokey", "s"}
	word := func() string { return words[rng.IntN(len(words))] }
	for i := 0; i < 3000; i++ {
		var args []string
		switch rng.IntN(6) {
		case 0:
			args = []string{"GEORADIUS", keys[rng.IntN(3)], word(), word(), word(), word()}
		case 1:
			args = []string{"GEORADIUS_RO", keys[rng.IntN(3)], "15", "37", word(), word()}
		case 2:
			args = []string{"GEORADIUSBYMEMBER", keys[rng.IntN(3)], word(), word(), word()}
		case 3:
			args = []string{"GEORADIUSBYMEMBER_RO", keys[rng.IntN(3)], word(), "200", word()}
		case 4:
			args = []string{"GEOSEARCH", keys[rng.IntN(3)]}
		default:
			args = []string{"GEOSEARCHSTORE", []string{"dst", "s", "g2"}[rng.IntN(3)], keys[rng.IntN(3)]}
		}
		// Mostly well-formed clauses, with random words between them.
		for n := rng.IntN(5); n > 0; n-- {
			switch rng.IntN(6) {
			case 0:
				args = append(args, "FROMLONLAT", word(), word())
			case 1:
				args = append(args, "FROMMEMBER", word())
			case 2:
				args = append(args, "BYRADIUS", word(), word())
			case 3:
				args = append(args, "BYBOX", word(), word(), word())
			case 4:
				args = append(args, "COUNT", word())
			default:
				args = append(args, word())
			}
		}
		for len(args) < 8 && rng.IntN(2) == 0 {
			args = append(args, word())
		}
		p.do(args...)
		if i%50 == 0 {
			p.do("ZRANGE", "dst", "0", "-1", "WITHSCORES")
			p.do("TYPE", "s")
		}
	}
	if p.mismatches > 0 {
		t.Fatalf("%d of %d replies differ", p.mismatches, p.compared)
	}
}

// TestGeoCommandInfo compares the GEO commands' COMMAND INFO entries
// (arity, flags, key positions, ACL categories) with redis-server's.
func TestGeoCommandInfo(t *testing.T) {
	redisAddr := startRedis(t)
	ts := startServer(t, nil)
	ctx := ctxT(t)
	ref := redis.NewClient(&redis.Options{Addr: redisAddr})
	t.Cleanup(func() { ref.Close() })
	ours := ts.client(t)
	for _, name := range []string{"geoadd", "geopos", "geodist", "geohash", "georadius", "georadius_ro",
		"georadiusbymember", "georadiusbymember_ro", "geosearch", "geosearchstore"} {
		want, err := ref.Do(ctx, "COMMAND", "INFO", name).Slice()
		if err != nil {
			t.Fatal(err)
		}
		got, err := ours.Do(ctx, "COMMAND", "INFO", name).Slice()
		if err != nil {
			t.Fatal(err)
		}
		w, g := want[0].([]any), got[0].([]any)
		if fmt.Sprint(g[:7]) != fmt.Sprint(w[:7]) {
			t.Errorf("COMMAND INFO %s:\n got  %v\n want %v", name, g[:7], w[:7])
		}
	}
}
