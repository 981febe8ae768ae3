package escrow

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ActionVote marks a ledger audit entry for a community vote on a dispute.
const ActionVote Action = "vote"

// Voting is a community vote on disputes, the same rules on both backends:
// the members of a deal's group (or anyone, in an open group) except the
// two parties vote once each within the group's window after the dispute
// opens, members counting only if they joined before it opened; after the
// window anyone executes the ruling. The majority of votes cast rules; a tie
// or fewer votes than the quorum rules RulingNone, which takes the default.
type Voting interface {
	// CreateGroup creates a group administered by party by and returns its
	// id, to be used as the Group of new deals.
	CreateGroup(ctx context.Context, by Party, g GroupOptions) (uint64, error)
	// AddMembers adds members to a group; only its admin may.
	AddMembers(ctx context.Context, by Party, group uint64, members []Party) error
	// Vote casts voter's choice (RulingBuyer or RulingSeller) on deal's dispute.
	Vote(ctx context.Context, id DealID, voter Party, choice Ruling) error
	// ExecuteRuling counts the votes once the window has passed and rules.
	ExecuteRuling(ctx context.Context, id DealID, by Party) (Deal, error)
}

// GroupOptions describes a voting group.
type GroupOptions struct {
	// VotePeriod is how long votes (or commitments) are taken after a
	// dispute opens.
	VotePeriod time.Duration
	// RevealPeriod, if set, makes voting commit-reveal: votes are revealed
	// during this period after VotePeriod. Only the EVM arbitrator has it
	// (on the ledger, votes stay inside the hub until counted).
	RevealPeriod time.Duration
	// Quorum is the fewest votes that decide.
	Quorum uint16
	// Open lets anyone but the parties vote (a public pool).
	Open bool
	// Members may vote on disputes opened after they joined.
	Members []Party
}

func (g GroupOptions) validate() error {
	if g.VotePeriod < time.Second || g.VotePeriod/time.Second > 1<<32-1 || g.RevealPeriod/time.Second > 1<<32-1 || g.RevealPeriod < 0 {
		return fmt.Errorf("%w: vote period must be 1s to 136 years and reveal period under 136 years, got %s and %s", ErrInvalid, g.VotePeriod, g.RevealPeriod)
	}
	return nil
}

// groupRecord is a voting group as the ledger stores it.
type groupRecord struct {
	Admin      Party               `json:"admin"`
	VotePeriod time.Duration       `json:"vote_period"`
	Quorum     uint16              `json:"quorum"`
	Open       bool                `json:"open,omitempty"`
	Members    map[Party]time.Time `json:"members"` // member → when it joined
}

func getGroup(root *bolt.Bucket, id uint64) (groupRecord, error) {
	var g groupRecord
	v := root.Bucket(bucketGroups).Get(dealKey(DealID(id)))
	if v == nil {
		return g, fmt.Errorf("%w: voting group %d does not exist", ErrInvalid, id)
	}
	if err := json.Unmarshal(v, &g); err != nil {
		return g, fmt.Errorf("group %d: %w", id, err)
	}
	return g, nil
}

func putGroup(root *bolt.Bucket, id uint64, g groupRecord) error {
	v, err := json.Marshal(g)
	if err != nil {
		return err
	}
	return root.Bucket(bucketGroups).Put(dealKey(DealID(id)), v)
}

// CreateGroup creates a voting group administered by by.
func (l *Ledger) CreateGroup(ctx context.Context, by Party, g GroupOptions) (uint64, error) {
	if err := validParty("by", by); err != nil {
		return 0, err
	}
	if err := g.validate(); err != nil {
		return 0, err
	}
	if g.RevealPeriod != 0 {
		return 0, fmt.Errorf("%w: reveal period: commit-reveal voting is for the EVM arbitrator; ledger votes stay in the hub until counted", ErrInvalid)
	}
	for i, m := range g.Members {
		if err := validParty(fmt.Sprintf("member %d", i), m); err != nil {
			return 0, err
		}
	}
	var id uint64
	err := l.db.Update(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketRoot)
		var err error
		if id, err = root.Bucket(bucketGroups).NextSequence(); err != nil {
			return err
		}
		now := l.opts.Now().UTC()
		rec := groupRecord{Admin: by, VotePeriod: g.VotePeriod, Quorum: g.Quorum, Open: g.Open, Members: map[Party]time.Time{}}
		for _, m := range g.Members {
			rec.Members[m] = now
		}
		return putGroup(root, id, rec)
	})
	if err != nil {
		return 0, fmt.Errorf("create group: %w", err)
	}
	return id, nil
}

// AddMembers adds members to a group; only its admin may. Members already
// in keep their joining time.
func (l *Ledger) AddMembers(ctx context.Context, by Party, group uint64, members []Party) error {
	for i, m := range members {
		if err := validParty(fmt.Sprintf("member %d", i), m); err != nil {
			return err
		}
	}
	err := l.db.Update(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketRoot)
		g, err := getGroup(root, group)
		if err != nil {
			return err
		}
		if g.Admin != by {
			return fmt.Errorf("%w: only the group's admin adds members, caller is %s", ErrForbidden, by)
		}
		now := l.opts.Now().UTC()
		for _, m := range members {
			if _, ok := g.Members[m]; !ok {
				g.Members[m] = now
			}
		}
		return putGroup(root, group, g)
	})
	if err != nil {
		return fmt.Errorf("add members to group %d: %w", group, err)
	}
	return nil
}

