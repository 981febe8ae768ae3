package federation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Handler receives the activities an Inbox accepted. Its error decides the
// answer: one wrapping ErrOriginUnreachable is a 422 origin_unreachable (a
// status senders do not retry at once, unlike 5xx, 408 and 429),
// ErrForbidden a 403, ErrInvalid a 400, ErrNotFound a 404, any other a
// 500; nil is a 202.
type Handler interface {
	HandleActivity(ctx context.Context, a *Activity) error
}

// Default limits of an Inbox.
const (
	// DefaultMaxBytes is the body size limit when Inbox.MaxBytes is 0.
	DefaultMaxBytes = 1 << 20
	// DefaultDateWindow is the allowed clock difference when
	// Inbox.DateWindow is 0.
	DefaultDateWindow = 5 * time.Minute
)

// Inbox is the http.Handler of an ActivityPub inbox. Every POST passes, in
// this order, each rejection answered with a JSON error
// ({"error": ..., "reason": ...}) before anything changes:
//
//  1. body larger than MaxBytes: 413 body_too_large
//  2. Content-Type not ActivityPub JSON: 415 unsupported_media_type
//  3. body not an activity (ParseActivity): 400 invalid_activity
//  4. HTTP signature missing, more than one, with a parameter given twice
//     or spelled in another case than the draft's, not covering
//     (request-target), host, date and the digest, or not verifying (with
//     the cached key, then once more after refetching the actor, for
//     rotated keys, when the cached copy is at least Client.MinRefresh
//     old): 401 bad_signature.
//     An actor's Delete of itself signed with its own document's key
//     passes when that document answers 410 Gone (the origin confirms it).
//     A key whose host is a loopback, private or link-local address that
//     the Client may not reach: 403 private_address (and a warning in the
//     log, since it is most often a local set-up missing its setting).
//  5. the key's owner is not the activity's actor: 401 key_owner_mismatch
//  6. the digest header the signature covers (Digest or Content-Digest,
//     or both) missing or not the body's, or a digest header present that
//     the signature does not cover: 401 digest_mismatch
//  7. Date missing or further than DateWindow from now: 401 date_out_of_window
//  8. the actor's or the key's host blocked: 403 blocked_domain; or, when
//     the server keeps an allow list, not on it: 403 domain_not_allowed
//  9. origin rule (FEP-fe34), for Create, Update, Delete and Undo: the
//     activity id on the actor's origin, an embedded object's id on it too
//     and its attributedTo (or, for an embedded activity, its actor) the
//     actor; for Update, Delete and Undo an object given by IRI on the
//     actor's origin. Announce and other types are exempt: 403 origin_mismatch
//
// then hands the activity to Handler.
type Inbox struct {
	// Client fetches signing keys.
	Client *Client
	// Handler receives accepted activities.
	Handler Handler
	// MaxBytes is the body size limit; 0 means DefaultMaxBytes.
	MaxBytes int64
	// DateWindow is how far the Date header may be from now; 0 means
	// DefaultDateWindow.
	DateWindow time.Duration
	// Blocked reports whether a host is blocked. It is asked about the
	// actor's and the key's host name, each parent domain of it, and
	// host:port when the URL has a port. Nil blocks nothing.
	Blocked func(host string) bool
	// Allowed, when set, makes the inbox an allow-list inbox: a request
	// passes only when, for both the actor's and the key's URL, it allows
	// one of the names Blocked is asked about (so allowing a domain
	// allows its subdomains). Nil allows every host that is not blocked.
	Allowed func(host string) bool
	// Host, when set, is the host (with port, if any) requests must be
	// addressed to: a request signed for another server and replayed here
	// is refused as a bad signature. Empty accepts any Host.
	Host string
	// Scheme is the scheme senders address this server with ("https"
	// behind a TLS proxy), for RFC 9421 signatures covering "@target-uri".
	// Empty takes it from the connection.
	Scheme string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Metrics records outcomes; nil records nothing.
	Metrics *Metrics
	// Log receives rejections (debug) and handler failures (error).
	Log *slog.Logger
}

// rejection is an inbox answer other than acceptance.
type rejection struct {
	status int
	reason string
	msg    string
}

func (in *Inbox) now() time.Time {
	if in.Now != nil {
		return in.Now()
	}
	return time.Now()
}

func (in *Inbox) log() *slog.Logger {
	if in.Log != nil {
		return in.Log
	}
	return slog.New(slog.DiscardHandler)
}

