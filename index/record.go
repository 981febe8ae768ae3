package index

import (
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/sovereign-marketplace/market/listing"
)

// summaryBytes is how much of a listing's description the index keeps in
// memory (and in the stored record) to build hit summaries from.
const summaryBytes = 400

// stored is the compact record kept in the Bleve index as one stored,
// unindexed field. Open loads every record back into memory, so hits and
// facets never read Bleve's stored fields at query time.
type stored struct {
	ID         string   `json:"i"`
	Title      string   `json:"t"`
	Text       string   `json:"x,omitempty"`
	Lang       string   `json:"l"`
	Type       string   `json:"y"`
	Amount     string   `json:"a,omitempty"`
	Minor      int64    `json:"m,omitempty"`
	HasMinor   bool     `json:"hm,omitempty"`
	Currency   string   `json:"c,omitempty"`
	PriceType  string   `json:"pt"`
	Model      string   `json:"pm"`
	Tags       []string `json:"g,omitempty"`
	Region     string   `json:"r,omitempty"`
	Seller     string   `json:"s"`
	SellerName string   `json:"sn,omitempty"`
	Host       string   `json:"h"`
	Published  int64    `json:"p"`
	Updated    int64    `json:"u"`
	Received   int64    `json:"rc,omitempty"`
	Lat        float64  `json:"la,omitempty"`
	Lon        float64  `json:"lo,omitempty"`
	HasLoc     bool     `json:"hl,omitempty"`
}

// rec is one listing as the in-memory table holds it: strings that facets
// and filters look at are interned to small integer codes.
type rec struct {
	s                                        *stored
	typ, ptype, pmodel, cur, region, country uint32
	seller, host, band                       uint32
	tags                                     []uint32
	published                                int64 // unix milliseconds
	price                                    float64
	pos                                      int // index in table.all
}

// dict interns the values of one dimension. Code 0 means "no value".
type dict struct {
	codes map[string]uint32
	vals  []string
}

func newDict() *dict { return &dict{codes: map[string]uint32{}, vals: []string{""}} }

func (d *dict) code(s string) uint32 {
	if s == "" {
		return 0
	}
	if c, ok := d.codes[s]; ok {
		return c
	}
	c := uint32(len(d.vals))
	d.codes[s] = c
	d.vals = append(d.vals, s)
	return c
}

// lookup returns the code of s, or false when no listing ever had it.
func (d *dict) lookup(s string) (uint32, bool) {
	c, ok := d.codes[s]
	return c, ok
}

// table is the in-memory copy of every indexed listing's record. It
// answers filter-only queries, counts facets exactly, and fills hits.
type table struct {
	byID                                     map[string]*rec
	all                                      []*rec
	typ, ptype, pmodel, cur, region, country *dict
	seller, host, tag, band                  *dict
	langs                                    map[string]int // listings per analyzer
}

func newTable() *table {
	return &table{
		byID: map[string]*rec{},
		typ:  newDict(), ptype: newDict(), pmodel: newDict(), cur: newDict(),
		region: newDict(), country: newDict(), seller: newDict(), host: newDict(),
		tag: newDict(), band: newDict(),
		langs: map[string]int{},
	}
}

func (t *table) put(s *stored) {
	if old, ok := t.byID[s.ID]; ok {
		t.remove(old)
	}
	r := &rec{
		s:   s,
		typ: t.typ.code(s.Type), ptype: t.ptype.code(s.PriceType), pmodel: t.pmodel.code(s.Model),
		cur: t.cur.code(s.Currency), region: t.region.code(s.Region),
		country: t.country.code(listing.Country(s.Region)),
		seller:  t.seller.code(s.Seller), host: t.host.code(s.Host),
		published: s.Published,
		price:     float64(s.Minor),
	}
	if s.HasMinor {
		r.band = t.band.code(priceBand(s.Minor, s.Currency))
	}
	r.tags = make([]uint32, len(s.Tags))
	for i, tg := range s.Tags {
		r.tags[i] = t.tag.code(tg)
	}
	r.pos = len(t.all)
	t.all = append(t.all, r)
	t.byID[s.ID] = r
	t.langs[s.Lang]++
}

func (t *table) remove(r *rec) {
	last := t.all[len(t.all)-1]
	t.all[r.pos] = last
	last.pos = r.pos
	t.all[len(t.all)-1] = nil
	t.all = t.all[:len(t.all)-1]
	delete(t.byID, r.s.ID)
	if t.langs[r.s.Lang]--; t.langs[r.s.Lang] <= 0 {
		delete(t.langs, r.s.Lang)
	}
}

func (t *table) delete(id string) {
	if r, ok := t.byID[id]; ok {
		t.remove(r)
	}
}

