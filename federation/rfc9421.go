package federation

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// RFC 9421 HTTP Message Signatures, which Mastodon (from 4.5) and Fedify
// send beside or instead of draft-cavage signatures. The inbox verifies the
// profile ActivityPub servers use: RSA keys (rsa-v1_5-sha256, also
// rsa-pss-sha512), covered components from the request line and header
// fields, and a created time.

// The algorithms accepted; "" leaves it to the key (RSA: PKCS #1 v1.5
// with SHA-256, then PSS with SHA-512).
const (
	algRSAv15SHA256 = "rsa-v1_5-sha256"
	algRSAPSSSHA512 = "rsa-pss-sha512"
)

// messageSignature is one signature of a request's Signature-Input and
// Signature fields.
type messageSignature struct {
	label      string
	components []string // covered component names, in order
	params     string   // the Signature-Input member as written: the "@signature-params" value
	keyID      string
	alg        string
	created    int64
	expires    int64 // 0: none
	sig        []byte
}

// parseMessageSignature reads the first signature of r's Signature-Input
// that Signature also holds.
func parseMessageSignature(r *http.Request) (*messageSignature, error) {
	inputs, err := parseDictionary(strings.Join(r.Header.Values("Signature-Input"), ", "))
	if err != nil {
		return nil, fmt.Errorf("Signature-Input: %w", err)
	}
	sigs, err := parseDictionary(strings.Join(r.Header.Values("Signature"), ", "))
	if err != nil {
		return nil, fmt.Errorf("Signature (RFC 9421): %w", err)
	}
	for _, d := range [][]sfMember{inputs, sigs} {
		for i, m := range d {
			if slices.ContainsFunc(d[:i], func(o sfMember) bool { return o.key == m.key }) {
				return nil, fmt.Errorf("signature label %q appears twice in Signature-Input or Signature", m.key)
			}
		}
	}
	for _, in := range inputs {
		i := slices.IndexFunc(sigs, func(m sfMember) bool { return m.key == in.key })
		if i < 0 {
			continue
		}
		sig, ok := sigs[i].value.([]byte)
		if !ok {
			return nil, fmt.Errorf("Signature %s: not a byte sequence", in.key)
		}
		if in.inner == nil {
			return nil, fmt.Errorf("Signature-Input %s: not an inner list of components", in.key)
		}
		m := &messageSignature{label: in.key, params: in.raw, sig: sig}
		for _, it := range in.inner {
			name, ok := it.value.(string)
			if !ok || name == "" || name != strings.ToLower(name) {
				return nil, fmt.Errorf("Signature-Input %s: component %v is not a lower-case string", in.key, it.value)
			}
			if len(it.params) > 0 {
				return nil, fmt.Errorf("Signature-Input %s: component parameters (%q;%s) are not supported", in.key, name, it.params[0].key)
			}
			if slices.Contains(m.components, name) {
				return nil, fmt.Errorf("Signature-Input %s: component %q covered twice", in.key, name)
			}
			m.components = append(m.components, name)
		}
		seen := map[string]bool{}
		for _, p := range in.params {
			if seen[p.key] {
				return nil, fmt.Errorf("Signature-Input %s: parameter %q given twice", in.key, p.key)
			}
			seen[p.key] = true
			var ok bool
			switch p.key {
			case "keyid":
				m.keyID, ok = p.value.(string)
			case "alg":
				m.alg, ok = p.value.(string)
			case "created":
				m.created, ok = p.value.(int64)
			case "expires":
				m.expires, ok = p.value.(int64)
			default:
				ok = true
			}
			if !ok {
				return nil, fmt.Errorf("Signature-Input %s: parameter %q has a value of the wrong type", in.key, p.key)
			}
		}
		if m.keyID == "" {
			return nil, fmt.Errorf("Signature-Input %s: keyid missing", in.key)
		}
		return m, nil
	}
	return nil, errors.New("Signature-Input names no signature that the Signature field holds")
}

