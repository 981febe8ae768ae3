package hub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/deal"
	"github.com/sovereign-marketplace/market/escrow"
	"github.com/sovereign-marketplace/market/federation"
)

// bucketAgent maps, at an escrow agent, each agreement to its deal in the
// ledger: agreement id → agentDeal (JSON).
var bucketAgent = []byte("hub.agent.deals")

// agentDeal is what the agent knows of an agreement besides the ledger.
type agentDeal struct {
	Deal   escrow.DealID `json:"deal"`
	Buyer  string        `json:"buyer"`
	Seller string        `json:"seller"`
}

// bucketInboxes keeps the inbox of each deal's counterparty and escrow
// agent: actor id → inbox URL. A request or an update is queued to it
// when the actor cannot be fetched now (the agent is down, say), and the
// queue delivers it once the actor is back.
var bucketInboxes = []byte("hub.deal.inboxes")

// inboxOf is actor's inbox: fetched (and remembered), or the one
// remembered when the fetch fails.
func (s *Server) inboxOf(ctx context.Context, actor string) (string, error) {
	remote, err := s.client.Actor(ctx, actor)
	if err == nil {
		var known string
		_ = s.node.DB.View(func(tx *bbolt.Tx) error { known = string(tx.Bucket(bucketInboxes).Get([]byte(actor))); return nil })
		if known != remote.Inbox {
			if perr := s.node.DB.Update(func(tx *bbolt.Tx) error {
				return tx.Bucket(bucketInboxes).Put([]byte(actor), []byte(remote.Inbox))
			}); perr != nil {
				return "", perr
			}
		}
		return remote.Inbox, nil
	}
	var known string
	_ = s.node.DB.View(func(tx *bbolt.Tx) error { known = string(tx.Bucket(bucketInboxes).Get([]byte(actor))); return nil })
	if known == "" {
		return "", err
	}
	return known, nil
}

