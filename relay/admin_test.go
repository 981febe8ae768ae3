package relay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/listing"
	"github.com/sovereign-marketplace/market/node"
	"github.com/sovereign-marketplace/market/relay"
)

// dialAdmin waits for the relay serving on dataDir to open its admin
// socket and connects to it.
func dialAdmin(t *testing.T, dataDir string) *node.AdminClient {
	t.Helper()
	var c *node.AdminClient
	eventually(t, "the admin socket", func() bool {
		var err error
		c, err = node.DialAdmin(dataDir, "")
		return err == nil
	})
	return c
}

// adminGet sends GET /admin/status to the relay's admin socket with the
// given Authorization header values and returns the status.
func adminGet(t *testing.T, dataDir string, auth ...string) int {
	t.Helper()
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", filepath.Join(dataDir, "admin.sock"))
	}}}
	req, _ := http.NewRequest(http.MethodGet, "http://relay/admin/status", nil)
	for _, a := range auth {
		req.Header.Add("Authorization", a)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("admin socket: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestAdminSocketRequiresBearer: the admin socket takes exactly
// "Authorization: Bearer <token>"; the bare token, another scheme, a
// token with extra bytes or a second header are refused.
func TestAdminSocketRequiresBearer(t *testing.T) {
	dir := t.TempDir()
	startRelay(t, relayConfig(t, dir))
	dialAdmin(t, dir)
	tok, err := node.AdminToken(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		auth []string
		want int
	}{
		{"bearer token", []string{"Bearer " + tok}, http.StatusOK},
		{"bare token", []string{tok}, http.StatusUnauthorized},
		{"no header", nil, http.StatusUnauthorized},
		{"lower-case scheme", []string{"bearer " + tok}, http.StatusOK},
		{"two spaces", []string{"Bearer  " + tok}, http.StatusUnauthorized},
		{"basic scheme", []string{"Basic " + tok}, http.StatusUnauthorized},
		{"token and more", []string{"Bearer " + tok + "x"}, http.StatusUnauthorized},
		{"token cut short", []string{"Bearer " + tok[:len(tok)-1]}, http.StatusUnauthorized},
		{"two headers", []string{"Bearer " + tok, "Bearer " + tok}, http.StatusUnauthorized},
	} {
		if got := adminGet(t, dir, c.auth...); got != c.want {
			t.Errorf("%s: status %d, want %d", c.name, got, c.want)
		}
	}
}

// TestDataDirTightened: a data directory left open to other users (0755)
// is tightened to 0700 at start, and the relay says so in its log.
func TestDataDirTightened(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil { // whatever the umask
		t.Fatal(err)
	}
	var logs bytes.Buffer
	cfg := relayConfig(t, dir)
	srv, err := relay.Open(cfg, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("data dir mode %04o after start, want 0700", fi.Mode().Perm())
	}
	if !strings.Contains(logs.String(), "tightened it to 0700") || !strings.Contains(logs.String(), "data_dir="+dir) || !strings.Contains(logs.String(), "was=0755") {
		t.Errorf("log does not say the data dir was tightened:\n%s", logs.String())
	}
	// A second start finds it right and says nothing.
	logs.Reset()
	if srv, err = relay.Open(cfg, slog.New(slog.NewTextHandler(&logs, nil))); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	if strings.Contains(logs.String(), "tightened") {
		t.Errorf("second start logged a change: %s", logs.String())
	}
}

// storeListings puts n listings straight into the relay's store (not the
// index), as a relay whose index is to be rebuilt would hold them.
func storeListings(t *testing.T, r *testRelay, n int) {
	t.Helper()
	h := startHub(t, "alice", "")
	err := r.Store().Update(func(tx *relay.Txn) error {
		for i := range n {
			l := h.Listing(fmt.Sprintf("Running routes %d", i))
			if err := listing.Validate(l); err != nil {
				return err
			}
			if err := tx.PutListing(&relay.Record{Listing: *l, Received: time.Now().UTC()}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestReindexStreamsProgress: through the admin socket, a reindex that
// asks for progress gets reports from 0 to every listing, in order, then
// the result; one that does not gets the result alone.
func TestReindexStreamsProgress(t *testing.T) {
	const n = 300
	dir := t.TempDir()
	r := startRelay(t, relayConfig(t, dir))
	storeListings(t, r, n)
	c := dialAdmin(t, dir)
	ctx := context.Background()
	var reports []relay.Progress
	var out struct{ Indexed int }
	if err := c.CallWithProgress(ctx, http.MethodPost, "/admin/reindex", nil, &out, func(p relay.Progress) { reports = append(reports, p) }); err != nil {
		t.Fatal(err)
	}
	if out.Indexed != n {
		t.Errorf("indexed %d, want %d", out.Indexed, n)
	}
	if len(reports) < 2 || reports[0] != (relay.Progress{Done: 0, Total: n}) || reports[len(reports)-1] != (relay.Progress{Done: n, Total: n}) {
		t.Fatalf("progress reports %v, want from {0 %d} to {%d %d}", reports, n, n, n)
	}
	for i := 1; i < len(reports); i++ {
		if reports[i].Done < reports[i-1].Done {
			t.Fatalf("progress went back: %v", reports)
		}
	}
	var plain json.RawMessage
	if err := c.Call(ctx, http.MethodPost, "/admin/reindex", nil, &plain); err != nil || !strings.Contains(string(plain), fmt.Sprintf(`"indexed":%d`, n)) {
		t.Fatalf("reindex without progress: %s, %v", plain, err)
	}
}
