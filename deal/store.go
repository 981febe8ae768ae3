package deal

import (
	"encoding/json"
	"fmt"
	"sort"

	"go.etcd.io/bbolt"
)

// Buckets this package owns in a hub's bbolt file.
var (
	bucketDeals  = []byte("deal.deals")  // agreement id → Deal (JSON)
	bucketOffers = []byte("deal.offers") // Offer activity id → agreement id
)

// Store is the deals of one hub inside a bbolt transaction.
type Store struct{ tx *bbolt.Tx }

// In returns the store of tx; CreateBuckets must have run once.
func In(tx *bbolt.Tx) Store { return Store{tx} }

// CreateBuckets creates the package's buckets if missing.
func CreateBuckets(db *bbolt.DB) error {
	return db.Update(func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{bucketDeals, bucketOffers} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return fmt.Errorf("create bucket %s: %w", b, err)
			}
		}
		return nil
	})
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

// Put stores d (and the index of its offer).
func (s Store) Put(d *Deal) error {
	v, err := json.Marshal(d)
	if err != nil {
		return err
	}
	if err := s.tx.Bucket(bucketOffers).Put([]byte(d.Offer), []byte(d.ID)); err != nil {
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