// check enforces what an inbox signature must cover: the method, the
// target (@target-uri, or @authority with @path or @request-target), the
// body digest (content-digest or digest) when there is a body, and a
// created time; and an accepted algorithm.
func (m *messageSignature) check(hasBody bool) error {
	switch m.alg {
	case "", algRSAv15SHA256, algRSAPSSSHA512, algEd25519:
	default:
		return fmt.Errorf("signature algorithm %q not accepted (want %s, %s or %s)", m.alg, algRSAv15SHA256, algRSAPSSSHA512, algEd25519)
	}
	covers := func(c string) bool { return slices.Contains(m.components, c) }
	signed := strings.Join(m.components, " ")
	if !covers("@method") {
		return fmt.Errorf(`signature does not cover "@method" (signed: %s)`, signed)
	}
	if !covers("@target-uri") && !(covers("@authority") && (covers("@path") || covers("@request-target"))) {
		return fmt.Errorf(`signature covers neither "@target-uri" nor "@authority" with "@path" (signed: %s)`, signed)
	}
	if hasBody && !covers("content-digest") && !covers("digest") {
		return fmt.Errorf("signature does not cover the body digest (signed: %s)", signed)
	}
	if m.created == 0 {
		return errors.New("signature has no created time")
	}
	return nil
}

// base builds the signature base of r (RFC 9421, section 2.5). scheme is
// the scheme the sender used (the server may sit behind a TLS proxy).
func (m *messageSignature) base(r *http.Request, scheme string) (string, error) {
	var b strings.Builder
	for _, c := range m.components {
		v, err := componentValue(r, c, scheme)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%q: %s\n", c, v)
	}
	b.WriteString(`"@signature-params": `)
	b.WriteString(m.params)
	return b.String(), nil
}

// componentValue is the value of one covered component of r.
func componentValue(r *http.Request, name, scheme string) (string, error) {
	authority := strings.ToLower(r.Host)
	switch name {
	case "@method":
		return r.Method, nil
	case "@target-uri":
		return scheme + "://" + authority + r.URL.RequestURI(), nil
	case "@authority":
		return authority, nil
	case "@scheme":
		return scheme, nil
	case "@request-target":
		return r.URL.RequestURI(), nil
	case "@path":
		if p := r.URL.EscapedPath(); p != "" {
			return p, nil
		}
		return "/", nil
	case "@query":
		return "?" + r.URL.RawQuery, nil
	case "host":
		return r.Host, nil
	}
	if strings.HasPrefix(name, "@") {
		return "", fmt.Errorf("signature covers %q, which this server does not derive", name)
	}
	vals := r.Header.Values(name)
	if len(vals) == 0 {
		return "", fmt.Errorf("signature covers %q, which the request does not have", name)
	}
	for i, v := range vals {
		vals[i] = strings.TrimSpace(v)
	}
	return strings.Join(vals, ", "), nil
}

// verify checks the signature over r against key: an RSA key
// (*rsa.PublicKey) with an RSA algorithm or none, an Ed25519 one
// (ed25519.PublicKey, an actor's Multikey) with "ed25519" or none.
func (m *messageSignature) verify(r *http.Request, key crypto.PublicKey, scheme string) error {
	base, err := m.base(r, scheme)
	if err != nil {
		return err
	}
	if ek, ok := key.(ed25519.PublicKey); ok {
		if m.alg != "" && m.alg != algEd25519 {
			return fmt.Errorf("signature algorithm %q does not fit key %s, an Ed25519 key", m.alg, m.keyID)
		}
		if !ed25519.Verify(ek, []byte(base), m.sig) {
			return fmt.Errorf("signature does not verify with key %s", m.keyID)
		}
		return nil
	}
	pub, _ := key.(*rsa.PublicKey)
	if pub == nil {
		return errors.New("no public key")
	}
	if m.alg == algEd25519 {
		return fmt.Errorf("signature algorithm %q does not fit key %s, an RSA key", m.alg, m.keyID)
	}
	v15 := func() error {
		d := sha256.Sum256([]byte(base))
		return rsa.VerifyPKCS1v15(pub, crypto.SHA256, d[:], m.sig)
	}
	pss := func() error {
		d := sha512.Sum512([]byte(base))
		return rsa.VerifyPSS(pub, crypto.SHA512, d[:], m.sig, &rsa.PSSOptions{SaltLength: 64})
	}
	switch m.alg {
	case algRSAv15SHA256:
		err = v15()
	case algRSAPSSSHA512:
		err = pss()
	default:
		if err = v15(); err != nil && pss() == nil {
			err = nil
		}
	}
	if err != nil {
		return fmt.Errorf("signature does not verify with key %s: %w", m.keyID, err)
	}
	return nil
}

