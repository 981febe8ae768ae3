package relay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/boltgroup"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/listing"
)

// Buckets of the relay in the node's bbolt file. The federation package
// keeps its own (follows, blocks, applied activity ids, the delivery
// queue) in the same file.
var (
	bucketListings  = []byte("relay.listings")  // object id → Record
	bucketByOwner   = []byte("relay.by_owner")  // owner \x00 object id → nothing
	bucketMeta      = []byte("relay.meta")      // small settings and counters
	bucketReports   = []byte("relay.reports")   // report id (time-ordered) → Report
	bucketTakedowns = []byte("relay.takedowns") // listing object id → Takedown
)

// ErrNotFound is returned when a stored record does not exist.
var ErrNotFound = federation.ErrNotFound

// ErrConflict is returned when an operator action was already done (a
// listing already taken down, a report already resolved).
var ErrConflict = federation.ErrConflict

// Signature is what a client needs to check an HTTP-signed request body
// itself: the headers the sender signed, as received.
type Signature struct {
	KeyID         string `json:"key_id"`
	Header        string `json:"signature"`
	RequestTarget string `json:"request_target"`
	Host          string `json:"host"`
	Date          string `json:"date"`
	Digest        string `json:"digest,omitempty"`
	ContentType   string `json:"content_type,omitempty"`
	// SignatureInput and ContentDigest are set for an RFC 9421 signature
	// (Header then holds its Signature field).
	SignatureInput  string `json:"signature_input,omitempty"`
	ContentDigest   string `json:"content_digest,omitempty"`
	VerifiedByRelay bool   `json:"verified_by_relay"`
}

// Record is one stored listing: the decoded listing beside exactly what was
// received (the activity body and its signature, or, for an announced or
// discovered listing, the object as fetched from its origin).
type Record struct {
	Listing    listing.Listing `json:"listing"`
	Activity   json.RawMessage `json:"activity,omitempty"`  // the activity body as received, byte for byte; empty for a discovered listing
	Object     json.RawMessage `json:"object"`              // the listing object as received or fetched
	Signature  *Signature      `json:"signature,omitempty"` // nil when the object was fetched from its origin
	FetchedVia string          `json:"fetched_via,omitempty"`
	SellerName string          `json:"seller_name,omitempty"` // the owner actor's display name
	// Arrival says how the listing reached the relay: ArrivalDelivered,
	// ArrivalAnnounced or ArrivalDiscovered. Records stored before it
	// existed have it empty, and arrived as delivered or announced ones.
	Arrival string `json:"arrival,omitempty"`
	// LinkedFrom is the actor whose attachment links a discovered listing.
	LinkedFrom string    `json:"linked_from,omitempty"`
	Received   time.Time `json:"received"` // when this copy was received or fetched
	// FirstSeen is when the relay first received the listing; it survives
	// re-fetches and Updates. A listing without published takes it as
	// its creation time.
	FirstSeen time.Time `json:"first_seen,omitzero"`
}

// How a listing reached the relay (Record.Arrival).
const (
	// ArrivalDelivered: embedded in a signed Create or Update POSTed to
	// the inbox; Signature holds what the sender signed.
	ArrivalDelivered = "delivered"
	// ArrivalAnnounced: fetched from its origin after an Announce.
	ArrivalAnnounced = "announced"
	// ArrivalDiscovered: fetched from its origin because the owner's actor
	// document links it (a Mitra-style Proposal); no activity carried it.
	ArrivalDiscovered = "discovered"
)

// firstSeen is when the relay first received the listing; records stored
// before FirstSeen existed fall back to their last receipt.
func (r *Record) firstSeen() time.Time {
	if !r.FirstSeen.IsZero() {
		return r.FirstSeen
	}
	return r.Received
}

// Store is the relay's source of truth in bbolt. Every method is one
// transaction: a change either happens whole or not at all.
type Store struct {
	db    *bbolt.DB
	group *boltgroup.Committer
}

