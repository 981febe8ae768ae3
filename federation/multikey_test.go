package federation

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mr-tron/base58"
)

// edServer is a server on 127.0.0.1 with one actor that publishes an RSA
// key and an Ed25519 Multikey, and a real Inbox at /inbox. refuseEd25519
// makes its inbox answer Ed25519 signatures as a server that does not know
// them would (401).
type edServer struct {
	srv     *httptest.Server
	actorID string
	rsaKey  string // key ids
	edKey   string
	signer  *Signer
	rc      *recorder

	mu            sync.Mutex
	algs          []string // the alg of each request's RFC 9421 signature; "cavage" for draft-cavage
	refuseEd25519 bool
}

func newEdServer(t *testing.T, rsaIndex int, publishEd bool) *edServer {
	t.Helper()
	_, edPriv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s := &edServer{rc: &recorder{}}
	mux := http.NewServeMux()
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	s.actorID = s.srv.URL + "/users/owner"
	s.rsaKey, s.edKey = s.actorID+"#main-key", s.actorID+"#ed25519-key"
	s.signer = &Signer{KeyID: s.rsaKey, Key: testKey(t, rsaIndex), Ed25519Key: edPriv, Ed25519KeyID: s.edKey}
	pem, err := PublicKeyPEM(&s.signer.Key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	actor := &Actor{ID: s.actorID, Type: "Person", Inbox: s.srv.URL + "/inbox",
		PublicKey: PublicKey{ID: s.rsaKey, Owner: s.actorID, PublicKeyPem: pem}}
	if publishEd {
		actor.AssertionMethod = []Multikey{Ed25519Multikey(s.edKey, s.actorID, edPriv.Public().(ed25519.PublicKey))}
	}
	mux.Handle("GET /users/owner", ActorHandler(actor))
	in := &Inbox{Client: NewClient(NewHTTPClient(true, 5*time.Second), s.signer, time.Hour, nil), Handler: s.rc}
	mux.HandleFunc("POST /inbox", func(w http.ResponseWriter, r *http.Request) {
		if s.refused(w, r) {
			return
		}
		in.ServeHTTP(w, r)
	})
	// A document only signed GETs read (an authorized fetch).
	mux.HandleFunc("GET /private", func(w http.ResponseWriter, r *http.Request) {
		if s.refused(w, r) {
			return
		}
		if _, err := in.VerifyGet(r); err != nil {
			WriteError(w, http.StatusUnauthorized, "bad_signature", err.Error())
			return
		}
		w.Header().Set("Content-Type", ContentType)
		w.Write([]byte(`{"id":"` + s.srv.URL + `/private"}`))
	})
	return s
}

// refused records the kind of r's signature and, when the server
// refuses Ed25519 signatures and r has one, answers 401 and reports true.
func (s *edServer) refused(w http.ResponseWriter, r *http.Request) bool {
	alg := "cavage"
	if m, err := parseMessageSignature(r); err == nil {
		alg = m.alg
	}
	s.mu.Lock()
	s.algs = append(s.algs, alg)
	refuse := s.refuseEd25519 && alg == algEd25519
	s.mu.Unlock()
	if refuse {
		WriteError(w, http.StatusUnauthorized, "bad_signature", `signature algorithm "ed25519" not accepted`)
	}
	return refuse
}

// client is a Client signing as the server's actor.
func (s *edServer) client() *Client {
	return NewClient(NewHTTPClient(true, 5*time.Second), s.signer, time.Hour, nil)
}

// seen returns the signature kinds the inbox got, and forgets them.
func (s *edServer) seen() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	got := strings.Join(s.algs, " ")
	s.algs = nil
	return got
}

// TestEd25519BetweenServers: a server whose peer's actor publishes an
// Ed25519 key signs to it with its own (RFC 9421, alg ed25519), which the
// peer's inbox verifies against the Multikey of the sender's actor; to a
// host it knows no such actor of, and to one whose actor publishes none,
// it signs with RSA as before.
func TestEd25519BetweenServers(t *testing.T) {
	a, b := newEdServer(t, 0, true), newEdServer(t, 1, true)
	plain := newEdServer(t, 2, false)
	ctx := context.Background()
	c := a.client()
	if err := c.Post(ctx, b.srv.URL+"/inbox", create(a.actorID, a.actorID+"/l/1", a.actorID)); err != nil {
		t.Fatal(err)
	}
	if got := b.seen(); got != "cavage" {
		t.Fatalf("before any actor of the host is known, sent %q, want cavage", got)
	}
	for _, peer := range []*edServer{b, plain} {
		if _, err := c.Actor(ctx, peer.actorID); err != nil {
			t.Fatal(err)
		}
	}
	for i, peer := range []*edServer{b, b, plain} {
		if err := c.Post(ctx, peer.srv.URL+"/inbox", create(a.actorID, a.actorID+"/l/x"+randomSuffix(), a.actorID)); err != nil {
			t.Fatalf("post %d: %v", i, err)
		}
	}
	if got := b.seen(); got != "ed25519 ed25519" {
		t.Errorf("to a server that publishes an Ed25519 key: sent %q, want ed25519 twice", got)
	}
	if got := plain.seen(); got != "cavage" {
		t.Errorf("to a server that publishes none: sent %q, want cavage", got)
	}
	if b.rc.count() != 3 || plain.rc.count() != 1 {
		t.Fatalf("inboxes took %d and %d activities, want 3 and 1", b.rc.count(), plain.rc.count())
	}
	if got := b.rc.got[2].Actor; got != a.actorID {
		t.Fatalf("activity taken from %q, want %q", got, a.actorID)
	}
}

