package index_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/index/synth"
)

// TestRankedWithFacetsSameHits: a relevance query with facets ranks its
// matches in the same walk that counts the facets; its pages must be the
// ones the same query without facets gives (a walk that reads only the
// matches that would rank), and its total the same; past the first
// window both extend the ranking from Bleve's own sort.
func TestRankedWithFacetsSameHits(t *testing.T) {
	ix := openIndex(t, t.TempDir())
	g := synth.New(21)
	for i := 0; i < 3000; i++ {
		putSynth(t, ix, g.Listing(i))
	}
	if err := ix.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	type hit struct {
		id    string
		score float64
	}
	pages := func(q index.Query) (all []hit, total uint64) {
		for n := 0; n < 8; n++ {
			res, err := ix.Search(context.Background(), q)
			if err != nil {
				if errors.Is(err, index.ErrInvalidQuery) && n == 0 {
					return nil, 0
				}
				t.Fatalf("%+v: %v", q, err)
			}
			if n == 0 {
				total = res.Total
			}
			for _, h := range res.Hits {
				all = append(all, hit{h.ID, h.Score})
			}
			if res.NextCursor == "" {
				break
			}
			q.Cursor = res.NextCursor
		}
		return all, total
	}
	idSet := func(hs []hit) []string {
		out := make([]string, len(hs))
		for i, h := range hs {
			out[i] = h.id
		}
		slices.Sort(out)
		return out
	}
	compared := 0
	for _, text := range g.TextQueries(80) {
		with, wt := pages(index.Query{Text: text, Facets: true, Limit: 20})
		without, wot := pages(index.Query{Text: text, Limit: 20})
		if wt != wot || len(with) != len(without) || !slices.Equal(idSet(with), idSet(without)) {
			t.Errorf("%q: with facets %d matches, %d hits; without %d, %d hits", text, wt, len(with), wot, len(without))
			continue
		}
		// The first window of 100 hits is ranked by one walk or by
		// Bleve; past it both extend the ranking from Bleve. Listings of
		// the same score as the window's last may fall on either side
		// of its edge; every other one has the same place.
		edge := math.NaN()
		if len(with) > 100 {
			edge = with[99].score
		}
		for i := range with {
			if with[i].score != without[i].score || with[i].score != edge && with[i].id != without[i].id {
				t.Errorf("%q: hit %d with facets %v, without %v", text, i, with[i], without[i])
				break
			}
		}
		if len(with) > 0 {
			compared++
		}
	}
	if compared < 20 {
		t.Fatalf("only %d queries found anything: the test checks too little", compared)
	}
}
