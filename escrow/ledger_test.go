package escrow

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// clock is a settable time source.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func newTestLedger(t *testing.T, path string, c *clock) *Ledger {
	t.Helper()
	l, err := OpenLedger(path, LedgerOptions{Arbitrator: "arbitrator", Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func ledgerHarness(t *testing.T) *harness {
	c := &clock{now: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)}
	l := newTestLedger(t, filepath.Join(t.TempDir(), "escrow.db"), c)
	t.Cleanup(func() {
		if err := l.Check(context.Background()); err != nil {
			t.Errorf("ledger invariant after the test: %v", err)
		}
	})
	return &harness{
		e: l, buyer: "did:web:buyer.example", seller: "did:web:seller.example",
		arbitrator: "arbitrator", stranger: "did:web:stranger.example",
		amount: big.NewInt(12_50), currency: "EUR", timeouts: DefaultTimeouts,
		advance: func(t *testing.T, d time.Duration) { c.Add(d) },
		paid: func(t *testing.T, p Party) *big.Int {
			b, err := l.Balance(context.Background(), p, "EUR")
			if err != nil {
				t.Fatal(err)
			}
			return b
		},
	}
}

func TestLedgerSuite(t *testing.T) { runSuite(t, ledgerHarness) }

func TestLedgerIdempotency(t *testing.T) {
	ctx := context.Background()
	h := ledgerHarness(t)
	l := h.e.(*Ledger)
	cr := CreateRequest{By: h.buyer, Buyer: h.buyer, Seller: h.seller, Amount: h.amount, Currency: "EUR", IdempotencyKey: "offer-1"}
	d1, err := l.Create(ctx, cr)
	if err != nil {
		t.Fatal(err)
	}
	d2, err := l.Create(ctx, cr)
	if err != nil || d2.ID != d1.ID {
		t.Fatalf("retried create: deal %d (%v), want the same deal %d", d2.ID, err, d1.ID)
	}
	cr.Amount = big.NewInt(99)
	if _, err := l.Create(ctx, cr); !errors.Is(err, ErrConflict) {
		t.Fatalf("key reused with another amount: got %v, want ErrConflict", err)
	}
	fund := Request{Deal: d1.ID, By: h.buyer, IdempotencyKey: "pay-1"}
	for i := 0; i < 3; i++ {
		d, err := l.Fund(ctx, fund)
		if err != nil || d.Status != StatusFunded {
			t.Fatalf("fund attempt %d: %v, %s", i, err, d.Status)
		}
	}
	accts, _ := l.Accounts(ctx)
	if got := accts["in/EUR"]; got.Cmp(new(big.Int).Neg(h.amount)) != 0 {
		t.Errorf("paid in after 3 retried fundings: %s, want -%s", got, h.amount)
	}
	if _, err := l.Confirm(ctx, Request{Deal: d1.ID, By: h.buyer, IdempotencyKey: "pay-1"}); !errors.Is(err, ErrConflict) {
		t.Errorf("key reused for confirm: got %v, want ErrConflict", err)
	}
	hist, _ := l.History(ctx, d1.ID)
	if len(hist) != 2 {
		t.Errorf("history has %d entries after retries, want 2", len(hist))
	}
}

func TestLedgerValidation(t *testing.T) {
	ctx := context.Background()
	h := ledgerHarness(t)
	d := h.reach(t, StatusDisputed)
	cases := []struct {
		a    Action
		req  Request
		want string
	}{
		{ActionFund, Request{By: h.buyer}, "deal id"},
		{ActionFund, Request{Deal: d.ID}, "by is empty"},
		{ActionFund, Request{Deal: d.ID, By: "two words"}, "spaces"},
		{ActionEvidence, Request{Deal: d.ID, By: h.buyer, EvidenceHash: "0x" + fmt.Sprintf("%064x", 1)}, "evidence URI"},
		{ActionEvidence, Request{Deal: d.ID, By: h.buyer, EvidenceURI: "ipfs://x", EvidenceHash: "abc"}, "evidence hash"},
	}
	for _, c := range cases {
		_, err := Do(ctx, h.e, c.a, c.req)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %+v: got %v, want ErrInvalid naming %q", c.a, c.req, err, c.want)
		}
	}
	if _, err := OpenLedger(filepath.Join(t.TempDir(), "x.db"), LedgerOptions{Timeouts: Timeouts{Fund: time.Hour}}); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "deliver timeout") {
		t.Errorf("bad timeouts: got %v", err)
	}
	if _, err := h.e.Create(ctx, CreateRequest{By: h.buyer, Buyer: h.buyer, Seller: h.seller, Amount: h.amount, Currency: "E/UR"}); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "currency") {
		t.Errorf("bad currency: got %v", err)
	}
}

