package index

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	bindex "github.com/blevesearch/bleve_index_api"
	"github.com/sovereign-marketplace/market/listing"
)

// ErrClosed is returned by calls on an Index after Close.
var ErrClosed = errors.New("index is closed")

// Meta is what the relay knows about a listing beside the listing itself.
type Meta struct {
	SellerName string    // the seller actor's display name
	SellerHost string    // the seller's host; derived from the owner URL when empty
	Received   time.Time // when the relay accepted the listing
}

// Filter selects listings for DeleteWhere. Set one field or both; a
// listing matches when it matches every field set.
type Filter struct {
	Seller string // a seller's actor id
	Host   string // a seller's host name
}

// Options tune an Index. The zero value is usable.
type Options struct {
	// FlushInterval is the batch window: a Put or Delete becomes searchable
	// within about this long. Default 200ms.
	FlushInterval time.Duration
	// BatchSize caps how many writes go into one Bleve batch. Default 1000.
	BatchSize int
	// Log receives the index's structured log. Default: discard.
	Log *slog.Logger
	// Journaled says the caller journals its changes and replays them
	// after an unclean stop (see Checkpoint): Open then keeps an index
	// that was not closed cleanly, from its last checkpoint, instead of
	// asking for a rebuild.
	Journaled bool
	// SearchParts is how many goroutines walk one text query's matches at
	// once, each over its share of Bleve's documents (see walkParts),
	// when no other text query is walking; beside others, a walk takes no
	// more parts than the processors they leave. Default: the processors
	// Go may use (GOMAXPROCS), at most 4. 1 walks on the caller's
	// goroutine alone.
	SearchParts int
}

func (o *Options) fill() {
	if o.FlushInterval <= 0 {
		o.FlushInterval = 200 * time.Millisecond
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 1000
	}
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.SearchParts <= 0 {
		o.SearchParts = runtime.GOMAXPROCS(0)
	}
	o.SearchParts = min(o.SearchParts, maxSearchParts)
}

// bleveDir is where, inside the directory given to Open, the Bleve index lives.
const bleveDir = "listings.bleve"

// Index is the relay's search index. It is safe for concurrent use.
//
// Writes are queued and applied by one goroutine in Bleve batches every
// FlushInterval. Beside the Bleve index on disk, the Index keeps a compact
// record of every listing (also stored in Bleve): what filters, facets and
// sort orders read in memory, the rest in memory or in its snapshot file.
// Filter-only queries, facet counts and hits are served from it, and Bleve
// answers the full-text part of a query.
type Index struct {
	dir  string
	opts Options
	log  *slog.Logger

	mu           sync.RWMutex // guards bl, tab, needsRebuild
	bl           bleve.Index
	tab          *table
	needsRebuild bool

	sendMu sync.RWMutex // guards closed and sends on ops
	closed bool
	ops    chan op
	done   chan struct{}

	ranks   rankCache    // kept rankings of relevance queries
	walking atomic.Int32 // text walks running now (see partsForWalk)

	rebuildMu sync.Mutex // one Rebuild (or Checkpoint) at a time
	snapMu    sync.Mutex // one snapshot written at a time (Checkpoint, Close)
	relog     *[]op      // writes applied while a Rebuild runs; guarded by mu
}

// op is one queued write, or a flush marker or a function to run between
// batches when fn or flushed is set.
type op struct {
	id      string
	s       *stored // nil: delete
	l       *listing.Listing
	doc     *bdoc.Document
	flushed chan error
	fn      func() error
}

