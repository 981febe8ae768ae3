package escrow

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	bolt "go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/boltgroup"
)

// Bucket layout inside the top-level "escrow" bucket of a bbolt file:
//
//	deals    id (8 bytes, big endian) → deal record (JSON)
//	accounts account name → balance, a decimal integer of minor units
//	journal  sequence → one double entry (JSON): amount moved from one account to another
//	audit    sequence → one Event (JSON); append-only, never rewritten
//	history  deal id (8 bytes) + audit sequence → 1: the index of a deal's entries
//	idem     idempotency key → the request's fingerprint and the deal after it
//	groups   group id (8 bytes) → voting group (JSON): periods, quorum, members
//	votes    deal id (8 bytes) + voter → the voter's choice (one byte)
//
// Account names: "in/<currency>" is the outside world (its balance is minus
// everything paid in, plus everything paid out), "deal/<id>" holds a deal's
// money, and "party/<currency>/<party>" is what the ledger owes a party.
var (
	bucketRoot     = []byte("escrow")
	bucketDeals    = []byte("deals")
	bucketAccounts = []byte("accounts")
	bucketJournal  = []byte("journal")
	bucketAudit    = []byte("audit")
	bucketIdem     = []byte("idem")
	bucketGroups   = []byte("groups")
	bucketVotes    = []byte("votes")
	bucketHistory  = []byte("history")
)

// LedgerOptions configures a Ledger.
type LedgerOptions struct {
	// Timeouts for each waiting status; DefaultTimeouts if zero.
	Timeouts Timeouts
	// Arbitrator is the party whose rulings decide disputes of deals without
	// a voting group (a mediator). Without one, such disputes end by timeout.
	// Deals with a group are decided by its vote (see Voting).
	Arbitrator Party
	// Now is the clock; time.Now if nil. Tests move it to reach deadlines.
	Now func() time.Time
	// FundFromBalance makes Fund take a deal's amount from the buyer's
	// account at the ledger (credited by Deposit) instead of from the
	// outside world; a buyer whose balance is short is refused with
	// ErrInvalid. An escrow agent runs this way: its operator records
	// what each party paid in, and only the buyer's signed request moves
	// it into a deal.
	FundFromBalance bool
}

// Ledger is the default Escrow backend: a double-entry ledger in a bbolt
// file, needing no chain. Every transition writes the deal's new state, its
// money movement, its audit entry and its idempotency record in one bbolt
// transaction, so a crash never leaves a deal half-moved.
type Ledger struct {
	db     *bolt.DB
	ownsDB bool
	opts   LedgerOptions

	mu   sync.Mutex
	subs map[chan Event]context.Context

	group *boltgroup.Committer // the steps' shared commits

	// crashHook, if set, runs inside a transition's bbolt transaction after
	// the deal's state is written and before the money moves. Tests use it
	// to kill the process at the worst moment.
	crashHook func()
}

var (
	_ Escrow = (*Ledger)(nil)
	_ Voting = (*Ledger)(nil)
)

// OpenLedger opens (or creates) the ledger in the bbolt file at path.
func OpenLedger(path string, opts LedgerOptions) (*Ledger, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("open escrow ledger %s: %w", path, err)
	}
	l, err := NewLedger(db, opts)
	if err != nil {
		db.Close()
		return nil, err
	}
	l.ownsDB = true
	return l, nil
}

