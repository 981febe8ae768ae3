package federation

import (
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

func openStateDB(t *testing.T) *bbolt.DB {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "market.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestSeenPrune(t *testing.T) {
	db := openStateDB(t)
	if _, err := OpenState(db); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	err := db.Update(func(tx *bbolt.Tx) error {
		for i, age := range []time.Duration{time.Hour, 20 * 24 * time.Hour, 30 * 24 * time.Hour, 24 * time.Hour} {
			if err := SeenIn(tx).Mark(string(rune('a'+i)), now.Add(-age)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	err = db.Update(func(tx *bbolt.Tx) error {
		n, err = SeenIn(tx).Prune(now.Add(-ActivityMemory), 100)
		return err
	})
	if err != nil || n != 2 {
		t.Fatalf("pruned %d (%v), want 2", n, err)
	}
	db.View(func(tx *bbolt.Tx) error {
		for id, want := range map[string]bool{"a": true, "b": false, "c": false, "d": true} {
			if got := SeenIn(tx).Has(id); got != want {
				t.Errorf("activity %s seen = %v, want %v", id, got, want)
			}
		}
		return nil
	})
}

// TestOpenStateMovesLegacyBuckets: follows, blocks and applied ids a relay
// kept in its own buckets move over whole, and the old buckets go.
func TestOpenStateMovesLegacyBuckets(t *testing.T) {
	db := openStateDB(t)
	legacy := map[string]map[string]string{
		"relay.following":  {"https://hub.example/users/a": `{"actor":"https://hub.example/users/a","state":"accepted"}`},
		"relay.followers":  {"https://hub.example/users/a": `{"actor":"https://hub.example/users/a","state":"pending"}`, "https://b.example/u": `{"actor":"https://b.example/u","state":"accepted"}`},
		"relay.blocks":     {"spam.example": `{"domain":"spam.example"}`},
		"relay.activities": {"https://hub.example/act/1": "2026-11-24T12:00:00Z"},
		"relay.listings":   {"https://hub.example/l/1": `{}`},
	}
	err := db.Update(func(tx *bbolt.Tx) error {
		for b, kv := range legacy {
			bk, err := tx.CreateBucket([]byte(b))
			if err != nil {
				return err
			}
			for k, v := range kv {
				if err := bk.Put([]byte(k), []byte(v)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	moved, err := OpenState(db)
	if err != nil || moved != 5 {
		t.Fatalf("OpenState moved %d (%v), want 5", moved, err)
	}
	db.View(func(tx *bbolt.Tx) error {
		fs := FollowsIn(tx)
		if f, err := fs.Following("https://hub.example/users/a"); err != nil || f.State != FollowAccepted {
			t.Errorf("following after the move = %+v, %v", f, err)
		}
		if n := fs.Count(false); n != 2 {
			t.Errorf("followers after the move = %d, want 2", n)
		}
		if !BlocksIn(tx).Covers("www.spam.example") {
			t.Error("the block did not move")
		}
		if !SeenIn(tx).Has("https://hub.example/act/1") {
			t.Error("the applied activity id did not move")
		}
		for _, b := range []string{"relay.following", "relay.followers", "relay.blocks", "relay.activities"} {
			if tx.Bucket([]byte(b)) != nil {
				t.Errorf("bucket %s still there", b)
			}
		}
		if tx.Bucket([]byte("relay.listings")) == nil {
			t.Error("a bucket that is not federation's was dropped")
		}
		return nil
	})
	if moved, err := OpenState(db); err != nil || moved != 0 {
		t.Fatalf("second OpenState moved %d (%v), want 0", moved, err)
	}
}
