// Command relay-search measures a relay's search API at scale, over HTTP
// against a running `market relay` process.
//
// It fills a relay's data directory with N synthetic but realistic
// listings (index/synth: several languages, a long tail of tags, real
// ISO 3166-2 regions, lognormal prices, one in ten with a location),
// rebuilds the search index from them (timed), starts the relay binary on
// that directory, and runs five query kinds: text top 20, text + 2
// filters + all facets, browse (no text, all facets), the heaviest text the
// index takes (synth.HeavyTextQueries, all facets) and geo radius: after
// untimed passes of each kind's queries (until one is no more than 10% faster
// than the one before, at most six), latency percentiles with one
// client, then queries per second with C clients at once. Then it measures sustained ingest of signed Create
// activities over HTTP from subscribed hubs, and the time from each 202 to
// the listing being searchable, and a start after kill -9 right after the
// ingest. It also times the search page against the
// API on the same queries and weighs the page's first load (HTML, CSS and
// JS, gzipped, with and without the map). One line per figure: name,
// value, unit, and for each figure of the relay's targets at a million
// listings (issue 13: search, ingest, start-up, memory, store size,
// reindex) the target and whether it is met.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sovereign-marketplace/market/bench/internal/benchkit"
	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/index/synth"
	"github.com/sovereign-marketplace/market/internal/testhub"
	"github.com/sovereign-marketplace/market/listing"
	"github.com/sovereign-marketplace/market/node"
	"github.com/sovereign-marketplace/market/relay"
)

func main() {
	n := flag.Int("n", 100000, "listings in the relay")
	queries := flag.Int("queries", 400, "requests per query kind")
	conc := flag.Int("c", 8, "concurrent clients")
	ingest := flag.Int("ingest", 5000, "signed Create activities for the ingest figure")
	keep := flag.String("dir", "", "keep the relay's data directory here and reuse it across runs")
	flag.Parse()
	benchkit.Exit("relay-search", run(*n, *queries, *conc, *ingest, *keep))
}

