package hub

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/deal"
	"github.com/sovereign-marketplace/market/federation"
)

// MaxDealWait bounds how long a GET of one deal may wait for its state
// to change (?wait=).
const MaxDealWait = 30 * time.Second

// maxStateChars bounds ?changed_from=; every state name is shorter.
const maxStateChars = 32

// dealWait is what a GET of one deal asks to wait for: until the copy's
// state is no longer from, for at most wait. A zero wait answers at once.
type dealWait struct {
	from string
	wait time.Duration
}

// parseDealWait reads ?changed_from=<state>&wait=<seconds> of a GET of
// one deal: both or neither, wait whole seconds from 1 to 30.
func parseDealWait(q url.Values) (dealWait, error) {
	if !q.Has("wait") && !q.Has("changed_from") {
		return dealWait{}, nil
	}
	from := q.Get("changed_from")
	if from == "" || len(from) > maxStateChars {
		return dealWait{}, fmt.Errorf("%w: changed_from: the deal's state you have (such as funded), at most %d characters, is needed with wait", federation.ErrInvalid, maxStateChars)
	}
	n, err := strconv.Atoi(q.Get("wait"))
	if err != nil || n < 1 || n > int(MaxDealWait/time.Second) {
		return dealWait{}, fmt.Errorf("%w: wait: whole seconds from 1 to %d are needed with changed_from", federation.ErrInvalid, int(MaxDealWait/time.Second))
	}
	return dealWait{from: from, wait: time.Duration(n) * time.Second}, nil
}

// waitDeal answers d once its state is other than w.from (at once when it
// is already), or as it is after w.wait, when ctx ends or when the server
// shuts down: an owner's client learns of the other party's step as soon
// as it lands, without polling.
func (s *Server) waitDeal(ctx context.Context, d *deal.Deal, w dealWait) (*deal.Deal, error) {
	if w.wait <= 0 {
		return d, nil
	}
	changes := deal.Watch(s.node.DB)
	timer := time.NewTimer(w.wait)
	defer timer.Stop()
	for {
		next := changes.Next(d.ID)
		err := s.node.DB.View(func(tx *bbolt.Tx) error {
			cur, err := deal.In(tx).Get(d.ID)
			if err == nil {
				d = cur
			}
			return err
		})
		if err != nil || string(d.State) != w.from {
			return d, err
		}
		select {
		case <-next:
		case <-timer.C:
			return d, nil
		case <-ctx.Done():
			return d, nil
		case <-s.node.Stopping():
			return d, nil
		}
	}
}
