package federation

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/sovereign-marketplace/market/listing"
)

// maxDocumentBytes bounds the size of a fetched document.
const maxDocumentBytes = 1 << 20

// maxCachedActors bounds the in-memory actor cache.
const maxCachedActors = 10000

// RemoteActor is an actor fetched from another server.
type RemoteActor struct {
	ID                string
	Type              string
	Inbox             string
	SharedInbox       string
	Followers         string
	Outbox            string
	PreferredUsername string
	Name              string
	// KeyID and PublicKey are the actor's signing key: the one matching the
	// keyId asked for when returned by KeyOwner, else the first published.
	// When KeyOwner was asked for one of the actor's Ed25519 Multikeys
	// (assertionMethod), KeyID names it, Ed25519Key holds it and PublicKey
	// is nil.
	KeyID      string
	PublicKey  *rsa.PublicKey
	Ed25519Key ed25519.PublicKey
	// Raw is the actor document as fetched.
	Raw json.RawMessage
	// FetchedAt is when the document was fetched.
	FetchedAt time.Time

	keys   map[string]*rsa.PublicKey
	edKeys map[string]ed25519.PublicKey // assertionMethod Multikeys
}

// Client fetches and posts ActivityPub documents with signed requests and
// keeps remote actors in an in-memory cache. It is safe for concurrent use.
type Client struct {
	hc     *http.Client
	signer *Signer
	keyTTL time.Duration
	log    *slog.Logger

	// AllowHTTP lets ResolveActor fall back to plain http WebFinger when
	// https fails. NewClient sets it when hc allows private networks
	// (tests and local set-ups).
	AllowHTTP bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Signatures is how POSTs are signed (SignCavage when empty).
	Signatures SignatureStyle
	// MinRefresh is the shortest time between two fetches of one actor
	// that a signature which does not verify (a rotated key, or a forged
	// one) may cause, so that a burst of bad signatures naming an actor's
	// key does not turn the server into a fetcher hammering that actor's
	// host. NewClient sets DefaultMinRefresh.
	MinRefresh time.Duration

	mu       sync.Mutex
	styles   map[string]SignatureStyle // host → the style its inbox took (SignDual)
	ed25519  map[string]bool           // host → whether it is sent Ed25519 signatures (see Post)
	actors   map[string]*RemoteActor   // by actor id
	keys     map[string]string         // key id -> actor id
	inflight map[string]*fetchCall     // actor id -> fetch in progress
}

// fetchCall is one actor fetch that concurrent callers share.
type fetchCall struct {
	done  chan struct{}
	actor *RemoteActor
	err   error
}

// SignatureStyle is how a Client signs the POSTs it sends.
type SignatureStyle string

// The signature styles.
const (
	// SignCavage signs with draft-cavage HTTP Signatures, which every
	// ActivityPub server accepts.
	SignCavage SignatureStyle = "cavage"
	// SignRFC9421 signs with RFC 9421 message signatures only.
	SignRFC9421 SignatureStyle = "rfc9421"
	// SignDual signs with RFC 9421 first and, when an inbox answers 400 or
	// 401, sends once more with draft-cavage ("double knocking"); the
	// style each host took is remembered for the client's life.
	SignDual SignatureStyle = "dual"
	// SignEd25519 signs with RFC 9421 and the signer's Ed25519 key. A
	// Client takes it by itself, whatever its Signatures, for the hosts
	// whose actors publish an Ed25519 key (see Post); it is no setting.
	SignEd25519 SignatureStyle = "ed25519"
)

// DefaultMinRefresh is Client.MinRefresh unless set otherwise: a rotated
// key is picked up within seconds, and one actor's host sees at most six
// fetches a minute however many bad signatures name its keys.
const DefaultMinRefresh = 10 * time.Second

