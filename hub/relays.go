package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/listing"
)

// specializationOf returns the specialization member of an actor
// document, and whether it has one.
func specializationOf(actorDoc json.RawMessage) (json.RawMessage, bool) {
	var doc struct {
		Specialization json.RawMessage `json:"specialization"`
	}
	if json.Unmarshal(actorDoc, &doc) != nil || len(doc.Specialization) == 0 {
		return nil, false
	}
	return doc.Specialization, true
}

// relayOf reads a relay's inbox and niche from its actor document.
func relayOf(remote *federation.RemoteActor, now time.Time) (*Relay, error) {
	raw, advertised := specializationOf(remote.Raw)
	if !advertised && remote.Type != "Service" && remote.Type != "Application" {
		return nil, fmt.Errorf("%w: %s is a %s, not a marketplace relay (no specialization in its actor document)", ErrInvalid, remote.ID, remote.Type)
	}
	r := &Relay{Actor: remote.ID, Inbox: deliveryInbox(remote), Added: now, Refreshed: now}
	n, err := listing.ParseNiche(raw)
	if err != nil {
		r.NicheError = err.Error()
	}
	r.Niche = n
	return r, nil
}

// AddRelay subscribes the owner to a relay given as its actor URL or as
// acct:relay@host: the hub sends a Follow (the relay answers with an
// Accept, and follows back), reads the specialization the relay
// advertises, and from then on sends the relay the public listings that
// fit it.
func (s *Server) AddRelay(ctx context.Context, ref string) (*RelayStatus, error) {
	id, err := s.client.ResolveActor(ctx, ref)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", ref, err)
	}
	remote, err := s.client.Actor(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("fetch relay %s: %w", id, err)
	}
	r, err := relayOf(remote, s.now())
	if err != nil {
		return nil, err
	}
	if err := s.update(func(t txn) error { return put(t, bucketRelays, r.Actor, r) }); err != nil {
		return nil, err
	}
	if _, err := s.rel.Follow(ctx, r.Actor); err != nil {
		return nil, err
	}
	s.log.Info("subscribed to a relay", "relay", r.Actor, "specialization_error", r.NicheError)
	return &RelayStatus{Relay: *r, State: federation.FollowPending}, nil
}

// RelayStatus is a relay the owner subscribed to, with the state of the
// subscription (pending until the relay accepts).
type RelayStatus struct {
	Relay
	State string `json:"state"`
}

// Relays lists the relays the owner subscribed to.
func (s *Server) Relays() ([]RelayStatus, error) {
	out := []RelayStatus{}
	err := s.view(func(t txn) error {
		rs, err := t.relays()
		for _, r := range rs {
			st := RelayStatus{Relay: *r, State: "none"}
			if f, err := federation.FollowsIn(t.tx).Following(r.Actor); err == nil {
				st.State = f.State
			}
			out = append(out, st)
		}
		return err
	})
	return out, err
}

// RemoveRelay unsubscribes the owner from a relay (actor URL or
// acct:relay@host): an Undo of the Follow goes out, and the relay drops
// the owner's listings.
func (s *Server) RemoveRelay(ctx context.Context, ref string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var inbox string
	id, err := s.rel.Unfollow(ctx, ref, func(tx *bbolt.Tx, actor string) error {
		t := txn{tx: tx}
		r := t.relay(actor)
		if r == nil {
			return fmt.Errorf("%w: not subscribed to relay %s", ErrNotFound, actor)
		}
		inbox = r.Inbox
		if err := tx.Bucket(bucketRelays).Delete([]byte(actor)); err != nil {
			return err
		}
		if err := t.deletePeer(actor); err != nil {
			return err
		}
		// The relay drops the listings itself at the Undo: no Delete follows.
		return t.forgetInboxes(func(i string) bool { return i == inbox })
	})
	if err == nil {
		s.log.Info("unsubscribed from a relay", "relay", id)
	}
	return id, err
}

