package index

import (
	"context"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bsearcher "github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// kept is a query matching the matches of its inner query that the
// in-memory table keeps: Bleve indexes only the text and the sort keys, so
// the other filters of a text query (type, tags, region, currency,
// seller, the geohash cells around a point) are checked on each text
// match's record, never scored. A match is known by its document id,
// which Bleve keeps uncompressed, so checking one decodes no stored field.
type kept struct {
	query.Query
	keep func(*rec) bool
	tab  *table
}

// Searcher wraps the inner query's searcher in one that drops the matches
// whose record keep refuses (or that the table does not hold).
func (k kept) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	inner, err := k.Query.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	return bsearcher.NewFilteringSearcher(ctx, inner, func(_ *search.SearchContext, d *search.DocumentMatch) bool {
		id, err := r.ExternalID(d.IndexInternalID)
		if err != nil {
			return false
		}
		rec, ok := k.tab.byID[id]
		return ok && k.keep(rec)
	}), nil
}

// textFilter returns the check of the plan's filters other than text that
// a text match must pass, or nil when the plan has none. The price range
// is not part of it (the table checks it with the exact distance, see
// memory and keep); a radius is checked as the geohash cells that cover
// its box, like the prefilter of a query without text.
func (s *searcher) textFilter() func(*rec) bool {
	p := s.p
	f := s.compile()
	f.priceRange = false
	hasFilter := f.none || f.types != nil || f.ptypes != nil || f.pmodels != nil || len(f.tags) > 0 ||
		p.region != "" || p.q.Currency != "" || p.q.Seller != ""
	if p.near == nil {
		if !hasFilter {
			return nil
		}
		return f.match
	}
	cover := coverCells(p.box)
	cells := make(map[string]bool, len(cover))
	precision := maxCellPrecision
	for _, c := range cover {
		cells[c] = true
		precision = len(c)
	}
	return func(r *rec) bool {
		return r.s.HasLoc && cells[geohash(r.s.Lat, r.s.Lon, maxCellPrecision)[:precision]] && f.match(r)
	}
}

// withFilters wraps q in the plan's filters other than text, if any.
func (s *searcher) withFilters(q query.Query) query.Query {
	keep := s.textFilter()
	if keep == nil {
		return q
	}
	return kept{Query: q, keep: keep, tab: s.tab}
}