// NewClient returns a Client that sends requests through hc (normally from
// NewHTTPClient), signs them with signer (nil sends them unsigned) and
// caches fetched actors for keyTTL (0 means one hour).
func NewClient(hc *http.Client, signer *Signer, keyTTL time.Duration, log *slog.Logger) *Client {
	if hc == nil {
		hc = NewHTTPClient(false, 0)
	}
	if keyTTL <= 0 {
		keyTTL = time.Hour
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Client{
		hc:         hc,
		signer:     signer,
		keyTTL:     keyTTL,
		log:        log,
		AllowHTTP:  allowsPrivate(hc),
		MinRefresh: DefaultMinRefresh,
		styles:     make(map[string]SignatureStyle),
		ed25519:    make(map[string]bool),
		actors:     make(map[string]*RemoteActor),
		keys:       make(map[string]string),
		inflight:   make(map[string]*fetchCall),
	}
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// noRedirect returns a copy of the HTTP client that hands redirects back
// instead of following them, so that each hop can be checked and re-signed.
func (c *Client) noRedirect() *http.Client {
	hc := *c.hc
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &hc
}

// Get fetches an ActivityPub document with a signed GET asking for
// ActivityPub JSON. It follows up to 5 redirects within the same origin
// and refuses one to another origin, refuses a response whose Content-Type
// is not ActivityPub JSON (ErrInvalid) or whose body exceeds 1 MiB, and
// maps 404 to ErrNotFound, 410 to ErrGone and any other non-2xx status to
// an error naming it. It signs as Post does: with the Ed25519 key to a
// host that takes it, and as before when that is refused.
func (c *Client) Get(ctx context.Context, rawURL string) ([]byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil || !listing.IsHTTPURL(rawURL) {
		return nil, fmt.Errorf("get %s: not an absolute http(s) URL with a host and no user name: %w", rawURL, ErrInvalid)
	}
	start := originOf(u)
	hc := c.noRedirect()
	for hop := 0; ; hop++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return nil, fmt.Errorf("get %s: %w", rawURL, err)
		}
		req.Header.Set("Accept", acceptHeader)
		ed := c.takesEd25519(u.Host)
		if c.signer != nil {
			sign := c.signer.Sign
			if ed {
				sign = c.signer.SignEd25519
			}
			if err := sign(req, nil); err != nil {
				return nil, fmt.Errorf("get %s: %w", rawURL, err)
			}
		}
		resp, err := hc.Do(req)
		if err != nil {
			return nil, fmt.Errorf("get %s: %w", rawURL, err)
		}
		body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxDocumentBytes+1))
		resp.Body.Close()
		switch {
		case ed && (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusBadRequest):
			// The server does not take Ed25519 signatures after all: ask
			// again as before, and from now on.
			c.refusedEd25519(u.Host)
			hop--
			continue
		case resp.StatusCode >= 300 && resp.StatusCode < 400 && resp.Header.Get("Location") != "":
			next, err := u.Parse(resp.Header.Get("Location"))
			if err != nil {
				return nil, fmt.Errorf("get %s: bad redirect location: %w", rawURL, err)
			}
			if originOf(next) != start {
				return nil, fmt.Errorf("get %s: redirect to another origin (%s): %w", rawURL, next, ErrInvalid)
			}
			if hop >= maxRedirects {
				return nil, fmt.Errorf("get %s: more than %d redirects", rawURL, maxRedirects)
			}
			u = next
			continue
		case resp.StatusCode == http.StatusNotFound:
			return nil, fmt.Errorf("get %s: status 404: %w", rawURL, ErrNotFound)
		case resp.StatusCode == http.StatusGone:
			return nil, fmt.Errorf("get %s: status 410: %w", rawURL, ErrGone)
		case resp.StatusCode < 200 || resp.StatusCode > 299:
			return nil, fmt.Errorf("get %s: unexpected status %d", rawURL, resp.StatusCode)
		}
		if readErr != nil {
			return nil, fmt.Errorf("get %s: read body: %w", rawURL, readErr)
		}
		if len(body) > maxDocumentBytes {
			return nil, fmt.Errorf("get %s: body larger than %d bytes: %w", rawURL, maxDocumentBytes, ErrInvalid)
		}
		if ct := resp.Header.Get("Content-Type"); !IsActivityJSON(ct) {
			return nil, fmt.Errorf("get %s: Content-Type %q is not ActivityPub JSON: %w", rawURL, ct, ErrInvalid)
		}
		return body, nil
	}
}

// Actor returns the actor with the given id, from the cache when fetched
// less than keyTTL ago. The fetched document's id must equal id.
func (c *Client) Actor(ctx context.Context, id string) (*RemoteActor, error) {
	a, _, err := c.actor(ctx, id, false)
	return a, err
}

// RefreshActor fetches the actor even when cached, and replaces the cached
// copy (and its keys).
func (c *Client) RefreshActor(ctx context.Context, id string) (*RemoteActor, error) {
	a, _, err := c.actor(ctx, id, true)
	return a, err
}

