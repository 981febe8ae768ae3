package federation

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// serveJSON answers every request with doc as ActivityPub JSON.
func serveJSON(doc any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ContentType)
		_ = json.NewEncoder(w).Encode(doc)
	}
}

func testClient(signer *Signer) *Client {
	return NewClient(NewHTTPClient(true, 5*time.Second), signer, time.Hour, nil)
}

// TestKeyOwnerRefusesKeyOfAnotherActor: a key is only an actor's when the
// actor's own document publishes it, on the same origin.
func TestKeyOwnerRefusesKeyOfAnotherActor(t *testing.T) {
	ctx := context.Background()
	alice := newTestHub(t, testKey(t, 0))
	mallory := newTestHub(t, testKey(t, 1))
	pem, _ := PublicKeyPEM(&testKey(t, 1).PublicKey)
	// Mallory publishes a key document claiming Alice owns it.
	mallory.mux.HandleFunc("GET /keys/k1", serveJSON(map[string]any{
		"id": mallory.srv.URL + "/keys/k1", "type": "Key", "owner": alice.actorID, "publicKeyPem": pem,
	}))
	// Alice's server has a key document Alice's actor does not publish.
	alice.mux.HandleFunc("GET /keys/stray", serveJSON(map[string]any{
		"id": alice.srv.URL + "/keys/stray", "type": "Key", "owner": alice.actorID, "publicKeyPem": pem,
	}))
	// Mallory's actor document lists a key it says Alice owns.
	mallory.mux.HandleFunc("GET /users/eve", serveJSON(map[string]any{
		"id": mallory.srv.URL + "/users/eve", "type": "Person", "inbox": mallory.srv.URL + "/inbox",
		"publicKey": map[string]any{"id": mallory.srv.URL + "/users/eve#main-key", "owner": alice.actorID, "publicKeyPem": pem},
	}))

	c := testClient(nil)
	for keyID, want := range map[string]error{
		mallory.srv.URL + "/keys/k1":            ErrForbidden, // owner on another origin
		alice.srv.URL + "/keys/stray":           ErrForbidden, // no reciprocal claim
		alice.actorID + "#other-key":            ErrForbidden, // actor publishes #main-key only
		mallory.srv.URL + "/users/eve#main-key": ErrInvalid,   // actor lists a key owned by someone else
	} {
		a, err := c.KeyOwner(ctx, keyID, false)
		if !errors.Is(err, want) {
			t.Errorf("KeyOwner(%s) = %v, %v; want error %v", keyID, a, err, want)
		}
	}
	a, err := c.KeyOwner(ctx, alice.keyID, false)
	if err != nil || a.ID != alice.actorID || a.KeyID != alice.keyID || !a.PublicKey.Equal(&testKey(t, 0).PublicKey) {
		t.Fatalf("KeyOwner(own key) = %+v, %v", a, err)
	}

	// Signed with Mallory's key claiming to be Alice's: the inbox refuses.
	inbox, rc := testInbox(t, nil)
	body := create(alice.actorID, alice.actorID+"/l/1", alice.actorID)
	r := send(t, inbox, body, signedBy(t, &Signer{KeyID: mallory.srv.URL + "/keys/k1", Key: testKey(t, 1)}, body))
	if r.Status != http.StatusUnauthorized || r.Reason != "bad_signature" || rc.count() != 0 {
		t.Fatalf("forged key: %d %s (%s), handler calls %d; want 401 bad_signature and none", r.Status, r.Reason, r.Error, rc.count())
	}
}

// TestKeyOwnerSeparateKeyDocument: a keyId that is its own document with an
// owner resolves to the owner when the owner publishes it.
func TestKeyOwnerSeparateKeyDocument(t *testing.T) {
	hub := newTestHub(t, testKey(t, 0))
	pem, _ := PublicKeyPEM(&testKey(t, 0).PublicKey)
	keyID := hub.srv.URL + "/users/bob/main-key"
	bob := map[string]any{
		"id": hub.srv.URL + "/users/bob", "type": "Service", "inbox": hub.srv.URL + "/users/bob/inbox",
		"publicKey": map[string]any{"id": keyID, "owner": hub.srv.URL + "/users/bob", "publicKeyPem": pem},
	}
	hub.mux.HandleFunc("GET /users/bob", serveJSON(bob))
	// A stub actor at the key URL, as some servers serve.
	hub.mux.HandleFunc("GET /users/bob/main-key", serveJSON(bob))
	a, err := testClient(nil).KeyOwner(context.Background(), keyID, false)
	if err != nil || a.ID != hub.srv.URL+"/users/bob" || a.KeyID != keyID || a.Type != "Service" {
		t.Fatalf("KeyOwner = %+v, %v", a, err)
	}
}

