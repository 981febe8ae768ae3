// Package credential holds DIDs, W3C Verifiable Credentials with Data
// Integrity proofs, and the reputation built from them.
//
// It does no HTTP routing.
package credential
