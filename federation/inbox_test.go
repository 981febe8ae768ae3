package federation

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

func TestInboxAcceptsSignedActivity(t *testing.T) {
	for _, hs2019 := range []bool{false, true} {
		t.Run(fmt.Sprintf("hs2019=%v", hs2019), func(t *testing.T) {
			hub := newTestHub(t, testKey(t, 0))
			inbox, rc := testInbox(t, nil)
			body := create(hub.actorID, hub.actorID+"/listings/1", hub.actorID)
			s := hub.signer()
			s.HS2019 = hs2019
			var sigHeader string
			r := send(t, inbox, body, func(r *http.Request) {
				signedBy(t, s, body)(r)
				sigHeader = r.Header.Get("Signature")
			})
			if r.Status != http.StatusAccepted {
				t.Fatalf("status %d %s: %s", r.Status, r.Reason, r.Error)
			}
			want := `algorithm="rsa-sha256"`
			if hs2019 {
				want = `algorithm="hs2019"`
			}
			if !strings.Contains(sigHeader, want) || !strings.Contains(sigHeader, `headers="(request-target) host date digest"`) {
				t.Errorf("Signature header %q lacks %s or the signed headers", sigHeader, want)
			}
			if rc.count() != 1 {
				t.Fatalf("handler called %d times, want 1", rc.count())
			}
			a := rc.got[0]
			if a.KeyID != hub.keyID || a.Actor != hub.actorID || a.Type != "Create" || string(a.Raw) != string(body) {
				t.Errorf("handler got %+v", a)
			}
		})
	}
}

func TestInboxAcceptsContentDigest(t *testing.T) {
	hub := newTestHub(t, testKey(t, 0))
	inbox, rc := testInbox(t, nil)
	body := create(hub.actorID, hub.actorID+"/listings/cd", hub.actorID)
	r := send(t, inbox, body, func(r *http.Request) {
		r.Header.Set("Content-Digest", "sha-256=:"+b64sha256(body)+":")
		signHeaders(t, hub.key, hub.keyID, []string{"(request-target)", "host", "date", "content-digest"})(r)
	})
	if r.Status != http.StatusAccepted || rc.count() != 1 {
		t.Fatalf("status %d %s (%s), handler calls %d; want 202 and 1", r.Status, r.Reason, r.Error, rc.count())
	}
}

