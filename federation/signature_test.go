package federation

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
)

// signing is one way a sender signs a POST of body: it sets the digest
// header(s) it covers from body and signs r.
type signing struct {
	name string
	// covers lists the digest headers the signature covers.
	covers []string
	sign   func(t *testing.T, h *testHub, r *http.Request, body []byte)
}

// signings are every signature path the inbox accepts.
func signings() []signing {
	cavage := []string{"(request-target)", "host", "date"}
	return []signing{
		{"draft-cavage rsa-sha256", []string{"Digest"}, func(t *testing.T, h *testHub, r *http.Request, body []byte) {
			signedBy(t, h.signer(), body)(r)
		}},
		{"draft-cavage hs2019", []string{"Digest"}, func(t *testing.T, h *testHub, r *http.Request, body []byte) {
			s := h.signer()
			s.HS2019 = true
			signedBy(t, s, body)(r)
		}},
		{"Authorization: Signature", []string{"Digest"}, func(t *testing.T, h *testHub, r *http.Request, body []byte) {
			signedBy(t, h.signer(), body)(r)
			r.Header.Set("Authorization", "Signature "+r.Header.Get("Signature"))
			r.Header.Del("Signature")
		}},
		{"draft-cavage over content-digest", []string{"Content-Digest"}, func(t *testing.T, h *testHub, r *http.Request, body []byte) {
			r.Header.Set("Content-Digest", contentDigestOf(body))
			signHeaders(t, h.key, h.keyID, append(cavage, "content-digest"))(r)
		}},
		{"draft-cavage over both digests", []string{"Digest", "Content-Digest"}, func(t *testing.T, h *testHub, r *http.Request, body []byte) {
			r.Header.Set("Digest", "SHA-256="+b64sha256(body))
			r.Header.Set("Content-Digest", contentDigestOf(body))
			signHeaders(t, h.key, h.keyID, append(cavage, "digest", "content-digest"))(r)
		}},
		{"RFC 9421 over content-digest", []string{"Content-Digest"}, func(t *testing.T, h *testHub, r *http.Request, body []byte) {
			if err := h.signer().SignMessage(r, body); err != nil {
				t.Fatal(err)
			}
		}},
		{"RFC 9421 over digest", []string{"Digest"}, func(t *testing.T, h *testHub, r *http.Request, body []byte) {
			r.Header.Set("Digest", "SHA-256="+b64sha256(body))
			if err := h.signer().signMessage(r, []string{"@method", "@target-uri", "digest"}); err != nil {
				t.Fatal(err)
			}
		}},
		{"RFC 9421 over both digests", []string{"Digest", "Content-Digest"}, func(t *testing.T, h *testHub, r *http.Request, body []byte) {
			r.Header.Set("Digest", "SHA-256="+b64sha256(body))
			r.Header.Set("Content-Digest", contentDigestOf(body))
			if err := h.signer().signMessage(r, []string{"@method", "@target-uri", "digest", "content-digest"}); err != nil {
				t.Fatal(err)
			}
		}},
	}
}

func contentDigestOf(body []byte) string {
	s := sha256.Sum256(body)
	return "sha-256=:" + base64.StdEncoding.EncodeToString(s[:]) + ":"
}

// digestOfHeader is the value a digest header would have for body.
func digestOfHeader(name string, body []byte) string {
	if name == "Content-Digest" {
		return contentDigestOf(body)
	}
	return "SHA-256=" + b64sha256(body)
}