// SignMessage signs r with an RFC 9421 signature (rsa-v1_5-sha256, label
// sig1) covering @method, @target-uri and, for a non-nil body,
// content-digest, which it sets (sha-256), with created set to now.
func (s *Signer) SignMessage(r *http.Request, body []byte) error {
	return s.signMessage(r, messageComponents(r, body))
}

// signMessage signs r with an RFC 9421 signature (rsa-v1_5-sha256, label
// sig1, created now) over the given components, which r must have.
func (s *Signer) signMessage(r *http.Request, components []string) error {
	if s == nil || s.Key == nil {
		return fmt.Errorf("sign %s %s: signer has no key", r.Method, r.URL)
	}
	return s.signMessageWith(r, components, s.KeyID, algRSAv15SHA256, func(base []byte) ([]byte, error) {
		d := sha256.Sum256(base)
		return rsa.SignPKCS1v15(rand.Reader, s.Key, crypto.SHA256, d[:])
	})
}

// SignEd25519 is SignMessage with the signer's Ed25519 key (alg
// "ed25519", keyid Ed25519KeyID).
func (s *Signer) SignEd25519(r *http.Request, body []byte) error {
	if s == nil || s.Ed25519Key == nil {
		return fmt.Errorf("sign %s %s: signer has no Ed25519 key", r.Method, r.URL)
	}
	return s.signMessageWith(r, messageComponents(r, body), s.Ed25519KeyID, algEd25519, func(base []byte) ([]byte, error) {
		return ed25519.Sign(s.Ed25519Key, base), nil
	})
}

// messageComponents are the components an RFC 9421 signature of a
// request covers: @method, @target-uri and, for a non-nil body,
// content-digest, which it sets on r (sha-256).
func messageComponents(r *http.Request, body []byte) []string {
	components := []string{"@method", "@target-uri"}
	if body != nil {
		d := sha256.Sum256(body)
		r.Header.Set("Content-Digest", "sha-256=:"+base64.StdEncoding.EncodeToString(d[:])+":")
		components = append(components, "content-digest")
	}
	return components
}

// signMessageWith signs r with an RFC 9421 signature (label sig1,
// created now, the key keyID of algorithm alg, which sign applies to the
// signature base) over the given components, which r must have.
func (s *Signer) signMessageWith(r *http.Request, components []string, keyID, alg string, sign func(base []byte) ([]byte, error)) error {
	if keyID == "" {
		return fmt.Errorf("sign %s %s: signer has no key id", r.Method, r.URL)
	}
	if r.Host == "" {
		r.Host = r.URL.Host
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	quoted := make([]string, len(components))
	for i, c := range components {
		quoted[i] = strconv.Quote(c)
	}
	m := &messageSignature{
		label:      "sig1",
		components: components,
		params:     "(" + strings.Join(quoted, " ") + ");created=" + strconv.FormatInt(now().Unix(), 10) + ";keyid=" + strconv.Quote(keyID) + ";alg=\"" + alg + "\"",
	}
	scheme := r.URL.Scheme
	if scheme == "" {
		scheme = "https"
	}
	base, err := m.base(r, scheme)
	if err != nil {
		return fmt.Errorf("sign %s %s: %w", r.Method, r.URL, err)
	}
	sig, err := sign([]byte(base))
	if err != nil {
		return fmt.Errorf("sign %s %s: %w", r.Method, r.URL, err)
	}
	r.Header.Set("Signature-Input", m.label+"="+m.params)
	r.Header.Set("Signature", m.label+"=:"+base64.StdEncoding.EncodeToString(sig)+":")
	return nil
}
