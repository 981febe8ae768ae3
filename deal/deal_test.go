package deal

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/listing"
)

const (
	seller = "https://seller.example/users/ana"
	buyer  = "https://buyer.example/users/bo"
	agent  = "https://coop.example/users/escrow"
)

var t0 = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

func consulting(pt listing.PriceType, amount string) *listing.Listing {
	return &listing.Listing{ID: "l1", FederatedAPID: "https://seller.example/listings/l1", Owner: seller, Status: listing.StatusActive,
		Price:   listing.Price{Amount: amount, Currency: "USD", Type: pt, Model: listing.PricingOneTime},
		Escrows: []listing.Escrow{{Kind: listing.EscrowLedger, Agent: agent}}}
}

func TestPrice(t *testing.T) {
	for _, tc := range []struct {
		name     string
		l        *listing.Listing
		qty      int64
		amount   string
		escrow   string
		want     string
		wantFail bool
	}{
		{"hourly, 1 hour", consulting(listing.PriceHourly, "200"), 1, "", agent, "20000", false},
		{"fixed, 3 units", consulting(listing.PriceFixed, "12.50"), 3, "", agent, "3750", false},
		{"negotiable", consulting(listing.PriceNegotiable, "100"), 0, "9000", agent, "9000", false},
		{"free", consulting(listing.PriceFree, "0"), 0, "", "", "0", false},
		{"free with escrow", consulting(listing.PriceFree, "0"), 0, "", agent, "", true},
		{"zero hours", consulting(listing.PriceHourly, "200"), 0, "", agent, "", true},
		{"too many units", consulting(listing.PriceFixed, "1"), MaxQuantity + 1, "", agent, "", true},
		{"negative proposal", consulting(listing.PriceNegotiable, "100"), 0, "-5", agent, "", true},
		{"proposal not a number", consulting(listing.PriceNegotiable, "100"), 0, "1e9", agent, "", true},
		{"escrow the seller does not accept", consulting(listing.PriceHourly, "200"), 1, "", "https://evil.example/agent", "", true},
		{"no escrow", consulting(listing.PriceHourly, "200"), 1, "", "", "", true},
	} {
		got, err := Price(tc.l, buyer, tc.qty, tc.amount, tc.escrow)
		if tc.wantFail {
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("%s: err %v, want ErrInvalid", tc.name, err)
			}
			continue
		}
		if err != nil || got.Amount != tc.want {
			t.Errorf("%s: amount %q (%v), want %q", tc.name, got.Amount, err, tc.want)
		}
	}
	// Time credits: units at the listing's credits each, in hundredths
	// of an hour, whatever currency the listing wrote.
	credits := consulting(listing.PriceTimeCredit, "1.5")
	credits.Price.Currency = ""
	if got, err := Price(credits, buyer, 2, "", agent); err != nil || got.Amount != "300" || got.Currency != listing.CurrencyTimeCredit {
		t.Errorf("time credits, 2 units of 1.5: %+v %v, want 300 %s", got, err, listing.CurrencyTimeCredit)
	}
	if _, err := Price(credits, buyer, 0, "", agent); !errors.Is(err, ErrInvalid) {
		t.Errorf("time credits, 0 units: %v, want ErrInvalid", err)
	}
	paused := consulting(listing.PriceHourly, "200")
	paused.Status = listing.StatusPaused
	if _, err := Price(paused, buyer, 1, "", agent); err == nil {
		t.Error("an offer on a paused listing was priced")
	}
}

func offered(t *testing.T) *Deal {
	terms, err := Price(consulting(listing.PriceHourly, "200"), buyer, 1, "", agent)
	if err != nil {
		t.Fatal(err)
	}
	terms.Expires = t0.Add(time.Hour)
	return New("https://buyer.example/deals/d1", "https://buyer.example/activities/o1", RoleSeller, terms, buyer, t0)
}

