package hub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/deal"
	"github.com/sovereign-marketplace/market/escrow"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/listing"
	"github.com/sovereign-marketplace/market/node"
)

// DealView is a deal as the owner API shows it: the hub's copy, and the
// short key its routes use.
type DealView struct {
	Key string `json:"key"`
	// Queued is the escrow action just queued for the agent, in the
	// answer to a deal action.
	Queued string `json:"queued,omitempty"`
	*deal.Deal
}

// dealKey is the short name of a deal in the owner API's paths
// (deal.Key).
func dealKey(id string) string { return deal.Key(id) }

func dealView(d *deal.Deal) DealView { return DealView{Key: dealKey(d.ID), Deal: d} }

// dealError maps the deal and escrow packages' errors to the hub's, for
// the one error-to-status table.
func dealError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, deal.ErrInvalid), errors.Is(err, escrow.ErrInvalid):
		return fmt.Errorf("%w: %v", federation.ErrInvalid, err)
	case errors.Is(err, deal.ErrForbidden), errors.Is(err, escrow.ErrForbidden):
		return fmt.Errorf("%w: %v", federation.ErrForbidden, err)
	case errors.Is(err, deal.ErrInvalidState), errors.Is(err, escrow.ErrInvalidState), errors.Is(err, escrow.ErrConflict), errors.Is(err, escrow.ErrNotDue):
		return fmt.Errorf("%w: %v", federation.ErrConflict, err)
	case errors.Is(err, deal.ErrNotFound), errors.Is(err, escrow.ErrNotFound):
		return fmt.Errorf("%w: %v", federation.ErrNotFound, err)
	}
	return err
}

// OfferRequest is the body of POST /api/v1/owner/offers.
type OfferRequest struct {
	Listing  string `json:"listing"`            // the listing's object id (its URL)
	Quantity int64  `json:"quantity,omitempty"` // units (fixed price) or hours (hourly)
	Amount   string `json:"amount,omitempty"`   // the proposed total in minor units (negotiable)
	Escrow   string `json:"escrow,omitempty"`   // the escrow picked, one the listing names: an agent's actor URL or an EVM escrow's eip155 reference
	// ExpiresIn is how long the offer stays open, e.g. "48h" (at most 30
	// days; 7 days when empty).
	ExpiresIn string `json:"expires_in,omitempty"`
	// ShippingAddress, for a physical good, goes to the seller alone
	// (see delivery.go).
	ShippingAddress string `json:"shipping_address,omitempty"`
}

// MakeOffer sends an Offer of an Agreement for a listing of another hub:
// the listing is fetched from its origin (never taken from the request),
// priced by its price type, and the Offer goes to its seller only.
func (s *Server) MakeOffer(ctx context.Context, req OfferRequest) (*deal.Deal, error) {
	if !listing.IsHTTPURL(req.Listing) || len(req.Listing) > listing.MaxURL {
		return nil, fmt.Errorf("%w: listing: must be the listing's URL (its object id)", federation.ErrInvalid)
	}
	life := deal.DefaultLifetime
	if req.ExpiresIn != "" {
		d, err := time.ParseDuration(req.ExpiresIn)
		if err != nil || d < time.Second || d > deal.MaxLifetime {
			return nil, fmt.Errorf("%w: expires_in: must be a duration from 1s to %s, such as \"48h\"", federation.ErrInvalid, deal.MaxLifetime)
		}
		life = d
	}
	l, err := s.remoteListing(ctx, req.Listing)
	if err != nil {
		return nil, err
	}
	if l.Owner == s.actorID {
		return nil, fmt.Errorf("%w: listing: the owner cannot buy their own listing", federation.ErrInvalid)
	}
	terms, err := deal.Price(l, s.actorID, req.Quantity, req.Amount, req.Escrow)
	if err != nil {
		return nil, dealError(err)
	}
	if err := s.bindEVM(terms.EVM, deal.RoleBuyer); err != nil {
		return nil, err
	}
	seller, err := s.client.Actor(ctx, l.Owner)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	terms.Expires = now.Add(life).Truncate(time.Second)
	offerID := s.publicURL + "/activities/" + newID()
	d := deal.New(s.publicURL+"/deals/"+newID(), offerID, deal.RoleBuyer, terms, s.actorID, now)
	ship, err := s.offerDelivery(l, d, req.ShippingAddress, now)
	if err != nil {
		return nil, err
	}
	act, err := federation.Envelope{Type: "Offer", ID: offerID, Actor: s.actorID, Object: deal.Agreement(d, unitOf(l)),
		To: []string{l.Owner}, Published: now}.MarshalJSON()
	if err != nil {
		return nil, err
	}
	err = s.node.DB.Update(func(tx *bbolt.Tx) error {
		if err := deal.In(tx).Put(d); err != nil {
			return err
		}
		if err := s.queue.EnqueueLaneTx(tx, seller.Inbox, d.ID, act); err != nil {
			return err
		}
		if ship != nil {
			return s.queue.EnqueueLaneTx(tx, seller.Inbox, d.ID, ship)
		}
		return nil
	})
	return d, err
}

