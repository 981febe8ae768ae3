package relay

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/node"
)

// Operation is one of the relay's operator commands (`market relay
// <Name>`).
type Operation = node.Operation[*Server]

// OperationRequest is what an operator command passes to its operation.
type OperationRequest = node.OperationRequest

// Progress is one report of a long operation (reindex).
type Progress = node.Progress

// Operations lists the relay's operator commands.
func Operations() []Operation {
	ops := []Operation{
		{Name: "follow", Summary: "follow a hub: market relay follow <actor URL | acct:user@host>", Arg: "<actor URL | acct:user@host>",
			Help: "Sends a Follow from the relay to the hub's actor; the hub's listings are stored once it accepts.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				id, err := s.Follow(ctx, req.Ref)
				return map[string]string{"actor": id, "state": federation.FollowPending}, err
			}},
		{Name: "unfollow", Summary: "stop following a hub and drop its listings", Arg: "<actor URL | acct:user@host>",
			Help: "Ends the relay's follow of the hub (Undo Follow), forgets its subscription and drops its listings.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				id, err := s.Unfollow(ctx, req.Ref)
				return map[string]string{"actor": id}, err
			}},
		{Name: "approve", Summary: "accept a hub's pending follow (relay.follow_approval: manual)", Arg: "<actor URL>",
			Help: "Accepts a hub's pending follow request (with relay.follow_approval: manual): the hub gets an Accept and the relay follows it back.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				return map[string]string{"actor": req.Ref, "state": federation.FollowAccepted}, s.Approve(ctx, req.Ref)
			}},
		{Name: "reject", Summary: "refuse a hub's pending follow", Arg: "<actor URL>",
			Help: "Refuses a hub's pending follow request: the hub gets a Reject.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				return map[string]string{"actor": req.Ref, "state": federation.FollowRejected}, s.Reject(ctx, req.Ref)
			}},
		{Name: "block", Summary: "block a domain or an actor URL: refuse its activities and drop its listings", Arg: "<domain | actor URL>", Reason: true,
			Help: "Refuses every activity from the domain (and its subdomains), or from one actor given by URL, and drops their listings from the store and the search index at once. Words after it are kept as the reason.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				n, err := s.Block(req.Ref, reasonOr(req.Reason, "operator"))
				return map[string]any{"domain": req.Ref, "listings_dropped": n}, err
			}},
		{Name: "unblock", Summary: "lift a block", Arg: "<domain | actor URL>",
			Help: "Lifts a block; the hubs must publish again to be indexed.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				was, err := s.Unblock(req.Ref)
				if err == nil && !was {
					err = fmt.Errorf("%w: %s is not blocked", ErrNotFound, req.Ref)
				}
				return map[string]any{"domain": req.Ref}, err
			}},
		{Name: "takedown", Summary: "take one listing down: drop it and refuse it until restored", Arg: "<listing id>", Reason: true,
			Help: "Removes one listing from the store and the search index at once, refuses it if its hub publishes it again, and resolves the open reports about it. Words after the id are kept as the reason. `market relay restore` lifts it.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				return s.TakeDown(req.Ref, req.Reason)
			}},
		{Name: "restore", Summary: "lift a takedown", Arg: "<listing id>",
			Help: "Lifts a takedown: the listing is accepted again the next time its hub publishes it.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				return map[string]string{"listing_id": req.Ref}, s.Restore(req.Ref)
			}},
		{Name: "dismiss", Summary: "close a report without acting on the listing", Arg: "<report id>",
			Help: "Marks a report as dismissed; `market relay reports` shows it resolved.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				return s.Dismiss(req.Ref)
			}},
		{Name: "status", Summary: "show follows, blocks, takedowns, stored and indexed listings, index failures and the delivery queue", Method: http.MethodGet,
			Help: "Prints the relay's follows, followers, blocks, takedowns, stored listings, documents in the search index, the listings the index refused (index_failures: how many, and the latest), the listings changed since the index's last checkpoint (index_journal) and the delivery queue depth as JSON.",
			Run:  func(ctx context.Context, s *Server, _ OperationRequest) (any, error) { return s.statusReport() }},
		{Name: "reports", Summary: "list the reports people sent about listings", Method: http.MethodGet,
			Help: "Prints the reports sent through POST /api/v1/reports (listing, reason, seller, time, resolution) as JSON, oldest first.",
			Run: func(ctx context.Context, s *Server, _ OperationRequest) (any, error) {
				reps, err := s.Reports()
				return map[string]any{"reports": reps}, err
			}},
		{Name: "reindex", Summary: "rebuild the search index from the stored listings", Timeout: 30 * time.Minute,
			Help: "Rebuilds the search index from the listings stored in bbolt (the source of truth), printing its progress on a terminal (listings done, rate, time left). The relay also does this by itself at start when the index is missing or was built by an older mapping; /readyz answers 503 until it is done.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				if err := s.ReindexProgress(ctx, req.Progress); err != nil {
					return nil, err
				}
				n, err := s.index.Count()
				return map[string]any{"indexed": n}, err
			}},
	}
	return node.Defaults(ops)
}

// Status is what `market relay status` shows: follows, blocks and the queue.
type Status struct {
	Actor     string              `json:"actor"`
	Following []federation.Follow `json:"following"`
	Followers []federation.Follow `json:"followers"`
	Blocks    []federation.Block  `json:"blocks"`
	Takedowns []Takedown          `json:"takedowns"`
	Listings  int                 `json:"listings"`
	Queue     int                 `json:"delivery_queue"`
}

// Status reads the relay's follows, blocks and counts.
func (s *Server) Status() (*Status, error) {
	st := &Status{Actor: s.actorID, Queue: s.queue.Depth(), Takedowns: []Takedown{}}
	err := s.store.View(func(t *Txn) error {
		var err error
		if st.Following, err = t.Follows().List(true); err != nil {
			return err
		}
		if st.Followers, err = t.Follows().List(false); err != nil {
			return err
		}
		if st.Blocks, err = t.Blocks().List(); err != nil {
			return err
		}
		takedowns, err := t.Takedowns()
		if err != nil {
			return err
		}
		st.Takedowns = append(st.Takedowns, takedowns...)
		st.Listings = t.CountListings()
		return nil
	})
	return st, err
}

// StatusReport is what `market relay status` prints: Status, and whether
// the search index agrees with the store.
type StatusReport struct {
	*Status
	// Indexed is how many listings the search index holds; less than
	// Listings while changes are being indexed, or when the index refused
	// some (see IndexFailures).
	Indexed int `json:"indexed"`
	// IndexFailures counts the stored listings the index refused or could
	// not remove since the data directory was created, with the latest.
	IndexFailures IndexFailures `json:"index_failures"`
	// IndexJournal is how many listings changed since the search index's
	// last checkpoint: what a start after a crash re-indexes.
	IndexJournal int `json:"index_journal"`
}

func (s *Server) statusReport() (*StatusReport, error) {
	st, err := s.Status()
	if err != nil {
		return nil, err
	}
	r := &StatusReport{Status: st}
	if n, err := s.index.Count(); err == nil {
		r.Indexed = int(n)
	}
	err = s.store.View(func(t *Txn) error {
		r.IndexFailures = t.indexFailures()
		r.IndexJournal = t.journalLen()
		return nil
	})
	return r, err
}

func reasonOr(reason, fallback string) string {
	if reason == "" {
		return fallback
	}
	return reason
}
