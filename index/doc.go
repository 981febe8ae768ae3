// Package index is the relay's search index over listings, built on Bleve:
// the mapping, batched indexing, faceted search, and the specialization
// filter a relay applies.
//
// The index is derived data, always rebuildable from the relay's bbolt
// store. This package does no HTTP.
package index