// TestInboxRejections sends each bad request the inbox must refuse and
// proves the handler never saw it.
func TestInboxRejections(t *testing.T) {
	hub := newTestHub(t, testKey(t, 0))
	other := newTestHub(t, testKey(t, 1))
	reg := prometheus.NewRegistry()
	inbox, rc := testInbox(t, func(in *Inbox) {
		in.MaxBytes = 4096
		in.DateWindow = time.Minute
		in.Metrics = NewMetrics(reg)
		in.Blocked = func(h string) bool { return h == other.host() }
	})
	good := func(objectID string) []byte { return create(hub.actorID, objectID, hub.actorID) }
	foreign := "https://elsewhere.example/listings/1"

	cases := []struct {
		name    string
		body    []byte
		prepare func(body []byte) func(*http.Request)
		status  int
		reason  string
	}{
		{"1 body too large", append(good(hub.actorID + "/l/big")[:0:0], []byte(`{"x":"`+strings.Repeat("a", 5000)+`"}`)...),
			func(b []byte) func(*http.Request) { return signedBy(t, hub.signer(), b) }, 413, "body_too_large"},
		{"2 content type", good(hub.actorID + "/l/ct"),
			func(b []byte) func(*http.Request) {
				return func(r *http.Request) {
					r.Header.Set("Content-Type", "application/json")
					signedBy(t, hub.signer(), b)(r)
				}
			}, 415, "unsupported_media_type"},
		{"not an activity", []byte(`{"type":"Create","object":"https://x.example/1"}`),
			func(b []byte) func(*http.Request) { return signedBy(t, hub.signer(), b) }, 400, "invalid_activity"},
		{"3 no signature", good(hub.actorID + "/l/nosig"),
			func(b []byte) func(*http.Request) { return nil }, 401, "bad_signature"},
		{"3 signed with a key the actor does not publish", good(hub.actorID + "/l/wrongkey"),
			func(b []byte) func(*http.Request) {
				return signedBy(t, &Signer{KeyID: hub.keyID, Key: testKey(t, 2)}, b)
			}, 401, "bad_signature"},
		{"3 digest not signed", good(hub.actorID + "/l/nodigest"),
			func(b []byte) func(*http.Request) {
				return func(r *http.Request) {
					r.Header.Set("Digest", "SHA-256="+b64sha256(b))
					signHeaders(t, hub.key, hub.keyID, []string{"(request-target)", "host", "date"})(r)
				}
			}, 401, "bad_signature"},
		{"3 date not signed", good(hub.actorID + "/l/nodate"),
			func(b []byte) func(*http.Request) {
				return func(r *http.Request) {
					r.Header.Set("Digest", "SHA-256="+b64sha256(b))
					signHeaders(t, hub.key, hub.keyID, []string{"(request-target)", "host", "digest"})(r)
				}
			}, 401, "bad_signature"},
		{"3 request target not signed", good(hub.actorID + "/l/notarget"),
			func(b []byte) func(*http.Request) {
				return func(r *http.Request) {
					r.Header.Set("Digest", "SHA-256="+b64sha256(b))
					signHeaders(t, hub.key, hub.keyID, []string{"host", "date", "digest"})(r)
				}
			}, 401, "bad_signature"},
		{"3 algorithm not accepted", good(hub.actorID + "/l/alg"),
			func(b []byte) func(*http.Request) {
				return func(r *http.Request) {
					signedBy(t, hub.signer(), b)(r)
					r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), "rsa-sha256", "hmac-sha256", 1))
				}
			}, 401, "bad_signature"},
		{"3 header changed after signing", good(hub.actorID + "/l/tamper"),
			func(b []byte) func(*http.Request) {
				return func(r *http.Request) {
					signedBy(t, hub.signer(), b)(r)
					r.Header.Set("Date", time.Now().Add(time.Second).UTC().Format(http.TimeFormat))
				}
			}, 401, "bad_signature"},
		{"4 key owner is not the actor", good(hub.actorID + "/l/owner"),
			func(b []byte) func(*http.Request) { return signedBy(t, other.signer(), b) }, 401, "key_owner_mismatch"},
		{"5 digest does not match the body", good(hub.actorID + "/l/digest"),
			func(b []byte) func(*http.Request) {
				return func(r *http.Request) {
					r.Header.Set("Digest", "SHA-256="+b64sha256([]byte("another body")))
					signHeaders(t, hub.key, hub.keyID, []string{"(request-target)", "host", "date", "digest"})(r)
				}
			}, 401, "digest_mismatch"},
		{"6 date too old", good(hub.actorID + "/l/old"),
			func(b []byte) func(*http.Request) {
				s := hub.signer()
				s.Now = func() time.Time { return time.Now().Add(-2 * time.Minute) }
				return signedBy(t, s, b)
			}, 401, "date_out_of_window"},
		{"6 date in the future", good(hub.actorID + "/l/future"),
			func(b []byte) func(*http.Request) {
				s := hub.signer()
				s.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
				return signedBy(t, s, b)
			}, 401, "date_out_of_window"},
		{"7 blocked domain", create(other.actorID, other.actorID+"/l/1", other.actorID),
			func(b []byte) func(*http.Request) { return signedBy(t, other.signer(), b) }, 403, "blocked_domain"},
		{"8 embedded object on another host", good(foreign),
			func(b []byte) func(*http.Request) { return signedBy(t, hub.signer(), b) }, 403, "origin_mismatch"},
		{"8 embedded object attributed to someone else", create(hub.actorID, hub.actorID+"/l/attr", hub.srv.URL+"/users/bob"),
			func(b []byte) func(*http.Request) { return signedBy(t, hub.signer(), b) }, 403, "origin_mismatch"},
		{"8 update of another host's object by IRI", activity("Update", hub.actorID, foreign),
			func(b []byte) func(*http.Request) { return signedBy(t, hub.signer(), b) }, 403, "origin_mismatch"},
		{"8 delete of another host's object by IRI", activity("Delete", hub.actorID, foreign),
			func(b []byte) func(*http.Request) { return signedBy(t, hub.signer(), b) }, 403, "origin_mismatch"},
		{"8 activity id on another host", []byte(`{"id":"https://elsewhere.example/a/1","type":"Delete","actor":"` + hub.actorID + `","object":"` + hub.actorID + `/l/1"}`),
			func(b []byte) func(*http.Request) { return signedBy(t, hub.signer(), b) }, 403, "origin_mismatch"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := send(t, inbox, c.body, c.prepare(c.body))
			if r.Status != c.status || r.Reason != c.reason {
				t.Fatalf("got %d %q (%s); want %d %q", r.Status, r.Reason, r.Error, c.status, c.reason)
			}
			if r.Error == "" {
				t.Errorf("error message is empty")
			}
			if n := rc.count(); n != 0 {
				t.Fatalf("handler was called %d times; a rejected request must change nothing", n)
			}
		})
	}
	// The metrics saw every rejection.
	if got := counterSum(t, reg, "market_inbox_activities_total"); got != float64(len(cases)) {
		t.Errorf("market_inbox_activities_total sums to %v, want %d", got, len(cases))
	}

	// The same inbox accepts what is right, including an Announce of
	// someone else's object (exempt from the origin rule).
	for _, body := range [][]byte{good(hub.actorID + "/l/ok"), activity("Announce", hub.actorID, foreign)} {
		if r := send(t, inbox, body, signedBy(t, hub.signer(), body)); r.Status != http.StatusAccepted {
			t.Fatalf("good request: %d %s %s", r.Status, r.Reason, r.Error)
		}
	}
	if rc.count() != 2 {
		t.Fatalf("handler called %d times, want 2", rc.count())
	}
}

