package hub_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/deal"
	"github.com/sovereign-marketplace/market/hub"
	"github.com/sovereign-marketplace/market/internal/testhub"
)

// negotiable publishes a negotiable listing in USD held by agent on
// seller's hub and returns its URL.
func negotiable(t *testing.T, seller *testhub.MarketHub, token, title, priceType string, agent string) string {
	t.Helper()
	code, body := seller.API(t, token, "POST", "/api/v1/owner/listings", map[string]any{
		"title": title, "listing_type": "service", "status": "active",
		"price":   map[string]string{"amount": "200", "currency": "USD", "price_type": priceType, "pricing_model": "one_time"},
		"escrows": []map[string]string{{"kind": "ledger", "agent": agent}},
	})
	if code != http.StatusCreated {
		t.Fatalf("create listing: %d %s", code, body)
	}
	var lv hub.ListingView
	json.Unmarshal(body, &lv)
	return lv.FederatedAPID
}

// TestCounterOffers: on a negotiable listing the seller answers the
// buyer's offer with a counter-offer, the buyer counters again, the
// seller counters once more and the buyer accepts: both copies record
// every round, agree on the last amount and the deal is created at the
// escrow agent with it. Counters out of turn, on a fixed-price listing,
// after acceptance, from a third party and with a bad amount are refused
// and change nothing; a repeated counter-offer is applied once.
func TestCounterOffers(t *testing.T) {
	ctx := context.Background()
	seller := testhub.StartMarketHub(t, testhub.HubConfig(t, t.TempDir(), "ana"), nil)
	buyer := testhub.StartMarketHub(t, testhub.HubConfig(t, t.TempDir(), "bo"), nil)
	agentCfg := testhub.HubConfig(t, t.TempDir(), "coop")
	agentCfg.Hub.Agent.Enabled = true
	agent := testhub.StartMarketHub(t, agentCfg, nil)
	st, bt := seller.Token(t, "full"), buyer.Token(t, "full")
	lst := negotiable(t, seller, st, "Logo design, price to agree", "negotiable", agent.ActorID())

	code, body := buyer.API(t, bt, "POST", "/api/v1/owner/offers", map[string]any{"listing": lst, "amount": "15000", "escrow": agent.ActorID()})
	if code != http.StatusCreated {
		t.Fatalf("offer: %d %s", code, body)
	}
	var dv hub.DealView
	json.Unmarshal(body, &dv)
	key := dv.Key
	testhub.Eventually(t, "the seller has the offer", func() bool { return dealState(seller, key) == deal.StateOffered })

	counter := func(h *testhub.MarketHub, token, amount string, want int) {
		t.Helper()
		if code, body := h.API(t, token, "POST", "/api/v1/owner/deals/"+key+"/counter", map[string]any{"amount": amount}); code != want {
			t.Fatalf("counter %s: %d %s, want %d", amount, code, body, want)
		}
	}
	counter(buyer, bt, "160", http.StatusForbidden) // not the buyer's turn
	counter(seller, st, "a lot", http.StatusBadRequest)
	counter(seller, st, "150", http.StatusBadRequest) // the same amount
	counter(seller, st, "-5", http.StatusBadRequest)
	if code, _ := seller.API(t, "", "POST", "/api/v1/owner/deals/"+key+"/counter", map[string]any{"amount": "250"}); code != http.StatusUnauthorized {
		t.Errorf("a counter without a token: %d, want 401", code)
	}
	if d, _ := seller.Deal(key); d.State != deal.StateOffered || d.Amount != "15000" || d.Rounds != 0 {
		t.Fatalf("refused counters changed the deal: %+v", d)
	}

	// Three rounds: the seller asks 250, the buyer 200, the seller 230.
	counter(seller, st, "250", http.StatusOK)
	testhub.Eventually(t, "the buyer sees the counter-offer", func() bool {
		d, _ := buyer.Deal(key)
		return d != nil && d.State == deal.StateCountered && d.Amount == "25000"
	})
	counter(seller, st, "240", http.StatusForbidden) // now the buyer's turn
	if code, _ := seller.API(t, st, "POST", "/api/v1/owner/offers/"+key+"/accept", nil); code != http.StatusForbidden {
		t.Errorf("the seller accepting its own counter-offer: %d, want 403", code)
	}
	counter(buyer, bt, "200", http.StatusOK)
	testhub.Eventually(t, "the seller sees the buyer's counter", func() bool {
		d, _ := seller.Deal(key)
		return d != nil && d.State == deal.StateOffered && d.Amount == "20000"
	})
	counter(seller, st, "230.00", http.StatusOK)
	testhub.Eventually(t, "the buyer sees the last counter", func() bool {
		d, _ := buyer.Deal(key)
		return d != nil && d.State == deal.StateCountered && d.Amount == "23000"
	})

	// A third party's counter-offer to the buyer, in reply to the
	// seller's open one, is refused and changes nothing.
	x := testhub.StartHub(t, testhub.Options{Name: "mallory"})
	bd, _ := buyer.Deal(key)
	forgedCounter := func(from *testhub.Hub, replyTo, amount string) []byte {
		d := *bd
		d.Amount = amount
		act := forged(from, "Offer", buyer.ActorID(), deal.Agreement(&d, "one"))
		var m map[string]any
		json.Unmarshal(act, &m)
		m["inReplyTo"] = replyTo
		b, _ := json.Marshal(m)
		return b
	}
	if code, _, err := x.Send(ctx, buyer.Node().Actor().Inbox, forgedCounter(x, bd.Offer, "100")); err != nil || code != http.StatusForbidden {
		t.Errorf("a third party's counter-offer: %d %v, want 403", code, err)
	}
	if code, _, err := x.Send(ctx, buyer.Node().Actor().Inbox, forgedCounter(x, x.ActorID+"/activities/none", "100")); err != nil || code != http.StatusNotFound {
		t.Errorf("a counter-offer in reply to nothing known: %d %v, want 404", code, err)
	}
	if d, _ := buyer.Deal(key); d.Amount != "23000" || d.State != deal.StateCountered || d.Rounds != 3 {
		t.Fatalf("the buyer's copy after refused counters: %+v", d)
	}

	// The buyer accepts the seller's 230: both accepted, created at the
	// agent for 23000.
	if code, body := buyer.API(t, bt, "POST", "/api/v1/owner/offers/"+key+"/accept", nil); code != http.StatusOK {
		t.Fatalf("the buyer accepts the counter-offer: %d %s", code, body)
	}
	testhub.Eventually(t, "both copies created at the agent", func() bool {
		return dealState(buyer, key) == "created" && dealState(seller, key) == "created"
	})
	ad, err := agent.AgentDeal(ctx, bd.ID)
	if err != nil || ad.Amount.String() != "23000" {
		t.Fatalf("the agent's deal: %+v %v", ad, err)
	}
	for _, h := range []*testhub.MarketHub{buyer, seller} {
		d, _ := h.Deal(key)
		var amounts []string
		for _, e := range d.History {
			if e.Action == "counter" {
				amounts = append(amounts, e.Amount)
			}
		}
		if len(amounts) != 3 || amounts[0] != "25000" || amounts[1] != "20000" || amounts[2] != "23000" {
			t.Errorf("%s's history of counter-offers: %v", d.Role, amounts)
		}
	}
	// After acceptance no one counters.
	counter(buyer, bt, "210", http.StatusConflict)
	counter(seller, st, "210", http.StatusConflict)

	// A fixed-price listing takes no counter-offers, by API or on the wire.
	fixed := negotiable(t, seller, st, "Consulting, per hour", "hourly", agent.ActorID())
	code, body = buyer.API(t, bt, "POST", "/api/v1/owner/offers", map[string]any{"listing": fixed, "quantity": 1, "escrow": agent.ActorID()})
	if code != http.StatusCreated {
		t.Fatalf("offer: %d %s", code, body)
	}
	json.Unmarshal(body, &dv)
	testhub.Eventually(t, "the seller has the hourly offer", func() bool { return dealState(seller, dv.Key) == deal.StateOffered })
	if code, body := seller.API(t, st, "POST", "/api/v1/owner/deals/"+dv.Key+"/counter", map[string]any{"amount": "150"}); code != http.StatusBadRequest {
		t.Errorf("a counter-offer on an hourly listing: %d %s, want 400", code, body)
	}
	if d, _ := seller.Deal(dv.Key); d.State != deal.StateOffered || d.Amount != "20000" {
		t.Errorf("the refused counter changed the hourly deal: %+v", d)
	}
}

