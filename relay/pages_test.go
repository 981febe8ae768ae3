package relay_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/index/synth"
	"github.com/sovereign-marketplace/market/listing"
	"github.com/sovereign-marketplace/market/relay"
	"github.com/sovereign-marketplace/market/web"
)

// browserAccept is the Accept header Chromium sends for a page.
const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"

// The hostile listing: a hub that sends markup and script in its title,
// its description and its HTML content.
const (
	hostileTitle   = `Cheap <script>alert("title")</script><img src=x onerror=alert('t')> bikes`
	hostileDesc    = `Plain text with <script>alert("desc")</script> and <img src=x onerror=alert('d')> inside.`
	hostileContent = `<p>Great <b>bikes</b></p><script>alert("content")</script><img src=x onerror=alert('c')><a href="javascript:alert('a')">click</a><iframe src="https://evil.example/"></iframe><p onclick="alert('p')" style="position:fixed">ok</p>`
	hostileID      = "https://evil-hub.example/listings/1"
)

// pagesRelay starts a relay holding n synthetic listings (index/synth:
// several languages, real regions, one in ten located) and the hostile
// listing, stored and indexed as received listings are.
func pagesRelay(t testing.TB, n int) *testRelay {
	t.Helper()
	r := startRelay(t, relayConfig(t, t.TempDir()))
	g := synth.New(7)
	err := r.Store().Update(func(tx *relay.Txn) error {
		for i := 0; i < n; i++ {
			it := g.Listing(i)
			obj, err := listing.Encode(it.Listing)
			if err != nil {
				return fmt.Errorf("synthetic listing %d: %w", i, err)
			}
			if err := tx.PutListing(&relay.Record{Listing: *it.Listing, Object: obj, SellerName: it.SellerName, Received: it.Received, Arrival: relay.ArrivalDelivered}); err != nil {
				return err
			}
		}
		return tx.PutListing(hostileRecord())
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Reindex(context.Background()); err != nil {
		t.Fatal(err)
	}
	return r
}

func hostileRecord() *relay.Record {
	now := time.Now().UTC().Truncate(time.Second)
	l := listing.Listing{
		ID: "1", Owner: "https://evil-hub.example/users/mallory", Type: listing.TypePhysical,
		Title: hostileTitle, Description: hostileDesc,
		Price:  listing.Price{Amount: "25", Currency: "EUR", Type: listing.PriceFixed, Model: listing.PricingOneTime},
		Status: listing.StatusActive, Tags: []string{"cycling", `x"><script>alert(1)</script>`}, Visibility: listing.VisibilityPublic,
		Region: "DE-BE", Location: &listing.GeoPoint{Lat: 52.52, Lon: 13.40},
		FederatedAPID: hostileID, URL: "javascript:alert('url')", Created: now, Updated: now,
	}
	obj, _ := json.Marshal(map[string]any{
		"id": hostileID, "type": []string{"Note", "Proposal"}, "attributedTo": l.Owner,
		"name": hostileTitle, "summary": hostileTitle, "content": hostileContent,
	})
	return &relay.Record{Listing: l, Object: obj, SellerName: `Mallory <img src=x onerror=alert('n')>`, Received: now, Arrival: relay.ArrivalDelivered}
}

// page GETs path with an Accept header (none when accept is empty).
func page(t *testing.T, r *testRelay, path string, accept string) (int, http.Header, string) {
	t.Helper()
	hdr := map[string]string{}
	if accept != "" {
		hdr["Accept"] = accept
	}
	return request(t, http.MethodGet, r.cfg.PublicURL+path, "", hdr)
}

// TestRootNegotiates: / stays the relay's JSON description for API
// clients (no Accept, */*, application/json) and is the search page for
// a browser.
func TestRootNegotiates(t *testing.T) {
	r := pagesRelay(t, 30)
	for _, accept := range []string{"", "*/*", "application/json"} {
		status, h, body := page(t, r, "/", accept)
		var root struct {
			Name, Actor, Software string
			Specialization        map[string]any
		}
		if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") || json.Unmarshal([]byte(body), &root) != nil ||
			root.Actor != r.cfg.PublicURL+"/actor" || !strings.HasPrefix(root.Software, "market ") || root.Specialization == nil {
			t.Errorf("GET / with Accept %q: %d %s %s", accept, status, h.Get("Content-Type"), body)
		}
		if !strings.Contains(h.Get("Vary"), "Accept") {
			t.Errorf("GET / with Accept %q: Vary %q lacks Accept", accept, h.Get("Vary"))
		}
	}
	status, h, body := page(t, r, "/", browserAccept)
	if status != 200 || h.Get("Content-Type") != "text/html; charset=utf-8" || h.Get("Content-Security-Policy") != web.CSP {
		t.Fatalf("GET / as a browser: %d %v", status, h)
	}
	for _, want := range []string{`<html lang="en">`, `<form class="search" method="get" action="/"`, `<label for="q">`, `31 results`, `About this relay`,
		`market hub relays add acct:relay@` + strings.TrimPrefix(r.cfg.PublicURL, "http://"), `<figure class="map" data-map`, `src="/assets/map.js?v=`} {
		if !strings.Contains(body, want) {
			t.Errorf("search page lacks %q", want)
		}
	}
}

var (
	hrefRE = regexp.MustCompile(`href="([^"]*)"`)
	hitRE  = regexp.MustCompile(`<h3 id="hit-\d+"><a href="/listing/([^"]+)">`)
	// injected markup: a tag that runs or loads something, an event
	// handler or a style attribute inside a tag, a script URL
	injectedRE  = regexp.MustCompile(`(?i)<(script|img|iframe|object|embed|svg|math)\b|<[^>]*\s(on\w+|style)\s*=|javascript:`)
	ownScriptRE = regexp.MustCompile(`<script src="/assets/[a-z]+\.js\?v=[0-9a-f]+" defer></script>`)
)

// links returns the hrefs of a page, unescaped as a browser reads them.
func links(body string) []string {
	var out []string
	for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
		out = append(out, strings.ReplaceAll(m[1], "&amp;", "&"))
	}
	return out
}

// TestSearchPageMatchesTheAPI: the page of a query shows what the API
// answers for the same query string (the URL holds the whole query): the
// same total, the same hits in order, facet links with the API's counts,
// and a next page carrying the API's cursor. It is all plain HTML: a form
// GET and links, no script needed.
func TestSearchPageMatchesTheAPI(t *testing.T) {
	r := pagesRelay(t, 300)
	api := newAPIClient(t, r.cfg.PublicURL)
	for _, query := range []string{"", "type=service", "q=data&sort=newest", "tag=running&currency=EUR", "type=physical&type=digital&region=US-CA", "currency=USD&price_min=10&price_max=49.99&sort=price_asc"} {
		want := api.search(query)
		status, _, body := page(t, r, "/?"+query, browserAccept)
		if status != 200 {
			t.Fatalf("/?%s: %d", query, status)
		}
		total := fmt.Sprintf(">%d %s", want.Total, map[bool]string{true: "result", false: "results"}[want.Total == 1])
		if !strings.Contains(body, total) {
			t.Errorf("/?%s: page lacks total %q", query, total)
		}
		var got, exp []string
		for _, m := range hitRE.FindAllStringSubmatch(body, -1) {
			id, _ := url.PathUnescape(m[1])
			got = append(got, id)
		}
		for _, h := range want.Hits {
			exp = append(exp, h.ID)
		}
		if strings.Join(got, " ") != strings.Join(exp, " ") {
			t.Errorf("/?%s: hits\n%s\nwant (API)\n%s", query, got, exp)
		}
		for _, f := range want.Facets["listing_type"] {
			if !strings.Contains(body, fmt.Sprintf(`data-value="%s"`, f.Value)) || !strings.Contains(body, fmt.Sprintf(`<span class="count">%d</span>`, f.Count)) {
				t.Errorf("/?%s: type facet %s (%d) missing", query, f.Value, f.Count)
			}
		}
		if want.NextCursor != "" && !strings.Contains(body, "cursor="+url.QueryEscape(want.NextCursor)) {
			t.Errorf("/?%s: no next page with the API's cursor", query)
		}
	}
}

// TestSearchPageFollowsItsOwnLinks: a facet link narrows the search, a
// chosen facet's link drops it again, and paging by cursor walks every
// result once.
func TestSearchPageFollowsItsOwnLinks(t *testing.T) {
	r := pagesRelay(t, 120)
	_, _, body := page(t, r, "/?type=service", browserAccept)
	var facet, drop string
	for _, l := range links(body) {
		if strings.Contains(l, "tag=") && facet == "" && strings.HasPrefix(l, "/?") {
			facet = l
		}
		if l == "/" {
			drop = l
		}
	}
	if facet == "" || !strings.Contains(facet, "type=service") {
		t.Fatalf("no tag facet link keeping type=service: %q", facet)
	}
	if drop == "" {
		t.Error("no link dropping the chosen type")
	}
	seen := map[string]bool{}
	next := "/?limit=25"
	for pages := 0; next != ""; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		status, _, body := page(t, r, next, browserAccept)
		if status != 200 {
			t.Fatalf("%s: %d", next, status)
		}
		next = ""
		for _, l := range links(body) {
			if strings.Contains(l, "cursor=") {
				next = l
			}
		}
		for _, m := range hitRE.FindAllStringSubmatch(body, -1) {
			seen[m[1]] = true
		}
	}
	if len(seen) != 121 {
		t.Errorf("paging showed %d listings, want 121", len(seen))
	}
}

