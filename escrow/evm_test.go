package escrow

import (
	"context"
	"errors"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/sovereign-marketplace/market/escrow/internal/testcontracts"
	"github.com/sovereign-marketplace/market/escrow/simchain"
)

// Accounts of the simulated chain, by index.
const (
	accDeployer = iota
	accBuyer
	accSeller
	accMediator // an arbitrator that is a plain account
	accStranger
	accVoter0 // and the following ones
)

type evmWorld struct {
	chain *simchain.Chain
	e     *EVM
	dep   Deployment
}

func (w *evmWorld) party(i int) Party { return partyOf(w.chain.Addrs[i]) }

// newEVMWorld starts a chain and deploys the escrow with a mediator account
// as arbitrator (community=false) or with a new CommunityArbitrator.
func newEVMWorld(t *testing.T, community bool) *evmWorld {
	t.Helper()
	chain, err := simchain.New(12)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { chain.Close() })
	ctx := context.Background()
	opts := DeployOptions{Mine: chain.Mine}
	if !community {
		opts.Arbitrator = chain.Addrs[accMediator]
	}
	dep, err := DeployEVM(ctx, chain.Client(), chain.Keys[accDeployer], opts)
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEVM(ctx, chain.Client(), dep.Escrow, EVMOptions{Keys: chain.Keys, Mine: chain.Mine})
	if err != nil {
		t.Fatal(err)
	}
	w := &evmWorld{chain: chain, e: e, dep: dep}
	t.Cleanup(func() {
		if !t.Failed() {
			w.checkBalance(t)
		}
	})
	return w
}

// checkBalance asserts that the contract holds exactly the money of its
// open deals plus its withdrawable credits, per currency.
func (w *evmWorld) checkBalance(t *testing.T, extra ...common.Address) {
	t.Helper()
	ctx := context.Background()
	next, err := bind.Call(w.e.inst, nil, w.e.esc.PackNextId(), w.e.esc.UnpackNextId)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*big.Int{Native: new(big.Int)}
	holders := map[common.Address]bool{}
	for _, a := range append(w.chain.Addrs, extra...) {
		holders[a] = true
	}
	for id := uint64(1); id < next.Uint64(); id++ {
		// Straight from the contract's storage, not through the backend.
		d, err := bind.Call(w.e.inst, nil, w.e.esc.PackGetDeal(new(big.Int).SetUint64(id)), w.e.esc.UnpackGetDeal)
		if err != nil {
			t.Fatal(err)
		}
		holders[d.Buyer], holders[d.Seller] = true, true
		cur := currencyOf(d.Token)
		if want[cur] == nil {
			want[cur] = new(big.Int)
		}
		if evmStatus(d.Status).Holding() {
			want[cur].Add(want[cur], d.Amount)
		}
	}
	for cur, sum := range want {
		for a := range holders {
			c, err := w.e.Credit(ctx, partyOf(a), cur)
			if err != nil {
				t.Fatal(err)
			}
			sum.Add(sum, c)
		}
		var got *big.Int
		if cur == Native {
			got, err = w.chain.Client().BalanceAt(ctx, w.dep.Escrow, nil)
		} else {
			got, err = tokenBalance(w, common.HexToAddress(cur), w.dep.Escrow)
		}
		if err != nil {
			t.Fatal(err)
		}
		if got.Cmp(sum) != 0 {
			t.Errorf("escrow holds %s %s, open deals plus credits are %s", got, cur, sum)
		}
	}
}

func tokenBalance(w *evmWorld, token, who common.Address) (*big.Int, error) {
	tt := testcontracts.NewTestToken()
	return bind.Call(tt.Instance(w.chain.Client(), token), nil, tt.PackBalanceOf(who), tt.UnpackBalanceOf)
}

func evmHarness(t *testing.T) *harness { return evmHarnessFor(newEVMWorld(t, false)) }

// evmHarnessFor is the shared suite's view of a chain world.
func evmHarnessFor(w *evmWorld) *harness {
	return &harness{
		e: w.e, buyer: w.party(accBuyer), seller: w.party(accSeller), arbitrator: w.party(accMediator),
		stranger: w.party(accStranger), amount: new(big.Int).Div(simchain.Ether, big.NewInt(4)), currency: Native,
		timeouts: DefaultTimeouts,
		advance: func(t *testing.T, d time.Duration) {
			if err := w.chain.Advance(d); err != nil {
				t.Fatal(err)
			}
		},
		paid: func(t *testing.T, p Party) *big.Int {
			b, err := w.chain.Client().BalanceAt(context.Background(), common.HexToAddress(string(p)), nil)
			if err != nil {
				t.Fatal(err)
			}
			return b
		},
	}
}

// TestEVMSuite runs the shared state-table suite on the Escrow contract.
func TestEVMSuite(t *testing.T) { runSuite(t, evmHarness) }

// must fails the test on an error: must(t).deal(e.Fund(...)).
type must testing.T

func (m *must) deal(d Deal, err error) Deal {
	(*testing.T)(m).Helper()
	if err != nil {
		(*testing.T)(m).Fatal(err)
	}
	return d
}