// remoteListing fetches a listing from its origin, never from anyone
// else: it must be attributed to an actor on its own host.
func (s *Server) remoteListing(ctx context.Context, id string) (*listing.Listing, error) {
	body, err := s.client.FetchObject(ctx, id)
	if err != nil {
		return nil, err
	}
	l, err := listing.Decode(body)
	if err != nil {
		return nil, fmt.Errorf("%w: listing %s: %v", federation.ErrInvalid, id, err)
	}
	if hostOf(l.Owner) != hostOf(l.FederatedAPID) {
		return nil, fmt.Errorf("%w: listing %s is attributed to %s on another host", federation.ErrForbidden, id, l.Owner)
	}
	return l, nil
}

// unitOf is the unit an offer's quantity counts in.
func unitOf(l *listing.Listing) string {
	if u := l.Price.Type.TimeUnit(); u != "" {
		return u
	}
	return "one"
}

// Deals returns the hub's copies of its deals, newest first.
func (s *Server) Deals() ([]*deal.Deal, error) {
	var out []*deal.Deal
	err := s.node.DB.View(func(tx *bbolt.Tx) error {
		var err error
		out, err = deal.In(tx).List()
		return err
	})
	return out, err
}

// Deal returns the deal with the owner API's key, or ErrNotFound.
func (s *Server) Deal(key string) (*deal.Deal, error) {
	var d *deal.Deal
	err := s.node.DB.View(func(tx *bbolt.Tx) error {
		var err error
		d, err = deal.In(tx).ByKey(key)
		return err
	})
	if errors.Is(err, deal.ErrNotFound) {
		return nil, fmt.Errorf("%w: no deal %q", federation.ErrNotFound, short(key))
	}
	return d, err
}

