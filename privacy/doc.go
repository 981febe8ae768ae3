// Package privacy is the privacy engine: it turns a hub owner's raw rows
// into the product a buyer receives, field by field as a policy says
// (keep, remove, suppress, hash, round, generalize, pseudonymize, scrub),
// optionally with differential privacy, and reports how identifying the
// output still is.
//
// It does no network or storage I/O beyond the readers and writers it is
// given, and imports nothing else of this module.
package privacy
