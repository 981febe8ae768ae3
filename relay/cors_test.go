package relay_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// request sends method to url with the given headers and returns the
// status, the answer's headers and its body.
func request(t *testing.T, method, url string, body string, header map[string]string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// TestCORS: with the default relay.cors.allowed_origins ("*"), pages on
// any site may GET search, listings and stats, preflight included; the
// inbox and reports stay closed to other sites.
func TestCORS(t *testing.T) {
	r := startRelay(t, relayConfig(t, t.TempDir()))
	base := r.cfg.PublicURL
	page := map[string]string{"Origin": "https://search.example"}
	for _, path := range []string{"/api/v1/search?q=bike", "/api/v1/stats", "/api/v1/listings/" + url.PathEscape("https://hub.example/l/1"), "/api/v1/search?limit=0"} {
		status, h, _ := request(t, http.MethodGet, base+path, "", page)
		if h.Get("Access-Control-Allow-Origin") != "*" || h.Get("Access-Control-Allow-Credentials") != "" || !strings.Contains(strings.Join(h.Values("Vary"), ","), "Origin") {
			t.Errorf("GET %s (%d): CORS headers %v", path, status, h)
		}
	}
	for _, path := range []string{"/api/v1/search", "/api/v1/stats", "/api/v1/listings/x"} {
		status, h, _ := request(t, http.MethodOptions, base+path, "", map[string]string{
			"Origin": "https://search.example", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "accept, content-type"})
		if status != http.StatusNoContent || h.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(h.Get("Access-Control-Allow-Methods"), "GET") ||
			h.Get("Access-Control-Allow-Headers") != "accept, content-type" || h.Get("Access-Control-Max-Age") == "" {
			t.Errorf("preflight of GET %s: %d %v", path, status, h)
		}
	}
	// A preflight for anything but GET is refused: no Allow-Origin, so the
	// browser never sends the request.
	status, h, body := request(t, http.MethodOptions, base+"/api/v1/search", "", map[string]string{"Origin": "https://search.example", "Access-Control-Request-Method": "DELETE"})
	if h.Get("Access-Control-Allow-Origin") != "" || h.Get("Access-Control-Allow-Methods") != "" {
		t.Errorf("preflight of DELETE: %d %v %s", status, h, body)
	}
	// Never the inbox, nor reports.
	for _, path := range []string{"/inbox", "/actor/inbox", "/api/v1/reports"} {
		status, h, _ := request(t, http.MethodOptions, base+path, "", map[string]string{"Origin": "https://search.example", "Access-Control-Request-Method": "POST"})
		if status < 300 || h.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("preflight of POST %s: %d %v", path, status, h)
		}
		status, h, _ = request(t, http.MethodPost, base+path, `{}`, map[string]string{"Origin": "https://search.example", "Content-Type": "text/plain"})
		if status < 400 || h.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("POST %s from another site: %d %v", path, status, h)
		}
	}
	// A report a page on another site sends without preflight (text/plain)
	// is refused before it is read; from the relay's own origin, or with no
	// Origin (curl, a server), it is read as before.
	report := `{"listing_id": "https://hub.example/l/1", "reason": "spam"}`
	status, _, body = request(t, http.MethodPost, base+"/api/v1/reports", report, map[string]string{"Origin": "https://search.example", "Content-Type": "text/plain"})
	if status != http.StatusForbidden || !strings.Contains(body, "cross_origin") {
		t.Errorf("report from another site: %d %s", status, body)
	}
	for _, origin := range []string{base, ""} {
		status, _, body = request(t, http.MethodPost, base+"/api/v1/reports", report, map[string]string{"Origin": origin, "Content-Type": "application/json"})
		if status != http.StatusNotFound || !strings.Contains(body, "listing_id") {
			t.Errorf("report with Origin %q: %d %s (want the handler's 404 for an unknown listing)", origin, status, body)
		}
	}
}

// TestCORSOriginList: with named origins, only those get the headers
// (their own origin echoed); with none, cross-origin reads are off.
func TestCORSOriginList(t *testing.T) {
	cfg := relayConfig(t, t.TempDir())
	cfg.Relay.CORS.AllowedOrigins = []string{"https://search.example"}
	r := startRelay(t, cfg)
	base := r.cfg.PublicURL
	_, h, _ := request(t, http.MethodGet, base+"/api/v1/stats", "", map[string]string{"Origin": "https://search.example"})
	if h.Get("Access-Control-Allow-Origin") != "https://search.example" || !strings.Contains(strings.Join(h.Values("Vary"), ","), "Origin") {
		t.Errorf("listed origin: %v", h)
	}
	_, h, _ = request(t, http.MethodGet, base+"/api/v1/stats", "", map[string]string{"Origin": "https://other.example"})
	if h.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("unlisted origin got %q", h.Get("Access-Control-Allow-Origin"))
	}
	status, h, body := request(t, http.MethodOptions, base+"/api/v1/search", "", map[string]string{"Origin": "https://other.example", "Access-Control-Request-Method": "GET"})
	if h.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight from an unlisted origin: %d %v %s", status, h, body)
	}

	cfg = relayConfig(t, t.TempDir())
	cfg.Relay.CORS.AllowedOrigins = nil
	r = startRelay(t, cfg)
	_, h, _ = request(t, http.MethodGet, r.cfg.PublicURL+"/api/v1/stats", "", map[string]string{"Origin": "https://search.example"})
	if h.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("CORS off, yet %q", h.Get("Access-Control-Allow-Origin"))
	}
}
