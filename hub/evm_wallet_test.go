package hub_test

import (
	"context"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sovereign-marketplace/market/deal"
	"github.com/sovereign-marketplace/market/escrow"
	"github.com/sovereign-marketplace/market/hub"
	"github.com/sovereign-marketplace/market/internal/browsertest"
	"github.com/sovereign-marketplace/market/internal/testhub"
)

// TestBrowserWalletFundsEVMDeal: in Chromium, the buyer pays an accepted
// EVM deal from its page on the buyer's hub with a browser wallet: the
// test EIP-1193 provider, signing with the buyer account's dev key and
// sending to the chain over JSON-RPC. Before anything is signed the page
// shows the contract, the account and the amount in the token's units
// (its symbol and decimals read from the token on chain); the wallet
// approves the contract and creates and funds the deal in one
// transaction that carries the agreement's reference; the page tells its
// hub, and both hubs mirror the deal as funded; the tokens are held by
// the contract. On the way, the page's report route is attacked: without
// the session's CSRF token it is refused, and a report naming a
// look-alike on-chain deal (a stranger's, carrying the agreement's
// reference) or another chain changes nothing.
func TestBrowserWalletFundsEVMDeal(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c := startEVMChain(t, ctx)
	seller := testhub.StartMarketHub(t, c.hubConfig(t, "ana", evmSeller), nil)
	buyer := testhub.StartMarketHub(t, c.hubConfig(t, "bo", evmBuyer), nil)
	st, bt := seller.Token(t, hub.ScopeFull), buyer.Token(t, hub.ScopeFull)
	key := c.acceptedDeal(t, seller, buyer, st, bt)
	bd, _ := buyer.Deal(key)

	// A look-alike: a stranger pays the seller the agreed amount on chain
	// with the agreement's reference (on-chain deal 1).
	stranger := escrow.Party(c.Addrs[evmStranger].Hex())
	if _, err := c.e.CreateAndFund(ctx, escrow.CreateRequest{By: stranger, Buyer: stranger, Seller: escrow.Party(c.Addrs[evmSeller].Hex()),
		Amount: big.NewInt(200_000_000), Currency: c.token.Hex(), Ref: deal.ChainRef(bd.ID)}); err != nil {
		t.Fatal(err)
	}

	b := loggedIn(t, buyer)
	wallet := browsertest.NewWallet(t, c.url, c.Keys[evmBuyer], func() {}) // the chain mines while transactions wait
	wallet.Install(b)
	b.Open("/owner/deals/" + key)
	if got := b.Text("[data-wallet-show=amount]"); got != "200 TST" {
		t.Errorf("the page shows the amount %q, want 200 TST (the token's own symbol and decimals)", got)
	}
	if got := b.Text("[data-wallet-show=contract]"); !strings.EqualFold(got, c.dep.Escrow.Hex()) {
		t.Errorf("the page shows the contract %q, want %s", got, c.dep.Escrow.Hex())
	}
	if got := b.Text("[data-wallet-show=buyer]"); !strings.EqualFold(got, c.Addrs[evmBuyer].Hex()) {
		t.Errorf("the page shows the paying account %q, want the buyer's %s", got, c.Addrs[evmBuyer].Hex())
	}
	b.WaitFor("the Pay button", `(() => { const e = document.querySelector("[data-wallet-actions]"); return e && !e.hidden ? e.textContent : ""; })()`)
	b.Screenshot("evm-deal-wallet-before")

	// The report route, attacked from the page itself.
	post := func(form string) int {
		t.Helper()
		js := `fetch("/owner/deals/` + key + `/funded", {method: "POST", body: new URLSearchParams(` + form + `), credentials: "same-origin"}).then(r => r.status)`
		status, err := chromedp.Run(b.Ctx(), chromedp.Evaluate[int](js, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("post %s: %v", form, err)
		}
		return status
	}
	csrf := `JSON.parse(document.querySelector("[data-wallet-params]").textContent).csrf`
	tx := `"0x` + strings.Repeat("ab", 32) + `"`
	if got := post(`{tx: ` + tx + `, deal: "1", chain_id: "1337"}`); got != http.StatusForbidden {
		t.Errorf("a report without the CSRF token: %d, want 403", got)
	}
	if got := post(`{csrf: ` + csrf + `, tx: ` + tx + `, deal: "1", chain_id: "1"}`); got != http.StatusBadRequest {
		t.Errorf("a report of another chain: %d, want 400", got)
	}
	if got := post(`{csrf: ` + csrf + `, tx: "0x12", deal: "1", chain_id: "1337"}`); got != http.StatusBadRequest {
		t.Errorf("a report with a bad transaction hash: %d, want 400", got)
	}
	if got := post(`{csrf: ` + csrf + `, tx: ` + tx + `, deal: "1", chain_id: "1337"}`); got != http.StatusNoContent {
		t.Errorf("a report naming the look-alike: %d, want 204 (the hint is read, then refused)", got)
	}
	c.caughtUp(t, buyer)
	if d, _ := buyer.Deal(key); d.State != deal.StateAccepted || d.EscrowDeal != 0 {
		t.Fatalf("after the look-alike's report the buyer's copy is %s, on-chain deal %d", d.State, d.EscrowDeal)
	}

	before := c.tokens(t, evmBuyer)
	b.Do("press Pay", chromedp.Click(chromedp.CSS("[data-wallet-start]"), chromedp.NodeVisible))
	confirm := b.WaitFor("the confirmation", `(() => { const c = document.querySelector("[data-wallet-confirm-box]"); return c && !c.hidden ? c.textContent : ""; })()`)
	if !strings.Contains(confirm, "200 TST") || !strings.Contains(strings.ToLower(confirm), strings.ToLower(c.dep.Escrow.Hex())) {
		t.Errorf("the confirmation reads %q: want the amount and the contract", confirm)
	}
	b.Screenshot("evm-deal-wallet-confirm")
	b.Do("confirm", chromedp.Click(chromedp.CSS("[data-wallet-confirm]"), chromedp.NodeVisible))
	// Paid, the page goes back to the deal's page, which the report has
	// brought up to date.
	notice := b.WaitFor("the deal page after the payment", `location.search.includes("done=") && document.readyState == "complete" ? document.querySelector("main").innerText : ""`)
	if !strings.Contains(notice, "Paid from your wallet") {
		t.Errorf("after paying the deal page reads %q", notice)
	}
	if got := b.Text("#deal-state"); got != "Funded" {
		t.Errorf("the deal page says %q after the payment", got)
	}
	if got := b.Text("#deal-chain"); !strings.Contains(got, "deal #2") {
		t.Errorf("the deal page's chain line reads %q", got)
	}
	if n := browsertest.Eval[int](b, `document.querySelectorAll("[data-wallet-fund]").length`); n != 0 {
		t.Errorf("a funded deal's page still offers the wallet (%d blocks)", n)
	}
	b.Screenshot("evm-deal-wallet-paid")
	b.Clean("the deal page with the wallet")
	if n := len(wallet.Sent()); n != 2 {
		t.Errorf("the wallet sent %d transactions, want 2 (approve, createAndFund)", n)
	}
	testhub.Eventually(t, "funded on both hubs", func() bool {
		return dealState(buyer, key) == "funded" && dealState(seller, key) == "funded"
	})
	for _, h := range []*testhub.MarketHub{buyer, seller} {
		if d, _ := h.Deal(key); d.EscrowDeal != 2 {
			t.Errorf("%s's copy is on-chain deal %d, want 2 (the wallet's)", h.Handle(), d.EscrowDeal)
		}
	}
	if spent := before - c.tokens(t, evmBuyer); spent != 200_000_000 {
		t.Errorf("the buyer's account paid %d base units, want 200000000", spent)
	}
	if cd, err := c.e.Deal(ctx, 2); err != nil || cd.Status != escrow.StatusFunded || !escrow.SameAddress(cd.Buyer, escrow.Party(c.Addrs[evmBuyer].Hex())) {
		t.Fatalf("on chain: %+v %v", cd, err)
	}
}

// acceptedDeal has the seller list a $200 review paid through the
// chain's escrow in its test token, the buyer offer on it and the seller
// accept; it returns the deal's key once the buyer has the Accept.
func (c *evmChain) acceptedDeal(t *testing.T, seller, buyer *testhub.MarketHub, st, bt string) string {
	t.Helper()
	lv := create(t, seller, st, map[string]any{
		"title": "Architecture review", "listing_type": "service", "status": "active",
		"price":   map[string]string{"amount": "200", "currency": "USD", "price_type": "fixed", "pricing_model": "one_time"},
		"escrows": []map[string]any{{"kind": "evm", "chain_id": 1337, "contract": c.dep.Escrow.Hex(), "token": c.token.Hex(), "decimals": 6}},
	})
	ref := "eip155:1337:" + strings.ToLower(c.dep.Escrow.Hex()) + "/erc20:" + strings.ToLower(c.token.Hex())
	key := offered(t, seller, buyer, bt, map[string]any{"listing": lv.FederatedAPID, "quantity": 1, "escrow": ref})
	if code, body := seller.API(t, st, "POST", "/api/v1/owner/offers/"+key+"/accept", nil); code != http.StatusOK {
		t.Fatalf("accept: %d %s", code, body)
	}
	testhub.Eventually(t, "the buyer sees the accept", func() bool { return dealState(buyer, key) == deal.StateAccepted })
	return key
}
