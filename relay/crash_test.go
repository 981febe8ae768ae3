package relay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/relay"
)

// crashChildEnv, set in a test binary's environment, makes
// TestAcknowledgedListingsSurviveKill serve a relay instead (the process
// the test kills): the value is the data directory; the listener is the
// inherited file descriptor 3 and the address crashAddrEnv.
const (
	crashChildEnv = "MARKET_RELAY_CRASH_CHILD_DIR"
	crashAddrEnv  = "MARKET_RELAY_CRASH_CHILD_ADDR"
)

// TestAcknowledgedListingsSurviveKill: a relay process is killed with
// SIGKILL while signed Creates arrive from eight clients at once; started
// again on the same data directory, it has every listing it answered 202
// for. (The inbox answers only once the group commit holding the listing
// has reached the disk.) It also finds by search exactly the listings it
// stored, without rebuilding its index: the index journal names those
// stored but perhaps not indexed when the process died.
func TestAcknowledgedListingsSurviveKill(t *testing.T) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		serveCrashChild(t, dir, os.Getenv(crashAddrEnv))
		return
	}
	if testing.Short() {
		t.Skip("runs a relay as its own process")
	}
	// The parent holds the listening socket for both relay processes, so
	// the port cannot be taken while the relay is down, and requests sent
	// meanwhile wait for the restarted relay.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	lnFile, err := ln.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	defer lnFile.Close()
	addr, dir := ln.Addr().String(), t.TempDir()
	base := "http://" + addr
	start := func(stderr io.Writer) *exec.Cmd {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^TestAcknowledgedListingsSurviveKill$")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+dir, crashAddrEnv+"="+addr)
		cmd.ExtraFiles = []*os.File{lnFile}
		cmd.Stdout, cmd.Stderr = os.Stderr, stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		waitReady(t, "the relay process to be ready", base)
		return cmd
	}
	child := start(os.Stderr)

	h := startHub(t, "alice", "127.0.0.1")
	mustSend(t, h, base+"/inbox", h.Activity("Follow", base+"/actor"))
	eventually(t, "the hub to be followed back", func() bool {
		var st relay.Stats
		resp, err := http.Get(base + "/api/v1/stats")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		return json.NewDecoder(resp.Body).Decode(&st) == nil && st.HubsFollowed == 1 && st.Subscribers == 1
	})

	const n, killAfter, clients = 400, 60, 8
	type signed struct {
		id   string
		req  *http.Request
		body []byte
	}
	reqs := make([]signed, n)
	for i := range reqs {
		l := h.Listing(fmt.Sprintf("Listing %d", i))
		body, err := h.ListingActivity("Create", l)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodPost, base+"/inbox", bytes.NewReader(body))
		req.Header.Set("Content-Type", federation.ContentType)
		if err := h.Sign(req, body); err != nil {
			t.Fatal(err)
		}
		reqs[i] = signed{l.FederatedAPID, req, body}
	}

	client := &http.Client{Timeout: 30 * time.Second}
	var (
		next, acked atomic.Int64
		killed      atomic.Bool
		mu          sync.Mutex
		ids         []string // the listings the relay answered 202 for
		wg          sync.WaitGroup
	)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !killed.Load() {
				i := next.Add(1) - 1
				if i >= n {
					return
				}
				resp, err := client.Do(reqs[i].req)
				if err != nil {
					continue // the relay died under this request: not acknowledged
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusAccepted {
					continue
				}
				mu.Lock()
				ids = append(ids, reqs[i].id)
				mu.Unlock()
				if acked.Add(1) == killAfter && killed.CompareAndSwap(false, true) {
					if err := child.Process.Kill(); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	if !killed.Load() {
		t.Fatalf("only %d of %d Creates acknowledged before the kill", acked.Load(), killAfter)
	}
	child.Wait()
	sent := next.Load()
	var restartLog logBuffer
	start(io.MultiWriter(os.Stderr, &restartLog))

	for _, id := range ids {
		resp, err := http.Get(base + "/api/v1/listings/" + url.PathEscape(id))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("listing %s was acknowledged, and after the kill the relay answers %d for it", id, resp.StatusCode)
		}
	}
	t.Logf("%d Creates sent, %d acknowledged around the kill", sent, len(ids))

	// Search finds exactly what the store holds.
	var stored []string
	for _, r := range reqs[:min(int(sent), n)] {
		resp, err := http.Get(base + "/api/v1/listings/" + url.PathEscape(r.id))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			stored = append(stored, r.id)
		}
	}
	found := map[string]bool{}
	for q := "/api/v1/search?facets=false&sort=newest&limit=100"; ; {
		var page struct {
			Hits []struct {
				ID string `json:"id"`
			} `json:"hits"`
			NextCursor string `json:"next_cursor"`
		}
		resp, err := http.Get(base + q)
		if err != nil {
			t.Fatal(err)
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range page.Hits {
			found[h.ID] = true
		}
		if page.NextCursor == "" {
			break
		}
		q = "/api/v1/search?facets=false&sort=newest&limit=100&cursor=" + url.QueryEscape(page.NextCursor)
	}
	for _, id := range stored {
		if !found[id] {
			t.Errorf("listing %s is stored but not found by search after the kill", id)
		}
	}
	if len(found) != len(stored) {
		t.Errorf("search finds %d listings after the kill, the store holds %d", len(found), len(stored))
	}
	logged := restartLog.String()
	if strings.Contains(logged, "rebuilding the search index") || !strings.Contains(logged, "search index caught up with the store") {
		t.Errorf("after the kill the relay should catch up from its journal, not rebuild; its log:\n%s", logged)
	}
}

// serveCrashChild serves a relay on the inherited listener until the
// process is killed.
func serveCrashChild(t *testing.T, dir, addr string) {
	ln, err := net.FileListener(os.NewFile(3, "listener"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Listen, cfg.PublicURL, cfg.DataDir = addr, "http://"+addr, dir
	cfg.AllowPrivateNetworks = true
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	// Info and above on stderr: the test reads how the restart went.
	srv, err := relay.Open(cfg, slog.New(slog.NewTextHandler(os.Stderr, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Serve(context.Background(), ln); err != nil {
		t.Fatal(err)
	}
}
