package hub_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/hub"
	"github.com/sovereign-marketplace/market/internal/testhub"
	"github.com/sovereign-marketplace/market/node"
	"github.com/sovereign-marketplace/market/relay"
)

// relayHas reports whether the relay stores the listing with object id.
func relayHas(r *testhub.Relay, id string) bool {
	var ok bool
	_ = r.Store().View(func(t *relay.Txn) error {
		_, err := t.Listing(id)
		ok = err == nil
		return nil
	})
	return ok
}

// relayTitle returns the title the relay stores for id, or "".
func relayTitle(r *testhub.Relay, id string) string {
	var title string
	_ = r.Store().View(func(t *relay.Txn) error {
		if rec, err := t.Listing(id); err == nil {
			title = rec.Listing.Title
		}
		return nil
	})
	return title
}

// searchIDs returns the ids a relay's public search finds for q.
func searchIDs(t *testing.T, r *testhub.Relay, q string) []string {
	t.Helper()
	resp, err := http.Get(r.Config.PublicURL + "/api/v1/search?q=" + url.QueryEscape(q))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Hits []struct{ ID string } }
	json.NewDecoder(resp.Body).Decode(&out)
	var ids []string
	for _, h := range out.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

// marketHas reports whether a hub's marketplace holds the listing id,
// and with which title.
func marketHas(h *testhub.MarketHub, id string) (string, bool) {
	got, _ := h.Marketplace()
	for _, r := range got {
		if r.Listing.FederatedAPID == id {
			return r.Listing.Title, true
		}
	}
	return "", false
}

// counter sums a server's Prometheus counter name over the series whose
// labels include want.
func counter(t *testing.T, r interface{ Node() *node.Node }, name string, want map[string]string) float64 {
	t.Helper()
	mfs, err := r.Node().Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metrics:
		for _, m := range mf.GetMetric() {
			for k, v := range want {
				found := false
				for _, lp := range m.GetLabel() {
					found = found || (lp.GetName() == k && lp.GetValue() == v)
				}
				if !found {
					continue metrics
				}
			}
			sum += m.GetCounter().GetValue()
		}
	}
	return sum
}

