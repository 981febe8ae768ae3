package escrow

import (
	"context"
	"math/big"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// laggingNode is a chain endpoint that gives a transaction's receipt
// before its latest block holds the transaction, as a node importing the
// block, or another node behind the same endpoint, does: for the first
// lag reads of the latest header after a receipt, the latest block (for
// headers and calls) is the one before.
type laggingNode struct {
	Chain
	mu      sync.Mutex
	lag     int
	left    int
	behind  bool // reads at the latest block are one block behind
	lagging int  // how many latest-header reads answered behind
}

func (n *laggingNode) TransactionReceipt(ctx context.Context, h common.Hash) (*types.Receipt, error) {
	rc, err := n.Chain.TransactionReceipt(ctx, h)
	if err == nil {
		n.mu.Lock()
		n.behind, n.left = true, n.lag
		n.mu.Unlock()
	}
	return rc, err
}

// back returns the block the node answers "latest" with, nil for the
// real latest one.
func (n *laggingNode) back(ctx context.Context, header bool) (*big.Int, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.behind {
		return nil, nil
	}
	if header {
		if n.left == 0 {
			n.behind = false
			return nil, nil
		}
		n.left--
		n.lagging++
	}
	h, err := n.Chain.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, err
	}
	return new(big.Int).Sub(h.Number, big.NewInt(1)), nil
}

func (n *laggingNode) HeaderByNumber(ctx context.Context, num *big.Int) (*types.Header, error) {
	if num == nil {
		b, err := n.back(ctx, true)
		if err != nil {
			return nil, err
		}
		num = b
	}
	return n.Chain.HeaderByNumber(ctx, num)
}

func (n *laggingNode) CallContract(ctx context.Context, msg ethereum.CallMsg, num *big.Int) ([]byte, error) {
	if num == nil {
		b, err := n.back(ctx, false)
		if err != nil {
			return nil, err
		}
		num = b
	}
	return n.Chain.CallContract(ctx, msg, num)
}

// A deal read right after its transaction is the deal as the transaction
// left it, even from a node whose latest block lags the receipt it gave.
func TestReadAfterReceiptFromLaggingNode(t *testing.T) {
	w := newEVMWorld(t, false)
	ctx := context.Background()
	node := &laggingNode{Chain: w.chain.Client(), lag: 2}
	e, err := NewEVM(ctx, node, w.dep.Escrow, EVMOptions{Keys: w.chain.Keys, Mine: w.chain.Mine, ReceiptPoll: 1})
	if err != nil {
		t.Fatal(err)
	}
	buyer, seller := w.party(accBuyer), w.party(accSeller)
	d, err := e.CreateAndFund(ctx, CreateRequest{By: buyer, Buyer: buyer, Seller: seller, Amount: big.NewInt(1000), Currency: Native})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != StatusFunded {
		t.Fatalf("deal read after its creation is %s, want %s", d.Status, StatusFunded)
	}
	if node.lagging == 0 {
		t.Fatal("the node never answered behind: the test checks nothing")
	}
	d, err = e.Deliver(ctx, Request{Deal: d.ID, By: seller})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != StatusDelivered {
		t.Fatalf("deal read after delivery is %s, want %s", d.Status, StatusDelivered)
	}
}