// TestCounterOnTheWire: a buyer's hub (a test actor) offers on a
// negotiable listing, the seller counters, and the buyer's counter in
// reply arrives twice: applied once. A counter in reply to a superseded
// offer, one that changes more than the amount, one on a fixed-price
// listing and one from the party whose turn it is not are refused and
// change nothing.
func TestCounterOnTheWire(t *testing.T) {
	ctx := context.Background()
	seller := testhub.StartMarketHub(t, testhub.HubConfig(t, t.TempDir(), "ana"), nil)
	st := seller.Token(t, "full")
	const agentURL = "https://coop.example/users/escrow"
	logo := negotiable(t, seller, st, "Logo design", "negotiable", agentURL)
	hourly := negotiable(t, seller, st, "Consulting", "hourly", agentURL)
	x := testhub.StartHub(t, testhub.Options{Name: "bo"})
	inbox := seller.Node().Actor().Inbox
	expires := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	agreement := func(id, lst, amount string, quantity int64) json.RawMessage {
		d := deal.New(id, "", deal.RoleBuyer, deal.Terms{Listing: lst, Buyer: x.ActorID, Seller: seller.ActorID(), Quantity: quantity, Amount: amount,
			Currency: "USD", Escrow: agentURL, Expires: expires}, x.ActorID, time.Now())
		return deal.Agreement(d, "one")
	}
	reply := func(replyTo string, object json.RawMessage) []byte {
		var m map[string]any
		json.Unmarshal(forged(x, "Offer", seller.ActorID(), object), &m)
		if replyTo != "" {
			m["inReplyTo"] = replyTo
		}
		b, _ := json.Marshal(m)
		return b
	}
	send := func(what string, act []byte, want int) {
		t.Helper()
		code, body, err := x.Send(ctx, inbox, act)
		if err != nil || (want == 0 && code >= 300) || (want != 0 && code != want) {
			t.Fatalf("%s: %d %s %v, want %d", what, code, body, err, want)
		}
	}
	id := x.ActorID + "/deals/logo"
	offer := reply("", agreement(id, logo, "9000", 1))
	send("the offer", offer, 0)
	var firstOffer string
	{
		var m struct{ ID string }
		json.Unmarshal(offer, &m)
		firstOffer = m.ID
	}
	key := hub.DealKey(id)
	send("the buyer countering its own open offer", reply(firstOffer, agreement(id, logo, "9500", 1)), http.StatusForbidden)
	if code, body := seller.API(t, st, "POST", "/api/v1/owner/deals/"+key+"/counter", map[string]any{"amount": "120"}); code != http.StatusOK {
		t.Fatalf("the seller's counter: %d %s", code, body)
	}
	got, err := x.WaitFor(ctx, "Offer")
	if err != nil {
		t.Fatal(err)
	}
	var wire struct {
		InReplyTo string   `json:"inReplyTo"`
		To        []string `json:"to"`
		CC        []string `json:"cc"`
	}
	json.Unmarshal(got.Raw, &wire)
	if wire.InReplyTo != firstOffer || len(wire.To) != 1 || wire.To[0] != x.ActorID || len(wire.CC) != 0 {
		t.Fatalf("the seller's counter-offer: %s", got.Raw)
	}
	if o, err := deal.DecodeAgreement(got.Object); err != nil || o.ID != id || o.Amount != "12000" {
		t.Fatalf("the counter-offer's Agreement: %+v %v", o, err)
	}
	send("a counter in reply to the superseded offer", reply(firstOffer, agreement(id, logo, "11000", 1)), http.StatusConflict)
	send("a counter that changes the listing", reply(got.ID, agreement(id, hourly, "11000", 1)), http.StatusBadRequest)
	send("a counter that changes the quantity", reply(got.ID, agreement(id, logo, "11000", 2)), http.StatusBadRequest)
	if d, _ := seller.Deal(key); d.State != deal.StateCountered || d.Amount != "12000" || d.Rounds != 1 {
		t.Fatalf("refused counters changed the seller's copy: %+v", d)
	}
	counter := reply(got.ID, agreement(id, logo, "11000", 1))
	send("the buyer's counter", counter, 0)
	send("the buyer's counter again", counter, 0)
	if d, _ := seller.Deal(key); d.State != deal.StateOffered || d.Amount != "11000" || d.Rounds != 2 || len(d.History) != 3 {
		t.Fatalf("the seller's copy after the buyer's counter, twice: %+v", d)
	}

	// An hourly listing's offer takes no counter-offer from the buyer.
	hid := x.ActorID + "/deals/hourly"
	hoffer := reply("", agreement(hid, hourly, "20000", 1))
	send("the hourly offer", hoffer, 0)
	var m struct{ ID string }
	json.Unmarshal(hoffer, &m)
	send("a counter on an hourly listing", reply(m.ID, agreement(hid, hourly, "15000", 1)), http.StatusBadRequest)
	if d, _ := seller.Deal(hub.DealKey(hid)); d.State != deal.StateOffered || d.Amount != "20000" {
		t.Fatalf("the hourly deal after a refused counter: %+v", d)
	}
}
