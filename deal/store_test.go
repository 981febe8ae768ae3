package deal

import (
	"errors"
	"path/filepath"
	"testing"

	"go.etcd.io/bbolt"
)

// TestChangesTellWaiters: a waiter for a deal is told once a Put of that
// deal commits, not by a Put of another deal nor by one rolled back.
func TestChangesTellWaiters(t *testing.T) {
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "d.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := CreateBuckets(db); err != nil {
		t.Fatal(err)
	}
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
