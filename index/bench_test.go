package index_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
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
	benchParts    = flag.Int("bench.parts", 0, "Options.SearchParts of the benchmark index (0: the default)")
)

var (
	benchOnce sync.Once
	benchIx   *index.Index
	benchErr  error
)

func benchIndex(b testing.TB) *index.Index {
	benchOnce.Do(func() {
		dir := *benchDir
		if dir == "" {
			dir, benchErr = os.MkdirTemp("", "index-bench-")
			if benchErr != nil {
				return
			}
		}
		benchIx, benchErr = index.Open(dir, index.Options{SearchParts: *benchParts})
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
		rate, lat, raw := ingest(nil, benchIx, int(n), *benchListings, 0)
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		fmt.Printf("built %d listings: %.0f listings/s, searchable p95 %v, index %d MB for %d MB text (%.2fx)\n",
			*benchListings-int(n), rate, lat[len(lat)*95/100].Round(time.Millisecond), dirSize(dir)>>20, raw>>20, float64(dirSize(dir))/float64(raw))
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchIx
}

// report adds the latency percentiles, the CPU time a query took in the
// process (mean and worst; on Linux), and the mean total of matches.
func report(b *testing.B, lat, cpu []time.Duration, totals uint64) {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return ms(lat[int(p*float64(len(lat)-1))]) }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	var sum, worst time.Duration
	for _, c := range cpu {
		sum += c
		worst = max(worst, c)
	}
	if sum > 0 {
		b.ReportMetric(ms(sum)/float64(len(cpu)), "cpu-ms/op")
		b.ReportMetric(ms(worst), "cpu-max-ms")
	}
	b.ReportMetric(float64(totals)/float64(len(lat)), "hits/op")
}

func runQueries(b *testing.B, qs []index.Query) {
	ix := benchIndex(b)
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	cpu := make([]time.Duration, 0, b.N)
	var totals uint64
	refused := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := qs[i%len(qs)]
		start, c0 := time.Now(), processCPU()
		res, err := ix.Search(ctx, q)
		if errors.Is(err, index.ErrInvalidQuery) {
			// At a million listings some phrases of the generated text
			// cost too much to check; they are counted, not timed.
			refused++
			continue
		}
		if err != nil {
			b.Fatal(err)
		}
		cpu = append(cpu, processCPU()-c0)
		lat = append(lat, time.Since(start))
		totals += res.Total
	}
	b.StopTimer()
	if len(lat) == 0 {
		b.Fatalf("all %d queries refused as invalid", refused)
	}
	report(b, lat, cpu, totals)
	b.ReportMetric(float64(refused)/float64(b.N), "refused/op")
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

// BenchmarkSearchTextFacets is a text query with all facets and no
// filter: facets are counted exactly while walking every match.
func BenchmarkSearchTextFacets(b *testing.B) {
	qs := textQueries()
	for i := range qs {
		qs[i].Facets = true
	}
	runQueries(b, qs)
}

// BenchmarkSearchHeavy runs the costliest text queries the index takes
// (synth.HeavyTextQueries: at the limits on phrases and exclusions, of the
// commonest words) with all facets, by relevance, newest and price: the
// worst CPU time of one query (cpu-max-ms) should stay near 100 ms.
func BenchmarkSearchHeavy(b *testing.B) {
	var qs []index.Query
	for _, sort := range []string{"", index.SortNewest, index.SortPriceAsc} {
		for _, text := range synth.HeavyTextQueries() {
			qs = append(qs, index.Query{Text: text, Sort: sort, Facets: true})
		}
	}
	runQueries(b, qs)
}

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

// BenchmarkIngest puts -bench.ingest listings into a fresh index as fast
// as Put takes them and reports listings per second and, for one listing
// in 100, the time from Put to searchable.
func BenchmarkIngest(b *testing.B) {
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		ix, err := index.Open(dir, index.Options{})
		if err != nil {
			b.Fatal(err)
		}
		rate, lat, raw := ingest(b, ix, 0, *benchIngest, 0)
		size := dirSize(dir)
		ix.Close()
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		b.ReportMetric(rate, "listings/s")
		b.ReportMetric(float64(lat[len(lat)*95/100].Milliseconds()), "searchable-p95-ms")
		b.ReportMetric(float64(size)/float64(raw), "size/raw")
	}
}

var benchIngest = flag.Int("bench.ingest", 20000, "listings BenchmarkIngest puts")

// BenchmarkIngestPaced puts -bench.paced more listings into the benchmark
// index at -bench.rate listings per second, the way a relay's inbox
// would, and reports the time from Put to searchable.
func BenchmarkIngestPaced(b *testing.B) {
	ix := benchIndex(b)
	for i := 0; i < b.N; i++ {
		n, _ := ix.Count()
		rate, lat, _ := ingest(b, ix, int(n), int(n)+*benchPaced, *benchRate)
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		b.ReportMetric(rate, "listings/s")
		b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "searchable-p50-ms")
		b.ReportMetric(float64(lat[len(lat)*95/100].Milliseconds()), "searchable-p95-ms")
	}
}

var (
	benchPaced = flag.Int("bench.paced", 10000, "listings BenchmarkIngestPaced puts")
	benchRate  = flag.Float64("bench.rate", 1000, "listings per second BenchmarkIngestPaced puts")
)