func TestAnswer(t *testing.T) {
	d := offered(t)
	if err := d.Answer("accept", buyer, "", t0); !errors.Is(err, ErrForbidden) {
		t.Fatalf("the buyer accepting: %v", err)
	}
	if err := d.Answer("expire", seller, "", t0); !errors.Is(err, ErrInvalidState) {
		t.Fatalf("expiring early: %v", err)
	}
	if err := d.Answer("accept", seller, "", t0.Add(2*time.Hour)); !errors.Is(err, ErrInvalidState) {
		t.Fatalf("accepting after expiry: %v", err)
	}
	if err := d.Answer("accept", seller, "a1", t0.Add(time.Minute)); err != nil || d.State != StateAccepted {
		t.Fatalf("accept: %v %s", err, d.State)
	}
	if err := d.Answer("reject", seller, "a2", t0.Add(time.Minute)); !errors.Is(err, ErrInvalidState) {
		t.Fatalf("rejecting an accepted offer: %v", err)
	}
	e := offered(t)
	if err := e.Answer("expire", "", "", t0.Add(time.Hour)); err != nil || e.State != StateExpired || !e.State.Final() {
		t.Fatalf("expire: %v %s", err, e.State)
	}
}

func update(evs ...Event) *Update {
	return &Update{ID: agent + "/u", Agent: agent, Agreement: "https://buyer.example/deals/d1", Deal: 7, Buyer: buyer, Seller: seller, Amount: "20000", Currency: "USD", Events: evs}
}

func TestMirror(t *testing.T) {
	create := Event{1, "create", "", "created", seller, t0}
	fund := Event{2, "fund", "created", "funded", buyer, t0}
	deliver := Event{3, "deliver", "funded", "delivered", seller, t0}
	d := offered(t)
	if _, err := d.Mirror(update(create)); !errors.Is(err, ErrInvalidState) {
		t.Fatalf("escrow before accept: %v", err)
	}
	d.Answer("accept", seller, "", t0)
	bad := update(create)
	bad.Amount = "1"
	if _, err := d.Mirror(bad); !errors.Is(err, ErrInvalid) {
		t.Fatalf("another amount: %v", err)
	}
	other := update(create)
	other.Agent = "https://evil.example/agent"
	if _, err := d.Mirror(other); !errors.Is(err, ErrForbidden) {
		t.Fatalf("another agent: %v", err)
	}
	gap := update(create, fund, deliver)
	gap.Events = []Event{create, deliver}
	if _, err := d.Mirror(gap); !errors.Is(err, ErrInvalidState) || d.State != StateAccepted {
		t.Fatalf("a gap: %v, state %s", err, d.State)
	}
	for range 2 {
		if _, err := d.Mirror(update(create, fund)); err != nil || d.State != "funded" {
			t.Fatalf("mirror: %v %s", err, d.State)
		}
	}
	if changed, err := d.Mirror(update(create)); changed || err != nil || d.State != "funded" {
		t.Fatalf("an old update: %v %v %s", changed, err, d.State)
	}
	if _, err := d.Mirror(update(create, fund, deliver)); err != nil || d.State != "delivered" || d.LastSeq() != 3 || d.EscrowDeal != 7 {
		t.Fatalf("mirror: %v %+v", err, d)
	}
}

func TestAgreementRoundTrip(t *testing.T) {
	d := offered(t)
	raw := Agreement(d, "hour")
	got, err := DecodeAgreement(raw)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != d.ID || got.Buyer != buyer || got.Listing != d.Listing || got.Quantity != 1 || got.Amount != "20000" || got.Currency != "USD" || got.Escrow != agent || !got.Expires.Equal(d.Expires) {
		t.Fatalf("decoded %+v", got)
	}
	for name, change := range map[string][2]string{
		"other listing's reciprocal": {`l1#reciprocal`, `l2#reciprocal`},
		"zero quantity":              {`"hasUnit":"hour","hasNumericalValue":"1"`, `"hasUnit":"hour","hasNumericalValue":"0"`},
		"fractional amount":          {`"20000"`, `"200.00"`},
		"long amount":                {`"20000"`, `"` + strings.Repeat("9", 21) + `"`},
		"file agent":                 {agent, "file:///etc/passwd"},
		"bad end":                    {`"endTime":"`, `"endTime":"x`},
		"not an agreement":           {`"type":"Agreement"`, `"type":"Note"`},
	} {
		bad := strings.Replace(string(raw), change[0], change[1], 1)
		if bad == string(raw) {
			t.Fatalf("%s: the change did not apply", name)
		}
		if _, err := DecodeAgreement(json.RawMessage(bad)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: decoded (%v)", name, err)
		}
	}
}

