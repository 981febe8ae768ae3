package deal

import (
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/sovereign-marketplace/market/escrow"
	"github.com/sovereign-marketplace/market/listing"
)

// Sentinel errors callers branch on; the messages name the field or rule.
var (
	ErrInvalid      = errors.New("deal: invalid")
	ErrForbidden    = errors.New("deal: not allowed for this party")
	ErrInvalidState = errors.New("deal: not allowed in this state")
	ErrNotFound     = errors.New("deal: not found")
)

// Role is a hub's side of a deal.
type Role string

// Roles.
const (
	RoleBuyer  Role = "buyer"
	RoleSeller Role = "seller"
)

// State is where a deal is: the offer phase (offered, then accepted,
// rejected or expired) and, once accepted, the escrow's status as the
// agent reported it (created, funded, delivered, confirmed, completed...).
type State string

// The offer phase's states; the rest are escrow.Status values.
const (
	StateOffered State = "offered"
	// StateCountered is an offer the seller answered with a counter-offer
	// (a new amount): the buyer's turn to accept, reject or counter.
	StateCountered State = "countered"
	StateAccepted  State = "accepted"
	StateRejected  State = "rejected"
	StateExpired   State = "expired"
	// StateRefused is an accepted deal the escrow agent refused to
	// create (the history's last entry says why).
	StateRefused State = "refused"
)

// Final reports whether nothing can happen to a deal in s any more.
func (s State) Final() bool {
	return s == StateRejected || s == StateExpired || s == StateRefused || escrow.Status(s).Final()
}

// Limits on what an offer may say.
const (
	MaxQuantity = 10000               // units or hours in one offer
	MaxLifetime = 30 * 24 * time.Hour // how long an offer may stay open
	// DefaultLifetime is how long an offer stays open when the buyer
	// does not say.
	DefaultLifetime = 7 * 24 * time.Hour
	maxEntries      = 128 // history entries one deal keeps
)

// Terms are what buyer and seller agree on: the listing, how much of it,
// the total price and the escrow that holds it.
type Terms struct {
	Listing  string `json:"listing"`  // the listing's object id
	Buyer    string `json:"buyer"`    // actor URLs
	Seller   string `json:"seller"`   //
	Quantity int64  `json:"quantity"` // units (fixed), hours (hourly), 1 otherwise
	// Amount is the total in minor units of Currency ("0" when free).
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
	// Escrow names the escrow picked from the listing's (listing.Escrow's
	// Ref): the escrow agent's actor URL, or an EVM escrow's reference;
	// "" for a free deal.
	Escrow string `json:"escrow,omitempty"`
	// EVM is the on-chain side of a deal held by an EVM escrow.
	EVM     *EVMTerms `json:"evm,omitempty"`
	Expires time.Time `json:"expires"`
	// Negotiable is set when the listing's price is negotiable: only then
	// may the parties answer with counter-offers. Each hub derives it
	// from the listing; it is not on the wire.
	Negotiable bool `json:"negotiable,omitempty"`
}

// Entry is one step of a deal's history.
type Entry struct {
	At     time.Time `json:"at"`
	Action string    `json:"action"` // offer, accept, reject, expire, or an escrow action
	From   State     `json:"from"`
	To     State     `json:"to"`
	By     string    `json:"by"`               // the actor that took it
	Seq    int       `json:"seq,omitempty"`    // position in the agent's history (escrow events)
	Source string    `json:"source,omitempty"` // the activity that said so
	// Reason is why the escrow agent refused a request (action refuse).
	Reason string `json:"reason,omitempty"`
	// Amount is the new total a counter-offer proposes (action counter).
	Amount string `json:"amount,omitempty"`
}

// Deal is one hub's copy of a deal.
type Deal struct {
	// ID is the Agreement's id, minted by the buyer's hub; both hubs and
	// the agent name the deal by it.
	ID    string `json:"id"`
	Offer string `json:"offer"` // the Offer activity's id
	Role  Role   `json:"role"`
	Terms
	State State `json:"state"`
	// EscrowDeal is the deal's number at the agent, once created.
	EscrowDeal uint64 `json:"escrow_deal,omitempty"`
	// Rounds counts the counter-offers made so far (at most MaxRounds).
	Rounds  int       `json:"rounds,omitempty"`
	History []Entry   `json:"history"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`

	// Delivery is how the goods reach the buyer (see delivery.go).
	Delivery *Delivery `json:"delivery,omitempty"`
}

// Counterparty is the other side's actor.
func (d *Deal) Counterparty() string {
	if d.Role == RoleBuyer {
		return d.Seller
	}
	return d.Buyer
}

// Free reports whether no money changes hands.
func (d *Deal) Free() bool { return d.Amount == "0" }

