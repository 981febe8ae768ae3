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
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// FacetCap is how many text matches a query walks to count facets (and,
// with a radius or a price range, to filter in memory). A text query with
// more matches counts facets over its first FacetCap matches in index
// order (roughly the oldest) and marks them Approximate. Queries without
// text always count every match exactly. Walking a match costs about
// 0.4 µs on a 2-core machine.
const FacetCap = 100000

// facetCap is FacetCap, lowered by tests to reach the approximate paths.
var facetCap = FacetCap

// tieSlack is how many more hits a relevance page past an expired ranking
// asks for, to step over hits of the same score already shown.
const tieSlack = 32

// summaryLen is about how long a hit's summary is, in bytes of text.
const summaryLen = 200

// Search runs a query and returns one page of hits, with facet counts when
// q.Facets is set. Errors about the query wrap ErrInvalidQuery; when ctx
// ends first, Search returns its error.
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
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s := &searcher{ix: ix, p: p, tab: ix.tab, bl: ix.bl, ctx: ctx}
	if cost, err := s.phraseCost(); err != nil {
		return nil, err
	} else if cost > maxPhraseCost {
		return nil, invalid("q", "its phrases cost too much to check: about %d listings, at most %d allowed (a phrase costs as many listings as have its least common word); use fewer phrases or rarer words in them", cost, maxPhraseCost)
	}
	var res *Result
	switch {
	case !p.hasWords():
		res, err = s.browse()
	case p.sort == SortRelevance:
		res, err = s.relevance()
	default:
		// Other orders pick the page in memory while walking the matches:
		// as cheap as Bleve's sort on doc values, and ordered by id too.
		res, err = s.candidates()
	}
	if err != nil {
		return nil, err
	}
	if err := s.fill(res); err != nil {
		return nil, err
	}
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
	f     *filter                    // the compiled filter, once memory has run

	afterKey float64 // the cursor's sort key as request used it
	unscored bool    // bleveQuery builds a query whose scores are not read
	excluded []bool  // by rec.pos: listings an exclusion excludes (browse)
}

// scored is a record with its text score and distance.
type scored struct {
	r     *rec
	score float64
	dist  float64
}

// key is the primary sort value of a hit, the one a cursor remembers.
func (s *searcher) key(h scored) float64 {
	return s.posKey(h.r.pos, h.score, h.dist)
}

// posKey is key for a hit at pos.
func (s *searcher) posKey(pos int, score, dist float64) float64 {
	switch s.p.sort {
	case SortRelevance:
		return score
	case SortPriceAsc, SortPriceDesc:
		return s.tab.priceKey(pos)
	case SortDistance:
		return dist
	default:
		return float64(s.tab.cols.keys[pos].published)
	}
}

// before reports whether a hit with sort key ka, tie key ta and id ia
// sorts before one with kb, tb and ib: by key, then by tie key, then by
// id, so that the order is total even when two ids share a tie key.
func (s *searcher) before(ka, ta float64, ia string, kb, tb float64, ib string) bool {
	if c := s.order(ka, ta, kb, tb); c != 0 {
		return c < 0
	}
	return ia < ib
}

// order compares two hits by sort key, then tie key: -1 when the first
// sorts before, 1 after, 0 when only their ids can tell. Callers read the
// ids (a pointer away) only on 0, which keeps the walk over every record
// of a browse cheap.
func (s *searcher) order(ka, ta, kb, tb float64) int {
	switch {
	case ka != kb:
		if (ka < kb) == (s.p.sort == SortPriceAsc || s.p.sort == SortDistance) {
			return -1
		}
		return 1
	case ta < tb:
		return -1
	case ta > tb:
		return 1
	}
	return 0
}

// hitBefore reports whether hit a sorts before hit b.
func (s *searcher) hitBefore(a, b scored) bool {
	return s.before(s.key(a), a.r.tie, a.r.id, s.key(b), b.r.tie, b.r.id)
}

