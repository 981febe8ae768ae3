package hub

import (
	"context"
	"encoding/json"
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

// onEscrowRequest applies a party's signed request at the escrow agent:
// the sender is the party (the request's attributedTo is the activity's
// actor, which the inbox verified against the signature); the state table
// decides whether that party may take the action now; the ledger applies
// it once (the request's id is its idempotency key); both parties are
// sent the deal's history after it.
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
	var id escrow.DealID
	if r.Action == string(escrow.ActionCreate) {
		if known != nil {
			if known.Buyer != r.Buyer || known.Seller != r.Seller {
				return fmt.Errorf("%w: agreement %s has a deal between other parties", federation.ErrConflict, r.Agreement)
			}
			id = known.Deal
		} else {
			amount, _ := new(big.Int).SetString(r.Amount, 10)
			d, err := s.agent.Create(ctx, escrow.CreateRequest{By: escrow.Party(r.By), Buyer: escrow.Party(r.Buyer), Seller: escrow.Party(r.Seller),
				Amount: amount, Currency: r.Currency, IdempotencyKey: "create " + r.Agreement})
			if err != nil {
				return dealError(err)
			}
			id = d.ID
			v, _ := json.Marshal(agentDeal{Deal: d.ID, Buyer: r.Buyer, Seller: r.Seller})
			if err := s.node.DB.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketAgent).Put([]byte(r.Agreement), v) }); err != nil {
				return err
			}
		}
	} else {
		if known == nil || uint64(known.Deal) != r.Deal {
			return fmt.Errorf("%w: no escrow deal %d for agreement %s", federation.ErrNotFound, r.Deal, r.Agreement)
		}
		if r.By != known.Buyer && r.By != known.Seller {
			return fmt.Errorf("%w: %s is not a party to deal %d", federation.ErrForbidden, r.By, r.Deal)
		}
		id = known.Deal
		if _, err := escrow.Do(ctx, s.agent, escrow.Action(r.Action), escrow.Request{Deal: id, By: escrow.Party(r.By), IdempotencyKey: r.ID}); err != nil {
			// A party's refused request still gets both copies the
			// agent's history: an update lost to a crash or a restart
			// between the ledger and the queue is sent again.
			if nerr := s.notifyParties(ctx, r.Agreement, id); nerr != nil {
				s.log.Warn("escrow agent: resend the deal's history", "agreement", r.Agreement, "error", nerr)
			}
			return dealError(err)
		}
	}
	if err := s.notifyParties(ctx, r.Agreement, id); err != nil {
		return err
	}
	return s.rel.Mark(a.ID)
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
	u := &deal.Update{Agent: s.actorID, Agreement: agreement, Deal: uint64(id), Buyer: string(d.Buyer), Seller: string(d.Seller),
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
	u.ID = fmt.Sprintf("%s/escrow/deals/%d/updates/%d", s.publicURL, id, len(u.Events))
	obj := u.Object()
	var acts [][2][]byte
	for _, p := range []string{u.Buyer, u.Seller} {
		remote, err := s.client.Actor(ctx, p)
		if err != nil {
			return fmt.Errorf("party %s: %w", p, err)
		}
		act, err := federation.Envelope{Type: "Create", ID: s.publicURL + "/activities/" + newID(), Actor: s.actorID, Object: obj, To: []string{p}, Published: s.now()}.MarshalJSON()
		if err != nil {
			return err
		}
		acts = append(acts, [2][]byte{[]byte(remote.Inbox), act})
	}
	return s.node.DB.Update(func(tx *bbolt.Tx) error {
		for _, x := range acts {
			if err := s.queue.EnqueueTx(tx, string(x[0]), x[1]); err != nil {
				return err
			}
		}
		return nil
	})
}

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
