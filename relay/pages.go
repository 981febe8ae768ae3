package relay

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/listing"
	"github.com/sovereign-marketplace/market/node"
	"github.com/sovereign-marketplace/market/searchapi"
	"github.com/sovereign-marketplace/market/web"
)

// pageFS holds the relay's page templates (the layout, partials and
// helpers are package web's).
//
//go:embed pages/*.html
var pageFS embed.FS

// aboutTTL is how long the counts of the "about this relay" block are
// reused: they cost a browse of the index and a walk of the follows.
const aboutTTL = 15 * time.Second

// pages serves the relay's web pages.
type pages struct {
	s    *Server
	site *web.Site

	mu      sync.Mutex
	about   *aboutView
	aboutAt time.Time
}

// pageRoutes adds the web pages: the search page at / (JSON for clients
// that do not ask for HTML, as / answered before there were pages), a
// page per listing with a report form, the about page, the API docs, the
// assets, and the 404 page for every path nothing else serves.
func (s *Server) pageRoutes() error {
	sub, err := fs.Sub(pageFS, "pages")
	if err != nil {
		return err
	}
	name := s.cfg.Relay.Name
	if name == "" {
		name = "Marketplace relay " + s.node.Host()
	}
	site, err := web.New(web.Options{
		Name:    name,
		Pages:   sub,
		APITags: []string{"relay"},
		Nav:     []web.Link{{Label: "Search", URL: "/"}, {Label: "About this relay", URL: "/about"}, {Label: "API", URL: "/api/docs"}},
		Log:     s.log,
	})
	if err != nil {
		return err
	}
	p := &pages{s: s, site: site}
	n := s.node
	site.Routes(n.Handle)
	// The search page runs the API's searches, so it shares the API's rate limit.
	n.Handle("GET /{$}", n.Limit("api", http.HandlerFunc(p.root)))
	n.Handle("GET /about", n.Limit("api", http.HandlerFunc(p.aboutPage)))
	n.Handle("GET /listing/{id}", n.Limit("api", http.HandlerFunc(p.listingPage)))
	n.Handle("POST /listing/{id}/report", n.Limit("api", n.SameOriginOnly("reports", http.HandlerFunc(p.reportForm))))
	n.ServeNotFound(http.HandlerFunc(site.NotFound))
	n.SetPageError(site.PageError)
	return nil
}

// root is GET /: the search page for a browser, the relay's description
// as JSON for any other client.
func (p *pages) root(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Accept")
	s := p.s
	if !web.WantsHTML(r) {
		node.WriteJSON(w, http.StatusOK, map[string]any{"name": s.cfg.Relay.Name, "actor": s.actorID, "software": "market " + node.Version, "specialization": s.spec.Describe()})
		return
	}
	p.searchPage(w, r)
}

// searchView is the data of the search page.
type searchView struct {
	Search *web.Search
	About  *aboutView
}

// searchPage runs the query of the URL (the search API's parameters,
// parsed by searchapi.Parse) and shows it. A bad query shows the form with
// the problem beside it, with status 400.
func (p *pages) searchPage(w http.ResponseWriter, r *http.Request) {
	s := p.s
	v := r.URL.Query()
	opts := web.SearchOptions{Path: "/", DetailURL: detailURL, Locate: p.locate}
	view := searchView{About: p.aboutInfo(r.Context())}
	q, err := searchapi.Parse(v)
	if err != nil {
		view.Search = web.NewSearch(v, q, nil, queryProblem(err), opts)
		p.site.Render(w, r, http.StatusBadRequest, "search", view)
		return
	}
	q.Facets = true
	ctx, cancel := context.WithTimeout(r.Context(), s.searchDeadline())
	defer cancel()
	res, err := s.index.Search(ctx, q)
	switch {
	case errors.Is(err, index.ErrInvalidQuery):
		view.Search = web.NewSearch(v, q, nil, queryProblem(err), opts)
		p.site.Render(w, r, http.StatusBadRequest, "search", view)
		return
	case err != nil && r.Context().Err() != nil:
		return // the client has gone
	case errors.Is(err, context.DeadlineExceeded):
		s.log.Warn("search page abandoned at its deadline", "query", r.URL.RawQuery, "deadline", s.searchDeadline())
		w.Header().Set("Retry-After", "1")
		view.Search = web.NewSearch(v, q, nil, fmt.Sprintf("The search did not finish within %v. Try again, or use fewer or rarer words.", s.searchDeadline()), opts)
		p.site.Render(w, r, http.StatusServiceUnavailable, "search", view)
		return
	case err != nil:
		p.site.ServerError(w, r, "search page", err)
		return
	}
	view.Search = web.NewSearch(v, q, res, "", opts)
	p.site.Render(w, r, http.StatusOK, "search", view)
}

// queryProblem is a query error as the form shows it: "price_max: must
// not be below price_min (...)".
func queryProblem(err error) string {
	return strings.TrimPrefix(err.Error(), index.ErrInvalidQuery.Error()+": ")
}

