package hub_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/hub"
	"github.com/sovereign-marketplace/market/internal/testhub"
)

// follower starts a signed test hub that follows h and waits until h
// accepted it.
func follower(t *testing.T, h *testhub.MarketHub, name string) *testhub.Hub {
	t.Helper()
	f := testhub.StartHub(t, testhub.Options{Name: name})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	status, body, err := f.Send(ctx, h.ActorID()+"/inbox", f.Activity("Follow", h.ActorID()))
	if err != nil || status != http.StatusAccepted {
		t.Fatalf("Follow of %s: %d %s %v", h.ActorID(), status, body, err)
	}
	testhub.Eventually(t, name+" to get an Accept", func() bool {
		for _, a := range f.Received() {
			if a.Type == "Accept" {
				return true
			}
		}
		return false
	})
	return f
}

// received returns the activities of type typ f received about object.
func received(f *testhub.Hub, typ, object string) []*federation.Activity {
	var out []*federation.Activity
	for _, a := range f.Received() {
		if a.Type == typ && a.ObjectID == object {
			out = append(out, a)
		}
	}
	return out
}

// TestInvalidListingNamesTheField: each wrong member is a 400 naming it,
// and nothing is stored or sent.
func TestInvalidListingNamesTheField(t *testing.T) {
	h := startHub(t, "alice")
	token := h.Token(t, hub.ScopeFull)
	bob := follower(t, h, "bob")
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	for _, c := range []struct {
		name  string
		edit  func(b map[string]any)
		field string
	}{
		{"no title", func(b map[string]any) { b["title"] = "" }, "title"},
		{"unknown type", func(b map[string]any) { b["listing_type"] = "weapon" }, "listing_type"},
		{"float price", func(b map[string]any) { b["price"] = map[string]any{"amount": 12.5} }, "price.amount"},
		{"bad amount", func(b map[string]any) {
			b["price"] = map[string]any{"amount": "12.5.0", "currency": "USD", "price_type": "fixed", "pricing_model": "one_time"}
		}, "price.amount"},
		{"bad currency", func(b map[string]any) {
			b["price"] = map[string]any{"amount": "1", "currency": "dollars", "price_type": "fixed", "pricing_model": "one_time"}
		}, "price.currency"},
		{"bad visibility", func(b map[string]any) { b["visibility"] = "everyone" }, "visibility"},
		{"bad region", func(b map[string]any) { b["region"] = "California" }, "region"},
		{"latitude off the map", func(b map[string]any) { b["location"] = map[string]any{"lat": 91, "lon": 0} }, "location.lat"},
		{"new listing sold", func(b map[string]any) { b["status"] = "sold" }, "status"},
		{"expiry in the past", func(b map[string]any) { b["expires_at"] = past }, "expires_at"},
		{"expiry not a time", func(b map[string]any) { b["expires_at"] = "tomorrow" }, "expires_at"},
		{"owner set by the client", func(b map[string]any) { b["owner"] = "https://evil.example/users/x" }, "owner"},
		{"federated id set by the client", func(b map[string]any) { b["federated_ap_id"] = "https://evil.example/x" }, "federated_ap_id"},
		{"unknown member", func(b map[string]any) { b["price_amount"] = "3" }, "price_amount"},
		{"title with a control character", func(b map[string]any) { b["title"] = "a\u0007b" }, "title"},
		{"too many tags", func(b map[string]any) { b["tags"] = strings.Split(strings.Repeat("t,", 31)+"t", ",") }, "tags"},
		{"data product id on a service", func(b map[string]any) { b["data_product_id"] = "dp-1" }, "data_product_id"},
	} {
		b := service("Consulting", "public", "active")
		c.edit(b)
		status, out := h.API(t, token, "POST", "/api/v1/owner/listings", b)
		var e struct {
			Reason string
			Fields []struct{ Field, Problem string }
		}
		json.Unmarshal(out, &e)
		named := false
		for _, f := range e.Fields {
			named = named || f.Field == c.field
		}
		if status != http.StatusBadRequest || e.Reason != "invalid_listing" || !named {
			t.Errorf("%s: %d %s, want 400 naming %s", c.name, status, out, c.field)
		}
	}
	for name, body := range map[string]string{"not JSON": "{", "an array": "[]", "null": "null"} {
		if status, out := h.API(t, token, "POST", "/api/v1/owner/listings", body); status != http.StatusBadRequest {
			t.Errorf("%s: %d %s", name, status, out)
		}
	}
	big := service("Big", "public", "active")
	big["description"] = strings.Repeat("x", hub.MaxBody)
	if status, _ := h.API(t, token, "POST", "/api/v1/owner/listings", big); status != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over the limit: %d, want 413", status)
	}
	if ls := listingsOf(t, h, token); len(ls) != 0 {
		t.Fatalf("refused listings were stored: %+v", ls)
	}
	// A valid one goes out; nothing before it did.
	l := create(t, h, token, service("Consulting", "public", "active"))
	testhub.Eventually(t, "bob to get the valid listing", func() bool { return len(received(bob, "Create", l.FederatedAPID)) == 1 })
	for _, a := range bob.Received() {
		if a.Type == "Create" && a.ObjectID != l.FederatedAPID {
			t.Fatalf("bob got a refused listing: %s", a.Raw)
		}
	}
}

