package federation

import (
	"fmt"

	"go.etcd.io/bbolt"
)

// Buckets this package keeps in the node's bbolt file, beside the delivery
// queue's. Each holds one entity; the small stores below (Follows, Blocks,
// Seen) read and write them inside a caller's transaction, so that a
// mode's own change (a listing dropped with its hub's follow) commits
// with it.
var (
	bucketFollowing  = []byte("federation.following")  // actor id → Follow (actors this node follows)
	bucketFollowers  = []byte("federation.followers")  // actor id → Follow (actors following this node)
	bucketBlocks     = []byte("federation.blocks")     // domain or actor URL → Block
	bucketActivities = []byte("federation.activities") // activity id → RFC 3339 time first applied
)

// legacyBuckets are the names a relay data directory used for the same
// entities before they moved into this package. OpenState moves their
// contents over on first start.
var legacyBuckets = [][2][]byte{
	{[]byte("relay.following"), bucketFollowing},
	{[]byte("relay.followers"), bucketFollowers},
	{[]byte("relay.blocks"), bucketBlocks},
	{[]byte("relay.activities"), bucketActivities},
}

// OpenState creates the federation state's buckets in db if needed and
// moves over the contents of the buckets a relay data directory held them
// in before (relay.following, relay.followers, relay.blocks,
// relay.activities), in one transaction: either everything moves or
// nothing does. It reports how many records moved.
func OpenState(db *bbolt.DB) (moved int, err error) {
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{bucketFollowing, bucketFollowers, bucketBlocks, bucketActivities} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return fmt.Errorf("create bucket %s: %w", b, err)
			}
		}
		for _, pair := range legacyBuckets {
			old := tx.Bucket(pair[0])
			if old == nil {
				continue
			}
			dst := tx.Bucket(pair[1])
			if err := old.ForEach(func(k, v []byte) error {
				moved++
				return dst.Put(k, v)
			}); err != nil {
				return fmt.Errorf("move bucket %s to %s: %w", pair[0], pair[1], err)
			}
			if err := tx.DeleteBucket(pair[0]); err != nil {
				return fmt.Errorf("drop moved bucket %s: %w", pair[0], err)
			}
		}
		return nil
	})
	return moved, err
}
