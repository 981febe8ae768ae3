package hub_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/deal"
	"github.com/sovereign-marketplace/market/hub"
	"github.com/sovereign-marketplace/market/internal/testhub"
)

// dealState is a hub's copy's state of the deal with key ("" if none).
func dealState(h *testhub.MarketHub, key string) deal.State {
	d, err := h.Deal(key)
	if err != nil {
		return ""
	}
	return d.State
}

// forged is an activity by test actor x, addressed to one actor only.
func forged(x *testhub.Hub, typ, to string, object any) []byte {
	b, _ := json.Marshal(map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       x.ActorID + "/activities/" + fmt.Sprint(time.Now().UnixNano()),
		"type":     typ, "actor": x.ActorID, "to": []string{to}, "object": object,
	})
	return b
}

// consulting publishes the seed's consulting listing ($200/hour, held by
// agent's ledger escrow) on seller's hub.
func consulting(t *testing.T, seller *testhub.MarketHub, token string, agent *testhub.MarketHub) hub.ListingView {
	t.Helper()
	code, body := seller.API(t, token, "POST", "/api/v1/owner/listings", map[string]any{
		"title": "1-hour architecture consulting session", "listing_type": "service", "status": "active",
		"price":   map[string]string{"amount": "200", "currency": "USD", "price_type": "hourly", "pricing_model": "one_time"},
		"escrows": []map[string]string{{"kind": "ledger", "agent": agent.ActorID()}},
	})
	if code != http.StatusCreated {
		t.Fatalf("create listing: %d %s", code, body)
	}
	var lv hub.ListingView
	json.Unmarshal(body, &lv)
	return lv
}

