package federation

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
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
	// Ed25519Key, when set, is the actor's second key, published as the
	// Multikey Ed25519KeyID under assertionMethod; a Client signs with it
	// (SignEd25519) to the servers whose actors publish one too.
	Ed25519Key   ed25519.PrivateKey
	Ed25519KeyID string
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
// covered components). This one parse decides both what is verified and
// which digest header is checked against the body.
type signatureParams struct {
	KeyID     string
	Algorithm string
	// Headers are the covered header names (lower case) and, for
	// draft-cavage, pseudo-headers such as "(request-target)".
	Headers []string
	// Created and Expires are draft-cavage's optional "created" and
	// "expires" parameters (Unix seconds; 0 when absent).
	Created, Expires int64
	sig              []byte // the draft-cavage signature value
	msg              *messageSignature
}

// The draft-cavage Signature parameters, spelled exactly as go-fed/httpsig
// and the draft write them. A parameter spelled another way (Headers,
// keyid) is refused rather than ignored or folded: two readers of one
// header must never see two different lists of signed headers.
var cavageParams = []string{"keyId", "algorithm", "headers", "signature", "created", "expires"}

// parseSignature reads the RFC 9421 Signature-Input and Signature fields
// of r when it has them, else its draft-cavage Signature header (or an
// Authorization header with the Signature scheme). It refuses a request
// with two draft-cavage signatures (two Signature lines, or Signature and
// Authorization both), a duplicate parameter, and a parameter whose name
// differs from its standard spelling only by case.
func parseSignature(r *http.Request) (*signatureParams, error) {
	if r.Header.Get("Signature-Input") != "" {
		m, err := parseMessageSignature(r)
		if err != nil {
			return nil, err
		}
		return &signatureParams{KeyID: m.keyID, Algorithm: m.alg, Headers: m.components, msg: m}, nil
	}
	sigs := r.Header.Values("Signature")
	var auth []string
	for _, a := range r.Header.Values("Authorization") {
		if rest, ok := strings.CutPrefix(a, "Signature "); ok {
			auth = append(auth, rest)
		}
	}
	switch {
	case len(sigs)+len(auth) == 0:
		return nil, errors.New("request has no Signature header")
	case len(sigs)+len(auth) > 1:
		return nil, errors.New("request has more than one signature (Signature header lines or Authorization: Signature); send exactly one")
	}
	v, field := "", "Signature header"
	if len(sigs) == 1 {
		v = sigs[0]
	} else {
		v, field = auth[0], "Authorization header"
	}
	params, err := splitCavageParams(v)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", field, err)
	}
	p := &signatureParams{}
	for _, kv := range params {
		k, val := kv[0], kv[1]
		switch k {
		case "keyId":
			p.KeyID = val
		case "algorithm":
			p.Algorithm = strings.ToLower(val)
		case "headers":
			for h := range strings.SplitSeq(val, " ") {
				h = strings.ToLower(h)
				if h == "" {
					return nil, fmt.Errorf("%s: headers %q: names must be separated by single spaces", field, val)
				}
				if slices.Contains(p.Headers, h) {
					return nil, fmt.Errorf("%s: headers %q: %q is listed twice", field, val, h)
				}
				p.Headers = append(p.Headers, h)
			}
		case "signature":
			if p.sig, err = base64.StdEncoding.DecodeString(val); err != nil || len(p.sig) == 0 {
				return nil, fmt.Errorf("%s: signature is not base64", field)
			}
		case "created", "expires":
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil || n <= 0 {
				return nil, fmt.Errorf("%s: %s %q is not a Unix time", field, k, val)
			}
			if k == "created" {
				p.Created = n
			} else {
				p.Expires = n
			}
		}
	}
	if p.KeyID == "" {
		return nil, fmt.Errorf("%s: keyId missing", field)
	}
	if p.sig == nil {
		return nil, fmt.Errorf("%s: signature missing", field)
	}
	if len(p.Headers) == 0 {
		// draft-cavage: without headers only Date is signed.
		p.Headers = []string{"date"}
	}
	return p, nil
}

