package hub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/listing"
)

// recipients lists who may receive the owner's listings now: accepted
// followers (a follower that is a relay counts as one) and the relays the
// owner subscribed to that accepted, sorted by actor. A relay whose
// specialization could not be read gets nothing.
func (t txn) recipients() ([]Recipient, error) {
	fs := federation.FollowsIn(t.tx)
	followers, err := fs.List(false)
	if err != nil {
		return nil, err
	}
	byActor := map[string]Recipient{}
	for _, f := range followers {
		if f.State != federation.FollowAccepted {
			continue
		}
		r := Recipient{Actor: f.Actor, Inbox: f.Inbox}
		if p := t.peer(f.Actor); p != nil {
			r.Inbox, r.Relay, r.Niche = p.Inbox, p.Relay, p.Niche
		}
		byActor[f.Actor] = r
	}
	relays, err := t.relays()
	if err != nil {
		return nil, err
	}
	for _, rl := range relays {
		delete(byActor, rl.Actor)
		if f, err := fs.Following(rl.Actor); err != nil || f.State != federation.FollowAccepted || rl.NicheError != "" {
			continue
		}
		byActor[rl.Actor] = Recipient{Actor: rl.Actor, Inbox: rl.Inbox, Relay: true, Niche: rl.Niche}
	}
	out := make([]Recipient, 0, len(byActor))
	for _, r := range byActor {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Recipient) int { return strings.Compare(a.Actor, b.Actor) })
	return out, nil
}

// published reports whether a listing is visible beyond the owner: it then
// has an object id (federated_ap_id) and a page.
func published(l *listing.Listing) bool {
	return l.Status != listing.StatusDraft && l.Visibility != listing.VisibilityPrivate
}

// commit stores rec and queues what the change calls for, in the same
// transaction: Create to the inboxes new to the listing, Update (when
// changed) to those that keep it, Delete with a Tombstone to those that
// lose it, one delivery per inbox. rec.Delivered becomes the new audience.
// Nothing goes to a blocked host.
func (s *Server) commit(t txn, rec *Record, changed bool) error {
	l := &rec.Listing
	if published(l) && l.FederatedAPID == "" {
		l.FederatedAPID = s.listingURL(l.ID)
		l.URL = l.FederatedAPID
	}
	var should []string
	if rec.Deleted == nil {
		recips, err := t.recipients()
		if err != nil {
			return err
		}
		should = Audience(l, recips, rec.Delivered)
	}
	p := planFor(should, rec.Delivered)
	if !changed {
		if len(p.create) == 0 && len(p.remove) == 0 {
			return nil // nothing to send, nothing to store
		}
		p.update = nil
	}
	blocks := federation.BlocksIn(t.tx)
	send := func(inboxes []string, body func() ([]byte, error)) error {
		var b []byte
		for _, inbox := range inboxes {
			if blocks.Covers(hostOf(inbox)) {
				continue
			}
			if b == nil {
				var err error
				if b, err = body(); err != nil {
					return err
				}
			}
			if err := s.queue.EnqueueTx(t.tx, inbox, b); err != nil {
				return err
			}
		}
		return nil
	}
	if err := send(p.create, func() ([]byte, error) { return s.listingActivity("Create", l) }); err != nil {
		return err
	}
	if err := send(p.update, func() ([]byte, error) { return s.listingActivity("Update", l) }); err != nil {
		return err
	}
	if err := send(p.remove, func() ([]byte, error) { return s.deleteActivity(l) }); err != nil {
		return err
	}
	rec.Delivered = should
	return t.putRecord(rec)
}

// listingActivity is the owner's Create or Update of l: the listing in its
// wire form (listing.Encode), addressed as its visibility says.
func (s *Server) listingActivity(typ string, l *listing.Listing) ([]byte, error) {
	obj, err := listing.Encode(l)
	if err != nil {
		return nil, fmt.Errorf("encode listing %s: %w", l.ID, err)
	}
	a := s.activity(typ, json.RawMessage(obj))
	if l.Visibility == listing.VisibilityPublic {
		a["to"], a["cc"] = []string{listing.Public}, []string{s.followersURL()}
	} else {
		a["to"] = []string{s.followersURL()}
	}
	return json.Marshal(a)
}

// deleteActivity is the owner's Delete of l, with a Tombstone in its place.
func (s *Server) deleteActivity(l *listing.Listing) ([]byte, error) {
	a := s.activity("Delete", s.tombstone(l.FederatedAPID))
	a["to"], a["cc"] = []string{listing.Public}, []string{s.followersURL()}
	return json.Marshal(a)
}

func (s *Server) tombstone(id string) map[string]any {
	return map[string]any{"id": id, "type": "Tombstone", "formerType": "Note", "deleted": s.now().Format(time.RFC3339)}
}

func (s *Server) activity(typ string, object any) map[string]any {
	return map[string]any{
		"@context":  listing.ActivityStreams,
		"id":        s.publicURL + "/activities/" + newID(),
		"type":      typ,
		"actor":     s.actorID,
		"object":    object,
		"published": s.now().Format(time.RFC3339),
	}
}

// wakeResync asks the audience job to run soon.
func (s *Server) wakeResync() {
	select {
	case s.resync <- struct{}{}:
	default:
	}
}

// resyncLoop brings every listing's audience up to date whenever
// followers or relays change, until ctx ends.
func (s *Server) resyncLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.resync:
		}
		if err := s.Resync(ctx); errors.Is(err, context.Canceled) {
			return // stopping: the next start runs the pass again
		} else if err != nil {
			s.log.Error("bring listing audiences up to date", "error", err)
		}
	}
}

// Resync brings every listing's audience up to date after followers or
// relays changed: a Create to each inbox new to a listing (a new
// follower, a relay that accepted), a Delete to each that lost it (an
// unfollow, a relay that narrowed its niche). Listings themselves do not
// change, so nobody gets an Update.
func (s *Server) Resync(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	if err := s.view(func(t txn) error {
		recs, err := t.records()
		for _, r := range recs {
			if r.Deleted == nil || len(r.Delivered) > 0 {
				ids = append(ids, r.Listing.ID)
			}
		}
		return err
	}); err != nil {
		return err
	}
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := s.update(func(t txn) error {
			rec, err := get[Record](t, bucketListings, id)
			if err != nil {
				return err
			}
			return s.commit(t, rec, false)
		})
		if err != nil {
			return fmt.Errorf("listing %s: %w", id, err)
		}
	}
	return nil
}
