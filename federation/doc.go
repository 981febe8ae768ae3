// Package federation speaks ActivityPub between servers: actor documents,
// WebFinger, NodeInfo, HTTP Signatures (draft-cavage and RFC 9421, signing
// and verifying; one parse of a signature decides what is verified and
// which digest header binds the body), remote actor fetch with a key
// cache, the inbox checks every
// request passes, an SSRF-safe HTTP client, and the persistent outbound
// delivery queue with retries.
//
// The pieces:
//
//   - Actor, ActorHandler, CollectionHandler, WebFingerHandler and
//     NodeInfoHandlers serve what other servers read about us;
//     LoadOrCreateKey keeps our key (mode 0600).
//   - NewHTTPClient refuses non-public addresses at dial time; Client signs
//     every GET and POST (Signer), enforces the fetch rules of FEP-fe34
//     (same-origin redirects, ActivityPub media type, size limit) and caches
//     remote actors and their keys.
//   - Inbox runs the checks on every incoming activity in a fixed order
//     (size, media type, signature, key owner, digest, date, blocked
//     domains, origin) and answers each rejection with a JSON error before
//     anything changes; ParseActivity is its thin decoder over raw JSON.
//   - Queue delivers outgoing activities from bbolt, in order per lane (an
//     inbox's own, or one a sender names per subject), many lanes at once
//     with a bounded share per host, with backoff, Retry-After and giving
//     up on dead hosts.
//   - Relations runs one local actor's follow handshake in both directions
//     (Follow, Accept, Reject, Undo, manual approval) and its blocks; the
//     state lives in the node's bbolt file behind small per-entity stores
//     used inside a caller's transaction (FollowsIn, BlocksIn, SeenIn for
//     the de-duplication of applied activity ids), created, and moved from
//     a relay's old buckets, by OpenState.
//   - StatusOf is the one table from errors to HTTP statuses, reason codes
//     and client-safe messages; WriteError and WriteJSON write every answer.
//   - Metrics exports what the above count to Prometheus.
//
// The vocabulary layer: the standard ActivityStreams documents are built
// and read with github.com/go-ap/activitypub, wrapped in vocab.go, the one
// file of the project that imports it. Actor.MarshalJSON builds our actor
// document from go-ap's Actor; fetched actor documents are read with it
// (then checked by the rules here: sizes, URL shapes, key origins);
// Envelope.MarshalJSON builds outgoing Follow, Accept, Reject, Undo,
// Create, Update, Delete, Announce and Offer activities from go-ap's
// Activity; CollectionHandler serves a Collection (followers, following,
// an outbox) as go-ap's OrderedCollection and OrderedCollectionPage, paged
// by an opaque cursor in ?page=. Marketplace objects (FEP-0837 Proposal,
// Intent, Agreement) stay our own over raw JSON, since go-ap drops types
// and members it does not know: an envelope carries them whole,
// and an incoming Activity keeps Raw and Object exactly as received, as
// evidence, with the embedded object's members as the inbox decoded them
// (ObjectMembers), so that a handler does not decode it again. ParseActivity, on every inbox request, keeps its own strict
// decoder (see the comment in it for why and what go-ap would cost). go-ap
// is never handed an IRI it would write unescaped into broken JSON, nor
// text it would rewrite.
//
// It knows nothing of what a relay or a hub does with an activity: it
// authenticates requests and moves activities, and hands accepted ones to
// a Handler. It must never decide what a listing is, store one, or trust
// a document it did not check.
package federation
