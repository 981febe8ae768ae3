package federation

// This file is the vocabulary layer: the one place in the project that
// imports github.com/go-ap/activitypub. Everything else speaks this
// package's own types (Actor, Envelope, Collection, Activity,
// RemoteActor), so go-ap can be upgraded or replaced here alone.
//
// go-ap builds the standard ActivityStreams documents (actors, activity
// envelopes, ordered collections and their pages) and reads the standard
// members of fetched actor documents. Its JSON writer and reader have
// limits this file works around, each noted where it matters:
//
//   - It writes IRIs between quotes without escaping them, so every IRI
//     handed to it is checked first (vocabIRI).
//   - Its natural-language encoder and decoder rewrite backslash
//     sequences (a name `C:\new` comes back with a newline), strip quotes
//     and drop names that look like JSON numbers, so text members (name,
//     summary, preferredUsername) are written and read with encoding/json.
//   - Its JSON-LD @context helper (jsonld.WithContext) sets a package
//     variable, unsafe under concurrent requests, so @context is merged in
//     here.
//   - It reads "type" only as one string and publicKey only as one object,
//     and it drops types it does not know (the marketplace's Proposal,
//     Intent and Agreement): those stay with this package's own decoding
//     over the raw JSON.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"unicode/utf8"

	ap "github.com/go-ap/activitypub"
)

// vocabIRI checks s and returns it as a go-ap IRI. go-ap writes an IRI
// between quotes as it is, so a quote, a backslash, a control character
// or invalid UTF-8 in one would break (or rewrite) the document; such an
// IRI is refused, as is one that is not absolute.
func vocabIRI(field, s string) (ap.IRI, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("%s: not valid UTF-8: %w", field, ErrInvalid)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == '"' || r == '\\' {
			return "", fmt.Errorf("%s: %q holds a character an IRI cannot (quote, backslash or control character): %w", field, s, ErrInvalid)
		}
	}
	if !isAbsoluteURI(s) {
		return "", fmt.Errorf("%s: %q is not an absolute URI: %w", field, s, ErrInvalid)
	}
	return ap.IRI(s), nil
}

// optionalIRI is vocabIRI for a member that may be absent: "" gives a nil
// item, which go-ap leaves out.
func optionalIRI(field, s string) (ap.Item, error) {
	if s == "" {
		return nil, nil
	}
	iri, err := vocabIRI(field, s)
	if err != nil {
		return nil, err
	}
	return iri, nil
}

// rawObject is an embedded object given as JSON: a marketplace object
// (go-ap drops types and members it does not know) or an activity kept as
// received. go-ap writes it byte for byte.
type rawObject json.RawMessage

func (o rawObject) GetID() ap.ID                       { return "" }
func (o rawObject) GetType() ap.ActivityVocabularyType { return "" }
func (o rawObject) GetLink() ap.IRI                    { return "" }
func (o rawObject) IsLink() bool                       { return false }
func (o rawObject) IsObject() bool                     { return true }
func (o rawObject) IsCollection() bool                 { return false }
func (o rawObject) MarshalJSON() ([]byte, error)       { return o, nil }

// vocabItem turns an object or a collection item into a go-ap item: a
// string is an IRI, json.RawMessage an embedded object as it is, and any
// other value is encoded with encoding/json and must give a JSON object.
func vocabItem(field string, v any) (ap.Item, error) {
	var b []byte
	switch x := v.(type) {
	case nil:
		return nil, fmt.Errorf("%s: missing: %w", field, ErrInvalid)
	case string:
		return vocabIRI(field, x)
	case json.RawMessage:
		b = x
	default:
		var err error
		if b, err = json.Marshal(v); err != nil {
			return nil, fmt.Errorf("%s: encode: %v: %w", field, err, ErrInvalid)
		}
	}
	if firstByte(b) != '{' || !json.Valid(b) {
		return nil, fmt.Errorf("%s: an embedded object must be a JSON object: %w", field, ErrInvalid)
	}
	return rawObject(b), nil
}

// member is one JSON member merged into a document go-ap wrote.
type member struct {
	name  string
	value any
}

