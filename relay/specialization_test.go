package relay

import (
	"testing"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/listing"
)

// TestSpecializationPerimeter: a perimeter keeps listings located inside
// the circle and drops those outside it or without a location; the
// relay's description names it.
func TestSpecializationPerimeter(t *testing.T) {
	berlin := config.Perimeter{Lat: 52.520, Lon: 13.405, RadiusKm: 50}
	s, err := NewSpecialization(config.Specialization{Perimeter: &berlin})
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		at   *listing.GeoPoint
		want bool
	}{
		"Potsdam, 27 km":   {&listing.GeoPoint{Lat: 52.391, Lon: 13.065}, true},
		"Frankfurt (Oder)": {&listing.GeoPoint{Lat: 52.342, Lon: 14.550}, false}, // 80 km
		"Hamburg":          {&listing.GeoPoint{Lat: 53.551, Lon: 9.994}, false},
		"no location":      {nil, false},
	} {
		l := &listing.Listing{Location: c.at}
		if got := s.Accepts(l); got != c.want {
			t.Errorf("%s: Accepts = %v, want %v", name, got, c.want)
		}
	}
	if p, ok := s.Describe()["perimeter"].(map[string]float64); !ok || p["radiusKm"] != 50 {
		t.Errorf("Describe: %v", s.Describe())
	}
}
