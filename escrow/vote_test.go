package escrow

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"testing"
	"time"
)

// voteWorld is a backend with its Voting side and seven would-be voters.
type voteWorld struct {
	*harness
	v      Voting
	voters []Party
}

// dispute creates a group (members: the first n voters and both parties,
// or nobody if open), and a deal of that group disputed by the buyer.
func (w *voteWorld) dispute(t *testing.T, n int, quorum uint16, open bool) Deal {
	t.Helper()
	ctx := context.Background()
	members := append(append([]Party(nil), w.voters[:n]...), w.buyer, w.seller)
	if open {
		members = nil
	}
	g, err := w.v.CreateGroup(ctx, w.stranger, GroupOptions{VotePeriod: time.Hour, Quorum: quorum, Open: open, Members: members})
	if err != nil {
		t.Fatal(err)
	}
	d, err := w.e.Create(ctx, CreateRequest{By: w.buyer, Buyer: w.buyer, Seller: w.seller, Amount: w.amount, Currency: w.currency, Group: g})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		a  Action
		by Party
	}{{ActionFund, w.buyer}, {ActionDeliver, w.seller}, {ActionDispute, w.buyer}} {
		if d, err = Do(ctx, w.e, s.a, Request{Deal: d.ID, By: s.by}); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

func (w *voteWorld) wait(t *testing.T, d time.Duration) {
	t.Helper()
	w.advance(t, d)
}

// runVoteSuite holds both backends to the same voting rules.
func runVoteSuite(t *testing.T, newWorld func(t *testing.T) *voteWorld) {
	ctx := context.Background()
	for _, c := range []struct {
		name          string
		buyer, seller int
		want          Status
		ruling        Ruling
	}{
		{"seller wins 3-2", 2, 3, StatusConfirmed, RulingSeller},
		{"buyer wins 4-1", 4, 1, StatusRefunded, RulingBuyer},
		{"a tie takes the default", 2, 2, Outcome(RulingNone, DefaultTimeouts.DisputeDefault), RulingNone},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			d := w.dispute(t, 5, 1, false)
			i := 0
			for ; i < c.buyer; i++ {
				if err := w.v.Vote(ctx, d.ID, w.voters[i], RulingBuyer); err != nil {
					t.Fatal(err)
				}
			}
			for ; i < c.buyer+c.seller; i++ {
				if err := w.v.Vote(ctx, d.ID, w.voters[i], RulingSeller); err != nil {
					t.Fatal(err)
				}
			}
			w.wait(t, time.Hour)
			buyerBefore, sellerBefore := w.paid(t, w.buyer), w.paid(t, w.seller)
			got, err := w.v.ExecuteRuling(ctx, d.ID, w.stranger)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != c.want || got.Ruling != c.ruling {
				t.Fatalf("status %s ruling %s, want %s ruling %s", got.Status, got.Ruling, c.want, c.ruling)
			}
			winner, before := w.seller, sellerBefore
			if c.want == StatusRefunded {
				winner, before = w.buyer, buyerBefore
			}
			if diff := new(big.Int).Sub(w.paid(t, winner), before); diff.Cmp(w.amount) != 0 {
				t.Errorf("%s received %s, want %s", winner, diff, w.amount)
			}
			hist, err := w.e.History(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			lost := false
			for _, ev := range hist {
				lost = lost || ev.Action == ActionDisputeLost
			}
			if lost != (c.ruling == RulingBuyer) {
				t.Errorf("dispute_lost event: %v, want %v", lost, c.ruling == RulingBuyer)
			}
			if _, err := w.v.ExecuteRuling(ctx, d.ID, w.stranger); !errors.Is(err, ErrInvalidState) {
				t.Errorf("executing twice: got %v, want ErrInvalidState", err)
			}
		})
	}

	t.Run("refusals", func(t *testing.T) {
		w := newWorld(t)
		d := w.dispute(t, 5, 1, false)
		late := w.voters[5]
		w.wait(t, time.Second)
		if err := w.v.AddMembers(ctx, w.buyer, d.Group, []Party{late}); !errors.Is(err, ErrForbidden) {
			t.Errorf("a non-admin adding members: got %v, want ErrForbidden", err)
		}
		if err := w.v.AddMembers(ctx, w.stranger, d.Group, []Party{late}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name   string
			voter  Party
			choice Ruling
			want   error
		}{
			{"the buyer", w.buyer, RulingBuyer, ErrForbidden},
			{"the seller", w.seller, RulingSeller, ErrForbidden},
			{"a non-member", w.voters[6], RulingBuyer, ErrForbidden},
			{"a member who joined after the dispute", late, RulingBuyer, ErrForbidden},
			{"choice 3", w.voters[0], 3, ErrInvalid},
			{"choice 0", w.voters[0], RulingNone, ErrInvalid},
		} {
			if err := w.v.Vote(ctx, d.ID, c.voter, c.choice); !errors.Is(err, c.want) {
				t.Errorf("%s voting: got %v, want %v", c.name, err, c.want)
			}
		}
		if err := w.v.Vote(ctx, d.ID, w.voters[0], RulingSeller); err != nil {
			t.Fatal(err)
		}
		if err := w.v.Vote(ctx, d.ID, w.voters[0], RulingBuyer); !errors.Is(err, ErrInvalidState) {
			t.Errorf("voting twice: got %v, want ErrInvalidState", err)
		}
		if _, err := w.v.ExecuteRuling(ctx, d.ID, w.stranger); !errors.Is(err, ErrInvalidState) {
			t.Errorf("executing during the vote: got %v, want ErrInvalidState", err)
		}
		if _, err := w.e.Rule(ctx, Request{Deal: d.ID, By: w.arbitrator, Ruling: RulingBuyer}); !errors.Is(err, ErrForbidden) {
			t.Errorf("a mediator ruling on a deal its group decides: got %v, want ErrForbidden", err)
		}
		w.wait(t, time.Hour)
		if err := w.v.Vote(ctx, d.ID, w.voters[1], RulingBuyer); !errors.Is(err, ErrInvalidState) {
			t.Errorf("voting after the window: got %v, want ErrInvalidState", err)
		}
		if got, err := w.v.ExecuteRuling(ctx, d.ID, w.stranger); err != nil || got.Status != StatusConfirmed {
			t.Errorf("one seller vote, quorum 1: %v, %s", err, got.Status)
		}
		if err := w.v.Vote(ctx, d.ID, w.voters[2], RulingBuyer); !errors.Is(err, ErrInvalidState) {
			t.Errorf("voting on a ruled deal: got %v, want ErrInvalidState", err)
		}
	})

	t.Run("quorum", func(t *testing.T) {
		w := newWorld(t)
		d := w.dispute(t, 5, 2, false)
		if err := w.v.Vote(ctx, d.ID, w.voters[0], RulingSeller); err != nil {
			t.Fatal(err)
		}
		w.wait(t, time.Hour)
		got, err := w.v.ExecuteRuling(ctx, d.ID, w.stranger)
		if want := Outcome(RulingNone, DefaultTimeouts.DisputeDefault); err != nil || got.Status != want || got.Ruling != RulingNone {
			t.Errorf("one vote of a quorum of two: %v, %s ruling %s, want %s by default", err, got.Status, got.Ruling, want)
		}
	})

	t.Run("open pool", func(t *testing.T) {
		w := newWorld(t)
		d := w.dispute(t, 0, 1, true)
		if err := w.v.Vote(ctx, d.ID, w.seller, RulingSeller); !errors.Is(err, ErrForbidden) {
			t.Errorf("the seller voting in an open pool: got %v, want ErrForbidden", err)
		}
		for _, v := range w.voters[:3] {
			if err := w.v.Vote(ctx, d.ID, v, RulingBuyer); err != nil {
				t.Fatalf("anyone votes in an open pool: %v", err)
			}
		}
		w.wait(t, time.Hour)
		if got, err := w.v.ExecuteRuling(ctx, d.ID, w.stranger); err != nil || got.Status != StatusRefunded {
			t.Errorf("three buyer votes: %v, %s", err, got.Status)
		}
	})

	t.Run("no ruling in time", func(t *testing.T) {
		w := newWorld(t)
		d := w.dispute(t, 3, 1, false)
		w.wait(t, DefaultTimeouts.Dispute)
		if err := w.v.Vote(ctx, d.ID, w.voters[0], RulingSeller); !errors.Is(err, ErrInvalidState) {
			t.Errorf("voting after the window: got %v", err)
		}
		got, err := w.e.Timeout(ctx, Request{Deal: d.ID, By: w.stranger})
		if err != nil || got.Status != Outcome(RulingNone, DefaultTimeouts.DisputeDefault) {
			t.Fatalf("dispute timeout: %v, %s", err, got.Status)
		}
		if _, err := w.v.ExecuteRuling(ctx, d.ID, w.stranger); !errors.Is(err, ErrInvalidState) {
			t.Errorf("executing a vote whose deal timed out: got %v, want ErrInvalidState", err)
		}
	})

	t.Run("bad groups", func(t *testing.T) {
		w := newWorld(t)
		if _, err := w.v.CreateGroup(ctx, w.stranger, GroupOptions{VotePeriod: 0}); !errors.Is(err, ErrInvalid) {
			t.Errorf("a zero vote period: got %v, want ErrInvalid", err)
		}
		if err := w.v.AddMembers(ctx, w.stranger, 999, []Party{w.voters[0]}); err == nil {
			t.Errorf("adding members to an unknown group succeeded")
		}
	})
}

func TestLedgerVotes(t *testing.T) {
	runVoteSuite(t, func(t *testing.T) *voteWorld {
		h := ledgerHarness(t)
		var voters []Party
		for i := 0; i < 7; i++ {
			voters = append(voters, Party(fmt.Sprintf("did:web:voter-%d.example", i)))
		}
		return &voteWorld{harness: h, v: h.e.(*Ledger), voters: voters}
	})
}

func TestEVMVotes(t *testing.T) {
	runVoteSuite(t, func(t *testing.T) *voteWorld {
		w := newEVMWorld(t, true)
		h := evmHarnessFor(w)
		var voters []Party
		for i := 0; i < 7; i++ {
			voters = append(voters, w.party(accVoter0+i))
		}
		return &voteWorld{harness: h, v: w.e, voters: voters}
	})
}
