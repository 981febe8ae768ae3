package escrow_test

import (
	"context"
	"fmt"
	"log"
	"math/big"
	"os"
	"path/filepath"

	"github.com/sovereign-marketplace/market/escrow"
)

// A deal on the ledger: created, funded, delivered, confirmed; the seller
// is then owed the amount.
func ExampleLedger() {
	dir, err := os.MkdirTemp("", "escrow-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	l, err := escrow.OpenLedger(filepath.Join(dir, "escrow.db"), escrow.LedgerOptions{Arbitrator: "did:web:court.example"})
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	buyer, seller := escrow.Party("did:web:alice.example"), escrow.Party("did:web:bob.example")
	d, err := l.Create(ctx, escrow.CreateRequest{By: buyer, Buyer: buyer, Seller: seller,
		Amount: big.NewInt(1250), Currency: "EUR", IdempotencyKey: "offer-1"})
	if err != nil {
		log.Fatal(err)
	}
	for _, step := range []struct {
		a  escrow.Action
		by escrow.Party
	}{{escrow.ActionFund, buyer}, {escrow.ActionDeliver, seller}, {escrow.ActionConfirm, buyer}} {
		if d, err = escrow.Do(ctx, l, step.a, escrow.Request{Deal: d.ID, By: step.by}); err != nil {
			log.Fatal(err)
		}
		fmt.Println(step.a, "->", d.Status)
	}
	owed, _ := l.Balance(ctx, seller, "EUR")
	fmt.Println("seller is owed", owed, "EUR cents")
	_, err = l.Refund(ctx, escrow.Request{Deal: d.ID, By: seller})
	fmt.Println(err)
	// Output:
	// fund -> funded
	// deliver -> delivered
	// confirm -> confirmed
	// seller is owed 1250 EUR cents
	// refund deal 1: escrow: action not allowed in this state: refund from "confirmed"
}
