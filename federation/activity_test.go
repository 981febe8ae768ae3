package federation

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/listing"
)

func TestParseActivity(t *testing.T) {
	const actor = "https://hub.example/users/alice"
	ok := []struct {
		name string
		body string
		want Activity
	}{
		{"create with embedded listing",
			`{"@context":"https://www.w3.org/ns/activitystreams","id":"https://hub.example/a/1","type":"Create","actor":"https://hub.example/users/alice",
			  "published":"2026-01-02T03:04:05Z",
			  "object":{"id":"https://hub.example/l/1","type":["Note","Proposal"],"attributedTo":"https://hub.example/users/alice"}}`,
			Activity{ID: "https://hub.example/a/1", Type: "Create", Types: []string{"Create"}, Actor: actor, ObjectID: "https://hub.example/l/1",
				ObjectTypes: []string{"Note", "Proposal"}, ObjectOwner: actor, ObjectEmbedded: true,
				Published: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}},
		{"delete by IRI, embedded actor object",
			`{"id":"https://hub.example/a/2","type":"Delete","actor":{"id":"https://hub.example/users/alice","type":"Person"},"object":"https://hub.example/l/1"}`,
			Activity{ID: "https://hub.example/a/2", Type: "Delete", Types: []string{"Delete"}, Actor: actor, ObjectID: "https://hub.example/l/1", ObjectTypes: []string{}}},
		{"attributedTo as an array of objects",
			`{"id":"https://hub.example/a/3","type":"Update","actor":"https://hub.example/users/alice",
			  "object":{"id":"https://hub.example/l/1","type":"Proposal","attributedTo":[{"id":"https://hub.example/users/alice","type":"Person"},"https://x.example/b"]}}`,
			Activity{ID: "https://hub.example/a/3", Type: "Update", Types: []string{"Update"}, Actor: actor, ObjectID: "https://hub.example/l/1",
				ObjectTypes: []string{"Proposal"}, ObjectOwner: actor, ObjectEmbedded: true}},
		{"undo of an embedded follow",
			`{"id":"https://hub.example/a/4","type":"Undo","actor":"https://hub.example/users/alice",
			  "object":{"id":"https://hub.example/a/0","type":"Follow","actor":"https://hub.example/users/alice","object":"https://relay.example/actor"}}`,
			Activity{ID: "https://hub.example/a/4", Type: "Undo", Types: []string{"Undo"}, Actor: actor, ObjectID: "https://hub.example/a/0",
				ObjectTypes: []string{"Follow"}, ObjectActor: actor, ObjectEmbedded: true}},
		{"type array, actor one-element array, no object needed",
			`{"id":"https://hub.example/a/5","type":["Question","Extra"],"actor":["https://hub.example/users/alice"]}`,
			Activity{ID: "https://hub.example/a/5", Type: "Question", Types: []string{"Question", "Extra"}, Actor: actor}},
		{"follow of the public collection",
			`{"id":"https://hub.example/a/6","type":"Follow","actor":"https://hub.example/users/alice","object":"https://www.w3.org/ns/activitystreams#Public"}`,
			Activity{ID: "https://hub.example/a/6", Type: "Follow", Types: []string{"Follow"}, Actor: actor,
				ObjectID: "https://www.w3.org/ns/activitystreams#Public", ObjectTypes: []string{}}},
	}
	for _, c := range ok {
		t.Run(c.name, func(t *testing.T) {
			a, err := ParseActivity([]byte(c.body))
			if err != nil {
				t.Fatal(err)
			}
			if string(a.Raw) != c.body {
				t.Errorf("Raw is not the body as received")
			}
			if c.want.ObjectEmbedded || c.want.ObjectID != "" {
				if len(a.Object) == 0 {
					t.Errorf("Object is empty")
				}
			}
			a.Raw, a.Object = nil, nil
			if a.ID != c.want.ID || a.Type != c.want.Type || !slices.Equal(a.Types, c.want.Types) || a.Actor != c.want.Actor ||
				a.ObjectID != c.want.ObjectID || !slices.Equal(a.ObjectTypes, c.want.ObjectTypes) ||
				a.ObjectOwner != c.want.ObjectOwner || a.ObjectActor != c.want.ObjectActor ||
				a.ObjectEmbedded != c.want.ObjectEmbedded || !a.Published.Equal(c.want.Published) {
				t.Errorf("got  %+v\nwant %+v", *a, c.want)
			}
		})
	}

	bad := []struct{ body, want string }{
		{``, "activity: not JSON"},
		{`[]`, "activity: must be a JSON object"},
		{`"Create"`, "activity: must be a JSON object"},
		{`{"id":"https://h.example/a","type":"Create","actor":"https://h.example/u","object":"https://h.example/o"} {}`, "activity: trailing data"},
		{`{"id":"https://h.example/a","type":"Create","type":"Delete","actor":"https://h.example/u","object":"https://h.example/o"}`, `activity: member "type" appears twice`},
		{`{"id":"https://h.example/a","actor":"https://h.example/u"}`, "type: missing"},
		{`{"id":"https://h.example/a","type":7,"actor":"https://h.example/u"}`, "type: must be a string or array of strings"},
		{`{"id":"https://h.example/a","type":[],"actor":"https://h.example/u"}`, "type: must be a string or array of strings"},
		{`{"id":"https://h.example/a","type":["Create",1],"actor":"https://h.example/u"}`, "type: must be a string or array of strings"},
		{`{"type":"Create","actor":"https://h.example/u","object":"https://h.example/o"}`, "id: missing"},
		{`{"id":5,"type":"Create","actor":"https://h.example/u","object":"https://h.example/o"}`, "id: must be a string"},
		{`{"id":"a/1","type":"Create","actor":"https://h.example/u","object":"https://h.example/o"}`, "id: \"a/1\" is not an absolute URI"},
		{`{"id":"https://h.example/a","type":"Create","object":"https://h.example/o"}`, "actor: missing"},
		{`{"id":"https://h.example/a","type":"Create","actor":"mailto:a@h.example","object":"https://h.example/o"}`, "actor: \"mailto:a@h.example\" is not an absolute http(s) URL"},
		{`{"id":"https://h.example/a","type":"Create","actor":{"type":"Person"},"object":"https://h.example/o"}`, "actor: embedded object has no string id"},
		{`{"id":"https://h.example/a","type":"Create","actor":["https://h.example/u","https://h.example/v"],"object":"https://h.example/o"}`, "actor: array of 2"},
		{`{"id":"https://h.example/a","type":"Create","actor":"https://h.example/u"}`, "object: missing"},
		{`{"id":"https://h.example/a","type":"Create","actor":"https://h.example/u","object":null}`, "object: missing"},
		{`{"id":"https://h.example/a","type":"Create","actor":"https://h.example/u","object":["https://h.example/o"]}`, "object: must be a string IRI or an object"},
		{`{"id":"https://h.example/a","type":"Create","actor":"https://h.example/u","object":"not a uri"}`, "object: \"not a uri\" is not an absolute URI"},
		{`{"id":"https://h.example/a","type":"Create","actor":"https://h.example/u","object":{"id":1}}`, "object: id: must be a string"},
		{`{"id":"https://h.example/a","type":"Create","actor":"https://h.example/u","object":{"id":"https://h.example/o","type":false}}`, "object: type: must be a string or array of strings"},
		{`{"id":"https://h.example/a","type":"Create","actor":"https://h.example/u","object":{"id":"https://h.example/o","attributedTo":3}}`, "object: attributedTo: must be an IRI"},
		{`{"id":"https://h.example/a","type":"Create","actor":"https://h.example/u","object":"https://h.example/o","published":"yesterday"}`, "published: \"yesterday\" is not an RFC 3339 date-time"},
	}
	for _, c := range bad {
		_, err := ParseActivity([]byte(c.body))
		if !errors.Is(err, ErrInvalid) || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("ParseActivity(%s)\n error %v\n  want prefix %q wrapping ErrInvalid", c.body, err, c.want)
		}
	}
}