// NewLedger uses an already open bbolt file (for a process that keeps one
// file for all its packages). Close does not close db.
func NewLedger(db *bolt.DB, opts LedgerOptions) (*Ledger, error) {
	if opts.Timeouts == (Timeouts{}) {
		opts.Timeouts = DefaultTimeouts
	}
	if err := opts.Timeouts.Validate(); err != nil {
		return nil, err
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	err := db.Update(func(tx *bolt.Tx) error {
		root, err := tx.CreateBucketIfNotExists(bucketRoot)
		if err != nil {
			return err
		}
		for _, name := range [][]byte{bucketDeals, bucketAccounts, bucketJournal, bucketAudit, bucketIdem, bucketGroups, bucketVotes, bucketHistory} {
			if _, err := root.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("create escrow buckets: %w", err)
	}
	return &Ledger{db: db, opts: opts, subs: map[chan Event]context.Context{}, group: boltgroup.New(db)}, nil
}

// Close closes the file if OpenLedger opened it.
func (l *Ledger) Close() error {
	if l.ownsDB {
		return l.db.Close()
	}
	return nil
}

// record is a deal as stored.
type record struct {
	ID        DealID    `json:"id"`
	Buyer     Party     `json:"buyer"`
	Seller    Party     `json:"seller"`
	Amount    string    `json:"amount"`
	Currency  string    `json:"currency"`
	Group     uint64    `json:"group,omitempty"`
	Status    Status    `json:"status"`
	Deadline  time.Time `json:"deadline,omitzero"`
	DisputeID string    `json:"dispute_id,omitempty"`
	Ruling    Ruling    `json:"ruling,omitempty"`
	Created   time.Time `json:"created"`
	Updated   time.Time `json:"updated"`
}

func toRecord(d Deal) record {
	r := record{d.ID, d.Buyer, d.Seller, d.Amount.String(), d.Currency, d.Group, d.Status,
		d.Deadline, "", d.Ruling, d.Created, d.Updated}
	if d.DisputeID != nil {
		r.DisputeID = d.DisputeID.String()
	}
	return r
}

func (r record) deal() (Deal, error) {
	amt, ok := new(big.Int).SetString(r.Amount, 10)
	if !ok {
		return Deal{}, fmt.Errorf("deal %d: stored amount %q is not an integer", r.ID, r.Amount)
	}
	d := Deal{r.ID, r.Buyer, r.Seller, amt, r.Currency, r.Group, r.Status,
		r.Deadline, nil, r.Ruling, r.Created, r.Updated}
	if r.DisputeID != "" {
		if d.DisputeID, ok = new(big.Int).SetString(r.DisputeID, 10); !ok {
			return Deal{}, fmt.Errorf("deal %d: stored dispute id %q is not an integer", r.ID, r.DisputeID)
		}
	}
	return d, nil
}

// entry is one double-entry journal line.
type entry struct {
	Deal   DealID    `json:"deal"`
	Action Action    `json:"action"`
	From   string    `json:"from"`
	To     string    `json:"to"`
	Amount string    `json:"amount"`
	At     time.Time `json:"at"`
}

type idemRecord struct {
	Fingerprint string `json:"fingerprint"`
	Deal        record `json:"deal"`
}

func dealKey(id DealID) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(id))
}

func validParty(field string, p Party) error {
	if p == "" {
		return fmt.Errorf("%w: %s is empty", ErrInvalid, field)
	}
	if len(p) > 256 {
		return fmt.Errorf("%w: %s is longer than 256 bytes", ErrInvalid, field)
	}
	if strings.IndexFunc(string(p), func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }) >= 0 {
		return fmt.Errorf("%w: %s %q contains spaces or control characters", ErrInvalid, field, p)
	}
	return nil
}

func validCurrency(c string) error {
	if c == "" || len(c) > 64 || strings.ContainsAny(c, "/ \t\r\n") {
		return fmt.Errorf("%w: currency %q must be 1-64 characters without spaces or '/' (an ISO 4217 code such as EUR)", ErrInvalid, c)
	}
	return nil
}

func validEvidence(req Request) error {
	if req.EvidenceURI == "" || len(req.EvidenceURI) > 2048 {
		return fmt.Errorf("%w: evidence URI must be 1-2048 bytes, got %d", ErrInvalid, len(req.EvidenceURI))
	}
	h := strings.TrimPrefix(req.EvidenceHash, "0x")
	if b, err := hex.DecodeString(h); err != nil || len(b) != 32 {
		return fmt.Errorf("%w: evidence hash must be 32 bytes in hex (a SHA-256 or Keccak-256 digest), got %q", ErrInvalid, req.EvidenceHash)
	}
	return nil
}

// checkRequest validates the fields an action needs, before anything is read.
func checkRequest(a Action, req Request) error {
	if req.Deal == 0 {
		return fmt.Errorf("%w: deal id is missing (ids start at 1)", ErrInvalid)
	}
	if err := validParty("by", req.By); err != nil {
		return err
	}
	switch a {
	case ActionEvidence:
		return validEvidence(req)
	case ActionRule:
		if req.Ruling > RulingSeller {
			return fmt.Errorf("%w: ruling must be 0 (none), 1 (buyer) or 2 (seller), got %d", ErrInvalid, req.Ruling)
		}
	}
	return nil
}

func fingerprint(parts ...any) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%v\x00", p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Then runs inside the bbolt transaction of a ledger step, after the step
// (or after finding the step already taken under the same idempotency
// key), with the deal and its whole history: what it writes commits with
// the step, and its error undoes the step. An escrow agent queues its
// reports of the step to both parties this way, so that a crash never
// keeps a step and loses its report.
type Then func(tx *bolt.Tx, d Deal, history []Event) error

