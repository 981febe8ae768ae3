// Package hub is hub mode: one person's sovereign server (`market hub`).
// It runs on a node (the owner's Person actor at /users/<handle>, key,
// inbox, delivery queue, admin socket) and holds the owner's listings,
// publishes them to followers and relays, and keeps the listings of the
// hubs the owner follows (the local marketplace).
//
// It owns its buckets in the node's bbolt file (hub.listings, hub.tokens,
// hub.peers, hub.relays, hub.market); the follows, blocks and applied
// activity ids are federation's. Who receives a listing is decided in one
// place, Audience; every change to a listing commits with the deliveries
// it calls for (federation.Queue.EnqueueTx) and with the record of which
// inboxes have it, so that edits reach the same audience and deletes and
// narrowings reach whoever had it. The owner API (/api/v1/owner/...)
// takes bearer tokens stored hashed; a read-only token only reads.
//
// Everything from another server or a browser is hostile: activities pass
// the node's inbox checks, listings are validated and must belong to their
// sender, a relay's advertised specialization is parsed within bounds,
// deliveries go to a shared inbox only on its actor's host, and pages are
// escaped by html/template under a strict Content-Security-Policy.
//
// It never reaches into signature or index internals.
package hub
