package federation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/sovereign-marketplace/market/listing"
)

// Activity is an incoming activity, decoded thinly over the raw JSON: the
// members every check needs, and the body exactly as received for whatever
// the handler decodes itself.
type Activity struct {
	// ID is the activity's id.
	ID string
	// Type is the activity's type (the first one when "type" is an array).
	Type string
	// Types is every type the activity declares.
	Types []string
	// Actor is the actor's id, also when the JSON embeds an actor object.
	Actor string
	// Object is the object member as received: a string IRI or an
	// embedded object, a slice of Raw. Nil when the activity has no
	// object.
	Object json.RawMessage
	// ObjectMembers are an embedded object's members, decoded once by
	// the inbox with duplicates refused: each value as received, a slice
	// of Raw, for a handler to read the object from without decoding it
	// again. Nil when the object is an IRI or absent.
	ObjectMembers map[string]json.RawMessage
	// ObjectID is the id of the object: the string itself, or an embedded
	// object's "id" ("" when it has none).
	ObjectID string
	// ObjectTypes is the "type" of an embedded object (string or array);
	// empty when the object is an IRI.
	ObjectTypes []string
	// ObjectOwner is an embedded object's attributedTo (a string, an object
	// with an id, or the first of an array); "" if none.
	ObjectOwner string
	// ObjectActor is an embedded activity's actor (for Undo, Accept, ...);
	// "" if none.
	ObjectActor string
	// ObjectEmbedded reports whether the object was embedded rather than
	// given by IRI.
	ObjectEmbedded bool
	// Published is the activity's published time, zero if absent.
	Published time.Time
	// Raw is the whole body exactly as received.
	Raw []byte
	// KeyID is the keyId that signed the request; set by Inbox.
	KeyID string
}

// Envelope is an activity this server sends: the standard envelope of a
// Follow, Accept, Reject, Undo, Create, Update, Delete, Announce or Offer
// (or any other ActivityStreams activity that takes an object) around its
// object. MarshalJSON builds it with go-ap's Activity; the object itself
// is never re-read by go-ap, so a marketplace object (Proposal, Intent,
// Agreement) goes out whole and an activity kept as received goes out
// byte for byte.
type Envelope struct {
	// Type is the activity type, e.g. "Accept".
	Type string
	// ID is the activity's id: an absolute http(s) URL.
	ID string
	// Actor is the sending actor's id: an absolute http(s) URL.
	Actor string
	// Object is what the activity acts on: an IRI (a string), an
	// embedded object as JSON (json.RawMessage, such as the Follow an
	// Accept answers), or any value encoding/json encodes to a JSON
	// object (a marketplace object, a map).
	Object any
	// Result, when set, is the activity's result in the same forms as
	// Object (FEP-0837: the Agreement an Accept of an Offer makes).
	Result any
	// To and CC address the activity; either may be empty.
	To, CC []string
	// InReplyTo, when set, is the activity this one answers (FEP-0837: a
	// counter-offer's Offer names the Offer it answers).
	InReplyTo string
	// Published is written in UTC to the second; zero leaves it out.
	Published time.Time
}

// MarshalJSON writes the activity with "@context" the ActivityStreams
// namespace. The type must be an ActivityStreams activity type, the id
// and actor absolute http(s) URLs, the object present, and every IRI
// free of quotes, backslashes and control characters; otherwise the
// error wraps ErrInvalid and names the member.
func (e Envelope) MarshalJSON() ([]byte, error) {
	b, err := encodeActivity(e)
	if err != nil {
		return nil, fmt.Errorf("encode %s %s: %w", e.Type, e.ID, err)
	}
	return b, nil
}

// needsObject lists the activity types that are meaningless without an
// object.
var needsObject = map[string]bool{
	"Create": true, "Update": true, "Delete": true, "Follow": true, "Undo": true,
	"Accept": true, "Reject": true, "Announce": true, "Like": true, "Add": true,
	"Remove": true, "Offer": true, "Block": true, "Flag": true, "Move": true,
	"TentativeAccept": true, "TentativeReject": true,
}

