package deal

import (
	"fmt"
	"time"
)

// MaxRounds bounds the counter-offers of one deal, both sides together:
// after that the open offer can only be accepted or rejected.
const MaxRounds = 6

// Open reports whether s is an offer still waiting for an answer.
func (s State) Open() bool { return s == StateOffered || s == StateCountered }

// Answerer is the actor whose turn it is to answer the open offer: the
// seller of the buyer's offer, the buyer of the seller's counter-offer;
// "" when no offer is open.
func (d *Deal) Answerer() string {
	switch d.State {
	case StateOffered:
		return d.Seller
	case StateCountered:
		return d.Buyer
	}
	return ""
}

// MayAnswer reports whether the side role may answer the open offer now
// (accept or reject it).
func (d *Deal) MayAnswer(role Role) bool {
	return d.State.Open() && d.Answerer() == d.actorOf(role)
}

// MayCounter reports whether the side role may answer the open offer with
// a counter-offer now: the listing is negotiable, it is that side's turn
// and rounds are left.
func (d *Deal) MayCounter(role Role) bool {
	return d.Negotiable && d.MayAnswer(role) && d.Rounds < MaxRounds
}

func (d *Deal) actorOf(role Role) string {
	if role == RoleBuyer {
		return d.Buyer
	}
	return d.Seller
}

// Counter applies a counter-offer by actor by: a new total amount (minor
// units) for the open offer, sent as the Offer activity source. Only the
// party whose turn it is may counter, on a negotiable listing, before the
// offer expires, at most MaxRounds times; the amount must differ from the
// open one. The deal's open offer becomes source and the turn passes to
// the other party.
func (d *Deal) Counter(by, amount, source string, at time.Time) error {
	switch {
	case !d.State.Open():
		return fmt.Errorf("%w: counter-offer on a deal that is %s", ErrInvalidState, d.State)
	case !d.Negotiable:
		return fmt.Errorf("%w: counter-offer: the listing's price is not negotiable", ErrInvalid)
	case by != d.Answerer():
		return fmt.Errorf("%w: only %s may answer the open offer, not %s", ErrForbidden, d.Answerer(), by)
	case !at.Before(d.Expires):
		return fmt.Errorf("%w: the offer expired at %s", ErrInvalidState, d.Expires.Format(time.RFC3339))
	case d.Rounds >= MaxRounds:
		return fmt.Errorf("%w: counter-offer: the %d rounds are used up; accept or reject the open offer", ErrInvalidState, MaxRounds)
	case !validAmount(amount, false):
		return fmt.Errorf("%w: amount: must be the new total in minor units of %s, a whole number from 1 with at most 20 digits, got %q", ErrInvalid, d.Currency, short(amount))
	case amount == d.Amount:
		return fmt.Errorf("%w: amount: a counter-offer proposes another total than the open %s", ErrInvalid, d.Amount)
	}
	to := StateCountered
	if d.State == StateCountered {
		to = StateOffered
	}
	d.record(Entry{At: at.UTC(), Action: "counter", From: d.State, To: to, By: by, Source: source, Amount: amount})
	d.Amount, d.Offer = amount, source
	d.Rounds++
	return nil
}

// SameTerms reports whether o, the Agreement of a counter-offer or of an
// acceptance, is d's agreement: the same id, listing, quantity, currency,
// escrow and end; only the amount may differ.
func (d *Deal) SameTerms(o *Offered) bool {
	return o.ID == d.ID && o.Buyer == d.Buyer && o.Listing == d.Listing && o.Quantity == d.Quantity &&
		o.Currency == d.Currency && o.Escrow == d.Escrow && o.Expires.Equal(d.Expires)
}
