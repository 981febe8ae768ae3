package searchapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/index"
)

// Deadline is how long one search may run before it is abandoned with 503
// search_timeout. The index's limits on q (index.MaxPhrases,
// index.MaxExclusions, index.MaxPhraseCost) keep every search far below
// it; the deadline bounds what a busy machine makes of them.
const Deadline = 2 * time.Second

// Response is the JSON body of a search (SearchResponse in
// docs/openapi.yaml).
type Response struct {
	Total      uint64                  `json:"total"`
	Hits       []Hit                   `json:"hits"`
	Facets     map[string][]FacetCount `json:"facets"`
	Approx     bool                    `json:"facets_approximate"`
	NextCursor string                  `json:"next_cursor"`
	TookMs     int64                   `json:"took_ms"`
}

// Hit is one listing of a Response.
type Hit struct {
	ID          string   `json:"id"`
	URL         string   `json:"url"`
	Title       string   `json:"title"`
	Summary     string   `json:"summary"`
	ListingType string   `json:"listing_type"`
	Price       Price    `json:"price"`
	Tags        []string `json:"tags"`
	Region      string   `json:"region"`
	Seller      Seller   `json:"seller"`
	Published   string   `json:"published"`
	Updated     string   `json:"updated"`
	DistanceKm  *float64 `json:"distance_km,omitempty"`
	// Location is where the listing says it is (a point in WGS 84
	// degrees), absent when it gives none.
	Location *Location `json:"location,omitempty"`
	// SharedBy lists who shared the listing with the searcher (a hub's
	// marketplace: the followed actors that announced it); a relay leaves
	// it out.
	SharedBy []string `json:"shared_by,omitempty"`
}

// Location is a point in WGS 84 degrees.
type Location struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Price is a hit's price, its amount a decimal string.
type Price struct {
	Amount       string `json:"amount"`
	Currency     string `json:"currency"`
	PriceType    string `json:"price_type"`
	PricingModel string `json:"pricing_model"`
}

// Seller is who sells a hit.
type Seller struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Host string `json:"host"`
}

// FacetCount is how many matches have one value.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Searcher answers index queries; *index.Index is one.
type Searcher interface {
	Search(ctx context.Context, q index.Query) (*index.Result, error)
}

// Handler serves a search over Index: the query string is parsed by
// Parse, the search runs within Deadline, and the answer is a Response.
type Handler struct {
	Index Searcher
	// Deadline bounds one search; zero means the package's Deadline.
	Deadline time.Duration
	Log      *slog.Logger
	// CacheControl, when set, is the Cache-Control of a successful answer
	// (a public search may be cached a few seconds; an owner's may not).
	CacheControl string
	// Annotate, when set, adds to a page of hits what the caller knows
	// beside the index (a hub's shared_by).
	Annotate func(ctx context.Context, hits []Hit)
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	q, err := Parse(r.URL.Query())
	if err != nil {
		invalid(w, err)
		return
	}
	deadline := h.Deadline
	if deadline <= 0 {
		deadline = Deadline
	}
	ctx, cancel := context.WithTimeout(r.Context(), deadline)
	defer cancel()
	res, err := h.Index.Search(ctx, q)
	switch {
	case errors.Is(err, index.ErrInvalidQuery):
		invalid(w, err)
		return
	case err != nil && r.Context().Err() != nil:
		return // the client has gone
	case errors.Is(err, context.DeadlineExceeded):
		h.log().Warn("search abandoned at its deadline", "query", r.URL.RawQuery, "deadline", deadline)
		w.Header().Set("Retry-After", "1")
		federation.WriteError(w, http.StatusServiceUnavailable, "search_timeout", fmt.Sprintf("the search did not finish within %v; try again, or narrow q", deadline))
		return
	case err != nil:
		h.log().Error("search", "error", err)
		federation.WriteError(w, http.StatusInternalServerError, "internal", "search failed")
		return
	}
	out := NewResponse(q, res)
	if h.Annotate != nil {
		h.Annotate(ctx, out.Hits)
	}
	out.TookMs = time.Since(start).Milliseconds()
	if h.CacheControl != "" {
		w.Header().Set("Cache-Control", h.CacheControl)
	}
	federation.WriteJSON(w, http.StatusOK, "application/json", out)
}

func (h *Handler) log() *slog.Logger {
	if h.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return h.Log
}

// invalid answers a refused query: 400 invalid_parameter, the message
// starting with the parameter's name.
func invalid(w http.ResponseWriter, err error) {
	federation.WriteError(w, http.StatusBadRequest, "invalid_parameter", strings.TrimPrefix(err.Error(), index.ErrInvalidQuery.Error()+": "))
}

// NewResponse is the answer to q for one page of results (TookMs unset).
func NewResponse(q index.Query, res *index.Result) Response {
	out := Response{Total: res.Total, Hits: make([]Hit, 0, len(res.Hits)), NextCursor: res.NextCursor, Facets: map[string][]FacetCount{}}
	for _, h := range res.Hits {
		hit := Hit{
			ID: h.ID, URL: h.URL, Title: h.Title, Summary: h.Summary, ListingType: h.ListingType,
			Price: Price{Amount: h.Price.Amount, Currency: h.Price.Currency, PriceType: h.Price.PriceType, PricingModel: h.Price.PricingModel},
			Tags:  nonNil(h.Tags), Region: h.Region,
			Seller:    Seller{ID: h.Seller.ID, Name: h.Seller.Name, Host: h.Seller.Host},
			Published: h.Published.UTC().Format(time.RFC3339), Updated: h.Updated.UTC().Format(time.RFC3339),
		}
		if q.Near != nil {
			d := h.DistanceKm
			hit.DistanceKm = &d
		}
		if h.Location != nil {
			hit.Location = &Location{Lat: h.Location.Lat, Lon: h.Location.Lon}
		}
		out.Hits = append(out.Hits, hit)
	}
	if q.Facets {
		f := res.Facets
		for name, counts := range map[string][]index.FacetCount{
			"listing_type": f.ListingType, "tags": f.Tags, "region": f.Region, "price_type": f.PriceType,
			"pricing_model": f.PricingModel, "currency": f.Currency, "price_band": f.PriceBand,
		} {
			list := make([]FacetCount, 0, len(counts))
			for _, c := range counts {
				list = append(list, FacetCount{Value: c.Value, Count: c.Count})
			}
			out.Facets[name] = list
		}
		out.Approx = f.Approximate
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
