package relay_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/internal/testhub"
	"github.com/sovereign-marketplace/market/listing"
)

// apiClient calls the relay's public API and checks every request and
// response against docs/openapi.yaml, so the document stays true.
type apiClient struct {
	*testhub.APIClient
	t *testing.T
}

func newAPIClient(t *testing.T, base string) *apiClient {
	return &apiClient{testhub.NewAPIClient(t, "../docs/openapi.yaml", base), t}
}

// do sends a request and validates it and its response against the document.
func (c *apiClient) do(method, path string, body []byte) (int, []byte) {
	return c.Do(method, path, body)
}

type searchResult struct {
	Total int
	Hits  []struct {
		ID, Title, Summary, Region string
		ListingType                string `json:"listing_type"`
		Price                      struct{ Amount, Currency string }
		Seller                     struct{ ID, Name, Host string }
	}
	Facets map[string][]struct {
		Value string
		Count int
	}
	NextCursor string `json:"next_cursor"`
}

func (c *apiClient) search(query string) searchResult {
	c.t.Helper()
	status, body := c.do("GET", "/api/v1/search?"+query, nil)
	if status != 200 {
		c.t.Fatalf("search %q: %d %s", query, status, body)
	}
	var r searchResult
	if err := json.Unmarshal(body, &r); err != nil {
		c.t.Fatal(err)
	}
	return r
}

func ids(r searchResult) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.Title)
	}
	return out
}

func facet(r searchResult, name, value string) int {
	for _, f := range r.Facets[name] {
		if f.Value == value {
			return f.Count
		}
	}
	return 0
}

