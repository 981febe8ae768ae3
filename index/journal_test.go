package index_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/index/synth"
	"github.com/sovereign-marketplace/market/listing"
)

// killChildEnv, set in a test binary's environment, makes
// TestJournaledIndexSurvivesKill run the process it kills instead: the
// value is the index directory.
const killChildEnv = "MARKET_INDEX_KILL_CHILD_DIR"

// The writes of the kill test: base listings indexed before the
// checkpoint; after it, new ones added, some renamed, some deleted.
const (
	killBase    = 200
	killAdded   = 50
	killRenamed = 20 // listings 0..killRenamed-1
	killDeleted = 30 // listings killRenamed..killRenamed+killDeleted-1
)

// killListing is the i-th listing of the kill test, renamed when asked.
func killListing(i int, renamed bool) synth.Item {
	it := synth.New(7).Listing(i)
	if renamed {
		l := *it.Listing
		l.Title = fmt.Sprintf("Zebracorn saddle %d", i)
		it.Listing = &l
	}
	return it
}

// afterCheckpoint applies, through put and del, every write the child
// makes after its checkpoint: what the caller's journal names.
func afterCheckpoint(put func(synth.Item), del func(id string)) {
	for i := killBase; i < killBase+killAdded; i++ {
		put(killListing(i, false))
	}
	for i := 0; i < killRenamed; i++ {
		put(killListing(i, true))
	}
	for i := killRenamed; i < killRenamed+killDeleted; i++ {
		del(killListing(i, false).Listing.FederatedAPID)
	}
}

