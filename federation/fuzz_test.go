package federation

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseRemoteActor: actor documents come from other servers;
// decoding one never panics, fails only with ErrInvalid, and an accepted
// actor has an http(s) id and inbox, and keys on its own origin.
func FuzzParseRemoteActor(f *testing.F) {
	addFileSeeds(f, "actors")
	f.Fuzz(func(t *testing.T, body []byte) {
		a, err := parseRemoteActor(body)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		if !isHTTPURL(a.ID) || !isHTTPURL(a.Inbox) || a.Type == "" {
			t.Fatalf("accepted actor %+v", a)
		}
		if utf8.RuneCountInString(a.Name) > MaxActorNameChars || utf8.RuneCountInString(a.PreferredUsername) > MaxActorUsernameChars {
			t.Fatalf("name %q or username %q over the cap", a.Name, a.PreferredUsername)
		}
		for _, u := range []string{a.ID, a.Inbox, a.Outbox, a.Followers, a.SharedInbox} {
			if utf8.RuneCountInString(u) > MaxURLChars {
				t.Fatalf("URL of %d characters accepted", utf8.RuneCountInString(u))
			}
		}
		for id := range a.keys {
			if originOfString(id) != originOfString(a.ID) {
				t.Fatalf("key %s accepted for actor %s", id, a.ID)
			}
		}
		if (a.PublicKey == nil) != (a.KeyID == "") {
			t.Fatalf("KeyID %q with key %v", a.KeyID, a.PublicKey)
		}
	})
}

// FuzzSignatureHeaders: the Signature, Digest and Content-Digest headers
// come from anyone; reading them never panics, and a signature accepted
// for checking covers what it must.
func FuzzSignatureHeaders(f *testing.F) {
	f.Add(`keyId="https://h.example/u#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="YWJj"`, "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=", "", []byte("abc"))
	f.Add(`keyId="k",algorithm="hs2019",signature="c2ln"`, "sha-256=x,SHA-512=y", "sha-256=:ungAv6MCHPSVQCq7t5XaN0WCDyKJbNT6krKk2a6JjHk=:", []byte{})
	f.Add(`Signature keyId=,,,=`, "", "sha-512=:AA==:", []byte("{}"))
	f.Fuzz(func(t *testing.T, sig, digest, contentDigest string, body []byte) {
		r, err := http.NewRequest(http.MethodPost, "http://relay.example/inbox", nil)
		if err != nil {
			t.Skip()
		}
		r.Header.Set("Signature", sig)
		r.Header.Set("Digest", digest)
		r.Header.Set("Content-Digest", contentDigest)
		if digest == "" {
			r.Header.Del("Digest")
		}
		p, err := parseSignature(r)
		if err != nil {
			return
		}
		if p.KeyID == "" || len(p.Headers) == 0 || len(p.sig) == 0 {
			t.Fatalf("parsed %+v", p)
		}
		if p.checkDigest(r.Header, body) == nil && len(body) > 0 &&
			!slices.Contains(p.Headers, "digest") && !slices.Contains(p.Headers, "content-digest") {
			t.Fatalf("body accepted without a covered digest: %+v", p)
		}
		if p.check(len(body) > 0) == nil {
			_ = verifySignature(r, p, &testKey(t, 0).PublicKey, "http")
		}
	})
}