// Open opens the index kept in dir, creating dir when needed, and loads
// every listing's record into memory. When the index is missing,
// incomplete, or was built with another MappingVersion, Open starts an
// empty one, and NeedsRebuild reports true until Rebuild has run. When it
// was not closed cleanly, Open keeps it; unless opts.Journaled, it asks for
// a rebuild too.
func Open(dir string, opts Options) (*Index, error) {
	opts.fill()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	ix := &Index{dir: dir, opts: opts, log: opts.Log, ops: make(chan op, opts.BatchSize), done: make(chan struct{})}
	path := filepath.Join(dir, bleveDir)
	bl, reason, err := openExisting(path)
	if err != nil {
		return nil, err
	}
	if bl == nil {
		ix.log.Info("index needs a rebuild", "dir", dir, "reason", reason)
		if err := os.RemoveAll(path); err != nil {
			return nil, fmt.Errorf("open index %s: remove outdated index: %w", dir, err)
		}
		if err := removeSnapshots(dir, ""); err != nil {
			return nil, fmt.Errorf("open index %s: remove outdated snapshot: %w", dir, err)
		}
		if bl, err = create(path); err != nil {
			return nil, err
		}
		ix.needsRebuild = true
		ix.tab = newTable()
	} else {
		start := time.Now()
		if v, err := bl.GetInternal(keyOpen); err == nil && string(v) == "1" {
			// Not closed last time: writes queued then were lost. Keep
			// serving what is there; the caller's journal brings back what
			// was lost, or else a rebuild.
			if opts.Journaled {
				ix.log.Warn("index was not closed cleanly, starting from its last checkpoint", "dir", dir)
			} else {
				ix.log.Warn("index was not closed cleanly, it needs a rebuild", "dir", dir)
				ix.needsRebuild = true
			}
		}
		from := "snapshot"
		if ix.tab, err = ix.loadSnapshot(bl, !ix.needsRebuild); err != nil {
			bl.Close()
			return nil, fmt.Errorf("open index %s: %w", dir, err)
		}
		if ix.tab == nil {
			from = "stored records"
			if ix.tab, err = loadTable(bl); err != nil {
				bl.Close()
				return nil, fmt.Errorf("open index %s: %w", dir, err)
			}
			ix.coolSoon(ix.tab, ix.tab.items())
		}
		ix.log.Info("index opened", "dir", dir, "listings", len(ix.tab.all), "from", from, "load", time.Since(start))
	}
	if err := bl.SetInternal(keyOpen, []byte("1")); err != nil {
		bl.Close()
		return nil, fmt.Errorf("open index %s: mark open: %w", dir, err)
	}
	ix.bl = bl
	go ix.run()
	return ix, nil
}

// openExisting opens the Bleve index at path when it is current; otherwise
// it returns nil and why.
func openExisting(path string) (bleve.Index, string, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, "missing", nil
	}
	bl, err := bleve.OpenUsing(path, scorchConfig())
	if err != nil {
		return nil, "unreadable: " + err.Error(), nil
	}
	v, err := bl.GetInternal(keyMappingVersion)
	if err != nil {
		bl.Close()
		return nil, "", fmt.Errorf("open index %s: read mapping version: %w", path, err)
	}
	if string(v) != strconv.Itoa(MappingVersion) {
		bl.Close()
		return nil, fmt.Sprintf("mapping version %q, want %d", v, MappingVersion), nil
	}
	if c, err := bl.GetInternal(keyComplete); err != nil || string(c) != "1" {
		bl.Close()
		return nil, "never completely built", nil
	}
	return bl, "", nil
}

func create(path string) (bleve.Index, error) {
	bl, err := bleve.NewUsing(path, newMapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, scorchConfig())
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", path, err)
	}
	if err := bl.SetInternal(keyMappingVersion, []byte(strconv.Itoa(MappingVersion))); err != nil {
		bl.Close()
		return nil, fmt.Errorf("create index %s: store mapping version: %w", path, err)
	}
	return bl, nil
}

// scorchConfig tunes Bleve's segment merging: fewer segments per tier
// than the default (10) means fewer dictionaries each query term is looked
// up in, for a little more merge work while indexing.
func scorchConfig() map[string]any {
	return map[string]any{
		"scorchMergePlanOptions": map[string]any{
			"MaxSegmentsPerTier":   mergeTier,
			"SegmentsPerMergeTask": mergeTier,
			"TierGrowth":           float64(mergeTier),
		},
	}
}

// mergeTier is how many segments a tier of the merge plan holds, how many
// one merge joins, and how much larger each tier's segments are.
const mergeTier = 4

