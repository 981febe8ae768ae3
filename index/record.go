package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"html"
	"math"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	bdoc "github.com/blevesearch/bleve/v2/document"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/sovereign-marketplace/market/listing"
)

// summaryBytes is how much of a listing's description the index keeps in
// memory (and in the stored record) to build hit summaries from.
const summaryBytes = 200

// stored is the compact record kept in the Bleve index as one stored,
// unindexed field, and in the index's snapshot file. Queries never read
// Bleve's stored fields: the table holds what they need (see rec).
type stored struct {
	ID         string   `json:"-"` // the Bleve document id
	Title      string   `json:"t"`
	Text       string   `json:"x,omitempty"`
	Lang       string   `json:"l,omitempty"` // omitted: en
	Type       string   `json:"y"`
	Amount     string   `json:"a,omitempty"` // omitted: FormatMinor(Minor, Currency)
	Minor      int64    `json:"m,omitempty"`
	HasMinor   bool     `json:"hm,omitempty"`
	Currency   string   `json:"c,omitempty"`
	PriceType  string   `json:"pt"`
	Model      string   `json:"pm"`
	Tags       []string `json:"g,omitempty"`
	Region     string   `json:"r,omitempty"`
	Seller     string   `json:"s"`
	SellerName string   `json:"sn,omitempty"`
	Host       string   `json:"h,omitempty"` // omitted: the seller URL's host
	Published  int64    `json:"p"`
	Updated    int64    `json:"u,omitempty"` // omitted: Published
	Indexed    int64    `json:"-"`           // when the relay received the listing (or Put was called); memory only
	Lat        float64  `json:"la,omitempty"`
	Lon        float64  `json:"lo,omitempty"`
	HasLoc     bool     `json:"hl,omitempty"`
}

