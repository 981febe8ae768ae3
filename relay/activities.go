package relay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/listing"
)

// publicCollection is the ActivityStreams "everyone" address; a Mastodon-style
// relay subscription is a Follow of it.
const publicCollection = "https://www.w3.org/ns/activitystreams#Public"

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
	var seen bool
	if err := s.store.View(func(t *Txn) error { seen = t.SeenActivity(a.ID); return nil }); err != nil {
		return "", err
	}
	if seen {
		return outcomeDuplicate, nil
	}
	if s.actorBlocked(a.Actor) {
		return "", fmt.Errorf("%w: actor %s is blocked on this relay", federation.ErrForbidden, a.Actor)
	}
	switch a.Type {
	case "Follow":
		return s.onFollow(ctx, a)
	case "Accept", "Reject":
		return s.onFollowAnswer(a)
	case "Undo":
		return s.onUndo(ctx, a)
	case "Create", "Update":
		return s.onCreateOrUpdate(ctx, a)
	case "Delete":
		return s.onDelete(ctx, a)
	case "Announce":
		return s.onAnnounce(ctx, a)
	}
	return outcomeIgnored, s.markOnly(a)
}

// markOnly records an activity the relay does not act on, so repeats stay cheap.
func (s *Server) markOnly(a *federation.Activity) error {
	return s.store.Update(func(t *Txn) error { return t.MarkActivity(a.ID, s.now()) })
}

// subscribed reports whether actor follows the relay or is followed by it
// (with an accepted follow). Only such hubs may put listings in the index.
func subscribed(t *Txn, actor string) bool {
	if f, err := t.Follower(actor); err == nil && f.State == StateAccepted {
		return true
	}
	if f, err := t.Following(actor); err == nil && f.State == StateAccepted {
		return true
	}
	return false
}

// onFollow subscribes a hub: record it, answer Accept, and follow it back.
func (s *Server) onFollow(ctx context.Context, a *federation.Activity) (string, error) {
	target := objectRef(a)
	if target != s.actorID && target != publicCollection {
		return "", fmt.Errorf("%w: Follow object must be the relay actor %s, got %q", federation.ErrInvalid, s.actorID, target)
	}
	remote, err := s.client.Actor(ctx, a.Actor)
	if err != nil {
		return "", fmt.Errorf("fetch follower %s: %w", a.Actor, err)
	}
	inbox := remote.Inbox
	if remote.SharedInbox != "" && target == publicCollection {
		inbox = remote.SharedInbox
	}
	f := &Follow{Actor: a.Actor, Inbox: inbox, State: StateAccepted, Activity: a.ID, Raw: json.RawMessage(a.Raw), Since: s.now()}
	if s.cfg.Relay.FollowApproval == "manual" {
		f.State = StatePending
		return outcomeApplied, s.store.Update(func(t *Txn) error {
			if old, err := t.Follower(a.Actor); err == nil && old.State == StateAccepted {
				return t.MarkActivity(a.ID, s.now()) // already approved: nothing to wait for
			}
			if err := t.PutFollower(f); err != nil {
				return err
			}
			return t.MarkActivity(a.ID, s.now())
		})
	}
	return outcomeApplied, s.acceptFollower(ctx, remote, f, a.ID)
}

// acceptFollower answers a hub's Follow with Accept, records the
// subscription and follows the hub back. activityID, when set, is marked
// as applied with the record.
func (s *Server) acceptFollower(ctx context.Context, remote *federation.RemoteActor, f *Follow, activityID string) error {
	accept, err := s.activity("Accept", f.Actor, f.Raw)
	if err != nil {
		return err
	}
	if err := s.queue.Enqueue(ctx, f.Inbox, accept); err != nil {
		return fmt.Errorf("queue Accept to %s: %w", f.Inbox, err)
	}
	f.State = StateAccepted
	if err := s.store.Update(func(t *Txn) error {
		if err := t.PutFollower(f); err != nil {
			return err
		}
		if activityID != "" {
			return t.MarkActivity(activityID, s.now())
		}
		return nil
	}); err != nil {
		return err
	}
	s.discovery.enqueue(f.Actor)
	return s.followBack(ctx, remote)
}

// Approve accepts a pending follow (relay.follow_approval: manual): the
// hub gets its Accept and is followed back.
func (s *Server) Approve(ctx context.Context, actor string) error {
	f, err := s.pendingFollower(actor)
	if err != nil {
		return err
	}
	remote, err := s.client.Actor(ctx, actor)
	if err != nil {
		return fmt.Errorf("fetch %s: %w", actor, err)
	}
	return s.acceptFollower(ctx, remote, f, "")
}

