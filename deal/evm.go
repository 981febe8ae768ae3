package deal

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"github.com/sovereign-marketplace/market/listing"
)

// EVMTerms are the on-chain side of a deal held by an EVM escrow: where
// (chain, Escrow contract, token), how much in the token's base units,
// and the two parties' addresses, each bound to its actor by the
// party's own signed activity (the buyer's Offer, the seller's Accept).
type EVMTerms struct {
	ChainID  uint64 `json:"chain_id"`
	Contract string `json:"contract"` // lower case 0x address
	Token    string `json:"token"`    // "native" or a lower case 0x address
	// Amount is the total in the token's base units (decimal string).
	Amount string `json:"amount"`
	Buyer  string `json:"buyer_address,omitempty"`
	Seller string `json:"seller_address,omitempty"`
}

// evmTerms are the on-chain terms of a deal of amount (minor units of
// currency) held by escrow e; nil for a ledger escrow.
func evmTerms(e listing.Escrow, amount, currency string) (*EVMTerms, error) {
	if e.Kind != listing.EscrowEVM {
		return nil, nil
	}
	base, err := e.BaseUnits(amount, currency)
	if err != nil {
		return nil, fmt.Errorf("%w: escrow: %v", ErrInvalid, err)
	}
	if base.BitLen() > 96 {
		return nil, fmt.Errorf("%w: escrow: %s base units exceed the Escrow contract's 96-bit amounts", ErrInvalid, base)
	}
	return &EVMTerms{ChainID: e.ChainID, Contract: strings.ToLower(e.Contract), Token: strings.ToLower(e.Token), Amount: base.String()}, nil
}

// Address normalizes an EVM address a party names for itself: a 0x
// address of 40 hex digits, not zero, in lower case. field names it in
// the error.
func Address(field, a string) (string, error) {
	if !listing.IsHexAddress(a) || strings.Trim(a[2:], "0") == "" {
		return "", fmt.Errorf("%w: %s: must be a non-zero 0x address of 40 hex digits, got %q", ErrInvalid, field, short(a))
	}
	return strings.ToLower(a), nil
}

// EVMParty is the actor of d whose bound address is addr (either case),
// or "" when addr is neither party's.
func (d *Deal) EVMParty(addr string) string {
	if d.EVM == nil {
		return ""
	}
	switch strings.ToLower(addr) {
	case d.EVM.Buyer:
		return d.Buyer
	case d.EVM.Seller:
		return d.Seller
	}
	return ""
}

// ChainRef is what ties an on-chain deal to its agreement: the SHA-256 of
// the agreement's id, which the buyer's hub puts in the transaction that
// creates the deal on chain (escrow.CreateRequest.Ref).
func ChainRef(agreement string) []byte {
	sum := sha256.Sum256([]byte(agreement))
	return sum[:]
}

// OnChain is a deal as the Escrow contract holds it.
type OnChain struct {
	ID     uint64
	Buyer  string // 0x addresses, any case
	Seller string
	Token  string // "native" or a 0x address
	Amount string // base units
	// Ref is what its creating transaction carried (see ChainRef).
	Ref []byte
}

// ChainEvent is one step of an on-chain deal, oldest first; By is the
// address that took it.
type ChainEvent struct {
	Action, From, To, By string
	At                   time.Time
}

// MirrorChain applies the events of on-chain deal c to d, as Mirror does
// with an escrow agent's report, once c is shown to be d's own: created
// for d's agreement (c.Ref is ChainRef(d.ID)), between the addresses the
// parties bound in the Offer and the Accept, in the agreed token and
// amount, and the on-chain deal d is already tied to, if any. Anything
// else changes nothing and says what differs. It reports whether the copy
// changed.
func (d *Deal) MirrorChain(c OnChain, events []ChainEvent) (bool, error) {
	if d.EVM == nil {
		return false, fmt.Errorf("%w: deal %s is not held by an EVM escrow", ErrInvalid, d.ID)
	}
	e := d.EVM
	switch {
	case !bytes.Equal(c.Ref, ChainRef(d.ID)):
		return false, fmt.Errorf("%w: on-chain deal %d was not created for agreement %s", ErrForbidden, c.ID, d.ID)
	case d.EscrowDeal != 0 && d.EscrowDeal != c.ID:
		return false, fmt.Errorf("%w: the agreement is tied to on-chain deal %d, not %d", ErrInvalid, d.EscrowDeal, c.ID)
	case e.Buyer == "" || e.Seller == "":
		return false, fmt.Errorf("%w: the deal's addresses are not both bound yet (the seller's Accept names its own)", ErrInvalidState)
	case !strings.EqualFold(c.Buyer, e.Buyer) || !strings.EqualFold(c.Seller, e.Seller):
		return false, fmt.Errorf("%w: on-chain deal %d is between %s and %s, the agreement between %s and %s", ErrForbidden, c.ID, c.Buyer, c.Seller, e.Buyer, e.Seller)
	case !strings.EqualFold(c.Token, e.Token) || c.Amount != e.Amount:
		return false, fmt.Errorf("%w: on-chain deal %d holds %s of %s, the agreement %s of %s", ErrInvalid, c.ID, c.Amount, c.Token, e.Amount, e.Token)
	}
	u := &Update{ID: fmt.Sprintf("%s#%d", d.Escrow, c.ID), Agent: d.Escrow, Agreement: d.ID, Deal: c.ID,
		Buyer: d.Buyer, Seller: d.Seller, Amount: d.Amount, Currency: d.Currency}
	for i, ev := range events {
		by := d.EVMParty(ev.By)
		if by == "" {
			by = strings.ToLower(ev.By) // a timeout anyone may apply
		}
		u.Events = append(u.Events, Event{Seq: i + 1, Action: ev.Action, From: ev.From, To: ev.To, By: by, At: ev.At})
	}
	return d.Mirror(u)
}

// AcceptEVM takes the seller's address from the Agreement of its Accept
// (o), on the buyer's side of a deal held by an EVM escrow: the buyer's
// address must be the one offered, the seller's another one.
func (d *Deal) AcceptEVM(o *Offered) error {
	if d.EVM == nil {
		return nil
	}
	if o.BuyerAddress != d.EVM.Buyer {
		return fmt.Errorf("%w: the accepted Agreement's buyerAddress %q is not the offered %s", ErrInvalid, short(o.BuyerAddress), d.EVM.Buyer)
	}
	if o.SellerAddress == "" || o.SellerAddress == d.EVM.Buyer {
		return fmt.Errorf("%w: the accepted Agreement's sellerAddress must be the seller's own EVM address, got %q", ErrInvalid, short(o.SellerAddress))
	}
	d.EVM.Seller = o.SellerAddress
	return nil
}