// TestDealEndToEnd is the seed's consulting use case between real hubs on
// loopback with real signatures: a seller hub, a buyer hub and an escrow
// agent (a hub with hub.agent.enabled). Every step is also tried by the
// wrong party, twice and out of order, and the seller's hub and the
// agent are restarted on the way; the three copies agree at the end.
func TestDealEndToEnd(t *testing.T) {
	ctx := context.Background()
	sellerCfg := testhub.HubConfig(t, t.TempDir(), "ana")
	buyerCfg := testhub.HubConfig(t, t.TempDir(), "bo")
	agentCfg := testhub.HubConfig(t, t.TempDir(), "coop")
	agentCfg.Hub.Agent.Enabled = true
	seller := testhub.StartMarketHub(t, sellerCfg, nil)
	buyer := testhub.StartMarketHub(t, buyerCfg, nil)
	agent := testhub.StartMarketHub(t, agentCfg, nil)
	st, bt := seller.Token(t, "full"), buyer.Token(t, "full")
	readOnly := buyer.Token(t, "read-only")

	lv := consulting(t, seller, st, agent)
	if _, err := agent.AgentPayment(ctx, true, buyer.ActorID(), "25000 USD"); err != nil {
		t.Fatal(err)
	}

	// Offers the buyer's hub refuses to send.
	offer := map[string]any{"listing": lv.FederatedAPID, "quantity": 1, "escrow": agent.ActorID()}
	for name, tc := range map[string]struct {
		token string
		body  map[string]any
		want  int
	}{
		"no token":          {"", offer, http.StatusUnauthorized},
		"read-only token":   {readOnly, offer, http.StatusForbidden},
		"zero hours":        {bt, map[string]any{"listing": lv.FederatedAPID, "quantity": 0, "escrow": agent.ActorID()}, http.StatusBadRequest},
		"escrow not named":  {bt, map[string]any{"listing": lv.FederatedAPID, "quantity": 1, "escrow": "https://evil.example/agent"}, http.StatusBadRequest},
		"listing not a URL": {bt, map[string]any{"listing": "file:///etc/passwd", "quantity": 1}, http.StatusBadRequest},
		"unknown member":    {bt, map[string]any{"listing": lv.FederatedAPID, "quantity": 1, "price": "1"}, http.StatusBadRequest},
	} {
		if code, body := buyer.API(t, tc.token, "POST", "/api/v1/owner/offers", tc.body); code != tc.want {
			t.Errorf("%s: %d %s, want %d", name, code, body, tc.want)
		}
	}
	if ds, _ := buyer.Deals(); len(ds) != 0 {
		t.Fatalf("refused offers left deals: %+v", ds)
	}

	code, body := buyer.API(t, bt, "POST", "/api/v1/owner/offers", offer)
	if code != http.StatusCreated {
		t.Fatalf("offer: %d %s", code, body)
	}
	var dv hub.DealView
	json.Unmarshal(body, &dv)
	if dv.Amount != "20000" || dv.Currency != "USD" || dv.State != deal.StateOffered {
		t.Fatalf("offer: %s", body)
	}
	key := dv.Key
	testhub.Eventually(t, "the seller's hub has the offer", func() bool { return dealState(seller, key) == deal.StateOffered })

	// Only the seller answers, on its own hub, once.
	if code, body := buyer.API(t, bt, "POST", "/api/v1/owner/offers/"+key+"/accept", nil); code != http.StatusForbidden {
		t.Fatalf("the buyer accepting its own offer: %d %s", code, body)
	}
	if code, body := seller.API(t, st, "POST", "/api/v1/owner/offers/"+key+"/accept", nil); code != http.StatusOK {
		t.Fatalf("accept: %d %s", code, body)
	}
	if code, _ := seller.API(t, st, "POST", "/api/v1/owner/offers/"+key+"/reject", nil); code != http.StatusConflict {
		t.Fatalf("reject after accept: %d, want 409", code)
	}
	testhub.Eventually(t, "both copies created at the agent", func() bool {
		return dealState(buyer, key) == "created" && dealState(seller, key) == "created"
	})

	// A stranger posing as the agent, and an update addressed to the
	// world, change nothing.
	x := testhub.StartHub(t, testhub.Options{Name: "mallory"})
	d, _ := buyer.Deal(key)
	fake := &deal.Update{ID: x.ActorID + "/u/1", Agent: x.ActorID, Agreement: d.ID, Deal: d.EscrowDeal, Buyer: d.Buyer, Seller: d.Seller,
		Amount: d.Amount, Currency: d.Currency, Events: []deal.Event{
			{Seq: 1, Action: "create", To: "created", By: d.Seller, At: time.Now()},
			{Seq: 2, Action: "fund", From: "created", To: "funded", By: d.Buyer, At: time.Now()},
			{Seq: 3, Action: "deliver", From: "funded", To: "delivered", By: d.Seller, At: time.Now()}}}
	if code, body, _ := x.Send(ctx, buyer.Node().Actor().Inbox, forged(x, "Create", buyer.ActorID(), fake.Object())); code != http.StatusForbidden {
		t.Fatalf("an update from a stranger: %d %s", code, body)
	}
	// A stranger asking the agent to deliver the deal is refused.
	req := &deal.Request{ID: x.ActorID + "/r/1", By: x.ActorID, Action: "deliver", Agreement: d.ID, Deal: d.EscrowDeal}
	if code, body, _ := x.Send(ctx, agent.Node().Actor().Inbox, forged(x, "Create", agent.ActorID(), req.Object())); code != http.StatusForbidden {
		t.Fatalf("a stranger's request at the agent: %d %s", code, body)
	}

	act := func(h *testhub.MarketHub, token, action string, want int) {
		t.Helper()
		if code, body := h.API(t, token, "POST", "/api/v1/owner/deals/"+key+"/"+action, nil); code != want {
			t.Fatalf("%s by %s: %d %s, want %d", action, h.Handle(), code, body, want)
		}
	}
	act(seller, st, "fund", http.StatusForbidden)      // the seller cannot fund
	act(seller, st, "deliver", http.StatusConflict)    // not funded yet
	act(buyer, bt, "confirm", http.StatusConflict)     // nothing to confirm
	act(buyer, readOnly, "fund", http.StatusForbidden) // a read-only token

	// The agent is down: the buyer's fund is queued (twice), delivered
	// when the agent is back, and applied once.
	agent.Stop()
	act(buyer, bt, "fund", http.StatusAccepted)
	if code, body := buyer.API(t, bt, "POST", "/api/v1/owner/deals/"+key+"/fund", nil); code != http.StatusAccepted || !strings.Contains(string(body), `"queued":"fund"`) {
		t.Fatalf("fund while the agent is down: %d %s", code, body)
	}
	agent = testhub.StartMarketHub(t, agentCfg, nil)
	testhub.Eventually(t, "funded on all three", func() bool {
		ad, err := agent.AgentDeal(ctx, d.ID)
		return err == nil && ad.Status == "funded" && dealState(buyer, key) == "funded" && dealState(seller, key) == "funded"
	})
	// The second fund was refused by the agent, and both copies say why.
	for _, h := range []*testhub.MarketHub{buyer, seller} {
		testhub.Eventually(t, h.Handle()+"'s copy notes the refused second fund", func() bool {
			d, _ := h.Deal(key)
			for _, e := range d.History {
				if e.Action == "refuse" && strings.Contains(e.Reason, "refused to fund") && e.To == "funded" {
					return true
				}
			}
			return false
		})
	}
	act(buyer, bt, "fund", http.StatusConflict) // the copy is funded now

	// The seller's hub and the agent restart; the deal goes on.
	seller.Stop()
	seller = testhub.StartMarketHub(t, sellerCfg, nil)
	agent.Stop()
	agent = testhub.StartMarketHub(t, agentCfg, nil)

	act(buyer, bt, "deliver", http.StatusForbidden) // the buyer cannot deliver
	act(seller, st, "confirm", http.StatusForbidden)
	act(seller, st, "deliver", http.StatusAccepted)
	testhub.Eventually(t, "the seller's copy delivered", func() bool { return dealState(seller, key) == "delivered" })
	act(seller, st, "deliver", http.StatusConflict)

	// The buyer's hub restarts mid-deal: it catches up with the
	// delivery and goes on.
	buyer.Stop()
	buyer = testhub.StartMarketHub(t, buyerCfg, nil)
	testhub.Eventually(t, "the buyer's copy delivered", func() bool { return dealState(buyer, key) == "delivered" })
	act(seller, st, "confirm", http.StatusForbidden) // only the buyer releases
	act(buyer, bt, "confirm", http.StatusAccepted)
	// The buyer's confirm releases the money and closes the deal: the
	// agent completes it at once, without waiting for the seller.
	testhub.Eventually(t, "completed on all three servers", func() bool {
		ad, err := agent.AgentDeal(ctx, d.ID)
		return err == nil && ad.Status == "completed" && dealState(buyer, key) == "completed" && dealState(seller, key) == "completed"
	})
	act(buyer, bt, "confirm", http.StatusConflict)
	act(seller, st, "complete", http.StatusConflict)
	act(buyer, bt, "complete", http.StatusConflict)
	if h := agentHistory(t, agent, d.ID); len(h) < 2 || !strings.Contains(h[len(h)-2], " confirm delivered→confirmed by "+buyer.ActorID()) ||
		!strings.Contains(h[len(h)-1], " complete confirmed→completed by "+buyer.ActorID()) {
		t.Errorf("the agent's history ends %q, want confirm then complete", h)
	}
	for who, want := range map[string]int64{seller.ActorID(): 20000, buyer.ActorID(): 5000} {
		if bal, err := agent.AgentBalance(ctx, who, "USD"); err != nil || bal.Int64() != want {
			t.Errorf("%s's balance at the agent: %v %v, want %d", who, bal, err, want)
		}
	}
	bd, _ := buyer.Deal(key)
	sd, _ := seller.Deal(key)
	want := []string{
		"1 create accepted→created by " + seller.ActorID(),
		"2 fund created→funded by " + buyer.ActorID(),
		"3 deliver funded→delivered by " + seller.ActorID(),
		"4 confirm delivered→confirmed by " + buyer.ActorID(),
		"5 complete confirmed→completed by " + buyer.ActorID(), // closed with the confirm
	}
	if got := escrowSteps(bd); !slices.Equal(got, want) {
		t.Errorf("the buyer's history:\n%q\nwant\n%q", got, want)
	}
	if got := escrowSteps(sd); !slices.Equal(got, want) {
		t.Errorf("the seller's history:\n%q\nwant\n%q", got, want)
	}
}

