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
	bucketMarket   = []byte("hub.market")   // owner actor id, a space, object id → Received
	// bucketMarketIDs says whose each marketplace listing is: one object
	// id has one owner, as in a relay's store and in the index.
	bucketMarketIDs = []byte("hub.market.ids") // object id → owner actor id
	bucketAnnounces = []byte("hub.announces")  // object id → Announced
	bucketOwner     = []byte("hub.owner")      // "password" → the owner's argon2id hash
	bucketSessions  = []byte("hub.sessions")   // hex sha256 of a session cookie → session
)

var buckets = [][]byte{bucketListings, bucketTokens, bucketPeers, bucketRelays, bucketMarket, bucketMarketIDs, bucketAnnounces, bucketOwner, bucketSessions, bucketAgent, bucketInboxes}

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

// Received is a listing of the local marketplace: one that a hub the
// owner follows published to them, or that one of them shared (Announce),
// fetched from its origin.
type Received struct {
	Listing listing.Listing `json:"listing"`
	// From is the actor that last delivered it: its owner, or the one
	// that shared it.
	From string `json:"from"`
	// SharedBy lists the followed actors that shared it, sorted; empty
	// for a listing only its owner delivered.
	SharedBy []string `json:"shared_by,omitempty"`
	// SellerName is the owner's display name, as its actor document said.
	SellerName string    `json:"seller_name,omitempty"`
	Received   time.Time `json:"received"`
}

// Announced is a listing the owner shared with their followers, so that
// the owner's later changes reach those who got it (see passOn).
type Announced struct {
	Object string `json:"object"`
	Owner  string `json:"owner"`
	// Activity is the last Announce sent, which an Undo undoes.
	Activity  json.RawMessage `json:"activity"`
	Announced time.Time       `json:"announced"`
	// Delivered lists the inboxes the Announce went to, sorted.
	Delivered []string `json:"delivered,omitempty"`
}

// txn reads and writes the hub's buckets inside one bbolt transaction,
// and collects the changes to the marketplace that its index takes once
// the transaction commits (see Server.update).
type txn struct {
	tx     *bbolt.Tx
	market *marketChanges
}

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
