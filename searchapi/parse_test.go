package searchapi

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/sovereign-marketplace/market/index"
)

func TestParse(t *testing.T) {
	q, err := Parse(url.Values{
		"q": {`running "heart rate" -lisbon`}, "type": {"data_product,service"}, "tag": {"gps", "running"},
		"region": {"US"}, "currency": {"usd"}, "price_min": {"10"}, "price_max": {"99.5"},
		"near": {"37.77,-122.42"}, "radius_km": {"25"}, "sort": {"price_asc"}, "limit": {"50"}, "facets": {"false"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Types) != 2 || len(q.Tags) != 2 || q.Currency != "USD" || *q.PriceMin != 1000 || *q.PriceMax != 9950 ||
		q.Near == nil || q.Near.Lat != 37.77 || q.RadiusKm != 25 || q.Limit != 50 || q.Facets || q.Sort != "price_asc" {
		t.Fatalf("query = %+v", q)
	}
	if q, _ := Parse(url.Values{}); !q.Facets || q.Limit != 0 {
		t.Fatalf("defaults = %+v", q)
	}
}

// FuzzParse feeds raw query strings through the parser the search
// API uses: it must never panic, and every refusal names a parameter.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "q=running", "type=data_product&tag=gps&tag=running&region=US-CA", "currency=USD&price_min=1&price_max=99.99",
		"near=37.7,-122.4&radius_km=10", "sort=newest&limit=100&cursor=abc", "facets=false", "near=,&radius_km=NaN",
		"price_min=1e9", "limit=-1", "q=%ff%fe", `q="unclosed`, "radius_km=5", "type=", "tag=a,b,,c",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		_, err = Parse(v)
		if err == nil {
			return
		}
		if !errors.Is(err, index.ErrInvalidQuery) {
			t.Fatalf("error does not wrap ErrInvalidQuery: %v", err)
		}
		msg := strings.TrimPrefix(err.Error(), index.ErrInvalidQuery.Error()+": ")
		for _, name := range Params {
			if strings.HasPrefix(msg, name+": ") {
				return
			}
		}
		for name := range v {
			if strings.HasPrefix(msg, name+": ") {
				return
			}
		}
		t.Fatalf("error %q does not start with a parameter name", err)
	})
}

// TestParsePriceRangeInUserUnits: a price range the wrong way round
// is refused with the amounts as they were given, in the currency's units.
func TestParsePriceRangeInUserUnits(t *testing.T) {
	_, err := Parse(url.Values{"currency": {"usd"}, "price_min": {"100.00"}, "price_max": {"10.00"}})
	want := "price_max: must not be below price_min (100.00 USD), got 10.00 USD"
	if !errors.Is(err, index.ErrInvalidQuery) || !strings.HasSuffix(err.Error(), ": "+want) {
		t.Errorf("price_min 100.00 > price_max 10.00: %v, want %q", err, want)
	}
	if _, err := Parse(url.Values{"currency": {"USD"}, "price_min": {"10"}, "price_max": {"10.00"}}); err != nil {
		t.Errorf("price_min = price_max: %v", err)
	}
}
