package relay

import (
	"context"
	"fmt"

	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/listing"
)

// indexChanges keeps the search index in step with the store: it is the
// OnChange hook the relay registers for itself.
func (s *Server) indexChanges(put []*Record, deleted []string) {
	for _, r := range put {
		l := r.Listing
		if err := s.index.Put(&l, index.Meta{SellerName: r.SellerName, Received: r.Received}); err != nil {
			s.log.Error("index listing", "id", l.FederatedAPID, "error", err)
		}
	}
	for _, id := range deleted {
		if err := s.index.Delete(id); err != nil {
			s.log.Error("remove listing from index", "id", id, "error", err)
		}
	}
}

// Reindex rebuilds the search index from the store, the source of truth.
// Readiness reports "rebuilding" while it runs.
func (s *Server) Reindex(ctx context.Context) error {
	s.reindexing.Store(true)
	defer s.reindexing.Store(false)
	s.log.Info("rebuilding the search index from the store")
	err := s.index.Rebuild(ctx, func(yield func(*listing.Listing, index.Meta) error) error {
		// Short read transactions, so that writers are never held up by a
		// long scan.
		for after := ""; ; {
			var page []*Record
			if err := s.store.View(func(t *Txn) error {
				var err error
				page, err = t.ListingsAfter(after, 1000)
				return err
			}); err != nil {
				return err
			}
			if len(page) == 0 {
				return nil
			}
			for _, r := range page {
				if err := yield(&r.Listing, index.Meta{SellerName: r.SellerName, Received: r.Received}); err != nil {
					return err
				}
			}
			after = page[len(page)-1].Listing.FederatedAPID
		}
	})
	if err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	return nil
}

// FlushIndex waits until every accepted change is searchable.
func (s *Server) FlushIndex(ctx context.Context) error { return s.index.Flush(ctx) }

// IndexNeedsRebuild reports whether the search index was missing or built
// by an older mapping when the relay opened it, and has not been rebuilt.
func (s *Server) IndexNeedsRebuild() bool { return s.index.NeedsRebuild() }
