package relay

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/listing"
)

// TestListingCountFollowsWrites: the stored count moves with new listings
// and deletions, not with replacements, and a store without the count
// (written before it existed) counts its listings when opened.
func TestListingCountFollowsWrites(t *testing.T) {
	db, s := openTestStore(t)
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
	s, err := NewStore(db)
	if err != nil {
		t.Fatal(err)
	}
	count(2, "a store written before the count")
}

// TestRecordsCompressedAndOldOnesRead: a record is stored compressed, and
// one stored as plain JSON (before compression) reads the same.
func TestRecordsCompressedAndOldOnesRead(t *testing.T) {
	db, s := openTestStore(t)
	obj := json.RawMessage(`{"id":"https://a.example/l/1","type":["Note","Proposal"],"name":"Old bicycle, old bicycle"}`)
	rec := &Record{
		Listing:  listing.Listing{FederatedAPID: "https://a.example/l/1", Owner: "https://a.example/u/a", Title: "Old bicycle"},
		Activity: json.RawMessage(`{"type":"Create","object":` + string(obj) + `}`), Object: obj,
		Signature: &Signature{KeyID: "https://a.example/u/a#main-key", Header: "sig"}, Arrival: ArrivalDelivered,
		Received: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	}
	if err := s.Update(func(t *Txn) error { return t.PutListing(rec) }); err != nil {
		t.Fatal(err)
	}
	plain, _ := json.Marshal(rec)
	old := *rec
	old.Listing.FederatedAPID = "https://a.example/l/2"
	oldJSON, _ := json.Marshal(&old)
	db.Update(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bucketListings).Get([]byte("https://a.example/l/1"))
		if v[0] != recordS2 || len(v) >= len(plain) {
			t.Errorf("stored record: %d bytes beginning %q, want compressed below the %d of its JSON", len(v), v[:1], len(plain))
		}
		return tx.Bucket(bucketListings).Put([]byte(old.Listing.FederatedAPID), oldJSON)
	})
	for _, want := range []*Record{rec, &old} {
		var got *Record
		var err error
		s.View(func(tx *Txn) error { got, err = tx.Listing(want.Listing.FederatedAPID); return err })
		if err != nil {
			t.Fatal(err)
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			t.Errorf("read back %s\nwant %s", g, w)
		}
	}
	// A damaged compressed record is an error, not a panic.
	db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketListings).Put([]byte("https://a.example/l/3"), []byte{recordS2, 0xff, 0xff, 0xff, 0xff, 0x0f})
	})
	s.View(func(tx *Txn) error {
		if _, err := tx.Listing("https://a.example/l/3"); err == nil {
			t.Error("a damaged record read without an error")
		}
		return nil
	})
}

// openTestStore is a Store on a new bbolt file, closed when the test ends.
func openTestStore(t *testing.T) (*bbolt.DB, *Store) {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "t.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s, err := NewStore(db)
	if err != nil {
		t.Fatal(err)
	}
	return db, s
}
