package hub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/listing"
)

// HandleActivity applies one activity that passed the inbox checks
// (signature, key owner, digest, date, blocks, origin rule). It is the
// hub's federation.Handler. Each effect and the activity's de-duplication
// mark commit in one transaction: a repeat is accepted and applied once,
// a refusal changes nothing.
func (s *Server) HandleActivity(ctx context.Context, a *federation.Activity) error {
	err := s.apply(ctx, a)
	if err != nil {
		s.log.Info("activity refused", "type", a.Type, "id", a.ID, "actor", a.Actor, "error", err)
	}
	return err
}

func (s *Server) apply(ctx context.Context, a *federation.Activity) error {
	if s.rel.Seen(a.ID) {
		return nil
	}
	if s.rel.ActorBlocked(a.Actor) {
		return fmt.Errorf("%w: actor %s is blocked on this hub", federation.ErrForbidden, a.Actor)
	}
	switch a.Type {
	case "Follow":
		return s.onFollow(ctx, a)
	case "Accept", "Reject":
		return s.rel.HandleAnswer(a)
	case "Undo":
		done, err := s.rel.HandleUndo(ctx, a, func(tx *bbolt.Tx) error { return txn{tx}.deletePeer(a.Actor) })
		if err == nil && done {
			s.wakeResync() // a follower left: listings only followers had go with a Delete
		}
		if err != nil || done {
			return err
		}
	case "Create", "Update":
		return s.onListing(ctx, a)
	case "Delete":
		return s.onDelete(ctx, a)
	}
	return s.rel.Mark(a.ID)
}

// onFollow takes a Follow of the owner: accepted at once, or held for
// `market hub followers approve` with hub.follow_approval manual. A
// relay the owner subscribed to, following back, is accepted at once.
func (s *Server) onFollow(ctx context.Context, a *federation.Activity) error {
	var subscribed bool
	_ = s.view(func(t txn) error { subscribed = t.relay(a.Actor) != nil; return nil })
	if subscribed && s.rel.ManualApproval {
		rel := *s.rel
		rel.ManualApproval = false
		return rel.HandleFollow(ctx, a)
	}
	return s.rel.HandleFollow(ctx, a)
}

// followerAccepted records where to deliver to a new follower (its shared
// inbox when it has one) and whether it is a marketplace relay, then has
// the listings it may see sent to it.
func (s *Server) followerAccepted(ctx context.Context, remote *federation.RemoteActor) error {
	p := peerOf(remote)
	if err := s.update(func(t txn) error { return put(t, bucketPeers, p.Actor, p) }); err != nil {
		return err
	}
	s.wakeResync()
	return nil
}

// peerOf reads what the hub needs of a follower from its actor document.
// A Service or Application actor, or one that advertises a
// specialization, is a relay: it gets only the public listings its niche
// takes, and none if its niche cannot be read.
func peerOf(remote *federation.RemoteActor) *Peer {
	p := &Peer{Actor: remote.ID, Inbox: deliveryInbox(remote)}
	raw, advertised := specializationOf(remote.Raw)
	p.Relay = advertised || remote.Type == "Service" || remote.Type == "Application"
	if p.Relay {
		n, err := listing.ParseNiche(raw)
		if err != nil {
			n = listing.Niche{ListingTypes: []listing.Type{"none"}} // fits nothing
		}
		p.Niche = n
	}
	return p
}

// deliveryInbox is where to deliver to a remote actor: its shared inbox
// when it has one on its own host (one delivery serves every follower on
// that server), else its own inbox. A shared inbox on another host is
// ignored: an actor document must not point the hub's deliveries at a
// server that did not ask for them.
func deliveryInbox(remote *federation.RemoteActor) string {
	if s := remote.SharedInbox; s != "" && listing.IsHTTPURL(s) && hostOf(s) == hostOf(remote.ID) {
		return s
	}
	return remote.Inbox
}

func (t txn) deletePeer(actor string) error { return t.tx.Bucket(bucketPeers).Delete([]byte(actor)) }

