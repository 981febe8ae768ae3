package index

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestPhraseCostRefused: a query whose phrases would check the word
// positions of too many listings is refused as a bad q, saying the limit;
// words cost nothing, phrases of words no listing has cost nothing, and an
// excluded phrase costs twice what the same phrase wanted does.
func TestPhraseCostRefused(t *testing.T) {
	ix := synthIndex(t, 5, 400)
	defer func(n int) { maxPhraseCost = n }(maxPhraseCost)
	cost := func(text string) int {
		t.Helper()
		p, err := newPlan(Query{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		ix.mu.RLock()
		defer ix.mu.RUnlock()
		s := &searcher{ix: ix, p: p, tab: ix.tab, bl: ix.bl, ctx: context.Background()}
		n, err := s.phraseCost()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	want := cost(`"quality condition"`)
	if want == 0 || cost(`-"quality condition"`) != 2*want || cost("quality condition -data") != 0 || cost(`"zzzqqq yyyxxx"`) != 0 {
		t.Fatalf(`costs: "quality condition" %d, excluded %d, as words %d, unknown words %d`, want, cost(`-"quality condition"`), cost("quality condition -data"), cost(`"zzzqqq yyyxxx"`))
	}
	maxPhraseCost = want
	for text, ok := range map[string]bool{
		`"quality condition"`:                                      true,
		`dataset "quality condition"`:                              true,
		`dataset -"quality condition"`:                             false,
		`"quality condition" "local delivery"`:                     false,
		`quality condition local delivery -data -sample -includes`: true,
		`"zzzqqq yyyxxx" "quality condition"`:                      true,
	} {
		for _, sort := range []string{"", SortNewest} {
			_, err := ix.Search(context.Background(), Query{Text: text, Sort: sort, Facets: true})
			switch {
			case ok && err != nil:
				t.Errorf("%s (sort %q): %v", text, sort, err)
			case !ok && (!errors.Is(err, ErrInvalidQuery) || !strings.HasPrefix(strings.TrimPrefix(err.Error(), ErrInvalidQuery.Error()+": "), "q: ") || !strings.Contains(err.Error(), fmt.Sprintf("at most %d", maxPhraseCost))):
				t.Errorf("%s (sort %q): %v; want a bad q saying at most %d", text, sort, err, maxPhraseCost)
			}
		}
	}
}
