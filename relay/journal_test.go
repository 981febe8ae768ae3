package relay_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/internal/testhub"
	"github.com/sovereign-marketplace/market/listing"
	"github.com/sovereign-marketplace/market/relay"
)

// journalRelay starts a relay with a hub subscribed to it.
func journalRelay(t *testing.T) (config.Config, *testRelay, *testhub.Hub) {
	t.Helper()
	cfg := relayConfig(t, t.TempDir())
	r := startRelay(t, cfg)
	h := startHub(t, "alice", "127.0.0.1")
	subscribe(t, r, h)
	return cfg, r, h
}

// storeBehindIndex stores listings straight into the relay's store, which
// journals them, without the hook that indexes them; remove names
// listings to remove the same way.
func storeBehindIndex(t *testing.T, r *testRelay, ls []*listing.Listing, remove ...string) {
	t.Helper()
	err := r.Store().Update(func(tx *relay.Txn) error {
		for _, l := range ls {
			obj, err := listing.Encode(l)
			if err != nil {
				return err
			}
			if err := tx.PutListing(&relay.Record{Listing: *l, Object: obj, Received: time.Now()}); err != nil {
				return err
			}
		}
		for _, id := range remove {
			if _, err := tx.DeleteListing(id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestIndexJournal: a checkpoint forgets the journaled listings the index
// holds as stored, and writes the others to the index again from the
// store: a listing stored or removed without reaching the index (here,
// written to the store directly) is searchable, or gone, after it, and
// forgotten at the next. (A start replays the journal: see
// TestAcknowledgedListingsSurviveKill and TestJournalReplayRacesUpdates.)
func TestIndexJournal(t *testing.T) {
	ctx := context.Background()
	cfg, r, h := journalRelay(t)
	published := []*listing.Listing{h.Listing("Published saddle one"), h.Listing("Published saddle two")}
	for _, l := range published {
		a, err := h.ListingActivity("Create", l)
		if err != nil {
			t.Fatal(err)
		}
		mustSend(t, h, r.inbox(), a)
	}
	checkpoint := func(what string, want int) {
		t.Helper()
		left, err := r.CheckpointIndex(ctx)
		if err != nil {
			t.Fatalf("%s: checkpoint: %v", what, err)
		}
		if left != want {
			t.Errorf("%s: %d listings left in the journal, want %d", what, left, want)
		}
	}
	checkpoint("published through the inbox", 0)

	// Stored and removed behind the index's back.
	byHand := h.Listing("Zebracorn saddle stored by hand")
	storeBehindIndex(t, r, []*listing.Listing{byHand}, published[0].FederatedAPID)
	if n := r.metric("market_relay_index_journal"); n != 2 {
		t.Errorf("market_relay_index_journal = %v, want 2", n)
	}
	if st := r.statusReport(); st.IndexJournal != 2 {
		t.Errorf("market relay status: index_journal = %d, want 2", st.IndexJournal)
	}
	api := newAPIClient(t, cfg.PublicURL)
	if got := api.search("q=zebracorn").Total; got != 0 {
		t.Fatalf("the listing written to the store alone is found (%d) before any checkpoint: the test proves nothing", got)
	}
	checkpoint("after writing the store alone", 2)
	if err := r.FlushIndex(ctx); err != nil {
		t.Fatal(err)
	}
	wantSearch := func(when string) {
		t.Helper()
		if got := ids(api.search("q=zebracorn")); len(got) != 1 || got[0] != byHand.Title {
			t.Errorf("%s: search for the listing stored by hand finds %q", when, got)
		}
		if got := ids(api.search("q=saddle&sort=newest")); len(got) != 2 || got[0] == published[0].Title || got[1] == published[0].Title {
			t.Errorf("%s: search finds %q, want the listing removed from the store gone", when, got)
		}
	}
	wantSearch("after the checkpoint")
	checkpoint("asked again", 0)

	// Without a checkpoint: the index is repaired, nothing forgotten.
	storeBehindIndex(t, r, nil, byHand.FederatedAPID)
	if n, err := r.RepairIndex(ctx); err != nil || n != 1 {
		t.Errorf("repair: %d written again, %v; want 1", n, err)
	}
	if err := r.FlushIndex(ctx); err != nil {
		t.Fatal(err)
	}
	if got := api.search("q=zebracorn").Total; got != 0 {
		t.Errorf("after the repair: the listing removed from the store is found (%d)", got)
	}
	if n := r.metric("market_relay_index_journal"); n != 1 {
		t.Errorf("after the repair: market_relay_index_journal = %v, want 1 (a repair forgets nothing)", n)
	}

	r.stop()
	r = startRelay(t, cfg)
	waitReady(t, "the relay to be ready (the journal replayed)", cfg.PublicURL)
	if got := api.search("q=zebracorn").Total; got != 0 {
		t.Errorf("after the restart: the listing removed from the store is found (%d)", got)
	}
	checkpoint("after the restart", 0)
}

// TestJournalReplayRacesUpdates: listings stored behind the index's back
// are replayed while their seller updates each of them through the inbox;
// whichever of the two reaches a listing last, the index ends holding what
// the store holds.
func TestJournalReplayRacesUpdates(t *testing.T) {
	ctx := context.Background()
	cfg, r, h := journalRelay(t)
	const n = 150
	ls := make([]*listing.Listing, n)
	for i := range ls {
		ls[i] = h.Listing(fmt.Sprintf("Quokka lamp %d", i))
	}
	storeBehindIndex(t, r, ls)
	replayed := make(chan error, 1)
	go func() { replayed <- r.CatchUpIndex(ctx) }()
	for i, l := range ls {
		u := *l
		u.Title = fmt.Sprintf("Wombat lamp %d", i)
		u.Updated = l.Updated.Add(time.Second)
		a, err := h.ListingActivity("Update", &u)
		if err != nil {
			t.Fatal(err)
		}
		mustSend(t, h, r.inbox(), a)
	}
	if err := <-replayed; err != nil {
		t.Fatal(err)
	}
	if err := r.FlushIndex(ctx); err != nil {
		t.Fatal(err)
	}
	api := newAPIClient(t, cfg.PublicURL)
	if got := api.search("q=quokka&facets=false").Total; got != 0 {
		t.Errorf("%d listings found by their title before the update", got)
	}
	if got := api.search("q=wombat&facets=false").Total; got != n {
		t.Errorf("%d listings found by their updated title, want %d", got, n)
	}
	if left, err := r.CheckpointIndex(ctx); err != nil || left != 0 {
		t.Errorf("checkpoint: %d left in the journal, %v; want none", left, err)
	}
}
