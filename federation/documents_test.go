package federation

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestActorDocument(t *testing.T) {
	a := relayActor(t)
	a.Extra["id"] = "https://evil.example/x" // cannot replace the actor's own id
	srv := httptest.NewServer(ActorHandler(a))
	defer srv.Close()
	for _, accept := range []string{ContentType, ldJSONProfileContentType, ""} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		req.Header.Set("Accept", accept)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != ContentType {
			t.Fatalf("Accept %q: %d %q", accept, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		var doc map[string]any
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Fatal(err)
		}
		ctx, _ := doc["@context"].([]any)
		if len(ctx) != 2 || ctx[0] != activityStreamsNS || ctx[1] != securityNS {
			t.Errorf("@context %v", doc["@context"])
		}
		if doc["id"] != a.ID || doc["type"] != "Service" || doc["inbox"] != a.Inbox || doc["following"] != a.Following {
			t.Errorf("document %s", body)
		}
		if doc["specialization"] == nil {
			t.Errorf("Extra member missing from %s", body)
		}
		if _, ok := doc["summary"]; ok {
			t.Errorf("empty summary written: %s", body)
		}
		// What we serve, our own client reads back, key included.
		ra, err := parseRemoteActor(body)
		if err != nil || ra.ID != a.ID || ra.SharedInbox != a.Endpoints.SharedInbox || !ra.PublicKey.Equal(&testKey(t, 0).PublicKey) {
			t.Fatalf("parseRemoteActor: %+v, %v", ra, err)
		}
	}
	resp, err := http.Post(srv.URL, ContentType, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST actor: %d, want 405", resp.StatusCode)
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "keys")
	path := filepath.Join(dir, "actor.pem")
	// Concurrent first calls agree on one key.
	keys := make([]any, 3)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, err := LoadOrCreateKey(path)
			if err != nil {
				t.Error(err)
				return
			}
			keys[i] = k
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	k1, _ := LoadOrCreateKey(path)
	for _, k := range keys {
		if !k1.Equal(k) {
			t.Fatal("LoadOrCreateKey returned different keys for one file")
		}
	}
	if k1.N.BitLen() != 2048 {
		t.Errorf("key has %d bits, want 2048", k1.N.BitLen())
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	di, err := os.Stat(dir)
	if err != nil || di.Mode().Perm() != 0o700 {
		t.Fatalf("key directory mode %v (%v), want 0700", di.Mode().Perm(), err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("key directory holds %d files, want only the key", len(entries))
	}
	// A key file others can read is tightened.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateKey(path); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after reload %v, want 0600", fi.Mode().Perm())
	}
	// A damaged key file is an error, not a silent new key.
	if err := os.WriteFile(path, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateKey(path); err == nil {
		t.Fatal("a damaged key file was accepted")
	}
	pem, err := PublicKeyPEM(&k1.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := parsePublicKeyPEM(pem)
	if err != nil || !pub.Equal(&k1.PublicKey) {
		t.Fatalf("PEM round trip: %v", err)
	}
}

func TestWebFinger(t *testing.T) {
	const host = "relay.example"
	h := WebFingerHandler(host, func(u string) (string, bool) {
		if u == "relay" || u == "actor" {
			return "https://relay.example/actor", true
		}
		return "", false
	})
	for _, c := range []struct {
		resource string
		status   int
		reason   string
	}{
		{"acct:relay@relay.example", 200, ""},
		{"relay@RELAY.example", 200, ""},
		{"https://relay.example/actor", 200, ""},
		{"", 400, "missing_resource"},
		{"acct:relay", 400, "invalid_resource"},
		{"acct:bob@relay.example", 404, "not_found"},
		{"acct:relay@other.example", 404, "not_found"},
		{"https://other.example/actor", 404, "not_found"},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/.well-known/webfinger?resource="+url.QueryEscape(c.resource), nil))
		if rec.Code != c.status {
			t.Errorf("resource %q: status %d, want %d: %s", c.resource, rec.Code, c.status, rec.Body)
			continue
		}
		if c.status != 200 {
			var e errorBody
			if json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Reason != c.reason || e.Error == "" {
				t.Errorf("resource %q: error body %s, want reason %s", c.resource, rec.Body, c.reason)
			}
			continue
		}
		var jrd JRD
		if err := json.Unmarshal(rec.Body.Bytes(), &jrd); err != nil {
			t.Fatal(err)
		}
		if rec.Header().Get("Content-Type") != "application/jrd+json" || jrd.Subject == "" ||
			!slices.Contains(jrd.Links, JRDLink{Rel: "self", Type: ContentType, Href: "https://relay.example/actor"}) {
			t.Errorf("resource %q: %s %s", c.resource, rec.Header().Get("Content-Type"), rec.Body)
		}
	}
}

func TestNodeInfo(t *testing.T) {
	wk, doc := NodeInfoHandlers("https://relay.example/", func() NodeInfo {
		return NodeInfo{SoftwareName: "Market", SoftwareVersion: "0.1.0", Users: 1, LocalPosts: 42,
			Metadata: map[string]any{"nodeName": "test relay"}}
	})
	rec := httptest.NewRecorder()
	wk.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/.well-known/nodeinfo", nil))
	var links struct{ Links []JRDLink }
	if err := json.Unmarshal(rec.Body.Bytes(), &links); err != nil {
		t.Fatal(err)
	}
	want := JRDLink{Rel: "http://nodeinfo.diaspora.software/ns/schema/2.1", Href: "https://relay.example/nodeinfo/2.1"}
	if len(links.Links) != 1 || links.Links[0] != want {
		t.Fatalf("well-known: %s", rec.Body)
	}
	rec = httptest.NewRecorder()
	doc.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/nodeinfo/2.1", nil))
	var d struct {
		Version           string
		Software          struct{ Name, Version string }
		Protocols         []string
		Services          struct{ Inbound, Outbound []string }
		OpenRegistrations *bool
		Usage             struct {
			Users      struct{ Total int }
			LocalPosts int
		}
		Metadata map[string]any
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	if d.Version != "2.1" || d.Software.Name != "market" || d.Software.Version != "0.1.0" ||
		!slices.Equal(d.Protocols, []string{"activitypub"}) || d.Services.Inbound == nil || d.OpenRegistrations == nil ||
		*d.OpenRegistrations || d.Usage.Users.Total != 1 || d.Usage.LocalPosts != 42 || d.Metadata["nodeName"] != "test relay" {
		t.Fatalf("document: %s", rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"` {
		t.Errorf("Content-Type %q", ct)
	}
}

func TestActorMarshalsByValueAndPointer(t *testing.T) {
	a := Actor{ID: "https://relay.example/actor", Type: "Service", Inbox: "https://relay.example/inbox"}
	for _, v := range []any{a, &a, struct{ A Actor }{a}} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), `"@context":["https://www.w3.org/ns/activitystreams","https://w3id.org/security/v1"]`) ||
			!strings.Contains(string(b), `"inbox":"https://relay.example/inbox"`) {
			t.Errorf("%T marshals to %s", v, b)
		}
	}
}
