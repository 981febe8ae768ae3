package index_test

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/index/synth"
	"github.com/sovereign-marketplace/market/listing"
)

// The benchmarks build (or reuse, with -bench.dir) an index of
// -bench.listings synthetic listings, then time each query kind and report
// p50/p95/p99 in milliseconds. Run them with
//
//	go test ./index/ -run '^$' -bench . -benchtime 300x -bench.dir /tmp/ix100k
var (
	benchListings = flag.Int("bench.listings", 100000, "listings in the benchmark index")
	benchDir      = flag.String("bench.dir", "", "keep the benchmark index here and reuse it across runs")
)

var (
	benchOnce sync.Once
	benchIx   *index.Index
	benchErr  error
)

func benchIndex(b *testing.B) *index.Index {
	benchOnce.Do(func() {
		dir := *benchDir
		if dir == "" {
			dir, benchErr = os.MkdirTemp("", "index-bench-")
			if benchErr != nil {
				return
			}
		}
		benchIx, benchErr = index.Open(dir, index.Options{})
		if benchErr != nil {
			return
		}
		n, _ := benchIx.Count()
		if int(n) >= *benchListings {
			return
		}
		if benchIx.NeedsRebuild() {
			benchErr = benchIx.Rebuild(context.Background(), func(yield func(*listing.Listing, index.Meta) error) error { return nil })
			if benchErr != nil {
				return
			}
		}
		g := synth.New(42)
		start := time.Now()
		raw := 0
		for i := int(n); i < *benchListings; i++ {
			it := g.Listing(i)
			raw += it.TextBytes()
			if benchErr = benchIx.Put(it.Listing, index.Meta{SellerName: it.SellerName, SellerHost: it.SellerHost, Received: it.Received}); benchErr != nil {
				return
			}
		}
		benchErr = benchIx.Flush(context.Background())
		el := time.Since(start)
		fmt.Printf("built %d listings in %v: %.0f listings/s\n", *benchListings-int(n), el.Round(time.Millisecond), float64(*benchListings-int(n))/el.Seconds())
		_ = raw
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchIx
}

func report(b *testing.B, lat []time.Duration, totals uint64) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 {
		return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(totals)/float64(len(lat)), "hits/op")
}

func runQueries(b *testing.B, qs []index.Query) {
	ix := benchIndex(b)
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	var totals uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := qs[i%len(qs)]
		start := time.Now()
		res, err := ix.Search(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		totals += res.Total
	}
	b.StopTimer()
	report(b, lat, totals)
}

func textQueries() []index.Query {
	var qs []index.Query
	for _, t := range synth.New(7).TextQueries(200) {
		qs = append(qs, index.Query{Text: t})
	}
	return qs
}

// BenchmarkSearchText is a text query, top 20 by relevance.
func BenchmarkSearchText(b *testing.B) { runQueries(b, textQueries()) }

// BenchmarkSearchFiltered is a text query with two filters and all facets.
func BenchmarkSearchFiltered(b *testing.B) {
	r := rand.New(rand.NewPCG(9, 9))
	qs := textQueries()
	for i := range qs {
		reg := synth.Regions[r.IntN(len(synth.Regions))].Code
		qs[i].Types = []string{string(listing.Types[r.IntN(len(listing.Types))])}
		if i%2 == 0 {
			qs[i].Region = reg[:2]
		} else {
			qs[i].PriceTypes = []string{"fixed"}
		}
		qs[i].Facets = true
	}
	runQueries(b, qs)
}

// BenchmarkSearchBrowse is no text, all facets, newest first, sometimes
// with one filter.
func BenchmarkSearchBrowse(b *testing.B) {
	r := rand.New(rand.NewPCG(10, 10))
	var qs []index.Query
	for i := 0; i < 200; i++ {
		q := index.Query{Facets: true}
		switch i % 4 {
		case 1:
			q.Types = []string{string(listing.Types[r.IntN(len(listing.Types))])}
		case 2:
			q.Region = synth.Regions[r.IntN(len(synth.Regions))].Code[:2]
		case 3:
			q.Sort = index.SortPriceAsc
			q.Currency = "USD"
			max := int64(10000)
			q.PriceMax = &max
		}
		qs = append(qs, q)
	}
	runQueries(b, qs)
}

// BenchmarkSearchGeo is a radius query around a region's city with all
// facets; every fourth one has text too.
func BenchmarkSearchGeo(b *testing.B) {
	r := rand.New(rand.NewPCG(11, 11))
	texts := synth.New(7).TextQueries(50)
	var qs []index.Query
	for i := 0; i < 200; i++ {
		reg := synth.Regions[r.IntN(len(synth.Regions))]
		q := index.Query{Near: &index.GeoPoint{Lat: reg.Lat + r.NormFloat64()*0.5, Lon: reg.Lon + r.NormFloat64()*0.5}, RadiusKm: []float64{10, 50, 200, 500}[r.IntN(4)], Facets: true}
		if i%4 == 0 {
			q.Text = texts[i%len(texts)]
		}
		qs = append(qs, q)
	}
	runQueries(b, qs)
}

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

var _ = strconv.Itoa
