package federation

import (
	"bytes"
	"encoding/json"
	"errors"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// relayActor is the actor a relay serves, as relay/server.go builds it.
func relayActor(t testing.TB) *Actor {
	pem, err := PublicKeyPEM(&testKey(t, 0).PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return &Actor{
		ID: "https://relay.example/actor", Type: "Service", PreferredUsername: "relay", Name: "Market relay",
		URL:   "https://relay.example/",
		Inbox: "https://relay.example/inbox", Outbox: "https://relay.example/outbox",
		Followers: "https://relay.example/followers", Following: "https://relay.example/following",
		Endpoints: &Endpoints{SharedInbox: "https://relay.example/inbox"},
		PublicKey: PublicKey{ID: "https://relay.example/actor#main-key", Owner: "https://relay.example/actor", PublicKeyPem: pem},
		Extra:     map[string]any{"specialization": map[string]any{"regions": []string{"FR"}}},
	}
}

// TestActorDocumentMembers: the document has exactly the members the
// fields and Extra give, with the values given.
func TestActorDocumentMembers(t *testing.T) {
	a := relayActor(t)
	a.Extra["summary"] = "from Extra" // a member of the Actor's own: never from Extra
	a.Extra["attachment"] = []any{map[string]any{"type": "Link", "href": "https://relay.example/l/1"}}
	b, err := a.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	mustMembers(t, b) // one JSON object, no member twice
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"@context":          []any{activityStreamsNS, securityNS},
		"id":                a.ID,
		"type":              "Service",
		"preferredUsername": "relay",
		"name":              "Market relay",
		"url":               "https://relay.example/",
		"inbox":             a.Inbox, "outbox": a.Outbox, "followers": a.Followers, "following": a.Following,
		"endpoints":                 map[string]any{"sharedInbox": "https://relay.example/inbox"},
		"publicKey":                 map[string]any{"id": a.PublicKey.ID, "owner": a.ID, "publicKeyPem": a.PublicKey.PublicKeyPem},
		"manuallyApprovesFollowers": false,
		"specialization":            map[string]any{"regions": []any{"FR"}},
		"attachment":                []any{map[string]any{"type": "Link", "href": "https://relay.example/l/1"}},
	}
	if !reflect.DeepEqual(doc, want) {
		t.Errorf("document\n%s\nwant\n%v", b, want)
	}
}

// TestActorDocumentText: names and summaries go out exactly as given,
// whatever quotes, backslashes and markup they hold, and our client reads
// them back unchanged.
func TestActorDocumentText(t *testing.T) {
	for _, s := range []string{`C:\new folder\table`, `say "hi"`, `"quoted"`, `42`, `<b>bold</b> & co`, "two\nlines\ttab", `{"x":"y"}`, `back\\slash\u0041`, "Zoë ☃"} {
		a := relayActor(t)
		a.Name, a.Summary, a.PreferredUsername = s, s, s
		b, err := a.MarshalJSON()
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		var doc struct{ Name, Summary, PreferredUsername string }
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%q: %v in %s", s, err, b)
		}
		if doc.Name != s || doc.Summary != s || doc.PreferredUsername != s {
			t.Errorf("%q came out as %+v", s, doc)
		}
		ra, err := parseRemoteActor(b)
		if err != nil || ra.Name != s || ra.PreferredUsername != s {
			t.Errorf("%q read back as %+v, %v", s, ra, err)
		}
	}
}

// TestActorDocumentRefused: what would give a broken or misleading
// document is refused, and the handler answers 500 without a body to
// misread.
func TestActorDocumentRefused(t *testing.T) {
	for name, change := range map[string]func(a *Actor){
		"type not an actor type": func(a *Actor) { a.Type = "Note" },
		"type lower case":        func(a *Actor) { a.Type = "service" },
		"no id":                  func(a *Actor) { a.ID = "" },
		"relative inbox":         func(a *Actor) { a.Inbox = "/inbox" },
		"quote in inbox":         func(a *Actor) { a.Inbox = `https://relay.example/in"box` },
		"backslash in followers": func(a *Actor) { a.Followers = `https://relay.example/f\ollowers` },
		"newline in key id":      func(a *Actor) { a.PublicKey.ID = "https://relay.example/actor#k\n" },
		"quote in sharedInbox":   func(a *Actor) { a.Endpoints.SharedInbox = `https://relay.example/"` },
	} {
		a := relayActor(t)
		change(a)
		if _, err := a.MarshalJSON(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: error %v, want ErrInvalid", name, err)
		}
		rec := httptest.NewRecorder()
		ActorHandler(a).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/actor", nil))
		if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "publicKey") {
			t.Errorf("%s: %d %s", name, rec.Code, rec.Body)
		}
	}
}