// withMembers puts members in front of those of doc, a JSON object go-ap
// wrote, in the order given. The caller adds only members go-ap did not
// write (go-ap never writes "@context", and the fields that would make it
// write the others are left empty). doc is checked to be one well-formed
// JSON object: go-ap's writer is hand-rolled, and what it is given is
// checked (vocabIRI), but a broken document must never leave this file.
// Splicing rather than decoding and re-encoding keeps an embedded object
// byte for byte as given, and halves the time an actor document takes.
func withMembers(doc []byte, add ...member) ([]byte, error) {
	doc = bytes.TrimSpace(doc)
	if firstByte(doc) != '{' || !json.Valid(doc) {
		return nil, fmt.Errorf("go-ap wrote %q, not a JSON object", doc)
	}
	out := make([]byte, 0, len(doc)+64*len(add))
	out = append(out, '{')
	for _, m := range add {
		k, err := json.Marshal(m.name)
		if err != nil {
			return nil, fmt.Errorf("member %q: %w", m.name, err)
		}
		v, err := json.Marshal(m.value)
		if err != nil {
			return nil, fmt.Errorf("member %q: %w", m.name, err)
		}
		out = append(append(append(append(out, k...), ':'), v...), ',')
	}
	rest := bytes.TrimSpace(doc[1:])
	if rest[0] == '}' && len(add) > 0 {
		out = out[:len(out)-1] // go-ap wrote nothing: no comma before the end
	}
	return append(out, rest...), nil
}

// actorMembers are the members an Actor's own fields write; Extra cannot
// set them, even when the field is empty.
var actorMembers = map[string]bool{
	"@context": true, "id": true, "type": true, "preferredUsername": true, "name": true,
	"summary": true, "inbox": true, "outbox": true, "followers": true, "following": true,
	"url": true, "endpoints": true, "publicKey": true, "manuallyApprovesFollowers": true,
	"assertionMethod": true,
}

// encodeActor writes a as an actor document. go-ap encodes the
// vocabulary members (id, type, the collections, url, endpoints,
// publicKey); the @context, manuallyApprovesFollowers (not in go-ap), the
// text members (see the file comment) and Extra are merged in.
func encodeActor(a Actor) ([]byte, error) {
	typ := ap.ActivityVocabularyType(a.Type)
	if !slices.Contains(ap.ActorTypes, typ) {
		return nil, fmt.Errorf("type: %q is not an actor type (Application, Group, Organization, Person or Service): %w", a.Type, ErrInvalid)
	}
	id, err := vocabIRI("id", a.ID)
	if err != nil {
		return nil, err
	}
	v := ap.Actor{ID: id, Type: typ}
	for _, m := range []struct {
		field, value string
		dst          *ap.Item
	}{
		{"inbox", a.Inbox, &v.Inbox}, {"outbox", a.Outbox, &v.Outbox},
		{"followers", a.Followers, &v.Followers}, {"following", a.Following, &v.Following},
		{"url", a.URL, &v.URL},
	} {
		if *m.dst, err = optionalIRI(m.field, m.value); err != nil {
			return nil, err
		}
	}
	if a.Endpoints != nil && a.Endpoints.SharedInbox != "" {
		shared, err := optionalIRI("endpoints.sharedInbox", a.Endpoints.SharedInbox)
		if err != nil {
			return nil, err
		}
		v.Endpoints = &ap.Endpoints{SharedInbox: shared}
	}
	if a.PublicKey.ID != "" {
		if v.PublicKey.ID, err = vocabIRI("publicKey.id", a.PublicKey.ID); err != nil {
			return nil, err
		}
	}
	if a.PublicKey.Owner != "" {
		if v.PublicKey.Owner, err = vocabIRI("publicKey.owner", a.PublicKey.Owner); err != nil {
			return nil, err
		}
	}
	v.PublicKey.PublicKeyPem = a.PublicKey.PublicKeyPem // go-ap encodes it with encoding/json
	doc, err := v.MarshalJSON()
	if err != nil {
		return nil, err
	}

	add := []member{{"@context", []string{activityStreamsNS, securityNS}}}
	if len(a.AssertionMethod) > 0 {
		for _, k := range a.AssertionMethod {
			for _, u := range [][2]string{{"assertionMethod.id", k.ID}, {"assertionMethod.controller", k.Controller}} {
				if _, err := vocabIRI(u[0], u[1]); err != nil {
					return nil, err
				}
			}
		}
		add = []member{{"@context", []string{activityStreamsNS, securityNS, multikeyNS}}, {"assertionMethod", a.AssertionMethod}}
	}
	for _, m := range []member{{"preferredUsername", a.PreferredUsername}, {"name", a.Name}, {"summary", a.Summary}} {
		if m.value != "" {
			add = append(add, m)
		}
	}
	add = append(add, member{"manuallyApprovesFollowers", a.ManuallyApprovesFollowers})
	for _, k := range slices.Sorted(maps.Keys(a.Extra)) {
		if !actorMembers[k] {
			add = append(add, member{k, a.Extra[k]})
		}
	}
	return withMembers(doc, add...)
}

