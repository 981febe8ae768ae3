package listing

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// ErrInvalid is wrapped by every validation error, so callers can branch on it.
var ErrInvalid = errors.New("invalid listing")

// Type says what kind of thing a listing sells.
type Type string

// Listing types.
const (
	TypeDataProduct Type = "data_product"
	TypeService     Type = "service"
	TypePhysical    Type = "physical"
	TypeDigital     Type = "digital"
)

// Types lists every valid listing Type.
var Types = []Type{TypeDataProduct, TypeService, TypePhysical, TypeDigital}

// PriceType says how the price reads: a fixed sum, per hour, open to
// negotiation, free, or in time credits.
type PriceType string

// Price types.
const (
	PriceFixed      PriceType = "fixed"
	PriceHourly     PriceType = "hourly"
	PriceNegotiable PriceType = "negotiable"
	PriceFree       PriceType = "free"
	PriceTimeCredit PriceType = "time_credit"
)

// PriceTypes lists every valid PriceType.
var PriceTypes = []PriceType{PriceFixed, PriceHourly, PriceNegotiable, PriceFree, PriceTimeCredit}

// PricingModel says how often the buyer pays.
type PricingModel string

// Pricing models.
const (
	PricingOneTime      PricingModel = "one_time"
	PricingSubscription PricingModel = "subscription"
	PricingPayPerQuery  PricingModel = "pay_per_query"
)

// PricingModels lists every valid PricingModel.
var PricingModels = []PricingModel{PricingOneTime, PricingSubscription, PricingPayPerQuery}

// Status is where a listing is in its life.
type Status string

// Listing statuses.
const (
	StatusDraft   Status = "draft"
	StatusActive  Status = "active"
	StatusPaused  Status = "paused"
	StatusSold    Status = "sold"
	StatusExpired Status = "expired"
)

// Statuses lists every valid Status.
var Statuses = []Status{StatusDraft, StatusActive, StatusPaused, StatusSold, StatusExpired}

// LocationPref says how far from the seller a deal may happen.
type LocationPref string

// Location preferences.
const (
	LocationLocal    LocationPref = "local"
	LocationRegional LocationPref = "regional"
	LocationGlobal   LocationPref = "global"
)

// LocationPrefs lists every valid LocationPref.
var LocationPrefs = []LocationPref{LocationLocal, LocationRegional, LocationGlobal}

// Visibility says who may see a listing.
type Visibility string

// Visibilities.
const (
	VisibilityPublic    Visibility = "public"
	VisibilityFollowers Visibility = "followers"
	VisibilityPrivate   Visibility = "private"
)

// Visibilities lists every valid Visibility.
var Visibilities = []Visibility{VisibilityPublic, VisibilityFollowers, VisibilityPrivate}

// Price is what a listing costs. Amount is a non-negative decimal string
// ("30", "12.50"), never a float; use MinorUnits for integer arithmetic.
type Price struct {
	Amount   string       `json:"amount"`
	Currency string       `json:"currency"` // ISO 4217 code, or a CAIP-19 asset id for crypto
	Type     PriceType    `json:"price_type"`
	Model    PricingModel `json:"pricing_model"`
}

// GeoPoint is a WGS 84 position in degrees.
type GeoPoint struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// DataProduct describes what a buyer of a data product receives: the
// output format, its schema, and a preview made by the privacy engine.
type DataProduct struct {
	Format     string `json:"format,omitempty"`      // csv, json, jsonl, parquet
	Schema     string `json:"schema,omitempty"`      // JSON schema of one output row, as JSON text
	SampleRows int    `json:"sample_rows,omitempty"` // how many rows Sample holds
	Sample     string `json:"sample,omitempty"`      // the preview, as produced by the privacy engine
}

