// Package privacy is the privacy engine: it turns a hub owner's raw rows
// into the product a buyer receives, field by field as a policy says
// (keep, remove, suppress, hash, round, generalize, pseudonymize, scrub),
// optionally with differential privacy, and reports how identifying the
// output still is.
//
// A [Policy] is read with [LoadPolicy] or [ParsePolicy] and checked against
// the data's header by [Policy.Validate]. [Apply] streams rows from CSV,
// a JSON array or JSON Lines through the compiled policy into CSV, JSON,
// JSON Lines or Parquet, with memory that does not grow with the number of
// rows; [ApplyFile] does the same between files and renames the output
// into place only when the whole run succeeded. Column types are inferred
// from the first rows and returned as the output's [Schema] (and its JSON
// Schema, the listing's schema_json). [Options.Sample] makes the preview a
// buyer sees from the transformed rows, never the raw ones.
//
// Keyed hashes use HMAC-SHA256 with a per-product key, kept in a file of
// its own that [LoadOrCreateProductKey] reads or creates (mode 0600).
// Differential privacy uses exact samplers over crypto/rand (discrete
// Laplace for bounded numbers, planar Laplace for points, randomized
// response for categories), with integer arithmetic on the sampling path. Location
// tracks can be trimmed by a random length at each end. The [Report]
// counts rows unique on the quasi-identifiers, runs a home-inference
// attack on the output, and states the privacy unit and epsilon.
//
// A policy's release limits (home-inference distance, share of unique
// rows) keep a too identifying product back.
//
// Errors wrap [ErrInvalidPolicy] (a [PolicyError] names the field),
// [ErrBadInput] (an [InputError] names the line and field),
// [ErrUnsupportedFormat], [ErrRandomness], [ErrTooIdentifying] or
// [ErrInvalidKey].
//
// The package does no network or storage I/O beyond the readers and
// writers it is given (and the files a policy or a caller names: the
// input, the output, the product key), reads no
// environment, and imports nothing else of this module. The city data for
// geographic generalization is embedded (geodata/, CC BY 4.0).
package privacy