// onEscrowRequest applies a party's signed request at the escrow agent:
// the sender is the party (the request's attributedTo is the activity's
// actor, which the inbox verified against the signature); the state table
// decides whether that party may take the action now; the ledger applies
// it once (the request's id is its idempotency key). The step, the
// updates to both parties (the deal's history after it) and the record
// of the request commit in one transaction, so no crash keeps a step and
// loses its updates. A refused request is answered with a Reject of it
// that says why, to the sender and the deal's other party.
func (s *Server) onEscrowRequest(ctx context.Context, a *federation.Activity) error {
	if s.agent == nil {
		return fmt.Errorf("%w: this hub is not an escrow agent", federation.ErrForbidden)
	}
	if err := s.onlyTo(a); err != nil {
		return err
	}
	r, err := deal.DecodeRequest(a.Object)
	if err != nil {
		return dealError(err)
	}
	if r.By != a.Actor {
		return fmt.Errorf("%w: an escrow request is its sender's own", federation.ErrForbidden)
	}
	var known *agentDeal
	err = s.node.DB.View(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(bucketAgent).Get([]byte(r.Agreement)); v != nil {
			known = &agentDeal{}
			return json.Unmarshal(v, known)
		}
		return nil
	})
	if err != nil {
		return err
	}
	create := r.Action == string(escrow.ActionCreate)
	var buyer, seller string
	switch {
	case create && known != nil:
		if known.Buyer != r.Buyer || known.Seller != r.Seller {
			return s.refuse(ctx, r, r.Buyer, r.Seller, fmt.Errorf("%w: agreement %s has a deal between other parties", federation.ErrConflict, r.Agreement))
		}
		// Created already: the parties get the history again.
		if err := s.notifyParties(ctx, r.Agreement, known.Deal); err != nil {
			return err
		}
		return s.rel.Mark(a.ID)
	case create && federation.HostOf(r.Agreement) != federation.HostOf(r.Buyer):
		// A buyer's hub names its agreements under its own address, so an
		// agreement id is bound to the buyer's server: no third party can
		// open a deal under another buyer's agreement and so block it.
		return s.refuse(ctx, r, "", "", fmt.Errorf("%w: agreement %s is not on the buyer's server (%s)", federation.ErrForbidden, r.Agreement, federation.HostOf(r.Buyer)))
	case create:
		buyer, seller = r.Buyer, r.Seller
	case known == nil || uint64(known.Deal) != r.Deal:
		return s.refuse(ctx, r, "", "", fmt.Errorf("%w: no escrow deal %d for agreement %s", federation.ErrNotFound, r.Deal, r.Agreement))
	case r.By != known.Buyer && r.By != known.Seller:
		return s.refuse(ctx, r, "", "", fmt.Errorf("%w: %s is not a party to deal %d", federation.ErrForbidden, r.By, r.Deal))
	default:
		buyer, seller = known.Buyer, known.Seller
	}
	inboxes, err := s.partyInboxes(ctx, buyer, seller)
	if err != nil {
		return err // the sender's queue tries again
	}
	then := func(tx *bbolt.Tx, d escrow.Deal, hist []escrow.Event) error {
		if create {
			v, _ := json.Marshal(agentDeal{Deal: d.ID, Buyer: r.Buyer, Seller: r.Seller})
			if err := tx.Bucket(bucketAgent).Put([]byte(r.Agreement), v); err != nil {
				return err
			}
		}
		if err := s.queueUpdate(tx, r.Agreement, d, hist, inboxes); err != nil {
			return err
		}
		return federation.SeenIn(tx).Mark(a.ID, s.now())
	}
	switch {
	case create:
		amount, _ := new(big.Int).SetString(r.Amount, 10)
		_, err = s.agent.CreateThen(ctx, escrow.CreateRequest{By: escrow.Party(r.By), Buyer: escrow.Party(r.Buyer), Seller: escrow.Party(r.Seller),
			Amount: amount, Currency: r.Currency, IdempotencyKey: "create " + r.Agreement}, then)
	case escrow.Action(r.Action) == escrow.ActionConfirm:
		err = s.confirmAndClose(ctx, a.ID, r, known.Deal, then)
	default:
		_, err = s.agent.DoThen(ctx, escrow.Action(r.Action), escrow.Request{Deal: known.Deal, By: escrow.Party(r.By), IdempotencyKey: r.ID}, then)
	}
	if err == nil {
		return nil
	}
	if !create {
		// A party's refused request still gets both copies the
		// agent's history: an update lost on the way is sent again.
		if nerr := s.notifyParties(ctx, r.Agreement, known.Deal); nerr != nil {
			s.log.Warn("escrow agent: resend the deal's history", "agreement", r.Agreement, "error", nerr)
		}
	}
	return s.refuse(ctx, r, buyer, seller, err)
}

// confirmAndClose applies the buyer's confirm and then closes the deal
// for the buyer (complete): once the buyer confirms, the money is the
// seller's and nothing is left to decide (no dispute after a confirm), so
// the agent does not wait for another request to close it. The parties
// hear of both steps in one update, queued by the close with the record
// of the request (then). A crash between the two leaves the request
// unrecorded: its sender's queue sends it again, the confirm is replayed
// (idempotent) and the close applied then. A close the ledger refuses
// (it should not) still sends both parties the history.
func (s *Server) confirmAndClose(ctx context.Context, activity string, r *deal.Request, id escrow.DealID, then escrow.Then) error {
	by := escrow.Party(r.By)
	if _, err := s.agent.DoThen(ctx, escrow.ActionConfirm, escrow.Request{Deal: id, By: by, IdempotencyKey: r.ID}, nil); err != nil {
		return err
	}
	_, err := s.agent.DoThen(ctx, escrow.ActionComplete, escrow.Request{Deal: id, By: by, IdempotencyKey: r.ID + " complete"}, then)
	if err != nil && !errors.Is(err, context.Canceled) {
		s.log.Warn("escrow agent: close a confirmed deal", "agreement", r.Agreement, "deal", id, "error", err)
		if nerr := s.notifyParties(ctx, r.Agreement, id); nerr != nil {
			return nerr
		}
		return s.rel.Mark(activity)
	}
	return err
}

