package listing

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
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

// Valid reports whether t is one of Types.
func (t Type) Valid() bool { return oneOf(t, Types) }

// PriceType says how the price reads: a fixed sum, a rate per unit of
// time (per second, minute, hour, day or week), open to negotiation, free,
// or in time credits.
type PriceType string

// Price types.
const (
	PriceFixed      PriceType = "fixed"
	PriceHourly     PriceType = "hourly"
	PriceNegotiable PriceType = "negotiable"
	PriceFree       PriceType = "free"
	PriceTimeCredit PriceType = "time_credit"
	PricePerSecond  PriceType = "per_second"
	PricePerMinute  PriceType = "per_minute"
	PriceDaily      PriceType = "daily"
	PriceWeekly     PriceType = "weekly"
)

// PriceTypes lists every valid PriceType.
var PriceTypes = []PriceType{PriceFixed, PriceHourly, PriceNegotiable, PriceFree, PriceTimeCredit, PricePerSecond, PricePerMinute, PriceDaily, PriceWeekly}

// Valid reports whether t is one of PriceTypes.
func (t PriceType) Valid() bool { return oneOf(t, PriceTypes) }

// rateUnits maps each rate's price type to its unit of time, named as the
// Ontology of units of Measure (OM 2) names it on the wire.
var rateUnits = map[PriceType]string{
	PricePerSecond: "second",
	PricePerMinute: "minute",
	PriceHourly:    "hour",
	PriceDaily:     "day",
	PriceWeekly:    "week",
}

// TimeUnit returns the unit of time a rate is priced per ("second",
// "minute", "hour", "day" or "week"), or "" when t is not a rate. The
// amount of a rate is the price of one such unit.
func (t PriceType) TimeUnit() string { return rateUnits[t] }

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

// Valid reports whether m is one of PricingModels.
func (m PricingModel) Valid() bool { return oneOf(m, PricingModels) }

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
// in the currency's major unit ("30" USD, "0.00000002" XMR), never a
// float; use MinorUnits for integer arithmetic. For a CAIP-19 asset whose
// decimals this package does not know, Amount is a whole number of the
// asset's atomic units and the price has no minor units (see
// ErrUnknownAsset). For a rate (see PriceType.TimeUnit), Amount is the
// price of one unit of time.
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
//
// Resource is the primary Intent's resourceConformsTo on the wire, such as
// Wikidata's "user-generated content" (https://www.wikidata.org/wiki/Q579716)
// on a Mitra subscription; it is optional. Created is the object's
// "published": Decode leaves it zero when the object has none, and the
// caller decides (a relay keeps the time it first saw the listing).
type Listing struct {
	ID            string       `json:"id"`                 // the hub's own id for the listing
	Owner         string       `json:"owner"`              // the seller's actor id (a URL)
	Type          Type         `json:"listing_type"`       // data_product, service, physical or digital
	Title         string       `json:"title"`              // short, plain text: one line, no control characters, something visible
	Description   string       `json:"description"`        // plain text: lines, no other control characters
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
	Resource      string       `json:"resource,omitempty"`        // what kind of thing is offered, a URI
	Escrows       []Escrow     `json:"escrows,omitempty"`         // the escrows the seller accepts, at most MaxEscrows
	URL           string       `json:"url,omitempty"`             // the listing's web page, for people
	Created       time.Time    `json:"created"`                   // when the seller published it
	Updated       time.Time    `json:"updated"`
}

// Free reports whether the listing costs nothing (no escrow is needed).
func (l *Listing) Free() bool { return l.Price.Type == PriceFree }

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

// Limits on field sizes, in characters (Unicode code points) unless said
// otherwise. They keep one listing small enough to index and to federate,
// and bound what a remote object can make a relay store. Validate refuses
// longer values; Decode shortens the display text of a remote object
// (title, description) to them and drops tags that break them.
const (
	MaxTitle       = 200
	MaxDescription = 20000
	MaxTags        = 30
	MaxTagLen      = 64
	MaxURL         = 2048     // ids, owners and other URIs
	MaxFormat      = 32       // a data product's format name
	MaxSchema      = 16 << 10 // bytes of a data product's schema
	MaxSample      = 64 << 10 // bytes of a data product's sample
	maxLanguage    = 35       // BCP 47 tags, as RFC 5646 asks every reader to handle
	maxAtomic      = 78       // digits of an unknown asset's amount: a 256-bit integer
	maxWireNumber  = maxAtomic + 1 + 19
)

