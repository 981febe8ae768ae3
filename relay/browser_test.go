package relay_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's chromium, installed by scripts/setup.d/web-chromium.sh.
const chromiumPath = "/usr/bin/chromium"

// browser is one headless Chromium for a test, with what it saw: dialogs
// opened (an alert is a script that ran), exceptions thrown, and the
// Content-Security-Policy violations of every page.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
	dir  string // where screenshots go

	mu         sync.Mutex
	dialogs    []string
	exceptions []string
}

// newBrowser starts Chromium headless, as root on this machine needs it
// (no sandbox, no GPU, no network of its own, an empty profile). Without
// chromium the test skips, except in CI (CI=true), where it fails.
func newBrowser(t *testing.T, base string, javascript bool) *browser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing; scripts/setup.d/web-chromium.sh installs it: %v", chromiumPath, err)
		}
		t.Skipf("browser test skipped: %s is not installed (bash scripts/setup.d/web-chromium.sh installs Debian's chromium; CI fails here instead)", chromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	b := &browser{t: t, ctx: ctx, base: base, dir: screenshotDir(t)}
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *cdppage.EventJavascriptDialogOpening:
			b.mu.Lock()
			b.dialogs = append(b.dialogs, ev.Message)
			b.mu.Unlock()
			go chromedp.Call(ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: false})
		case *runtime.EventExceptionThrown:
			b.mu.Lock()
			b.exceptions = append(b.exceptions, fmt.Sprintf("%s (%s:%d)", exceptionText(ev.ExceptionDetails), ev.ExceptionDetails.URL, ev.ExceptionDetails.LineNumber))
			b.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	// Record CSP violations in the page (a script added through the
	// DevTools protocol runs whatever the page's policy says).
	if _, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__csp = []; document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));`,
	}); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	if !javascript {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d.Exception != nil && d.Exception.Description != "" {
		return d.Exception.Description
	}
	return d.Text
}

// screenshotDir is $MARKET_SCREENSHOTS (kept) or a directory removed
// after the test.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("MARKET_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
		t.Logf("screenshots go to %s, removed after the test; set MARKET_SCREENSHOTS=<dir> to keep them", dir)
		return dir
	}
	dir = filepath.Join(dir, t.Name())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// open loads a path and waits for its main element.
func (b *browser) open(path string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.base+path), chromedp.WaitReady(chromedp.CSS("main")))
}

func (b *browser) location() string {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	return loc
}

// clickAndWait clicks sel and waits for the location to change and the
// next page to be loaded.
func (b *browser) clickAndWait(sel string) string {
	b.t.Helper()
	before := b.location()
	b.do("click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	deadline := time.Now().Add(15 * time.Second)
	for {
		loc, err := chromedp.Run(b.ctx, chromedp.Location())
		if err == nil && loc != before {
			state, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.readyState`))
			if err == nil && state == "complete" {
				return loc
			}
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("clicking %s did not load another page (still %s)", sel, before)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	b.do("wait for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](b *browser, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// screenshot saves the whole page as name.png.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join(b.dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// clean fails the test if a page opened a dialog, threw, or broke its CSP.
func (b *browser) clean(where string) {
	b.t.Helper()
	csp := eval[[]string](b, `window.__csp || []`)
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.dialogs) > 0 {
		b.t.Errorf("%s: a dialog opened (a script ran): %q", where, b.dialogs)
	}
	if len(b.exceptions) > 0 {
		b.t.Errorf("%s: JavaScript exceptions: %q", where, b.exceptions)
	}
	if len(csp) > 0 {
		b.t.Errorf("%s: Content-Security-Policy violations: %q", where, csp)
	}
}

