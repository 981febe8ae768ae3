package relay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/internal/testhub"
	"github.com/sovereign-marketplace/market/listing"
	"github.com/sovereign-marketplace/market/relay"
)

// testRelay is a relay serving on a loopback port, restartable on the same
// port and data directory.
type testRelay struct {
	*testhub.Relay
	t    testing.TB
	cfg  config.Config
	stop func()
}

func testLogger(t testing.TB) *slog.Logger {
	if os.Getenv("MARKET_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func relayConfig(t testing.TB, dir string) config.Config { return testhub.RelayConfig(t, dir) }

func startRelay(t testing.TB, cfg config.Config) *testRelay {
	t.Helper()
	return startRelayLogging(t, cfg, testLogger(t))
}

// startRelayLogging is startRelay with the relay's logs sent to log.
func startRelayLogging(t testing.TB, cfg config.Config, log *slog.Logger) *testRelay {
	t.Helper()
	r := testhub.StartRelay(t, cfg, log)
	return &testRelay{Relay: r, t: t, cfg: cfg, stop: r.Stop}
}

func startHub(t testing.TB, name, host string) *testhub.Hub {
	t.Helper()
	return testhub.StartHub(t, testhub.Options{Name: name, Host: host, Log: testLogger(t)})
}

func (r *testRelay) inbox() string { return r.cfg.PublicURL + "/inbox" }

// eventually polls cond until it holds or 10 s pass.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	testhub.Eventually(t, what, cond)
}

// waitReady waits until the relay at base answers /readyz with 200.
func waitReady(t testing.TB, what, base string) {
	t.Helper()
	eventually(t, what, func() bool {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

func send(t testing.TB, h *testhub.Hub, inbox string, activity []byte) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	status, body, err := h.Send(ctx, inbox, activity)
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	return status, string(body)
}

func mustSend(t testing.TB, h *testhub.Hub, inbox string, activity []byte) {
	t.Helper()
	if status, body := send(t, h, inbox, activity); status != http.StatusAccepted {
		t.Fatalf("POST %s: status %d, body %s", inbox, status, body)
	}
}

func (r *testRelay) listing(id string) (*relay.Record, error) {
	var rec *relay.Record
	err := r.Store().View(func(tx *relay.Txn) error {
		var err error
		rec, err = tx.Listing(id)
		return err
	})
	return rec, err
}

func (r *testRelay) follows(following bool) map[string]string { return r.Follows(following) }

func (r *testRelay) listingCount() int {
	var n int
	_ = r.Store().View(func(tx *relay.Txn) error { n = tx.CountListings(); return nil })
	return n
}

// subscribe runs the Follow handshake from the hub's side and waits until
// both directions are accepted.
func subscribe(t testing.TB, r *testRelay, h *testhub.Hub) {
	t.Helper()
	r.Subscribe(t, h)
}

func TestRelayEndToEnd(t *testing.T) {
	cfg := relayConfig(t, t.TempDir())
	r := startRelay(t, cfg)
	alice := startHub(t, "alice", "127.0.0.1")
	bob := startHub(t, "bob", "localhost")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// A hub subscribes: Follow → Accept, and the relay follows back.
	subscribe(t, r, alice)
	if _, err := alice.WaitFor(ctx, "Accept"); err != nil {
		t.Fatal(err)
	}
	follow, err := alice.WaitFor(ctx, "Follow")
	if err != nil {
		t.Fatal(err)
	}
	if follow.Actor != r.ActorID() || follow.ObjectID != alice.ActorID {
		t.Fatalf("relay's Follow = actor %s object %s", follow.Actor, follow.ObjectID)
	}

	// The operator follows a hub by acct: address.
	acct := "acct:bob@" + bob.URL[len("http://"):]
	if _, err := r.Follow(ctx, acct); err != nil {
		t.Fatalf("follow %s: %v", acct, err)
	}
	if _, err := bob.WaitFor(ctx, "Follow"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "bob's Accept", func() bool { return r.follows(true)[bob.ActorID] == federation.FollowAccepted })

	// Create → stored, with the activity kept byte for byte.
	l := alice.Listing("Running routes 2023-2025")
	create, err := alice.ListingActivity("Create", l)
	if err != nil {
		t.Fatal(err)
	}
	mustSend(t, alice, r.inbox(), create)
	rec, err := r.listing(l.FederatedAPID)
	if err != nil {
		t.Fatalf("listing not stored after Create: %v", err)
	}
	if rec.Listing.Title != l.Title || rec.Listing.Owner != alice.ActorID || rec.Listing.Price.Amount != "25.00" {
		t.Fatalf("stored listing = %+v", rec.Listing)
	}
	if string(rec.Activity) != string(create) {
		t.Fatalf("stored activity differs from the one sent")
	}
	if rec.Signature == nil || rec.Signature.KeyID != alice.ActorID+"#main-key" || rec.Signature.Header == "" || rec.Signature.Digest == "" {
		t.Fatalf("stored signature evidence = %+v", rec.Signature)
	}

	// Update → changed.
	l.Title = "Running routes 2023-2026"
	l.Price.Amount = "30"
	l.Updated = l.Updated.Add(time.Hour)
	update, _ := alice.ListingActivity("Update", l)
	mustSend(t, alice, r.inbox(), update)
	rec, err = r.listing(l.FederatedAPID)
	if err != nil || rec.Listing.Title != "Running routes 2023-2026" || rec.Listing.Price.Amount != "30" {
		t.Fatalf("after Update: %+v, %v", rec, err)
	}

	// A replayed Create (same activity id) is accepted but not applied again.
	mustSend(t, alice, r.inbox(), create)
	if rec, _ = r.listing(l.FederatedAPID); rec.Listing.Title != "Running routes 2023-2026" {
		t.Fatalf("replayed Create was applied again: title %q", rec.Listing.Title)
	}

	// Delete → gone.
	mustSend(t, alice, r.inbox(), alice.Activity("Delete", l.FederatedAPID))
	if _, err := r.listing(l.FederatedAPID); !errors.Is(err, relay.ErrNotFound) {
		t.Fatalf("after Delete: %v", err)
	}

	// Announce by another actor → stored from the origin's copy, not the announcer's.
	l2 := alice.Listing("Cycling power data")
	obj, _ := listing.Encode(l2)
	if err := alice.Serve(l2.FederatedAPID, obj); err != nil {
		t.Fatal(err)
	}
	forged := *l2
	forged.Title = "Forged title"
	forged.Price.Amount = "0.01"
	forgedObj, _ := listing.Encode(&forged)
	mustSend(t, bob, r.inbox(), bob.Activity("Announce", json.RawMessage(forgedObj)))
	rec, err = r.listing(l2.FederatedAPID)
	if err != nil {
		t.Fatalf("announced listing not stored: %v", err)
	}
	if rec.Listing.Title != "Cycling power data" || rec.Listing.Price.Amount != "25.00" || rec.Listing.Owner != alice.ActorID {
		t.Fatalf("announced listing came from the announcer's copy: %+v", rec.Listing)
	}
	if rec.FetchedVia != l2.FederatedAPID {
		t.Fatalf("FetchedVia = %q", rec.FetchedVia)
	}

	// A delivery that cannot go out yet stays queued across a restart.
	carol := startHub(t, "carol", "127.0.0.1")
	carol.SetDown(true)
	if _, err := r.Follow(ctx, carol.ActorID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the Follow to carol to be queued", func() bool { return r.Queue().Depth() > 0 })

	// What an operator's Prometheus sees.
	resp, err := http.Get(cfg.PublicURL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`market_relay_activities_total{outcome="applied",type="Create"} 1`,
		`market_relay_activities_total{outcome="duplicate",type="Create"} 1`,
		`market_relay_activities_total{outcome="applied",type="Announce"} 1`,
		`market_relay_listings_stored 1`,
		`market_relay_hubs_followed 2`,
		`market_delivery_queue_depth`,
		`market_inbox_activities_total{`,
		`market_signature_checks_total{`,
	} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}

	r.stop()
	r = startRelay(t, cfg)
	if got := r.follows(true); got[alice.ActorID] != federation.FollowAccepted || got[bob.ActorID] != federation.FollowAccepted || got[carol.ActorID] != federation.FollowPending {
		t.Fatalf("follows after restart = %v", got)
	}
	if _, err := r.listing(l2.FederatedAPID); err != nil {
		t.Fatalf("listing lost in restart: %v", err)
	}
	if r.Queue().Depth() == 0 {
		t.Fatal("delivery queue empty after restart")
	}
	carol.SetDown(false)
	if _, err := carol.WaitFor(ctx, "Follow"); err != nil {
		t.Fatalf("queued Follow not delivered after restart: %v", err)
	}
	eventually(t, "carol's Accept", func() bool { return r.follows(true)[carol.ActorID] == federation.FollowAccepted })

	// Undo(Follow) ends the subscription and drops the hub's listings.
	var followID string
	_ = r.Store().View(func(tx *relay.Txn) error {
		f, err := tx.Follows().Follower(alice.ActorID)
		if err == nil {
			followID = f.Activity
		}
		return err
	})
	mustSend(t, alice, r.inbox(), alice.Activity("Undo", map[string]any{"id": followID, "type": "Follow", "actor": alice.ActorID, "object": r.ActorID()}))
	if _, err := r.listing(l2.FederatedAPID); !errors.Is(err, relay.ErrNotFound) {
		t.Fatalf("listing kept after Undo(Follow): %v", err)
	}
	if f := r.follows(false); f[alice.ActorID] != "" {
		t.Fatalf("alice still a follower after Undo: %v", f)
	}
	if f := r.follows(true); f[alice.ActorID] != "" {
		t.Fatalf("relay still follows alice after Undo: %v", f)
	}
	if _, err := alice.WaitFor(ctx, "Undo"); err != nil {
		t.Fatalf("relay did not send Undo(Follow): %v", err)
	}
}

func TestDeleteActorDropsListings(t *testing.T) {
	r := startRelay(t, relayConfig(t, t.TempDir()))
	alice := startHub(t, "alice", "127.0.0.1")
	subscribe(t, r, alice)
	for i := 0; i < 3; i++ {
		act, _ := alice.ListingActivity("Create", alice.Listing(fmt.Sprintf("Listing %d", i)))
		mustSend(t, alice, r.inbox(), act)
	}
	if n := r.listingCount(); n != 3 {
		t.Fatalf("stored %d listings, want 3", n)
	}
	mustSend(t, alice, r.inbox(), alice.Activity("Delete", alice.ActorID))
	if n := r.listingCount(); n != 0 {
		t.Fatalf("%d listings left after the actor's Delete", n)
	}
	if f := r.follows(false); len(f) != 0 {
		t.Fatalf("followers after actor Delete: %v", f)
	}
}

func TestUnsubscribedActorCannotPublish(t *testing.T) {
	r := startRelay(t, relayConfig(t, t.TempDir()))
	mallory := startHub(t, "mallory", "127.0.0.1")
	act, _ := mallory.ListingActivity("Create", mallory.Listing("Spam"))
	if status, body := send(t, mallory, r.inbox(), act); status != http.StatusForbidden {
		t.Fatalf("status %d, body %s", status, body)
	}
	if n := r.listingCount(); n != 0 {
		t.Fatalf("stored %d listings from an unsubscribed actor", n)
	}
}

func TestSpecializationSkipsListingsOutsideIt(t *testing.T) {
	cfg := relayConfig(t, t.TempDir())
	cfg.Relay.Specialization = config.Specialization{ListingTypes: []string{"data_product"}, Regions: []string{"US"}, PriceMax: map[string]string{"USD": "100"}}
	r := startRelay(t, cfg)
	alice := startHub(t, "alice", "127.0.0.1")
	subscribe(t, r, alice)
	in := alice.Listing("GPS tracks")
	service := alice.Listing("Piano lessons")
	service.Type = listing.TypeService
	abroad := alice.Listing("Routes in Lisbon")
	abroad.Region = "PT-11"
	dear := alice.Listing("Expensive dataset")
	dear.Price.Amount = "100.01"
	for _, l := range []*listing.Listing{in, service, abroad, dear} {
		act, _ := alice.ListingActivity("Create", l)
		mustSend(t, alice, r.inbox(), act) // 202 even when not stored
	}
	if _, err := r.listing(in.FederatedAPID); err != nil {
		t.Fatalf("listing inside the specialization not stored: %v", err)
	}
	for _, l := range []*listing.Listing{service, abroad, dear} {
		if _, err := r.listing(l.FederatedAPID); !errors.Is(err, relay.ErrNotFound) {
			t.Errorf("%q outside the specialization was stored (%v)", l.Title, err)
		}
	}
	// An Update that moves a stored listing out of the niche removes it.
	in.Price.Amount = "250"
	in.Updated = in.Updated.Add(time.Minute)
	act, _ := alice.ListingActivity("Update", in)
	mustSend(t, alice, r.inbox(), act)
	if _, err := r.listing(in.FederatedAPID); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("listing updated out of the specialization is still stored (%v)", err)
	}

	// Narrowing the specialization drops what no longer fits at the next start.
	cheap := alice.Listing("Cheap GPS tracks")
	cheap.Price.Amount = "5"
	act, _ = alice.ListingActivity("Create", cheap)
	mustSend(t, alice, r.inbox(), act)
	if _, err := r.listing(cheap.FederatedAPID); err != nil {
		t.Fatal(err)
	}
	r.stop()
	cfg.Relay.Specialization.PriceMax["USD"] = "4"
	r = startRelay(t, cfg)
	if _, err := r.listing(cheap.FederatedAPID); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("listing outside the narrowed specialization kept (%v)", err)
	}
}

// TestAllowList: with relay.allowed_domains, a hub off the list can neither
// subscribe nor publish (403, nothing changes), the operator cannot follow
// it, a listing of it announced by an allowed hub is not stored, and
// listings stored before the list was set are dropped at the next start.
func TestAllowList(t *testing.T) {
	cfg := relayConfig(t, t.TempDir())
	r := startRelay(t, cfg)
	alice := startHub(t, "alice", "127.0.0.1")
	bob := startHub(t, "bob", "localhost")
	subscribe(t, r, alice)
	subscribe(t, r, bob)
	before := alice.Listing("GPS tracks")
	act, _ := alice.ListingActivity("Create", before)
	mustSend(t, alice, r.inbox(), act)
	kept := bob.Listing("Heart rate data")
	act, _ = bob.ListingActivity("Create", kept)
	mustSend(t, bob, r.inbox(), act)
	r.stop()

	cfg.Relay.AllowedDomains = []string{"localhost"}
	r = startRelay(t, cfg)
	if _, err := r.listing(before.FederatedAPID); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("listing of a hub off the allow list kept after restart (%v)", err)
	}
	if _, err := r.listing(kept.FederatedAPID); err != nil {
		t.Errorf("listing of an allowed hub dropped: %v", err)
	}

	carol := startHub(t, "carol", "127.0.0.1")
	followsBefore := r.follows(false)
	for _, act := range [][]byte{carol.Activity("Follow", r.ActorID()), func() []byte {
		a, _ := alice.ListingActivity("Create", alice.Listing("Running routes"))
		return a
	}()} {
		h := carol
		if bytes.Contains(act, []byte(alice.ActorID)) {
			h = alice
		}
		status, body := send(t, h, r.inbox(), act)
		if status != http.StatusForbidden || !strings.Contains(body, "domain_not_allowed") {
			t.Fatalf("activity from a hub off the allow list: %d %s, want 403 domain_not_allowed", status, body)
		}
	}
	if got := r.follows(false); len(got) != len(followsBefore) {
		t.Errorf("followers changed after refused requests: %v, was %v", got, followsBefore)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := r.Follow(ctx, carol.ActorID); !errors.Is(err, federation.ErrForbidden) || !strings.Contains(err.Error(), "relay.allowed_domains") {
		t.Errorf("operator follow of a hub off the allow list: %v, want ErrForbidden naming relay.allowed_domains", err)
	}
	if _, ok := r.follows(true)[carol.ActorID]; ok {
		t.Error("the refused follow was recorded")
	}

	// An allowed hub announces a listing of a hub off the list: not stored.
	announced := alice.Listing("Cycling power data")
	obj, _ := listing.Encode(announced)
	if err := alice.Serve(announced.FederatedAPID, obj); err != nil {
		t.Fatal(err)
	}
	mustSend(t, bob, r.inbox(), bob.Activity("Announce", announced.FederatedAPID))
	if _, err := r.listing(announced.FederatedAPID); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("announced listing of a hub off the allow list stored (%v)", err)
	}
}

