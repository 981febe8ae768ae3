package index

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	bindex "github.com/blevesearch/bleve_index_api"
)

// Relevance paging. Text scores move as listings come and go (they depend
// on how common each word is), so paging by "score below the last one"
// can repeat or skip hits. Instead the first page of a relevance query
// keeps its ranking (the ids of its best matches) for a while, and later
// pages read on from it; when they reach its end the ranking is extended
// from the listings received before the first page, skipping ids already
// in it. Every listing present from the first page to the last is shown
// exactly once; one updated meanwhile is checked against the query again. When a ranking has expired (see maxRankedIDs, rankingTTL)
// a cursor still works, paging by the last hit's current score.
const (
	maxRankedIDs = 1 << 20 // ids all kept rankings hold together (about 24 MB)
	rankingTTL   = 30 * time.Minute
	maxRankKeep  = 1000 // ids a ranking takes at once
)

// ranking is the kept order of one relevance query.
type ranking struct {
	mu       sync.Mutex
	ids      []string
	scores   []float64
	seen     map[string]bool
	complete bool   // ids hold every match
	since    int64  // unix ms of the first page
	total    uint64 // matches at the first page
	created  time.Time
}

func (r *ranking) add(id string, score float64) {
	if !r.seen[id] {
		r.seen[id] = true
		r.ids = append(r.ids, id)
		r.scores = append(r.scores, score)
	}
}

// rankCache holds recent rankings by token, oldest evicted first.
type rankCache struct {
	mu   sync.Mutex
	m    map[string]*ranking
	fifo []string
	ids  int // ids held, counted when a ranking is put
	size map[string]int
}

func (c *rankCache) put(r *ranking) string {
	var b [12]byte
	rand.Read(b[:])
	tok := base64.RawURLEncoding.EncodeToString(b[:])
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m, c.size = map[string]*ranking{}, map[string]int{}
	}
	n := len(r.ids)
	for len(c.fifo) > 0 && (c.ids+n > maxRankedIDs || time.Since(c.m[c.fifo[0]].created) > rankingTTL) {
		old := c.fifo[0]
		c.ids -= c.size[old]
		delete(c.m, old)
		delete(c.size, old)
		c.fifo = c.fifo[1:]
	}
	c.m[tok], c.size[tok] = r, n
	c.ids += n
	c.fifo = append(c.fifo, tok)
	return tok
}