// refuse answers a request the agent did not apply with a Reject of it
// whose result says why: to its sender and, when the sender is one of
// the deal's parties (buyer, seller; "" when unknown), to the other. Only
// a refusal (invalid, forbidden, conflicting, unknown) is answered; any
// other error is returned for the sender's queue to try again.
func (s *Server) refuse(ctx context.Context, r *deal.Request, buyer, seller string, cause error) error {
	err := dealError(cause)
	if !errors.Is(err, federation.ErrInvalid) && !errors.Is(err, federation.ErrForbidden) && !errors.Is(err, federation.ErrConflict) && !errors.Is(err, federation.ErrNotFound) {
		return err
	}
	to := []string{r.By}
	switch r.By {
	case buyer:
		to = append(to, seller)
	case seller:
		to = append(to, buyer)
	}
	var acts [][2]string // inbox, activity
	for _, p := range to {
		inbox, ierr := s.inboxOf(ctx, p)
		if ierr != nil {
			s.log.Warn("escrow agent: the refusal's recipient", "actor", p, "error", ierr)
			continue
		}
		act, merr := federation.Envelope{Type: "Reject", ID: s.publicURL + "/activities/" + newID(), Actor: s.actorID, Object: r.Object(),
			Result: deal.RefusalResult(cause.Error()), To: []string{p}, Published: s.now()}.MarshalJSON()
		if merr != nil {
			return merr
		}
		acts = append(acts, [2]string{inbox, string(act)})
	}
	if qerr := s.node.DB.Update(func(tx *bbolt.Tx) error {
		for _, x := range acts {
			if err := s.queue.EnqueueLaneTx(tx, x[0], updateLane(r.Agreement, x[0]), []byte(x[1])); err != nil {
				return err
			}
		}
		return nil
	}); qerr != nil {
		return qerr
	}
	return err
}

// partyInboxes are the inboxes of a deal's buyer and seller.
func (s *Server) partyInboxes(ctx context.Context, buyer, seller string) ([2]string, error) {
	var out [2]string
	for i, p := range []string{buyer, seller} {
		inbox, err := s.inboxOf(ctx, p)
		if err != nil {
			return out, fmt.Errorf("party %s: %w", p, err)
		}
		out[i] = inbox
	}
	return out, nil
}

// notifyParties sends both parties of a deal its history at the agent,
// through the delivery queue.
func (s *Server) notifyParties(ctx context.Context, agreement string, id escrow.DealID) error {
	d, err := s.agent.Deal(ctx, id)
	if err != nil {
		return err
	}
	hist, err := s.agent.History(ctx, id)
	if err != nil {
		return err
	}
	inboxes, err := s.partyInboxes(ctx, string(d.Buyer), string(d.Seller))
	if err != nil {
		return err
	}
	return s.node.DB.Update(func(tx *bbolt.Tx) error { return s.queueUpdate(tx, agreement, d, hist, inboxes) })
}

