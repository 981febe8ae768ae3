package hub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/listing"
)

// Sharing: the owner shares (Announces) someone else's public listing
// with their followers; a follower's hub fetches it from its origin and
// keeps it in its marketplace with who shared it. The sharer's hub passes
// on what the listing's owner later sends it: an Update makes it Announce
// again (followers fetch the origin's copy anew), a Delete or a narrowing
// to a non-public visibility makes it Undo the Announce (followers that
// do not follow the owner themselves drop their copy). A follower that
// follows the owner gets the owner's Update and Delete directly.

// AnnounceResult is what sharing a listing did.
type AnnounceResult struct {
	Activity    string `json:"id"`
	Object      string `json:"object"`
	Owner       string `json:"owner"`
	Title       string `json:"title"`
	DeliveredTo int    `json:"delivered_to"`
}

// Announce shares the public listing at ref (its object URL) with the
// owner's followers: the listing is fetched from its origin and checked
// there (a public listing on its owner's host, not one of the owner's
// own), then an Announce goes to every follower's (shared) inbox that is
// not a relay's, through the delivery queue.
func (s *Server) Announce(ctx context.Context, ref string) (*AnnounceResult, error) {
	if !listing.IsHTTPURL(ref) || len(ref) > listing.MaxURL {
		return nil, fmt.Errorf("%w: object: must be a listing's http(s) URL of at most %d bytes, got %q", ErrInvalid, listing.MaxURL, short(ref))
	}
	if hostOf(ref) == hostOf(s.publicURL) {
		return nil, fmt.Errorf("%w: object: %s is on this hub; the owner's own listings reach their followers already", ErrInvalid, ref)
	}
	if s.rel.Blocked(hostOf(ref)) {
		return nil, fmt.Errorf("%w: object: %s is on a blocked domain", federation.ErrForbidden, ref)
	}
	l, err := s.fetchShared(ctx, ref)
	if errors.Is(err, listing.ErrNotListing) {
		return nil, fmt.Errorf("%w: object: %s is not a listing", ErrInvalid, ref)
	}
	if err != nil {
		return nil, err
	}
	if l.Visibility != listing.VisibilityPublic {
		return nil, fmt.Errorf("%w: object: %s is not public; only public listings can be shared", ErrInvalid, ref)
	}
	if s.rel.ActorBlocked(l.Owner) {
		return nil, fmt.Errorf("%w: object: the owner %s is blocked", federation.ErrForbidden, l.Owner)
	}
	res := &AnnounceResult{Object: l.FederatedAPID, Owner: l.Owner, Title: l.Title}
	err = s.update(func(t txn) error {
		ann := &Announced{Object: l.FederatedAPID, Owner: l.Owner, Announced: s.now()}
		if err := s.announce(t, ann); err != nil {
			return err
		}
		var id struct{ ID string }
		_ = json.Unmarshal(ann.Activity, &id)
		res.Activity, res.DeliveredTo = id.ID, len(ann.Delivered)
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.log.Info("listing shared", "object", res.Object, "owner", res.Owner, "delivered_to", res.DeliveredTo)
	return res, nil
}

// fetchShared fetches a shared listing from its origin and checks it
// there: an object whose id is the one asked for (federation.FetchObject),
// a valid listing (listing.ErrNotListing for another object) on its
// owner's host.
func (s *Server) fetchShared(ctx context.Context, id string) (*listing.Listing, error) {
	body, err := s.client.FetchObject(ctx, id)
	if err != nil {
		return nil, err
	}
	l, err := listing.Decode(body)
	if errors.Is(err, listing.ErrNotListing) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("%w: shared object %s: %v", federation.ErrInvalid, id, err)
	}
	if err := s.validate(l); err != nil {
		return nil, err
	}
	return l, nil
}

// Shares is the rule of who gets the owner's Announces: every accepted
// follower that is not a relay (relays take listings from their own
// subscriptions, and are never sent what they could not withdraw), one
// delivery per inbox, sorted.
func Shares(recipients []Recipient) []string {
	relayInboxes := relayInboxes(recipients)
	var out []string
	for _, r := range recipients {
		if r.Inbox != "" && !r.Relay && !relayInboxes[r.Inbox] {
			out = append(out, r.Inbox)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// announce queues an Announce of ann.Object to the followers Shares
// names, nothing to a blocked host, and stores ann with it.
func (s *Server) announce(t txn, ann *Announced) error {
	recips, err := t.recipients()
	if err != nil {
		return err
	}
	a := s.activity("Announce", ann.Object)
	a["to"], a["cc"] = []string{listing.Public}, []string{s.followersURL(), ann.Owner}
	body, err := json.Marshal(a)
	if err != nil {
		return err
	}
	ann.Activity = body
	ann.Delivered = nil
	if err := s.enqueue(t, Shares(recips), body, func(inbox string) { ann.Delivered = append(ann.Delivered, inbox) }); err != nil {
		return err
	}
	return put(t, bucketAnnounces, ann.Object, ann)
}

// enqueue queues body to each inbox not on a blocked host, calling sent
// for each.
func (s *Server) enqueue(t txn, inboxes []string, body []byte, sent func(inbox string)) error {
	blocks := federation.BlocksIn(t.tx)
	for _, inbox := range inboxes {
		if blocks.Covers(hostOf(inbox)) {
			continue
		}
		if err := s.queue.EnqueueTx(t.tx, inbox, body); err != nil {
			return err
		}
		sent(inbox)
	}
	return nil
}

// passOn passes a change the listing's owner sent on to those the owner
// of this hub shared it with, in the transaction that takes the change:
// l is the listing as its owner now publishes it, nil when they deleted
// it. A public listing is announced again; any other, or a deleted one,
// has its Announce undone. Only the listing's owner's changes count.
func (s *Server) passOn(t txn, id, sender string, l *listing.Listing) error {
	ann, err := get[Announced](t, bucketAnnounces, id)
	if errors.Is(err, ErrNotFound) || (err == nil && ann.Owner != sender) {
		return nil
	}
	if err != nil {
		return err
	}
	if l != nil && l.Visibility == listing.VisibilityPublic {
		return s.announce(t, ann)
	}
	return s.unannounce(t, ann)
}

// unannounce queues an Undo of ann's Announce to whoever got it and
// forgets ann.
func (s *Server) unannounce(t txn, ann *Announced) error {
	a := s.activity("Undo", json.RawMessage(ann.Activity))
	a["to"], a["cc"] = []string{listing.Public}, []string{s.followersURL()}
	body, err := json.Marshal(a)
	if err != nil {
		return err
	}
	if err := s.enqueue(t, ann.Delivered, body, func(string) {}); err != nil {
		return err
	}
	return t.tx.Bucket(bucketAnnounces).Delete([]byte(ann.Object))
}

// unannounceAll undoes the owner's Announces of every listing of owner
// (an actor that deleted itself).
func (s *Server) unannounceAll(t txn, owner string) error {
	anns, err := all[Announced](t, bucketAnnounces)
	if err != nil {
		return err
	}
	for _, ann := range anns {
		if ann.Owner == owner {
			if err := s.unannounce(t, ann); err != nil {
				return err
			}
		}
	}
	return nil
}

// onAnnounce keeps a listing that a hub the owner follows shared: it is
// fetched from its origin and checked there (the sharer's word is never
// taken for it), kept with who shared it, and indexed. An origin that no
// longer has it (404 or 410: deleted, or no longer public) takes the
// marketplace's copy away, unless the listing's owner, whom the owner
// follows, delivers it. The owner's own listings, listings on blocked
// hosts and those of blocked owners are not kept.
func (s *Server) onAnnounce(ctx context.Context, a *federation.Activity) error {
	if a.ObjectID == "" || !listing.IsHTTPURL(a.ObjectID) || len(a.ObjectID) > listing.MaxURL {
		return fmt.Errorf("%w: object: an Announce needs the http(s) id of the object it shares", federation.ErrInvalid)
	}
	var followed bool
	_ = s.view(func(t txn) error { followed = t.follows(a.Actor); return nil })
	if !followed {
		// Checked before anything is fetched: the hub is nobody's proxy.
		return fmt.Errorf("%w: the owner does not follow %s", federation.ErrForbidden, a.Actor)
	}
	if hostOf(a.ObjectID) == hostOf(s.publicURL) || s.rel.Blocked(hostOf(a.ObjectID)) {
		return s.rel.Mark(a.ID)
	}
	l, err := s.fetchShared(ctx, a.ObjectID)
	switch {
	case errors.Is(err, federation.ErrNotFound):
		// The origin does not serve it (any more) to the public. A copy
		// the owner has only through shares goes; one its owner, whom the
		// owner follows, delivers stays: that owner's own Update or
		// Delete decides, not someone else's Announce of it.
		return s.update(func(t txn) error {
			if owner := t.marketOwner(a.ObjectID); owner != "" && !t.follows(owner) {
				if _, err := t.deleteMarket(owner, a.ObjectID); err != nil {
					return err
				}
			}
			return federation.SeenIn(t.tx).Mark(a.ID, s.now())
		})
	case errors.Is(err, listing.ErrNotListing):
		return s.rel.Mark(a.ID)
	case err != nil:
		return err
	}
	if l.Visibility != listing.VisibilityPublic {
		return fmt.Errorf("%w: shared object %s is not public", federation.ErrForbidden, a.ObjectID)
	}
	if s.rel.ActorBlocked(l.Owner) {
		return s.rel.Mark(a.ID)
	}
	name := s.sellerName(ctx, l.Owner)
	return s.update(func(t txn) error {
		if !t.follows(a.Actor) {
			return fmt.Errorf("%w: the owner does not follow %s", federation.ErrForbidden, a.Actor)
		}
		old := t.marketListing(l.Owner, l.FederatedAPID)
		if old == nil && t.countMarket(l.Owner) >= MaxPerSeller {
			return fmt.Errorf("%w: this hub keeps at most %d listings of one seller", federation.ErrForbidden, MaxPerSeller)
		}
		r := &Received{Listing: *l, From: a.Actor, SellerName: name, Received: s.now()}
		if old != nil {
			r.SharedBy = old.SharedBy
		}
		if a.Actor != l.Owner && !slices.Contains(r.SharedBy, a.Actor) && len(r.SharedBy) < MaxSharers {
			r.SharedBy = append(slices.Clone(r.SharedBy), a.Actor)
			slices.Sort(r.SharedBy)
		}
		if err := t.putMarket(r); err != nil {
			return err
		}
		return federation.SeenIn(t.tx).Mark(a.ID, s.now())
	})
}

// onUndo takes an Undo of an Announce embedded in it: the sharer takes
// back what it shared, which leaves the marketplace unless the owner
// follows the listing's owner or someone else shared it. Undos of
// anything else (but a Follow, which federation.Relations took), and of
// an Announce named by its id alone, change nothing.
func (s *Server) onUndo(ctx context.Context, a *federation.Activity) error {
	var inner struct {
		Type   string          `json:"type"`
		Object json.RawMessage `json:"object"`
	}
	if !a.ObjectEmbedded || json.Unmarshal(a.Object, &inner) != nil || inner.Type != "Announce" {
		return s.rel.Mark(a.ID)
	}
	if a.ObjectActor != "" && a.ObjectActor != a.Actor {
		return fmt.Errorf("%w: %s may not undo an Announce by %s", federation.ErrForbidden, a.Actor, a.ObjectActor)
	}
	id := objectID(inner.Object)
	return s.update(func(t txn) error {
		if r := t.marketListing(t.marketOwner(id), id); r != nil && slices.Contains(r.SharedBy, a.Actor) {
			r.SharedBy = slices.DeleteFunc(slices.Clone(r.SharedBy), func(x string) bool { return x == a.Actor })
			if err := t.keepOrDrop(r); err != nil {
				return err
			}
		}
		return federation.SeenIn(t.tx).Mark(a.ID, s.now())
	})
}

// objectID reads an object member given as an IRI or as an object with
// an id; "" for anything else.
func objectID(raw json.RawMessage) string {
	var id string
	if json.Unmarshal(raw, &id) == nil {
		return id
	}
	var obj struct{ ID string }
	if json.Unmarshal(raw, &obj) == nil {
		return obj.ID
	}
	return ""
}
