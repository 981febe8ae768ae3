// Package node is one running market server with an ActivityPub actor:
// what relay mode and hub mode share.
//
// Open prepares the data directory (mode 0700) and what lives in it: the
// process's one bbolt file (market.db; each package creates and owns its
// own buckets in it), the actor's RSA key (actor.key, mode 0600) and the
// admin token. Data directories written before this package existed
// (relay.db, relay.key) are moved over on first start, nothing lost.
//
// A Node builds the federation wiring (the SSRF-safe client, the
// persistent delivery queue, the follow handshake and blocks in
// federation.Relations) and serves what every node serves: the actor
// document, WebFinger, NodeInfo, the JSON-LD context, the followers and
// following collections, /healthz, /readyz and /metrics. A mode plugs in
// its actor type (Service for a relay, Person for a hub), its inbox
// handler (Inbox), its routes (Handle), its operator commands
// (RegisterOperations: served on the admin socket, a unix socket in the
// data directory guarded by the admin token) and its background jobs
// (AddJob), then calls Serve, which shuts everything down gracefully when
// its context ends.
//
// Serve also runs a job of its own that returns freed heap to the
// operating system after start-up and whenever the server goes quiet
// (memory.go), so an idle node holds about its live heap, not the peak of
// its last burst.
//
// Every request goes through one HTTP layer: recovery (a panic is a logged
// 500, never a dropped connection), a request id (X-Request-Id, echoed and
// logged), per-client rate limits, CORS for the public read API, and one
// error writer (WriteError) that turns errors into statuses with
// federation.StatusOf, showing clients only what is safe and logging the
// rest with the request id.
//
// It knows nothing of listings, search or deals: those are the modes'.
package node
