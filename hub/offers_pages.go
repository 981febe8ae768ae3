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

	"github.com/sovereign-marketplace/market/deal"
	"github.com/sovereign-marketplace/market/escrow"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/listing"
	"github.com/sovereign-marketplace/market/web"
)

// OfferRel is the WebFinger link relation of a hub's offer page: its
// template, with {uri} standing for a listing's URL, is where a buyer
// makes an offer on it ("remote interaction": a listing's page on the
// seller's hub sends the buyer there). A hub's WebFinger answer carries
//
//	{"rel": "https://w3id.org/sovereign-market/v1#offer",
//	 "template": "https://bob.example/owner/offers/new?listing={uri}"}
//
// For a server without it, OStatus's remote-interaction link
// (ostatusSubscribe), which Mastodon and others publish, is followed
// instead: the buyer sees the listing there.
const OfferRel = listing.ContextIRI + "#offer"

const ostatusSubscribe = "http://ostatus.org/schema/1.0/subscribe"

// Bounds of the remote-interaction lookup.
const (
	maxHandle     = 256              // characters of a handle typed on a listing's page
	lookupTimeout = 10 * time.Second // for the WebFinger lookup of the buyer's hub
)

// offerTemplate is the hub's own offer-page template for WebFinger.
func (s *Server) offerTemplate() federation.JRDLink {
	return federation.JRDLink{Rel: OfferRel, Template: s.publicURL + "/owner/offers/new?listing={uri}"}
}

// OfferPage finds where a buyer makes an offer on the listing at
// listingURL: the handle (acct:user@host, user@host or @user@host) is
// looked up with WebFinger through the hub's federation client (private
// addresses refused unless configured, its timeouts and size caps), and
// its offer template (OfferRel, or OStatus's subscribe template) filled
// in. The answer is an http(s) URL on the buyer's host.
func (s *Server) OfferPage(ctx context.Context, handle, listingURL string) (string, error) {
	handle = strings.TrimSpace(handle)
	if handle == "" || len(handle) > maxHandle {
		return "", fmt.Errorf("%w: handle: must be your address, such as bob@example.org, of at most %d characters", ErrInvalid, maxHandle)
	}
	ctx, cancel := context.WithTimeout(ctx, lookupTimeout)
	defer cancel()
	jrd, err := s.client.WebFinger(ctx, handle)
	if err != nil {
		return "", err
	}
	link, ok := jrd.Link(OfferRel, ostatusSubscribe)
	if !ok || !strings.Contains(link.Template, "{uri}") {
		return "", fmt.Errorf("%w: handle: the server of %s publishes no offer page", ErrNotFound, short(handle))
	}
	target := strings.ReplaceAll(link.Template, "{uri}", url.QueryEscape(listingURL))
	u, err := url.Parse(target)
	_, host, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(handle, "acct:"), "@"), "@")
	if err != nil || !listing.IsHTTPURL(target) || len(target) > listing.MaxURL || !strings.EqualFold(u.Host, host) {
		return "", fmt.Errorf("%w: handle: the offer page %s of %s is not an http(s) URL on %s", ErrInvalid, short(target), short(handle), short(host))
	}
	return target, nil
}

// lookupProblem says, in the buyer's terms, why their hub was not found.
func lookupProblem(handle string, err error) (int, string) {
	switch {
	case errors.Is(err, ErrInvalid) && strings.Contains(err.Error(), "handle:"):
		_, msg, _ := strings.Cut(err.Error(), "handle: ")
		return http.StatusBadRequest, "Your address: " + msg + "."
	case errors.Is(err, federation.ErrInvalid) && !errors.Is(err, federation.ErrPrivateAddress):
		return http.StatusBadRequest, fmt.Sprintf("%q is not an address like bob@example.org.", short(handle))
	case errors.Is(err, federation.ErrPrivateAddress):
		return http.StatusBadRequest, fmt.Sprintf("The server of %q is on a private network address, which this hub does not contact.", short(handle))
	case errors.Is(err, ErrNotFound) || errors.Is(err, federation.ErrNotFound):
		return http.StatusNotFound, fmt.Sprintf("No hub with an offer page was found for %q. Check the address, or make the offer from your hub with this listing's address.", short(handle))
	}
	return http.StatusBadGateway, fmt.Sprintf("The server of %q could not be reached. Try again later, or make the offer from your hub with this listing's address.", short(handle))
}

