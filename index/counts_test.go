package index_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/index/synth"
	"github.com/sovereign-marketplace/market/listing"
)

// TestBrowseFacetsKeptCounts: a browse without filter, or with one value
// of type, price type, pricing model or currency alone, takes its facets
// from the counts the index keeps as listings come, change and go; they
// must equal the facets counted listing by listing, after puts, updates
// that change every faceted field, deletes and a reopen from the
// snapshot.
func TestBrowseFacetsKeptCounts(t *testing.T) {
	dir := t.TempDir()
	ix := openIndex(t, dir)
	g := synth.New(5)
	const n = 600
	put := func(it synth.Item) {
		putSynth(t, ix, it)
	}
	// A rebuilt (empty) index, so that a reopen keeps what was put.
	if err := ix.Rebuild(context.Background(), func(func(*listing.Listing, index.Meta) error) error { return nil }); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		put(g.Listing(i))
	}
	// Updates: listing i takes the fields of listing n+i (same id).
	for i := 0; i < n; i += 3 {
		it := g.Listing(n + i)
		l := *it.Listing
		l.ID, l.FederatedAPID = g.Listing(i).Listing.ID, g.Listing(i).Listing.FederatedAPID
		it.Listing = &l
		put(it)
	}
	for i := 1; i < n; i += 5 {
		if err := ix.Delete(g.Listing(i).Listing.FederatedAPID); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	types := make([]string, len(listing.Types))
	for i, ty := range listing.Types {
		types[i] = string(ty)
	}
	ptypes := make([]string, len(listing.PriceTypes))
	for i, pt := range listing.PriceTypes {
		ptypes[i] = string(pt)
	}
	// Each browse the index keeps counts for, and the same listings by
	// a filter it keeps none for (a second dimension every listing
	// passes), so that their facets are counted one by one.
	cases := []struct{ kept, counted index.Query }{
		{index.Query{}, index.Query{Types: types}},
		{index.Query{Types: types[:1]}, index.Query{Types: types[:1], PriceTypes: ptypes}},
		{index.Query{Types: types[1:2]}, index.Query{Types: types[1:2], PriceTypes: ptypes}},
		{index.Query{PriceTypes: ptypes[:1]}, index.Query{PriceTypes: ptypes[:1], Types: types}},
		{index.Query{PricingModels: []string{"one_time"}}, index.Query{PricingModels: []string{"one_time"}, Types: types}},
		{index.Query{Currency: "USD"}, index.Query{Currency: "USD", Types: types}},
		{index.Query{Currency: "EUR", Sort: index.SortPriceAsc}, index.Query{Currency: "EUR", Sort: index.SortPriceAsc, Types: types}},
	}
	check := func(when string, ix *index.Index) {
		t.Helper()
		for _, c := range cases {
			c.kept.Facets, c.counted.Facets, c.kept.Limit, c.counted.Limit = true, true, 5, 5
			kept, counted := search(t, ix, c.kept), search(t, ix, c.counted)
			if kept.Total != counted.Total || !reflect.DeepEqual(kept.Facets, counted.Facets) || !reflect.DeepEqual(ids(kept), ids(counted)) {
				t.Errorf("%s: %+v: kept facets differ from those counted:\nkept    %d %v %+v\ncounted %d %v %+v", when, c.kept, kept.Total, ids(kept), kept.Facets, counted.Total, ids(counted), counted.Facets)
			}
			if kept.Total == 0 || len(kept.Facets.ListingType) == 0 || len(kept.Facets.Tags) == 0 {
				t.Errorf("%s: %+v: facets too thin to compare: %d %+v", when, c.kept, kept.Total, kept.Facets)
			}
		}
	}
	check("live", ix)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	check("reopened", openIndex(t, dir))
}
