package hub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"

	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/listing"
	"github.com/sovereign-marketplace/market/searchapi"
)

// The local marketplace: the listings the hubs the owner follows publish
// to them and the ones they share, kept in hub.market (the source of
// truth) and in a search index under the data directory (derived data,
// rebuilt from hub.market when missing or left by an unclean shutdown),
// searched at GET /api/v1/marketplace/search with the relay's parameters
// and answer shape.

// marketIndexDir is where, in the data directory, the marketplace's
// search index lives.
const marketIndexDir = "index"

// MaxPerSeller bounds how many listings of one seller the local
// marketplace keeps, so that no followed hub can fill the owner's disk.
const MaxPerSeller = 10000

// MaxSharers bounds the shared_by list of one marketplace listing.
const MaxSharers = 32

// marketChanges are the object ids of the marketplace listings one
// transaction wrote or removed, for the index to take once it commits.
type marketChanges struct{ ids []string }

// marketKey is a marketplace listing's key: its owner, a space, its id.
// Only the owner writes under it, and one owner's listings sit together.
func marketKey(owner, id string) string { return owner + " " + id }

// openMarketIndex opens the marketplace's search index, and has it
// rebuilt from hub.market in the background when it needs it.
func (s *Server) openMarketIndex() error {
	ix, err := index.Open(filepath.Join(s.cfg.DataDir, marketIndexDir), index.Options{Log: s.log})
	if err != nil {
		return fmt.Errorf("marketplace search index: %w", err)
	}
	s.index = ix
	s.node.OnClose(ix.Close)
	s.node.NotReadyWhile(func() string {
		if s.index.NeedsRebuild() {
			return "rebuilding the marketplace search index"
		}
		return ""
	})
	if ix.NeedsRebuild() {
		s.node.AddJob("marketplace index rebuild", func(ctx context.Context) {
			if err := s.ReindexMarket(ctx); err != nil && !errors.Is(err, context.Canceled) {
				s.log.Error("rebuild the marketplace search index", "error", err)
			}
		})
	}
	return nil
}

// ReindexMarket rebuilds the marketplace's search index from hub.market.
func (s *Server) ReindexMarket(ctx context.Context) error {
	s.log.Info("rebuilding the marketplace search index")
	return s.index.Rebuild(ctx, func(yield func(*listing.Listing, index.Meta) error) error {
		var recs []*Received
		if err := s.view(func(t txn) error {
			var err error
			recs, err = all[Received](t, bucketMarket)
			return err
		}); err != nil {
			return err
		}
		for _, r := range recs {
			if err := yield(&r.Listing, r.meta()); err != nil {
				return err
			}
		}
		return nil
	})
}

// FlushMarket waits until every accepted change to the marketplace is
// searchable.
func (s *Server) FlushMarket(ctx context.Context) error { return s.index.Flush(ctx) }

func (r *Received) meta() index.Meta {
	return index.Meta{SellerName: r.SellerName, Received: r.Received}
}

// indexMarket brings the index up to date with hub.market for the
// listings ch names, reading each as it is now: whatever order
// transactions commit in, the index ends as the store is.
func (s *Server) indexMarket(ch *marketChanges) {
	if len(ch.ids) == 0 {
		return
	}
	s.indexMu.Lock()
	defer s.indexMu.Unlock()
	for _, id := range ch.ids {
		var r *Received
		_ = s.view(func(t txn) error { r = t.marketListing(t.marketOwner(id), id); return nil })
		var err error
		if r == nil {
			err = s.index.Delete(id)
		} else {
			err = s.index.Keep(&r.Listing, r.meta())
		}
		if err != nil {
			s.log.Error("marketplace search index disagrees with the store", "listing", id, "error", err)
		}
	}
}

// marketOwner is the owner of the marketplace listing id, or "".
func (t txn) marketOwner(id string) string {
	return string(t.tx.Bucket(bucketMarketIDs).Get([]byte(id)))
}

// marketListing is owner's marketplace listing id, or nil.
func (t txn) marketListing(owner, id string) *Received {
	if owner == "" {
		return nil
	}
	r, _ := get[Received](t, bucketMarket, marketKey(owner, id))
	return r
}

// putMarket stores a marketplace listing under its owner. An id another
// owner holds is refused (ErrForbidden), as a relay refuses it: one
// object id has one owner.
func (t txn) putMarket(r *Received) error {
	id, owner := r.Listing.FederatedAPID, r.Listing.Owner
	if o := t.marketOwner(id); o != "" && o != owner {
		return fmt.Errorf("%w: listing %s belongs to %s", federation.ErrForbidden, id, o)
	}
	if err := put(t, bucketMarket, marketKey(owner, id), r); err != nil {
		return err
	}
	t.changed(id)
	return t.tx.Bucket(bucketMarketIDs).Put([]byte(id), []byte(owner))
}