// TestBrowserSearchFlow: on a relay with 300 listings, a buyer types a
// query, clicks a facet, pages, opens a result and reports it, in
// Chromium, with JavaScript: the map is drawn from the bundled shapes, the
// report goes to the JSON API without a page load, and no page throws or
// breaks its CSP.
func TestBrowserSearchFlow(t *testing.T) {
	r := pagesRelay(t, 300)
	b := newBrowser(t, r.cfg.PublicURL, true)

	b.open("/")
	if got := b.text("#result-count"); got != "301 results" {
		t.Errorf("start page: %q, want 301 results", got)
	}
	type mapCounts struct {
		Countries int `json:"countries"`
		Links     int `json:"links"`
		Dots      int `json:"dots"`
	}
	drawn := eval[mapCounts](b, `({countries: document.querySelectorAll("figure.map.drawn svg path.land").length,
		links: document.querySelectorAll("figure.map.drawn svg a path.land").length,
		dots: document.querySelectorAll("figure.map.drawn svg circle.dot").length})`)
	if drawn.Countries < 150 || drawn.Links < 10 || drawn.Dots < 1 {
		t.Errorf("map: %+v, want the world's countries, those with results linked, and dots", drawn)
	}
	b.screenshot("1-search")
	b.clean("start page")

	b.do("type a query", chromedp.SendKeys(chromedp.CSS("#q"), "dataset"))
	loc := b.clickAndWait(".search-bar button[type=submit]")
	u, _ := url.Parse(loc)
	if u.RawQuery != "q=dataset" {
		t.Errorf("query URL %q, want ?q=dataset alone (empty fields left out)", loc)
	}
	all := b.text("#result-count")
	var total int
	fmt.Sscanf(all, "%d", &total)
	if total < 25 {
		t.Fatalf("q=dataset: %q", all)
	}
	b.screenshot("2-query")

	facetValue := eval[string](b, `document.querySelector("#facet-type li a").dataset.value`)
	loc = b.clickAndWait("#facet-type li a")
	if !strings.Contains(loc, "type="+facetValue) || !strings.Contains(loc, "q=dataset") {
		t.Errorf("facet click went to %s", loc)
	}
	chosen := eval[string](b, `document.querySelector('#facet-type a[aria-current="true"]').dataset.value`)
	narrowed := b.text("#result-count")
	var n int
	fmt.Sscanf(narrowed, "%d", &n)
	if chosen != facetValue || n == 0 || n >= total {
		t.Errorf("after clicking type %s: chosen %q, %q (was %d)", facetValue, chosen, narrowed, total)
	}
	b.screenshot("3-facet")

	first1 := eval[string](b, `document.querySelector("h3[id^=hit-] a").getAttribute("href")`)
	if n > 20 {
		loc = b.clickAndWait("a[rel=next]")
		if !strings.Contains(loc, "cursor=") {
			t.Errorf("next page %s has no cursor", loc)
		}
		first2 := eval[string](b, `document.querySelector("h3[id^=hit-] a").getAttribute("href")`)
		if first2 == first1 {
			t.Error("the next page starts with the first page's first result")
		}
		b.screenshot("4-next-page")
	}

	title := eval[string](b, `document.querySelector("h3[id^=hit-] a").textContent`)
	b.clickAndWait("h3[id^=hit-] a")
	if got := b.text("#listing-h"); got != title {
		t.Errorf("listing page title %q, want %q", got, title)
	}
	b.screenshot("5-listing")
	b.do("write a report", chromedp.SendKeys(chromedp.CSS("#reason"), "Spam: the same listing posted many times"),
		chromedp.Click(chromedp.CSS("#report button[type=submit]")))
	var status string
	for deadline := time.Now().Add(10 * time.Second); !strings.HasPrefix(status, "Thank you") && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		status = eval[string](b, `document.querySelector("#report [role=status]:not([hidden])")?.textContent || ""`)
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
	b.screenshot("6-reported")
	b.clean("search flow")

	for name, path := range map[string]string{"7-about": "/about", "8-api-docs": "/api/docs", "9-not-found": "/no/such/page"} {
		b.open(path)
		b.screenshot(name)
	}
	b.clean("about, API docs and 404 pages")
}

