package hub

import (
	"encoding/json"
	"fmt"
	"html/template"
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

// publicRoutes serves what anyone may read: the owner's profile page, each
// public listing at its object URL (ActivityPub JSON or an HTML page).
// The actor document, followers and following counts are the node's.
func (s *Server) publicRoutes() {
	s.node.Handle("GET /{$}", s.node.Limit("public", http.HandlerFunc(s.serveProfile)))
	s.node.Handle("GET /listings/{id}", s.node.Limit("public", http.HandlerFunc(s.serveListing)))
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

// serveListing answers a listing's object URL: a public listing as
// ActivityPub JSON (its wire form) to a client asking for it and as an
// HTML page to a browser; a deleted one as a 410 with a Tombstone; a
// draft, private or followers-only one as not found.
func (s *Server) serveListing(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var rec *Record
	_ = s.view(func(t txn) error { rec, _ = get[Record](t, bucketListings, id); return nil })
	w.Header().Set("Vary", "Accept")
	ap := wantsActivityJSON(r)
	switch {
	case rec != nil && rec.Deleted != nil:
		if ap {
			federation.WriteJSON(w, http.StatusGone, federation.ContentType, s.tombstone(rec.Listing.FederatedAPID))
			return
		}
		s.page(w, http.StatusGone, "Listing removed", pageData{Gone: true})
		return
	case rec == nil || !isPublic(rec):
		if ap {
			node.WriteError(w, r, s.log, fmt.Errorf("%w: no public listing %s", ErrNotFound, short(id)))
			return
		}
		s.page(w, http.StatusNotFound, "Not found", pageData{Missing: true})
		return
	}
	if ap {
		obj, err := listing.Encode(&rec.Listing)
		if err != nil {
			node.WriteError(w, r, s.log, err)
			return
		}
		w.Header().Set("Content-Type", federation.ContentType)
		w.Write(obj)
		return
	}
	s.page(w, http.StatusOK, rec.Listing.Title, pageData{Listing: &rec.Listing, Price: rec.Listing.Price.String()})
}

// serveProfile is the owner's public profile page: who they are, their
// address and their active public listings.
func (s *Server) serveProfile(w http.ResponseWriter, r *http.Request) {
	recs, err := s.publicListings()
	if err != nil {
		node.WriteError(w, r, s.log, err)
		return
	}
	d := pageData{Profile: true}
	for _, rec := range recs {
		if rec.Listing.Status == listing.StatusActive {
			d.Listings = append(d.Listings, listItem{Title: rec.Listing.Title, URL: rec.Listing.URL, Price: rec.Listing.Price.String()})
		}
	}
	s.page(w, http.StatusOK, s.cfg.Hub.Name, d)
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

// pageData is what the HTML page template shows.
type pageData struct {
	Title, Name, Handle, Summary, Actor string
	Profile, Gone, Missing              bool
	Listing                             *listing.Listing
	Price                               string
	Listings                            []listItem
}

type listItem struct{ Title, URL, Price string }

// pageTemplate is the hub's one page: html/template escapes every value,
// and the page loads nothing from anywhere (see the CSP in page).
var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}.desc{white-space:pre-wrap}.meta{color:#555}</style>
</head><body>
{{if .Profile}}<h1>{{.Name}}</h1><p class="meta">{{.Handle}}</p>{{if .Summary}}<p>{{.Summary}}</p>{{end}}
<h2>Listings</h2>{{if .Listings}}<ul>{{range .Listings}}<li><a href="{{.URL}}">{{.Title}}</a> · {{.Price}}</li>{{end}}</ul>{{else}}<p>No listings yet.</p>{{end}}
{{else if .Listing}}<h1>{{.Listing.Title}}</h1>
<p class="meta">{{.Price}} · {{.Listing.Type}} · {{.Listing.Status}}{{if .Listing.Region}} · {{.Listing.Region}}{{end}}</p>
{{if .Listing.Description}}<p class="desc">{{.Listing.Description}}</p>{{end}}
{{if .Listing.Tags}}<p>{{range .Listing.Tags}}#{{.}} {{end}}</p>{{end}}
<p class="meta">Offered by <a href="{{.Actor}}">{{.Name}}</a> ({{.Handle}})</p>
{{else if .Gone}}<h1>Listing removed</h1><p>The seller removed this listing.</p>
{{else}}<h1>Not found</h1><p>There is no public listing here.</p>{{end}}
</body></html>
`))

// page writes the HTML page with status.
func (s *Server) page(w http.ResponseWriter, status int, title string, d pageData) {
	d.Title, d.Name, d.Handle, d.Summary, d.Actor = title, s.cfg.Hub.Name, s.Handle(), s.cfg.Hub.Summary, s.actorID
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	if err := pageTemplate.Execute(w, d); err != nil {
		s.log.Warn("render page", "error", err)
	}
}