var (
	decimalRE  = regexp.MustCompile(`^(0|[1-9][0-9]{0,18})(\.[0-9]{1,18})?$`)
	atomicRE   = regexp.MustCompile(`^(0|[1-9][0-9]{0,77})$`)
	currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)
	caip19RE   = regexp.MustCompile(`^[-a-z0-9]{3,8}:[-_a-zA-Z0-9]{1,32}/[-a-z0-9]{3,8}:[-.%a-zA-Z0-9]{1,128}$`)
	regionRE   = regexp.MustCompile(`^[A-Z]{2}(-[A-Z0-9]{1,3})?$`)
	langRE     = regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$`)
)

// Validate checks every field of l and returns a ValidationError naming
// each wrong one, or nil.
//
// Text fields are plain text: the title is one line of at most MaxTitle
// characters with something visible in it (not only spaces or invisible
// characters); the description and a data product's sample may hold line
// breaks and tabs. None may hold other control characters (C0, DEL, C1) or
// the bidirectional embedding, override and isolate controls (U+202A to
// U+202E, U+2066 to U+2069), which make text read differently from how it
// is stored. Ids, the owner and other URIs are at most MaxURL characters,
// and the owner and the object id follow IsHTTPURL.
func Validate(l *Listing) error {
	var errs ValidationError
	bad := func(field, format string, args ...any) {
		errs = append(errs, FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
	}
	text := func(field, s string, max int, multiline bool) {
		if p := textProblem(s, max, multiline); p != "" {
			bad(field, "%s", p)
		}
	}
	if l.ID == "" {
		bad("id", "is required")
	} else {
		text("id", l.ID, MaxURL, false)
	}
	if p := urlProblem(l.Owner); p != "" {
		bad("owner", "must be the seller's actor URL: %s", p)
	}
	if !l.Type.Valid() {
		bad("listing_type", "must be one of %s, got %q", list(Types), l.Type)
	}
	if strings.TrimSpace(l.Title) == "" {
		bad("title", "is required")
	} else if p := textProblem(l.Title, MaxTitle, false); p != "" {
		bad("title", "%s", p)
	} else if !visible(l.Title) {
		bad("title", "must contain a visible character, got only spaces or invisible characters")
	}
	text("description", l.Description, MaxDescription, true)
	if l.Language != "" && (len(l.Language) > maxLanguage || !langRE.MatchString(l.Language)) {
		bad("language", "must be a BCP 47 tag of at most %d characters such as \"en\" or \"pt-BR\", got %q", maxLanguage, short(l.Language))
	}
	validatePrice(&l.Price, bad)
	if !oneOf(l.Status, Statuses) {
		bad("status", "must be one of %s, got %q", list(Statuses), l.Status)
	}
	if len(l.Tags) > MaxTags {
		bad("tags", "has %d tags, at most %d allowed", len(l.Tags), MaxTags)
	}
	for i, t := range l.Tags {
		if p := tagProblem(t); p != "" {
			bad(fmt.Sprintf("tags[%d]", i), "%s", p)
		}
	}
	if !oneOf(l.LocationPref, LocationPrefs) {
		bad("location_pref", "must be one of %s, got %q", list(LocationPrefs), l.LocationPref)
	}
	if !oneOf(l.Visibility, Visibilities) {
		bad("visibility", "must be one of %s, got %q", list(Visibilities), l.Visibility)
	}
	if l.Region != "" && !ValidRegion(l.Region) {
		bad("region", "must be an ISO 3166-2 code such as \"US-CA\" or a country code such as \"US\", got %q", short(l.Region))
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
		text("data_product.format", p.Format, MaxFormat, false)
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
		} else {
			text("data_product.sample", p.Sample, MaxSample, true)
		}
	}
	if l.DataProductID != "" && l.Type != TypeDataProduct {
		bad("data_product_id", "is only allowed on listings of type data_product, this one is %q", l.Type)
	}
	text("data_product_id", l.DataProductID, MaxURL, false)
	if l.FederatedAPID != "" {
		if p := urlProblem(l.FederatedAPID); p != "" {
			bad("federated_ap_id", "%s", p)
		}
	}
	if l.URL != "" {
		if p := urlProblem(l.URL); p != "" {
			bad("url", "%s", p)
		}
	}
	if l.Resource != "" && !isResource(l.Resource) {
		bad("resource", "must be an http or https URL or a URN of at most %d characters, such as \"https://www.wikidata.org/wiki/Q579716\", got %q", MaxURL, short(l.Resource))
	}
	if len(l.Escrows) > MaxEscrows {
		bad("escrows", "names %d escrows, at most %d allowed", len(l.Escrows), MaxEscrows)
	}
	for i, e := range l.Escrows {
		if field, problem := e.problem(); problem != "" {
			bad(fmt.Sprintf("escrows[%d]", i)+field, "%s", problem)
		} else if e.Kind == EscrowEVM && e.Decimals < Decimals(l.Price.Currency) {
			bad(fmt.Sprintf("escrows[%d].decimals", i), "the token's %d decimals are fewer than the price's currency %s has (%d)", e.Decimals, l.Price.Currency, Decimals(l.Price.Currency))
		}
	}
	if l.Free() && len(l.Escrows) > 0 {
		bad("escrows", "a free listing has nothing to hold in escrow")
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
	if !p.Type.Valid() {
		bad("price.price_type", "must be one of %s, got %q", list(PriceTypes), p.Type)
	}
	if !p.Model.Valid() {
		bad("price.pricing_model", "must be one of %s, got %q", list(PricingModels), p.Model)
	}
	if p.Type == PriceFree {
		if p.Amount != "" && p.Amount != "0" {
			bad("price.amount", "must be empty or \"0\" for a free listing, got %q", short(p.Amount))
		}
		return
	}
	currency := p.Currency
	if p.Type == PriceTimeCredit {
		if p.Currency != "" && p.Currency != CurrencyTimeCredit {
			bad("price.currency", "must be %q or empty for time credits, got %q", CurrencyTimeCredit, short(p.Currency))
		}
		currency = CurrencyTimeCredit
	} else if !ValidCurrency(p.Currency) {
		bad("price.currency", "must be an ISO 4217 code such as \"USD\" or a CAIP-19 asset id, got %q", short(p.Currency))
	}
	if p := amountProblem(p.Amount, currency); p != "" {
		bad("price.amount", "%s", p)
	}
}

// amountProblem says why amount cannot be a price in currency, or "". The
// rule is MinorUnits': what passes here can be indexed.
func amountProblem(amount, currency string) string {
	if unknownAsset(currency) {
		if !atomicRE.MatchString(amount) {
			return fmt.Sprintf("must be a whole number of %s's atomic units (its decimals are not known) of at most %d digits, got %q", currency, maxAtomic, short(amount))
		}
		return ""
	}
	if !decimalRE.MatchString(amount) {
		return fmt.Sprintf("must be a non-negative decimal string such as \"12.50\", got %q", short(amount))
	}
	if d := Decimals(currency); fractionDigits(amount) > d {
		return fmt.Sprintf("has more than %d decimals for %s: %q", d, currency, amount)
	}
	if _, known := atomicDecimals(currency); known && !canonicalAmount(amount) {
		return fmt.Sprintf("must have no trailing zeros after the point for %s (it travels as a whole number of atomic units), got %q", currency, amount)
	}
	if _, err := MinorUnits(amount, currency); err != nil {
		return fmt.Sprintf("must be at most %s %s, the largest price a relay can index, got %q", FormatMinor(MaxMinor, currency), currency, amount)
	}
	return ""
}

// CurrencyTimeCredit is the currency of time-credit prices: one unit is one
// hour of someone's time.
const CurrencyTimeCredit = "HOUR"

// ValidCurrency reports whether c is an ISO 4217 code, the time-credit
// unit, or a CAIP-19 asset id.
func ValidCurrency(c string) bool {
	return currencyRE.MatchString(c) || caip19RE.MatchString(c) || c == CurrencyTimeCredit
}

// ValidRegion reports whether r is written as a listing's region: an ISO
// 3166-2 subdivision code ("US-CA") or an ISO 3166-1 alpha-2 country code
// ("US"), in upper case. It checks the form, not that the code is assigned.
func ValidRegion(r string) bool { return regionRE.MatchString(r) }

// ValidTag reports whether t can be a listing's tag: 1 to MaxTagLen
// characters of plain text with something visible, without spaces, commas
// or '#'.
func ValidTag(t string) bool { return tagProblem(t) == "" }

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

// IsHTTPURL reports whether s is an absolute http or https URL with a host
// name, without user information and without spaces or control
// characters. "http://a.example@b.example/" is refused: it reads as one
// host and goes to another. It is the one rule for actor and object ids,
// which the federation package shares.
func IsHTTPURL(s string) bool {
	if strings.ContainsAny(s, " \\") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Hostname() != "" && u.User == nil
}

// urlProblem says why s cannot be an id or owner of a listing, or "".
func urlProblem(s string) string {
	switch {
	case utf8.RuneCountInString(s) > MaxURL:
		return fmt.Sprintf("is %d characters long, at most %d allowed", utf8.RuneCountInString(s), MaxURL)
	case !IsHTTPURL(s):
		return fmt.Sprintf("must be an http or https URL with a host and no user name, got %q", short(s))
	}
	return ""
}

// isResource reports whether s can name a kind of resource: an http or
// https URL or a URN, at most MaxURL characters.
func isResource(s string) bool {
	if utf8.RuneCountInString(s) > MaxURL {
		return false
	}
	if rest, ok := strings.CutPrefix(s, "urn:"); ok {
		return rest != "" && textProblem(rest, MaxURL, false) == "" && !strings.ContainsAny(rest, " \t")
	}
	return IsHTTPURL(s)
}

// short returns s, or its first 64 characters and an ellipsis, for error
// messages that quote a value.
func short(s string) string {
	if utf8.RuneCountInString(s) <= 64 {
		return s
	}
	return string([]rune(s)[:64]) + "…"
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
