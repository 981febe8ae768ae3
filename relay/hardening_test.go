package relay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/internal/testhub"
	"github.com/sovereign-marketplace/market/relay"
)

// TestFirstSeenKeptWithoutPublished: a listing without published is dated
// when the relay first received it, and an Update (also without
// published) keeps that date.
func TestFirstSeenKeptWithoutPublished(t *testing.T) {
	r := startRelay(t, relayConfig(t, t.TempDir()))
	alice := startHub(t, "alice", "127.0.0.1")
	subscribe(t, r, alice)
	l := alice.Listing("Sourdough starter")
	undated := func() []byte {
		var m map[string]any
		json.Unmarshal(mustEncode(t, l), &m)
		delete(m, "published")
		delete(m, "updated")
		b, _ := json.Marshal(m)
		return b
	}
	mustSend(t, alice, r.inbox(), alice.Activity("Create", json.RawMessage(undated())))
	first, err := r.listing(l.FederatedAPID)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Listing.Created.Equal(first.FirstSeen) || !first.FirstSeen.Equal(first.Received) {
		t.Fatalf("created %s, first seen %s, received %s: want all the same", first.Listing.Created, first.FirstSeen, first.Received)
	}
	l.Title = "Sourdough starter, 10 years old"
	mustSend(t, alice, r.inbox(), alice.Activity("Update", json.RawMessage(undated())))
	second, err := r.listing(l.FederatedAPID)
	if err != nil || second.Listing.Title != l.Title {
		t.Fatalf("after Update: %+v, %v", second, err)
	}
	if !second.Received.After(first.Received) {
		t.Fatalf("received %s after an Update, want later than %s", second.Received, first.Received)
	}
	if !second.Listing.Created.Equal(first.Listing.Created) || !second.FirstSeen.Equal(first.FirstSeen) {
		t.Errorf("after an Update without published: created %s, first seen %s; want %s kept", second.Listing.Created, second.FirstSeen, first.Listing.Created)
	}
}

// TestUnindexableUpdateLeavesNoStaleCopy: an Update whose price the index
// cannot hold either is refused naming price, or, when stored, never
// leaves the old title and price searchable; the failure is counted and
// `market relay status` shows it.
func TestUnindexableUpdateLeavesNoStaleCopy(t *testing.T) {
	r := startRelay(t, relayConfig(t, t.TempDir()))
	alice := startHub(t, "alice", "127.0.0.1")
	subscribe(t, r, alice)
	api := newAPIClient(t, r.cfg.PublicURL)
	ctx := context.Background()
	l := alice.Listing("Handmade oak table")
	act, _ := alice.ListingActivity("Create", l)
	mustSend(t, alice, r.inbox(), act)
	r.FlushIndex(ctx)
	if !api.finds("q=oak", l.FederatedAPID) {
		t.Fatal("the listing is not searchable before the Update")
	}

	l.Title = "Handmade walnut table"
	l.Price.Amount = "1234.56"
	l.Updated = l.Updated.Add(time.Hour)
	act, err := alice.ListingActivity("Update", l)
	if err != nil {
		t.Fatal(err)
	}
	// 19 digits: more cents than the index holds exactly (our encoder
	// refuses to write it, so put it into the wire form by hand).
	act = bytes.ReplaceAll(act, []byte(`"1234.56"`), []byte(`"1234567890123456789"`))
	status, body := send(t, alice, r.inbox(), act)
	r.FlushIndex(ctx)
	switch status {
	case http.StatusBadRequest: // validation refuses what cannot be indexed: nothing changed
		if !strings.Contains(body, "price") {
			t.Errorf("refusal %s does not name price", body)
		}
		if !api.finds("q=oak", l.FederatedAPID) {
			t.Error("a refused Update changed what search finds")
		}
		return
	case http.StatusAccepted:
	default:
		t.Fatalf("Update: %d %s", status, body)
	}
	if api.finds("q=oak", l.FederatedAPID) {
		t.Error("search still finds the old title while the store has the new one")
	}
	if !api.finds("q=walnut", l.FederatedAPID) {
		t.Error("the stored title is not searchable")
	}
	if n := r.metric("market_relay_index_failures_total"); n != 1 {
		t.Errorf("market_relay_index_failures_total = %v, want 1", n)
	}
	st := r.statusReport()
	if st.IndexFailures.Total != 1 || len(st.IndexFailures.Recent) != 1 || st.IndexFailures.Recent[0].ListingID != l.FederatedAPID {
		t.Errorf("status index_failures = %+v, want the one listing", st.IndexFailures)
	}
	if st.Indexed != st.Listings {
		t.Errorf("status: %d indexed, %d stored", st.Indexed, st.Listings)
	}
	out, _ := json.Marshal(st)
	if !bytes.Contains(out, []byte(`"index_failures":{"total":1`)) || !bytes.Contains(out, []byte(`"indexed":1`)) {
		t.Errorf("market relay status prints %s", out)
	}
}

