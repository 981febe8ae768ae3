package federation

import (
	"fmt"
	"net/http"
)

// securityNS is the JSON-LD context that defines publicKey and friends.
const securityNS = "https://w3id.org/security/v1"

// PublicKey is the publicKey member of an actor document: the key that
// signs the actor's requests.
type PublicKey struct {
	ID           string `json:"id"`
	Owner        string `json:"owner"`
	PublicKeyPem string `json:"publicKeyPem"`
}

// Endpoints is the endpoints member of an actor document.
type Endpoints struct {
	SharedInbox string `json:"sharedInbox,omitempty"`
}

// Actor is an actor document this server serves (the relay's Service
// actor, a hub owner's Person). MarshalJSON adds the @context.
type Actor struct {
	ID                string
	Type              string
	PreferredUsername string
	Name              string
	Summary           string
	Inbox             string
	Outbox            string
	Followers         string
	Following         string
	URL               string
	Endpoints         *Endpoints
	PublicKey         PublicKey
	// AssertionMethod holds the actor's further keys (FEP-521a), such as
	// its Ed25519 one (Ed25519Multikey); with any, the @context also
	// names the Multikey vocabulary.
	AssertionMethod           []Multikey
	ManuallyApprovesFollowers bool
	// Extra holds extra top-level JSON members (such as a relay's
	// specialization). They are merged into the document; they cannot
	// replace the members above.
	Extra map[string]any
}

// MarshalJSON writes the actor document, built with go-ap's Actor (a
// Person, a Service, ...): "@context" is
// ["https://www.w3.org/ns/activitystreams","https://w3id.org/security/v1"]
// (and "https://w3id.org/security/multikey/v1" with an AssertionMethod),
// then the fields (empty optional ones left out) and the Extra members.
// The type must be an ActivityStreams actor type and every URL an
// absolute IRI without quotes, backslashes or control characters;
// otherwise the error wraps ErrInvalid.
func (a Actor) MarshalJSON() ([]byte, error) {
	b, err := encodeActor(a)
	if err != nil {
		return nil, fmt.Errorf("encode actor %s: %w", a.ID, err)
	}
	return b, nil
}

// ActorHandler serves the actor document for GET and HEAD with Content-Type
// application/activity+json, whatever ActivityPub media type the client
// asked for (application/activity+json or application/ld+json).
func ActorHandler(a *Actor) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !readOnly(w, r, "the actor") {
			return
		}
		b, err := a.MarshalJSON()
		if err != nil {
			WriteError(w, http.StatusInternalServerError, "internal", "encode actor document")
			return
		}
		writeDocument(w, r, b)
	})
}

// readOnly answers 405 to a request that is neither GET nor HEAD, naming
// what was asked for, and reports whether the request may go on.
func readOnly(w http.ResponseWriter, r *http.Request, what string) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	WriteError(w, http.StatusMethodNotAllowed, "method_not_allowed", "method "+r.Method+" not allowed on "+what+"; use GET")
	return false
}

// writeDocument answers 200 with the ActivityPub document b as
// application/activity+json, whichever ActivityPub media type was asked
// for (the body only for GET).
func writeDocument(w http.ResponseWriter, r *http.Request, b []byte) {
	w.Header().Set("Content-Type", ContentType)
	w.Header().Set("Vary", "Accept")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(b)
	}
}
