package escrow

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"
)

// harness is one backend under the shared suite.
type harness struct {
	e                                   Escrow
	buyer, seller, arbitrator, stranger Party
	amount                              *big.Int
	currency                            string
	group                               uint64 // the voting group of the suite's deals
	timeouts                            Timeouts
	// advance moves the backend's clock forward by d.
	advance func(t *testing.T, d time.Duration)
	// paid returns what party p has received from the escrow so far (a
	// ledger balance, or an account's chain balance for a party that sent
	// no transaction meanwhile).
	paid func(t *testing.T, p Party) *big.Int
}

func (h *harness) party(r Role) Party {
	switch r {
	case RoleBuyer:
		return h.buyer
	case RoleSeller:
		return h.seller
	case RoleArbitrator:
		return h.arbitrator
	}
	return h.stranger
}

func (h *harness) req(id DealID, by Party) Request {
	return Request{Deal: id, By: by, Ruling: RulingSeller,
		EvidenceURI: "ipfs://bafy/evidence.json", EvidenceHash: "0x" + fmt.Sprintf("%064x", 0xe71de4ce)}
}

// reach creates a fresh deal and drives it to status s along the table.
func (h *harness) reach(t *testing.T, s Status) Deal {
	t.Helper()
	ctx := context.Background()
	d, err := h.e.Create(ctx, CreateRequest{By: h.buyer, Buyer: h.buyer, Seller: h.seller,
		Amount: h.amount, Currency: h.currency, Group: h.group})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	step := func(a Action, by Party) {
		t.Helper()
		var err error
		if d, err = Do(ctx, h.e, a, h.req(d.ID, by)); err != nil {
			t.Fatalf("reach %s: %s by %s: %v", s, a, by, err)
		}
	}
	switch s {
	case StatusCreated:
	case StatusExpired:
		h.advance(t, h.timeouts.Fund)
		step(ActionTimeout, h.stranger)
	default:
		step(ActionFund, h.buyer)
		switch s {
		case StatusFunded:
		case StatusDelivered:
			step(ActionDeliver, h.seller)
		case StatusConfirmed:
			step(ActionConfirm, h.buyer)
		case StatusCompleted:
			step(ActionConfirm, h.buyer)
			step(ActionComplete, h.seller)
		case StatusDisputed:
			step(ActionDispute, h.buyer)
		case StatusRefunded:
			step(ActionRefund, h.seller)
		}
	}
	if d.Status != s {
		t.Fatalf("reach %s: deal is %s", s, d.Status)
	}
	return d
}

var roles = []Role{RoleBuyer, RoleSeller, RoleArbitrator, RoleStranger}

