package web_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/sovereign-marketplace/market/web"
)

const hostile = `<script>alert(1)</script><img src=x onerror=alert(2)>"'&`

// testSite is a site with one page that shows a value as text, one that
// shows HTML through sanitize, and one that fails to execute.
func testSite(t *testing.T) *web.Site {
	t.Helper()
	pages := fstest.MapFS{
		"show.html":  {Data: []byte(`{{define "title"}}{{.Data}}{{end}}{{define "main"}}<h1>{{.Data}}</h1><a href="?q={{.Data}}">again</a><label for="x">Name</label><input id="x" name="x" value="{{.Data}}">{{end}}`)},
		"rich.html":  {Data: []byte(`{{define "title"}}Rich{{end}}{{define "main"}}<div class="d">{{sanitize .Data}}</div>{{end}}`)},
		"fails.html": {Data: []byte(`{{define "title"}}Fails{{end}}{{define "main"}}<p>secret-partial-output</p>{{.Data.NoSuchField}}{{end}}`)},
	}
	s, err := web.New(web.Options{Name: "Test relay", Pages: pages, Nav: []web.Link{{Label: "Search", URL: "/"}}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func render(s *web.Site, page string, data any) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	w.Header().Set("X-Request-Id", "req-123")
	r := httptest.NewRequest("GET", "/", nil)
	s.Render(w, r, http.StatusOK, page, data)
	return w
}

func TestRenderEscapesEveryValue(t *testing.T) {
	w := render(testSite(t), "show", hostile)
	body := w.Body.String()
	if w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	for _, bad := range []string{"<script>alert", "<img", "onerror=alert(2)>"} {
		if strings.Contains(body, bad) {
			t.Errorf("page holds %q unescaped:\n%s", bad, body)
		}
	}
	for _, want := range []string{
		`<html lang="en">`,
		`<title>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&#34;&#39;&amp; · Test relay</title>`,
		`<h1>&lt;script&gt;alert(1)&lt;/script&gt;`,
		`<a class="skip" href="#main">Skip to main content</a>`,
		`<main id="main" tabindex="-1">`,
		`href="?q=%3cscript%3ealert%281%29`,
		`<nav aria-label="Site">`,
		`<a href="/" aria-current="page">Search</a>`,
		`<link rel="stylesheet" href="/assets/site.css?v=`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q:\n%s", want, body)
		}
	}
	h := w.Header()
	if got := h.Get("Content-Security-Policy"); got != web.CSP || !strings.Contains(got, "script-src 'self';") || strings.Contains(got, "unsafe-inline") {
		t.Errorf("CSP %q", got)
	}
	if h.Get("Content-Type") != "text/html; charset=utf-8" || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "same-origin" {
		t.Errorf("headers %v", h)
	}
	if strings.Contains(body, "style=") || strings.Contains(body, "<style") || strings.Contains(body, "<script>") {
		t.Error("the layout has inline style or script, which the CSP refuses")
	}
}

func TestSanitize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`<p>Fresh <em>eggs</em></p>`, `<p>Fresh <em>eggs</em></p>`},
		{`hi<script>alert(1)</script>`, `hi`},
		{`<img src=x onerror=alert(1)>after`, `after`},
		{`<p onclick="alert(1)" style="color:red">x</p>`, `<p>x</p>`},
		{`<a href="javascript:alert(1)">x</a>`, `x`},
		{`<a href="https://hub.example/l/1" onmouseover="x()">ok</a>`, `<a href="https://hub.example/l/1" rel="nofollow noreferrer">ok</a>`},
		{`<iframe src="https://evil.example"></iframe><form action="/x"><input name=a></form>t`, `t`},
		{`<svg><script>alert(1)</script></svg><math><mi xlink:href="javascript:alert(1)">m</mi></math>`, `m`},
		{`a <mark>b</mark> &amp; &lt;c&gt;`, `a <mark>b</mark> &amp; &lt;c&gt;`},
		{`<style>body{display:none}</style>text`, `text`},
	} {
		if got := string(web.Sanitize(tc.in)); got != tc.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRenderSanitizedHTML(t *testing.T) {
	body := render(testSite(t), "rich", `<p>ok</p><script>alert(1)</script><img src=x onerror=alert(1)>`).Body.String()
	if !strings.Contains(body, `<div class="d"><p>ok</p></div>`) {
		t.Errorf("sanitized HTML not shown as HTML:\n%s", body)
	}
}

func TestTemplateFailureShowsErrorPageWithoutInternals(t *testing.T) {
	w := render(testSite(t), "fails", "a string has no fields")
	body := w.Body.String()
	if w.Code != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", w.Code)
	}
	for _, bad := range []string{"secret-partial-output", "NoSuchField", "template", "string"} {
		if strings.Contains(body, bad) {
			t.Errorf("error page shows %q:\n%s", bad, body)
		}
	}
	if !strings.Contains(body, "Something went wrong") || !strings.Contains(body, "<code>req-123</code>") {
		t.Errorf("error page lacks its message or request id:\n%s", body)
	}
}

