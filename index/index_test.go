package index_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/index/synth"
	"github.com/sovereign-marketplace/market/listing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.json from the current results")

type corpusItem struct {
	Listing    *listing.Listing `json:"listing"`
	SellerName string           `json:"seller_name"`
	SellerHost string           `json:"seller_host"`
}

func loadCorpus(t testing.TB) []corpusItem {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "corpus.json"))
	if err != nil {
		t.Fatal(err)
	}
	var items []corpusItem
	if err := json.Unmarshal(b, &items); err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if err := listing.Validate(it.Listing); err != nil {
			t.Fatalf("corpus listing %s: %v", it.Listing.ID, err)
		}
	}
	return items
}

func meta(it corpusItem) index.Meta {
	return index.Meta{SellerName: it.SellerName, SellerHost: it.SellerHost}
}

func openIndex(t testing.TB, dir string) *index.Index {
	t.Helper()
	ix, err := index.Open(dir, index.Options{FlushInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// putSynth puts a generated listing with its seller's name and host.
func putSynth(t testing.TB, ix *index.Index, it synth.Item) {
	t.Helper()
	if err := ix.Put(it.Listing, synthMeta(it)); err != nil {
		t.Fatal(err)
	}
}

func synthMeta(it synth.Item) index.Meta {
	return index.Meta{SellerName: it.SellerName, SellerHost: it.SellerHost, Received: it.Received}
}

func putAll(t testing.TB, ix *index.Index, items []corpusItem) {
	t.Helper()
	for _, it := range items {
		if err := ix.Put(it.Listing, meta(it)); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func corpusIndex(t testing.TB) *index.Index {
	ix := openIndex(t, t.TempDir())
	putAll(t, ix, loadCorpus(t))
	return ix
}

func i64(v int64) *int64 { return &v }

// goldenQueries are the fixed queries of the golden test, by name.
var goldenQueries = []struct {
	name string
	q    index.Query
}{
	{"browse", index.Query{Facets: true}},
	{"text-word", index.Query{Text: "bicycle", Facets: true}},
	{"text-stemmed", index.Query{Text: "bicycles"}},
	{"text-phrase", index.Query{Text: `"road bicycle"`}},
	{"text-exclude", index.Query{Text: "bicycle -helmet -road"}},
	{"text-german", index.Query{Text: "Fahrrad"}},
	{"text-german-stem", index.Query{Text: "Reifen Fahrrads"}},
	{"text-spanish", index.Query{Text: "guitarra"}},
	{"text-japanese", index.Query{Text: "自転車"}},
	{"text-two-words", index.Query{Text: "guitar lessons"}},
	{"text-stopwords-only", index.Query{Text: "the"}},
	{"text-only-exclusion", index.Query{Text: "-bicycle -running", Region: "US", Facets: true}},
	{"text-newest", index.Query{Text: "running", Sort: index.SortNewest}},
	{"text-type-facets", index.Query{Text: "running", Types: []string{"data_product", "digital"}, Facets: true}},
	{"tag-and-country", index.Query{Tags: []string{"cycling"}, Region: "US", Facets: true}},
	{"two-tags", index.Query{Tags: []string{"cycling", "vintage"}}},
	{"subdivision-price-asc", index.Query{Region: "US-CA", Sort: index.SortPriceAsc}},
	{"usd-under-100", index.Query{Currency: "USD", PriceMax: i64(10000), Sort: index.SortPriceDesc, Facets: true}},
	{"eur-range", index.Query{Currency: "EUR", PriceMin: i64(2500), PriceMax: i64(12000), Sort: index.SortPriceAsc}},
	{"text-price-range", index.Query{Text: "bicycle", Currency: "USD", PriceMax: i64(100000), Sort: index.SortPriceAsc}},
	{"text-price-range-relevance", index.Query{Text: "bicycle", Currency: "USD", PriceMin: i64(10000), Facets: true}},
	{"price-types", index.Query{PriceTypes: []string{"hourly", "free"}}},
	{"pricing-model", index.Query{PricingModels: []string{"subscription"}}},
	{"seller-host", index.Query{Seller: "hub-b.example"}},
	{"seller-actor", index.Query{Seller: "https://berlin.example/users/ann"}},
	{"near-sf", index.Query{Near: &index.GeoPoint{Lat: 37.77, Lon: -122.42}, RadiusKm: 30, Facets: true}},
	{"near-berlin-text", index.Query{Text: "fahrrad", Near: &index.GeoPoint{Lat: 52.52, Lon: 13.40}, RadiusKm: 10}},
	{"near-world", index.Query{Near: &index.GeoPoint{Lat: 0, Lon: 0}, RadiusKm: 20000, Sort: index.SortPriceAsc}},
	{"unknown-tag", index.Query{Tags: []string{"nosuchtag"}, Facets: true}},
	{"limit", index.Query{Limit: 3}},
}

type golden struct {
	Total  uint64
	IDs    []string
	Facets *index.Facets `json:",omitempty"`
	More   bool
}

func TestGolden(t *testing.T) {
	ix := corpusIndex(t)
	got := map[string]golden{}
	for _, g := range goldenQueries {
		res, err := ix.Search(context.Background(), g.q)
		if err != nil {
			t.Fatalf("%s: %v", g.name, err)
		}
		out := golden{Total: res.Total, IDs: []string{}, More: res.NextCursor != ""}
		for _, h := range res.Hits {
			out.IDs = append(out.IDs, strings.TrimPrefix(h.ID, "https://"))
		}
		if g.q.Facets {
			out.Facets = &res.Facets
		}
		got[g.name] = out
	}
	path := filepath.Join("testdata", "golden.json")
	if *update {
		b, _ := json.MarshalIndent(got, "", " ")
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./index/ -run TestGolden -update)", err)
	}
	var want map[string]golden
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	for _, g := range goldenQueries {
		if !reflect.DeepEqual(got[g.name], want[g.name]) {
			gj, _ := json.Marshal(got[g.name])
			wj, _ := json.Marshal(want[g.name])
			t.Errorf("%s:\n got %s\nwant %s", g.name, gj, wj)
		}
	}
}

func ids(res *index.Result) []string {
	out := []string{}
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}

func search(t testing.TB, ix *index.Index, q index.Query) *index.Result {
	t.Helper()
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func facetCount(fs []index.FacetCount, v string) int {
	for _, f := range fs {
		if f.Value == v {
			return f.Count
		}
	}
	return 0
}

func TestUpdateAndDeleteDropOldValues(t *testing.T) {
	ix := corpusIndex(t)
	items := loadCorpus(t)
	l := *items[0].Listing // Vintage road bicycle, US-CA, cycling+vintage, 250 USD
	id := l.FederatedAPID
	if got := ids(search(t, ix, index.Query{Text: "vintage"})); !contains(got, id) {
		t.Fatalf("before update: %s not found for vintage: %v", id, got)
	}
	l.Title, l.Description = "Sea kayak", "A two-person sea kayak with paddles."
	l.Tags = []string{"kayak"}
	l.Region = "US-OR"
	l.Price.Amount = "700"
	l.Location = nil
	l.Updated = l.Updated.Add(time.Hour)
	if err := ix.Put(&l, meta(items[0])); err != nil {
		t.Fatal(err)
	}
	if err := ix.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, q := range []index.Query{
		{Text: "vintage"}, {Text: `"road bicycle"`}, {Tags: []string{"vintage"}}, {Region: "US-CA"},
		{Currency: "USD", PriceMax: i64(30000)}, {Text: "steel", Facets: true},
		{Near: &index.GeoPoint{Lat: 37.77, Lon: -122.42}, RadiusKm: 30},
	} {
		if got := ids(search(t, ix, q)); contains(got, id) {
			t.Errorf("after update, %+v still finds %s", q, id)
		}
	}
	for _, q := range []index.Query{{Text: "kayak"}, {Tags: []string{"kayak"}}, {Region: "US-OR"}, {Currency: "USD", PriceMin: i64(70000), PriceMax: i64(70000)}} {
		if got := ids(search(t, ix, q)); !reflect.DeepEqual(got, []string{id}) {
			t.Errorf("after update, %+v = %v, want only %s", q, got, id)
		}
	}
	f := search(t, ix, index.Query{Facets: true}).Facets
	if n := facetCount(f.Tags, "vintage"); n != 1 {
		t.Errorf("after update, tag facet vintage = %d, want 1", n)
	}
	if n := facetCount(f.Tags, "kayak"); n != 1 {
		t.Errorf("after update, tag facet kayak = %d, want 1", n)
	}
	if n := facetCount(f.Region, "US-OR"); n != 1 {
		t.Errorf("after update, region facet US-OR = %d, want 1", n)
	}
	before, _ := ix.Count()

	if err := ix.Delete(id); err != nil {
		t.Fatal(err)
	}
	if err := ix.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, q := range []index.Query{{Text: "kayak"}, {Tags: []string{"kayak"}}, {Region: "US-OR"}, {}} {
		if got := ids(search(t, ix, q)); contains(got, id) {
			t.Errorf("after delete, %+v still finds %s", q, id)
		}
	}
	if n, _ := ix.Count(); n != before-1 {
		t.Errorf("after delete, Count = %d, want %d", n, before-1)
	}
	f = search(t, ix, index.Query{Facets: true}).Facets
	if n := facetCount(f.Tags, "kayak"); n != 0 {
		t.Errorf("after delete, tag facet kayak = %d, want 0", n)
	}
}

// TestKeepNeverLeavesAnOlderCopy: a listing whose price the index cannot
// hold is kept searchable by its new text without a price, never under
// its old title and price, and Keep says so; a listing the index cannot
// take at all leaves nothing of the older copy.
func TestKeepNeverLeavesAnOlderCopy(t *testing.T) {
	ix := corpusIndex(t)
	items := loadCorpus(t)
	l := *items[0].Listing // Vintage road bicycle, 250 USD
	id := l.FederatedAPID
	l.Title = "Walnut tandem"
	l.Price.Amount = "1234567890123456789" // more cents than the index holds
	err := ix.Keep(&l, meta(items[0]))
	if err == nil || !strings.Contains(err.Error(), "indexed without its price") {
		t.Fatalf("Keep of an unholdable price: %v", err)
	}
	if l.Price.Amount != "1234567890123456789" {
		t.Errorf("Keep changed the caller's listing: %q", l.Price.Amount)
	}
	if err := ix.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := ids(search(t, ix, index.Query{Text: "vintage"})); contains(got, id) {
		t.Errorf("the older title is still searchable: %v", got)
	}
	res := search(t, ix, index.Query{Text: "walnut"})
	if got := ids(res); !reflect.DeepEqual(got, []string{id}) || res.Hits[0].Price.Amount != "" {
		t.Fatalf("walnut: %v %+v, want %s without a price", got, res.Hits, id)
	}
	if err := ix.Keep(&l, meta(items[0])); err == nil {
		t.Fatal("Keep reported nothing the second time")
	}
	if err := ix.Keep(&listing.Listing{Title: "No id"}, index.Meta{}); err == nil || !strings.Contains(err.Error(), "federated_ap_id") {
		t.Errorf("Keep of a listing without an id: %v", err)
	}
	if err := ix.Keep(items[1].Listing, meta(items[1])); err != nil {
		t.Errorf("Keep of a good listing: %v", err)
	}
}

func TestDeleteWhere(t *testing.T) {
	ix := corpusIndex(t)
	n, err := ix.DeleteWhere(index.Filter{Host: "hub-b.example"})
	if err != nil {
		t.Fatal(err)
	}
	if n != 4 {
		t.Errorf("DeleteWhere(host) removed %d, want 4", n)
	}
	if got := search(t, ix, index.Query{Seller: "hub-b.example"}).Total; got != 0 {
		t.Errorf("after DeleteWhere(host), seller search finds %d", got)
	}
	if got := search(t, ix, index.Query{Text: "helmet"}).Total; got != 0 {
		t.Errorf("after DeleteWhere(host), text search finds %d of its listings", got)
	}
	n, err = ix.DeleteWhere(index.Filter{Seller: "https://berlin.example/users/ann"})
	if err != nil || n != 2 {
		t.Errorf("DeleteWhere(seller) = %d, %v; want 2", n, err)
	}
	if got := search(t, ix, index.Query{Seller: "berlin.example"}).Total; got != 1 {
		t.Errorf("after DeleteWhere(seller), berlin.example has %d listings, want 1", got)
	}
	if _, err := ix.DeleteWhere(index.Filter{}); err == nil {
		t.Error("DeleteWhere with an empty filter succeeded")
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// TestCursorWhileAdding pages through several queries while listings are
// added (some of which match) and checks that no hit shows twice and
// every listing present from the start shows exactly once.
// TestRankedPagesRecheckUpdatedText: a listing updated after the first
// page of a relevance query so that its text no longer matches drops out
// of the later pages, which still show every other match once.
func TestRankedPagesRecheckUpdatedText(t *testing.T) {
	ix := openIndex(t, t.TempDir())
	g := synth.New(5)
	var items []synth.Item
	for i := 0; i < 300; i++ {
		it := g.Listing(i)
		items = append(items, it)
		if err := ix.Put(it.Listing, index.Meta{SellerHost: it.SellerHost}); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	q := index.Query{Text: "dataset", Limit: 10}
	first := search(t, ix, q)
	if first.NextCursor == "" {
		t.Fatal("want more than one page of dataset listings")
	}
	rest := func() []string {
		var out []string
		q := q
		q.Cursor = first.NextCursor
		for q.Cursor != "" {
			res := search(t, ix, q)
			out = append(out, ids(res)...)
			q.Cursor = res.NextCursor
		}
		return out
	}
	before := rest()
	if len(before) < 5 {
		t.Fatalf("only %d later hits", len(before))
	}
	// Rewrite a later hit so that it no longer says "dataset".
	var changed *listing.Listing
	for _, it := range items {
		if it.Listing.FederatedAPID == before[2] {
			l := *it.Listing
			l.Title, l.Description = "Handmade ceramic bowl", "A bowl, thrown and glazed by hand."
			l.Tags = []string{"ceramics"}
			changed = &l
			if err := ix.Put(&l, index.Meta{SellerHost: it.SellerHost, Received: time.Now().Add(time.Minute)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if changed == nil {
		t.Fatal("later hit not found among the listings")
	}
	if err := ix.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	after := rest()
	want := append(append([]string{}, before[:2]...), before[3:]...)
	if strings.Join(after, " ") != strings.Join(want, " ") {
		t.Errorf("later pages after the update:\n%v\nwant (the updated listing gone, the rest in order):\n%v", after, want)
	}
}

func TestCursorWhileAdding(t *testing.T) {
	ix := openIndex(t, t.TempDir())
	g := synth.New(3)
	put := func(from, to int, flush bool) {
		for i := from; i < to; i++ {
			it := g.Listing(i)
			if err := ix.Put(it.Listing, index.Meta{SellerHost: it.SellerHost}); err != nil {
				t.Fatal(err)
			}
		}
		if flush {
			if err := ix.Flush(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
	}
	const start = 300
	put(0, start, true)
	queries := []index.Query{
		{},
		{Sort: index.SortPriceAsc},
		{Sort: index.SortPriceDesc, Facets: true},
		{Text: "dataset"},
		{Text: "dataset camera"},
		{Text: "vintage", Sort: index.SortNewest},
		{Text: "camera", Facets: true},
		{Text: "dataset", Currency: "USD", PriceMax: i64(20000)},
		{Text: "dataset", Currency: "EUR", PriceMin: i64(1000), Sort: index.SortPriceDesc},
		{Text: "dataset -vintage", Near: &index.GeoPoint{Lat: 40, Lon: 0}, RadiusKm: 20000},
		{Types: []string{"service", "physical"}, Sort: index.SortPriceAsc},
	}
	next := start
	for _, q := range queries {
		q.Limit = 12
		// What matches before paging starts.
		all := q
		all.Limit = 100
		before := map[string]bool{}
		for {
			res := search(t, ix, all)
			for _, id := range ids(res) {
				before[id] = true
			}
			if res.NextCursor == "" || len(before) > 5000 {
				break
			}
			all.Cursor = res.NextCursor
		}
		seen := map[string]int{}
		pages := 0
		for {
			res := search(t, ix, q)
			for _, id := range ids(res) {
				seen[id]++
			}
			pages++
			put(next, next+4, pages%2 == 0) // listings arrive between pages
			next += 4
			if res.NextCursor == "" {
				break
			}
			if pages > 1000 {
				t.Fatalf("%+v: still paging after %d pages", q, pages)
			}
			q.Cursor = res.NextCursor
		}
		for id, n := range seen {
			if n > 1 {
				t.Errorf("%+v: %s seen %d times", q, id, n)
			}
		}
		for id := range before {
			if seen[id] != 1 {
				t.Errorf("%+v: %s matched before paging but was seen %d times", q, id, seen[id])
			}
		}
		if len(before) == 0 || pages < 3 {
			t.Errorf("%+v: only %d matches in %d pages, the test needs more", q, len(before), pages)
		}
	}
}

// from yields the items, as the relay's store would for Rebuild.
func from(items []corpusItem) func(yield func(*listing.Listing, index.Meta) error) error {
	return func(yield func(*listing.Listing, index.Meta) error) error {
		for _, it := range items {
			if err := yield(it.Listing, meta(it)); err != nil {
				return err
			}
		}
		return nil
	}
}

func TestRebuildMatchesLiveIndex(t *testing.T) {
	items := loadCorpus(t)
	live := corpusIndex(t)
	// Change the live index the way the inbox would: an update and a delete.
	upd := *items[2].Listing
	upd.Title = "Trail running shoes"
	if err := live.Put(&upd, meta(items[2])); err != nil {
		t.Fatal(err)
	}
	if err := live.Delete(items[5].Listing.FederatedAPID); err != nil {
		t.Fatal(err)
	}
	if err := live.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	source := append([]corpusItem{}, items...)
	source[2].Listing = &upd
	source = append(source[:5], source[6:]...)

	re := openIndex(t, t.TempDir())
	if !re.NeedsRebuild() {
		t.Fatal("a new index does not ask for a rebuild")
	}
	err := re.Rebuild(context.Background(), from(source))
	if err != nil {
		t.Fatal(err)
	}
	if re.NeedsRebuild() {
		t.Error("NeedsRebuild after Rebuild")
	}
	for _, g := range goldenQueries {
		a, b := search(t, live, g.q), search(t, re, g.q)
		a.Took, b.Took = 0, 0
		for i := range a.Hits {
			a.Hits[i].Score = 0
		}
		for i := range b.Hits {
			b.Hits[i].Score = 0
		}
		a.NextCursor, b.NextCursor = "", ""
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: live %v (%d), rebuilt %v (%d)", g.name, ids(a), a.Total, ids(b), b.Total)
		}
	}
	// Rebuilding in place keeps the same answers, and writes made during a
	// rebuild survive it.
	err = live.Rebuild(context.Background(), func(yield func(*listing.Listing, index.Meta) error) error {
		extra := *items[0].Listing
		extra.FederatedAPID = "https://hub-a.example/listings/during-rebuild"
		extra.Title = "Tandem bicycle"
		if err := live.Put(&extra, meta(items[0])); err != nil {
			return err
		}
		for _, it := range source {
			if err := yield(it.Listing, meta(it)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(search(t, live, index.Query{Text: "tandem"})); !reflect.DeepEqual(got, []string{"https://hub-a.example/listings/during-rebuild"}) {
		t.Errorf("a listing put during the rebuild: search finds %v", got)
	}
	if n, _ := live.Count(); n != uint64(len(source)+1) {
		t.Errorf("after rebuild in place, Count = %d, want %d", n, len(source)+1)
	}
}

func TestNeedsRebuild(t *testing.T) {
	dir := t.TempDir()
	ix, err := index.Open(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !ix.NeedsRebuild() {
		t.Error("missing index: NeedsRebuild = false")
	}
	items := loadCorpus(t)
	err = ix.Rebuild(context.Background(), from(items))
	if err != nil {
		t.Fatal(err)
	}
	if ix.NeedsRebuild() {
		t.Error("after Rebuild: NeedsRebuild = true")
	}
	want := search(t, ix, index.Query{Text: "bicycle", Facets: true})
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	// Reopened: current, nothing to rebuild, same answers.
	ix, err = index.Open(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ix.NeedsRebuild() {
		t.Error("reopened current index: NeedsRebuild = true")
	}
	if n, _ := ix.Count(); n != uint64(len(items)) {
		t.Errorf("reopened: Count = %d, want %d", n, len(items))
	}
	got := search(t, ix, index.Query{Text: "bicycle", Facets: true})
	if !reflect.DeepEqual(ids(got), ids(want)) || !reflect.DeepEqual(got.Facets, want.Facets) || got.Hits[0].Summary != want.Hits[0].Summary {
		t.Errorf("reopened: %v %+v, want %v %+v", ids(got), got.Facets, ids(want), want.Facets)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	// Not closed cleanly (the process died): keep the listings, but ask
	// for a rebuild.
	crashed, err := index.Open(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Simulate the crash: copy the files while it is open.
	crashDir := t.TempDir()
	if err := os.CopyFS(crashDir, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	crashed.Close()
	ix = openIndex(t, crashDir)
	if !ix.NeedsRebuild() {
		t.Error("not closed cleanly: NeedsRebuild = false")
	}
	if n, _ := ix.Count(); n != uint64(len(items)) {
		t.Errorf("not closed cleanly: Count = %d, want the %d listings kept", n, len(items))
	}
	if err := ix.Rebuild(context.Background(), from(items)); err != nil {
		t.Fatal(err)
	}
	if ix.NeedsRebuild() {
		t.Error("not closed cleanly, after Rebuild: NeedsRebuild = true")
	}

	// Built by an older mapping: rebuild, starting empty.
	bl, err := bleve.Open(filepath.Join(dir, "listings.bleve"))
	if err != nil {
		t.Fatal(err)
	}
	if err := bl.SetInternal([]byte("market.mapping_version"), []byte(fmt.Sprint(index.MappingVersion-1))); err != nil {
		t.Fatal(err)
	}
	bl.Close()
	ix = openIndex(t, dir)
	if !ix.NeedsRebuild() {
		t.Error("older mapping version: NeedsRebuild = false")
	}
	if n, _ := ix.Count(); n != 0 {
		t.Errorf("older mapping version: Count = %d, want a fresh, empty index", n)
	}
}

func TestInvalidQueries(t *testing.T) {
	ix := corpusIndex(t)
	for _, c := range []struct {
		q     index.Query
		param string
	}{
		{index.Query{Cursor: "not-a-cursor"}, "cursor: "},
		{index.Query{Near: &index.GeoPoint{Lat: 1, Lon: 1}}, "radius_km: "},
		{index.Query{Near: &index.GeoPoint{Lat: 91, Lon: 1}, RadiusKm: 5}, "near: "},
		{index.Query{RadiusKm: 5}, "radius_km: "},
		{index.Query{Limit: 101}, "limit: "},
		{index.Query{Sort: "cheapest"}, "sort: "},
		{index.Query{Sort: "relevance"}, "sort: "},
		{index.Query{Types: []string{"car"}}, "type: "},
		{index.Query{PriceTypes: []string{"cheap"}}, "price_type: "},
		{index.Query{PricingModels: []string{"lease"}}, "pricing_model: "},
		{index.Query{Region: "California"}, "region: "},
		{index.Query{Currency: "dollars"}, "currency: "},
		{index.Query{PriceMax: i64(100)}, "price_max: "},
		{index.Query{Currency: "USD", PriceMin: i64(-1)}, "price_min: "},
		{index.Query{Currency: "USD", PriceMin: i64(10), PriceMax: i64(5)}, "price_max: "},
		{index.Query{Text: strings.Repeat("a ", 300)}, "q: "},
	} {
		_, err := ix.Search(context.Background(), c.q)
		if !errors.Is(err, index.ErrInvalidQuery) || !strings.Contains(err.Error(), c.param) {
			t.Errorf("%+v: error %v, want ErrInvalidQuery naming %q", c.q, err, c.param)
		}
	}
	// A cursor from another query is refused.
	res := search(t, ix, index.Query{Limit: 2})
	_, err := ix.Search(context.Background(), index.Query{Limit: 2, Sort: index.SortPriceAsc, Cursor: res.NextCursor})
	if !errors.Is(err, index.ErrInvalidQuery) || !strings.Contains(err.Error(), "cursor: ") {
		t.Errorf("cursor of another query: %v", err)
	}
}

func TestSummaryHighlights(t *testing.T) {
	ix := corpusIndex(t)
	res := search(t, ix, index.Query{Text: "tyres"})
	if len(res.Hits) == 0 {
		t.Fatal("no hits for tyres")
	}
	for _, h := range res.Hits {
		if !strings.Contains(h.Summary, "<mark>tyres</mark>") {
			t.Errorf("%s: summary %q does not mark tyres", h.ID, h.Summary)
		}
	}
	res = search(t, ix, index.Query{Text: "Fahrrad"})
	for _, h := range res.Hits {
		if !strings.Contains(h.Summary, "<mark>Fahrrad</mark>") {
			t.Errorf("%s: summary %q does not mark Fahrrad", h.ID, h.Summary)
		}
	}
	res = search(t, ix, index.Query{Seller: "hub-b.example"})
	for _, h := range res.Hits {
		if strings.Contains(h.Summary, "<mark>") || h.Summary == "" {
			t.Errorf("%s: summary without text %q", h.ID, h.Summary)
		}
	}
}

// TestSearchableWithoutFlush: the writer applies queued writes by itself,
// with no Flush. How soon is measured by bench/relay-search (time from 202
// to searchable); the deadline here only keeps a broken writer from hanging.
func TestSearchableWithoutFlush(t *testing.T) {
	ix, err := index.Open(t.TempDir(), index.Options{FlushInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	it := loadCorpus(t)[0]
	start := time.Now()
	if err := ix.Put(it.Listing, meta(it)); err != nil {
		t.Fatal(err)
	}
	for search(t, ix, index.Query{Text: "vintage"}).Total == 0 {
		if time.Since(start) > 30*time.Second {
			t.Fatal("not searchable 30 s after Put: the writer does not apply queued writes by itself")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Put(it.Listing, meta(it)); !errors.Is(err, index.ErrClosed) {
		t.Errorf("Put after Close: %v, want ErrClosed", err)
	}
}

// TestRebuildCancelled checks that a rebuild whose context ends leaves the
// live index answering as before, and that the next rebuild works.
func TestRebuildCancelled(t *testing.T) {
	items := loadCorpus(t)
	ix := corpusIndex(t)
	want := ids(search(t, ix, index.Query{Text: "bicycle"}))
	ctx, cancel := context.WithCancel(context.Background())
	err := ix.Rebuild(ctx, func(yield func(*listing.Listing, index.Meta) error) error {
		if err := yield(items[0].Listing, meta(items[0])); err != nil {
			return err
		}
		cancel()
		return yield(items[1].Listing, meta(items[1]))
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled rebuild: %v, want context.Canceled", err)
	}
	if got := ids(search(t, ix, index.Query{Text: "bicycle"})); !reflect.DeepEqual(got, want) {
		t.Errorf("after a cancelled rebuild: %v, want %v", got, want)
	}
	if err := ix.Rebuild(context.Background(), from(items[:3])); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.Count(); n != 3 {
		t.Errorf("after rebuild from 3 listings: Count = %d", n)
	}
}

func TestDistances(t *testing.T) {
	ix := corpusIndex(t)
	berlin := &index.GeoPoint{Lat: 52.52, Lon: 13.40}
	for _, q := range []index.Query{
		{Near: berlin, RadiusKm: 10},
		{Text: "fahrrad", Near: berlin, RadiusKm: 10},
		{Text: "fahrrad", Near: berlin, RadiusKm: 10, Sort: index.SortNewest, Facets: true},
	} {
		res := search(t, ix, q)
		if len(res.Hits) != 2 {
			t.Fatalf("%+v: %d hits, want the 2 Berlin listings", q, len(res.Hits))
		}
		for _, h := range res.Hits {
			if h.DistanceKm > 10 || (h.DistanceKm == 0 && h.ID != "https://berlin.example/listings/5") {
				t.Errorf("%+v: %s at %v km", q, h.ID, h.DistanceKm)
			}
		}
	}
}

// TestConcurrentUse writes, deletes, searches, pages and rebuilds at the
// same time, then checks that the index holds exactly what the store holds.
// The store stands in for the relay's: each write reaches it before the
// index, and the rebuild reads it as it is when the rebuild reads it.
func TestConcurrentUse(t *testing.T) {
	ix := openIndex(t, t.TempDir())
	g := synth.New(11)
	const n = 600
	items := make([]synth.Item, n)
	for i := range items {
		items[i] = g.Listing(i)
	}
	var storeMu sync.Mutex
	store := map[string]synth.Item{}
	for _, it := range items[:n/4] { // already stored when the test starts
		store[it.Listing.FederatedAPID] = it
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	// Writers: put everything, delete every third listing.
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += 2 {
				it := items[i]
				storeMu.Lock()
				store[it.Listing.FederatedAPID] = it
				storeMu.Unlock()
				if err := ix.Put(it.Listing, index.Meta{SellerHost: it.SellerHost}); err != nil {
					errs <- err
					return
				}
				if i%3 == 0 {
					storeMu.Lock()
					delete(store, it.Listing.FederatedAPID)
					storeMu.Unlock()
					if err := ix.Delete(it.Listing.FederatedAPID); err != nil {
						errs <- err
						return
					}
				}
			}
		}(w)
	}
	// Readers: every kind of query, paging.
	queries := []index.Query{{Facets: true}, {Text: "dataset", Facets: true}, {Text: "camera", Sort: index.SortPriceAsc},
		{Near: &index.GeoPoint{Lat: 40, Lon: 0}, RadiusKm: 5000, Facets: true}, {Text: "dataset", Currency: "USD", PriceMin: i64(100)}}
	for r := 0; r < 3; r++ {
		wg.Add(1)
		go func(r int) {
			defer wg.Done()
			for k := 0; k < 40; k++ {
				q := queries[(r+k)%len(queries)]
				q.Limit = 25
				for p := 0; p < 3; p++ {
					res, err := ix.Search(ctx, q)
					if err != nil {
						errs <- err
						return
					}
					if res.NextCursor == "" {
						break
					}
					q.Cursor = res.NextCursor
				}
			}
		}(r)
	}
	// A rebuild from the store, while all this goes on.
	wg.Add(1)
	go func() {
		defer wg.Done()
		errs <- ix.Rebuild(ctx, func(yield func(*listing.Listing, index.Meta) error) error {
			storeMu.Lock()
			snapshot := make([]synth.Item, 0, len(store))
			for _, it := range store {
				snapshot = append(snapshot, it)
			}
			storeMu.Unlock()
			for _, it := range snapshot {
				if err := yield(it.Listing, index.Meta{SellerHost: it.SellerHost}); err != nil {
					return err
				}
			}
			return nil
		})
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	present := map[string]bool{}
	q := index.Query{Limit: 100}
	for {
		res := search(t, ix, q)
		for _, id := range ids(res) {
			present[id] = true
		}
		if res.NextCursor == "" {
			break
		}
		q.Cursor = res.NextCursor
	}
	if n, _ := ix.Count(); int(n) != len(present) {
		t.Errorf("Count = %d, paging found %d", n, len(present))
	}
	for i, it := range items {
		switch kept := i%3 != 0; {
		case kept && !present[it.Listing.FederatedAPID]:
			t.Errorf("listing %d (kept) is missing", i)
		case !kept && present[it.Listing.FederatedAPID]:
			t.Errorf("listing %d (deleted) is still there", i)
		}
	}
}

// TestNoTotalWithoutHits: a listing becomes searchable all at once. While
// writes are applied, a search that counts a new listing also shows it:
// Bleve and the in-memory records never disagree for a search.
func TestNoTotalWithoutHits(t *testing.T) {
	ix, err := index.Open(t.TempDir(), index.Options{FlushInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	it := loadCorpus(t)[0]
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	// Other searches keep the index busy, as on a live relay.
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				ix.Search(ctx, index.Query{Text: "zzmark", Facets: true})
			}
		}()
	}
	defer wg.Wait()
	defer cancel()
	for i := 0; i < 40; i++ {
		l := *it.Listing
		marker := fmt.Sprintf("zzmark%04d", i)
		l.FederatedAPID = fmt.Sprintf("https://hub-a.example/listings/fresh-%d", i)
		l.Title = "Fresh listing " + marker
		if err := ix.Put(&l, meta(it)); err != nil {
			t.Fatal(err)
		}
		for _, sort := range []string{index.SortRelevance, index.SortNewest} {
			start := time.Now()
			for {
				res := search(t, ix, index.Query{Text: marker, Sort: sort, Facets: sort == index.SortNewest})
				if res.Total > 0 {
					if len(res.Hits) != 1 || res.Total != 1 {
						t.Fatalf("%s, sort %s: total %d with hits %v", marker, sort, res.Total, ids(res))
					}
					break
				}
				if time.Since(start) > 10*time.Second {
					t.Fatalf("%s: not searchable after 10 s", marker)
				}
			}
		}
	}
}

// TestNoTextMatchIsNoMatch: text that matches no listing finds nothing,
// whatever else the query asks for (every sort, a price range, near, facets):
// no text query and no text match are different things on every path.
func TestNoTextMatchIsNoMatch(t *testing.T) {
	ix := corpusIndex(t)
	sf := &index.GeoPoint{Lat: 37.77, Lon: -122.42}
	for _, text := range []string{"zzzqqq", `"zzzqqq yyyxxx"`, "zzzqqq -bicycle", "bicycle zzzqqq"} {
		for _, sort := range []string{index.SortRelevance, index.SortNewest, index.SortPriceAsc, index.SortPriceDesc, index.SortDistance} {
			for _, priced := range []bool{false, true} {
				for _, near := range []bool{false, true} {
					for _, facets := range []bool{false, true} {
						if sort == index.SortDistance && !near {
							continue
						}
						q := index.Query{Text: text, Sort: sort, Facets: facets}
						if priced {
							q.Currency, q.PriceMin, q.PriceMax = "USD", i64(0), i64(1_000_000_00)
						}
						if near {
							q.Near, q.RadiusKm = sf, 20000
						}
						res := search(t, ix, q)
						name := fmt.Sprintf("q=%s sort=%s price range %v near %v facets %v", text, sort, priced, near, facets)
						if res.Total != 0 || len(res.Hits) != 0 || res.NextCursor != "" {
							t.Errorf("%s: total %d, hits %v, next %q; want nothing", name, res.Total, ids(res), res.NextCursor)
						}
						f := res.Facets
						for facet, counts := range map[string][]index.FacetCount{
							"listing_type": f.ListingType, "tags": f.Tags, "region": f.Region, "price_type": f.PriceType,
							"pricing_model": f.PricingModel, "currency": f.Currency, "price_band": f.PriceBand,
						} {
							if len(counts) != 0 {
								t.Errorf("%s: facet %s counts %v", name, facet, counts)
							}
						}
					}
				}
			}
		}
	}
}

// TestExclusionsOnly: text of exclusions only finds every listing the
// filters keep less those the exclusions match, in every order, with
// exact facets.
func TestExclusionsOnly(t *testing.T) {
	ix := corpusIndex(t)
	all := func(q index.Query) []string {
		var out []string
		q.Limit = 3
		for pages := 0; pages < 100; pages++ {
			res := search(t, ix, q)
			out = append(out, ids(res)...)
			if q.Cursor = res.NextCursor; q.Cursor == "" {
				break
			}
		}
		return out
	}
	for _, sort := range []string{index.SortNewest, index.SortPriceAsc, index.SortPriceDesc} {
		for _, region := range []string{"", "US"} {
			excluded := map[string]bool{}
			for _, w := range []string{"bicycle", `"running shoes"`} {
				for _, id := range all(index.Query{Text: w, Region: region}) {
					excluded[id] = true
				}
			}
			var want []string
			for _, id := range all(index.Query{Sort: sort, Region: region}) {
				if !excluded[id] {
					want = append(want, id)
				}
			}
			q := index.Query{Text: `-bicycle -"running shoes"`, Sort: sort, Region: region}
			if got := all(q); !reflect.DeepEqual(got, want) || len(excluded) == 0 {
				t.Errorf("%+v:\n got %v\nwant %v", q, got, want)
			}
			q.Facets = true
			res := search(t, ix, q)
			browse := search(t, ix, index.Query{Region: region, Facets: true})
			if res.Total != uint64(len(want)) || facetSum(res.Facets.ListingType) != len(want) || facetSum(browse.Facets.ListingType) != int(browse.Total) {
				t.Errorf("%+v: total %d, type facets add up to %d; want %d", q, res.Total, facetSum(res.Facets.ListingType), len(want))
			}
		}
	}
}

func facetSum(fs []index.FacetCount) int {
	n := 0
	for _, f := range fs {
		n += f.Count
	}
	return n
}

// TestTextLimits: q holds at most MaxPhrases phrases and MaxExclusions
// exclusions; more is a bad q saying the limit. A search whose context has
// ended returns the context's error.
func TestTextLimits(t *testing.T) {
	ix := corpusIndex(t)
	parts := func(n int, format string) string {
		var out []string
		for i := 0; i < n; i++ {
			out = append(out, fmt.Sprintf(format, i))
		}
		return strings.Join(out, " ")
	}
	phrases := parts(index.MaxPhrases, `"w%d bicycle"`)
	exclusions := parts(index.MaxExclusions-1, "-x%d") + ` -"road x"`
	for text, limit := range map[string]int{
		phrases + ` "one more"`:            index.MaxPhrases,
		exclusions + " -onemore":           index.MaxExclusions,
		phrases + " " + exclusions:         0,
		parts(index.MaxTextParts, "w%d"):   0,
		parts(index.MaxTextParts+1, "w%d"): index.MaxTextParts,
	} {
		_, perr := index.ParseText(text)
		_, err := ix.Search(context.Background(), index.Query{Text: text})
		if limit == 0 {
			if perr != nil || err != nil {
				t.Errorf("%s: %v, %v", text, perr, err)
			}
			continue
		}
		for _, err := range []error{perr, err} {
			if !errors.Is(err, index.ErrInvalidQuery) || !strings.HasPrefix(strings.TrimPrefix(err.Error(), index.ErrInvalidQuery.Error()+": "), "q: ") || !strings.Contains(err.Error(), fmt.Sprint(limit)) {
				t.Errorf("%s: %v; want a bad q saying %d", text, err, limit)
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, q := range []index.Query{{}, {Text: "bicycle"}, {Text: "bicycle", Sort: index.SortNewest, Facets: true}, {Text: "-bicycle"}} {
		if _, err := ix.Search(ctx, q); !errors.Is(err, context.Canceled) {
			t.Errorf("%+v with a cancelled context: %v", q, err)
		}
	}
}

// TestSortDistance: with near, results can be ordered by distance, nearest
// first (the default without words to match); paging by cursor shows each
// listing within the radius once, in that order, and every hit says how
// far it is. Without near, sort=distance is refused.
func TestSortDistance(t *testing.T) {
	ix := openIndex(t, t.TempDir())
	g := synth.New(8)
	for i := 0; i < 600; i++ {
		it := g.Listing(i)
		if err := ix.Put(it.Listing, index.Meta{SellerHost: it.SellerHost}); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	near := &index.GeoPoint{Lat: 48.86, Lon: 2.35}
	for _, q := range []index.Query{
		{Near: near, RadiusKm: 20000},
		{Near: near, RadiusKm: 1500, Sort: index.SortDistance, Facets: true},
		{Text: "dataset", Near: near, RadiusKm: 20000, Sort: index.SortDistance},
		{Text: "-dataset", Near: near, RadiusKm: 20000},
		{Text: "dataset", Near: near, RadiusKm: 20000, Sort: index.SortDistance, Currency: "USD", PriceMin: i64(0)},
	} {
		all := q
		all.Limit = 100
		res := search(t, ix, all)
		if res.NextCursor != "" || len(res.Hits) < 5 {
			t.Fatalf("%+v: %d hits (more: %v), the test needs 5 to 100", q, len(res.Hits), res.NextCursor != "")
		}
		want := ids(res)
		if last := res.Hits[len(res.Hits)-1]; last.DistanceKm == 0 {
			t.Errorf("%+v: hits without their distance", q)
		}
		for i, h := range res.Hits {
			if h.DistanceKm < 0 || h.DistanceKm > q.RadiusKm {
				t.Errorf("%+v: %s at %v km", q, h.ID, h.DistanceKm)
			}
			if i > 0 && h.DistanceKm < res.Hits[i-1].DistanceKm {
				t.Errorf("%+v: %s at %v km after %s at %v km", q, h.ID, h.DistanceKm, res.Hits[i-1].ID, res.Hits[i-1].DistanceKm)
			}
		}
		q.Limit = 3
		var got []string
		for pages := 0; pages < 100; pages++ {
			res := search(t, ix, q)
			got = append(got, ids(res)...)
			if q.Cursor = res.NextCursor; q.Cursor == "" {
				break
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%+v, paged by 3:\n got %v\nwant %v", q, got, want)
		}
	}
	for _, q := range []index.Query{{Sort: index.SortDistance}, {Text: "dataset", Sort: index.SortDistance}} {
		_, err := ix.Search(context.Background(), q)
		if !errors.Is(err, index.ErrInvalidQuery) || !strings.Contains(err.Error(), "sort: distance needs near") {
			t.Errorf("%+v: %v, want a bad sort naming near", q, err)
		}
	}
}

// TestTagLengthInCharacters: a tag filter is as long as listing allows a
// tag to be, counted in characters as listing counts them, not in bytes.
func TestTagLengthInCharacters(t *testing.T) {
	ix := corpusIndex(t)
	if _, err := ix.Search(context.Background(), index.Query{Tags: []string{strings.Repeat("ü", listing.MaxTagLen)}}); err != nil {
		t.Errorf("a tag of %d characters (%d bytes): %v", listing.MaxTagLen, 2*listing.MaxTagLen, err)
	}
	_, err := ix.Search(context.Background(), index.Query{Tags: []string{strings.Repeat("ü", listing.MaxTagLen+1)}})
	if !errors.Is(err, index.ErrInvalidQuery) || !strings.Contains(err.Error(), "tag: ") {
		t.Errorf("a tag of %d characters: %v, want a bad tag", listing.MaxTagLen+1, err)
	}
}