// TestParseRemoteActorVocab: go-ap reads the standard members; what it
// would silently drop or read differently from encoding/json is refused.
func TestParseRemoteActorVocab(t *testing.T) {
	const id = "https://social.example/users/alice"
	pem, err := PublicKeyPEM(&testKey(t, 0).PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pemJSON, _ := json.Marshal(pem)
	key := `{"id":"` + id + `#main-key","owner":"` + id + `","publicKeyPem":` + string(pemJSON) + `}`
	doc := func(members string) string {
		return `{"id":"` + id + `","type":"Person","inbox":"` + id + `/inbox"` + members + `,"publicKey":` + key + `}`
	}
	ok := []struct {
		name, body string
		check      func(a *RemoteActor) bool
	}{
		{"inbox as an embedded collection", `{"id":"` + id + `","type":"Person","inbox":{"id":"` + id + `/inbox","type":"OrderedCollection"},"publicKey":` + key + `}`,
			func(a *RemoteActor) bool { return a.Inbox == id+"/inbox" }},
		{"empty outbox", doc(`,"outbox":""`), func(a *RemoteActor) bool { return a.Outbox == "" }},
		{"null followers", doc(`,"followers":null`), func(a *RemoteActor) bool { return a.Followers == "" }},
		{"text kept exactly", doc(`,"name":"C:\\new \"x\" 42","preferredUsername":"\"al\""`),
			func(a *RemoteActor) bool { return a.Name == `C:\new "x" 42` && a.PreferredUsername == `"al"` }},
		{"sharedInbox", doc(`,"endpoints":{"sharedInbox":"https://social.example/inbox"}`),
			func(a *RemoteActor) bool { return a.SharedInbox == "https://social.example/inbox" }},
		{"sharedInbox not a URL is ignored", doc(`,"endpoints":{"sharedInbox":"nope"}`), func(a *RemoteActor) bool { return a.SharedInbox == "" }},
		{"unknown members kept in Raw", doc(`,"attachment":[{"type":"Link","href":"https://social.example/p/1"}],"specialization":{"x":1}`),
			func(a *RemoteActor) bool { return bytes.Contains(a.Raw, []byte(`"specialization"`)) }},
	}
	for _, c := range ok {
		a, err := parseRemoteActor([]byte(c.body))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if a.ID != id || a.KeyID != id+"#main-key" || !c.check(a) {
			t.Errorf("%s: %+v", c.name, a)
		}
	}

	bad := []struct{ name, body, want string }{
		{"duplicate id", `{"id":"` + id + `","id":"https://evil.example/u","type":"Person","inbox":"` + id + `/inbox"}`, `member "id" appears twice`},
		{"duplicate inbox", doc(`,"inbox":"https://evil.example/inbox"`), `member "inbox" appears twice`},
		{"inbox a number", `{"id":"` + id + `","type":"Person","inbox":7}`, "inbox: must be an IRI"},
		{"inbox an array", `{"id":"` + id + `","type":"Person","inbox":["` + id + `/inbox"]}`, "inbox: must be an IRI"},
		{"outbox a number", doc(`,"outbox":1`), "outbox: must be an IRI"},
		{"followers without an id", doc(`,"followers":{"type":"OrderedCollection"}`), "followers: must be an IRI"},
		{"name a number", doc(`,"name":3`), "name: must be a string"},
		{"preferredUsername an object", doc(`,"preferredUsername":{"en":"al"}`), "preferredUsername: must be a string"},
		{"endpoints a string", doc(`,"endpoints":"https://social.example/inbox"`), "endpoints:"},
		{"sharedInbox a number", doc(`,"endpoints":{"sharedInbox":5}`), "endpoints.sharedInbox: must be an IRI"},
		{"key owner an object", `{"id":"` + id + `","type":"Person","inbox":"` + id + `/inbox","publicKey":{"id":"` + id + `#k","owner":{"id":"https://evil.example/u"},"publicKeyPem":` + string(pemJSON) + `}}`, "publicKey.owner: must be a string"},
		{"key member twice", `{"id":"` + id + `","type":"Person","inbox":"` + id + `/inbox","publicKey":{"id":"` + id + `#k","id":"https://evil.example/k","publicKeyPem":` + string(pemJSON) + `}}`, `member "id" appears twice`},
		{"invalid UTF-8 in inbox", "{\"id\":\"" + id + "\",\"type\":\"Person\",\"inbox\":\"" + id + "/\xff\"}", "not valid UTF-8"},
		{"quote in inbox", `{"id":"` + id + `","type":"Person","inbox":"` + id + `/in\"box"}`, "inbox"},
	}
	for _, c := range bad {
		_, err := parseRemoteActor([]byte(c.body))
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want ErrInvalid containing %q", c.name, err, c.want)
		}
	}
}