func TestNotFound(t *testing.T) {
	s := testSite(t)
	for _, tc := range []struct {
		accept, ctype, want string
	}{
		{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html; charset=utf-8", "Page not found"},
		{"", "application/json", `"reason":"not_found"`},
		{"*/*", "application/json", `"reason":"not_found"`},
		{"application/json", "application/json", `"reason":"not_found"`},
	} {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/nowhere/<b>", nil)
		if tc.accept != "" {
			r.Header.Set("Accept", tc.accept)
		}
		s.NotFound(w, r)
		if w.Code != 404 || w.Header().Get("Content-Type") != tc.ctype || !strings.Contains(w.Body.String(), tc.want) {
			t.Errorf("Accept %q: %d %s %s", tc.accept, w.Code, w.Header().Get("Content-Type"), w.Body)
		}
	}
}

func TestClientErrorShowsItsMessage(t *testing.T) {
	s := testSite(t)
	w := httptest.NewRecorder()
	s.Error(w, httptest.NewRequest("GET", "/", nil), http.StatusBadRequest, "price_max: must not be below price_min <b>")
	if w.Code != 400 || !strings.Contains(w.Body.String(), "price_max: must not be below price_min &lt;b&gt;") {
		t.Errorf("%d %s", w.Code, w.Body)
	}
	w = httptest.NewRecorder()
	w.Header().Set("X-Request-Id", "abc")
	s.ServerError(w, httptest.NewRequest("GET", "/", nil), "read listing", errors.New("bbolt: /var/lib/market/market.db corrupt"))
	if w.Code != 500 || strings.Contains(w.Body.String(), "bbolt") || !strings.Contains(w.Body.String(), "abc") {
		t.Errorf("%d %s", w.Code, w.Body)
	}
}

func TestWantsHTML(t *testing.T) {
	for accept, want := range map[string]bool{
		"": false, "*/*": false, "application/json": false, "application/activity+json": false,
		"text/html": true, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8": true,
		"application/json, text/html;q=0.5": false, "text/html;q=0.9, application/json;q=0.8": true,
		"text/html;q=0": false, "TEXT/HTML": true, "application/ld+json, text/html": true,
	} {
		r := httptest.NewRequest("GET", "/", nil)
		if accept != "" {
			r.Header.Set("Accept", accept)
		}
		if got := web.WantsHTML(r); got != want {
			t.Errorf("WantsHTML(Accept %q) = %v, want %v", accept, got, want)
		}
	}
}

func serve(t *testing.T, s *web.Site) *httptest.Server {
	mux := http.NewServeMux()
	s.Routes(mux.Handle)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func TestAssets(t *testing.T) {
	srv := serve(t, testSite(t))
	for _, name := range []string{"site.css", "app.js", "map.js", "favicon.svg"} {
		u := web.AssetURL(name)
		resp, body := get(t, srv.URL+u)
		if resp.StatusCode != 200 || len(body) != web.AssetSize(name) || resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("%s: %d, %d bytes, %q", u, resp.StatusCode, len(body), resp.Header.Get("Cache-Control"))
		}
		resp, _ = get(t, srv.URL+"/assets/"+name+"?v=old")
		if resp.Header.Get("Cache-Control") != "no-cache" {
			t.Errorf("%s with a stale version may be cached: %q", name, resp.Header.Get("Cache-Control"))
		}
		resp, _ = get(t, srv.URL+u, "If-None-Match", resp.Header.Get("ETag"))
		if resp.StatusCode != http.StatusNotModified {
			t.Errorf("%s revalidated: %d, want 304", name, resp.StatusCode)
		}
	}
	if resp, _ := get(t, srv.URL+"/assets/nope.js"); resp.StatusCode != 404 {
		t.Errorf("unknown asset: %d", resp.StatusCode)
	}
	resp, _ := get(t, srv.URL+web.AssetURL("app.js"))
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("app.js served as %q", ct)
	}
}