// ParseActivity decodes an activity from body. It requires a JSON object
// with no duplicate top-level members, a string "id" that is an absolute
// URI, a "type" (string or array of strings), an "actor" (an http(s) IRI,
// an object with one, or a one-element array of either) and, for the types
// that need one, an "object" that is an IRI or an embedded object. Errors
// wrap ErrInvalid and name the bad member, e.g. "actor: missing".
func ParseActivity(body []byte) (*Activity, error) { return parseActivity(bytes.Clone(body)) }

// parseActivity is ParseActivity over a body the activity may keep (its
// Raw, and the slices of it in Object and ObjectMembers).
func parseActivity(body []byte) (*Activity, error) {
	// The inbox's hot path: go-ap is deliberately not run over the body.
	// Every check below needs the member as received to say what is wrong
	// with it, and go-ap reads "type" only as one string, drops objects of
	// types it does not know (Proposal, Intent, Agreement), reads the
	// first of two same-named members where encoding/json reads the last,
	// and turns malformed values into zero values without an error.
	// Decoding the envelope with go-ap after these checks took about 1.5
	// times the time and twice the memory of this parser alone, for
	// nothing the checks or handlers use. Outgoing envelopes (Envelope)
	// are go-ap's.
	a := &Activity{Raw: body}
	members, err := decodeObject(a.Raw)
	if err != nil {
		return nil, fmt.Errorf("activity: %v: %w", err, ErrInvalid)
	}

	a.Types, err = typesOf(members["type"])
	if err != nil {
		return nil, fmt.Errorf("type: %v: %w", err, ErrInvalid)
	}
	a.Type = a.Types[0]

	raw, ok := members["id"]
	if !ok {
		return nil, fmt.Errorf("id: missing: %w", ErrInvalid)
	}
	if err := json.Unmarshal(raw, &a.ID); err != nil {
		return nil, fmt.Errorf("id: must be a string: %w", ErrInvalid)
	}
	if !isAbsoluteURI(a.ID) {
		return nil, fmt.Errorf("id: %q is not an absolute URI: %w", a.ID, ErrInvalid)
	}

	raw, ok = members["actor"]
	if !ok {
		return nil, fmt.Errorf("actor: missing: %w", ErrInvalid)
	}
	a.Actor, err = refID(raw, true)
	if err != nil {
		return nil, fmt.Errorf("actor: %v: %w", err, ErrInvalid)
	}
	if !isHTTPURL(a.Actor) {
		return nil, fmt.Errorf("actor: %q is not an absolute http(s) URL: %w", a.Actor, ErrInvalid)
	}

	if raw, ok = members["object"]; ok && !isNull(raw) {
		if err := a.parseObject(raw); err != nil {
			return nil, fmt.Errorf("object: %v: %w", err, ErrInvalid)
		}
	} else if needsObject[a.Type] {
		return nil, fmt.Errorf("object: missing (a %s needs one): %w", a.Type, ErrInvalid)
	}

	if raw, ok = members["published"]; ok && !isNull(raw) {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("published: must be a string: %w", ErrInvalid)
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return nil, fmt.Errorf("published: %q is not an RFC 3339 date-time: %w", s, ErrInvalid)
		}
		a.Published = t.UTC()
	}
	return a, nil
}

