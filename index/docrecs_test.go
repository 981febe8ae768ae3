package index

import (
	"context"
	"testing"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestDocRecsStaleSlot: a slot remembers a match's record; once the
// record holds another listing (freed, then taken by the next put), the
// slot must not answer for it: the match is looked up by id again, and
// its listing is gone.
func TestDocRecsStaleSlot(t *testing.T) {
	ix := snapshotIndex(t, t.TempDir(), 40)
	defer ix.Close()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	s := &searcher{ix: ix, tab: ix.tab, bl: ix.bl, ctx: context.Background()}
	reader, err := s.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	sr, err := query.NewMatchAllQuery().Searcher(context.Background(), reader, ix.bl.Mapping(), search.SearcherOptions{Score: "none"})
	if err != nil {
		t.Fatal(err)
	}
	defer sr.Close()
	dm, err := sr.Next(&search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(sr.DocumentMatchPoolSize(), 0), IndexReader: reader})
	if err != nil || dm == nil {
		t.Fatalf("no document: %v", err)
	}
	doc := append([]byte{}, dm.IndexInternalID...)
	l := ix.tab.lookup(reader)
	if l.segs == nil {
		t.Fatal("the reader is not Scorch's: no slots to check")
	}
	r, err := l.rec(doc)
	if err != nil || r == nil {
		t.Fatalf("first lookup: %v, %v", r, err)
	}
	if again, _ := l.rec(doc); again != r {
		t.Fatalf("the slot answers %p, the lookup %p", again, r)
	}
	// The listing leaves the table (Bleve's snapshot held by reader still
	// has it) and its record is taken by another listing.
	rs, err := ix.tab.load(r)
	if err != nil {
		t.Fatal(err)
	}
	other := *rs
	other.ID = "https://elsewhere.example/listings/1"
	ix.tab.delete(r.id)
	ix.tab.put(&other)
	if ix.tab.byID[other.ID] != r {
		t.Fatal("the freed record was not taken again: the test checks nothing")
	}
	if got, err := ix.tab.lookup(reader).rec(doc); err != nil || got != nil {
		t.Errorf("a stale slot answered %+v (err %v), want no record", got, err)
	}
}
