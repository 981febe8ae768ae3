// Package hub is hub mode: one person's sovereign server (`market hub`).
// It runs on a node (the owner's Person actor at /users/<handle>, key,
// inbox, delivery queue, admin socket) and holds the owner's listings,
// publishes them to followers and relays, and keeps the listings of the
// hubs the owner follows (the local marketplace).
//
// It owns its buckets in the node's bbolt file (hub.listings, hub.tokens,
// hub.peers, hub.relays, hub.market with hub.market.ids, hub.announces,
// hub.evm)
// and the marketplace's search index under index/ in the data directory
// (derived from hub.market, rebuilt when missing); the follows, blocks and
// applied activity ids are federation's. Who receives a listing is
// decided in one place, Audience (and who receives the owner's Announces
// in Shares); every change to a listing commits with the deliveries it
// calls for (federation.Queue.EnqueueTx) and with the record of which
// inboxes have it, so that edits reach the same audience and deletes and
// narrowings reach whoever had it. The owner API (/api/v1/owner/...)
// takes bearer tokens stored hashed; a read-only token only reads.
//
// The local marketplace holds what the hubs the owner follows publish to
// them and what they share (Announce), searched at
// /api/v1/marketplace/search through package searchapi, behind an owner
// token. A shared listing is fetched from its origin, never taken from
// its sharer, and kept with who shared it; one object id has one owner,
// and only that owner's Update or Delete changes it. The owner shares
// listings too (Announce, to followers that are not relays), and passes
// on what a shared listing's owner later sends: an Update as a new
// Announce, a Delete or a narrowing as an Undo of it.
//
// Deals (package deal holds the model and the wire): the owner makes
// offers on other hubs' listings and answers those made to them through
// the owner API (/api/v1/owner/offers, /api/v1/owner/deals); each hub
// keeps its copy of a deal in deal.deals. With hub.agent.enabled the hub
// is also an escrow agent: it runs escrow.Ledger in the same bbolt file
// (with hub.agent.deals mapping agreements to ledger deals), applies the
// parties' signed EscrowRequests as the escrow state table allows, and
// sends both parties the deal's history after each one, queued in the
// same transaction as the step; a refused request is answered with a
// Reject of it that says why, which both copies record. The owner's deal
// actions reach the agent through the delivery queue. The agent also
// applies its own deadlines (hub.agent.timeouts) and tells both hubs.
// On a negotiable listing the party whose
// turn it is may answer with a counter-offer (an Offer of the same
// Agreement with a new amount, inReplyTo the one it answers).
//
// The owner makes and answers offers from pages too: a public listing's
// page asks a buyer for their address and links to their own hub's offer
// page, found with WebFinger (the hub publishes its own under OfferRel);
// /owner/offers lists offers in and out, and /owner/deals/{key} shows a
// deal's timeline with buttons only for what the owner's side may do now.
//
// With hub.evm set, deals can be held by the Escrow contract instead (see
// evm.go): the hub signs with its own key (hub.evm.key_file), names its
// address in its Offer or Accept (binding it to the owner's actor), and
// follows the contract's events from a cursor in hub.evm, mirroring into
// a copy only the on-chain deal created for that copy's agreement (the
// agreement's SHA-256 after the creating call's arguments) between the
// bound addresses, in the agreed token and amount. The owner's deal
// actions on such a deal are transactions, journalled before they are
// sent (evm-journal.db) so that a retry never pays twice.
//
// Delivery goes by the listing's type (delivery.go): a service is marked
// delivered; a physical good's shipping address goes to the seller alone
// and its tracking note to the buyer alone; a digital good's file,
// attached by the seller (hub.files, kept under files/ in the data
// directory by SHA-256, never public), goes to the buyer's hub once the
// deal is funded as a time-limited link (hub.downloads) that opens only
// to a GET signed by the buyer's actor, and both copies keep its SHA-256
// as evidence; data products wait for a later version.
//
// Everything from another server or a browser is hostile: activities pass
// the node's inbox checks, listings are validated and must belong to their
// sender, a relay's advertised specialization is parsed within bounds,
// deliveries go to a shared inbox only on its actor's host, and pages are
// escaped by html/template under a strict Content-Security-Policy.
//
// It never reaches into signature or index internals.
package hub