// runSuite checks every action from every status by every role against the
// state table: allowed requests move the deal to the table's status, the
// others fail with the table's error and change nothing.
func runSuite(t *testing.T, newHarness func(t *testing.T) *harness) {
	ctx := context.Background()
	t.Run("transitions", func(t *testing.T) {
		h := newHarness(t)
		for _, from := range Statuses {
			held := h.reach(t, from) // shared by the rejected requests
			for _, a := range Actions {
				if a == ActionCreate {
					continue
				}
				for _, r := range roles {
					by := h.party(r)
					name := fmt.Sprintf("%s/%s/%s", from, a, r)
					tr, wantErr := Allowed(a, from, r)
					if wantErr != nil {
						before, _ := h.e.Deal(ctx, held.ID)
						hist, _ := h.e.History(ctx, held.ID)
						_, err := Do(ctx, h.e, a, h.req(held.ID, by))
						if !sameKind(err, wantErr) {
							t.Errorf("%s: got error %v, want %v", name, err, wantErr)
						}
						after, err := h.e.Deal(ctx, held.ID)
						if err != nil {
							t.Fatalf("%s: read deal: %v", name, err)
						}
						hist2, _ := h.e.History(ctx, held.ID)
						if after.Status != before.Status || !after.Deadline.Equal(before.Deadline) || len(hist2) != len(hist) {
							t.Errorf("%s: rejected request changed the deal: %s→%s, history %d→%d", name, before.Status, after.Status, len(hist), len(hist2))
						}
						continue
					}
					d := h.reach(t, from)
					if a == ActionTimeout {
						if _, err := Do(ctx, h.e, a, h.req(d.ID, by)); !errors.Is(err, ErrNotDue) {
							t.Errorf("%s before the deadline: got %v, want ErrNotDue", name, err)
						}
						h.advance(t, h.timeouts.period(from))
					}
					got, err := Do(ctx, h.e, a, h.req(d.ID, by))
					if err != nil {
						t.Errorf("%s: %v", name, err)
						continue
					}
					want := tr.To
					if want == "" {
						want = StatusConfirmed // the suite's ruling is RulingSeller
						if a == ActionTimeout {
							want = Outcome(RulingNone, h.timeouts.DisputeDefault)
						}
					}
					if got.Status != want {
						t.Errorf("%s: status %s, want %s", name, got.Status, want)
					}
					if back, err := h.e.Deal(ctx, d.ID); err != nil || back.Status != want {
						t.Errorf("%s: read back %s (%v), want %s", name, back.Status, err, want)
					}
				}
			}
		}
	})

	t.Run("create", func(t *testing.T) {
		h := newHarness(t)
		for _, r := range roles {
			_, err := h.e.Create(ctx, CreateRequest{By: h.party(r), Buyer: h.buyer, Seller: h.seller, Amount: h.amount, Currency: h.currency})
			_, want := Allowed(ActionCreate, "", r)
			if (want == nil) != (err == nil) || (want != nil && !sameKind(err, want)) {
				t.Errorf("create by %s: got %v, want %v", r, err, want)
			}
		}
		bad := []CreateRequest{
			{By: h.buyer, Buyer: h.buyer, Seller: h.buyer, Amount: h.amount, Currency: h.currency},
			{By: h.buyer, Buyer: h.buyer, Seller: h.seller, Amount: big.NewInt(0), Currency: h.currency},
			{By: h.buyer, Buyer: h.buyer, Seller: h.seller, Amount: big.NewInt(-5), Currency: h.currency},
			{By: h.buyer, Buyer: h.buyer, Seller: h.seller, Currency: h.currency},
			{By: h.buyer, Buyer: h.buyer, Seller: "", Amount: h.amount, Currency: h.currency},
		}
		for i, req := range bad {
			if _, err := h.e.Create(ctx, req); !errors.Is(err, ErrInvalid) {
				t.Errorf("bad create %d: got %v, want ErrInvalid", i, err)
			}
		}
		if _, err := h.e.Deal(ctx, 999999); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown deal: got %v, want ErrNotFound", err)
		}
		if _, err := h.e.Fund(ctx, Request{Deal: 999999, By: h.buyer}); !errors.Is(err, ErrNotFound) {
			t.Errorf("fund unknown deal: got %v, want ErrNotFound", err)
		}
	})

	t.Run("money", func(t *testing.T) {
		h := newHarness(t)
		// Release to the seller on confirm.
		d := h.reach(t, StatusDelivered)
		before := h.paid(t, h.seller)
		if _, err := h.e.Confirm(ctx, h.req(d.ID, h.buyer)); err != nil {
			t.Fatal(err)
		}
		if got := new(big.Int).Sub(h.paid(t, h.seller), before); got.Cmp(h.amount) != 0 {
			t.Errorf("seller received %s on confirm, want %s", got, h.amount)
		}
		// Refund to the buyer on a buyer ruling, with a dispute_lost event.
		d = h.reach(t, StatusDisputed)
		before = h.paid(t, h.buyer)
		r := h.req(d.ID, h.arbitrator)
		r.Ruling = RulingBuyer
		got, err := h.e.Rule(ctx, r)
		if err != nil || got.Status != StatusRefunded || got.Ruling != RulingBuyer {
			t.Fatalf("rule for buyer: %v, %+v", err, got)
		}
		if diff := new(big.Int).Sub(h.paid(t, h.buyer), before); diff.Cmp(h.amount) != 0 {
			t.Errorf("buyer received %s on refund ruling, want %s", diff, h.amount)
		}
		hist, err := h.e.History(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if last := hist[len(hist)-1]; last.Action != ActionDisputeLost || last.By != h.seller {
			t.Errorf("last event after a buyer ruling: %+v, want dispute_lost by the seller", last)
		}
		// A tie follows the default.
		d = h.reach(t, StatusDisputed)
		r = h.req(d.ID, h.arbitrator)
		r.Ruling = RulingNone
		if got, err := h.e.Rule(ctx, r); err != nil || got.Status != Outcome(RulingNone, h.timeouts.DisputeDefault) || got.Ruling != RulingNone {
			t.Errorf("rule none: %v, status %s, ruling %s", err, got.Status, got.Ruling)
		}
		// Out-of-range ruling.
		d = h.reach(t, StatusDisputed)
		r = h.req(d.ID, h.arbitrator)
		r.Ruling = 3
		if _, err := h.e.Rule(ctx, r); !errors.Is(err, ErrInvalid) {
			t.Errorf("ruling 3: got %v, want ErrInvalid", err)
		}
		if got, _ := h.e.Deal(ctx, d.ID); got.Status != StatusDisputed {
			t.Errorf("ruling 3 moved the deal to %s", got.Status)
		}
	})

	t.Run("history", func(t *testing.T) {
		h := newHarness(t)
		d := h.reach(t, StatusCompleted)
		hist, err := h.e.History(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []Action{ActionCreate, ActionFund, ActionConfirm, ActionComplete}
		if len(hist) != len(want) {
			t.Fatalf("history has %d events, want %d: %+v", len(hist), len(want), hist)
		}
		for i, ev := range hist {
			if ev.Action != want[i] || ev.Deal != d.ID {
				t.Errorf("event %d: %s on deal %d, want %s on %d", i, ev.Action, ev.Deal, want[i], d.ID)
			}
		}
		if hist[3].To != StatusCompleted || hist[3].By != h.seller {
			t.Errorf("last event: %+v", hist[3])
		}
	})

	t.Run("subscribe", func(t *testing.T) {
		h := newHarness(t)
		sctx, cancel := context.WithCancel(ctx)
		defer cancel()
		ch, err := h.e.Subscribe(sctx)
		if err != nil {
			t.Fatal(err)
		}
		d := h.reach(t, StatusDelivered)
		for _, want := range []Event{{Action: ActionCreate, To: StatusCreated}, {Action: ActionFund, From: StatusCreated, To: StatusFunded},
			{Action: ActionDeliver, From: StatusFunded, To: StatusDelivered}} {
			select {
			case ev := <-ch:
				if ev.Action != want.Action || ev.Deal != d.ID || ev.From != want.From || ev.To != want.To || ev.At.IsZero() {
					t.Errorf("event %+v, want %s %q→%q on %d", ev, want.Action, want.From, want.To, d.ID)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("no %s event", want.Action)
			}
		}
	})
}

// sameKind reports whether err carries the same sentinel as want.
func sameKind(err, want error) bool {
	for _, s := range []error{ErrForbidden, ErrInvalidState, ErrNotFound, ErrNotDue, ErrInvalid} {
		if errors.Is(want, s) {
			return errors.Is(err, s)
		}
	}
	return false
}

// seeded returns a random source seeded from the clock, or from
// ESCROW_SEED to replay a failed run; the seed is logged.
func seeded(t *testing.T, stream uint64) *rand.Rand {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("ESCROW_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("ESCROW_SEED %q is not an unsigned integer", s)
		}
	}
	t.Logf("seed %d (set ESCROW_SEED to replay)", seed)
	return rand.New(rand.NewPCG(seed, stream))
}
