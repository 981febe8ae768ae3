package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/sovereign-marketplace/market/listing"
)

// Checkpoints let an index opened with Options.Journaled come back from an
// unclean stop (a crash, kill -9, power loss) without a full rebuild.
//
// The caller (the relay) journals, in the same transaction as the change,
// the id of every listing it stores or removes, and keeps each entry until
// a checkpoint shows the index holding what the store holds. A checkpoint
// applies every write queued before it, writes the in-memory table as the
// snapshot (the one Close writes) and stores the snapshot's token in Bleve;
// then the caller compares what the checkpoint held for its journaled ids
// with its store and forgets those that agree.
//
// After an unclean stop, Open keeps the Bleve index (every batch it
// acknowledged is on disk) and loads the last checkpoint's table, or the
// records stored in Bleve when the snapshot and the index do not match;
// the caller then writes again every journaled listing from its store.
// That makes table, Bleve and store agree: a listing changed in the index
// since the checkpoint was changed in the store first, so it is still in
// the journal, and one not changed since is the same in all three.

// ErrBusy is returned by Checkpoint while Rebuild or another Checkpoint
// runs.
var ErrBusy = errors.New("index is busy with a rebuild or another checkpoint")

// Reflected reports whether the index, when the checkpoint (or Held) was
// taken, held exactly what Keep(l, m) indexes for id; with l nil, whether
// it held nothing under id.
type Reflected func(id string, l *listing.Listing, m Meta) bool

// Held applies every write queued before it and returns what the index
// then holds for each of ids, for the caller to compare with its store.
func (ix *Index) Held(ctx context.Context, ids []string) (Reflected, error) {
	held, _, _, err := ix.capture(ctx, ids, false)
	if err != nil {
		return nil, err
	}
	return reflected(held), nil
}

// capture applies every write queued before it and returns the records
// held for ids and, when all is set, the table and its records for a
// snapshot.
func (ix *Index) capture(ctx context.Context, ids []string, all bool) (held map[string]*stored, tab *table, items []snapItem, err error) {
	held = make(map[string]*stored, len(ids))
	err = ix.do(ctx, func() error {
		ix.mu.RLock()
		defer ix.mu.RUnlock()
		if all {
			tab, items = ix.tab, ix.tab.items()
		}
		for _, id := range ids {
			if r, ok := ix.tab.byID[id]; ok {
				s, err := ix.tab.load(r)
				if err != nil {
					return err
				}
				held[id] = s
			}
		}
		return nil
	})
	return held, tab, items, err
}

func reflected(held map[string]*stored) Reflected {
	return func(id string, l *listing.Listing, m Meta) bool {
		return sameStored(held[id], keptRecord(l, m))
	}
}

// Checkpoint applies every write queued before it, writes the snapshot an
// unclean Open of a journaled index starts from, and returns what the index
// held then for each of ids, for the caller to compare with its store.
func (ix *Index) Checkpoint(ctx context.Context, ids []string) (Reflected, error) {
	if !ix.rebuildMu.TryLock() {
		return nil, ErrBusy
	}
	defer ix.rebuildMu.Unlock()
	held, tab, items, err := ix.capture(ctx, ids, true)
	if err != nil {
		return nil, fmt.Errorf("checkpoint index: %w", err)
	}
	// Records never change once in the table (a change replaces the
	// record), so the copy is written without holding the table.
	ix.snapMu.Lock()
	defer ix.snapMu.Unlock()
	ix.sendMu.RLock()
	closed := ix.closed
	ix.sendMu.RUnlock()
	if closed {
		// Close writes its own snapshot, newer than this one.
		return nil, ErrClosed
	}
	tok, err := ix.writeAndCool(tab, items, true)
	if err != nil {
		return nil, fmt.Errorf("checkpoint index: write snapshot: %w", err)
	}
	ix.mu.RLock()
	bl := ix.bl
	ix.mu.RUnlock()
	if err := bl.SetInternal(keySnapshot, []byte(tok)); err != nil {
		return nil, fmt.Errorf("checkpoint index: store snapshot token: %w", err)
	}
	if err := removeSnapshots(ix.dir, tok); err != nil {
		ix.log.Warn("remove older index snapshots", "dir", ix.dir, "err", err)
	}
	return reflected(held), nil
}

// Want is what the caller's store holds under one listing id: the listing
// and what the index needs beside it, or a nil Listing when it holds none.
type Want struct {
	ID      string
	Listing *listing.Listing
	Meta    Meta
}