// TestRateLimit: over relay.rate_limit, the search API and the inbox answer
// 429 with Retry-After and a JSON reason, and the refused requests change
// nothing; behind a trusted proxy each forwarded client has its own bucket.
func TestRateLimit(t *testing.T) {
	cfg := relayConfig(t, t.TempDir())
	cfg.Relay.RateLimit = config.RateLimit{PerMinute: 1, Burst: 3, TrustedProxies: []string{"127.0.0.0/8"}}
	r := startRelay(t, cfg)
	get := func(forwardedFor string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", r.cfg.PublicURL+"/api/v1/search?q=gps", nil)
		req.Header.Set("X-Forwarded-For", forwardedFor)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for i, want := range []int{200, 200, 200, 429} {
		if resp := get("203.0.113.7"); resp.StatusCode != want {
			t.Fatalf("search %d from one client: %d, want %d", i+1, resp.StatusCode, want)
		} else if want == 429 && resp.Header.Get("Retry-After") == "" {
			t.Fatal("429 without Retry-After")
		}
	}
	if resp := get("203.0.113.8"); resp.StatusCode != 200 {
		t.Fatalf("search from another client behind the proxy: %d, want 200", resp.StatusCode)
	}

	// The proxy's own address (no X-Forwarded-For) is a client too: spend
	// its bucket, then the inbox refuses a signed Create before reading it.
	for i := 0; i < 3; i++ {
		get("")
	}
	if status, body := newAPIClient(t, r.cfg.PublicURL).do("GET", "/api/v1/stats", nil); status != http.StatusTooManyRequests {
		t.Fatalf("stats over the limit: %d %s, want 429 (checked against docs/openapi.yaml)", status, body)
	}
	alice := startHub(t, "alice", "127.0.0.1")
	before := r.listingCount()
	act, _ := alice.ListingActivity("Create", alice.Listing("GPS tracks"))
	status, body := send(t, alice, r.inbox(), act)
	if status != http.StatusTooManyRequests || !strings.Contains(body, `"rate_limited"`) {
		t.Fatalf("inbox over the limit: %d %s, want 429 rate_limited", status, body)
	}
	if r.listingCount() != before {
		t.Fatal("a rate-limited Create changed the store")
	}
	resp, err := http.Get(r.cfg.PublicURL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`market_relay_rate_limited_total{endpoint="api"} 2`, `market_relay_rate_limited_total{endpoint="inbox"} 1`} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// TestRFC9421Hub: a hub that signs with RFC 9421 message signatures (as
// Mastodon 4.5 does) subscribes, publishes and deletes; the stored listing
// keeps its Signature-Input and Content-Digest for clients to check. The
// relay signs its own deliveries (Accept, Follow) that way too
// (federation.signatures: rfc9421), so the handshake only completes if the
// hub's inbox verifies them.
func TestRFC9421Hub(t *testing.T) {
	cfg := relayConfig(t, t.TempDir())
	cfg.Federation.Signatures = "rfc9421"
	r := startRelay(t, cfg)
	h, err := testhub.Start(testhub.Options{Name: "ana", Host: "localhost", Log: testLogger(t), RFC9421: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	subscribe(t, r, h)
	l := h.Listing("Sleep data 2024")
	act, _ := h.ListingActivity("Create", l)
	mustSend(t, h, r.inbox(), act)
	status, body := newAPIClient(t, r.cfg.PublicURL).do("GET", "/api/v1/listings/"+url.PathEscape(l.FederatedAPID), nil)
	if status != http.StatusOK {
		t.Fatalf("stored listing: %d %s", status, body)
	}
	var got struct {
		Signature struct {
			KeyID          string `json:"key_id"`
			Header         string `json:"signature"`
			SignatureInput string `json:"signature_input"`
			ContentDigest  string `json:"content_digest"`
		} `json:"signature"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	sig := got.Signature
	if !strings.HasPrefix(sig.SignatureInput, `sig1=("@method" "@target-uri" "content-digest")`) || sig.Header != "" ||
		!strings.HasPrefix(sig.ContentDigest, "sha-256=:") || sig.KeyID == "" {
		t.Errorf("signature evidence %+v (the signature itself withheld while it could be replayed)", sig)
	}
	if rec, err := r.listing(l.FederatedAPID); err != nil || !strings.HasPrefix(rec.Signature.Header, "sig1=:") {
		t.Errorf("stored signature evidence %+v, %v", rec, err)
	}
	mustSend(t, h, r.inbox(), h.Activity("Delete", l.FederatedAPID))
	if _, err := r.listing(l.FederatedAPID); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("after an RFC 9421 signed Delete: %v", err)
	}
}

// TestTakedown: the operator takes one reported listing down: it leaves
// the store and search at once, its open reports are resolved, its hub
// cannot publish it again until it is restored; another report can be
// dismissed once.
func TestTakedown(t *testing.T) {
	r := startRelay(t, relayConfig(t, t.TempDir()))
	alice := startHub(t, "alice", "127.0.0.1")
	subscribe(t, r, alice)
	fake := alice.Listing("Designer handbags")
	fine := alice.Listing("Running routes")
	for _, l := range []*listing.Listing{fake, fine} {
		act, _ := alice.ListingActivity("Create", l)
		mustSend(t, alice, r.inbox(), act)
	}
	api := newAPIClient(t, r.cfg.PublicURL)
	report := func(l *listing.Listing, reason string) {
		t.Helper()
		if status, body := api.do("POST", "/api/v1/reports", []byte(fmt.Sprintf(`{"listing_id": %q, "reason": %q}`, l.FederatedAPID, reason))); status != http.StatusCreated {
			t.Fatalf("report: %d %s", status, body)
		}
	}
	report(fake, "counterfeit")
	report(fake, "counterfeit, again")
	report(fine, "I do not like running")
	if err := r.FlushIndex(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := api.search("q=handbags"); got.Total != 1 {
		t.Fatalf("before the takedown: %d hits", got.Total)
	}

	d, err := r.TakeDown(fake.FederatedAPID, "counterfeit goods")
	if err != nil {
		t.Fatal(err)
	}
	if d.Seller != alice.ActorID || d.Reason != "counterfeit goods" {
		t.Errorf("takedown %+v", d)
	}
	if _, err := r.listing(fake.FederatedAPID); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("taken-down listing still stored (%v)", err)
	}
	if err := r.FlushIndex(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := api.search("q=handbags"); got.Total != 0 {
		t.Errorf("taken-down listing still found: %v", ids(got))
	}
	if _, err := r.TakeDown(fake.FederatedAPID, "again"); !errors.Is(err, relay.ErrConflict) {
		t.Errorf("second takedown: %v, want ErrConflict", err)
	}
	if _, err := r.TakeDown(alice.ActorID+"/listings/none", ""); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("takedown of an unknown listing: %v, want ErrNotFound", err)
	}
	reps, err := r.Reports()
	if err != nil {
		t.Fatal(err)
	}
	var open []relay.Report
	for _, rep := range reps {
		if rep.ListingID == fake.FederatedAPID && rep.Resolution != relay.ResolutionTakenDown {
			t.Errorf("report %s about the taken-down listing: resolution %q", rep.ID, rep.Resolution)
		}
		if rep.Resolution == "" {
			open = append(open, rep)
		}
	}
	if len(open) != 1 || open[0].ListingID != fine.FederatedAPID {
		t.Fatalf("open reports %+v, want the one about %s", open, fine.Title)
	}

	// The hub sends it again, created or updated: refused, not stored.
	for _, typ := range []string{"Create", "Update"} {
		fake.Updated = fake.Updated.Add(time.Minute)
		act, _ := alice.ListingActivity(typ, fake)
		if status, body := send(t, alice, r.inbox(), act); status != http.StatusForbidden || !strings.Contains(body, "taken down") {
			t.Fatalf("%s of a taken-down listing: %d %s, want 403 naming the takedown", typ, status, body)
		}
	}
	if _, err := r.listing(fake.FederatedAPID); !errors.Is(err, relay.ErrNotFound) {
		t.Fatalf("taken-down listing stored again (%v)", err)
	}
	if err := r.Restore(fake.FederatedAPID); err != nil {
		t.Fatal(err)
	}
	if err := r.Restore(fake.FederatedAPID); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("second restore: %v, want ErrNotFound", err)
	}
	fake.Updated = fake.Updated.Add(time.Minute)
	act, _ := alice.ListingActivity("Update", fake)
	mustSend(t, alice, r.inbox(), act)
	if _, err := r.listing(fake.FederatedAPID); err != nil {
		t.Errorf("restored listing not stored when published again: %v", err)
	}

	rep, err := r.Dismiss(open[0].ID)
	if err != nil || rep.Resolution != relay.ResolutionDismissed || rep.Resolved == nil {
		t.Fatalf("dismiss: %+v, %v", rep, err)
	}
	if _, err := r.Dismiss(open[0].ID); !errors.Is(err, relay.ErrConflict) {
		t.Errorf("second dismiss: %v, want ErrConflict", err)
	}
}

func TestOutboundFetchToPrivateAddressRefused(t *testing.T) {
	cfg := relayConfig(t, t.TempDir())
	cfg.AllowPrivateNetworks = false
	r := startRelay(t, cfg)
	hub := startHub(t, "alice", "127.0.0.1")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := r.Follow(ctx, hub.ActorID)
	if !errors.Is(err, federation.ErrPrivateAddress) {
		t.Fatalf("follow of a loopback actor: err = %v, want ErrPrivateAddress", err)
	}
	if f := r.follows(true); len(f) != 0 {
		t.Fatalf("follow recorded despite refusal: %v", f)
	}
	if r.Queue().Depth() != 0 {
		t.Fatal("a delivery was queued despite refusal")
	}
}

func TestManualFollowApproval(t *testing.T) {
	cfg := relayConfig(t, t.TempDir())
	cfg.Relay.FollowApproval = "manual"
	r := startRelay(t, cfg)
	alice := startHub(t, "alice", "127.0.0.1")
	bob := startHub(t, "bob", "localhost")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, h := range []*testhub.Hub{alice, bob} {
		mustSend(t, h, r.inbox(), h.Activity("Follow", r.ActorID()))
	}
	if f := r.follows(false); f[alice.ActorID] != federation.FollowPending || f[bob.ActorID] != federation.FollowPending {
		t.Fatalf("followers before approval = %v", f)
	}
	// A pending hub may not publish yet.
	act, _ := alice.ListingActivity("Create", alice.Listing("Too early"))
	if status, body := send(t, alice, r.inbox(), act); status != http.StatusForbidden {
		t.Fatalf("Create from a pending follower: %d %s", status, body)
	}
	if err := r.Approve(ctx, alice.ActorID); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.WaitFor(ctx, "Accept"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the relay to follow alice back", func() bool { return r.follows(true)[alice.ActorID] == federation.FollowAccepted })
	if err := r.Reject(ctx, bob.ActorID); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.WaitFor(ctx, "Reject"); err != nil {
		t.Fatal(err)
	}
	if f := r.follows(false); f[bob.ActorID] != "" {
		t.Fatalf("rejected follower still recorded: %v", f)
	}
	if err := r.Approve(ctx, bob.ActorID); err == nil {
		t.Fatal("approving a follow that is no longer pending succeeded")
	}
	act, _ = alice.ListingActivity("Create", alice.Listing("After approval"))
	mustSend(t, alice, r.inbox(), act)
}
