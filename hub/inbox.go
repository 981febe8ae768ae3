package hub

import (
	"context"
	"errors"
	"fmt"

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
	if ok, err := s.dealActivity(ctx, a); ok {
		return err
	}
	switch a.Type {
	case "Follow":
		return s.onFollow(ctx, a)
	case "Accept", "Reject":
		return s.rel.HandleAnswer(a)
	case "Undo":
		done, err := s.rel.HandleUndo(ctx, a, func(tx *bbolt.Tx) error { return txn{tx: tx}.deletePeer(a.Actor) })
		if err == nil && done {
			s.wakeResync() // a follower left: listings only followers had go with a Delete
		}
		if err != nil || done {
			return err
		}
		return s.onUndo(ctx, a)
	case "Create", "Update":
		return s.onListing(ctx, a)
	case "Delete":
		return s.onDelete(ctx, a)
	case "Announce":
		return s.onAnnounce(ctx, a)
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
// marketplace. Only the listing's owner may deliver it, and an object id
// another owner holds is refused; the inbox's origin rule already holds
// the object to the sender's origin. When the owner shared the listing,
// the change goes on to those they shared it with (passOn).
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
	if err := s.validate(l); err != nil {
		return err
	}
	if l.Owner != a.Actor {
		return fmt.Errorf("%w: listing %s is attributed to %s, not to the sender %s", federation.ErrForbidden, l.FederatedAPID, l.Owner, a.Actor)
	}
	name := s.sellerName(ctx, l.Owner)
	return s.update(func(t txn) error {
		if !t.follows(a.Actor) {
			return fmt.Errorf("%w: the owner does not follow %s", federation.ErrForbidden, a.Actor)
		}
		old := t.marketListing(a.Actor, l.FederatedAPID)
		switch {
		case l.Visibility == listing.VisibilityPrivate:
			if _, err := t.deleteMarket(a.Actor, l.FederatedAPID); err != nil {
				return err
			}
		case old == nil && t.countMarket(a.Actor) >= MaxPerSeller:
			return fmt.Errorf("%w: this hub keeps at most %d listings of one seller", federation.ErrForbidden, MaxPerSeller)
		default:
			r := &Received{Listing: *l, From: a.Actor, SellerName: name, Received: s.now()}
			if old != nil && l.Visibility == listing.VisibilityPublic {
				r.SharedBy = old.SharedBy // only a public listing is shared
			}
			if err := t.putMarket(r); err != nil {
				return err
			}
		}
		if err := s.passOn(t, l.FederatedAPID, a.Actor, l); err != nil {
			return err
		}
		return federation.SeenIn(t.tx).Mark(a.ID, s.now())
	})
}

// validate fills the times a listing from elsewhere may leave out and
// checks it and the origin rule: its id is on its owner's host.
func (s *Server) validate(l *listing.Listing) error {
	if l.Created.IsZero() {
		l.Created = s.now()
	}
	if l.Updated.IsZero() || l.Updated.Before(l.Created) {
		l.Updated = l.Created
	}
	if err := listing.Validate(l); err != nil {
		return fmt.Errorf("%w: %v", federation.ErrInvalid, err)
	}
	if hostOf(l.FederatedAPID) != hostOf(l.Owner) {
		return fmt.Errorf("%w: listing %s is not on its owner's host %s", federation.ErrForbidden, l.FederatedAPID, hostOf(l.Owner))
	}
	return nil
}

// sellerName is the display name of a listing's owner, as its actor
// document says (cached by the client), or "".
func (s *Server) sellerName(ctx context.Context, owner string) string {
	remote, err := s.client.Actor(ctx, owner)
	if err != nil {
		return ""
	}
	if remote.Name != "" {
		return remote.Name
	}
	return remote.PreferredUsername
}

// onDelete drops a listing of the marketplace at its owner's Delete, or
// every listing of an actor that deleted itself (and its follows).
func (s *Server) onDelete(ctx context.Context, a *federation.Activity) error {
	if a.ObjectID == a.Actor {
		ch := &marketChanges{}
		err := s.rel.End(ctx, a.Actor, a.ID, func(tx *bbolt.Tx) error {
			t := txn{tx: tx, market: ch}
			if err := t.deletePeer(a.Actor); err != nil {
				return err
			}
			if err := t.unshare(func(actor string) bool { return actor == a.Actor }); err != nil {
				return err
			}
			if err := s.unannounceAll(t, a.Actor); err != nil {
				return err
			}
			return t.dropMarket(func(r *Received) bool { return r.Listing.Owner == a.Actor })
		})
		if err == nil {
			s.indexMarket(ch)
		}
		return err
	}
	return s.update(func(t txn) error {
		// Only the owner's own key is touched: a Delete by anyone else
		// finds nothing of theirs to delete.
		if _, err := t.deleteMarket(a.Actor, a.ObjectID); err != nil {
			return err
		}
		if err := s.passOn(t, a.ObjectID, a.Actor, nil); err != nil {
			return err
		}
		return federation.SeenIn(t.tx).Mark(a.ID, s.now())
	})
}