// Price works out the terms of an offer on l: quantity for a fixed price
// (units), an hourly one (hours) or one in time credits (units, each
// costing the listing's amount of credits, in hundredths of an hour),
// amount (minor units) for a negotiable one, nothing for a free one. The
// escrow must be one the listing accepts, and none for a free listing.
// Expires is left to the caller.
func Price(l *listing.Listing, buyer string, quantity int64, amount string, escrowAgent string) (Terms, error) {
	t := Terms{Listing: l.FederatedAPID, Buyer: buyer, Seller: l.Owner, Quantity: 1, Currency: l.Price.Currency}
	if t.Listing == "" {
		return Terms{}, fmt.Errorf("%w: listing %s is not published", ErrInvalid, l.ID)
	}
	if l.Status != listing.StatusActive {
		return Terms{}, fmt.Errorf("%w: listing is %s, not active", ErrInvalid, l.Status)
	}
	if l.Price.Type == listing.PriceTimeCredit {
		// A community's time credits: hundredths of an hour at the
		// agent's ledger, whatever the listing wrote.
		t.Currency = listing.CurrencyTimeCredit
	}
	switch l.Price.Type {
	case listing.PriceFixed, listing.PriceHourly, listing.PriceTimeCredit:
		if quantity < 1 || quantity > MaxQuantity {
			return Terms{}, fmt.Errorf("%w: quantity must be a whole number from 1 to %d (units or hours), got %d", ErrInvalid, MaxQuantity, quantity)
		}
		unit, err := listing.MinorUnits(l.Price.Amount, t.Currency)
		if err != nil {
			return Terms{}, fmt.Errorf("%w: the listing's price: %v", ErrInvalid, err)
		}
		t.Quantity = quantity
		t.Amount = new(big.Int).Mul(big.NewInt(unit), big.NewInt(quantity)).String()
	case listing.PriceNegotiable:
		a, ok := new(big.Int).SetString(amount, 10)
		if !ok || a.Sign() <= 0 || a.Cmp(big.NewInt(listing.MaxMinor)) > 0 || len(amount) > 20 {
			return Terms{}, fmt.Errorf("%w: amount must be the proposed total in minor units of %s, a whole number from 1 to %d, got %q", ErrInvalid, l.Price.Currency, int64(listing.MaxMinor), amount)
		}
		t.Amount = a.String()
		t.Negotiable = true
	case listing.PriceFree:
		t.Amount = "0"
		if escrowAgent != "" {
			return Terms{}, fmt.Errorf("%w: escrow: a free listing needs none", ErrInvalid)
		}
		return t, nil
	default:
		return Terms{}, fmt.Errorf("%w: offers on %s prices are not supported yet", ErrInvalid, l.Price.Type)
	}
	if t.Currency == "" {
		return Terms{}, fmt.Errorf("%w: the listing has no currency", ErrInvalid)
	}
	e, ok := l.Escrow(escrowAgent)
	if !ok {
		return Terms{}, fmt.Errorf("%w: escrow: %q is not an escrow the seller accepts", ErrInvalid, short(escrowAgent))
	}
	t.Escrow = e.Ref()
	var err error
	t.EVM, err = evmTerms(e, t.Amount, t.Currency)
	return t, err
}

// New starts a deal in state offered, on the side role.
func New(id, offer string, role Role, t Terms, by string, at time.Time) *Deal {
	at = at.UTC()
	return &Deal{ID: id, Offer: offer, Role: role, Terms: t, State: StateOffered, Created: at, Updated: at,
		History: []Entry{{At: at, Action: "offer", To: StateOffered, By: by, Source: offer}}}
}

// Answer applies an answer to the open offer ("accept" or "reject") by
// the party whose turn it is (Answerer: the seller of an offer, the buyer
// of a counter-offer), or "expire" once the offer's time is up. by is the
// actor answering.
func (d *Deal) Answer(action, by, source string, at time.Time) error {
	if !d.State.Open() {
		return fmt.Errorf("%w: %s of a deal that is %s", ErrInvalidState, action, d.State)
	}
	var to State
	switch action {
	case "accept", "reject":
		if who := d.Answerer(); by != who {
			return fmt.Errorf("%w: only %s may %s the open offer, not %s", ErrForbidden, who, action, by)
		}
		if !at.Before(d.Expires) {
			return fmt.Errorf("%w: the offer expired at %s", ErrInvalidState, d.Expires.Format(time.RFC3339))
		}
		to = StateAccepted
		if action == "reject" {
			to = StateRejected
		}
	case "expire":
		if at.Before(d.Expires) {
			return fmt.Errorf("%w: the offer is open until %s", ErrInvalidState, d.Expires.Format(time.RFC3339))
		}
		to = StateExpired
	default:
		return fmt.Errorf("%w: unknown answer %q", ErrInvalid, action)
	}
	d.record(Entry{At: at.UTC(), Action: action, From: d.State, To: to, By: by, Source: source})
	return nil
}

