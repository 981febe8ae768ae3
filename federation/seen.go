package federation

import (
	"time"

	"go.etcd.io/bbolt"
)

// ActivityMemory is how long a node remembers an applied activity's id, to
// accept a repeat once without applying it again; senders retry for hours
// or days, not longer, and the Date check refuses anything older than a
// few minutes anyway.
const ActivityMemory = 14 * 24 * time.Hour

// Seen is the de-duplication record of applied activity ids inside one
// bbolt transaction. A mode marks an activity in the same transaction as
// its effect, so that a repeat is accepted but applied once.
type Seen struct{ tx *bbolt.Tx }

// SeenIn returns the de-duplication record as seen by tx.
func SeenIn(tx *bbolt.Tx) Seen { return Seen{tx} }

// Has reports whether the activity id was already applied.
func (s Seen) Has(id string) bool {
	return s.tx.Bucket(bucketActivities).Get([]byte(id)) != nil
}

// Mark records the activity id as applied at the given time.
func (s Seen) Mark(id string, at time.Time) error {
	return s.tx.Bucket(bucketActivities).Put([]byte(id), []byte(at.UTC().Format(time.RFC3339Nano)))
}

// Prune forgets activity ids applied before cutoff, at most limit of them,
// and reports how many it removed.
func (s Seen) Prune(cutoff time.Time, limit int) (int, error) {
	b := s.tx.Bucket(bucketActivities)
	c := b.Cursor()
	var old [][]byte
	for k, v := c.First(); k != nil && len(old) < limit; k, v = c.Next() {
		if at, err := time.Parse(time.RFC3339Nano, string(v)); err != nil || at.Before(cutoff) {
			old = append(old, append([]byte(nil), k...))
		}
	}
	for _, k := range old {
		if err := b.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(old), nil
}
