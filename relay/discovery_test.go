package relay_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/internal/testhub"
	"github.com/sovereign-marketplace/market/listing"
	"github.com/sovereign-marketplace/market/relay"
)

// mitraRatesDecoded turns on the assertions on the price, unit and price
// type of a Mitra subscription (20000 piconero a second). They hold once
// package listing reads CAIP-19 amounts in the asset's atomic unit
// (piconero: 12 decimals) and the time unit Mitra puts on the primary
// Intent; enable them when that change is merged.
const mitraRatesDecoded = true

func TestProposalLinks(t *testing.T) {
	const actor = "https://mitra.example/users/carol"
	const prop = actor + "/proposals/monero:418015bb9ae982a1975da7d79277c270"
	link := func(href string, rel any, extra ...string) string {
		r, _ := json.Marshal(rel)
		out := fmt.Sprintf(`{"type": "Link", "name": "MoneroSubscription", "href": %q, "rel": %s`, href, r)
		for _, e := range extra {
			out += ", " + e
		}
		return out + "}"
	}
	mitraRel := []string{"payment", relay.ProposalRel}
	many := make([]string, relay.MaxProposalLinks+3)
	for i := range many {
		many[i] = link(fmt.Sprintf("%s/proposals/%d", actor, i), mitraRel)
	}
	for _, tc := range []struct {
		name       string
		attachment string
		want       []string
		extra      int
	}{
		{"mitra's link", "[" + link(prop, mitraRel, `"mediaType": "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\""`) + "]", []string{prop}, 0},
		{"a single attachment, not in an array", link(prop, mitraRel), []string{prop}, 0},
		{"rel in the other order with activity+json", "[" + link(prop, []string{relay.ProposalRel, "payment"}, `"mediaType": "application/activity+json"`) + "]", []string{prop}, 0},
		{"a plain payment link is no proposal", "[" + link(prop, "payment") + "]", nil, 0},
		{"a proposal rel without payment", "[" + link(prop, relay.ProposalRel) + "]", nil, 0},
		{"a web page", "[" + link(prop, mitraRel, `"mediaType": "text/html"`) + "]", nil, 0},
		{"another origin", "[" + link("https://elsewhere.example/proposals/1", mitraRel) + "]", nil, 0},
		{"another scheme", "[" + link(strings.Replace(prop, "https:", "http:", 1), mitraRel) + "]", nil, 0},
		{"user information", "[" + link("https://x@mitra.example/users/carol/proposals/1", mitraRel) + "]", nil, 0},
		{"not a URL", "[" + link("monero:418015bb", mitraRel) + "]", nil, 0},
		{"not a Link", `[{"type": "PropertyValue", "name": "Pay", "value": "` + prop + `"}, {"type": "Note", "href": "` + prop + `", "rel": ["payment", "` + relay.ProposalRel + `"]}]`, nil, 0},
		{"repeats read once", "[" + link(prop, mitraRel) + "," + link(prop, mitraRel) + "]", []string{prop}, 0},
		{"bounded", "[" + strings.Join(many, ",") + "]", nil, 3},
		{"garbage", `"attachment"`, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := fmt.Sprintf(`{"id": %q, "type": "Person", "attachment": %s}`, actor, tc.attachment)
			got, extra := relay.ProposalLinks([]byte(doc), actor)
			if tc.name == "bounded" {
				if len(got) != relay.MaxProposalLinks || extra != tc.extra {
					t.Fatalf("got %d links and %d extra, want %d and %d", len(got), extra, relay.MaxProposalLinks, tc.extra)
				}
				return
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) || extra != tc.extra {
				t.Fatalf("ProposalLinks = %v (+%d), want %v (+%d)", got, extra, tc.want, tc.extra)
			}
		})
	}
}

// metric returns the value of one series on the relay's /metrics, or 0.
func (r *testRelay) metric(series string) float64 {
	r.t.Helper()
	resp, err := http.Get(r.cfg.PublicURL + "/metrics")
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			var f float64
			fmt.Sscan(v, &f)
			return f
		}
	}
	return 0
}

// statusReport runs `market relay status` on the running relay.
func (r *testRelay) statusReport() *relay.StatusReport {
	r.t.Helper()
	for _, op := range relay.Operations() {
		if op.Name == "status" {
			out, err := op.Run(context.Background(), r.Server, relay.OperationRequest{})
			if err != nil {
				r.t.Fatal(err)
			}
			return out.(*relay.StatusReport)
		}
	}
	r.t.Fatal("no status operation")
	return nil
}

