package hub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/sovereign-marketplace/market/listing"
)

// MaxBody is the largest listing body the owner API reads: a listing at
// every field's limit (description, data product schema and sample) fits.
const MaxBody = 512 << 10

// maxExpiry is how far ahead a listing may be set to expire.
const maxExpiry = 10 * 365 * 24 * time.Hour

// readOnly are the members the hub sets itself; a body naming one is
// refused, naming it.
var readOnly = map[string]bool{"id": true, "owner": true, "federated_ap_id": true, "created": true, "updated": true, "url": true}

// writable are the members a body may set: every field of the seed's
// listings table the owner controls, plus pricing model (in price),
// region, location, language, resource, data product details and
// expires_at.
var writable = []string{"listing_type", "title", "description", "language", "price", "status", "tags", "location_pref",
	"visibility", "region", "location", "data_product_id", "data_product", "resource", "escrows", "expires_at"}

// transitions are the status changes the owner may make: draft → active
// ↔ paused → sold or expired. Sold and expired are final.
var transitions = map[listing.Status][]listing.Status{
	"":                   {listing.StatusDraft, listing.StatusActive}, // a new listing
	listing.StatusDraft:  {listing.StatusDraft, listing.StatusActive},
	listing.StatusActive: {listing.StatusActive, listing.StatusPaused, listing.StatusSold, listing.StatusExpired},
	listing.StatusPaused: {listing.StatusPaused, listing.StatusActive, listing.StatusSold, listing.StatusExpired},
}

// input is a listing body: the listing's own members and expires_at.
type input struct {
	*listing.Listing
	ExpiresAt json.RawMessage `json:"expires_at"`
}

// decode sets the members body names on l and *expires, and returns a
// ValidationError naming each member it cannot take.
func decode(body []byte, l *listing.Listing, expires **time.Time) error {
	var errs listing.ValidationError
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil || members == nil {
		return listing.ValidationError{{Field: "body", Problem: "must be a JSON object of listing fields"}}
	}
	for k := range members {
		switch {
		case readOnly[k]:
			errs = append(errs, listing.FieldError{Field: k, Problem: "is set by the hub, not by the owner"})
		case !slices.Contains(writable, k):
			errs = append(errs, listing.FieldError{Field: short(k), Problem: "is not a listing field; known: " + strings.Join(writable, ", ")})
		}
	}
	if len(errs) > 0 {
		slices.SortFunc(errs, func(a, b listing.FieldError) int { return strings.Compare(a.Field, b.Field) })
		return errs
	}
	in := input{Listing: l}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return listing.ValidationError{{Field: strings.TrimPrefix(te.Field, "Listing."), Problem: "must be " + jsonKind(te.Type.String())}}
		}
		return listing.ValidationError{{Field: "body", Problem: strings.TrimPrefix(err.Error(), "json: ")}}
	}
	if raw, ok := members["expires_at"]; ok {
		if string(raw) == "null" {
			*expires = nil
		} else {
			var s string
			t, err := time.Time{}, json.Unmarshal(raw, &s)
			if err == nil {
				t, err = time.Parse(time.RFC3339, s)
			}
			if err != nil {
				return listing.ValidationError{{Field: "expires_at", Problem: "must be an RFC 3339 time such as \"2026-01-02T15:04:05Z\", or null"}}
			}
			t = t.UTC()
			*expires = &t
		}
	}
	return nil
}

// jsonKind says a Go type the way a JSON body writes it.
func jsonKind(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	case strings.Contains(goType, "float"), strings.Contains(goType, "int"):
		return "a number"
	case strings.Contains(goType, "bool"):
		return "true or false"
	case strings.Contains(goType, "string"), strings.HasPrefix(goType, "listing."):
		return "a string"
	}
	return "an object"
}

// short returns s, or its first 64 characters and an ellipsis, for
// messages that quote what a client sent.
func short(s string) string {
	if r := []rune(s); len(r) > 64 {
		return string(r[:64]) + "…"
	}
	return s
}

