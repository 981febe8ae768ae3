package deal

import (
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sovereign-marketplace/market/escrow"
	"github.com/sovereign-marketplace/market/listing"
)

// Object types on the wire: FEP-0837's Agreement and Commitment, and our
// EscrowRequest (a party asks the agent to act) and EscrowUpdate (the
// agent tells both parties what happened), all in listing's context.
const (
	TypeAgreement     = "Agreement"
	TypeEscrowRequest = "EscrowRequest"
	TypeEscrowUpdate  = "EscrowUpdate"
)

// MaxEvents bounds the events one EscrowUpdate carries.
const MaxEvents = 32

var wireContext = []any{listing.ActivityStreams, listing.ContextIRI}

type quantity struct {
	HasUnit           string `json:"hasUnit"`
	HasNumericalValue string `json:"hasNumericalValue"`
}

type commitment struct {
	Type             string   `json:"type"`
	Satisfies        string   `json:"satisfies"`
	ResourceQuantity quantity `json:"resourceQuantity"`
}

type agreementWire struct {
	Context      []any      `json:"@context,omitempty"`
	Type         string     `json:"type"`
	ID           string     `json:"id"`
	AttributedTo string     `json:"attributedTo"`
	Stipulates   commitment `json:"stipulates"`
	Reciprocal   commitment `json:"stipulatesReciprocal"`
	Currency     string     `json:"currency"`
	Escrow       string     `json:"escrow,omitempty"`
	// The parties' addresses on an EVM escrow's chain: the buyer's in
	// its Offer, the seller's in its Accept.
	BuyerAddress  string `json:"buyerAddress,omitempty"`
	SellerAddress string `json:"sellerAddress,omitempty"`
	EndTime       string `json:"endTime"`
	URL           string `json:"url,omitempty"`
}

// Agreement is the FEP-0837 Agreement of d's terms, as the buyer's hub
// offers it: what is bought (the listing's primary Intent, quantity in
// units or hours), what is paid (its reciprocal Intent, the total in
// minor units of currency), the escrow agent picked, and when the offer
// ends. The id is d.ID and attributedTo the buyer.
func Agreement(d *Deal, unit string) json.RawMessage {
	a := agreementWire{Context: wireContext, Type: TypeAgreement, ID: d.ID, AttributedTo: d.Buyer,
		Stipulates: commitment{Type: "Commitment", Satisfies: d.Listing + "#primary",
			ResourceQuantity: quantity{HasUnit: unit, HasNumericalValue: strconv.FormatInt(d.Quantity, 10)}},
		Reciprocal: commitment{Type: "Commitment", Satisfies: d.Listing + "#reciprocal",
			ResourceQuantity: quantity{HasUnit: "one", HasNumericalValue: d.Amount}},
		Currency: d.Currency, Escrow: d.Escrow, EndTime: d.Expires.UTC().Format(time.RFC3339), URL: d.ID}
	if d.EVM != nil {
		a.BuyerAddress, a.SellerAddress = d.EVM.Buyer, d.EVM.Seller
	}
	b, _ := json.Marshal(a)
	return b
}

// Offered is an Agreement as a seller's hub reads it from an Offer.
type Offered struct {
	ID       string
	Buyer    string
	Listing  string // the listing's object id
	Quantity int64
	Amount   string // minor units
	Currency string
	Escrow   string
	// BuyerAddress and SellerAddress are the parties' EVM addresses
	// (lower case), when the Agreement names them.
	BuyerAddress, SellerAddress string
	Expires                     time.Time
}

