package hub

import (
	"slices"

	"github.com/sovereign-marketplace/market/listing"
)

// Recipient is someone the owner's listings may go to: an accepted
// follower, or a relay the owner subscribed to (or one that follows the
// owner). Inbox is where to deliver: the shared inbox when there is one.
type Recipient struct {
	Actor string
	Inbox string
	// Relay marks a marketplace relay: it gets public listings that fit
	// its Niche, and never followers-only ones.
	Relay bool
	Niche listing.Niche
}

// Audience is the one rule of who has a listing: the inboxes that should
// hold l, given the recipients the hub has now and the inboxes that had
// it (had, from the listing's record).
//
//   - a draft or a private listing goes nowhere;
//   - a public listing goes to every follower's inbox, and to every
//     relay whose niche it fits;
//   - a followers-only listing goes to followers only: never to a relay,
//     nor to an inbox a relay shares;
//   - a paused, sold or expired listing is not sent anew: it stays with
//     those of that audience who had it, so that they learn its status.
//
// The result is sorted and has no repeats. What to send follows from it
// and had: a Create where it is new, an Update where it was, a Delete
// where it no longer is (see plan).
func Audience(l *listing.Listing, recipients []Recipient, had []string) []string {
	if l.Status == listing.StatusDraft || l.Visibility == listing.VisibilityPrivate {
		return nil
	}
	relayInboxes := relayInboxes(recipients)
	var out []string
	for _, r := range recipients {
		switch {
		case r.Inbox == "":
		case r.Relay:
			if l.Visibility == listing.VisibilityPublic && r.Niche.Fits(l) {
				out = append(out, r.Inbox)
			}
		case l.Visibility == listing.VisibilityPublic:
			out = append(out, r.Inbox)
		case l.Visibility == listing.VisibilityFollowers && !relayInboxes[r.Inbox]:
			out = append(out, r.Inbox)
		}
	}
	if l.Status != listing.StatusActive {
		out = slices.DeleteFunc(out, func(inbox string) bool { return !slices.Contains(had, inbox) })
	}
	if len(out) == 0 {
		return nil
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// relayInboxes are the inboxes relays among recipients use: whatever goes
// there, a relay gets.
func relayInboxes(recipients []Recipient) map[string]bool {
	out := map[string]bool{}
	for _, r := range recipients {
		if r.Relay {
			out[r.Inbox] = true
		}
	}
	return out
}

// plan is what one change sends: Create to the inboxes new to the
// listing, Update to those that keep it, Delete to those that lose it.
type plan struct {
	create, update, remove []string
}

// planFor compares the audience a listing should have with the inboxes
// that had it (both sorted).
func planFor(should, had []string) plan {
	var p plan
	for _, inbox := range should {
		if slices.Contains(had, inbox) {
			p.update = append(p.update, inbox)
		} else {
			p.create = append(p.create, inbox)
		}
	}
	for _, inbox := range had {
		if !slices.Contains(should, inbox) {
			p.remove = append(p.remove, inbox)
		}
	}
	return p
}