func (c *rankCache) get(tok string) *ranking {
	if tok == "" {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.m[tok]
	if r == nil || time.Since(r.created) > rankingTTL {
		return nil
	}
	return r
}

// rankWindow is how many ranked hits a relevance query fetches at once.
func rankWindow(limit int) int { return min(max(5*limit, 100), maxRankKeep) }

// relevance answers a text query sorted by relevance.
func (s *searcher) relevance() (*Result, error) {
	p := s.p
	if p.after != nil {
		r := s.ix.ranks.get(p.after.T)
		if r == nil {
			// The ranking expired: page by the last hit's current score.
			if p.near != nil || p.priceRange {
				return s.candidates()
			}
			res, err := s.native()
			if err != nil || !p.q.Facets {
				return res, err
			}
			hits := s.hits
			if res.Facets, err = s.facetsOnly(); err != nil {
				return nil, err
			}
			s.hits = hits
			return res, nil
		}
		res, err := s.fromRanking(r, p.after.P)
		if err != nil || !p.q.Facets {
			return res, err
		}
		hits := s.hits
		f, err := s.facetsOnly()
		if err != nil {
			return nil, err
		}
		res.Facets, s.hits = f, hits
		return res, nil
	}

	res := &Result{}
	r := &ranking{seen: map[string]bool{}, since: p.now, created: time.Now()}
	if p.near != nil || p.priceRange {
		// The table filters: rank every match (up to FacetCap) in memory.
		l, total, err := s.matches(facetCap, true)
		if err != nil {
			return nil, err
		}
		read := l.len()
		approximate := total > uint64(read)
		m := s.memory(l, approximate)
		res.Facets, res.Total = m.Facets, m.Total
		if approximate && read > 0 {
			res.Total = uint64(float64(m.Total) * float64(total) / float64(read))
		}
		cands := s.keep(l)
		l.release()
		orderTies(cands)
		for _, h := range cands[:min(len(cands), maxRankKeep)] {
			r.add(h.r.id, h.score)
		}
		// Geo matches beyond the candidates cannot be fetched later.
		r.complete = len(cands) <= maxRankKeep && (!approximate || p.near != nil)
	} else if p.q.Facets {
		best, total, facets, err := s.rankAndCount(rankWindow(p.limit), true)
		if err != nil {
			return nil, err
		}
		res.Total, res.Facets = total, facets
		for _, h := range best {
			r.add(h.r.id, h.score)
		}
		r.complete = total <= uint64(len(best))
	} else {
		best, total, _, err := s.rankAndCount(rankWindow(p.limit), false)
		if err != nil {
			return nil, err
		}
		res.Total = total
		for _, h := range best {
			r.add(h.r.id, h.score)
		}
		r.complete = total <= uint64(len(best))
	}
	r.total = res.Total
	page, err := s.fromRanking(r, 0)
	if err != nil {
		return nil, err
	}
	if page.NextCursor != "" {
		// Keep the ranking only when there is a next page.
		tok := s.ix.ranks.put(r)
		c, _ := decodeCursor(page.NextCursor)
		c.T = tok
		page.NextCursor = c.encode()
	}
	res.Hits, res.NextCursor = page.Hits, page.NextCursor
	return res, nil
}

// fromRanking serves the page starting at position pos of r, extending r
// when it runs out.
func (s *searcher) fromRanking(r *ranking, pos int) (*Result, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if pos < 0 || pos > len(r.ids) {
		// Only a forged cursor points outside its ranking: it only grows.
		return nil, invalid("cursor", "points outside its ranking; pass next_cursor from the previous page unchanged")
	}
	var page []scored
	next := pos
	for len(page) <= s.p.limit {
		if next >= len(r.ids) {
			if r.complete {
				break
			}
			n := len(r.ids)
			if err := s.extend(r); err != nil {
				return nil, err
			}
			if len(r.ids) == n {
				r.complete = true
				break
			}
		}
		// A listing deleted since is skipped, and so is one updated out
		// of the filters or, its text checked again, out of the query.
		if rec, ok := s.tab.byID[r.ids[next]]; ok && s.passes(rec) {
			if rec.indexed > r.since {
				still, err := s.stillMatches(rec.id)
				if err != nil {
					return nil, err
				}
				if !still {
					next++
					continue
				}
			}
			if d, ok := s.distance(rec); ok {
				if len(page) == s.p.limit {
					break // there is a next page
				}
				page = append(page, scored{r: rec, score: r.scores[next], dist: d})
			}
		}
		next++
	}
	res := &Result{Total: r.total}
	s.hits = page
	if next < len(r.ids) || !r.complete {
		if len(page) > 0 {
			last := page[len(page)-1]
			c := &cursor{V: cursorVersion, Hash: s.p.hash, Key: last.score, Tie: last.r.tie, ID: last.r.id, P: next}
			if s.p.after != nil {
				c.T = s.p.after.T
			}
			res.NextCursor = c.encode()
		}
	}
	return res, nil
}

// stillMatches reports whether the listing with this id matches the
// query's text now (it was updated after its ranking was made).
func (s *searcher) stillMatches(id string) (bool, error) {
	q, err := s.bleveQuery()
	if err != nil {
		return false, err
	}
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(q, bleve.NewDocIDQuery([]string{id})), 0, 0, false)
	res, err := s.bl.SearchInContext(s.ctx, req)
	if err != nil {
		return false, fmt.Errorf("search index: %w", err)
	}
	return res.Total > 0, nil
}

// extend appends to r the next best listings received before its first
// page that it does not hold yet.
func (s *searcher) extend(r *ranking) error {
	q, err := s.bleveQuery()
	if err != nil {
		return err
	}
	size := len(r.ids) + rankWindow(s.p.limit)
	req := bleve.NewSearchRequestOptions(q, size, 0, false)
	req.SortByCustom(s.bleveSort())
	br, hits, err := s.run(req)
	if err != nil {
		return err
	}
	for _, h := range hits {
		if h.r.indexed <= r.since && (!s.p.priceRange || s.passes(h.r)) {
			r.add(h.r.id, h.score)
		}
	}
	r.complete = br.Total <= uint64(len(br.Hits))
	return nil
}

