package hub

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/listing"
	"github.com/sovereign-marketplace/market/node"
)

// ListingView is a listing as the owner API shows it: the listing's
// members, when it expires and how many inboxes have it.
type ListingView struct {
	listing.Listing
	ExpiresAt   *time.Time `json:"expires_at,omitempty"`
	DeliveredTo int        `json:"delivered_to"`
}

func view(r *Record) ListingView {
	return ListingView{Listing: r.Listing, ExpiresAt: r.ExpiresAt, DeliveredTo: len(r.Delivered)}
}

// ownerRoutes serves the owner API under /api/v1/owner/ and the search
// of the owner's marketplace at /api/v1/marketplace/search, every route
// behind a bearer token (see authenticate); a read-only token may only
// read.
func (s *Server) ownerRoutes() {
	h := s.ownerRoute
	h("GET /api/v1/owner/me", false, func(w http.ResponseWriter, r *http.Request) {
		tok, _ := s.authenticate(r)
		node.WriteJSON(w, http.StatusOK, map[string]any{"actor": s.actorID, "handle": s.Handle(), "token": tok})
	})
	h("GET /api/v1/owner/listings", false, func(w http.ResponseWriter, r *http.Request) {
		recs, err := s.Listings()
		if err != nil {
			node.WriteError(w, r, s.log, err)
			return
		}
		out := make([]ListingView, len(recs))
		for i, rec := range recs {
			out[i] = view(rec)
		}
		node.WriteJSON(w, http.StatusOK, map[string]any{"listings": out, "total": len(out)})
	})
	h("POST /api/v1/owner/listings", true, func(w http.ResponseWriter, r *http.Request) {
		body, ok := readBody(w, r, s)
		if !ok {
			return
		}
		rec, err := s.CreateListing(r.Context(), body)
		s.answer(w, r, http.StatusCreated, rec, err)
	})
	h("GET /api/v1/owner/listings/{id}", false, func(w http.ResponseWriter, r *http.Request) {
		rec, err := s.Listing(r.PathValue("id"))
		s.answer(w, r, http.StatusOK, rec, err)
	})
	h("PATCH /api/v1/owner/listings/{id}", true, func(w http.ResponseWriter, r *http.Request) {
		body, ok := readBody(w, r, s)
		if !ok {
			return
		}
		rec, err := s.UpdateListing(r.Context(), r.PathValue("id"), body)
		s.answer(w, r, http.StatusOK, rec, err)
	})
	h("DELETE /api/v1/owner/listings/{id}", true, func(w http.ResponseWriter, r *http.Request) {
		if err := s.DeleteListing(r.Context(), r.PathValue("id")); err != nil {
			s.answer(w, r, 0, nil, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	h("GET /api/v1/owner/followers", false, func(w http.ResponseWriter, r *http.Request) {
		fs, err := s.Followers()
		if err != nil {
			node.WriteError(w, r, s.log, err)
			return
		}
		node.WriteJSON(w, http.StatusOK, map[string]any{"followers": fs})
	})
	h("GET /api/v1/owner/relays", false, func(w http.ResponseWriter, r *http.Request) {
		rs, err := s.Relays()
		if err != nil {
			node.WriteError(w, r, s.log, err)
			return
		}
		node.WriteJSON(w, http.StatusOK, map[string]any{"relays": rs})
	})
	h("POST /api/v1/owner/announces", true, func(w http.ResponseWriter, r *http.Request) {
		body, ok := readBody(w, r, s)
		if !ok {
			return
		}
		var req struct {
			Object string `json:"object"`
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil || req.Object == "" {
			federation.WriteError(w, http.StatusBadRequest, "invalid_request", `object: is required; the body is {"object": "<listing URL>"}`)
			return
		}
		res, err := s.Announce(r.Context(), req.Object)
		if err != nil {
			node.WriteError(w, r, s.log, err)
			return
		}
		node.WriteJSON(w, http.StatusCreated, res)
	})
	// The marketplace is the owner's: what they follow says who they
	// trade with, so its search needs an owner token, as every owner
	// route does (a read-only one will do).
	s.node.Handle("GET /api/v1/marketplace/search", s.node.Limit("owner", s.owner(false, s.searchHandler())))
	h("GET /api/v1/owner/marketplace", false, func(w http.ResponseWriter, r *http.Request) {
		got, err := s.Marketplace()
		if err != nil {
			node.WriteError(w, r, s.log, err)
			return
		}
		node.WriteJSON(w, http.StatusOK, map[string]any{"listings": got, "total": len(got)})
	})
}

// ownerRoute serves fn at pattern behind the owner's token (a full one
// when write) and the owner API's rate limit.
func (s *Server) ownerRoute(pattern string, write bool, fn func(w http.ResponseWriter, r *http.Request)) {
	s.node.Handle(pattern, s.node.Limit("owner", s.owner(write, http.HandlerFunc(fn))))
}

// owner lets a request through with a valid token: any for reads, a full
// one for writes. A missing, wrong or revoked token is a 401 with
// WWW-Authenticate; a read-only token writing is a 403. Nothing runs
// before the check.
func (s *Server) owner(write bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		tok, err := s.authenticate(r)
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="owner"`)
			node.WriteError(w, r, s.log, err)
			return
		}
		if write && tok.Scope != ScopeFull {
			node.WriteError(w, r, s.log, federation.WithCode(http.StatusForbidden, "read_only_token", "this token is read-only; changes need a token of scope full", nil))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// readBody reads a request body of at most MaxBody bytes, or answers 413.
func readBody(w http.ResponseWriter, r *http.Request, s *Server) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			federation.WriteError(w, http.StatusRequestEntityTooLarge, "body_too_large", "the body is larger than 512 KiB")
		} else {
			federation.WriteError(w, http.StatusBadRequest, "unreadable_body", "read the body: "+err.Error())
		}
		return nil, false
	}
	return body, true
}

// answer writes a listing, or the error: a ValidationError is a 400 that
// lists each wrong field (fields: [{field, problem}]); the rest go through
// the node's error table.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, status int, rec *Record, err error) {
	var v listing.ValidationError
	switch {
	case errors.As(err, &v):
		fields := make([]map[string]string, len(v))
		for i, f := range v {
			fields[i] = map[string]string{"field": f.Field, "problem": f.Problem}
		}
		node.WriteJSON(w, http.StatusBadRequest, map[string]any{"error": v.Error(), "reason": "invalid_listing", "fields": fields})
	case errors.Is(err, federation.ErrGone):
		node.WriteError(w, r, s.log, federation.WithCode(http.StatusNotFound, "not_found", "listing "+r.PathValue("id")+" was deleted", err))
	case err != nil:
		node.WriteError(w, r, s.log, err)
	default:
		node.WriteJSON(w, status, view(rec))
	}
}
