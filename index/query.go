package index

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sovereign-marketplace/market/listing"
)

// ErrInvalidQuery is wrapped by every error about a bad query. The message
// starts with the parameter's name ("cursor: ...", "radius_km: ...").
var ErrInvalidQuery = errors.New("invalid query")

// Sort orders.
const (
	SortRelevance = "relevance" // best text match first; the default when Text has words or phrases
	SortNewest    = "newest"    // most recently published first; the default otherwise
	SortPriceAsc  = "price_asc" // lowest amount in minor units first
	SortPriceDesc = "price_desc"
	SortDistance  = "distance" // nearest to Near first; needs Near, the default with it when Text has no words
)

// Limits on a query.
const (
	DefaultLimit = 20
	MaxLimit     = 100
	MaxTextBytes = 500 // q longer than this is refused
	MaxTextParts = 32  // words, phrases and exclusions together (see also MaxPhrases, MaxExclusions, MaxPhraseCost)
	MaxRadiusKm  = 20000
	maxListParam = 50 // values of one repeatable parameter
)

// Query is one search. The zero Query browses everything, newest first.
//
// Values within Types, PriceTypes and PricingModels are alternatives (any
// of them); every tag in Tags must be present (all of them); different
// parameters all apply. PriceMin and PriceMax are integer minor units of
// Currency (cents for USD) and need Currency to be set, because amounts in
// different currencies cannot be compared.
type Query struct {
	Text          string // full text: words (all must match), "quoted phrases", -excluded words or -"phrases"
	Types         []string
	Tags          []string
	PriceTypes    []string
	PricingModels []string
	Region        string // "US" matches US and every US-*; "US-CA" matches exactly
	Currency      string
	PriceMin      *int64 // minor units of Currency, inclusive
	PriceMax      *int64 // minor units of Currency, inclusive
	Seller        string // a seller's actor id (URL) or a host name
	Near          *GeoPoint
	RadiusKm      float64 // required with Near, (0, 20000]
	Sort          string  // relevance, newest, price_asc, price_desc, distance
	Limit         int     // default 20, at most 100
	Cursor        string  // NextCursor of the previous page
	Facets        bool    // count facets over every match
}

// Result is one page of hits.
type Result struct {
	Total      uint64 // every match, not only this page
	Hits       []Hit
	Facets     Facets // filled when Query.Facets is set
	NextCursor string // empty on the last page
	Took       time.Duration
}

// Hit is one matching listing, with what a result list shows.
type Hit struct {
	ID          string // the listing's ActivityPub object id
	URL         string // where the listing can be fetched (its object id)
	Title       string
	Summary     string // HTML: escaped text, matched words in <mark> when Text is set
	ListingType string
	Price       Price
	Tags        []string
	Region      string
	Seller      Seller
	Published   time.Time
	Updated     time.Time
	DistanceKm  float64   // from Near, when set
	Score       float64   // text relevance, when Text is set
	Location    *GeoPoint // where the listing says it is; nil when it gives no point
}

// Price is a hit's price; Amount is the decimal string the listing gave.
type Price struct {
	Amount, Currency, PriceType, PricingModel string
}

// Seller is who sells a hit.
type Seller struct {
	ID, Name, Host string
}

// Facets are counts per value over every match of a query. Each list is
// sorted by count, highest first, then by value; Tags holds the top 20.
// PriceBand uses the labels of PriceBands, in major units of each
// listing's own currency, cheapest first. Values with no match are left
// out; every list is non-nil. Approximate is true when a text query matched
// more listings than the index walks (FacetCap): the counts then cover the
// first FacetCap matches in index order only.
type Facets struct {
	ListingType, Tags, Region, PriceType, PricingModel, Currency, PriceBand []FacetCount
	Approximate                                                             bool
}

// FacetCount is how many matches have one value.
type FacetCount struct {
	Value string
	Count int
}

// TopTags is how many tags the tag facet lists.
const TopTags = 20

// Text is a parsed full-text query.
type Text struct {
	Words    []string // each must match
	Phrases  []string // each must match as a phrase
	Excluded []string // none may match; a value with spaces is a phrase
}

// Empty reports whether the text asks for nothing.
func (t Text) Empty() bool { return len(t.Words)+len(t.Phrases)+len(t.Excluded) == 0 }