// splitCavageParams splits a draft-cavage parameter list
// (name="value",name=123) into name and value pairs. Names must be one of
// cavageParams as spelled there, each at most once, or an unrelated
// extension (kept, and ignored by the caller); values are quoted strings
// without escapes, or bare digits.
func splitCavageParams(v string) ([][2]string, error) {
	var out [][2]string
	seen := map[string]bool{}
	i := 0
	skipOWS := func() {
		for i < len(v) && (v[i] == ' ' || v[i] == '\t') {
			i++
		}
	}
	for {
		skipOWS()
		start := i
		for i < len(v) && v[i] != '=' && v[i] != ',' && v[i] != ' ' && v[i] != '"' {
			i++
		}
		name := v[start:i]
		if name == "" || i == len(v) || v[i] != '=' {
			return nil, fmt.Errorf("malformed parameter at byte %d: want name=\"value\"", start)
		}
		i++
		var val string
		if i < len(v) && v[i] == '"' {
			end := strings.IndexByte(v[i+1:], '"')
			if end < 0 {
				return nil, fmt.Errorf("parameter %s: quoted value not closed", name)
			}
			val = v[i+1 : i+1+end]
			if strings.ContainsRune(val, '\\') {
				return nil, fmt.Errorf("parameter %s: backslash in a quoted value", name)
			}
			i += end + 2
		} else {
			vs := i
			for i < len(v) && v[i] >= '0' && v[i] <= '9' {
				i++
			}
			if vs == i {
				return nil, fmt.Errorf("parameter %s: value must be a quoted string or digits", name)
			}
			val = v[vs:i]
		}
		std := ""
		for _, known := range cavageParams {
			if strings.EqualFold(name, known) {
				std = known
			}
		}
		switch {
		case std != "" && name != std:
			return nil, fmt.Errorf("parameter %q: write it as %q", name, std)
		case seen[name]:
			return nil, fmt.Errorf("parameter %q given twice", name)
		}
		seen[name] = true
		out = append(out, [2]string{name, val})
		skipOWS()
		if i == len(v) {
			return out, nil
		}
		if v[i] != ',' {
			return nil, fmt.Errorf("parameter %s: want ',' after its value at byte %d", name, i)
		}
		i++
	}
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

// signingString is the draft-cavage signing string of r for the covered
// headers, built as go-fed/httpsig builds it when signing: each name in
// lower case, the request target from the method and path, each header's
// values trimmed and joined with ", ".
func (p *signatureParams) signingString(r *http.Request) (string, error) {
	lines := make([]string, 0, len(p.Headers))
	for _, h := range p.Headers {
		var v string
		switch h {
		case httpsig.RequestTarget:
			v = strings.ToLower(r.Method) + " " + r.URL.Path
			if r.URL.RawQuery != "" {
				v += "?" + r.URL.RawQuery
			}
		case "(created)", "(expires)":
			n := p.Created
			if h == "(expires)" {
				n = p.Expires
			}
			if n == 0 {
				return "", fmt.Errorf("signature covers %s but has no %s parameter", h, strings.Trim(h, "()"))
			}
			v = strconv.FormatInt(n, 10)
		default:
			vals := r.Header.Values(h)
			if len(vals) == 0 && h == "host" && r.Host != "" {
				vals = []string{r.Host}
			}
			if len(vals) == 0 {
				return "", fmt.Errorf("signature covers %q, which the request does not have", h)
			}
			trimmed := make([]string, len(vals))
			for i, s := range vals {
				trimmed[i] = strings.TrimSpace(s)
			}
			v = strings.Join(trimmed, ", ")
		}
		lines = append(lines, h+": "+v)
	}
	return strings.Join(lines, "\n"), nil
}

// verifySignature checks r's HTTP signature against key (see
// messageSignature.verify; draft-cavage takes RSA keys only), over exactly the
// headers parseSignature read. The signed headers must already have passed
// params.check. scheme is the one the sender used, for an RFC 9421
// "@target-uri".
func verifySignature(r *http.Request, p *signatureParams, key crypto.PublicKey, scheme string) error {
	if p.msg != nil {
		return p.msg.verify(r, key, scheme)
	}
	if _, ok := key.(ed25519.PublicKey); ok {
		return fmt.Errorf("key %s is an Ed25519 key: sign with it in an RFC 9421 signature, not a draft-cavage one", p.KeyID)
	}
	pub, _ := key.(*rsa.PublicKey)
	if pub == nil {
		return errors.New("no public key")
	}
	s, err := p.signingString(r)
	if err != nil {
		return err
	}
	d256 := sha256.Sum256([]byte(s))
	err = rsa.VerifyPKCS1v15(pub, crypto.SHA256, d256[:], p.sig)
	if err != nil && p.Algorithm == "hs2019" {
		// hs2019 leaves the hash to the key; a few servers use SHA-512.
		d512 := sha512.Sum512([]byte(s))
		if rsa.VerifyPKCS1v15(pub, crypto.SHA512, d512[:], p.sig) == nil {
			return nil
		}
	}
	if err != nil {
		return fmt.Errorf("signature does not verify with key %s: %w", p.KeyID, err)
	}
	return nil
}

// The digest header fields, as the signature names them.
var digestFields = []string{"digest", "content-digest"}

// checkDigest checks the body against exactly the digest headers the
// signature covers: each covered one (Digest, RFC 3230: SHA-256 or
// SHA-512, algorithm names case-insensitive; Content-Digest, RFC 9530:
// sha-256 or sha-512, values as :base64: byte sequences) must be present
// and match the body. A digest header the signature does not cover is
// refused, not ignored or checked in place of the covered one: with two,
// both are covered and both match the body, so they cannot disagree. A
// non-empty body needs a covered digest.
func (p *signatureParams) checkDigest(h http.Header, body []byte) error {
	covered := 0
	for _, name := range digestFields {
		lines := h.Values(name)
		signed := slices.Contains(p.Headers, name)
		field := http.CanonicalHeaderKey(name)
		switch {
		case signed && len(lines) == 0:
			return fmt.Errorf("the signature covers %s, but the request has no %s header", field, field)
		case !signed && len(lines) > 0:
			return fmt.Errorf("the %s header is not covered by the signature (signed: %s); sign it or leave it out", field, strings.Join(p.Headers, " "))
		case !signed:
			continue
		}
		unwrap := func(v string) (string, bool) { return v, true }
		if name == "content-digest" {
			unwrap = func(v string) (string, bool) {
				if len(v) < 2 || v[0] != ':' || v[len(v)-1] != ':' {
					return "", false
				}
				return v[1 : len(v)-1], true
			}
		}
		if err := matchDigests(field, lines, body, unwrap); err != nil {
			return err
		}
		covered++
	}
	if covered == 0 && len(body) > 0 {
		return errors.New("the signature covers no digest of the body (Digest or Content-Digest)")
	}
	return nil
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