func run(n, queries, conc, ingest int, keep string) error {
	work, err := os.MkdirTemp("", "relay-search-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	bin, err := benchkit.BuildMarket(work)
	if err != nil {
		return err
	}
	dataDir := keep
	if dataDir == "" {
		dataDir = filepath.Join(work, "data")
	}
	addr, err := benchkit.FreeAddr()
	if err != nil {
		return err
	}
	rawText, rawObjects, stored, err := fill(dataDir, addr, n)
	if err != nil {
		return err
	}
	indexBytes := benchkit.DirSize(filepath.Join(dataDir, "index"))
	benchkit.Line("index_size", fmt.Sprintf("%.1f", float64(indexBytes)/(1<<20)), fmt.Sprintf("MiB for %d listings", stored))
	if fi, err := os.Stat(filepath.Join(dataDir, node.DBFile)); err == nil {
		per := float64(fi.Size()) / float64(max(stored, 1))
		benchkit.Check("store_size", fmt.Sprintf("%.1f", float64(fi.Size())/(1<<20)), fmt.Sprintf("MiB of bbolt (%.0f bytes per listing)", per), "<= 2560 bytes per listing", per <= 2560)
	}
	benchkit.Line("index_vs_raw_text", fmt.Sprintf("%.2f", float64(indexBytes)/float64(rawText)), fmt.Sprintf("x (title+description %.1f MiB; target <= 3)", float64(rawText)/(1<<20)))
	benchkit.Line("index_vs_raw_objects", fmt.Sprintf("%.2f", float64(indexBytes)/float64(rawObjects)), fmt.Sprintf("x (listing JSON objects %.1f MiB)", float64(rawObjects)/(1<<20)))

	// fill opened the relay in this process and generated every listing:
	// give that heap back before the relay starts. Left to the runtime's
	// pace, the 1.7 GB this process held slowed the relay's start (its
	// first gigabyte of fresh memory) from 1.5 s to 7.0–11.4 s at a
	// million listings, with one core busy in the kernel.
	runtime.GC()
	debug.FreeOSMemory()
	env := append(os.Environ(), "MARKET_LISTEN="+addr, "MARKET_DATA_DIR="+dataDir, "MARKET_ALLOW_PRIVATE_NETWORKS=true", "MARKET_LOG_LEVEL=warn")
	rel, took, err := benchkit.StartRelay(bin, env, addr, 10*time.Minute)
	if err != nil {
		return err
	}
	defer rel.Stop()
	benchkit.Check("start_with_listings", fmt.Sprintf("%.0f", took.Seconds()*1000), fmt.Sprintf("ms to /readyz with %d listings", stored), "<= 2000 ms", took <= 2*time.Second)
	if m, err := rel.Memory(); err == nil {
		// What the relay holds once ready: its heap and the pages of
		// bbolt and Bleve it touched while starting.
		per := float64(m.RSS) / float64(max(stored, 1))
		benchkit.Check("resident_memory_after_start", fmt.Sprintf("%.0f", float64(m.RSS)/(1<<20)), fmt.Sprintf("MiB (%.0f bytes per listing; anonymous %.0f MiB, mapped files %.0f MiB)", per, float64(m.Anon)/(1<<20), float64(m.File)/(1<<20)), "<= 1024 bytes per listing", per <= 1024)
	}

	g := synth.New(42)
	texts := g.TextQueries(queries)
	heavy := synth.HeavyTextQueries()
	r := rand.New(rand.NewPCG(7, 7))
	// Targets at 1,000,000 listings: p95 (p99 for the heaviest text) with
	// one client, and queries per second with 8 clients at least five times
	// what the relay did before (issue 13's baseline: text 33, text +
	// filters + facets 22, browse 33, geo 95).
	kinds := []struct {
		name   string
		p99    bool    // the target is on p99, not p95
		maxMs  float64 // latency target
		minQPS float64 // 0: none
		query  func(i int) string
	}{
		{"search_text_top20", false, 20, 5 * 33, func(i int) string {
			return "q=" + url.QueryEscape(texts[i]) + "&facets=false"
		}},
		{"search_text_filters_facets", false, 50, 5 * 22, func(i int) string {
			reg := synth.Regions[r.IntN(len(synth.Regions))].Code
			return "q=" + url.QueryEscape(texts[i]) + "&type=data_product&region=" + listing.Country(reg)
		}},
		{"search_browse_facets", false, 50, 5 * 33, func(i int) string {
			return []string{"", "sort=newest", "sort=price_asc&currency=USD", "type=service"}[i%4]
		}},
		{"search_heavy_text", true, 100, 0, func(i int) string {
			sort := []string{"", "&sort=newest", "&sort=price_asc"}[(i/len(heavy))%3]
			return "q=" + url.QueryEscape(heavy[i%len(heavy)]) + sort
		}},
		{"search_geo_radius", false, 25, 5 * 95, func(i int) string {
			reg := synth.Regions[r.IntN(len(synth.Regions))]
			return fmt.Sprintf("near=%.3f,%.3f&radius_km=%d", reg.Lat+r.Float64()*0.4-0.2, reg.Lon+r.Float64()*0.4-0.2, []int{10, 50, 200}[i%3])
		}},
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc}}
	for _, k := range kinds {
		qs := make([]string, queries)
		for i := range qs {
			qs[i] = k.query(i)
		}
		// Untimed passes first: what is measured is a relay that has
		// served these queries before, not the kernel reading the index's
		// files back (this machine's memory manager evicts page cache it
		// sees unused for a while, even with most memory free, and after
		// that one pass of the queries was not enough: the second still
		// ran at the first's speed). Passes repeat until one takes no
		// more than 10% less time than the one before, at most six.
		warm, prev := 0, time.Duration(0)
		for warm < 6 {
			_, _, _, _, elapsed, err := load(client, rel.Base, qs, conc)
			if err != nil {
				return fmt.Errorf("%s: warm-up: %w", k.name, err)
			}
			warm++
			if prev > 0 && elapsed > prev*9/10 {
				break
			}
			prev = elapsed
		}
		// Latency with one client at a time (what one user waits), then
		// throughput with conc clients at once.
		lat, hits, failed1, refused, _, err := load(client, rel.Base, qs, 1)
		if err != nil {
			return fmt.Errorf("%s: %w", k.name, err)
		}
		_, _, failedC, _, elapsed, err := load(client, rel.Base, qs, conc)
		if err != nil {
			return fmt.Errorf("%s: %w", k.name, err)
		}
		p50, p95, p99 := benchkit.Percentiles(lat)
		qps := float64(len(qs)) / elapsed.Seconds()
		pct, got := "p95", p95
		if k.p99 {
			pct, got = "p99", p99
		}
		target, met := fmt.Sprintf("%s <= %.0f ms", pct, k.maxMs), got <= k.maxMs
		if k.minQPS > 0 {
			target += fmt.Sprintf(", qps_%d_clients >= %.0f", conc, k.minQPS)
			met = met && qps >= k.minQPS
		}
		if failed1+failedC > 0 {
			// A search the relay gave up on (503 at its deadline) counts
			// as failed, not as a latency, and fails the target.
			target += ", no search failed"
			met = false
		}
		benchkit.Check(k.name, fmt.Sprintf("n=%d p50=%.1f p95=%.1f p99=%.1f ms qps_%d_clients=%.0f avg_matches=%d failed=%d refused_as_too_costly=%d warm_up_passes=%d", len(qs), p50, p95, p99, conc, qps, hits/int64(max(1, len(lat))), failed1+failedC, refused, warm), "", target, met)
	}
	if m, err := rel.Memory(); err == nil {
		per := float64(m.RSS) / float64(max(stored, 1))
		benchkit.Check("resident_memory_after_searches", fmt.Sprintf("%.0f", float64(m.RSS)/(1<<20)), fmt.Sprintf("MiB (%.0f bytes per listing; anonymous %.0f MiB, mapped files %.0f MiB)", per, float64(m.Anon)/(1<<20), float64(m.File)/(1<<20)), "<= 1024 bytes per listing", per <= 1024)
		// An idle server returns the heap a burst grew to at its first
		// quiet look (package node, every 30 s): wait for it, at most
		// 75 s, and say what stays.
		quiet, waited := m, time.Duration(0)
		for waited < 75*time.Second && quiet.Anon > m.Anon*9/10 {
			time.Sleep(5 * time.Second)
			waited += 5 * time.Second
			if q, err := rel.Memory(); err == nil {
				quiet = q
			}
		}
		per = float64(quiet.RSS) / float64(max(stored, 1))
		benchkit.Check("resident_memory_quiet_after_searches", fmt.Sprintf("%.0f", float64(quiet.RSS)/(1<<20)), fmt.Sprintf("MiB after %v idle (%.0f bytes per listing; anonymous %.0f MiB, mapped files %.0f MiB: the index's segment files, in the page cache)", waited, per, float64(quiet.Anon)/(1<<20), float64(quiet.File)/(1<<20)), "<= 1024 bytes per listing", per <= 1024)
	}
	if err := measurePages(rel.Base, texts); err != nil {
		// The page's figures are not among the relay's targets: go on to ingest.
		fmt.Fprintln(os.Stderr, "relay-search: search page:", err)
	}
	if err := measureIngest(rel, ingest); err != nil {
		return err
	}
	return measureKill(rel, bin, env, addr)
}

