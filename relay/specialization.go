package relay

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/listing"
)

// Specialization is the niche a relay indexes: listing types, regions,
// tags, a price ceiling per currency and a perimeter on the map. The zero
// value accepts everything. Whether a listing fits is listing.Niche's
// rule, the one hubs apply to the niche the relay advertises.
type Specialization struct {
	niche listing.Niche
	cfg   config.Specialization
}

// NewSpecialization builds the filter from the relay configuration.
func NewSpecialization(c config.Specialization) (Specialization, error) {
	s := Specialization{cfg: c, niche: listing.Niche{Regions: c.Regions, Tags: c.Tags, PriceMax: c.PriceMax}}
	for _, t := range c.ListingTypes {
		s.niche.ListingTypes = append(s.niche.ListingTypes, listing.Type(t))
	}
	for cur, amount := range c.PriceMax {
		if _, err := listing.MinorUnits(amount, cur); err != nil {
			return s, fmt.Errorf("relay.specialization.price_max.%s: %w", cur, err)
		}
	}
	if p := c.Perimeter; p != nil {
		s.niche.Perimeter = &listing.Perimeter{Lat: p.Lat, Lon: p.Lon, RadiusKm: p.RadiusKm}
	}
	return s, nil
}

// Accepts reports whether l falls inside the specialization.
func (s Specialization) Accepts(l *listing.Listing) bool { return s.niche.Fits(l) }

// Describe is the specialization as it appears in the relay's actor
// document, NodeInfo and stats, so hubs can choose relays that fit.
func (s Specialization) Describe() map[string]any {
	out := map[string]any{}
	if len(s.cfg.ListingTypes) > 0 {
		out["listingTypes"] = sorted(s.cfg.ListingTypes)
	}
	if len(s.cfg.Regions) > 0 {
		out["regions"] = sorted(s.cfg.Regions)
	}
	if len(s.cfg.Tags) > 0 {
		out["tags"] = sorted(s.cfg.Tags)
	}
	if len(s.cfg.PriceMax) > 0 {
		out["priceMax"] = s.cfg.PriceMax
	}
	if p := s.cfg.Perimeter; p != nil {
		out["perimeter"] = map[string]float64{"lat": p.Lat, "lon": p.Lon, "radiusKm": p.RadiusKm}
	}
	return out
}

func sorted(in []string) []string {
	out := append([]string(nil), in...)
	sort.Strings(out)
	return out
}

// sweepStored drops stored listings the relay no longer takes, those
// outside its specialization or of sellers off its allow list, when the
// operator changed either since the last start.
func (s *Server) sweepStored() error {
	want, _ := json.Marshal(map[string]any{"specialization": s.spec.Describe(), "allowed_domains": s.allowed.sorted()})
	var had string
	if err := s.store.View(func(t *Txn) error { had = t.Meta("specialization"); return nil }); err != nil {
		return err
	}
	if had == string(want) {
		return nil
	}
	var dropped []string
	err := s.store.Pages(1000, func(page []*Record) error {
		var out []string
		for _, r := range page {
			if !s.spec.Accepts(&r.Listing) || !s.allowed.allows(r.Listing.Owner) {
				out = append(out, r.Listing.FederatedAPID)
			}
		}
		dropped = append(dropped, out...)
		return s.store.Update(func(t *Txn) error {
			for _, id := range out {
				if _, err := t.DeleteListing(id); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	if err := s.store.Update(func(t *Txn) error { return t.PutMeta("specialization", string(want)) }); err != nil {
		return err
	}
	if len(dropped) > 0 {
		s.log.Info("specialization or allow list changed: dropped listings outside them", "listings", len(dropped))
		s.listingsChanged(nil, dropped)
	}
	return nil
}