// TestJournaledIndexSurvivesKill: a journaled index is killed with
// SIGKILL after a checkpoint and more writes. Opened again, it needs no
// rebuild: it starts from the checkpoint (or, without the snapshot, from
// the records Bleve holds) and, once the journaled listings are written
// again, answers exactly as the writes say.
func TestJournaledIndexSurvivesKill(t *testing.T) {
	if dir := os.Getenv(killChildEnv); dir != "" {
		killChild(t, dir)
		return
	}
	if testing.Short() {
		t.Skip("runs an index in its own process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestJournaledIndexSurvivesKill$")
	cmd.Env = append(os.Environ(), killChildEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	ready := false
	for sc := bufio.NewScanner(out); sc.Scan(); {
		if sc.Text() == "ready" {
			ready = true
			break
		}
	}
	if !ready {
		t.Fatal("the child process ended before its writes were done")
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	// The same files without the snapshot (lost, or written by a newer
	// checkpoint whose token never reached the index).
	noSnap := t.TempDir()
	if err := os.CopyFS(noSnap, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	snaps, err := filepath.Glob(filepath.Join(noSnap, "records*.snap"))
	if err != nil || len(snaps) == 0 {
		t.Fatalf("no snapshot written by the checkpoint: %v %v", snaps, err)
	}
	for _, name := range snaps {
		if err := os.Remove(name); err != nil {
			t.Fatal(err)
		}
	}

	var want []string
	for i := 0; i < killBase+killAdded; i++ {
		if i < killRenamed || i >= killRenamed+killDeleted {
			want = append(want, killListing(i, false).Listing.FederatedAPID)
		}
	}
	slices.Sort(want)
	for _, c := range []struct {
		name   string
		dir    string
		before uint64 // listings before the journal is replayed
	}{
		{"from the checkpoint", dir, killBase},
		{"from Bleve's records", noSnap, uint64(len(want))},
	} {
		t.Run(c.name, func(t *testing.T) {
			ix, err := index.Open(c.dir, index.Options{Journaled: true, FlushInterval: 20 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			if ix.NeedsRebuild() {
				t.Fatal("journaled index after a kill: NeedsRebuild = true")
			}
			if n, _ := ix.Count(); n != c.before {
				t.Errorf("before the replay: Count = %d, want %d", n, c.before)
			}
			// The caller's journal: every listing written after the
			// checkpoint, as the store holds it. Bleve has them all (the
			// child flushed before it was killed), so Resync only sets the
			// table right; a listing the store holds newer than Bleve (one
			// the kill lost) is the one to write again.
			var wants []index.Want
			afterCheckpoint(func(it synth.Item) {
				wants = append(wants, index.Want{ID: it.Listing.FederatedAPID, Listing: it.Listing, Meta: synthMeta(it)})
			}, func(id string) { wants = append(wants, index.Want{ID: id}) })
			lost := killListing(killBase+killAdded-1, false)
			newer := *lost.Listing
			newer.Title = "Zebracorn saddle lost in the kill"
			wants[killAdded-1].Listing = &newer
			differ, err := ix.Resync(context.Background(), wants)
			if err != nil {
				t.Fatal(err)
			}
			if len(differ) != 1 || differ[0] != lost.Listing.FederatedAPID {
				t.Fatalf("Resync: %d to write again (%.3q), want only the one the kill lost", len(differ), differ)
			}
			lost.Listing = &newer
			putSynth(t, ix, lost)
			if err := ix.Flush(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := allIDs(t, ix, index.Query{Limit: index.MaxLimit, Sort: "newest"}); !slices.Equal(got, want) {
				t.Errorf("browse after the replay: %d listings, want %d", len(got), len(want))
			}
			if res := search(t, ix, index.Query{Text: "zebracorn", Facets: true}); res.Total != killRenamed+1 {
				t.Errorf("text search for the renamed listings: %d, want %d", res.Total, killRenamed+1)
			}
			deleted := killListing(killRenamed, false).Listing
			for _, h := range search(t, ix, index.Query{Text: deleted.Title, Limit: index.MaxLimit}).Hits {
				if h.ID == deleted.FederatedAPID {
					t.Errorf("deleted listing %s still found by its title", h.ID)
				}
			}
		})
	}
}

// allIDs pages through q and returns every hit's id, sorted.
func allIDs(t *testing.T, ix *index.Index, q index.Query) []string {
	t.Helper()
	var out []string
	for {
		res := search(t, ix, q)
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		if res.NextCursor == "" {
			break
		}
		q.Cursor = res.NextCursor
	}
	slices.Sort(out)
	return out
}

// killChild indexes the base listings, takes a checkpoint, makes the
// later writes, says "ready" once they are applied, and waits to be
// killed.
func killChild(t *testing.T, dir string) {
	ix, err := index.Open(dir, index.Options{Journaled: true, FlushInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	// A new index is complete once built (as the relay does on its first
	// start), here from the base listings.
	err = ix.Rebuild(context.Background(), func(yield func(*listing.Listing, index.Meta) error) error {
		for i := 0; i < killBase; i++ {
			it := killListing(i, false)
			if err := yield(it.Listing, synthMeta(it)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Checkpoint(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	// A newer snapshot whose token never reached the index (the process
	// stopped between the two): the checkpoint's own file stays in use.
	if err := os.WriteFile(filepath.Join(dir, "records-00000000000000000000000000000000.snap"), []byte("half written"), 0o644); err != nil {
		t.Fatal(err)
	}
	afterCheckpoint(func(it synth.Item) { putSynth(t, ix, it) }, func(id string) {
		if err := ix.Delete(id); err != nil {
			t.Fatal(err)
		}
	})
	if err := ix.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	fmt.Println("ready")
	select {}
}

// TestCheckpointReflects: a checkpoint tells, for each id asked, whether
// it held what Keep would index for a listing, or nothing.
func TestCheckpointReflects(t *testing.T) {
	dir := t.TempDir()
	ix, err := index.Open(dir, index.Options{Journaled: true, FlushInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	a, b := killListing(0, false), killListing(1, false)
	putSynth(t, ix, a)
	// Queued, not flushed: the checkpoint applies it first.
	putSynth(t, ix, b)
	gone := "https://hub.example/listings/never-indexed"
	reflected, err := ix.Checkpoint(context.Background(), []string{a.Listing.FederatedAPID, b.Listing.FederatedAPID, gone})
	if err != nil {
		t.Fatal(err)
	}
	later := a.Received.Add(time.Second)
	renamed := killListing(0, true)
	badPrice := *b.Listing
	badPrice.Price.Amount = "not a number"
	for _, c := range []struct {
		what string
		id   string
		l    *listing.Listing
		m    index.Meta
		want bool
	}{
		{"the listing as indexed", a.Listing.FederatedAPID, a.Listing, synthMeta(a), true},
		{"a listing queued before the checkpoint", b.Listing.FederatedAPID, b.Listing, synthMeta(b), true},
		{"another title", a.Listing.FederatedAPID, renamed.Listing, synthMeta(a), false},
		{"received again later", a.Listing.FederatedAPID, a.Listing, index.Meta{SellerName: a.SellerName, SellerHost: a.SellerHost, Received: later}, false},
		{"removed from the store", a.Listing.FederatedAPID, nil, index.Meta{}, false},
		{"never indexed, not stored", gone, nil, index.Meta{}, true},
		{"never indexed, but stored", gone, a.Listing, synthMeta(a), false},
		{"a price the index cannot hold", b.Listing.FederatedAPID, &badPrice, synthMeta(b), false},
	} {
		if got := reflected(c.id, c.l, c.m); got != c.want {
			t.Errorf("%s: reflected = %v, want %v", c.what, got, c.want)
		}
	}
	if names, _ := filepath.Glob(filepath.Join(dir, "records-*.snap")); len(names) != 1 {
		t.Errorf("checkpoint wrote %d snapshot files, want one: %v", len(names), names)
	}
}
