package federation

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// rfcTestRequest is the test-request message of RFC 9421, Appendix B.2.
const rfcTestRequest = "POST /foo?param=Value&Pet=dog HTTP/1.1\r\n" +
	"Host: example.com\r\n" +
	"Date: Tue, 20 Apr 2021 02:07:55 GMT\r\n" +
	"Content-Type: application/json\r\n" +
	"Content-Digest: sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:\r\n" +
	"Content-Length: 18\r\n" +
	"\r\n" +
	`{"hello": "world"}`

// TestMessageSignatureBaseRFC9421Vectors: the signature bases of the
// RFC's own examples (Appendix B.2.1, B.2.3 and B.2.6) are rebuilt
// exactly from their Signature-Input fields.
func TestMessageSignatureBaseRFC9421Vectors(t *testing.T) {
	for _, c := range []struct {
		name, input, base string
	}{
		{"B.2.1 minimal",
			`sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd"`,
			`"@signature-params": ();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd"`},
		{"B.2.3 full coverage",
			`sig-b23=("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss"`,
			`"date": Tue, 20 Apr 2021 02:07:55 GMT` + "\n" +
				`"@method": POST` + "\n" +
				`"@path": /foo` + "\n" +
				`"@query": ?param=Value&Pet=dog` + "\n" +
				`"@authority": example.com` + "\n" +
				`"content-type": application/json` + "\n" +
				`"content-digest": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:` + "\n" +
				`"content-length": 18` + "\n" +
				`"@signature-params": ("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss"`},
		{"B.2.6 ed25519",
			`sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"`,
			`"date": Tue, 20 Apr 2021 02:07:55 GMT` + "\n" +
				`"@method": POST` + "\n" +
				`"@path": /foo` + "\n" +
				`"@authority": example.com` + "\n" +
				`"content-type": application/json` + "\n" +
				`"content-length": 18` + "\n" +
				`"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(rfcTestRequest)))
			if err != nil {
				t.Fatal(err)
			}
			label, _, _ := strings.Cut(c.input, "=")
			r.Header.Set("Signature-Input", c.input)
			r.Header.Set("Signature", label+"=:c2ln:")
			m, err := parseMessageSignature(r)
			if err != nil {
				t.Fatal(err)
			}
			if m.label != label || m.created != 1618884473 || !strings.HasPrefix(m.keyID, "test-key-") {
				t.Errorf("parsed %+v", m)
			}
			base, err := m.base(r, "https")
			if err != nil {
				t.Fatal(err)
			}
			if base != c.base {
				t.Errorf("signature base:\n%s\nwant:\n%s", base, c.base)
			}
		})
	}
}

// TestMessageSignatureRoundTrip: what SignMessage signs verifies, and a
// change to any covered part does not.
func TestMessageSignatureRoundTrip(t *testing.T) {
	key := testKey(t, 0)
	s := &Signer{KeyID: "https://hub.example/users/ana#main-key", Key: key, Now: func() time.Time { return time.Unix(1_800_000_000, 0) }}
	body := []byte(`{"type":"Create"}`)
	newReq := func() *http.Request {
		r, _ := http.NewRequest(http.MethodPost, "https://relay.example/inbox", strings.NewReader(string(body)))
		if err := s.SignMessage(r, body); err != nil {
			t.Fatal(err)
		}
		return r
	}
	verify := func(r *http.Request, scheme string) error {
		p, err := parseSignature(r)
		if err != nil {
			return err
		}
		if err := p.check(true); err != nil {
			return err
		}
		return verifySignature(r, p, &key.PublicKey, scheme)
	}
	r := newReq()
	if got := r.Header.Get("Signature-Input"); got != `sig1=("@method" "@target-uri" "content-digest");created=1800000000;keyid="https://hub.example/users/ana#main-key";alg="rsa-v1_5-sha256"` {
		t.Errorf("Signature-Input %s", got)
	}
	if err := verify(r, "https"); err != nil {
		t.Fatalf("own signature: %v", err)
	}
	p, _ := parseSignature(r)
	if err := p.checkDigest(r.Header, body); err != nil {
		t.Fatalf("Content-Digest set by SignMessage: %v", err)
	}
	for name, change := range map[string]func(r *http.Request) (scheme string){
		"method":          func(r *http.Request) string { r.Method = http.MethodPut; return "https" },
		"path":            func(r *http.Request) string { r.URL.Path = "/actor/inbox"; return "https" },
		"host":            func(r *http.Request) string { r.Host = "other-relay.example"; return "https" },
		"scheme":          func(r *http.Request) string { return "http" },
		"content-digest":  func(r *http.Request) string { r.Header.Set("Content-Digest", "sha-256=:AAAA:"); return "https" },
		"signature value": func(r *http.Request) string { r.Header.Set("Signature", "sig1=:AAAA:"); return "https" },
		"created": func(r *http.Request) string {
			r.Header.Set("Signature-Input", strings.Replace(r.Header.Get("Signature-Input"), "1800000000", "1800000001", 1))
			return "https"
		},
	} {
		r := newReq()
		if err := verify(r, change(r)); err == nil {
			t.Errorf("signature still verifies after changing the %s", name)
		}
	}
}

// TestMessageSignatureRefusals: signatures the inbox must not accept are
// refused with a reason naming what is wrong.
func TestMessageSignatureRefusals(t *testing.T) {
	for _, c := range []struct {
		input, sig string
		hasBody    bool
		want       string
	}{
		{`sig1=("@method" "@target-uri");created=1;keyid="k"`, `sig1=:c2ln:`, true, "body digest"},
		{`sig1=("@target-uri" "content-digest");created=1;keyid="k"`, `sig1=:c2ln:`, true, `"@method"`},
		{`sig1=("@method" "@path" "content-digest");created=1;keyid="k"`, `sig1=:c2ln:`, true, `"@target-uri"`},
		{`sig1=("@method" "@target-uri");keyid="k"`, `sig1=:c2ln:`, false, "created"},
		{`sig1=("@method" "@target-uri");created=1;keyid="k";alg="hmac-sha256"`, `sig1=:c2ln:`, false, "hmac-sha256"},
		{`sig1=("@method" "@target-uri");created=1`, `sig1=:c2ln:`, false, "keyid"},
		{`sig1=("@method" "@query-param";name="Pet");created=1;keyid="k"`, `sig1=:c2ln:`, false, "component parameters"},
		{`sig1=("@method" "@method");created=1;keyid="k"`, `sig1=:c2ln:`, false, "twice"},
		{`sig1=("@method");created=1;keyid="k"`, `sig2=:c2ln:`, false, "names no signature"},
		{`sig1=("@method";created=1`, `sig1=:c2ln:`, false, "Signature-Input"},
		{`sig1=("@method");created=1;keyid="k"`, `sig1="c2ln"`, false, "byte sequence"},
		{`sig1=("@method");created=1;keyid="k";keyid="evil"`, `sig1=:c2ln:`, false, `"keyid" given twice`},
		{`sig1=("@method");created=1;created=2;keyid="k"`, `sig1=:c2ln:`, false, `"created" given twice`},
		{`sig1=("@method");created=1;keyid="k";alg=1`, `sig1=:c2ln:`, false, "wrong type"},
		{`sig1=("@method");created="1";keyid="k"`, `sig1=:c2ln:`, false, "wrong type"},
		{`sig1=("@method");created=1;keyid="k", sig1=("@method" "digest");created=1;keyid="k"`, `sig1=:c2ln:`, false, "appears twice"},
		{`sig1=("@method");created=1;keyid="k"`, `sig1=:c2ln:, sig1=:b3RoZXI=:`, false, "appears twice"},
		{`sig1=("@method");created=1;keyId="k"`, `sig1=:c2ln:`, false, "Signature-Input"},
	} {
		r, _ := http.NewRequest(http.MethodPost, "https://relay.example/inbox", nil)
		r.Header.Set("Signature-Input", c.input)
		r.Header.Set("Signature", c.sig)
		p, err := parseSignature(r)
		if err == nil {
			err = p.check(c.hasBody)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s / %s: %v, want an error naming %s", c.input, c.sig, err, c.want)
		}
	}
}

// FuzzMessageSignature: any Signature-Input and Signature fields parse or
// fail without a panic, and a parsed signature has a key id and a base.
func FuzzMessageSignature(f *testing.F) {
	f.Add(`sig1=("@method" "@target-uri" "content-digest");created=1800000000;keyid="https://h.example/u#main-key";alg="rsa-v1_5-sha256"`, `sig1=:c2ln:`)
	f.Add(`a=();created=1;keyid="k", b=("x";req "y");nonce=?1;n=-5;t=tok*en`, `b=:AA==:, a=:YWJj:`)
	f.Add(`sig1=("\"\\");keyid="k"`, `sig1=:=:`)
	f.Fuzz(func(t *testing.T, input, sig string) {
		r, err := http.NewRequest(http.MethodPost, "http://relay.example/inbox?x=1", nil)
		if err != nil {
			t.Skip()
		}
		r.Header.Set("Signature-Input", input)
		r.Header.Set("Signature", sig)
		m, err := parseMessageSignature(r)
		if err != nil {
			return
		}
		if m.keyID == "" || m.label == "" {
			t.Fatalf("parsed %+v", m)
		}
		if base, err := m.base(r, "http"); err == nil && !strings.HasSuffix(base, m.params) {
			t.Fatalf("base %q does not end with the parameters %q", base, m.params)
		}
	})
}

// TestPostSignatureStyles: a client signs as its style says; with
// SignDual it tries RFC 9421 first, sends again with draft-cavage where
// an inbox refuses it, and remembers which one each host took. Both kinds
// are checked by a real Inbox.
func TestPostSignatureStyles(t *testing.T) {
	hub := newTestHub(t, testKey(t, 0))
	inbox, rc := testInbox(t, nil)
	realInbox := inbox
	var mu sync.Mutex
	var seen []string // "rfc9421" or "cavage", per request that reached the inbox
	refuse9421 := true
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kind := "cavage"
		if r.Header.Get("Signature-Input") != "" {
			kind = "rfc9421"
		}
		mu.Lock()
		seen = append(seen, kind)
		refuse := refuse9421 && kind == "rfc9421"
		mu.Unlock()
		if refuse { // an older server that only knows draft-cavage
			WriteError(w, http.StatusUnauthorized, "bad_signature", "Signature header: malformed parameter")
			return
		}
		// Hand the request on to the real inbox, as a proxy would.
		u, _ := url.Parse(realInbox)
		r.URL.Scheme, r.URL.Host, r.RequestURI = u.Scheme, u.Host, "" // Host stays: it was signed
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}))
	defer front.Close()
	post := func(style SignatureStyle, c *Client, n int) error {
		body := create(hub.actorID, hub.actorID+"/l/s"+strconv.Itoa(n), hub.actorID)
		c.Signatures = style
		return c.Post(context.Background(), inbox, body)
	}
	newClient := func() *Client {
		return NewClient(NewHTTPClient(true, 5*time.Second), hub.signer(), time.Hour, nil)
	}
	// Straight to the inbox: each style passes its checks.
	for i, style := range []SignatureStyle{SignCavage, SignRFC9421, SignDual} {
		if err := post(style, newClient(), i); err != nil {
			t.Fatalf("%s: %v", style, err)
		}
	}
	if rc.count() != 3 {
		t.Fatalf("inbox accepted %d activities, want 3", rc.count())
	}
	// Through a front that refuses RFC 9421: dual knocks twice, then
	// remembers; rfc9421 alone fails.
	inbox = front.URL + "/inbox"
	c := newClient()
	for i := 10; i < 12; i++ {
		if err := post(SignDual, c, i); err != nil {
			t.Fatalf("dual through a cavage-only server: %v", err)
		}
	}
	mu.Lock()
	got := strings.Join(seen, " ")
	mu.Unlock()
	if got != "rfc9421 cavage cavage" {
		t.Errorf("signatures sent: %s, want rfc9421 cavage cavage (one double knock, then the remembered style)", got)
	}
	var de *DeliveryError
	if err := post(SignRFC9421, newClient(), 20); !errors.As(err, &de) || de.Status != http.StatusUnauthorized {
		t.Errorf("rfc9421 only through a cavage-only server: %v, want a 401 delivery error", err)
	}
	// A host that takes RFC 9421 is remembered as such.
	mu.Lock()
	refuse9421, seen = false, nil
	mu.Unlock()
	c = newClient()
	for i := 30; i < 32; i++ {
		if err := post(SignDual, c, i); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	got = strings.Join(seen, " ")
	mu.Unlock()
	if got != "rfc9421 rfc9421" {
		t.Errorf("signatures sent to a host that takes RFC 9421: %s", got)
	}
}
