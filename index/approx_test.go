package index

import (
	"context"
	"testing"
)

// TestApproximateFacets lowers the number of matches a text query walks
// and checks what a broad query then answers: facets marked approximate,
// pages still in order without repeats, totals estimated.
func TestApproximateFacets(t *testing.T) {
	ix := synthIndex(t, 9, 500)
	ctx := context.Background()
	var err error
	exact := map[string]*Result{}
	queries := map[string]Query{
		"relevance": {Text: "dataset", Facets: true},
		"newest":    {Text: "dataset", Facets: true, Sort: SortNewest},
		"price":     {Text: "dataset", Currency: "USD", PriceMax: new(int64), Sort: SortPriceAsc},
		"geo":       {Text: "dataset", Near: &GeoPoint{Lat: 40, Lon: 0}, RadiusKm: 20000, Facets: true},
	}
	*queries["price"].PriceMax = 5000
	for name, q := range queries {
		if exact[name], err = ix.Search(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	defer func(c int) { facetCap = c }(facetCap)
	facetCap = 40
	for name, q := range queries {
		res, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		want := exact[name]
		t.Logf("%s: exact total %d, capped total %d, approximate %v", name, want.Total, res.Total, res.Facets.Approximate)
		if q.Facets && !res.Facets.Approximate && want.Total > 40 {
			t.Errorf("%s: %d matches over a cap of 40, facets not marked approximate", name, want.Total)
		}
		if want.Facets.Approximate {
			t.Errorf("%s: facets approximate without a cap", name)
		}
		if res.Total == 0 || float64(res.Total) > 3*float64(want.Total) || 3*float64(res.Total) < float64(want.Total) {
			t.Errorf("%s: total %d, exact %d", name, res.Total, want.Total)
		}
		// Page through: no repeats.
		seen := map[string]bool{}
		for pages := 0; pages < 100; pages++ {
			for _, h := range res.Hits {
				if seen[h.ID] {
					t.Fatalf("%s: %s repeated", name, h.ID)
				}
				seen[h.ID] = true
			}
			if res.NextCursor == "" {
				break
			}
			q.Cursor = res.NextCursor
			if res, err = ix.Search(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if name == "newest" || name == "relevance" {
			// Bleve filters these exactly: every match is paged through.
			if uint64(len(seen)) != want.Total {
				t.Errorf("%s: paged through %d of %d", name, len(seen), want.Total)
			}
		}
	}
}
