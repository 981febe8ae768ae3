package hub_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/hub"
	"github.com/sovereign-marketplace/market/internal/testhub"
	"github.com/sovereign-marketplace/market/listing"
)

// addressing reads an activity's to and cc.
func addressing(t *testing.T, a *federation.Activity) (to, cc []string) {
	t.Helper()
	var m struct{ To, Cc []string }
	if err := json.Unmarshal(a.Raw, &m); err != nil {
		t.Fatal(err)
	}
	return m.To, m.Cc
}

// TestPublishingByVisibility: a follower gets a public listing addressed
// to everyone and a followers-only one addressed to the followers, each
// as a Create it can read back with listing.Decode; private and draft
// listings never leave; an edit is an Update; narrowing to private and
// deleting send a Delete with a Tombstone.
func TestPublishingByVisibility(t *testing.T) {
	h := startHub(t, "alice")
	token := h.Token(t, hub.ScopeFull)
	bob := follower(t, h, "bob")
	pub := create(t, h, token, service("Public consulting", "public", "active"))
	fol := create(t, h, token, service("Followers consulting", "followers", "active"))
	priv := create(t, h, token, service("Private consulting", "private", "active"))
	draft := create(t, h, token, service("Draft consulting", "public", "draft"))
	if priv.FederatedAPID != "" || draft.FederatedAPID != "" || priv.DeliveredTo != 0 || draft.DeliveredTo != 0 {
		t.Fatalf("private or draft listing published: %+v %+v", priv, draft)
	}
	testhub.Eventually(t, "bob to get the public and the followers-only listing", func() bool {
		return len(received(bob, "Create", pub.FederatedAPID)) == 1 && len(received(bob, "Create", fol.FederatedAPID)) == 1
	})
	followers := h.ActorID() + "/followers"
	to, cc := addressing(t, received(bob, "Create", pub.FederatedAPID)[0])
	if !slices.Equal(to, []string{listing.Public}) || !slices.Equal(cc, []string{followers}) {
		t.Errorf("public Create addressed to %v cc %v", to, cc)
	}
	fa := received(bob, "Create", fol.FederatedAPID)[0]
	to, cc = addressing(t, fa)
	if !slices.Equal(to, []string{followers}) || len(cc) != 0 || strings.Contains(string(fa.Raw), "#Public") {
		t.Errorf("followers-only Create addressed to %v cc %v: %s", to, cc, fa.Raw)
	}
	got, err := listing.Decode(received(bob, "Create", pub.FederatedAPID)[0].Object)
	if err != nil || got.Title != "Public consulting" || got.Owner != h.ActorID() || got.Visibility != listing.VisibilityPublic {
		t.Fatalf("decoded Create: %+v %v", got, err)
	}
	var obj struct{ Type []string }
	json.Unmarshal(received(bob, "Create", pub.FederatedAPID)[0].Object, &obj)
	if !slices.Equal(obj.Type, []string{"Note", "Proposal"}) || !strings.Contains(got.URL, "/listings/") {
		t.Errorf("wire form: type %v, url %q", obj.Type, got.URL)
	}
	var content struct{ Content string }
	json.Unmarshal(received(bob, "Create", pub.FederatedAPID)[0].Object, &content)
	if !strings.Contains(content.Content, `<a href="`+pub.FederatedAPID+`">Public consulting</a>`) || !strings.Contains(content.Content, "200 USD per hour") {
		t.Errorf("content does not read as a post with title, price and link: %s", content.Content)
	}

	// Edit: an Update to the same audience.
	if status, out := h.API(t, token, "PATCH", "/api/v1/owner/listings/"+pub.ID, map[string]any{"title": "Public consulting, now cheaper"}); status != 200 {
		t.Fatalf("edit: %d %s", status, out)
	}
	testhub.Eventually(t, "bob to get the Update", func() bool { return len(received(bob, "Update", pub.FederatedAPID)) == 1 })

	// Narrowing to private: a Delete with a Tombstone.
	if status, out := h.API(t, token, "PATCH", "/api/v1/owner/listings/"+fol.ID, map[string]any{"visibility": "private"}); status != 200 {
		t.Fatalf("narrow: %d %s", status, out)
	}
	testhub.Eventually(t, "bob to get the Delete of the narrowed listing", func() bool { return len(received(bob, "Delete", fol.FederatedAPID)) == 1 })
	if d := received(bob, "Delete", fol.FederatedAPID)[0]; !slices.Contains(d.ObjectTypes, "Tombstone") {
		t.Errorf("Delete without a Tombstone: %s", d.Raw)
	}

	// Delete: a Delete, and the object URL answers 410.
	if status, out := h.API(t, token, "DELETE", "/api/v1/owner/listings/"+pub.ID, nil); status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", status, out)
	}
	testhub.Eventually(t, "bob to get the Delete", func() bool { return len(received(bob, "Delete", pub.FederatedAPID)) == 1 })
	if status, _ := h.API(t, token, "GET", "/api/v1/owner/listings/"+pub.ID, nil); status != http.StatusNotFound {
		t.Errorf("a deleted listing through the owner API: %d, want 404", status)
	}
	if status, _ := getAP(t, pub.FederatedAPID); status != http.StatusGone {
		t.Errorf("a deleted listing's object URL: %d, want 410", status)
	}
	// Private and draft never reached bob.
	for _, a := range bob.Received() {
		if strings.Contains(string(a.Raw), "Private consulting") || strings.Contains(string(a.Raw), "Draft consulting") {
			t.Fatalf("bob got a private or draft listing: %s", a.Raw)
		}
	}
}