// settleMerges has Bleve merge bl's segments as its merge plan asks until
// a round merges nothing more. A rebuild writes faster than the merger
// keeps up with (1,000,000 listings: about 250 segments at the end, which
// every text query then looks each term up in, while the merger works
// through them beside the searches); the new index is merged before it
// replaces the old one.
func settleMerges(ctx context.Context, bl bleve.Index) error {
	adv, err := bl.Advanced()
	if err != nil {
		return err
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	plan := mergeplan.DefaultMergePlanOptions
	plan.MaxSegmentsPerTier, plan.SegmentsPerMergeTask, plan.TierGrowth = mergeTier, mergeTier, float64(mergeTier)
	segments := func() uint64 { n, _ := sc.StatsMap()["TotFileSegmentsAtRoot"].(uint64); return n }
	for before := segments(); ; {
		if err := sc.ForceMerge(ctx, &plan); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		after := segments()
		if after >= before {
			return nil
		}
		before = after
	}
}

// loadSnapshot returns the table the snapshot written by the last clean
// Close holds, or nil when there is none to use (use is false: the index
// was not closed cleanly). Either way it forgets the snapshot before the
// index changes, so that no later Open reads a snapshot older than the
// index; a journaled index keeps it, as the last checkpoint (see
// Checkpoint), until the next checkpoint or Close replaces it.
func (ix *Index) loadSnapshot(bl bleve.Index, use bool) (*table, error) {
	tok, err := bl.GetInternal(keySnapshot)
	if err != nil {
		return nil, fmt.Errorf("read snapshot token: %w", err)
	}
	var t *table
	if use && len(tok) > 0 {
		path := snapshotPath(ix.dir, string(tok))
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			path = filepath.Join(ix.dir, snapshotFile) // written before snapshots were named by token
		}
		if t, err = readSnapshot(path, string(tok)); err != nil {
			ix.log.Warn("index snapshot not used, reading the stored records", "dir", ix.dir, "err", err)
			t = nil
		}
	}
	if ix.opts.Journaled {
		return t, nil
	}
	if len(tok) > 0 {
		if err := bl.DeleteInternal(keySnapshot); err != nil {
			return nil, fmt.Errorf("forget snapshot: %w", err)
		}
	}
	if err := removeSnapshots(ix.dir, ""); err != nil {
		return nil, fmt.Errorf("remove snapshot: %w", err)
	}
	return t, nil
}

// loadTable reads every stored record back into memory, reading and
// decoding on every core.
func loadTable(bl bleve.Index) (*table, error) {
	adv, err := bl.Advanced()
	if err != nil {
		return nil, fmt.Errorf("load records: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("load records: %w", err)
	}
	defer r.Close()
	ids, err := r.DocIDReaderAll()
	if err != nil {
		return nil, fmt.Errorf("load records: %w", err)
	}
	defer ids.Close()

	type loaded struct {
		s   *stored
		err error
	}
	workers := runtime.GOMAXPROCS(0)
	in := make(chan bindex.IndexInternalID, 256)
	out := make(chan loaded, 256)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for iid := range in {
				s, err := loadRecord(r, iid)
				out <- loaded{s, err}
			}
		}()
	}
	readErr := make(chan error, 1)
	go func() {
		defer close(in)
		for {
			iid, err := ids.Next()
			if err != nil || iid == nil {
				readErr <- err
				return
			}
			// The reader reuses the id's bytes.
			in <- append(bindex.IndexInternalID(nil), iid...)
		}
	}()
	go func() {
		wg.Wait()
		close(out)
	}()
	t := newTable()
	var firstErr error
	for l := range out {
		switch {
		case l.err != nil && firstErr == nil:
			firstErr = l.err
		case l.s != nil:
			t.put(l.s)
		}
	}
	if err := <-readErr; err != nil {
		return nil, fmt.Errorf("load records: %w", err)
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return t, nil
}

// loadRecord reads and decodes the stored record of one document; it
// returns nil for a document that is gone.
func loadRecord(r bindex.IndexReader, iid bindex.IndexInternalID) (*stored, error) {
	id, err := r.ExternalID(iid)
	if err != nil {
		return nil, fmt.Errorf("load records: %w", err)
	}
	return storedRecord(r, id)
}

