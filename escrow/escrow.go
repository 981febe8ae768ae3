package escrow

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"
)

// Sentinel errors that callers branch on. Backends wrap them with details
// (which deal, which party, which state), so test with errors.Is.
var (
	// ErrNotFound: no deal with that id.
	ErrNotFound = errors.New("escrow: deal not found")
	// ErrForbidden: the party may not take this action on this deal.
	ErrForbidden = errors.New("escrow: party not allowed")
	// ErrInvalidState: the action is not allowed from the deal's status.
	ErrInvalidState = errors.New("escrow: action not allowed in this state")
	// ErrNotDue: a timeout was requested before the deal's deadline.
	ErrNotDue = errors.New("escrow: deadline not reached")
	// ErrInvalid: the request itself is malformed (bad amount, party,
	// currency, ruling...). The wrapped message names the field.
	ErrInvalid = errors.New("escrow: invalid request")
	// ErrConflict: an idempotency key was reused for a different request.
	ErrConflict = errors.New("escrow: idempotency key reused for a different request")
)

// DealID identifies a deal within one backend (a ledger file or one Escrow
// contract). IDs start at 1.
type DealID uint64

// Party identifies a buyer, seller or arbitrator. In the ledger it is any
// non-empty string the hub uses (a DID, an account name); in the EVM backend
// it is a 0x-prefixed address.
type Party string

// Status is where a deal is in its life.
type Status string

// The statuses. created → funded → delivered → confirmed → completed is the
// happy path; disputed is possible from funded and delivered; refunded and
// expired end a deal without paying the seller.
const (
	StatusCreated   Status = "created"   // terms agreed, no money yet
	StatusFunded    Status = "funded"    // the buyer's money is held
	StatusDelivered Status = "delivered" // the seller says it delivered
	StatusConfirmed Status = "confirmed" // money released to the seller
	StatusDisputed  Status = "disputed"  // an arbitrator decides
	StatusRefunded  Status = "refunded"  // money returned to the buyer (final)
	StatusCompleted Status = "completed" // both sides are done (final)
	StatusExpired   Status = "expired"   // never funded in time (final)
)

// Statuses lists every status, in lifecycle order.
var Statuses = []Status{StatusCreated, StatusFunded, StatusDelivered, StatusConfirmed,
	StatusDisputed, StatusRefunded, StatusCompleted, StatusExpired}

// Final reports whether no action can leave s.
func (s Status) Final() bool {
	return s == StatusRefunded || s == StatusCompleted || s == StatusExpired
}

// Holding reports whether a deal in status s holds the buyer's money.
func (s Status) Holding() bool {
	return s == StatusFunded || s == StatusDelivered || s == StatusDisputed
}

// Action is something a party does to a deal.
type Action string

// The actions of the Escrow interface.
const (
	ActionCreate   Action = "create"   // set up a deal (buyer or seller)
	ActionFund     Action = "fund"     // pay the amount in (buyer)
	ActionDeliver  Action = "deliver"  // mark delivered (seller)
	ActionConfirm  Action = "confirm"  // accept delivery, release money (buyer)
	ActionComplete Action = "complete" // close a confirmed deal (either party)
	ActionDispute  Action = "dispute"  // ask the arbitrator (either party)
	ActionEvidence Action = "evidence" // point to evidence (either party)
	ActionRule     Action = "rule"     // decide a dispute (arbitrator)
	ActionRefund   Action = "refund"   // give the money back (seller)
	ActionTimeout  Action = "timeout"  // apply the deadline's outcome (anyone)
)

// Actions lists every action.
var Actions = []Action{ActionCreate, ActionFund, ActionDeliver, ActionConfirm, ActionComplete,
	ActionDispute, ActionEvidence, ActionRule, ActionRefund, ActionTimeout}

// Role is a party's relation to a deal.
type Role uint8

// Roles. RoleAnyone matches every caller, parties and strangers alike.
const (
	RoleBuyer Role = 1 << iota
	RoleSeller
	RoleArbitrator
	RoleStranger
	RoleAnyone = RoleBuyer | RoleSeller | RoleArbitrator | RoleStranger
)

