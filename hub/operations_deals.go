package hub

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sovereign-marketplace/market/deal"
	"github.com/sovereign-marketplace/market/listing"
)

// DealSummary is one line of `market hub deals list` and `offers list`.
type DealSummary struct {
	Key          string     `json:"key"`
	Role         deal.Role  `json:"role"`
	Direction    string     `json:"direction,omitempty"` // offers: in (to the owner) or out (by the owner)
	State        deal.State `json:"state"`
	Listing      string     `json:"listing"`
	Kind         string     `json:"kind,omitempty"`
	Quantity     int64      `json:"quantity"`
	Amount       string     `json:"amount"`
	Currency     string     `json:"currency"`
	Counterparty string     `json:"counterparty"`
	Escrow       string     `json:"escrow,omitempty"`
	Expires      time.Time  `json:"expires"`
	Updated      time.Time  `json:"updated"`
}

// dealSummaries lists the owner's deals in short, only the open offers
// when offers.
func (s *Server) dealSummaries(offers bool) (map[string]any, error) {
	ds, err := s.Deals()
	if err != nil {
		return nil, err
	}
	out := []DealSummary{}
	for _, d := range ds {
		if offers && d.State != deal.StateOffered {
			continue
		}
		v := DealSummary{Key: dealKey(d.ID), Role: d.Role, State: d.State, Listing: d.Listing, Kind: string(d.Kind()), Quantity: d.Quantity,
			Amount: d.Amount, Currency: d.Currency, Counterparty: d.Counterparty(), Escrow: d.Escrow, Expires: d.Expires, Updated: d.Updated}
		if offers {
			v.Direction = map[deal.Role]string{deal.RoleSeller: "in", deal.RoleBuyer: "out"}[d.Role]
		}
		out = append(out, v)
	}
	name := "deals"
	if offers {
		name = "offers"
	}
	return map[string]any{name: out, "total": len(out)}, nil
}

// answerOp is an operation's answer of a deal.
func answerOp(d *deal.Deal, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return dealView(d), nil
}

// queuedOp is an operation's answer of a deal action queued for the
// escrow agent.
func queuedOp(d *deal.Deal, err error) func(action string) (any, error) {
	return func(action string) (any, error) {
		if err != nil {
			return nil, err
		}
		v := dealView(d)
		v.Queued = action
		return v, nil
	}
}

// offerWords reads `offers make`'s words: key=value pairs of quantity,
// amount, escrow and expires_in.
func offerWords(listingURL, words string) (OfferRequest, error) {
	req := OfferRequest{Listing: listingURL}
	for _, w := range strings.Fields(words) {
		k, v, ok := strings.Cut(w, "=")
		switch {
		case !ok:
			return req, fmt.Errorf("%w: %q: the words after the listing are key=value (quantity, amount, escrow, expires_in)", ErrInvalid, short(w))
		case k == "quantity":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return req, fmt.Errorf("%w: quantity: a whole number of units or hours, got %q", ErrInvalid, short(v))
			}
			req.Quantity = n
		case k == "amount":
			req.Amount = v
		case k == "escrow":
			req.Escrow = v
		case k == "expires_in":
			req.ExpiresIn = v
		default:
			return req, fmt.Errorf("%w: %q: not one of quantity, amount, escrow, expires_in", ErrInvalid, short(k))
		}
	}
	return req, nil
}

// firstEscrow is the first escrow agent a listing accepts, fetched from
// its origin ("" when none or the listing cannot be read: MakeOffer then
// says why).
func (s *Server) firstEscrow(ctx context.Context, listingURL string) string {
	if !listing.IsHTTPURL(listingURL) {
		return ""
	}
	body, err := s.client.FetchObject(ctx, listingURL)
	if err != nil {
		return ""
	}
	l, err := listing.Decode(body)
	if err != nil || l.Free() {
		return ""
	}
	for _, e := range l.Escrows {
		if e.Kind == listing.EscrowLedger {
			return e.Agent
		}
	}
	return ""
}

// makeOfferOp is `market hub offers make`: an offer from words, with the
// listing's first escrow agent when none is named.
func (s *Server) makeOfferOp(ctx context.Context, ref, words string) (any, error) {
	req, err := offerWords(ref, words)
	if err != nil {
		return nil, err
	}
	if req.Escrow == "" {
		req.Escrow = s.firstEscrow(ctx, req.Listing)
	}
	if req.Quantity == 0 && req.Amount == "" {
		req.Quantity = 1
	}
	d, err := s.MakeOffer(ctx, req)
	if err != nil {
		return nil, err
	}
	return dealView(d), nil
}
