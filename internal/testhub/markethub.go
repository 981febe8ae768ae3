package testhub

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/hub"
)

// HubConfig is a real hub's configuration for a test: RelayConfig's (a
// free loopback port that is also its public URL, private networks
// allowed, fast retries) with the owner's handle and name.
func HubConfig(t testing.TB, dataDir, handle string) config.Config {
	t.Helper()
	cfg := RelayConfig(t, dataDir)
	cfg.Hub.Handle = handle
	cfg.Hub.Name = strings.ToUpper(handle[:1]) + handle[1:]
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// MarketHub is a real hub (the hub package's Server, `market hub`)
// serving on loopback for a test, on its own data directory.
type MarketHub struct {
	*hub.Server
	Config config.Config
	stop   func()
}

// StartMarketHub opens and serves a hub with cfg (see HubConfig); it
// stops when the test ends, or earlier with Stop. log nil discards its
// logs.
func StartMarketHub(t testing.TB, cfg config.Config, log *slog.Logger) *MarketHub {
	t.Helper()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	srv, err := hub.Open(cfg, log)
	if err != nil {
		t.Fatalf("open hub: %v", err)
	}
	srv.ExpiryInterval = 50 * time.Millisecond
	return &MarketHub{Server: srv, Config: cfg, stop: serve(t, cfg.Listen, srv)}
}

// Stop shuts the hub down and closes its files; the test may start it
// again on the same configuration.
func (h *MarketHub) Stop() { h.stop() }

// Acct is the owner's address as acct:user@host.
func (h *MarketHub) Acct() string { return h.Handle() }

// Token creates an owner API token of scope and returns its secret.
func (h *MarketHub) Token(t testing.TB, scope string) string {
	t.Helper()
	secret, _, err := h.CreateToken(scope, t.Name())
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// API calls the hub's owner API with token (none when empty): method,
// path under the public URL, and a JSON body (nil for none). It returns
// the status and the body.
func (h *MarketHub) API(t testing.TB, token, method, path string, body any) (int, []byte) {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, h.Config.PublicURL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}
