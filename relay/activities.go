package relay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/listing"
)

// Outcomes of an accepted activity, for metrics and logs.
const (
	outcomeApplied   = "applied"
	outcomeDuplicate = "duplicate"
	outcomeIgnored   = "ignored"
)

// knownTypes are the activity types metrics name; others count as "other".
var knownTypes = map[string]bool{"Follow": true, "Accept": true, "Reject": true, "Undo": true, "Create": true, "Update": true, "Delete": true, "Announce": true}

// HandleActivity applies one activity that passed the inbox checks
// (signature, key owner, digest, date, blocks, origin). It is the relay's
// federation.Handler. Each effect and the activity id's dedupe mark commit
// in one bbolt transaction, so a repeated activity is accepted but applied
// once, and a refused one changes nothing.
func (s *Server) HandleActivity(ctx context.Context, a *federation.Activity) error {
	outcome, err := s.handle(ctx, a)
	switch {
	case err != nil:
		outcome = "refused"
		s.log.Info("activity refused", "type", a.Type, "id", a.ID, "actor", a.Actor, "error", err)
	default:
		s.log.Debug("activity accepted", "type", a.Type, "id", a.ID, "actor", a.Actor, "outcome", outcome)
	}
	typ := a.Type
	if !knownTypes[typ] {
		typ = "other" // keep the label set small whatever senders invent
	}
	s.metrics.applied.WithLabelValues(typ, outcome).Inc()
	return err
}

func (s *Server) handle(ctx context.Context, a *federation.Activity) (string, error) {
	var seen, blocked bool // in one read of the store
	_ = s.store.View(func(t *Txn) error {
		seen, blocked = t.Seen().Has(a.ID), t.Blocks().Has(a.Actor)
		return nil
	})
	if seen {
		return outcomeDuplicate, nil
	}
	if blocked {
		return "", fmt.Errorf("%w: actor %s is blocked on this relay", federation.ErrForbidden, a.Actor)
	}
	switch a.Type {
	case "Follow":
		return outcomeApplied, s.rel.HandleFollow(ctx, a)
	case "Accept", "Reject":
		return outcomeApplied, s.rel.HandleAnswer(a)
	case "Undo":
		return s.onUndo(ctx, a)
	case "Create", "Update":
		return s.onCreateOrUpdate(ctx, a)
	case "Delete":
		return s.onDelete(ctx, a)
	case "Announce":
		return s.onAnnounce(ctx, a)
	}
	return outcomeIgnored, s.rel.Mark(a.ID)
}

// subscribed reports whether actor follows the relay or is followed by it
// (with an accepted follow). Only such hubs may put listings in the index.
func subscribed(t *Txn, actor string) bool {
	if f, err := t.Follows().Follower(actor); err == nil && f.State == federation.FollowAccepted {
		return true
	}
	if f, err := t.Follows().Following(actor); err == nil && f.State == federation.FollowAccepted {
		return true
	}
	return false
}

// Approve accepts a pending follow (relay.follow_approval: manual): the
// hub gets its Accept and is followed back.
func (s *Server) Approve(ctx context.Context, actor string) error { return s.rel.Approve(ctx, actor) }

// Reject refuses a pending follow: the hub gets a Reject and the request
// is forgotten.
func (s *Server) Reject(ctx context.Context, actor string) error { return s.rel.Reject(ctx, actor) }

// onUndo handles Undo(Follow): the hub ends its subscription, the relay
// stops following it and drops its listings. Other Undos are ignored.
func (s *Server) onUndo(ctx context.Context, a *federation.Activity) (string, error) {
	var dropped []string
	done, err := s.rel.HandleUndo(ctx, a, func(tx *bbolt.Tx) error {
		var err error
		dropped, err = (&Txn{tx}).DeleteListingsOf(a.Actor)
		return err
	})
	if err != nil {
		return "", err
	}
	if !done {
		return outcomeIgnored, s.rel.Mark(a.ID)
	}
	s.listingsChanged(nil, dropped)
	return outcomeApplied, nil
}

