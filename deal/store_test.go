package deal

import (
	"errors"
	"path/filepath"
	"testing"

	"go.etcd.io/bbolt"
)

// openStore opens a bbolt file with the package's buckets, closed when
// the test ends.
func openStore(t *testing.T) *bbolt.DB {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "d.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := CreateBuckets(db); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestChangesTellWaiters: a waiter for a deal is told once a Put of that
// deal commits, not by a Put of another deal nor by one rolled back.
func TestChangesTellWaiters(t *testing.T) {
	db := openStore(t)
	c := Watch(db)
	defer Unwatch(db)
	told := func(ch <-chan struct{}) bool {
		select {
		case <-ch:
			return true
		default:
			return false
		}
	}
	put := func(id string, fail bool) {
		err := db.Update(func(tx *bbolt.Tx) error {
			if err := In(tx).Put(&Deal{ID: id, Offer: id + "/offer"}); err != nil {
				return err
			}
			if fail {
				return errors.New("rolled back")
			}
			return nil
		})
		if (err != nil) != fail {
			t.Fatal(err)
		}
	}
	next := c.Next("https://hub.example/a/1")
	put("https://hub.example/a/2", false)
	put("https://hub.example/a/1", true)
	if told(next) {
		t.Fatal("told by another deal's Put or a rolled-back one")
	}
	put("https://hub.example/a/1", false)
	if !told(next) {
		t.Fatal("not told once the deal's Put committed")
	}
	if told(c.Next("https://hub.example/a/1")) {
		t.Fatal("a new wait is told of a change before it")
	}
}

// TestByKey: a deal is found by its key, one stored before the index of
// keys existed too (CreateBuckets fills it), and an unknown key is
// ErrNotFound.
func TestByKey(t *testing.T) {
	db := openStore(t)
	old, fresh := "https://hub.example/a/old", "https://hub.example/a/new"
	err := db.Update(func(tx *bbolt.Tx) error {
		if err := In(tx).Put(&Deal{ID: old, Offer: old + "/offer"}); err != nil {
			return err
		}
		return tx.DeleteBucket(bucketKeys) // as before the index
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := CreateBuckets(db); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bbolt.Tx) error { return In(tx).Put(&Deal{ID: fresh, Offer: fresh + "/offer"}) }); err != nil {
		t.Fatal(err)
	}
	_ = db.View(func(tx *bbolt.Tx) error {
		for _, id := range []string{old, fresh} {
			if d, err := In(tx).ByKey(Key(id)); err != nil || d.ID != id {
				t.Errorf("ByKey(Key(%s)): %v, %v", id, d, err)
			}
		}
		if _, err := In(tx).ByKey("0123456789abcdef"); !errors.Is(err, ErrNotFound) {
			t.Errorf("an unknown key: %v, want ErrNotFound", err)
		}
		return nil
	})
}