// DecodeAgreement reads an Agreement from outside with bounds: every id an
// http(s) URL of at most listing.MaxURL characters, the commitments
// naming the same listing's intents, a quantity from 1 to MaxQuantity, an
// amount of at most 20 digits, a currency of at most 64 characters.
func DecodeAgreement(raw json.RawMessage) (*Offered, error) {
	var a agreementWire
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, fmt.Errorf("%w: agreement: %v", ErrInvalid, err)
	}
	if a.Type != TypeAgreement {
		return nil, fmt.Errorf("%w: agreement: type must be %q, got %q", ErrInvalid, TypeAgreement, short(a.Type))
	}
	for field, v := range map[string]string{"id": a.ID, "attributedTo": a.AttributedTo} {
		if !isURL(v) {
			return nil, fmt.Errorf("%w: agreement %s: must be an http(s) URL, got %q", ErrInvalid, field, short(v))
		}
	}
	if a.Escrow != "" && !listing.IsEscrowRef(a.Escrow) {
		return nil, fmt.Errorf("%w: agreement escrow: must be an escrow agent's actor URL or an EVM escrow's eip155 reference, got %q", ErrInvalid, short(a.Escrow))
	}
	addrs := map[string]*string{"buyerAddress": &a.BuyerAddress, "sellerAddress": &a.SellerAddress}
	for field, v := range addrs {
		if *v == "" {
			continue
		}
		n, err := Address("agreement "+field, *v)
		if err != nil {
			return nil, err
		}
		*v = n
	}
	lst, ok := strings.CutSuffix(a.Stipulates.Satisfies, "#primary")
	if !ok || !isURL(lst) || a.Reciprocal.Satisfies != lst+"#reciprocal" {
		return nil, fmt.Errorf("%w: agreement: stipulates and stipulatesReciprocal must satisfy one listing's #primary and #reciprocal intents", ErrInvalid)
	}
	q, err := strconv.ParseInt(a.Stipulates.ResourceQuantity.HasNumericalValue, 10, 64)
	if err != nil || q < 1 || q > MaxQuantity {
		return nil, fmt.Errorf("%w: agreement quantity: must be a whole number from 1 to %d, got %q", ErrInvalid, MaxQuantity, short(a.Stipulates.ResourceQuantity.HasNumericalValue))
	}
	amount := a.Reciprocal.ResourceQuantity.HasNumericalValue
	if !validAmount(amount, true) {
		return nil, fmt.Errorf("%w: agreement amount: must be minor units, a whole number of at most 20 digits, got %q", ErrInvalid, short(amount))
	}
	if a.Currency == "" || len(a.Currency) > 64 || strings.ContainsAny(a.Currency, " /\t\r\n") {
		return nil, fmt.Errorf("%w: agreement currency: must be 1-64 characters without spaces or '/', got %q", ErrInvalid, short(a.Currency))
	}
	end, err := time.Parse(time.RFC3339, a.EndTime)
	if err != nil {
		return nil, fmt.Errorf("%w: agreement endTime: must be an RFC 3339 time, got %q", ErrInvalid, short(a.EndTime))
	}
	return &Offered{ID: a.ID, Buyer: a.AttributedTo, Listing: lst, Quantity: q, Amount: amount, Currency: a.Currency, Escrow: a.Escrow,
		BuyerAddress: a.BuyerAddress, SellerAddress: a.SellerAddress, Expires: end.UTC()}, nil
}

// Request is a party's signed request to the escrow agent: take Action
// on the deal of Agreement. A create also names the parties and money.
type Request struct {
	ID        string `json:"id"`
	By        string `json:"attributedTo"`
	Action    string `json:"escrowAction"`
	Agreement string `json:"agreement"`
	Deal      uint64 `json:"escrowDeal,omitempty"`
	Buyer     string `json:"buyer,omitempty"`
	Seller    string `json:"seller,omitempty"`
	Amount    string `json:"escrowAmount,omitempty"`
	Currency  string `json:"currency,omitempty"`
}

// Object is the request as the object of the party's Create.
func (r *Request) Object() json.RawMessage {
	b, _ := json.Marshal(struct {
		Context []any  `json:"@context"`
		Type    string `json:"type"`
		*Request
	}{wireContext, TypeEscrowRequest, r})
	return b
}

// requestActions are the escrow actions a party may ask for.
var requestActions = []escrow.Action{escrow.ActionCreate, escrow.ActionFund, escrow.ActionDeliver, escrow.ActionConfirm, escrow.ActionComplete, escrow.ActionRefund, escrow.ActionTimeout}

// DecodeRequest reads an EscrowRequest with bounds.
func DecodeRequest(raw json.RawMessage) (*Request, error) {
	var w struct {
		Type string `json:"type"`
		Request
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, fmt.Errorf("%w: escrow request: %v", ErrInvalid, err)
	}
	r := &w.Request
	if w.Type != TypeEscrowRequest {
		return nil, fmt.Errorf("%w: escrow request: type must be %q", ErrInvalid, TypeEscrowRequest)
	}
	if !isURL(r.ID) || !isURL(r.By) || !isURL(r.Agreement) {
		return nil, fmt.Errorf("%w: escrow request: id, attributedTo and agreement must be http(s) URLs", ErrInvalid)
	}
	if !slices.Contains(requestActions, escrow.Action(r.Action)) {
		return nil, fmt.Errorf("%w: escrow request: escrowAction %q is not one of %v", ErrInvalid, short(r.Action), requestActions)
	}
	if r.Action == string(escrow.ActionCreate) {
		if !isURL(r.Buyer) || !isURL(r.Seller) || r.Buyer == r.Seller || !validAmount(r.Amount, false) || r.Currency == "" || len(r.Currency) > 64 {
			return nil, fmt.Errorf("%w: escrow request: a create names two different parties (buyer, seller), a positive escrowAmount in minor units and a currency", ErrInvalid)
		}
	} else if r.Deal == 0 || r.Deal > 1<<53 {
		return nil, fmt.Errorf("%w: escrow request: escrowDeal must be the agent's deal number", ErrInvalid)
	}
	return r, nil
}

// Event is one step of a deal's history at the agent.
type Event struct {
	Seq    int       `json:"escrowSeq"`
	Action string    `json:"escrowAction"`
	From   string    `json:"previousStatus,omitempty"`
	To     string    `json:"escrowStatus"`
	By     string    `json:"party"`
	At     time.Time `json:"published"`
}

