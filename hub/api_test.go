package hub_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/hub"
	"github.com/sovereign-marketplace/market/internal/testhub"
)

// startHub runs a real hub named handle for a test.
func startHub(t *testing.T, handle string) *testhub.MarketHub {
	t.Helper()
	return testhub.StartMarketHub(t, testhub.HubConfig(t, t.TempDir(), handle), nil)
}

// ownerRoutes are every route of the owner API, with a body for writes.
var ownerRoutes = []struct {
	method, path string
	write        bool
}{
	{"GET", "/api/v1/owner/me", false},
	{"GET", "/api/v1/owner/listings", false},
	{"POST", "/api/v1/owner/listings", true},
	{"GET", "/api/v1/owner/listings/LID", false},
	{"PATCH", "/api/v1/owner/listings/LID", true},
	{"DELETE", "/api/v1/owner/listings/LID", true},
	{"GET", "/api/v1/owner/followers", false},
	{"GET", "/api/v1/owner/relays", false},
	{"GET", "/api/v1/owner/marketplace", false},
	{"POST", "/api/v1/owner/announces", true},
	{"GET", "/api/v1/marketplace/search", false},
	{"POST", "/api/v1/owner/deals/0123456789abcdef/counter", true},
}

// listingsOf returns the owner's listings through the owner API.
func listingsOf(t *testing.T, h *testhub.MarketHub, token string) []hub.ListingView {
	t.Helper()
	status, body := h.API(t, token, "GET", "/api/v1/owner/listings", nil)
	if status != http.StatusOK {
		t.Fatalf("list listings: %d %s", status, body)
	}
	var out struct{ Listings []hub.ListingView }
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	return out.Listings
}

// create creates a listing through the owner API and returns it.
func create(t *testing.T, h *testhub.MarketHub, token string, body map[string]any) hub.ListingView {
	t.Helper()
	status, out := h.API(t, token, "POST", "/api/v1/owner/listings", body)
	if status != http.StatusCreated {
		t.Fatalf("create listing: %d %s", status, out)
	}
	var v hub.ListingView
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func service(title, visibility, status string) map[string]any {
	return map[string]any{
		"listing_type": "service", "title": title, "description": "One hour, by video call.",
		"price":  map[string]string{"amount": "200", "currency": "USD", "price_type": "hourly", "pricing_model": "one_time"},
		"status": status, "visibility": visibility, "tags": []string{"architecture"}, "region": "US-CA",
	}
}

// TestOwnerAPIRefusesBadTokens: every owner API route refuses a missing,
// malformed, wrong, revoked, doubled or wrongly schemed token with a 401
// that changes nothing; a read-only token reads but cannot write (403).
func TestOwnerAPIRefusesBadTokens(t *testing.T) {
	h := startHub(t, "alice")
	full := h.Token(t, hub.ScopeFull)
	readOnly := h.Token(t, hub.ScopeReadOnly)
	l := create(t, h, full, service("Consulting", "public", "draft"))
	revoked, tok, err := h.CreateToken(hub.ScopeFull, "old laptop")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.RevokeToken(tok.ID); err != nil {
		t.Fatal(err)
	}
	wrong := "mkt_" + strings.Repeat("0", 64)
	before := listingsOf(t, h, full)
	for _, rt := range ownerRoutes {
		path := strings.Replace(rt.path, "LID", l.ID, 1)
		var body any
		if rt.write {
			body = service("Changed", "public", "active")
		}
		for name, token := range map[string]string{"missing": "", "wrong": wrong, "revoked": revoked, "malformed": "hunter2", "truncated": full[:20]} {
			status, out := h.API(t, token, rt.method, path, body)
			if status != http.StatusUnauthorized || !strings.Contains(string(out), `"bad_token"`) {
				t.Errorf("%s %s with a %s token: %d %s, want 401 bad_token", rt.method, rt.path, name, status, out)
			}
		}
		// A second Authorization header or another scheme is refused too.
		req, _ := http.NewRequest(rt.method, h.Config.PublicURL+path, nil)
		req.Header.Add("Authorization", "Bearer "+full)
		req.Header.Add("Authorization", "Bearer "+full)
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s %s with two Authorization headers: %v %v", rt.method, rt.path, resp.StatusCode, err)
		}
		req, _ = http.NewRequest(rt.method, h.Config.PublicURL+path, nil)
		req.Header.Set("Authorization", "Basic "+full)
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s %s with Basic: %v %v", rt.method, rt.path, resp.StatusCode, err)
		}
		status, out := h.API(t, readOnly, rt.method, path, body)
		switch {
		case rt.write && (status != http.StatusForbidden || !strings.Contains(string(out), "read_only_token")):
			t.Errorf("%s %s with a read-only token: %d %s, want 403", rt.method, rt.path, status, out)
		case !rt.write && status != http.StatusOK:
			t.Errorf("%s %s with a read-only token: %d %s, want 200", rt.method, rt.path, status, out)
		}
	}
	after := listingsOf(t, h, full)
	if len(after) != 1 || after[0].Title != before[0].Title || after[0].Status != before[0].Status || !after[0].Updated.Equal(before[0].Updated) {
		t.Fatalf("refused requests changed the listings: %+v, was %+v", after, before)
	}
	toks, _ := h.Tokens()
	for _, tk := range toks {
		if strings.Contains(tk.ID+tk.Name, "mkt_") {
			t.Fatalf("a token's secret is listed: %+v", tk)
		}
	}
}

