package hub

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/deal"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/listing"
	"github.com/sovereign-marketplace/market/node"
)

// CounterRequest is the body of POST /api/v1/owner/deals/{key}/counter.
type CounterRequest struct {
	// Amount is the new total in the deal's currency as people write it,
	// e.g. "150" or "149.50" USD.
	Amount string `json:"amount"`
}

// minorAmount turns an amount as people write it ("149.50") into minor
// units of currency, for field.
func minorAmount(field, amount, currency string) (string, error) {
	amount = strings.TrimSpace(amount)
	m, err := listing.MinorUnits(amount, currency)
	if err != nil || amount == "" || m <= 0 || m > listing.MaxMinor {
		return "", fmt.Errorf("%w: %s: must be a positive amount of %s such as \"150\" or \"149.50\", got %q", federation.ErrInvalid, field, currency, short(amount))
	}
	return strconv.FormatInt(m, 10), nil
}

// Counter answers the open offer of a negotiable deal with a
// counter-offer when it is the owner's turn: an Offer of the deal's
// Agreement with the new amount, inReplyTo the offer it answers, to the
// other party only (FEP-0837). amount is the new total in the deal's
// currency as people write it. The deal package says whether the owner
// may counter (deal.Deal.Counter: negotiable, the owner's turn, open,
// rounds left).
func (s *Server) Counter(ctx context.Context, key, amount string) (*deal.Deal, error) {
	d, err := s.Deal(key)
	if err != nil {
		return nil, err
	}
	minor, err := minorAmount("amount", amount, d.Currency)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	before, replyTo := d.State, d.Offer
	id := s.publicURL + "/activities/" + newID()
	if err := d.Counter(s.actorID, minor, id, now); err != nil {
		return nil, dealError(err)
	}
	act, err := federation.Envelope{Type: "Offer", ID: id, Actor: s.actorID, Object: deal.Agreement(d, "one"),
		InReplyTo: replyTo, To: []string{d.Counterparty()}, Published: now}.MarshalJSON()
	if err != nil {
		return nil, err
	}
	other, err := s.client.Actor(ctx, d.Counterparty())
	if err != nil {
		return nil, err
	}
	return s.onStoredCopy(d.ID, func(tx *bbolt.Tx, cur *deal.Deal) (bool, error) {
		if cur.State != before || cur.Offer != replyTo {
			return false, fmt.Errorf("%w: the deal is %s now", federation.ErrConflict, cur.State)
		}
		// The counter goes on the stored copy, as it was checked on the
		// one read before.
		if err := cur.Counter(s.actorID, minor, id, now); err != nil {
			return false, dealError(err)
		}
		return true, s.queue.EnqueueTx(tx, other.Inbox, act)
	})
}

// inReplyTo is the IRI an activity's inReplyTo names, or "".
func inReplyTo(a *federation.Activity) string {
	var m struct {
		InReplyTo json.RawMessage `json:"inReplyTo"`
	}
	_ = json.Unmarshal(a.Raw, &m)
	var id string
	if json.Unmarshal(m.InReplyTo, &id) == nil {
		return id
	}
	var obj struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(m.InReplyTo, &obj)
	if obj.ID == "" && len(m.InReplyTo) > 0 && string(m.InReplyTo) != "null" {
		return "invalid"
	}
	return obj.ID
}

// onCounter takes the other party's counter-offer: an Offer of the deal's
// Agreement with a new amount, inReplyTo the deal's open offer, from the
// party whose turn it is, addressed to the owner only. The rest of the
// terms must be the deal's; deal.Deal.Counter checks the turn, the
// listing's price type, the expiry and the rounds. The same Offer twice
// is applied once.
func (s *Server) onCounter(a *federation.Activity) error {
	if err := s.onlyTo(a); err != nil {
		return err
	}
	o, err := deal.DecodeAgreement(a.Object)
	if err != nil {
		return dealError(err)
	}
	replyTo := inReplyTo(a)
	now := s.now().UTC()
	return s.node.DB.Update(func(tx *bbolt.Tx) error {
		st := deal.In(tx)
		if d, err := st.ByOffer(a.ID); err == nil && d.ID == o.ID {
			return federation.SeenIn(tx).Mark(a.ID, now) // applied before
		}
		d, err := st.ByOffer(replyTo)
		if err != nil {
			return fmt.Errorf("%w: inReplyTo %s is not an offer of a deal here", federation.ErrNotFound, short(replyTo))
		}
		if a.Actor != d.Counterparty() {
			return fmt.Errorf("%w: only the deal's other party answers its offers", federation.ErrForbidden)
		}
		if !d.SameTerms(o) {
			return fmt.Errorf("%w: a counter-offer changes the amount only; its Agreement must be the deal's (%s)", federation.ErrInvalid, d.ID)
		}
		if d.State.Open() && replyTo != d.Offer {
			return fmt.Errorf("%w: inReplyTo %s is an offer another counter-offer replaced", federation.ErrConflict, short(replyTo))
		}
		if err := d.Counter(a.Actor, o.Amount, a.ID, now); err != nil {
			return dealError(err)
		}
		if err := st.Put(d); err != nil {
			return err
		}
		return federation.SeenIn(tx).Mark(a.ID, now)
	})
}

// serveCounter is POST /api/v1/owner/deals/{key}/counter.
func (s *Server) serveCounter(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r, s)
	if !ok {
		return
	}
	var req CounterRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		federation.WriteError(w, http.StatusBadRequest, "invalid_request", `the body is {"amount": "<the new total, e.g. 150.00>"}: `+err.Error())
		return
	}
	d, err := s.Counter(r.Context(), r.PathValue("key"), req.Amount)
	if err != nil {
		node.WriteError(w, r, s.log, err)
		return
	}
	node.WriteJSON(w, http.StatusOK, dealView(d))
}
