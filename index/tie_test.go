package index

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/sovereign-marketplace/market/index/synth"
)

// TestSharedTieKey: the tie key, a hash of the id, is only the last sort
// key, never a listing's identity. Two listings of one hub whose ids hash
// to the same tie key (found by brute force with the key cut to 16 bits)
// are each found by their own words only, and paging across both, with
// the same date and price so that only their ids tell them apart, shows
// each exactly once in every order.
func TestSharedTieKey(t *testing.T) {
	defer func(bits int) { tieBits = bits }(tieBits)
	tieBits = 16
	const base = "https://hub.example/listings/"
	seen := map[float64]string{}
	var a, b string
	for i := 0; a == ""; i++ {
		id := fmt.Sprintf("%s%d", base, i)
		if other, ok := seen[tieKey(id)]; ok {
			a, b = other, id
		}
		seen[tieKey(id)] = id
	}
	ix, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	g := synth.New(1)
	tmpl := g.Listing(0).Listing
	for i, it := range []struct{ id, word string }{{a, "alpha"}, {b, "bravo"}, {base + "other", "charlie"}} {
		l := *tmpl
		l.ID, l.FederatedAPID = it.id, it.id
		l.Title = "Handmade kettle " + it.word
		l.Description = "A copper kettle, hammered by hand."
		l.Tags = []string{"kitchen"}
		l.Location = nil
		if i == 2 {
			l.Created = l.Created.Add(-1e9) // older and so last when newest first
			l.Price.Amount = "1"
		}
		if err := ix.Put(&l, Meta{SellerHost: "hub.example"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if tieKey(a) != tieKey(b) {
		t.Fatal("the two ids do not share a tie key")
	}
	for _, facets := range []bool{false, true} {
		for _, sort := range []string{SortRelevance, SortNewest, SortPriceAsc, SortPriceDesc} {
			for word, id := range map[string]string{"alpha": a, "bravo": b} {
				q := Query{Text: word, Sort: sort, Facets: facets}
				res, err := ix.Search(context.Background(), q)
				if err != nil {
					t.Fatal(err)
				}
				if got := hitIDs(res); !reflect.DeepEqual(got, []string{id}) || res.Total != 1 {
					t.Errorf("q=%s sort=%s facets=%v: %v (total %d), want only %s", word, sort, facets, got, res.Total, id)
				}
				if facets && (len(res.Facets.Tags) != 1 || res.Facets.Tags[0].Count != 1) {
					t.Errorf("q=%s sort=%s facets=%v: tag facet %v, want kitchen 1", word, sort, facets, res.Facets.Tags)
				}
			}
			for _, text := range []string{"kettle", ""} {
				if text == "" && sort == SortRelevance {
					continue
				}
				q := Query{Text: text, Sort: sort, Facets: facets, Limit: 1}
				var got []string
				for pages := 0; pages < 10; pages++ {
					res, err := ix.Search(context.Background(), q)
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, hitIDs(res)...)
					if q.Cursor = res.NextCursor; q.Cursor == "" {
						break
					}
				}
				n := map[string]int{}
				for _, id := range got {
					n[id]++
				}
				if len(got) != 3 || n[a] != 1 || n[b] != 1 {
					t.Errorf("q=%q sort=%s facets=%v, one per page: %v; want each of the three once", text, sort, facets, got)
				}
			}
		}
	}
}

func hitIDs(res *Result) []string {
	out := []string{}
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}