// ParseText parses the q parameter: whitespace-separated words,
// "quoted phrases" (an unclosed quote runs to the end), and exclusions
// written -word or -"phrase". A lone "-" or empty quotes are ignored.
// Control characters count as spaces. It refuses more than MaxTextParts
// parts, MaxPhrases phrases or MaxExclusions exclusions.
func ParseText(q string) (Text, error) {
	var t Text
	if len(q) > MaxTextBytes {
		return t, fmt.Errorf("%w: q: is %d bytes long, at most %d allowed", ErrInvalidQuery, len(q), MaxTextBytes)
	}
	if !utf8.ValidString(q) {
		return t, fmt.Errorf("%w: q: is not valid UTF-8", ErrInvalidQuery)
	}
	q = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, q)
	for i := 0; i < len(q); {
		if q[i] == ' ' {
			i++
			continue
		}
		neg := false
		if q[i] == '-' {
			neg = true
			i++
		}
		var part string
		phrase := false
		if i < len(q) && q[i] == '"' {
			phrase = true
			end := strings.IndexByte(q[i+1:], '"')
			if end < 0 {
				part, i = q[i+1:], len(q)
			} else {
				part, i = q[i+1:i+1+end], i+1+end+1
			}
			part = strings.Join(strings.Fields(part), " ")
		} else {
			end := strings.IndexAny(q[i:], ` "`)
			if end < 0 {
				end = len(q) - i
			}
			part, i = q[i:i+end], i+end
		}
		if part == "" {
			continue
		}
		switch {
		case neg:
			t.Excluded = append(t.Excluded, part)
		case phrase && strings.Contains(part, " "):
			t.Phrases = append(t.Phrases, part)
		default:
			t.Words = append(t.Words, part)
		}
		if n := len(t.Words) + len(t.Phrases) + len(t.Excluded); n > MaxTextParts {
			return Text{}, fmt.Errorf("%w: q: has more than %d words, phrases and exclusions", ErrInvalidQuery, MaxTextParts)
		}
		if len(t.Phrases) > MaxPhrases {
			return Text{}, fmt.Errorf("%w: q: has more than %d \"quoted phrases\"", ErrInvalidQuery, MaxPhrases)
		}
		if len(t.Excluded) > MaxExclusions {
			return Text{}, fmt.Errorf("%w: q: has more than %d -exclusions", ErrInvalidQuery, MaxExclusions)
		}
	}
	return t, nil
}

// String writes the text back in the syntax ParseText reads.
func (t Text) String() string {
	var parts []string
	for _, w := range t.Words {
		if strings.HasPrefix(w, "-") {
			w = `"` + w + `"` // quoted, so it does not read as an exclusion
		}
		parts = append(parts, w)
	}
	for _, p := range t.Phrases {
		parts = append(parts, `"`+p+`"`)
	}
	for _, e := range t.Excluded {
		if strings.Contains(e, " ") {
			parts = append(parts, `-"`+e+`"`)
		} else {
			parts = append(parts, "-"+e)
		}
	}
	return strings.Join(parts, " ")
}

// plan is a validated, normalized query.
type plan struct {
	q          Query
	text       *Text // nil without text
	sort       string
	limit      int
	after      *cursor
	hash       uint64
	region     string
	country    bool // region is a country: match its subdivisions too
	box        bbox
	near       *GeoPoint
	priceRange bool
	lo, hi     int64
	now        int64 // unix ms when the query arrived
}

func invalid(param, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrInvalidQuery, param, fmt.Sprintf(format, args...))
}

func checkList(param string, vals []string, allowed []string) ([]string, error) {
	if len(vals) > maxListParam {
		return nil, invalid(param, "at most %d values allowed, got %d", maxListParam, len(vals))
	}
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if allowed != nil && !contains(allowed, v) {
			return nil, invalid(param, "must be one of %s, got %q", strings.Join(allowed, "|"), v)
		}
		out = append(out, v)
	}
	sort.Strings(out)
	return out, nil
}

func contains(set []string, v string) bool {
	for _, s := range set {
		if s == v {
			return true
		}
	}
	return false
}

func names[T ~string](vals []T) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = string(v)
	}
	return out
}

