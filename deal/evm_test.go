package deal

import (
	"errors"
	"strings"
	"testing"

	"github.com/sovereign-marketplace/market/listing"
)

const (
	contract  = "0x5fbdb2315678afecb367f032d93f642f64180aa3"
	token     = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512"
	buyerEVM  = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"
	sellerEVM = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc"
)

// evmDeal is an accepted hour of consulting on an EVM escrow paid in a
// 6-decimal token, with both addresses bound.
func evmDeal(t *testing.T) *Deal {
	t.Helper()
	l := consulting(listing.PriceHourly, "200")
	e := listing.Escrow{Kind: listing.EscrowEVM, ChainID: 137, Contract: contract, Token: strings.ToUpper(token[:4]) + token[4:], Decimals: 6}
	l.Escrows = append(l.Escrows, e)
	terms, err := Price(l, buyer, 1, "", strings.ToUpper(e.Ref()))
	if err != nil {
		t.Fatal(err)
	}
	if terms.Escrow != e.Ref() || terms.EVM == nil || terms.EVM.Amount != "200000000" || terms.EVM.Token != token || terms.EVM.ChainID != 137 {
		t.Fatalf("EVM terms %+v of %s", terms.EVM, terms.Escrow)
	}
	terms.EVM.Buyer = buyerEVM
	d := New("https://buyer.example/deals/1", "https://buyer.example/activities/1", RoleBuyer, terms, buyer, t0)
	d.Expires = t0.Add(DefaultLifetime)
	if err := d.Answer("accept", seller, "https://seller.example/activities/2", t0); err != nil {
		t.Fatal(err)
	}
	if err := d.AcceptEVM(&Offered{BuyerAddress: buyerEVM, SellerAddress: sellerEVM}); err != nil {
		t.Fatal(err)
	}
	return d
}

func chainEvents(steps ...string) []ChainEvent {
	by := map[string]string{"create": buyerEVM, "fund": buyerEVM, "deliver": sellerEVM, "confirm": buyerEVM, "complete": sellerEVM}
	var out []ChainEvent
	from := "accepted"
	for _, s := range steps {
		to := map[string]string{"create": "created", "fund": "funded", "deliver": "delivered", "confirm": "confirmed", "complete": "completed"}[s]
		f := from
		if s == "create" {
			f = ""
		}
		out = append(out, ChainEvent{Action: s, From: f, To: to, By: strings.ToUpper(by[s][:4]) + by[s][4:], At: t0})
		from = to
	}
	return out
}

func TestMirrorChain(t *testing.T) {
	good := func(d *Deal) OnChain {
		return OnChain{ID: 7, Buyer: buyerEVM, Seller: sellerEVM, Token: token, Amount: "200000000", Ref: ChainRef(d.ID)}
	}
	for name, tc := range map[string]struct {
		change func(c *OnChain)
		want   error
	}{
		"another agreement's":   {func(c *OnChain) { c.Ref = ChainRef("https://buyer.example/deals/2") }, ErrForbidden},
		"no reference":          {func(c *OnChain) { c.Ref = nil }, ErrForbidden},
		"another buyer":         {func(c *OnChain) { c.Buyer = "0x90f79bf6eb2c4f870365e785982e1f101e93b906" }, ErrForbidden},
		"another seller":        {func(c *OnChain) { c.Seller = buyerEVM }, ErrForbidden},
		"another amount":        {func(c *OnChain) { c.Amount = "1" }, ErrInvalid},
		"another token":         {func(c *OnChain) { c.Token = listing.NativeToken }, ErrInvalid},
		"parties the other way": {func(c *OnChain) { c.Buyer, c.Seller = c.Seller, c.Buyer }, ErrForbidden},
	} {
		d := evmDeal(t)
		c := good(d)
		tc.change(&c)
		if changed, err := d.MirrorChain(c, chainEvents("create", "fund")); changed || !errors.Is(err, tc.want) {
			t.Errorf("%s: changed %v, %v; want %v", name, changed, err, tc.want)
		}
		if d.State != StateAccepted || d.EscrowDeal != 0 {
			t.Errorf("%s: the copy became %s, tied to %d", name, d.State, d.EscrowDeal)
		}
	}

	d := evmDeal(t)
	if changed, err := d.MirrorChain(good(d), chainEvents("create", "fund")); !changed || err != nil || d.State != "funded" || d.EscrowDeal != 7 {
		t.Fatalf("the agreed deal: %v %v, %s %d", changed, err, d.State, d.EscrowDeal)
	}
	if d.History[len(d.History)-1].By != buyer {
		t.Errorf("the fund is by %s, want the buyer's actor", d.History[len(d.History)-1].By)
	}
	// Read again: nothing changes; the next events apply once.
	if changed, err := d.MirrorChain(good(d), chainEvents("create", "fund")); changed || err != nil {
		t.Errorf("the same events again: %v %v", changed, err)
	}
	other := good(d)
	other.ID = 8
	if changed, err := d.MirrorChain(other, chainEvents("create", "fund", "deliver")); changed || !errors.Is(err, ErrInvalid) {
		t.Errorf("a second on-chain deal for the tied agreement: %v %v", changed, err)
	}
	if changed, err := d.MirrorChain(good(d), chainEvents("create", "fund", "deliver", "confirm")); !changed || err != nil || d.State != "confirmed" {
		t.Errorf("deliver and confirm: %v %v %s", changed, err, d.State)
	}

	// The seller's Accept must keep the buyer's address and name another.
	d = evmDeal(t)
	for _, o := range []*Offered{{BuyerAddress: sellerEVM, SellerAddress: sellerEVM}, {BuyerAddress: buyerEVM}, {BuyerAddress: buyerEVM, SellerAddress: buyerEVM}} {
		if err := d.AcceptEVM(o); !errors.Is(err, ErrInvalid) {
			t.Errorf("AcceptEVM(%+v) = %v", o, err)
		}
	}
	// A token amount beyond the contract's 96 bits is refused at pricing.
	l := consulting(listing.PriceFixed, "1")
	l.Escrows = []listing.Escrow{{Kind: listing.EscrowEVM, ChainID: 1, Contract: contract, Token: listing.NativeToken, Decimals: 36}}
	if _, err := Price(l, buyer, MaxQuantity, "", l.Escrows[0].Ref()); !errors.Is(err, ErrInvalid) {
		t.Errorf("a 96-bit overflow priced: %v", err)
	}
}

func TestAgreementCarriesEVMAddresses(t *testing.T) {
	d := evmDeal(t)
	o, err := DecodeAgreement(Agreement(d, "hour"))
	if err != nil {
		t.Fatal(err)
	}
	if o.Escrow != d.Escrow || o.BuyerAddress != buyerEVM || o.SellerAddress != sellerEVM {
		t.Fatalf("decoded %+v", o)
	}
	raw := string(Agreement(d, "hour"))
	for name, bad := range map[string]string{
		"buyer address not hex": strings.Replace(raw, buyerEVM, "0xnothex", 1),
		"seller address zero":   strings.Replace(raw, sellerEVM, "0x"+strings.Repeat("0", 40), 1),
		"escrow ref malformed":  strings.Replace(raw, d.Escrow, "eip155:137:<script>/native", 1),
	} {
		if _, err := DecodeAgreement([]byte(bad)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
