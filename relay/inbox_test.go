package relay_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/internal/testhub"
	"github.com/sovereign-marketplace/market/listing"
	"github.com/sovereign-marketplace/market/relay"
)

// snapshot is everything the relay keeps, so a test can prove a refused
// request changed nothing.
func snapshot(t *testing.T, r *testRelay) string {
	t.Helper()
	var b bytes.Buffer
	err := r.Store().View(func(tx *relay.Txn) error {
		for _, following := range []bool{true, false} {
			fs, err := tx.Follows().List(following)
			if err != nil {
				return err
			}
			json.NewEncoder(&b).Encode(fs)
		}
		bl, err := tx.Blocks().List()
		if err != nil {
			return err
		}
		json.NewEncoder(&b).Encode(bl)
		return tx.EachListing(func(rec *relay.Record) error { return json.NewEncoder(&b).Encode(rec) })
	})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "queue=%d", r.Queue().Depth())
	return fmt.Sprintf("%x", sha256.Sum256(b.Bytes()))
}

type rejection struct {
	name   string
	status int
	reason string
	// request builds and sends the bad request, returning status and body.
	request func(t *testing.T) (int, string)
}

func TestInboxRejectionsChangeNothing(t *testing.T) {
	cfg := relayConfig(t, t.TempDir())
	cfg.Federation.InboxMaxBytes = 64 << 10
	r := startRelay(t, cfg)
	alice := startHub(t, "alice", "127.0.0.1")
	bob := startHub(t, "bob", "localhost")
	subscribe(t, r, alice)
	subscribe(t, r, bob)

	// One listing each, so that owner checks have something to protect.
	owned := alice.Listing("Alice's routes")
	act, _ := alice.ListingActivity("Create", owned)
	mustSend(t, alice, r.inbox(), act)

	ctx := context.Background()
	sendTampered := func(h *testhub.Hub, body []byte, tamper func(*http.Request)) (int, string) {
		status, resp, err := h.SendWith(ctx, r.inbox(), body, tamper)
		if err != nil {
			t.Fatal(err)
		}
		return status, string(resp)
	}
	newCreate := func(h *testhub.Hub, title string) []byte {
		b, err := h.ListingActivity("Create", h.Listing(title))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}

	cases := []rejection{
		{"body over the size limit", 413, "body_too_large", func(t *testing.T) (int, string) {
			body := newCreate(alice, "Huge")
			padded := append(bytes.TrimSuffix(body, []byte("}")), []byte(`,"padding":"`+strings.Repeat("p", 70<<10)+`"}`)...)
			return sendTampered(alice, padded, nil)
		}},
		{"content type not ActivityPub", 415, "unsupported_media_type", func(t *testing.T) (int, string) {
			return sendTampered(alice, newCreate(alice, "Plain"), func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") })
		}},
		{"signature that does not verify", 401, "bad_signature", func(t *testing.T) (int, string) {
			return sendTampered(alice, newCreate(alice, "Badsig"), func(r *http.Request) {
				sig := r.Header.Get("Signature")
				i := strings.Index(sig, `signature="`) + len(`signature="`)
				r.Header.Set("Signature", sig[:i]+"AAAA"+sig[i+4:])
			})
		}},
		{"no signature", 401, "bad_signature", func(t *testing.T) (int, string) {
			return sendTampered(alice, newCreate(alice, "Unsigned"), func(r *http.Request) { r.Header.Del("Signature") })
		}},
		{"key owner is not the actor", 401, "key_owner_mismatch", func(t *testing.T) (int, string) {
			// bob signs an activity that claims to be alice's.
			return sendTampered(bob, newCreate(alice, "Impersonated"), nil)
		}},
		{"digest does not match the body", 401, "digest_mismatch", func(t *testing.T) (int, string) {
			body := newCreate(alice, "Digest")
			other := bytes.Replace(body, []byte("Digest"), []byte("Dig3st"), 1)
			return sendTampered(alice, body, func(r *http.Request) {
				r.Body = ioNopCloser(other)
				r.ContentLength = int64(len(other))
			})
		}},
		{"date outside the window", 401, "date_out_of_window", func(t *testing.T) (int, string) {
			return sendStale(t, alice, r.inbox(), newCreate(alice, "Stale"))
		}},
		{"blocked domain", 403, "blocked_domain", func(t *testing.T) (int, string) {
			return sendTampered(bob, newCreate(bob, "Blocked"), nil)
		}},
		{"object id on another host", 403, "origin_mismatch", func(t *testing.T) (int, string) {
			l := alice.Listing("Elsewhere")
			l.FederatedAPID = bob.ActorID + "/listings/stolen"
			l.ID = l.FederatedAPID
			return sendTampered(alice, alice.Activity("Create", json.RawMessage(mustEncode(t, l))), nil)
		}},
		{"update of someone else's listing", 403, "origin_mismatch", func(t *testing.T) (int, string) {
			l := *owned
			l.Owner = bob.ActorID
			l.Title = "Hijacked"
			return sendTampered(bob, bob.Activity("Update", json.RawMessage(mustEncode(t, &l))), nil)
		}},
		{"delete of someone else's listing", 403, "origin_mismatch", func(t *testing.T) (int, string) {
			return sendTampered(bob, bob.Activity("Delete", owned.FederatedAPID), nil)
		}},
		{"invalid listing", 400, "", func(t *testing.T) (int, string) {
			obj := bytes.ReplaceAll(mustEncode(t, alice.Listing("Bad price")), []byte(`"25.00"`), []byte(`"twelve"`))
			return sendTampered(alice, alice.Activity("Create", json.RawMessage(obj)), nil)
		}},
	}
	// What a case needs in place before the relay's state is taken (a
	// block has effects of its own), and what undoes it.
	setups := map[string]func(t *testing.T) (undo func()){
		"blocked domain": func(t *testing.T) func() {
			if _, err := r.Block("localhost", "test"); err != nil {
				t.Fatal(err)
			}
			eventually(t, "the block's Undo(Follow) to go out", func() bool { return r.Queue().Depth() == 0 })
			return func() { r.Unblock("localhost") }
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if setup := setups[c.name]; setup != nil {
				defer setup(t)()
			}
			before := snapshot(t, r)
			status, body := c.request(t)
			if status != c.status {
				t.Fatalf("status %d, want %d; body %s", status, c.status, body)
			}
			var e struct{ Error, Reason string }
			if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error == "" {
				t.Fatalf("error body is not a JSON error: %q", body)
			}
			if c.reason != "" && e.Reason != c.reason {
				t.Fatalf("reason %q, want %q (%s)", e.Reason, c.reason, e.Error)
			}
			if after := snapshot(t, r); after != before {
				t.Fatal("the refused request changed the relay's state")
			}
		})
	}
	if rec, err := r.listing(owned.FederatedAPID); err != nil || rec.Listing.Title != "Alice's routes" {
		t.Fatalf("alice's listing after the attacks: %+v, %v", rec, err)
	}
}

// sendStale signs a request dated an hour ago: the signature is valid, the
// date is not.
func sendStale(t *testing.T, h *testhub.Hub, inbox string, body []byte) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/activity+json")
	req.Header.Set("Date", time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat))
	status, resp, err := h.SendRequest(req, body)
	if err != nil {
		t.Fatal(err)
	}
	return status, string(resp)
}

func mustEncode(t *testing.T, l *listing.Listing) []byte {
	t.Helper()
	b, err := listing.Encode(l)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func ioNopCloser(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }
