package hub

import (
	"reflect"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/listing"
)

// TestAudience is the one rule of who has a listing, case by case.
func TestAudience(t *testing.T) {
	const (
		bob     = "https://bob.example/inbox"
		carol   = "https://carol.example/users/carol/inbox"
		shared  = "https://social.example/inbox" // two followers on one server
		relay   = "https://relay.example/inbox"
		dpRelay = "https://dp-relay.example/inbox"
	)
	recipients := []Recipient{
		{Actor: "https://bob.example/users/bob", Inbox: bob},
		{Actor: "https://carol.example/users/carol", Inbox: carol},
		{Actor: "https://social.example/users/d", Inbox: shared},
		{Actor: "https://social.example/users/e", Inbox: shared},
		{Actor: "https://nowhere.example/users/f"}, // no inbox known
		{Actor: "https://relay.example/actor", Inbox: relay, Relay: true},
		{Actor: "https://dp-relay.example/actor", Inbox: dpRelay, Relay: true, Niche: listing.Niche{ListingTypes: []listing.Type{listing.TypeDataProduct}}},
	}
	followers := []string{bob, carol, shared}
	service := func(vis listing.Visibility, st listing.Status) *listing.Listing {
		return &listing.Listing{Type: listing.TypeService, Visibility: vis, Status: st}
	}
	for _, c := range []struct {
		name string
		l    *listing.Listing
		had  []string
		want []string
	}{
		{"public active: followers and the relays it fits, each inbox once", service(listing.VisibilityPublic, listing.StatusActive), nil,
			[]string{bob, carol, relay, shared}},
		{"public data product: the data product relay too", &listing.Listing{Type: listing.TypeDataProduct, Visibility: listing.VisibilityPublic, Status: listing.StatusActive}, nil,
			[]string{bob, carol, dpRelay, relay, shared}},
		{"followers: followers only, never a relay", service(listing.VisibilityFollowers, listing.StatusActive), nil, followers},
		{"private: nobody", service(listing.VisibilityPrivate, listing.StatusActive), nil, nil},
		{"draft: nobody, even public", service(listing.VisibilityPublic, listing.StatusDraft), nil, nil},
		{"private that was public: nobody (they get a Delete)", service(listing.VisibilityPrivate, listing.StatusActive), []string{bob, relay}, nil},
		{"paused: only those who had it", service(listing.VisibilityPublic, listing.StatusPaused), []string{bob, relay}, []string{bob, relay}},
		{"sold: only those who had it", service(listing.VisibilityPublic, listing.StatusSold), []string{carol}, []string{carol}},
		{"expired, never sent: nobody", service(listing.VisibilityPublic, listing.StatusExpired), nil, nil},
		{"paused and narrowed to followers: the relay loses it", service(listing.VisibilityFollowers, listing.StatusPaused), []string{bob, relay}, []string{bob}},
		{"had by someone no longer a recipient: gone", service(listing.VisibilityPublic, listing.StatusActive), []string{"https://gone.example/inbox"},
			[]string{bob, carol, relay, shared}},
	} {
		got := Audience(c.l, recipients, c.had)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %v\nwant %v", c.name, got, c.want)
		}
	}
}

// TestAudienceKeepsFollowersOnlyOffARelaysInbox: a follower whose inbox is
// the one a relay uses (a person on the relay's server) does not get a
// followers-only listing: the relay would index it.
func TestAudienceKeepsFollowersOnlyOffARelaysInbox(t *testing.T) {
	recipients := []Recipient{
		{Actor: "https://relay.example/users/x", Inbox: "https://relay.example/inbox"},
		{Actor: "https://relay.example/actor", Inbox: "https://relay.example/inbox", Relay: true},
	}
	l := &listing.Listing{Type: listing.TypeService, Visibility: listing.VisibilityFollowers, Status: listing.StatusActive}
	if got := Audience(l, recipients, nil); len(got) != 0 {
		t.Fatalf("followers-only listing to %v, want nobody", got)
	}
}

// TestShares: the owner's Announces go to every follower's inbox once,
// never to a relay nor to an inbox a relay uses.
func TestShares(t *testing.T) {
	recipients := []Recipient{
		{Actor: "https://a.example/users/ann", Inbox: "https://a.example/inbox"},
		{Actor: "https://a.example/users/amy", Inbox: "https://a.example/inbox"},
		{Actor: "https://b.example/users/ben", Inbox: "https://b.example/users/ben/inbox"},
		{Actor: "https://relay.example/actor", Inbox: "https://relay.example/inbox", Relay: true},
		{Actor: "https://relay.example/users/x", Inbox: "https://relay.example/inbox"},
		{Actor: "https://c.example/users/nobox"},
	}
	want := []string{"https://a.example/inbox", "https://b.example/users/ben/inbox"}
	if got := Shares(recipients); !reflect.DeepEqual(got, want) {
		t.Fatalf("Shares = %v, want %v", got, want)
	}
	if got := Shares(nil); len(got) != 0 {
		t.Fatalf("Shares(nil) = %v", got)
	}
}

// TestPlanFor: Create where new, Update where kept, Delete where lost.
func TestPlanFor(t *testing.T) {
	p := planFor([]string{"a", "b", "c"}, []string{"b", "d"})
	want := plan{create: []string{"a", "c"}, update: []string{"b"}, remove: []string{"d"}}
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("planFor = %+v, want %+v", p, want)
	}
}

// TestDeliveryInboxStaysOnTheActorsHost: a shared inbox on the actor's
// own host is used; one on another host is ignored, so that an actor
// document cannot aim the hub's deliveries at a third server.
func TestDeliveryInboxStaysOnTheActorsHost(t *testing.T) {
	for _, c := range []struct {
		shared, want string
	}{
		{"https://social.example/inbox", "https://social.example/inbox"},
		{"https://victim.example/inbox", "https://social.example/users/d/inbox"},
		{"not a url", "https://social.example/users/d/inbox"},
		{"", "https://social.example/users/d/inbox"},
	} {
		remote := &federation.RemoteActor{ID: "https://social.example/users/d", Inbox: "https://social.example/users/d/inbox", SharedInbox: c.shared}
		if got := deliveryInbox(remote); got != c.want {
			t.Errorf("shared inbox %q: deliver to %q, want %q", c.shared, got, c.want)
		}
	}
}

// FuzzDecodeBody: an owner API body never panics the decoder, and never
// changes what the hub sets itself (id, owner, object id, times).
func FuzzDecodeBody(f *testing.F) {
	for _, seed := range []string{
		`{"title":"Bike","price":{"amount":"3","currency":"USD"}}`,
		`{"location":null,"expires_at":null,"tags":["a"]}`,
		`{"id":"x"}`, `{"price":{"amount":3}}`, `[]`, `{"expires_at":"2026-01-02T15:04:05Z"}`,
		`{"data_product":{"sample_rows":-1}}`, `{"title":"a","title":"b"}`, `{"location":{"lat":1e400}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		l := listing.Listing{ID: "fixed", Owner: "https://hub.example/users/a", FederatedAPID: "https://hub.example/listings/fixed"}
		var expires *time.Time
		err := decode(body, &l, &expires)
		if l.ID != "fixed" || l.Owner != "https://hub.example/users/a" || l.FederatedAPID != "https://hub.example/listings/fixed" || !l.Created.IsZero() {
			t.Fatalf("body %q changed what the hub sets (err %v): %+v", body, err, l)
		}
	})
}