// Listing is one thing offered for sale: the seed's listings row plus the
// pricing model, region and location the marketplace adds.
type Listing struct {
	ID            string       `json:"id"`                 // the hub's own id for the listing
	Owner         string       `json:"owner"`              // the seller's actor id (a URL)
	Type          Type         `json:"listing_type"`       // data_product, service, physical or digital
	Title         string       `json:"title"`              // short, plain text
	Description   string       `json:"description"`        // plain text or simple HTML
	Language      string       `json:"language,omitempty"` // BCP 47 tag of title and description; empty means English
	Price         Price        `json:"price"`
	Status        Status       `json:"status"`
	Tags          []string     `json:"tags,omitempty"`
	LocationPref  LocationPref `json:"location_pref"`
	Visibility    Visibility   `json:"visibility"`
	Region        string       `json:"region,omitempty"`   // ISO 3166-2 ("US-CA") or ISO 3166-1 alpha-2 ("US")
	Location      *GeoPoint    `json:"location,omitempty"` // where the seller is, when they say
	DataProductID string       `json:"data_product_id,omitempty"`
	DataProduct   *DataProduct `json:"data_product,omitempty"`
	FederatedAPID string       `json:"federated_ap_id,omitempty"` // the ActivityPub object id
	Created       time.Time    `json:"created"`
	Updated       time.Time    `json:"updated"`
}

// FieldError names one wrong field of a listing and what was expected.
type FieldError struct {
	Field   string
	Problem string
}

// Error says "field: problem".
func (e FieldError) Error() string { return e.Field + ": " + e.Problem }

// ValidationError lists every wrong field of a listing.
type ValidationError []FieldError

// Error lists every wrong field after "invalid listing: ".
func (v ValidationError) Error() string {
	parts := make([]string, len(v))
	for i, e := range v {
		parts[i] = e.Error()
	}
	return "invalid listing: " + strings.Join(parts, "; ")
}

// Unwrap lets errors.Is(err, ErrInvalid) hold.
func (v ValidationError) Unwrap() error { return ErrInvalid }

// Limits on field sizes. They keep one listing small enough to index and
// to federate.
const (
	MaxTitle       = 200
	MaxDescription = 20000
	MaxTags        = 30
	MaxTagLen      = 64
	MaxSchema      = 16 << 10 // bytes of a data product's schema
	MaxSample      = 64 << 10 // bytes of a data product's sample
)

