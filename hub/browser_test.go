package hub_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/hub"
	"github.com/sovereign-marketplace/market/internal/browsertest"
	"github.com/sovereign-marketplace/market/internal/testhub"
)

// TestBrowserOwnerFlow: in Chromium, the owner logs in, creates a listing
// with a mistake (the problem shows beside the field), fixes it, publishes
// it from the list, and a buyer finds it on the relay's search page; a
// form posted without the CSRF token is refused; the owner logs out. Each
// page is saved as a screenshot, and none opens a dialog, throws or breaks
// its Content-Security-Policy.
func TestBrowserOwnerFlow(t *testing.T) {
	r := testhub.StartRelay(t, testhub.RelayConfig(t, t.TempDir()), nil)
	h := startHub(t, "alice")
	b := browsertest.New(t, h.Config.PublicURL, true)
	setPassword(t, h)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := h.AddRelay(ctx, "acct:relay@"+r.Config.Listen); err != nil {
		t.Fatal(err)
	}
	testhub.Eventually(t, "the relay to accept alice", func() bool {
		rs, _ := h.Relays()
		return len(rs) == 1 && rs[0].State == federation.FollowAccepted && r.Follows(true)[h.ActorID()] == federation.FollowAccepted
	})

	b.Open("/owner/listings")
	if loc := b.Location(); !strings.Contains(loc, "/owner/login") {
		t.Fatalf("owner page without a login went to %s", loc)
	}
	b.Screenshot("01-login")
	b.Do("type the password", chromedp.SendKeys("#password", ownerPassword))
	if loc := b.ClickAndWait("form[action='/owner/login'] button"); !strings.HasSuffix(loc, "/owner/listings") {
		t.Fatalf("after login: %s", loc)
	}
	b.Open("/owner")
	b.Screenshot("02-dashboard")
	b.Clean("dashboard")

	// A listing with a mistake: the amount is not a number.
	b.Open("/owner/listings/new")
	b.Do("fill the form",
		chromedp.SendKeys("#title", "Oak bookshelf, hand made"),
		chromedp.SendKeys("#description", "Solid oak, 180 cm tall.\nCollect in Berlin."),
		chromedp.SetValue("#listing_type", "physical"),
		chromedp.SendKeys("#amount", "two hundred"),
		chromedp.SetValue("#currency", "EUR"),
		chromedp.SendKeys("#tags", "furniture, oak"),
		chromedp.SendKeys("#region", "DE-BE"),
		chromedp.SendKeys("#lat", "52.52"),
		chromedp.SendKeys("#lon", "13.40"),
	)
	b.Screenshot("03-new-listing")
	b.ClickAndWait("button[name=draft]")
	if got := b.Text("#amount-error"); got == "" {
		t.Fatal("no problem shown beside the amount")
	}
	if inv := browsertest.Eval[string](b, `document.querySelector("#amount").getAttribute("aria-invalid") + " " + document.querySelector("#amount").getAttribute("aria-describedby")`); inv != "true amount-error" {
		t.Errorf("the amount field is not marked invalid: %q", inv)
	}
	if got := browsertest.Eval[string](b, `document.querySelector("#title").value`); got != "Oak bookshelf, hand made" {
		t.Errorf("the title typed was lost: %q", got)
	}
	b.Screenshot("04-listing-error")
	b.Do("fix the amount", chromedp.Evaluate[chromedp.Void](`document.querySelector("#amount").value = ""`), chromedp.SendKeys("#amount", "200"))
	if loc := b.ClickAndWait("button[name=draft]"); !strings.Contains(loc, "/owner/listings") {
		t.Fatalf("after the fix: %s", loc)
	}
	if got := b.Text(".notice.ok"); !strings.Contains(got, "draft") {
		t.Fatalf("notice after saving: %q", got)
	}
	ls, _ := h.Listings()
	if len(ls) != 1 || ls[0].Listing.Status != "draft" {
		t.Fatalf("listings: %+v", ls)
	}
	b.ClickAndWait("td.actions form:first-of-type button")
	b.Screenshot("05-listings")
	b.Clean("listings")
	ls, _ = h.Listings()
	if ls[0].Listing.Status != "active" {
		t.Fatalf("after Publish: %s", ls[0].Listing.Status)
	}
	id := ls[0].Listing.FederatedAPID

	// The relay has it, and its search page shows it.
	testhub.Eventually(t, "the relay to have the listing", func() bool { return relayHas(r, id) })
	testhub.Eventually(t, "the relay to index the listing", func() bool {
		ids := searchIDs(t, r, "bookshelf")
		return len(ids) == 1 && ids[0] == id
	})
	b.Do("open the relay's search", chromedp.Navigate(r.Config.PublicURL+"/?q=bookshelf"), chromedp.WaitReady(chromedp.CSS("main")))
	if got := b.Text("h3[id^=hit-]"); got != "Oak bookshelf, hand made" {
		t.Fatalf("relay search result: %q", got)
	}
	b.Screenshot("06-relay-search")

	// The public pages of the hub.
	b.Do("open the listing's page", chromedp.Navigate(id), chromedp.WaitReady(chromedp.CSS("main")))
	if got := b.Text("#listing-h"); got != "Oak bookshelf, hand made" {
		t.Fatalf("public listing page: %q", got)
	}
	if ok := browsertest.Eval[bool](b, `document.querySelector("#offer form input#handle") !== null`); !ok {
		t.Error("the listing's page asks for no handle to make an offer")
	}
	b.Screenshot("07-public-listing")
	b.Clean("public listing")
	b.Open("/")
	b.Screenshot("08-profile")
	for i, p := range []string{"/owner/followers", "/owner/relays", "/owner/following", "/owner/marketplace"} {
		b.Open(p)
		b.Screenshot(fmt.Sprintf("%02d-%s", 9+i, strings.TrimPrefix(p, "/owner/")))
		b.Clean(p)
	}

	// A form without the CSRF token, posted from the owner's own page in
	// the logged-in browser, is refused.
	b.Open("/owner/listings")
	b.Do("post a form without the token", chromedp.Evaluate[chromedp.Void](`(() => {
		const f = document.createElement("form"); f.method = "post"; f.action = "/owner/listings/`+ls[0].Listing.ID+`/delete";
		document.body.append(f); f.submit(); })()`))
	testhub.Eventually(t, "the refusal page", func() bool {
		s, err := chromedp.Run(b.Ctx(), chromedp.Evaluate[string](`document.readyState == "complete" && location.pathname.endsWith("/delete") ? document.querySelector("main").innerText : ""`))
		return err == nil && strings.Contains(s, "security token")
	})
	b.Screenshot("13-csrf-refused")
	if ls, _ := h.Listings(); len(ls) != 1 || ls[0].Deleted != nil {
		t.Fatal("the form without a token deleted the listing")
	}

	// Logout: back to the login, and the owner pages need it again.
	b.Open("/owner")
	if loc := b.ClickAndWait("form.account button"); !strings.Contains(loc, "/owner/login") {
		t.Fatalf("after logout: %s", loc)
	}
	b.Open("/owner")
	if loc := b.Location(); !strings.Contains(loc, "/owner/login") {
		t.Fatalf("owner page after logout: %s", loc)
	}
}