// TestInboxDigestBindsBody: on every signature path, a request whose body
// was swapped under a valid signature is refused, whatever digest header
// the sender adds or replaces: exactly the digest header(s) the signature
// covers are checked, one present but not covered is refused, and a
// replaced covered one breaks the signature.
func TestInboxDigestBindsBody(t *testing.T) {
	hub := newTestHub(t, testKey(t, 0))
	inbox, rc := testInbox(t, nil)
	for _, s := range signings() {
		t.Run(s.name, func(t *testing.T) {
			signed := create(hub.actorID, hub.actorID+"/l/signed", hub.actorID)
			// The control: the request as signed passes.
			before := rc.count()
			if r := send(t, inbox, signed, func(r *http.Request) { s.sign(t, hub, r, signed) }); r.Status != http.StatusAccepted {
				t.Fatalf("request as signed: %d %s %s", r.Status, r.Reason, r.Error)
			}
			if rc.count() != before+1 {
				t.Fatal("handler did not get the signed request")
			}
			before = rc.count()

			// Another body, posted under the signature of the first.
			swapped := create(hub.actorID, hub.actorID+"/l/forged", hub.actorID)
			type attack struct {
				name   string
				tamper func(r *http.Request)
				reason string
			}
			attacks := []attack{{"body swapped", func(*http.Request) {}, "digest_mismatch"}}
			for _, name := range []string{"Digest", "Content-Digest"} {
				covered := false
				for _, c := range s.covers {
					covered = covered || c == name
				}
				if covered {
					attacks = append(attacks, attack{"covered " + name + " replaced by the new body's", func(r *http.Request) {
						r.Header.Set(name, digestOfHeader(name, swapped))
					}, "bad_signature"})
					continue
				}
				attacks = append(attacks,
					attack{"uncovered " + name + " of the new body added", func(r *http.Request) {
						r.Header.Set(name, digestOfHeader(name, swapped))
					}, "digest_mismatch"},
					attack{"uncovered " + name + " line appended", func(r *http.Request) {
						r.Header.Add(name, digestOfHeader(name, swapped))
					}, "digest_mismatch"})
			}
			for _, a := range attacks {
				r := send(t, inbox, swapped, func(r *http.Request) {
					s.sign(t, hub, r, signed)
					a.tamper(r)
				})
				if r.Status != http.StatusUnauthorized || r.Reason != a.reason {
					t.Errorf("%s: %d %s (%s), want 401 %s", a.name, r.Status, r.Reason, r.Error, a.reason)
				}
			}
			// An honest extra digest header the signature does not cover
			// is refused too: only what was signed is checked.
			for _, name := range []string{"Digest", "Content-Digest"} {
				if len(s.covers) == 2 {
					break
				}
				if s.covers[0] == name {
					continue
				}
				body := create(hub.actorID, hub.actorID+"/l/extra", hub.actorID)
				r := send(t, inbox, body, func(r *http.Request) {
					s.sign(t, hub, r, body)
					r.Header.Set(name, digestOfHeader(name, body))
				})
				if r.Status != http.StatusUnauthorized || r.Reason != "digest_mismatch" || !strings.Contains(r.Error, "not covered") {
					t.Errorf("uncovered %s matching the body: %d %s (%s), want 401 digest_mismatch naming it", name, r.Status, r.Reason, r.Error)
				}
			}
			if rc.count() != before {
				t.Fatalf("handler was called %d times for refused requests", rc.count()-before)
			}
		})
	}
}

// TestInboxDigestHeadersDisagree: with both digest headers covered, one
// that disagrees with the other (and the body) is refused even when the
// signature is made over the disagreeing pair.
func TestInboxDigestHeadersDisagree(t *testing.T) {
	hub := newTestHub(t, testKey(t, 0))
	inbox, rc := testInbox(t, nil)
	body := create(hub.actorID, hub.actorID+"/l/pair", hub.actorID)
	other := []byte(`{"type":"Delete"}`)
	for name, prepare := range map[string]func(r *http.Request){
		"draft-cavage": func(r *http.Request) {
			r.Header.Set("Digest", "SHA-256="+b64sha256(body))
			r.Header.Set("Content-Digest", contentDigestOf(other))
			signHeaders(t, hub.key, hub.keyID, []string{"(request-target)", "host", "date", "digest", "content-digest"})(r)
		},
		"RFC 9421": func(r *http.Request) {
			r.Header.Set("Digest", "SHA-256="+b64sha256(other))
			r.Header.Set("Content-Digest", contentDigestOf(body))
			if err := hub.signer().signMessage(r, []string{"@method", "@target-uri", "content-digest", "digest"}); err != nil {
				t.Fatal(err)
			}
		},
	} {
		if r := send(t, inbox, body, prepare); r.Status != http.StatusUnauthorized || r.Reason != "digest_mismatch" {
			t.Errorf("%s with disagreeing digests: %d %s (%s), want 401 digest_mismatch", name, r.Status, r.Reason, r.Error)
		}
	}
	if rc.count() != 0 {
		t.Fatalf("handler called %d times", rc.count())
	}
}

