package index

import (
	"fmt"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/index/scorch"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// docRecs remembers, for each Bleve segment, which record each of its
// documents is. A text match comes as a document number; finding its
// record by its id (read from the segment, then looked up in the table's
// map of ids) costs about as much as the rest of counting facets over the
// match. Segments never change once written, so a document's record is
// looked up by id once, and later matches of the same document read it
// from the segment's slot. A slot also keeps the record's generation it
// saw: when the record's has changed (the listing changed or went, and the
// record may serve another listing since), the slot is stale and the match
// is looked up by id again.
type docRecs struct {
	mu   sync.Mutex
	segs map[segment.Segment]*segRecs
}

// segRecs are one segment's slots, by document number in the segment.
type segRecs struct {
	recs []atomic.Pointer[rec]
	gens []atomic.Uint32
}

// docLookup finds the records of one reader's matches.
type docLookup struct {
	t       *table
	reader  bindex.IndexReader
	offsets []uint64   // the first document number of each segment
	segs    []*segRecs // nil: a reader that is not Scorch's; look up by id
}

// lookup returns a docLookup for reader, making slots for the segments
// it has not seen and forgetting those reader no longer has.
func (t *table) lookup(reader bindex.IndexReader) *docLookup {
	l := &docLookup{t: t, reader: reader}
	snap, ok := reader.(*scorch.IndexSnapshot)
	if !ok {
		return l
	}
	ss := snap.Segments()
	d := &t.docs
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.segs == nil {
		d.segs = map[segment.Segment]*segRecs{}
	}
	var first uint64
	for _, sn := range ss {
		sg := sn.Segment()
		n := sg.Count() // every document, the deleted ones too, as Scorch numbers them
		c := d.segs[sg]
		if c == nil {
			c = &segRecs{recs: make([]atomic.Pointer[rec], n), gens: make([]atomic.Uint32, n)}
			d.segs[sg] = c
		}
		l.offsets = append(l.offsets, first)
		l.segs = append(l.segs, c)
		first += n
	}
	if len(d.segs) > len(ss) {
		// Segments merged away since: forget their slots.
		live := make(map[segment.Segment]bool, len(ss))
		for _, sn := range ss {
			live[sn.Segment()] = true
		}
		for sg := range d.segs {
			if !live[sg] {
				delete(d.segs, sg)
			}
		}
	}
	return l
}

// docCount is how many documents, deleted ones included, the reader's
// segments number; 0 when the reader is not Scorch's.
func (l *docLookup) docCount() uint64 {
	if len(l.segs) == 0 {
		return 0
	}
	last := len(l.segs) - 1
	return l.offsets[last] + uint64(len(l.segs[last].recs))
}

// rec returns the record of the document id, or nil when the table no
// longer has its listing.
func (l *docLookup) rec(id bindex.IndexInternalID) (*rec, error) {
	var c *segRecs
	var local uint64
	if l.segs != nil {
		n := id.Value()
		i := sort.Search(len(l.offsets), func(x int) bool { return l.offsets[x] > n }) - 1
		if i >= 0 && n-l.offsets[i] < uint64(len(l.segs[i].recs)) {
			c, local = l.segs[i], n-l.offsets[i]
			if r := c.recs[local].Load(); r != nil && r.gen == c.gens[local].Load() {
				return r, nil
			}
		}
	}
	ext, err := l.reader.ExternalID(id)
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	r := l.t.byID[ext]
	if r != nil && c != nil {
		c.gens[local].Store(r.gen)
		c.recs[local].Store(r)
	}
	return r, nil
}
