package relay_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sovereign-marketplace/market/internal/browsertest"
)

// TestBrowserSearchFlow: on a relay with 300 listings, a buyer types a
// query, clicks a facet, pages, opens a result and reports it, in
// Chromium, with JavaScript: the map is drawn from the bundled shapes, the
// report goes to the JSON API without a page load, and no page throws or
// breaks its CSP.
func TestBrowserSearchFlow(t *testing.T) {
	r := pagesRelay(t, 300)
	b := browsertest.New(t, r.cfg.PublicURL, true)

	b.Open("/")
	if got := b.Text("#result-count"); got != "301 results" {
		t.Errorf("start page: %q, want 301 results", got)
	}
	type mapCounts struct {
		Countries int `json:"countries"`
		Links     int `json:"links"`
		Dots      int `json:"dots"`
	}
	drawn := browsertest.Eval[mapCounts](b, `({countries: document.querySelectorAll("figure.map.drawn svg path.land").length,
		links: document.querySelectorAll("figure.map.drawn svg a path.land").length,
		dots: document.querySelectorAll("figure.map.drawn svg circle.dot").length})`)
	if drawn.Countries < 150 || drawn.Links < 10 || drawn.Dots < 1 {
		t.Errorf("map: %+v, want the world's countries, those with results linked, and dots", drawn)
	}
	b.Screenshot("1-search")
	b.Clean("start page")

	b.Do("type a query", chromedp.SendKeys(chromedp.CSS("#q"), "dataset"))
	loc := b.ClickAndWait(".search-bar button[type=submit]")
	u, _ := url.Parse(loc)
	if u.RawQuery != "q=dataset" {
		t.Errorf("query URL %q, want ?q=dataset alone (empty fields left out)", loc)
	}
	all := b.Text("#result-count")
	var total int
	fmt.Sscanf(all, "%d", &total)
	if total < 25 {
		t.Fatalf("q=dataset: %q", all)
	}
	b.Screenshot("2-query")

	facetValue := browsertest.Eval[string](b, `document.querySelector("#facet-type li a").dataset.value`)
	loc = b.ClickAndWait("#facet-type li a")
	if !strings.Contains(loc, "type="+facetValue) || !strings.Contains(loc, "q=dataset") {
		t.Errorf("facet click went to %s", loc)
	}
	chosen := browsertest.Eval[string](b, `document.querySelector('#facet-type a[aria-current="true"]').dataset.value`)
	narrowed := b.Text("#result-count")
	var n int
	fmt.Sscanf(narrowed, "%d", &n)
	if chosen != facetValue || n == 0 || n >= total {
		t.Errorf("after clicking type %s: chosen %q, %q (was %d)", facetValue, chosen, narrowed, total)
	}
	b.Screenshot("3-facet")

	first1 := browsertest.Eval[string](b, `document.querySelector("h3[id^=hit-] a").getAttribute("href")`)
	if n > 20 {
		loc = b.ClickAndWait("a[rel=next]")
		if !strings.Contains(loc, "cursor=") {
			t.Errorf("next page %s has no cursor", loc)
		}
		first2 := browsertest.Eval[string](b, `document.querySelector("h3[id^=hit-] a").getAttribute("href")`)
		if first2 == first1 {
			t.Error("the next page starts with the first page's first result")
		}
		b.Screenshot("4-next-page")
	}

	title := browsertest.Eval[string](b, `document.querySelector("h3[id^=hit-] a").textContent`)
	b.ClickAndWait("h3[id^=hit-] a")
	if got := b.Text("#listing-h"); got != title {
		t.Errorf("listing page title %q, want %q", got, title)
	}
	b.Screenshot("5-listing")
	b.Do("write a report", chromedp.SendKeys(chromedp.CSS("#reason"), "Spam: the same listing posted many times"),
		chromedp.Click(chromedp.CSS("#report button[type=submit]")))
	var status string
	for deadline := time.Now().Add(10 * time.Second); !strings.HasPrefix(status, "Thank you") && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		status = browsertest.Eval[string](b, `document.querySelector("#report [role=status]:not([hidden])")?.textContent || ""`)
	}
	if !strings.HasPrefix(status, "Thank you. Report ") {
		t.Fatalf("report: status %q", status)
	}
	reps, err := r.Reports()
	if err != nil || len(reps) != 1 || reps[0].Reason != "Spam: the same listing posted many times" || reps[0].Title != title {
		t.Fatalf("reports: %+v %v", reps, err)
	}
	if !strings.Contains(status, reps[0].ID) {
		t.Errorf("status %q does not name report %s", status, reps[0].ID)
	}
	b.Screenshot("6-reported")
	b.Clean("search flow")

	for name, path := range map[string]string{"7-about": "/about", "8-api-docs": "/api/docs", "9-not-found": "/no/such/page"} {
		b.Open(path)
		b.Screenshot(name)
	}
	b.Clean("about, API docs and 404 pages")
}