// Create sets up a deal in status created.
func (l *Ledger) Create(ctx context.Context, req CreateRequest) (Deal, error) {
	return l.CreateThen(ctx, req, nil)
}

// CreateThen is Create with then run inside its transaction.
func (l *Ledger) CreateThen(ctx context.Context, req CreateRequest, then Then) (Deal, error) {
	if err := validParty("buyer", req.Buyer); err != nil {
		return Deal{}, err
	}
	if err := validParty("seller", req.Seller); err != nil {
		return Deal{}, err
	}
	if err := validParty("by", req.By); err != nil {
		return Deal{}, err
	}
	if req.Buyer == req.Seller {
		return Deal{}, fmt.Errorf("%w: buyer and seller are the same party %q", ErrInvalid, req.Buyer)
	}
	if err := validAmount(req.Amount); err != nil {
		return Deal{}, err
	}
	if err := validCurrency(req.Currency); err != nil {
		return Deal{}, err
	}
	role := RoleStranger
	switch req.By {
	case req.Buyer:
		role = RoleBuyer
	case req.Seller:
		role = RoleSeller
	}
	if _, err := Allowed(ActionCreate, "", role); err != nil {
		return Deal{}, err
	}
	if err := ctx.Err(); err != nil {
		return Deal{}, err
	}
	fp := fingerprint(ActionCreate, req.By, req.Buyer, req.Seller, req.Amount, req.Currency, req.Group)
	var out Deal
	var events []Event
	err := l.batch(func(tx *bolt.Tx) error {
		out, events = Deal{}, nil
		root := tx.Bucket(bucketRoot)
		if done, d, err := replay(root, req.IdempotencyKey, fp); done || err != nil {
			out = d
			if err != nil {
				return err
			}
			return runThen(tx, then, d)
		}
		if req.Group != 0 && root.Bucket(bucketGroups).Get(dealKey(DealID(req.Group))) == nil {
			return fmt.Errorf("%w: voting group %d does not exist", ErrInvalid, req.Group)
		}
		deals := root.Bucket(bucketDeals)
		seq, err := deals.NextSequence()
		if err != nil {
			return err
		}
		now := l.opts.Now().UTC()
		d := Deal{ID: DealID(seq), Buyer: req.Buyer, Seller: req.Seller, Amount: new(big.Int).Set(req.Amount),
			Currency: req.Currency, Group: req.Group, Status: StatusCreated,
			Deadline: now.Add(l.opts.Timeouts.Fund), Created: now, Updated: now}
		if err := putDeal(deals, d); err != nil {
			return err
		}
		ev := Event{Deal: d.ID, Action: ActionCreate, To: StatusCreated, By: req.By, At: now}
		if err := appendAudit(root, ev); err != nil {
			return err
		}
		events = append(events, ev)
		out = d
		if err := remember(root, req.IdempotencyKey, fp, d); err != nil {
			return err
		}
		return runThen(tx, then, d)
	})
	if err != nil {
		return Deal{}, fmt.Errorf("create deal: %w", err)
	}
	l.publish(events)
	return out, nil
}

// replay returns the stored result if key was already used for the same
// request, ErrConflict if it was used for another one.
func replay(root *bolt.Bucket, key, fp string) (bool, Deal, error) {
	if key == "" {
		return false, Deal{}, nil
	}
	v := root.Bucket(bucketIdem).Get([]byte(key))
	if v == nil {
		return false, Deal{}, nil
	}
	var r idemRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return false, Deal{}, fmt.Errorf("idempotency key %q: %w", key, err)
	}
	if r.Fingerprint != fp {
		return false, Deal{}, fmt.Errorf("%w: key %q", ErrConflict, key)
	}
	d, err := r.Deal.deal()
	return true, d, err
}

func remember(root *bolt.Bucket, key, fp string, d Deal) error {
	if key == "" {
		return nil
	}
	v, err := json.Marshal(idemRecord{fp, toRecord(d)})
	if err != nil {
		return err
	}
	return root.Bucket(bucketIdem).Put([]byte(key), v)
}

func putDeal(deals *bolt.Bucket, d Deal) error {
	v, err := json.Marshal(toRecord(d))
	if err != nil {
		return err
	}
	return deals.Put(dealKey(d.ID), v)
}