// rankAndCount walks the query's matches once, scored: it counts facets
// over the first FacetCap matches, as facetsOnly does, and keeps the best
// window of all the matches in ranking order (see rankBefore), which is
// what Bleve's best hits would be, without Bleve walking the matches a
// second time. A match past FacetCap is read only when it would rank.
// Without facets (withFacets false) only the best window is kept.
//
// The walk is split in parts (see walkParts): each keeps its own best
// window and its own first FacetCap matches, and the parts are merged
// after, so the answer is the one walk's.
func (s *searcher) rankAndCount(window int, withFacets bool) (best []scored, total uint64, facets Facets, err error) {
	q, err := s.bleveQuery()
	if err != nil {
		return nil, 0, Facets{}, err
	}
	type part struct {
		partMatches
		best []scored
		_    [cacheLinePad]byte
	}
	parts := make([]part, s.ix.opts.SearchParts)
	n, err := s.walkParts(q, true, func(i int) eachMatch {
		p := &parts[i]
		p.best = make([]scored, 0, window+1)
		return func(id bindex.IndexInternalID, score float64, docs *docLookup) error {
			p.total++
			counting := withFacets && p.total <= uint64(facetCap)
			if !counting && len(p.best) == window && score < p.best[window-1].score {
				return nil
			}
			r, err := docs.rec(id)
			if counting {
				p.add(r, score)
			}
			if err != nil || r == nil {
				return err
			}
			p.best = insertRanked(p.best, scored{r: r, score: score}, window)
			return nil
		}
	})
	pms := make([]partMatches, n)
	for i := range pms {
		pms[i] = parts[i].partMatches
	}
	cands, total := gather(pms, facetCap)
	defer cands.release()
	if err != nil {
		return nil, 0, Facets{}, err
	}
	best = make([]scored, 0, window+1)
	for _, p := range parts[:n] {
		for _, h := range p.best { // in ranking order: the rest rank lower
			if len(best) == window && !rankBefore(h, best[window-1]) {
				break
			}
			best = insertRanked(best, h, window)
		}
	}
	if withFacets {
		hits := s.hits
		facets = s.memory(cands, total > uint64(cands.len())).Facets
		s.hits = hits
	}
	return best, total, facets, nil
}

// insertRanked puts h in its place among best, a list in ranking order
// (see rankBefore) that keeps at most window hits.
func insertRanked(best []scored, h scored, window int) []scored {
	if len(best) == window && !rankBefore(h, best[window-1]) {
		return best
	}
	i := sort.Search(len(best), func(i int) bool { return rankBefore(h, best[i]) })
	if len(best) < window {
		best = append(best, scored{})
	}
	copy(best[i+1:], best[i:len(best)-1])
	best[i] = h
	return best
}

// facetsOnly counts facets of the query over its first FacetCap matches.
func (s *searcher) facetsOnly() (Facets, error) {
	l, total, err := s.matches(facetCap, false)
	if err != nil {
		return Facets{}, err
	}
	defer l.release()
	hits := s.hits
	f := s.memory(l, total > uint64(l.len())).Facets
	s.hits = hits
	return f, nil
}

// filter returns the query's compiled in-memory filter.
func (s *searcher) filter() *filter {
	if s.f == nil {
		f := s.compile()
		s.f = &f
	}
	return s.f
}

// passes reports whether the listing of r passes the query's filters.
func (s *searcher) passes(r *rec) bool {
	return s.filter().match(s.tab, r.pos)
}

// keep returns the candidates within the price range and the radius.
func (s *searcher) keep(cands matchList) []scored {
	var out []scored
	for _, part := range cands {
		for _, h := range part {
			if s.p.priceRange && !s.passes(h.r) {
				continue
			}
			if d, ok := s.distance(h.r); ok {
				h.dist = d
				out = append(out, h)
			}
		}
	}
	return out
}