// TestEd25519RefusedFallsBack: a server that refuses an Ed25519
// signature gets the delivery again signed as configured, and from then
// on only that way.
func TestEd25519RefusedFallsBack(t *testing.T) {
	a, b := newEdServer(t, 0, true), newEdServer(t, 1, true)
	b.refuseEd25519 = true
	ctx := context.Background()
	c := a.client()
	if _, err := c.Actor(ctx, b.actorID); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if err := c.Post(ctx, b.srv.URL+"/inbox", create(a.actorID, a.actorID+"/l/r"+randomSuffix(), a.actorID)); err != nil {
			t.Fatalf("post %d: %v", i, err)
		}
	}
	if got := b.seen(); got != "ed25519 cavage cavage" {
		t.Fatalf("sent %q, want one refused ed25519 knock, then cavage", got)
	}
	if b.rc.count() != 2 {
		t.Fatalf("inbox took %d activities, want 2", b.rc.count())
	}
}

// TestEd25519Refusals: a signature with an Ed25519 key that does not
// verify, or whose algorithm does not fit its key, or an Ed25519 key in a
// draft-cavage signature, is refused with 401 and nothing is handed on.
func TestEd25519Refusals(t *testing.T) {
	a, b := newEdServer(t, 0, true), newEdServer(t, 1, true)
	other := newEdServer(t, 2, true)
	inbox := b.srv.URL + "/inbox"
	body := create(a.actorID, a.actorID+"/l/1", a.actorID)
	withSigner := func(s *Signer, keyID, alg string) func(*http.Request) {
		return func(r *http.Request) {
			sign := func(base []byte) ([]byte, error) { return ed25519.Sign(s.Ed25519Key, base), nil }
			if err := s.signMessageWith(r, messageComponents(r, body), keyID, alg, sign); err != nil {
				t.Fatal(err)
			}
		}
	}
	cases := []struct {
		name    string
		body    []byte
		prepare func(*http.Request)
	}{
		{"another actor's Ed25519 key under the sender's key id", body, withSigner(other.signer, a.edKey, algEd25519)},
		{"body changed after signing", bytes.Replace(body, []byte("Bike"), []byte("Boat"), 1), withSigner(a.signer, a.edKey, algEd25519)},
		{"alg rsa-v1_5-sha256 with the Ed25519 key", body, withSigner(a.signer, a.edKey, algRSAv15SHA256)},
		{"alg ed25519 naming the RSA key", body, withSigner(a.signer, a.rsaKey, algEd25519)},
		{"draft-cavage naming the Ed25519 key", body, func(r *http.Request) {
			s := *a.signer
			s.KeyID = a.edKey
			if err := s.Sign(r, body); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tc := range cases {
		resp := send(t, inbox, tc.body, tc.prepare)
		if resp.Status != http.StatusUnauthorized {
			t.Errorf("%s: status %d (%s), want 401", tc.name, resp.Status, resp.Error)
		}
	}
	if b.rc.count() != 0 {
		t.Fatalf("inbox handed on %d activities, want none", b.rc.count())
	}
	// The same request, rightly signed, passes.
	if resp := send(t, inbox, body, withSigner(a.signer, a.edKey, algEd25519)); resp.Status != http.StatusAccepted {
		t.Fatalf("rightly signed: status %d (%s), want 202", resp.Status, resp.Error)
	}
}

// TestActorPublishesMultikey: the actor document carries the Ed25519 key
// as a FEP-521a Multikey under assertionMethod, with its context, and a
// reader takes it back.
func TestActorPublishesMultikey(t *testing.T) {
	s := newEdServer(t, 0, true)
	body, err := NewClient(NewHTTPClient(true, 5*time.Second), nil, time.Hour, nil).Get(context.Background(), s.actorID)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Context         []string   `json:"@context"`
		AssertionMethod []Multikey `json:"assertionMethod"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(doc.Context, " "), multikeyNS) {
		t.Errorf("@context %q lacks %s", doc.Context, multikeyNS)
	}
	if len(doc.AssertionMethod) != 1 || doc.AssertionMethod[0].Type != "Multikey" || doc.AssertionMethod[0].Controller != s.actorID ||
		!strings.HasPrefix(doc.AssertionMethod[0].PublicKeyMultibase, "z6Mk") { // every Ed25519 multikey reads z6Mk...
		t.Fatalf("assertionMethod %+v", doc.AssertionMethod)
	}
	a, err := parseRemoteActor(body)
	if err != nil {
		t.Fatal(err)
	}
	want := s.signer.Ed25519Key.Public().(ed25519.PublicKey)
	if k := a.withKey(s.edKey); k == nil || !k.Ed25519Key.Equal(want) || k.PublicKey != nil {
		t.Fatalf("key %s read back as %+v", s.edKey, k)
	}
}

// TestMultikeysHostile: assertionMethod entries that are not the actor's
// own Ed25519 keys are skipped: another origin, another controller, a
// value that is not base58, too long, another key type, a reference, and
// entries past the bound; the actor's own key is kept.
func TestMultikeysHostile(t *testing.T) {
	actor := "https://hub.example/users/owner"
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	good := Ed25519Multikey(actor+"#ed", actor, pub)
	mk := func(change func(*Multikey)) Multikey { k := good; change(&k); return k }
	entries := []any{
		"https://hub.example/keys/1",
		good,
		mk(func(k *Multikey) { k.ID = "https://evil.example/users/owner#ed" }),
		mk(func(k *Multikey) { k.Controller = "https://hub.example/users/other" }),
		mk(func(k *Multikey) { k.PublicKeyMultibase = "z0OIl" + k.PublicKeyMultibase[5:] }),
		mk(func(k *Multikey) { k.PublicKeyMultibase += strings.Repeat("2", 100) }),
		mk(func(k *Multikey) { k.PublicKeyMultibase = "z" + base58.Encode(append([]byte{0xe7, 0x01}, pub...)) }), // secp256k1's codec
		mk(func(k *Multikey) { k.Type = "JsonWebKey" }),
		mk(func(k *Multikey) { k.ID = "https://hub.example/users/owner#" + strings.Repeat("a", MaxURLChars) }),
	}
	raw, _ := json.Marshal(entries)
	keys := ed25519Keys(actor, raw)
	if len(keys) != 1 || !keys[good.ID].Equal(pub) {
		t.Fatalf("kept %v, want only %s", keys, good.ID)
	}
	var many []Multikey
	for i := range maxMultikeys + 1 {
		many = append(many, mk(func(k *Multikey) { k.ID += string(rune('a' + i)) }))
	}
	raw, _ = json.Marshal(many)
	if keys := ed25519Keys(actor, raw); len(keys) != maxMultikeys {
		t.Fatalf("kept %d of %d entries, want the first %d", len(keys), len(many), maxMultikeys)
	}
	one, _ := json.Marshal(good)
	if keys := ed25519Keys(actor, one); len(keys) != 1 {
		t.Fatalf("one object: kept %d keys, want 1", len(keys))
	}
}

// TestLoadOrCreateEd25519Key: the key is created once (mode 0600) and
// read back the same; an RSA key file is not taken for one.
func TestLoadOrCreateEd25519Key(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "ed.key")
	k1, err := LoadOrCreateEd25519Key(path)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := LoadOrCreateEd25519Key(path)
	if err != nil || !k1.Equal(k2) {
		t.Fatalf("second load: %v (same key: %v)", err, k1.Equal(k2))
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v", err, fi.Mode().Perm())
	}
	rsaPath := filepath.Join(t.TempDir(), "rsa.key")
	if _, err := LoadOrCreateKey(rsaPath); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateEd25519Key(rsaPath); err == nil || errors.Is(err, os.ErrNotExist) {
		t.Fatalf("an RSA key file read as an Ed25519 key: %v", err)
	}
}

// TestEd25519SignedGet: GETs are signed as POSTs are: with the Ed25519
// key to a server that takes it (whose VerifyGet checks it), and with RSA
// again, from then on, once one refuses it.
func TestEd25519SignedGet(t *testing.T) {
	a, b := newEdServer(t, 0, true), newEdServer(t, 1, true)
	ctx := context.Background()
	c := a.client()
	if _, err := c.Actor(ctx, b.actorID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(ctx, b.srv.URL+"/private"); err != nil {
		t.Fatal(err)
	}
	if got := b.seen(); got != "ed25519" {
		t.Fatalf("GET signed %q, want ed25519", got)
	}
	b.mu.Lock()
	b.refuseEd25519 = true
	b.mu.Unlock()
	for range 2 {
		if _, err := c.Get(ctx, b.srv.URL+"/private"); err != nil {
			t.Fatal(err)
		}
	}
	if got := b.seen(); got != "ed25519 cavage cavage" {
		t.Fatalf("GETs signed %q once the server refuses Ed25519, want one refused knock, then cavage", got)
	}
}
