package node

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/federation"
)

// syncBuffer is a log sink safe for concurrent handlers.
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

func openTestNode(t *testing.T, logs *syncBuffer) *Node {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.PublicURL = "http://127.0.0.1:1"
	n, err := Open(cfg, slog.New(slog.NewTextHandler(logs, nil)), Options{Mode: "test", ActorType: "Service", Username: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

// TestPanicIsALogged500: a panicking handler answers 500 with the one
// error shape and the request id, the panic goes to the log with the same
// id, and the server keeps serving.
func TestPanicIsALogged500(t *testing.T) {
	var logs syncBuffer
	n := openTestNode(t, &logs)
	n.HandleFunc("GET /boom", func(w http.ResponseWriter, r *http.Request) { panic("secret detail") })
	srv := httptest.NewServer(n.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/boom")
	if err != nil {
		t.Fatalf("the connection was dropped: %v", err)
	}
	defer resp.Body.Close()
	var body struct{ Error, Reason string }
	json.NewDecoder(resp.Body).Decode(&body)
	id := resp.Header.Get("X-Request-Id")
	if resp.StatusCode != 500 || body.Reason != "internal" || id == "" || !strings.Contains(body.Error, id) {
		t.Fatalf("status %d, body %+v, request id %q", resp.StatusCode, body, id)
	}
	if strings.Contains(body.Error, "secret detail") {
		t.Fatal("the panic's value reached the client")
	}
	if l := logs.String(); !strings.Contains(l, "secret detail") || !strings.Contains(l, id) {
		t.Fatalf("log lacks the panic or the request id: %s", l)
	}
	if resp, err := http.Get(srv.URL + "/healthz"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("after a panic: %v %v", resp, err)
	}
}

func TestRequestID(t *testing.T) {
	n := openTestNode(t, &syncBuffer{})
	var seen string
	n.HandleFunc("GET /id", func(w http.ResponseWriter, r *http.Request) { seen = RequestID(r.Context()) })
	h := n.Handler()
	for _, tc := range []struct {
		in   string
		kept bool
	}{{"abc-123", true}, {"", false}, {strings.Repeat("x", 65), false}, {"has space", false}, {"ctl\x01", false}} {
		req := httptest.NewRequest("GET", "/id", nil)
		if tc.in != "" {
			req.Header.Set("X-Request-Id", tc.in)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		got := rec.Header().Get("X-Request-Id")
		if got != seen || got == "" || (got == tc.in) != tc.kept {
			t.Errorf("incoming %q: answered %q, handler saw %q, kept want %v", tc.in, got, seen, tc.kept)
		}
	}
}

// TestWriteErrorTable: each sentinel answers its status and reason with its
// message; an unknown error answers 500 without its text, which is logged.
func TestWriteErrorTable(t *testing.T) {
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	for _, tc := range []struct {
		err    error
		status int
		reason string
		shown  bool
	}{
		{fmt.Errorf("%w: price: must be a decimal", federation.ErrInvalid), 400, "invalid", true},
		{fmt.Errorf("listing x: %w", federation.ErrNotFound), 404, "not_found", true},
		{fmt.Errorf("listing x: %w", federation.ErrGone), 404, "not_found", true},
		{fmt.Errorf("taken down already: %w", federation.ErrConflict), 409, "conflict", true},
		{fmt.Errorf("%w: not yours", federation.ErrForbidden), 403, "forbidden", true},
		{fmt.Errorf("%w: 10.0.0.1", federation.ErrPrivateAddress), 403, "forbidden", true},
		{fmt.Errorf("%w: timeout", federation.ErrOriginUnreachable), 422, "origin_unreachable", true},
		{federation.WithCode(429, "rate_limited", "slow down", errors.New("bucket empty")), 429, "rate_limited", false},
		{errors.New("disk on fire at /var/secret"), 500, "internal", false},
	} {
		rec := httptest.NewRecorder()
		WriteError(rec, httptest.NewRequest("GET", "/x", nil), log, tc.err)
		var body struct{ Error, Reason string }
		json.Unmarshal(rec.Body.Bytes(), &body)
		if rec.Code != tc.status || body.Reason != tc.reason {
			t.Errorf("%v: %d %s, want %d %s", tc.err, rec.Code, body.Reason, tc.status, tc.reason)
		}
		if shown := body.Error == tc.err.Error(); shown != tc.shown {
			t.Errorf("%v: message %q shown=%v, want %v", tc.err, body.Error, shown, tc.shown)
		}
	}
	if !strings.Contains(logs.String(), "disk on fire") {
		t.Error("the server error's detail was not logged")
	}
}

// TestReadiness: /readyz is 503 until Serve runs, and while a mode says
// it is not ready.
func TestReadiness(t *testing.T) {
	n := openTestNode(t, &syncBuffer{})
	busy := "rebuilding"
	n.NotReadyWhile(func() string { return busy })
	get := func() (int, string) {
		rec := httptest.NewRecorder()
		n.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
		return rec.Code, rec.Body.String()
	}
	if code, _ := get(); code != 503 {
		t.Fatalf("before Serve: %d", code)
	}
	n.ready.Store(true)
	if code, body := get(); code != 503 || !strings.Contains(body, "rebuilding") {
		t.Fatalf("while busy: %d %s", code, body)
	}
	busy = ""
	if code, _ := get(); code != 200 {
		t.Fatalf("ready: %d", code)
	}
}

// TestDataDirFilesRenamed: relay.db and relay.key take their current
// names; a directory with both an old and a new file is refused.
func TestDataDirFilesRenamed(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "relay.key"), []byte("k"), 0o600)
	os.WriteFile(filepath.Join(dir, "relay.db"), []byte("d"), 0o600)
	if err := openDataDir(dir, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, KeyFile)); string(b) != "k" {
		t.Fatalf("%s = %q", KeyFile, b)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, DBFile)); string(b) != "d" {
		t.Fatalf("%s = %q", DBFile, b)
	}
	os.WriteFile(filepath.Join(dir, "relay.key"), []byte("other"), 0o600)
	err := openDataDir(dir, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "relay.key") || !strings.Contains(err.Error(), KeyFile) {
		t.Fatalf("both files present: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, KeyFile)); string(b) != "k" {
		t.Fatal("the key in use was overwritten")
	}
}

// TestETagAndCompression: the actor document carries an ETag and a
// matching If-None-Match gets 304 without a body; a large JSON answer is
// gzipped for a client that asks, and plain for one that does not.
func TestETagAndCompression(t *testing.T) {
	n := openTestNode(t, &syncBuffer{})
	big := strings.Repeat("listing ", 1000)
	n.HandleFunc("GET /big", func(w http.ResponseWriter, r *http.Request) { WriteJSON(w, 200, map[string]string{"text": big}) })
	h := n.Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/actor", nil))
	etag := rec.Header().Get("ETag")
	if rec.Code != 200 || etag == "" || !strings.Contains(rec.Body.String(), n.ActorID) {
		t.Fatalf("actor: %d etag %q", rec.Code, etag)
	}
	req := httptest.NewRequest("GET", "/actor", nil)
	req.Header.Set("If-None-Match", `"other", `+etag)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Fatalf("revalidation: %d, %d bytes", rec.Code, rec.Body.Len())
	}
	n.Actor().Summary = "changed"
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Header().Get("ETag") == etag {
		t.Fatalf("after a change: %d, etag %q", rec.Code, rec.Header().Get("ETag"))
	}

	req = httptest.NewRequest("GET", "/big", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Header().Get("Content-Encoding") != "gzip" || rec.Body.Len() >= len(big) {
		t.Fatalf("gzip asked: encoding %q, %d bytes", rec.Header().Get("Content-Encoding"), rec.Body.Len())
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/big", nil))
	if rec.Header().Get("Content-Encoding") != "" || !strings.Contains(rec.Body.String(), big) {
		t.Fatal("a client that did not ask got a compressed body")
	}
}

// BenchmarkHTTPLayer measures what the node's HTTP layer (request id,
// recovery, compression check) adds to a small JSON answer, against the
// bare router the relay used before.
func BenchmarkHTTPLayer(b *testing.B) {
	cfg := config.Default()
	cfg.DataDir = b.TempDir()
	cfg.PublicURL = "http://127.0.0.1:1"
	n, err := Open(cfg, slog.New(slog.DiscardHandler), Options{Mode: "bench", ActorType: "Service", Username: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer n.Close()
	for name, h := range map[string]http.Handler{"bare_router": n.mux, "with_layer": n.Handler()} {
		b.Run(name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/healthz", nil)
			req.Header.Set("Accept-Encoding", "gzip")
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}

// TestPersonCollectionsLiveUnderTheActor: a node whose actor is not at
// /actor (a hub's person) serves its outbox, followers and following
// under the actor's path, where its actor document points and where
// listing.Encode addresses followers; a mode's outbox replaces the empty
// one.
func TestPersonCollectionsLiveUnderTheActor(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.PublicURL = "http://127.0.0.1:1"
	n, err := Open(cfg, slog.New(slog.DiscardHandler), Options{Mode: "hub", ActorType: "Person", ActorPath: "/users/alice", Username: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	n.ServeOutbox(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, http.StatusOK, map[string]any{"type": "OrderedCollection", "totalItems": 7})
	}))
	srv := httptest.NewServer(n.Handler())
	defer srv.Close()
	a := n.Actor()
	if a.Followers != cfg.PublicURL+"/users/alice/followers" || a.Outbox != cfg.PublicURL+"/users/alice/outbox" || a.Inbox != cfg.PublicURL+"/users/alice/inbox" {
		t.Fatalf("actor collections: %+v", a)
	}
	for path, want := range map[string]float64{"/users/alice/outbox": 7, "/users/alice/followers": 0, "/users/alice/following": 0} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		var c struct{ TotalItems float64 }
		json.NewDecoder(resp.Body).Decode(&c)
		resp.Body.Close()
		if resp.StatusCode != 200 || c.TotalItems != want {
			t.Errorf("GET %s: %d, totalItems %v, want %v", path, resp.StatusCode, c.TotalItems, want)
		}
	}
	if resp, _ := http.Get(srv.URL + "/followers"); resp.StatusCode != 404 {
		t.Errorf("GET /followers on a person's node: %d, want 404", resp.StatusCode)
	}
}