// remoteOffer is POST /listings/{id}/offer, from a listing's public page:
// the buyer's handle is looked up and the page shows the link to their
// hub's offer page (a link, not a redirect: the pages' form-action policy
// keeps forms on this site, and the buyer sees where they are going).
func (p *pages) remoteOffer(w http.ResponseWriter, r *http.Request) {
	rec, status, msg := p.publicRecord(r.PathValue("id"))
	if rec == nil {
		p.site.Error(w, r, status, msg)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		p.site.Error(w, r, http.StatusBadRequest, "The form could not be read. Send it again from the listing's page.")
		return
	}
	v := p.listingView(rec)
	if !v.CanOffer {
		p.site.Render(w, r, http.StatusConflict, "listing", v)
		return
	}
	v.OfferHandle = r.PostForm.Get("handle")
	if len(v.OfferHandle) > maxHandle {
		v.OfferHandle = v.OfferHandle[:maxHandle]
	}
	target, err := p.s.OfferPage(r.Context(), r.PostForm.Get("handle"), rec.Listing.FederatedAPID)
	if err != nil {
		status, v.OfferError = lookupProblem(v.OfferHandle, err)
		p.s.log.Info("remote offer: lookup failed", "error", err)
		p.site.Render(w, r, status, "listing", v)
		return
	}
	v.OfferURL, v.OfferHost = target, web.Host(target)
	p.site.Render(w, r, http.StatusOK, "listing", v)
}

// offerPageView is the data of the buyer's page "make an offer on
// <listing URL>".
type offerPageView struct {
	URL, Title, Price, PriceType, Model, Type, Seller, Currency string
	Error                                                       string
	Quantity, Amount, Escrow, Unit                              string
	Escrows                                                     []web.Option
	Negotiable, Free, Fixed                                     bool
}

// offerForm is the listing's offer form's data, fetched from its origin;
// a problem (no listing, not one the hub can offer on) is in Error.
func (p *pages) offerForm(ctx context.Context, listingURL string) offerPageView {
	v := offerPageView{URL: listingURL, Quantity: "1"}
	if !listing.IsHTTPURL(listingURL) || len(listingURL) > listing.MaxURL {
		v.Error = "The listing's address must be its http(s) URL."
		return v
	}
	ctx, cancel := context.WithTimeout(ctx, lookupTimeout)
	defer cancel()
	l, err := p.s.remoteListing(ctx, listingURL)
	if err != nil {
		p.s.log.Info("offer page: fetch listing", "listing", listingURL, "error", err)
		v.Error = "The listing could not be fetched from its hub: it may have been removed, or its hub is not reachable."
		return v
	}
	v.Title, v.Price, v.PriceType, v.Model, v.Type = l.Title, l.Price.String(), web.Label(string(l.Price.Type)), web.Label(string(l.Price.Model)), web.Label(string(l.Type))
	v.Seller, v.Currency = l.Owner, l.Price.Currency
	v.Negotiable, v.Free = l.Price.Type == listing.PriceNegotiable, l.Free()
	v.Fixed = !v.Negotiable && !v.Free
	v.Unit = "Units"
	if u := l.Price.Type.TimeUnit(); u != "" {
		v.Unit = web.Label(u) + "s"
	}
	for _, e := range l.Escrows {
		if e.Kind == listing.EscrowLedger {
			v.Escrows = append(v.Escrows, web.Option{Value: e.Agent, Label: "Escrow agent " + e.Agent})
		}
	}
	switch {
	case l.Owner == p.s.actorID:
		v.Error = "This is your own listing."
	case l.Status != listing.StatusActive:
		v.Error = "The listing is " + web.Label(string(l.Status)) + ", not open for offers."
	case !v.Free && len(v.Escrows) == 0:
		v.Error = "The seller names no escrow this hub can use for this listing."
	}
	return v
}

// newOfferPage is GET /owner/offers/new?listing=<URL>: the offer page a
// listing's page sends the buyer to.
func (p *pages) newOfferPage(w http.ResponseWriter, r *http.Request, sess *session) {
	v := p.offerForm(r.Context(), r.URL.Query().Get("listing"))
	status := http.StatusOK
	if v.Title == "" {
		status = http.StatusBadGateway
	}
	p.render(w, r, sess, status, "offer", v)
}