// NewStore creates the relay's buckets in db if needed.
func NewStore(db *bbolt.DB) (*Store, error) {
	err := db.Update(func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{bucketListings, bucketByOwner, bucketMeta, bucketReports, bucketTakedowns, bucketJournal} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return fmt.Errorf("create bucket %s: %w", b, err)
			}
		}
		// How many listings are stored is counted as they come and go;
		// a store written before the count existed counts them once.
		if tx.Bucket(bucketMeta).Get(metaListingCount) == nil {
			n := tx.Bucket(bucketListings).Stats().KeyN
			return tx.Bucket(bucketMeta).Put(metaListingCount, []byte(strconv.Itoa(n)))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Store{db: db, group: boltgroup.New(db)}, nil
}

// metaListingCount is the meta key of how many listings are stored, kept
// by PutListing and DeleteListing in their transaction, so that counting
// never walks the listings bucket (at a million listings, a walk of
// gigabytes).
var metaListingCount = []byte("listings.count")

// addListings moves the stored count of listings by d.
func (t *Txn) addListings(d int) error {
	return t.tx.Bucket(bucketMeta).Put(metaListingCount, []byte(strconv.Itoa(t.CountListings()+d)))
}

// Txn is the view of the store inside one write transaction, so that an
// activity's effect and its id's dedupe mark commit together.
type Txn struct{ tx *bbolt.Tx }

// Follows are the node's follow relationships, in this transaction.
func (t *Txn) Follows() federation.Follows { return federation.FollowsIn(t.tx) }

// Blocks are the node's blocks, in this transaction.
func (t *Txn) Blocks() federation.Blocks { return federation.BlocksIn(t.tx) }

// Seen is the node's record of applied activity ids, in this transaction.
func (t *Txn) Seen() federation.Seen { return federation.SeenIn(t.tx) }

// Update runs fn in one write transaction.
func (s *Store) Update(fn func(t *Txn) error) error {
	return s.db.Update(func(tx *bbolt.Tx) error { return fn(&Txn{tx}) })
}

// Batch runs fn in a write transaction shared with other concurrent Batch
// calls (one disk sync for all of them; see boltgroup). fn may run more
// than once, so it must only touch the store.
func (s *Store) Batch(fn func(t *Txn) error) error {
	return s.group.Run(func(tx *bbolt.Tx) error { return fn(&Txn{tx}) })
}

// View runs fn in one read transaction.
func (s *Store) View(fn func(t *Txn) error) error {
	return s.db.View(func(tx *bbolt.Tx) error { return fn(&Txn{tx}) })
}

// Listing returns the stored record of an object id.
func (t *Txn) Listing(id string) (*Record, error) {
	v := t.tx.Bucket(bucketListings).Get([]byte(id))
	if v == nil {
		return nil, fmt.Errorf("listing %s: %w", id, ErrNotFound)
	}
	r, err := decodeRecord(v)
	if err != nil {
		return nil, fmt.Errorf("decode stored listing %s: %w", id, err)
	}
	return r, nil
}

// PutListing stores a record under its listing's object id.
func (t *Txn) PutListing(r *Record) error {
	id := r.Listing.FederatedAPID
	if id == "" {
		return fmt.Errorf("put listing: %w: no object id", listing.ErrInvalid)
	}
	v, err := encodeRecord(r)
	if err != nil {
		return fmt.Errorf("encode listing %s: %w", id, err)
	}
	return t.putEncoded(r, v)
}

// putEncoded stores r, already encoded as v (encodeRecord), under its
// listing's object id; the caller checked that it has one.
func (t *Txn) putEncoded(r *Record, v []byte) error {
	id := r.Listing.FederatedAPID
	if t.tx.Bucket(bucketListings).Get([]byte(id)) == nil {
		if err := t.addListings(1); err != nil {
			return err
		}
	} else if hasKey(t.tx.Bucket(bucketByOwner), ownerKey(r.Listing.Owner, id)) {
		// The same owner's listing replaced: its owner key stays.
	} else if old, err := t.Listing(id); err == nil && old.Listing.Owner != r.Listing.Owner {
		if err := t.tx.Bucket(bucketByOwner).Delete(ownerKey(old.Listing.Owner, id)); err != nil {
			return err
		}
	}
	if err := t.tx.Bucket(bucketListings).Put([]byte(id), v); err != nil {
		return fmt.Errorf("store listing %s: %w", id, err)
	}
	if err := t.journalNote(id); err != nil {
		return fmt.Errorf("store listing %s: %w", id, err)
	}
	return t.tx.Bucket(bucketByOwner).Put(ownerKey(r.Listing.Owner, id), nil)
}