// Forget drops an actor from the cache (after its Delete, say).
func (c *Client) Forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropLocked(id)
}

// dropLocked removes an actor and its keys from the cache. c.mu is held.
func (c *Client) dropLocked(id string) {
	if old, ok := c.actors[id]; ok {
		for k := range old.allKeys() {
			if c.keys[k] == id {
				delete(c.keys, k)
			}
		}
		delete(c.actors, id)
	}
}

// actor returns the actor from the cache or, when absent, stale or
// refresh is set, from its server; fetched tells which.
func (c *Client) actor(ctx context.Context, id string, refresh bool) (a *RemoteActor, fetched bool, err error) {
	c.mu.Lock()
	if a, ok := c.actors[id]; ok && !refresh && c.now().Sub(a.FetchedAt) < c.keyTTL {
		c.mu.Unlock()
		return a, false, nil
	}
	if call, ok := c.inflight[id]; ok {
		c.mu.Unlock()
		select {
		case <-call.done:
			return call.actor, true, call.err
		case <-ctx.Done():
			return nil, false, fmt.Errorf("fetch actor %s: %w", id, ctx.Err())
		}
	}
	call := &fetchCall{done: make(chan struct{})}
	c.inflight[id] = call
	c.mu.Unlock()

	call.actor, call.err = c.fetchActor(ctx, id)

	c.mu.Lock()
	delete(c.inflight, id)
	if call.err == nil {
		c.storeLocked(call.actor)
	} else if errors.Is(call.err, ErrGone) || errors.Is(call.err, ErrNotFound) {
		c.dropLocked(id)
	}
	c.mu.Unlock()
	close(call.done)
	return call.actor, true, call.err
}

// storeLocked caches an actor, replacing any older copy. c.mu is held.
func (c *Client) storeLocked(a *RemoteActor) {
	c.dropLocked(a.ID)
	if len(c.actors) >= maxCachedActors {
		now := c.now()
		for id, old := range c.actors {
			if now.Sub(old.FetchedAt) >= c.keyTTL {
				c.dropLocked(id)
			}
		}
		for id := range c.actors {
			if len(c.actors) < maxCachedActors {
				break
			}
			c.dropLocked(id)
		}
	}
	c.actors[a.ID] = a
	for k := range a.allKeys() {
		c.keys[k] = a.ID
	}
	if len(a.edKeys) > 0 {
		// The actor's server signs with Ed25519, so it can be sent such
		// signatures, unless it refused one already.
		for _, inbox := range []string{a.Inbox, a.SharedInbox} {
			if h := HostOf(inbox); inbox != "" {
				if _, known := c.ed25519[h]; !known {
					c.ed25519[h] = true
				}
			}
		}
	}
}

// allKeys yields the ids of every key a publishes, RSA and Ed25519.
func (a *RemoteActor) allKeys() iter.Seq[string] {
	return func(yield func(string) bool) {
		for k := range a.keys {
			if !yield(k) {
				return
			}
		}
		for k := range a.edKeys {
			if !yield(k) {
				return
			}
		}
	}
}

// signingKey is the key KeyID names: Ed25519Key or PublicKey.
func (a *RemoteActor) signingKey() crypto.PublicKey {
	if a.Ed25519Key != nil {
		return a.Ed25519Key
	}
	if a.PublicKey != nil {
		return a.PublicKey
	}
	return nil
}

// fetchActor fetches and decodes the actor document at id.
func (c *Client) fetchActor(ctx context.Context, id string) (*RemoteActor, error) {
	body, err := c.Get(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("fetch actor %s: %w", id, err)
	}
	a, err := parseRemoteActor(body)
	if err != nil {
		return nil, fmt.Errorf("fetch actor %s: %w", id, err)
	}
	if a.ID != id {
		return nil, fmt.Errorf("fetch actor %s: document has id %q: %w", id, a.ID, ErrInvalid)
	}
	a.FetchedAt = c.now()
	return a, nil
}

// actorDoc is the part of an actor document this package reads.
type actorDoc struct {
	ID                string          `json:"id"`
	Type              json.RawMessage `json:"type"`
	Inbox             string          `json:"inbox"`
	Outbox            string          `json:"outbox"`
	Followers         string          `json:"followers"`
	PreferredUsername string          `json:"preferredUsername"`
	Name              string          `json:"name"`
	Endpoints         *struct {
		SharedInbox string `json:"sharedInbox"`
	} `json:"endpoints"`
	PublicKey json.RawMessage `json:"publicKey"`
	Owner     string          `json:"owner"`
}