var (
	decimalRE  = regexp.MustCompile(`^(0|[1-9][0-9]{0,18})(\.[0-9]{1,18})?$`)
	currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)
	caip19RE   = regexp.MustCompile(`^[-a-z0-9]{3,8}:[-_a-zA-Z0-9]{1,32}/[-a-z0-9]{3,8}:[-.%a-zA-Z0-9]{1,128}$`)
	regionRE   = regexp.MustCompile(`^[A-Z]{2}(-[A-Z0-9]{1,3})?$`)
	langRE     = regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$`)
)

// Validate checks every field of l and returns a ValidationError naming
// each wrong one, or nil.
func Validate(l *Listing) error {
	var errs ValidationError
	bad := func(field, format string, args ...any) {
		errs = append(errs, FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
	}
	if l.ID == "" {
		bad("id", "is required")
	}
	if !isHTTPURL(l.Owner) {
		bad("owner", "must be the seller's actor URL (http or https), got %q", l.Owner)
	}
	if !oneOf(l.Type, Types) {
		bad("listing_type", "must be one of %s, got %q", list(Types), l.Type)
	}
	switch t := strings.TrimSpace(l.Title); {
	case t == "":
		bad("title", "is required")
	case len(l.Title) > MaxTitle:
		bad("title", "is %d bytes long, at most %d allowed", len(l.Title), MaxTitle)
	}
	if len(l.Description) > MaxDescription {
		bad("description", "is %d bytes long, at most %d allowed", len(l.Description), MaxDescription)
	}
	if l.Language != "" && !langRE.MatchString(l.Language) {
		bad("language", "must be a BCP 47 tag such as \"en\" or \"pt-BR\", got %q", l.Language)
	}
	validatePrice(&l.Price, bad)
	if !oneOf(l.Status, Statuses) {
		bad("status", "must be one of %s, got %q", list(Statuses), l.Status)
	}
	if len(l.Tags) > MaxTags {
		bad("tags", "has %d tags, at most %d allowed", len(l.Tags), MaxTags)
	}
	for i, t := range l.Tags {
		if t == "" || len(t) > MaxTagLen || strings.ContainsAny(t, " \t\r\n#,") {
			bad(fmt.Sprintf("tags[%d]", i), "must be 1-%d characters without spaces, commas or '#', got %q", MaxTagLen, t)
		}
	}
	if !oneOf(l.LocationPref, LocationPrefs) {
		bad("location_pref", "must be one of %s, got %q", list(LocationPrefs), l.LocationPref)
	}
	if !oneOf(l.Visibility, Visibilities) {
		bad("visibility", "must be one of %s, got %q", list(Visibilities), l.Visibility)
	}
	if l.Region != "" && !regionRE.MatchString(l.Region) {
		bad("region", "must be an ISO 3166-2 code such as \"US-CA\" or a country code such as \"US\", got %q", l.Region)
	}
	if p := l.Location; p != nil {
		if p.Lat < -90 || p.Lat > 90 || p.Lat != p.Lat {
			bad("location.lat", "must be between -90 and 90, got %v", p.Lat)
		}
		if p.Lon < -180 || p.Lon > 180 || p.Lon != p.Lon {
			bad("location.lon", "must be between -180 and 180, got %v", p.Lon)
		}
	}
	if l.DataProduct != nil && l.Type != TypeDataProduct {
		bad("data_product", "is only allowed on listings of type data_product, this one is %q", l.Type)
	}
	if p := l.DataProduct; p != nil {
		if p.SampleRows < 0 {
			bad("data_product.sample_rows", "must not be negative, got %d", p.SampleRows)
		}
		if p.Schema != "" && !json.Valid([]byte(p.Schema)) {
			bad("data_product.schema", "must be JSON text (a JSON schema of one output row)")
		}
		if len(p.Schema) > MaxSchema {
			bad("data_product.schema", "is %d bytes long, at most %d allowed", len(p.Schema), MaxSchema)
		}
		if len(p.Sample) > MaxSample {
			bad("data_product.sample", "is %d bytes long, at most %d allowed", len(p.Sample), MaxSample)
		}
	}
	if l.DataProductID != "" && l.Type != TypeDataProduct {
		bad("data_product_id", "is only allowed on listings of type data_product, this one is %q", l.Type)
	}
	if l.FederatedAPID != "" && !isHTTPURL(l.FederatedAPID) {
		bad("federated_ap_id", "must be an http or https URL, got %q", l.FederatedAPID)
	}
	if l.Created.IsZero() {
		bad("created", "is required")
	} else if p := wireTimeProblem(l.Created); p != "" {
		bad("created", "%s", p)
	}
	if !l.Updated.IsZero() {
		if p := wireTimeProblem(l.Updated); p != "" {
			bad("updated", "%s", p)
		} else if l.Updated.Before(l.Created) {
			bad("updated", "is before created")
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func validatePrice(p *Price, bad func(string, string, ...any)) {
	if !oneOf(p.Type, PriceTypes) {
		bad("price.price_type", "must be one of %s, got %q", list(PriceTypes), p.Type)
	}
	if !oneOf(p.Model, PricingModels) {
		bad("price.pricing_model", "must be one of %s, got %q", list(PricingModels), p.Model)
	}
	if p.Type == PriceFree {
		if p.Amount != "" && p.Amount != "0" {
			bad("price.amount", "must be empty or \"0\" for a free listing, got %q", p.Amount)
		}
		return
	}
	if p.Type == PriceTimeCredit {
		if p.Currency != "" && p.Currency != CurrencyTimeCredit {
			bad("price.currency", "must be %q or empty for time credits, got %q", CurrencyTimeCredit, p.Currency)
		}
	} else if !ValidCurrency(p.Currency) {
		bad("price.currency", "must be an ISO 4217 code such as \"USD\" or a CAIP-19 asset id, got %q", p.Currency)
	}
	if !decimalRE.MatchString(p.Amount) {
		bad("price.amount", "must be a non-negative decimal string such as \"12.50\", got %q", p.Amount)
		return
	}
	if d := Decimals(p.Currency); fractionDigits(p.Amount) > d {
		bad("price.amount", "has more than %d decimals for %s: %q", d, p.Currency, p.Amount)
	}
}

// CurrencyTimeCredit is the currency of time-credit prices: one unit is one
// hour of someone's time.
const CurrencyTimeCredit = "HOUR"

// ValidCurrency reports whether c is an ISO 4217 code, the time-credit
// unit, or a CAIP-19 asset id.
func ValidCurrency(c string) bool {
	return currencyRE.MatchString(c) || caip19RE.MatchString(c) || c == CurrencyTimeCredit
}

// zeroDecimal and threeDecimal list the ISO 4217 currencies whose minor unit
// is not one hundredth.
var (
	zeroDecimal  = map[string]bool{"BIF": true, "CLP": true, "DJF": true, "GNF": true, "ISK": true, "JPY": true, "KMF": true, "KRW": true, "PYG": true, "RWF": true, "UGX": true, "UYI": true, "VND": true, "VUV": true, "XAF": true, "XOF": true, "XPF": true}
	threeDecimal = map[string]bool{"BHD": true, "IQD": true, "JOD": true, "KWD": true, "LYD": true, "OMR": true, "TND": true}
)

// Decimals returns how many decimal places the currency's minor unit has:
// 2 for most ISO 4217 codes, 0 or 3 for some, 2 for time credits (hundredths
// of an hour), and 18 for CAIP-19 assets (the EVM's wei-style base unit).
func Decimals(currency string) int {
	switch {
	case zeroDecimal[currency]:
		return 0
	case threeDecimal[currency]:
		return 3
	case caip19RE.MatchString(currency):
		return 18
	}
	return 2
}

// MinorUnits converts a decimal amount string to integer minor units of
// currency ("12.5" USD → 1250). It fails when the amount is not a decimal,
// has more decimals than the currency allows, or does not fit in an int64.
func MinorUnits(amount, currency string) (int64, error) {
	if amount == "" {
		return 0, nil
	}
	if !decimalRE.MatchString(amount) {
		return 0, fmt.Errorf("%w: amount %q is not a non-negative decimal", ErrInvalid, amount)
	}
	d := Decimals(currency)
	whole, frac, _ := strings.Cut(amount, ".")
	if len(frac) > d {
		return 0, fmt.Errorf("%w: amount %q has more than %d decimals for %s", ErrInvalid, amount, d, currency)
	}
	digits := strings.TrimLeft(whole+frac+strings.Repeat("0", d-len(frac)), "0")
	const maxDigits = "9223372036854775807" // math.MaxInt64
	if len(digits) > len(maxDigits) || len(digits) == len(maxDigits) && digits > maxDigits {
		return 0, fmt.Errorf("%w: amount %q of %s does not fit in 64-bit minor units", ErrInvalid, amount, currency)
	}
	var n int64
	for _, c := range digits {
		n = n*10 + int64(c-'0')
	}
	return n, nil
}

// FormatMinor turns integer minor units back into the shortest decimal
// string (1250 USD → "12.5").
func FormatMinor(minor int64, currency string) string {
	d := Decimals(currency)
	neg := minor < 0
	abs := uint64(minor)
	if neg {
		abs = -abs // two's complement: right even for math.MinInt64
	}
	s := fmt.Sprintf("%0*d", d+1, abs)
	whole, frac := s[:len(s)-d], strings.TrimRight(s[len(s)-d:], "0")
	out := whole
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// Country returns the ISO 3166-1 alpha-2 part of an ISO 3166-2 region
// ("US-CA" → "US"), or the region itself when it is already a country.
func Country(region string) string {
	c, _, _ := strings.Cut(region, "-")
	return c
}

// wireTimeProblem says why t cannot be a listing's time, or "": times are
// UTC (so that a decoded listing equals the one encoded) and within the
// years RFC 3339 can write.
func wireTimeProblem(t time.Time) string {
	switch {
	case t.Location() != time.UTC:
		return fmt.Sprintf("must be in UTC (use t.UTC()), got zone %s", t.Location())
	case t.Year() < 1 || t.Year() > 9999:
		return fmt.Sprintf("must be within the years 0001-9999, got %d", t.Year())
	}
	return ""
}

func fractionDigits(amount string) int {
	_, frac, _ := strings.Cut(amount, ".")
	return len(frac)
}

func isHTTPURL(s string) bool {
	return strings.HasPrefix(s, "https://") && len(s) > len("https://") ||
		strings.HasPrefix(s, "http://") && len(s) > len("http://")
}

func oneOf[T comparable](v T, set []T) bool {
	for _, s := range set {
		if v == s {
			return true
		}
	}
	return false
}

func list[T ~string](set []T) string {
	parts := make([]string, len(set))
	for i, s := range set {
		parts[i] = string(s)
	}
	return strings.Join(parts, "|")
}