// Update is the agent's report of a deal: its parties and money and its
// whole history so far (so that a lost or late update is made good by
// the next one).
type Update struct {
	ID        string  `json:"id"`
	Agent     string  `json:"attributedTo"`
	Agreement string  `json:"agreement"`
	Deal      uint64  `json:"escrowDeal"`
	Buyer     string  `json:"buyer"`
	Seller    string  `json:"seller"`
	Amount    string  `json:"escrowAmount"`
	Currency  string  `json:"currency"`
	Events    []Event `json:"orderedItems"`
}

// Object is the update as the object of the agent's Create.
func (u *Update) Object() json.RawMessage {
	b, _ := json.Marshal(struct {
		Context []any  `json:"@context"`
		Type    string `json:"type"`
		*Update
	}{wireContext, TypeEscrowUpdate, u})
	return b
}

// DecodeUpdate reads an EscrowUpdate with bounds: at most MaxEvents
// events, numbered from 1 without gaps, with known actions and statuses.
func DecodeUpdate(raw json.RawMessage) (*Update, error) {
	var w struct {
		Type string `json:"type"`
		Update
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, fmt.Errorf("%w: escrow update: %v", ErrInvalid, err)
	}
	u := &w.Update
	switch {
	case w.Type != TypeEscrowUpdate:
		return nil, fmt.Errorf("%w: escrow update: type must be %q", ErrInvalid, TypeEscrowUpdate)
	case !isURL(u.ID) || !isURL(u.Agent) || !isURL(u.Agreement) || !isURL(u.Buyer) || !isURL(u.Seller):
		return nil, fmt.Errorf("%w: escrow update: id, attributedTo, agreement, buyer and seller must be http(s) URLs", ErrInvalid)
	case u.Deal == 0 || u.Deal > 1<<53 || !validAmount(u.Amount, false) || u.Currency == "" || len(u.Currency) > 64:
		return nil, fmt.Errorf("%w: escrow update: escrowDeal, escrowAmount or currency out of range", ErrInvalid)
	case len(u.Events) == 0 || len(u.Events) > MaxEvents:
		return nil, fmt.Errorf("%w: escrow update: 1 to %d events, got %d", ErrInvalid, MaxEvents, len(u.Events))
	}
	for i, ev := range u.Events {
		if ev.Seq != i+1 || !slices.Contains(escrow.Actions, escrow.Action(ev.Action)) || !isStatus(ev.To) || (ev.From != "" && !isStatus(ev.From)) || !isURL(ev.By) || ev.At.IsZero() {
			return nil, fmt.Errorf("%w: escrow update: event %d is malformed", ErrInvalid, i+1)
		}
	}
	return u, nil
}

func isStatus(s string) bool { return slices.Contains(escrow.Statuses, escrow.Status(s)) }

func validAmount(s string, zero bool) bool {
	if len(s) == 0 || len(s) > 20 {
		return false
	}
	a, ok := new(big.Int).SetString(s, 10)
	return ok && a.String() == s && (a.Sign() > 0 || zero && a.Sign() == 0)
}

func isURL(s string) bool { return len(s) <= listing.MaxURL && listing.IsHTTPURL(s) }

func short(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// RefusalResult is the result of the agent's Reject of a party's
// EscrowRequest (the Reject's object, embedded as it was sent): a Note
// saying why.
func RefusalResult(reason string) json.RawMessage {
	if len(reason) > MaxReason {
		reason = strings.ToValidUTF8(reason[:MaxReason], "")
	}
	b, _ := json.Marshal(map[string]string{"type": "Note", "content": reason})
	return b
}

// DecodeRefusal reads the agent's Reject of an EscrowRequest from its
// object and the raw activity: the request refused and the reason (at
// most MaxReason characters kept).
func DecodeRefusal(object, activity json.RawMessage) (*Request, string, error) {
	var w struct {
		Type string `json:"type"`
		Request
	}
	if err := json.Unmarshal(object, &w); err != nil || w.Type != TypeEscrowRequest {
		return nil, "", fmt.Errorf("%w: escrow refusal: the object must be the EscrowRequest refused", ErrInvalid)
	}
	r := &w.Request
	if !isURL(r.ID) || !isURL(r.By) || !isURL(r.Agreement) || !slices.Contains(requestActions, escrow.Action(r.Action)) {
		return nil, "", fmt.Errorf("%w: escrow refusal: the request's id, attributedTo, agreement and escrowAction", ErrInvalid)
	}
	var m struct {
		Result struct {
			Content string `json:"content"`
		} `json:"result"`
	}
	_ = json.Unmarshal(activity, &m)
	reason := strings.TrimSpace(m.Result.Content)
	if reason == "" {
		reason = "no reason given"
	}
	if len(reason) > MaxReason {
		reason = strings.ToValidUTF8(reason[:MaxReason], "") + "…"
	}
	return r, reason, nil
}