func TestInboxHandlerErrors(t *testing.T) {
	hub := newTestHub(t, testKey(t, 0))
	for _, c := range []struct {
		err    error
		status int
		reason string
	}{
		{fmt.Errorf("listing: %w", ErrForbidden), 403, "forbidden"},
		{fmt.Errorf("listing: %w", ErrInvalid), 400, "invalid_activity"},
		{fmt.Errorf("listing: %w", ErrNotFound), 404, "not_found"},
		{fmt.Errorf("announce: fetch https://slow.example/l/1: %w", ErrOriginUnreachable), 422, "origin_unreachable"},
		{errors.New("disk full"), 500, "internal"},
	} {
		inbox, rc := testInbox(t, nil)
		rc.fail = c.err
		body := create(hub.actorID, hub.actorID+"/l/h", hub.actorID)
		r := send(t, inbox, body, signedBy(t, hub.signer(), body))
		if r.Status != c.status || r.Reason != c.reason {
			t.Errorf("handler error %v: %d %s, want %d %s", c.err, r.Status, r.Reason, c.status, c.reason)
		}
		if c.status == 500 && strings.Contains(r.Error, "disk full") {
			t.Errorf("internal error leaked to the sender: %q", r.Error)
		}
	}
}

// TestInboxKeyRotation: the actor changes its key after the inbox cached
// the old one; the first check fails with the cached key, the inbox
// refetches the actor once and accepts. The old key then stops working.
func TestInboxKeyRotation(t *testing.T) {
	hub := newTestHub(t, testKey(t, 0))
	clock := newFakeClock()
	inbox, rc := testInbox(t, func(in *Inbox) { in.Client.Now = clock.Now })
	body := create(hub.actorID, hub.actorID+"/l/r1", hub.actorID)
	oldSigner := hub.signer()
	if r := send(t, inbox, body, signedBy(t, oldSigner, body)); r.Status != http.StatusAccepted {
		t.Fatalf("first request: %d %s", r.Status, r.Error)
	}
	if n := hub.fetches.Load(); n != 1 {
		t.Fatalf("actor fetched %d times, want 1", n)
	}
	body = create(hub.actorID, hub.actorID+"/l/r2", hub.actorID)
	if r := send(t, inbox, body, signedBy(t, oldSigner, body)); r.Status != http.StatusAccepted {
		t.Fatalf("second request: %d %s", r.Status, r.Error)
	}
	if n := hub.fetches.Load(); n != 1 {
		t.Fatalf("actor fetched %d times, want 1 (the key is cached)", n)
	}

	hub.setKey(testKey(t, 3))
	body = create(hub.actorID, hub.actorID+"/l/r3", hub.actorID)
	// Within MinRefresh of the last fetch the cached key stands.
	if r := send(t, inbox, body, signedBy(t, hub.signer(), body)); r.Status != http.StatusUnauthorized || r.Reason != "bad_signature" {
		t.Fatalf("new key right after a fetch: %d %s, want 401 bad_signature", r.Status, r.Reason)
	}
	if n := hub.fetches.Load(); n != 1 {
		t.Fatalf("actor fetched %d times, want 1 (fetched moments ago)", n)
	}
	clock.Advance(DefaultMinRefresh)
	if r := send(t, inbox, body, signedBy(t, hub.signer(), body)); r.Status != http.StatusAccepted {
		t.Fatalf("request with the new key: %d %s", r.Status, r.Error)
	}
	if n := hub.fetches.Load(); n != 2 {
		t.Fatalf("actor fetched %d times, want 2 (one refetch after the cached key failed)", n)
	}
	body = create(hub.actorID, hub.actorID+"/l/r4", hub.actorID)
	if r := send(t, inbox, body, signedBy(t, oldSigner, body)); r.Status != http.StatusUnauthorized || r.Reason != "bad_signature" {
		t.Fatalf("request with the retired key: %d %s, want 401 bad_signature", r.Status, r.Reason)
	}
	if rc.count() != 3 {
		t.Fatalf("handler called %d times, want 3", rc.count())
	}
}