func balance(t *testing.T, w *evmWorld, a Party) *big.Int {
	t.Helper()
	b, err := w.chain.Client().BalanceAt(context.Background(), common.HexToAddress(string(a)), nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEVMHappyPath(t *testing.T) {
	ctx := context.Background()
	w := newEVMWorld(t, true)
	buyer, seller := w.party(accBuyer), w.party(accSeller)
	amount := big.NewInt(1_500_000_000_000_000_000)
	sellerBefore := balance(t, w, seller)
	d := (*must)(t).deal(w.e.CreateAndFund(ctx, CreateRequest{By: buyer, Buyer: buyer, Seller: seller, Amount: amount, Currency: Native, Group: 1}))
	if d.Status != StatusFunded || d.Amount.Cmp(amount) != 0 || d.Buyer != buyer {
		t.Fatalf("after create and fund: %+v", d)
	}
	if got, _ := w.chain.Client().BalanceAt(ctx, w.dep.Escrow, nil); got.Cmp(amount) != 0 {
		t.Fatalf("escrow holds %s, want %s", got, amount)
	}
	w.checkBalance(t)
	(*must)(t).deal(w.e.Deliver(ctx, Request{Deal: d.ID, By: seller}))
	(*must)(t).deal(w.e.Confirm(ctx, Request{Deal: d.ID, By: buyer}))
	w.checkBalance(t)
	if diff := new(big.Int).Sub(balance(t, w, seller), sellerBefore); diff.Sign() <= 0 || new(big.Int).Sub(amount, diff).Cmp(big.NewInt(1e15)) > 0 {
		t.Errorf("seller gained %s, want %s less its delivery gas", diff, amount)
	}
	d = (*must)(t).deal(w.e.Complete(ctx, Request{Deal: d.ID, By: seller}))
	if d.Status != StatusCompleted {
		t.Fatalf("status %s", d.Status)
	}
	hist, err := w.e.History(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []Action{ActionCreate, ActionFund, ActionDeliver, ActionConfirm, ActionComplete}
	if len(hist) != len(want) {
		t.Fatalf("history %+v", hist)
	}
	for i, ev := range hist {
		if ev.Action != want[i] || ev.Tx == "" || ev.At.IsZero() {
			t.Errorf("event %d: %+v, want %s", i, ev, want[i])
		}
	}
	if got, _ := w.chain.Client().BalanceAt(ctx, w.dep.Escrow, nil); got.Sign() != 0 {
		t.Errorf("escrow still holds %s", got)
	}
}

// community sets up a voting group and a disputed deal.
func community(t *testing.T, w *evmWorld, voters int, reveal time.Duration, quorum uint16, open bool) (Deal, []Party) {
	t.Helper()
	ctx := context.Background()
	var parties []Party
	for i := 0; i < voters; i++ {
		parties = append(parties, w.party(accVoter0+i))
	}
	// The parties are members too: they must still not vote on their own case.
	members := append(append([]Party(nil), parties...), w.party(accBuyer), w.party(accSeller))
	if open {
		members = nil
	}
	group, err := w.e.CreateGroup(ctx, w.party(accDeployer), GroupOptions{VotePeriod: time.Hour, RevealPeriod: reveal, Quorum: quorum, Open: open, Members: members})
	if err != nil {
		t.Fatal(err)
	}
	buyer, seller := w.party(accBuyer), w.party(accSeller)
	d := (*must)(t).deal(w.e.CreateAndFund(ctx, CreateRequest{By: buyer, Buyer: buyer, Seller: seller, Amount: simchain.Ether, Currency: Native, Group: group}))
	(*must)(t).deal(w.e.Deliver(ctx, Request{Deal: d.ID, By: seller}))
	d = (*must)(t).deal(w.e.Dispute(ctx, Request{Deal: d.ID, By: buyer}))
	if d.Status != StatusDisputed || d.DisputeID == nil {
		t.Fatalf("after dispute: %+v", d)
	}
	return d, parties
}

func TestEVMCommitReveal(t *testing.T) {
	ctx := context.Background()
	w := newEVMWorld(t, true)
	d, voters := community(t, w, 4, 30*time.Minute, 1, false)
	copier := voters[3]
	voters = voters[:3]
	salts := [][32]byte{{1}, {2}, {3}}
	choices := []Ruling{RulingSeller, RulingSeller, RulingBuyer}
	if err := w.e.Vote(ctx, d.ID, voters[0], RulingSeller); !errors.Is(err, ErrInvalidState) {
		t.Errorf("open vote in a commit-reveal group: got %v, want ErrInvalidState", err)
	}
	for i, v := range voters {
		if err := w.e.Commit(ctx, d.ID, v, choices[i], salts[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.e.Reveal(ctx, d.ID, voters[0], choices[0], salts[0]); !errors.Is(err, ErrInvalidState) {
		t.Errorf("reveal during the commit period: got %v, want ErrInvalidState", err)
	}
	// Commitments are public: the copier commits voters[0]'s.
	arb := w.e.arb.Instance(w.chain.Client(), w.dep.Arbitrator)
	seen, err := bind.Call(arb, nil, w.e.arb.PackBallots(d.DisputeID, common.HexToAddress(string(voters[0]))), w.e.arb.UnpackBallots)
	if err != nil || seen == ([32]byte{}) {
		t.Fatalf("read voters[0]'s commitment: %x, %v", seen, err)
	}
	if _, err := w.e.send(ctx, copier, w.dep.Arbitrator, nil, w.e.arb.PackCommit(d.DisputeID, seen)); err != nil {
		t.Fatal(err)
	}
	if err := w.chain.Advance(time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := w.e.Commit(ctx, d.ID, w.party(accVoter0+3), RulingBuyer, salts[0]); !errors.Is(err, ErrInvalidState) && !errors.Is(err, ErrForbidden) {
		t.Errorf("commit after the commit period: got %v", err)
	}
	// A wrong salt, or another choice, do not open a commitment; nor does a
	// copied commitment: it binds the voter who made it.
	if err := w.e.Reveal(ctx, d.ID, copier, choices[0], salts[0]); !errors.Is(err, ErrInvalid) {
		t.Errorf("reveal of a copied commitment: got %v, want ErrInvalid", err)
	}
	if err := w.e.Reveal(ctx, d.ID, voters[2], choices[2], salts[0]); !errors.Is(err, ErrInvalid) {
		t.Errorf("reveal with a wrong salt: got %v, want ErrInvalid", err)
	}
	if err := w.e.Reveal(ctx, d.ID, voters[2], RulingSeller, salts[2]); !errors.Is(err, ErrInvalid) {
		t.Errorf("reveal of another choice: got %v, want ErrInvalid", err)
	}
	for i := 0; i < 2; i++ { // the third voter never reveals
		if err := w.e.Reveal(ctx, d.ID, voters[i], choices[i], salts[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.e.Reveal(ctx, d.ID, voters[0], choices[0], salts[0]); !errors.Is(err, ErrInvalidState) {
		t.Errorf("revealing twice: got %v, want ErrInvalidState", err)
	}
	if _, err := w.e.ExecuteRuling(ctx, d.ID, voters[2]); !errors.Is(err, ErrInvalidState) {
		t.Errorf("execute during the reveal period: got %v", err)
	}
	if err := w.chain.Advance(30 * time.Minute); err != nil {
		t.Fatal(err)
	}
	got, err := w.e.ExecuteRuling(ctx, d.ID, voters[2])
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != StatusConfirmed || got.Ruling != RulingSeller {
		t.Errorf("after 2 revealed seller votes: %s ruling %s, want confirmed for the seller", got.Status, got.Ruling)
	}
}

// deployTest deploys one of the test contracts.
func deployTest(t *testing.T, w *evmWorld, bin string) common.Address {
	t.Helper()
	auth := bind.NewKeyedTransactor(w.chain.Keys[accDeployer], big.NewInt(1337))
	addr, tx, err := bind.DeployContract(auth, common.FromHex(bin), w.chain.Client(), nil)
	if err != nil {
		t.Fatal(err)
	}
	w.chain.Mine()
	if _, err := bind.WaitDeployed(context.Background(), w.chain.Client(), tx.Hash()); err != nil {
		t.Fatal(err)
	}
	return addr
}

func TestEVMToken(t *testing.T) {
	ctx := context.Background()
	w := newEVMWorld(t, false)
	tt := testcontracts.NewTestToken()
	token := deployTest(t, w, testcontracts.TestTokenMetaData.Bin)
	buyer, seller := w.party(accBuyer), w.party(accSeller)
	amount := big.NewInt(250_000_000) // 250 units of a 6-decimal token
	if _, err := w.e.send(ctx, buyer, token, nil, tt.PackMint(w.chain.Addrs[accBuyer], big.NewInt(1_000_000_000))); err != nil {
		t.Fatal(err)
	}
	d := (*must)(t).deal(w.e.CreateAndFund(ctx, CreateRequest{By: buyer, Buyer: buyer, Seller: seller, Amount: amount, Currency: token.Hex()}))
	if d.Currency != token.Hex() || d.Status != StatusFunded {
		t.Fatalf("token deal: %+v", d)
	}
	if b, _ := tokenBalance(w, token, w.dep.Escrow); b.Cmp(amount) != 0 {
		t.Fatalf("escrow holds %s tokens, want %s", b, amount)
	}
	w.checkBalance(t)
	(*must)(t).deal(w.e.Confirm(ctx, Request{Deal: d.ID, By: buyer}))
	if b, _ := tokenBalance(w, token, w.chain.Addrs[accSeller]); b.Cmp(amount) != 0 {
		t.Errorf("seller holds %s tokens, want %s", b, amount)
	}
	// A seller the token refuses to pay (a block list): the payout becomes a credit.
	d = (*must)(t).deal(w.e.Create(ctx, CreateRequest{By: seller, Buyer: buyer, Seller: seller, Amount: amount, Currency: token.Hex()}))
	(*must)(t).deal(w.e.Fund(ctx, Request{Deal: d.ID, By: buyer}))
	if _, err := w.e.send(ctx, buyer, token, nil, tt.PackSetBlocked(w.chain.Addrs[accSeller], true)); err != nil {
		t.Fatal(err)
	}
	(*must)(t).deal(w.e.Confirm(ctx, Request{Deal: d.ID, By: buyer}))
	if c, _ := w.e.Credit(ctx, seller, token.Hex()); c.Cmp(amount) != 0 {
		t.Errorf("seller's credit %s, want %s", c, amount)
	}
	w.checkBalance(t)
	if _, err := w.e.send(ctx, buyer, token, nil, tt.PackSetBlocked(w.chain.Addrs[accSeller], false)); err != nil {
		t.Fatal(err)
	}
	if err := w.e.Withdraw(ctx, seller, token.Hex()); err != nil {
		t.Fatal(err)
	}
	if b, _ := tokenBalance(w, token, w.chain.Addrs[accSeller]); b.Cmp(new(big.Int).Mul(amount, big.NewInt(2))) != 0 {
		t.Errorf("seller holds %s tokens after withdrawing, want %d", b, 2*amount.Int64())
	}
	if err := w.e.Withdraw(ctx, seller, token.Hex()); !errors.Is(err, ErrInvalid) {
		t.Errorf("withdrawing twice: got %v, want ErrInvalid", err)
	}
	// Funding without enough tokens fails and changes nothing.
	d = (*must)(t).deal(w.e.Create(ctx, CreateRequest{By: buyer, Buyer: buyer, Seller: seller, Amount: big.NewInt(5_000_000_000), Currency: token.Hex()}))
	if _, err := w.e.Fund(ctx, Request{Deal: d.ID, By: buyer}); !errors.Is(err, ErrInvalid) {
		t.Errorf("funding beyond the buyer's tokens: got %v, want ErrInvalid", err)
	}
	if got, _ := w.e.Deal(ctx, d.ID); got.Status != StatusCreated {
		t.Errorf("failed funding moved the deal to %s", got.Status)
	}
	// A token that takes a fee on transfer would leave the deal short: refused.
	if _, err := w.e.send(ctx, buyer, token, nil, tt.PackSetFee(big.NewInt(100))); err != nil {
		t.Fatal(err)
	}
	if _, err := w.e.CreateAndFund(ctx, CreateRequest{By: buyer, Buyer: buyer, Seller: seller, Amount: amount, Currency: token.Hex()}); !errors.Is(err, ErrInvalid) {
		t.Errorf("funding with a fee-on-transfer token: got %v, want ErrInvalid", err)
	}
}

// partyContract deploys a Party contract wallet for the tests of hostile receivers.
func partyContract(t *testing.T, w *evmWorld) (common.Address, *testcontracts.Party) {
	return deployTest(t, w, testcontracts.PartyMetaData.Bin), testcontracts.NewParty()
}

// asParty sends data to the escrow through the Party contract.
func asParty(t *testing.T, w *evmWorld, pc common.Address, value *big.Int, data []byte) error {
	t.Helper()
	p := testcontracts.NewParty()
	if value == nil {
		value = new(big.Int)
	}
	_, err := w.e.send(context.Background(), w.party(accDeployer), pc, value, p.PackExec(w.dep.Escrow, value, data))
	return err
}

func TestEVMReentrancy(t *testing.T) {
	ctx := context.Background()
	w := newEVMWorld(t, false)
	pc, p := partyContract(t, w)
	buyer, attacker := w.party(accBuyer), partyOf(pc)
	amount := simchain.Ether
	a := (*must)(t).deal(w.e.CreateAndFund(ctx, CreateRequest{By: buyer, Buyer: buyer, Seller: attacker, Amount: amount, Currency: Native}))
	b := (*must)(t).deal(w.e.CreateAndFund(ctx, CreateRequest{By: buyer, Buyer: buyer, Seller: attacker, Amount: amount, Currency: Native}))
	// When paid for deal a, the attacker tries to act on deal b (a refund it
	// may make on its own) and to be paid for a again.
	for _, data := range [][]byte{w.e.esc.PackRefund(dealInt(b.ID)), w.e.esc.PackConfirm(dealInt(a.ID))} {
		if _, err := w.e.send(ctx, w.party(accDeployer), pc, nil, p.PackSetReentry(w.dep.Escrow, data)); err != nil {
			t.Fatal(err)
		}
		if _, err := w.e.send(ctx, w.party(accDeployer), pc, nil, p.PackSetMode(2)); err != nil {
			t.Fatal(err)
		}
	}
	escrowBefore, _ := w.chain.Client().BalanceAt(ctx, w.dep.Escrow, nil)
	(*must)(t).deal(w.e.Confirm(ctx, Request{Deal: a.ID, By: buyer}))
	pi := p.Instance(w.chain.Client(), pc)
	attempts, _ := bind.Call(pi, nil, p.PackReentryAttempts(), p.UnpackReentryAttempts)
	succeeded, _ := bind.Call(pi, nil, p.PackReentrySucceeded(), p.UnpackReentrySucceeded)
	received, _ := bind.Call(pi, nil, p.PackReceived(), p.UnpackReceived)
	// The counters start at 1.
	attempts.Sub(attempts, common.Big1)
	succeeded.Sub(succeeded, common.Big1)
	received.Sub(received, common.Big1)
	if attempts.Int64() != 1 || succeeded.Int64() != 0 {
		t.Errorf("re-entry attempts %s, succeeded %s; want 1 and 0", attempts, succeeded)
	}
	if received.Cmp(amount) != 0 {
		t.Errorf("attacker received %s, want exactly %s", received, amount)
	}
	escrowAfter, _ := w.chain.Client().BalanceAt(ctx, w.dep.Escrow, nil)
	if diff := new(big.Int).Sub(escrowBefore, escrowAfter); diff.Cmp(amount) != 0 {
		t.Errorf("escrow paid out %s, want %s", diff, amount)
	}
	if got, _ := w.e.Deal(ctx, b.ID); got.Status != StatusFunded {
		t.Errorf("deal b is %s after the re-entry attempt, want funded", got.Status)
	}
	// A receiver that burns all the gas it gets is credited instead.
	if _, err := w.e.send(ctx, w.party(accDeployer), pc, nil, p.PackSetMode(3)); err != nil {
		t.Fatal(err)
	}
	(*must)(t).deal(w.e.Confirm(ctx, Request{Deal: b.ID, By: buyer}))
	if c, _ := w.e.Credit(ctx, attacker, Native); c.Cmp(amount) != 0 {
		t.Errorf("gas-burning seller's credit %s, want %s", c, amount)
	}
	w.checkBalance(t, pc)
}

func TestEVMRefusingReceiver(t *testing.T) {
	ctx := context.Background()
	w := newEVMWorld(t, false)
	pc, p := partyContract(t, w)
	seller := w.party(accSeller)
	amount := simchain.Ether
	// The contract wallet is the buyer and refuses the refund.
	if err := asParty(t, w, pc, amount, w.e.esc.PackCreateAndFund(w.chain.Addrs[accSeller], common.Address{}, amount, big.NewInt(0))); err != nil {
		t.Fatal(err)
	}
	if _, err := w.e.send(ctx, w.party(accDeployer), pc, nil, p.PackSetMode(1)); err != nil {
		t.Fatal(err)
	}
	d := (*must)(t).deal(w.e.Refund(ctx, Request{Deal: 1, By: seller}))
	if d.Status != StatusRefunded {
		t.Fatalf("status %s", d.Status)
	}
	if c, _ := w.e.Credit(ctx, partyOf(pc), Native); c.Cmp(amount) != 0 {
		t.Fatalf("refused refund: credit %s, want %s", c, amount)
	}
	if got, _ := w.chain.Client().BalanceAt(ctx, w.dep.Escrow, nil); got.Cmp(amount) != 0 {
		t.Fatalf("escrow holds %s, want the credited %s", got, amount)
	}
	w.checkBalance(t, pc)
	// While it still refuses, its withdrawal fails and the credit stays.
	if err := asParty(t, w, pc, nil, w.e.esc.PackWithdraw(common.Address{})); !errors.Is(err, ErrInvalid) {
		t.Errorf("withdraw to a refusing wallet: got %v, want ErrInvalid", err)
	}
	if _, err := w.e.send(ctx, w.party(accDeployer), pc, nil, p.PackSetMode(0)); err != nil {
		t.Fatal(err)
	}
	if err := asParty(t, w, pc, nil, w.e.esc.PackWithdraw(common.Address{})); err != nil {
		t.Fatal(err)
	}
	if got, _ := w.chain.Client().BalanceAt(ctx, pc, nil); got.Cmp(amount) != 0 {
		t.Errorf("wallet holds %s after withdrawing, want %s", got, amount)
	}
	if got, _ := w.chain.Client().BalanceAt(ctx, w.dep.Escrow, nil); got.Sign() != 0 {
		t.Errorf("escrow still holds %s: stuck funds", got)
	}
}

func TestEVMBadInput(t *testing.T) {
	ctx := context.Background()
	w := newEVMWorld(t, false)
	buyer, seller := w.party(accBuyer), w.party(accSeller)
	for _, c := range []CreateRequest{
		{By: buyer, Buyer: buyer, Seller: "bob", Amount: big.NewInt(1), Currency: Native},
		{By: buyer, Buyer: buyer, Seller: seller, Amount: new(big.Int).Lsh(big.NewInt(1), 96), Currency: Native},
		{By: buyer, Buyer: buyer, Seller: seller, Amount: big.NewInt(1), Currency: "EUR"},
		{By: buyer, Buyer: buyer, Seller: seller, Amount: big.NewInt(1), Currency: common.Address{1}.Hex()}, // no contract there
		{By: w.party(accStranger), Buyer: buyer, Seller: seller, Amount: big.NewInt(1), Currency: Native, Group: 1 << 33},
	} {
		if _, err := w.e.Create(ctx, c); !errors.Is(err, ErrInvalid) {
			t.Errorf("create %+v: got %v, want ErrInvalid", c, err)
		}
	}
	if _, err := w.e.Create(ctx, CreateRequest{By: partyOf(common.Address{9}), Buyer: partyOf(common.Address{9}), Seller: seller, Amount: big.NewInt(1), Currency: Native}); !errors.Is(err, ErrInvalid) {
		t.Errorf("acting without a key: got %v, want ErrInvalid", err)
	}
	// Funding with the wrong value is refused by the contract.
	d := (*must)(t).deal(w.e.Create(ctx, CreateRequest{By: buyer, Buyer: buyer, Seller: seller, Amount: big.NewInt(1000), Currency: Native}))
	if _, err := w.e.send(ctx, buyer, w.dep.Escrow, big.NewInt(999), w.e.esc.PackFund(dealInt(d.ID))); !errors.Is(err, ErrInvalid) {
		t.Errorf("funding 999 of 1000: got %v, want ErrInvalid", err)
	}
	if got, _ := w.e.Deal(ctx, d.ID); got.Status != StatusCreated {
		t.Errorf("refused funding moved the deal to %s", got.Status)
	}
}

func TestEVMIdempotency(t *testing.T) {
	ctx := context.Background()
	w := newEVMWorld(t, false)
	buyer, seller := w.party(accBuyer), w.party(accSeller)
	req := CreateRequest{By: buyer, Buyer: buyer, Seller: seller, Amount: simchain.Ether, Currency: Native, IdempotencyKey: "offer-7"}
	d1 := (*must)(t).deal(w.e.CreateAndFund(ctx, req))
	d2 := (*must)(t).deal(w.e.CreateAndFund(ctx, req))
	if d1.ID != d2.ID {
		t.Fatalf("retried create and fund made deal %d after %d", d2.ID, d1.ID)
	}
	if got, _ := w.chain.Client().BalanceAt(ctx, w.dep.Escrow, nil); got.Cmp(simchain.Ether) != 0 {
		t.Fatalf("escrow holds %s after a retried create and fund, want 1 ether once", got)
	}
	req.Amount = big.NewInt(5)
	if _, err := w.e.CreateAndFund(ctx, req); !errors.Is(err, ErrConflict) {
		t.Errorf("key reused for another amount: got %v, want ErrConflict", err)
	}
	conf := Request{Deal: d1.ID, By: buyer, IdempotencyKey: "confirm-7"}
	sellerBefore := balance(t, w, seller)
	for i := 0; i < 2; i++ {
		if d, err := w.e.Confirm(ctx, conf); err != nil || d.Status != StatusConfirmed {
			t.Fatalf("confirm attempt %d: %v, %s", i, err, d.Status)
		}
	}
	if diff := new(big.Int).Sub(balance(t, w, seller), sellerBefore); diff.Cmp(simchain.Ether) != 0 {
		t.Errorf("seller received %s after a retried confirm, want 1 ether once", diff)
	}
	// Without a key, a retried action is refused by the state table.
	if _, err := w.e.Confirm(ctx, Request{Deal: d1.ID, By: buyer}); !errors.Is(err, ErrInvalidState) {
		t.Errorf("confirm again without a key: got %v, want ErrInvalidState", err)
	}
}

// TestEVMJournalAcrossRestart: with a journal file, a keyed request
// retried by a new EVM value (the hub restarted) sends the transaction kept
// for the key again instead of a second one; a transaction kept but never
// broadcast (a crash right after the journal write) is sent by the retry;
// one whose nonce another transaction took is signed anew, once.
func TestEVMJournalAcrossRestart(t *testing.T) {
	ctx := context.Background()
	w := newEVMWorld(t, false)
	journal := filepath.Join(t.TempDir(), "escrow-tx.db")
	open := func() *EVM {
		t.Helper()
		e, err := NewEVM(ctx, w.chain.Client(), w.dep.Escrow, EVMOptions{Keys: w.chain.Keys, Mine: w.chain.Mine, Journal: journal})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	escrowHolds := func(step string, want int64) {
		t.Helper()
		got, err := w.chain.Client().BalanceAt(ctx, w.dep.Escrow, nil)
		if err != nil {
			t.Fatal(err)
		}
		if wantWei := new(big.Int).Mul(big.NewInt(want), simchain.Ether); got.Cmp(wantWei) != 0 {
			t.Fatalf("%s: escrow holds %s wei, want %d ether", step, got, want)
		}
	}
	buyer, seller := w.party(accBuyer), w.party(accSeller)
	req := CreateRequest{By: buyer, Buyer: buyer, Seller: seller, Amount: simchain.Ether, Currency: Native, IdempotencyKey: "offer-1"}

	e1 := open()
	d1 := (*must)(t).deal(e1.CreateAndFund(ctx, req))
	if err := e1.Close(); err != nil {
		t.Fatal(err)
	}
	e2 := open()
	defer e2.Close()
	if d := (*must)(t).deal(e2.CreateAndFund(ctx, req)); d.ID != d1.ID {
		t.Fatalf("create and fund retried after a restart made deal %d after %d", d.ID, d1.ID)
	}
	escrowHolds("after the retry", 1)
	other := req
	other.Amount = big.NewInt(5)
	if _, err := e2.CreateAndFund(ctx, other); !errors.Is(err, ErrConflict) {
		t.Fatalf("key reused for another amount after a restart: %v, want ErrConflict", err)
	}

	// keep signs the request's transaction and journals it without
	// broadcasting it, as a crash right after the journal write leaves it.
	keep := func(key string) {
		t.Helper()
		r := req
		r.IdempotencyKey = key
		data, value, err := e2.packCreate(r, true)
		if err != nil {
			t.Fatal(err)
		}
		e2.mu.Lock()
		defer e2.mu.Unlock()
		tx, err := e2.sign(ctx, buyer, e2.addr, value, data)
		if err != nil {
			t.Fatal(err)
		}
		if err := e2.sent.put(key, sentTx{fingerprint(buyer, e2.addr, value, data), tx}); err != nil {
			t.Fatal(err)
		}
	}
	retry := func(key string) Deal {
		t.Helper()
		r := req
		r.IdempotencyKey = key
		return (*must)(t).deal(e2.CreateAndFund(ctx, r))
	}
	keep("offer-2")
	d2 := retry("offer-2")
	escrowHolds("after the kept transaction was sent by the retry", 2)
	if d := retry("offer-2"); d.ID != d2.ID {
		t.Fatalf("second retry made deal %d after %d", d.ID, d2.ID)
	}

	keep("offer-3")
	// Another call (an identical one would be the very same transaction)
	// takes the kept transaction's nonce.
	unkeyed := req
	unkeyed.IdempotencyKey, unkeyed.Amount = "", new(big.Int).Mul(big.NewInt(2), simchain.Ether)
	du := (*must)(t).deal(e2.CreateAndFund(ctx, unkeyed))
	escrowHolds("after another deal took the nonce", 4)
	d3 := retry("offer-3")
	if d3.ID == du.ID || d3.Amount.Cmp(simchain.Ether) != 0 {
		t.Fatalf("retry of a lost transaction returned deal %d of %s, want a new deal of 1 ether", d3.ID, d3.Amount)
	}
	if d := retry("offer-3"); d.ID != d3.ID {
		t.Fatalf("retry after re-signing made deal %d after %d", d.ID, d3.ID)
	}
	escrowHolds("after the lost transaction was signed anew", 5)
}

// TestEVMLowGasCannotForceCredit: anyone may apply a timeout, but not with
// so little gas that the push payment fails and becomes a credit.
func TestEVMLowGasCannotForceCredit(t *testing.T) {
	ctx := context.Background()
	w := newEVMWorld(t, false)
	buyer, seller := w.party(accBuyer), w.party(accSeller)
	d := (*must)(t).deal(w.e.CreateAndFund(ctx, CreateRequest{By: buyer, Buyer: buyer, Seller: seller, Amount: simchain.Ether, Currency: Native}))
	(*must)(t).deal(w.e.Deliver(ctx, Request{Deal: d.ID, By: seller}))
	if err := w.chain.Advance(DefaultTimeouts.Confirm); err != nil {
		t.Fatal(err)
	}
	auth := bind.NewKeyedTransactor(w.chain.Keys[accStranger], big.NewInt(1337))
	auth.GasLimit = 75_000 // enough for the state change, not for push plus fallback
	tx, err := bind.Transact(w.e.inst, auth, w.e.esc.PackTimeout(dealInt(d.ID)))
	if err != nil {
		t.Fatal(err)
	}
	w.chain.Mine()
	rc, err := bind.WaitMined(ctx, w.chain.Client(), tx.Hash())
	if err != nil {
		t.Fatal(err)
	}
	if rc.Status != 0 {
		t.Fatalf("timeout with %d gas succeeded", auth.GasLimit)
	}
	if got, _ := w.e.Deal(ctx, d.ID); got.Status != StatusDelivered {
		t.Errorf("deal is %s after the starved timeout, want delivered", got.Status)
	}
	if c, _ := w.e.Credit(ctx, seller, Native); c.Sign() != 0 {
		t.Errorf("seller credited %s", c)
	}
	got := (*must)(t).deal(w.e.Timeout(ctx, Request{Deal: d.ID, By: w.party(accStranger)}))
	if got.Status != StatusConfirmed {
		t.Errorf("timeout with estimated gas: %s", got.Status)
	}
}

// TestEVMRandomBalanceInvariant drives deals with random actions by random
// callers, among them a contract wallet that randomly accepts, refuses or
// burns payouts and withdraws its credits, with random clock jumps, and
// checks after every step that the contract holds exactly its open deals
// plus its credits.
func TestEVMRandomBalanceInvariant(t *testing.T) {
	ctx := context.Background()
	rng := seeded(t, 2)
	w := newEVMWorld(t, false)
	pc, p := partyContract(t, w)
	wallet := partyOf(pc)
	actors := []Party{w.party(accBuyer), w.party(accSeller), wallet, w.party(accMediator), w.party(accStranger)}
	var ids []DealID
	steps, moved := 200, 0
	if testing.Short() {
		steps = 60
	}
	for i := 0; i < steps; i++ {
		var err error
		switch k := rng.IntN(14); {
		case k <= 1 || len(ids) == 0:
			amount := big.NewInt(rng.Int64N(1e18) + 1)
			if rng.IntN(2) == 0 {
				d, cerr := w.e.CreateAndFund(ctx, CreateRequest{By: w.party(accBuyer), Buyer: w.party(accBuyer), Seller: []Party{w.party(accSeller), wallet}[rng.IntN(2)], Amount: amount, Currency: Native})
				err = cerr
				if cerr == nil {
					ids = append(ids, d.ID)
				}
			} else { // the wallet buys
				err = asParty(t, w, pc, amount, w.e.esc.PackCreateAndFund(w.chain.Addrs[accSeller], common.Address{}, amount, big.NewInt(0)))
				if err == nil {
					next, _ := bind.Call(w.e.inst, nil, w.e.esc.PackNextId(), w.e.esc.UnpackNextId)
					ids = append(ids, DealID(next.Uint64()-1))
				}
			}
		case k == 2:
			err = w.chain.Advance(time.Duration(rng.Int64N(int64(10 * 24 * time.Hour))))
		case k == 3:
			if _, err = w.e.send(ctx, w.party(accDeployer), pc, nil, p.PackSetMode(uint8(rng.IntN(4)))); err == nil && rng.IntN(2) == 0 {
				err = asParty(t, w, pc, nil, w.e.esc.PackWithdraw(common.Address{}))
			}
		default:
			id := ids[rng.IntN(len(ids))]
			for try := 0; try < 5; try++ { // prefer deals that can still move
				if d, _ := w.e.Deal(ctx, id); !d.Status.Final() {
					break
				}
				id = ids[rng.IntN(len(ids))]
			}
			a := Actions[1+rng.IntN(len(Actions)-1)]
			by := actors[rng.IntN(len(actors))]
			if rng.IntN(10) < 7 { // mostly what the table allows, by whom it allows
				d, _ := w.e.Deal(ctx, id)
				var ok []Transition
				for _, tr := range Transitions() {
					if tr.From == d.Status {
						ok = append(ok, tr)
					}
				}
				if len(ok) > 0 {
					tr := ok[rng.IntN(len(ok))]
					a = tr.Action
					switch {
					case tr.By&RoleBuyer != 0 && (tr.By&RoleSeller == 0 || rng.IntN(2) == 0):
						by = d.Buyer
					case tr.By&RoleSeller != 0:
						by = d.Seller
					case tr.By == RoleArbitrator:
						by = w.party(accMediator)
					}
				}
			}
			req := Request{Deal: id, By: by, Ruling: Ruling(rng.IntN(3)), EvidenceURI: "ipfs://e", EvidenceHash: common.Hash{1}.Hex()}
			if by != wallet {
				if _, err = Do(ctx, w.e, a, req); err == nil {
					moved++
				}
				break
			}
			var value *big.Int
			var data []byte
			n := dealInt(id)
			switch a {
			case ActionFund:
				d, _ := w.e.Deal(ctx, id)
				value, data = d.Amount, w.e.esc.PackFund(n)
			case ActionDeliver:
				data = w.e.esc.PackDeliver(n)
			case ActionConfirm:
				data = w.e.esc.PackConfirm(n)
			case ActionComplete:
				data = w.e.esc.PackComplete(n)
			case ActionDispute:
				data = w.e.esc.PackDispute(n)
			case ActionEvidence:
				data = w.e.esc.PackSubmitEvidence(n, req.EvidenceURI, common.Hash{1})
			case ActionRule:
				data = w.e.esc.PackRule(n, big.NewInt(int64(req.Ruling)))
			case ActionRefund:
				data = w.e.esc.PackRefund(n)
			case ActionTimeout:
				data = w.e.esc.PackTimeout(n)
			}
			err = asParty(t, w, pc, value, data)
			if err == nil {
				moved++
			}
		}
		if err != nil && !errors.Is(err, ErrForbidden) && !errors.Is(err, ErrInvalidState) && !errors.Is(err, ErrNotDue) && !errors.Is(err, ErrInvalid) {
			t.Fatalf("step %d: unexpected error %v", i, err)
		}
		w.checkBalance(t, pc)
		if t.Failed() {
			t.Fatalf("step %d broke the balance invariant", i)
		}
	}
	credit, _ := w.e.Credit(ctx, wallet, Native)
	t.Logf("%d deals, %d actions taken, wallet credit %s", len(ids), moved, credit)
	if moved < steps/20 {
		t.Errorf("only %d of %d steps moved a deal: the test exercises too little", moved, steps)
	}
}