func TestLedgerTimeoutDue(t *testing.T) {
	ctx := context.Background()
	h := ledgerHarness(t)
	l := h.e.(*Ledger)
	created := h.reach(t, StatusCreated)
	delivered := h.reach(t, StatusDelivered)
	disputed := h.reach(t, StatusDisputed)
	if n, err := l.TimeoutDue(ctx, "hub"); err != nil || n != 0 {
		t.Fatalf("before any deadline: moved %d (%v)", n, err)
	}
	h.advance(t, 7*24*time.Hour)
	n, err := l.TimeoutDue(ctx, "hub")
	if err != nil || n != 3 {
		t.Fatalf("after a week: moved %d deals (%v), want 3", n, err)
	}
	for _, c := range []struct {
		id   DealID
		want Status
	}{{created.ID, StatusExpired}, {delivered.ID, StatusConfirmed}, {disputed.ID, StatusRefunded}} {
		if d, _ := l.Deal(ctx, c.id); d.Status != c.want {
			t.Errorf("deal %d: %s, want %s", c.id, d.Status, c.want)
		}
	}
}

// TestLedgerRandomInvariant drives many deals with random actions by random
// parties, with random clock jumps, and checks after every step that the
// money in all accounts and deals sums to what was paid in, computed here
// independently of Ledger.Check.
func TestLedgerRandomInvariant(t *testing.T) {
	ctx := context.Background()
	rng := seeded(t, 1)
	c := &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := newTestLedger(t, filepath.Join(t.TempDir(), "escrow.db"), c)
	parties := []Party{"alice", "bob", "carol", "arbitrator", "mallory"}
	currencies := []string{"EUR", "USD"}
	paidIn := map[string]*big.Int{"EUR": new(big.Int), "USD": new(big.Int)} // minus what was paid out
	var ids []DealID
	steps := 1500
	if testing.Short() {
		steps = 300
	}
	// Half the deals are decided by a group vote among all the parties.
	group, err := l.CreateGroup(ctx, "alice", GroupOptions{VotePeriod: 2 * 24 * time.Hour, Quorum: 1, Members: parties})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < steps; i++ {
		switch k := rng.IntN(14); {
		case k == 0 || len(ids) == 0:
			b, s := parties[rng.IntN(3)], parties[rng.IntN(3)]
			d, err := l.Create(ctx, CreateRequest{By: b, Buyer: b, Seller: s, Amount: big.NewInt(rng.Int64N(1_000_000) + 1), Currency: currencies[rng.IntN(2)], Group: uint64(rng.IntN(2)) * group})
			if err == nil {
				ids = append(ids, d.ID)
			} else if !errors.Is(err, ErrInvalid) {
				t.Fatalf("step %d create: %v", i, err)
			}
		case k == 12: // a vote, allowed or not
			id := ids[rng.IntN(len(ids))]
			before, _ := l.Deal(ctx, id)
			err := l.Vote(ctx, id, parties[rng.IntN(len(parties))], Ruling(rng.IntN(4)))
			if after, _ := l.Deal(ctx, id); after.Status != before.Status {
				t.Fatalf("step %d: a vote (%v) moved deal %d from %s to %s", i, err, id, before.Status, after.Status)
			}
		case k == 13: // count the votes, allowed or not
			id := ids[rng.IntN(len(ids))]
			if _, err := l.ExecuteRuling(ctx, id, parties[rng.IntN(len(parties))]); err != nil && !errors.Is(err, ErrInvalidState) {
				t.Fatalf("step %d: execute ruling: %v", i, err)
			}
		case k == 1:
			c.Add(time.Duration(rng.Int64N(int64(10 * 24 * time.Hour))))
		case k == 2: // pay a party out, sometimes more than it has
			p, cur := parties[rng.IntN(len(parties))], currencies[rng.IntN(2)]
			bal, _ := l.Balance(ctx, p, cur)
			amt := big.NewInt(rng.Int64N(bal.Int64()+2) + 1)
			_, err := l.Withdraw(ctx, WithdrawRequest{By: p, Currency: cur, Amount: amt})
			switch {
			case err == nil:
				paidIn[cur].Sub(paidIn[cur], amt)
			case errors.Is(err, ErrInvalid) && amt.Cmp(bal) > 0:
			default:
				t.Fatalf("step %d: withdraw %s of %s: %v", i, amt, bal, err)
			}
		default:
			id := ids[rng.IntN(len(ids))]
			a := Actions[1+rng.IntN(len(Actions)-1)]
			before, _ := l.Deal(ctx, id)
			req := Request{Deal: id, By: parties[rng.IntN(len(parties))], Ruling: Ruling(rng.IntN(3)),
				EvidenceURI: "https://e.example/1", EvidenceHash: fmt.Sprintf("%064x", i)}
			if rng.IntN(4) == 0 {
				req.IdempotencyKey = fmt.Sprintf("k%d", rng.IntN(50))
			}
			after, err := Do(ctx, l, a, req)
			switch {
			case err == nil:
				if a == ActionFund && before.Status == StatusCreated {
					paidIn[after.Currency].Add(paidIn[after.Currency], after.Amount)
				}
			case errors.Is(err, ErrForbidden), errors.Is(err, ErrInvalidState), errors.Is(err, ErrNotDue), errors.Is(err, ErrConflict):
				if now, _ := l.Deal(ctx, id); now.Status != before.Status {
					t.Fatalf("step %d: rejected %s (%v) moved deal %d from %s to %s", i, a, err, id, before.Status, now.Status)
				}
			default:
				t.Fatalf("step %d: %s: unexpected error %v", i, a, err)
			}
		}
		// Independent invariant: per currency, parties + deals = paid in.
		accts, err := l.Accounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		held := map[string]*big.Int{"EUR": new(big.Int), "USD": new(big.Int)}
		for _, id := range ids {
			d, _ := l.Deal(ctx, id)
			if b := accts[dealAccount(id)]; b != nil {
				held[d.Currency].Add(held[d.Currency], b)
			}
		}
		for _, cur := range currencies {
			for _, p := range parties {
				if b := accts[partyAccount(cur, p)]; b != nil {
					held[cur].Add(held[cur], b)
				}
			}
			if held[cur].Cmp(paidIn[cur]) != 0 {
				t.Fatalf("step %d: %s held %s, paid in %s", i, cur, held[cur], paidIn[cur])
			}
			if in := accts[inAccount(cur)]; in != nil && new(big.Int).Neg(in).Cmp(paidIn[cur]) != 0 {
				t.Fatalf("step %d: in/%s is %s, paid in %s", i, cur, in, paidIn[cur])
			}
		}
		if i%100 == 0 {
			if err := l.Check(ctx); err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
		}
	}
	if err := l.Check(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestLedgerCrash kills a child process that is moving deals, several
// times, some of them from inside a transition's transaction after the
// deal's new state was written but before its money moved. After each
// kill the file reopens with every invariant intact.
func TestLedgerCrash(t *testing.T) {
	if os.Getenv("ESCROW_CRASH_CHILD") != "" {
		crashChild()
		return
	}
	path := filepath.Join(t.TempDir(), "escrow.db")
	ctx := context.Background()
	for round := 0; round < 6; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestLedgerCrash$")
		cmd.Env = append(os.Environ(), "ESCROW_CRASH_CHILD="+path, fmt.Sprintf("ESCROW_CRASH_MIDTX=%d", round%2))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until the child has moved some deals, then kill it (unless it
		// killed itself mid-transaction first).
		buf := make([]byte, 64)
		n, _ := out.Read(buf)
		if round%2 == 0 {
			time.Sleep(time.Duration(50+round*30) * time.Millisecond)
			_ = cmd.Process.Signal(syscall.SIGKILL)
		}
		err = cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("round %d: child ended with %v after %q, want killed", round, err, buf[:n])
		}
		if ws, ok := ee.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: child ended with %v, want SIGKILL (exit codes 3-6 mean a step failed)", round, err)
		}
		l, err := OpenLedger(path, LedgerOptions{Arbitrator: "arbitrator"})
		if err != nil {
			t.Fatalf("round %d: reopen: %v", round, err)
		}
		if err := l.Check(ctx); err != nil {
			t.Fatalf("round %d: after the kill: %v", round, err)
		}
		accts, _ := l.Accounts(ctx)
		l.Close()
		if len(accts) == 0 {
			t.Fatalf("round %d: the child moved no money", round)
		}
	}
}

