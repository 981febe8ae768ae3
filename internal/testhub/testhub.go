// Package testhub is a small hub for tests and benchmarks: a real
// ActivityPub actor on a loopback HTTP server, with its own RSA key, that
// serves its actor document and listing objects, verifies what arrives in
// its inbox with the federation package's checks, accepts follows, and
// sends signed activities. It stands in for a full hub where a test needs
// one person's server; it is not a mock: every request it sends and
// accepts is really signed and verified.
//
// A hub can also publish as Mitra does, only by actor attachment: a
// Proposal served at its own URL (MitraProposal) and linked from the
// actor's attachment (LinkProposal), withdrawn by removing the link
// (UnlinkProposal), with Update(Person) telling followers (ActorUpdate).
//
// It is also the shared rig of end-to-end tests: StartRelay runs a real
// relay on loopback on its own data directory (RelayConfig), StartHub a
// hub that stops with the test, Subscribe the Follow handshake both ways,
// and Eventually waits for a condition instead of sleeping.
// StartMarketHub runs a real hub (`market hub`, the hub package) on its
// own data directory (HubConfig), with API to call its owner API.
package testhub

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/listing"
)

// Hub is one running test hub with one actor.
type Hub struct {
	// URL is the hub's base URL, e.g. http://localhost:41234.
	URL string
	// ActorID is the actor's id: URL + "/users/" + name.
	ActorID string
	// Key signs everything the hub sends.
	Key *rsa.PrivateKey

	name   string
	signer *federation.Signer
	client *federation.Client
	srv    *http.Server
	ln     net.Listener
	actor  *federation.Actor
	log    *slog.Logger
	// AutoAccept makes the hub answer every Follow with an Accept (default true).
	AutoAccept bool
	rfc9421    bool

	mu          sync.Mutex
	down        bool               // inbox answers 503 with Retry-After while set
	objects     map[string]*served // path → what URL+path answers
	attachments []map[string]any   // the actor's attachment
	received    []*federation.Activity
	notify      chan struct{}
}

// served is what the hub answers at one path.
type served struct {
	body        []byte
	contentType string
	status      int // 0 serves body with 200
	fetches     int
}

// MitraContentType is the media type Mitra serves and sends ActivityPub
// documents with.
const MitraContentType = `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`

// Options change how a hub is built.
type Options struct {
	// Name is the actor's username (default "alice").
	Name string
	// Host is the host name in the hub's URLs (default "127.0.0.1");
	// "localhost" gives a second, distinct host on the same machine.
	Host string
	// Key, when set, is used instead of a fresh RSA-2048 key.
	Key *rsa.PrivateKey
	// Log receives the hub's logs (default: discarded).
	Log *slog.Logger
	// RFC9421 signs what the hub sends with RFC 9421 message signatures
	// (as Mastodon 4.5 does) instead of draft-cavage ones.
	RFC9421 bool
}

// Start runs a hub on 127.0.0.1 with a random port. Stop it with Close.
func Start(opts Options) (*Hub, error) {
	if opts.Name == "" {
		opts.Name = "alice"
	}
	if opts.Host == "" {
		opts.Host = "127.0.0.1"
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	key := opts.Key
	if key == nil {
		var err error
		if key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			return nil, err
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	h := &Hub{
		URL:        fmt.Sprintf("http://%s:%d", opts.Host, port),
		Key:        key,
		name:       opts.Name,
		ln:         ln,
		log:        opts.Log,
		AutoAccept: true,
		rfc9421:    opts.RFC9421,
		objects:    map[string]*served{},
		notify:     make(chan struct{}, 1),
	}
	h.ActorID = h.URL + "/users/" + opts.Name
	h.signer = &federation.Signer{KeyID: h.ActorID + "#main-key", Key: key}
	h.client = federation.NewClient(federation.NewHTTPClient(true, 10*time.Second), h.signer, time.Minute, opts.Log)
	if err := h.setActor(); err != nil {
		ln.Close()
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /users/"+opts.Name, func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		a := h.actor
		h.mu.Unlock()
		federation.ActorHandler(a).ServeHTTP(w, r)
	})
	inbox := &federation.Inbox{
		Client: h.client, Handler: h, MaxBytes: 1 << 20, DateWindow: 5 * time.Minute, Log: opts.Log,
	}
	mux.HandleFunc("POST /users/"+opts.Name+"/inbox", func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		down := h.down
		h.mu.Unlock()
		if down {
			w.Header().Set("Retry-After", "1")
			federation.WriteError(w, http.StatusServiceUnavailable, "unavailable", "hub is down for maintenance")
			return
		}
		inbox.ServeHTTP(w, r)
	})
	mux.Handle("GET /.well-known/webfinger", federation.WebFingerHandler(strings.TrimPrefix(h.URL, "http://"), func(user string) (string, bool) {
		return h.ActorID, user == opts.Name
	}))
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		obj, ok := h.objects[r.URL.Path]
		var body []byte
		var ct string
		status := http.StatusNotFound
		if ok {
			obj.fetches++
			body, ct, status = obj.body, obj.contentType, obj.status
		}
		h.mu.Unlock()
		if status != 0 {
			federation.WriteError(w, status, "unavailable", fmt.Sprintf("%s answers %d", r.URL.Path, status))
			return
		}
		w.Header().Set("Content-Type", ct)
		w.Write(body)
	})
	h.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go h.srv.Serve(ln)
	return h, nil
}