func (d *Deal) record(e Entry) {
	d.State, d.Updated = e.To, e.At
	if len(d.History) < maxEntries {
		d.History = append(d.History, e)
	}
}

// Mirror applies what the agent reported: every event of u that the copy
// lacks, in order. It reports whether the copy changed. Events seen
// before change nothing; the first must create the agreed deal (same
// parties, amount and currency), and each next one must leave the status
// the copy is in. A refusal leaves the copy as it was.
func (d *Deal) Mirror(u *Update) (bool, error) {
	if u.Agreement != d.ID {
		return false, fmt.Errorf("%w: an update for %s applied to %s", ErrInvalid, u.Agreement, d.ID)
	}
	if d.Escrow == "" || u.Agent != d.Escrow {
		return false, fmt.Errorf("%w: %s is not this deal's escrow agent", ErrForbidden, u.Agent)
	}
	if u.Buyer != d.Buyer || u.Seller != d.Seller || u.Amount != d.Amount || u.Currency != d.Currency {
		return false, fmt.Errorf("%w: the agent's deal (%s pays %s %s %s) is not the agreed one (%s pays %s %s %s)", ErrInvalid,
			u.Buyer, u.Seller, u.Amount, u.Currency, d.Buyer, d.Seller, d.Amount, d.Currency)
	}
	if d.EscrowDeal != 0 && u.Deal != d.EscrowDeal {
		return false, fmt.Errorf("%w: agent deal %d, the copy has %d", ErrInvalid, u.Deal, d.EscrowDeal)
	}
	last := d.LastSeq()
	next := *d
	next.History = append([]Entry(nil), d.History...)
	changed := false
	for _, ev := range u.Events {
		switch {
		case ev.Seq <= last:
			continue
		case ev.Seq != last+1:
			return false, fmt.Errorf("%w: escrow event %d arrived before event %d", ErrInvalidState, ev.Seq, last+1)
		case last == 0 && (next.State != StateAccepted || ev.Action != string(escrow.ActionCreate)):
			return false, fmt.Errorf("%w: the first escrow event must create the accepted deal, got %s of a deal that is %s", ErrInvalidState, ev.Action, next.State)
		case last > 0 && State(ev.From) != next.State:
			return false, fmt.Errorf("%w: escrow event %d leaves %s, the copy is %s", ErrInvalidState, ev.Seq, ev.From, next.State)
		}
		next.record(Entry{At: ev.At.UTC(), Action: ev.Action, From: next.State, To: State(ev.To), By: ev.By, Seq: ev.Seq, Source: u.ID})
		last, changed = ev.Seq, true
	}
	if changed {
		next.EscrowDeal = u.Deal
		*d = next
	}
	return changed, nil
}

// MaxReason bounds the refusal reason a copy keeps.
const MaxReason = 500

// Refuse records the escrow agent's refusal of a party's request: action
// is the escrow action refused, request the request's id, reason the
// agent's words (as DecodeRefusal bounds them). A refused create of a deal the agent never created (accepted, or
// still offered on the buyer's side when the refusal outruns the Accept)
// ends it (state refused); any other refusal is noted in the
// history and leaves the state (the party may try again), while room is
// left for the agent's events. The same request is recorded once; it
// reports whether the copy changed.
func (d *Deal) Refuse(agent, action, request, reason string, at time.Time) (bool, error) {
	if d.Escrow == "" || agent != d.Escrow {
		return false, fmt.Errorf("%w: %s is not this deal's escrow agent", ErrForbidden, agent)
	}
	for _, e := range d.History {
		if e.Action == "refuse" && e.Source == request {
			return false, nil
		}
	}
	to := d.State
	// A create comes from the seller's accept; the buyer's hub may hear
	// of its refusal before the Accept itself.
	if action == string(escrow.ActionCreate) && (d.State == StateAccepted || d.State == StateOffered) && d.LastSeq() == 0 {
		to = StateRefused
	} else if len(d.History) >= maxEntries-MaxEvents-4 {
		return false, nil
	}
	d.record(Entry{At: at.UTC(), Action: "refuse", From: d.State, To: to, By: agent, Source: request,
		Reason: "the escrow agent refused to " + action + ": " + reason})
	return true, nil
}

// LastSeq is the agent's position of the last escrow event the copy has.
func (d *Deal) LastSeq() int {
	last := 0
	for _, e := range d.History {
		last = max(last, e.Seq)
	}
	return last
}