// newPlan validates q and fills in defaults.
func newPlan(q Query) (*plan, error) {
	p := &plan{q: q, now: time.Now().UnixMilli()}
	var err error
	if strings.TrimSpace(q.Text) != "" {
		t, err := ParseText(q.Text)
		if err != nil {
			return nil, err
		}
		if !t.Empty() {
			p.text = &t
		}
	}
	if p.q.Types, err = checkList("type", q.Types, names(listing.Types)); err != nil {
		return nil, err
	}
	if p.q.PriceTypes, err = checkList("price_type", q.PriceTypes, names(listing.PriceTypes)); err != nil {
		return nil, err
	}
	if p.q.PricingModels, err = checkList("pricing_model", q.PricingModels, names(listing.PricingModels)); err != nil {
		return nil, err
	}
	if p.q.Tags, err = checkList("tag", normTags(q.Tags), nil); err != nil {
		return nil, err
	}
	for _, t := range p.q.Tags {
		if utf8.RuneCountInString(t) > listing.MaxTagLen {
			return nil, invalid("tag", "must be at most %d characters, got %q", listing.MaxTagLen, t)
		}
	}
	if q.Region != "" {
		p.region = strings.ToUpper(strings.TrimSpace(q.Region))
		if !listing.ValidRegion(p.region) {
			return nil, invalid("region", "must be an ISO 3166-1 country (\"US\") or ISO 3166-2 subdivision (\"US-CA\"), got %q", q.Region)
		}
		p.country = !strings.Contains(p.region, "-")
		p.q.Region = p.region
	}
	if q.Currency != "" && !listing.ValidCurrency(q.Currency) {
		return nil, invalid("currency", "must be an ISO 4217 code such as \"USD\", \"HOUR\" or a CAIP-19 asset id, got %q", q.Currency)
	}
	if q.PriceMin != nil || q.PriceMax != nil {
		param := "price_min"
		if q.PriceMin == nil {
			param = "price_max"
		}
		if q.Currency == "" {
			return nil, invalid(param, "needs currency: amounts are minor units of one currency")
		}
		// Errors speak the currency's units, as amounts are given on the
		// wire, not the minor units the index keeps.
		amount := func(minor int64) string { return listing.FormatMinor(minor, q.Currency) + " " + q.Currency }
		p.priceRange, p.lo, p.hi = true, 0, math.MaxInt64
		if q.PriceMin != nil {
			if *q.PriceMin < 0 {
				return nil, invalid("price_min", "must be at least 0, got %s", amount(*q.PriceMin))
			}
			p.lo = *q.PriceMin
		}
		if q.PriceMax != nil {
			if *q.PriceMax < 0 {
				return nil, invalid("price_max", "must be at least 0, got %s", amount(*q.PriceMax))
			}
			p.hi = *q.PriceMax
		}
		if p.lo > p.hi {
			return nil, invalid("price_max", "must not be below price_min (%s), got %s", amount(p.lo), amount(p.hi))
		}
	}
	if len(q.Seller) > 2048 {
		return nil, invalid("seller", "is longer than 2048 bytes")
	}
	if strings.Contains(q.Seller, "://") {
		p.q.Seller = q.Seller
	} else {
		p.q.Seller = strings.ToLower(strings.TrimSpace(q.Seller))
	}
	if q.Near != nil {
		n := *q.Near
		if !(n.Lat >= -90 && n.Lat <= 90) {
			return nil, invalid("near", "latitude must be between -90 and 90, got %v", n.Lat)
		}
		if !(n.Lon >= -180 && n.Lon <= 180) {
			return nil, invalid("near", "longitude must be between -180 and 180, got %v", n.Lon)
		}
		if !(q.RadiusKm > 0 && q.RadiusKm <= MaxRadiusKm) {
			return nil, invalid("radius_km", "must be above 0 and at most %d with near, got %v", MaxRadiusKm, q.RadiusKm)
		}
		p.near = &n
		p.box = circleBox(n, q.RadiusKm)
	} else if q.RadiusKm != 0 {
		return nil, invalid("radius_km", "needs near=lat,lon")
	}
	switch q.Sort {
	case "":
		switch {
		case p.hasWords():
			p.sort = SortRelevance
		case p.near != nil:
			p.sort = SortDistance
		default:
			p.sort = SortNewest
		}
	case SortRelevance:
		if !p.hasWords() {
			return nil, invalid("sort", "relevance needs q with at least one word or phrase")
		}
		p.sort = q.Sort
	case SortDistance:
		if p.near == nil {
			return nil, invalid("sort", "distance needs near=lat,lon and radius_km")
		}
		p.sort = q.Sort
	case SortNewest, SortPriceAsc, SortPriceDesc:
		p.sort = q.Sort
	default:
		return nil, invalid("sort", "must be one of relevance|newest|price_asc|price_desc|distance, got %q", q.Sort)
	}
	p.q.Sort = p.sort
	switch {
	case q.Limit == 0:
		p.limit = DefaultLimit
	case q.Limit < 0 || q.Limit > MaxLimit:
		return nil, invalid("limit", "must be between 1 and %d, got %d", MaxLimit, q.Limit)
	default:
		p.limit = q.Limit
	}
	p.hash = p.fingerprint()
	if q.Cursor != "" {
		c, err := decodeCursor(q.Cursor)
		if err != nil {
			return nil, err
		}
		if c.Hash != p.hash {
			return nil, invalid("cursor", "belongs to another query (parameters other than limit, cursor and facets must stay the same)")
		}
		p.after = c
	}
	return p, nil
}