// crashChild moves deals until killed. With ESCROW_CRASH_MIDTX=1 it kills
// itself inside a transition, between the state write and the money move.
func crashChild() {
	path := os.Getenv("ESCROW_CRASH_CHILD")
	l, err := OpenLedger(path, LedgerOptions{Arbitrator: "arbitrator"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	ctx := context.Background()
	n := 0
	if os.Getenv("ESCROW_CRASH_MIDTX") == "1" {
		l.crashHook = func() {
			n++
			if n == 40 {
				syscall.Kill(os.Getpid(), syscall.SIGKILL)
				time.Sleep(time.Minute)
			}
		}
	}
	started := false
	for i := 0; ; i++ {
		d, err := l.Create(ctx, CreateRequest{By: "alice", Buyer: "alice", Seller: "bob", Amount: big.NewInt(int64(100 + i)), Currency: "EUR"})
		if err != nil {
			os.Exit(4)
		}
		for _, s := range []struct {
			a  Action
			by Party
		}{{ActionFund, "alice"}, {ActionDeliver, "bob"}, {[]Action{ActionConfirm, ActionDispute}[i%2], "alice"}} {
			if _, err := Do(ctx, l, s.a, Request{Deal: d.ID, By: s.by}); err != nil {
				os.Exit(5)
			}
		}
		if i%2 == 1 {
			if _, err := l.Rule(ctx, Request{Deal: d.ID, By: "arbitrator", Ruling: Ruling(1 + i%4/2)}); err != nil {
				os.Exit(6)
			}
		}
		if !started && i == 10 {
			os.Stdout.WriteString("moving\n")
			started = true
		}
	}
}

func TestLedgerWithdraw(t *testing.T) {
	ctx := context.Background()
	h := ledgerHarness(t)
	l := h.e.(*Ledger)
	h.reach(t, StatusConfirmed) // the seller is owed 1250
	req := WithdrawRequest{By: h.seller, Currency: "EUR", Amount: big.NewInt(1000), IdempotencyKey: "payout-1"}
	for i := 0; i < 2; i++ {
		left, err := l.Withdraw(ctx, req)
		if err != nil || left.Int64() != 250 {
			t.Fatalf("withdraw attempt %d: %v, %v left, want 250", i, err, left)
		}
	}
	if _, err := l.Withdraw(ctx, WithdrawRequest{By: h.seller, Currency: "EUR", Amount: big.NewInt(251)}); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "exceeds") {
		t.Errorf("withdrawing more than the balance: got %v, want ErrInvalid", err)
	}
	req.Amount = big.NewInt(1)
	if _, err := l.Withdraw(ctx, req); !errors.Is(err, ErrConflict) {
		t.Errorf("key reused for another amount: got %v, want ErrConflict", err)
	}
	accts, _ := l.Accounts(ctx)
	if got := accts["in/EUR"]; got.Int64() != -250 {
		t.Errorf("outside world balance %s, want -250 (1250 in, 1000 out)", got)
	}
}

// TestLedgerFundFromBalance: with FundFromBalance a deal is funded only
// from what the buyer deposited; a short balance changes nothing, and a
// retried deposit counts once.
func TestLedgerFundFromBalance(t *testing.T) {
	ctx := context.Background()
	l, err := OpenLedger(filepath.Join(t.TempDir(), "agent.db"), LedgerOptions{FundFromBalance: true})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	d, err := l.Create(ctx, CreateRequest{By: "seller", Buyer: "buyer", Seller: "seller", Amount: big.NewInt(20000), Currency: "USD"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Fund(ctx, Request{Deal: d.ID, By: "buyer"}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("fund with no balance: %v, want ErrInvalid", err)
	}
	for range 2 {
		bal, err := l.Deposit(ctx, DepositRequest{By: "buyer", Currency: "USD", Amount: big.NewInt(25000), IdempotencyKey: "dep-1"})
		if err != nil || bal.Int64() != 25000 {
			t.Fatalf("deposit: %v %v, want 25000 once", bal, err)
		}
	}
	if _, err := l.Deposit(ctx, DepositRequest{By: "buyer", Currency: "USD", Amount: big.NewInt(1), IdempotencyKey: "dep-1"}); !errors.Is(err, ErrConflict) {
		t.Fatalf("reused deposit key: %v, want ErrConflict", err)
	}
	if d, err = l.Fund(ctx, Request{Deal: d.ID, By: "buyer"}); err != nil || d.Status != StatusFunded {
		t.Fatalf("fund: %v %v", d.Status, err)
	}
	for _, a := range []Action{ActionDeliver, ActionConfirm} {
		by := Party("buyer")
		if a == ActionDeliver {
			by = "seller"
		}
		if _, err := Do(ctx, l, a, Request{Deal: d.ID, By: by}); err != nil {
			t.Fatal(err)
		}
	}
	for p, want := range map[Party]int64{"buyer": 5000, "seller": 20000} {
		if bal, _ := l.Balance(ctx, p, "USD"); bal.Int64() != want {
			t.Errorf("%s's balance %v, want %d", p, bal, want)
		}
	}
	if err := l.Check(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestLedgerThen: what a step's Then writes commits with the step, its
// error undoes the step, and a replayed step runs it again with the
// same history.
func TestLedgerThen(t *testing.T) {
	ctx := context.Background()
	l, err := OpenLedger(filepath.Join(t.TempDir(), "l.db"), LedgerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	boom := errors.New("queue full")
	var seen []int
	then := func(fail bool) Then {
		return func(tx *bolt.Tx, d Deal, hist []Event) error {
			if !tx.Writable() {
				t.Error("then ran outside a writable transaction")
			}
			seen = append(seen, len(hist))
			if fail {
				return boom
			}
			return nil
		}
	}
	creq := CreateRequest{By: "https://b.example/a", Buyer: "https://b.example/a", Seller: "https://s.example/a", Amount: big.NewInt(5), Currency: "USD", IdempotencyKey: "c"}
	if _, err := l.CreateThen(ctx, creq, then(true)); !errors.Is(err, boom) {
		t.Fatalf("create with a failing then: %v", err)
	}
	if _, err := l.Deal(ctx, 1); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a create undone by its then left deal 1: %v", err)
	}
	d, err := l.CreateThen(ctx, creq, then(false))
	if err != nil {
		t.Fatal(err)
	}
	req := Request{Deal: d.ID, By: creq.Buyer, IdempotencyKey: "f"}
	if _, err := l.DoThen(ctx, ActionFund, req, then(true)); !errors.Is(err, boom) {
		t.Fatalf("fund with a failing then: %v", err)
	}
	if got, _ := l.Deal(ctx, d.ID); got.Status != StatusCreated {
		t.Fatalf("a fund undone by its then left the deal %s", got.Status)
	}
	for range 2 { // the second is a replay
		if _, err := l.DoThen(ctx, ActionFund, req, then(false)); err != nil {
			t.Fatal(err)
		}
	}
	if h, _ := l.History(ctx, d.ID); len(h) != 2 {
		t.Fatalf("history after one fund: %d entries", len(h))
	}
	if want := []int{1, 1, 2, 2, 2}; !slices.Equal(seen, want) {
		t.Fatalf("then saw histories of %v, want %v", seen, want)
	}
	if _, err := l.DoThen(ctx, ActionCreate, req, nil); !errors.Is(err, ErrInvalid) {
		t.Fatalf("DoThen of create: %v", err)
	}
}
