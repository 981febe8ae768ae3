package hub_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/sovereign-marketplace/market/deal"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/hub"
	"github.com/sovereign-marketplace/market/internal/testhub"
)

// listingPath is the path of a listing's page from its URL.
func listingPath(t *testing.T, id string) string {
	u, err := url.Parse(id)
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}

// TestOfferTemplateWebFinger: a hub's WebFinger answer names its offer
// page's template, and OfferPage fills it in with the listing's URL.
func TestOfferTemplateWebFinger(t *testing.T) {
	bob := startHub(t, "bob")
	resp, err := http.Get(bob.Config.PublicURL + "/.well-known/webfinger?resource=" + url.QueryEscape(bob.Acct()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var jrd federation.JRD
	json.NewDecoder(resp.Body).Decode(&jrd)
	l, ok := jrd.Link(hub.OfferRel)
	if want := bob.Config.PublicURL + "/owner/offers/new?listing={uri}"; !ok || l.Template != want {
		t.Fatalf("offer link %+v, want template %s", jrd.Links, want)
	}
	alice := startHub(t, "alice")
	got, err := alice.OfferPage(t.Context(), strings.TrimPrefix(bob.Acct(), "acct:"), "http://a.example/listings/1?x=y")
	if want := bob.Config.PublicURL + "/owner/offers/new?listing=" + url.QueryEscape("http://a.example/listings/1?x=y"); err != nil || got != want {
		t.Fatalf("offer page: %q %v, want %q", got, err, want)
	}
}

// TestRemoteOfferChecks: the handle typed on a listing's page is refused
// when it is too long, not an address, or resolves to a private network
// address (a hub that does not allow them); a form from another site is
// refused; the owner pages of offers and deals need a login, and their
// forms the CSRF token. None of it changes a deal.
func TestRemoteOfferChecks(t *testing.T) {
	cfg := testhub.HubConfig(t, t.TempDir(), "alice")
	cfg.AllowPrivateNetworks = false
	alice := testhub.StartMarketHub(t, cfg, nil)
	bob := startHub(t, "bob")
	at := alice.Token(t, "full")
	lst := negotiable(t, alice, at, "Logo design", "negotiable", "https://coop.example/users/escrow")
	path := listingPath(t, lst) + "/offer"
	o := newOwnerClient(t, alice)
	for name, tc := range map[string]struct {
		handle string
		status int
		says   string
	}{
		"over-long":       {strings.Repeat("b", 300) + "@" + strings.TrimPrefix(bob.Config.PublicURL, "http://"), http.StatusBadRequest, "at most 256 characters"},
		"not an address":  {"bob", http.StatusBadRequest, "not an address like"},
		"private address": {strings.TrimPrefix(bob.Acct(), "acct:"), http.StatusBadRequest, "private network address"},
	} {
		status, page, _ := o.post(path, url.Values{"handle": {tc.handle}})
		if status != tc.status || !strings.Contains(page, tc.says) || strings.Contains(page, "offer-continue") {
			t.Errorf("%s: %d, want %d saying %q:\n%s", name, status, tc.status, tc.says, page)
		}
	}
	if status, _, _ := o.do("POST", path, url.Values{"handle": {"bob@example.org"}}, "https://evil.example"); status != http.StatusForbidden {
		t.Errorf("a handle form from another site: %d, want 403", status)
	}

	// Bob's owner pages: a login, then the CSRF token.
	bt := bob.Token(t, "full")
	code, body := bob.API(t, bt, "POST", "/api/v1/owner/offers", map[string]any{"listing": lst, "amount": "9000", "escrow": "https://coop.example/users/escrow"})
	if code != http.StatusCreated {
		t.Fatalf("offer: %d %s", code, body)
	}
	var dv hub.DealView
	json.Unmarshal(body, &dv)
	b := newOwnerClient(t, bob)
	if status, _, hdr := b.do("GET", "/owner/offers/new?listing="+url.QueryEscape(lst), nil, ""); status != http.StatusSeeOther || !strings.HasPrefix(hdr.Get("Location"), "/owner/login?next=") {
		t.Errorf("the offer page without a login: %d %v", status, hdr)
	}
	for _, p := range []string{"/owner/offers", "/owner/deals/" + dv.Key} {
		if status, _ := b.get(p); status != http.StatusSeeOther {
			t.Errorf("%s without a login: %d, want 303 to the login", p, status)
		}
	}
	if status, _, _ := b.post("/owner/offers", url.Values{"listing": {lst}, "amount": {"80"}}); status != http.StatusForbidden {
		t.Errorf("an offer form without a login: %d, want 403", status)
	}
	if status, _, _ := b.post("/owner/deals/"+dv.Key+"/fund", url.Values{}); status != http.StatusForbidden {
		t.Errorf("a deal action without a login: %d, want 403", status)
	}
	setPassword(t, bob)
	b.login(ownerPassword)
	_, page := b.get("/owner/offers")
	csrf := b.csrf(page)
	if status, _, _ := b.post("/owner/offers", url.Values{"listing": {lst}, "amount": {"80"}}); status != http.StatusForbidden {
		t.Errorf("an offer form without the CSRF token: %d, want 403", status)
	}
	if status, _, _ := b.post("/owner/offers/"+dv.Key+"/reject", url.Values{}); status != http.StatusForbidden {
		t.Errorf("an answer without the CSRF token: %d, want 403", status)
	}
	// Bob's own offer is not his to answer or counter.
	if status, _, _ := b.post("/owner/offers/"+dv.Key+"/counter", url.Values{"csrf": {csrf}, "amount": {"95"}}); status != http.StatusForbidden {
		t.Errorf("countering one's own open offer: %d, want 403", status)
	}
	if ds, _ := bob.Deals(); len(ds) != 1 || ds[0].State != deal.StateOffered || ds[0].Amount != "9000" {
		t.Fatalf("refused forms changed bob's deals: %+v", ds)
	}
}

// TestOfferPageHostileWebFinger: a buyer's server whose WebFinger answer
// names an offer page on another host, a script URL, no template, or a
// document over the size cap gets no link from the seller's hub.
func TestOfferPageHostileWebFinger(t *testing.T) {
	var jrd string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/jrd+json")
		io.WriteString(w, jrd)
	}))
	defer srv.Close()
	handle := "bob@" + strings.TrimPrefix(srv.URL, "http://")
	alice := startHub(t, "alice")
	link := func(template string) string {
		b, _ := json.Marshal(map[string]any{"subject": "acct:" + handle, "links": []map[string]string{{"rel": hub.OfferRel, "template": template}}})
		return string(b)
	}
	for name, body := range map[string]string{
		"another host": link("http://evil.example/offer?listing={uri}"),
		"a script URL": link("javascript:alert(1)//" + strings.TrimPrefix(srv.URL, "http://") + "/{uri}"),
		"no {uri}":     link(srv.URL + "/offer"),
		"no template":  `{"subject": "acct:` + handle + `", "links": []}`,
		"over the cap": link(srv.URL + "/offer?listing={uri}&pad=" + strings.Repeat("a", 2<<20)),
		"not JSON":     "<html>",
	} {
		jrd = body
		if got, err := alice.OfferPage(t.Context(), handle, "http://a.example/listings/1"); err == nil {
			t.Errorf("%s: sent to %q", name, got)
		}
	}
	jrd = link(srv.URL + "/offer?listing={uri}")
	if got, err := alice.OfferPage(t.Context(), handle, "http://a.example/listings/1"); err != nil || got != srv.URL+"/offer?listing=http%3A%2F%2Fa.example%2Flistings%2F1" {
		t.Errorf("a good template: %q %v", got, err)
	}
}