// detailURL is the page of a stored listing on this relay.
func detailURL(id string) string { return "/listing/" + url.PathEscape(id) }

// locate reads where the listings of one page of results are, for the map.
func (p *pages) locate(ids []string) map[string]listing.GeoPoint {
	out := map[string]listing.GeoPoint{}
	err := p.s.store.View(func(t *Txn) error {
		for _, id := range ids {
			if rec, err := t.Listing(id); err == nil && rec.Listing.Location != nil {
				out[id] = *rec.Listing.Location
			}
		}
		return nil
	})
	if err != nil {
		p.s.log.Warn("locate results for the map", "error", err)
	}
	return out
}

// aboutView is the "about this relay" block and page.
type aboutView struct {
	Name, Summary, Actor, Acct, Host string
	Listings, HubsFollowed           int
	Subscribers                      int
	LastIngest                       *time.Time
	Spec                             []specLine // empty: takes every listing
	ByType, ByRegion                 []web.FacetLink
	Indexing                         bool
}

type specLine struct{ Label, Value string }

// aboutInfo is the relay's description and counts, reused for aboutTTL.
func (p *pages) aboutInfo(ctx context.Context) *aboutView {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.about != nil && time.Since(p.aboutAt) < aboutTTL {
		return p.about
	}
	s := p.s
	a := &aboutView{Name: s.cfg.Relay.Name, Summary: s.cfg.Relay.Summary, Actor: s.actorID, Host: s.node.Host(), Acct: "acct:relay@" + s.node.Host()}
	sp := s.cfg.Relay.Specialization
	if len(sp.ListingTypes) > 0 {
		var labels []string
		for _, t := range sp.ListingTypes {
			labels = append(labels, web.Label(t))
		}
		a.Spec = append(a.Spec, specLine{"Listing types", strings.Join(labels, ", ")})
	}
	if len(sp.Regions) > 0 {
		a.Spec = append(a.Spec, specLine{"Regions", strings.Join(sp.Regions, ", ")})
	}
	if len(sp.Tags) > 0 {
		a.Spec = append(a.Spec, specLine{"Tags (at least one)", strings.Join(sp.Tags, ", ")})
	}
	if len(sp.PriceMax) > 0 {
		var parts []string
		for cur, amount := range sp.PriceMax {
			parts = append(parts, amount+" "+cur)
		}
		sort.Strings(parts)
		a.Spec = append(a.Spec, specLine{"Prices up to", strings.Join(parts, ", ")})
	}
	if pm := sp.Perimeter; pm != nil {
		a.Spec = append(a.Spec, specLine{"Within", fmt.Sprintf("%g km of %.4g,%.4g", pm.RadiusKm, pm.Lat, pm.Lon)})
	}
	st, err := s.Stats(ctx)
	if err != nil {
		s.log.Warn("about this relay: stats", "error", err)
	} else {
		a.Listings, a.HubsFollowed, a.Subscribers, a.LastIngest, a.Indexing = st.Listings, st.HubsFollowed, st.Subscribers, st.LastIngest, st.Indexing
		a.ByType = countLinks(st.ByType, "type", web.Label)
		a.ByRegion = countLinks(st.ByRegion, "region", func(v string) string { return v })
	}
	p.about, p.aboutAt = a, time.Now()
	return a
}

// countLinks lists counts by value, highest first, each linked to the
// search for it.
func countLinks(counts map[string]int, param string, label func(string) string) []web.FacetLink {
	out := make([]web.FacetLink, 0, len(counts))
	for v, n := range counts {
		out = append(out, web.FacetLink{Value: v, Label: label(v), Count: n, URL: "/?" + url.Values{param: {v}}.Encode()})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Count > out[j].Count || out[i].Count == out[j].Count && out[i].Value < out[j].Value
	})
	return out
}

func (p *pages) aboutPage(w http.ResponseWriter, r *http.Request) {
	p.site.Render(w, r, http.StatusOK, "about", p.aboutInfo(r.Context()))
}

// listingView is the data of a listing's page.
type listingView struct {
	ID, Title, Price, Type, Status, Region, RegionURL string
	Description                                       string        // plain text, when the object carries no HTML
	Content                                           template.HTML // sanitized HTML from the object
	Tags                                              []web.FacetLink
	SellerName, Seller, SellerHost, SellerURL         string
	HubURL                                            string // the listing's page on its hub
	APIURL                                            string // the stored listing as JSON
	ReportURL                                         string // where the report form posts without JavaScript
	Published, Updated, Received                      time.Time
	Arrival                                           string
	Location                                          *listing.GeoPoint
	Map                                               web.MapData
	Reported                                          string // the id of the report just made
	ReportError                                       string
	Reason                                            string // the reason sent, kept when it was refused
	MaxReason                                         int
}