func getDeal(root *bolt.Bucket, id DealID) (Deal, error) {
	v := root.Bucket(bucketDeals).Get(dealKey(id))
	if v == nil {
		return Deal{}, fmt.Errorf("%w: deal %d", ErrNotFound, id)
	}
	var r record
	if err := json.Unmarshal(v, &r); err != nil {
		return Deal{}, fmt.Errorf("deal %d: %w", id, err)
	}
	return r.deal()
}

func appendAudit(root *bolt.Bucket, ev Event) error {
	audit := root.Bucket(bucketAudit)
	seq, err := audit.NextSequence()
	if err != nil {
		return err
	}
	v, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	key := binary.BigEndian.AppendUint64(nil, seq)
	if err := audit.Put(key, v); err != nil {
		return err
	}
	if ev.Deal == 0 {
		return nil
	}
	// Index it under its deal, so History reads one deal's entries only.
	return root.Bucket(bucketHistory).Put(append(dealKey(ev.Deal), key...), []byte{1})
}

// move is one double entry: amount leaves from and arrives in to.
func move(root *bolt.Bucket, d Deal, a Action, from, to string, at time.Time) error {
	accts := root.Bucket(bucketAccounts)
	for _, side := range []struct {
		name string
		sign int
	}{{from, -1}, {to, +1}} {
		bal := new(big.Int)
		if v := accts.Get([]byte(side.name)); v != nil {
			if _, ok := bal.SetString(string(v), 10); !ok {
				return fmt.Errorf("account %s: stored balance %q is not an integer", side.name, v)
			}
		}
		if side.sign < 0 {
			bal.Sub(bal, d.Amount)
		} else {
			bal.Add(bal, d.Amount)
		}
		if bal.Sign() < 0 && !strings.HasPrefix(side.name, "in/") {
			return fmt.Errorf("account %s would go negative moving %s for deal %d", side.name, d.Amount, d.ID)
		}
		if err := accts.Put([]byte(side.name), []byte(bal.String())); err != nil {
			return err
		}
	}
	journal := root.Bucket(bucketJournal)
	seq, err := journal.NextSequence()
	if err != nil {
		return err
	}
	v, err := json.Marshal(entry{d.ID, a, from, to, d.Amount.String(), at})
	if err != nil {
		return err
	}
	return journal.Put(binary.BigEndian.AppendUint64(nil, seq), v)
}

func inAccount(cur string) string             { return "in/" + cur }
func dealAccount(id DealID) string            { return fmt.Sprintf("deal/%d", id) }
func partyAccount(cur string, p Party) string { return "party/" + cur + "/" + string(p) }

func (l *Ledger) role(d Deal, p Party) Role {
	switch {
	case p == d.Buyer:
		return RoleBuyer
	case p == d.Seller:
		return RoleSeller
	case l.opts.Arbitrator != "" && p == l.opts.Arbitrator && d.Group == 0:
		return RoleArbitrator // a deal with a voting group is decided by its vote
	}
	return RoleStranger
}

// runThen runs then, if any, with d's history read inside tx.
func runThen(tx *bolt.Tx, then Then, d Deal) error {
	if then == nil {
		return nil
	}
	hist, err := historyIn(tx.Bucket(bucketRoot), d.ID)
	if err != nil {
		return err
	}
	return then(tx, d, hist)
}

// batch runs step in a write transaction shared with the steps arriving
// at once (boltgroup: one commit, one fsync, for all of them); a step
// that fails runs once and undoes nothing of the others.
func (l *Ledger) batch(step func(tx *bolt.Tx) error) error { return l.group.Run(step) }

// DoThen takes action a on an existing deal as Do does, with then run
// inside the step's transaction.
func (l *Ledger) DoThen(ctx context.Context, a Action, req Request, then Then) (Deal, error) {
	if !slices.Contains([]Action{ActionFund, ActionDeliver, ActionConfirm, ActionComplete, ActionDispute, ActionEvidence, ActionRule, ActionRefund, ActionTimeout}, a) {
		return Deal{}, fmt.Errorf("%w: action %q is not an action on an existing deal", ErrInvalid, a)
	}
	return l.applyThen(ctx, a, req, then)
}

// apply runs one action on an existing deal in one bbolt transaction.
func (l *Ledger) apply(ctx context.Context, a Action, req Request) (Deal, error) {
	return l.applyThen(ctx, a, req, nil)
}

