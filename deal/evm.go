package deal

import (
	"fmt"
	"strings"

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