// TestEnvelope: every envelope the marketplace sends is built with go-ap,
// passes our own inbox parser, and says what it was given.
func TestEnvelope(t *testing.T) {
	const (
		actor = "https://relay.example/actor"
		hub   = "https://hub.example/users/alice"
	)
	published := time.Date(2026, 3, 4, 5, 6, 7, 800, time.FixedZone("CET", 3600))
	for _, typ := range []string{"Follow", "Accept", "Reject", "Undo", "Create", "Update", "Delete", "Announce", "Offer"} {
		e := Envelope{Type: typ, ID: "https://relay.example/activities/" + typ, Actor: actor, Object: hub + "/o/1",
			To: []string{hub}, CC: []string{publicAudience}, Published: published}
		b, err := e.MarshalJSON()
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		a, err := ParseActivity(b)
		if err != nil {
			t.Fatalf("%s: %v in %s", typ, err, b)
		}
		if a.Type != typ || a.ID != e.ID || a.Actor != actor || a.ObjectID != hub+"/o/1" || a.ObjectEmbedded ||
			!a.Published.Equal(published.Truncate(time.Second)) {
			t.Errorf("%s: parsed %+v from %s", typ, a, b)
		}
		var doc struct {
			Context   string   `json:"@context"`
			To, CC    []string `json:"-"`
			Published string   `json:"published"`
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(b, &doc); err != nil || json.Unmarshal(b, &raw) != nil {
			t.Fatal(err)
		}
		if doc.Context != activityStreamsNS || doc.Published != "2026-03-04T04:06:07Z" ||
			string(raw["to"]) != `["`+hub+`"]` || string(raw["cc"]) != `["`+publicAudience+`"]` {
			t.Errorf("%s: %s", typ, b)
		}
	}
}

// publicAudience is the ActivityStreams public collection.
const publicAudience = "https://www.w3.org/ns/activitystreams#Public"

// TestEnvelopeObjects: an embedded object goes out whole, whatever go-ap
// knows of its type: a Follow kept as received, and a marketplace
// Proposal with members go-ap has never heard of.
func TestEnvelopeObjects(t *testing.T) {
	const actor = "https://relay.example/actor"
	follow := json.RawMessage(`{"@context":"https://www.w3.org/ns/activitystreams","id":"https://hub.example/f/1","type":"Follow","actor":"https://hub.example/users/alice","object":"https://relay.example/actor"}`)
	b, err := Envelope{Type: "Accept", ID: "https://relay.example/a/1", Actor: actor, Object: follow, To: []string{"https://hub.example/users/alice"}}.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseActivity(b)
	if err != nil {
		t.Fatal(err)
	}
	if !a.ObjectEmbedded || a.ObjectID != "https://hub.example/f/1" || a.ObjectActor != "https://hub.example/users/alice" || !bytes.Equal(a.Object, follow) {
		t.Errorf("Accept carries %s", a.Object)
	}
	if _, ok := mustMembers(t, b)["published"]; ok {
		t.Errorf("zero Published written: %s", b)
	}

	proposal := map[string]any{
		"id": "https://hub.example/l/1", "type": []string{"Note", "Proposal"}, "attributedTo": "https://hub.example/users/alice",
		"summary": "A blue bike", "listingType": "offer", "publishes": map[string]any{"type": "Intent", "resourceQuantity": map[string]any{"hasNumericalValue": "1"}},
	}
	b, err = Envelope{Type: "Create", ID: "https://hub.example/a/1", Actor: "https://hub.example/users/alice", Object: proposal}.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if a, err = ParseActivity(b); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(a.Object, &got); err != nil {
		t.Fatal(err)
	}
	wantJSON, _ := json.Marshal(proposal)
	var want map[string]any
	_ = json.Unmarshal(wantJSON, &want)
	if !reflect.DeepEqual(got, want) || !slices.Equal(a.ObjectTypes, []string{"Note", "Proposal"}) {
		t.Errorf("Proposal came out as %s", a.Object)
	}
	if _, ok := mustMembers(t, b)["to"]; ok {
		t.Errorf("empty To written: %s", b)
	}
}

// TestEnvelopeUnchangedForRelay: what the relay sends is member for member
// what it sent before the vocabulary moved to go-ap (a map encoded with
// encoding/json); only the order of the members differs.
func TestEnvelopeUnchangedForRelay(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	follow := json.RawMessage(activity("Follow", "https://hub.example/users/alice", "https://relay.example/actor"))
	for _, object := range []any{follow, "https://hub.example/users/alice",
		map[string]any{"id": "https://relay.example/activities/f1", "type": "Follow", "actor": "https://relay.example/actor", "object": "https://hub.example/users/alice"}} {
		before, err := json.Marshal(map[string]any{
			"@context": activityStreamsNS, "id": "https://relay.example/activities/x", "type": "Accept",
			"actor": "https://relay.example/actor", "to": []string{"https://hub.example/users/alice"},
			"object": object, "published": now.Format(time.RFC3339),
		})
		if err != nil {
			t.Fatal(err)
		}
		after, err := Envelope{Type: "Accept", ID: "https://relay.example/activities/x", Actor: "https://relay.example/actor",
			Object: object, To: []string{"https://hub.example/users/alice"}, Published: now}.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var b, a any
		if err := json.Unmarshal(before, &b); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(after, &a); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("before %s\nafter  %s", before, after)
		}
	}
}