// ServeHTTP runs the checks and, when all pass, the Handler.
func (in *Inbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		WriteError(w, http.StatusMethodNotAllowed, "method_not_allowed", "method "+r.Method+" not allowed on the inbox; use POST")
		return
	}
	a, rej := in.check(r)
	if rej != nil {
		typ := ""
		if a != nil {
			typ = a.Type
		}
		in.Metrics.inbox(typ, rej.reason)
		in.log().Debug("inbox rejected request", "reason", rej.reason, "error", rej.msg, "remote", r.RemoteAddr)
		WriteError(w, rej.status, rej.reason, rej.msg)
		return
	}
	err := in.Handler.HandleActivity(r.Context(), a)
	if err == nil {
		in.Metrics.inbox(a.Type, "accepted")
		WriteJSON(w, http.StatusAccepted, "application/json", map[string]string{"status": "accepted"})
		return
	}
	status, reason, msg := StatusOf(err)
	outcome := reason
	switch reason {
	case "invalid":
		reason, outcome = "invalid_activity", "invalid" // the inbox's documented reason code
	case "origin_unreachable":
		in.log().Warn("inbox could not check an activity: its origin did not answer", "activity", a.ID, "type", a.Type, "actor", a.Actor, "error", err)
		msg = "the activity refers to a document its origin did not serve in time, so it cannot be checked; it is dropped, not queued: " + msg
	case "internal":
		outcome = "error"
		in.log().Error("inbox handler failed", "activity", a.ID, "type", a.Type, "actor", a.Actor, "error", err)
		msg = "the activity could not be processed; try again later"
	}
	in.Metrics.inbox(a.Type, outcome)
	WriteError(w, status, reason, msg)
}

// check runs every inbox check and returns the activity, or the first
// rejection (with the activity when it was parsed).
func (in *Inbox) check(r *http.Request) (*Activity, *rejection) {
	// 1. Size.
	limit := in.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	tooLarge := &rejection{http.StatusRequestEntityTooLarge, "body_too_large",
		fmt.Sprintf("request body is larger than the limit of %d bytes", limit)}
	if r.ContentLength > limit {
		return nil, tooLarge
	}
	body, err := readBody(r, limit)
	if err != nil {
		return nil, &rejection{http.StatusBadRequest, "unreadable_body", "read request body: " + err.Error()}
	}
	if int64(len(body)) > limit {
		return nil, tooLarge
	}

	// 2. Media type.
	if ct := r.Header.Get("Content-Type"); !IsActivityJSON(ct) {
		return nil, &rejection{http.StatusUnsupportedMediaType, "unsupported_media_type",
			fmt.Sprintf("Content-Type %q is not ActivityPub JSON; want %s", ct, ContentType)}
	}

	// The activity, to check its signer against. The body is the
	// inbox's own, so the activity keeps it without a copy.
	a, err := parseActivity(body)
	if err != nil {
		return nil, &rejection{http.StatusBadRequest, "invalid_activity", "body is not a valid activity: " + err.Error()}
	}

	// 3. Signature.
	owner, sig, rej := in.verify(r, len(body) > 0, a)
	if rej != nil {
		return a, rej
	}
	a.KeyID = owner.KeyID

	// 4. The key's owner is the actor.
	if owner.ID != a.Actor {
		return a, &rejection{http.StatusUnauthorized, "key_owner_mismatch",
			fmt.Sprintf("request is signed with key %s of %s, but the activity's actor is %s", owner.KeyID, owner.ID, a.Actor)}
	}

	// 5. Digest: exactly the digest headers the signature covers.
	if err := sig.checkDigest(r.Header, body); err != nil {
		return a, &rejection{http.StatusUnauthorized, "digest_mismatch", err.Error()}
	}

	// 6. Date, or for an RFC 9421 signature its signed created time.
	if rej := in.checkTime(r, sig); rej != nil {
		return a, rej
	}

	// 7. Blocked domains, and the allow list: the actor's host, and the
	// key's when it is another (each name asked about is a read of the
	// store).
	ids := []string{a.Actor}
	if h := HostOf(owner.KeyID); h == "" || h != HostOf(a.Actor) {
		ids = append(ids, owner.KeyID)
	}
	for _, id := range ids {
		if in.Blocked != nil {
			if h, ok := in.blocked(id); ok {
				return a, &rejection{http.StatusForbidden, "blocked_domain", "domain " + h + " is blocked on this server"}
			}
		}
		if in.Allowed != nil && !in.allowed(id) {
			return a, &rejection{http.StatusForbidden, "domain_not_allowed", "the domain of " + id + " is not on this server's allow list"}
		}
	}

	// 8. Origin rule.
	if msg := originViolation(a); msg != "" {
		return a, &rejection{http.StatusForbidden, "origin_mismatch", msg}
	}
	return a, nil
}