// String names the role (or roles) for messages.
func (r Role) String() string {
	switch r {
	case RoleBuyer:
		return "buyer"
	case RoleSeller:
		return "seller"
	case RoleArbitrator:
		return "arbitrator"
	case RoleStranger:
		return "stranger"
	case RoleBuyer | RoleSeller:
		return "buyer or seller"
	case RoleAnyone:
		return "anyone"
	}
	return fmt.Sprintf("roles(%d)", uint8(r))
}

// Ruling is an arbitrator's decision. The numbers are the ones the EVM
// contracts use (ERC-792: 0 is "refused to arbitrate").
type Ruling uint8

// Rulings.
const (
	RulingNone   Ruling = 0 // tie, no quorum or refusal: the deal's default applies
	RulingBuyer  Ruling = 1 // the buyer wins: refund
	RulingSeller Ruling = 2 // the seller wins: release
)

// String names the ruling.
func (r Ruling) String() string {
	switch r {
	case RulingNone:
		return "none"
	case RulingBuyer:
		return "buyer"
	case RulingSeller:
		return "seller"
	}
	return fmt.Sprintf("ruling(%d)", uint8(r))
}

// Outcome is the status a ruling leads to; RulingNone takes the default
// (which must itself be RulingBuyer or RulingSeller).
func Outcome(r, def Ruling) Status {
	if r == RulingNone {
		r = def
	}
	if r == RulingSeller {
		return StatusConfirmed
	}
	return StatusRefunded
}

// Transition is one row of the state table: who may take Action on a deal
// in status From, and the status it leads to. To is empty where the
// outcome depends on a ruling (see Outcome).
type Transition struct {
	Action Action
	From   Status // empty for ActionCreate: the deal does not exist yet
	By     Role
	To     Status
}

// table is the one place that says which party may do what from which
// state. The ledger enforces it, the Solidity contract mirrors it, and the
// shared test suite checks that both agree with it.
var table = []Transition{
	{ActionCreate, "", RoleBuyer | RoleSeller, StatusCreated},
	{ActionFund, StatusCreated, RoleBuyer, StatusFunded},
	{ActionDeliver, StatusFunded, RoleSeller, StatusDelivered},
	{ActionConfirm, StatusFunded, RoleBuyer, StatusConfirmed},
	{ActionConfirm, StatusDelivered, RoleBuyer, StatusConfirmed},
	{ActionComplete, StatusConfirmed, RoleBuyer | RoleSeller, StatusCompleted},
	{ActionDispute, StatusFunded, RoleBuyer | RoleSeller, StatusDisputed},
	{ActionDispute, StatusDelivered, RoleBuyer | RoleSeller, StatusDisputed},
	{ActionEvidence, StatusDisputed, RoleBuyer | RoleSeller, StatusDisputed},
	{ActionRule, StatusDisputed, RoleArbitrator, ""},
	{ActionRefund, StatusFunded, RoleSeller, StatusRefunded},
	{ActionRefund, StatusDelivered, RoleSeller, StatusRefunded},
	// Timeouts: anyone may apply them once the deal's deadline has passed.
	{ActionTimeout, StatusCreated, RoleAnyone, StatusExpired},     // never funded
	{ActionTimeout, StatusFunded, RoleAnyone, StatusRefunded},     // never delivered
	{ActionTimeout, StatusDelivered, RoleAnyone, StatusConfirmed}, // buyer silent: release
	{ActionTimeout, StatusDisputed, RoleAnyone, ""},               // no ruling: the default
}

// Transitions returns a copy of the state table.
func Transitions() []Transition {
	return append([]Transition(nil), table...)
}

// Allowed looks up the table: the transition for action a from status
// from, taken by a caller with role by. It returns ErrInvalidState when the
// action is not allowed from that status at all, and ErrForbidden when it
// is but not for that role. The state is checked first, so both backends
// report the same error for the same request.
func Allowed(a Action, from Status, by Role) (Transition, error) {
	found := false
	for _, t := range table {
		if t.Action != a || t.From != from {
			continue
		}
		found = true
		if t.By&by != 0 {
			return t, nil
		}
	}
	if !found {
		return Transition{}, fmt.Errorf("%w: %s from %q", ErrInvalidState, a, from)
	}
	return Transition{}, fmt.Errorf("%w: %s from %q needs %s, caller is %s", ErrForbidden, a, from, allowedRoles(a, from), by)
}

