package listing

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// TestNicheFits: each member of a niche narrows it, empty members accept
// everything, and the price ceiling is compared in minor units of the
// listing's own currency.
func TestNicheFits(t *testing.T) {
	berlin := &Perimeter{Lat: 52.520, Lon: 13.405, RadiusKm: 50}
	potsdam := &GeoPoint{Lat: 52.391, Lon: 13.065}
	for _, c := range []struct {
		name  string
		niche Niche
		edit  func(l *Listing)
		want  bool
	}{
		{"zero niche takes all", Niche{}, func(l *Listing) {}, true},
		{"type in", Niche{ListingTypes: []Type{TypePhysical, TypeDigital}}, func(l *Listing) {}, true},
		{"type out", Niche{ListingTypes: []Type{TypeDataProduct}}, func(l *Listing) {}, false},
		{"country takes subdivision", Niche{Regions: []string{"US"}}, func(l *Listing) {}, true},
		{"other subdivision", Niche{Regions: []string{"US-NY"}}, func(l *Listing) {}, false},
		{"no region", Niche{Regions: []string{"US"}}, func(l *Listing) { l.Region = "" }, false},
		{"tag any case", Niche{Tags: []string{"BIKE"}}, func(l *Listing) {}, true},
		{"tag missing", Niche{Tags: []string{"books"}}, func(l *Listing) {}, false},
		{"price at ceiling", Niche{PriceMax: map[string]string{"USD": "350.00"}}, func(l *Listing) {}, true},
		{"price above ceiling", Niche{PriceMax: map[string]string{"USD": "349.99"}}, func(l *Listing) {}, false},
		{"ceiling in another currency", Niche{PriceMax: map[string]string{"EUR": "1"}}, func(l *Listing) {}, true},
		{"inside perimeter", Niche{Perimeter: berlin}, func(l *Listing) { l.Location = potsdam }, true},
		{"outside perimeter", Niche{Perimeter: berlin}, func(l *Listing) {}, false},
		{"no location", Niche{Perimeter: berlin}, func(l *Listing) { l.Location = nil }, false},
	} {
		l := base()
		c.edit(l)
		if got := c.niche.Fits(l); got != c.want {
			t.Errorf("%s: Fits = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestParseNiche reads what a relay advertises and refuses, naming the
// member, what another server could send to mislead or exhaust a hub.
func TestParseNiche(t *testing.T) {
	n, err := ParseNiche(json.RawMessage(`{"listingTypes":["data_product"],"regions":["US-CA"],"tags":["gps"],"priceMax":{"USD":"100"},"perimeter":{"lat":1,"lon":2,"radiusKm":3}}`))
	if err != nil || len(n.ListingTypes) != 1 || n.PriceMax["USD"] != "100" || n.Perimeter.RadiusKm != 3 {
		t.Fatalf("ParseNiche: %+v, %v", n, err)
	}
	if n, err := ParseNiche(nil); err != nil || n.ListingTypes != nil {
		t.Fatalf("absent: %+v %v", n, err)
	}
	for raw, want := range map[string]string{
		`[]`:                                                "must be an object",
		`{"listingTypes":["weapons"]}`:                      "listingTypes",
		`{"regions":["california"]}`:                        "regions",
		`{"tags":["two words"]}`:                            "tags",
		`{"priceMax":{"USD":"-1"}}`:                         "priceMax.USD",
		`{"priceMax":{"dollars":"1"}}`:                      "priceMax",
		`{"perimeter":{"lat":91,"lon":0,"radiusKm":1}}`:     "perimeter",
		`{"perimeter":{"lat":0,"lon":0,"radiusKm":0}}`:      "perimeter",
		`{"tags":[` + strings.Repeat(`"a",`, 200) + `"a"]}`: "more than 200",
		`{"summary":"` + strings.Repeat("x", 70<<10) + `"}`: "bytes long",
	} {
		if _, err := ParseNiche(json.RawMessage(raw)); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), want) {
			t.Errorf("%.60s: %v, want an error naming %q", raw, err, want)
		}
	}
}

// FuzzParseNiche: what a relay advertises never panics the parser, and a
// niche it accepts can be applied to any listing.
func FuzzParseNiche(f *testing.F) {
	for _, seed := range []string{
		`{"listingTypes":["service"],"regions":["US"],"tags":["a"],"priceMax":{"USD":"1"},"perimeter":{"lat":0,"lon":0,"radiusKm":1}}`,
		`null`, `{}`, `{"priceMax":{"eip155:1/slip44:60":"0.1"}}`, `{"perimeter":null}`, `{"tags":[1]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		n, err := ParseNiche(raw)
		if err != nil {
			return
		}
		for _, l := range variants() {
			n.Fits(l)
		}
	})
}