// voteCase is a disputed deal with its group, and when its vote opened.
func (l *Ledger) voteCase(root *bolt.Bucket, id DealID) (Deal, groupRecord, time.Time, error) {
	d, err := getDeal(root, id)
	if err != nil {
		return d, groupRecord{}, time.Time{}, err
	}
	if d.Status != StatusDisputed {
		return d, groupRecord{}, time.Time{}, fmt.Errorf("%w: deal %d is %s, not disputed", ErrInvalidState, id, d.Status)
	}
	if d.Group == 0 {
		return d, groupRecord{}, time.Time{}, fmt.Errorf("%w: deal %d has no voting group; its arbitrator rules", ErrInvalidState, id)
	}
	g, err := getGroup(root, d.Group)
	if err != nil {
		return d, g, time.Time{}, err
	}
	var opened time.Time
	v := root.Bucket(bucketVotes).Get(dealKey(id))
	if v == nil {
		return d, g, opened, fmt.Errorf("deal %d: disputed without a vote record", id)
	}
	err = opened.UnmarshalText(v)
	return d, g, opened, err
}

// openVote records when deal d's vote opened (inside the dispute's transaction).
func openVote(root *bolt.Bucket, d Deal, at time.Time) error {
	v, err := at.MarshalText()
	if err != nil {
		return err
	}
	return root.Bucket(bucketVotes).Put(dealKey(d.ID), v)
}

// Vote casts voter's choice on deal's dispute.
func (l *Ledger) Vote(ctx context.Context, id DealID, voter Party, choice Ruling) error {
	if err := validParty("voter", voter); err != nil {
		return err
	}
	if choice != RulingBuyer && choice != RulingSeller {
		return fmt.Errorf("%w: choice must be 1 (buyer) or 2 (seller), got %d", ErrInvalid, choice)
	}
	var events []Event
	err := l.db.Update(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketRoot)
		d, g, opened, err := l.voteCase(root, id)
		if err != nil {
			return err
		}
		now := l.opts.Now().UTC()
		if end := opened.Add(g.VotePeriod); !now.Before(end) {
			return fmt.Errorf("%w: voting on deal %d closed at %s", ErrInvalidState, id, end.Format(time.RFC3339))
		}
		if voter == d.Buyer || voter == d.Seller {
			return fmt.Errorf("%w: %s is a party to deal %d and may not vote on it", ErrForbidden, voter, id)
		}
		if since, ok := g.Members[voter]; !g.Open && (!ok || since.After(opened)) {
			return fmt.Errorf("%w: %s was not a member of group %d when the dispute opened", ErrForbidden, voter, d.Group)
		}
		key := append(dealKey(id), voter...)
		votes := root.Bucket(bucketVotes)
		if votes.Get(key) != nil {
			return fmt.Errorf("%w: %s already voted on deal %d", ErrInvalidState, voter, id)
		}
		if err := votes.Put(key, []byte{byte(choice)}); err != nil {
			return err
		}
		ev := Event{Deal: id, Action: ActionVote, From: d.Status, To: d.Status, By: voter, At: now, Ruling: choice}
		events = append(events, ev)
		return appendAudit(root, ev)
	})
	if err != nil {
		return fmt.Errorf("vote on deal %d: %w", id, err)
	}
	l.publish(events)
	return nil
}

// ExecuteRuling counts deal's votes once the window has passed and rules.
func (l *Ledger) ExecuteRuling(ctx context.Context, id DealID, by Party) (Deal, error) {
	if err := validParty("by", by); err != nil {
		return Deal{}, err
	}
	var out Deal
	var events []Event
	err := l.db.Update(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketRoot)
		d, g, opened, err := l.voteCase(root, id)
		if err != nil {
			return err
		}
		if end := opened.Add(g.VotePeriod); l.opts.Now().Before(end) {
			return fmt.Errorf("%w: voting on deal %d is open until %s", ErrInvalidState, id, end.Format(time.RFC3339))
		}
		var buyer, seller int
		prefix := dealKey(id)
		c := root.Bucket(bucketVotes).Cursor()
		for k, v := c.Seek(prefix); k != nil && len(k) >= 8 && binary.BigEndian.Uint64(k) == uint64(id); k, v = c.Next() {
			if len(k) == 8 {
				continue // the opening record
			}
			switch Ruling(v[0]) {
			case RulingBuyer:
				buyer++
			case RulingSeller:
				seller++
			}
		}
		ruling := RulingNone
		if buyer+seller >= int(g.Quorum) {
			switch {
			case buyer > seller:
				ruling = RulingBuyer
			case seller > buyer:
				ruling = RulingSeller
			}
		}
		out, events, err = l.transition(root, d, ActionRule, Request{Deal: id, By: by, Ruling: ruling}, RoleArbitrator)
		return err
	})
	if err != nil {
		return Deal{}, fmt.Errorf("execute ruling of deal %d: %w", id, err)
	}
	l.publish(events)
	return out, nil
}