// TestOfferChecks: the seller's hub takes an Offer only from the
// Agreement's own author, addressed to the seller alone, at the listing's
// price, once; an offer expires on both sides; a free listing's deal needs
// no escrow.
func TestOfferChecks(t *testing.T) {
	ctx := context.Background()
	seller := testhub.StartMarketHub(t, testhub.HubConfig(t, t.TempDir(), "ana"), nil)
	buyer := testhub.StartMarketHub(t, testhub.HubConfig(t, t.TempDir(), "bo"), nil)
	st, bt := seller.Token(t, "full"), buyer.Token(t, "full")
	const agentURL = "https://coop.example/users/escrow"
	create := func(price map[string]string, escrows any) string {
		t.Helper()
		code, body := seller.API(t, st, "POST", "/api/v1/owner/listings", map[string]any{
			"title": "Consulting", "listing_type": "service", "status": "active", "price": price, "escrows": escrows})
		if code != http.StatusCreated {
			t.Fatalf("create listing: %d %s", code, body)
		}
		var lv hub.ListingView
		json.Unmarshal(body, &lv)
		return lv.FederatedAPID
	}
	hourly := create(map[string]string{"amount": "200", "currency": "USD", "price_type": "hourly", "pricing_model": "one_time"},
		[]map[string]string{{"kind": "ledger", "agent": agentURL}})

	x := testhub.StartHub(t, testhub.Options{Name: "mallory"})
	inbox := seller.Node().Actor().Inbox
	agreement := func(id, by, amount string) json.RawMessage {
		d := deal.New(id, "", deal.RoleBuyer, deal.Terms{Listing: hourly, Buyer: by, Seller: seller.ActorID(), Quantity: 1, Amount: amount,
			Currency: "USD", Escrow: agentURL, Expires: time.Now().Add(time.Hour)}, by, time.Now())
		return deal.Agreement(d, "hour")
	}
	send := func(act []byte) int {
		t.Helper()
		code, _, err := x.Send(ctx, inbox, act)
		if err != nil {
			t.Fatal(err)
		}
		return code
	}
	public := x.Activity("Offer", agreement(x.ActorID+"/deals/1", x.ActorID, "20000"))
	if code := send(public); code != http.StatusBadRequest {
		t.Errorf("an offer addressed to the public: %d, want 400", code)
	}
	if code := send(forged(x, "Offer", seller.ActorID(), agreement(x.ActorID+"/deals/2", x.ActorID, "1"))); code != http.StatusBadRequest {
		t.Errorf("an offer below the listing's price: %d, want 400", code)
	}
	if code := send(forged(x, "Offer", seller.ActorID(), agreement(buyer.ActorID()+"/deals/3", buyer.ActorID(), "20000"))); code != http.StatusForbidden {
		t.Errorf("an offer in another actor's name: %d, want 403", code)
	}
	good := forged(x, "Offer", seller.ActorID(), agreement(x.ActorID+"/deals/4", x.ActorID, "20000"))
	for range 2 {
		if code := send(good); code >= 300 {
			t.Fatalf("a good offer: %d", code)
		}
	}
	if ds, _ := seller.Deals(); len(ds) != 1 || ds[0].Buyer != x.ActorID || ds[0].State != deal.StateOffered {
		t.Fatalf("the seller's deals after a repeated offer: %+v", ds)
	}
	// The same agreement in a new Offer is a conflict, not a second deal.
	if code := send(forged(x, "Offer", seller.ActorID(), agreement(x.ActorID+"/deals/4", x.ActorID, "20000"))); code != http.StatusConflict {
		t.Errorf("the same agreement offered again: %d, want 409", code)
	}

	// Expiry: both sides end the offer; the seller can no longer accept.
	code, body := buyer.API(t, bt, "POST", "/api/v1/owner/offers", map[string]any{"listing": hourly, "quantity": 2, "escrow": agentURL, "expires_in": "1s"})
	if code != http.StatusCreated {
		t.Fatalf("offer: %d %s", code, body)
	}
	var dv hub.DealView
	json.Unmarshal(body, &dv)
	if dv.Amount != "40000" {
		t.Errorf("two hours at $200: %s minor units", dv.Amount)
	}
	testhub.Eventually(t, "the offer expired on both hubs", func() bool {
		return dealState(buyer, dv.Key) == deal.StateExpired && dealState(seller, dv.Key) == deal.StateExpired
	})
	if code, _ := seller.API(t, st, "POST", "/api/v1/owner/offers/"+dv.Key+"/accept", nil); code != http.StatusConflict {
		t.Errorf("accepting an expired offer: %d, want 409", code)
	}

	// A free listing: no escrow, accepted and done with the answer.
	free := create(map[string]string{"amount": "0", "currency": "USD", "price_type": "free", "pricing_model": "one_time"}, nil)
	code, body = buyer.API(t, bt, "POST", "/api/v1/owner/offers", map[string]any{"listing": free})
	if code != http.StatusCreated {
		t.Fatalf("offer on a free listing: %d %s", code, body)
	}
	json.Unmarshal(body, &dv)
	testhub.Eventually(t, "the seller has the free offer", func() bool { return dealState(seller, dv.Key) == deal.StateOffered })
	if code, body := seller.API(t, st, "POST", "/api/v1/owner/offers/"+dv.Key+"/reject", nil); code != http.StatusOK {
		t.Fatalf("reject: %d %s", code, body)
	}
	testhub.Eventually(t, "the buyer sees the rejection", func() bool { return dealState(buyer, dv.Key) == deal.StateRejected })
	if code, _ := buyer.API(t, bt, "POST", "/api/v1/owner/deals/"+dv.Key+"/fund", nil); code != http.StatusConflict {
		t.Errorf("funding a free, rejected deal: %d, want 409", code)
	}
}