// TestStatusRules: draft → active ↔ paused → sold or expired; sold and
// expired are final; a listing past expires_at expires by itself and
// whoever had it learns so by an Update.
func TestStatusRules(t *testing.T) {
	h := startHub(t, "alice")
	token := h.Token(t, hub.ScopeFull)
	bob := follower(t, h, "bob")
	patch := func(id string, body map[string]any) (int, hub.ListingView) {
		t.Helper()
		status, out := h.API(t, token, "PATCH", "/api/v1/owner/listings/"+id, body)
		var v hub.ListingView
		json.Unmarshal(out, &v)
		return status, v
	}
	l := create(t, h, token, service("Consulting", "public", "draft"))
	if l.FederatedAPID != "" || l.DeliveredTo != 0 {
		t.Fatalf("a draft was published: %+v", l)
	}
	for _, c := range []struct {
		to   string
		want int
	}{{"paused", 400}, {"sold", 400}, {"active", 200}, {"draft", 400}, {"paused", 200}, {"active", 200}, {"sold", 200}, {"active", 409}, {"expired", 409}} {
		if status, v := patch(l.ID, map[string]any{"status": c.to}); status != c.want {
			t.Fatalf("to %s: %d (%+v), want %d", c.to, status, v, c.want)
		}
	}
	if status, out := h.API(t, token, "PATCH", "/api/v1/owner/listings/"+l.ID, map[string]any{"title": "Still for sale?"}); status != http.StatusConflict {
		t.Fatalf("editing a sold listing: %d %s", status, out)
	}
	got, _ := h.Listing(l.ID)
	if got.Listing.FederatedAPID == "" || got.Listing.URL != got.Listing.FederatedAPID {
		t.Fatalf("an active listing has no federated_ap_id: %+v", got.Listing)
	}
	testhub.Eventually(t, "bob to learn it was sold", func() bool {
		for _, a := range received(bob, "Update", got.Listing.FederatedAPID) {
			if strings.Contains(string(a.Object), `"status":"sold"`) {
				return true
			}
		}
		return false
	})

	// Expiry: set a date a moment ahead, then the job expires it.
	e := create(t, h, token, service("Tutoring", "public", "active"))
	soon := time.Now().Add(1500 * time.Millisecond).UTC().Format(time.RFC3339Nano)
	if status, v := patch(e.ID, map[string]any{"expires_at": soon}); status != 200 || v.ExpiresAt == nil {
		t.Fatalf("set expires_at: %d %+v", status, v)
	}
	testhub.Eventually(t, "the listing to expire and bob to hear of it", func() bool {
		r, err := h.Listing(e.ID)
		if err != nil || r.Listing.Status != "expired" {
			return false
		}
		for _, a := range received(bob, "Update", r.Listing.FederatedAPID) {
			if strings.Contains(string(a.Object), `"status":"expired"`) {
				return true
			}
		}
		return false
	})
}