// parseObject fills the Object* fields from the object member, a value
// of the activity decodeObject read (so already checked as JSON).
func (a *Activity) parseObject(raw json.RawMessage) error {
	a.Object = raw
	switch firstByte(raw) {
	case '"':
		if err := json.Unmarshal(raw, &a.ObjectID); err != nil {
			return errors.New("must be a string IRI or an object")
		}
		if !isAbsoluteURI(a.ObjectID) {
			return fmt.Errorf("%q is not an absolute URI", a.ObjectID)
		}
		a.ObjectTypes = []string{}
		return nil
	case '{':
	default:
		return errors.New("must be a string IRI or an object")
	}
	a.ObjectEmbedded = true
	m, err := splitMembers(raw, 0) // raw is a value of a checked document, beginning with '{'
	if err != nil {
		return err
	}
	a.ObjectMembers = m
	if v, ok := m["id"]; ok && !isNull(v) {
		if err := json.Unmarshal(v, &a.ObjectID); err != nil {
			return errors.New("id: must be a string")
		}
		if !isAbsoluteURI(a.ObjectID) {
			return fmt.Errorf("id: %q is not an absolute URI", a.ObjectID)
		}
	}
	a.ObjectTypes = []string{}
	if v, ok := m["type"]; ok {
		if a.ObjectTypes, err = typesOf(v); err != nil {
			return fmt.Errorf("type: %v", err)
		}
	}
	if v, ok := m["attributedTo"]; ok && !isNull(v) {
		if a.ObjectOwner, err = refID(v, false); err != nil {
			return fmt.Errorf("attributedTo: %v", err)
		}
	}
	if v, ok := m["actor"]; ok && !isNull(v) {
		if a.ObjectActor, err = refID(v, false); err != nil {
			return fmt.Errorf("actor: %v", err)
		}
	}
	return nil
}

// typesOf decodes a "type" member: a non-empty string or a non-empty array
// of non-empty strings.
func typesOf(raw json.RawMessage) ([]string, error) {
	if raw == nil {
		return nil, errors.New("missing")
	}
	const msg = "must be a string or array of strings"
	switch firstByte(raw) {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil || s == "" {
			return nil, errors.New(msg)
		}
		return []string{s}, nil
	case '[':
		var ss []string
		if err := json.Unmarshal(raw, &ss); err != nil || len(ss) == 0 {
			return nil, errors.New(msg)
		}
		for _, s := range ss {
			if s == "" {
				return nil, errors.New(msg)
			}
		}
		return ss, nil
	}
	return nil, errors.New(msg)
}

// refID reads a reference: a string IRI, an object with a string "id", or
// an array of those (exactly one element when single is true, else the
// first is taken).
func refID(raw json.RawMessage, single bool) (string, error) {
	switch firstByte(raw) {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", errors.New("must be an IRI or an object with an id")
		}
		if s == "" {
			return "", errors.New("empty IRI")
		}
		return s, nil
	case '{':
		var o struct {
			ID *string `json:"id"`
		}
		if err := json.Unmarshal(raw, &o); err != nil || o.ID == nil || *o.ID == "" {
			return "", errors.New("embedded object has no string id")
		}
		return *o.ID, nil
	case '[':
		var arr []json.RawMessage
		if err := json.Unmarshal(raw, &arr); err != nil {
			return "", errors.New("must be an IRI or an object with an id")
		}
		if len(arr) == 0 || (single && len(arr) != 1) {
			return "", fmt.Errorf("array of %d; exactly one expected", len(arr))
		}
		if firstByte(arr[0]) == '[' {
			return "", errors.New("nested array")
		}
		return refID(arr[0], single)
	}
	return "", errors.New("must be an IRI or an object with an id")
}

// firstByte returns the first non-space byte of a JSON value.
func firstByte(b []byte) byte {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// isNull reports whether a raw JSON value is null.
func isNull(b []byte) bool { return string(bytes.TrimSpace(b)) == "null" }

// isAbsoluteURI reports whether s parses as an absolute URI (with a scheme).
func isAbsoluteURI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Host != "" || u.Opaque != "")
}

// isHTTPURL reports whether s is an absolute http or https URL with a host
// and no user information: listing's rule, so that actor and object ids
// pass or fail the same checks everywhere.
var isHTTPURL = listing.IsHTTPURL
