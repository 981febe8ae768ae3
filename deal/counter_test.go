package deal

import (
	"errors"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/listing"
)

// TestCounter: turns alternate, only on a negotiable listing, before the
// offer expires, at most MaxRounds times, with a new positive amount; a
// refused counter leaves the deal as it was; the answerer of a counter is
// the buyer.
func TestCounter(t *testing.T) {
	open := func(pt listing.PriceType) *Deal {
		terms, err := Price(consulting(pt, "100"), buyer, 1, "9000", agent)
		if err != nil {
			t.Fatal(err)
		}
		terms.Expires = t0.Add(time.Hour)
		return New("https://buyer.example/deals/1", "https://buyer.example/activities/1", RoleSeller, terms, buyer, t0)
	}
	d := open(listing.PriceNegotiable)
	if !d.MayCounter(RoleSeller) || d.MayCounter(RoleBuyer) || !d.MayAnswer(RoleSeller) || d.MayAnswer(RoleBuyer) {
		t.Fatal("an offer: the seller answers, not the buyer")
	}
	for name, tc := range map[string]struct {
		by, amount string
		at         time.Time
		want       error
	}{
		"the buyer out of turn": {buyer, "9500", t0, ErrForbidden},
		"a third party":         {"https://evil.example/users/x", "9500", t0, ErrForbidden},
		"the same amount":       {seller, "9000", t0, ErrInvalid},
		"zero":                  {seller, "0", t0, ErrInvalid},
		"not a number":          {seller, "9e3", t0, ErrInvalid},
		"after expiry":          {seller, "9500", t0.Add(2 * time.Hour), ErrInvalidState},
	} {
		before := *d
		if err := d.Counter(tc.by, tc.amount, "https://seller.example/activities/c", tc.at); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
		if d.State != before.State || d.Amount != before.Amount || len(d.History) != len(before.History) || d.Rounds != 0 {
			t.Errorf("%s: a refused counter changed the deal", name)
		}
	}
	by := []string{seller, buyer}
	for i := range MaxRounds {
		if err := d.Counter(by[i%2], string(rune('1'+i))+"000", "https://x.example/activities/"+string(rune('a'+i)), t0); err != nil {
			t.Fatalf("round %d: %v", i+1, err)
		}
	}
	if d.Rounds != MaxRounds || d.State != StateOffered || d.Amount != "6000" || d.Offer != "https://x.example/activities/f" {
		t.Fatalf("after %d rounds: %s %s %s", MaxRounds, d.State, d.Amount, d.Offer)
	}
	if err := d.Counter(seller, "7000", "https://seller.example/activities/z", t0); !errors.Is(err, ErrInvalidState) || d.MayCounter(RoleSeller) {
		t.Errorf("a counter past the last round: %v", err)
	}
	if err := d.Answer("accept", seller, "https://seller.example/activities/acc", t0); err != nil || d.State != StateAccepted {
		t.Fatalf("accept after the rounds: %v", err)
	}
	if err := d.Counter(buyer, "5000", "https://buyer.example/activities/late", t0); !errors.Is(err, ErrInvalidState) {
		t.Errorf("a counter on an accepted deal: %v", err)
	}

	d = open(listing.PriceNegotiable)
	_ = d.Counter(seller, "9900", "https://seller.example/activities/c1", t0)
	if d.Answerer() != buyer || !d.MayAnswer(RoleBuyer) || d.MayAnswer(RoleSeller) {
		t.Error("a counter-offer: the buyer answers it")
	}
	if err := d.Answer("accept", seller, "s", t0); !errors.Is(err, ErrForbidden) {
		t.Errorf("the seller accepting its own counter: %v", err)
	}
	if err := d.Answer("expire", "", "", t0.Add(time.Hour)); err != nil || d.State != StateExpired {
		t.Errorf("a countered offer expires: %v %s", err, d.State)
	}

	d = open(listing.PriceHourly)
	if d.MayCounter(RoleSeller) {
		t.Error("an hourly offer may be countered")
	}
	if err := d.Counter(seller, "9500", "https://seller.example/activities/c", t0); !errors.Is(err, ErrInvalid) {
		t.Errorf("a counter on an hourly listing: %v", err)
	}
}