// onListing keeps a listing that a hub the owner follows published to
// them (Create or Update with the object embedded): the local
// marketplace. Only the listing's owner may deliver it; the inbox's origin
// rule already holds the object to the sender's origin.
func (s *Server) onListing(ctx context.Context, a *federation.Activity) error {
	if len(a.ObjectTypes) == 0 {
		return s.rel.Mark(a.ID) // an object by IRI only: nothing to keep
	}
	l, err := listing.Decode(a.Object)
	if errors.Is(err, listing.ErrNotListing) {
		return s.rel.Mark(a.ID)
	}
	if err != nil {
		return fmt.Errorf("%w: object: %v", federation.ErrInvalid, err)
	}
	if l.Created.IsZero() {
		l.Created = s.now()
	}
	if l.Updated.IsZero() || l.Updated.Before(l.Created) {
		l.Updated = l.Created
	}
	if err := listing.Validate(l); err != nil {
		return fmt.Errorf("%w: %v", federation.ErrInvalid, err)
	}
	if l.Owner != a.Actor || hostOf(l.FederatedAPID) != hostOf(a.Actor) {
		return fmt.Errorf("%w: listing %s is attributed to %s, not to the sender %s", federation.ErrForbidden, l.FederatedAPID, l.Owner, a.Actor)
	}
	key := marketKey(a.Actor, l.FederatedAPID)
	return s.update(func(t txn) error {
		if f, err := federation.FollowsIn(t.tx).Following(a.Actor); err != nil || f.State != federation.FollowAccepted {
			return fmt.Errorf("%w: the owner does not follow %s", federation.ErrForbidden, a.Actor)
		}
		b := t.tx.Bucket(bucketMarket)
		switch {
		case l.Visibility == listing.VisibilityPrivate:
			if err := b.Delete([]byte(key)); err != nil {
				return err
			}
		case b.Get([]byte(key)) == nil && t.countMarket(a.Actor) >= MaxPerSeller:
			return fmt.Errorf("%w: this hub keeps at most %d listings of one seller", federation.ErrForbidden, MaxPerSeller)
		default:
			if err := put(t, bucketMarket, key, &Received{Listing: *l, From: a.Actor, Received: s.now()}); err != nil {
				return err
			}
		}
		return federation.SeenIn(t.tx).Mark(a.ID, s.now())
	})
}

// MaxPerSeller bounds how many listings of one seller the local
// marketplace keeps, so that no followed hub can fill the owner's disk.
const MaxPerSeller = 10000

// marketKey is a marketplace listing's key: its owner, a space, its id.
// Only the owner writes under it, and one owner's listings sit together.
func marketKey(owner, id string) string { return owner + " " + id }

// countMarket counts the marketplace listings of one owner.
func (t txn) countMarket(owner string) int {
	prefix := []byte(owner + " ")
	n := 0
	c := t.tx.Bucket(bucketMarket).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		n++
	}
	return n
}

// onDelete drops a listing of the marketplace at its owner's Delete, or
// every listing of an actor that deleted itself (and its follows).
func (s *Server) onDelete(ctx context.Context, a *federation.Activity) error {
	if a.ObjectID == a.Actor {
		return s.rel.End(ctx, a.Actor, a.ID, func(tx *bbolt.Tx) error {
			t := txn{tx}
			if err := t.deletePeer(a.Actor); err != nil {
				return err
			}
			return t.dropMarket(func(r *Received) bool { return r.Listing.Owner == a.Actor })
		})
	}
	return s.update(func(t txn) error {
		// Only the owner's own key is touched: a Delete by anyone else
		// finds nothing of theirs to delete.
		if err := t.tx.Bucket(bucketMarket).Delete([]byte(marketKey(a.Actor, a.ObjectID))); err != nil {
			return err
		}
		return federation.SeenIn(t.tx).Mark(a.ID, s.now())
	})
}

// dropMarket forgets the marketplace listings that match.
func (t txn) dropMarket(match func(r *Received) bool) error {
	var keys [][]byte
	err := t.tx.Bucket(bucketMarket).ForEach(func(k, v []byte) error {
		var r Received
		if err := json.Unmarshal(v, &r); err != nil {
			return err
		}
		if match(&r) {
			keys = append(keys, append([]byte(nil), k...))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := t.tx.Bucket(bucketMarket).Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// Marketplace returns the listings the hubs the owner follows published
// to them, newest first.
func (s *Server) Marketplace() ([]*Received, error) {
	var out []*Received
	err := s.view(func(t txn) error {
		var err error
		out, err = all[Received](t, bucketMarket)
		return err
	})
	if out == nil {
		out = []*Received{}
	}
	slices.SortFunc(out, func(a, b *Received) int { return b.Received.Compare(a.Received) })
	return out, err
}