// measureKill kills the relay with SIGKILL right after the ingest (the
// listings ingested since the last checkpoint are in its index journal),
// starts it again and says how long it took to be ready and whether the
// index holds every stored listing.
func measureKill(rel *benchkit.Relay, bin string, env []string, addr string) error {
	if err := rel.Cmd.Process.Kill(); err != nil {
		return err
	}
	rel.Cmd.Wait()
	again, took, err := benchkit.StartRelay(bin, env, addr, 30*time.Minute)
	if err != nil {
		return err
	}
	defer again.Stop()
	benchkit.Check("start_after_kill", fmt.Sprintf("%.0f", took.Seconds()*1000), "ms to /readyz after kill -9 right after the ingest (from the last checkpoint and the index journal, no rebuild)", "<= 2000 ms", took <= 2*time.Second)
	stored, indexed, err := storedAndIndexed(http.DefaultClient, again.Base)
	if err != nil {
		return err
	}
	benchkit.Line("stored_vs_indexed_after_kill", fmt.Sprintf("%d/%d", stored, indexed), "listings (must be equal)")
	if stored != indexed {
		return fmt.Errorf("after kill -9: store holds %d listings, index %d", stored, indexed)
	}
	return nil
}

// fill writes n synthetic listings straight into the relay's store (unless
// it holds as many already) and rebuilds the index from it, as `market
// relay reindex` does. It returns how many listings the store holds: a
// reused directory keeps the earlier runs' ingested listings too, and
// per-listing figures divide by what is stored.
func fill(dir, addr string, n int) (rawText, rawObjects int64, stored int, err error) {
	cfg := config.Default()
	cfg.DataDir, cfg.Listen, cfg.PublicURL = dir, addr, "http://"+addr
	cfg.LogLevel = "warn"
	srv, err := relay.Open(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return 0, 0, 0, err
	}
	defer srv.Close()
	var have int
	srv.Store().View(func(t *relay.Txn) error { have = t.CountListings(); return nil })
	g := synth.New(42)
	start := time.Now()
	for i := 0; i < n; i += 1000 {
		var recs []*relay.Record
		for j := i; j < n && j < i+1000; j++ {
			it := g.Listing(j)
			obj, err := listing.Encode(it.Listing)
			if err != nil {
				return 0, 0, 0, fmt.Errorf("synthetic listing %d: %w", j, err)
			}
			rawText += int64(it.TextBytes())
			rawObjects += int64(len(obj))
			recs = append(recs, &relay.Record{Listing: *it.Listing, Object: obj, SellerName: it.SellerName, Received: it.Received})
		}
		if have >= n {
			continue
		}
		if err := srv.Store().Update(func(t *relay.Txn) error {
			for _, r := range recs {
				if err := t.PutListing(r); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return 0, 0, 0, err
		}
	}
	if have < n {
		benchkit.Line("store_fill", fmt.Sprintf("%.0f", float64(n)/time.Since(start).Seconds()), "listings/s into bbolt")
	}
	if have >= n && !srv.IndexNeedsRebuild() {
		return rawText, rawObjects, max(have, n), nil
	}
	start = time.Now()
	if err := srv.Reindex(context.Background()); err != nil {
		return 0, 0, 0, err
	}
	rate := float64(n) / time.Since(start).Seconds()
	benchkit.Check("reindex", fmt.Sprintf("%.0f", rate), fmt.Sprintf("listings/s (%d in %.1f s)", n, time.Since(start).Seconds()), ">= 10000/s", rate >= 10000)
	return rawText, rawObjects, max(have, n), nil
}

// load runs the queries with conc clients and returns the latency of each
// that succeeded, the sum of their totals, how many the relay failed (a
// status other than 200 and 400), how many it refused as too costly (400),
// and the wall time. It stops at the first
// transport error.
func load(client *http.Client, base string, qs []string, conc int) ([]time.Duration, int64, int, int, time.Duration, error) {
	lat := make([]time.Duration, 0, len(qs))
	var mu sync.Mutex
	var next, hits, failed, refused atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(qs) {
					return
				}
				t0 := time.Now()
				resp, err := client.Get(base + "/api/v1/search?" + qs[i])
				if err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				var body struct{ Total int64 }
				err = json.NewDecoder(resp.Body).Decode(&body)
				resp.Body.Close()
				took := time.Since(t0)
				if resp.StatusCode == http.StatusBadRequest && err == nil {
					// Refused by design: a phrase costlier than the
					// index takes (index.MaxPhraseCost) at this size.
					refused.Add(1)
					continue
				}
				if resp.StatusCode != 200 || err != nil {
					if failed.Add(1) == 1 {
						fmt.Fprintf(os.Stderr, "relay-search: GET ?%s: status %d %v\n", qs[i], resp.StatusCode, err)
					}
					continue
				}
				mu.Lock()
				lat = append(lat, took)
				mu.Unlock()
				hits.Add(body.Total)
			}
		}()
	}
	wg.Wait()
	if e, _ := firstErr.Load().(error); e != nil {
		return nil, 0, 0, 0, 0, e
	}
	return lat, hits.Load(), int(failed.Load()), int(refused.Load()), time.Since(start), nil
}