// storedRecord reads the record stored with the document id, or nil when
// there is no such document.
func storedRecord(r bindex.IndexReader, id string) (*stored, error) {
	doc, err := r.Document(id)
	if err != nil {
		return nil, fmt.Errorf("load record %s: %w", id, err)
	}
	if doc == nil {
		return nil, nil
	}
	var raw []byte
	doc.VisitFields(func(f bindex.Field) {
		if f.Name() == fRecord {
			raw = f.Value()
		}
	})
	if raw == nil {
		return nil, fmt.Errorf("load record %s: the stored record is missing", id)
	}
	s, err := decodeStored(id, raw)
	if err != nil {
		return nil, fmt.Errorf("load record %s: %w", id, err)
	}
	return s, nil
}

// NeedsRebuild reports whether Rebuild should run: the index was missing,
// outdated or incomplete when it was opened (Open then started an empty
// one), or was not closed cleanly last time (Open then kept what it had,
// which may lack the last writes), and Rebuild has not completed since.
func (ix *Index) NeedsRebuild() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.needsRebuild
}

// Count returns how many listings are searchable.
func (ix *Index) Count() (uint64, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.tab == nil {
		return 0, ErrClosed
	}
	return uint64(len(ix.tab.all)), nil
}

func (ix *Index) send(o op) error {
	ix.sendMu.RLock()
	defer ix.sendMu.RUnlock()
	if ix.closed {
		return ErrClosed
	}
	ix.ops <- o
	return nil
}

// Put queues a listing to be indexed, replacing any listing with the same
// FederatedAPID. It is searchable within about FlushInterval. Put fails
// at once when the listing lacks what the index needs.
func (ix *Index) Put(l *listing.Listing, m Meta) error {
	s, doc, err := prepare(l, m)
	if err != nil {
		return err
	}
	return ix.send(op{id: s.ID, s: s, l: l, doc: doc})
}

// Keep indexes l as Put does, for a caller whose store holds l: when the
// index refuses l (a price it cannot hold, say), Keep indexes it without
// its price (searchable by text, price unknown) or, if even that fails,
// removes the copy indexed before, so that the index never shows an older
// copy of what the store holds. The error, when not nil, says which
// happened, for the caller to record.
func (ix *Index) Keep(l *listing.Listing, m Meta) error {
	err := ix.Put(l, m)
	if err == nil {
		return nil
	}
	if l.Price.Amount != "" {
		cut := *l
		cut.Price.Amount = ""
		if ix.Put(&cut, m) == nil {
			return fmt.Errorf("indexed without its price: %w", err)
		}
	}
	if derr := ix.Delete(l.FederatedAPID); derr != nil {
		return fmt.Errorf("%w; removing the older copy failed too: %v", err, derr)
	}
	return fmt.Errorf("not searchable: %w", err)
}

// Delete queues the removal of the listing whose FederatedAPID is id.
// Deleting an id that is not indexed is not an error.
func (ix *Index) Delete(id string) error {
	if id == "" {
		return fmt.Errorf("delete from index: id is empty")
	}
	return ix.send(op{id: id})
}

// DeleteWhere removes every listing of a seller actor or host at once, for
// moderation, and returns how many it removed. When it returns, they are
// no longer searchable.
func (ix *Index) DeleteWhere(f Filter) (int, error) {
	if f.Seller == "" && f.Host == "" {
		return 0, fmt.Errorf("delete from index: filter is empty, set seller or host")
	}
	host := strings.ToLower(f.Host)
	n := 0
	err := ix.do(context.Background(), func() error {
		ix.mu.RLock()
		var ids []string
		t := ix.tab
		for _, r := range t.all {
			w := t.cols.row(r.pos)
			if (f.Seller == "" || t.seller.vals[w.seller] == f.Seller) && (host == "" || t.host.vals[w.host] == host) {
				ids = append(ids, r.id)
			}
		}
		ix.mu.RUnlock()
		ops := make([]op, len(ids))
		for i, id := range ids {
			ops[i] = op{id: id}
		}
		n = len(ids)
		return ix.apply(ops)
	})
	return n, err
}

