package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/sovereign-marketplace/market/bench/internal/benchkit"
)

// hubProc is a `market hub` on its own data directory and loopback port,
// run as its own process, with a full owner API token from `market hub
// init`.
type hubProc struct {
	*benchkit.Process
	bin, addr, dir, token string
	env                   []string
	client                *http.Client
}

var tokenPattern = regexp.MustCompile(`mkt_[0-9a-f]+`)

// initHub runs `market hub init` for a hub with its data under
// work/name and keeps the token it prints. The hub is not started.
func initHub(bin, work, name string) (*hubProc, error) {
	addr, err := benchkit.FreeAddr()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(work, name)
	h := &hubProc{bin: bin, addr: addr, dir: dir,
		env:    append(os.Environ(), "MARKET_LISTEN="+addr, "MARKET_DATA_DIR="+dir, "MARKET_ALLOW_PRIVATE_NETWORKS=true", "MARKET_LOG_LEVEL=warn"),
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}, Timeout: 30 * time.Second},
	}
	out, err := h.run("init")
	if err != nil {
		return nil, err
	}
	if h.token = tokenPattern.FindString(string(out)); h.token == "" {
		return nil, fmt.Errorf("market hub init printed no owner API token:\n%s", out)
	}
	return h, nil
}

// start starts the hub and returns how long it took from the process's
// start to /readyz answering 200.
func (h *hubProc) start() (time.Duration, error) {
	p, took, err := benchkit.Start(h.bin, []string{"hub"}, h.env, h.addr, 30*time.Second)
	if err != nil {
		return 0, err
	}
	h.Process = p
	return took, nil
}

// run runs `market hub <args>` on the hub's data directory (through the
// running hub's admin socket when it runs) and returns its stdout.
func (h *hubProc) run(args ...string) ([]byte, error) {
	cmd := exec.Command(h.bin, append([]string{"hub"}, args...)...)
	cmd.Env = h.env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("market hub %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return out, nil
}

// api calls the owner API and decodes a JSON answer into out (when not
// nil); any status but want is an error.
func (h *hubProc) api(method, path string, body any, want int, out any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, h.Base+path, r)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+h.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := h.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// created is what the owner API answers a create with (the fields used).
type created struct {
	ID            string `json:"id"`
	FederatedAPID string `json:"federated_ap_id"`
	DeliveredTo   int    `json:"delivered_to"`
}

// create publishes a listing through the owner API.
func (h *hubProc) create(body map[string]any) (created, error) {
	var c created
	err := h.api(http.MethodPost, "/api/v1/owner/listings", body, http.StatusCreated, &c)
	return c, err
}

// listing is the body of a public, active service listing titled title.
func listing(title string, i int) map[string]any {
	regions := []string{"US-CA", "DE-BE", "FR-75", "JP-13", "BR-SP", "IN-KA"}
	tags := [][]string{{"architecture", "review"}, {"gardening"}, {"tutoring", "math"}, {"translation", "german"}, {"bike", "repair"}}
	return map[string]any{
		"listing_type": "service",
		"title":        title,
		"description":  "One session by video call or in person, booked a week ahead. Notes and a written summary follow within two days; a second session is half price.",
		"price":        map[string]string{"amount": fmt.Sprintf("%d.00", 20+i%180), "currency": "USD", "price_type": "hourly", "pricing_model": "one_time"},
		"status":       "active",
		"visibility":   "public",
		"tags":         tags[i%len(tags)],
		"region":       regions[i%len(regions)],
	}
}
