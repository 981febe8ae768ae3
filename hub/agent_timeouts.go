package hub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/escrow"
)

// agentTimeouts are the escrow ledger's deadlines from
// hub.agent.timeouts, the escrow package's defaults where unset.
func agentTimeouts(c config.AgentTimeouts) escrow.Timeouts {
	t := escrow.DefaultTimeouts
	for _, f := range []struct {
		to   *time.Duration
		from config.Duration
	}{{&t.Fund, c.Fund}, {&t.Deliver, c.Deliver}, {&t.Confirm, c.Confirm}} {
		if f.from > 0 {
			*f.to = f.from.D()
		}
	}
	return t
}

// deadlineLoop applies the escrow agent's passed deadlines every
// ExpiryInterval until ctx ends.
func (s *Server) deadlineLoop(ctx context.Context) {
	tick := time.NewTicker(s.ExpiryInterval)
	defer tick.Stop()
	for {
		if _, err := s.ApplyDeadlines(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("escrow agent: apply deadlines", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// ApplyDeadlines is the escrow agent applying every passed deadline of
// its deals (escrow.ActionTimeout, which anyone may take once due): an
// unfunded deal expires, an undelivered one is refunded, a delivered one
// the buyer did not confirm is released to the seller. Each step commits
// with the updates to both parties, as a party's request does; it
// returns how many deals moved.
func (s *Server) ApplyDeadlines(ctx context.Context) (int, error) {
	if s.agent == nil {
		return 0, nil
	}
	type due struct {
		agreement string
		ad        agentDeal
	}
	var all []due
	err := s.node.DB.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketAgent).ForEach(func(k, v []byte) error {
			var ad agentDeal
			if err := json.Unmarshal(v, &ad); err != nil {
				return fmt.Errorf("agent deal %s: %w", k, err)
			}
			all = append(all, due{string(k), ad})
			return nil
		})
	})
	if err != nil {
		return 0, err
	}
	now, n := s.now(), 0
	var errs []error
	for _, x := range all {
		d, err := s.agent.Deal(ctx, x.ad.Deal)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if d.Deadline.IsZero() || now.Before(d.Deadline) || d.Status.Final() || d.Status == escrow.StatusConfirmed {
			continue
		}
		inboxes, err := s.partyInboxes(ctx, x.ad.Buyer, x.ad.Seller)
		if err != nil {
			errs = append(errs, err) // tried again on the next round
			continue
		}
		then := func(tx *bbolt.Tx, d escrow.Deal, hist []escrow.Event) error {
			return s.queueUpdate(tx, x.agreement, d, hist, inboxes)
		}
		_, err = s.agent.DoThen(ctx, escrow.ActionTimeout, escrow.Request{Deal: d.ID, By: escrow.Party(s.actorID),
			IdempotencyKey: fmt.Sprintf("timeout %d from %s", d.ID, d.Status)}, then)
		switch {
		case err == nil:
			n++
		case errors.Is(err, escrow.ErrNotDue), errors.Is(err, escrow.ErrInvalidState):
			// moved meanwhile
		default:
			errs = append(errs, err)
		}
	}
	return n, errors.Join(errs...)
}
