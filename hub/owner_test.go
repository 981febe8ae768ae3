package hub_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/sovereign-marketplace/market/internal/testhub"
	"github.com/sovereign-marketplace/market/web"
)

const ownerPassword = "correct horse battery staple"

// ownerClient is a browser-like client of a hub's owner pages: a cookie
// jar, no redirects followed, and the Origin of the hub on every post.
type ownerClient struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newOwnerClient(t *testing.T, h *testhub.MarketHub) *ownerClient {
	jar, _ := cookiejar.New(nil)
	return &ownerClient{t: t, base: h.Config.PublicURL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func setPassword(t *testing.T, h *testhub.MarketHub) {
	t.Helper()
	hash, err := web.HashPassword(ownerPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.SetPassword(hash); err != nil {
		t.Fatal(err)
	}
}

func (o *ownerClient) do(method, path string, form url.Values, origin string) (int, string, http.Header) {
	o.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, o.base+path, body)
	req.Header.Set("Accept", "text/html")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		if origin != o.base {
			req.Header.Set("Sec-Fetch-Site", "cross-site")
		}
	}
	resp, err := o.c.Do(req)
	if err != nil {
		o.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func (o *ownerClient) get(path string) (int, string) {
	s, b, _ := o.do("GET", path, nil, "")
	return s, b
}

func (o *ownerClient) post(path string, form url.Values) (int, string, http.Header) {
	return o.do("POST", path, form, o.base)
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the session's CSRF token from a page's form.
func (o *ownerClient) csrf(page string) string {
	o.t.Helper()
	m := csrfRe.FindStringSubmatch(page)
	if m == nil {
		o.t.Fatalf("no CSRF field in the page:\n%s", page)
	}
	return m[1]
}

func (o *ownerClient) login(password string) (int, string, http.Header) {
	return o.post("/owner/login", url.Values{"password": {password}, "next": {"/owner"}})
}

// TestOwnerLogin: the owner pages need a login; the cookie is HttpOnly and
// SameSite=Strict; a wrong password fails, five lock the account out with
// a clear message; logout ends the session on the server.
func TestOwnerLogin(t *testing.T) {
	h := startHub(t, "alice")
	o := newOwnerClient(t, h)
	if status, _, hdr := o.do("GET", "/owner", nil, ""); status != http.StatusSeeOther || !strings.HasPrefix(hdr.Get("Location"), "/owner/login") {
		t.Fatalf("owner page without a login: %d %v", status, hdr)
	}
	if status, page, _ := o.login("anything at all"); status != http.StatusUnauthorized || !strings.Contains(page, "market hub passwd") {
		t.Fatalf("login before a password is set: %d\n%s", status, page)
	}
	setPassword(t, h)
	status, _, hdr := o.login(ownerPassword)
	if status != http.StatusSeeOther || hdr.Get("Location") != "/owner" {
		t.Fatalf("login: %d %v", status, hdr)
	}
	cookie := hdr.Get("Set-Cookie")
	if !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Strict") || strings.Contains(cookie, "Secure") {
		t.Fatalf("session cookie on an http hub: %s", cookie)
	}
	status, page := o.get("/owner")
	if status != 200 || !strings.Contains(page, "Dashboard") || !strings.Contains(page, "Log out") {
		t.Fatalf("dashboard: %d\n%s", status, page)
	}
	token := o.csrf(page)
	// A stolen cookie value is no good after logout: the session is gone
	// from the server.
	u, _ := url.Parse(o.base)
	stolen := o.c.Jar.Cookies(u)
	if status, _, hdr := o.post("/owner/logout", url.Values{"csrf": {token}}); status != http.StatusSeeOther || !strings.Contains(hdr.Get("Set-Cookie"), "Max-Age=0") {
		t.Fatalf("logout: %d %v", status, hdr)
	}
	o.c.Jar.SetCookies(u, stolen)
	if status, _, _ := o.do("GET", "/owner", nil, ""); status != http.StatusSeeOther {
		t.Fatalf("the old cookie after logout: %d, want a redirect to the login", status)
	}

	// Lockout: five wrong passwords, then even the right one is refused.
	for i := 0; i < 5; i++ {
		if status, page, _ := o.login("wrong password " + strings.Repeat("x", i)); status != http.StatusUnauthorized || !strings.Contains(page, "Wrong password") {
			t.Fatalf("wrong password %d: %d", i, status)
		}
	}
	status, page, hdr = o.login(ownerPassword)
	if status != http.StatusTooManyRequests || !strings.Contains(page, "Too many failed logins") || hdr.Get("Retry-After") == "" || strings.Contains(hdr.Get("Set-Cookie"), "market_session=") {
		t.Fatalf("login after five failures: %d %v\n%s", status, hdr, page)
	}
}

// TestOwnerForms: every form needs the session's CSRF token and the
// hub's own origin; a listing with a mistake shows the problem beside its
// field and keeps what was typed; fixed, it is created, published, paused,
// sold; hostile text is escaped everywhere.
func TestOwnerForms(t *testing.T) {
	h := startHub(t, "alice")
	setPassword(t, h)
	o := newOwnerClient(t, h)
	if status, _, _ := o.login(ownerPassword); status != http.StatusSeeOther {
		t.Fatalf("login: %d", status)
	}
	_, page := o.get("/owner/listings/new")
	token := o.csrf(page)
	form := url.Values{"csrf": {token}, "title": {`<script>alert(1)</script> Bike repair`}, "description": {`<img src=x onerror=alert(2)>`},
		"listing_type": {"service"}, "amount": {"abc"}, "currency": {"EUR"}, "price_type": {"hourly"}, "pricing_model": {"one_time"},
		"tags": {"bikes, repair"}, "region": {"DE-BE"}, "visibility": {"public"}, "location_pref": {"local"}, "publish": {"1"}}

	// Attacks first: no token, a wrong token, another site's origin.
	noToken := url.Values{}
	for k, v := range form {
		if k != "csrf" {
			noToken[k] = v
		}
	}
	if status, page, _ := o.post("/owner/listings", noToken); status != http.StatusForbidden || !strings.Contains(page, "security token") {
		t.Fatalf("form without its CSRF token: %d\n%s", status, page)
	}
	wrong := url.Values{}
	for k, v := range form {
		wrong[k] = v
	}
	wrong.Set("csrf", token+"x")
	if status, _, _ := o.post("/owner/listings", wrong); status != http.StatusForbidden {
		t.Fatalf("form with a wrong CSRF token: %d", status)
	}
	if status, _, _ := o.do("POST", "/owner/listings", form, "https://evil.example"); status != http.StatusForbidden {
		t.Fatalf("form from another origin: %d", status)
	}
	if ls, _ := h.Listings(); len(ls) != 0 {
		t.Fatalf("a refused form created %d listings", len(ls))
	}

	// A mistake: the problem is beside the amount field, the rest kept.
	status, page, _ := o.post("/owner/listings", form)
	if status != http.StatusBadRequest || !regexp.MustCompile(`id="amount"[^>]*aria-invalid="true"`).MatchString(page) || !strings.Contains(page, `id="amount-error"`) ||
		!strings.Contains(page, `value="bikes, repair"`) || strings.Contains(page, "<script>alert") || !strings.Contains(page, "&lt;script&gt;alert(1)") {
		t.Fatalf("listing with a bad amount: %d\n%s", status, page)
	}
	form.Set("amount", "35")
	status, _, hdr := o.post("/owner/listings", form)
	if status != http.StatusSeeOther {
		t.Fatalf("fixed listing: %d", status)
	}
	ls, _ := h.Listings()
	if len(ls) != 1 || ls[0].Listing.Status != "active" || ls[0].Listing.Price.Amount != "35" || ls[0].Listing.Region != "DE-BE" {
		t.Fatalf("listings after the fix: %+v", ls)
	}
	id := ls[0].Listing.ID
	status, page = o.get(hdr.Get("Location"))
	if status != 200 || !strings.Contains(page, "created (active)") || strings.Contains(page, "<script>alert") {
		t.Fatalf("listings page: %d\n%s", status, page)
	}
	// The public page shows it, escaped, with the offer placeholder.
	_, pub, _ := getPage(t, h.Config.PublicURL+"/listings/"+id)
	if !strings.Contains(pub, "&lt;script&gt;alert(1)") || strings.Contains(pub, "<img src=x") || !strings.Contains(pub, "Make an offer") || !strings.Contains(pub, "35 EUR per hour") {
		t.Fatalf("public listing page:\n%s", pub)
	}
	for _, to := range []string{"paused", "active", "sold"} {
		if status, _, _ := o.post("/owner/listings/"+id+"/status", url.Values{"csrf": {token}, "status": {to}}); status != http.StatusSeeOther {
			t.Fatalf("status %s: %d", to, status)
		}
	}
	if status, _, _ := o.post("/owner/listings/"+id+"/status", url.Values{"csrf": {token}, "status": {"active"}}); status != http.StatusConflict {
		t.Fatalf("a sold listing made active again: %d", status)
	}
	if status, _, _ := o.post("/owner/listings/"+id+"/delete", url.Values{"status": {"x"}}); status != http.StatusForbidden {
		t.Fatalf("delete without a token: %d", status)
	}
	if status, _, _ := o.post("/owner/listings/"+id+"/delete", url.Values{"csrf": {token}}); status != http.StatusSeeOther {
		t.Fatalf("delete: %d", status)
	}
	// Pages all render for the owner.
	for _, p := range []string{"/owner", "/owner/listings", "/owner/followers", "/owner/relays", "/owner/following", "/owner/marketplace", "/owner/marketplace?q=bike"} {
		if status, page := o.get(p); status != 200 || !strings.Contains(page, "Log out") {
			t.Errorf("%s: %d\n%s", p, status, page)
		}
	}
	// A form of another session's token is refused: tokens are per session.
	o2 := newOwnerClient(t, h)
	o2.login(ownerPassword)
	if status, _, _ := o2.post("/owner/relays/add", url.Values{"csrf": {token}, "relay": {"acct:relay@127.0.0.1:1"}}); status != http.StatusForbidden {
		t.Fatalf("another session's token: %d", status)
	}
}

// TestHubAPIDocs: the hub's /api/docs shows the hub's operations, not the
// relay's.
func TestHubAPIDocs(t *testing.T) {
	h := startHub(t, "alice")
	status, page, _ := getPage(t, h.Config.PublicURL+"/api/docs")
	if status != 200 || !strings.Contains(page, "/api/v1/owner/listings") || strings.Contains(page, "/api/v1/reports") {
		t.Fatalf("api docs: %d\n%s", status, page)
	}
}