func (l *Ledger) applyThen(ctx context.Context, a Action, req Request, then Then) (Deal, error) {
	if err := checkRequest(a, req); err != nil {
		return Deal{}, err
	}
	if err := ctx.Err(); err != nil {
		return Deal{}, err
	}
	fp := fingerprint(a, req.Deal, req.By, req.Ruling, req.EvidenceURI, req.EvidenceHash)
	var out Deal
	var events []Event
	err := l.batch(func(tx *bolt.Tx) error {
		out, events = Deal{}, nil
		root := tx.Bucket(bucketRoot)
		if done, d, err := replay(root, req.IdempotencyKey, fp); done || err != nil {
			out = d
			if err != nil {
				return err
			}
			return runThen(tx, then, d)
		}
		d, err := getDeal(root, req.Deal)
		if err != nil {
			return err
		}
		if out, events, err = l.transition(root, d, a, req, l.role(d, req.By)); err != nil {
			return err
		}
		if err := remember(root, req.IdempotencyKey, fp, out); err != nil {
			return err
		}
		return runThen(tx, then, out)
	})
	if err != nil {
		return Deal{}, fmt.Errorf("%s deal %d: %w", a, req.Deal, err)
	}
	l.publish(events)
	return out, nil
}

// transition applies action a to deal d, taken by req.By in role, inside
// the bbolt transaction of root: the state table, the deadline, the deal's
// new state, its money movement and its audit entries.
func (l *Ledger) transition(root *bolt.Bucket, d Deal, a Action, req Request, role Role) (Deal, []Event, error) {
	t, err := Allowed(a, d.Status, role)
	if err != nil {
		return Deal{}, nil, err
	}
	now := l.opts.Now().UTC()
	if a == ActionTimeout && now.Before(d.Deadline) {
		return Deal{}, nil, fmt.Errorf("%w: %s until %s", ErrNotDue, d.Status, d.Deadline.Format(time.RFC3339))
	}
	from := d.Status
	ruling := req.Ruling
	to := t.To
	if to == "" { // decided by a ruling, or the default
		if a == ActionTimeout {
			ruling = RulingNone
		}
		to = Outcome(ruling, l.opts.Timeouts.DisputeDefault)
		d.Ruling = ruling
	}
	d.Status, d.Updated = to, now
	if a == ActionDispute {
		d.DisputeID = new(big.Int).SetUint64(uint64(d.ID)) // the ledger's disputes are named by their deal
		if d.Group != 0 {
			if err := openVote(root, d, now); err != nil {
				return Deal{}, nil, err
			}
		}
	}
	if p := l.opts.Timeouts.period(to); p > 0 && to != from {
		d.Deadline = now.Add(p)
	} else if to != from {
		d.Deadline = time.Time{}
	}
	if err := putDeal(root.Bucket(bucketDeals), d); err != nil {
		return Deal{}, nil, err
	}
	if l.crashHook != nil {
		l.crashHook()
	}
	switch {
	case a == ActionFund && l.opts.FundFromBalance:
		acct := partyAccount(d.Currency, d.Buyer)
		bal := new(big.Int)
		if v := root.Bucket(bucketAccounts).Get([]byte(acct)); v != nil {
			bal.SetString(string(v), 10)
		}
		if bal.Cmp(d.Amount) < 0 {
			return Deal{}, nil, fmt.Errorf("%w: the buyer's balance of %s %s is short of the deal's %s", ErrInvalid, bal, d.Currency, d.Amount)
		}
		err = move(root, d, a, acct, dealAccount(d.ID), now)
	case a == ActionFund:
		err = move(root, d, a, inAccount(d.Currency), dealAccount(d.ID), now)
	case from.Holding() && to == StatusConfirmed:
		err = move(root, d, a, dealAccount(d.ID), partyAccount(d.Currency, d.Seller), now)
	case from.Holding() && to == StatusRefunded:
		err = move(root, d, a, dealAccount(d.ID), partyAccount(d.Currency, d.Buyer), now)
	}
	if err != nil {
		return Deal{}, nil, err
	}
	ev := Event{Deal: d.ID, Action: a, From: from, To: to, By: req.By, At: now}
	if a == ActionEvidence {
		ev.EvidenceURI, ev.EvidenceHash = req.EvidenceURI, strings.ToLower(strings.TrimPrefix(req.EvidenceHash, "0x"))
	}
	if from == StatusDisputed && to != StatusDisputed {
		ev.Ruling = ruling
	}
	events := []Event{ev}
	if a == ActionRule && ruling == RulingBuyer {
		events = append(events, Event{Deal: d.ID, Action: ActionDisputeLost, From: to, To: to, By: d.Seller, At: now, Ruling: ruling})
	}
	for _, ev := range events {
		if err := appendAudit(root, ev); err != nil {
			return Deal{}, nil, err
		}
	}
	return d, events, nil
}