// AnswerOffer accepts or rejects the open offer of a deal when it is the
// owner's turn (an offer made to the owner, or a counter-offer answering
// the owner's offer): the other hub gets an Accept (with the Agreement as
// result) or a Reject, and a deal the seller accepts with an escrow is
// created at the escrow agent (when the buyer accepts a counter-offer, the
// seller's hub does that on the Accept).
func (s *Server) AnswerOffer(ctx context.Context, key, action string) (*deal.Deal, error) {
	d, err := s.Deal(key)
	if err != nil {
		return nil, err
	}
	if d.State.Open() && !d.MayAnswer(d.Role) {
		return nil, fmt.Errorf("%w: deal %s waits for the other party's answer, not the owner's", federation.ErrForbidden, key)
	}
	before := d.State
	if action == "accept" && d.Role == deal.RoleSeller {
		if err := s.bindEVM(d.EVM, deal.RoleSeller); err != nil {
			return nil, err
		}
	}
	now := s.now().UTC()
	typ := map[string]string{"accept": "Accept", "reject": "Reject"}[action]
	id := s.publicURL + "/activities/" + newID()
	if err := d.Answer(action, s.actorID, id, now); err != nil {
		return nil, dealError(err)
	}
	env := federation.Envelope{Type: typ, ID: id, Actor: s.actorID, Object: d.Offer, To: []string{d.Counterparty()}, Published: now}
	if action == "accept" {
		env.Result = deal.Agreement(d, "")
	}
	act, err := env.MarshalJSON()
	if err != nil {
		return nil, err
	}
	other, err := s.client.Actor(ctx, d.Counterparty())
	if err != nil {
		return nil, err
	}
	var create []byte
	var agentInbox string
	if action == "accept" && d.Escrow != "" && d.Role == deal.RoleSeller && d.EVM == nil {
		if agentInbox, create, err = s.createAtAgent(ctx, d, now); err != nil {
			return nil, err
		}
	}
	d, err = s.onStoredCopy(d.ID, func(tx *bbolt.Tx, cur *deal.Deal) (bool, error) {
		if cur.State != before || cur.Offer != d.Offer {
			return false, fmt.Errorf("%w: the deal is %s now", federation.ErrConflict, cur.State)
		}
		// The seller's address is bound on the stored copy as in the
		// Accept sent.
		if action == "accept" && cur.Role == deal.RoleSeller {
			if err := s.bindEVM(cur.EVM, deal.RoleSeller); err != nil {
				return false, err
			}
		}
		if err := cur.Answer(action, s.actorID, id, now); err != nil {
			return false, dealError(err)
		}
		if err := s.queue.EnqueueLaneTx(tx, other.Inbox, cur.ID, act); err != nil {
			return false, err
		}
		if create != nil {
			return true, s.queue.EnqueueLaneTx(tx, agentInbox, cur.ID, create)
		}
		return true, nil
	})
	if err == nil && d.Kind() == listing.TypeDigital {
		s.wakeDeliveries() // a free digital good goes on acceptance
	}
	return d, err
}

// createAtAgent is the seller's request to the deal's escrow agent to
// create the accepted deal, and the agent's inbox.
func (s *Server) createAtAgent(ctx context.Context, d *deal.Deal, now time.Time) (string, []byte, error) {
	agent, err := s.client.Actor(ctx, d.Escrow)
	if err != nil {
		return "", nil, fmt.Errorf("escrow agent %s: %w", d.Escrow, err)
	}
	create, err := s.escrowRequest(d, escrow.ActionCreate, now)
	return agent.Inbox, create, err
}

// escrowRequest builds the owner's Create of an EscrowRequest for action
// on d.
func (s *Server) escrowRequest(d *deal.Deal, a escrow.Action, now time.Time) ([]byte, error) {
	r := &deal.Request{ID: s.publicURL + "/escrow-requests/" + newID(), By: s.actorID, Action: string(a), Agreement: d.ID, Deal: d.EscrowDeal}
	if a == escrow.ActionCreate {
		r.Buyer, r.Seller, r.Amount, r.Currency = d.Buyer, d.Seller, d.Amount, d.Currency
	}
	return federation.Envelope{Type: "Create", ID: s.publicURL + "/activities/" + newID(), Actor: s.actorID, Object: r.Object(),
		To: []string{d.Escrow}, Published: now}.MarshalJSON()
}

// dealActions are the escrow actions the owner API takes on a deal.
var dealActions = []escrow.Action{escrow.ActionFund, escrow.ActionDeliver, escrow.ActionConfirm, escrow.ActionComplete, escrow.ActionRefund, escrow.ActionTimeout}