// agentParty starts a seller hub and a test actor x (a buyer) to deal
// with the escrow agent *agent (followed across restarts): send posts a
// request signed by a test actor to the agent and returns the status,
// updates are the agent's updates x received.
func agentParty(t *testing.T, agent **testhub.MarketHub) (seller *testhub.MarketHub, x *testhub.Hub, send func(*deal.Request, *testhub.Hub) int, updates func() []*deal.Update) {
	seller = testhub.StartMarketHub(t, testhub.HubConfig(t, t.TempDir(), "ana"), nil)
	x = testhub.StartHub(t, testhub.Options{Name: "bo"})
	send = func(r *deal.Request, by *testhub.Hub) int {
		t.Helper()
		a := *agent
		code, _, err := by.Send(context.Background(), a.Node().Actor().Inbox, forged(by, "Create", a.ActorID(), r.Object()))
		if err != nil {
			t.Fatal(err)
		}
		return code
	}
	updates = func() []*deal.Update {
		var out []*deal.Update
		for _, a := range x.Received() {
			if u, err := deal.DecodeUpdate(a.Object); err == nil && a.Actor == (*agent).ActorID() {
				out = append(out, u)
			}
		}
		return out
	}
	return seller, x, send, updates
}

// TestAgentAppliesOnce drives the escrow agent as a raw buyer would: a
// request repeated with the same activity and with a new one is applied
// once, a short balance is refused, and a refused request brings both
// parties the agent's history again (making good an update lost on the
// way).
func TestAgentAppliesOnce(t *testing.T) {
	ctx := context.Background()
	agentCfg := testhub.HubConfig(t, t.TempDir(), "coop")
	agentCfg.Hub.Agent.Enabled = true
	agent := testhub.StartMarketHub(t, agentCfg, nil)
	seller, x, send, updates := agentParty(t, &agent)
	agreement := x.ActorID + "/deals/1"
	create := &deal.Request{ID: x.ActorID + "/r/create", By: x.ActorID, Action: "create", Agreement: agreement,
		Buyer: x.ActorID, Seller: seller.ActorID(), Amount: "20000", Currency: "USD"}
	if code := send(create, x); code >= 300 {
		t.Fatalf("create: %d", code)
	}
	testhub.Eventually(t, "the buyer told of the created deal", func() bool { return len(updates()) == 1 })
	n := updates()[0].Deal
	fund := &deal.Request{ID: x.ActorID + "/r/fund-1", By: x.ActorID, Action: "fund", Agreement: agreement, Deal: n}
	if code := send(fund, x); code != http.StatusBadRequest {
		t.Fatalf("fund with no balance: %d, want 400", code)
	}
	if _, err := agent.AgentPayment(ctx, true, x.ActorID, "20000 USD"); err != nil {
		t.Fatal(err)
	}
	fund.ID = x.ActorID + "/r/fund-2"
	if code := send(fund, x); code >= 300 {
		t.Fatalf("fund: %d", code)
	}
	fund.ID = x.ActorID + "/r/fund-3"
	if code := send(fund, x); code != http.StatusConflict {
		t.Fatalf("a second fund: %d, want 409", code)
	}
	if bal, _ := agent.AgentBalance(ctx, x.ActorID, "USD"); bal.Sign() != 0 {
		t.Fatalf("the buyer's balance after funding once: %v, want 0", bal)
	}
	// The refusals resent the history: updates with both events keep
	// arriving, all agreeing.
	testhub.Eventually(t, "the history resent after a refusal", func() bool {
		k := 0
		for _, u := range updates() {
			if len(u.Events) == 2 && u.Events[1].To == "funded" {
				k++
			}
		}
		return k >= 2
	})
	ad, err := agent.AgentDeal(ctx, agreement)
	if err != nil || ad.Status != "funded" {
		t.Fatalf("the agent's deal: %+v %v", ad, err)
	}
	// A second create of the agreement between other parties conflicts.
	other := *create
	other.ID, other.Seller = x.ActorID+"/r/create-2", agent.ActorID()
	if code := send(&other, x); code != http.StatusConflict {
		t.Fatalf("the agreement created again between other parties: %d, want 409", code)
	}
	// A withdrawal beyond the balance is refused.
	if _, err := agent.AgentPayment(ctx, false, x.ActorID, "1 USD"); err == nil {
		t.Fatal("a withdrawal beyond the balance passed")
	}
}

