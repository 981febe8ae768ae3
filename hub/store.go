package hub

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/listing"
)

// Buckets the hub owns in the node's bbolt file.
var (
	bucketListings = []byte("hub.listings") // listing id → Record
	bucketTokens   = []byte("hub.tokens")   // hex sha256 of a token → Token
	bucketPeers    = []byte("hub.peers")    // follower actor id → Peer
	bucketRelays   = []byte("hub.relays")   // relay actor id → Relay
	bucketMarket   = []byte("hub.market")   // object id → Received
)

var buckets = [][]byte{bucketListings, bucketTokens, bucketPeers, bucketRelays, bucketMarket}

// Sentinel errors of the hub, mapped to statuses by federation.StatusOf.
var (
	ErrNotFound = federation.ErrNotFound
	ErrInvalid  = federation.ErrInvalid
	ErrConflict = federation.ErrConflict
)

// Record is one of the owner's listings as the hub keeps it: the listing,
// when it expires, and who has it (the inboxes its Create went to and no
// Delete since), so that an edit reaches the same audience and a
// narrowing or a delete reaches whoever had it.
type Record struct {
	Listing   listing.Listing `json:"listing"`
	ExpiresAt *time.Time      `json:"expires_at,omitempty"`
	// Delivered lists the inboxes that have the listing, sorted.
	Delivered []string `json:"delivered,omitempty"`
	// Deleted is set on a published listing the owner deleted: its object
	// URL answers 410 with a Tombstone.
	Deleted *time.Time `json:"deleted,omitempty"`
}

// Peer is what the hub knows of a follower: where to deliver (its shared
// inbox when it has one) and whether it is a relay, which gets only the
// public listings its niche takes, never followers-only ones.
type Peer struct {
	Actor string        `json:"actor"`
	Inbox string        `json:"inbox"`
	Relay bool          `json:"relay,omitempty"`
	Niche listing.Niche `json:"niche"`
}

// Relay is a relay the owner subscribed to (`market hub relays add`).
type Relay struct {
	Actor string `json:"actor"`
	Inbox string `json:"inbox"`
	// Niche is the specialization the relay advertises in its actor
	// document, as last read; NicheError says why it could not be read
	// (the relay then gets nothing).
	Niche      listing.Niche `json:"specialization"`
	NicheError string        `json:"specialization_error,omitempty"`
	Added      time.Time     `json:"added"`
	Refreshed  time.Time     `json:"refreshed"`
}

// Received is a listing another hub the owner follows published to them:
// the local marketplace.
type Received struct {
	Listing  listing.Listing `json:"listing"`
	From     string          `json:"from"` // the actor that delivered it
	Received time.Time       `json:"received"`
}

// txn reads and writes the hub's buckets inside one bbolt transaction.
type txn struct{ tx *bbolt.Tx }

func createBuckets(db *bbolt.DB) error {
	return db.Update(func(tx *bbolt.Tx) error {
		for _, b := range buckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return fmt.Errorf("create bucket %s: %w", b, err)
			}
		}
		return nil
	})
}

func get[T any](t txn, bucket []byte, key string) (*T, error) {
	v := t.tx.Bucket(bucket).Get([]byte(key))
	if v == nil {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	var out T
	if err := json.Unmarshal(v, &out); err != nil {
		return nil, fmt.Errorf("decode %s %s: %w", bucket, key, err)
	}
	return &out, nil
}

func put(t txn, bucket []byte, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return t.tx.Bucket(bucket).Put([]byte(key), b)
}

func all[T any](t txn, bucket []byte) ([]*T, error) {
	var out []*T
	err := t.tx.Bucket(bucket).ForEach(func(k, v []byte) error {
		var item T
		if err := json.Unmarshal(v, &item); err != nil {
			return fmt.Errorf("decode %s %s: %w", bucket, k, err)
		}
		out = append(out, &item)
		return nil
	})
	return out, err
}

func (t txn) record(id string) (*Record, error) {
	r, err := get[Record](t, bucketListings, id)
	if err == nil && r.Deleted != nil {
		return r, fmt.Errorf("%w: listing %s was deleted", federation.ErrGone, id)
	}
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("%w: no listing %s", ErrNotFound, id)
	}
	return r, err
}

func (t txn) putRecord(r *Record) error { return put(t, bucketListings, r.Listing.ID, r) }

func (t txn) records() ([]*Record, error) { return all[Record](t, bucketListings) }

func (t txn) peer(actor string) *Peer {
	p, _ := get[Peer](t, bucketPeers, actor)
	return p
}

func (t txn) relay(actor string) *Relay {
	r, _ := get[Relay](t, bucketRelays, actor)
	return r
}

func (t txn) relays() ([]*Relay, error) { return all[Relay](t, bucketRelays) }
