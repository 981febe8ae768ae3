package index_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/index/synth"
	"github.com/sovereign-marketplace/market/listing"
)

// TestRadiusMatchesEveryListing: a radius query without text reads only
// the grid cells its box covers; it must find exactly the listings a walk
// over every one of them finds, near the antimeridian and the poles too,
// after listings moved and went.
func TestRadiusMatchesEveryListing(t *testing.T) {
	ix := openIndex(t, t.TempDir())
	g := synth.New(9)
	r := rand.New(rand.NewPCG(3, 3))
	edges := []listing.GeoPoint{{Lat: 0, Lon: 179.99}, {Lat: 0, Lon: -179.99}, {Lat: 0, Lon: 180}, {Lat: 0, Lon: -180},
		{Lat: 89.99, Lon: 10}, {Lat: 90, Lon: -170}, {Lat: -90, Lon: 0}, {Lat: -89.9, Lon: 179.5}, {Lat: 45.5, Lon: 7}}
	points := map[string]listing.GeoPoint{}
	put := func(i int, p listing.GeoPoint) {
		it := g.Listing(i)
		it.Listing.Location = &p
		it.Listing.LocationPref = listing.LocationLocal
		putSynth(t, ix, it)
		points[it.Listing.FederatedAPID] = p
	}
	random := func() listing.GeoPoint {
		if r.IntN(3) == 0 {
			e := edges[r.IntN(len(edges))]
			return listing.GeoPoint{Lat: max(-90, min(90, e.Lat+r.NormFloat64()*0.05)), Lon: max(-180, min(180, e.Lon+r.NormFloat64()*0.05))}
		}
		return listing.GeoPoint{Lat: r.Float64()*180 - 90, Lon: r.Float64()*360 - 180}
	}
	const n = 400
	for i := 0; i < n; i++ {
		put(i, random())
	}
	for i := 0; i < n; i += 4 { // moved
		put(i, random())
	}
	for i := 1; i < n; i += 9 { // gone
		id := g.Listing(i).Listing.FederatedAPID
		if err := ix.Delete(id); err != nil {
			t.Fatal(err)
		}
		delete(points, id)
	}
	if err := ix.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	centres := append([]listing.GeoPoint{}, edges...)
	for i := 0; i < 30; i++ {
		centres = append(centres, random())
	}
	checked := 0
	for _, c := range centres {
		for _, km := range []float64{5, 50, 500, 3000, 20000} {
			var want []string
			for id, p := range points {
				if index.DistanceKm(c.Lat, c.Lon, p.Lat, p.Lon) <= km {
					want = append(want, id)
				}
			}
			sort.Strings(want)
			var got []string
			q := index.Query{Near: &index.GeoPoint{Lat: c.Lat, Lon: c.Lon}, RadiusKm: km, Limit: index.MaxLimit}
			for {
				res := search(t, ix, q)
				got = append(got, ids(res)...)
				if res.NextCursor == "" {
					break
				}
				q.Cursor = res.NextCursor
			}
			sort.Strings(got)
			if !slices.Equal(got, want) {
				t.Errorf("%v within %v km: %d listings %v..., want %d", c, km, len(got), head(got), len(want))
			}
			checked += len(want)
		}
	}
	if checked == 0 {
		t.Fatal("no query found any listing: the test checks nothing")
	}
}

func head(ids []string) []string { return ids[:min(len(ids), 3)] }