// sendOffer is POST /owner/offers: the offer form, sent through
// Server.MakeOffer; the amount of a negotiable offer is in the listing's
// currency as people write it.
func (p *pages) sendOffer(w http.ResponseWriter, r *http.Request, sess *session) {
	f := r.PostForm
	v := p.offerForm(r.Context(), f.Get("listing"))
	if v.Title == "" || v.Error != "" {
		p.render(w, r, sess, http.StatusBadRequest, "offer", v)
		return
	}
	v.Quantity, v.Amount, v.Escrow = f.Get("quantity"), f.Get("amount"), f.Get("escrow")
	for i := range v.Escrows {
		v.Escrows[i].Selected = v.Escrows[i].Value == v.Escrow
	}
	req := OfferRequest{Listing: v.URL, Escrow: v.Escrow}
	var err error
	switch {
	case v.Negotiable:
		req.Amount, err = minorAmount("amount", v.Amount, v.Currency)
	case v.Fixed:
		req.Quantity, err = strconv.ParseInt(strings.TrimSpace(v.Quantity), 10, 64)
		if err != nil {
			err = fmt.Errorf("%w: quantity: must be a whole number of %s", ErrInvalid, strings.ToLower(v.Unit))
		}
	}
	var d *deal.Deal
	if err == nil {
		d, err = p.s.MakeOffer(r.Context(), req)
	}
	if err != nil {
		_, _, msg := federation.StatusOf(err)
		v.Error = "The offer was not sent: " + msg
		p.render(w, r, sess, http.StatusBadRequest, "offer", v)
		return
	}
	back(w, r, "/owner/deals/"+dealKey(d.ID), "Offer sent to the seller.")
}

// dealRow is one deal in the offers page's lists.
type dealRow struct {
	Key, Listing, Other, Amount, State string
	Updated                            time.Time
	MayAnswer, MayCounter              bool
}

func row(d *deal.Deal) dealRow {
	return dealRow{Key: dealKey(d.ID), Listing: d.Listing, Other: d.Counterparty(), Amount: money(d.Amount, d.Currency), State: string(d.State),
		Updated: d.Updated, MayAnswer: d.MayAnswer(d.Role), MayCounter: d.MayCounter(d.Role)}
}

// dealList is one list of the offers page.
type dealList struct {
	ID, Title, Who, Empty string
	Rows                  []dealRow
}

// answers is the data of the "offer-answers" template: the answer forms
// of a deal's open offer that the owner may send now.
type answers struct {
	Key, CSRF             string
	MayAnswer, MayCounter bool
}

// answerForm is the template helper answerForm.
func answerForm(key string, mayAnswer, mayCounter bool, csrf string) answers {
	return answers{Key: key, CSRF: csrf, MayAnswer: mayAnswer, MayCounter: mayCounter}
}

// money is an amount in minor units as people read it: "230 USD".
func money(minor, currency string) string {
	m, err := strconv.ParseInt(minor, 10, 64)
	if err != nil {
		return minor + " (minor units) " + currency
	}
	return listing.FormatMinor(m, currency) + " " + currency
}

// offersPage is GET /owner/offers: the offers made to the owner and the
// owner's own, with the answers each may take now.
func (p *pages) offersPage(w http.ResponseWriter, r *http.Request, sess *session) {
	ds, err := p.s.Deals()
	if err != nil {
		p.owner.ServerError(w, r, "offers", err)
		return
	}
	in := dealList{ID: "offers-in", Title: "Offers to you", Who: "Buyer", Empty: "No one has made you an offer yet."}
	out := dealList{ID: "offers-out", Title: "Your offers", Who: "Seller", Empty: "You have made no offers yet. Make one from a listing's page."}
	for _, d := range ds {
		if d.Role == deal.RoleSeller {
			in.Rows = append(in.Rows, row(d))
		} else {
			out.Rows = append(out.Rows, row(d))
		}
	}
	p.render(w, r, sess, http.StatusOK, "offers", []dealList{in, out})
}

// answerOffer is POST /owner/offers/{key}/{action}: accept, reject or
// counter (with amount) the open offer.
func (p *pages) answerOffer(w http.ResponseWriter, r *http.Request, _ *session) {
	key, action := r.PathValue("key"), r.PathValue("action")
	var err error
	var notice string
	switch action {
	case "accept", "reject":
		_, err = p.s.AnswerOffer(r.Context(), key, action)
		notice = map[string]string{"accept": "Offer accepted.", "reject": "Offer rejected."}[action]
	case "counter":
		_, err = p.s.Counter(r.Context(), key, r.PostForm.Get("amount"))
		notice = "Counter-offer sent."
	default:
		p.owner.Error(w, r, http.StatusNotFound, "There is no such answer to an offer.")
		return
	}
	if err != nil {
		p.actionError(w, r, "Deal "+key, err)
		return
	}
	back(w, r, "/owner/deals/"+key, notice)
}