// queueUpdate queues, inside tx, the deal's history at the agent to its
// buyer's and seller's inboxes.
func (s *Server) queueUpdate(tx *bbolt.Tx, agreement string, d escrow.Deal, hist []escrow.Event, inboxes [2]string) error {
	if s.queueHook != nil {
		if err := s.queueHook(); err != nil {
			return err
		}
	}
	u := &deal.Update{Agent: s.actorID, Agreement: agreement, Deal: uint64(d.ID), Buyer: string(d.Buyer), Seller: string(d.Seller),
		Amount: d.Amount.String(), Currency: d.Currency}
	for _, ev := range hist {
		if ev.Action == escrow.ActionDisputeLost || ev.Action == escrow.ActionVote {
			continue
		}
		u.Events = append(u.Events, deal.Event{Seq: len(u.Events) + 1, Action: string(ev.Action), From: string(ev.From), To: string(ev.To), By: string(ev.By), At: ev.At})
	}
	if len(u.Events) > deal.MaxEvents {
		u.Events = u.Events[:deal.MaxEvents]
	}
	u.ID = fmt.Sprintf("%s/escrow/deals/%d/updates/%d", s.publicURL, d.ID, len(u.Events))
	obj := u.Object()
	for i, p := range []string{u.Buyer, u.Seller} {
		act, err := federation.Envelope{Type: "Create", ID: s.publicURL + "/activities/" + newID(), Actor: s.actorID, Object: obj, To: []string{p}, Published: s.now()}.MarshalJSON()
		if err != nil {
			return err
		}
		if err := s.queue.EnqueueLaneTx(tx, inboxes[i], updateLane(agreement, inboxes[i]), act); err != nil {
			return err
		}
	}
	return nil
}

// updateLane is the delivery lane of the agent's reports on a deal to one
// party's inbox: a party's reports arrive in order, the two parties'
// independently of each other, and other deals' not at all.
func updateLane(agreement, inbox string) string { return agreement + " " + inbox }

// parseMoney reads an operator's "<minor units> <currency>".
func parseMoney(s string) (*big.Int, string, error) {
	f := strings.Fields(s)
	if len(f) != 2 {
		return nil, "", fmt.Errorf("%w: want <minor units> <currency>, such as \"20000 USD\", got %q", federation.ErrInvalid, short(s))
	}
	n, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil || n <= 0 {
		return nil, "", fmt.Errorf("%w: amount must be a positive whole number of minor units, got %q", federation.ErrInvalid, short(f[0]))
	}
	return big.NewInt(n), f[1], nil
}

// AgentPayment records, at an escrow agent, money a party paid in
// (deposit) or was paid out (withdraw) outside; money is "<minor units>
// <currency>". It returns the party's balance after it.
func (s *Server) AgentPayment(ctx context.Context, deposit bool, party, money string) (map[string]any, error) {
	if s.agent == nil {
		return nil, fmt.Errorf("%w: this hub is not an escrow agent (hub.agent.enabled)", federation.ErrInvalid)
	}
	amount, cur, err := parseMoney(money)
	if err != nil {
		return nil, err
	}
	req := escrow.DepositRequest{By: escrow.Party(party), Currency: cur, Amount: amount}
	pay := s.agent.Withdraw
	if deposit {
		pay = s.agent.Deposit
	}
	bal, err := pay(ctx, req)
	if err != nil {
		return nil, dealError(err)
	}
	return map[string]any{"party": party, "currency": cur, "balance": bal.String()}, nil
}

// AgentBalance is a party's balance at the escrow agent in a currency.
func (s *Server) AgentBalance(ctx context.Context, party, currency string) (*big.Int, error) {
	if s.agent == nil {
		return nil, fmt.Errorf("%w: this hub is not an escrow agent (hub.agent.enabled)", federation.ErrInvalid)
	}
	return s.agent.Balance(ctx, escrow.Party(party), currency)
}

// AgentDeal is the agent's own state of the deal of an agreement.
func (s *Server) AgentDeal(ctx context.Context, agreement string) (escrow.Deal, error) {
	if s.agent == nil {
		return escrow.Deal{}, fmt.Errorf("%w: this hub is not an escrow agent", federation.ErrInvalid)
	}
	var id escrow.DealID
	_ = s.node.DB.View(func(tx *bbolt.Tx) error {
		var ad agentDeal
		if v := tx.Bucket(bucketAgent).Get([]byte(agreement)); v != nil && json.Unmarshal(v, &ad) == nil {
			id = ad.Deal
		}
		return nil
	})
	if id == 0 {
		return escrow.Deal{}, fmt.Errorf("%w: no deal for agreement %s", federation.ErrNotFound, agreement)
	}
	return s.agent.Deal(ctx, id)
}