// storedListing is GET /api/v1/listings/{id}, checked against the OpenAPI document.
type storedListing struct {
	Listing    json.RawMessage
	Activity   json.RawMessage
	Signature  json.RawMessage
	Arrival    string
	LinkedFrom string    `json:"linked_from"`
	FetchedVia string    `json:"fetched_via"`
	Received   time.Time `json:"received"`
	FirstSeen  time.Time `json:"first_seen"`
}

func (c *apiClient) listing(id string) (int, storedListing) {
	c.t.Helper()
	status, body := c.do("GET", "/api/v1/listings/"+url.PathEscape(id), nil)
	var out storedListing
	if status == http.StatusOK {
		if err := json.Unmarshal(body, &out); err != nil {
			c.t.Fatal(err)
		}
	}
	return status, out
}

func (c *apiClient) finds(query, id string) bool {
	c.t.Helper()
	for _, h := range c.search(query).Hits {
		if h.ID == id {
			return true
		}
	}
	return false
}

// TestMitraLinkedProposalEndToEnd: a hub that publishes only as Mitra
// does, by a Proposal linked from its actor's attachment, is followed by
// the relay: the proposal becomes searchable, stored as discovered (no
// activity, no signature: fetched from its origin); an Update(Person)
// re-reads it and keeps the first-seen time of a Proposal without
// published; the hub removes the link and sends Update(Person): the
// listing leaves search and the store.
func TestMitraLinkedProposalEndToEnd(t *testing.T) {
	r := startRelay(t, relayConfig(t, t.TempDir()))
	r.SetDiscoverySpacing(10 * time.Millisecond)
	mitra := startHub(t, "carol", "localhost")
	id, proposal := mitra.MitraProposal(testhub.MoneroMainnet, 20000)
	if err := mitra.LinkProposal(id, proposal); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := r.Follow(ctx, mitra.ActorID); err != nil {
		t.Fatal(err)
	}
	api := newAPIClient(t, r.cfg.PublicURL)
	eventually(t, "the linked proposal to be searchable", func() bool { return api.finds("q=subscription", id) })

	status, got := api.listing(id)
	if status != http.StatusOK {
		t.Fatalf("GET the discovered listing: %d", status)
	}
	if got.Arrival != relay.ArrivalDiscovered || got.LinkedFrom != mitra.ActorID || got.FetchedVia != id {
		t.Errorf("arrival %q, linked_from %q, fetched_via %q; want discovered from %s at %s", got.Arrival, got.LinkedFrom, got.FetchedVia, mitra.ActorID, id)
	}
	if len(got.Activity) != 0 || len(got.Signature) != 0 {
		t.Errorf("a discovered listing claims an activity %s or a signature %s", got.Activity, got.Signature)
	}
	var l listing.Listing
	if err := json.Unmarshal(got.Listing, &l); err != nil {
		t.Fatal(err)
	}
	if l.Owner != mitra.ActorID || l.Title != "Pay for subscription" || l.Type != listing.TypeService {
		t.Errorf("listing = owner %s, title %q, type %s", l.Owner, l.Title, l.Type)
	}
	if got.FirstSeen.IsZero() || !l.Created.Equal(got.FirstSeen) {
		t.Errorf("a Proposal without published: created %s, first seen %s; want the first-seen time", l.Created, got.FirstSeen)
	}

	// Update(Person) without a change: fetched again, still first seen when first seen.
	update, err := mitra.ActorUpdate()
	if err != nil {
		t.Fatal(err)
	}
	mustSend(t, mitra, r.inbox(), update)
	eventually(t, "the proposal to be fetched again", func() bool {
		_, again := api.listing(id)
		return again.Received.After(got.Received)
	})
	_, again := api.listing(id)
	var l2 listing.Listing
	json.Unmarshal(again.Listing, &l2)
	if !l2.Created.Equal(l.Created) || !again.FirstSeen.Equal(got.FirstSeen) {
		t.Errorf("after a re-fetch: created %s, first seen %s; want both kept at %s", l2.Created, again.FirstSeen, l.Created)
	}

	t.Run("MitraRateAsListingDecodesIt", func(t *testing.T) {
		if !mitraRatesDecoded {
			t.Skip("enable (mitraRatesDecoded) once package listing decodes Mitra's per-second piconero rates")
		}
		var price struct {
			Amount   string `json:"amount"`
			Currency string `json:"currency"`
			Type     string `json:"price_type"`
		}
		var raw struct {
			Price json.RawMessage `json:"price"`
		}
		json.Unmarshal(again.Listing, &raw)
		json.Unmarshal(raw.Price, &price)
		if price.Currency != "monero:"+testhub.MoneroMainnet+"/slip44:128" {
			t.Errorf("currency %q, want Monero's CAIP-19 asset", price.Currency)
		}
		// 20000 piconero a second: 0.00000002 XMR a second, 0.000072 XMR an hour.
		switch price.Type {
		case string(listing.PriceHourly):
			if !sameDecimal(price.Amount, "0.000072") {
				t.Errorf("hourly amount %q, want 0.000072 XMR", price.Amount)
			}
		default:
			if !sameDecimal(price.Amount, "0.00000002") || price.Type != string(listing.PricePerSecond) {
				t.Errorf("price %s, want 0.00000002 XMR a second (or hourly 0.000072)", raw.Price)
			}
		}
		if !api.finds("q=subscription&currency=monero:"+testhub.MoneroMainnet+"/slip44:128&price_max=1", id) {
			t.Error("the subscription is not found under a price ceiling of 1 XMR: its price was not indexed")
		}
		if f := r.statusReport().IndexFailures; f.Total != 0 {
			t.Errorf("index failures %+v, want none", f)
		}
	})

	// Mitra withdraws the offer: the link goes (the URL answers 404) and
	// followers get Update(Person).
	if err := mitra.UnlinkProposal(id); err != nil {
		t.Fatal(err)
	}
	update, _ = mitra.ActorUpdate()
	mustSend(t, mitra, r.inbox(), update)
	eventually(t, "the withdrawn proposal to leave search", func() bool { return !api.finds("q=subscription", id) })
	if _, err := r.listing(id); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("withdrawn proposal still stored: %v", err)
	}
	// The count follows the drop's commit.
	unlinked := func() float64 { return r.metric(`market_relay_discovery_total{outcome="unlinked"}`) }
	eventually(t, "the withdrawn proposal to be counted unlinked", func() bool { return unlinked() >= 1 })
	if n := unlinked(); n != 1 {
		t.Errorf("unlinked proposals counted %v, want 1", n)
	}
}