// TestSearchPageBadQuery: a query the API refuses shows the form again
// with the problem beside it, status 400, and never a server error.
func TestSearchPageBadQuery(t *testing.T) {
	r := pagesRelay(t, 10)
	for query, want := range map[string]string{
		"price_min=10":                  "price_min: needs currency",
		"sort=distance":                 "sort: distance needs near",
		"near=999,1&radius_km=5":        "near: must be",
		"currency=USD&price_min=ten":    "price_min: must be a non-negative decimal amount",
		"nonsense=1":                    "nonsense: is not a search parameter",
		"q=" + strings.Repeat("x", 600): "q: is 600 bytes long",
	} {
		status, _, body := page(t, r, "/?"+query, browserAccept)
		if status != 400 || !strings.Contains(body, `id="search-error" role="alert">`+want) || !strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("/?%s: %d, want 400 with %q beside the form", query[:min(len(query), 30)], status, want)
		}
	}
}

// TestPagesEscapeRemoteValues: what a hub sent shows as text on the
// search page and the listing's page; its HTML content is sanitized;
// a javascript: URL is never a link.
func TestPagesEscapeRemoteValues(t *testing.T) {
	r := pagesRelay(t, 5)
	check := func(where, body string) {
		t.Helper()
		body = ownScriptRE.ReplaceAllString(body, "")
		for _, loc := range injectedRE.FindAllStringIndex(body, -1) {
			t.Errorf("%s holds markup from the hub: …%s…", where, body[max(0, loc[0]-60):min(len(body), loc[1]+60)])
		}
	}
	_, _, body := page(t, r, "/?q=bikes", browserAccept)
	check("search page", body)
	if !strings.Contains(body, `Cheap &lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(&#39;t&#39;)&gt; bikes`) {
		t.Error("search page does not show the hostile title as text")
	}
	status, _, body := page(t, r, "/listing/"+url.PathEscape(hostileID), browserAccept)
	if status != 200 {
		t.Fatalf("listing page: %d", status)
	}
	check("listing page", body)
	for _, want := range []string{
		`<h1 id="listing-h">Cheap &lt;script&gt;alert(&#34;title&#34;)`,
		`<div class="description"><p>Great <b>bikes</b></p>click<p>ok</p></div>`,
		`Mallory &lt;img src=x onerror=alert(&#39;n&#39;)&gt;`,
		`href="https://evil-hub.example/listings/1"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("listing page lacks %q", want)
		}
	}
}

// TestListingPage: a stored listing's page shows what was received, its
// seller and when it arrived; an unknown id is the 404 page.
func TestListingPage(t *testing.T) {
	r := pagesRelay(t, 3)
	it := synth.New(7).Listing(0)
	status, h, body := page(t, r, "/listing/"+url.PathEscape(it.Listing.FederatedAPID), browserAccept)
	if status != 200 || h.Get("Content-Security-Policy") != web.CSP {
		t.Fatalf("%d", status)
	}
	for _, want := range []string{
		`<h1 id="listing-h">` + template(it.Listing.Title),
		`<div class="description plain">`,
		`<dt>Received</dt><dd><time datetime="` + it.Received.UTC().Format(time.RFC3339),
		`href="/api/v1/listings/` + url.PathEscape(it.Listing.FederatedAPID) + `"`,
		`action="/listing/` + url.PathEscape(it.Listing.FederatedAPID) + `/report"`,
		`<label for="reason">`, `data-report-api="/api/v1/reports"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("listing page lacks %q", want)
		}
	}
	status, _, body = page(t, r, "/listing/"+url.PathEscape("https://nowhere.example/x"), browserAccept)
	if status != 404 || !strings.Contains(body, "holds no listing with that id") {
		t.Errorf("unknown listing: %d", status)
	}
}

// template escapes s as html/template does in text.
func template(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

// TestReportFormWithoutJavaScript: the listing page's form, posted as a
// browser posts it without JavaScript, stores the report and comes back
// to the page, which thanks the reader; an empty reason is shown beside
// the field; a form posted from another site is refused.
func TestReportFormWithoutJavaScript(t *testing.T) {
	r := pagesRelay(t, 3)
	target := r.cfg.PublicURL + "/listing/" + url.PathEscape(hostileID) + "/report"
	post := func(reason string, hdr map[string]string) *http.Response {
		req, _ := http.NewRequest("POST", target, strings.NewReader(url.Values{"listing_id": {hostileID}, "reason": {reason}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", browserAccept)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	sameSite := map[string]string{"Origin": r.cfg.PublicURL, "Sec-Fetch-Site": "same-origin"}
	resp := post("Scam: asks for payment outside escrow", sameSite)
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "?reported=") {
		t.Fatalf("report: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	reps, _ := r.Reports()
	if len(reps) != 1 || reps[0].ListingID != hostileID || reps[0].Reason != "Scam: asks for payment outside escrow" {
		t.Fatalf("reports %+v", reps)
	}
	status, _, body := page(t, r, resp.Header.Get("Location"), browserAccept)
	if status != 200 || !strings.Contains(body, "Thank you. Report "+reps[0].ID+" was sent") {
		t.Errorf("after the report: %d", status)
	}
	if resp := post("  ", sameSite); resp.StatusCode != 400 {
		t.Errorf("empty reason: %d, want 400", resp.StatusCode)
	}
	if resp := post("spam", map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}); resp.StatusCode != 403 {
		t.Errorf("report from another site: %d, want 403", resp.StatusCode)
	}
	if reps, _ := r.Reports(); len(reps) != 1 {
		t.Errorf("%d reports stored, want 1", len(reps))
	}
}

// TestNotFoundAndDocsPages: an unknown path is the 404 page for a browser
// and a JSON error for others; a path served only for POST keeps its 405;
// the API docs and the about page are served.
func TestNotFoundAndDocsPages(t *testing.T) {
	r := pagesRelay(t, 3)
	status, h, body := page(t, r, "/no/such/page", browserAccept)
	if status != 404 || !strings.Contains(body, "Page not found") || h.Get("Content-Security-Policy") != web.CSP {
		t.Errorf("404 page: %d", status)
	}
	if status, h, _ := page(t, r, "/no/such/page", ""); status != 404 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		t.Errorf("404 for an API client: %d %s", status, h.Get("Content-Type"))
	}
	if status, h, _ := page(t, r, "/inbox", ""); status != 405 || !strings.Contains(h.Get("Allow"), "POST") {
		t.Errorf("GET /inbox: %d Allow %q, want 405", status, h.Get("Allow"))
	}
	status, _, body = page(t, r, "/api/docs", browserAccept)
	if status != 200 || !strings.Contains(body, "<code>/api/v1/search</code>") || strings.Contains(body, "<code>/api/v1/owner/listings</code>") {
		t.Errorf("API docs: %d", status)
	}
	status, _, body = page(t, r, "/about", browserAccept)
	if status != 200 || !strings.Contains(body, "How to subscribe a hub") || !strings.Contains(body, "<dt>Listings</dt><dd>4") {
		t.Errorf("about page: %d", status)
	}
}
