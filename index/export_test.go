package index

import "context"

// SetMinPartDocs lets tests split walks of small indexes (see
// minPartDocs); the returned function restores the default.
func SetMinPartDocs(n uint64) (restore func()) {
	old := minPartDocs
	minPartDocs = n
	return func() { minPartDocs = old }
}

// SetFacetCap lowers how many text matches facets are counted over; the
// returned function restores the default.
func SetFacetCap(n int) (restore func()) {
	old := facetCap
	facetCap = n
	return func() { facetCap = old }
}

// SetSearchParts changes Options.SearchParts of an open index; no search
// may run meanwhile.
func SetSearchParts(ix *Index, n int) { ix.opts.SearchParts = n }

// SettleMerges waits until Bleve has merged what its plan asks, so that
// document numbers stay put while a test compares answers.
func SettleMerges(ix *Index) error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return settleMerges(context.Background(), ix.bl)
}