// readBody reads a request body, at most limit+1 bytes of it (one more
// than the limit tells a body too large): into one buffer of the size
// Content-Length announces when that is within the limit, grown only when
// the announcement was wrong.
func readBody(r *http.Request, limit int64) ([]byte, error) {
	body := io.LimitReader(r.Body, limit+1)
	n := r.ContentLength
	if n < 0 || n > limit {
		return io.ReadAll(body)
	}
	buf := make([]byte, 0, n+1) // +1: room for the read that finds the end
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // more than announced
		}
		m, err := body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// checkTime refuses a request whose Date header (draft-cavage), or whose
// signature's created time (RFC 9421, and draft-cavage when it has one),
// is further than DateWindow from now, or whose signature has expired.
func (in *Inbox) checkTime(r *http.Request, sig *signatureParams) *rejection {
	window := in.DateWindow
	if window <= 0 {
		window = DefaultDateWindow
	}
	now := in.now()
	if m := sig.msg; m != nil {
		if d := now.Sub(time.Unix(m.created, 0)); d > window || d < -window {
			return &rejection{http.StatusUnauthorized, "date_out_of_window",
				fmt.Sprintf("signature created %s from this server's clock; at most %s allowed", d.Round(time.Second), window)}
		}
		if m.expires != 0 && now.Unix() > m.expires {
			return &rejection{http.StatusUnauthorized, "date_out_of_window", "signature expired"}
		}
		return nil
	}
	if sig.Expires != 0 && now.Unix() > sig.Expires {
		return &rejection{http.StatusUnauthorized, "date_out_of_window", "signature expired"}
	}
	if sig.Created != 0 {
		if d := now.Sub(time.Unix(sig.Created, 0)); d > window || d < -window {
			return &rejection{http.StatusUnauthorized, "date_out_of_window",
				fmt.Sprintf("signature created %s from this server's clock; at most %s allowed", d.Round(time.Second), window)}
		}
	}
	date := r.Header.Get("Date")
	if date == "" {
		return &rejection{http.StatusUnauthorized, "date_out_of_window", "request has no Date header"}
	}
	t, err := http.ParseTime(date)
	if err != nil {
		return &rejection{http.StatusUnauthorized, "date_out_of_window", fmt.Sprintf("Date header %q is not an HTTP date", date)}
	}
	if d := now.Sub(t); d > window || d < -window {
		return &rejection{http.StatusUnauthorized, "date_out_of_window",
			fmt.Sprintf("Date header %q is %s from this server's clock; at most %s allowed", date, d.Round(time.Second), window)}
	}
	return nil
}

// scheme is the scheme senders address this server with.
func (in *Inbox) scheme(r *http.Request) string {
	switch {
	case in.Scheme != "":
		return in.Scheme
	case r.TLS != nil:
		return "https"
	}
	return "http"
}

// verify checks the HTTP signature and returns the key's owner, with
// KeyID and PublicKey (or Ed25519Key) set to the signing key.
//
// One request cannot be verified and is still let through: an actor's
// Delete of itself, signed with a key on the actor's own document, when
// that document now answers 410 Gone. The origin itself then confirms the
// deletion, and the key to check it against no longer exists.
func (in *Inbox) verify(r *http.Request, hasBody bool, a *Activity) (*RemoteActor, *signatureParams, *rejection) {
	bad := func(result, msg string) (*RemoteActor, *signatureParams, *rejection) {
		in.Metrics.signature(result)
		return nil, nil, &rejection{http.StatusUnauthorized, "bad_signature", msg}
	}
	p, err := parseSignature(r)
	if err != nil {
		return bad("missing", err.Error())
	}
	if err := p.check(hasBody); err != nil {
		return bad("invalid", err.Error())
	}
	if in.Host != "" && !strings.EqualFold(r.Host, in.Host) {
		return bad("wrong_host", fmt.Sprintf("request is signed for host %q, not for this server (%s)", r.Host, in.Host))
	}
	ctx := r.Context()
	gone := func(err error) (*RemoteActor, *signatureParams, *rejection) {
		if errors.Is(err, ErrGone) && selfDelete(a, p.KeyID) {
			in.Metrics.signature("actor_gone")
			return &RemoteActor{ID: a.Actor, KeyID: p.KeyID}, p, nil
		}
		if errors.Is(err, ErrPrivateAddress) {
			in.Metrics.signature("private_address")
			in.log().Warn("inbox refused a request signed with a key on a private network address: this server does not fetch from loopback, private or link-local addresses",
				"key", p.KeyID, "remote", r.RemoteAddr)
			return nil, nil, &rejection{http.StatusForbidden, "private_address",
				fmt.Sprintf("cannot get key %s: its host is a loopback, private or link-local address, which this server does not contact", p.KeyID)}
		}
		return bad("key_unavailable", fmt.Sprintf("cannot get key %s: %v", p.KeyID, err))
	}
	owner, fetched, err := in.Client.keyOwner(ctx, p.KeyID, false)
	if err != nil {
		return gone(err)
	}
	err = verifySignature(r, p, owner.signingKey(), in.scheme(r))
	if err == nil {
		in.Metrics.signature("valid")
		return owner, p, nil
	}
	if fetched {
		// The key was fetched just now: fetching it again cannot help.
		return bad("invalid", err.Error())
	}
	// The actor may have rotated its key: fetch it again, once.
	owner, err = in.Client.KeyOwner(ctx, p.KeyID, true)
	if err != nil {
		return gone(err)
	}
	if err := verifySignature(r, p, owner.signingKey(), in.scheme(r)); err != nil {
		return bad("invalid", err.Error())
	}
	in.Metrics.signature("valid_after_refetch")
	return owner, p, nil
}

