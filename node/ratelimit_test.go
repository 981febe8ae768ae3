package node

import (
	"fmt"
	"golang.org/x/time/rate"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/sovereign-marketplace/market/config"
)

func TestRateLimiterClientAddress(t *testing.T) {
	rl, err := newRateLimiter(config.RateLimit{PerMinute: 60, Burst: 1, TrustedProxies: []string{"10.0.0.0/8", "::1"}}, prometheus.NewRegistry(), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		remote, xff, want string
	}{
		{"203.0.113.7:5000", "", "203.0.113.7"},
		{"203.0.113.7:5000", "198.51.100.1", "203.0.113.7"},                 // not from a trusted proxy: ignored
		{"10.1.2.3:443", "198.51.100.1", "198.51.100.1"},                    // the proxy's client
		{"10.1.2.3:443", "6.6.6.6, 198.51.100.1, 10.9.9.9", "198.51.100.1"}, // forged left hops skipped
		{"10.1.2.3:443", "", "10.1.2.3"},
		{"10.1.2.3:443", "garbage", "10.1.2.3"},
		{"[::1]:80", "2001:db8::5", "2001:db8::5"},
		{"[::ffff:203.0.113.9]:80", "", "203.0.113.9"},
	} {
		r := httptest.NewRequest("GET", "/api/v1/search", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		got, ok := rl.client(r)
		if !ok || got.String() != c.want {
			t.Errorf("remote %s, X-Forwarded-For %q: client %v (%v), want %s", c.remote, c.xff, got, ok, c.want)
		}
		// What a login lockout counts against is the same address.
		if n := (&Node{limiter: rl}); n.ClientAddr(r) != c.want {
			t.Errorf("remote %s, X-Forwarded-For %q: ClientAddr %s, want %s", c.remote, c.xff, n.ClientAddr(r), c.want)
		}
	}
}

// TestRateLimitPages: a browser over the limit gets the site's page (the
// page writer set by SetPageError takes it), an API client the JSON
// error; both 429 with Retry-After, the handler not called.
func TestRateLimitPages(t *testing.T) {
	rl, err := newRateLimiter(config.RateLimit{PerMinute: 60, Burst: 1}, prometheus.NewRegistry(), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	n := &Node{limiter: rl}
	var pages []string
	n.SetPageError(func(w http.ResponseWriter, r *http.Request, status int, msg string) bool {
		if r.Header.Get("Accept") != "text/html" {
			return false
		}
		pages = append(pages, msg)
		w.WriteHeader(status)
		return true
	})
	calls := 0
	h := rl.wrap("public", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls++ }))
	do := func(accept string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "203.0.113.7:1"
		r.Header.Set("Accept", accept)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	do("text/html")
	page, api := do("text/html"), do("application/json")
	if page.Code != 429 || api.Code != 429 || page.Header().Get("Retry-After") == "" || calls != 1 {
		t.Fatalf("over the limit: page %d, api %d, Retry-After %q, handler called %d times", page.Code, api.Code, page.Header().Get("Retry-After"), calls)
	}
	if len(pages) != 1 || !strings.HasPrefix(pages[0], "Too many requests from your address: at most 60 a minute") {
		t.Errorf("the page was told %q", pages)
	}
	if !strings.Contains(api.Body.String(), `"rate_limited"`) {
		t.Errorf("the API client got %s", api.Body)
	}
}

// TestRateLimiterBuckets: each client gets its own bucket of Burst
// requests that refills at PerMinute; an empty one answers 429 with the
// Retry-After that a token takes to come back, without calling the
// handler; exempt clients are never limited.
func TestRateLimiterBuckets(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	reg := prometheus.NewRegistry()
	rl, err := newRateLimiter(config.RateLimit{PerMinute: 6, Burst: 2, Exempt: []string{"192.0.2.0/24"}}, reg, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	h := rl.wrap("api", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls++ }))
	do := func(remote string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/api/v1/search", nil)
		r.RemoteAddr = remote + ":1234"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	for i, want := range []int{200, 200, 429, 429} {
		if got := do("203.0.113.7").Code; got != want {
			t.Fatalf("request %d: %d, want %d", i+1, got, want)
		}
	}
	w := do("203.0.113.7")
	if ra, _ := strconv.Atoi(w.Header().Get("Retry-After")); ra != 10 {
		t.Errorf("Retry-After %q, want 10 (one token every 10 s)", w.Header().Get("Retry-After"))
	}
	if calls != 2 {
		t.Fatalf("handler called %d times, want 2", calls)
	}
	if got := do("203.0.113.8").Code; got != 200 {
		t.Errorf("another client: %d, want 200", got)
	}
	// One IPv6 /64 is one client: its addresses share a bucket.
	for i, c := range []struct {
		addr string
		want int
	}{{"[2001:db8:1:2::1]", 200}, {"[2001:db8:1:2::ffff]", 200}, {"[2001:db8:1:2:aaaa::1]", 429}, {"[2001:db8:1:3::1]", 200}} {
		if got := do(c.addr).Code; got != c.want {
			t.Errorf("IPv6 request %d from %s: %d, want %d", i+1, c.addr, got, c.want)
		}
	}
	for i := 0; i < 10; i++ {
		if got := do("192.0.2.1").Code; got != 200 {
			t.Fatalf("exempt client, request %d: %d", i+1, got)
		}
	}
	now = now.Add(10 * time.Second)
	if got := do("203.0.113.7").Code; got != 200 {
		t.Errorf("after 10 s: %d, want 200", got)
	}
	if got := do("203.0.113.7").Code; got != 429 {
		t.Errorf("second request after 10 s: %d, want 429", got)
	}
	// Past maxClients buckets, new clients share the overflow bucket.
	rl.mu.Lock()
	for i := len(rl.clients); i < maxClients; i++ {
		lim := rate.NewLimiter(rl.every, rl.burst)
		lim.AllowN(now, rl.burst) // a client that spent its burst just now
		rl.clients[netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})] = lim
	}
	rl.lastSweep = now // a sweep just ran: none runs before a second has passed
	rl.mu.Unlock()
	for i := 0; i < 20; i++ {
		if got := do(fmt.Sprintf("198.51.100.%d", i)).Code; got != 200 {
			t.Fatalf("new client %d past the bucket limit: %d, want 200 (overflow bucket of 10 bursts)", i, got)
		}
	}
	if got := do("198.51.100.200").Code; got != 429 {
		t.Errorf("new client after the overflow bucket is spent: %d, want 429", got)
	}
	rl.mu.Lock()
	n := len(rl.clients)
	rl.mu.Unlock()
	if n != maxClients {
		t.Errorf("%d buckets, want the cap %d", n, maxClients)
	}
	// Full buckets are forgotten when the map is large, empty ones kept.
	now = now.Add(time.Hour)
	rl.mu.Lock()
	rl.forgetFull(now)
	n = len(rl.clients)
	rl.mu.Unlock()
	if n != 0 {
		t.Errorf("%d buckets kept an hour later, want 0", n)
	}
}
