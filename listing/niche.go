package listing

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// Niche is the part of the marketplace a relay indexes (its
// specialization): listing types, regions, tags, a price ceiling per
// currency and a perimeter on the map. Empty members accept everything,
// so the zero Niche takes every listing. Its JSON form is the
// `specialization` member of a relay's actor document, which hubs read to
// send each relay only the listings it takes; the relay and the hubs
// decide with the same Fits.
type Niche struct {
	ListingTypes []Type            `json:"listingTypes,omitempty"`
	Regions      []string          `json:"regions,omitempty"`   // countries ("US") or subdivisions ("US-CA")
	Tags         []string          `json:"tags,omitempty"`      // a listing needs one of them (any case)
	PriceMax     map[string]string `json:"priceMax,omitempty"`  // currency → decimal amount
	Perimeter    *Perimeter        `json:"perimeter,omitempty"` // listings located within it
}

// Perimeter is a circle on the map: a centre in WGS 84 degrees and a
// radius in kilometres.
type Perimeter struct {
	Lat      float64 `json:"lat"`
	Lon      float64 `json:"lon"`
	RadiusKm float64 `json:"radiusKm"`
}

// Limits on a Niche read from another server (ParseNiche).
const (
	maxNicheItems = 200 // types, regions, tags, currencies
	maxNicheBytes = 64 << 10
)

// ParseNiche reads a Niche in its JSON form from another server's
// document: at most 64 KiB, at most 200 entries per list, regions, tags,
// currencies and amounts of the forms Validate accepts and a perimeter
// on the map. Anything else is an error wrapping ErrInvalid that names
// the member; null or absent (empty raw) is the zero Niche.
func ParseNiche(raw json.RawMessage) (Niche, error) {
	var n Niche
	if len(raw) == 0 || string(raw) == "null" {
		return n, nil
	}
	bad := func(format string, args ...any) (Niche, error) {
		return Niche{}, fmt.Errorf("%w: specialization: %s", ErrInvalid, fmt.Sprintf(format, args...))
	}
	if len(raw) > maxNicheBytes {
		return bad("is %d bytes long, at most %d allowed", len(raw), maxNicheBytes)
	}
	if err := json.Unmarshal(raw, &n); err != nil {
		return bad("must be an object of listingTypes, regions, tags, priceMax and perimeter: %v", err)
	}
	if len(n.ListingTypes) > maxNicheItems || len(n.Regions) > maxNicheItems || len(n.Tags) > maxNicheItems || len(n.PriceMax) > maxNicheItems {
		return bad("lists more than %d entries", maxNicheItems)
	}
	for _, t := range n.ListingTypes {
		if !oneOf(t, Types) {
			return bad("listingTypes: %q is not one of %s", short(string(t)), list(Types))
		}
	}
	for _, r := range n.Regions {
		if !regionRE.MatchString(r) {
			return bad("regions: %q is not a country or ISO 3166-2 code", short(r))
		}
	}
	for _, t := range n.Tags {
		if tagProblem(t) != "" {
			return bad("tags: %q is not a tag", short(t))
		}
	}
	for cur, amount := range n.PriceMax {
		if !ValidCurrency(cur) {
			return bad("priceMax: %q is not a currency", short(cur))
		}
		if _, err := MinorUnits(amount, cur); err != nil {
			return bad("priceMax.%s: %v", cur, err)
		}
	}
	if p := n.Perimeter; p != nil && (p.Lat < -90 || p.Lat > 90 || p.Lon < -180 || p.Lon > 180 || !(p.RadiusKm > 0)) {
		return bad("perimeter: want lat in [-90, 90], lon in [-180, 180] and a positive radiusKm, got %v", *p)
	}
	return n, nil
}

// Fits reports whether l falls inside the niche: one of its listing types,
// in one of its regions (a country takes its subdivisions), with one of
// its tags, at most its price ceiling in l's currency (a price that cannot
// be read in that currency does not fit), and located within its
// perimeter (a listing without a location is outside any perimeter).
func (n Niche) Fits(l *Listing) bool {
	if len(n.ListingTypes) > 0 && !oneOf(l.Type, n.ListingTypes) {
		return false
	}
	if len(n.Regions) > 0 && !n.inRegion(l.Region) {
		return false
	}
	if len(n.Tags) > 0 && !n.tagged(l.Tags) {
		return false
	}
	if max, limited := n.PriceMax[l.Price.Currency]; limited {
		ceiling, err := MinorUnits(max, l.Price.Currency)
		amount, err2 := MinorUnits(l.Price.Amount, l.Price.Currency)
		if err != nil || err2 != nil || amount > ceiling {
			return false
		}
	}
	if p := n.Perimeter; p != nil {
		if l.Location == nil || DistanceKm(p.Lat, p.Lon, l.Location.Lat, l.Location.Lon) > p.RadiusKm {
			return false
		}
	}
	return true
}

func (n Niche) inRegion(region string) bool {
	for _, r := range n.Regions {
		if region == r || (len(r) == 2 && Country(region) == r) {
			return true
		}
	}
	return false
}

func (n Niche) tagged(tags []string) bool {
	for _, want := range n.Tags {
		for _, t := range tags {
			if strings.EqualFold(t, want) {
				return true
			}
		}
	}
	return false
}

// earthRadiusKm is the mean radius of the earth (IUGG).
const earthRadiusKm = 6371.0088

// DistanceKm is the great-circle (haversine) distance between two points
// given in degrees.
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(a)))
}