func TestClientGet(t *testing.T) {
	ctx := context.Background()
	key := testKey(t, 0)
	signer := &Signer{KeyID: "https://relay.example/actor#main-key", Key: key}
	other := httptest.NewServer(serveJSON(map[string]any{"id": "x"}))
	defer other.Close()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	var lastSig error
	mux.HandleFunc("GET /doc", func(w http.ResponseWriter, r *http.Request) {
		p, err := parseSignature(r)
		if err == nil {
			err = p.check(false)
		}
		if err == nil {
			err = verifySignature(r, p, &key.PublicKey, "http")
		}
		lastSig = err
		w.Header().Set("Content-Type", `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`)
		io.WriteString(w, `{"id":"doc"}`)
	})
	mux.HandleFunc("GET /moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/doc", http.StatusFound) })
	mux.HandleFunc("GET /away", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, other.URL+"/doc", http.StatusFound) })
	mux.HandleFunc("GET /html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `{"id":"doc"}`)
	})
	mux.HandleFunc("GET /gone", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusGone) })
	mux.HandleFunc("GET /broken", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) })
	mux.HandleFunc("GET /huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ContentType)
		io.WriteString(w, `{"pad":"`+strings.Repeat("x", maxDocumentBytes)+`"}`)
	})

	c := testClient(signer)
	for _, path := range []string{"/doc", "/moved"} {
		b, err := c.Get(ctx, srv.URL+path)
		if err != nil || string(b) != `{"id":"doc"}` {
			t.Errorf("Get %s = %q, %v", path, b, err)
		}
		if lastSig != nil {
			t.Errorf("Get %s: the server could not verify the signature: %v", path, lastSig)
		}
	}
	for path, want := range map[string]error{
		"/away":    ErrInvalid,
		"/html":    ErrInvalid,
		"/huge":    ErrInvalid,
		"/missing": ErrNotFound,
		"/gone":    ErrGone,
	} {
		if _, err := c.Get(ctx, srv.URL+path); !errors.Is(err, want) {
			t.Errorf("Get %s: error %v, want %v", path, err, want)
		}
	}
	if _, err := c.Get(ctx, srv.URL+"/broken"); err == nil || !strings.Contains(err.Error(), "502") {
		t.Errorf("Get /broken: error %v, want one naming status 502", err)
	}
}

// TestFetchObject: an object named by id alone is fetched from its origin
// and must carry that id; each failure is the error an inbox answers
// with, an origin that cannot be reached now apart from one that says no.
func TestFetchObject(t *testing.T) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	mux.HandleFunc("GET /notes/1", func(w http.ResponseWriter, r *http.Request) {
		serveJSON(map[string]any{"id": srv.URL + "/notes/1", "type": "Note"})(w, r)
	})
	mux.HandleFunc("GET /moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/notes/1", http.StatusFound) })
	mux.HandleFunc("GET /impostor", serveJSON(map[string]any{"id": "https://elsewhere.example/notes/1"}))
	mux.HandleFunc("GET /array", func(w http.ResponseWriter, r *http.Request) { serveJSON([]int{1})(w, r) })
	mux.HandleFunc("GET /gone", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusGone) })
	mux.HandleFunc("GET /broken", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) })
	c := testClient(nil)
	ctx := context.Background()
	if b, err := c.FetchObject(ctx, srv.URL+"/notes/1"); err != nil || !strings.Contains(string(b), `"Note"`) {
		t.Fatalf("FetchObject = %s, %v", b, err)
	}
	for path, want := range map[string]error{
		"/moved":    ErrForbidden, // the document's id is not the one asked for
		"/impostor": ErrForbidden,
		"/array":    ErrInvalid,
		"/missing":  ErrNotFound,
		"/gone":     ErrNotFound,
		"/broken":   ErrOriginUnreachable,
	} {
		_, err := c.FetchObject(ctx, srv.URL+path)
		if !errors.Is(err, want) {
			t.Errorf("FetchObject %s: %v, want %v", path, err, want)
		}
		if want != ErrOriginUnreachable && errors.Is(err, ErrOriginUnreachable) {
			t.Errorf("FetchObject %s: %v is counted as unreachable", path, err)
		}
	}
	if _, err := testClient(nil).FetchObject(ctx, "http://127.0.0.1:1/notes/1"); !errors.Is(err, ErrOriginUnreachable) {
		t.Errorf("FetchObject from a closed port: %v, want ErrOriginUnreachable", err)
	}
	private := NewClient(NewHTTPClient(false, 5*time.Second), nil, time.Hour, nil)
	if _, err := private.FetchObject(ctx, srv.URL+"/notes/1"); !errors.Is(err, ErrForbidden) {
		t.Errorf("FetchObject from a private address: %v, want ErrForbidden", err)
	}
}