// deleteMarket forgets owner's marketplace listing id, and reports
// whether there was one. Only the owner's key is touched: nobody else's
// Delete finds anything to delete.
func (t txn) deleteMarket(owner, id string) (bool, error) {
	key := []byte(marketKey(owner, id))
	if t.tx.Bucket(bucketMarket).Get(key) == nil {
		return false, nil
	}
	if err := t.tx.Bucket(bucketMarket).Delete(key); err != nil {
		return false, err
	}
	t.changed(id)
	return true, t.tx.Bucket(bucketMarketIDs).Delete([]byte(id))
}

func (t txn) changed(id string) {
	if t.market != nil {
		t.market.ids = append(t.market.ids, id)
	}
}

// countMarket counts the marketplace listings of one owner.
func (t txn) countMarket(owner string) int {
	prefix := []byte(owner + " ")
	n := 0
	c := t.tx.Bucket(bucketMarket).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		n++
	}
	return n
}

// dropMarket forgets the marketplace listings that match.
func (t txn) dropMarket(match func(r *Received) bool) error {
	var drop []*Received
	err := t.tx.Bucket(bucketMarket).ForEach(func(k, v []byte) error {
		var r Received
		if err := json.Unmarshal(v, &r); err != nil {
			return err
		}
		if match(&r) {
			drop = append(drop, &r)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range drop {
		if _, err := t.deleteMarket(r.Listing.Owner, r.Listing.FederatedAPID); err != nil {
			return err
		}
	}
	return nil
}

// unshare takes the actors that match out of every marketplace listing's
// shared_by; a listing left with no sharer whose owner the owner does
// not follow is dropped.
func (t txn) unshare(match func(actor string) bool) error {
	var changed []*Received
	err := t.tx.Bucket(bucketMarket).ForEach(func(k, v []byte) error {
		var r Received
		if err := json.Unmarshal(v, &r); err != nil {
			return err
		}
		if n := len(r.SharedBy); n > 0 {
			if r.SharedBy = slices.DeleteFunc(r.SharedBy, match); len(r.SharedBy) != n {
				changed = append(changed, &r)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range changed {
		if err := t.keepOrDrop(r); err != nil {
			return err
		}
	}
	return nil
}

// keepOrDrop stores a marketplace listing whose sharers changed, or drops
// it when nobody the owner follows has it for them any more.
func (t txn) keepOrDrop(r *Received) error {
	if len(r.SharedBy) == 0 && !t.follows(r.Listing.Owner) {
		_, err := t.deleteMarket(r.Listing.Owner, r.Listing.FederatedAPID)
		return err
	}
	return put(t, bucketMarket, marketKey(r.Listing.Owner, r.Listing.FederatedAPID), r)
}

// follows reports whether the owner follows actor (an accepted follow).
func (t txn) follows(actor string) bool {
	f, err := federation.FollowsIn(t.tx).Following(actor)
	return err == nil && f.State == federation.FollowAccepted
}

// fillMarketIDs fills hub.market.ids from hub.market when it is empty (a
// data directory from before it existed).
func fillMarketIDs(db *bbolt.DB) error {
	return db.Update(func(tx *bbolt.Tx) error {
		ids := tx.Bucket(bucketMarketIDs)
		if k, _ := ids.Cursor().First(); k != nil {
			return nil
		}
		return tx.Bucket(bucketMarket).ForEach(func(k, v []byte) error {
			owner, id, ok := bytes.Cut(k, []byte(" "))
			if !ok || ids.Get(id) != nil {
				return nil
			}
			return ids.Put(id, owner)
		})
	})
}

// Marketplace returns the local marketplace's listings, newest first.
func (s *Server) Marketplace() ([]*Received, error) {
	var out []*Received
	err := s.view(func(t txn) error {
		var err error
		out, err = all[Received](t, bucketMarket)
		return err
	})
	if out == nil {
		out = []*Received{}
	}
	slices.SortFunc(out, func(a, b *Received) int { return b.Received.Compare(a.Received) })
	return out, err
}

// searchHandler serves GET /api/v1/marketplace/search: the relay's search
// API over the marketplace index, each hit with who shared it.
func (s *Server) searchHandler() http.Handler {
	return &searchapi.Handler{Index: s.index, Log: s.log, Annotate: func(_ context.Context, hits []searchapi.Hit) {
		_ = s.view(func(t txn) error {
			for i, h := range hits {
				if r := t.marketListing(h.Seller.ID, h.ID); r != nil {
					hits[i].SharedBy = r.SharedBy
				}
			}
			return nil
		})
	}}
}
