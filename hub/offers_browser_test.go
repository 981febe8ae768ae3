package hub_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sovereign-marketplace/market/deal"
	"github.com/sovereign-marketplace/market/hub"
	"github.com/sovereign-marketplace/market/internal/browsertest"
	"github.com/sovereign-marketplace/market/internal/testhub"
)

// loggedIn is a browser logged in to h's owner pages.
func loggedIn(t *testing.T, h *testhub.MarketHub) *browsertest.Browser {
	t.Helper()
	setPassword(t, h)
	b := browsertest.New(t, h.Config.PublicURL, true)
	b.Open("/owner/login")
	b.Do("log in", chromedp.SendKeys("#password", ownerPassword))
	b.ClickAndWait("form[action='/owner/login'] button")
	return b
}

// buttons are the names of the action buttons of the deal page.
func buttons(b *browsertest.Browser) string {
	return browsertest.Eval[string](b, `[...document.querySelectorAll("#actions button")].map(e => e.name).join(" ")`)
}

// TestBrowserRemoteOffer: the remote-interaction flow across two real
// hubs on loopback and an escrow agent. From alice's listing page (its
// title carries script payloads) bob enters his handle, is sent to his
// own hub's offer page, logged in, where the title shows as text; he
// offers two hours; alice sees the offer among the offers to her and
// accepts it from her page; both deal pages show the timeline and only
// the buttons the state table allows each side: bob funds, then alice
// may mark delivered.
func TestBrowserRemoteOffer(t *testing.T) {
	ctx := context.Background()
	alice, bob := startHub(t, "alice"), startHub(t, "bob")
	agentCfg := testhub.HubConfig(t, t.TempDir(), "coop")
	agentCfg.Hub.Agent.Enabled = true
	agent := testhub.StartMarketHub(t, agentCfg, nil)
	if _, err := agent.AgentPayment(ctx, true, bob.ActorID(), "50000 USD"); err != nil {
		t.Fatal(err)
	}
	title := `<img src=x onerror=alert(1)>Architecture consulting <script>alert(2)</script>`
	lst := negotiable(t, alice, alice.Token(t, "full"), title, "hourly", agent.ActorID())

	bb := loggedIn(t, bob)
	bb.Do("open alice's listing", chromedp.Navigate(lst), chromedp.WaitReady(chromedp.CSS("main")))
	if got := bb.Text("#listing-h"); got != title {
		t.Fatalf("the listing's title reads %q", got)
	}
	bb.Do("type a handle that is no address", chromedp.SendKeys("#handle", "bob"))
	bb.ClickAndWait("#offer form button")
	if got := bb.Text("#handle-error"); !strings.Contains(got, "not an address") {
		t.Errorf("the problem beside the handle: %q", got)
	}
	bb.Screenshot("00-listing-handle-error")
	bb.Do("open alice's listing again", chromedp.Navigate(lst), chromedp.WaitReady(chromedp.CSS("main")))
	bb.Do("type bob's handle", chromedp.SendKeys("#handle", bob.Acct()))
	bb.Screenshot("01-listing-offer-form")
	bb.ClickAndWait("#offer form button")
	if got := bb.Text("#offer-continue"); !strings.Contains(got, strings.TrimPrefix(bob.Config.PublicURL, "http://")) {
		t.Fatalf("the continue link reads %q", got)
	}
	bb.Screenshot("02-listing-continue")
	bb.Clean("listing page")
	if loc := bb.ClickAndWait("#offer-continue"); !strings.HasPrefix(loc, bob.Config.PublicURL+"/owner/offers/new?listing=") {
		t.Fatalf("the continue link went to %s", loc)
	}
	if got := bb.Text("#offer-title"); got != title {
		t.Fatalf("bob's offer page shows the title %q, want the text %q", got, title)
	}
	injected := `document.querySelectorAll("script:not([src]), main img, [onerror]").length`
	if n := browsertest.Eval[int](bb, injected); n != 0 {
		t.Errorf("%d injected elements on the offer page", n)
	}
	bb.Do("two hours", chromedp.SetValue("#quantity", "2"))
	bb.Screenshot("03-offer-page")
	bb.Clean("offer page")
	loc := bb.ClickAndWait("#send-offer")
	if !strings.Contains(loc, "/owner/deals/") {
		t.Fatalf("after sending the offer: %s (%s)", loc, bb.Text("main"))
	}
	key := loc[strings.LastIndex(loc, "/")+1:]
	key, _, _ = strings.Cut(key, "?")
	if got := bb.Text("#deal-amount"); got != "400 USD" {
		t.Errorf("bob's deal page: total %q", got)
	}
	if got := buttons(bb); got != "" {
		t.Errorf("bob's buttons on his open offer: %q, want none", got)
	}
	bb.Screenshot("04-deal-offered-buyer")
	bb.Clean("buyer's deal page")

	testhub.Eventually(t, "alice has the offer", func() bool { return dealState(alice, key) == deal.StateOffered })
	ab := loggedIn(t, alice)
	ab.Open("/owner")
	if got := ab.Text("#d-offers + p"); got != "1 offer waits for your answer" {
		t.Errorf("alice's dashboard: %q", got)
	}
	ab.Screenshot("05-dashboard-offer")
	ab.Open("/owner/offers")
	if got := ab.Text("#offers-in tr[data-deal='" + key + "'] td:nth-child(3)"); got != "400 USD" {
		t.Errorf("alice's offers: amount %q", got)
	}
	if n := browsertest.Eval[int](ab, `document.querySelectorAll("#offers-in button[name=counter]").length`); n != 0 {
		t.Errorf("a counter button on an hourly listing's offer")
	}
	ab.Screenshot("05-offers-in")
	ab.Clean("offers page")
	if loc := ab.ClickAndWait("#offers-in tr[data-deal='" + key + "'] button[name=accept]"); !strings.HasSuffix(strings.Split(loc, "?")[0], "/owner/deals/"+key) {
		t.Fatalf("after accepting: %s", loc)
	}
	testhub.Eventually(t, "both copies created at the agent", func() bool {
		return dealState(alice, key) == "created" && dealState(bob, key) == "created"
	})
	ab.Open("/owner/deals/" + key)
	if got := buttons(ab); got != "timeout" {
		t.Errorf("alice's buttons on a created deal: %q, want timeout only", got)
	}
	bb.Open("/owner/deals/" + key)
	if got := buttons(bb); got != "fund timeout" {
		t.Errorf("bob's buttons on a created deal: %q, want fund timeout", got)
	}
	for _, b := range []*browsertest.Browser{ab, bb} {
		if got := browsertest.Eval[string](b, `[...document.querySelectorAll("#timeline li")].map(e => e.dataset.action).join(" ")`); got != "offer accept create" {
			t.Errorf("the timeline: %q", got)
		}
	}
	bb.Screenshot("06-deal-created-buyer")
	bb.Clean("buyer's deal page")
	bb.ClickAndWait("#actions button[name=fund]")
	testhub.Eventually(t, "both copies funded", func() bool {
		return dealState(alice, key) == "funded" && dealState(bob, key) == "funded"
	})
	ab.Open("/owner/deals/" + key)
	if got := buttons(ab); got != "deliver refund timeout" {
		t.Errorf("alice's buttons on a funded deal: %q", got)
	}
	ab.Screenshot("07-deal-funded-seller")
	ab.Clean("seller's deal page")
	bb.Open("/owner/deals/" + key)
	if got := buttons(bb); got != "confirm timeout" {
		t.Errorf("bob's buttons on a funded deal: %q", got)
	}
	bb.Open("/owner/offers")
	bb.Screenshot("08-offers-out")

	// A negotiable listing: alice counters bob's offer from her offers
	// page; bob may accept, reject or counter it on his deal page.
	logo := negotiable(t, alice, alice.Token(t, "full"), "Logo design", "negotiable", agent.ActorID())
	code, body := bob.API(t, bob.Token(t, "full"), "POST", "/api/v1/owner/offers", map[string]any{"listing": logo, "amount": "9000", "escrow": agent.ActorID()})
	if code != http.StatusCreated {
		t.Fatalf("offer: %d %s", code, body)
	}
	var dv hub.DealView
	json.Unmarshal(body, &dv)
	testhub.Eventually(t, "alice has the logo offer", func() bool { return dealState(alice, dv.Key) == deal.StateOffered })
	ab.Open("/owner/offers")
	row := "#offers-in tr[data-deal='" + dv.Key + "'] "
	ab.Do("type a counter amount", chromedp.SendKeys(row+"input[name=amount]", "120"))
	ab.ClickAndWait(row + "button[name=counter]")
	if got := ab.Text("#deal-amount"); got != "120 USD" {
		t.Errorf("alice's deal after her counter-offer: %q", got)
	}
	if got := buttons(ab); got != "" {
		t.Errorf("alice's buttons after her counter-offer: %q, want none", got)
	}
	testhub.Eventually(t, "bob has the counter-offer", func() bool { return dealState(bob, dv.Key) == deal.StateCountered })
	bb.Open("/owner/deals/" + dv.Key)
	if got := buttons(bb); got != "accept reject counter" {
		t.Errorf("bob's buttons on a counter-offer: %q", got)
	}
	if got := browsertest.Eval[string](bb, `[...document.querySelectorAll("#timeline li")].map(e => e.dataset.action).join(" ")`); got != "offer counter" {
		t.Errorf("bob's timeline: %q", got)
	}
	bb.Screenshot("09-deal-countered-buyer")
	bb.Clean("countered deal page")
}