// DeleteListing removes a listing; it reports whether one was there.
func (t *Txn) DeleteListing(id string) (bool, error) {
	old, err := t.Listing(id)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := t.tx.Bucket(bucketByOwner).Delete(ownerKey(old.Listing.Owner, id)); err != nil {
		return false, err
	}
	if err := t.addListings(-1); err != nil {
		return false, err
	}
	if err := t.journalNote(id); err != nil {
		return false, err
	}
	return true, t.tx.Bucket(bucketListings).Delete([]byte(id))
}

// DeleteListingsOf removes every listing owned by actor and returns their ids.
func (t *Txn) DeleteListingsOf(actor string) ([]string, error) {
	prefix := ownerKey(actor, "")
	var ids []string
	c := t.tx.Bucket(bucketByOwner).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		ids = append(ids, string(k[len(prefix):]))
	}
	for _, id := range ids {
		if _, err := t.DeleteListing(id); err != nil {
			return ids, err
		}
	}
	return ids, nil
}

// DeleteListingsOnHost removes every listing whose owner is on host (a
// blocked domain: a host name, host:port, or a parent domain) and returns
// their ids.
func (t *Txn) DeleteListingsOnHost(host string) ([]string, error) {
	var owners []string
	err := t.tx.Bucket(bucketByOwner).ForEach(func(k, _ []byte) error {
		owner, _, _ := strings.Cut(string(k), "\x00")
		if len(owners) > 0 && owners[len(owners)-1] == owner {
			return nil
		}
		for _, d := range federation.DomainNames(federation.HostOf(owner)) {
			if d == host {
				owners = append(owners, owner)
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, o := range owners {
		got, err := t.DeleteListingsOf(o)
		ids = append(ids, got...)
		if err != nil {
			return ids, err
		}
	}
	return ids, nil
}

func ownerKey(owner, id string) []byte { return []byte(owner + "\x00" + id) }

// hasKey reports whether key is in b. (Get cannot tell: it answers nil
// for an empty value put in the same transaction, as owner keys are.)
func hasKey(b *bbolt.Bucket, key []byte) bool {
	k, _ := b.Cursor().Seek(key)
	return bytes.Equal(k, key)
}

// ListingsOf returns every stored record owned by actor.
func (t *Txn) ListingsOf(actor string) ([]*Record, error) {
	prefix := ownerKey(actor, "")
	var out []*Record
	c := t.tx.Bucket(bucketByOwner).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		r, err := t.Listing(string(k[len(prefix):]))
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

// CountListings returns how many listings are stored.
func (t *Txn) CountListings() int {
	n, _ := strconv.Atoi(string(t.tx.Bucket(bucketMeta).Get(metaListingCount)))
	return n
}

// EachListing calls fn for every stored record, in object id order.
func (t *Txn) EachListing(fn func(*Record) error) error {
	return t.tx.Bucket(bucketListings).ForEach(func(k, v []byte) error {
		r, err := decodeRecord(v)
		if err != nil {
			return fmt.Errorf("decode stored listing %s: %w", k, err)
		}
		return fn(r)
	})
}

// ListingsAfter returns up to n records whose object ids sort after
// after, in order; it lets long scans run as many short transactions.
func (t *Txn) ListingsAfter(after string, n int) ([]*Record, error) {
	var out []*Record
	c := t.tx.Bucket(bucketListings).Cursor()
	k, v := c.Seek([]byte(after))
	if k != nil && string(k) == after {
		k, v = c.Next()
	}
	for ; k != nil && len(out) < n; k, v = c.Next() {
		r, err := decodeRecord(v)
		if err != nil {
			return out, fmt.Errorf("decode stored listing %s: %w", k, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// Pages calls fn with the stored records, n at a time in object id order,
// each page read in its own short transaction so that a long scan never
// holds up writers. fn runs outside any transaction.
func (s *Store) Pages(n int, fn func(page []*Record) error) error {
	for after := ""; ; {
		var page []*Record
		if err := s.View(func(t *Txn) error {
			var err error
			page, err = t.ListingsAfter(after, n)
			return err
		}); err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		if err := fn(page); err != nil {
			return err
		}
		after = page[len(page)-1].Listing.FederatedAPID
	}
}

// Meta returns a small stored setting, or "" when unset.
func (t *Txn) Meta(key string) string { return string(t.tx.Bucket(bucketMeta).Get([]byte(key))) }

// PutMeta stores a small setting.
func (t *Txn) PutMeta(key, value string) error {
	return t.tx.Bucket(bucketMeta).Put([]byte(key), []byte(value))
}

// Report is a complaint about a listing, sent by anyone through
// POST /api/v1/reports, for the operator to review.
type Report struct {
	ID        string    `json:"id"`
	ListingID string    `json:"listing_id"`
	Reason    string    `json:"reason"`
	Title     string    `json:"title"`  // the listing's title when reported
	Seller    string    `json:"seller"` // the listing's owner when reported
	Created   time.Time `json:"created"`
	// Resolution is empty while the report is open, then "taken down"
	// or "dismissed".
	Resolution string     `json:"resolution,omitempty"`
	Resolved   *time.Time `json:"resolved,omitempty"`
}

// Takedown is the operator's removal of one listing: the relay dropped
// it and refuses it if its hub publishes it again, until restored.
type Takedown struct {
	ListingID string    `json:"listing_id"`
	Title     string    `json:"title,omitempty"`
	Seller    string    `json:"seller,omitempty"`
	Reason    string    `json:"reason,omitempty"`
	Since     time.Time `json:"since"`
}

// PutTakedown records a takedown.
func (t *Txn) PutTakedown(d *Takedown) error {
	v, err := json.Marshal(d)
	if err != nil {
		return err
	}
	return t.tx.Bucket(bucketTakedowns).Put([]byte(d.ListingID), v)
}

// TakenDown reports whether the listing with this object id was taken down.
func (t *Txn) TakenDown(id string) bool {
	return t.tx.Bucket(bucketTakedowns).Get([]byte(id)) != nil
}

// DeleteTakedown lifts a takedown; it reports whether there was one.
func (t *Txn) DeleteTakedown(id string) (bool, error) {
	b := t.tx.Bucket(bucketTakedowns)
	if b.Get([]byte(id)) == nil {
		return false, nil
	}
	return true, b.Delete([]byte(id))
}

// Takedowns lists the listings taken down.
func (t *Txn) Takedowns() ([]Takedown, error) {
	var out []Takedown
	err := t.tx.Bucket(bucketTakedowns).ForEach(func(_, v []byte) error {
		var d Takedown
		if err := json.Unmarshal(v, &d); err != nil {
			return err
		}
		out = append(out, d)
		return nil
	})
	return out, err
}

// PutReport stores a report.
func (t *Txn) PutReport(r *Report) error {
	v, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return t.tx.Bucket(bucketReports).Put([]byte(r.ID), v)
}

// Report reads one report.
func (t *Txn) Report(id string) (*Report, error) {
	v := t.tx.Bucket(bucketReports).Get([]byte(id))
	if v == nil {
		return nil, fmt.Errorf("%w: no report %s", ErrNotFound, id)
	}
	var r Report
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, fmt.Errorf("report %s: %w", id, err)
	}
	return &r, nil
}

// Reports lists the reports, oldest first.
func (t *Txn) Reports() ([]Report, error) {
	var out []Report
	err := t.tx.Bucket(bucketReports).ForEach(func(_, v []byte) error {
		var r Report
		if err := json.Unmarshal(v, &r); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	return out, err
}
