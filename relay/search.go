package relay

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/listing"
	"github.com/sovereign-marketplace/market/node"
)

// SearchDeadline is how long one search may run before it is abandoned
// with 503 search_timeout. The index's limits on q (index.MaxPhrases,
// index.MaxExclusions, index.MaxPhraseCost) keep every search far below
// it; the deadline bounds what a busy machine makes of them.
const SearchDeadline = 2 * time.Second

// searchParams are the query parameters GET /api/v1/search accepts; any
// other is refused so that a typo does not silently widen a search.
var searchParams = map[string]bool{
	"q": true, "type": true, "tag": true, "region": true, "price_min": true, "price_max": true,
	"currency": true, "price_type": true, "pricing_model": true, "seller": true, "near": true,
	"radius_km": true, "sort": true, "limit": true, "cursor": true, "facets": true,
}

// ParseSearch turns the query string of GET /api/v1/search into an index
// query. Errors wrap index.ErrInvalidQuery and start with the parameter's
// name and what was expected.
func ParseSearch(v url.Values) (index.Query, error) {
	q := index.Query{Facets: true}
	for k := range v {
		if !searchParams[k] {
			return q, badParam(k, "is not a search parameter (known: q, type, tag, region, price_min, price_max, currency, price_type, pricing_model, seller, near, radius_km, sort, limit, cursor, facets)")
		}
	}
	for _, single := range []string{"q", "region", "price_min", "price_max", "currency", "seller", "near", "radius_km", "sort", "limit", "cursor", "facets"} {
		if len(v[single]) > 1 {
			return q, badParam(single, "may be given once, got %d values", len(v[single]))
		}
	}
	q.Text = v.Get("q")
	q.Types = splitList(v["type"])
	q.Tags = splitList(v["tag"])
	q.PriceTypes = splitList(v["price_type"])
	q.PricingModels = splitList(v["pricing_model"])
	q.Region = v.Get("region")
	q.Currency = strings.TrimSpace(v.Get("currency"))
	if len(q.Currency) == 3 {
		q.Currency = strings.ToUpper(q.Currency)
	}
	q.Seller = v.Get("seller")
	q.Sort = v.Get("sort")
	q.Cursor = v.Get("cursor")
	for _, p := range []struct {
		name string
		dst  **int64
	}{{"price_min", &q.PriceMin}, {"price_max", &q.PriceMax}} {
		s := v.Get(p.name)
		if s == "" {
			continue
		}
		if q.Currency == "" {
			return q, badParam(p.name, "needs currency (amounts of different currencies cannot be compared)")
		}
		m, err := listing.MinorUnits(s, q.Currency)
		if err != nil {
			return q, badParam(p.name, "must be a non-negative decimal amount of %s such as \"99.50\", got %q", q.Currency, s)
		}
		*p.dst = &m
	}
	if q.PriceMin != nil && q.PriceMax != nil && *q.PriceMin > *q.PriceMax {
		return q, badParam("price_max", "must not be below price_min (%s %s), got %s %s", v.Get("price_min"), q.Currency, v.Get("price_max"), q.Currency)
	}
	if s := v.Get("near"); s != "" {
		lat, lon, ok := strings.Cut(s, ",")
		la, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
		lo, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
		if !ok || err1 != nil || err2 != nil || la < -90 || la > 90 || lo < -180 || lo > 180 || la != la || lo != lo {
			return q, badParam("near", "must be \"lat,lon\" in degrees, such as \"37.77,-122.42\", got %q", s)
		}
		q.Near = &index.GeoPoint{Lat: la, Lon: lo}
		rs := v.Get("radius_km")
		if rs == "" {
			return q, badParam("radius_km", "is required with near")
		}
	}
	if s := v.Get("radius_km"); s != "" {
		r, err := strconv.ParseFloat(s, 64)
		if err != nil || r <= 0 || r > index.MaxRadiusKm || r != r {
			return q, badParam("radius_km", "must be a number of kilometres in (0, %d], got %q", index.MaxRadiusKm, s)
		}
		if q.Near == nil {
			return q, badParam("radius_km", "needs near=lat,lon")
		}
		q.RadiusKm = r
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > index.MaxLimit {
			return q, badParam("limit", "must be an integer from 1 to %d, got %q", index.MaxLimit, s)
		}
		q.Limit = n
	}
	if s := v.Get("facets"); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			return q, badParam("facets", "must be true or false, got %q", s)
		}
		q.Facets = b
	}
	return q, nil
}