// Resync brings the in-memory table in line with Bleve for the listings
// given, as the caller's store holds them, and returns the ids whose Bleve
// document is not what Keep would index: those the caller must write
// again. After an unclean stop the table comes from the last checkpoint,
// while Bleve holds every batch it acknowledged since; most journaled
// listings are among those, and are read back from Bleve's stored records
// instead of being indexed again.
func (ix *Index) Resync(ctx context.Context, want []Want) (differ []string, err error) {
	// On the writer goroutine, so no batch changes Bleve meanwhile; the
	// table is locked only to be set right, not while Bleve is read.
	err = ix.do(ctx, func() error {
		ix.mu.RLock()
		bl := ix.bl
		ix.mu.RUnlock()
		adv, err := bl.Advanced()
		if err != nil {
			return err
		}
		r, err := adv.Reader()
		if err != nil {
			return err
		}
		defer r.Close()
		exps := make([]*stored, len(want))
		agree := make([]bool, len(want))
		for i, w := range want {
			exp := keptRecord(w.Listing, w.Meta)
			got, err := storedRecord(r, w.ID)
			if err != nil {
				return err
			}
			if got != nil && exp != nil {
				got.Indexed = exp.Indexed // kept in memory only, not in Bleve
			}
			if !sameStored(got, exp) {
				differ = append(differ, w.ID)
				continue
			}
			exps[i], agree[i] = exp, true
		}
		ix.mu.Lock()
		defer ix.mu.Unlock()
		for i, w := range want {
			exp := exps[i]
			held, ok := ix.tab.byID[w.ID]
			switch {
			case !agree[i]:
			case exp == nil:
				ix.tab.delete(w.ID)
			case !ok:
				ix.tab.put(exp)
			default:
				s, err := ix.tab.load(held)
				if err != nil || !sameStored(s, exp) {
					ix.tab.put(exp)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("resync index: %w", err)
	}
	return differ, nil
}

// writeAndCool writes the records of tab, items, as a new snapshot and
// has tab read the records from it from then on, instead of holding them
// in memory: those that still hold the same listing turn cold. It returns
// the snapshot's token; the caller holds snapMu. Unless keep is set, the
// file is removed from the directory once open: it then serves the table
// alone, and no Open ever reads it.
func (ix *Index) writeAndCool(tab *table, items []snapItem, keep bool) (string, error) {
	tok, offs, err := writeSnapshot(ix.dir, items, tab.cold)
	if err != nil {
		return "", err
	}
	path := snapshotPath(ix.dir, tok)
	to, err := openCold(path)
	if !keep {
		os.Remove(path)
	}
	if err != nil {
		// The snapshot is good; the records stay where they are.
		ix.log.Warn("index snapshot not read back, records stay in memory", "dir", ix.dir, "err", err)
		return tok, nil
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.tab != tab {
		to.close() // a rebuild replaced the table meanwhile
		return tok, nil
	}
	tab.cool(items, offs, to)
	return tok, nil
}

// keptRecord is the record Keep(l, m) puts in the table, or nil when Keep
// leaves the listing out (or l is nil).
func keptRecord(l *listing.Listing, m Meta) *stored {
	if l == nil {
		return nil
	}
	desc := plainText(l.Description)
	if s, err := newStored(l, m, desc); err == nil {
		return s
	}
	if l.Price.Amount != "" {
		cut := *l
		cut.Price.Amount = ""
		if s, err := newStored(&cut, m, desc); err == nil {
			return s
		}
	}
	return nil
}

// sameStored reports whether a and b are the same record (both nil counts).
func sameStored(a, b *stored) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.ID == b.ID && a.Title == b.Title && a.Text == b.Text && a.Lang == b.Lang &&
		a.Type == b.Type && a.Amount == b.Amount && a.Minor == b.Minor && a.HasMinor == b.HasMinor &&
		a.Currency == b.Currency && a.PriceType == b.PriceType && a.Model == b.Model &&
		slices.Equal(a.Tags, b.Tags) && a.Region == b.Region && a.Seller == b.Seller &&
		a.SellerName == b.SellerName && a.Host == b.Host && a.Published == b.Published &&
		a.Updated == b.Updated && a.Indexed == b.Indexed &&
		a.Lat == b.Lat && a.Lon == b.Lon && a.HasLoc == b.HasLoc
}
