// Package relay is relay mode, running on a node (package node: actor,
// key, data directory, inbox, delivery queue, follow handshake, HTTP
// layer, admin socket). What is the relay's own: it follows back the hubs
// that subscribe, handles the listing activities their inboxes deliver
// (Create, Update, Delete, Announce; Follow, Accept, Reject and Undo go to
// federation.Relations), discovers the proposals hubs link from their
// actor documents (as Mitra publishes, see discovery.go), keeps accepted
// listings in its buckets of the node's bbolt file with how each arrived,
// keeps the search index in step (and records where it cannot), applies
// its specialization and moderation (blocks also drop listings,
// takedowns, reports), and serves the public search API (package
// searchapi, over its index).
//
// It never holds funds, takes part in a deal, or runs the privacy engine.
package relay