func TestSearchAPI(t *testing.T) {
	r := startRelay(t, relayConfig(t, t.TempDir()))
	alice := startHub(t, "alice", "127.0.0.1")
	bob := startHub(t, "bob", "localhost")
	subscribe(t, r, alice)
	subscribe(t, r, bob)
	api := newAPIClient(t, r.cfg.PublicURL)

	publish := func(h interface {
		ListingActivity(string, *listing.Listing) ([]byte, error)
	}, sender func([]byte), l *listing.Listing) {
		act, err := h.ListingActivity("Create", l)
		if err != nil {
			t.Fatal(err)
		}
		sender(act)
	}
	toAlice := func(b []byte) { mustSend(t, alice, r.inbox(), b) }
	toBob := func(b []byte) { mustSend(t, bob, r.inbox(), b) }

	routes := alice.Listing("Running routes in San Francisco")
	routes.Price.Amount = "40"
	routes.Tags = []string{"running", "gps"}
	routes.Description = "GPS tracks from my phone, cleaned by the privacy engine."
	lessons := alice.Listing("Piano lessons for beginners")
	lessons.Type, lessons.Region, lessons.Tags = listing.TypeService, "US-NY", []string{"music"}
	lessons.Description = "Weekly lessons at my studio in Brooklyn."
	lessons.Price = listing.Price{Amount: "30", Currency: "USD", Type: listing.PriceHourly, Model: listing.PricingOneTime}
	lisbon := bob.Listing("Running heart rate data Lisbon")
	lisbon.Region, lisbon.Price.Amount, lisbon.Price.Currency = "PT-11", "15", "EUR"
	publish(alice, toAlice, routes)
	publish(alice, toAlice, lessons)
	publish(bob, toBob, lisbon)
	if err := r.FlushIndex(context.Background()); err != nil {
		t.Fatal(err)
	}

	all := api.search("")
	if all.Total != 3 || facet(all, "listing_type", "data_product") != 2 || facet(all, "listing_type", "service") != 1 {
		t.Fatalf("browse = %d hits, facets %v", all.Total, all.Facets)
	}
	if _, body := api.do("GET", "/api/v1/search", nil); bytes.Contains(body, []byte(`"location"`)) {
		t.Errorf("hits of listings without a point carry a location: %s", body)
	}
	if got := api.search("q=running"); got.Total != 2 {
		t.Fatalf("q=running: %v", ids(got))
	}
	if got := api.search("q=running+-lisbon"); got.Total != 1 || got.Hits[0].ID != routes.FederatedAPID {
		t.Fatalf("q=running -lisbon: %v", ids(got))
	}
	if got := api.search(`q=%22heart+rate%22`); got.Total != 1 || got.Hits[0].ID != lisbon.FederatedAPID {
		t.Fatalf(`q="heart rate": %v`, ids(got))
	}
	if got := api.search("region=US"); got.Total != 2 {
		t.Fatalf("region=US (country matches subdivisions): %v", ids(got))
	}
	if got := api.search("type=service&region=US-NY"); got.Total != 1 || got.Hits[0].ID != lessons.FederatedAPID {
		t.Fatalf("type=service region=US-NY: %v", ids(got))
	}
	if got := api.search("currency=USD&price_max=35"); got.Total != 1 || got.Hits[0].ID != lessons.FederatedAPID {
		t.Fatalf("price_max=35 USD: %v", ids(got))
	}
	if got := api.search("tag=running&tag=gps"); got.Total != 2 {
		t.Fatalf("tags running+gps: %v", ids(got))
	}
	got := api.search("seller=" + url.QueryEscape(alice.ActorID) + "&sort=price_asc")
	if got.Total != 2 || got.Hits[0].ID != lessons.FederatedAPID || got.Hits[1].ID != routes.FederatedAPID {
		t.Fatalf("seller alice by price: %v", ids(got))
	}
	if h := got.Hits[1]; h.Seller.Name != "Alice" || h.Seller.Host != "127.0.0.1:"+strings.Split(alice.URL, ":")[2] || h.Price.Amount != "40" {
		t.Fatalf("hit = %+v", h)
	}
	// Paging by cursor returns each hit once.
	seen := map[string]bool{}
	for cursor, pages := "", 0; pages < 5; pages++ {
		p := api.search("limit=1&cursor=" + url.QueryEscape(cursor))
		for _, h := range p.Hits {
			if seen[h.ID] {
				t.Fatalf("hit %s twice", h.ID)
			}
			seen[h.ID] = true
		}
		if cursor = p.NextCursor; cursor == "" {
			break
		}
	}
	if len(seen) != 3 {
		t.Fatalf("paging saw %d of 3 listings", len(seen))
	}

	// Update: the old title no longer matches, the new one does.
	routes.Title = "Cycling routes in San Francisco"
	routes.Updated = routes.Updated.Add(time.Minute)
	upd, _ := alice.ListingActivity("Update", routes)
	mustSend(t, alice, r.inbox(), upd)
	r.FlushIndex(context.Background())
	if got := api.search("q=running"); got.Total != 1 {
		t.Fatalf("after Update, q=running still finds the old title: %v", ids(got))
	}
	if got := api.search("q=cycling"); got.Total != 1 {
		t.Fatalf("after Update, q=cycling: %v", ids(got))
	}

	// The stored listing, as received, with its signature evidence.
	status, body := api.do("GET", "/api/v1/listings/"+url.PathEscape(routes.FederatedAPID), nil)
	var stored struct {
		Activity  json.RawMessage
		Signature struct {
			KeyID string `json:"key_id"`
		}
	}
	if status != 200 || json.Unmarshal(body, &stored) != nil || string(stored.Activity) != string(upd) || stored.Signature.KeyID != alice.ActorID+"#main-key" {
		t.Fatalf("GET listing: %d %s", status, body)
	}
	if status, _ := api.do("GET", "/api/v1/listings/"+url.PathEscape(alice.ActorID+"/listings/none"), nil); status != 404 {
		t.Fatalf("unknown listing: %d", status)
	}

	// Delete: gone from search.
	mustSend(t, alice, r.inbox(), alice.Activity("Delete", lessons.FederatedAPID))
	r.FlushIndex(context.Background())
	if got := api.search("q=piano"); got.Total != 0 {
		t.Fatalf("deleted listing still found: %v", ids(got))
	}

	// Reports.
	status, body = api.do("POST", "/api/v1/reports", []byte(fmt.Sprintf(`{"listing_id": %q, "reason": "looks like a scam"}`, lisbon.FederatedAPID)))
	if status != 201 {
		t.Fatalf("report: %d %s", status, body)
	}
	for _, bad := range []string{`{"listing_id": "x"}`, `{"reason": "r"}`, `not json`, `{"listing_id": "https://nowhere.example/l", "reason": "r"}`} {
		if status, body := api.do("POST", "/api/v1/reports", []byte(bad)); status != 400 && status != 404 {
			t.Errorf("bad report %s: %d %s", bad, status, body)
		}
	}
	reps, err := r.Reports()
	if err != nil || len(reps) != 1 || reps[0].ListingID != lisbon.FederatedAPID || reps[0].Seller != bob.ActorID {
		t.Fatalf("reports = %+v, %v", reps, err)
	}

	// Stats.
	status, body = api.do("GET", "/api/v1/stats", nil)
	var st struct {
		Listings     int
		ByType       map[string]int `json:"by_type"`
		ByRegion     map[string]int `json:"by_region"`
		HubsFollowed int            `json:"hubs_followed"`
		LastIngest   *time.Time     `json:"last_ingest"`
	}
	if status != 200 || json.Unmarshal(body, &st) != nil || st.Listings != 2 || st.ByType["data_product"] != 2 || st.ByRegion["PT-11"] != 1 || st.HubsFollowed != 2 || st.LastIngest == nil {
		t.Fatalf("stats: %d %s", status, body)
	}

	// Blocking a domain drops its listings from search at once.
	if _, err := r.Block("localhost", "spam"); err != nil {
		t.Fatal(err)
	}
	r.FlushIndex(context.Background())
	if got := api.search("q=lisbon"); got.Total != 0 {
		t.Fatalf("blocked domain's listing still found: %v", ids(got))
	}
	// Blocking an actor by URL does the same for one seller.
	if _, err := r.Block(alice.ActorID, "spam"); err != nil {
		t.Fatal(err)
	}
	r.FlushIndex(context.Background())
	if got := api.search(""); got.Total != 0 {
		t.Fatalf("blocked actor's listings still found: %v", ids(got))
	}
	act, _ := alice.ListingActivity("Create", alice.Listing("After the block"))
	if status, body := send(t, alice, r.inbox(), act); status != http.StatusForbidden {
		t.Fatalf("blocked actor's Create: %d %s", status, body)
	}
}

