// Package federation speaks ActivityPub between servers: actor documents,
// WebFinger, NodeInfo, HTTP Signatures (draft-cavage, signing and
// verifying), remote actor fetch with a key cache, the inbox checks every
// request passes, an SSRF-safe HTTP client, and the persistent outbound
// delivery queue with retries.
//
// It knows nothing of what a relay or a hub does with an activity: it
// authenticates requests and moves activities, and hands accepted ones to
// a handler.
package federation