// hasWords reports whether the query has text with a word or phrase to
// match (and not only exclusions).
func (p *plan) hasWords() bool {
	return p.text != nil && len(p.text.Words)+len(p.text.Phrases) > 0
}

// fingerprint hashes what decides which hits a query has and their order.
func (p *plan) fingerprint() uint64 {
	h := fnv.New64a()
	q := p.q
	q.Cursor, q.Limit, q.Facets = "", 0, false
	if p.text != nil {
		q.Text = p.text.String()
	} else {
		q.Text = ""
	}
	b, _ := json.Marshal(q)
	h.Write(b)
	return h.Sum64()
}

// cursor is where the previous page ended: the last hit's sort key, tie
// key (a hash of its id) and id. Because every sort ends with the tie key
// and the id, paging by key stays exact while listings are added or
// removed: a hit never shows twice and a listing present the whole time is
// never skipped.
//
// Relevance scores are not fixed: they move as listings come and go. So a
// relevance cursor points into a kept ranking (T, P; see ranking.go); the
// last hit's id lets it continue after that hit's current score when the
// ranking has expired.
type cursor struct {
	V    int     `json:"v"`
	Hash uint64  `json:"h"`
	Key  float64 `json:"k"`
	Tie  float64 `json:"n"`
	ID   string  `json:"i,omitempty"`
	T    string  `json:"t,omitempty"` // the kept ranking
	P    int     `json:"p,omitempty"` // position in it
}

const cursorVersion = 1

// maxCursorLen bounds a cursor: base64 of a cursor whose id is MaxURL
// characters of up to 4 bytes each, and room to spare.
const maxCursorLen = 16 << 10

func (c *cursor) encode() string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // ids are URLs: keep their & as it is
	_ = enc.Encode(c)
	return base64.RawURLEncoding.EncodeToString(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

func decodeCursor(s string) (*cursor, error) {
	if len(s) > maxCursorLen {
		return nil, invalid("cursor", "is too long; pass next_cursor from the previous page unchanged")
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, invalid("cursor", "is not one this server issued; pass next_cursor from the previous page unchanged")
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.V != cursorVersion {
		return nil, invalid("cursor", "is not one this server issued; pass next_cursor from the previous page unchanged")
	}
	// Every number is bounded here, so that no later use of it (a search
	// after, a position in a kept ranking) can go out of range.
	if math.IsNaN(c.Key) || math.IsInf(c.Key, 0) {
		return nil, invalid("cursor", "holds an invalid sort key; pass next_cursor from the previous page unchanged")
	}
	if !(c.Tie >= 0 && c.Tie < 1<<52) || c.Tie != math.Trunc(c.Tie) {
		return nil, invalid("cursor", "holds an invalid tie key; pass next_cursor from the previous page unchanged")
	}
	if c.P < 0 || c.P >= maxRankedIDs {
		return nil, invalid("cursor", "holds an invalid position; pass next_cursor from the previous page unchanged")
	}
	return &c, nil
}
