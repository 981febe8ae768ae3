package relay

import (
	"context"
	"fmt"
	"time"

	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/listing"
)

// indexChanges keeps the search index in step with the store: it is the
// OnChange hook the relay registers for itself.
func (s *Server) indexChanges(put []*Record, deleted []string) {
	for _, r := range put {
		l := r.Listing
		if err := s.index.Put(&l, r.indexMeta()); err != nil {
			s.log.Error("index listing", "id", l.FederatedAPID, "error", err)
		}
	}
	for _, id := range deleted {
		if err := s.index.Delete(id); err != nil {
			s.log.Error("remove listing from index", "id", id, "error", err)
		}
	}
}

// indexMeta is what the index needs to know beside the listing.
func (r *Record) indexMeta() index.Meta {
	return index.Meta{SellerName: r.SellerName, Received: r.Received}
}

// Reindex rebuilds the search index from the store, the source of truth.
// Readiness reports "rebuilding" while it runs.
func (s *Server) Reindex(ctx context.Context) error { return s.ReindexProgress(ctx, nil) }

// ReindexProgress is Reindex reporting to progress (when not nil): once at
// the start, at most four times a second while listings are indexed, and
// once with every listing done at the end.
func (s *Server) ReindexProgress(ctx context.Context, progress func(Progress)) error {
	s.reindexing.Store(true)
	defer s.reindexing.Store(false)
	s.log.Info("rebuilding the search index from the store")
	report := func(Progress) {}
	var p Progress
	if progress != nil {
		_ = s.store.View(func(t *Txn) error { p.Total = t.CountListings(); return nil })
		var last time.Time
		report = func(p Progress) {
			if now := time.Now(); now.Sub(last) >= 250*time.Millisecond {
				last = now
				progress(p)
			}
		}
		report(p)
	}
	err := s.index.Rebuild(ctx, func(yield func(*listing.Listing, index.Meta) error) error {
		return s.store.Pages(1000, func(page []*Record) error {
			for _, r := range page {
				if err := yield(&r.Listing, r.indexMeta()); err != nil {
					return err
				}
				p.Done++
				report(p)
			}
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	if progress != nil {
		p.Total = max(p.Total, p.Done) // listings accepted while it ran
		progress(p)
	}
	return nil
}

// FlushIndex waits until every accepted change is searchable.
func (s *Server) FlushIndex(ctx context.Context) error { return s.index.Flush(ctx) }

// IndexNeedsRebuild reports whether the search index was missing, built by
// an older mapping, or left by an unclean shutdown when the relay opened
// it, and has not been rebuilt since.
func (s *Server) IndexNeedsRebuild() bool { return s.index.NeedsRebuild() }
