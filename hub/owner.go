package hub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/listing"
	"github.com/sovereign-marketplace/market/searchapi"
	"github.com/sovereign-marketplace/market/web"
)

// Login lockout: after loginFailures failed logins within loginWindow
// from one client address or for the account, logins are refused until
// the oldest failure leaves the window.
const (
	loginFailures = 5
	loginWindow   = 15 * time.Minute
)

// sessionTTL is how long a login lasts; the owner logs in again after.
const sessionTTL = 12 * time.Hour

// session is a login as the hub keeps it, under the SHA-256 of the
// cookie's secret (web.SessionKey).
type session struct {
	CSRF    string    `json:"csrf"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
}

// ErrNoPassword is returned by a login when `market hub passwd` has not set
// the owner's password.
var ErrNoPassword = errors.New("the owner has no password; set one with market hub passwd")

// SetPassword sets the owner's password for the web pages from its hash
// (web.HashPassword) and ends every session, so that a changed password
// logs everyone out.
func (s *Server) SetPassword(hash string) error {
	if !strings.HasPrefix(hash, "$argon2id$") {
		return fmt.Errorf("%w: password hash: must be an argon2id hash from market hub passwd", ErrInvalid)
	}
	return s.update(func(t txn) error {
		if err := t.tx.Bucket(bucketOwner).Put([]byte("password"), []byte(hash)); err != nil {
			return err
		}
		if err := t.tx.DeleteBucket(bucketSessions); err != nil {
			return err
		}
		_, err := t.tx.CreateBucket(bucketSessions)
		return err
	})
}

// checkPassword reports whether password is the owner's.
func (s *Server) checkPassword(password string) (bool, error) {
	var hash string
	_ = s.view(func(t txn) error { hash = string(t.tx.Bucket(bucketOwner).Get([]byte("password"))); return nil })
	if hash == "" {
		return false, ErrNoPassword
	}
	return web.CheckPassword(hash, password), nil
}

// newSession stores a session and returns the cookie's secret.
func (s *Server) newSession() (string, *session, error) {
	secret := web.NewSecret()
	now := s.now()
	sess := &session{CSRF: web.NewSecret(), Created: now, Expires: now.Add(sessionTTL)}
	err := s.update(func(t txn) error { return put(t, bucketSessions, web.SessionKey(secret), sess) })
	return secret, sess, err
}

// cookieName is the session cookie's name: with the __Host- prefix when
// the hub is served over https (the browser then keeps it to this host,
// Secure, for the whole site).
func (p *pages) cookieName() string {
	if p.secure() {
		return "__Host-market_session"
	}
	return "market_session"
}

func (p *pages) secure() bool { return strings.HasPrefix(p.s.publicURL, "https://") }

// sessionOf returns the request's live session and its key, or nil; an
// expired one is deleted.
func (p *pages) sessionOf(r *http.Request) (*session, string) {
	c, err := r.Cookie(p.cookieName())
	if err != nil || c.Value == "" || len(c.Value) > 128 {
		return nil, ""
	}
	key := web.SessionKey(c.Value)
	var sess *session
	_ = p.s.view(func(t txn) error { sess, _ = get[session](t, bucketSessions, key); return nil })
	if sess == nil {
		return nil, ""
	}
	if !p.s.now().Before(sess.Expires) {
		_ = p.s.update(func(t txn) error { return t.tx.Bucket(bucketSessions).Delete([]byte(key)) })
		return nil, ""
	}
	return sess, key
}

// ownerView is what every owner page gets: the session's CSRF token for
// its forms, a notice from the last action, and the page's own data.
type ownerView struct {
	CSRF   string
	Notice string
	Data   any
}

// ownerHandler is an owner page's handler: it runs with the live session.
type ownerHandler func(w http.ResponseWriter, r *http.Request, sess *session)

// ownerRoutes adds the owner's pages under /owner, every one behind the
// login, every form route behind http.CrossOriginProtection and the
// session's CSRF token.
func (p *pages) ownerRoutes() {
	n := p.s.node
	get := func(pattern string, h ownerHandler) {
		n.Handle("GET "+pattern, n.Limit("owner", p.requireOwner(false, h)))
	}
	post := func(pattern string, h ownerHandler) {
		n.Handle("POST "+pattern, n.Limit("owner", p.owner.Protect(p.requireOwner(true, h))))
	}
	n.Handle("GET /owner/login", n.Limit("owner", http.HandlerFunc(p.loginPage)))
	n.Handle("POST /owner/login", n.Limit("owner", p.site.Protect(http.HandlerFunc(p.login))))
	post("/owner/logout", p.logout)
	get("/owner", p.dashboard)
	get("/owner/listings", p.listingsPage)
	get("/owner/listings/new", p.newListing)
	post("/owner/listings", p.createListing)
	get("/owner/listings/{id}/edit", p.editListing)
	post("/owner/listings/{id}", p.updateListing)
	post("/owner/listings/{id}/status", p.setStatus)
	post("/owner/listings/{id}/delete", p.deleteListing)
	get("/owner/followers", p.followersPage)
	post("/owner/followers/{action}", p.followerAction)
	get("/owner/relays", p.relaysPage)
	post("/owner/relays/{action}", p.relayAction)
	get("/owner/following", p.followingPage)
	post("/owner/following/{action}", p.followingAction)
	get("/owner/marketplace", p.marketplacePage)
	p.dealRoutes(get, post)
}

// requireOwner runs h with the request's session. Without one, a page
// redirects to the login; a form is refused. A form must carry the
// session's CSRF token.
func (p *pages) requireOwner(form bool, h ownerHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		sess, _ := p.sessionOf(r)
		if sess == nil {
			if form {
				p.site.Error(w, r, http.StatusForbidden, "You are not logged in, or your session has ended. Log in again and send the form from the page.")
				return
			}
			http.Redirect(w, r, "/owner/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if form {
			r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
			if err := r.ParseForm(); err != nil {
				p.owner.Error(w, r, http.StatusBadRequest, "The form could not be read. Send it again from the page.")
				return
			}
			if !web.CheckCSRF(r, sess.CSRF) {
				p.owner.Error(w, r, http.StatusForbidden, "This form has no valid security token, so it was refused. Reload the page and send the form again.")
				return
			}
		}
		name := p.s.cfg.Hub.Name
		if name == "" {
			name = p.s.handle
		}
		r = web.WithAccount(r, &web.Account{Name: name, LogoutURL: "/owner/logout", CSRF: sess.CSRF})
		h(w, r, sess)
	})
}

// render shows an owner page.
func (p *pages) render(w http.ResponseWriter, r *http.Request, sess *session, status int, page string, data any) {
	notice := r.URL.Query().Get("done")
	if len(notice) > 200 {
		notice = ""
	}
	p.owner.Render(w, r, status, page, ownerView{CSRF: sess.CSRF, Notice: notice, Data: data})
}

// back redirects after a form to path, with a notice the page shows.
func back(w http.ResponseWriter, r *http.Request, path, notice string) {
	http.Redirect(w, r, path+"?done="+url.QueryEscape(notice), http.StatusSeeOther)
}

// loginView is the data of the login page.
type loginView struct {
	Next, Error string
	NoPassword  bool
}

// safeNext keeps a redirect target after login on this site: a path under
// /owner, never another host.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/owner") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/owner"
	}
	return next
}

func (p *pages) loginPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if sess, _ := p.sessionOf(r); sess != nil {
		http.Redirect(w, r, "/owner", http.StatusSeeOther)
		return
	}
	p.site.Render(w, r, http.StatusOK, "login", loginView{Next: safeNext(r.URL.Query().Get("next"))})
}

// clientKey is the lockout's key for the request's client address.
func (p *pages) clientKey(r *http.Request) string {
	return "addr " + p.s.node.ClientAddr(r)
}

// login is POST /owner/login: the password, checked against the lockout
// of the client's address and of the account first.
func (p *pages) login(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		p.site.Error(w, r, http.StatusBadRequest, "The login form could not be read. Send it again from the login page.")
		return
	}
	v := loginView{Next: safeNext(r.PostForm.Get("next"))}
	keys := []string{p.clientKey(r), "account owner"}
	if wait, err := p.lock.Check(keys...); err != nil {
		v.Error = fmt.Sprintf("Too many failed logins: logging in is locked for %d more minutes. Wait, then try again.", int(wait.Minutes())+1)
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		p.site.Render(w, r, http.StatusTooManyRequests, "login", v)
		return
	}
	ok, err := p.s.checkPassword(r.PostForm.Get("password"))
	if errors.Is(err, ErrNoPassword) {
		v.NoPassword = true
		v.Error = "This hub has no owner password yet. Set one on the server with: market hub passwd"
		p.site.Render(w, r, http.StatusUnauthorized, "login", v)
		return
	}
	if !ok {
		p.lock.Fail(keys...)
		p.s.log.Warn("owner login failed", "client", p.clientKey(r))
		v.Error = fmt.Sprintf("Wrong password. After %d failed logins in %d minutes, logging in is locked for a while.", loginFailures, int(loginWindow.Minutes()))
		p.site.Render(w, r, http.StatusUnauthorized, "login", v)
		return
	}
	p.lock.Reset(keys...)
	secret, sess, err := p.s.newSession()
	if err != nil {
		p.site.ServerError(w, r, "store session", err)
		return
	}
	web.SetSessionCookie(w, p.cookieName(), secret, sess.Expires, p.secure())
	p.s.log.Info("owner logged in", "client", p.clientKey(r))
	http.Redirect(w, r, v.Next, http.StatusSeeOther)
}

// logout is POST /owner/logout: the session ends on the server and the
// cookie is cleared.
func (p *pages) logout(w http.ResponseWriter, r *http.Request, _ *session) {
	if _, key := p.sessionOf(r); key != "" {
		_ = p.s.update(func(t txn) error { return t.tx.Bucket(bucketSessions).Delete([]byte(key)) })
	}
	web.ClearSessionCookie(w, p.cookieName(), p.secure())
	http.Redirect(w, r, "/owner/login?out=1", http.StatusSeeOther)
}

// event is one line of the dashboard's recent activity.
type event struct {
	At   time.Time
	What string
	URL  string
}

// dashboardView is the data of the dashboard.
type dashboardView struct {
	ByStatus                   []countLine
	Followers, Pending, Relays int
	RelayStates                []countLine
	Marketplace, Following     int
	Recent                     []event
	Handle                     string
	// Turn counts the open offers waiting for the owner's answer.
	Turn int
}

type countLine struct {
	Label string
	Count int
	URL   string
}

func (p *pages) dashboard(w http.ResponseWriter, r *http.Request, sess *session) {
	s := p.s
	recs, err := s.Listings()
	if err != nil {
		p.owner.ServerError(w, r, "dashboard", err)
		return
	}
	v := dashboardView{Handle: s.Handle()}
	counts := map[listing.Status]int{}
	var recent []event
	for _, rec := range recs {
		if rec.Deleted != nil {
			continue
		}
		counts[rec.Listing.Status]++
		recent = append(recent, event{At: rec.Listing.Updated, What: fmt.Sprintf("Listing %q is %s", rec.Listing.Title, rec.Listing.Status), URL: "/owner/listings/" + url.PathEscape(rec.Listing.ID) + "/edit"})
	}
	for _, st := range listing.Statuses {
		v.ByStatus = append(v.ByStatus, countLine{Label: web.Label(string(st)), Count: counts[st], URL: "/owner/listings?status=" + string(st)})
	}
	fs, _ := s.Followers()
	for _, f := range fs {
		if f.State == federation.FollowPending {
			v.Pending++
		} else if f.State == federation.FollowAccepted {
			v.Followers++
		}
		recent = append(recent, event{At: f.Since, What: fmt.Sprintf("%s follows you (%s)", f.Actor, f.State), URL: "/owner/followers"})
	}
	rs, _ := s.Relays()
	states := map[string]int{}
	for _, rl := range rs {
		v.Relays++
		states[rl.State]++
		recent = append(recent, event{At: rl.Added, What: fmt.Sprintf("Subscribed to relay %s (%s)", rl.Actor, rl.State), URL: "/owner/relays"})
	}
	for st, c := range states {
		v.RelayStates = append(v.RelayStates, countLine{Label: web.Label(st), Count: c})
	}
	slices.SortFunc(v.RelayStates, func(a, b countLine) int { return strings.Compare(a.Label, b.Label) })
	market, _ := s.Marketplace()
	v.Marketplace = len(market)
	for i, m := range market {
		if i == 5 {
			break
		}
		recent = append(recent, event{At: m.Received, What: fmt.Sprintf("Received %q from %s", m.Listing.Title, web.Host(m.From)), URL: "/owner/marketplace"})
	}
	following, _ := p.following()
	v.Following = len(following)
	v.Turn, recent = dealEvents(s, recent)
	slices.SortFunc(recent, func(a, b event) int { return b.At.Compare(a.At) })
	if len(recent) > 10 {
		recent = recent[:10]
	}
	v.Recent = recent
	p.render(w, r, sess, http.StatusOK, "dashboard", v)
}

// ownerListing is one row of the owner's listings page.
type ownerListing struct {
	listingCard
	EditURL, Public string
	Updated         time.Time
	Delivered       int
	Visibility      string
	Next            []statusAction
}

type statusAction struct{ Status, Label string }

// actions are the status changes a listing in status may take, as buttons.
func actions(st listing.Status) []statusAction {
	var out []statusAction
	for _, to := range transitions[st] {
		switch {
		case to == st || to == listing.StatusExpired || to == listing.StatusDraft:
		case to == listing.StatusActive && st == listing.StatusDraft:
			out = append(out, statusAction{string(to), "Publish"})
		case to == listing.StatusActive:
			out = append(out, statusAction{string(to), "Resume"})
		case to == listing.StatusPaused:
			out = append(out, statusAction{string(to), "Pause"})
		case to == listing.StatusSold:
			out = append(out, statusAction{string(to), "Mark sold"})
		}
	}
	return out
}

type listingsView struct {
	Status   string
	Statuses []countLine
	Listings []ownerListing
}

func (p *pages) listingsPage(w http.ResponseWriter, r *http.Request, sess *session) {
	recs, err := p.s.Listings()
	if err != nil {
		p.owner.ServerError(w, r, "listings page", err)
		return
	}
	v := listingsView{Status: r.URL.Query().Get("status")}
	counts := map[string]int{}
	for _, rec := range recs {
		l := &rec.Listing
		if rec.Deleted != nil {
			continue
		}
		counts[string(l.Status)]++
		if v.Status != "" && string(l.Status) != v.Status {
			continue
		}
		ol := ownerListing{listingCard: card(l), EditURL: "/owner/listings/" + url.PathEscape(l.ID) + "/edit", Updated: l.Updated,
			Delivered: len(rec.Delivered), Visibility: web.Label(string(l.Visibility)), Next: actions(l.Status)}
		if isPublic(rec) {
			ol.Public = ol.URL
		}
		v.Listings = append(v.Listings, ol)
	}
	v.Statuses = append(v.Statuses, countLine{Label: "All", Count: len(recs), URL: "/owner/listings"})
	for _, st := range listing.Statuses {
		v.Statuses = append(v.Statuses, countLine{Label: web.Label(string(st)), Count: counts[string(st)], URL: "/owner/listings?status=" + string(st)})
	}
	p.render(w, r, sess, http.StatusOK, "listings", v)
}

// listingForm is the create and edit form: the values as typed and the
// problem of each field, beside it.
type listingForm struct {
	ID, Action, Heading                                  string
	Status                                               string
	Title, Description, Type, Amount, Currency           string
	PriceType, Model, Tags, Region, Lat, Lon, Visibility string
	LocationPref                                         string
	Errs                                                 map[string]string
	Other                                                []string // problems with no field of the form
	Types, PriceTypes, Models, Visibilities, Prefs       []web.Option
}

// formFields are the form's fields by the listing member a FieldError
// names.
var formFields = map[string]string{
	"title": "title", "description": "description", "listing_type": "listing_type", "price.amount": "amount",
	"price.currency": "currency", "price.price_type": "price_type", "price.pricing_model": "pricing_model",
	"tags": "tags", "region": "region", "location": "location", "location.lat": "location", "location.lon": "location",
	"visibility": "visibility", "location_pref": "location_pref", "status": "status",
}

func options[T ~string](values []T, chosen string) []web.Option {
	out := make([]web.Option, len(values))
	for i, v := range values {
		out[i] = web.Option{Value: string(v), Label: web.Label(string(v)), Selected: string(v) == chosen}
	}
	return out
}

// fill sets the selects' options from the form's values.
func (f *listingForm) fill() *listingForm {
	f.Types = options(listing.Types, f.Type)
	f.PriceTypes = options(listing.PriceTypes, f.PriceType)
	f.Models = options(listing.PricingModels, f.Model)
	f.Visibilities = options(listing.Visibilities, f.Visibility)
	f.Prefs = options(listing.LocationPrefs, f.LocationPref)
	return f
}

func formOf(l *listing.Listing) *listingForm {
	f := &listingForm{ID: l.ID, Status: string(l.Status), Title: l.Title, Description: l.Description, Type: string(l.Type), Amount: l.Price.Amount,
		Currency: l.Price.Currency, PriceType: string(l.Price.Type), Model: string(l.Price.Model), Tags: strings.Join(l.Tags, ", "),
		Region: l.Region, Visibility: string(l.Visibility), LocationPref: string(l.LocationPref)}
	if l.Location != nil {
		f.Lat, f.Lon = strconv.FormatFloat(l.Location.Lat, 'f', -1, 64), strconv.FormatFloat(l.Location.Lon, 'f', -1, 64)
	}
	return f
}

// readForm reads the posted form into a listingForm and the owner API's
// JSON body; a location that is not two numbers is a field error already.
func readForm(r *http.Request) (*listingForm, []byte, listing.ValidationError) {
	g := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	f := &listingForm{Title: g("title"), Description: strings.ReplaceAll(r.PostForm.Get("description"), "\r\n", "\n"), Type: g("listing_type"),
		Amount: g("amount"), Currency: strings.ToUpper(g("currency")), PriceType: g("price_type"), Model: g("pricing_model"), Tags: g("tags"),
		Region: strings.ToUpper(g("region")), Lat: g("lat"), Lon: g("lon"), Visibility: g("visibility"), LocationPref: g("location_pref")}
	tags := []string{}
	for _, t := range strings.Split(f.Tags, ",") {
		if t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "#")); t != "" {
			tags = append(tags, t)
		}
	}
	body := map[string]any{
		"title": f.Title, "description": f.Description, "listing_type": f.Type, "tags": tags, "region": f.Region,
		"visibility": f.Visibility, "location_pref": f.LocationPref,
		"price":    map[string]string{"amount": f.Amount, "currency": f.Currency, "price_type": f.PriceType, "pricing_model": f.Model},
		"location": nil,
	}
	var errs listing.ValidationError
	if f.Lat != "" || f.Lon != "" {
		lat, err1 := strconv.ParseFloat(f.Lat, 64)
		lon, err2 := strconv.ParseFloat(f.Lon, 64)
		if err1 != nil || err2 != nil {
			errs = append(errs, listing.FieldError{Field: "location", Problem: "must be two numbers, latitude and longitude in degrees (such as 52.52 and 13.40), or both empty"})
		} else {
			body["location"] = listing.GeoPoint{Lat: lat, Lon: lon}
		}
	}
	b, _ := json.Marshal(body)
	return f, b, errs
}

// showErrors puts each problem of err beside its field, or above the form
// when the form has no such field.
func (f *listingForm) showErrors(err error) bool {
	var v listing.ValidationError
	if !errors.As(err, &v) {
		return false
	}
	f.Errs = map[string]string{}
	for _, fe := range v {
		name, _, _ := strings.Cut(fe.Field, "[")
		if k, ok := formFields[name]; ok {
			if f.Errs[k] == "" {
				f.Errs[k] = web.Label(fe.Problem)
			}
			continue
		}
		f.Other = append(f.Other, fe.Error())
	}
	return true
}

func (p *pages) newListing(w http.ResponseWriter, r *http.Request, sess *session) {
	f := &listingForm{Action: "/owner/listings", Heading: "New listing", Type: string(listing.TypeService), PriceType: string(listing.PriceFixed),
		Model: string(listing.PricingOneTime), Currency: "USD", Visibility: string(listing.VisibilityPublic), LocationPref: string(listing.LocationGlobal)}
	p.render(w, r, sess, http.StatusOK, "listing-form", f.fill())
}

func (p *pages) createListing(w http.ResponseWriter, r *http.Request, sess *session) {
	f, body, errs := readForm(r)
	f.Action, f.Heading = "/owner/listings", "New listing"
	if len(errs) > 0 {
		f.showErrors(errs)
		p.render(w, r, sess, http.StatusBadRequest, "listing-form", f.fill())
		return
	}
	var m map[string]any
	json.Unmarshal(body, &m)
	m["status"] = string(listing.StatusDraft)
	if r.PostForm.Get("publish") != "" {
		m["status"] = string(listing.StatusActive)
	}
	body, _ = json.Marshal(m)
	rec, err := p.s.CreateListing(r.Context(), body)
	if f.showErrors(err) {
		p.render(w, r, sess, http.StatusBadRequest, "listing-form", f.fill())
		return
	}
	if err != nil {
		p.owner.ServerError(w, r, "create listing", err)
		return
	}
	back(w, r, "/owner/listings", fmt.Sprintf("Listing %q created (%s).", rec.Listing.Title, rec.Listing.Status))
}

// ownListing reads the listing of the path, or writes the 404 page.
func (p *pages) ownListing(w http.ResponseWriter, r *http.Request) *Record {
	rec, err := p.s.Listing(r.PathValue("id"))
	if err != nil || rec.Deleted != nil {
		p.owner.Error(w, r, http.StatusNotFound, "You have no listing with that id. It may have been deleted.")
		return nil
	}
	return rec
}

func (p *pages) editListing(w http.ResponseWriter, r *http.Request, sess *session) {
	rec := p.ownListing(w, r)
	if rec == nil {
		return
	}
	f := formOf(&rec.Listing)
	f.Action, f.Heading = "/owner/listings/"+url.PathEscape(rec.Listing.ID), "Edit listing"
	p.render(w, r, sess, http.StatusOK, "listing-form", f.fill())
}

func (p *pages) updateListing(w http.ResponseWriter, r *http.Request, sess *session) {
	rec := p.ownListing(w, r)
	if rec == nil {
		return
	}
	f, body, errs := readForm(r)
	f.ID, f.Status = rec.Listing.ID, string(rec.Listing.Status)
	f.Action, f.Heading = "/owner/listings/"+url.PathEscape(rec.Listing.ID), "Edit listing"
	if len(errs) > 0 {
		f.showErrors(errs)
		p.render(w, r, sess, http.StatusBadRequest, "listing-form", f.fill())
		return
	}
	if r.PostForm.Get("publish") != "" {
		var m map[string]any
		json.Unmarshal(body, &m)
		m["status"] = string(listing.StatusActive)
		body, _ = json.Marshal(m)
	}
	rec, err := p.s.UpdateListing(r.Context(), rec.Listing.ID, body)
	switch {
	case f.showErrors(err):
		p.render(w, r, sess, http.StatusBadRequest, "listing-form", f.fill())
	case errors.Is(err, ErrConflict):
		p.owner.Error(w, r, http.StatusConflict, "This listing is sold or expired, which is final: it cannot change. Delete it, or create a new one.")
	case err != nil:
		p.owner.ServerError(w, r, "update listing", err)
	default:
		back(w, r, "/owner/listings", fmt.Sprintf("Listing %q saved (%s).", rec.Listing.Title, rec.Listing.Status))
	}
}

func (p *pages) setStatus(w http.ResponseWriter, r *http.Request, sess *session) {
	rec := p.ownListing(w, r)
	if rec == nil {
		return
	}
	to := r.PostForm.Get("status")
	body, _ := json.Marshal(map[string]string{"status": to})
	rec, err := p.s.UpdateListing(r.Context(), rec.Listing.ID, body)
	var v listing.ValidationError
	switch {
	case errors.As(err, &v), errors.Is(err, ErrConflict):
		p.owner.Error(w, r, http.StatusConflict, "That status change is not possible: "+strings.TrimPrefix(err.Error(), "invalid listing: "))
	case err != nil:
		p.owner.ServerError(w, r, "listing status", err)
	default:
		back(w, r, "/owner/listings", fmt.Sprintf("Listing %q is now %s.", rec.Listing.Title, rec.Listing.Status))
	}
}

func (p *pages) deleteListing(w http.ResponseWriter, r *http.Request, sess *session) {
	rec := p.ownListing(w, r)
	if rec == nil {
		return
	}
	if err := p.s.DeleteListing(r.Context(), rec.Listing.ID); err != nil {
		p.owner.ServerError(w, r, "delete listing", err)
		return
	}
	back(w, r, "/owner/listings", fmt.Sprintf("Listing %q deleted.", rec.Listing.Title))
}

func (p *pages) followersPage(w http.ResponseWriter, r *http.Request, sess *session) {
	fs, err := p.s.Followers()
	if err != nil {
		p.owner.ServerError(w, r, "followers page", err)
		return
	}
	p.render(w, r, sess, http.StatusOK, "followers", fs)
}

// actionError shows what a follower, relay or following action could not
// do: a bad reference is the owner's to fix, the rest the server's.
func (p *pages) actionError(w http.ResponseWriter, r *http.Request, what string, err error) {
	status, _, msg := federation.StatusOf(err)
	if status >= 500 {
		p.owner.ServerError(w, r, what, err)
		return
	}
	p.owner.Error(w, r, status, what+": "+msg)
}

func (p *pages) followerAction(w http.ResponseWriter, r *http.Request, sess *session) {
	actor := strings.TrimSpace(r.PostForm.Get("actor"))
	var err error
	var done string
	switch r.PathValue("action") {
	case "approve":
		err, done = p.s.ApproveFollower(r.Context(), actor), "Approved "+actor+"."
	case "reject":
		err, done = p.s.RejectFollower(r.Context(), actor), "Rejected "+actor+"."
	case "remove":
		err, done = p.s.RemoveFollower(r.Context(), actor), "Removed "+actor+"."
	default:
		p.owner.NotFound(w, r)
		return
	}
	if err != nil {
		p.actionError(w, r, "Follower "+actor, err)
		return
	}
	back(w, r, "/owner/followers", done)
}

// relayRow is one relay on the relays page.
type relayRow struct {
	RelayStatus
	Takes string
}

func (p *pages) relaysPage(w http.ResponseWriter, r *http.Request, sess *session) {
	rs, err := p.s.Relays()
	if err != nil {
		p.owner.ServerError(w, r, "relays page", err)
		return
	}
	rows := make([]relayRow, len(rs))
	for i, rl := range rs {
		rows[i] = relayRow{RelayStatus: rl, Takes: describeNiche(rl.Niche)}
	}
	p.render(w, r, sess, http.StatusOK, "relays", rows)
}

// describeNiche says in words what a relay takes.
func describeNiche(n listing.Niche) string {
	b, _ := json.Marshal(n)
	var m map[string]any
	json.Unmarshal(b, &m)
	var parts []string
	for k, v := range m {
		if v == nil {
			continue
		}
		if vs, ok := v.([]any); ok && len(vs) == 0 {
			continue
		}
		if vm, ok := v.(map[string]any); ok && len(vm) == 0 {
			continue
		}
		vb, _ := json.Marshal(v)
		parts = append(parts, web.Label(k)+": "+strings.Trim(string(vb), "[]{}"))
	}
	slices.Sort(parts)
	if len(parts) == 0 {
		return "every listing"
	}
	return strings.Join(parts, "; ")
}

func (p *pages) relayAction(w http.ResponseWriter, r *http.Request, sess *session) {
	ref := strings.TrimSpace(r.PostForm.Get("relay"))
	if ref == "" {
		p.owner.Error(w, r, http.StatusBadRequest, "Relay: give the relay's URL or its address (acct:relay@host).")
		return
	}
	switch r.PathValue("action") {
	case "add":
		rs, err := p.s.AddRelay(r.Context(), ref)
		if err != nil {
			p.actionError(w, r, "Subscribe to relay "+ref, err)
			return
		}
		back(w, r, "/owner/relays", "Subscribed to "+rs.Actor+"; it is pending until the relay accepts.")
	case "remove":
		id, err := p.s.RemoveRelay(r.Context(), ref)
		if err != nil {
			p.actionError(w, r, "Unsubscribe from relay "+ref, err)
			return
		}
		back(w, r, "/owner/relays", "Unsubscribed from "+id+".")
	default:
		p.owner.NotFound(w, r)
	}
}

// following lists who the owner follows, relays left out.
func (p *pages) following() ([]federation.Follow, error) {
	var out []federation.Follow
	err := p.s.view(func(t txn) error {
		fs, err := federation.FollowsIn(t.tx).List(true)
		for _, f := range fs {
			if t.relay(f.Actor) == nil {
				out = append(out, f)
			}
		}
		return err
	})
	return out, err
}

func (p *pages) followingPage(w http.ResponseWriter, r *http.Request, sess *session) {
	fs, err := p.following()
	if err != nil {
		p.owner.ServerError(w, r, "following page", err)
		return
	}
	p.render(w, r, sess, http.StatusOK, "following", fs)
}

func (p *pages) followingAction(w http.ResponseWriter, r *http.Request, sess *session) {
	ref := strings.TrimSpace(r.PostForm.Get("actor"))
	if ref == "" {
		p.owner.Error(w, r, http.StatusBadRequest, "Follow: give the hub's address (acct:user@host) or actor URL.")
		return
	}
	switch r.PathValue("action") {
	case "add":
		id, err := p.s.Follow(r.Context(), ref)
		if err != nil {
			p.actionError(w, r, "Follow "+ref, err)
			return
		}
		back(w, r, "/owner/following", "Following "+id+"; pending until it accepts.")
	case "remove":
		id, err := p.s.Unfollow(r.Context(), ref)
		if err != nil {
			p.actionError(w, r, "Unfollow "+ref, err)
			return
		}
		back(w, r, "/owner/following", "Stopped following "+id+".")
	default:
		p.owner.NotFound(w, r)
	}
}

// marketplacePage is the local marketplace's search page: the relay's
// search view over the hub's own index of what the owner follows.
func (p *pages) marketplacePage(w http.ResponseWriter, r *http.Request, sess *session) {
	s := p.s
	v := r.URL.Query()
	opts := web.SearchOptions{Path: "/owner/marketplace", DetailURL: remoteURL, Locate: p.locate, APIPath: "/api/v1/marketplace/search"}
	q, err := searchapi.Parse(v)
	if err != nil {
		p.render(w, r, sess, http.StatusBadRequest, "marketplace", web.NewSearch(v, q, nil, strings.TrimPrefix(err.Error(), index.ErrInvalidQuery.Error()+": "), opts))
		return
	}
	q.Facets = true
	ctx, cancel := context.WithTimeout(r.Context(), searchapi.Deadline)
	defer cancel()
	res, err := s.index.Search(ctx, q)
	switch {
	case errors.Is(err, index.ErrInvalidQuery):
		p.render(w, r, sess, http.StatusBadRequest, "marketplace", web.NewSearch(v, q, nil, strings.TrimPrefix(err.Error(), index.ErrInvalidQuery.Error()+": "), opts))
	case err != nil && r.Context().Err() != nil:
	case err != nil:
		p.owner.ServerError(w, r, "marketplace search", err)
	default:
		p.render(w, r, sess, http.StatusOK, "marketplace", web.NewSearch(v, q, res, "", opts))
	}
}

// remoteURL is a marketplace listing's page: its object URL on its hub,
// when that is an http(s) URL.
func remoteURL(id string) string {
	u, err := url.Parse(id)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	return id
}

// locate reads where the marketplace listings of one page are, for the map.
func (p *pages) locate(ids []string) map[string]listing.GeoPoint {
	out := map[string]listing.GeoPoint{}
	_ = p.s.view(func(t txn) error {
		for _, id := range ids {
			if r := t.marketListing(t.marketOwner(id), id); r != nil && r.Listing.Location != nil {
				out[id] = *r.Listing.Location
			}
		}
		return nil
	})
	return out
}
