package relay

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/sovereign-marketplace/market/index"
)

// The index journal lets the relay come back from an unclean stop (kill
// -9, a crash, power loss) in seconds instead of rebuilding its search
// index from every stored listing. The store writes the index after its
// transaction commits, so a stop in between leaves listings stored but not
// indexed; the journal names them.
//
//   - Every transaction that stores or removes a listing also writes its
//     object id to the journal, with a change number (journalNote).
//   - Every relay.index_checkpoint (once checkpointMinJournal listings
//     are journaled), after a rebuild and at a clean stop, the relay asks
//     the index for a checkpoint (index.Index.Checkpoint) and forgets the
//     entries the checkpoint shows indexed as stored, unless they changed
//     again meanwhile (a new change number); it writes the others to the
//     index again (reconcile). With fewer journaled, it only does the
//     latter (RepairIndex).
//   - At start, a job writes every journaled listing to the index again
//     from the store (catchUpIndex) while /readyz answers 503.

// bucketJournal holds the index journal: listing object id → the change
// number (8 bytes, big-endian) of its last change the index may not hold.
var bucketJournal = []byte("relay.index_journal")

// journalNote records, in the transaction that changes it, that listing id
// changed.
func (t *Txn) journalNote(id string) error {
	b := t.tx.Bucket(bucketJournal)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	var v [8]byte
	binary.BigEndian.PutUint64(v[:], seq)
	return b.Put([]byte(id), v[:])
}

// journalEntry is one journaled listing.
type journalEntry struct {
	id  string
	seq uint64
}

// journal lists the journaled listings.
func (s *Store) journal() ([]journalEntry, error) {
	var out []journalEntry
	err := s.View(func(t *Txn) error {
		return t.tx.Bucket(bucketJournal).ForEach(func(k, v []byte) error {
			out = append(out, journalEntry{string(k), binary.BigEndian.Uint64(v)})
			return nil
		})
	})
	return out, err
}

// journalSeq is the change number of the last journaled change.
func (s *Store) journalSeq() (seq uint64, err error) {
	err = s.View(func(t *Txn) error { seq = t.tx.Bucket(bucketJournal).Sequence(); return nil })
	return seq, err
}

// forget removes the entries that have not changed since they were read,
// and returns how many it removed.
func (s *Store) forget(entries []journalEntry) (int, error) {
	n := 0
	err := s.Update(func(t *Txn) error {
		n = 0
		b := t.tx.Bucket(bucketJournal)
		var v [8]byte
		for _, e := range entries {
			binary.BigEndian.PutUint64(v[:], e.seq)
			if bytes.Equal(b.Get([]byte(e.id)), v[:]) {
				if err := b.Delete([]byte(e.id)); err != nil {
					return err
				}
				n++
			}
		}
		return nil
	})
	return n, err
}

// forgetThrough removes the entries of changes numbered seq or lower, and
// returns how many it removed.
func (s *Store) forgetThrough(seq uint64) (int, error) {
	entries, err := s.journal()
	if err != nil {
		return 0, err
	}
	old := entries[:0]
	for _, e := range entries {
		if e.seq <= seq {
			old = append(old, e)
		}
	}
	return s.forget(old)
}

// journalChunk is how many journaled listings one short transaction reads
// when the journal is replayed or checked.
const journalChunk = 1000

// inChunks calls fn with entries, journalChunk at a time, until it fails.
func inChunks(entries []journalEntry, fn func([]journalEntry) error) error {
	for i := 0; i < len(entries); i += journalChunk {
		if err := fn(entries[i:min(i+journalChunk, len(entries))]); err != nil {
			return err
		}
	}
	return nil
}

// catchUpIndex writes every journaled listing to the index again, as the
// store holds it, and waits until they are searchable. It runs as a job
// once the relay serves; /readyz answers 503 until it is done.
func (s *Server) catchUpIndex(ctx context.Context) error {
	entries, err := s.store.journal()
	if err != nil || len(entries) == 0 {
		return err
	}
	start := time.Now()
	if err := inChunks(entries, func(chunk []journalEntry) error { return s.replayChunk(ctx, chunk) }); err != nil {
		return err
	}
	if err := s.index.Flush(ctx); err != nil {
		return fmt.Errorf("replay the index journal: %w", err)
	}
	s.log.Info("search index caught up with the store", "listings", len(entries), "took", time.Since(start))
	return nil
}

// replayChunk brings the index in line with the store for journaled
// listings: those whose Bleve document is what the store holds only need
// the in-memory table set right (index.Index.Resync; after a crash, most
// of them); the others are written again. It reads and writes while no
// OnChange hook writes: a change committed after its read has its hook
// write after it, so the index never ends with the older copy.
func (s *Server) replayChunk(ctx context.Context, chunk []journalEntry) error {
	s.indexMu.Lock()
	defer s.indexMu.Unlock()
	want := make([]index.Want, len(chunk))
	stored := make(map[string]*Record, len(chunk))
	if err := s.store.View(func(t *Txn) error {
		for i, e := range chunk {
			want[i].ID = e.id
			r, err := t.Listing(e.id)
			switch {
			case errors.Is(err, ErrNotFound):
			case err != nil:
				return err
			default:
				want[i].Listing, want[i].Meta = &r.Listing, r.indexMeta()
				stored[e.id] = r
			}
		}
		return nil
	}); err != nil {
		return fmt.Errorf("replay the index journal: %w", err)
	}
	differ, err := s.index.Resync(ctx, want)
	if err != nil {
		return fmt.Errorf("replay the index journal: %w", err)
	}
	var put []*Record
	var gone []string
	for _, id := range differ {
		if r, ok := stored[id]; ok {
			put = append(put, r)
		} else {
			gone = append(gone, id)
		}
	}
	s.writeIndex(put, gone)
	return nil
}