func TestActorDocumentMustHaveTheRequestedID(t *testing.T) {
	hub := newTestHub(t, testKey(t, 0))
	hub.mux.HandleFunc("GET /users/impostor", func(w http.ResponseWriter, r *http.Request) {
		ActorHandler(hub.actor(t)).ServeHTTP(w, r) // claims to be /users/alice
	})
	c := testClient(nil)
	if _, err := c.Actor(context.Background(), hub.srv.URL+"/users/impostor"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Actor(impostor) error %v, want ErrInvalid", err)
	}
	a, err := c.Actor(context.Background(), hub.actorID)
	if err != nil || a.Inbox != hub.actorID+"/inbox" || a.PreferredUsername != "alice" || a.KeyID != hub.keyID {
		t.Fatalf("Actor = %+v, %v", a, err)
	}
	// Cached: no second fetch; RefreshActor fetches again.
	if _, err := c.Actor(context.Background(), hub.actorID); err != nil || hub.fetches.Load() != 1 {
		t.Fatalf("second Actor: %v, fetches %d, want 1", err, hub.fetches.Load())
	}
	if _, err := c.RefreshActor(context.Background(), hub.actorID); err != nil || hub.fetches.Load() != 2 {
		t.Fatalf("RefreshActor: %v, fetches %d, want 2", err, hub.fetches.Load())
	}
}

func TestActorCacheExpires(t *testing.T) {
	hub := newTestHub(t, testKey(t, 0))
	clock := newFakeClock()
	c := NewClient(NewHTTPClient(true, 5*time.Second), nil, time.Minute, nil)
	c.Now = clock.Now
	for i, step := range []time.Duration{0, 30 * time.Second, 31 * time.Second} {
		clock.Advance(step)
		if _, err := c.Actor(context.Background(), hub.actorID); err != nil {
			t.Fatal(err)
		}
		want := []int32{1, 1, 2}[i]
		if got := hub.fetches.Load(); got != want {
			t.Errorf("after %d calls: %d fetches, want %d", i+1, got, want)
		}
	}
}

func TestResolveActor(t *testing.T) {
	hub := newTestHub(t, testKey(t, 0))
	hub.mux.Handle("GET /.well-known/webfinger", WebFingerHandler(hub.host(), func(u string) (string, bool) {
		return hub.actorID, u == "alice"
	}))
	c := testClient(nil)
	for _, ref := range []string{"acct:alice@" + hub.host(), "alice@" + hub.host(), "@alice@" + hub.host(), hub.actorID} {
		id, err := c.ResolveActor(context.Background(), ref)
		if err != nil || id != hub.actorID {
			t.Errorf("ResolveActor(%s) = %q, %v; want %s", ref, id, err, hub.actorID)
		}
	}
	if _, err := c.ResolveActor(context.Background(), "bob@"+hub.host()); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown account: error %v, want ErrNotFound", err)
	}
	if _, err := c.ResolveActor(context.Background(), "no-host"); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad reference: error %v, want ErrInvalid", err)
	}
	// Without private networks allowed there is no plain-http fallback.
	strict := NewClient(NewHTTPClient(false, 5*time.Second), nil, time.Hour, nil)
	if strict.AllowHTTP {
		t.Fatal("a client refusing private networks allows plain-http WebFinger")
	}
	if _, err := strict.ResolveActor(context.Background(), "alice@"+hub.host()); !errors.Is(err, ErrPrivateAddress) {
		t.Errorf("strict client: error %v, want ErrPrivateAddress", err)
	}
}