func TestInboxMethodAndLimits(t *testing.T) {
	inbox, _ := testInbox(t, nil)
	resp, err := http.Get(inbox)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET inbox: %d, want 405", resp.StatusCode)
	}
	// The default limit is 1 MiB.
	hub := newTestHub(t, testKey(t, 0))
	big := []byte(`{"pad":"` + strings.Repeat("x", DefaultMaxBytes) + `"}`)
	if r := send(t, inbox, big, signedBy(t, hub.signer(), big)); r.Status != 413 {
		t.Errorf("1 MiB body: %d, want 413", r.Status)
	}
}

// TestInboxRFC9421: a request signed with an RFC 9421 message signature
// (no Date header, Content-Digest instead of Digest) passes every check;
// its signed created time stands in for Date, and its Content-Digest must
// match the body.
func TestInboxRFC9421(t *testing.T) {
	hub := newTestHub(t, testKey(t, 0))
	inbox, rc := testInbox(t, nil)
	signed := func(s *Signer, body []byte, after func(*http.Request)) func(*http.Request) {
		return func(r *http.Request) {
			if err := s.SignMessage(r, body); err != nil {
				t.Fatal(err)
			}
			if after != nil {
				after(r)
			}
		}
	}
	body := create(hub.actorID, hub.actorID+"/l/m1", hub.actorID)
	if r := send(t, inbox, body, signed(hub.signer(), body, nil)); r.Status != http.StatusAccepted {
		t.Fatalf("RFC 9421 request: %d %s %s", r.Status, r.Reason, r.Error)
	}
	if rc.count() != 1 || rc.got[0].KeyID != hub.keyID {
		t.Fatalf("handler got %d activities", rc.count())
	}

	old := hub.signer()
	old.Now = func() time.Time { return time.Now().Add(-10 * time.Minute) }
	other := create(hub.actorID, hub.actorID+"/l/m2", hub.actorID)
	for _, c := range []struct {
		name    string
		prepare func(*http.Request)
		status  int
		reason  string
	}{
		{"created 10 min ago", signed(old, other, nil), http.StatusUnauthorized, "date_out_of_window"},
		{"body changed after signing", signed(hub.signer(), body, nil), http.StatusUnauthorized, "digest_mismatch"},
		{"signed for another path", signed(hub.signer(), other, func(r *http.Request) { r.URL.Path = "/actor/inbox" }), http.StatusUnauthorized, "bad_signature"},
	} {
		if r := send(t, inbox, other, c.prepare); r.Status != c.status || r.Reason != c.reason {
			t.Errorf("%s: %d %s (%s), want %d %s", c.name, r.Status, r.Reason, r.Error, c.status, c.reason)
		}
	}
	if rc.count() != 1 {
		t.Fatalf("handler called %d times, want 1", rc.count())
	}
}

// TestInboxAllowList: with an allow list, a signed request from a host not
// on it is refused before the handler sees it; one on it passes; allowing a
// domain allows its subdomains and nothing else.
func TestInboxAllowList(t *testing.T) {
	hub := newTestHub(t, testKey(t, 0)) // on 127.0.0.1
	for _, c := range []struct {
		allow      string
		wantStatus int
		wantReason string
	}{
		{"localhost", http.StatusForbidden, "domain_not_allowed"},
		{"127.0.0.1", http.StatusAccepted, ""},
	} {
		inbox, rc := testInbox(t, func(in *Inbox) { in.Allowed = func(h string) bool { return h == c.allow } })
		body := create(hub.actorID, hub.actorID+"/l/allow-"+c.allow, hub.actorID)
		r := send(t, inbox, body, signedBy(t, hub.signer(), body))
		if r.Status != c.wantStatus || r.Reason != c.wantReason {
			t.Fatalf("allow list [%s]: %d %s, want %d %s", c.allow, r.Status, r.Reason, c.wantStatus, c.wantReason)
		}
		if want := map[bool]int{true: 1, false: 0}[c.wantStatus == http.StatusAccepted]; rc.count() != want {
			t.Fatalf("allow list [%s]: handler called %d times, want %d", c.allow, rc.count(), want)
		}
	}
	in := &Inbox{Allowed: func(h string) bool { return h == "coop.example" }}
	for id, want := range map[string]bool{
		"https://coop.example/users/a":          true,
		"https://hub.Coop.example:8443/users/a": true,
		"https://coop.example.org/users/a":      false,
		"https://notcoop.example/users/a":       false,
		"not a url":                             false,
	} {
		if got := in.allowed(id); got != want {
			t.Errorf("allowed(%s) = %v, want %v", id, got, want)
		}
	}
}

