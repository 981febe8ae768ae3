package relay

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/listing"
)

// indexChanges keeps the search index in step with the store: it is the
// OnChange hook the relay registers for itself.
func (s *Server) indexChanges(put []*Record, deleted []string) {
	s.indexMu.RLock()
	defer s.indexMu.RUnlock()
	s.writeIndex(put, deleted)
}

// writeIndex writes stored records to the index and removes deleted ids.
func (s *Server) writeIndex(put []*Record, deleted []string) {
	for _, r := range put {
		s.indexPut(r)
	}
	for _, id := range deleted {
		if err := s.index.Delete(id); err != nil {
			s.indexFailed(id, fmt.Errorf("remove from the index: %w", err))
		}
	}
}

// indexPut indexes a stored record. When the index refuses it (a price it
// cannot hold, say), the failure is counted and recorded for `market relay
// status`, and the index never keeps an older copy beside the new one in
// the store (see index.Index.Keep).
func (s *Server) indexPut(r *Record) {
	l := r.Listing
	if err := s.index.Keep(&l, r.indexMeta()); err != nil {
		s.indexFailed(l.FederatedAPID, err)
	}
}

// IndexFailure is one listing the search index refused.
type IndexFailure struct {
	ListingID string    `json:"listing_id"`
	Error     string    `json:"error"`
	At        time.Time `json:"at"`
}

// IndexFailures is the record of indexing failures `market relay status`
// shows: how many there were, and the latest ones.
type IndexFailures struct {
	Total  int            `json:"total"`
	Recent []IndexFailure `json:"recent"`
}

// metaIndexFailures is the meta key of the IndexFailures record.
const metaIndexFailures = "index.failures"

// maxRecentIndexFailures bounds IndexFailures.Recent.
const maxRecentIndexFailures = 20

// indexFailed counts and records a listing the index could not take, so
// that store and index never disagree silently.
func (s *Server) indexFailed(id string, err error) {
	s.metrics.indexFailures.Inc()
	s.log.Error("search index disagrees with the store", "listing", id, "error", err)
	werr := s.store.Update(func(t *Txn) error {
		f := t.indexFailures()
		f.Total++
		f.Recent = append(f.Recent, IndexFailure{ListingID: id, Error: err.Error(), At: s.now()})
		if n := len(f.Recent); n > maxRecentIndexFailures {
			f.Recent = f.Recent[n-maxRecentIndexFailures:]
		}
		v, err := json.Marshal(f)
		if err != nil {
			return err
		}
		return t.PutMeta(metaIndexFailures, string(v))
	})
	if werr != nil {
		s.log.Error("record index failure", "listing", id, "error", werr)
	}
}

// indexFailures reads the recorded indexing failures.
func (t *Txn) indexFailures() IndexFailures {
	f := IndexFailures{Recent: []IndexFailure{}}
	if v := t.Meta(metaIndexFailures); v != "" {
		_ = json.Unmarshal([]byte(v), &f)
	}
	if f.Recent == nil {
		f.Recent = []IndexFailure{}
	}
	return f
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
	// Every change journaled so far is read by the rebuild below.
	journaled, err := s.store.journalSeq()
	if err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
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
	err = s.index.Rebuild(ctx, func(yield func(*listing.Listing, index.Meta) error) error {
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
	if _, err := s.store.forgetThrough(journaled); err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	// The new index's first checkpoint; until then, an unclean stop
	// reloads its records from Bleve instead of a snapshot.
	if _, err := s.CheckpointIndex(ctx); err != nil {
		s.log.Warn("checkpoint after the rebuild", "error", err)
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