// forgetInboxes takes the inboxes that match out of every listing's
// record of who has it, sending nothing.
func (t txn) forgetInboxes(match func(inbox string) bool) error {
	recs, err := t.records()
	if err != nil {
		return err
	}
	for _, r := range recs {
		if n := len(r.Delivered); n > 0 {
			r.Delivered = slices.DeleteFunc(r.Delivered, match)
			if len(r.Delivered) != n {
				if err := t.putRecord(r); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// refreshLoop reads the relays' actor documents again every
// hub.relay_refresh, until ctx ends.
func (s *Server) refreshLoop(ctx context.Context) {
	tick := time.NewTicker(s.cfg.Hub.RelayRefresh.D())
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if err := s.RefreshRelays(ctx); err != nil {
			s.log.Warn("refresh relays", "error", err)
		}
	}
}

// RefreshRelays reads each subscribed relay's actor document again; when
// a relay's specialization changed, the listings it now takes are sent to
// it and those it no longer takes are withdrawn.
func (s *Server) RefreshRelays(ctx context.Context) error {
	rs, err := s.Relays()
	if err != nil {
		return err
	}
	changed := false
	for _, old := range rs {
		remote, err := s.client.RefreshActor(ctx, old.Actor)
		if err != nil {
			s.log.Warn("refresh relay", "relay", old.Actor, "error", err)
			continue
		}
		r, err := relayOf(remote, s.now())
		if err != nil {
			r = &old.Relay
			r.NicheError = err.Error()
		}
		r.Added, r.Refreshed = old.Added, s.now()
		if !reflect.DeepEqual(r.Niche, old.Niche) || r.NicheError != old.NicheError || r.Inbox != old.Inbox {
			changed = true
		}
		if err := s.update(func(t txn) error { return put(t, bucketRelays, r.Actor, r) }); err != nil {
			return err
		}
	}
	if changed {
		s.wakeResync()
	}
	return nil
}

// Follower is one of the owner's followers as `market hub followers list`
// shows it.
type Follower struct {
	Actor string    `json:"actor"`
	State string    `json:"state"`
	Inbox string    `json:"inbox"`
	Relay bool      `json:"relay,omitempty"`
	Since time.Time `json:"since"`
}

// Followers lists the owner's followers, pending ones included.
func (s *Server) Followers() ([]Follower, error) {
	out := []Follower{}
	err := s.view(func(t txn) error {
		fs, err := federation.FollowsIn(t.tx).List(false)
		for _, f := range fs {
			fl := Follower{Actor: f.Actor, State: f.State, Inbox: f.Inbox, Since: f.Since}
			if p := t.peer(f.Actor); p != nil {
				fl.Inbox, fl.Relay = p.Inbox, p.Relay
			}
			out = append(out, fl)
		}
		return err
	})
	return out, err
}

// ApproveFollower accepts a pending follower (hub.follow_approval manual).
func (s *Server) ApproveFollower(ctx context.Context, actor string) error {
	return s.rel.Approve(ctx, actor)
}

// RejectFollower refuses a pending follower: it gets a Reject.
func (s *Server) RejectFollower(ctx context.Context, actor string) error {
	return s.rel.Reject(ctx, actor)
}

// RemoveFollower ends an accepted follower's follow: it gets a Reject of
// its Follow (as Mastodon removes a follower), and the listings only
// followers had are withdrawn from it with a Delete.
func (s *Server) RemoveFollower(ctx context.Context, actor string) error {
	var f *federation.Follow
	err := s.update(func(t txn) error {
		var err error
		if f, err = federation.FollowsIn(t.tx).Follower(actor); err != nil {
			return fmt.Errorf("%w: %s does not follow the owner", ErrNotFound, actor)
		}
		if err := federation.FollowsIn(t.tx).DeleteFollower(actor); err != nil {
			return err
		}
		if len(f.Raw) == 0 {
			return nil
		}
		reject, err := s.rel.Activity("Reject", actor, f.Raw)
		if err != nil {
			return err
		}
		return s.queue.EnqueueTx(t.tx, f.Inbox, reject)
	})
	if err == nil {
		s.wakeResync()
	}
	return err
}

// Follow makes the owner follow another hub (actor URL or
// acct:user@host); the listings it publishes to its followers then land in
// the owner's marketplace.
func (s *Server) Follow(ctx context.Context, ref string) (string, error) {
	return s.rel.Follow(ctx, ref)
}

// Unfollow stops following a hub and drops its listings from the
// marketplace, but for those someone the owner still follows shared; what
// it shared leaves too, unless the owner follows their owners or someone
// else shared them.
func (s *Server) Unfollow(ctx context.Context, ref string) (string, error) {
	ch := &marketChanges{}
	id, err := s.rel.Unfollow(ctx, ref, func(tx *bbolt.Tx, actor string) error {
		t := txn{tx: tx, market: ch}
		if err := t.unshare(func(a string) bool { return a == actor }); err != nil {
			return err
		}
		return t.dropMarket(func(r *Received) bool { return r.Listing.Owner == actor && len(r.SharedBy) == 0 })
	})
	if err == nil {
		s.indexMarket(ch)
	}
	return id, err
}

// Block blocks a domain (host name, or host:port) or one actor (by URL),
// as a relay does: its activities are refused, the follows it covers end
// (an Undo goes out for the owner's), its listings and what only it
// shared leave the marketplace, and it receives nothing more from the
// hub.
func (s *Server) Block(ref, reason string) (federation.BlockResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := &marketChanges{}
	res, err := s.rel.Block(ref, reason, func(tx *bbolt.Tx, ref string, isActor bool) error {
		t := txn{tx: tx, market: ch}
		covers := func(actor string) bool {
			if isActor {
				return actor == ref
			}
			return slices.Contains(federation.DomainNames(hostOf(actor)), ref)
		}
		var inboxes []string
		peers, err := all[Peer](t, bucketPeers)
		if err != nil {
			return err
		}
		for _, p := range peers {
			if covers(p.Actor) {
				inboxes = append(inboxes, p.Inbox)
				if err := t.deletePeer(p.Actor); err != nil {
					return err
				}
			}
		}
		relays, err := t.relays()
		if err != nil {
			return err
		}
		for _, r := range relays {
			if covers(r.Actor) {
				inboxes = append(inboxes, r.Inbox)
				if err := tx.Bucket(bucketRelays).Delete([]byte(r.Actor)); err != nil {
					return err
				}
			}
		}
		if err := t.forgetInboxes(func(i string) bool { return slices.Contains(inboxes, i) || (!isActor && covers(i)) }); err != nil {
			return err
		}
		if err := t.unshare(covers); err != nil {
			return err
		}
		return t.dropMarket(func(r *Received) bool { return covers(r.Listing.Owner) })
	})
	if err == nil {
		s.indexMarket(ch)
		s.log.Info("blocked", "block", strings.TrimSpace(ref), "reason", reason, "unfollowed", res.Unfollowed, "followers_dropped", res.FollowersDropped)
	}
	return res, err
}

// Unblock lifts a block; it reports whether there was one.
func (s *Server) Unblock(ref string) (bool, error) { return s.rel.Unblock(ref) }