// closeIndex takes a last checkpoint, so that the next start has little
// to replay, and closes the index.
func (s *Server) closeIndex() error {
	if n, err := s.store.journalLen(); err == nil && n > 0 {
		if _, err := s.CheckpointIndex(context.Background()); err != nil && !errors.Is(err, index.ErrClosed) {
			s.log.Warn("search index checkpoint at close", "error", err)
		}
	}
	return s.index.Close()
}

// CheckpointIndex takes a checkpoint of the search index, forgets the
// journaled listings it shows indexed as stored and writes the others to
// the index again (see reconcile); it returns how many are left in the
// journal. The relay does this every relay.index_checkpoint.
func (s *Server) CheckpointIndex(ctx context.Context) (left int, err error) {
	entries, err := s.store.journal()
	if err != nil {
		return 0, fmt.Errorf("checkpoint: read the index journal: %w", err)
	}
	reflected, err := s.index.Checkpoint(ctx, journalIDs(entries))
	if err != nil {
		return len(entries), err
	}
	agree, err := s.reconcile(ctx, entries, reflected)
	if err != nil {
		return len(entries), fmt.Errorf("checkpoint: %w", err)
	}
	n, err := s.store.forget(agree)
	if err != nil {
		return len(entries), fmt.Errorf("checkpoint: forget indexed listings: %w", err)
	}
	return len(entries) - n, nil
}

// RepairIndex compares the journaled listings with what the index holds
// now and writes those that differ to the index again, without a
// checkpoint (nothing is forgotten); it returns how many it wrote.
func (s *Server) RepairIndex(ctx context.Context) (repaired int, err error) {
	entries, err := s.store.journal()
	if err != nil || len(entries) == 0 {
		return 0, err
	}
	reflected, err := s.index.Held(ctx, journalIDs(entries))
	if err != nil {
		return 0, err
	}
	agree, err := s.reconcile(ctx, entries, reflected)
	return len(entries) - len(agree), err
}

func journalIDs(entries []journalEntry) []string {
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.id
	}
	return ids
}

// reconcile compares journaled listings, as the store holds them, with
// what the index held (reflected), and returns those that agree. Those
// that differ are written to the index again from the store: a change
// whose write is still on its way (written twice, the same), one whose
// hook lost a race with a later change's, or a batch the index failed to
// write, which would otherwise stay wrong until the next start.
func (s *Server) reconcile(ctx context.Context, entries []journalEntry, reflected index.Reflected) (agree []journalEntry, err error) {
	var differ []journalEntry
	err = inChunks(entries, func(chunk []journalEntry) error {
		return s.store.View(func(t *Txn) error {
			for _, e := range chunk {
				r, err := t.Listing(e.id)
				same := false
				switch {
				case errors.Is(err, ErrNotFound):
					same = reflected(e.id, nil, index.Meta{})
				case err != nil:
					return err
				default:
					same = reflected(e.id, &r.Listing, r.indexMeta())
				}
				if same {
					agree = append(agree, e)
				} else {
					differ = append(differ, e)
				}
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read the journaled listings: %w", err)
	}
	if err := inChunks(differ, func(chunk []journalEntry) error { return s.replayChunk(ctx, chunk) }); err != nil {
		return nil, err
	}
	return agree, nil
}

// checkpointMinJournal is how many listings must have changed since the
// last checkpoint for the next one: a checkpoint rewrites the whole
// snapshot (327 MB at 1,000,000 listings), and replaying a short journal
// at start costs less than writing it again for every few changes.
const checkpointMinJournal = 1000

// checkpointLoop takes a checkpoint every relay.index_checkpoint while
// at least checkpointMinJournal listings are journaled, and otherwise
// writes again those the index does not hold as stored (RepairIndex).
func (s *Server) checkpointLoop(ctx context.Context) {
	every := s.cfg.Relay.IndexCheckpoint.D()
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := s.store.journalLen()
		if err != nil || n == 0 {
			continue
		}
		if n < checkpointMinJournal {
			if repaired, err := s.RepairIndex(ctx); err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, index.ErrClosed) {
				s.log.Error("search index repair", "error", err)
			} else if repaired > 0 {
				s.log.Debug("search index: journaled listings written again", "listings", repaired)
			}
			continue
		}
		start := time.Now()
		left, err := s.CheckpointIndex(ctx)
		switch {
		case errors.Is(err, index.ErrBusy), errors.Is(err, index.ErrClosed), errors.Is(err, context.Canceled):
		case err != nil:
			s.log.Error("search index checkpoint", "error", err)
		default:
			s.metrics.checkpoints.Inc()
			s.log.Debug("search index checkpoint", "left", left, "took", time.Since(start))
		}
	}
}

// journalLen counts the journaled listings.
func (s *Store) journalLen() (n int, err error) {
	err = s.View(func(t *Txn) error { n = t.journalLen(); return nil })
	return n, err
}

func (t *Txn) journalLen() int {
	return t.tx.Bucket(bucketJournal).Stats().KeyN
}