func TestDomainNames(t *testing.T) {
	for host, want := range map[string]string{
		"Hub.Coop.Example:8443": "hub.coop.example:8443 hub.coop.example coop.example example",
		"hub.example.":          "hub.example example",
		"10.0.0.1:80":           "10.0.0.1:80 10.0.0.1",
		"[::1]:8080":            "[::1]:8080 ::1",
		"localhost":             "localhost",
	} {
		if got := strings.Join(DomainNames(host), " "); got != want {
			t.Errorf("DomainNames(%q) = %q, want %q", host, got, want)
		}
	}
}

func TestHostCandidates(t *testing.T) {
	in := &Inbox{Blocked: func(h string) bool { return h == "evil.example" || h == "10.0.0.1:8443" }}
	for id, want := range map[string]bool{
		"https://evil.example/users/a":        true,
		"https://sub.Evil.example/users/a":    true,
		"https://evil.example.org/users/a":    false,
		"https://notevil.example/users/a":     false,
		"https://10.0.0.1:8443/actor":         true,
		"https://10.0.0.1/actor":              false,
		"https://good.example:443/users/evil": false,
	} {
		if _, got := in.blocked(id); got != want {
			t.Errorf("blocked(%s) = %v, want %v", id, got, want)
		}
	}
}

// counterSum adds up every series of a counter family in reg.
func counterSum(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			sum += m.GetCounter().GetValue()
		}
	}
	return sum
}

// counterValue is the value of the series of counter name in reg whose
// labels include the given name, value pairs (0 when there is none).
func counterValue(t *testing.T, reg *prometheus.Registry, name string, labels ...string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	series:
		for _, m := range mf.GetMetric() {
			have := map[string]string{}
			for _, lp := range m.GetLabel() {
				have[lp.GetName()] = lp.GetValue()
			}
			for i := 0; i+1 < len(labels); i += 2 {
				if have[labels[i]] != labels[i+1] {
					continue series
				}
			}
			return m.GetCounter().GetValue()
		}
	}
	return 0
}

// TestInboxRefetchLimits: a key fetched for this very request is not
// fetched again when the signature fails; a cached one is, once, and only
// when its copy is at least MinRefresh old, however many forged requests
// name it.
func TestInboxRefetchLimits(t *testing.T) {
	hub := newTestHub(t, testKey(t, 0))
	clock := newFakeClock()
	inbox, rc := testInbox(t, func(in *Inbox) { in.Client.Now = clock.Now })
	forger := &Signer{KeyID: hub.keyID, Key: testKey(t, 1)}
	forge := func(step string, wantFetches int32) {
		t.Helper()
		body := create(hub.actorID, hub.actorID+"/l/forged", hub.actorID)
		if r := send(t, inbox, body, signedBy(t, forger, body)); r.Status != http.StatusUnauthorized || r.Reason != "bad_signature" {
			t.Fatalf("%s: %d %s, want 401 bad_signature", step, r.Status, r.Reason)
		}
		if got := hub.fetches.Load(); got != wantFetches {
			t.Fatalf("%s: actor fetched %d times, want %d", step, got, wantFetches)
		}
	}
	forge("first forged request (key fetched for it)", 1)
	for i := 0; i < 20; i++ {
		forge(fmt.Sprintf("forged request %d within MinRefresh", i+2), 1)
	}
	clock.Advance(DefaultMinRefresh - time.Second)
	forge("forged request 1 s before MinRefresh", 1)
	clock.Advance(time.Second)
	forge("forged request after MinRefresh (cached key refetched)", 2)
	forge("forged request right after the refetch", 2)
	if rc.count() != 0 {
		t.Fatalf("handler called %d times", rc.count())
	}
}

// TestInboxDeleteOfGoneActor: an actor's Delete of itself passes when its
// document answers 410 Gone; nothing else signed by a gone actor does.
func TestInboxDeleteOfGoneActor(t *testing.T) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	actor := srv.URL + "/users/gone"
	mux.HandleFunc("GET /users/gone", func(w http.ResponseWriter, r *http.Request) {
		WriteError(w, http.StatusGone, "gone", "account deleted")
	})
	s := &Signer{KeyID: actor + "#main-key", Key: testKey(t, 2)}
	inbox, rc := testInbox(t, nil)

	body := []byte(`{"id":"` + actor + `#delete","type":"Delete","actor":"` + actor + `","object":"` + actor + `"}`)
	if r := send(t, inbox, body, signedBy(t, s, body)); r.Status != http.StatusAccepted {
		t.Fatalf("self Delete of a gone actor: %d %s %s", r.Status, r.Reason, r.Error)
	}
	if rc.count() != 1 || rc.got[0].Actor != actor || rc.got[0].KeyID != s.KeyID {
		t.Fatalf("handler got %d activities", rc.count())
	}
	// Its other activities, or a Delete of something else, do not pass.
	for _, body := range [][]byte{
		create(actor, actor+"/l/1", actor),
		activity("Delete", actor, actor+"/l/1"),
		[]byte(`{"id":"` + actor + `#d2","type":"Delete","actor":"` + actor + `","object":"` + actor + `"}`),
	} {
		signer := s
		if strings.Contains(string(body), "#d2") {
			signer = &Signer{KeyID: srv.URL + "/keys/other", Key: testKey(t, 2)}
		}
		if r := send(t, inbox, body, signedBy(t, signer, body)); r.Status != http.StatusUnauthorized || r.Reason != "bad_signature" {
			t.Errorf("%s: %d %s, want 401 bad_signature", body, r.Status, r.Reason)
		}
	}
	if rc.count() != 1 {
		t.Fatalf("handler called %d times, want 1", rc.count())
	}
}