func badParam(name, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", index.ErrInvalidQuery, name, fmt.Sprintf(format, args...))
}

// splitList reads a repeatable parameter, also accepting comma-separated values.
func splitList(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// searchResponse is the JSON body of GET /api/v1/search (docs/openapi.yaml).
type searchResponse struct {
	Total      uint64                  `json:"total"`
	Hits       []searchHit             `json:"hits"`
	Facets     map[string][]facetCount `json:"facets"`
	Approx     bool                    `json:"facets_approximate"`
	NextCursor string                  `json:"next_cursor"`
	TookMs     int64                   `json:"took_ms"`
}

type searchHit struct {
	ID          string      `json:"id"`
	URL         string      `json:"url"`
	Title       string      `json:"title"`
	Summary     string      `json:"summary"`
	ListingType string      `json:"listing_type"`
	Price       searchPrice `json:"price"`
	Tags        []string    `json:"tags"`
	Region      string      `json:"region"`
	Seller      seller      `json:"seller"`
	Published   string      `json:"published"`
	Updated     string      `json:"updated"`
	DistanceKm  *float64    `json:"distance_km,omitempty"`
}

type searchPrice struct {
	Amount       string `json:"amount"`
	Currency     string `json:"currency"`
	PriceType    string `json:"price_type"`
	PricingModel string `json:"pricing_model"`
}

type seller struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Host string `json:"host"`
}

type facetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	q, err := ParseSearch(r.URL.Query())
	if err != nil {
		federation.WriteError(w, http.StatusBadRequest, "invalid_parameter", strings.TrimPrefix(err.Error(), index.ErrInvalidQuery.Error()+": "))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.searchDeadline)
	defer cancel()
	res, err := s.index.Search(ctx, q)
	switch {
	case errors.Is(err, index.ErrInvalidQuery):
		federation.WriteError(w, http.StatusBadRequest, "invalid_parameter", strings.TrimPrefix(err.Error(), index.ErrInvalidQuery.Error()+": "))
		return
	case err != nil && r.Context().Err() != nil:
		return // the client has gone
	case errors.Is(err, context.DeadlineExceeded):
		s.log.Warn("search abandoned at its deadline", "query", r.URL.RawQuery, "deadline", s.searchDeadline)
		w.Header().Set("Retry-After", "1")
		federation.WriteError(w, http.StatusServiceUnavailable, "search_timeout", fmt.Sprintf("the search did not finish within %v; try again, or narrow q", s.searchDeadline))
		return
	}
	if err != nil {
		s.log.Error("search", "error", err)
		federation.WriteError(w, http.StatusInternalServerError, "internal", "search failed")
		return
	}
	out := searchResponse{Total: res.Total, Hits: make([]searchHit, 0, len(res.Hits)), NextCursor: res.NextCursor, Facets: map[string][]facetCount{}}
	for _, h := range res.Hits {
		hit := searchHit{
			ID: h.ID, URL: h.URL, Title: h.Title, Summary: h.Summary, ListingType: h.ListingType,
			Price: searchPrice{Amount: h.Price.Amount, Currency: h.Price.Currency, PriceType: h.Price.PriceType, PricingModel: h.Price.PricingModel},
			Tags:  nonNil(h.Tags), Region: h.Region,
			Seller:    seller{ID: h.Seller.ID, Name: h.Seller.Name, Host: h.Seller.Host},
			Published: h.Published.UTC().Format(time.RFC3339), Updated: h.Updated.UTC().Format(time.RFC3339),
		}
		if q.Near != nil {
			d := h.DistanceKm
			hit.DistanceKm = &d
		}
		out.Hits = append(out.Hits, hit)
	}
	if q.Facets {
		f := res.Facets
		for name, counts := range map[string][]index.FacetCount{
			"listing_type": f.ListingType, "tags": f.Tags, "region": f.Region, "price_type": f.PriceType,
			"pricing_model": f.PricingModel, "currency": f.Currency, "price_band": f.PriceBand,
		} {
			list := make([]facetCount, 0, len(counts))
			for _, c := range counts {
				list = append(list, facetCount{Value: c.Value, Count: c.Count})
			}
			out.Facets[name] = list
		}
		out.Approx = f.Approximate
	}
	out.TookMs = time.Since(start).Milliseconds()
	w.Header().Set("Cache-Control", "public, max-age=5")
	node.WriteJSON(w, http.StatusOK, out)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