// keyDoc is a publicKey object.
type keyDoc struct {
	ID           string `json:"id"`
	Owner        string `json:"owner"`
	PublicKeyPem string `json:"publicKeyPem"`
}

// Bounds on the strings taken from a remote actor document, counted in
// characters (Unicode code points), applied before anything keeps them: a
// document of up to 1 MiB must not put a 1 MiB name into every record that
// names its actor.
const (
	// MaxActorNameChars bounds an actor's name; a longer one is cut at a
	// character boundary.
	MaxActorNameChars = 200
	// MaxActorUsernameChars bounds an actor's preferredUsername; a longer
	// one is cut at a character boundary.
	MaxActorUsernameChars = 100
	// MaxActorTypeChars bounds an actor's type; a longer one is refused.
	MaxActorTypeChars = 100
	// MaxURLChars bounds every URL taken from an actor document (id,
	// inbox, outbox, followers, sharedInbox, key ids); an actor with a
	// longer one is refused.
	MaxURLChars = 2048
)

// truncateChars cuts s to at most n characters, at a character boundary.
func truncateChars(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}

// checkURLLength refuses a URL longer than MaxURLChars, naming the field
// (and not repeating the URL).
func checkURLLength(field, u string) error {
	if n := utf8.RuneCountInString(u); n > MaxURLChars {
		return fmt.Errorf("actor %s is %d characters long; at most %d accepted: %w", field, n, MaxURLChars, ErrInvalid)
	}
	return nil
}

// parseRemoteActor decodes an actor document. Each published key must
// share the actor's origin and, when it names an owner, be owned by it.
// URLs longer than MaxURLChars are refused; the name and preferredUsername
// are cut to MaxActorNameChars and MaxActorUsernameChars. go-ap reads the
// standard members (decodeActorVocab); the type (which may be an array),
// the text members and a publicKey array are read here, over a document
// already checked to hold no member twice.
func parseRemoteActor(body []byte) (*RemoteActor, error) {
	members, err := decodeObject(body)
	if err != nil {
		return nil, fmt.Errorf("decode actor: %v: %w", err, ErrInvalid)
	}
	d, err := decodeActorVocab(body, members)
	if err != nil {
		return nil, err
	}
	urls := [][2]string{{"id", d.ID}, {"inbox", d.Inbox}, {"outbox", d.Outbox}, {"followers", d.Followers}, {"endpoints.sharedInbox", d.SharedInbox}}
	for _, u := range urls {
		if err := checkURLLength(u[0], u[1]); err != nil {
			return nil, err
		}
	}
	if !isHTTPURL(d.ID) {
		return nil, fmt.Errorf("actor id %q is not an http(s) URL: %w", d.ID, ErrInvalid)
	}
	types, err := typesOf(members["type"])
	if err != nil {
		return nil, fmt.Errorf("actor %s: type: %v: %w", d.ID, err, ErrInvalid)
	}
	if n := utf8.RuneCountInString(types[0]); n > MaxActorTypeChars {
		return nil, fmt.Errorf("actor %s: type is %d characters long; at most %d accepted: %w", d.ID, n, MaxActorTypeChars, ErrInvalid)
	}
	if !isHTTPURL(d.Inbox) {
		return nil, fmt.Errorf("actor %s: inbox %q is not an http(s) URL: %w", d.ID, d.Inbox, ErrInvalid)
	}
	var text [2]string
	for i, name := range []string{"preferredUsername", "name"} {
		if raw, ok := members[name]; ok && !isNull(raw) {
			if err := json.Unmarshal(raw, &text[i]); err != nil {
				return nil, fmt.Errorf("actor %s: %s: must be a string: %w", d.ID, name, ErrInvalid)
			}
		}
	}
	a := &RemoteActor{
		ID: d.ID, Type: types[0], Inbox: d.Inbox, Outbox: d.Outbox, Followers: d.Followers,
		PreferredUsername: truncateChars(text[0], MaxActorUsernameChars),
		Name:              truncateChars(text[1], MaxActorNameChars),
		Raw:               json.RawMessage(bytes.Clone(body)),
		keys:              make(map[string]*rsa.PublicKey),
	}
	if isHTTPURL(d.SharedInbox) {
		a.SharedInbox = d.SharedInbox
	}
	var keys []keyDoc
	switch raw := members["publicKey"]; firstByte(raw) {
	case '{':
		keys = append(keys, *d.Key)
	case '[':
		// go-ap reads one key object; several keys are read here.
		if err := json.Unmarshal(raw, &keys); err != nil {
			return nil, fmt.Errorf("actor %s: publicKey: %v: %w", d.ID, err, ErrInvalid)
		}
	}
	actorOrigin := originOfString(d.ID)
	for _, k := range keys {
		if err := checkURLLength("key id", k.ID); err != nil {
			return nil, err
		}
		if k.ID == "" || originOfString(k.ID) != actorOrigin {
			return nil, fmt.Errorf("actor %s: key id %q is not on the actor's origin: %w", d.ID, k.ID, ErrInvalid)
		}
		if k.Owner != "" && k.Owner != d.ID {
			return nil, fmt.Errorf("actor %s: key %s is owned by %q: %w", d.ID, k.ID, k.Owner, ErrInvalid)
		}
		pub, err := parsePublicKeyPEM(k.PublicKeyPem)
		if err != nil {
			return nil, fmt.Errorf("actor %s: key %s: %w", d.ID, k.ID, err)
		}
		a.keys[k.ID] = pub
		if a.PublicKey == nil {
			a.KeyID, a.PublicKey = k.ID, pub
		}
	}
	a.edKeys = ed25519Keys(a.ID, members["assertionMethod"])
	return a, nil
}