// measureIngest subscribes hubs to the running relay, signs m Create
// activities up front, posts them with 32 clients, and for one in 20
// measures the time from the 202 to the listing being found by search.
func measureIngest(rel *benchkit.Relay, m int) error {
	var hubs []*testhub.Hub
	for i := 0; i < 4; i++ {
		h, err := testhub.Start(testhub.Options{Name: fmt.Sprintf("seller%d", i)})
		if err != nil {
			return err
		}
		defer h.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		status, body, err := h.Send(ctx, rel.Base+"/inbox", h.Activity("Follow", rel.Base+"/actor"))
		cancel()
		if err != nil || status != http.StatusAccepted {
			return fmt.Errorf("follow: %d %s %v", status, body, err)
		}
		hubs = append(hubs, h)
	}
	if err := benchkit.WaitFor(30*time.Second, func() bool { return rel.Metric("market_relay_hubs_followed") >= 4 }); err != nil {
		return fmt.Errorf("hubs not followed back: %w", err)
	}
	type signed struct {
		req    *http.Request
		marker string
	}
	reqs := make([]signed, m)
	// Markers differ from run to run: a relay directory kept with -dir
	// holds the listings of earlier runs, whose markers would be found at
	// once.
	run := strconv.FormatInt(time.Now().UnixNano()%(36*36*36*36), 36)
	var wg sync.WaitGroup
	var signErr atomic.Value
	for w := 0; w < 2; w++ { // sign on both cores, before the clock starts
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < m; i += 2 {
				h := hubs[i%len(hubs)]
				marker := fmt.Sprintf("zzmark%s%07d", run, i)
				l := h.Listing("Fresh dataset " + marker)
				body, err := h.ListingActivity("Create", l)
				if err == nil {
					var req *http.Request
					req, err = http.NewRequest(http.MethodPost, rel.Base+"/inbox", bytes.NewReader(body))
					if err == nil {
						req.Header.Set("Content-Type", federation.ContentType)
						err = h.Sign(req, body)
						reqs[i] = signed{req, marker}
					}
				}
				if err != nil {
					signErr.CompareAndSwap(nil, err)
				}
			}
		}(w)
	}
	wg.Wait()
	if e, _ := signErr.Load().(error); e != nil {
		return e
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var next, failed atomic.Int64
	var visMu sync.Mutex
	var visible []time.Duration
	var probes sync.WaitGroup
	start := time.Now()
	for w := 0; w < 32; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= m {
					return
				}
				resp, err := client.Do(reqs[i].req)
				if err != nil || resp.StatusCode != http.StatusAccepted {
					failed.Add(1)
					if resp != nil {
						resp.Body.Close()
					}
					continue
				}
				resp.Body.Close()
				if i%20 != 0 {
					continue
				}
				accepted := time.Now()
				probes.Add(1)
				go func(marker string) {
					defer probes.Done()
					for time.Since(accepted) < 30*time.Second {
						resp, err := client.Get(rel.Base + "/api/v1/search?facets=false&limit=1&q=" + marker)
						if err == nil {
							var body struct{ Total int }
							json.NewDecoder(resp.Body).Decode(&body)
							resp.Body.Close()
							if body.Total == 1 {
								visMu.Lock()
								visible = append(visible, time.Since(accepted))
								visMu.Unlock()
								return
							}
						}
						time.Sleep(25 * time.Millisecond)
					}
				}(reqs[i].marker)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	probes.Wait()
	rate := float64(m) / elapsed.Seconds()
	benchkit.Check("ingest_signed_create", fmt.Sprintf("%.0f", rate), fmt.Sprintf("activities/s (%d sent by 32 clients, %d failed)", m, failed.Load()), ">= 5000/s", rate >= 5000 && failed.Load() == 0)
	p50, p95, p99 := benchkit.Percentiles(visible)
	benchkit.Check("ingest_to_searchable", fmt.Sprintf("n=%d p50=%.0f p95=%.0f p99=%.0f", len(visible), p50, p95, p99), "ms", "p95 <= 1000 ms", p95 <= 1000 && len(visible) > 0)
	if missing := (m+19)/20 - len(visible); missing > 0 {
		benchkit.Line("ingest_not_searchable_after_30s", missing, "probed listings")
	}
	// Every stored listing must be in the index: the index's counts by
	// type add up to the store's count. The inbox answers 202 once a
	// listing is stored and queued for the index; the last batch is applied
	// within the flush interval, so wait for it (at most 10 s).
	var stored, indexed int
	var err error
	waited := time.Now()
	for {
		if stored, indexed, err = storedAndIndexed(client, rel.Base); err != nil {
			return err
		}
		if indexed == stored || time.Since(waited) > 10*time.Second {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	benchkit.Line("stored_vs_indexed", fmt.Sprintf("%d/%d", stored, indexed), fmt.Sprintf("listings (must be equal; waited %.0f ms for the last batch)", float64(time.Since(waited).Milliseconds())))
	if indexed != stored {
		return fmt.Errorf("store holds %d listings, index %d", stored, indexed)
	}
	return nil
}

// storedAndIndexed reads from /api/v1/stats how many listings the store
// holds and how many the index counts by type.
func storedAndIndexed(client *http.Client, base string) (stored, indexed int, err error) {
	var st struct {
		Listings int            `json:"listings"`
		ByType   map[string]int `json:"by_type"`
	}
	resp, err := client.Get(base + "/api/v1/stats")
	if err != nil {
		return 0, 0, err
	}
	err = json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if err != nil {
		return 0, 0, err
	}
	for _, n := range st.ByType {
		indexed += n
	}
	return st.Listings, indexed, nil
}