// actorVocab is what go-ap reads of a fetched actor document: its IRIs
// and, when publicKey is one object, that key.
type actorVocab struct {
	ID, Inbox, Outbox, Followers, SharedInbox string
	// Key is the publicKey object; nil when go-ap found none.
	Key *keyDoc
}

// decodeActorVocab reads the standard members of an actor document with
// go-ap. Only IRIs come from go-ap (an IRI member may also be an embedded
// object with an id, as JSON-LD allows); a member present in the document
// that go-ap cannot read as an IRI is refused rather than dropped. The
// caller has already refused duplicate members (go-ap reads the first of
// two, encoding/json the last, and both read this document).
func decodeActorVocab(body []byte, members map[string]json.RawMessage) (v actorVocab, err error) {
	defer func() {
		// go-ap parses outside input; a panic in it must not take the
		// server down with it.
		if r := recover(); r != nil {
			v, err = actorVocab{}, fmt.Errorf("decode actor: %v: %w", r, ErrInvalid)
		}
	}()
	var a ap.Actor
	if err := a.UnmarshalJSON(body); err != nil {
		return actorVocab{}, fmt.Errorf("decode actor: %v: %w", err, ErrInvalid)
	}
	v.ID = string(a.ID)
	for _, m := range []struct {
		name string
		item ap.Item
		dst  *string
	}{
		{"inbox", a.Inbox, &v.Inbox}, {"outbox", a.Outbox, &v.Outbox}, {"followers", a.Followers, &v.Followers},
	} {
		*m.dst = linkOf(m.item)
		if raw, ok := members[m.name]; ok && unreadable(raw, *m.dst) {
			return actorVocab{}, fmt.Errorf("actor %s: %s: must be an IRI or an object with an id: %w", v.ID, m.name, ErrInvalid)
		}
	}
	if raw, ok := members["endpoints"]; ok && !isNull(raw) {
		em, err := decodeObject(raw)
		if err != nil {
			return actorVocab{}, fmt.Errorf("actor %s: endpoints: %v: %w", v.ID, err, ErrInvalid)
		}
		if a.Endpoints != nil {
			v.SharedInbox = linkOf(a.Endpoints.SharedInbox)
		}
		if raw, ok := em["sharedInbox"]; ok && unreadable(raw, v.SharedInbox) {
			return actorVocab{}, fmt.Errorf("actor %s: endpoints.sharedInbox: must be an IRI: %w", v.ID, ErrInvalid)
		}
	}
	if raw := members["publicKey"]; firstByte(raw) == '{' {
		km, err := decodeObject(raw)
		if err != nil {
			return actorVocab{}, fmt.Errorf("actor %s: publicKey: %v: %w", v.ID, err, ErrInvalid)
		}
		v.Key = &keyDoc{ID: string(a.PublicKey.ID), Owner: string(a.PublicKey.Owner), PublicKeyPem: a.PublicKey.PublicKeyPem}
		for name, got := range map[string]string{"id": v.Key.ID, "owner": v.Key.Owner, "publicKeyPem": v.Key.PublicKeyPem} {
			if raw, ok := km[name]; ok && unreadable(raw, got) {
				return actorVocab{}, fmt.Errorf("actor %s: publicKey.%s: must be a string: %w", v.ID, name, ErrInvalid)
			}
		}
	}
	// fastjson keeps invalid UTF-8 that encoding/json would replace;
	// refuse it rather than keep a URL no other reader agrees on.
	for _, s := range []string{v.ID, v.Inbox, v.Outbox, v.Followers, v.SharedInbox} {
		if !utf8.ValidString(s) {
			return actorVocab{}, fmt.Errorf("decode actor: a URL is not valid UTF-8: %w", ErrInvalid)
		}
	}
	if v.Key != nil && !utf8.ValidString(v.Key.ID+v.Key.Owner) {
		return actorVocab{}, fmt.Errorf("decode actor: publicKey: not valid UTF-8: %w", ErrInvalid)
	}
	return v, nil
}

// unreadable reports whether a member given as raw, which go-ap read as
// got, was dropped rather than read: present, neither null nor a string,
// and nothing came of it (a number, an array, an object without an id).
func unreadable(raw json.RawMessage, got string) bool {
	return got == "" && !isNull(raw) && firstByte(raw) != '"'
}

// linkOf is the IRI of an item go-ap read: the IRI itself or an embedded
// object's id; "" for nothing, or for an array.
func linkOf(it ap.Item) string {
	if it == nil || ap.IsItemCollection(it) {
		return ""
	}
	return string(it.GetLink())
}