// TestBrowserEscaping: a listing whose title, description, seller name,
// tags and HTML content carry <script> and onerror= payloads shows them
// as text on the search page and on its own page: no dialog opens, no
// element is injected, and the title reads exactly as the hub wrote it.
func TestBrowserEscaping(t *testing.T) {
	r := pagesRelay(t, 20)
	b := newBrowser(t, r.cfg.PublicURL, true)
	injected := `document.querySelectorAll("script:not([src]), img, iframe, object, embed, [onerror], [onclick], [onload], main [style]").length`
	for i, path := range []string{"/?q=bikes", "/listing/" + url.PathEscape(hostileID), "/?tag=" + url.QueryEscape(`x"><script>alert(1)</script>`)} {
		b.open(path)
		time.Sleep(300 * time.Millisecond) // time for anything injected to run
		count := eval[int](b, injected)
		if count != 0 {
			t.Errorf("%s: %d injected elements", path, count)
		}
		b.screenshot(fmt.Sprintf("%d-escaping", i+1))
		b.clean(path)
	}
	b.open("/listing/" + url.PathEscape(hostileID))
	if got := b.text("#listing-h"); got != hostileTitle {
		t.Errorf("title reads %q, want the hub's text %q", got, hostileTitle)
	}
	if got := strings.Join(strings.Fields(b.text(".description")), " "); got != "Great bikes click ok" {
		t.Errorf("sanitized content reads %q", got)
	}
	href := eval[string](b, `[...document.querySelectorAll("a")].map(a => a.getAttribute("href")).filter(h => h && h.toLowerCase().includes("javascript:")).join(" ")`)
	if href != "" {
		t.Errorf("script URLs linked: %s", href)
	}
	b.open("/?q=bikes")
	if got := b.text("h3[id^=hit-]"); got != hostileTitle {
		t.Errorf("search result reads %q, want %q", got, hostileTitle)
	}
}

// TestBrowserWithoutJavaScript: with scripts off, the search form is a
// plain GET, facets and paging are links, the map stays a list, and the
// report form posts and comes back with a thank-you.
func TestBrowserWithoutJavaScript(t *testing.T) {
	r := pagesRelay(t, 200)
	b := newBrowser(t, r.cfg.PublicURL, false)
	b.open("/")
	if eval[bool](b, `document.querySelector("figure.map").classList.contains("drawn")`) {
		t.Error("the map was drawn with JavaScript off")
	}
	b.do("type", chromedp.SendKeys(chromedp.CSS("#q"), "bicycle"))
	loc := b.clickAndWait(".search-bar button[type=submit]")
	if !strings.Contains(loc, "q=bicycle") {
		t.Fatalf("form GET went to %s", loc)
	}
	if got := b.text("#result-count"); !strings.HasSuffix(got, "results") || strings.HasPrefix(got, "0 ") {
		t.Errorf("q=bicycle: %q", got)
	}
	b.screenshot("1-nojs-search")
	loc = b.clickAndWait("#facet-region li a")
	if !strings.Contains(loc, "region=") {
		t.Errorf("facet link went to %s", loc)
	}
	b.clickAndWait("h3[id^=hit-] a")
	b.do("report", chromedp.SendKeys(chromedp.CSS("#reason"), "Wrong category"))
	loc = b.clickAndWait("#report button[type=submit]")
	if !strings.Contains(loc, "?reported=") {
		t.Fatalf("report form went to %s", loc)
	}
	if got := b.text("#report .notice.ok"); !strings.HasPrefix(got, "Thank you. Report ") {
		t.Errorf("after the report: %q", got)
	}
	if reps, _ := r.Reports(); len(reps) != 1 || reps[0].Reason != "Wrong category" {
		t.Errorf("reports %+v", reps)
	}
	b.screenshot("2-nojs-reported")
	b.clean("without JavaScript")
}