func (h *Hub) setActor() error {
	pem, err := federation.PublicKeyPEM(&h.Key.PublicKey)
	if err != nil {
		return err
	}
	h.actor = &federation.Actor{
		ID: h.ActorID, Type: "Person", PreferredUsername: h.name, Name: strings.ToUpper(h.name[:1]) + h.name[1:],
		Inbox: h.ActorID + "/inbox", Outbox: h.ActorID + "/outbox",
		Followers: h.ActorID + "/followers", Following: h.ActorID + "/following",
		PublicKey: federation.PublicKey{ID: h.signer.KeyID, Owner: h.ActorID, PublicKeyPem: pem},
	}
	if len(h.attachments) > 0 {
		// A fresh slice: the actor handler marshals outside the lock.
		h.actor.Extra = map[string]any{"attachment": slices.Clone(h.attachments)}
	}
	return nil
}

// RotateKey gives the actor a new key: the actor document serves the new
// public key and the hub signs with the new private key from now on.
func (h *Hub) RotateKey() error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.Key = key
	h.signer = &federation.Signer{KeyID: h.ActorID + "#main-key", Key: key}
	return h.setActor()
}

// SetDown makes the inbox answer 503 (with Retry-After: 1) while down is
// true, as a hub under maintenance would.
func (h *Hub) SetDown(down bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.down = down
}

// Close stops the hub's server.
func (h *Hub) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return h.srv.Shutdown(ctx)
}

// Inbox is the actor's inbox URL.
func (h *Hub) Inbox() string { return h.ActorID + "/inbox" }

// HandleActivity records a verified activity and answers a Follow with an
// Accept when AutoAccept is set.
func (h *Hub) HandleActivity(ctx context.Context, a *federation.Activity) error {
	h.mu.Lock()
	h.received = append(h.received, a)
	auto := h.AutoAccept
	h.mu.Unlock()
	select {
	case h.notify <- struct{}{}:
	default:
	}
	if a.Type == "Follow" && auto {
		remote, err := h.client.Actor(ctx, a.Actor)
		if err != nil {
			return err
		}
		accept := h.Activity("Accept", json.RawMessage(a.Raw))
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if _, _, err := h.Send(ctx, remote.Inbox, accept); err != nil {
				h.log.Warn("send Accept", "error", err)
			}
		}()
	}
	return nil
}

// Received returns the activities the hub's inbox accepted, oldest first.
func (h *Hub) Received() []*federation.Activity {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]*federation.Activity(nil), h.received...)
}