// TestAgentStepCommitsWithUpdates: the agent's step and the updates it
// queues to both parties commit together: a step whose queueing fails
// leaves nothing applied, and the same request applies once later.
func TestAgentStepCommitsWithUpdates(t *testing.T) {
	ctx := context.Background()
	agentCfg := testhub.HubConfig(t, t.TempDir(), "coop")
	agentCfg.Hub.Agent.Enabled = true
	agent := testhub.StartMarketHub(t, agentCfg, nil)
	seller, x, sendBy, updates := agentParty(t, &agent)
	send := func(r *deal.Request) int { t.Helper(); return sendBy(r, x) }
	agreement := x.ActorID + "/deals/1"
	create := &deal.Request{ID: x.ActorID + "/r/create", By: x.ActorID, Action: "create", Agreement: agreement,
		Buyer: x.ActorID, Seller: seller.ActorID(), Amount: "20000", Currency: "USD"}
	agent.SetQueueHook(func() error { return fmt.Errorf("the queue is full") })
	if code := send(create); code < 500 {
		t.Fatalf("create whose updates cannot be queued: %d, want a server error", code)
	}
	if _, err := agent.AgentDeal(ctx, agreement); err == nil {
		t.Fatal("a create whose updates were not queued was kept")
	}
	agent.SetQueueHook(nil)
	if code := send(create); code >= 300 {
		t.Fatalf("create: %d", code)
	}
	testhub.Eventually(t, "the buyer told of the created deal", func() bool { return len(updates()) == 1 })
	if _, err := agent.AgentPayment(ctx, true, x.ActorID, "20000 USD"); err != nil {
		t.Fatal(err)
	}
	fund := &deal.Request{ID: x.ActorID + "/r/fund", By: x.ActorID, Action: "fund", Agreement: agreement, Deal: updates()[0].Deal}
	agent.SetQueueHook(func() error { return fmt.Errorf("the queue is full") })
	if code := send(fund); code < 500 {
		t.Fatalf("fund whose updates cannot be queued: %d, want a server error", code)
	}
	if ad, _ := agent.AgentDeal(ctx, agreement); ad.Status != "created" {
		t.Fatalf("a fund whose updates were not queued left the deal %s", ad.Status)
	}
	if bal, _ := agent.AgentBalance(ctx, x.ActorID, "USD"); bal.Int64() != 20000 {
		t.Fatalf("a fund whose updates were not queued moved the balance to %v", bal)
	}
	// The restarted agent still has no step without its updates; the
	// same request then applies once and both parties hear of it.
	agent.Stop()
	agent = testhub.StartMarketHub(t, agentCfg, nil)
	for range 2 {
		if code := send(fund); code >= 300 {
			t.Fatalf("fund: %d", code)
		}
	}
	testhub.Eventually(t, "the buyer told of the funding", func() bool {
		for _, u := range updates() {
			if len(u.Events) == 2 && u.Events[1].To == "funded" {
				return true
			}
		}
		return false
	})
	if bal, _ := agent.AgentBalance(ctx, x.ActorID, "USD"); bal.Sign() != 0 {
		t.Fatalf("the buyer's balance after funding once: %v, want 0", bal)
	}
}

