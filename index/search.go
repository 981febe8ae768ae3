package index

import (
	"context"
	"fmt"
	"html"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// FacetCap is how many text matches a query counts facets over. A text
// query with more matches counts facets over its FacetCap best matches
// (in the query's sort order) and marks them Approximate. Queries without
// text always count every match exactly.
const FacetCap = 5000

// summaryLen is about how long a hit's summary is, in bytes of text.
const summaryLen = 200

// Search runs a query and returns one page of hits, with facet counts when
// q.Facets is set. Errors about the query wrap ErrInvalidQuery.
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	start := time.Now()
	p, err := newPlan(q)
	if err != nil {
		return nil, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.tab == nil {
		return nil, ErrClosed
	}
	s := &searcher{ix: ix, p: p, tab: ix.tab, bl: ix.bl, ctx: ctx}
	var res *Result
	switch {
	case p.text == nil:
		res = s.memory(nil, false)
	case !q.Facets && p.near == nil:
		res, err = s.native()
	default:
		res, err = s.candidates()
	}
	if err != nil {
		return nil, err
	}
	s.fill(res)
	res.Took = time.Since(start)
	return res, nil
}

type searcher struct {
	ix  *Index
	p   *plan
	tab *table
	bl  bleve.Index
	ctx context.Context

	hits  []scored
	terms map[string]map[string]bool // analyzer -> analyzed query terms, for highlighting
}

// scored is a record with its text score and distance.
type scored struct {
	r     *rec
	score float64
	dist  float64
}

// key is the primary sort value of a hit, the one a cursor remembers.
func (s *searcher) key(h scored) float64 {
	switch s.p.sort {
	case SortRelevance:
		return h.score
	case SortPriceAsc, SortPriceDesc:
		return priceKey(h.r)
	default:
		return float64(h.r.published)
	}
}

// priceKey sorts a listing without an amount below every priced one.
func priceKey(r *rec) float64 {
	if !r.s.HasMinor {
		return -1
	}
	return r.price
}

// before reports whether a sorts before b.
func (s *searcher) before(ka float64, ida string, kb float64, idb string) bool {
	if ka != kb {
		if s.p.sort == SortPriceAsc {
			return ka < kb
		}
		return ka > kb
	}
	return ida < idb
}

// filter is a compiled predicate over in-memory records.
type filter struct {
	none                   bool // some value was never seen: nothing matches
	types, ptypes, pmodels []uint32
	tags                   []uint32
	region, country        uint32
	cur                    uint32
	seller, host           uint32
	priceRange             bool
	lo, hi                 float64
}

func codes(d *dict, vals []string) ([]uint32, bool) {
	if len(vals) == 0 {
		return nil, true
	}
	var out []uint32
	for _, v := range vals {
		if c, ok := d.lookup(v); ok {
			out = append(out, c)
		}
	}
	return out, len(out) > 0
}

func (s *searcher) compile() filter {
	t, p := s.tab, s.p
	var f filter
	var ok bool
	if f.types, ok = codes(t.typ, p.q.Types); !ok {
		f.none = true
	}
	if f.ptypes, ok = codes(t.ptype, p.q.PriceTypes); !ok {
		f.none = true
	}
	if f.pmodels, ok = codes(t.pmodel, p.q.PricingModels); !ok {
		f.none = true
	}
	for _, tg := range p.q.Tags {
		c, ok := t.tag.lookup(tg)
		if !ok {
			f.none = true
		}
		f.tags = append(f.tags, c)
	}
	lookup := func(d *dict, v string, dst *uint32) {
		if v == "" {
			return
		}
		c, ok := d.lookup(v)
		if !ok {
			f.none = true
		}
		*dst = c
	}
	if p.region != "" {
		if p.country {
			lookup(t.country, p.region, &f.country)
		} else {
			lookup(t.region, p.region, &f.region)
		}
	}
	lookup(t.cur, p.q.Currency, &f.cur)
	if p.q.Seller != "" {
		if strings.Contains(p.q.Seller, "://") {
			lookup(t.seller, p.q.Seller, &f.seller)
		} else {
			lookup(t.host, p.q.Seller, &f.host)
		}
	}
	if p.priceRange {
		f.priceRange, f.lo, f.hi = true, float64(p.lo), float64(p.hi)
	}
	return f
}

func in(set []uint32, c uint32) bool {
	for _, s := range set {
		if s == c {
			return true
		}
	}
	return false
}

func (f *filter) match(r *rec) bool {
	if f.types != nil && !in(f.types, r.typ) ||
		f.ptypes != nil && !in(f.ptypes, r.ptype) ||
		f.pmodels != nil && !in(f.pmodels, r.pmodel) ||
		f.region != 0 && r.region != f.region ||
		f.country != 0 && r.country != f.country ||
		f.cur != 0 && r.cur != f.cur ||
		f.seller != 0 && r.seller != f.seller ||
		f.host != 0 && r.host != f.host {
		return false
	}
	if f.priceRange && (!r.s.HasMinor || r.price < f.lo || r.price > f.hi) {
		return false
	}
	for _, t := range f.tags {
		if !in(r.tags, t) {
			return false
		}
	}
	return true
}

// counter counts facet values by code.
type counter struct {
	typ, ptype, pmodel, cur, region, band, tag []int
}

func newCounter(t *table) *counter {
	return &counter{
		typ: make([]int, len(t.typ.vals)), ptype: make([]int, len(t.ptype.vals)),
		pmodel: make([]int, len(t.pmodel.vals)), cur: make([]int, len(t.cur.vals)),
		region: make([]int, len(t.region.vals)), band: make([]int, len(t.band.vals)),
		tag: make([]int, len(t.tag.vals)),
	}
}

func (c *counter) add(r *rec) {
	c.typ[r.typ]++
	c.ptype[r.ptype]++
	c.pmodel[r.pmodel]++
	c.cur[r.cur]++
	c.region[r.region]++
	c.band[r.band]++
	for _, t := range r.tags {
		c.tag[t]++
	}
}

func list(d *dict, counts []int, top int) []FacetCount {
	out := []FacetCount{}
	for code, n := range counts {
		if code != 0 && n > 0 {
			out = append(out, FacetCount{Value: d.vals[code], Count: n})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	if top > 0 && len(out) > top {
		out = out[:top]
	}
	return out
}

func (c *counter) facets(t *table) Facets {
	f := Facets{
		ListingType:  list(t.typ, c.typ, 0),
		Tags:         list(t.tag, c.tag, TopTags),
		Region:       list(t.region, c.region, 0),
		PriceType:    list(t.ptype, c.ptype, 0),
		PricingModel: list(t.pmodel, c.pmodel, 0),
		Currency:     list(t.cur, c.cur, 0),
		PriceBand:    []FacetCount{},
	}
	for _, b := range priceBands {
		if code, ok := t.band.lookup(b.label); ok && c.band[code] > 0 {
			f.PriceBand = append(f.PriceBand, FacetCount{Value: b.label, Count: c.band[code]})
		}
	}
	return f
}

// memory answers a query from the in-memory table: over every record when
// cands is nil (no text), or over the text matches Bleve returned.
func (s *searcher) memory(cands []scored, approximate bool) *Result {
	p := s.p
	f := s.compile()
	res := &Result{}
	var cnt *counter
	if p.q.Facets {
		cnt = newCounter(s.tab)
	}
	top := make([]scored, 0, p.limit+1)
	var worstKey float64
	var worstID string
	consider := func(h scored) {
		res.Total++
		if cnt != nil {
			cnt.add(h.r)
		}
		k := s.key(h)
		if p.after != nil && !s.before(p.after.Key, p.after.ID, k, h.r.s.ID) {
			return
		}
		if len(top) == p.limit+1 && !s.before(k, h.r.s.ID, worstKey, worstID) {
			return
		}
		i := sort.Search(len(top), func(i int) bool { return s.before(k, h.r.s.ID, s.key(top[i]), top[i].r.s.ID) })
		if len(top) < p.limit+1 {
			top = append(top, scored{})
		}
		copy(top[i+1:], top[i:len(top)-1])
		top[i] = h
		last := top[len(top)-1]
		worstKey, worstID = s.key(last), last.r.s.ID
	}
	geo := func(r *rec) (float64, bool) {
		if p.near == nil {
			return 0, true
		}
		if !r.s.HasLoc || !p.box.contains(r.s.Lat, r.s.Lon) {
			return 0, false
		}
		d := distanceKm(p.near.Lat, p.near.Lon, r.s.Lat, r.s.Lon)
		return d, d <= p.q.RadiusKm
	}
	if !f.none {
		if cands == nil {
			for _, r := range s.tab.all {
				if !f.match(r) {
					continue
				}
				d, ok := geo(r)
				if !ok {
					continue
				}
				consider(scored{r: r, dist: d})
			}
		} else {
			for _, h := range cands {
				d, ok := geo(h.r)
				if !ok {
					continue
				}
				h.dist = d
				consider(h)
			}
		}
	}
	if len(top) > p.limit {
		top = top[:p.limit]
		last := top[len(top)-1]
		res.NextCursor = (&cursor{V: cursorVersion, Hash: p.hash, Key: s.key(last), ID: last.r.s.ID}).encode()
	}
	s.hits = top
	if cnt != nil {
		res.Facets = cnt.facets(s.tab)
		res.Facets.Approximate = approximate
	}
	return res
}

// bleveSort returns the Bleve sort order matching the plan's sort.
func (s *searcher) bleveSort() []string {
	switch s.p.sort {
	case SortRelevance:
		return []string{"-_score", "_id"}
	case SortPriceAsc:
		return []string{fPrice, "_id"}
	case SortPriceDesc:
		return []string{"-" + fPrice, "_id"}
	default:
		return []string{"-" + fPublished, "_id"}
	}
}

// request builds the Bleve request for the plan's text and filters.
func (s *searcher) request(size int, after bool) (*bleve.SearchRequest, error) {
	q, err := s.bleveQuery()
	if err != nil {
		return nil, err
	}
	req := bleve.NewSearchRequestOptions(q, size, 0, false)
	req.SortBy(s.bleveSort())
	if s.p.sort != SortRelevance {
		req.Score = bleve.ScoreNone
	}
	if after && s.p.after != nil {
		req.SetSearchAfter([]string{strconv.FormatFloat(s.p.after.Key, 'g', -1, 64), s.p.after.ID})
	}
	return req, nil
}

func (s *searcher) run(req *bleve.SearchRequest) (*bleve.SearchResult, []scored, error) {
	res, err := s.bl.SearchInContext(s.ctx, req)
	if err != nil {
		return nil, nil, fmt.Errorf("search index: %w", err)
	}
	out := make([]scored, 0, len(res.Hits))
	for _, h := range res.Hits {
		if r, ok := s.tab.byID[h.ID]; ok {
			out = append(out, scored{r: r, score: h.Score})
		}
	}
	return res, out, nil
}

// native answers a text query without facets or geo from Bleve alone.
func (s *searcher) native() (*Result, error) {
	req, err := s.request(s.p.limit+1, true)
	if err != nil {
		return nil, err
	}
	br, hits, err := s.run(req)
	if err != nil {
		return nil, err
	}
	res := &Result{Total: br.Total}
	if len(hits) > s.p.limit {
		hits = hits[:s.p.limit]
		last := hits[len(hits)-1]
		res.NextCursor = (&cursor{V: cursorVersion, Hash: s.p.hash, Key: s.key(last), ID: last.r.s.ID}).encode()
	}
	s.hits = hits
	return res, nil
}

// candidates answers a text query with facets or geo: Bleve returns up to
// FacetCap matches, the in-memory table does the rest.
func (s *searcher) candidates() (*Result, error) {
	req, err := s.request(FacetCap, false)
	if err != nil {
		return nil, err
	}
	br, cands, err := s.run(req)
	if err != nil {
		return nil, err
	}
	approximate := br.Total > uint64(len(br.Hits))
	if !approximate || s.p.near != nil {
		return s.memory(cands, approximate), nil
	}
	// Too many matches to count exactly: facets over the best FacetCap,
	// the page itself from Bleve.
	facets := s.memory(cands, true).Facets
	res, err := s.native()
	if err != nil {
		return nil, err
	}
	res.Facets = facets
	return res, nil
}

// analyzer returns the analyzer a language's text fields use.
func analyzer(m mapping.IndexMapping, lang string) analysis.Analyzer {
	name := lang
	if lang == otherLanguage {
		name = standard.Name
	}
	return m.AnalyzerNamed(name)
}

func tokens(a analysis.Analyzer, text string) []string {
	if a == nil {
		return nil
	}
	ts := a.Analyze([]byte(text))
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		out = append(out, string(t.Term))
	}
	return out
}

func termQ(field, term string, boost float64) query.Query {
	q := bleve.NewTermQuery(term)
	q.SetField(field)
	if boost != 1 {
		q.SetBoost(boost)
	}
	return q
}

// textClause matches a word or phrase in a language's title or description.
func textClause(lang string, toks []string, raw string) query.Query {
	if len(toks) == 1 {
		return bleve.NewDisjunctionQuery(termQ(fTitle+lang, toks[0], 2), termQ(fDesc+lang, toks[0], 1))
	}
	t := bleve.NewMatchPhraseQuery(raw)
	t.SetField(fTitle + lang)
	t.SetBoost(2)
	d := bleve.NewMatchPhraseQuery(raw)
	d.SetField(fDesc + lang)
	return bleve.NewDisjunctionQuery(t, d)
}

// bleveQuery translates the plan into a Bleve query. The text is analyzed
// once per language that listings use: a listing matches when every word
// and phrase matches its title or description as analyzed in its own
// language; words a language drops (stop words) are left out for it.
func (s *searcher) bleveQuery() (query.Query, error) {
	p := s.p
	m := s.bl.Mapping()
	langs := s.tab.activeLangs()
	var must []query.Query
	var mustNot []query.Query
	if p.text != nil {
		positives := len(p.text.Words) + len(p.text.Phrases)
		s.terms = map[string]map[string]bool{}
		var perLang []query.Query
		for _, lang := range langs {
			a := analyzer(m, lang)
			set := map[string]bool{}
			var clauses []query.Query
			for _, w := range append(append([]string{}, p.text.Words...), p.text.Phrases...) {
				toks := tokens(a, w)
				if len(toks) == 0 {
					continue
				}
				for _, t := range toks {
					set[t] = true
				}
				clauses = append(clauses, textClause(lang, toks, w))
			}
			s.terms[lang] = set
			if len(clauses) > 0 {
				perLang = append(perLang, bleve.NewConjunctionQuery(clauses...))
			}
			for _, e := range p.text.Excluded {
				if toks := tokens(a, e); len(toks) > 0 {
					mustNot = append(mustNot, textClause(lang, toks, e))
				}
			}
		}
		switch {
		case positives == 0:
			must = append(must, bleve.NewMatchAllQuery())
		case len(perLang) == 0:
			must = append(must, bleve.NewMatchNoneQuery())
		default:
			must = append(must, bleve.NewDisjunctionQuery(perLang...))
		}
	}
	anyOf := func(field string, vals []string) {
		if len(vals) == 0 {
			return
		}
		qs := make([]query.Query, len(vals))
		for i, v := range vals {
			qs[i] = termQ(field, v, 1)
		}
		must = append(must, bleve.NewDisjunctionQuery(qs...))
	}
	anyOf(fType, p.q.Types)
	anyOf(fPriceType, p.q.PriceTypes)
	anyOf(fModel, p.q.PricingModels)
	for _, t := range p.q.Tags {
		must = append(must, termQ(fTag, t, 1))
	}
	if p.region != "" {
		if p.country {
			must = append(must, termQ(fCountry, p.region, 1))
		} else {
			must = append(must, termQ(fRegion, p.region, 1))
		}
	}
	if p.q.Currency != "" {
		must = append(must, termQ(fCurrency, p.q.Currency, 1))
	}
	if p.priceRange {
		lo := float64(p.lo)
		var hi *float64
		if p.hi != math.MaxInt64 {
			h := float64(p.hi)
			hi = &h
		}
		yes := true
		r := bleve.NewNumericRangeInclusiveQuery(&lo, hi, &yes, &yes)
		r.SetField(fPrice)
		must = append(must, r)
	}
	if p.q.Seller != "" {
		if strings.Contains(p.q.Seller, "://") {
			must = append(must, termQ(fSeller, p.q.Seller, 1))
		} else {
			must = append(must, termQ(fHost, p.q.Seller, 1))
		}
	}
	if p.near != nil {
		cells := coverCells(p.box)
		qs := make([]query.Query, len(cells))
		for i, c := range cells {
			qs[i] = termQ(fCell, c, 1)
		}
		must = append(must, bleve.NewDisjunctionQuery(qs...))
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(must...)
	if len(mustNot) > 0 {
		b.AddMustNot(mustNot...)
	}
	return b, nil
}

// fill turns the page's records into hits.
func (s *searcher) fill(res *Result) {
	res.Hits = make([]Hit, len(s.hits))
	for i, h := range s.hits {
		r := h.r.s
		hit := Hit{
			ID: r.ID, URL: r.ID, Title: r.Title,
			ListingType: r.Type,
			Price:       Price{Amount: r.Amount, Currency: r.Currency, PriceType: r.PriceType, PricingModel: r.Model},
			Tags:        r.Tags,
			Region:      r.Region,
			Seller:      Seller{ID: r.Seller, Name: r.SellerName, Host: r.Host},
			Published:   time.UnixMilli(r.Published).UTC(),
			Updated:     time.UnixMilli(r.Updated).UTC(),
			DistanceKm:  h.dist,
			Score:       h.score,
		}
		if hit.Tags == nil {
			hit.Tags = []string{}
		}
		hit.Summary = s.summary(r)
		res.Hits[i] = hit
	}
}

// summary returns an HTML snippet of the description: escaped text, with
// the words the query matched in <mark> when the query has text.
func (s *searcher) summary(r *stored) string {
	text := r.Text
	var set map[string]bool
	if s.terms != nil {
		set = s.terms[r.Lang]
	}
	if len(set) == 0 || text == "" {
		return html.EscapeString(clip(text, 0, summaryLen))
	}
	toks := analyzer(s.bl.Mapping(), r.Lang).Analyze([]byte(text))
	first := -1
	for i, t := range toks {
		if set[string(t.Term)] {
			first = i
			break
		}
	}
	if first < 0 {
		return html.EscapeString(clip(text, 0, summaryLen))
	}
	from := 0
	if st := toks[first].Start; st > summaryLen/3 {
		from = st - summaryLen/3
		for from < st && text[from] != ' ' {
			from++
		}
	}
	to := from + summaryLen
	if to >= len(text) {
		to = len(text)
	} else {
		for to > from && text[to] != ' ' {
			to--
		}
		if to == from {
			to = from + summaryLen
			for to < len(text) && text[to]&0xC0 == 0x80 {
				to++
			}
		}
	}
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	pos := from
	for _, t := range toks[first:] {
		if t.Start < pos || t.End > to {
			if t.Start >= to {
				break
			}
			continue
		}
		if !set[string(t.Term)] {
			continue
		}
		b.WriteString(html.EscapeString(text[pos:t.Start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[t.Start:t.End]))
		b.WriteString("</mark>")
		pos = t.End
	}
	b.WriteString(html.EscapeString(text[pos:to]))
	if to < len(text) {
		b.WriteString("…")
	}
	return b.String()
}

// clip cuts text to about n bytes at a word boundary, adding an ellipsis.
func clip(text string, from, n int) string {
	text = text[from:]
	if len(text) <= n {
		return text
	}
	cut := n
	for cut > n/2 && text[cut] != ' ' {
		cut--
	}
	if text[cut] != ' ' {
		cut = len(truncate(text, n))
	}
	return strings.TrimRight(text[:cut], " ") + "…"
}

var _ = search.SortOrder{}