// ingest puts listings from..to-1 (at rate per second when rate > 0) and
// returns the rate achieved, time-to-searchable samples and the raw text
// bytes put.
func ingest(b testing.TB, ix *index.Index, from, to int, rate float64) (float64, []time.Duration, int) {
	g := synth.New(42)
	type probe struct {
		tag string
		at  time.Time
	}
	probes := make(chan probe, 1000)
	var lat []time.Duration
	done := make(chan struct{})
	go func() {
		defer close(done)
		for p := range probes {
			for {
				res, err := ix.Search(context.Background(), index.Query{Tags: []string{p.tag}, Limit: 1})
				if err != nil {
					panic(err)
				}
				if res.Total > 0 {
					lat = append(lat, time.Since(p.at))
					break
				}
				time.Sleep(5 * time.Millisecond)
			}
		}
	}()
	start := time.Now()
	raw := 0
	for i := from; i < to; i++ {
		if rate > 0 {
			if ahead := time.Duration(float64(i-from)/rate*float64(time.Second)) - time.Since(start); ahead > 0 {
				time.Sleep(ahead)
			}
		}
		it := g.Listing(i)
		raw += it.TextBytes()
		var p *probe
		if i%100 == 0 {
			p = &probe{tag: "probe" + strconv.Itoa(i)}
			it.Listing.Tags = append(it.Listing.Tags, p.tag)
		}
		if err := ix.Put(it.Listing, synthMeta(it)); err != nil {
			panic(err)
		}
		if p != nil {
			p.at = time.Now()
			probes <- *p
		}
	}
	if err := ix.Flush(context.Background()); err != nil {
		panic(err)
	}
	el := time.Since(start)
	close(probes)
	<-done
	return float64(to-from) / el.Seconds(), lat, raw
}

// BenchmarkSearchParallel runs the four query kinds from 8 concurrent
// clients and reports queries per second.
func BenchmarkSearchParallel(b *testing.B) {
	ix := benchIndex(b)
	var qs []index.Query
	for i, q := range textQueries() {
		qs = append(qs, q)
		f := q
		f.Types, f.Region, f.Facets = []string{"service", "physical"}, synth.Regions[i%len(synth.Regions)].Code[:2], true
		qs = append(qs, f, index.Query{Facets: true})
		reg := synth.Regions[i%len(synth.Regions)]
		qs = append(qs, index.Query{Near: &index.GeoPoint{Lat: reg.Lat, Lon: reg.Lon}, RadiusKm: 100, Facets: true})
	}
	var next atomic.Int64
	b.SetParallelism(8 / runtime.GOMAXPROCS(0))
	start := time.Now()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			q := qs[int(next.Add(1))%len(qs)]
			_, err := ix.Search(context.Background(), q)
			if errors.Is(err, index.ErrInvalidQuery) {
				continue // refused as too costly at this size, as runQueries counts them
			}
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "queries/s")
}

// BenchmarkRebuild replaces the benchmark index's content with
// -bench.listings synthetic listings through Rebuild.
func BenchmarkRebuild(b *testing.B) {
	ix := benchIndex(b)
	for i := 0; i < b.N; i++ {
		g := synth.New(42)
		start := time.Now()
		err := ix.Rebuild(context.Background(), func(yield func(*listing.Listing, index.Meta) error) error {
			for j := 0; j < *benchListings; j++ {
				it := g.Listing(j)
				if err := yield(it.Listing, synthMeta(it)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(*benchListings)/time.Since(start).Seconds(), "listings/s")
	}
}

// BenchmarkSearchWhileIngesting runs the text and browse query sets while
// listings arrive at -bench.rate per second, as on a live relay: searches
// share the index with the batches being applied.
func BenchmarkSearchWhileIngesting(b *testing.B) {
	ix := benchIndex(b)
	n, _ := ix.Count()
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		g := synth.New(43)
		start := time.Now()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if ahead := time.Duration(float64(i)/(*benchRate)*float64(time.Second)) - time.Since(start); ahead > 0 {
				time.Sleep(ahead)
			}
			it := g.Listing(int(n) + i)
			if err := ix.Put(it.Listing, index.Meta{SellerHost: it.SellerHost}); err != nil {
				return
			}
		}
	}()
	qs := textQueries()
	for i := 0; i < len(qs); i += 2 {
		qs[i] = index.Query{Facets: true}
	}
	runQueries(b, qs)
	close(stop)
	<-done
}

// BenchmarkOpenSnapshot closes the benchmark index (writing its snapshot)
// and opens it again from the snapshot: the start-up cost of the table.
func BenchmarkOpenSnapshot(b *testing.B) {
	ix := benchIndex(b)
	dir := *benchDir
	if dir == "" {
		b.Skip("needs -bench.dir")
	}
	n, _ := ix.Count()
	for i := 0; i < b.N; i++ {
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		var err error
		if ix, err = index.Open(dir, index.Options{}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(time.Since(start).Milliseconds()), "open-ms")
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		b.ReportMetric(float64(m.HeapAlloc)/float64(n), "heap-bytes/listing")
	}
	benchIx = ix
}