// rec is one listing as the in-memory table holds it: what queries read
// of its record, and where its row is. What filters, facets and sort
// orders read is in the table's columns, at pos. The whole record (title,
// summary, price as written, seller's name...) is either in memory (s) or,
// once a snapshot holds it, only there (cold: s is nil, off is where);
// table.load returns it either way.
type rec struct {
	s       *stored // the whole record, while in memory
	id      string
	lang    string  // the analyzer of its text
	off     int64   // where the table's snapshot file holds it, when cold
	indexed int64   // stored.Indexed
	lat     float64 // stored.Lat and Lon, when hasLoc
	lon     float64
	tie     float64 // tieKey of the id; the same as the columns' sort keys hold, kept here for comparing hits without them
	pos     int     // index in table.all and the table's columns
	lpos    int     // index in its grid cell, when located
	gen     uint32  // changes whenever the record is removed: a rec is reused for other listings
	hasLoc  bool
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

// table holds every indexed listing's record: in memory what queries
// read, the rest in memory or in the snapshot file (cold). It answers
// filter-only queries, counts facets exactly, and fills hits.
type table struct {
	byID                                     map[string]*rec
	grid                                     grid // the records with a location
	all                                      []*rec
	cols                                     columns    // by rec.pos
	counts                                   keptCounts // facet counts kept as listings come and go
	docs                                     docRecs    // the records of Bleve's documents
	typ, ptype, pmodel, cur, region, country *dict
	seller, host, tag, band                  *dict
	langs                                    map[string]int // listings per analyzer
	cold                                     *coldFile      // where cold records are; nil: all are in memory

	// Records and tag codes are carved out of chunks instead of allocated
	// one by one: a million small objects cost the garbage collector more
	// than a few hundred large ones. remove clears a record, so a chunk
	// never keeps a removed listing's record alive, and keeps it for the
	// next put. Rows find their tag codes by chunk number and offset.
	recSlab   []rec
	freeRec   []*rec
	tagChunks [][]uint32
	tagUsed   int // codes used of the last chunk
}

// slabChunk is how many records, or tag codes, one chunk holds.
const slabChunk = 4096

// newRec returns a zero record from the table's current chunk.
func (t *table) newRec() *rec {
	if n := len(t.freeRec); n > 0 {
		r := t.freeRec[n-1]
		t.freeRec = t.freeRec[:n-1]
		return r
	}
	if len(t.recSlab) == 0 {
		t.recSlab = make([]rec, slabChunk)
	}
	r := &t.recSlab[0]
	t.recSlab = t.recSlab[1:]
	return r
}

// newTags returns room for n tag codes from the table's current chunk,
// and where it is: the chunk's number and the offset in it. n is at most
// math.MaxUint16.
func (t *table) newTags(n int) (codes []uint32, chunk uint32, off uint16) {
	if n == 0 {
		return nil, 0, 0
	}
	last := len(t.tagChunks) - 1
	if last < 0 || t.tagUsed+n > len(t.tagChunks[last]) {
		t.tagChunks = append(t.tagChunks, make([]uint32, max(n, slabChunk)))
		last, t.tagUsed = last+1, 0
	}
	off = uint16(t.tagUsed)
	t.tagUsed += n
	return t.tagChunks[last][int(off):t.tagUsed:t.tagUsed], uint32(last), off
}

func newTable() *table { return newTableSized(0) }

// newTableSized returns an empty table with room for n listings.
func newTableSized(n int) *table {
	return &table{
		byID: make(map[string]*rec, n),
		all:  make([]*rec, 0, n),
		cols: newColumns(n),
		typ:  newDict(), ptype: newDict(), pmodel: newDict(), cur: newDict(),
		region: newDict(), country: newDict(), seller: newDict(), host: newDict(),
		tag: newDict(), band: newDict(),
		langs: map[string]int{},
	}
}

// put adds s, or replaces the record of its id with it; the table keeps s.
func (t *table) put(s *stored) { t.add(s, s, 0) }

// putCold adds s as a cold record, at off in the table's snapshot file.
// The table keeps s.ID (which must not share a reused buffer), and no
// other part of s.
func (t *table) putCold(s *stored, at int64) { t.add(s, nil, at) }

func (t *table) add(s, keep *stored, at int64) {
	if old, ok := t.byID[s.ID]; ok {
		t.remove(old)
	}
	r := t.newRec()
	*r = rec{s: keep, id: s.ID, lang: s.Lang, off: at, indexed: s.Indexed, tie: tieKey(s.ID), pos: len(t.all), gen: r.gen, hasLoc: s.HasLoc}
	if s.HasLoc {
		r.lat, r.lon = s.Lat, s.Lon
	}
	w := row{
		sortKeys: sortKeys{published: s.Published, price: float64(s.Minor), tie: r.tie},
		facetCodes: facetCodes{
			typ: t.typ.code(s.Type), ptype: t.ptype.code(s.PriceType), pmodel: t.pmodel.code(s.Model),
			cur: t.cur.code(s.Currency), region: t.region.code(s.Region),
		},
		country: t.country.code(listing.Country(s.Region)),
		seller:  t.seller.code(s.Seller), host: t.host.code(s.Host),
	}
	if s.HasMinor {
		w.band = t.band.code(priceBand(s.Minor, s.Currency))
	}
	tags := s.Tags
	if len(tags) > math.MaxUint16 { // never from a valid listing (listing.MaxTags)
		tags = tags[:math.MaxUint16]
	}
	codes, chunk, off := t.newTags(len(tags))
	for i, tg := range tags {
		codes[i] = t.tag.code(tg)
	}
	w.tagChunk, w.tagOff, w.ntags = chunk, off, uint16(len(tags))
	t.all = append(t.all, r)
	t.cols.add(w)
	t.counts.add(t, w, 1)
	if s.HasLoc {
		t.grid.add(r)
	}
	t.byID[r.id] = r
	t.langs[r.lang]++
}

func (t *table) remove(r *rec) {
	t.counts.add(t, t.cols.row(r.pos), -1)
	n := len(t.all) - 1
	last := t.all[n]
	t.all[r.pos] = last
	t.cols.removeAt(r.pos)
	last.pos = r.pos
	t.all[n] = nil
	t.all = t.all[:n]
	if r.hasLoc {
		t.grid.remove(r)
	}
	delete(t.byID, r.id)
	if t.langs[r.lang]--; t.langs[r.lang] <= 0 {
		delete(t.langs, r.lang)
	}
	*r = rec{gen: r.gen + 1}
	t.freeRec = append(t.freeRec, r)
}

// load returns r's whole record, from memory or from the snapshot file.
func (t *table) load(r *rec) (*stored, error) {
	if r.s != nil {
		return r.s, nil
	}
	if t.cold == nil {
		return nil, fmt.Errorf("record of %s: in no snapshot file", r.id)
	}
	return t.cold.read(r.off)
}

// cool turns the records of items that still hold the same listing cold,
// at offs in the snapshot file to, which the table reads from now on; the
// file it read before is closed. Every cold record must be among items:
// the caller holds the table from items to here, against any other cool.
func (t *table) cool(items []snapItem, offs []int64, to *coldFile) {
	for i, it := range items {
		if it.r.gen == it.gen && it.r.id != "" {
			it.r.s, it.r.off = nil, offs[i]
		}
	}
	t.cold.close()
	t.cold = to
}

// close closes the snapshot file the table reads cold records from.
func (t *table) close() {
	t.cold.close()
	t.cold = nil
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

// plainText strips simple HTML from a description (each tag, from '<' to
// the next '>', becomes a space), unescapes entities and folds runs of
// ASCII whitespace into one space. It runs on every listing indexed, so it
// is a loop rather than regular expressions.
func plainText(s string) string {
	if strings.IndexByte(s, '<') >= 0 {
		var b strings.Builder
		b.Grow(len(s))
		for {
			i := strings.IndexByte(s, '<')
			if i < 0 {
				break
			}
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				break
			}
			b.WriteString(s[:i])
			b.WriteByte(' ')
			s = s[i+j+1:]
		}
		b.WriteString(s)
		s = b.String()
	}
	s = html.UnescapeString(s)
	return strings.TrimSpace(foldSpace(s))
}

// foldSpace replaces each run of ASCII whitespace (tab, newline, form feed,
// carriage return, space) with one space.
func foldSpace(s string) string {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }
	clean := true
	for i := 0; i < len(s); i++ {
		if isSpace(s[i]) && (s[i] != ' ' || (i+1 < len(s) && isSpace(s[i+1]))) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if !isSpace(s[i]) {
			b = append(b, s[i])
		} else if i == 0 || !isSpace(s[i-1]) {
			b = append(b, ' ')
		}
	}
	return string(b)
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

// encodeStored writes the stored form of a record, leaving out what can
// be derived.
func encodeStored(s *stored) ([]byte, error) {
	c := *s
	if c.Lang == "en" {
		c.Lang = ""
	}
	if c.HasMinor && c.PriceType != string(listing.PriceFree) && c.Amount == listing.FormatMinor(c.Minor, c.Currency) {
		c.Amount = ""
	}
	if c.Host == hostOf(c.Seller) {
		c.Host = ""
	}
	if c.Updated == c.Published {
		c.Updated = 0
	}
	return json.Marshal(&c)
}

// decodeStored reads a stored record back; id is its document id.
func decodeStored(id string, b []byte) (*stored, error) {
	var s stored
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, err
	}
	s.ID = id
	if s.Lang == "" {
		s.Lang = "en"
	}
	if s.HasMinor && s.Amount == "" && s.PriceType != string(listing.PriceFree) {
		s.Amount = listing.FormatMinor(s.Minor, s.Currency)
	}
	if s.Host == "" {
		s.Host = hostOf(s.Seller)
	}
	if s.Updated == 0 {
		s.Updated = s.Published
	}
	return &s, nil
}

