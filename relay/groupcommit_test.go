package relay

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"go.etcd.io/bbolt"
)

// TestGroupCommit: concurrent calls all commit, sharing transactions; a
// call that fails gets its own error and leaves nothing behind, and the
// calls that shared its transaction still commit.
func TestGroupCommit(t *testing.T) {
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "t.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bbolt.Tx) error { _, err := tx.CreateBucket([]byte("b")); return err }); err != nil {
		t.Fatal(err)
	}
	g := &groupCommit{db: db}
	const n = 200
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = g.do(func(tx *bbolt.Tx) error {
				key := fmt.Sprintf("k%03d", i)
				if err := tx.Bucket([]byte("b")).Put([]byte(key), []byte("v")); err != nil {
					return err
				}
				if i%10 == 7 {
					return fmt.Errorf("call %d refused", i)
				}
				return nil
			})
		}(i)
	}
	wg.Wait()
	err = db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte("b"))
		for i := 0; i < n; i++ {
			key := fmt.Sprintf("k%03d", i)
			stored := b.Get([]byte(key)) != nil
			if i%10 == 7 {
				if want := fmt.Sprintf("call %d refused", i); errs[i] == nil || errs[i].Error() != want {
					t.Errorf("call %d: error %v, want %q", i, errs[i], want)
				}
				if stored {
					t.Errorf("call %d failed but its write is stored", i)
				}
				continue
			}
			if errs[i] != nil {
				t.Errorf("call %d: %v", i, errs[i])
			}
			if !stored {
				t.Errorf("call %d succeeded but its write is missing", i)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if errors.Is(errs[7], errFailedCall) {
		t.Errorf("a failed call got the group's error, not its own")
	}
}