// withKey returns a copy of a whose KeyID and PublicKey (or Ed25519Key)
// are the key keyID, or nil when a does not publish it.
func (a *RemoteActor) withKey(keyID string) *RemoteActor {
	cp := *a
	if pub, ok := a.keys[keyID]; ok {
		cp.KeyID, cp.PublicKey, cp.Ed25519Key = keyID, pub, nil
		return &cp
	}
	if pub, ok := a.edKeys[keyID]; ok {
		cp.KeyID, cp.PublicKey, cp.Ed25519Key = keyID, nil, pub
		return &cp
	}
	return nil
}

// KeyOwner resolves a keyId to the actor that owns it. The keyId may be a
// fragment of the actor ("https://h/actor#main-key") or a separate document
// (a key with an "owner", or a stub actor embedding the key). Either way
// the owning actor must publish a key with exactly this id in its own
// document (the reciprocal claim) and share the key's origin. With refresh
// the actor is fetched again even when cached (after a signature stopped
// verifying, say: keys rotate), unless its cached copy is younger than
// MinRefresh. The returned actor's KeyID and PublicKey
// are this key.
func (c *Client) KeyOwner(ctx context.Context, keyID string, refresh bool) (*RemoteActor, error) {
	a, _, err := c.keyOwner(ctx, keyID, refresh)
	return a, err
}

// keyOwner is KeyOwner, also telling whether the actor was fetched (rather
// than taken from the cache) by this call.
func (c *Client) keyOwner(ctx context.Context, keyID string, refresh bool) (*RemoteActor, bool, error) {
	ku, err := url.Parse(keyID)
	if err != nil || !listing.IsHTTPURL(keyID) {
		return nil, false, fmt.Errorf("resolve key %s: not an http(s) URL with a host and no user name: %w", keyID, ErrInvalid)
	}
	c.mu.Lock()
	actorID, known := c.keys[keyID]
	c.mu.Unlock()
	if refresh && known && !c.mayRefresh(actorID) {
		refresh = false // fetched moments ago: the cached key stands
	}
	if !refresh {
		if known {
			if a, fetched, err := c.actor(ctx, actorID, false); err == nil {
				if k := a.withKey(keyID); k != nil {
					return k, fetched, nil
				}
			}
		}
	}
	docURL := *ku
	docURL.Fragment = ""
	docURL.RawFragment = ""
	ownerID := docURL.String()
	if ku.Fragment == "" {
		// A separate key document: read its owner.
		body, err := c.Get(ctx, ownerID)
		if err != nil {
			return nil, false, fmt.Errorf("resolve key %s: %w", keyID, err)
		}
		var d actorDoc
		if err := json.Unmarshal(body, &d); err != nil {
			return nil, false, fmt.Errorf("resolve key %s: decode: %v: %w", keyID, err, ErrInvalid)
		}
		var embedded keyDoc
		if firstByte(d.PublicKey) == '{' {
			_ = json.Unmarshal(d.PublicKey, &embedded)
		}
		switch {
		case d.Owner != "":
			ownerID = d.Owner
		case embedded.Owner != "":
			ownerID = embedded.Owner
		case d.ID != "":
			ownerID = d.ID
		}
	}
	if originOfString(ownerID) != originOf(ku) {
		return nil, false, fmt.Errorf("resolve key %s: owner %s is on another origin: %w", keyID, ownerID, ErrForbidden)
	}
	a, fetched, err := c.actor(ctx, ownerID, refresh && c.mayRefresh(ownerID))
	if err == nil && !fetched && a.withKey(keyID) == nil && c.mayRefresh(ownerID) {
		// A cached copy of the actor from before it published this key.
		a, fetched, err = c.actor(ctx, ownerID, true)
	}
	if err != nil {
		return nil, false, fmt.Errorf("resolve key %s: %w", keyID, err)
	}
	k := a.withKey(keyID)
	if k == nil {
		return nil, false, fmt.Errorf("resolve key %s: actor %s does not publish this key: %w", keyID, a.ID, ErrForbidden)
	}
	return k, fetched, nil
}