// TestInboxRefusesRequestsSignedForAnotherHost: a signed request meant
// for another server (its Host names that server) and replayed here is
// refused when the inbox knows its own host.
func TestInboxRefusesRequestsSignedForAnotherHost(t *testing.T) {
	hub := newTestHub(t, testKey(t, 0))
	inbox, rc := testInbox(t, func(in *Inbox) { in.Host = "relay.example" })
	body := create(hub.actorID, hub.actorID+"/l/replay", hub.actorID)
	r := send(t, inbox, body, func(r *http.Request) {
		r.Host = "RELAY.example"
		signedBy(t, hub.signer(), body)(r)
	})
	if r.Status != http.StatusAccepted {
		t.Fatalf("request for the inbox's host: %d %s %s", r.Status, r.Reason, r.Error)
	}
	r = send(t, inbox, body, func(r *http.Request) {
		r.Host = "other-relay.example"
		signedBy(t, hub.signer(), body)(r)
	})
	if r.Status != http.StatusUnauthorized || r.Reason != "bad_signature" {
		t.Fatalf("request signed for another host: %d %s, want 401 bad_signature", r.Status, r.Reason)
	}
	if rc.count() != 1 {
		t.Fatalf("handler called %d times, want 1", rc.count())
	}
}

// TestInboxNewKeyID: an actor that starts signing with a key under a new
// id is refetched (its cached copy does not list the key) and accepted.
func TestInboxNewKeyID(t *testing.T) {
	hub := newTestHub(t, testKey(t, 0))
	clock := newFakeClock()
	inbox, rc := testInbox(t, func(in *Inbox) { in.Client.Now = clock.Now })
	body := create(hub.actorID, hub.actorID+"/l/k1", hub.actorID)
	if r := send(t, inbox, body, signedBy(t, hub.signer(), body)); r.Status != http.StatusAccepted {
		t.Fatalf("first request: %d %s", r.Status, r.Error)
	}
	hub.mu.Lock()
	hub.keyID = hub.actorID + "#key-2"
	hub.key = testKey(t, 3)
	hub.mu.Unlock()
	clock.Advance(DefaultMinRefresh)
	body = create(hub.actorID, hub.actorID+"/l/k2", hub.actorID)
	if r := send(t, inbox, body, signedBy(t, hub.signer(), body)); r.Status != http.StatusAccepted {
		t.Fatalf("request with the new key id: %d %s %s", r.Status, r.Reason, r.Error)
	}
	if n := hub.fetches.Load(); n != 2 || rc.count() != 2 {
		t.Fatalf("actor fetched %d times, handler called %d times; want 2 and 2", n, rc.count())
	}
}

// TestInboxOriginUnreachable: a handler that could not fetch what an
// activity refers to from its origin (ErrOriginUnreachable) gets a 422,
// which senders do not retry at once (unlike 5xx, 408 and 429), counted
// under its own outcome and logged.
func TestInboxOriginUnreachable(t *testing.T) {
	hub := newTestHub(t, testKey(t, 0))
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	logs := &syncBuffer{}
	inbox, rc := testInbox(t, func(in *Inbox) {
		in.Metrics = m
		in.Log = slog.New(slog.NewTextHandler(logs, nil))
	})
	rc.fail = fmt.Errorf("announce: fetch https://slow.example/l/1: context deadline exceeded: %w", ErrOriginUnreachable)
	body := activity("Announce", hub.actorID, "https://slow.example/l/1")
	r := send(t, inbox, body, signedBy(t, hub.signer(), body))
	if r.Status != http.StatusUnprocessableEntity || r.Reason != "origin_unreachable" || !strings.Contains(r.Error, "slow.example") {
		t.Fatalf("got %d %s (%s), want 422 origin_unreachable naming the origin", r.Status, r.Reason, r.Error)
	}
	if got := counterValue(t, reg, "market_inbox_activities_total", "type", "Announce", "outcome", "origin_unreachable"); got != 1 {
		t.Errorf(`market_inbox_activities_total{type="Announce",outcome="origin_unreachable"} = %v, want 1`, got)
	}
	if !strings.Contains(logs.String(), "origin did not answer") {
		t.Errorf("no log line for the unreachable origin; log: %s", logs.String())
	}
}

