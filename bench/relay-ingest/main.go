// Command relay-ingest measures how fast a relay accepts and stores signed
// Create activities over HTTP, and the market binary's size and cold start.
//
// It builds the binary, starts `market relay` as its own process on a
// loopback port with a fresh data directory, subscribes a few test hubs
// (real actors with their own keys), signs N Create activities up front
// (so the client's RSA signing does not compete with the relay inside the
// timed part), then posts them with C concurrent clients and reads the
// relay's stored-listings count from /metrics. It prints one line per
// figure: name, value, unit.
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/internal/testhub"
)

func main() {
	n := flag.Int("n", 5000, "Create activities to send")
	conc := flag.Int("c", 8, "concurrent clients")
	hubs := flag.Int("hubs", 4, "hubs publishing")
	flag.Parse()
	if err := run(*n, *conc, *hubs); err != nil {
		fmt.Fprintln(os.Stderr, "relay-ingest:", err)
		os.Exit(1)
	}
}

func line(name string, value any, unit string) { fmt.Printf("%-32s %v %s\n", name, value, unit) }

func run(n, conc, nhubs int) error {
	work, err := os.MkdirTemp("", "relay-ingest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	bin := filepath.Join(work, "market")
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", bin, "./cmd/market")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	fi, err := os.Stat(bin)
	if err != nil {
		return err
	}
	line("binary_size", fmt.Sprintf("%.1f", float64(fi.Size())/(1<<20)), "MiB (stripped)")

	addr, err := freeAddr()
	if err != nil {
		return err
	}
	dataDir := filepath.Join(work, "data")
	env := append(os.Environ(), "MARKET_LISTEN="+addr, "MARKET_DATA_DIR="+dataDir, "MARKET_ALLOW_PRIVATE_NETWORKS=true", "MARKET_LOG_LEVEL=warn")

	// Cold start: first start (creates key, bbolt) and a restart.
	for _, phase := range []string{"cold_start_first", "cold_start_restart"} {
		proc, took, err := startRelay(bin, env, addr)
		if err != nil {
			return err
		}
		line(phase, fmt.Sprintf("%.0f", took.Seconds()*1000), "ms to /readyz")
		if phase == "cold_start_first" {
			stopRelay(proc)
		} else {
			defer stopRelay(proc)
		}
	}
	base := "http://" + addr

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
	if err := waitFor(func() bool { return metric(base, "market_relay_hubs_followed") >= float64(nhubs) }); err != nil {
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
	line("client_signing", fmt.Sprintf("%.0f", float64(n)/time.Since(signStart).Seconds()), "requests/s (outside the timed part)")

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc}}
	var next, failed atomic.Int64
	lat := make([]time.Duration, n)
	var wg sync.WaitGroup
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
	stored := metric(base, "market_relay_listings_stored")
	line("ingest_signed_create", fmt.Sprintf("%.0f", float64(n)/elapsed.Seconds()), fmt.Sprintf("activities/s (%d sent, %d clients)", n, conc))
	line("ingest_stored", fmt.Sprintf("%.0f", stored), fmt.Sprintf("listings (of %d sent)", n))
	line("ingest_failed", failed.Load(), "requests")
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) string {
		return fmt.Sprintf("%.1f", float64(lat[int(p*float64(n-1))].Microseconds())/1000)
	}
	line("ingest_latency_p50", pct(0.50), "ms")
	line("ingest_latency_p95", pct(0.95), "ms")
	line("ingest_latency_p99", pct(0.99), "ms")
	if int(stored) != n {
		return fmt.Errorf("relay stored %v listings, sent %d", stored, n)
	}
	return nil
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func startRelay(bin string, env []string, addr string) (*exec.Cmd, time.Duration, error) {
	cmd := exec.Command(bin, "relay")
	cmd.Env = env
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	err := waitFor(func() bool {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	return cmd, time.Since(start), err
}

func stopRelay(cmd *exec.Cmd) {
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
}

func waitFor(cond func() bool) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return nil
		}
		time.Sleep(2 * time.Millisecond)
	}
	return fmt.Errorf("timed out")
}

// metric reads one unlabelled series from the relay's /metrics.
func metric(base, name string) float64 {
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] == name {
			v, _ := strconv.ParseFloat(f[1], 64)
			return v
		}
	}
	return -1
}
