package deal

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"sync"

	"go.etcd.io/bbolt"
)

// Buckets this package owns in a hub's bbolt file.
var (
	bucketDeals  = []byte("deal.deals")  // agreement id → Deal (JSON)
	bucketOffers = []byte("deal.offers") // Offer activity id → agreement id
	bucketKeys   = []byte("deal.keys")   // Key(agreement id) → agreement id
)

// Store is the deals of one hub inside a bbolt transaction.
type Store struct{ tx *bbolt.Tx }

// In returns the store of tx; CreateBuckets must have run once.
func In(tx *bbolt.Tx) Store { return Store{tx} }

// CreateBuckets creates the package's buckets if missing, and the index
// of the deals' keys for the deals stored before it existed.
func CreateBuckets(db *bbolt.DB) error {
	return db.Update(func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{bucketDeals, bucketOffers} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return fmt.Errorf("create bucket %s: %w", b, err)
			}
		}
		if tx.Bucket(bucketKeys) != nil {
			return nil
		}
		keys, err := tx.CreateBucket(bucketKeys)
		if err != nil {
			return fmt.Errorf("create bucket %s: %w", bucketKeys, err)
		}
		return tx.Bucket(bucketDeals).ForEach(func(id, _ []byte) error {
			return keys.Put([]byte(Key(string(id))), id)
		})
	})
}

// Key is the short name of the deal with agreement id id, as the owner
// API's paths name it: the first 16 hex digits of the SHA-256 of the id.
func Key(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:8])
}

// ByKey returns the deal whose Key is key, or ErrNotFound.
func (s Store) ByKey(key string) (*Deal, error) {
	id := s.tx.Bucket(bucketKeys).Get([]byte(key))
	if id == nil {
		return nil, fmt.Errorf("%w: no such deal", ErrNotFound)
	}
	return s.Get(string(id))
}

// Get returns the deal with agreement id id, or ErrNotFound.
func (s Store) Get(id string) (*Deal, error) {
	v := s.tx.Bucket(bucketDeals).Get([]byte(id))
	if v == nil {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	var d Deal
	if err := json.Unmarshal(v, &d); err != nil {
		return nil, fmt.Errorf("deal %s: %w", id, err)
	}
	return &d, nil
}

// ByOffer returns the deal an Offer activity made, or ErrNotFound.
func (s Store) ByOffer(offer string) (*Deal, error) {
	id := s.tx.Bucket(bucketOffers).Get([]byte(offer))
	if id == nil {
		return nil, fmt.Errorf("%w: offer %s", ErrNotFound, offer)
	}
	return s.Get(string(id))
}

// Put stores d (and the index of its offer). Once the transaction
// commits, the ones waiting for the deal (Changes.Next) are told.
func (s Store) Put(d *Deal) error {
	v, err := json.Marshal(d)
	if err != nil {
		return err
	}
	if c, ok := watched.Load(s.tx.DB()); ok {
		id := d.ID
		s.tx.OnCommit(func() { c.(*Changes).stored(id) })
	}
	if err := s.tx.Bucket(bucketOffers).Put([]byte(d.Offer), []byte(d.ID)); err != nil {
		return err
	}
	if err := s.tx.Bucket(bucketKeys).Put([]byte(Key(d.ID)), []byte(d.ID)); err != nil {
		return err
	}
	return s.tx.Bucket(bucketDeals).Put([]byte(d.ID), v)
}

// Find returns the deal whose agreement id match accepts, decoding no
// other, or ErrNotFound.
func (s Store) Find(match func(id string) bool) (*Deal, error) {
	c := s.tx.Bucket(bucketDeals).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if match(string(k)) {
			return s.Get(string(k))
		}
	}
	return nil, fmt.Errorf("%w: no such deal", ErrNotFound)
}

// List returns every deal, newest first.
func (s Store) List() ([]*Deal, error) {
	var out []*Deal
	err := s.tx.Bucket(bucketDeals).ForEach(func(k, v []byte) error {
		var d Deal
		if err := json.Unmarshal(v, &d); err != nil {
			return fmt.Errorf("deal %s: %w", k, err)
		}
		out = append(out, &d)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Created.After(out[j].Created) })
	return out, err
}

// Changes tells the ones waiting for a deal of one database that it was
// stored again (Watch).
type Changes struct {
	mu      sync.Mutex
	waiting map[string]chan struct{} // deal id → closed when it is next stored
}

// watched holds the Changes of each watched database.
var watched sync.Map // *bbolt.DB → *Changes

// Watch returns the Changes of the deals in db, creating them on the
// first call; from then on every Put in db tells them. Unwatch ends it.
func Watch(db *bbolt.DB) *Changes {
	c, _ := watched.LoadOrStore(db, &Changes{waiting: make(map[string]chan struct{})})
	return c.(*Changes)
}

// Unwatch forgets db's Changes (when db is closed).
func Unwatch(db *bbolt.DB) { watched.Delete(db) }

// Next returns a channel that is closed the next time the deal with id is
// stored (its transaction committed). Take it before reading the deal,
// so that no change falls between the read and the wait.
func (c *Changes) Next(id string) <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := c.waiting[id]
	if ch == nil {
		ch = make(chan struct{})
		c.waiting[id] = ch
	}
	return ch
}

// stored tells the ones waiting for the deal with id.
func (c *Changes) stored(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ch := c.waiting[id]; ch != nil {
		close(ch)
		delete(c.waiting, id)
	}
}
