package index_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/index/synth"
	"github.com/sovereign-marketplace/market/listing"
)

// TestSplitWalkSameAnswers: a text query's matches walked in parts at
// once (Options.SearchParts) must give exactly the answers of one walk:
// the same hits with the same scores on every page, the same totals and
// the same facets, for every kind of text query.
func TestSplitWalkSameAnswers(t *testing.T) {
	defer index.SetMinPartDocs(1)()
	ix, err := index.Open(t.TempDir(), index.Options{FlushInterval: 5 * time.Millisecond, BatchSize: 250})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	g := synth.New(33)
	for i := 0; i < 3000; i++ {
		putSynth(t, ix, g.Listing(i))
	}
	if err := ix.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := index.SettleMerges(ix); err != nil {
		t.Fatal(err)
	}

	type page struct {
		Total  uint64
		Hits   []string
		Facets index.Facets
	}
	pages := func(parts int, q index.Query) ([]page, error) {
		index.SetSearchParts(ix, parts)
		var out []page
		for n := 0; n < 6; n++ {
			res, err := ix.Search(context.Background(), q)
			if err != nil {
				return nil, err
			}
			p := page{Total: res.Total, Facets: res.Facets}
			for _, h := range res.Hits {
				p.Hits = append(p.Hits, fmt.Sprintf("%s %v", h.ID, h.Score))
			}
			out = append(out, p)
			if res.NextCursor == "" {
				break
			}
			q.Cursor = res.NextCursor
		}
		return out, nil
	}

	r := rand.New(rand.NewPCG(4, 4))
	var qs []index.Query
	for i, text := range g.TextQueries(60) {
		reg := synth.Regions[r.IntN(len(synth.Regions))]
		qs = append(qs,
			index.Query{Text: text},
			index.Query{Text: text, Facets: true},
			index.Query{Text: text, Facets: true, Types: []string{string(listing.Types[i%len(listing.Types)])}, Region: reg.Code[:2]},
			index.Query{Text: text, Facets: true, Sort: index.SortNewest},
			index.Query{Text: text, Sort: index.SortPriceAsc, Currency: "USD"},
			index.Query{Text: text, Near: &index.GeoPoint{Lat: reg.Lat, Lon: reg.Lon}, RadiusKm: 2000, Facets: true},
		)
		if w := strings.Fields(strings.Trim(text, `"-`)); len(w) > 0 {
			qs = append(qs, index.Query{Text: "-" + w[0], Facets: true}) // exclusions only: Bleve walks the excluded
		}
	}
	compare := func(what string) {
		found := 0
		for _, q := range qs {
			want, werr := pages(1, q)
			got, gerr := pages(4, q)
			if werr != nil || gerr != nil {
				if errors.Is(werr, index.ErrInvalidQuery) && errors.Is(gerr, index.ErrInvalidQuery) {
					continue
				}
				t.Fatalf("%s, %+v: one walk: %v; in parts: %v", what, q, werr, gerr)
			}
			if !reflect.DeepEqual(want, got) {
				t.Errorf("%s, %+v:\none walk %+v\nin parts %+v", what, q, want, got)
				continue
			}
			if len(want[0].Hits) > 0 {
				found++
			}
		}
		if found < len(qs)/3 {
			t.Fatalf("%s: only %d of %d queries found anything: the test checks too little", what, found, len(qs))
		}
	}
	compare("exact facets")
	// A search whose context has ended stops in every part.
	index.SetSearchParts(ix, 4)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, q := range qs[:14] {
		if _, err := ix.Search(ctx, q); !errors.Is(err, context.Canceled) {
			t.Errorf("%+v in parts, with a cancelled context: %v", q, err)
		}
	}
	// Facets over the first 150 matches only, in index order: the parts
	// must hand them over in that order.
	defer index.SetFacetCap(150)()
	compare("facets over the first 150 matches")
}
