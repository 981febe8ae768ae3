// Package layers holds no code: its test checks that the project's
// packages import only downward, in the order ARCHITECTURE.md gives.
//
//	cmd, bench, deploy                     (the binary, benchmarks, deployment)
//	internal/testhub, internal/cli         (the shared test rig, command-line rules)
//	relay, hub                             (modes)
//	node, web, deal, product, community,   (what modes share)
//	searchapi
//	federation, index, privacy, escrow, credential, kg
//	config                                 (settings, checked with listing's vocabulary)
//	listing, boltgroup                     (the vocabulary; shared bbolt commits)
//
// A package may import packages of a lower layer and its own
// subpackages; privacy, listing and boltgroup import nothing of the
// project's. Tests
// are free: an end-to-end test of a low package may start a relay.
package layers
