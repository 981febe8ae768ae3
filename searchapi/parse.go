package searchapi

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/listing"
)

// Params are the query parameters a search accepts, in the order errors
// list them; any other is refused so that a typo does not silently widen
// a search.
var Params = []string{"q", "type", "tag", "region", "price_min", "price_max", "currency", "price_type",
	"pricing_model", "seller", "near", "radius_km", "sort", "limit", "cursor", "facets"}

// repeatable are the parameters that may be given more than once.
var repeatable = []string{"type", "tag", "price_type", "pricing_model"}

// Parse turns the query string of a search into an index query. Errors
// wrap index.ErrInvalidQuery and start with the parameter's name and what
// was expected.
func Parse(v url.Values) (index.Query, error) {
	q := index.Query{Facets: true}
	for k := range v {
		if !slices.Contains(Params, k) {
			return q, badParam(k, "is not a search parameter (known: %s)", strings.Join(Params, ", "))
		}
	}
	for _, single := range Params {
		if !slices.Contains(repeatable, single) && len(v[single]) > 1 {
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