func TestUpdateRoundTrip(t *testing.T) {
	u := update(Event{1, "create", "", "created", seller, t0}, Event{2, "fund", "created", "funded", buyer, t0})
	got, err := DecodeUpdate(u.Object())
	if err != nil || len(got.Events) != 2 || got.Events[1].To != "funded" {
		t.Fatalf("%+v %v", got, err)
	}
	u.Events[1].Seq = 3
	if _, err := DecodeUpdate(u.Object()); err == nil {
		t.Error("an update with a gap in its numbering decoded")
	}
	u.Events[1] = Event{2, "steal", "created", "funded", buyer, t0}
	if _, err := DecodeUpdate(u.Object()); err == nil {
		t.Error("an unknown action decoded")
	}
	r := &Request{ID: buyer + "/r1", By: buyer, Action: "fund", Agreement: u.Agreement, Deal: 7}
	if got, err := DecodeRequest(r.Object()); err != nil || got.Action != "fund" {
		t.Fatalf("%+v %v", got, err)
	}
	r.Action = "rule"
	if _, err := DecodeRequest(r.Object()); err == nil {
		t.Error("a party's request to rule decoded")
	}
}

// TestRefuse: the agent's refusal of the create ends an accepted deal as
// refused, once, with the reason; a refusal of a later step is noted and
// leaves the state; only the deal's agent refuses.
func TestRefuse(t *testing.T) {
	d := offered(t)
	d.Answer("accept", seller, "", t0)
	agent := update().Agent
	if _, err := d.Refuse("https://evil.example/agent", "create", "https://s.example/r/1", "no", t0); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a refusal from another agent: %v", err)
	}
	for i := range 2 {
		changed, err := d.Refuse(agent, "create", "https://s.example/r/1", "unknown currency", t0)
		if err != nil || changed != (i == 0) || d.State != StateRefused || !d.State.Final() {
			t.Fatalf("refuse %d: %v %v %s", i, changed, err, d.State)
		}
	}
	last := d.History[len(d.History)-1]
	if last.Action != "refuse" || last.From != StateAccepted || last.To != StateRefused || !strings.Contains(last.Reason, "create: unknown currency") {
		t.Fatalf("the refusal's entry: %+v", last)
	}
	if _, err := d.Mirror(update(Event{1, "create", "", "created", seller, t0})); err == nil {
		t.Fatal("a refused deal was created later")
	}

	d = offered(t)
	d.Answer("accept", seller, "", t0)
	d.Mirror(update(Event{1, "create", "", "created", seller, t0}))
	if changed, err := d.Refuse(agent, "fund", "https://b.example/r/2", "the buyer's balance is short", t0); !changed || err != nil || d.State != "created" {
		t.Fatalf("a refused fund: %v %v %s", changed, err, d.State)
	}
	if _, err := d.Mirror(update(Event{1, "create", "", "created", seller, t0}, Event{2, "fund", "created", "funded", buyer, t0})); err != nil || d.State != "funded" {
		t.Fatalf("a fund after a refused one: %v %s", err, d.State)
	}
}

func TestRefusalRoundTrip(t *testing.T) {
	r := &Request{ID: "https://s.example/r/1", By: seller, Action: "create", Agreement: "https://b.example/deals/1",
		Buyer: buyer, Seller: seller, Amount: "5", Currency: "USD"}
	act, _ := json.Marshal(map[string]any{"type": "Reject", "object": r.Object(), "result": RefusalResult(strings.Repeat("é", MaxReason))})
	got, reason, err := DecodeRefusal(r.Object(), act)
	if err != nil || got.ID != r.ID || got.Action != "create" || len(reason) > MaxReason+len("…") || !strings.HasPrefix(reason, "é") {
		t.Fatalf("decode: %+v %q %v", got, reason, err)
	}
	if _, _, err := DecodeRefusal(json.RawMessage(`{"type":"Note"}`), act); !errors.Is(err, ErrInvalid) {
		t.Fatalf("a refusal of something else: %v", err)
	}
}