// listingPage is GET /listing/{id}: a stored listing, its seller, when it
// was received, and a form to report it.
func (p *pages) listingPage(w http.ResponseWriter, r *http.Request) {
	view, ok := p.listingView(w, r)
	if !ok {
		return
	}
	if rid := r.URL.Query().Get("reported"); rid != "" && len(rid) <= 64 {
		view.Reported = rid
	}
	p.site.Render(w, r, http.StatusOK, "listing", view)
}

// listingView reads the listing of the request's path; it writes the 404
// or error page itself when it reports false.
func (p *pages) listingView(w http.ResponseWriter, r *http.Request) (*listingView, bool) {
	id := r.PathValue("id")
	var rec *Record
	err := p.s.store.View(func(t *Txn) error {
		var err error
		rec, err = t.Listing(id)
		return err
	})
	if errors.Is(err, ErrNotFound) {
		p.site.Error(w, r, http.StatusNotFound, "This relay holds no listing with that id. The seller may have removed it, or the operator taken it down.")
		return nil, false
	}
	if err != nil {
		p.site.ServerError(w, r, "read listing for its page", err)
		return nil, false
	}
	l := &rec.Listing
	v := &listingView{
		ID: id, Title: l.Title, Price: l.Price.String(), Type: web.Label(string(l.Type)), Status: web.Label(string(l.Status)),
		Region: l.Region, SellerName: rec.SellerName, Seller: l.Owner, SellerHost: web.Host(l.Owner), SellerURL: httpURL(l.Owner),
		APIURL: "/api/v1/listings/" + url.PathEscape(id), ReportURL: detailURL(id) + "/report", Published: l.Created, Updated: l.Updated, Received: rec.Received,
		Arrival: rec.Arrival, Location: l.Location, MaxReason: MaxReportReason,
	}
	if v.Arrival == "" {
		v.Arrival = ArrivalDelivered
	}
	v.HubURL = httpURL(l.URL)
	if v.HubURL == "" {
		v.HubURL = httpURL(id)
	}
	if l.Region != "" {
		v.RegionURL = "/?" + url.Values{"region": {l.Region}}.Encode()
	}
	for _, t := range l.Tags {
		v.Tags = append(v.Tags, web.FacetLink{Label: t, URL: "/?" + url.Values{"tag": {t}}.Encode()})
	}
	// The description as the seller wrote it: the plain text of the
	// object's source when it has one (hubs of this marketplace send it),
	// else its HTML content, sanitized, else what the relay derived.
	var obj struct {
		Content string `json:"content"`
		Source  *struct {
			Content string `json:"content"`
		} `json:"source"`
	}
	if json.Unmarshal(rec.Object, &obj) == nil && obj.Source == nil && strings.TrimSpace(obj.Content) != "" {
		v.Content = web.Sanitize(obj.Content)
	} else {
		v.Description = l.Description
	}
	if l.Region != "" {
		cc, _, _ := strings.Cut(l.Region, "-")
		v.Map.Countries = []web.CountryCount{{Code: cc, Count: 1, URL: "/?" + url.Values{"region": {cc}}.Encode()}}
	}
	if l.Location != nil {
		v.Map.Points = []web.MapPoint{{Title: l.Title, URL: detailURL(id), Lat: l.Location.Lat, Lon: l.Location.Lon}}
	}
	v.Map.Label = "Where this listing is"
	return v, true
}

// httpURL keeps a URL a page may link to: http or https only.
func httpURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	return raw
}

// reportForm is POST /listing/{id}/report: the report form sent without
// JavaScript (with it, the page posts JSON to /api/v1/reports). Only
// pages of this relay may send it (SameOriginOnly). A report that is
// taken redirects back to the listing's page, which thanks the reader;
// a refused one shows the page again with the problem beside the field.
func (p *pages) reportForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		p.site.Error(w, r, http.StatusBadRequest, "The report could not be read: send the form of the listing's page.")
		return
	}
	view, ok := p.listingView(w, r)
	if !ok {
		return
	}
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	switch {
	case reason == "":
		view.ReportError = "Say what is wrong with this listing."
	case len(reason) > MaxReportReason || !utf8.ValidString(reason):
		view.ReportError = fmt.Sprintf("Keep the reason to %d characters of text.", MaxReportReason)
	}
	if view.ReportError != "" {
		view.Reason = reason
		p.site.Render(w, r, http.StatusBadRequest, "listing", view)
		return
	}
	rep, err := p.s.Report(view.ID, reason)
	if errors.Is(err, ErrNotFound) {
		p.site.Error(w, r, http.StatusNotFound, "This relay holds no listing with that id.")
		return
	}
	if err != nil {
		p.site.ServerError(w, r, "store report", err)
		return
	}
	http.Redirect(w, r, detailURL(view.ID)+"?reported="+url.QueryEscape(rep.ID)+"#report", http.StatusSeeOther)
}

// searchDeadline bounds one search of the page, as the API's handler
// bounds its own.
func (s *Server) searchDeadline() time.Duration {
	if s.search.Deadline > 0 {
		return s.search.Deadline
	}
	return searchapi.Deadline
}