func TestPost(t *testing.T) {
	hub := newTestHub(t, testKey(t, 0))
	inbox, rc := testInbox(t, nil)
	body := create(hub.actorID, hub.actorID+"/l/post", hub.actorID)
	c := testClient(hub.signer())
	if err := c.Post(context.Background(), inbox, body); err != nil {
		t.Fatalf("Post to a verifying inbox: %v", err)
	}
	if rc.count() != 1 {
		t.Fatalf("inbox accepted %d activities, want 1", rc.count())
	}

	status, retryAfter := 0, ""
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		WriteError(w, status, "test", "refused for the test")
	}))
	defer srv.Close()
	for _, c2 := range []struct {
		status     int
		retryAfter string
		wantAfter  time.Duration
		permanent  bool
	}{
		{429, "30", 30 * time.Second, false},
		{503, "", 0, false},
		{408, "", 0, false},
		{400, "", 0, true},
		{410, "", 0, true},
	} {
		status, retryAfter = c2.status, c2.retryAfter
		err := c.Post(context.Background(), srv.URL, body)
		var de *DeliveryError
		if !errors.As(err, &de) {
			t.Fatalf("status %d: error %v is not a *DeliveryError", c2.status, err)
		}
		if de.Status != c2.status || de.RetryAfter != c2.wantAfter || de.Permanent() != c2.permanent {
			t.Errorf("status %d: got %+v permanent=%v", c2.status, de, de.Permanent())
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"":                              0,
		"120":                           2 * time.Minute,
		"0":                             0,
		"-5":                            0,
		"soon":                          0,
		"999999999":                     maxRetryAfter,
		"Fri, 02 Jan 2026 03:05:05 GMT": time.Minute,
		"Fri, 02 Jan 2026 03:00:00 GMT": 0,
	} {
		if got := parseRetryAfter(v, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", v, got, want)
		}
	}
}

// TestNewHTTPClientRefusesPrivateAddresses: with private networks not
// allowed, neither a loopback IP nor a name resolving to one is dialled.
func TestNewHTTPClientRefusesPrivateAddresses(t *testing.T) {
	srv := httptest.NewServer(serveJSON(map[string]any{"id": "x"}))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	strict := NewHTTPClient(false, 5*time.Second)
	for _, u := range []string{srv.URL, "http://localhost:" + port + "/"} {
		resp, err := strict.Get(u)
		if err == nil {
			resp.Body.Close()
		}
		if !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("GET %s: error %v, want ErrPrivateAddress", u, err)
		}
	}
	// The federation client surfaces it too, and a delivery there is
	// permanent.
	c := NewClient(strict, nil, time.Hour, nil)
	if _, err := c.Get(context.Background(), srv.URL); !errors.Is(err, ErrPrivateAddress) {
		t.Errorf("Client.Get: error %v, want ErrPrivateAddress", err)
	}
	var de *DeliveryError
	if err := c.Post(context.Background(), srv.URL, []byte(`{}`)); !errors.As(err, &de) || !errors.Is(err, ErrPrivateAddress) || !de.Permanent() {
		t.Errorf("Client.Post: error %v, want a permanent DeliveryError wrapping ErrPrivateAddress", err)
	}
	// Allowed when asked for.
	resp, err := NewHTTPClient(true, 5*time.Second).Get(srv.URL)
	if err != nil {
		t.Fatalf("allowPrivate client: %v", err)
	}
	resp.Body.Close()
}

func TestIsPublicAddress(t *testing.T) {
	for s, want := range map[string]bool{
		"127.0.0.1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false,
		"169.254.169.254": false, "100.64.0.1": false, "0.0.0.0": false, "224.0.0.1": false,
		"255.255.255.255": false, "198.18.0.1": false, "::1": false, "::": false, "fe80::1": false,
		"fc00::1": false, "fd12:3456::1": false, "::ffff:127.0.0.1": false, "::ffff:10.0.0.1": false,
		"64:ff9b::a00:1": false, "2002:a00:1::": false, "ff02::1": false,
		"93.184.216.34": true, "1.1.1.1": true, "2606:4700:4700::1111": true, "::ffff:1.1.1.1": true,
	} {
		if got := IsPublicAddress(netip.MustParseAddr(s)); got != want {
			t.Errorf("IsPublicAddress(%s) = %v, want %v", s, got, want)
		}
	}
}

