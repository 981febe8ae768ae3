package index

import (
	"context"
	"encoding/hex"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/sovereign-marketplace/market/index/synth"
	"github.com/sovereign-marketplace/market/listing"
)

// records returns the table's records sorted by id, without what only
// memory holds (Indexed), for comparing two loads of one index.
func records(t *table) []stored {
	out := make([]stored, 0, len(t.all))
	for _, r := range t.all {
		rs, err := t.load(r)
		if err != nil {
			panic(err)
		}
		s := *rs
		s.Indexed = 0
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func snapshotIndex(t *testing.T, dir string, n int) *Index {
	t.Helper()
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := synth.New(42)
	err = ix.Rebuild(context.Background(), func(yield func(*listing.Listing, Meta) error) error {
		for i := 0; i < n/2; i++ {
			it := g.Listing(i)
			if err := yield(it.Listing, Meta{SellerName: it.SellerName, SellerHost: it.SellerHost, Received: it.Received}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := n / 2; i < n; i++ {
		it := g.Listing(i)
		if err := ix.Put(it.Listing, Meta{SellerName: it.SellerName, SellerHost: it.SellerHost, Received: it.Received}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < n; i += 7 {
		if err := ix.Delete(g.Listing(i).Listing.FederatedAPID); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	return ix
}

// The snapshot written by Close holds exactly the records Bleve stores,
// and the next Open answers from it as it would from Bleve.
func TestSnapshotMatchesStoredRecords(t *testing.T) {
	dir := t.TempDir()
	ix := snapshotIndex(t, dir, 600)
	queries := []Query{{Facets: true}, {Text: "data", Facets: true}, {Sort: SortPriceAsc, Currency: "USD"}, {Near: &GeoPoint{Lat: 52.5, Lon: 13.4}, RadiusKm: 500}}
	var want []*Result
	for _, q := range queries {
		r, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, r)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	snapshotIn(t, dir)

	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.NeedsRebuild() {
		t.Error("opened from the snapshot: NeedsRebuild = true")
	}
	if names, _ := filepath.Glob(filepath.Join(dir, "records*.snap*")); len(names) > 0 {
		t.Errorf("an open index keeps its snapshot (%v): a crash would leave a stale one", names)
	}
	fromBleve, err := loadTable(ix.bl)
	if err != nil {
		t.Fatal(err)
	}
	if got, wantRecs := records(ix.tab), records(fromBleve); !reflect.DeepEqual(got, wantRecs) {
		t.Fatalf("snapshot holds %d records, Bleve %d, or they differ", len(got), len(wantRecs))
	}
	for i, q := range queries {
		got, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if got.Total != want[i].Total || !reflect.DeepEqual(hitIDs(got), hitIDs(want[i])) || !reflect.DeepEqual(got.Facets, want[i].Facets) {
			t.Errorf("query %+v after reopening: %d %v, want %d %v", q, got.Total, hitIDs(got), want[i].Total, hitIDs(want[i]))
		}
	}
}

// snapshotIn returns the one snapshot file in dir.
func snapshotIn(t *testing.T, dir string) string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "records-*.snap"))
	if err != nil || len(names) != 1 {
		t.Fatalf("snapshot files in %s: %v, %v; want one", dir, names, err)
	}
	return names[0]
}

// A snapshot that is damaged, or is not the one the index was closed
// with, is never used: Open reads the stored records instead.
func TestSnapshotDamagedOrStale(t *testing.T) {
	dir := t.TempDir()
	ix := snapshotIndex(t, dir, 200)
	want := records(ix.tab)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	snap := snapshotIn(t, dir)
	good, err := os.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}
	tok := hex.EncodeToString(good[len(snapshotMagic) : len(snapshotMagic)+16])
	if _, err := readSnapshot(snap, tok); err != nil {
		t.Fatalf("the snapshot as written: %v", err)
	}
	for name, damage := range map[string][]byte{
		"truncated":     good[:len(good)/2],
		"trailing data": append(append([]byte{}, good...), 1),
		"empty":         nil,
		"older layout":  append([]byte("market-index-snapshot-1\n"), good[len(snapshotMagic):]...),
	} {
		if err := os.WriteFile(snap, damage, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := readSnapshot(snap, tok); err == nil {
			t.Errorf("%s: read without an error", name)
		}
	}

	// Stale: the snapshot of an earlier close, beside an index changed since.
	if err := os.WriteFile(snap, good, 0o644); err != nil {
		t.Fatal(err)
	}
	old := append([]byte{}, good...)
	ix, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := synth.New(43)
	it := g.Listing(100000)
	if err := ix.Put(it.Listing, Meta{}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(snapshotIn(t, dir), old, 0o644); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n := len(ix.tab.all); n != len(want)+1 {
		t.Errorf("with a stale snapshot: %d listings, want %d", n, len(want)+1)
	}
	if _, ok := ix.tab.byID[it.Listing.FederatedAPID]; !ok {
		t.Error("with a stale snapshot: the listing put after it is missing")
	}
}

// A snapshot written before snapshots were named by their token (one
// records.snap) is still read once, when its token is the index's.
func TestSnapshotOfTheOldName(t *testing.T) {
	dir := t.TempDir()
	ix := snapshotIndex(t, dir, 50)
	want := records(ix.tab)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(snapshotIn(t, dir), filepath.Join(dir, snapshotFile)); err != nil {
		t.Fatal(err)
	}
	bl, err := bleve.OpenUsing(filepath.Join(dir, bleveDir), scorchConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer bl.Close()
	opened := &Index{dir: dir, opts: Options{}, log: slog.New(slog.DiscardHandler)}
	tab, err := opened.loadSnapshot(bl, true)
	if err != nil || tab == nil {
		t.Fatalf("snapshot of the old name not read: %v", err)
	}
	if got := records(tab); !reflect.DeepEqual(got, want) {
		t.Errorf("snapshot of the old name holds %d records, want %d", len(got), len(want))
	}
	if _, err := os.Stat(filepath.Join(dir, snapshotFile)); !os.IsNotExist(err) {
		t.Errorf("the snapshot of the old name is kept after it was read (%v)", err)
	}
}

// cold counts the table's records held only in its snapshot file.
func cold(t *table) (n int) {
	for _, r := range t.all {
		if r.s == nil {
			n++
		}
	}
	return n
}

// pages runs queries and returns their answers without what changes from
// run to run: the time taken, and a relevance cursor's token, which names
// the ranking it pages through.
func pages(t *testing.T, ix *Index, queries []Query) []*Result {
	t.Helper()
	var out []*Result
	for _, q := range queries {
		r, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		r.Took = 0
		if q.Text != "" && q.Sort == "" {
			r.NextCursor = ""
		}
		out = append(out, r)
	}
	return out
}

// Records leave memory for the snapshot file: after a rebuild, after each
// checkpoint and on open, every record not changed since is cold, and
// every answer, hits and all, is the one the records in memory gave.
func TestRecordsTurnCold(t *testing.T) {
	dir := t.TempDir()
	ix := snapshotIndex(t, dir, 400) // 200 rebuilt, 200 put, every 7th deleted
	queries := []Query{
		{Facets: true, Limit: 50}, {Text: "data", Facets: true}, {Sort: SortPriceAsc, Currency: "USD"},
		{Near: &GeoPoint{Lat: 52.5, Lon: 13.4}, RadiusKm: 800, Limit: 40}, {Sort: SortNewest, Limit: 100},
	}
	n := len(ix.tab.all)
	if c := cold(ix.tab); c == 0 || c == n {
		t.Fatalf("after a rebuild and puts: %d of %d records cold, want the rebuilt ones only", c, n)
	}
	before := pages(t, ix, queries)
	wantRecs := records(ix.tab)
	if _, err := ix.Checkpoint(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if c := cold(ix.tab); c != n {
		t.Fatalf("after a checkpoint: %d of %d records cold", c, n)
	}
	if got := pages(t, ix, queries); !reflect.DeepEqual(got, before) {
		t.Error("answers differ once the records are cold")
	}
	if got := records(ix.tab); !reflect.DeepEqual(got, wantRecs) {
		t.Error("the cold records differ from those in memory")
	}

	// Changes after the checkpoint are in memory; the next checkpoint
	// copies the cold records from the last file into a new one.
	g := synth.New(42)
	changed := g.Listing(3)
	changed.Listing.Title = "A title changed after the checkpoint"
	if err := ix.Put(changed.Listing, Meta{SellerName: changed.SellerName, SellerHost: changed.SellerHost, Received: changed.Received}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete(g.Listing(5).Listing.FederatedAPID); err != nil {
		t.Fatal(err)
	}
	if err := ix.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := ix.tab.byID[changed.Listing.FederatedAPID]; r == nil || r.s == nil {
		t.Fatal("the listing changed after the checkpoint is not in memory")
	}
	before = pages(t, ix, append(queries, Query{Text: "changed checkpoint"}))
	if len(before[len(before)-1].Hits) == 0 || before[len(before)-1].Hits[0].Title != changed.Listing.Title {
		t.Fatalf("the changed title is not found: %+v", before[len(before)-1].Hits)
	}
	wantRecs = records(ix.tab)
	if _, err := ix.Checkpoint(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if c := cold(ix.tab); c != len(ix.tab.all) {
		t.Fatalf("after the second checkpoint: %d of %d records cold", c, len(ix.tab.all))
	}
	snapshotIn(t, dir) // the first checkpoint's file is gone
	if got := pages(t, ix, append(queries, Query{Text: "changed checkpoint"})); !reflect.DeepEqual(got, before) {
		t.Error("answers differ after the second checkpoint")
	}
	if got := records(ix.tab); !reflect.DeepEqual(got, wantRecs) {
		t.Error("the records differ after the second checkpoint")
	}

	// Close writes the cold records once more; Open reads them cold.
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if c := cold(ix.tab); c != len(ix.tab.all) || c != len(wantRecs) {
		t.Fatalf("after open: %d of %d records cold, want %d", c, len(ix.tab.all), len(wantRecs))
	}
	if got := records(ix.tab); !reflect.DeepEqual(got, wantRecs) {
		t.Error("the records differ after close and open")
	}
	if got := pages(t, ix, append(queries, Query{Text: "changed checkpoint"})); !reflect.DeepEqual(got, before) {
		t.Error("answers differ after close and open")
	}
}

// A record whose bytes in the snapshot file are damaged fails the search
// that shows it, with an error, instead of showing something else.
func TestDamagedColdRecord(t *testing.T) {
	dir := t.TempDir()
	ix := snapshotIndex(t, dir, 40)
	defer ix.Close()
	if _, err := ix.Checkpoint(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	r := ix.tab.all[0]
	f, err := os.OpenFile(ix.tab.cold.f.Name(), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Three lengths that claim more bytes than a record may hold.
	if _, err := f.WriteAt([]byte{0xff, 0xff, 0x7f, 0xff, 0xff, 0x7f, 0xff, 0xff, 0x7f}, r.off); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := ix.tab.load(r); err == nil {
		t.Fatal("a damaged record loaded")
	}
	if _, err := ix.Search(context.Background(), Query{Limit: 100}); err == nil {
		t.Error("a search showing the damaged record succeeded")
	}
}