// newStored turns a listing and what the relay knows about it into the
// record the index keeps, checking what the index relies on; desc is the
// plain text of its description.
func newStored(l *listing.Listing, m Meta, desc string) (*stored, error) {
	if l == nil {
		return nil, fmt.Errorf("index listing: listing is nil")
	}
	if l.FederatedAPID == "" {
		return nil, fmt.Errorf("index listing %q: federated_ap_id is required, it is the document id", l.ID)
	}
	s := &stored{
		ID:         l.FederatedAPID,
		Title:      l.Title,
		Text:       truncate(desc, summaryBytes),
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
	s.Indexed = time.Now().UnixMilli()
	if !m.Received.IsZero() {
		s.Indexed = m.Received.UnixMilli()
	}
	if s.Currency == "" && l.Price.Type == listing.PriceTimeCredit {
		s.Currency = listing.CurrencyTimeCredit
	}
	if l.Price.Amount != "" {
		minor, err := listing.MinorUnits(l.Price.Amount, s.Currency)
		switch {
		case errors.Is(err, listing.ErrUnknownAsset):
			// price unknown: searchable by text, shown as it came, no price to filter or sort on
		case err != nil:
			return nil, fmt.Errorf("index listing %s: price.amount: %w", s.ID, err)
		default:
			s.Minor, s.HasMinor = minor, true
		}
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

// Indexing options of the document fields.
const (
	textOptions    = bindex.IndexField | bindex.IncludeTermVectors
	keywordOptions = bindex.IndexField | bindex.SkipFreqNorm
	sortOptions    = bindex.IndexField | bindex.DocValues
)

// tieKey is a 52-bit hash of the id, exact as a float64 and cheap for
// Bleve to sort on: every order sorts by it after its own key, and then by
// the id itself. Two ids may share a tie key (FNV is easy to collide on
// purpose); that costs nothing but a comparison of the ids. A listing is
// never known by its tie key.
// tieBits is how many bits of the hash the tie key keeps; tests lower it
// to make two ids share a tie key.
var tieBits = 52

func tieKey(id string) float64 {
	h := fnv.New64a()
	h.Write([]byte(id))
	return float64(h.Sum64() & (1<<tieBits - 1))
}

// publishedTerm writes a time in unix ms as a 13-digit term that sorts in
// time order (years 1970 to 2286).
func publishedTerm(ms float64) string {
	return fmt.Sprintf("%013d", max(0, int64(ms)))
}

// priceTerm writes a price in minor units (-1: none) as a 20-digit term
// that sorts in price order.
func priceTerm(minor float64) string {
	return fmt.Sprintf("%020d", max(0, int64(minor)+1))
}

// tieTerm writes a tie key as 14 hex digits.
func tieTerm(tie float64) string {
	return fmt.Sprintf("%014x", uint64(tie))
}

// prepare turns a listing into its record and its Bleve document, reading
// the description's text once for both.
func prepare(l *listing.Listing, m Meta) (*stored, *bdoc.Document, error) {
	desc := ""
	if l != nil {
		desc = plainText(l.Description)
	}
	s, err := newStored(l, m, desc)
	if err != nil {
		return nil, nil, err
	}
	doc, err := document(s, l, desc)
	if err != nil {
		return nil, nil, err
	}
	return s, doc, nil
}

// document builds the Bleve document for a record, field by field; desc is
// the plain text of the listing's description.
func document(s *stored, l *listing.Listing, desc string) (*bdoc.Document, error) {
	raw, err := encodeStored(s)
	if err != nil {
		return nil, fmt.Errorf("encode record %s: %w", s.ID, err)
	}
	d := bdoc.NewDocument(s.ID)
	a := analyzerNamed(s.Lang)
	title := []byte(l.Title)
	// The title goes in twice (as separate values, so phrases never span
	// them) to weigh title words above description words.
	d.AddField(bdoc.NewTextFieldCustom(fText, []uint64{0}, title, textOptions, a))
	d.AddField(bdoc.NewTextFieldCustom(fText, []uint64{1}, title, textOptions, a))
	if desc != "" {
		d.AddField(bdoc.NewTextFieldCustom(fText, []uint64{2}, []byte(desc), textOptions, a))
	}
	kw := analyzerNamed(keyword.Name)
	keywordField := func(name, value string, pos []uint64) {
		if value != "" {
			d.AddField(bdoc.NewTextFieldCustom(name, pos, []byte(value), keywordOptions, kw))
		}
	}
	keywordField(fType, s.Type, nil)
	keywordField(fPriceType, s.PriceType, nil)
	keywordField(fModel, s.Model, nil)
	keywordField(fSeller, s.Seller, nil)
	keywordField(fHost, s.Host, nil)
	keywordField(fCurrency, s.Currency, nil)
	if s.Region != "" {
		keywordField(fRegion, s.Region, nil)
		keywordField(fCountry, listing.Country(s.Region), nil)
	}
	for i, t := range s.Tags {
		keywordField(fTag, t, []uint64{uint64(i)})
	}
	if s.HasLoc {
		for i, c := range geoCells(s.Lat, s.Lon) {
			keywordField(fCell, c, []uint64{uint64(i)})
		}
	}
	price := int64(-1)
	if s.HasMinor {
		price = s.Minor
	}
	d.AddField(bdoc.NewTextFieldCustom(fPrice, nil, []byte(priceTerm(float64(price))), sortOptions|bindex.SkipFreqNorm, kw))
	d.AddField(bdoc.NewTextFieldCustom(fPublished, nil, []byte(publishedTerm(float64(s.Published))), sortOptions|bindex.SkipFreqNorm, kw))
	d.AddField(bdoc.NewTextFieldCustom(fTie, nil, []byte(tieTerm(tieKey(s.ID))), sortOptions|bindex.SkipFreqNorm, kw))
	d.AddField(bdoc.NewTextFieldWithIndexingOptions(fRecord, nil, raw, bindex.StoreField))
	return d, nil
}

func sortStrings(s []string) { sort.Strings(s) }