// Act asks the deal's escrow agent to take action a for the owner: the
// hub checks the action against the state table on its copy (the wrong
// party or state is refused now), then queues the signed request in the
// delivery queue, which delivers it when the agent is reachable (so an
// agent that is down gets it when it is back). The agent applies a
// request once (its id is the idempotency key); it reports the step to
// both hubs, or sends back a refusal that the copy records. The copy
// changes when the agent's update arrives.
func (s *Server) Act(ctx context.Context, key string, a escrow.Action) (*deal.Deal, error) {
	if !slices.Contains(dealActions, a) {
		return nil, fmt.Errorf("%w: action: must be one of %v", federation.ErrInvalid, dealActions)
	}
	d, err := s.Deal(key)
	if err != nil {
		return nil, err
	}
	if d.EVM != nil {
		return s.actEVM(ctx, d, a)
	}
	if d.Escrow == "" || d.EscrowDeal == 0 {
		return nil, fmt.Errorf("%w: the deal is %s, with no escrow deal yet", federation.ErrConflict, d.State)
	}
	role := escrow.RoleBuyer
	if d.Role == deal.RoleSeller {
		role = escrow.RoleSeller
	}
	if _, err := escrow.Allowed(a, escrow.Status(d.State), role); err != nil {
		return nil, dealError(err)
	}
	inbox, err := s.inboxOf(ctx, d.Escrow)
	if err != nil {
		return nil, fmt.Errorf("escrow agent %s: %w", d.Escrow, err)
	}
	act, err := s.escrowRequest(d, a, s.now().UTC())
	if err != nil {
		return nil, err
	}
	// The request shares its commit (and disk sync) with the other
	// writes under way: deals' updates arriving, other owners' steps.
	if err := s.node.DB.Batch(func(tx *bbolt.Tx) error { return s.queue.EnqueueLaneTx(tx, inbox, d.ID, act) }); err != nil {
		return nil, err
	}
	return d, nil
}

