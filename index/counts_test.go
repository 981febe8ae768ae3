package index_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/index/synth"
	"github.com/sovereign-marketplace/market/listing"
)

// TestBrowseFacetsKeptCounts: a browse without filter takes its facets
// from the counts the index keeps as listings come, change and go; they
// must equal the facets counted listing by listing (a filter every
// listing passes), after puts, updates that change every faceted field,
// deletes and a reopen from the snapshot.
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
	check := func(when string, ix *index.Index) {
		t.Helper()
		kept := search(t, ix, index.Query{Facets: true, Limit: 5})
		counted := search(t, ix, index.Query{Facets: true, Limit: 5, Types: types})
		if kept.Total != counted.Total || !reflect.DeepEqual(kept.Facets, counted.Facets) {
			t.Errorf("%s: facets of a browse without filter differ from those counted:\nkept    %d %+v\ncounted %d %+v", when, kept.Total, kept.Facets, counted.Total, counted.Facets)
		}
		if len(kept.Facets.Tags) != index.TopTags || len(kept.Facets.ListingType) == 0 || len(kept.Facets.PriceBand) == 0 {
			t.Errorf("%s: facets too thin to compare: %+v", when, kept.Facets)
		}
	}
	check("live", ix)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	check("reopened", openIndex(t, dir))
}
