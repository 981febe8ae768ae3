package federation

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

func BenchmarkParseActivity(b *testing.B) {
	body := create("https://hub.example/users/alice", "https://hub.example/listings/1", "https://hub.example/users/alice")
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := ParseActivity(body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSign(b *testing.B) {
	s := &Signer{KeyID: "https://relay.example/actor#main-key", Key: testKey(b, 0)}
	body := []byte(`{"type":"Create"}`)
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodPost, "https://hub.example/inbox", bytes.NewReader(body))
		if err := s.Sign(req, body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInbox measures the checks of one signed Create (signed once,
// the key cached after the first fetch).
func BenchmarkInbox(b *testing.B) {
	hub := &testHub{key: testKey(b, 0), mux: http.NewServeMux()}
	hub.srv = httptest.NewServer(hub.mux)
	defer hub.srv.Close()
	hub.actorID = hub.srv.URL + "/users/alice"
	hub.keyID = hub.actorID + "#main-key"
	hub.mux.HandleFunc("GET /users/alice", func(w http.ResponseWriter, r *http.Request) {
		ActorHandler(hub.actor(b)).ServeHTTP(w, r)
	})
	in := &Inbox{Client: NewClient(NewHTTPClient(true, 5*time.Second), nil, time.Hour, nil), Handler: &recorder{}}
	s := hub.signer()
	body := create(hub.actorID, hub.actorID+"/listings/1", hub.actorID)
	signed := httptest.NewRequest(http.MethodPost, "http://relay.example/inbox", nil)
	if err := s.Sign(signed, body); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "http://relay.example/inbox", bytes.NewReader(body))
		req.Header = signed.Header.Clone()
		req.Header.Set("Content-Type", ContentType)
		rec := httptest.NewRecorder()
		in.ServeHTTP(rec, req)
		if rec.Code != http.StatusAccepted {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkParseRemoteActor measures decoding a fetched actor document
// (a Mastodon-style Person with one key).
func BenchmarkParseRemoteActor(b *testing.B) {
	body, err := os.ReadFile(filepath.Join("testdata", "actors", "mastodon-person.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := parseRemoteActor(body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkActorDocument measures writing the actor document that every
// GET of the actor serves.
func BenchmarkActorDocument(b *testing.B) {
	a := relayActor(b)
	for b.Loop() {
		if _, err := a.MarshalJSON(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEnvelope measures building the Accept a relay sends for a
// Follow (the Follow embedded as received).
func BenchmarkEnvelope(b *testing.B) {
	follow := json.RawMessage(activity("Follow", "https://hub.example/users/alice", "https://relay.example/actor"))
	now := time.Now()
	for b.Loop() {
		e := Envelope{Type: "Accept", ID: "https://relay.example/activities/abc", Actor: "https://relay.example/actor",
			Object: follow, To: []string{"https://hub.example/users/alice"}, Published: now}
		if _, err := e.MarshalJSON(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCollectionPage measures serving one page of 20 outbox items.
func BenchmarkCollectionPage(b *testing.B) {
	items := make([]any, 20)
	for i := range items {
		items[i] = json.RawMessage(`{"id":"https://hub.example/a/` + strconv.Itoa(i) + `","type":"Create","object":{"type":["Note","Proposal"],"summary":"A blue bike"}}`)
	}
	h := CollectionHandler(Collection{
		ID:    "https://hub.example/outbox",
		Count: func(context.Context) (int, error) { return 100, nil },
		Page:  func(context.Context, string, int) ([]any, string, error) { return items, "20", nil },
	})
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "https://hub.example/outbox?page=true", nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}