// Fund records the buyer's payment: the amount moves from outside into the
// deal's account.
func (l *Ledger) Fund(ctx context.Context, req Request) (Deal, error) {
	return l.apply(ctx, ActionFund, req)
}

// Deliver records that the seller delivered.
func (l *Ledger) Deliver(ctx context.Context, req Request) (Deal, error) {
	return l.apply(ctx, ActionDeliver, req)
}

// Confirm records the buyer's acceptance and releases the money to the
// seller's account.
func (l *Ledger) Confirm(ctx context.Context, req Request) (Deal, error) {
	return l.apply(ctx, ActionConfirm, req)
}

// Complete closes a confirmed deal.
func (l *Ledger) Complete(ctx context.Context, req Request) (Deal, error) {
	return l.apply(ctx, ActionComplete, req)
}

// Dispute hands the deal to the arbitrator.
func (l *Ledger) Dispute(ctx context.Context, req Request) (Deal, error) {
	return l.apply(ctx, ActionDispute, req)
}

// Evidence records a pointer to evidence (URI and digest) for a dispute.
func (l *Ledger) Evidence(ctx context.Context, req Request) (Deal, error) {
	return l.apply(ctx, ActionEvidence, req)
}

// Rule applies the arbitrator's ruling: RulingSeller releases, RulingBuyer
// refunds (and emits a dispute_lost event), RulingNone takes the default.
func (l *Ledger) Rule(ctx context.Context, req Request) (Deal, error) {
	return l.apply(ctx, ActionRule, req)
}

// Refund returns the money to the buyer; only the seller may decide it.
func (l *Ledger) Refund(ctx context.Context, req Request) (Deal, error) {
	return l.apply(ctx, ActionRefund, req)
}

// Timeout applies the outcome of a passed deadline (see Timeouts).
func (l *Ledger) Timeout(ctx context.Context, req Request) (Deal, error) {
	return l.apply(ctx, ActionTimeout, req)
}

// TimeoutDue applies every passed deadline, acting as party by, and returns
// how many deals it moved. A hub runs it periodically.
func (l *Ledger) TimeoutDue(ctx context.Context, by Party) (int, error) {
	now := l.opts.Now()
	var due []DealID
	err := l.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketRoot).Bucket(bucketDeals).ForEach(func(k, v []byte) error {
			var r record
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("deal %x: %w", k, err)
			}
			if !r.Deadline.IsZero() && !now.Before(r.Deadline) && !r.Status.Final() && r.Status != StatusConfirmed {
				due = append(due, r.ID)
			}
			return nil
		})
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range due {
		if _, err := l.Timeout(ctx, Request{Deal: id, By: by}); err != nil {
			if errors.Is(err, ErrNotDue) || errors.Is(err, ErrInvalidState) {
				continue // moved meanwhile
			}
			return n, err
		}
		n++
	}
	return n, nil
}

// WithdrawRequest records that a party was paid out of the ledger.
type WithdrawRequest struct {
	By       Party
	Currency string
	Amount   *big.Int
	// IdempotencyKey, if set, makes a retried request return the first
	// result instead of paying out twice.
	IdempotencyKey string
}

// DepositRequest records that a party paid into the ledger (money
// received outside, or time credits granted by a community).
type DepositRequest = WithdrawRequest

// ActionDeposit marks a ledger payment in by a party (not a deal action).
const ActionDeposit Action = "deposit"

// Withdraw records a payout of amount to party By (the hub paid it on its
// own rail): the amount leaves the party's account for the outside world.
// It returns the party's remaining balance. Paying out more than the
// balance is ErrInvalid.
func (l *Ledger) Withdraw(ctx context.Context, req WithdrawRequest) (*big.Int, error) {
	return l.payment(ctx, ActionWithdraw, req)
}

// Deposit records a payment in by party By: the amount moves from the
// outside world into the party's account, where a deal of theirs can take
// it (see LedgerOptions.FundFromBalance). It returns the party's new
// balance.
func (l *Ledger) Deposit(ctx context.Context, req DepositRequest) (*big.Int, error) {
	return l.payment(ctx, ActionDeposit, req)
}