func TestOriginViolation(t *testing.T) {
	const actor = "https://hub.example/users/alice"
	for _, c := range []struct {
		body string
		ok   bool
	}{
		{`{"id":"https://hub.example/a/1","type":"Create","actor":"` + actor + `","object":{"id":"https://hub.example/l/1","attributedTo":"` + actor + `"}}`, true},
		{`{"id":"https://hub.example/a/1","type":"Create","actor":"` + actor + `","object":{"id":"https://hub.example/l/1"}}`, true},
		{`{"id":"https://hub.example/a/1","type":"Create","actor":"` + actor + `","object":{"type":"Note"}}`, false},
		{`{"id":"https://hub.example/a/1","type":"Create","actor":"` + actor + `","object":{"id":"https://HUB.example:443/l/1"}}`, true},
		{`{"id":"https://hub.example/a/1","type":"Create","actor":"` + actor + `","object":{"id":"http://hub.example/l/1"}}`, false},
		{`{"id":"https://hub.example/a/1","type":"Create","actor":"` + actor + `","object":{"id":"https://hub.example:8443/l/1"}}`, false},
		{`{"id":"https://hub.example/a/1","type":"Update","actor":"` + actor + `","object":{"id":"https://hub.example/l/1","attributedTo":"https://hub.example/users/bob"}}`, false},
		{`{"id":"https://hub.example/a/1","type":"Delete","actor":"` + actor + `","object":{"id":"https://other.example/l/1","type":"Tombstone"}}`, false},
		{`{"id":"https://hub.example/a/1","type":"Delete","actor":"` + actor + `","object":"` + actor + `"}`, true},
		{`{"id":"https://hub.example/a/1","type":"Undo","actor":"` + actor + `","object":{"id":"https://hub.example/a/0","type":"Follow","actor":"https://hub.example/users/bob"}}`, false},
		{`{"id":"https://hub.example/a/1","type":"Undo","actor":"` + actor + `","object":"https://other.example/a/0"}`, false},
		{`{"id":"https://hub.example/a/1","type":"Announce","actor":"` + actor + `","object":"https://other.example/l/1"}`, true},
		{`{"id":"https://hub.example/a/1","type":"Accept","actor":"` + actor + `","object":{"id":"https://relay.example/f/1","type":"Follow","actor":"https://relay.example/actor"}}`, true},
		{`{"id":"https://hub.example/a/1","type":"Create","actor":"` + actor + `","object":"https://other.example/l/1"}`, true},
	} {
		a, err := ParseActivity([]byte(c.body))
		if err != nil {
			t.Fatal(err)
		}
		if msg := originViolation(a); (msg == "") != c.ok {
			t.Errorf("%s: violation %q, want ok=%v", c.body, msg, c.ok)
		}
	}
}