// Flush waits until every write queued before it is searchable.
func (ix *Index) Flush(ctx context.Context) error {
	ch := make(chan error, 1)
	if err := ix.send(op{flushed: ch}); err != nil {
		return err
	}
	select {
	case err := <-ch:
		return err
	case <-ctx.Done():
		return fmt.Errorf("flush index: %w", ctx.Err())
	}
}

// do runs fn on the writer goroutine, after everything queued before it.
func (ix *Index) do(ctx context.Context, fn func() error) error {
	ch := make(chan error, 1)
	if err := ix.send(op{fn: fn, flushed: ch}); err != nil {
		return err
	}
	select {
	case err := <-ch:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close applies every queued write, stops the writer goroutine and closes
// the Bleve index.
func (ix *Index) Close() error {
	ix.sendMu.Lock()
	if ix.closed {
		ix.sendMu.Unlock()
		return nil
	}
	ix.closed = true
	close(ix.ops)
	ix.sendMu.Unlock()
	<-ix.done
	ix.snapMu.Lock()
	defer ix.snapMu.Unlock()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	// The snapshot lets the next Open skip reading every stored record;
	// without it (a write that failed), Open reads them as before.
	var err error
	tok, _, serr := writeSnapshot(ix.dir, ix.tab.items(), ix.tab.cold)
	if serr != nil {
		ix.log.Warn("index snapshot not written, the next open reads the stored records", "dir", ix.dir, "err", serr)
	} else {
		err = ix.bl.SetInternal(keySnapshot, []byte(tok))
	}
	if err == nil {
		err = ix.bl.SetInternal(keyOpen, []byte("0"))
	}
	if cerr := ix.bl.Close(); err == nil {
		err = cerr
	}
	if err == nil && serr == nil {
		if rerr := removeSnapshots(ix.dir, tok); rerr != nil {
			ix.log.Warn("remove older index snapshots", "dir", ix.dir, "err", rerr)
		}
	}
	ix.tab.close()
	ix.tab = nil
	if err != nil {
		return fmt.Errorf("close index %s: %w", ix.dir, err)
	}
	return nil
}

// run is the writer goroutine: it gathers writes for up to FlushInterval
// (or BatchSize writes) and applies them as one Bleve batch. It stops when
// Close closes the queue.
func (ix *Index) run() {
	defer close(ix.done)
	var pending []op
	var timer *time.Timer
	var tick <-chan time.Time
	flush := func() {
		if len(pending) > 0 {
			if err := ix.apply(pending); err != nil {
				ix.log.Error("index batch failed", "writes", len(pending), "err", err)
			}
			pending = pending[:0]
		}
		if timer != nil {
			timer.Stop()
			timer, tick = nil, nil
		}
	}
	for {
		select {
		case o, ok := <-ix.ops:
			if !ok {
				flush()
				return
			}
			switch {
			case o.fn != nil:
				flush()
				o.flushed <- o.fn()
			case o.flushed != nil:
				flush()
				o.flushed <- nil
			default:
				pending = append(pending, o)
				if len(pending) >= ix.opts.BatchSize {
					flush()
				} else if timer == nil {
					timer = time.NewTimer(ix.opts.FlushInterval)
					tick = timer.C
				}
			}
		case <-tick:
			timer, tick = nil, nil
			flush()
		}
	}
}

// apply writes ops to Bleve as one batch and to the in-memory table. A
// search reads both, so the table must hold every listing Bleve can match:
// a match without its record would be counted but never shown. So a
// listing new to the table goes in before the batch, and a deletion or a
// replacement is applied to the table after it.
func (ix *Index) apply(ops []op) error {
	if len(ops) == 0 {
		return nil
	}
	final := make(map[string]int, len(ops)) // the last write to each id wins
	for i, o := range ops {
		final[o.id] = i
	}
	ix.mu.Lock()
	bl := ix.bl
	var added []string
	for i, o := range ops {
		if final[o.id] != i || o.s == nil {
			continue
		}
		if _, ok := ix.tab.byID[o.id]; !ok {
			ix.tab.put(o.s)
			added = append(added, o.id)
		}
	}
	ix.mu.Unlock()
	undo := func() {
		ix.mu.Lock()
		for _, id := range added {
			ix.tab.delete(id)
		}
		ix.mu.Unlock()
	}
	b := bl.NewBatch()
	for i, o := range ops {
		if final[o.id] != i {
			continue
		}
		if o.s == nil {
			b.Delete(o.id)
		} else if err := b.IndexAdvanced(o.doc); err != nil {
			undo()
			return fmt.Errorf("index listing %s: %w", o.id, err)
		}
	}
	if err := bl.Batch(b); err != nil {
		undo()
		return fmt.Errorf("write index batch of %d: %w", len(ops), err)
	}
	ix.mu.Lock()
	isNew := make(map[string]bool, len(added))
	for _, id := range added {
		isNew[id] = true
	}
	for i, o := range ops {
		switch {
		case final[o.id] != i || isNew[o.id]:
		case o.s == nil:
			ix.tab.delete(o.id)
		default:
			ix.tab.put(o.s)
		}
	}
	if ix.relog != nil {
		*ix.relog = append(*ix.relog, ops...)
	}
	ix.mu.Unlock()
	return nil
}

// Rebuild replaces the whole index with the listings each yields (the
// relay's store, the source of truth). The old index keeps answering
// searches and taking writes meanwhile; writes made during the rebuild are
// replayed onto the new index before it replaces the old one. For no write
// to be lost, each must read the store when it is called, and callers must
// write to the store before they Put into or Delete from the index.
func (ix *Index) Rebuild(ctx context.Context, each func(yield func(*listing.Listing, Meta) error) error) error {
	ix.rebuildMu.Lock()
	defer ix.rebuildMu.Unlock()
	start := time.Now()
	path := filepath.Join(ix.dir, bleveDir)
	newPath := path + ".new"
	if err := os.RemoveAll(newPath); err != nil {
		return fmt.Errorf("rebuild index: %w", err)
	}
	// Start the log of writes on the writer goroutine, after it has applied
	// every write queued before: each write then lands either in the old
	// index before the log starts (and so in the store each reads) or in the
	// log, never in neither.
	var relog []op
	abandoned := false // guarded by ix.mu
	stopLog := func() {
		ix.mu.Lock()
		abandoned = true
		if ix.relog == &relog {
			ix.relog = nil
		}
		ix.mu.Unlock()
	}
	if err := ix.do(ctx, func() error {
		ix.mu.Lock()
		defer ix.mu.Unlock()
		if !abandoned {
			ix.relog = &relog
		}
		return nil
	}); err != nil {
		stopLog()
		return fmt.Errorf("rebuild index: %w", err)
	}
	nb, err := create(newPath)
	if err != nil {
		stopLog()
		return err
	}
	fail := func(err error) error {
		stopLog()
		nb.Close()
		os.RemoveAll(newPath)
		return fmt.Errorf("rebuild index: %w", err)
	}
	tab := newTable()
	w := newBatchWriter(ctx, nb, tab)
	batch := nb.NewBatch()
	var recs []*stored
	n := 0
	commit := func() error {
		if batch.Size() == 0 {
			return nil
		}
		if err := w.write(batch, recs); err != nil {
			return err
		}
		batch, recs = nb.NewBatch(), nil
		return nil
	}
	err = each(func(l *listing.Listing, m Meta) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		s, doc, err := prepare(l, m)
		if err != nil {
			ix.log.Warn("rebuild: skip listing", "id", l.ID, "err", err)
			return nil
		}
		if err := batch.IndexAdvanced(doc); err != nil {
			return fmt.Errorf("index listing %s: %w", s.ID, err)
		}
		recs = append(recs, s)
		n++
		if batch.Size() >= ix.opts.BatchSize {
			return commit()
		}
		return nil
	})
	if err == nil {
		err = commit()
	}
	if werr := w.wait(); err == nil {
		err = werr
	}
	if err == nil {
		err = settleMerges(ctx, nb)
	}
	if err != nil {
		return fail(err)
	}
	// Swap on the writer goroutine, so no batch runs meanwhile. When the
	// rebuild gave up (its context ended) before this ran, it only cleans up.
	err = ix.do(ctx, func() error {
		ix.mu.Lock()
		defer ix.mu.Unlock()
		discard := func(err error) error {
			nb.Close()
			os.RemoveAll(newPath)
			return err
		}
		if abandoned || ix.relog != &relog {
			return discard(fmt.Errorf("rebuild index: abandoned"))
		}
		log := relog
		ix.relog = nil
		if err := replay(nb, tab, log); err != nil {
			return discard(err)
		}
		if err := nb.SetInternal(keyOpen, []byte("1")); err != nil {
			return discard(err)
		}
		if err := nb.SetInternal(keyComplete, []byte("1")); err != nil {
			return discard(err)
		}
		if err := nb.Close(); err != nil {
			os.RemoveAll(newPath)
			return err
		}
		// From here on the old index is closed: on failure, reopen it.
		if err := ix.bl.Close(); err != nil {
			ix.log.Warn("rebuild: close old index", "err", err)
		}
		reopen := func(err error) error {
			if bl, oerr := bleve.OpenUsing(path, scorchConfig()); oerr == nil {
				ix.bl = bl
			} else {
				ix.log.Error("rebuild: reopen the old index", "err", oerr)
			}
			return err
		}
		old := path + ".old"
		os.RemoveAll(old)
		if err := os.Rename(path, old); err != nil && !errors.Is(err, os.ErrNotExist) {
			return reopen(err)
		}
		if err := os.Rename(newPath, path); err != nil {
			os.Rename(old, path)
			return reopen(err)
		}
		bl, err := bleve.OpenUsing(path, scorchConfig())
		if err != nil {
			os.RemoveAll(path)
			os.Rename(old, path)
			return reopen(err)
		}
		os.RemoveAll(old)
		ix.tab.close()
		ix.bl, ix.tab, ix.needsRebuild = bl, tab, false
		return nil
	})
	if err != nil {
		stopLog()
		return fmt.Errorf("rebuild index: swap in the new index: %w", err)
	}
	ix.log.Info("index rebuilt", "listings", n, "took", time.Since(start))
	if _, tab, items, err := ix.capture(ctx, nil, true); err == nil {
		ix.snapMu.Lock()
		ix.coolSoon(tab, items)
		ix.snapMu.Unlock()
	}
	return nil
}

// coolSoon writes a snapshot of a table that holds every record in memory
// (just rebuilt, or read from Bleve's stored records) and has the table
// read them from it instead. The snapshot's token is not stored and the
// file leaves the directory once open: it serves the table only, until a
// checkpoint or Close writes the one an Open reads. The caller holds
// snapMu, or the index is not open yet.
func (ix *Index) coolSoon(tab *table, items []snapItem) {
	ix.sendMu.RLock()
	closed := ix.closed
	ix.sendMu.RUnlock()
	if len(items) == 0 || closed {
		return
	}
	if _, err := ix.writeAndCool(tab, items, false); err != nil {
		ix.log.Warn("index records stay in memory: snapshot not written", "dir", ix.dir, "err", err)
	}
}

// replay applies writes made during a rebuild to the new index and table.
func replay(nb bleve.Index, tab *table, log []op) error {
	if len(log) == 0 {
		return nil
	}
	b := nb.NewBatch()
	for _, o := range log {
		if o.s == nil {
			b.Delete(o.id)
			continue
		}
		// A document already analyzed for the old index is built afresh.
		doc, err := document(o.s, o.l, plainText(o.l.Description))
		if err != nil {
			return err
		}
		if err := b.IndexAdvanced(doc); err != nil {
			return err
		}
	}
	if err := nb.Batch(b); err != nil {
		return err
	}
	for _, o := range log {
		if o.s == nil {
			tab.delete(o.id)
		} else {
			tab.put(o.s)
		}
	}
	return nil
}