// TestParseSignatureParameters: a draft-cavage Signature header is read
// with the parameter names spelled as go-fed/httpsig and the draft spell
// them; a duplicate, a differently-cased name, or a second signature is
// refused, so that no two readers of one request disagree on what it
// signed.
func TestParseSignatureParameters(t *testing.T) {
	const std = `keyId="https://h.example/u#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="c2ln"`
	for _, c := range []struct {
		name    string
		sig     string
		auth    string
		headers string // what was read, when accepted
		want    string // part of the error, when refused
	}{
		{"as Mastodon and Mitra write it", std, "", "(request-target) host date digest", ""},
		{"with spaces after commas", strings.ReplaceAll(std, `",`, `", `), "", "(request-target) host date digest", ""},
		{"in Authorization", "", "Signature " + std, "(request-target) host date digest", ""},
		{"with created and expires", `keyId="k",algorithm="hs2019",created=1700000000,expires=1700000300,headers="(request-target) (created) host",signature="c2ln"`, "", "(request-target) (created) host", ""},
		{"with an extension parameter", std + `,nonce="abc"`, "", "(request-target) host date digest", ""},
		{"header names in upper case", strings.Replace(std, "digest", "Digest", 1), "", "(request-target) host date digest", ""},
		{"no headers: date only", `keyId="k",signature="c2ln"`, "", "date", ""},

		{"a second Headers parameter", std + `,Headers="(request-target) host date"`, "", "", `"Headers": write it as "headers"`},
		{"headers given twice", std + `,headers="(request-target) host date"`, "", "", `"headers" given twice`},
		{"keyid in lower case", strings.Replace(std, "keyId", "keyid", 1), "", "", `write it as "keyId"`},
		{"KeyId", strings.Replace(std, "keyId", "KeyId", 1), "", "", `write it as "keyId"`},
		{"keyId given twice", std + `,keyId="https://evil.example/u#main-key"`, "", "", `"keyId" given twice`},
		{"algorithm given twice", std + `,algorithm="hs2019"`, "", "", `"algorithm" given twice`},
		{"Algorithm", strings.Replace(std, "algorithm", "Algorithm", 1), "", "", `write it as "algorithm"`},
		{"signature given twice", std + `,signature="b3RoZXI="`, "", "", `"signature" given twice`},
		{"SIGNATURE", strings.Replace(std, "signature=", "SIGNATURE=", 1), "", "", `write it as "signature"`},
		{"Created", `keyId="k",Created=1,headers="date",signature="c2ln"`, "", "", `write it as "created"`},
		{"a header listed twice", strings.Replace(std, "digest", "digest Digest", 1), "", "", "listed twice"},
		{"headers with a double space", strings.Replace(std, "host date", "host  date", 1), "", "", "single spaces"},
		{"Signature and Authorization both", std, "Signature " + std, "", "more than one signature"},
		{"no keyId", `algorithm="rsa-sha256",headers="date",signature="c2ln"`, "", "", "keyId missing"},
		{"no signature value", `keyId="k",headers="date"`, "", "", "signature missing"},
		{"signature not base64", strings.Replace(std, `"c2ln"`, `"not base64!"`, 1), "", "", "not base64"},
		{"unclosed quote", `signature="c2ln",keyId="k`, "", "", "not closed"},
		{"junk after a value", `keyId="k"x,signature="c2ln"`, "", "", "want ','"},
		{"a parameter without a value", `keyId="k",signature`, "", "", "malformed parameter"},
		{"a trailing comma", std + ",", "", "", "malformed parameter"},
		{"an escaped quote", `keyId="k\"",signature="c2ln"`, "", "", "backslash"},
		{"created not a number", `keyId="k",created="soon",signature="c2ln"`, "", "", "not a Unix time"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, _ := http.NewRequest(http.MethodPost, "https://relay.example/inbox", nil)
			if c.sig != "" {
				r.Header.Set("Signature", c.sig)
			}
			if c.auth != "" {
				r.Header.Set("Authorization", c.auth)
			}
			p, err := parseSignature(r)
			if c.want != "" {
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("error %v, want one naming %s", err, c.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(p.Headers, " "); got != c.headers || p.KeyID == "" || string(p.sig) != "sig" {
				t.Fatalf("read headers %q, keyId %q, signature %q; want headers %q", got, p.KeyID, p.sig, c.headers)
			}
		})
	}
	// Two Signature header lines are two signatures.
	r, _ := http.NewRequest(http.MethodPost, "https://relay.example/inbox", nil)
	r.Header.Add("Signature", std)
	r.Header.Add("Signature", std)
	if _, err := parseSignature(r); err == nil || !strings.Contains(err.Error(), "more than one signature") {
		t.Errorf("two Signature lines: %v", err)
	}
}

// TestInboxRefusesAmbiguousSignatureParameters: a signature over
// (request-target) host date, with a second, differently-cased headers
// parameter claiming the digest is signed and a Digest of any body, is
// refused: the list that is checked is the list that is verified.
func TestInboxRefusesAmbiguousSignatureParameters(t *testing.T) {
	hub := newTestHub(t, testKey(t, 0))
	inbox, rc := testInbox(t, nil)
	body := create(hub.actorID, hub.actorID+"/l/ambiguous", hub.actorID)
	for name, extra := range map[string]string{
		"Headers":       `,Headers="(request-target) host date digest"`,
		"headers twice": `,headers="(request-target) host date digest"`,
		"HEADERS":       `,HEADERS="(request-target) host date digest"`,
	} {
		r := send(t, inbox, body, func(r *http.Request) {
			signHeaders(t, hub.key, hub.keyID, []string{"(request-target)", "host", "date"})(r)
			r.Header.Set("Signature", r.Header.Get("Signature")+extra)
			r.Header.Set("Digest", "SHA-256="+b64sha256(body))
		})
		if r.Status != http.StatusUnauthorized || r.Reason != "bad_signature" {
			t.Errorf("%s: %d %s (%s), want 401 bad_signature", name, r.Status, r.Reason, r.Error)
		}
	}
	if rc.count() != 0 {
		t.Fatalf("handler called %d times", rc.count())
	}
}
