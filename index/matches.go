package index

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// matches walks the plan's Bleve matches in index order, at most limit of
// them, and calls fn with each one's record (and score when scored). A
// match is known by its document id, which the segment keeps uncompressed
// at the head of the document's stored fields: reading it costs no
// decompression, which is what makes counting facets over many text
// matches affordable. It returns how many matches there are in all,
// counting past limit.
func (s *searcher) matches(limit int, scored bool, fn func(r *rec, score float64)) (uint64, error) {
	s.unscored = !scored
	q, err := s.bleveQuery()
	s.unscored = false
	if err != nil {
		return 0, err
	}
	return s.walk(q, limit, scored, fn)
}

// reader opens a reader of the Bleve index as it is now; the caller
// closes it.
func (s *searcher) reader() (bindex.IndexReader, error) {
	adv, err := s.bl.Advanced()
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	return r, nil
}

// walk is matches for any query q.
func (s *searcher) walk(q query.Query, limit int, scored bool, fn func(r *rec, score float64)) (uint64, error) {
	var total uint64
	err := s.walkEach(q, scored, func(id bindex.IndexInternalID, score float64, docs *docLookup) error {
		total++
		if total > uint64(limit) {
			return nil
		}
		r, err := docs.rec(id)
		if r != nil {
			fn(r, score)
		}
		return err
	})
	return total, err
}

// walkEach calls each with every match of q in index order: its document
// number (docs finds its record) and its score when scored.
func (s *searcher) walkEach(q query.Query, scored bool, each func(id bindex.IndexInternalID, score float64, docs *docLookup) error) error {
	reader, err := s.reader()
	if err != nil {
		return err
	}
	defer reader.Close()
	opts := search.SearcherOptions{Score: "none"}
	if scored {
		opts.Score = ""
	}
	sr, err := q.Searcher(s.ctx, reader, s.bl.Mapping(), opts)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	defer sr.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(sr.DocumentMatchPoolSize(), 0), IndexReader: reader}
	docs := s.tab.lookup(reader)
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := s.ctx.Err(); err != nil {
				return err
			}
		}
		dm, err := sr.Next(sctx)
		if err != nil {
			return fmt.Errorf("search index: %w", err)
		}
		if dm == nil {
			return nil
		}
		if err := each(dm.IndexInternalID, dm.Score, docs); err != nil {
			return err
		}
		sctx.DocumentMatchPool.Put(dm)
	}
}