// onCreateOrUpdate stores a listing sent embedded in a Create or Update.
// An Update of the actor itself (Mitra's Update(Person)) makes the relay
// read the actor's linked proposals again.
func (s *Server) onCreateOrUpdate(ctx context.Context, a *federation.Activity) (string, error) {
	if a.Type == "Update" && a.ObjectID == a.Actor {
		var ours bool
		_ = s.store.View(func(t *Txn) error { ours = subscribed(t, a.Actor); return nil })
		if !ours {
			return outcomeIgnored, s.rel.Mark(a.ID)
		}
		s.discovery.enqueue(a.Actor)
		return outcomeApplied, s.rel.Mark(a.ID)
	}
	if len(a.ObjectTypes) == 0 {
		return "", fmt.Errorf("%w: object: %s must embed the object, not only its id", federation.ErrInvalid, a.Type)
	}
	l, err := listing.DecodeMembers(a.ObjectMembers) // the object as the inbox decoded it, not read again
	if errors.Is(err, listing.ErrNotListing) {
		return outcomeIgnored, s.rel.Mark(a.ID)
	}
	if err != nil {
		return "", fmt.Errorf("%w: object: %v", federation.ErrInvalid, err)
	}
	return s.storeListing(ctx, a, l, &Record{Activity: json.RawMessage(a.Raw), Object: a.Object, Signature: signatureOf(ctx, a), Arrival: ArrivalDelivered})
}

// storeListing validates l, checks that a.Actor may write it, and stores it
// with rec (the evidence of how it arrived), marking the activity applied.
func (s *Server) storeListing(ctx context.Context, a *federation.Activity, l *listing.Listing, rec *Record) (string, error) {
	if l.Owner != a.Actor && (s.rel.ActorBlocked(l.Owner) || !s.allowed.allows(l.Owner)) {
		if err := s.validate(l); err != nil {
			return "", err
		}
		return outcomeIgnored, s.rel.Mark(a.ID) // an announced listing of a blocked seller, or one off the allow list
	}
	return s.keepListing(ctx, a.Actor, a.ID, l, rec)
}

// validate fills the times a listing may leave out and checks it. A listing
// without published is dated when the relay first received it (keepListing
// moves it back to that time once it knows); one without updated was not
// updated since.
func (s *Server) validate(l *listing.Listing) error {
	if l.Created.IsZero() {
		l.Created = s.now()
		if !l.Updated.IsZero() && l.Updated.Before(l.Created) {
			l.Created = l.Updated
		}
	}
	if l.Updated.IsZero() {
		l.Updated = l.Created
	}
	if err := listing.Validate(l); err != nil {
		return fmt.Errorf("%w: %v", federation.ErrInvalid, err)
	}
	return nil
}

// keepListing validates l, checks that sender (the actor that delivered it
// or whose attachment links it) may write it, and stores it with rec.
// activityID, when set, is the activity that carried it: a repeat of it
// changes nothing, and it is marked applied with the listing. A discovered
// copy never replaces a listing its hub delivers itself.
func (s *Server) keepListing(ctx context.Context, sender, activityID string, l *listing.Listing, rec *Record) (string, error) {
	noPublished, noUpdated, wireUpdated := l.Created.IsZero(), l.Updated.IsZero(), l.Updated
	if err := s.validate(l); err != nil {
		return "", err
	}
	if remote, err := s.client.Actor(ctx, l.Owner); err == nil {
		rec.SellerName = remote.Name
		if rec.SellerName == "" {
			rec.SellerName = remote.PreferredUsername
		}
	}
	if federation.HostOf(l.FederatedAPID) != federation.HostOf(l.Owner) {
		return "", fmt.Errorf("%w: listing %s is not on its owner's host %s", federation.ErrForbidden, l.FederatedAPID, federation.HostOf(l.Owner))
	}
	rec.Listing = *l
	rec.Received = s.now()
	// firstSeen dates the record by when the relay first received the
	// listing, and a listing without published by that too.
	firstSeen := func(at time.Time) {
		rec.FirstSeen = at
		if noPublished {
			rec.Listing.Created = at
			if !noUpdated && wireUpdated.Before(at) {
				rec.Listing.Created = wireUpdated
			}
			if noUpdated {
				rec.Listing.Updated = rec.Listing.Created
			}
		}
	}
	inside := s.spec.Accepts(l)
	// The record as stored when the listing is new, encoded before the
	// shared write transaction rather than while it holds the writer.
	var fresh []byte
	if inside {
		firstSeen(rec.Received)
		var err error
		if fresh, err = encodeRecord(rec); err != nil {
			return "", fmt.Errorf("encode listing %s: %w", l.FederatedAPID, err)
		}
	}
	var dropped, skipped, repeated bool
	err := s.store.Batch(func(t *Txn) error {
		dropped, skipped, repeated = false, false, false
		if activityID != "" && t.Seen().Has(activityID) {
			repeated = true // a concurrent delivery of the same activity won
			return nil
		}
		if !subscribed(t, sender) {
			return fmt.Errorf("%w: %s is not subscribed to this relay; send a Follow first", federation.ErrForbidden, sender)
		}
		firstSeen(rec.Received)
		encoded := fresh
		if old, err := t.Listing(l.FederatedAPID); err == nil {
			if old.Listing.Owner != l.Owner {
				return fmt.Errorf("%w: listing %s belongs to %s", federation.ErrForbidden, l.FederatedAPID, old.Listing.Owner)
			}
			if rec.Arrival == ArrivalDiscovered && old.Arrival != ArrivalDiscovered {
				skipped = true // the hub delivers this listing itself; its signed copy stays
				return nil
			}
			firstSeen(old.firstSeen())
			encoded = nil
		}
		if t.TakenDown(l.FederatedAPID) {
			return fmt.Errorf("%w: listing %s was taken down by this relay's operator", federation.ErrForbidden, l.FederatedAPID)
		}
		if inside && encoded != nil {
			if err := t.putEncoded(rec, encoded); err != nil {
				return err
			}
		} else if inside {
			if err := t.PutListing(rec); err != nil {
				return err
			}
		} else if removed, err := t.DeleteListing(l.FederatedAPID); err != nil {
			return err
		} else {
			dropped = removed // an Update moved the listing out of the niche
		}
		if activityID == "" {
			return nil
		}
		return t.Seen().Mark(activityID, s.now())
	})
	if err != nil {
		return "", err
	}
	switch {
	case repeated:
		return outcomeDuplicate, nil
	case skipped:
		return outcomeIgnored, nil
	}
	if !inside {
		s.metrics.outsideSpecialization.Inc()
		if dropped {
			s.listingsChanged(nil, []string{l.FederatedAPID})
		}
		return outcomeIgnored, nil
	}
	s.listingsChanged([]*Record{rec}, nil)
	return outcomeApplied, nil
}

