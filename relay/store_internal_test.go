package relay

import (
	"path/filepath"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/listing"
)

// TestListingCountFollowsWrites: the stored count moves with new listings
// and deletions, not with replacements, and a store without the count
// (written before it existed) counts its listings when opened.
func TestListingCountFollowsWrites(t *testing.T) {
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "t.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := NewStore(db)
	if err != nil {
		t.Fatal(err)
	}
	put := func(id, owner string) {
		t.Helper()
		err := s.Update(func(t *Txn) error {
			return t.PutListing(&Record{Listing: listing.Listing{FederatedAPID: id, Owner: owner}})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	count := func(want int, when string) {
		t.Helper()
		var n int
		s.View(func(t *Txn) error { n = t.CountListings(); return nil })
		if n != want {
			t.Errorf("%s: CountListings = %d, want %d", when, n, want)
		}
	}
	count(0, "empty")
	put("https://a.example/l/1", "https://a.example/u/a")
	put("https://a.example/l/2", "https://a.example/u/a")
	put("https://a.example/l/2", "https://a.example/u/b")
	count(2, "two listings, one replaced")
	s.Update(func(t *Txn) error { _, err := t.DeleteListing("https://a.example/l/1"); return err })
	s.Update(func(t *Txn) error { _, err := t.DeleteListing("https://a.example/l/1"); return err })
	count(1, "one deleted twice")
	put("https://a.example/l/3", "https://a.example/u/b")
	s.Update(func(t *Txn) error { _, err := t.DeleteListingsOf("https://a.example/u/b"); return err })
	count(0, "the owner's listings deleted")

	put("https://a.example/l/4", "https://a.example/u/c")
	put("https://a.example/l/5", "https://a.example/u/c")
	db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketMeta).Delete(metaListingCount) })
	if s, err = NewStore(db); err != nil {
		t.Fatal(err)
	}
	count(2, "a store written before the count")
}