// TestBrowserMarketplaceEscaping: a followed hub's listing whose title and
// description carry script and onerror payloads shows them as text on the
// owner's marketplace page: no dialog, no injected element.
func TestBrowserMarketplaceEscaping(t *testing.T) {
	carol := startHub(t, "carol")
	setPassword(t, carol)
	alice := testhub.StartHub(t, testhub.Options{Name: "alice"})
	follow(t, carol, alice)
	l := alice.Listing(`<script>alert("title")</script><img src=x onerror=alert(1)> bikes`)
	l.Description = `<img src=x onerror=alert(2)><script>alert(3)</script> Great bikes <a href="javascript:alert(4)">click</a>`
	create, _ := alice.ListingActivity("Create", l)
	if status, body := send(t, alice, carol.ActorID()+"/inbox", create); status != http.StatusAccepted {
		t.Fatalf("alice's Create: %d %s", status, body)
	}
	token := carol.Token(t, hub.ScopeReadOnly)
	testhub.Eventually(t, "the hostile listing to be searchable", func() bool { _, ok := marketHit(t, carol, token, "bikes", l.FederatedAPID); return ok })

	b := browsertest.New(t, carol.Config.PublicURL, true)
	b.Open("/owner/login")
	b.Do("log in", chromedp.SendKeys("#password", ownerPassword))
	b.ClickAndWait("form[action='/owner/login'] button")
	b.Open("/owner/marketplace?q=bikes")
	time.Sleep(300 * time.Millisecond) // time for anything injected to run
	injected := `document.querySelectorAll("script:not([src]), main img, iframe, object, embed, [onerror], [onclick], [onload], main [style]").length`
	if n := browsertest.Eval[int](b, injected); n != 0 {
		t.Errorf("%d injected elements", n)
	}
	if got := b.Text("h3[id^=hit-]"); got != l.Title {
		t.Errorf("the result's title reads %q, want the hub's text %q", got, l.Title)
	}
	if href := browsertest.Eval[string](b, `[...document.querySelectorAll("a")].map(a => a.getAttribute("href")).filter(h => h && h.toLowerCase().includes("javascript:")).join(" ")`); href != "" {
		t.Errorf("script URLs linked: %s", href)
	}
	b.Screenshot("marketplace-escaping")
	b.Clean("marketplace")
}
