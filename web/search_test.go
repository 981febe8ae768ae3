package web_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/listing"
	"github.com/sovereign-marketplace/market/web"
)

func result() *index.Result {
	return &index.Result{
		Total: 42, NextCursor: "CUR",
		Hits: []index.Hit{{
			ID: "https://hub.example/l/1", URL: "https://hub.example/l/1", Title: "Bike <b>", Summary: `a <mark>bike</mark><script>x</script>`,
			ListingType: "physical", Price: index.Price{Amount: "45", Currency: "EUR", PriceType: "hourly", PricingModel: "one_time"},
			Tags: []string{"cycling"}, Region: "DE-BE", Seller: index.Seller{ID: "https://hub.example/users/a", Name: "Ann", Host: "hub.example"},
			Published: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC),
		}, {ID: "https://other.example/l/2", URL: "javascript:alert(1)", Title: "Two", ListingType: "service"}},
		Facets: index.Facets{
			ListingType: []index.FacetCount{{Value: "physical", Count: 30}, {Value: "service", Count: 12}},
			Tags:        []index.FacetCount{{Value: "cycling", Count: 20}},
			Region:      []index.FacetCount{{Value: "DE-BE", Count: 25}, {Value: "DE-BY", Count: 10}, {Value: "US-CA", Count: 7}},
			Currency:    []index.FacetCount{{Value: "EUR", Count: 40}},
			PriceBand:   []index.FacetCount{{Value: "0-10", Count: 10}, {Value: "10-50", Count: 20}, {Value: "1000+", Count: 1}},
		},
	}
}

func facet(s *web.Search, name, value string) web.FacetLink {
	for _, g := range s.Facets {
		if g.Name == name {
			for _, l := range append(g.Values, g.More...) {
				if l.Value == value {
					return l
				}
			}
		}
	}
	return web.FacetLink{}
}

func TestNewSearch(t *testing.T) {
	v, _ := url.ParseQuery("q=bike&type=physical&cursor=OLD&currency=eur")
	s := web.NewSearch(v, index.Query{Text: "bike", Facets: true}, result(), "", web.SearchOptions{
		Path: "/", DetailURL: func(id string) string { return "/listing/" + url.PathEscape(id) },
		Locate: func(ids []string) map[string]listing.GeoPoint {
			return map[string]listing.GeoPoint{ids[0]: {Lat: 52.5, Lon: 13.4}}
		},
	})
	for _, tc := range []struct{ what, got, want string }{
		{"next page keeps the query and takes the cursor", s.Next, "/?currency=eur&cursor=CUR&q=bike&type=physical"},
		{"first page drops the cursor", s.First, "/?currency=eur&q=bike&type=physical"},
		{"chosen type drops itself", facet(s, "type", "physical").URL, "/?currency=eur&q=bike"},
		{"another type adds itself", facet(s, "type", "service").URL, "/?currency=eur&q=bike&type=physical&type=service"},
		{"a region replaces the region", facet(s, "region", "DE-BY").URL, "/?currency=eur&q=bike&region=DE-BY&type=physical"},
		{"a price band sets the inclusive range", facet(s, "price", "10-50").URL, "/?currency=eur&price_max=49.99&price_min=10&q=bike&type=physical"},
		{"the last band is open", facet(s, "price", "1000+").URL, "/?currency=eur&price_min=1000&q=bike&type=physical"},
		{"the API link is the same search", s.APIURL, "/api/v1/search?currency=eur&q=bike&type=physical"},
		{"titles stay text", s.Hits[0].Title, "Bike <b>"},
		{"summaries are sanitized", string(s.Hits[0].Summary), "a <mark>bike</mark>"},
		{"price in words", s.Hits[0].Price, "45 EUR per hour"},
		{"the hub's page", s.Hits[0].HubURL, "https://hub.example/l/1"},
		{"no script URL", s.Hits[1].HubURL, ""},
		{"a tag narrows", s.Hits[0].Tags[0].URL, "/?currency=eur&q=bike&tag=cycling&type=physical"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %q, want %q", tc.what, tc.got, tc.want)
		}
	}
	if !facet(s, "type", "physical").Chosen || facet(s, "type", "service").Chosen {
		t.Error("chosen marks")
	}
	if len(s.Map.Countries) != 2 || s.Map.Countries[0].Code != "DE" || s.Map.Countries[0].Count != 35 || s.Map.Countries[0].URL != "/?currency=eur&q=bike&region=DE&type=physical" {
		t.Errorf("countries %+v", s.Map.Countries)
	}
	if len(s.Map.Points) != 1 || s.Map.Points[0].URL != "/listing/https:%2F%2Fhub.example%2Fl%2F1" {
		t.Errorf("points %+v", s.Map.Points)
	}
	var chips []string
	for _, c := range s.Chosen {
		chips = append(chips, c.Label+" → "+c.Remove)
	}
	if got := strings.Join(chips, "; "); got != "Type: Physical → /?currency=eur&q=bike; Currency: EUR → /?q=bike&type=physical" {
		t.Errorf("chips %s", got)
	}
}

func TestSearchWithoutCurrencyAsksForOne(t *testing.T) {
	s := web.NewSearch(url.Values{}, index.Query{Facets: true}, result(), "", web.SearchOptions{})
	band := facet(s, "price", "10-50")
	if band.URL != "" || band.Count != 20 {
		t.Errorf("band without a currency: %+v", band)
	}
	for _, g := range s.Facets {
		if g.Name == "price" && g.Hint == "" {
			t.Error("price group gives no hint")
		}
	}
	if s.Next != "/?cursor=CUR" || s.First != "" {
		t.Errorf("paging %q %q", s.Next, s.First)
	}
}

func TestSearchError(t *testing.T) {
	v, _ := url.ParseQuery("price_min=5")
	s := web.NewSearch(v, index.Query{}, nil, "price_min: needs currency", web.SearchOptions{})
	if s.Err == "" || len(s.Hits) != 0 || s.PriceMin != "5" {
		t.Errorf("%+v", s)
	}
}
