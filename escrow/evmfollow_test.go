package escrow

import (
	"bytes"
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// TestEVMOverJSONRPC drives a token deal through DialEVM against the
// simulated chain served over HTTP on loopback, mined by
// MineWhilePending: the creating transaction carries the Ref, which
// CreationRef reads back; DealsChanged lists the deal in the blocks of its
// events; FundingCalls are the approve and createAndFund a wallet would
// send, byte for byte what CreateAndFund sends.
func TestEVMOverJSONRPC(t *testing.T) {
	w := newEVMWorld(t, false)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	token, err := w.chain.DeployTestToken(ctx, w.chain.Keys[accDeployer])
	if err != nil {
		t.Fatal(err)
	}
	buyer, seller := w.party(accBuyer), w.party(accSeller)
	amount := big.NewInt(200_000_000)
	if err := w.chain.MintTestToken(ctx, w.chain.Keys[accDeployer], token, w.chain.Addrs[accBuyer], amount); err != nil {
		t.Fatal(err)
	}
	srv, err := w.chain.Serve("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	go w.chain.MineWhilePending(ctx, 20*time.Millisecond)
	if _, err := DialEVM(ctx, srv.URL, 1, w.dep.Escrow.Hex(), EVMOptions{}); err == nil {
		t.Fatal("DialEVM accepted a chain id the chain does not have")
	}
	e, err := DialEVM(ctx, srv.URL, 1337, w.dep.Escrow.Hex(), EVMOptions{Keys: w.chain.Keys[accBuyer : accSeller+1], FromBlock: w.dep.Block, ReceiptPoll: 20 * time.Millisecond, Journal: t.TempDir() + "/journal.db"})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if KeyParty(w.chain.Keys[accBuyer]) != buyer || e.ChainID() != 1337 {
		t.Fatalf("KeyParty = %s, ChainID = %d", KeyParty(w.chain.Keys[accBuyer]), e.ChainID())
	}
	if sym, dec, err := e.TokenMeta(ctx, token.Hex()); err != nil || sym != "TST" || dec != 6 {
		t.Fatalf("TokenMeta(test token) = %q, %d, %v; want TST, 6", sym, dec, err)
	}
	if sym, dec, err := e.TokenMeta(ctx, Native); err != nil || sym != "ETH" || dec != 18 {
		t.Fatalf("TokenMeta(native) = %q, %d, %v", sym, dec, err)
	}
	if sym, _, err := e.TokenMeta(ctx, w.dep.Escrow.Hex()); err == nil {
		t.Fatalf("TokenMeta of the escrow contract, which is no token, answered %q", sym)
	}
	for _, s := range []string{"", "USDC<", "ABCDEFGHIJKLM", "U SD"} {
		if tokenSymbol(s) {
			t.Errorf("symbol %q accepted", s)
		}
	}
	from, err := e.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ref := crypto.Keccak256([]byte("https://buyer.example/deals/1"))
	req := CreateRequest{By: buyer, Buyer: buyer, Seller: seller, Amount: amount, Currency: token.Hex(), IdempotencyKey: "fund-1", Ref: ref}
	calls, err := e.FundingCalls(req)
	if err != nil || len(calls) != 2 || calls[0].Method != "approve" || calls[1].To != w.dep.Escrow.Hex() || calls[1].Value != "0" {
		t.Fatalf("FundingCalls = %+v, %v", calls, err)
	}
	d, err := e.CreateAndFund(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != StatusFunded {
		t.Fatalf("deal is %s", d.Status)
	}
	got, err := e.CreationRef(ctx, d.ID)
	if err != nil || !bytes.Equal(got, ref) {
		t.Fatalf("CreationRef = %x, %v; want %x", got, err, ref)
	}
	tx, _, err := e.chainTx(ctx, findCreation(t, e, d.ID))
	if err != nil || common.Bytes2Hex(tx.Data()) != calls[1].Data[2:] {
		t.Fatalf("the wallet's call data differs from the hub's: %v", err)
	}
	if _, err := e.Deliver(ctx, Request{Deal: d.ID, By: seller}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Confirm(ctx, Request{Deal: d.ID, By: buyer}); err != nil {
		t.Fatal(err)
	}
	to, err := e.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := e.DealsChanged(ctx, from+1, to)
	if err != nil || len(ids) != 1 || ids[0] != d.ID {
		t.Fatalf("DealsChanged = %v, %v", ids, err)
	}
	if bal, err := w.chain.TokenBalance(ctx, token, w.chain.Addrs[accSeller]); err != nil || bal.Cmp(amount) != 0 {
		t.Fatalf("the seller holds %v tokens, want %s (%v)", bal, amount, err)
	}
	if calls, err := e.FundingCalls(CreateRequest{By: buyer, Buyer: buyer, Seller: seller, Amount: amount, Currency: Native, Ref: ref}); err != nil ||
		len(calls) != 1 || calls[0].Method != "createAndFund" || calls[0].Value != amount.String() {
		t.Errorf("FundingCalls in the coin = %+v, %v", calls, err)
	}
	if _, err := e.FundingCalls(CreateRequest{By: seller, Buyer: buyer, Seller: seller, Amount: amount, Currency: Native}); err == nil {
		t.Error("FundingCalls for the seller to send")
	}
	if _, err := e.CreateAndFund(ctx, CreateRequest{By: buyer, Buyer: buyer, Seller: seller, Amount: amount, Currency: Native, Ref: make([]byte, MaxRef+1)}); err == nil {
		t.Error("a ref longer than MaxRef was sent")
	}
}

func findCreation(t *testing.T, e *EVM, id DealID) common.Hash {
	t.Helper()
	h, err := e.History(context.Background(), id)
	if err != nil || len(h) == 0 {
		t.Fatal(err)
	}
	return common.HexToHash(h[0].Tx)
}
