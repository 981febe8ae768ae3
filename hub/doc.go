// Package hub is hub mode: one person's sovereign server. It holds their
// listings and publishes them to followers and relays, and wires the
// privacy engine, escrow and credentials into deals.
//
// It never reaches into signature or index internals.
package hub
