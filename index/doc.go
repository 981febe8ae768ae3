// Package index is the search index over listings (a relay's, and each
// hub's local marketplace): the Bleve mapping, batched indexing, and
// faceted search with cursors. It owns the Bleve index under the
// directory given to Open and never does HTTP; package searchapi maps
// Query and Result to and from the wire and ErrInvalidQuery to 400.
//
// # Data
//
// The index is derived data, always rebuildable from its owner's bbolt
// store with Rebuild. Open reports NeedsRebuild when the index is missing,
// was never completely built, was built with another MappingVersion (in
// these cases it starts empty), or was not closed cleanly (it then keeps
// serving what it has until the rebuild replaces it). An index opened with
// Options.Journaled comes back from an unclean stop without a rebuild: its
// owner journals every change and checkpoints the index (Checkpoint), and
// after a crash Open starts from the last checkpoint while the owner
// writes the journaled listings again (checkpoint.go).
//
// Each listing is one Bleve document, keyed by its FederatedAPID. Title
// (twice, as a boost) and description go into one text field, analyzed
// with the Bleve analyzer of the listing's language (English by default,
// the standard analyzer for languages Bleve has none for); tags, type,
// price type, pricing model, currency, region and country, seller actor
// and host, and geohash cells of the location are keyword terms; price
// (minor units) and published time are sort keys. Only
// the sort fields keep doc values. One stored, unindexed field holds a
// compact record of what a hit shows, including the first 200 bytes of
// the description for summaries. Sort keys (published, price, a hash of
// the id) are fixed-width strings with doc values: a Bleve number would
// cost 16 terms per value. Price ranges are checked in memory.
//
// # Speed
//
// Open loads what queries read of every record into memory (about 300
// bytes of heap per listing): from the snapshot Close writes (snapshot.go;
// 1.3 s for 1,000,000 listings) when the index was closed cleanly,
// otherwise from the records stored in Bleve (5 s for 100,000). What
// filters, facets and sorts read is kept in columns, one array per field
// without pointers (columns.go): strings are interned to small integers.
// The rest of a record (title, summary, price as written, seller's name)
// is read from the snapshot file only for the hits of a page: records
// changed since the last snapshot are held whole in memory, and each
// checkpoint, rebuild and Close writes them to a new snapshot file
// (records turn "cold", see rec and table.cool).
// Queries without text (browse, filters, geo radius) never touch Bleve:
// they scan the columns they need, count facets exactly and pick the page
// in one pass; a browse without any filter takes its facets from counts
// kept as listings come and go. A radius query without text reads only
// the one-degree grid cells its box covers (grid in geo.go). Text of
// exclusions only is answered the same way, Bleve walking only the
// listings the exclusions match. Queries with text ask Bleve for the text
// part, with filters as an unscored boolean filter: a relevance page
// comes from one scored walk that ranks the first window (and counts the
// facets when asked); a page in another order is picked in memory while
// walking the matches, and facets are counted the same way, over at most
// FacetCap matches (Approximate beyond). A walk of a large index is split
// into ranges of Bleve's document numbers walked at once, one per core
// (Options.SearchParts, parts.go; fewer while other walks keep the cores
// busy), each scoring with the whole reader's statistics, so the merged
// answer is the one walk's. A
// match's record is found by its segment and document number, looked up
// by id once per segment (docrecs.go). A radius query with text uses
// geohash cells as a prefilter and the exact distance in memory; a price
// range is checked in memory. Writes are queued and applied by one
// goroutine in batches every FlushInterval, so a listing is searchable
// well within two seconds.
// BENCHMARKS.md has the measured figures and how to reproduce them.
//
// What a query may cost is bounded before it runs: q holds at most
// MaxTextParts parts, MaxPhrases phrases and MaxExclusions exclusions, and
// its phrases at most MaxPhraseCost, estimated from how many listings hold
// each phrase's least common word. Exclusions are never scored. Search
// honours its context: when it ends, Search returns its error.
//
// # Paging
//
// Cursors are opaque. For newest, price and distance orders they hold the
// last hit's sort key, a hash of its id (the tie key) and the id itself,
// so paging is exact while listings come and go, even for two ids that
// share a tie key. Distance, nearest first, needs Near and is the default
// with it when the text has no words. Relevance scores move as listings
// come and go, so the first page of a relevance query keeps its ranking in
// memory for later pages (see rankingTTL); an expired ranking falls back
// to paging by the last hit's current score among the listings received
// before the first page. Every number a cursor holds is checked: a cursor
// changed by hand is a bad query, never a failure.
//
// Prices compare in minor units of one currency: PriceMin and PriceMax
// need Currency. Price sorts order by minor units; listings without an
// amount sort as cheaper than free ones.
package index
