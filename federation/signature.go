package federation

import (
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-fed/httpsig"
)

// Signer signs outgoing requests with draft-cavage HTTP Signatures
// (rsa-sha256), as every ActivityPub server expects. It is safe for
// concurrent use: each call builds its own httpsig signer.
type Signer struct {
	// KeyID is the id of the public key (e.g. "https://relay.example/actor#main-key").
	KeyID string
	// Key is the private key.
	Key *rsa.PrivateKey
	// HS2019, when true, writes algorithm="hs2019" in the Signature header
	// instead of algorithm="rsa-sha256" (both mean an RSA-SHA256 signature
	// here; some older servers reject hs2019, so rsa-sha256 is the default).
	HS2019 bool
	// Now is the clock for the Date header; nil means time.Now.
	Now func() time.Time
}

// Sign sets Host and Date (when unset) and, for a non-nil body, Digest
// ("SHA-256=<base64>", replacing any Digest already set), then signs
// "(request-target) host date", plus "digest" when body is non-nil, with
// rsa-sha256 and sets the Signature header.
func (s *Signer) Sign(r *http.Request, body []byte) error {
	if s == nil || s.Key == nil || s.KeyID == "" {
		return fmt.Errorf("sign %s %s: signer has no key", r.Method, r.URL)
	}
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	r.Host = host
	r.Header.Set("Host", host)
	if r.Header.Get("Date") == "" {
		now := time.Now
		if s.Now != nil {
			now = s.Now
		}
		r.Header.Set("Date", now().UTC().Format(http.TimeFormat))
	}
	headers := []string{httpsig.RequestTarget, "host", "date"}
	if body != nil {
		headers = append(headers, "digest")
		r.Header.Del("Digest")
	}
	r.Header.Del("Signature")
	signer, _, err := httpsig.NewSigner([]httpsig.Algorithm{httpsig.RSA_SHA256}, httpsig.DigestSha256, headers, httpsig.Signature, 0)
	if err != nil {
		return fmt.Errorf("sign %s %s: %w", r.Method, r.URL, err)
	}
	if err := signer.SignRequest(s.Key, s.KeyID, r, body); err != nil {
		return fmt.Errorf("sign %s %s: %w", r.Method, r.URL, err)
	}
	if !s.HS2019 {
		sig := r.Header.Get("Signature")
		r.Header.Set("Signature", strings.Replace(sig, `algorithm="hs2019"`, `algorithm="rsa-sha256"`, 1))
	}
	return nil
}

// signatureParams are the parameters of a draft-cavage Signature header,
// or of an RFC 9421 signature (then msg is set and Headers lists the
// covered components).
type signatureParams struct {
	KeyID     string
	Algorithm string
	Headers   []string
	msg       *messageSignature
}

// parseSignature reads the RFC 9421 Signature-Input and Signature fields
// of r when it has them, else its draft-cavage Signature header (or an
// Authorization header with the Signature scheme).
func parseSignature(r *http.Request) (*signatureParams, error) {
	if r.Header.Get("Signature-Input") != "" {
		m, err := parseMessageSignature(r)
		if err != nil {
			return nil, err
		}
		return &signatureParams{KeyID: m.keyID, Algorithm: m.alg, Headers: m.components, msg: m}, nil
	}
	v := r.Header.Get("Signature")
	if v == "" {
		a := r.Header.Get("Authorization")
		if rest, ok := strings.CutPrefix(a, "Signature "); ok {
			v = rest
		}
	}
	if v == "" {
		return nil, errors.New("request has no Signature header")
	}
	p := &signatureParams{}
	for part := range strings.SplitSeq(v, ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return nil, fmt.Errorf("Signature header: malformed parameter %q", part)
		}
		val = strings.Trim(val, `"`)
		switch strings.ToLower(k) {
		case "keyid":
			p.KeyID = val
		case "algorithm":
			p.Algorithm = strings.ToLower(val)
		case "headers":
			p.Headers = strings.Fields(strings.ToLower(val))
		}
	}
	if p.KeyID == "" {
		return nil, errors.New("Signature header: keyId missing")
	}
	if len(p.Headers) == 0 {
		// draft-cavage: without headers only Date is signed.
		p.Headers = []string{"date"}
	}
	return p, nil
}