// mayRefresh reports whether the cached copy of actor id, if any, is at
// least MinRefresh old, so that a key check may fetch the actor again.
func (c *Client) mayRefresh(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.actors[id]
	return !ok || c.now().Sub(a.FetchedAt) >= c.MinRefresh
}

// ResolveActor turns an actor reference into an actor id: an http(s) actor
// URL is fetched and checked; "acct:user@host", "user@host" and
// "@user@host" are looked up with WebFinger at https://host (and, when
// AllowHTTP, at http://host if https fails), then the actor is fetched.
func (c *Client) ResolveActor(ctx context.Context, ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	if strings.HasPrefix(ref, "https://") || strings.HasPrefix(ref, "http://") {
		a, err := c.Actor(ctx, ref)
		if err != nil {
			return "", fmt.Errorf("resolve actor %s: %w", ref, err)
		}
		return a.ID, nil
	}
	acct := strings.TrimPrefix(strings.TrimPrefix(ref, "acct:"), "@")
	user, host, ok := strings.Cut(acct, "@")
	if !ok || user == "" || host == "" || strings.ContainsAny(host, "/?#@ ") {
		return "", fmt.Errorf("resolve actor %q: want an actor URL or user@host: %w", ref, ErrInvalid)
	}
	schemes := []string{"https"}
	if c.AllowHTTP {
		schemes = append(schemes, "http")
	}
	var errs []error
	for _, scheme := range schemes {
		href, err := c.webFinger(ctx, scheme, user, host)
		if err != nil {
			errs = append(errs, err)
			if errors.Is(err, ErrNotFound) {
				break
			}
			continue
		}
		a, err := c.Actor(ctx, href)
		if err != nil {
			return "", fmt.Errorf("resolve actor %s: %w", ref, err)
		}
		return a.ID, nil
	}
	return "", fmt.Errorf("resolve actor %s: %w", ref, errors.Join(errs...))
}

// WebFinger looks up an account, "acct:user@host", "user@host" or
// "@user@host", at https://host (and, when AllowHTTP, at http://host if
// https fails) and returns its JRD, fetched through the client's HTTP
// client (private addresses refused unless allowed, its timeouts, at most
// a document's size).
func (c *Client) WebFinger(ctx context.Context, account string) (*JRD, error) {
	acct := strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(account), "acct:"), "@")
	user, host, ok := strings.Cut(acct, "@")
	if !ok || user == "" || host == "" || strings.ContainsAny(user+host, "/?#@ \t\r\n") {
		return nil, fmt.Errorf("webfinger %q: want user@host: %w", account, ErrInvalid)
	}
	schemes := []string{"https"}
	if c.AllowHTTP {
		schemes = append(schemes, "http")
	}
	var errs []error
	for _, scheme := range schemes {
		jrd, err := c.fetchJRD(ctx, scheme, user, host)
		if err == nil {
			return jrd, nil
		}
		errs = append(errs, err)
		if errors.Is(err, ErrNotFound) {
			break
		}
	}
	return nil, errors.Join(errs...)
}

