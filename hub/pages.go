package hub

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/listing"
	"github.com/sovereign-marketplace/market/web"
)

// pageFS holds the hub's page templates (the layout, partials and helpers
// are package web's; _*.html are the hub's own partials).
//
//go:embed pages/*.html
var pageFS embed.FS

// pages serves the hub's web pages: the public ones (the owner's profile,
// each public listing) on site, the owner's pages behind a login on owner
// (the same pages with the owner's navigation).
type pages struct {
	s     *Server
	site  *web.Site
	owner *web.Site
	lock  *web.Lockout
}

// pageRoutes adds the web pages, the API docs, the assets and the 404 page
// for every path nothing else serves.
func (s *Server) pageRoutes() error {
	sub, err := fs.Sub(pageFS, "pages")
	if err != nil {
		return err
	}
	name := s.cfg.Hub.Name
	if name == "" {
		name = s.handle + "@" + s.node.Host()
	}
	funcs := template.FuncMap{"field": formField, "choice": formChoice, "answerForm": answerForm}
	public, err := web.New(web.Options{
		Name: name, Pages: sub, APITags: []string{"hub-public", "hub-owner"}, Log: s.log, Funcs: funcs,
		Nav: []web.Link{{Label: "Listings", URL: "/"}, {Label: "Owner", URL: "/owner"}, {Label: "API", URL: "/api/docs"}},
	})
	if err != nil {
		return err
	}
	owner, err := web.New(web.Options{
		Name: name, Pages: sub, APITags: []string{"hub-public", "hub-owner"}, Log: s.log, Funcs: funcs,
		Nav: []web.Link{{Label: "Dashboard", URL: "/owner"}, {Label: "Listings", URL: "/owner/listings"}, {Label: "Followers", URL: "/owner/followers"},
			{Label: "Relays", URL: "/owner/relays"}, {Label: "Following", URL: "/owner/following"}, {Label: "Marketplace", URL: "/owner/marketplace"}, {Label: "Offers", URL: "/owner/offers"}, {Label: "Public page", URL: "/"}},
	})
	if err != nil {
		return err
	}
	p := &pages{s: s, site: public, owner: owner, lock: &web.Lockout{Max: loginFailures, Window: loginWindow, Now: s.now}}
	n := s.node
	public.Routes(n.Handle)
	n.Handle("GET /{$}", n.Limit("public", http.HandlerFunc(p.profile)))
	n.Handle("GET /listings/{id}", n.Limit("public", http.HandlerFunc(p.listing)))
	n.Handle("POST /listings/{id}/offer", n.Limit("public", p.site.Protect(http.HandlerFunc(p.remoteOffer))))
	n.AddWebFingerLink(s.offerTemplate())
	p.ownerRoutes()
	n.ServeNotFound(http.HandlerFunc(public.NotFound))
	n.SetPageError(public.PageError)
	return nil
}

// profileView is the data of the owner's profile page.
type profileView struct {
	Name, Handle, Summary, Actor string
	Listings                     []listingCard
}

// listingCard is one listing in a list of them.
type listingCard struct {
	ID, Title, URL, Price, Type, Status, Region string
	Tags                                        []string
	Created                                     time.Time
}

func card(l *listing.Listing) listingCard {
	return listingCard{ID: l.ID, Title: l.Title, URL: "/listings/" + url.PathEscape(l.ID), Price: l.Price.String(), Type: web.Label(string(l.Type)),
		Status: string(l.Status), Region: l.Region, Tags: l.Tags, Created: l.Created}
}

// profile is GET /: the owner's profile page and their active public
// listings for a browser; the actor document for an ActivityPub client
// (which asks for it by content type), as the actor's id is elsewhere,
// and JSON for any other client as before.
func (p *pages) profile(w http.ResponseWriter, r *http.Request) {
	s := p.s
	w.Header().Add("Vary", "Accept")
	if !web.WantsHTML(r) {
		federation.WriteJSON(w, http.StatusOK, "application/json", map[string]any{"name": s.cfg.Hub.Name, "actor": s.actorID, "handle": s.Handle()})
		return
	}
	recs, err := s.publicListings()
	if err != nil {
		p.site.ServerError(w, r, "profile page", err)
		return
	}
	v := profileView{Name: s.cfg.Hub.Name, Handle: s.Handle(), Summary: s.cfg.Hub.Summary, Actor: s.actorID}
	if v.Name == "" {
		v.Name = s.handle
	}
	for _, rec := range recs {
		if rec.Listing.Status == listing.StatusActive {
			v.Listings = append(v.Listings, card(&rec.Listing))
		}
	}
	p.site.Render(w, r, http.StatusOK, "profile", v)
}