// TestActorStringsAreCapped: an actor document of nearly 1 MiB, almost all
// of it a name of two-byte characters, yields a name cut to
// MaxActorNameChars characters (valid UTF-8, a prefix of the original) and
// a preferredUsername cut to MaxActorUsernameChars; an actor with an
// over-long URL is refused with an error naming the field, not repeating
// the URL.
func TestActorStringsAreCapped(t *testing.T) {
	ctx := context.Background()
	hub := newTestHub(t, testKey(t, 0))
	pem, _ := PublicKeyPEM(&testKey(t, 0).PublicKey)
	name := strings.Repeat("ä", (maxDocumentBytes-8<<10)/2)
	user := strings.Repeat("€", 1000)
	doc := func(id string, extra map[string]any) map[string]any {
		d := map[string]any{
			"id": id, "type": "Person", "inbox": id + "/inbox", "outbox": id + "/outbox", "followers": id + "/followers",
			"endpoints": map[string]any{"sharedInbox": hub.srv.URL + "/inbox"},
			"publicKey": map[string]any{"id": id + "#main-key", "owner": id, "publicKeyPem": pem},
		}
		for k, v := range extra {
			d[k] = v
		}
		return d
	}
	big := hub.srv.URL + "/users/big"
	hub.mux.HandleFunc("GET /users/big", serveJSON(doc(big, map[string]any{"name": name, "preferredUsername": user, "summary": strings.Repeat("s", 4000)})))
	a, err := testClient(nil).Actor(ctx, big)
	if err != nil {
		t.Fatalf("actor with a ~1 MiB name: %v", err)
	}
	if len(a.Raw) < maxDocumentBytes/2 {
		t.Fatalf("the document served is only %d bytes", len(a.Raw))
	}
	if n := utf8.RuneCountInString(a.Name); n != MaxActorNameChars || !utf8.ValidString(a.Name) || !strings.HasPrefix(name, a.Name) {
		t.Errorf("name: %d characters (valid UTF-8: %v), want the first %d", n, utf8.ValidString(a.Name), MaxActorNameChars)
	}
	if n := utf8.RuneCountInString(a.PreferredUsername); n != MaxActorUsernameChars || !strings.HasPrefix(user, a.PreferredUsername) {
		t.Errorf("preferredUsername: %d characters, want the first %d", n, MaxActorUsernameChars)
	}
	// A short name is kept as it is.
	if got := truncateChars("Zoë", MaxActorNameChars); got != "Zoë" {
		t.Errorf("short name became %q", got)
	}

	long := hub.srv.URL + "/" + strings.Repeat("x", MaxURLChars)
	for field, d := range map[string]map[string]any{
		"inbox":                 doc(hub.srv.URL+"/users/u1", map[string]any{"inbox": long}),
		"outbox":                doc(hub.srv.URL+"/users/u2", map[string]any{"outbox": long}),
		"followers":             doc(hub.srv.URL+"/users/u3", map[string]any{"followers": long}),
		"endpoints.sharedInbox": doc(hub.srv.URL+"/users/u4", map[string]any{"endpoints": map[string]any{"sharedInbox": long}}),
		"key id":                doc(hub.srv.URL+"/users/u5", map[string]any{"publicKey": map[string]any{"id": long, "publicKeyPem": pem}}),
		"id":                    doc(long, nil),
	} {
		b, _ := json.Marshal(d)
		_, err := parseRemoteActor(b)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "actor "+field+" is") || strings.Contains(err.Error(), long) {
			t.Errorf("%s of %d characters: %v; want ErrInvalid naming the field, without the URL", field, len(long), err)
		}
	}
	// At the limit it is accepted.
	atLimit := hub.srv.URL + "/users/u6"
	b, _ := json.Marshal(doc(atLimit, map[string]any{"followers": atLimit + "/" + strings.Repeat("f", MaxURLChars-len(atLimit)-1)}))
	if _, err := parseRemoteActor(b); err != nil {
		t.Errorf("followers of exactly %d characters: %v", MaxURLChars, err)
	}
}