// TestTokensAreStoredHashed: the secret appears nowhere in the bbolt file;
// its SHA-256 does.
func TestTokensAreStoredHashed(t *testing.T) {
	h := startHub(t, "alice")
	secret := h.Token(t, hub.ScopeFull)
	var found bool
	h.Node().DB.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				if strings.Contains(string(k)+string(v), secret) {
					found = true
				}
				return nil
			})
		})
	})
	if found {
		t.Fatal("the token's secret is stored in the bbolt file")
	}
	if _, _, err := h.CreateToken("admin", ""); err == nil || !strings.Contains(err.Error(), "scope must be read-only or full") {
		t.Fatalf("token of an unknown scope: %v", err)
	}
	if _, err := h.RevokeToken("nope"); err == nil {
		t.Fatal("revoking an unknown token succeeded")
	}
}

// TestOwnerAPIMatchesTheDocument calls every owner API route and the
// public routes, succeeding and failing, through a client that checks
// each request and answer against docs/openapi.yaml.
func TestOwnerAPIMatchesTheDocument(t *testing.T) {
	h := startHub(t, "alice")
	api := testhub.NewAPIClient(t, "../docs/openapi.yaml", h.Config.PublicURL)
	api.Header.Set("Authorization", "Bearer "+h.Token(t, hub.ScopeFull))
	readOnly := testhub.NewAPIClient(t, "../docs/openapi.yaml", h.Config.PublicURL)
	readOnly.Header.Set("Authorization", "Bearer "+h.Token(t, hub.ScopeReadOnly))
	anonymous := testhub.NewAPIClient(t, "../docs/openapi.yaml", h.Config.PublicURL)
	federated := testhub.NewAPIClient(t, "../docs/openapi.yaml", h.Config.PublicURL)
	federated.Header.Set("Accept", federation.ContentType)
	body := func(v any) []byte { b, _ := json.Marshal(v); return b }

	full := service("Consulting", "public", "active")
	full["location"] = map[string]float64{"lat": 37.8, "lon": -122.3}
	full["expires_at"] = time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	full["language"] = "en"
	status, out := api.Do("POST", "/api/v1/owner/listings", body(full))
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, out)
	}
	var l hub.ListingView
	json.Unmarshal(out, &l)
	dp := map[string]any{"listing_type": "data_product", "title": "Routes", "status": "draft", "visibility": "private", "price": map[string]string{"amount": "5"},
		"data_product_id": "dp-1", "data_product": map[string]any{"format": "csv", "sample_rows": 1, "sample": "a\n1\n"}}
	if status, out := api.Do("POST", "/api/v1/owner/listings", body(dp)); status != http.StatusCreated {
		t.Fatalf("create a data product: %d %s", status, out)
	}
	// Someone else's listings to share: one public, one gone.
	bob := testhub.StartHub(t, testhub.Options{Name: "bob"})
	shared := bob.Listing("Bob's kayak")
	if _, err := bob.ListingActivity("Create", shared); err != nil {
		t.Fatal(err)
	}
	gone := bob.Listing("Bob's old kayak")
	bob.SetStatus(gone.FederatedAPID, http.StatusGone)
	for _, c := range []struct {
		client       *testhub.APIClient
		method, path string
		body         []byte
		want         int
	}{
		{api, "GET", "/api/v1/owner/me", nil, 200},
		{api, "GET", "/api/v1/owner/listings", nil, 200},
		{api, "GET", "/api/v1/owner/listings/" + l.ID, nil, 200},
		{api, "GET", "/api/v1/owner/listings/nope", nil, 404},
		{api, "PATCH", "/api/v1/owner/listings/" + l.ID, body(map[string]any{"status": "paused", "expires_at": nil, "location": nil}), 200},
		{api, "PATCH", "/api/v1/owner/listings/" + l.ID, body(map[string]any{"title": ""}), 400},
		{api, "POST", "/api/v1/owner/listings", body(map[string]any{"title": "x", "id": "mine"}), 400},
		{api, "GET", "/api/v1/owner/followers", nil, 200},
		{api, "GET", "/api/v1/owner/relays", nil, 200},
		{api, "GET", "/api/v1/owner/marketplace", nil, 200},
		{api, "GET", "/api/v1/marketplace/search?q=kayak&type=service&currency=USD&price_max=10&sort=newest&limit=5", nil, 200},
		{readOnly, "GET", "/api/v1/marketplace/search?facets=false", nil, 200},
		{api, "GET", "/api/v1/marketplace/search?colour=red", nil, 400},
		{anonymous, "GET", "/api/v1/marketplace/search?q=kayak", nil, 401},
		{api, "POST", "/api/v1/owner/announces", body(map[string]string{"object": shared.FederatedAPID}), 201},
		{api, "POST", "/api/v1/owner/announces", body(map[string]string{"object": gone.FederatedAPID}), 404},
		{api, "POST", "/api/v1/owner/announces", body(map[string]string{"object": "kayak"}), 400},
		{api, "POST", "/api/v1/owner/announces", body(map[string]string{"object": h.Config.PublicURL + "/listings/" + l.ID}), 400},
		{api, "POST", "/api/v1/owner/announces", body(map[string]string{"url": shared.FederatedAPID}), 400},
		{readOnly, "POST", "/api/v1/owner/announces", body(map[string]string{"object": shared.FederatedAPID}), 403},
		{anonymous, "POST", "/api/v1/owner/announces", body(map[string]string{"object": shared.FederatedAPID}), 401},
		{readOnly, "PATCH", "/api/v1/owner/listings/" + l.ID, body(map[string]any{"title": "x"}), 403},
		{anonymous, "GET", "/api/v1/owner/listings", nil, 401},
		{api, "POST", "/api/v1/owner/deals/0123456789abcdef/counter", body(map[string]string{"amount": "150"}), 404},
		{api, "POST", "/api/v1/owner/deals/0123456789abcdef/counter", body(map[string]string{"price": "150"}), 400},
		{readOnly, "POST", "/api/v1/owner/deals/0123456789abcdef/counter", body(map[string]string{"amount": "150"}), 403},
		{anonymous, "DELETE", "/api/v1/owner/listings/" + l.ID, nil, 401},
		{anonymous, "GET", "/listings/" + l.ID, nil, 200},
		{federated, "GET", "/listings/" + l.ID, nil, 200},
		{anonymous, "GET", "/listings/nope", nil, 404},
		{federated, "GET", "/listings/nope", nil, 404},
		{anonymous, "GET", "/users/alice/outbox", nil, 200},
		{anonymous, "GET", "/users/alice/outbox?page=1", nil, 200},
		{anonymous, "GET", "/users/alice/outbox?page=0", nil, 400},
		{api, "PATCH", "/api/v1/owner/listings/" + l.ID, body(map[string]any{"status": "sold"}), 200},
		{api, "PATCH", "/api/v1/owner/listings/" + l.ID, body(map[string]any{"status": "active"}), 409},
		{api, "DELETE", "/api/v1/owner/listings/" + l.ID, nil, 204},
		{api, "DELETE", "/api/v1/owner/listings/" + l.ID, nil, 404},
		{anonymous, "GET", "/listings/" + l.ID, nil, 410},
		{federated, "GET", "/listings/" + l.ID, nil, 410},
	} {
		if status, out := c.client.Do(c.method, c.path, c.body); status != c.want {
			t.Errorf("%s %s: %d %s, want %d", c.method, c.path, status, out, c.want)
		}
	}
}
