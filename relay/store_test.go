package relay

import (
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

func TestPruneActivities(t *testing.T) {
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "r.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := NewStore(db)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	err = s.Update(func(tx *Txn) error {
		for i, age := range []time.Duration{time.Hour, 20 * 24 * time.Hour, 30 * 24 * time.Hour, 24 * time.Hour} {
			if err := tx.MarkActivity(string(rune('a'+i)), now.Add(-age)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	err = s.Update(func(tx *Txn) error {
		n, err = tx.PruneActivities(now.Add(-ActivityMemory), 100)
		return err
	})
	if err != nil || n != 2 {
		t.Fatalf("pruned %d (%v), want 2", n, err)
	}
	s.View(func(tx *Txn) error {
		for id, want := range map[string]bool{"a": true, "b": false, "c": false, "d": true} {
			if got := tx.SeenActivity(id); got != want {
				t.Errorf("activity %s seen = %v, want %v", id, got, want)
			}
		}
		return nil
	})
}