// encodeActivity writes an outgoing activity with go-ap and merges in the
// @context.
func encodeActivity(e Envelope) ([]byte, error) {
	typ := ap.ActivityVocabularyType(e.Type)
	if !slices.Contains(ap.ActivityTypes, typ) {
		return nil, fmt.Errorf("type: %q is not an ActivityStreams activity type that takes an object: %w", e.Type, ErrInvalid)
	}
	if !isHTTPURL(e.ID) {
		return nil, fmt.Errorf("id: %q is not an absolute http(s) URL: %w", e.ID, ErrInvalid)
	}
	if !isHTTPURL(e.Actor) {
		return nil, fmt.Errorf("actor: %q is not an absolute http(s) URL: %w", e.Actor, ErrInvalid)
	}
	id, err := vocabIRI("id", e.ID)
	if err != nil {
		return nil, err
	}
	actor, err := vocabIRI("actor", e.Actor)
	if err != nil {
		return nil, err
	}
	act := ap.Activity{ID: id, Type: typ, Actor: actor, Published: e.Published}
	if act.Object, err = vocabItem("object", e.Object); err != nil {
		return nil, err
	}
	if e.Result != nil {
		if act.Result, err = vocabItem("result", e.Result); err != nil {
			return nil, err
		}
	}
	if e.InReplyTo != "" {
		if !isHTTPURL(e.InReplyTo) {
			return nil, fmt.Errorf("inReplyTo: %q is not an absolute http(s) URL: %w", e.InReplyTo, ErrInvalid)
		}
		if act.InReplyTo, err = vocabIRI("inReplyTo", e.InReplyTo); err != nil {
			return nil, err
		}
	}
	if act.To, err = vocabIRIs("to", e.To); err != nil {
		return nil, err
	}
	if act.CC, err = vocabIRIs("cc", e.CC); err != nil {
		return nil, err
	}
	doc, err := act.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return withMembers(doc, member{"@context", activityStreamsNS})
}

// vocabIRIs turns an audience into a go-ap collection of IRIs (nil when
// empty, which go-ap leaves out).
func vocabIRIs(field string, iris []string) (ap.ItemCollection, error) {
	if len(iris) == 0 {
		return nil, nil
	}
	col := make(ap.ItemCollection, 0, len(iris))
	for i, s := range iris {
		iri, err := vocabIRI(fmt.Sprintf("%s[%d]", field, i), s)
		if err != nil {
			return nil, err
		}
		col = append(col, iri)
	}
	return col, nil
}

// encodeCollection writes an OrderedCollection with its total and, when
// first is not "", the IRI of its first page.
func encodeCollection(id string, total int, first string) ([]byte, error) {
	c := ap.OrderedCollection{Type: ap.OrderedCollectionType}
	var err error
	if c.ID, err = vocabIRI("id", id); err != nil {
		return nil, err
	}
	if total < 0 {
		return nil, errors.New("totalItems: negative count")
	}
	c.TotalItems = uint(total)
	if c.First, err = optionalIRI("first", first); err != nil {
		return nil, err
	}
	doc, err := c.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return withMembers(doc, member{"@context", activityStreamsNS})
}

// encodeCollectionPage writes one OrderedCollectionPage of the collection
// partOf: its items in order and, when next is not "", the IRI of the
// page after it.
func encodeCollectionPage(id, partOf string, total int, items []any, next string) ([]byte, error) {
	p := ap.OrderedCollectionPage{Type: ap.OrderedCollectionPageType}
	var err error
	if p.ID, err = vocabIRI("id", id); err != nil {
		return nil, err
	}
	if p.PartOf, err = optionalIRI("partOf", partOf); err != nil {
		return nil, err
	}
	if p.Next, err = optionalIRI("next", next); err != nil {
		return nil, err
	}
	if total < 0 {
		return nil, errors.New("totalItems: negative count")
	}
	p.TotalItems = uint(total)
	if len(items) > 0 {
		p.OrderedItems = make(ap.ItemCollection, 0, len(items))
		for i, x := range items {
			it, err := vocabItem(fmt.Sprintf("orderedItems[%d]", i), x)
			if err != nil {
				return nil, err
			}
			p.OrderedItems = append(p.OrderedItems, it)
		}
	}
	doc, err := p.MarshalJSON()
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		// go-ap leaves an empty orderedItems out; a page says it has none.
		return withMembers(doc, member{"@context", activityStreamsNS}, member{"orderedItems", []any{}})
	}
	return withMembers(doc, member{"@context", activityStreamsNS})
}

// rawObject is a go-ap item.
var _ ap.Item = rawObject(nil)