// Reject refuses a pending follow: the hub gets a Reject and the request
// is forgotten.
func (s *Server) Reject(ctx context.Context, actor string) error {
	f, err := s.pendingFollower(actor)
	if err != nil {
		return err
	}
	reject, err := s.activity("Reject", f.Actor, f.Raw)
	if err != nil {
		return err
	}
	if err := s.queue.Enqueue(ctx, f.Inbox, reject); err != nil {
		return fmt.Errorf("queue Reject to %s: %w", f.Inbox, err)
	}
	return s.store.Update(func(t *Txn) error { return t.DeleteFollower(actor) })
}

func (s *Server) pendingFollower(actor string) (*Follow, error) {
	var f *Follow
	err := s.store.View(func(t *Txn) error {
		var err error
		f, err = t.Follower(actor)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%w: no follow request from %s", ErrNotFound, actor)
	}
	if f.State != StatePending {
		return nil, fmt.Errorf("%w: the follow of %s is %s, not pending", federation.ErrInvalid, actor, f.State)
	}
	return f, nil
}

// followBack makes the relay follow a hub that subscribed, unless it already does.
func (s *Server) followBack(ctx context.Context, remote *federation.RemoteActor) error {
	var already bool
	if err := s.store.View(func(t *Txn) error {
		f, err := t.Following(remote.ID)
		already = err == nil && f.State != StateRejected
		return nil
	}); err != nil {
		return err
	}
	if already {
		return nil
	}
	return s.follow(ctx, remote)
}

// follow sends a Follow to a hub and records it as pending.
func (s *Server) follow(ctx context.Context, remote *federation.RemoteActor) error {
	body, err := s.activity("Follow", remote.ID, remote.ID)
	if err != nil {
		return err
	}
	var id struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(body, &id)
	if err := s.queue.Enqueue(ctx, remote.Inbox, body); err != nil {
		return fmt.Errorf("queue Follow to %s: %w", remote.Inbox, err)
	}
	return s.store.Update(func(t *Txn) error {
		return t.PutFollowing(&Follow{Actor: remote.ID, Inbox: remote.Inbox, State: StatePending, Activity: id.ID, Since: s.now()})
	})
}

// onFollowAnswer records a hub's Accept or Reject of the relay's Follow.
func (s *Server) onFollowAnswer(a *federation.Activity) (string, error) {
	followID := objectRef(a)
	state := StateAccepted
	if a.Type == "Reject" {
		state = StateRejected
	}
	err := s.store.Update(func(t *Txn) error {
		f, err := t.FollowingByActivity(followID)
		if errors.Is(err, ErrNotFound) {
			return t.MarkActivity(a.ID, s.now()) // an answer to nothing of ours
		}
		if err != nil {
			return err
		}
		if f.Actor != a.Actor {
			return fmt.Errorf("%w: %s answered a Follow sent to %s", federation.ErrForbidden, a.Actor, f.Actor)
		}
		f.State = state
		if err := t.PutFollowing(f); err != nil {
			return err
		}
		return t.MarkActivity(a.ID, s.now())
	})
	if err == nil && state == StateAccepted {
		s.discovery.enqueue(a.Actor)
	}
	return outcomeApplied, err
}

// onUndo handles Undo(Follow): the hub ends its subscription, the relay
// stops following it and drops its listings.
func (s *Server) onUndo(ctx context.Context, a *federation.Activity) (string, error) {
	var inner struct {
		Type  string `json:"type"`
		Actor any    `json:"actor"`
	}
	if len(a.ObjectTypes) == 0 {
		// Undo by IRI: it can only be the follow this actor made.
		var f *Follow
		_ = s.store.View(func(t *Txn) error { f, _ = t.Follower(a.Actor); return nil })
		if f == nil || f.Activity != a.ObjectID {
			return outcomeIgnored, s.markOnly(a)
		}
		inner.Type = "Follow"
	} else if err := json.Unmarshal(a.Object, &inner); err != nil {
		return "", fmt.Errorf("%w: object: %v", federation.ErrInvalid, err)
	}
	if inner.Type != "Follow" {
		return outcomeIgnored, s.markOnly(a)
	}
	if owner := actorRef(inner.Actor); owner != "" && owner != a.Actor {
		return "", fmt.Errorf("%w: %s may not undo a Follow by %s", federation.ErrForbidden, a.Actor, owner)
	}
	return outcomeApplied, s.unsubscribe(ctx, a.Actor, a.ID)
}

// unsubscribe ends every relationship with actor, drops its listings, and,
// if the relay followed it, queues an Undo of that Follow. activityID, when
// set, is marked as applied in the same transaction.
func (s *Server) unsubscribe(ctx context.Context, actor, activityID string) error {
	var following *Follow
	var dropped []string
	err := s.store.Update(func(t *Txn) error {
		following, _ = t.Following(actor)
		if err := t.DeleteFollower(actor); err != nil {
			return err
		}
		if err := t.DeleteFollowing(actor); err != nil {
			return err
		}
		ids, err := t.DeleteListingsOf(actor)
		if err != nil {
			return err
		}
		dropped = ids
		if activityID != "" {
			return t.MarkActivity(activityID, s.now())
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.listingsChanged(nil, dropped)
	if following != nil {
		s.undoFollow(ctx, following)
	}
	return nil
}

// undoFollow queues an Undo of the relay's Follow f; a failure to queue it
// is logged, since the relationship is already forgotten.
func (s *Server) undoFollow(ctx context.Context, f *Follow) {
	if f.Inbox == "" {
		return
	}
	undo, err := s.activity("Undo", f.Actor, map[string]any{"id": f.Activity, "type": "Follow", "actor": s.actorID, "object": f.Actor})
	if err == nil {
		err = s.queue.Enqueue(ctx, f.Inbox, undo)
	}
	if err != nil {
		s.log.Warn("queue Undo(Follow)", "actor", f.Actor, "error", err)
	}
}

// onCreateOrUpdate stores a listing sent embedded in a Create or Update.
// An Update of the actor itself (Mitra's Update(Person)) makes the relay
// read the actor's linked proposals again.
func (s *Server) onCreateOrUpdate(ctx context.Context, a *federation.Activity) (string, error) {
	if a.Type == "Update" && a.ObjectID == a.Actor {
		var ours bool
		_ = s.store.View(func(t *Txn) error { ours = subscribed(t, a.Actor); return nil })
		if !ours {
			return outcomeIgnored, s.markOnly(a)
		}
		s.discovery.enqueue(a.Actor)
		return outcomeApplied, s.markOnly(a)
	}
	if len(a.ObjectTypes) == 0 {
		return "", fmt.Errorf("%w: object: %s must embed the object, not only its id", federation.ErrInvalid, a.Type)
	}
	l, err := listing.Decode(a.Object)
	if errors.Is(err, listing.ErrNotListing) {
		return outcomeIgnored, s.markOnly(a)
	}
	if err != nil {
		return "", fmt.Errorf("%w: object: %v", federation.ErrInvalid, err)
	}
	return s.storeListing(ctx, a, l, &Record{Activity: json.RawMessage(a.Raw), Object: a.Object, Signature: signatureOf(ctx, a), Arrival: ArrivalDelivered})
}

// storeListing validates l, checks that a.Actor may write it, and stores it
// with rec (the evidence of how it arrived), marking the activity applied.
func (s *Server) storeListing(ctx context.Context, a *federation.Activity, l *listing.Listing, rec *Record) (string, error) {
	if l.Owner != a.Actor && (s.actorBlocked(l.Owner) || !s.allowed.allows(l.Owner)) {
		if err := s.validate(l); err != nil {
			return "", err
		}
		return outcomeIgnored, s.markOnly(a) // an announced listing of a blocked seller, or one off the allow list
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
	if hostOf(l.FederatedAPID) != hostOf(l.Owner) {
		return "", fmt.Errorf("%w: listing %s is not on its owner's host %s", federation.ErrForbidden, l.FederatedAPID, hostOf(l.Owner))
	}
	rec.Listing = *l
	rec.Received = s.now()
	inside := s.spec.Accepts(l)
	var dropped, skipped, repeated bool
	err := s.store.Batch(func(t *Txn) error {
		dropped, skipped, repeated = false, false, false
		if activityID != "" && t.SeenActivity(activityID) {
			repeated = true // a concurrent delivery of the same activity won
			return nil
		}
		if !subscribed(t, sender) {
			return fmt.Errorf("%w: %s is not subscribed to this relay; send a Follow first", federation.ErrForbidden, sender)
		}
		rec.FirstSeen = rec.Received
		if old, err := t.Listing(l.FederatedAPID); err == nil {
			if old.Listing.Owner != l.Owner {
				return fmt.Errorf("%w: listing %s belongs to %s", federation.ErrForbidden, l.FederatedAPID, old.Listing.Owner)
			}
			if rec.Arrival == ArrivalDiscovered && old.Arrival != ArrivalDiscovered {
				skipped = true // the hub delivers this listing itself; its signed copy stays
				return nil
			}
			rec.FirstSeen = old.firstSeen()
		}
		if noPublished {
			rec.Listing.Created = rec.FirstSeen
			if !noUpdated && wireUpdated.Before(rec.Listing.Created) {
				rec.Listing.Created = wireUpdated
			}
			if noUpdated {
				rec.Listing.Updated = rec.Listing.Created
			}
		}
		if t.TakenDown(l.FederatedAPID) {
			return fmt.Errorf("%w: listing %s was taken down by this relay's operator", federation.ErrForbidden, l.FederatedAPID)
		}
		if inside {
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
		return t.MarkActivity(activityID, s.now())
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
		return outcomeApplied, s.unsubscribe(ctx, a.Actor, a.ID)
	}
	var dropped bool
	err := s.store.Update(func(t *Txn) error {
		old, err := t.Listing(a.ObjectID)
		if errors.Is(err, ErrNotFound) {
			return t.MarkActivity(a.ID, s.now())
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
		return t.MarkActivity(a.ID, s.now())
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
	if s.Blocked(hostOf(a.ObjectID)) || !s.allowed.allows(a.ObjectID) {
		return outcomeIgnored, s.markOnly(a) // not even fetched from a blocked host or one off the allow list
	}
	body, err := s.client.Get(ctx, a.ObjectID)
	if err != nil {
		return "", s.originFetchError(purposeAnnounce, "fetch announced object "+a.ObjectID+" from its origin", err)
	}
	l, err := listing.Decode(body)
	if errors.Is(err, listing.ErrNotListing) {
		return outcomeIgnored, s.markOnly(a)
	}
	if err != nil {
		return "", fmt.Errorf("%w: announced object %s: %v", federation.ErrInvalid, a.ObjectID, err)
	}
	if l.FederatedAPID != a.ObjectID {
		return "", fmt.Errorf("%w: origin served id %s for %s", federation.ErrForbidden, l.FederatedAPID, a.ObjectID)
	}
	return s.storeListing(ctx, a, l, &Record{Activity: json.RawMessage(a.Raw), Object: body, FetchedVia: a.ObjectID, Arrival: ArrivalAnnounced})
}

// Why the relay fetched a document from its origin, for metrics.
const (
	purposeAnnounce  = "announce"
	purposeDiscovery = "discovery"
)

// originFetchError turns a failed fetch from an origin into the handler's
// error. A missing or deleted document is ErrNotFound, a malformed one
// ErrInvalid, one on a private network ErrForbidden; anything else (a
// timeout, a refused connection, a 5xx or another status) means the origin
// cannot be reached now: ErrOriginUnreachable, counted, so that the sender
// is not invited to retry at once.
func (s *Server) originFetchError(purpose, what string, err error) error {
	switch {
	case errors.Is(err, federation.ErrNotFound), errors.Is(err, federation.ErrInvalid):
		return fmt.Errorf("%s: %w", what, err)
	case errors.Is(err, federation.ErrGone):
		return fmt.Errorf("%w: %s: %w", federation.ErrNotFound, what, err)
	case errors.Is(err, federation.ErrPrivateAddress):
		return fmt.Errorf("%w: %s: %w", federation.ErrForbidden, what, err)
	}
	s.metrics.originUnreachable.WithLabelValues(purpose).Inc()
	return fmt.Errorf("%w: %s: %v", federation.ErrOriginUnreachable, what, err)
}

// activity builds one of the relay's own activities with a fresh id.
func (s *Server) activity(typ, to string, object any) ([]byte, error) {
	return federation.Envelope{
		Type: typ, ID: s.publicURL + "/activities/" + newID(), Actor: s.actorID,
		Object: object, To: []string{to}, Published: s.now(),
	}.MarshalJSON()
}

// objectRef is the id of the activity's object (IRI or embedded).
func objectRef(a *federation.Activity) string { return a.ObjectID }

// actorRef reads an actor given as an IRI or an object with an id.
func actorRef(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		id, _ := x["id"].(string)
		return id
	}
	return ""
}

// hostOf returns the lower-cased host (with port) of a URL, or "".
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}