// WaitFor waits until the inbox has accepted an activity of type typ and
// returns it.
func (h *Hub) WaitFor(ctx context.Context, typ string) (*federation.Activity, error) {
	for {
		for _, a := range h.Received() {
			if a.Type == typ {
				return a, nil
			}
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("no %s arrived at %s: %w", typ, h.ActorID, ctx.Err())
		case <-h.notify:
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Serve makes the hub serve obj (JSON) at its id, which must be on the hub.
func (h *Hub) Serve(id string, obj []byte) error {
	return h.serve(id, obj, federation.ContentType)
}

func (h *Hub) serve(id string, obj []byte, contentType string) error {
	path, err := h.path(id)
	if err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.objects[path] = &served{body: obj, contentType: contentType}
	return nil
}

// path is the path of a URL on the hub.
func (h *Hub) path(id string) (string, error) {
	if !strings.HasPrefix(id, h.URL+"/") {
		return "", fmt.Errorf("object id %s is not on hub %s", id, h.URL)
	}
	return strings.TrimPrefix(id, h.URL), nil
}

// SetStatus makes the URL id on the hub answer status (410 for a deleted
// document, 500 for a failing server) instead of the object; 0 serves the
// object again.
func (h *Hub) SetStatus(id string, status int) error {
	path, err := h.path(id)
	if err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if obj, ok := h.objects[path]; ok {
		obj.status = status
	} else {
		h.objects[path] = &served{status: status}
	}
	return nil
}

// Fetches reports how many GETs the URL id on the hub answered.
func (h *Hub) Fetches(id string) int {
	path, _ := h.path(id)
	h.mu.Lock()
	defer h.mu.Unlock()
	if obj, ok := h.objects[path]; ok {
		return obj.fetches
	}
	return 0
}

// MoneroMainnet is the CAIP-2 reference of Monero's main network, as Mitra
// writes it in proposal URLs and CAIP-19 asset ids.
const MoneroMainnet = "418015bb9ae982a1975da7d79277c270"

// MitraProposal builds a Proposal shaped as Mitra's serializer shapes a
// Monero subscription offer: served at <actor>/proposals/monero:<chain>,
// type "Proposal" without published, summary or content; the primary
// Intent delivers a service one second at a time (resourceQuantity
// hasUnit "second", a minimum duration), unitBased true, and the
// reciprocal Intent transfers piconeroPerSecond piconero (hasUnit "one")
// of the CAIP-19 Monero asset, with Mitra's minimum payment of 10^9
// piconero. It returns the proposal's id and its JSON.
func (h *Hub) MitraProposal(chain string, piconeroPerSecond uint64) (string, []byte) {
	const minPayment = 1_000_000_000 // piconero
	id := h.ActorID + "/proposals/monero:" + chain
	quantity := func(unit string, n uint64) map[string]string {
		return map[string]string{"hasUnit": unit, "hasNumericalValue": fmt.Sprint(n)}
	}
	vf := map[string]string{
		"Hashtag": "as:Hashtag", "sensitive": "as:sensitive", "toot": "http://joinmastodon.org/ns#", "Emoji": "toot:Emoji",
		"vf": "https://w3id.org/valueflows/ont/vf#", "Proposal": "vf:Proposal", "Intent": "vf:Intent",
		"purpose": "vf:purpose", "publishes": "vf:publishes", "reciprocal": "vf:reciprocal", "unitBased": "vf:unitBased",
		"action": "vf:action", "Agreement": "vf:Agreement", "stipulates": "vf:stipulates",
		"stipulatesReciprocal": "vf:stipulatesReciprocal", "Commitment": "vf:Commitment", "satisfies": "vf:satisfies",
		"resourceConformsTo": "vf:resourceConformsTo", "resourceQuantity": "vf:resourceQuantity",
		"minimumQuantity": "vf:minimumQuantity", "hasUnit": "vf:hasUnit", "hasNumericalValue": "vf:hasNumericalValue",
	}
	b, _ := json.Marshal(map[string]any{
		"@context":     []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1", "https://w3id.org/security/data-integrity/v2", vf},
		"type":         "Proposal",
		"id":           id,
		"purpose":      "offer",
		"attributedTo": h.ActorID,
		"name":         "Pay for subscription",
		"publishes": map[string]any{
			"type": "Intent", "id": id + "#primary", "action": "deliverService",
			"resourceConformsTo": "https://www.wikidata.org/wiki/Q579716",
			"resourceQuantity":   quantity("second", 1),
			"minimumQuantity":    quantity("second", minPayment/piconeroPerSecond),
		},
		"reciprocal": map[string]any{
			"type": "Intent", "id": id + "#reciprocal", "action": "transfer",
			"resourceConformsTo": "caip:19:monero:" + chain + "/slip44:128",
			"resourceQuantity":   quantity("one", piconeroPerSecond),
			"minimumQuantity":    quantity("one", minPayment),
		},
		"unitBased": true,
		"to":        "https://www.w3.org/ns/activitystreams#Public",
	})
	return id, b
}

// LinkProposal publishes a proposal the way Mitra does: the hub serves obj
// at id (with Mitra's media type) and its actor's attachment links it with
// a payment Link whose rel names the ValueFlows Proposal. Nothing is sent:
// followers learn of it by reading the actor (see ActorUpdate).
func (h *Hub) LinkProposal(id string, obj []byte) error {
	if err := h.serve(id, obj, MitraContentType); err != nil {
		return err
	}
	return h.AttachLink(id)
}

// AttachLink adds a payment Link naming the ValueFlows Proposal to the
// actor's attachment, with any href (one on another server, say), without
// serving anything there.
func (h *Hub) AttachLink(href string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.attachments = append(h.attachments, map[string]any{
		"type": "Link", "name": "MoneroSubscription", "href": href, "mediaType": MitraContentType,
		"rel": []string{"payment", "https://w3id.org/valueflows/ont/vf#Proposal"},
	})
	return h.setActor()
}

// UnlinkProposal withdraws a linked proposal as Mitra does: the link
// leaves the actor's attachment and the proposal's URL answers 404.
func (h *Hub) UnlinkProposal(id string) error {
	path, err := h.path(id)
	if err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.objects, path)
	h.attachments = slices.DeleteFunc(h.attachments, func(a map[string]any) bool { return a["href"] == id })
	return h.setActor()
}

// ActorUpdate builds the Update(Person) Mitra sends to followers whenever
// the profile changes, embedding the actor document as the hub serves it.
func (h *Hub) ActorUpdate() ([]byte, error) {
	h.mu.Lock()
	a := h.actor
	h.mu.Unlock()
	doc, err := a.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return h.Activity("Update", json.RawMessage(doc)), nil
}

// Listing returns a valid active listing owned by the hub's actor, with a
// fresh id on the hub.
func (h *Hub) Listing(title string) *listing.Listing {
	id := h.ActorID + "/listings/" + newID()
	now := time.Now().UTC().Truncate(time.Second)
	return &listing.Listing{
		ID: id, FederatedAPID: id, Owner: h.ActorID, Type: listing.TypeDataProduct,
		Title: title, Description: "Running routes recorded on a phone, cleaned by the privacy engine.",
		Price:  listing.Price{Amount: "25.00", Currency: "USD", Type: listing.PriceFixed, Model: listing.PricingOneTime},
		Status: listing.StatusActive, Tags: []string{"running", "gps"}, LocationPref: listing.LocationGlobal,
		Visibility: listing.VisibilityPublic, Region: "US-CA", Created: now, Updated: now,
	}
}

// Activity builds an activity by the hub's actor with a fresh id. object
// may be an IRI string, a json.RawMessage, or anything that marshals.
func (h *Hub) Activity(typ string, object any) []byte {
	b, _ := json.Marshal(map[string]any{
		"@context":  "https://www.w3.org/ns/activitystreams",
		"id":        h.ActorID + "/activities/" + newID(),
		"type":      typ,
		"actor":     h.ActorID,
		"to":        []string{"https://www.w3.org/ns/activitystreams#Public"},
		"object":    object,
		"published": time.Now().UTC().Format(time.RFC3339),
	})
	return b
}

// ListingActivity encodes l and wraps it in an activity of type typ
// (Create or Update); the hub also serves the object at its id.
func (h *Hub) ListingActivity(typ string, l *listing.Listing) ([]byte, error) {
	obj, err := listing.Encode(l)
	if err != nil {
		return nil, err
	}
	if err := h.Serve(l.FederatedAPID, obj); err != nil {
		return nil, err
	}
	return h.Activity(typ, json.RawMessage(obj)), nil
}

// Send POSTs a signed activity to inbox and returns the status and body.
func (h *Hub) Send(ctx context.Context, inbox string, activity []byte) (int, []byte, error) {
	return h.SendWith(ctx, inbox, activity, nil)
}

// SendWith is Send with a hook that may change the request after it is
// signed (to test what a relay does with tampered requests).
func (h *Hub) SendWith(ctx context.Context, inbox string, activity []byte, tamper func(*http.Request)) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, inbox, bytes.NewReader(activity))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", federation.ContentType)
	return h.do(req, activity, tamper)
}

// Sign signs a prepared request with the hub's key, as Send would.
func (h *Hub) Sign(req *http.Request, body []byte) error {
	h.mu.Lock()
	signer := h.signer
	h.mu.Unlock()
	if h.rfc9421 {
		return signer.SignMessage(req, body)
	}
	return signer.Sign(req, body)
}

// SendRequest signs a prepared request (its own headers, such as a Date,
// are kept) and sends it.
func (h *Hub) SendRequest(req *http.Request, body []byte) (int, []byte, error) {
	return h.do(req, body, nil)
}

func (h *Hub) do(req *http.Request, body []byte, tamper func(*http.Request)) (int, []byte, error) {
	if err := h.Sign(req, body); err != nil {
		return 0, nil, err
	}
	if tamper != nil {
		tamper(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out, nil
}

func newID() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
