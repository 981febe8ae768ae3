package hub_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/hub"
	"github.com/sovereign-marketplace/market/internal/testhub"
	"github.com/sovereign-marketplace/market/listing"
	"github.com/sovereign-marketplace/market/searchapi"
)

// marketSearch searches a hub's marketplace through its owner API.
func marketSearch(t *testing.T, h *testhub.MarketHub, token, query string) searchapi.Response {
	t.Helper()
	status, body := h.API(t, token, "GET", "/api/v1/marketplace/search?"+query, nil)
	if status != http.StatusOK {
		t.Fatalf("marketplace search %s: %d %s", query, status, body)
	}
	var out searchapi.Response
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// marketHit returns the hit for id in a marketplace search for q, if any.
func marketHit(t *testing.T, h *testhub.MarketHub, token, q, id string) (searchapi.Hit, bool) {
	t.Helper()
	for _, hit := range marketSearch(t, h, token, "q="+url.QueryEscape(q)).Hits {
		if hit.ID == id {
			return hit, true
		}
	}
	return searchapi.Hit{}, false
}

// marketRecord returns the marketplace's record of id, if any.
func marketRecord(h *testhub.MarketHub, id string) (*hub.Received, bool) {
	got, _ := h.Marketplace()
	for _, r := range got {
		if r.Listing.FederatedAPID == id {
			return r, true
		}
	}
	return nil, false
}

// follow makes h follow the test hub f and waits for the Accept.
func follow(t *testing.T, h *testhub.MarketHub, f *testhub.Hub) {
	t.Helper()
	if _, err := h.Follow(context.Background(), f.ActorID); err != nil {
		t.Fatal(err)
	}
	testhub.Eventually(t, h.ActorID()+"'s follow of "+f.ActorID+" to be accepted", func() bool {
		return following(h, f.ActorID) == federation.FollowAccepted
	})
}

// serveListing makes the test hub f serve l at its id, as its origin.
func serveListing(t *testing.T, f *testhub.Hub, l *listing.Listing) {
	t.Helper()
	obj, err := listing.Encode(l)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Serve(l.FederatedAPID, obj); err != nil {
		t.Fatal(err)
	}
}

// marketWithListing starts carol's hub on cfg, following a test hub
// alice who delivers one listing to her, and waits until carol's
// marketplace search finds it; it returns a read-only token of carol's.
func marketWithListing(t *testing.T, cfg config.Config) (carol *testhub.MarketHub, token string, alice *testhub.Hub, l *listing.Listing) {
	t.Helper()
	carol = testhub.StartMarketHub(t, cfg, nil)
	token = carol.Token(t, hub.ScopeReadOnly)
	alice = testhub.StartHub(t, testhub.Options{Name: "alice"})
	follow(t, carol, alice)
	l = alice.Listing("Oak dining table")
	create, _ := alice.ListingActivity("Create", l)
	if status, body := send(t, alice, carol.ActorID()+"/inbox", create); status != http.StatusAccepted {
		t.Fatalf("alice's Create: %d %s", status, body)
	}
	testhub.Eventually(t, "alice's listing to be searchable", func() bool { _, ok := marketHit(t, carol, token, "oak", l.FederatedAPID); return ok })
	return carol, token, alice, l
}

// TestMarketplaceTakesAnnounces: a listing a followed hub shares is
// fetched from its origin and kept, searchable, with who shared it; what
// an unfollowed actor shares is refused before anything is fetched; an
// origin serving another id, a listing on the sharer's host attributed to
// someone else and a followers-only listing are refused and change
// nothing; a new Announce refreshes the copy from the origin; only the
// sharer's Undo takes it back, and an origin that no longer has it takes
// the copy away.
func TestMarketplaceTakesAnnounces(t *testing.T) {
	carol := startHub(t, "carol")
	token := carol.Token(t, hub.ScopeReadOnly)
	inbox := carol.ActorID() + "/inbox"
	bob := testhub.StartHub(t, testhub.Options{Name: "bob"})
	alice := testhub.StartHub(t, testhub.Options{Name: "alice", Host: "localhost"})
	mallory := testhub.StartHub(t, testhub.Options{Name: "mallory"})
	follow(t, carol, bob)

	kayak := alice.Listing("Sea kayak for two")
	serveListing(t, alice, kayak)
	id := kayak.FederatedAPID

	// Someone carol does not follow shares it: refused, nothing fetched.
	if status, body := send(t, mallory, inbox, mallory.Activity("Announce", id)); status != http.StatusForbidden {
		t.Fatalf("an Announce from an actor carol does not follow: %d %s, want 403", status, body)
	}
	if n := alice.Fetches(id); n != 0 {
		t.Fatalf("carol's hub fetched the listing %d times for an actor it does not follow", n)
	}

	announce := bob.Activity("Announce", id)
	if status, body := send(t, bob, inbox, announce); status != http.StatusAccepted {
		t.Fatalf("bob's Announce: %d %s", status, body)
	}
	r, ok := marketRecord(carol, id)
	if !ok || r.Listing.Owner != alice.ActorID || r.Listing.Title != kayak.Title || r.From != bob.ActorID || !slices.Equal(r.SharedBy, []string{bob.ActorID}) {
		t.Fatalf("carol's marketplace after bob's Announce: %+v", r)
	}
	if alice.Fetches(id) != 1 {
		t.Fatalf("the listing was fetched from its origin %d times, want 1", alice.Fetches(id))
	}
	testhub.Eventually(t, "the shared listing to be searchable with bob as shared_by", func() bool {
		hit, ok := marketHit(t, carol, token, "kayak", id)
		return ok && slices.Equal(hit.SharedBy, []string{bob.ActorID}) && hit.Seller.ID == alice.ActorID
	})
	if status, body := carol.API(t, "", "GET", "/api/v1/marketplace/search?q=kayak", nil); status != http.StatusUnauthorized {
		t.Fatalf("marketplace search without a token: %d %s, want 401", status, body)
	}
	// The same Announce again is applied once: no second fetch.
	if status, _ := send(t, bob, inbox, announce); status != http.StatusAccepted || alice.Fetches(id) != 1 {
		t.Fatalf("a repeated Announce: %d, %d fetches", status, alice.Fetches(id))
	}

	// Attacks: each refused, nothing stored, the kept copy untouched.
	impostor := bob.Listing("Sea kayak for two, cheap")
	impostor.ID = alice.URL + "/listings/impostor"
	impostor.FederatedAPID = impostor.ID
	other := alice.Listing("Another kayak")
	obj, _ := listing.Encode(other)
	alice.Serve(impostor.ID, obj) // the origin serves a document with another id
	forged := bob.Listing("Forged kayak")
	forged.Owner = alice.ActorID // on bob's host, attributed to alice
	serveListing(t, bob, forged)
	private := alice.Listing("Followers-only kayak")
	private.Visibility = listing.VisibilityFollowers
	serveListing(t, alice, private)
	for name, object := range map[string]string{"another id at the origin": impostor.ID, "a forged owner": forged.FederatedAPID, "a followers-only listing": private.FederatedAPID} {
		if status, body := send(t, bob, inbox, bob.Activity("Announce", object)); status != http.StatusForbidden {
			t.Errorf("an Announce of %s: %d %s, want 403", name, status, body)
		}
	}
	if got, _ := carol.Marketplace(); len(got) != 1 || got[0].Listing.Title != kayak.Title {
		t.Fatalf("refused Announces changed the marketplace: %+v", got)
	}
	// Mallory cannot delete alice's listing nor undo bob's Announce.
	if status, _ := send(t, mallory, inbox, mallory.Activity("Delete", id)); status != http.StatusForbidden {
		t.Errorf("mallory's Delete of alice's listing: %d, want 403", status)
	}
	var bobsAnnounce map[string]any
	json.Unmarshal(announce, &bobsAnnounce)
	if status, _ := send(t, mallory, inbox, mallory.Activity("Undo", bobsAnnounce)); status != http.StatusForbidden {
		t.Errorf("mallory's Undo of bob's Announce: %d, want 403", status)
	}
	if _, ok := marketRecord(carol, id); !ok {
		t.Fatal("someone else's Delete or Undo took the shared listing away")
	}

	// Alice changes it; bob's next Announce brings the origin's copy.
	kayak.Title = "Sea kayak for two, with paddles"
	kayak.Updated = kayak.Updated.Add(time.Hour)
	serveListing(t, alice, kayak)
	if status, body := send(t, bob, inbox, bob.Activity("Announce", id)); status != http.StatusAccepted {
		t.Fatalf("bob's second Announce: %d %s", status, body)
	}
	if r, _ := marketRecord(carol, id); r == nil || r.Listing.Title != kayak.Title {
		t.Fatalf("after a new Announce the copy is %+v, want the origin's title", r)
	}
	testhub.Eventually(t, "the search to find the new title only", func() bool {
		hit, ok := marketHit(t, carol, token, "paddles", id)
		return ok && hit.Title == kayak.Title
	})

	// Bob takes it back: it leaves the marketplace and its search.
	if status, body := send(t, bob, inbox, bob.Activity("Undo", bobsAnnounce)); status != http.StatusAccepted {
		t.Fatalf("bob's Undo: %d %s", status, body)
	}
	if _, ok := marketRecord(carol, id); ok {
		t.Fatal("the listing stayed after its only sharer's Undo")
	}
	testhub.Eventually(t, "the search to drop it", func() bool { _, ok := marketHit(t, carol, token, "kayak", id); return !ok })

	// Shared again, then deleted at the origin: the next Announce drops it.
	send(t, bob, inbox, bob.Activity("Announce", id))
	if _, ok := marketRecord(carol, id); !ok {
		t.Fatal("shared again, the listing is not kept")
	}
	alice.SetStatus(id, http.StatusGone)
	if status, body := send(t, bob, inbox, bob.Activity("Announce", id)); status != http.StatusAccepted {
		t.Fatalf("an Announce of a listing its origin deleted: %d %s", status, body)
	}
	if _, ok := marketRecord(carol, id); ok {
		t.Fatal("a listing its origin deleted stayed in the marketplace")
	}
	testhub.Eventually(t, "the search to drop the deleted listing", func() bool { _, ok := marketHit(t, carol, token, "kayak", id); return !ok })

	// Served again and shared again, then carol unfollows bob: what only
	// bob shared leaves with him.
	alice.SetStatus(id, 0)
	send(t, bob, inbox, bob.Activity("Announce", id))
	if _, ok := marketRecord(carol, id); !ok {
		t.Fatal("shared a third time, the listing is not kept")
	}
	if _, err := carol.Unfollow(context.Background(), bob.ActorID); err != nil {
		t.Fatal(err)
	}
	if got, _ := carol.Marketplace(); len(got) != 0 {
		t.Fatalf("after unfollowing bob carol keeps %+v", got)
	}
	testhub.Eventually(t, "the search to drop what bob shared", func() bool { return marketSearch(t, carol, token, "").Total == 0 })
}

// TestMarketplaceOwnerOnly: on the marketplace, as on a relay, only a
// listing's owner may change it. Another actor on the owner's own host
// (past the inbox's origin rule) can neither replace the listing under
// its id nor delete it, and a listing attributed to someone other than
// its sender is refused; the index is left as the store is. When the
// owner follows the listing's owner, a copy someone shared is the same
// copy, and the listing's owner's Update and Delete reach it directly; a
// sharer's Announce of a listing its origin does not serve removes
// nothing its owner delivered.
func TestMarketplaceOwnerOnly(t *testing.T) {
	carol, token, alice, l := marketWithListing(t, testhub.HubConfig(t, t.TempDir(), "carol"))

	// Mallory lives on alice's host, and carol follows her too.
	mallory := alice.URL + "/users/mallory"
	err := carol.Node().DB.Update(func(tx *bbolt.Tx) error {
		return federation.FollowsIn(tx).PutFollowing(&federation.Follow{Actor: mallory, Inbox: mallory + "/inbox", State: federation.FollowAccepted, Since: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	activity := func(typ, actor string, object any) *federation.Activity {
		a := map[string]any{"id": actor + "/activities/" + typ + "-" + time.Now().Format("150405.000000000"), "type": typ, "actor": actor, "object": object}
		raw, _ := json.Marshal(a)
		parsed, err := federation.ParseActivity(raw)
		if err != nil {
			t.Fatal(err)
		}
		return parsed
	}
	theirs := *l
	theirs.Owner, theirs.Title = mallory, "Walnut dining table, cheap"
	obj, _ := listing.Encode(&theirs)
	ctx := context.Background()
	for name, a := range map[string]*federation.Activity{
		"an Update of alice's listing by mallory": activity("Update", mallory, json.RawMessage(obj)),
		"a Create of alice's listing by mallory":  activity("Create", mallory, json.RawMessage(obj)),
		"a listing of mallory's sent by alice":    activity("Update", alice.ActorID, json.RawMessage(obj)),
	} {
		if err := carol.HandleActivity(ctx, a); !errors.Is(err, federation.ErrForbidden) {
			t.Errorf("%s: %v, want ErrForbidden", name, err)
		}
	}
	if err := carol.HandleActivity(ctx, activity("Delete", mallory, l.FederatedAPID)); err != nil {
		t.Errorf("mallory's Delete (of nothing of hers): %v", err)
	}
	got, _ := carol.Marketplace()
	if len(got) != 1 || got[0].Listing.Owner != alice.ActorID || got[0].Listing.Title != l.Title {
		t.Fatalf("after mallory's attempts the marketplace holds %+v", got)
	}
	if err := carol.FlushMarket(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := marketHit(t, carol, token, "oak", l.FederatedAPID); !ok {
		t.Error("mallory's Delete took alice's listing out of the search")
	}
	if _, ok := marketHit(t, carol, token, "walnut", l.FederatedAPID); ok {
		t.Error("mallory's copy is searchable")
	}

	// Bob, whom carol follows too, shares alice's listing: one copy, with
	// bob as shared_by, that alice's own Update changes directly.
	bob := testhub.StartHub(t, testhub.Options{Name: "bob", Host: "localhost"})
	follow(t, carol, bob)
	if status, body := send(t, bob, carol.ActorID()+"/inbox", bob.Activity("Announce", l.FederatedAPID)); status != http.StatusAccepted {
		t.Fatalf("bob's Announce: %d %s", status, body)
	}
	if r, ok := marketRecord(carol, l.FederatedAPID); !ok || !slices.Equal(r.SharedBy, []string{bob.ActorID}) {
		t.Fatalf("after bob's Announce carol holds %+v", r)
	}
	l.Title = "Oak dining table, six chairs"
	update, _ := alice.ListingActivity("Update", l)
	if status, body := send(t, alice, carol.ActorID()+"/inbox", update); status != http.StatusAccepted {
		t.Fatalf("alice's Update: %d %s", status, body)
	}
	if r, _ := marketRecord(carol, l.FederatedAPID); r == nil || r.Listing.Title != l.Title || !slices.Equal(r.SharedBy, []string{bob.ActorID}) {
		t.Fatalf("after alice's Update carol holds %+v", r)
	}
	// Alice announcing her own listing does not make her a sharer of it.
	send(t, alice, carol.ActorID()+"/inbox", alice.Activity("Announce", l.FederatedAPID))
	if r, _ := marketRecord(carol, l.FederatedAPID); r == nil || !slices.Equal(r.SharedBy, []string{bob.ActorID}) {
		t.Fatalf("after alice's own Announce carol holds %+v", r)
	}
	// A followers-only listing alice delivers: bob's Announce of it (its
	// origin does not serve it) neither takes it nor removes it.
	fl := alice.Listing("Oak bench, followers only")
	fl.Visibility = listing.VisibilityFollowers
	fcreate, _ := alice.ListingActivity("Create", fl)
	send(t, alice, carol.ActorID()+"/inbox", fcreate)
	alice.SetStatus(fl.FederatedAPID, http.StatusNotFound)
	if status, body := send(t, bob, carol.ActorID()+"/inbox", bob.Activity("Announce", fl.FederatedAPID)); status != http.StatusAccepted {
		t.Fatalf("bob's Announce of a listing its origin does not serve: %d %s", status, body)
	}
	if r, ok := marketRecord(carol, fl.FederatedAPID); !ok || len(r.SharedBy) != 0 {
		t.Fatalf("bob's Announce of alice's followers-only listing left carol with %+v", r)
	}
	// Carol blocks bob: he is no longer a sharer; alice's listing stays.
	if _, err := carol.Block(bob.ActorID, "test"); err != nil {
		t.Fatal(err)
	}
	if r, ok := marketRecord(carol, l.FederatedAPID); !ok || len(r.SharedBy) != 0 {
		t.Fatalf("after blocking bob carol holds %+v", r)
	}
	// Alice's own Deletes work, shared or not.
	for _, id := range []string{l.FederatedAPID, fl.FederatedAPID} {
		if status, _ := send(t, alice, carol.ActorID()+"/inbox", alice.Activity("Delete", id)); status != http.StatusAccepted {
			t.Fatalf("alice's Delete: %d", status)
		}
	}
	testhub.Eventually(t, "alice's Deletes to empty the marketplace and its search", func() bool {
		got, _ := carol.Marketplace()
		_, ok := marketHit(t, carol, token, "oak", l.FederatedAPID)
		return len(got) == 0 && !ok
	})
}

// TestAnnounceToFollowers: the owner shares a listing; each follower's
// inbox that is not a relay's gets an Announce of its object id, through
// the queue; the listing's owner's Update makes the hub announce it again
// and its Delete makes it send an Undo, while the same from anyone else
// passes nothing on.
func TestAnnounceToFollowers(t *testing.T) {
	bob := startHub(t, "bob")
	full := bob.Token(t, hub.ScopeFull)
	alice := testhub.StartHub(t, testhub.Options{Name: "alice"})
	follow(t, bob, alice)
	carol := follower(t, bob, "carol")
	l := alice.Listing("Vintage road bicycle")
	serveListing(t, alice, l)

	status, out := bob.API(t, full, "POST", "/api/v1/owner/announces", map[string]string{"object": l.FederatedAPID})
	if status != http.StatusCreated {
		t.Fatalf("announce: %d %s", status, out)
	}
	var res hub.AnnounceResult
	json.Unmarshal(out, &res)
	if res.DeliveredTo != 1 || res.Owner != alice.ActorID || res.Object != l.FederatedAPID || !strings.HasPrefix(res.Activity, bob.Config.PublicURL+"/activities/") {
		t.Fatalf("announce answered %+v", res)
	}
	testhub.Eventually(t, "carol to get the Announce", func() bool { return len(received(carol, "Announce", l.FederatedAPID)) == 1 })
	a := received(carol, "Announce", l.FederatedAPID)[0]
	if a.Actor != bob.ActorID() || a.ID != res.Activity {
		t.Fatalf("carol got %s", a.Raw)
	}
	if to, cc := addressing(t, a); !slices.Contains(to, listing.Public) || !slices.Contains(cc, alice.ActorID) {
		t.Errorf("the Announce is addressed to %v cc %v", to, cc)
	}

	// Mallory on alice's host: her Update and Delete of alice's listing
	// pass nothing on.
	mallory := alice.URL + "/users/mallory"
	bob.Node().DB.Update(func(tx *bbolt.Tx) error {
		return federation.FollowsIn(tx).PutFollowing(&federation.Follow{Actor: mallory, State: federation.FollowAccepted, Since: time.Now()})
	})
	del, _ := federation.ParseActivity([]byte(`{"id":"` + mallory + `/d1","type":"Delete","actor":"` + mallory + `","object":"` + l.FederatedAPID + `"}`))
	if err := bob.HandleActivity(context.Background(), del); err != nil {
		t.Fatal(err)
	}

	// Alice's Update: announced again.
	l.Title = "Vintage road bicycle, new tyres"
	update, _ := alice.ListingActivity("Update", l)
	if status, body := send(t, alice, bob.ActorID()+"/inbox", update); status != http.StatusAccepted {
		t.Fatalf("alice's Update: %d %s", status, body)
	}
	testhub.Eventually(t, "carol to get a second Announce", func() bool { return len(received(carol, "Announce", l.FederatedAPID)) == 2 })
	// Alice's Delete: the Announce is undone.
	if status, body := send(t, alice, bob.ActorID()+"/inbox", alice.Activity("Delete", l.FederatedAPID)); status != http.StatusAccepted {
		t.Fatalf("alice's Delete: %d %s", status, body)
	}
	testhub.Eventually(t, "carol to get an Undo of the Announce", func() bool {
		for _, a := range carol.Received() {
			var undo struct{ Object struct{ Type, Object string } }
			if a.Type == "Undo" && json.Unmarshal(a.Raw, &undo) == nil && undo.Object.Type == "Announce" && undo.Object.Object == l.FederatedAPID {
				return true
			}
		}
		return false
	})
	for _, a := range carol.Received() {
		if a.Type == "Undo" || a.Type == "Announce" {
			continue
		}
		if a.Type != "Accept" {
			t.Errorf("carol got a %s: %s", a.Type, a.Raw)
		}
	}
	if err := bob.Node().Queue.DeliverDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(received(carol, "Announce", l.FederatedAPID)); n != 2 {
		t.Errorf("carol got %d Announces, want 2 (mallory's Delete passed on?)", n)
	}
}

// TestMarketIndexRebuilt: a hub whose marketplace index is gone rebuilds
// it from its store at start, and searches find what they found before.
func TestMarketIndexRebuilt(t *testing.T) {
	cfg := testhub.HubConfig(t, t.TempDir(), "carol")
	carol, token, _, l := marketWithListing(t, cfg)
	carol.Stop()
	if err := os.RemoveAll(filepath.Join(cfg.DataDir, "index")); err != nil {
		t.Fatal(err)
	}
	carol = testhub.StartMarketHub(t, cfg, nil)
	testhub.Eventually(t, "the rebuilt index to find the listing", func() bool {
		hit, ok := marketHit(t, carol, token, "oak", l.FederatedAPID)
		return ok && hit.Seller.Name == "Alice"
	})
}