// ExpireOffers ends the open offers whose time is up, on either side: both
// hubs know the time, so no message is needed.
func (s *Server) ExpireOffers(ctx context.Context) (int, error) {
	n := 0
	now := s.now().UTC()
	err := s.node.DB.Update(func(tx *bbolt.Tx) error {
		st := deal.In(tx)
		ds, err := st.List()
		if err != nil {
			return err
		}
		for _, d := range ds {
			if !d.State.Open() || now.Before(d.Expires) {
				continue
			}
			if err := d.Answer("expire", "", "", now); err != nil {
				return err
			}
			if err := st.Put(d); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// dealActivity reports whether a is about a deal, and handles it if so.
func (s *Server) dealActivity(ctx context.Context, a *federation.Activity) (bool, error) {
	if ok, err := s.deliveryActivity(a); ok {
		return true, err
	}
	switch {
	case a.Type == "Offer" && slices.Contains(a.ObjectTypes, deal.TypeAgreement) && inReplyTo(a) != "":
		return true, s.onCounter(a)
	case a.Type == "Offer" && slices.Contains(a.ObjectTypes, deal.TypeAgreement):
		return true, s.onOffer(ctx, a)
	case (a.Type == "Accept" || a.Type == "Reject") && !a.ObjectEmbedded:
		var known bool
		_ = s.node.DB.View(func(tx *bbolt.Tx) error {
			_, err := deal.In(tx).ByOffer(a.ObjectID)
			known = err == nil
			return nil
		})
		if known {
			return true, s.onAnswer(ctx, a)
		}
	case a.Type == "Create" && slices.Contains(a.ObjectTypes, deal.TypeEscrowRequest):
		return true, s.onEscrowRequest(ctx, a)
	case a.Type == "Create" && slices.Contains(a.ObjectTypes, deal.TypeEscrowUpdate):
		return true, s.onEscrowUpdate(a)
	case a.Type == "Reject" && slices.Contains(a.ObjectTypes, deal.TypeEscrowRequest):
		return true, s.onEscrowRefusal(a)
	}
	return false, nil
}

// onlyTo checks that an activity is addressed to this hub's owner and no
// one else: a deal is between its two parties.
func (s *Server) onlyTo(a *federation.Activity) error {
	var m struct {
		To, CC, BTo, BCC, Audience json.RawMessage
	}
	_ = json.Unmarshal(a.Raw, &m)
	var to []string
	if err := json.Unmarshal(m.To, &to); err != nil {
		var one string
		if json.Unmarshal(m.To, &one) != nil {
			return fmt.Errorf("%w: a deal's activity must be addressed to its other party", federation.ErrInvalid)
		}
		to = []string{one}
	}
	if len(to) != 1 || to[0] != s.actorID || len(m.CC) > 0 && string(m.CC) != "null" || len(m.BTo) > 0 || len(m.BCC) > 0 || len(m.Audience) > 0 {
		return fmt.Errorf("%w: a deal's activity goes to its other party only (to: [%s]), nothing else", federation.ErrInvalid, s.actorID)
	}
	return nil
}

// onOffer takes an Offer of an Agreement for one of the owner's listings:
// the terms are priced again from the listing as the hub keeps it, and
// must match; the deal is kept as offered until the owner answers or it
// expires.
func (s *Server) onOffer(ctx context.Context, a *federation.Activity) error {
	if err := s.onlyTo(a); err != nil {
		return err
	}
	o, err := deal.DecodeAgreement(a.Object)
	if err != nil {
		return dealError(err)
	}
	if o.Buyer != a.Actor || hostOf(o.ID) != hostOf(a.Actor) {
		return fmt.Errorf("%w: the Agreement must be the offering actor's own (attributedTo %s, id on its host)", federation.ErrForbidden, a.Actor)
	}
	id, ok := strings.CutPrefix(o.Listing, s.publicURL+"/listings/")
	if !ok {
		return fmt.Errorf("%w: listing %s is not the owner's", federation.ErrNotFound, o.Listing)
	}
	rec, err := s.Listing(id)
	if err != nil || rec.Deleted != nil || rec.Listing.FederatedAPID != o.Listing {
		return fmt.Errorf("%w: no listing %s", federation.ErrNotFound, o.Listing)
	}
	terms, err := deal.Price(&rec.Listing, a.Actor, o.Quantity, o.Amount, o.Escrow)
	if err != nil {
		return dealError(err)
	}
	if terms.Amount != o.Amount || terms.Currency != o.Currency {
		return fmt.Errorf("%w: the offer's total %s %s is not the listing's price for %d (%s %s)", federation.ErrInvalid, o.Amount, o.Currency, o.Quantity, terms.Amount, terms.Currency)
	}
	now := s.now().UTC()
	if !o.Expires.After(now) || o.Expires.After(now.Add(deal.MaxLifetime)) {
		return fmt.Errorf("%w: agreement endTime must be within %s from now", federation.ErrInvalid, deal.MaxLifetime)
	}
	if err := s.offeredEVM(terms.EVM, o); err != nil {
		return err
	}
	terms.Expires = o.Expires
	d := deal.New(o.ID, a.ID, deal.RoleSeller, terms, a.Actor, now)
	if d.Delivery, err = deal.DeliveryFor(rec.Listing.Type); err != nil {
		return dealError(err)
	}
	return s.node.DB.Update(func(tx *bbolt.Tx) error {
		st := deal.In(tx)
		if old, err := st.Get(o.ID); err == nil {
			if old.Offer != a.ID {
				return fmt.Errorf("%w: agreement %s was offered already", federation.ErrConflict, o.ID)
			}
			return federation.SeenIn(tx).Mark(a.ID, now)
		}
		if err := st.Put(d); err != nil {
			return err
		}
		return federation.SeenIn(tx).Mark(a.ID, now)
	})
}

// onAnswer takes the other party's Accept or Reject of the open offer the
// owner made (the buyer's offer, or the seller's counter-offer); only the
// party whose turn it is may answer, once. When the buyer accepts the
// seller's counter-offer, the seller's hub creates the deal at the
// escrow agent, as it does when it accepts an offer.
func (s *Server) onAnswer(ctx context.Context, a *federation.Activity) error {
	if err := s.onlyTo(a); err != nil {
		return err
	}
	action := strings.ToLower(a.Type)
	now := s.now().UTC()
	var agentInbox string
	var create []byte
	if a.Type == "Accept" {
		var d *deal.Deal
		_ = s.node.DB.View(func(tx *bbolt.Tx) error { d, _ = deal.In(tx).ByOffer(a.ObjectID); return nil })
		if d != nil && d.Role == deal.RoleSeller && d.State == deal.StateCountered && d.Escrow != "" && d.EVM == nil && a.Actor == d.Buyer {
			var err error
			if agentInbox, create, err = s.createAtAgent(ctx, d, now); err != nil {
				return err
			}
		}
	}
	return s.node.DB.Update(func(tx *bbolt.Tx) error {
		st := deal.In(tx)
		d, err := st.ByOffer(a.ObjectID)
		if err != nil {
			return dealError(err)
		}
		if a.Actor != d.Counterparty() {
			return fmt.Errorf("%w: only the deal's other party answers its offers", federation.ErrForbidden)
		}
		if d.State.Open() && a.ObjectID != d.Offer {
			return fmt.Errorf("%w: %s answers an offer a counter-offer replaced", federation.ErrConflict, a.ObjectID)
		}
		if d.State == deal.StateRefused && a.Type == "Accept" && a.Actor == d.Seller {
			// The agent's refusal of the create came first.
			return federation.SeenIn(tx).Mark(a.ID, now)
		}
		if a.Type == "Accept" {
			var m struct {
				Result json.RawMessage `json:"result"`
			}
			_ = json.Unmarshal(a.Raw, &m)
			o, err := deal.DecodeAgreement(m.Result)
			if err != nil {
				return dealError(err)
			}
			if o.ID != d.ID || o.Amount != d.Amount || o.Currency != d.Currency || o.Escrow != d.Escrow || o.Quantity != d.Quantity || o.Listing != d.Listing {
				return fmt.Errorf("%w: the accepted Agreement is not the one offered", federation.ErrInvalid)
			}
			if err := d.AcceptEVM(o); err != nil {
				return dealError(err)
			}
		}
		if err := d.Answer(action, a.Actor, a.ID, now); err != nil {
			return dealError(err)
		}
		if err := st.Put(d); err != nil {
			return err
		}
		if create != nil && d.State == deal.StateAccepted {
			if err := s.queue.EnqueueTx(tx, agentInbox, create); err != nil {
				return err
			}
		}
		return federation.SeenIn(tx).Mark(a.ID, now)
	})
}

// onEscrowUpdate mirrors what the deal's escrow agent reports.
func (s *Server) onEscrowUpdate(a *federation.Activity) error {
	if err := s.onlyTo(a); err != nil {
		return err
	}
	u, err := deal.DecodeUpdate(a.Object)
	if err != nil {
		return dealError(err)
	}
	if u.Agent != a.Actor {
		return fmt.Errorf("%w: an escrow update is its agent's own", federation.ErrForbidden)
	}
	digital := false
	err = s.changeDeal(u.Agreement, a.ID, func(d *deal.Deal, _ time.Time) (bool, error) {
		digital = d.Kind() == listing.TypeDigital
		return mirrorOrWait(d, u)
	})
	if err == nil && digital {
		s.wakeDeliveries() // a digital good is sent once funded; the job looks at every deal, so only a digital one wakes it
	}
	return err
}

// mirrorOrWait copies the agent's history onto d, unless d is still an
// offer with no escrow history: the seller's Accept and its create at the
// agent leave the seller's hub together, and the agent's report can reach
// the buyer's hub first. Then the answer is a 503, which the agent's
// delivery queue retries, by when the Accept is there; a 409 would make
// the queue drop the report and leave the buyer's copy stuck.
func mirrorOrWait(d *deal.Deal, u *deal.Update) (bool, error) {
	if d.State.Open() && d.LastSeq() == 0 && len(u.Events) > 0 {
		return false, federation.WithCode(http.StatusServiceUnavailable, "accept_not_yet_received",
			"the seller's Accept of this offer has not arrived yet; the escrow report is retried later", nil)
	}
	return d.Mirror(u)
}

// onStoredCopy runs change on the stored copy of deal id in one
// transaction, stores it when change reports a change, and returns it.
// change gets the transaction to queue what is sent with the step, so
// the step and its message commit together. An owner's step goes on the
// copy as it is when the step commits (a shipping address or an agent's
// update may have come since it was read), never on an older read.
func (s *Server) onStoredCopy(id string, change func(tx *bbolt.Tx, cur *deal.Deal) (bool, error)) (*deal.Deal, error) {
	var out *deal.Deal
	err := s.node.DB.Update(func(tx *bbolt.Tx) error {
		st := deal.In(tx)
		cur, err := st.Get(id)
		if err != nil {
			return dealError(err)
		}
		changed, err := change(tx, cur)
		if err != nil || !changed {
			return err
		}
		out = cur
		return st.Put(cur)
	})
	return out, err
}

// changeDeal applies change to the copy of deal id in one transaction,
// stores it if changed, and records activity as applied. Changes arriving
// at once share a commit (bbolt's Batch, which may run the function
// again: it reads the copy afresh each time).
func (s *Server) changeDeal(id, activity string, change func(d *deal.Deal, now time.Time) (bool, error)) error {
	now := s.now().UTC()
	return s.node.DB.Batch(func(tx *bbolt.Tx) error {
		st := deal.In(tx)
		d, err := st.Get(id)
		if err != nil {
			return dealError(err)
		}
		changed, err := change(d, now)
		if err != nil {
			return dealError(err)
		}
		if changed {
			if err := st.Put(d); err != nil {
				return err
			}
		}
		return federation.SeenIn(tx).Mark(activity, now)
	})
}

// onEscrowRefusal records the deal's escrow agent's refusal of a
// party's request (deal.Deal.Refuse): a refused create ends the deal as
// refused, any other refusal is noted in its history with the reason.
func (s *Server) onEscrowRefusal(a *federation.Activity) error {
	if err := s.onlyTo(a); err != nil {
		return err
	}
	r, reason, err := deal.DecodeRefusal(a.Object, a.Raw)
	if err != nil {
		return dealError(err)
	}
	return s.changeDeal(r.Agreement, a.ID, func(d *deal.Deal, now time.Time) (bool, error) {
		return d.Refuse(a.Actor, r.Action, r.ID, reason, now)
	})
}

// dealRoutes serves the owner API's offers and deals.
func (s *Server) dealRoutes() {
	h := s.ownerRoute
	answer := func(w http.ResponseWriter, r *http.Request, status int, d *deal.Deal, err error) {
		if err != nil {
			node.WriteError(w, r, s.log, err)
			return
		}
		node.WriteJSON(w, status, dealView(d))
	}
	h("POST /api/v1/owner/offers", true, func(w http.ResponseWriter, r *http.Request) {
		body, ok := readBody(w, r, s)
		if !ok {
			return
		}
		var req OfferRequest
		dec := json.NewDecoder(strings.NewReader(string(body)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			federation.WriteError(w, http.StatusBadRequest, "invalid_request", `the body is {"listing": "<listing URL>", "quantity": <units or hours>, "amount": "<minor units, negotiable>", "escrow": "<agent actor URL>", "expires_in": "48h"}: `+err.Error())
			return
		}
		d, err := s.MakeOffer(r.Context(), req)
		answer(w, r, http.StatusCreated, d, err)
	})
	h("GET /api/v1/owner/deals", false, func(w http.ResponseWriter, r *http.Request) {
		ds, err := s.Deals()
		if err != nil {
			node.WriteError(w, r, s.log, err)
			return
		}
		out := make([]DealView, len(ds))
		for i, d := range ds {
			out[i] = dealView(d)
		}
		node.WriteJSON(w, http.StatusOK, map[string]any{"deals": out, "total": len(out)})
	})
	h("GET /api/v1/owner/deals/{key}", false, func(w http.ResponseWriter, r *http.Request) {
		wait, err := parseDealWait(r.URL.Query())
		if err != nil {
			node.WriteError(w, r, s.log, err)
			return
		}
		d, err := s.Deal(r.PathValue("key"))
		if err == nil {
			d, err = s.waitDeal(r.Context(), d, wait)
		}
		answer(w, r, http.StatusOK, d, err)
	})
	for _, action := range []string{"accept", "reject"} {
		h("POST /api/v1/owner/offers/{key}/"+action, true, func(w http.ResponseWriter, r *http.Request) {
			d, err := s.AnswerOffer(r.Context(), r.PathValue("key"), action)
			answer(w, r, http.StatusOK, d, err)
		})
	}
	h("POST /api/v1/owner/deals/{key}/counter", true, s.serveCounter)
	h("POST /api/v1/owner/deals/{key}/{action}", true, func(w http.ResponseWriter, r *http.Request) {
		d, err := s.Act(r.Context(), r.PathValue("key"), escrow.Action(r.PathValue("action")))
		if err != nil {
			node.WriteError(w, r, s.log, err)
			return
		}
		v := dealView(d)
		v.Queued = r.PathValue("action")
		node.WriteJSON(w, http.StatusAccepted, v)
	})
}