// TestInboxPrivateAddressKey: a request signed with a key on a loopback
// host, at an inbox whose client may not reach private networks, is
// refused with its own reason (not as a bad signature), counted, and
// logged for the operator.
func TestInboxPrivateAddressKey(t *testing.T) {
	hub := newTestHub(t, testKey(t, 0)) // on 127.0.0.1
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	logs := &syncBuffer{}
	inbox, rc := testInbox(t, func(in *Inbox) {
		in.Client = NewClient(NewHTTPClient(false, 5*time.Second), nil, time.Hour, nil)
		in.Metrics = m
		in.Log = slog.New(slog.NewTextHandler(logs, nil))
	})
	body := create(hub.actorID, hub.actorID+"/l/private", hub.actorID)
	r := send(t, inbox, body, signedBy(t, hub.signer(), body))
	if r.Status != http.StatusForbidden || r.Reason != "private_address" || !strings.Contains(r.Error, hub.keyID) {
		t.Fatalf("got %d %s (%s), want 403 private_address naming the key", r.Status, r.Reason, r.Error)
	}
	if rc.count() != 0 {
		t.Fatalf("handler called %d times", rc.count())
	}
	if got := counterValue(t, reg, "market_signature_checks_total", "result", "private_address"); got != 1 {
		t.Errorf(`market_signature_checks_total{result="private_address"} = %v, want 1`, got)
	}
	if got := counterValue(t, reg, "market_inbox_activities_total", "type", "Create", "outcome", "private_address"); got != 1 {
		t.Errorf(`market_inbox_activities_total{type="Create",outcome="private_address"} = %v, want 1`, got)
	}
	if l := logs.String(); !strings.Contains(l, "level=WARN") || !strings.Contains(l, "private network address") || !strings.Contains(l, hub.keyID) {
		t.Errorf("no warning naming the key in the log: %s", l)
	}
}

// syncBuffer is a bytes.Buffer safe for a server goroutine to write while
// a test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestInboxCavageCreatedExpires: a draft-cavage signature's own created
// and expires parameters bound it in time as the Date header does.
func TestInboxCavageCreatedExpires(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	in := &Inbox{Now: func() time.Time { return now }}
	r, _ := http.NewRequest(http.MethodPost, "https://relay.example/inbox", nil)
	r.Header.Set("Date", now.Format(http.TimeFormat))
	for _, c := range []struct {
		name             string
		created, expires int64
		ok               bool
	}{
		{"neither", 0, 0, true},
		{"created now, expires later", now.Unix(), now.Unix() + 60, true},
		{"expired", now.Unix() - 120, now.Unix() - 1, false},
		{"created an hour ago", now.Unix() - 3600, 0, false},
		{"created an hour ahead", now.Unix() + 3600, 0, false},
	} {
		rej := in.checkTime(r, &signatureParams{Created: c.created, Expires: c.expires})
		if (rej == nil) != c.ok || (rej != nil && rej.reason != "date_out_of_window") {
			t.Errorf("%s: %+v, want ok=%v", c.name, rej, c.ok)
		}
	}
}

// mitraSign signs r as Mitra does (apx_core http_signatures::create,
// draft-cavage): Digest "SHA-256=<base64>", then rsa-sha256 over
// "(request-target) host date digest", written
// keyId="...",algorithm="rsa-sha256",headers="...",signature="...". It is
// built here by hand, not with go-fed/httpsig, so that the inbox is
// checked against the wire form rather than against its own signer.
func mitraSign(t *testing.T, h *testHub, r *http.Request, body []byte) {
	t.Helper()
	digest := "SHA-256=" + b64sha256(body)
	date := time.Now().UTC().Format(http.TimeFormat)
	r.Header.Set("Digest", digest)
	r.Header.Set("Date", date)
	base := "(request-target): post " + r.URL.Path + "\nhost: " + r.URL.Host + "\ndate: " + date + "\ndigest: " + digest
	d := sha256.Sum256([]byte(base))
	sig, err := rsa.SignPKCS1v15(rand.Reader, h.key, crypto.SHA256, d[:])
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Signature", `keyId="`+h.keyID+`",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="`+base64.StdEncoding.EncodeToString(sig)+`"`)
}