// getAP fetches a URL asking for ActivityPub JSON.
func getAP(t *testing.T, u string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Accept", federation.ContentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// getPage fetches a URL as a browser does.
func getPage(t *testing.T, u string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// TestPublicPages: a public listing's object URL is its wire form to an
// ActivityPub client and an escaped HTML page to a browser; followers-only,
// private and draft listings are not there; the outbox pages hold the
// public listings only.
func TestPublicPages(t *testing.T) {
	h := startHub(t, "alice")
	token := h.Token(t, hub.ScopeFull)
	evil := service(`<script>alert("x")</script> bike`, "public", "active")
	evil["description"] = `<img src=x onerror=alert(1)> & "quotes"`
	pub := create(t, h, token, evil)
	fol := create(t, h, token, service("Followers only", "followers", "active"))
	priv := create(t, h, token, service("Private", "private", "active"))
	for i := 0; i < 21; i++ {
		create(t, h, token, service("Filler", "public", "active"))
	}
	status, body := getAP(t, pub.FederatedAPID)
	if l, err := listing.Decode(body); status != 200 || err != nil || l.FederatedAPID != pub.FederatedAPID {
		t.Fatalf("object URL as ActivityPub: %d %v %s", status, err, body)
	}
	status, page, hdr := getPage(t, pub.FederatedAPID)
	if status != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") || strings.Contains(page, "<script>alert") || strings.Contains(page, "<img src=x") ||
		!strings.Contains(page, "&lt;script&gt;") || !strings.Contains(page, "200 USD per hour") || !strings.Contains(hdr.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("listing page: %d %v\n%s", status, hdr, page)
	}
	for _, id := range []string{fol.FederatedAPID, h.Config.PublicURL + "/listings/" + priv.ID, h.Config.PublicURL + "/listings/nope"} {
		if status, _ := getAP(t, id); status != http.StatusNotFound {
			t.Errorf("%s as ActivityPub: %d, want 404", id, status)
		}
		if status, page, _ := getPage(t, id); status != http.StatusNotFound || strings.Contains(page, "consulting") {
			t.Errorf("%s as a page: %d", id, status)
		}
	}
	outbox := h.ActorID() + "/outbox"
	var coll struct {
		TotalItems int
		First      string
	}
	_, body = getAP(t, outbox)
	json.Unmarshal(body, &coll)
	if coll.TotalItems != 22 || coll.First != outbox+"?page=1" {
		t.Fatalf("outbox: %s", body)
	}
	var page1, page2 struct {
		OrderedItems []struct{ Type string }
		Next         string
	}
	_, body = getAP(t, outbox+"?page=1")
	json.Unmarshal(body, &page1)
	_, body2 := getAP(t, outbox+"?page=2")
	json.Unmarshal(body2, &page2)
	if len(page1.OrderedItems) != 20 || page1.Next != outbox+"?page=2" || len(page2.OrderedItems) != 2 || page2.Next != "" || page1.OrderedItems[0].Type != "Create" {
		t.Fatalf("outbox pages: %d items, next %q; %d items, next %q", len(page1.OrderedItems), page1.Next, len(page2.OrderedItems), page2.Next)
	}
	if strings.Contains(string(body)+string(body2), "Followers only") || strings.Contains(string(body)+string(body2), `"Private`) {
		t.Fatal("the outbox shows a followers-only or private listing")
	}
	for _, bad := range []string{"0", "-1", "x", "100001", "99999999999999999999"} {
		if status, _ := getAP(t, outbox+"?page="+bad); status != http.StatusBadRequest {
			t.Errorf("outbox page %q: %d, want 400", bad, status)
		}
	}
	if status, page, _ := getPage(t, h.Config.PublicURL+"/"); status != 200 || !strings.Contains(page, "acct:alice@") || strings.Contains(page, "Followers only") {
		t.Errorf("profile page: %d\n%s", status, page)
	}
	var actor struct{ Type, PreferredUsername, Outbox, Followers string }
	_, body = getAP(t, h.ActorID())
	json.Unmarshal(body, &actor)
	if actor.Type != "Person" || actor.PreferredUsername != "alice" || actor.Outbox != outbox || actor.Followers != h.ActorID()+"/followers" {
		t.Fatalf("actor: %s", body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", h.Config.PublicURL+"/.well-known/webfinger?resource="+strings.TrimPrefix(h.Acct(), ""), nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("webfinger of %s: %v %v", h.Acct(), resp, err)
	}
}