// TestEmbeddedOpenAPIIsCurrent keeps the copy /api/docs shows equal to
// docs/openapi.yaml (go generate ./web copies it).
func TestEmbeddedOpenAPIIsCurrent(t *testing.T) {
	doc, err := os.ReadFile("../docs/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(doc, web.OpenAPI) {
		t.Fatal("web/apidocs/openapi.yaml differs from docs/openapi.yaml: run go generate ./web")
	}
}

func TestAPIDocs(t *testing.T) {
	s, err := web.New(web.Options{Name: "Relay", APITags: []string{"relay"}})
	if err != nil {
		t.Fatal(err)
	}
	srv := serve(t, s)
	resp, body := get(t, srv.URL+"/api/docs", "Accept", "text/html")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Security-Policy") != web.CSP {
		t.Fatalf("%d %v", resp.StatusCode, resp.Header)
	}
	for _, want := range []string{
		`<span class="method">GET</span> <code>/api/v1/search</code>`,
		`<span class="method">POST</span> <code>/api/v1/reports</code>`,
		`<code>price_min</code>`, `id="schema-`, `<a href="/api/openapi.yaml">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("API docs lack %q", want)
		}
	}
	if strings.Contains(body, "/api/v1/owner/listings") {
		t.Error("a relay's API docs show the hub's owner API")
	}
	if strings.Contains(body, "cdn") || strings.Contains(body, "https://") && strings.Contains(body, "<script src=\"https") {
		t.Error("the docs page loads something from another site")
	}
	resp, body = get(t, srv.URL+"/api/openapi.yaml")
	if resp.StatusCode != 200 || body != string(web.OpenAPI) {
		t.Errorf("openapi.yaml: %d", resp.StatusCode)
	}
}

func TestBadPagesFailAtStart(t *testing.T) {
	for name, page := range map[string]string{
		"no main":   `{{define "title"}}x{{end}}`,
		"no title":  `{{define "main"}}x{{end}}`,
		"bad parse": `{{define "title"}}x{{end}}{{define "main"}}{{.Data{{end}}`,
	} {
		if _, err := web.New(web.Options{Name: "x", Pages: fstest.MapFS{"p.html": {Data: []byte(page)}}}); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
}

func TestFuncs(t *testing.T) {
	for in, want := range map[string]string{"data_product": "Data product", "pay_per_query": "Pay per query", "": "", "éa_b": "Éa b"} {
		if got := web.Label(in); got != want {
			t.Errorf("Label(%q) = %q", in, got)
		}
	}
	if web.Host("https://hub.example:8443/users/a") != "hub.example:8443" || web.Host("::") != "" {
		t.Error("Host")
	}
}

// TestPageError: a browser gets the error page, in the site's words and
// escaped; a client that wants JSON is left to the caller.
func TestPageError(t *testing.T) {
	s := testSite(t)
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
	w := httptest.NewRecorder()
	if !s.PageError(w, r, http.StatusTooManyRequests, "Too many requests <b>now</b>.") {
		t.Fatal("a browser's request was not answered with a page")
	}
	if body := w.Body.String(); w.Code != 429 || !strings.Contains(body, "Too many requests &lt;b&gt;now&lt;/b&gt;.") || !strings.Contains(w.Header().Get("Content-Type"), "text/html") {
		t.Errorf("the page: %d %q\n%s", w.Code, w.Header().Get("Content-Type"), body)
	}
	r.Header.Set("Accept", "application/json")
	w = httptest.NewRecorder()
	if s.PageError(w, r, http.StatusTooManyRequests, "x") || w.Body.Len() != 0 {
		t.Errorf("a JSON client's request was answered with a page")
	}
}