func (l *Ledger) payment(ctx context.Context, a Action, req WithdrawRequest) (*big.Int, error) {
	if err := validParty("by", req.By); err != nil {
		return nil, err
	}
	if err := validCurrency(req.Currency); err != nil {
		return nil, err
	}
	if err := validAmount(req.Amount); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fp := fingerprint(string(a), req.By, req.Currency, req.Amount)
	var left *big.Int
	err := l.db.Update(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketRoot)
		if req.IdempotencyKey != "" {
			if v := root.Bucket(bucketIdem).Get([]byte(req.IdempotencyKey)); v != nil {
				var r idemRecord
				if err := json.Unmarshal(v, &r); err != nil {
					return err
				}
				if r.Fingerprint != fp {
					return fmt.Errorf("%w: key %q", ErrConflict, req.IdempotencyKey)
				}
				var ok bool
				if left, ok = new(big.Int).SetString(r.Deal.Amount, 10); !ok {
					return fmt.Errorf("idempotency key %q: stored balance %q is not an integer", req.IdempotencyKey, r.Deal.Amount)
				}
				return nil
			}
		}
		acct := partyAccount(req.Currency, req.By)
		bal := new(big.Int)
		if v := root.Bucket(bucketAccounts).Get([]byte(acct)); v != nil {
			bal.SetString(string(v), 10)
		}
		now := l.opts.Now().UTC()
		pay := Deal{Amount: req.Amount}
		if a == ActionDeposit {
			if err := move(root, pay, a, inAccount(req.Currency), acct, now); err != nil {
				return err
			}
			left = bal.Add(bal, req.Amount)
		} else {
			if bal.Cmp(req.Amount) < 0 {
				return fmt.Errorf("%w: amount %s exceeds %s's balance of %s %s", ErrInvalid, req.Amount, req.By, bal, req.Currency)
			}
			if err := move(root, pay, a, acct, inAccount(req.Currency), now); err != nil {
				return err
			}
			left = bal.Sub(bal, req.Amount)
		}
		if err := appendAudit(root, Event{Action: a, By: req.By, At: now}); err != nil {
			return err
		}
		if req.IdempotencyKey == "" {
			return nil
		}
		v, err := json.Marshal(idemRecord{fp, record{Amount: left.String()}})
		if err != nil {
			return err
		}
		return root.Bucket(bucketIdem).Put([]byte(req.IdempotencyKey), v)
	})
	if err != nil {
		return nil, fmt.Errorf("%s for %s: %w", a, req.By, err)
	}
	return left, nil
}

// Deal returns a deal's current state.
func (l *Ledger) Deal(ctx context.Context, id DealID) (Deal, error) {
	var d Deal
	err := l.db.View(func(tx *bolt.Tx) error {
		var err error
		d, err = getDeal(tx.Bucket(bucketRoot), id)
		return err
	})
	return d, err
}

// History returns a deal's audit entries, oldest first.
func (l *Ledger) History(ctx context.Context, id DealID) ([]Event, error) {
	if _, err := l.Deal(ctx, id); err != nil {
		return nil, err
	}
	var out []Event
	err := l.db.View(func(tx *bolt.Tx) error {
		var err error
		out, err = historyIn(tx.Bucket(bucketRoot), id)
		return err
	})
	return out, err
}

// historyIn reads a deal's audit entries, oldest first, inside a
// transaction.
func historyIn(root *bolt.Bucket, id DealID) ([]Event, error) {
	var out []Event
	audit := root.Bucket(bucketAudit)
	prefix := dealKey(id)
	c := root.Bucket(bucketHistory).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		v := audit.Get(k[len(prefix):])
		if v == nil {
			return nil, fmt.Errorf("history of deal %d names audit entry %x, which is missing", id, k[len(prefix):])
		}
		var ev Event
		if err := json.Unmarshal(v, &ev); err != nil {
			return nil, fmt.Errorf("audit entry %x: %w", k[len(prefix):], err)
		}
		out = append(out, ev)
	}
	return out, nil
}

// Balance returns what the ledger owes party in currency (released or
// refunded money not yet paid out).
func (l *Ledger) Balance(ctx context.Context, p Party, currency string) (*big.Int, error) {
	bal := new(big.Int)
	err := l.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketRoot).Bucket(bucketAccounts).Get([]byte(partyAccount(currency, p))); v != nil {
			if _, ok := bal.SetString(string(v), 10); !ok {
				return fmt.Errorf("account of %s: stored balance %q is not an integer", p, v)
			}
		}
		return nil
	})
	return bal, err
}

