package index

import (
	"context"
	"sync"

	"github.com/blevesearch/bleve/v2"
)

// rebuildWriters is how many batches a rebuild has Bleve write at once.
// One batch is analyzed on every core but turned into a segment and
// persisted on one goroutine: with two in flight, and the next one being
// prepared meanwhile, a rebuild keeps the cores busy instead of waiting
// for each segment to reach the disk (50,000 listings on 2 cores: one core
// busy in three quarters of the time with one batch at a time).
const rebuildWriters = 2

// batchWriter writes a rebuild's batches to its new index, up to
// rebuildWriters at once, and puts each batch's records in the new table
// once Bleve holds them. A rebuild yields each listing once, so batches
// may land in any order.
type batchWriter struct {
	nb  bleve.Index
	ctx context.Context
	sem chan struct{}
	wg  sync.WaitGroup
	mu  sync.Mutex // guards tab and err
	tab *table
	err error
}

func newBatchWriter(ctx context.Context, nb bleve.Index, tab *table) *batchWriter {
	return &batchWriter{nb: nb, ctx: ctx, tab: tab, sem: make(chan struct{}, rebuildWriters)}
}

// write starts writing b, whose documents are recs, once fewer than
// rebuildWriters batches are being written. It returns the error of an
// earlier batch, if any; write then no longer starts batches.
func (w *batchWriter) write(b *bleve.Batch, recs []*stored) error {
	select {
	case w.sem <- struct{}{}:
	case <-w.ctx.Done():
		return w.ctx.Err()
	}
	w.mu.Lock()
	err := w.err
	w.mu.Unlock()
	if err != nil {
		<-w.sem
		return err
	}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		defer func() { <-w.sem }()
		err := w.nb.Batch(b)
		w.mu.Lock()
		defer w.mu.Unlock()
		if err != nil {
			if w.err == nil {
				w.err = err
			}
			return
		}
		for _, s := range recs {
			w.tab.put(s)
		}
	}()
	return nil
}

// wait waits for every batch started to be written and returns the first
// error.
func (w *batchWriter) wait() error {
	w.wg.Wait()
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}