// TestParseRemoteActorFixtures: the seed documents decode (or fail) as a
// reader of them would expect.
func TestParseRemoteActorFixtures(t *testing.T) {
	for name, want := range map[string]string{
		"mastodon-person.json": "https://social.example/users/alice#main-key",
		"relay-service.json":   "https://relay.example/actor#main-key",
		"key-array.json":       "https://hub.example/u/a#k1",
		"foreign-key.json":     "",
		"no-inbox.json":        "",
	} {
		b, err := os.ReadFile(filepath.Join("testdata", "actors", name))
		if err != nil {
			t.Fatal(err)
		}
		a, err := parseRemoteActor(b)
		if want == "" {
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("%s: error %v, want ErrInvalid", name, err)
			}
			continue
		}
		if err != nil || a.KeyID != want || a.PublicKey == nil {
			t.Errorf("%s: %+v, %v; want key %s", name, a, err, want)
		}
	}
	b, _ := os.ReadFile(filepath.Join("testdata", "actors", "mastodon-person.json"))
	a, _ := parseRemoteActor(b)
	if a.SharedInbox != "https://social.example/inbox" || a.Followers != "https://social.example/users/alice/followers" || a.PreferredUsername != "alice" {
		t.Errorf("mastodon-person: %+v", a)
	}
	b, _ = os.ReadFile(filepath.Join("testdata", "actors", "key-array.json"))
	if a, _ = parseRemoteActor(b); a.withKey("https://hub.example/u/a#k2") == nil {
		t.Error("key-array: second key not kept")
	}
}

// addFileSeeds adds every testdata/<dir>/*.json file to f's seed corpus
// (beside the corpus kept in testdata/fuzz).
func addFileSeeds(f *testing.F, dir string) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", dir, "*.json"))
	if len(seeds) == 0 {
		f.Fatalf("no seed files in testdata/%s", dir)
	}
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// TestCheckDigest: exactly the digest headers the signature covers are
// checked; one present but not covered is refused, and two must both match
// the body.
func TestCheckDigest(t *testing.T) {
	body := []byte(`{"type":"Create"}`)
	s256 := b64sha256(body)
	other := b64sha256([]byte("x"))
	const d, cd, both = "digest", "content-digest", "digest content-digest"
	for _, c := range []struct {
		signed                string
		digest, contentDigest string
		ok                    bool
	}{
		{d, "SHA-256=" + s256, "", true},
		{d, "sha-256=" + s256, "", true},
		{d, "MD5=abc, SHA-256=" + s256, "", true},
		{d, "SHA-256=" + other, "", false},
		{d, "SHA-256=" + s256 + ",SHA-256=" + other, "", false},
		{d, "MD5=abc", "", false},
		{d, "SHA-256=not base64!", "", false},
		{d, "", "", false}, // covered, but missing
		{cd, "", "sha-256=:" + s256 + ":", true},
		{cd, "", "SHA-256=:" + s256 + ":", true},
		{cd, "", "sha-256=" + s256, false},
		{cd, "", "sha-256=:" + other + ":", false},
		{"", "", "", false}, // a body, and no digest covered
		{"", "SHA-256=" + s256, "", false},
		// A digest header the signature does not cover is refused, even
		// when it matches the body: it is not the one that was signed.
		{cd, "SHA-256=" + s256, "sha-256=:" + s256 + ":", false},
		{cd, "SHA-256=" + other, "sha-256=:" + s256 + ":", false},
		{d, "SHA-256=" + s256, "sha-256=:" + s256 + ":", false},
		{d, "SHA-256=" + s256, "sha-256=:" + other + ":", false},
		// Both covered: both must match the body (and so each other).
		{both, "SHA-256=" + s256, "sha-256=:" + s256 + ":", true},
		{both, "SHA-256=" + other, "sha-256=:" + s256 + ":", false},
		{both, "SHA-256=" + s256, "sha-256=:" + other + ":", false},
		{both, "SHA-256=" + s256, "", false},
	} {
		h := http.Header{}
		if c.digest != "" {
			h.Set("Digest", c.digest)
		}
		if c.contentDigest != "" {
			h.Set("Content-Digest", c.contentDigest)
		}
		p := &signatureParams{Headers: append([]string{"(request-target)", "host", "date"}, strings.Fields(c.signed)...)}
		if err := p.checkDigest(h, body); (err == nil) != c.ok {
			t.Errorf("signed %q, Digest %q, Content-Digest %q: error %v, want ok=%v", c.signed, c.digest, c.contentDigest, err, c.ok)
		}
	}
	// No body and no digest header: nothing to bind.
	if err := (&signatureParams{Headers: []string{"date"}}).checkDigest(http.Header{}, nil); err != nil {
		t.Errorf("empty body without a digest: %v", err)
	}
}