// Accounts returns every account's balance by name ("in/EUR", "deal/7",
// "party/EUR/alice").
func (l *Ledger) Accounts(ctx context.Context) (map[string]*big.Int, error) {
	out := map[string]*big.Int{}
	err := l.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketRoot).Bucket(bucketAccounts).ForEach(func(k, v []byte) error {
			b, ok := new(big.Int).SetString(string(v), 10)
			if !ok {
				return fmt.Errorf("account %s: stored balance %q is not an integer", k, v)
			}
			out[string(k)] = b
			return nil
		})
	})
	return out, err
}

// Check verifies the ledger's invariants in one read transaction: per
// currency, the money in all party and deal accounts equals what was paid
// in; each deal's account holds its amount exactly while the deal holds
// money and nothing otherwise; and each deal's last audit entry leads to its
// current status. It returns the first violation found.
func (l *Ledger) Check(ctx context.Context) error {
	return l.db.View(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketRoot)
		sums := map[string]*big.Int{} // currency → sum over all accounts, including in/
		deals := map[string]*big.Int{}
		err := root.Bucket(bucketAccounts).ForEach(func(k, v []byte) error {
			b, ok := new(big.Int).SetString(string(v), 10)
			if !ok {
				return fmt.Errorf("account %s: balance %q is not an integer", k, v)
			}
			name := string(k)
			var c string
			switch {
			case strings.HasPrefix(name, "in/"):
				c = strings.TrimPrefix(name, "in/")
			case strings.HasPrefix(name, "party/"):
				c, _, _ = strings.Cut(strings.TrimPrefix(name, "party/"), "/")
			case strings.HasPrefix(name, "deal/"):
				deals[name] = b
				return nil // counted per deal below, where the currency is known
			default:
				return fmt.Errorf("account %s: unknown kind", name)
			}
			if sums[c] == nil {
				sums[c] = new(big.Int)
			}
			sums[c].Add(sums[c], b)
			return nil
		})
		if err != nil {
			return err
		}
		last := map[DealID]Status{}
		history := root.Bucket(bucketHistory)
		err = root.Bucket(bucketAudit).ForEach(func(k, v []byte) error {
			var ev Event
			if err := json.Unmarshal(v, &ev); err != nil {
				return err
			}
			if ev.Deal != 0 && ev.Action != ActionVote && ev.Action != ActionDisputeLost {
				last[ev.Deal] = ev.To
			}
			if ev.Deal != 0 && history.Get(append(dealKey(ev.Deal), k...)) == nil {
				return fmt.Errorf("audit entry %x of deal %d is missing from the deal's history index", k, ev.Deal)
			}
			return nil
		})
		if err != nil {
			return err
		}
		err = root.Bucket(bucketDeals).ForEach(func(k, v []byte) error {
			var r record
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			d, err := r.deal()
			if err != nil {
				return err
			}
			held := deals[dealAccount(d.ID)]
			if held == nil {
				held = new(big.Int)
			}
			want := new(big.Int)
			if d.Status.Holding() {
				want.Set(d.Amount)
			}
			if held.Cmp(want) != 0 {
				return fmt.Errorf("deal %d is %s but its account holds %s, want %s", d.ID, d.Status, held, want)
			}
			if last[d.ID] != d.Status {
				return fmt.Errorf("deal %d is %s but its last audit entry leads to %q", d.ID, d.Status, last[d.ID])
			}
			if sums[d.Currency] == nil {
				sums[d.Currency] = new(big.Int)
			}
			sums[d.Currency].Add(sums[d.Currency], held)
			return nil
		})
		if err != nil {
			return err
		}
		for c, s := range sums {
			if s.Sign() != 0 {
				return fmt.Errorf("currency %s: accounts and deals differ from what was paid in by %s", c, s)
			}
		}
		return nil
	})
}

func (l *Ledger) publish(events []Event) {
	if len(events) == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for ch, ctx := range l.subs {
		for _, ev := range events {
			select {
			case ch <- ev:
			case <-ctx.Done():
			}
		}
	}
}

// Subscribe delivers every event committed from now on. The channel has a
// buffer; a subscriber that stops reading holds up transitions until its
// context ends, so read promptly (History has everything durably).
func (l *Ledger) Subscribe(ctx context.Context) (<-chan Event, error) {
	ch := make(chan Event, 64)
	l.mu.Lock()
	l.subs[ch] = ctx
	l.mu.Unlock()
	go func() {
		<-ctx.Done()
		l.mu.Lock()
		delete(l.subs, ch)
		l.mu.Unlock()
		close(ch)
	}()
	return ch, nil
}