// TestHubsAndRelaysEndToEnd runs one relay, one relay specialized to data
// products and three real hubs on loopback. Alice subscribes to both
// relays, bob follows alice, carol follows bob. What each inbox really
// received decides: the relay gets only alice's public listings, the data
// product relay none of her services, bob her public and followers-only
// ones, carol nothing of hers until bob shares (Announces) her public
// listings, and then alice's origin copy, searchable in carol's
// marketplace with bob as shared_by; edits and deletes reach whoever had
// the listing (carol through bob, who announces an edit again and undoes
// his Announce at a delete or a narrowing), a hub that was down once it
// is back; narrowing visibility takes it out of the relay's search; a
// relay that was down gets what was queued for it; a restarted hub keeps
// everything; unsubscribing makes the relay drop alice's listings.
func TestHubsAndRelaysEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts two relays and three hubs")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r := testhub.StartRelay(t, testhub.RelayConfig(t, t.TempDir()), nil)
	dpCfg := testhub.RelayConfig(t, t.TempDir())
	dpCfg.Relay.Specialization.ListingTypes = []string{"data_product"}
	dp := testhub.StartRelay(t, dpCfg, nil)
	aliceCfg := testhub.HubConfig(t, t.TempDir(), "alice")
	alice := testhub.StartMarketHub(t, aliceCfg, nil)
	bobCfg := testhub.HubConfig(t, t.TempDir(), "bob")
	bob := testhub.StartMarketHub(t, bobCfg, nil)
	carolCfg := testhub.HubConfig(t, t.TempDir(), "carol")
	carol := testhub.StartMarketHub(t, carolCfg, nil)
	token := alice.Token(t, hub.ScopeFull)
	bobToken := bob.Token(t, hub.ScopeFull)
	carolToken := carol.Token(t, hub.ScopeReadOnly)

	// Alice subscribes to the relay by its address, and to the data
	// product relay by its URL.
	if _, err := alice.AddRelay(ctx, "acct:relay@"+r.Config.Listen); err != nil {
		t.Fatalf("relays add acct:relay@...: %v", err)
	}
	if _, err := alice.AddRelay(ctx, dp.ActorID()); err != nil {
		t.Fatalf("relays add <url>: %v", err)
	}
	testhub.Eventually(t, "both relays to accept alice and follow her back", func() bool {
		rs, _ := alice.Relays()
		accepted := 0
		for _, x := range rs {
			if x.State == federation.FollowAccepted {
				accepted++
			}
		}
		return accepted == 2 && r.Follows(true)[alice.ActorID()] == federation.FollowAccepted && dp.Follows(true)[alice.ActorID()] == federation.FollowAccepted
	})
	rs, _ := alice.Relays()
	for _, x := range rs {
		if x.Actor == dp.ActorID() && !slices.Equal(typesOf(x.Niche.ListingTypes), []string{"data_product"}) {
			t.Fatalf("relays list: the data product relay advertises %+v", x.Niche)
		}
	}
	if _, err := bob.Follow(ctx, alice.Acct()); err != nil {
		t.Fatal(err)
	}
	if _, err := carol.Follow(ctx, bob.Acct()); err != nil {
		t.Fatal(err)
	}
	testhub.Eventually(t, "bob and carol's follows to be accepted", func() bool {
		return following(bob, alice.ActorID()) == federation.FollowAccepted && following(carol, bob.ActorID()) == federation.FollowAccepted
	})

	// Alice publishes.
	pub := create(t, alice, token, service("Public architecture consulting", "public", "active"))
	fol := create(t, alice, token, service("Followers architecture review", "followers", "active"))
	priv := create(t, alice, token, service("Private architecture notes", "private", "active"))
	draft := create(t, alice, token, service("Draft architecture course", "public", "draft"))
	data := create(t, alice, token, map[string]any{
		"listing_type": "data_product", "title": "Running routes 2023-2025", "status": "active", "tags": []string{"gps"},
		"price":           map[string]string{"amount": "50", "currency": "USD", "price_type": "fixed", "pricing_model": "one_time"},
		"data_product_id": "dp-1", "data_product": map[string]any{"format": "csv", "sample_rows": 2, "sample": "lat,lon\n37.77,-122.42\n"},
	})
	testhub.Eventually(t, "the relays and bob to get what is theirs", func() bool {
		_, bobPub := marketHas(bob, pub.FederatedAPID)
		_, bobFol := marketHas(bob, fol.FederatedAPID)
		_, bobData := marketHas(bob, data.FederatedAPID)
		return relayHas(r, pub.FederatedAPID) && relayHas(r, data.FederatedAPID) && relayHas(dp, data.FederatedAPID) && bobPub && bobFol && bobData
	})
	if relayHas(r, fol.FederatedAPID) || relayHas(dp, pub.FederatedAPID) || relayHas(dp, fol.FederatedAPID) {
		t.Fatal("a relay stores a followers-only listing or one outside its niche")
	}
	for _, l := range []hub.ListingView{priv, draft} {
		if l.FederatedAPID != "" {
			t.Fatalf("a private or draft listing has an object id: %+v", l)
		}
	}
	// By what the inboxes received, not only by what they kept: the relay
	// was sent two Creates, the data product relay one, and nothing fell
	// outside their niches. A relay counts an activity just after it
	// stores its listing.
	testhub.Eventually(t, "the relays to count the Creates they applied", func() bool {
		return counter(t, r, "market_relay_activities_total", map[string]string{"type": "Create"}) >= 2 &&
			counter(t, dp, "market_relay_activities_total", map[string]string{"type": "Create"}) >= 1
	})
	if n := counter(t, r, "market_relay_activities_total", map[string]string{"type": "Create"}); n != 2 {
		t.Errorf("the relay received %v Creates, want 2 (public service and data product)", n)
	}
	if n := counter(t, dp, "market_relay_activities_total", map[string]string{"type": "Create"}); n != 1 {
		t.Errorf("the data product relay received %v Creates, want 1", n)
	}
	for _, x := range []*testhub.Relay{r, dp} {
		if n := counter(t, x, "market_relay_listings_outside_specialization_total", nil); n != 0 {
			t.Errorf("%s was sent %v listings outside its niche", x.ActorID(), n)
		}
	}
	if got, _ := bob.Marketplace(); len(got) != 3 {
		t.Errorf("bob's marketplace holds %d listings, want 3: %+v", len(got), got)
	}
	testhub.Eventually(t, "the relay's search to find only the public service", func() bool {
		return slices.Equal(searchIDs(t, r, "architecture"), []string{pub.FederatedAPID})
	})

	// Carol, who follows bob only, got nothing of alice's: her inbox took
	// no listing activity at all, and her marketplace is empty.
	listingActivities := func() float64 {
		var n float64
		for _, typ := range []string{"Create", "Update", "Delete", "Announce"} {
			n += counter(t, carol, "market_inbox_activities_total", map[string]string{"type": typ})
		}
		return n
	}
	if n := listingActivities(); n != 0 {
		t.Errorf("carol's inbox received %v listing activities before bob shared anything", n)
	}
	if got, _ := carol.Marketplace(); len(got) != 0 {
		t.Errorf("carol's marketplace holds alice's listings: %+v", got)
	}
	if res := marketSearch(t, carol, carolToken, "q=architecture"); res.Total != 0 {
		t.Errorf("carol's marketplace search finds %+v", res.Hits)
	}

	// Bob shares alice's public listing and her data product; bob's
	// followers-only copy cannot be shared.
	for _, l := range []hub.ListingView{pub, data} {
		if status, out := bob.API(t, bobToken, "POST", "/api/v1/owner/announces", map[string]string{"object": l.FederatedAPID}); status != http.StatusCreated {
			t.Fatalf("bob announces %s: %d %s", l.Title, status, out)
		}
	}
	if status, out := bob.API(t, bobToken, "POST", "/api/v1/owner/announces", map[string]string{"object": fol.FederatedAPID}); status != http.StatusNotFound {
		t.Errorf("bob announces a followers-only listing: %d %s, want 404 (its origin does not serve it)", status, out)
	}
	// Carol has them from alice's origin, with bob as shared_by, and finds
	// them in her marketplace search.
	testhub.Eventually(t, "carol to have the shared listings from alice's origin", func() bool {
		p, okp := marketRecord(carol, pub.FederatedAPID)
		d, okd := marketRecord(carol, data.FederatedAPID)
		return okp && okd && p.Listing.Owner == alice.ActorID() && p.Listing.Title == pub.Title &&
			slices.Equal(p.SharedBy, []string{bob.ActorID()}) && slices.Equal(d.SharedBy, []string{bob.ActorID()})
	})
	testhub.Eventually(t, "carol's marketplace search to find the shared listing with shared_by bob", func() bool {
		hit, ok := marketHit(t, carol, carolToken, "architecture", pub.FederatedAPID)
		return ok && hit.Seller.ID == alice.ActorID() && slices.Equal(hit.SharedBy, []string{bob.ActorID()})
	})
	if got, _ := carol.Marketplace(); len(got) != 2 {
		t.Errorf("carol's marketplace holds %d listings, want the 2 bob shared: %+v", len(got), got)
	}
	if n := counter(t, carol, "market_inbox_activities_total", map[string]string{"type": "Create"}); n != 0 {
		t.Errorf("carol's inbox received %v Creates; she follows bob only", n)
	}

	// Carol restarts: the shared listings and their search are still there.
	carol.Stop()
	carol = testhub.StartMarketHub(t, carolCfg, nil)
	if hit, ok := marketHit(t, carol, carolToken, "architecture", pub.FederatedAPID); !ok || !slices.Equal(hit.SharedBy, []string{bob.ActorID()}) {
		t.Fatalf("after a restart carol's search finds %+v %v", hit, ok)
	}

	// An edit reaches everyone who had it, and carol through bob: bob's
	// hub announces it again and carol fetches alice's copy.
	if status, out := alice.API(t, token, "PATCH", "/api/v1/owner/listings/"+pub.ID, map[string]any{"title": "Public architecture consulting, 2 hours"}); status != 200 {
		t.Fatalf("edit: %d %s", status, out)
	}
	testhub.Eventually(t, "the edit to reach the relay, bob and carol", func() bool {
		title, _ := marketHas(bob, pub.FederatedAPID)
		carolTitle, _ := marketHas(carol, pub.FederatedAPID)
		return relayTitle(r, pub.FederatedAPID) == "Public architecture consulting, 2 hours" && title == relayTitle(r, pub.FederatedAPID) && carolTitle == title
	})
	testhub.Eventually(t, "carol's search to find the new title", func() bool {
		hit, ok := marketHit(t, carol, carolToken, "hours", pub.FederatedAPID)
		return ok && hit.Title == "Public architecture consulting, 2 hours"
	})

	// A relay that is down gets what was queued for it once it is back.
	r.Stop()
	late := create(t, alice, token, service("Late architecture workshop", "public", "active"))
	r = testhub.StartRelay(t, r.Config, nil)
	testhub.Eventually(t, "the queued Create to reach the restarted relay", func() bool { return relayHas(r, late.FederatedAPID) })

	// Narrowing to followers takes it out of the relay's search; bob keeps it.
	if status, out := alice.API(t, token, "PATCH", "/api/v1/owner/listings/"+pub.ID, map[string]any{"visibility": "followers"}); status != 200 {
		t.Fatalf("narrow: %d %s", status, out)
	}
	testhub.Eventually(t, "the relay to drop the narrowed listing from store and search", func() bool {
		return !relayHas(r, pub.FederatedAPID) && !slices.Contains(searchIDs(t, r, "architecture"), pub.FederatedAPID)
	})
	if _, ok := marketHas(bob, pub.FederatedAPID); !ok {
		t.Error("bob lost the listing narrowed to followers")
	}
	// Carol had it only through bob: bob's hub undoes its Announce.
	testhub.Eventually(t, "carol to drop the narrowed listing from store and search", func() bool {
		_, has := marketHas(carol, pub.FederatedAPID)
		_, found := marketHit(t, carol, carolToken, "architecture", pub.FederatedAPID)
		return !has && !found
	})

	// A delete reaches everyone who had it, bob once he is back up.
	bob.Stop()
	if status, out := alice.API(t, token, "DELETE", "/api/v1/owner/listings/"+data.ID, nil); status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", status, out)
	}
	bob = testhub.StartMarketHub(t, bobCfg, nil)
	testhub.Eventually(t, "the delete to reach both relays, bob, and carol through bob", func() bool {
		_, bobHas := marketHas(bob, data.FederatedAPID)
		_, carolHas := marketHas(carol, data.FederatedAPID)
		return !relayHas(r, data.FederatedAPID) && !relayHas(dp, data.FederatedAPID) && !bobHas && !carolHas
	})
	testhub.Eventually(t, "carol's search to drop the deleted data product", func() bool {
		return marketSearch(t, carol, carolToken, "type=data_product").Total == 0
	})

	// Alice restarts: her listings, tokens and relays are all there.
	alice.Stop()
	alice = testhub.StartMarketHub(t, aliceCfg, nil)
	if ls := listingsOf(t, alice, token); len(ls) != 5 {
		t.Fatalf("after a restart alice has %d listings, want 5", len(ls))
	}
	if rs, _ := alice.Relays(); len(rs) != 2 {
		t.Fatalf("after a restart alice has %d relays", len(rs))
	}

	// Unsubscribing: the relay drops alice's listings.
	if _, err := alice.RemoveRelay(ctx, r.ActorID()); err != nil {
		t.Fatal(err)
	}
	testhub.Eventually(t, "the relay to drop alice's listings", func() bool {
		return !relayHas(r, late.FederatedAPID) && r.Follows(false)[alice.ActorID()] == ""
	})
	after := create(t, alice, token, service("After unsubscribing", "public", "active"))
	testhub.Eventually(t, "bob to get the new listing", func() bool { _, ok := marketHas(bob, after.FederatedAPID); return ok })
	rec, err := alice.Listing(after.ID)
	if err != nil || slices.Contains(rec.Delivered, r.Inbox()) {
		t.Fatalf("after unsubscribing, the relay is still in the audience: %v %v", rec.Delivered, err)
	}
	if relayHas(r, after.FederatedAPID) {
		t.Fatal("the relay got a listing after alice unsubscribed")
	}
}

func typesOf[T ~string](ts []T) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t)
	}
	return out
}
