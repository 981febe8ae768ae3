package boltgroup

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestGroupCommit: steps run at once from many goroutines each commit
// once or fail alone: every step that succeeded is in the file, none that
// failed is, and each caller gets its own step's answer.
func TestGroupCommit(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "g.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("b")); return err }); err != nil {
		t.Fatal(err)
	}
	g := New(db)
	boom := errors.New("refused")
	const n = 300
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = g.Run(func(tx *bolt.Tx) error {
				if err := tx.Bucket([]byte("b")).Put([]byte(fmt.Sprint(i)), []byte("x")); err != nil {
					return err
				}
				if i%7 == 0 {
					return boom // its write is undone
				}
				return nil
			})
		}()
	}
	wg.Wait()
	_ = db.View(func(tx *bolt.Tx) error {
		for i := range n {
			stored := tx.Bucket([]byte("b")).Get([]byte(fmt.Sprint(i))) != nil
			if failing := i%7 == 0; failing != errors.Is(errs[i], boom) || stored == failing || !failing && errs[i] != nil {
				t.Errorf("step %d: error %v, stored %v", i, errs[i], stored)
			}
		}
		return nil
	})
	if g.leading || len(g.waiting) != 0 {
		t.Fatalf("after the steps: leading %v, %d waiting", g.leading, len(g.waiting))
	}
}