func TestEnvelopeRefused(t *testing.T) {
	ok := Envelope{Type: "Follow", ID: "https://relay.example/a/1", Actor: "https://relay.example/actor", Object: "https://hub.example/u"}
	for _, c := range []struct {
		name   string
		change func(e *Envelope)
		want   string
	}{
		{"unknown type", func(e *Envelope) { e.Type = "Bogus" }, `type: "Bogus" is not an ActivityStreams activity type`},
		{"type in lower case", func(e *Envelope) { e.Type = "follow" }, `type: "follow"`},
		{"intransitive type", func(e *Envelope) { e.Type = "Question" }, `type: "Question"`},
		{"relative id", func(e *Envelope) { e.ID = "/a/1" }, `id: "/a/1" is not an absolute http(s) URL`},
		{"actor not http", func(e *Envelope) { e.Actor = "mailto:relay@relay.example" }, "actor: "},
		{"quote in actor", func(e *Envelope) { e.Actor = `https://relay.example/a"b` }, "actor: "},
		{"no object", func(e *Envelope) { e.Object = nil }, "object: missing"},
		{"object an array", func(e *Envelope) { e.Object = json.RawMessage(`["https://hub.example/u"]`) }, "object: an embedded object must be a JSON object"},
		{"object broken JSON", func(e *Envelope) { e.Object = json.RawMessage(`{"id":`) }, "object: an embedded object must be a JSON object"},
		{"object not a URI", func(e *Envelope) { e.Object = "hub.example/u" }, `object: "hub.example/u" is not an absolute URI`},
		{"quote in object IRI", func(e *Envelope) { e.Object = `https://hub.example/u","x":"` }, "object: "},
		{"quote in to", func(e *Envelope) { e.To = []string{"https://hub.example/u", `https://x.example/"`} }, "to[1]: "},
		{"control character in cc", func(e *Envelope) { e.CC = []string{"https://hub.example/u\r"} }, "cc[0]: "},
	} {
		e := ok
		c.change(&e)
		b, err := e.MarshalJSON()
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %s, %v; want ErrInvalid containing %q", c.name, b, err, c.want)
		}
	}
}