// TestBrowserEscaping: a listing whose title, description, seller name,
// tags and HTML content carry <script> and onerror= payloads shows them
// as text on the search page and on its own page: no dialog opens, no
// element is injected, and the title reads exactly as the hub wrote it.
func TestBrowserEscaping(t *testing.T) {
	r := pagesRelay(t, 20)
	b := browsertest.New(t, r.cfg.PublicURL, true)
	injected := `document.querySelectorAll("script:not([src]), img, iframe, object, embed, [onerror], [onclick], [onload], main [style]").length`
	for i, path := range []string{"/?q=bikes", "/listing/" + url.PathEscape(hostileID), "/?tag=" + url.QueryEscape(`x"><script>alert(1)</script>`)} {
		b.Open(path)
		time.Sleep(300 * time.Millisecond) // time for anything injected to run
		count := browsertest.Eval[int](b, injected)
		if count != 0 {
			t.Errorf("%s: %d injected elements", path, count)
		}
		b.Screenshot(fmt.Sprintf("%d-escaping", i+1))
		b.Clean(path)
	}
	b.Open("/listing/" + url.PathEscape(hostileID))
	if got := b.Text("#listing-h"); got != hostileTitle {
		t.Errorf("title reads %q, want the hub's text %q", got, hostileTitle)
	}
	if got := strings.Join(strings.Fields(b.Text(".description")), " "); got != "Great bikes click ok" {
		t.Errorf("sanitized content reads %q", got)
	}
	href := browsertest.Eval[string](b, `[...document.querySelectorAll("a")].map(a => a.getAttribute("href")).filter(h => h && h.toLowerCase().includes("javascript:")).join(" ")`)
	if href != "" {
		t.Errorf("script URLs linked: %s", href)
	}
	b.Open("/?q=bikes")
	if got := b.Text("h3[id^=hit-]"); got != hostileTitle {
		t.Errorf("search result reads %q, want %q", got, hostileTitle)
	}
}

// TestBrowserWithoutJavaScript: with scripts off, the search form is a
// plain GET, facets and paging are links, the map stays a list, and the
// report form posts and comes back with a thank-you.
func TestBrowserWithoutJavaScript(t *testing.T) {
	r := pagesRelay(t, 200)
	b := browsertest.New(t, r.cfg.PublicURL, false)
	b.Open("/")
	if browsertest.Eval[bool](b, `document.querySelector("figure.map").classList.contains("drawn")`) {
		t.Error("the map was drawn with JavaScript off")
	}
	b.Do("type", chromedp.SendKeys(chromedp.CSS("#q"), "bicycle"))
	loc := b.ClickAndWait(".search-bar button[type=submit]")
	if !strings.Contains(loc, "q=bicycle") {
		t.Fatalf("form GET went to %s", loc)
	}
	if got := b.Text("#result-count"); !strings.HasSuffix(got, "results") || strings.HasPrefix(got, "0 ") {
		t.Errorf("q=bicycle: %q", got)
	}
	b.Screenshot("1-nojs-search")
	loc = b.ClickAndWait("#facet-region li a")
	if !strings.Contains(loc, "region=") {
		t.Errorf("facet link went to %s", loc)
	}
	b.ClickAndWait("h3[id^=hit-] a")
	b.Do("report", chromedp.SendKeys(chromedp.CSS("#reason"), "Wrong category"))
	loc = b.ClickAndWait("#report button[type=submit]")
	if !strings.Contains(loc, "?reported=") {
		t.Fatalf("report form went to %s", loc)
	}
	if got := b.Text("#report .notice.ok"); !strings.HasPrefix(got, "Thank you. Report ") {
		t.Errorf("after the report: %q", got)
	}
	if reps, _ := r.Reports(); len(reps) != 1 || reps[0].Reason != "Wrong category" {
		t.Errorf("reports %+v", reps)
	}
	b.Screenshot("2-nojs-reported")
	b.Clean("without JavaScript")
}
