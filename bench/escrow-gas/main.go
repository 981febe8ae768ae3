// Command escrow-gas prints the gas each escrow step uses on a simulated
// chain pinned to Prague rules (what Polygon PoS runs), one line per
// figure: name, gas, target, and whether the target is met. Steps are
// measured in steady state (not the contract's first deal), paying out to
// existing accounts.
//
//	go run ./bench/escrow-gas
package main

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sovereign-marketplace/market/bench/internal/benchkit"
	"github.com/sovereign-marketplace/market/escrow"
	"github.com/sovereign-marketplace/market/escrow/simchain"
)

func main() {
	benchkit.Exit("escrow-gas", run())
}

// figure is one measured step with its target (0: no target, reported only).
type figure struct {
	name   string
	gas    uint64
	target uint64
}

// kleros is the anchor: Kleros' MultipleArbitrableTransaction (v1), measured
// under the same rules on this kind of machine (docs/escrow.md, research
// notes); a dispute there is both parties' fee deposits.
var kleros = map[string]uint64{
	"create+fund":     154_437,
	"confirm/release": 42_084,
	"happy path (create+fund, delivered, release)": 196_521,
	"raise dispute":              88_913 + 200_880,
	"submit evidence":            35_730,
	"execute ruling":             112_986,
	"auto-release after timeout": 62_170,
}

func run() error {
	ctx := context.Background()
	chain, err := simchain.New(12)
	if err != nil {
		return err
	}
	defer chain.Close()
	dep, err := escrow.DeployEVM(ctx, chain.Client(), chain.Keys[0], escrow.DeployOptions{Mine: chain.Mine})
	if err != nil {
		return err
	}
	var last uint64
	e, err := escrow.NewEVM(ctx, chain.Client(), dep.Escrow, escrow.EVMOptions{Keys: chain.Keys, Mine: chain.Mine,
		OnReceipt: func(rc *types.Receipt) { last = rc.GasUsed }})
	if err != nil {
		return err
	}
	p := func(i int) escrow.Party { return escrow.Party(chain.Addrs[i].Hex()) }
	buyer, seller, other := p(1), p(2), p(3)
	voters := []escrow.Party{p(4), p(5), p(6), p(7), p(8)}
	members := voters
	group, err := e.CreateGroup(ctx, p(0), escrow.GroupOptions{VotePeriod: time.Hour, Quorum: 1, Members: members})
	if err != nil {
		return err
	}
	amount := new(big.Int).Set(simchain.Ether)
	var figs []figure
	measure := func(name string, target uint64, f func() error) error {
		if err := f(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		figs = append(figs, figure{name, last, target})
		return nil
	}
	newDeal := func() (escrow.DealID, error) {
		d, err := e.CreateAndFund(ctx, escrow.CreateRequest{By: buyer, Buyer: buyer, Seller: seller, Amount: amount, Currency: escrow.Native, Group: group})
		return d.ID, err
	}
	// Warm-up: the contract's first deal writes its counters for the first time.
	if _, err := newDeal(); err != nil {
		return err
	}
	var id escrow.DealID
	if err := measure("create+fund", 80_000, func() (err error) { id, err = newDeal(); return err }); err != nil {
		return err
	}
	req := func(by escrow.Party) escrow.Request { return escrow.Request{Deal: id, By: by} }
	if err := measure("mark delivered", 35_000, func() error { _, err := e.Deliver(ctx, req(seller)); return err }); err != nil {
		return err
	}
	if err := measure("confirm/release", 45_000, func() error { _, err := e.Confirm(ctx, req(buyer)); return err }); err != nil {
		return err
	}
	figs = append(figs, figure{"happy path (create+fund, delivered, release)", figs[0].gas + figs[1].gas + figs[2].gas, 160_000})

	// Dispute path: raise, 5 open votes, execute (ruling and payout).
	if id, err = newDeal(); err != nil {
		return err
	}
	if err := measure("raise dispute", 130_000, func() error { _, err := e.Dispute(ctx, req(buyer)); return err }); err != nil {
		return err
	}
	if err := measure("submit evidence", 0, func() error {
		r := req(seller)
		r.EvidenceURI, r.EvidenceHash = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi", common.Hash{1}.Hex()
		_, err := e.Evidence(ctx, r)
		return err
	}); err != nil {
		return err
	}
	for i, v := range voters {
		name, target := "one vote", uint64(60_000)
		if i > 0 {
			name, target = fmt.Sprintf("vote %d of 5", i+1), 0
		}
		if err := measure(name, target, func() error { return e.Vote(ctx, id, v, escrow.Ruling(1+i%2)) }); err != nil {
			return err
		}
	}
	if err := chain.Advance(time.Hour); err != nil {
		return err
	}
	if err := measure("execute ruling", 85_000, func() error { _, err := e.ExecuteRuling(ctx, id, other); return err }); err != nil {
		return err
	}

	// Commit-reveal and timeouts, reported without targets.
	crGroup, err := e.CreateGroup(ctx, p(0), escrow.GroupOptions{VotePeriod: time.Hour, RevealPeriod: time.Hour, Quorum: 1, Members: members})
	if err != nil {
		return err
	}
	d, err := e.CreateAndFund(ctx, escrow.CreateRequest{By: buyer, Buyer: buyer, Seller: seller, Amount: amount, Currency: escrow.Native, Group: crGroup})
	if err != nil {
		return err
	}
	id = d.ID
	if _, err := e.Dispute(ctx, req(seller)); err != nil {
		return err
	}
	salt := [32]byte{7}
	if err := measure("commit vote", 0, func() error { return e.Commit(ctx, id, voters[0], escrow.RulingSeller, salt) }); err != nil {
		return err
	}
	if err := chain.Advance(time.Hour); err != nil {
		return err
	}
	if err := measure("reveal vote", 0, func() error { return e.Reveal(ctx, id, voters[0], escrow.RulingSeller, salt) }); err != nil {
		return err
	}
	if id, err = newDeal(); err != nil {
		return err
	}
	if _, err := e.Deliver(ctx, req(seller)); err != nil {
		return err
	}
	if err := chain.Advance(escrow.DefaultTimeouts.Confirm); err != nil {
		return err
	}
	if err := measure("auto-release after timeout", 0, func() error { _, err := e.Timeout(ctx, req(other)); return err }); err != nil {
		return err
	}
	figs = append(figs, figure{"deploy escrow+arbitrator", dep.Gas, 0})

	fmt.Printf("# escrow gas, simulated chain with %s rules, go-ethereum v1.17.10\n", simchain.Fork)
	for _, f := range figs {
		line := fmt.Sprintf("%-46s %8d gas", f.name, f.gas)
		if f.target != 0 {
			verdict := "met"
			if f.gas > f.target {
				verdict = "not met"
			}
			line += fmt.Sprintf("  target <= %d  %s", f.target, verdict)
		}
		if k := kleros[f.name]; k != 0 {
			line += fmt.Sprintf("  (%.2fx Kleros MAT %d)", float64(f.gas)/float64(k), k)
		}
		fmt.Println(line)
	}
	return nil
}