// onDelete handles Delete of a listing (owner only) or of an actor (the
// actor itself), which ends its subscription and drops its listings.
func (s *Server) onDelete(ctx context.Context, a *federation.Activity) (string, error) {
	if a.ObjectID == a.Actor {
		var dropped []string
		err := s.rel.End(ctx, a.Actor, a.ID, func(tx *bbolt.Tx) error {
			var err error
			dropped, err = (&Txn{tx}).DeleteListingsOf(a.Actor)
			return err
		})
		if err != nil {
			return "", err
		}
		s.listingsChanged(nil, dropped)
		return outcomeApplied, nil
	}
	var dropped bool
	err := s.store.Update(func(t *Txn) error {
		old, err := t.Listing(a.ObjectID)
		if errors.Is(err, ErrNotFound) {
			return t.Seen().Mark(a.ID, s.now())
		}
		if err != nil {
			return err
		}
		if old.Listing.Owner != a.Actor {
			return fmt.Errorf("%w: listing %s belongs to %s, not %s", federation.ErrForbidden, a.ObjectID, old.Listing.Owner, a.Actor)
		}
		if dropped, err = t.DeleteListing(a.ObjectID); err != nil {
			return err
		}
		return t.Seen().Mark(a.ID, s.now())
	})
	if err != nil {
		return "", err
	}
	if dropped {
		s.listingsChanged(nil, []string{a.ObjectID})
	}
	return outcomeApplied, nil
}

// onAnnounce stores a listing another actor shared. The announcer's copy
// is never trusted: the listing is fetched from its origin and checked there.
func (s *Server) onAnnounce(ctx context.Context, a *federation.Activity) (string, error) {
	if a.ObjectID == "" {
		return "", fmt.Errorf("%w: object: Announce needs an object id", federation.ErrInvalid)
	}
	if s.Blocked(federation.HostOf(a.ObjectID)) || !s.allowed.allows(a.ObjectID) {
		return outcomeIgnored, s.rel.Mark(a.ID) // not even fetched from a blocked host or one off the allow list
	}
	body, err := s.client.FetchObject(ctx, a.ObjectID)
	if err != nil {
		return "", s.originFailed(purposeAnnounce, err)
	}
	l, err := listing.Decode(body)
	if errors.Is(err, listing.ErrNotListing) {
		return outcomeIgnored, s.rel.Mark(a.ID)
	}
	if err != nil {
		return "", fmt.Errorf("%w: announced object %s: %v", federation.ErrInvalid, a.ObjectID, err)
	}
	return s.storeListing(ctx, a, l, &Record{Activity: json.RawMessage(a.Raw), Object: body, FetchedVia: a.ObjectID, Arrival: ArrivalAnnounced})
}

// Why the relay fetched a document from its origin, for metrics.
const (
	purposeAnnounce  = "announce"
	purposeDiscovery = "discovery"
)

// originFailed counts a fetch from an origin that could not be reached
// (federation.ErrOriginUnreachable) and returns err.
func (s *Server) originFailed(purpose string, err error) error {
	if errors.Is(err, federation.ErrOriginUnreachable) {
		s.metrics.originUnreachable.WithLabelValues(purpose).Inc()
	}
	return err
}