// filter is a compiled predicate over in-memory records.
type filter struct {
	none                   bool // some value was never seen: nothing matches
	all                    bool // no filter: everything matches
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
	f.all = !f.none && f.types == nil && f.ptypes == nil && f.pmodels == nil && f.tags == nil &&
		f.region == 0 && f.country == 0 && f.cur == 0 && f.seller == 0 && f.host == 0 && !f.priceRange
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

// match reports whether the listing at pos in table t passes.
func (f *filter) match(t *table, pos int) bool {
	if f.all {
		return true
	}
	c := &t.cols.facets[pos]
	if f.types != nil && !in(f.types, c.typ) ||
		f.ptypes != nil && !in(f.ptypes, c.ptype) ||
		f.pmodels != nil && !in(f.pmodels, c.pmodel) ||
		f.region != 0 && c.region != f.region ||
		f.cur != 0 && c.cur != f.cur ||
		f.country != 0 && t.cols.country[pos] != f.country ||
		f.seller != 0 && t.cols.seller[pos] != f.seller ||
		f.host != 0 && t.cols.host[pos] != f.host {
		return false
	}
	if f.priceRange {
		if price := t.cols.keys[pos].price; c.band == 0 || price < f.lo || price > f.hi {
			return false
		}
	}
	if len(f.tags) > 0 {
		tags := t.tagsOf(c)
		for _, tg := range f.tags {
			if !in(tags, tg) {
				return false
			}
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

// add counts the listing at pos in table t.
func (c *counter) add(t *table, pos int) {
	f := &t.cols.facets[pos]
	c.typ[f.typ]++
	c.ptype[f.ptype]++
	c.pmodel[f.pmodel]++
	c.cur[f.cur]++
	c.region[f.region]++
	c.band[f.band]++
	for _, tg := range t.tagsOf(f) {
		c.tag[tg]++
	}
}

// addGrow is add by n (1 or -1) on counts that may not have room yet for
// the row's codes: the table's own counts, which grow with its
// dictionaries.
func (c *counter) addGrow(t *table, w row, n int) {
	at := func(counts *[]int, code uint32) {
		for int(code) >= len(*counts) {
			*counts = append(*counts, 0)
		}
		(*counts)[code] += n
	}
	at(&c.typ, w.typ)
	at(&c.ptype, w.ptype)
	at(&c.pmodel, w.pmodel)
	at(&c.cur, w.cur)
	at(&c.region, w.region)
	at(&c.band, w.band)
	for _, tg := range t.tagsOf(&w.facetCodes) {
		at(&c.tag, tg)
	}
}

// list returns the values of d counted in counts, most counted first
// (then by value), at most top of them when top > 0. With a top, only the
// best top are kept and sorted while the counts are read: a tag facet
// picks 20 of thousands of tags without sorting them all.
func list(d *dict, counts []int, top int) []FacetCount {
	out := []FacetCount{}
	before := func(a, b FacetCount) bool {
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Value < b.Value
	}
	for code, n := range counts {
		if code == 0 || n == 0 {
			continue
		}
		fc := FacetCount{Value: d.vals[code], Count: n}
		if top <= 0 {
			out = append(out, fc)
			continue
		}
		if len(out) == top && !before(fc, out[top-1]) {
			continue
		}
		i := sort.Search(len(out), func(i int) bool { return before(fc, out[i]) })
		if len(out) < top {
			out = append(out, FacetCount{})
		}
		copy(out[i+1:], out[i:len(out)-1])
		out[i] = fc
	}
	if top <= 0 {
		sort.Slice(out, func(i, j int) bool { return before(out[i], out[j]) })
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

// browse answers a query without words or phrases from the in-memory
// table: every record the filters keep, less those an exclusion in the
// text excludes. Bleve walks only the excluded listings (with the
// filters), never every listing.
func (s *searcher) browse() (*Result, error) {
	if s.p.text != nil {
		if q := s.exclusionQuery(); q != nil {
			s.excluded = make([]bool, len(s.tab.all))
			l, _, err := s.walk(q, math.MaxInt, false)
			if err != nil {
				return nil, err
			}
			for _, part := range l {
				for _, h := range part {
					s.excluded[h.r.pos] = true
				}
			}
			l.release()
		}
	}
	return s.memory(nil, false), nil
}

// memory answers a query from the in-memory table: over every record when
// the query has no words or phrases (see browse), or over cands, the text
// matches Bleve returned. No text match (cands empty) is no match, never
// every record.
func (s *searcher) memory(cands matchList, approximate bool) *Result {
	p := s.p
	f := s.compile()
	s.f = &f
	res := &Result{}
	var cnt, kept *counter
	// A browse without exclusion or point, and without filter or with one
	// value of a kept dimension only, takes its facets from the counts the
	// table keeps as listings come and go.
	if !p.hasWords() && s.excluded == nil && p.near == nil {
		kept = s.tab.counts.kept(&f)
	}
	if p.q.Facets && kept == nil {
		cnt = newCounter(s.tab)
	}
	top := make([]scored, 0, p.limit+1)
	var worstKey, worstTie float64 // of top's last hit, once top is full
	t := s.tab
	// offer takes the listing at pos into the page when it sorts high
	// enough. It reads the listing's sort keys, and its record (a pointer
	// away) only to compare ids or keep it.
	offer := func(pos int, score, dist float64) {
		k := s.posKey(pos, score, dist)
		tie := t.cols.keys[pos].tie
		if p.after != nil {
			if c := s.order(p.after.Key, p.after.Tie, k, tie); c > 0 || c == 0 && p.after.ID >= t.all[pos].id {
				return
			}
		}
		if len(top) == p.limit+1 {
			if c := s.order(k, tie, worstKey, worstTie); c > 0 || c == 0 && t.all[pos].id >= top[len(top)-1].r.id {
				return
			}
		}
		h := scored{r: t.all[pos], score: score, dist: dist}
		i := sort.Search(len(top), func(i int) bool { return s.hitBefore(h, top[i]) })
		if len(top) < p.limit+1 {
			top = append(top, scored{})
		}
		copy(top[i+1:], top[i:len(top)-1])
		top[i] = h
		last := top[len(top)-1]
		worstKey, worstTie = s.key(last), last.r.tie
	}
	// consider takes the listing at pos into the total, the facets and
	// the page.
	consider := func(pos int, score, dist float64) {
		res.Total++
		if cnt != nil {
			cnt.add(t, pos)
		}
		offer(pos, score, dist)
	}
	excluded := func(pos int) bool { return s.excluded != nil && s.excluded[pos] }
	switch {
	case f.none:
	case p.hasWords():
		for _, part := range cands {
			for _, h := range part {
				if p.priceRange && !f.match(t, h.r.pos) {
					continue
				}
				if d, ok := s.distance(h.r); ok {
					consider(h.r.pos, h.score, d)
				}
			}
		}
	case p.near != nil:
		t.grid.within(p.box, func(e *geoEntry) {
			d := DistanceKm(p.near.Lat, p.near.Lon, e.lat, e.lon)
			if pos := e.r.pos; d <= p.q.RadiusKm && f.match(t, pos) && !excluded(pos) {
				consider(pos, 0, d)
			}
		})
	default:
		// Every listing: consider, unrolled, so that a listing sorting
		// after a full page is dropped without a call.
		keys, ex := t.cols.keys, s.excluded
		// Without words or a point the order is newest or by price.
		byPrice, asc := p.sort == SortPriceAsc || p.sort == SortPriceDesc, p.sort == SortPriceAsc
		early := byPrice || p.sort == SortNewest
		var total uint64
		for pos := range keys {
			if !f.all && !f.match(t, pos) || ex != nil && ex[pos] {
				continue
			}
			total++
			if cnt != nil {
				cnt.add(t, pos)
			}
			if early && len(top) == p.limit+1 {
				// Strictly after the page's last hit: no need to look
				// further (offer orders equal keys).
				k := float64(keys[pos].published)
				if byPrice {
					k = t.priceKey(pos)
				}
				if asc && k > worstKey || !asc && k < worstKey {
					continue
				}
			}
			offer(pos, 0, 0)
		}
		res.Total += total
	}
	if len(top) > p.limit {
		top = top[:p.limit]
		last := top[len(top)-1]
		res.NextCursor = s.cursorAfter(last)
	}
	s.hits = top
	if p.q.Facets {
		if kept != nil {
			cnt = kept
		}
		res.Facets = cnt.facets(s.tab)
		res.Facets.Approximate = approximate
	}
	return res
}

// cursorAfter returns the cursor of the page that follows hit h.
func (s *searcher) cursorAfter(h scored) string {
	c := &cursor{V: cursorVersion, Hash: s.p.hash, Key: s.key(h), Tie: h.r.tie, ID: h.r.id}
	return c.encode()
}

// distance returns how far a record is from the query's point and whether
// that is within the radius; without a point, every record is in.
func (s *searcher) distance(r *rec) (float64, bool) {
	p := s.p
	if p.near == nil {
		return 0, true
	}
	if !r.hasLoc || !p.box.contains(r.lat, r.lon) {
		return 0, false
	}
	d := DistanceKm(p.near.Lat, p.near.Lon, r.lat, r.lon)
	return d, d <= p.q.RadiusKm
}

// bleveSort returns the Bleve sort order matching the plan's sort. Sort
// fields are fixed-width strings (see publishedTerm, priceTerm, tieTerm),
// and the document id breaks the ties of tie keys. Distance is never
// sorted by Bleve: it needs near, and the table orders geo queries.
func (s *searcher) bleveSort() search.SortOrder {
	str := func(field string, desc bool) search.SearchSort {
		return &search.SortField{Field: field, Desc: desc, Type: search.SortFieldAsString, Missing: search.SortFieldMissingLast}
	}
	tie, id := str(fTie, false), &search.SortDocID{}
	switch s.p.sort {
	case SortRelevance:
		// No tie key: reading it costs a doc value per match. Equal
		// scores are put in tie order in memory (see orderTies).
		return search.SortOrder{&search.SortScore{Desc: true}}
	case SortPriceAsc:
		return search.SortOrder{str(fPrice, false), tie, id}
	case SortPriceDesc:
		return search.SortOrder{str(fPrice, true), tie, id}
	default:
		return search.SortOrder{str(fPublished, true), tie, id}
	}
}

// request builds the Bleve request for the plan's text and filters.
func (s *searcher) request(size int, after bool) (*bleve.SearchRequest, error) {
	var extra []query.Query
	var searchAfter []string
	if c := s.p.after; after && c != nil {
		key := c.Key
		if s.p.sort == SortRelevance && c.ID != "" {
			// Continue after the last hit's score as it is now.
			if score, ok, err := s.currentScore(c.ID); err != nil {
				return nil, err
			} else if ok {
				key = score
			}
			// currentScore filters by id; a filter here too makes Bleve
			// score both queries the same way.
			extra = append(extra, bleve.NewMatchAllQuery())
		}
		s.afterKey = key
		searchAfter = []string{strconv.FormatFloat(key, 'g', -1, 64), tieTerm(c.Tie), c.ID}
		switch s.p.sort {
		case SortRelevance:
			// Scores alone: ask for everything scoring up to the last
			// hit, ties included; native drops the ties already shown.
			searchAfter = []string{strconv.FormatFloat(math.Nextafter(key, math.Inf(1)), 'g', -1, 64)}
		case SortNewest:
			searchAfter[0] = publishedTerm(key)
		case SortPriceAsc, SortPriceDesc:
			searchAfter[0] = priceTerm(key)
		}
	}
	q, err := s.bleveQuery(extra...)
	if err != nil {
		return nil, err
	}
	req := bleve.NewSearchRequestOptions(q, size, 0, false)
	req.SortByCustom(s.bleveSort())
	if s.p.sort != SortRelevance {
		req.Score = bleve.ScoreNone
	}
	if searchAfter != nil {
		req.SetSearchAfter(searchAfter)
	}
	return req, nil
}

// currentScore returns the score listing id has for the query now.
func (s *searcher) currentScore(id string) (float64, bool, error) {
	q, err := s.bleveQuery(query.NewDocIDQuery([]string{id}))
	if err != nil {
		return 0, false, err
	}
	res, err := s.bl.SearchInContext(s.ctx, bleve.NewSearchRequestOptions(q, 1, 0, false))
	if err != nil {
		return 0, false, fmt.Errorf("search index: %w", err)
	}
	if len(res.Hits) == 0 {
		return 0, false, nil
	}
	return res.Hits[0].Score, true, nil
}

// orderTies puts hits of equal score, which Bleve returns in index order,
// in tie key and id order, so that every path and a rebuilt index agree.
func orderTies(hits []scored) {
	sort.SliceStable(hits, func(i, j int) bool { return rankBefore(hits[i], hits[j]) })
}

// rankBefore reports whether a ranks before b by relevance: by score,
// then tie key, then id.
func rankBefore(a, b scored) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	if a.r.tie != b.r.tie {
		return a.r.tie < b.r.tie
	}
	return a.r.id < b.r.id
}

// fetch runs the plan's Bleve query for size hits.
func (s *searcher) fetch(size int, after bool) (*bleve.SearchResult, []scored, error) {
	req, err := s.request(size, after)
	if err != nil {
		return nil, nil, err
	}
	return s.run(req)
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
	if s.p.sort == SortRelevance {
		orderTies(out)
	}
	return res, out, nil
}

// native answers a text query from Bleve alone, without geo or a price
// range: a relevance page past an expired ranking, or the page of a query
// with more than FacetCap matches.
func (s *searcher) native() (*Result, error) {
	size := s.p.limit + 1
	relevanceAfter := s.p.sort == SortRelevance && s.p.after != nil
	if relevanceAfter {
		size += tieSlack
	}
	br, hits, err := s.fetch(size, true)
	if err != nil {
		return nil, err
	}
	if relevanceAfter {
		// Bleve returned the hits scoring at most the last hit; drop
		// the ones up to it in tie order.
		kept := hits[:0]
		for _, h := range hits {
			if s.before(s.afterKey, s.p.after.Tie, s.p.after.ID, h.score, h.r.tie, h.r.id) {
				kept = append(kept, h)
			}
		}
		hits = kept
	}
	res := &Result{Total: br.Total}
	if len(hits) > s.p.limit {
		hits = hits[:s.p.limit]
		last := hits[len(hits)-1]
		res.NextCursor = s.cursorAfter(last)
	}
	s.hits = hits
	return res, nil
}

// candidates answers a text query sorted by newest or price (or by
// relevance with geo or a price range, once its kept ranking expired):
// Bleve walks up to FacetCap text matches (with the other filters), the
// in-memory table checks distance and price exactly, counts facets and
// picks the page. Beyond FacetCap matches, facets are Approximate and the
// page comes from Bleve's sort (native) or, when the table filters
// further, Total is estimated from the share of candidates kept.
func (s *searcher) candidates() (*Result, error) {
	relevance := s.p.sort == SortRelevance // only when a kept ranking expired
	cands, total, err := s.matches(facetCap, relevance)
	if err != nil {
		return nil, err
	}
	read := cands.len()
	approximate := total > uint64(read)
	res := s.memory(cands, approximate)
	cands.release()
	if !approximate {
		return res, nil
	}
	if s.p.near == nil && !s.p.priceRange {
		// Bleve filters exactly: the page and the total come from it.
		page, err := s.native()
		if err != nil {
			return nil, err
		}
		page.Facets = res.Facets
		return page, nil
	}
	if read > 0 {
		res.Total = uint64(float64(res.Total) * float64(total) / float64(read))
	}
	return res, nil
}

// clause is one analyzed word or phrase: a term, or a phrase whose nil
// slots are positions a stop word held.
type clause struct {
	key    string
	phrase [][]string
}

// analyze runs text through a language's analyzer; ok is false when the
// analyzer drops all of it.
func analyze(lang, text string) (c clause, terms []string, ok bool) {
	ts := analyzerNamed(lang).Analyze([]byte(text))
	if len(ts) == 0 {
		return c, nil, false
	}
	first, last := ts[0].Position, ts[0].Position
	for _, t := range ts {
		first, last = min(first, t.Position), max(last, t.Position)
		terms = append(terms, string(t.Term))
	}
	c.phrase = make([][]string, last-first+1)
	for _, t := range ts {
		c.phrase[t.Position-first] = append(c.phrase[t.Position-first], string(t.Term))
	}
	var b strings.Builder
	for _, slot := range c.phrase {
		b.WriteString(strings.Join(slot, "\x01"))
		b.WriteByte(0)
	}
	c.key = b.String()
	return c, terms, true
}

// isPhrase reports whether the clause is a phrase query (several
// positions), not a single term.
func (c clause) isPhrase() bool {
	return len(c.phrase) > 1 || len(c.phrase) == 1 && len(c.phrase[0]) > 1
}

func (c clause) query() query.Query {
	if len(c.phrase) == 1 && len(c.phrase[0]) == 1 {
		return termQ(fText, c.phrase[0][0], 1)
	}
	return query.NewMultiPhraseQuery(c.phrase, fText)
}

func termQ(field, term string, boost float64) query.Query {
	q := bleve.NewTermQuery(term)
	q.SetField(field)
	if boost != 1 {
		q.SetBoost(boost)
	}
	return q
}

// textClauses translates the plan's text into Bleve clauses: what must
// match and what must not. The text is analyzed once per language that
// listings use, and a listing matches when every word and phrase, as
// analyzed in some language, is in its text; words a language drops (stop
// words) are left out for it. Languages that analyze the text the same way
// share one clause.
func (s *searcher) textClauses() (must, mustNot []query.Query) {
	p := s.p
	if p.text == nil {
		return nil, nil
	}
	positives := append(append([]string{}, p.text.Words...), p.text.Phrases...)
	s.terms = map[string]map[string]bool{}
	var perLang []query.Query
	var notTerms, notPhrases []query.Query
	seenConj := map[string]bool{}
	seenNot := map[string]bool{}
	for _, lang := range s.tab.activeLangs() {
		set := map[string]bool{}
		var clauses []clause
		for _, w := range positives {
			c, terms, ok := analyze(lang, w)
			if !ok {
				continue
			}
			for _, t := range terms {
				set[t] = true
			}
			clauses = append(clauses, c)
		}
		s.terms[lang] = set
		if len(clauses) > 0 {
			keys := make([]string, len(clauses))
			for i, c := range clauses {
				keys[i] = c.key
			}
			sort.Strings(keys)
			if k := strings.Join(keys, "\x02"); !seenConj[k] {
				seenConj[k] = true
				qs := make([]query.Query, len(clauses))
				for i, c := range clauses {
					qs[i] = c.query()
				}
				if len(qs) == 1 {
					perLang = append(perLang, qs[0])
				} else {
					perLang = append(perLang, bleve.NewConjunctionQuery(qs...))
				}
			}
		}
		for _, e := range p.text.Excluded {
			if c, _, ok := analyze(lang, e); ok && !seenNot[c.key] {
				seenNot[c.key] = true
				if c.isPhrase() {
					notPhrases = append(notPhrases, c.query())
				} else {
					notTerms = append(notTerms, c.query())
				}
			}
		}
	}
	// Exclusions are never scored: excluded terms then make one posting
	// bitmap (Bleve's unadorned disjunction) instead of a heap of
	// scored term readers advanced match by match.
	for _, qs := range [][]query.Query{notTerms, notPhrases} {
		switch len(qs) {
		case 0:
		case 1:
			mustNot = append(mustNot, unscored{qs[0]})
		default:
			mustNot = append(mustNot, unscored{bleve.NewDisjunctionQuery(qs...)})
		}
	}
	switch {
	case len(positives) == 0:
		must = append(must, bleve.NewMatchAllQuery())
	case len(perLang) == 0:
		must = append(must, bleve.NewMatchNoneQuery())
	case len(perLang) == 1:
		must = append(must, perLang[0])
	default:
		must = append(must, bleve.NewDisjunctionQuery(perLang...))
	}
	return must, mustNot
}

// filterClauses translates the plan's filters other than text into Bleve
// clauses, every one of which must match.
func (s *searcher) filterClauses() []query.Query {
	p := s.p
	var must2 []query.Query
	anyOf := func(field string, vals []string) {
		if len(vals) == 0 {
			return
		}
		qs := make([]query.Query, len(vals))
		for i, v := range vals {
			qs[i] = termQ(field, v, 1)
		}
		must2 = append(must2, bleve.NewDisjunctionQuery(qs...))
	}
	anyOf(fType, p.q.Types)
	anyOf(fPriceType, p.q.PriceTypes)
	anyOf(fModel, p.q.PricingModels)
	for _, t := range p.q.Tags {
		must2 = append(must2, termQ(fTag, t, 1))
	}
	if p.region != "" {
		if p.country {
			must2 = append(must2, termQ(fCountry, p.region, 1))
		} else {
			must2 = append(must2, termQ(fRegion, p.region, 1))
		}
	}
	if p.q.Currency != "" {
		must2 = append(must2, termQ(fCurrency, p.q.Currency, 1))
	}
	if p.q.Seller != "" {
		if strings.Contains(p.q.Seller, "://") {
			must2 = append(must2, termQ(fSeller, p.q.Seller, 1))
		} else {
			must2 = append(must2, termQ(fHost, p.q.Seller, 1))
		}
	}
	if p.near != nil {
		cells := coverCells(p.box)
		qs := make([]query.Query, len(cells))
		for i, c := range cells {
			qs[i] = termQ(fCell, c, 1)
		}
		must2 = append(must2, bleve.NewDisjunctionQuery(qs...))
	}
	return must2
}

// unscored is a query whose matches are never scored, whatever the
// search asks for: an exclusion, whose score nobody reads.
type unscored struct{ query.Query }

func (u unscored) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	opts.Score, opts.Explain, opts.IncludeTermVectors = "none", false, false
	return u.Query.Searcher(ctx, r, m, opts)
}

// exclusionQuery matches the listings the text's exclusions exclude, among
// those the filters keep; it is nil when no exclusion is left after
// analysis.
func (s *searcher) exclusionQuery() query.Query {
	_, not := s.textClauses()
	if len(not) == 0 {
		return nil
	}
	q := not[0]
	if len(not) > 1 {
		q = bleve.NewDisjunctionQuery(not...)
	}
	if fs := s.filterClauses(); len(fs) > 0 {
		q = bleve.NewConjunctionQuery(append([]query.Query{q}, fs...)...)
	}
	return q
}

// bleveQuery translates the plan into a Bleve query: its text, its filters
// and the extra filters given.
func (s *searcher) bleveQuery(filters ...query.Query) (query.Query, error) {
	must, mustNot := s.textClauses()
	must2 := s.filterClauses()
	// Filters go into the boolean filter, which does not score: a
	// listing's score depends on the text alone, the same with and without
	// the paging restrictions. The boolean filter is checked match by text
	// match, though; when nothing is scored (s.unscored), filters join the
	// text in a conjunction instead, which skips ahead in every clause.
	if s.unscored {
		must = append(must, must2...)
		must2 = nil
	}
	filters = append(must2, filters...)
	b := bleve.NewBooleanQuery()
	if len(must) == 0 {
		must = append(must, bleve.NewMatchAllQuery())
	}
	if len(must) == 1 {
		// One clause, as it is: AddMust would wrap it in a conjunction of
		// one, which scores the same and costs a layer per match.
		b.Must = must[0]
	} else {
		b.AddMust(must...)
	}
	if len(mustNot) > 0 {
		b.AddMustNot(mustNot...)
	}
	if len(filters) == 1 {
		b.AddFilter(filters[0])
	} else if len(filters) > 1 {
		b.AddFilter(bleve.NewConjunctionQuery(filters...))
	}
	return b, nil
}

// fill turns the page's records into hits.
func (s *searcher) fill(res *Result) error {
	res.Hits = make([]Hit, len(s.hits))
	for i, h := range s.hits {
		r, err := s.tab.load(h.r)
		if err != nil {
			return fmt.Errorf("search index: %w", err)
		}
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
		if r.HasLoc {
			hit.Location = &GeoPoint{Lat: r.Lat, Lon: r.Lon}
		}
		hit.Summary = s.summary(r)
		res.Hits[i] = hit
	}
	return nil
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
	toks := analyzerNamed(r.Lang).Analyze([]byte(text))
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