// webFinger asks host for the actor of acct:user@host and returns the href
// of its self link.
func (c *Client) webFinger(ctx context.Context, scheme, user, host string) (string, error) {
	jrd, err := c.fetchJRD(ctx, scheme, user, host)
	if err != nil {
		return "", err
	}
	for _, l := range jrd.Links {
		if l.Rel == "self" && IsActivityJSON(l.Type) && isHTTPURL(l.Href) {
			return l.Href, nil
		}
	}
	return "", fmt.Errorf("webfinger acct:%s@%s: no self link of type %s: %w", user, host, ContentType, ErrNotFound)
}

// fetchJRD gets the JRD of acct:user@host from scheme://host.
func (c *Client) fetchJRD(ctx context.Context, scheme, user, host string) (*JRD, error) {
	q := url.Values{"resource": {"acct:" + user + "@" + host}}
	u := scheme + "://" + host + "/.well-known/webfinger?" + q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("webfinger %s: %w", u, err)
	}
	req.Header.Set("Accept", "application/jrd+json, application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("webfinger %s: %w", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDocumentBytes+1))
	if err != nil {
		return nil, fmt.Errorf("webfinger %s: read body: %w", u, err)
	}
	if len(body) > maxDocumentBytes {
		return nil, fmt.Errorf("webfinger %s: larger than %d bytes: %w", u, maxDocumentBytes, ErrInvalid)
	}
	if resp.StatusCode == http.StatusNotFound {
		return nil, fmt.Errorf("webfinger %s: status 404: %w", u, ErrNotFound)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("webfinger %s: unexpected status %d", u, resp.StatusCode)
	}
	var jrd JRD
	if err := json.Unmarshal(body, &jrd); err != nil {
		return nil, fmt.Errorf("webfinger %s: decode: %v: %w", u, err, ErrInvalid)
	}
	return &jrd, nil
}

// DeliveryError is a failed POST to an inbox.
type DeliveryError struct {
	// Status is the HTTP status, 0 when no response came back.
	Status int
	// RetryAfter is the wait the server asked for with Retry-After
	// (seconds or an HTTP date), 0 if none.
	RetryAfter time.Duration
	// Err says what went wrong.
	Err error
}

// Error implements error.
func (e *DeliveryError) Error() string {
	if e.Status == 0 {
		return e.Err.Error()
	}
	return fmt.Sprintf("status %d: %v", e.Status, e.Err)
}

// Unwrap returns the underlying error.
func (e *DeliveryError) Unwrap() error { return e.Err }

// Permanent reports whether retrying cannot help: a 4xx status other than
// 408 and 429, or an address that may not be reached.
func (e *DeliveryError) Permanent() bool {
	if errors.Is(e.Err, ErrPrivateAddress) {
		return true
	}
	return e.Status >= 400 && e.Status < 500 && e.Status != http.StatusRequestTimeout && e.Status != http.StatusTooManyRequests
}

// Post delivers body (an activity) to inbox with a signed POST of Content-Type
// application/activity+json, signed as Signatures says; except that when
// the signer has an Ed25519 key and an actor fetched from the inbox's
// host publishes one too (so its server knows them), it signs with that
// key (RFC 9421), far cheaper than RSA, and when the inbox refuses that
// (400 or 401), sends once more as Signatures says and keeps to it for
// that host. Any failure is a *DeliveryError.
func (c *Client) Post(ctx context.Context, inbox string, body []byte) error {
	if !isHTTPURL(inbox) {
		return &DeliveryError{Err: fmt.Errorf("post %s: not an absolute http(s) URL: %w", inbox, ErrInvalid)}
	}
	host := HostOf(inbox)
	if c.takesEd25519(host) {
		err := c.post(ctx, inbox, body, SignEd25519)
		var de *DeliveryError
		if !errors.As(err, &de) || (de.Status != http.StatusUnauthorized && de.Status != http.StatusBadRequest) {
			return err
		}
		// The server does not take Ed25519 signatures after all: knock
		// again as configured, and from now on.
		c.refusedEd25519(host)
	}
	style := c.Signatures
	if style == SignDual {
		c.mu.Lock()
		if known, ok := c.styles[host]; ok {
			style = known
		}
		c.mu.Unlock()
	}
	if style == SignDual {
		err := c.post(ctx, inbox, body, SignRFC9421)
		var de *DeliveryError
		if errors.As(err, &de) && (de.Status == http.StatusUnauthorized || de.Status == http.StatusBadRequest) {
			// The inbox may not know RFC 9421 yet: knock again the old way.
			if err = c.post(ctx, inbox, body, SignCavage); err == nil {
				c.rememberStyle(host, SignCavage)
			}
			return err
		}
		if err == nil {
			c.rememberStyle(host, SignRFC9421)
		}
		return err
	}
	return c.post(ctx, inbox, body, style)
}

