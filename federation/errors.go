package federation

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strings"
)

// ContentType is the media type of ActivityPub documents this package
// sends and serves.
const ContentType = "application/activity+json"

// ldJSONProfileContentType is the other media type ActivityPub accepts:
// JSON-LD with the ActivityStreams profile.
const ldJSONProfileContentType = `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`

// acceptHeader asks for ActivityPub JSON in either of its two spellings.
const acceptHeader = ContentType + ", " + ldJSONProfileContentType

// activityStreamsNS is the ActivityStreams namespace, used as the JSON-LD
// profile and as the first @context entry.
const activityStreamsNS = "https://www.w3.org/ns/activitystreams"

// Sentinel errors callers branch on. Errors returned by this package wrap
// them with context; test with errors.Is.
var (
	// ErrNotFound means a remote document does not exist (HTTP 404), or a
	// handler did not find what an activity refers to.
	ErrNotFound = errors.New("not found")
	// ErrGone means a remote document was deleted (HTTP 410).
	ErrGone = errors.New("gone")
	// ErrForbidden means the sender may not do what it asked.
	ErrForbidden = errors.New("forbidden")
	// ErrInvalid means a document is malformed or breaks a protocol rule.
	ErrInvalid = errors.New("invalid")
	// ErrPrivateAddress means an outbound connection was refused because
	// the address is loopback, private, link-local or otherwise not public.
	ErrPrivateAddress = errors.New("private network address refused")
	// ErrOriginUnreachable means a document an activity refers to could
	// not be fetched from its origin (a timeout, a refused connection, a
	// 5xx): the activity cannot be checked now, and retrying at once will
	// not help.
	ErrOriginUnreachable = errors.New("origin unreachable")
)

// IsActivityJSON reports whether contentType names ActivityPub JSON:
// application/activity+json, or application/ld+json with the profile
// https://www.w3.org/ns/activitystreams. Case, extra parameters (charset)
// and whitespace do not matter.
func IsActivityJSON(contentType string) bool {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter) {
		return false // a broken parameter alone does not change the type
	}
	switch mt {
	case "application/activity+json":
		return true
	case "application/ld+json":
		for _, p := range strings.Fields(params["profile"]) {
			if strings.TrimSuffix(strings.ToLower(p), "/") == activityStreamsNS {
				return true
			}
		}
	}
	return false
}

// errorBody is the JSON body of every error response written here.
type errorBody struct {
	Error  string `json:"error"`
	Reason string `json:"reason"`
}

// WriteError writes the one JSON error shape of the HTTP APIs:
// {"error": msg, "reason": reason}, where msg is a human message naming
// what is wrong and reason a stable machine code.
func WriteError(w http.ResponseWriter, status int, reason, msg string) {
	WriteJSON(w, status, "application/json", errorBody{Error: msg, Reason: reason})
}

// WriteJSON writes v as JSON with the given status and content type: the
// one JSON writer of every HTTP answer.
func WriteJSON(w http.ResponseWriter, status int, contentType string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"error":"encode response","reason":"internal"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// ErrConflict means an action was already done (a listing already taken
// down, a report already resolved).
var ErrConflict = errors.New("conflict")

// Coded is an error that says itself what a client sees: its HTTP status,
// a stable reason code and a message safe to show. Err, logged but never
// shown for a server error, holds the details.
type Coded struct {
	Status int
	Reason string
	Msg    string
	Err    error
}

// WithCode returns an error that answers with status, reason and msg,
// wrapping err (which may be nil) for logs and errors.Is.
func WithCode(status int, reason, msg string, err error) error {
	return &Coded{Status: status, Reason: reason, Msg: msg, Err: err}
}

func (e *Coded) Error() string {
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

func (e *Coded) Unwrap() error { return e.Err }

// StatusOf is the one table from errors to what a client sees, for every
// HTTP answer of every mode: the status, a stable reason code and a
// message. A Coded error answers for itself; the sentinel errors map as
// below, with the error's own text, which names what is wrong; anything
// else is a 500 whose message says nothing of its cause (log the error).
func StatusOf(err error) (status int, reason, msg string) {
	var c *Coded
	switch {
	case errors.As(err, &c):
		return c.Status, c.Reason, c.Msg
	case errors.Is(err, ErrInvalid):
		return http.StatusBadRequest, "invalid", err.Error()
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrGone):
		return http.StatusNotFound, "not_found", err.Error()
	case errors.Is(err, ErrConflict):
		return http.StatusConflict, "conflict", err.Error()
	case errors.Is(err, ErrPrivateAddress), errors.Is(err, ErrForbidden):
		return http.StatusForbidden, "forbidden", err.Error()
	case errors.Is(err, ErrOriginUnreachable):
		// Not a 5xx: retrying at once would not help, and senders retry 5xx.
		return http.StatusUnprocessableEntity, "origin_unreachable", err.Error()
	}
	return http.StatusInternalServerError, "internal", "internal error"
}