func TestSearchBadParameters(t *testing.T) {
	r := startRelay(t, relayConfig(t, t.TempDir()))
	api := newAPIClient(t, r.cfg.PublicURL)
	for query, param := range map[string]string{
		"limit=0":                     "limit",
		"limit=1000":                  "limit",
		"price_min=10":                "price_min",
		"currency=USD&price_max=ten":  "price_max",
		"near=91,0&radius_km=5":       "near",
		"near=10,10":                  "radius_km",
		"near=10,10&radius_km=-1":     "radius_km",
		"sort=cheapest":               "sort",
		"type=car":                    "type",
		"region=California":           "region",
		"cursor=not-a-cursor":         "cursor",
		"colour=red":                  "colour",
		"q=a&q=b":                     "q",
		"price_type=free&facets=yes!": "facets",
		"q=" + url.QueryEscape(strings.Repeat(`"a b" `, index.MaxPhrases+1)):        "q",
		"q=" + url.QueryEscape(strings.Repeat(`-c `, index.MaxExclusions)+`-"d e"`): "q",
		"q=" + url.QueryEscape(strings.Repeat(`w `, index.MaxTextParts+1)):          "q",
	} {
		status, body := api.do("GET", "/api/v1/search?"+query, nil)
		var e struct{ Error, Reason string }
		json.Unmarshal(body, &e)
		if status != 400 || !strings.HasPrefix(e.Error, param+":") {
			t.Errorf("%s: status %d, error %q; want 400 naming %q", query, status, e.Error, param)
		}
	}
}

// TestSearchDeadline: a search still running at the relay's search
// deadline is abandoned with 503 search_timeout and a Retry-After.
func TestSearchDeadline(t *testing.T) {
	r, api := searchRelay(t, nil, "Running routes")
	r.SetSearchDeadline(time.Nanosecond)
	status, body := api.do("GET", "/api/v1/search?q=running", nil)
	var e struct{ Reason string }
	json.Unmarshal(body, &e)
	if status != 503 || e.Reason != "search_timeout" {
		t.Errorf("search past its deadline: %d %s; want 503 search_timeout", status, body)
	}
}