// mitraCreate is a Create as Mitra delivers it: with an eddsa-jcs-2022
// integrity proof (FEP-8b32) on the activity and the Data Integrity
// context added to @context. The inbox does not check the proof; it must
// accept the activity and hand it on byte for byte.
func mitraCreate(actor, objectID string) []byte {
	b, _ := json.Marshal(map[string]any{
		"@context": []any{activityStreamsNS, "https://w3id.org/security/data-integrity/v2"},
		"id":       actor + "/activities/" + randomSuffix(),
		"type":     "Create",
		"actor":    actor,
		"to":       []string{activityStreamsNS + "#Public"},
		"object": map[string]any{
			"id": objectID, "type": "Note", "attributedTo": actor, "content": "<p>Bike for sale</p>",
		},
		"proof": map[string]any{
			"type":               "DataIntegrityProof",
			"cryptosuite":        "eddsa-jcs-2022",
			"created":            "2026-01-02T03:04:05Z",
			"verificationMethod": actor + "#ed25519-key",
			"proofPurpose":       "assertionMethod",
			"proofValue":         "z4vVxpyT57PqoymsDZR9JmNvmkwhgFDY1gh2D54ayzQ5dnBJukvnXKdVcMiTgdsJn4PrivZguS7Ln68QvDknyyACZ",
		},
	})
	return b
}

// TestInboxAcceptsMitraDelivery: what Mitra sends passes the inbox, each
// part on its own and all together: Content-Type application/ld+json with
// the ActivityStreams profile, a draft-cavage rsa-sha256 signature over
// (request-target) host date digest, and an eddsa-jcs-2022 proof on the
// activity.
func TestInboxAcceptsMitraDelivery(t *testing.T) {
	hub := newTestHub(t, testKey(t, 0))
	inbox, rc := testInbox(t, nil)
	const ldJSON = `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`
	for _, c := range []struct {
		name    string
		body    []byte
		prepare func(body []byte) func(*http.Request)
	}{
		{"Content-Type application/ld+json with the ActivityStreams profile", create(hub.actorID, hub.actorID+"/l/ld", hub.actorID),
			func(b []byte) func(*http.Request) {
				return func(r *http.Request) {
					r.Header.Set("Content-Type", ldJSON)
					signedBy(t, hub.signer(), b)(r)
				}
			}},
		{"draft-cavage rsa-sha256 over (request-target) host date digest", create(hub.actorID, hub.actorID+"/l/sig", hub.actorID),
			func(b []byte) func(*http.Request) { return func(r *http.Request) { mitraSign(t, hub, r, b) } }},
		{"eddsa-jcs-2022 integrity proof on the activity", mitraCreate(hub.actorID, hub.actorID+"/l/proof"),
			func(b []byte) func(*http.Request) { return signedBy(t, hub.signer(), b) }},
		{"all three, as Mitra delivers", mitraCreate(hub.actorID, hub.actorID+"/l/mitra"),
			func(b []byte) func(*http.Request) {
				return func(r *http.Request) {
					r.Header.Set("Content-Type", ldJSON)
					mitraSign(t, hub, r, b)
				}
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := rc.count()
			if r := send(t, inbox, c.body, c.prepare(c.body)); r.Status != http.StatusAccepted {
				t.Fatalf("%d %s (%s), want 202", r.Status, r.Reason, r.Error)
			}
			if rc.count() != before+1 {
				t.Fatal("handler did not get the activity")
			}
			rc.mu.Lock()
			got := rc.got[len(rc.got)-1]
			rc.mu.Unlock()
			if string(got.Raw) != string(c.body) || got.KeyID != hub.keyID {
				t.Errorf("handler got key %s and a body that differs from the one sent", got.KeyID)
			}
		})
	}
}

// TestReadBody: the inbox reads a body whatever its Content-Length
// announces (the size, less, more, nothing) and never more than one byte
// past the limit.
func TestReadBody(t *testing.T) {
	const limit = 100
	for _, c := range []struct {
		name      string
		size      int
		announced int64
	}{
		{"as announced", 40, 40}, {"empty", 0, 0}, {"more than announced", 90, 10}, {"less than announced", 10, 90},
		{"unannounced", 60, -1}, {"unannounced, too large", 500, -1}, {"announced too large", 500, 500},
		{"more than announced, too large", 500, 50}, {"exactly the limit", limit, limit},
	} {
		body := bytes.Repeat([]byte("a"), c.size)
		r, _ := http.NewRequest(http.MethodPost, "http://relay.example/inbox", bytes.NewReader(body))
		r.ContentLength = c.announced
		got, err := readBody(r, limit)
		want := body[:min(len(body), limit+1)]
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: read %d bytes, %v; want %d", c.name, len(got), err, len(want))
		}
	}
}