func TestIsActivityJSON(t *testing.T) {
	for ct, want := range map[string]bool{
		"application/activity+json":                                                               true,
		"Application/Activity+JSON; charset=utf-8":                                                true,
		`application/ld+json; profile="https://www.w3.org/ns/activitystreams"`:                    true,
		`application/ld+json;profile="https://www.w3.org/ns/activitystreams/"`:                    true,
		`application/ld+json; PROFILE="https://w3id.org/x https://www.w3.org/ns/activitystreams"`: true,
		"application/ld+json":          false,
		"application/json":             false,
		"text/html":                    false,
		"":                             false,
		"application/activity+json; =": true,
		"application/activity+json; charset=utf-8;": true,
		"application/activity":                      false,
		"activity+json":                             false,
	} {
		if got := IsActivityJSON(ct); got != want {
			t.Errorf("IsActivityJSON(%q) = %v, want %v", ct, got, want)
		}
	}
}

// FuzzParseActivity: ParseActivity never panics, fails only with
// ErrInvalid, and what it accepts keeps its invariants.
func FuzzParseActivity(f *testing.F) {
	addFileSeeds(f, "activities")
	f.Fuzz(func(t *testing.T, body []byte) {
		a, err := ParseActivity(body)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		if a.Type == "" || len(a.Types) == 0 || a.Types[0] != a.Type {
			t.Fatalf("type %q, types %q", a.Type, a.Types)
		}
		if !isHTTPURL(a.Actor) || !isAbsoluteURI(a.ID) {
			t.Fatalf("actor %q, id %q", a.Actor, a.ID)
		}
		if string(a.Raw) != string(body) {
			t.Fatal("Raw differs from the body")
		}
		if needsObject[a.Type] && len(a.Object) == 0 {
			t.Fatalf("%s without an object accepted", a.Type)
		}
		if len(a.Object) > 0 && a.ObjectTypes == nil {
			t.Fatal("object present but ObjectTypes nil")
		}
		if !a.ObjectEmbedded && len(a.Object) > 0 && a.ObjectID == "" {
			t.Fatal("object IRI without ObjectID")
		}
		_ = originViolation(a)
	})
}

// TestObjectMembersDecodeAsTheObject: the members the inbox decoded give
// the listing the object's own bytes give, for every wire form the
// listing package has samples of (an inbox hands them to the relay so
// that the object is not read twice).
func TestObjectMembersDecodeAsTheObject(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "listing", "testdata", "*", "*.json"))
	if len(files) < 10 {
		t.Fatalf("found %d listing samples", len(files))
	}
	compared := 0
	for _, f := range files {
		obj, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if firstByte(obj) != '{' || !json.Valid(obj) {
			continue
		}
		body := []byte(`{"id":"https://hub.example/a/1","type":"Create","actor":"https://hub.example/u","object":` + string(obj) + `}`)
		a, err := ParseActivity(body)
		if err != nil {
			continue // not an activity's object (such as an object without an id)
		}
		want, wantErr := listing.Decode(a.Object)
		got, gotErr := listing.DecodeMembers(a.ObjectMembers)
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: from the members %+v, %v; from the object %+v, %v", f, got, gotErr, want, wantErr)
		}
		if wantErr == nil {
			compared++
		}
	}
	if compared < 5 {
		t.Errorf("only %d samples decoded as listings", compared)
	}
}
