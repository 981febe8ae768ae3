package index

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// maxSearchParts caps Options.SearchParts.
const maxSearchParts = 4

// minPartDocs is the fewest Bleve documents a part of a walk gets: below
// twice this, a walk is not split (the second goroutine and searcher cost
// more than they save). A variable so that tests split small indexes.
var minPartDocs uint64 = 25_000

// eachMatch receives one match of a walk: its document number (docs finds
// its record) and its score when the walk is scored.
type eachMatch func(id bindex.IndexInternalID, score float64, docs *docLookup) error

// walkParts walks every match of q, split into at most Options.SearchParts
// ranges of Bleve's document numbers walked at once, one goroutine each.
// part(i) returns what receives the matches of part i, in index order
// within the part; parts are in index order too (part 0 holds the lowest
// document numbers). It returns how many parts walked.
//
// Every part searches the same reader, so a match scores exactly as in a
// walk of the whole index (Bleve's term statistics are the reader's, not
// the part's): merging the parts' results gives what one walk would. One
// text query then uses every core, which is what brings one client's
// latency down on a large index; the total CPU is about the same.
func (s *searcher) walkParts(q query.Query, scored bool, part func(i int) eachMatch) (int, error) {
	reader, err := s.reader()
	if err != nil {
		return 0, err
	}
	defer reader.Close()
	docs := s.tab.lookup(reader)
	bounds := partBounds(docs.docCount(), s.ix.partsForWalk())
	defer s.ix.walking.Add(-1)
	if len(bounds) == 1 {
		return 1, s.walkRange(s.ctx, q, scored, reader, docs, 0, bounds[0], part(0))
	}
	ctx, cancel := context.WithCancelCause(s.ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	errs := make([]error, len(bounds))
	for i := range bounds {
		var lo uint64
		if i > 0 {
			lo = bounds[i-1]
		}
		each := part(i)
		walk := func() {
			if errs[i] = s.walkRange(ctx, q, scored, reader, docs, lo, bounds[i], each); errs[i] != nil {
				cancel(errs[i])
			}
		}
		if i == len(bounds)-1 {
			walk() // the last part on the caller's goroutine
			continue
		}
		wg.Add(1)
		go func() { defer wg.Done(); walk() }()
	}
	wg.Wait()
	// A part stopped by another's failure returns that failure (the
	// cancel's cause), so the first error of all is the one to report.
	for _, err := range errs {
		if err != nil {
			return len(bounds), err
		}
	}
	return len(bounds), nil
}

// partsForWalk counts a walk starting and returns how many parts it may
// take: Options.SearchParts when it is the only walk, otherwise no more
// than the processors the other walks leave (at least one). Splitting
// only pays with a processor to spare: when every core is busy with other
// queries, a second part adds its searcher and its hand-over to the
// CPU of the query and takes nothing off its wait.
func (ix *Index) partsForWalk() int {
	busy := int(ix.walking.Add(1))
	parts := ix.opts.SearchParts
	if busy > 1 {
		parts = min(parts, max(runtime.GOMAXPROCS(0)-busy+1, 1))
	}
	return parts
}

// partBounds splits document numbers [0, docs) into at most parts ranges
// of at least minPartDocs each and returns each range's end.
func partBounds(docs uint64, parts int) []uint64 {
	n := uint64(max(parts, 1))
	if docs/n < minPartDocs {
		n = max(docs/minPartDocs, 1)
	}
	if n == 1 {
		return []uint64{^uint64(0)}
	}
	bounds := make([]uint64, n)
	for i := range n {
		bounds[i] = docs * (i + 1) / n
	}
	bounds[n-1] = ^uint64(0) // the last part takes whatever the reader holds past docs
	return bounds
}

// walkRange calls each with every match of q whose document number is in
// [lo, hi), in index order, from a searcher of its own on reader.
func (s *searcher) walkRange(ctx context.Context, q query.Query, scored bool, reader bindex.IndexReader, docs *docLookup, lo, hi uint64, each eachMatch) error {
	if err := ctx.Err(); err != nil {
		return context.Cause(ctx)
	}
	opts := search.SearcherOptions{Score: "none"}
	if scored {
		opts.Score = ""
	}
	sr, err := q.Searcher(ctx, reader, s.bl.Mapping(), opts)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	defer sr.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(sr.DocumentMatchPoolSize(), 0), IndexReader: reader}
	var dm *search.DocumentMatch
	if lo == 0 {
		dm, err = sr.Next(sctx)
	} else {
		dm, err = sr.Advance(sctx, bindex.NewIndexInternalID(nil, lo))
	}
	for n := 1; ; n++ {
		if err != nil {
			return fmt.Errorf("search index: %w", err)
		}
		if dm == nil || dm.IndexInternalID.Value() >= hi {
			return nil
		}
		if err := each(dm.IndexInternalID, dm.Score, docs); err != nil {
			return err
		}
		sctx.DocumentMatchPool.Put(dm)
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return context.Cause(ctx)
			}
		}
		dm, err = sr.Next(sctx)
	}
}
