package federation

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-fed/httpsig"
)

// testKeys are RSA-2048 keys generated once per test binary (generation
// is the slow part of these tests).
var (
	testKeysOnce sync.Once
	testKeyList  []*rsa.PrivateKey
)

// testKey returns the i-th shared test key (0 to 3).
func testKey(t testing.TB, i int) *rsa.PrivateKey {
	t.Helper()
	testKeysOnce.Do(func() {
		for range 4 {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			testKeyList = append(testKeyList, k)
		}
	})
	return testKeyList[i]
}

// testHub is a small remote server on 127.0.0.1 serving one actor whose
// key can change, counting how often the actor is fetched.
type testHub struct {
	srv     *httptest.Server
	mux     *http.ServeMux
	actorID string
	keyID   string

	mu      sync.Mutex
	key     *rsa.PrivateKey
	fetches atomic.Int32
}

func newTestHub(t *testing.T, key *rsa.PrivateKey) *testHub {
	t.Helper()
	h := &testHub{key: key, mux: http.NewServeMux()}
	h.srv = httptest.NewServer(h.mux)
	t.Cleanup(h.srv.Close)
	h.actorID = h.srv.URL + "/users/alice"
	h.keyID = h.actorID + "#main-key"
	h.mux.HandleFunc("GET /users/alice", func(w http.ResponseWriter, r *http.Request) {
		h.fetches.Add(1)
		ActorHandler(h.actor(t)).ServeHTTP(w, r)
	})
	return h
}

// actor returns the hub's actor document with its current key.
func (h *testHub) actor(t testing.TB) *Actor {
	h.mu.Lock()
	pub, keyID := &h.key.PublicKey, h.keyID
	h.mu.Unlock()
	pem, err := PublicKeyPEM(pub)
	if err != nil {
		t.Error(err)
	}
	return &Actor{
		ID: h.actorID, Type: "Person", PreferredUsername: "alice",
		Inbox: h.actorID + "/inbox", Outbox: h.actorID + "/outbox", Followers: h.actorID + "/followers",
		PublicKey: PublicKey{ID: keyID, Owner: h.actorID, PublicKeyPem: pem},
	}
}

func (h *testHub) setKey(k *rsa.PrivateKey) {
	h.mu.Lock()
	h.key = k
	h.mu.Unlock()
}

func (h *testHub) signer() *Signer {
	h.mu.Lock()
	defer h.mu.Unlock()
	return &Signer{KeyID: h.keyID, Key: h.key}
}

// host returns the hub's host:port.
func (h *testHub) host() string { return strings.TrimPrefix(h.srv.URL, "http://") }

// recorder is a Handler that records what it is given.
type recorder struct {
	mu   sync.Mutex
	got  []*Activity
	fail error
}

func (rc *recorder) HandleActivity(_ context.Context, a *Activity) error {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.fail != nil {
		return rc.fail
	}
	rc.got = append(rc.got, a)
	return nil
}

func (rc *recorder) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.got)
}

// testInbox starts an Inbox on 127.0.0.1 and returns its URL and handler.
func testInbox(t *testing.T, configure func(*Inbox)) (string, *recorder) {
	t.Helper()
	rc := &recorder{}
	in := &Inbox{
		Client:  NewClient(NewHTTPClient(true, 5*time.Second), nil, time.Hour, nil),
		Handler: rc,
	}
	if configure != nil {
		configure(in)
	}
	srv := httptest.NewServer(in)
	t.Cleanup(srv.Close)
	return srv.URL + "/inbox", rc
}

// response is an inbox answer.
type response struct {
	Status int    `json:"-"`
	State  string `json:"status"`
	Reason string `json:"reason"`
	Error  string `json:"error"`
}

// send posts body to url; prepare runs on the request before it is sent
// (signing it, or not).
func send(t *testing.T, url string, body []byte, prepare func(*http.Request)) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ContentType)
	if prepare != nil {
		prepare(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var r response
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("response %d is not JSON: %q", resp.StatusCode, b)
	}
	r.Status = resp.StatusCode
	return r
}

// signedBy signs a request with s over the body.
func signedBy(t *testing.T, s *Signer, body []byte) func(*http.Request) {
	return func(r *http.Request) {
		if err := s.Sign(r, body); err != nil {
			t.Fatal(err)
		}
	}
}

// signHeaders signs r with key over exactly the given headers, without
// touching Digest: for requests Signer would never make.
func signHeaders(t *testing.T, key *rsa.PrivateKey, keyID string, headers []string) func(*http.Request) {
	return func(r *http.Request) {
		r.Header.Set("Host", r.URL.Host)
		if r.Header.Get("Date") == "" {
			r.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
		}
		s, _, err := httpsig.NewSigner([]httpsig.Algorithm{httpsig.RSA_SHA256}, httpsig.DigestSha256, headers, httpsig.Signature, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SignRequest(key, keyID, r, nil); err != nil {
			t.Fatal(err)
		}
	}
}

// create returns a Create activity by actor of a Note with the given id
// and attributedTo.
func create(actor, objectID, owner string) []byte {
	b, _ := json.Marshal(map[string]any{
		"@context": activityStreamsNS,
		"id":       actor + "/activities/" + randomSuffix(),
		"type":     "Create",
		"actor":    actor,
		"object": map[string]any{
			"id": objectID, "type": []string{"Note", "Proposal"}, "attributedTo": owner,
			"name": "Bike", "summary": "A blue bike",
		},
	})
	return b
}

// activity returns an activity with an object given by IRI.
func activity(typ, actor, object string) []byte {
	b, _ := json.Marshal(map[string]any{
		"@context": activityStreamsNS,
		"id":       actor + "/activities/" + randomSuffix(),
		"type":     typ,
		"actor":    actor,
		"object":   object,
	})
	return b
}

var suffix atomic.Int64

func randomSuffix() string { return strconv.FormatInt(suffix.Add(1), 10) }

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func b64sha256(b []byte) string {
	s := sha256.Sum256(b)
	return base64.StdEncoding.EncodeToString(s[:])
}
