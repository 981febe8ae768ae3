package relay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/listing"
	"github.com/sovereign-marketplace/market/node"
)

// MaxReportReason bounds the reason text of a report.
const MaxReportReason = 2000

// apiRoutes adds the public JSON API (docs/openapi.yaml). Its GETs are
// open to the web origins of relay.cors.allowed_origins; reports are not.
func (s *Server) apiRoutes() {
	n := s.node
	n.PublicRead("/api/v1/search", n.Limit("api", s.search))
	n.PublicRead("/api/v1/listings/{id}", n.Limit("api", node.WithETag(http.HandlerFunc(s.handleListing))))
	n.PublicRead("/api/v1/stats", n.Limit("api", http.HandlerFunc(s.handleStats)))
	n.Handle("POST /api/v1/reports", n.Limit("api", n.SameOriginOnly("reports", http.HandlerFunc(s.handleReport))))
}

// listingResponse is a stored listing as the relay received it.
type listingResponse struct {
	ID         string          `json:"id"`
	Listing    listing.Listing `json:"listing"`
	Object     json.RawMessage `json:"object"`
	Activity   json.RawMessage `json:"activity,omitempty"`
	Signature  *servedEvidence `json:"signature,omitempty"`
	FetchedVia string          `json:"fetched_via,omitempty"`
	Arrival    string          `json:"arrival,omitempty"`
	LinkedFrom string          `json:"linked_from,omitempty"`
	Received   time.Time       `json:"received"`
	FirstSeen  time.Time       `json:"first_seen,omitzero"`
}

func (s *Server) handleListing(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var rec *Record
	err := s.store.View(func(t *Txn) error {
		var err error
		rec, err = t.Listing(id)
		return err
	})
	if errors.Is(err, ErrNotFound) {
		federation.WriteError(w, http.StatusNotFound, "not_found", fmt.Sprintf("no listing with id %q on this relay (URL-escape the listing's object id)", id))
		return
	}
	if err != nil {
		s.log.Error("read listing", "id", id, "error", err)
		federation.WriteError(w, http.StatusInternalServerError, "internal", "read listing")
		return
	}
	node.WriteJSON(w, http.StatusOK, listingResponse{
		ID: id, Listing: rec.Listing, Object: rec.Object, Activity: rec.Activity,
		Signature: evidenceAt(rec.Signature, rec.Received, s.now(), s.cfg.Federation.DateWindow.D()), FetchedVia: rec.FetchedVia, Received: rec.Received,
		Arrival: rec.Arrival, LinkedFrom: rec.LinkedFrom, FirstSeen: rec.FirstSeen,
	})
}

// Stats is the body of GET /api/v1/stats.
type Stats struct {
	Listings       int            `json:"listings"`
	ByType         map[string]int `json:"by_type"`
	ByRegion       map[string]int `json:"by_region"`
	HubsFollowed   int            `json:"hubs_followed"`
	Subscribers    int            `json:"subscribers"`
	LastIngest     *time.Time     `json:"last_ingest"`
	Specialization map[string]any `json:"specialization"`
	Indexing       bool           `json:"indexing"` // a rebuild of the search index is running
}

// Stats counts the stored listings by type and region, and the follows.
func (s *Server) Stats(ctx context.Context) (*Stats, error) {
	st := &Stats{ByType: map[string]int{}, ByRegion: map[string]int{}, Specialization: s.spec.Describe(), Indexing: s.reindexing.Load()}
	// The index keeps facet counts as listings come and go, so totals by
	// type and region cost a browse query, not a scan of the store.
	res, err := s.index.Search(ctx, index.Query{Facets: true, Limit: 1})
	if err != nil {
		return nil, fmt.Errorf("count listings by type and region: %w", err)
	}
	for _, c := range res.Facets.ListingType {
		st.ByType[c.Value] = c.Count
	}
	for _, c := range res.Facets.Region {
		st.ByRegion[c.Value] = c.Count
	}
	err = s.store.View(func(t *Txn) error {
		st.Listings = t.CountListings()
		following, err := t.Follows().List(true)
		if err != nil {
			return err
		}
		for _, f := range following {
			if f.State == federation.FollowAccepted {
				st.HubsFollowed++
			}
		}
		followers, err := t.Follows().List(false)
		st.Subscribers = len(followers)
		return err
	})
	if ts := s.metrics.lastIngest.Load(); ts > 0 {
		t := time.Unix(ts, 0).UTC()
		st.LastIngest = &t
	}
	return st, err
}

func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	st, err := s.Stats(r.Context())
	if err != nil {
		s.log.Error("stats", "error", err)
		federation.WriteError(w, http.StatusInternalServerError, "internal", "read stats")
		return
	}
	node.WriteJSON(w, http.StatusOK, st)
}

func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ListingID string `json:"listing_id"`
		Reason    string `json:"reason"`
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, 16<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		federation.WriteError(w, http.StatusBadRequest, "invalid_request", `body must be JSON {"listing_id": "<object id>", "reason": "<text>"}: `+err.Error())
		return
	}
	req.Reason = strings.TrimSpace(req.Reason)
	switch {
	case req.ListingID == "":
		federation.WriteError(w, http.StatusBadRequest, "invalid_request", "listing_id: is required")
		return
	case req.Reason == "":
		federation.WriteError(w, http.StatusBadRequest, "invalid_request", "reason: is required")
		return
	case len(req.Reason) > MaxReportReason || !utf8.ValidString(req.Reason):
		federation.WriteError(w, http.StatusBadRequest, "invalid_request", fmt.Sprintf("reason: must be valid UTF-8 text of at most %d bytes", MaxReportReason))
		return
	}
	rep, err := s.Report(req.ListingID, req.Reason)
	if errors.Is(err, ErrNotFound) {
		federation.WriteError(w, http.StatusNotFound, "not_found", fmt.Sprintf("listing_id: no listing %q on this relay", req.ListingID))
		return
	}
	if err != nil {
		s.log.Error("store report", "error", err)
		federation.WriteError(w, http.StatusInternalServerError, "internal", "store report")
		return
	}
	node.WriteJSON(w, http.StatusCreated, rep)
}

// Report records a complaint about a stored listing.
func (s *Server) Report(listingID, reason string) (*Report, error) {
	now := s.now()
	rep := &Report{ID: now.Format("20060102T150405.000000000Z") + "-" + newID()[:8], ListingID: listingID, Reason: reason, Created: now}
	err := s.store.Update(func(t *Txn) error {
		rec, err := t.Listing(listingID)
		if err != nil {
			return err
		}
		rep.Title, rep.Seller = rec.Listing.Title, rec.Listing.Owner
		return t.PutReport(rep)
	})
	if err != nil {
		return nil, err
	}
	s.log.Info("listing reported", "listing", listingID, "report", rep.ID)
	return rep, nil
}

// Reports lists the reports, oldest first.
func (s *Server) Reports() ([]Report, error) {
	out := []Report{}
	err := s.store.View(func(t *Txn) error {
		reps, err := t.Reports()
		out = append(out, reps...)
		return err
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}
