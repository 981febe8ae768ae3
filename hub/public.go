package hub

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/listing"
	"github.com/sovereign-marketplace/market/node"
)

// outboxPage is how many items one page of the outbox holds.
const outboxPage = 20

// maxOutboxPage bounds the page number a client may ask for.
const maxOutboxPage = 100000

// isPublic reports whether a listing is for everyone to see: public, not
// a draft, not deleted. Only those appear in the outbox and on pages.
func isPublic(r *Record) bool {
	return r.Deleted == nil && r.Listing.Visibility == listing.VisibilityPublic && r.Listing.Status != listing.StatusDraft
}

// wantsActivityJSON reports whether a request's Accept header asks for
// ActivityPub JSON rather than a page.
func wantsActivityJSON(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err == nil && (mt == "application/activity+json" || mt == "application/ld+json") {
			return true
		}
	}
	return false
}

// serveListing answers an ActivityPub client at a listing's object URL: a
// public listing as its wire form, a deleted one as a 410 with a
// Tombstone, a draft, private or followers-only one (or none) as not
// found.
func (s *Server) serveListing(w http.ResponseWriter, r *http.Request, rec *Record) {
	switch {
	case rec != nil && rec.Deleted != nil:
		federation.WriteJSON(w, http.StatusGone, federation.ContentType, s.tombstone(rec.Listing.FederatedAPID))
		return
	case rec == nil || !isPublic(rec):
		node.WriteError(w, r, s.log, fmt.Errorf("%w: no public listing %s", ErrNotFound, short(r.PathValue("id"))))
		return
	}
	obj, err := listing.Encode(&rec.Listing)
	if err != nil {
		node.WriteError(w, r, s.log, err)
		return
	}
	w.Header().Set("Content-Type", federation.ContentType)
	w.Write(obj)
}

// publicListings returns the owner's public listings, newest first.
func (s *Server) publicListings() ([]*Record, error) {
	var out []*Record
	err := s.view(func(t txn) error {
		recs, err := t.records()
		for _, r := range recs {
			if isPublic(r) {
				out = append(out, r)
			}
		}
		return err
	})
	slices.SortFunc(out, func(a, b *Record) int {
		if c := b.Listing.Created.Compare(a.Listing.Created); c != 0 {
			return c
		}
		return strings.Compare(a.Listing.ID, b.Listing.ID)
	})
	return out, err
}

// serveOutbox is the owner's outbox: an OrderedCollection of the Creates
// of their public listings, newest first, in pages of outboxPage
// (?page=1, 2, ...); without a page it gives the count and the first page.
func (s *Server) serveOutbox(w http.ResponseWriter, r *http.Request) {
	recs, err := s.publicListings()
	if err != nil {
		node.WriteError(w, r, s.log, err)
		return
	}
	id := s.node.Actor().Outbox
	q := r.URL.Query().Get("page")
	if q == "" {
		federation.WriteJSON(w, http.StatusOK, federation.ContentType, map[string]any{
			"@context": listing.ActivityStreams, "id": id, "type": "OrderedCollection",
			"totalItems": len(recs), "first": id + "?page=1", "last": fmt.Sprintf("%s?page=%d", id, max(1, (len(recs)+outboxPage-1)/outboxPage)),
		})
		return
	}
	n, err := strconv.Atoi(q)
	if err != nil || n < 1 || n > maxOutboxPage {
		node.WriteError(w, r, s.log, fmt.Errorf("%w: page must be a whole number from 1 to %d, got %q", ErrInvalid, maxOutboxPage, short(q)))
		return
	}
	items := []json.RawMessage{}
	start := (n - 1) * outboxPage
	for i := start; i < len(recs) && i < start+outboxPage; i++ {
		l := &recs[i].Listing
		obj, err := listing.Encode(l)
		if err != nil {
			node.WriteError(w, r, s.log, err)
			return
		}
		create := map[string]any{
			"id": l.FederatedAPID + "#create", "type": "Create", "actor": s.actorID,
			"to": []string{listing.Public}, "cc": []string{s.followersURL()},
			"published": l.Created.Format(time.RFC3339), "object": json.RawMessage(obj),
		}
		b, _ := json.Marshal(create)
		items = append(items, b)
	}
	page := map[string]any{
		"@context": listing.ActivityStreams, "id": fmt.Sprintf("%s?page=%d", id, n), "type": "OrderedCollectionPage",
		"partOf": id, "orderedItems": items,
	}
	if n > 1 {
		page["prev"] = fmt.Sprintf("%s?page=%d", id, n-1)
	}
	if start+outboxPage < len(recs) {
		page["next"] = fmt.Sprintf("%s?page=%d", id, n+1)
	}
	federation.WriteJSON(w, http.StatusOK, federation.ContentType, page)
}