// selfDelete reports whether a is its actor's Delete of itself, signed
// with a key that is a fragment of the actor's own document.
func selfDelete(a *Activity, keyID string) bool {
	if a.Type != "Delete" || a.ObjectID != a.Actor {
		return false
	}
	doc, _, _ := strings.Cut(keyID, "#")
	return doc == a.Actor
}

// blocked reports whether the host of the URL id is blocked, and which
// name matched.
func (in *Inbox) blocked(id string) (string, bool) {
	u, err := url.Parse(id)
	if err != nil || u.Host == "" {
		return "", false
	}
	for _, h := range hostCandidates(u) {
		if in.Blocked(h) {
			return h, true
		}
	}
	return "", false
}

// allowed reports whether Allowed allows the host of the URL id, or a
// parent domain of it.
func (in *Inbox) allowed(id string) bool {
	u, err := url.Parse(id)
	if err != nil || u.Host == "" {
		return false
	}
	return slices.ContainsFunc(hostCandidates(u), in.Allowed)
}

// hostCandidates lists the names a domain block may be written as for u
// (see DomainNames).
func hostCandidates(u *url.URL) []string { return DomainNames(u.Host) }

// DomainNames lists the names a domain block or allow-list entry may be
// written as to cover host (a host name or host:port, any case): host:port
// when there is a port, the host name, and each parent domain of a name
// that is not an IP address.
func DomainNames(host string) []string {
	host = strings.ToLower(host)
	name := host
	var out []string
	if h, _, err := net.SplitHostPort(host); err == nil {
		out = append(out, host)
		name = h
	}
	name = strings.TrimSuffix(strings.Trim(name, "[]"), ".")
	out = append(out, name)
	if net.ParseIP(name) != nil {
		return out
	}
	for {
		_, parent, ok := strings.Cut(name, ".")
		if !ok || parent == "" {
			return out
		}
		out = append(out, parent)
		name = parent
	}
}

// originViolation applies the origin rule of FEP-fe34 and returns what is
// wrong, or "".
func originViolation(a *Activity) string {
	switch a.Type {
	case "Create", "Update", "Delete", "Undo":
	default:
		return ""
	}
	actorOrigin := originOfString(a.Actor)
	if originOfString(a.ID) != actorOrigin {
		return fmt.Sprintf("activity id %s is not on the actor's origin %s", a.ID, actorOrigin)
	}
	if a.ObjectEmbedded {
		if a.ObjectID == "" {
			if a.Type != "Undo" {
				return fmt.Sprintf("the %s's embedded object has no id", a.Type)
			}
		} else if originOfString(a.ObjectID) != actorOrigin {
			return fmt.Sprintf("object %s is not on the actor's origin %s; only its owner may %s it", a.ObjectID, actorOrigin, strings.ToLower(a.Type))
		}
		if a.ObjectOwner != "" && a.ObjectOwner != a.Actor {
			return fmt.Sprintf("object %s is attributed to %s, not to the actor %s", a.ObjectID, a.ObjectOwner, a.Actor)
		}
		if a.Type == "Undo" && a.ObjectActor != "" && a.ObjectActor != a.Actor {
			return fmt.Sprintf("undone activity %s is by %s, not by the actor %s", a.ObjectID, a.ObjectActor, a.Actor)
		}
		return ""
	}
	if a.Type != "Create" && originOfString(a.ObjectID) != actorOrigin {
		return fmt.Sprintf("object %s is not on the actor's origin %s; only its owner may %s it", a.ObjectID, actorOrigin, strings.ToLower(a.Type))
	}
	return ""
}
