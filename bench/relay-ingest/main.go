// Command relay-ingest measures how fast a relay accepts and stores signed
// Create activities over HTTP, and the market binary's size and cold start.
//
// It builds the binary, starts `market relay` as its own process on a
// loopback port with a fresh data directory, subscribes a few test hubs
// (real actors with their own keys), signs N Create activities up front
// (so the client's RSA signing does not compete with the relay inside the
// timed part), then posts them with C concurrent clients and reads the
// relay's stored-listings count from /metrics, and the CPU time the relay
// process used meanwhile (/proc/<pid>/stat), per activity. It prints one
// line per figure: name, value, unit.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sovereign-marketplace/market/bench/internal/benchkit"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/internal/testhub"
)

func main() {
	n := flag.Int("n", 5000, "Create activities to send")
	conc := flag.Int("c", 8, "concurrent clients")
	hubs := flag.Int("hubs", 4, "hubs publishing")
	flag.Parse()
	benchkit.Exit("relay-ingest", run(*n, *conc, *hubs))
}

func run(n, conc, nhubs int) error {
	work, err := os.MkdirTemp("", "relay-ingest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	bin, err := benchkit.BuildMarket(work)
	if err != nil {
		return err
	}
	fi, err := os.Stat(bin)
	if err != nil {
		return err
	}
	benchkit.Line("binary_size", fmt.Sprintf("%.1f", float64(fi.Size())/(1<<20)), "MiB (stripped)")

	addr, err := benchkit.FreeAddr()
	if err != nil {
		return err
	}
	dataDir := filepath.Join(work, "data")
	env := append(os.Environ(), "MARKET_LISTEN="+addr, "MARKET_DATA_DIR="+dataDir, "MARKET_ALLOW_PRIVATE_NETWORKS=true", "MARKET_LOG_LEVEL=warn")

	var rel *benchkit.Relay
	// Cold start: first start (creates key, bbolt) and a restart.
	for _, phase := range []string{"cold_start_first", "cold_start_restart"} {
		r, took, err := benchkit.StartRelay(bin, env, addr, 30*time.Second)
		if err != nil {
			return err
		}
		benchkit.Check(phase, fmt.Sprintf("%.0f", took.Seconds()*1000), "ms to /readyz", "<= 2000 ms", took <= 2*time.Second)
		if phase == "cold_start_first" {
			r.Stop()
		} else {
			defer r.Stop()
			rel = r
		}
	}
	base := rel.Base

	// Hubs subscribe.
	var hs []*testhub.Hub
	for i := 0; i < nhubs; i++ {
		h, err := testhub.Start(testhub.Options{Name: fmt.Sprintf("hub%d", i)})
		if err != nil {
			return err
		}
		defer h.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		status, body, err := h.Send(ctx, base+"/inbox", h.Activity("Follow", base+"/actor"))
		cancel()
		if err != nil || status != http.StatusAccepted {
			return fmt.Errorf("follow: %d %s %v", status, body, err)
		}
		hs = append(hs, h)
	}
	if err := benchkit.WaitFor(30*time.Second, func() bool { return rel.Metric("market_relay_hubs_followed") >= float64(nhubs) }); err != nil {
		return fmt.Errorf("hubs not followed back: %w", err)
	}

	// Sign every request up front.
	type signed struct {
		req  *http.Request
		body []byte
	}
	reqs := make([]signed, n)
	signStart := time.Now()
	for i := range reqs {
		h := hs[i%len(hs)]
		l := h.Listing(fmt.Sprintf("Listing %d: running routes and heart rate", i))
		body, err := h.ListingActivity("Create", l)
		if err != nil {
			return err
		}
		req, _ := http.NewRequest(http.MethodPost, base+"/inbox", bytes.NewReader(body))
		req.Header.Set("Content-Type", federation.ContentType)
		if err := h.Sign(req, body); err != nil {
			return err
		}
		reqs[i] = signed{req, body}
	}
	benchkit.Line("client_signing", fmt.Sprintf("%.0f", float64(n)/time.Since(signStart).Seconds()), "requests/s (outside the timed part)")

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc}}
	var next, failed atomic.Int64
	lat := make([]time.Duration, n)
	var wg sync.WaitGroup
	cpu0, err := processCPU(rel.Cmd.Process.Pid)
	if err != nil {
		return err
	}
	start := time.Now()
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				t0 := time.Now()
				resp, err := client.Do(reqs[i].req)
				if err != nil {
					failed.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusAccepted {
					failed.Add(1)
				}
				lat[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu1, err := processCPU(rel.Cmd.Process.Pid)
	if err != nil {
		return err
	}
	stored := rel.Metric("market_relay_listings_stored")
	rate := float64(n) / elapsed.Seconds()
	benchkit.Check("ingest_signed_create", fmt.Sprintf("%.0f", rate), fmt.Sprintf("activities/s (%d sent, %d clients)", n, conc), ">= 5000/s", rate >= 5000)
	benchkit.Line("ingest_stored", fmt.Sprintf("%.0f", stored), fmt.Sprintf("listings (of %d sent)", n))
	benchkit.Line("ingest_failed", failed.Load(), "requests")
	benchkit.Line("ingest_relay_cpu", fmt.Sprintf("%.0f", float64((cpu1-cpu0).Microseconds())/float64(n)),
		"µs of the relay process's CPU per activity (user + system, index included)")
	p50, p95, p99 := benchkit.Percentiles(lat)
	benchkit.Line("ingest_latency", fmt.Sprintf("p50=%.1f p95=%.1f p99=%.1f", p50, p95, p99), "ms")
	if int(stored) != n {
		return fmt.Errorf("relay stored %v listings, sent %d", stored, n)
	}
	return nil
}

// processCPU is the CPU time (user and system) the process pid has used,
// from /proc/<pid>/stat, in clock ticks of 1/100 s (Linux's USER_HZ).
func processCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("read the relay's CPU time: %w", err)
	}
	// The command name (field 2) may hold spaces; fields after it are
	// counted from its closing parenthesis.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("read the relay's CPU time: /proc/%d/stat has no command name", pid)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("read the relay's CPU time: /proc/%d/stat has %d fields after the name, want at least 13", pid, len(f))
	}
	var ticks int64
	for _, s := range f[11:13] { // utime, stime (fields 14 and 15)
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("read the relay's CPU time: %q is not a tick count", s)
		}
		ticks += v
	}
	return time.Duration(ticks) * 10 * time.Millisecond, nil
}