// check applies the hub's rules beyond listing.Validate: the status
// change, and an expiry in the future and not too far.
func (s *Server) check(l *listing.Listing, from listing.Status, expires *time.Time) error {
	var errs listing.ValidationError
	if next := transitions[from]; !slices.Contains(next, l.Status) {
		if from == "" {
			errs = append(errs, listing.FieldError{Field: "status", Problem: fmt.Sprintf("a new listing starts as draft or active, got %q", l.Status)})
		} else {
			errs = append(errs, listing.FieldError{Field: "status", Problem: fmt.Sprintf("cannot go from %s to %q; allowed: %s", from, l.Status, statusList(next))})
		}
	}
	if expires != nil && l.Status != listing.StatusExpired && l.Status != listing.StatusSold {
		now := s.now()
		switch {
		case !expires.After(now):
			errs = append(errs, listing.FieldError{Field: "expires_at", Problem: "must be in the future, got " + expires.Format(time.RFC3339)})
		case expires.Sub(now) > maxExpiry:
			errs = append(errs, listing.FieldError{Field: "expires_at", Problem: "must be at most 10 years ahead"})
		}
	}
	if err := listing.Validate(l); err != nil {
		var v listing.ValidationError
		if errors.As(err, &v) {
			errs = append(errs, v...)
		} else {
			return err
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func statusList(ss []listing.Status) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = string(s)
	}
	return strings.Join(parts, ", ")
}

// clone copies l deeply enough that decoding a body into the copy leaves
// l as it was.
func clone(l listing.Listing) listing.Listing {
	l.Tags = slices.Clone(l.Tags)
	if l.Location != nil {
		p := *l.Location
		l.Location = &p
	}
	if l.DataProduct != nil {
		d := *l.DataProduct
		l.DataProduct = &d
	}
	return l
}

// CreateListing creates one of the owner's listings from a JSON body (the
// listing's members, see writable) and publishes it as its visibility and
// status say. A new listing is a public draft with a fixed one-time price
// in USD unless the body says otherwise; it may start as draft or active.
// An invalid body changes nothing and returns a listing.ValidationError
// naming each wrong member.
func (s *Server) CreateListing(ctx context.Context, body []byte) (*Record, error) {
	l := listing.Listing{
		ID: newID(), Owner: s.actorID, Status: listing.StatusDraft, Visibility: listing.VisibilityPublic,
		LocationPref: listing.LocationGlobal, Price: listing.Price{Type: listing.PriceFixed, Model: listing.PricingOneTime},
	}
	var expires *time.Time
	if err := decode(body, &l, &expires); err != nil {
		return nil, err
	}
	if l.Price.Currency == "" && l.Price.Type != listing.PriceFree && l.Price.Type != listing.PriceTimeCredit {
		l.Price.Currency = "USD"
	}
	l.Created = s.now()
	l.Updated = l.Created
	if err := s.check(&l, "", expires); err != nil {
		return nil, err
	}
	rec := &Record{Listing: l, ExpiresAt: expires}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.update(func(t txn) error { return s.commit(t, rec, true) }); err != nil {
		return nil, err
	}
	s.log.Info("listing created", "listing", l.ID, "status", l.Status, "visibility", l.Visibility, "delivered_to", len(rec.Delivered))
	return rec, nil
}

// UpdateListing changes the members a JSON body names on one of the
// owner's listings and sends the change to its audience: an Update to
// those who keep it, a Create to those new to it, a Delete to those who
// lose it (a narrower visibility, a relay whose niche it left). A sold or
// expired listing cannot change (ErrConflict); delete it instead.
func (s *Server) UpdateListing(ctx context.Context, id string, body []byte) (*Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var rec *Record
	err := s.update(func(t txn) error {
		var err error
		if rec, err = t.record(id); err != nil {
			return err
		}
		old, oldExpires := rec.Listing, rec.ExpiresAt
		if _, open := transitions[old.Status]; !open || old.Status == "" {
			return fmt.Errorf("%w: listing %s is %s, which is final; delete it instead", ErrConflict, id, old.Status)
		}
		l := clone(old)
		if err := decode(body, &l, &rec.ExpiresAt); err != nil {
			return err
		}
		if err := s.check(&l, old.Status, rec.ExpiresAt); err != nil {
			return err
		}
		changed := !reflect.DeepEqual(old, l)
		if changed {
			l.Updated = s.now()
		}
		rec.Listing = l
		if !changed && reflect.DeepEqual(oldExpires, rec.ExpiresAt) {
			return nil
		}
		if !changed {
			return t.putRecord(rec)
		}
		return s.commit(t, rec, true)
	})
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// DeleteListing deletes one of the owner's listings: whoever had it gets a
// Delete with a Tombstone, and its object URL answers 410 Gone. A listing
// that never left the hub is forgotten at once.
func (s *Server) DeleteListing(ctx context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.update(func(t txn) error {
		rec, err := t.record(id)
		if err != nil {
			return err
		}
		if rec.Listing.FederatedAPID == "" {
			return t.tx.Bucket(bucketListings).Delete([]byte(id))
		}
		now := s.now()
		rec.Deleted = &now
		l := rec.Listing
		rec.Listing = listing.Listing{ID: l.ID, Owner: l.Owner, FederatedAPID: l.FederatedAPID, Created: l.Created, Updated: now}
		return s.commit(t, rec, true)
	})
}

// Listing returns one of the owner's listings.
func (s *Server) Listing(id string) (*Record, error) {
	var rec *Record
	err := s.view(func(t txn) error {
		var err error
		rec, err = t.record(id)
		return err
	})
	return rec, err
}

// Listings returns the owner's listings (deleted ones left out), newest
// first.
func (s *Server) Listings() ([]*Record, error) {
	var out []*Record
	err := s.view(func(t txn) error {
		recs, err := t.records()
		for _, r := range recs {
			if r.Deleted == nil {
				out = append(out, r)
			}
		}
		return err
	})
	slices.SortFunc(out, func(a, b *Record) int { return b.Listing.Created.Compare(a.Listing.Created) })
	return out, err
}

// ExpireDue marks the listings whose expires_at has passed as expired and
// sends the Update to those who have them. It reports how many expired.
func (s *Server) ExpireDue(ctx context.Context) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	var due []string
	if err := s.view(func(t txn) error {
		recs, err := t.records()
		for _, r := range recs {
			st := r.Listing.Status
			if r.Deleted == nil && r.ExpiresAt != nil && !r.ExpiresAt.After(now) && (st == listing.StatusActive || st == listing.StatusPaused) {
				due = append(due, r.Listing.ID)
			}
		}
		return err
	}); err != nil {
		return 0, err
	}
	for _, id := range due {
		err := s.update(func(t txn) error {
			rec, err := t.record(id)
			if err != nil {
				return err
			}
			rec.Listing.Status = listing.StatusExpired
			rec.Listing.Updated = now
			return s.commit(t, rec, true)
		})
		if err != nil {
			return 0, fmt.Errorf("expire listing %s: %w", id, err)
		}
		s.log.Info("listing expired", "listing", id)
	}
	return len(due), nil
}

// expiryLoop runs ExpireDue and ExpireOffers every ExpiryInterval until
// ctx ends.
func (s *Server) expiryLoop(ctx context.Context) {
	tick := time.NewTicker(s.ExpiryInterval)
	defer tick.Stop()
	for {
		if _, err := s.ExpireDue(ctx); err != nil {
			s.log.Error("expire listings", "error", err)
		}
		if _, err := s.ExpireOffers(ctx); err != nil {
			s.log.Error("expire offers", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