// dealAction is a button of the deal page.
type dealAction struct {
	Action, Label string
	Secondary     bool
}

// escrowLabels are the deal page's words for the escrow actions.
var escrowLabels = map[escrow.Action]string{
	escrow.ActionFund: "Fund the escrow", escrow.ActionDeliver: "Mark delivered", escrow.ActionConfirm: "Confirm receipt",
	escrow.ActionComplete: "Complete", escrow.ActionRefund: "Refund the buyer", escrow.ActionTimeout: "Apply the timeout",
}

// escrowActions are the escrow actions the owner may take on d now, as
// the escrow package's state table says for the owner's role.
func escrowActions(d *deal.Deal) []dealAction {
	if d.EVM != nil && d.EscrowDeal == 0 && d.State == deal.StateAccepted && d.Role == deal.RoleBuyer {
		// On an EVM escrow the buyer creates and funds the deal in one
		// transaction (Server.Act).
		return []dealAction{{Action: string(escrow.ActionFund), Label: escrowLabels[escrow.ActionFund]}}
	}
	if d.Escrow == "" || d.EscrowDeal == 0 {
		return nil
	}
	role := escrow.RoleBuyer
	if d.Role == deal.RoleSeller {
		role = escrow.RoleSeller
	}
	var out []dealAction
	for _, a := range dealActions {
		if _, err := escrow.Allowed(a, escrow.Status(d.State), role); err == nil {
			out = append(out, dealAction{Action: string(a), Label: escrowLabels[a], Secondary: a == escrow.ActionTimeout || a == escrow.ActionRefund})
		}
	}
	return out
}

// timelineEntry is one step of the deal page's timeline.
type timelineEntry struct {
	deal.Entry
	Amount string // a counter-offer's amount, as people read it
	To     string // the state it led to
	Who    string // who took it, in words
}

// fieldLine is one more field of a deal, shown as it is.
type fieldLine struct{ Name, Value string }

// dealPageView is the data of the deal page.
type dealPageView struct {
	Key, Role, State, Listing, Buyer, Seller, Amount, Escrow string
	Quantity                                                 int64
	Expires, Created                                         time.Time
	Timeline                                                 []timelineEntry
	MayAnswer, MayCounter                                    bool
	Rounds, MaxRounds                                        int
	Actions                                                  []dealAction
	// Funding is set when the owner is the buyer and the deal waits to be
	// funded: the page's funding block shows then.
	Funding bool
	// OnChain is set for a deal held by an EVM escrow.
	OnChain *onChainView
	// Wallet is the block paying an EVM deal from the owner's browser
	// wallet, when there is one to pay (pages.walletFunding).
	Wallet *web.WalletFunding
	More   []fieldLine
}

// deliveryLines are the deal page's lines on how the deal is delivered,
// in words: the kind, and what each side was sent.
func deliveryLines(dl *deal.Delivery) []fieldLine {
	if dl == nil {
		return nil
	}
	out := []fieldLine{{Name: "Delivery", Value: web.Label(string(dl.Kind))}}
	add := func(name, value string) {
		if value != "" {
			out = append(out, fieldLine{Name: name, Value: value})
		}
	}
	add("Shipping address", dl.ShippingAddress)
	add("Tracking", dl.Tracking)
	if f := dl.File; f != nil {
		add("File", fmt.Sprintf("%s (%s, %d bytes)", f.Name, f.MediaType, f.Size))
	}
	if !dl.LinkExpires.IsZero() {
		add("Download link until", dl.LinkExpires.UTC().Format(time.RFC3339))
	}
	add("Evidence", dl.Evidence)
	if !dl.Received.IsZero() {
		add("Received", dl.Received.UTC().Format(time.RFC3339))
	}
	add("Delivery problem", dl.Problem)
	return out
}

// onChainView is where an EVM deal's money is held.
type onChainView struct {
	ChainID                  uint64
	Contract, Token          string
	BuyerAccount, SellerAcct string
	Deal                     uint64 // the deal's id on the contract, 0 before funding
}

// shownFields are the deal's fields the page shows in its own places;
// any other (delivery details and what comes later) is listed as it is.
var shownFields = []string{"id", "offer", "role", "listing", "buyer", "seller", "quantity", "amount", "currency", "escrow", "expires",
	"state", "escrow_deal", "history", "created", "updated", "negotiable", "rounds", "evm", "delivery"}

