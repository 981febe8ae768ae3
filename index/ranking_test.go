package index

import (
	"context"
	"testing"

	"github.com/sovereign-marketplace/market/index/synth"
)

// TestExpiredRanking pages a relevance query whose kept ranking is dropped
// after every page: the cursor then pages by the last hit's current
// score, and with no listings arriving every match shows exactly once.
func TestExpiredRanking(t *testing.T) {
	ix := synthIndex(t, 5, 400)
	for _, q := range []Query{{Text: "dataset", Limit: 9}, {Text: "dataset", Limit: 9, Facets: true}, {Text: "camera -vintage", Limit: 9, Currency: "USD", PriceMin: new(int64)}, {Text: "dataset", Near: &GeoPoint{Lat: 40, Lon: 0}, RadiusKm: 20000, Limit: 3}} {
		seen := map[string]int{}
		var total uint64
		for pages := 0; ; pages++ {
			res, err := ix.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			total = res.Total
			for _, h := range res.Hits {
				seen[h.ID]++
			}
			ix.ranks.mu.Lock()
			ix.ranks.m, ix.ranks.fifo = nil, nil // the ranking expires
			ix.ranks.mu.Unlock()
			if res.NextCursor == "" || pages > 200 {
				break
			}
			q.Cursor = res.NextCursor
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("%q: %s seen %d times", q.Text, id, n)
			}
		}
		if uint64(len(seen)) != total || total < 8 {
			t.Errorf("%q: saw %d of %d matches", q.Text, len(seen), total)
		}
	}
}

// synthIndex opens an index in a temporary directory with n synthetic
// listings of the given seed.
func synthIndex(t *testing.T, seed uint64, n int) *Index {
	t.Helper()
	ix, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	g := synth.New(seed)
	for i := 0; i < n; i++ {
		it := g.Listing(i)
		if err := ix.Put(it.Listing, Meta{SellerHost: it.SellerHost}); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	return ix
}