// TestAnnounceOfUnreachableOrigin: an Announce whose object's origin hangs
// or fails is answered quickly with an error wrapping
// ErrOriginUnreachable (so the inbox does not invite a retry) and counted;
// an origin answering 404 stays a not-found.
func TestAnnounceOfUnreachableOrigin(t *testing.T) {
	cfg := relayConfig(t, t.TempDir())
	cfg.Federation.FetchTimeout = config.Duration(300 * time.Millisecond)
	r := startRelay(t, cfg)
	alice := startHub(t, "alice", "127.0.0.1")
	subscribe(t, r, alice)

	release := make(chan struct{})
	hanging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		select { // hangs until the test ends or the relay gives up
		case <-release:
		case <-req.Context().Done():
		}
	}))
	t.Cleanup(hanging.Close)
	t.Cleanup(func() { close(release) }) // runs first: lets the handler return
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		http.Error(w, "database down", http.StatusServiceUnavailable)
	}))
	t.Cleanup(failing.Close)
	missing := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(missing.Close)

	status, body := send(t, alice, r.inbox(), alice.Activity("Announce", hanging.URL+"/listings/1"))
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "origin_unreachable") {
		t.Fatalf("Announce of a hanging origin: %d %s, want 422 origin_unreachable (a status senders do not retry)", status, body)
	}
	if n := r.metric(`market_relay_origin_unreachable_total{purpose="announce"}`); n != 1 {
		t.Errorf("origin_unreachable{announce} = %v, want 1", n)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, tc := range []struct {
		name   string
		object string
		want   error
	}{
		{"hanging", hanging.URL + "/listings/2", federation.ErrOriginUnreachable},
		{"503", failing.URL + "/listings/1", federation.ErrOriginUnreachable},
		{"connection refused", "http://127.0.0.1:1/listings/1", federation.ErrOriginUnreachable},
		{"404", missing.URL + "/listings/1", federation.ErrNotFound},
	} {
		a, err := federation.ParseActivity(alice.Activity("Announce", tc.object))
		if err != nil {
			t.Fatal(err)
		}
		err = r.HandleActivity(ctx, a)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s origin: %v, want an error wrapping %v", tc.name, err, tc.want)
		}
		if tc.want != federation.ErrOriginUnreachable && errors.Is(err, federation.ErrOriginUnreachable) {
			t.Errorf("%s origin counted as unreachable", tc.name)
		}
	}
	if n := r.metric(`market_relay_origin_unreachable_total{purpose="announce"}`); n != 4 {
		t.Errorf("origin_unreachable{announce} = %v, want 4", n)
	}
}

// logBuffer collects a relay's logs for a test.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestBlockEndsFollows: blocking a domain or an actor also stops the
// relay following its hubs (an Undo(Follow) goes out) and forgets their
// subscriptions; blocks and unblocks are logged.
func TestBlockEndsFollows(t *testing.T) {
	var logs logBuffer
	r := startRelayLogging(t, relayConfig(t, t.TempDir()), slog.New(slog.NewTextHandler(&logs, nil)))
	alice := startHub(t, "alice", "localhost")
	bob := startHub(t, "bob", "127.0.0.1")
	carol := startHub(t, "carol", "127.0.0.1")
	for _, h := range []*testhub.Hub{alice, bob, carol} {
		subscribe(t, r, h)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	var relayFollow string
	_ = r.Store().View(func(tx *relay.Txn) error {
		f, err := tx.Follows().Following(alice.ActorID)
		if err == nil {
			relayFollow = f.Activity
		}
		return err
	})
	if _, err := r.Block("localhost", "spam"); err != nil {
		t.Fatal(err)
	}
	if f, g := r.follows(true), r.follows(false); f[alice.ActorID] != "" || g[alice.ActorID] != "" {
		t.Errorf("after blocking its domain: relay follows alice %q, alice follows relay %q", f[alice.ActorID], g[alice.ActorID])
	}
	undo, err := alice.WaitFor(ctx, "Undo")
	if err != nil {
		t.Fatal(err)
	}
	var inner struct{ ID, Type, Actor string }
	json.Unmarshal(undo.Object, &inner)
	if inner.ID != relayFollow || inner.Type != "Follow" || inner.Actor != r.ActorID() {
		t.Errorf("Undo of %+v, want of the relay's Follow %s", inner, relayFollow)
	}
	if !strings.Contains(logs.String(), `msg=blocked block=localhost reason=spam listings_dropped=0 hubs_unfollowed=1 followers_dropped=1`) {
		t.Errorf("the block was not logged:\n%s", logs.String())
	}

	if _, err := r.Block(bob.ActorID, "abuse"); err != nil {
		t.Fatal(err)
	}
	if f, g := r.follows(true), r.follows(false); f[bob.ActorID] != "" || g[bob.ActorID] != "" || f[carol.ActorID] != federation.FollowAccepted || g[carol.ActorID] != federation.FollowAccepted {
		t.Errorf("after blocking bob: following %v, followers %v; want carol only", f, g)
	}
	if _, err := bob.WaitFor(ctx, "Undo"); err != nil {
		t.Fatal(err)
	}

	if _, err := r.Unblock("localhost"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), `msg="block lifted" block=localhost`) {
		t.Errorf("the unblock was not logged:\n%s", logs.String())
	}
}