// listingView is the data of a listing's public page.
type listingView struct {
	Title, Price, Type, Status, Model, Region, Description string
	Tags                                                   []string
	SellerName, Handle, Actor, ObjectURL                   string
	Published, Updated                                     time.Time
	Location                                               *listing.GeoPoint
	Map                                                    web.MapData
	// CanOffer is set when the listing takes offers (it is active); the
	// form asks for the buyer's handle and posts to OfferAction.
	CanOffer    bool
	OfferAction string
	// OfferHandle and OfferError are the handle typed and why it was not
	// found; OfferURL and OfferHost the buyer's hub's offer page once it
	// was.
	OfferHandle, OfferError, OfferURL, OfferHost string
}

// listing is GET /listings/{id}, the listing's object URL: ActivityPub
// JSON to a client asking for it, the listing's page to a browser; a
// deleted listing is a 410 (a Tombstone, or a page saying so); a draft,
// private or followers-only one is not found.
func (p *pages) listing(w http.ResponseWriter, r *http.Request) {
	s := p.s
	id := r.PathValue("id")
	var rec *Record
	_ = s.view(func(t txn) error { rec, _ = get[Record](t, bucketListings, id); return nil })
	w.Header().Set("Vary", "Accept")
	if wantsActivityJSON(r) {
		s.serveListing(w, r, rec)
		return
	}
	if status, msg := publicProblem(rec); status != 0 {
		p.site.Error(w, r, status, msg)
		return
	}
	p.site.Render(w, r, http.StatusOK, "listing", p.listingView(rec))
}

// publicProblem is why a listing has no public page (a status and the
// words), or 0.
func publicProblem(rec *Record) (int, string) {
	switch {
	case rec != nil && rec.Deleted != nil:
		return http.StatusGone, "The seller removed this listing."
	case rec == nil || !isPublic(rec):
		return http.StatusNotFound, "There is no public listing at this address. The seller may have removed it or made it private."
	}
	return 0, ""
}

// publicRecord is the listing with id if it has a public page; otherwise
// nil, a status and the words.
func (p *pages) publicRecord(id string) (*Record, int, string) {
	var rec *Record
	_ = p.s.view(func(t txn) error { rec, _ = get[Record](t, bucketListings, id); return nil })
	if status, msg := publicProblem(rec); status != 0 {
		return nil, status, msg
	}
	return rec, 0, ""
}

// listingView is the data of a listing's public page.
func (p *pages) listingView(rec *Record) listingView {
	s := p.s
	l := &rec.Listing
	v := listingView{
		Title: l.Title, Price: l.Price.String(), Type: web.Label(string(l.Type)), Status: web.Label(string(l.Status)), Model: web.Label(string(l.Price.Model)),
		Region: l.Region, Description: l.Description, Tags: l.Tags, SellerName: s.cfg.Hub.Name, Handle: s.Handle(), Actor: s.actorID,
		ObjectURL: l.FederatedAPID, Published: l.Created, Updated: l.Updated, Location: l.Location,
	}
	if v.SellerName == "" {
		v.SellerName = s.handle
	}
	if l.Region != "" {
		cc, _, _ := strings.Cut(l.Region, "-")
		v.Map.Countries = []web.CountryCount{{Code: cc, Count: 1, URL: "/"}}
	}
	if l.Location != nil {
		v.Map.Points = []web.MapPoint{{Title: l.Title, URL: "/listings/" + url.PathEscape(l.ID), Lat: l.Location.Lat, Lon: l.Location.Lon}}
	}
	v.Map.Label = "Where this listing is"
	v.CanOffer = l.Status == listing.StatusActive
	v.OfferAction = "/listings/" + url.PathEscape(l.ID) + "/offer"
	return v
}

// inputField is a form field with its problem, for the "input" and
// "select" templates of the listing form.
type inputField struct {
	Name, Label, Value, Type, Err string
	Options                       []web.Option
}

// formField is the template helper field: a text input.
func formField(name, label, value string, errs map[string]string, typ string) inputField {
	return inputField{Name: name, Label: label, Value: value, Type: typ, Err: errs[name]}
}

// formChoice is the template helper choice: a select.
func formChoice(name, label string, opts []web.Option, errs map[string]string) inputField {
	return inputField{Name: name, Label: label, Options: opts, Err: errs[name]}
}