// activeLangs returns the analyzers at least one listing uses, sorted.
func (t *table) activeLangs() []string {
	out := make([]string, 0, len(t.langs))
	for l := range t.langs {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// priceBands are the facet buckets, in major units of a listing's own
// currency: [0,10), [10,50), [50,100), [100,500), [500,1000), [1000,∞).
var priceBands = []struct {
	label string
	upTo  int64 // exclusive upper bound in major units; 0 = unbounded
}{{"0-10", 10}, {"10-50", 50}, {"50-100", 100}, {"100-500", 500}, {"500-1000", 1000}, {"1000+", 0}}

// PriceBands lists the values of the price_band facet, cheapest first.
func PriceBands() []string {
	out := make([]string, len(priceBands))
	for i, b := range priceBands {
		out[i] = b.label
	}
	return out
}

func priceBand(minor int64, currency string) string {
	scale := int64(1)
	for i := 0; i < listing.Decimals(currency) && scale < 1e17; i++ {
		scale *= 10
	}
	for _, b := range priceBands {
		if b.upTo == 0 || minor < b.upTo*scale {
			return b.label
		}
	}
	return priceBands[len(priceBands)-1].label
}

var (
	tagRE   = regexp.MustCompile(`<[^>]*>`)
	spaceRE = regexp.MustCompile(`\s+`)
)

// plainText strips simple HTML from a description and folds whitespace.
func plainText(s string) string {
	if strings.ContainsRune(s, '<') {
		s = tagRE.ReplaceAllString(s, " ")
	}
	s = html.UnescapeString(s)
	return strings.TrimSpace(spaceRE.ReplaceAllString(s, " "))
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// newStored turns a listing and what the relay knows about it into the
// record the index keeps, checking what the index relies on.
func newStored(l *listing.Listing, m Meta) (*stored, error) {
	if l == nil {
		return nil, fmt.Errorf("index listing: listing is nil")
	}
	if l.FederatedAPID == "" {
		return nil, fmt.Errorf("index listing %q: federated_ap_id is required, it is the document id", l.ID)
	}
	s := &stored{
		ID:         l.FederatedAPID,
		Title:      l.Title,
		Text:       truncate(plainText(l.Description), summaryBytes),
		Lang:       analyzerFor(l.Language),
		Type:       string(l.Type),
		Amount:     l.Price.Amount,
		Currency:   l.Price.Currency,
		PriceType:  string(l.Price.Type),
		Model:      string(l.Price.Model),
		Tags:       normTags(l.Tags),
		Region:     strings.ToUpper(l.Region),
		Seller:     l.Owner,
		SellerName: m.SellerName,
		Host:       strings.ToLower(m.SellerHost),
		Published:  l.Created.UnixMilli(),
		Updated:    l.Updated.UnixMilli(),
	}
	if s.Host == "" {
		s.Host = hostOf(l.Owner)
	}
	if l.Updated.IsZero() {
		s.Updated = s.Published
	}
	if !m.Received.IsZero() {
		s.Received = m.Received.UnixMilli()
	}
	if s.Currency == "" && l.Price.Type == listing.PriceTimeCredit {
		s.Currency = listing.CurrencyTimeCredit
	}
	if l.Price.Amount != "" {
		minor, err := listing.MinorUnits(l.Price.Amount, s.Currency)
		if err != nil {
			return nil, fmt.Errorf("index listing %s: price.amount: %w", s.ID, err)
		}
		s.Minor, s.HasMinor = minor, true
	} else if l.Price.Type == listing.PriceFree {
		s.HasMinor = true
	}
	if p := l.Location; p != nil {
		s.Lat, s.Lon, s.HasLoc = p.Lat, p.Lon, true
	}
	return s, nil
}

// normTags lower-cases tags and drops a leading '#' and duplicates.
func normTags(tags []string) []string {
	if len(tags) == 0 {
		return nil
	}
	out := make([]string, 0, len(tags))
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		t = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(t), "#"))
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// hostOf returns the lower-cased host of an actor URL.
func hostOf(actor string) string {
	s := actor
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndex(s, "@"); i >= 0 {
		s = s[i+1:]
	}
	return strings.ToLower(s)
}

// bleveDoc is the document Bleve indexes for a record.
func bleveDoc(s *stored, l *listing.Listing) (map[string]any, error) {
	raw, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("encode record %s: %w", s.ID, err)
	}
	d := map[string]any{
		fTitle + s.Lang: l.Title,
		fDesc + s.Lang:  plainText(l.Description),
		fType:           s.Type,
		fPriceType:      s.PriceType,
		fModel:          s.Model,
		fSeller:         s.Seller,
		fHost:           s.Host,
		fPublished:      float64(s.Published),
		fUpdated:        float64(s.Updated),
		fRecord:         string(raw),
	}
	if len(s.Tags) > 0 {
		d[fTag] = s.Tags
	}
	if s.Currency != "" {
		d[fCurrency] = s.Currency
	}
	if s.HasMinor {
		d[fPrice] = float64(s.Minor)
	}
	if s.Region != "" {
		d[fRegion] = s.Region
		d[fCountry] = listing.Country(s.Region)
	}
	if s.HasLoc {
		d[fCell] = geoCells(s.Lat, s.Lon)
	}
	return d, nil
}

func sortStrings(s []string) { sort.Strings(s) }