// offer is a buyer's offer on a seller's consulting listing, held by an
// escrow agent's ledger, that the seller's hub has: the three hubs, the
// parties' full owner tokens, the deal's key and its agreement's id.
type offer struct {
	seller, buyer, agent *testhub.MarketHub
	st, bt, key, id      string
}

// openOffer starts a seller, a buyer and an agent hub and makes the offer.
func openOffer(t *testing.T) offer {
	t.Helper()
	agentCfg := testhub.HubConfig(t, t.TempDir(), "coop")
	agentCfg.Hub.Agent.Enabled = true
	o := offer{seller: testhub.StartMarketHub(t, testhub.HubConfig(t, t.TempDir(), "ana"), nil),
		buyer: testhub.StartMarketHub(t, testhub.HubConfig(t, t.TempDir(), "bo"), nil),
		agent: testhub.StartMarketHub(t, agentCfg, nil)}
	o.st, o.bt = o.seller.Token(t, "full"), o.buyer.Token(t, "full")
	lv := consulting(t, o.seller, o.st, o.agent)
	code, body := o.buyer.API(t, o.bt, "POST", "/api/v1/owner/offers", map[string]any{"listing": lv.FederatedAPID, "quantity": 1, "escrow": o.agent.ActorID()})
	if code != http.StatusCreated {
		t.Fatalf("offer: %d %s", code, body)
	}
	var dv hub.DealView
	json.Unmarshal(body, &dv)
	o.key, o.id = dv.Key, dv.ID
	testhub.Eventually(t, "the seller's hub has the offer", func() bool { return dealState(o.seller, o.key) == deal.StateOffered })
	return o
}