// sameDecimal compares two decimal strings by value.
func sameDecimal(a, b string) bool {
	x, ok1 := new(big.Rat).SetString(a)
	y, ok2 := new(big.Rat).SetString(b)
	return ok1 && ok2 && x.Cmp(y) == 0
}

// TestLinkedProposalsRefresh: the periodic refresh drops a linked
// proposal whose URL answers 410 or 404 although the link stays, keeps
// one whose host fails with a 500 (counted as unreachable, backed off
// from), and keeps the others.
func TestLinkedProposalsRefresh(t *testing.T) {
	cfg := relayConfig(t, t.TempDir())
	cfg.Relay.ProposalRefresh = config.Duration(200 * time.Millisecond) // below the 1m a configuration may ask, to keep the test short
	r := startRelay(t, cfg)
	r.SetDiscoverySpacing(5 * time.Millisecond)
	mitra := startHub(t, "carol", "localhost")
	var ids []string
	for _, chain := range []string{"deleted", "missing", "kept", "failing"} {
		id, obj := mitra.MitraProposal(chain, 20000)
		if err := mitra.LinkProposal(id, obj); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	deleted, missing, kept, failing := ids[0], ids[1], ids[2], ids[3]
	subscribe(t, r, mitra)
	eventually(t, "the four proposals to be stored", func() bool { return r.listingCount() == 4 })

	mitra.SetStatus(deleted, http.StatusGone)
	mitra.SetStatus(missing, http.StatusNotFound)
	mitra.SetStatus(failing, http.StatusInternalServerError)
	eventually(t, "the refresh to drop the proposals answering 410 and 404", func() bool {
		_, err1 := r.listing(deleted)
		_, err2 := r.listing(missing)
		return errors.Is(err1, relay.ErrNotFound) && errors.Is(err2, relay.ErrNotFound)
	})
	eventually(t, "the failing host to be counted unreachable", func() bool {
		return r.metric(`market_relay_origin_unreachable_total{purpose="discovery"}`) > 0
	})
	for _, id := range []string{kept, failing} {
		if _, err := r.listing(id); err != nil {
			t.Errorf("%s dropped: %v", id, err)
		}
	}
	// The count follows the drop's commit: wait for it, then check it
	// stays at two.
	gone := func() float64 { return r.metric(`market_relay_discovery_total{outcome="gone"}`) }
	eventually(t, "the two dropped proposals to be counted gone", func() bool { return gone() >= 2 })
	if n := gone(); n != 2 {
		t.Errorf("gone proposals counted %v, want 2", n)
	}
}

// TestDiscoveryChecks: a linked proposal passes the checks of a delivered
// listing: on the actor's origin, attributed to the actor, served under
// its own id, not taken down; nothing is read from a hub the relay is not
// subscribed with; a discovered copy never replaces a listing the hub
// delivers itself.
func TestDiscoveryChecks(t *testing.T) {
	r := startRelay(t, relayConfig(t, t.TempDir()))
	r.SetDiscoverySpacing(time.Millisecond)
	mitra := startHub(t, "carol", "localhost")
	other := startHub(t, "dave", "127.0.0.1")

	// A hub the relay has no subscription with links a proposal and sends
	// Update(Person): nothing is read. (It goes first: the discovery reads
	// actors in the order they come, so once the last proposal below is
	// stored, this one would have been read.)
	stranger, sobj := other.MitraProposal("stranger", 20000)
	if err := other.LinkProposal(stranger, sobj); err != nil {
		t.Fatal(err)
	}
	update, _ := other.ActorUpdate()
	mustSend(t, other, r.inbox(), update)

	valid, vobj := mitra.MitraProposal("valid", 20000)
	foreign, fobj := mitra.MitraProposal("foreign", 20000)
	fobj = []byte(strings.ReplaceAll(string(fobj), `"attributedTo":"`+mitra.ActorID+`"`, `"attributedTo":"`+other.ActorID+`"`))
	moved, mobj := mitra.MitraProposal("moved", 20000)
	mobj = []byte(strings.Replace(string(mobj), `"id":"`+moved+`"`, `"id":"`+valid+`"`, 1))
	delivered := mitra.Listing("Delivered by the hub")
	dobj, _ := listing.Encode(delivered)
	for _, p := range []struct {
		id  string
		obj []byte
	}{{valid, vobj}, {foreign, fobj}, {moved, mobj}, {delivered.FederatedAPID, dobj}} {
		if err := mitra.LinkProposal(p.id, p.obj); err != nil {
			t.Fatal(err)
		}
	}
	elsewhere, eobj := other.MitraProposal("elsewhere", 20000)
	if err := other.Serve(elsewhere, eobj); err != nil {
		t.Fatal(err)
	}
	if err := mitra.AttachLink(elsewhere); err != nil {
		t.Fatal(err)
	}

	subscribe(t, r, mitra)
	eventually(t, "the valid proposal to be stored", func() bool { _, err := r.listing(valid); return err == nil })
	if _, err := r.TakeDown(valid, "test"); err != nil {
		t.Fatal(err)
	}
	fetched := mitra.Fetches(valid)
	act, _ := mitra.ListingActivity("Create", delivered)
	mustSend(t, mitra, r.inbox(), act)

	last, lobj := mitra.MitraProposal("last", 20000)
	if err := mitra.LinkProposal(last, lobj); err != nil {
		t.Fatal(err)
	}
	update, _ = mitra.ActorUpdate()
	mustSend(t, mitra, r.inbox(), update)
	eventually(t, "the last linked proposal to be stored", func() bool { _, err := r.listing(last); return err == nil })

	for _, id := range []string{foreign, moved, valid} {
		if _, err := r.listing(id); !errors.Is(err, relay.ErrNotFound) {
			t.Errorf("%s stored: %v", id, err)
		}
	}
	if mitra.Fetches(valid) <= fetched {
		t.Errorf("the taken-down proposal was not read again (so its refusal is untested)")
	}
	if n := other.Fetches(stranger); n != 0 {
		t.Errorf("the relay read %d times a proposal of a hub it has no subscription with", n)
	}
	if n := other.Fetches(elsewhere); n != 0 {
		t.Errorf("the relay fetched %d times a proposal on another host than the actor's", n)
	}
	rec, err := r.listing(delivered.FederatedAPID)
	if err != nil || rec.Arrival != relay.ArrivalDelivered || rec.Signature == nil {
		t.Errorf("the delivered listing was replaced by its linked copy: %+v, %v", rec, err)
	}
	if n := r.metric(`market_relay_discovery_total{outcome="refused"}`); n < 3 {
		t.Errorf("refused proposals counted %v, want at least 3 (foreign, moved, taken down)", n)
	}
}