func allowedRoles(a Action, from Status) Role {
	var r Role
	for _, t := range table {
		if t.Action == a && t.From == from {
			r |= t.By
		}
	}
	return r
}

// Deal is one deal's current state.
type Deal struct {
	ID       DealID
	Buyer    Party
	Seller   Party
	Amount   *big.Int // integer minor units of Currency (cents, wei, token units)
	Currency string   // ISO 4217 code in the ledger; "native" or a token address on an EVM chain
	Group    uint64   // the arbitration group (community) that decides a dispute
	Status   Status
	// Deadline is when a timeout may be applied to the current status; zero
	// in a final or confirmed status.
	Deadline time.Time
	// DisputeID is the arbitrator's case number once disputed (nil before).
	DisputeID *big.Int
	// Ruling is the arbitrator's decision once ruled.
	Ruling  Ruling
	Created time.Time
	Updated time.Time
}

// Event is one entry of a deal's history, and what subscribers receive.
type Event struct {
	Deal   DealID
	Action Action // the action taken, or ActionDisputeLost, ActionVote, ActionWithdraw
	From   Status
	To     Status
	By     Party
	At     time.Time
	// Ruling, for ActionRule and a disputed timeout; the voter's choice for
	// ActionVote.
	Ruling Ruling
	// EvidenceURI and EvidenceHash, for ActionEvidence (ERC-1497 style:
	// a pointer and a digest, never the evidence itself).
	EvidenceURI  string
	EvidenceHash string
	// Tx is the transaction hash on an EVM chain; empty in the ledger.
	Tx string
	// Block is the number of the block holding the event on an EVM
	// chain (how many confirmations it has is the head's distance to
	// it); 0 in the ledger.
	Block uint64
}

// ActionDisputeLost marks the event emitted when a seller loses a dispute by
// ruling: the credentials work issues a DisputeLostCredential from it.
const ActionDisputeLost Action = "dispute_lost"

// ActionWithdraw marks a ledger payout to a party (not a deal action).
const ActionWithdraw Action = "withdraw"

// CreateRequest sets up a deal.
type CreateRequest struct {
	By       Party // the buyer or the seller
	Buyer    Party
	Seller   Party
	Amount   *big.Int
	Currency string
	Group    uint64
	// IdempotencyKey, if set, makes a retried request return the first
	// result instead of creating a second deal.
	IdempotencyKey string
	// Ref, if set, ties an EVM deal to what it is for (a hub puts the
	// hash of the agreement here): at most MaxRef bytes appended to the
	// creating transaction's call data after the arguments, which the
	// contract ignores and anyone can read back (EVM.CreationRef). The
	// ledger ignores it.
	Ref []byte
}

// Request is an action on an existing deal.
type Request struct {
	Deal DealID
	By   Party
	// Ruling, for ActionRule.
	Ruling Ruling
	// EvidenceURI and EvidenceHash (hex digest), for ActionEvidence.
	EvidenceURI  string
	EvidenceHash string
	// IdempotencyKey, if set, makes a retried request return the first
	// result instead of acting twice.
	IdempotencyKey string
}

// Escrow is a deal's whole life. Each method checks the state table
// (Allowed) and returns the deal after the action. A rejected request
// changes nothing.
type Escrow interface {
	Create(ctx context.Context, req CreateRequest) (Deal, error)
	Fund(ctx context.Context, req Request) (Deal, error)
	Deliver(ctx context.Context, req Request) (Deal, error)
	Confirm(ctx context.Context, req Request) (Deal, error)
	Complete(ctx context.Context, req Request) (Deal, error)
	Dispute(ctx context.Context, req Request) (Deal, error)
	Evidence(ctx context.Context, req Request) (Deal, error)
	Rule(ctx context.Context, req Request) (Deal, error)
	Refund(ctx context.Context, req Request) (Deal, error)
	Timeout(ctx context.Context, req Request) (Deal, error)

	// Deal returns a deal's current state.
	Deal(ctx context.Context, id DealID) (Deal, error)
	// History returns a deal's events, oldest first.
	History(ctx context.Context, id DealID) ([]Event, error)
	// Subscribe delivers every event from now on to the returned channel
	// until ctx ends; then the channel is closed.
	Subscribe(ctx context.Context) (<-chan Event, error)
}