// TestAgentRefusesCreate: when the agent refuses the seller's create (the
// agreement was taken at the agent by other parties), it says so to both
// hubs, and both copies end refused with the reason.
func TestAgentRefusesCreate(t *testing.T) {
	ctx := context.Background()
	o := openOffer(t)
	seller, buyer, agent, st, bt, key := o.seller, o.buyer, o.agent, o.st, o.bt, o.key
	x := testhub.StartHub(t, testhub.Options{Name: "mallory"})

	// A third party cannot open a deal of its own under the buyer's
	// agreement: the agreement id is on the buyer's server.
	squat := &deal.Request{ID: x.ActorID + "/r/0", By: x.ActorID, Action: "create", Agreement: o.id,
		Buyer: x.ActorID, Seller: seller.ActorID(), Amount: "1", Currency: "USD"}
	if code, body, _ := x.Send(ctx, agent.Node().Actor().Inbox, forged(x, "Create", agent.ActorID(), squat.Object())); code != http.StatusForbidden || !strings.Contains(string(body), "not on the buyer's server") {
		t.Fatalf("a create under another buyer's agreement: %d %s", code, body)
	}
	// A party that names the real buyer takes the agreement at the agent
	// first: the seller's create then conflicts and is refused.
	squat = &deal.Request{ID: x.ActorID + "/r/1", By: x.ActorID, Action: "create", Agreement: o.id,
		Buyer: buyer.ActorID(), Seller: x.ActorID, Amount: "1", Currency: "USD"}
	if code, body, _ := x.Send(ctx, agent.Node().Actor().Inbox, forged(x, "Create", agent.ActorID(), squat.Object())); code >= 300 {
		t.Fatalf("the squatting create: %d %s", code, body)
	}
	if code, body := seller.API(t, st, "POST", "/api/v1/owner/offers/"+key+"/accept", nil); code != http.StatusOK {
		t.Fatalf("accept: %d %s", code, body)
	}
	for _, h := range []*testhub.MarketHub{buyer, seller} {
		testhub.Eventually(t, h.Handle()+"'s copy refused", func() bool {
			return dealState(h, key) == deal.StateRefused
		})
		d, _ := h.Deal(key)
		last := d.History[len(d.History)-1]
		if last.Action != "refuse" || last.By != agent.ActorID() || !strings.Contains(last.Reason, "refused to create") || !strings.Contains(last.Reason, "other parties") {
			t.Errorf("%s's last entry: %+v", h.Handle(), last)
		}
	}
	if code, body := buyer.API(t, bt, "POST", "/api/v1/owner/deals/"+key+"/fund", nil); code != http.StatusConflict {
		t.Fatalf("fund a refused deal: %d %s", code, body)
	}
}
