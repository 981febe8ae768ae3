package index

import (
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// matches walks the plan's Bleve matches in index order and returns the
// records of at most limit of them (with scores when scored), and how
// many matches there are in all, counting past limit. A match is known by
// its document number, which finds its record (see docLookup): reading it
// costs no decompression, which is what makes counting facets over many
// text matches affordable. The caller releases the list.
func (s *searcher) matches(limit int, scored bool) (matchList, uint64, error) {
	s.unscored = !scored
	q, err := s.bleveQuery()
	s.unscored = false
	if err != nil {
		return nil, 0, err
	}
	return s.walk(q, limit, scored)
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

// walk is matches for any query q: its parts (see walkParts) read their
// first limit matches each, and the list keeps the first limit of all.
func (s *searcher) walk(q query.Query, limit int, scored bool) (matchList, uint64, error) {
	parts := make([]partMatches, s.ix.opts.SearchParts)
	n, err := s.walkParts(q, scored, func(i int) eachMatch {
		p := &parts[i]
		return func(id bindex.IndexInternalID, score float64, docs *docLookup) error {
			p.total++
			if p.total > uint64(limit) {
				return nil
			}
			r, err := docs.rec(id)
			p.add(r, score)
			return err
		}
	})
	l, total := gather(parts[:n], limit)
	if err != nil {
		l.release()
		return nil, 0, err
	}
	return l, total, nil
}

// partMatches are the matches one part of a walk read. Parts sit side by
// side in a slice and each is written on every match by its own core:
// the padding keeps them on cache lines of their own (without it, text
// queries walked in two parts took 40% more CPU).
type partMatches struct {
	_     [cacheLinePad]byte
	total uint64   // every match of the part, also those not read
	got   []scored // the records of the matches read, in index order
	nils  []uint64 // positions in the part of matches read without a record (a listing the table no longer has)
}

// cacheLinePad is two cache lines: processors fetch lines in pairs.
const cacheLinePad = 128

// add keeps the match at position total-1 of the part, or notes that it
// has no record when r is nil.
func (p *partMatches) add(r *rec, score float64) {
	if r == nil {
		p.nils = append(p.nils, p.total-1)
		return
	}
	if p.got == nil {
		p.got = getScored()
	}
	p.got = append(p.got, scored{r: r, score: score})
}

// gather keeps, of the parts' matches in index order, the records of the
// first limit (each part read its own first limit), and counts every
// match.
func gather(parts []partMatches, limit int) (matchList, uint64) {
	var l matchList
	var total uint64
	for _, p := range parts {
		left := int64(limit) - int64(total)
		total += p.total
		if left <= 0 {
			putScored(p.got)
			continue
		}
		if read := uint64(len(p.got) + len(p.nils)); uint64(left) < read {
			// Keep the records among the part's first left matches.
			k := left
			for _, n := range p.nils {
				if n < uint64(left) {
					k--
				}
			}
			clear(p.got[k:])
			p.got = p.got[:k]
		}
		if len(p.got) > 0 {
			l = append(l, p.got)
		} else {
			putScored(p.got)
		}
	}
	return l, total
}

// matchList is the records of a walk's matches in index order, in the
// slices its parts filled.
type matchList [][]scored

// len is how many records the list holds.
func (l matchList) len() int {
	n := 0
	for _, p := range l {
		n += len(p)
	}
	return n
}

// release gives the list's slices back for other walks to fill; the list
// is not read after.
func (l matchList) release() {
	for _, p := range l {
		putScored(p)
	}
}

// scoredPool keeps the slices walks fill: a broad text query reads up to
// FacetCap matches (2.4 MB of records), and fresh memory of that size
// each query cost more than the walk's own work (page faults, zeroing).
var scoredPool = sync.Pool{New: func() any { return new([]scored) }}

func getScored() []scored { return (*scoredPool.Get().(*[]scored))[:0] }

func putScored(b []scored) {
	if cap(b) == 0 {
		return
	}
	clear(b) // drop the records, so that the pool keeps no listing alive
	b = b[:0]
	scoredPool.Put(&b)
}