// dealPage is GET /owner/deals/{key}: the deal's terms, its timeline and
// the actions the owner may take now.
func (p *pages) dealPage(w http.ResponseWriter, r *http.Request, sess *session) {
	d, err := p.s.Deal(r.PathValue("key"))
	if err != nil {
		p.owner.Error(w, r, http.StatusNotFound, "There is no such deal on this hub.")
		return
	}
	v := dealPageView{Key: dealKey(d.ID), Role: string(d.Role), State: string(d.State), Listing: d.Listing, Buyer: d.Buyer, Seller: d.Seller,
		Amount: money(d.Amount, d.Currency), Escrow: d.Escrow, Quantity: d.Quantity, Expires: d.Expires, Created: d.Created,
		MayAnswer: d.MayAnswer(d.Role), MayCounter: d.MayCounter(d.Role), Rounds: d.Rounds, MaxRounds: deal.MaxRounds,
		Actions: escrowActions(d)}
	v.Funding = d.Role == deal.RoleBuyer && slices.ContainsFunc(v.Actions, func(a dealAction) bool { return a.Action == string(escrow.ActionFund) })
	if d.EVM != nil {
		v.OnChain = &onChainView{ChainID: d.EVM.ChainID, Contract: d.EVM.Contract, Token: d.EVM.Token, BuyerAccount: d.EVM.Buyer, SellerAcct: d.EVM.Seller, Deal: d.EscrowDeal}
	}
	v.Wallet = p.walletFunding(r.Context(), d, sess.CSRF)
	for _, e := range d.History {
		te := timelineEntry{Entry: e, To: string(e.To), Who: web.Host(e.By)}
		switch e.By {
		case d.Buyer:
			te.Who = "the buyer, " + te.Who
		case d.Seller:
			te.Who = "the seller, " + te.Who
		case d.Escrow:
			te.Who = "the escrow agent, " + te.Who
		}
		if e.Amount != "" {
			te.Amount = money(e.Amount, d.Currency)
		}
		v.Timeline = append(v.Timeline, te)
	}
	v.More = deliveryLines(d.Delivery)
	var all map[string]json.RawMessage
	b, _ := json.Marshal(d)
	_ = json.Unmarshal(b, &all)
	for name, raw := range all {
		if slices.Contains(shownFields, name) || string(raw) == "null" {
			continue
		}
		v.More = append(v.More, fieldLine{Name: web.Label(name), Value: strings.Trim(string(raw), `"`)})
	}
	slices.SortFunc(v.More, func(a, b fieldLine) int { return strings.Compare(a.Name, b.Name) })
	p.render(w, r, sess, http.StatusOK, "deal", v)
}

// dealAct is POST /owner/deals/{key}/{action}: an escrow action, queued
// for the deal's escrow agent (Server.Act).
func (p *pages) dealAct(w http.ResponseWriter, r *http.Request, _ *session) {
	key := r.PathValue("key")
	if _, err := p.s.Act(r.Context(), key, escrow.Action(r.PathValue("action"))); err != nil {
		p.actionError(w, r, "Deal "+key, err)
		return
	}
	if d, err := p.s.Deal(key); err == nil && d.EVM != nil {
		back(w, r, "/owner/deals/"+key, "Done on chain: "+web.Label(r.PathValue("action"))+".")
		return
	}
	back(w, r, "/owner/deals/"+key, "Sent to the escrow agent: "+web.Label(r.PathValue("action"))+". The deal changes when the agent confirms it.")
}

// dealEvents adds the deals' last steps to the dashboard's recent
// activity and counts the open offers waiting for the owner's answer.
func dealEvents(s *Server, recent []event) (int, []event) {
	ds, _ := s.Deals()
	turn := 0
	for _, d := range ds {
		if d.MayAnswer(d.Role) {
			turn++
		}
		what := fmt.Sprintf("Deal with %s for %s: %s", web.Host(d.Counterparty()), money(d.Amount, d.Currency), web.Label(string(d.State)))
		recent = append(recent, event{At: d.Updated, What: what, URL: "/owner/deals/" + dealKey(d.ID)})
	}
	return turn, recent
}

// dealRoutes adds the offer and deal pages (GET pages, POST forms).
func (p *pages) dealRoutes(get, post func(string, ownerHandler)) {
	get("/owner/offers", p.offersPage)
	get("/owner/offers/new", p.newOfferPage)
	post("/owner/offers", p.sendOffer)
	post("/owner/offers/{key}/{action}", p.answerOffer)
	get("/owner/deals/{key}", p.dealPage)
	post("/owner/deals/{key}/funded", p.walletFunded)
	post("/owner/deals/{key}/{action}", p.dealAct)
}