// takesEd25519 reports whether requests to host are signed with the
// signer's Ed25519 key: the signer has one, and an actor fetched from
// host published one too, and host never refused such a signature.
func (c *Client) takesEd25519(host string) bool {
	if c.signer == nil || c.signer.Ed25519Key == nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ed25519[strings.ToLower(host)]
}

// refusedEd25519 remembers that host refused an Ed25519 signature.
func (c *Client) refusedEd25519(host string) {
	c.mu.Lock()
	c.ed25519[strings.ToLower(host)] = false
	c.mu.Unlock()
}

func (c *Client) rememberStyle(host string, style SignatureStyle) {
	c.mu.Lock()
	c.styles[host] = style
	c.mu.Unlock()
}

// post sends one signed POST.
func (c *Client) post(ctx context.Context, inbox string, body []byte, style SignatureStyle) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		return &DeliveryError{Err: fmt.Errorf("post %s: %w", inbox, err)}
	}
	req.Header.Set("Content-Type", ContentType)
	req.Header.Set("Accept", acceptHeader)
	if c.signer != nil {
		sign := c.signer.Sign
		switch style {
		case SignRFC9421:
			sign = c.signer.SignMessage
		case SignEd25519:
			sign = c.signer.SignEd25519
		}
		if err := sign(req, body); err != nil {
			return &DeliveryError{Err: fmt.Errorf("post %s: %w", inbox, err)}
		}
	}
	resp, err := c.noRedirect().Do(req)
	if err != nil {
		return &DeliveryError{Err: fmt.Errorf("post %s: %w", inbox, err)}
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDocumentBytes))
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return nil
	}
	return &DeliveryError{
		Status:     resp.StatusCode,
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), c.now()),
		Err:        fmt.Errorf("post %s: %s", inbox, strings.TrimSpace(string(snippet))),
	}
}

// parseRetryAfter reads a Retry-After value: delay seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		if n > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			return 0
		}
		return min(d, maxRetryAfter)
	}
	return 0
}

// maxRetryAfter caps how long a Retry-After may hold back a delivery.
const maxRetryAfter = 24 * time.Hour

// originOf returns the origin of u: lower-case scheme and host, with the
// port only when it is not the scheme's default.
func originOf(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host
}

// originOfString is originOf for a string; "" when s is not a URL with a
// host.
func originOfString(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return ""
	}
	return originOf(u)
}

// FetchObject fetches the object an activity names by id alone (an
// Announce, say) from its origin: the sender's copy is never trusted.
// The origin must serve a document whose id is id (a redirect stays within
// the origin, see Get). Failures come as OriginError makes them: a missing
// or deleted object is ErrNotFound, a malformed one ErrInvalid, one on a
// private network ErrForbidden, and an origin that cannot be reached now
// ErrOriginUnreachable.
func (c *Client) FetchObject(ctx context.Context, id string) ([]byte, error) {
	what := "fetch " + id + " from its origin"
	body, err := c.Get(ctx, id)
	if err != nil {
		return nil, OriginError(what, err)
	}
	var doc struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("%w: %s: not a JSON object: %v", ErrInvalid, what, err)
	}
	if doc.ID != id {
		return nil, fmt.Errorf("%w: origin served id %s for %s", ErrForbidden, truncateChars(doc.ID, 200), id)
	}
	return body, nil
}

// OriginError turns a failed fetch of what from its origin into the error
// an inbox handler returns. A missing or deleted document is ErrNotFound,
// a malformed one ErrInvalid, one on a private network ErrForbidden;
// anything else (a timeout, a refused connection, a 5xx or another status)
// means the origin cannot be reached now: ErrOriginUnreachable, so that
// the sender is not invited to retry at once.
func OriginError(what string, err error) error {
	switch {
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrInvalid):
		return fmt.Errorf("%s: %w", what, err)
	case errors.Is(err, ErrGone):
		return fmt.Errorf("%w: %s: %w", ErrNotFound, what, err)
	case errors.Is(err, ErrPrivateAddress):
		return fmt.Errorf("%w: %s: %w", ErrForbidden, what, err)
	}
	return fmt.Errorf("%w: %s: %v", ErrOriginUnreachable, what, err)
}