// TestSearchByDistance: with near, hits come nearest first (the default
// without words in q, or sort=distance), each with its distance_km, and
// paging by cursor shows each once in that order; sort=distance without
// near is a 400 naming sort.
func TestSearchByDistance(t *testing.T) {
	// Berlin, Potsdam (27 km), Leipzig (150 km), Hamburg (255 km), and one
	// in Munich (505 km), outside the radius.
	places := []listing.GeoPoint{{Lat: 53.55, Lon: 9.99}, {Lat: 52.52, Lon: 13.40}, {Lat: 51.34, Lon: 12.37}, {Lat: 48.14, Lon: 11.58}, {Lat: 52.40, Lon: 13.06}}
	_, api := searchRelay(t, func(i int, l *listing.Listing) { l.Location = &places[i] },
		"Hamburg bicycle", "Berlin bicycle", "Leipzig bicycle", "Munich bicycle", "Potsdam bicycle")
	want := []string{"Berlin bicycle", "Potsdam bicycle", "Leipzig bicycle", "Hamburg bicycle"}
	for _, query := range []string{"near=52.52,13.40&radius_km=300", "near=52.52,13.40&radius_km=300&sort=distance&q=bicycle", "near=52.52,13.40&radius_km=300&q=-kayak"} {
		var got []string
		var last float64
		cursor := ""
		for pages := 0; pages < 10; pages++ {
			status, body := api.do("GET", "/api/v1/search?"+query+"&limit=1&cursor="+url.QueryEscape(cursor), nil)
			var res struct {
				Hits []struct {
					Title      string
					DistanceKm *float64 `json:"distance_km"`
					Location   *struct{ Lat, Lon float64 }
				}
				NextCursor string `json:"next_cursor"`
			}
			if status != 200 || json.Unmarshal(body, &res) != nil {
				t.Fatalf("%s: %d %s", query, status, body)
			}
			for _, h := range res.Hits {
				got = append(got, h.Title)
				if l := h.Location; l == nil || listing.DistanceKm(52.52, 13.40, l.Lat, l.Lon) > 300 {
					t.Errorf("%s: %s located at %+v, want its point within 300 km of Berlin", query, h.Title, l)
				}
				if h.DistanceKm == nil || *h.DistanceKm < last {
					t.Errorf("%s: %s at distance_km %v after %v", query, h.Title, h.DistanceKm, last)
				} else {
					last = *h.DistanceKm
				}
			}
			if cursor = res.NextCursor; cursor == "" {
				break
			}
		}
		if strings.Join(got, ", ") != strings.Join(want, ", ") {
			t.Errorf("%s, one per page: %v; want %v", query, got, want)
		}
		if last < 250 || last > 260 {
			t.Errorf("%s: Hamburg at %v km, want about 255", query, last)
		}
	}
	status, body := api.do("GET", "/api/v1/search?sort=distance", nil)
	var e struct{ Error string }
	json.Unmarshal(body, &e)
	if status != 400 || !strings.HasPrefix(e.Error, "sort: distance needs near") {
		t.Errorf("sort=distance without near: %d %s", status, body)
	}
}

// searchRelay starts a relay holding one hub's listings, made by edit
// from the hub's default listing and a title each, and a client checking
// every call against docs/openapi.yaml.
func searchRelay(t *testing.T, edit func(i int, l *listing.Listing), titles ...string) (*testRelay, *apiClient) {
	t.Helper()
	r := startRelay(t, relayConfig(t, t.TempDir()))
	h := startHub(t, "alice", "127.0.0.1")
	subscribe(t, r, h)
	for i, title := range titles {
		l := h.Listing(title)
		if edit != nil {
			edit(i, l)
		}
		act, err := h.ListingActivity("Create", l)
		if err != nil {
			t.Fatal(err)
		}
		mustSend(t, h, r.inbox(), act)
	}
	if err := r.FlushIndex(context.Background()); err != nil {
		t.Fatal(err)
	}
	return r, newAPIClient(t, r.cfg.PublicURL)
}

// TestSearchForgedCursor: a next_cursor changed by hand to point before or
// past its kept ranking is a 400 naming the cursor, never a failure of the
// server.
func TestSearchForgedCursor(t *testing.T) {
	_, api := searchRelay(t, nil, "Running routes one", "Running routes two", "Running routes three")
	first := api.search("q=running&limit=1")
	if first.NextCursor == "" {
		t.Fatalf("q=running&limit=1: no next_cursor, %d hits of %d", len(first.Hits), first.Total)
	}
	raw, err := base64.RawURLEncoding.DecodeString(first.NextCursor)
	if err != nil {
		t.Fatal(err)
	}
	for field, value := range map[string]string{"p": "-1", "n": "-1", "v": "2"} {
		var c map[string]json.RawMessage
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		c[field] = json.RawMessage(value)
		b, _ := json.Marshal(c)
		forged := base64.RawURLEncoding.EncodeToString(b)
		status, body := api.do("GET", "/api/v1/search?q=running&limit=1&cursor="+forged, nil)
		var e struct{ Error string }
		json.Unmarshal(body, &e)
		if status != 400 || !strings.HasPrefix(e.Error, "cursor: ") {
			t.Errorf("cursor with %s=%s: status %d, %s; want 400 naming cursor", field, value, status, body)
		}
	}
}