// check enforces which headers a draft-cavage signature must cover:
// (request-target), host and date always, and the body digest (Digest or
// Content-Digest) when the request has a body. It also refuses algorithms
// other than rsa-sha256 and hs2019.
func (p *signatureParams) check(hasBody bool) error {
	if p.msg != nil {
		return p.msg.check(hasBody)
	}
	switch p.Algorithm {
	case "", "rsa-sha256", "hs2019":
	default:
		return fmt.Errorf("signature algorithm %q not accepted (want rsa-sha256 or hs2019)", p.Algorithm)
	}
	for _, h := range []string{httpsig.RequestTarget, "host", "date"} {
		if !slices.Contains(p.Headers, h) {
			return fmt.Errorf("signature does not cover %q (signed: %s)", h, strings.Join(p.Headers, " "))
		}
	}
	if hasBody && !slices.Contains(p.Headers, "digest") && !slices.Contains(p.Headers, "content-digest") {
		return fmt.Errorf("signature does not cover the body digest (signed: %s)", strings.Join(p.Headers, " "))
	}
	return nil
}

// verifySignature checks r's HTTP signature against pub. The signed
// headers must already have passed params.check. scheme is the one the
// sender used, for an RFC 9421 "@target-uri".
func verifySignature(r *http.Request, p *signatureParams, pub *rsa.PublicKey, scheme string) error {
	if p.msg != nil {
		return p.msg.verify(r, pub, scheme)
	}
	if pub == nil {
		return errors.New("no public key")
	}
	if r.Header.Get("Host") == "" && r.Host != "" {
		r.Header.Set("Host", r.Host)
	}
	v, err := httpsig.NewVerifier(r)
	if err != nil {
		return fmt.Errorf("read signature: %w", err)
	}
	err = v.Verify(pub, httpsig.RSA_SHA256)
	if err != nil && p.Algorithm == "hs2019" {
		// hs2019 leaves the hash to the key; a few servers use SHA-512.
		if v.Verify(pub, httpsig.RSA_SHA512) == nil {
			return nil
		}
	}
	if err != nil {
		return fmt.Errorf("signature does not verify with key %s: %w", p.KeyID, err)
	}
	return nil
}

// checkDigest verifies the body against the Digest header (RFC 3230,
// SHA-256 or SHA-512, algorithm names case-insensitive), or, when there is
// no Digest header, the Content-Digest header (RFC 9530, sha-256 or
// sha-512, values as :base64: byte sequences).
func checkDigest(h http.Header, body []byte) error {
	if d := h.Values("Digest"); len(d) > 0 {
		return matchDigests("Digest", d, body, func(v string) (string, bool) { return v, true })
	}
	if d := h.Values("Content-Digest"); len(d) > 0 {
		return matchDigests("Content-Digest", d, body, func(v string) (string, bool) {
			if len(v) < 2 || v[0] != ':' || v[len(v)-1] != ':' {
				return "", false
			}
			return v[1 : len(v)-1], true
		})
	}
	return errors.New("request has no Digest header")
}

// matchDigests checks every "alg=value" item of the header lines whose
// algorithm is known against the body; unwrap extracts the base64 from a
// value. At least one item must be known, and all known ones must match.
func matchDigests(name string, lines []string, body []byte, unwrap func(string) (string, bool)) error {
	seen := false
	for _, line := range lines {
		for item := range strings.SplitSeq(line, ",") {
			alg, val, ok := strings.Cut(strings.TrimSpace(item), "=")
			if !ok {
				continue
			}
			want := digestOf(alg, body)
			if want == nil {
				continue
			}
			seen = true
			b64, ok := unwrap(strings.TrimSpace(val))
			if !ok {
				return fmt.Errorf("%s %s value is malformed", name, alg)
			}
			got, err := base64.StdEncoding.DecodeString(b64)
			if err != nil || subtle.ConstantTimeCompare(got, want) != 1 {
				return fmt.Errorf("%s %s does not match the body", name, alg)
			}
		}
	}
	if !seen {
		return fmt.Errorf("%s header has no SHA-256 or SHA-512 value", name)
	}
	return nil
}

// digestOf hashes body with the named digest algorithm, or returns nil for
// an algorithm not accepted.
func digestOf(alg string, body []byte) []byte {
	switch strings.ToLower(alg) {
	case "sha-256":
		s := sha256.Sum256(body)
		return s[:]
	case "sha-512":
		s := sha512.Sum512(body)
		return s[:]
	}
	return nil
}
