package index_test

import (
	"context"
	"testing"

	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/index/synth"
)

func TestSmoke(t *testing.T) {
	ix, err := index.Open(t.TempDir(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	g := synth.New(1)
	for i := 0; i < 2000; i++ {
		it := g.Listing(i)
		if err := ix.Put(it.Listing, index.Meta{SellerName: it.SellerName, SellerHost: it.SellerHost}); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, q := range []index.Query{{Facets: true}, {Text: "vintage bicycle", Facets: true}, {Text: "bicycle"}, {Text: "Fahrrad", Sort: "price_asc"}, {Near: &index.GeoPoint{Lat: 52.5, Lon: 13.4}, RadiusKm: 100, Facets: true}} {
		res, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%+v total=%d took=%v next=%q facets=%+v", q, res.Total, res.Took, res.NextCursor, res.Facets.ListingType)
		for _, h := range res.Hits[:min(3, len(res.Hits))] {
			t.Logf("  %s %q %q %s %v", h.ID, h.Title, h.Summary, h.Price.Amount, h.Score)
		}
	}
}