// Do applies action a through the matching Escrow method. It is how table
// driven code (tests, the CLI) calls an Escrow.
func Do(ctx context.Context, e Escrow, a Action, req Request) (Deal, error) {
	switch a {
	case ActionFund:
		return e.Fund(ctx, req)
	case ActionDeliver:
		return e.Deliver(ctx, req)
	case ActionConfirm:
		return e.Confirm(ctx, req)
	case ActionComplete:
		return e.Complete(ctx, req)
	case ActionDispute:
		return e.Dispute(ctx, req)
	case ActionEvidence:
		return e.Evidence(ctx, req)
	case ActionRule:
		return e.Rule(ctx, req)
	case ActionRefund:
		return e.Refund(ctx, req)
	case ActionTimeout:
		return e.Timeout(ctx, req)
	}
	return Deal{}, fmt.Errorf("%w: action %q is not an action on an existing deal", ErrInvalid, a)
}

// Timeouts configures how long a deal may stay in each waiting status, and
// what an unanswered dispute becomes.
type Timeouts struct {
	Fund    time.Duration // created → expired if not funded
	Deliver time.Duration // funded → refunded if not delivered
	Confirm time.Duration // delivered → confirmed (released) if the buyer is silent
	Dispute time.Duration // disputed → DisputeDefault if no ruling
	// DisputeDefault is what a dispute without a ruling (or with a tie)
	// becomes: RulingBuyer (refund) or RulingSeller (release).
	DisputeDefault Ruling
}

// DefaultTimeouts are used where none are configured: a week to fund, two
// weeks to deliver, a week to confirm, a week for the vote; an undecided
// dispute refunds the buyer (the money goes back where it came from).
var DefaultTimeouts = Timeouts{
	Fund:           7 * 24 * time.Hour,
	Deliver:        14 * 24 * time.Hour,
	Confirm:        7 * 24 * time.Hour,
	Dispute:        7 * 24 * time.Hour,
	DisputeDefault: RulingBuyer,
}

// Validate reports the first wrong field.
func (t Timeouts) Validate() error {
	for _, f := range []struct {
		name string
		d    time.Duration
	}{{"fund", t.Fund}, {"deliver", t.Deliver}, {"confirm", t.Confirm}, {"dispute", t.Dispute}} {
		if f.d <= 0 {
			return fmt.Errorf("%w: %s timeout must be positive, got %s", ErrInvalid, f.name, f.d)
		}
		if f.d > 1<<32*time.Second-time.Second {
			return fmt.Errorf("%w: %s timeout must be under 136 years, got %s", ErrInvalid, f.name, f.d)
		}
	}
	if t.DisputeDefault != RulingBuyer && t.DisputeDefault != RulingSeller {
		return fmt.Errorf("%w: dispute default must be buyer (1) or seller (2), got %d", ErrInvalid, t.DisputeDefault)
	}
	return nil
}

// period is how long a deal may wait in status s (zero: no deadline).
func (t Timeouts) period(s Status) time.Duration {
	switch s {
	case StatusCreated:
		return t.Fund
	case StatusFunded:
		return t.Deliver
	case StatusDelivered:
		return t.Confirm
	case StatusDisputed:
		return t.Dispute
	}
	return 0
}

// validAmount checks a deal amount: positive, integer minor units.
func validAmount(a *big.Int) error {
	if a == nil || a.Sign() <= 0 {
		return fmt.Errorf("%w: amount must be a positive integer of minor units, got %v", ErrInvalid, a)
	}
	return nil
}