// mustMembers decodes a JSON object's members.
func mustMembers(t *testing.T, b []byte) map[string]json.RawMessage {
	t.Helper()
	m, err := decodeObject(b)
	if err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return m
}

// TestActorFixturesThroughGoAP: every actor fixture decodes as before the
// vocabulary moved to go-ap (the fixtures' expectations are in
// TestParseRemoteActorFixtures); this checks the fields they carry.
func TestActorFixturesThroughGoAP(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "actors", "relay-service.json"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := parseRemoteActor(b)
	if err != nil || a.Type != "Service" || a.Inbox != "https://relay.example/inbox" || a.PreferredUsername != "relay" || a.Outbox != "" {
		t.Errorf("relay-service: %+v, %v", a, err)
	}
}

// TestGoAPOnlyInVocab keeps go-ap behind the vocabulary layer: no file of
// the module but federation/vocab.go imports it, so that it can be
// upgraded or replaced in one place.
func TestGoAPOnlyInVocab(t *testing.T) {
	root := ".."
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found: %v", err)
	}
	var importers []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			if strings.HasPrefix(strings.Trim(imp.Path.Value, `"`), "github.com/go-ap/") {
				importers = append(importers, filepath.ToSlash(path))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(importers, []string{"../federation/vocab.go"}) {
		t.Errorf("go-ap imported by %q; only federation/vocab.go may", importers)
	}
}

// FuzzEnvelope: go-ap writes IRIs unescaped, and the IRIs of an envelope
// often come from other servers. Whatever they are, an envelope is either
// refused with ErrInvalid or one our own inbox parser reads back with the
// same id, actor, object and audience.
func FuzzEnvelope(f *testing.F) {
	f.Add("Accept", "https://relay.example/a/1", "https://relay.example/actor", "https://hub.example/f/1", "https://hub.example/u")
	f.Add("Create", "https://hub.example/a/1", "https://hub.example/u", `https://hub.example/"l"`, "https://www.w3.org/ns/activitystreams#Public")
	f.Add("Offer", "https://hub.example/a/é", "http://hub.example:8080/u?x=1&y=<2>", "urn:uuid:1", "https://hub.example/u\u2028")
	f.Fuzz(func(t *testing.T, typ, id, actor, object, to string) {
		b, err := Envelope{Type: typ, ID: id, Actor: actor, Object: object, To: []string{to}}.MarshalJSON()
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		a, err := ParseActivity(b)
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		var doc struct{ To []string }
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		if a.Type != typ || a.ID != id || a.Actor != actor || a.ObjectID != object || !slices.Equal(doc.To, []string{to}) {
			t.Fatalf("%s read back as %+v, to %q", b, a, doc.To)
		}
	})
}

// TestEnvelopeResult: an Accept of an Offer carries the Agreement as its
// result, whole.
func TestEnvelopeResult(t *testing.T) {
	agreement := json.RawMessage(`{"type":"Agreement","id":"https://b.example/deals/1","stipulates":{"type":"Commitment"}}`)
	b, err := Envelope{Type: "Accept", ID: "https://s.example/a/1", Actor: "https://s.example/u", Object: "https://b.example/a/offer", Result: agreement}.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Object string          `json:"object"`
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(b, &got); err != nil || got.Object != "https://b.example/a/offer" || !strings.Contains(string(got.Result), `"stipulates":{"type":"Commitment"}`) {
		t.Fatalf("%s (%v)", b, err)
	}
}
